"""The text encoding of a text capture file (HAR, JSON lines, hex dump): UTF-8, or UTF-16/UTF-32 with a byte-order mark.

Windows tools (PowerShell's ``Out-File`` and ``>`` before PowerShell 6, Notepad's "Unicode", .NET's
``Encoding.Unicode``) save text as UTF-16 with a byte-order mark (BOM). The readers parse UTF-8: a file that starts
with a UTF-16 or UTF-32 BOM (:data:`policycheck.textfile.BOMS`; Unicode Standard, section 23.8 "Specials", U+FEFF)
is read through Python's own codec for it (``io.TextIOWrapper``) and handed to them as UTF-8, line by line, so that
their limits hold as for a UTF-8 file. A UTF-8 BOM is left to the readers, which skip it. UTF-16 without a BOM is
not guessed (its byte order is unknown): :func:`bomless_utf16` recognises it, and ingest refuses such a file with
one line.
"""

from __future__ import annotations

import codecs
import io
from pathlib import Path
from typing import IO

from policycheck.textfile import encoding_of, open_regular

_PROBE = 4096  # bytes of the head looked at for NULs


def utf8_head(head: bytes) -> bytes:
    """The first bytes of a file as UTF-8 (for sniffing its format): transcoded when it starts with a UTF-16 or UTF-32
    BOM (a character cut at the end dropped, malformed units replaced), else as they are."""
    encoding = encoding_of(head)
    if encoding is None:
        return head
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    return decoder.decode(head, final=False).encode("utf-8")


def bomless_utf16(head: bytes) -> bool:
    """Whether ``head`` looks like UTF-16 text without a byte-order mark: no BOM, an even number of bytes probed and
    most of them ASCII characters paired with a NUL on the same side (``{\\x00"\\x00`` little-endian, ``\\x00{\\x00"``
    big-endian), as text of ASCII-range characters is in UTF-16 and no binary capture format is."""
    probe = head[: _PROBE - _PROBE % 2] if len(head) >= 2 else b""
    if not probe or encoding_of(head) is not None:
        return False
    pairs = len(probe) // 2
    for nul, char in ((1, 0), (0, 1)):
        text = sum(1 for i in range(pairs) if probe[2 * i + nul] == 0 and 0x09 <= probe[2 * i + char] < 0x7F)
        if text >= 0.9 * pairs:
            return True
    return False


class _Utf8Lines(io.RawIOBase):
    """A binary, read-only view of a text stream: its characters encoded as UTF-8 (``readline`` whole lines of at
    most ``size`` characters, as the text stream gives them)."""

    def __init__(self, text: io.TextIOWrapper) -> None:
        super().__init__()
        self._text = text

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self._text.read(size).encode("utf-8")

    def readline(self, size: int | None = -1) -> bytes:
        return self._text.readline(-1 if size is None else size).encode("utf-8")

    def close(self) -> None:
        self._text.close()
        super().close()


def open_utf8(path: Path) -> IO[bytes]:
    """``path`` opened for reading as UTF-8 bytes: the file itself, or, when it starts with a UTF-16 or UTF-32 BOM,
    its text decoded by Python's codec (BOM dropped, line ends kept, malformed code units replaced by U+FFFD) and
    encoded as UTF-8. Raises OSError when it cannot be opened, :class:`PolicycheckError` when it is not a
    regular file."""
    handle = open_regular(path)
    try:
        encoding = encoding_of(handle.read(4))
        handle.seek(0)
    except OSError:
        handle.close()
        raise
    if encoding is None:
        return handle
    return _Utf8Lines(io.TextIOWrapper(handle, encoding=encoding, errors="replace", newline=""))
