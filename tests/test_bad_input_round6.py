"""Hostile input the earlier sweeps did not reach (bad6), each through the real command line in a subprocess
(``tests.test_bad_input.cli``: ``python -m policycheck`` under an address-space limit and a timeout).

Families: ``sql`` results holding values JSON has no type for (a BLOB, a TIME, an INTERVAL, a UUID: ``--format json``
raised ``TypeError: not JSON serializable`` with a traceback; CSV, Markdown and table cells wrote a BLOB as Python's
``b'\\x00'``), and policy pages that Beautiful Soup warns about (an XHTML page with an ``<?xml?>`` declaration, a
page whose text is one URL: a warning of a dozen lines of advice to programmers on stderr, around the one line),
a DuckDB file of another program as ``--db`` (a writer filled it with policycheck's tables), and a ``sql`` result
larger than memory (fetched whole: out of memory).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_bad_input import cli, write

# a value of each type DuckDB returns that JSON has no type for, and what every output format writes for it
VALUES = "select from_hex('00ff5c41') b, [from_hex('ff')] l, '12:30'::time t, interval 5 day i, " \
         "'6ba7b810-9dad-11d1-80b4-00c04fd430c8'::uuid u"
EXPECTED = {"b": "\\x00\\xFF\\x5CA", "l": ["\\xFF"], "t": "12:30:00", "i": "5 days",
            "u": "6ba7b810-9dad-11d1-80b4-00c04fd430c8"}


def test_sql_json_writes_blob_time_interval_and_uuid_values(ontology_store, tmp_path):
    """``sql --format json`` of a BLOB, TIME, INTERVAL and UUID: one JSON row, a BLOB written as DuckDB casts it to
    text (``\\x00\\xFF``: every byte named exactly, no control character), the others as their text."""
    proc = cli(["sql", "--format", "json", VALUES, "--db", str(ontology_store)], tmp_path)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert json.loads(proc.stdout) == [EXPECTED]


def test_a_blob_reads_the_same_in_every_format_and_as_duckdb_casts_it(ontology_store, tmp_path):
    """CSV, Markdown and table cells write a BLOB as DuckDB's own ``blob::varchar`` does (they wrote ``b'\\x00'``)."""
    casted = cli(["sql", "--format", "csv", "select from_hex('00ff5c41')::varchar v", "--db", str(ontology_store)],
                 tmp_path)
    assert casted.stdout.splitlines()[1] == EXPECTED["b"]
    for fmt in ("csv", "markdown", "table"):
        proc = cli(["sql", "--format", fmt, "select from_hex('00ff5c41') b", "--db", str(ontology_store)], tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert EXPECTED["b"] in proc.stdout and "b'" not in proc.stdout, (fmt, proc.stdout)


PAGE = "<h1>Example Privacy Policy</h1>" + "".join(
    f"<p>{i}. We collect your phone number to provide service {i}.</p>" for i in range(1, 30))


@pytest.mark.parametrize("name, page", [
    ("XHTML with an XML declaration", '<?xml version="1.0" encoding="utf-8"?>\n<html><body>' + PAGE + "</body></html>"),
    ("a page that is one URL", "https://example.com/privacy.html"),
])
def test_a_page_beautiful_soup_warns_about_prints_no_warning(ontology_store, tmp_path, name, page):
    """An archived HTML page Beautiful Soup warns about is read (or quarantined) without its warning on stderr;
    the XHTML page's text is the same as the page without the declaration."""
    db = tmp_path / "s.duckdb"
    shutil.copy(ontology_store, db)
    write(tmp_path / "a" / "2021-01-01_a.html", page)
    proc = cli(["import-archive", str(tmp_path / "a"), "--no-rejudge", "--service", "Example", "--doc-type",
                "Privacy Policy", "--db", str(db)], tmp_path)
    assert proc.returncode in (0, 10), proc.stderr
    assert "Warning" not in proc.stderr and "Beautiful Soup" not in proc.stderr, proc.stderr
    if page.startswith("<?xml"):
        plain = cli(["sql", "--format", "json", "select count(*) n from blocks", "--db", str(db)], tmp_path)
        assert json.loads(plain.stdout)[0]["n"] >= 29, plain.stderr


def _foreign_duckdb(path: Path) -> Path:
    import duckdb
    con = duckdb.connect(str(path))
    con.execute("create table captures (x integer); create table notes (y varchar); insert into notes values ('n')")
    con.close()
    return path


@pytest.mark.parametrize("command", [["ontology"], ["gaps"], ["sql", "select 1"]])
def test_another_programs_duckdb_file_is_refused_and_left_as_it_was(tmp_path, command):
    """A DuckDB file of another program (tables, no ``schema_migrations``) as ``--db``: one line saying it is no
    policycheck store, exit 2, its tables and rows as they were (a writer filled it with policycheck's first
    tables, then failed on a table name both use; a reader told to migrate it with a write command)."""
    import duckdb
    db = _foreign_duckdb(tmp_path / "other.duckdb")
    proc = cli([*command, "--db", str(db)], tmp_path)
    assert proc.returncode == 2, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert f"{db}: not a policycheck store: a DuckDB database of 2 tables" in lines[0]
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert sorted(r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()) == [
            "captures", "notes"]
        assert con.execute("select * from notes").fetchall() == [("n",)]
    finally:
        con.close()


@pytest.mark.slow
def test_a_result_larger_than_memory_is_printed_batch_by_batch(ontology_store, tmp_path):
    """``sql --format csv`` of 6 million rows under a 1.5 GB address-space limit: every row printed (fetched whole,
    the rows ran out of memory: exit 2, nothing printed); JSON of a result of several batches is one array."""
    command = ["prlimit", "--as=1500000000", "--", sys.executable, "-m", "policycheck", "sql", "--format", "csv",
               "select range from range(6000000)", "--db", str(ontology_store)]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.split() == ["6000000", "rows"]
    lines = proc.stdout.splitlines()
    assert len(lines) == 6_000_001 and lines[1] == "0" and lines[-1] == "5999999"
    proc = cli(["sql", "--format", "json", "select range r from range(25000)", "--db", str(ontology_store)], tmp_path)
    assert json.loads(proc.stdout) == [{"r": i} for i in range(25000)]


def test_a_store_whose_first_migration_failed_is_migrated_again(tmp_path):
    """A file holding only an empty ``schema_migrations`` (``migrate`` creates it before the first migration's
    transaction, so an interrupted first migration leaves it) is policycheck's own, not another program's:
    a write command migrates it (review6: it was refused as "a DuckDB database of 1 tables")."""
    import duckdb
    db = tmp_path / "half.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create table schema_migrations (version integer primary key, name varchar not null, "
                "applied_at timestamp not null default current_timestamp)")
    con.close()
    proc = cli(["ontology", "--db", str(db)], tmp_path)
    assert proc.returncode == 0, proc.stderr
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("select count(*) from schema_migrations").fetchall()[0][0] > 0
    finally:
        con.close()


def test_another_programs_file_of_one_table_is_refused_in_the_singular(tmp_path):
    """One foreign table: "a DuckDB database of 1 table" (it said "1 tables")."""
    import duckdb
    db = tmp_path / "one.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create table notes (y varchar)")
    con.close()
    proc = cli(["ontology", "--db", str(db)], tmp_path)
    assert proc.returncode == 2 and f"{db}: not a policycheck store: a DuckDB database of 1 table without" in \
        proc.stderr, proc.stderr


def test_a_table_shows_its_first_rows_and_cuts_a_huge_cell(ontology_store, tmp_path):
    """``sql --format table`` shows the first 1,000 rows and one line naming the rest (it held every row), and a
    100 MB cell cut after 2,000 characters with the number left out (rich took minutes to fold it); the row count
    on stderr is the whole result's."""
    proc = cli(["sql", "--format", "table", "select range r from range(5000)", "--db", str(ontology_store)], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "first 1,000 of 5,000 rows shown; --format csv" in proc.stdout
    shown = [line for line in proc.stdout.splitlines() if line.startswith("│")]
    assert len(shown) == 1_000 and shown[-1].split("│")[1].strip() == "999"  # rows 0..999
    assert proc.stderr.split() == ["5000", "rows"]
    proc = cli(["sql", "--format", "table", "select repeat('x', 100000000) big", "--db", str(ontology_store)], tmp_path,
               timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "99,998,000 more characters" in " ".join(proc.stdout.split())
    assert proc.stdout.count("x") < 3_000


@pytest.mark.parametrize("content", ["", "# labels to come\n", "[]\n"])
def test_a_gold_file_without_items_is_refused(content, tmp_path):
    """``eval-claims`` of a gold file holding no item (empty, only comments, an empty list) is one line naming the
    file, exit 2 (it printed an empty score table and exited 0, as if the extractor had been scored)."""
    proc = cli(["eval-claims", str(write(tmp_path / "g.yaml", content))], tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == [f"error: {tmp_path / 'g.yaml'}: holds no gold item (an empty file, "
                                                 "an empty list or only comments): nothing to score"]
    assert proc.stdout == ""
