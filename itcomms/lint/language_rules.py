"""BIZ: business language. Say what IT's work means for the business, in the business's words."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .activity import ACTIVITY_HINT, could_be_activity, find_activity
from .base import Hit, LintContext, Rule, Severity
from .jargon import build_lexicon
from .reader import read_with

_USER = re.compile(r"\b(?:end[- ])?users?\b", re.IGNORECASE)


# After a term, what explains it: "VPN, the secure link that lets you...", "EPR, the
# electronic patient record,", "SLA or service level agreement", "CAB (the change board)",
# "RPO, which means...", "MFA stands for"; not a list ("the VPN, the tills and the printers")
# nor what it does ("the CMDB, which cuts the time").
_EXPLAINED_AFTER = re.compile(
    r"\s*\(|\s*[,\u2013\u2014-]\s*(?:(?:which|that)\s+(?:means|is|stands\s+for)|meaning|i\.e\."
    r"|short\s+for|in\s+other\s+words)\b"
    r"|\s+(?:stands\s+for|is\s+short\s+for)\b"
    r"|\s*,\s+(?:the|a|an|our|your)\s+(?:(?!and\b)[^,.;:!?\n])*?(?:\b(?:that|which|who|where)\b|,)"
    r"|\s+or\s+(?:the\s+)?[a-z]+(?:\s+[a-z]+){1,3}\b(?=\s*[,.;)]|\s+(?!and\b)[a-z]+\b)",
)
_EXPLAINED_BEFORE = re.compile(r"\b(?:known\s+as|called|short\s+for)\s+(?:the\s+)?$", re.I)


def _explained(text: str, start: int, end: int) -> bool:
    """'SSO (one sign-in for everything)', 'one sign-in (SSO)', 'VPN, the secure link that...',
    'known as the SLA' explain the term."""
    if _EXPLAINED_AFTER.match(text, end, end + 120):
        return True
    if _EXPLAINED_BEFORE.search(text, max(0, start - 24), start):
        return True
    before = text[max(0, start - 80) : start]
    return before.rfind("(") > before.rfind(")")


def _it_activity(ctx: LintContext) -> Iterator[Hit]:
    for index, _message, name, text in ctx.message_texts():
        for match, hint in find_activity(text):
            phrase = match.group(0)
            yield Hit(
                ("messages", index, name),
                f"{phrase!r} describes IT activity, not business value",
                hint,
                (match.start(), len(phrase)),
                text,
            )


def _missing_business_value(ctx: LintContext) -> Iterator[Hit]:
    from ..values import states_no_value

    for index, message in enumerate(ctx.plan.messages):
        if states_no_value(message.business_value):
            value = (message.business_value or "").strip()
            yield Hit(
                ("messages", index, "business_value" if value else "id"),
                f"message {message.id!r} states no business value"
                + (f" ({value!r} only holds its place)" if value else ""),
                "Add business_value: what this means for the business, in one or two "
                "sentences (cost, customers, time, risk).",
            )


def _jargon(ctx: LintContext) -> Iterator[Hit]:
    lexicon = build_lexicon(ctx.settings)
    current: int | None = None
    first: dict[str, Hit] = {}
    explained: set[str] = set()
    for index, _message, name, text in ctx.message_texts():
        if index != current:
            yield from (hit for term, hit in first.items() if term not in explained)
            current, first, explained = index, {}, set()
        if ctx.audience_is_technical(ctx.message_audiences[index]):
            continue
        for match in lexicon.find(text):
            found = match.group(0)
            term = lexicon.key(found)
            if _explained(text, match.start(), match.end()):
                explained.add(term)
            elif term not in first:
                meaning = lexicon.hint_for(found)
                hint = (
                    f"Explain it or say it plainly: {meaning!r}."
                    if meaning
                    else "Explain it in plain words, or say it without the jargon."
                )
                first[term] = Hit(
                    ("messages", index, name),
                    f"IT jargon {found!r} is not explained for a non-IT audience",
                    hint,
                    (match.start(), len(found)),
                    text,
                )
    yield from (hit for term, hit in first.items() if term not in explained)


def _user_word(ctx: LintContext) -> Iterator[Hit]:
    for index, _message, name, text in ctx.message_texts():
        if "user" not in text.lower():
            continue
        for match in _USER.finditer(text):
            word = match.group(0)
            yield Hit(
                ("messages", index, name),
                f"{word!r} puts people in the context of the system",
                "Say customer, colleague or stakeholder: the system serves their job.",
                (match.start(), len(word)),
                text,
            )


RULES = (
    Rule(
        "BIZ001",
        "it-activity-language",
        Severity.warning,
        "Text talks about IT activity instead of business value.",
        read_with("activity", _it_activity, "IT activity", ACTIVITY_HINT, could_be_activity),
        """\
## What it does
Flags phrases in a message's title, business value or body that describe what IT did
rather than what it changed for the business: IT work whatever its object (upgrades,
migrations, patching, decommissioning, re-platforming, cutovers), everyday verbs with an
IT object in the same sentence ("implemented the new CRM", "rolled out Windows 11 to 1,200
laptops", "the payroll application went live", "the network programme is complete"), a
count of tickets or projects as an achievement ("closed 4,312 tickets"), and availability
figures ("99.99% uptime", "five nines"). A phrase passes when its sentence also says what
changed for people: a result ("so...", "which means..."), a saving, a before-and-after
("instead of", "no longer"), customers, a cost, or "you said...". "The Leeds depot goes
live" and "we deployed two more colleagues" have no IT object and pass.

The reader (a model of which words make IT activity, trained on the labelled corpus; see
docs/lint.md) also flags a sentence of the business value or body that no pattern names but
that reads as IT activity, if it holds a word of the family and none of the excuses above, and
names the words that weighed most; it clears a pattern hit in a sentence it reads as plainly
fine.

## Why is this bad?
Nobody outside IT cares that the upgrade to version 9 is complete; they care that the
month-end close now takes one day instead of three. Boasting about uptime is like a chief
electricity officer boasting that the lights were on: people expect it, and the message
tells them IT is talking about itself.

## Example
```yaml
title: ERP upgraded to version 9
body: We migrated the warehouse system and achieved 99.9% uptime.
```

## Use instead
```yaml
title: Month-end close now takes one day instead of three
body: Finance can report results two days earlier, and no order was lost during the peak.
```
""",
        per_message=True,
    ),
    Rule(
        "BIZ002",
        "missing-business-value",
        Severity.error,
        "A message has no business value statement.",
        _missing_business_value,
        """\
## What it does
Flags messages without a `business_value`, or with a placeholder instead of one ("N/A",
"TBD", "-", "see body"). `render` and `send` refuse such a message too (exit 1), unless
this rule is switched off for it (`lint_ignore: [BIZ002]`) or for the plan.

## Why is this bad?
Every message is a chance to link IT's work to the criteria the audience judges value by:
cost, customers, time, risk. Writing the business value down first keeps the message about
the business; a message that cannot state one probably should not be sent.

## Example
```yaml
messages:
  - {id: scanners, title: New scanner batteries, channel: bulletin}
```

## Use instead
```yaml
messages:
  - id: scanners
    title: Night-shift scanners will stay charged through the whole shift
    channel: bulletin
    business_value: Pickers lose no time swapping flat scanners, about 25 minutes per shift.
```
""",
    ),
    Rule(
        "BIZ003",
        "unexplained-jargon",
        Severity.warning,
        "IT jargon or an acronym goes unexplained in a message for a non-IT audience.",
        _jargon,
        """\
## What it does
Flags IT terms from a built-in lexicon, each with a plain alternative (ERP, CRM, WMS, SSO,
MTTR, CSAT, P1, latency, jitter, failover, change freeze...), and any other acronym that is
not in everyday or business use: a word in capitals (`SIEM`, `VLANs`), a short one with a
small letter inside (`VoIP`, `QoS`) or a name with a digit (`WPA3`, `KnowBe4`). `CEO`, `HR`,
`VAT`, `KPI`, `Q4` and the like are never flagged. Only messages for audiences that are not
all `it_audience: true` are checked, and a term passes once the message explains it in
parentheses: "SSO (one sign-in for every system)" or "one sign-in for every system (SSO)".
Extend the lexicon with `settings.lint.jargon_add`; `settings.lint.jargon_allow` lists the
terms (built-in or acronyms) this organization's readers know.

## Why is this bad?
Jargon tells the reader the message was not written for them. Each unexplained acronym is a
place where a manager stops reading, and a reason to think IT lives in its own world.

## Example
```yaml
body: From Monday, SSO and MFA protect every VPN session.
```

## Use instead
```yaml
body: >-
  From Monday you sign in once for every system, and confirm it is you with a code on
  your phone, also when you work from home.
```
""",
        per_message=True,
    ),
    Rule(
        "BIZ004",
        "user-word",
        Severity.warning,
        '"user" where customer, colleague or stakeholder reads better.',
        _user_word,
        """\
## What it does
Flags "user", "users" and "end user" in messages.

## Why is this bad?
"User" puts the person in the context of the system, instead of the system in the context
of their job. Colleagues, customers and stakeholders are people with work to do; calling
them users tells them IT sees a login, not a person.

## Example
```yaml
body: All users must restart their laptops on Friday.
```

## Use instead
```yaml
body: Please restart your laptop on Friday so Monday's order screens open first time.
```
""",
        per_message=True,
    ),
)
