"""Commands of the flows stage: ``ingest`` (captures -> flows, observations) and ``flows`` (summary)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from policycheck import store
from policycheck.cli import output
from policycheck.cli.common import (
    DEFAULT_DB,
    DEFAULT_MAPPINGS,
    DbOption,
    MappingsOption,
    app,
    console,
    err_console,
    open_workspace,
    shown,
)
from policycheck.cli.progress import progress_bars
from policycheck.exitcodes import BAD_INPUT
from policycheck.filters import check_filters
from policycheck.flows import ingest as ingest_mod
from policycheck.flows import overlap as overlap_mod
from policycheck.flows.model import MAX_PROBLEMS_KEPT
from policycheck.flows.readers import READERS
from policycheck.flows.stamp import stale_captures
from policycheck.flows.summary import summarize
from policycheck.isodate import iso_datetime
from policycheck.sizes import MESSAGE_CHARS, clip

MAX_PROBLEMS_SHOWN = 5


@app.command("ingest")
def ingest_command(
    paths: Annotated[list[Path], typer.Argument(help="Capture files or folders (walked recursively).")],
    format: Annotated[str | None, typer.Option(
        "--format", help=f"Force a capture format ({', '.join(sorted(READERS))}); default: from the content."
    )] = None,
    scenario: Annotated[str | None, typer.Option(
        help="Scenario name for all files; default: the file name without extension and run number."
    )] = None,
    profile: Annotated[Path | None, typer.Option(
        help="Device profile (YAML: data type id -> known values of the test device and account).",
        exists=True, dir_okay=False,
    )] = None,
    account_region: Annotated[str | None, typer.Option(
        help="Whose policy governs the account: wechat (WeChat policy) or weixin (Weixin guidelines); "
             "default: the capture manifest's account_platform, else wechat."
    )] = None,
    captured_at: Annotated[str | None, typer.Option(
        help="Capture time (ISO 8601: YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM]; UTC without an offset) for requests whose "
             "payload gives none; default: the manifest's, else the median of the requests' own times."
    )] = None,
    request_type: Annotated[str | None, typer.Option(
        help="For single-body formats (hexdump): the request type id or API path the body was sent to."
    )] = None,
    key_log: Annotated[Path | None, typer.Option(
        help="MMTLS key log (Frida hooks' JSON lines) to decrypt a pcap; default: the manifest's key_log, "
             "else the only key log in the pcap's folder.", exists=True, dir_okay=False,
    )] = None,
    timezone: Annotated[str | None, typer.Option(
        help="IANA time zone of capture times written without an offset (e.g. Asia/Shanghai)."
    )] = None,
    app_version: Annotated[str | None, typer.Option(help="App version the captures were made with.")] = None,
    reanalyse: Annotated[bool, typer.Option(
        "--reanalyse", help="A file with the content of a stored capture analysed by an older policycheck, at "
                            "another path than the one recorded: analyse it again with the capture's settings "
                            "and record this path.")] = False,
    db: DbOption = DEFAULT_DB,
    mappings: MappingsOption = DEFAULT_MAPPINGS,
) -> None:
    """Ingest capture files into captures, flows and observations (each file whole or not at all).

    Formats: pcap/pcapng (MMTLS decrypted with a key log, plain HTTP), HAR 1.2, mitmproxy flow files, Citizen
    Lab JSON lines, hex dumps. Settings per file: the options given here, else the nearest captures.yaml
    manifest, else conventions (README, section flows). Responses are stored apart (table responses).
    Re-ingesting a file is a no-op (content hash) unless the analysis changed since (a policycheck upgrade, a
    changed mappings file) or the content of its device profile or key log did: then the capture is analysed
    again (status reanalysed: its flows, observations, responses and problems replaced, same capture id and
    settings); a file with the content of another capture is
    recorded as an alias of it and reported. Unreadable lines and payloads (malformed, or beyond a limit of
    policycheck/flows/limits.py) are counted and listed with file and line; the rest of the file is
    ingested. Exit status 2 when some input was skipped: a file named on the command line that is not a
    capture, a file that could not be read (vanished, no permission), a folder without any capture, or a
    line or body that was skipped or only partly read; each is named on stderr.
    """
    when = None if captured_at is None else iso_datetime(captured_at, "--captured-at")
    options = ingest_mod.IngestOptions(format=format, scenario=scenario, profile=profile,
                                       account_region=account_region, captured_at=when,
                                       request_type=request_type, key_log=key_log, timezone=timezone,
                                       app_version=app_version, reanalyse=reanalyse)
    with open_workspace(db, store.WRITE, mappings) as ws:
        with progress_bars(ws.events):
            results = ingest_mod.ingest(ws, paths, options)
        _print_results(ws.con, results)
    if skipped_input(results):
        raise typer.Exit(BAD_INPUT)


def warn_stale(line: str | None) -> None:
    """Print on stderr the one warning line of :meth:`policycheck.flows.stamp.StaleCaptures.warning` (captures
    of the store resting on an older analysis of the flows than this policycheck's: how many, their scenarios,
    how to fix it); nothing for None."""
    if line:
        err_console.print(f"[yellow]{shown(line)}[/]", highlight=False, soft_wrap=True)


def skipped_input(results: list[ingest_mod.FileResult]) -> bool:
    """Whether an ingest skipped input (the rule of exit status 2, see ``policycheck ingest --help``)."""
    return any((r.status == "failed") or (r.status == "empty" and r.explicit) or r.problems for r in results)


def _print_results(con, results: list[ingest_mod.FileResult]) -> None:
    listed = [r for r in results if r.status not in ("skipped",)]
    new = [r.capture_id for r in listed if r.status in ("ingested", "reanalysed") and r.capture_id is not None]
    overlap = overlap_mod.overlaps(con, new)
    table = Table("file", "status", "capture", "requests", "decoded", "observations", "problems", "same as",
                  title="ingest")
    for r in listed:
        same = ""
        if r.duplicate_of:
            same = f"capture {r.duplicate_of[0]} (whole file)"
        elif r.capture_id in overlap and r.status in ("ingested", "reanalysed"):
            other_id, _, prefix, requests = overlap[r.capture_id]
            if prefix * 2 >= requests:
                same = f"capture {other_id} (first {prefix}/{requests})"
        decoded = f"{r.decoded / r.requests:.0%}" if r.requests else ""
        table.add_row(shown(r.path.name), r.status, str(r.capture_id or ""), str(r.requests or ""), decoded,
                      str(r.observations or ""), str(r.problem_count or ""), same)
    console.print(table)
    skipped = [r.path.name for r in results if r.status == "skipped"]
    if skipped:
        err_console.print(f"skipped (not captures): {shown(', '.join(skipped))}", highlight=False, soft_wrap=True)
    for r in listed:
        for note in r.notes:
            err_console.print(f"note: {shown(clip(note, MESSAGE_CHARS))}", highlight=False, soft_wrap=True)
        if r.message and r.status != "ingested":
            err_console.print(f"[yellow]{shown(r.path)}[/]: {shown(clip(r.message, MESSAGE_CHARS))}", highlight=False,
                              soft_wrap=True)
        if r.problems:
            err_console.print(f"[yellow]{shown(r.path)}[/]: {r.problem_count} problem(s)", highlight=False)
            for p in r.problems[:MAX_PROBLEMS_SHOWN]:
                place = r.path if p.line is None else f"{r.path}:{p.line}"
                err_console.print(f"  {shown(place)}: {shown(clip(p.problem, MESSAGE_CHARS))}", highlight=False,
                                  soft_wrap=True)
            if r.problem_count > MAX_PROBLEMS_SHOWN:
                more = r.problem_count - MAX_PROBLEMS_SHOWN
                err_console.print(f"  ... {more} more in table ingest_problems (which keeps the first "
                                  f"{MAX_PROBLEMS_KEPT:,} of a file)")
    ingested = [r for r in results if r.status == "ingested"]
    console.print(f"{len(ingested)} capture(s) ingested: {sum(r.requests for r in ingested)} requests, "
                  f"{sum(r.observations for r in ingested)} observations; "
                  f"{sum(r.status == 'reanalysed' for r in results)} analysed again (the analysis or settings "
                  "changed), "
                  f"{sum(r.status == 'duplicate' for r in results)} duplicate file(s) recorded as aliases, "
                  f"{sum(r.status == 'unchanged' for r in results)} unchanged", highlight=False)


@app.command("flows")
def flows_command(
    data_type: Annotated[str | None, typer.Option(
        help="Only flows carrying this data type (or a descendant).")] = None,
    feature: Annotated[str | None, typer.Option(help="Only flows of this feature (or a descendant).")] = None,
    min_confidence: Annotated[float, typer.Option(
        min=0.0, max=1.0, help="Ignore observations below this confidence.")] = 0.5,
    output_format: output.FormatOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Summarize ingested flows per scenario and feature: requests, share decoded, data types, recipients.

    Data types and features are ontology ids; a filter includes its descendants. Values are never shown
    (observations hold redacted values only). --format table, csv, json or markdown (default: table on a
    terminal, csv when piped); `decoded` is a share in [0, 1] outside the table.
    One warning line on stderr when captures rest on an older analysis of the flows than this policycheck's.
    Read-only. Exit status 0; 2 for a --data-type or --feature id the store's ontology does not have.
    """
    con = store.open_store(db, store.READ)
    try:
        check_filters(con, data_type=data_type, feature=feature)
        rows = summarize(con, data_type=data_type, feature=feature, min_confidence=min_confidence)
        warn_stale(stale_captures(con).warning())
    finally:
        con.close()
    records = [{"scenario": r.scenario, "feature": r.feature, "requests": r.requests,
                "decoded": round(r.decoded_share, 4), "data_types": r.data_types, "recipients": r.recipients}
               for r in rows]

    def rich_table() -> Table:
        table = output.table(["scenario", "feature", "requests", "decoded", "data types", "recipients"], "flows")
        for r in rows:
            table.add_row(shown(r.scenario), shown(r.feature), str(r.requests), f"{r.decoded_share:.0%}",
                          ", ".join(r.data_types), ", ".join(r.recipients))
        return table

    output.emit(records, list(records[0]) if records else ["scenario", "feature", "requests", "decoded",
                                                           "data_types", "recipients"],
                output_format, rich_table=rich_table)
