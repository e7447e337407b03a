"""What ``policycheck sql`` may run: statements that read, unless ``--write``; files only where the user says.

Every statement is classified by DuckDB's own parser (``DuckDBPyConnection.extract_statements`` gives its
``StatementType``), never by looking for keywords:

- without ``--write`` only statements that read run: ``SELECT`` (with ``WITH``, ``VALUES``, ``FROM``-first,
  ``DESCRIBE``, ``SHOW``, ``SUMMARIZE``, ``PIVOT`` of a query), ``EXPLAIN`` of such a statement, ``CALL`` of a
  table function a ``SELECT`` may use, and ``PRAGMA``\\ s that DuckDB implements as a table function
  (``pragma_table_info``, ``pragma_version`` ...: they return rows and change nothing). Everything else
  (``COPY``, ``EXPORT``, ``IMPORT``, ``ATTACH``, ``DETACH``, ``INSTALL``/``LOAD``, ``SET``/``RESET``,
  ``CREATE``, ``INSERT``, ``UPDATE``, ``DELETE``, ``DROP``, ``ALTER``, ``CHECKPOINT``, ``VACUUM``,
  transactions, ``PREPARE``/``EXECUTE`` ...) is refused with one line;
- inside a query (DuckDB's ``json_serialize_sql`` syntax tree), a table function that reads files (its first
  parameter, in DuckDB's catalog, is a ``path``, ``paths`` or glob ``pattern``: ``read_csv``,
  ``read_parquet``, ``read_json``, ``read_text``, ``glob`` ...) and a file named in ``FROM 'file.csv'`` must
  lie under a folder given with ``--allow-read``; a table function that writes files (it takes a
  ``save_location`` or ``storage_path``) or is not built in (it would load an extension) is refused;
- defence in depth: the read connection is read-only, with ``enable_external_access = false``,
  ``allowed_directories`` = the ``--allow-read`` folders, extension auto-install/auto-load off and
  ``lock_configuration = true`` (DuckDB docs, "Securing DuckDB"), so DuckDB itself refuses what a check
  here might miss;
- with ``--write`` every statement runs, but a ``COPY ... TO`` (parsed with sqlglot's DuckDB dialect)
  whose target resolves to the store file, its write-ahead log or its temporary folder is refused;
- a statement that runs longer than ``--timeout`` seconds is stopped by :func:`time_limit`, with DuckDB's own
  ``DuckDBPyConnection.interrupt()`` (DuckDB Python API: "Interrupt pending operations") called from a timer
  thread: the statement fails with ``duckdb.InterruptException`` and its transaction is rolled back.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import sqlglot
from sqlglot import exp

from policycheck.errors import PolicycheckError

READ_TYPES = {"SELECT", "EXPLAIN", "PRAGMA", "CALL"}
_PATH_PARAMETERS = {"path", "paths", "pattern"}
_WRITING_PARAMETERS = {"save_location", "storage_path"}
_EXPLAIN = re.compile(r"^\s*explain\s+(?:analy[sz]e\s+)?", re.IGNORECASE)
_PRAGMA = re.compile(r"^\s*pragma\s+([A-Za-z_][A-Za-z0-9_]*)\s*(\(|$|;)", re.IGNORECASE)
_CALL = re.compile(r"^\s*call\s+", re.IGNORECASE)
_WHAT = {"COPY": "copies to or from files", "EXPORT": "writes files", "ATTACH": "opens another database",
         "DETACH": "changes the attached databases", "LOAD": "installs or loads an extension",
         "SET": "changes settings", "CREATE": "creates objects", "INSERT": "changes tables",
         "UPDATE": "changes tables", "DELETE": "changes tables", "DROP": "drops objects", "ALTER": "changes objects",
         "VACUUM": "rewrites the store", "TRANSACTION": "controls transactions", "MULTI": "changes tables",
         "MERGE_INTO": "changes tables", "PREPARE": "prepares statements", "EXECUTE": "runs a prepared statement"}


def refuse(what: str) -> PolicycheckError:
    return PolicycheckError("sql", what)


MAX_READ_STATEMENTS = 1_000  # a file of a million `select 1;` took 10 minutes to check, before --timeout began


def statements(con: duckdb.DuckDBPyConnection, sql: str) -> list[Any]:
    """DuckDB's parse of ``sql``: one statement object per statement. Raises :class:`PolicycheckError` for
    a syntax error."""
    try:
        return list(con.extract_statements(sql))
    except (duckdb.Error, ValueError) as exc:
        raise refuse(str(exc).splitlines()[0]) from exc


def check_read(con: duckdb.DuckDBPyConnection, sql: str, allowed: list[Path]) -> None:
    """Raise :class:`PolicycheckError` unless every statement of ``sql`` only reads the store (and files
    under ``allowed``) — see the module docstring."""
    # counted before DuckDB parses them (its parse of a million statements took 45 s and 1.2 GB): every
    # statement but the last ends in ';' (a ';' in a string literal counts too, hence the margin)
    separators = sql.count(";")
    parsed = statements(con, sql) if separators <= 10 * MAX_READ_STATEMENTS else None
    if parsed is None or len(parsed) > MAX_READ_STATEMENTS:
        found = f"{len(parsed):,} statements" if parsed is not None else f"{separators:,} ';'"
        raise refuse(f"{found}; without --write at most {MAX_READ_STATEMENTS:,} statements run (only the last "
                     "one's rows are printed; checking each takes DuckDB's planner about 0.5 ms)")
    if not parsed:
        raise refuse("no SQL statement given")
    for number, statement in enumerate(parsed, start=1):
        _check_statement(con, statement, allowed, number)


def _kind(statement: Any) -> str:
    return str(statement.type).rsplit(".", 1)[-1]


def _check_statement(con: duckdb.DuckDBPyConnection, statement: Any, allowed: list[Path], number: int) -> None:
    kind = _kind(statement)
    text = statement.query
    where = f"statement {number} ({_short(text)})"
    if kind not in READ_TYPES:
        raise refuse(f"{where} is {kind}, which {_WHAT.get(kind, 'does not only read')}; "
                     "without --write only statements that read run (SELECT, WITH, DESCRIBE, SHOW, SUMMARIZE, "
                     "EXPLAIN, reading PRAGMAs)")
    if kind == "EXPLAIN":
        inner = _EXPLAIN.sub("", text, count=1)
        for sub in statements(con, inner):
            _check_statement(con, sub, allowed, number)
        return
    if kind == "PRAGMA":
        match = _PRAGMA.match(text)
        if not match or not _table_function(con, f"pragma_{match.group(1).lower()}"):
            raise refuse(f"{where} is a PRAGMA that changes settings or files; without --write only PRAGMAs "
                         "that return rows run (table_info, show, database_size, version ...)")
        return
    if kind == "CALL":
        text = "select * from " + _CALL.sub("", text, count=1)
    _check_query(con, text, allowed, where)


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 60 else flat[:57] + "..."


def _check_query(con: duckdb.DuckDBPyConnection, text: str, allowed: list[Path], where: str) -> None:
    try:
        tree = json.loads(con.execute("select json_serialize_sql(?)", [text]).fetchall()[0][0])
    except RecursionError:  # DuckDB parses deeper than Python's JSON reader can follow: not checkable, not run
        raise refuse(f"{where}: nested too deeply to check; write it with fewer levels of subqueries") from None
    if tree.get("error"):
        return  # statements DuckDB does not serialize (SHOW, DESCRIBE ...): the locked connection decides
    for node in _nodes(tree):
        if node.get("type") == "TABLE_FUNCTION" and isinstance(node.get("function"), dict):
            _check_table_function(con, node["function"], allowed, where)
        elif node.get("type") == "BASE_TABLE" and not node.get("schema_name") and _looks_like_file(
                node.get("table_name", "")) and not _relation_exists(con, node["table_name"]):
            _check_path(node["table_name"], allowed, where, "FROM")


def _nodes(tree: Any) -> Iterator[dict[str, Any]]:
    """Every dict in a JSON syntax tree (explicit stack; the tree's depth is DuckDB's parser's)."""
    stack = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _table_function(con: duckdb.DuckDBPyConnection, name: str) -> list[tuple[list[str]]]:
    return con.execute("select parameters from duckdb_functions() where function_type = 'table' and "
                       "function_name = ?", [name]).fetchall()


def _relation_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(con.execute("select 1 from duckdb_tables() where table_name = ? union all "
                            "select 1 from duckdb_views() where view_name = ?", [name, name]).fetchall())


def _looks_like_file(name: str) -> bool:
    return "/" in name or "." in name or "\\" in name or "*" in name


def _check_table_function(con: duckdb.DuckDBPyConnection, function: dict[str, Any], allowed: list[Path],
                          where: str) -> None:
    name = str(function.get("function_name", "")).lower()
    signatures = _table_function(con, name)
    if not signatures:
        if con.execute("select 1 from duckdb_functions() where function_name = ? and function_type = 'table_macro'",
                       [name]).fetchall():
            return
        raise refuse(f"{where}: {name}() is not a built-in table function (it would load an extension, which "
                     "`policycheck sql` does not do)")
    parameters = {p.lower() for (params,) in signatures for p in params}
    if parameters & _WRITING_PARAMETERS:
        raise refuse(f"{where}: {name}() writes files; `policycheck sql` does not run it")
    if not any(params and params[0].lower() in _PATH_PARAMETERS for (params,) in signatures):
        return
    arguments = function.get("arguments") or []
    first = arguments[0].get("expression") if arguments and isinstance(arguments[0], dict) else None
    paths = _literal_strings(first)
    if not paths:
        raise refuse(f"{where}: {name}() reads files; give its path as a string literal (or a list of them) "
                     "so that it can be checked against --allow-read")
    for path in paths:
        _check_path(path, allowed, where, f"{name}()")


def _literal_strings(expression: Any) -> list[str]:
    """The string constants of a constant or a list of constants in the syntax tree, else []."""
    if not isinstance(expression, dict):
        return []
    if expression.get("class") == "CONSTANT":
        literal = expression.get("literal") or {}
        return [literal["text"]] if literal.get("kind") == "STRING" else []
    if expression.get("class") == "FUNCTION" and expression.get("function_name") == "list_value":
        values = [_literal_strings(argument.get("expression")) for argument in expression.get("arguments", [])
                  if isinstance(argument, dict)]
        return [v for found in values for v in found] if all(values) else []
    return []


def _check_path(path: str, allowed: list[Path], where: str, reader: str) -> None:
    if "://" in path:
        raise refuse(f"{where}: {reader} reads {path!r}, not a local file; `policycheck sql` reads local files "
                     "only, under --allow-read folders")
    resolved = Path(path).expanduser().resolve()
    if not any(resolved == folder or folder in resolved.parents for folder in allowed):
        named = ", ".join(str(f) for f in allowed) or "none named"
        raise refuse(f"{where}: {reader} reads {path!r}, outside the folders allowed with --allow-read "
                     f"({named})")


def lock_down(con: duckdb.DuckDBPyConnection, allowed: list[Path]) -> None:
    """DuckDB's own guard on a read connection of ``sql``: no file access outside ``allowed``, no extension
    loading, and no setting that can be changed afterwards (DuckDB docs, "Securing DuckDB")."""
    con.execute("set autoinstall_known_extensions = false")
    con.execute("set autoload_known_extensions = false")
    con.execute("set allowed_directories = ?", [[f"{folder}/" for folder in allowed]])
    con.execute("set enable_external_access = false")
    con.execute("set lock_configuration = true")


def check_write(con: duckdb.DuckDBPyConnection, sql: str, store_path: Path) -> None:
    """With ``--write``: raise :class:`PolicycheckError` for a ``COPY ... TO`` or ``ATTACH`` that targets
    the open store (its file, write-ahead log or temporary folder, symlinks resolved), or whose target
    cannot be read from the statement."""
    store = store_path.resolve()
    protected = {store, Path(f"{store}.wal"), Path(f"{store}.tmp")}
    for number, statement in enumerate(statements(con, sql), start=1):
        kind = _kind(statement)
        if kind not in ("COPY", "ATTACH"):
            continue
        where = f"statement {number} ({_short(statement.query)})"
        try:
            tree = sqlglot.parse_one(statement.query, read="duckdb")
        except sqlglot.errors.SqlglotError as exc:
            raise refuse(f"{where}: cannot tell which file it writes ({str(exc).splitlines()[0]})") from exc
        if isinstance(tree, exp.Copy):
            if tree.args.get("kind"):  # COPY table FROM file: reads a file into the store
                continue
            targets = tree.args.get("files") or []
        elif isinstance(tree, exp.Attach):
            target = tree.this.this if isinstance(tree.this, exp.Alias) else tree.this
            targets = [target]
        else:
            raise refuse(f"{where}: cannot tell which file it writes")
        for target in targets:
            if not (isinstance(target, exp.Literal) and target.is_string):
                raise refuse(f"{where}: give the target file as a string literal")
            resolved = Path(target.this).expanduser().resolve()
            if resolved in protected or Path(f"{store}.tmp") in resolved.parents:
                raise refuse(f"{where} targets the open store {store_path}; that would destroy it")


class TimedOut(Exception):
    """A statement of ``policycheck sql`` stopped by :func:`time_limit` after ``seconds``."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"query stopped after {seconds:g} s (--timeout)")


@contextmanager
def time_limit(con: duckdb.DuckDBPyConnection, seconds: float) -> Iterator[None]:
    """Run the block with ``con.interrupt()`` called after ``seconds`` (0: no limit). Raises :class:`TimedOut`
    when the timer stopped the running statement (DuckDB raised ``duckdb.InterruptException``; DuckDB rolls its
    transaction back); an interrupt of another cause (Ctrl-C) propagates unchanged. The timer thread is a daemon,
    cancelled and joined when the block ends, so it never outlives the command (a timer thread still alive at
    interpreter exit, holding the connection, made the process abort with SIGABRT after a failed statement).
    ``seconds`` at or beyond ``threading.TIMEOUT_MAX`` (``inf``) is no limit: a timer cannot wait so long."""
    if seconds <= 0 or not seconds < threading.TIMEOUT_MAX:  # beyond ~292 years (inf, 1e300): no limit either
        yield
        return
    fired = threading.Event()

    def stop() -> None:
        fired.set()
        con.interrupt()

    timer = threading.Timer(seconds, stop)
    timer.daemon = True
    timer.start()
    try:
        yield
    except duckdb.InterruptException as exc:
        if fired.is_set():
            raise TimedOut(seconds) from exc
        raise
    finally:
        timer.cancel()
        timer.join()
