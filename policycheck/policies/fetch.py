"""Polite HTTP fetching of policy pages with httpx: robots.txt, conditional requests, retries, timeouts.

- Identification: every request carries :func:`user_agent` (``policycheck/<version> (privacy-policy research;
  +CONTACT)``); robots.txt rules are matched against it (product token ``policycheck``).
- robots.txt (RFC 9309, parsed with protego): fetched once per host and run. A 4xx answer (no robots.txt)
  allows everything (RFC 9309 §2.3.1.3); a 5xx or 429 answer after retries, or a network failure, means the rules are
  unreachable and the host is treated as fully disallowed (§2.3.1.4), so the source fails rather than being
  fetched against the site's possible wishes. ``Crawl-delay`` raises the delay between requests to that host
  (capped at :data:`MAX_CRAWL_DELAY`).
- Conditional requests (RFC 9110 §13.1): the caller passes the ETag / Last-Modified of the response that gave
  the current version; they are sent as ``If-None-Match`` / ``If-Modified-Since`` and a ``304`` comes back as
  ``status == 304`` with no body.
- Retries (httpx-retries ``RetryTransport``): connection errors, timeouts and HTTP 429/500/502/503/504 are
  retried up to ``retries`` times with exponential backoff (``backoff * 2**attempt`` seconds, full jitter);
  a ``Retry-After`` header (seconds or HTTP date) is honoured, capped at ``max_wait`` per wait and
  ``4 * max_wait`` in total.
- One request at a time: requests are made sequentially, and consecutive requests to one host are at least
  ``delay`` seconds apart (the larger of the setting and the host's Crawl-delay).

Failures raise :class:`FetchError` with a one-line message naming the URL and the problem.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

import httpx
from httpx_retries import Retry, RetryTransport
from protego import Protego

from policycheck import __version__

RETRY_STATUS = (429, 500, 502, 503, 504)
MAX_CRAWL_DELAY = 60.0  # seconds: a larger robots.txt Crawl-delay is capped (a scheduled job must finish)
HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")


def user_agent(contact: str | None = None) -> str:
    """The User-Agent policycheck sends: product token, version, purpose and (when given) a contact URL/e-mail."""
    extra = f"; +{contact}" if contact else ""
    return f"policycheck/{__version__} (privacy-policy research{extra})"


@dataclass(frozen=True)
class FetchSettings:
    """How to fetch. Times in seconds."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    retries: int = 3  # retries after the first attempt
    backoff: float = 1.0  # first backoff wait; doubles each retry
    max_wait: float = 60.0  # cap on one wait (backoff or Retry-After)
    delay: float = 2.0  # minimum gap between two requests to the same host
    contact: str | None = None  # URL or e-mail added to the User-Agent


@dataclass
class Fetched:
    """A response: ``status`` 200-299 with ``content``, or 304 (not modified) with empty content."""

    url: str  # requested URL
    final_url: str  # after redirects
    status: int
    content: bytes
    headers: dict[str, str]  # lower-case names
    fetched_at: datetime  # naive UTC, when the response arrived
    attempts: int
    charset: str | None = None  # from the Content-Type header; None lets the HTML parser sniff <meta charset>

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
        self.url, self.what, self.status = url, what, status
        super().__init__(f"{url}: {what}")


def _attempts(n: int) -> str:
    return f"{n} attempt" + ("" if n == 1 else "s")


class _Counting(httpx.BaseTransport):
    """Counts the attempts the retry transport makes (for messages: 'after 4 attempts')."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.attempts = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.attempts += 1
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


@dataclass
class _Host:
    robots: Protego | None = None
    robots_error: str | None = None  # robots.txt unreachable: the host is treated as disallowed
    crawl_delay: float = 0.0
    last_request: float | None = None  # time.monotonic() of the last request's end


@dataclass
class Fetcher:
    """An HTTP client for one scrape run: use as a context manager, then :meth:`fetch` pages one by one."""

    settings: FetchSettings = field(default_factory=FetchSettings)
    _hosts: dict[str, _Host] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        s = self.settings
        retry = Retry(total=s.retries, backoff_factor=s.backoff, status_forcelist=RETRY_STATUS,
                      respect_retry_after_header=True, max_backoff_wait=s.max_wait, total_timeout=4 * s.max_wait)
        self._counter = _Counting(httpx.HTTPTransport())
        self.client = httpx.Client(
            transport=RetryTransport(transport=self._counter, retry=retry),
            timeout=httpx.Timeout(s.read_timeout, connect=s.connect_timeout),
            headers={"User-Agent": user_agent(s.contact)},
            follow_redirects=True,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()

    @property
    def user_agent(self) -> str:
        return self.client.headers["User-Agent"]

    def _get(self, url: str, headers: dict[str, str]) -> tuple[httpx.Response, int]:
        """GET with retries, after waiting out the host's delay. Returns the response and the attempts made."""
        host = self._host(url)
        if host.last_request is not None:
            wait = max(self.settings.delay, host.crawl_delay) - (time.monotonic() - host.last_request)
            if wait > 0:
                time.sleep(wait)
        self._counter.attempts = 0
        try:
            response = self.client.get(url, headers=headers)
        except httpx.TimeoutException as exc:
            raise FetchError(url, f"timed out ({type(exc).__name__}) after {_attempts(self._counter.attempts)} "
                                  f"(connect {self.settings.connect_timeout:g} s, read "
                                  f"{self.settings.read_timeout:g} s)") from exc
        except httpx.HTTPError as exc:
            raise FetchError(url, f"network error after {_attempts(self._counter.attempts)}: "
                                  f"{type(exc).__name__}: {exc or 'no detail'}") from exc
        finally:
            host.last_request = time.monotonic()
        return response, self._counter.attempts

    def _host(self, url: str) -> _Host:
        return self._hosts.setdefault(urlsplit(url).netloc.lower(), _Host())

    def _load_robots(self, url: str) -> _Host:
        parts = urlsplit(url)
        host = self._host(url)
        if host.robots is not None or host.robots_error is not None:
            return host
        robots_url = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
        try:
            response, _ = self._get(robots_url, {"Accept": "text/plain"})
        except FetchError as exc:
            host.robots_error = f"robots.txt unreachable ({exc.what}); the site is treated as disallowed (RFC 9309)"
            return host
        if response.status_code >= 500 or response.status_code == 429:
            host.robots_error = (f"robots.txt unreachable (HTTP {response.status_code} at {robots_url}); the site "
                                 "is treated as disallowed (RFC 9309)")
        elif response.status_code >= 400:
            host.robots = Protego.parse("")  # no robots.txt: everything is allowed
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
        """Fetch one page politely (see the module docstring).

        Inputs: the URL; the validators of the stored copy (sent as ``If-None-Match`` / ``If-Modified-Since``);
        the document's language (sent as ``Accept-Language``). Output: a :class:`Fetched` (status 2xx or 304).
        Raises :class:`FetchError` for robots.txt disallow, a network error or timeout after retries, an HTTP
        status >= 400 (after retries for 429/5xx), or a response that is not an HTML/text page.
        """
        self.allowed(url)
        headers = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"}
        if language:
            headers["Accept-Language"] = f"{language},*;q=0.5"
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        response, attempts = self._get(url, headers)
        fetched_at = datetime.now(UTC).replace(tzinfo=None)
        status = response.status_code
        if status >= 400:
            after = f" after {_attempts(attempts)}" if attempts > 1 else ""
            raise FetchError(url, f"HTTP {status} {response.reason_phrase}{after}", status)
        if status != 304 and not 200 <= status < 300:
            raise FetchError(url, f"unexpected HTTP {status} {response.reason_phrase}", status)
        names = {k.lower(): v for k, v in response.headers.items()}
        content_type = names.get("content-type", "")
        if status != 304 and content_type and not content_type.split(";")[0].strip().lower().startswith(HTML_TYPES):
            raise FetchError(url, f"not an HTML page (Content-Type {content_type!r})", status)
        return Fetched(url, str(response.url), status, b"" if status == 304 else response.content, names,
                       fetched_at, attempts, response.charset_encoding)
