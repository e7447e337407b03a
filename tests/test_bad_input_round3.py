"""Hostile input the earlier sweeps did not reach (robust3), each through the real command line in a subprocess
(``tests.test_bad_input.cli``: ``python -m policycheck`` under an address-space limit and a timeout).

Families: lone surrogates (``"\\ud800"`` escapes in JSON and YAML, bytes mitmproxy decodes with ``surrogateescape``,
command-line arguments that are not UTF-8: once tracebacks wherever the text met a hash, Arrow or DuckDB), JSON
numbers that parse to NaN or infinity (once a traceback in the coordinate detector), ``POLICYCHECK_*`` process
counts that are no number, a manifest ``captured_at`` beyond what UTC can hold, a store path DuckDB misreads
(``?``, ``\\``), a ``--contact`` no HTTP header can carry, and SIGTERM in the middle of a parallel ingest (once
killed the parent on the spot and left its workers waiting forever).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from tests.policies.httpserver import Page, PolicyServer
from tests.test_bad_input import MEMORY, POLICY, Case, check, cli, counts, har, write
from tests.test_bad_input_cli import ENTRY, many_hars, one_line

NOT_UTF8 = os.fsdecode(b"\xff\xfe")  # what Python makes of an argument whose bytes are not UTF-8


def raw_har(text: str) -> str:
    """A HAR file of one POST whose ``postData.text`` is ``text`` written into the JSON as it stands (so that JSON
    escapes in it reach the parser)."""
    return ('{"log": {"entries": [{"startedDateTime": "2023-12-05T10:00:00Z", "request": {"method": "POST", "url": '
            '"https://example.com/a", "headers": [], "postData": {"mimeType": "application/json", "text": "'
            + text + '"}}}]}}')


def stored(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


# --- lone surrogates in captures: read, each replaced by U+FFFD -----------------------------------------------------

def _mitm_flow(tmp: Path) -> list[str]:
    """A mitmproxy flow (written by mitmproxy's FlowWriter) whose URL path, header and form body are not UTF-8:
    mitmproxy hands them on decoded with ``surrogateescape``."""
    from mitmproxy import io as mitm_io
    from mitmproxy.test import tflow

    flow = tflow.tflow(resp=True)
    flow.request.method, flow.request.host = "POST", "szshort.weixin.qq.com"
    flow.request.path = b"/cgi-bin/\xff\xfe?imei=\xff"
    flow.request.headers[b"X-\xff"] = b"\xff\xfe"
    flow.request.headers["content-type"] = "application/x-www-form-urlencoded"
    flow.request.raw_content = b"model=\xff\xfe"
    with (tmp / "x.flows").open("wb") as handle:
        mitm_io.FlowWriter(handle).add(flow)
    return ["ingest", "--format", "mitmproxy", str(tmp / "x.flows")]


CAPTURES = {
    "a HAR URL with a lone surrogate escape": Case(lambda t: ["ingest", str(write(t / "a.har", har([{
        **ENTRY, "request": {"method": "GET", "url": "https://example.com/\\ud800"}}]).replace("\\\\", "\\")))],
        status=0),
    "a JSON body whose key and value are lone surrogates": Case(lambda t: ["ingest", str(write(
        t / "b.har", raw_har('{\\"\\\\ud800\\": 1, \\"model\\": \\"Pixel\\\\udfff\\"}')))], status=0),
    "a Citizen Lab request type path with a lone surrogate": Case(lambda t: ["ingest", str(write(
        t / "log.jsonl", '{"req_id": 1, "data": "0a0131", "req_type": "/cgi-bin/micromsg-bin/\\udc00"}\n'))],
        status=0),
    "a mitmproxy flow whose URL and headers are not UTF-8": Case(_mitm_flow, status=0),
}


@pytest.mark.parametrize("name", CAPTURES)
def test_a_lone_surrogate_in_a_capture_is_read_as_u_fffd(name, base_store, tmp_path):
    check(CAPTURES[name], base_store, tmp_path)
    db = tmp_path / "store.duckdb"
    assert stored(db, "select count(*) from captures")[0][0] == 2
    texts = stored(db, "select coalesce(url, '') || coalesce(path, '') || coalesce(method, '') from flows "
                       "union all select field_path || coalesce(value_redacted, '') from observations")
    assert all(not any("\ud800" <= c <= "\udfff" for c in text) for (text,) in texts)


def test_json_numbers_that_parse_to_nan_or_infinity_are_read(base_store, tmp_path):
    """``NaN``, ``Infinity`` and ``1e999`` (Python's json reads them as floats that no integer rounds to) in a body:
    the coordinate detector once raised on them; now the request is stored with its key-named observations."""
    body = '{\\"latitude\\": NaN, \\"longitude\\": -Infinity, \\"lat\\": 1e999, \\"lng\\": 2.5, \\"x\\": -1e400}'
    check(Case(lambda t: ["ingest", str(write(t / "n.har", raw_har(body)))], status=0), base_store, tmp_path)
    paths = {p for (p,) in stored(tmp_path / "store.duckdb", "select field_path from observations")}
    assert {"$.latitude", "$.longitude"} <= paths


# --- lone surrogates in configuration files and on the command line: refused with one line --------------------------

def _with_capture(tmp: Path, manifest: str | None = None, profile: str | None = None) -> list[str]:
    write(tmp / "c" / "startup.har", har([{**ENTRY, "request": {**ENTRY["request"], "url": "https://e.com/c"}}]))
    if manifest is not None:
        write(tmp / "c" / "captures.yaml", manifest)
    args = ["ingest", str(tmp / "c")]
    return [*args, "--profile", str(write(tmp / "p.yaml", profile))] if profile is not None else args


LONE = "invalid YAML: text with a lone surrogate"
CONFIG = {
    "a device profile value": Case(lambda t: _with_capture(t, profile='values:\n  imei: "\\ud800123"\n'),
                                   where=f"p.yaml:2: {LONE}"),
    "a blank device profile value (once 'must be text ..., got str')": Case(
        lambda t: _with_capture(t, profile="values:\n  imei: ' '\n"), where="p.yaml:2: values.imei: value is empty"),
    "a capture manifest's scenario": Case(lambda t: _with_capture(
        t, manifest='captures:\n  startup.har: {scenario: "x\\udfff"}\n'), where=f"captures.yaml:2: {LONE}"),
    "a gold item's text": Case(lambda t: ["eval-claims", str(write(t / "g.yaml", '- {id: a, language: en, '
                                                                   'first_party: wechat, claims: []}\n- {id: b, '
                                                                   'text: "We collect \\ud800.", claims: []}\n'))],
                               where=f"g.yaml:2: {LONE}"),
    "a sources.json URL": Case(lambda t: ["scrape", "--no-rejudge", "--snapshots", str(t / "s"), "--sources", str(
        write(t / "s.json", '{"name": "E",\n "terms": {"Privacy Policy": {"fetch": "http://127.0.0.1:9/\\ud800", '
                            '"select": "#d", "language": "en"}}}'))],
        where="s.json:2: invalid JSON: text with a lone surrogate"),
}


@pytest.mark.parametrize("name", CONFIG)
def test_a_lone_surrogate_in_a_configuration_file_is_refused_at_its_line(name, base_store, tmp_path):
    check(CONFIG[name], base_store, tmp_path)


ARGUMENTS = {
    "a sql statement": ["sql", f"select '{NOT_UTF8}'"],
    "an ingest --scenario": ["ingest", "x.har", "--scenario", NOT_UTF8],
    "an import-archive --service": ["import-archive", ".", "--service", NOT_UTF8],
    "a document id": ["versions", NOT_UTF8],
    "a report --name": ["report", "--name", NOT_UTF8],
}


@pytest.mark.parametrize("name", ARGUMENTS)
def test_an_argument_that_is_not_utf8_is_one_line(name, base_store, tmp_path):
    """Python hands such an argument on with lone surrogates (``surrogateescape``); DuckDB, Arrow and file writes
    once raised on them in every command. Refused before the command runs, its bytes shown escaped."""
    db = tmp_path / "store.duckdb"
    shutil.copy(base_store, db)
    proc = cli([*ARGUMENTS[name], "--db", str(db)], tmp_path)
    assert proc.returncode == 2
    line = one_line(proc)
    assert line.startswith("command line: '") and "\\xff\\xfe" in line and "' is not UTF-8 text;" in line


def _mappings(old: str, new: str) -> Callable[[Path], list[str]]:
    def build(tmp: Path) -> list[str]:
        shutil.copytree(Path(__file__).parents[1] / "mappings", tmp / "mappings")
        path = tmp / "mappings" / "data_types.yaml"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return ["eval-claims", "--mappings", str(tmp / "mappings"), str(write(tmp / "g.yaml", (
            "- {id: a, text: 我们收集你的手机号码。, language: zh, first_party: wechat, claims: []}\n")))]
    return build


MAPPINGS = {  # an empty synonym was accepted (it matches everywhere); a 100,000-character name crashed jieba (-11)
    "synonyms that are empty or invisible": Case(_mappings("  synonyms_zh: [你的个人信息,",
                                                           "  synonyms_zh: ['', '\u200b', 你的个人信息,"),
                                                 where="data_types.yaml:13: [0].synonyms_zh[0]: a name, synonym or "
                                                       "alias is empty or only spaces"),
    "a name of 100,000 characters": Case(_mappings("  name_zh: 个人信息", "  name_zh: " + "信" * 100_000),
                                         where="data_types.yaml:8: [0].name_zh: a name, synonym or alias of 100,000 "
                                               "characters; at most 200"),
}


@pytest.mark.parametrize("name", MAPPINGS)
def test_a_name_or_synonym_that_is_no_term_is_refused_at_its_line(name, base_store, tmp_path):
    check(MAPPINGS[name], base_store, tmp_path)


UNKNOWN = {  # both once exited 0: an empty listing, "no version needs extraction"
    "versions of a document the store does not have": Case(lambda t: ["versions", "no-such-document"],
                                                          where="no-such-document: no such document (known: none)"),
    "extract --version of a version the store does not have": Case(lambda t: ["extract", "--version", "99"],
                                                                  where="--version: no version 99 in the store"),
}


def _outside_manifest(tmp: Path) -> list[str]:
    write(tmp / "archive" / "a.md", POLICY)
    write(tmp / "archive" / "manifest.csv",
          f"file,commit_date_utc\na.md,2021-01-01\n{write(tmp / 'b.md', POLICY)},2021-02-01\n")
    return ["import-archive", str(tmp / "archive"), "--service", "Example", "--no-rejudge"]


UNKNOWN.update({  # the first once stored the version (exit 10); every later extract, rejudge and run then failed on it
    "import-archive --language no extractor reads": Case(lambda t: [
        "import-archive", str(write(t / "archive" / "2021-01-01_a.md", POLICY).parent), "--service", "Example",
        "--language", "xx", "--no-rejudge"], where="--language: no claim extractor for language 'xx' (have en, zh)"),
    "a sources.json page in a language no extractor reads": Case(lambda t: ["scrape", "--no-rejudge", "--sources", str(
        write(t / "s.json", json.dumps({"name": "E", "terms": {"Privacy Policy": {
            "fetch": "http://127.0.0.1:9/p", "select": "#d", "language": "fr"}}}))), "--snapshots", str(t / "snap")],
        where='s.json: terms["Privacy Policy"].language: no claim extractor for language \'fr\''),
    "a manifest.csv row naming a file outside the archive (once ignored)": Case(_outside_manifest,
                                                                               where="manifest.csv:3: '"),
})


@pytest.mark.parametrize("name", UNKNOWN)
def test_a_document_version_or_language_policycheck_does_not_have_is_one_line(name, base_store, tmp_path):
    check(UNKNOWN[name], base_store, tmp_path)


def _run_data(tmp: Path) -> Path:
    (tmp / "data" / "policies").mkdir(parents=True)
    write(tmp / "data" / "phone" / "startup.har", har([{**ENTRY, "request": {**ENTRY["request"],
                                                                             "url": "https://e.com/r"}}]))
    return tmp / "data"


RUN = {  # the first once ran the whole job without the profile and exited 0; the second failed only after the policies
    "a --profile NAME that is no capture folder": Case(lambda t: [
        "run", "--data", str(_run_data(t)), "--out", str(t / "o"), "--profile",
        f"phone-2023={write(t / 'p.yaml', 'values: {device_model: Pixel 7}')}"],
        where="--profile: phone-2023="),
    "a --captures path that does not exist": Case(lambda t: [
        "run", "--captures", str(t / "nope"), "--sources", str(write(t / "s.json", json.dumps({"name": "E", "terms": {
            "Privacy Policy": {"fetch": "http://127.0.0.1:9/p", "select": "#d", "language": "en"}}}))),
        "--out", str(t / "o")], where="nope: no such file or folder"),
}


@pytest.mark.parametrize("name", RUN)
def test_a_run_input_that_names_nothing_is_refused_before_any_work(name, base_store, tmp_path):
    proc = check(RUN[name], base_store, tmp_path)
    assert proc.stdout.strip() == "" and not (tmp_path / "o").exists()


# --- process counts, capture times, store paths, --contact ----------------------------------------------------------

def cli_env(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """``cli`` with these environment variables (``cli`` fixes POLICYCHECK_WORKERS=1)."""
    command = [sys.executable, "-m", "policycheck", *args]
    if shutil.which("prlimit"):
        command = ["prlimit", f"--as={MEMORY}", "--", *command]
    return subprocess.run(command, capture_output=True, text=True, errors="replace", timeout=120, cwd=cwd,
                          env={**os.environ, "COLUMNS": "250", **env})


@pytest.mark.parametrize("variable,value,args", [
    ("POLICYCHECK_WORKERS", "abc", ["ingest"]), ("POLICYCHECK_WORKERS", "0", ["ingest"]),
    ("POLICYCHECK_WORKERS", "9" * 30, ["ingest"]), ("POLICYCHECK_SPACY_PROCESSES", "two", ["eval-claims"])])
def test_a_process_count_that_is_no_number_is_one_line_naming_the_variable(variable, value, args, tmp_path):
    """Once a traceback (``int('abc')``) in ingest; in the English extractor a logged traceback and a retry."""
    if args == ["ingest"]:
        args = [*args, str(write(tmp_path / "a.har", har([ENTRY]))), str(write(tmp_path / "b.har", har([])))]
    else:
        args = [*args, str(write(tmp_path / "g.yaml", "- {id: a, text: We collect your email address., language: "
                                                      "en, first_party: wechat, claims: []}\n"))]
    proc = cli_env([*args, "--db", str(tmp_path / "s.duckdb")], tmp_path, {variable: value})
    assert proc.returncode == 2
    assert one_line(proc).startswith(f"{variable}: '{value[:40]}' is not a number of processes")


def test_a_manifest_capture_time_utc_cannot_hold_is_refused_at_its_line(base_store, tmp_path):
    """0001-01-01 read in a zone west of UTC is before 0001-01-01 UTC, which ``datetime`` cannot hold (once an
    ``OverflowError`` traceback); like ``--captured-at``, a manifest time must lie between 1990 and tomorrow."""
    manifest = "defaults: {timezone: America/Adak}\ncaptures:\n  startup.har: {captured_at: 0001-01-01}\n"
    check(Case(lambda t: _with_capture(t, manifest=manifest),
               where='captures.yaml:3: captures["startup.har"].captured_at: 0001-01-01 is not plausible'),
          base_store, tmp_path)


@pytest.mark.parametrize("folder", ["a?b", "a\\b"])
def test_a_store_path_duckdb_misreads_is_refused(folder, base_store, tmp_path):
    """DuckDB 2.0 puts the write-ahead log of ``a?b/s.duckdb`` at ``a.wal?b/s.duckdb`` (every commit failed with a
    traceback) and opens ``a\\b`` as ``a/b``; both are refused before DuckDB opens anything."""
    (tmp_path / folder).mkdir()
    shutil.copy(base_store, tmp_path / folder / "s.duckdb")
    before = (tmp_path / folder / "s.duckdb").read_bytes()
    for args in (["ingest", str(write(tmp_path / "n.har", har([ENTRY])))], ["sql", "select 1"]):
        proc = cli([*args, "--db", str(tmp_path / folder / "s.duckdb")], tmp_path)
        assert proc.returncode == 2
        assert "a store path with '?' or '\\' cannot be used" in one_line(proc)
    assert (tmp_path / folder / "s.duckdb").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([folder, "n.har"])


@pytest.mark.parametrize("contact", ["José <jose@example.com>", "a@example.com\r\nX-Injected: 1"])
def test_a_contact_no_http_header_can_carry_is_one_line(contact, base_store, tmp_path):
    """A non-ASCII ``--contact`` once raised UnicodeEncodeError in httpx; a line break would add a header."""
    sources = write(tmp_path / "s.json", json.dumps({"name": "E", "terms": {"Privacy Policy": {
        "fetch": "http://127.0.0.1:9/p", "select": "#d", "language": "en"}}}))
    check(Case(lambda t: ["scrape", "--sources", str(sources), "--snapshots", str(t / "snap"), "--no-rejudge",
                          "--contact", contact], where="--contact: not printable ASCII"), base_store, tmp_path)


def _scrape(tmp: Path, url: str) -> list[str]:
    return ["scrape", "--sources", str(write(tmp / "s.json", json.dumps({"name": "E", "terms": {"Privacy Policy": {
        "fetch": url, "select": "#d", "language": "en"}}}))), "--snapshots", str(tmp / "snap"), "--delay", "0",
            "--timeout", "2", "--retries", "0", "--no-rejudge"]


@pytest.mark.parametrize("host,what", [("xn--a.xn--", "Codepoint U+0080"), ("a" * 64 + ".example", "too long")])
def test_a_sources_host_idna_cannot_encode_is_refused_at_its_line(host, what, base_store, tmp_path):
    """An ``xn--`` label that decodes to a forbidden code point, or a label of 64 characters: httpx's IDNA step (or
    the socket's) once raised out of ``scrape`` as a traceback."""
    proc = check(Case(lambda t: _scrape(t, f"http://{host}/privacy"),
                      where=f's.json:1: terms["Privacy Policy"].fetch: not a valid URL: host \'{host[:60]}'),
                 base_store, tmp_path)
    assert what in proc.stderr


def test_a_redirect_to_a_host_idna_cannot_encode_fails_the_source(base_store, tmp_path):
    with PolicyServer() as server:
        server.pages["/privacy"] = Page(b"", 302, headers={"Location": "http://xn--a.xn--/x"})
        url = server.base + "/privacy"
        proc = check(Case(lambda t: _scrape(t, url), status=11, where=f"failed {url}"), base_store, tmp_path)
    assert "the host is no domain name IDNA can encode" in " ".join(proc.stderr.split())


# --- file names that are markup or control characters ---------------------------------------------------------------

def test_a_file_name_rich_reads_as_markup_is_printed_as_it_is(base_store, tmp_path):
    """``a[/]b.har`` (folder ``a[``) once raised rich's MarkupError (a traceback), and ``[bold]x.har`` was listed
    as ``x.har``: printed names and messages are escaped for rich."""
    broken = write(tmp_path / "a[" / "]b.har", "not a capture\n")
    check(Case(lambda t: ["ingest", str(broken)], where=f"{broken}: not a capture format"), base_store, tmp_path)
    write(tmp_path / "caps" / "[bold]x.har", "not a capture\n")
    write(tmp_path / "caps" / "ok.har", har([{**ENTRY, "request": {**ENTRY["request"], "url": "https://e.com/m"}}]))
    proc = cli(["ingest", str(tmp_path / "caps"), "--db", str(tmp_path / "store.duckdb")], tmp_path)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    assert "skipped (not captures): [bold]x.har" in proc.stderr


def test_a_scenario_rich_reads_as_markup_is_listed_as_it_is(base_store, tmp_path):
    """A scenario named ``[/]startup`` (``--scenario`` or a file name) once made ``flows --format table`` raise
    rich's MarkupError; ``[bold]x`` lost its brackets in every table."""
    db = tmp_path / "store.duckdb"
    shutil.copy(base_store, db)
    capture = write(tmp_path / "s.har", har([{**ENTRY, "request": {**ENTRY["request"], "url": "https://e.com/s"}}]))
    assert cli(["ingest", str(capture), "--scenario", "[/]startup", "--db", str(db)], tmp_path).returncode == 0
    proc = cli(["flows", "--format", "table", "--db", str(db)], tmp_path)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert "[/]startup" in proc.stdout


def test_control_characters_in_a_file_name_are_printed_escaped_on_one_line(base_store, tmp_path):
    """A line break and a terminal escape sequence in a file name: the message is one line, with ``\\n`` and
    ``\\x1b`` written out (the raw name split the line and reached the terminal as an escape sequence)."""
    name = "n\nl\x1b[31m.har"
    path = write(tmp_path / name, "not a capture\n")
    proc = check(Case(lambda t: ["ingest", str(path)], where="n\\nl\\x1b[31m.har: not a capture format"),
                 base_store, tmp_path)
    assert "\x1b" not in proc.stdout + proc.stderr
    profile = write(tmp_path / "p\rq.yaml", "values: [1]\n")
    proc = cli(["ingest", str(tmp_path / "caps"), "--profile", str(profile), "--db", str(tmp_path / "store.duckdb")],
               tmp_path)
    assert proc.returncode == 2 and one_line(proc).startswith(f"{tmp_path}/p\\rq.yaml")


# --- SIGTERM --------------------------------------------------------------------------------------------------------

def test_sigterm_during_a_parallel_ingest_stops_it_like_ctrl_c_and_ends_its_workers(base_store, tmp_path):
    """SIGTERM (``kill``, ``timeout``, a scheduler) 4 s into an ingest of 80 HAR files with 2 workers: exit 143 and
    one line, the store whole, and no process of the command left (its default action once killed the parent on
    the spot and left both forked workers waiting for work forever)."""
    db = tmp_path / "store.duckdb"
    shutil.copy(base_store, db)
    before = counts(db)
    folder = many_hars(tmp_path / "many")
    proc = subprocess.Popen([sys.executable, "-m", "policycheck", "ingest", str(folder), "--db", str(db)],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "POLICYCHECK_WORKERS": "2"}, start_new_session=True)
    time.sleep(4)
    proc.send_signal(signal.SIGTERM)
    try:
        _, err = proc.communicate(timeout=60)
    finally:
        if _group_alive(proc.pid):  # the workers a killed parent left behind (before the fix)
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode in (0, 143), err
    assert "Traceback" not in err
    if proc.returncode == 143:
        assert [line for line in err.splitlines() if line.startswith("terminated (SIGTERM)")], err
    time.sleep(0.5)
    assert not _group_alive(proc.pid)
    after = counts(db)
    assert all(after[t] >= n for t, n in before.items())
    partial = stored(db, "select count(*) from captures c where requests <> "
                         "(select count(*) from flows f where f.capture_id = c.capture_id)")[0][0]
    assert partial == 0


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


# --- address space --------------------------------------------------------------------------------------------------

def test_import_with_rejudging_fits_the_address_space_limit(base_store, tmp_path):
    """``import-archive`` of one small policy into a store with flows, extracting and re-judging, under the 2.5 GB
    address-space limit of ``cli``: Arrow's default allocator and glibc's arenas once reserved 2.5 GB of it (330 MB
    resident) and the command failed, half the time with a traceback (DuckDB reports a refused allocation as a
    TransactionException or InvalidInputException, not only as OutOfMemoryException)."""
    db = tmp_path / "store.duckdb"
    shutil.copy(base_store, db)
    observed = write(tmp_path / "model.har", raw_har('{\\"model\\": \\"Pixel 7\\"}'))
    assert cli(["ingest", str(observed), "--db", str(db)], tmp_path).returncode == 0
    write(tmp_path / "archive" / "2021-01-01_a.md", POLICY)
    proc = cli(["import-archive", str(tmp_path / "archive"), "--service", "Example", "--db", str(db)], tmp_path)
    assert proc.returncode == 10, proc.stderr[-2000:]
    assert "re-judged 1 policy change(s)" in " ".join((proc.stdout + proc.stderr).split()), proc.stderr
    assert stored(db, "select count(*) from claims")[0][0] > 0


# --- a capture written to while it is read --------------------------------------------------------------------------

def test_a_capture_appended_to_between_hash_and_read_is_not_stored(tmp_path, capsys, monkeypatch):
    """A capture tool still writing the file: a line appended after the file was hashed (the hook runs the real
    hash, then appends) made the stored sha256 name content other than what was read, so ``verify`` and
    re-ingesting disagreed later. Now the file is refused with one line and nothing of it is stored; read again
    once complete, it is ingested."""
    from policycheck.cli import main
    from policycheck.flows import ingest as ingest_mod

    log = write(tmp_path / "startup.log.jsonl", '{"req_id": 1, "data": "0a0131", "req_type": 5}\n')
    real = ingest_mod.file_sha256

    def hash_then_append(path: Path) -> str:
        digest = real(path)
        with path.open("a", encoding="utf-8") as handle:
            handle.write('{"req_id": 2, "data": "0a0132", "req_type": 5}\n')
        return digest

    db = tmp_path / "s.duckdb"
    monkeypatch.setenv("POLICYCHECK_WORKERS", "1")
    monkeypatch.setattr(ingest_mod, "file_sha256", hash_then_append)
    monkeypatch.setattr(sys, "argv", ["policycheck", "ingest", str(log), "--db", str(db)])
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "startup.log.jsonl" in err and "the file changed while it was read" in err and "Traceback" not in err
    assert stored(db, "select count(*) from captures")[0][0] == 0
    monkeypatch.setattr(ingest_mod, "file_sha256", real)
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 0
    assert stored(db, "select requests from captures") == [(2,)]


def test_a_scenario_with_a_pipe_a_line_break_and_a_tag_keeps_its_markdown_row(base_store, tmp_path):
    """The report's Markdown tables took a scenario as it was: ``a|b`` and a line break split its row, and a tag in
    it was raw HTML in report.md."""
    db = tmp_path / "store.duckdb"
    shutil.copy(base_store, db)
    capture = write(tmp_path / "s.har", har([{**ENTRY, "request": {**ENTRY["request"], "url": "https://e.com/p"}}]))
    assert cli(["ingest", str(capture), "--scenario", "a|b\nc<script>x()</script>", "--db", str(db)],
               tmp_path).returncode == 0
    proc = cli(["report", "--out", str(tmp_path / "out"), "--db", str(db)], tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = (tmp_path / "out" / "report" / "report.md").read_text(encoding="utf-8")
    assert "| a\\|b c&lt;script>x()&lt;/script> |" in report and "a|b\nc" not in report
    assert "<script" not in report  # no raw HTML from the data (a tag in a scenario name)
