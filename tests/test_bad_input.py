"""Hostile input, family by family, through the real command line (README "Commands": exit statuses).

Every case builds its input at test time in ``tmp_path`` (large ones generated, never committed), runs
``python -m policycheck`` in a subprocess under an address-space limit (``prlimit --as``, so that exhausting
memory fails the test instead of the machine) and a timeout, and asserts what the guide asks of bad input: the
documented exit status, no traceback, one line naming the file, line or URL, no raw value of the input in the
output (captures and profiles hold personal data), and a store that lost nothing (every table keeps its rows and
the store still answers ``policycheck sql``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from tests.policies.httpserver import Page, PolicyServer

MEMORY = 2_500_000_000  # bytes of address space a command may use
SECRET = "wxid_hostilesecret0042"  # a value that must never be printed back


def cli(args: list[str], cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    """``policycheck ARGS`` in a subprocess, under the memory limit when ``prlimit`` exists."""
    command = [sys.executable, "-m", "policycheck", *args]
    if shutil.which("prlimit"):
        command = ["prlimit", f"--as={MEMORY}", "--", *command]
    env = {**os.environ, "COLUMNS": "250", "POLICYCHECK_WORKERS": "1"}
    return subprocess.run(command, capture_output=True, text=True, errors="replace", timeout=timeout, cwd=cwd,
                          env=env)


def counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()]
        return {t: con.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


@pytest.fixture(scope="module")
def base_store(tmp_path_factory) -> Path:
    """A store with the ontology and one ingested HAR capture (built once per module)."""
    folder = tmp_path_factory.mktemp("base")
    har = folder / "startup.har"
    har.write_text(json.dumps({"log": {"version": "1.2", "entries": [{
        "startedDateTime": "2023-12-05T10:00:00Z",
        "request": {"method": "POST", "url": "https://example.com/report?x=1", "headers": [],
                    "postData": {"mimeType": "application/json", "text": '{"model": "Pixel 7"}'}}}]}}),
                   encoding="utf-8")
    proc = cli(["ingest", str(har), "--db", str(folder / "base.duckdb")], folder)
    assert proc.returncode == 0, proc.stderr
    return folder / "base.duckdb"


@dataclass
class Case:
    """One hostile input: ``build(tmp_path) -> arguments`` (without ``--db``), the exit status it must give and
    a text the message must contain (the file, line or URL); ``where=None``: the status alone is asserted."""

    build: Callable[[Path], list[str]]
    status: int = 2
    where: str | None = None


def check(case: Case, base_store: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    db = tmp_path / "store.duckdb"
    shutil.copy(base_store, db)
    before = counts(db)
    args = case.build(tmp_path)
    proc = cli([*args, "--db", str(db)] if "--db" not in args else args, tmp_path)
    output = proc.stdout + proc.stderr
    assert "Traceback" not in output, output[-3000:]
    assert proc.returncode == case.status, output[-3000:]
    if case.where is not None:
        assert case.where in output.replace("\n", ""), output[-3000:]
    assert SECRET not in output
    after = counts(db)
    assert all(after.get(table, 0) >= rows for table, rows in before.items()), (before, after)
    if proc.returncode == 2 and "error:" in proc.stderr:  # refused as a whole: nothing was stored
        assert after == before
    return proc


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def har(entries: list) -> str:
    return json.dumps({"log": {"version": "1.2", "entries": entries}})


def entry(**extra) -> dict:
    return {"startedDateTime": "2023-12-05T10:00:00Z", "request": {"method": "GET", "url": "https://example.com/a"},
            **extra}


# --- capture files (ingest) ----------------------------------------------------------------------------------------

def _fifo(tmp: Path) -> list[str]:
    os.mkfifo(tmp / "pipe.jsonl")
    return ["ingest", str(tmp / "pipe.jsonl")]


def _non_utf8_name(tmp: Path) -> list[str]:
    folder = os.fsencode(tmp / "captures")
    os.mkdir(folder)
    with open(folder + b"/\xff\xfe.har", "wb") as handle:
        handle.write(har([entry()]).encode())
    return ["ingest", os.fsdecode(folder)]


def _many_values_har(tmp: Path) -> list[str]:
    """An entry of 6 million values in 18 MB (gigabytes once parsed) before a good entry, and a million values outside
    ``log.entries`` (read, never built): the entry is skipped alone."""
    path = tmp / "many.har"
    with path.open("wb") as handle:
        handle.write(b'{"log": {"x": [' + b"[]," * 1_000_000 + b'[]], "entries": [{"x": ['
                     + b"[]," * 6_000_000 + b"[]]}, " + json.dumps(entry()).encode() + b"]}}")
    return ["ingest", str(path)]


CAPTURES = {
    "request type id beyond 32 bits": Case(lambda t: ["ingest", str(write(
        t / "log.jsonl", '{"req_id": 99999999999999999999999, "data": "0a0131", "req_type": null}\n'))],
        where="log.jsonl:1: request type id out of range"),
    "response status beyond 32 bits": Case(lambda t: ["ingest", str(write(t / "big.har", har([entry(
        response={"status": 10**30, "content": {"text": "x"}})])))], status=0),
    "mitmproxy tnetstring that is no flow": Case(lambda t: ["ingest", "--format", "mitmproxy", str(write(
        t / "x.flows", b"5:hello," + bytes(range(256))))], where="x.flows:1: flow 1 cannot be read (not a mitmproxy"),
    "mitmproxy length prefix of a terabyte": Case(lambda t: ["ingest", "--format", "mitmproxy", str(write(
        t / "y.flows", b"999999999999:abc"))], where="y.flows:1: flow 1 cannot be read"),
    "a FIFO named on the command line": Case(_fifo, where="pipe.jsonl: not a regular file"),
    "a file name that is not UTF-8": Case(_non_utf8_name, where="\\xff\\xfe.har: the file name is not UTF-8"),
    "a HAR file of 6 million tiny arrays": Case(_many_values_har,
                                              where="many.har:1: log.entries[0]: has more than 5,000,000 JSON values; "
                                                    "skipped"),
    # ijson's C backend left the ValueError of such an integer pending: a SystemError and a traceback at a later call
    "a HAR number of 5,000 digits": Case(lambda t: ["ingest", str(write(t / "digits.har", har([entry()])[:-3].encode()
                                                                  + b", {\"n\": " + b"9" * 5000 + b"}]}}"))],
                                         where="digits.har: HAR file is not valid JSON in bytes"),
    # the same at the end of a cut file made ijson's C backend crash the process (segmentation fault)
    "a HAR cut after a number of 5,000 digits": Case(lambda t: ["ingest", str(write(
        t / "cut.har", har([entry()])[:-3].encode() + b", {\"n\": " + b"9" * 5000))],
        where="cut.har: HAR file is not valid JSON in bytes"),
    # its Decimal raised decimal.InvalidOperation, no ValueError: a traceback (json.loads reads it as inf)
    "a HAR exponent beyond Decimal's": Case(lambda t: ["ingest", str(write(t / "exp.har", har([entry()])[:-3].encode()
                                                                     + b", {\"n\": 1e99999999999999999999999}]}}"))],
                                            where="exp.har:2: log.entries[1] is not valid JSON"),
    "--request-type beyond 32 bits": Case(lambda t: ["ingest", "--format", "hexdump", "--request-type",
                                                     "99999999999999999999", str(write(t / "a.hex", "00000000  01\n"))],
                                          where="--request-type"),
}


@pytest.mark.parametrize("name", CAPTURES)
def test_hostile_capture_files(name, base_store, tmp_path):
    check(CAPTURES[name], base_store, tmp_path)


# --- configuration files: device profiles and capture manifests (one YAML reader) ----------------------------------

def _with_capture(tmp: Path, profile: bytes | str | None = None, manifest: bytes | str | None = None) -> list[str]:
    folder = tmp / "captures"
    write(folder / "startup.har", har([entry()]))
    if manifest is not None:
        write(folder / "captures.yaml", manifest)
        return ["ingest", str(folder)]
    return ["ingest", str(folder), "--profile", str(write(tmp / "profile.yaml", profile))]


def _large_yaml(tmp: Path) -> list[str]:
    return _with_capture(tmp, profile=b"values:\n  imei: '" + b"1" * (17 << 20) + b"'\n")


CONFIG = {
    "NUL character": Case(lambda t: _with_capture(t, profile="values:\n  imei: '1\x002'\n"),
                          where="profile.yaml:2: invalid YAML: character #x0000"),
    "integer of 5,000 digits": Case(lambda t: _with_capture(t, manifest="captures:\n  startup.har: {request_type: "
                                                                        + "9" * 5000 + "}\n"),
                                    where="captures.yaml:2: invalid YAML: int value out of range"),
    "date in year 0": Case(lambda t: _with_capture(t, manifest="captures:\n  startup.har: {captured_at: 0000-01-01}\n"),
                           where="captures.yaml:2: invalid YAML: timestamp value out of range"),
    "file of 17 MB": Case(_large_yaml, where="profile.yaml: device profile is larger than 16 MiB"),
    "profile value of 300 characters": Case(lambda t: _with_capture(t, profile=f"values:\n  imei: '{SECRET * 15}'\n"),
                                            where="profile.yaml:2: values.imei: value longer than 256"),
    "profile of 1,001 values": Case(lambda t: _with_capture(t, profile="values:\n  device_model: [" + ", ".join(
        f"m{i:05d}" for i in range(1001)) + "]\n"), where="1,001 values; a device profile holds at most 1,000"),
    "pair out of range, keyed by an identifier": Case(lambda t: _with_capture(
        t, profile=f"values:\n  precise_location: {{latitude: 1e999, longitude: 2}}\n  imei: [{{{SECRET}: 1}}]\n"),
        where="profile.yaml:2: values.precise_location: a pair must be"),
}


@pytest.mark.parametrize("name", CONFIG)
def test_hostile_configuration_files(name, base_store, tmp_path):
    check(CONFIG[name], base_store, tmp_path)


def _mappings(name: str, data: bytes | str) -> Callable[[Path], list[str]]:
    def build(tmp: Path) -> list[str]:
        shutil.copytree(Path(__file__).parents[1] / "mappings", tmp / "mappings")
        write(tmp / "mappings" / name, data)
        return ["ontology", "--mappings", str(tmp / "mappings")]
    return build


MAPPINGS = {
    "an empty data_types.yaml (would remove every data type)": Case(_mappings("data_types.yaml", ""),
                                                                   where="data_types.yaml: no data_type entries"),
    "an empty features.yaml": Case(_mappings("features.yaml", "# nothing\n"), where="features.yaml: no feature"),
    "entities.yaml of 5,000-digit ids": Case(_mappings("entities.yaml", "- id: " + "9" * 5000 + "\n"),
                                             where="entities.yaml:1: invalid YAML: int value out of range"),
}


@pytest.mark.parametrize("name", MAPPINGS)
def test_hostile_mappings(name, base_store, tmp_path):
    check(MAPPINGS[name], base_store, tmp_path)


# --- policy archives (import-archive) ------------------------------------------------------------------------------

POLICY = "# Example Privacy Policy\n\n" + "".join(f"{i}. We collect your phone number to provide service {i}.\n\n"
                                                   for i in range(1, 30))


def _archive(tmp: Path, files: dict[str, bytes | str]) -> list[str]:
    for name, data in files.items():
        write(tmp / "archive" / name, data)
    return ["import-archive", str(tmp / "archive"), "--no-rejudge", "--service", "Example"]


def _archive_non_utf8_name(tmp: Path) -> list[str]:
    folder = os.fsencode(tmp / "archive")
    os.mkdir(folder)
    with open(folder + b"/2021-01-01_\xff.md", "wb") as handle:
        handle.write(POLICY.encode())
    return ["import-archive", os.fsdecode(folder), "--no-rejudge", "--service", "Example"]


ARCHIVES = {
    "policy file of 17 MB": Case(lambda t: _archive(t, {"2021-01-01_a.md": POLICY + "We collect. " * (17 << 17)}),
                                 where="2021-01-01_a.md: larger than 16 MiB"),
    "manifest.csv field over the csv limit": Case(lambda t: _archive(t, {
        "a.md": POLICY, "manifest.csv": "file,commit_date_utc\na.md," + "x" * 200_000 + "\n"}),
        where="manifest.csv:2: not a readable CSV file"),
    "manifest.csv listing a file twice": Case(lambda t: _archive(t, {
        "a.md": POLICY, "manifest.csv": "file,commit_date_utc\na.md,2021-01-01\na.md,2021-02-01\n"}),
        where="manifest.csv:3: 'a.md' is listed twice (first at line 2)"),
    "a file name that is not UTF-8": Case(_archive_non_utf8_name, where="the file name is not UTF-8"),
    "a declaration nested 100,000 deep": Case(lambda t: _archive(t, {"2021-01-01_a.md": POLICY,
                                                                     "decl.json": "[" * 100_000}), status=10),
    "Markdown of 1,000,000 list items": Case(lambda t: _archive(t, {"2021-01-01_a.md": "# Privacy Policy\n\n"
                                                                   + "- a\n" * 1_000_000}),
                                             where="2021-01-01_a.md: 1,000,003 lines, more than the 100,000"),
    "a Markdown table of 10,000 columns": Case(lambda t: _archive(t, {"2021-01-01_a.md": "# Privacy Policy\n\n" + (
        "|" + "h|" * 10_000 + "\n|" + "---|" * 10_000 + "\n" + ("|" + "we collect email|" * 10_000 + "\n") * 20)}),
        where="2021-01-01_a.md: 220,022 '|', more than the 100,000"),
    "HTML of 3,000,000 elements": Case(lambda t: _archive(t, {"2021-01-01_a.html": "<h1>Privacy Policy</h1>"
                                                              + "<li>a" * 3_000_000}),
                                       where="2021-01-01_a.html: 3,000,001 elements, more than the 200,000"),
    "UTF-8 with a byte-order mark and an invalid byte": Case(lambda t: _archive(t, {
        "2021-01-01_a.md": b"\xef\xbb\xbf" + POLICY.encode() + b"\xff"}),  # the offset counts the BOM's 3 bytes
        where=f"2021-01-01_a.md: not UTF-8 text: invalid byte 0xff at offset {3 + len(POLICY.encode())};"),
    "plain text of 300,000 paragraphs (15 MB)": Case(lambda t: _archive(t, {"2021-01-01_a.txt": "".join(
        f"We collect your email address for purpose {i}.\n\n" for i in range(300_000))}),
        where="2021-01-01_a.txt: 300,000 blocks (paragraphs, list items, table rows, headings), more than the 20,000"),
    "HTML of 30,000 paragraphs": Case(lambda t: _archive(t, {"2021-01-01_a.html": "<h1>Privacy Policy</h1>"
                                                             + "<p>We collect your email address.</p>" * 30_000}),
                                      where="2021-01-01_a.html: 30,001 blocks"),
    "HTML lists nested 100,000 deep": Case(lambda t: _archive(t, {"2021-01-01_a.html": "<h1>Privacy Policy</h1>"
                                                                  + "<ul><li>We collect email" * 100_000}),
                                           where="2021-01-01_a.html: "),
    "a header date of 100,000 digits": Case(lambda t: _archive(t, {"a.txt": "# captured: " + "9" * 100_000 + "\n"
                                                                             + POLICY}),
                                            where="a.txt:1: capture time '9999999999"),
}


@pytest.mark.parametrize("name", ARCHIVES)
def test_hostile_policy_archives(name, base_store, tmp_path):
    proc = check(ARCHIVES[name], base_store, tmp_path)
    assert all(len(line) < 400 for line in proc.stderr.splitlines())


# --- gold files and OPP-115 folders (eval-claims) ------------------------------------------------------------------

def _gold(text: str) -> Callable[[Path], list[str]]:
    return lambda t: ["eval-claims", str(write(t / "gold.yaml", text))]


def _opp115(labels: bytes) -> Callable[[Path], list[str]]:
    def build(tmp: Path) -> list[str]:
        write(tmp / "opp" / "labels.jsonl", labels)
        (tmp / "opp" / "policies").mkdir()
        return ["eval-claims", "--opp115", str(tmp / "opp")]
    return build


ITEM = "{id: a, text: We collect your email., language: en, first_party: wechat"
GOLD = {
    "a scalar": Case(_gold("5\n"), where="gold.yaml: a gold file is a list of items"),
    "a list of strings": Case(_gold("- a\n- b\n"), where="gold.yaml: item 1 is a str"),
    "claims that are numbers": Case(_gold(f"- {ITEM}, claims: [1, 2]}}\n"), where="gold.yaml:1: a gold item needs"),
    "an id that is a list": Case(_gold(f"- {ITEM.replace('id: a', 'id: [1]')}, claims: []}}\n"),
                                 where="gold.yaml:1: a gold item needs"),
    "a version in year 0": Case(_gold("- {id: a, document: d, version: '0000-01-01', block: b, claims: []}\n"),
                                where="gold.yaml:1: a: year 0 is out of range"),
    "a language without extractor": Case(_gold(f"- {ITEM.replace('language: en', 'language: xx')}, claims: []}}\n"),
                                         where="gold.yaml:1: a: no claim extractor for language 'xx'"),
    "an opp115 reference of mappings": Case(_gold("- {id: a, opp115: {policy: {}, segment: [], from: 1, to: 2}, "
                                                  "language: en, first_party: wechat, claims: []}\n"),
                                            where="gold.yaml:1: a: opp115 reference needs"),
    "an alias bomb": Case(_gold("- &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"- &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8))),
        where="gold.yaml: more than 2,000,000 values"),
    "lists that multiply out to a million claims": Case(_gold(f"- {ITEM}, claims: [{{actor_role: [" + ",".join(
        ["first_party"] * 100) + "], action: collect, negated: false, data_type: [" + ",".join(["email"] * 100)
        + "], context: [" + ",".join(["null"] * 100) + "]}]}\n"), where="gold.yaml:1: a: its lists multiply out"),
    "a key written twice": Case(_gold(f"- {ITEM}, id: b, claims: []}}\n"), where="gold.yaml:1: key 'id' appears twice"),
    "OPP-115 labels that are not UTF-8": Case(_opp115(b"\xff\xfe{}\n"), where="labels.jsonl:1: malformed label line"),
    "OPP-115 labels nested 100,000 deep": Case(_opp115(b"[" * 100_000 + b"\n"),
                                               where="labels.jsonl:1: malformed label line: nested too deeply"),
}


@pytest.mark.parametrize("name", GOLD)
def test_hostile_gold_files(name, base_store, tmp_path):
    check(GOLD[name], base_store, tmp_path)


# --- the store and sql ---------------------------------------------------------------------------------------------

def _foreign_store(data: bytes, command: list[str]) -> Callable[[Path], list[str]]:
    return lambda t: [*command, "--db", str(write(t / "foreign.duckdb", data))]


STORE = {
    "an SQLite file as the store (read)": Case(_foreign_store(b"SQLite format 3\x00" + bytes(4000),
                                                              ["sql", "select 1"]),
                                               where="foreign.duckdb: not a DuckDB store (an SQLite database)"),
    "a text file as the store (write)": Case(_foreign_store(b"hello, not a database", ["ontology"]),
                                             where="foreign.duckdb: not a DuckDB store"),
    "5,000 nested subqueries": Case(lambda t: ["sql", "--file", str(write(
        t / "deep.sql", "select * from " + "(select * from " * 5000 + "documents" + ") t" * 5000))],
        where="sql: statement 1 (select * from (select"),
    "a SQL file that is not UTF-8": Case(lambda t: ["sql", "--file", str(write(t / "q.sql", b"select 1;\xff"))],
                                         where="q.sql: SQL file is not UTF-8"),
}


@pytest.mark.parametrize("name", STORE)
def test_hostile_store_files_and_sql(name, base_store, tmp_path):
    check(STORE[name], base_store, tmp_path)
    proc = cli(["sql", "select count(*) from captures", "--db", str(tmp_path / "store.duckdb")], tmp_path)
    assert proc.returncode == 0 and "1" in proc.stdout, proc.stderr


def test_a_query_slower_than_its_timeout_is_stopped_and_the_store_is_untouched(base_store, tmp_path):
    """A cross join of the store's flows with 10^11 rows (minutes of work) under --timeout 1: stopped by DuckDB's
    interrupt within seconds, one line, exit 124, the store's bytes unchanged; the same query under the default
    timeout is not stopped by it within that time (the subprocess's own timeout ends it)."""
    db = tmp_path / "store.duckdb"
    shutil.copy(base_store, db)
    before = db.read_bytes()
    slow = "select count(*) from flows a, range(100000000000) b"
    started = time.monotonic()
    proc = cli(["sql", "--timeout", "1", slow, "--db", str(db)], tmp_path)
    elapsed = time.monotonic() - started
    assert proc.returncode == 124, proc.stderr
    assert proc.stderr.strip().splitlines() == ["error: sql: query stopped after 1 s (--timeout)"]
    assert proc.stdout == "" and "Traceback" not in proc.stderr
    assert elapsed < 30  # stopped by the timer, not run to its end
    assert db.read_bytes() == before
    with pytest.raises(subprocess.TimeoutExpired):  # the default (300 s) does not stop it after 3 s
        cli(["sql", slow, "--db", str(db)], tmp_path, timeout=3)
    proc = cli(["sql", "--timeout", "0", "select count(*) from flows", "--db", str(db)], tmp_path)
    assert proc.returncode == 0 and proc.stdout.split() == ["count_star()", "1"], proc.stderr


@pytest.mark.parametrize("timeout", ["300", "0"])
def test_a_statement_duckdb_rejects_exits_with_one_line_under_any_timeout(base_store, tmp_path, timeout):
    """A statement DuckDB's binder rejects (an unknown column) ends the process with exit 2 and DuckDB's one-line
    message, with or without the timer thread of ``--timeout`` (a timer left running at exit once made the
    process abort with SIGABRT, exit 134, "terminate called ... exception not rethrown")."""
    db = tmp_path / "store.duckdb"
    shutil.copy(base_store, db)
    proc = cli(["sql", "--timeout", timeout, "select no_such_column from flows", "--db", str(db)], tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines() == [
        'error: sql: Binder Error: Referenced column "no_such_column" not found in FROM clause!']
    assert proc.stdout == ""


# --- report and verify ---------------------------------------------------------------------------------------------

def _large_report(tmp: Path) -> list[str]:
    path = tmp / "big.json"
    with path.open("wb") as handle:
        handle.write(b'{"x": "' + b"a" * (65 << 20) + b'"}')
    return ["verify", str(path)]


REPORTS = {
    "report.json nested 100,000 deep": Case(lambda t: ["verify", str(write(t / "deep.json", "[" * 100_000))],
                                            where="deep.json: not a policycheck report: JSON nested deeper"),
    "report.json of 65 MB": Case(_large_report, where="big.json: larger than 64 MiB"),
    "report.json with evidence of the wrong types": Case(lambda t: ["verify", str(write(t / "bad.json", json.dumps({
        "versions": {}, "claims": {"1": {"sentence_id": [1]}}, "sentences": {}, "captures": {}, "requests": {}})))],
        where="bad.json: not a policycheck report: its evidence is malformed"),
    "--out that is a file": Case(lambda t: ["report", "--out", str(write(t / "outfile", "x"))],
                                 where="--out: "),
    "--name that climbs out of --out": Case(lambda t: ["report", "--out", str(t / "o"), "--name", "../../x"],
                                            where="is not a folder name"),
}


@pytest.mark.parametrize("name", REPORTS)
def test_hostile_reports(name, base_store, tmp_path):
    check(REPORTS[name], base_store, tmp_path)


# --- scrape: sources.json and a hostile server on 127.0.0.1 --------------------------------------------------------

def _sources(tmp: Path, fetch: str, select: str = "#doc") -> Path:
    return write(tmp / "sources.json", json.dumps({"name": "Example", "terms": {"Privacy Policy": {
        "fetch": fetch, "select": select, "language": "en"}}}))


def _scrape(tmp: Path, sources: Path) -> list[str]:
    return ["scrape", "--sources", str(sources), "--snapshots", str(tmp / "snap"), "--delay", "0", "--timeout", "2",
            "--retries", "0", "--no-rejudge"]


SOURCES = {
    "a fetch URL with an unclosed IPv6 bracket": Case(lambda t: _scrape(t, _sources(t, "http://[::1/privacy")),
                                                      where="sources.json:1: terms[\"Privacy Policy\"].fetch: not a "
                                                            "valid URL"),
    "a selector past soupsieve's nesting limit": Case(lambda t: _scrape(t, _sources(
        t, "http://127.0.0.1:9/p", " ".join(["div"] * 100_000))), where="select: invalid CSS selector"),
}


@pytest.mark.parametrize("name", SOURCES)
def test_hostile_sources_files(name, base_store, tmp_path):
    check(SOURCES[name], base_store, tmp_path)


def test_a_location_header_no_client_can_parse_fails_the_source(base_store, tmp_path):
    with PolicyServer() as server:
        server.pages["/privacy"] = Page(b"", 302, headers={"Location": "javascript:alert(1)"})
        url = server.base + "/privacy"
        check(Case(lambda t: _scrape(t, _sources(t, url)), status=11, where=f"failed {url}"), base_store, tmp_path)
