"""BIZ: business language. Say what IT's work means for the business, in the business's words."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from ..model import LintSettings
from .base import Hit, LintContext, Rule, Severity

_BUSINESS_HINT = "Say what it means for the business: customers served, cost, time or risk."

# IT activity: what IT did, rather than what it changed for the business. Each pattern comes
# with the plain substrings it needs, so most texts are passed over without running a regex.
ACTIVITY: tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), hint, needles)
    for pattern, hint, needles in (
        (
            r"\bupgrad(?:e|ed|es|ing)\b(?:[^.\n]{0,40}?\bversion\s*\d[\w.]*)?",
            "An upgrade is IT activity; say what people can now do, or no longer suffer.",
            ("upgrad",),
        ),
        (
            r"\bmigrat(?:e|ed|es|ing|ion)\b",
            "A migration is IT activity; say what it saves or makes possible.",
            ("migrat",),
        ),
        (r"\b(?:patched|patching)\b", "Say what risk it removes for the business.", ("patch",)),
        (r"\b(?:deployed|decommission(?:ed|ing)?)\b", _BUSINESS_HINT, ("deploy", "decommission")),
        (r"\bgo(?:ne|es)?[- ]live\b|\bwent live\b", _BUSINESS_HINT, ("live",)),
        (
            r"\b(?:four|five|six) nines\b",
            "Reliability is expected, like the lights being on; say what it protected, such as "
            "orders taken during the peak.",
            ("nines",),
        ),
        (
            # A figure starts where its digits start, and its digits are never given back:
            # a long run of digits is read once, not once from each of its digits.
            r"(?<!\d)\d++(?:\.\d++)?\s?%\s+(?:uptime|availability)\b|\buptime\b",
            "Uptime is expected; say what it meant, such as no lost sales during the peak.",
            ("uptime", "availability"),
        ),
    )
)

# Built-in lexicon: term -> what to say instead (or how to explain it).
JARGON: dict[str, str] = {
    "API": "a link that lets two systems exchange data",
    "SSO": "one sign-in for every system",
    "MFA": "a second check when you sign in, such as a code on your phone",
    "2FA": "a second check when you sign in, such as a code on your phone",
    "VPN": "the secure connection to work systems from outside the office",
    "VDI": "your work desktop, reached from any device",
    "VM": "a server that runs as software",
    "SaaS": "software rented as a service",
    "IaaS": "rented server capacity",
    "PaaS": "a rented platform to run applications",
    "LAN": "the office network",
    "WAN": "the network between our sites",
    "SD-WAN": "the network between our sites",
    "DNS": "the system that finds websites and services by name",
    "DHCP": "the system that connects devices to the network",
    "LDAP": "the company directory",
    "SAML": "sign-in shared between systems",
    "TLS": "encryption",
    "SSL": "encryption",
    "ITIL": "how IT organises its service",
    "ITSM": "how IT organises its service",
    "CMDB": "IT's inventory of systems",
    "SLA": "the service level IT promises",
    "RPO": "how much recent work could be lost in a disaster",
    "RTO": "how long before a system is back after a disaster",
    "SIEM": "security monitoring",
    "EDR": "protection on every laptop",
    "MDM": "phone and tablet management",
    "UAT": "testing by the people who will use it",
    "CAB": "the change review meeting",
    "OS": "operating system",
    "active directory": "the company directory",
    "bandwidth": "network capacity",
    "latency": "delay",
    "middleware": "the software that links our systems",
    "hypervisor": "the software that runs virtual servers",
    "firmware": "the software built into a device",
    "endpoint": "laptop, phone or other device",
    "backend": "the systems behind the screen",
    "back-end": "the systems behind the screen",
    "virtualisation": "running servers as software",
    "virtualization": "running servers as software",
    "containerisation": "a way to package applications",
    "containerization": "a way to package applications",
    "kubernetes": "the platform our applications run on",
    "microservices": "small connected applications",
    "devops": "how IT builds and releases changes",
    "provisioning": "setting up",
    "throughput": "how much the system handles",
}

_USER = re.compile(r"\b(?:end[- ])?users?\b", re.IGNORECASE)
_BOUNDARY_BEFORE = r"(?<![\w-])"
_BOUNDARY_AFTER = r"s?(?![\w-])"


def _is_acronym(term: str) -> bool:
    return " " not in term and any(c.isupper() or c.isdigit() for c in term)


@dataclass(frozen=True)
class Lexicon:
    """The jargon to flag, built once per run from the built-in list and the plan's settings."""

    hints: dict[str, str]
    exact: re.Pattern[str] | None
    folded: re.Pattern[str] | None
    exact_terms: tuple[str, ...] = ()
    folded_terms: tuple[str, ...] = ()

    def find(self, text: str) -> Iterator[re.Match[str]]:
        if self.exact is not None and any(term in text for term in self.exact_terms):
            yield from self.exact.finditer(text)
        if self.folded is not None:
            lower = text.lower()
            if any(term in lower for term in self.folded_terms):
                yield from self.folded.finditer(text)

    def key(self, found: str) -> str:
        """The lexicon entry a match stands for: 'APIs' -> 'API', 'Latency' -> 'latency'."""
        for term in (found, found[:-1]):
            for key in (term, term.lower()):
                if key in self.hints:
                    return key
        return found.lower()

    def hint_for(self, found: str) -> str | None:
        return self.hints.get(self.key(found)) or None


def build_lexicon(settings: LintSettings) -> Lexicon:
    return _lexicon(tuple(settings.jargon_add), tuple(settings.jargon_allow))


@lru_cache(maxsize=32)
def _lexicon(added: tuple[str, ...], allowed: tuple[str, ...]) -> Lexicon:
    skip = {a.strip().lower() for a in allowed}
    terms = {t: h for t, h in JARGON.items() if t.lower() not in skip}
    for term in added:
        if term.strip() and term.strip().lower() not in skip:
            terms.setdefault(term.strip(), "")
    hints = {}
    for term, hint in terms.items():
        hints[term if _is_acronym(term) else term.lower()] = hint

    def alternation(chosen: list[str], flags: int) -> re.Pattern[str] | None:
        if not chosen:
            return None
        body = "|".join(re.escape(t) for t in sorted(chosen, key=len, reverse=True))
        return re.compile(f"{_BOUNDARY_BEFORE}(?:{body}){_BOUNDARY_AFTER}", flags)

    exact = [t for t in terms if _is_acronym(t)]
    folded = [t for t in terms if not _is_acronym(t)]
    return Lexicon(
        hints,
        alternation(exact, 0),
        alternation(folded, re.IGNORECASE),
        tuple(exact),
        tuple(t.lower() for t in folded),
    )


def _explained(text: str, start: int, end: int) -> bool:
    """'SSO (one sign-in for everything)' or 'one sign-in (SSO)' explain the term."""
    if re.match(r"\s*\(", text[end : end + 3]):
        return True
    before = text[max(0, start - 80) : start]
    return before.rfind("(") > before.rfind(")")


def _it_activity(ctx: LintContext) -> Iterator[Hit]:
    for index, _message, name, text in ctx.message_texts():
        lower = text.lower()
        for pattern, hint, needles in ACTIVITY:
            if not any(needle in lower for needle in needles):
                continue
            for match in pattern.finditer(text):
                phrase = match.group(0)
                yield Hit(
                    ("messages", index, name),
                    f"{phrase!r} describes IT activity, not business value",
                    hint,
                    (match.start(), len(phrase)),
                    text,
                )


def _missing_business_value(ctx: LintContext) -> Iterator[Hit]:
    for index, message in enumerate(ctx.plan.messages):
        if not (message.business_value or "").strip():
            yield Hit(
                ("messages", index, "id"),
                f"message {message.id!r} states no business value",
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
        _it_activity,
        """\
## What it does
Flags phrases in a message's title, business value or body that describe what IT did
rather than what it changed for the business: upgrades to a version, migrations, patching,
deployments, go-lives, "five nines", "99.9% uptime".

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
    ),
    Rule(
        "BIZ002",
        "missing-business-value",
        Severity.error,
        "A message has no business value statement.",
        _missing_business_value,
        """\
## What it does
Flags messages without a `business_value`.

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
Flags IT terms and acronyms from a built-in lexicon (SSO, VPN, API, latency, middleware...)
in messages for audiences that are not marked `it_audience: true`, unless the message
explains the term in parentheses once: "SSO (one sign-in for every system)" or "one
sign-in for every system (SSO)". Extend the lexicon with `settings.lint.jargon_add` and
trim it with `settings.lint.jargon_allow`.

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
    ),
)
