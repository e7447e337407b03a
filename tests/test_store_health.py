"""Store health (issue 14): read-only opens, schema checks, damaged files, locks, the duckdb CLI alongside.

Every case runs the real console script on copies of a store holding real 2023 captures, and asserts the
exit status, the one line on stderr, and that nothing stored was lost.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from policycheck import config, ontology, store
from policycheck.flows.ingest import ingest
from tests.conftest import require_shared, workspace

POLICYCHECK = str(Path(sys.executable).parent / "policycheck")
DUCKDB_CLI = shutil.which("duckdb", path=str(Path(sys.executable).parent)) or shutil.which("duckdb")
READ_COMMANDS = (["versions"], ["flows"], ["gaps"], ["sql", "select count(*) from flows"])


@pytest.fixture(scope="module")
def real_store(tmp_path_factory) -> Path:
    """A store with the ontology and two real 2023 capture files."""
    logs = require_shared("datasets", "citizenlab-wechat-2023", "network_logs")
    db = tmp_path_factory.mktemp("health") / "policycheck.duckdb"
    con = store.open_store(db, store.WRITE)
    onto = ontology.load(config.mappings_dir())
    ingest(workspace(con, onto), [logs / "start_miniapp_example_data_1.log.jsonl",
                                  logs / "intercept_hybrid_ecdh_java.log.jsonl"])
    con.close()
    return db


def run(*args: str, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run([POLICYCHECK, *args, "--db", str(db)], capture_output=True, text=True, timeout=300,
                          cwd=db.parent)


def one_line(result: subprocess.CompletedProcess) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def copy(src: Path, tmp_path: Path, name: str = "policycheck.duckdb") -> Path:
    dst = tmp_path / name
    shutil.copy(src, dst)
    return dst


def count_flows(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select count(*) from flows").fetchall()[0][0]
    finally:
        con.close()


def _data_block_offset(db: Path) -> int:
    """File offset of the block holding the first segment of table ``flows`` (3 header blocks of 4 KiB, then
    blocks of the database's block size: DuckDB docs, "Storage")."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        block = con.execute("select min(block_id) from pragma_storage_info('flows') where block_id >= 0").fetchall()
        size = con.execute("pragma database_size").fetchall()[0][2]
    finally:
        con.close()
    return 3 * 4096 + block[0][0] * size


@pytest.mark.parametrize("damage", ["truncated", "header", "data"])
def test_damaged_store_is_one_line_exit_2_and_writers_refuse(real_store, tmp_path, damage):
    db = copy(real_store, tmp_path)
    size = db.stat().st_size
    with db.open("r+b") as handle:
        if damage == "truncated":
            handle.truncate(size // 2)
        elif damage == "header":
            handle.seek(100)
            handle.write(os.urandom(4000))
        else:  # random bytes inside a block of table data (its checksum no longer matches)
            handle.seek(_data_block_offset(real_store) + 1000)
            handle.write(os.urandom(5000))
    before = db.read_bytes()
    ingest_cmd = ["ingest", str(require_shared("datasets", "citizenlab-wechat-security-2024",
                                               "autoauth-request-packet-plaintext.hex"))]
    for args in (ingest_cmd, ["ontology"], ["versions"], ["gaps"]):
        result = run(*args, db=db)
        if damage == "data" and args == ["versions"] and result.returncode == 0:
            continue  # a read that never touches the damaged block answers correctly
        assert result.returncode == 2, (args, result.stderr)
        line = one_line(result)
        assert line.startswith(f"error: store {db} is damaged: ") and line.endswith(
            "; restore it from a backup or delete it to rebuild"), line
    assert db.read_bytes() == before  # no writer touched the damaged file


def test_read_commands_open_read_only_beside_the_duckdb_cli(real_store, tmp_path):
    db = copy(real_store, tmp_path)
    os.chmod(db, 0o444)  # read commands never need write access (as root this cannot be enforced)
    if DUCKDB_CLI is None:
        pytest.fail("duckdb CLI (PyPI duckdb-cli, a dev dependency) not installed")
    cli = subprocess.Popen([DUCKDB_CLI, "-readonly", str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    try:
        cli.stdin.write("select count(*) from flows;\n")
        cli.stdin.flush()
        time.sleep(0.5)
        assert cli.poll() is None, "the duckdb CLI holds the store open"
        for args in (*READ_COMMANDS, ["report", "--out", str(tmp_path / "r")]):
            result = run(*args, db=db)
            assert result.returncode == 0, (args, result.stderr)
        writer = run("ontology", db=db)
        assert writer.returncode == 2
        line = one_line(writer)
        assert "store is locked by another process, duckdb (PID" in line, line
    finally:
        cli.stdin.close()
        cli.wait(timeout=30)
    assert count_flows(db) == count_flows(real_store)


def test_lock_held_by_a_writer_is_named(real_store, tmp_path):
    db = copy(real_store, tmp_path)
    code = "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); time.sleep(60)"
    holder = subprocess.Popen([sys.executable, "-c", code, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        for args in (["versions"], ["ingest", str(tmp_path)]):
            result = run(*args, db=db)
            assert result.returncode == 2
            line = one_line(result)
            assert f"{db}: store is locked by another process, python" in line and f"(PID {holder.pid})" in line, line
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.slow
def test_older_schema_is_named_by_readers_and_migrated_by_writers(tmp_path):
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db), config={"storage_compatibility_version": store.STORAGE_COMPATIBILITY})
    con.execute("create table schema_migrations (version integer primary key, name varchar not null, "
                "applied_at timestamp not null default current_timestamp)")
    older = store.migrations()[:-1]
    for migration in older:
        con.execute(migration.path.read_text(encoding="utf-8"))
        con.execute("insert into schema_migrations(version, name) values (?, ?)", [migration.version, migration.name])
    con.close()
    for args in READ_COMMANDS:
        result = run(*args, db=db)
        assert result.returncode == 2, (args, result.stderr)
        assert one_line(result) == (f"error: {db}: schema version {older[-1].version} is older than this policycheck "
                                    f"({store.SCHEMA_VERSION}); a write command (e.g. `policycheck ontology`) "
                                    "migrates it")
    assert run("ontology", db=db).returncode == 0
    assert run("flows", db=db).returncode == 0


def test_gap_views_installed_by_writers_and_temporary_for_stale_readers(real_store, tmp_path):
    db = copy(real_store, tmp_path)
    con = duckdb.connect(str(db))
    con.execute("create or replace view gaps as select 'stale' as disclosure")  # an older gaps.sql
    con.execute("update settings set value = 'old' where key = ?", [store.DERIVED_KEY])
    con.close()
    reader = store.open_store(db, store.READ)
    assert "stale" not in {r[0] for r in reader.execute("select disclosure from gaps").fetchall()}
    reader.close()
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select disclosure from gaps").fetchall() == [("stale",)]  # the file was not written
    con.close()
    store.open_store(db, store.WRITE).close()
    con = duckdb.connect(str(db), read_only=True)
    assert ("stale",) not in con.execute("select disclosure from gaps").fetchall()
    con.close()
