"""Which policy versions a command looks at: ``DOCUMENT``, ``DOCUMENT@DATE`` or a version id, resolved against the
``version_validity`` view (gaps.sql) the way the gap verdicts choose the version in force."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import duckdb

from policycheck.errors import PolicycheckError
from policycheck.isodate import iso_date
from policycheck.store import fetch_dicts

_AT = re.compile(r"^(?P<doc>[^@]+)@(?P<date>.*)$", re.DOTALL)


@dataclass(frozen=True)
class VersionRef:
    """One version chosen for a command. ``basis`` says how: ``version`` (named by id), ``in_force`` (valid at
    the date asked), ``latest`` (no date asked: the version valid last), ``earliest_known`` (every known version
    is later than the date asked: the earliest is used, as the gap verdicts do)."""

    version_id: int
    document_id: str
    policy_id: str
    language: str
    first_party: str
    effective_date: date | None
    valid_from: date
    basis: str

    def label(self) -> str:
        """``wechat-privacy-policy-en v11 (2022-09-09)``: how output names a version."""
        return f"{self.document_id} v{self.version_id} ({self.effective_date or 'undated'})"


_COLUMNS = """vv.version_id, vv.document_id, vv.policy_id, vv.language, d.first_party, vv.effective_date,
              vv.valid_from, vv.valid_to"""


def resolve(con: duckdb.DuckDBPyConnection, spec: str | None, as_of: date | None = None) -> list[VersionRef]:
    """The versions ``spec`` names, one per document, ordered by document id.

    ``spec``: None (every document), a document id (``wechat-privacy-policy-en``), a policy id (every language of
    it: ``weixin-privacy-policy``), either with ``@YYYY-MM-DD`` (the version in force that day), or a version id.
    ``as_of`` is the date for specs without ``@`` (None: the latest version). Raises :class:`PolicycheckError`
    for an unknown document or version, a bad date, or a document without versions.
    """
    spec = spec.strip() if spec else None
    if spec and spec.isdigit():
        rows = fetch_dicts(con, f"select {_COLUMNS} from version_validity vv join documents d using (document_id) "
                                "where vv.version_id = ?", [int(spec)])
        if not rows:
            raise PolicycheckError("version", f"no version {spec} in the store (see `policycheck versions`)")
        return [_ref(rows[0], "version")]
    if spec and (match := _AT.match(spec)):
        spec = match.group("doc")
        as_of = iso_date(match.group("date"), "document")
    rows = fetch_dicts(con, f"""
        select {_COLUMNS} from version_validity vv join documents d using (document_id)
        where ?::varchar is null or vv.document_id = ? or vv.policy_id = ?
        order by vv.document_id, vv.valid_from, vv.first_seen""", [spec, spec, spec])
    if not rows:
        known = [r[0] for r in con.execute("select document_id from documents order by 1").fetchall()]
        named = f"of {spec!r} " if spec else ""
        raise PolicycheckError("document", f"no versions {named}in the store; documents: "
                                           f"{', '.join(known) or 'none (import or scrape policies first)'}")
    chosen = []
    for document in dict.fromkeys(r["document_id"] for r in rows):
        versions = [r for r in rows if r["document_id"] == document]
        if as_of is None:
            chosen.append(_ref(versions[-1], "latest"))
            continue
        in_force = [r for r in versions
                    if r["valid_from"] <= as_of and (r["valid_to"] is None or as_of < r["valid_to"])]
        chosen.append(_ref(in_force[-1], "in_force") if in_force else _ref(versions[0], "earliest_known"))
    return chosen


def _ref(row: dict, basis: str) -> VersionRef:
    return VersionRef(row["version_id"], row["document_id"], row["policy_id"], row["language"], row["first_party"],
                      row["effective_date"], row["valid_from"], basis)
