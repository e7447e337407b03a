"""The ``policycheck`` command line: thin typer commands, each calling one library function.

Commands are defined in the modules of this package, grouped by stage (``policies``, ``claims``, ``flows``,
``gaps``, ``run``, ``changes``, ``crosscheck``, ``verify``, ``store``); each module adds its commands to :data:`app`.
"""

from __future__ import annotations

import gc
import os
import re
import sys
from concurrent.futures.process import BrokenProcessPool
from typing import NoReturn

import duckdb
import typer
from typer._click import exceptions as click  # typer (0.2x) parses with its own copy of click

from policycheck import console, reservations, surrogates
from policycheck import store as store_module
from policycheck.cli.common import app, err_console, shown
from policycheck.errors import PolicycheckError
from policycheck.exitcodes import BAD_INPUT, INTERRUPTED, TERMINATED

# Importing the command modules registers their commands on `app`.
from policycheck.cli import store as _store  # noqa: F401  isort: skip
from policycheck.cli import policies as _policies  # noqa: F401  isort: skip
from policycheck.cli import claims as _claims  # noqa: F401  isort: skip
from policycheck.cli import flows as _flows  # noqa: F401  isort: skip
from policycheck.cli import gaps as _gaps  # noqa: F401  isort: skip
from policycheck.cli import run as _run  # noqa: F401  isort: skip
from policycheck.cli import changes as _changes  # noqa: F401  isort: skip
from policycheck.cli import verify as _verify  # noqa: F401  isort: skip
from policycheck.cli import crosscheck as _crosscheck  # noqa: F401  isort: skip

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point: runs the typer app; a :class:`PolicycheckError`, a DuckDB error saying
    the store file is damaged (found while reading it), or DuckDB running out of its memory limit prints one line
    and exits 2; Ctrl-C prints one line and exits 130 (DuckDB rolls back the open transaction, so nothing is
    half written). A store the failed command created (:data:`policycheck.store.created`) is removed on exit 2."""
    status = BAD_INPUT
    store_module.created.clear()  # only a store this command creates is removed when it fails
    reservations.cut()
    try:
        _check_utf8()
        status = _run_app()
    except click.UsageError as exc:  # an unknown option, a value its type refuses (--mode x, --min-confidence nan)
        message, status = _usage_line(exc), exc.exit_code
    except click.ClickException as exc:  # a file option that does not exist or cannot be opened
        message, status = " ".join(exc.format_message().split()), exc.exit_code
    except typer.Abort:
        message, status = _INTERRUPTED, INTERRUPTED
    except PolicycheckError as exc:
        message = str(exc)  # the traceback (and the open store it holds) is released when this block ends
    except duckdb.OutOfMemoryException as exc:
        message = _out_of_memory(store_module.error_line(exc))
    except (MemoryError, BrokenProcessPool) as exc:  # the process (or an ingest worker) could not allocate
        where = "an ingest worker" if isinstance(exc, BrokenProcessPool) else "policycheck"
        message = _out_of_memory(f"{type(exc).__name__} in {where}")
    except (KeyboardInterrupt, duckdb.InterruptException):
        message, status = _INTERRUPTED, INTERRUPTED
    except duckdb.Error as exc:
        first = store_module.error_line(exc)
        if _ALLOCATION.search(first):  # an allocation refused inside DuckDB, surfacing as another error class
            message = _out_of_memory(first)
        elif store_module.is_damage(exc) and store_module.last_opened is not None:
            message = str(store_module.damaged(store_module.last_opened, first))
        else:
            raise
    except BrokenPipeError:  # the reader closed the pipe early (`policycheck gaps | head`): it has what it wanted
        _quiet_exit()
    except OSError as exc:  # writing the output failed (a full disk, /dev/full), or a file no reader checked
        message = f"{exc.filename or 'standard output'}: {exc.strerror or exc}"
    except RuntimeError as exc:
        if str(exc) != "Query interrupted":  # what DuckDB's Python client raises when SIGINT stops a query
            raise
        message, status = _INTERRUPTED, INTERRUPTED
    else:
        if status == INTERRUPTED:  # typer turns a Ctrl-C in Python code into exit status 130, silently
            _exit(*_interrupted())
        sys.exit(status)
    _exit(*(_interrupted() if status == INTERRUPTED else (message, status)))


def _check_utf8() -> None:
    """Refuse a command-line argument or ``POLICYCHECK_*`` variable that is not UTF-8: Python hands its bytes on as
    lone surrogates (``surrogateescape``), which no store column, hash or file name written as UTF-8 can take.
    Raises :class:`PolicycheckError` naming the argument with its bytes escaped (``\\xff``)."""
    named = [("command line", arg) for arg in sys.argv[1:]]
    named += [(f"${name}", value) for name, value in os.environ.items() if name.startswith("POLICYCHECK_")]
    for where, value in named:
        if surrogates.LONE.search(value):
            shown = os.fsencode(value).decode("utf-8", "backslashreplace")
            raise PolicycheckError(where, f"'{shown[:200]}' is not UTF-8 text; policycheck takes UTF-8 arguments, "
                                          "names and file names")


def _quiet_exit() -> NoReturn:
    """Exit 0 without writing again to a standard output whose reader has gone (Python would report the failed
    flush at exit): stdout is pointed at ``os.devnull`` first (Python documentation, "Note on SIGPIPE")."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(0)


def _run_app() -> int:
    """Run the typer app with click's standalone mode off, so that usage errors reach :func:`main` (whose one-line
    message replaces typer's boxed panel); returns the exit status a command gave with ``typer.Exit`` (0 without)."""
    try:
        status = app(standalone_mode=False)
    except SystemExit as exc:  # typer's own handling of a closed pipe exits 1 (the status of a bug)
        if isinstance(exc.__context__, BrokenPipeError):
            _quiet_exit()
        raise
    return status if isinstance(status, int) else 0


def _usage_line(exc: click.UsageError) -> str:
    """A click usage error as one line: the command and click's message (``gaps: Invalid value for '--mode': ...``).
    Raises ``SystemExit`` (status 2) for a command called without any argument: typer printed its help already."""
    if isinstance(exc, click.NoArgsIsHelpError):
        sys.exit(exc.exit_code)
    ctx = exc.ctx
    command = ctx.info_name if ctx is not None and ctx.parent is not None else "policycheck"
    return f"{command}: {' '.join(exc.format_message().split())}"


_INTERRUPTED = "interrupted: the running statement was stopped; nothing it was writing was stored"


def _interrupted() -> tuple[str, int]:
    """The line and exit status of an interrupt: Ctrl-C (130), or SIGTERM (143, :func:`policycheck.console.main`
    turns it into the same ``KeyboardInterrupt``)."""
    if console.terminated():
        return _INTERRUPTED.replace("interrupted:", "terminated (SIGTERM):"), TERMINATED
    return _INTERRUPTED, INTERRUPTED


# what DuckDB says when an allocation failed but raises another class than OutOfMemoryException: a commit ("Failed
# to commit: Failed to allocate block of 262144 bytes (bad allocation)", TransactionException) or an Arrow stream it
# reads ("exporting a stream ... failed: MemoryError", InvalidInputException); seen under `prlimit --as`
_ALLOCATION = re.compile(r"Failed to allocate|bad allocation|: MemoryError\b|std::bad_alloc")


def _out_of_memory(detail: str) -> str:
    """One line for running out of memory (``detail``: DuckDB's first line or the Python exception's name): DuckDB
    reaching its own ``memory_limit`` says ``(X/Y used)`` and is helped by a higher limit; an allocation the
    operating system refused (a ``ulimit -v``, a container's cap, a full machine) is not."""
    where = store_module.last_opened or "the store"
    if "used)" in detail:
        return (f"{where}: the query needs more memory than DuckDB may use ({detail}); raise "
                "$POLICYCHECK_MEMORY_LIMIT (README \"Scale\")")
    return (f"out of memory: the operating system refused an allocation ({detail}); the open transaction was rolled "
            "back. Free memory or raise the process's limit (ulimit -v, a container's cap)")


def _exit(message: str, status: int) -> NoReturn:
    """Print ``message`` as one line on stderr (an ``error:`` line unless it is the Ctrl-C line) and exit
    with ``status``."""
    gc.collect()  # frames of the failed command may hold DuckDB objects in cycles: free them before exit
    if status not in (INTERRUPTED, TERMINATED):
        store_module.remove_created()  # a store the failed command created is not left half written
    prefix = "" if status in (INTERRUPTED, TERMINATED) else "[bold red]error:[/] "
    err_console.print(f"{prefix}{shown(message)}", highlight=False, soft_wrap=True)
    sys.exit(status)
