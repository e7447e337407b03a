"""``policycheck import-archive``: load archived captures of one document from a folder.

Layouts read:

- Open Terms Archive export: ``*.md`` files plus ``manifest.csv`` with columns ``file`` and
  ``commit_date_utc`` (capture time, ISO 8601 UTC), as in ``../shared/datasets/policies/wechat-privacy-policy``;
- dated files: ``*.txt`` / ``*.md`` / ``*.html`` whose name holds a date (``zh_2026-08-17.txt``,
  ``20220909.html``). A plain-text file may start with ``# key: value`` header lines; a capture date there
  (``captured``, ``抓取日期``, ``fetched``) wins over the date in the name, a ``source``/``来源`` URL becomes
  the document URL.

When ``--service``, ``--doc-type`` or ``--language`` are omitted they are inferred: the language from the
text's script (Han characters -> ``zh``, else ``en``); the service from an Open Terms Archive declaration
(``*.json`` in the folder, its parent or a ``declarations/`` folder beside it) whose name appears in the
titles, else from the platform entities of the ontology named in the titles (``微信`` -> Weixin); the document
type from the titles (privacy policy / guidelines / 隐私 -> ``Privacy Policy``, terms / 协议 ->
``Terms of Service``).

Every file is read and checked before anything is stored; all captures are then recorded in one
transaction, oldest first. A problem (non-UTF-8 file, no capture date, unreadable manifest) raises a
:class:`PolicycheckError` naming the file, and the store is left as it was.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from policycheck.errors import PolicycheckError, utf8_named
from policycheck.events import Outcome, Progressed
from policycheck.ontology import Ontology
from policycheck.policies.dates import implausible_dates
from policycheck.policies.html import parse_html
from policycheck.policies.markdown import parse_markdown
from policycheck.policies.model import ParsedDocument
from policycheck.policies.plaintext import parse_plaintext
from policycheck.policies.quarantine import assess
from policycheck.policies.versions import Capture, DocumentRef, Recorded, record, sha256_text
from policycheck.sizes import size_text
from policycheck.store import transaction
from policycheck.textfile import codec, read_text
from policycheck.timewindow import EARLIEST, latest, plausible

if TYPE_CHECKING:
    from policycheck.workspace import Workspace

STAGE = "policies"  # the stage name of this module's events

# one archived capture (the largest WeChat policy is ~100 KB): the same bound as scrape's --max-decoded-bytes default,
# so that no file can make the parser hold gigabytes
MAX_FILE_BYTES = 16 * 1024 * 1024
EXTENSIONS = {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".html": "html", ".htm": "html"}
_NAME_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)")
_CAPTURE_KEYS = ("captured", "captured_at", "capture date", "fetched", "fetched_at", "抓取日期", "抓取时间")
_SOURCE_KEYS = ("source", "url", "来源", "source url")
DOC_TYPES = [
    ("Privacy Policy", re.compile(r"privacy\s+(?:policy|notice|statement|protection|guidelines)|隐私", re.I)),
    ("Terms of Service", re.compile(r"terms\s+of\s+(?:service|use)|service\s+agreement|服务协议|许可及服务协议", re.I)),
]


@dataclass
class ArchivedFile:
    """One readable capture of the archive, parsed, with its capture time."""

    path: Path
    observed_at: datetime
    parsed: ParsedDocument
    sha256: str
    url: str | None = None


@dataclass
class ImportResult:
    """Outcome of an import: the document, and each capture's recorded status in time order."""

    document: DocumentRef
    recorded: list[tuple[ArchivedFile, Recorded]] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)  # captures already in the store
    notes: list[str] = field(default_factory=list)  # one line per ignored implausible effective date

    def count(self, status: str) -> int:
        return sum(1 for _, r in self.recorded if r.status == status)

    @property
    def new_versions(self) -> int:
        return sum(1 for _, r in self.recorded if r.new_version)

    def counts(self) -> dict[str, int]:
        """New versions, captures quarantined, captures unchanged and captures imported before."""
        return {"new_versions": self.new_versions, "quarantined": self.count("quarantined"),
                "unchanged": self.count("unchanged"), "already_imported": len(self.skipped)}


def _read_text(path: Path) -> str:
    utf8_named(path)
    try:
        text = read_text(path, MAX_FILE_BYTES)
    except OSError as exc:
        raise PolicycheckError(path, f"cannot read file: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise PolicycheckError(path, f"not {codec(exc)} text: invalid byte 0x{exc.object[exc.start]:02x} at "
                                     f"offset {exc.start}; convert the file to UTF-8") from exc
    if text is None:
        raise PolicycheckError(path, f"larger than {size_text(MAX_FILE_BYTES)}; not a policy text policycheck reads")
    return text


def archived_sha256(path: Path) -> str:
    """The sha256 an archived capture is recorded under (``snapshots.sha256``): of its text (UTF-8, or UTF-16/UTF-32
    with a byte-order mark) without a byte-order mark. Raises :class:`PolicycheckError` for an unreadable file, one
    that is not a regular file, or text invalid in its encoding."""
    return sha256_text(_read_text(path))


def _parse_time(value: str, where: Path, line: int | None = None) -> datetime:
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise PolicycheckError(where, f"capture time {_shown(value)} is not an ISO 8601 date/time", line=line) from exc
    return _plausible(parsed, value, where, line)


def _plausible(parsed: datetime, value: str, where: Path, line: int | None = None) -> datetime:
    """``parsed`` as naive UTC, when it lies between 1990 and tomorrow; else a :class:`PolicycheckError`."""
    if not plausible(parsed):  # also 9999-12-31T23:00-05:00, past datetime.max in UTC
        raise PolicycheckError(where, f"capture time {_shown(value)} is not plausible: captures are dated from "
                                      f"{EARLIEST.isoformat()} to tomorrow ({latest():%Y-%m-%d})", line=line)
    return parsed.astimezone(UTC).replace(tzinfo=None) if parsed.tzinfo is not None else parsed


def _shown(value: str, limit: int = 40) -> str:
    """``value`` quoted for a message, cut after ``limit`` characters (a line of the message stays one line)."""
    return repr(value) if len(value) <= limit else f"{value[:limit]!r}... ({len(value):,} characters)"


def _header_line(text: str, key: str) -> int | None:
    """The line number of the ``# key: value`` header line of a plain-text capture."""
    for number, line in enumerate(text.splitlines()[:50], start=1):
        if re.match(rf"^\s*#\s*{re.escape(key)}\s*[:：]", line, re.IGNORECASE):
            return number
    return None


def _date_in_name(path: Path) -> datetime | None:
    match = _NAME_DATE.search(path.stem)
    if not match:
        return None
    try:
        found = datetime(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
    return _plausible(found, match.group(0), path)


def _manifest(folder: Path) -> dict[str, datetime] | None:
    path = folder / "manifest.csv"
    if not path.exists():
        return None
    reader = csv.DictReader(_read_text(path).splitlines())
    try:
        rows = list(reader)
    except csv.Error as exc:  # a field above the csv module's limit (128 KB)
        raise PolicycheckError(path, f"not a readable CSV file: {exc}", line=reader.line_num + 1) from exc
    if not rows or "file" not in rows[0] or "commit_date_utc" not in rows[0]:
        raise PolicycheckError(path, "manifest.csv needs the columns 'file' and 'commit_date_utc'")
    times: dict[str, datetime] = {}
    lines: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        if not row.get("file") or not row.get("commit_date_utc"):
            raise PolicycheckError(path, "row without file or commit_date_utc", line=number)
        if row["file"] in lines:
            raise PolicycheckError(path, f"{_shown(row['file'])} is listed twice (first at line {lines[row['file']]})",
                                   line=number)
        if Path(row["file"]).name != row["file"] or row["file"] in (".", ".."):  # '../x', '/etc/x', 'sub/x'
            raise PolicycheckError(path, f"{_shown(row['file'])} is not the name of a file beside manifest.csv "
                                         "(a path; it was ignored, or named a file outside the archive)", line=number)
        lines[row["file"]] = number
        times[row["file"]] = _parse_time(row["commit_date_utc"], path, number)
    return times


def find_declarations(folder: Path) -> list[dict]:
    """Open Terms Archive declarations near an archive folder (its own, parent's and ``declarations/``)."""
    found = []
    for candidate in [folder, folder.parent, folder.parent / "declarations", folder / "declarations"]:
        for path in sorted(candidate.glob("*.json")) if candidate.is_dir() else []:
            try:
                data = json.loads(_read_text(path))
            except (ValueError, RecursionError, PolicycheckError):  # not JSON, a number past the digit limit, deep
                continue
            if isinstance(data, dict) and isinstance(data.get("name"), str) and isinstance(data.get("terms"), dict):
                found.append(data)
    return found


def detect_language(text: str) -> str:
    """'zh' when Han characters make up over 20% of the letters of ``text``, else 'en'."""
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    letters = sum(1 for ch in text if ch.isalpha())
    return "zh" if letters and han / letters > 0.2 else "en"


def _earliest_mention(names: dict[str, str], titles: list[str]) -> str | None:
    """The service whose name appears earliest in the titles (most titles first)."""
    votes: Counter[str] = Counter()
    for title in titles:
        hits = [(title.lower().find(name.lower()), service) for name, service in names.items()
                if name and name.lower() in title.lower()]
        if hits:
            votes[min(hits)[1]] += 1
    return votes.most_common(1)[0][0] if votes else None


def infer_document(files: list[ArchivedFile], folder: Path, onto: Ontology | None, service: str | None,
                   doc_type: str | None, language: str | None) -> DocumentRef:
    """Fill in the service, document type, language and URL not given (see the module docstring)."""
    titles = [f.parsed.title or f.parsed.text[:200] for f in files]
    declarations = find_declarations(folder)
    if service is None:
        names = {d["name"]: d["name"] for d in declarations}
        service = _earliest_mention(names, [*titles, folder.name.replace("-", " ")])
    if service is None and onto is not None:
        names = {}
        for entity in onto.entities.values():
            if entity.attrs.get("kind") == "platform":
                for name in [*entity.names("en"), *entity.names("zh")]:
                    names[name] = entity.name_en
        service = _earliest_mention(names, titles)
    if service is None:
        raise PolicycheckError(folder, "cannot infer the service from the titles or a declaration; pass --service")
    if doc_type is None:
        votes = Counter(name for title in titles for name, pattern in DOC_TYPES if pattern.search(title))
        if not votes:
            raise PolicycheckError(folder, f"cannot infer the document type from titles such as {titles[0][:60]!r}; "
                                           "pass --doc-type")
        doc_type = votes.most_common(1)[0][0]
    if language is None:
        language = Counter(detect_language(f.parsed.text) for f in files).most_common(1)[0][0]
    url = next((f.url for f in reversed(files) if f.url), None)
    for declaration in declarations:
        terms = declaration["terms"].get(doc_type)
        if declaration["name"] == service and isinstance(terms, dict) and url is None:
            url = terms.get("fetch")
    return DocumentRef(service, doc_type, language, url)


def read_archive(folder: Path) -> list[ArchivedFile]:
    """Read and parse every capture of an archive folder, oldest first (see the module docstring)."""
    if not folder.is_dir():
        raise PolicycheckError(folder, "not a folder")
    manifest = _manifest(folder)
    paths = sorted(p for p in folder.iterdir() if p.suffix.lower() in EXTENSIONS and p.is_file())
    if manifest is not None:
        missing = [name for name in manifest if not (folder / name).exists()]
        if missing:
            raise PolicycheckError(folder / "manifest.csv", f"lists files that do not exist: {missing[:3]}")
    if not paths:
        raise PolicycheckError(folder, f"no capture files ({', '.join(sorted(EXTENSIONS))}) in the folder")
    files = []
    for path in paths:
        text = _read_text(path)
        kind = EXTENSIONS[path.suffix.lower()]
        header: dict[str, str] = {}
        if kind == "markdown":
            parsed = parse_markdown(text, where=str(path))
        elif kind == "html":
            parsed = parse_html(text, where=str(path))
        else:
            parsed, header = parse_plaintext(text, where=str(path))
        observed = None
        if manifest is not None and path.name in manifest:
            observed = manifest[path.name]
        for key in _CAPTURE_KEYS:
            if observed is None and key in header:
                observed = _parse_time(header[key], path, _header_line(text, key))
        observed = observed or _date_in_name(path)
        if observed is None:
            raise PolicycheckError(path, "no capture date: not in manifest.csv, no '# captured:' header line and "
                                         "no YYYY-MM-DD date in the file name")
        url = next((header[k] for k in _SOURCE_KEYS if k in header), None)
        files.append(ArchivedFile(path, observed, parsed, sha256_text(text), url))
    files.sort(key=lambda f: (f.observed_at, f.path.name))
    return files


def _imported(con: duckdb.DuckDBPyConnection, folder: Path, service: str | None, doc_type: str | None,
              language: str | None) -> ImportResult | None:
    """The import's result when every capture file of ``folder`` is recorded already as an archive snapshot of
    one document (same file, same content hash: decided by hashing, before anything is parsed), else None."""
    if not folder.is_dir():
        return None
    paths = sorted(p for p in folder.iterdir() if p.suffix.lower() in EXTENSIONS and p.is_file())
    if not paths:
        return None
    try:
        keys = [(str(p.resolve()), archived_sha256(p)) for p in paths]
    except (OSError, PolicycheckError):
        return None  # read_archive names the problem
    rows = con.execute("""
        select distinct s.document_id, d.service, d.doc_type, d.language, d.url
        from snapshots s join documents d using (document_id)
        join (select unnest(?) as source, unnest(?) as sha256) k on k.source = s.source and k.sha256 = s.sha256
        where s.origin = 'archive'""", [[k[0] for k in keys], [k[1] for k in keys]]).fetchall()
    found = con.execute("""
        select count(distinct s.source) from snapshots s
        join (select unnest(?) as source, unnest(?) as sha256) k on k.source = s.source and k.sha256 = s.sha256
        where s.origin = 'archive'""", [[k[0] for k in keys], [k[1] for k in keys]]).fetchall()[0][0]
    if len(rows) != 1 or found != len(paths):
        return None
    _, known_service, known_type, known_language, url = rows[0]
    if any(given is not None and given != known for given, known in
           ((service, known_service), (doc_type, known_type), (language, known_language))):
        return None
    return ImportResult(DocumentRef(known_service, known_type, known_language, url), skipped=paths)


def import_archive(ws: Workspace, folder: Path, service: str | None = None, doc_type: str | None = None,
                   language: str | None = None) -> ImportResult:
    """Import every capture in ``folder`` as snapshots/versions of one document, in one transaction.

    Inputs: the workspace (its store, and its ontology for inferring the service from titles); the archive
    folder; optional overrides. Emits on ``ws.events`` a :class:`~policycheck.events.Progressed` (stage
    ``policies``, item: the capture's file name) per capture recorded and an
    :class:`~policycheck.events.Outcome` (item: the document id) with :meth:`ImportResult.counts`. Output: an
    :class:`ImportResult`. Raises :class:`PolicycheckError` (file named) on a malformed archive; nothing is
    stored then. Re-importing the same archive is a no-op: captures already recorded (same document, content
    hash and capture time) are skipped.
    """
    con, onto = ws.con, ws.onto
    files = read_archive(folder)
    ref = infer_document(files, folder, onto, service, doc_type, language)
    result = ImportResult(ref)
    for archived in files:
        for stated in implausible_dates(archived.parsed.text):
            result.notes.append(f"{archived.path}: states {stated.label} date {stated.value.isoformat()}, "
                                f"not plausible (before {EARLIEST.year} or after tomorrow); ignored")
    with transaction(con):
        for i, archived in enumerate(files):
            if con.execute("select 1 from snapshots where document_id = ? and sha256 = ? and observed_at = ?",
                           [ref.document_id, archived.sha256, archived.observed_at]).fetchall():
                result.skipped.append(archived.path)  # this capture was imported before
                continue
            # The very first capture of a document has no current version to compare with: use the next
            # capture that is itself plausible as the reference for the quarantine check.
            reference = None
            if not con.execute("select 1 from changes where document_id = ? limit 1",
                               [ref.document_id]).fetchall():
                reference = next((f.parsed for f in files[i + 1:] if assess(f.parsed, None, ref.language) is None),
                                 None)
                if reference is not None and len(reference.text) <= len(archived.parsed.text):
                    reference = None
            capture = Capture(ref, archived.observed_at, "archive", str(archived.path.resolve()), archived.parsed,
                              raw_path=str(archived.path.resolve()), raw_sha256=archived.sha256)
            recorded = record(con, capture, reference)
            result.recorded.append((archived, recorded))
            ws.events.emit(Progressed(STAGE, i + 1, len(files), archived.path.name))
    ws.events.emit(Outcome(STAGE, result.counts(), ref.document_id))
    return result
