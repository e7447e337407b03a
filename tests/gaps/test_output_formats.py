"""Terminal output that survives pipes (issue 12): --format table|csv|json|markdown on gaps, flows, versions and
sql; CSV when stdout is not a terminal; tables wrap long values instead of cutting them."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from typer.testing import CliRunner

from policycheck.cli import app
from tests.gaps.test_report import built  # noqa: F401  (fixture)

BOX = re.compile(r"[\s│┃┆┇|━─┏┓┗┛┡┩└┘┳┻╇╈┼╋┣┫┠┨]")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


ORDERED_GAPS = "select * from gaps order by recipient, data_type, feature, scenario"


@pytest.mark.slow
@pytest.mark.parametrize("command", [["gaps"], ["flows"], ["versions"], ["sql", ORDERED_GAPS]])
def test_every_listing_command_takes_every_format(built, con, runner, command):  # noqa: F811
    con.close()
    outputs = {}
    for fmt in ("csv", "json", "markdown", "table"):
        result = runner.invoke(app, [*command[:1], "--db", str(built), "--format", fmt, *command[1:]])
        assert result.exit_code == 0, result.output
        outputs[fmt] = result.stdout
    records = json.loads(outputs["json"])
    rows = list(csv.DictReader(io.StringIO(outputs["csv"])))
    assert records and len(rows) == len(records)
    markdown = outputs["markdown"].splitlines()
    assert markdown[0].startswith("| ") and set(markdown[1]) <= {"|", "-"} and len(markdown) == len(records) + 2
    assert "…" not in outputs["table"]
    # without --format and with stdout not a terminal (CliRunner, a pipe): CSV
    piped = runner.invoke(app, [*command[:1], "--db", str(built), *command[1:]])
    assert piped.stdout == outputs["csv"]


@pytest.mark.slow
def test_tables_wrap_long_values_at_80_columns(built, con, runner):  # noqa: F811
    con.close()
    value = "x" * 150 + "END"
    result = runner.invoke(app, ["sql", "--db", str(built), "--format", "table", f"select '{value}' as v"],
                           env={"COLUMNS": "80"}, terminal_width=80)
    assert result.exit_code == 0, result.output
    assert all(len(line) <= 80 for line in result.stdout.splitlines())
    assert value in BOX.sub("", result.stdout.split("\n", 1)[1])
    gaps = runner.invoke(app, ["gaps", "--db", str(built), "--format", "table"], env={"COLUMNS": "80"},
                         terminal_width=80)
    assert gaps.exit_code == 0 and "…" not in gaps.stdout
    assert all(len(line) <= 80 for line in gaps.stdout.splitlines())


def test_a_query_over_the_memory_limit_is_one_line_not_a_traceback(built, con):  # noqa: F811
    """DuckDB running out of its memory limit (README "Scale": $POLICYCHECK_MEMORY_LIMIT) ends the command with
    one line naming the store and the setting, exit 2, through the real console script."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    con.close()
    script = Path(sys.executable).with_name("policycheck")
    done = subprocess.run([str(script), "gaps", "--db", str(built), "--format", "csv"], capture_output=True,
                          text=True, env={**os.environ, "POLICYCHECK_MEMORY_LIMIT": "1MB"}, timeout=300)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and str(built) in lines[0] and "POLICYCHECK_MEMORY_LIMIT" in lines[0]


def test_csv_of_request_id_arrays_is_the_csv_of_their_lists():
    """The gaps CLI hands request ids as numpy arrays; its CSV is byte for byte that of the same ids as lists
    (short and Arrow-joined long arrays, empty ones, None), whatever the other cells hold (commas, quotes, line
    breaks, the marker the writer puts in an array's place)."""
    import numpy as np

    from policycheck.cli import output

    columns = ["name", "flow_ids", "claim_ids", "note"]
    arrays = [np.arange(3, 9000, 7, dtype=np.int64), np.array([5], dtype=np.int64), np.array([], dtype=np.int64),
              None, np.arange(10, dtype=np.int64)]
    notes = ["plain", 'a "quoted", cell', "two\nlines", "", "\x001\x00"]
    records = [{"name": f"row {i}", "flow_ids": a, "claim_ids": [1, 2], "note": n}
               for i, (a, n) in enumerate(zip(arrays, notes, strict=True))]
    expected = io.StringIO()
    writer = csv.DictWriter(expected, fieldnames=columns)
    writer.writeheader()
    for r in records:
        writer.writerow({k: output.text(r[k].tolist() if isinstance(r[k], np.ndarray) else r[k]) for k in columns})
    assert output.to_csv(records, columns) == expected.getvalue()
    assert list(csv.reader(io.StringIO(output.to_csv(records, columns))))[1][1] == json.dumps(arrays[0].tolist())
