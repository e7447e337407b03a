"""Commands of the flows stage (see the module docstrings of policycheck.flows)."""
