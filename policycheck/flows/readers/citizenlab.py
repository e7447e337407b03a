"""Citizen Lab request logs: JSON lines ``{"data": "<hex>", "req_id": 2946, "req_type": "/cgi-bin/..."}``.

Format of citizenlab/wechat-report-data (``collected_logs/network_logs/*.log.jsonl``, README of
``../shared/datasets/citizenlab-wechat-2023``): one outgoing request per line, the hex of the plaintext
body WeChat was about to encrypt, WeChat's numeric request type, and the API path or ``null``. The lines
carry no host and no time.

The logs are cumulative (each file of a scenario repeats the lines of the one before) and repeat heartbeats, so
most lines are lines seen before: a line parsed once is not parsed again in the same process
(:data:`PARSED_BYTES` of lines kept, then forgotten all at once, like the body cache of ingest).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from policycheck.flows import limits
from policycheck.flows.model import Problem, RawRequest
from policycheck.flows.readers.text import open_utf8

_SNIFF = re.compile(rb'^\s*\{[^\n]*"(?:req_id|req_type)"\s*:')
_HAS_DATA = re.compile(rb'^\s*\{[^\n]*"data"\s*:')
# a first line longer than the sniff window: it opens with a hex "data" that runs to the window's end
_LONG_DATA = re.compile(rb'^\s*\{\s*"data"\s*:\s*"[0-9A-Fa-f]{4096,}$')
_BOM = b"\xef\xbb\xbf"
PARSED_BYTES = 32 * 1024 * 1024
# a line's bytes -> what it holds (body, path, req_type_id, problem): the same for every line number
_parsed: dict[bytes, tuple[bytes | None, str | None, int | None, str | None]] = {}
_parsed_bytes = 0


class CitizenLabReader:
    format = "citizenlab-jsonl"
    description = "Citizen Lab WeChat request logs (JSON lines with hex 'data', 'req_id', 'req_type')"

    @staticmethod
    def sniff(head: bytes) -> bool:
        head = head.removeprefix(_BOM)
        first = head.lstrip()[:1]
        if first != b"{":
            return False
        return (bool(_SNIFF.search(head)) and bool(_HAS_DATA.search(head))) or bool(_LONG_DATA.match(head))

    def read(self, path: Path) -> Iterator[RawRequest | Problem]:
        """One :class:`RawRequest` per line; a line that is not a JSON object, or is longer or nested deeper
        than :mod:`policycheck.flows.limits` allows, is a :class:`Problem`, a ``data`` that is not hex a
        request with ``body=None`` and ``problem`` set."""
        with open_utf8(path) as handle:
            for number, raw, length in limits.lines(handle):
                if raw is None:
                    yield Problem(number, limits.too_long(length))
                    continue
                if number == 1:
                    raw = raw.removeprefix(_BOM)
                if not raw.strip():
                    continue
                known = _parsed.get(raw)
                if known is None:
                    yield _remember(raw, _parse(number, raw))
                else:
                    yield RawRequest(number, known[0], path=known[1], req_type_id=known[2], problem=known[3])


def _remember(raw: bytes, parsed: RawRequest | Problem) -> RawRequest | Problem:
    """``parsed`` (of the line ``raw``), kept for the next line with the same bytes when it is a request."""
    global _parsed_bytes
    if isinstance(parsed, RawRequest):
        if _parsed_bytes > PARSED_BYTES:
            _parsed.clear()
            _parsed_bytes = 0
        _parsed[raw] = (parsed.body, parsed.path, parsed.req_type_id, parsed.problem)
        _parsed_bytes += len(raw) + len(parsed.body or b"")
    return parsed


def _parse(number: int, raw: bytes) -> RawRequest | Problem:
    try:
        entry = limits.load_json(raw)
    except limits.LimitExceeded as exc:
        return Problem(number, f"JSON {exc}; line skipped")
    except UnicodeDecodeError:
        return Problem(number, "not UTF-8 text")
    except ValueError as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "invalid"
        return Problem(number, f"not JSON ({reason})")
    if not isinstance(entry, dict):
        return Problem(number, f"not a JSON object but a {type(entry).__name__}")
    req_id = entry.get("req_id")
    if isinstance(req_id, str) and req_id.strip().isdigit():
        req_id = int(req_id)
    problem = None
    if isinstance(req_id, bool) or (req_id is not None and not isinstance(req_id, int)):
        problem, req_id = "'req_id' is not an integer; ignored", None
    req_type = entry.get("req_type")
    path = req_type if isinstance(req_type, str) and req_type.startswith("/") else None
    data = entry.get("data")
    body = None
    if not isinstance(data, str):
        problem = "no 'data' string in the entry"
    else:
        try:
            body = bytes.fromhex(data)
        except ValueError:
            bad = next((i for i, ch in enumerate(data) if ch not in "0123456789abcdefABCDEF \t"), None)
            where = f"character {bad}" if bad is not None else "odd number of digits"
            problem = f"'data' is not hex ({where} of {len(data)})"
    return RawRequest(number, body, path=path, req_type_id=req_id, problem=problem)
