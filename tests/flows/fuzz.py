"""Mutation fuzzer of the capture readers and body decoders (README, section "Bad input", fuzzing).

Seeds are real inputs read at run time from ../shared (never copied into the repository): lines of the 2023
Citizen Lab JSON-lines logs, the 2024 hex dump, the 2024 pcapng with its Frida key log, a mitmproxy flow file
written here with mitmproxy's own ``FlowWriter`` and a HAR file, both built from a real 2023 request. A seeded
:class:`random.Random` mutates them (bit flips, truncation at structural boundaries, byte insertion and deletion,
duplicated slices, invalid UTF-8 after a quote, numbers made huge or negative, lengths of pcapng blocks and MMTLS
records overwritten) and :func:`hostile` adds constructed inputs of each family the readers must survive (protobuf
nested 10^4 deep, JSON 10^5 deep, base64-of-gzip chains, gzip/deflate/brotli/zstd bombs expanding to GBs, huge
varints, key-log lines of wrong lengths, wrong Content-Encoding headers, TCP streams that make the pcap reader
resynchronise again and again).

Each mutant runs in a worker process (:class:`Worker`, forked) under an address-space limit (:data:`MEMORY_BYTES`
beyond what it inherits) and a per-input time limit (:data:`INPUT_SECONDS`): an exception out of a reader or decoder
(they promise never to raise on bad input), a worker killed by the memory limit, an input that takes the worker
more than :data:`PEAK_BYTES` resident and one that runs past the time limit are each a :class:`Finding`.
``python -m tests.flows.fuzz --count N [--target T] [--save DIR]`` runs a longer campaign and prints the inputs
run, findings and peak memory (beyond the worker's start) per target.
"""

from __future__ import annotations

import base64
import functools
import gzip
import io
import itertools
import json
import multiprocessing
import random
import re
import resource
import tempfile
import time
import traceback
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from policycheck import config

SHARED = config.shared_dir()
LOGS_2023 = SHARED / "datasets" / "citizenlab-wechat-2023" / "network_logs"
FOLDER_2024 = SHARED / "datasets" / "citizenlab-wechat-security-2024"
HEX_2024 = FOLDER_2024 / "autoauth-request-packet-plaintext.hex"
PCAP_2024 = FOLDER_2024 / "capture-logged-in-all-keys.pcapng"
KEYS_2024 = FOLDER_2024 / "frida-logged-in-all-keys.log"
INPUT_SECONDS = 5.0
MEMORY_BYTES = 2 * 1024**3  # address space a worker may add to what it inherits from the process that forks it
PEAK_BYTES = 256 * 1024**2  # resident memory one input may add to the worker's (the limits hold ~100 MB)
BOMB_BYTES = 1024**3  # what the decompression bombs expand to
_BOUNDARY = re.compile(rb'[{}\[\],:"\n=&]')
_DIGITS = re.compile(rb"\d{1,12}")
_INVALID_UTF8 = (b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe2\x82", b"\x00", b"\xef\xbb\xbf")


# -- targets: name -> function of the mutant's bytes, run inside the worker; each must not raise

def _read_file(fmt: str, data: bytes, key_log: bytes | None = None) -> None:
    from policycheck.flows.model import Note, Problem, RawRequest, RawResponse
    from policycheck.flows.readers import ReaderSettings, open_reader

    with tempfile.TemporaryDirectory(prefix="fuzzflows") as folder:
        path, keys = Path(folder) / "capture", Path(folder) / "keys.log"
        path.write_bytes(data)
        if key_log is not None:
            keys.write_bytes(key_log)
        reader = open_reader(fmt, ReaderSettings(key_log=keys if key_log is not None else None))
        for item in reader.read(path):
            assert isinstance(item, RawRequest | RawResponse | Problem | Note), type(item)


def _decode(data: bytes) -> None:
    from policycheck.flows.decode import decode

    decode(data)


def _content(data: bytes) -> None:
    """``data`` is ``coding NUL body``: the body decoded by a Content-Encoding header naming that coding."""
    from policycheck.flows.readers import http

    coding, _, body = data.partition(b"\0")
    http.decode_body(body, [("Content-Encoding", coding.decode("latin-1")), ("Content-Type", "multipart/form-data; "
                                                                             "boundary=x")])


def _key_log(data: bytes) -> None:
    _read_file("pcap", PCAP_2024.read_bytes(), data)


TARGETS: dict[str, Callable[[bytes], None]] = {
    "citizenlab-jsonl": lambda data: _read_file("citizenlab-jsonl", data),
    "hexdump": lambda data: _read_file("hexdump", data),
    "har": lambda data: _read_file("har", data),
    "mitmproxy": lambda data: _read_file("mitmproxy", data),
    "pcap": lambda data: _read_file("pcap", data, KEYS_2024.read_bytes()),
    "key-log": _key_log,
    "decode": _decode,
    "content-encoding": _content,
}


# -- seeds (real inputs, read at run time)

def available() -> bool:
    """Whether the real inputs of ../shared the seeds come from are there."""
    return LOGS_2023.is_dir() and HEX_2024.exists() and PCAP_2024.exists() and KEYS_2024.exists()


def real_requests(count: int = 40) -> list[dict]:
    """The first ``count`` entries of a real 2023 log with a body and an API path."""
    out = []
    with (LOGS_2023 / "start_miniapp_example_data_1.log.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            entry = json.loads(line)
            if entry.get("data") and isinstance(entry.get("req_type"), str):
                out.append(entry)
            if len(out) == count:
                break
    return out


def har_of(entry: dict) -> bytes:
    """A HAR 1.2 file of one real request (its body base64, its path on WeChat's short-link host)."""
    body = bytes.fromhex(entry["data"])
    request = {"method": "POST", "url": f"http://szshort.weixin.qq.com{entry['req_type']}?uin=1&v=2",
               "httpVersion": "HTTP/1.1", "cookies": [{"name": "sid", "value": "abc"}],
               "headers": [{"name": "Content-Type", "value": "application/octet-stream"},
                           {"name": "Content-Encoding", "value": "identity"}],
               "queryString": [{"name": "uin", "value": "1"}],
               "postData": {"mimeType": "application/octet-stream", "text": base64.b64encode(body).decode(),
                            "encoding": "base64"}}
    response = {"status": 200, "headers": [], "content": {"mimeType": "application/json", "text": '{"ok": 1}'}}
    entry_json = {"startedDateTime": "2023-03-01T10:00:00.000Z", "request": request, "response": response}
    return json.dumps({"log": {"version": "1.2", "creator": {"name": "fuzz", "version": "1"},
                               "entries": [entry_json, entry_json]}}, indent=1).encode()


def mitm_of(entry: dict) -> bytes:
    """A mitmproxy flow file of one real request, written with mitmproxy's own ``FlowWriter``."""
    from mitmproxy import io as mitm_io
    from mitmproxy.test import tflow

    flow = tflow.tflow(resp=True)
    flow.request.method, flow.request.host, flow.request.path = "POST", "szshort.weixin.qq.com", entry["req_type"]
    flow.request.headers["content-encoding"] = "gzip"
    flow.request.raw_content = gzip.compress(bytes.fromhex(entry["data"]))
    out = io.BytesIO()
    writer = mitm_io.FlowWriter(out)
    writer.add(flow)
    writer.add(flow)
    return out.getvalue()


def seeds() -> dict[str, list[bytes]]:
    """Real seed inputs per target."""
    requests = real_requests()
    lines = [json.dumps(e).encode() for e in requests]
    bodies = [bytes.fromhex(e["data"]) for e in requests]
    hexdump = HEX_2024.read_bytes()
    return {
        "citizenlab-jsonl": [b"\n".join(lines[i:i + 4]) + b"\n" for i in range(0, len(lines), 4)],
        "hexdump": [hexdump],
        "har": [har_of(e) for e in requests[:4]],
        "mitmproxy": [mitm_of(e) for e in requests[:4]],
        "pcap": [PCAP_2024.read_bytes()],
        "key-log": [KEYS_2024.read_bytes()],
        "decode": bodies,
        "content-encoding": [c + b"\0" + z for c, z in ((b"gzip", gzip.compress(bodies[0])),
                                                        (b"deflate", zlib.compress(bodies[1])),
                                                        (b"identity", bodies[2]))],
    }


# -- mutations

def _flip(rng: random.Random, data: bytearray) -> None:
    for _ in range(rng.randint(1, 16)):
        at = rng.randrange(len(data))
        data[at] ^= 1 << rng.randrange(8)


def _truncate(rng: random.Random, data: bytearray) -> None:
    ends = [m.end() for m in _BOUNDARY.finditer(data, 0, 1 << 20)] or [rng.randrange(len(data))]
    del data[rng.choice(ends):]


def _insert_delete(rng: random.Random, data: bytearray) -> None:
    at = rng.randrange(len(data))
    if rng.random() < 0.5:
        data[at:at] = rng.randbytes(rng.randint(1, 64))
    else:
        del data[at:at + rng.randint(1, 64)]


def _duplicate(rng: random.Random, data: bytearray) -> None:
    at = rng.randrange(len(data))
    piece = data[at:at + rng.randint(1, 4096)]
    data[at:at] = piece * rng.randint(2, 50)


def _invalid_utf8(rng: random.Random, data: bytearray) -> None:
    quotes = [m.end() for m in re.finditer(rb'"', data[: 1 << 20])] or [rng.randrange(len(data))]
    at = rng.choice(quotes)
    data[at:at] = rng.choice(_INVALID_UTF8)


def _numbers(rng: random.Random, data: bytearray) -> None:
    found = list(_DIGITS.finditer(data[: 1 << 20]))
    if found:
        match = rng.choice(found)
        data[match.start():match.end()] = rng.choice([b"-1", b"99999999999999999999999", b"4294967296", b"1e400",
                                                      b"0", b"-99999999999"])


def _lengths(rng: random.Random, data: bytearray) -> None:
    """Overwrite a 32-bit pcapng block length or a 16-bit MMTLS record length with a hostile value."""
    if data[:4] == b"\x0a\x0d\x0d\x0a":
        offset, blocks = 0, []
        while offset + 8 <= len(data):
            blocks.append(offset)
            size = int.from_bytes(data[offset + 4:offset + 8], "little")
            offset += size if size >= 12 else len(data)
        at = rng.choice(blocks) + 4 + (rng.choice([0, 8]) if rng.random() < 0.3 else 0)
        data[at:at + 4] = rng.choice([0, 1, 11, 0x7FFFFFFF, 0xFFFFFFFF, 0xFFFFFFF0]).to_bytes(4, "little")
        return
    records = [m.start() for m in re.finditer(rb"[\x15\x16\x17\x19]\xf1\x04", data)]
    if records:
        at = rng.choice(records) + 3
        data[at:at + 2] = rng.choice([0, 1, 0xFFFF, 0x7FFF]).to_bytes(2, "big")


MUTATIONS = (_flip, _truncate, _insert_delete, _duplicate, _invalid_utf8, _numbers, _lengths)


def mutate(rng: random.Random, seed: bytes) -> bytes:
    """``seed`` after one to four random mutations."""
    data = bytearray(seed)
    for _ in range(rng.randint(1, 4)):
        if not data:
            break
        rng.choice(MUTATIONS)(rng, data)
    return bytes(data)


# -- constructed hostile inputs

def varint(value: int) -> bytes:
    out = bytearray()
    while True:
        out.append((value & 0x7F) | (0x80 if value > 0x7F else 0))
        value >>= 7
        if not value:
            return bytes(out)


def nested_protobuf(levels: int) -> bytes:
    """A message whose field 1 holds a message whose field 1 holds ... ``levels`` deep."""
    message = b"\x08\x01"
    for _ in range(levels):
        message = b"\x0a" + varint(len(message)) + message
    return message


def raw_deflate_zeros(size: int) -> bytes:
    """Raw deflate of ``size`` zero bytes (a multiple of 1 MB), built in well under a second: one MB compressed and
    ended with a full flush (byte-aligned, no reference back) is repeated, then an empty final block ends it."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    megabyte = packer.compress(bytes(1 << 20)) + packer.flush(zlib.Z_FULL_FLUSH)
    return megabyte * (size >> 20) + b"\x03\x00"


@functools.cache
def bombs() -> dict[str, bytes]:
    """Small inputs expanding to :data:`BOMB_BYTES` (1 GB), per content coding (``raw-deflate``: deflate without
    the zlib wrapper some servers send). The gzip and zlib trailers hold no real checksum: the decoders stop at
    their output limit long before it."""
    import brotli
    import zstandard

    raw = raw_deflate_zeros(BOMB_BYTES)
    packer = zstandard.ZstdCompressor(level=3).compressobj()
    zstd = b"".join(packer.compress(bytes(1 << 20)) for _ in range(BOMB_BYTES >> 20)) + packer.flush()
    size = (BOMB_BYTES % (1 << 32)).to_bytes(4, "little")
    return {"gzip": b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + raw + bytes(4) + size,
            "deflate": b"\x78\xda" + raw + bytes(4), "raw-deflate": raw,
            "br": brotli.compress(bytes(BOMB_BYTES), quality=5), "zstd": zstd}


def tcp_capture(payloads: list[bytes], port: int) -> bytes:
    """A pcap of one TCP connection from 10.0.0.2 to 10.0.0.1:``port``: a SYN, then one segment per payload."""
    import socket

    import dpkt

    out = io.BytesIO()
    writer, seq = dpkt.pcap.Writer(out), 1000
    for i, data in enumerate([b"", *payloads]):
        tcp = dpkt.tcp.TCP(sport=50000, dport=port, seq=seq - (i == 0), data=data,
                           flags=dpkt.tcp.TH_SYN if i == 0 else dpkt.tcp.TH_ACK)
        ip = dpkt.ip.IP(src=socket.inet_aton("10.0.0.2"), dst=socket.inet_aton("10.0.0.1"), p=6, data=tcp)
        ip.len += len(tcp)
        writer.writepkt(bytes(dpkt.ethernet.Ethernet(data=ip, type=dpkt.ethernet.ETH_TYPE_IP)), 1.0 + i / 1000)
        seq += len(data)
    return out.getvalue()


def _streams() -> Iterator[bytes]:
    """Captures of TCP streams that make a reader resynchronise again and again: an HTTP header block without end,
    MMTLS records each after a stray byte, HTTP requests whose Content-Length runs past the stream, chunked bodies
    with bad sizes."""
    yield tcp_capture([b"GET " * 350] * 200, 80)
    yield tcp_capture([b"\x17\xf1\x04\x00\x00" + b"X\x17\xf1\x04\x00\x00" * 10_000], 8080)
    yield tcp_capture([b"POST /a HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n" * 300], 80)
    yield tcp_capture([b"POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffff\r\nab\r\n" * 300], 80)
    yield tcp_capture([b"\x17\xf1\x04\xff\xff" + b"\x00" * 1400] * 100, 8080)


def _chain(body: bytes, rounds: int) -> bytes:
    for _ in range(rounds):
        body = base64.b64encode(gzip.compress(base64.b64encode(body)))
    return body


def _key_lines() -> list[bytes]:
    good = {"layer": "INNER", "encrypt": True, "key": "00" * 16, "iv": "00" * 16, "tail": "00" * 8}
    bad = [{"key": "00" * 15}, {"key": "0"}, {"key": "zz" * 16}, {"iv": ""}, {"tail": "00" * 100000},
           {"tag": "00" * 3}, {"layer": "OUTER", "tail": "00" * 7}, {"layer": "OUTER", "nonce": "", "tail": "00" * 8},
           {"encrypt": "yes"}, {"key": 5}, {"metadata": "ff" * 70000}]
    return [json.dumps({**good, **b}).encode() for b in bad] + [b"{" * 100000, b'{"layer": "\xff\xfe"}', b"{}"]


def hostile(bomb: dict[str, bytes]) -> Iterator[tuple[str, bytes]]:
    """``(target, input)`` of every constructed hostile input."""
    deep_pb = nested_protobuf(10_000)
    deep_json = b"[" * 100_000 + b"]" * 100_000
    huge_varints = [b"\x08" + b"\xff" * 20, b"\x0a" + varint(1 << 63) + b"x", b"\x0a" + b"\xff" * 9 + b"\x7f",
                    b"\x0d\x01", b"\x09" + b"\xff" * 7]
    for body in [deep_pb, deep_json, b'{"a":' * 100_000, _chain(b"\x0a\x03abc", 20), *huge_varints,
                 *(bomb[c] for c in ("gzip", "deflate")), base64.b64encode(bomb["gzip"][:1 << 20])]:
        yield "decode", body
        yield "citizenlab-jsonl", json.dumps({"data": body.hex(), "req_id": 1, "req_type": "/x"}).encode() + b"\n"
    yield "citizenlab-jsonl", b'{"data": "0a00", "x": ' + deep_json + b"}\n"
    yield "hexdump", b"".join(b"%08x  " % (16 * i) + b"0a " * 16 + b"\n" for i in range(100_000))
    yield "har", b'{"log": {"entries": ' + deep_json + b"}}"
    for coding, data in bomb.items():
        name = "deflate" if coding == "raw-deflate" else coding
        yield "content-encoding", name.encode() + b"\0" + data
        for wrong in ("gzip", "br", "zstd", "deflate", "gzip, br", "x-gzip", "compress", "\xff"):
            yield "content-encoding", wrong.encode("latin-1") + b"\0" + data[:4096]
    for line in _key_lines():
        yield "key-log", line + b"\n"
    for capture in _streams():
        yield "pcap", capture


# -- the worker: one forked process under the memory limit, fed one input at a time

@dataclass
class Finding:
    target: str
    kind: str  # 'exception', 'hang', 'memory'
    detail: str
    data: bytes
    seconds: float = 0.0


def _serve(conn) -> None:
    """Run the jobs sent on ``conn``; the memory limit and the peak reported are relative to what the worker inherits
    (forked from a test session that has loaded spaCy and stores, it starts with gigabytes of address space)."""
    with open("/proc/self/statm") as statm:
        inherited = int(statm.read().split()[0]) * resource.getpagesize()
    resource.setrlimit(resource.RLIMIT_AS, (inherited + MEMORY_BYTES, inherited + MEMORY_BYTES))
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: kB
    while True:
        job = conn.recv()
        if job is None:
            return
        target, data = job
        start = time.perf_counter()
        try:
            TARGETS[target](data)
            outcome = None
        except BaseException as exc:  # every exception is the finding
            outcome = f"{type(exc).__name__}: {str(exc)[:200]}\n{traceback.format_exc(limit=-3)[-1500:]}"
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - base
        conn.send((outcome, time.perf_counter() - start, peak))


class Worker:
    """A forked worker process running targets under :data:`MEMORY_BYTES`; restarted after a hang or a crash."""

    def __init__(self) -> None:
        self.context = multiprocessing.get_context("fork")
        self.process = None
        self.conn = None
        self.peaks: dict[str, int] = {}  # target -> most resident memory one of its inputs added to the worker's

    def _start(self) -> None:
        self.conn, child = self.context.Pipe()
        self.process = self.context.Process(target=_serve, args=(child,), daemon=True)
        self.process.start()
        child.close()

    def run(self, target: str, data: bytes, seconds: float = INPUT_SECONDS) -> Finding | None:
        """Run one input; a :class:`Finding` when it raised, hung past ``seconds`` or killed the worker."""
        if self.process is None or not self.process.is_alive():
            self._start()
        self.conn.send((target, data))
        if not self.conn.poll(seconds):
            self.stop()
            return Finding(target, "hang", f"no answer within {seconds:.0f} s", data, seconds)
        try:
            outcome, used, peak = self.conn.recv()
        except EOFError:
            self.stop()
            return Finding(target, "memory", "worker died (memory limit or signal)", data)
        self.peaks[target] = max(self.peaks.get(target, 0), peak)
        if peak > PEAK_BYTES and not outcome:
            self.stop()  # a fresh worker, so that the next input's peak is its own
            return Finding(target, "memory", f"peak resident memory {peak >> 20} MB", data, used)
        kind = "memory" if outcome and outcome.startswith("MemoryError") else "exception"
        return Finding(target, kind, outcome, data, used) if outcome else None

    def stop(self) -> None:
        if self.process is not None:
            if self.process.is_alive():
                self.process.kill()
            self.process.join()
        self.process = None

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.is_alive():
            self.conn.send(None)
            self.process.join(5)
        self.stop()


@dataclass
class Campaign:
    """What a campaign ran: inputs per target, the findings, the worker's highest resident memory per target (B)."""

    runs: dict[str, int]
    findings: list[Finding]
    peaks: dict[str, int]


def campaign(count: int, seed: int = 0, targets: tuple[str, ...] = tuple(TARGETS), with_hostile: bool = True,
             bomb: dict[str, bytes] | None = None) -> Campaign:
    """Run ``count`` mutants per target (from the real seeds, ``random.Random(seed)``) plus the hostile inputs."""
    rng = random.Random(seed)
    pool = seeds()
    result = Campaign(dict.fromkeys(targets, 0), [], {})
    jobs = ((t, mutate(rng, rng.choice(pool[t]))) for t in targets for _ in range(count))  # made one at a time
    if with_hostile:
        jobs = itertools.chain(jobs, ((t, d) for t, d in hostile(bomb if bomb is not None else bombs())
                                      if t in targets))
    with Worker() as worker:
        for target, data in jobs:
            result.runs[target] += 1
            finding = worker.run(target, data)
            if finding is not None:
                result.findings.append(finding)
        result.peaks = worker.peaks
    return result


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500, help="mutants per target")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--target", action="append", choices=sorted(TARGETS))
    parser.add_argument("--save", type=Path, help="folder to write each finding's input to")
    args = parser.parse_args()
    start = time.perf_counter()
    result = campaign(args.count, args.seed, tuple(args.target or TARGETS))
    for target, n in result.runs.items():
        found = sum(f.target == target for f in result.findings)
        print(f"{target}: {n} inputs, {found} findings, peak {result.peaks.get(target, 0) >> 20} MB")
    for i, f in enumerate(result.findings):
        print(f"--- {f.target} {f.kind} ({f.seconds:.1f} s, {len(f.data)} bytes)\n{f.detail}")
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            (args.save / f"{i:03d}-{f.target}-{f.kind}.bin").write_bytes(f.data)
    print(f"{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
