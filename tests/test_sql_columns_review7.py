"""``sql`` column names (review7), through the real command line in a subprocess (``tests.test_bad_input.cli``):
a name is whatever alias the query gives, so it may hold rich markup or a Markdown cell separator, and a result
may repeat one (``select *`` of a join). ``--format table`` raised rich's MarkupError (a traceback) on ``[/]`` and
showed ``[bold]x`` as a bold ``x``; ``--format markdown`` wrote ``x|y`` unescaped (a header of one cell more
than its rows); every format printed the last of two columns named alike under both names (JSON kept one key)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_bad_input import cli

NAMES = 'select 1 as "[/]", 2 as "[bold]x", 3 as "x|y"'
REPEATED = "select 1 as a, 2 as a, 3 as a, 4 as a_1"


def _sql(store: Path, tmp_path: Path, fmt: str, query: str) -> str:
    proc = cli(["sql", "--format", fmt, query, "--db", str(store)], tmp_path)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.split() == ["1", "rows"]
    return proc.stdout


def test_table_headers_show_markup_as_text(ontology_store, tmp_path):
    header = next(line for line in _sql(ontology_store, tmp_path, "table", NAMES).splitlines() if "x|y" in line)
    assert [c.strip() for c in header.strip("┃ ").split("┃")] == ["[/]", "[bold]x", "x|y"]


def test_markdown_header_escapes_the_cell_separator(ontology_store, tmp_path):
    lines = _sql(ontology_store, tmp_path, "markdown", NAMES).splitlines()
    assert lines[0] == "| [/] | [bold]x | x\\|y |"
    assert lines[2] == "| 1 | 2 | 3 |"


def _cells(line: str, bar: str) -> list[str]:
    return [c.strip() for c in line.strip().strip(bar).split(bar)]


def test_repeated_names_keep_every_column(ontology_store, tmp_path):
    assert _sql(ontology_store, tmp_path, "csv", REPEATED).splitlines() == ["a,a_1,a_2,a_1_1", "1,2,3,4"]
    assert _sql(ontology_store, tmp_path, "markdown", REPEATED).splitlines() == [
        "| a | a_1 | a_2 | a_1_1 |", "|---|---|---|---|", "| 1 | 2 | 3 | 4 |"]
    lines = _sql(ontology_store, tmp_path, "table", REPEATED).splitlines()
    assert _cells(next(line for line in lines if line.startswith("┃")), "┃") == ["a", "a_1", "a_2", "a_1_1"]
    assert _cells(next(line for line in lines if line.startswith("│")), "│") == ["1", "2", "3", "4"]


def test_repeated_names_are_json_keys_of_their_own(ontology_store, tmp_path):
    assert json.loads(_sql(ontology_store, tmp_path, "json", REPEATED)) == [{"a": 1, "a_1": 2, "a_2": 3, "a_1_1": 4}]
