"""Property test: mutated pcaps, key logs, HAR files and mitmproxy flow files never raise out of their readers.

Seeds: the real 2024 pcap and key log from ../shared (bytes flipped, cut, repeated), and HAR / tnetstring
structures drawn by hypothesis. Each file is read within :data:`FILE_SECONDS`.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policycheck.flows.mmtls import KeyLog
from policycheck.flows.model import Note, Problem, RawRequest, RawResponse
from policycheck.flows.readers import ReaderSettings, open_reader
from tests.conftest import SHARED

FILE_SECONDS = 5.0
FOLDER = SHARED / "datasets" / "citizenlab-wechat-security-2024"
PCAP = FOLDER / "capture-logged-in-all-keys.pcapng"
KEYS = FOLDER / "frida-logged-in-all-keys.log"
ITEMS = (RawRequest, RawResponse, Problem, Note)
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                          HealthCheck.too_slow])


def _read(fmt: str, path: Path, key_log: Path | None = None) -> list:
    start = time.perf_counter()
    items = list(open_reader(fmt, ReaderSettings(key_log=key_log)).read(path))
    assert time.perf_counter() - start < FILE_SECONDS
    assert all(isinstance(i, ITEMS) for i in items)
    return items


@st.composite
def mutated(draw, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(0, 40))):
        out[draw(st.integers(0, len(out) - 1))] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        out = out[: draw(st.integers(0, len(out)))]
    if draw(st.booleans()):
        start = draw(st.integers(0, len(out)))
        out[start:start] = out[start:start + draw(st.integers(0, 4096))]
    return bytes(out)


@pytest.mark.slow
@pytest.mark.skipif(not PCAP.exists(), reason=f"real data not available: {PCAP} is missing")
@SETTINGS
@given(data=st.data())
def test_mutated_pcap_and_key_log(tmp_path, data):
    pcap, keys = tmp_path / "m.pcap", tmp_path / "m.log"
    pcap.write_bytes(data.draw(mutated(PCAP.read_bytes())))
    keys.write_bytes(data.draw(mutated(KEYS.read_bytes())))
    _read("pcap", pcap, keys)
    KeyLog.read(keys)


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
                               st.sampled_from(["request", "response", "url", "method", "headers", "name",
                                                "value", "postData", "text", "encoding", "startedDateTime",
                                                "queryString", "cookies", "content", "status", "mimeType"]),
                               inner, max_size=5), max_leaves=30)


@SETTINGS
@given(entries=st.lists(json_values, max_size=6), url=st.text(max_size=30))
def test_drawn_har_entries(tmp_path, entries, url):
    entries.append({"request": {"method": "POST", "url": "http://x.test/" + url, "headers": entries[:2],
                                "postData": {"text": url, "encoding": "base64"}},
                    "startedDateTime": url})
    path = tmp_path / "d.har"
    path.write_text(json.dumps({"log": {"entries": entries}}), encoding="utf-8")
    _read("har", path)


@SETTINGS
@given(raw=st.binary(max_size=2000), count=st.integers(0, 12))
def test_drawn_mitmproxy_files(tmp_path, raw, count):
    path = tmp_path / "d.mitm"
    path.write_bytes(f"{len(raw)}:".encode() + raw + b"}" + b"1:[" * count)
    _read("mitmproxy", path)
