"""Report fact-check, round audit7: statements of the real report (../shared) re-checked against the store and,
for counts, against the capture files with this file's own reading of them (not policycheck's code)."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import duckdb

from tests.conftest import require_shared

UIN_PROFILE = Path(__file__).parents[1] / "profiles" / "citizenlab-2023.yaml"
LINE = re.compile(r"in (?P<n>\d+) of the (?P<m>\d+) requests to (?P<what>[^,(]*endpoints[^,(]*)"
                  r"(?P<each> \(each with one or more of them\))?, sent in (?P<k>\d+) of (?P<s>\d+) capture scenarios")


def _store(real_report):
    return duckdb.connect(str(real_report.db), read_only=True)


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        low, n = n & 0x7F, n >> 7
        out.append(low | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _longest_2023_log() -> list[dict]:
    """The 2023 logs are prefixes of one log (checked): its lines are the distinct requests, in order."""
    logs = [p.read_text(encoding="utf-8").splitlines()
            for p in sorted(require_shared("datasets", "citizenlab-wechat-2023", "network_logs").glob("*.jsonl"))]
    longest = max(logs, key=len)
    assert all(longest[:len(log)] == log for log in logs)
    return [json.loads(line) for line in longest]


def test_key_findings_count_against_the_requests_to_that_feature(real_report):
    """'in 128 of 1137 requests to app startup and configuration endpoints' was printed, but 1,137 is every
    request of the captures: 381 went to those endpoints (each of the 89 Channels requests carried one or more of
    the six types, not all of them: the session id is in 8)."""
    report = real_report.report
    with _store(real_report) as con:
        sent = {(r, f): n for r, f, n in con.execute(
            "select recipient, feature, count(*) from distinct_flows group by all").fetchall()}
    findings = {f["id"]: f for f in report["findings"]}
    lines = report["key_findings"]["lines"]
    assert lines
    for line in lines:
        f = findings[line["finding"]]
        m = LINE.search(line["text"])
        assert m, line["text"]
        assert int(m["m"]) == sent[(f["recipient"], f["feature"])] < report["totals"]["requests"], line["text"]
        assert int(m["n"]) == f["request_count"]
        assert bool(m["each"]) == (f["data_type_count"] > 1)  # a request counts with one of the types, not all
        assert int(m["k"]) == f["scenario_count"] and int(m["s"]) == report["totals"]["scenarios"]
        if f["data_type_count"] == 1:
            assert " them" not in line["text"], line["text"]
    startup = next(line["text"] for line in lines if line["finding"] == "finding-omitted-wechat-startup")
    assert "128 of the 381 requests to app startup and configuration endpoints" in startup
    channels = next(line["text"] for line in lines if line["finding"] == "finding-handed_off-wechat-channels")
    assert "in 89 of the 89 requests to Channels endpoints (each with one or more of them)" in channels


def test_the_startup_uin_count_from_the_capture_files(real_report):
    """The omitted startup finding's 128 requests are the 2023 requests to startup endpoints whose body holds
    the account's UIN (as a protobuf varint or as digits), read from the log lines here; the request type's
    feature is the store's (the endpoint mapping), the UIN the device profile's."""
    import yaml

    uin = int(yaml.safe_load(UIN_PROFILE.read_text(encoding="utf-8"))["values"]["internal_user_id"])
    forms = (_varint(uin), str(uin).encode())
    with _store(real_report) as con:
        features = dict(con.execute("select distinct req_type_id, feature from distinct_flows f join captures c "
                                    "using (capture_id) where c.path like '%citizenlab-wechat-2023%'").fetchall())
    carrying = Counter(features[r["req_id"]] for r in _longest_2023_log()
                       if any(form in bytes.fromhex(r["data"] or "") for form in forms))
    finding = next(f for f in real_report.report["findings"] if f["id"] == "finding-omitted-wechat-startup")
    assert finding["data_types"][0]["data_type"] == "internal_user_id"
    assert finding["request_count"] == carrying["startup"] == 128


def test_scenarios_are_those_that_sent_a_request(real_report):
    """'sent in 19 of 22 capture scenarios': the 22nd is the published hex dump of the pcap's secautoauth
    request, which counts once, in the pcap, and so holds no request of its own."""
    report = real_report.report
    own = {c["scenario"] for c in report["captures"] if c["own_requests"]}
    idle = {c["scenario"] for c in report["captures"]} - own
    assert idle == {"autoauth-request-packet-plaintext"}
    assert report["totals"]["scenarios"] == len(own) == 21


def test_identical_files_name_every_activity_they_may_be(real_report):
    """Byte-identical capture files name different activities (intercept_hybrid_ecdh_java, a hook test, and
    load_people_nearby_location_permissions_on_1): the People Nearby request was shown in scenario
    'intercept_hybrid_ecdh_java' alone. The pairs are found here by hashing the files."""
    folder = require_shared("datasets", "citizenlab-wechat-2023", "network_logs")
    by_hash: dict[str, list[str]] = {}
    for path in sorted(folder.glob("*.jsonl")):
        by_hash.setdefault(hashlib.sha256(path.read_bytes()).hexdigest(), []).append(
            re.sub(r"_\d+$", "", path.name.removesuffix(".log.jsonl")))
    pairs = [sorted(set(names)) for names in by_hash.values() if len(set(names)) > 1]
    assert len(pairs) == 3
    report = real_report.report
    md = real_report.paths["md"].read_text(encoding="utf-8")
    gap_table = md.split('<a id="gap_rows"></a>')[1].split('<a id="claims_cited"></a>')[0]
    cells = Counter(tuple(line.split(" | ")[4:6]) for line in gap_table.splitlines() if line.startswith("| ") and
                    line.count(" | ") > 5)  # (scenario, or scenario)
    for names in pairs:
        capture = next(c for c in report["captures"] if c["sha256"] in
                       {h for h, n in by_hash.items() if sorted(set(n)) == names})
        assert sorted([capture["scenario"], *capture["also_scenarios"]]) == names
        label = " ≡ ".join([capture["scenario"], *capture["also_scenarios"]])
        assert label in md  # the sources table
    nearby = [g for g in report["gaps"] if g["feature"] == "people_nearby"]
    assert nearby and all(g["scenario"] == "intercept_hybrid_ecdh_java" for g in nearby)
    assert cells[("intercept_hybrid_ecdh_java", "")] == 0
    assert cells[("intercept_hybrid_ecdh_java", "load_people_nearby_location_permissions_on")] >= len(nearby)
    html = real_report.paths["html"].read_text(encoding="utf-8")
    assert "<td>intercept_hybrid_ecdh_java</td><td>load_people_nearby_location_permissions_on</td>" in html


def test_history_ranges_are_version_dates(real_report):
    """'omitted (2021-08-19..2022-09-09) → vague (2023-06-01..2024-04-12)' read as if the UIN stopped being
    omitted on 2022-09-09, yet the April 2023 requests are judged omitted under that version: the dates are the
    versions' valid-from dates, and the text says so."""
    md = real_report.paths["md"].read_text(encoding="utf-8")
    history = [line for line in md.splitlines() if line.startswith("- `") and " → " in line and "(" in line]
    assert history
    assert not [line for line in history if re.search(r"\w \(\d{4}-\d\d-\d\d", line)]
    assert any("omitted (versions of 2021-08-19..2022-09-09)" in line for line in history)
    assert "a class holds until the next version" in md


def test_a_verdict_through_a_defined_term_quotes_the_definition(real_report):
    """GPS coordinates were 'clear' in People Nearby on "Location Data. See definition above." and "Location Data
    will be disclosed (either to us, to other users, or both):", neither of which names GPS: the definition that
    does ('"Location Data" is information that is derived from your GPS ...') was quoted nowhere. Every clear
    data type now rests on a quoted statement that names it, or on a quoted definition of that version that does."""
    report = real_report.report
    md = real_report.paths["md"].read_text(encoding="utf-8")
    clear = [(f, d) for f in report["findings"] for d in f["data_types"] if d["class"] == "clear"]
    assert clear
    through_terms = 0
    with _store(real_report) as con:
        for f, d in clear:
            claim = d["claim_ids"][0]
            direct = con.execute("select count(*) from claim_data_coverage where claim_id = ? and data_type = ? "
                                 "and depth = 0 and not via_term", [claim, d["data_type"]]).fetchone()[0]
            if direct:
                continue
            through_terms += 1
            blocks = [x for x in f["definitions"] if any(d["data_type"] in m["data_types"] for m in x["members"])]
            assert blocks, (f["id"], d["data_type"])
            for x in blocks:
                text = con.execute("select text from versions where version_id = ?", [x["version_id"]]).fetchone()[0]
                assert x["text"] in text
                assert all(m["member_text"] in x["text"] for m in x["members"])
                assert x["text"].split(":")[0] in md
    assert through_terms >= 2  # GPS coordinates in People Nearby and in the device reports
    nearby = next(f for f in report["findings"] if f["id"] == "finding-clear-wechat-people_nearby")
    [gps] = nearby["definitions"]
    assert gps["term_text"] == "Location Data" and gps["members"] == [{"member_text": "GPS",
                                                                       "data_types": ["precise_location"]}]
    assert 'defines "Location Data" to include "GPS" (`precise_location`); in reporting, people_nearby' in md


def test_a_sample_shows_the_strongest_evidence_among_equals(real_report):
    """The account's WeChat ID was shown as 'pattern:wechat_id' (a wxid_-shaped string) in 23 cited requests, though
    the device profile names that very value in the same field at the same confidence: a reader took it for an
    identifier found by its shape alone. Among equally confident detections the profile's comes first, then a
    field name's, then a shape's."""
    shown = [(int(fid), o) for fid, q in real_report.report["requests"].items() for o in q["observations"]]
    assert shown
    rank = {"profile": 0, "key": 1}
    with _store(real_report) as con:
        for flow_id, o in shown:
            best = con.execute("""
                select min(case when detector like 'profile%' then 0 when detector = 'key' then 1 else 2 end)
                from observations where flow_id = ? and data_type = ? and confidence = ?
                and coalesce(envelope, false) = (select coalesce(envelope, false) from observations
                    where flow_id = ? and data_type = ? and field_path = ? and detector = ? limit 1)""",
                               [flow_id, o["data_type"], o["confidence"], flow_id, o["data_type"], o["field_path"],
                                o["detector"]]).fetchone()[0]
            assert rank.get(o["detector"].split(":")[0], 2) == best, (flow_id, o)
    wechat_ids = Counter(o["detector"] for _, o in shown if o["data_type"] == "wechat_id")
    assert wechat_ids["profile"] > wechat_ids["pattern:wechat_id"]


def test_verify_rechecks_a_quoted_definition(real_report, tmp_path):
    """`policycheck verify` re-checks the definitions the report quotes, as it does the sentences: a block whose
    text changed in the store is named."""
    import shutil

    from typer.testing import CliRunner

    from policycheck import store
    from policycheck.cli import app

    [block] = {x["block_id"] for f in real_report.report["findings"] for x in f["definitions"]}
    db = tmp_path / "store.duckdb"
    shutil.copy(real_report.db, db)
    con = store.connect(db)
    con.execute("update blocks set text = text || ' (edited)' where block_id = ?", [block])
    con.close()
    result = CliRunner().invoke(app, ["verify", "--db", str(db), str(real_report.paths["json"])])
    assert result.exit_code == 14
    assert f"FAILED definition {block}: its text differs" in result.output
    assert result.output.count("FAILED") == 1


def test_header_only_requests_elsewhere_say_what_is_not_judged(real_report):
    """'125 more requests of Mini Programs carry internal_user_id only in that header ...: these 125 are judged
    nowhere' read as if 125 requests were left out of the report, yet the incorrect Mini Programs finding counts
    most of them (for the app id and other types in their bodies): it is the header-only type in them that no
    verdict covers, and the text says so."""
    report = real_report.report
    md = real_report.paths["md"].read_text(encoding="utf-8")
    mini = next(f for f in report["findings"] if f["id"] == "finding-omitted-wechat-mini_programs")
    [e] = mini["header_only_elsewhere"]
    with _store(real_report) as con:
        (counted,), = con.execute("""
            select count(*) from (select f.flow_id from distinct_flows f join observations o using (flow_id)
            where f.recipient = 'wechat' and f.feature = 'mini_programs' and o.data_type = ? and o.confidence >= 0.5
            group by f.flow_id having bool_and(o.envelope)) h
            where exists (select 1 from observations b where b.flow_id = h.flow_id and b.confidence >= 0.5
                          and not coalesce(b.envelope, false) and b.detector not like 'privacy_interface:%')""",
                                  [e["data_type"]]).fetchall()
    assert counted > 0  # requests whose other data types are judged
    assert f"these {e['request_count']} are judged nowhere" not in md
    assert f"`{e['data_type']}` in these {e['request_count']} is judged nowhere" in md
