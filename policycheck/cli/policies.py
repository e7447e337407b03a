"""Commands of the policy side: ``import-archive``, ``versions``, ``scrape``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from policycheck import config, exitcodes, store
from policycheck.claims.pipeline import FRONT_ENDS
from policycheck.cli import output
from policycheck.cli.changes import NoRejudgeOption, rejudge_new_versions
from policycheck.cli.common import (
    DEFAULT_DB,
    DEFAULT_MAPPINGS,
    DbOption,
    MappingsOption,
    app,
    check_folder,
    console,
    err_console,
    open_workspace,
    shown,
)
from policycheck.cli.progress import progress_bars
from policycheck.errors import PolicycheckError
from policycheck.policies.fetch_settings import FetchSettings
from policycheck.policies.history import document_history
from policycheck.workspace import Settings


def _extractable(where: str, language: str) -> None:
    """Refuse, before anything is stored, a policy language no claim extractor reads: its versions would be stored
    and every later ``extract``, ``rejudge`` and ``run`` of the store would fail on them. Raises
    :class:`PolicycheckError`."""
    if language not in FRONT_ENDS:
        raise PolicycheckError(where, f"no claim extractor for language {language[:40]!r} (have "
                                      f"{', '.join(sorted(FRONT_ENDS))}); nothing was stored")


@app.command("import-archive")
def import_archive_command(
    path: Annotated[Path, typer.Argument(help="Archive folder (OTA manifest.csv + *.md, or dated *.txt files).")],
    service: Annotated[str | None, typer.Option(help="Service name, e.g. WeChat (inferred when omitted).")] = None,
    doc_type: Annotated[str | None, typer.Option(help="Terms type, e.g. 'Privacy Policy' (inferred).")] = None,
    language: Annotated[str | None, typer.Option(help="ISO 639-1 language of the text (inferred).")] = None,
    no_rejudge: NoRejudgeOption = False,
    db: DbOption = DEFAULT_DB,
    mappings: MappingsOption = DEFAULT_MAPPINGS,
) -> None:
    """Import archived captures of one policy document as snapshots and versions, then re-judge the stored flows.

    Broken captures (summary only, truncated page, headings only, wrong script, damaged characters) are
    quarantined with a reason and never become a version or a change event. The claims of new versions are
    extracted and each change is re-judged (see `policycheck rejudge`; skip with --no-rejudge), one line per
    gap row whose class changed. Exit status: 13 when a verdict changed, 10 when a new version was recorded,
    0 when nothing changed, 2 on a malformed archive (the store is left as it was).
    """
    from policycheck.policies.archive import import_archive  # Beautiful Soup: for this command only

    if language is not None:
        _extractable("--language", language)
    ws = open_workspace(db, store.WRITE, mappings)
    with progress_bars(ws.events):
        result = import_archive(ws, path, service, doc_type, language)
    table = Table("captured (UTC)", "file", "status", "version",
                  title=f"{shown(result.document.document_id)}: {len(result.recorded)} captures recorded, "
                        f"{len(result.skipped)} already in the store")
    for archived, rec in result.recorded:
        table.add_row(archived.observed_at.isoformat(sep=" "), shown(archived.path.name),
                      rec.status + (" (new)" if rec.new_version else ""), str(rec.version_id or ""))
    console.print(table)
    for archived, rec in result.recorded:
        if rec.status == "quarantined":
            console.print(f"[yellow]quarantined[/] {shown(archived.path.name)}: {shown(rec.reason)}", highlight=False)
    for note in result.notes:
        err_console.print(f"[yellow]note:[/] {shown(note)}", highlight=False, soft_wrap=True)
    console.print(f"{result.new_versions} new versions, {result.count('unchanged')} unchanged, "
                  f"{result.count('quarantined')} quarantined")
    verdicts = None if no_rejudge else rejudge_new_versions(ws)
    ws.close()
    if verdicts is not None and verdicts.changes:
        raise typer.Exit(exitcodes.VERDICTS_CHANGED)
    raise typer.Exit(exitcodes.CHANGED if result.new_versions else exitcodes.OK)


@app.command("versions")
def versions_command(
    document: Annotated[str | None, typer.Argument(help="Document id (all documents when omitted).")] = None,
    output_format: output.FormatOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """List each document's versions (effective date, first/last seen, blocks, text sha256) and quarantined
    captures (status 'quarantined' with the reason). --format table, csv, json or markdown (default: table on
    a terminal, csv when piped). Read-only. Exit status 0; 2 for a document the store does not have."""
    con = store.open_store(db, store.READ)
    history = document_history(con, document)
    records = [{"document_id": doc.document_id, "status": "version", "version_id": v["version_id"],
                "effective_date": v["effective_date"], "first_seen": v["first_seen"], "last_seen": v["last_seen"],
                "origin": v["origin"], "blocks": v["blocks"], "sha256": v["sha256"], "source": None, "reason": None}
               for doc in history for v in doc.versions]
    records += [{"document_id": doc.document_id, "status": "quarantined", "version_id": None,
                 "effective_date": None, "first_seen": row["observed_at"], "last_seen": None, "origin": None,
                 "blocks": None, "sha256": None, "source": row["source"], "reason": row["reason"]}
                for doc in history for row in doc.quarantined]
    if output.resolve(output_format) is not output.Format.table:
        output.emit(records, list(VERSION_COLUMNS), output_format)
        return
    for doc in history:
        table = output.table(["version", "effective", "first seen", "last seen", "origin", "blocks", "sha256"],
                             f"{doc.document_id} ({doc.url or 'no URL'})")
        for v in doc.versions:
            table.add_row(str(v["version_id"]), str(v["effective_date"] or ""), str(v["first_seen"]),
                          str(v["last_seen"]), v["origin"], str(v["blocks"]), v["sha256"])
        console.print(table)
        if doc.quarantined:
            q = output.table(["captured", "source", "reason"], "quarantined captures")
            for row in doc.quarantined:
                q.add_row(str(row["observed_at"]), shown(Path(row["source"]).name), shown(row["reason"]))
            console.print(q)


VERSION_COLUMNS = ("document_id", "status", "version_id", "effective_date", "first_seen", "last_seen", "origin",
                   "blocks", "sha256", "source", "reason")


DEFAULT_SOURCES = config.sources_file()
DEFAULT_SNAPSHOTS = config.snapshots_dir()
OUTCOME_STYLE = {"new_version": "bold green", "changed": "green", "unchanged": "", "not_modified": "",
                 "quarantined": "bold yellow", "failed": "bold red"}


@app.command("scrape")
def scrape_command(
    sources: Annotated[Path, typer.Option("--sources", help="OTA-style declarations of the pages to fetch.",
                                          envvar="POLICYCHECK_SOURCES")] = DEFAULT_SOURCES,
    snapshots: Annotated[Path, typer.Option("--snapshots", help="Folder of raw fetched pages (content-addressed).",
                                            envvar="POLICYCHECK_SNAPSHOTS")] = DEFAULT_SNAPSHOTS,
    only: Annotated[list[str] | None, typer.Option("--only", help="Fetch only this document id (repeatable).",
                                                   show_default=False)] = None,
    timeout: Annotated[float, typer.Option("--timeout", min=0.01, help="Read timeout per request, seconds.")] = 30.0,
    connect_timeout: Annotated[float, typer.Option("--connect-timeout", min=0.01,
                                                   help="Connect timeout per request, seconds.")] = 10.0,
    retries: Annotated[int, typer.Option("--retries", min=0, help="Retries after a network error, timeout "
                                                                  "or HTTP 429/5xx.")] = 3,
    backoff: Annotated[float, typer.Option("--backoff", min=0, help="First retry wait, seconds; doubles each "
                                                                    "retry. Retry-After wins.")] = 1.0,
    delay: Annotated[float, typer.Option("--delay", min=0, help="Minimum gap between two requests to one host, "
                                                                "seconds (robots.txt Crawl-delay wins).")] = 2.0,
    deadline: Annotated[float, typer.Option("--deadline", min=0.01, help="Wall time of one fetch, seconds: connect "
                                            "to last byte, redirects and retries included.")] = 120.0,
    max_bytes: Annotated[int, typer.Option("--max-bytes", min=1, help="Most bytes downloaded per response.")]
        = FetchSettings.max_bytes,
    max_decoded_bytes: Annotated[int, typer.Option("--max-decoded-bytes", min=1, help="Most bytes a response "
                                                   "may inflate to (gzip/deflate).")] = FetchSettings.max_decoded_bytes,
    chromium: Annotated[str | None, typer.Option("--chromium", envvar="POLICYCHECK_CHROMIUM", help="Browser for "
                                                 "executeClientScripts sources (default: chromium on PATH).")] = None,
    render_wait: Annotated[float, typer.Option("--render-wait", min=0, help="Seconds a rendered page's scripts get "
                                               "to fill the declared `select` parts.")] = 30.0,
    contact: Annotated[str | None, typer.Option("--contact", envvar="POLICYCHECK_CONTACT",
                                                help="URL or e-mail added to the User-Agent.")] = None,
    no_rejudge: NoRejudgeOption = False,
    db: DbOption = DEFAULT_DB,
    mappings: MappingsOption = DEFAULT_MAPPINGS,
) -> None:
    """Fetch each declared policy page and record a new version when its normalized text changed; then re-judge.

    Input: the sources file (OTA declarations, README section 'policies'); sources with executeClientScripts are
    rendered in headless Chromium. Output: raw pages under --snapshots, snapshots/versions/changes/blocks and one
    fetch_log row per source in the store, a table of outcomes (new_version, changed, unchanged, not_modified,
    quarantined, failed) with one line per failure, and after a change one line per gap row whose class
    changed (the claims of new versions are extracted and the stored flows re-judged; --no-rejudge skips it).
    Exit status: 0 no document changed, 10 at least one new version (or a return to an earlier text), 13 a new
    version changed a verdict, 11 at least one source failed or was quarantined (wins over 10 and 13; nothing
    stored was replaced), 2 bad input (malformed sources file, unknown --only id).
    """
    from policycheck.policies.scrape import CHANGED_OUTCOMES, scrape  # httpx, Beautiful Soup: for this command only
    from policycheck.policies.sources import load_sources, select_sources

    check_folder(snapshots, "--snapshots")
    declared = select_sources(load_sources(sources), only, sources)
    for source in declared:
        _extractable(f"{sources}: {source.declared_at}.language", source.document.language)
    settings = FetchSettings(connect_timeout=connect_timeout, read_timeout=timeout, deadline=deadline,
                             retries=retries, backoff=backoff, delay=delay, max_bytes=max_bytes,
                             max_decoded_bytes=max_decoded_bytes, contact=contact, chromium=chromium,
                             render_wait=render_wait)
    ws = open_workspace(db, store.WRITE, mappings, settings=Settings(fetch=settings))
    with progress_bars(ws.events):
        result = scrape(ws, declared, snapshots)
    table = Table(title="policycheck scrape")
    for name in ("document", "URL", "outcome", "version", "detail"):
        table.add_column(name, overflow="fold")
    for r in result.results:
        style = OUTCOME_STYLE[r.outcome]
        table.add_row(shown(r.source.document_id), shown(r.source.url),
                      f"[{style}]{r.outcome}[/]" if style else r.outcome, str(r.version_id or ""),
                      "" if r.failed else shown(r.detail or ""))
    console.print(table)
    for r in result.results:
        if r.failed:
            line = shown(f"{r.source.url} ({r.source.document_id}): {r.detail}")
            err_console.print(f"[bold red]{r.outcome}[/] {line}", highlight=False, soft_wrap=True)
    changed = any(r.outcome in CHANGED_OUTCOMES for r in result.results)
    verdicts = rejudge_new_versions(ws) if changed and not no_rejudge else None
    ws.close()
    if verdicts is not None and verdicts.changes and result.exit_code != exitcodes.FETCH_FAILED:
        raise typer.Exit(exitcodes.VERDICTS_CHANGED)
    raise typer.Exit(result.exit_code)
