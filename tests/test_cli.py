"""The console script: every command listed with a one-line description; errors are one line, exit 2."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from policycheck.cli import app


def test_help_lists_every_command_with_a_description():
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    registered = {c.name for c in app.registered_commands}
    assert {"ontology", "import-archive", "versions", "scrape", "extract", "eval-claims", "ingest", "flows", "gaps",
            "report", "sql", "run"} <= registered
    for command in app.registered_commands:
        assert command.callback.__doc__, f"{command.name} has no docstring"
        assert command.name in result.output


@pytest.mark.slow
def test_bad_input_is_one_line_and_exit_2(tmp_path):
    missing = tmp_path / "nowhere"
    proc = subprocess.run([sys.executable, "-m", "policycheck", "import-archive", str(missing), "--db",
                           str(tmp_path / "s.duckdb")], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"error: {missing}: not a folder"
