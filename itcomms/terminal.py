"""A Rich console that never lets untrusted text drive the terminal.

Plan text, feedback comments and ledger notes may hold escape sequences (recolour, clear the
screen, retitle the window) or bidi overrides that reorder what is shown. Rich strips only a
few control codes, so this console drops the rest from every piece of text it renders, while
its own styling (carried separately as styles and control segments) is untouched.
"""

from __future__ import annotations

from typing import Any

# C0 controls but tab and line feed, DEL, C1 controls, and the bidi embeddings and overrides.
_UNSAFE = dict.fromkeys(
    [
        *range(0x00, 0x09),
        *range(0x0B, 0x20),
        *range(0x7F, 0xA0),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ]
)


def terminal_safe(text: str) -> str:
    """``text`` without the characters that could move the cursor, recolour or reorder."""
    return text.translate(_UNSAFE)


def one_line(text: str) -> str:
    """``terminal_safe`` text that also stays on one line: line breaks are shown as escapes."""
    return terminal_safe(text.replace("\r", "\\r").replace("\n", "\\n"))


def safe_console(**options: Any) -> Any:
    """A ``rich.console.Console`` (same options) whose rendered text is terminal-safe."""
    from rich.console import Console
    from rich.segment import Segment

    class SafeConsole(Console):
        def render(self, renderable: Any, options: Any = None) -> Any:
            for segment in super().render(renderable, options):
                if segment.control:
                    yield segment
                else:
                    yield Segment(terminal_safe(segment.text), segment.style)

    return SafeConsole(**options)
