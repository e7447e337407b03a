"""The console script's entry point: imports the command line only inside its own Ctrl-C handling.

Importing :mod:`policycheck.cli` loads DuckDB, numpy, pyarrow and the command modules (about 1-2 s). A Ctrl-C
in that window used to print Python's traceback, because :func:`policycheck.cli.main` was not running yet;
here it prints one line and exits 130 like a Ctrl-C during a command (:mod:`policycheck.exitcodes`).
"""

from __future__ import annotations

import sys

from policycheck.exitcodes import INTERRUPTED

STARTING_INTERRUPTED = "interrupted while starting: no command was run, nothing was written"


def main() -> None:
    """Run ``policycheck`` (arguments from ``sys.argv``). Exits 130 with one line on stderr when Ctrl-C
    (SIGINT) arrives while the command line is imported; afterwards :func:`policycheck.cli.main` handles
    errors and Ctrl-C itself. Raises nothing; exits with the command's status."""
    try:
        from policycheck.cli import main as cli_main
    except KeyboardInterrupt:
        sys.stderr.write(STARTING_INTERRUPTED + "\n")
        raise SystemExit(INTERRUPTED) from None
    cli_main()
