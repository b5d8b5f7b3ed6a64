"""`python -m itcomms` runs the CLI."""

from .entry import run

run()
