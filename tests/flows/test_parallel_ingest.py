"""Ingest in worker processes (issue 16) stores exactly what one process stores, and overlap is found at ingest.

The same real 2023 captures (../shared) are ingested into two stores sharing one redaction salt, once with one
process and once with two workers (files read ahead, stored in order in batches of whole files): every table
must be equal row for row. Hand-made cumulative logs check the prefix hashes and ``capture_coverage``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import LOGS_2023, PROFILES

from policycheck import store
from policycheck.flows import overlap, redact
from policycheck.flows.ingest import IngestOptions, ingest
from tests.conftest import require_shared, workspace

REFERENCE = Path(__file__).parents[1] / "gaps" / "reference" / "gaps_pre16.sql"
TABLES = ("captures", "capture_aliases", "capture_coverage", "flows", "observations", "ingest_problems", "responses")
# the cumulative login logs, an in-run duplicate pair (People Nearby = hook test), a Mini Program session
FILES = ("login_1.log.jsonl", "login_3.log.jsonl", "login_permissions_on_1.log.jsonl",
         "intercept_hybrid_ecdh_java.log.jsonl", "load_people_nearby_location_permissions_on_1.log.jsonl",
         "start_miniapp_example_data_1.log.jsonl")


def _ingest(db: Path, onto, paths: list[Path], workers: str, salt: str | None, monkeypatch) -> tuple:
    monkeypatch.setenv("POLICYCHECK_WORKERS", workers)
    con = store.open_store(db, store.WRITE)
    if salt is not None:
        con.execute("insert into settings values (?, ?)", [redact.SALT_KEY, salt])
    results = ingest(workspace(con, onto), paths, IngestOptions(profile=PROFILES / "citizenlab-2023.yaml"))
    return con, results


def _table(con, table: str) -> list[tuple]:
    columns = [c for (c,) in con.execute("select column_name from information_schema.columns where table_name = ? "
                                         "and column_name not in ('ingested_at', 'recorded_at')", [table]).fetchall()]
    return con.execute(f"select {', '.join(columns)} from {table} order by all").fetchall()


def test_two_workers_store_what_one_process_stores(tmp_path, onto, monkeypatch):
    logs = require_shared(*LOGS_2023)
    paths = [logs / name for name in FILES]
    one, one_results = _ingest(tmp_path / "one.duckdb", onto, paths, "1", None, monkeypatch)
    salt = redact.store_salt(one)
    two, two_results = _ingest(tmp_path / "two.duckdb", onto, paths, "2", salt, monkeypatch)
    assert [(r.path.name, r.status, r.capture_id, r.requests, r.observations) for r in one_results] == \
        [(r.path.name, r.status, r.capture_id, r.requests, r.observations) for r in two_results]
    assert [r.status for r in two_results].count("duplicate") == 1  # the in-run duplicate waited for its twin
    for table in TABLES:
        assert _table(one, table) == _table(two, table), table
    assert one.execute("select count(*) from flows").fetchall()[0][0] > 2000


def test_coverage_is_the_pairwise_comparison(tmp_path, onto, monkeypatch):
    """capture_coverage equals what the pairwise line-by-line comparison it replaced gives (the views
    capture_overlaps and capture_coverage of the reference SQL, tests/gaps/reference) on the cumulative real logs."""
    logs = require_shared(*LOGS_2023)
    con, _ = _ingest(tmp_path / "c.duckdb", onto, [logs / name for name in FILES], "2", None, monkeypatch)
    reference = con.cursor()
    for statement in reference.extract_statements(REFERENCE.read_text(encoding="utf-8")):
        if re.search(r"create or replace view (capture_overlaps|capture_coverage) as", statement.query):
            reference.execute(statement.query.replace("create or replace view", "create temp view", 1))
    pairwise = reference.execute("""
        select c.capture_id, coalesce(v.covered_lines, 0), coalesce(max(o.common_prefix), 0)
        from captures c left join capture_coverage v using (capture_id) left join capture_overlaps o using (capture_id)
        group by all order by 1""").fetchall()
    stored = con.execute("select capture_id, covered_lines, overlap_lines from capture_coverage order by 1").fetchall()
    assert stored == pairwise
    assert sum(covered for _, covered, _ in stored) > 0


def _log(path: Path, bodies: list[str]) -> Path:
    path.write_text("".join(json.dumps({"data": body, "req_id": 1, "req_type": "/cgi-bin/micromsg-bin/x"}) + "\n"
                            for body in bodies), encoding="utf-8")
    return path


@pytest.mark.slow
@pytest.mark.parametrize("workers", ["1", "2"])
def test_cumulative_logs_count_each_request_once(tmp_path, onto, monkeypatch, workers):
    """Three logs, each a prefix of the next, plus one that differs at line 2 and one that starts with a blank
    line: each shared request is counted in the shortest capture holding it; the shifted log shares nothing."""
    short = _log(tmp_path / "a_1.log.jsonl", ["0a01", "0a02"])
    middle = _log(tmp_path / "b_1.log.jsonl", ["0a01", "0a02", "0a03"])
    long = _log(tmp_path / "c_1.log.jsonl", ["0a01", "0a02", "0a03", "0a04"])
    fork = _log(tmp_path / "d_1.log.jsonl", ["0a01", "0aff", "0a03"])
    shifted = tmp_path / "e_1.log.jsonl"
    shifted.write_text("\n" + long.read_text(encoding="utf-8"), encoding="utf-8")
    con, results = _ingest(tmp_path / "s.duckdb", onto, [short, middle, long, fork, shifted], workers, None,
                           monkeypatch)
    ids = {r.path.name: r.capture_id for r in results}
    coverage = {cid: (covered, shared) for cid, covered, shared in
                con.execute("select capture_id, covered_lines, overlap_lines from capture_coverage").fetchall()}
    assert coverage[ids["a_1.log.jsonl"]] == (0, 3 - 1)  # shares 2 lines; nothing shorter covers it
    assert coverage[ids["b_1.log.jsonl"]] == (2, 3)
    assert coverage[ids["c_1.log.jsonl"]] == (3, 3)
    assert coverage[ids["d_1.log.jsonl"]] == (1, 1)  # line 1 is a's (shorter); line 2 differs
    assert coverage[ids["e_1.log.jsonl"]] == (0, 0)  # starts at line 2: compared with nothing
    distinct = con.execute("select capture_id, count(*) from distinct_flows group by 1 order by 1").fetchall()
    assert dict(distinct) == {ids["a_1.log.jsonl"]: 2, ids["b_1.log.jsonl"]: 1, ids["c_1.log.jsonl"]: 1,
                              ids["d_1.log.jsonl"]: 2, ids["e_1.log.jsonl"]: 4}
    assert overlap.overlaps(con, [ids["c_1.log.jsonl"]]) == {
        ids["c_1.log.jsonl"]: (ids["b_1.log.jsonl"], str(middle), 3, 4)}
