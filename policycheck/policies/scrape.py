"""``policycheck scrape``: fetch every declared source, keep the raw page, record a version when the text changed.

For each source of ``policies/sources.json`` (:mod:`policycheck.policies.sources`), in file order:

1. fetch (:mod:`policycheck.policies.fetch`): robots.txt for every host of the redirect chain, conditional
   request with the ETag / Last-Modified of the response that gave the current version (not for a
   script-rendered page, whose text a 304 of its shell does not vouch for), retries, deadline, size caps,
   polite delay per host;
2. store the raw response under the snapshots folder, content-addressed: ``<sha256[:2]>/<sha256>.html`` plus
   ``<sha256>.json`` (URL, final URL, first fetch time in UTC, HTTP status, headers of interest, document id).
   The same content fetched again writes nothing;
3. decode it (:func:`policycheck.policies.charset.decode_page`: the declared charset checked against the bytes,
   else the sniffed one); for a source with ``executeClientScripts``, render it in a headless browser
   (:mod:`policycheck.policies.browser`) and store the rendered DOM the same way (its ``.json`` names the
   response it was rendered from);
4. extract the document with the source's ``select`` / ``remove`` selectors
   (:func:`policycheck.policies.html.parse_html`: blocks and normalized text);
5. record it (:func:`policycheck.policies.versions.record`) in one transaction with its ``fetch_log`` row: same
   normalized text -> ``unchanged`` (a ``304 Not Modified`` -> ``not_modified``, a snapshot without raw
   content); a broken page or one that is not the document (empty, summary only, truncated, headings only, in
   another script than the declared language's, damaged characters, bytes that do not fit the declared
   charset) -> ``quarantined`` with its measured reason; otherwise a change event to a ``new_version`` (or back to
   an earlier text: ``changed``).

A source fails (``failed``) on a network error or timeout after retries, the deadline or a size cap passed,
HTTP status >= 400, a robots.txt disallow (of any URL it redirects through), a redirect loop, a non-HTML
response, a browser that is missing or cannot load the page, a selector that matches nothing, or elements nested
too deep; nothing is recorded but the ``fetch_log`` row. Failed and quarantined sources never touch
``versions``, ``changes`` or ``blocks``.
Exit status (:attr:`ScrapeResult.exit_code`): 11 if any source failed or was quarantined, else 10 if the current
version of any document changed, else 0.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from policycheck import exitcodes
from policycheck.errors import PolicycheckError
from policycheck.events import Outcome, Problem, Progressed, Started
from policycheck.policies.browser import BrowserError, Rendered, Renderer
from policycheck.policies.charset import decode_page
from policycheck.policies.fetch import Fetched, Fetcher, FetchError, FetchSettings
from policycheck.policies.html import parse_html
from policycheck.policies.sources import Source
from policycheck.policies.versions import Capture, current_version, load_version, record
from policycheck.sizes import MESSAGE_CHARS, clip
from policycheck.store import next_id, transaction

if TYPE_CHECKING:
    from policycheck.workspace import Workspace

STAGE = "policies"  # the stage name of this module's events

FAILED_OUTCOMES = ("failed", "quarantined")
CHANGED_OUTCOMES = ("new_version", "changed")
HEADERS_KEPT = ("content-type", "content-length", "etag", "last-modified", "date", "cache-control", "server")


@dataclass
class SourceResult:
    """What happened to one source: ``outcome`` is one of the ``fetch_log.outcome`` values."""

    source: Source
    outcome: str
    version_id: int | None = None  # the document's current version afterwards
    detail: str | None = None
    http_status: int | None = None
    snapshot_id: int | None = None
    raw_path: str | None = None

    @property
    def failed(self) -> bool:
        return self.outcome in FAILED_OUTCOMES


@dataclass
class ScrapeResult:
    results: list[SourceResult] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """11 when a source failed or was quarantined, else 10 when a document changed, else 0."""
        if any(r.failed for r in self.results):
            return exitcodes.FETCH_FAILED
        if any(r.outcome in CHANGED_OUTCOMES for r in self.results):
            return exitcodes.CHANGED
        return exitcodes.OK


def save_raw(folder: Path, fetched: Fetched, document_id: str,
             extra: dict[str, Any] | None = None) -> tuple[Path, str]:
    """Store a response body content-addressed under ``folder``; return its path and SHA-256 (hex).

    Writes ``<sha[:2]>/<sha>.json`` (metadata of the first fetch that returned this content, plus ``extra``)
    then ``<sha[:2]>/<sha>.html``, each atomically; when the ``.html`` exists already nothing is written.
    """
    sha = hashlib.sha256(fetched.content).hexdigest()
    path = folder / sha[:2] / f"{sha}.html"
    if path.exists():
        return path, sha
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "document_id": document_id, "url": fetched.url, "final_url": fetched.final_url,
        "fetched_at": fetched.fetched_at.isoformat() + "Z", "http_status": fetched.status,
        "sha256": sha, "bytes": len(fetched.content),
        "headers": {k: fetched.headers[k] for k in HEADERS_KEPT if k in fetched.headers},
        "redirects": fetched.redirects, **(extra or {}),
    }
    for target, data in ((path.with_suffix(".json"), json.dumps(meta, indent=2).encode()), (path, fetched.content)):
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
    return path, sha


def validators(con: duckdb.DuckDBPyConnection, source: Source, version_id: int | None) -> tuple[str | None, str | None]:
    """ETag and Last-Modified of the latest scrape of ``source.url`` that showed ``version_id`` (the current
    version), for a conditional request; (None, None) when there is none. Validators of a quarantined page are
    never used: a 304 must mean "still the current version"."""
    if version_id is None:
        return None, None
    rows = con.execute(
        "select etag, last_modified from snapshots where document_id = ? and source = ? and origin = 'scrape' "
        "and status in ('ok', 'unchanged') and version_id = ? and (etag is not null or last_modified is not null) "
        "order by observed_at desc, snapshot_id desc limit 1",
        [source.document_id, source.url, version_id]).fetchall()
    return rows[0] if rows else (None, None)


def _finish(con: duckdb.DuckDBPyConnection, result: SourceResult, started: datetime, clock: float,
            capture: Capture | None = None) -> SourceResult:
    """Record ``capture`` (if any) and the ``fetch_log`` row in one transaction; fill in the outcome. The detail
    (what servers and pages said) is bounded by :func:`policycheck.sizes.clip` before it is stored or shown."""
    with transaction(con):
        if capture is not None:
            rec = record(con, capture)
            result.snapshot_id = rec.snapshot_id
            if rec.status == "quarantined":
                result.outcome, result.detail = "quarantined", _join(rec.reason, result.detail)
            elif rec.status == "unchanged":
                result.outcome = "not_modified" if capture.http_status == 304 else "unchanged"
            else:
                result.outcome = "new_version" if rec.new_version else "changed"
                stated = con.execute("select effective_date from versions where version_id = ?",
                                     [rec.version_id]).fetchall()[0][0]
                result.detail = _join((f"effective {stated}" if stated else "no effective date in the text") + (
                    "" if rec.new_version else "; a text seen before"), result.detail)
        result.version_id = current_version(con, result.source.document_id)
        result.detail = clip(result.detail, MESSAGE_CHARS) if result.detail else result.detail
        con.execute(
            "insert into fetch_log (log_id, document_id, url, attempted_at, duration_ms, outcome, http_status, "
            "version_id, snapshot_id, raw_path, detail) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [next_id(con, "fetch_log", "log_id"), result.source.document_id, result.source.url, started,
             round((time.monotonic() - clock) * 1000), result.outcome, result.http_status, result.version_id,
             result.snapshot_id, result.raw_path, result.detail])
    return result


def _join(first: str | None, note: str | None) -> str | None:
    return f"{first}; {note}" if first and note else first or note


def _render(renderer: Renderer, source: Source, fetched: Fetched, snapshots: Path,
            result: SourceResult) -> tuple[Rendered, Path, str]:
    """Render a script page and store the rendered DOM content-addressed, its metadata naming the response it
    was rendered from. Raises :class:`BrowserError`."""
    rendered = renderer.render(fetched, list(source.select), source.document.language)
    page = replace(fetched, content=rendered.html.encode("utf-8"),
                   headers={**fetched.headers, "content-type": "text/html; charset=utf-8"})
    shell = result.raw_path and Path(result.raw_path).stem
    raw, sha = save_raw(snapshots, page, source.document_id, {
        "rendered": {"browser": rendered.browser, "from_sha256": shell, "waited_s": round(rendered.waited, 2),
                     "select_filled": rendered.filled, "subresources": rendered.subresources}})
    return rendered, raw, sha


def scrape_source(con: duckdb.DuckDBPyConnection, fetcher: Fetcher, source: Source, snapshots: Path,
                  renderer: Renderer | None = None) -> SourceResult:
    """Fetch, store, render (a script page), extract and record one source (steps 1-5 of the module docstring).

    ``renderer`` renders sources with ``executeClientScripts`` (one is made for this source when None).
    Output: a :class:`SourceResult`; failures are results, not exceptions.
    """
    started, clock = datetime.now(UTC).replace(tzinfo=None), time.monotonic()
    ref = source.document
    current = current_version(con, source.document_id)
    etag, last_modified = (None, None) if source.execute_client_scripts else validators(con, source, current)
    try:
        fetched = fetcher.fetch(source.url, etag, last_modified, ref.language)
    except FetchError as exc:
        return _finish(con, SourceResult(source, "failed", detail=exc.what, http_status=exc.status), started, clock)
    result = SourceResult(source, "failed", http_status=fetched.status)
    if fetched.status == 304:
        if current is None:
            result.detail = "HTTP 304 Not Modified, but no version of the document is stored"
            return _finish(con, result, started, clock)
        capture = Capture(ref, fetched.fetched_at, "scrape", source.url, load_version(con, current), http_status=304,
                          etag=fetched.etag or etag, last_modified=fetched.last_modified or last_modified)
        return _finish(con, result, started, clock, capture)
    raw, sha = save_raw(snapshots, fetched, source.document_id)
    result.raw_path = str(raw)
    decoded = decode_page(fetched.content, fetched.charset)
    html = decoded.text
    if source.execute_client_scripts:
        try:
            if renderer is None:
                with Renderer(fetcher) as own:
                    rendered, raw, sha = _render(own, source, fetched, snapshots, result)
            else:
                rendered, raw, sha = _render(renderer, source, fetched, snapshots, result)
        except BrowserError as exc:
            result.detail = str(exc)
            return _finish(con, result, started, clock)
        html, result.raw_path = rendered.html, str(raw)
        result.detail = rendered.summary() + ("" if rendered.filled else (
            f"; the page's scripts had not filled {', '.join(map(repr, source.select))} after "
            f"{rendered.waited:.1f} s (--render-wait)"))
    try:
        parsed = parse_html(html, list(source.select), list(source.remove), where=source.url)
    except PolicycheckError as exc:  # the charset problem first: it is why a selector finds nothing
        result.detail = _join(_join(decoded.problem, exc.what), result.detail)
        return _finish(con, result, started, clock)
    capture = Capture(ref, fetched.fetched_at, "scrape", source.url, parsed, raw_path=str(raw), raw_sha256=sha,
                      http_status=fetched.status, etag=fetched.etag, last_modified=fetched.last_modified,
                      content_type=fetched.content_type, defect=decoded.problem)
    return _finish(con, result, started, clock, capture)


def scrape(ws: Workspace, sources: list[Source], snapshots: Path) -> ScrapeResult:
    """Scrape ``sources`` one after another (see the module docstring).

    Inputs: the workspace (its store, and ``ws.settings.fetch``: timeouts, retries, politeness delay; None:
    defaults); the sources (:func:`policycheck.policies.sources.load_sources`); the raw snapshots folder. Emits
    on ``ws.events``, per source (item: its URL): a :class:`~policycheck.events.Progressed` before it is
    fetched and after, an :class:`~policycheck.events.Outcome` (its outcome and detail) and, when it failed, a
    :class:`~policycheck.events.Problem`. Output: a :class:`ScrapeResult` (per-source outcomes and the exit
    code). Source failures are outcomes, never exceptions; each source is its own transaction, so one failing
    leaves the others' records.
    """
    result = ScrapeResult()
    ws.events.emit(Started(STAGE, len(sources)))
    with Fetcher(ws.settings.fetch or FetchSettings()) as fetcher, Renderer(fetcher) as renderer:
        for i, source in enumerate(sources):
            ws.events.emit(Progressed(STAGE, i, len(sources), source.url))
            outcome = scrape_source(ws.con, fetcher, source, snapshots, renderer)
            result.results.append(outcome)
            ws.events.emit(Progressed(STAGE, i + 1, len(sources), source.url))
            ws.events.emit(Outcome(STAGE, {"outcome": outcome.outcome, "detail": outcome.detail},
                                   source.document_id))
            if outcome.failed:
                ws.events.emit(Problem(STAGE, source.url, f"{outcome.outcome}: {outcome.detail or ''}".rstrip(": ")))
    return result
