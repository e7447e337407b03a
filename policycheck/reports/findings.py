"""Findings: gap rows merged for reading, one per (recipient, feature, class), with a row per data type.

A finding's data-type rows carry what varies inside it: the hand-off verdict under the governing policy (a
column, so Channels is one finding whatever the verdict of each data type), the label, the policy versions
judged against, the capture files (named as the files name them), the deciding claims in specificity order,
one redacted sample, and the data type's history over every version of the governing policy. Counts are
distinct requests (a request counts once however many data types or scenarios it carries).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import numpy as np

from policycheck.gaps.classify import SEVERITY, decided_by_exclusion
from policycheck.gaps.rejudge import explained_by_dropped, names_its_data
from policycheck.reports.context import ReportContext, evidence_flow_ids

FINDING_KEY = ("recipient", "feature", "disclosure")
ROW_KEY = ("data_type", "label", "handoff_verdict", "handoff_label", "governing_document")
ROOT_SENTENCES = 3  # root-term sentences kept per omitted finding (all of them with --full; the rest counted)


def finding_id(recipient: str, feature: str, disclosure: str) -> str:
    """The finding's anchor: stable across runs on the same data ('finding-incorrect-wechat-mini_programs')."""
    return f"finding-{disclosure}-{recipient}-{feature}"


def row_class(row: dict[str, Any]) -> str:
    """The verdict that matters for a row: the class under the governing policy for handed-off rows."""
    return row["handoff_verdict"] or row["disclosure"]


def build_findings(ctx: ReportContext) -> list[dict[str, Any]]:
    """Findings (see the module docstring), worst class first, then most requests. Cites every claim and
    sample request they show."""
    merged: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in ctx.rows:
        key = tuple(r[k] for k in FINDING_KEY)
        f = merged.setdefault(key, {"rows": defaultdict(list)})
        f["rows"][tuple(r[k] for k in ROW_KEY)].append(r)
    out = [_finding(ctx, key, f["rows"]) for key, f in merged.items()]
    _header_only_elsewhere(ctx.rows, out)
    return sorted(out, key=lambda f: (SEVERITY.index(f["disclosure"]), -f["request_count"], f["feature"]))


def _header_only_elsewhere(rows: list[dict[str, Any]], findings: list[dict[str, Any]]) -> None:
    """Adds ``header_only_elsewhere`` to each finding with data types whose scope exclusion was set aside:
    ``[{data_type, request_count, finding}]``, the distinct requests of the same recipient, feature and data type
    that also carry it only in the request header but sit in rows (other scenarios) that the scope exclusion
    decides on their body requests. Those requests show the same collection in general, yet the row they sit in
    is judged on other requests and its finding only counts them: without this a reader of the set-aside finding
    would take its count for all the header-only requests (the report's fact-check: 21 Mini Program requests
    stated for the internal user id, where 146 carry it only in the header)."""
    header: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    decided: dict[tuple[str, str, str], str] = {}
    for r in rows:
        ids = r.get("header_only_flow_ids")
        if ids is not None and len(ids) and decided_by_exclusion(r["label"]):
            key = (r["recipient"], r["feature"], r["data_type"])
            header[key].update(int(i) for i in ids)
            decided[key] = finding_id(r["recipient"], r["feature"], r["disclosure"])
    for f in findings:
        f["header_only_elsewhere"] = [
            {"data_type": d, "request_count": len(header[key]), "finding": decided[key]}
            for d in f["header_only_data_types"] if (key := (f["recipient"], f["feature"], d)) in header]


def _finding(ctx: ReportContext, key: tuple[str, str, str],
             groups: dict[tuple, list[dict[str, Any]]]) -> dict[str, Any]:
    recipient, feature, disclosure = key
    data_types = [_data_type_row(ctx, rows) for rows in groups.values()]
    data_types.sort(key=lambda d: (SEVERITY.index(d["class"]), -d["request_count"], d["data_type"]))
    rows = [r for rs in groups.values() for r in rs]
    requests = distinct_requests(rows)
    everything = distinct_requests(rows, with_header_only=True)
    sentences = _sentences(ctx, data_types, "claim_ids", rank=True)
    handoff = _sentences(ctx, data_types, "handoff_claim_ids", rank=True)
    roots = _sentences(ctx, [d for d in data_types if d["class"] == "omitted"], "root_term_claim_ids",
                       cite=not ctx.full and ROOT_SENTENCES)
    verdicts: dict[str, int] = defaultdict(int)
    for d in data_types:
        if d["handoff_verdict"]:
            verdicts[d["handoff_verdict"]] += 1
    return {
        "id": finding_id(recipient, feature, disclosure),
        "recipient": recipient, "feature": feature, "disclosure": disclosure,
        "labels": sorted({d["label"] for d in data_types if d["label"]}),
        "governing_documents": sorted({d["governing_document"] for d in data_types if d["governing_document"]}),
        "account_policy": next((r["account_policy"] for r in rows if r["account_policy"]), None),
        "version_ids": sorted({v for d in data_types for v in d["version_ids"]}),
        "version_basis": sorted({r["version_basis"] for r in rows}),
        "handoff_verdicts": {cls: verdicts[cls] for cls in SEVERITY if verdicts.get(cls)},
        "languages": sorted({lang for r in rows for lang in r["languages"]}),
        "request_count": requests,
        "header_only_request_count": everything - requests,
        "scenario_count": len({r["scenario"] for r in rows}),
        "data_type_count": len({d["data_type"] for d in data_types}),
        "observation_count": sum(r["observation_count"] for r in rows),
        "data_types": data_types,
        "sentences": sentences, "handoff_sentences": handoff,
        "root_term_sentences": roots if ctx.full else roots[:ROOT_SENTENCES],
        "root_term_more": 0 if ctx.full else max(0, len(roots) - ROOT_SENTENCES),
        "header_only_data_types": [d["data_type"] for d in data_types if d["exclusion_set_aside"]],
        "histories": _histories(ctx, data_types),
        "definitions": _definitions(ctx, data_types),
    }


def _data_type_row(ctx: ReportContext, rows: list[dict[str, Any]]) -> dict[str, Any]:
    first = rows[0]
    requests = distinct_requests(rows)
    everything = distinct_requests(rows, with_header_only=True)
    files: dict[int, int] = defaultdict(int)
    for r in rows:
        for capture, n in r["files"].items():
            files[capture] += n
    sample = next((r["samples"][0] for r in sorted(rows, key=lambda r: -r["flow_count"]) if r["samples"]), None)
    return {
        "data_type": first["data_type"], "class": row_class(first), "label": first["label"],
        "handoff_verdict": first["handoff_verdict"], "handoff_label": first["handoff_label"],
        "governing_document": first["governing_document"],
        "version_ids": sorted({v for r in rows for v in r["version_ids"] or []}),
        "version_basis": sorted({r["version_basis"] for r in rows}),
        "request_count": requests, "header_only_request_count": everything - requests,
        "observation_count": sum(r["observation_count"] for r in rows),
        "files": {str(c): n for c, n in sorted(files.items(), key=lambda kv: (-kv[1], kv[0]))},
        "claim_ids": ctx.cite_claims(_union(rows, "claim_ids")),
        "handoff_claim_ids": ctx.cite_claims(_union(rows, "handoff_claim_ids")),
        "root_term_claim_ids": sorted({c for r in rows for c in r["root_term_claim_ids"]})
        if row_class(first) == "omitted" else [],
        "sample": ctx.cite_request(sample, first["data_type"]) if sample is not None else None,
        "exclusion_set_aside": any(r["exclusion_set_aside"] for r in rows),
        "history_keys": [(r["recipient"], r["data_type"], r["feature"], r["scenario"]) for r in rows],
    }


def _definitions(ctx: ReportContext, data_types: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The definitions the verdicts rest on: for each data-type row whose most specific deciding claim covers
    its data type only through a defined term ("Location Data. See definition above." for GPS coordinates), the
    block of that version that defines the term and lists the member that is (or is above) the data type:
    ``[{block_id, text, version_id, section_path, term_text, members: [{member_text, data_types}]}]``, in the
    order the rows come. Without it a verdict would quote a sentence that does not name the data type."""
    firsts = [(d["data_type"], d["claim_ids"][0]) for d in data_types if d["claim_ids"]]
    if not firsts:
        return []
    rows = ctx.con.execute("""
        with firsts as (select unnest($types) as dt, unnest($claims) as claim)
        select x.dt, t.block_id, b.text, c.version_id, b.section_path, c.data_text, t.member_text
        from firsts x
        join claims c on c.claim_id = x.claim
        join claim_data_coverage cov on cov.claim_id = c.claim_id and cov.data_type = x.dt and cov.via_term
        join defined_terms t on t.version_id = c.version_id and t.term = c.data_type
        join data_type_closure dc on dc.ancestor = t.member and dc.descendant = x.dt and dc.depth = cov.depth
        join blocks b on b.block_id = t.block_id
        where not exists (
            select 1 from claim_data_coverage d where d.claim_id = c.claim_id and d.data_type = x.dt
            and not d.via_term and d.depth <= cov.depth)
        order by t.block_id, t.member_text""",
                           {"types": [t for t, _ in firsts], "claims": [c for _, c in firsts]}).fetchall()
    order = {t: i for i, (t, _) in enumerate(firsts)}
    out: dict[int, dict[str, Any]] = {}
    for data_type, block_id, text, version_id, section_path, term_text, member_text in sorted(
            set(rows), key=lambda r: (order[r[0]], r[1], r[6])):
        entry = out.setdefault(block_id, {"block_id": block_id, "text": text, "version_id": version_id,
                                          "section_path": section_path, "term_text": term_text, "members": []})
        member = next((m for m in entry["members"] if m["member_text"] == member_text), None)
        if member is None:
            entry["members"].append(member := {"member_text": member_text, "data_types": []})
        if data_type not in member["data_types"]:
            member["data_types"].append(data_type)
    return list(out.values())


def _union(rows: list[dict[str, Any]], field: str) -> list[int]:
    """The claim ids of ``field`` over the rows, each once, in the rows' order (most specific first)."""
    ids: list[int] = []
    for r in rows:
        ids += [c for c in r[field] if c not in ids]
    return ids


def _sentences(ctx: ReportContext, data_types: list[dict[str, Any]], field: str, rank: bool = False,
               cite: int | bool = True) -> list[dict[str, Any]]:
    """The sentences stating the claims in ``field`` of the data-type rows, each once: ``{sentence_id,
    claim_ids, decides}`` (``decides``: the data types whose verdict it is evidence for). With ``rank``,
    most specific first: by the best position any of its claims has in a row's specificity order. Cites the
    claims of the first ``cite`` sentences (``True``: all)."""
    claims = ctx.claim_rows({c for d in data_types for c in d[field]})
    out: dict[str, dict[str, Any]] = {}
    for cid in sorted(claims):
        sid = claims[cid]["sentence_id"]
        out.setdefault(sid, {"sentence_id": sid, "claim_ids": [], "decides": []})["claim_ids"].append(cid)
    for entry in out.values():
        ids = set(entry["claim_ids"])
        entry["decides"] = sorted({d["data_type"] for d in data_types if ids & set(d[field])})
        entry["rank"] = min((d[field].index(c) for d in data_types for c in ids if c in d[field]), default=0)
    ordered = sorted(out.values(), key=lambda e: (e["rank"], -len(e["decides"]), int(e["sentence_id"]))
                     if rank else int(e["sentence_id"]))
    for i, e in enumerate(ordered):
        del e["rank"]
        if cite is True or i < cite:
            ctx.cite_claims(e["claim_ids"])
    return ordered


def _histories(ctx: ReportContext, data_types: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The data types' classes over every version of the governing policy, data types with the same story
    together: ``{data_types, runs: [{class, from, to}], changes: [{from_class, to_class, valid_from,
    document_id, change ('added' | 'dropped' | 'reworded'), claim_id}]}``."""
    stories: dict[tuple, dict[str, Any]] = {}
    for d in data_types:
        key = next((k for k in d.pop("history_keys") if ctx.history.get(k)), None)
        steps = ctx.history[key] if key else []
        runs, changes = _story(ctx, steps, key[2] if key else "")
        key = (tuple((r["class"], r["from"]) for r in runs), tuple(c["claim_id"] for c in changes))
        stories.setdefault(key, {"data_types": [], "runs": runs, "changes": changes})["data_types"].append(
            d["data_type"])
    return list(stories.values())


def _story(ctx: ReportContext, steps: list[dict[str, Any]], feature: str) -> tuple[list[dict], list[dict]]:
    runs: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    previous = None
    for step in steps:
        cls = step["handoff_verdict"] or step["disclosure"]
        if runs and runs[-1]["class"] == cls and runs[-1]["document_id"] == step["document_id"]:
            runs[-1]["to"] = step["valid_from"]
        else:
            runs.append({"class": cls, "from": step["valid_from"], "to": step["valid_from"],
                         "document_id": step["document_id"]})
            if previous is not None and previous["document_id"] == step["document_id"]:
                changes.append(_change(ctx, previous, step, cls))
            elif previous is not None:
                changes.append(_handover(ctx, previous, step, feature))
        previous = step
    return runs, changes


def _handover(ctx: ReportContext, old: dict[str, Any], new: dict[str, Any], feature: str) -> dict[str, Any]:
    """The step from one governing document to another: the account policy's version that starts handing the
    feature over (``change`` 'handed over', with its first hand-off sentence), or the version that stops
    ('taken back', citing the hand-off sentence the version before had)."""
    if new["disclosure"] == "handed_off":
        at, claims = handoff_start(ctx, old["version_id"], feature)
        change = "handed over"
    else:
        at, claims = new["version_id"], handoff_end(ctx, new["version_id"], feature)[1]
        change = "taken back"
    claim = claims[0] if claims else None
    if claim is not None:
        ctx.cite_claims([claim])
    valid_from = ctx.versions()[at]["valid_from"] if at is not None else new["valid_from"]
    return {"from_class": old["handoff_verdict"] or old["disclosure"],
            "to_class": new["handoff_verdict"] or new["disclosure"], "valid_from": valid_from,
            "document_id": new["document_id"], "change": change, "claim_id": claim}


def handoff_start(ctx: ReportContext, last_version: int, feature: str) -> tuple[int | None, list[int]]:
    """For a row judged under ``last_version`` of the account's policy and handed off after it: the next version
    of that document (the first that hands ``feature`` over; None when there is none) and the claims by which it
    does (:func:`~policycheck.gaps.classify.handoff_claims`, most specific first)."""
    return _handing(ctx, _adjacent(ctx, last_version, later=True), feature)


def handoff_end(ctx: ReportContext, first_version: int, feature: str) -> tuple[int | None, list[int]]:
    """For a row handed off until ``first_version`` of the account's policy judges it again: the version of that
    document before it (None when there is none) and the claims by which that version handed ``feature`` over."""
    return _handing(ctx, _adjacent(ctx, first_version, later=False), feature)


def _adjacent(ctx: ReportContext, version_id: int, later: bool) -> int | None:
    """The version of the same document valid right after (``later``) or right before ``version_id``, or None."""
    versions = ctx.versions()
    this = versions[version_id]
    same = sorted((v["valid_from"], i) for i, v in versions.items() if v["document_id"] == this["document_id"]
                  and (v["valid_from"] > this["valid_from"] if later else v["valid_from"] < this["valid_from"]))
    if not same:
        return None
    return (same[0] if later else same[-1])[1]


def _handing(ctx: ReportContext, version_id: int | None, feature: str) -> tuple[int | None, list[int]]:
    """``(version_id, the claims by which that version hands feature over)``; ``(None, [])`` for no version."""
    if version_id is None:
        return None, []
    version = ctx.versions()[version_id]
    return version_id, ctx.handoffs_at(version["policy_id"], feature, version["valid_from"])


def _change(ctx: ReportContext, old: dict[str, Any], new: dict[str, Any], cls: str) -> dict[str, Any]:
    """The sentence behind a class change, compared by wording with the other version's whole text (claim ids
    differ between versions even for an unchanged sentence): 'added' / 'dropped' a deciding sentence one text
    states and the other does not; when both texts state every deciding sentence, 'now deciding' / 'no longer
    deciding' one that decides only one of the verdicts; 'reworded' with no claim when the deciding sentences
    are the same. A change that discloses less (clear -> vague -> omitted, or a denial or exclusion gone with
    nothing in its place: incorrect -> omitted) is explained by the old version's deciding sentence the new one
    dropped; any other (towards clear, into incorrect) by the new version's deciding sentence the old one did not
    have; each side falls back on the other. Among the candidates, in deciding order, one whose sentence itself
    names its data phrase comes first (a table row's "Country/Region Data: unique identifier number (UIN) ..."
    before the row's "we use this information ...")."""
    claims = ctx.claim_rows(old["claim_ids"] + new["claim_ids"])
    def unstated(ids: list[int], text: frozenset[str]) -> list[int]:
        return [c for c in ids if c in claims and claims[c]["sentence"] not in text]

    added = unstated(new["claim_ids"], ctx.stated([old["version_id"]]))
    dropped = unstated(old["claim_ids"], ctx.stated([new["version_id"]]))
    now, before = "added", "dropped"
    if not added and not dropped:  # both texts state every deciding sentence: the claims that differ
        added = unstated(new["claim_ids"], wording(claims, old["claim_ids"]))
        dropped = unstated(old["claim_ids"], wording(claims, new["claim_ids"]))
        now, before = "now deciding", "no longer deciding"
    prev = old["handoff_verdict"] or old["disclosure"]
    order = [(before, dropped), (now, added)] if explained_by_dropped(prev, cls) else [
        (now, added), (before, dropped)]
    change, claim = next(((name, _most_explicit(ids, claims)) for name, ids in order if ids), ("reworded", None))
    if claim is not None:
        ctx.cite_claims([claim])
    return {"from_class": prev, "to_class": cls, "valid_from": new["valid_from"], "document_id": new["document_id"],
            "change": change, "claim_id": claim}


def wording(claims: dict[int, dict[str, Any]], ids: Iterable[int]) -> frozenset[str]:
    """The sentences the claims ``ids`` were read from (those of them in ``claims``)."""
    return frozenset(claims[c]["sentence"] for c in ids if c in claims)


def _most_explicit(ids: list[int], claims: dict[int, dict[str, Any]]) -> int:
    """The first of ``ids`` whose sentence contains its own data phrase, else the first."""
    return next((c for c in ids if c in claims and names_its_data(claims[c])), ids[0])


def distinct_requests(rows: list[dict[str, Any]], with_header_only: bool = False) -> int:
    """The number of distinct request ids over the rows' :func:`~policycheck.reports.context.evidence_flow_ids`
    (``with_header_only``: over every request of the rows): counted by marking them in a boolean array indexed
    by id when the ids are dense enough (as store ids are), else by ``np.unique``."""
    ids = [i for i in (evidence_flow_ids(r, with_header_only) for r in rows) if i is not None]
    if not ids:
        return 0
    every = np.concatenate(ids)
    if not len(every):
        return 0
    highest = int(every.max())
    if every.min() < 0 or highest > 8 * len(every) + 1_000_000:
        return len(np.unique(every))
    seen = np.zeros(highest + 1, dtype=bool)
    seen[every] = True
    return int(np.count_nonzero(seen))
