"""The 2024 MMTLS session (pcap + Frida key log, Citizen Lab 2024) decrypted and ingested, and bad pcap input."""

from __future__ import annotations

import json
import shutil
import subprocess
import zlib
from pathlib import Path
from urllib.parse import unquote

import blackboxprotobuf
import pytest
from conftest import PROFILES, ingest_into, profile_values
from realtools import tool

from policycheck.flows.model import Note, Problem, RawRequest, RawResponse
from policycheck.flows.readers import ReaderSettings, detect_format, open_reader
from tests.conftest import require_shared

FOLDER = ("datasets", "citizenlab-wechat-security-2024")
PCAP = "capture-logged-in-all-keys.pcapng"
KEYS = "frida-logged-in-all-keys.log"
# What the session's phone->server application-data records are (25): 22 decrypt through both layers (19 shortlink
# requests under inner AES-CBC, secautoauth and a shortlink newsync under inner AES-GCM, one longlink newsync under
# AES-GCM), one longlink record decrypts only at the outer layer (its inner entry is not in the key log) and two have
# no outer key-log entry at all. Plus two plaintext HTTP newgetdns requests.
DECRYPTED = 22
CGI_PATHS = {"secautoauth", "getcdndns", "androidfcmreg", "checkresupdate", "finderinit", "bypsync", "statusnotify",
             "getnetworkinfo", "newsync", "findersync"}


def read_items(folder: Path, key_log: Path | None):
    reader = open_reader("pcap", ReaderSettings(key_log=key_log))
    return list(reader.read(folder / PCAP))


@pytest.fixture(scope="module")
def session():
    folder = require_shared(*FOLDER)
    return folder, read_items(folder, folder / KEYS)


def test_every_decryptable_request_record(session):
    folder, items = session
    assert detect_format((folder / PCAP).read_bytes()[:4096]) == "pcap"
    requests = [i for i in items if isinstance(i, RawRequest)]
    mmtls = [r for r in requests if r.protocol == "mmtls"]
    decrypted = [r for r in mmtls if r.body is not None]
    assert len(decrypted) == DECRYPTED
    assert {r.path.rsplit("/", 1)[1] for r in decrypted if r.path} == CGI_PATHS
    assert all(r.host == "sgshort.wechat.com" for r in decrypted if r.path)
    # the longlink newsync has no path in its header, only its request type (138 = newsync in endpoints.yaml)
    assert [r.req_type_id for r in decrypted if r.path is None] == [138]
    assert [r.body_status for r in mmtls if r.body is None] == ["encrypted"]
    # every record that could not be decrypted is reported with its frame, none guessed
    unmatched = [p for p in items if isinstance(p, Problem)]
    assert len(unmatched) == 2 and all("no key-log entry" in p.problem for p in unmatched)
    note = next(i.text for i in items if isinstance(i, Note) and i.text.startswith("MMTLS"))
    assert "client data decrypted 22" in note and "client data outer layer only 1" in note
    # times and frames come from the capture itself (tshark shows the same first packet time)
    assert all(r.time is not None and r.time.date().isoformat() == "2023-12-05" for r in requests)
    assert all(r.connection.startswith("tcp") for r in requests)
    plain = [r for r in requests if r.protocol == "http"]
    assert [(r.method, r.host, r.path) for r in plain] == [("GET", "dns.weixin.qq.com",
                                                            "/cgi-bin/micromsg-bin/newgetdns")] * 2
    assert all(r.url and "?" not in r.url for r in requests if r.url)
    # responses are not requests
    responses = [i for i in items if isinstance(i, RawResponse)]
    assert responses and all(i.request_line in {r.line for r in requests} for i in responses if i.request_line)


def test_unmatched_frames_agree_with_tshark(session):
    """The frames reported as undecrypted are phone->server segments whose HTTP body holds an MMTLS data record."""
    folder, items = session
    tshark = tool("tshark")
    frames = [p.line for p in items if isinstance(p, Problem)]
    shown = " or ".join(f"frame.number == {f}" for f in frames)
    out = subprocess.run([tshark, "-r", str(folder / PCAP), "-Y", shown, "-T", "fields", "-e", "frame.number",
                          "-e", "ip.src", "-e", "tcp.dstport", "-e", "tcp.payload"],
                         capture_output=True, text=True, check=True).stdout.split("\n")
    rows = [line.split("\t") for line in out if line.strip()]
    assert [int(r[0]) for r in rows] == frames
    for row in rows:
        payload = row[3].replace(":", "")
        assert row[2] == "80" and payload.startswith(b"POST /mmtls/".hex())
        assert "17f104" in payload.split("0d0a0d0a", 1)[1]


def _as_published(value):
    """The rendering of citizenlab/wechat-security-report code/decode-requests.py: bytes as UTF-8 with backslash
    escapes, URL-decoded until stable, nested JSON strings parsed."""
    if isinstance(value, dict):
        return {k: _as_published(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_published(v) for v in value]
    text = value.decode("utf8", "backslashreplace") if isinstance(value, bytes | bytearray) else str(value)
    if not isinstance(value, bytes | bytearray) and text.startswith("{") and text.endswith("}"):
        try:
            return _as_published(json.loads(text))
        except ValueError:
            pass
    while (decoded := unquote(text)) != text:
        text = decoded
    return text


def _same_but_redacted(ours, published, path=""):
    """Equal, except where the published text has 'A's: the report redacted identifiers that way."""
    if isinstance(published, dict):
        assert isinstance(ours, dict) and set(ours) == set(published), path
        for key in published:
            _same_but_redacted(ours[key], published[key], f"{path}.{key}")
    elif isinstance(published, list):
        assert isinstance(ours, list) and len(ours) == len(published), path
        for i, (a, b) in enumerate(zip(ours, published, strict=True)):
            _same_but_redacted(a, b, f"{path}[{i}]")
    else:
        assert len(ours) == len(published) and all(p in (o, "A") for o, p in zip(ours, published, strict=True)), path
        return ours != published


def test_secautoauth_equals_the_published_decoded_request(session):
    folder, items = session
    (request,) = [i for i in items if isinstance(i, RawRequest) and i.path and i.path.endswith("/secautoauth")]
    assert request.req_type_id == 763
    body = zlib.decompress(request.body)
    message, _ = blackboxprotobuf.decode_message(body)
    published = json.loads((folder / "autoauth-request.json").read_text(encoding="utf-8"))
    _same_but_redacted(_as_published(message), published)
    # and byte for byte against the published plaintext hex dump, redacted bytes aside
    dump = next(iter(open_reader("hexdump", ReaderSettings()).read(folder / "autoauth-request-packet-plaintext.hex")))
    assert len(dump.body) == len(body)
    differing = [i for i, (a, b) in enumerate(zip(body, dump.body, strict=True)) if a != b]
    assert differing and all(dump.body[i] == ord("A") for i in differing)


def test_identifiers_with_and_without_the_session_profile(tmp_path, onto):
    folder = require_shared(*FOLDER)
    con, results = ingest_into(tmp_path / "p.duckdb", onto, [folder / PCAP], profile=PROFILES / "citizenlab-2024.yaml")
    (result,) = results
    assert (result.format, result.requests, result.status) == ("pcap", 25, "ingested")
    kinds = {r[0]: r[1] for r in con.execute("select detector like 'profile%', list(distinct data_type) from "
                                             "observations where confidence >= 0.5 group by 1").fetchall()}
    assert {"android_id", "build_display", "os_version", "mobile_carrier", "cpu_information"} <= set(kinds[True])
    con2, _ = ingest_into(tmp_path / "n.duckdb", onto, [folder / PCAP])
    without = {r[0] for r in con2.execute("select distinct data_type from observations where confidence >= 0.5")
               .fetchall()}
    # key names and patterns alone: the phone's ids in the login request, the uin in every request header
    assert {"android_id", "internal_user_id", "app_version", "platform_device_id"} <= without
    # its IMEI and MAC fields hold placeholders (no IMEI; Android's constant MAC): found, never judged
    below = {r[0] for r in con2.execute("select distinct data_type from observations where confidence < 0.5")
             .fetchall()}
    assert {"imei", "mac_address"} <= below - without
    in_header = con2.execute("select count(distinct flow_id) from observations where field_path = 'mmtls:uin'")
    assert in_header.fetchall()[0][0] == DECRYPTED  # the uin rides in WeChat's header of every request
    stored = [r[0] for r in con.execute("select value_redacted from observations").fetchall()]
    assert not any(v.lower() in s.lower() for v in profile_values("citizenlab-2024.yaml") if len(v) >= 4
                   for s in stored)
    flows = con.execute("select count(*), min(time), count(distinct connection), count(*) filter (where "
                        "time_source = 'record') from flows").fetchall()[0]
    assert flows[0] == 25 and str(flows[1]).startswith("2023-12-05") and flows[2] > 10 and flows[3] == 25
    responses = con.execute("select count(*), count(flow_id) from responses").fetchall()[0]
    assert responses[0] == 19 and responses[1] > 0
    assert con.execute("select count(*) from flows where recipient <> 'wechat'").fetchall() == [(0,)]


def test_truncated_pcap_and_wrong_key(tmp_path, onto):
    folder = require_shared(*FOLDER)
    data = (folder / PCAP).read_bytes()
    cut = tmp_path / PCAP
    cut.write_bytes(data[: len(data) * 2 // 3])  # ends inside a packet
    keys = tmp_path / KEYS
    lines = (folder / KEYS).read_text(encoding="utf-8").splitlines()
    # the first key of a phone->server application-data record (its associated data ends with the record header)
    outer = next(i for i, line in enumerate(lines) if line.startswith("{") and (e := json.loads(line))["layer"]
                 == "OUTER" and e["encrypt"] and e["metadata"][16:22] == "17f104")
    entry = json.loads(lines[outer])
    entry["key"] = "00" * 16  # a wrong key for one record
    lines[outer] = json.dumps(entry)
    lines.append('{"layer": "OUTER", "encrypt": true, "key": "zz"')  # a broken line
    keys.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = read_items(tmp_path, keys)
    problems = [i for i in items if isinstance(i, Problem)]
    notes = [i.text for i in items if isinstance(i, Note)]
    ends = [p for p in problems if "capture file ends" in p.problem]
    assert len(ends) == 1 and ends[0].line > 1
    wrong = [p for p in problems if "GCM tag does not verify" in p.problem]
    assert len(wrong) == 1 and f"line {outer + 1}" in wrong[0].problem
    assert any(f"{KEYS}:{len(lines)}: key-log line is not JSON" in n for n in notes)
    requests = [i for i in items if isinstance(i, RawRequest) and i.body is not None]
    assert 0 < len(requests) < DECRYPTED  # the packets before the cut, all but the record with the wrong key
    con, results = ingest_into(tmp_path / "t.duckdb", onto, [cut], key_log=keys)
    stored = con.execute("select problem from ingest_problems").fetchall()
    assert results[0].status == "ingested" and any("capture file ends" in p[0] for p in stored)


def test_without_a_key_log_records_are_counted_not_guessed(tmp_path):
    folder = require_shared(*FOLDER)
    shutil.copy(folder / PCAP, tmp_path / PCAP)
    items = read_items(tmp_path, None)
    requests = [i for i in items if isinstance(i, RawRequest)]
    assert {r.protocol for r in requests} == {"http"}  # only the plaintext newgetdns
    assert any(isinstance(i, Note) and "no MMTLS key log" in i.text for i in items)


def test_a_file_that_is_no_key_log_is_named(tmp_path):
    """A key log without one key entry (here: the Citizen Lab README) is said, not silently read as empty."""
    folder = require_shared(*FOLDER)
    shutil.copy(folder / PCAP, tmp_path / PCAP)
    items = read_items(tmp_path, folder / "README.md")
    assert any(isinstance(i, Note) and "README.md holds no key entry" in i.text for i in items)
    assert {r.protocol for r in items if isinstance(r, RawRequest)} == {"http"}


def test_a_capture_without_tcp_says_so(tmp_path):
    """A pcap of UDP datagrams only (DNS, built with dpkt) yields no request and one problem naming why."""
    import dpkt

    path = tmp_path / "udp.pcap"
    with path.open("wb") as handle:
        writer = dpkt.pcap.Writer(handle)
        for port in (53, 5353):
            udp = dpkt.udp.UDP(sport=40000, dport=port, data=b"\x12\x34" + b"\x00" * 10)
            udp.ulen = len(udp)
            ip = dpkt.ip.IP(src=bytes([10, 0, 0, 2]), dst=bytes([10, 0, 0, 1]), p=dpkt.ip.IP_PROTO_UDP, data=udp)
            ip.len = len(ip)
            writer.writepkt(bytes(dpkt.ethernet.Ethernet(src=b"\x02" * 6, dst=b"\x04" * 6, data=ip)), ts=1.0)
    items = list(open_reader("pcap", ReaderSettings()).read(path))
    assert not [i for i in items if isinstance(i, RawRequest)]
    problems = [i.problem for i in items if isinstance(i, Problem)]
    assert problems == ["2 packet(s) read, none of them a TCP segment over IPv4/IPv6"]


def test_a_packet_length_of_4_gb_reads_no_more_than_the_file(tmp_path):
    """A damaged packet header stating a capture length of almost 4 GB (a mutated pcap once took a test process to
    24 GB): the read stops at the file's end (the packet comes back short, as in a truncated file), memory stays
    small."""
    import struct
    import tracemalloc

    import dpkt

    path = tmp_path / "big.pcap"
    with path.open("wb") as handle:
        writer = dpkt.pcap.Writer(handle)
        for _ in range(2):
            writer.writepkt(b"\x00" * 60, ts=1.0)
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, 24 + 16 + 60 + 8, 0xFFFFFFF0)  # the second packet header's caplen
    path.write_bytes(bytes(data))
    tracemalloc.start()
    items = list(open_reader("pcap", ReaderSettings()).read(path))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 20 * 1024 * 1024
    assert [i.problem for i in items if isinstance(i, Problem)] == [
        "2 packet(s) read, none of them a TCP segment over IPv4/IPv6"]


def test_frame_numbered_flows_overlap_no_line_numbered_log(tmp_path, onto):
    """Flows of a pcap are numbered by frame: they never count as a shared prefix of a Citizen Lab log."""
    folder = require_shared(*FOLDER)
    log = require_shared("datasets", "citizenlab-wechat-2023", "network_logs", "startup_data_1.log.jsonl")
    con, results = ingest_into(tmp_path / "o.duckdb", onto, [folder / PCAP, log])
    assert [r.status for r in results] == ["ingested", "ingested"]
    assert con.execute("select count(*) from capture_coverage where overlap_lines > 0 or covered_lines > 0"
                       ).fetchall() == [(0,)]


def test_a_published_request_body_counts_once_beside_its_capture(tmp_path, onto):
    """The hex dump is the plaintext of the pcap's secautoauth request (above): ingested together, in either order,
    it is covered by the pcap (one request, counted there), and the pcap's 25 requests are the distinct ones; the
    hex dump alone, or beside a capture that does not hold its request, stays a request of its own."""
    folder = require_shared(*FOLDER)
    hexdump = folder / "autoauth-request-packet-plaintext.hex"
    for order in ([hexdump, folder / PCAP], [folder / PCAP, hexdump]):
        con, results = ingest_into(tmp_path / f"r{len(list(tmp_path.iterdir()))}.duckdb", onto, order,
                                   profile=PROFILES / "citizenlab-2024.yaml")
        ids = {r.format: r.capture_id for r in results}
        coverage = con.execute("select covered_lines, overlap_capture_id, overlap_lines from capture_coverage "
                               "where capture_id = ?", [ids["hexdump"]]).fetchall()
        assert coverage == [(1, ids["pcap"], 1)]
        assert con.execute("select count(*), count(distinct capture_id) from distinct_flows").fetchall() == [(25, 1)]
        con.close()
    log = require_shared("datasets", "citizenlab-wechat-2023", "network_logs", "startup_data_1.log.jsonl")
    con, results = ingest_into(tmp_path / "apart.duckdb", onto, [hexdump, log])
    assert con.execute("select count(*) from capture_coverage where covered_lines > 0").fetchall() == [(0,)]
    assert con.execute("select count(*) from distinct_flows f join captures c using (capture_id) "
                       "where c.format = 'hexdump'").fetchall() == [(1,)]


def _other_device(body: bytes, values: list[str]) -> bytes:
    """``body`` with every value of the device profile (4 characters or more) replaced by another of the same
    length and alphabet: the same request as another phone would send it."""
    shifted = bytes.maketrans(b"0123456789abcdefABCDEFghijklmnopqrstuvwxyz",
                              b"3456789012defabcDEFABCklmnopqrstuvwxyzghij")
    for value in sorted({v for v in values if len(v) >= 4}, key=len, reverse=True):
        body = body.replace(value.encode(), value.encode().translate(shifted))
    return body


def test_the_same_request_of_another_device_is_no_repeat(tmp_path, onto):
    """A published body of the same request type and structure but with another phone's values is a request of
    its own: most of its detections carry other values."""
    folder = require_shared(*FOLDER)
    dump = next(iter(open_reader("hexdump", ReaderSettings()).read(folder / "autoauth-request-packet-plaintext.hex")))
    other = _other_device(dump.body, profile_values("citizenlab-2024.yaml"))
    assert other != dump.body and len(other) == len(dump.body)
    target = tmp_path / "other.hex"
    target.write_text("".join(f"{i:08x}  {other[i:i + 16].hex(' ')}\n" for i in range(0, len(other), 16)))
    con, results = ingest_into(tmp_path / "o.duckdb", onto, [folder / PCAP, target],
                               profile=PROFILES / "citizenlab-2024.yaml")
    assert [r.format for r in results] == ["pcap", "hexdump"]
    assert con.execute("select count(*) from capture_coverage where covered_lines > 0").fetchall() == [(0,)]
    assert con.execute("select count(*) from distinct_flows").fetchall() == [(26,)]
