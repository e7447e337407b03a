"""Endpoint knowledge: request types, path rules, recipients by account region and host, validation."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from policycheck import config, ontology
from policycheck.errors import PolicycheckError
from policycheck.flows.endpoints import EndpointMap, dataset_request_types
from tests.conftest import require_shared
from tests.flows.conftest import LOGS_2023, PROFILES, ingest_into


@pytest.fixture(scope="module")
def endpoints(onto) -> EndpointMap:
    return EndpointMap.load(config.mappings_dir(), onto)


@pytest.mark.parametrize(("path", "req_type", "feature"), [
    ("/cgi-bin/mmbiz-bin/wxartrappsvr/route", None, "mini_programs"),
    ("/cgi-bin/mmbiz-bin/wxausrevent/wxaappidkeybatchreport", None, "mini_programs"),
    ("/cgi-bin/mmbiz-bin/js-operatewxdata", None, "mini_programs"),
    ("/cgi-bin/micromsg-bin/findersync", None, "channels"),
    ("/cgi-bin/micromsg-bin/rtkvreport", None, "reporting"),
    ("/cgi-bin/micromsg-bin/newreportkvcomm", None, "reporting"),
    ("/cgi-bin/micromsg-bin/newsendmsg", None, "messaging"),
    ("/cgi-bin/micromsg-bin/mmsnspost", None, "moments"),
    ("/cgi-bin/micromsg-bin/secmanualauth", None, "login"),
    ("/cgi-bin/micromsg-bin/newreg", None, "registration"),
    ("/cgi-bin/micromsg-bin/getcdndns", None, "startup"),
    ("/cgi-bin/micromsg-bin/getcontact", None, "contacts_feature"),
    (None, 148, "people_nearby"),       # lbsfind, unmapped in the authors' CSV
    (None, 1134, "search"),             # mmsearch-bin/searchreport
    (None, 825, "top_stories"),         # no path known: feature from the request type entry
    ("/cgi-bin/micromsg-bin/no-such-api", None, "unknown"),
    (None, 999999, "unknown"),
])
def test_every_request_gets_a_feature(endpoints, path, req_type, feature):
    assert endpoints.resolve(path, req_type, None, "wechat").feature == feature


def test_recipient_follows_account_region_and_host(endpoints):
    route = "/cgi-bin/mmbiz-bin/wxartrappsvr/route"
    assert endpoints.resolve(route, None, None, "wechat").recipient == "wechat"
    assert endpoints.resolve(route, None, None, "weixin").recipient == "weixin"
    assert endpoints.resolve(route, None, "hkextshort.weixin.qq.com", "wechat").recipient == "wechat"
    assert endpoints.resolve(route, None, "tracker.example.net", "wechat").recipient == "unknown_third_party"
    assert endpoints.resolve(None, None, "sgshort.wechat.com:80", "weixin").recipient == "weixin"  # platform API
    assert endpoints.resolve(None, None, "203.0.113.7", "wechat").recipient == "unknown_third_party"


def test_host_patterns_and_unknown_hosts_are_third_parties(endpoints, onto):
    from policycheck.flows.endpoints import host_matches

    assert host_matches("sgshort.wechat.com", "wechat.com") and host_matches("wechat.com", "wechat.com")
    assert host_matches("a.b.ads.test", "*.ads.test") and not host_matches("ads.test", "*.ads.test")
    assert host_matches("sg2short.wechat.com", "sg*.wechat.com") and not host_matches("xwechat.com", "wechat.com")
    patterned = type(endpoints)(endpoints.request_types, endpoints.rules, endpoints.platform_hosts,
                                endpoints.schemas, sorted([*endpoints.entity_hosts, ("*.ads.test", "advertiser"),
                                                           ("cdn.ads.test", "cdn_provider")],
                                                          key=lambda p: -len(p[0].replace("*", ""))))
    assert patterned.resolve("/x", None, "t.ads.test", "wechat").recipient == "advertiser"
    assert patterned.resolve("/x", None, "CDN.ads.test.", "wechat").recipient == "cdn_provider"  # most specific
    unknown = onto.entities["unknown_third_party"]
    assert "third_party" in unknown.parents and unknown.attrs["kind"] == "third_party"


def test_dataset_csv_adds_paths_and_skips_ambiguous_ids(endpoints, tmp_path):
    folder = tmp_path / "dataset" / "network_logs"
    folder.mkdir(parents=True)
    (tmp_path / "dataset" / "request_types.csv").write_text(
        "4242,/cgi-bin/micromsg-bin/newsendmsg\n4343,/a/x\n4343,/a/y\n", encoding="utf-8")
    capture = folder / "x.log.jsonl"
    csv_path = dataset_request_types(capture)
    assert csv_path == tmp_path / "dataset" / "request_types.csv"
    merged = endpoints.with_dataset_types(csv_path)
    assert merged.resolve(None, 4242, None, "wechat").feature == "messaging"
    assert merged.path_for(4343) is None and "4343" in merged.notes[0]


def test_bad_endpoint_file_names_file_and_line(tmp_path):
    mappings = tmp_path / "mappings"
    shutil.copytree(config.mappings_dir(), mappings)
    path: Path = mappings / "endpoints.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("feature: werun", "feature: jogging"), encoding="utf-8")
    onto = ontology.load(mappings)
    with pytest.raises(PolicycheckError, match=r"endpoints.yaml:\d+: rules\[\d+\].feature: unknown feature 'jogging'"):
        EndpointMap.load(mappings, onto)
    path.write_text(text.replace("pattern: finder,", "pattern: 'finder(',"), encoding="utf-8")
    with pytest.raises(PolicycheckError, match=r"endpoints.yaml:\d+: rules\[\d+\].pattern: bad pattern"):
        EndpointMap.load(mappings, onto)
    path.write_text(text.replace("feature: search}", "feature: searching}", 1), encoding="utf-8")
    with pytest.raises(PolicycheckError, match=r"endpoints.yaml:\d+: relays\[0\].apis\[0\].feature: unknown feature"):
        EndpointMap.load(mappings, onto)


def _relayed_calls(path: Path, req_type: int) -> list[tuple[bytes, dict]]:
    """(body, JSON object) of every request of ``req_type`` in a 2023 log whose body is protobuf field 1 holding a
    JSON object (read here with the wire format's own rules, not with policycheck's decoder)."""
    calls = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["req_id"] != req_type:
            continue
        body = bytes.fromhex(record["data"])
        length, shift, i = 0, 0, 1
        while body[i] & 0x80:
            length |= (body[i] & 0x7F) << shift
            shift, i = shift + 7, i + 1
        length |= body[i] << shift
        calls.append((body, json.loads(body[i + 1:i + 1 + length])))
    return calls


def test_a_relay_request_type_gets_the_feature_of_the_api_its_body_names(endpoints, tmp_path, onto):
    """Request type 2975 (no known path) relays calls to several backend APIs, each body naming its API
    (``cgiName``). Those calling WeChat Search's query hints (the searched ``query``, a ``search_id``, the clicked
    result) are Search, a feature operated by Weixin: the audit of single gap rows found the searched words judged
    under feature ``unknown``, "vague" through the WeChat policy's "statistics about your use of WeChat", instead of
    handed off with the other Search requests. An API whose name says no feature stays ``unknown``."""
    log = require_shared(*LOGS_2023) / "download_miniapp_1.log.jsonl"
    calls = _relayed_calls(log, 2975)
    searches = [body for body, call in calls if {"query", "search_id"} <= set(call["data"])]
    others = [body for body, call in calls if "query" not in call["data"]]
    assert searches and others and len(searches) + len(others) == len(calls)
    for body in searches:
        endpoint = endpoints.resolve(None, 2975, None, "wechat", body)
        assert endpoint.feature == "search" and endpoint.basis.startswith("relay cgiName "), endpoint
    assert {endpoints.resolve(None, 2975, None, "wechat", body).feature for body in others} == {"unknown"}
    assert endpoints.resolve(None, 2975, None, "wechat").feature == "unknown"  # no body looked at
    con, _results = ingest_into(tmp_path / "store.duckdb", onto, [log], profile=PROFILES / "citizenlab-2023.yaml")
    searched = con.execute("select distinct f.feature from flows f join observations o using (flow_id) "
                           "where f.req_type_id = 2975 and o.data_type = 'search_history'").fetchall()
    con.close()
    assert searched == [("search",)]
