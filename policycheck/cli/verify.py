"""``policycheck verify``: re-check a report's evidence bundle against the store and the files it cites."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from policycheck import exitcodes, store
from policycheck.cli.common import (
    DEFAULT_DB,
    DEFAULT_MAPPINGS,
    DbOption,
    MappingsOption,
    app,
    console,
    open_workspace,
    shown,
)
from policycheck.errors import PolicycheckError
from policycheck.flows import limits
from policycheck.reports.verify import verify_report
from policycheck.sizes import size_text
from policycheck.textfile import codec, read_text


@app.command("verify")
def verify_command(
    report: Annotated[Path, typer.Argument(help="A report.json written by `policycheck report` or `run`.")],
    db: DbOption = DEFAULT_DB,
    mappings: MappingsOption = DEFAULT_MAPPINGS,
    show_all: Annotated[bool, typer.Option("--all", help="List the items that passed too.")] = False,
) -> None:
    """Re-check every hash and quote of a report: policy versions (text sha256) and their snapshots (raw file
    sha256), capture files (sha256), each quoted sentence and claim against the store, and each redacted sample
    by re-reading its capture line and detecting again.

    Prints one line per failed item (`FAILED claim 3021: the stored sentence differs from the quote`) and a
    summary. Opens the store read-only. Exit status 0 when every item holds, 14 when one does not, 2 when the
    report or the store cannot be read.
    """
    data = _read_report(report)
    with open_workspace(db, store.READ, mappings) as ws:
        try:
            checks = verify_report(data, ws)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:  # a damaged or edited report
            raise PolicycheckError(report, f"not a policycheck report: its evidence is malformed "
                                           f"({type(exc).__name__}: a field missing or of the wrong type); write it "
                                           "again with `policycheck report`") from exc
    failed = [c for c in checks if not c.ok]
    for c in checks if show_all else failed:
        status = "[green]ok[/]" if c.ok else "[bold red]FAILED[/]"
        detail = f": {shown(c.detail)}" if c.detail else ""
        console.print(f"{status} {shown(c.item)}{detail}", highlight=False, soft_wrap=True)
    kinds: dict[str, int] = {}
    for c in checks:
        kinds[c.item.split()[0]] = kinds.get(c.item.split()[0], 0) + 1
    summary = ", ".join(f"{n} {k}{'' if n == 1 else 's'}" for k, n in kinds.items())
    version = data.get("policycheck_version")
    console.print(f"{len(checks) - len(failed)} of {len(checks)} items verified ({summary}); report written by "
                  f"policycheck {version}", highlight=False, soft_wrap=True)
    if failed:
        raise typer.Exit(exitcodes.VERIFY_FAILED)


MAX_REPORT_BYTES = 64 * 1024 * 1024  # a report.json (the full report of ../shared is ~1 MB, of 100 days ~9 MB)


def _read_report(report: Path) -> dict:
    """The parsed ``report.json``: at most :data:`MAX_REPORT_BYTES`, UTF-8 JSON nested at most
    :data:`limits.MAX_NESTING` levels, an object. Raises :class:`PolicycheckError` naming the file otherwise."""
    try:
        text = read_text(report, MAX_REPORT_BYTES)
        if text is None:
            raise PolicycheckError(report, f"larger than {size_text(MAX_REPORT_BYTES)}; not a report policycheck wrote")
        data = limits.load_json(text)
    except OSError as exc:
        raise PolicycheckError(report, f"cannot read the report: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise PolicycheckError(report, f"cannot read the report: not {codec(exc)} (byte {exc.start})") from exc
    except limits.LimitExceeded as exc:
        raise PolicycheckError(report, f"not a policycheck report: JSON {exc}") from exc
    except json.JSONDecodeError as exc:
        raise PolicycheckError(report, f"cannot read the report: {exc.msg}", line=exc.lineno) from exc
    except ValueError as exc:  # an integer beyond Python's digit limit
        raise PolicycheckError(report, "cannot read the report: a number out of range") from exc
    if not isinstance(data, dict):
        raise PolicycheckError(report, "not a policycheck report (a JSON object expected)")
    return data
