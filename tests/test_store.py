"""The store: migrations, transactions, and compatibility with the duckdb CLI."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from policycheck import store
from policycheck.errors import PolicycheckError


def test_migrations_applied_once_and_versioned(db_path):
    con = store.connect(db_path)
    assert store.schema_version(con) == store.SCHEMA_VERSION >= 4
    con.close()
    con = store.connect(db_path)  # reopening applies nothing new
    rows = con.execute("select version from schema_migrations order by version").fetchall()
    assert [r[0] for r in rows] == [m.version for m in store.migrations()]


def test_transaction_rolls_back_on_error(db_path):
    con = store.connect(db_path)
    con.execute("insert into documents values ('d-en', 'S', 'Privacy Policy', 'en', null, 'd', 's')")
    with pytest.raises(RuntimeError), store.transaction(con):
        con.execute("insert into documents values ('d2-en', 'S', 'Privacy Policy', 'en', null, 'd2', 's')")
        raise RuntimeError("boom")
    assert con.execute("select document_id from documents").fetchall() == [("d-en",)]


def test_newer_schema_is_refused(db_path):
    con = store.connect(db_path)
    con.execute("insert into schema_migrations(version, name) values (999, 'future')")
    con.close()
    with pytest.raises(PolicycheckError, match="newer than this policycheck"):
        store.connect(db_path)


def test_not_a_database_is_a_clear_error(tmp_path):
    bogus = tmp_path / "bogus.duckdb"
    bogus.write_text("this is not a database")
    with pytest.raises(PolicycheckError, match=r"bogus.duckdb: not a DuckDB store \(its first bytes are not DuckDB's"):
        store.connect(bogus)


def test_read_only_refuses_writes(db_path):
    store.connect(db_path).close()
    con = store.connect(db_path, read_only=True)
    with pytest.raises(duckdb.Error):
        con.execute("create table x(a int)")


DUCKDB_CLI = shutil.which("duckdb", path=str(Path(sys.executable).parent)) or shutil.which("duckdb")


@pytest.mark.skipif(DUCKDB_CLI is None, reason="duckdb CLI (PyPI duckdb-cli 1.5.x) not installed")
def test_file_opens_in_duckdb_cli(db_path):
    store.connect(db_path).close()
    out = subprocess.run([DUCKDB_CLI, "-readonly", str(db_path), "-csv", "-c",
                          "select max(version) from schema_migrations"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == str(store.SCHEMA_VERSION)
