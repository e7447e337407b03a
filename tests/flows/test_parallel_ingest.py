"""Ingest in worker processes (issue 16) stores exactly what one process stores, and overlap is found at ingest.

The same real 2023 captures (../shared) are ingested into two stores sharing one redaction salt, once with one
process and once with two workers (files read ahead, stored in order in batches of whole files): every table
must be equal row for row. Hand-made cumulative logs check the prefix hashes and ``capture_coverage``.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import duckdb
import pytest
from conftest import LOGS_2023, PROFILES

from policycheck import store
from policycheck.flows import overlap, redact
from policycheck.flows.ingest import IngestOptions, ingest
from policycheck.flows.readers.citizenlab import CitizenLabReader
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


def test_stored_prefix_hashes_are_what_the_sql_gives(tmp_path, onto, monkeypatch):
    """The prefix hashes the workers compute (``overlap.prefix_hashes``) are the numbers of the SQL definition
    (``overlap.PREFIX_HASH``, which fills the flows of older stores) on the cumulative real logs."""
    logs = require_shared(*LOGS_2023)
    con, _ = _ingest(tmp_path / "p.duckdb", onto, [logs / name for name in FILES], "2", None, monkeypatch)
    stored = con.execute("select flow_id, prefix_hash from flows order by flow_id").fetchall()
    con.execute("begin transaction")
    overlap.fill_prefixes(con)
    assert con.execute("select flow_id, prefix_hash from flows order by flow_id").fetchall() == stored
    con.execute("rollback")
    assert sum(h is not None for _, h in stored) > 1000


def test_prefix_hashes_follow_the_sql_window_on_any_line_order():
    """Shuffled lines, gaps, several requests on one line, lines not starting at 1, NULL body hashes and request
    types: the numpy computation equals DuckDB's window (default RANGE frame) row for row."""
    rng = random.Random(16)
    con = duckdb.connect()
    con.execute("create table flows (i integer, capture_id integer, line integer, body_hash varchar, "
                "req_type_id integer)")
    for case in range(60):
        count = rng.randint(0, 12)
        lines = [n + 1 for n in range(count)]
        if case % 3 == 1:
            lines = [rng.randint(1, count + 1) for _ in range(count)]  # repeats and gaps
        rng.shuffle(lines)
        bodies = [rng.choice([None, "a1", "b2", f"{case:x}"]) for _ in lines]
        types = [rng.choice([None, 1, 522]) for _ in lines]
        con.execute("delete from flows")
        if lines:
            con.executemany("insert into flows values (?, 1, ?, ?, ?)",
                            [[i, n, b, t] for i, (n, b, t) in enumerate(zip(lines, bodies, types, strict=True))])
        expected = dict(con.execute(f"select i, {overlap.PREFIX_HASH} from flows "
                                    "window w as (partition by capture_id order by line)").fetchall())
        assert dict(enumerate(overlap.prefix_hashes(lines, bodies, types).to_pylist())) == expected, lines


def test_repeated_lines_read_as_when_first_parsed(tmp_path):
    """A line seen before (same bytes, another line number) is taken from the reader's memory of parsed lines:
    the same request as a first parse gives, with its own line number; bad lines are still reported."""
    body = json.dumps({"data": "0a0568656c6c6f", "req_id": 522, "req_type": "/cgi-bin/micromsg-bin/x"})
    bad = json.dumps({"data": "0a0zz", "req_id": "x"})
    first, again = tmp_path / "a.log.jsonl", tmp_path / "b.log.jsonl"
    first.write_text(f"{body}\n{bad}\n", encoding="utf-8")
    again.write_text(f"\n{bad}\n{body}\n{body}\n[1]\n", encoding="utf-8")
    reader = CitizenLabReader()
    parsed = list(reader.read(first))
    repeated = list(reader.read(again))
    assert [(r.line, r.body, r.path, r.req_type_id, r.problem) for r in repeated[1:3]] == \
        [(n, parsed[0].body, parsed[0].path, parsed[0].req_type_id, None) for n in (3, 4)]
    assert (repeated[0].line, repeated[0].problem) == (2, parsed[1].problem) and "not hex" in parsed[1].problem
    assert repeated[0].req_type_id is None and repeated[0].body is None
    assert repeated[3].line == 5 and "not a JSON object" in repeated[3].problem


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
