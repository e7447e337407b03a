"""`policycheck verify` (issue 12): passes on a fresh report; fails, naming the item, when a stored sentence
or a capture line changes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policycheck import store
from policycheck.cli import app


def _verify(report_json, db) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["verify", str(report_json), "--db", str(db)])
    return result.exit_code, result.output


@pytest.mark.slow
def test_verify_passes_on_a_fresh_report(real_report):
    code, output = _verify(real_report.paths["json"], real_report.db)
    report = real_report.report
    items = len(report["versions"]) + sum(len(v["snapshots"]) for v in report["versions"].values()) + len(
        report["claims"]) + len(report["captures"]) + len(report["requests"]) + len(
        {x["block_id"] for f in report["findings"] for x in f["definitions"]})
    assert code == 0, output
    assert f"{items} of {items} items verified" in " ".join(output.split())


@pytest.mark.slow
def test_verify_names_an_altered_sentence(real_report, tmp_path):
    db = tmp_path / "store.duckdb"
    shutil.copy(real_report.db, db)
    claim = next(iter(real_report.report["claims"]))
    con = store.connect(db)
    con.execute("update claims set sentence = sentence || ' (edited)' where claim_id = ?", [int(claim)])
    con.close()
    code, output = _verify(real_report.paths["json"], db)
    assert code == 14
    assert f"FAILED claim {claim}: the stored sentence differs from the quote" in output
    assert output.count("FAILED") == 1


@pytest.mark.slow
def test_verify_names_an_altered_capture_line(real_report, tmp_path):
    report = real_report.report
    fid, request = next((k, q) for k, q in report["requests"].items()
                        if next(c for c in report["captures"] if c["capture_id"] == q["capture_id"])["format"]
                        == "citizenlab-jsonl")
    db = tmp_path / "store.duckdb"
    shutil.copy(real_report.db, db)
    con = store.connect(db)
    original = con.execute("select path from captures where capture_id = ?", [request["capture_id"]]).fetchall()[0][0]
    copy = tmp_path / "capture.log.jsonl"
    lines = Path(original).read_text(encoding="utf-8").splitlines(keepends=True)
    record = json.loads(lines[request["line"] - 1])
    record["data"] = "00" * 8  # the request now carries nothing
    lines[request["line"] - 1] = json.dumps(record) + "\n"
    copy.write_text("".join(lines), encoding="utf-8")
    con.execute("update captures set path = ? where capture_id = ?", [str(copy), request["capture_id"]])
    con.close()
    code, output = _verify(real_report.paths["json"], db)
    text = " ".join(output.split())
    assert code == 14
    assert f"FAILED capture {request['capture_id']}" in text and "now hashes to" in text
    assert f"FAILED request {fid}:" in text and "no longer gives this redacted value" in text


@pytest.mark.slow
def test_verify_finds_relative_profile_paths_of_older_stores_beside_the_store(real_report, tmp_path, monkeypatch):
    """Captures stored before migration 012 recorded a relative device profile path (relative to the working
    directory of that ingest): verify, run from another directory, looks for it beside the store first."""
    db = tmp_path / "store.duckdb"
    shutil.copy(real_report.db, db)
    con = store.connect(db)
    profiles = [Path(p) for (p,) in con.execute("select distinct profile from captures where profile is not null")
                .fetchall()]
    assert len(profiles) == 2 and all(p.is_absolute() for p in profiles)
    for profile in profiles:
        shutil.copy(profile, tmp_path / profile.name)
    con.execute("update captures set profile = regexp_extract(profile, '[^/]+$')")
    con.close()
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    code, output = _verify(real_report.paths["json"], db)
    assert code == 0, output
