"""Files shipped inside the wheel (default templates, the scaffold), via importlib.resources."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

SCAFFOLD_DIR = "scaffold"


def templates_root() -> Traversable:
    """The default templates folder installed with the package."""
    return files("itcomms") / "templates"


def default_template_names() -> list[str]:
    """Names of the default render templates (the scaffold is not one of them)."""
    root = templates_root()
    return sorted(
        entry.name for entry in root.iterdir() if entry.is_file() and not entry.name.startswith(".")
    )


def read_template(name: str) -> str:
    return (templates_root() / name).read_text(encoding="utf-8")


def read_scaffold(name: str) -> str:
    return (templates_root() / SCAFFOLD_DIR / name).read_text(encoding="utf-8")
