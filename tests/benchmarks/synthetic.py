"""Grow a store with copies of its own captures: the synthetic stores of the scale benchmark and of the test that
checks the gap query's joins grow linearly (tests/gaps/test_scale_equal.py)."""

from __future__ import annotations

import duckdb

from policycheck import store
from policycheck.flows.overlap import refresh_coverage


def grow(con: duckdb.DuckDBPyConnection, copies: int) -> None:
    """Add ``copies`` copies of every capture with its flows and observations (new ids, new hashes), none of them
    overlapping anything (no prefix hash): every copied flow is a distinct request. Coverage is refreshed."""
    caps, flows, obs = con.execute("select (select max(capture_id) from captures), (select max(flow_id) from flows), "
                                   "(select max(observation_id) from observations)").fetchall()[0]
    for k in range(1, copies + 1):
        with store.transaction(con):
            con.execute("insert into captures by name select * replace (capture_id + ? as capture_id, "
                        "sha256 || '-' || ? as sha256, path || '#' || ? as path) from captures where capture_id <= ?",
                        [k * caps, k, k, caps])
            con.execute("insert into flows by name select * replace (flow_id + ? as flow_id, capture_id + ? as "
                        "capture_id, null::bigint as prefix_hash) from flows where flow_id <= ?",
                        [k * flows, k * caps, flows])
            con.execute("insert into observations by name select * replace (observation_id + ? as observation_id, "
                        "flow_id + ? as flow_id) from observations where observation_id <= ?",
                        [k * obs, k * flows, obs])
    refresh_coverage(con)
