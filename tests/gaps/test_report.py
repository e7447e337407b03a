"""Reports, the gaps/sql commands and exit codes, on a small hand-built store."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from policycheck.cli import app
from policycheck.gaps.classify import Judgement
from policycheck.reports.build import build_report
from policycheck.reports.write import write_report
from tests.gaps.conftest import WECHAT, WEIXIN
from tests.test_store import DUCKDB_CLI

SCHEMA = json.loads((Path(__file__).parents[2] / "policycheck" / "reports" / "report.schema.json").read_text())


@pytest.fixture
def built(store, con, db_path):
    old = store.version(WECHAT, "2022-09-09")
    new = store.version(WECHAT, "2023-06-01")
    wx = store.version(WEIXIN, "2026-08-17")
    store.claim(old, "mini_program_developer", "collect", "personal_information", context="mini_programs",
                scope="excluded", role="third_party")
    store.claim(old, "weixin", "collect", "personal_information", context="weixin_features", scope="excluded",
                role="affiliate")
    # a sentence of its own: the 2022 text does not state it (the history calls it added, not one both state)
    store.claim(new, "wechat", "collect", "page_path", context="mini_programs",
                sentence="We collect the page path in Mini Programs.")
    store.claim(wx, "weixin", "collect", "device_model")
    store.claim(old, "wechat", "collect", "phone_number")
    store.observe("page_path", "mini_programs", scenario="start_miniapp")
    store.observe("device_model", "channels", scenario="startup")
    store.observe("phone_number", "login", scenario="login")
    return db_path


@pytest.mark.slow
def test_report_content_schema_and_files(built, con, tmp_path):
    report = build_report(con, "demo")
    jsonschema.validate(json.loads(json.dumps(report, default=str)), SCHEMA)
    by_feature = {g["feature"]: g for g in report["gaps"]}
    mini = by_feature["mini_programs"]
    assert (mini["disclosure"], mini["label"]) == ("incorrect", "undisclosed_first_party_mini_program")
    excluded = report["claims"][str(mini["claim_ids"][0])]
    assert excluded["scope"] == "excluded"
    assert report["versions"][str(excluded["version_id"])]["effective_date"].isoformat() == "2022-09-09"
    sample = report["requests"][str(mini["samples"][0])]
    assert [o["value_redacted"] for o in sample["observations"]] == ["x:abc"]
    channels = by_feature["channels"]
    assert (channels["disclosure"], channels["handoff_verdict"]) == ("handed_off", "clear")
    finding = next(f for f in report["findings"] if f["feature"] == "mini_programs")
    assert finding["id"] == "finding-incorrect-wechat-mini_programs"
    assert [d["data_type"] for d in finding["data_types"]] == ["page_path"]
    assert finding["sentences"][0]["decides"] == ["page_path"]
    # the data type's history: incorrect under 2022-09-09, clear from 2023-06-01 with the sentence that did it
    (story,) = finding["histories"]
    assert [(run["class"], run["from"].isoformat()) for run in story["runs"]] == [
        ("incorrect", "2022-09-09"), ("clear", "2023-06-01")]
    assert story["changes"][0]["change"] == "added"
    assert report["claims"][str(story["changes"][0]["claim_id"])]["data_type"] == "page_path"
    handed = next(f for f in report["findings"] if f["feature"] == "channels")
    assert handed["handoff_verdicts"] == {"clear": 1}
    handoff = report["claims"][str(handed["data_types"][0]["handoff_claim_ids"][0])]
    assert handoff["context"] == "weixin_features"
    assert report["summary"]["incorrect"] == 1 and report["summary"]["clear"] == 1
    assert report["matrix"]["cells"]["page_path"]["mini_programs"] == {"class": "incorrect", "rows": 1}

    paths = write_report(report, tmp_path)
    md = paths["md"].read_text(encoding="utf-8")
    assert "undisclosed_first_party_mini_program" in md and "(outside the policy's scope)" in md
    assert "judged against the earliest known version" in md  # the Weixin text postdates the flows
    assert json.loads(paths["json"].read_text(encoding="utf-8"))["name"] == "demo"
    assert 'id="finding-incorrect-wechat-mini_programs"' in paths["html"].read_text(encoding="utf-8")


@pytest.mark.slow
def test_gaps_command_json_filters_and_fail_on(built, con):
    con.close()
    runner = CliRunner()
    result = runner.invoke(app, ["gaps", "--db", str(built), "--format", "json", "--class", "incorrect"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["feature"] for r in rows] == ["mini_programs"]
    failed = runner.invoke(app, ["gaps", "--db", str(built), "--fail-on", "incorrect,omitted"])
    assert failed.exit_code == 12
    passed = runner.invoke(app, ["gaps", "--db", str(built), "--fail-on", "ambiguous"])
    assert passed.exit_code == 0
    as_of = runner.invoke(app, ["gaps", "--db", str(built), "--format", "json", "--feature", "mini_programs",
                                "--as-of", "2024-01-01"])
    assert json.loads(as_of.stdout)[0]["disclosure"] == "clear"


@pytest.mark.slow
def test_sql_command_read_only_formats(built, con):
    con.close()
    runner = CliRunner()
    result = runner.invoke(app, ["sql", "--db", str(built), "--format", "csv",
                                 "select disclosure, count(*) as n from gaps group by 1 order by 1"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "disclosure,n" and "incorrect,1" in result.stdout
    refused = runner.invoke(app, ["sql", "--db", str(built), "delete from claims"])
    assert refused.exit_code != 0
    assert "--write" in str(refused.exception) or "--write" in refused.output


@pytest.mark.slow
def test_sql_query_with_leading_comment_and_from_file(built, con, tmp_path):
    con.close()
    runner = CliRunner()
    result = runner.invoke(app, ["sql", "--db", str(built), "--format", "json", "--",
                                 "-- classes\nselect count(*) as n from gaps"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"n": 3}]
    query = tmp_path / "q.sql"
    query.write_text("select disclosure from gaps where feature = 'login'", encoding="utf-8")
    from_file = runner.invoke(app, ["sql", "--db", str(built), "--format", "csv", "--file", str(query)])
    assert from_file.stdout.splitlines() == ["disclosure", "clear"]
    neither = runner.invoke(app, ["sql", "--db", str(built)])
    assert neither.exit_code != 0


@pytest.mark.slow
@pytest.mark.skipif(DUCKDB_CLI is None, reason="duckdb CLI (PyPI duckdb-cli 1.5.x) not installed")
def test_gap_views_work_in_the_duckdb_cli(built, con):
    con.close()
    out = subprocess.run([DUCKDB_CLI, "-readonly", str(built), "-csv", "-c",
                          "select disclosure, count(*) as n from gaps group by 1 order by 1"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["disclosure,n", "clear,1", "handed_off,1", "incorrect,1"]


@pytest.mark.slow
def test_report_states_mode_counts_requests_and_lists_low_confidence_apart(store, con, tmp_path):
    old = store.version(WECHAT, "2022-09-09")
    new = store.version(WECHAT, "2023-06-01")
    root = store.claim(old, "wechat", "use", "personal_information",
                       sentence="We use your information to provide WeChat to you.")
    store.claim(new, "wechat", "collect", "device_model", sentence="We collect your device model.")
    capture = store.capture("startup", when="2023-05-01T12:00:00", requests=3)
    store.flow(capture, "device_model", "startup", line=1, when="2023-05-01T12:00:00")
    both = store.flow(capture, "device_model", "startup", line=2, when="2023-05-01T12:00:00")
    store.detect(both, "operating_system")  # the second request carries the operating system too
    store.flow(capture, "advertising_id", "search", line=3, when="2023-05-01T12:00:00", confidence=0.3)

    report = build_report(con, "modes", Judgement(mode="intermediate"))
    jsonschema.validate(json.loads(json.dumps(report, default=str)), SCHEMA)
    assert report["judgement"] == {"as_of": None, "mode": "intermediate", "min_confidence": 0.5}
    assert report["totals"]["requests"] == 3 and report["totals"]["low_confidence_observations"] == 1
    finding = next(f for f in report["findings"] if f["feature"] == "startup")
    assert (finding["disclosure"], finding["data_type_count"]) == ("omitted", 2)
    assert finding["request_count"] == 2  # distinct requests, not the sum over data types (2 + 1)
    assert [report["sentences"][s["sentence_id"]]["text"] for s in finding["root_term_sentences"]] == [
        "We use your information to provide WeChat to you."]
    assert {d["data_type"]: d["request_count"] for d in finding["data_types"]} == {"device_model": 2,
                                                                                  "operating_system": 1}
    assert all(d["sample"] is not None for d in finding["data_types"])
    assert [(d["data_type"], d["detector"]) for d in report["low_confidence"]] == [("advertising_id", "test")]
    assert not any(f["feature"] == "search" for f in report["findings"])
    versions = {h["valid_from"].isoformat(): h for h in report["history_by_version"]}
    change = versions["2023-06-01"]["changes"][0]
    assert (change["from_class"], change["to_class"], change["rows"]) == ("omitted", "clear", 1)
    assert report["sentences"][change["added_sentences"][0]]["text"] == "We collect your device model."
    assert root in finding["root_term_sentences"][0]["claim_ids"]

    md = write_report(report, tmp_path)["md"].read_text(encoding="utf-8")
    assert "in **intermediate** mode" in md and "**3 distinct requests**" in md and "(2 requests)" in md
    assert "Root-term statements" in md and "Lower-confidence detections" in md
    assert "| 2 requests |" in md and "omitted → clear" in md
    permissive = build_report(con, "modes", Judgement(mode="permissive"))
    assert next(f for f in permissive["findings"] if f["feature"] == "startup")["disclosure"] == "vague"
