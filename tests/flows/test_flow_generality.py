"""Generality: key names and patterns without any profile; a second device (2024) with its own profile."""

from __future__ import annotations

from conftest import LOGS_2023, PROFILES, SESSION_2024, ingest_into, profile_values

from tests.conftest import require_shared

WITHOUT_PROFILE = {"device_model", "operating_system", "os_version", "network_type", "screen_size",
                   "precise_location", "ip_address", "page_path", "mini_program_appid"}


def data_types(con, detector_like: str) -> set[str]:
    sql = "select distinct data_type from observations where detector like ? and confidence >= 0.5"
    return {r[0] for r in con.execute(sql, [detector_like]).fetchall()}


def test_key_names_and_patterns_alone(tmp_path, onto):
    logs = require_shared(*LOGS_2023)
    con, _ = ingest_into(tmp_path / "s.duckdb", onto, [logs / "start_miniapp_example_data_1.log.jsonl"])
    by_profile = con.execute("select count(*) from observations where detector like 'profile%'").fetchall()
    assert by_profile == [(0,)]
    found = data_types(con, "key") | data_types(con, "pattern:%")
    assert found >= WITHOUT_PROFILE, WITHOUT_PROFILE - found
    # coordinates and IP come from value patterns / named fields, not from any known value
    assert "precise_location" in data_types(con, "pattern:coordinates")
    assert "ip_address" in data_types(con, "key") | data_types(con, "pattern:ipv4")


def test_second_device_found_with_its_own_profile(tmp_path, onto):
    session = require_shared(*SESSION_2024)
    con, results = ingest_into(tmp_path / "s24.duckdb", onto, [session], request_type="763",
                               profile=PROFILES / "citizenlab-2024.yaml", captured_at=None)
    assert [(r.format, r.requests, r.status) for r in results] == [("hexdump", 1, "ingested")]
    flow = con.execute("select path, feature, recipient, decode_status from flows").fetchall()
    assert flow == [("/cgi-bin/micromsg-bin/secautoauth", "login", "wechat", "protobuf+xml")]
    by_profile = data_types(con, "profile%")
    assert {"android_id", "os_api_level", "os_version", "build_display", "mobile_carrier"} <= by_profile
    # the identifiers also come out of the request's own structure, profile or not
    assert {"android_id", "build_display", "cpu_information"} <= data_types(con, "key")
    # its IMEI and MAC fields hold placeholders (no IMEI; Android's constant MAC): found, but not judged
    below = {r[0] for r in con.execute("select distinct data_type from observations where detector = 'key' "
                                       "and confidence < 0.5").fetchall()}
    assert {"imei", "mac_address"} <= below
    stored = [r[0] for r in con.execute("select value_redacted from observations").fetchall()]
    assert not any(v.lower() in s.lower() for v in profile_values("citizenlab-2024.yaml") if len(v) >= 4
                   for s in stored)


def test_first_device_profile_misses_the_second_device(tmp_path, onto):
    session = require_shared(*SESSION_2024)
    con, _ = ingest_into(tmp_path / "x.duckdb", onto, [session], request_type="763",
                         profile=PROFILES / "citizenlab-2023.yaml")
    by_profile = data_types(con, "profile%")
    assert not {"os_api_level", "build_display", "android_id"} & by_profile
