"""The ``policycheck`` command line: thin typer commands, each calling one library function.

Commands are defined in the modules of this package, grouped by stage (``policies``, ``claims``, ``flows``,
``gaps``, ``crosscheck``, ``store``); each module adds its commands to :data:`app`.
"""

from __future__ import annotations

import sys

from policycheck.cli.common import app, err_console
from policycheck.errors import PolicycheckError
from policycheck.exitcodes import BAD_INPUT

# Importing the command modules registers their commands on `app`.
from policycheck.cli import store as _store  # noqa: F401  isort: skip
from policycheck.cli import policies as _policies  # noqa: F401  isort: skip
from policycheck.cli import claims as _claims  # noqa: F401  isort: skip
from policycheck.cli import flows as _flows  # noqa: F401  isort: skip
from policycheck.cli import gaps as _gaps  # noqa: F401  isort: skip
from policycheck.cli import crosscheck as _crosscheck  # noqa: F401  isort: skip

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point: runs the typer app; a :class:`PolicycheckError` prints one line, exit 2."""
    try:
        app()
    except PolicycheckError as exc:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(BAD_INPUT)
