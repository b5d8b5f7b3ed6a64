"""The rules of a plan's fields, as annotated types the plan model is built from.

Each rule is written once and makes both the check and the JSON Schema (docs/schema.md): a
regex is the check and the schema's ``pattern``; a check written as code (e-mail, dates) gets
the regex that tests/test_schema_agreement.py holds to the same answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StringConstraints,
)
from pydantic_core import core_schema

from .dates import plan_date, within_range
from .mail import ADDRESS_REGEX

# -- text rules: each regex is both the check and the JSON Schema `pattern` ----------------------
# Written for Python's re and ECMA-262 (what editors run) alike: ASCII classes instead of \d, \s
# and \w, which mean different things in the two; no inline flags.

LINE_BREAKS = r"\n\x0b\x0c\r\x1c-\x1e\x85\u2028\u2029"
"""Every character str.splitlines() breaks at."""
SPACES = r"\t\x1f \xa0\u1680\u2000-\u200a\u202f\u205f\u3000"
"""Every character str.isspace() knows that is not a line break."""
_WHITESPACE = f"[{LINE_BREAKS}{SPACES}]*"  # what str.strip() removes

ID_REGEX = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}"
ONE_LINE_REGEX = f"[^{LINE_BREAKS}]*"
NOT_BLANK_REGEX = f"[{LINE_BREAKS}{SPACES}]*[^{LINE_BREAKS}{SPACES}][\\s\\S]*"
COLOR_REGEX = f"{_WHITESPACE}#(?:[0-9A-Fa-f]{{3}}|[0-9A-Fa-f]{{6}}){_WHITESPACE}"
URL_REGEX = (
    f"{_WHITESPACE}(?:[Hh][Tt][Tt][Pp][Ss]?://|[Mm][Aa][Ii][Ll][Tt][Oo]:)"
    f'[^{LINE_BREAKS}{SPACES}<>"]+{_WHITESPACE}'
)
EMAIL_REGEX = f"[{SPACES}]*{ADDRESS_REGEX}[{SPACES}]*"
"""What the e-mail check accepts: mail.check_address's address, with spaces around it."""
# A non-ASCII letter stands for its IDNA form; not the spaces, invisible characters and
# punctuation of U+2000-U+206F and U+3000, nor U+FEFF and the specials at U+FFF0 up.
_HOST_CHAR = "A-Za-z0-9\u00c0-\u1fff\u2070-\u2fff\u3001-\ufefe\uff00-\uffef"
_HOST_LABEL = f"[{_HOST_CHAR}](?:[{_HOST_CHAR}-]{{0,61}}[{_HOST_CHAR}])?"
_OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
HOST_REGEX = (
    f"(?![\\s\\S]{{254}})(?:{_HOST_LABEL}\\.)*(?![0-9]+(?![{_HOST_CHAR}-])){_HOST_LABEL}"
    f"|(?:{_OCTET}\\.){{3}}{_OCTET}"
    "|\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(?:%[A-Za-z0-9_.-]+)?\\]?"
)
"""What mail.check_host accepts: exactly for ASCII names and IPv4; for international names
(IDNA) and IPv6 a looser form, whose details `validate` checks."""

_LEAP_YEAR = r"(?:19|20|21)(?:0[48]|[2468][048]|[13579][26])|2000"  # 1900 and 2100 are not
DATE_REGEX = (
    f"{_WHITESPACE}(?:"
    r"(?:19|20|21)[0-9]{2}-(?:"
    r"(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    r"|02-(?:0[1-9]|1[0-9]|2[0-8]))"
    f"|(?:{_LEAP_YEAR})-02-29"
    f"){_WHITESPACE}"
)
"""A real calendar day from 1900-01-01 to 2199-12-31 written YYYY-MM-DD, as the date check
(_iso_date, pydantic's date, dates.within_range) accepts it."""

_INTEGER_TEXT = re.compile(r"[+-]?[0-9]+")
_DECIMAL_TEXT = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")

_MAX_DIGITS = 4300  # Python's default limit on turning text into an int

_FLAG_WORDS = {
    **dict.fromkeys(("true", "yes", "on", "y", "t", "1"), True),
    **dict.fromkeys(("false", "no", "off", "n", "f", "0"), False),
}
"""The texts a yes/no field takes besides true and false (the loader keeps plain yes, no, on and
off as text, YAML 1.2 style), in any ASCII case."""


def schema_pattern(regex: str) -> str:
    """``regex`` as a JSON Schema pattern that means a full match in every engine: ``$`` alone
    also matches before a final newline in Python's re, which jsonschema uses."""
    return f"^(?:{regex})$(?!\\n)"


def _any_case(word: str) -> str:
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else re.escape(c) for c in word)


FLAG_REGEX = "|".join(_any_case(word) for word in _FLAG_WORDS)
_FLAG_TEXT = re.compile(FLAG_REGEX)


@dataclass(frozen=True)
class JsonPattern:
    """Adds ``regex`` to a field's JSON Schema; for fields whose check is written as code (the
    e-mail and date checks), which tests/test_schema_agreement.py holds to the same answers."""

    regex: str

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        json_schema: dict[str, Any] = handler(schema)
        json_schema.pop("format", None)  # the pattern says it all, and says it exactly
        if "pattern" in json_schema:
            json_schema.setdefault("allOf", []).append({"pattern": schema_pattern(self.regex)})
        else:
            json_schema["pattern"] = schema_pattern(self.regex)
        return json_schema


@dataclass(frozen=True)
class Matches(JsonPattern):
    """Text must match ``regex`` in full, or fail with ``message``; the schema gets the regex."""

    message: str

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        compiled = re.compile(self.regex)

        def check(value: str) -> str:
            if not compiled.fullmatch(value):
                raise ValueError(self.message)
            return value

        return core_schema.no_info_after_validator_function(check, handler(source))


@dataclass(frozen=True)
class EditorNumber:
    """Text an editor's YAML reader may see as a number (``title: 42``): our loader keeps it as
    the text ``"42"``, which any text field takes, so the schema takes the number too."""

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return {"anyOf": [handler(schema), {"type": "number"}]}


@dataclass(frozen=True)
class Number:
    """A number between ``low`` and ``high``, written as a number or as the text our loader
    keeps numbers as: ``[+-]digits``, with ``.digits`` when ``whole`` is False. The schema takes
    both spellings, the text one through a regex generated from the same bounds."""

    low: int
    high: int | None = None
    whole: bool = True

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        bounds: dict[str, Any] = {"ge": self.low, "le": self.high}
        inner = (
            core_schema.int_schema(**bounds)
            if self.whole
            else core_schema.float_schema(allow_inf_nan=False, **bounds)
        )
        return core_schema.no_info_before_validator_function(self._parse, inner)

    def _parse(self, value: Any) -> Any:
        kind = "a whole number" if self.whole else "a number"
        if isinstance(value, bool):
            raise ValueError(f"expected {kind}, not true or false")
        text = _INTEGER_TEXT if self.whole else _DECIMAL_TEXT
        if isinstance(value, str):
            if not text.fullmatch(value):
                raise ValueError(f"expected {kind}, like {self.low}")
            if not self.whole:
                return float(value)
            digits = value.lstrip("+-").lstrip("0") or "0"
            if len(digits) > _MAX_DIGITS:
                raise ValueError(f"expected {kind} of at most {_MAX_DIGITS} digits")
            return int(value[0] + digits if value[0] in "+-" else digits)
        return value

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        as_number: dict[str, Any] = {"type": "integer" if self.whole else "number"}
        as_number["minimum"] = self.low
        if self.high is not None:
            as_number["maximum"] = self.high
        as_text = {"type": "string", "pattern": schema_pattern(self.text_regex())}
        return {"anyOf": [as_number, as_text]}

    def text_regex(self) -> str:
        """The texts ``_parse`` turns into a number within the bounds."""
        fraction = "" if self.whole else r"(?:\.[0-9]+)?"
        zero_fraction = "" if self.whole else r"(?:\.0+)?"
        branches = []
        low = max(self.low, 0)
        if self.high is None or self.high > low:
            top = None if self.high is None else self.high - 1
            branches.append(rf"\+?0*(?:{_digits_from(low, top)}){fraction}")
        if self.high is not None and self.high >= low:
            branches.append(rf"\+?0*{self.high}{zero_fraction}")
        if self.low < 0:
            branches.append(rf"-0*(?:{_digits_from(0, -self.low - 1)}){fraction}")
            branches.append(rf"-0*{-self.low}{zero_fraction}")
        elif self.low == 0:
            branches.append(rf"-0+{zero_fraction}")  # minus zero is zero
        return "|".join(branches)


def _digits_from(low: int, high: int | None) -> str:
    """A regex for the decimals ``low``..``high`` (no upper bound when None), no leading zeros."""
    if high is not None and high < low:
        return "(?!)"
    parts = []
    top_length = len(str(high)) if high is not None else len(str(low))
    for length in range(len(str(low)), top_length + 1):
        start = str(low) if length == len(str(low)) else "1" + "0" * (length - 1)
        end = str(high) if high is not None and length == len(str(high)) else "9" * length
        parts.append(_same_length(start, end))
    if high is None:
        parts.append(f"[1-9][0-9]{{{top_length},{_MAX_DIGITS - 1}}}")
    return "|".join(parts)


def _any_digits(count: int) -> str:
    return {0: "", 1: "[0-9]"}.get(count, f"[0-9]{{{count}}}")


def _same_length(start: str, end: str) -> str:
    """A regex for the decimals ``start``..``end``, both written with the same number of digits."""
    if start == end:
        return start
    if set(start[1:]) <= {"0"} and set(end[1:]) <= {"9"}:
        first = start[0] if start[0] == end[0] else f"[{start[0]}-{end[0]}]"
        return first + _any_digits(len(start) - 1)
    if start[0] == end[0]:
        return f"{start[0]}(?:{_same_length(start[1:], end[1:])})"
    width = len(start) - 1
    parts = [f"{start[0]}(?:{_same_length(start[1:], '9' * width)})"]
    if int(end[0]) - int(start[0]) > 1:
        middle = (int(start[0]) + 1, int(end[0]) - 1)
        first = str(middle[0]) if middle[0] == middle[1] else f"[{middle[0]}-{middle[1]}]"
        parts.append(first + _any_digits(width))
    parts.append(f"{end[0]}(?:{_same_length('0' * width, end[1:])})")
    return "|".join(parts)


def _named(value: str) -> str:
    """What ``Name`` checks beyond one line, for `init`'s options (scaffold.option_problems)."""
    if not value.strip():
        raise ValueError("must not be blank")
    return value


def _one_line(value: str) -> str:
    # splitlines() knows every line break: CR, LF, VT, FF, NEL, U+2028, U+2029 and the rest.
    if value and value.splitlines() != [value]:
        raise ValueError("must fit on one line (no line breaks)")
    return value


def _email(value: str) -> str:
    """The same strict rules render and send apply, so what validates also sends."""
    from .mail import check_address

    value = _one_line(value).strip()
    reason = check_address(value)
    if reason is not None:
        raise ValueError(f"{value!r} is not a valid e-mail address: {reason}")
    return value


def _host(value: str) -> str:
    """The check `send` applies to --smtp-host, so what validates also connects."""
    from .mail import check_host

    return check_host(value)


def _words(value: Any) -> Any:
    """Accept a single text where a list is expected: `values: reliability` reads naturally."""
    if isinstance(value, str):
        return [value]
    return value


def _flag(value: Any) -> Any:
    """true/false, or one of the _FLAG_WORDS in any ASCII case."""
    if isinstance(value, str):
        if not _FLAG_TEXT.fullmatch(value):
            raise ValueError("expected true or false (yes/no and on/off work too)")
        return _FLAG_WORDS[value.lower()]
    return value


_FlagText = Annotated[str, JsonPattern(FLAG_REGEX)]
_ONE_LINE = Matches(ONE_LINE_REGEX, "must fit on one line (no line breaks)")

PlanDate = Annotated[
    date, BeforeValidator(plan_date), AfterValidator(within_range), JsonPattern(DATE_REGEX)
]
Id = Annotated[
    str,
    Matches(
        ID_REGEX,
        "ids are 1-64 characters: ASCII letters a-z and A-Z, digits 0-9, '-', '_' or '.', "
        "starting with a letter or digit (no spaces or accents: 'jose', not 'josé')",
    ),
]
Text = Annotated[str, EditorNumber()]
OneLine = Annotated[str, _ONE_LINE, EditorNumber()]
Name = Annotated[
    str,
    StringConstraints(min_length=1),
    _ONE_LINE,
    Matches(NOT_BLANK_REGEX, "must not be blank"),
    EditorNumber(),
]
Email = Annotated[str, AfterValidator(_email), JsonPattern(EMAIL_REGEX)]
Host = Annotated[str, AfterValidator(_host), JsonPattern(HOST_REGEX)]
Url = Annotated[
    str,
    _ONE_LINE,
    Matches(URL_REGEX, "links must start with http://, https:// or mailto:"),
    AfterValidator(str.strip),
]
Color = Annotated[
    str,
    Matches(COLOR_REGEX, "colours are written as hex, like '#0B6E4F'"),
    AfterValidator(str.strip),
]
Flag = Annotated[
    bool, BeforeValidator(_flag, json_schema_input_type=bool | _FlagText | Literal[0, 1])
]
TextList = Annotated[
    list[OneLine], BeforeValidator(_words, json_schema_input_type=OneLine | list[OneLine])
]
IdList = Annotated[list[Id], BeforeValidator(_words, json_schema_input_type=Id | list[Id])]
EmailList = Annotated[
    list[Email], BeforeValidator(_words, json_schema_input_type=Email | list[Email])
]


class Strict(BaseModel):
    """Base for plan sections: unknown keys are errors, so typos never pass silently."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, frozen=True)


# -- measures (issue 16): a figure and its unit ----------------------------------------------------

MAX_FIGURE = 10**12
"""The largest figure a measure takes, either way of zero: a trillion of anything is a typo."""
UNIT_REGEX = f"[{SPACES}]*[^{LINE_BREAKS}{SPACES}][^{LINE_BREAKS}]{{0,23}}"
"""A unit: one line, not blank, at most 24 characters ('%', '£', 'days', 'orders per hour')."""
Unit = Annotated[
    str,
    Matches(UNIT_REGEX, "a unit is one line of at most 24 characters, e.g. '%' or 'days'"),
    AfterValidator(str.strip),
]
Figure = Annotated[float, Number(-MAX_FIGURE, MAX_FIGURE, whole=False)]
PIXEL_SIZE_REGEX = r"[0-9]{1,4}x[0-9]{1,4}"
PixelSize = Annotated[
    str, Matches(PIXEL_SIZE_REGEX, "a size is WIDTHxHEIGHT in pixels, e.g. '360x80'")
]
LOCAL_FILE_REGEX = r"(?![/\\])(?![A-Za-z]:)(?!(?:.*[/\\])?\.\.(?:[/\\]|$)).{1,255}"
"""A relative path that stays in the plan's folder: not absolute, no drive, no '..' part."""
LocalFile = Annotated[
    str,
    _ONE_LINE,
    Matches(
        LOCAL_FILE_REGEX,
        "must be a file in the plan's folder or below it: a relative path without '..', "
        "e.g. 'brand/logo.png'",
    ),
    EditorNumber(),
]
