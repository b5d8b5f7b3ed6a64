"""Editions of each channel, rendered per audience: see ``compose``."""

from .compose import *  # noqa: F403
from .compose import _channel_groups  # noqa: F401
