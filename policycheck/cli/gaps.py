"""Commands of the gap stage: ``gaps``, ``export``, ``report``, ``sql``."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import duckdb
import typer
from rich.table import Table

from policycheck import exitcodes, store
from policycheck.cli import output
from policycheck.cli.common import (
    DEFAULT_DB,
    DEFAULT_OUT,
    DbOption,
    app,
    check_folder,
    console,
    err_console,
    shown,
)
from policycheck.cli.flows import warn_stale
from policycheck.errors import PolicycheckError
from policycheck.filters import check_filters
from policycheck.flows.stamp import stale_captures
from policycheck.gaps.classify import (
    CLASSES,
    DEFAULT_MIN_CONFIDENCE,
    DEFAULT_MODE,
    GAP_COLUMNS,
    MODES,
    GapFilter,
    Judgement,
    failing,
    filter_rows,
    gap_rows,
)
from policycheck.isodate import optional_date
from policycheck.reports.build import build_report
from policycheck.reports.write import write_report
from policycheck.sizes import size_text
from policycheck.textfile import codec, decode_text, read_text

STYLE = {"incorrect": "bold red", "omitted": "dark_orange", "ambiguous": "magenta", "handed_off": "blue",
         "vague": "yellow", "clear": "green"}


class Engine(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


class Mode(StrEnum):
    permissive = "permissive"
    intermediate = "intermediate"
    strict = "strict"


assert tuple(Mode) == MODES
DEFAULT_MODE_OPTION = Mode(DEFAULT_MODE)
ModeOption = Annotated[Mode, typer.Option(
    "--mode", help="Consistency mode (after PoliCheck): permissive counts every statement; intermediate ignores "
                   "statements whose data type or party is an ontology root (personal information, third "
                   "parties); strict also counts only statements naming the data type and party themselves.")]
MinConfidenceOption = Annotated[float, typer.Option(
    "--min-confidence", min=0.0, max=1.0,
    help="Judge only observations at or above this detector confidence (README: Detection confidence).")]
AsOfOption = Annotated[str | None, typer.Option(
    "--as-of", help="Judge every flow against the version in force on this date (YYYY-MM-DD) instead of at the "
                    "flow's time.")]


def _judgement(as_of: str | None, mode: Mode, min_confidence: float) -> Judgement:
    return Judgement(optional_date(as_of, "--as-of"), mode.value, min_confidence)


def _split(values: list[str] | None) -> tuple[str, ...]:
    """Repeatable options that also accept comma-separated lists: --class incorrect,omitted."""
    return tuple(v.strip() for value in values or [] for v in value.split(",") if v.strip())


def pivotal_text(row: dict[str, Any]) -> str:
    """What ``--explain`` says of a row (a ``gaps`` row dict with ``pivotal_claims``): the claim(s) whose removal
    alone would change its verdict; else, when claims decide it, that no single one does; else the root-term
    claims that alone cover it (omitted, ``root_terms_only``); else that no claim covers it."""
    pivotal = row.get("pivotal_claims")
    if pivotal is None:
        return ""
    if pivotal:
        return "; ".join(f"#{p['claim_id']} (without it: {p['verdict_without']})" for p in pivotal)
    if row["claim_ids"]:  # deciding claims, none pivotal (the root-term claims beside them were set aside)
        return f"no single claim: {len(row['claim_ids'])} claims each suffice"
    if row.get("root_term_claim_ids"):
        ids = ", ".join(f"#{c}" for c in row["root_term_claim_ids"][:3])
        return f"only root-term claims cover it ({ids}{' …' if len(row['root_term_claim_ids']) > 3 else ''})"
    return "no claim covers it"


def gap_table(rows: list[dict[str, Any]], title: str) -> Table:
    """A rich table of gap rows, coloured by class (with a ``deciding claim`` column when explained); cells
    wrap rather than being cut."""
    explained = any(r.get("pivotal_claims") is not None for r in rows)
    columns = ["class", "recipient", "data type", "feature", "scenario", "label", "policy / version", "claims",
               "requests"] + (["deciding claim"] if explained else [])
    table = output.table(columns, title)
    for r in rows:
        cls = r["disclosure"]
        verdict = f"[{STYLE[cls]}]{cls}[/]"
        if r["handoff_verdict"]:
            verdict += f" → [{STYLE[r['handoff_verdict']]}]{r['handoff_verdict']}[/]"
        table.add_row(verdict, r["recipient"], r["data_type"], r["feature"], shown(r["scenario"]),
                      shown(r["label"] or ""), f"{r['governing_document']} v{r['version_id']}",
                      ", ".join(map(str, r["claim_ids"])), str(r["flow_count"]),
                      *([pivotal_text(r)] if explained else []))
    return table


@app.command("gaps")
def gaps_command(
    disclosure: Annotated[list[str] | None, typer.Option("--class", help="Only these classes (repeatable or "
                                                         "comma-separated): " + ", ".join(CLASSES))] = None,
    feature: Annotated[list[str] | None, typer.Option(help="Only this feature or its sub-features.")] = None,
    data_type: Annotated[list[str] | None, typer.Option(help="Only this data type or its descendants.")] = None,
    scenario: Annotated[list[str] | None, typer.Option(help="Only this capture scenario.")] = None,
    as_of: AsOfOption = None,
    mode: ModeOption = DEFAULT_MODE_OPTION,
    min_confidence: MinConfidenceOption = DEFAULT_MIN_CONFIDENCE,
    explain: Annotated[bool, typer.Option("--explain", help="Name, per row, the claim whose removal alone would "
                                                            "change the verdict.")] = False,
    output_format: output.FormatOption = None,
    fail_on: Annotated[list[str] | None, typer.Option(help="Exit 12 when rows of these classes exist.")] = None,
    engine: Annotated[Engine, typer.Option(help="duckdb: the store itself; spark: the same gap SQL, transpiled "
                                                "by sqlglot, run by Apache Spark (local[2]) over a Parquet export "
                                                "of the store (README: Scale).")] = Engine.duckdb,
    parquet: Annotated[Path | None, typer.Option(help="With --engine spark: export the store here (default: a "
                                                      "temporary folder).")] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Show disclosure gaps: one row per (recipient, data type, feature, scenario) with its class and evidence.

    Classes: incorrect, omitted, ambiguous, handed_off (with the verdict under the governing policy), vague,
    clear. `requests` counts distinct requests (a request in several cumulative capture files once).
    --explain adds the deciding claim: the one whose removal alone would change the verdict. --format table,
    csv (every column, lists as JSON), json or markdown; default table on a terminal, csv when piped. Exit
    status 12 when --fail-on classes are present, else 0; 2 for a bad option value (an unknown class, a
    --feature / --data-type id the store's ontology does not know, a --scenario no capture has).
    One warning line on stderr when captures rest on an older analysis of the flows than this policycheck's.
    """
    judgement = _judgement(as_of, mode, min_confidence)
    if parquet is not None:
        check_folder(parquet, "--parquet")
    con = store.open_store(db, store.READ)
    where = GapFilter(_split(disclosure), _split(feature), _split(data_type), _split(scenario))
    check_filters(con, feature=where.features, data_type=where.data_types, scenario=where.scenarios)
    if engine == Engine.spark:
        rows = _spark_rows(con, where, judgement, explain, parquet)
    else:
        rows = gap_rows(con, where=where, judgement=judgement, explain=explain, flow_arrays=True)
    warn_stale(stale_captures(con).warning())
    judged = f"as of {as_of}" if as_of else "at each flow's time"
    columns = [c for c in GAP_COLUMNS if explain or c != "pivotal_claims"]
    output.emit(rows, columns, output_format, rich_table=lambda: gap_table(
        rows, f"{len(rows)} gap rows, judged {judged}, {mode.value} mode, confidence >= {min_confidence}"))
    if fail_on and failing(rows, _split(fail_on)):
        raise typer.Exit(exitcodes.GAPS_FOUND)


def _spark_rows(con: duckdb.DuckDBPyConnection, where: GapFilter, judgement: Judgement, explain: bool,
                parquet: Path | None) -> list[dict[str, Any]]:
    """Gap rows judged by Spark over a Parquet export of the store, filtered and ordered as ``gap_rows`` does."""
    from policycheck.gaps import spark
    where.validate()
    judgement.validate()
    with tempfile.TemporaryDirectory(prefix="policycheck-parquet-") as tmp:
        folder = parquet or Path(tmp)
        spark.export_parquet(con, folder)
        try:
            session = spark.spark_session()
        except (ImportError, OSError, RuntimeError) as exc:  # no pyspark, or no Java runtime for it
            raise PolicycheckError("--engine spark", f"cannot start Spark: {str(exc).splitlines()[0]} (needs "
                                                     "pyspark and a Java runtime: apt-get install "
                                                     "default-jre-headless)") from exc
        rows = spark.spark_gap_rows(session, str(folder), judgement.as_of, judgement.mode,
                                    judgement.min_confidence, explain)
    return filter_rows(con, rows, where)


@app.command("export")
def export_command(
    parquet: Annotated[Path, typer.Option(help="Folder to write the Parquet files to (one sub-folder per "
                                               "table; flows and observations partitioned by day).")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Export every table of the store (claims, flows, observations, captures, versions, ontology closures ...)
    as Parquet for a cluster engine: `policycheck gaps --engine spark`, or spark-submit of
    policycheck/gaps/spark.py on a cluster (README: Scale). Writes PARQUET/<table>/ and PARQUET/manifest.json
    (schema version, row count per table) and prints the tables and rows written. Opens the store read-only.
    Exit status 0; 2 when PARQUET cannot be written (one line naming it)."""
    from policycheck.gaps import spark
    check_folder(parquet, "--parquet")
    con = store.open_store(db, store.READ)
    try:
        counts = spark.export_parquet(con, parquet)
    except (OSError, duckdb.IOException, duckdb.PermissionException) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else store.error_line(exc)
        raise PolicycheckError(parquet, f"cannot write the Parquet export: {detail}") from exc
    console.print(f"wrote {len(counts)} tables, {sum(counts.values()):,} rows, to {shown(parquet)}")


@app.command("report")
def report_command(
    name: output.NameOption = "report",
    out: output.OutOption = DEFAULT_OUT,
    as_of: AsOfOption = None,
    mode: ModeOption = DEFAULT_MODE_OPTION,
    min_confidence: MinConfidenceOption = DEFAULT_MIN_CONFIDENCE,
    full: Annotated[bool, typer.Option("--full", help="report.json with everything: every request id of every "
                                                      "gap row, all samples and root-term claims, each row's "
                                                      "history.")] = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Write the gap report to OUT/NAME/report.md, report.html and report.json (schema: report.schema.json).

    Key findings first, then a summary per class, the policies and captures with their sha256, a data type x
    feature matrix, one finding per recipient, feature and class with the quoted policy sentences (version,
    section path, English terms) and redacted request samples (capture file, line, field path), each data
    type's history over every policy version, the contradictions inside each policy, the policies compared
    with each other, Mini Program privacy interfaces, lower-confidence detections, every gap row, and the
    claims and requests cited (README "The report"). report.html is
    one offline file with filters, search and sortable tables; report.json is compact unless --full.
    `policycheck verify OUT/NAME/report.json` re-checks its hashes and quotes. One warning line on stderr (and in
    the report's header, report.json stale_analysis) when captures rest on an older analysis of the flows than this
    policycheck's. Opens the store read-only. Exit status 0; 2 for a bad option value or an OUT/NAME folder that
    cannot be written (one line naming it).
    """
    check_folder(out, "--out")
    con = store.open_store(db, store.READ)
    report = build_report(con, name, _judgement(as_of, mode, min_confidence), full=full)
    warn_stale(report["stale_analysis"]["warning"])
    paths = write_report(report, out)
    console.print(f"wrote {shown(', '.join(str(p) for p in paths.values()))}")


MAX_SQL_BYTES = 64 * 1024 * 1024  # a query file; bulk data is read by the query (read_csv ...), never inlined


def _read_query(file: Path) -> str:
    """The SQL text of ``--file`` (``-``: standard input), at most :data:`MAX_SQL_BYTES` bytes, decoded as
    :func:`policycheck.textfile.decode_text` does. Raises :class:`PolicycheckError` for a larger input (read no
    further than the limit), ``OSError`` and ``UnicodeDecodeError`` as :func:`read_text`."""
    if str(file) == "-":
        raw = sys.stdin.buffer.read(MAX_SQL_BYTES + 1)
        query = None if len(raw) > MAX_SQL_BYTES else decode_text(raw)
    else:
        query = read_text(file, MAX_SQL_BYTES)
    if query is None:
        raise PolicycheckError(file, f"SQL file larger than {size_text(MAX_SQL_BYTES)}: not a query (load data with "
                                     "read_csv/read_json and --allow-read)")
    return query


SQL_BATCH_ROWS = 10_000  # rows of a `sql` result fetched and printed at a time


def _batches(cursor: duckdb.DuckDBPyConnection, names: list[str]) -> Iterator[list[dict[str, Any]]]:
    """The rows of ``cursor``'s result as records, :data:`SQL_BATCH_ROWS` at a time (none for a statement
    without a result)."""
    while names:
        rows = cursor.fetchmany(SQL_BATCH_ROWS)
        if not rows:
            return
        yield [dict(zip(names, row, strict=True)) for row in rows]


def unique_names(names: list[str]) -> list[str]:
    """Column names made unique as DuckDB makes them in a subquery (``select 1 a, 2 a``: ``a``, ``a_1``; a name
    taken already gets the smallest free ``_N``): records are keyed by name, so a repeated name (``select *``
    of a join) printed the last column's values under both names and JSON kept one key."""
    taken: set[str] = set()
    out = []
    for name in names:
        unique, k = name, 0
        while unique in taken:
            k += 1
            unique = f"{name}_{k}"
        taken.add(unique)
        out.append(unique)
    return out


@app.command("sql")
def sql_command(
    query: Annotated[str | None, typer.Argument(help="SQL to run (after `--` when it starts with a comment).")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Read the SQL from this file ('-': stdin).")] = None,
    output_format: output.FormatOption = None,
    write: Annotated[bool, typer.Option("--write", help="Allow statements that change the store or write "
                                                        "files (never a COPY onto the store itself).")] = False,
    allow_read: Annotated[list[Path] | None, typer.Option(
        "--allow-read", help="A folder whose files read_csv/read_parquet/read_json/glob ... may read "
                             "(repeatable); no file outside one is read.")] = None,
    timeout: Annotated[float, typer.Option(
        "--timeout", min=0, help="Stop the query after this many seconds (exit 124, nothing written); 0: no "
                                 "limit.")] = 300,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Run SQL against the store and print the result as a table, CSV, JSON or Markdown (--format; default
    table on a terminal, csv when piped).

    Without --write only statements that read run (SELECT, WITH, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN, PRAGMAs
    that return rows), on a read-only connection that reads files only under --allow-read folders; anything
    that writes tables or files (COPY, EXPORT, ATTACH, INSTALL/LOAD, SET, CREATE ...) is refused with one line
    (exit 2), decided by DuckDB's parse of each statement (policycheck/sqlguard.py). With --write everything
    runs, except a COPY whose target is the store itself. Tables and views are documented in README.md (e.g.
    `select * from gaps where disclosure = 'incorrect'`). A query that starts with a `--` comment goes after
    `--`: `policycheck sql -- "-- note\nselect 1"`, or in a file: `policycheck sql --file query.sql` (at most 64 MiB;
    `-`: standard input).
    A query still running after --timeout seconds (default 300, 0: none) is stopped with DuckDB's interrupt: one
    line `sql: query stopped after N s (--timeout)` and exit 124; the store is as it was.
    CSV, JSON and Markdown are printed 10,000 rows at a time (a result of any size fits in memory; rows printed
    before a statement fails or times out stay printed); a table shows the first 1,000 rows and cuts a cell after
    2,000 characters, saying what it left out. A column name the result repeats (`select *` of a join) is made
    unique as DuckDB does in a subquery (a, a_1, a_2). Output: the rows on stdout, `N rows` on stderr.
    """
    if (query is None) == (file is None):
        raise PolicycheckError("sql", "give the SQL either as an argument or with --file")
    if file is not None:
        try:
            query = _read_query(file)
        except OSError as exc:
            raise PolicycheckError(file, f"cannot read SQL file: {exc.strerror}") from exc
        except UnicodeDecodeError as exc:
            raise PolicycheckError(file, f"SQL file is not {codec(exc)} text (byte {exc.start})") from exc
        if "\x00" in query:  # valid UTF-8, but no SQL: UTF-16 or UTF-32 without a byte-order mark, or binary
            raise PolicycheckError(file, f"SQL file holds a NUL character (byte {query.index(chr(0)):,}): not SQL "
                                         "text (UTF-16 or UTF-32 without a byte-order mark? save it as UTF-8)")
    assert query is not None
    from policycheck import sqlguard  # sqlglot: imported by this command only

    folders = []
    for folder in allow_read or []:
        check_folder(folder, "--allow-read", must_exist=True)
        folders.append(folder.resolve())
    con = store.open_store(db, store.WRITE if write else store.READ)
    if write:
        sqlguard.check_write(con, query, db)
    else:
        sqlguard.check_read(con, query, folders)
        sqlguard.lock_down(con, folders)
    try:
        with sqlguard.time_limit(con, timeout):
            cursor = con.execute(query)
            names = unique_names([d[0] for d in cursor.description] if cursor.description else [])
            count = output.emit_batches(_batches(cursor, names), names, output_format)
    except sqlguard.TimedOut as exc:
        con.close()
        err_console.print(f"[bold red]error:[/] sql: {shown(exc)}", highlight=False, soft_wrap=True)
        raise typer.Exit(exitcodes.TIMED_OUT) from None
    except duckdb.Error as exc:  # duckdb raises many error classes; all are the user's query problem here
        if store.is_damage(exc):
            raise store.damaged(db, store.error_line(exc)) from exc
        message = store.error_line(exc)
        if isinstance(exc, duckdb.PermissionException):
            message += "; name the folder with --allow-read"
        elif "read-only" in message.lower() or "configuration has been locked" in message.lower():
            message += "; pass --write to change the store or settings"
        raise PolicycheckError("sql", message) from exc
    err_console.print(f"{count} rows", style="dim")
