"""Bytes of a fetched page -> text: the charset the page declares, checked against the bytes, else the sniffed one.

Order (as the WHATWG encoding sniffing algorithm, https://html.spec.whatwg.org/#determining-the-character-encoding,
without the browser's guessing): a byte order mark, then the ``charset`` of the HTTP ``Content-Type``, then a
``<meta charset>`` / ``<meta http-equiv="Content-Type" content="...; charset=...">`` in the first 4 KiB. A declared
charset is used only when the bytes decode with it cleanly; when they do not (a Windows-1252 page labelled
UTF-8), the text is decoded with replacement characters, kept as evidence, and :attr:`Decoded.problem` says
how many byte sequences did not fit and what charset-normalizer reads the bytes as, so that the capture is
quarantined instead of becoming a version with damaged text. Without a declaration the charset is sniffed with
charset-normalizer (UTF-8 when it has no answer).

Only the encodings of the WHATWG Encoding Standard (https://encoding.spec.whatwg.org/#names-and-labels, the ones a
browser decodes a page with) are taken from a declaration: a label of any other Python codec (``rot13``,
``base64`` and ``zlib`` are no text encodings at all; ``punycode``, ``unicode_escape``, ``utf-7``, ``cp037``,
``utf-32`` are no web encodings) is ignored as an unknown label is, and the bytes are sniffed. A declared charset
whose reading loses the page's markup (the bytes hold ``<`` but the text read with it has none: an ASCII page
labelled UTF-16) is a wrong charset too: the text is the sniffed reading and :attr:`Decoded.problem` says so.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

META_WINDOW = 4096  # bytes searched for <meta charset>
SNIFF_WINDOW = 256 * 1024  # bytes charset-normalizer looks at
_META = re.compile(rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
# Python codec names of the WHATWG encodings (and of the labels it maps onto them: ascii and latin1 onto
# windows-1252, gb2312 onto GBK, windows-31j onto Shift_JIS, tis-620 onto windows-874); utf-8-sig and utf-16 are
# the byte-order-mark readings.
WEB_CODECS = frozenset({
    "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp866", "koi8-r", "koi8-u", "mac-roman",
    "mac-cyrillic", "cp874", "tis-620", "iso8859-11", "ascii", "iso8859-1", "gbk", "gb2312", "gb18030", "big5",
    "big5hkscs", "euc_jp", "iso2022_jp", "shift_jis", "cp932", "euc_kr", "cp949",
    *(f"iso8859-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)), *(f"cp{n}" for n in range(1250, 1259))})
# WHATWG labels Python's codec registry does not know, and the codec that reads them
WEB_LABELS = {"windows-874": "cp874", "x-mac-cyrillic": "mac-cyrillic", "x-mac-roman": "mac-roman", "x-gbk": "gbk",
              "x-sjis": "cp932", "windows-31j": "cp932", "iso-8859-8-i": "iso8859-8", "csiso88598i": "iso8859-8"}
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
    """The Python codec of a charset label when it names a web encoding (:data:`WEB_CODECS`), else None."""
    if not name:
        return None
    label = name.strip().strip("\"'").lower()
    try:
        found = codecs.lookup(WEB_LABELS.get(label, label)).name
    except (LookupError, ValueError):  # ValueError: a label with a NUL
        return None
    return found if found in WEB_CODECS else None


def declared_charset(content: bytes, header_charset: str | None) -> str | None:
    """The charset the page declares: BOM, then the HTTP header's, then a ``<meta>`` one; None when none is
    declared or the label names no web encoding (:data:`WEB_CODECS`)."""
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
    if best is None:
        return None
    try:
        return codecs.lookup(best.encoding).name
    except LookupError:
        return None


def decode_page(content: bytes, header_charset: str | None = None) -> Decoded:
    """Decode a page's bytes (see the module docstring). Never raises for bad bytes: the problem is reported in
    :attr:`Decoded.problem`."""
    declared = declared_charset(content, header_charset)
    if declared is None:
        sniffed = sniffed_charset(content) or "utf-8"
        return Decoded(content.decode(sniffed, errors="replace"), sniffed, None)
    problem = None
    try:
        text = content.decode(declared)
    except UnicodeDecodeError as exc:
        text = content.decode(declared, errors="replace")
        problem = (f"wrong charset: the page declares {declared} but {text.count(chr(0xFFFD)):,} byte sequence(s) "
                   f"are not {declared} (the first at byte {exc.start:,})")
    if b"<" in content[:META_WINDOW] and "<" not in text[:META_WINDOW]:  # the markup lost: read the sniffed way
        sniffed = sniffed_charset(content) or "utf-8"
        return Decoded(content.decode(sniffed, errors="replace"), sniffed, declared,
                       f"wrong charset: the page declares {declared} but read as {declared} it has no HTML markup "
                       f"(no '<' in its first {META_WINDOW:,} characters); read as {sniffed} instead")
    if problem is not None:
        sniffed = sniffed_charset(content)
        problem += f"; charset-normalizer reads the bytes as {sniffed}" if sniffed and sniffed != declared else ""
    return Decoded(text, declared, declared, problem)
