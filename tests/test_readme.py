"""The README's command table (section "## Commands") lists exactly the commands of `policycheck --help`."""

from __future__ import annotations

import re
from pathlib import Path

import typer
from typer.testing import CliRunner

from policycheck.cli import app

README = Path(__file__).parents[1] / "README.md"


def _table_commands() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Commands\n", 1)[1].split("\n<!-- section:", 1)[0]
    return re.findall(r"^\| `policycheck ([a-z][a-z0-9-]*)", section, flags=re.M)


def _help_commands() -> list[str]:
    group = typer.main.get_command(app)
    return [name for name in group.list_commands(None) if not group.commands[name].hidden]  # type: ignore[attr-defined]


def test_readme_command_table_lists_exactly_the_commands_of_help():
    table, commands = _table_commands(), _help_commands()
    assert len(table) == len(set(table)), f"listed twice in README: {sorted({c for c in table if table.count(c) > 1})}"
    assert set(table) == set(commands), (f"missing from the README table: {sorted(set(commands) - set(table))}; "
                                         f"not a command: {sorted(set(table) - set(commands))}")


def test_help_output_names_every_command():
    """The list compared above is what `policycheck --help` prints."""
    shown = CliRunner().invoke(app, ["--help"], terminal_width=200).output
    assert all(re.search(rf"│ {re.escape(name)}\s", shown) for name in _help_commands()), shown
