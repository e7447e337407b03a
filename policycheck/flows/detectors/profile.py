"""Device-profile detector: the known values of the test device and account, however they are encoded.

Every value of a :class:`~policycheck.flows.profile.DeviceProfile` is searched, with one Aho-Corasick
automaton (pyahocorasick), in every decoded leaf and in the raw body bytes, as written and as its
lowercase/uppercase, URL-encoded, hex, base64 (standard and URL-safe, with or without padding), MD5,
SHA1 and SHA256 forms (of the value as written, lowercased and uppercased), and, for numbers, as a
protobuf varint in the raw bytes; a 32-bit number also as its signed or unsigned reading (``_variants``: WeChat
keeps the uin in a Java int). Matching is case-insensitive. To keep short values from matching
everywhere, a value shorter than 6 characters must be a whole text leaf, one shorter than 12 must stand
between non-alphanumeric characters unless it has 7 or more characters with letters and digits (a phone model
written together with the CPU ABI, ``SM-S9110arm64-v8a``), and raw-byte matching is used only for forms of 8
bytes or more. A number of fewer than 6 digits (an OS release ``12``) is not searched at all: counters take such
values everywhere.

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
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import quote

import ahocorasick

from policycheck.flows.model import Finding, Leaf, format_float
from policycheck.flows.profile import DeviceProfile, Pair, ambiguous

SHORT = 6
BOUNDED = 12
# a value of letters and digits this long (a phone model: Pixel 7, SM-S9110) is found inside a longer word too:
# WeChat writes the model and the CPU ABI together (SM-S9110arm64-v8a); shorter or one-kind values need neighbours
# (an all-hex value of 7 characters turns up by chance about once in 270 million hex digits)
DISTINCTIVE = 7
RAW_MIN = 8
DISAGREES = 0.4  # a profile value without its data type's value format (a placeholder): never judged
COORDINATE_TOLERANCE = 1e-4
_INT32 = re.compile(r"^-?\d{1,10}$")


@dataclass(frozen=True)
class _Needle:
    data_type: str
    encoding: str  # 'plain', 'url', 'hex', 'base64', 'md5', 'sha1', 'sha256', 'varint'
    length: int
    form: str = ""  # the form as written (case kept), to tell apart values equal but for case
    cap: float = 1.0  # highest confidence of a finding (DISAGREES for a value without its type's format)
    distinctive: bool = False  # letters and digits, DISTINCTIVE characters or more: matched inside longer words


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


def _variants(value: str) -> Iterator[str]:
    """The value as written and, for a 32-bit integer, its other readings. WeChat for Android holds the uin in a
    Java ``int`` (decompiled ``com.tencent.mm.kernel.CoreAccount``: ``getUin()I``, ``getInt("default_uin")`` of
    ``system_config_prefs``; ``UIN.getString(I)`` formats it unsigned): a number from 2^31 to 2^32 - 1 travels as
    an unsigned decimal or varint in one field and as a negative int32 (in a varint: its 64-bit two's complement)
    in another, and a profile copied from the phone's preferences gives the negative reading. Each reading is
    searched: ``3094716528``, ``-1200250768`` and ``18446744072509300848`` are one value."""
    yield value
    if not _INT32.match(value):
        return
    number = int(value)
    if -(1 << 31) <= number < 0:
        number += 1 << 32
    if not (1 << 31) <= number < (1 << 32):
        return  # below 2^31 both readings are the same number
    signed = number - (1 << 32)
    yield from sorted({str(number), str(signed), str(signed + (1 << 64))} - {value})


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

    def __init__(self, profile: DeviceProfile, agrees: Callable[[str, str], bool] | None = None,
                 named: Callable[[Leaf], str | None] | None = None) -> None:
        """``agrees(data_type, value)``: whether a profile value has its data type's value format
        (:meth:`policycheck.flows.detectors.keys.KeyDetector.agrees`); None trusts every value. ``named(leaf)``:
        the data type a leaf's key names (:meth:`~policycheck.flows.detectors.keys.KeyDetector.data_type_of`),
        which tells apart the types of a value the profile lists under several (brand and manufacturer are one
        word on most phones: ``samsung``, ``Xiaomi``)."""
        self.profile = profile
        self.named = named
        self.leaf_automaton = ahocorasick.Automaton()
        self.raw_automaton = ahocorasick.Automaton()
        for data_type, values in profile.values.items():
            for value in values:
                if ambiguous(value):
                    continue  # a short number: a counter as often as the device's value (DeviceProfile.notes)
                cap = 1.0 if agrees is None or agrees(data_type, value) else DISAGREES
                for variant in _variants(value):
                    self._add_value(data_type, variant, cap)
        for automaton in (self.leaf_automaton, self.raw_automaton):
            if len(automaton):
                automaton.make_automaton()

    def _add_value(self, data_type: str, value: str, cap: float) -> None:
        for encoding, form in _forms(value):
            needle = form.lower()
            if encoding != "plain" and len(needle) < RAW_MIN:
                continue
            self._add(self.leaf_automaton, needle,
                      _Needle(data_type, encoding, len(needle), form, cap, _distinctive(form)))
            if len(needle) >= RAW_MIN:
                raw = form.encode("utf-8").decode("latin-1").lower()
                self._add(self.raw_automaton, raw, _Needle(data_type, encoding, len(raw), cap=cap))
        if value.isdigit() and int(value) >= 1 << 21:
            raw = _varint(int(value)).decode("latin-1").lower()
            self._add(self.raw_automaton, raw, _Needle(data_type, "varint", len(raw), cap=cap))

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
            if len({n.data_type for n in needles}) > 1:
                needles = self._told_apart(needles, hit, leaf)
            for needle in needles:
                if needle.encoding == "plain":
                    exact = whole == hit.lower()
                    if needle.length < SHORT:
                        if not exact or not isinstance(leaf.value, str):
                            continue
                    elif needle.length < BOUNDED and not needle.distinctive and not _bounded(lowered, start, end):
                        continue
                    confidence = 0.95 if exact else 0.85
                else:
                    confidence = 0.9
                matched.add(needle.data_type)
                detector = self.name if needle.encoding == "plain" else f"{self.name}:{needle.encoding}"
                yield Finding(needle.data_type, leaf.path, detector, min(confidence, needle.cap), hit, leaf.name)

    def _told_apart(self, needles: Sequence[_Needle], hit: str, leaf: Leaf) -> list[_Needle]:
        """The needles of a hit that matches values of several data types: those written as the hit is ('google'
        brand, 'Google' manufacturer, as on Pixels), then those of the type the leaf's key names (a ``brand``
        field); all of them when neither tells (a bare ``samsung`` in a report line is brand and manufacturer)."""
        chosen = [n for n in needles if n.form == hit] or list(needles)
        named = self.named(leaf) if self.named else None
        return [n for n in chosen if n.data_type == named] or chosen

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


def _distinctive(value: str) -> bool:
    return len(value) >= DISTINCTIVE and any(c.isalpha() for c in value) and any(c.isdigit() for c in value)


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
