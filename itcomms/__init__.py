"""itcomms: plan-as-code for IT departments that market themselves to the business.

The package is importable without the CLI: load a valid plan with
:func:`itcomms.validate.load_plan`, or list every problem with
:func:`itcomms.validate.check_plan_file`.
"""

__version__ = "0.1.0"
