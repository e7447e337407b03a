"""Device-profile matching rules that a second device needs, on constructed payloads (invented values).

The 2023 test device hid these: its model is 18 characters, its uin below 2^31, its brand and manufacturer differ in
case, its OS release is a number WeChat's counters also take. The second-device corpus (test_second_device.py)
checks the same rules on the real logs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pbwrite import field, message

from policycheck.flows.decode import decode
from policycheck.flows.detectors import Detectors
from policycheck.flows.profile import DeviceProfile
from policycheck.ontology import Ontology
from tests.conftest import project_ontology


def detectors_for(tmp_path: Path, values: dict) -> Detectors:
    profile = tmp_path / "phone.yaml"
    profile.write_text(json.dumps({"device": "invented", "values": values}), encoding="utf-8")
    onto: Ontology = project_ontology()
    return Detectors.build(onto, Path(__file__).resolve().parents[2] / "mappings", DeviceProfile.load(profile, onto))


def found(detectors: Detectors, body: bytes, prefix: str = "profile") -> set[tuple[str, str, float]]:
    return {(f.data_type, f.path, f.confidence) for f in detectors.find(decode(body).leaves, body)
            if f.detector.startswith(prefix)}


def test_short_numbers_are_not_searched_but_named_fields_still_count(tmp_path):
    detectors = detectors_for(tmp_path, {"os_version": ["13", "Android 13"], "os_api_level": "android-33"})
    counters = message(field(1, "13"), field(2, "1,13,7"), field(3, "Android 13"))
    assert found(detectors, counters) == {("os_version", "3", 0.95)}
    named = json.dumps({"os_version": "13", "sdk_int": "33"}).encode()
    assert {(f.data_type, f.detector) for f in detectors.find(decode(named).leaves, named)} >= {("os_version", "key")}


@pytest.mark.parametrize("stated", ["3094716528", "-1200250768"])
def test_a_uin_above_2_31_is_found_in_both_readings(tmp_path, stated):
    detectors = detectors_for(tmp_path, {"internal_user_id": stated})
    unsigned = message(field(1, message(field(2, 3094716528))), field(2, "hash=3094716528&ts=1"))
    # a negative int32 travels as a 10-byte varint
    signed = message(field(1, message(field(2, -1200250768))), field(2, "uin=-1200250768&ts=1"))
    for body in (unsigned, signed):
        paths = {path for data_type, path, _ in found(detectors, body) if data_type == "internal_user_id"}
        assert {"1.2", "2/?hash" if body is unsigned else "2/?uin"} <= paths, (stated, paths)
    below = detectors_for(tmp_path, {"internal_user_id": "1505495000"})
    assert not found(below, message(field(2, "-2789472296")))  # no second reading below 2^31


def test_a_short_model_is_found_where_it_is_written_together_with_the_cpu_abi(tmp_path):
    detectors = detectors_for(tmp_path, {"device_model": ["Pixel 7", "SM-S9110"], "mobile_carrier": "Verizon"})
    body = message(field(2, "Pixel 7arm64-v8a"), field(3, "SM-S9110arm64-v8a"), field(4, "Verizonia"))
    assert found(detectors, body) == {("device_model", "2", 0.85), ("device_model", "3", 0.85)}


def test_one_value_of_two_types_is_told_apart_by_the_key_else_both(tmp_path):
    detectors = detectors_for(tmp_path, {"device_brand": "samsung", "device_manufacturer": "samsung"})
    keyed = json.dumps({"devicebrand": "samsung", "manufacturer": "samsung", "other": "samsung"}).encode()
    assert found(detectors, keyed) == {("device_brand", "$.devicebrand", 0.95),
                                       ("device_manufacturer", "$.manufacturer", 0.95),
                                       ("device_brand", "$.other", 0.95), ("device_manufacturer", "$.other", 0.95)}
    cased = detectors_for(tmp_path, {"device_brand": "google", "device_manufacturer": "Google"})
    assert found(cased, message(field(1, "google"), field(2, "Google"))) == {("device_brand", "1", 0.95),
                                                                            ("device_manufacturer", "2", 0.95)}


def test_the_same_finding_in_a_repeated_field_keeps_its_best_confidence(tmp_path):
    detectors = detectors_for(tmp_path, {"device_brand": "samsung"})
    repeated = message(field(3, "samsung-SM-S9110"), field(3, "samsung"))  # both leaves have path 3
    assert found(detectors, repeated) == {("device_brand", "3", 0.95)}


def test_a_national_phone_number_agrees_with_its_type(tmp_path):
    detectors = detectors_for(tmp_path, {"phone_number": "138 0013 8000"})
    body = json.dumps({"mobile": "13800138000", "note": "138 0013 8000", "flag": "1"}).encode()
    by_detector = {(f.data_type, f.path, f.detector, f.confidence) for f in detectors.find(decode(body).leaves, body)}
    assert ("phone_number", "$.mobile", "key", 0.9) in by_detector
    assert ("phone_number", "$.note", "profile", 0.95) in by_detector
    assert not [f for f in by_detector if f[1] == "$.flag"]
    repeated_digit = json.dumps({"mobile": "0000000"}).encode()
    assert {f.confidence for f in detectors.find(decode(repeated_digit).leaves, repeated_digit)} == {0.4}


def test_notes_name_what_a_profile_leaves_to_the_other_detectors(tmp_path, onto):
    path = tmp_path / "about-phone.yaml"
    path.write_text(json.dumps({"values": {"device_model": "SM-S9110", "os_version": ["14", "Android 14"]}}),
                    encoding="utf-8")
    notes = DeviceProfile.load(path, onto).notes()
    assert len(notes) == 2 and "internal_user_id" in notes[0] and "device_model" not in notes[0]
    assert "values.os_version: 1 number(s)" in notes[1]
    assert not any(v in note for v in ("SM-S9110", "14") for note in notes)
