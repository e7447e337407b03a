"""Commands about policy changes and their consequences: ``rejudge`` and ``changes``; and the re-judging step
``scrape`` and ``import-archive`` run after recording new versions."""

from __future__ import annotations

from typing import Annotated

import typer

from policycheck import exitcodes, store
from policycheck.claims.pipeline import extract
from policycheck.cli.common import (
    DEFAULT_DB,
    DEFAULT_MAPPINGS,
    DbOption,
    MappingsOption,
    app,
    console,
    err_console,
    open_workspace,
)
from policycheck.gaps.rejudge import RejudgeResult, rejudge
from policycheck.reports.changes import document_changes, render_text
from policycheck.workspace import Workspace

NoRejudgeOption = Annotated[bool, typer.Option(
    "--no-rejudge", help="Record new versions only; leave extracting their claims and re-judging the stored flows "
                         "to a later `policycheck rejudge` or `run`.")]


def rejudge_new_versions(ws: Workspace) -> RejudgeResult:
    """Extract the claims of versions that have none, re-judge pending change events, and print one line per
    changed verdict (stdout) and a count line (stderr). Output: the :class:`RejudgeResult`."""
    extract(ws)
    result = rejudge(ws.con)
    for change in result.changes:
        console.print(f"verdict changed: {change.line()}", markup=False, highlight=False, soft_wrap=True)
    if result.judged:
        err_console.print(f"re-judged {len(result.judged)} policy change(s): {len(result.changes)} gap row(s) changed "
                          "class (details: policycheck changes)", highlight=False)
    if result.waiting:
        err_console.print(f"{result.waiting} policy change(s) wait for flows to re-judge (ingest captures, then "
                          "policycheck rejudge)", highlight=False)
    return result


@app.command("rejudge")
def rejudge_command(db: DbOption = DEFAULT_DB, mappings: MappingsOption = DEFAULT_MAPPINGS) -> None:
    """Judge the stored flows again for every policy change not re-judged yet, after extracting new versions' claims.

    For each change event (a document's current version moved from A to B) every gap row governed by the
    document's policy is judged at the date A was in force and at the date B is (what `gaps --as-of` shows for
    those dates); rows whose class changed are stored in `verdict_changes` with the sentences that made the
    difference and printed one per line: `verdict changed: DOC vA -> vB: recipient / data type / feature /
    scenario: OLD -> NEW: the new text says "..."`. Exit status: 13 when a verdict changed, else 0.
    """
    with open_workspace(db, store.WRITE, mappings) as ws:
        result = rejudge_new_versions(ws)
    raise typer.Exit(exitcodes.VERDICTS_CHANGED if result.changes else exitcodes.OK)


@app.command("changes")
def changes_command(
    document: Annotated[str | None, typer.Argument(help="Document id (all documents when omitted).")] = None,
    change: Annotated[int | None, typer.Option(
        "--change", min=1, help="Only this change event (changes.change_id).")] = None,
    diff: Annotated[bool, typer.Option("--diff/--no-diff", help="Show the unified text diff of each change.")] = True,
    context: Annotated[int, typer.Option("--context", min=0, help="Lines of context around each text change.")] = 3,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Show a document's version history: per change, the text diff, the data practices (claims) added and removed,
    and the gap rows whose class re-judging found changed, with the sentences that made the difference.

    Plain text on stdout (fit for a mail). Read-only. Exit status 0; 2 for an unknown document or change id.
    """
    con = store.open_store(db, store.READ)
    try:
        views = document_changes(con, document, change)
    finally:
        con.close()
    typer.echo(render_text(views, diff=diff, context=context) if views else "no change events recorded")
