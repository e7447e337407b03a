"""The DuckDB store: one file, opened here (:func:`open_store`), with its schema applied by numbered migrations.

The schema lives in ``policycheck/schema/NNN_name.sql``; each file is applied once, in order, inside a
transaction, and recorded in ``schema_migrations``. The schema version of a file is the highest applied
number (``policycheck sql "select max(version) from schema_migrations"``). Files are written with
``storage_compatibility_version`` set to :data:`STORAGE_COMPATIBILITY` so that the ``duckdb`` CLI 1.5.x
from PyPI can open them (DuckDB docs, "Storage Versions and Format").

Every command opens the store through :func:`open_store` with a mode: ``read`` commands open it read-only
(several readers, and the ``duckdb -readonly`` CLI, can have it open at once; a read-only file works),
``write`` commands read-write. Each open checks the schema version (a write open migrates an older store, a
read open names it), and every write open first reads every block of the file, so a damaged store is refused
before anything is written to it. Damage, a lock held by another process and a store of another version are
one-line :class:`~policycheck.errors.PolicycheckError` messages (README, section store).

Derived SQL objects (the gap, contradiction and comparison views of ``gaps/*.sql``, :data:`DERIVED_SQL`) are
(re)installed by a write open when the files' hash differs from the one recorded in ``settings``; a read open of
a store whose installed objects are not current creates them as temporary objects of its own connection instead.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import re
import tempfile
import weakref
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from policycheck.config import PACKAGE_DIR
from policycheck.errors import PolicycheckError
from policycheck.textfile import open_regular

STORAGE_COMPATIBILITY = "v1.5.0"
SCHEMA_DIR = PACKAGE_DIR / "schema"
# views and macros derived from the tables, no data, in the order they build on each other
DERIVED_SQL = (*(PACKAGE_DIR / "gaps" / name for name in ("gaps.sql", "relations.sql", "contradictions.sql",
                                                           "compare.sql")),
               PACKAGE_DIR / "claims" / "views.sql")
DERIVED_KEY = "derived_sql_sha256"
# DuckDB's memory_limit for every connection (its default is 80% of RAM): the 100x benchmark's gap query and
# report stay under 1 GB of peak memory with it (README "Scale"); $POLICYCHECK_MEMORY_LIMIT overrides it.
MEMORY_LIMIT = "512MB"
READ, WRITE = "read", "write"
_SAME_PROCESS = re.compile(r"same database file with a different configuration")
last_opened: Path | None = None  # the store this process opened last (named when damage shows up later)
# stores this process created (open_store, write, no file yet): the command line removes them when its command fails
created: set[Path] = set()
# Messages of DuckDB that mean the file's bytes are not a sound database (truncated, overwritten, bit rot).
_DAMAGE = re.compile(r"corrupt|checksum|not a valid DuckDB database|could not read enough bytes|"
                     r"failed to read|invalid (?:block|magic|metadata)", re.IGNORECASE)
_LOCK = re.compile(r"Could not set lock on file .*?Conflicting lock is held in (?P<holder>.*?) \(PID (?P<pid>\d+)\)",
                   re.DOTALL)
_MIGRATION_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")
# Migrations whose data are filled by a function of the package (``module:function(con)``), run right after the
# migration's SQL in its transaction: the function is what keeps those data current afterwards.
MIGRATION_STEPS = {9: "policycheck.flows.overlap:rebuild", 13: "policycheck.flows.identity:backfill",
                   14: "policycheck.flows.overlap:fill_coverage"}


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


def open_store(path: str | Path, mode: str) -> duckdb.DuckDBPyConnection:
    """Open the store at ``path`` for a command of ``mode`` ``"read"`` or ``"write"``.

    ``read``: read-only (no lock against other readers or ``duckdb -readonly``; a read-only file works);
    the store must exist and have this policycheck's schema version. ``write``: creates the file (and its
    folders) when missing, refuses a damaged file (every block is read and checksummed first), migrates an
    older schema and installs current derived views. Output: an open connection. Raises
    :class:`PolicycheckError` (one line, exit 2) when the store is missing (read), damaged, locked by another
    process, unreadable, of a newer schema, or of an older schema on a read, a DuckDB file of another program (tables,
    no schema version: left untouched), and when its path holds a ``?`` or a
    ``\\`` (DuckDB 2.0 writes the log of ``a?b/s.duckdb`` to ``a.wal?b/s.duckdb`` and opens ``a\\b`` as ``a/b``).
    """
    if mode not in (READ, WRITE):
        raise ValueError(f"mode must be {READ!r} or {WRITE!r}, not {mode!r}")
    global last_opened
    path = last_opened = Path(path)
    read_only = mode == READ
    if read_only and not path.exists():
        raise PolicycheckError(path, "no such store; run `policycheck run` or an import/ingest command first")
    if path.is_dir():
        raise PolicycheckError(path, "is a folder, not a store file")
    if "?" in str(path) or "\\" in str(path):
        raise PolicycheckError(path, "a store path with '?' or '\\' cannot be used: DuckDB reads '\\' as '/' and "
                                     "puts the write-ahead log (.wal) of a path with '?' elsewhere, so the store "
                                     "opened or its commits would miss the file; choose a path without them")
    if not read_only:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PolicycheckError(path.parent, f"cannot create the store's folder: {exc.strerror}") from exc
    fresh = not read_only and not path.exists() and _create(path)
    _check_magic(path)
    if not read_only and not fresh and path.exists() and path.stat().st_size > 0:
        _verify_file(path)  # read-only first: a read-write open of a damaged file could write to it
    try:
        if read_only:
            try:
                con = duckdb.connect(str(path), read_only=True)
            except duckdb.ConnectionException as exc:
                if not _SAME_PROCESS.search(str(exc)):
                    raise
                # this process already has the store open read-write (``run``, tests): share that instance
                con = duckdb.connect(str(path), config={"storage_compatibility_version": STORAGE_COMPATIBILITY})
        else:
            con = duckdb.connect(str(path), config={"storage_compatibility_version": STORAGE_COMPATIBILITY})
    except duckdb.Error as exc:
        raise open_error(path, exc, mode) from exc
    try:
        con.execute("set enable_progress_bar = false")  # our commands draw their own progress on stderr
        limit_memory(con)
        if read_only:
            _check_version(con, path)
            _ensure_derived(con, temporary=True)
        else:
            migrate(con, path)
            _ensure_derived(con, temporary=False)
    except duckdb.Error as exc:
        con.close()
        raise open_error(path, exc, mode) from exc
    except BaseException:
        con.close()
        raise
    return con


def _create(path: Path) -> bool:
    """Create a new store at ``path``: its schema is written at a temporary name in the same folder
    (``.NAME.PID.creating``) and linked into place only when complete and checkpointed (no ``.wal`` left), so a
    full disk, a file size limit or an interrupt never leaves a half-created store (or its ``.wal``) at ``path``;
    the temporary files are removed whatever happens. A store another process created meanwhile is kept (the link
    does not replace it). Adds ``path`` to :data:`created`; returns whether the file at ``path`` is the one just
    written (its blocks need no verification). Raises :class:`PolicycheckError` naming ``path`` when the folder
    cannot take the file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.creating")
    try:
        con = duckdb.connect(str(tmp), config={"storage_compatibility_version": STORAGE_COMPATIBILITY})
        try:
            limit_memory(con)
            migrate(con, path)
            _ensure_derived(con, temporary=False)
            con.execute("checkpoint")
        finally:
            con.close()
        return _link(tmp, path)
    except duckdb.Error as exc:
        raise PolicycheckError(path, f"cannot create the store: {error_line(exc)}") from exc
    except OSError as exc:
        raise PolicycheckError(path, f"cannot create the store: {exc.strerror or exc}") from exc
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)


def _link(tmp: Path, path: Path) -> bool:
    """Put the complete store ``tmp`` at ``path`` unless a file is there already (a hard link; a rename where the
    file system has no hard links), recording ``path`` in :data:`created`. Returns whether it was put there."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        return False
    except OSError:
        if path.exists():
            return False
        os.rename(tmp, path)
    created.add(path)
    return True


def remove_created() -> None:
    """Remove the stores (and their ``.wal``) this process created, after the command that created them failed:
    nothing the failed command wrote is worth keeping, and a store a full disk cut short could not be opened."""
    while created:
        path = created.pop()
        for leftover in (path, path.with_name(path.name + ".wal")):
            with suppress(OSError):
                leftover.unlink()


def limit_memory(con: duckdb.DuckDBPyConnection) -> None:
    """Cap DuckDB's memory (``memory_limit``: ``$POLICYCHECK_MEMORY_LIMIT``, default :data:`MEMORY_LIMIT`) and let
    it spill what does not fit to a folder of the system's temporary directory (a read-only store cannot hold its
    own ``.tmp`` folder). Raises :class:`PolicycheckError` for a limit DuckDB does not accept."""
    limit = os.environ.get("POLICYCHECK_MEMORY_LIMIT") or MEMORY_LIMIT
    try:
        con.execute(f"set memory_limit = '{limit.replace(chr(39), '')}'")
    except duckdb.Error as exc:
        raise PolicycheckError("POLICYCHECK_MEMORY_LIMIT", f"{limit!r} is not a memory size DuckDB accepts "
                                                           "(e.g. 512MB, 2GB)") from exc
    con.execute(f"set temp_directory = '{Path(tempfile.gettempdir()) / 'policycheck-duckdb'}'")


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """``open_store(path, "read" if read_only else "write")`` (kept for callers written before it)."""
    return open_store(path, READ if read_only else WRITE)


def _check_magic(path: Path) -> None:
    """Refuse a file that is not a DuckDB database before DuckDB opens it: DuckDB would try to download and load
    an extension for an SQLite file, and a read-write open would write into another format's file."""
    try:
        with open_regular(path) as handle:  # a FIFO or device: refused here, never opened by DuckDB
            head = handle.read(12)
    except OSError:
        return  # no file yet, or one DuckDB reports itself (permission denied)
    if head and head[8:12] != b"DUCK":  # another format's file, or one damaged from its first block: never ours
        kind = ("an SQLite database" if head.startswith(b"SQLite forma") else
                "its first bytes are not DuckDB's: another program's file, or a store damaged from its start")
        raise PolicycheckError(path, f"not a DuckDB store ({kind}); give --db the path of a policycheck store or of "
                                     "a new file, or restore the store from a backup")


_EMBEDDED = re.compile(r'\{"exception_type":\s*"[^"]*",\s*"exception_message":\s*"((?:[^"\\]|\\.)*)"[^{}]*\}')


def error_line(exc: BaseException) -> str:
    """DuckDB's message for ``exc`` as one line: its first line; when it embeds an error as JSON (``IO Error: Async
    write failed for range [offset=26246, size=373346]: {"exception_type":"IO","exception_message":"Could not
    write file ...: No space left on device","errno":"28"}``), DuckDB's error class and that error's message
    (``IO Error: Could not write file ...: No space left on device``); the error class name when it has none."""
    lines = str(exc).strip().splitlines()
    if not lines:
        return type(exc).__name__
    found = _EMBEDDED.search(lines[0])
    if found is None:
        return lines[0]
    try:
        inner = json.loads(f'"{found[1]}"')
    except ValueError:
        return lines[0]
    kind = re.match(r"[A-Z][A-Za-z ]{0,40} Error: ", lines[0])  # DuckDB's error class ("IO Error: ")
    return (kind[0] if kind else "") + inner


def damaged(path: str | Path, detail: str) -> PolicycheckError:
    """The one-line error for a damaged store file (``detail``: DuckDB's message, its error class dropped)."""
    detail = re.sub(r"^(?:IO |Invalid Input |Internal |Serialization )?Error: ", "", detail.strip())
    return PolicycheckError(None, f"store {path} is damaged: {detail}; restore it from a backup or delete it "
                                  "to rebuild")


def is_damage(exc: BaseException) -> bool:
    """Whether a DuckDB error says the store file's bytes are broken (not a mistake in a query)."""
    return isinstance(exc, duckdb.Error) and bool(_DAMAGE.search(str(exc)))


def open_error(path: Path, exc: duckdb.Error, mode: str) -> PolicycheckError:
    """Translate a DuckDB error raised while opening ``path`` into one line saying what to do."""
    message = error_line(exc)
    lock = _LOCK.search(str(exc))
    if lock:
        holder = f"{Path(lock['holder']).name} (PID {lock['pid']})"
        hint = ("close it, or wait for it to finish" if mode == WRITE else
                "it is writing; wait for it to finish (readers, and `duckdb -readonly`, can share the store)")
        return PolicycheckError(path, f"store is locked by another process, {holder}: {hint}")
    if "permission denied" in message.lower() or "read-only file system" in message.lower():
        return PolicycheckError(path, f"cannot open the store for writing ({message.split(': ', 1)[-1]}); "
                                      "read commands work on a read-only file")
    if is_damage(exc):
        return damaged(path, message)
    return PolicycheckError(path, f"cannot open DuckDB store: {message}")


def open_in_this_process(path: Path) -> bool:
    """Whether a connection of this process holds the store file ``path`` open for writing (DuckDB keeps one
    database instance per file and process, and its lock with it). Raises nothing: any other error of the probe
    (no file, a lock of another process) answers False."""
    try:
        probe = duckdb.connect(str(path), read_only=True)
    except duckdb.ConnectionException as exc:
        return bool(_SAME_PROCESS.search(str(exc)))
    except duckdb.Error:
        return False
    probe.close()
    return False


def _verify_file(path: Path) -> None:
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.ConnectionException as exc:
        if _SAME_PROCESS.search(str(exc)):
            return  # open read-write in this process already: verified when that connection was opened
        raise open_error(path, exc, WRITE) from exc
    except duckdb.Error as exc:
        raise open_error(path, exc, WRITE) from exc
    try:
        verify(con, path)
    finally:
        con.close()


def verify(con: duckdb.DuckDBPyConnection, path: str | Path) -> None:
    """Read every block of every table (DuckDB checks each block's checksum on read). Raises the
    :func:`damaged` error when one cannot be read. About 0.1 s for the 24 MB store of the main job."""
    tables = con.execute("select table_name from duckdb_tables() where database_name = current_database() "
                         "and not temporary").fetchall()
    for (table,) in tables:
        try:
            con.execute(f'select count(*), max(hash(columns(*))) from "{table}"').fetchall()
        except duckdb.Error as exc:
            raise damaged(path, error_line(exc)) from exc


def _check_version(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    current = schema_version(con)
    _refuse_foreign(con, path, current)
    if current > SCHEMA_VERSION:
        raise PolicycheckError(path, f"schema version {current} is newer than this policycheck "
                                     f"({SCHEMA_VERSION}); upgrade policycheck")
    if current < SCHEMA_VERSION:
        raise PolicycheckError(path, f"schema version {current} is older than this policycheck "
                                     f"({SCHEMA_VERSION}); a write command (e.g. `policycheck ontology`) "
                                     "migrates it")


def _derived_sql() -> tuple[str, str]:
    text = "\n".join(p.read_text(encoding="utf-8") for p in DERIVED_SQL)
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


_CREATE = re.compile(r"^((?:\s|--[^\n]*\n)*create\s+or\s+replace)\s+(?=view|macro)", re.IGNORECASE)


def _ensure_derived(con: duckdb.DuckDBPyConnection, temporary: bool) -> None:
    """Install the derived views/macros when the store's are not those of :data:`DERIVED_SQL`: in the
    store (write open, recorded in ``settings``) or as temporary objects of this connection (read open)."""
    text, digest = _derived_sql()
    rows = con.execute("select value from settings where key = ?", [DERIVED_KEY]).fetchall()
    if rows and rows[0][0] == digest:
        return
    if temporary:
        for statement in con.extract_statements(text):
            con.execute(_CREATE.sub(r"\1 temp ", statement.query, count=1))
        return
    install_derived(con)


def install_derived(con: duckdb.DuckDBPyConnection) -> None:
    """Create (or replace) the derived views and macros in the store and record their hash."""
    text, digest = _derived_sql()
    with transaction(con):
        con.execute(text)
        con.execute("insert or replace into settings(key, value) values (?, ?)", [DERIVED_KEY, digest])


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """Highest migration applied to the open store (0 for an empty file)."""
    exists = con.execute(
        "select count(*) from information_schema.tables where table_name = 'schema_migrations'"
    ).fetchall()[0][0]
    if not exists:
        return 0
    return con.execute("select coalesce(max(version), 0) from schema_migrations").fetchall()[0][0]


def _refuse_foreign(con: duckdb.DuckDBPyConnection, where: str | Path, current: int) -> None:
    """Raise :class:`PolicycheckError` when a file without a schema version (no migration recorded) holds
    tables other than ``schema_migrations``: a DuckDB database of another program, which a migration would fill
    with policycheck's tables (the first ones committed before one collides with a table of the same name) and a
    reader would call "older". An empty ``schema_migrations`` alone is policycheck's own file whose first
    migration failed (:func:`migrate` creates that table outside the migrations' transactions): migrated again."""
    if current:
        return
    tables = con.execute("select count(*) from duckdb_tables() where database_name = current_database() "
                         "and not temporary and table_name <> 'schema_migrations'").fetchall()[0][0]
    if tables:
        raise PolicycheckError(where, f"not a policycheck store: a DuckDB database of {tables:,} "
                                      f"table{'' if tables == 1 else 's'} without a policycheck schema version "
                                      "(another program's file?); left as it was; give --db the path of a "
                                      "policycheck store or of a new file")


def migrate(con: duckdb.DuckDBPyConnection, where: str | Path = "store") -> list[int]:
    """Apply every migration newer than the store's schema version; return the versions applied.

    Each migration runs in its own transaction: a failing one leaves the store at the previous version. Raises
    :class:`PolicycheckError` for a store of a newer schema and for a DuckDB file of another program (tables, no
    schema version), which is left untouched.
    """
    current = schema_version(con)
    _refuse_foreign(con, where, current)
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
            if migration.version in MIGRATION_STEPS:
                module, function = MIGRATION_STEPS[migration.version].split(":")
                getattr(importlib.import_module(module), function)(con)
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


# Arrow schemas of the store's tables, read from DuckDB's definitions once per connection (weakly keyed: a closed
# connection's entries go with it).
_SCHEMAS: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, dict[str, pa.Schema]] = weakref.WeakKeyDictionary()
Rows = pa.Table | Sequence[Mapping[str, Any]] | Mapping[str, Sequence[Any]]


def arrow_schema(con: duckdb.DuckDBPyConnection, table: str) -> pa.Schema:
    """The Arrow schema of ``table`` as the store declares it (DuckDB's own Arrow export of an empty
    ``select *``: ``integer`` -> int32, ``varchar`` -> string, ``varchar[]`` -> list<string>, ``timestamp`` ->
    timestamp[us] ...), so that rows built in Python take the table's types without restating them. Cached per
    connection and table. Raises ``duckdb.CatalogException`` for a table the store does not have."""
    tables = _SCHEMAS.setdefault(con, {})
    if table not in tables:
        tables[table] = con.sql(f'select * from "{table}" limit 0').to_arrow_table().schema
    return tables[table]


def arrow_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Rows) -> pa.Table:
    """``rows`` as an Arrow table in ``table``'s types (:func:`arrow_schema`). ``rows``: an Arrow table (as is),
    a list of ``{column: value}`` dicts (every column of the table; a missing key is NULL) or a
    ``{column: [values]}`` dict (those columns). Raises ``pyarrow.ArrowInvalid``/``ArrowTypeError`` for a value
    that does not fit its column's type, ``KeyError`` for a column the table lacks."""
    if isinstance(rows, pa.Table):
        return rows
    schema = arrow_schema(con, table)
    if isinstance(rows, Mapping):
        return pa.table(dict(rows), schema=pa.schema([schema.field(name) for name in rows]))
    return from_dicts(rows, schema)


def from_dicts(rows: Sequence[Mapping[str, Any]], schema: pa.Schema) -> pa.Table:
    """``{column: value}`` rows as an Arrow table of ``schema`` (a missing key is NULL), built column by column
    (a third faster than ``pa.Table.from_pylist`` on the flows of an ingest)."""
    return pa.table([pa.array([row.get(f.name) for row in rows], f.type) for f in schema], schema=schema)


def insert_arrow(con: duckdb.DuckDBPyConnection, table: str, rows: Rows) -> int:
    """Bulk-insert ``rows`` into ``table``, matching columns by name; returns the number of rows. The one write
    path of bulk loads: DuckDB reads the Arrow buffers directly.

    ``rows``: an Arrow table, or Python rows converted with the table's own types (:func:`arrow_rows`). Call it
    inside the load's transaction.
    """
    arrow = arrow_rows(con, table, rows)
    view = f"_arrow_{table}"
    with registered(con, view, arrow):
        con.execute(f'insert into "{table}" by name select * from "{view}"')
    return arrow.num_rows


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, view: str, arrow: pa.Table) -> Iterator[None]:
    """``arrow`` visible to the statements of the block as the view ``view``, unregistered after it. When the block
    fails (a Ctrl-C or SIGTERM that stopped its statement, a constraint), the error it raised is the one that
    propagates: DuckDB refuses the unregister in the aborted transaction ("Current transaction is aborted"), which
    would otherwise replace it with a traceback."""
    con.register(view, arrow)
    try:
        yield
    except BaseException:
        with suppress(duckdb.Error):  # the rollback that follows the original error clears the connection anyway
            con.unregister(view)
        raise
    con.unregister(view)
