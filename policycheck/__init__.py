"""policycheck: compare a privacy policy's data-practice claims with an app's observed network flows."""

__version__ = "0.1.0"
