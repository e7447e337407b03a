"""Commands of the policy side: ``import-archive``, ``versions``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from policycheck import exitcodes, ontology, store
from policycheck.cli.common import (
    DEFAULT_DB,
    DEFAULT_MAPPINGS,
    DbOption,
    MappingsOption,
    app,
    console,
    err_console,
)
from policycheck.policies.archive import import_archive
from policycheck.policies.history import document_history


@app.command("import-archive")
def import_archive_command(
    path: Annotated[Path, typer.Argument(help="Archive folder (OTA manifest.csv + *.md, or dated *.txt files).")],
    service: Annotated[str | None, typer.Option(help="Service name, e.g. WeChat (inferred when omitted).")] = None,
    doc_type: Annotated[str | None, typer.Option(help="Terms type, e.g. 'Privacy Policy' (inferred).")] = None,
    language: Annotated[str | None, typer.Option(help="ISO 639-1 language of the text (inferred).")] = None,
    db: DbOption = DEFAULT_DB,
    mappings: MappingsOption = DEFAULT_MAPPINGS,
) -> None:
    """Import archived captures of one policy document as snapshots and versions.

    Broken captures (summary only, truncated page) are quarantined with a reason and never become a version
    or a change event. Exit status: 10 when a new version was recorded, 0 when nothing changed, 2 on a
    malformed archive (the store is left as it was).
    """
    onto = ontology.load(mappings)
    con = store.connect(db)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err_console,
                  transient=True) as progress:
        task = progress.add_task(f"importing {path.name}", total=None)
        result = import_archive(con, path, onto, service, doc_type, language,
                                progress=lambda _f, _r: progress.advance(task))
    table = Table("captured (UTC)", "file", "status", "version",
                  title=f"{result.document.document_id}: {len(result.recorded)} captures recorded, "
                        f"{len(result.skipped)} already in the store")
    for archived, rec in result.recorded:
        table.add_row(archived.observed_at.isoformat(sep=" "), archived.path.name,
                      rec.status + (" (new)" if rec.new_version else ""), str(rec.version_id or ""))
    console.print(table)
    for archived, rec in result.recorded:
        if rec.status == "quarantined":
            console.print(f"[yellow]quarantined[/] {archived.path.name}: {rec.reason}", highlight=False)
    console.print(f"{result.new_versions} new versions, {result.count('unchanged')} unchanged, "
                  f"{result.count('quarantined')} quarantined")
    raise typer.Exit(exitcodes.CHANGED if result.new_versions else exitcodes.OK)


@app.command("versions")
def versions_command(
    document: Annotated[str | None, typer.Argument(help="Document id (all documents when omitted).")] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """List each document's versions (effective date, first/last seen, blocks) and quarantined captures."""
    con = store.connect(db, read_only=True)
    for doc in document_history(con, document):
        table = Table("version", "effective", "first seen", "last seen", "origin", "blocks", "sha256",
                      title=f"{doc.document_id} ({doc.url or 'no URL'})")
        for v in doc.versions:
            table.add_row(str(v["version_id"]), str(v["effective_date"] or ""), str(v["first_seen"]),
                          str(v["last_seen"]), v["origin"], str(v["blocks"]), v["sha256"][:12])
        console.print(table)
        if doc.quarantined:
            q = Table("captured", "source", "reason", title="quarantined captures")
            for row in doc.quarantined:
                q.add_row(str(row["observed_at"]), Path(row["source"]).name, row["reason"])
            console.print(q)
