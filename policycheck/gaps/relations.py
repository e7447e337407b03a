"""How two ontology terms relate (``relations.sql``: the ``feature_relation``, ``entity_relation`` and
``data_relation`` macros), shared by the contradictions and the comparisons."""

from __future__ import annotations

from importlib.resources import files

import duckdb

from policycheck.gaps import classify


def install(con: duckdb.DuckDBPyConnection, *sql_files: str) -> None:
    """Create (or replace) the gap views (gaps.sql), the relation macros and then each of ``sql_files`` (names in
    this package, in order). Idempotent."""
    classify.install(con)
    for name in ("relations.sql", *sql_files):
        con.execute(files("policycheck.gaps").joinpath(name).read_text(encoding="utf-8"))
