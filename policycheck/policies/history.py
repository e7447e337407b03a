"""Read-side summaries of the policy tables: a document's versions, change events and quarantined captures."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb


@dataclass
class DocumentHistory:
    document_id: str
    url: str | None
    versions: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    quarantined: list[dict[str, Any]] = field(default_factory=list)


def _dicts(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def document_history(con: duckdb.DuckDBPyConnection, document_id: str | None = None) -> list[DocumentHistory]:
    """Every document (or one), each with its versions (ordered by first seen, with block counts), its change
    events and its quarantined snapshots."""
    docs = _dicts(con, "select document_id, url from documents where ? is null or document_id = ? "
                       "order by document_id", [document_id, document_id])
    out = []
    for doc in docs:
        did = doc["document_id"]
        history = DocumentHistory(did, doc["url"])
        history.versions = _dicts(con, "select v.version_id, v.effective_date, v.first_seen, v.last_seen, v.origin, "
                                       "v.sha256, count(b.block_id) as blocks from versions v left join blocks b "
                                       "using (version_id) where v.document_id = ? group by all order by first_seen",
                                  [did])
        history.changes = _dicts(con, "select observed_at, from_version_id, to_version_id from changes "
                                      "where document_id = ? order by observed_at", [did])
        history.quarantined = _dicts(con, "select observed_at, source, reason from snapshots where document_id = ? "
                                          "and status = 'quarantined' order by observed_at", [did])
        out.append(history)
    return out
