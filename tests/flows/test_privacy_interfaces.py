"""The Mini Program privacy-interface table (mappings/privacy_interfaces.yaml) and the privacy_interface detector
(issue 13, item 3): every entry names existing data types and a cited source; fields naming an interface or scope
become observations of the data types it hands to the developer; a malformed table is one line naming file and
line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from policycheck import config
from policycheck.errors import PolicycheckError
from policycheck.flows.decode import decode
from policycheck.flows.detectors import Detectors, KeyDetector, PatternDetector, PrivacyInterfaceDetector
from policycheck.flows.detectors.privacy_interface import TABLE_FILE, InterfaceTable
from policycheck.flows.model import Leaf
from tests.flows.pbwrite import field, message


@pytest.fixture(scope="module")
def table(onto):
    return InterfaceTable.load(config.mappings_dir(), onto)


def test_every_entry_names_existing_data_types_and_a_dated_source(table, onto):
    assert len(table.interfaces) >= 20
    for interface in table.interfaces.values():
        assert interface.data_types and all(d in onto.data_types for d in interface.data_types), interface.name
        assert interface.sources and all(s in table.sources for s in interface.sources), interface.name
    for source in table.sources.values():
        assert source.url.startswith("https://developers.weixin.qq.com/miniprogram/"), source.url
        assert isinstance(source.read, date)
    # the interfaces the documentation ties to location, as it names them
    assert table.interfaces["getLocation"].data_types == ("precise_location",)
    assert table.interfaces["scope.userLocation"].data_types == ("precise_location",)
    assert table.interfaces["getFuzzyLocation"].data_types == ("approximate_location",)
    assert set(table.interfaces["chooseAddress"].data_types) == {"name", "phone_number", "postal_address"}


def test_values_that_name_an_interface(table):
    detector = PrivacyInterfaceDetector(table)
    leaves = [Leaf("6", "getLocation"), Leaf("3/$.api", "wx.chooseAddress", name="api"),
              Leaf("4/$.scope[0]", "scope.userLocation", name="scope"), Leaf("5", "moveToLocation"),
              Leaf("7", "getLocations"), Leaf("8", "my getLocation call"), Leaf("9", 12), Leaf("10", "")]
    found = detector.find(leaves, [leaf.text() for leaf in leaves], b"")
    assert sorted((f.path, f.data_type, f.detector) for f in found) == [
        ("3/$.api", "name", "privacy_interface:chooseAddress"),
        ("3/$.api", "phone_number", "privacy_interface:chooseAddress"),
        ("3/$.api", "postal_address", "privacy_interface:chooseAddress"),
        ("4/$.scope[0]", "precise_location", "privacy_interface:scope.userLocation"),
        ("5", "precise_location", "privacy_interface:MapContext.moveToLocation"),
        ("6", "precise_location", "privacy_interface:getLocation"),
    ]
    assert {f.confidence for f in found} == {0.9}
    assert {f.field_name for f in found if f.path == "3/$.api"} == {"api"}


def test_a_js_authorize_body_gives_the_observation(table, onto):
    # the shape of a js-authorize request: base request, app id (field 2), interface name (field 6)
    body = message(field(1, message(field(2, 1234567890), field(5, "android-32"))), field(2, "wx0123456789abcdef"),
                   field(4, 0), field(6, "getLocation"))
    patterns = PatternDetector(onto)
    detectors = Detectors(KeyDetector(onto, patterns), patterns, None, PrivacyInterfaceDetector(table))
    found = [f for f in detectors.find(decode(body).leaves, body) if f.detector.startswith("privacy_interface")]
    assert [(f.path, f.data_type) for f in found] == [("6", "precise_location")]


@pytest.mark.parametrize(("text", "message"), [
    ("sources: {}\ninterfaces: {}\n", "privacy_interfaces.yaml:2: interfaces: Input should be a valid list"),
    ("sources: {}\ninterfaces:\n  - name: getLocation\n    kind: api\n    data_types: [location]\n"
     "    information: x\n    sources: [a]\n", "not listed under 'sources'"),
    ("sources:\n  a: {url: 'https://developers.weixin.qq.com/x', title: t, read: 2026-12-05}\ninterfaces:\n"
     "  - name: getLocation\n    kind: api\n    data_types: [gps]\n    information: x\n    sources: [a]\n",
     "'gps' is not a data type"),
    ("sources:\n  a: {url: 'http://example.org', title: t, read: 2026-12-05}\ninterfaces: []\n", "https URL"),
    ("sources:\n  a: {url: 'https://developers.weixin.qq.com/x', title: t, read: 2026-12-05}\ninterfaces:\n"
     "  - {name: getLocation, kind: api, data_types: [location], information: x, sources: [a]}\n"
     "  - {name: getLocation, kind: api, data_types: [location], information: x, sources: [a]}\n",
     "already names interface"),
])
def test_a_malformed_table_is_refused_with_its_place(tmp_path, onto, text, message):
    (tmp_path / TABLE_FILE).write_text(text, encoding="utf-8")
    with pytest.raises(PolicycheckError, match=message) as caught:
        InterfaceTable.load(tmp_path, onto)
    assert str(caught.value).startswith(str(Path(tmp_path / TABLE_FILE)))
