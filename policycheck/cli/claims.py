"""Commands of the claims stage (see the module docstrings of policycheck.claims)."""
