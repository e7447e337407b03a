"""Disclosure gaps: installs the SQL of ``gaps.sql`` and reads its results.

The classification itself is SQL (``gaps.sql``): the ``gaps`` view, the ``gap_verdicts(as_of, all_versions,
mode, min_confidence, explain)`` table macro behind it, and the helper views ``version_validity``,
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
first-party statement about the excluded feature outweighs the exclusion whatever data term it uses.

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

from policycheck.errors import PolicycheckError
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
               "flow_ids", "root_term_claim_ids", "pivotal_claims", "consistency_mode", "min_confidence")


def install(con: duckdb.DuckDBPyConnection) -> None:
    """Create (or replace) the gap views and macro in the store (a write connection). Idempotent; cheap.

    Commands need not call it: :func:`policycheck.store.open_store` installs them on a write open when
    ``gaps.sql`` changed, and a read open creates them as temporary objects when the store's are stale.
    """
    install_derived(con)


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
            raise PolicycheckError("--class", f"unknown disclosure class(es) {sorted(unknown)}; use {CLASSES}")


def failing(rows: list[dict[str, Any]], classes: tuple[str, ...]) -> list[dict[str, Any]]:
    """Rows whose class, or for handed-off rows the verdict under the governing policy, is in ``classes``
    (the ``--fail-on`` rule). Raises :class:`PolicycheckError` for an unknown class name."""
    unknown = set(classes) - set(CLASSES)
    if unknown:
        raise PolicycheckError("--fail-on", f"unknown class(es) {sorted(unknown)}; use {', '.join(CLASSES)}")
    return [r for r in rows if r["disclosure"] in classes or r["handoff_verdict"] in classes]


def gap_rows(con: duckdb.DuckDBPyConnection, as_of: date | None = None, where: GapFilter | None = None,
             judgement: Judgement | None = None, explain: bool = False) -> list[dict[str, Any]]:
    """The gap rows (dicts with :data:`GAP_COLUMNS`), judged at each flow's time or at ``as_of``.

    ``judgement`` gives the mode and minimum confidence (its ``as_of`` is used when ``as_of`` is None).
    ``explain`` fills ``pivotal_claims``: ``[{claim_id, verdict_without}]``, each claim whose removal alone
    would change the verdict (``[]`` when none alone would; None without ``explain``). Filters match the row's
    class (``disclosure`` or, for handed-off rows, ``handoff_verdict``), feature (or any descendant of the
    named feature), data type (or descendant) and scenario. Ordered by class severity, then flow count.
    Raises :class:`PolicycheckError` for an unknown class or mode.
    """
    where = where or GapFilter()
    where.validate()
    judgement = judgement or Judgement()
    judgement.validate()
    sql = f"""
        select {', '.join(GAP_COLUMNS)}
        from gap_verdicts(?::date, false, mode := ?, min_confidence := ?, explain := ?) g
        where (len(?::varchar[]) = 0 or list_contains(?::varchar[], disclosure)
               or list_contains(?::varchar[], handoff_verdict))
          and (len(?::varchar[]) = 0 or exists (select 1 from feature_closure fc where fc.descendant = g.feature
                                                and list_contains(?::varchar[], fc.ancestor)))
          and (len(?::varchar[]) = 0 or exists (select 1 from data_type_closure dc where dc.descendant = g.data_type
                                                and list_contains(?::varchar[], dc.ancestor)))
          and (len(?::varchar[]) = 0 or list_contains(?::varchar[], scenario))
        order by array_position(?::varchar[], disclosure),
                 flow_count desc, recipient, data_type, feature, scenario
    """
    c, f, d, s = (list(where.classes), list(where.features), list(where.data_types), list(where.scenarios))
    return fetch_dicts(con, sql, [as_of or judgement.as_of, judgement.mode, judgement.min_confidence, explain,
                                  c, c, c, f, f, d, d, s, s, list(SEVERITY)])


def history(con: duckdb.DuckDBPyConnection,
            judgement: Judgement | None = None) -> dict[tuple[str, str, str, str], list[dict[str, Any]]]:
    """For every gap group (recipient, data_type, feature, scenario): its class under each version of its
    governing policy, ordered by when the version became valid. Output values: dicts with ``version_id``,
    ``document_id``, ``valid_from``, ``language``, ``disclosure``, ``handoff_verdict``, ``claim_ids``,
    ``flow_count``."""
    judgement = judgement or Judgement()
    judgement.validate()
    rows = con.execute("""
        select g.recipient, g.data_type, g.feature, g.scenario, g.version_id, vv.valid_from, vv.language,
               g.disclosure, g.handoff_verdict, g.claim_ids, g.flow_count, vv.document_id
        from gap_verdicts(null, true, mode := ?, min_confidence := ?) g join version_validity vv using (version_id)
        order by g.recipient, g.data_type, g.feature, g.scenario, vv.valid_from
    """, [judgement.mode, judgement.min_confidence]).fetchall()
    out: dict[tuple[str, str, str, str], list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault(r[:4], []).append({"version_id": r[4], "valid_from": r[5], "language": r[6],
                                          "disclosure": r[7], "handoff_verdict": r[8], "claim_ids": r[9],
                                          "flow_count": r[10], "document_id": r[11]})
    return out
