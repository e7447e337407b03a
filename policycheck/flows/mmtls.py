"""MMTLS, WeChat's own transport encryption: records, the Frida key log, and decryption of both layers.

Facts of the format are from Citizen Lab's 2024 WeChat security report (public repository
``citizenlab/wechat-security-report``: ``docs/mmtls-network-format.md``, ``docs/outer-crypto.md``,
``docs/inner-crypto.md``, ``docs/business-layer/wechat-encrypted-request-format.md``, ``code/decrypt-keylog.py``):

- A **record** is 1 type byte (``0x15`` alert, ``0x16`` handshake, ``0x17`` application data, ``0x19``
  0-RTT handshake), the version bytes ``f1 04``, a 2-byte big-endian length, then that many bytes. Hello
  messages (``ClientHello`` ``01 0x f1``, ``ServerHello`` ``02 0x f1`` after a 4-byte length) are plaintext;
  every other record is encrypted.
- The **key log** (written by the report's Frida hooks) has one JSON object per line: ``layer``
  (``OUTER``/``INNER``), ``encrypt`` (true: the phone encrypted, i.e. sent, the data), ``key``, ``nonce``
  (or ``iv``), ``metadata``, ``tail`` (hex of the last 8 bytes of the ciphertext the key was used on) and,
  for inner AES-GCM, ``tag``.
- **Outer layer**: AES-128-GCM over the record body after the 5-byte header, the last 16 bytes being the
  tag, with the key-log ``metadata`` (record sequence number + record header) as associated data; the
  entry is found by the record's last 8 bytes.
- **Inner layer**: the outer plaintext of a request is a header (shortlink: lengths, the CGI path
  ``/cgi-bin/micromsg-bin/...`` and the host; longlink: a 16-byte packet header) followed by WeChat's
  ``0xbf`` request header and the inner ciphertext. AES-CBC with PKCS#7 padding (entry found by the last 8
  bytes), or AES-GCM (``HybridEcdhEncrypt`` and large bodies; ciphertext, 12-byte IV and 16-byte tag, the
  entry found by the IV and verified by the tag; the ``secautoauth`` login request wraps it as the last
  field of a protobuf message). The inner plaintext is the request body (often zlib, then protobuf).

The ``0xbf`` header: byte 1 is the header length << 2 | compression flag, byte 2 the encryption algorithm
<< 4 | cookie length, then two 32-bit big-endian numbers, the cookie and varints starting with the request
type (layout of ``wechat-encrypted-request-format.md``; the Citizen Lab notes label the two numbers user
and device id; on the report's own 2024 capture they equal the ``clientversion`` and ``uin`` parameters of
the same session's plaintext ``newgetdns`` request, which is how they are named here). The header's length
field gives where the ciphertext starts; when it is missing or inconsistent, the published rule is used
(the bytes after the last ``00 00``), trying earlier ``00 00`` only when the later split does not decrypt.

Nothing is guessed: a record is decrypted only with a key-log entry whose tag (GCM) or padding and
stated length (CBC) verify; every other record is counted as unmatched or failed.
"""

from __future__ import annotations

import itertools
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from policycheck.flows import limits, protobuf
from policycheck.flows.model import Problem
from policycheck.flows.readers.text import bomless_utf16, open_utf8, utf8_head

VERSION = b"\xf1\x04"
ALERT, HANDSHAKE, DATA, EARLY_HANDSHAKE = 0x15, 0x16, 0x17, 0x19
RECORD_TYPES = frozenset({ALERT, HANDSHAKE, DATA, EARLY_HANDSHAKE})
HEADER = 5
TAG = 16
GCM_IV = 12
MAX_KEYLOG_LINE = 64 * 1024
MAX_SPLITS = 64  # candidate ciphertext starts tried per record
_KEY_SIZES = frozenset({16, 24, 32})


@dataclass(frozen=True, slots=True)
class KeyEntry:
    """One key-log line: which layer, whether the phone sent (``encrypt``) the data, the key material."""

    line: int
    layer: str  # 'OUTER' | 'INNER'
    encrypt: bool
    tail: bytes
    key: bytes
    nonce: bytes  # GCM nonce or CBC IV
    metadata: bytes  # associated data (GCM)
    tag: bytes | None  # inner GCM only

    @property
    def gcm(self) -> bool:
        return self.layer == "OUTER" or self.tag is not None


@dataclass
class KeyLog:
    """The entries of one key log, indexed as records are matched to them."""

    path: Path
    outer: dict[bytes, list[KeyEntry]] = field(default_factory=dict)  # last 8 bytes of the record
    inner_cbc: dict[bytes, list[KeyEntry]] = field(default_factory=dict)  # last 8 bytes of the ciphertext
    inner_gcm: dict[bytes, list[KeyEntry]] = field(default_factory=dict)  # IV + tag
    problems: list[Problem] = field(default_factory=list)
    used: set[int] = field(default_factory=set)  # lines of entries that decrypted something

    @property
    def entries(self) -> int:
        return sum(len(v) for index in (self.outer, self.inner_cbc, self.inner_gcm) for v in index.values())

    @classmethod
    def read(cls, path: Path) -> KeyLog:
        """Parse a key log; a bad line becomes a :class:`Problem` (file line, what is wrong), never fatal.

        The file may be UTF-8, or UTF-16/UTF-32 with a byte-order mark (:func:`.readers.text.open_utf8`); UTF-16
        without one is a single problem at line 1, no entry read.
        Raises ``OSError`` when the file cannot be read, :class:`PolicycheckError` when it is not a regular file.
        """
        log = cls(path)
        with open_utf8(path) as handle:
            head = handle.peek(4096)[:4096] if hasattr(handle, "peek") else b""  # b"": transcoded from a BOM
            if bomless_utf16(head):  # only its first line parsed (JSON guesses UTF-16), the others were skipped
                log.problems.append(Problem(1, _BOMLESS))
                return log
            for number, raw in enumerate(_lines(handle), start=1):
                if raw is None:
                    log.problems.append(Problem(number, f"key-log line longer than {MAX_KEYLOG_LINE} bytes; skipped"))
                    continue
                text = raw.strip().lstrip(b"\xef\xbb\xbf")
                if not text.startswith(b"{"):
                    continue  # Frida's own messages between the JSON lines
                entry = _entry(number, text)
                if isinstance(entry, Problem):
                    log.problems.append(entry)
                else:
                    log._add(entry)
        return log

    def _add(self, entry: KeyEntry) -> None:
        if entry.layer == "OUTER":
            self.outer.setdefault(entry.tail, []).append(entry)
        elif entry.tag is not None:
            self.inner_gcm.setdefault(entry.nonce + entry.tag, []).append(entry)
        else:
            self.inner_cbc.setdefault(entry.tail, []).append(entry)

    def unused(self, layer: str, encrypt: bool) -> int:
        """How many entries of a layer and direction decrypted nothing in this capture."""
        indexes = (self.outer,) if layer == "OUTER" else (self.inner_cbc, self.inner_gcm)
        return sum(1 for index in indexes for entries in index.values() for e in entries
                   if e.encrypt == encrypt and e.line not in self.used)


_BOMLESS = ("key log is UTF-16 text without a byte-order mark, whose byte order is unknown: not read; save it as "
            "UTF-8 (or as UTF-16 with a byte-order mark)")


def _entry(number: int, text: bytes) -> KeyEntry | Problem:
    try:
        data = limits.load_json(text)
    except UnicodeDecodeError:
        return Problem(number, "key-log line is not UTF-8 text")
    except limits.LimitExceeded as exc:
        return Problem(number, f"key-log line {exc}")
    except ValueError as exc:
        return Problem(number, f"key-log line is not JSON ({getattr(exc, 'msg', 'invalid')})")
    if not isinstance(data, dict):
        return Problem(number, "key-log line is not a JSON object")
    layer = data.get("layer")
    if layer not in ("OUTER", "INNER"):
        return Problem(number, f"key-log 'layer' must be OUTER or INNER, got {str(layer)[:20]!r}")
    if not isinstance(data.get("encrypt"), bool):
        return Problem(number, "key-log 'encrypt' must be true or false")
    values: dict[str, bytes] = {}
    for name in ("key", "tail", "nonce", "iv", "metadata", "tag"):
        value = data.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            return Problem(number, f"key-log '{name}' is not a hex string")
        try:
            values[name] = bytes.fromhex(value)
        except ValueError:
            return Problem(number, f"key-log '{name}' is not hex")
    nonce = values.get("nonce", values.get("iv"))
    if "key" not in values or "tail" not in values or nonce is None:
        missing = [n for n in ("key", "tail", "nonce") if n not in values and not (n == "nonce" and nonce)]
        return Problem(number, f"key-log line lacks {', '.join(missing)}")
    if len(values["key"]) not in _KEY_SIZES:
        return Problem(number, f"key-log 'key' has {len(values['key'])} bytes (AES needs 16, 24 or 32)")
    tag = values.get("tag") if layer == "INNER" else None
    if layer == "OUTER" and len(values["tail"]) != 8:
        return Problem(number, f"key-log 'tail' has {len(values['tail'])} bytes, expected 8")
    return KeyEntry(number, layer, data["encrypt"], values["tail"], values["key"], nonce,
                    values.get("metadata", b""), tag)


def _lines(handle: IO[bytes]) -> Iterator[bytes | None]:
    """The lines of a key log, each at most :data:`MAX_KEYLOG_LINE` bytes read; None for a longer one (the rest of
    it skipped without being held in memory)."""
    while raw := handle.readline(MAX_KEYLOG_LINE + 1):
        if len(raw) <= MAX_KEYLOG_LINE or raw.endswith(b"\n"):
            yield raw
            continue
        while (rest := handle.readline(MAX_KEYLOG_LINE)) and not rest.endswith(b"\n"):
            pass
        yield None


def is_key_log(head: bytes) -> bool:
    """Whether a file's first bytes look like an MMTLS key log (JSON lines with layer, key and tail), in UTF-8 or
    in UTF-16/UTF-32 with a byte-order mark."""
    for raw in utf8_head(head).lstrip(b"\xef\xbb\xbf").splitlines()[:20]:
        line = raw.strip()
        if line.startswith(b"{"):
            return b'"layer"' in line and b'"key"' in line and b'"tail"' in line
    return False


# -- records

@dataclass(frozen=True, slots=True)
class Record:
    type: int
    data: bytes  # the whole record, header included

    @property
    def body(self) -> bytes:
        return self.data[HEADER:]

    def is_hello(self) -> bool:
        """A plaintext ClientHello/ServerHello (``<4-byte length> 01|02 04 f1``)."""
        body = self.body
        return (self.type in (HANDSHAKE, EARLY_HANDSHAKE) and len(body) >= 7
                and int.from_bytes(body[:4], "big") == len(body) - 4 and body[4] in (1, 2)
                and body[6] == VERSION[0])


def record_length(buffer: bytes | bytearray, offset: int = 0) -> int | None:
    """Total length of the record starting at ``offset``; ``None`` when fewer than 5 bytes are there.

    Raises ``ValueError`` when the bytes there are not a record header (type and version).
    """
    if len(buffer) - offset < HEADER:
        return None
    if buffer[offset] not in RECORD_TYPES or buffer[offset + 1:offset + 3] != VERSION:
        raise ValueError(f"not an MMTLS record header: {bytes(buffer[offset:offset + 3]).hex(' ')}")
    return HEADER + int.from_bytes(buffer[offset + 3:offset + 5], "big")


def decrypt_outer(record: Record, keys: KeyLog) -> tuple[bytes, KeyEntry] | str:
    """The outer plaintext and the entry that verified it, else why not (``'no key'`` or a reason)."""
    entries = keys.outer.get(record.data[-8:])
    if not entries:
        return "no key"
    for entry in entries:
        try:
            plain = AESGCM(entry.key).decrypt(entry.nonce, record.body, entry.metadata or None)
        except (InvalidTag, ValueError):
            continue
        keys.used.add(entry.line)
        return plain, entry
    lines = ", ".join(str(e.line) for e in entries)
    return f"GCM tag does not verify with the key-log entry matched by its last 8 bytes (line {lines})"


# -- inner layer

@dataclass
class Inner:
    """What the outer plaintext of a data record says: where it went and its inner ciphertext."""

    path: str | None = None  # CGI path (shortlink)
    host: str | None = None  # host (shortlink)
    longlink_cmd: int | None = None
    request_type: int | None = None
    client_version: int | None = None
    uin: int | None = None
    raw_length: int | None = None  # body length before compression, as the 0xbf header states
    sent_length: int | None = None  # body length as encrypted (compressed), as the header states
    header_end: int | None = None  # where the 0xbf header says the ciphertext starts (in rest)
    rest: bytes = b""  # the 0xbf header + ciphertext


def parse_outer_plaintext(plain: bytes) -> Inner:
    """Split a data record's outer plaintext into its routing header, the ``0xbf`` header and the rest."""
    inner = Inner(rest=plain)
    if len(plain) >= 16 and plain[4:6] == b"\x00\x10" and plain[6:8] == b"\x00\x01":  # longlink packet
        inner.longlink_cmd = int.from_bytes(plain[8:12], "big")
        inner.rest = plain[16:]
    elif len(plain) >= 10 and int.from_bytes(plain[:4], "big") == len(plain) - 4:  # shortlink: path, host
        try:
            offset = 4
            path_len = int.from_bytes(plain[offset:offset + 2], "big")
            path = plain[offset + 2:offset + 2 + path_len].decode("ascii")
            offset += 2 + path_len
            host_len = int.from_bytes(plain[offset:offset + 2], "big")
            host = plain[offset + 2:offset + 2 + host_len].decode("ascii")
            offset += 2 + host_len
            rest_len = int.from_bytes(plain[offset:offset + 4], "big")
            if path.startswith("/") and offset + 4 + rest_len == len(plain):
                inner.path, inner.host, inner.rest = path, host.lower() or None, plain[offset + 4:]
        except (UnicodeDecodeError, IndexError):
            pass
    _bf_header(inner)
    return inner


def _bf_header(inner: Inner) -> None:
    rest = inner.rest
    if len(rest) < 12 or rest[0] != 0xBF:
        return
    length, cookie = rest[1] >> 2, rest[2] & 0x0F
    if length > len(rest) or 11 + cookie > length:
        return
    inner.header_end = length
    inner.client_version, inner.uin = struct.unpack(">II", rest[3:11])
    varints = _varints(rest[11 + cookie:length], 3)
    if varints:
        inner.request_type = varints[0]
    if len(varints) >= 3:
        inner.raw_length, inner.sent_length = varints[1], varints[2]


def _varints(buf: bytes, count: int) -> list[int]:
    """The first ``count`` varints of ``buf`` (fewer when it ends or a varint runs past 10 bytes)."""
    values: list[int] = []
    value = shift = 0
    for byte in buf:
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            values.append(value)
            if len(values) == count:
                break
            value = shift = 0
        elif shift >= 70:
            break
    return values


def _splits(inner: Inner) -> Iterator[int]:
    """Candidate starts of the inner ciphertext in ``inner.rest``: the ``0xbf`` header's own length, then
    the positions after each ``00 00`` (overlapping ones included), last first."""
    rest = inner.rest
    if inner.header_end is not None and rest[inner.header_end - 2:inner.header_end] == b"\x00\x00":
        yield inner.header_end
    end = len(rest)
    while (position := rest.rfind(b"\x00\x00", 0, end)) >= 0:
        if position + 2 != inner.header_end:
            yield position + 2
        end = position + 1


def decrypt_inner(inner: Inner, keys: KeyLog) -> tuple[bytes, KeyEntry] | str:
    """The inner plaintext (the request or response body) and its key-log entry, else why not."""
    rest = inner.rest
    cbc = keys.inner_cbc.get(rest[-8:]) if len(rest) >= 16 else None
    gcm = keys.inner_gcm.get(rest[-(GCM_IV + TAG):]) if len(rest) >= GCM_IV + TAG else None
    if not cbc and not gcm:
        return "no inner key"
    for start in itertools.islice(_splits(inner), MAX_SPLITS):
        region = rest[start:]
        for entry in cbc or ():
            plain = _cbc(entry, region)
            if plain is not None and (inner.sent_length is None or start != inner.header_end
                                      or inner.sent_length == len(plain)):
                keys.used.add(entry.line)
                return plain, entry
        for entry in gcm or ():
            for payload in _gcm_payloads(region):
                plain = _gcm(entry, payload)
                if plain is not None:
                    keys.used.add(entry.line)
                    return plain, entry
    entries = ", ".join(str(e.line) for e in (cbc or gcm or []))
    mode = "PKCS#7 padding or stated length" if cbc else "GCM tag"
    return f"inner {mode} does not verify with the key-log entry matched by its tail (line {entries})"


def _cbc(entry: KeyEntry, region: bytes) -> bytes | None:
    if not region or len(region) % 16 or len(entry.nonce) != 16:
        return None
    decryptor = Cipher(algorithms.AES(entry.key), modes.CBC(entry.nonce)).decryptor()
    padded = decryptor.update(region) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    try:
        return unpadder.update(padded) + unpadder.finalize()
    except ValueError:
        return None


def _gcm_payloads(region: bytes) -> Iterator[bytes]:
    """``ciphertext + IV + tag`` candidates: the whole region, else the last field of a protobuf message
    that ends where the region ends (``HybridEcdhEncrypt``'s request message)."""
    yield region
    parsed = protobuf.parse(region, 1000)
    if parsed.status == "ok" and parsed.fields:
        last = parsed.fields[-1]
        if last.wire_type == protobuf.LEN and len(last.value) > GCM_IV + TAG:
            yield last.value


def _gcm(entry: KeyEntry, payload: bytes) -> bytes | None:
    if len(payload) < GCM_IV + TAG:
        return None
    ciphertext, tag = payload[:-(GCM_IV + TAG)], payload[-TAG:]
    try:
        return AESGCM(entry.key).decrypt(entry.nonce, ciphertext + tag, entry.metadata or None)
    except (InvalidTag, ValueError):
        return None
