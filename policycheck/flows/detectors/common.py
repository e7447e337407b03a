"""Helpers shared by the detectors."""

from __future__ import annotations

import re

# values that carry no information whatever the key says
EMPTY_VALUES = frozenset({"", "0", "-1", "null", "none", "nil", "undefined", "unknown", "false", "true", "{}",
                          "[]", "0.0"})
_KEY_NOISE = re.compile(r"[\s_\-.]")


def normalize_key(name: str) -> str:
    """Key names ignoring case and separators: ``os_version`` = ``osVersion`` = ``os-version``."""
    return _KEY_NOISE.sub("", name).lower()


def is_empty(text: str) -> bool:
    """Whether a value carries no information (empty, zero, null, placeholder words, NUL bytes)."""
    return text.strip().strip("\x00").lower() in EMPTY_VALUES
