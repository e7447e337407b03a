"""Hostile input the earlier sweeps did not reach (bad7), through the real command line in a subprocess
(``tests.test_bad_input.cli``: ``python -m policycheck`` under an address-space limit and a timeout) where a
process is needed, through the function otherwise.

Families: a policy server on 127.0.0.1 whose ``charset`` is no web encoding (``rot13``, ``base64`` and ``zlib`` are
no text encodings: ``bytes.decode`` raised ``LookupError`` out of ``scrape`` with a traceback; ``punycode`` raised
``UnicodeError``), whose declared charset loses the page's markup (an ASCII page labelled UTF-16: "selector
matches nothing", the charset never named), and whose ``Content-Encoding: deflate`` body is neither a zlib nor a
raw deflate stream (``zlib.error`` with a traceback), whose body is gzip data no Content-Encoding undid ("wrong
charset" and "selector matches nothing"), or whose ``Retry-After`` is no delay or date (logged by
httpx-retries on stderr as it was); ``export --parquet`` into a folder of other files; DuckDB errors embedded as
JSON (a full disk); YAML files of millions of tiny values (composed whole before they were counted).
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from policycheck.policies.charset import WEB_CODECS, decode_page
from tests.policies.httpserver import Page, PolicyServer
from tests.test_bad_input import Case, check, cli, write

PAGE = ("<html><body><div id='doc'><h1>Privacy Policy</h1>" + "".join(
    f"<p>We collect your phone number and share it with partners for purpose {i}.</p>" for i in range(30))
    + "</div></body></html>").encode("ascii")


# --- charsets: the decoder alone ---------------------------------------------------------------------------------

@pytest.mark.parametrize("label", ["rot13", "base64", "zlib", "bz2", "hex", "punycode", "unicode_escape", "utf-7",
                                   "cp037", "utf-32", "undefined", "x-bogus", "utf-8\x00", "\x1b[31m"])
def test_a_charset_that_is_no_web_encoding_is_ignored_and_the_bytes_sniffed(label):
    """A Content-Type charset naming no WHATWG encoding is read as no declaration (it raised LookupError or
    UnicodeError for codecs that are no text encodings, and read ``cp037``/``utf-32`` pages as mojibake)."""
    decoded = decode_page(PAGE, label)
    assert decoded.declared is None and decoded.problem is None
    assert decoded.text == PAGE.decode("ascii")


@pytest.mark.parametrize("label", ["utf-16", "utf-16le", "UTF-16BE"])
@pytest.mark.parametrize("cut", [0, 1])  # an even and an odd number of bytes
def test_a_declared_charset_that_loses_the_markup_is_named_and_the_bytes_sniffed(label, cut):
    """An ASCII page labelled UTF-16 decodes (cleanly, or with one odd byte) to text without a single ``<``: the
    problem names the charset, and the text is the sniffed reading, so the selector finds the document."""
    content = PAGE[:len(PAGE) - cut]
    decoded = decode_page(content, label)
    assert decoded.problem is not None and decoded.problem.startswith("wrong charset: the page declares utf-16")
    assert "has no HTML markup" in decoded.problem
    assert decoded.text == content.decode("ascii")


def test_a_real_utf16_page_and_the_web_labels_python_lacks_are_still_read():
    """What the markup check must not refuse: a UTF-16 page declared so, and WHATWG labels Python has no alias for."""
    text = PAGE.decode("ascii") + "<p>隐私</p>"
    for label in ("utf-16-le", "utf-16be"):
        codec = "utf-16-le" if "le" in label else "utf-16-be"
        decoded = decode_page(text.encode(codec), label)
        assert (decoded.text, decoded.problem) == (text, None)
    decoded = decode_page("<p>\u0e01</p>".encode("cp874"), "windows-874")
    assert (decoded.declared, decoded.text, decoded.problem) == ("cp874", "<p>\u0e01</p>", None)
    assert {"utf-8", "gbk", "gb18030", "big5", "shift_jis", "cp1252"} <= WEB_CODECS


# --- the same through `policycheck scrape` and a server on 127.0.0.1 ---------------------------------------------

def _scrape(tmp: Path, url: str) -> list[str]:
    sources = write(tmp / "sources.json", json.dumps({"name": "Example", "terms": {"Privacy Policy": {
        "fetch": url, "select": "#doc", "language": "en"}}}))
    return ["scrape", "--sources", str(sources), "--snapshots", str(tmp / "snap"), "--delay", "0", "--timeout", "2",
            "--retries", "0", "--no-rejudge"]


SERVED = {
    # (page, exit status, the text of the source's one line)
    "charset=rot13 (no text encoding)": (Page(PAGE, content_type="text/html; charset=rot13"), 10, "new_version"),
    "charset=punycode": (Page(PAGE, content_type="text/html; charset=punycode"), 10, "new_version"),
    "an ASCII page labelled utf-16": (Page(PAGE, content_type="text/html; charset=utf-16"), 11,
                                      "quarantined {url} (example-privacy-policy-en): wrong charset: the page "
                                      "declares utf-16 but read as utf-16 it has no HTML markup"),
    "a gzip body without Content-Encoding": (Page(gzip.compress(PAGE)), 11,
                                             "failed {url} (example-privacy-policy-en): the body is gzip data that no "
                                             "Content-Encoding undid"),
    "a body gzipped twice, once declared": (Page(gzip.compress(gzip.compress(PAGE)),
                                                 headers={"Content-Encoding": "gzip"}), 11,
                                            "failed {url} (example-privacy-policy-en): the body is gzip data that no "
                                            "Content-Encoding undid"),
    "a deflate body that is no deflate data": (Page(b"\x00\x01garbage" * 100, headers={"Content-Encoding": "deflate"}),
                                               11, "failed {url} (example-privacy-policy-en): Content-Encoding deflate "
                                                   "but the body is not deflate data"),
}


@pytest.mark.parametrize("name", SERVED)
def test_a_hostile_policy_server_gives_one_line_per_source(name, base_store, tmp_path):
    """Each case ran into a traceback (exit 1) or named the wrong problem before bad7."""
    page, status, where = SERVED[name]
    with PolicyServer() as server:
        server.pages["/privacy"] = page
        url = server.base + "/privacy"
        proc = check(Case(lambda t: _scrape(t, url), status=status, where=where.format(url=url)), base_store, tmp_path)
    if status == 10:
        assert "new_version" in proc.stdout



@pytest.mark.parametrize("value", ["\x1b[2J soon", "-100", "1e309"])
def test_a_retry_after_that_is_no_delay_or_date_prints_nothing_but_the_sources_line(value, base_store, tmp_path):
    """``Retry-After: <ESC>[2J soon`` on a 503: httpx-retries logged ``Retry-After header is not a valid HTTP date:
    ...`` on stderr for every retry, the server's bytes as they were (a terminal escape sequence cleared the
    screen). Now the value is no Retry-After (the backoff applies) and stderr is the source's one line."""
    with PolicyServer() as server:
        server.pages["/privacy"] = Page(b"busy", 503, "text/plain", headers={"Retry-After": value})
        url = server.base + "/privacy"
        proc = check(Case(lambda t: [*_scrape(t, url)[:-3], "--retries", "1", "--backoff", "0", "--no-rejudge"],
                          status=11, where=f"failed {url} (example-privacy-policy-en): HTTP 503"), base_store, tmp_path)
    assert proc.stderr.strip().splitlines() == [f"failed {url} (example-privacy-policy-en): HTTP 503 Service "
                                                "Unavailable after 2 attempts"], proc.stderr


# --- export --parquet: a folder of other files ---------------------------------------------------------------------

def test_export_into_a_folder_of_other_files_is_refused_and_touches_nothing(base_store, tmp_path):
    """``export --parquet ~``: the home folder's ``documents`` folder (named like a table) was emptied and replaced
    by Parquet files, and 32 entries written among the user's files. Now one line, exit 2, nothing written."""
    home = tmp_path / "home"
    write(home / "documents" / "letter.txt", "keep me")
    write(home / "notes.txt", "keep me too")
    before = sorted(p.relative_to(home) for p in home.rglob("*"))
    proc = check(Case(lambda t: ["export", "--parquet", str(home)],
                      where=f"{home}: cannot write the Parquet export: documents/letter.txt is not part of an "
                            "earlier export"),
                 base_store, tmp_path)
    assert len(proc.stderr.strip().splitlines()) == 1
    assert sorted(p.relative_to(home) for p in home.rglob("*")) == before
    assert (home / "documents" / "letter.txt").read_text() == "keep me"


def test_export_again_replaces_its_own_export_but_no_other_file_in_it(base_store, tmp_path):
    """An export into its own earlier export, complete or interrupted (no manifest.json), is replaced (it failed with
    'File exists' on the second run); a file that is no Parquet file in one of its table folders is named, and
    nothing is replaced."""
    target = tmp_path / "parquet"
    for _ in range(2):
        proc = check(Case(lambda t: ["export", "--parquet", str(target)], status=0), base_store, tmp_path)
        assert proc.stdout.startswith("wrote "), proc.stderr
        (target / "manifest.json").unlink()
    stray = write(target / "claims" / "mine.txt", "keep me")
    check(Case(lambda t: ["export", "--parquet", str(target)],
               where="claims/mine.txt is not part of an earlier export"),
          base_store, tmp_path)
    assert stray.read_text() == "keep me" and (target / "claims" / "data.parquet").is_file()


# --- a full disk: DuckDB's error embedded as JSON ------------------------------------------------------------------

def test_a_write_onto_a_full_disk_names_the_file_and_the_error_not_duckdbs_json(ontology_store, tmp_path):
    """``sql --write`` copying onto ``/dev/full`` (every write: ENOSPC): DuckDB's own line, not its embedded JSON
    (``Async write failed for range [offset=0, size=5]: {"exception_type":"IO","exception_message":...}``); the
    same helper serves ``export --parquet`` and every other DuckDB error line."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    db = tmp_path / "w.duckdb"
    shutil.copy(ontology_store, db)
    proc = cli(["sql", "--write", "--db", str(db), "copy (select range from range(100000)) to '/dev/full' "
                "(format csv)"],
               tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.strip() == 'error: sql: IO Error: Could not write file "/dev/full": No space left on device'


# --- YAML: values counted as they are composed ---------------------------------------------------------------------

@pytest.mark.slow
def test_a_yaml_file_of_millions_of_tiny_values_is_refused_before_memory_runs_out(base_store, tmp_path):
    """An 8 MB gold file ``[1,1,...]`` of 4 million values: PyYAML composed every node (about 700 bytes each) before
    the 2,000,000-value limit was checked, and the command ran out of the 2.5 GB limit (``out of memory``, after
    74 s for 14 MB). Now the count stops the composer at the limit: one line naming the file and line."""
    gold = write(tmp_path / "gold.yaml", "[" + "1," * 4_000_000 + "1]\n")
    check(Case(lambda t: ["eval-claims", str(gold)], where="gold.yaml:1: invalid YAML: more than 2,000,000 values "
                                                           "in one file"), base_store, tmp_path)
