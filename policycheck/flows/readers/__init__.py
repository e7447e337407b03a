"""Capture readers: one module per capture format, each turning a file into :class:`RawRequest` records.

A reader is a class with ``format`` (the name stored in ``captures.format`` and accepted by
``--format``), ``description``, ``sniff(head) -> bool`` (does the file's first bytes look like this
format) and ``read(path) -> Iterator[RawRequest | Problem]``. A malformed entry becomes a
:class:`Problem` (or a request with ``problem`` set when its payload alone is bad), never an exception.
To add HAR, mitmproxy or tshark JSON support, write one module with such a class and list it in
:data:`READERS`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar, Protocol

from policycheck.flows.model import Problem, RawRequest
from policycheck.flows.readers.citizenlab import CitizenLabReader
from policycheck.flows.readers.hexdump import HexdumpReader

SNIFF_BYTES = 1 << 20


class Reader(Protocol):
    format: ClassVar[str]
    description: ClassVar[str]

    @staticmethod
    def sniff(head: bytes) -> bool: ...

    def read(self, path: Path) -> Iterator[RawRequest | Problem]: ...


READERS: dict[str, type[Reader]] = {r.format: r for r in (CitizenLabReader, HexdumpReader)}


def detect_format(head: bytes) -> str | None:
    """The format whose reader recognises ``head`` (the file's first bytes), or ``None``."""
    for name, reader in READERS.items():
        if reader.sniff(head):
            return name
    return None
