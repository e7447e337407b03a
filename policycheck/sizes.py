"""Sizes in messages: one format for every limit and every size a message states."""

from __future__ import annotations

_UNITS = (("GiB", 30), ("MiB", 20), ("KiB", 10))


def size_text(n: int | float) -> str:
    """``n`` bytes as a message states it, in the binary units of IEC 80000-13 (1 MiB = 1,048,576 bytes): whole
    units without decimals (``16 MiB``, ``64 KiB``), MiB and GiB otherwise with one (``104.9 MiB``); below 1 MiB
    and not a whole number of KiB in bytes (``100,000 bytes``: a limit someone set stays exact)."""
    for unit, shift in _UNITS:
        if n >= 1 << shift:
            value = n / (1 << shift)
            if value == int(value):
                return f"{value:.0f} {unit}"
            if shift > 10:
                return f"{value:.1f} {unit}"
    return f"{int(n):,} bytes"
