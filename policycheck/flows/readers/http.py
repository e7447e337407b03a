"""HTTP pieces shared by the HAR, mitmproxy and pcap readers: URL, headers, cookies, query and body.

A request's header values, cookies, query parameters and multipart form parts become ``fields`` of the
:class:`~policycheck.flows.model.RawRequest` (decoded and inspected by the detectors like the body: an
identifier in a header or cookie is a finding too). The URL kept for ``flows.url`` has no query string.
Bodies are decoded by their ``Content-Encoding`` (gzip and deflate with the bounded inflater of
:mod:`policycheck.flows.limits`, br and zstd with the brotli and zstandard packages mitmproxy brings, read in
bounded steps), never beyond :data:`~policycheck.flows.limits.MAX_EXPANDED_BYTES`; multipart bodies are split
with ``mitmproxy.net.http.multipart``.
"""

from __future__ import annotations

import io
import zlib
from datetime import UTC, datetime, tzinfo
from urllib.parse import parse_qsl, urlsplit

import brotli
import zstandard
from mitmproxy.net.http import multipart

from policycheck.flows import limits
from policycheck.sizes import size_text

Field = tuple[str, str, str | bytes]

# Headers that describe the message, not the user or device: not inspected.
STRUCTURAL = frozenset({
    "accept", "accept-encoding", "cache-control", "connection", "content-length", "content-type", "host",
    "keep-alive", "pragma", "te", "trailer", "transfer-encoding", "upgrade", "upgrade-insecure-requests",
    "sec-fetch-dest", "sec-fetch-mode", "sec-fetch-site", "sec-fetch-user", "priority", "origin",
    ":authority", ":method", ":path", ":scheme", "cookie",
})
MAX_FIELDS = 2000
# input bytes given to the brotli decompressor at a time (it has no output limit): a brotli meta-block holds at most
# 16 MB (RFC 7932, 9.2) and one of zeros takes ~12 bytes, so 16 bytes yield at most ~32 MB (256 bytes: 168 MB)
BROTLI_STEP = 16


def split_url(url: str) -> tuple[str | None, str | None, str, list[tuple[str, str]]]:
    """``(host, url without query and fragment, path, query pairs)`` of an absolute URL."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        port = parts.port
    except ValueError:
        return None, None, url.split("?", 1)[0], []
    netloc = host or ""
    if ":" in netloc:
        netloc = f"[{netloc}]"
    if port is not None:
        netloc += f":{port}"
    base = f"{parts.scheme}://{netloc}{parts.path or '/'}" if parts.scheme else None
    return host.lower() if host else None, base, parts.path or "/", parse_qsl(parts.query, keep_blank_values=False)


def cookie_pairs(header: str) -> list[tuple[str, str]]:
    """``name=value`` pairs of a ``Cookie`` request header."""
    pairs = []
    for part in header.split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name:
            pairs.append((name.strip(), value.strip().strip('"')))
    return pairs


def request_fields(headers: list[tuple[str, str]], query: list[tuple[str, str]],
                   cookies: list[tuple[str, str]] | None = None) -> list[Field]:
    """The inspected fields of a request: headers (names lowercased, structural ones left out), cookies
    (from ``cookies`` or the ``Cookie`` headers), query parameters; at most :data:`MAX_FIELDS`."""
    fields: list[Field] = []
    for name, value in headers:
        lowered = name.strip().lower()
        if lowered not in STRUCTURAL and value:
            fields.append(("header", lowered, value))
    if cookies is None:
        cookies = [pair for name, value in headers if name.strip().lower() == "cookie"
                   for pair in cookie_pairs(value)]
    fields.extend(("cookie", name, value) for name, value in cookies if value)
    fields.extend(("query", name, value) for name, value in query if value)
    return fields[:MAX_FIELDS]


def header(headers: list[tuple[str, str]], name: str) -> str | None:
    """The first value of header ``name`` (case-insensitive), or ``None``."""
    name = name.lower()
    return next((v for k, v in headers if k.strip().lower() == name), None)


def decode_body(raw: bytes, headers: list[tuple[str, str]]) -> tuple[bytes, list[Field], str | None]:
    """``(body, form fields, problem)``: ``raw`` decoded by its Content-Encoding (kept as sent, with a
    problem, when that fails); a multipart body becomes form fields (and an empty body)."""
    problem = None
    coding = (header(headers, "content-encoding") or "").strip().lower()
    if coding and coding != "identity" and raw:
        try:
            raw = content_decode(raw, coding)
        except limits.LimitExceeded as exc:
            problem = f"body {exc} (Content-Encoding {coding}); kept as sent"
        except (ValueError, zlib.error, brotli.error, zstandard.ZstdError):
            problem = f"body is not valid {coding} (Content-Encoding); kept as sent"
    content_type = header(headers, "content-type") or ""
    if content_type.lower().startswith("multipart/form-data") and raw:
        try:
            parts = multipart.decode_multipart(content_type, raw)
        except ValueError:
            parts = []
        if parts:
            return b"", [("form", _text(name), value) for name, value in parts[:MAX_FIELDS]], problem
    return raw, [], problem


def content_decode(raw: bytes, coding: str, max_bytes: int = limits.MAX_EXPANDED_BYTES) -> bytes:
    """``raw`` decoded by an HTTP content coding (RFC 9110 8.4.1: gzip, deflate, br, zstd; ``x-gzip``), at
    most ``max_bytes`` of output (:class:`~policycheck.flows.limits.LimitExceeded` beyond). Raises
    ``ValueError`` for an unknown coding and the codec's error for corrupt data."""
    if coding in ("gzip", "x-gzip"):
        return limits.inflate(raw, 16 + zlib.MAX_WBITS, max_bytes)
    if coding == "deflate":  # zlib-wrapped as the RFC says, raw deflate as some servers send
        try:
            return limits.inflate(raw, zlib.MAX_WBITS, max_bytes)
        except zlib.error:
            return limits.inflate(raw, -zlib.MAX_WBITS, max_bytes)
    if coding == "zstd":
        with zstandard.ZstdDecompressor().stream_reader(io.BytesIO(raw)) as reader:
            out = reader.read(max_bytes + 1)
    elif coding == "br":
        decompressor, out = brotli.Decompressor(), bytearray()
        for start in range(0, len(raw), BROTLI_STEP):  # small input steps keep one step's output bounded
            out += decompressor.process(raw[start:start + BROTLI_STEP])
            if len(out) > max_bytes:
                break
    else:
        raise ValueError(f"unknown content coding {coding!r}")
    if len(out) > max_bytes:
        raise limits.LimitExceeded(f"decompresses to more than {size_text(max_bytes)}", "too_large")
    return bytes(out)


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def parse_time(text: str, zone: tzinfo | None) -> datetime | None:
    """An ISO 8601 time as naive UTC; a time without offset is read in ``zone`` (UTC when ``None``). ``None`` for
    text that is no such time, or one whose UTC falls outside the years 1-9999 (``9999-12-31T23:00:00-05:00``)."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        if value.tzinfo is None:
            value = value.replace(tzinfo=zone or UTC)
        return value.astimezone(UTC).replace(tzinfo=None)
    except (ValueError, AttributeError, OverflowError):
        return None
