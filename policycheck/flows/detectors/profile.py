"""Device-profile detector: the known values of the test device and account, however they are encoded.

Every value of a :class:`~policycheck.flows.profile.DeviceProfile` is searched, with one Aho-Corasick
automaton (pyahocorasick), in every decoded leaf and in the raw body bytes, as written and as its
lowercase/uppercase, URL-encoded, hex, base64 (standard and URL-safe, with or without padding), MD5,
SHA1 and SHA256 forms (of the value as written, lowercased and uppercased), and, for numbers, as a
protobuf varint in the raw bytes. Matching is case-insensitive. To keep short values from matching
everywhere, a value shorter than 6 characters must be a whole text leaf, one shorter than 12 must stand
between non-alphanumeric characters, and raw-byte matching is used only for forms of 8 bytes or more.

Pairs (coordinates, screen width and height) are matched as numbers: both must appear in the request,
coordinates within 1e-4 degrees (float32 readings and rounded strings included, and as micro-degree
integers), and a finding is made for each of the two values.

Confidence: 0.95 whole-leaf match, 0.85 part of a leaf, 0.9 encoded or hashed form, 0.6 raw bytes only;
pairs 0.9 when both numbers are neighbours in one message, list or line, 0.6 otherwise. A profile value that
does not have its data type's value format (``agrees``, the key detector's test: an ``imei`` that is no
IMEI, such as the placeholder an emulator reports) is at most 0.4, below the default ``--min-confidence``:
it says the device sent that string, not that it sent the identifier.
"""

from __future__ import annotations

import base64
import hashlib
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import quote

import ahocorasick

from policycheck.flows.model import Finding, Leaf, format_float
from policycheck.flows.profile import DeviceProfile, Pair

SHORT = 6
BOUNDED = 12
RAW_MIN = 8
DISAGREES = 0.4  # a profile value without its data type's value format (a placeholder): never judged
COORDINATE_TOLERANCE = 1e-4


@dataclass(frozen=True)
class _Needle:
    data_type: str
    encoding: str  # 'plain', 'url', 'hex', 'base64', 'md5', 'sha1', 'sha256', 'varint'
    length: int
    form: str = ""  # the form as written (case kept), to tell apart values equal but for case
    cap: float = 1.0  # highest confidence of a finding (DISAGREES for a value without its type's format)


def _varint(number: int) -> bytes:
    out = bytearray()
    while True:
        byte = number & 0x7F
        number >>= 7
        if number:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _forms(value: str) -> Iterator[tuple[str, str]]:
    """``(encoding, text)`` forms of one profile value; all compared lowercased."""
    yield "plain", value
    if len(value) < 4:
        return
    raw = value.encode("utf-8")
    quoted = quote(value, safe="")
    if quoted != value:
        yield "url", quoted
    yield "hex", raw.hex()
    for encoded in (base64.b64encode(raw), base64.urlsafe_b64encode(raw)):
        text = encoded.decode("ascii")
        yield "base64", text
        yield "base64", text.rstrip("=")
    for variant in {value, value.lower(), value.upper()}:
        data = variant.encode("utf-8")
        yield "md5", hashlib.md5(data).hexdigest()
        yield "sha1", hashlib.sha1(data).hexdigest()
        yield "sha256", hashlib.sha256(data).hexdigest()


class ProfileDetector:
    name = "profile"

    def __init__(self, profile: DeviceProfile, agrees: Callable[[str, str], bool] | None = None) -> None:
        """``agrees(data_type, value)``: whether a profile value has its data type's value format
        (:meth:`policycheck.flows.detectors.keys.KeyDetector.agrees`); None trusts every value."""
        self.profile = profile
        self.leaf_automaton = ahocorasick.Automaton()
        self.raw_automaton = ahocorasick.Automaton()
        for data_type, values in profile.values.items():
            for value in values:
                cap = 1.0 if agrees is None or agrees(data_type, value) else DISAGREES
                for encoding, form in _forms(value):
                    needle = form.lower()
                    if encoding != "plain" and len(needle) < RAW_MIN:
                        continue
                    self._add(self.leaf_automaton, needle, _Needle(data_type, encoding, len(needle), form, cap))
                    if len(needle) >= RAW_MIN:
                        raw = form.encode("utf-8").decode("latin-1").lower()
                        self._add(self.raw_automaton, raw, _Needle(data_type, encoding, len(raw), cap=cap))
                if value.isdigit() and int(value) >= 1 << 21:
                    raw = _varint(int(value)).decode("latin-1").lower()
                    self._add(self.raw_automaton, raw, _Needle(data_type, "varint", len(raw), cap=cap))
        for automaton in (self.leaf_automaton, self.raw_automaton):
            if len(automaton):
                automaton.make_automaton()

    @staticmethod
    def _add(automaton: ahocorasick.Automaton, needle: str, info: _Needle) -> None:
        existing = automaton.get(needle, None)
        infos = [*existing, info] if existing else [info]
        automaton.add_word(needle, tuple(dict.fromkeys(infos)))

    def find(self, leaves: list[Leaf], texts: list[str], body: bytes) -> list[Finding]:
        found: list[Finding] = []
        matched: set[str] = set()  # data types found in leaves, not searched again in raw bytes
        if len(self.leaf_automaton) and leaves:
            found.extend(self._leaves(leaves, texts, matched))
        if len(self.raw_automaton) and body:
            found.extend(self._raw(body, matched))
        if self.profile.pairs:
            numbers = [(leaf, n) for leaf in leaves for n in _numbers(leaf)]
            for pair in self.profile.pairs:
                found.extend(self._pair(pair, numbers))
        return found

    def _leaves(self, leaves: list[Leaf], texts: list[str], matched: set[str]) -> Iterator[Finding]:
        """One automaton pass over all leaf texts joined by NUL (a character no profile value contains)."""
        starts = []
        position = 0
        for text in texts:
            starts.append(position)
            position += len(text) + 1
        joined = "\x00".join(texts)
        lowered = joined.lower()
        for end, needles in self.leaf_automaton.iter(lowered):
            start = end - needles[0].length + 1
            index = bisect_right(starts, start) - 1
            leaf_start = starts[index]
            if end >= leaf_start + len(texts[index]):
                continue  # spans two leaves
            leaf, original = leaves[index], texts[index]
            whole = lowered[leaf_start:leaf_start + len(original)].strip().strip("\x00")
            hit = joined[start:end + 1]
            if len({n.data_type for n in needles}) > 1:  # 'google' (brand) vs 'Google' (manufacturer)
                needles = [n for n in needles if n.form == hit] or needles
            for needle in needles:
                if needle.encoding == "plain":
                    exact = whole == hit.lower()
                    if needle.length < SHORT:
                        if not exact or not isinstance(leaf.value, str):
                            continue
                    elif needle.length < BOUNDED and not _bounded(lowered, start, end):
                        continue
                    confidence = 0.95 if exact else 0.85
                else:
                    confidence = 0.9
                matched.add(needle.data_type)
                detector = self.name if needle.encoding == "plain" else f"{self.name}:{needle.encoding}"
                yield Finding(needle.data_type, leaf.path, detector, min(confidence, needle.cap), hit, leaf.name)

    def _raw(self, body: bytes, matched: set[str]) -> Iterator[Finding]:
        text = body.decode("latin-1")
        lowered = text.lower()
        for end, needles in self.raw_automaton.iter(lowered):
            for needle in needles:
                if needle.data_type in matched:
                    continue
                start = end - needle.length + 1
                value = text[start:end + 1]
                if needle.encoding == "varint":
                    value = str(_read_varint(body[start:end + 1]))
                detector = self.name if needle.encoding == "plain" else f"{self.name}:{needle.encoding}"
                yield Finding(needle.data_type, f"raw@{start}", detector, min(0.6, needle.cap), value)

    def _pair(self, pair: Pair, numbers: list[tuple[Leaf, float]]) -> list[Finding]:
        coordinates = pair.first[0] == "latitude"
        firsts, seconds = [], []
        for leaf, number in numbers:
            if coordinates and isinstance(leaf.value, int) and abs(number) > 1000:
                number = number / 1e6  # micro-degrees
            if _close(number, pair.first[1], coordinates):
                firsts.append((leaf, number))
            if _close(number, pair.second[1], coordinates):
                seconds.append((leaf, number))
        if not firsts or not seconds:
            return []
        groups = {leaf.group for leaf, _ in firsts} & {leaf.group for leaf, _ in seconds}
        found = []
        for leaf, number in [*firsts, *seconds]:
            confidence = 0.9 if leaf.group in groups else 0.6
            found.append(Finding(pair.data_type, leaf.path, self.name, confidence, format_float(number),
                                 leaf.name))
        return found


def _bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end + 1] if end + 1 < len(text) else " "
    return not before.isalnum() and not after.isalnum()


def _read_varint(raw: bytes) -> int:
    return sum((b & 0x7F) << (7 * i) for i, b in enumerate(raw))


def _numbers(leaf: Leaf) -> Iterator[float]:
    value = leaf.value
    if isinstance(value, int | float) and not isinstance(value, bool):
        yield float(value)
    elif isinstance(value, str) and len(value) <= 24 and value[:1] in "-+.0123456789":
        try:
            yield float(value)
        except ValueError:
            return


def _close(number: float, target: float, coordinates: bool) -> bool:
    if coordinates:
        return abs(number - target) <= COORDINATE_TOLERANCE
    return number == target
