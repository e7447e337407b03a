"""The DuckDB store: one file, opened here, with its schema applied by numbered migrations.

The schema lives in ``policycheck/schema/NNN_name.sql``; each file is applied once, in order, inside a
transaction, and recorded in ``schema_migrations``. The schema version of a file is the highest applied
number (``policycheck sql "select max(version) from schema_migrations"``). Files are written with
``storage_compatibility_version`` set to :data:`STORAGE_COMPATIBILITY` so that the ``duckdb`` CLI 1.5.x
from PyPI can open them (DuckDB docs, "Storage Versions and Format").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from policycheck.config import PACKAGE_DIR
from policycheck.errors import PolicycheckError

STORAGE_COMPATIBILITY = "v1.5.0"
SCHEMA_DIR = PACKAGE_DIR / "schema"
_MIGRATION_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path


def migrations() -> list[Migration]:
    """All migration files shipped with the package, ordered by version number."""
    found = []
    for path in sorted(SCHEMA_DIR.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if not match:
            raise PolicycheckError(path, "migration file name must be NNN_name.sql")
        found.append(Migration(int(match.group(1)), match.group(2), path))
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise PolicycheckError(SCHEMA_DIR, f"two migrations share a number: {versions}")
    return found


SCHEMA_VERSION = max((m.version for m in migrations()), default=0)


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the store at ``path`` and bring its schema up to date.

    Inputs: ``path`` of the DuckDB file (parent folders are created); ``read_only`` opens without
    migrating and refuses writes. Output: an open connection. Raises :class:`PolicycheckError` when the
    file is not a DuckDB database, is locked by another process, or was written by a newer policycheck
    (schema version above :data:`SCHEMA_VERSION`).
    """
    path = Path(path)
    if read_only and not path.exists():
        raise PolicycheckError(path, "no such store; run `policycheck run` or an import/ingest command first")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        if read_only:
            con = duckdb.connect(str(path), read_only=True)
        else:
            con = duckdb.connect(str(path), config={"storage_compatibility_version": STORAGE_COMPATIBILITY})
    except duckdb.Error as exc:  # not a database, locked, or unreadable
        raise PolicycheckError(path, f"cannot open DuckDB store: {exc}") from exc
    con.execute("set enable_progress_bar = false")  # our commands draw their own progress on stderr
    if not read_only:
        migrate(con, path)
    return con


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """Highest migration applied to the open store (0 for an empty file)."""
    exists = con.execute(
        "select count(*) from information_schema.tables where table_name = 'schema_migrations'"
    ).fetchall()[0][0]
    if not exists:
        return 0
    return con.execute("select coalesce(max(version), 0) from schema_migrations").fetchall()[0][0]


def migrate(con: duckdb.DuckDBPyConnection, where: str | Path = "store") -> list[int]:
    """Apply every migration newer than the store's schema version; return the versions applied.

    Each migration runs in its own transaction: a failing one leaves the store at the previous version.
    """
    current = schema_version(con)
    if current > SCHEMA_VERSION:
        raise PolicycheckError(
            where, f"schema version {current} is newer than this policycheck ({SCHEMA_VERSION}); upgrade it"
        )
    con.execute("create table if not exists schema_migrations (version integer primary key, "
                "name varchar not null, applied_at timestamp not null default current_timestamp)")
    applied = []
    for migration in migrations():
        if migration.version <= current:
            continue
        with transaction(con):
            con.execute(migration.path.read_text(encoding="utf-8"))
            con.execute("insert into schema_migrations(version, name) values (?, ?)",
                        [migration.version, migration.name])
        applied.append(migration.version)
        current = migration.version
    return applied


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """``with transaction(con):`` commits on success and rolls back on any exception (then re-raises)."""
    con.execute("begin transaction")
    try:
        yield con
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")


def next_id(con: duckdb.DuckDBPyConnection, table: str, column: str) -> int:
    """The next free integer id of ``table.column`` (max + 1), for bulk loads that number rows in Python.

    Call it inside the transaction that inserts the rows, so concurrent loads cannot take the same ids
    (DuckDB allows one writer per file).
    """
    return con.execute(f'select coalesce(max("{column}"), 0) + 1 from "{table}"').fetchall()[0][0]


def fetch_dicts(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    """Run ``sql`` and return every row as a ``{column: value}`` dict (the result fully drained)."""
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def insert_arrow(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table) -> int:
    """Bulk-insert an Arrow table into ``table``, matching columns by name; returns the number of rows.

    The fast path for loads of many rows (DuckDB reads the Arrow buffers directly); call it inside the
    load's transaction.
    """
    view = f"_arrow_{table}"
    con.register(view, rows)
    try:
        con.execute(f'insert into "{table}" by name select * from "{view}"')
    finally:
        con.unregister(view)
    return rows.num_rows
