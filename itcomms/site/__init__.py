"""``itcomms site``: the IT newsroom as a static site with relative links only.

``content`` gathers what the site shows (published editions, deadlines, feedback answered),
``pages`` fills ``templates/site`` and puts the site's menu on pages other commands make,
``feeds`` writes the Atom feeds, and ``build`` makes every file (``build_site``) and writes
them with render's rules (``write_site``); ``folder`` does the whole run as the command does
(``site_to_folder``), splitting a big plan over forked workers that write their own pages.
"""

from .build import Site, SiteFile, build_site, check_base_url, write_site
from .folder import SiteRun, site_to_folder

__all__ = [
    "Site",
    "SiteFile",
    "SiteRun",
    "build_site",
    "check_base_url",
    "site_to_folder",
    "write_site",
]
