"""HAR 1.2 (HTTP Archive) files, as browsers, Playwright, Charles, Proxyman and PCAPdroid export them.

Format: W3C Web Performance WG, "HTTP Archive (HAR) format", version 1.2
(http://www.softwareishard.com/blog/har-12-spec/). One request per entry of ``log.entries``: method, URL
(host, path; the query string becomes fields), headers, cookies and query parameters (fields), the body
from ``postData.text`` (base64 when the exporter marks ``encoding: base64``, as some proxies do) or its
``params``, the time from ``startedDateTime``. The HAR body text is already content-decoded (the spec's
``text``); compressed bytes that remain are inflated by the decoder. The response of each entry becomes a
:class:`RawResponse`. An entry that is not a well-formed request is one problem naming
``log.entries[i]``; the other entries are read.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from datetime import tzinfo
from pathlib import Path
from typing import Any

from policycheck.flows import limits
from policycheck.flows.model import Note, Problem, RawRequest, RawResponse
from policycheck.flows.readers import http, jsonstream
from policycheck.flows.readers.text import open_utf8

_SNIFF = re.compile(rb'^\s*\{\s*"log"\s*:\s*\{')
_BOM = b"\xef\xbb\xbf"


class HarReader:
    format = "har"
    description = "HAR 1.2 (browsers, Playwright, Charles, Proxyman, PCAPdroid)"
    takes_settings = True

    def __init__(self, settings) -> None:
        self.timezone: tzinfo | None = settings.timezone

    @staticmethod
    def sniff(head: bytes) -> bool:
        return bool(_SNIFF.match(head.removeprefix(_BOM)))

    def read(self, path: Path) -> Iterator[RawRequest | RawResponse | Problem | Note]:
        """One request (and response) per entry; ``line`` is the entry's 1-based number. The entries are parsed one at
        a time (:mod:`.jsonstream`): memory is bounded by one entry (:data:`~.limits.MAX_ENTRY_BYTES`), never by
        the file; an entry beyond a limit of :mod:`~policycheck.flows.limits` is one problem, the next entries read."""
        entries = None
        try:
            with open_utf8(path) as handle:
                entries = jsonstream.ArrayItems(handle, ("log", "entries"), limits.MAX_ENTRY_BYTES)
                for number, entry in enumerate(entries, start=1):
                    if isinstance(entry, limits.LimitExceeded):
                        yield Problem(number, f"log.entries[{number - 1}]: {entry}; skipped")
                    else:
                        yield from self._entry(number, entry)
        except jsonstream.StreamStopped as exc:
            yield _stopped(exc, entries is not None and entries.found)
            return
        if not entries.found:
            yield Problem(None, "not a HAR file: no log.entries list")

    def _entry(self, number: int, entry: Any) -> Iterator[RawRequest | RawResponse | Problem]:
        where = f"log.entries[{number - 1}]"
        request = entry.get("request") if isinstance(entry, dict) else None
        url = request.get("url") if isinstance(request, dict) else None
        method = request.get("method") if isinstance(request, dict) else None
        if not isinstance(url, str) or not isinstance(method, str):
            yield Problem(number, f"{where}: not a HAR entry with request.method and request.url; skipped")
            return
        headers = _pairs(request.get("headers"))
        host, base, path, query = http.split_url(url)
        if host is None:
            yield Problem(number, f"{where}: request.url is not an absolute URL; skipped")
            return
        cookies = _pairs(request.get("cookies")) or None
        fields = http.request_fields(headers, _pairs(request.get("queryString")) or query, cookies)
        body, problem = _post_data(request.get("postData"), headers)
        if isinstance(body, list):
            fields.extend(body)
            body = b""
        started = entry.get("startedDateTime")
        time = http.parse_time(started, self.timezone) if isinstance(started, str) else None
        if time is None:
            problem = problem or f"{where}: startedDateTime missing, not ISO 8601 or beyond the years 1-9999"
        connection = entry.get("connection") or entry.get("serverIPAddress")
        scheme = url.split(":", 1)[0].lower()
        yield RawRequest(number, body, path=path, host=host, time=time, fields=fields, problem=problem,
                         method=method.upper(), url=base, protocol=scheme if scheme in ("http", "https") else None,
                         connection=str(connection) if connection else None)
        response = entry.get("response")
        if isinstance(response, dict):
            content = response.get("content") if isinstance(response.get("content"), dict) else {}
            raw = _text_bytes(content.get("text"), content.get("encoding"))
            status = response.get("status")
            yield RawResponse(number, raw, time, number, status if isinstance(status, int) else None,
                              content.get("mimeType") if isinstance(content.get("mimeType"), str) else None,
                              str(connection) if connection else None, scheme)


def _stopped(exc: jsonstream.StreamStopped, entries_read: bool) -> Problem:
    """The problem of a HAR file whose reading stopped: what, where (bytes, entry) and what was kept."""
    where = f"in bytes {exc.start:,}-{exc.end:,}"
    if exc.index is not None:
        kept = f"the {exc.index:,} entries before it are read" if exc.index else "no entry before it"
        return Problem(exc.index + 1, f"log.entries[{exc.index}] is {exc} ({where}); {kept}, the rest of the file "
                                      "is not")
    if entries_read:
        return Problem(None, f"HAR file is {exc} {where}, after log.entries; its entries are read")
    return Problem(None, f"HAR file is {exc} {where}; not read")


def _pairs(items: Any) -> list[tuple[str, str]]:
    """``[{"name": n, "value": v}, ...]`` as pairs; malformed items are left out."""
    if not isinstance(items, list):
        return []
    return [(str(i["name"]), str(i["value"])) for i in items
            if isinstance(i, dict) and isinstance(i.get("name"), str) and isinstance(i.get("value"), str | int)]


def _text_bytes(text: Any, encoding: Any) -> bytes | None:
    if not isinstance(text, str):
        return None
    if encoding == "base64":
        try:
            return base64.b64decode(text, validate=False)
        except (binascii.Error, ValueError):
            return None
    return text.encode("utf-8", "surrogatepass")


def _post_data(post: Any, headers: list[tuple[str, str]]) -> tuple[bytes | list[http.Field] | None, str | None]:
    """The body of ``postData``, or its form fields when it only lists ``params``."""
    if post is None:
        return b"", None
    if not isinstance(post, dict):
        return None, "postData is not an object"
    raw = _text_bytes(post.get("text"), post.get("encoding"))
    if raw:
        mime = post.get("mimeType") if isinstance(post.get("mimeType"), str) else None
        typed = [("content-type", mime)] if mime and not http.header(headers, "content-type") else []
        body, form, _ = http.decode_body(raw, [(k, v) for k, v in headers if k.lower() != "content-encoding"]
                                         + typed)
        return (form or body), None
    params = post.get("params")
    if isinstance(params, list):
        return [("form", name, value) for name, value in _pairs(params)], None
    return b"", None
