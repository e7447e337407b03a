"""`policycheck scrape` against a real HTTP server on 127.0.0.1 serving pages built from the real archive
(issue 2, items 2-3, Verify): first fetch, conditional requests, changes, failures, sources.json validation."""

from __future__ import annotations

import hashlib
import html
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policycheck import config, exitcodes, store
from policycheck.cli import app
from policycheck.errors import PolicycheckError
from policycheck.policies.archive import import_archive
from policycheck.policies.dates import effective_date
from policycheck.policies.fetch_settings import FetchSettings
from policycheck.policies.markdown import markdown_to_html, parse_markdown
from policycheck.policies.scrape import ScrapeResult, scrape
from policycheck.policies.sources import load_sources, select_sources
from tests.conftest import path_of, require_shared, workspace
from tests.policies.httpserver import Page

ARCHIVE = ("datasets", "policies", "wechat-privacy-policy")
FIRST, LATER = "2022-09-09_b9d6b3e1.md", "2023-06-02_ab22a0fa.md"
WECHAT = "wechat-privacy-policy-en"
WECHAT_PATH = "/en/privacy_policy.html"
FAST = FetchSettings(connect_timeout=1.0, read_timeout=0.5, retries=1, backoff=0.0, delay=0.0)


@pytest.fixture
def sources(sources: Path) -> Path:
    """The project's sources (served locally) with ``executeClientScripts`` off: these tests are about the HTTP
    side (conditional requests, retries, limits); tests/policies/test_render.py renders with a browser."""
    data = json.loads(sources.read_text(encoding="utf-8"))
    for declaration in data["declarations"]:
        for value in declaration["terms"].values():
            for source in value if isinstance(value, list) else [value]:
                source.pop("executeClientScripts", None)
    sources.write_text(json.dumps(data), encoding="utf-8")
    return sources


def capture(name: str) -> str:
    return (require_shared(*ARCHIVE) / name).read_text(encoding="utf-8")


def wechat_page(markdown: str) -> bytes:
    """A page like wechat.com's: navigation and footer around the policy in the declared ``#agreement6``."""
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>WeChat</title>"
            f"<script>var tracking = 1;</script></head><body><nav><ul><li>Home</li><li>Download</li></ul></nav>"
            f"<div id='agreement6'>{markdown_to_html(markdown)}</div>"
            f"<footer><p>Copyright footer with many words that are not part of the policy.</p></footer>"
            f"</body></html>").encode()


def run(con, sources: Path, tmp_path: Path, only=(WECHAT,), settings: FetchSettings = FAST) -> ScrapeResult:
    return scrape(workspace(con, fetch=settings), select_sources(load_sources(sources), list(only), sources),
                  tmp_path / "snapshots")


def stored(con) -> dict[str, list]:
    """Everything a failed scrape must leave as it was (versions' last_seen aside, which only 'unchanged' moves)."""
    return {table: con.execute(f"select * from {table} order by all").fetchall()
            for table in ("versions", "changes", "blocks")}


def one(con, sql: str, params=()):
    return con.execute(sql, list(params)).fetchall()[0]


@pytest.mark.slow
def test_first_fetch_unchanged_conditional_and_changed(con, server, sources, tmp_path):
    first = wechat_page(capture(FIRST))
    server.pages[WECHAT_PATH] = Page(first, etag='"v1"')

    result = run(con, sources, tmp_path)
    assert result.exit_code == exitcodes.CHANGED
    [r] = result.results
    assert r.outcome == "new_version" and r.http_status == 200
    # The version holds the declared part of the page only, with the same blocks as the archived Markdown.
    archived = parse_markdown(capture(FIRST))
    text, origin, effective = one(con, "select text, origin, effective_date from versions")
    assert text == archived.text and origin == "scrape"
    assert effective == effective_date(archived.text).value
    assert "Copyright footer" not in text and "Download" not in text
    assert one(con, "select count(*) from blocks")[0] == len(archived.blocks)
    # The raw response is stored content-addressed with its fetch metadata.
    raw = Path(r.raw_path)
    sha = hashlib.sha256(first).hexdigest()
    assert raw == tmp_path / "snapshots" / sha[:2] / f"{sha}.html" and raw.read_bytes() == first
    meta = json.loads(raw.with_suffix(".json").read_text())
    assert meta["url"] == server.base + WECHAT_PATH and meta["document_id"] == WECHAT
    assert meta["http_status"] == 200 and meta["headers"]["etag"] == '"v1"'
    assert server.hits[0].path == "/robots.txt"
    assert all(h.headers["user-agent"].startswith("policycheck/") for h in server.hits)
    before = stored(con)

    # Unchanged page: the conditional request gets a 304; nothing new but the version's last_seen.
    again = run(con, sources, tmp_path)
    assert again.exit_code == exitcodes.OK and again.results[0].outcome == "not_modified"
    assert server.requests_to(WECHAT_PATH)[-1].headers["if-none-match"] == '"v1"'
    assert server.requests_to(WECHAT_PATH)[-1].status == 304
    status, raw_path, http_status = one(con, "select status, raw_path, http_status from snapshots "
                                             "order by snapshot_id desc limit 1")
    assert (status, raw_path, http_status) == ("unchanged", None, 304)
    first_seen, last_seen = one(con, "select first_seen, last_seen from versions")
    assert last_seen > first_seen
    assert stored(con)["changes"] == before["changes"] and stored(con)["blocks"] == before["blocks"]

    # Changed page: a later capture of the policy is a new version and a change event from the first.
    server.pages[WECHAT_PATH] = Page(wechat_page(capture(LATER)), etag='"v2"')
    changed = run(con, sources, tmp_path)
    assert changed.exit_code == exitcodes.CHANGED and changed.results[0].outcome == "new_version"
    assert server.requests_to(WECHAT_PATH)[-1].status == 200
    assert con.execute("select from_version_id, to_version_id from changes order by change_id").fetchall() == [
        (None, r.version_id), (r.version_id, changed.results[0].version_id)]
    assert one(con, "select text from versions where version_id = ?",
               [changed.results[0].version_id])[0] == parse_markdown(capture(LATER)).text
    outcomes = con.execute("select outcome from fetch_log order by log_id").fetchall()
    assert outcomes == [("new_version",), ("not_modified",), ("new_version",)]


@pytest.mark.slow
def test_last_modified_and_unconditional_unchanged(con, server, sources, tmp_path):
    body = wechat_page(capture(FIRST))
    stamp = "Fri, 09 Sep 2022 18:42:44 GMT"
    server.pages[WECHAT_PATH] = Page(body, last_modified=stamp)
    assert run(con, sources, tmp_path).exit_code == exitcodes.CHANGED
    assert run(con, sources, tmp_path).results[0].outcome == "not_modified"
    assert server.requests_to(WECHAT_PATH)[-1].headers["if-modified-since"] == stamp

    # A server without validators answers 200: same text -> unchanged, and the same raw content is not rewritten.
    server.pages[WECHAT_PATH] = Page(body)
    files = sorted((tmp_path / "snapshots").rglob("*"))
    mtimes = [f.stat().st_mtime_ns for f in files]
    result = run(con, sources, tmp_path)
    assert result.exit_code == exitcodes.OK and result.results[0].outcome == "unchanged"
    assert sorted((tmp_path / "snapshots").rglob("*")) == files
    assert [f.stat().st_mtime_ns for f in files] == mtimes
    assert one(con, "select count(*) from versions")[0] == 1
    assert one(con, "select count(*) from snapshots where status = 'unchanged' and raw_path is not null")[0] == 1


def _fail_500(server, page):
    server.pages[WECHAT_PATH] = Page(b"oops", 500, "text/plain")


def _fail_404(server, page):
    server.pages[WECHAT_PATH] = Page(b"gone", 404, "text/plain")


def _timeout(server, page):
    server.pages[WECHAT_PATH] = Page(page, delay=3.0)


def _robots_disallow(server, page):
    server.pages["/robots.txt"] = Page(b"User-agent: *\nAllow: /\n\nUser-agent: policycheck\nDisallow: /en/\n",
                                       content_type="text/plain")


def _robots_unreachable(server, page):
    server.pages["/robots.txt"] = Page(b"busy", 503, "text/plain")


def _empty_body(server, page):
    server.pages[WECHAT_PATH] = Page(b"")


def _empty_container(server, page):
    server.pages[WECHAT_PATH] = Page(b"<html><body><div id='agreement6'></div>"
                                     b"<script>load('/policy.json')</script></body></html>")


def _truncated(server, page):
    server.pages[WECHAT_PATH] = Page(page[: len(page) // 2])


def _not_html(server, page):
    server.pages[WECHAT_PATH] = Page(b"%PDF-1.7", content_type="application/pdf")


FAILURES = {
    "http-500": (_fail_500, "failed", "HTTP 500 Internal Server Error after 2 attempts"),
    "http-404": (_fail_404, "failed", "HTTP 404 Not Found"),
    "timeout": (_timeout, "failed", "timed out (ReadTimeout) after 2 attempts"),
    "robots-disallow": (_robots_disallow, "failed", "disallowed by robots.txt"),
    "robots-unreachable": (_robots_unreachable, "failed", "robots.txt unreachable (HTTP 503"),
    "empty-body": (_empty_body, "failed", "selector '#agreement6' matches nothing in the page"),
    "empty-container": (_empty_container, "quarantined", "empty or near-empty page: 0 characters"),
    "truncated": (_truncated, "quarantined", "partial capture"),
    "not-html": (_not_html, "failed", "not an HTML page (Content-Type 'application/pdf')"),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", FAILURES)
def test_failures_leave_versions_untouched(con, server, sources, tmp_path, case):
    make, outcome, message = FAILURES[case]
    page = wechat_page(capture(FIRST))
    server.pages[WECHAT_PATH] = Page(page)
    assert run(con, sources, tmp_path).exit_code == exitcodes.CHANGED
    before = stored(con)
    page_hits = len(server.requests_to(WECHAT_PATH))

    make(server, page)
    started = time.monotonic()
    result = run(con, sources, tmp_path)
    elapsed = time.monotonic() - started

    assert result.exit_code == exitcodes.FETCH_FAILED
    [r] = result.results
    assert r.outcome == outcome and message in r.detail, r.detail
    assert stored(con) == before
    assert r.version_id == before["versions"][0][0]  # the good version is still the current one
    log = one(con, "select outcome, detail, url from fetch_log order by log_id desc limit 1")
    assert log == (outcome, r.detail, server.base + WECHAT_PATH)
    new_page_hits = len(server.requests_to(WECHAT_PATH)) - page_hits
    if case.startswith("robots"):
        assert new_page_hits == 0  # the page itself was never requested
    if case in ("http-500", "timeout"):
        assert new_page_hits == 2  # one retry (FAST.retries), then the failure
    if case == "timeout":
        assert elapsed < 2.5  # two read timeouts of 0.5 s, not the server's 3 s delay


@pytest.mark.slow
def test_retry_after_is_honoured(con, server, sources, tmp_path):
    page = wechat_page(capture(FIRST))
    server.pages[WECHAT_PATH] = lambda n: (Page(b"busy", 503, "text/plain", headers={"Retry-After": "1"})
                                           if n == 0 else Page(page))
    started = time.monotonic()
    result = run(con, sources, tmp_path)
    assert result.exit_code == exitcodes.CHANGED
    hits = server.requests_to(WECHAT_PATH)
    assert [h.status for h in hits] == [503, 200]
    assert time.monotonic() - started >= 0.95  # waited as the server asked, although backoff is 0


@pytest.mark.slow
def test_crawl_delay_spaces_requests_to_one_host(con, server, sources, tmp_path):
    server.pages["/robots.txt"] = Page(b"User-agent: *\nCrawl-delay: 1\n", content_type="text/plain")
    server.pages[WECHAT_PATH] = Page(wechat_page(capture(FIRST)))
    started = time.monotonic()
    assert run(con, sources, tmp_path).exit_code == exitcodes.CHANGED
    assert time.monotonic() - started >= 0.95
    assert [h.path for h in server.hits] == ["/robots.txt", WECHAT_PATH]


def test_all_sources_failure_wins_over_changes(con, server, sources, tmp_path):
    """WeChat and Weixin (zh) change, Weixin (en) serves the Chinese text (quarantined: wrong script for 'en'):
    exit 11, the two others recorded."""
    guidelines = require_shared("datasets", "policies", "weixin-privacy-guidelines", "zh_2026-08-17.txt")
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in guidelines.read_text("utf-8").splitlines()
                         if line.strip())
    zh_page = f"<html><body><div id='js_content'>{paragraphs}</div></body></html>".encode()
    declared = {s.document_id: path_of(s.url) for s in load_sources(sources)}
    assert set(declared) == {WECHAT, "weixin-privacy-policy-zh", "weixin-privacy-policy-en"}
    server.pages[declared[WECHAT]] = Page(wechat_page(capture(FIRST)))
    server.pages[declared["weixin-privacy-policy-zh"]] = Page(zh_page)
    server.pages[declared["weixin-privacy-policy-en"]] = Page(zh_page)

    result = run(con, sources, tmp_path, only=())
    assert result.exit_code == exitcodes.FETCH_FAILED
    outcomes = {r.source.document_id: r.outcome for r in result.results}
    assert outcomes == {WECHAT: "new_version", "weixin-privacy-policy-zh": "new_version",
                        "weixin-privacy-policy-en": "quarantined"}
    failed = result.results[-1]
    assert failed.detail.startswith("wrong script for 'en': 2% of its") and "Latin (98% Han" in failed.detail
    assert con.execute("select document_id, language from versions order by all").fetchall() == [
        (WECHAT, "en"), ("weixin-privacy-policy-zh", "zh")]
    assert sum(1 for h in server.hits if h.path == "/robots.txt") == 1  # robots.txt once per host


def test_scrape_after_archive_import_sees_the_same_text(con, onto, server, sources, tmp_path):
    """A live page carrying the text of the latest archived capture is that version: unchanged, exit 0."""
    latest = "2026-08-06_4f213408.md"
    folder = tmp_path / "archive"
    folder.mkdir()
    shutil.copy(require_shared(*ARCHIVE) / latest, folder / latest)
    import_archive(workspace(con, onto), folder, service="WeChat", doc_type="Privacy Policy", language="en")
    server.pages[WECHAT_PATH] = Page(wechat_page(capture(latest)))
    result = run(con, sources, tmp_path)
    assert result.exit_code == exitcodes.OK and result.results[0].outcome == "unchanged"
    assert one(con, "select count(*) from versions")[0] == 1


@pytest.mark.slow
def test_cli_scrape_table_failure_line_and_exit_codes(server, sources, tmp_path):
    server.pages[WECHAT_PATH] = Page(wechat_page(capture(FIRST)))
    args = ["scrape", "--sources", str(sources), "--snapshots", str(tmp_path / "snap"), "--db",
            str(tmp_path / "s.duckdb"), "--only", WECHAT, "--timeout", "0.5", "--retries", "0", "--delay", "0"]
    runner = CliRunner()
    first = runner.invoke(app, args, env={"COLUMNS": "250"})
    assert first.exit_code == exitcodes.CHANGED, first.output
    assert WECHAT in first.stdout and "new_version" in first.stdout
    server.pages[WECHAT_PATH] = Page(b"oops", 500, "text/plain")
    failed = runner.invoke(app, args, env={"COLUMNS": "250"})
    assert failed.exit_code == exitcodes.FETCH_FAILED
    lines = [line for line in failed.stderr.splitlines() if line.startswith("failed")]
    assert lines == [f"failed {server.base}{WECHAT_PATH} ({WECHAT}): HTTP 500 Internal Server Error"]


# --- sources.json ---------------------------------------------------------------------------------------------


def test_project_sources_match_the_ota_declaration_and_dataset_readme():
    declaration = json.loads(require_shared("datasets", "policies", "declarations", "WeChat.json").read_text())
    readme = require_shared("datasets", "policies", "README.md").read_text()
    found = {s.document_id: s for s in load_sources(config.sources_file())}
    assert list(found) == [WECHAT, "weixin-privacy-policy-zh", "weixin-privacy-policy-en"]
    ota = declaration["terms"]["Privacy Policy"]
    wechat = found[WECHAT]
    assert (wechat.url, wechat.select, wechat.execute_client_scripts) == (ota["fetch"], (ota["select"],), True)
    assert found["weixin-privacy-policy-en"].url in readme  # the English guidelines' URL, as the README gives it
    for lang, code in (("en", "en_US"), ("zh", "zh_CN")):
        url = found[f"weixin-privacy-policy-{lang}"].url
        assert f"lang={code}" in url and "s=privacy" in url and "t=weixin_agreement" in url


BASE = {"fetch": "https://example.org/privacy", "select": "#policy", "language": "en"}


def _with(**changes):
    source = {**BASE, **changes}
    return {"declarations": [{"name": "Example", "terms": {"Privacy Policy": source}}]}


SOURCE_PATH = 'declarations[0].terms["Privacy Policy"]'
BAD_SOURCES = {
    "fetch-not-http": (_with(fetch="ftp://example.org/p"),
                       f"{SOURCE_PATH}.fetch: not an http(s) URL: 'ftp://example.org/p'"),
    "missing-language": ({"declarations": [{"name": "Example", "terms": {"Privacy Policy": {
        "fetch": "https://example.org/p", "select": "#p"}}}]}, f"{SOURCE_PATH}.language: missing field"),
    "bad-language": (_with(language="English"), f"{SOURCE_PATH}.language: expected an ISO 639-1 code"),
    "unknown-key": (_with(fech="https://x.org"), f"{SOURCE_PATH}.fech: unknown field (expected one of "),
    "bad-selector": (_with(select="##policy"), f"{SOURCE_PATH}.select: invalid CSS selector '##policy'"),
    "range-selector": (_with(select=[{"startBefore": "#a", "endBefore": "#b"}]),
                       f"{SOURCE_PATH}.select[0]: range selectors"),
    "scripts-not-bool": (_with(executeClientScripts="yes"), f"{SOURCE_PATH}.executeClientScripts: expected true"),
    "same-language-twice": ({"declarations": [{"name": "Example", "terms": {"Privacy Policy": [BASE, BASE]}}]},
                            f"{SOURCE_PATH}[1].language: 'en' is declared twice"),
    "same-document-twice": ({"declarations": [{"name": "Example", "terms": {"Privacy Policy": BASE}}] * 2},
                            "declarations[1].terms[\"Privacy Policy\"]: declares document 'example-privacy-policy-en' "
                            "again"),
    "no-name": ({"declarations": [{"terms": {"Privacy Policy": BASE}}]}, "declarations[0].name: missing field"),
    "empty-name": ({"declarations": [{"name": " ", "terms": {"Privacy Policy": BASE}}]},
                   "declarations[0].name: expected the service name"),
    "combine": (_with(combine=[BASE]), f"{SOURCE_PATH}.combine: multi-page documents"),
    "not-a-list": ({"declarations": {"name": "Example"}}, "declarations: expected a list of declarations"),
    "wrong-top-level": ("sources", "expected {\"declarations\": [...]}"),
}


@pytest.mark.parametrize("case", BAD_SOURCES)
def test_malformed_sources_name_file_and_json_path(tmp_path, case):
    data, message = BAD_SOURCES[case]
    path = tmp_path / "sources.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PolicycheckError) as err:
        load_sources(path)
    assert str(err.value).startswith(f"{path}:1: {message}"), str(err.value)  # json.dumps writes one line


def test_sources_json_syntax_error_and_duplicate_key_give_line_or_key(tmp_path):
    path = tmp_path / "sources.json"
    path.write_text('{"declarations": [\n  {"name": "Example",\n   "terms": {}},\n]}\n', encoding="utf-8")
    with pytest.raises(PolicycheckError, match=rf"^{path}:4: invalid JSON"):
        load_sources(path)
    path.write_text('{"declarations": [{"name": "A", "name": "B", "terms": {}}]}', encoding="utf-8")
    with pytest.raises(PolicycheckError, match="key 'name' appears twice"):
        load_sources(path)
    with pytest.raises(PolicycheckError, match="no source declares document 'nope'"):
        select_sources(load_sources(config.sources_file()), ["nope"], config.sources_file())


@pytest.mark.slow
def test_cli_malformed_sources_is_one_line_exit_2_and_store_kept(con, db_path, server, sources, tmp_path):
    server.pages[WECHAT_PATH] = Page(wechat_page(capture(FIRST)))
    run(con, sources, tmp_path)
    before = stored(con)
    con.close()
    bad = tmp_path / "bad.json"
    text = json.dumps(_with(fetch="www.wechat.com/en/privacy_policy.html"), indent=2)
    bad.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if '"fetch"' in row)
    proc = subprocess.run([sys.executable, "-m", "policycheck", "scrape", "--sources", str(bad), "--db",
                           str(db_path), "--snapshots", str(tmp_path / "snap")], capture_output=True, text=True)
    assert proc.returncode == exitcodes.BAD_INPUT
    assert proc.stderr.strip() == (f"error: {bad}:{line}: {SOURCE_PATH}.fetch: not an http(s) URL: "
                                   "'www.wechat.com/en/privacy_policy.html'")
    after = store.connect(db_path, read_only=True)
    assert stored(after) == before
    after.close()


def test_cli_scrape_failure_line_shows_control_characters_of_the_url_escaped(server, tmp_path):
    """The failed-source line writes a control character of a declared URL as a Python escape, as every other printed
    name (``cli.common.shown``): a terminal escape sequence in sources.json never reaches the terminal."""
    sources = tmp_path / "sources.json"
    url = f"{server.base}/priv\x1b[31macy"
    sources.write_text(json.dumps({"name": "Example", "terms": {"Privacy Policy": {
        "fetch": url, "select": "#doc", "language": "en"}}}), encoding="utf-8")
    args = ["scrape", "--sources", str(sources), "--snapshots", str(tmp_path / "snap"), "--db",
            str(tmp_path / "s.duckdb"), "--timeout", "0.5", "--retries", "0", "--delay", "0", "--no-rejudge"]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "250"})
    assert result.exit_code == exitcodes.FETCH_FAILED, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("failed")]
    assert len(lines) == 1 and "\x1b" not in result.stderr
    assert lines[0].startswith(f"failed {server.base}/priv\\x1b[31macy (example-privacy-policy-en): ")
