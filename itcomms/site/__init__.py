"""``itcomms site``: the IT newsroom as a static site with relative links only.

``content`` gathers what the site shows (published editions, deadlines, feedback answered),
``pages`` fills ``templates/site`` and puts the site's menu on pages other commands make,
``feeds`` writes the Atom feeds, and ``build`` makes every file (``build_site``) and writes
them with render's rules (``write_site``).
"""

from .build import Site, SiteFile, build_site, check_base_url, write_site

__all__ = ["Site", "SiteFile", "build_site", "check_base_url", "write_site"]
