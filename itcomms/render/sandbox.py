"""The Jinja sandbox plan templates run in.

Templates from the plan's folder are plan input: they must not reach Python's internals
(``cycler.__init__.__globals__.os``), change the values they are given, or build values big
enough to exhaust the machine. Jinja's own sandbox answers the first two. For the third, no
single step may build a string or list of more than ``MAX_TEMPLATE_REPEAT`` items: ``*``
(repeating), ``%``, ``str.format`` and the ``format`` filter (a field's width or precision),
the methods and filters that pad or repeat to a width or a count (``center``, ``ljust``,
``indent``, ``batch``...), and those whose result is as big as their inputs say (``replace``,
``join``), each checked before it runs; ``**`` may not have an exponent over
``MAX_TEMPLATE_EXPONENT``. Left unchecked: growth by ``~`` in a loop, doubling a string each
time, which Jinja compiles to a join no environment method sees.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache, wraps
from string import Formatter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_TEMPLATE_REPEAT = 1_000_000
"""The longest string or list one step of a template may build."""
MAX_TEMPLATE_EXPONENT = 1024

_PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d*)(?:\.(\*|\d*))?")
_NUMBER = re.compile(r"\d+")


def refuse_over(size: int, what: str) -> None:
    """SecurityError (a template error at the template's line) when ``size`` is over the
    limit."""
    if size > MAX_TEMPLATE_REPEAT:
        from jinja2.exceptions import SecurityError

        raise SecurityError(f"{what} would build {size:,} items (at most {MAX_TEMPLATE_REPEAT:,})")


def _count(value: Any) -> int:
    """A count or width as a template gives it: an int, else nothing to check."""
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _biggest(values: Any) -> int:
    return max((_count(value) for value in values), default=0)


def _check_percent(template: str, args: Any) -> None:
    """``'%-300000000s' % x``: every width and precision, and ``*`` ones from the values."""
    values = args if isinstance(args, tuple) else (args,)
    for width, precision in _PERCENT_FIELD.findall(template):
        for number in (width, precision):
            if number == "*":
                refuse_over(_biggest(values), "'%' with a '*' width")
            elif number:
                refuse_over(int(number), "'%' with a width")


def _check_format(template: str, args: Any, kwargs: Any) -> None:
    """``'{:>300000000}'.format(x)``: every number in a field's spec, and the values a
    nested ``{}`` in a spec may take."""
    try:
        fields = list(Formatter().parse(template))
    except ValueError:
        return  # str.format raises its own error for a malformed template
    for _, _, spec, _ in fields:
        for number in _NUMBER.findall(spec or ""):
            refuse_over(int(number), "a format width")
        if spec and "{" in spec:
            refuse_over(_biggest((*args, *dict(kwargs).values())), "a nested format width")


def _joined(items: Any, separator: Any = "", *_: Any, **__: Any) -> int:
    if not isinstance(items, list | tuple):
        return 0  # a generator is read as it is joined; it cannot be measured first
    gaps = len(str(separator)) * max(len(items) - 1, 0)
    return sum(len(str(item)) for item in items) + gaps


def _replaced(text: Any, old: Any, new: Any, count: Any = None, *_: Any, **__: Any) -> int:
    text, old, new = str(text), str(old), str(new)
    found = text.count(old) if old else len(text) + 1
    if _count(count) > 0:
        found = min(found, _count(count))
    return len(text) + found * (len(new) - len(old))


def _indented(text: Any, width: Any = 4, *_: Any, **__: Any) -> int:
    step = len(width) if isinstance(width, str) else _count(width)
    return len(str(text)) + step * (str(text).count("\n") + 1)


def _wrapped(
    text: Any, width: Any = 79, breaks: Any = True, wrapstring: Any = None, *_: Any, **__: Any
) -> int:
    return len(str(text)) * (1 + len(str(wrapstring or "\n")))


def _padded(text: Any, width: Any = 0, *_: Any, **__: Any) -> int:
    return len(str(text)) + _count(width)


def _counted(value: Any, count: Any = 0, *_: Any, **named: Any) -> int:
    return _biggest((count, named.get("linecount"), named.get("slices")))


def _tabs(text: Any, tabsize: Any = 8, *_: Any, **__: Any) -> int:
    return len(str(text)) + str(text).count("\t") * _count(tabsize)


# What a filter or a method would build, from its own arguments (the value first).
_FILTER_SIZES: dict[str, Callable[..., int]] = {
    "center": _padded,
    "indent": _indented,
    "wordwrap": _wrapped,
    "batch": _counted,
    "slice": _counted,
    "replace": _replaced,
    "join": _joined,
}
_METHOD_SIZES: dict[str, Callable[..., int]] = {
    "center": _padded,
    "ljust": _padded,
    "rjust": _padded,
    "zfill": _padded,
    "expandtabs": _tabs,
    "replace": _replaced,
}


def _guard_filter(function: Callable[..., Any], name: str) -> Callable[..., Any]:
    """``function`` with a size check first; Jinja passes some filters an environment or an
    evaluation context before the value."""
    skip = 1 if hasattr(function, "jinja_pass_arg") else 0

    @wraps(function)  # keeps jinja_pass_arg, so Jinja still passes what the filter expects
    def guarded(*args: Any, **kwargs: Any) -> Any:
        own = args[skip:]
        if name == "format" and own:
            _check_percent(str(own[0]), tuple(own[1:]) or dict(kwargs))
        elif own:
            refuse_over(_FILTER_SIZES[name](*own, **kwargs), f"'{name}'")
        return function(*args, **kwargs)

    return guarded


def guard_filters(filters: dict[str, Callable[..., Any]]) -> None:
    """Put the size checks in front of Jinja's filters that can build big values."""
    for name in (*_FILTER_SIZES, "format"):
        if name in filters:
            filters[name] = _guard_filter(filters[name], name)


def _check_method(owner: Any, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    size = _METHOD_SIZES.get(name)
    if name == "format":  # Jinja before 3.1.5 formats here; later ones in wrap_str_format
        _check_format(owner, args, kwargs)
    elif name == "format_map":
        _check_format(owner, (), args[0] if args and isinstance(args[0], dict) else {})
    elif size is not None:
        refuse_over(size(owner, *args, **kwargs), f"'{name}'")
    elif name == "join" and args:
        refuse_over(_joined(args[0], owner), "'join'")


@lru_cache(maxsize=1)
def sandbox_class() -> type[ImmutableSandboxedEnvironment]:
    """Jinja's immutable sandbox with the size checks above, and its attribute checks
    remembered per type."""
    from types import BuiltinMethodType, MethodType

    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    safe_attributes: dict[tuple[type[Any], str], bool] = {}

    class Sandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "%"})

        def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
            # Jinja's checks depend only on the object's type and the attribute's name
            # (is_internal_attribute, modifies_known_mutable), and are made for every attribute
            # a template reads: remembered, they cost a dictionary lookup.
            key = (type(obj), attr)
            safe = safe_attributes.get(key)
            if safe is None:
                safe = safe_attributes[key] = super().is_safe_attribute(obj, attr, value)
            return safe

        def getattr(self, obj: Any, attribute: str) -> Any:
            # Jinja's own method, with the common cases first: a key of a dict (as Jinja does,
            # an item needs no check), and an attribute already known to be safe on this type
            # holding data rather than a method (Jinja wraps str.format and str.format_map).
            try:
                value = getattr(obj, attribute)
            except AttributeError:
                try:
                    return obj[attribute]
                except (TypeError, LookupError):
                    return self.undefined(obj=obj, name=attribute)
            if safe_attributes.get((type(obj), attribute)) and not isinstance(
                value, MethodType | BuiltinMethodType
            ):
                return value
            return super().getattr(obj, attribute)

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**" and isinstance(right, int) and right > MAX_TEMPLATE_EXPONENT:
                raise SecurityError(f"'**' with an exponent over {MAX_TEMPLATE_EXPONENT}")
            if operator == "*":
                count, item = (left, right) if isinstance(left, int) else (right, left)
                if isinstance(count, int) and isinstance(item, str | list | tuple):
                    refuse_over(count * len(item), "'*'")
            if operator == "%" and isinstance(left, str):
                _check_percent(left, right)
            return super().call_binop(context, operator, left, right)

        def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
            wrapper = super().wrap_str_format(value)
            if wrapper is None:
                return None
            template, is_map = value.__self__, value.__name__ == "format_map"

            def checked(*args: Any, **kwargs: Any) -> str:
                if is_map:
                    mapping = args[0] if args and isinstance(args[0], dict) else {}
                    _check_format(template, (), mapping)
                else:
                    _check_format(template, args, kwargs)
                return wrapper(*args, **kwargs)

            return checked

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
            owner = getattr(__obj, "__self__", None)
            if isinstance(owner, str):
                _check_method(owner, getattr(__obj, "__name__", ""), args, kwargs)
            return super().call(__context, __obj, *args, **kwargs)

    return Sandbox
