"""``policycheck changes``: a document's version history as readable text — per change event, the text diff, the
data practices (claims) added and removed, and the verdicts re-judging found changed.

Claims are compared as data practices: (actor, action, negated, data type, context, recipient, scope), counted
with multiplicity, so a sentence reworded without changing what it states adds and removes nothing. Each side
is shown with the sentence it was read from.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import duckdb

from policycheck.errors import PolicycheckError
from policycheck.gaps.rejudge import VerdictChange, recorded_changes
from policycheck.store import fetch_dicts

PRACTICE = ("actor", "action", "negated", "data_type", "context", "recipient", "scope")


@dataclass
class ChangeView:
    """One change event of a document, ready to print."""

    change_id: int
    document_id: str
    observed_at: Any
    before: dict[str, Any] | None  # version_id, effective_date, first_seen, text
    after: dict[str, Any]
    claims_added: list[dict[str, Any]] = field(default_factory=list)  # claim rows (practice columns + sentence)
    claims_removed: list[dict[str, Any]] = field(default_factory=list)
    rejudged: dict[str, Any] | None = None  # the rejudged_changes row, None while not re-judged
    verdicts: list[VerdictChange] = field(default_factory=list)


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(con.execute("select count(*) from information_schema.tables where table_name = ?",
                            [name]).fetchall()[0][0])


def _claims(con: duckdb.DuckDBPyConnection, version_id: int | None) -> list[dict[str, Any]]:
    if version_id is None:
        return []
    return fetch_dicts(con, f"select {', '.join(PRACTICE)}, sentence from claims where version_id = ? "
                            "order by claim_id", [version_id])


def _practice_key(claim: dict[str, Any]) -> tuple:
    return tuple(claim[k] for k in PRACTICE)


def _beyond(claims: list[dict[str, Any]], counts: Counter[tuple], other: set[str]) -> list[dict[str, Any]]:
    """The claims whose practice is left in ``counts`` (each practice as many times as counted), in order. A
    practice stated by several sentences is shown with one whose wording the other version lacks (``other``:
    its sentences) before one both versions state, which can be neither added nor removed."""
    picked = []
    for own_wording_first in (True, False):
        for i, claim in enumerate(claims):
            key = _practice_key(claim)
            if counts[key] > 0 and (claim["sentence"] not in other) == own_wording_first:
                counts[key] -= 1
                picked.append((i, claim))
    return [claim for _i, claim in sorted(picked, key=lambda p: p[0])]


def claim_delta(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> tuple[list[dict[str, Any]],
                                                                                 list[dict[str, Any]]]:
    """Practices the new version states more often than the old one (added) and less often (removed), each
    with the sentence it was read from (one the other version does not state when there is one)."""
    old_counts, new_counts = Counter(map(_practice_key, old)), Counter(map(_practice_key, new))
    old_text, new_text = {c["sentence"] for c in old}, {c["sentence"] for c in new}
    return _beyond(new, new_counts - old_counts, old_text), _beyond(old, old_counts - new_counts, new_text)


def document_changes(con: duckdb.DuckDBPyConnection, document_id: str | None = None,
                     change_id: int | None = None) -> list[ChangeView]:
    """Every change event (of one document, or one event), oldest first, with claims delta and verdicts.

    Raises :class:`PolicycheckError` for an unknown document or change id."""
    if document_id is not None and not con.execute("select 1 from documents where document_id = ?",
                                                   [document_id]).fetchall():
        known = [r[0] for r in con.execute("select document_id from documents order by 1").fetchall()]
        raise PolicycheckError(document_id, f"no such document (known: {', '.join(known) or 'none'})")
    events = fetch_dicts(con, """
        select change_id, document_id, observed_at, from_version_id, to_version_id from changes
        where (? is null or document_id = ?) and (? is null or change_id = ?)
        order by document_id, observed_at, change_id""", [document_id, document_id, change_id, change_id])
    if change_id is not None and not events:
        raise PolicycheckError("--change", f"no change event {change_id}")
    versions = {v["version_id"]: v for v in fetch_dicts(
        con, "select version_id, effective_date, first_seen, text from versions where list_contains(?, version_id)",
        [sorted({e[k] for e in events for k in ("from_version_id", "to_version_id") if e[k] is not None})])}
    tracked = _has_table(con, "rejudged_changes")
    ids = [e["change_id"] for e in events]
    rejudged = {r["change_id"]: r for r in fetch_dicts(
        con, "select * from rejudged_changes where list_contains(?, change_id)", [ids])} if tracked else {}
    verdicts = recorded_changes(con, ids) if tracked else {}
    views = []
    for e in events:
        added, removed = claim_delta(_claims(con, e["from_version_id"]), _claims(con, e["to_version_id"]))
        views.append(ChangeView(e["change_id"], e["document_id"], e["observed_at"],
                                versions.get(e["from_version_id"]), versions[e["to_version_id"]], added, removed,
                                rejudged.get(e["change_id"]), verdicts.get(e["change_id"], [])))
    return views


WORD_CONTEXT = 8  # words kept around a change inside a long line


def word_diff(old: str, new: str, context: int = WORD_CONTEXT) -> str:
    """One changed line as words, wdiff style: removed words in ``[-...-]``, added ones in ``{+...+}``, and at most
    ``context`` unchanged words around each change (``…`` marks what is left out)."""
    a, b = old.split(" "), new.split(" ")
    pieces: list[str] = []
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for i, (tag, a1, a2, b1, b2) in enumerate(ops):
        if tag == "equal":
            words = a[a1:a2]
            head = words[:context] if i > 0 else []
            tail = words[-context:] if i < len(ops) - 1 else []
            if len(words) > len(head) + len(tail):
                pieces += [*head, "…", *tail]
            else:
                pieces += words
            continue
        if a2 > a1:
            pieces.append("[-" + " ".join(a[a1:a2]) + "-]")
        if b2 > b1:
            pieces.append("{+" + " ".join(b[b1:b2]) + "+}")
    return " ".join(p for p in pieces if p)


def readable_diff(old: str, new: str, context: int, fromfile: str, tofile: str) -> list[str]:
    """A unified diff of two normalized texts in which a run of removed lines replaced by as many added lines
    is shown as ``~`` lines with the changed words marked (:func:`word_diff`); other lines as in ``diff -u``."""
    body = list(difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=context,
                                     fromfile=fromfile, tofile=tofile))
    out: list[str] = []
    i = 0
    while i < len(body):
        line = body[i]
        if line.startswith("-") and not line.startswith("---"):
            minus = [line]
            while i + len(minus) < len(body) and body[i + len(minus)].startswith("-"):
                minus.append(body[i + len(minus)])
            j = i + len(minus)
            plus = []
            while j + len(plus) < len(body) and body[j + len(plus)].startswith("+"):
                plus.append(body[j + len(plus)])
            if len(plus) == len(minus):
                out += ["~ " + word_diff(m[1:], p[1:]) for m, p in zip(minus, plus, strict=True)]
                i = j + len(plus)
                continue
        out.append(line)
        i += 1
    return out


def _version(v: dict[str, Any] | None) -> str:
    if v is None:
        return "nothing"
    stated = f"effective {v['effective_date']}" if v["effective_date"] else "no stated date"
    return f"version {v['version_id']} ({stated})"


def _practice(c: dict[str, Any]) -> str:
    verb = ("does not " if c["negated"] else "") + c["action"]
    where = f" in {c['context']}" if c["context"] else ""
    to = f" to {c['recipient']}" if c["recipient"] else ""
    scope = " [excluded from the policy's scope]" if c["scope"] == "excluded" else ""
    sentence = " ".join(c["sentence"].split())
    return f"{c['actor']} {verb} {c['data_type']}{to}{where}{scope}: \"{sentence}\""


def render_text(views: list[ChangeView], diff: bool = True, context: int = 3) -> str:
    """The history as plain text (for a terminal or a mail): per change a header, the claims added (+) and
    removed (-), the re-judged verdicts, then the text diff (:func:`readable_diff`, ``context`` lines)."""
    lines: list[str] = []
    for view in views:
        before, after = view.before, view.after
        lines.append(f"=== {view.document_id}: change {view.change_id} observed {view.observed_at} UTC: "
                     f"{_version(before)} -> {_version(after)}")
        body = readable_diff(before["text"] if before else "", after["text"], context, _version(before),
                             _version(after))
        counts = Counter(line[0] for line in body[2:] if line[:1] in "+-~")
        lines.append(f"text: {counts['~']} line(s) changed, {counts['+']} added, {counts['-']} removed; claims: "
                     f"{len(view.claims_added)} added, {len(view.claims_removed)} removed")
        lines += [f"  + {_practice(c)}" for c in view.claims_added]
        lines += [f"  - {_practice(c)}" for c in view.claims_removed]
        if view.rejudged is None:
            lines.append("verdicts: not re-judged yet (run `policycheck rejudge` once flows are ingested)")
        else:
            note = f" ({view.rejudged['note']})" if view.rejudged["note"] else ""
            lines.append(f"verdicts: {view.rejudged['verdicts_changed']} of {view.rejudged['rows_judged']} gap rows "
                         f"changed class, judged as of {view.rejudged['as_of_before']} and "
                         f"{view.rejudged['as_of_after']}{note}")
            lines += [f"  {v.line()}" for v in view.verdicts]
        if diff and before is not None:
            lines += body
        lines.append("")
    return "\n".join(lines)
