"""Hostile captures (issue 14): a corpus of bad inputs built at test time from the real 2023 captures.

Each bad line or body sits among real lines; the outcome asserted is the exit status, the one line naming
file and line, and that every good line is still stored. Limits: policycheck/flows/limits.py.
"""

from __future__ import annotations

import gzip
import json
import time
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from conftest import LOGS_2023, PROFILES, profile_values, real_lines_of
from typer.testing import CliRunner

from policycheck import store
from policycheck.cli import app
from policycheck.flows import limits
from tests.conftest import workspace

GOOD = 24


def _line(body: bytes, req_type: str | None = None) -> str:
    return json.dumps({"data": body.hex(), "req_id": 2946, "req_type": req_type})


def _gzip_times(body: bytes, times: int) -> bytes:
    for _ in range(times):
        body = gzip.compress(body, 1)
    return body


def hostile_capture(tmp_path: Path) -> tuple[Path, list[str], dict[str, int]]:
    """Real lines with, between them, each hostile case of the issue. Returns the file, the good lines and
    the line number of each bad one."""
    good = real_lines_of(require_log(), GOOD)
    real_body = bytes.fromhex(json.loads(good[0])["data"])
    bad_lines = {
        "gzip_3000": _line(_gzip_times(real_body, 3000)),
        "json_line_deep": '{"data": "0a00", "req_id": 1, "x": ' + "[" * 200_000 + "]" * 200_000 + "}",
        "json_body_deep": _line(b"[" * 50_000 + b"]" * 50_000),
        "xml_body_deep": _line(b"<a>" * 5_000 + b"</a>" * 5_000),
        "gzip_31kb": _line(gzip.compress(b"1," * (16 << 20), 9)),
    }
    lines: list[str] = []
    where = {}
    for i, line in enumerate(good):
        lines.append(line)
        if i % 4 == 1 and bad_lines:
            name, bad = bad_lines.popitem()
            where[name] = len(lines) + 1
            lines.append(bad)
    path = tmp_path / "hostile_session_1.log.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, good, where


def require_log() -> Path:
    from tests.conftest import require_shared

    return require_shared(*LOGS_2023) / "start_miniapp_example_data_1.log.jsonl"


@pytest.mark.slow
def test_hostile_lines_and_bodies_are_named_and_skipped_the_rest_kept(tmp_path):
    path, good, where = hostile_capture(tmp_path)
    db = tmp_path / "h.duckdb"
    started = time.perf_counter()
    result = CliRunner().invoke(app, ["ingest", "--db", str(db), str(path)])
    seconds = time.perf_counter() - started
    assert result.exit_code == 2, result.output  # some input was skipped
    assert "Traceback" not in result.output and "RecursionError" not in result.output
    output = " ".join(result.output.split())
    assert f"{path}:{where['json_line_deep']}: JSON nested deeper than {limits.MAX_NESTING} levels; line skipped" \
        in output
    for name, limit in (("gzip_3000", f"nested deeper than {limits.MAX_LAYERS} layers"),
                        ("json_body_deep", f"JSON nested deeper than {limits.MAX_NESTING} levels"),
                        ("xml_body_deep", f"XML nested deeper than {limits.MAX_NESTING} levels"),
                        ("gzip_31kb", "expands to more than")):
        assert f"{path}:{where[name]}: body {limit}" in output, name
    con = store.open_store(db, store.READ)
    flows = dict(con.execute("select line, decode_status from flows").fetchall())
    # every good line is stored and decoded as before; each hostile body is a flow kept undecoded
    assert len(flows) == len(good) + len(where) - 1
    assert flows[where["gzip_3000"]] == flows[where["json_body_deep"]] == flows[where["xml_body_deep"]] == "too_deep"
    assert flows[where["gzip_31kb"]] == "too_large"
    assert where["json_line_deep"] not in flows
    stored = {line for line, in con.execute("select line from ingest_problems").fetchall()}
    assert stored == set(where.values())
    assert seconds < 20, f"ingesting {len(good)} good and {len(where)} hostile lines took {seconds:.1f} s"


def test_long_line_is_skipped_without_holding_it(tmp_path):
    good = real_lines_of(require_log(), 3)
    path = tmp_path / "long_1.log.jsonl"
    path.write_text(good[0] + "\n" + '{"data": "' + "0a" * 40_000 + '"}\n' + good[1] + "\n", encoding="utf-8")
    with path.open("rb") as handle:
        read = list(limits.lines(handle, max_bytes=10_000))
    assert [(n, raw is None) for n, raw, _ in read] == [(1, False), (2, True), (3, False)]
    assert read[1][2] == 80_000 + len('{"data": ""}\n')


@pytest.mark.slow
def test_identifier_element_and_attribute_names_are_redacted(tmp_path):
    """Identifiers used as XML element or attribute names, or as JSON keys, never reach
    observations.field_path / field_name or the report unredacted: a name with 4+ digits (every value of the
    2023 profile) is stored by position, one the profile or a value pattern names is redacted (prefix~hash)."""
    real = next(v for v in profile_values("citizenlab-2023.yaml") if v.isidentifier() and len(v) >= 8)
    account = "wxid_" + "".join(chr(ord("a") + (ord(c) % 26)) for c in real)  # a wechat id without digits
    profile = yaml.safe_load((PROFILES / "citizenlab-2023.yaml").read_text(encoding="utf-8"))
    profile["values"]["wechat_id"] = [account]
    profile_path = tmp_path / "profile.yaml"
    profile_path.write_text(yaml.safe_dump(profile), encoding="utf-8")
    imei = _imei()
    xml = (f'<msg><{real}><imei>{imei}</imei></{real}><{account}><imei>{imei}</imei></{account}>'
           f'<info {real}="{imei}" {account}="{imei}"/></msg>')
    body = json.dumps({"payload": xml, real: {"imei": imei}, account: {"imei": imei}}).encode()
    good = real_lines_of(require_log(), 3)
    path = tmp_path / "names_1.log.jsonl"
    path.write_text("\n".join([*good, _line(body, "/cgi-bin/micromsg-bin/reportstrategy")]) + "\n", encoding="utf-8")
    db = tmp_path / "n.duckdb"
    result = CliRunner().invoke(app, ["ingest", "--db", str(db), "--profile", str(profile_path), str(path)])
    assert result.exit_code == 0, result.output
    con = store.open_store(db, store.READ)
    rows = con.execute("select field_path, coalesce(field_name, '') from observations o join flows f using (flow_id)"
                       " where f.line = 4").fetchall()
    assert len(rows) >= 6, rows
    for field_path, field_name in rows:
        for secret in (real, account):
            assert secret.lower() not in field_path.lower() and secret.lower() not in field_name.lower()
    redacted = [p for p, _ in rows if "~" in p]
    assert any("xml:/msg/" in p for p in redacted) and any("@" in p for p in redacted) and \
        any(p.startswith("$.") for p in redacted), rows
    report = CliRunner().invoke(app, ["report", "--db", str(db), "--out", str(tmp_path / "r")])
    assert report.exit_code == 0, report.output
    for written in (tmp_path / "r" / "report").iterdir():
        text = written.read_text(encoding="utf-8").lower()
        assert real.lower() not in text and account.lower() not in text


def _imei() -> str:
    digits = "49015420323751"
    total = sum(int(d) if i % 2 == 0 else sum(divmod(int(d) * 2, 10)) for i, d in enumerate(digits))
    return digits + str((10 - total % 10) % 10)


@pytest.mark.slow
def test_folder_without_captures_and_vanishing_files_are_named(tmp_path, onto):
    from policycheck.events import Event, Progressed
    from policycheck.flows.ingest import IngestOptions, ingest

    empty = tmp_path / "nothing"
    empty.mkdir()
    (empty / "notes.md").write_text("# not a capture\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", "--db", str(tmp_path / "e.duckdb"), str(empty)])
    assert result.exit_code == 2, result.output
    assert f"{empty}: no capture in this folder" in " ".join(result.output.split())

    folder = tmp_path / "captures"
    folder.mkdir()
    good = real_lines_of(require_log(), 6)
    for i in range(3):
        (folder / f"part_{i}.log.jsonl").write_text("\n".join(good[i * 2:i * 2 + 2]) + "\n", encoding="utf-8")

    def vanish(event: Event) -> None:  # deletes the next file of the folder (listed already) once one is started
        if isinstance(event, Progressed) and event.stage == "captures":
            (folder / "part_1.log.jsonl").unlink(missing_ok=True)

    con = store.open_store(tmp_path / "v.duckdb", store.WRITE)
    ws = workspace(con, onto)
    ws.events.subscribe(vanish)
    results = ingest(ws, [folder], IngestOptions())
    by_name = {r.path.name: r for r in results}
    assert by_name["part_1.log.jsonl"].status == "failed"
    assert "No such file" in by_name["part_1.log.jsonl"].message
    assert by_name["part_0.log.jsonl"].status == by_name["part_2.log.jsonl"].status == "ingested"
    assert con.execute("select count(*) from flows").fetchall()[0][0] == 4


def test_implausible_capture_time_option_is_refused(tmp_path, onto):
    from policycheck.errors import PolicycheckError
    from policycheck.flows.ingest import IngestOptions, ingest

    good = real_lines_of(require_log(), 2)
    path = tmp_path / "t_1.log.jsonl"
    path.write_text("\n".join(good) + "\n", encoding="utf-8")
    con = store.open_store(tmp_path / "t.duckdb", store.WRITE)
    with pytest.raises(PolicycheckError, match=r"--captured-at: 2099-01-01T00:00:00 is not plausible"):
        ingest(workspace(con, onto), [path], IngestOptions(captured_at=datetime(2099, 1, 1)))
    assert con.execute("select count(*) from flows").fetchall() == [(0,)]
