"""Commands of the gaps stage (see the module docstrings of policycheck.gaps)."""
