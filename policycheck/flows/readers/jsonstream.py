"""The items of one JSON array inside a JSON document of any size, parsed one at a time (a HAR file's ``log.entries``).

Parsed with ijson (https://github.com/ICRAR/ijson) over its ``yajl2_c`` backend: the document is read in chunks of
:data:`~policycheck.flows.limits.CHUNK` bytes and turned into parse events (``start_map``, ``map_key``, ``string``
...) without building it; only the items of the array at ``path`` are built, one at a time, so memory is bounded by
one item, never by the file (an item's largest string is held ~3 times: the parser's buffer, the str, what the
reader makes of it; a single value outside the array is held to the same bound). Each item keeps the limits of
:mod:`policycheck.flows.limits` that a whole document has (:data:`MAX_NESTING` levels, counted from the document's
root, :data:`MAX_JSON_VALUES` values): an item beyond one is
skipped alone, its events read without building it. An item of more than ``max_item_bytes`` bytes (checked as the
file is read, in chunks of 64 KiB or more), or JSON that is malformed, stops the reading there (the parser cannot
resume after it): the items before it have been yielded. Numbers are ``int`` or ``float`` as with
:func:`json.loads` (``1e400`` is ``inf``); text is UTF-8; a lone surrogate, escaped (``"\\ud800"``) or in UTF-8 form,
is read as U+FFFD, as :mod:`policycheck.surrogates` makes what ``json.loads`` reads. Unlike ``json.loads``, ``NaN`` and
``Infinity`` outside strings are malformed JSON, and so are a number with a run of more than 4,300 digits (an integer
``json.loads`` refuses too; here also a fraction or an exponent: :class:`_NumberGuard`) and an exponent beyond
:class:`~decimal.Decimal`'s (``1e99999999999999999999``, ``inf`` for ``json.loads``).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from decimal import Decimal
from typing import IO, Any

import ijson
from ijson.common import ObjectBuilder

from policycheck.flows import limits
from policycheck.sizes import size_text

_BOM = b"\xef\xbb\xbf"
# the longest read: a string of MAX_ENTRY_BYTES (256 MiB) is lexed in 16 reads, ~2 GB of lexing (~2 s) in all
_MAX_READ = 16 << 20
_SURROGATE = re.compile(rb"\xed[\xa0-\xbf][\x80-\xbf]")  # UTF-8 form of U+D800-U+DFFF
_SURROGATE_START = re.compile(rb"\xed[\xa0-\xbf]?\Z")
# escapes read left to right: a pair of surrogates (high, low), a lone one, an escaped backslash (so that the
# backslash of "\\ud800", text, is never taken for an escape's); other escapes never match
_ESCAPES = re.compile(rb"\\(?:u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}"
                      rb"|u[dD][89a-fA-F][0-9a-fA-F]{2}|\\)")
_HIGH = re.compile(rb"\\u[dD][89abAB][0-9a-fA-F]{2}")
_FFFD = "\ufffd".encode()
_STRING_REST = re.compile(rb'[^"\\]*(?:\\.[^"\\]*)*', re.DOTALL)  # a string's text up to its closing quote
_DIGITS = b"0123456789"
_LEADING_DIGITS = re.compile(rb"[0-9]*")
_OPEN = frozenset(("start_map", "start_array"))
_CLOSE = frozenset(("end_map", "end_array"))


class StreamStopped(ValueError):
    """The document cannot be read on from here: ``str()`` says why, ``start`` and ``end`` are the byte range (of the
    file, after a UTF-8 byte-order mark) where it happened, ``index`` the 0-based index of the item being read (the
    number of items read before it) or ``None`` before or after the array."""

    def __init__(self, message: str, start: int, end: int, index: int | None) -> None:
        super().__init__(message)
        self.start, self.end, self.index = start, end, index


class _Counted:
    """A binary handle for ijson that counts the bytes read, drops a leading UTF-8 byte-order mark, refuses to read
    past ``limit`` (an absolute offset; ``None``: no limit) and writes a lone surrogate as U+FFFD, the character
    :mod:`policycheck.surrogates` makes of what ``json.loads`` reads (:func:`_scalar_values`)."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle
        self._started = False
        self._held = b""  # the end of the last read that may belong to a lone surrogate (its UTF-8 form, its escape)
        self.offset = self.before = 0
        self.limit: int | None = None
        self.token_limit: int | None = None  # bytes without a parse event, outside an item (None: no limit)
        self.last_event = 0  # the offset when the parser last gave an event
        self._numbers = _NumberGuard()

    def read(self, size: int = -1) -> bytes:
        if self.limit is not None and self.offset > self.limit:
            raise _ItemTooLarge
        if self.limit is None and self.token_limit is not None and self.offset - self.last_event > self.token_limit:
            raise _ValueTooLarge  # one value outside the items (a string the parser holds whole until it ends)
        if size > 0:  # yajl lexes a token cut by a chunk's end again from its start: reads as long as the token so far
            size = min(max(size, self.offset - self.last_event), _MAX_READ)  # (up to 16 MiB) keep that time low
            size = min(size, self.limit + 1 - self.offset) if self.limit is not None else size
        data = self._handle.read(size)
        if not self._started and size != 0:  # ijson's first read(0) only probes the type
            self._started = True
            while 0 < len(data) < len(_BOM) and (more := self._handle.read(len(_BOM) - len(data))):
                data += more
            data = data.removeprefix(_BOM)
        cut = 0
        while size != 0 and data and not (cut := _safe_end(self._held + data)):  # never b"" before the file's end
            self._held, data = self._held + data, self._handle.read(max(size, 1))
        data = self._held + data
        cut = cut if data and cut else len(data)  # the file's end (or the probe): all of it
        data, self._held = _scalar_values(data[:cut]), data[cut:]
        if data:  # the end of the file: the error is in the last bytes read
            self.before, self.offset = self.offset, self.offset + len(data)
        self._numbers.check(data)
        return data


class _ItemTooLarge(Exception):
    pass


class _ValueTooLarge(Exception):
    pass


class _NumberGuard:
    """Refuses (``ValueError``) a run of more digits outside strings than ``int()`` converts
    (``sys.get_int_max_str_digits()``, 4,300 by default), before the parser sees it: yajl2_c (ijson 3.6.0) converts
    an integer with ``int()`` and leaves the ValueError of a longer one pending, which aborts the process later
    (a segmentation fault) or raises SystemError at an unrelated call. ``json.loads`` refuses such integers too; a
    fraction or exponent of that many digits is refused as well. Fed the bytes the parser reads, in order (never cut
    inside an escape: :func:`_safe_end`); keeps whether they end inside a string and how many digits they end with.
    One regular expression scans each read (strings skipped whole), in C."""

    def __init__(self) -> None:
        self._most = sys.get_int_max_str_digits() or sys.int_info.default_max_str_digits
        # text outside strings, whole strings, and digit runs no longer than _most; possessive: no backtracking
        self._scan = re.compile(rb'(?:[^"0-9]++|"[^"\\]*+(?:\\.[^"\\]*+)*+"|[0-9]{1,%d}+(?![0-9]))*+' % self._most,
                                re.DOTALL)
        self._in_string = False
        self._digits = 0  # digits outside strings at the end of the bytes checked so far

    def check(self, data: bytes) -> None:
        pos = 0
        if self._in_string:
            pos = _STRING_REST.match(data).end()  # type: ignore[union-attr]  # it matches the empty text
            if pos == len(data) or data[pos] != 0x22:
                return  # the string goes on in the next bytes (or the file ends inside an escape)
            pos, self._in_string = pos + 1, False  # after its closing quote
        elif self._digits and self._digits + _LEADING_DIGITS.match(data).end() > self._most:  # type: ignore[union-attr]
            raise ValueError(f"a number of more than {self._most:,} digits")
        stop = self._scan.match(data, pos).end()  # type: ignore[union-attr]
        if stop < len(data) and data[stop] != 0x22:  # a digit: a run longer than _most
            raise ValueError(f"a number of more than {self._most:,} digits")
        self._in_string = stop < len(data)  # a string the next bytes go on with
        tail = data[max(len(data) - self._most, pos):]
        trailing = 0 if self._in_string else len(tail) - len(tail.rstrip(_DIGITS))
        self._digits = self._digits + trailing if trailing == len(data) else trailing


class ArrayItems:
    """Iterate over the items of the array at ``path`` (object keys from the root: ``("log", "entries")``) of the
    JSON document in ``handle`` (binary, UTF-8). Yields each item's value, or a :class:`~.limits.LimitExceeded` for an
    item beyond :data:`~.limits.MAX_NESTING` or :data:`~.limits.MAX_JSON_VALUES` (skipped; the next items follow).
    Raises :class:`StreamStopped` for malformed JSON (anywhere in the document, also after the array), for an
    item larger than ``max_item_bytes`` and for a single value outside the items larger than that (a string or
    number the parser would hold whole: more than ``max_item_bytes`` bytes read without a parse event). ``found``
    says, after the iteration, whether the document had that array (the first one at ``path`` is read)."""

    def __init__(self, handle: IO[bytes], path: tuple[str, ...], max_item_bytes: int) -> None:
        self._input = _Counted(handle)
        self._input.token_limit = max_item_bytes
        self._path = path
        self._max_item_bytes = max_item_bytes
        self.found = False
        self._index: int | None = None

    def __iter__(self) -> Iterator[Any]:
        events = self._watched(ijson.basic_parse(self._input, buf_size=limits.CHUNK))
        try:
            yield from self._document(events)
        except _ItemTooLarge:
            raise self._stopped(f"larger than {self._size()}") from None
        except _ValueTooLarge:
            raise self._stopped(f"too large outside {'.'.join(self._path)} (a value of more than {self._size()})"
                                ) from None
        except (ijson.JSONError, ValueError, ArithmeticError):  # never the parser's message: it quotes the text
            # around the error (ArithmeticError: decimal.InvalidOperation, an exponent beyond Decimal's, 1e999...9)
            raise self._stopped("not valid JSON") from None
        except SystemError as exc:
            # yajl2_c leaves the ValueError of a number it cannot convert (an integer of more than 4,300 digits, which
            # json.loads refuses too) pending, and the next C call of this reader raises SystemError from it
            if not isinstance(exc.__cause__, ValueError):
                raise
            raise self._stopped("not valid JSON") from None

    def _size(self) -> str:
        return size_text(self._max_item_bytes)

    def _watched(self, events: Iterator[tuple[str, Any]]) -> Iterator[tuple[str, Any]]:
        counted = self._input
        for event in events:
            counted.last_event = counted.offset
            yield event

    def _stopped(self, message: str) -> StreamStopped:
        return StreamStopped(message, self._input.before, self._input.offset, self._index)

    def _document(self, events: Iterator[tuple[str, Any]]) -> Iterator[Any]:
        if self._descend(events, 0, _next(events)[0]):
            self.found = True
            self._index = 0
            for event, value in events:
                if event == "end_array":
                    break
                self._input.limit = self._input.offset + self._max_item_bytes
                yield self._item(event, value, events)
                self._input.limit = None
                self._index += 1
            self._index = None
        for _ in events:  # the rest of the document, checked to be JSON
            pass

    def _descend(self, events: Iterator[tuple[str, Any]], level: int, event: str) -> bool:
        """Read the value that starts with ``event`` up to the start of the array at ``self._path[level:]`` (True),
        or past its end when it is no object or has no such key (False: then the outer objects are left unread)."""
        if event != "start_map":
            _skip(event, events)
            return False
        last = level == len(self._path) - 1
        for event, key in events:
            if event == "end_map":
                return False
            event = _next(events)[0]
            if key == self._path[level]:
                if last and event == "start_array":
                    return True
                if not last:
                    return self._descend(events, level + 1, event)
            _skip(event, events)
        return False

    def _item(self, event: str, value: Any, events: Iterator[tuple[str, Any]]) -> Any:
        """The item that starts with ``(event, value)``, built from its events, or a LimitExceeded (its events read)."""
        builder = ObjectBuilder()
        depth, values, outer = 0, 0, len(self._path) + 1  # the root object, the objects of the path, the array
        while True:
            if event in _OPEN:
                depth += 1
                if depth + outer > limits.MAX_NESTING:
                    _skip_open(depth, events)
                    return limits.LimitExceeded(f"nested deeper than {limits.MAX_NESTING} levels")
            elif event in _CLOSE:
                depth -= 1
            if event != "map_key" and event not in _CLOSE:
                values += 1
                if values > limits.MAX_JSON_VALUES:
                    _skip_open(depth, events)
                    return limits.LimitExceeded(f"has more than {limits.MAX_JSON_VALUES:,} JSON values", "too_large")
            builder.event(event, float(value) if isinstance(value, Decimal) else value)
            if depth == 0:
                return builder.value
            event, value = _next(events)


def _scalar_values(data: bytes) -> bytes:
    """``data`` (cut where :func:`_safe_end` says) with every lone surrogate written as U+FFFD, as many bytes: its
    UTF-8 form (``ed a0 80``, which ``json.loads`` reads with ``surrogatepass`` and ijson refuses) as ``ef bf bd``,
    its escape (``\\ud800``, which yajl makes ``?``) as ``\\ufffd``; offsets stay those of the file."""
    if b"\xed" in data:
        data = _SURROGATE.sub(_FFFD, data)
    if b"\\u" in data and (b"\\ud" in data or b"\\uD" in data):
        data = _ESCAPES.sub(lambda m: b"\\ufffd" if len(m.group()) == 6 else m.group(), data)
    return data


def _safe_end(data: bytes) -> int:
    """Where to cut ``data``, the next bytes of the file (starting at no escape's middle), so that no lone surrogate is
    judged without the bytes that follow: before the first bytes of a surrogate's UTF-8 form at its end, before an
    escape that may be cut (the escape of the last backslash in the last 6 bytes, or the ``\\\\`` it ends, and a high
    surrogate's escape before it); 0: at no place. Within a run of backslashes the cut keeps its escapes whole and
    holds back only the one at its end, however long the run (a string of 200 MB of escaped backslashes is read in
    linear time, never held whole)."""
    cut = len(data)
    tail = _SURROGATE_START.search(data, max(cut - 2, 0))
    if tail:
        cut = tail.start()
    last = data.rfind(b"\\", max(cut - 6, 0), cut)
    if last >= 0:
        start = last - _backslashes_before(data, last)  # the run of backslashes: escapes from its start, in pairs
        cut = last - (last - start) % 2
        if cut >= 6 and _HIGH.fullmatch(data, cut - 6, cut) and _backslashes_before(data, cut - 6) % 2 == 0:
            cut -= 6
    return cut


def _backslashes_before(data: bytes, at: int) -> int:
    """How many backslashes stand right before offset ``at`` of ``data`` (counted in C, not byte by byte)."""
    return at - len(data[:at].rstrip(b"\\"))


def _next(events: Iterator[tuple[str, Any]]) -> tuple[str, Any]:
    """The next event; ``ValueError`` when the document ends inside a value (the parser itself says so first)."""
    for event in events:
        return event
    raise ValueError("the document ends inside a value")


def _skip(event: str, events: Iterator[tuple[str, Any]]) -> None:
    """Read the events of the value that starts with ``event`` (a scalar: nothing more)."""
    if event in _OPEN:
        _skip_open(1, events)


def _skip_open(depth: int, events: Iterator[tuple[str, Any]]) -> None:
    """Read events until ``depth`` open containers have closed."""
    while depth:
        event = _next(events)[0]
        if event in _OPEN:
            depth += 1
        elif event in _CLOSE:
            depth -= 1
