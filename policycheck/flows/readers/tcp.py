"""Packets of a pcap or pcapng file -> reassembled TCP byte streams, per connection and direction (dpkt).

Packets are read with ``dpkt`` (``dpkt.pcap.Reader`` / ``dpkt.pcapng.Reader``; link types Ethernet, Linux
cooked v1/v2, raw IP, BSD loopback). Each TCP connection (4-tuple) gets two :class:`Direction` streams,
client -> server and back; the client is the sender of the SYN, else the side with the ephemeral port.
Segments are put in sequence order (32-bit wrap handled); retransmitted and overlapping bytes are taken
once; out-of-order segments wait until the gap before them fills. A gap that never fills (a lost or
uncaptured segment, a packet cut by the capture's snap length) is skipped and reported, and the stream's
consumer is told so it can resynchronise. Memory is bounded: a consumer removes what it has parsed, and
out-of-order data beyond :data:`MAX_PENDING` bytes per direction closes the gap before it.

:func:`reassemble` calls ``on_data(direction)`` whenever a direction's contiguous buffer grew and
``on_gap(direction, missing)`` at a gap; the caller parses from ``direction.buffer`` and calls
:meth:`Direction.consume`. Frame numbers are 1-based, as Wireshark shows them.
"""

from __future__ import annotations

import os
import socket
import struct
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import dpkt

from policycheck.flows.model import Problem

MAX_PENDING = 8 * 1024 * 1024
PCAP_MAGICS = (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
PCAPNG_MAGIC = b"\x0a\x0d\x0d\x0a"
SERVER_PORTS = frozenset({80, 443, 8080, 8000, 8443, 5222, 5223, 5228, 8888})
_WRAP = 1 << 32


def is_pcap(head: bytes) -> bool:
    """Whether ``head`` starts like a pcap (any byte order or timestamp precision) or pcapng file."""
    return head[:4] in PCAP_MAGICS or head[:4] == PCAPNG_MAGIC


@dataclass
class Direction:
    """One direction of a TCP connection: its contiguous, not yet consumed bytes and where they came from."""

    connection: Connection
    from_client: bool
    next_seq: int | None = None
    buffer: bytearray = field(default_factory=bytearray)
    base: int = 0  # stream offset of buffer[0]
    received: int = 0  # stream offset just past the last contiguous byte
    marks: list[tuple[int, int, float]] = field(default_factory=list)  # (stream offset, frame, epoch s)
    pending: dict[int, tuple[bytes, int, float]] = field(default_factory=dict)  # seq -> (data, frame, time)
    pending_bytes: int = 0
    finished: bool = False  # FIN seen
    state: object = None  # the consumer's parser

    def at(self, offset: int) -> tuple[int, float]:
        """``(frame, epoch seconds)`` of the segment that carried stream byte ``offset``."""
        index = max(bisect_right(self.marks, (offset, 1 << 62, 0.0)) - 1, 0)
        _, frame, time = self.marks[index]
        return frame, time

    def consume(self, count: int) -> None:
        """Drop ``count`` parsed bytes from the front of the buffer."""
        del self.buffer[:count]
        self.base += count
        keep = max(bisect_right(self.marks, (self.base, 1 << 62, 0.0)) - 1, 0)
        del self.marks[:keep]

    def _append(self, data: bytes, frame: int, time: float) -> None:
        self.marks.append((self.received, frame, time))
        self.buffer.extend(data)
        self.received += len(data)
        self.next_seq = ((self.next_seq or 0) + len(data)) % _WRAP


@dataclass
class Connection:
    """A TCP connection: its index in the capture (order of first packet), endpoints, two directions."""

    index: int
    client: tuple[str, int]
    server: tuple[str, int]
    first_frame: int
    directions: dict[bool, Direction] = field(default_factory=dict)
    closed: bool = False

    def __post_init__(self) -> None:
        self.directions = {True: Direction(self, True), False: Direction(self, False)}

    @property
    def label(self) -> str:
        """``tcp3 49.51.67.253:80``: the connection's index and server address (the device's own address
        is left out: it is personal data)."""
        host, port = self.server
        shown = f"[{host}]" if ":" in host else host
        return f"tcp{self.index} {shown}:{port}"


@dataclass
class Capture:
    """Counters of one file, for the reader's summary."""

    packets: int = 0
    tcp_packets: int = 0
    first_time: float | None = None
    last_time: float | None = None
    problems: list[Problem] = field(default_factory=list)


DataCallback = Callable[[Direction], None]
GapCallback = Callable[[Direction, int], None]


class _Bounded:
    """A binary file whose ``read(n)`` never asks for more than the bytes left in it: dpkt reads a packet or block
    with one ``read`` of the length its header states, and a damaged header (a length of 4 GB) would otherwise have
    the read allocate that much before it comes back short. A short read is what a truncated file gives, and
    :func:`_packets` reports it as the place the file breaks."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self._size = os.fstat(handle.fileno()).st_size

    def read(self, n: int = -1) -> bytes:
        left = max(0, self._size - self._handle.tell())
        return self._handle.read(left if n is None or n < 0 else min(n, left))

    def __getattr__(self, name: str):  # seek, tell, fileno, name, close: the file's own
        return getattr(self._handle, name)


def reassemble(handle: BinaryIO, path: Path, on_data: DataCallback, on_gap: GapCallback,
               on_close: Callable[[Connection], None]) -> Capture:
    """Read every packet of an open pcap/pcapng file and feed the TCP streams to the callbacks.

    Problems (a truncated file, an unreadable packet, a segment cut by the snap length, a gap) are
    collected in :attr:`Capture.problems` with the frame number as line; the callbacks see every byte that
    could be placed. Never raises on bad input.
    """
    capture = Capture()
    connections: dict[tuple[tuple[str, int], tuple[str, int]], Connection] = {}
    handle = _Bounded(handle)
    try:
        head = handle.read(4)
        handle.seek(0)
        reader = dpkt.pcapng.Reader(handle) if head == PCAPNG_MAGIC else dpkt.pcap.Reader(handle)
        linktype = reader.datalink()
    except (ValueError, dpkt.dpkt.Error, struct.error) as exc:
        capture.problems.append(Problem(None, f"not a readable pcap/pcapng file: {exc}"))
        return capture
    count = 0
    for frame, time, buf in _packets(reader, capture):
        segment = _tcp(linktype, buf, frame, capture)
        if segment is None:
            continue
        capture.tcp_packets += 1
        src, dst, tcp, payload = segment
        key = (src, dst) if (src, dst) in connections else (dst, src)
        conn = connections.get(key)
        if conn is None or (conn.closed and tcp.flags & dpkt.tcp.TH_SYN):
            if conn is not None:  # the 4-tuple is reused by a new connection
                for old in conn.directions.values():
                    _flush(old, on_data, on_gap, capture)
                on_close(conn)
            client_first = _client_sends(src, dst, tcp)
            count += 1
            conn = Connection(count, src if client_first else dst, dst if client_first else src, frame)
            connections[(src, dst)] = connections[(dst, src)] = conn
        direction = conn.directions[src == conn.client]
        _segment(direction, tcp, payload, frame, time, on_data, on_gap, capture)
        if tcp.flags & (dpkt.tcp.TH_FIN | dpkt.tcp.TH_RST):
            direction.finished = True
            _flush(direction, on_data, on_gap, capture)
            if tcp.flags & dpkt.tcp.TH_RST or all(d.finished for d in conn.directions.values()):
                conn.closed = True
    for conn in {id(c): c for c in connections.values()}.values():
        for direction in conn.directions.values():
            _flush(direction, on_data, on_gap, capture)
        on_close(conn)
    return capture


def _packets(reader: Iterable[tuple[float, bytes]], capture: Capture) -> Iterator[tuple[int, float, bytes]]:
    """``(frame number, time, bytes)`` of every packet, counted in ``capture``, until the file ends or breaks
    (a break is a problem of ``capture``)."""
    frame = 0
    packets = iter(reader)
    while True:
        try:
            time, buf = next(packets)
        except StopIteration:
            return
        except (ValueError, dpkt.dpkt.Error, struct.error) as exc:
            capture.problems.append(Problem(frame + 1, f"capture file ends or breaks inside packet {frame + 1} "
                                                       f"({type(exc).__name__}); {frame} packets read"))
            return
        frame += 1
        capture.packets += 1
        capture.first_time = time if capture.first_time is None else capture.first_time
        capture.last_time = time
        yield frame, time, buf


def _client_sends(src: tuple[str, int], dst: tuple[str, int], tcp: dpkt.tcp.TCP) -> bool:
    """Whether the sender of the first packet seen is the client."""
    syn, ack = tcp.flags & dpkt.tcp.TH_SYN, tcp.flags & dpkt.tcp.TH_ACK
    if syn:
        return not ack
    if (dst[1] in SERVER_PORTS) != (src[1] in SERVER_PORTS):
        return dst[1] in SERVER_PORTS
    return dst[1] < src[1]


def _tcp(linktype: int, buf: bytes, frame: int, capture: Capture
         ) -> tuple[tuple[str, int], tuple[str, int], dpkt.tcp.TCP, bytes] | None:
    try:
        ip = _network(linktype, buf)
    except (dpkt.dpkt.Error, ValueError, IndexError, struct.error):
        return None
    if isinstance(ip, dpkt.ip.IP):
        if ip.mf or ip.offset:
            return None  # fragments are not reassembled
        family, expected = socket.AF_INET, ip.len - ip.hl * 4
    elif isinstance(ip, dpkt.ip6.IP6):
        family, expected = socket.AF_INET6, ip.plen
    else:
        return None
    tcp = ip.data
    if not isinstance(tcp, dpkt.tcp.TCP):
        return None
    payload = bytes(tcp.data)
    if expected - tcp.off * 4 > len(payload):
        capture.problems.append(Problem(frame, f"TCP segment cut by the capture's snap length: "
                                               f"{len(payload)} of {expected - tcp.off * 4} bytes kept"))
    src = (socket.inet_ntop(family, ip.src), tcp.sport)
    dst = (socket.inet_ntop(family, ip.dst), tcp.dport)
    return src, dst, tcp, payload


def _network(linktype: int, buf: bytes):
    if linktype == dpkt.pcap.DLT_EN10MB:
        return dpkt.ethernet.Ethernet(buf).data
    if linktype == dpkt.pcap.DLT_LINUX_SLL:
        return dpkt.sll.SLL(buf).data
    if linktype == 276:  # LINUX_SLL2
        return dpkt.sll2.SLL2(buf).data
    if linktype in (dpkt.pcap.DLT_NULL, dpkt.pcap.DLT_LOOP):
        return dpkt.loopback.Loopback(buf).data
    if linktype in (dpkt.pcap.DLT_RAW, 12, 14, 228, 229):  # raw IP (PCAPdroid, tun devices)
        version = buf[0] >> 4 if buf else 0
        return dpkt.ip.IP(buf) if version == 4 else dpkt.ip6.IP6(buf) if version == 6 else None
    return None


def _segment(direction: Direction, tcp: dpkt.tcp.TCP, payload: bytes, frame: int, time: float,
             on_data: DataCallback, on_gap: GapCallback, capture: Capture) -> None:
    seq = tcp.seq
    if tcp.flags & dpkt.tcp.TH_SYN:
        direction.next_seq = (seq + 1) % _WRAP
        seq = direction.next_seq
    if not payload:
        return
    if direction.next_seq is None:
        direction.next_seq = seq
    ahead = (seq - direction.next_seq) % _WRAP
    if ahead >= 1 << 31:  # starts before the next expected byte: retransmission or overlap
        behind = _WRAP - ahead
        if behind >= len(payload):
            return
        payload, seq = payload[behind:], direction.next_seq
        ahead = 0
    if ahead:
        if seq not in direction.pending or len(direction.pending[seq][0]) < len(payload):
            direction.pending_bytes += len(payload) - len(direction.pending.get(seq, (b"",))[0])
            direction.pending[seq] = (payload, frame, time)
        if direction.pending_bytes > MAX_PENDING:
            _flush(direction, on_data, on_gap, capture)
        return
    direction._append(payload, frame, time)
    _drain(direction)
    on_data(direction)


def _drain(direction: Direction) -> None:
    """Append waiting segments that now follow the contiguous stream."""
    while direction.pending:
        placed = False
        for seq in list(direction.pending):
            ahead = (seq - direction.next_seq) % _WRAP
            data, frame, time = direction.pending[seq]
            if ahead >= 1 << 31 or ahead == 0:
                del direction.pending[seq]
                direction.pending_bytes -= len(data)
                behind = 0 if ahead == 0 else _WRAP - ahead
                if behind < len(data):
                    direction._append(data[behind:], frame, time)
                    placed = True
        if not placed:
            return


def _flush(direction: Direction, on_data: DataCallback, on_gap: GapCallback, capture: Capture) -> None:
    """Close every gap before waiting segments: skip the missing bytes, report them, go on parsing."""
    while direction.pending:
        seq = min(direction.pending, key=lambda s: (s - direction.next_seq) % _WRAP)
        missing = (seq - direction.next_seq) % _WRAP
        _, frame, _ = direction.pending[seq]
        conn = direction.connection
        side = "client" if direction.from_client else "server"
        capture.problems.append(Problem(frame, f"{missing} bytes of {conn.label} ({side} side) missing before "
                                               f"this frame (not captured); skipped"))
        on_gap(direction, missing)
        direction.consume(len(direction.buffer))  # what came before the gap cannot be completed
        direction.base += missing
        direction.received = direction.base
        direction.next_seq = seq
        _drain(direction)
        on_data(direction)


def epoch_utc(seconds: float) -> datetime | None:
    """A capture timestamp (epoch seconds) as naive UTC; ``None`` for one that is no time (NaN, infinite, or beyond
    the years 1-9999 Python's datetime holds: a damaged pcapng timestamp or mitmproxy ``timestamp_start``)."""
    try:
        return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError):
        return None
