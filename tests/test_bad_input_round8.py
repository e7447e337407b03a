"""Bad input left by round bad7 (bad8): one mechanism per class, through the real command line in a subprocess
(``tests.test_bad_input.check``: exit status, one line, no traceback, the store unchanged) or the function.

Classes: a filter value that names nothing (``gaps --scenario nosuch`` printed an empty result, exit 0, while an
unknown ``--feature`` was refused); dates (``--as-of 20231205`` was taken although the help says YYYY-MM-DD);
server text echoed into messages and ``fetch_log.detail`` (a 60,000-character Location header, whole); a new
store that a full disk cut short (a half-created file and its ``.wal`` left behind); a folder option that is a
file (``scrape --snapshots FILE``: ``SNAP/73: Not a directory``); ids that are not positive integers
(``contradictions --version -1``: ``no versions of '-1'``).
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from policycheck.cli.common import check_folder
from policycheck.errors import PolicycheckError, unknown_value
from policycheck.isodate import iso_date, iso_datetime
from policycheck.sizes import ECHO_CHARS, MESSAGE_CHARS, clip
from tests.policies.httpserver import Page, PolicyServer
from tests.test_bad_input import Case, check, cli, write

# --- 1. filters: an unknown value is refused the same way for every filter ----------------------------------------

FILTERS = {
    # args, the start of the one line (the base store has one capture, scenario 'startup')
    "gaps --scenario": (["gaps", "--scenario", "nosuch"], "--scenario: unknown scenario 'nosuch' (known: startup)"),
    "gaps --scenario, one of two": (["gaps", "--scenario", "startup,nosuch"],
                                    "--scenario: unknown scenario 'nosuch' (known: startup)"),
    "gaps --scenario, escaped": (["gaps", "--scenario", "a\x1b[31mb"], "--scenario: unknown scenario 'a\\x1b[31mb'"),
    "gaps --feature": (["gaps", "--feature", "nosuch"], "--feature: unknown id 'nosuch' (known: "),
    "gaps --data-type": (["gaps", "--data-type", "nosuch"], "--data-type: unknown id 'nosuch' (known: "),
    "flows --feature": (["flows", "--feature", "nosuch"], "--feature: unknown id 'nosuch' (known: "),
    "gaps --class": (["gaps", "--class", "nosuch"], "--class: unknown disclosure class 'nosuch' (known: ambiguous, "),
    "gaps --fail-on": (["gaps", "--fail-on", "nosuch"], "--fail-on: unknown disclosure class 'nosuch' (known: "),
    "contradictions --kind": (["contradictions", "--kind", "nosuch"], "--kind: unknown kind 'nosuch' (known: "
                                                                      "logical, narrowing)"),
}


@pytest.mark.parametrize("name", FILTERS)
def test_an_unknown_filter_value_is_one_line_naming_option_value_and_known_values(name, base_store, tmp_path):
    args, line = FILTERS[name]
    proc = check(Case(lambda t: args, where=line), base_store, tmp_path)
    assert proc.stderr.strip().startswith(f"error: {line}"), proc.stderr


def test_a_known_scenario_still_filters(base_store, tmp_path):
    proc = check(Case(lambda t: ["gaps", "--scenario", "startup", "--format", "csv"], status=0), base_store, tmp_path)
    assert proc.stdout.startswith("recipient,"), proc.stdout


def test_unknown_value_lists_at_most_a_dozen_known_values_then_the_hint():
    many = [f"v{i:02d}" for i in range(30)]
    assert str(unknown_value("--x", "thing", {"b", "a"}, many, "see table t")) == (
        f"--x: unknown things 'a', 'b' (known: {', '.join(many[:12])} and 18 more; see table t)")
    assert str(unknown_value("--x", "thing", ["z"], [], "see table t")) == "--x: unknown thing 'z' (none known; " \
                                                                          "see table t)"


# --- 2. dates: one strict ISO 8601 parser ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["20231205", "2023-W49-2", "2023-339", "2023-12-05T00:00", " 2023-12-05",
                                  "2023-12-05\n", "２０２３-１２-０５", "12/05/2023", ""])
def test_a_date_not_in_the_form_yyyy_mm_dd_is_refused(text):
    with pytest.raises(PolicycheckError, match=r"^--as-of: .* is not a date in the form YYYY-MM-DD \(ISO 8601\)$"):
        iso_date(text, "--as-of")


@pytest.mark.parametrize("text", ["2023-02-30", "0000-01-01", "2023-13-01"])
def test_a_day_the_calendar_does_not_have_is_refused(text):
    with pytest.raises(PolicycheckError, match=rf"^--as-of: '{text}' is not a calendar date \("):
        iso_date(text, "--as-of")


def test_calendar_dates_are_read():
    assert iso_date("2023-12-05", "--as-of") == date(2023, 12, 5)
    assert iso_date("9999-12-31", "--as-of") == date(9999, 12, 31)


DATES = {
    "gaps --as-of": ["gaps", "--as-of", "20231205"],
    "report --as-of": ["report", "--as-of", "20231205"],
    "contradictions --as-of": ["contradictions", "--as-of", "20231205"],
    "compare --as-of": ["compare", "a", "b", "--as-of", "20231205"],
}


@pytest.mark.parametrize("name", DATES)
def test_every_date_option_refuses_the_basic_form_in_the_same_line(name, base_store, tmp_path):
    args = DATES[name]
    if name == "report --as-of":
        args = [*args, "--out", str(tmp_path / "out")]
    proc = check(Case(lambda t: args, where="--as-of: '20231205' is not a date in the form YYYY-MM-DD (ISO 8601)"),
                 base_store, tmp_path)
    assert not (tmp_path / "out").exists()
    assert proc.stderr.count("\n") == 1


@pytest.mark.parametrize("text", ["20231205", "2023-1-5", "1701734400", "2023-12-05T10", "2023-12-05T10:00+8",
                                  "2023-12-05T10:00:00 UTC", ""])
def test_a_capture_time_not_in_iso_8601_extended_form_is_refused(text):
    """typer read ``--captured-at 20231205`` as a Unix time (1970-08-23: 'not plausible') and ``2023-1-5`` as
    'input is too short'."""
    with pytest.raises(PolicycheckError, match=r"^--captured-at: .* is not a date or time in the form YYYY-MM-DD"):
        iso_datetime(text, "--captured-at")


def test_capture_times_are_read_naive_or_with_their_offset():
    assert iso_datetime("2023-12-05", "x") == datetime(2023, 12, 5)
    assert iso_datetime("2023-12-05 10:00:30.5", "x") == datetime(2023, 12, 5, 10, 0, 30, 500000)
    assert iso_datetime("2023-12-05T10:00Z", "x") == datetime(2023, 12, 5, 10, tzinfo=UTC)
    assert iso_datetime("2023-12-05T18:00+08:00", "x").astimezone(UTC) == datetime(2023, 12, 5, 10, tzinfo=UTC)


def test_ingest_captured_at_in_the_basic_form_is_one_line(base_store, tmp_path):
    check(Case(lambda t: ["ingest", str(write(t / "x.har", "{}")), "--captured-at", "20231205"],
               where="--captured-at: '20231205' is not a date or time in the form YYYY-MM-DD"), base_store, tmp_path)


def test_a_document_at_a_date_takes_the_same_parser():
    with pytest.raises(PolicycheckError, match=r"^document: '20231205' is not a date in the form YYYY-MM-DD"):
        from policycheck.gaps.documents import resolve
        resolve(duckdb.connect(), "doc@20231205")


# --- 3. server text echoed into messages: bounded ---------------------------------------------------------------

def test_clip_cuts_and_counts():
    assert clip("x" * ECHO_CHARS) == "x" * ECHO_CHARS
    assert clip("x" * 60_000) == "x" * ECHO_CHARS + f"… ({60_000 - ECHO_CHARS:,} more characters)"


def test_every_error_line_is_bounded(tmp_path):
    """A gold file whose two items share a 300,000-character id was refused with the id repeated whole; every
    :class:`PolicycheckError` now cuts what it says at MESSAGE_CHARS, saying how much it left out."""
    assert str(PolicycheckError("f", "x" * 60_000)) == "f: " + clip("x" * 60_000, MESSAGE_CHARS)
    long_id = "x" * 300_000
    gold = write(tmp_path / "gold.yaml", "".join(
        f"- {{id: {long_id}, sentence: {s}, document: d, version: 1, block: 1, claims: []}}\n" for s in "ab"))
    proc = cli(["eval-claims", str(gold)], tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr) < MESSAGE_CHARS + 200 and proc.stderr.rstrip().endswith("(298,039 more characters)")


@pytest.mark.parametrize("location", ["ftp://example.test/" + "a" * 60_000, "/" + "b" * 60_000])
def test_a_huge_location_header_is_cut_in_the_line_and_in_fetch_log(location, base_store, tmp_path):
    """A redirect to a 60,000-character URL (to another scheme: refused; on the same server: 404 after the hop)
    is named with at most ECHO_CHARS characters of it, in the failure line and in ``fetch_log.detail``."""
    with PolicyServer() as server:
        server.pages["/privacy"] = Page(b"", status=302, headers={"Location": location})
        sources = write(tmp_path / "sources.json", json.dumps({"name": "Example", "terms": {"Privacy Policy": {
            "fetch": server.base + "/privacy", "select": "#doc", "language": "en"}}}))
        db = tmp_path / "s.duckdb"
        shutil.copy(base_store, db)
        proc = cli(["scrape", "--sources", str(sources), "--snapshots", str(tmp_path / "snap"), "--delay", "0",
                    "--timeout", "2", "--retries", "0", "--no-rejudge", "--db", str(db)], tmp_path)
    assert proc.returncode == 11 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    failed = [line for line in proc.stderr.splitlines() if line.startswith("failed")]
    assert len(failed) == 1 and len(failed[0]) < MESSAGE_CHARS, failed
    assert "more characters)" in failed[0]
    con = duckdb.connect(str(db), read_only=True)
    (detail,), = con.execute("select detail from fetch_log").fetchall()
    con.close()
    assert len(detail) <= MESSAGE_CHARS + 40 and "more characters)" in detail


# --- 4. a new store is created whole or not at all ---------------------------------------------------------------

def test_a_store_a_file_size_limit_cuts_short_leaves_no_file(tmp_path):
    """``prlimit --fsize`` stands for a full disk (Python ignores SIGXFSZ, so writes fail with EFBIG): the store's
    schema could not be written; before bad8 a 12 KiB file and a 128 KiB ``.wal`` were left at the path."""
    if not shutil.which("prlimit"):
        pytest.skip("needs prlimit")
    import subprocess
    import sys
    db = tmp_path / "new.duckdb"
    proc = subprocess.run(["prlimit", "--fsize=200000", sys.executable, "-m", "policycheck", "ontology", "--db",
                           str(db)], capture_output=True, text=True, timeout=120, cwd=Path(__file__).parent.parent)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.startswith(f"error: {db}: cannot create the store: ") and proc.stderr.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_store_created_by_a_command_that_fails_is_removed(tmp_path):
    db = tmp_path / "new.duckdb"
    proc = cli(["ingest", str(tmp_path / "missing.har"), "--db", str(db)], tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_store_that_existed_is_kept_when_a_command_fails(base_store, tmp_path):
    check(Case(lambda t: ["ingest", str(t / "missing.har")]), base_store, tmp_path)  # the store is unchanged
    assert (tmp_path / "store.duckdb").exists()


# --- 5. folder options -------------------------------------------------------------------------------------------

FOLDERS = {
    # args built from the file F, the line
    "scrape --snapshots FILE": (lambda f: ["scrape", "--sources", str(f), "--snapshots", str(f)],
                                "--snapshots: {f} is a file, not a folder"),
    "scrape --snapshots FILE/sub": (lambda f: ["scrape", "--sources", str(f), "--snapshots", str(f / "sub")],
                                    "--snapshots: {f}/sub: {f} is a file, not a folder"),
    "report --out FILE": (lambda f: ["report", "--out", str(f)], "--out: {f} is a file, not a folder"),
    "export --parquet FILE/x": (lambda f: ["export", "--parquet", str(f / "x")],
                                "--parquet: {f}/x: {f} is a file, not a folder"),
    "eval-claims --opp115 FILE": (lambda f: ["eval-claims", "--opp115", str(f)],
                                  "--opp115: {f} is a file, not a folder"),
    "sql --allow-read FILE": (lambda f: ["sql", "--allow-read", str(f), "select 1"],
                              "--allow-read: {f} is a file, not a folder"),
    # every command taking --mappings (checked as the command line is parsed): it said FILE/data_types.yaml: ...
    "ontology --mappings FILE": (lambda f: ["ontology", "--mappings", str(f)], "--mappings: {f} is a file, not a "
                                                                              "folder"),
    "run --profile FOLDER": (lambda f: ["run", "--data", str(f.parent), "--profile", str(f.parent)],
                             "--profile: {d} is a folder, not a profile file"),
}


@pytest.mark.parametrize("name", FOLDERS)
def test_a_folder_option_that_is_a_file_is_one_line_naming_the_option(name, base_store, tmp_path):
    build, line = FOLDERS[name]
    f = write(tmp_path / "afile", "{}")
    expected = line.format(f=f, d=f.parent)
    proc = check(Case(lambda t: build(f), where=expected), base_store, tmp_path)
    assert proc.stderr.strip() == "error: " + expected
    assert f.read_text() == "{}"


def test_check_folder_takes_a_missing_folder_under_a_folder(tmp_path):
    assert check_folder(tmp_path / "a" / "b", "--out") == tmp_path / "a" / "b"
    with pytest.raises(PolicycheckError, match=r"^--data: .*/a: no such folder$"):
        check_folder(tmp_path / "a", "--data", must_exist=True)


# --- 6. ids ------------------------------------------------------------------------------------------------------

IDS = {
    "contradictions --version -1": (["contradictions", "x", "--version", "-1"], "contradictions: Invalid value for "
                                                                                "'--version'"),
    "contradictions --version 0": (["contradictions", "--version", "0"], "contradictions: Invalid value for "
                                                                         "'--version'"),
    "contradictions --version 1.5": (["contradictions", "--version", "1.5"], "contradictions: Invalid value for "
                                                                             "'--version'"),
    "extract --version -5": (["extract", "--version", "-5"], "extract: Invalid value for '--version'"),
    "changes --change 0": (["changes", "--change", "0"], "changes: Invalid value for '--change'"),
    "contradictions --version beyond 64 bits": (["contradictions", "--version", "9" * 30], "--version: no version "
                                                                                             + "9" * 30),
}


@pytest.mark.parametrize("name", IDS)
def test_an_id_that_is_no_positive_integer_is_one_line_naming_the_option(name, base_store, tmp_path):
    args, line = IDS[name]
    proc = check(Case(lambda t: args, where=line), base_store, tmp_path)
    assert proc.stderr.startswith(f"error: {line}") and proc.stderr.count("\n") == 1, proc.stderr


def test_a_failing_command_removes_only_the_store_it_created_itself(tmp_path, monkeypatch):
    """In one process (tests, a notebook), a store an earlier, successful command created is kept when a later
    command fails."""
    from policycheck.cli import main

    db = tmp_path / "s.duckdb"
    for args, status in ((["ontology", "--db", str(db)], 0), (["gaps", "--scenario", "nosuch", "--db", str(db)], 2)):
        monkeypatch.setattr("sys.argv", ["policycheck", *args])
        with pytest.raises(SystemExit) as exit_:
            main()
        assert exit_.value.code == status
    assert db.exists()
