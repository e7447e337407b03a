"""The capture manifest (captures.yaml): per-file settings, precedence, and one-line errors for malformed ones."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROFILES, ingest_into
from typer.testing import CliRunner

from policycheck import store
from policycheck.cli import app
from policycheck.errors import PolicycheckError
from policycheck.flows.ingest import IngestOptions, ingest
from tests.conftest import require_shared, workspace

FOLDER = ("datasets", "citizenlab-wechat-security-2024")


def session_folder(tmp_path: Path) -> Path:
    """A researcher's folder: the 2024 pcap, its key log under another name in a sub-folder, the published
    plaintext of one request, a device profile."""
    source = require_shared(*FOLDER)
    folder = tmp_path / "session"
    (folder / "keys").mkdir(parents=True)
    shutil.copy(source / "capture-logged-in-all-keys.pcapng", folder / "startup.pcapng")
    shutil.copy(source / "frida-logged-in-all-keys.log", folder / "keys" / "hooks.jsonl")
    shutil.copy(source / "autoauth-request-packet-plaintext.hex", folder / "autoauth.hex")
    shutil.copy(PROFILES / "citizenlab-2024.yaml", folder / "emulator.yaml")
    return folder


MANIFEST = """\
defaults:
  account_platform: weixin
  device_profile: emulator.yaml
  timezone: Asia/Shanghai
captures:
  startup.pcapng:
    scenario: logged_in_startup
    app_version: 8.0.44
    key_log: keys/hooks.jsonl
  autoauth.hex:
    scenario: autoauth_published
    captured_at: 2023-12-05 09:30
    request_type: 763
"""


@pytest.mark.slow
def test_manifest_settings_per_file(tmp_path, onto):
    folder = session_folder(tmp_path)
    (folder / "captures.yaml").write_text(MANIFEST, encoding="utf-8")
    con, results = ingest_into(tmp_path / "m.duckdb", onto, [folder])
    by_name = {r.path.name: r for r in results}
    assert by_name["startup.pcapng"].status == by_name["autoauth.hex"].status == "ingested"
    assert {by_name[n].status for n in ("captures.yaml", "hooks.jsonl", "emulator.yaml")} == {"skipped"}
    rows = con.execute("select scenario, format, account_region, app_version, key_log is not null, manifest, "
                       "profile, timezone, captured_at, captured_at_source from captures order by scenario").fetchall()
    assert [r[:5] for r in rows] == [("autoauth_published", "hexdump", "weixin", None, False),
                                     ("logged_in_startup", "pcap", "weixin", "8.0.44", True)]
    assert all(Path(r[5]).name == "captures.yaml" and Path(r[6]).name == "emulator.yaml" for r in rows)
    # 09:30 in Shanghai is 01:30 UTC; the hex dump's request gets that time, the pcap's have their own
    assert str(rows[0][8]) == "2023-12-05 01:30:00" and rows[0][9] == "manifest"
    assert rows[1][9] == "record times"
    flows = con.execute("select c.scenario, f.path, f.recipient, f.time_source from flows f join captures c "
                        "using (capture_id) where c.format = 'hexdump'").fetchall()
    assert flows == [("autoauth_published", "/cgi-bin/micromsg-bin/secautoauth", "weixin", "capture")]
    decrypted = con.execute("select count(*) from flows f join captures c using (capture_id) where c.format = "
                            "'pcap' and f.decode_status <> 'encrypted' and f.protocol = 'mmtls'").fetchall()
    assert decrypted == [(22,)]  # the key log named by the manifest, though it is not beside the pcap
    by_profile = con.execute("select count(*) from observations where detector like 'profile%'").fetchall()[0][0]
    assert by_profile > 0


@pytest.mark.slow
def test_command_line_wins_over_the_manifest(tmp_path, onto):
    folder = session_folder(tmp_path)
    (folder / "captures.yaml").write_text(MANIFEST, encoding="utf-8")
    con, _ = ingest_into(tmp_path / "c.duckdb", onto, [folder / "startup.pcapng"], account_region="wechat",
                         scenario="mine")
    assert con.execute("select scenario, account_region, app_version from captures").fetchall() == [
        ("mine", "wechat", "8.0.44")]


@pytest.mark.slow
def test_folder_conventions_without_a_manifest(tmp_path, onto):
    folder = session_folder(tmp_path)
    shutil.move(folder / "keys" / "hooks.jsonl", folder / "hooks.jsonl")  # the only key log beside the pcap
    con, results = ingest_into(tmp_path / "n.duckdb", onto, [folder])
    rows = dict(con.execute("select format, captured_at_source from captures").fetchall())
    assert rows == {"pcap": "record times", "hexdump": "folder"}  # the hex dump dated by the pcap beside it
    assert con.execute("select count(*) from flows where protocol = 'mmtls' and decode_status <> 'encrypted'"
                       ).fetchall() == [(22,)]
    assert con.execute("select distinct account_region from captures").fetchall() == [("wechat",)]
    assert next(r for r in results if r.path.name == "hooks.jsonl").message == "MMTLS key log"


@pytest.mark.parametrize(("text", "expected"), [
    ("captures:\n  startup.pcapng:\n    acount_platform: weixin\n",
     'captures.yaml:3: captures["startup.pcapng"].acount_platform: unknown field'),
    ("captures:\n  startup.pcapng:\n    account_platform: wx\n",
     "captures.yaml:3: captures[\"startup.pcapng\"].account_platform: Input should be 'wechat' or 'weixin'"),
    ("defaults:\n  timezone: Mars/Olympus\n", "captures.yaml:2: defaults.timezone: unknown time zone"),
    ("captures:\n  startup.pcapng:\n    captured_at: yesterday\n",
     'captures.yaml:3: captures["startup.pcapng"].captured_at: Input should be a valid'),
    ("captures:\n  startup.pcapng:\n    key_log: nowhere.log\n",
     'captures.yaml:3: captures["startup.pcapng"].key_log: no such file: nowhere.log'),
    ("captures:\n  missing.har: {scenario: x}\n", 'captures.yaml:2: captures["missing.har"]: no such capture file'),
    ("captures: [a, b]\n", "captures.yaml:1: captures: Input should be a valid dictionary"),
    ("captures:\n  x: [\n", "captures.yaml:3: invalid YAML"),
])
@pytest.mark.slow
def test_malformed_manifest_is_one_line_naming_file_and_key(tmp_path, onto, text, expected):
    folder = session_folder(tmp_path)
    (folder / "captures.yaml").write_text(text, encoding="utf-8")
    con = store.connect(tmp_path / "e.duckdb")
    try:
        ingest(workspace(con, onto), [folder], IngestOptions())
    except PolicycheckError as exc:  # not pytest.raises: its traceback would keep the store's objects alive
        message = str(exc)
    else:
        pytest.fail("a malformed manifest was accepted")
    finally:
        con.close()
    assert not duckdb_rows(tmp_path / "e.duckdb", "select * from captures")
    assert "\n" not in message and message.startswith(str(folder / "captures.yaml").rsplit("/", 1)[0])
    assert expected in message, message


@pytest.mark.slow
def test_cli_prints_the_line_and_exits_2(tmp_path):
    folder = session_folder(tmp_path)
    (folder / "captures.yaml").write_text("captures:\n  startup.pcapng:\n    account_platform: wx\n", encoding="utf-8")
    cli = subprocess.run([sys.executable, "-m", "policycheck", "ingest", "--db", str(tmp_path / "cli.duckdb"),
                          str(folder)], capture_output=True, text=True, env={**os.environ, "COLUMNS": "400"})
    assert cli.returncode == 2, cli.stderr
    lines = cli.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {folder / 'captures.yaml'}:3: ")
    # nothing half done: the store the failed command created is removed (policycheck.store.remove_created)
    assert not (tmp_path / "cli.duckdb").exists() and not (tmp_path / "cli.duckdb.wal").exists()


@pytest.mark.slow
def test_named_formats_and_key_log_on_the_command_line(tmp_path):
    folder = session_folder(tmp_path)
    runner = CliRunner()
    db = str(tmp_path / "f.duckdb")
    result = runner.invoke(app, ["ingest", "--db", db, "--format", "pcap", "--key-log",
                                 str(folder / "keys" / "hooks.jsonl"), str(folder / "startup.pcapng")])
    # ingested, and exit 2 because two records of the phone were skipped (no key), each named with its frame
    assert result.exit_code == 2, result.output
    output = result.output.replace("\n", " ")
    assert "client data decrypted 22" in output and "25 requests" in output
    assert output.count("not decrypted: no key-log entry") == 2
    result = runner.invoke(app, ["ingest", "--db", db, str(folder / "keys" / "hooks.jsonl")])
    assert result.exit_code == 2 and "MMTLS key log, not a capture" in result.output


def duckdb_rows(db: Path, sql: str) -> list[tuple]:
    con = store.connect(db, read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()
