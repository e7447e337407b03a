"""The ``policycheck flows`` summary: requests per scenario and feature with what they carried, to whom.

Filters take ontology ids and include descendants (``--data-type device_identifier`` covers ``imei``,
``android_id`` ...; ``--feature mini_programs`` covers ``mini_games``) through the closure tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from policycheck.errors import PolicycheckError
from policycheck.flows.ingest import UNDECODED


@dataclass(frozen=True)
class SummaryRow:
    scenario: str
    feature: str
    requests: int
    decoded_share: float  # 0..1: share of requests whose body decoded
    data_types: list[str]  # distinct data types observed (at or above the confidence floor)
    recipients: list[str]


_ID_TABLES = {"data_type": ("--data-type", "data_types"), "feature": ("--feature", "features")}


def check_ids(con: duckdb.DuckDBPyConnection, **ids: str | None) -> None:
    """Check that each given ontology id (``data_type=``, ``feature=``; None: not given) is in the store's
    ontology tables. Raises :class:`PolicycheckError` naming the option and the table to look in."""
    for kind, value in ids.items():
        if value is None:
            continue
        option, table = _ID_TABLES[kind]
        if not con.execute(f"select count(*) from {table} where id = ?", [value]).fetchall()[0][0]:
            raise PolicycheckError(option, f"unknown id {value!r} (see table {table})")


def summarize(con: duckdb.DuckDBPyConnection, data_type: str | None = None, feature: str | None = None,
              min_confidence: float = 0.5) -> list[SummaryRow]:
    """Rows per (scenario, feature), ordered by scenario and descending request count.

    Inputs: optional ``data_type`` / ``feature`` ontology ids (descendants included; with ``data_type``
    only flows that carried it are counted and only matching types listed), ``min_confidence`` floor
    for observations (0..1). Scenarios of ``capture_aliases`` are not repeated: an alias's flows are
    those of the capture it duplicates. Raises :class:`PolicycheckError` for an id the store's ontology does
    not know (named with its option, ``--data-type`` or ``--feature``).
    """
    check_ids(con, data_type=data_type, feature=feature)
    undecoded = list(UNDECODED)
    rows = con.execute(
        """
        with scoped as (
            select f.flow_id, c.scenario, f.feature, f.recipient, f.decode_status
            from flows f join captures c using (capture_id)
            where ($feature is null or f.feature in
                   (select descendant from feature_closure where ancestor = $feature))
        ), obs as (
            select o.flow_id, o.data_type from observations o
            where o.confidence >= $floor
              and ($data_type is null or o.data_type in
                   (select descendant from data_type_closure where ancestor = $data_type))
        )
        select s.scenario, s.feature, count(distinct s.flow_id) as requests,
               count(distinct s.flow_id) filter (where s.decode_status not in (select unnest($undecoded)))
                   / count(distinct s.flow_id) as decoded_share,
               coalesce(list_sort(list_distinct(
                   list(o.data_type) filter (where o.data_type is not null))), []) as data_types,
               list_sort(list_distinct(list(s.recipient))) as recipients
        from scoped s left join obs o on o.flow_id = s.flow_id
        where $data_type is null or o.flow_id is not null
        group by s.scenario, s.feature
        order by s.scenario, requests desc, s.feature
        """,
        {"feature": feature, "data_type": data_type, "floor": min_confidence, "undecoded": undecoded},
    ).fetchall()
    return [SummaryRow(r[0], r[1], r[2], float(r[3]), list(r[4]), list(r[5])) for r in rows]
