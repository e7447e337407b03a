"""policycheck: compare a privacy policy's data-practice claims with an app's observed network flows."""

import os

__version__ = "0.1.0"

# Arrow's C++ default memory pool is chosen at its first use, which importing the package's modules makes: set here,
# before any of them imports pyarrow (policycheck.reservations says why; a value the user set is kept)
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
