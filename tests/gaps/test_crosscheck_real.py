"""Issue 13 on the real data (../shared): the Weixin guidelines contradict themselves (1.6 against 1.36); the WeChat
policy of 2022-09-09 takes Mini Programs, Channels and Search out of its scope while the Weixin guidelines say what
Weixin collects there; the 2023 captures' getLocation authorizations give precise-location observations for the
Mini Program that asked. The assertions name the phenomena (clauses, features, interfaces), not claim ids, so they
hold while the claim extractors improve."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import jsonschema
import pytest

from policycheck import store
from policycheck.gaps.compare import compare
from policycheck.gaps.contradictions import contradictions
from policycheck.run import ReportOptions, RunInputs, parse_profiles, run
from policycheck.workspace import Paths, Workspace
from tests.conftest import require_shared

SCHEMA = json.loads((Path(__file__).parents[2] / "policycheck" / "reports" / "report.schema.json").read_text())
WECHAT_2022 = "wechat-privacy-policy-en@2022-09-09"
WEIXIN = "weixin-privacy-policy-zh"


@pytest.fixture(scope="module")
def main_job(tmp_path_factory):
    data = require_shared("datasets")
    tmp = tmp_path_factory.mktemp("crosscheck")
    profiles = Path(__file__).parents[1] / "profiles"
    con = store.connect(tmp / "store.duckdb")
    ws = Workspace.attach(con, paths=Paths(out=tmp / "out"))
    result = run(ws, RunInputs(data=data, profiles=parse_profiles(
        [f"citizenlab-wechat-2023={profiles / 'citizenlab-2023.yaml'}"])), ReportOptions(name="real"))
    yield con, result
    con.close()


def _clause(section: str) -> str:
    return section.split(" > ")[-1]


def test_the_weixin_guidelines_contradict_themselves_on_mini_programs(main_job):
    con, _result = main_job
    versions, rows = contradictions(con, WEIXIN)
    assert [v.document_id for v in versions] == [WEIXIN]
    found = [r for r in rows if r["kind"] == "logical" and _clause(r["positive_section"]) == "1.6"
             and _clause(r["negative_section"]) == "1.36"]
    assert found, "1.6 (Weixin collects Mini Program usage) against 1.36 (cannot obtain third-party service data)"
    assert {r["positive_context"] for r in found} == {"mini_programs"}
    assert all(r["type"].startswith("C") and r["feature_relation"] in ("same", "narrower") for r in found)
    assert all("第三方服务" in r["negative_sentence"] for r in found)
    # the same statements in permissive mode; strict keeps only exact terms
    _, permissive = contradictions(con, WEIXIN, mode="permissive")
    assert {(r["positive_claim_id"], r["negative_claim_id"]) for r in found} <= {
        (r["positive_claim_id"], r["negative_claim_id"]) for r in permissive}
    _, strict = contradictions(con, WEIXIN, mode="strict")
    assert all(r["type"] == "C1" for r in strict)


def test_wechat_excludes_what_weixin_says_it_collects_in_mini_programs(main_job):
    con, _result = main_job
    result = compare(con, WECHAT_2022, WEIXIN, features=("mini_programs",))
    assert [str(v.effective_date) for v in result.a] == ["2022-09-09"]
    weixin_own = [r for r in result.rows if r["side"] == "b" and r["party"] == "first_party"
                  and r["action"] == "collect" and r["context"] == "mini_programs"]
    from_1_6 = [r for r in weixin_own if any(_clause(result.claims[c]["section_path"]) == "1.6"
                                             for c in r["claim_ids"])]
    assert from_1_6 and all(r["class"] == "excluded" for r in from_1_6)
    for r in from_1_6:
        deciding = [result.claims[c] for c in r["deciding_ids"]]
        assert deciding and all(c["scope"] == "excluded" and c["document_id"] == "wechat-privacy-policy-en"
                                for c in deciding)
        assert any("Mini Program" in c["sentence"] for c in deciding)
    summary = {f["feature"]: f for f in result.features}
    assert summary["mini_programs"]["counts"]["b"]["excluded"] >= len(from_1_6)
    # every feature WeChat hands to Weixin has Weixin practices the WeChat policy leaves to the guidelines
    handed = compare(con, WECHAT_2022, WEIXIN, features=("channels", "search"))
    for feature in ("channels", "search"):
        assert {f["feature"]: f for f in handed.features}[feature]["counts"]["b"]["excluded"] > 0, feature


def _js_authorize_lines(folder: Path, interface: bytes) -> int:
    """Requests of the distinct capture files (byte-identical copies once) that ask js-authorize for an interface,
    counted from the files alone."""
    seen, count = set(), 0
    for path in sorted(folder.rglob("*.jsonl")):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        for line in path.read_text(encoding="utf-8").splitlines():
            request = json.loads(line)
            if (request.get("req_type") or "").endswith("/js-authorize") and interface.hex() in request["data"]:
                count += 1
    return count


def test_get_location_authorizations_are_precise_location_for_the_mini_program(main_job):
    con, _result = main_job
    rows = con.execute("""
        select f.flow_id, f.path, f.mini_program_appid, o.data_type, o.field_path, o.confidence
        from observations o join flows f using (flow_id)
        where o.detector = 'privacy_interface:getLocation'""").fetchall()
    logs = require_shared("datasets", "citizenlab-wechat-2023", "network_logs")
    assert len({r[0] for r in rows}) == _js_authorize_lines(logs, b"getLocation") > 0
    assert {r[3] for r in rows} == {"precise_location"}
    assert {r[1] for r in rows} == {"/cgi-bin/mmbiz-bin/js-authorize"}
    apps = {r[2] for r in rows}
    assert len(apps) == 1 and re.fullmatch(r"wx[0-9a-f]{16}", next(iter(apps)))
    # what the developer obtains is no flow to WeChat: no verdict rests on it
    assert not con.execute("select count(*) from carried_observations where detector like 'privacy_interface%'"
                           ).fetchall()[0][0]
    judged = con.execute("select count(*) from gaps where feature = 'mini_programs' and data_type = "
                         "'precise_location'").fetchall()[0][0]
    assert judged == 0


def test_the_report_has_the_three_sections(main_job):
    _con, result = main_job
    report = json.loads(result.report_paths["json"].read_text(encoding="utf-8"))
    jsonschema.validate(report, SCHEMA)
    assert {"contradictions", "comparisons", "mini_programs"} <= {s["id"] for s in report["sections"]}

    def section_path(claim_id: int) -> str:  # cited claims land in the evidence maps
        return report["sentences"][report["claims"][str(claim_id)]["sentence_id"]]["section_path"]

    pairs = report["contradictions"]["pairs"]
    assert any(p["kind"] == "logical" and _clause(section_path(p["positive_claim_ids"][0])) == "1.6"
               and _clause(section_path(p["negative_claim_ids"][0])) == "1.36" for p in pairs)
    comparison = next(c for c in report["comparisons"] if c["a"][0]["document_id"] == "wechat-privacy-policy-en")
    assert str(comparison["a"][0]["effective_date"]) == "2022-09-09"  # in force when the 2023 captures were made
    mini = next(f for f in comparison["features"] if f["feature"] == "mini_programs")
    assert any(p["side"] == "b" and p["class"] == "excluded" and _clause(section_path(p["claim_ids"][0])) == "1.6"
               for p in mini["practices"])
    asked = [m for m in report["mini_programs"] if m["interfaces"]]
    assert len(asked) == 1
    interface = asked[0]["interfaces"][0]
    assert [i["interface"] for i in asked[0]["interfaces"]] == ["getLocation"]
    assert asked[0]["developer_receives"] == ["precise_location"]
    assert {"wechat"} == {p["recipient"] for p in asked[0]["platform_receives"]}
    sample = report["requests"][str(interface["sample"])]
    assert [(o["data_type"], o["detector"]) for o in sample["observations"]] == [
        ("precise_location", "privacy_interface:getLocation")]
    markdown = result.report_paths["md"].read_text(encoding="utf-8")
    assert "## Contradictions inside the policies" in markdown and "1.36 微信服务中的第三方服务" in markdown
    assert f"### Mini Program `{asked[0]['appid']}`" in markdown and "`getLocation`" in markdown
    html = result.report_paths["html"].read_text(encoding="utf-8")
    assert "Mini Programs: privacy interfaces and who received what" in html
