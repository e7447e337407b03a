"""Bad input: each bad line or file is counted and reported with file and line; the rest is ingested."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import LOGS_2023, ingest_into
from typer.testing import CliRunner

from policycheck.cli import app
from policycheck.flows import limits
from policycheck.flows.model import MAX_PROBLEMS_KEPT
from tests.conftest import require_shared

GOOD_LINES = 30


def real_lines(count: int) -> list[str]:
    path = require_shared(*LOGS_2023) / "start_miniapp_example_data_1.log.jsonl"
    with path.open(encoding="utf-8") as handle:
        return [next(handle).rstrip("\n") for _ in range(count)]


def route_line() -> str:
    path = require_shared(*LOGS_2023) / "start_miniapp_example_data_1.log.jsonl"
    with path.open(encoding="utf-8") as handle:
        return next(line for line in handle if "wxartrappsvr/route" in line)


def write_bad_capture(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    """A Citizen Lab log with good lines around: a non-JSON line, non-hex data, a truncated protobuf and a
    33 MB line (its body above the decode limit, the line within MAX_LINE_BYTES). Returns the file and the line
    number of each bad line."""
    good = real_lines(GOOD_LINES)
    route = json.loads(route_line())
    truncated = dict(route, data=route["data"][: len(route["data"]) // 4 * 2])  # half the bytes
    lines = good[:10]
    bad = {}
    bad["not_json"] = len(lines) + 1
    lines.append("this is not json {")
    bad["not_hex"] = len(lines) + 1
    lines.append(json.dumps({"data": "zz12", "req_id": 2946, "req_type": None}))
    bad["truncated"] = len(lines) + 1
    lines.append(json.dumps(truncated))
    lines.extend(good[10:20])
    bad["huge"] = len(lines) + 1
    lines.append(json.dumps({"data": "0a" * (limits.MAX_BODY_BYTES + 256 * 1024), "req_id": 2946, "req_type": None}))
    lines.extend(good[20:])
    path = tmp_path / "broken_session_3.log.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert path.stat().st_size > 2 * limits.MAX_BODY_BYTES
    return path, bad


@pytest.mark.slow
def test_bad_lines_are_reported_and_the_rest_ingested(tmp_path, onto):
    path, bad = write_bad_capture(tmp_path)
    con, results = ingest_into(tmp_path / "b.duckdb", onto, [path])
    (result,) = results
    assert result.status == "ingested" and result.scenario == "broken_session"
    problems = {p.line: p.problem for p in result.problems}
    assert problems[bad["not_json"]].startswith("not JSON")
    assert problems[bad["not_hex"]].startswith("'data' is not hex")
    assert problems[bad["truncated"]].startswith("truncated protobuf")
    assert "decode limit" in problems[bad["huge"]]
    assert set(problems) == set(bad.values())
    stored = con.execute("select line, problem from ingest_problems where path = ? order by line",
                         [str(path)]).fetchall()
    assert [line for line, _ in stored] == sorted(bad.values())
    # every line but the non-JSON one is a flow; the bad payloads say how they (did not) decode
    statuses = dict(con.execute("select line, decode_status from flows").fetchall())
    assert len(statuses) == GOOD_LINES + 3
    assert statuses[bad["not_hex"]] == "bad_data"
    assert statuses[bad["truncated"]].endswith("+truncated")
    assert statuses[bad["huge"]] == "too_large"
    # the readable half of the cut Mini Program report still yields observations
    cut = con.execute("select count(*) from observations o join flows f using (flow_id) where f.line = ?",
                      [bad["truncated"]]).fetchall()[0][0]
    assert cut > 0
    assert con.execute("select problems from captures").fetchall() == [(4,)]


@pytest.mark.slow
def test_empty_and_binary_files(tmp_path, onto):
    empty = tmp_path / "empty.log.jsonl"
    empty.write_bytes(b"")
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\x00\x01\xff" + os.urandom(4096))
    con, results = ingest_into(tmp_path / "e.duckdb", onto, [empty, binary])
    assert [(r.status, r.capture_id) for r in results] == [("empty", None), ("failed", None)]
    assert "binary file" in results[1].message
    problems = con.execute("select path, line, problem from ingest_problems order by path").fetchall()
    expected = [("blob.bin", None), ("empty.log.jsonl", None)]
    assert [(Path(p).name, line) for p, line, _ in problems] == expected
    # forcing the format reads the binary file line by line: every line a problem, nothing stored
    _, forced = ingest_into(tmp_path / "f.duckdb", onto, [binary], format="citizenlab-jsonl")
    assert forced[0].status == "failed" and forced[0].problems
    assert all(p.problem == "not UTF-8 text" or p.problem.startswith("not JSON") for p in forced[0].problems)


@pytest.mark.slow
def test_cli_reports_file_and_line_and_exits_2_for_unreadable_files(tmp_path):
    path, bad = write_bad_capture(tmp_path)
    blob = tmp_path / "blob.bin"
    blob.write_bytes(b"\x00" * 64)
    result = CliRunner().invoke(app, ["ingest", "--db", str(tmp_path / "c.duckdb"), str(path), str(blob)])
    assert result.exit_code == 2, result.output
    assert f"{path}:{bad['not_json']}: not JSON" in result.output
    assert f"{path}:{bad['truncated']}: truncated protobuf" in result.output
    assert "blob.bin" in result.output and "binary file" in result.output


def test_a_file_of_thousands_of_bad_lines_stores_the_first_thousand_and_counts_all(tmp_path, onto):
    """A damaged capture can have a problem per line or frame; the store keeps the first
    :data:`MAX_PROBLEMS_KEPT` and one row naming how many more there were, the captures row counts all."""
    bad_lines = MAX_PROBLEMS_KEPT + 1500
    lines = real_lines(GOOD_LINES) + [f"broken record {i} {{" for i in range(bad_lines)]
    path = tmp_path / "damaged_session_1.log.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    con, (result,) = ingest_into(tmp_path / "d.duckdb", onto, [path])
    assert result.status == "ingested" and result.requests == GOOD_LINES
    assert result.problem_count == bad_lines
    stored = con.execute("select line, problem from ingest_problems order by line nulls last").fetchall()
    assert len(stored) == MAX_PROBLEMS_KEPT + 1
    assert [line for line, _ in stored[:-1]] == list(range(GOOD_LINES + 1, GOOD_LINES + 1 + MAX_PROBLEMS_KEPT))
    assert stored[-1] == (None, f"1,500 more problems in this file, not stored (the first {MAX_PROBLEMS_KEPT:,} "
                                "are)")
    assert con.execute("select problems from captures").fetchall() == [(bad_lines,)]
    output = CliRunner().invoke(app, ["ingest", "--db", str(tmp_path / "c.duckdb"), str(path)]).output
    assert f"{bad_lines} problem(s)" in output and f"{bad_lines - 5} more in table ingest_problems" in output
