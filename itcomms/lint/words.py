"""Words as stems: what two texts share once case, endings and filler words are set aside.

"Customer retention" and "customers we keep" share ``custom``; "predictable spending" and
"what we spend" share ``spend``. Stems come from the Snowball English stemmer (pure Python,
offline), loaded the first time a rule asks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

_WORD = re.compile(r"[^\W\d_]+(?:['\u2018\u2019][^\W\d_]+)?")
_STOPWORDS = """
    a about after all also an and any are as at be been before but by can could do does each
    every for from get gets got has have how if in into is it its just less more most much no
    not now of on one or our out over per so than that the their them then there these they
    this those to too up us very was we were what when whether which while who why will with
    would you your
"""
STOPWORDS = frozenset(_STOPWORDS.split())

# Built-in groups of words a business uses for the same value: a value of "predictable
# spending" is met by a business value about cost. The plan adds its own
# (settings.lint.synonyms).
BUILT_IN_SYNONYMS: tuple[str, ...] = (
    "cost, costs, spend, spending, budget, money, saving, savings, cheaper, price, pounds, "
    "pence, margin, profit, cash",
    "time, minutes, hours, days, quick, quicker, faster, sooner, earlier, wait, delay, late",
    "customer, customers, shopper, client, buyer, retention, loyalty",
    "colleague, colleagues, staff, people, employee, team, picker, driver",
    "risk, security, secure, safe, threat, loss, outage, downtime, disruption, stoppage",
    "sales, revenue, orders, sell, sold",
)


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=16384)
def stems(text: str) -> frozenset[str]:
    """The stems of the words in ``text`` that carry meaning (no stopwords, no figures)."""
    words = [w.lower() for w in _WORD.findall(text)]
    kept = [w for w in words if w not in STOPWORDS and len(w) > 1]
    return frozenset(_stemmer().stemWords(kept)) if kept else frozenset()


@lru_cache(maxsize=64)
def synonym_groups(extra: tuple[str, ...]) -> tuple[frozenset[str], ...]:
    """Each group (built-in, then the plan's) as the stems of all its words."""
    return tuple(g for g in (stems(group) for group in (*BUILT_IN_SYNONYMS, *extra)) if g)


def widen(found: frozenset[str], groups: Iterable[frozenset[str]]) -> frozenset[str]:
    """``found`` plus every group that shares a stem with it."""
    wider = set(found)
    for group in groups:
        if group & found:
            wider |= group
    return frozenset(wider)
