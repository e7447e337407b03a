"""Value-pattern detector: values whose format says what they are, wherever they sit.

Each pattern has a name used in ``patterns`` of ``mappings/data_types.yaml`` and a fixed confidence
(how often a match of that format is the data type in practice). Sources of the formats: IPv4/IPv6
(RFC 791, RFC 4291, via :mod:`ipaddress`), IMEI (3GPP TS 23.003, Luhn check digit), MAC (IEEE 802),
phone numbers (libphonenumber via the ``phonenumbers`` package; only numbers written with a ``+``
country code, the form apps send), Android ID (16 hex digits, Android ``Settings.Secure.ANDROID_ID``),
advertising ids (UUIDs, as GAID/OAID/IDFA), WeChat ids (``wxid_`` prefix), Mini Program app ids
(``wx`` + 16 hex digits), FCM push tokens (``<instance id>:APA91b...``), user agents (``Mozilla/``,
``Dalvik/``).

IP addresses: WeChat's network diagnostics report server addresses too (values under keys such as ``peerIP``,
``server``, ``dns`` are skipped), and its key-value reports (``newreportkvcomm``) carry them as bare list items:
in the 2023 captures almost every bare address there is one of Tencent's servers, not the device's. An address
is therefore reported as ``ip_address`` at 0.4 (listed apart, never judged) unless the leaf's key name agrees
(``clientIp``, ``client_ip_addr``: 0.8); the device's own address is found with certainty by the key detector
(``clientip``) or a device profile.

MAC addresses likewise: six hex pairs are the IEEE 802 format of any network interface's address, as often a
Wi-Fi access point's (the BSSID, which WeChat's ``rtkvreport`` lists right after the network's SSID) or a
Bluetooth peer's as the device's own. A bare match is ``mac_address`` at 0.4 (listed apart, never judged) unless
the leaf's key name agrees (``macAddress``: 0.8); a field the app names ``mac`` is found by the key detector.

Shape-only identifiers: a UUID, 16 hex digits or a 15-digit Luhn number says that a value is an identifier,
not whose or of which kind (a UUID is as often a request or session id as an advertising id). A match of the
``imei``, ``android_id`` or ``advertising_id`` pattern alone is therefore reported as the generic data type
``identifier`` at confidence 0.3 (below the default judging threshold of 0.5, so it is listed, never judged);
only when the leaf's key name agrees (it contains a key name that ``data_types.yaml`` lists for the specific
type, e.g. ``deviceImei``, ``oaid_value``) is the specific type reported, at 0.8. Exact key names, message
schema field names and device-profile values are found by the key and profile detectors at their own,
higher, confidence.

Coordinates are found as a latitude/longitude pair only: two neighbouring numbers (CSV fields, sibling
protobuf float fields) or two numbers in one string, one within [-90, 90] and the other within
[-180, 180], each with at least 3 decimals (float fields: a fractional part), as Citizen Lab searched
for "the combination of certain numbers ... to avoid matching false positives".
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Callable, Iterator

import phonenumbers

from policycheck.errors import PolicycheckError
from policycheck.flows.detectors.common import normalize_key
from policycheck.flows.model import Finding, Leaf, format_float
from policycheck.ontology import Ontology

_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
_IPV6 = re.compile(r"(?<![0-9A-Fa-f:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Fa-f:.])")
_IMEI = re.compile(r"(?<!\d)\d{15}(?!\d)")
_MAC = re.compile(r"(?<![0-9A-Fa-f:-])(?:[0-9A-Fa-f]{2}([:-]))(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}"
                  r"(?![0-9A-Fa-f:-])")
_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}"
                    r"(?![\w-])")
_ANDROID_ID = re.compile(r"^[0-9a-f]{16}$")
_UUID = re.compile(r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")
_WXID = re.compile(r"(?<![A-Za-z0-9_])wxid_[a-z0-9]{6,32}(?![A-Za-z0-9_])")
_APPID = re.compile(r"(?<![A-Za-z0-9])wx[0-9a-f]{16}(?![0-9a-f])")
_FCM = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{11,}:APA91b[A-Za-z0-9_-]{50,}")
_NATIONAL = re.compile(r"^\(?\d[\d\s().-]{4,22}\d$")
_USER_AGENT = re.compile(r"\b(?:Mozilla|Dalvik)/\d")
_DECIMAL = re.compile(r"^-?\d{1,3}\.(\d{3,})$")
_PAIR_IN_TEXT = re.compile(r"(?<![\d.])(-?\d{1,3}\.\d{3,})\s*[,;/ ]\s*(-?\d{1,3}\.\d{3,})(?![\d.])")
_SERVER_KEY = re.compile(r"peer|server|svr|dns|host|proxy|gateway|cdn|dst|remote", re.IGNORECASE)
_MAC_PLACEHOLDER = "02:00:00:00:00:00"  # what Android 6+ returns instead of the real MAC
# values of a pattern's format that identify nothing: they do not make a key's value agree with its type
# (Android 6.0 behaviour changes, "Access to Hardware Identifier": the MAC reads as 02:00:00:00:00:00)
PLACEHOLDERS: dict[str, frozenset[str]] = {"mac_address": frozenset({_MAC_PLACEHOLDER})}
# IMEI Reporting Body Identifiers (first two digits of the TAC; GSMA TS.06): other prefixes are not IMEIs
_IMEI_RBI = frozenset({"01", "10", "30", "33", "35", "44", "45", "49", "50", "51", "52", "53", "54", "86",
                       "91", "98", "99"})

Match = tuple[str, float]  # (matched text, confidence)


def _ipv4(text: str) -> Iterator[Match]:
    for m in _IPV4.finditer(text):
        try:
            ip = ipaddress.IPv4Address(m.group())
        except ValueError:
            continue
        octets = m.group().split(".")
        if any(len(o) > 1 and o[0] == "0" for o in octets) or all(int(o) < 10 for o in octets):
            continue  # version numbers ("2.4.1.0", "01.02.03.04"), not addresses
        if ip.is_unspecified or ip.is_loopback or ip.is_multicast or ip.is_reserved or ip.is_link_local:
            continue
        if octets[2] == "0" and octets[3] == "0":
            continue
        yield m.group(), 0.5


def _ipv6(text: str) -> Iterator[Match]:
    if text.count(":") < 2:
        return
    for m in _IPV6.finditer(text):
        candidate = m.group()
        if candidate.count(":") < 3 or sum(c.isalnum() for c in candidate) < 4:
            continue
        try:
            ip = ipaddress.IPv6Address(candidate)
        except ValueError:
            continue
        if ip.is_unspecified or ip.is_loopback or ip.is_multicast:
            continue
        yield candidate, 0.5


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _imei(text: str) -> Iterator[Match]:
    for m in _IMEI.finditer(text):
        digits = m.group()
        if digits[:2] in _IMEI_RBI and _luhn(digits) and len(set(digits)) > 3:
            yield digits, 0.5


def _mac(text: str) -> Iterator[Match]:
    for m in _MAC.finditer(text):
        mac = m.group().lower().replace("-", ":")
        if mac in ("00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff"):
            continue
        yield m.group(), 0.3 if mac == _MAC_PLACEHOLDER else 0.8


def _phone(text: str) -> Iterator[Match]:
    if "+" not in text:
        return
    for match in phonenumbers.PhoneNumberMatcher(text, None, leniency=phonenumbers.Leniency.VALID):
        yield match.raw_string, 0.8


def _phone_agrees(text: str) -> Iterator[Match]:
    """A phone number in international (+) form, or as a country writes it nationally: 6 to 15 digits (ITU-T
    E.164: at most 15) with spaces, dashes, dots or parentheses between them, not all one digit."""
    yield from _phone(text)
    if "+" not in text and _NATIONAL.match(text):
        digits = re.sub(r"\D", "", text)
        if 6 <= len(digits) <= 15 and len(set(digits)) > 1:
            yield text, 0.8


def _email(text: str) -> Iterator[Match]:
    if "@" in text:
        for m in _EMAIL.finditer(text):
            yield m.group(), 0.9


def _android_id(text: str) -> Iterator[Match]:
    if _ANDROID_ID.match(text) and not text.isdigit() and not text.isalpha():
        yield text, 0.4


def _uuid(text: str) -> Iterator[Match]:
    if _UUID.match(text) and text.strip("0-"):
        yield text, 0.3


def _regex(pattern: re.Pattern[str], confidence: float, hint: str) -> Callable[[str], Iterator[Match]]:
    def find(text: str) -> Iterator[Match]:
        if hint in text:
            for m in pattern.finditer(text):
                yield m.group(), confidence
    return find


def _user_agent(text: str) -> Iterator[Match]:
    if "/" in text and _USER_AGENT.search(text):
        yield text, 0.9


# pattern name -> finder over one text value; "coordinates" is handled by pairs (see PatternDetector)
FINDERS: dict[str, Callable[[str], Iterator[Match]]] = {
    "ipv4": _ipv4,
    "ipv6": _ipv6,
    "imei": _imei,
    "mac_address": _mac,
    "phone_number": _phone,
    "email": _email,
    "android_id": _android_id,
    "advertising_id": _uuid,
    "wechat_id": _regex(_WXID, 0.95, "wxid_"),
    "mini_program_appid": _regex(_APPID, 0.95, "wx"),
    "push_token": _regex(_FCM, 0.95, ":APA91b"),
    "user_agent": _user_agent,
}
# the value formats a value must have to agree with a key or profile entry that already names its type, where they
# are wider than what a pattern alone may find: a phone number under a ``mobile`` key or stated in a profile is
# written as the account's country writes it (13800138000), where only the +-form is safe to find anywhere
AGREEMENT: dict[str, Callable[[str], Iterator[Match]]] = {"phone_number": _phone_agrees}
PAIR_PATTERNS = ("coordinates",)
# patterns whose match says only "an identifier": the specific type needs an agreeing key name
SHAPE_ONLY = frozenset({"imei", "android_id", "advertising_id"})
GENERIC_IDENTIFIER = "identifier"
SHAPE_ONLY_CONFIDENCE = 0.3
# patterns whose match is the data type's format but as often someone else's value (a server's address, a Wi-Fi
# access point's MAC): the specific type at this confidence (listed, never judged) unless the key name agrees
# (KEY_AGREES_CONFIDENCE)
NOT_WHOSE = frozenset({"ipv4", "ipv6", "mac_address"})
NOT_WHOSE_CONFIDENCE = 0.4
KEY_AGREES_CONFIDENCE = 0.8
_MIN_HINT = 4  # key names shorter than this ("aid") are too common inside other names to count as agreement


def _placeholder(pattern: str, match: str) -> bool:
    return match.lower().replace("-", ":") in PLACEHOLDERS.get(pattern, frozenset())


def _worth_trying(pattern: str, text: str) -> bool:
    """Cheap necessary conditions, so that most leaves skip most regular expressions."""
    size = len(text)
    if text.isalnum():  # letters and digits only: an IMEI, an Android ID or an app id at most
        return (pattern == "imei" and size == 15) or (pattern == "android_id" and size == 16) or (
            pattern == "mini_program_appid" and size == 18)
    if pattern == "ipv4":
        return size >= 7 and "." in text
    if pattern == "imei":
        return size >= 15
    if pattern == "mac_address":
        return size >= 17 and (":" in text or "-" in text)
    if pattern == "android_id":
        return size == 16
    if pattern == "advertising_id":
        return size == 36
    return size >= 6


def _coordinate(text: str) -> float | None:
    m = _DECIMAL.match(text.strip())
    return float(text) if m else None


def _is_pair(a: float, b: float) -> bool:
    """``(a, b)`` is (latitude, longitude) or (longitude, latitude), not near (0, 0)."""
    in_range = (abs(a) <= 90 and abs(b) <= 180) or (abs(a) <= 180 and abs(b) <= 90)
    return in_range and max(abs(a), abs(b)) >= 1


def _fractional(value: float) -> bool:
    """Whether ``value`` has a fractional part; never for NaN or an infinity (JSON bodies may hold ``NaN``,
    ``Infinity`` or ``1e999``, which Python's parser reads as such floats)."""
    return math.isfinite(value) and abs(value - round(value)) > 1e-6


class PatternDetector:
    """Runs the value patterns that ``data_types.yaml`` names, on every non-composite leaf."""

    name = "pattern"

    def __init__(self, onto: Ontology) -> None:
        self.by_pattern: dict[str, list[str]] = {}
        for concept in onto.data_types.values():
            for pattern in concept.attrs["patterns"]:
                if pattern not in FINDERS and pattern not in PAIR_PATTERNS:
                    known = sorted([*FINDERS, *PAIR_PATTERNS])
                    raise PolicycheckError(concept.path, f"{concept.id}: no value pattern named {pattern!r} "
                                           f"(known: {known})", line=concept.line)
                self.by_pattern.setdefault(pattern, []).append(concept.id)
        self.finders = [(name, FINDERS[name]) for name in FINDERS if name in self.by_pattern]
        # normalized key names of each data type, to tell whether a leaf's name agrees with a shape-only match
        self.key_hints = {concept.id: [h for h in (normalize_key(k.rpartition("/")[2]) for k in concept.attrs["keys"])
                                       if len(h) >= _MIN_HINT]
                          for concept in onto.data_types.values()}

    def _typed(self, pattern: str, leaf: Leaf, match: str, confidence: float) -> Iterator[tuple[str, float]]:
        """(data type, confidence) of a match: shape-only patterns give their specific types only when the
        leaf's key name agrees, else the generic identifier at :data:`SHAPE_ONLY_CONFIDENCE`; addresses
        (:data:`NOT_WHOSE`) their type at :data:`NOT_WHOSE_CONFIDENCE` unless the key name agrees."""
        if pattern not in SHAPE_ONLY and pattern not in NOT_WHOSE:
            for data_type in self.by_pattern[pattern]:
                yield data_type, confidence
            return
        name = normalize_key(leaf.name or "")
        agreeing = [t for t in self.by_pattern[pattern] if any(h in name for h in self.key_hints.get(t, ()))]
        if agreeing:  # a known placeholder (02:00:00:00:00:00) identifies nothing, whatever its key: its own grade
            for data_type in agreeing:
                yield data_type, confidence if _placeholder(pattern, match) else KEY_AGREES_CONFIDENCE
        elif pattern in NOT_WHOSE:
            for data_type in self.by_pattern[pattern]:
                yield data_type, min(confidence, NOT_WHOSE_CONFIDENCE)
        else:
            yield GENERIC_IDENTIFIER, SHAPE_ONLY_CONFIDENCE

    def validates(self, data_type_patterns: list[str], text: str) -> bool:
        """Whether ``text`` matches one of the patterns with a value that is not a known placeholder
        (:data:`PLACEHOLDERS`; used by the key and profile detectors to grade confidence)."""
        for pattern in data_type_patterns:
            if pattern in PAIR_PATTERNS:
                if _coordinate(text) is not None:
                    return True
            else:
                placeholders = PLACEHOLDERS.get(pattern, frozenset())
                finder = AGREEMENT.get(pattern, FINDERS[pattern])
                if any(value.lower().replace("-", ":") not in placeholders for value, _ in finder(text)):
                    return True
        return False

    def find(self, leaves: list[Leaf], texts: list[str], body: bytes) -> list[Finding]:
        found: list[Finding] = []
        imei_types = self.by_pattern.get("imei", ())
        for leaf, text in zip(leaves, texts, strict=True):
            value = leaf.value
            if leaf.composite or isinstance(value, bytes | float):
                continue
            if isinstance(value, int):  # a number can only be an IMEI (15 digits)
                if imei_types and 10**14 <= value < 10**15:
                    for match, confidence in _imei(text):
                        found.extend(Finding(t, leaf.path, "pattern:imei", c, match, leaf.name)
                                     for t, c in self._typed("imei", leaf, match, confidence))
                continue
            if len(text) < 6:  # shorter than the shortest form any pattern accepts
                continue
            for name, finder in self.finders:
                if not _worth_trying(name, text):
                    continue
                if name in ("ipv4", "ipv6") and leaf.name and _SERVER_KEY.search(leaf.name):
                    continue
                for match, confidence in finder(text):
                    for data_type, typed_confidence in self._typed(name, leaf, match, confidence):
                        found.append(Finding(data_type, leaf.path, f"pattern:{name}", typed_confidence, match,
                                             leaf.name))
        if "coordinates" in self.by_pattern:
            found.extend(self._coordinates(leaves))
        return found

    def _coordinates(self, leaves: list[Leaf]) -> list[Finding]:
        found: list[Finding] = []
        data_types = self.by_pattern["coordinates"]

        def add(leaf: Leaf, value: str, confidence: float) -> None:
            for data_type in data_types:
                found.append(Finding(data_type, leaf.path, "pattern:coordinates", confidence, value,
                                     leaf.name))

        # one candidate number per position: a float reading with a fractional part, or a decimal string
        numbers: dict[tuple[str, int], tuple[Leaf, float]] = {}
        for leaf in leaves:
            if leaf.composite:
                continue
            number = None
            if isinstance(leaf.value, float) and _fractional(leaf.value):
                number = leaf.value
            elif isinstance(leaf.value, str):
                number = _coordinate(leaf.value)
                for m in _PAIR_IN_TEXT.finditer(leaf.value):
                    if _is_pair(float(m.group(1)), float(m.group(2))):
                        add(leaf, f"{m.group(1)},{m.group(2)}", 0.7)
            if number is not None:
                numbers.setdefault((leaf.group, leaf.index), (leaf, number))
        for (group, index), (leaf, number) in numbers.items():
            following = numbers.get((group, index + 1))
            if following is not None and following[0].path != leaf.path and _is_pair(number, following[1]):
                add(leaf, format_float(number), 0.7)
                add(following[0], format_float(following[1]), 0.7)
        return found
