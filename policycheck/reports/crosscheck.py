"""Report sections that check the policies against each other and follow data through Mini Program interfaces.

Three section builders (``sections.py``; templates ``templates/sections/<id>.*.j2``; ``report.schema.json``), each
citing the claims and requests it shows so that they land in the report's evidence maps:

- :func:`build_contradictions`: contradictions inside each policy version the report rests on (PolicyLint types,
  ``policycheck/gaps/contradictions.py``);
- :func:`build_comparisons`: the account's policy against every other policy, per feature either takes out of its
  scope (``policycheck/gaps/compare.py``): the WeChat policy in force at capture time against the Weixin guidelines;
- :func:`build_mini_programs`: per Mini Program app id, the privacy interfaces its requests name, the data types
  those hand to the developer, and what the platform's own endpoints received in requests attributed to it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb

from policycheck.gaps import compare, contradictions
from policycheck.gaps.documents import VersionRef, resolve
from policycheck.reports.context import ReportContext
from policycheck.store import fetch_dicts

_PAIR_KEYS = ("kind", "type", "feature_relation", "root_term", "version_id", "document_id", "positive_party",
              "positive_data_types", "positive_contexts", "positive_claim_ids", "negative_party",
              "negative_data_types", "negative_contexts", "negative_claim_ids")
_PRACTICE_KEYS = ("side", "party", "action", "data_type", "context", "recipient", "class", "claim_ids",
                  "deciding_ids")


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


def build_contradictions(ctx: ReportContext) -> dict[str, Any]:
    """Contradicting sentence pairs in the versions the gap rows were judged against and the version of every
    document at the as-of date (else the latest), logical contradictions first, in the report's consistency mode,
    with counts per kind of the sentence pairs and of the pairs of claims behind them. Sentences by claim id."""
    versions = report_versions(ctx.con, {v for r in ctx.rows for v in r["version_ids"] or []},
                               ctx.judgement.as_of)
    rows = contradictions.contradiction_rows(ctx.con, versions, ctx.judgement.mode)
    pairs = contradictions.sentence_pairs(rows)
    for p in pairs:
        ctx.cite_claims(p["positive_claim_ids"] + p["negative_claim_ids"])
    return {"mode": ctx.judgement.mode, "versions": [_version(v) for v in versions],
            "counts": {kind: sum(p["kind"] == kind for p in pairs) for kind in contradictions.KINDS},
            "claim_pairs": {kind: sum(r["kind"] == kind for r in rows) for kind in contradictions.KINDS},
            "pairs": [{k: p[k] for k in _PAIR_KEYS} for p in pairs]}


def build_comparisons(ctx: ReportContext) -> list[dict[str, Any]]:
    """For each account policy of the captures (``account_policies``) against each other policy: per feature
    either takes out of its scope, the practices under it that one side states and the other does not state the
    same way (every class but ``same``), each under the most specific of those features above it. Versions in
    force at the as-of date, else on the captures' first day. Sentences by claim id."""
    times = [r["first_time"] for r in ctx.rows if r["first_time"] is not None]
    when = ctx.judgement.as_of or (min(times).date() if times else None)
    policies = [r[0] for r in ctx.con.execute("select distinct policy_id from version_validity order by 1")
                .fetchall()]
    accounts = [r[0] for r in ctx.con.execute(
        "select distinct ap.policy_id from captures c join account_policies ap using (account_region) "
        "order by 1").fetchall() if r[0] in policies]
    out = []
    for account in accounts:
        for other in (p for p in policies if p != account):
            result = compare.compare(ctx.con, f"{account}@{when}" if when else account,
                                     f"{other}@{when}" if when else other, mode=ctx.judgement.mode)
            closest = _closest(ctx.con, [f["feature"] for f in result.features])
            features = []
            for feature in result.features:
                practices = [{k: r[k] for k in _PRACTICE_KEYS} for r in result.rows
                             if closest.get(r["context"]) == feature["feature"] and r["class"] != "same"]
                for p in practices:
                    ctx.cite_claims(p["claim_ids"] + p["deciding_ids"])
                if practices:
                    features.append(feature | {"practices": practices})
            out.append({"a": [_version(v) for v in result.a], "b": [_version(v) for v in result.b],
                        "mode": result.mode, "features": features})
    return out


def _closest(con: duckdb.DuckDBPyConnection, features: list[str]) -> dict[str, str]:
    """Each feature under one of ``features`` -> the closest of them above it (itself when listed), so that a
    practice is shown once, under the most specific feature taken out of scope."""
    return dict(con.execute("select descendant, arg_min(ancestor, depth) from feature_closure "
                            "where list_contains(?, ancestor) group by 1", [features]).fetchall())


def build_mini_programs(ctx: ReportContext) -> list[dict[str, Any]]:
    """Per Mini Program app id (``flows.mini_program_appid``): distinct requests and scenarios (a capture whose
    bytes other files with other scenarios' names hold too gives 'a ≡ b': the bytes cannot tell which); each privacy
    interface its requests name (``privacy_interface:<name>`` observations) with the data types it hands to the
    developer, its distinct requests, endpoints, field paths and one cited sample request; and the data types the
    platform's own endpoints received in its requests (observations the requests carry, at or above the
    confidence threshold). App ids name Mini Programs, not people; values stay redacted."""
    con = ctx.con
    apps = fetch_dicts(con, """
        with labels as (
            select c.capture_id, c.scenario || coalesce(' ≡ ' || (
                select array_to_string(list_sort(list(distinct a.scenario)), ' ≡ ') from capture_aliases a
                where a.capture_id = c.capture_id and a.scenario <> c.scenario), '') as scenario
            from captures c)
        select f.mini_program_appid as appid, count(distinct f.flow_id) as request_count,
               list(distinct l.scenario order by l.scenario) as scenarios
        from distinct_flows f join labels l using (capture_id)
        where f.mini_program_appid is not null group by 1""")
    interfaces = fetch_dicts(con, """
        select f.mini_program_appid as appid, split_part(o.detector, ':', 2) as interface,
               list(distinct o.data_type order by o.data_type) as data_types,
               count(distinct o.flow_id) as request_count, max(o.confidence) as confidence,
               list(distinct f.path order by f.path) as endpoints,
               list(distinct o.field_path order by o.field_path) as field_paths, min(o.flow_id) as sample,
               arg_min(o.data_type, o.flow_id) as sample_data_type
        from observations o join distinct_flows f using (flow_id)
        where o.detector like 'privacy_interface:%' and f.mini_program_appid is not null
        group by all order by appid, interface""")
    received = fetch_dicts(con, """
        select f.mini_program_appid as appid, f.recipient, o.data_type, count(distinct o.flow_id) as request_count,
               list(distinct f.path order by f.path) as endpoints
        from carried_observations o join distinct_flows f using (flow_id) join entities e on e.id = f.recipient
        where f.mini_program_appid is not null and e.kind = 'platform' and o.confidence >= ?
        group by all order by appid, request_count desc, o.data_type""", [ctx.judgement.min_confidence])
    out = []
    for app in apps:
        named = [i for i in interfaces if i["appid"] == app["appid"]]
        for i in named:
            ctx.cite_request(i["sample"], i.pop("sample_data_type"))
        out.append(app | {
            "interfaces": [{k: v for k, v in i.items() if k != "appid"} for i in named],
            "developer_receives": sorted({d for i in named for d in i["data_types"]}),
            "platform_receives": [{k: v for k, v in r.items() if k != "appid"}
                                  for r in received if r["appid"] == app["appid"]]})
    return sorted(out, key=lambda a: (not a["interfaces"], -a["request_count"], a["appid"]))
