"""Format sniffing accepts valid files: a UTF-8 byte-order mark, CRLF line ends, a first request longer than the
sniff window, any byte in a hex dump's ASCII column."""

from __future__ import annotations

import json

import pytest
from conftest import ingest_into

from policycheck.flows.readers import SNIFF_BYTES, ReaderSettings, detect_format, open_reader


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
