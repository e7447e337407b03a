"""``sql`` writes an INTERVAL as DuckDB casts it to text, through the real command line in a subprocess
(``tests.test_bad_input.cli``): Python's ``str(timedelta)`` wrote ``-1 day, 22:30:00`` for minus ninety minutes.
The expected text is DuckDB's own ``interval::varchar`` of the same value, in the same result."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.test_bad_input import cli

# intervals without months and with under 24 hours besides the days: DuckDB's Python API hands an INTERVAL over
# as a timedelta, a month as 30 days and 36 hours as 1 day 12:00:00 (DuckDB itself writes 36:00:00)
INTERVALS = ["-90 minutes", "5 days", "1 day", "1 day 2 hours 3.5 seconds", "0 seconds", "1 microsecond",
             "-2 days -1 hour", "400 days 23 hours 59 minutes 59.999999 seconds"]
QUERY = "select i, i::varchar as v from (values " + ", ".join(f"(interval '{i}')" for i in INTERVALS) + ") t(i)"


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_interval_reads_as_duckdb_casts_it(ontology_store, tmp_path, fmt):
    proc = cli(["sql", "--format", fmt, QUERY, "--db", str(ontology_store)], tmp_path)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    rows = json.loads(proc.stdout) if fmt == "json" else list(csv.DictReader(io.StringIO(proc.stdout)))
    assert len(rows) == len(INTERVALS)
    assert [r["i"] for r in rows] == [r["v"] for r in rows]
    assert "-01:30:00" in [r["i"] for r in rows]
