"""Endpoint knowledge: request types, path rules, recipients by account region and host, validation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policycheck import config, ontology
from policycheck.errors import PolicycheckError
from policycheck.flows.endpoints import EndpointMap, dataset_request_types


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
    assert endpoints.resolve(route, None, "tracker.example.net", "wechat").recipient == "third_party"


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
    with pytest.raises(PolicycheckError, match=r"endpoints.yaml:\d+: unknown feature 'jogging'"):
        EndpointMap.load(mappings, onto)
    path.write_text(text.replace("pattern: finder,", "pattern: 'finder(',"), encoding="utf-8")
    with pytest.raises(PolicycheckError, match=r"endpoints.yaml:\d+: bad pattern"):
        EndpointMap.load(mappings, onto)
