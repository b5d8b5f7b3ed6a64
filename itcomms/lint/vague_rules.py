"""BIZ006: a vague value. A benefit claimed ("improves efficiency", "snappier", "you will notice
a difference") without saying how much, for whom or compared with what.

Comparatives beyond the listed ones are found by their form: lemminflect knows which words
are the comparative of an adjective ("comfier", "tidier"), so no list of them is kept here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from .base import Hit, LintContext, Rule, Severity
from .prose import (
    Gate,
    GatedPatterns,
    Part,
    SentenceCues,
    alternation,
    gate,
    gate_words,
    one_per_sentence,
    spellings,
    word_set,
)
from .reader import read_with

# Comparatives that claim a gain: vague unless the sentence says how much, or than what.
COMPARATIVES = spellings(
    """
    better faster quicker easier simpler smoother smarter greater richer stronger clearer
    happier friendlier leaner slicker sharper nimbler healthier brighter more_done sooner
    cheaper safer nicer tidier handier calmer snappier speedier sleeker comfier
    less_hassle less_of_a_hassle less_friction less_stress less_effort less_fuss less_admin
    less_paperwork fewer_headaches fewer_hassles fewer_problems fewer_issues
    """
)
# Stock phrases of benefit: each could be said of any change.
BENEFIT_PHRASES = spellings(
    """
    next_level step_forward step_change raise_the_bar raises_the_bar raising_the_bar
    a_breeze peace_of_mind pay_dividends pays_dividends notice_the_difference
    make_a_difference makes_a_difference make_the_difference makes_all_the_difference
    world_of_difference game-changing game_changer win-win best_of_both_worlds friction
    frictionless headaches headache hassle-free pain-free effortless effortlessly
    at_your_fingertips one-stop_shop single_pane_of_glass get_more_done gets_more_done
    do_more_with_less empower empowers empowered empowering empowerment new_opportunities
    opportunities enjoyable delightful delight delighted_customers across_the_board
    much-improved vastly_improved much_improved best_work transformative exciting
    supercharge supercharged turbocharge turbocharged elevate elevates elevated seamless
    seamlessly hassle stress-free leap_forward quantum_leap big_win quick_win real_upgrade
    huge_step will_love love_the_new more_freedom more_control more_flexibility
    more_choice more_visibility more_power more_confidence more_insight more_clarity
    more_autonomy more_engaging more_exciting more_rewarding more_satisfying
    more_interesting more_accurate more_personal
    """
)
_MORE_QUALITY = (
    r"\b(?:more|less)\s+(?!(?:than|often|and|or|of|to|in|on|at|for)\b)"
    r"[a-z]+(?:ive|ent|ant|able|ible|ful|ous|ic|ly|ed)\b"
)
_CLAIM_WORDS = """
    improv* enhanc* streamlin* optimi* boost* revolution* transform* efficien* productiv*
    agility flexib* seamless* frictionless friendly user-friendly intuitive better greater
    smoother richer modern superior effective effectively agile reliab* responsive joined-up
    value benefit benefits benefited benefiting impact difference smarter faster quicker
    simpler easier opportunit* strategic future* growth innovation success excellence
    satisfaction engagement loyalty morale quality resilien* levels robust scalable money
    itself continuous first-class top-class world-class best-class first_class top_class
    world_class first-rate first_rate top-notch top_notch smoothly heart competit* excellent
    great outstanding exceptional premium ensure ensures potential easily quickly
    productively reliably host range number wealth raft array variety lot lots brings bring
    offers offer delivers deliver provides provide gives give benefit sav* win wins leap
    step upgrade boost plus
    """
_STOCK_CLAIMS = (
    # benefits counted by the heap, or promised: "a host of benefits", "will benefit hugely"
    r"\b(?:host|range|number|wealth|raft|array|variety|lots?)\s+of\s+(?:\w+\s+)?(?:benefits"
    r"|improvements|advantages|possibilities|opportunities)\b"
    r"|\b(?:brings?|offers?|delivers?|provides?|gives?)\s+(?:\w+\s+){0,3}?(?:benefits"
    r"|advantages|improvements)\b|\b(?:will|would|to)\s+benefit\b"
    r"|\bbenefit(?:s|ed)?\s+(?:\w+\s+){0,3}?(?:hugely|greatly|enormously|massively"
    r"|significantly|immensely)\b"
    r"|\bsav(?:e|es|ed|ing)\s+(?:\w+\s+){0,4}?(?:time|money|effort|hassle)\b"
    r"|\b(?:big|huge|real|major|massive|great|clear)\s+(?:win|leap|step|upgrade|boost|plus)s?\b|"
    rf"\b(?:{alternation(BENEFIT_PHRASES)})\b|"
    r"\b(?:be|been|is|are|being)\s+transformed\b|"
    r"\b(?:improv(?:e|es|ed|ing|ements?)|enhanc(?:e|es|ed|ing|ements?)"
    r"|streamlin(?:e|es|ed|ing)|optimi[sz](?:e|es|ed|ing|ation)|boost(?:s|ed|ing)?"
    r"|revolutioni[sz]\w*|transform(?:s|ed|ing)?\s+(?:the\s+way|how))\b"
    r"|\b(?:efficien(?:cy|cies|t|tly)|productiv(?:e|ity)|agility|flexibility"
    r"|seamless(?:ly)?|frictionless|user[- ]friendly|intuitive)\b"
    r"|\b(?:better|greater|improved|enhanced|smoother|richer|modern|superior)\s+(?:\w+\s+)?"
    r"(?:experience|visibility|insights?|outcomes|service|collaboration|performance"
    r"|communication|ways?\s+of\s+working|control)\b"
    r"|\bmore\s+(?:efficient|effective|productive|agile|modern|streamlined|reliable"
    r"|responsive|joined-up)\b"
    r"|\b(?:adds?|added|adding|deliver(?:s|ed|ing)?|unlock(?:s|ed|ing)?|real|significant"
    r"|business|great|tangible)\s+value\b"
    r"|\b(?:many|key|significant|real|numerous|great|huge|clear)\s+benefits?\b"
    r"|\bbenefit(?:s|ed|ing)?\s+from\b|\b(?:positive|real|significant|big|huge)\s+"
    r"(?:impact|difference)\b|\bwork(?:ing)?\s+smarter\b"
    r"|\b(?:faster|quicker|simpler|smoother),?\s+and\s+(?:easier|simpler|faster|smoother"
    r"|more\s+\w+)\b|\beasier\s+and\s+(?:faster|quicker|simpler)\b"
    r"|\bopportunit(?:y|ies)\s+for\s+growth\b"
    r"|\bstrategic\s+(?:goals|objectives|priorities|aims|vision)\b|\bfuture[- ]proof\w*"
    r"|\b(?:enabl|driv|support|accelerat|unlock|fuel)\w*\s+(?:\w+\s+)?(?:growth|innovation"
    r"|transformation|success|excellence)\b"
    r"|\bmore\s+(?:effectively|efficiently|easily|quickly|smoothly|productively|reliably)\b"
    r"|\b(?:increas|rais|boost|driv|improv|enhanc|maximi[sz])\w*\s+(?:\w+\s+){0,2}?"
    r"(?:satisfaction|engagement|loyalty|morale|efficiency|productivity|performance|quality"
    r"|agility|resilience|reliability|service\s+levels)\b"
    r"|\b(?:serve|support|help|run|work|perform|operate)s?\s+(?:\w+\s+){0,3}?better\b"
    r"|\bmakes?\s+(?:it|things|everything|life|work)\s+(?:easier|simpler|faster|better)\b"
    r"|\b(?:easier|simpler)\s+(?:for\s+(?:\w+\s+){1,2}?)?to\s+(?:use|do|find|work|get)\b"
    r"|\bmakes?\s+(?:\w+\s+){1,3}?(?:easier|simpler|better|smoother)\b"
    r"|\bbetter\s+(?:results|outcomes|decisions|tools|ways|value)\b"
    r"|\b(?:robust|scalable|resilient|future[- ]ready|high[- ]quality|fit\s+for\s+the\s+future)\b"
    r"|\bmodern,?\s+(?:secure|digital|flexible|connected)\b|\b(?:modern|secure|digital|smart)"
    r"\s+workplace\b|\bcontinuous\s+improvement\b|\bpays?\s+for\s+itself\b"
    r"|\btime\s+and\s+money\b|\bworking\s+lives?\s+(?:easier|better)\b"
    r"|\b(?:first|top|world|best)[- ](?:class|rate|notch)\b|\b(?:excellent|great|outstanding"
    r"|exceptional|premium)\s+service\b|\b(?:runs?|running|work(?:s|ing)?)\s+smoothly\b"
    r"|\b(?:big|huge|major|significant|real|dramatic|noticeable)\s+improvements?\b"
    r"|\bbenefits?\s+(?:all|every|everyone|the\s+(?:business|organisation|organization|company))\b"
    r"|\b(?:huge|great|enormous|real|significant|big|untapped)\s+potential\b"
    r"|\bat\s+the\s+heart\s+of\b|\b(?:ahead\s+of\s+the\s+competition|competitive"
    r"\s+(?:advantage|edge))\b"
    r"|\bensures?\s+(?:that\s+)?(?:everything|things|we|you|the\s+business)\b"
)


# A gain named but not sized: "time savings", "will reduce costs", "wait times have come
# down", "frees up time for what matters", "less frustrating", "good news", "works well".
# Each shape with the words it needs (see ``gate``), so that common words ("more", "work")
# alone do not send every text through all of them.
_COST_NOUNS = (
    "cost costs spend time effort waste error errors delay delays risk risks admin paperwork"
    " queue queues waiting bill bills overhead overheads mistakes rework"
)
_GAINS: dict[str, tuple[str, Gate]] = {
    "smaller": (
        r"(?:reduc|cut|lower|lessen|minimi[sz]|shrink|trim|slash)\w*\s+(?:[\w-]+\s+){0,2}?"
        r"(?:costs?|spend|time|effort|waste|errors?|delays?|risks?|admin|paperwork|queues?"
        r"|waiting|bills?|overheads?|mistakes|rework)|(?:less|more)\s+time\s+[a-z]+ing\b",
        gate(
            "reduc* cut cuts cutting lower* lessen* minimi* shrink* trim* slash*", gate(_COST_NOUNS)
        ),
    ),
    "bigger": (
        r"(?:increas|rais|grow|lift)\w*\s+(?:\w+\s+){0,2}?(?:sales|revenue|income|output"
        r"|throughput|conversions?)",
        gate(
            "increas* rais* grow* lift*",
            gate("sales revenue income output throughput conversion conversions"),
        ),
    ),
    "fell": (
        r"(?:times?|costs?|queues?|waits?|errors?|complaints?|calls|tickets|delays?|bills?|spend"
        r"|backlogs?|mistakes)\s+(?:[\w-]+\s+){0,4}?(?:(?:have|has|had|will|should|is|are)\s+)?"
        r"(?:(?:come|gone|went|came)\s+down|dropped|fallen|fell|decreased|shrunk|shrank|reduced)",
        gate(
            "down dropped fallen fell decreased shrunk shrank reduced",
            gate(_COST_NOUNS + " complaint complaints calls tickets backlog backlogs wait waits"),
        ),
    ),
    "easier": (
        r"more\s+(?:easy|simple|fast|quick|smooth|clear|nice|safe|secure|stable|straightforward"
        r"|convenient|pleasant|comfortable|reliable|efficient|useful|helpful)"
        r"|less\s+(?!(?:during|morning|evening|nothing|something|anything|everything|thing"
        r"|spring)\b)[a-z]+ing|(?:less|more)\s+time\s+(?:on|at|with|for|doing|to|in)"
        r"|less\s+of\s+an?\s+\w+",
        gate(
            "more less",
            gate(
                "easy simple fast quick smooth clear nice safe secure stable straightforward"
                " convenient pleasant comfortable reliable efficient useful helpful time of less"
            ),
        ),
    ),
    "works_well": (
        r"(?:look|looks|looking|work|works|working|feel|feels|run|runs|running)\s+(?:great|well"
        r"|good|fantastic|brilliant|amazing|nicer|lovely|beautifully|perfectly)"
        r"|(?:speed|speeds|sped|speeding)\s+(?:things|everything|it\s+all|work)\s+up",
        gate(
            "great well good fantastic brilliant amazing nicer lovely beautifully perfectly up",
            gate(
                "look looks looking work works working feel feels run runs running speed"
                " speeds sped speeding"
            ),
        ),
    ),
    "gain_words": (
        r"(?:time|cost|money)\s+savings?|game[- ]?changer\w*|what\s+(?:really\s+)?matters"
        r"|(?:higher|better|improved|greater|top)\s+quality"
        r"|free(?:s|d|ing)?\s+up\s+(?:\w+\s+)?(?:time|space|capacity|hours|staff|people|room)"
        r"|(?:notice|see|feel|spot)\s+(?:a|the)\s+(?:\w+\s+)?(?:difference|improvement|change)"
        r"|(?:good|great|fantastic|brilliant|excellent|welcome|positive)\s+news"
        r"|(?:major|big|huge|real|significant|massive|substantial|considerable)\s+(?:gains?"
        r"|savings?|wins?|benefits?|improvements?|boost)"
        r"|painless|snappy|slick|zippy|nifty|a\s+doddle|a\s+piece\s+of\s+cake|plain\s+sailing"
        r"|a\s+no-brainer|a\s+joy|a\s+pleasure|like\s+a\s+dream"
        r"|fewer\s+(?:niggles|glitches|headaches|hassles|problems|issues|hiccups|annoyances"
        r"|frustrations|gripes|snags|faults|errors|mistakes|delays)"
        r"|you['\u2018\u2019]ll\s+love|love\s+it",
        gate(
            "savings saving game-changer* gamechanger* changer* matters quality free frees freed"
            " freeing notice difference improvement news gains wins benefits improvements"
            " boost painless snappy slick zippy nifty doddle cake sailing no-brainer joy"
            " pleasure dream fewer love"
        ),
    ),
    # idioms of gain: "takes the pain out of", "miles ahead", "gives officers back valuable
    # time", "the insight they need", "get on with their jobs", each behind its own words
    "pain_out": (
        r"takes?\s+the\s+(?:pain|hassle|stress|guesswork|faff)\s+out",
        gate("pain hassle stress guesswork faff", gate("take takes")),
    ),
    "miles_ahead": (
        r"(?:miles|streets|light\s+years)\s+(?:ahead|better)|night\s+and\s+day|a\s+world\s+away",
        gate("miles streets light night world", gate("ahead better day away")),
    ),
    "valuable_time": (r"(?:valuable|precious)\s+time", gate("valuable precious")),
    "what_they_need": (
        r"(?:the\s+)?(?:insights?|information|data|tools)\s+(?:they|you|we|he|she)\s+need",
        gate("insight insights information data tools", gate("need")),
    ),
    "get_on": (
        r"get\s+on\s+with\s+(?:their|your|the|our)\s+(?:jobs?|work|day|shifts?)",
        gate("get", gate("with", gate("job jobs work day shift shifts"))),
    ),
    "closer": (r"closer\s+together", gate("together")),
    "should_help": (
        r"(?:really|should|will|can|could)\s+help\s+(?:with|to|reduce|cut)",
        gate("help", gate("really should will can could")),
    ),
    "quite_good": (
        r"(?:quite|really|pretty|very|actually|genuinely|so\s+much)\s+(?:good|great|better|nice"
        r"|handy|useful)",
        gate(
            "quite really pretty very actually genuinely much",
            gate("good great better nice handy useful"),
        ),
    ),
    "hear_sooner": (r"hear\s+back\s+sooner", gate("sooner", gate("hear"))),
    "cut_down": (r"cuts?\s+down\s+on", gate("cut cuts", gate("down"))),
}
VAGUE = GatedPatterns(
    (
        Part(
            "comparative", rf"\b(?:{alternation(COMPARATIVES)})\b", gate(gate_words(COMPARATIVES))
        ),
        Part("more_quality", _MORE_QUALITY, gate("more less")),
        Part("claim", _STOCK_CLAIMS, gate(_CLAIM_WORDS + gate_words(BENEFIT_PHRASES))),
        *(Part(name, rf"\b(?:{pattern})\b", opens) for name, (pattern, opens) in _GAINS.items()),
    )
)
# Comparatives of size, time or place, and of loss, claim no gain: "an older laptop", "later
# on Sundays", "harder to read".
_NEUTRAL = frozenset(
    spellings(
        """
        new old late early long short big small large high low far near wide narrow close
        young few many much little tall deep hot cold warm cool wet dry dark heavy busy quiet
        loud thick thin full empty bad hard slow poor weak tough costly pricey dear tight
        strict light
        """
    )
)


@lru_cache(maxsize=8192)
def _is_comparative(word: str) -> bool:
    """Whether ``word`` is an adjective's comparative ("comfier", "tidier") of a quality, not
    of size, time or loss. lemminflect holds the forms, so no list of them is kept here: each
    base the word could come from (fast-er, nic-er, tid-ier, big-ger) is asked for its
    comparative in lemminflect's table of known words (a smaller table than its lemmas')."""
    from lemminflect import getInflection  # type: ignore[import-untyped]

    stem = word[:-2]
    bases = {stem, word[:-1]}
    if word.endswith("ier"):
        bases.add(word[:-3] + "y")
    if len(stem) > 2 and stem[-1] == stem[-2]:
        bases.add(stem[:-1])
    return any(
        base not in _NEUTRAL and word in getInflection(base, "JJR", inflect_oov=False)
        for base in bases
    )


_LISTED = frozenset(w for w in COMPARATIVES if " " not in w)


# The shapes of a comparative English makes freely ("zestier", "slimmer"); the plain "-er"
# ones people use for a gain are listed above. Comparatives of time and size in those shapes
# claim nothing.
_FORM = re.compile(r"[a-z]{2,}(?:ier|([bdfglmnprt])\1er)")
_NOT_CLAIMS = frozenset({"earlier", "bigger", "thinner", "fatter", "hotter", "wetter"})
_SEEN: set[str] = set()  # the words judged so far, and those of a comparative's shape
_SHAPED: set[str] = set()


def _forms_pattern(text: str) -> re.Pattern[str] | None:
    """The comparatives in ``text`` that the lists do not hold ("zestier"), as one regex; a
    look at the text's words, and lemminflect is asked only about a word of that shape."""
    words = word_set(text)
    unseen = words - _SEEN  # each distinct word is judged once per run, with set operations
    if unseen:
        _SEEN.update(unseen)
        _SHAPED.update(w for w in unseen if _FORM.fullmatch(w))
    candidates = (words & _SHAPED) - _LISTED - _NOT_CLAIMS
    found = tuple(sorted(word for word in candidates if _is_comparative(word)))
    return _forms(found) if found else None


@lru_cache(maxsize=1024)
def _forms(found: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{'|'.join(found)})\b", re.IGNORECASE)


# What makes a claim specific: a figure or comparison, or what it means in practice ("means
# drivers can check their loads", "easier to reach without a car").
# A unit word counts only with a quantity ("an hour sooner", "a day earlier"): "a smoother
# day" names no figure.
_FIGURE = (
    r"\d|(?<!old\s)(?<!new\s)(?<!the\s)(?<!this\s)(?<!that\s)(?<!any\s)(?<!each\s)"
    r"(?<!every\s)(?<!which\s)\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty"
    r"|thirty|forty|fifty|sixty|hundred|thousand|million|half|third|quarter|double|twice"
    r"|triple|halved|doubled|tripled|trebled)\b|[£$€%]|\binstead\s+of\b|\bno\s+longer\b"
    r"|\b(?:an?|per|each|every)\s+(?:extra\s+)?(?:second|minute|hour|day|week|month|year)s?"
    r"\s+(?:sooner|earlier|faster|quicker|less|more|saved|back|a\s+\w+)\b|\bpounds|\bpence\b"
    r"|\bby\s+(?:a|an|one)\s+(?:second|minute|hour|day|week|month|year|fifth|tenth|sixth"
    r"|quarter|third|half)\b|\b(?:fifth|tenth)s?\b"
    r"|\b(?:each|every|per)\s+(?:order|shift|store|depot|call|ticket|customer|delivery"
    r"|patient|student|case|item|line|booking|invoice|claim)\b"
    r"|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march"
    r"|april|june|july|august|september|october|november|december)s?\b"
)
SPECIFIC = re.compile(
    _FIGURE + r"|\bmeans?\s+(?:\w+\s+)?(?:can|no\s+longer|gets?|never)\b"
    r"|\b(?:lets?|allows?)\s+(?:us|you|them|(?:the\s+)?\w+s)\s+(?:\w+\s+)?(?:pay|keep|serve"
    r"|finish|leave|go|get|see|save|spend|stop|avoid)\b"
    r"|\bwithout\s+(?:a|an|any|having|waiting|calling|phoning)\b",
    re.IGNORECASE,
)


_VAGUE_HINT = (
    "Give the figure or the before-and-after: who gains what, how much time "
    "or money, compared with what."
)


def could_claim(text: str, start: int, end: int) -> bool:
    """Whether the sentence ``text[start:end]`` could be a vague claim: it holds a word a
    claim of value starts from (a comparative, a benefit word) and nothing specific."""
    sentence = text[start:end]
    if SPECIFIC.search(sentence):
        return False
    return VAGUE.pattern_for(sentence) is not None or _forms_pattern(sentence) is not None


def _vague_value(ctx: LintContext) -> Iterator[Hit]:
    for index, _message, name, text in ctx.message_texts():
        concrete = SentenceCues(text, SPECIFIC)

        def made_concrete(match: re.Match[str], concrete: SentenceCues = concrete) -> bool:
            return concrete.present(match.start(), match.end())

        claims = [
            *one_per_sentence(text, VAGUE, made_concrete, whole_sentence=True),
            *one_per_sentence(text, _forms_pattern(text), made_concrete, whole_sentence=True),
        ]
        flagged: set[tuple[int, int]] = set()
        for match in sorted(claims, key=lambda found: found.start()):
            sentence = concrete.span(match.start(), match.end())
            if sentence in flagged:
                continue
            flagged.add(sentence)
            phrase = match.group(0)
            yield Hit(
                ("messages", index, name),
                f"{phrase!r} claims a benefit without saying how much, or for whom",
                _VAGUE_HINT,
                (match.start(), len(phrase)),
                text,
            )


RULES = (
    Rule(
        "BIZ006",
        "vague-value",
        Severity.warning,
        "A benefit is claimed without a figure, a who or a before-and-after.",
        read_with("vague", _vague_value, "a vague value", _VAGUE_HINT, could_claim),
        """\
## What it does
Flags claims of benefit that could be said of any change: "improves efficiency", "enhances
productivity", "adds value", "many benefits", "a positive impact", comparatives that claim
a gain ("a better experience", "faster", "smoother", "more reliable", "less hassle", "fewer
headaches") and stock benefit phrases ("takes it to the next level", "peace of mind",
"empowers", "a breeze"), when their sentence gives nothing concrete: no figure or number
word, no unit of time or money, no "instead of" or "no longer", no consequence ("means
drivers can..."); a unit word counts only with a quantity, so "a smoother day" is vague.
Also a gain named but not sized ("time savings", "will reduce costs", "wait times have come
down", "good news", "works well", "painless", "notice a difference"), and any comparative of
a quality by its form ("comfier", "snappier": lemminflect knows the forms); comparatives of
size, age, time or loss ("older", "later", "harder") claim no gain. One finding per sentence.

The reader (a model of which words make a vague value, trained on the labelled corpus; see
docs/lint.md) also flags a sentence of the business value or body that no pattern names but
that reads as a vague value, if it holds a word of the family and none of the excuses above, and
names the words that weighed most; it clears a pattern hit in a sentence it reads as plainly
fine.

## Why is this bad?
Business value is what a change means in the terms the audience judges IT by: a customer
served sooner, an hour saved per shift, a cost per order. "Improves efficiency" is what
every vendor says of every product, so readers skip it, and it tells an executive nothing
to repeat at the board. A claim with a figure is believed and remembered.

## Example
```yaml
body: The new handhelds improve efficiency and deliver a better experience for everyone.
```

## Use instead
```yaml
body: >-
  The new handhelds check in a delivery in five minutes instead of twenty, so drivers leave
  the yard before the morning traffic.
```
""",
        per_message=True,
    ),
)
