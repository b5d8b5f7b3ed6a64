"""The shapes of a flat refusal (ANS001): what is withheld, by whom, in which words.

``REFUSALS`` and ``MORE_REFUSALS`` are gated patterns (``prose.GatedPatterns``): each part
runs only on texts holding one of its trigger words. ``answer_rules`` decides which matches
are refusals with no reason and no other way.
"""

from __future__ import annotations

import re

from .prose import Gate, GatedPatterns, Part, gate

BE_WORDS = ("is", "are", "was", "were", "be", "been", "being", "gets", "get", "remains", "remain")
_BE = "(?:" + "|".join(BE_WORDS) + ")"
# What a refusal says is not given: "not permitted", "isn't provided", "no longer an option".
_GRANTED = (
    r"allowed|permitted|approved|supported|authori[sz]ed|granted|accepted|given|possible"
    r"|provided|offered|issued|funded|available|tolerated|entertained|accommodated|eligible"
    r"|entitled|covered|an?\s+(?:\w+\s+)?(?:option|choice)|on\s+offer|something\s+(?:we|IT)\b"
)
# A negated "be": "is not", "aren't", "we're not", "it's not" (each from a word's start).
_BE_NOT = (
    r"(?:(?:is|are|was|were|am)(?:\s+not|n['\u2018\u2019]t)"
    r"|(?:we|you|they|it|that|this|i)['\u2018\u2019](?:re|s|m)\s+not)"
)
# The -ing of withholding: "won't be approving", "are not accepting".
_GRANTING = (
    r"approving|allowing|permitting|supporting|accepting|granting|installing|providing"
    r"|offering|issuing|funding|adding|enabling|renewing|reinstating|extending|buying|ordering"
    r"|processing|considering|taking\s+(?:on|any)|making\s+(?:any\s+|more\s+)*exceptions?"
)
# A participle after a negated modal: "must never be used", "cannot be accommodated".
_PARTICIPLE = (
    r"\w+ed|given|taken|done|made|shown|seen|kept|sent|brought|put|set|held|met|paid|bought"
    r"|granted|written|read|run|left|lent|sold|told|built|found|got|gotten"
)
_HARMLESS = (
    r"affected|disrupted|interrupted|lost|charged|billed|needed|required|asked|expected"
    r"|changed|impacted|touched|shared\s+with\s+anyone|sold|kept\s+waiting|late|long|able"
    r"|left\s+(?:out|behind|waiting)|missed|forgotten|harmed|delayed|deleted|moved"
)
_REFUSED = (
    r"prohibited|forbidden|banned|barred|blocked|disabled|restricted|rejected|refused"
    r"|declined|denied|disallowed|unsupported|inaccessible|revoked|withdrawn|suspended"
    r"|ineligible|unsuccessful|confiscated|quarantined|shelved|scrapped|axed"
    r"|stripped\s+out|(?:removed|deleted)\s+(?:automatically|without)"
    r"|(?:put\s+|kept\s+)?on\s+hold\s+indefinitely"
    r"|(?:not|no\s+longer)\s+(?:being\s+)?(?:" + _GRANTED + r")"
    r"|(?:switched|turned|shut)\s+off\s+for\s+(?:all|every|everyone|staff|colleagues|you)"
)
# What a refusal withholds: permission, support or supply.
_GRANT = (
    r"allow|permit|support|approve|accept|grant|install|use|connect|share|provide|offer|issue"
    r"|give|add|enable|open|download|bring|plug|store|send|forward|keep|buy|order|fund"
    r"|reinstate|extend|renew|process|action|make\s+exceptions?|entertain|accede|honou?r"
)
_REFUSAL = (
    # "is prohibited", "will be rejected", "are not supported"; not "the blocked exit"
    rf"\b{_BE}\s+(?:now\s+|also\s+|strictly\s+|completely\s+|automatically\s+)?"
    rf"(?:{_REFUSED})\b"
    r"|\b(?:access|request|permission)\s+(?:is\s+)?denied\b"
    r"|\b(?:not\s+(?:allowed|permitted)|against\s+(?:[\w-]+\s+){0,3}?polic(?:y|ies)"
    r"|polic(?:y|ies)\s+(?:does|do)\s*(?:n[o']t)\s+"
    r"(?:allow|permit)|for\s+(?:security|compliance)\s+reasons|(?:due\s+to\s+)?security"
    r"\s+concerns"
    r"|(?:not\s+able|unable)\s+to\s+(?:support|offer|provide|allow|approve|install|give|accept"
    r"|accede|entertain|honou?r|agree\s+to|sanction"
    r"|grant|add|help\s+with)"
    rf"|(?:cannot|can't|will\s+not|won't|may\s+not|must\s+not|should\s+not|shall\s+not"
    rf"|not\s+to|never)\s+(?:{_GRANT})"
    r"|(?:cannot|can't|will\s+not|won't)\s+(?:do|have(?!\s+to\b)|make\s+an\s+exception|let)"
    r"|turn(?:s|ed|ing)?\s+down|(?:be|been|being)\s+turned\s+down|under\s+no\s+circumstances"
    r"|decided\s+not\s+to|no\s+more\s+exceptions|not\s+being\s+(?:created|issued|offered"
    r"|provided|accepted|approved|supported|renewed|replaced|added|installed)"
    r"|stopped\s+(?:supporting|offering|providing|issuing|accepting|allowing|approving)"
    r"|no\s+longer\s+(?:support|offer|provide|issue|accept|allow|approve|create|install)s?"
    r"|only\s+(?:be\s+)?(?:granted|allowed|permitted|approved|given)\s+(?:in|for|with|to|if|when)"
    r"|not\s+something\s+(?:we|IT)\s+(?:can|will|are\s+able\s+to)"
    r"|(?:do\s+not|does\s+not|don't|doesn't)\s+(?:allow|permit|support|accept|approve|offer"
    r"|provide|issue|install)|must\s+not|may\s+not\s+be\s+(?:used|connected"
    r"|installed|shared|taken|brought|plugged|added|stored|sent)"
    r"|no\s+exceptions|off[- ]limits|do\s+not\s+ask|(?:says?|said|answer\s+is|is\s+a)\s+no)\b"
    # an order not to: "Do not request personal printers."
    rf"|(?:^|(?<=[.!?]\s)|(?<=\n))(?:please\s+)?(?:do\s+not|don't|never)\s+(?:request|ask\s+for"
    rf"|{_GRANT})\b"
    # a bare "No." as an answer ("No, the depot is not closing" is an answer, not a refusal)
    r"|(?:^|(?<=[.!?]\s)|(?<=\n))no(?=\s*[.!]|\s*$)"
    # "No, we will not be changing this." ("No, the depot is not closing" answers a question)
    r"|(?:^|(?<=[.!?]\s)|(?<=\n))no,\s+(?:we|IT|that|this|you|it)\b"
    r"(?=[^.!?\n]{0,40}?(?:\bnot\b|n['\u2018\u2019]t\b|\bnever\b|\bcannot\b))"
)
# What is withheld, said with a negation or a limit: "isn't permitted", "must never be used",
# "won't be approving", "nobody may", "only approved apps may", "off the table".
_WITHHELD = (
    r"\b(?:"
    # a negated modal passive: "must never be used", "cannot be accommodated"
    r"(?:cannot|can\s+not|can['\u2018\u2019]t|(?:can|may|must|should|shall)(?:\s+not|n['\u2018\u2019]t|\s+never))"
    r"\s+be\s+(?!(?:" + _HARMLESS + r")\b)(?:" + _PARTICIPLE + r")"
    # "will not be used for marketing" reassures
    r"|(?:will(?:\s+not|\s+never)|won['\u2018\u2019]t)\s+be\s+(?!(?:"
    + _HARMLESS
    + r"|used\s+for)\b)"
    r"(?:" + _PARTICIPLE + r")"
    # "isn't permitted", "are not being accepted", "we're not in a position to"
    r"|"
    + _BE_NOT
    + r"\s+(?:\w+ly\s+|now\s+|currently\s+|still\s+)?(?:being\s+)?(?:"
    + _GRANTED
    + r"|in\s+a\s+position\s+to|going\s+to\s+happen)"
    r"|(?:won['\u2018\u2019]t|will\s+not|" + _BE_NOT + r")\s+(?:be\s+)?(?:" + _GRANTING + r")"
    r"|not\s+in\s+a\s+position\s+to|off\s+the\s+(?:table|cards)|out\s+of\s+the\s+question"
    r"|not\s+on\s+the\s+(?:table|cards|agenda)"
    r"|(?:answer|decision)\s+(?:is|remains|stays|was)\s+(?:still\s+|always\s+)?(?:a\s+)?no"
    r"|(?:nobody|no\s+one|no-one|no\s+(?:member\s+of\s+)?(?:staff|colleague|employee)s?)"
    r"\s+(?:\w+\s+)?(?:may|can|is\s+(?:allowed|permitted)|should|must)"
    r"|only\s+(?:[\w-]+\s+){1,3}?(?:may|(?:is|are)\s+(?:allowed|permitted)\s+to)"
    r"|(?:you|staff|colleagues|employees|anyone|people)\s+(?:can['\u2018\u2019]t|cannot|may\s+not"
    r"|must\s+not|mustn['\u2018\u2019]t|(?:are\s+not|aren['\u2018\u2019]t)\s+(?:allowed|permitted)\s+to)"
    r"|(?:requests?|applications?|registrations?|sign-?ups?)\s+(?:for\s+[\w-]+\s+)?"
    r"(?:are|is)\s+(?:now\s+)?closed"
    # saying no in other words: "we're saying no to", "decided against", "not up for discussion"
    r"|(?:say(?:s|ing)?|said)\s+no\s+to|(?:decided|chosen|opted|elected)\s+(?:against|not\s+to)"
    r"|(?:declin|refus)(?:e|es|ed|ing)\s+to|not\s+up\s+for\s+(?:discussion|debate|negotiation)"
    r"|(?:non|not)[- ]negotiable|not\s+to\s+be\s+\w+ed|full\s+stop"
    r"|(?:can['\u2018\u2019]t|cannot|won['\u2018\u2019]t|will\s+not|" + _BE_NOT + r")\s+(?:be\s+)?"
    r"(?:go(?:ing)?\s+ahead|happen(?:ing)?|return(?:ing)?|coming\s+back)"
    r"|(?:not|n['\u2018\u2019]t)\s+going\s+to\s+(?!(?:lose|notice|need|have|miss|see|feel|change"
    r"|affect|be\s+(?:affected|charged|asked|needed|any))\b)(?:be\s+)?\w+"
    r"|(?:don['\u2018\u2019]t|do\s+not)\s+do|(?:can['\u2018\u2019]t|cannot)\s+help(?!\s+(?:but|noticing))"
    r"|(?:access|support|licen[cs]es?|rights|permissions?)\s+(?:[\w-]+\s+){0,4}?(?:has|have|will"
    r"|is|are)\s+(?:now\s+)?(?:ended|end|ending|expired|gone)"
    r")\b"
)
_REFUSAL_GATE = gate(
    """
    prohibited forbidden banned barred blocked disabled restricted rejected refused declined
    denied not can cannot won don doesn never unable exception exceptions exceptional turn turned
    turns turning circumstances stopped no only off polic* security compliance concerns must
    may answer says said should shouldn shall mustn isn aren wasn weren nobody disallowed
    unsupported inaccessible revoked withdrawn suspended ineligible table question cards
    position closed decision unsuccessful confiscated quarantined shelved scrapped axed
    stripped removed deleted hold
    """
)
# The shape of a no, beyond the phrases above: a refusing word after a copula of state
# ("stay disabled", "is locked", "remains shut"), IT (or another decider) refusing in the
# active voice ("we have rejected", "the team cannot reset"), a no as a noun ("a firm no",
# "the answer on X is no", "there's no way", "a no-go"), "no new X will be created", access
# taken away, and the closers of argument ("end of discussion").
_STATE_VERB = r"(?:stays?|stayed|remains?|remained|(?:will|must|shall)\s+(?:stay|remain)|kept)"
_LOCKED = r"locked(?:\s+down)?(?!\s+out)|off[- ]limits|out\s+of\s+bounds"
_SHUT = (
    _LOCKED + r"|shut|closed\s+to\s+(?:\w+\s+){0,2}?(?:staff|colleagues|everyone|all|you|stores?"
    r"|contractors|visitors|new\s+\w+)"
)
_DECIDER = (
    r"(?:we|we've|i|IT|security|the\s+(?:[\w-]+\s+){0,2}?(?:team|desk|board|committee|panel|CIO"
    r"|CTO|CISO|CFO|director|head|council|cabinet)"
    r"|management)"
)
_CAN_NOT = (
    r"(?:cannot|can\s+not|can['\u2018\u2019]t|can\s+no\s+longer|(?:is|are|am)\s+(?:not|no\s+longer)"
    r"\s+able\s+to|(?:are|is|am)\s+unable\s+to|(?:is|are)n['\u2018\u2019]t\s+able\s+to|(?:['\u2018\u2019]re|['\u2018\u2019]m)\s+(?:not|no\s+longer)"
    r"\s+able\s+to|won['\u2018\u2019]t|will\s+not|(?:will\s+)?no\s+longer(?=\s+(?:"
    + _GRANT
    + r"|lend|stock|sell|take|do)\b)|do\s+not|don['\u2018\u2019]t"
    r"|does\s+not|doesn['\u2018\u2019]t)"
)
# The people a rule can be laid on: "students can no longer print", "drivers may not".
_PEOPLE = (
    r"you|staff|colleagues|employees|anyone|people|managers|leaders|drivers|pickers|cashiers"
    r"|contractors|visitors|everyone|students|pupils|teachers|nurses|doctors|patients|guests"
    r"|volunteers|members|tenants|residents|customers|clients|suppliers|temps|agency\s+staff"
    r"|stores|depots|teams|branches|shops|sites|departments|interns|trainees|partners"
)
# What IT doing nothing for you reassures about, rather than refuses: "we won't lose", "we
# can't wait", "we no longer need you to".
_REASSURES = (
    r"lose|notice|need|have|miss|see|change|affect|charge|ask|forget|wait|stop|know|expect"
    r"|be\s+(?:affected|charged|asked|needed|late|long|away|closed)|go\s+down|take\s+long"
    r"|think|want|require|mind|worry|use\s+(?:your|any)\s+(?:personal|data)"
)
_NEGATION = r"(?:not|n['\u2018\u2019]t|never|no\s+longer)"
# What a rule on people reassures about: "you won't need to", "staff will not lose".
_PEOPLE_REASSURES = (
    r"lose|notice|need|have\s+to|miss|wait|worry|mind|be\s+(?:affected|charged|asked|needed"
    r"|late|long)|see\s+any|find"
)
# Each shape of a flat no with the words that must be in a text for it to match, so that the
# pattern runs only on texts that can hold one (a text full of "we will" and "no" is common).
_FLAT = {
    # "stay disabled", "remains shut", "is locked", "kept off"
    "flat_state": (
        r"\b(?:" + _STATE_VERB + r"\s+(?:\w+ly\s+)?(?:" + _REFUSED + "|" + _SHUT + r"|off"
        r"|(?:switched|turned|shut)\s+off|un[a-z]{3,}(?:ed|able))"
        r"|(?:is|are|was|were|be|been|being)\s+(?:now\s+|still\s+|permanently\s+)?(?:"
        + _LOCKED
        + r"))\b",
        gate("stay stays stayed remain remains remained kept locked off-limits bounds"),
    ),
    # "we have rejected", "we are declining", "turned away"
    "flat_decider": (
        r"\b(?:" + _DECIDER + r"\s+(?:(?:have|has|had)\s+)?(?:now\s+|already\s+)?(?:rejected"
        r"|refused|declined|denied|vetoed|banned|barred|blocked|withdrawn|revoked|disallowed"
        r"|turned\s+down)"
        r"|" + _DECIDER + r"\s+(?:are|is|am|['\u2018\u2019]re)\s*(?:now\s+)?(?:declining|refusing"
        r"|rejecting|turning\s+(?:down|away)|blocking|banning|barring|withdrawing|revoking)"
        r"|turned\s+away)\b",
        gate(
            """
            rejected refused declined denied vetoed banned barred blocked withdrawn revoked
            disallowed turned declining refusing rejecting turning blocking banning barring
            withdrawing revoking
            """
        ),
    ),
    # "the team cannot reset", "we're not able to", "staff aren't to use", "not prepared to"
    "flat_cannot": (
        r"\b(?:" + _DECIDER + r"\s+" + _CAN_NOT + r"\s+(?!(?:" + _REASSURES + r")\b)[a-z]+"
        r"|(?:we|i)['\u2018\u2019](?:re|m)\s+(?:not|no\s+longer)\s+able\s+to"
        r"|(?:"
        + _PEOPLE
        + r")\s+(?:may|can|must|are|is)\s*"
        + _NEGATION
        + r"\s+(?:to\s+|be\s+allowed\s+to\s+)?(?!(?:"
        + _PEOPLE_REASSURES
        + r")\b)[a-z]+"
        r"|(?:not|un)\s*(?:prepared|willing|in\s+a\s+position)\s+to"
        r"|(?:is|are|was|were|be)\s+no\s+longer\s+(?!(?:" + _HARMLESS + "|" + _REFUSED + r")\b)"
        r"(?:" + _PARTICIPLE + r")(?:\s+out)?"
        r"|(?:is|are)\s+(?:\w+ly\s+)?not\s+(?!(?:" + _HARMLESS + r"|available|suitable"
        r"|affordable|noticeable|reliable|comfortable|valuable|payable)\b)\w+(?:able|ible)"
        r"|(?:not|never)\s+(?:on\s+offer|to\s+be\s+\w+ed)|not\s+an\s+option)\b",
        gate(
            "cannot won don doesn aren isn unable mustn t longer never not_able will_not "
            "can_not do_not does_not may_not must_not are_not is_not prepared willing "
            "unwilling position not_an not_on",
        ),
    ),
    # a no as a noun: "a firm no", "the answer on X is no", "there's no way", "a no-go",
    # "no new drives will be created", "nobody gets", "end of discussion"
    "flat_no": (
        r"\b(?:(?:a|an)\s+(?:firm|flat|hard|definite|clear|straight|big|categorical|polite)"
        r"\s+no|(?:answer|decision|verdict)\s+(?:[\w'-]+\s+){0,6}?(?:is|was"
        r"|remains|stays)\s+(?:still\s+|always\s+|simply\s+)?(?:a\s+)?no"
        r"|there(?:['\u2018\u2019]s|\s+is)\s+no\s+way\s+(?:we|IT|you|to)|no[- ]go"
        r"|no\s+(?:new|more|further|additional|extra)\s+(?:[\w-]+\s+){1,3}?(?:will|can|may"
        r"|shall)\s+be\s+(?!(?:" + _HARMLESS + r")\b)(?:" + _PARTICIPLE + r")"
        r"|(?:nobody|no\s+one|no-one)\s+(?:[\w-]+\s+){0,3}?gets"
        r"|end\s+of\s+(?:discussion|story|debate|conversation))\b",
        gate(
            """
            firm_no flat_no hard_no definite_no straight_no categorical_no polite_no clear_no
            big_no answer decision verdict no_way no-go no_new no_more no_further
            no_additional no_extra nobody no_one no-one end_of
            """,
            gate("no nobody no-go no-one end_of"),
        ),
    ),
    # access taken away: "your access has been removed", "licences were cancelled"
    "flat_access": (
        r"\b(?:access|rights|permissions?|licen[cs]es?|accounts?)\s+(?:[\w-]+\s+){0,5}?(?:has"
        r"|have|was|were|is|are|will\s+be)\s+(?:now\s+)?(?:been\s+)?(?:removed|taken\s+away"
        r"|cancell?ed|switched\s+off|turned\s+off|closed|ended|stopped|locked)\b",
        gate(
            "access rights permission permissions licence licences license licenses account "
            "accounts",
            gate("removed away cancelled canceled switched turned closed ended stopped locked"),
        ),
    ),
}
# More shapes of a flat no: an elliptic no ("Not happening.", "Printers: no."), an apology
# that withholds ("Sorry, but that model is not one we buy"), an order to stop ("refrain
# from", "please stop asking"), a negated grant in the perfect or with "get" ("has not been
# approved", "does not get approved"), people told what they do not get, a thing that may
# not leave, a no that closes the matter ("period", "for good"), and a negative answer.
_GRANTED_PERFECT = _GRANTED + r"|signed\s+off|agreed|sanctioned|authori[sz]ed|okayed|green-?lit"
_NOT = "not never hasn haven hadn don doesn won t"
# Each with the words it needs (see ``gate``): a part whose words are everywhere would run on
# every text.
_MORE: dict[str, tuple[str, Gate]] = {
    # "Sorry, but that model is not one we buy", "unfortunately we can't"
    "apology": (
        r"(?:sorry|unfortunately|regrettably|(?:i|we)['\u2018\u2019]?m\s+afraid|(?:i|we)\s+(?:am|are)"
        r"\s+afraid|we\s+regret|alas)\b[^.!?\n]{0,80}?(?:\b(?:not|never|cannot|unable"
        r"|unsuccessful|declined|rejected|refused|denied)|n['\u2018\u2019]t)",
        gate("sorry unfortunately regrettably afraid regret alas"),
    ),
    # "refrain from", "Please stop asking"
    "stop_asking": (
        r"refrain(?:s|ed|ing)?\s+from|(?:^|(?<=[.!?:;]\s)|(?<=\n))(?:please\s+|kindly\s+)?"
        r"(?:stop|quit|cease)"
        r"\s+(?!(?:by|in|at|and|to|for)\b)[a-z]+ing",
        gate("refrain* stop quit cease"),
    ),
    # "has not been approved", "does not get approved", "contractors do not get accounts"
    "not_granted": (
        r"(?:has|have|had)(?:\s+not|n['\u2018\u2019]t|\s+never)\s+been\s+(?:"
        + _GRANTED_PERFECT
        + r")"
        r"|(?:do\s+not|does\s+not|don['\u2018\u2019]t|doesn['\u2018\u2019]t|won['\u2018\u2019]t|will\s+not|never)"
        r"\s+(?:get|gets|be\s+getting)\s+(?:" + _GRANTED_PERFECT + r")"
        r"|(?:" + _PEOPLE + r")\s+(?:do\s+not|don['\u2018\u2019]t|does\s+not|doesn['\u2018\u2019]t"
        r"|won['\u2018\u2019]t|will\s+not)\s+(?:be\s+)?(?:get(?:ting)?|receiv(?:e|ing)"
        r"|hav(?:e|ing)\s+(?:access|rights|admin)|keep(?:ing)?|qualify(?:ing)?)\b"
        r"|(?:will|can|may|must|shall)\s+no\s+longer\s+be\s+(?!(?:" + _HARMLESS + r")\b)"
        r"(?:" + _PARTICIPLE + r")",
        gate(
            _NOT + " longer",
            gate("been get gets getting receive receiving have having keep keeping qualify* be"),
        ),
    ),
    # "not one we buy", "the answer ... is negative", "IT turned the idea down", "cut to zero"
    "no_as_answer": (
        r"not\s+(?:one|something|a\s+thing|an?\s+[\w-]+)\s+(?:that\s+)?(?:we|IT)\s+(?:buy"
        r"|support|offer|stock|allow|do|fund|provide|approve|install|sell|issue)"
        r"|(?:answer|response|reply|verdict|decision)\s+(?:[\w'-]+\s+){0,10}?(?:is|was|remains"
        r"|stays)\s+(?:a\s+)?negative"
        r"|" + _DECIDER + r"\s+(?:(?:have|has|had)\s+)?turned\s+(?:[\w'-]+\s+){1,8}?down"
        r"|cut\s+to\s+(?:zero|nothing|nil)"
        r"|(?:position|stance|answer|policy|decision)\s+(?:has\s+not|hasn['\u2018\u2019]t)\s+changed",
        gate(
            "negative down zero nil changed from",
            gate(
                "not one something thing negative"
                " turned cut no position stance answer policy decision"
            ),
        ),
    ),
    # a no said as a noun or an idiom: "that's a no", "a hard pass", "a non-starter", "not on
    # my watch", "forget about", "passing on the idea", "shall proceed no further"; each shape
    # with the words it needs, so that "no" or "without" alone open none of them
    "a_no": (
        r"(?:that|it|this)['\u2018\u2019]s\s+a\s+(?:\w+\s+)?no\b|a\s+no\s+from|no,\s+no,?\s+and\s+no",
        gate("no", gate("s from and")),
    ),
    "pass": (
        r"(?:a\s+)?(?:hard|firm|polite|big)\s+pass\b|(?:passing|pass|passed)\s+on\s+(?:the|this"
        r"|that|your|an?)\s+(?:[\w-]+\s+){0,3}?(?:idea|request|proposal|offer|suggestion|plan)",
        gate(
            "pass passing passed",
            gate("hard firm polite big idea request proposal offer suggestion plan"),
        ),
    ),
    "idiom": (
        r"non-?starter|not\s+on\s+my\s+watch|over\s+my\s+dead\s+body|not\s+in\s+a\s+million"
        r"\s+years|dead\s+in\s+the\s+water|(?:^|(?<=[.!?:;]\s)|(?<=\n))forget\s+(?:about|it)"
        r"|out\s+of\s+scope|(?:politely|firmly|respectfully)\s+(?:declined|rejected|refused"
        r"|denied)",
        gate("non-starter nonstarter watch dead million forget scope politely firmly respectfully"),
    ),
    "no_further": (
        r"(?:proceed|go|progress)\s+no\s+further",
        gate("further", gate("proceed go progress")),
    ),
    "parked": (
        r"park(?:ed|ing)?\s+(?:the|this|that|your)\s+(?:[\w-]+\s+){0,3}?(?:idea|request|plan"
        r"|proposal)[^.!?\n]{0,30}?\bpermanently",
        gate("permanently", gate("park parked parking")),
    ),
    "without_action": (
        r"(?:requests?|applications?|tickets?)\s+(?:[\w-]+\s+){0,3}?without\s+(?:action|reply"
        r"|review|response)|without\s+action",
        gate("without", gate("action reply review response")),
    ),
    # "no downloading programs", "no streaming on the tills"
    "no_doing": (
        r"no\s+(?:more\s+)?(?:downloading|installing|using|bringing|plugging|streaming|sharing"
        r"|printing|connecting|charging|forwarding|storing|copying|posting|eating|drinking"
        r"|smoking|gaming|borrowing|lending)\b",
        gate(
            "no",
            gate(
                "downloading installing using bringing plugging streaming sharing"
                " printing connecting charging forwarding storing copying posting eating drinking"
                " smoking gaming borrowing lending"
            ),
        ),
    ),
    # "don't ask the desk to", "don't bother asking", "we'd rather not", "neither ... nor ... may"
    "dont_ask": (
        r"(?:do\s+not|don['\u2018\u2019]t)\s+(?:bother|ask|request)",
        gate("bother ask request", gate("don do")),
    ),
    "no_point": (r"no\s+point\s+asking", gate("point", gate("asking"))),
    "rather_not": (
        r"(?:we['\u2018\u2019]d|we\s+would|i['\u2018\u2019]d|i\s+would)\s+rather\s+not",
        gate("rather"),
    ),
    "neither": (
        r"neither\b[^.!?\n]{1,60}?\bnor\b[^.!?\n]{1,60}?\b(?:may|can|must|should|will|are|is)\b",
        gate("neither", gate("nor")),
    ),
    # "will not be possible"
    "impossible": (
        r"(?:will|would)\s+not\s+be\s+(?:possible|allowed|permitted|available|feasible)"
        r"|won['\u2018\u2019]t\s+be\s+(?:possible|feasible)",
        gate("not won", gate("possible allowed permitted available feasible")),
    ),
    # "switched off colour printing for all", "will stop supporting", "we have stopped lending"
    # "switched off colour printing for all", "will stop supporting", "we have stopped lending"
    "off_for_all": (
        r"(?:switched|turned|shut)\s+off\s+(?:[\w-]+\s+){1,3}?for\s+(?:all|every|everyone|staff"
        r"|colleagues|you)",
        gate("switched turned shut", gate("off")),
    ),
    "stop_giving": (
        r"stop(?:s|ping)?\s+(?:supporting|offering|providing|issuing|accepting|allowing"
        r"|approving|lending|funding|buying|ordering|renewing|stocking)",
        gate(
            "stop stops stopping",
            gate(
                "supporting offering providing issuing accepting"
                " allowing approving lending funding buying ordering renewing stocking"
            ),
        ),
    ),
    # "we stopped losing orders" is good news
    "stopped": (
        _DECIDER + r"\s+(?:(?:have|has|had)\s+)?stopped\s+(?!(?:los|wast|drop|crash"
        r"|fail|miss|freez|break|leak|duplicat|overcharg|charg|delay|spam|print|send|wait"
        r"|guess)\w*)[a-z]+ing",
        gate("stopped"),
    ),
    # a thing that may not leave: "store laptops can't leave the building"
    "stays_put": (
        r"(?:cannot|can\s+not|can['\u2018\u2019]t|may\s+not|must\s+not|mustn['\u2018\u2019]t|must\s+never)"
        r"\s+(?:leave|go\s+home|be\s+taken\s+(?:home|out|off)|be\s+removed\s+from)",
        gate("leave home taken removed"),
    ),
    # a no that closes the matter: ", period.", "no ifs", "that's final", "for good"
    "closed_matter": (
        r"(?<=,\s)period(?=\s*[.!]|\s*$)|no\s+ifs|no\s+buts|(?:and\s+)?that['\u2018\u2019]s\s+final"
        r"|(?:closed|shut|gone|off|over|ended|removed|banned|blocked|disabled)\s+(?:for\s+good"
        r"|permanently|once\s+and\s+for\s+all)"
        r"|permanently\s+(?:closed|shut|removed|banned|blocked|disabled|withdrawn"
        r"|switched\s+off)",
        gate("period ifs buts final good permanently once"),
    ),
}
REFUSALS = GatedPatterns(
    (
        Part("refusal", _REFUSAL, _REFUSAL_GATE),
        *(Part(name, pattern, opens) for name, (pattern, opens) in _FLAT.items()),
        Part(
            "withheld",
            _WITHHELD,
            gate(
                """
                not t never cannot unable nobody no_one no-one no_staff no_colleague
                no_member no_employee only table question cards answer decision closed
                position disallowed say says saying said decided chosen opted elected
                declin* refus* negotiable non-negotiable stop access support licen* rights
                permissions
                """
            ),
        ),
    ),
    re.IGNORECASE | re.MULTILINE,
)
# The shapes of _MORE apart: in one union with the parts above, each mix of open gates would
# compile its own copy of the long patterns above.
MORE_REFUSALS = GatedPatterns(
    tuple(Part(name, rf"\b(?:{pattern})\b", opens) for name, (pattern, opens) in _MORE.items()),
    re.IGNORECASE | re.MULTILINE,
)
