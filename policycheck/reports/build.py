"""Gather a gap report from the store: summary, one entry per gap with its evidence, matrix, policy history.

The result is a plain dict that follows ``report.schema.json`` (JSON Schema 2020-12); ``write.py`` renders it
as Markdown, HTML and JSON. Evidence on the flow side is redacted: observations carry only their data type,
field path and ``value_redacted`` (salted hash + short prefix), never a raw value.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import duckdb

from policycheck import __version__
from policycheck.gaps.classify import CLASSES, SEVERITY, Judgement, gap_rows, history
from policycheck.reports.crosscheck import crosscheck_parts
from policycheck.store import fetch_dicts

SAMPLE_FLOWS = 5  # redacted request samples kept per gap row (the row says how many requests it has in all)
JUMP_SENTENCES = 3  # sentences quoted per class change between two policy versions (the rest are counted)
GroupKey = tuple[str, str, str, str]


def _claims(con: duckdb.DuckDBPyConnection, claim_ids: set[int]) -> dict[int, dict[str, Any]]:
    if not claim_ids:
        return {}
    rows = fetch_dicts(con, """
        select c.claim_id, c.sentence, c.actor, c.actor_role, c.action, c.negated, c.data_text, c.data_type,
               c.context, c.purpose, c.condition, c.data_subject, c.scope, c.recipient, c.language, c.version_id,
               v.effective_date, d.document_id, b.section_path
        from claims c join versions v using (version_id) join documents d using (document_id)
        join blocks b using (block_id)
        where list_contains(?, c.claim_id)""", [sorted(claim_ids)])
    return {r["claim_id"]: r for r in rows}


def _flow_samples(con: duckdb.DuckDBPyConnection, min_confidence: float) -> dict[GroupKey, list[dict[str, Any]]]:
    """Up to :data:`SAMPLE_FLOWS` redacted samples per gap group, most confident first, from observations at or
    above ``min_confidence`` in distinct requests."""
    rows = fetch_dicts(con, f"""
        select * exclude (rank) from (
            select f.recipient, o.data_type, f.feature, c.scenario, f.flow_id, c.path as capture, f.line,
                   coalesce(f.path, 'request type ' || f.req_type_id) as endpoint, o.field_path, o.detector,
                   o.confidence, o.value_redacted, f."time" as time,
                   row_number() over (partition by f.recipient, o.data_type, f.feature, c.scenario
                                      order by o.confidence desc, f.flow_id, o.field_path) as rank
            from observations o join distinct_flows f using (flow_id) join captures c using (capture_id)
            where o.confidence >= ?)
        where rank <= {SAMPLE_FLOWS}""", [min_confidence])
    out: dict[GroupKey, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        key = (r.pop("recipient"), r.pop("data_type"), r.pop("feature"), r.pop("scenario"))
        r["capture"] = Path(r["capture"]).name
        out[key].append(r)
    return out


def low_confidence(con: duckdb.DuckDBPyConnection, min_confidence: float) -> list[dict[str, Any]]:
    """Detections below ``min_confidence`` (never judged, never findings), per recipient, data type, feature,
    detector and field path: their highest confidence, distinct requests, and whether the same data type is
    also detected at or above the threshold in that feature (``also_confident``)."""
    return fetch_dicts(con, """
        with low as (
            select f.recipient, o.data_type, f.feature, o.detector, o.field_path, max(o.confidence) as confidence,
                   count(distinct o.flow_id) as request_count, count(*) as observation_count
            from observations o join distinct_flows f using (flow_id)
            where o.confidence < ?
            group by all
        ), confident as (
            select distinct f.recipient, o.data_type, f.feature
            from observations o join distinct_flows f using (flow_id) where o.confidence >= ?
        )
        select l.*, c.data_type is not null as also_confident
        from low l left join confident c using (recipient, data_type, feature)
        order by l.confidence desc, l.request_count desc, l.data_type, l.feature, l.detector, l.field_path""",
        [min_confidence, min_confidence])


def _handoff_claims(con: duckdb.DuckDBPyConnection, account_policy: str, feature: str,
                    when: date) -> list[int]:
    """Claims of the account's own policy (version in force at ``when``) that hand ``feature`` off: scope
    exclusions or shares whose context is the feature or one of its ancestors."""
    rows = con.execute("""
        select c.claim_id from claims c
        join version_validity vv using (version_id)
        join feature_closure fc on fc.ancestor = c.context and fc.descendant = ?
        where vv.policy_id = ? and vv.valid_from <= ? and (vv.valid_to is null or vv.valid_to > ?)
          and (c.scope = 'excluded' or c.action in ('share', 'transfer'))
        order by c.claim_id""", [feature, account_policy, when, when]).fetchall()
    return [r[0] for r in rows]


def _history_note(steps: list[dict[str, Any]], current: dict[str, Any]) -> str:
    """A one-line summary of whether later versions changed the class of ``current``, with the ranges."""
    current_class = current["handoff_verdict"] or current["disclosure"]
    later = [s for s in steps if current["version_id"] is not None and s["version_id"] != current["version_id"]
             and s["valid_from"] > _valid_from(steps, current["version_id"])]
    changes = []
    previous = current_class
    for step in later:
        cls = step["handoff_verdict"] or step["disclosure"]
        if cls != previous:
            changes.append(f"{previous} -> {cls} in the version valid from {step['valid_from']}")
            previous = cls
    note = "; ".join(changes) if changes else ("unchanged in later versions" if later else "no later version")
    return f"{note} ({history_ranges(steps)})" if len(steps) > 1 else note


def history_ranges(steps: list[dict[str, Any]]) -> str:
    """Consecutive versions with the same class as ranges: '2020-04-09..2020-09-03 omitted; 2021-08-19.. incorrect'."""
    runs: list[list[Any]] = []
    for step in steps:
        cls = step["handoff_verdict"] or step["disclosure"]
        if runs and runs[-1][2] == cls:
            runs[-1][1] = step["valid_from"]
        else:
            runs.append([step["valid_from"], step["valid_from"], cls])
    return "; ".join(f"{a}" + (f"..{b}" if b != a else "") + f" {cls}" for a, b, cls in runs)


def _valid_from(steps: list[dict[str, Any]], version_id: int) -> date:
    return next((s["valid_from"] for s in steps if s["version_id"] == version_id), date.min)


def build_report(con: duckdb.DuckDBPyConnection, name: str, judgement: Judgement | None = None) -> dict[str, Any]:
    """The report as a dict following ``report.schema.json``.

    ``judgement``: as-of date (None: each flow at its own time), consistency mode and minimum detection
    confidence (defaults: :class:`~policycheck.gaps.classify.Judgement`). Counts are distinct requests: a
    request present in several cumulative capture files counts once (``distinct_flows``). ``con`` is a
    connection from :func:`policycheck.store.open_store` (read or write), which provides the gap views.
    """
    judgement = judgement or Judgement()
    rows = gap_rows(con, judgement=judgement)
    all_history = history(con, judgement)
    samples = _flow_samples(con, judgement.min_confidence)
    as_of = judgement.as_of
    handoffs: dict[tuple[str, str, date], list[int]] = {}
    for r in rows:
        if r["disclosure"] == "handed_off" and r["account_policy"]:
            when = as_of or (r["first_time"].date() if r["first_time"] else date.today())
            key = (r["account_policy"], r["feature"], when)
            if key not in handoffs:
                handoffs[key] = _handoff_claims(con, *key)
            r["handoff_claim_ids"] = handoffs[key]
        else:
            r["handoff_claim_ids"] = []
    jumps = version_jumps(all_history)
    claims = _claims(con, {cid for r in rows for cid in r["claim_ids"] + r["handoff_claim_ids"]
                           + (r["root_term_claim_ids"] if (r["handoff_verdict"] or r["disclosure"]) == "omitted"
                              else [])})
    versions = {v["version_id"]: v for v in fetch_dicts(con, """
        select version_id, document_id, language, effective_date, valid_from from version_validity""")}
    gaps = []
    for r in rows:
        key = (r["recipient"], r["data_type"], r["feature"], r["scenario"])
        steps = all_history.get(key, [])
        note = _history_note(steps, r)
        steps = [{k: step[k] for k in ("version_id", "valid_from", "disclosure", "handoff_verdict")} for step in steps]
        version = versions.get(r["version_id"]) if r["version_id"] is not None else None
        gaps.append({
            "recipient": r["recipient"], "data_type": r["data_type"], "feature": r["feature"],
            "scenario": r["scenario"], "disclosure": r["disclosure"], "label": r["label"],
            "handoff_verdict": r["handoff_verdict"], "handoff_label": r["handoff_label"],
            "governing_document": r["governing_document"], "account_policy": r["account_policy"],
            "version": version, "version_basis": r["version_basis"], "languages": r["languages"],
            "flow_count": r["flow_count"], "observation_count": r["observation_count"], "flow_ids": r["flow_ids"],
            "first_time": r["first_time"], "last_time": r["last_time"],
            "claim_ids": r["claim_ids"], "root_term_claim_ids": r["root_term_claim_ids"],
            "handoff_claim_ids": r["handoff_claim_ids"],
            "flows": samples.get(key, []),
            "history": steps, "history_note": note,
        })
    aliases = {r[0]: r[1] for r in con.execute(
        "select c.scenario, list(distinct a.scenario order by a.scenario) from capture_aliases a "
        "join captures c using (capture_id) where a.scenario <> c.scenario group by 1").fetchall()}
    summary = Counter(g["disclosure"] for g in gaps)
    handoff_summary = Counter(g["handoff_verdict"] for g in gaps if g["handoff_verdict"])
    low = low_confidence(con, judgement.min_confidence)
    merged = findings(gaps, aliases, claims)
    for g in gaps:  # request ids served the distinct counts; the rows keep their counts and samples
        del g["flow_ids"]
    return {
        "schema": "https://policycheck.invalid/report.schema.json",
        "name": name,
        "generated_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "policycheck_version": __version__,
        "as_of": as_of,
        "judgement": {"as_of": as_of, "mode": judgement.mode, "min_confidence": judgement.min_confidence},
        "summary": {cls: summary.get(cls, 0) for cls in CLASSES},
        "handoff_summary": {cls: handoff_summary.get(cls, 0) for cls in CLASSES if cls != "handed_off"},
        "totals": _totals(con, judgement.min_confidence, len(gaps)),
        "policies": fetch_dicts(con, """
            select d.document_id, d.policy_id, d.language, d.url, count(v.version_id) as versions,
                   min(v.effective_date) as first_effective, max(v.effective_date) as last_effective
            from documents d left join versions v using (document_id) group by all order by d.document_id"""),
        "captures": fetch_dicts(con, """
            select capture_id, path, format, scenario, account_region, captured_at,
                   (select count(*) from flows f where f.capture_id = c.capture_id) as flows,
                   (select count(*) from distinct_flows f where f.capture_id = c.capture_id) as own_flows,
                   (select list(a.scenario order by a.scenario) from capture_aliases a
                    where a.capture_id = c.capture_id) as aliases
            from captures c order by capture_id"""),
        "matrix": _matrix(gaps),
        "findings": merged,
        "history_by_version": _history_by_version(all_history, versions, jumps, _claims(con, {
            cid for j in jumps for cid in j["added_claim_ids"] + j["removed_claim_ids"]})),
        "low_confidence": low,
        "gaps": gaps,
        "claims": {str(cid): c for cid, c in sorted(claims.items())},
        **crosscheck_parts(con, rows, judgement),  # contradictions, comparisons, mini_programs
    }


def _totals(con: duckdb.DuckDBPyConnection, min_confidence: float, gap_rows: int) -> dict[str, int]:
    """What the report rests on, each figure saying what it counts: distinct requests (a request in several
    cumulative capture files once), the request records in the files, the capture files, and detections."""
    requests, records, files = con.execute(
        "select (select count(*) from distinct_flows), (select count(*) from flows), (select count(*) from captures)"
    ).fetchall()[0]
    judged, below = con.execute(
        "select count(*) filter (where o.confidence >= ?), count(*) filter (where o.confidence < ?) "
        "from observations o join distinct_flows f using (flow_id)", [min_confidence, min_confidence]).fetchall()[0]
    return {"gaps": gap_rows, "requests": requests, "request_records": records, "capture_files": files,
            "observations": judged, "low_confidence_observations": below,
            "claims": _scalar(con, "select count(*) from claims"),
            "versions": _scalar(con, "select count(*) from versions")}


def _step_class(step: dict[str, Any]) -> str:
    return step["handoff_verdict"] or step["disclosure"]


def version_jumps(all_history: dict[GroupKey, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Class changes between consecutive versions of a governing document, over every gap group: one entry per
    (document, from version, to version, from class, to class) with the number of rows and the deciding claims
    the new version added and dropped (the sentences that explain the change)."""
    jumps: dict[tuple, dict[str, Any]] = {}
    for (_recipient, data_type, _feature, _scenario), steps in all_history.items():
        by_document: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for step in steps:
            by_document[step["document_id"]].append(step)
        for document, doc_steps in by_document.items():
            for old, new in pairwise(doc_steps):
                if _step_class(old) == _step_class(new):
                    continue
                key = (document, old["version_id"], new["version_id"], _step_class(old), _step_class(new))
                jump = jumps.setdefault(key, {
                    "document_id": document, "from_version_id": old["version_id"], "to_version_id": new["version_id"],
                    "from_valid_from": old["valid_from"], "to_valid_from": new["valid_from"],
                    "from_class": _step_class(old), "to_class": _step_class(new), "rows": 0, "data_types": set(),
                    "added": set(), "removed": set()})
                jump["rows"] += 1
                jump["data_types"].add(data_type)
                jump["added"].update(set(new["claim_ids"]) - set(old["claim_ids"]))
                jump["removed"].update(set(old["claim_ids"]) - set(new["claim_ids"]))
    out = []
    for jump in jumps.values():
        jump["data_types"] = sorted(jump["data_types"])
        jump["added_claim_ids"] = sorted(jump.pop("added"))
        jump["removed_claim_ids"] = sorted(jump.pop("removed"))
        out.append(jump)
    return sorted(out, key=lambda j: (j["document_id"], j["to_valid_from"], -j["rows"]))


def _history_by_version(all_history: dict[GroupKey, list[dict[str, Any]]], versions: dict[int, dict[str, Any]],
                        jumps: list[dict[str, Any]], claims: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """Per governing document and version: how many of today's gap rows each class would get under it, and the
    class changes from the previous version with the sentences that changed (distinct sentences, at most
    :data:`JUMP_SENTENCES` each way, the rest counted)."""
    counts: dict[int, Counter] = defaultdict(Counter)
    for steps in all_history.values():
        for step in steps:
            counts[step["version_id"]][_step_class(step)] += 1
    out = []
    for version_id, per_class in counts.items():
        v = versions[version_id]
        changes = []
        for j in (j for j in jumps if j["to_version_id"] == version_id):
            added = _sentences(sorted((claims[c] for c in j["added_claim_ids"] if c in claims),
                                      key=lambda c: c["claim_id"]))
            removed = _sentences(sorted((claims[c] for c in j["removed_claim_ids"] if c in claims),
                                        key=lambda c: c["claim_id"]))
            changes.append({k: j[k] for k in ("from_class", "to_class", "rows", "data_types", "from_version_id")}
                           | {"added_sentences": added[:JUMP_SENTENCES],
                              "added_more": max(0, len(added) - JUMP_SENTENCES),
                              "removed_sentences": removed[:JUMP_SENTENCES],
                              "removed_more": max(0, len(removed) - JUMP_SENTENCES)})
        out.append({"document_id": v["document_id"], "version_id": version_id, "effective_date": v["effective_date"],
                    "valid_from": v["valid_from"], "language": v["language"],
                    "classes": {cls: per_class.get(cls, 0) for cls in CLASSES if cls != "handed_off"},
                    "changes": changes})
    return sorted(out, key=lambda h: (h["document_id"], h["valid_from"]))


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return con.execute(sql).fetchall()[0][0]


def _matrix(gaps: list[dict[str, Any]]) -> dict[str, Any]:
    """Data types x features: the worst class over recipients and scenarios in each cell."""
    cells: dict[str, dict[str, str]] = defaultdict(dict)
    for g in gaps:
        cell = cells[g["data_type"]]
        current = cell.get(g["feature"])
        if current is None or SEVERITY.index(g["disclosure"]) < SEVERITY.index(current):
            cell[g["feature"]] = g["disclosure"]
    features = sorted({g["feature"] for g in gaps})
    return {"data_types": sorted(cells), "features": features, "cells": {d: dict(c) for d, c in cells.items()}}


FINDING_KEY = ("recipient", "feature", "disclosure", "label", "handoff_verdict", "governing_document")


def _sentences(claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Claims grouped by the sentence that states them (one sentence often states several practices)."""
    out: dict[tuple, dict[str, Any]] = {}
    for c in claims:
        key = (c["document_id"], c["version_id"], c["sentence"])
        entry = out.setdefault(key, {k: c[k] for k in ("sentence", "document_id", "effective_date",
                                                        "section_path", "language", "version_id")} | {"claims": []})
        entry["claims"].append(c)
    return list(out.values())


def findings(gaps: list[dict[str, Any]], aliases: dict[str, list[str]],
             claims: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """Gap rows merged for reading: one finding per (recipient, feature, class, label, handed-off verdict,
    governing policy, version), with a row per data type (distinct requests, scenarios, deciding claims), the
    deciding sentences once each, most specific first (the order of the claims in each row: exact data type,
    then the feature itself, then the party itself, root terms last), the root-term sentences apart, one
    redacted sample per data type with the number of requests it stands for, and the policy histories.

    ``request_count`` of a finding is the number of distinct requests over all its data types (never a sum
    over data types); ``observation_count`` the detections in them."""
    merged: dict[tuple, dict[str, Any]] = {}
    for g in gaps:
        key = (*(g[k] for k in FINDING_KEY), g["version"]["version_id"] if g["version"] else None)
        f = merged.get(key)
        if f is None:
            f = merged[key] = {k: g[k] for k in (*FINDING_KEY, "version", "version_basis", "account_policy",
                                                 "handoff_label")}
            f.update(data_types={}, claims={}, handoff_claims={}, root_claims={}, flows=[], languages=set(),
                     histories=[], flow_ids=set(), observation_count=0)
        row = f["data_types"].setdefault(g["data_type"], {"data_type": g["data_type"], "flow_ids": set(),
                                                         "observation_count": 0, "scenarios": [], "claim_ids": []})
        row["flow_ids"].update(g["flow_ids"])
        row["observation_count"] += g["observation_count"]
        row["scenarios"].append({"scenario": g["scenario"], "request_count": g["flow_count"],
                                 "also_named": aliases.get(g["scenario"], [])})
        row["claim_ids"] += [c for c in g["claim_ids"] if c not in row["claim_ids"]]  # keeps specificity order
        f["flow_ids"].update(g["flow_ids"])
        f["observation_count"] += g["observation_count"]
        f["languages"].update(g["languages"])
        for ids, target in (("claim_ids", "claims"), ("handoff_claim_ids", "handoff_claims")):
            f[target].update({c: claims[c] for c in g[ids] if c in claims})
        if (g["handoff_verdict"] or g["disclosure"]) == "omitted":  # what the omission set aside, labelled
            f["root_claims"].update({c: claims[c] for c in g["root_term_claim_ids"] if c in claims})
        if g["history_note"] not in f["histories"]:
            f["histories"].append(g["history_note"])
    out = []
    for f in merged.values():
        for row in f["data_types"].values():
            row["request_count"] = len(row.pop("flow_ids"))
        f["data_types"] = sorted(f["data_types"].values(), key=lambda d: (-d["request_count"], d["data_type"]))
        f["request_count"] = len(f.pop("flow_ids"))
        f["data_type_count"] = len(f["data_types"])
        f["flows"] = _samples(f["data_types"], gaps, f)
        f["sentences"] = _sentences(sorted(f.pop("claims").values(), key=lambda c: c["claim_id"]))
        for sentence in f["sentences"]:  # the data types each sentence decides
            ids = {c["claim_id"] for c in sentence["claims"]}
            sentence["decides"] = [d["data_type"] for d in f["data_types"] if ids & set(d["claim_ids"])]
            # its best place in any data type's specificity order
            sentence["rank"] = min((d["claim_ids"].index(c) for d in f["data_types"] for c in ids
                                    if c in d["claim_ids"]), default=len(claims))
        f["sentences"].sort(key=lambda x: (x["rank"], -len(x["decides"])))
        f["handoff_sentences"] = _sentences(sorted(f.pop("handoff_claims").values(), key=lambda c: c["claim_id"]))
        f["root_term_sentences"] = _sentences(sorted(f.pop("root_claims").values(), key=lambda c: c["claim_id"]))
        f["languages"] = sorted(f["languages"])
        out.append(f)
    return sorted(out, key=lambda f: (SEVERITY.index(f["disclosure"]), -f["request_count"]))


def _samples(data_types: list[dict[str, Any]], gaps: list[dict[str, Any]], f: dict[str, Any]) -> list[dict[str, Any]]:
    """One redacted sample per data type of a finding (the most confident), each with the number of distinct
    requests it stands for (``of_requests``), so nothing is left out silently."""
    best: dict[str, dict[str, Any]] = {}
    for g in gaps:
        if all(g[k] == f[k] for k in FINDING_KEY) and g["flows"]:
            current = best.get(g["data_type"])
            if current is None or g["flows"][0]["confidence"] > current["confidence"]:
                best[g["data_type"]] = g["flows"][0]
    return [best[d["data_type"]] | {"data_type": d["data_type"], "of_requests": d["request_count"]}
            for d in data_types if d["data_type"] in best]
