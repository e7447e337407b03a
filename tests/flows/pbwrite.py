"""Tiny protobuf writer for building test payloads (wire format: https://protobuf.dev/programming-guides/encoding/)."""

from __future__ import annotations

import struct


def varint(number: int) -> bytes:
    out = bytearray()
    number &= (1 << 64) - 1
    while True:
        byte = number & 0x7F
        number >>= 7
        out.append(byte | (0x80 if number else 0))
        if not number:
            return bytes(out)


def field(number: int, value: int | bytes | str | float, fixed32: bool = False) -> bytes:
    """One field: int -> varint, str/bytes -> length-delimited, float -> fixed32 or fixed64."""
    if isinstance(value, float):
        if fixed32:
            return varint(number << 3 | 5) + struct.pack("<f", value)
        return varint(number << 3 | 1) + struct.pack("<d", value)
    if isinstance(value, int):
        return varint(number << 3) + varint(value)
    raw = value.encode("utf-8") if isinstance(value, str) else value
    return varint(number << 3 | 2) + varint(len(raw)) + raw


def message(*fields: bytes) -> bytes:
    return b"".join(fields)
