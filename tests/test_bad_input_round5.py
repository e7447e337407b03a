"""Hostile input the earlier sweeps did not reach (robust5), each through the real command line in a subprocess
(``tests.test_bad_input.cli``: ``python -m policycheck`` under an address-space limit and a timeout).

Families: gold items whose fields have the wrong type (a list, mapping, number or null where text, a boolean or a
block kind belongs: tracebacks in ``evaluate``, DuckDB's binder or rich, or read silently as ``str(value)`` and
``bool("false")``), gold ids, splits and data types that rich reads as markup, a device profile key that is a value
(never echoed), a key log in UTF-16 without a byte-order mark, and SQL files DuckDB cannot be handed (UTF-16 without
a byte-order mark; a million statements).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policycheck.cli.gaps import MAX_SQL_BYTES
from policycheck.flows import mmtls
from tests.conftest import require_shared
from tests.test_bad_input import Case, check, cli, har, write
from tests.test_bad_input_cli import ENTRY, one_line

IMEI = "356938035643809"  # an IMEI-shaped marker that must never be printed back
CLAIM = {"actor_role": "first_party", "action": "collect", "negated": False, "data_type": "email"}
TEXT_ITEM = {"id": "a", "text": "We collect your email address.", "language": "en", "first_party": "wechat",
             "claims": [CLAIM]}
BLOCK_ITEM = {"id": "b", "document": "wechat-privacy-policy-en", "version": "2022-09-09",
              "block": "Registration data", "claims": []}


def _gold(item: dict) -> Case:
    return Case(lambda t: ["eval-claims", str(write(t / "gold.yaml", json.dumps([item])))])


# (item, the message's field and problem after "gold.yaml:1: ID: ")
GOLD_TYPES = {
    "a sentence that is a number": ({**TEXT_ITEM, "sentence": 7}, "sentence: Input should be a valid string"),
    "a split that is a list": ({**TEXT_ITEM, "split": ["dev"]}, "split: Input should be a valid string"),
    "a split that is a number": ({**BLOCK_ITEM, "split": 1.5}, "split: Input should be a valid string"),
    "a language that is a list": ({**TEXT_ITEM, "language": ["en"]}, "language: Input should be a valid string"),
    "a lead-in that is a number": ({**TEXT_ITEM, "lead_in": 7}, "lead_in: Input should be a valid string"),
    "a text that is null": ({**TEXT_ITEM, "text": None}, "text: Input should be a valid string"),
    "a first party that is a mapping": ({**TEXT_ITEM, "first_party": {"k": "v"}},
                                        "first_party: Input should be a valid string"),
    "a kind that is no block kind": ({**TEXT_ITEM, "kind": ["x"]}, "kind: Input should be 'heading', 'paragraph'"),
    "a document that is a number": ({**BLOCK_ITEM, "document": 7}, "document: Input should be a valid string"),
    "a block prefix that is a mapping": ({**BLOCK_ITEM, "block": {"k": "v"}}, "block: Input should be a valid string"),
    "a version that is a number": ({**BLOCK_ITEM, "version": 7}, "version: Input should be a valid date"),
    "negated written as text": ({**TEXT_ITEM, "claims": [{**CLAIM, "negated": "false"}]},
                                "claims[0].negated: Input should be a valid boolean"),
    "a data type that is a mapping": ({**TEXT_ITEM, "claims": [{**CLAIM, "data_type": {"k": "v"}}]},
                                      "claims[0].data_type: Input should be a valid string"),
    "a context of nested lists": ({**TEXT_ITEM, "claims": [{**CLAIM, "context": [["login"]]}]},
                                  "claims[0].context: Input should be a valid string"),
    "header cells that are mappings": ({**TEXT_ITEM, "header": [{"a": 1}], "cells": ["x"]},
                                       "header[0]: Input should be a valid string"),
}


@pytest.mark.parametrize("name", GOLD_TYPES)
def test_a_gold_field_of_the_wrong_type_is_refused_at_its_line(name, base_store, tmp_path):
    item, what = GOLD_TYPES[name]
    proc = check(_gold(item), base_store, tmp_path)
    assert one_line(proc).startswith(f"{tmp_path / 'gold.yaml'}:1: {item['id']}: {what}"), one_line(proc)


def test_a_gold_field_of_another_name_is_named_in_a_warning_and_the_item_still_scored(base_store, tmp_path):
    """A labeller's note is fine, a misspelt ``sentense`` must be seen: one warning line naming file, line, item
    and field; the scores are printed (exit 0)."""
    item = {**TEXT_ITEM, "sentense": "We collect", "note": "x"}
    proc = cli(["eval-claims", str(write(tmp_path / "gold.yaml", json.dumps([item]))), "--db", str(base_store)],
               tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    warnings = [line for line in proc.stderr.splitlines() if "unknown field" in line]
    assert warnings == [f"warning: {tmp_path / 'gold.yaml'}:1: a: unknown field(s) ['note', 'sentense'] ignored"]
    assert "tuples" in proc.stdout


def test_gold_ids_splits_and_data_types_are_printed_as_they_are(base_store, tmp_path):
    """rich read ``[/]`` in a split (the scores table) or an id and data type (``--errors``) as markup:
    MarkupError, a traceback."""
    item = {**TEXT_ITEM, "id": "[/]b", "split": "[/]s", "claims": [{**CLAIM, "data_type": "[/]x"}]}
    proc = cli(["eval-claims", "--errors", str(write(tmp_path / "gold.yaml", json.dumps([item]))),
                "--db", str(base_store)], tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "[/]s" in proc.stdout and "[/]b" in proc.stdout and "'[/]x'" in proc.stdout


def test_a_profile_key_that_is_a_value_is_refused_without_echoing_it(base_store, tmp_path):
    """A value written where its data type id belongs (here an IMEI) is described, never printed; a key shaped like
    an id is still named (``imie``)."""
    capture = write(tmp_path / "a.har", har([ENTRY]))
    for key, shown in ((IMEI, False), ("imie", True)):
        profile = write(tmp_path / "p.yaml", f"device: test\nvalues:\n  '{key}': '{IMEI}'\n")
        proc = check(Case(lambda t, p=profile: ["ingest", "--profile", str(p), str(capture)]), base_store, tmp_path)
        message = one_line(proc)
        assert message.startswith(f"{profile}:3: values"), message
        assert (key in message) == shown and IMEI not in proc.stdout + proc.stderr


def test_run_refuses_a_malformed_profile_before_any_work(base_store, tmp_path):
    """The profile was read only when its captures were ingested, after importing (or scraping) every policy: here
    the policy archive's own error came first, and a good archive was imported and extracted before the refusal."""
    write(tmp_path / "data" / "policies" / "wechat" / "2024-01-01.html", "<div>" * 300 + "We collect your email.")
    write(tmp_path / "data" / "caps" / "a.har", har([ENTRY]))
    profile = write(tmp_path / "p.yaml", "values: {no_such_type: x}\n")
    proc = check(Case(lambda t: ["run", "--data", str(t / "data"), "--profile", f"caps={profile}",
                                 "--out", str(t / "out")]), base_store, tmp_path)
    assert one_line(proc).startswith(f"{profile}:1: values.no_such_type: unknown data type"), one_line(proc)


def test_a_sql_file_in_utf16_without_a_byte_order_mark_is_named(base_store, tmp_path):
    """Its NUL bytes are valid UTF-8: DuckDB's parse error (``syntax error at or near "s\\0e\\0..."``) named no
    file."""
    sql = write(tmp_path / "q.sql", "select count(*) from captures".encode("utf-16-le"))
    proc = check(Case(lambda t: ["sql", "--file", str(sql)]), base_store, tmp_path)
    assert one_line(proc).startswith(f"{sql}: SQL file holds a NUL character (byte 1)")


@pytest.mark.parametrize("count", [1_001, 1_000_000])
def test_a_read_only_sql_file_of_too_many_statements_is_refused_quickly(count, base_store, tmp_path):
    """A million ``select 1;`` took DuckDB's parse 45 s and 1.2 GB and the guard's checks 10 minutes, before
    ``--timeout`` began."""
    sql = write(tmp_path / "q.sql", "select 1;\n" * count)
    started = time.monotonic()
    proc = check(Case(lambda t: ["sql", "--file", str(sql)]), base_store, tmp_path)
    assert time.monotonic() - started < 30
    assert "without --write at most 1,000 statements run" in one_line(proc)
    ok = cli(["sql", "--file", str(write(tmp_path / "ok.sql", "select 1;\n" * 1_000)), "--db", str(base_store)],
             tmp_path)
    assert ok.returncode == 0, ok.stderr[-2000:]


@pytest.mark.parametrize("stdin", [False, True])
def test_a_sql_file_larger_than_the_limit_is_refused_without_reading_it_whole(stdin, base_store, tmp_path):
    """A query file (or standard input) was read whole into memory: a 3 GiB file under a 2.5 GiB limit ended in "out of
    memory" before DuckDB saw a statement. Now at most MAX_SQL_BYTES + 1 bytes are read (a sparse file: the test
    writes no 64 MiB)."""
    sql = tmp_path / "q.sql"
    with sql.open("wb") as handle:
        handle.seek(MAX_SQL_BYTES + 10)
        handle.write(b"select 1;")
    if stdin:
        with sql.open("rb") as handle:
            proc = subprocess.run([sys.executable, "-m", "policycheck", "sql", "--file", "-", "--db", str(base_store)],
                                  stdin=handle, capture_output=True, text=True, timeout=120, cwd=tmp_path)
        assert proc.returncode == 2
        assert one_line(proc) == ("-: SQL file larger than 64 MiB: not a query (load data with read_csv/read_json "
                                  "and --allow-read)")
        return
    proc = check(Case(lambda t: ["sql", "--file", str(sql)]), base_store, tmp_path)
    assert one_line(proc).startswith(f"{sql}: SQL file larger than 64 MiB")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_a_key_log_in_utf16_without_a_byte_order_mark_is_named(tmp_path, encoding):
    """JSON guessed its first line's encoding and read one entry; every other line (starting with a NUL) was skipped
    as Frida's chatter: no word about the key log, only records left undecrypted."""
    original = require_shared("datasets", "citizenlab-wechat-security-2024", "frida-logged-in-all-keys.log")
    converted = write(tmp_path / "keys.log", original.read_text(encoding="utf-8").encode(encoding))
    log = mmtls.KeyLog.read(converted)
    assert log.entries == 0 and [(p.line, p.problem.split(",")[0]) for p in log.problems] == [
        (1, "key log is UTF-16 text without a byte-order mark")]
    assert mmtls.KeyLog.read(original).entries > 0


def test_every_gold_file_of_the_project_still_loads():
    """The typed fields refuse nothing the project's own gold files hold."""
    from policycheck.claims.evaluate import load_gold

    require_shared("datasets", "opp115-dev")  # items quoting OPP-115 segments read them from ../shared
    files = sorted(Path(__file__).parent.glob("gold/**/*.yaml"))
    assert files
    assert len(load_gold(files)) > 1_000
