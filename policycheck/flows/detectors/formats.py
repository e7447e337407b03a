"""Value formats: what a value must look like to agree with the data type that its key name already gives.

``formats`` of ``mappings/data_types.yaml`` name these checks. Unlike value patterns
(:mod:`policycheck.flows.detectors.patterns`), a format never finds a value on its own: it only grades a value that
the key detector (or a device profile) has already typed. Generic key names (``page``, ``query``, ``display``,
``serial``, ``signal``) mean the data type in one payload and something else in another app's or another WeChat
version's payload (a pagination counter, a URL query string, a screen size, a sequence number); a value without the
type's format then stays below the default ``--min-confidence`` (key detector: 0.4, listed apart, never judged).

Each check takes the value's text (stripped; at most :data:`MAX_FORMAT_CHARS` characters are ever examined) and returns
whether it has the format. Sources of the formats:

- ``version``: Android ``Build.VERSION.RELEASE`` ("12", "8.1.0") and ``INCREMENTAL`` (build-specific tokens such as
  ``G9650ZHS9FVC1``), iOS ``systemVersion`` ("16.5.1"), optionally after the system's name of up to three words
  ("iPhone OS 17.1": ``UIDevice.systemName`` before iOS 16; "Mac OS X 10_15_7" as user agents write it) and before
  a build in parentheses ("17.1 (21B74)": ``NSProcessInfo.operatingSystemVersionString``); never a date
  ("2024-06-01": a ``release`` key of another payload holding a release's date)
  (https://developer.android.com/reference/android/os/Build.VERSION);
- ``api_level``: Android ``Build.VERSION.SDK_INT`` (an integer 1-99; Android 14 is 34), or a version after a
  platform name as WeChat's ``devicetype`` writes it ("android-31", "iPhone iOS16.5.1"); a bare dotted number
  ("2.3.1") is a library's version, not an API level;
- ``build_id``: Android ``Build.DISPLAY`` and ``Build.FINGERPRINT`` (letters and digits, "QP1A.190711.020"), never
  a screen size ("1080x2340");
- ``serial``: Android ``Build.getSerial()``: 6-64 letters and digits, at least one digit;
- ``page``: a page path or URL ("pages/index/index", "/home"): letters, no white space, no boolean word, no file
  system path (Android's ``/data/user/``, ``/storage/``, ``/sdcard/``; iOS's ``/var/mobile/``, ``/private/var/``; a
  ``file:`` URL; a Windows drive): a ``path`` key of a crash or log report names a file, not a page;
- ``measurement``: numbers (round-trip times, signal levels), optionally with a unit, attached or after a space
  (``ms``, ``s``, ``us``, ``dBm``, ``dB``, ``asu``: Android ``CellSignalStrength.getAsuLevel``, ``%``: a Wi-Fi
  signal quality), one or a list;
- ``free_text``: words a user typed (search terms), not a URL, a ``key=value&...`` query string, a JSON/XML
  structure or a GraphQL document (a ``query`` key of a GraphQL request: ``query Name { ... }``,
  https://spec.graphql.org/October2021/#sec-Document);
- ``carrier``: an operator's MCC+MNC (3GPP TS 23.003: 3 + 2-3 digits; the MCC's first digit 2-7 or 9, or the test
  network's 001, ITU-T E.212), one or a list (dual SIM: "46000,46011"), or its name (letters outnumber digits),
  never a query language's comparison or logical operator (``eq``, ``contains``, ``and``: an ``operator`` key of a
  filter).
"""

from __future__ import annotations

import re
from collections.abc import Callable

MAX_FORMAT_CHARS = 4096

_VERSION = re.compile(r"(?:[A-Za-z]{1,16} ){0,3}[A-Za-z0-9._-]{1,64}(?: ?\([A-Za-z0-9 ._-]{1,64}\))?")
_DATE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:$|[ T])")  # ISO 8601 and like: a release's date
_API_LEVEL = re.compile(r"\d{1,2}|[A-Za-z][A-Za-z ]{1,31}[_-]?\d{1,3}(?:\.\d{1,4}){0,3}")
_SERIAL = re.compile(r"[A-Za-z0-9_-]{6,64}")
_RESOLUTION = re.compile(r"\d+\s*[x*×]\s*\d+")
_UNIT = r"(?:ms|us|µs|s|dbm|db|asu|%)"
_MEASUREMENT = re.compile(r"-?\d+(?:\.\d+)?" + _UNIT + "?", re.IGNORECASE)
_UNIT_ALONE = re.compile(_UNIT, re.IGNORECASE)
_LIST_SEPARATORS = re.compile(r"[,;| ]+")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_QUERY_STRING = re.compile(r"[^=&\s]+=[^&]*(?:&[^=&\s]+=[^&]*)*")
_MCC_MNC = re.compile(r"(?:[2-79]\d\d|001)[ _-]?\d{2,3}")
_GRAPHQL = re.compile(r"(?:query|mutation|subscription|fragment)\b[^{}]*\{")
_FILE_PATH = re.compile(r"file:|[A-Za-z]:\\|/(?:data/(?:user|data|app|local)|storage|sdcard|proc"
                        r"|(?:private/)?var/(?:mobile|containers))/", re.IGNORECASE)
# Comparison and logical operators of query languages (SQL; MongoDB's $eq ... $nin; Django's field lookups):
# what an ``operator`` key of a filter holds.
_QUERY_OPERATORS = frozenset({
    "eq", "ne", "neq", "gt", "gte", "lt", "lte", "in", "nin", "not_in", "notin", "and", "or", "not", "like",
    "ilike", "contains", "icontains", "equals", "not_equals", "between", "exists", "is", "isnull", "is_null",
    "startswith", "endswith", "regex", "match"})
_NOT_IN_A_NAME = frozenset("@/:={}<>")


def _digit(text: str) -> bool:
    return any(c.isdigit() for c in text)


def _version(text: str) -> bool:
    return _digit(text) and _VERSION.fullmatch(text) is not None and _DATE.match(text) is None


def _api_level(text: str) -> bool:
    return _API_LEVEL.fullmatch(text) is not None


def _build_id(text: str) -> bool:
    return (4 <= len(text) <= 512 and _digit(text) and any(c.isalpha() for c in text)
            and _RESOLUTION.fullmatch(text) is None)


def _serial(text: str) -> bool:
    return _digit(text) and _SERIAL.fullmatch(text) is not None


def _page(text: str) -> bool:
    return (any(c.isalpha() for c in text) and not any(c.isspace() for c in text)
            and text.lower() not in ("true", "false") and _FILE_PATH.match(text) is None)


def _measurement(text: str) -> bool:
    """Numbers with optional units; a unit alone counts only right after a number without one ("-85 dBm")."""
    tokens = [t for t in _LIST_SEPARATORS.split(text) if t]
    unit_may_follow = False
    for token in tokens:
        if _MEASUREMENT.fullmatch(token):
            unit_may_follow = token[-1].isdigit()
        elif unit_may_follow and _UNIT_ALONE.fullmatch(token):
            unit_may_follow = False
        else:
            return False
    return bool(tokens)


def _free_text(text: str) -> bool:
    return bool(text) and not (text[0] in "{[<" or _URL.match(text) or _QUERY_STRING.fullmatch(text)
                               or _GRAPHQL.match(text))


def _carrier(text: str) -> bool:
    if all(_MCC_MNC.fullmatch(code.strip()) for code in text.split(",")):
        return True
    letters = sum(c.isalpha() for c in text)
    return (len(text) <= 64 and letters > sum(c.isdigit() for c in text)
            and not any(c in _NOT_IN_A_NAME for c in text) and text.lower() not in _QUERY_OPERATORS)


FORMATS: dict[str, Callable[[str], bool]] = {
    "version": _version,
    "api_level": _api_level,
    "build_id": _build_id,
    "serial": _serial,
    "page": _page,
    "measurement": _measurement,
    "free_text": _free_text,
    "carrier": _carrier,
}


def has_format(formats: list[str], text: str) -> bool:
    """Whether ``text`` (stripped; its first :data:`MAX_FORMAT_CHARS` characters) has one of ``formats`` (names
    of :data:`FORMATS`); true when ``formats`` is empty. Raises ``KeyError`` for an unknown name (the key detector
    checks the names when it is built)."""
    value = text.strip()[:MAX_FORMAT_CHARS]
    return not formats or any(FORMATS[name](value) for name in formats)
