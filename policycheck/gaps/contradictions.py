"""Contradictions inside one policy version: a positive and a negative statement about who receives which data.

After PolicyLint (Andow et al., "PolicyLint: Investigating Internal Privacy Policy Contradictions on Google Play",
USENIX Security 2019): a positive statement P (party p receives data d_p) and an unconditional negative one N
(party n does not receive d_n) contradict when their parties and data types are equal or one subsumes the other in
the ontology. The nine combinations of the relations are PolicyLint's types (:data:`TYPES`; the labels of its
released code, ``Consistency.py`` and ``RemoveSameSentenceContradictions.py`` in
github.com/benandow/PrivacyPolicyAnalysis): C1-C5 are logical contradictions, N1-N4 narrowing definitions.
policycheck adds the feature: both statements must concern overlapping features, and a C type is a logical
contradiction only when the denial covers the positive statement's feature too (otherwise it narrows it).

Which statements count follows the gap rules (gaps.sql, ``claim_receipt``): a claim that a party collects, uses,
retains, processes, shares or transfers data says that party holds it, a share or transfer also that its
recipient receives it; only a negated collect by a party or a negated share/transfer to it denies receipt, and a
denial with a condition or about a group of people (children) never counts. Modes as in the gap rules
(:data:`~policycheck.gaps.classify.MODES`): ``intermediate`` (default) sets root-term statements aside except a
denial about a feature, ``strict`` keeps only pairs with the same party and data type. The SQL is
``contradictions.sql`` (the ``contradictions`` view and the ``contradiction_pairs(mode)`` table macro).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb

from policycheck.errors import PolicycheckError, unknown_value
from policycheck.gaps import classify
from policycheck.gaps.documents import VersionRef, resolve
from policycheck.store import fetch_dicts

KINDS = ("logical", "narrowing")
# PolicyLint's types: the relation of the positive statement's party and data type to the negative one's
# ("=" equal, "<" subsumed under the negative's term, ">" broader than it).
TYPES = {
    "C1": "same party, same data type",
    "C2": "same party; the positive statement's data type lies under the denied one",
    "C3": "the positive statement's party lies under the denied one; same data type",
    "C4": "both the party and the data type of the positive statement lie under the denied ones",
    "C5": "the positive statement names a broader party and a narrower data type",
    "N1": "same party; the denial names a narrower data type",
    "N2": "the positive statement's party lies under the denied one; the denial names a narrower data type",
    "N3": "the denial names a narrower party; same data type",
    "N4": "the denial names a narrower party and a narrower data type",
}
COLUMNS = ("version_id", "document_id", "language", "effective_date", "kind", "type", "party_relation",
           "data_relation", "feature_relation", "root_term", "positive_claim_id", "positive_party",
           "positive_action", "positive_data_type", "positive_context", "positive_sentence", "positive_section",
           "negative_claim_id", "negative_party", "negative_action", "negative_data_type", "negative_context",
           "negative_sentence", "negative_section", "consistency_mode")


def contradiction_rows(con: duckdb.DuckDBPyConnection, versions: list[VersionRef] | None = None,
                       mode: str = classify.DEFAULT_MODE, kinds: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Pairs of contradicting claims (dicts with :data:`COLUMNS`), logical before narrowing, by version and type.

    ``versions``: the versions to look at (None: every version); ``mode``: consistency mode; ``kinds``: only
    these kinds (empty: both). Raises :class:`PolicycheckError` for an unknown mode or kind.
    """
    _check_options(mode, kinds)
    ids = None if versions is None else [v.version_id for v in versions]
    return fetch_dicts(con, f"""
        select {', '.join(COLUMNS)} from contradiction_pairs(mode := ?)
        where (?::integer[] is null or list_contains(?::integer[], version_id))
          and (len(?::varchar[]) = 0 or list_contains(?::varchar[], kind))
        order by document_id, version_id, kind, type, positive_section, positive_claim_id, negative_claim_id""",
        [mode, ids, ids, list(kinds), list(kinds)])


def sentence_pairs(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Claim pairs merged for reading: one entry per (version, positive sentence, negative sentence, kind, type,
    feature relation), with the claim ids and the data types each side names, in the order of ``rows``."""
    merged: dict[tuple, dict[str, Any]] = {}
    for r in rows:
        key = (r["version_id"], r["positive_section"], r["positive_sentence"], r["negative_section"],
               r["negative_sentence"], r["kind"], r["type"], r["feature_relation"])
        entry = merged.get(key)
        if entry is None:
            entry = merged[key] = {k: r[k] for k in (
                "version_id", "document_id", "language", "effective_date", "kind", "type", "feature_relation",
                "root_term", "positive_party", "positive_sentence", "positive_section", "negative_party",
                "negative_sentence", "negative_section", "consistency_mode")} | {
                "positive_claim_ids": [], "negative_claim_ids": [], "positive_data_types": [],
                "negative_data_types": [], "positive_contexts": [], "negative_contexts": []}
        for side in ("positive", "negative"):
            for field, value in ((f"{side}_claim_ids", r[f"{side}_claim_id"]),
                                 (f"{side}_data_types", r[f"{side}_data_type"]),
                                 (f"{side}_contexts", r[f"{side}_context"])):
                if value not in entry[field]:
                    entry[field].append(value)
    return list(merged.values())


def _check_options(mode: str, kinds: tuple[str, ...]) -> None:
    """Raise :class:`PolicycheckError` for an unknown mode or kind (before the store is looked at)."""
    classify.Judgement(mode=mode).validate()
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise unknown_value("--kind", "kind", unknown, KINDS)


def contradictions(con: duckdb.DuckDBPyConnection, document: str | None = None, version_id: int | None = None,
                   as_of: date | None = None, mode: str = classify.DEFAULT_MODE,
                   kinds: tuple[str, ...] = ()) -> tuple[list[VersionRef], list[dict[str, Any]]]:
    """What ``policycheck contradictions`` shows: the versions looked at (``version_id``, else the version of
    each document named by ``document`` in force at ``as_of``, else the latest; see
    :func:`policycheck.gaps.documents.resolve`) and their contradicting claim pairs (:func:`contradiction_rows`).
    Raises :class:`PolicycheckError` for an unknown document, version, mode or kind."""
    _check_options(mode, kinds)
    try:
        versions = resolve(con, str(version_id) if version_id is not None else document, as_of)
    except PolicycheckError as exc:  # named by the option it came with (resolve names a version id 'version')
        if version_id is None:
            raise
        raise PolicycheckError("--version", exc.what) from exc
    if version_id is not None and document and document not in (versions[0].document_id, versions[0].policy_id):
        raise PolicycheckError("--version", f"version {version_id} is not a version of {document}")
    return versions, contradiction_rows(con, versions, mode, kinds)
