"""The jargon lexicon: IT terms with plain alternatives, and acronyms nobody outside IT uses.

Two sources make the list a message is checked against: the built-in terms below (each with
what to say instead) and, for anything else, a shape: a word in capitals (``MTTR``, ``WPA3``)
is an acronym, and an acronym that is not an everyday or business one (``CEO``, ``VAT``,
``KPI``) is jargon to a reader outside IT. The plan's ``jargon_add`` and ``jargon_allow``
extend and trim both.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from ..model import LintSettings
from .prose import cased_word_set, word_set

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
    "MPLS": "the private lines between our sites",
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
    "DR": "getting systems back after a disaster",
    "SIEM": "security monitoring",
    "SOC": "the team that watches for attacks",
    "EDR": "protection on every laptop",
    "MDM": "phone and tablet management",
    "IAM": "who may use which system",
    "RBAC": "access that follows each person's role",
    "UAT": "testing by the people who will use it",
    "CAB": "the change review meeting",
    "OS": "operating system",
    "ERP": "the system that runs orders, stock and finance",
    "CRM": "the customer records system",
    "WMS": "the warehouse system",
    "ETL": "the nightly copying of data between systems",
    "CDN": "copies of the website kept close to customers",
    "MTTR": "how long a fix takes",
    "MTBF": "how long a system runs between failures",
    "CSAT": "how satisfied people were with the help they got",
    "FCR": "problems solved in the first call",
    "IVR": "the phone menu",
    "P1": "the most urgent problems, those that stop work",
    "P2": "urgent problems",
    "P3": "problems that slow work down",
    "Sev1": "the most urgent problems, those that stop work",
    "L1": "the first person you speak to at the service desk",
    "L2": "the service desk's specialists",
    "L3": "the specialists behind the service desk",
    "802.1X": "a check that only company devices join the network",
    "active directory": "the company directory",
    "bandwidth": "network capacity",
    "latency": "delay",
    "jitter": "uneven delay that breaks up calls",
    "packet loss": "data lost on the way, which breaks up calls and screens",
    "middleware": "the software that links our systems",
    "on-prem": "in our own building",
    "on-premises": "in our own building",
    "zero-trust": "every sign-in checked, wherever you are",
    "S3": "online file storage",
    "hypervisor": "the software that runs virtual servers",
    "firmware": "the software built into a device",
    "endpoint": "laptop, phone or other device",
    "backend": "the systems behind the screen",
    "back-end": "the systems behind the screen",
    "virtualisation": "running servers as software",
    "virtualization": "running servers as software",
    "containerisation": "a way to package applications",
    "containerization": "a way to package applications",
    "containerised": "packaged",
    "containerized": "packaged",
    "virtualised": "run as software",
    "virtualized": "run as software",
    "maintenance window": "the hours we work on the systems",
    "kubernetes": "the platform our applications run on",
    "microservices": "small connected applications",
    "devops": "how IT builds and releases changes",
    "provisioning": "setting up",
    "throughput": "how much the system handles",
    "failover": "a standby that takes over when a system fails",
    "batch job": "work the systems do overnight",
    "change freeze": "a pause in changes to our systems",
    "hotfix": "a quick repair",
    "prod": "the live system",
    "rollback": "undoing a change",
    "on-call": "the engineer on duty",
    "ingest": "take in",
    "ingests": "takes in",
    "throttle": "slow down",
    "throttles": "slows down",
    "authentication": "signing in",
    "technical debt": "old shortcuts that make changes slow",
    "tech debt": "old shortcuts that make changes slow",
    "zero trust": "checking every sign-in, wherever it comes from",
    "proxy": "the filter web traffic passes through",
    "subnet": "a part of the network",
    "load balancer": "the system that shares work between servers",
    "cache": "a stored copy that loads faster",
    "caching": "keeping copies that load faster",
    "sandbox": "a safe copy for trying things out",
    "staging": "the test copy of a system",
    "refactor": "rework",
    "refactoring": "reworking",
    "deprecated": "being phased out",
    "tech stack": "the systems we use",
    "codebase": "the software",
    "repository": "where the software is kept",
    "cron": "a scheduled job",
    "Intune": "phone and laptop management",
    "Entra": "the company sign-in",
    "Azure AD": "the company sign-in",
    "Okta": "the company sign-in",
    "Citrix": "your work desktop, reached from any device",
    "VMware": "the software that runs our servers",
    "Splunk": "security monitoring",
    "Terraform": "the scripts that build our servers",
    "Ansible": "the scripts that set up our servers",
    "VoIP": "phone calls over the internet",
    "QoS": "giving calls priority on the network",
    "zero-day": "a flaw attackers use before the maker has a fix",
    "egress": "data leaving the cloud, which the provider charges for",
    "ingress": "data coming in",
    "pen test": "a test in which experts try to break in",
    "pen-test": "a test in which experts try to break in",
    "penetration test": "a test in which experts try to break in",
    "penetration testing": "experts trying to break in, to find the gaps first",
    "vulnerability scan": "a check for known security gaps",
    "air-gapped": "kept off every network",
    "immutable backups": "backups nobody can change or delete",
    "blast radius": "how much one failure can affect",
    "data lake": "the store of all our raw data",
    "object storage": "online file storage",
    "blob storage": "online file storage",
    "serverless": "run by the cloud provider on demand",
    "autoscaling": "capacity that grows and shrinks with demand",
    "auto-scaling": "capacity that grows and shrinks with demand",
    "orchestration": "the software that runs and connects our applications",
    "CI/CD": "how changes are tested and released automatically",
    "regression testing": "checking that what worked still works",
    "smoke test": "a quick check that the basics work",
    "canary release": "a change tried on a few people first",
    "blue-green": "switching between two copies of a system",
    "feature flag": "a switch that turns a new feature on or off",
    "feature flags": "switches that turn new features on or off",
    "observability": "seeing what our systems are doing",
    "telemetry": "data devices send about how they run",
    "runbook": "the written steps for a task",
    "root cause analysis": "finding out why it happened",
    "post-mortem": "a review of what went wrong",
    "postmortem": "a review of what went wrong",
    "network segmentation": "keeping parts of the network apart",
    "SSID": "the Wi-Fi network's name",
    "captive portal": "the page you accept before the Wi-Fi works",
    "conditional access": "sign-in rules that depend on where and how you sign in",
    "least privilege": "only the access each person needs",
    "privileged access": "administrator access",
    "service account": "an account a system uses, not a person",
    "key rotation": "changing the keys that lock our data",
    "rate limit": "a cap on how often a system may be asked",
    "rate limiting": "capping how often a system may be asked",
    "monolith": "one large old application",
    "lift and shift": "moving systems to the cloud unchanged",
    "lift-and-shift": "moving systems to the cloud unchanged",
    "hyperscaler": "a big cloud provider",
    "landing zone": "the prepared space in the cloud",
    "infrastructure as code": "servers built from scripts",
    "golden image": "the standard laptop set-up",
    "kernel": "the core of the operating system",
    "SDK": "a toolkit for developers",
    "webhook": "an automatic message from one system to another",
    "payload": "the data sent",
    "deduplication": "storing each file once",
    "failback": "switching back after a failure",
    "hot standby": "a spare system ready to take over",
    "high availability": "a spare that takes over at once",
    "DDoS": "an attack that floods a website so customers cannot reach it",
    "tenancy": "our space in the cloud service",
    "patch Tuesday": "Microsoft's monthly security fixes",
    "OAuth": "signing in to one service with an account from another",
    "config": "settings",
    "configs": "settings",
}

# Acronyms in everyday or business use: never jargon, whatever their shape.
_EVERYDAY = """
    AGM AI AM ASAP ATM BBC BST CCTV CEO CFO CHRO CIO CMO COO CPO CTO CV DIY EBITDA ETA ETAS EU
    FAQ FAQS FY GDPR GMT HGV HMRC HQ HR ID ISO IT KPI KPIS LGV MBA MD NHS NI OK PA PAYE PDF PIN
    PC PM PO PPE PR QA QR ROI RSVP SIM SKU SKUS SME SMS TV UK UN URL US USA USB VAT VIP VP WHO YTD
    GPS LED DVD CD PHD GB KB MB TB GP QC HELP INFO
    NO NOT ALL NEW NOW YES AND OR THE FOR YOU STOP NOTE FREE ONLY PLEASE IMPORTANT URGENT
    II III IV VI VII VIII IX XI XII
"""
EVERYDAY_ACRONYMS = frozenset(_EVERYDAY.split())
# An acronym: a token of two or more capitals and digits, maybe a plural s (MTTR, WPA3, VLANs),
# a short one with a small letter inside (VoIP, QoS), or a name with a digit in it (KnowBe4).
_ACRONYM = re.compile(
    r"(?<![\w-])(?:(?=[A-Z0-9]*[A-Z][A-Z0-9]*[A-Z])[A-Z][A-Z0-9]{1,6}s?"
    r"|[A-Z][a-z]?[A-Z][A-Za-z]?[A-Z]?|[A-Z][A-Za-z]{0,8}\d[A-Za-z0-9]{0,4})(?![\w-])"
)
# What every acronym above contains; a plain scan for it is cheaper than the pattern itself.
_ACRONYM_HINT = re.compile(r"[A-Z][A-Z0-9]|[A-Z][a-z][A-Z]|[A-Z][A-Za-z]{0,8}\d")
_EVERYDAY_SHAPES = re.compile(r"(?:Q[1-4]|H[12]|FY\d{2,4}|A[3-5]|[A-Z]\d{1,2}|B2[BC])")

_BOUNDARY_BEFORE = r"(?<![\w-])"
_BOUNDARY_AFTER = r"s?(?![\w-])"


def _shouted_word(found: str) -> bool:
    """An everyday word written in capitals ("CASHIER", "EARLIER"), not an acronym: five
    letters or more that lemminflect knows as an English word (short ones, "CAB" or "WAN",
    may well be acronyms)."""
    if len(found) < 5 or not found.isalpha() or not found.isupper():
        return False
    from lemminflect import getAllLemmas  # type: ignore[import-untyped]

    return bool(getAllLemmas(found.lower()))


def _is_acronym(term: str) -> bool:
    return " " not in term and any(c.isupper() or c.isdigit() for c in term)


@dataclass(frozen=True)
class Lexicon:
    """The jargon to flag, built once per run from the built-in list and the plan's settings."""

    hints: dict[str, str]
    exact: re.Pattern[str] | None
    folded: re.Pattern[str] | None
    # each term's runs of letters (its last also with a plural ending), filed under the
    # longest, as written for an acronym, lower-cased for a word: a text holds the term only
    # if it holds all of them
    exact_keys: dict[str, tuple[frozenset[str], ...]] = field(default_factory=dict)
    folded_keys: dict[str, tuple[frozenset[str], ...]] = field(default_factory=dict)
    allowed: frozenset[str] = frozenset()

    def find(self, text: str) -> Iterator[re.Match[str]]:
        """Listed terms first, then any other acronym that is not an everyday one."""
        if self.exact is not None and _holds(self.exact_keys, cased_word_set(text)):
            yield from self.exact.finditer(text)
        if self.folded is not None and _holds(self.folded_keys, word_set(text)):
            yield from self.folded.finditer(text)
        if _ACRONYM_HINT.search(text) is None:
            return  # no two capitals together, no capital-small-capital, no name with a digit
        for match in _ACRONYM.finditer(text):
            if self.unlisted_acronym(match.group(0)):
                yield match

    def unlisted_acronym(self, found: str) -> bool:
        """An acronym that is neither in the lexicon (found above) nor in everyday use."""
        singular = found[:-1] if found[-1] in "sS" and len(found) > 2 else found
        if any(term in self.hints for term in (found, singular)):
            return False
        if found.upper() in EVERYDAY_ACRONYMS or singular in EVERYDAY_ACRONYMS:
            return False
        if found.lower() in self.allowed or singular.lower() in self.allowed:
            return False
        if _EVERYDAY_SHAPES.fullmatch(found) is not None:
            return False
        return not _shouted_word(found)

    def key(self, found: str) -> str:
        """The lexicon entry a match stands for: 'APIs' -> 'API', 'Latency' -> 'latency'."""
        for term in (found, found[:-1]):
            for key in (term, term.lower()):
                if key in self.hints:
                    return key
        return found if _ACRONYM.fullmatch(found) else found.lower()

    def hint_for(self, found: str) -> str | None:
        return self.hints.get(self.key(found)) or None


def build_lexicon(settings: LintSettings) -> Lexicon:
    return _lexicon(tuple(settings.jargon_add), tuple(settings.jargon_allow))


def _keys(terms: list[str], cased: bool) -> dict[str, tuple[frozenset[str], ...]]:
    keyed: dict[str, list[frozenset[str]]] = {}
    for term in terms:
        runs: list[str] = re.findall(r"[A-Za-z]+", term if cased else term.lower())
        if not runs:  # no letters to look for ("123", "日本語"): any text may hold it
            keyed.setdefault("", []).append(frozenset())
            continue
        # the last run may take a plural ending in the text ("batch jobs", "APIs")
        for ending in ("", "s", "es"):
            variant = [*runs[:-1], runs[-1] + ending]
            keyed.setdefault(max(variant, key=len), []).append(frozenset(variant))
    return {key: tuple(found) for key, found in keyed.items()}


def _holds(keys: dict[str, tuple[frozenset[str], ...]], words: frozenset[str]) -> bool:
    """Whether ``words`` hold every run of letters of one of the terms (then, and only
    then, the term's pattern can match)."""
    return "" in keys or any(runs <= words for key in keys.keys() & words for runs in keys[key])


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
        _keys(exact, cased=True),
        _keys(folded, cased=False),
        frozenset(skip),
    )
