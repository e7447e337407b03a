"""Bytes of a fetched page -> text: the charset the page declares, checked against the bytes, else the sniffed one.

Order (as the WHATWG encoding sniffing algorithm, https://html.spec.whatwg.org/#determining-the-character-encoding,
without the browser's guessing): a byte order mark, then the ``charset`` of the HTTP ``Content-Type``, then a
``<meta charset>`` / ``<meta http-equiv="Content-Type" content="...; charset=...">`` in the first 4 KiB. A declared
charset is used only when the bytes decode with it cleanly; when they do not (a Windows-1252 page labelled
UTF-8), the text is decoded with replacement characters, kept as evidence, and :attr:`Decoded.problem` says
how many byte sequences did not fit and what charset-normalizer reads the bytes as, so that the capture is
quarantined instead of becoming a version with damaged text. Without a declaration the charset is sniffed with
charset-normalizer (UTF-8 when it has no answer).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

META_WINDOW = 4096  # bytes searched for <meta charset>
SNIFF_WINDOW = 256 * 1024  # bytes charset-normalizer looks at
_META = re.compile(rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


@dataclass(frozen=True)
class Decoded:
    """A page's text, the charset it was decoded with, what the page declared, and why the text cannot be
    trusted (None when it can)."""

    text: str
    charset: str
    declared: str | None
    problem: str | None = None


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def declared_charset(content: bytes, header_charset: str | None) -> str | None:
    """The charset the page declares: BOM, then the HTTP header's, then a ``<meta>`` one; None when none is
    declared or the name is unknown to Python's codecs."""
    for bom, name in _BOMS:
        if content.startswith(bom):
            return name
    found = _codec(header_charset)
    if found is None:
        match = _META.search(content[:META_WINDOW])
        found = _codec(match.group(1).decode("ascii", "replace")) if match else None
    return found


def sniffed_charset(content: bytes) -> str | None:
    """charset-normalizer's reading of the bytes (its best match on the first 256 KiB), or None."""
    best = from_bytes(content[:SNIFF_WINDOW]).best()
    return _codec(best.encoding) if best is not None else None


def decode_page(content: bytes, header_charset: str | None = None) -> Decoded:
    """Decode a page's bytes (see the module docstring). Never raises for bad bytes: the problem is reported in
    :attr:`Decoded.problem`."""
    declared = declared_charset(content, header_charset)
    if declared is not None:
        try:
            return Decoded(content.decode(declared), declared, declared)
        except UnicodeDecodeError as exc:
            text = content.decode(declared, errors="replace")
            bad = text.count("\ufffd")
            sniffed = sniffed_charset(content)
            reads = f"; charset-normalizer reads the bytes as {sniffed}" if sniffed and sniffed != declared else ""
            return Decoded(text, declared, declared,
                           f"wrong charset: the page declares {declared} but {bad:,} byte sequence(s) are not "
                           f"{declared} (the first at byte {exc.start:,}){reads}")
    sniffed = sniffed_charset(content) or "utf-8"
    return Decoded(content.decode(sniffed, errors="replace"), sniffed, None)
