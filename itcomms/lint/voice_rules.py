"""BIZ005-BIZ006: the voice of the message. Say who does what, and what it is worth, plainly.

Corporate voice hides who decided and who acts ("it has been decided", "will be actioned")
behind buzzwords ("synergies", "best-in-class"); a vague value claims a benefit
("improves efficiency") without saying how much, for whom or compared with what.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from .base import Hit, LintContext, Rule, Severity
from .prose import (
    ALTERNATIVE,
    CONCRETE,
    OUTCOME,
    GatedPatterns,
    Part,
    SentenceCues,
    gate,
)
from .text import sentence_end

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


def _spellings(words: str) -> tuple[str, ...]:
    """Whitespace-separated words, '_' for a space, each -ised word also as -ized."""
    found = [w.replace("_", " ") for w in words.split()]
    return tuple(dict.fromkeys([*found, *(w.replace("ise", "ize") for w in found if "ise" in w)]))


def _words(words: tuple[str, ...]) -> str:
    """``words`` as gate triggers (see ``prose.gate``)."""
    return " " + " ".join(w.replace(" ", "_") for w in words)


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(w.replace(" ", r"\s+") for w in sorted(words, key=len, reverse=True))


# Verbs of the office whose passive hides who acts ("staff are advised", "concerns were
# noted", "the matter is being looked into"), beyond _BUREAU: deciding, reviewing, telling.
OFFICE_PASSIVES = _spellings(
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
ABSTRACT_SUBJECTS = _spellings(
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
BUZZWORDS = _spellings(
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
    r"|\bit['\u2019]s\s+(?:\w+ly\s+)?(?:" + _DECIDED + r")\b"
)
_OFFICE_PASSIVE = (
    rf"\b(?:is|are|was|were|be|been|being|gets?|got)\s+{_ADVERBS}"
    rf"(?:{_BUREAU}|{_alternation(OFFICE_PASSIVES)})\b"
)
_ABSTRACT_PASSIVE = (
    rf"\b(?:{_alternation(ABSTRACT_SUBJECTS)})\s+(?:(?:will|would|should|must|may|might|can"
    rf"|could|shall|has|have|had)\s+)?(?:(?:not|now|also|already|still|further)\s+)?"
    rf"(?:is|are|was|were|be|been|being)\s+{_ADVERBS}(?:{_PARTICIPLE})\b"
)
_STOCK = (
    rf"\b(?:{_alternation(BUZZWORDS)})\b"
    r"|\b(?:going|moving)[\s-]+forward\b|\bon\s+a\s+go-forward\s+basis\b"
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
    r"|\bbrought\s+to\s+(?:our|my|your)\s+attention\b|\b(?:remain|are|is)\s+committed\s+to\b"
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
        Part("passive", _OFFICE_PASSIVE, gate(_BUREAU_WORDS + _words(OFFICE_PASSIVES))),
        Part("passive_subject", _ABSTRACT_PASSIVE, gate(_words(ABSTRACT_SUBJECTS), _BE_GATE)),
        Part("stock", _STOCK, gate(_STOCK_WORDS + _words(BUZZWORDS))),
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

# Comparatives that claim a gain: vague unless the sentence says how much, or than what.
COMPARATIVES = _spellings(
    """
    better faster quicker easier simpler smoother smarter greater richer stronger clearer
    happier friendlier leaner slicker sharper nimbler healthier brighter more_done
    less_hassle less_of_a_hassle less_friction less_stress less_effort less_fuss less_admin
    less_paperwork fewer_headaches fewer_hassles fewer_problems fewer_issues
    """
)
# Stock phrases of benefit: each could be said of any change.
BENEFIT_PHRASES = _spellings(
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
    r"|\bsav(?:e|es|ed|ing)\s+(?:\w+\s+)?(?:time|money|effort|hassle)\b"
    r"|\b(?:big|huge|real|major|massive|great|clear)\s+(?:win|leap|step|upgrade|boost|plus)s?\b|"
    rf"\b(?:{_alternation(BENEFIT_PHRASES)})\b|"
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


VAGUE = GatedPatterns(
    (
        Part("comparative", rf"\b(?:{_alternation(COMPARATIVES)})\b", gate(_words(COMPARATIVES))),
        Part("more_quality", _MORE_QUALITY, gate("more less")),
        Part("claim", _STOCK_CLAIMS, gate(_CLAIM_WORDS + _words(BENEFIT_PHRASES))),
    )
)


# What makes a claim specific: a figure or comparison, or what it means in practice ("means
# drivers can check their loads", "easier to reach without a car").
# A unit word counts only with a quantity ("an hour sooner", "a day earlier"): "a smoother
# day" names no figure.
_FIGURE = (
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty"
    r"|thirty|forty|fifty|sixty|hundred|thousand|million|half|third|quarter|double|twice"
    r"|triple|halved|doubled|tripled|trebled)\b|[£$€%]|\binstead\s+of\b|\bno\s+longer\b"
    r"|\b(?:an?|per|each|every)\s+(?:extra\s+)?(?:second|minute|hour|day|week|month|year)s?"
    r"\s+(?:sooner|earlier|faster|quicker|less|more|saved|back|a\s+\w+)\b|\bpounds|\bpence\b"
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


def _one_per_sentence(
    text: str,
    patterns: GatedPatterns,
    excused: Callable[[re.Match[str]], bool],
    *,
    whole_sentence: bool = False,
) -> Iterator[re.Match[str]]:
    """The first match of ``patterns`` in each sentence of ``text`` that is not excused.

    The search goes on from the end of a flagged sentence, and with ``whole_sentence`` (the
    excuse depends on the sentence alone) from the end of an excused one too, so a sentence
    full of claims is read once."""
    pattern = patterns.pattern_for(text)
    position = 0
    while pattern is not None and (match := pattern.search(text, position)) is not None:
        if not excused(match):
            yield match
        elif not whole_sentence:
            position = match.end()
            continue
        position = max(sentence_end(text, match.end()), match.end())


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

        for match in _one_per_sentence(text, CORPORATE, names_the_agent):
            phrase = match.group(0)
            yield Hit(
                ("messages", index, name),
                f"{phrase!r} is corporate voice: it hides who acts, or says nothing",
                "Say who does what, in the words you would use to a colleague: "
                "'we decided', 'the team will', 'we will tell you by Friday'.",
                (match.start(), len(phrase)),
                text,
            )


def _vague_value(ctx: LintContext) -> Iterator[Hit]:
    for index, _message, name, text in ctx.message_texts():
        concrete = SentenceCues(text, SPECIFIC)

        def made_concrete(match: re.Match[str], concrete: SentenceCues = concrete) -> bool:
            return concrete.present(match.start(), match.end())

        for match in _one_per_sentence(text, VAGUE, made_concrete, whole_sentence=True):
            phrase = match.group(0)
            yield Hit(
                ("messages", index, name),
                f"{phrase!r} claims a benefit without saying how much, or for whom",
                "Give the figure or the before-and-after: who gains what, how much time "
                "or money, compared with what.",
                (match.start(), len(phrase)),
                text,
            )


RULES = (
    Rule(
        "BIZ005",
        "corporate-voice",
        Severity.warning,
        "Passive or corporate voice hides who acts, or says nothing.",
        _corporate_voice,
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
    ),
    Rule(
        "BIZ006",
        "vague-value",
        Severity.warning,
        "A benefit is claimed without a figure, a who or a before-and-after.",
        _vague_value,
        """\
## What it does
Flags claims of benefit that could be said of any change: "improves efficiency", "enhances
productivity", "adds value", "many benefits", "a positive impact", comparatives that claim
a gain ("a better experience", "faster", "smoother", "more reliable", "less hassle", "fewer
headaches") and stock benefit phrases ("takes it to the next level", "peace of mind",
"empowers", "a breeze"), when their sentence gives nothing concrete: no figure or number
word, no unit of time or money, no "instead of" or "no longer", no consequence ("means
drivers can..."); a unit word counts only with a quantity, so "a smoother day" is vague.
One finding per sentence.

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
    ),
)
