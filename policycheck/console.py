"""The console script's entry point: imports the command line only inside its own Ctrl-C handling.

Importing :mod:`policycheck.cli` loads DuckDB, numpy, pyarrow and the command modules (about 1-2 s). A Ctrl-C
in that window used to print Python's traceback, because :func:`policycheck.cli.main` was not running yet;
here it prints one line and exits 130 like a Ctrl-C during a command (:mod:`policycheck.exitcodes`).

SIGTERM (``kill PID``, ``timeout``, a scheduler stopping the job) unwinds the same way as Ctrl-C and exits 143
(:func:`terminated`): its default action killed the process on the spot, leaving the ingest workers it had forked
waiting for work forever.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType

from policycheck import reservations
from policycheck.exitcodes import INTERRUPTED, TERMINATED

STARTING_INTERRUPTED = "interrupted while starting: no command was run, nothing was written"
_terminated = False


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    """Raise ``KeyboardInterrupt`` where the program is (DuckDB stops its statement and rolls back, worker pools shut
    down, files close), remembering that SIGTERM did it; a second SIGTERM while unwinding is ignored."""
    global _terminated
    _terminated = True
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt


def terminated() -> bool:
    """Whether the interrupt this process is handling came from SIGTERM rather than Ctrl-C (SIGINT)."""
    return _terminated


def main() -> None:
    """Run ``policycheck`` (arguments from ``sys.argv``). Exits 130 with one line on stderr when Ctrl-C
    (SIGINT) arrives while the command line is imported (143 for SIGTERM); afterwards :func:`policycheck.cli.main`
    handles errors, Ctrl-C and SIGTERM itself. Raises nothing; exits with the command's status."""
    signal.signal(signal.SIGTERM, _on_sigterm)
    reservations.cut()  # before DuckDB's threads start (policycheck.reservations)
    try:
        from policycheck.cli import main as cli_main
    except KeyboardInterrupt:
        sys.stderr.write(STARTING_INTERRUPTED.replace("interrupted", "terminated" if _terminated else "interrupted")
                         + "\n")
        raise SystemExit(TERMINATED if _terminated else INTERRUPTED) from None
    cli_main()
