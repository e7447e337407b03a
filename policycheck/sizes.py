"""Sizes in messages: one format for every limit and every size a message states."""

from __future__ import annotations

_UNITS = (("GiB", 30), ("MiB", 20), ("KiB", 10))


def size_text(n: int | float) -> str:
    """``n`` bytes as a message states it, in the binary units of IEC 80000-13 (1 MiB = 1,048,576 bytes): whole
    units without decimals (``16 MiB``, ``64 KiB``), MiB and GiB otherwise with one (``104.9 MiB``); in bytes
    (``100,000 bytes``) below 1 MiB and not a whole number of KiB (a limit someone set stays exact), and when one
    decimal would read as a whole number of units although the size is not one (16 MiB and 100 bytes:
    ``16,777,316 bytes``, never ``16.0 MiB`` beside a limit of ``16 MiB``)."""
    for unit, shift in _UNITS:
        if n >= 1 << shift:
            value = n / (1 << shift)
            if value == int(value):
                return f"{value:.0f} {unit}"
            text = f"{value:.1f}"
            if shift > 10:
                return f"{int(n):,} bytes" if text.endswith(".0") else f"{text} {unit}"
    return f"{int(n):,} bytes"


ECHO_CHARS = 200  # characters of one server- or file-controlled value (a Location, a header) a message repeats
MESSAGE_CHARS = 2_000  # characters of a whole message or stored detail built from such values


def clip(text: str, limit: int = ECHO_CHARS) -> str:
    """``text`` cut to ``limit`` characters for a message or a stored detail, saying how many were left out
    (``https://x/aaaa… (59,800 more characters)``): a server controls a Location header, a Content-Type, a reason
    phrase, and once had a 60,000-character Location repeated whole in the failure line and in
    ``fetch_log.detail``."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"
