"""Disclosure gaps: installs the SQL of ``gaps.sql`` and reads its results.

The classification itself is SQL (``gaps.sql``): the ``gaps`` view, the ``gap_judgements(as_of, current_rows,
history_rows, mode, min_confidence, explain, dates)`` table macro behind it (``gap_verdicts(as_of, all_versions, ...)``
returns one of its two row sets), and the helper views ``version_validity``,
``feature_governance``, ``account_policies``, ``ontology_roots`` and ``claim_data_coverage``. This module
installs them and runs filtered queries.

Consistency modes (:data:`MODES`; after PoliCheck's consistency models, Andow et al., USENIX Security 2020,
whose intermediate model ignores statements whose data type or entity is an ontology root):

- ``permissive``: every statement counts, root terms ("we use your information", "we share data with third
  parties") included;
- ``intermediate`` (default): statements whose data type is the data-type root (``personal_information``) or
  whose covering party is an entity root (``third_party``, ``tencent_group``, ``other_users``) are ignored; a
  flow covered only by them is ``omitted`` (label ``root_terms_only``, the sentences in
  ``root_term_claim_ids``);
- ``strict``: as intermediate, and only a statement naming the data type itself (or a defined term listing
  it) and the receiving party itself discloses; nothing is ``vague``.

Scope exclusions and hand-offs concern a feature or a party, not a data type: they apply in every mode, and a
first-party statement about the excluded feature outweighs the exclusion whatever data term it uses. A scope
exclusion is not contradicted by data the platform receives only in the request header its client sends whatever
the feature (``envelope_only``: every observation of the row lies in a message marked ``envelope`` in
``mappings/endpoints.yaml``, WeChat's BaseRequest; Citizen Lab 2023, "Tracking during regular application usage",
Table 1): such a row is judged by the policy's other statements like any flow to the platform.

Disclosure classes (``../shared/design.md``; PoliCheck, Andow et al., USENIX Security 2020), for a group of
observations (recipient r, data type d, feature f, scenario) judged against the governing policy's version in
force at the flows' time:

- ``handed_off``: f is governed by another policy than the account's (a feature operated by Weixin seen on a
  WeChat account); ``handoff_verdict`` holds the class under that policy;
- ``incorrect``: the policy takes f out of its scope and attributes it to another party while r is the
  platform itself (label ``undisclosed_first_party_<feature>``), or a negative claim covers (r, d, f)
  (label ``contradicts_negative_claim``): a negated ``collect`` by r, or a negated share/transfer to r (a
  negated use, process or retention limits what happens after receipt and does not count);
- ``ambiguous``: positive and negative claims both cover (r, d, f);
- ``clear``: a positive claim names d exactly (or a defined term whose definition lists d) with r as actor
  (or recipient of a share);
- ``vague``: positive claims cover (r, d, f) only through an ancestor of d or a generic actor;
- ``omitted``: no claim covers (r, d, f).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from policycheck.errors import PolicycheckError, unknown_value
from policycheck.store import fetch_dicts, install_derived

CLASSES = ("clear", "vague", "ambiguous", "incorrect", "omitted", "handed_off")
SEVERITY = ("incorrect", "omitted", "ambiguous", "handed_off", "vague", "clear")  # worst first
MODES = ("permissive", "intermediate", "strict")
DEFAULT_MODE = "intermediate"
# Observations below this confidence are not judged (README "Detection confidence" states how each detector's
# confidence is derived); they are listed apart in the report as lower-confidence detections.
DEFAULT_MIN_CONFIDENCE = 0.5
GAP_COLUMNS = ("recipient", "data_type", "feature", "scenario", "disclosure", "label", "governing_document",
               "version_id", "version_ids", "claim_ids", "flow_count", "observation_count", "handoff_verdict",
               "handoff_label", "account_policy", "languages", "version_basis", "first_time", "last_time",
               "flow_ids", "header_only_flow_ids", "root_term_claim_ids", "pivotal_claims", "consistency_mode",
               "min_confidence", "envelope_only", "exclusion_set_aside")


def decided_by_exclusion(label: str | None) -> bool:
    """Whether a gap row's ``label`` is that of a verdict a scope exclusion decided
    (``undisclosed_first_party_<feature>``, made by ``gaps.sql``'s ``verdicts``)."""
    return (label or "").startswith("undisclosed_first_party_")


def install(con: duckdb.DuckDBPyConnection) -> None:
    """Create (or replace) the gap views and macro in the store (a write connection). Idempotent; cheap.

    Commands need not call it: :func:`policycheck.store.open_store` installs them on a write open when
    ``gaps.sql`` changed, and a read open creates them as temporary objects when the store's are stale.
    """
    install_derived(con)


def handoff_claims(con: duckdb.DuckDBPyConnection, policy_id: str, feature: str, day: date) -> list[int]:
    """The claim ids by which the version(s) of ``policy_id`` in force on ``day`` hand ``feature`` over to another
    policy (view ``handoff_claims`` of ``gaps.sql``: scope exclusions whose context is the feature or an ancestor
    below the root), the most specific context first (the feature itself before "features operated by Weixin"),
    then in claim order. ``[]`` when that version hands nothing over. Raises :class:`duckdb.Error` only on a
    damaged store."""
    rows = con.execute("""
        select hc.claim_id from handoff_claims hc join version_validity vv using (version_id)
        where vv.policy_id = ? and hc.feature = ? and vv.valid_from <= ? and (vv.valid_to is null or vv.valid_to > ?)
        order by hc.context_depth, hc.claim_id""", [policy_id, feature, day, day]).fetchall()
    return [r[0] for r in rows]


@dataclass(frozen=True)
class Judgement:
    """How flows are judged: ``as_of`` (None: each flow at its own time; a date: every flow at that date),
    ``mode`` (:data:`MODES`), ``min_confidence`` (in [0, 1]: observations below it are not judged)."""

    as_of: date | None = None
    mode: str = DEFAULT_MODE
    min_confidence: float = DEFAULT_MIN_CONFIDENCE

    def validate(self) -> None:
        """Raises :class:`PolicycheckError` for an unknown mode or a confidence outside [0, 1]."""
        if self.mode not in MODES:
            raise PolicycheckError("--mode", f"unknown consistency mode {self.mode!r}; use {', '.join(MODES)}")
        if not 0 <= self.min_confidence <= 1:
            raise PolicycheckError("--min-confidence", f"{self.min_confidence} is not in [0, 1]")


@dataclass
class GapFilter:
    """Filters of ``policycheck gaps``: each a set of allowed values, empty = all."""

    classes: tuple[str, ...] = ()
    features: tuple[str, ...] = ()
    data_types: tuple[str, ...] = ()
    scenarios: tuple[str, ...] = ()

    def validate(self) -> None:
        unknown = set(self.classes) - set(CLASSES)
        if unknown:
            raise unknown_value("--class", "disclosure class", unknown, CLASSES)


def failing(rows: list[dict[str, Any]], classes: tuple[str, ...]) -> list[dict[str, Any]]:
    """Rows whose class, or for handed-off rows the verdict under the governing policy, is in ``classes``
    (the ``--fail-on`` rule). Raises :class:`PolicycheckError` for an unknown class name."""
    unknown = set(classes) - set(CLASSES)
    if unknown:
        raise unknown_value("--fail-on", "disclosure class", unknown, CLASSES)
    return [r for r in rows if r["disclosure"] in classes or r["handoff_verdict"] in classes]


_FILTERED = """
    select {columns}
    from gap_judgements(?::date, ?, ?, mode := ?, min_confidence := ?, explain := ?) g
    left join version_validity vv on g.version_basis = 'history' and vv.version_id = g.version_id
    where (g.version_basis = 'history'
           or ((len(?::varchar[]) = 0 or list_contains(?::varchar[], disclosure)
                or list_contains(?::varchar[], handoff_verdict))
               and (len(?::varchar[]) = 0 or exists (select 1 from feature_closure fc where fc.descendant = g.feature
                                                     and list_contains(?::varchar[], fc.ancestor)))
               and (len(?::varchar[]) = 0 or exists (select 1 from data_type_closure dc
                                                     where dc.descendant = g.data_type
                                                     and list_contains(?::varchar[], dc.ancestor)))
               and (len(?::varchar[]) = 0 or list_contains(?::varchar[], scenario))))
    order by g.version_basis = 'history',
             case when g.version_basis <> 'history' then array_position(?::varchar[], disclosure) end,
             case when g.version_basis <> 'history' then flow_count end desc,
             recipient, data_type, feature, scenario, vv.valid_from, vv.version_id
"""
GROUP_KEY = ("recipient", "data_type", "feature", "scenario")
FLOW_ID_COLUMNS = ("flow_ids", "header_only_flow_ids")  # lists of request ids: numpy arrays with flow_arrays
HISTORY_COLUMNS = ("version_id", "valid_from", "language", "disclosure", "handoff_verdict", "claim_ids",
                   "flow_count", "document_id")


def _fetch_with_flow_arrays(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    """Like :func:`fetch_dicts`, but each row's ``flow_ids`` and ``header_only_flow_ids`` are numpy int64 arrays
    (views into one buffer for all rows) or None: millions of request ids at scale without a Python object each.
    History rows (tens of thousands at scale) hold only the columns :func:`_judged` keeps of them."""
    table = con.sql(sql, params=params).to_arrow_table()  # a relation: no extra copy of a DB-API result
    past = pc.equal(table.column("version_basis"), "history")
    current = len(table) - pc.sum(past).as_py() if len(table) else 0
    if pc.any(past.slice(0, current)).as_py():  # not ordered current rows first (_FILTERED orders them so)
        table, history = table.filter(pc.invert(past)), table.filter(past)
    else:  # slices: no copy
        table, history = table.slice(0, current), table.slice(current)
    arrays = {}
    for column in FLOW_ID_COLUMNS:
        flows = table.column(column).combine_chunks()
        arrays[column] = (flows.offsets.to_numpy(),
                          flows.values.to_numpy(zero_copy_only=False).astype(np.int64, copy=False),
                          flows.is_valid().to_numpy(zero_copy_only=False))
        # as nulls, so that each row keeps the columns' order with the ids in their place, then filled
        table = table.set_column(table.schema.get_field_index(column), column, pa.nulls(len(table)))
    rows = table.to_pylist()
    for column, (offsets, values, valid) in arrays.items():
        for i, row in enumerate(rows):
            row[column] = values[offsets[i]:offsets[i + 1]] if valid[i] else None
    return rows + history.select([*GROUP_KEY, "version_basis", *HISTORY_COLUMNS]).to_pylist()


def _judged(con: duckdb.DuckDBPyConnection, as_of: date | None, where: GapFilter | None,
            judgement: Judgement | None, explain: bool, current: bool, with_history: bool,
            flow_arrays: bool = False
            ) -> tuple[list[dict[str, Any]], dict[tuple[str, str, str, str], list[dict[str, Any]]]]:
    where = where or GapFilter()
    where.validate()
    judgement = judgement or Judgement()
    judgement.validate()
    columns = ", ".join([*(f"g.{c}" for c in GAP_COLUMNS), "vv.valid_from", "vv.language", "vv.document_id"])
    c, f, d, s = (list(where.classes), list(where.features), list(where.data_types), list(where.scenarios))
    params = [as_of or judgement.as_of, current, with_history, judgement.mode, judgement.min_confidence, explain,
              c, c, c, f, f, d, d, s, s, list(SEVERITY)]
    fetch = _fetch_with_flow_arrays if flow_arrays else fetch_dicts
    rows = fetch(con, _FILTERED.format(columns=columns), params)
    current_rows: list[dict[str, Any]] = []
    steps: dict[tuple[str, str, str, str], list[dict[str, Any]]] = {}
    for r in rows:
        if r["version_basis"] != "history":
            for extra in ("valid_from", "language", "document_id"):
                del r[extra]
            current_rows.append(r)
        else:
            key = tuple(r[k] for k in GROUP_KEY)
            steps.setdefault(key, []).append({k: r[k] for k in HISTORY_COLUMNS})
    return current_rows, steps


def gap_rows(con: duckdb.DuckDBPyConnection, as_of: date | None = None, where: GapFilter | None = None,
             judgement: Judgement | None = None, explain: bool = False, flow_arrays: bool = False
             ) -> list[dict[str, Any]]:
    """The gap rows (dicts with :data:`GAP_COLUMNS`), judged at each flow's time or at ``as_of``.

    ``judgement`` gives the mode and minimum confidence (its ``as_of`` is used when ``as_of`` is None).
    ``explain`` fills ``pivotal_claims``: ``[{claim_id, verdict_without}]``, each claim whose removal alone
    would change the verdict (``[]`` when none alone would; None without ``explain``). Filters match the row's
    class (``disclosure`` or, for handed-off rows, ``handoff_verdict``), feature (or any descendant of the
    named feature), data type (or descendant) and scenario; a feature, data type or scenario the store does not
    have matches nothing (no error here; the ``gaps`` command refuses an unknown feature or data type id
    first). Ordered by class severity, then flow count.
    ``flow_arrays``: each row's ``flow_ids`` as a numpy int64 array instead of a list (no Python object per
    request). Raises :class:`PolicycheckError` for an unknown class or mode.
    """
    return _judged(con, as_of, where, judgement, explain, True, False, flow_arrays)[0]


def history(con: duckdb.DuckDBPyConnection,
            judgement: Judgement | None = None) -> dict[tuple[str, str, str, str], list[dict[str, Any]]]:
    """For every gap group (recipient, data_type, feature, scenario): its class under each version of its
    governing policy, ordered by when the version became valid. Output values: dicts with ``version_id``,
    ``document_id``, ``valid_from``, ``language``, ``disclosure``, ``handoff_verdict``, ``claim_ids``,
    ``flow_count``."""
    return _judged(con, None, None, judgement, False, False, True)[1]


def rows_at(con: duckdb.DuckDBPyConnection, days: list[date], judgement: Judgement | None = None
            ) -> dict[date, list[dict[str, Any]]]:
    """For each date of ``days``: the gap rows with every flow judged at that date, as :func:`gap_rows` with
    ``as_of`` gives them but with ``flow_ids`` None, from one evaluation for all the dates (what re-judging on
    policy change compares). Output: ``{day: [row dicts with GAP_COLUMNS]}``."""
    judgement = judgement or Judgement()
    judgement.validate()
    out: dict[date, list[dict[str, Any]]] = {day: [] for day in days}
    if not days:
        return out
    rows = fetch_dicts(con, f"""
        select {', '.join(GAP_COLUMNS)}, judged_at
        from gap_judgements(null, false, false, mode := ?, min_confidence := ?, dates := ?::date[])
        order by judged_at, array_position(?::varchar[], disclosure), flow_count desc, recipient, data_type,
                 feature, scenario""", [judgement.mode, judgement.min_confidence, sorted(set(days)), list(SEVERITY)])
    for r in rows:
        out[r.pop("judged_at")].append(r)
    return out


def rows_and_history(con: duckdb.DuckDBPyConnection, judgement: Judgement | None = None, flow_arrays: bool = False
                     ) -> tuple[list[dict[str, Any]], dict[tuple[str, str, str, str], list[dict[str, Any]]]]:
    """:func:`gap_rows` under ``judgement`` and :func:`history`, from one evaluation of the gaps (the
    observations keyed and the claims matched once for both; what a report reads). ``flow_arrays``: each row's
    ``flow_ids`` as a numpy int64 array instead of a list."""
    return _judged(con, None, None, judgement, False, True, True, flow_arrays)


def filter_rows(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]], where: GapFilter
                ) -> list[dict[str, Any]]:
    """Rows computed elsewhere (Spark) filtered and ordered as :func:`gap_rows` filters and orders its own; the
    ontology closures are read from ``con``."""
    def descendants(closure: str, ancestors: tuple[str, ...]) -> set[str] | None:
        if not ancestors:
            return None
        found = con.execute(f"select distinct descendant from {closure} where list_contains(?, ancestor)",
                            [list(ancestors)]).fetchall()
        return {r[0] for r in found}
    features = descendants("feature_closure", where.features)
    data_types = descendants("data_type_closure", where.data_types)
    kept = [r for r in rows
            if (not where.classes or r["disclosure"] in where.classes or r["handoff_verdict"] in where.classes)
            and (features is None or r["feature"] in features)
            and (data_types is None or r["data_type"] in data_types)
            and (not where.scenarios or r["scenario"] in where.scenarios)]
    return sorted(kept, key=lambda r: (SEVERITY.index(r["disclosure"]) if r["disclosure"] in SEVERITY else 99,
                                       -r["flow_count"], r["recipient"], r["data_type"], r["feature"],
                                       r["scenario"]))
