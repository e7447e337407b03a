"""Script-rendered pages: a real headless browser, as Open Terms Archive does for ``executeClientScripts``.

Playwright for Python drives the system's Chromium (Debian's ``chromium`` package; no browser is downloaded, at
install or at run time). The executable is the ``chromium`` setting (``scrape --chromium``), else
``$POLICYCHECK_CHROMIUM``, else ``chromium`` or ``chromium-browser`` on PATH; it is launched with
:data:`CHROMIUM_FLAGS`.

The browser never touches the network itself. Every request it makes is intercepted (Playwright routing) and
answered by policycheck's own :class:`~policycheck.policies.fetch.Fetcher`, so the rules of a plain fetch hold:

- the page itself is the response the fetcher already got (robots.txt of every host of its redirect chain,
  User-Agent, per-host delay, deadline, size caps, retries);
- a sub-resource the page's scripts ask for (script, XHR/fetch, stylesheet, frame) is fetched by the fetcher
  with the page's User-Agent, robots.txt asked for every host it or its redirects reach, under the render's
  deadline and the same caps; a disallowed or failing one is blocked (the page sees a network error) and
  listed. Sub-resources of one page load are one visit: they skip the per-host delay (a browser loads them
  together), at most :data:`MAX_SUBRESOURCES` per page;
- images, media and fonts are never fetched (they carry no text), nor requests other than GET/HEAD; service
  workers are blocked and WebSockets are never connected.

After the page's ``load`` event the browser waits (at most ``render_wait`` seconds, and never past the
render's deadline) until every ``select`` selector matches an element with text and that text has stopped
changing for one polling interval (:data:`POLL_MS`); then the rendered DOM is serialized and goes through the
same extraction and recording as a fetched page.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from policycheck.policies.fetch import Fetched, Fetcher, FetchError

CHROMIUM_NAMES = ("chromium", "chromium-browser")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
INSTALL_HINT = ("install one with `apt-get install chromium` (Debian/Ubuntu), or name it with --chromium or "
                "$POLICYCHECK_CHROMIUM")
NOT_FETCHED_TYPES = ("image", "media", "font")
MAX_SUBRESOURCES = 100
POLL_MS = 250
LAUNCH_TIMEOUT_MS = 30_000
# Resolves to true once every selector matches an element with text and the text lengths are the same as at
# the previous poll (the scripts have finished writing).
_FILLED = """(selectors) => {
  const sizes = selectors.map((s) => {
    const found = document.querySelectorAll(s);
    let n = 0;
    for (const e of found) n += (e.textContent || "").trim().length;
    return found.length ? n : -1;
  });
  const key = sizes.join(",");
  const stable = !sizes.some((n) => n <= 0) && window.__policycheckSizes === key;
  window.__policycheckSizes = key;
  return stable;
}"""


class BrowserError(Exception):
    """The browser could not render a page: ``str()`` is one line saying why (and how to fix a missing one)."""


def find_chromium(setting: str | None = None) -> str | None:
    """The Chromium executable to drive: ``setting``, else ``$POLICYCHECK_CHROMIUM``, else ``chromium`` /
    ``chromium-browser`` on PATH; None when there is none. Raises :class:`BrowserError` when a named executable
    does not exist."""
    for named in (setting, os.environ.get("POLICYCHECK_CHROMIUM")):
        if named:
            found = shutil.which(named) or (named if Path(named).is_file() and os.access(named, os.X_OK) else None)
            if found is None:
                raise BrowserError(f"browser {named!r} not found or not executable; {INSTALL_HINT}")
            return found
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


@dataclass
class Rendered:
    """A page after its scripts ran: the serialized DOM, whether the ``select``ed parts were filled in time,
    the seconds waited, and what happened to each sub-resource (``(url, outcome)``)."""

    html: str
    filled: bool
    waited: float
    browser: str
    subresources: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        fetched = sum(1 for _, outcome in self.subresources if outcome.startswith("HTTP"))
        blocked = len(self.subresources) - fetched
        return f"rendered with {self.browser} ({fetched} sub-resources fetched, {blocked} not)"


class Renderer:
    """One headless Chromium for a scrape run, started on first use: ``with Renderer(fetcher) as r:``."""

    def __init__(self, fetcher: Fetcher) -> None:
        self.fetcher = fetcher
        self._playwright: Any = None
        self._browser: Any = None

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            if self._browser is not None:
                self._browser.close()
        finally:
            if self._playwright is not None:
                self._playwright.stop()
            self._browser = self._playwright = None

    def _launch(self) -> Any:
        if self._browser is not None:
            return self._browser
        executable = find_chromium(self.fetcher.settings.chromium)
        if executable is None:
            raise BrowserError(f"the source sets executeClientScripts and needs a browser, but no Chromium was "
                               f"found ({' or '.join(CHROMIUM_NAMES)} on PATH); {INSTALL_HINT}")
        from playwright.sync_api import Error, sync_playwright

        try:
            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS,
                                                              timeout=LAUNCH_TIMEOUT_MS)
        except Error as exc:
            self.close()
            raise BrowserError(f"cannot start the browser {executable}: {_first_line(exc)}") from exc
        return self._browser

    def render(self, fetched: Fetched, select: list[str], language: str | None = None) -> Rendered:
        """Load ``fetched`` (a page the fetcher got) in the browser, let its scripts run and wait for the
        ``select`` selectors to be filled (see the module docstring). Output: a :class:`Rendered`. Raises
        :class:`BrowserError` (one line) when no browser is installed, it cannot start, or the page cannot be
        loaded within the deadline."""
        from playwright.sync_api import Error, TimeoutError

        browser = self._launch()
        budget = self.fetcher.budget()
        log: list[tuple[str, str]] = []
        served = [False]

        def route(route: Any) -> None:
            request = route.request
            url = request.url
            if not served[0] and request.is_navigation_request():  # the page itself: the fetcher's response
                served[0] = True
                route.fulfill(status=fetched.status, headers=_passed_headers(fetched.headers), body=fetched.content)
                return
            outcome = _not_fetched(request, len(log))
            if outcome is None:
                headers = {"Accept": request.headers.get("accept", "*/*"), "Referer": fetched.final_url}
                try:
                    got = self.fetcher.fetch_resource(url, headers, budget)
                except FetchError as exc:
                    outcome = f"blocked: {exc.what}"
                else:
                    log.append((url, f"HTTP {got.status}"))
                    route.fulfill(status=got.status, headers=_passed_headers(got.headers), body=got.content)
                    return
            log.append((url, outcome))
            route.abort("blockedbyclient")

        headers = {"Accept-Language": f"{language},*;q=0.5"} if language else {}
        context = browser.new_context(user_agent=self.fetcher.user_agent, extra_http_headers=headers,
                                      service_workers="block")
        try:
            context.route("**/*", route)
            context.route_web_socket("**/*", lambda ws: ws.close())
            page = context.new_page()
            started = time.monotonic()
            try:
                page.goto(fetched.final_url, wait_until="load", timeout=_ms(budget.remaining()))
            except Error as exc:
                raise BrowserError(f"the browser could not load the page: {_first_line(exc)}") from exc
            wait = min(self.fetcher.settings.render_wait, budget.remaining())
            filled = True
            try:
                page.wait_for_function(_FILLED, arg=list(select), polling=POLL_MS, timeout=_ms(wait))
            except TimeoutError:
                filled = False
            html = page.content()
            waited = time.monotonic() - started
        except Error as exc:
            raise BrowserError(f"the browser failed while rendering the page: {_first_line(exc)}") from exc
        finally:
            context.close()
        if len(html) > self.fetcher.settings.max_decoded_bytes:
            raise BrowserError(f"the rendered page has {len(html):,} characters, over the "
                               f"{self.fetcher.settings.max_decoded_bytes:,} limit (--max-decoded-bytes)")
        return Rendered(html, filled, waited, f"chromium {browser.version}", log)


def _not_fetched(request: Any, count: int) -> str | None:
    """Why a sub-resource request is not fetched at all, or None when it may be."""
    if request.resource_type in NOT_FETCHED_TYPES:
        return f"not fetched ({request.resource_type})"
    if request.method not in ("GET", "HEAD"):
        return f"not fetched ({request.method} request)"
    if urlsplit(request.url).scheme not in ("http", "https"):
        return "not fetched (not http)"
    if count >= MAX_SUBRESOURCES:
        return f"not fetched (more than {MAX_SUBRESOURCES} sub-resources)"
    return None


def _passed_headers(headers: dict[str, str]) -> dict[str, str]:
    """Response headers handed to the browser (the body is already decoded and complete)."""
    return {k: v for k, v in headers.items() if k not in ("content-encoding", "content-length", "transfer-encoding",
                                                         "set-cookie")}


def _ms(seconds: float) -> float:
    return max(1.0, seconds * 1000)


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__
