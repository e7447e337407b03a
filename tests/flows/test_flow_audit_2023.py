"""Detections the report's fact-check found wrong on the real Citizen Lab 2023 captures (../shared).

Each test re-reads real requests with the project's endpoint map, decoders, detectors and the 2023 device
profile (as ingest does) and checks what is found in them, never a raw value.
"""

from __future__ import annotations

from conftest import LOGS_2023, PROFILES, analysed

from policycheck import config
from policycheck.flows.endpoints import EndpointMap, dataset_request_types
from policycheck.flows.model import Finding, RawRequest
from policycheck.flows.readers import ReaderSettings, open_reader
from tests.conftest import require_shared

JUDGED = 0.5  # the default --min-confidence


def findings(onto, capture: str, endpoint: str) -> list[list[Finding]]:
    """The findings in every request of the real 2023 capture file ``capture`` whose API path ends with
    ``endpoint``, one list per request."""
    out = [found for _, _, found in analysed(onto, capture, endpoint)]
    assert out, f"no {endpoint} request in {capture}"
    return out


def test_endpoint_schema_wins_over_a_signature(onto):
    """getwxsportconfig sends a device description whose field 5 reads like BaseRequest's device type: its own
    schema (SportDeviceInfo) names the fields, so an XML blob is not a session key, a brand not a user id."""
    for found in findings(onto, "load_contacts_permissions_on_1.log.jsonl", "/getwxsportconfig"):
        judged = {f.data_type for f in found if f.confidence >= JUDGED}
        assert not judged & {"access_token", "internal_user_id", "platform_device_id"}, judged
        assert {"device_brand", "device_model", "os_api_level", "device_manufacturer"} <= judged
        # the client version is field 8 ('0x' + hex digits), not BaseRequest's field 4
        assert {f.path for f in found if f.data_type == "app_version" and f.confidence >= JUDGED} == {"8"}
        assert not any(f.field_name and f.field_name.startswith("BaseRequest.") for f in found)


def test_placeholder_identifiers_are_not_judged(tmp_path, onto):
    """The 2024 login request's IMEI and MAC fields hold what Android gives apps without the permission (a
    value that is no IMEI; the constant MAC 02:00:00:00:00:00): key name and value disagree, so they stay below
    the judging threshold, while its Android ID (key and value agree) is judged."""
    from conftest import SESSION_2024, ingest_into
    con, _ = ingest_into(tmp_path / "s24.duckdb", onto, [require_shared(*SESSION_2024)], request_type="763",
                         profile=PROFILES / "citizenlab-2024.yaml", captured_at=None)
    best = dict(con.execute("select data_type, max(confidence) from observations group by 1").fetchall())
    assert best["imei"] < JUDGED and best["mac_address"] < JUDGED
    assert best["android_id"] >= JUDGED and best["build_display"] >= JUDGED


def test_profile_value_without_its_type_format_is_not_judged(onto):
    """The 2023 profile's IMEI is the placeholder the emulator reports (not 15 digits with a check digit): a
    report carrying that string is listed apart, never judged as the device's IMEI."""
    imei = [f for found in findings(onto, "load_contacts_permissions_on_1.log.jsonl", "/newreportkvcomm")
            for f in found if f.data_type == "imei"]
    assert imei and max(f.confidence for f in imei) < JUDGED


def test_card_count_at_login_is_not_payments(onto):
    """getcardcount, sent at login in the real captures, counts the cards and coupons of Cards & Offers: the
    user paid nothing, so it is not evidence about the payment services the WeChat policy hands to Weixin Pay."""
    path = require_shared(*LOGS_2023) / "login_3.log.jsonl"
    endpoints = EndpointMap.load(config.mappings_dir(), onto).with_dataset_types(dataset_request_types(path))
    features = {endpoints.resolve(r.path, r.req_type_id, r.host, "US").feature
                for r in open_reader("citizenlab-jsonl", ReaderSettings(None, None)).read(path)
                if isinstance(r, RawRequest) and (endpoints.resolve(r.path, r.req_type_id, r.host, "US").path
                                                  or "").endswith("/getcardcount")}
    assert features == {"card_wallet"}


def test_bare_addresses_in_reports_are_not_the_users_ip(onto):
    """newreportkvcomm's key-value reports list addresses as bare items; nearly all are Tencent's servers
    (outside the device profile). An address alone is listed apart; the device's own address in the same
    reports is still judged (profile), and getnetworkinfo's named client address too (key)."""
    reports = [f for found in findings(onto, "load_contacts_permissions_on_1.log.jsonl", "/newreportkvcomm")
               for f in found if f.data_type == "ip_address"]
    assert any(f.detector == "pattern:ipv4" for f in reports)
    judged = {f.detector for f in reports if f.confidence >= JUDGED}
    assert "pattern:ipv4" not in judged
    named = [f for found in findings(onto, "startup_data_1.log.jsonl", "/getnetworkinfo") for f in found
             if f.data_type == "ip_address" and f.confidence >= JUDGED]
    assert named and {f.detector for f in named} >= {"key"}


def test_wifi_access_point_address_is_not_the_device_mac(onto):
    """rtkvreport lists the Wi-Fi network's SSID and, right after it, the access point's address (BSSID, in MAC
    format): a MAC-format value without a key naming it says whose address it is no more than a bare IP address
    does, so it is listed apart, never judged as the device's MAC address (the report's fact-check: finding
    'vague: wechat receives ... mac_address in reporting' rested on this BSSID alone)."""
    reports = findings(onto, "dl_mini_program_permissions_on_1.log.jsonl", "/rtkvreport")
    macs = [f for found in reports for f in found if f.data_type == "mac_address"]
    assert macs, "the rtkvreport requests carry a MAC-format value"
    assert max(f.confidence for f in macs) < JUDGED
    assert all(f.detector == "pattern:mac_address" for f in macs)
