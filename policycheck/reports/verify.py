"""``policycheck verify report.json``: re-check a report's evidence against the store and the files it cites.

Every check names the item it is about (``version 11``, ``snapshot 7``, ``claim 3021``, ``capture 13``,
``request 7614``) so that a failure says what no longer holds:

- policy versions: the store's text still hashes to the sha256 the report gives (``versions.sha256``), and
  every snapshot's raw file (archive file or scraped page) still hashes to its recorded sha256;
- claims and quoted sentences: the claim is still in the store with the same sentence, practice and version,
  and its span of the version text (``start``..``end``) lies inside the quoted sentence;
- definitions a verdict rests on (``findings[].definitions``): the block is still the store's, of that version,
  with the quoted text, which lies in the version's text, and still lists each quoted member;
- capture files: the file at ``captures.path`` still hashes to the sha256 the report gives;
- requests (redacted samples): the store still holds the detection (flow, capture, line, data type, field
  path, detector, redacted value), and re-reading that line of the capture file and detecting again
  (:func:`policycheck.flows.recheck.redetect`) gives the same redacted value.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from policycheck.errors import PolicycheckError
from policycheck.fingerprint import file_sha256
from policycheck.flows.recheck import redetect
from policycheck.flows.stamp import recorded_path, store_folder
from policycheck.policies.versions import sha256_text
from policycheck.store import fetch_dicts

if TYPE_CHECKING:
    from policycheck.workspace import Workspace


@dataclass(frozen=True)
class Check:
    """One verified item: ``item`` ('claim 3021'), ``ok``, and what was found when not ok."""

    item: str
    ok: bool
    detail: str = ""


def capture_file(row: dict) -> Path:
    """The file of a stored capture: its recorded path when that is a file from here, else its canonical path
    (absolute, migration 013), so a report verifies from any working directory."""
    path = Path(row["path"])
    return path if path.is_file() or not row.get("canonical_path") else Path(row["canonical_path"])


def verify_report(report: dict[str, Any], ws: Workspace) -> list[Check]:
    """Every check of the module docstring for ``report`` (a parsed ``report.json``) against the workspace's
    store (and its ontology and endpoint map, to detect again), in report order.
    Raises :class:`PolicycheckError` when ``report`` is not a policycheck report."""
    for key in ("versions", "claims", "sentences", "captures", "requests"):
        if key not in report:
            raise PolicycheckError("report.json", f"not a policycheck report with evidence: no {key!r}")
    con = ws.con
    return [*_versions(report, con), *_claims(report, con), *_definitions(report, con), *_captures(report, con),
            *_requests(report, ws)]


def _definitions(report: dict[str, Any], con: duckdb.DuckDBPyConnection) -> list[Check]:
    """Each quoted definition (``findings[].definitions``): the block is still the store's, of that version, with
    that text, the text lies in the version's text, and it still defines the term with each member quoted."""
    blocks = {x["block_id"]: x for f in report.get("findings", []) for x in f.get("definitions", [])}
    out = []
    for block_id, x in sorted(blocks.items()):
        row = con.execute("select b.version_id, b.text, v.text from blocks b join versions v using (version_id) "
                          "where b.block_id = ?", [block_id]).fetchone()
        members = {m for (m,) in con.execute("select member_text from defined_terms where block_id = ?",
                                             [block_id]).fetchall()}
        problems = []
        if row is None:
            problems.append("not in the store")
        else:
            if row[0] != x["version_id"]:
                problems.append("of another version")
            if row[1] != x["text"] or x["text"] not in row[2]:
                problems.append("its text differs")
            problems += [f"no longer lists {m['member_text']!r}" for m in x["members"]
                         if m["member_text"] not in members]
        out.append(Check(f"definition {block_id}", not problems, "; ".join(problems)))
    return out


def _versions(report: dict[str, Any], con: duckdb.DuckDBPyConnection) -> list[Check]:
    out = []
    stored = {r["version_id"]: r for r in fetch_dicts(
        con, "select version_id, sha256, text from versions where list_contains(?, version_id)",
        [[int(v) for v in report["versions"]]])}
    snapshots = {r["snapshot_id"]: r for r in fetch_dicts(con, "select snapshot_id, sha256, origin, raw_path "
                                                               "from snapshots")}
    for vid, v in report["versions"].items():
        row = stored.get(int(vid))
        if row is None:
            out.append(Check(f"version {vid}", False, "not in the store"))
            continue
        text_hash = sha256_text(row["text"])
        ok = row["sha256"] == v["text_sha256"] == text_hash
        out.append(Check(f"version {vid}", ok, "" if ok else f"text sha256 is {text_hash}, the store records "
                                                             f"{row['sha256']}, the report {v['text_sha256']}"))
        for s in v["snapshots"]:
            out.append(_snapshot(s, snapshots.get(s["snapshot_id"])))
    return out


def _snapshot(s: dict[str, Any], stored: dict[str, Any] | None) -> Check:
    from policycheck.policies.archive import archived_sha256  # Beautiful Soup: imported when a snapshot is checked

    item = f"snapshot {s['snapshot_id']} ({s['source_name']})"
    if stored is None or stored["sha256"] != s["sha256"]:
        return Check(item, False, "not in the store with this sha256")
    path = Path(stored["raw_path"]) if stored["raw_path"] else None
    if path is None or not path.is_file():
        return Check(item, False, f"raw file missing: {path}")
    try:
        found = archived_sha256(path) if stored["origin"] == "archive" else file_sha256(path)
    except (OSError, PolicycheckError) as exc:
        return Check(item, False, f"cannot read {path}: {exc}")
    return Check(item, found == s["sha256"], "" if found == s["sha256"] else f"{path} now hashes to {found}")


def _claims(report: dict[str, Any], con: duckdb.DuckDBPyConnection) -> list[Check]:
    stored = {r["claim_id"]: r for r in fetch_dicts(con, """
        select c.claim_id, c.sentence, c.version_id, c.action, c.negated, c.data_type, c.actor, c.scope,
               substr(v.text, c.start + 1, c."end" - c.start) as span
        from claims c join versions v using (version_id) where list_contains(?, c.claim_id)""",
        [[int(c) for c in report["claims"]]])}
    out = []
    for cid, c in report["claims"].items():
        sentence = report["sentences"][c["sentence_id"]]
        row = stored.get(int(cid))
        problems = []
        if row is None:
            problems.append("not in the store")
        else:
            if row["sentence"] != sentence["text"]:
                problems.append("the stored sentence differs from the quote")
            if row["span"] not in sentence["text"]:
                problems.append("its span of the version text is not in the quote")
            changed = [k for k in ("version_id", "action", "negated", "data_type", "actor", "scope") if row[k] != c[k]]
            if changed:
                problems.append(f"stored {', '.join(changed)} differ")
        out.append(Check(f"claim {cid}", not problems, "; ".join(problems)))
    return out


def _captures(report: dict[str, Any], con: duckdb.DuckDBPyConnection) -> list[Check]:
    stored = {r["capture_id"]: r for r in fetch_dicts(
        con, "select capture_id, path, canonical_path, sha256 from captures")}
    out = []
    for c in report["captures"]:
        item = f"capture {c['capture_id']} ({c['file']})"
        row = stored.get(c["capture_id"])
        if row is None or row["sha256"] != c["sha256"]:
            out.append(Check(item, False, "not in the store with this sha256"))
            continue
        path = capture_file(row)
        if not path.is_file():
            out.append(Check(item, False, f"file missing: {path}"))
            continue
        found = file_sha256(path)
        out.append(Check(item, found == c["sha256"], "" if found == c["sha256"] else f"{path} now hashes to {found}"))
    return out


def _requests(report: dict[str, Any], ws: Workspace) -> list[Check]:
    con = ws.con
    captures = {r["capture_id"]: r for r in fetch_dicts(
        con, "select capture_id, path, canonical_path, format, account_region, profile, key_log, timezone "
             "from captures")}
    stored = defaultdict(set)
    for r in con.execute("""
            select o.flow_id, f.capture_id, f.line, o.data_type, o.field_path, o.detector, o.value_redacted
            from observations o join flows f using (flow_id) where list_contains(?, o.flow_id)""",
            [[int(f) for f in report["requests"]]]).fetchall():
        stored[r[0]].add(r[1:])
    by_capture: dict[int, set[int]] = defaultdict(set)
    for q in report["requests"].values():
        by_capture[q["capture_id"]].add(q["line"])
    found: dict[int, dict[int, list[tuple[str, str, str, str]]]] = {}
    failed: dict[int, str] = {}
    folder = store_folder(con)  # relative settings paths of captures stored before migration 012
    for capture_id, lines in by_capture.items():
        c = captures.get(capture_id)
        try:
            if c is None:
                raise PolicycheckError(f"capture {capture_id}", "not in the store")
            found[capture_id] = redetect(ws, capture_file(c), c["format"], lines, c["account_region"],
                                         recorded_path(c["profile"], folder), recorded_path(c["key_log"], folder),
                                         c["timezone"])
        except (OSError, PolicycheckError) as exc:
            failed[capture_id] = str(exc)
    out = []
    for fid, q in report["requests"].items():
        problems = []
        if q["capture_id"] in failed:
            problems.append(f"cannot re-read the capture: {failed[q['capture_id']]}")
        again = set(found.get(q["capture_id"], {}).get(q["line"], []))
        for o in q["observations"]:
            key = (o["data_type"], o["field_path"], o["detector"], o["value_redacted"])
            if (q["capture_id"], q["line"], *key) not in stored[int(fid)]:
                problems.append(f"{o['data_type']} at {o['field_path']}: not in the store")
            if q["capture_id"] not in failed and key not in again:
                problems.append(f"{o['data_type']} at {o['field_path']}: line {q['line']} of the capture file no "
                                "longer gives this redacted value")
        out.append(Check(f"request {fid}", not problems, "; ".join(problems)))
    return out
