"""Lone surrogates: code points U+D800-U+DFFF that are no character, and that UTF-8 cannot encode.

Python strings can hold them when JSON escapes one half of a pair (``"\\ud800"``, which RFC 8259 section 8.2 leaves
to the parser), when ``json.loads`` reads bytes (it decodes with ``surrogatepass``), when YAML escapes one, or when a
library decodes bytes with ``surrogateescape`` (mitmproxy's headers and URLs). Every such string fails where it is
encoded as UTF-8: a hash, an Arrow column, a DuckDB parameter. Capture values are data and keep being read, with each
lone surrogate replaced by U+FFFD as the WHATWG Infra standard's "convert to a scalar value string" does
(:func:`scalar`, :func:`scalar_values`); configuration files refuse them at their line (:mod:`policycheck.yamlfile`).
"""

from __future__ import annotations

import re
from typing import Any

LONE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"
# what makes json.loads produce a lone surrogate: a \u escape of one half (also the halves of a valid pair, which
# :func:`scalar_values` then leaves alone), or the UTF-8 form of one in bytes (decoded with surrogatepass)
_JSON_TEXT = re.compile(r"\\u[dD][89a-fA-F]|[\ud800-\udfff]")
_JSON_BYTES = re.compile(rb"\\u[dD][89a-fA-F]|\xed[\xa0-\xbf]")


def scalar(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (the same object when it has none)."""
    return LONE.sub(REPLACEMENT, text) if LONE.search(text) else text


def may_hold(json_text: str | bytes) -> bool:
    """Whether parsing ``json_text`` with ``json.loads`` can produce a lone surrogate (a quick scan of the text)."""
    pattern = _JSON_BYTES if isinstance(json_text, bytes) else _JSON_TEXT
    return pattern.search(json_text) is not None  # type: ignore[arg-type]


def scalar_values(data: Any) -> Any:
    """Parsed JSON ``data`` with :func:`scalar` applied to every string, keys included (recursion as deep as the
    data: callers pass data whose depth they checked)."""
    if isinstance(data, str):
        return scalar(data)
    if isinstance(data, list):
        return [scalar_values(v) for v in data]
    if isinstance(data, dict):
        return {scalar(k): scalar_values(v) for k, v in data.items()}
    return data
