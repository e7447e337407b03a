"""Network captures (pcap, pcapng): WeChat's MMTLS traffic decrypted with a Frida key log, and plain HTTP.

Every TCP connection is reassembled per direction (:mod:`.tcp`). A direction carries either HTTP messages
(WeChat's shortlinks are HTTP POSTs to ``/mmtls/<id>`` whose bodies are MMTLS records; ``newgetdns`` is a
plaintext GET), or bare MMTLS records (the longlink), or something else (TLS, which is counted and left
alone). MMTLS records are decrypted with the key log (:mod:`policycheck.flows.mmtls`, the analogue of
Wireshark's TLS key log): every decrypted application-data record from the phone is a request with the
CGI path and host of its inner header, its time and frame number from the capture and its connection; a
plaintext HTTP request is one too. Data from the server becomes :class:`RawResponse` items, kept apart.

Records that cannot be matched to a key-log entry or do not verify are counted (a :class:`Note` per
file) and, for application data from the phone, reported one by one with their frame number; a request
whose outer layer decrypts but whose inner layer does not is kept with its path, host and header fields
and ``body_status = 'encrypted'``. Without a key log, MMTLS records are only counted.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from policycheck.flows import mmtls
from policycheck.flows.model import Note, Problem, RawRequest, RawResponse
from policycheck.flows.readers import http
from policycheck.flows.readers.tcp import Connection, Direction, epoch_utc, is_pcap, reassemble
from policycheck.sizes import size_text

MAX_HEAD = 64 * 1024
MAX_HTTP_BODY = 32 * 1024 * 1024
MAX_CHUNK_LINE = 4096  # a chunk-size line (hex size and extensions, RFC 9112 7.1) longer than this is malformed
_METHODS = (b"GET ", b"POST ", b"PUT ", b"HEAD ", b"DELETE ", b"PATCH ", b"OPTIONS ")


@dataclass
class _Exchange:
    """The HTTP message a direction is in, while its body is being received."""

    line: int
    time: float
    head: list[tuple[str, str]]
    start_line: str
    length: int | None  # Content-Length; None: chunked or until close
    chunked: bool
    chunks: _Chunks | None = None  # how far a chunked body has been parsed


@dataclass
class _Chunks:
    """Where parsing a chunked body stands, so that each byte is parsed once however many segments it comes in."""

    offset: int = 0  # where the next chunk-size line starts (in the direction's buffer)
    searched: int = 0  # bytes after ``offset`` (or the last chunk) already searched for a line end
    body: bytearray = field(default_factory=bytearray)
    last: bool = False  # the last (0-size) chunk was read: the trailer follows


@dataclass
class _Parser:
    mode: str | None = None  # 'http' | 'mmtls' | 'other'
    exchange: _Exchange | None = None
    lost: bool = False  # a gap: resynchronise before parsing again
    skip_head: bool = False  # inside an HTTP header block too long to parse: dropped up to its blank line
    host: str | None = None  # Host of the current HTTP exchange (for MMTLS inside it)
    target: str | None = None


@dataclass
class _Session:
    path: Path
    keys: mmtls.KeyLog | None
    out: list[RawRequest | RawResponse | Problem] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    waiting: dict[int, deque[int]] = field(default_factory=dict)  # connection -> request lines (HTTP)

    # -- stream callbacks
    def on_data(self, direction: Direction) -> None:
        parser = direction.state
        if parser is None:
            parser = direction.state = _Parser()
        while direction.buffer:
            if parser.skip_head and not self._skip_head(direction, parser):
                return
            if parser.lost and not self._resync(direction, parser):
                return
            if parser.mode is None:
                parser.mode = _mode(bytes(direction.buffer[:8]))
                if parser.mode is None:
                    return
            if parser.mode == "other":
                self.counts["other bytes"] += len(direction.buffer)
                direction.consume(len(direction.buffer))
                return
            step = self._http(direction, parser) if parser.mode == "http" else self._records(direction, parser)
            if not step:
                return

    def on_gap(self, direction: Direction, missing: int) -> None:
        state = direction.state
        if isinstance(state, _Parser):
            state.lost, state.exchange = True, None

    def on_close(self, conn: Connection) -> None:
        for direction in conn.directions.values():
            parser = direction.state
            if isinstance(parser, _Parser) and parser.exchange is not None and parser.exchange.length is None \
                    and not parser.exchange.chunked:
                self._http_message(direction, parser, bytes(direction.buffer))  # body until close
            elif direction.buffer and isinstance(parser, _Parser) and parser.mode in ("http", "mmtls"):
                frame, _ = direction.at(direction.base)
                self.out.append(Problem(frame, f"{conn.label}: connection ends inside a message "
                                               f"({len(direction.buffer)} bytes not parsed)"))
                direction.consume(len(direction.buffer))

    # -- HTTP
    def _http(self, direction: Direction, parser: _Parser) -> bool:
        buffer = direction.buffer
        if parser.exchange is None:
            end = buffer.find(b"\r\n\r\n", 0, MAX_HEAD)
            if end < 0:
                if len(buffer) >= MAX_HEAD:
                    self._lose(direction, parser, f"HTTP header block longer than {size_text(MAX_HEAD)}")
                    parser.skip_head = True
                    return True
                return False
            frame, time = direction.at(direction.base)
            lines = bytes(buffer[:end]).decode("latin-1").split("\r\n")
            head = [(k.strip(), v.strip()) for k, sep, v in (line.partition(":") for line in lines[1:]) if sep]
            length = http.header(head, "content-length")
            chunked = "chunked" in (http.header(head, "transfer-encoding") or "").lower()
            is_request = lines[0].split(" ", 1)[0].isupper() and not lines[0].startswith("HTTP/")
            status = lines[0].split(" ")[1] if not is_request and lines[0].count(" ") >= 1 else ""
            bodiless = is_request or status.startswith("1") or status in ("204", "304")  # RFC 9112 6.3
            size = int(length) if length and length.strip().isdigit() else (0 if bodiless and not chunked
                                                                            else None)
            if is_request:
                parser.host = (http.header(head, "host") or "").split(":")[0].lower() or None
                parser.target = lines[0].split(" ")[1] if lines[0].count(" ") >= 2 else None
            direction.consume(end + 4)
            parser.exchange = _Exchange(frame, time, head, lines[0], size, chunked)
            if size == 0 and not chunked:
                self._http_message(direction, parser, b"", 0)
            return True
        exchange = parser.exchange
        if exchange.chunked:
            if len(buffer) > MAX_HTTP_BODY + MAX_HEAD:
                self._lose(direction, parser, f"chunked HTTP body above the {size_text(MAX_HTTP_BODY)} limit")
                return True
            if exchange.chunks is None:
                exchange.chunks = _Chunks()
            body, used = _dechunk(buffer, exchange.chunks)
            if body is None:
                return False
        elif exchange.length is None:
            return False  # until the connection closes
        else:
            if exchange.length > MAX_HTTP_BODY:
                self._lose(direction, parser, f"HTTP body of {size_text(exchange.length)} above the "
                                              f"{size_text(MAX_HTTP_BODY)} limit; skipped")
                return True
            if len(buffer) < exchange.length:
                return False
            body, used = bytes(buffer[:exchange.length]), exchange.length
        self._http_message(direction, parser, body, used)
        return True

    def _http_message(self, direction: Direction, parser: _Parser, body: bytes, used: int | None = None) -> None:
        """Handle a complete HTTP message whose body starts the buffer (``used`` bytes of it, all when None),
        then consume it."""
        start = direction.base
        try:
            self._message(direction, parser, body, start)
        finally:
            direction.consume(len(direction.buffer) if used is None else used)

    def _message(self, direction: Direction, parser: _Parser, body: bytes, start: int) -> None:
        exchange = parser.exchange
        parser.exchange = None
        if exchange is None:
            return
        if body[1:3] == mmtls.VERSION and body[:1] and body[0] in mmtls.RECORD_TYPES:
            offset = 0
            while offset < len(body):
                try:
                    length = mmtls.record_length(body, offset)
                except ValueError:
                    length = None
                if length is None or offset + length > len(body):
                    self.out.append(Problem(exchange.line, f"{direction.connection.label}: HTTP body holds "
                                                           "a cut or malformed MMTLS record; rest skipped"))
                    break
                frame, time = direction.at(start + offset)
                self._record(direction, parser, mmtls.Record(body[offset], body[offset:offset + length]),
                             frame, time)
                offset += length
            return
        self.counts["http " + ("requests" if direction.from_client else "responses")] += 1
        conn = direction.connection
        if direction.from_client:
            self._http_request(conn, parser, exchange, body)
        else:
            status = exchange.start_line.split(" ")
            code = int(status[1]) if len(status) > 1 and status[1].isdigit() else None
            decoded, _, _ = http.decode_body(body, exchange.head)
            answered = self.waiting.get(conn.index)
            self.out.append(RawResponse(exchange.line, decoded, epoch_utc(exchange.time),
                                        answered.popleft() if answered else None, code,
                                        http.header(exchange.head, "content-type"), conn.label, "http"))

    def _http_request(self, conn: Connection, parser: _Parser, exchange: _Exchange, body: bytes) -> None:
        target = parser.target or "/"
        host = parser.host or conn.server[0]
        port = conn.server[1]
        absolute = target if target.startswith("http") else f"http://{host}{'' if port == 80 else f':{port}'}{target}"
        _, url, path, query = http.split_url(absolute)
        decoded, form, problem = http.decode_body(body, exchange.head)
        fields = http.request_fields(exchange.head, query) + form
        method = exchange.start_line.split(" ", 1)[0]
        self.waiting.setdefault(conn.index, deque()).append(exchange.line)
        self.out.append(RawRequest(exchange.line, decoded, path=path, host=parser.host,
                                   time=epoch_utc(exchange.time), fields=fields, problem=problem, method=method,
                                   url=url, connection=conn.label, protocol="http"))

    # -- MMTLS
    def _records(self, direction: Direction, parser: _Parser) -> bool:
        buffer = direction.buffer
        try:
            length = mmtls.record_length(buffer)
        except ValueError as exc:
            self._lose(direction, parser, str(exc))
            return True
        if length is None or len(buffer) < length:
            return False
        frame, time = direction.at(direction.base)
        record = mmtls.Record(buffer[0], bytes(buffer[:length]))
        direction.consume(length)
        self._record(direction, parser, record, frame, time)
        return True

    def _record(self, direction: Direction, parser: _Parser, record: mmtls.Record, line: int, time: float) -> None:
        side = "client" if direction.from_client else "server"
        conn = direction.connection
        if record.is_hello():
            self.counts[f"{side} hello"] += 1
            return
        if self.keys is None:
            self.counts[f"{side} encrypted, no key log"] += 1
            return
        outer = mmtls.decrypt_outer(record, self.keys)
        if isinstance(outer, str):
            self.counts[f"{side} {'without key' if outer == 'no key' else 'failed'}"] += 1
            if direction.from_client and record.type == mmtls.DATA:
                reason = ("no key-log entry for its last 8 bytes" if outer == "no key" else outer)
                self.out.append(Problem(line, f"{conn.label}: MMTLS application-data record from the phone "
                                              f"({len(record.data)} bytes) not decrypted: {reason}"))
            return
        plain, _ = outer
        if record.type != mmtls.DATA:
            self.counts[f"{side} control decrypted"] += 1
            return
        inner = mmtls.parse_outer_plaintext(plain)
        decrypted = mmtls.decrypt_inner(inner, self.keys)
        body, status = (decrypted[0], None) if not isinstance(decrypted, str) else (None, "encrypted")
        self.counts[f"{side} data {'decrypted' if body is not None else 'outer layer only'}"] += 1
        if isinstance(decrypted, str) and direction.from_client and decrypted != "no inner key":
            self.out.append(Problem(line, f"{conn.label}: {decrypted}"))
        when = epoch_utc(time)
        in_http = parser.mode == "http"
        if direction.from_client:
            fields: list[http.Field] = [("mmtls", name, str(value)) for name, value in
                                        (("clientversion", inner.client_version), ("uin", inner.uin)) if value]
            host = inner.host or (parser.host if in_http else None)
            url = f"http://{parser.host}{parser.target}" if in_http and parser.host and parser.target else None
            if in_http:
                self.waiting.setdefault(conn.index, deque()).append(line)
            self.out.append(RawRequest(line, body, path=inner.path, req_type_id=inner.request_type, host=host,
                                       time=when, fields=fields, method="POST" if in_http else None, url=url,
                                       connection=conn.label, protocol="mmtls", body_status=status))
        else:
            answered = self.waiting.get(conn.index) if in_http else None
            self.out.append(RawResponse(line, body, when, answered.popleft() if answered else None,
                                        connection=conn.label, protocol="mmtls", body_status=status))

    # -- resynchronisation after a gap or a malformed message
    def _lose(self, direction: Direction, parser: _Parser, why: str) -> None:
        frame, _ = direction.at(direction.base)
        self.out.append(Problem(frame, f"{direction.connection.label}: {why}; looking for the next message"))
        parser.lost, parser.exchange = True, None
        direction.consume(1)

    def _skip_head(self, direction: Direction, parser: _Parser) -> bool:
        """Drop the rest of an HTTP header block longer than :data:`MAX_HEAD`, up to its blank line, then look for
        the next message: False while the blank line has not arrived (all but the last 3 bytes dropped, so each
        byte is searched once; resynchronising byte by byte inside it searched 64 KB per byte)."""
        buffer = direction.buffer
        end = buffer.find(b"\r\n\r\n")
        if end < 0:
            direction.consume(max(len(buffer) - 3, 0))
            return False
        direction.consume(end + 4)
        parser.skip_head = False
        return True

    def _resync(self, direction: Direction, parser: _Parser) -> bool:
        """Drop bytes up to the next start of a message (an MMTLS record header, an HTTP request or status line);
        False when none has arrived (the last 7 bytes kept: a start may be cut there). Searches the buffer in
        place, up to the first start."""
        buffer = direction.buffer
        if parser.mode == "mmtls":
            start = _record_start(buffer)
        else:
            start = min((i for prefix in (*_METHODS, b"HTTP/1.") if (i := buffer.find(prefix)) >= 0), default=-1)
        if start < 0:
            direction.consume(max(len(buffer) - 7, 0))
            return False
        direction.consume(start)
        parser.lost = False
        return True

    def note(self) -> Note | None:
        if not self.counts:
            return None
        shown = ", ".join(f"{name} {count}" for name, count in sorted(self.counts.items()))
        if self.keys is not None:
            unused = self.keys.unused("INNER", True)
            if unused:
                shown += f"; {unused} inner key-log entries of the phone matched no record"
        return Note(f"MMTLS/HTTP records: {shown}")


def _mode(head: bytes) -> str | None:
    if len(head) < 3:
        return None
    if head.startswith(_METHODS) or head.startswith(b"HTTP/1."):
        return "http"
    if head[0] in mmtls.RECORD_TYPES and head[1:3] == mmtls.VERSION:
        return "mmtls"
    if len(head) < 8 and any(start.startswith(head) for start in (*_METHODS, b"HTTP/1.")):
        return None  # the start of a request or status line, cut by a small first segment: wait for more
    return "other"


def _record_start(buffer: bytearray) -> int:
    """Offset of the first MMTLS record header (a record type byte, then the version) in ``buffer``, else -1."""
    at = buffer.find(mmtls.VERSION, 1)
    while at >= 0:
        if buffer[at - 1] in mmtls.RECORD_TYPES:
            return at - 1
        at = buffer.find(mmtls.VERSION, at + 1)
    return -1


def _dechunk(data: bytearray, chunks: _Chunks) -> tuple[bytes | None, int]:
    """A complete chunked body and the bytes of ``data`` it used, or ``(None, 0)`` while it is incomplete; parsing
    goes on from where ``chunks`` says the last call stopped (a body in 3,000 segments was copied and searched from
    its start 3,000 times)."""
    offset = chunks.offset
    while not chunks.last:
        end = data.find(b"\r\n", max(offset, chunks.searched))
        if end < 0:
            chunks.offset, chunks.searched = offset, max(len(data) - 1, offset)
            return None, 0
        try:
            if end - offset > MAX_CHUNK_LINE:
                raise ValueError("chunk-size line too long")
            size = int(data[offset:end].split(b";")[0], 16)
        except ValueError:
            return bytes(chunks.body), len(data)  # malformed: take what there is
        if size and len(data) < end + 2 + size + 2:
            chunks.offset = chunks.searched = offset
            return None, 0
        chunks.body.extend(data[end + 2:end + 2 + size])
        offset = chunks.searched = end + 2 + size + (2 if size else 0)
        chunks.last = size == 0
        if len(chunks.body) > MAX_HTTP_BODY:
            return bytes(chunks.body), offset
    trailer = data.find(b"\r\n\r\n", max(offset - 2, chunks.searched - 3))
    chunks.offset, chunks.searched = offset, len(data)
    return (bytes(chunks.body), trailer + 4) if trailer >= 0 else (None, 0)


class PcapReader:
    format = "pcap"
    description = "pcap/pcapng network capture (MMTLS decrypted with a key log; plain HTTP)"
    takes_settings = True

    def __init__(self, settings) -> None:
        self.key_log: Path | None = settings.key_log

    @staticmethod
    def sniff(head: bytes) -> bool:
        return is_pcap(head)

    def read(self, path: Path) -> Iterator[RawRequest | RawResponse | Problem | Note]:
        """Requests and responses of the capture in the order their streams completed them, then the
        problems (frame number as line) and one :class:`Note` counting the records."""
        keys = None
        if self.key_log is not None:
            try:
                keys = mmtls.KeyLog.read(self.key_log)
            except OSError as exc:
                yield Note(f"key log {self.key_log} cannot be read ({exc.strerror}); MMTLS records only counted")
            else:
                for problem in keys.problems:
                    yield Note(f"{self.key_log}:{problem.line}: {problem.problem}")
                if keys.entries == 0:
                    yield Note(f"key log {self.key_log} holds no key entry (no line is a Frida key-log JSON "
                               "object); MMTLS records only counted")
        else:
            yield Note("no MMTLS key log given (--key-log or captures.yaml key_log): MMTLS records only counted")
        session = _Session(path, keys)
        with path.open("rb") as handle:
            capture = reassemble(handle, path, session.on_data, session.on_gap, session.on_close)
        yield from session.out
        yield from capture.problems
        if capture.packets and not capture.tcp_packets:
            yield Problem(None, f"{capture.packets} packet(s) read, none of them a TCP segment over IPv4/IPv6")
        note = session.note()
        if note is not None:
            yield note
