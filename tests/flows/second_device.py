"""A second device built at test time: the 2023 Citizen Lab logs with every value of the test device rewritten.

policycheck will be judged on captures of a device it has never seen. This module turns the 2023 logs (one
Android 12 emulator, one account) into the logs of another plausible device and account, consistently: every
occurrence of a value of the first device becomes the second device's value, in every encoding the logs carry
it (protobuf varints and float32/float64 fields with their lengths re-encoded, text in JSON, XML, forms and
comma-separated reports, URL-encoded forms, MD5/SHA hashes of the value, base64 text, zlib/gzip layers). The
rewritten bodies are written to a temporary folder (never committed: ../shared data is read-only research
data) beside a device profile of the second device (``profile_yaml``).

The rewriting knows the wire formats only (https://protobuf.dev/programming-guides/encoding/), never
policycheck's decoder: a body policycheck misreads would be rewritten by the wire format and the difference
show up in the comparison.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
import shutil
import string
import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, quote_plus

import yaml

from tests.flows.pbwrite import varint

VARINT, FIXED64, LEN, FIXED32 = 0, 1, 2, 5
COORDINATE_TOLERANCE = 1e-4
_BASE64_TEXT = re.compile(r"^(?:[A-Za-z0-9+/]{4}){4,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# an FCM registration token: instance id, ':APA91b', the token (Firebase Cloud Messaging)
FCM_TOKEN = re.compile(r"[A-Za-z0-9_-]{11,}:APA91b[A-Za-z0-9_-]{50,}")
_TOKEN_ALPHABET = string.ascii_letters + string.digits + "-_"
_SHIFTED = str.maketrans(_TOKEN_ALPHABET, _TOKEN_ALPHABET[7:] + _TOKEN_ALPHABET[:7])


@dataclass(frozen=True)
class Value:
    """One value of a device and what it becomes on the other device. ``bounded``: replaced only between
    non-alphanumeric characters (short values such as ``en``); ``context``: replaced only as part of these longer
    strings (``{}`` marks the value: ``Android {}``), for values too short and common to replace anywhere (the
    OS release ``12`` is also a counter)."""

    old: str
    new: str
    bounded: bool = False
    context: tuple[str, ...] = ()


@dataclass
class Device:
    """How one device differs from another: text values, numbers sent as varints (the account's uin), coordinate
    pairs (sent as text and as float32/float64) and the device profile of the new device."""

    values: list[Value]
    numbers: dict[int, int]
    coordinates: list[tuple[float, float]]
    profile: dict
    # identifiers no profile lists but the device's all the same (its FCM push tokens): every match of these shapes
    # gets other characters of the same alphabet, the same length and the same fixed parts
    shapes: tuple[re.Pattern[str], ...] = (FCM_TOKEN,)
    _pattern: re.Pattern[str] | None = field(default=None, init=False, repr=False)
    _table: dict[str, str] = field(default_factory=dict, init=False, repr=False)

    def replacements(self) -> Iterator[tuple[str, str, bool]]:
        """(old form, new form, bounded) for every value: as written, URL-encoded, hashed (MD5, SHA1, SHA256 of
        the value as written, lowercased and uppercased; hex digits in either case), base64, and the
        coordinates as the decimal text of the logs."""
        for value in self.values:
            pairs = [(c.format(value.old), c.format(value.new)) for c in value.context] or [(value.old, value.new)]
            for old, new in pairs:
                yield old, new, value.bounded
                for encode in (lambda s: quote(s, safe=""), quote_plus, lambda s: quote(quote(s, safe=""), safe="")):
                    if encode(old) != old:
                        yield encode(old), encode(new), value.bounded
            if value.context or value.bounded:
                continue
            yield from _hashed(value.old, value.new)
            yield base64.b64encode(value.old.encode()).decode(), base64.b64encode(value.new.encode()).decode(), True
        for old, new in self.coordinates:
            for digits in range(3, 9):
                text = f"{old:.{digits}f}"
                if float(text) == old:  # the decimals the logs write: 37.422, -122.08407
                    yield text, _same_decimals(new, digits), True

    def text(self, text: str) -> str:
        """``text`` with every form of every old value replaced (longest first, in one pass)."""
        if self._pattern is None:
            alternatives = []
            for old, new, bounded in sorted(set(self.replacements()), key=lambda r: -len(r[0])):
                if old in self._table:
                    continue
                self._table[old] = new
                escaped = re.escape(old)
                alternatives.append(_bounded(old, escaped) if bounded else escaped)
            self._pattern = re.compile("|".join(alternatives))
        text = self._pattern.sub(lambda m: self._table[m.group()], text)
        for shape in self.shapes:
            text = shape.sub(_scrambled, text)
        return text

    def body(self, raw: bytes) -> bytes:
        """A request body of the old device as the new device would have sent it."""
        return _Rewriter(self).value(raw, 0)

    def profile_yaml(self) -> str:
        return yaml.safe_dump({"device": "second device (rewritten at test time)", "values": self.profile},
                              allow_unicode=True, sort_keys=False)


def _scrambled(match: re.Match[str]) -> str:
    head, marker, tail = match.group().partition(":APA91b")
    return head.translate(_SHIFTED) + marker + tail.translate(_SHIFTED)


def _bounded(old: str, escaped: str) -> str:
    """A bounded value: a number between non-digits (``hash%3D1505495844`` in a URL-encoded line), text between
    non-alphanumeric characters."""
    if old.isdigit():
        return rf"(?<!\d){escaped}(?!\d)"
    return rf"(?<![A-Za-z0-9]){escaped}(?![A-Za-z0-9])"


def _hashed(old: str, new: str) -> Iterator[tuple[str, str, bool]]:
    for transform in (str, str.lower, str.upper):
        for algorithm in (hashlib.md5, hashlib.sha1, hashlib.sha256):
            before = algorithm(transform(old).encode()).hexdigest()
            after = algorithm(transform(new).encode()).hexdigest()
            yield before, after, True
            yield before.upper(), after.upper(), True


def _same_decimals(number: float, digits: int) -> str:
    return f"{number:.{digits}f}"


class _Rewriter:
    """Walks one body by its wire format: protobuf messages (lengths re-encoded), zlib/gzip, base64 text, text."""

    def __init__(self, device: Device) -> None:
        self.device = device

    def value(self, raw: bytes, depth: int) -> bytes:
        if not raw or depth > 30:
            return raw
        fields = _parse(raw)
        text = _text(raw)
        if fields is not None and (text is None or raw[0] < 0x20):
            return b"".join(self.field(number, wire, value, depth) for number, wire, value in fields)
        if text is not None:
            ending = raw[len(raw.rstrip(b"\x00")):]
            return self.text(text, depth).encode("utf-8") + ending
        inflated = _inflate(raw)
        if inflated is not None:
            plain, deflate = inflated
            return deflate(self.value(plain, depth + 1))
        return self.device.text(raw.decode("latin-1")).encode("latin-1") if _same_length(self.device) else raw

    def field(self, number: int, wire: int, value: int | bytes, depth: int) -> bytes:
        tag = varint(number << 3 | wire)
        if wire == VARINT:
            assert isinstance(value, int)
            return tag + varint(self.device.numbers.get(value, value))
        if wire == LEN:
            assert isinstance(value, bytes)
            inner = self.value(value, depth + 1)
            return tag + varint(len(inner)) + inner
        assert isinstance(value, bytes)
        fmt = "<f" if wire == FIXED32 else "<d"
        number_read = struct.unpack(fmt, value)[0]
        for old, new in self.device.coordinates:
            if abs(number_read - old) <= COORDINATE_TOLERANCE:
                return tag + struct.pack(fmt, new)
        return tag + value

    def text(self, text: str, depth: int) -> str:
        stripped = text.strip()
        if _BASE64_TEXT.match(stripped):
            decoded = base64.b64decode(stripped)
            rewritten = self.value(decoded, depth + 1)
            if rewritten != decoded:
                return text.replace(stripped, base64.b64encode(rewritten).decode("ascii"))
        return self.device.text(text)


def _same_length(device: Device) -> bool:
    return all(len(old) == len(new) for old, new, _ in device.replacements())


def _text(raw: bytes) -> str | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    text = text.rstrip("\x00")
    return text if text and not _CONTROL.search(text) else None


def _read_varint(raw: bytes, pos: int) -> tuple[int, int] | None:
    result = shift = 0
    while pos < len(raw) and shift < 70:
        byte = raw[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7
    return None


def _parse(raw: bytes) -> list[tuple[int, int, int | bytes]] | None:
    """The fields of a protobuf message that spans all of ``raw`` exactly, else None."""
    fields: list[tuple[int, int, int | bytes]] = []
    pos = 0
    while pos < len(raw):
        tag = _read_varint(raw, pos)
        if tag is None or tag[0] >> 3 == 0 or tag[0] >> 3 > 20_000:
            return None
        (key, pos), wire = tag, tag[0] & 7
        if wire == VARINT:
            read = _read_varint(raw, pos)
            if read is None:
                return None
            value, pos = read
            fields.append((key >> 3, wire, value))
        elif wire in (FIXED64, FIXED32):
            size = 8 if wire == FIXED64 else 4
            if pos + size > len(raw):
                return None
            fields.append((key >> 3, wire, raw[pos:pos + size]))
            pos += size
        elif wire == LEN:
            read = _read_varint(raw, pos)
            if read is None or read[1] + read[0] > len(raw):
                return None
            size, pos = read
            fields.append((key >> 3, wire, raw[pos:pos + size]))
            pos += size
        else:
            return None
    return fields


def _inflate(raw: bytes) -> tuple[bytes, Callable[[bytes], bytes]] | None:
    if raw[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(raw), gzip.compress
        except (OSError, EOFError, zlib.error):
            return None
    if len(raw) > 2 and raw[0] & 0x0F == 8 and (raw[0] << 8 | raw[1]) % 31 == 0:
        try:
            return zlib.decompress(raw), zlib.compress
        except zlib.error:
            return None
    return None


def rewrite_logs(source: Path, target: Path, device: Device) -> Path:
    """Copy a Citizen Lab dataset folder (``request_types.csv``, ``network_logs/*.jsonl``) to ``target`` with
    every request body rewritten for ``device``; the file names (scenarios) stay. Returns ``target``."""
    (target / "network_logs").mkdir(parents=True, exist_ok=True)
    for extra in ("request_types.csv", "README.md"):
        if (source / extra).exists():
            shutil.copy(source / extra, target / extra)
    done: dict[str, str] = {}
    for log in sorted((source / "network_logs").glob("*.jsonl")):
        lines = []
        for line in log.read_text(encoding="utf-8").splitlines():
            lines.append(_line(line, device, done))
        (target / "network_logs" / log.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def _line(line: str, device: Device, done: dict[str, str]) -> str:
    try:
        record = json.loads(line)
        data = record["data"]
        body = bytes.fromhex(data)
    except (ValueError, KeyError, TypeError):
        return line  # a bad line stays bad
    if data not in done:
        done[data] = device.body(body).hex()
    record["data"] = done[data]
    return json.dumps(record)
