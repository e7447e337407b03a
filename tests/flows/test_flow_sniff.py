"""Format sniffing accepts valid files: a UTF-8 byte-order mark, CRLF line ends, a first request longer than the
sniff window, any byte in a hex dump's ASCII column, UTF-16 and UTF-32 text with a byte-order mark (real captures
re-encoded at test time); UTF-16 without one is refused with one line."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from conftest import LOGS_2023, PROFILES, SESSION_2024, ingest_into

from policycheck import store
from policycheck.flows import redact
from policycheck.flows.ingest import IngestOptions, ingest
from policycheck.flows.readers import SNIFF_BYTES, ReaderSettings, detect_format, open_reader
from tests.conftest import require_shared, workspace
from tests.test_bad_input import cli


@pytest.mark.slow
def test_citizenlab_log_with_bom_crlf_and_a_huge_first_request(tmp_path, onto):
    text = b"a first request of plain text that is longer than the sniff window " * (SNIFF_BYTES // 60)
    huge = {"data": text.hex(), "req_id": 1, "req_type": "/cgi-bin/micromsg-bin/newsync"}
    small = {"data": "0a0568656c6c6f", "req_id": 2, "req_type": None}
    path = tmp_path / "huge_first_1.log.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(huge).encode() + b"\r\n" + json.dumps(small).encode() + b"\r\n")
    with path.open("rb") as handle:
        assert detect_format(handle.read(SNIFF_BYTES)) == "citizenlab-jsonl"
    _, (result,) = ingest_into(tmp_path / "s.duckdb", onto, [path])
    assert (result.format, result.requests, result.problems) == ("citizenlab-jsonl", 2, [])


def test_hexdump_with_crlf_bom_and_a_non_ascii_ascii_column(tmp_path):
    body = bytes(range(0x30, 0x50))
    lines = []
    for offset in range(0, len(body), 16):
        chunk = body[offset:offset + 16]
        ascii_column = "é" + chunk[1:].decode("latin-1")  # a Latin-1 byte where a tool printed the character
        lines.append(f"{offset:04X}  {' '.join(f'{b:02X}' for b in chunk)}  {ascii_column}")
    path = tmp_path / "body.hex"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("latin-1") + b"\r\n")
    assert detect_format(path.read_bytes()) == "hexdump"
    (request,) = list(open_reader("hexdump", ReaderSettings()).read(path))
    assert request.body == body


# --- UTF-16 (and UTF-32) text saved by Windows tools ---------------------------------------------------------------

FLOW_ROWS = ("select f.* exclude (flow_id, capture_id) from flows f order by line")
OBSERVATION_ROWS = ("select f.line, o.* exclude (observation_id, flow_id) from observations o join flows f "
                    "using (flow_id) order by all")


def reencoded(source: Path, target: Path, encoding: str, bom: bytes = b"") -> Path:
    """A real capture file saved again as ``encoding`` (a BOM-less codec, the BOM written first when given), as a
    Windows tool writes it: CRLF line ends."""
    text = source.read_bytes().decode("utf-8").replace("\r\n", "\n").replace("\n", "\r\n")
    target.write_bytes(bom + text.encode(encoding))
    return target


@pytest.mark.parametrize("encoding,bom", [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
                                          ("utf-32-le", codecs.BOM_UTF32_LE)])
def test_a_real_capture_saved_as_utf16_with_a_bom_gives_the_flows_of_the_original(tmp_path, onto, encoding, bom):
    logs = require_shared(*LOGS_2023)
    original = logs / "login_1.log.jsonl"
    (tmp_path / "windows").mkdir()
    copy = reencoded(original, tmp_path / "windows" / original.name, encoding, bom)
    with copy.open("rb") as handle:
        assert detect_format(handle.read(SNIFF_BYTES)) == "citizenlab-jsonl"
    salt = "0123456789abcdef0123456789abcdef"
    stores = []
    for name, path in (("original", original), ("windows", copy)):
        con = store.connect(tmp_path / f"{name}.duckdb")
        con.execute("insert into settings values (?, ?)", [redact.SALT_KEY, salt])
        (result,) = ingest(workspace(con, onto), [path], IngestOptions(profile=PROFILES / "citizenlab-2023.yaml"))
        assert (result.status, result.format, result.problems) == ("ingested", "citizenlab-jsonl", [])
        stores.append(con)
    flows = [con.execute(FLOW_ROWS).fetchall() for con in stores]
    assert len(flows[0]) > 100 and flows[0] == flows[1]
    observations = [con.execute(OBSERVATION_ROWS).fetchall() for con in stores]
    assert observations[0] and observations[0] == observations[1]


def test_a_real_hex_dump_and_a_har_saved_as_utf16_read_as_the_originals(tmp_path):
    dump = require_shared(*SESSION_2024)
    har = tmp_path / "session.har"
    har.write_text(json.dumps({"log": {"version": "1.2", "entries": [{
        "startedDateTime": "2023-12-05T10:00:00Z", "request": {
            "method": "POST", "url": "https://example.com/report?lang=中文", "headers": [],
            "postData": {"mimeType": "application/json", "text": '{"model": "Pixel 7", "city": "北京"}'}}}]}},
        ensure_ascii=False), encoding="utf-8")
    for fmt, original, settings in (("hexdump", dump, ReaderSettings()), ("har", har, ReaderSettings())):
        copy = reencoded(original, tmp_path / f"utf16-{original.name}", "utf-16")  # Python's: BOM, native order
        assert detect_format(copy.read_bytes()) == fmt
        assert list(open_reader(fmt, settings).read(copy)) == list(open_reader(fmt, settings).read(original))


def test_utf16_without_a_bom_is_refused_with_one_line(tmp_path):
    logs = require_shared(*LOGS_2023)
    copy = reencoded(logs / "login_1.log.jsonl", tmp_path / "login_1.log.jsonl", "utf-16-le")
    proc = cli(["ingest", str(copy), "--db", str(tmp_path / "store.duckdb")], tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert lines == [f"{copy}: UTF-16 text without a byte-order mark, whose byte order is unknown: not read; save it "
                     "as UTF-8 (or as UTF-16 with a byte-order mark)"]
