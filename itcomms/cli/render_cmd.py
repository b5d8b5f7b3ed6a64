"""Placeholder: this command module is being written (see the open issues)."""
