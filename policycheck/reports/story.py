"""Key findings: the report's opening, sentences built from the data (no language model, no free text).

The most severe findings come first, one line each with its numbers and the link to its section: every
``incorrect`` and ``ambiguous`` finding (at most :data:`MAX_SEVERE`), then the largest ``omitted`` and
hand-off findings (:data:`MAX_EACH`). Then what the judgement rests on: the captures (distinct requests,
files, dates) and the policies (documents, versions, dates), the mode and the confidence threshold.
"""

from __future__ import annotations

from typing import Any

from policycheck.gaps.classify import decided_by_exclusion
from policycheck.reports.context import ReportContext

MAX_SEVERE = 5  # incorrect and ambiguous findings named in the opening
MAX_EACH = 2  # omitted findings, and hand-off findings with a verdict worse than clear, named in the opening
DATA_TYPES_NAMED = 4  # data types named in a line (the rest are counted)


def build_key_findings(ctx: ReportContext) -> dict[str, Any]:
    """``{lines: [{finding, class, text}], more: {class: findings not named}, examined: [sentences]}``."""
    findings = ctx.data("findings")
    severe = [f for f in findings if f["disclosure"] in ("incorrect", "ambiguous")][:MAX_SEVERE]
    omitted = [f for f in findings if f["disclosure"] == "omitted"][:MAX_EACH]
    handed = [f for f in findings if f["disclosure"] == "handed_off"
              and set(f["handoff_verdicts"]) - {"clear"}][:MAX_EACH]
    named = severe + omitted + handed
    sent = _requests_per_feature(ctx)
    lines = [{"finding": f["id"], "class": f["disclosure"],
              "text": _line(ctx, f, sent.get((f["recipient"], f["feature"]), f["request_count"]))} for f in named]
    more: dict[str, int] = {}
    for f in findings:
        if f not in named:
            more[f["disclosure"]] = more.get(f["disclosure"], 0) + 1
    return {"lines": lines, "more": more, "examined": _examined(ctx)}


def _requests_per_feature(ctx: ReportContext) -> dict[tuple[str, str], int]:
    """``(recipient, feature) -> distinct requests`` that recipient received at that feature's endpoints, with
    personal data detected or not: the denominator of a key finding's "N of the M requests to X endpoints"."""
    rows = ctx.con.execute("select recipient, feature, count(*) from distinct_flows group by all").fetchall()
    return {(recipient, feature): n for recipient, feature, n in rows}


def _line(ctx: ReportContext, f: dict[str, Any], feature_requests: int) -> str:
    who = ctx.name("entities", f["recipient"])
    feature = ctx.name("features", f["feature"])
    types = _types(ctx, [d["data_type"] for d in f["data_types"]])
    policy = _policy(ctx, f)
    scenarios = ctx.data("totals")["scenarios"]
    endpoints = f"{feature} endpoints" if f["feature"] != "unknown" else "endpoints of no known feature"
    # requests are attributed to a feature by API path: say in how many user activities they were sent, so that
    # a feature's background requests (Channels' sync at every start) do not read as the user using it
    them = "it" if f["data_type_count"] == 1 else "them"
    # the denominator is the requests to the same endpoints, never every request of the captures; a request
    # counts when it carries one of the data types, not all of them
    each = "" if f["data_type_count"] == 1 else " (each with one or more of them)"
    received = (f"{who}'s servers received {types} in {f['request_count']} of the {feature_requests} requests to "
                f"{endpoints}{each}, sent in {f['scenario_count']} of {scenarios} capture scenarios")
    labels = set(f["labels"])
    if f["disclosure"] == "incorrect":
        if any(decided_by_exclusion(label) for label in labels):
            why = f", which {policy} takes out of its scope as another party's service"
        else:
            why = f", which {policy} says is not collected"
    elif f["disclosure"] == "ambiguous":
        why = f"; {policy} says both that it does and that it does not collect {them}"
    elif f["disclosure"] == "omitted":
        why = (f"; {policy} names {them} only as personal information in general" if "root_terms_only" in labels
               else f"; no statement of {policy} covers {them}")
    elif f["disclosure"] == "handed_off":
        verdicts = ", ".join(f"{n} {cls}" for cls, n in f["handoff_verdicts"].items())
        why = (f": the feature is governed by {policy}, under which the data types are {verdicts}"
               + ("; that text is later than the requests (no earlier version is stored)"
                  if "earliest_known" in f["version_basis"] else ""))
    else:
        why = f": {policy} covers {them} {'only in general terms' if f['disclosure'] == 'vague' else 'by name'}"
    return f"{received}{why}."


def _types(ctx: ReportContext, data_types: list[str]) -> str:
    unique = list(dict.fromkeys(data_types))
    names = [ctx.name("data_types", d) for d in unique[:DATA_TYPES_NAMED]]
    if len(unique) == 1:
        return f"1 data type ({names[0]})"
    rest = len(unique) - len(names)
    return f"{len(unique)} data types ({', '.join(names)}{f' and {rest} more' if rest else ''})"


def _policy(ctx: ReportContext, f: dict[str, Any]) -> str:
    """'the WeChat Privacy Policy (version of 2022-09-09)', 'the Weixin Privacy Policy (微信隐私保护指引, version of
    2026-08-17)': the document's own title where it differs from its name (``version_names``)."""
    versions = [ctx.data("version_names")[v] for v in f["version_ids"] if v in ctx.data("version_names")]
    titles = sorted({v["title"] for v in versions}) or f["governing_documents"]
    own = sorted({v["own_title"] for v in versions if v["own_title"]})
    dated = sorted({v["date"] for v in versions if v["date"]})
    notes = [*own, *([f"version of {', '.join(dated)}"] if dated else [])]
    return f"the {' and the '.join(titles)}" + (f" ({', '.join(notes)})" if notes else "")


def _examined(ctx: ReportContext) -> list[str]:
    t = ctx.data("totals")
    captures = ctx.con.execute("""
        select count(distinct c.capture_id), min(f."time")::date, max(f."time")::date
        from captures c left join distinct_flows f using (capture_id)""").fetchall()[0]
    policies = ctx.con.execute("""
        select d.service || ' ' || d.doc_type || ' (' || d.language || ')', count(v.version_id),
               min(v.effective_date), max(v.effective_date)
        from documents d join versions v using (document_id) group by all order by 1""").fetchall()
    judged = (f"as of {ctx.judgement.as_of}" if ctx.judgement.as_of
              else "each request against the version in force when it was sent")
    dates = f", sent between {captures[1]} and {captures[2]}" if captures[1] else ""
    texts = "; ".join(f"{n} version{'s' if n != 1 else ''} of the {title}"
                      + (f" ({first} to {last})" if first and first != last else f" ({first})" if first else "")
                      for title, n, first, last in policies)
    return [
        f"The captures hold {t['requests']} distinct requests ({t['request_records']} request records in "
        f"{t['capture_files']} capture files{dates}), with {t['observations']} detections of personal data "
        f"at confidence {ctx.judgement.min_confidence} or more.",
        f"They are judged against {texts}: {judged}, in {ctx.judgement.mode} mode.",
    ]
