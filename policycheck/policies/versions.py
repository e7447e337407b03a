"""Recording captures: documents, snapshots, versions, change events and blocks.

Every capture of a document (an archived file or a scraped page) becomes one ``snapshots`` row. Its
normalized text is compared with the document's current version (the version of the latest change event
at or before the capture time):

- same text -> ``unchanged`` (the version's ``last_seen`` moves forward);
- broken capture or not the document (:func:`policycheck.policies.quarantine.assess`, or a ``defect`` the
  caller found, such as bytes that do not fit the declared charset) -> ``quarantined`` with the reason; the
  text is kept in the snapshot row, no version and no change event are made;
- otherwise -> ``ok``: a new version (with its blocks) or, for a text seen before, that version again, and a
  change event from the current version to it.

Archive imports and scrapes both go through :func:`record`; the caller holds the transaction.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

import duckdb

from policycheck.policies.dates import effective_date
from policycheck.policies.model import Block, ParsedDocument
from policycheck.policies.quarantine import assess
from policycheck.store import insert_arrow, next_id


def slug(text: str) -> str:
    """Lower-case ASCII slug: 'Privacy Policy' -> 'privacy-policy'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass(frozen=True)
class DocumentRef:
    """Which document a capture is of: OTA service name and terms type, ISO 639-1 language, fetch URL."""

    service: str
    doc_type: str
    language: str
    url: str | None = None

    @property
    def policy_id(self) -> str:
        return f"{slug(self.service)}-{slug(self.doc_type)}"

    @property
    def document_id(self) -> str:
        return f"{self.policy_id}-{self.language}"

    @property
    def first_party(self) -> str:
        """Entity id of the policy's "we": the service's own entity (``WeChat`` -> ``wechat``)."""
        return slug(self.service).replace("-", "_")


@dataclass
class Capture:
    """One capture to record. ``observed_at`` is naive UTC; ``source`` a URL or file path."""

    document: DocumentRef
    observed_at: datetime
    origin: str  # 'scrape' | 'archive'
    source: str
    parsed: ParsedDocument
    raw_path: str | None = None
    raw_sha256: str | None = None
    http_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    defect: str | None = None  # why the capture cannot be trusted whatever its text (e.g. a wrong charset)


@dataclass
class Recorded:
    """What :func:`record` did: the snapshot's status, its version, and whether the current version changed."""

    snapshot_id: int
    status: str
    version_id: int | None
    reason: str | None
    changed: bool
    new_version: bool


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def ensure_document(con: duckdb.DuckDBPyConnection, ref: DocumentRef) -> str:
    """Insert the document if it is new (or fill in its URL); return its ``document_id``."""
    con.execute(
        "insert into documents values (?, ?, ?, ?, ?, ?, ?) on conflict (document_id) do update "
        "set url = coalesce(excluded.url, documents.url)",
        [ref.document_id, ref.service, ref.doc_type, ref.language, ref.url, ref.policy_id, ref.first_party])
    return ref.document_id


def current_version(con: duckdb.DuckDBPyConnection, document_id: str,
                    at: datetime | None = None) -> int | None:
    """The version in effect for the store at time ``at`` (latest change event at or before it), or None."""
    rows = con.execute(
        "select to_version_id from changes where document_id = ? and (? is null or observed_at <= ?) "
        "order by observed_at desc, change_id desc limit 1", [document_id, at, at]).fetchall()
    return rows[0][0] if rows else None


def load_version(con: duckdb.DuckDBPyConnection, version_id: int) -> ParsedDocument:
    """A stored version as a :class:`ParsedDocument` (text, title and blocks)."""
    title, text = con.execute("select title, text from versions where version_id = ?", [version_id]).fetchall()[0]
    rows = con.execute(
        'select ordinal, kind, level, section_path, text, "start", "end", lead_in, header, cells '
        "from blocks where version_id = ? order by ordinal", [version_id]).fetchall()
    return ParsedDocument(title, text, [Block(*row) for row in rows])


def _insert_blocks(con: duckdb.DuckDBPyConnection, version_id: int, blocks: list[Block]) -> None:
    first = next_id(con, "blocks", "block_id")
    rows = [{"block_id": first + i, "version_id": version_id, "ordinal": b.ordinal, "kind": b.kind, "level": b.level,
             "section_path": b.section_path, "text": b.text, "start": b.start, "end": b.end, "lead_in": b.lead_in,
             "header": b.header, "cells": b.cells} for i, b in enumerate(blocks)]
    insert_arrow(con, "blocks", rows)


def _snapshot(con: duckdb.DuckDBPyConnection, capture: Capture, text_sha: str, status: str, reason: str | None,
              version_id: int | None, text: str | None = None) -> int:
    snapshot_id = next_id(con, "snapshots", "snapshot_id")
    con.execute(
        "insert into snapshots (snapshot_id, document_id, observed_at, origin, source, raw_path, sha256, "
        "text_sha256, status, reason, version_id, http_status, etag, last_modified, content_type, text) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [snapshot_id, capture.document.document_id, capture.observed_at, capture.origin, capture.source,
         capture.raw_path, capture.raw_sha256, text_sha, status, reason, version_id, capture.http_status,
         capture.etag, capture.last_modified, capture.content_type, text])
    return snapshot_id


def record(con: duckdb.DuckDBPyConnection, capture: Capture,
           reference: ParsedDocument | None = None) -> Recorded:
    """Record one capture (see the module docstring). Call inside a transaction.

    ``reference`` overrides the text the quarantine check compares with (default: the current version);
    archive imports pass the next capture for a document's very first capture.
    Output: a :class:`Recorded`.
    """
    ref = capture.document
    ensure_document(con, ref)
    parsed = capture.parsed
    text_sha = sha256_text(parsed.text)
    current_id = current_version(con, ref.document_id, capture.observed_at)
    current_sha = None
    if current_id is not None:
        current_sha = con.execute("select sha256 from versions where version_id = ?", [current_id]).fetchall()[0][0]
    if current_sha == text_sha:
        con.execute("update versions set last_seen = greatest(last_seen, ?) where version_id = ?",
                    [capture.observed_at, current_id])
        sid = _snapshot(con, capture, text_sha, "unchanged", None, current_id)
        return Recorded(sid, "unchanged", current_id, None, False, False)
    if reference is None and current_id is not None:
        reference = load_version(con, current_id)
    reason = capture.defect or assess(parsed, reference, ref.language)
    if reason is not None:
        sid = _snapshot(con, capture, text_sha, "quarantined", reason, None, parsed.text)
        return Recorded(sid, "quarantined", None, reason, False, False)
    existing = con.execute("select version_id from versions where document_id = ? and sha256 = ?",
                           [ref.document_id, text_sha]).fetchall()
    if existing:
        version_id = existing[0][0]
        con.execute("update versions set last_seen = greatest(last_seen, ?), first_seen = least(first_seen, ?) "
                    "where version_id = ?", [capture.observed_at, capture.observed_at, version_id])
        new_version = False
    else:
        version_id = next_id(con, "versions", "version_id")
        stated = effective_date(parsed.text)
        con.execute(
            "insert into versions (version_id, document_id, language, effective_date, first_seen, last_seen, "
            "sha256, text, origin, title, previous_version_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [version_id, ref.document_id, ref.language, stated.value if stated else None, capture.observed_at,
             capture.observed_at, text_sha, parsed.text, capture.origin, parsed.title, current_id])
        _insert_blocks(con, version_id, parsed.blocks)
        new_version = True
    sid = _snapshot(con, capture, text_sha, "ok", None, version_id)
    con.execute("insert into changes (change_id, document_id, observed_at, from_version_id, to_version_id, "
                "snapshot_id) values (?, ?, ?, ?, ?, ?)",
                [next_id(con, "changes", "change_id"), ref.document_id, capture.observed_at, current_id, version_id,
                 sid])
    return Recorded(sid, "ok", version_id, None, True, new_version)
