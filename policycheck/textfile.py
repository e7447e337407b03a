"""Opening the files a user names (configuration, key logs, reports, SQL) safely, and reading their text encoding.

:func:`open_regular` opens a path without blocking and refuses anything but a regular file: a FIFO named where a
file is expected (``--profile /tmp/fifo``) would otherwise block the command forever in ``open``/``read`` waiting for
a writer, and a character device (``/dev/zero``) would be read without end. It opens with ``O_NONBLOCK`` (POSIX
``open(2)``: an open of a FIFO for reading returns at once) and checks the opened descriptor with ``fstat``, so the
check and the read are of the same file.

:func:`encoding_of` names the codec of text that starts with a UTF-16 or UTF-32 byte-order mark (Unicode Standard,
section 23.8 "Specials", U+FEFF; YAML 1.2, section 5.2 "Character Encodings", and RFC 8259 section 8.1 name the same
marks); Windows tools (PowerShell's ``Out-File`` and ``>`` before PowerShell 6, Notepad's "Unicode") save text so.
:func:`decode_text` decodes such text, or UTF-8 with or without its BOM. UTF-16 without a BOM is never guessed.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from policycheck.errors import PolicycheckError

# checked in this order: a UTF-32 LE BOM starts with the UTF-16 LE one
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
NOT_REGULAR = "not a regular file (a FIFO, socket or device); not read"


def encoding_of(head: bytes) -> str | None:
    """The codec name (``utf-16``, ``utf-32``: Python's codecs, which read and drop the BOM) of text that starts
    with a UTF-16 or UTF-32 byte-order mark, else None (UTF-8, with or without its BOM, or not text)."""
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return encoding
    return None


def decode_text(raw: bytes) -> str:
    """``raw`` as text: through its codec when it starts with a UTF-16 or UTF-32 BOM (BOM dropped), else as UTF-8
    (a UTF-8 BOM dropped). Raises ``UnicodeDecodeError`` (``.start``: the offset of the first bad byte) when the bytes
    are not valid in that encoding (its ``.object`` is ``raw`` and its offsets count from the start of ``raw``, a
    UTF-8 BOM included, where Python's ``utf-8-sig`` codec counts them after the BOM)."""
    try:
        return raw.decode(encoding_of(raw) or "utf-8-sig")
    except UnicodeDecodeError as exc:
        shift = len(raw) - len(exc.object)
        if not shift:
            raise
        raise UnicodeDecodeError(exc.encoding, raw, exc.start + shift, exc.end + shift, exc.reason) from None


def codec(exc: UnicodeDecodeError) -> str:
    """The encoding a decode error is about, as users write it: ``UTF-8``, ``UTF-16`` or ``UTF-32`` (Python names
    the codec ``utf-8``, ``utf-16-le``, ...)."""
    return exc.encoding[:6].upper()


def read_text(path: Path, max_bytes: int | None = None) -> str | None:
    """The text of the regular file ``path`` (:func:`decode_text`), or None when it holds more than ``max_bytes``
    bytes (then no more than ``max_bytes + 1`` are read, and nothing is decoded). Raises as :func:`open_regular`,
    ``OSError`` when reading fails and ``UnicodeDecodeError`` (``.object``: the bytes) for invalid text."""
    with open_regular(path) as handle:
        raw = handle.read(-1 if max_bytes is None else max_bytes + 1)
    return None if max_bytes is not None and len(raw) > max_bytes else decode_text(raw)


def open_regular(path: Path) -> BinaryIO:
    """``path`` opened for binary reading, when it is a regular file (a symbolic link to one is followed).

    Raises :class:`PolicycheckError` (``PATH: not a regular file ...``) for a FIFO, socket or device, without
    blocking on it; ``IsADirectoryError`` for a folder and other ``OSError`` when it cannot be opened, as ``open``
    does, so callers keep their own wording for those."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(mode):
            raise PolicycheckError(path, NOT_REGULAR)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
