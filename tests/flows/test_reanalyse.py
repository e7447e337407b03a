"""Captures analysed again when the analysis changed (issue 9, "verdicts a researcher can defend").

A capture records the stamp of the analysis that computed its rows (:mod:`policycheck.flows.stamp`). When the
analysis changes (a detector fixed, a mappings file edited, an upgrade) and the file is still at its recorded path,
unchanged, ``ingest`` replaces its rows with those of the current analysis: the same rows a fresh ingest of the
same files gives, same capture ids and aliases, and flow ids kept when the requests are on the same lines. A
capture whose file is gone keeps its rows and is named by ``flows``, ``gaps`` and ``report``; a failed analysis
keeps the earlier rows. Real captures of ../shared (skipped with a message when absent) and a hand-built HAR.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import LOGS_2023, PROFILES
from typer.testing import CliRunner

from policycheck import config, store
from policycheck.cli import app
from policycheck.flows import ingest as ingest_mod
from policycheck.flows import redact
from policycheck.flows.detectors import Detectors, patterns
from policycheck.flows.ingest import IngestOptions, ingest
from policycheck.flows.stamp import analysis_stamp, stale_captures
from policycheck.workspace import Paths, Workspace
from tests.conftest import require_shared, workspace
from tests.test_bad_input import cli

# cumulative login logs (one covers the other), and the People Nearby run byte-identical to a hook test (an alias)
FILES_2023 = ("login_1.log.jsonl", "login_3.log.jsonl", "intercept_hybrid_ecdh_java.log.jsonl",
              "load_people_nearby_location_permissions_on_1.log.jsonl")
SESSION_2024 = ("datasets", "citizenlab-wechat-security-2024")
# everything ingest writes per capture, without ids and times (flows and observations named by file and line)
ROWS = {
    "captures": "select path, format, scenario, account_region, profile, sha256, captured_at, requests, problems, "
                "run, captured_at_source, app_version, key_log, timezone, manifest, request_type, analysis_stamp "
                "from captures",
    "flows": "select c.path, f.* exclude (flow_id, capture_id) from flows f join captures c using (capture_id)",
    "observations": "select c.path, f.line, o.* exclude (observation_id, flow_id) from observations o "
                    "join flows f using (flow_id) join captures c using (capture_id)",
    "responses": "select c.path, r.* exclude (capture_id, flow_id), f.line from responses r join captures c "
                 "using (capture_id) left join flows f using (flow_id)",
    "ingest_problems": "select path, line, problem from ingest_problems",
    "capture_coverage": "select c.path, v.covered_lines, o.path, v.overlap_lines from capture_coverage v join "
                        "captures c using (capture_id) left join captures o on o.capture_id = v.overlap_capture_id",
    "capture_aliases": "select a.path, c.path, a.scenario, a.run from capture_aliases a join captures c "
                       "using (capture_id)",
}


def rows(con) -> dict[str, list[tuple]]:
    return {table: sorted(con.execute(query).fetchall(), key=repr) for table, query in ROWS.items()}


def ids(con) -> list[tuple]:
    return con.execute("select c.path, c.capture_id, f.line, f.flow_id from flows f join captures c "
                       "using (capture_id) order by all").fetchall()


def open_ws(db: Path, mappings: Path | None = None, salt: str | None = None) -> Workspace:
    con = store.open_store(db, store.WRITE)
    if salt is not None and not con.execute("select 1 from settings where key = ?", [redact.SALT_KEY]).fetchall():
        con.execute("insert into settings values (?, ?)", [redact.SALT_KEY, salt])
    if mappings is None:
        return workspace(con)
    return Workspace.attach(con, paths=Paths(db, mappings))


def ingest_real(ws: Workspace) -> list:
    """The 2023 files with the 2023 profile, then the 2024 session folder (pcap with its key log, hex dump) with
    the 2024 profile, as `run` ingests them."""
    logs = require_shared(*LOGS_2023)
    session = require_shared(*SESSION_2024)
    results = ingest(ws, [logs / name for name in FILES_2023],
                     IngestOptions(profile=PROFILES / "citizenlab-2023.yaml"))
    return results + ingest(ws, [session], IngestOptions(profile=PROFILES / "citizenlab-2024.yaml"))


def statuses(results) -> dict[str, str]:
    return {r.path.name: r.status for r in results if r.status != "skipped"}


def half_the_findings(monkeypatch) -> None:
    """An older analysis: a detector that found half of what today's finds, under another stamp."""
    find = Detectors.find
    monkeypatch.setattr(Detectors, "find", lambda self, leaves, body: find(self, leaves, body)[::2])
    monkeypatch.setattr(ingest_mod, "analysis_stamp", lambda mappings: "0" * 64)


def test_a_changed_analysis_is_applied_on_ingest_and_gives_the_rows_of_a_fresh_ingest(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYCHECK_WORKERS", "2")
    with monkeypatch.context() as old:
        half_the_findings(old)
        ws = open_ws(tmp_path / "upgraded.duckdb")
        first = ingest_real(ws)
    con = ws.con
    before_ids, before = ids(con), rows(con)
    assert {s for s in statuses(first).values()} == {"ingested", "duplicate"}

    again = ingest_real(ws)  # today's analysis: every capture analysed again, in place
    assert statuses(again) == {name: "reanalysed" if status == "ingested" else status
                               for name, status in statuses(first).items()}
    message = next(r.message for r in again if r.status == "reanalysed")
    assert message.startswith("analysed again (the analysis changed since it was ingested): ")
    salt = redact.store_salt(con)
    fresh = open_ws(tmp_path / "fresh.duckdb", salt=salt)
    ingest_real(fresh)
    assert rows(con) == rows(fresh.con)
    assert ids(con) == before_ids  # same capture ids, and flow ids: the requests are on the same lines
    assert len(rows(con)["observations"]) > len(before["observations"])
    assert rows(con)["capture_aliases"] == before["capture_aliases"]

    observation_ids = con.execute("select list(observation_id order by all) from observations").fetchall()
    third = ingest_real(ws)  # nothing changed: nothing analysed again, nothing rewritten
    assert set(statuses(third).values()) == {"unchanged", "duplicate"}
    assert con.execute("select list(observation_id order by all) from observations").fetchall() == observation_ids
    assert stale_captures(con, config.mappings_dir()).count == 0


def test_an_edited_mappings_file_changes_the_stamp_and_the_captures_are_analysed_again(tmp_path):
    session = require_shared(*SESSION_2024)
    mappings = shutil.copytree(config.mappings_dir(), tmp_path / "mappings")
    stamp = analysis_stamp(mappings)
    assert analysis_stamp(mappings) == stamp == analysis_stamp(config.mappings_dir())
    ws = open_ws(tmp_path / "store.duckdb", mappings)
    options = IngestOptions(profile=PROFILES / "citizenlab-2024.yaml")
    assert set(statuses(ingest(ws, [session], options)).values()) == {"ingested"}
    assert ws.con.execute("select distinct analysis_stamp from captures").fetchall() == [(stamp,)]

    with (mappings / "endpoints.yaml").open("a", encoding="utf-8") as handle:
        handle.write("# an endpoint schema added by an upgrade\n")
    changed = analysis_stamp(mappings)
    assert changed != stamp
    assert stale_captures(ws.con, mappings).count == 2
    assert set(statuses(ingest(ws, [session], options)).values()) == {"reanalysed"}
    assert ws.con.execute("select distinct analysis_stamp from captures").fetchall() == [(changed,)]
    assert set(statuses(ingest(ws, [session], options)).values()) == {"unchanged"}


def invoke(*args: str):
    return CliRunner(env={"COLUMNS": "250"}).invoke(app, list(args))


def test_a_capture_whose_file_is_gone_keeps_its_rows_and_is_named_until_reanalysed_from_its_new_path(tmp_path):
    logs = require_shared(*LOGS_2023)
    folder = tmp_path / "captures"
    folder.mkdir()
    kept = shutil.copy(logs / "login_1.log.jsonl", folder)
    gone = Path(shutil.copy(logs / "start_miniapp_example_data_1.log.jsonl", folder))
    db = tmp_path / "store.duckdb"
    ws = open_ws(db)
    ingest(ws, [folder], IngestOptions(profile=PROFILES / "citizenlab-2023.yaml"))
    ws.con.execute("update captures set analysis_stamp = null")  # a store of a policycheck before the stamp
    before = rows(ws.con)
    moved = tmp_path / "moved" / gone.name
    moved.parent.mkdir()
    gone.rename(moved)

    results = ingest(ws, [folder], IngestOptions(profile=PROFILES / "citizenlab-2023.yaml"))
    assert statuses(results) == {Path(kept).name: "reanalysed"}
    after = rows(ws.con)
    for table in ("flows", "observations"):  # the vanished capture's rows are all still there
        assert [r for r in after[table] if r[0] == str(gone)] == [r for r in before[table] if r[0] == str(gone)]
    assert stale_captures(ws.con).count == 1
    ws.con.close()

    for command in (["flows"], ["gaps"], ["report", "--out", str(tmp_path / "out")]):
        result = invoke(*command, "--db", str(db))
        assert result.exit_code == 0, result.output
        warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
        assert len(warnings) == 1, (command, result.output)
        assert "1 capture(s) rest on an older analysis" in warnings[0]
        assert "(scenarios: start_miniapp_example_data)" in warnings[0] and "--reanalyse" in warnings[0]
        assert str(tmp_path) not in warnings[0]  # scenarios, never paths
    report = json.loads((tmp_path / "out" / "report" / "report.json").read_text(encoding="utf-8"))
    assert report["stale_analysis"]["captures"] == 1
    assert report["stale_analysis"]["file_gone_or_changed"] == 1
    assert report["stale_analysis"]["scenarios"] == [{"scenario": "start_miniapp_example_data", "captures": 1}]
    assert "rest on an older analysis" in (tmp_path / "out" / "report" / "report.md").read_text(encoding="utf-8")

    result = invoke("ingest", str(moved), "--reanalyse", "--profile", str(PROFILES / "citizenlab-2023.yaml"),
                    "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "reanalysed" in result.output
    con = store.open_store(db, store.READ)
    assert con.execute("select path from captures where scenario = 'start_miniapp_example_data'").fetchall() == \
        [(str(moved),)]
    assert stale_captures(con).count == 0
    con.close()
    result = invoke("gaps", "--db", str(db))
    assert "warning:" not in result.output


def test_a_failed_reanalysis_keeps_the_earlier_rows(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYCHECK_WORKERS", "1")
    logs = require_shared(*LOGS_2023)
    paths = [logs / "login_1.log.jsonl", logs / "login_3.log.jsonl"]
    ws = open_ws(tmp_path / "store.duckdb")
    ingest(ws, paths, IngestOptions(profile=PROFILES / "citizenlab-2023.yaml"))
    ws.con.execute("update captures set analysis_stamp = null")
    before, before_ids = rows(ws.con), ids(ws.con)

    def broken(self, leaves, body):
        raise ValueError("a detector bug\nwith a second line")

    with monkeypatch.context() as patched:  # the new analysis raises: one line per file, the rows stay
        patched.setattr(Detectors, "find", broken)
        results = ingest(ws, paths, IngestOptions(profile=PROFILES / "citizenlab-2023.yaml"))
    assert [r.status for r in results] == ["failed", "failed"]
    assert results[0].message == ("not analysed again (the analysis failed with ValueError: a bug, please report "
                                  "it); the rows of its earlier analysis are kept")
    assert rows(ws.con) == before and ids(ws.con) == before_ids

    def fails_while_storing(*args, **kwargs):
        raise RuntimeError("disk full")

    with monkeypatch.context() as patched:  # the store fails mid-replacement: the batch rolls back whole
        patched.setattr(ingest_mod.Ingester, "_buffer_rows", fails_while_storing)
        with pytest.raises(RuntimeError, match="disk full"):
            ingest(ws, paths, IngestOptions(profile=PROFILES / "citizenlab-2023.yaml"))
    assert rows(ws.con) == before and ids(ws.con) == before_ids

    profile = tmp_path / "profile.yaml"  # the profile it was ingested with is gone: said, rows kept
    shutil.copy(PROFILES / "citizenlab-2023.yaml", profile)
    ws.con.execute("update captures set profile = ?", [str(profile)])
    profile.unlink()
    results = ingest(ws, paths[:1])
    assert results[0].status == "failed"
    assert results[0].message == (f"not analysed again (the device profile it was ingested with, {profile}, is "
                                  "missing); the rows of its earlier analysis are kept")
    assert ids(ws.con) == before_ids

    ws.con.execute("update captures set profile = ?", [str(PROFILES / "citizenlab-2023.yaml")])
    assert [r.status for r in ingest(ws, paths)] == ["reanalysed", "reanalysed"]  # all in place again
    assert rows(ws.con)["observations"] == before["observations"]


HAR_BODY = {"mac": "02:00:00:00:00:00", "devicemodel": "Pixel 7"}


def hand_built_har(folder: Path) -> Path:
    """One POST whose JSON body carries Android's constant placeholder MAC address under a `mac` key."""
    entry = {"startedDateTime": "2023-12-05T10:00:00.000Z", "time": 1, "request": {
        "method": "POST", "url": "https://example.com/report", "httpVersion": "HTTP/1.1", "cookies": [],
        "headers": [{"name": "Content-Type", "value": "application/json"}], "queryString": [], "headersSize": -1,
        "bodySize": -1, "postData": {"mimeType": "application/json", "text": json.dumps(HAR_BODY)}},
        "response": {"status": 204, "statusText": "", "httpVersion": "HTTP/1.1", "cookies": [], "headers": [],
                     "content": {"size": 0, "mimeType": "text/plain"}, "redirectURL": "", "headersSize": -1,
                     "bodySize": 0}, "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}}
    path = folder / "placeholder_mac.har"
    path.write_text(json.dumps({"log": {"version": "1.2", "creator": {"name": "hand", "version": "1"},
                                        "entries": [entry]}}), encoding="utf-8")
    return path


def test_a_detector_fix_shows_up_after_reingest(tmp_path, monkeypatch):
    """The placeholder fix (a MAC field holding Android's constant 02:00:00:00:00:00 is graded below the judging
    floor): a store ingested by the code before it gets the fixed confidence on the next ingest."""
    har = hand_built_har(tmp_path)
    ws = open_ws(tmp_path / "store.duckdb")
    mac = "select confidence from observations where data_type = 'mac_address'"
    with monkeypatch.context() as old:
        old.setattr(patterns, "PLACEHOLDERS", {})  # the code before the fix knew no placeholder
        old.setattr(ingest_mod, "analysis_stamp", lambda mappings: "1" * 64)
        assert statuses(ingest(ws, [har])) == {har.name: "ingested"}
    before = ws.con.execute(mac).fetchall()
    assert before and before[0][0] >= 0.5  # judged as a real MAC address
    assert statuses(ingest(ws, [har])) == {har.name: "reanalysed"}
    after = ws.con.execute(mac).fetchall()
    assert after and after[0][0] < 0.5  # listed apart, never judged
    fresh = open_ws(tmp_path / "fresh.duckdb", salt=redact.store_salt(ws.con))
    ingest(fresh, [har])
    assert rows(ws.con)["observations"] == rows(fresh.con)["observations"]


# --- the settings files a capture was analysed with (device profile, MMTLS key log) --------------------------------

def without_value(profile: Path, key: str) -> str:
    """The text of a real test profile with one of its values left out (a profile before its owner corrected it)."""
    data = yaml.safe_load(profile.read_text(encoding="utf-8"))
    del data["values"][key]
    return yaml.safe_dump(data, allow_unicode=True)


def test_a_corrected_device_profile_gets_the_capture_analysed_again(tmp_path, monkeypatch):
    """A profile that lacked the account's WeChat ID, corrected in place: the next ingest analyses the capture again
    with it (same capture and flow ids), giving the rows of a fresh ingest with the corrected profile; until then
    the read commands name the capture as stale, by scenario and why."""
    monkeypatch.setenv("POLICYCHECK_WORKERS", "2")
    logs = require_shared(*LOGS_2023)
    paths = [logs / "login_1.log.jsonl", logs / "login_3.log.jsonl"]
    profile = tmp_path / "profile.yaml"
    profile.write_text(without_value(PROFILES / "citizenlab-2023.yaml", "wechat_id"), encoding="utf-8")
    db = tmp_path / "store.duckdb"
    ws = open_ws(db)
    assert set(statuses(ingest(ws, paths, IngestOptions(profile=profile))).values()) == {"ingested"}
    before, before_ids = rows(ws.con), ids(ws.con)
    assert stale_captures(ws.con).count == 0
    assert set(statuses(ingest(ws, paths, IngestOptions(profile=profile))).values()) == {"unchanged"}

    shutil.copy(PROFILES / "citizenlab-2023.yaml", profile)  # corrected: the real WeChat ID added
    stale = stale_captures(ws.con)
    assert (stale.count, stale.settings_changed, stale.file_gone_or_changed) == (2, 2, 0)
    assert stale.warning().startswith("warning: 2 capture(s) rest on an older analysis of the flows than this "
                                      "policycheck's or on device profiles or key logs changed since (scenarios: "
                                      "login (2)); their detections may be out of date: re-run `policycheck run`")
    ws.con.close()
    result = invoke("flows", "--db", str(db))
    assert result.exit_code == 0 and "or on device profiles or key logs changed since" in result.output

    ws = open_ws(db)
    again = ingest(ws, paths)  # no --profile: the capture's own settings, its profile's new content
    assert statuses(again) == {p.name: "reanalysed" for p in paths}
    assert again[0].message.startswith("analysed again (its device profile or key log changed since it was "
                                       "ingested): ")
    fresh = open_ws(tmp_path / "fresh.duckdb", salt=redact.store_salt(ws.con))
    ingest(fresh, paths, IngestOptions(profile=profile))
    assert rows(ws.con) == rows(fresh.con)
    assert ids(ws.con) == before_ids
    wechat_id = "select count(*) from observations where data_type = 'wechat_id' and detector like 'profile%'"
    assert ws.con.execute(wechat_id).fetchall()[0][0] > 0
    assert len(rows(ws.con)["observations"]) > len(before["observations"])
    assert stale_captures(ws.con).count == 0
    assert set(statuses(ingest(ws, paths)).values()) == {"unchanged"}


def test_a_completed_key_log_gets_the_pcap_analysed_again(tmp_path, monkeypatch):
    """The 2024 MMTLS session ingested with half of its Frida key log, then the whole log in its place: the pcap is
    analysed again with it and decrypts what a fresh ingest with the whole log decrypts."""
    monkeypatch.setenv("POLICYCHECK_WORKERS", "1")
    session = require_shared(*SESSION_2024)
    folder = tmp_path / "session"
    folder.mkdir()
    pcap = Path(shutil.copy(session / "capture-logged-in-all-keys.pcapng", folder))
    keys = folder / "frida-logged-in-all-keys.log"
    lines = (session / keys.name).read_text(encoding="utf-8").splitlines(keepends=True)
    keys.write_text("".join(lines[: len(lines) // 2]), encoding="utf-8")
    options = IngestOptions(profile=PROFILES / "citizenlab-2024.yaml")
    ws = open_ws(tmp_path / "store.duckdb")
    assert statuses(ingest(ws, [pcap], options)) == {pcap.name: "ingested"}
    assert ws.con.execute("select key_log from captures").fetchall() == [(str(keys.resolve()),)]
    decrypted = "select count(*) from flows where decode_status not in ('encrypted', 'empty', 'undecodable')"
    half = ws.con.execute(decrypted).fetchall()[0][0]

    keys.write_text("".join(lines), encoding="utf-8")
    assert stale_captures(ws.con).settings_changed == 1
    assert statuses(ingest(ws, [pcap], options)) == {pcap.name: "reanalysed"}
    assert ws.con.execute(decrypted).fetchall()[0][0] > half
    fresh = open_ws(tmp_path / "fresh.duckdb", salt=redact.store_salt(ws.con))
    ingest(fresh, [pcap], options)
    assert rows(ws.con) == rows(fresh.con)


def test_a_capture_whose_profile_is_gone_keeps_its_rows_and_the_warning_says_why(tmp_path):
    logs = require_shared(*LOGS_2023)
    capture = logs / "login_1.log.jsonl"
    profile = Path(shutil.copy(PROFILES / "citizenlab-2023.yaml", tmp_path / "pixel.yaml"))
    db = tmp_path / "store.duckdb"
    ws = open_ws(db)
    ingest(ws, [capture], IngestOptions(profile=profile))
    before = rows(ws.con)
    profile.unlink()
    results = ingest(ws, [capture])
    assert [r.status for r in results] == ["failed"]
    assert results[0].message == (f"not analysed again (the device profile it was ingested with, {profile}, is "
                                  "missing); the rows of its earlier analysis are kept")
    assert rows(ws.con) == before
    stale = stale_captures(ws.con)
    assert stale.as_json()["settings_missing"] == [{"scenario": "login", "why": "its device profile is missing",
                                                    "captures": 1}]
    ws.con.close()
    for command in (["flows"], ["gaps"], ["report", "--out", str(tmp_path / "out")]):
        result = invoke(*command, "--db", str(db))
        assert result.exit_code == 0, result.output
        warning = next(line for line in result.output.splitlines() if line.startswith("warning:"))
        assert "(scenarios: login)" in warning and "login: its device profile is missing" in warning
        assert "re-run" not in warning  # nothing to re-run until the profile is back
        assert str(tmp_path) not in warning and "pixel" not in warning  # never a path
    report = json.loads((tmp_path / "out" / "report" / "report.json").read_text(encoding="utf-8"))
    assert report["stale_analysis"]["settings_missing"][0]["why"] == "its device profile is missing"


def test_relative_settings_paths_are_stored_absolute_and_older_relative_ones_still_resolve(tmp_path):
    """Through the real command line: a profile given relative to the working directory is stored absolute, so a
    re-analysis from another directory finds it; a row stored before with a relative path is resolved against the
    store's folder, then the working directory, else named as missing."""
    logs = require_shared(*LOGS_2023)
    capture = str(logs / "login_1.log.jsonl")
    work, elsewhere, stores = tmp_path / "work", tmp_path / "elsewhere", tmp_path / "stores"
    for folder in (work, elsewhere, stores):
        folder.mkdir()
    shutil.copy(PROFILES / "citizenlab-2023.yaml", work / "profile.yaml")
    db = stores / "store.duckdb"
    ingested = cli(["ingest", capture, "--profile", "profile.yaml", "--db", str(db)], work)
    assert ingested.returncode == 0, ingested.stderr
    con = store.open_store(db, store.WRITE)
    assert con.execute("select profile from captures").fetchall() == [(str((work / "profile.yaml").resolve()),)]

    def stored_before(profile: str) -> None:  # a row of a policycheck before: relative path, no settings digest
        con.execute("update captures set profile = ?, settings_sha256 = null", [profile])

    stored_before("profile.yaml")
    shutil.copy(work / "profile.yaml", stores / "profile.yaml")  # beside the store
    con.close()
    again = cli(["ingest", capture, "--db", str(db)], elsewhere)
    assert again.returncode == 0 and "reanalysed" in again.stdout, again.stdout + again.stderr
    con = store.open_store(db, store.WRITE)
    assert con.execute("select profile from captures").fetchall() == [(str((stores / "profile.yaml").resolve()),)]

    stored_before("work/profile.yaml")  # not beside the store: relative to the working directory
    con.close()
    again = cli(["ingest", capture, "--db", str(db)], tmp_path)
    assert again.returncode == 0 and "reanalysed" in again.stdout, again.stdout + again.stderr

    con = store.open_store(db, store.WRITE)
    stored_before("gone/profile.yaml")  # found in neither
    con.close()
    failed = cli(["ingest", capture, "--db", str(db)], elsewhere)
    assert failed.returncode == 2 and "the device profile it was ingested with" in failed.stdout + failed.stderr
    shown = cli(["flows", "--db", str(db)], elsewhere)
    assert shown.returncode == 0 and "login: its device profile is missing" in shown.stderr, shown.stderr
    assert cli(["sql", "select count(*) from observations", "--db", str(db)], elsewhere).stdout.split()[1] != "0"
