"""The report's sections: each is one builder function and one template per format.

:data:`SECTIONS` lists them in reading order. A :class:`Section` names its ``id`` (the key of its data in the
report dict, its anchor, and its templates ``templates/sections/<id>.md.j2`` and ``<id>.html.j2``), its title
(the contents list), and its builder: a function of the :class:`~policycheck.reports.context.ReportContext`
returning JSON-serialisable data (``None`` for a section that only renders shared data such as ``gaps`` or
``claims``). Builders cite the claims and requests they show; the shared maps are written once.

To add a section: write ``build_x(ctx)`` (reading ``ctx.rows``, ``ctx.con``, or ``ctx.data("findings")``),
add ``Section("x", "Title", build_x)`` to :data:`SECTIONS` where it should appear, add
``templates/sections/x.md.j2`` and ``x.html.j2`` (each renders ``r.x``), and describe ``x`` in
``report.schema.json``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from policycheck.gaps.classify import CLASSES, SEVERITY
from policycheck.gaps.rejudge import explained_by_dropped, names_its_data
from policycheck.reports.context import ReportContext
from policycheck.reports.crosscheck import build_comparisons, build_contradictions, build_mini_programs
from policycheck.reports.findings import build_findings, handoff_end, handoff_start, row_class, wording
from policycheck.reports.story import build_key_findings
from policycheck.store import fetch_dicts

JUMP_SENTENCES = 3  # sentences quoted per class change between two policy versions (the rest are counted)


@dataclass(frozen=True)
class Section:
    """One section of the report (see the module docstring)."""

    id: str
    title: str
    build: Callable[[ReportContext], Any] | None = None


def build_totals(ctx: ReportContext) -> dict[str, int]:
    """What the report rests on, each figure saying what it counts: distinct requests (a request in several
    cumulative capture files once), the request records in the files, the capture files, the capture scenarios
    (user activities) that hold a request of their own (a capture whose every request counts in another capture,
    such as a published dump of a request the pcap holds, sent nothing in a scenario of its own), and detections."""
    requests, records, files, scenarios = ctx.con.execute(
        "select (select count(*) from distinct_flows), (select count(*) from flows), (select count(*) from captures),"
        " (select count(distinct c.scenario) from captures c where exists"
        "  (select 1 from distinct_flows f where f.capture_id = c.capture_id))").fetchall()[0]
    judged, below = ctx.con.execute(
        "select count(*) filter (where o.confidence >= ?), count(*) filter (where o.confidence < ?) "
        "from observations o join distinct_flows f using (flow_id)",
        [ctx.judgement.min_confidence, ctx.judgement.min_confidence]).fetchall()[0]
    claims, versions = ctx.con.execute(
        "select (select count(*) from claims), (select count(*) from versions)").fetchall()[0]
    return {"gaps": len(ctx.rows), "requests": requests, "request_records": records, "capture_files": files,
            "scenarios": scenarios, "observations": judged, "low_confidence_observations": below, "claims": claims,
            "versions": versions}


def build_summary(ctx: ReportContext) -> dict[str, int]:
    """Gap rows per class."""
    classes = Counter(r["disclosure"] for r in ctx.rows)
    return {cls: classes.get(cls, 0) for cls in CLASSES}


def build_handoff_summary(ctx: ReportContext) -> dict[str, int]:
    """Handed-off gap rows per verdict under the governing policy."""
    handoff = Counter(r["handoff_verdict"] for r in ctx.rows if r["handoff_verdict"])
    return {cls: handoff.get(cls, 0) for cls in CLASSES if cls != "handed_off"}


def build_policies(ctx: ReportContext) -> list[dict[str, Any]]:
    """Every policy document: language, URL, title, number of versions and effective-date range."""
    return fetch_dicts(ctx.con, """
        select d.document_id, d.policy_id, d.service || ' ' || d.doc_type as title, d.language, d.url,
               count(v.version_id) as versions, min(v.effective_date) as first_effective,
               max(v.effective_date) as last_effective
        from documents d left join versions v using (document_id) group by all order by d.document_id""")


def build_captures(ctx: ReportContext) -> list[dict[str, Any]]:
    """Every capture file: name, scenario and run as the file name gives them, sha256, request records,
    distinct requests of its own (not in a shorter capture it extends), the other file names that hold
    the same bytes (``also_saved_as``) and the scenarios those names give where they differ from the capture's
    (``also_scenarios``: the bytes cannot tell which activity was captured, so a row of the capture's scenario
    may as well be one of these)."""
    rows = fetch_dicts(ctx.con, """
        select capture_id, path, format, scenario, run, account_region, captured_at, sha256, profile,
               (select count(*) from flows f where f.capture_id = c.capture_id) as requests,
               (select count(*) from distinct_flows f where f.capture_id = c.capture_id) as own_requests,
               coalesce((select list(a.path order by a.path) from capture_aliases a
                         where a.capture_id = c.capture_id), []) as aliases,
               coalesce((select list(distinct a.scenario order by a.scenario) from capture_aliases a
                         where a.capture_id = c.capture_id and a.scenario <> c.scenario), []) as also_scenarios
        from captures c order by capture_id""")
    for c in rows:
        c["file"] = Path(c["path"]).name
        c["also_saved_as"] = [Path(p).name for p in c.pop("aliases")]
        c["profile"] = Path(c["profile"]).name if c["profile"] else None
    return rows


def build_version_names(ctx: ReportContext) -> dict[int, dict[str, str | None]]:
    """Internal: version id -> ``{title: 'WeChat Privacy Policy', own_title: None, date: effective date or
    valid from}``.

    ``title`` is the document's service and Open Terms Archive terms type; ``own_title`` the version's own first
    heading where it says something else (《微信隐私保护指引》, the Weixin Privacy Protection Guidelines, whose
    terms type is ``Privacy Policy``), else None, so that a quote can name the document as it names itself."""
    rows = ctx.con.execute("""
        select vv.version_id, d.service || ' ' || d.doc_type, coalesce(vv.effective_date, vv.valid_from)::varchar,
               v.title
        from version_validity vv join documents d using (document_id) join versions v using (version_id)""").fetchall()
    return {r[0]: {"title": r[1], "own_title": _own_title(r[1], r[3]), "date": r[2]} for r in rows}


def _own_title(name: str, own: str | None) -> str | None:
    """The document's own title when it has one that is not ``name`` (whatever its case and spacing)."""
    own = " ".join((own or "").split())
    return own if own and own.casefold() != " ".join(name.split()).casefold() else None


def build_gaps(ctx: ReportContext) -> list[dict[str, Any]]:
    """Every gap row (recipient, data type, feature, scenario): its class (and verdict under the governing
    policy when handed off), label, policy versions and deciding claims (by id), distinct requests and
    detections, first and last request time, requests per capture file (``files``: capture id -> requests)
    and one sample request (by id). What a row shares with its finding's data-type row (governing document,
    languages, hand-off and root-term sentences) is written there once. With ``ctx.full`` every row also
    carries those, up to five samples, every request id (``flow_ids``) and its class under each version of
    the governing policy (``history``)."""
    out = []
    for r in ctx.rows:
        row = {k: r[k] for k in ("recipient", "data_type", "feature", "scenario", "disclosure", "handoff_verdict",
                                 "label", "version_ids", "flow_count", "observation_count", "first_time",
                                 "last_time", "exclusion_set_aside")}
        row["claim_ids"] = ctx.cite_claims(r["claim_ids"])
        row["header_only_flow_count"] = len(r["header_only_flow_ids"]) if r["header_only_flow_ids"] is not None else 0
        row["files"] = {str(c): n for c, n in r["files"].items()}
        row["samples"] = [ctx.cite_request(f, r["data_type"]) for f in r["samples"][:None if ctx.full else 1]]
        if ctx.full:
            row |= {k: r[k] for k in ("handoff_label", "governing_document", "account_policy", "version_basis",
                                      "languages", "root_term_claim_ids")}
            row["flow_ids"] = None if r["flow_ids"] is None else [int(f) for f in r["flow_ids"]]
            row["handoff_claim_ids"] = ctx.cite_claims(r["handoff_claim_ids"])
            row["history"] = [{k: s[k] for k in ("version_id", "valid_from", "disclosure", "handoff_verdict",
                                                 "claim_ids")}
                              for s in ctx.history.get((r["recipient"], r["data_type"], r["feature"],
                                                        r["scenario"]), [])]
        out.append(row)
    return out


def build_matrix(ctx: ReportContext) -> dict[str, Any]:
    """Data types x features: the worst class over recipients and scenarios in each cell (a handed-off cell
    shows ``handed_off``), with the number of gap rows behind it."""
    cells: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for r in ctx.rows:
        cell = cells[r["data_type"]].setdefault(r["feature"], {"class": r["disclosure"], "rows": 0})
        cell["rows"] += 1
        if SEVERITY.index(r["disclosure"]) < SEVERITY.index(cell["class"]):
            cell["class"] = r["disclosure"]
    return {"data_types": sorted(cells), "features": sorted({r["feature"] for r in ctx.rows}),
            "cells": {d: dict(sorted(c.items())) for d, c in sorted(cells.items())}}


def build_clear(ctx: ReportContext) -> list[str]:
    """The ids of the clear findings (rendered as one table)."""
    return [f["id"] for f in ctx.data("findings") if f["disclosure"] == "clear"]


def build_low_confidence(ctx: ReportContext) -> list[dict[str, Any]]:
    """Detections below the threshold (never judged, never findings), per recipient, data type, feature,
    detector and field path: their highest confidence, distinct requests, and whether the same data type is
    also detected at or above the threshold in that feature (``also_confident``)."""
    threshold = ctx.judgement.min_confidence
    # only the data types detected below the threshold are looked for among the confident detections: not a
    # second pass joining every observation with its flow
    low_types = [t for t, in ctx.con.execute("select distinct data_type from observations where confidence < ?",
                                             [threshold]).fetchall()]
    return fetch_dicts(ctx.con, """
        with low as (
            select f.recipient, o.data_type, f.feature, o.detector, o.field_path, max(o.confidence) as confidence,
                   count(distinct o.flow_id) as request_count, count(*) as observation_count
            from observations o join distinct_flows f using (flow_id)
            where o.confidence < ?
            group by all
        ), confident as (
            select distinct f.recipient, o.data_type, f.feature
            from observations o join distinct_flows f using (flow_id)
            where o.confidence >= ? and list_contains(?, o.data_type)
        )
        select l.*, c.data_type is not null as also_confident
        from low l left join confident c using (recipient, data_type, feature)
        order by l.confidence desc, l.request_count desc, l.data_type, l.feature, l.detector, l.field_path""",
        [threshold, threshold, low_types])


def build_history_by_version(ctx: ReportContext) -> list[dict[str, Any]]:
    """Per governing document and version: how many of today's gap rows each class would get under it, and
    the class changes from the previous version with the sentences whose wording the new version added or
    dropped (at most :data:`JUMP_SENTENCES` each way, the rest counted). A row whose feature a version of the
    account's policy starts (or stops) handing over to another policy is a change to (from) ``handed_off`` at
    that version, with the sentences that hand the feature over, and is counted ``handed_off`` under the
    account policy's versions that hand it over (its classes there are counted under the other policy's
    versions)."""
    versions = ctx.versions()
    counts: dict[int, Counter] = defaultdict(Counter)
    jumps: dict[tuple, dict[str, Any]] = {}
    handed: list[tuple[int, int | None]] = []  # per row handed over: (first version handing, first taking back)
    for (_r, data_type, feature, _s), steps in ctx.history.items():
        for step in steps:
            counts[step["version_id"]][row_class(step)] += 1
        for old, new in pairwise(steps):
            change = _step_change(ctx, feature, old, new)
            if change is None:
                continue
            if change[2] == "handed_off":
                handed.append((change[0], None))
            elif change[1] == "handed_off" and handed and handed[-1][1] is None:
                handed[-1] = (handed[-1][0], change[0])
            jump = jumps.setdefault(change[:3], {"from_class": change[1], "to_class": change[2], "rows": 0,
                                                 "data_types": set(), "from_version_id": change[3],
                                                 "old": set(), "new": set()})
            jump["rows"] += 1
            jump["data_types"].add(data_type)
            jump["old"].update(change[4])
            jump["new"].update(change[5])
    _count_handed(versions, handed, counts)
    by_id = {version_id: _version_row(versions[version_id], per_class) for version_id, per_class in counts.items()}
    for (to, _a, _b), j in jumps.items():
        by_id.setdefault(to, _version_row(versions[to], Counter()))["changes"].append(_jump(ctx, to, j))
    for h in by_id.values():
        h["changes"].sort(key=lambda c: -c["rows"])
    return sorted(by_id.values(), key=lambda h: (h["document_id"], h["valid_from"]))


def _count_handed(versions: dict[int, dict[str, Any]], handed: list[tuple[int, int | None]],
                  counts: dict[int, Counter]) -> None:
    """Count each handed-over row as ``handed_off`` under every version of the account's policy from the one
    that hands it over to (not including) the one that takes it back."""
    for start, until in handed:
        first = versions[start]
        end = versions[until]["valid_from"] if until is not None else None
        for version_id, v in versions.items():
            if v["document_id"] == first["document_id"] and v["valid_from"] >= first["valid_from"] and (
                    end is None or v["valid_from"] < end):
                counts[version_id]["handed_off"] += 1


def _version_row(v: dict[str, Any], per_class: Counter) -> dict[str, Any]:
    return {"document_id": v["document_id"], "version_id": v["version_id"], "effective_date": v["effective_date"],
            "valid_from": v["valid_from"], "language": v["language"],
            "classes": {cls: per_class.get(cls, 0) for cls in CLASSES}, "changes": []}


def _step_change(ctx: ReportContext, feature: str, old: dict[str, Any], new: dict[str, Any]) -> tuple | None:
    """``(at version, from class, to class, from version, old claim ids, new claim ids)`` of a row between two
    consecutive steps of its history, None when its class stayed. Within one document the change is at the new
    version; from the account's policy to another (a hand-off) it is at the account document's next version,
    whose hand-off sentences are the new side (the reverse: at the new version, the old one's are the old side)."""
    if old["document_id"] == new["document_id"]:
        if row_class(old) == row_class(new):
            return None
        return new["version_id"], row_class(old), row_class(new), old["version_id"], old["claim_ids"], new["claim_ids"]
    if new["disclosure"] == "handed_off" and old["disclosure"] != "handed_off":
        at, handing = handoff_start(ctx, old["version_id"], feature)
        return None if at is None else (at, row_class(old), "handed_off", old["version_id"], old["claim_ids"],
                                        handing)
    if old["disclosure"] == "handed_off" and new["disclosure"] != "handed_off":
        before, handing = handoff_end(ctx, new["version_id"], feature)
        return new["version_id"], "handed_off", row_class(new), before, handing, new["claim_ids"]
    return None


def _jump(ctx: ReportContext, to_version: int, jump: dict[str, Any]) -> dict[str, Any]:
    """A class change with the deciding sentences whose wording the new version's text added and the old
    version's text dropped; when both texts state every deciding sentence, those that decide only one of the
    verdicts (``kept``: labelled as now / no longer deciding, never as added or dropped). Sentences with a claim
    about one of the changed data types itself come first, then those that name their own data phrase;
    ``dropped_first`` when the change is explained by what was dropped
    (:func:`policycheck.gaps.rejudge.explained_by_dropped`)."""
    claims = ctx.claim_rows(jump["old"] | jump["new"])

    def sentences(ids: set[int], other: frozenset[str]) -> list[str]:
        firsts: dict[str, tuple[bool, bool]] = {}  # sentence -> (names a changed data type, names its phrase)
        for c in sorted(ids):
            if c in claims and claims[c]["sentence"] not in other:
                sid = claims[c]["sentence_id"]
                exact, named = firsts.get(sid, (False, False))
                firsts[sid] = (exact or claims[c]["data_type"] in jump["data_types"],
                               named or names_its_data(claims[c]))
        return sorted(firsts, key=lambda sid: (not firsts[sid][0], not firsts[sid][1]))

    old_text = ctx.stated([jump["from_version_id"]]) if jump["from_version_id"] is not None else frozenset()
    added, removed = sentences(jump["new"], old_text), sentences(jump["old"], ctx.stated([to_version]))
    kept = not added and not removed
    if kept:  # both texts state every deciding sentence: those deciding only one verdict
        added, removed = (sentences(jump["new"], wording(claims, jump["old"])),
                          sentences(jump["old"], wording(claims, jump["new"])))
    ctx.cite_claims(int(s) for s in added[:JUMP_SENTENCES] + removed[:JUMP_SENTENCES])
    return {"from_class": jump["from_class"], "to_class": jump["to_class"], "rows": jump["rows"],
            "dropped_first": explained_by_dropped(jump["from_class"], jump["to_class"]), "kept": kept,
            "data_types": sorted(jump["data_types"]), "from_version_id": jump["from_version_id"],
            "added_sentences": added[:JUMP_SENTENCES], "added_more": max(0, len(added) - JUMP_SENTENCES),
            "removed_sentences": removed[:JUMP_SENTENCES], "removed_more": max(0, len(removed) - JUMP_SENTENCES)}


# Data every section may read, kept in the report under these keys; not sections themselves.
SHARED: dict[str, Callable[[ReportContext], Any]] = {
    "totals": build_totals, "summary": build_summary, "handoff_summary": build_handoff_summary,
    "policies": build_policies, "captures": build_captures, "gaps": build_gaps,
}
INTERNAL: dict[str, Callable[[ReportContext], Any]] = {"version_names": build_version_names}

SECTIONS: list[Section] = [
    Section("key_findings", "Key findings", build_key_findings),
    Section("summary_table", "Summary"),
    Section("sources", "Policies and captures"),
    Section("matrix", "Data types × features", build_matrix),
    Section("findings", "Findings", build_findings),
    Section("clear_disclosures", "Clear disclosures", build_clear),
    Section("history_by_version", "Policy history: every version judged", build_history_by_version),
    Section("contradictions", "Contradictions inside the policies", build_contradictions),
    Section("comparisons", "Policies against each other", build_comparisons),
    Section("mini_programs", "Mini Programs: privacy interfaces and who received what", build_mini_programs),
    Section("low_confidence", "Lower-confidence detections (not judged)", build_low_confidence),
    Section("gap_rows", "All gap rows"),
    Section("claims_cited", "Claims cited"),
    Section("requests_cited", "Requests cited"),
]
