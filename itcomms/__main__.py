"""`python -m itcomms` runs the CLI."""

from .cli import main

main()
