"""Polite and safe HTTP fetching of policy pages with httpx: robots.txt, conditional requests, retries, limits.

- Identification: every request carries :func:`user_agent` (``policycheck/<version> (privacy-policy research;
  +CONTACT)``); robots.txt rules are matched against it (product token ``policycheck``).
- robots.txt (RFC 9309, parsed with protego): fetched once per host and run, for **every host a redirect chain
  reaches** (a redirect to a host whose robots.txt disallows the URL fails the fetch; the page is never
  requested there). A 4xx answer (no robots.txt) allows everything (RFC 9309 §2.3.1.3); a 5xx or 429 answer
  after retries, or a network failure, means the rules are unreachable and the host is treated as fully
  disallowed (§2.3.1.4), so the source fails rather than being fetched against the site's possible wishes.
  ``Crawl-delay`` raises the delay between requests to that host (capped at :data:`MAX_CRAWL_DELAY`).
- Conditional requests (RFC 9110 §13.1): the caller passes the ETag / Last-Modified of the response that gave
  the current version; they are sent as ``If-None-Match`` / ``If-Modified-Since`` and a ``304`` comes back as
  ``status == 304`` with no body.
- Retries (httpx-retries ``Retry`` policy): connection errors, timeouts — including a read timeout while the
  body arrives — incomplete bodies and HTTP 429/500/502/503/504 are retried up to ``retries`` times with
  exponential backoff (``backoff * 2**attempt`` seconds, full jitter); a ``Retry-After`` header (seconds or
  HTTP date) is honoured, capped at ``max_wait`` per wait. ``attempts`` counts requests of the URL that
  answered last (1 + retries made); redirects are counted apart.
- Limits (a hostile or broken server cannot hold a run or exhaust memory): a **deadline** per fetch — the wall
  time from the first connection to the last body byte, redirects, retries and their waits included, polite
  per-host delays excluded; each request's connect/read timeouts are cut to the time left, and the deadline is
  checked as each piece of the body arrives. A cap on the **downloaded** bytes (``Content-Length`` refused up
  front, the stream counted) and on the **decompressed** bytes: gzip/deflate bodies are inflated piece by piece
  with ``zlib`` (at most 64 KiB per step, never the whole body at once), so a compression bomb stops at the
  cap. Redirects: at most ``max_redirects``; a loop is reported as a loop.
- One request at a time: requests are made sequentially, and consecutive requests to one host are at least
  ``delay`` seconds apart (the larger of the setting and the host's Crawl-delay).

Failures raise :class:`FetchError` with a one-line message naming the URL and the problem.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
from httpx_retries import Retry, RetryTransport
from protego import Protego

from policycheck.policies.fetch_settings import FetchSettings, user_agent
from policycheck.sizes import MESSAGE_CHARS, clip

RETRY_STATUS = (429, 500, 502, 503, 504)
REDIRECT_STATUS = (301, 302, 303, 307, 308)
MAX_CRAWL_DELAY = 60.0  # seconds: a larger robots.txt Crawl-delay is capped (a scheduled job must finish)
ROBOTS_REDIRECTS = 5  # RFC 9309 §2.3.1.2: follow at least five consecutive redirects for robots.txt
HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")
INFLATE_STEP = 64 * 1024  # bytes of decompressed output per zlib call
GZIP_MAGIC = b"\x1f\x8b"  # RFC 1952 §2.3.1: the first two bytes of a gzip member (no HTML or text page starts so)


@dataclass
class Fetched:
    """A response: ``status`` 200-299 with ``content``, or 304 (not modified) with empty content."""

    url: str  # requested URL
    final_url: str  # after redirects
    status: int
    content: bytes  # the body, Content-Encoding undone
    headers: dict[str, str]  # lower-case names
    fetched_at: datetime  # naive UTC, when the response arrived
    attempts: int  # requests of final_url (1 + retries)
    charset: str | None = None  # from the Content-Type header; None lets the decoder sniff
    redirects: list[str] = field(default_factory=list)  # URLs redirected through, in order (final_url excluded)

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


class FetchError(Exception):
    """A source that could not be fetched: ``str()`` is one line naming the URL and the problem."""

    def __init__(self, url: str, what: str, status: int | None = None) -> None:
        # ``what`` repeats what servers sent (Location URLs, headers, reason phrases): bounded
        self.url, self.what, self.status = url, clip(what, MESSAGE_CHARS), status
        super().__init__(f"{url}: {what}")


class _Refused(Exception):
    """A response policycheck will not take (too large, undecodable, past the deadline): never retried."""


def _attempts(n: int) -> str:
    return f"{n} attempt" + ("" if n == 1 else "s")


@dataclass
class _Budget:
    """Limits and counters of one fetch, shared by its redirects and retries (request extension 'policycheck')."""

    deadline: float
    deadline_at: float
    max_bytes: int
    max_decoded_bytes: int
    attempts: int = 0  # requests made for the current URL

    def remaining(self) -> float:
        return self.deadline_at - time.monotonic()

    def past_deadline(self, what: str) -> _Refused:
        return _Refused(f"{what} within the {self.deadline:g} s deadline (--deadline)")


class _Inflater:
    """Undo a gzip or deflate Content-Encoding piece by piece, refusing output beyond ``limit`` bytes."""

    def __init__(self, encoding: str, limit: int) -> None:
        codings = [c.strip().lower() for c in encoding.split(",") if c.strip().lower() not in ("", "identity")]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise _Refused(f"unsupported Content-Encoding {clip(repr(encoding))} (policycheck asks for gzip or "
                           "deflate)")
        self.coding = codings[0] if codings else None
        self.limit = limit
        self.produced = 0
        self._obj = self._new()

    def _new(self) -> Any:
        return zlib.decompressobj(31 if self.coding in ("gzip", "x-gzip") else 15)

    def _count(self, out: bytes) -> bytes:
        self.produced += len(out)
        if self.produced > self.limit:
            raise _Refused(f"body inflates to more than {self.limit:,} bytes (--max-decoded-bytes); "
                           f"Content-Encoding {self.coding}")
        return out

    def _inflate(self, pending: bytes, data: bytes) -> bytes:
        """At most :data:`INFLATE_STEP` bytes out of ``pending``; a deflate body that is no zlib stream at its
        start is read as raw deflate, as some servers send it. Raises :class:`_Refused` for data that is neither."""
        try:
            return self._obj.decompress(pending, INFLATE_STEP)
        except zlib.error as exc:
            error = exc
        if self.coding == "deflate" and self.produced == 0 and pending is data:
            self._obj = zlib.decompressobj(-15)
            try:
                return self._obj.decompress(pending, INFLATE_STEP)
            except zlib.error as exc:
                error = exc
        raise _Refused(f"Content-Encoding {self.coding} but the body is not {self.coding} data ({error})")

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self.coding is None:
            yield self._count(data)
            return
        pending = data
        while True:
            out = self._inflate(pending, data)
            yield self._count(out)
            if self._obj.eof:
                pending = self._obj.unused_data
                if not pending or self.coding == "deflate":
                    return
                self._obj = self._new()  # the next member of a multi-member gzip body
                continue
            pending = self._obj.unconsumed_tail
            if not pending and len(out) < INFLATE_STEP:
                return


def _read_body(response: httpx.Response, budget: _Budget) -> bytes:
    """The body of a transport-level response, streamed under the budget's caps and deadline."""
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > budget.max_bytes:
        raise _Refused(f"Content-Length {int(length):,} bytes is over the {budget.max_bytes:,}-byte limit "
                       "(--max-bytes)")
    inflater = _Inflater(response.headers.get("content-encoding", ""), budget.max_decoded_bytes)
    received = 0
    parts: list[bytes] = []
    for chunk in response.iter_raw():
        received += len(chunk)
        if received > budget.max_bytes:
            raise _Refused(f"body is over the {budget.max_bytes:,}-byte download limit (--max-bytes)")
        parts.extend(inflater.feed(chunk))
        if budget.remaining() <= 0:
            raise budget.past_deadline(f"body still arriving after {received:,} bytes: no complete response")
    return b"".join(parts)


class _Guarded(httpx.BaseTransport):
    """One attempt: cut timeouts to the deadline, count it, and read the whole body under the budget's limits
    (so that a read timeout while the body arrives is an error of the attempt, which the retry policy retries)."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        budget: _Budget = request.extensions["policycheck"]
        remaining = budget.remaining()
        if remaining <= 0:
            raise budget.past_deadline("no complete response")
        request.extensions["timeout"] = {k: remaining if v is None else min(v, remaining)
                                         for k, v in request.extensions.get("timeout", {}).items()}
        budget.attempts += 1
        response = self.inner.handle_request(request)
        try:
            body = _read_body(response, budget)
        finally:
            response.close()
        headers = [(k, v) for k, v in response.headers.raw
                   if k.lower() not in (b"content-encoding", b"content-length", b"transfer-encoding")]
        extensions = {k: v for k, v in response.extensions.items() if k in ("http_version", "reason_phrase")}
        return httpx.Response(response.status_code, headers=headers, content=body, extensions=extensions)

    def close(self) -> None:
        self.inner.close()


class _DeadlineRetry(Retry):
    """The httpx-retries policy with waits cut to the time left before the fetch's deadline."""

    deadline_at: float | None = None

    def copy_with(self, **changes: Any) -> _DeadlineRetry:
        copy = super().copy_with(**changes)
        assert isinstance(copy, _DeadlineRetry)
        copy.deadline_at = self.deadline_at
        return copy

    def parse_retry_after(self, retry_after: str) -> float:
        """Seconds a ``Retry-After`` value asks to wait (RFC 9110 §10.2.3: delay-seconds or an HTTP-date, a date
        without a zone read as UTC); 0 for any other value (``-100``, ``1e309``, text), so the backoff applies.
        httpx-retries did the same but logged each such value on stderr, a second line with the server's bytes
        as they were (a terminal escape sequence included)."""
        value = retry_after.strip()
        if value.isascii() and value.isdigit():
            return float(value)
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return 0.0
        return max(0.0, (when.replace(tzinfo=when.tzinfo or UTC) - datetime.now(UTC)).total_seconds())

    def _calculate_sleep(self, headers: Any) -> float:
        wait = super()._calculate_sleep(headers)
        if self.deadline_at is not None:
            wait = min(wait, max(0.0, self.deadline_at - time.monotonic()))
        return wait


@dataclass
class _Host:
    robots: Protego | None = None
    robots_error: str | None = None  # robots.txt unreachable: the host is treated as disallowed
    crawl_delay: float = 0.0
    last_request: float | None = None  # time.monotonic() of the last request's end


def _host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


@dataclass
class Fetcher:
    """An HTTP client for one scrape run: use as a context manager, then :meth:`fetch` pages one by one."""

    settings: FetchSettings = field(default_factory=FetchSettings)
    _hosts: dict[str, _Host] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        s = self.settings
        self._retry = _DeadlineRetry(total=s.retries, backoff_factor=s.backoff, status_forcelist=RETRY_STATUS,
                                     respect_retry_after_header=True, max_backoff_wait=s.max_wait,
                                     total_timeout=4 * s.max_wait)
        self.client = httpx.Client(
            transport=RetryTransport(transport=_Guarded(httpx.HTTPTransport()), retry=self._retry),
            timeout=httpx.Timeout(s.read_timeout, connect=s.connect_timeout),
            headers={"User-Agent": user_agent(s.contact), "Accept-Encoding": "gzip, deflate"},
            follow_redirects=False,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()

    @property
    def user_agent(self) -> str:
        return self.client.headers["User-Agent"]

    def budget(self, deadline: float | None = None) -> _Budget:
        """A fresh budget for one fetch (``deadline`` seconds from now; default: the settings')."""
        seconds = self.settings.deadline if deadline is None else deadline
        return _Budget(seconds, time.monotonic() + seconds, self.settings.max_bytes,
                       self.settings.max_decoded_bytes)

    def _host(self, url: str) -> _Host:
        return self._hosts.setdefault(_host_key(url), _Host())

    def _polite_wait(self, url: str, budget: _Budget) -> None:
        """Wait out the host's delay since its last request; the wait does not count against the deadline."""
        host = self._host(url)
        if host.last_request is None:
            return
        wait = max(self.settings.delay, host.crawl_delay) - (time.monotonic() - host.last_request)
        if wait > 0:
            time.sleep(wait)
            budget.deadline_at += wait

    def _get(self, url: str, headers: dict[str, str], budget: _Budget, polite: bool = True) -> httpx.Response:
        """One GET with retries (no redirects followed). Raises :class:`FetchError` naming ``url``."""
        if polite:
            self._polite_wait(url, budget)
        budget.attempts = 0
        retry = self._retry.copy_with()
        retry.deadline_at = budget.deadline_at
        s = self.settings
        try:
            request = self.client.build_request("GET", url, headers=headers,
                                                extensions={"retry": retry, "policycheck": budget})
            return self.client.send(request)
        except _Refused as exc:
            raise FetchError(url, f"{exc} (after {_attempts(budget.attempts)})") from exc
        except httpx.TimeoutException as exc:
            raise FetchError(url, f"timed out ({type(exc).__name__}) after {_attempts(budget.attempts)} "
                                  f"(connect {s.connect_timeout:g} s, read {s.read_timeout:g} s)") from exc
        except httpx.HTTPError as exc:
            raise FetchError(url, f"network error after {_attempts(budget.attempts)}: "
                                  f"{type(exc).__name__}: {exc or 'no detail'}") from exc
        except httpx.InvalidURL as exc:  # not an HTTPError: a Location header httpx cannot even parse as a redirect
            raise FetchError(url, f"the server sent a URL that is not valid (Location header?): {exc}") from exc
        except UnicodeError as exc:  # a host IDNA cannot encode (idna.IDNAError, the socket's 'label too long')
            raise FetchError(url, f"the host is no domain name IDNA can encode: {exc}") from exc
        finally:
            self._host(url).last_request = time.monotonic()

    def _follow(self, url: str, headers: dict[str, str], budget: _Budget, check_robots: bool = True,
                polite: bool = True, max_redirects: int | None = None) -> tuple[httpx.Response, list[str]]:
        """GET ``url``, following redirects by hand: robots.txt is asked for every URL of the chain before it is
        requested. Returns the last response and the URLs redirected through. Raises :class:`FetchError` naming
        ``url`` (and the hop, for a problem after a redirect)."""
        limit = self.settings.max_redirects if max_redirects is None else max_redirects
        chain: list[str] = []
        current = url
        while True:
            try:
                if check_robots:
                    started = time.monotonic()
                    self.allowed(current)
                    budget.deadline_at += time.monotonic() - started  # robots.txt has its own deadline
                response = self._get(current, headers, budget, polite)
            except FetchError as exc:
                if current == url:
                    raise
                raise FetchError(url, f"redirected to {clip(current)}: {exc.what}", exc.status) from exc
            location = response.headers.get("location")
            if response.status_code not in REDIRECT_STATUS or not location:
                return response, chain
            target = urljoin(current, location.strip()).split("#", 1)[0]
            if urlsplit(target).scheme not in ("http", "https"):
                raise FetchError(url, f"redirected to {clip(repr(target))}, which is not an http(s) URL")
            if target == current or target in chain:
                loop = " -> ".join(clip(hop) for hop in [*chain, current, target])
                raise FetchError(url, f"redirect loop: {loop}")
            if len(chain) >= limit:
                raise FetchError(url, f"more than {limit} redirects (last to {clip(target)})")
            chain.append(current)
            current = target

    def _load_robots(self, url: str) -> _Host:
        parts = urlsplit(url)
        host = self._host(url)
        if host.robots is not None or host.robots_error is not None:
            return host
        robots_url = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
        try:
            response, _ = self._follow(robots_url, {"Accept": "text/plain"}, self.budget(), check_robots=False,
                                       max_redirects=ROBOTS_REDIRECTS)
        except FetchError as exc:
            host.robots_error = f"robots.txt unreachable ({exc.what}); the site is treated as disallowed (RFC 9309)"
            return host
        if response.status_code >= 500 or response.status_code == 429:
            host.robots_error = (f"robots.txt unreachable (HTTP {response.status_code} at {robots_url}); the site "
                                 "is treated as disallowed (RFC 9309)")
        elif response.status_code >= 300:
            host.robots = Protego.parse("")  # no robots.txt (4xx, or redirects beyond the limit): all allowed
        else:
            host.robots = Protego.parse(response.text)
            delay = host.robots.crawl_delay(self.user_agent)
            host.crawl_delay = min(float(delay), MAX_CRAWL_DELAY) if delay else 0.0
        return host

    def allowed(self, url: str) -> None:
        """Raise :class:`FetchError` unless robots.txt of the URL's host lets policycheck fetch it."""
        host = self._load_robots(url)
        if host.robots_error is not None:
            raise FetchError(url, host.robots_error)
        assert host.robots is not None
        if not host.robots.can_fetch(url, self.user_agent):
            raise FetchError(url, f"disallowed by robots.txt for user agent {self.user_agent!r}")

    def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None,
              language: str | None = None) -> Fetched:
        """Fetch one page politely and within limits (see the module docstring).

        Inputs: the URL; the validators of the stored copy (sent as ``If-None-Match`` / ``If-Modified-Since``);
        the document's language (sent as ``Accept-Language``). Output: a :class:`Fetched` (status 2xx or 304).
        Raises :class:`FetchError` for robots.txt disallow (of any URL of the redirect chain), a redirect loop or
        too many redirects, a network error or timeout after retries, the deadline or a size limit passed, an HTTP
        status >= 400 (after retries for 429/5xx), a response that is not an HTML/text page, or a body that is
        still gzip data after its Content-Encoding was undone.
        """
        headers = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"}
        if language:
            headers["Accept-Language"] = f"{language},*;q=0.5"
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        budget = self.budget()
        response, chain = self._follow(url, headers, budget)
        fetched = self._fetched(url, response, chain, budget.attempts)
        status = fetched.status
        where = f" (redirected to {clip(fetched.final_url)})" if chain else ""
        if status >= 400:
            after = f" after {_attempts(fetched.attempts)}" if fetched.attempts > 1 else ""
            raise FetchError(url, f"HTTP {status} {clip(response.reason_phrase)}{after}{where}", status)
        if status != 304 and not 200 <= status < 300:
            raise FetchError(url, f"unexpected HTTP {status} {clip(response.reason_phrase)}{where}", status)
        content_type = fetched.content_type or ""
        if status != 304 and content_type and not content_type.split(";")[0].strip().lower().startswith(HTML_TYPES):
            raise FetchError(url, f"not an HTML page (Content-Type {clip(repr(content_type))}){where}", status)
        if fetched.content.startswith(GZIP_MAGIC):
            raise FetchError(url, "the body is gzip data that no Content-Encoding undid (RFC 1952 magic bytes at its "
                                  f"start; the server compressed it without saying so, or twice){where}", status)
        return fetched

    def fetch_resource(self, url: str, headers: dict[str, str], budget: _Budget) -> Fetched:
        """Fetch a sub-resource of a page being rendered (a script, a stylesheet, an XHR): robots.txt asked for
        every URL of its redirect chain, the page's budget (deadline, caps) applied, no per-host delay (the page
        load is one visit). Any HTTP status is returned. Raises :class:`FetchError` when robots.txt disallows it
        or the fetch fails."""
        response, chain = self._follow(url, headers, budget, polite=False)
        return self._fetched(url, response, chain, budget.attempts)

    @staticmethod
    def _fetched(url: str, response: httpx.Response, chain: list[str], attempts: int) -> Fetched:
        names = {k.lower(): v for k, v in response.headers.items()}
        status = response.status_code
        return Fetched(url, str(response.url), status, b"" if status == 304 else response.content, names,
                       datetime.now(UTC).replace(tzinfo=None), attempts, response.charset_encoding, chain)
