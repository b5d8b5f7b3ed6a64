"""Did-you-mean for every unknown name a person types or writes: one wording everywhere.

``suggest("Exces", ["execs", "staff"], what="audience")`` -> ``"; did you mean 'execs'?"``;
when nothing is close, the known ids instead (the first few and how many more), so the person
can pick one without opening the plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

SHOWN = 10
_CUTOFF = 0.6


def closest(
    word: str, choices: Iterable[str], *, aliases: Mapping[str, str] | None = None
) -> str | None:
    """The choice ``word`` most likely means, ignoring case, or None.

    ``aliases`` maps other spellings (display names) to the choice they stand for.
    """
    import difflib

    spellings = {choice.casefold(): choice for choice in sorted(choices, reverse=True)}
    for alias, choice in sorted((aliases or {}).items(), reverse=True):
        spellings.setdefault(alias.casefold(), choice)
    wanted = word.strip().casefold()
    if wanted in spellings:
        return spellings[wanted]
    match = difflib.get_close_matches(wanted, sorted(spellings), n=1, cutoff=_CUTOFF)
    return spellings[match[0]] if match else None


def mean(choice: str) -> str:
    """``"; did you mean 'x'?"``."""
    return f"; did you mean {choice!r}?"


def known_list(choices: Iterable[str], what: str) -> str:
    """``"; known audiences: a, b, c and 4 more"``, or ``"; the plan has no audiences"``."""
    names = sorted(set(choices))
    if not names:
        return f"; there are no {what}s"
    shown = ", ".join(names[:SHOWN])
    more = f" and {len(names) - SHOWN} more" if len(names) > SHOWN else ""
    return f"; known {what}s: {shown}{more}"


def suggest(
    word: str,
    choices: Iterable[str],
    *,
    what: str = "id",
    listing: bool = True,
    aliases: Mapping[str, str] | None = None,
) -> str:
    """``"; did you mean 'x'?"`` when a choice is close (ignoring case); otherwise the known
    choices (``listing``) or an empty string."""
    choices = list(choices)
    match = closest(word, choices, aliases=aliases)
    if match is not None:
        return mean(match)
    return known_list(choices, what) if listing else ""


def unknown(word: str, choices: Iterable[str], *, what: str = "id") -> str:
    """``"unknown audience 'Exces'; did you mean 'execs'?"``."""
    return f"unknown {what} {word!r}{suggest(word, choices, what=what)}"
