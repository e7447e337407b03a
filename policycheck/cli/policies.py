"""Commands of the policies stage (see the module docstrings of policycheck.policies)."""
