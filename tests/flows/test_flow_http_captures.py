"""HAR and mitmproxy flow files made by the real tools on this machine (see realtools.py): the same traffic gives
the same flows and observations through both readers; hosts map to entities, one of them a third party."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ingest_into
from realtools import DEVICE, FIRST_PARTY, THIRD_PARTY, mappings_with_test_hosts, profile, record

from policycheck import ontology, store
from policycheck.flows.ingest import IngestOptions, ingest
from policycheck.gaps.classify import gap_rows, install
from tests.conftest import workspace


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("realtools")
    har, flows, app = record(folder)
    app.close()
    mappings = mappings_with_test_hosts(folder)
    return folder, har, flows, app, mappings


def ingest_with(db: Path, capture: Path, mappings: Path, device: Path, **options):
    onto = ontology.load(mappings)
    con = store.connect(db)
    results = ingest(workspace(con, onto), [capture], IngestOptions(profile=device, **options))
    return con, results


FLOW_SQL = ("select method, url, host, path, recipient, feature, decode_status, body_bytes, protocol, "
            "time_source from flows order by line")
OBS_SQL = ("select f.url, o.data_type, o.field_path, o.detector from observations o join flows f using (flow_id) "
           "where o.confidence >= 0.5 order by all")


@pytest.mark.slow
def test_har_and_mitmproxy_give_the_same_flows(recorded, tmp_path):
    _folder, har, flows, app, mappings = recorded
    device = profile(tmp_path)
    con_har, (r_har,) = ingest_with(tmp_path / "har.duckdb", har, mappings, device)
    con_mitm, (r_mitm,) = ingest_with(tmp_path / "mitm.duckdb", flows, mappings, device)
    assert (r_har.format, r_mitm.format) == ("har", "mitmproxy")
    assert r_har.status == r_mitm.status == "ingested" and not r_har.problems and not r_mitm.problems
    rows = con_har.execute(FLOW_SQL).fetchall()
    assert rows == con_mitm.execute(FLOW_SQL).fetchall()
    # one flow per request the server received, in order
    assert [(r[0], r[2], r[3]) for r in rows] == [(m, h.split(":")[0], p.split("?")[0]) for m, h, p in app.received]
    assert {r[2]: r[4] for r in rows} == {FIRST_PARTY: "wechat", THIRD_PARTY: "advertiser"}
    assert all("?" not in r[1] for r in rows) and {r[9] for r in rows} == {"record"}
    observed = con_har.execute(OBS_SQL).fetchall()
    assert observed == con_mitm.execute(OBS_SQL).fetchall()
    found = {(o[1], o[2]) for o in observed}
    # identifiers in the query string, a cookie, a custom header and the JSON body, by key, pattern and profile
    assert {("internal_user_id", "query:uin"), ("internal_user_id", "cookie:uin"), ("android_id", "header:x-device-id"),
            ("imei", "$.imei"), ("device_model", "$.model"), ("user_agent", "header:user-agent")} <= found
    assert {o[1] for o in observed if o[3].startswith("profile")} >= set(DEVICE) - {"device_model"} | {"imei"}
    # responses are stored apart, paired with their requests, and never carry observations
    for con in (con_har, con_mitm):
        assert con.execute("select count(*), count(flow_id) from responses").fetchall() == [(len(rows), len(rows))]
    stored = " ".join(r[0] for r in con_har.execute("select value_redacted from observations").fetchall())
    assert not any(value in stored for value in DEVICE.values())


@pytest.mark.slow
def test_third_party_recipient_gets_its_own_gap_rows(recorded, tmp_path):
    """PoliCheck's entity-sensitive check: the policy discloses first-party collection of device identifiers;
    the same identifiers received by the advertising partner are a separate, undisclosed (omitted) row."""
    _folder, har, _flows, _app, mappings = recorded
    con, _ = ingest_with(tmp_path / "g.duckdb", har, mappings, profile(tmp_path))
    policy_says(con, [("device_identifier", "device identifiers"), ("device_information", "device information")])
    install(con)
    rows = gap_rows(con)
    third = [r for r in rows if r["recipient"] == "advertiser"]
    first = [r for r in rows if r["recipient"] == "wechat"]
    assert {r["data_type"] for r in third} >= {"imei", "device_model"}
    assert {r["disclosure"] for r in third if r["data_type"] == "imei"} == {"omitted"}
    assert {r["disclosure"] for r in first if r["data_type"] == "android_id"} <= {"clear", "vague"}
    assert any(r["data_type"] == "android_id" for r in first)


def policy_says(con, collected: list[tuple[str, str]]) -> None:
    """One WeChat policy version (2020) whose only claims are first-party collection of these data types."""
    text = " ".join(f"We collect {words}." for _, words in collected)
    con.execute("insert into documents (document_id, service, doc_type, language, policy_id, first_party) values "
                "('wechat-privacy-policy-en', 'WeChat', 'Privacy Policy', 'en', 'wechat-privacy-policy', 'wechat')")
    con.execute("insert into versions (version_id, document_id, language, effective_date, first_seen, last_seen, "
                "sha256, text, origin) values (1, 'wechat-privacy-policy-en', 'en', date '2020-01-01', "
                "timestamp '2020-01-01', timestamp '2020-01-01', 'h', ?, 'archive')", [text])
    con.execute("insert into blocks (block_id, version_id, ordinal, kind, section_path, text, start, \"end\") "
                "values (1, 1, 0, 'paragraph', '', ?, 0, ?)", [text, len(text)])
    for claim_id, (data_type, words) in enumerate(collected, start=1):
        sentence = f"We collect {words}."
        start = text.index(sentence)
        con.execute("insert into claims (claim_id, version_id, block_id, sentence, start, \"end\", actor, actor_role, "
                    "action, negated, data_text, data_type, scope, language, extractor) values (?, 1, 1, ?, ?, ?, "
                    "'wechat', 'first_party', 'collect', false, ?, ?, 'in_scope', 'en', 'test')",
                    [claim_id, sentence, start, start + len(sentence), words, data_type])


@pytest.mark.slow
def test_har_with_a_broken_entry(recorded, tmp_path, onto):
    _folder, har, *_ = recorded
    data = json.loads(har.read_text(encoding="utf-8"))
    count = len(data["log"]["entries"])
    del data["log"]["entries"][1]["request"]["url"]
    data["log"]["entries"].insert(0, "not an entry")
    broken = tmp_path / "broken.har"
    broken.write_text("\ufeff" + json.dumps(data, indent=1).replace("\n", "\r\n"), encoding="utf-8")  # BOM, CRLF
    con, (result,) = ingest_into(tmp_path / "b.duckdb", onto, [broken])
    assert result.status == "ingested" and result.requests == count - 1
    assert [(p.line, p.problem.split(":")[0]) for p in result.problems] == [(1, "log.entries[0]"),
                                                                             (3, "log.entries[2]")]
    assert con.execute("select count(*) from ingest_problems").fetchall() == [(2,)]


@pytest.mark.slow
def test_mitmproxy_flow_of_another_version(recorded, tmp_path, onto):
    from mitmproxy.io import tnetstring

    _folder, _har, flows, *_ = recorded
    states = []
    with flows.open("rb") as handle:
        while handle.peek(1):
            states.append(tnetstring.load(handle))
    states[1]["version"] = 99  # written by a future mitmproxy
    other = tmp_path / "other.mitm"
    with other.open("wb") as handle:
        for state in states:
            tnetstring.dump(state, handle)
    _con, (result,) = ingest_into(tmp_path / "m.duckdb", onto, [other])
    assert result.status == "ingested" and result.requests == len(states) - 1
    (problem,) = result.problems
    assert problem.line == 2 and "another mitmproxy version" in problem.problem and "99" in problem.problem
    # a corrupt tail: the flows before it are kept, one line says where reading stopped
    cut = tmp_path / "cut.mitm"
    cut.write_bytes(flows.read_bytes()[:-40])
    _, (cut_result,) = ingest_into(tmp_path / "c.duckdb", onto, [cut])
    assert cut_result.requests == len(states) - 1 and len(cut_result.problems) == 1
    assert "cannot be read" in cut_result.problems[0].problem
