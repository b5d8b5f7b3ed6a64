"""IT activity: phrases that say what IT did rather than what it changed for the business.

A phrase is IT activity when it names IT work (an upgrade, a migration, a rollout, a ticket
count, an availability figure) and its sentence says nothing of what changed for people (see
``prose.OUTCOME``). Verbs that are IT work whatever their object (migrate, patch, decommission)
count alone; everyday verbs (install, replace, complete, go live) count only with an IT object
in the same sentence, so "the Leeds depot goes live" or "we deployed two more colleagues" is
not IT activity.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .prose import OUTCOME, Gate, SentenceCues, at_word_start, gate

_COUNT_HINT = (
    "A count of tickets or projects is IT's workload; say what it spared or gained people."
)
ACTIVITY_HINT = "Say what it means for the business: customers served, cost, time or risk."

# Things only IT works on: systems, devices, and IT's own units of work.
IT_OBJECT = re.compile(
    r"\b(?:systems?|servers?|software|platforms?|applications?|apps?|infrastructure|networks?"
    r"|laptops?|desktops?|computers?|devices?|phones?|tablets?|printers?|scanners?|mainframes?"
    r"|e-?mail|mailbox(?:es)?|databases?|backups?|cloud|data\s+cent(?:re|er)s?|firewalls?"
    r"|switch(?:es)?|routers?|access\s+points?|wi-?fi|wireless|intranet|portal|modules?"
    r"|integrations?|interfaces?|clusters?|licen[cs]es?|hardware|versions?|releases?"
    r"|patch(?:es)?|updates?|upgrades?|refresh|migrations?|cutover|rollout|tickets?|incidents?"
    r"|projects?|programmes?|phase|milestones?|microsoft|sharepoint|outlook|office\s*365"
    r"|salesforce|workday|azure|servicenow|jira|firmware|antivirus|operating\s+system"
    r"|exchange\s+online|authentication|passwords?|sign-?ins?|log-?ins?|disaster\s+recovery"
    r"|recovery\s+sites?|fleet|accounts?|tools?|ticketing|failover|restores?|storage|arrays?"
    r"|hosting|web\s?sites?|telephon\w*|appliances?|controllers?|terminals?|batch\s+jobs"
    r"|environments?|workloads?|tenants?|engines?|containers?|identity|directory|internet"
    r"|broadband|cabling|monitoring|conferencing|printer\s+drivers?|drivers?\s+updates?"
    r"|gateways?|index(?:es)?|indices|schemas?|UPS|data\s+rooms?|comms\s+rooms?|configurations?"
    r"|remote\s+access|data\s+warehouse|racks?|storage|code|codebase|stack|terminals?"
    r"|booking\s+engine|publishing\s+(?:system|stack))\b"
    # Names that are everyday words in lower case (windows, teams, it) count only as written.
    r"|\b(?-i:Windows|Teams|IT|PCs?|CRM|ERP|WMS|HRIS|VPN|SAP|AWS|M365|O365|DR)\b",
    re.IGNORECASE,
)


IT_OBJECT = at_word_start(IT_OBJECT)
# The words IT_OBJECT needs: a text with none of them has no IT object to look for.
IT_OBJECT_GATE = gate(
    """
    system* server* software platform* application* app apps infrastructure network*
    laptop* desktop* computer* device* phone* tablet* printer* scanner* mainframe* mail
    email* e-mail* mailbox* database* backup* cloud data_cent firewall* switch switches
    router* access_point* wi-fi wifi wireless intranet portal module* integration* interface*
    cluster* licen* hardware version* release releases patch patches update updates upgrade
    upgrades refresh migration* cutover rollout ticket* incident* project* programme* phase
    milestone* microsoft sharepoint outlook office salesforce workday azure servicenow jira
    firmware antivirus operating exchange authentication password* sign-in* signin* log-in*
    login* disaster recovery fleet account* tool tools ticketing failover restore restores
    windows teams it pc pcs crm erp wms hris vpn sap aws dr m o storage array arrays hosting
    website websites web telephon* appliance* controller* terminal* batch environment*
    workload* tenant* engine* container* identity directory internet broadband cabling
    monitoring conferencing gateway* index indexes indices schema* ups data_room comms_room
    configuration* remote_access data_warehouse rack racks code codebase stack
    """
)


@dataclass(frozen=True)
class Activity:
    pattern: re.Pattern[str]
    hint: str
    needs_object: bool
    gate: Gate


def _activity(
    pattern: str,
    hint: str,
    needs_object: bool,
    triggers: str,
    figures: bool = False,
    also: str = "",
) -> Activity:
    """An activity pattern, run only on texts with one of its ``triggers`` (and, with
    ``also``, one of those too: see ``gate``); unless a branch can begin with a figure
    (``figures``), it is tried only where words start."""
    compiled = re.compile(pattern, re.IGNORECASE)
    chosen = compiled if figures else at_word_start(compiled)
    return Activity(chosen, hint, needs_object, gate(triggers, gate(also) if also else None))


ACTIVITY: tuple[Activity, ...] = (
    _activity(
        r"\bupgrad(?:e|ed|es|ing)\b(?:[^.\n]{0,40}?\bversion\s*\d[\w.]*)?",
        "An upgrade is IT activity; say what people can now do, or no longer suffer.",
        False,
        "upgrad*",
    ),
    _activity(
        r"\bmigrat(?:e|ed|es|ing|ion)\b",
        "A migration is IT activity; say what it saves or makes possible.",
        False,
        "migrat*",
    ),
    _activity(
        r"\b(?:patch(?:ed|ing)|decommission(?:s|ed|ing)?|re-?platform(?:s|ed|ing)?"
        r"|cut-?over|cut\s+over|provision(?:s|ed|ing)?|(?:nightly\s+)?backups|backlog"
        r"|re-?cabl(?:e|es|ed|ing)|switch-?over|change-?over|re-?wr(?:ote|ite|itten|iting)"
        r"|re-?imag(?:e|es|ed|ing)|re-?cod(?:e|es|ed|ing))\b",
        ACTIVITY_HINT,
        False,
        "patch* decommission* platform* re-platform* replatform* cut* provision* backups"
        " backlog cabl* recabl* re-cabl* switchover* switch-over* changeover* change-over*"
        " rewrote rewrite rewritten rewriting re-wrote re-write reimag* re-imag* recod* re-cod*",
    ),
    _activity(
        r"\b(?:deploy(?:s|ed|ing|ment)?|roll(?:s|ed|ing)?\s+out|roll-?out|implement(?:s|ed|ing)?"
        r"|install(?:s|ed|ing)?|configur(?:e|es|ed|ing)|replac(?:e|es|ed|ing)|rebuil(?:t|ds?|ding)"
        r"|refresh(?:es|ed|ing)?|switch(?:es|ed)?\s+off|turn(?:s|ed)?\s+off|shut\s+down"
        r"|retir(?:e|es|ed|ing)|complet(?:e|es|ed|ing|ion)|finish(?:es|ed)?"
        r"|go(?:es|ne)?[- ]live|went\s+live|(?:in|into|to)\s+prod(?:uction)?"
        r"|swap(?:s|ped|ping)?\s+out|roll(?:s|ed|ing)?\s+back|encrypt(?:s|ed|ing)?"
        r"|(?:re-?)?commission(?:s|ed|ing)?|onboard(?:s|ed|ing)?|perform(?:s|ed|ing)?"
        r"|carri(?:ed|es)\s+out|conduct(?:s|ed|ing)?|launch(?:es|ed|ing)?|releas(?:e|es|ed|ing)"
        r"|enabl(?:e|es|ed|ing)"
        r"|consolidat(?:e|es|ed|ing|ion)|(?:stood|stand|stands|spun|spin|set)\s+up"
        r"|appl(?:y|ies|ied)|buil(?:t|ds?)|integrat(?:e|es|ed|ing)|automat(?:e|es|ed|ing)"
        r"|renew(?:s|ed|ing)?|introduc(?:e|es|ed|ing)|moderni[sz](?:e|es|ed|ing)"
        r"|virtuali[sz](?:e|es|ed|ing)|restor(?:e|es|ed|ing)|(?:now\s+)?operational"
        r"|(?:been|were|was|are|is)\s+moved\s+(?:to|onto|into)|(?:is|are)\s+(?:now\s+)?live"
        r"|harden(?:s|ed|ing)?|tun(?:e|es|ed|ing)|(?:brought|brings?|bringing|came|comes?|went)"
        r"\s+(?:\w+\s+){0,4}?online|(?:running|runs|hosted|lives?)\s+in\s+the\s+cloud"
        r"|mov(?:e|ed|es|ing)\s+(?:\w+\s+){0,3}?(?:to|onto|into)\s+the\s+cloud)\b",
        ACTIVITY_HINT,
        True,
        "deploy* roll* rollout* implement* install* configur* replac* rebuil* refresh* switch*"
        " turn* shut* retir* complet* finish* go goes gone went live prod production launch*"
        " releas* enabl* consolidat* stood stand stands spun spin set apply applies applied"
        " built build builds integrat* automat* renew* introduc* moderni* virtuali* restor*"
        " operational moved move moves moving cloud swap* perform* carri* conduct* encrypt*"
        " commission* recommission* onboard* live harden* tune tunes tuned tuning online",
    ),
    _activity(
        r"\b(?:deliver(?:s|ed|ing)?|complet(?:e|es|ed|ing))\s+(?:\w+\s+){0,4}?(?:project"
        r"|programme|phase|upgrade|migration|rollout|release|implementation)s?\b"
        r"|\bsuccessfully\s+\w+ed\b",
        ACTIVITY_HINT,
        False,
        "deliver* complet* successfully",
    ),
    _activity(
        r"\b(?:closed|resolved|handled|fixed|answered|logged|processed|completed|delivered"
        r"|fielded|took|received|raised|managed|dealt\s+with)"
        r"\s+(?:over\s+|more\s+than\s+|nearly\s+|almost\s+)?\d[\d,.]*\s+(?:\w+\s+){0,2}?"
        r"(?:tickets|incidents|calls|requests|changes|projects|releases|jobs)\b"
        r"|\b(?:hit|met|meet|achieved|exceeded|beat)\s+(?:\w+\s+){0,2}?(?:SLAs?|service\s+levels?"
        r"|uptime\s+targets?)\b"
        r"|\b(?:running|on|to)\s+the\s+latest\s+(?:[\w.]+\s+)?(?:version|release|software"
        r"|operating\s+system"
        r"|firmware|patch(?:es)?|updates?|build|framework|platform|technology|tech)\b"
        r"|\b(?:closed|resolved|handled|fixed|answered)\s+\d[\d,.]*\s?%\s+of\s+(?:\w+\s+){0,2}?"
        r"(?:tickets|incidents|calls|requests)\b",
        _COUNT_HINT,
        False,
        "ticket* incident* call* request* change* project* release* job* sla slas service"
        " uptime latest",
    ),
    _activity(
        r"\b\d[\d,.]*\s+(?:tickets|incidents|calls|requests)\s+(?:were\s+)?"
        r"(?:closed|resolved|handled|fixed|answered|logged)\b",
        _COUNT_HINT,
        False,
        "closed resolved handled fixed answered logged",
        figures=True,
    ),
    _activity(
        # done to plan, as the headline: "went ahead as planned", "went smoothly"
        r"\b(?:went|gone|goes|going)\s+(?:ahead\s+)?(?:as\s+planned|to\s+plan|smoothly"
        r"|without\s+a\s+hitch)\b",
        ACTIVITY_HINT,
        True,
        "went gone goes going",
        also="planned plan smoothly hitch",
    ),
    _activity(
        r"\bon\s+time\s+and\s+(?:on\s+)?budget\b|\bbang\s+on\s+schedule\b",
        ACTIVITY_HINT,
        True,
        "budget bang",
    ),
    _activity(
        # "now on version 12"; "put 38 new access points into the east wing"
        r"\b(?:now\s+)?(?:on|to)\s+version\s+\d[\w.]*\b|\bput\s+(?:[\w,-]+\s+){1,5}?(?:in|into)\b",
        ACTIVITY_HINT,
        True,
        "version put",
        also="on to in into",
    ),
    _activity(
        # a spell without failure as the headline: "zero outages for 180 days straight"
        r"\b(?:zero|no)\s+(?:unplanned\s+)?(?:outages?|downtime|incidents?)\s+(?:[\w-]+\s+){0,6}?"
        r"(?:for|in|this|last|all)\s+(?:\d[\d,]*|a\s+(?:full\s+)?(?:year|month|quarter)|week|month"
        r"|quarter|year)\b",
        "Reliability is expected, like the lights being on; say what it protected, such as "
        "orders taken during the peak.",
        False,
        "outage outages downtime incident incidents",
    ),
    _activity(
        # the programme's own bookkeeping as news: "reached its final milestone", "all 17
        # workstreams signed off", "deliverables are green", "handed over to BAU"
        r"\b(?:reached|hit|met|passed|completed|achieved)\s+(?:\w+\s+){0,2}?milestones?\b"
        r"|\bworkstreams?\s+(?:[\w()-]+\s+){0,5}?(?:(?:are|is|was|were|now)\s+){0,2}(?:signed\s+off"
        r"|closed|complete|completed|green|delivered)\b|\bdeliverables\s+(?:are\s+|were\s+)?"
        r"(?:green|complete|delivered|signed\s+off)\b|\bhanded\s+(?:over\s+)?to\s+(?:business-as-usual"
        r"|business\s+as\s+usual|BAU|support|operations|the\s+service\s+desk)\b",
        ACTIVITY_HINT,
        False,
        "milestone milestones workstream workstreams deliverables handed",
    ),
    _activity(
        # "concluded the replacement of", "runs the 2024 edition of", "now runs on the new laptops"
        r"\b(?:concluded|completed|finished|finali[sz]ed|delivered|achieved)\s+(?:the\s+)?"
        r"(?:[\w-]+\s+)?(?:replacement|rollout|roll-out|migration|upgrade|refresh|installation"
        r"|deployment|implementation|transition|decommissioning|consolidation)\b"
        r"|\bruns?\s+(?:on\s+)?the\s+(?:\d{4}\s+edition|latest\s+(?:edition|version|release)"
        r"|new\s+(?:laptops|servers|platform|system|version|release))\b",
        ACTIVITY_HINT,
        False,
        "concluded completed finished finalised finalized delivered achieved run runs",
        also="replacement rollout roll migration upgrade refresh installation deployment"
        " implementation transition decommissioning consolidation edition latest new",
    ),
    _activity(
        r"\b(?:four|five|six) nines\b",
        "Reliability is expected, like the lights being on; say what it protected, such as "
        "orders taken during the peak.",
        False,
        "nines",
    ),
    _activity(
        # A figure starts where its digits start, and its digits are never given back:
        # a long run of digits is read once, not once from each of its digits.
        r"(?<!\d)\d++(?:\.\d++)?\s?%\s+(?:uptime|availability|available)\b|\buptime\b"
        r"|\bavailability\s+(?:\w+\s+){0,3}?(?:was|of|at|reached|hit|stood\s+at)\s+"
        r"(?<!\d)\d++(?:\.\d++)?\s?%"
        r"|\b(?:available|up)\s+(?:for\s+)?(?<!\d)\d++(?:\.\d++)?\s?%\s+of\s+the\s+time\b",
        "Uptime is expected; say what it meant, such as no lost sales during the peak.",
        False,
        "uptime availab* of_the_time",
        figures=True,
    ),
)


# IT as the doer of a finished job ("we've swapped the phone system", "IT rolled back the
# update"), or an IT object that has had something done to it ("laptops are now
# encrypted"): with an IT object in the sentence, any such verb is IT activity.
FALLBACK = _activity(
    r"\b(?:we|we've|(?-i:IT)|(?:our|the)\s+(?:[\w-]+\s+){0,2}?(?:team|engineers|technicians"
    r"|developers|crew)|engineers|technicians|developers)\s+(?:have\s+|has\s+|had\s+)?"
    r"(?:now\s+|just\s+|also\s+|successfully\s+"
    r"|fully\s+|quietly\s+)?(?!(?:asked|listened|heard|talked|learned|learnt|wanted|needed"
    r"|visited|thanked|promised|agreed|decided|noticed|received|noted|invited|welcomed"
    r"|worked|helped|answered|asked|called|emailed|wrote|surveyed|checked\s+with|need|feed"
    r"|suggested|advised|offered|recommended|explained|apologised|apologized"
    r"|speed|proceed|succeed|exceed|bleed|breed|seed|shed|bed|red)\b)"
    r"(?:[a-z][a-z-]*ed|built|rebuilt|ran|set\s+up|shut\s+down|put\s+in|took\s+out)\b"
    r"|\b(?:is|are|was|were|been|being)\s+(?:now\s+|fully\s+|all\s+|successfully\s+)?"
    r"(?!(?:closed|opened|delivered|paid|printed|shipped|answered|trained|told|asked"
    r"|based|located|needed|required|used|allowed|expected|affected|lost|checked|booked"
    r"|published|chosen|agreed|granted|placed|held|scheduled|planned|approved|signed"
    r"|funded|welcomed|praised|voted|asked|invited|missed|declined|rejected|refused|denied"
    r"|recorded|guessed|hacked|attacked|compromised|phished|breached|infected|targeted"
    r"|reported|flagged|stolen|leaked|exposed|spoofed|scammed|blocked|banned|barred|prohibited"
    r"|forbidden|restricted)\b)"
    r"(?:[a-z][a-z-]*ed|built|rebuilt|set\s+up|shut\s+down)\b",
    ACTIVITY_HINT,
    True,
    "we it our team teams crew engineers technicians developers is are was were been being",
)


# Work said not to happen is not work done: "please don't install", "nothing is switched off",
# "the decision to replace", "the wiring needs replacing"; after an article it is an adjective
# ("an encrypted stick").
_NOT_DONE = re.compile(
    r"\b(?:not|never|don['\u2018\u2019]t|do\s+not|won['\u2018\u2019]t|will\s+not|nothing(?:\s+(?:is|was"
    r"|will\s+be|gets?))?|needs?|need\s+to\s+be|due\s+to\s+be|waiting\s+to\s+be"
    r"|(?:decision|decided|plans?|proposal|agreed|chose|choose|asked\s+us)\s+to"
    r"|(?:can['\u2018\u2019]t|cannot|won['\u2018\u2019]t|will\s+not)\s+(?:let|allow)(?:\s+\w+){0,2}?(?:\s+to)?)\s+"
    r"(?:be\s+|been\s+|being\s+|yet\s+)?$"
    # work the business did itself: "300 volunteers have finished it"
    r"|\b(?:volunteers|colleagues|staff|students|drivers|nurses|managers|customers|members"
    r"|pickers|teachers|patients|guests|residents)\s+(?:have\s+|has\s+|had\s+)?"
    r"(?:already\s+|now\s+|all\s+)?$",
    re.IGNORECASE,
)


_ALL = (*ACTIVITY, FALLBACK)
_ARTICLE = re.compile(r"\b(?:a|an|the|your|our|their|its|this|these|those|every|each|any|no)\s+$")


def _not_done(text: str, match: re.Match[str]) -> bool:
    before = max(0, match.start() - 36)
    if match.group(0).endswith("ed") and _ARTICLE.search(text, before, match.start()):
        return True
    return _NOT_DONE.search(text, before, match.start()) is not None


def could_be_activity(text: str, start: int, end: int) -> bool:
    """Whether the sentence ``text[start:end]`` could report IT activity: it holds a word IT
    work starts from (an IT object, a word an activity pattern needs) and no outcome."""
    sentence = text[start:end]
    if OUTCOME.search(sentence):
        return False
    return IT_OBJECT_GATE.opens(sentence) or any(a.gate.opens(sentence) for a in _ALL)


def find_activity(text: str) -> Iterator[tuple[re.Match[str], str]]:
    """Each IT-activity phrase in ``text`` whose sentence says nothing of an outcome."""
    outcome = SentenceCues(text, OUTCOME)
    it_object = SentenceCues(text, IT_OBJECT)
    objects = IT_OBJECT_GATE.opens(text)
    flagged: set[tuple[int, int]] = set()
    for activity in (*ACTIVITY, FALLBACK):
        if activity.needs_object and not objects:
            continue
        if not activity.gate.opens(text):
            continue
        for match in activity.pattern.finditer(text):
            if activity.needs_object and not it_object.present(match.start(), match.end()):
                continue
            if outcome.present(match.start(), match.end()) or _not_done(text, match):
                continue
            sentence = outcome.span(match.start(), match.end())
            if activity is FALLBACK and sentence in flagged:
                continue  # the fallback only finds what the named patterns missed
            flagged.add(sentence)
            yield match, activity.hint
