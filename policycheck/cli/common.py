"""Shared pieces of the CLI: the typer app, consoles, and option types used by several commands."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from policycheck import config
from policycheck.errors import PolicycheckError
from policycheck.workspace import Paths, Settings, Workspace

app = typer.Typer(
    name="policycheck",
    help="Check what an app's network traffic shows against what its privacy policy says.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
class _Console(Console):
    """rich's console, ending the command with status 0 instead of 1 when the reader of stdout closed the pipe
    (``policycheck gaps | head``: the reader has what it wanted; 1 is the status of a bug, README "Commands")."""

    def on_broken_pipe(self) -> None:
        """Silence further output and exit 0 (rich's own: the same with status 1)."""
        try:
            super().on_broken_pipe()
        except SystemExit:
            raise SystemExit(0) from None


console = _Console()  # data output (tables, JSON) goes to stdout
err_console = Console(stderr=True)  # progress, warnings and errors go to stderr

DbOption = Annotated[
    Path,
    typer.Option("--db", help="DuckDB store file.", envvar="POLICYCHECK_DB", show_default=True),
]


def _mappings_folder(value: Path) -> Path:
    """``--mappings`` checked when the command line is parsed (:func:`check_folder`): a file or a missing folder
    is one line naming the option (``afile/data_types.yaml: ... Not a directory`` named neither)."""
    return check_folder(value, "--mappings", must_exist=True)


MappingsOption = Annotated[
    Path,
    typer.Option("--mappings", help="Folder of ontology and endpoint files.", envvar="POLICYCHECK_MAPPINGS",
                 callback=_mappings_folder),
]


DEFAULT_DB = config.default_db()
DEFAULT_MAPPINGS = config.mappings_dir()
DEFAULT_OUT = Path("out")  # the reports' folder (--out of `report` and `run`)


def open_workspace(db: Path, mode: str, mappings: Path = DEFAULT_MAPPINGS, out: Path = DEFAULT_OUT,
                   settings: Settings | None = None) -> Workspace:
    """The workspace of a command: the store ``db`` opened in ``mode`` (``store.READ`` or ``store.WRITE``;
    read commands read-only) with the ontology of ``mappings`` (written to the store by write commands)."""
    return Workspace.open(Paths(db, mappings, out), mode, settings)


def _print_version(value: bool) -> None:
    if value:
        from policycheck import __version__

        console.print(f"policycheck {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Check what an app's network traffic shows against what its privacy policy says.

    Stages: policies (scrape, import-archive) -> claims (extract) ; captures (ingest) -> flows ;
    both -> gaps -> report. `policycheck run` does all of it. Exit statuses: see policycheck/exitcodes.py.
    """


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def shown(value: object) -> str:
    """``value`` as text to print through rich on one line: control characters (a line break, a terminal escape
    sequence in a file name) written as Python escapes (``\\n``, ``\\x1b``), and rich markup escaped (a file named
    ``a[/]b.har`` once raised rich's MarkupError, one named ``[bold]x.har`` was shown as ``x.har``)."""
    return escape(_CONTROL.sub(lambda m: repr(m.group())[1:-1], str(value)))


def check_folder(path: Path, option: str, must_exist: bool = False) -> Path:
    """Check, before any work, that ``path`` given with ``option`` can be a folder: it is one, or it is missing and
    (unless ``must_exist``) its nearest existing ancestor is a folder, so that it can be created. Returns ``path``.
    Raises :class:`PolicycheckError` naming the option, the path and what is wrong: a file where the folder should
    be, a file among its parents, a missing folder (``--snapshots: /x/f is a file, not a folder``; the operating
    system's ``Not a directory`` named neither the option nor which part of the path was the file)."""
    if path.is_dir():
        return path
    if path.exists() or path.is_symlink():
        raise PolicycheckError(option, f"{path} is a file, not a folder" if path.exists() else
                                       f"{path} is a broken symbolic link, not a folder")
    for parent in path.absolute().parents:
        if parent.is_dir():
            break
        if parent.exists():
            raise PolicycheckError(option, f"{path}: {parent} is a file, not a folder")
    if must_exist:
        raise PolicycheckError(option, f"{path}: no such folder")
    return path
