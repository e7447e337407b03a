"""Issue 11, items 2-3 and Verify: each fault of a hostile or broken server, served on 127.0.0.1 after a good
version is stored, leaves the stored versions untouched, prints one clear line, exits 11, and stays within the
deadline and under the memory bound stated here. The scrape runs as the real CLI in a child process that
reports its own peak memory (VmHWM of /proc/self/status: the high-water mark of the process's own memory after
exec; ru_maxrss would include the parent's pages a forked child saw before exec)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from policycheck import exitcodes, store
from policycheck.policies.fetch_settings import FetchSettings
from policycheck.policies.markdown import markdown_to_html
from policycheck.policies.scrape import scrape
from policycheck.policies.sources import load_sources
from tests.conftest import require_shared, workspace
from tests.policies.httpserver import Page, PolicyServer

CAPTURE = ("datasets", "policies", "wechat-privacy-policy", "2022-09-09_b9d6b3e1.md")
DOC = "example-privacy-policy-en"
MEMORY_BOUND_MB = 400  # peak RSS of the scrape process; the 1 GiB gzip bomb once took it to 2.2 GB
DEADLINE = 3.0  # --deadline of the scrape under test, seconds
WALL_BOUND = 12.0  # whole CLI run (start-up, robots.txt, one failing fetch), seconds; the drip once held it 46 s
# Runs the CLI in this child process and reports the child's own peak memory on stderr.
_RUN = ("import re, sys\nfrom policycheck.cli import main\nsys.argv = ['policycheck', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\nelse:\n    code = 0\n"
        "status = open('/proc/self/status').read()\n"
        "sys.stderr.write('PEAK_KB ' + re.search(r'VmHWM:\\s+(\\d+)', status).group(1) + '\\n')\nsys.exit(code)\n")


def policy_html(text_transform=lambda s: s) -> str:
    markdown = require_shared(*CAPTURE).read_text(encoding="utf-8")
    body = markdown_to_html(text_transform(markdown))
    return f"<html><head><meta charset='utf-8'></head><body><div id='doc'>{body}</div></body></html>"


def gzip_bomb(inflated: int) -> bytes:
    """A gzip body that inflates to ``inflated`` bytes of HTML, built piece by piece."""
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [squeeze.compress(b"<html><body><div id='doc'><p>")]
    block = b"a" * (1 << 20)
    parts += [squeeze.compress(block) for _ in range(inflated >> 20)]
    return b"".join([*parts, squeeze.flush()])


@pytest.fixture
def site(tmp_path: Path):
    """A server with one declared document whose good version is already stored; yields (server, other server,
    paths). The other server is a second host (another port: another origin for robots.txt)."""
    with PolicyServer() as server, PolicyServer() as other:
        sources = tmp_path / "sources.json"
        sources.write_text(json.dumps({"name": "Example", "terms": {"Privacy Policy": {
            "fetch": server.base + "/privacy", "select": "#doc", "language": "en"}}}), encoding="utf-8")
        server.pages["/privacy"] = Page(policy_html().encode())
        con = store.connect(tmp_path / "store.duckdb")
        ws = workspace(con, fetch=FetchSettings(delay=0, retries=0))
        first = scrape(ws, load_sources(sources), tmp_path / "snap")
        assert first.results[0].outcome == "new_version"
        con.close()
        yield server, other, sources


def stored(db: Path) -> dict[str, list]:
    con = store.connect(db, read_only=True)
    try:
        return {t: con.execute(f"select * from {t} order by all").fetchall() for t in ("versions", "changes", "blocks")}
    finally:
        con.close()


def run_cli(tmp_path: Path, sources: Path, *extra: str) -> tuple[subprocess.CompletedProcess, float, int]:
    args = [sys.executable, "-c", _RUN, "scrape", "--sources", str(sources), "--snapshots", str(tmp_path / "snap"),
            "--db", str(tmp_path / "store.duckdb"), "--delay", "0", "--timeout", "1", "--retries", "0",
            "--deadline", str(DEADLINE), "--no-rejudge", *extra]
    started = time.monotonic()
    proc = subprocess.run(args, capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": "250"})
    elapsed = time.monotonic() - started
    peak = int(next(line.split()[1] for line in proc.stderr.splitlines() if line.startswith("PEAK_KB")))
    return proc, elapsed, peak // 1024


def _headings_only(server, other):
    body = "".join(f"<h2>{i}. How we handle your personal information, section {i}</h2>" for i in range(1, 40))
    server.pages["/privacy"] = Page(f"<html><body><div id='doc'><h1>Privacy Policy</h1>{body}</div></body>"
                                    "</html>".encode())


def _cyrillic(server, other):
    paragraph = "Мы собираем сведения о вашем устройстве и используем их для предоставления услуг."
    body = "".join(f"<p>{paragraph} Раздел {i}.</p>" for i in range(60))
    server.pages["/privacy"] = Page(f"<html><body><div id='doc'><h1>Политика</h1>{body}</div></body></html>"
                                    .encode())


def _windows_1252_labelled_utf8(server, other):
    curly = policy_html(lambda md: md.replace("'", "\u2019"))  # typographic apostrophes: 0x92 in Windows-1252
    server.pages["/privacy"] = Page(curly.encode("cp1252", "replace"), content_type="text/html; charset=utf-8")


def _redirect_to_disallowed_host(server, other):
    server.pages["/privacy"] = Page(b"", 302, headers={"Location": other.base + "/privacy"})
    other.pages["/robots.txt"] = Page(b"User-agent: *\nDisallow: /\n", content_type="text/plain")
    other.pages["/privacy"] = Page(policy_html(lambda md: md + "\n\nA new paragraph.").encode())


def _redirect_loop(server, other):
    server.pages["/privacy"] = Page(b"", 302, headers={"Location": "/elsewhere"})
    server.pages["/elsewhere"] = Page(b"", 301, headers={"Location": "/privacy"})


def _gzip_bomb(server, other):
    server.pages["/privacy"] = Page(gzip_bomb(1 << 30), headers={"Content-Encoding": "gzip"})


def _too_large(server, other):
    server.pages["/privacy"] = Page(b"<html><body><div id='doc'>" + b"<p>words</p>" * 1_000_000)


def _drip(server, other):
    server.pages["/privacy"] = Page(policy_html().encode(), drip=0.3, chunk=64)


def _nested_20000(server, other):
    server.pages["/privacy"] = Page(b"<html><body><div id='doc'>" + b"<div>" * 20_000 + b"<p>deep</p>"
                                    + b"</div>" * 20_000 + b"</div></body></html>")


def _body_stalls(server, other):
    server.pages["/privacy"] = Page(policy_html().encode(), stall_after=2000, stall=5.0)


def _redirect_chain_50(server, other):
    for i in range(50):
        server.pages[f"/r{i}" if i else "/privacy"] = Page(b"", 302, headers={"Location": f"/r{i + 1}"})


def _redirect_to_file(server, other):
    server.pages["/privacy"] = Page(b"", 302, headers={"Location": "file:///etc/passwd"})


def _brotli(server, other):
    server.pages["/privacy"] = Page(b"\x1b\xff\xff" * 1000, headers={"Content-Encoding": "br"})


def _gbk_labelled_utf8(server, other):
    body = "".join("<p>我们会收集你的手机号码并与第三方共享。</p>" for _ in range(50))
    server.pages["/privacy"] = Page(f"<html><body><div id='doc'><h1>隐私政策</h1>{body}</div></body></html>"
                                    .encode("gbk"), content_type="text/html; charset=utf-8")


def _only_script(server, other):
    server.pages["/privacy"] = Page(b"<html><body><div id='doc'><script>" + b"var a = 1;" * 10_000
                                    + b"</script></div></body></html>")


def _elements_300000(server, other):
    server.pages["/privacy"] = Page(b"<html><body><div id='doc'>" + b"<li>a" * 300_000 + b"</div></body></html>")


FAULTS = {
    "redirect-chain-of-50": (_redirect_chain_50, "failed", "more than 10 redirects (last to "),
    "redirect-to-file-url": (_redirect_to_file, "failed", "'file:///etc/passwd', which is not an http(s) URL"),
    "brotli-body": (_brotli, "failed", "unsupported Content-Encoding 'br'"),
    "gbk-labelled-utf-8": (_gbk_labelled_utf8, "quarantined", "wrong charset: the page declares utf-8 but"),
    "only-script": (_only_script, "quarantined", "empty or near-empty page: 0 characters"),
    "300000-elements": (_elements_300000, "failed", "300,003 elements, more than the 200,000"),
    "headings-only": (_headings_only, "quarantined", "headings only: 40 of 40 blocks are headings"),
    "cyrillic-for-en": (_cyrillic, "quarantined", "wrong script for 'en': 0% of its"),
    "windows-1252-labelled-utf-8": (_windows_1252_labelled_utf8, "quarantined",
                                    "wrong charset: the page declares utf-8 but"),
    "redirect-to-disallowed-host": (_redirect_to_disallowed_host, "failed", "disallowed by robots.txt"),
    "redirect-loop": (_redirect_loop, "failed", "redirect loop: "),
    "gzip-bomb-1-GiB": (_gzip_bomb, "failed", "body inflates to more than 16,777,216 bytes"),
    "body-over-max-bytes": (_too_large, "failed", "is over the 1,048,576-byte limit (--max-bytes)"),
    "drip-64-bytes-every-0.3-s": (_drip, "failed", f"no complete response within the {DEADLINE:g} s deadline"),
    "nested-20000-deep": (_nested_20000, "failed", "elements nested more than 256 deep"),
    "body-read-timeout": (_body_stalls, "failed", "timed out (ReadTimeout) after 1 attempt"),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", FAULTS)
def test_fault_leaves_versions_untouched_with_one_line_in_time_and_memory(site, tmp_path, case):
    server, other, sources = site
    make, outcome, message = FAULTS[case]
    before = stored(tmp_path / "store.duckdb")
    make(server, other)
    extra = ("--max-bytes", str(1 << 20)) if case == "body-over-max-bytes" else ()
    proc, elapsed, peak_mb = run_cli(tmp_path, sources, *extra)

    assert proc.returncode == exitcodes.FETCH_FAILED, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.startswith(outcome)]
    assert len(lines) == 1 and message in lines[0], proc.stderr
    assert lines[0].startswith(f"{outcome} {server.base}/privacy ({DOC}): ")
    assert "Traceback" not in proc.stderr
    assert stored(tmp_path / "store.duckdb") == before
    con = store.connect(tmp_path / "store.duckdb", read_only=True)
    log = con.execute("select outcome, detail from fetch_log order by log_id desc limit 1").fetchall()[0]
    con.close()
    assert log[0] == outcome and message in log[1]
    assert elapsed < WALL_BOUND, f"{case} took {elapsed:.1f} s"
    assert peak_mb < MEMORY_BOUND_MB, f"{case} peaked at {peak_mb} MB"
    if case == "redirect-to-disallowed-host":
        assert other.requests_to("/privacy") == [] and [h.path for h in other.hits] == ["/robots.txt"]
    if case == "redirect-loop":
        assert "attempts" not in lines[0] and lines[0].count(" -> ") == 2
    if case == "drip-64-bytes-every-0.3-s":
        assert elapsed >= DEADLINE  # it did wait for the body until the deadline, then stopped


@pytest.mark.slow
def test_read_timeout_while_the_body_arrives_is_retried_and_attempts_counted(site, tmp_path):
    server, _other, sources = site
    changed = policy_html(lambda md: md + "\n\nA paragraph the new version adds.").encode()
    server.pages["/privacy"] = lambda n: (Page(changed, stall_after=2000, stall=5.0) if n == 1 else Page(changed))
    proc, elapsed, _ = run_cli(tmp_path, sources, "--retries", "1")
    assert proc.returncode == exitcodes.CHANGED, proc.stderr
    assert [h.status for h in server.requests_to("/privacy")] == [200, 200, 200]  # first scrape, stalled, retry
    assert elapsed < WALL_BOUND


@pytest.mark.slow
def test_redirect_to_an_allowed_host_asks_its_robots_first(site, tmp_path):
    server, other, sources = site
    server.pages["/privacy"] = Page(b"", 301, headers={"Location": other.base + "/policy"})
    other.pages["/policy"] = Page(policy_html(lambda md: md + "\n\nMoved here.").encode())
    proc, _, _ = run_cli(tmp_path, sources)
    assert proc.returncode == exitcodes.CHANGED, proc.stderr
    assert [h.path for h in other.hits] == ["/robots.txt", "/policy"]
    meta = next((tmp_path / "snap").rglob("*.json"), None)
    assert meta is not None
    saved = [json.loads(p.read_text()) for p in (tmp_path / "snap").rglob("*.json")]
    assert any(m["final_url"] == other.base + "/policy" and m["redirects"] == [server.base + "/privacy"]
               for m in saved)
