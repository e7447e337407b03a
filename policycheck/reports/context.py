"""What every report section reads and cites: the gap rows, their policy history, and the evidence registries.

A section builder (``sections.py``) receives one :class:`ReportContext`. It reads the judged gap rows
(``ctx.rows``) and other sections' data (``ctx.data(section_id)``, built once on first use), and *cites* the
claims and requests it shows (``ctx.cite_claims``, ``ctx.cite_request``). After every section is built,
:meth:`ReportContext.evidence` turns the citations into the report's shared maps, each entry written once
however many sections cite it: ``claims``, ``sentences``, ``requests``, ``versions`` (with their snapshots'
hashes), ``ontology`` (English and Chinese names, ancestors). Sections refer to entries by id; that keeps
``report.json`` compact (issue 12: flows by id, not repeated).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from policycheck.gaps.classify import Judgement, decided_by_exclusion, handoff_claims, rows_and_history
from policycheck.gaps.rejudge import version_sentences
from policycheck.reports.english import english_clauses
from policycheck.store import fetch_dicts

SAMPLE_REQUESTS = 5  # redacted request samples kept per gap row (the row says how many requests it has in all)
GroupKey = tuple[str, str, str, str]  # recipient, data type, feature, scenario


@dataclass
class ReportContext:
    """Inputs and citations shared by the section builders of one report (see the module docstring)."""

    con: duckdb.DuckDBPyConnection
    judgement: Judgement
    full: bool = False
    builders: dict[str, Callable[[ReportContext], Any]] = field(default_factory=dict)
    _built: dict[str, Any] = field(default_factory=dict)
    _claims: set[int] = field(default_factory=set)
    _requests: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    _cache: dict[str, Any] = field(default_factory=dict)

    # ---- inputs -------------------------------------------------------------------------------------------
    @property
    def rows(self) -> list[dict[str, Any]]:
        """The gap rows (:func:`policycheck.gaps.classify.gap_rows` under the judgement; ``flow_ids`` as numpy
        arrays), each with ``handoff_claim_ids`` (the account policy's claims handing its feature off:
        :func:`~policycheck.gaps.classify.handoff_claims`), ``files`` (``{capture_id: distinct requests}``) and
        ``samples`` (up to :data:`SAMPLE_REQUESTS` request ids, most confident detection first)."""
        if "rows" not in self._cache:
            rows, self._cache["history"] = rows_and_history(self.con, self.judgement, flow_arrays=True)
            capture_of = self._capture_of()
            samples = self._samples()
            handoffs: dict[tuple[str, str, date], list[int]] = {}
            for r in rows:
                r["handoff_claim_ids"] = []
                if r["disclosure"] == "handed_off" and r["account_policy"]:
                    when = self.judgement.as_of or (r["first_time"].date() if r["first_time"] else date.today())
                    key = (r["account_policy"], r["feature"], when)
                    if key not in handoffs:
                        handoffs[key] = handoff_claims(self.con, *key)
                    r["handoff_claim_ids"] = handoffs[key]
                r["files"] = _requests_per_capture(capture_of[evidence_flow_ids(r)])
                r["samples"] = samples.get((r["recipient"], r["data_type"], r["feature"], r["scenario"]), [])
            self._cache["rows"] = rows
        return self._cache["rows"]

    @property
    def history(self) -> dict[GroupKey, list[dict[str, Any]]]:
        """Every gap group's class under each version of its governing policy (:func:`~policycheck.gaps.
        classify.history`), from the same evaluation as :attr:`rows`."""
        if "history" not in self._cache:
            _ = self.rows
        return self._cache["history"]

    def data(self, section_id: str) -> Any:
        """The data of another section, built on first use (sections may depend on each other, never in a
        cycle)."""
        if section_id not in self._built:
            self._built[section_id] = self.builders[section_id](self)
        return self._built[section_id]

    def claim_rows(self, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        """Claims by id (any claim of the store, cited or not), cached: sentence, section path, version."""
        cache = self._cache.setdefault("claim_rows", {})
        missing = sorted({i for i in ids if i not in cache})
        if missing:
            for row in fetch_dicts(self.con, """
                    select c.claim_id, c.sentence, c.actor, c.actor_role, c.action, c.negated, c.data_text,
                           c.data_type, c.context, c.purpose, c.condition, c.data_subject, c.scope, c.recipient,
                           c.language, c.version_id, c.block_id, c.start, c."end", b.section_path, v.document_id,
                           -- a sentence is named after the first claim of its version that states it
                           (select min(s.claim_id) from claims s where s.version_id = c.version_id
                            and s.sentence = c.sentence)::varchar as sentence_id
                    from claims c join blocks b using (block_id) join versions v on v.version_id = c.version_id
                    where list_contains(?, c.claim_id)""", [missing]):
                cache[row["claim_id"]] = row
        return {i: cache[i] for i in ids if i in cache}

    def versions(self) -> dict[int, dict[str, Any]]:
        """Every policy version by id (view ``version_validity``): document_id, policy_id, language,
        effective_date, valid_from, valid_to; cached."""
        if "versions" not in self._cache:
            self._cache["versions"] = {v["version_id"]: v for v in fetch_dicts(self.con, """
                select version_id, document_id, policy_id, language, effective_date, valid_from, valid_to
                from version_validity""")}
        return self._cache["versions"]

    def handoffs_at(self, policy_id: str, feature: str, day: date) -> list[int]:
        """:func:`~policycheck.gaps.classify.handoff_claims` of the policy in force on ``day``, cached."""
        cache = self._cache.setdefault("handoffs_at", {})
        if (policy_id, feature, day) not in cache:
            cache[(policy_id, feature, day)] = handoff_claims(self.con, policy_id, feature, day)
        return cache[(policy_id, feature, day)]

    def stated(self, version_ids: Iterable[int]) -> frozenset[str]:
        """The wording of every sentence the given versions state a claim in, cached per version
        (:func:`policycheck.gaps.rejudge.version_sentences`)."""
        return version_sentences(self.con, version_ids, self._cache.setdefault("stated", {}))

    def names(self, kind: str) -> dict[str, dict[str, Any]]:
        """Ontology concepts of ``kind`` (``data_types``, ``features``, ``entities``): id -> ``name_en``,
        ``name_zh``, ``ancestors`` (the concept itself first, then nearer ancestors before farther ones)."""
        key = f"names:{kind}"
        if key not in self._cache:
            closure = {"data_types": "data_type_closure", "features": "feature_closure",
                       "entities": "entity_closure"}[kind]
            rows = self.con.execute(f"""
                select t.id, t.name_en, t.name_zh, list(c.ancestor order by c.depth, c.ancestor)
                from {kind} t join {closure} c on c.descendant = t.id group by all""").fetchall()
            self._cache[key] = {r[0]: {"name_en": r[1], "name_zh": r[2], "ancestors": r[3]} for r in rows}
        return self._cache[key]

    def name(self, kind: str, concept: str | None) -> str:
        """The English name of an ontology concept (its id when unknown, '' for None)."""
        if concept is None:
            return ""
        return self.names(kind).get(concept, {}).get("name_en") or concept

    # ---- citations ----------------------------------------------------------------------------------------
    def cite_claims(self, ids: Iterable[int]) -> list[int]:
        """Record that a section shows these claims; returns them as a list (order kept)."""
        ids = list(ids)
        self._claims.update(ids)
        return ids

    def cite_request(self, flow_id: int, data_type: str) -> int:
        """Record that a section shows request ``flow_id`` as a sample of ``data_type``; returns the id."""
        self._requests[flow_id].add(data_type)
        return flow_id

    # ---- evidence -----------------------------------------------------------------------------------------
    def evidence(self) -> dict[str, Any]:
        """The shared maps for everything cited (keys are ids as strings, as JSON objects need):
        ``claims``, ``sentences``, ``requests``, ``versions`` and ``ontology``."""
        claims = self.claim_rows(self._claims)
        sentences: dict[str, dict[str, Any]] = {}
        out_claims: dict[str, dict[str, Any]] = {}
        for cid in sorted(claims):
            c = claims[cid]
            sid = c["sentence_id"]
            sentences.setdefault(sid, {"sentence_id": sid, "text": c["sentence"], "document_id": c["document_id"],
                                       "version_id": c["version_id"], "section_path": c["section_path"],
                                       "language": c["language"], "claim_ids": [], "english_clause": None})
            sentences[sid]["claim_ids"].append(cid)
            out_claims[str(cid)] = {k: c[k] for k in (
                "claim_id", "actor", "actor_role", "action", "negated", "data_text", "data_type", "context",
                "purpose", "condition", "data_subject", "scope", "recipient", "language", "version_id", "start",
                "end")} | {"sentence_id": sid, "terms_en": self._terms_en(c)}
        first_claims = {c["sentence_id"]: c for c in claims.values()}
        for sid, clause in english_clauses(self.con, [(s, first_claims[s]) for s in sentences
                                                      if sentences[s]["language"] != "en"]).items():
            sentences[sid]["english_clause"] = clause
        requests = self._request_map()
        version_ids = {c["version_id"] for c in claims.values()} | {
            v for r in self.rows for v in r["version_ids"] or []} | {
            c["version_id"] for s in sentences.values() for c in [s["english_clause"] or {}] if c}
        return {"claims": out_claims, "sentences": sentences, "requests": requests,
                "versions": self._versions(version_ids), "ontology": self._ontology()}

    def _terms_en(self, c: dict[str, Any]) -> str:
        """A claim in the ontology's English names: 'Weixin: collect app version, in Channels'."""
        text = (f"{self.name('entities', c['actor'])}: {'does not ' if c['negated'] else ''}{c['action']} "
                f"{self.name('data_types', c['data_type'])}")
        if c["recipient"]:
            text += f", with {self.name('entities', c['recipient'])}"
        if c["context"]:
            text += f", in {self.name('features', c['context'])}"
        if c["scope"] == "excluded":
            text += " (outside the policy's scope)"
        return text

    def _capture_of(self) -> np.ndarray:
        """The capture of every distinct request as an array indexed by flow id (-1: no distinct request), so
        that a row's files are counted without a Python object per request (millions at scale)."""
        cols = self.con.execute("select flow_id, capture_id from distinct_flows").fetchnumpy()
        ids = np.asarray(cols["flow_id"], dtype=np.int64)
        capture_of = np.full(int(ids.max()) + 1 if len(ids) else 0, -1, dtype=np.int64)
        capture_of[ids] = np.asarray(cols["capture_id"], dtype=np.int64)
        return capture_of

    def _samples(self) -> dict[GroupKey, list[int]]:
        """Up to :data:`SAMPLE_REQUESTS` request ids per gap group: requests that carry the data type in their body
        before those that carry it only in the request header (``observations.envelope``), then most confident
        detection first (ties: lowest request id). Each request's confidence for a data type is its best
        detection of it; the top requests are taken per group by ``min_by(..., n)`` over (header only,
        -confidence, flow id) rather than a window over every detection."""
        rows = self.con.execute(f"""
            with typed as (
                select flow_id, data_type, max(confidence) as confidence,
                       bool_and(coalesce(envelope, false)) as header_only
                from observations where confidence >= ?
                group by flow_id, data_type)
            select f.recipient, t.data_type, f.feature, c.scenario,
                   list_transform(min_by({{'h': t.header_only, 'c': -t.confidence, 'f': t.flow_id}},
                                         {{'h': t.header_only, 'c': -t.confidence, 'f': t.flow_id}},
                                         {SAMPLE_REQUESTS}), lambda v: v.f)
            from typed t join distinct_flows f using (flow_id) join captures c using (capture_id)
            group by f.recipient, t.data_type, f.feature, c.scenario""", [self.judgement.min_confidence]).fetchall()
        return {r[:4]: r[4] for r in rows}

    def _request_map(self) -> dict[str, dict[str, Any]]:
        """Cited requests: capture, line, endpoint, time and, per cited data type, its most confident detection in
        the body, else in the request header (field path, detector, confidence, redacted value); among equally
        confident detections the device profile's value before a field name before a value's shape (a WeChat ID
        the profile names is shown as such, not as a ``wxid_`` pattern match)."""
        if not self._requests:
            return {}
        ids = sorted(self._requests)
        flows = fetch_dicts(self.con, """
            select f.flow_id, f.capture_id, f.line, coalesce(f.path, 'request type ' || f.req_type_id) as endpoint,
                   f."time"
            from flows f where list_contains(?, f.flow_id) order by f.flow_id""", [ids])
        observations = fetch_dicts(self.con, """
            select flow_id, data_type, field_path, detector, confidence, value_redacted from (
                select *, row_number() over (partition by flow_id, data_type
                                             order by coalesce(envelope, false), confidence desc,
                                                      -- the strongest kind of evidence among equals: the device
                                                      -- profile's own value, then a field name, then a shape
                                                      case when detector like 'profile%' then 0
                                                           when detector = 'key' then 1 else 2 end,
                                                      field_path, detector, value_redacted) as rank
                from observations where list_contains(?, flow_id) and confidence >= ?)
            where rank = 1 order by flow_id, data_type""", [ids, self.judgement.min_confidence])
        out = {str(f["flow_id"]): f | {"observations": []} for f in flows}
        for o in observations:
            if o["data_type"] in self._requests[o["flow_id"]]:
                out[str(o.pop("flow_id"))]["observations"].append(o)
        return out

    def _versions(self, version_ids: set[int]) -> dict[str, dict[str, Any]]:
        """Policy versions cited: text sha256 and every snapshot that held the text (source URL or archive
        file, raw sha256)."""
        if not version_ids:
            return {}
        versions = fetch_dicts(self.con, """
            select v.version_id, v.document_id, d.policy_id, v.language, v.effective_date, vv.valid_from,
                   v.sha256 as text_sha256, v.origin
            from versions v join documents d using (document_id) join version_validity vv using (version_id)
            where list_contains(?, v.version_id) order by v.version_id""", [sorted(version_ids)])
        snapshots = fetch_dicts(self.con, """
            select version_id, snapshot_id, origin, source, raw_path, sha256, observed_at from snapshots
            where list_contains(?, version_id) and status <> 'quarantined' and sha256 is not null
            order by version_id, observed_at, snapshot_id""", [sorted(version_ids)])
        out = {str(v["version_id"]): v | {"snapshots": []} for v in versions}
        for s in snapshots:
            s["source_name"] = Path(s["source"]).name if s["origin"] == "archive" else s["source"]
            out[str(s.pop("version_id"))]["snapshots"].append(s)
        return out

    def _ontology(self) -> dict[str, dict[str, Any]]:
        """English/Chinese names and ancestors of the data types, features and parties the rows name (the
        HTML filters match a feature or data type with its descendants, as ``policycheck gaps`` does)."""
        used = {"data_types": {r["data_type"] for r in self.rows}, "features": {r["feature"] for r in self.rows},
                "entities": {r["recipient"] for r in self.rows}}
        out: dict[str, dict[str, Any]] = {}
        for kind, ids in used.items():
            names = self.names(kind)
            wanted = {a for i in ids for a in names.get(i, {}).get("ancestors", [i])}
            out[kind] = {i: names[i] for i in sorted(wanted) if i in names}
        return out


def evidence_flow_ids(row: dict[str, Any], with_header_only: bool = False) -> np.ndarray | None:
    """The request ids (numpy int64) a gap row's verdict rests on: its ``flow_ids``, except that a row decided by
    a scope exclusion (label ``undisclosed_first_party_*``) leaves out its ``header_only_flow_ids``, the requests
    that carry the data type only in the request header the app sends whatever the feature (``gaps.sql``,
    ``envelope_only``). ``with_header_only``: every request of the row. None when the row lists no requests."""
    if row["flow_ids"] is None:
        return None
    ids = np.asarray(row["flow_ids"], dtype=np.int64)
    header = row.get("header_only_flow_ids")
    if with_header_only or header is None or not len(header) or not decided_by_exclusion(row["label"]):
        return ids
    return np.setdiff1d(ids, np.asarray(header, dtype=np.int64), assume_unique=True)


def _requests_per_capture(captures: np.ndarray) -> dict[int, int]:
    """``{capture_id: count}`` of an array of capture ids, most first (ties: lower id first); counted by
    ``np.bincount`` (capture ids are small integers), by ``np.unique`` when an id is negative."""
    if len(captures) and captures.min() >= 0:
        counts = np.bincount(captures)
        ids = np.flatnonzero(counts)
        pairs = zip(ids.tolist(), counts[ids].tolist(), strict=True)
    else:
        ids, counts = np.unique(captures, return_counts=True)
        pairs = zip(ids.tolist(), counts.tolist(), strict=True)
    return dict(sorted(pairs, key=lambda kv: (-kv[1], kv[0])))
