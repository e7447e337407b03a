"""English aid for quotes in another language: the matching clause of the English text of the same policy.

A policy published in several languages is one ``policy_id`` with one document per language
(``weixin-privacy-policy-zh``, ``weixin-privacy-policy-en``). Numbered policies keep their clause numbers across
translations (the Weixin Privacy Protection Guidelines number every clause: 1.2, 1.20, ...), so the English
clause of a Chinese sentence is the block of the English version whose section path ends in the same clause
number. The English version chosen is the one in force when the quoted version became valid (else the
earliest English version). Within the clause, a block whose claims share an action and data type with the
quoted sentence's claim is preferred. No English text stored, or no clause with that number: no aid (None).
"""

from __future__ import annotations

import re
from typing import Any

import duckdb

from policycheck.store import fetch_dicts

_CLAUSE = re.compile(r"^\s*(\d+(?:\.\d+)*)(?=[.\s、．)]|$)")


def clause_number(section_path: str | None) -> str | None:
    """The clause number of a section path's last part: '1.我们收集、使用的信息 > 1.2' -> '1.2';
    '2. SCOPE AND APPLICATION' -> '2'; no number -> None."""
    if not section_path:
        return None
    match = _CLAUSE.match(section_path.split(" > ")[-1])
    return match.group(1) if match else None


def english_clauses(con: duckdb.DuckDBPyConnection,
                    sentences: list[tuple[str, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """For each ``(sentence id, one of its claims)`` of a non-English sentence: the English clause
    ``{text, document_id, version_id, section_path, clause}``; sentences without a match are left out.
    The claim rows need ``version_id``, ``section_path``, ``action`` and ``data_type``."""
    wanted = [(sid, c, clause_number(c["section_path"])) for sid, c in sentences]
    wanted = [(sid, c, n) for sid, c, n in wanted if n]
    if not wanted:
        return {}
    versions = sorted({c["version_id"] for _sid, c, _n in wanted})
    # the English version in force when each quoted version became valid, else the earliest English version
    pairs = dict(con.execute("""
        with quoted as (
            select vv.version_id, vv.policy_id, vv.valid_from from version_validity vv
            where list_contains(?, vv.version_id)
        )
        select q.version_id,
               coalesce(max_by(e.version_id, e.valid_from) filter (where e.valid_from <= q.valid_from),
                        min_by(e.version_id, e.valid_from)) as english
        from quoted q join version_validity e on e.policy_id = q.policy_id and e.language = 'en'
        group by q.version_id""", [versions]).fetchall())
    if not pairs:
        return {}
    blocks = fetch_dicts(con, """
        select b.version_id, b.block_id, b.ordinal, b.section_path, b.text, v.document_id,
               list(distinct c.action || ':' || c.data_type) filter (where c.claim_id is not null) as practices
        from blocks b join versions v using (version_id) left join claims c using (block_id)
        where list_contains(?, b.version_id) and b.kind <> 'heading'
        group by all order by b.version_id, b.ordinal""", [sorted(set(pairs.values()))])
    by_clause: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for b in blocks:
        number = clause_number(b["section_path"])
        if number:
            by_clause.setdefault((b["version_id"], number), []).append(b)
    out = {}
    for sid, claim, number in wanted:
        english = pairs.get(claim["version_id"])
        candidates = by_clause.get((english, number), []) if english else []
        if not candidates:
            continue
        practice = f"{claim['action']}:{claim['data_type']}"
        best = next((b for b in candidates if practice in (b["practices"] or [])), candidates[0])
        out[sid] = {"text": best["text"], "document_id": best["document_id"], "version_id": best["version_id"],
                    "section_path": best["section_path"], "clause": number}
    return out
