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


@pytest.mark.slow
def test_ctrl_c_while_the_command_line_is_imported_is_one_line_and_exit_130():
    # A real Ctrl-C cannot be timed into the import window reliably, so the import itself is interrupted:
    # a finder raises KeyboardInterrupt when `policycheck.cli` is imported, as SIGINT's handler would.
    script = ("import sys\n"
              "class Interrupt:\n"
              "    def find_spec(self, name, path=None, target=None):\n"
              "        if name == 'policycheck.cli':\n"
              "            raise KeyboardInterrupt\n"
              "sys.meta_path.insert(0, Interrupt())\n"
              "sys.argv = ['policycheck', '--help']\n"
              "from policycheck.console import main\n"
              "main()\n")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == 130
    assert proc.stderr == "interrupted while starting: no command was run, nothing was written\n"
    assert "Traceback" not in proc.stdout


@pytest.mark.slow
def test_console_script_runs_the_command_line(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "policycheck", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.strip()
