"""The console script's entry point: imports the command line only inside its own Ctrl-C handling.

Importing :mod:`policycheck.cli` loads DuckDB, numpy, pyarrow and the command modules (about 1-2 s). A Ctrl-C
in that window used to print Python's traceback, because :func:`policycheck.cli.main` was not running yet;
here it prints one line and exits 130 like a Ctrl-C during a command (:mod:`policycheck.exitcodes`).

SIGTERM (``kill PID``, ``timeout``, a scheduler stopping the job) unwinds the same way as Ctrl-C and exits 143
(:func:`terminated`): its default action killed the process on the spot, leaving the ingest workers it had forked
waiting for work forever.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
from types import FrameType

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


M_ARENA_MAX = -8  # glibc's mallopt parameter (malloc.h)


def _lean_allocators() -> None:
    """Keep the address space the process reserves near what it uses, so that a limit on it (``ulimit -v``,
    ``prlimit --as``) is met by what the command needs: Arrow's default pool (jemalloc or mimalloc) reserves about
    1 GB of address space up front, and glibc up to 8 malloc arenas of 64 MB per core (mallopt(3), M_ARENA_MAX).
    Measured on ``import-archive`` of one policy with re-judging: 2.5 GB of address space before, 0.8 GB after,
    330 MB resident either way (the 2.5 GB failed under the tests' 2.5 GB limit). Before Arrow is imported:
    ``ARROW_DEFAULT_MEMORY_POOL=system`` (Arrow documentation, "Memory Management"; an explicit value wins),
    and 2 malloc arenas where the C library has ``mallopt`` (glibc; elsewhere nothing changes)."""
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    with contextlib.suppress(AttributeError, OSError):  # not glibc
        ctypes.CDLL(None).mallopt(M_ARENA_MAX, 2)


def terminated() -> bool:
    """Whether the interrupt this process is handling came from SIGTERM rather than Ctrl-C (SIGINT)."""
    return _terminated


def main() -> None:
    """Run ``policycheck`` (arguments from ``sys.argv``). Exits 130 with one line on stderr when Ctrl-C
    (SIGINT) arrives while the command line is imported (143 for SIGTERM); afterwards :func:`policycheck.cli.main`
    handles errors, Ctrl-C and SIGTERM itself. Raises nothing; exits with the command's status."""
    signal.signal(signal.SIGTERM, _on_sigterm)
    _lean_allocators()
    try:
        from policycheck.cli import main as cli_main
    except KeyboardInterrupt:
        sys.stderr.write(STARTING_INTERRUPTED.replace("interrupted", "terminated" if _terminated else "interrupted")
                         + "\n")
        raise SystemExit(TERMINATED if _terminated else INTERRUPTED) from None
    cli_main()
