"""Detectors on constructed payloads: value patterns, key names, device-profile encodings, redaction.

All identifiers here are invented for the test (or public documentation examples), never test-data values.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from urllib.parse import quote

import pytest
from pbwrite import field, message, varint

from policycheck.errors import PolicycheckError
from policycheck.flows.decode import decode
from policycheck.flows.detectors import Detectors, KeyDetector, PatternDetector, ProfileDetector
from policycheck.flows.model import Leaf
from policycheck.flows.profile import DeviceProfile
from policycheck.flows.redact import redact

EXAMPLE_IMEI = "490154203237518"  # the IMEI example of 3GPP/Wikipedia, valid check digit


@pytest.fixture(scope="module")
def patterns(onto):
    return PatternDetector(onto)


def findings(detector, body: bytes):
    leaves = decode(body).leaves
    return detector.find(leaves, [leaf.text() for leaf in leaves], body)


def found_types(detector, body: bytes, detector_prefix: str = "") -> set[str]:
    return {f.data_type for f in findings(detector, body) if f.detector.startswith(detector_prefix)}


def text_leaf(value: str, name: str | None = None) -> list[Leaf]:
    return [Leaf("1", value, name)]


def pattern_values(patterns, value: str, name: str | None = None) -> dict[str, float]:
    found = patterns.find(text_leaf(value, name), [value], b"")
    return {f"{f.data_type}:{f.value}": f.confidence for f in found}


def test_ip_patterns_skip_versions_and_server_addresses(patterns):
    assert "ip_address:93.184.216.34" in pattern_values(patterns, "client=93.184.216.34;")
    assert pattern_values(patterns, "2.4.1.0") == {}
    assert pattern_values(patterns, "sdk 1.0.0.0") == {}
    assert pattern_values(patterns, "93.184.216.34", name="peerIP") == {}
    assert "ip_address:2001:db8::8a2e:370:7334" in pattern_values(patterns, "v6=2001:db8::8a2e:370:7334")
    mapped = pattern_values(patterns, "::ffff:93.184.216.34:443")
    assert not any("::" in k for k in mapped), "an IPv4-mapped address is not cut into an IPv6 one"


def test_imei_needs_check_digit_and_reporting_body(patterns):
    # the shape alone says "an identifier"; a key name that names IMEI makes it one
    assert pattern_values(patterns, f"x,{EXAMPLE_IMEI},y") == {f"identifier:{EXAMPLE_IMEI}": 0.3}
    assert pattern_values(patterns, EXAMPLE_IMEI, name="deviceImei") == {f"imei:{EXAMPLE_IMEI}": 0.8}
    assert pattern_values(patterns, EXAMPLE_IMEI[:-1] + "9") == {}
    # prefix 89 is no IMEI reporting body: rejected whatever the check digit
    assert all(pattern_values(patterns, f"8934401989888{d}1") == {} for d in range(10))  # ICCID-like


def test_shape_alone_never_makes_a_specific_identifier(patterns):
    uuid = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
    assert pattern_values(patterns, uuid, name="requestId") == {f"identifier:{uuid}": 0.3}
    assert pattern_values(patterns, uuid) == {f"identifier:{uuid}": 0.3}
    assert pattern_values(patterns, uuid, name="oaid_value") == {f"advertising_id:{uuid}": 0.8}
    assert pattern_values(patterns, "0123456789abcdef", name="k9") == {"identifier:0123456789abcdef": 0.3}
    assert pattern_values(patterns, "0123456789abcdef", name="androidIdHash") == {"android_id:0123456789abcdef": 0.8}


def test_mac_phone_email_ids_tokens_agents(patterns):
    # a MAC-format value alone may be any interface's address (here an access point's BSSID): listed, not judged
    assert pattern_values(patterns, "bssid 3c:22:fb:12:34:56") == {"mac_address:3c:22:fb:12:34:56": 0.4}
    assert pattern_values(patterns, "3c:22:fb:12:34:56", name="macAddress") == {"mac_address:3c:22:fb:12:34:56": 0.8}
    assert pattern_values(patterns, "02:00:00:00:00:00") == {"mac_address:02:00:00:00:00:00": 0.3}
    assert pattern_values(patterns, "02:00:00:00:00:00", name="macAddress") == {"mac_address:02:00:00:00:00:00": 0.3}
    assert "phone_number:+1 650-253-0000" in pattern_values(patterns, "call +1 650-253-0000 now")
    assert pattern_values(patterns, "call 650-253-0000 now") == {}
    assert "email_address:jane.doe@example.org" in pattern_values(patterns, "mail jane.doe@example.org")
    assert "wechat_id:wxid_abc123def456" in pattern_values(patterns, "to=wxid_abc123def456&x=1")
    assert "mini_program_appid:wx0123456789abcdef" in pattern_values(patterns, "wx0123456789abcdef")
    token = "cAbCdEfGhIj:APA91b" + "x" * 120
    assert f"push_token:{token}" in pattern_values(patterns, token)
    agent = "Dalvik/2.1.0 (Linux; U; Android 14; Pixel 7 Build/UQ1A)"
    assert f"user_agent:{agent}" in pattern_values(patterns, agent)


def test_coordinates_only_as_pairs(patterns):
    assert found_types(patterns, field(1, "1,1690000000,-122.084,37.422,5")) == {"precise_location"}
    assert found_types(patterns, field(1, "1,37.422,5")) == set()
    assert found_types(patterns, field(1, "0.123,0.456,0.789")) == set()
    floats = message(field(2, 1), field(3, -122.084, fixed32=True), field(4, 37.422, fixed32=True),
                     field(5, 30))
    assert found_types(patterns, floats) == {"precise_location"}
    as_json = field(1, json.dumps({"lat": 48.8584, "lng": 2.2945}))
    assert found_types(patterns, as_json) == {"precise_location"}


def test_unknown_pattern_name_in_ontology_is_an_error(onto):
    concept = onto.data_types["imei"]
    concept.attrs["patterns"] = [*concept.attrs["patterns"], "no_such_pattern"]
    try:
        with pytest.raises(PolicycheckError, match="no value pattern named 'no_such_pattern'"):
            PatternDetector(onto)
    finally:
        concept.attrs["patterns"].remove("no_such_pattern")


def test_key_names_plain_qualified_and_placeholders(onto, patterns):
    keys = KeyDetector(onto, patterns)
    body = field(2, json.dumps({"devicemodel": "Pixel 7", "NetworkType": "wifi", "screen_width": 1080,
                                "clientip": "0", "os-version": "14", "ip": "not-an-ip"}))
    found = {(f.data_type, f.field_name, f.confidence) for f in findings(keys, body)}
    assert ("device_model", "devicemodel", 0.9) in found
    assert ("network_type", "NetworkType", 0.9) in found
    assert ("screen_size", "screen_width", 0.9) in found
    assert ("os_version", "os-version", 0.9) in found
    assert ("ip_address", "ip", 0.4) in found  # the key says IP, the value does not look like one: not judged
    assert not any(f[1] == "clientip" for f in found)  # "0" carries nothing
    softtype = field(5, "<r><softtype><k22>Carrier X</k22></softtype><other><k22>y</k22></other></r>")
    found = {(f.data_type, f.field_name) for f in findings(keys, softtype)}
    assert found == {("mobile_carrier", "softtype.k22")}


@pytest.mark.parametrize(("key", "value", "data_type", "confidence"), [
    ("page", "pages/index/index", "page_path", 0.9),
    ("page", "2", "page_path", 0.4),  # a pagination counter
    ("query", "coffee near me", "search_history", 0.9),
    ("query", "id=12&from=share", "search_history", 0.4),  # a page's URL query string
    ("query", "https://example.com/a?b=c", "search_history", 0.4),
    ("display", "QP1A.190711.020", "build_display", 0.9),
    ("display", "1080x2400", "build_display", 0.4),  # a screen size
    ("serial", "R58M12ABCDE", "serial_number", 0.9),
    ("serial", "17", "serial_number", 0.4),  # a sequence number
    ("release", "14", "os_version", 0.9),
    ("release", "summer sale", "os_version", 0.4),
    ("sdk", "34", "os_api_level", 0.9),
    ("devicetype", "android-34", "os_api_level", 0.9),
    ("sdk", "wx-miniprogram-sdk/2.30.1", "os_api_level", 0.4),  # a library's own version
    ("signal", "-87dBm", "network_quality", 0.9),
    ("rtt", "35,41,38", "network_quality", 0.9),
    ("signal", "strong", "network_quality", 0.4),
    ("operator", "310260", "mobile_carrier", 0.9),
    ("operator", "Carrier X", "mobile_carrier", 0.9),
    ("operator", "admin@example.com", "mobile_carrier", 0.4),  # the person who operated something
    # other systems' and devices' real values keep their 0.9
    ("release", "iPhone OS 17.1", "os_version", 0.9),  # UIDevice.systemName before iOS 16
    ("release", "Mac OS X 10_15_7", "os_version", 0.9),
    ("release", "17.1 (21B74)", "os_version", 0.9),
    ("devicetype", "iPhone iOS16.5.1", "os_api_level", 0.9),
    ("signal", "-85 dBm", "network_quality", 0.9),
    ("rtt", "35 ms", "network_quality", 0.9),
    ("signal", "80%", "network_quality", 0.9),
    ("signal", "12 asu", "network_quality", 0.9),
    ("operator", "46000,46011", "mobile_carrier", 0.9),  # dual SIM
    ("operator", "001 01", "mobile_carrier", 0.9),  # the test network
    # and what the key means in other payloads stays below the threshold
    ("release", "2024-06-01", "os_version", 0.4),  # a release's date
    ("release", "eng.root.20230101.123456", "os_version", 0.9),  # an INCREMENTAL with a date in it
    ("sdk", "2.3.1", "os_api_level", 0.4),  # a library's version: SDK_INT is an integer
    ("sdk", "v3.1.0", "os_api_level", 0.4),
    ("signal", "-85 dBm dBm", "network_quality", 0.4),
    ("query", "query GetUser($id: ID!) { user(id: $id) { name } }", "search_history", 0.4),  # GraphQL
    ("query", "mutation { like(id: 3) }", "search_history", 0.4),
    ("query", "query builder tips", "search_history", 0.9),
    ("operator", "eq", "mobile_carrier", 0.4),  # a filter's comparison
    ("operator", "contains", "mobile_carrier", 0.4),
    ("operator", "10023", "mobile_carrier", 0.4),  # a staff number: no MCC begins with 1
    ("path", "/data/user/0/com.tencent.mm/files/a.log", "page_path", 0.4),  # a crash report's file
    ("path", "/storage/emulated/0/DCIM/a.jpg", "page_path", 0.4),
    ("path", "file:///var/mobile/Containers/a.log", "page_path", 0.4),
    ("path", "/home", "page_path", 0.9),
    ("path", "/data/overview", "page_path", 0.9),
])
def test_generic_key_names_need_the_value_format(onto, patterns, key, value, data_type, confidence):
    """A generic key name types its value only when the value has the data type's format (``formats`` in
    data_types.yaml); otherwise the finding is listed at 0.4, below the default --min-confidence, never judged."""
    found = findings(KeyDetector(onto, patterns), field(2, json.dumps({key: value})))
    assert {(f.data_type, f.confidence) for f in found} == {(data_type, confidence)}


def test_unknown_format_name_in_ontology_is_an_error(onto, patterns):
    concept = onto.data_types["page_path"]
    concept.attrs["formats"] = [*concept.attrs["formats"], "no_such_format"]
    try:
        with pytest.raises(PolicycheckError, match="no value format named 'no_such_format'"):
            KeyDetector(onto, patterns)
    finally:
        concept.attrs["formats"].remove("no_such_format")


def write_profile(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "profile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


PROFILE = """
device: invented test device
values:
  phone_number: "+16502530000"
  android_id: 0123456789abcdef
  internal_user_id: "987654321"
  imei: "490154203237518"
  language_setting: en
  device_brand: acme
  device_manufacturer: ACME
  precise_location: {latitude: 48.8584, longitude: 2.2945}
  screen_size: {width: 1080, height: 2400}
"""


def test_profile_values_in_every_encoding(onto, tmp_path):
    detector = ProfileDetector(DeviceProfile.load(write_profile(tmp_path, PROFILE), onto))
    body = message(
        field(1, hashlib.md5(b"0123456789abcdef").hexdigest()),
        field(2, base64.b64encode(b"+16502530000").decode()),
        field(3, "p=" + quote("+16502530000", safe="") + "&q=1"),
        field(4, "IMEI:" + b"490154203237518".hex().upper()),
        field(5, hashlib.sha256(b"0123456789ABCDEF").hexdigest()),
        field(6, "en"), field(7, "english"), field(8, "ACME"),
        field(9, json.dumps({"w": 1080, "h": 2400, "lat": 48.85841, "lon": 2.29449})),
    )
    found = {(f.data_type, f.detector) for f in findings(detector, body)}
    assert ("android_id", "profile:md5") in found
    assert ("android_id", "profile:sha256") in found  # hash of the uppercased value
    assert ("phone_number", "profile:base64") in found
    assert ("phone_number", "profile") in found  # the form parser URL-decoded it
    assert ("imei", "profile:hex") in found
    assert ("language_setting", "profile") in found
    assert ("device_manufacturer", "profile") in found and ("device_brand", "profile") not in found
    assert ("precise_location", "profile") in found and ("screen_size", "profile") in found
    short = [f for f in findings(detector, body) if f.data_type == "language_setting"]
    assert [f.path for f in short] == ["6"], "a 2-letter value matches whole leaves only, not 'english'"


def test_profile_finds_varint_in_undecodable_bytes(onto, tmp_path):
    detector = ProfileDetector(DeviceProfile.load(write_profile(tmp_path, PROFILE), onto))
    body = bytes([0x27, 0xFF]) + varint(987654321) + b"\xfe\xfd"
    found = findings(detector, body)
    expected = [("internal_user_id", "profile:varint", "raw@2")]
    assert [(f.data_type, f.detector, f.path) for f in found] == expected


def test_profile_errors_name_file_and_line(onto, tmp_path):
    path = write_profile(tmp_path, "values:\n  shoe_size: 42\n")
    with pytest.raises(PolicycheckError, match=r"profile.yaml:2: values.shoe_size: unknown data type"):
        DeviceProfile.load(path, onto)
    with pytest.raises(PolicycheckError, match=r"profile.yaml:2: values.precise_location: a pair must be"):
        DeviceProfile.load(write_profile(tmp_path, "values:\n  precise_location: {x: 1, y: 2}\n"), onto)


def test_detectors_report_each_finding_once(onto, tmp_path, patterns):
    profile = DeviceProfile.load(write_profile(tmp_path, PROFILE), onto)
    detectors = Detectors(KeyDetector(onto, patterns), patterns, ProfileDetector(profile))
    body = field(1, json.dumps({"phone": "+16502530000", "again": "+16502530000"}))
    found = detectors.find(decode(body).leaves, body)
    keys = [(f.data_type, f.path, f.detector) for f in found]
    assert len(keys) == len(set(keys))
    assert {"profile", "key", "pattern:phone_number"} <= {f.detector for f in found}


def test_redaction_hides_values_but_keeps_them_joinable():
    salt_a, salt_b = "a" * 32, "b" * 32
    value = "+16502530000"
    token = redact(value, salt_a)
    assert value not in token and token.split("~")[0] == "+16"
    assert redact(value, salt_a) == token and redact(value.upper(), salt_a) == token
    assert redact(value, salt_b) != token
    assert redact("en", salt_a).startswith("~") and redact("wifi", salt_a).startswith("w~")
