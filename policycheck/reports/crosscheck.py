"""Report parts that check the policies against each other and follow data through Mini Program interfaces.

Three builders, each returning a plain, JSON-ready part of the report (``report.schema.json``: ``contradictions``,
``comparisons``, ``mini_programs``), called by :func:`policycheck.reports.build.build_report`:

- :func:`contradictions_part`: contradictions inside each policy version the report rests on (PolicyLint types,
  ``policycheck/gaps/contradictions.py``);
- :func:`comparisons_part`: the account's policy against every other policy, per feature either takes out of its
  scope (``policycheck/gaps/compare.py``): the WeChat policy in force at capture time against the Weixin guidelines;
- :func:`mini_programs_part`: per Mini Program app id, the privacy interfaces its requests name, the data types those
  hand to the developer, and what WeChat's own endpoints received in requests attributed to it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb

from policycheck.gaps import compare, contradictions
from policycheck.gaps.classify import Judgement
from policycheck.gaps.documents import VersionRef, resolve
from policycheck.store import fetch_dicts

_PAIR_KEYS = ("kind", "type", "feature_relation", "root_term", "version_id", "document_id", "language",
              "effective_date", "positive_claim_ids", "positive_party", "positive_data_types", "positive_contexts",
              "positive_sentence", "positive_section", "negative_claim_ids", "negative_party", "negative_data_types",
              "negative_contexts", "negative_sentence", "negative_section")


def _version(ref: VersionRef) -> dict[str, Any]:
    return {"version_id": ref.version_id, "document_id": ref.document_id, "language": ref.language,
            "effective_date": ref.effective_date, "basis": ref.basis}


def report_versions(con: duckdb.DuckDBPyConnection, version_ids: set[int], as_of: date | None) -> list[VersionRef]:
    """The versions the report rests on (``version_ids``: those its gap rows were judged against) and the version
    of every document at ``as_of`` (None: the latest), ordered by document and date."""
    if not con.execute("select count(*) from versions").fetchall()[0][0]:
        return []
    chosen = {v.version_id: v for v in resolve(con, None, as_of)}
    for version_id in sorted(version_ids - set(chosen)):
        chosen[version_id] = resolve(con, str(version_id))[0]
    return sorted(chosen.values(), key=lambda v: (v.document_id, v.valid_from))


def contradictions_part(con: duckdb.DuckDBPyConnection, versions: list[VersionRef],
                        judgement: Judgement) -> dict[str, Any]:
    """Contradicting sentence pairs of each version (logical contradictions first), with counts per kind of the
    sentence pairs and of the claim pairs behind them, in the report's consistency mode."""
    rows = contradictions.contradiction_rows(con, versions, judgement.mode)
    pairs = contradictions.sentence_pairs(rows)
    return {
        "mode": judgement.mode,
        "versions": [_version(v) for v in versions],
        "counts": {kind: sum(p["kind"] == kind for p in pairs) for kind in contradictions.KINDS},
        "claim_pairs": {kind: sum(r["kind"] == kind for r in rows) for kind in contradictions.KINDS},
        "pairs": [{k: p[k] for k in _PAIR_KEYS} for p in pairs],
    }


def comparisons_part(con: duckdb.DuckDBPyConnection, judgement: Judgement,
                     when: date | None) -> list[dict[str, Any]]:
    """For each account policy of the captures (``account_policies``) against each other policy: per feature
    either takes out of its scope, the practices under it that one states and the other does not state the same
    way (every class but ``same``), with both sides' sentences; a practice is listed under the most specific of
    those features above it. Versions: in force at ``when`` (the report's as-of
    date or the captures' first day; None: the latest)."""
    policies = [r[0] for r in con.execute("select distinct policy_id from version_validity order by 1").fetchall()]
    accounts = [r[0] for r in con.execute(
        "select distinct ap.policy_id from captures c join account_policies ap using (account_region) "
        "order by 1").fetchall()]
    out = []
    for account in accounts:
        for other in (p for p in policies if p != account and account in policies):
            result = compare.compare(con, f"{account}@{when}" if when else account,
                                     f"{other}@{when}" if when else other, mode=judgement.mode)
            listed = [f["feature"] for f in result.features]
            closest = _closest(con, listed)
            features = []
            for feature in result.features:
                practices = [_practice(result, r) for r in result.rows
                             if closest.get(r["context"]) == feature["feature"] and r["class"] != "same"]
                if practices:
                    features.append(feature | {"practices": practices})
            out.append({"a": [_version(v) for v in result.a], "b": [_version(v) for v in result.b],
                        "mode": result.mode, "features": features})
    return out


def _closest(con: duckdb.DuckDBPyConnection, features: list[str]) -> dict[str, str]:
    """Each feature under one of ``features`` -> the closest of them above it (itself when listed), so that a
    practice is shown once, under the most specific feature taken out of scope."""
    rows = con.execute("select descendant, arg_min(ancestor, depth) from feature_closure "
                       "where list_contains(?, ancestor) group by 1", [features]).fetchall()
    return dict(rows)


def _practice(result: compare.Comparison, row: dict[str, Any]) -> dict[str, Any]:
    def sentence(ids: list[int]) -> dict[str, Any] | None:
        claim = result.claims.get(ids[0]) if ids else None
        return None if claim is None else {k: claim[k] for k in ("claim_id", "sentence", "section_path",
                                                                 "document_id", "version_id", "effective_date")}
    return {k: row[k] for k in ("side", "party", "action", "data_type", "context", "recipient", "class",
                                "claim_ids", "deciding_ids")} | {"sentence": sentence(row["claim_ids"]),
                                                                 "other_sentence": sentence(row["deciding_ids"])}


def mini_programs_part(con: duckdb.DuckDBPyConnection, min_confidence: float) -> list[dict[str, Any]]:
    """Per Mini Program app id (``flows.mini_program_appid``) whose requests name a privacy interface or reach the
    platform: distinct requests and scenarios; each interface named (``privacy_interface:<name>`` observations) with
    the data types it hands to the developer, its requests, endpoints and field paths; and the data types the
    platform's own endpoints received in the app's requests (observations at or above ``min_confidence`` that
    the requests carry). App ids name Mini Programs, not people; values stay redacted."""
    apps = fetch_dicts(con, """
        select f.mini_program_appid as appid, count(distinct f.flow_id) as request_count,
               list(distinct c.scenario order by c.scenario) as scenarios
        from distinct_flows f join captures c using (capture_id)
        where f.mini_program_appid is not null group by 1""")
    interfaces = fetch_dicts(con, """
        select f.mini_program_appid as appid, split_part(o.detector, ':', 2) as interface,
               list(distinct o.data_type order by o.data_type) as data_types,
               count(distinct o.flow_id) as request_count, max(o.confidence) as confidence,
               list(distinct f.path order by f.path) as endpoints,
               list(distinct o.field_path order by o.field_path) as field_paths
        from observations o join distinct_flows f using (flow_id)
        where o.detector like 'privacy_interface:%' and f.mini_program_appid is not null
        group by all order by appid, interface""")
    received = fetch_dicts(con, """
        select f.mini_program_appid as appid, f.recipient, o.data_type, count(distinct o.flow_id) as request_count,
               list(distinct f.path order by f.path) as endpoints
        from carried_observations o join distinct_flows f using (flow_id) join entities e on e.id = f.recipient
        where f.mini_program_appid is not null and e.kind = 'platform' and o.confidence >= ?
        group by all order by appid, request_count desc, o.data_type""", [min_confidence])
    out = []
    for app in apps:
        named = [i for i in interfaces if i["appid"] == app["appid"]]
        platform = [r for r in received if r["appid"] == app["appid"]]
        out.append(app | {
            "interfaces": [{k: v for k, v in i.items() if k != "appid"} for i in named],
            "developer_receives": sorted({d for i in named for d in i["data_types"]}),
            "platform_receives": [{k: v for k, v in r.items() if k != "appid"} for r in platform]})
    return sorted(out, key=lambda a: (not a["interfaces"], -a["request_count"], a["appid"]))


def crosscheck_parts(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]],
                     judgement: Judgement) -> dict[str, Any]:
    """The three parts for a report whose gap rows are ``rows`` (dicts of ``gap_rows``): contradictions in the
    versions the rows were judged against and the versions at the as-of date (else the latest); the comparisons
    at the as-of date, else on the captures' first day; the Mini Programs."""
    times = [r["first_time"] for r in rows if r["first_time"] is not None]
    when = judgement.as_of or (min(times).date() if times else None)
    versions = report_versions(con, {v for r in rows for v in r["version_ids"]}, judgement.as_of)
    return {"contradictions": contradictions_part(con, versions, judgement),
            "comparisons": comparisons_part(con, judgement, when),
            "mini_programs": mini_programs_part(con, judgement.min_confidence)}
