"""BIZ005: the voice of the message. Say who does what, plainly.

Corporate voice hides who decided and who acts ("it has been decided", "will be actioned")
behind buzzwords ("synergies", "best-in-class"). (BIZ006, a vague value, is in
``vague_rules``.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .base import Hit, LintContext, Rule, Severity
from .prose import (
    ALTERNATIVE,
    CONCRETE,
    OUTCOME,
    GatedPatterns,
    Part,
    SentenceCues,
    alternation,
    gate,
    gate_words,
    one_per_sentence,
    spellings,
)
from .reader import read_with

_DECIDED = (
    r"decided|agreed|determined|noted|announced|anticipated|expected|recommended|requested"
    r"|required|advised|proposed|felt|believed|hoped|understood|confirmed|considered"
    r"|suggested|envisaged|intended|acknowledged|appreciated"
)
# Verbs of the office rather than of the work: who leverages, actions, cascades?
_BUREAU = (
    r"leveraged|actioned|socialised|socialized|cascaded|operationali[sz]ed|progressed"
    r"|realised|realized|finali[sz]ed|utili[sz]ed|mandated|facilitated|(?:re)?allocated"
    r"|(?:re)?assigned|engaged|put\s+in\s+place|taken\s+on\s+board|noted|acknowledged"
    r"|fed\s+back|rolled\s+out\s+in\s+a\s+phased|provided\s+as|passed\s+(?:on\s+)?to"
    r"|captured|revisited|undertaken|effected|communicated|taken|made|implemented"
    r"|prioriti[sz]ed|deprioriti[sz]ed|onboarded|sunset(?:ted)?|escalated|aligned"
)


# Verbs of the office whose passive hides who acts ("staff are advised", "concerns were
# noted", "the matter is being looked into"), beyond _BUREAU: deciding, reviewing, telling.
OFFICE_PASSIVES = spellings(
    """
    advised informed reminded notified appreciated welcomed encouraged reviewed explored
    examined assessed evaluated investigated considered identified agreed reached adopted
    endorsed ratified sanctioned signed_off taken_into_account taken_forward put_in_place
    put_on_hold put_forward put_in_motion looked_into looked_at followed_up addressed
    redeployed repurposed restructured reorganised rationalised standardised harmonised
    centralised minimised mitigated maximised formalised circulated disseminated highlighted
    flagged documented initiated commenced instigated embedded deemed envisaged proposed
    recommended tasked impacted decided determined expected anticipated understood
    reprioritised baselined scoped signposted experienced encountered observed incurred
    sustained gathered collated kept_informed kept_updated made_aware
    """
)
# Abstract subjects: any passive after them hides who acts ("feedback has been received",
# "improvements are being made", "further updates will be provided").
ABSTRACT_SUBJECTS = spellings(
    """
    improvement improvements change changes update updates steps measures action actions
    decision decisions issue issues concern concerns query queries feedback comment comments
    matter matters option options arrangement arrangements initiative initiatives effort
    efforts learnings lessons priority priorities expectation expectations recommendation
    recommendations proposal proposals enhancement enhancements adjustment adjustments
    amendment amendments development developments outcome outcomes findings resource
    resources process processes procedure procedures requirement requirements solution
    solutions approach approaches strategy strategies details information guidance
    communication communications announcement announcements clarification activity
    activities input inputs views suggestions responses insights
    """
)
# ("the changes are done" says they are finished; "done" and "set" after "be" are adjectives)
_PARTICIPLE = (
    r"[a-z]+ed|made|given|taken|put|sent|held|kept|brought|shown|seen|met|found"
    r"|told|undertaken|written|drawn|begun|sought|thought|chosen|driven|known"
)
_ADVERBS = r"(?:(?:\w+ly|now|also|still|already|further|not|duly|being)\s+){0,2}"
# Stock phrases of the corporate memo, beyond those in CORPORATE below.
BUZZWORDS = spellings(
    """
    ideate ideation ideating take_this_offline take_it_offline take_that_offline
    reach_out_to reaching_out_to right-size right-sizing rightsize right-sized double_down
    doubling_down core_competence core_competencies core_competency step_change step-change
    north_star pivot pivoting boil_the_ocean blue-sky blue_sky pain_points pain_point
    end-to-end best_practice best_practices quick_win quick_wins win-win on_our_radar
    on_the_radar level-set drill_down heavy_lifting hit_the_ground_running
    on_the_same_page mindshare wheelhouse value_proposition customer-centric data-driven
    impactful granular stakeholder_engagement stakeholder_alignment key_stakeholders
    in_flight cross-functional siloed silos bandwidth_to the_art_of_the_possible
    going-forward moving-forward baked_in upskill upskilling reskill reskilling
    digital_capability digital_capabilities capability_uplift uplift key_learnings
    governance_framework robust_framework double-click deliverables on_a_journey
    transformation_agenda key_enabler enabler enablers digital-first cloud-native
    mobile-first customer-first under_way in_train be_aware is_aware are_aware
    """
)
_IMPERSONAL = (
    # impersonal passive: nobody decided, it "has been decided"
    rf"\bit\s+(?:has\s+(?:now\s+)?been|had\s+been|is|was|will\s+be|should\s+be|must\s+be"
    rf"|would\s+be|is\s+being)\s+(?:\w+ly\s+)?(?:{_DECIDED})\b"
    r"|\bit\s+(?:has|had)\s+(?:now\s+)?been\s+\w+(?:ed|en)\b"
    r"|\bit\s+(?:is|was)\s+(?:\w+ly\s+)?\w+ed\s+that\b"
    r"|\b(?:a|the)\s+decisions?\s+(?:has|have|had)\s+(?:now\s+)?been\s+(?:made|taken)\b"
    r"|\bit['\u2018\u2019]s\s+(?:\w+ly\s+)?(?:" + _DECIDED + r")\b"
)
_OFFICE_PASSIVE = (
    rf"\b(?:is|are|was|were|be|been|being|gets?|got)\s+{_ADVERBS}"
    rf"(?:{_BUREAU}|{alternation(OFFICE_PASSIVES)})\b"
)
_ABSTRACT_PASSIVE = (
    rf"\b(?:{alternation(ABSTRACT_SUBJECTS)})\s+(?:(?:will|would|should|must|may|might|can"
    rf"|could|shall|has|have|had)\s+)?(?:(?:not|now|also|already|still|further)\s+)?"
    rf"(?:is|are|was|were|be|been|being)\s+{_ADVERBS}(?:{_PARTICIPLE})\b"
)
_STOCK = (
    rf"\b(?:{alternation(BUZZWORDS)})\b"
    r"|\b(?:going|moving)[\s-]+forwards?\b|\bon\s+a\s+go-forward\s+basis\b"
    # the memo's verbs in the active voice, and its promises of more to come
    r"|\b(?:will|to|shall|we['\u2018\u2019]ll|must|should|can)\s+(?:\w+\s+)?(?:action|operationali[sz]e"
    r"|sociali[sz]e|cascade|productise|productize|synergi[sz]e|incentivi[sz]e|right-?size"
    r"|ideate|dialogue|calendari[sz]e|architect|evangeli[sz]e)\b"
    r"|\bborne\s+in\s+mind\b|\bafoot\b|\bin\s+the\s+(?:pipeline|works)\b|\bon\s+the\s+horizon\b"
    r"|\bwatch\s+this\s+space\b|\bmore\s+(?:details\s+)?to\s+follow\b|\bexciting\s+times\b"
    r"|\b(?:appropriate|relevant|concerned)\s+(?:parties|stakeholders|people|teams)\b"
    r"|\b(?:is|are|was|were)\s+(?:planned|scheduled|expected|due|set|intended)\s+to\s+be"
    r"\s+\w+ed\b|\bfed\s+into\b|\bclosed\s+out\b|\binto\s+future\s+(?:planning|work|delivery"
    r"|phases?)\b|\beverything\s+possible\b|\ball\s+(?:possible|necessary|reasonable)\s+steps\b"
    r"|\bno\s+stone\s+unturned\b|\bpending\s+further\s+(?:discussion|review|notice|investigation)\b"
    r"|\b(?:an|the)\s+agreed\s+(?:period|time|date)\b|\bwe\s+(?:inform|advise)\s+(?:that|you\s+that)\b"
    r"|\bbeen\s+[\"'\u201c\u2018]\w+[\"'\u201d\u2019]"
    r"|\b(?:have|has)\s+been\s+(?:passed\s+on|picked\s+up|looked\s+at|sorted)(?=\s*[.!]|\s*$)"
    r"|\blessons\s+learnt\b|\binform\s+(?:future|our\s+future|next)\b|\bfuture\s+delivery\b"
    r"|\b(?:best[- ]in[- ]class|world[- ]class|best[- ]of[- ]breed|cutting[- ]edge"
    r"|leading[- ]edge|bleeding[- ]edge|state[- ]of[- ]the[- ]art|next[- ]gen(?:eration)?)\b"
    r"|\bsynerg\w*|\bleverag(?:e|es|ed|ing)\b|\bholistic\w*|\bparadigm\w*|\bempower\w*"
    r"|\bvalue[- ]chain\b|\bvalue[- ]add\w*|\bunlock(?:s|ed|ing)?\s+value\b|\bat\s+scale\b"
    r"|\bgame[- ]?changer\w*|\btransformational\b|\b(?:digital|transformation)\s+journey\b"
    r"|\bworkstreams?\b|\bdeliverables?\b|\blearnings\b|\balignment\b|\bcircle\s+back\b"
    r"|\btouch\s+base\b|\bdeep[- ]dive\b|\blow[- ]hanging\s+fruit\b|\bmove\s+the\s+needle\b"
    r"|\bdrive\s+(?:efficienc\w+|value|outcomes|transformation|synerg\w+|innovation)\b"
    r"|\bactionable\b|\bsolutioning\b|\becosystem\b|\bthought\s+leadership\b"
    r"|\bmission[- ]critical\b|\bexcellence\b|\bplease\s+be\s+advised\b"
    r"|\bkindly\s+(?:note|be\s+advised)\b|\bas\s+per\b|\bforthwith\b|\bin\s+due\s+course\b"
    r"|\bat\s+this\s+(?:point|moment)\s+in\s+time\b|\brelevant\s+parties\b"
    r"|\butili[sz](?:e|es|ed|ing|ation)\b|\benablement\b|\bincentivi[sz]\w*\b"
    r"|\b(?:with|in)\s+(?:regard|respect)\s+to\b|\bprior\s+to\b|\bacross\s+the\s+estate\b"
    r"|\bbrought\s+to\s+(?:our|my|your)\s+attention\b|\b(?:remains?|are|is)\s+committed\s+to\b"
    r"|\bdeliver(?:s|ed|ing)?\s+value\b|\blessons\s+learned\b|\bphased\s+(?:manner|approach)\b"
    r"|\bin\s+a\s+timely\s+manner\b|\bwith\s+immediate\s+effect\b|\bat\s+pace\b"
    r"|\bfit\s+for\s+purpose\b|\bwhere\s+applicable\b|\bas\s+appropriate\b"
    r"|\b(?:important|worth)\s+to\s+note\b|\b(?:are|is|be)\s+(?:hereby\s+)?reminded\b"
    r"|\b(?:is|are)\s+(?:greatly\s+|highly\s+)?valued\b|\brelevant\s+(?:department|team|area)s?\b"
    r"|\bas\s+and\s+when\b|\bat\s+a\s+later\s+date\b|\b(?:currently\s+)?under\s+review\b"
    r"|\b(?:excited|pleased|delighted|proud)\s+to\s+(?:announce|share|inform)\b"
    r"|\baligns?\s+with\s+(?:our|the)\b|\bin\s+line\s+with\s+(?:our|the)\s+(?:strategy"
    r"|strategic|vision|objectives|roadmap)\b|\bstrategic\s+roadmap\b|\bdigital\s+vision\b"
    r"|\b(?:appropriate|proper|relevant|correct)\s+channels?\b|\bis\s+mandatory\b"
    r"|\bpassed\s+(?:on\s+)?to\s+the\s+relevant\b"
    # a nominalised passive: "consideration is being given", "a review has been conducted"
    r"|\b(?:\w+(?:tion|ment|ance|ence)s?|efforts|steps|measures|actions|activities|arrangements"
    r"|discussions|reviews?|assessments?|audits?|analys[ie]s|work)\s+(?:is|are|was|were|has\s+been"
    r"|have\s+been|will\s+be|is\s+being|are\s+being|remains?)\s+(?:\w+ly\s+)?(?:given|conducted"
    r"|undertaken|carried\s+out|ongoing|underway|initiated|commenced|effected|performed"
    r"|in\s+progress|progressing)\b"
)
_BUREAU_WORDS = """
    leverag* actioned sociali* cascad* operationali* progressed realised realized finali*
    utili* mandat* facilitated allocated reallocated assigned reassigned engaged in_place
    on_board fed_back phased provided passed captured revisited undertaken effected
    communicated taken made implemented prioriti* deprioriti* onboarded sunset sunsetted
    escalated aligned noted acknowledged
"""
_STOCK_WORDS = """
    forwards action operationali* sociali* cascade productise productize synergi* incentivi*
    right-size rightsize ideate dialogue calendari* architect evangeli* borne afoot pipeline
    works horizon watch follow exciting learnt inform future appropriate concerned planned
    scheduled due set intended fed closed into everything possible necessary reasonable stone
    pending agreed inform advise been passed picked looked sorted
    forward class breed cutting leading bleeding state-of next-gen next_gen synerg*
    holistic* leverag* paradigm* empower* value scale changer* game-changer gamechanger*
    transformational journey workstream* deliverable* learnings alignment circle_back
    touch_base deep-dive deep_dive fruit needle drive actionable solutioning ecosystem
    leadership critical excellence advised kindly as_per forthwith due_course point_in
    moment_in parties utili* enablement incentivi* regard respect prior estate attention
    committed learned phased timely immediate at_pace purpose applicable appropriate proper
    correct relevant important worth reminded valued later_date as_and_when review excited
    pleased delighted proud align aligns strategy strategic vision objectives roadmap
    mandatory given conducted undertaken carried ongoing underway initiated commenced
    effected performed progress progressing
"""
_BE_GATE = gate("is are was were be been being")
# Any passive at all ("the incident is being managed", "lessons were learnt", "the change got
# pushed back"), regular or irregular, when its sentence names nobody who acted, no outcome
# for people and nothing concrete (a figure, a date, a unit): it tells the reader nothing
# they can act on. Participles that are adjectives of state or feeling, or that say
# nothing happened to the reader ("not affected"), are left alone.
_IRREGULAR = (
    r"made|given|taken|put|sent|held|kept|brought|shown|seen|met|found|told|written|drawn"
    r"|begun|sought|thought|chosen|driven|known|learnt|learned|granted|got|gotten|won|lost"
    r"|left|run|paid|bought|sold|built|spent|understood|undertaken|forgotten|withdrawn"
    r"|frozen|broken|spoken|stolen|hidden|shut|cut|hit|let|led|fed|felt|heard|meant|dealt"
    r"|struck|taught|caught|swept|laid|overseen|rethought|redone|remade|rebuilt|rewritten"
    r"|stood(?:\s+(?:up|down))?|spun(?:\s+up)?|wound\s+(?:up|down)|upheld|withheld|borne"
    r"|sworn|torn|worn|risen|grown|thrown|flown|hung|stuck|dug|fought|bred|lit|bent|lent"
    r"|split|spread|shed|sunk|rung|sprung|forgiven|overtaken|mistaken|shaken|woken"
)
_STATE = (
    r"affected|disrupted|interrupted|charged|billed|needed|required|closed|opened|based"
    r"|located|called|named|used|supposed|pleased|delighted|excited|interested|tired|worried"
    r"|concerned|included|allowed|welcomed|lost|missed|scheduled|limited|connected|dedicated"
    r"|qualified|experienced|skilled|trained|equipped|staffed|stocked|open|set|done|paid"
    r"|committed|involved|engaged|married|retired|employed|registered|signed\s+up|covered"
    r"|expected\s+to\s+(?:rain|snow)|started|finished|gone|born|made\s+of|left\s+(?:over|open)"
)
_BARE_PASSIVE = (
    r"\b(?:is|are|was|were|be|been|being|gets?|got|getting|gotten)\s+"
    r"(?:(?:\w+ly|now|also|still|already|further|all|being|got)\s+){0,2}"
    rf"(?!(?:{_STATE})\b)(?:[a-z]+ed|{_IRREGULAR})(?:\s+(?:back|out|off|up|down|away|on))?\b"
)
# What grounds a plain passive in the reader's world: a reason or another way, or where and
# when it happens ("shown on the canteen screens", "printed in the store each morning",
# "while the screens are installed").
_GROUNDED = re.compile(
    rf"\b(?:because|since|so\s+that|otherwise|due\s+to)\b|{ALTERNATIVE.pattern}"
    r"|\b(?:on|in|at|from|to)\s+(?:the|your|each|every|our)\s+(?!(?:way|end|future|meantime"
    r"|attention|knowledge|notice|agenda|table|radar|plan|roadmap|strategy|programme|project"
    r"|process|context|course|light|interest|line|business|organisation|organization|wider"
    r"|relevant|appropriate|right|near|short|long|medium)\b)[a-z-]+"
    r"|\b(?:each|every)\s+(?:morning|evening|night|day|week|shift|store|depot|site)\b"
    r"|\b(?:while|if|once|after|before)\b|\bready\s+for\b|\b(?:tomorrow|tonight|overnight|today)\b",
    re.IGNORECASE,
)


# Clichés of the change programme, beyond BUZZWORDS: "ways of working", "unlock efficiencies".
_PROGRAMME = (
    r"\bways\s+of\s+working\b|\bunlock(?:s|ed|ing)?\s+(?:\w+\s+)?efficienc\w*"
    r"|\bstreamlin(?:e|es|ed|ing)\s+(?:our|the|how|its|their)\b|\bfrictionless\b"
    r"|\bstakeholders?\s+(?:are\s+|were\s+|have\s+been\s+)?aligned\b"
    r"|\bvalue[- ]add\b|\bseamless(?:ly)?\b|\bbest[- ]in[- ]class\b|\bdigital[- ]first\b"
)
# Each part runs only on texts holding one of its trigger words; a match of either passive
# part is excused when the sentence names who acted or what it changed for people.
CORPORATE = GatedPatterns(
    (
        Part("impersonal", _IMPERSONAL, gate("it decision decisions")),
        Part("passive", _OFFICE_PASSIVE, gate(_BUREAU_WORDS + gate_words(OFFICE_PASSIVES))),
        Part("passive_subject", _ABSTRACT_PASSIVE, gate(gate_words(ABSTRACT_SUBJECTS), _BE_GATE)),
        Part("stock", _STOCK, gate(_STOCK_WORDS + gate_words(BUZZWORDS))),
        Part(
            "programme",
            _PROGRAMME,
            gate(
                "ways unlock* streamlin* frictionless stakeholder "
                "stakeholders value-add seamless* best-in-class "
                "digital-first"
            ),
        ),
        Part(
            "passive_bare",
            _BARE_PASSIVE,
            gate("is are was were be been being get gets got getting gotten"),
        ),
    )
)
# "were made by the board", "agreed with the shift leads": a passive that names who acted, right
# after it, is plain enough.
_AGENT = re.compile(
    r"\s+(?:\w+\s+){0,3}?by\s"
    r"|(?:(?<=agreed)|(?<=decided)|(?<=arranged)|(?<=planned)|(?<=discussed))\s+with\s",
    re.IGNORECASE,
)


_VOICE_HINT = (
    "Say who does what, in the words you would use to a colleague: "
    "'we decided', 'the team will', 'we will tell you by Friday'."
)


def could_be_corporate(text: str, start: int, end: int) -> bool:
    """Whether the sentence ``text[start:end]`` could be corporate voice: it holds a word
    corporate voice starts from (a form of "be", a stock phrase's word) and no outcome."""
    sentence = text[start:end]
    return not OUTCOME.search(sentence) and CORPORATE.pattern_for(sentence) is not None


def _corporate_voice(ctx: LintContext) -> Iterator[Hit]:
    for index, _message, name, text in ctx.message_texts():
        outcome = SentenceCues(text, OUTCOME)
        concrete = SentenceCues(text, CONCRETE)
        grounded = SentenceCues(text, _GROUNDED)

        def names_the_agent(
            match: re.Match[str],
            text: str = text,
            outcome: SentenceCues = outcome,
            concrete: SentenceCues = concrete,
            grounded: SentenceCues = grounded,
        ) -> bool:
            """A passive that says who acted ("allocated by the board"), or what it changed
            for people ("agreed in minutes rather than days"), is plain."""
            if not (match.lastgroup or "").startswith("passive"):
                return False
            if _AGENT.match(text, match.end(), match.end() + 60) is not None:
                return True
            if outcome.present(match.start(), match.end()):
                return True
            return match.lastgroup == "passive_bare" and (
                concrete.present(match.start(), match.end())
                or grounded.present(match.start(), match.end())
            )

        for match in one_per_sentence(text, CORPORATE, names_the_agent):
            phrase = match.group(0)
            yield Hit(
                ("messages", index, name),
                f"{phrase!r} is corporate voice: it hides who acts, or says nothing",
                _VOICE_HINT,
                (match.start(), len(phrase)),
                text,
            )


RULES = (
    Rule(
        "BIZ005",
        "corporate-voice",
        Severity.warning,
        "Passive or corporate voice hides who acts, or says nothing.",
        read_with("voice", _corporate_voice, "corporate voice", _VOICE_HINT, could_be_corporate),
        """\
## What it does
Flags the voice of a memo rather than of a colleague: impersonal passives that hide who
decided ("it has been decided", "it is expected that", "a decision has been made"),
passives of office verbs with nobody acting ("staff are advised", "will be actioned", "is
being looked into", "has been put on hold", "were redeployed"), any passive after an
abstract subject ("feedback has been received", "improvements are being made", "further
updates will be provided"), and stock corporate phrases ("going forward", "leverage",
"holistic", "value-add", "synergies", "reach out", "step change", "in due course", "ways of
working"). Any other passive ("the incident is being managed", "lessons were learnt", "the
change got pushed back") is flagged when its sentence gives nothing concrete (a figure, a
date), no reason and no where or when. A passive that names who acted ("allocated by the
board", "agreed with the shift leads") or says what it changed for people ("agreed in
minutes rather than days") passes. One finding per sentence.

The reader (a model of which words make corporate voice, trained on the labelled corpus; see
docs/lint.md) also flags a sentence of the business value or body that no pattern names but
that reads as corporate voice, if it holds a word of the family and none of the excuses above, and
names the words that weighed most; it clears a pattern hit in a sentence it reads as plainly
fine.

## Why is this bad?
Marketing IT is a two-way conversation, and nobody converses with a memo. The passive hides
who decided and who will act, which reads as IT hiding behind process; buzzwords tell the
reader the message was written to sound important, not to tell them anything. Both push IT
back into its own world, away from the business's language.

## Example
```yaml
body: >-
  It has been decided that the service desks will be consolidated. Going forward, synergies
  are expected to be leveraged across both sites.
```

## Use instead
```yaml
body: >-
  We are merging the two service desks in March, so whoever answers your call can see your
  site's history and fix more problems in that first call.
```
""",
        per_message=True,
    ),
)
