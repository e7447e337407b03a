"""The linear gap SQL of issue 16 gives what the SQL before it gave, on the real data (../shared).

``tests/gaps/reference/gaps_pre16.sql`` is the gap SQL as it stood before issue 16 (the pairwise
``capture_overlaps`` view, the ASOF join, flow lists carried through the classification, one evaluation for the
rows and another for the history). It is installed as temporary objects on a second connection to the main job's
store, shadowing the package's, and every gap row (all columns), the policy history and the whole report are
compared. Lists without an order of their own (``languages``) are compared sorted.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from policycheck import store
from policycheck.gaps.classify import GAP_COLUMNS, SEVERITY, Judgement, gap_rows, history, rows_at
from policycheck.reports import context as context_mod
from policycheck.reports.build import build_report
from policycheck.reports.write import to_json
from policycheck.store import fetch_dicts
from tests.benchmarks.synthetic import grow

REFERENCE = Path(__file__).with_name("reference") / "gaps_pre16.sql"
_CREATE = re.compile(r"^((?:\s|--[^\n]*\n)*create\s+or\s+replace)\s+(?=view|macro)", re.IGNORECASE)


@pytest.fixture(scope="module")
def reference(real_store):
    con = real_store.cursor()
    for statement in con.extract_statements(REFERENCE.read_text(encoding="utf-8")):
        con.execute(_CREATE.sub(r"\1 temp ", statement.query, count=1))
    yield con
    con.close()


def reference_history(con, judgement: Judgement) -> dict[tuple, list[dict[str, Any]]]:
    """classify.history as it was: gap_verdicts(null, true) joined with version_validity (it needed more memory
    than the store's limit: about 0.9 GB on the real data)."""
    con.execute("set memory_limit = '4GB'")
    try:
        rows = con.execute("""
            select g.recipient, g.data_type, g.feature, g.scenario, g.version_id, vv.valid_from, vv.language,
                   g.disclosure, g.handoff_verdict, g.claim_ids, g.flow_count, vv.document_id
            from gap_verdicts(null, true, mode := ?, min_confidence := ?) g join version_validity vv using (version_id)
            order by g.recipient, g.data_type, g.feature, g.scenario, vv.valid_from, vv.version_id
        """, [judgement.mode, judgement.min_confidence]).fetchall()
    finally:
        store.limit_memory(con)
    out: dict[tuple, list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault(r[:4], []).append({"version_id": r[4], "valid_from": r[5], "language": r[6],
                                          "disclosure": r[7], "handoff_verdict": r[8], "claim_ids": r[9],
                                          "flow_count": r[10], "document_id": r[11]})
    return out


def reference_rows(con, as_of: date | None = None, judgement: Judgement | None = None, explain: bool = False
                   ) -> list[dict[str, Any]]:
    """classify.gap_rows as it was: the reference's gap_verdicts, ordered by class severity, then flow count."""
    judgement = judgement or Judgement()
    return fetch_dicts(con, f"""
        select {', '.join(GAP_COLUMNS)}
        from gap_verdicts(?::date, false, mode := ?, min_confidence := ?, explain := ?)
        order by array_position(?::varchar[], disclosure), flow_count desc, recipient, data_type, feature, scenario
    """, [as_of or judgement.as_of, judgement.mode, judgement.min_confidence, explain, list(SEVERITY)])


def normal(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: sorted(v) if k == "languages" else v for k, v in r.items()} for r in rows]


JUDGEMENTS = [
    ({}, "default"),
    ({"explain": True}, "explain"),
    ({"as_of": date(2020, 6, 1)}, "as of 2020-06-01"),
    ({"as_of": date(2023, 1, 1)}, "as of 2023-01-01"),
    ({"judgement": Judgement(mode="permissive")}, "permissive"),
    ({"judgement": Judgement(mode="strict")}, "strict"),
    ({"judgement": Judgement(min_confidence=0.3)}, "confidence 0.3"),
]


@pytest.mark.parametrize(("options", "label"), JUDGEMENTS, ids=[label for _, label in JUDGEMENTS])
def test_gap_rows_equal_the_reference(real_store, reference, options, label):
    new, old = gap_rows(real_store, **options), reference_rows(reference, **options)
    assert len(new) > 500
    assert normal(new) == normal(old), label  # same rows, same order (severity, flow count, key)


@pytest.mark.parametrize("mode", ["intermediate", "permissive"])
def test_history_equals_the_reference(real_store, reference, mode):
    judgement = Judgement(mode=mode)
    new = history(real_store, judgement)
    assert new == reference_history(reference, judgement)
    assert sum(len(steps) for steps in new.values()) > len(new)  # several versions per group


def test_report_equals_the_report_from_the_reference(real_store, reference, monkeypatch):
    """The report evaluates the gaps once (rows and history together); the report built from the reference's
    two evaluations is the same, byte for byte but for its generation time."""
    new = json.loads(to_json(build_report(real_store, "real")))
    monkeypatch.setattr(context_mod, "rows_and_history",
                        lambda con, judgement, flow_arrays=False: (reference_rows(reference, judgement=judgement),
                                                reference_history(reference, judgement or Judgement())))
    old = json.loads(to_json(build_report(real_store, "real")))
    for report in (new, old):
        report.pop("generated_at")
    assert new["gaps"] and new["history_by_version"]
    assert new == old


def _joins(con) -> tuple[int, int]:
    """The largest join output and the sum of all join outputs of the gap query (rows and history together),
    from EXPLAIN ANALYZE."""
    plan = con.execute("explain (analyze, format json) select * from gap_judgements(null, true, true)").fetchall()
    outputs = []

    def walk(node: dict[str, Any]) -> None:
        if "JOIN" in node["type"] or "PRODUCT" in node["type"]:
            outputs.append(node["intermediate_rows"])
        for child in node.get("children", []):
            walk(child)

    for node in json.loads(plan[0][1])["operator"]:
        walk(node)
    return max(outputs), sum(outputs)


def test_no_join_grows_with_the_product_of_two_tables(real_store, tmp_path):
    """EXPLAIN ANALYZE of the gap query on the real data and on it with every capture copied three more times
    (four times the distinct flows): no join grows faster than the data (a join of two tables that both grow
    would grow 16-fold). README "Scale" says what was checked. ``explain`` is left out: removing each deciding
    claim in turn is quadratic in a judgement's claims by definition, bounded by the policy, not the captures."""
    real_store.execute("checkpoint")
    copy = tmp_path / "grown.duckdb"
    shutil.copy(real_store.execute("select path from duckdb_databases() where database_name = current_database()"
                                   ).fetchall()[0][0], copy)
    grown = store.open_store(copy, store.WRITE)
    grow(grown, 3)
    flows = [c.execute("select count(*) from distinct_flows").fetchall()[0][0] for c in (real_store, grown)]
    assert flows[1] >= 3.9 * flows[0]
    (largest, total), (largest_grown, total_grown) = _joins(real_store), _joins(grown)
    assert largest_grown <= 4.2 * largest
    assert total_grown <= 4.2 * total


def test_rows_at_several_dates_equal_gap_rows_as_of(real_store):
    """Re-judging evaluates all its dates at once (rows_at): the rows of each date are gap_rows(as_of=date)'s."""
    days = [date(2020, 6, 1), date(2022, 1, 1), date(2023, 6, 1)]
    at = rows_at(real_store, days)
    for day in days:
        assert at[day] == [dict(r, flow_ids=None, header_only_flow_ids=None) for r in gap_rows(real_store, as_of=day)]
    assert {r["version_id"] for r in at[days[0]]} != {r["version_id"] for r in at[days[2]]}
