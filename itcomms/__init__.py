"""itcomms: plan-as-code for IT departments that market themselves to the business.

The package is importable without the CLI: load a plan with :func:`itcomms.loader.load_plan`,
check it with :func:`itcomms.validate.validate_plan`.
"""

__version__ = "0.1.0"
