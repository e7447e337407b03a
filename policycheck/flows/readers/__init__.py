"""Capture readers: one module per capture format, each turning a file into :class:`RawRequest` records.

A reader is a class with ``format`` (the name stored in ``captures.format`` and accepted by
``--format``), ``description``, ``sniff(head) -> bool`` (does the file's first bytes look like this
format) and ``read(path) -> Iterator[RawRequest | RawResponse | Problem | Note]``. A malformed entry
becomes a :class:`Problem` (or a request with ``problem`` set when its payload alone is bad), never an
exception. Text formats open their file with :func:`.text.open_utf8` (UTF-16 and UTF-32 with a byte-order mark
read as UTF-8). A reader that needs settings (a key log, a time zone) says ``takes_settings = True`` and
receives a :class:`ReaderSettings`. To add a format, write one module with such a class and list it in
:data:`READERS`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import ClassVar, Protocol

from policycheck.flows.model import Note, Problem, RawRequest, RawResponse
from policycheck.flows.readers.citizenlab import CitizenLabReader
from policycheck.flows.readers.har import HarReader
from policycheck.flows.readers.hexdump import HexdumpReader
from policycheck.flows.readers.mitm import MitmproxyReader
from policycheck.flows.readers.pcap import PcapReader
from policycheck.flows.readers.text import utf8_head

SNIFF_BYTES = 1 << 20


@dataclass(frozen=True)
class ReaderSettings:
    """What some readers need besides the file: the MMTLS key log of a pcap, the time zone of local times."""

    key_log: Path | None = None
    timezone: tzinfo | None = None


class Reader(Protocol):
    format: ClassVar[str]
    description: ClassVar[str]

    @staticmethod
    def sniff(head: bytes) -> bool: ...

    def read(self, path: Path) -> Iterator[RawRequest | RawResponse | Problem | Note]: ...


# Binary formats first: their magic bytes decide; text formats are told apart by their content.
READERS: dict[str, type[Reader]] = {r.format: r for r in (PcapReader, MitmproxyReader, HarReader,
                                                            CitizenLabReader, HexdumpReader)}
# Formats that hold one request body and nothing else (no endpoint, host or time of their own): a published
# request, which may repeat a request of another capture (policycheck.flows.overlap.REPEATS_SQL).
BODY_ONLY_FORMATS = tuple(name for name, reader in READERS.items() if getattr(reader, "body_only", False))


def open_reader(fmt: str, settings: ReaderSettings) -> Reader:
    """A reader of format ``fmt`` (a key of :data:`READERS`) configured with ``settings``."""
    cls = READERS[fmt]
    return cls(settings) if getattr(cls, "takes_settings", False) else cls()


def detect_format(head: bytes) -> str | None:
    """The format whose reader recognises ``head`` (the file's first bytes), or ``None``. Text that starts with a
    UTF-16 or UTF-32 byte-order mark is sniffed as the UTF-8 its readers see (:mod:`.text`)."""
    head = utf8_head(head)
    for name, reader in READERS.items():
        if reader.sniff(head):
            return name
    return None
