"""Gather a gap report from the store: summary, one entry per gap with its evidence, matrix, policy history.

The result is a plain dict that follows ``report.schema.json`` (JSON Schema 2020-12); ``write.py`` renders it
as Markdown, HTML and JSON. Evidence on the flow side is redacted: observations carry only their data type,
field path and ``value_redacted`` (salted hash + short prefix), never a raw value.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from policycheck import __version__
from policycheck.gaps.classify import CLASSES, SEVERITY, gap_rows, history
from policycheck.store import fetch_dicts

SAMPLE_FLOWS = 5
GroupKey = tuple[str, str, str, str]


def _claims(con: duckdb.DuckDBPyConnection, claim_ids: set[int]) -> dict[int, dict[str, Any]]:
    if not claim_ids:
        return {}
    rows = fetch_dicts(con, """
        select c.claim_id, c.sentence, c.actor, c.actor_role, c.action, c.negated, c.data_text, c.data_type,
               c.context, c.purpose, c.condition, c.scope, c.recipient, c.language, c.version_id,
               v.effective_date, d.document_id, b.section_path
        from claims c join versions v using (version_id) join documents d using (document_id)
        join blocks b using (block_id)
        where list_contains(?, c.claim_id)""", [sorted(claim_ids)])
    return {r["claim_id"]: r for r in rows}


def _flow_samples(con: duckdb.DuckDBPyConnection) -> dict[GroupKey, list[dict[str, Any]]]:
    rows = fetch_dicts(con, f"""
        select * exclude (rank) from (
            select f.recipient, o.data_type, f.feature, c.scenario, f.flow_id, c.path as capture, f.line,
                   coalesce(f.path, 'request type ' || f.req_type_id) as endpoint, o.field_path, o.detector,
                   o.confidence, o.value_redacted, f."time" as time,
                   row_number() over (partition by f.recipient, o.data_type, f.feature, c.scenario
                                      order by o.confidence desc, f.flow_id, o.field_path) as rank
            from observations o join distinct_flows f using (flow_id) join captures c using (capture_id))
        where rank <= {SAMPLE_FLOWS}""")
    out: dict[GroupKey, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        key = (r.pop("recipient"), r.pop("data_type"), r.pop("feature"), r.pop("scenario"))
        r["capture"] = Path(r["capture"]).name
        out[key].append(r)
    return out


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


def build_report(con: duckdb.DuckDBPyConnection, name: str, as_of: date | None = None) -> dict[str, Any]:
    """The report as a dict following ``report.schema.json``. ``as_of`` judges every flow at that date.
    ``con`` is a connection from :func:`policycheck.store.open_store` (read or write), which provides the
    gap views."""
    rows = gap_rows(con, as_of=as_of)
    all_history = history(con)
    samples = _flow_samples(con)
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
    claims = _claims(con, {cid for r in rows for cid in r["claim_ids"] + r["handoff_claim_ids"]})
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
            "flow_count": r["flow_count"], "observation_count": r["observation_count"],
            "first_time": r["first_time"], "last_time": r["last_time"],
            "claim_ids": r["claim_ids"], "handoff_claim_ids": r["handoff_claim_ids"],
            "flows": samples.get(key, []),
            "history": steps, "history_note": note,
        })
    aliases = {r[0]: r[1] for r in con.execute(
        "select c.scenario, list(distinct a.scenario order by a.scenario) from capture_aliases a "
        "join captures c using (capture_id) where a.scenario <> c.scenario group by 1").fetchall()}
    summary = Counter(g["disclosure"] for g in gaps)
    handoff_summary = Counter(g["handoff_verdict"] for g in gaps if g["handoff_verdict"])
    return {
        "schema": "https://policycheck.invalid/report.schema.json",
        "name": name,
        "generated_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "policycheck_version": __version__,
        "as_of": as_of,
        "summary": {cls: summary.get(cls, 0) for cls in CLASSES},
        "handoff_summary": {cls: handoff_summary.get(cls, 0) for cls in CLASSES if cls != "handed_off"},
        "totals": {"gaps": len(gaps), "flows": _scalar(con, "select count(*) from flows"),
                   "observations": _scalar(con, "select count(*) from observations"),
                   "claims": _scalar(con, "select count(*) from claims"),
                   "versions": _scalar(con, "select count(*) from versions")},
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
        "findings": findings(gaps, aliases, claims),
        "gaps": gaps,
        "claims": {str(cid): c for cid, c in sorted(claims.items())},
    }


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
    governing policy, version), with a row per data type (flows, scenarios, deciding claims), the deciding
    sentences once each (with the claims they state), one flow sample per data type, and the policy histories."""
    merged: dict[tuple, dict[str, Any]] = {}
    for g in gaps:
        key = (*(g[k] for k in FINDING_KEY), g["version"]["version_id"] if g["version"] else None)
        f = merged.get(key)
        if f is None:
            f = merged[key] = {k: g[k] for k in (*FINDING_KEY, "version", "version_basis", "account_policy",
                                                 "handoff_label")}
            f.update(data_types={}, claims={}, handoff_claims={}, flows=[], languages=set(), histories=[],
                     flow_count=0, observation_count=0)
        row = f["data_types"].setdefault(g["data_type"], {"data_type": g["data_type"], "flow_count": 0,
                                                         "observation_count": 0, "scenarios": [], "claim_ids": []})
        row["flow_count"] += g["flow_count"]
        row["observation_count"] += g["observation_count"]
        row["scenarios"].append({"scenario": g["scenario"], "flow_count": g["flow_count"],
                                 "also_named": aliases.get(g["scenario"], [])})
        row["claim_ids"] = sorted(set(row["claim_ids"]) | set(g["claim_ids"]))
        f["flow_count"] += g["flow_count"]
        f["observation_count"] += g["observation_count"]
        f["languages"].update(g["languages"])
        for ids, target in (("claim_ids", "claims"), ("handoff_claim_ids", "handoff_claims")):
            f[target].update({c: claims[c] for c in g[ids] if c in claims})
        if not any(s["data_type"] == g["data_type"] for s in f["flows"]) and g["flows"]:
            f["flows"].append(g["flows"][0] | {"data_type": g["data_type"]})
        if g["history_note"] not in f["histories"]:
            f["histories"].append(g["history_note"])
    out = []
    for f in merged.values():
        f["data_types"] = sorted(f["data_types"].values(), key=lambda d: -d["flow_count"])
        f["sentences"] = _sentences(sorted(f.pop("claims").values(), key=lambda c: c["claim_id"]))
        for sentence in f["sentences"]:  # the data types each sentence decides, most decisive first
            ids = {c["claim_id"] for c in sentence["claims"]}
            sentence["decides"] = [d["data_type"] for d in f["data_types"] if ids & set(d["claim_ids"])]
        f["sentences"].sort(key=lambda x: -len(x["decides"]))
        f["handoff_sentences"] = _sentences(sorted(f.pop("handoff_claims").values(), key=lambda c: c["claim_id"]))
        f["languages"] = sorted(f["languages"])
        out.append(f)
    return sorted(out, key=lambda f: (SEVERITY.index(f["disclosure"]), -f["flow_count"]))
