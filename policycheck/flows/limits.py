"""Limits every capture reader and body decoder keeps, so that no input can exhaust memory, time or the stack.

One place for the numbers (README, section flows, "Limits"); readers in :mod:`policycheck.flows.readers`
and the decoder (:mod:`policycheck.flows.decode`) use these helpers rather than their own:

- :func:`lines` reads a file line by line holding at most :data:`MAX_LINE_BYTES` of one line in memory; a
  longer line is reported and skipped, the rest of the file read;
- :func:`load_json` parses JSON text no deeper than :data:`MAX_NESTING` levels (deeper input raises
  :class:`LimitExceeded`, never ``RecursionError``), :func:`depth` measures nesting without recursion;
- :func:`inflate` decompresses gzip/zlib in chunks, stopping at a byte cap;
- :func:`expansion_budget` is the number of bytes all decompression and base64 layers of one body may
  produce together: proportional to the body's size, so decoding costs time linear in the input.

A limit crossed raises :class:`LimitExceeded`, whose message says which ("nested deeper than 100 levels");
callers report it with the file and line and skip that line or body, keeping the rest of the file.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from typing import IO, Any

from policycheck import surrogates
from policycheck.sizes import size_text

MAX_BODY_BYTES = 16 * 1024 * 1024  # a request body decoded at all (larger: kept undecoded, 'too_large')
# one line of a line-based capture (JSON lines): room for the hex of the largest body decoded, plus its keys; reading
# a line holds it ~4 times (bytes, JSON text, hex-decoded body), which must stay within what ingest may take
MAX_LINE_BYTES = 2 * MAX_BODY_BYTES + 1024 * 1024
MAX_NESTING = 100  # JSON arrays/objects or XML elements inside one another, in a line or a body
# values of one JSON document (a capture line, a HAR file, a body), counted from its brackets and commas before it is
# parsed: a parsed value takes up to ~150 bytes, so 200 MB of "[],[],..." would need gigabytes; a HAR file of 10,000
# requests has ~1-2 million
MAX_JSON_VALUES = 5_000_000
# one entry of a HAR file (readers/jsonstream.py parses them one at a time) or one flow of a mitmproxy file: the largest
# entry a HAR file of the former whole-file limit (256 MiB) could hold; reading one holds its largest value ~3 times
# (the parser's buffer or the flow's bytes, the str or bytes made of it, the body)
MAX_ENTRY_BYTES = 256 << 20
MAX_LAYERS = 12  # decoding layers (protobuf in protobuf, base64, gzip, URL encoding, JSON in a string ...)
MAX_LEAVES = 20_000  # decoded values kept per body; further values are dropped and the body reported
MAX_EXPANSION = 64  # bytes decompression/base64 may produce per input byte of a body ...
MIN_EXPANSION_BYTES = 1024 * 1024  # ... but at least this many ...
MAX_EXPANDED_BYTES = 32 * 1024 * 1024  # ... and at most this many
CHUNK = 64 * 1024


class LimitExceeded(ValueError):
    """Input beyond one of the limits of this module; ``str()`` says which, e.g. ``nested deeper than 100
    levels``; ``status`` is the flow's ``decode_status`` for a body skipped because of it (``too_deep`` or
    ``too_large``)."""

    def __init__(self, message: str, status: str = "too_deep") -> None:
        super().__init__(message)
        self.status = status


def lines(handle: IO[bytes], max_bytes: int = MAX_LINE_BYTES) -> Iterator[tuple[int, bytes | None, int]]:
    """``(line number, line bytes or None, length)`` for each line of a binary file; ``None`` when the line
    is longer than ``max_bytes`` (its bytes are skipped in chunks, never held in memory)."""
    number = 0
    while True:
        raw = handle.readline(max_bytes + 1)
        if not raw:
            return
        number += 1
        if len(raw) <= max_bytes or raw.endswith(b"\n"):
            yield number, raw, len(raw)
            continue
        length = len(raw)
        while raw and not raw.endswith(b"\n"):
            raw = handle.readline(CHUNK)
            length += len(raw)
        yield number, None, length


def too_long(length: int, max_bytes: int = MAX_LINE_BYTES) -> str:
    """The message for a line of ``length`` bytes above ``max_bytes``."""
    return f"line of {size_text(length)} exceeds {size_text(max_bytes)}; skipped"


def load_json(text: str | bytes, max_nesting: int = MAX_NESTING) -> Any:
    """``json.loads(text)`` for text nested at most ``max_nesting`` levels.

    Raises :class:`LimitExceeded` for deeper text, more than :data:`MAX_JSON_VALUES` values (brackets and
    commas, counted before parsing) or text whose parsed values do not fit in the memory there is, and
    ``ValueError`` (``json.JSONDecodeError``, ``UnicodeDecodeError``) for text that is not JSON. Time linear in
    the text: the C parser reads it (its own recursion guard stops absurd depths) and the depth of what it built
    is measured without recursion. A lone surrogate in a string (``"\\ud800"``) is replaced by U+FFFD
    (:mod:`policycheck.surrogates`).
    """
    brackets = text.count(b"[" if isinstance(text, bytes) else "[") + text.count(
        b"{" if isinstance(text, bytes) else "{")
    if brackets + text.count(b"," if isinstance(text, bytes) else ",") > MAX_JSON_VALUES:
        raise LimitExceeded(f"has more than {MAX_JSON_VALUES:,} JSON values", "too_large")
    try:
        data = json.loads(text)
        too_deep = brackets > max_nesting and depth(data) > max_nesting
    except RecursionError as exc:
        raise LimitExceeded(f"nested deeper than {max_nesting} levels") from exc
    except MemoryError:  # what was parsed is freed as the error unwinds: this text is skipped, the rest read
        raise LimitExceeded("needs more memory to parse than is available", "too_large") from None
    if too_deep:
        raise LimitExceeded(f"nested deeper than {max_nesting} levels")
    return surrogates.scalar_values(data) if surrogates.may_hold(text) else data


def depth(data: Any) -> int:
    """How deeply lists and dicts nest in ``data`` (0 for a scalar), measured with an explicit stack of iterators (one
    per open container: memory grows with the depth, not with the number of values)."""
    if not isinstance(data, dict | list):
        return 0
    stack: list[Iterator[Any]] = [iter(data.values() if isinstance(data, dict) else data)]
    deepest = 1
    while stack:
        child = next(stack[-1], _END)
        if child is _END:
            stack.pop()
        elif isinstance(child, dict | list):
            stack.append(iter(child.values() if isinstance(child, dict) else child))
            deepest = max(deepest, len(stack))
    return deepest


_END = object()


def expansion_budget(body_size: int) -> int:
    """Bytes the decompression and base64 layers of a ``body_size``-byte body may produce in total."""
    return min(max(MAX_EXPANSION * body_size, MIN_EXPANSION_BYTES), MAX_EXPANDED_BYTES)


def inflate(raw: bytes, wbits: int, max_bytes: int) -> bytes:
    """Decompress a zlib-family stream (``wbits`` as in :func:`zlib.decompressobj`) in chunks.

    Output: the decompressed bytes (of the first stream; trailing bytes are ignored). Raises
    :class:`LimitExceeded` when the output would exceed ``max_bytes`` (checked after each chunk of
    :data:`CHUNK` output bytes, so at most ``max_bytes + CHUNK`` bytes are ever held) and ``zlib.error``
    for a corrupt stream.
    """
    inflater = zlib.decompressobj(wbits)
    out = bytearray()
    data = raw
    while data and not inflater.eof:
        out += inflater.decompress(data, CHUNK)
        if len(out) > max_bytes:
            raise LimitExceeded(f"decompresses to more than {size_text(max_bytes)}", "too_large")
        data = inflater.unconsumed_tail
    if not inflater.eof:
        out += inflater.flush()
        if len(out) > max_bytes:
            raise LimitExceeded(f"decompresses to more than {size_text(max_bytes)}", "too_large")
    return bytes(out)
