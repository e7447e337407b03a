"""Hex dumps of one request body: ``0000  0A 6A 12 24 ...  .j.$...`` (offset, up to 16 bytes, ASCII column).

The form in which the Citizen Lab security report (2024) publishes a decrypted request
(``autoauth-request-packet-plaintext.hex``), and what ``hexdump``/``xxd``-style tools print. The whole
file is one request body; the file says nothing about its endpoint, so ``policycheck ingest
--request-type`` gives it (a request type id or an API path). Only the hex columns are read: the ASCII
column is ignored (the published file's ASCII column is partly redacted differently from its bytes, and
may hold any byte: lines are read as Latin-1). A UTF-8 byte-order mark and CRLF line ends are accepted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from policycheck.flows import limits
from policycheck.flows.model import Problem, RawRequest
from policycheck.flows.readers.text import open_utf8

_MAX_LINE = 64 * 1024  # a dump line holds 16 bytes; anything much longer is not one
_LINE = re.compile(r"^([0-9A-Fa-f]{4,16}):?\s+((?:[0-9A-Fa-f]{2} ?)+)")
_GROUP = re.compile(r"^(?:[0-9A-Fa-f]{2}(?: |$))+$")


class HexdumpReader:
    format = "hexdump"
    description = "hex dump of one request body (offset, hex bytes, ASCII column)"
    body_only = True  # one request body and nothing else: it may repeat a request of another capture

    @staticmethod
    def sniff(head: bytes) -> bool:
        lines = head.removeprefix(b"\xef\xbb\xbf").decode("latin-1").splitlines()[:4]
        return bool(lines) and all(_LINE.match(line) for line in lines if line.strip())

    def read(self, path: Path) -> Iterator[RawRequest | Problem]:
        """One :class:`RawRequest` (line 1) with the bytes of every dump line; a line that is not a dump
        line, or whose offset does not follow the previous one, is a :class:`Problem`."""
        body = bytearray()
        with open_utf8(path) as handle:
            for number, raw, length in limits.lines(handle, _MAX_LINE):
                if raw is None:
                    yield Problem(number, limits.too_long(length, _MAX_LINE))
                    continue
                if len(body) >= limits.MAX_BODY_BYTES:
                    yield Problem(number, f"dump longer than the {limits.MAX_BODY_BYTES:,}-byte body limit; "
                                          "the rest of the file skipped")
                    break
                line = (raw.removeprefix(b"\xef\xbb\xbf") if number == 1 else raw).decode("latin-1").rstrip("\r\n")
                if not line.strip():
                    continue
                parsed = _bytes_of(line)
                if parsed is None:
                    yield Problem(number, "not a hex dump line (offset, then hex bytes)")
                    continue
                offset, data = parsed
                if offset != len(body):
                    yield Problem(number, f"offset {offset:#x} does not follow the previous line "
                                          f"({len(body):#x})")
                body.extend(data)
        if body:
            yield RawRequest(1, bytes(body))


def _bytes_of(line: str) -> tuple[int, bytes] | None:
    """``(offset, bytes)`` of one dump line: the hex groups after the offset (at most 16 bytes)."""
    match = _LINE.match(line)
    if not match:
        return None
    offset = int(match.group(1), 16)
    groups = re.split(r"\s{2,}", line[match.start(2):].strip())
    tokens: list[str] = []
    for i, group in enumerate(groups):
        if not _GROUP.match(group) or len(tokens) >= 16:
            break
        candidate = group.split()
        is_last = i == len(groups) - 1
        if is_last and tokens and len(group) == len(tokens):  # an ASCII column that happens to look like hex
            break
        tokens.extend(candidate)
    return offset, bytes.fromhex("".join(tokens[:16]))
