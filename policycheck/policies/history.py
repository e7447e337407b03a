"""Read-side summaries of the policy tables: a document's versions and quarantined captures."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from policycheck.errors import PolicycheckError
from policycheck.store import fetch_dicts


@dataclass
class DocumentHistory:
    document_id: str
    url: str | None
    versions: list[dict[str, Any]] = field(default_factory=list)
    quarantined: list[dict[str, Any]] = field(default_factory=list)


VERSIONS = """
    select v.version_id, v.effective_date, v.first_seen, v.last_seen, v.origin, v.sha256,
           count(b.block_id) as blocks
    from versions v left join blocks b using (version_id)
    where v.document_id = ? group by all order by first_seen"""
QUARANTINED = """
    select observed_at, source, reason from snapshots
    where document_id = ? and status = 'quarantined' order by observed_at"""


def document_history(con: duckdb.DuckDBPyConnection, document_id: str | None = None) -> list[DocumentHistory]:
    """Every document (or one), each with its versions (ordered by first seen, with block counts) and its
    quarantined snapshots. Raises :class:`PolicycheckError` for a ``document_id`` the store does not have (an empty
    listing once looked like a document without versions)."""
    docs = fetch_dicts(con, "select document_id, url from documents where ? is null or document_id = ? "
                            "order by document_id", [document_id, document_id])
    if document_id is not None and not docs:
        known = [r[0] for r in con.execute("select document_id from documents order by 1").fetchall()]
        raise PolicycheckError(document_id, f"no such document (known: {', '.join(known) or 'none'})")
    return [DocumentHistory(d["document_id"], d["url"], fetch_dicts(con, VERSIONS, [d["document_id"]]),
                            fetch_dicts(con, QUARANTINED, [d["document_id"]])) for d in docs]
