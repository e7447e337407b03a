"""``policycheck sql`` (issue 14): without --write nothing but reads; files only under --allow-read; --write
never targets the store. Decided by DuckDB's parse of each statement (policycheck/sqlguard.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from policycheck import store
from policycheck.cli import app
from policycheck.errors import PolicycheckError


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "store" / "policycheck.duckdb"
    con = store.open_store(path, store.WRITE)
    con.execute("insert into documents values ('d-en', 'S', 'Privacy Policy', 'en', null, 'd', 's')")
    con.close()
    return path


def sql(db: Path, *args: str):
    return CliRunner().invoke(app, ["sql", "--db", str(db), "--format", "csv", *args])


def refused(result) -> str:
    assert isinstance(result.exception, PolicycheckError), result.output
    return str(result.exception)


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*")}


@pytest.mark.parametrize(("statement", "kind"), [
    ("COPY (select * from documents) TO '{out}/x.csv'", "COPY"),
    ("COPY documents TO '{db}'", "COPY"),
    ("EXPORT DATABASE '{out}/export'", "EXPORT"),
    ("ATTACH '{out}/other.duckdb' AS other", "ATTACH"),
    ("INSTALL httpfs", "LOAD"),
    ("LOAD httpfs", "LOAD"),
    ("SET threads = 1", "SET"),
    ("CREATE TABLE t AS SELECT 1", "CREATE"),
    ("INSERT INTO documents VALUES ('x-en', 'S', 'Privacy Policy', 'en', null, 'x', 's')", "INSERT"),
    ("DELETE FROM documents", "DELETE"),
    ("DROP TABLE documents", "DROP"),
    ("select 1; UPDATE documents SET url = 'u'", "UPDATE"),
    ("EXPLAIN ANALYZE COPY (select 1) TO '{out}/e.csv'", "COPY"),
    ("PRAGMA enable_profiling", None),
    ("IMPORT DATABASE '{out}'", None),
])
@pytest.mark.slow
def test_statements_that_write_are_refused_without_write(db, tmp_path, statement, kind):
    out = tmp_path / "out"
    out.mkdir()
    before = db.read_bytes()
    message = refused(sql(db, statement.format(out=out, db=db)))
    assert message.startswith("sql: statement ")
    if kind:
        assert f" is {kind}, which " in message
    assert files_under(out) == set() and db.read_bytes() == before
    assert sql(db, "select count(*) as n from documents").stdout.splitlines()[:2] == ["n", "1"]


@pytest.mark.slow
def test_reading_statements_run(db):
    for statement in ("select * from documents", "with a as (select 1 as x) select * from a", "describe documents",
                      "show tables", "summarize documents", "explain select 1", "pragma table_info('documents')",
                      "call pragma_version()", "from documents", "select count(*) from gaps"):
        result = sql(db, statement)
        assert result.exit_code == 0, (statement, result.output)


@pytest.mark.slow
def test_files_are_read_only_under_allow_read(db, tmp_path):
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    (allowed / "a.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    secret = tmp_path / "secret.csv"
    secret.write_text("s\n42\n", encoding="utf-8")
    ok = sql(db, "--allow-read", str(allowed), f"select * from read_csv('{allowed}/a.csv')")
    assert ok.exit_code == 0 and ok.stdout.splitlines()[:2] == ["a,b", "1,2"]
    for statement in (f"select * from read_csv('{secret}')", f"select * from '{secret}'",
                      f"select * from glob('{tmp_path}/*')", f"select * from read_text('{allowed}/../secret.csv')",
                      f"select * from read_csv(['{allowed}/a.csv', '{secret}'])"):
        message = refused(sql(db, "--allow-read", str(allowed), statement))
        assert "outside the folders allowed with --allow-read" in message, statement
    # a path built at run time cannot be checked before; DuckDB's own guard refuses it
    message = refused(sql(db, "--allow-read", str(allowed), f"select * from read_csv('{tmp_path}' || '/secret.csv')"))
    assert "string literal" in message
    message = refused(sql(db, "--allow-read", str(allowed),
                          f"select * from query_table('{tmp_path}/secret.csv')"))
    assert "name the folder with --allow-read" in message or "does not exist" in message


@pytest.mark.slow
def test_write_never_copies_onto_the_store(db, tmp_path):
    link = tmp_path / "link.duckdb"
    link.symlink_to(db)
    before = db.read_bytes()
    for target in (db, link, Path(f"{db}.wal"), db.parent / ".." / "store" / db.name):
        message = refused(sql(db, "--write", f"COPY (select 1) TO '{target}' (FORMAT csv)"))
        assert "targets the open store" in message
    assert db.read_bytes() == before
    copied = tmp_path / "docs.csv"
    assert sql(db, "--write", f"COPY documents TO '{copied}' (HEADER)").exit_code == 0
    assert copied.read_text(encoding="utf-8").startswith("document_id")
