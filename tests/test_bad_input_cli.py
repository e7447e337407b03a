"""Hostile input that only a real process shows (robust2): every command of ``policycheck --help`` run in a subprocess
(``tests.test_bad_input.cli``: ``python -m policycheck`` under an address-space limit and a timeout).

Families: a FIFO named where a file is expected (once blocked the command forever in ``open``), option values the
command line's types refuse (once a boxed panel of several lines), an ``--parquet`` folder that is a file (once a
traceback), UTF-16 key logs, device profiles and capture manifests (once refused as "not UTF-8"), a catastrophic
regular expression in mappings/ (once accepted by ``ontology``), the same capture file named by another path (once
recorded as an alias of itself) and a Ctrl-C in the middle of ``ingest``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from policycheck.flows import mmtls
from policycheck.regexsafety import ambiguous_repeat, nested_repeat
from tests.conftest import require_shared
from tests.test_bad_input import POLICY, Case, check, cli, counts, har, write

ENTRY = {"startedDateTime": "2023-12-05T10:00:00Z", "request": {"method": "GET", "url": "https://example.com/a"}}


def one_line(proc: subprocess.CompletedProcess) -> str:
    """The single line a refused command printed on stderr (asserted to be one), without its ``error:`` prefix."""
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "terminate called" not in proc.stderr
    return lines[0].removeprefix("error: ")


# --- a FIFO where a file is expected: refused at once, never waited on -----------------------------------------------

def _fifo(tmp: Path, name: str = "pipe") -> str:
    os.mkfifo(tmp / name)
    return str(tmp / name)


FIFOS = {
    "device profile": lambda t: ["ingest", str(write(t / "a.har", har([ENTRY]))), "--profile", _fifo(t)],
    "report of verify": lambda t: ["verify", _fifo(t)],
    "SQL file": lambda t: ["sql", "--file", _fifo(t)],
    "gold file": lambda t: ["eval-claims", _fifo(t)],
    "sources file": lambda t: ["scrape", "--sources", _fifo(t), "--snapshots", str(t / "s"), "--no-rejudge"],
    "mapping file": lambda t: ["ontology", "--mappings", str(_mappings_with_fifo(t))],
}


def _mappings_with_fifo(tmp: Path) -> Path:
    shutil.copytree(Path(__file__).parents[1] / "mappings", tmp / "mappings")
    (tmp / "mappings" / "features.yaml").unlink()
    _fifo(tmp / "mappings", "features.yaml")
    return tmp / "mappings"


@pytest.mark.parametrize("name", FIFOS)
def test_a_fifo_named_as_a_file_is_refused_without_waiting(name, base_store, tmp_path):
    started = time.monotonic()
    proc = check(Case(FIFOS[name], where=": not a regular file (a FIFO, socket or device)"), base_store, tmp_path)
    assert time.monotonic() - started < 60
    assert one_line(proc).endswith("not a regular file (a FIFO, socket or device); not read")


def test_a_fifo_as_the_store_is_refused(tmp_path):
    fifo = _fifo(tmp_path, "store.duckdb")
    proc = cli(["sql", "select 1", "--db", fifo], tmp_path, timeout=60)
    assert proc.returncode == 2
    assert one_line(proc) == f"{fifo}: not a regular file (a FIFO, socket or device); not read"


# --- values the command line refuses: one line, exit 2 ----------------------------------------------------------------

USAGE = {
    "unknown --mode": (["gaps", "--mode", "nonsense"], "gaps: Invalid value for '--mode'"),
    "NaN --min-confidence": (["flows", "--min-confidence", "nan"], "flows: Invalid value for '--min-confidence'"),
    "negative --min-confidence": (["report", "--min-confidence", "-1"], "report: Invalid value for '--min-confidence'"),
    "--format nonsense": (["versions", "--format", "nonsense"], "versions: Invalid value for '--format'"),
    "missing --profile file": (["ingest", "x.har", "--profile", "missing.yaml"], "ingest: Invalid value for "
                                                                                 "'--profile': file 'missing.yaml'"),
    "unknown command": (["nosuchcommand"], "policycheck: No such command 'nosuchcommand'."),
    "unknown option": (["sql", "select 1", "--nosuch"], "sql: No such option: --nosuch"),
    "unknown --timezone": (["ingest", "x.har", "--timezone", "Mars/Base"], "--timezone: unknown time zone 'Mars/Base'"),
    "a --timezone path": (["ingest", "x.har", "--timezone", "../../etc/passwd"], "--timezone: unknown time zone"),
    # gaps once printed zero rows, exit 0, for an id no ontology has (a typo read as "no gaps")
    "unknown gaps --feature": (["gaps", "--feature", "login,nosuch"], "--feature: unknown id 'nosuch' (known: "),
    "unknown gaps --data-type": (["gaps", "--data-type", "shoe_size"], "--data-type: unknown id 'shoe_size'"),
}


@pytest.mark.parametrize("seconds", ["inf", "1e300"])
def test_a_timeout_beyond_what_a_timer_can_wait_is_no_limit(base_store, tmp_path, seconds):
    proc = cli(["sql", "--timeout", seconds, "select 42", "--db", str(base_store)], tmp_path)
    assert proc.returncode == 0 and "42" in proc.stdout, proc.stderr
    assert "Traceback" not in proc.stderr and "Exception in thread" not in proc.stderr


@pytest.mark.parametrize("name", USAGE)
def test_a_value_the_command_line_refuses_is_one_line(name, base_store, tmp_path):
    args, message = USAGE[name]
    proc = check(Case(lambda t: args, where=message), base_store, tmp_path)
    assert one_line(proc).startswith(message)


def test_an_invalid_date_is_one_line_naming_the_option(base_store, tmp_path):
    proc = check(Case(lambda t: ["gaps", "--as-of", "2020-02-30"], where="--as-of"), base_store, tmp_path)
    one_line(proc)


def test_a_parquet_folder_that_is_a_file_is_one_line(base_store, tmp_path):
    target = write(tmp_path / "export", "a file")
    proc = check(Case(lambda t: ["export", "--parquet", str(target)]), base_store, tmp_path)
    assert one_line(proc) == f"--parquet: {target} is a file, not a folder"
    assert target.read_text() == "a file"


@pytest.mark.parametrize("fmt", ["csv", "table", "json"])
def test_a_reader_that_closes_the_pipe_early_ends_the_command_quietly(base_store, tmp_path, fmt):
    """``policycheck sql ... | head -1``: exit 0 and nothing on stderr (typer and rich once exited 1, a bug's
    status)."""
    command = [sys.executable, "-m", "policycheck", "sql", "select * from range(300000)", "--format", fmt,
               "--db", str(base_store)]
    proc = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode() if proc.stderr else ""
    assert proc.wait(timeout=120) == 0, err
    assert "Traceback" not in err and "Exception ignored" not in err


def test_output_to_a_full_disk_is_one_line(base_store, tmp_path):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "policycheck", "sql", "select * from range(300000)", "--format",
                               "csv", "--db", str(base_store)], cwd=tmp_path, stdout=full, stderr=subprocess.PIPE,
                              text=True, timeout=120)
    assert proc.returncode == 2
    assert one_line(proc) == "standard output: No space left on device"


# --- UTF-16 and UTF-32 with a byte-order mark: key logs, device profiles, capture manifests ---------------------------

@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_a_key_log_with_a_byte_order_mark_reads_as_its_utf8_original(tmp_path, encoding):
    original = require_shared("datasets", "citizenlab-wechat-security-2024", "frida-logged-in-all-keys.log")
    converted = write(tmp_path / "keys.log", original.read_text(encoding="utf-8").encode(encoding))
    utf8, other = mmtls.KeyLog.read(original), mmtls.KeyLog.read(converted)
    assert utf8.entries > 0
    assert (other.outer, other.inner_cbc, other.inner_gcm) == (utf8.outer, utf8.inner_cbc, utf8.inner_gcm)
    assert other.problems == utf8.problems
    assert mmtls.is_key_log(converted.read_bytes()[:4096])


def test_a_pcap_decrypts_with_a_utf16_key_log_as_with_the_original(tmp_path):
    folder = require_shared("datasets", "citizenlab-wechat-security-2024")
    pcap, keys = folder / "capture-logged-in-all-keys.pcapng", folder / "frida-logged-in-all-keys.log"
    found = {}
    for name, key_log in (("utf8", keys), ("utf16", write(tmp_path / "keys16.log",
                                                          keys.read_text(encoding="utf-8").encode("utf-16")))):
        db = tmp_path / f"{name}.duckdb"
        proc = cli(["ingest", str(pcap), "--key-log", str(key_log), "--db", str(db)], tmp_path)
        assert proc.returncode in (0, 2) and "Traceback" not in proc.stderr, proc.stderr
        con = duckdb.connect(str(db), read_only=True)
        found[name] = con.execute("select decode_status, count(*) from flows group by all order by all").fetchall()
        con.close()
    assert found["utf16"] == found["utf8"] and len(found["utf8"]) > 1, found


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32-be"])
def test_a_manifest_and_profile_with_a_byte_order_mark_are_read(tmp_path, encoding):
    folder = tmp_path / "captures"
    write(folder / "startup.har", har([ENTRY]))
    text = "captures:\n  startup.har: {scenario: launch, account_platform: weixin}\n"
    bom = "\ufeff" if encoding.endswith("-be") else ""  # Python's utf-16 writes its BOM; utf-32-be does not
    write(folder / "captures.yaml", (bom + text).encode(encoding))
    profile = write(tmp_path / "profile.yaml", "values:\n  device_model: Pixel 7\n".encode("utf-16"))
    db = tmp_path / "s.duckdb"
    proc = cli(["ingest", str(folder), "--profile", str(profile), "--db", str(db)], tmp_path)
    assert proc.returncode == 0, proc.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select scenario, account_region from captures").fetchall() == [("launch", "weixin")]
    con.close()


def test_an_archived_policy_in_utf16_is_the_same_version_as_in_utf8(tmp_path):
    texts = {}
    for encoding in ("utf-8", "utf-16"):
        folder = tmp_path / encoding
        write(folder / "2021-01-01_policy.md", POLICY.encode(encoding))
        db = tmp_path / f"{encoding}.duckdb"
        proc = cli(["import-archive", str(folder), "--no-rejudge", "--service", "Example", "--db", str(db)], tmp_path)
        assert proc.returncode == 10, proc.stderr
        con = duckdb.connect(str(db), read_only=True)
        texts[encoding] = con.execute("select sha256 from versions").fetchall()
        con.close()
    assert texts["utf-16"] == texts["utf-8"] and len(texts["utf-8"]) == 1


# --- catastrophic regular expressions in mappings/ --------------------------------------------------------------------

@pytest.mark.parametrize("pattern, nested", [
    ("(a+)+$", True), (r"(\w+\s?)*$", True), ("(?:x*y?){20}", True), ("((a|b)+)*c", True), ("(?=(a+))*", True),
    (r"(?:\s+\w+){0,3}", False), ("/mmbiz-bin/wxa", False), ("(?>a+)*", False), ("a+b*c+", False),
    ("(?:ab)+c*", False), ("(a*+)*", False)])
def test_nested_unbounded_repeats_are_found(pattern, nested):
    assert nested_repeat(pattern) is nested


AMBIGUOUS = ["(a|aa)+$", "(a|a?)+$", "((a|b)c|ac)*$", "(?:x|xy|y){20}$", "(?:ab|a)(?:c|bc|b)*$"]
UNAMBIGUOUS = ["(a|ab)*$", r"(\w|\d)+$", "(abc|abd)*$", r"(?:\s+\w+){0,3}$", "(?>a|a)*$", "(?:the |any |all )*x",
               r"\b(?:as |where )?(?:legally )?(?:required|permitted)\b"]


@pytest.mark.parametrize("pattern, ambiguous", [(p, True) for p in AMBIGUOUS] + [(p, False) for p in UNAMBIGUOUS])
def test_repeats_that_match_one_text_in_two_ways_are_found(pattern, ambiguous):
    assert ambiguous_repeat(pattern) is ambiguous


def test_what_the_ambiguity_check_finds_is_exponential_and_what_it_passes_is_not():
    """Measured in Python's ``re`` on the text that makes each fail: for the patterns found ambiguous, 8 more units
    after 10 multiply the time by more than 4 (the fastest of 3 runs each); for those passed, 1,600 more after 2,000
    do not (linear: about 1.8)."""
    import re

    def seconds(pattern: str, text: str) -> float:
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            re.match(pattern, text)
            runs.append(time.perf_counter() - started)
        return min(runs)

    def growth(pattern: str, unit: str, n: int) -> float:  # the time of 1.8 n units and a '!' over that of n
        return seconds(pattern, unit * (n * 18 // 10) + "!") / max(seconds(pattern, unit * n + "!"), 1e-6)
    units = {"(a|aa)+$": "a", "(a|a?)+$": "a", "((a|b)c|ac)*$": "ac", "(a|ab)*$": "a", r"(\w|\d)+$": "1",
             "(abc|abd)*$": "abc"}
    grown = {p: growth(p, unit, 10 if p in AMBIGUOUS else 2000) for p, unit in units.items()}
    assert all(grown[p] > 4 for p in AMBIGUOUS[:3]) and all(grown[p] < 4 for p in UNAMBIGUOUS[:3]), grown


def test_a_catastrophic_pattern_takes_exponential_time_in_python_re():
    """What the check prevents, measured: ``(a+)+$`` on 22 a's and a b takes ~100x the time of 16 a's."""
    import re
    times = []
    for n in (14, 20):  # the fastest of 3 runs each, so that a pause of the machine cannot decide
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            re.match(r"(a+)+$", "a" * n + "b")
            runs.append(time.perf_counter() - started)
        times.append(min(runs))
    assert times[1] > 10 * times[0]


@pytest.mark.parametrize("pattern, what", [
    ("(finder+)+$", "a repeated group contains an unbounded repeat (like (a+)+)"),
    ("(finder|finder?)+$", "a repeated group can match the same text in two ways (like (a|aa)+)"),
    ("(" * 2000 + "a" + ")" * 2000, "too large or nested too deeply"),
])
def test_ontology_refuses_a_catastrophic_or_huge_pattern_at_its_line(base_store, tmp_path, pattern, what):
    def build(tmp: Path) -> list[str]:
        shutil.copytree(Path(__file__).parents[1] / "mappings", tmp / "mappings")
        path = tmp / "mappings" / "endpoints.yaml"
        text = path.read_text(encoding="utf-8")
        assert "{pattern: finder, feature" in text
        path.write_text(text.replace("{pattern: finder, feature", "{pattern: " + json.dumps(pattern) + ", feature"),
                        encoding="utf-8")
        return ["ontology", "--mappings", str(tmp / "mappings")]
    proc = check(Case(build, where=what), base_store, tmp_path)
    assert "endpoints.yaml:" in one_line(proc) and ".pattern: bad pattern: " in proc.stderr


# --- one capture file, many paths -------------------------------------------------------------------------------------

def _captures(db: Path) -> tuple[list, list]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return (con.execute("select path, canonical_path from captures").fetchall(),
                con.execute("select path from capture_aliases").fetchall())
    finally:
        con.close()


def test_the_same_file_by_another_path_is_the_same_capture(tmp_path):
    har_file = write(tmp_path / "caps" / "startup.har", har([ENTRY]))
    os.symlink(har_file, tmp_path / "link.har")
    db = tmp_path / "s.duckdb"
    for args, cwd in ((["caps/startup.har"], tmp_path), ([str(har_file)], tmp_path), (["startup.har"], har_file.parent),
                      (["link.har"], tmp_path), (["../caps"], har_file.parent)):
        proc = cli(["ingest", *args, "--db", str(db)], cwd)
        assert proc.returncode == 0, proc.stderr
    captures, aliases = _captures(db)
    assert captures == [("caps/startup.har", str(har_file.resolve()))]
    assert aliases == []
    copy = write(tmp_path / "other" / "launch.har", har([ENTRY]))  # the same content elsewhere: an alias
    assert cli(["ingest", str(copy), "--db", str(db)], tmp_path).returncode == 0
    assert cli(["ingest", "launch.har", "--db", str(db)], copy.parent).returncode == 0  # the alias by another path
    assert _captures(db)[1] == [(str(copy),)]


def test_a_store_of_schema_12_gets_canonical_paths_from_its_folder(tmp_path):
    """A store written before migration 013 (simulated: the column emptied, the migration unrecorded; DuckDB cannot
    drop a column other tables depend on) gets the canonical path of its relative capture paths from the store's
    folder when a write command migrates it."""
    har_file = write(tmp_path / "caps" / "startup.har", har([ENTRY]))
    db = tmp_path / "s.duckdb"
    assert cli(["ingest", "caps/startup.har", "--db", str(db)], tmp_path).returncode == 0
    con = duckdb.connect(str(db))
    con.execute("update captures set canonical_path = null")
    con.execute("delete from schema_migrations where version >= 13")  # schema 12: 013 and every later one unrecorded
    con.close()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = cli(["ingest", str(har_file), "--db", str(db)], elsewhere)  # migrates, then finds the file stored
    assert proc.returncode == 0, proc.stderr
    assert _captures(db) == ([("caps/startup.har", str(har_file.resolve()))], [])


def many_hars(folder: Path) -> Path:
    """80 HAR files of 2,000 GET requests each in ``folder`` (about 11 s of ingest on the 2-core development
    machine): a run long enough to be interrupted mid-way."""
    for i in range(80):
        write(folder / f"s{i:03d}.har", har([{**ENTRY, "request": {**ENTRY["request"],
                                                                  "url": f"https://example.com/{i}/{j}"}}
                                             for j in range(2000)]))
    return folder


# --- Ctrl-C in the middle of ingest -----------------------------------------------------------------------------------

def test_ctrl_c_during_ingest_leaves_the_store_whole_and_usable(base_store, tmp_path):
    """SIGINT 3 s into an ingest of about 11 s (80 HAR files of 2,000 requests on the 2-core development machine):
    mid-run on any machine up to about 4 times faster. (A SIGINT that lands while the interpreter is exiting, after
    the work, kills it with the default action, exit -2: the test once sent it at 6 s into a 6 s run.)"""
    db = tmp_path / "store.duckdb"
    shutil.copy(base_store, db)
    before = counts(db)
    folder = many_hars(tmp_path / "many")
    command = [sys.executable, "-m", "policycheck", "ingest", str(folder), "--db", str(db)]
    proc = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "POLICYCHECK_WORKERS": "1"})
    time.sleep(3)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode in (0, 130), err
    assert "Traceback" not in err and "terminate called" not in err
    if proc.returncode == 130:  # typer once turned the KeyboardInterrupt into a silent exit 130
        assert [line for line in err.splitlines() if line.startswith("interrupted")], err
    after = counts(db)
    assert all(after[t] >= n for t, n in before.items())
    con = duckdb.connect(str(db), read_only=True)  # whole: every stored capture has all its flows
    partial = con.execute("select count(*) from captures c where requests <> "
                          "(select count(*) from flows f where f.capture_id = c.capture_id)").fetchall()[0][0]
    con.close()
    assert partial == 0
    assert cli(["sql", "select count(*) from captures", "--db", str(db)], tmp_path).returncode == 0


# --- memory the operating system refuses -----------------------------------------------------------------------------

def test_an_allocation_the_system_refuses_is_one_line_not_a_traceback(tmp_path):
    """A command whose allocation the operating system refuses (1 TB: beyond any machine's overcommit) ends with one
    line that says so and does not send the user to DuckDB's memory limit, which would not help; exit 2. (Under a
    `ulimit -v` below what `run` needs, the main job once ended with a MemoryError traceback.)"""
    code = ("import sys\nfrom policycheck.cli import main\nfrom policycheck.cli.common import app\n"
            "@app.command('grab')\ndef grab() -> None:\n    bytearray(1 << 40)\n"
            "sys.argv = ['policycheck', 'grab']\nmain()")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert proc.returncode == 2, proc.stderr
    line = one_line(proc)
    assert line.startswith("out of memory: the operating system refused an allocation (MemoryError"), line
    assert "POLICYCHECK_MEMORY_LIMIT" not in line and "ulimit -v" in line
