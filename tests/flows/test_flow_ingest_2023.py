"""Ingest of real Citizen Lab 2023 captures with the 2023 device profile (../shared).

Checks the issue's verification list: the data items of the report's Tables 1 and 2 found in these captures,
GPS coordinates and IP address, the Mini Program analytics fields of wxartrappsvr/route attributed to the
mini_programs feature with WeChat as recipient; plus aliases of byte-identical files, idempotent re-ingest,
flow times and redaction.
"""

from __future__ import annotations

import re

from conftest import FILES_2023, LOGS_2023, PROFILES, ingest_into, profile_values

from policycheck.flows.ingest import IngestOptions, ingest
from tests.conftest import require_shared, workspace

TABLES_1_2 = {  # report Tables 1-2 items present in these captures, plus GPS and IP
    "device_model", "device_brand", "operating_system", "os_version", "os_api_level", "internal_user_id",
    "platform_device_id", "imei", "device_manufacturer", "build_display", "mobile_carrier",
    "precise_location", "ip_address",
}
ROUTE_FIELDS = {
    "mini_program_appid", "page_path", "interaction_events", "device_model", "device_brand",
    "operating_system", "os_version", "network_type", "screen_size", "session_id",
}


def rows(con, sql, params=()):
    return con.execute(sql, list(params)).fetchall()


def test_tables_1_and_2_gps_and_ip_are_observed(store_2023):
    con, _ = store_2023
    found = {r[0] for r in rows(con, "select distinct data_type from observations")}
    assert found >= TABLES_1_2, TABLES_1_2 - found
    by_profile = {r[0] for r in rows(con, "select distinct data_type from observations "
                                          "where detector like 'profile%'")}
    assert {"internal_user_id", "imei", "mobile_carrier", "precise_location", "ip_address", "build_display",
            "device_manufacturer", "os_api_level"} <= by_profile


def test_route_analytics_are_mini_programs_sent_to_wechat(store_2023):
    con, _ = store_2023
    flows = rows(con, "select distinct feature, recipient from flows where path like '%/wxartrappsvr/route'")
    assert flows == [("mini_programs", "wechat")]
    types = {r[0] for r in rows(con, "select distinct o.data_type from observations o join flows f "
                                     "using (flow_id) where f.path like '%/wxartrappsvr/route' "
                                     "and o.detector = 'key'")}
    assert types >= ROUTE_FIELDS, ROUTE_FIELDS - types
    appids = rows(con, "select distinct mini_program_appid from flows where path like '%/wxartrappsvr/route'")
    assert appids and all(re.fullmatch(r"wx[0-9a-f]{16}", a[0]) for a in appids)


def test_flows_have_times_features_and_scenarios(store_2023):
    con, _ = store_2023
    assert rows(con, "select count(*) from flows where time is null") == [(0,)]
    sources = dict(rows(con, "select time_source, count(*) from flows group by 1"))
    assert sources.get("payload", 0) > 0 and sources.get("capture", 0) > 0
    years = rows(con, "select distinct year(time) from flows")
    assert years == [(2023,)]
    unknown = rows(con, "select avg((feature = 'unknown')::int) from flows")[0][0]
    assert unknown < 0.1, f"{unknown:.0%} of flows have no feature"
    captures = rows(con, "select scenario, run, format from captures order by capture_id")
    assert captures == [("start_miniapp_example_data", 1, "citizenlab-jsonl"),
                        ("intercept_hybrid_ecdh_java", None, "citizenlab-jsonl")]


def test_identical_files_are_aliases_not_lost(store_2023):
    con, results = store_2023
    statuses = [(r.path.name, r.status) for r in results]
    expected = [(FILES_2023[0], "ingested"), (FILES_2023[1], "ingested"), (FILES_2023[2], "duplicate")]
    assert statuses == expected
    alias = rows(con, "select c.scenario, a.scenario, a.run from capture_aliases a "
                      "join captures c using (capture_id)")
    assert alias == [("intercept_hybrid_ecdh_java", "load_people_nearby_location_permissions_on", 1)]
    # the 2023 logs are prefixes of one another: capture_coverage says how much of a capture another one repeats
    overlap = rows(con, "select o.overlap_lines, c.requests from capture_coverage o join captures c "
                        "using (capture_id) where c.scenario = 'intercept_hybrid_ecdh_java'")
    assert overlap == [(442, 442)]


def test_reingest_is_a_no_op(store_2023, onto):
    con, _ = store_2023
    before = rows(con, "select (select count(*) from flows), (select count(*) from observations)")
    logs = require_shared(*LOGS_2023)
    results = ingest(workspace(con, onto), [logs / FILES_2023[0]], IngestOptions())
    assert [r.status for r in results] == ["unchanged"]
    assert rows(con, "select (select count(*) from flows), (select count(*) from observations)") == before


def test_no_profile_value_is_stored_unredacted(store_2023):
    con, _ = store_2023
    values = [v for v in profile_values("citizenlab-2023.yaml") if len(v) >= 4]
    stored = rows(con, "select value_redacted from observations "
                       "union all select problem from ingest_problems")
    for (text,) in stored:
        assert not any(v.lower() in text.lower() for v in values)
    prefixes = rows(con, "select max(length(split_part(value_redacted, '~', 1))) from observations")
    assert prefixes[0][0] <= 3


def test_weixin_account_region(tmp_path, onto):
    logs = require_shared(*LOGS_2023)
    con, _ = ingest_into(tmp_path / "w.duckdb", onto, [logs / "login_3.log.jsonl"],
                         account_region="weixin", profile=PROFILES / "citizenlab-2023.yaml")
    assert rows(con, "select distinct recipient from flows") == [("weixin",)]
    assert rows(con, "select distinct account_region from captures") == [("weixin",)]
