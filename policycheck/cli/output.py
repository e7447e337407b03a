"""Output options and formats of the CLI, defined once: ``--format`` of the listing commands (``gaps``,
``flows``, ``versions``, ``sql``, ``contradictions``, ``compare``: one table of records printed as a rich table,
CSV, JSON or a Markdown table) and ``--out``/``--name`` of the commands that write a report (``report``, ``run``).

Without ``--format`` the output is a table on a terminal and CSV when stdout is a pipe or a file, so that
``policycheck gaps | cat`` or ``> gaps.csv`` keeps every value whole. Rich tables wrap long cells
(``overflow="fold"``) instead of cutting them, at any width.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TextIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import typer
from rich.table import Table

from policycheck.cli.common import console
from policycheck.cli.common import shown as cell
from policycheck.reports.write import blob_text, interval_text, to_json


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


FormatOption = Annotated[Format | None, typer.Option(
    "--format", help="table, csv, json or markdown; default: table on a terminal, csv when piped.",
    show_default=False)]


OutOption = Annotated[Path, typer.Option("--out", help="Output folder of reports (OUT/NAME/report.*).")]
def _folder_name(name: str) -> str:
    """A report name is one folder under ``--out``: no path separator, no ``.``/``..``, no control character."""
    if name in ("", ".", "..") or "/" in name or "\\" in name or any(ord(ch) < 32 for ch in name):
        raise typer.BadParameter(f"{name!r} is not a folder name (no '/', '..' or control characters)")
    return name


NameOption = Annotated[str, typer.Option("--name", help="Report folder name under --out.", callback=_folder_name)]


def resolve(output: Format | None) -> Format:
    """The format asked for, else table on a terminal and CSV otherwise."""
    if output is not None:
        return output
    return Format.table if sys.stdout.isatty() else Format.csv


def text(value: Any) -> str:
    """A value as one cell: dates in ISO 8601, lists, numpy arrays and dicts as JSON, a BLOB and an interval as
    DuckDB writes them (``\\x00\\xFF``, ``1 day 02:00:00``: :func:`~policycheck.reports.write.blob_text`,
    :func:`~policycheck.reports.write.interval_text`), None as ''."""
    if value is None:
        return ""
    if isinstance(value, bytes | bytearray | memoryview):
        return blob_text(value)
    if isinstance(value, timedelta):
        return interval_text(value)
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=_cell_default)
    return str(value)


def _cell_default(value: Any) -> str:
    """A value nested in a list or struct cell that JSON has no type for: a BLOB or an interval as DuckDB writes
    it, else its text."""
    if isinstance(value, timedelta):
        return interval_text(value)
    return blob_text(value) if isinstance(value, bytes | bytearray | memoryview) else str(value)


def table(columns: Sequence[str], title: str | None = None) -> Table:
    """A rich table whose cells wrap (fold) rather than being cut; column names shown as :func:`cell` shows a
    value (``sql`` names a column after any alias: ``select 1 as "[/]"`` raised rich's MarkupError, ``"[bold]x"``
    was shown as a bold ``x``)."""
    out = Table(title=title, expand=False)
    for name in columns:
        out.add_column(cell(name), overflow="fold", no_wrap=False)
    return out


def markdown(records: list[dict[str, Any]], columns: Sequence[str], header: bool = True) -> str:
    """A GitHub-flavoured Markdown table ('|' in values and column names escaped, line breaks as spaces); its rows
    alone when not ``header``."""
    def cell(value: Any) -> str:
        return " ".join(text(value).split()).replace("|", "\\|")
    lines = ["| " + " | ".join(map(cell, columns)) + " |", "|" + "---|" * len(columns)] if header else []
    lines += ["| " + " | ".join(cell(r.get(c)) for c in columns) + " |" for r in records]
    return "\n".join(lines) + "\n" if lines else ""


def to_csv(records: list[dict[str, Any]], columns: Sequence[str]) -> str:
    """``records`` as CSV text: a header of ``columns``, then one line per record (cells as :func:`text`)."""
    buffer = io.StringIO()
    write_csv(buffer, records, columns)
    return buffer.getvalue()


def write_csv(out: TextIO, records: list[dict[str, Any]], columns: Sequence[str], header: bool = True) -> None:
    """Write ``records`` as CSV to ``out``, cells as :func:`text`, row by row (no copy of the whole text).

    Numpy integer arrays (the request ids of gap rows: millions at scale) are formatted by Arrow's
    ``binary_join`` into the same text as ``json.dumps`` of the list, and put into the row after the csv
    module has quoted the other cells (an array's text holds no quote character: it is quoted when it holds a
    comma, as the csv module would), so that the csv module never scans them."""
    writer = csv.writer(out)
    if header:
        writer.writerow(columns)
    line = io.StringIO()
    row_writer = csv.writer(line)
    for record in records:
        cells = [record.get(k) for k in columns]
        arrays = {i: _int_array_text(v) for i, v in enumerate(cells)
                  if isinstance(v, np.ndarray) and v.dtype.kind in "iu"}
        if not arrays:
            writer.writerow([text(v) for v in cells])
            continue
        line.seek(0)
        line.truncate()
        row_writer.writerow([f"\0{i}\0" if i in arrays else text(v) for i, v in enumerate(cells)])
        written = line.getvalue()
        if any(written.count(f"\0{i}\0") != 1 for i in arrays):  # a cell of its own held the marker
            writer.writerow([text(v) for v in cells])
            continue
        for i, value in arrays.items():
            written = written.replace(f"\0{i}\0", f'"{value}"' if "," in value else value)
        out.write(written)


def _int_array_text(values: np.ndarray) -> str:
    """An integer array as ``json.dumps(values.tolist())`` writes it ('[1, 2, 3]'); a long one joined by Arrow."""
    if len(values) < 4096:
        return json.dumps(values.tolist())
    strings = pa.array(values).cast(pa.string())
    joined = pc.binary_join(pa.ListArray.from_arrays(pa.array([0, len(strings)], pa.int32()), strings), ", ")
    return f"[{joined[0].as_py()}]"


def emit(records: list[dict[str, Any]], columns: Sequence[str], output: Format | None, title: str | None = None,
         rich_table: Callable[[], Table] | None = None) -> None:
    """Print ``records`` (dicts) in the resolved format: all ``columns`` for csv and markdown, the records as
    they are for json, and ``rich_table()`` (or a plain folding table of ``columns``) for table."""
    chosen = resolve(output)
    if chosen is Format.json:
        sys.stdout.write(to_json(records, indent=None) + "\n")
    elif chosen is Format.csv:
        write_csv(sys.stdout, records, columns)
    elif chosen is Format.markdown:
        sys.stdout.write(markdown(records, columns))
    else:
        shown = rich_table() if rich_table else None
        if shown is None:
            shown = table(columns, title)
            for r in records:
                shown.add_row(*(cell(text(r.get(c))) for c in columns))
        console.print(shown)


def emit_batches(batches: Iterable[list[dict[str, Any]]], columns: Sequence[str], output: Format | None) -> int:
    """Print the records of ``batches`` as :func:`emit` prints them all, batch by batch for csv, json and markdown
    (the same text; memory holds one batch, so a result of any size is printed: ``sql`` of 6 million rows ran out
    of a 1.5 GB address-space limit when fetched whole), or the first :data:`TABLE_MAX_ROWS` as a rich table
    (:func:`_emit_table`). Output: the number of records of the result."""
    chosen = resolve(output)
    if chosen is Format.table:
        return _emit_table(batches, columns)
    count = 0
    if chosen is Format.csv:
        write_csv(sys.stdout, [], columns)
    elif chosen is Format.markdown:
        sys.stdout.write(markdown([], columns))
    else:
        sys.stdout.write("[")
    for batch in batches:
        if chosen is Format.csv:
            write_csv(sys.stdout, batch, columns, header=False)
        elif chosen is Format.markdown:
            sys.stdout.write(markdown(batch, columns, header=False))
        else:
            sys.stdout.write(("," if count else "") + ",".join(to_json(record) for record in batch))
        count += len(batch)
    if chosen is Format.json:
        sys.stdout.write("]\n")
    return count


TABLE_MAX_ROWS = 1_000  # rows a `--format table` listing of `sql` shows; csv/json/markdown print every row
TABLE_MAX_CELL = 2_000  # characters of one table cell shown; the rest is named by its length


def _table_cell(value: Any) -> str:
    """A value as a table cell: its :func:`text`, cut after :data:`TABLE_MAX_CELL` characters with the number of
    characters left out (a 100 MB cell took rich minutes to fold)."""
    whole = text(value)
    if len(whole) <= TABLE_MAX_CELL:
        return whole
    return f"{whole[:TABLE_MAX_CELL]}… ({len(whole) - TABLE_MAX_CELL:,} more characters)"


def _emit_table(batches: Iterable[list[dict[str, Any]]], columns: Sequence[str]) -> int:
    """Print the first :data:`TABLE_MAX_ROWS` records of ``batches`` as a rich table (columns sized from those
    rows, long cells cut by :func:`_table_cell`) and, when more follow, one line ``first N of M rows shown``
    naming the formats that print them all; the rest is counted, never held. Output: the number of records of the
    result."""
    shown_rows: list[dict[str, Any]] = []
    count = 0
    for batch in batches:
        shown_rows.extend(batch[:max(0, TABLE_MAX_ROWS - count)])
        count += len(batch)
    out = table(columns, f"{count} rows" if count == len(shown_rows) else None)
    for record in shown_rows:
        out.add_row(*(cell(_table_cell(record.get(c))) for c in columns))
    console.print(out)
    if count > len(shown_rows):
        console.print(f"first {len(shown_rows):,} of {count:,} rows shown; --format csv, json or markdown prints "
                      "every row", style="dim", highlight=False)
    return count
