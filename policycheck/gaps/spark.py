"""The cluster path: the store as Parquet files, and the gap SQL of ``gaps.sql`` run by Apache Spark over them.

:func:`export_parquet` writes every table of the store (claims, flows, observations, captures, versions, the
ontology and its closures, ...) as Parquet under one folder, one sub-folder per table; ``flows`` and
``observations`` are partitioned by the day of the request (``day=YYYY-MM-DD``, a column added for the
partitioning), so that a study of months of captures reads only the days it asks for.

:func:`spark_statements` turns ``gaps.sql`` into Spark SQL with sqlglot (DuckDB dialect in, Spark dialect out):
each view becomes a temporary view, and the body of the ``gap_judgements`` table macro a query, its parameters
replaced by literals. Nothing is written twice: the SQL is the one DuckDB runs, written in the subset both
engines accept (no ASOF join, no ordered aggregates, no IN-subquery outside WHERE; README "Scale"). The macros
``gap_verdicts`` and the ``gaps`` view only call ``gap_judgements`` and are not transpiled.

:func:`spark_gap_rows` runs it on a Spark session (``local[2]`` by default; any master given to ``spark-submit``)
and returns the rows as :func:`policycheck.gaps.classify.gap_rows` does. Run as a script (``spark-submit
policycheck/gaps/spark.py --parquet s3a://bucket/store --out s3a://bucket/gaps``) it writes the rows as Parquet.
"""

from __future__ import annotations

import argparse
import json
import os
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import sqlglot
from sqlglot import exp

from policycheck.errors import PolicycheckError

if TYPE_CHECKING:  # pyspark is imported only when Spark is used
    from pyspark.sql import SparkSession

GAPS_SQL = Path(__file__).with_name("gaps.sql")
MACRO = "gap_judgements"
SKIPPED = ("gap_verdicts", "gaps")  # call the macro: not transpiled
PARTITIONED = {"flows": "cast(\"time\" as date)",
               "observations": "(select cast(f.\"time\" as date) from flows f where f.flow_id = t.flow_id)"}
_CREATE = re.compile(r"^\s*(?:--[^\n]*\n\s*)*create\s+or\s+replace\s+(view|macro)\s+(\w+)", re.IGNORECASE)
_MACRO = re.compile(r"^\s*(?:--[^\n]*\n\s*)*create\s+or\s+replace\s+macro\s+\w+\s*\((?P<params>.*?)\)\s+as\s+table\s+"
                    r"(?P<body>.*)$", re.IGNORECASE | re.DOTALL)


def export_parquet(con: duckdb.DuckDBPyConnection, folder: Path) -> dict[str, int]:
    """Write every table of the open store as Parquet: ``folder/<table>/`` (``flows`` and ``observations``
    partitioned by ``day``), plus ``folder/manifest.json`` (schema version, tables, row counts). Input: a store
    connection (read is enough) and a local folder (created; an existing table folder of an earlier export is
    replaced). Output: rows per table. Raises :class:`PolicycheckError`, before anything is written, for a folder
    that holds anything but what an export writes (``manifest.json``, table folders of Parquet files):
    ``--parquet ~`` emptied a folder named like a table (``documents``, ``settings``), ``--parquet /etc`` wrote 32
    entries among the system's files. ``OSError`` when the folder cannot be created (a file of that name, no
    permission) and :class:`duckdb.Error` on a write failure."""
    tables = [r[0] for r in con.execute(
        "select table_name from duckdb_tables() where database_name = current_database() and not temporary "
        "order by table_name").fetchall()]
    _check_replaceable(folder, tables)
    folder.mkdir(parents=True, exist_ok=True)
    return _export_tables(con, folder, tables)


def _check_replaceable(folder: Path, tables: list[str]) -> None:
    """Refuse (:class:`PolicycheckError`) to export into ``folder`` unless everything in it is what an export
    writes: ``manifest.json`` and folders named like a table holding Parquet files (a complete or an interrupted
    earlier export, which is replaced)."""
    if not folder.is_dir():
        return
    for entry in sorted(folder.iterdir()):
        if entry.name == "manifest.json" and entry.is_file() and not entry.is_symlink():
            continue
        inside = [*entry.rglob("*")] if entry.name in tables and entry.is_dir() and not entry.is_symlink() else None
        other = entry if inside is None else next(
            (p for p in inside if p.is_symlink() or (not p.is_dir() and p.suffix != ".parquet")), None)
        if other is not None:
            raise PolicycheckError(folder, f"cannot write the Parquet export: {other.relative_to(folder)} is not "
                                           "part of an earlier export (manifest.json, table folders of Parquet "
                                           "files); name a new or empty folder")


def _quoted(path: Path) -> str:
    """``path`` as a SQL string literal (a quote in a folder name doubled)."""
    return "'" + str(path).replace("'", "''") + "'"


def _export_tables(con: duckdb.DuckDBPyConnection, folder: Path, tables: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in tables:
        target = folder / table
        if target.exists():
            for old in sorted(target.rglob("*"), reverse=True):
                old.unlink() if old.is_file() else old.rmdir()
        if table in PARTITIONED:
            con.execute(f"copy (select t.*, {PARTITIONED[table]} as day from \"{table}\" t) to {_quoted(target)} "
                        "(format parquet, partition_by (day), overwrite_or_ignore)")
        else:
            target.mkdir(exist_ok=True)  # emptied above when an earlier export wrote it
            con.execute(f"copy \"{table}\" to {_quoted(target / 'data.parquet')} (format parquet)")
        counts[table] = con.execute(f'select count(*) from "{table}"').fetchall()[0][0]
    version = con.execute("select coalesce(max(version), 0) from schema_migrations").fetchall()[0][0]
    (folder / "manifest.json").write_text(json.dumps({"schema_version": version, "tables": counts}, indent=1),
                                          encoding="utf-8")
    return counts


def _literal(value: Any) -> exp.Expression:
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, date):
        return exp.cast(exp.Literal.string(value.isoformat()), "date")
    if isinstance(value, int | float):
        return exp.Literal.number(value)
    if isinstance(value, list):
        return exp.Array(expressions=[_literal(v) for v in value])
    return exp.Literal.string(str(value))


def _statements() -> list[str]:
    text = GAPS_SQL.read_text(encoding="utf-8")
    return [s.query for s in duckdb.connect().extract_statements(text)]


def spark_statements(as_of: date | None = None, mode: str = "intermediate", min_confidence: float = 0.5,
                     explain: bool = False, current_rows: bool = True, history_rows: bool = False,
                     dates: list[date] | None = None) -> tuple[list[tuple[str, str]], str]:
    """The gap SQL in Spark's dialect: ``([(view name, CREATE TEMPORARY VIEW ...)], query)``, the query being the
    body of ``gap_judgements`` with its parameters as literals. Raises :class:`sqlglot.errors.ParseError` if
    ``gaps.sql`` holds SQL that sqlglot cannot read."""
    views: list[tuple[str, str]] = []
    query = ""
    for statement in _statements():
        created = _CREATE.match(statement)
        if not created or created.group(2) in SKIPPED:
            continue
        kind, name = created.group(1).lower(), created.group(2)
        if kind == "view":
            create = sqlglot.parse_one(statement, read="duckdb").find(exp.Create)
            assert create is not None, f"view {name} is a CREATE statement"
            sql = create.expression.sql(dialect="spark")
            views.append((name, f"CREATE OR REPLACE TEMPORARY VIEW {name} AS {sql}"))
        elif name == MACRO:
            match = _MACRO.match(statement)
            assert match is not None, "gap_judgements is a table macro"
            values = {"as_of": as_of, "current_rows": current_rows, "history_rows": history_rows, "mode": mode,
                      "min_confidence": min_confidence, "explain": explain, "dates": dates}
            declared = {p.split(":=")[0].strip() for p in match.group("params").split(",")}
            assert declared == set(values), f"gap_judgements takes {sorted(declared)}"
            tree = next(t for t in sqlglot.parse(match.group("body"), read="duckdb") if t is not None)
            query = tree.transform(_substitute(values)).sql(dialect="spark")
    return views, query


def _substitute(values: dict[str, Any]) -> Callable[[exp.Expression], exp.Expression]:
    def replace(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and not node.table and node.name in values:
            return _literal(values[node.name])
        return node
    return replace


def spark_session(master: str = "local[2]") -> SparkSession:
    """A Spark session for the gap SQL (UTC session time zone, no UI). Raises :class:`ImportError` without
    pyspark and Spark's own error without a Java runtime."""
    from pyspark.sql import SparkSession
    builder = (SparkSession.builder.appName("policycheck-gaps")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", os.environ.get("POLICYCHECK_SPARK_PARTITIONS", "8"))
               .config("spark.sql.parquet.inferTimestampNTZ.enabled", "true")
               # the driver plans the whole gap query (its CTEs inlined): Spark's default 1 GB heap ran out in a
               # long-lived local session, and 2 GB on its third query with a first form of the per-version
               # hand-off (a lookup over the observed keys); read when the JVM starts ($POLICYCHECK_SPARK_DRIVER_MEMORY)
               .config("spark.driver.memory", os.environ.get("POLICYCHECK_SPARK_DRIVER_MEMORY", "3g")))
    if "SPARK_HOME" not in os.environ or master != "local[2]":
        builder = builder.master(master)
    return builder.getOrCreate()


def register(spark: SparkSession, parquet: str) -> list[str]:
    """Every table folder of an export (``parquet``: a local path or an object-store URL such as
    ``s3a://bucket/store``) as a temporary view; the list of tables comes from its ``manifest.json``."""
    manifest = json.loads("\n".join(r.value for r in spark.read.text(f"{parquet.rstrip('/')}/manifest.json")
                                    .collect()))
    for table in manifest["tables"]:
        spark.read.parquet(f"{parquet.rstrip('/')}/{table}").createOrReplaceTempView(table)
    return list(manifest["tables"])


def spark_gap_rows(spark: SparkSession, parquet: str, as_of: date | None = None, mode: str = "intermediate",
                   min_confidence: float = 0.5, explain: bool = False) -> list[dict[str, Any]]:
    """The gap rows judged by Spark over an export (see :func:`export_parquet`): dicts with the columns of
    :data:`policycheck.gaps.classify.GAP_COLUMNS`, in no particular order."""
    from policycheck.gaps.classify import GAP_COLUMNS
    register(spark, parquet)
    views, query = spark_statements(as_of, mode, min_confidence, explain)
    for _, create in views:
        spark.sql(create)
    return [{c: row[c] for c in GAP_COLUMNS} for row in
            (r.asDict(recursive=True) for r in spark.sql(query).collect())]


def main(argv: list[str] | None = None) -> int:
    """``spark-submit policycheck/gaps/spark.py --parquet DIR_OR_URL --out DIR_OR_URL [--as-of DATE] [--mode M]
    [--min-confidence X]``: judge an export on the cluster and write the gap rows as Parquet."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--parquet", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--as-of", type=date.fromisoformat, default=None)
    parser.add_argument("--mode", default="intermediate")
    parser.add_argument("--min-confidence", type=float, default=0.5)
    args = parser.parse_args(argv)
    from pyspark.sql import SparkSession
    spark = SparkSession.builder.appName("policycheck-gaps").config("spark.sql.session.timeZone", "UTC") \
        .getOrCreate()
    register(spark, args.parquet)
    views, query = spark_statements(args.as_of, args.mode, args.min_confidence)
    for _, create in views:
        spark.sql(create)
    spark.sql(query).write.mode("overwrite").parquet(args.out)
    spark.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
