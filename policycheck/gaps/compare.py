"""Two policy texts compared practice by practice (``policycheck compare``).

The WeChat Privacy Policy takes features such as Mini Programs, Channels and Search out of its scope and hands them
to the Weixin guidelines (or to the Mini Programs' developers); the Weixin guidelines then say what Weixin itself
collects there. :func:`compare` aligns the claims of two sides (two documents, two languages of one document, or
two versions) on ontology ids (party, action, data type, feature, recipient) and classes every practice one side
states by how the other side states it: ``excluded``, ``same``, ``denied``, ``broader``, ``narrower`` or
``absent`` (definitions and order in ``compare.sql``, the ``compare_claims(a_versions, b_versions, mode)`` table
macro). Root terms count as in the gap rules (:data:`~policycheck.gaps.classify.MODES`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb

from policycheck.errors import PolicycheckError, unknown_value
from policycheck.gaps import classify
from policycheck.gaps.documents import VersionRef, resolve
from policycheck.store import fetch_dicts

# what the other side does with a practice, most telling first
CLASSES = ("denied", "excluded", "absent", "narrower", "broader", "same")
SIDES = ("a", "b")


@dataclass
class Comparison:
    """The outcome of :func:`compare`: the versions of each side, one row per practice of either side (``side``
    says whose practice it is; its class says how the *other* side states it), the claims the rows cite
    (``claim_id`` -> sentence, section, document, version), and per feature the count of rows per side and class."""

    a: list[VersionRef]
    b: list[VersionRef]
    mode: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    claims: dict[int, dict[str, Any]] = field(default_factory=dict)
    features: list[dict[str, Any]] = field(default_factory=list)


def compare(con: duckdb.DuckDBPyConnection, a: str, b: str, as_of: date | None = None,
            mode: str = classify.DEFAULT_MODE, features: tuple[str, ...] = (),
            classes: tuple[str, ...] = ()) -> Comparison:
    """Compare side ``a`` with side ``b``.

    ``a``/``b``: a document id, a policy id (all its languages), ``DOC@YYYY-MM-DD`` or a version id (see
    :func:`policycheck.gaps.documents.resolve`); ``as_of``: the date for sides without ``@`` (None: the latest
    versions). ``features``: only practices whose feature is one of these or below them; ``classes``: only rows of
    these classes. The per-feature summary covers the features either side takes out of its scope (and the
    ``features`` asked for). Raises :class:`PolicycheckError` for an unknown document, version, feature, class or
    mode, or when both sides are the same versions.
    """
    classify.Judgement(mode=mode).validate()
    unknown = set(classes) - set(CLASSES)
    if unknown:
        raise unknown_value("--class", "class", unknown, CLASSES)
    _check_features(con, features)
    side_a, side_b = resolve(con, a, as_of), resolve(con, b, as_of)
    ids_a, ids_b = [v.version_id for v in side_a], [v.version_id for v in side_b]
    if set(ids_a) & set(ids_b):
        raise PolicycheckError("compare", f"{a} and {b} share version(s) {sorted(set(ids_a) & set(ids_b))}; "
                                          "compare two documents, two languages or two versions")
    result = Comparison(side_a, side_b, mode)
    result.rows = fetch_dicts(con, """
        select c.* from compare_claims(?, ?, mode := ?) c
        where (len(?::varchar[]) = 0 or exists (select 1 from feature_closure fc where fc.descendant = c.context
                                                and list_contains(?::varchar[], fc.ancestor)))
          and (len(?::varchar[]) = 0 or list_contains(?::varchar[], class))
        order by side, array_position(?::varchar[], class), context nulls last, party, action, data_type,
                 recipient""",
        [ids_a, ids_b, mode, list(features), list(features), list(classes), list(classes), list(CLASSES)])
    cited = {c for r in result.rows for c in r["claim_ids"] + r["deciding_ids"]}
    result.claims = claim_texts(con, cited)
    result.features = feature_summary(con, ids_a + ids_b, result.rows, features)
    return result


def claim_texts(con: duckdb.DuckDBPyConnection, claim_ids: set[int]) -> dict[int, dict[str, Any]]:
    """``claim_id`` -> the claim's sentence, clause (last part of its section path), section path, document,
    version, effective date, language, actor, action, negation, data type, context, recipient and scope."""
    if not claim_ids:
        return {}
    rows = fetch_dicts(con, """
        select c.claim_id, c.sentence, split_part(b.section_path, ' > ', -1) as clause, b.section_path,
               v.document_id, c.version_id, v.effective_date, c.language, c.actor, c.action, c.negated,
               c.data_type, c.context, c.recipient, c.scope, c."condition"
        from claims c join blocks b using (block_id) join versions v on v.version_id = c.version_id
        where list_contains(?, c.claim_id)""", [sorted(claim_ids)])
    return {r["claim_id"]: r for r in rows}


def feature_summary(con: duckdb.DuckDBPyConnection, version_ids: list[int], rows: list[dict[str, Any]],
                    asked: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Per feature that either side takes out of its scope (a ``scope = 'excluded'`` claim's context), or per
    feature asked for when ``asked``: the versions that exclude it, and the number of practices under it per side
    and class."""
    excluded = fetch_dicts(con, """
        select context as feature, list(distinct version_id order by version_id) as excluded_by
        from claims where scope = 'excluded' and context is not null and list_contains(?, version_id)
        group by 1 order by 1""", [version_ids])
    features = {e["feature"]: e["excluded_by"] for e in excluded}
    if asked:  # only the features asked for, excluded or not
        features = {f: features.get(f, []) for f in asked}
    if not features:
        return []
    under = {(r[0], r[1]) for r in con.execute(
        "select descendant, ancestor from feature_closure where list_contains(?, ancestor)", [list(features)])
        .fetchall()}
    out = []
    for feature, excluded_by in sorted(features.items()):
        counts = {side: dict.fromkeys(CLASSES, 0) for side in SIDES}
        for r in rows:
            if r["context"] is not None and (r["context"], feature) in under:
                counts[r["side"]][r["class"]] += 1
        out.append({"feature": feature, "excluded_by_versions": excluded_by, "counts": counts,
                    "practices": sum(sum(c.values()) for c in counts.values())})
    return out


def _check_features(con: duckdb.DuckDBPyConnection, features: tuple[str, ...]) -> None:
    known = {r[0] for r in con.execute("select id from features").fetchall()}
    unknown = sorted(set(features) - known)
    if unknown:
        raise unknown_value("--feature", "id", unknown, known, "see table features")
