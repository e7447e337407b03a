"""Ingest: capture files -> ``captures``, ``flows`` and ``observations`` in the store.

For each file: resolve its settings (command line, then the capture manifest, then conventions:
:mod:`policycheck.flows.settings`), hash it (a file whose content is already stored is not ingested again;
under another name it is recorded in ``capture_aliases`` and reported), detect its format (or take
``--format``), read its requests, and for each request resolve the endpoint (path, feature, recipient),
decode the body and its fields (headers, cookies, query, WeChat's request header), run the detectors and take
its time. Responses go to ``responses``, never to flows. Bad lines and bad payloads are recorded in
``ingest_problems`` with file and line, never fatal.

Both cores (issue 16): files are hashed, read, decoded and analysed in worker processes (:class:`_Workers`, one per
core, forked once the endpoint maps and detectors are loaded), a few files ahead of the one writer, which stores
them in the order given (same ids as one process) through Arrow tables the workers built (flows with their prefix
hash, observations), in transactions of several whole files (:data:`BATCH_ROWS`): a file lands whole or not at all.
A worker does not parse a file whose content the store held when the run began; the writer decides from the store
whether content is new (a second file of the run with the content of an earlier one is read, then recorded as its
alias). At the end of a run the capture overlap is refreshed (:mod:`policycheck.flows.overlap`).

Time of a flow: the time the capture format gives the request (``time_source = 'record'``), else the latest
timestamp under a time-like key in its payload (:mod:`policycheck.flows.timestamps`, ``'payload'``), else the
capture's ``captured_at`` (``'capture'``): the ``--captured-at`` option or the manifest's if given, else the
median of the capture's own request times, else that of the captures ingested beside it in the same run.
``flows.time`` is NULL only when none exists.

Identical request bodies are decoded and analysed once per run and worker (the analysis depends only on the body
and its endpoint), which matters for logs that repeat the same heartbeat and sync requests.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import re
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import ValidationError

from policycheck import config, events, store
from policycheck.errors import PolicycheckError, utf8_named
from policycheck.fingerprint import file_sha256
from policycheck.flows import decode as decode_mod
from policycheck.flows import identity, limits, overlap, redact, timestamps
from policycheck.flows import manifest as manifest_mod
from policycheck.flows.detectors import (
    Detectors,
    InterfaceTable,
    KeyDetector,
    PatternDetector,
    PrivacyInterfaceDetector,
    ProfileDetector,
)
from policycheck.flows.endpoints import REGIONS, EndpointMap, dataset_request_types
from policycheck.flows.mmtls import is_key_log
from policycheck.flows.model import Leaf, Note, Problem, Problems, RawRequest, RawResponse, fits_integer
from policycheck.flows.profile import DeviceProfile
from policycheck.flows.readers import READERS, SNIFF_BYTES, ReaderSettings, detect_format, open_reader
from policycheck.flows.readers.text import bomless_utf16
from policycheck.flows.settings import FileSettings, Overrides, Resolver
from policycheck.flows.stamp import SettingsDigests, analysis_stamp, recorded_path, store_folder, up_to_date
from policycheck.sizes import size_text
from policycheck.store import next_id, transaction
from policycheck.timewindow import plausible

if TYPE_CHECKING:
    from policycheck.workspace import Workspace

_SUFFIXES = (".log.jsonl", ".jsonl", ".json", ".har", ".hex", ".txt", ".log", ".pcapng", ".pcap")
_RUN = re.compile(r"^(.+?)_(\d+)$")
_APPID = re.compile(r"^wx[0-9a-f]{16}$")
_APPID_KEYS = frozenset({"appid", "wxappid", "app_id", "wxaappid"})
_CAPTURE_STATUSES = frozenset({"ingested", "unchanged", "duplicate", "reanalysed"})
_GIVEN_TIMES = ("option", "manifest", "folder")  # captured_at sources that are settings, not read from the file
UNDECODED = frozenset({"empty", "undecodable", "bad_data", "too_large", "too_deep", "encrypted"})
CACHE_BYTES = 64 * 1024 * 1024
BATCH_ROWS = 500_000  # flows + observations stored per transaction (several whole files)


@dataclass
class IngestOptions:
    """Options of :func:`ingest` (see ``policycheck ingest --help``)."""

    format: str | None = None
    scenario: str | None = None
    profile: Path | None = None
    account_region: str | None = None  # None: from the manifest, else 'wechat'
    captured_at: datetime | None = None
    request_type: str | None = None  # for single-body formats: request type id or API path
    key_log: Path | None = None  # MMTLS key log for a pcap
    timezone: str | None = None  # IANA zone of local times without an offset (HAR)
    app_version: str | None = None
    max_body_bytes: int = limits.MAX_BODY_BYTES
    cache: bool = True
    reanalyse: bool = False  # a file with the content of a capture of another analysis: analyse it again here


@dataclass
class FileResult:
    """What happened to one file. ``status``: ``ingested``, ``unchanged`` (this file was ingested before, by
    this analysis), ``reanalysed`` (ingested before by another analysis, or with a device profile or key log whose
    content changed since, see :mod:`policycheck.flows.stamp`: its rows replaced by this analysis's, same capture id
    and settings), ``duplicate`` (same content as capture
    ``duplicate_of`` under another name; recorded as an alias), ``empty``, ``skipped`` (not a capture; found
    while walking a folder) or ``failed`` (named explicitly but not readable as a capture, or a capture that
    could not be analysed again: its earlier rows are kept)."""

    path: Path
    status: str
    explicit: bool = True
    capture_id: int | None = None
    scenario: str | None = None
    format: str | None = None
    requests: int = 0
    decoded: int = 0
    observations: int = 0
    problems: list[Problem] = field(default_factory=list)  # those stored (:class:`Problems` keeps the first 1,000)
    problem_count: int = 0  # all of the file's problems
    notes: list[str] = field(default_factory=list)  # about the dataset (e.g. its request_types.csv)
    message: str | None = None
    duplicate_of: tuple[int, str] | None = None


STAGE = "captures"  # the stage name of ingest's events; requests read are counted under "requests"


def scenario_of(path: Path) -> tuple[str, int | None]:
    """Scenario and run number from a capture's file name: ``startup_permissions_on_2.log.jsonl`` ->
    ``('startup_permissions_on', 2)``; ``miniapp_make_request.log.jsonl`` -> ``('miniapp_make_request',
    None)``."""
    name = path.name
    for suffix in _SUFFIXES:
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    else:
        name = path.stem
    match = _RUN.match(name)
    return (match.group(1), int(match.group(2))) if match else (name, None)


def capture_files(paths: Iterable[Path]) -> Iterator[tuple[Path, bool]]:
    """``(file, named explicitly)`` for every path: files as given, folders walked (sorted, hidden
    entries, FIFOs, sockets and devices skipped). Raises :class:`PolicycheckError` for a path that does not
    exist, is not a regular file or folder, or whose name is not UTF-8 (the store keeps paths as text), and
    for a folder that cannot be listed."""
    for path in paths:
        if path.is_dir():
            try:
                found_files = sorted(path.rglob("*"))
            except OSError as exc:
                raise PolicycheckError(path, f"cannot list the folder: {exc.strerror}") from exc
            for found in found_files:
                hidden = any(part.startswith(".") for part in found.relative_to(path).parts)
                if found.is_file() and not hidden:
                    yield utf8_named(found), False
        elif path.is_file():
            yield utf8_named(path), True
        elif path.exists():
            raise PolicycheckError(path, "not a regular file or folder (a FIFO, socket or device); not read")
        else:
            raise PolicycheckError(path, "no such file or folder")


@dataclass
class _Analysis:
    status: str
    problem: str | None
    observations: list[tuple[str, str, str, float, str, str | None, bool]]
    time: datetime | None
    appid: str | None
    body_hash: str


class _Analyzer:
    """Decode + detect + time for one body, cached by (body, endpoint path)."""

    def __init__(self, detectors: Detectors, schemas: list[decode_mod.Schema], salt: str,
                 options: IngestOptions) -> None:
        self.detectors = detectors
        self.schemas = schemas
        self.salt = salt
        self.options = options
        self.cache: dict[tuple[bytes, str | None, tuple], _Analysis] = {}
        self.cached_bytes = 0
        self.names: dict[str, str] = {}
        self.profile_notes: list[str] = []  # what the device profile leaves to the other detectors

    def name(self, name: str) -> str:
        """A key/element/attribute name as stored: redacted like a value when it is an identifier."""
        stored = self.names.get(name)
        if stored is None:
            stored = redact.redact(name, self.salt) if self.detectors.identifies(name) else name
            if len(self.names) < 100_000:
                self.names[name] = stored
        return stored

    def analyse(self, body: bytes, endpoint: str | None, fields: tuple[tuple[str, str, str | bytes], ...] = ()
                ) -> _Analysis:
        key = (body, endpoint, fields)
        if self.options.cache and key in self.cache:
            return self.cache[key]
        decoded = decode_mod.decode(body, self.schemas, endpoint, self.options.max_body_bytes, self.name)
        if fields:
            decoded.leaves.extend(decode_mod.decode_fields(fields, self.schemas, endpoint, self.name))
        problem = None
        if decoded.truncated_at is not None:
            problem = (f"truncated protobuf: {len(body)}-byte body stops at byte {decoded.truncated_at}; "
                       "prefix kept")
        elif decoded.status == "too_large" and len(body) > self.options.max_body_bytes:
            problem = (f"body of {size_text(len(body))} above the {size_text(self.options.max_body_bytes)} "
                       "decode limit; kept undecoded")
        elif decoded.limit is not None:
            problem = f"body {decoded.limit}; skipped (kept undecoded)"
        elif decoded.dropped:
            problem = (f"body holds more than {limits.MAX_LEAVES:,} values; the first {limits.MAX_LEAVES:,} "
                       f"kept, {decoded.dropped:,} dropped")
        findings = self.detectors.find(decoded.leaves, body)
        observations = [(f.data_type, f.path, f.detector, f.confidence, redact.redact(f.value, self.salt),
                         f.field_name, decode_mod.in_envelope(f.path, decoded.envelopes)) for f in findings]
        analysis = _Analysis(decoded.status, problem, observations, timestamps.payload_time(decoded.leaves),
                             _appid(decoded.leaves), self.hash(body))
        if self.options.cache:
            if self.cached_bytes > CACHE_BYTES:
                self.cache.clear()
                self.cached_bytes = 0
            self.cache[key] = analysis
            self.cached_bytes += len(body) + sum(len(v) for _, _, v in fields)
        return analysis

    def hash(self, body: bytes) -> str:
        return hashlib.sha256(self.salt.encode() + body).hexdigest()[:16]


def _appid(leaves: list[Leaf]) -> str | None:
    """The Mini Program a request concerns: an ``appid``-like key's ``wx...`` value, else the first one."""
    first = None
    for leaf in leaves:
        if not isinstance(leaf.value, str):
            continue
        value = leaf.value.strip()
        if _APPID.match(value):
            if leaf.name and leaf.name.lower() in _APPID_KEYS:
                return value
            first = first or value
    return first


def _format_of(path: Path, forced: str | None) -> tuple[str | None, str | None]:
    """The capture format of a file (``forced``, else sniffed from its head) or, when it has none, why not.
    Raises OSError when the file cannot be read."""
    if forced:
        return forced, None
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    fmt = detect_format(head)
    if fmt is not None:
        return fmt, None
    if is_key_log(head):
        return None, "an MMTLS key log, not a capture: give it to its pcap with --key-log"
    if bomless_utf16(head):
        return None, ("UTF-16 text without a byte-order mark, whose byte order is unknown: not read; save it as UTF-8 "
                      "(or as UTF-16 with a byte-order mark)")
    binary = b"\x00" in head[:4096]
    return None, (f"{'binary file, ' if binary else ''}not a capture format policycheck reads "
                  f"(known: {', '.join(sorted(READERS))}; force one with --format)")


def _check_zone(name: str) -> None:
    """Raise :class:`PolicycheckError` naming ``--timezone`` when ``name`` is not an IANA time zone (the manifest's
    own check of ``timezone``)."""
    try:
        manifest_mod.CaptureSettings(timezone=name)
    except ValidationError as exc:
        raise PolicycheckError("--timezone", exc.errors()[0]["msg"].removeprefix("Value error, ")) from None


def _request_type(option: str | None) -> tuple[int | None, str | None]:
    if not option:
        return None, None
    if option.strip().isdigit() and len(option.strip()) <= 10 and fits_integer(int(option)):
        return int(option), None
    if option.startswith("/"):
        return None, option
    raise PolicycheckError("--request-type", f"expected a request type id (a 32-bit integer) or an API path, got "
                                             f"{option[:40]!r}")


class Ingester:
    """One ingest run over several files, sharing the endpoint map, detectors and decode cache."""

    def __init__(self, ws: Workspace, options: IngestOptions) -> None:
        if options.account_region is not None and options.account_region not in REGIONS:
            raise PolicycheckError("--account-region",
                                   f"must be one of {REGIONS}, got {options.account_region!r}")
        if options.captured_at is not None and not plausible(options.captured_at):
            raise PolicycheckError("--captured-at", f"{options.captured_at.isoformat()} is not plausible: "
                                                    "captures are dated from 1990 to tomorrow")
        if options.format is not None and options.format not in READERS:
            raise PolicycheckError("--format", f"unknown format {options.format!r}; known: {sorted(READERS)}")
        if options.timezone is not None:
            _check_zone(options.timezone)
        _request_type(options.request_type)
        self.con = con = ws.con
        self.onto = onto = ws.onto
        self.options = options
        self.events = ws.events
        self._files_done = self._requests_read = 0
        self._files_total: int | None = None
        self.endpoints = ws.endpoints
        self.dataset_endpoints: dict[Path, EndpointMap] = {}
        self.patterns = PatternDetector(onto)
        self.keys = KeyDetector(onto, self.patterns)
        self.interfaces = PrivacyInterfaceDetector(InterfaceTable.load(ws.paths.mappings, onto))
        self.analyzers: dict[Path | None, _Analyzer] = {}
        self._noted: set[Path] = set()  # request_types.csv files whose notes are recorded in this run
        self._profiles_noted: set[Path] = set()  # device profiles whose notes are recorded in this run
        self.stored: frozenset[str] = frozenset()  # sha256 of the captures stored when the run began
        self.stamp = analysis_stamp(ws.paths.mappings)  # the analysis of this run (captures.analysis_stamp)
        self.settings_digests = SettingsDigests()  # of the settings files of this run (captures.settings_sha256)
        self.store_folder = store_folder(con)  # where relative settings paths of older rows are looked for first
        self.stale: dict[Path, tuple] = {}  # resolved path -> captures row of a capture analysed by another one
        self._stale_content: dict[str, tuple] = {}  # the same rows by sha256 (--reanalyse: a file moved)
        self._reanalysing: dict[Path, _Stale] = {}  # files of this run that are such captures' recorded paths
        self._batch: int | None = None  # rows written in the open transaction of whole files (None: none open)
        self._ids: dict[str, int] = {}  # next free flow_id / observation_id in that transaction
        self._buffer: dict[str, list[pa.Table]] = {}  # rows of the files of that transaction, per table
        self.resolver = Resolver(Overrides(options.scenario, options.account_region, options.profile,
                                           options.captured_at, options.timezone, options.key_log,
                                           options.app_version, options.format, options.request_type))
        # the Arrow types of the rows workers build, read from the store's tables (the writer adds the ids)
        flows = store.arrow_schema(con, "flows")
        self.flow_schema = pa.schema([*(flows.field(name) for name in FLOW_FIELDS), flows.field("prefix_hash")])
        observations = store.arrow_schema(con, "observations")
        self.found_schema = pa.schema([pa.field("flow_index", pa.int32()),
                                       *(observations.field(name) for name in OBSERVATION_FIELDS)])
        with transaction(con):
            self.salt = redact.store_salt(con)
        self.analyzer_for(options.profile)  # a malformed --profile is refused before any file is read

    def analyzer_for(self, profile: Path | None) -> _Analyzer:
        """The decode/detect cache for captures of one device profile (loaded once)."""
        if profile not in self.analyzers:
            loaded = DeviceProfile.load(profile, self.onto) if profile else None
            profile_detector = ProfileDetector(loaded, self.keys.agrees, self.keys.data_type_of) if loaded else None
            detectors = Detectors(self.keys, self.patterns, profile_detector, self.interfaces)
            analyzer = self.analyzers[profile] = _Analyzer(detectors, self.endpoints.schemas, self.salt, self.options)
            analyzer.profile_notes = loaded.notes() if loaded else []
        return self.analyzers[profile]

    def run(self, paths: Iterable[Path]) -> list[FileResult]:
        """Ingest every file under ``paths``; one :class:`FileResult` per file, in order.

        Every file's settings (manifest, profile) are resolved before anything is ingested, so a malformed
        manifest stops the run with its one-line error and nothing half done. Afterwards, a capture with no
        time at all takes the capture time of the captures ingested beside it (same folder). A folder in which
        no capture was found gets a ``failed`` result of its own (named, so that nothing is skipped silently).
        Folders are listed once, before anything is read: a file that vanishes afterwards is ``failed``.
        """
        paths = list(paths)
        self._find_stale()
        planned: list[tuple[Path, bool, FileSettings | None, str | None]] = []
        for arg in paths:
            root = arg if arg.is_dir() else None
            for path, explicit in capture_files([arg]):
                helper = None if explicit else self.resolver.auxiliary(path, root)
                if helper is not None:
                    planned.append((path, explicit, None, helper))
                    continue
                scenario, run = scenario_of(path)
                settings = self.resolver.resolve(path, scenario, run, root)
                self.analyzer_for(settings.profile)
                stale = self._stale_for(path, settings)
                if stale is not None:
                    self._reanalysing[path] = stale
                planned.append((path, explicit, settings, None))
        for path, _, settings, _ in planned:
            if settings is not None:
                self._endpoints_for(path)  # loaded before the workers start, so that they share them
        self._files_total = sum(settings is not None for _, _, settings, _ in planned)
        self.events.emit(events.Started(STAGE, self._files_total))
        self._remember_stored()
        results: list[FileResult] = []
        queue: deque[FileResult | _Pending] = deque()
        with _Workers(self, self._files_total) as workers, self._batches():
            for path, explicit, settings, helper in planned:
                if settings is None:
                    queue.append(FileResult(path, "skipped", explicit, message=helper))
                else:
                    queue.append(self._prepare(path, explicit, settings, workers))
                while len(queue) > workers.window:  # stored in order, a few files read ahead
                    results.append(self._next(queue.popleft(), workers))
            while queue:
                results.append(self._next(queue.popleft(), workers))
        self._date_from_neighbours(results)
        if any(r.status in ("ingested", "reanalysed") for r in results):
            overlap.refresh_coverage(self.con)
        for folder in (p for p in paths if p.is_dir()):
            inside = [r for r in results if folder in r.path.parents]
            if not any(r.status in _CAPTURE_STATUSES for r in inside):
                failed = sum(r.status == "failed" for r in inside)
                what = (f"no capture in this folder ({len(inside)} file(s): {failed} unreadable, "
                        f"{len(inside) - failed} not in a format policycheck reads)" if inside
                        else "no files in this folder")
                results.append(FileResult(folder, "failed", message=what))
        return results

    @contextmanager
    def _batches(self) -> Iterator[None]:
        """Files are stored in transactions of several whole files (up to :data:`BATCH_ROWS` rows): a commit
        costs tens of milliseconds, which thousands of small files would pay each. A file lands whole or not
        at all; an error rolls back the files of the open batch and ends the run."""
        try:
            yield
        except BaseException:
            if self._batch is not None:
                self._batch = None
                self.con.execute("rollback")
            raise
        self._commit()

    def _commit(self) -> None:
        if self._batch is not None:
            self._flush()
            self._batch = None
            self.con.execute("commit")

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Inside the open batch of files, else in a transaction of its own."""
        if self._batch is not None:
            yield
        else:
            with transaction(self.con):
                yield

    def _remember_stored(self) -> None:
        """The hashes of the captures stored now by this run's analysis with their current settings files, which
        workers (forked after this) do not parse again (a stale capture, :meth:`_find_stale`, is read again: it may
        be analysed again, :meth:`_reanalyse`)."""
        self.stored = frozenset(sha for (sha,) in self.con.execute(
            "select sha256 from captures where analysis_stamp = ?", [self.stamp]).fetchall()
            if sha not in self._stale_content)

    def _find_stale(self) -> None:
        """The stored captures analysed by another analysis (or unknown: NULL), or with settings files whose
        content is not the one they were analysed with (changed, gone, or unknown: NULL), by resolved path."""
        rows = []
        for row in self.con.execute(f"select {', '.join(_STORED_SETTINGS)} from captures").fetchall():
            r = dict(zip(_STORED_SETTINGS, row, strict=True))
            current = self.settings_digests.recorded(r["profile"], r["key_log"], self.store_folder)[0]
            if not up_to_date(r["analysis_stamp"], r["settings_sha256"], self.stamp, current):
                rows.append(row)
        self.stale = {Path(row[1]).resolve(): row for row in rows}
        self._stale_content = {row[2]: row for row in rows}

    def _stale_for(self, path: Path, current: FileSettings) -> _Stale | None:
        """What re-analysing ``path`` needs when it is the recorded path of a capture of another analysis: the
        capture, its content hash and the settings it was ingested with (its captures row; the request type of
        a capture stored before that was recorded: ``current``'s), or why it cannot be analysed again."""
        row = self.stale.get(path.resolve())
        if row is None and self.options.reanalyse:  # --reanalyse: the capture's file moved here
            try:
                row = self._stale_content.get(file_sha256(path))
            except OSError:
                row = None
        if row is None:
            return None
        r = dict(zip(_STORED_SETTINGS, row, strict=True))
        given = r["captured_at_source"] in _GIVEN_TIMES
        settings = FileSettings(
            scenario=r["scenario"], run=r["run"], account_region=r["account_region"],
            profile=recorded_path(r["profile"], self.store_folder),
            captured_at=r["captured_at"] if given else None, captured_at_source=r["captured_at_source"] if given
            else None, timezone=r["timezone"], key_log=recorded_path(r["key_log"], self.store_folder),
            app_version=r["app_version"], format=r["format"], request_type=r["request_type"] or current.request_type,
            manifest=Path(r["manifest"]) if r["manifest"] else None)
        problem = None
        for what, needed in (("device profile", settings.profile), ("MMTLS key log", settings.key_log)):
            if needed is not None and not needed.is_file():
                problem = f"the {what} it was ingested with, {needed}, is missing"
        if problem is None:
            try:
                self.analyzer_for(settings.profile)
            except PolicycheckError as exc:
                problem = f"the device profile it was ingested with no longer loads: {exc}"
        reason = ("the analysis changed" if r["analysis_stamp"] != self.stamp
                  else "its device profile or key log changed")
        return _Stale(r["capture_id"], r["sha256"], settings, problem, r["path"], reason)

    def _next_ids(self, table: str, column: str, count: int) -> range:
        """``count`` fresh ids of ``table.column``, within the open batch (the store has one writer)."""
        first = self._ids.get(table) or next_id(self.con, table, column)
        self._ids[table] = first + count
        return range(first, first + count)

    def _date_from_neighbours(self, results: list[FileResult]) -> None:
        """Folder convention: a capture without any time takes the median capture time of the captures of
        its folder ingested in this run (``captured_at_source = 'folder'``)."""
        ids = [r.capture_id for r in results if r.status == "ingested" and r.capture_id is not None]
        if not ids:
            return
        rows = self.con.execute("select capture_id, path, captured_at from captures where list_contains(?, "
                                "capture_id)", [ids]).fetchall()
        by_folder: dict[Path, list[datetime]] = {}
        for _, path, captured_at in rows:
            if captured_at is not None:
                by_folder.setdefault(Path(path).parent, []).append(captured_at)
        undated = [(cid, Path(path).parent) for cid, path, captured_at in rows if captured_at is None]
        with transaction(self.con):
            for capture_id, folder in undated:
                when = timestamps.median_time(by_folder.get(folder, []))
                if when is None:
                    continue
                self.con.execute("update captures set captured_at = ?, captured_at_source = 'folder' "
                                 "where capture_id = ?", [when, capture_id])
                self.con.execute("update flows set time = ?, time_source = 'capture' where capture_id = ? "
                                 "and time is null", [when, capture_id])

    def _endpoints_for(self, path: Path) -> tuple[EndpointMap, list[str]]:
        """The endpoint map for a capture (with its dataset's request_types.csv, if any) and the notes
        about that CSV when it is first loaded in this run."""
        csv_path = dataset_request_types(path)
        if csv_path is None:
            return self.endpoints, []
        if csv_path in self.dataset_endpoints:
            return self.dataset_endpoints[csv_path], []
        merged = self.dataset_endpoints[csv_path] = self.endpoints.with_dataset_types(csv_path)
        return merged, merged.notes

    def file(self, path: Path, explicit: bool = True, settings: FileSettings | None = None) -> FileResult:
        """Ingest one file (see :class:`FileResult` for the outcomes) with its resolved settings."""
        if settings is None:
            scenario, run = scenario_of(path)
            settings = self.resolver.resolve(path, scenario, run, None)
        self._find_stale()
        stale = self._stale_for(path, settings)
        if stale is not None:
            self._reanalysing[path] = stale
        self._remember_stored()
        with self._batches():
            prepared = self._prepare(path, explicit, settings, None)
            if isinstance(prepared, _Pending):
                prepared = self._finish(prepared, _read_capture(self, prepared.task))
        return prepared

    def _prepare(self, path: Path, explicit: bool, settings: FileSettings, workers: _Workers | None
                 ) -> FileResult | _Pending:
        """An empty or unreadable file's outcome, else the task of hashing and reading it (handed to ``workers``
        when given); whether its content is new is decided when it is stored (:meth:`_finish`)."""
        result = FileResult(path, "ingested", explicit, scenario=settings.scenario)
        result.notes.extend(settings.notes)
        try:
            size = path.stat().st_size
        except OSError as exc:
            result.status, result.message = "failed", f"cannot read: {exc.strerror}"
            return result
        self.events.emit(events.Progressed(STAGE, self._files_done, self._files_total, path.name))  # now reading it
        if size == 0:
            result.status, result.message = "empty", "empty file: no requests"
            self._record_file_problem(path, result.message)
            return result
        pending = _Pending(result, settings, _Task(path, settings.format, settings, self._reanalysing.get(path)))
        if workers is not None:
            workers.submit(pending)
        return pending

    def _next(self, item: FileResult | _Pending, workers: _Workers) -> FileResult:
        """The outcome of the oldest queued file, stored when it was read (in the order the files came)."""
        if isinstance(item, _Pending):
            item = self._finish(item, workers.result(item))
        self._file_done(item)
        return item

    def _file_done(self, result: FileResult) -> None:
        """Emit the outcome of one file (and the problem that made it fail, if any)."""
        self._files_done += 1
        self.events.emit(events.Progressed(STAGE, self._files_done, self._files_total, result.path.name))
        self.events.emit(events.Outcome(STAGE, {"status": result.status, "requests": result.requests,
                                         "observations": result.observations, "problems": result.problem_count},
                                 result.path.name))
        if result.status == "failed" and result.message:
            self.events.emit(events.Problem(STAGE, str(result.path), result.message))

    def _first_use(self, path: Path) -> bool:
        """Whether ``path`` is the first capture of this run to use its dataset's request_types.csv (its notes
        are recorded with that capture)."""
        csv_path = dataset_request_types(path)
        if csv_path is None or csv_path in self._noted:
            return False
        self._noted.add(csv_path)
        return True

    def _finish(self, pending: _Pending, read: _Read | _Hashed | OSError) -> FileResult:
        """Store what a worker read, unless its content is stored already (by an earlier run, or an earlier file
        of this run: then the file is ``unchanged`` or an alias) or it is not a capture."""
        result, path = pending.result, pending.result.path
        if isinstance(read, OSError):  # vanished or became unreadable while being read: nothing of it stored
            result.status, result.message = "failed", f"cannot read: {read.strerror or read}"
            return result
        known = self.con.execute("select capture_id, path, canonical_path from captures where sha256 = ?",
                                 [read.sha]).fetchall()
        stale = pending.task.stale
        if known and stale is not None and known[0][0] == stale.capture_id:
            return self._reanalyse(result, stale, read)
        if known:
            return self._known(result, known[0], pending.settings.run)
        if isinstance(read, _Hashed) and read.message is None:  # stored when the run began, no longer
            return self._finish(pending, _read_capture(self, pending.task, frozenset()))
        if not isinstance(read, _Read):
            result.status = "failed" if result.explicit else "skipped"
            result.message = read.message
            if result.explicit:
                self._record_file_problem(path, read.message)
            return result
        self._take(result, read, pending.settings.profile)
        self._store(result, read.sha, pending.settings, read)
        return result

    def _take(self, result: FileResult, read: _Read, profile: Path | None) -> None:
        """Count a file read to be stored; the notes about its dataset's request_types.csv, and about what its
        device profile leaves to the other detectors (:meth:`DeviceProfile.notes`), go with the first capture of
        the run that stores rows (new or analysed again) with that file or profile."""
        result.format = read.format
        if self._first_use(result.path):
            read.notes[:0] = self._endpoints_for(result.path)[0].notes
        if profile is not None and profile not in self._profiles_noted:
            self._profiles_noted.add(profile)
            read.notes[:0] = self.analyzer_for(profile).profile_notes
        read.notes[:0] = result.notes
        self._requests_read += len(read.flows)
        self.events.emit(events.Progressed("requests", self._requests_read, None))

    def _reanalyse(self, result: FileResult, stale: _Stale, read: _Read | _Hashed) -> FileResult:
        """Replace the rows of a capture of another analysis with those of this run's analysis of its unchanged
        file (:meth:`_store`), or, when that analysis failed, keep them and say why (status ``failed``)."""
        result.capture_id, result.scenario = stale.capture_id, stale.settings.scenario
        if stale.problem or not isinstance(read, _Read) or not read.flows.num_rows:
            why = stale.problem or (read.message if isinstance(read, _Hashed) else "no request could be read")
            result.status = "failed"
            result.message = f"not analysed again ({why}); the rows of its earlier analysis are kept"
            return result
        before = self.con.execute(
            "select count(distinct f.flow_id), count(o.observation_id) from flows f left join observations o "
            "using (flow_id) where f.capture_id = ?", [stale.capture_id]).fetchall()[0]
        self._take(result, read, stale.settings.profile)
        self._store(result, read.sha, stale.settings, read, stale)
        result.status = "reanalysed"
        result.message = (f"analysed again ({stale.reason} since it was ingested): {before[0]} -> "
                          f"{result.requests} requests, {before[1]} -> {result.observations} observations")
        return result

    def _known(self, result: FileResult, known: tuple[int, str, str | None], run: int | None) -> FileResult:
        """A file whose content is stored: ``unchanged`` when it is the stored capture's file, by whatever path it
        is named now (:mod:`.identity`); else a ``duplicate``, recorded as an alias once (by path or canonical
        path)."""
        capture_id, stored_path, stored_canonical = known
        result.capture_id = capture_id
        here = identity.canonical(result.path)
        if here == identity.stored_canonical(stored_canonical, stored_path, self.store_folder):
            result.status, result.message = "unchanged", "already ingested (same content)"
            return result
        result.status, result.duplicate_of = "duplicate", (capture_id, stored_path)
        result.message = (f"same content as capture {capture_id} ({Path(stored_path).name}); "
                          "recorded as an alias")
        with self._writing():
            self.con.execute(
                "insert into capture_aliases (capture_id, path, scenario, run, recorded_at, canonical_path) "
                "select ?, ?, ?, ?, ?, ? where not exists "
                "(select 1 from capture_aliases where path = ? or canonical_path = ?)",
                [capture_id, str(result.path), result.scenario, run, _now(), here, str(result.path), here])
        return result

    def _record_file_problem(self, path: Path, problem: str) -> None:
        with self._writing():
            self.con.execute("insert into ingest_problems select null, ?, null, ? where not exists "
                             "(select 1 from ingest_problems where path = ? and problem = ?)",
                             [str(path), problem, str(path), problem])

    def _store(self, result: FileResult, sha: str, settings: FileSettings, read: _Read,
               replacing: _Stale | None = None) -> None:
        """Record one file read by a worker: its captures row now, its flows, observations and problems in the
        open batch (inserted together when the batch is committed). ``replacing``: the capture (of another
        analysis) whose rows these replace, in the same transaction (:meth:`_clear`)."""
        path = result.path
        result.problems, result.problem_count, result.notes = read.problems, read.problem_count, read.notes
        result.requests, result.decoded, result.observations = read.flows.num_rows, read.decoded, read.found.num_rows
        if not result.requests:
            result.status = "failed" if result.explicit else "skipped"
            result.message = f"no request could be read ({read.problem_count} problem(s))"
            self._record_file_problem(path, result.message)
            return
        if self._batch is None:
            self.con.execute("begin transaction")
            self._batch, self._ids, self._buffer = 0, {}, {"flows": [], "observations": [], "ingest_problems": []}
        captured_at = read.captured_at
        profile = settings.profile.resolve() if settings.profile else None  # absolute: re-analysed from anywhere
        key_log = settings.key_log.resolve() if settings.key_log and result.format == "pcap" else None
        analysed = {"format": result.format, "captured_at": captured_at, "requests": result.requests,
                    "problems": read.problem_count, "analysis_stamp": self.stamp,
                    "captured_at_source": read.captured_at_source if captured_at is not None else None,
                    "profile": str(profile) if profile else None, "key_log": str(key_log) if key_log else None,
                    "settings_sha256": self.settings_digests.digest({"profile": profile, "key_log": key_log})[0]}
        reused = None
        if replacing is None:
            row = {"path": str(path), "canonical_path": identity.canonical(path), "scenario": result.scenario,
                   "account_region": settings.account_region,
                   "sha256": sha, "ingested_at": _now(), "run": settings.run, "app_version": settings.app_version,
                   "timezone": settings.timezone, "manifest": str(settings.manifest) if settings.manifest else None,
                   "request_type": settings.request_type, **analysed}
            capture_id = self.con.execute(
                f"insert into captures ({', '.join(row)}) values ({', '.join('?' * len(row))}) returning capture_id",
                list(row.values())).fetchall()[0][0]
        else:
            capture_id = replacing.capture_id
            reused = self._clear(capture_id, read.flows.column("line").to_pylist())
            if replacing.path is not None and Path(replacing.path).resolve() != path.resolve():
                analysed["path"] = str(path)
            self.con.execute(f"update captures set {', '.join(f'{k} = ?' for k in analysed)} where capture_id = ?",
                             [*analysed.values(), capture_id])
        recorded = [*read.problems, *(Problem(None, note) for note in read.notes)]
        flow_ids = self._buffer_rows(capture_id, path, read, recorded, reused)
        if read.responses:
            self._insert_responses(capture_id, read, dict(zip(read.flows.column("line").to_pylist(), flow_ids,
                                                              strict=True)))
        result.capture_id = capture_id
        self._batch += result.requests + result.observations
        if self._batch >= BATCH_ROWS:
            self._commit()

    def _flow(self, request: RawRequest, endpoints: EndpointMap, problems: list[Problem], settings: FileSettings,
              analyzer: _Analyzer) -> tuple[tuple, Sequence[tuple]]:
        """The flow row of one request (values of :data:`FLOW_FIELDS`) and its observations (values already
        redacted)."""
        type_id, type_path = _request_type(settings.request_type)
        req_type_id = request.req_type_id if request.req_type_id is not None else type_id
        endpoint = endpoints.resolve(request.path or type_path, req_type_id, request.host, settings.account_region,
                                     request.body)
        if request.problem:
            problems.append(Problem(request.line, request.problem))
        if request.body is None and not request.fields:
            analysis = _Analysis(request.body_status or "bad_data", None, (), None, None, "")
        else:
            analysis = analyzer.analyse(request.body or b"", endpoint.path, tuple(request.fields))
            if analysis.problem:
                problems.append(Problem(request.line, analysis.problem))
        status = analysis.status if request.body is not None else (request.body_status or "bad_data")
        own_time = request.time
        if own_time is not None and not plausible(own_time):
            problems.append(Problem(request.line, f"time {own_time.isoformat()} is not plausible (before 1990 or "
                                                  "after tomorrow); ignored"))
            own_time = None
        time_source = "record" if own_time else "payload" if analysis.time else None
        own_time = own_time or analysis.time
        flow = (request.line, own_time, request.host, endpoint.path, req_type_id, endpoint.feature,
                endpoint.recipient, analysis.appid, len(request.body or b""), status, time_source, endpoint.basis,
                (analysis.body_hash or None) if request.body is not None else None,
                request.method, request.url, request.connection, request.protocol)
        return flow, analysis.observations

    def _insert_responses(self, capture_id: int, read: _Read, flow_of_line: dict[int, int]) -> None:
        """Responses: metadata and how their body decodes, never observations (see migration 008)."""
        responses = read.responses
        store.insert_arrow(self.con, "responses", [
            {"capture_id": capture_id, "flow_id": flow_of_line.get(r.request_line) if r.request_line is not None
             else None, "line": r.line, "time": r.time, "connection": r.connection, "protocol": r.protocol,
             "status": r.status, "content_type": r.content_type, "body_bytes": size, "decode_status": status}
            for r, size, status in zip(responses, read.response_bytes, read.response_statuses, strict=True)])

    def _clear(self, capture_id: int, lines: list[int]) -> range | None:
        """Delete a capture's flows, observations, responses and problems in the open batch (its captures row and
        aliases stay); return its flow ids when the new flows are on the same lines in the same order (the file
        read as before), so that they keep them: a report's request ids then still name the same requests."""
        old = self.con.execute("select min(flow_id), max(flow_id), count(*), list(line order by flow_id) from flows "
                               "where capture_id = ?", [capture_id]).fetchall()[0]
        for table, column in (("flows", "flow_id"), ("observations", "observation_id")):
            self._next_ids(table, column, 0)  # fresh ids of this batch continue after the deleted ones
        self.con.execute("delete from observations where flow_id in (select flow_id from flows where capture_id = ?)",
                         [capture_id])
        for table in ("responses", "ingest_problems", "flows"):
            self.con.execute(f"delete from {table} where capture_id = ?", [capture_id])
        if old[2] and old[1] - old[0] + 1 == old[2] and list(old[3]) == lines:
            return range(old[0], old[1] + 1)
        return None

    def _buffer_rows(self, capture_id: int, path: Path, read: _Read, problems: list[Problem],
                     flow_ids: range | None = None) -> range:
        """Ids for a file's flows (``flow_ids`` when given) and observations, and its rows added to the open batch's
        buffers."""
        flow_ids = flow_ids or self._next_ids("flows", "flow_id", read.flows.num_rows)
        self._buffer["flows"].append(
            read.flows.append_column("flow_id", pa.array(flow_ids, pa.int64()))
            .append_column("capture_id", pa.array(np.full(read.flows.num_rows, capture_id, np.int32))))
        if read.found.num_rows:
            first = self._next_ids("observations", "observation_id", read.found.num_rows).start
            found = read.found
            self._buffer["observations"].append(
                found.drop_columns(["flow_index"])
                .append_column("flow_id", pc.add(found.column("flow_index").cast(pa.int64()), flow_ids.start))
                .append_column("observation_id", pa.array(np.arange(first, first + found.num_rows, dtype=np.int64))))
        if problems:
            self._buffer["ingest_problems"].append(store.arrow_rows(self.con, "ingest_problems", {
                "capture_id": [capture_id] * len(problems), "path": [str(path)] * len(problems),
                "line": [p.line for p in problems], "problem": [p.problem for p in problems]}))
        return flow_ids

    def _flush(self) -> None:
        """Insert the open batch's buffered rows: one statement per table for all its files."""
        for table, parts in self._buffer.items():
            if parts:
                store.insert_arrow(self.con, table, pa.concat_tables(parts))
        self._buffer = {}


@dataclass
class _Stale:
    """A stored capture of another analysis (or whose settings files changed) whose recorded path a file of this run
    is: its id, content hash and the settings it was ingested with; ``problem`` says why it cannot be analysed again
    (a profile gone)."""

    capture_id: int
    sha: str
    settings: FileSettings
    problem: str | None = None
    path: str | None = None  # its recorded path (another one with --reanalyse: the row takes the new one)
    reason: str = "the analysis changed"  # why it is analysed again: the analysis, or its settings files' content


@dataclass
class _Task:
    """What a worker needs to read one capture file (picklable): ``format`` None to sniff it; ``stale``: the
    capture of another analysis stored under this path (the file is read with its settings when its content is
    unchanged)."""

    path: Path
    format: str | None
    settings: FileSettings
    stale: _Stale | None = None


@dataclass
class _Hashed:
    """A file a worker hashed but did not read: its content was stored when the run began (``message`` None), or
    it is not a capture (``message`` says why)."""

    sha: str
    message: str | None = None


@dataclass
class _Read:
    """A capture file read and analysed by a worker: its content hash and format, its flow rows (with their prefix
    hash) and observations as Arrow tables (the observations' ``flow_index`` counts flows from 0), the capture time
    (given or the median of the requests'), problems, the reader's notes, responses (bodies dropped) and their
    decode status."""

    sha: str
    format: str
    flows: pa.Table
    found: pa.Table
    decoded: int
    captured_at: datetime | None
    captured_at_source: str | None
    problems: list[Problem]
    notes: list[str]
    responses: list[RawResponse]
    response_statuses: list[str]
    response_bytes: list[int]
    problem_count: int  # all problems, also those beyond what ``problems`` keeps (:class:`Problems`)


@dataclass
class _Pending:
    result: FileResult
    settings: FileSettings
    task: _Task
    future: Future | None = None


# a capture written to (appended, truncated, replaced) between its hash and the end of its reading: what was read is
# not the content the hash names, so nothing of it is stored; the message follows "cannot read: "
CHANGED_WHILE_READ = ("the file changed while it was read (size, modification time or inode); not ingested: ingest "
                      "it again once it is complete")

# a capture whose reading needed more memory than the process may take (a limit of policycheck/flows/limits.py
# should have stopped it first): one line, nothing of the file stored
OUT_OF_MEMORY = ("reading it needed more memory than is available (MemoryError); not ingested: split the file, or "
                 "report the limit it lacks")


def _read_capture(ingester: Ingester, task: _Task, stored: frozenset[str] | None = None
                  ) -> _Read | _Hashed | OSError:
    """Hash, read, decode and analyse one capture file (no store access: runs in a worker process); content in
    ``stored`` (default: ``ingester.stored``) is only hashed. An OSError while reading is returned, not raised.
    The file of a capture of another analysis (``task.stale``, same content) is read with the settings it was
    ingested with, and any error of that analysis is returned as the reason (its stored rows are then kept)."""
    try:
        before = _signature(task.path)
        sha = file_sha256(task.path)
        if sha in (ingester.stored if stored is None else stored):
            return _Hashed(sha)
        stale = task.stale if task.stale is not None and task.stale.sha == sha else None
        settings = stale.settings if stale is not None else task.settings
        if stale is not None and stale.problem:
            return _Hashed(sha, stale.problem)
        fmt, why_not = _format_of(task.path, settings.format)
    except OSError as exc:
        return exc
    if fmt is None:
        return _Hashed(sha, why_not)
    try:
        read = _analyse_file(ingester, task.path, sha, fmt, settings)
        return read if _signature(task.path) == before else OSError(CHANGED_WHILE_READ)
    except MemoryError:  # what was read is freed as the error unwinds: the file is refused, the run goes on
        return _Hashed(sha, OUT_OF_MEMORY)
    except Exception as exc:
        if stale is None:
            raise
        # a stored capture analysed again: a failure keeps its rows, said in one line (the exception's type only:
        # its text may quote a value read from the capture)
        return _Hashed(sha, f"the analysis failed with {type(exc).__name__}: a bug, please report it")


def _signature(path: Path) -> tuple[int, int, int] | None:
    """What changes when a file is written: its size, modification time (ns) and inode; ``None`` when it is gone."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns, info.st_ino


def _analyse_file(ingester: Ingester, path: Path, sha: str, fmt: str, settings: FileSettings
                  ) -> _Read | OSError:
    """Read, decode and analyse a capture file of format ``fmt`` with its ``settings`` (see :func:`_read_capture`).
    An OSError while reading is returned, not raised."""
    endpoints = ingester._endpoints_for(path)[0]
    analyzer = ingester.analyzer_for(settings.profile)
    reader = open_reader(fmt, ReaderSettings(settings.key_log, manifest_mod.zone_of(settings.timezone)))
    flows: list[tuple] = []  # values of FLOW_FIELDS
    found: list[Sequence[tuple]] = []  # per flow: (data_type, path, detector, confidence, value, name)
    found_tables: list[pa.Table] = []  # the observations of every FOUND_BATCH flows, converted as they come
    problems = Problems()
    notes: list[str] = []
    responses: list[RawResponse] = []
    statuses: list[str] = []
    sizes: list[int] = []
    try:
        for item in reader.read(path):
            if isinstance(item, Problem):
                problems.append(item)
            elif isinstance(item, Note):
                notes.append(item.text)
            elif isinstance(item, RawResponse):
                statuses.append(decode_mod.decode(item.body, max_bytes=ingester.options.max_body_bytes).status
                                if item.body is not None else (item.body_status or "bad_data"))
                sizes.append(len(item.body or b""))
                responses.append(replace(item, body=None))
            else:
                flow, observations = ingester._flow(item, endpoints, problems, settings, analyzer)
                flows.append(flow)
                found.append(observations)
                if len(found) == FOUND_BATCH:
                    found_tables.append(_found_table(found, ingester.found_schema, len(flows) - len(found)))
                    found.clear()
    except OSError as exc:
        return exc
    column = dict(zip(FLOW_FIELDS, zip(*flows, strict=True) if flows else [()] * len(FLOW_FIELDS), strict=True))
    captured_at, source = _capture_time(column, settings)
    column["prefix_hash"] = overlap.prefix_hashes(column["line"], column["body_hash"], column["req_type_id"])
    table = pa.table([pa.array(column[f.name], f.type) for f in ingester.flow_schema], schema=ingester.flow_schema)
    found_tables.append(_found_table(found, ingester.found_schema, len(flows) - len(found)))
    return _Read(sha, fmt, table, pa.concat_tables(found_tables),
                 sum(status not in UNDECODED for status in column["decode_status"]),
                 captured_at, source, problems.kept(), notes, responses, statuses, sizes, problems.total)


def _capture_time(column: dict[str, Sequence], settings: FileSettings) -> tuple[datetime | None, str | None]:
    """The capture's time (the option or manifest's, else the median of its requests' times) and its source, from
    a file's flow values by column; requests without a time of their own take it (their ``time`` and
    ``time_source`` columns are replaced: ``time_source = 'capture'``)."""
    times, sources = column["time"], column["time_source"]
    captured_at, source = settings.captured_at, settings.captured_at_source
    if captured_at is None or source == "folder":  # 'folder': a capture analysed again takes its own times first
        median = timestamps.median_time(t for t in times if t is not None)
        if median is not None or captured_at is None:
            captured_at, source = median, "record times" if "record" in sources else "payload median"
    if captured_at is not None and captured_at.tzinfo is not None:
        captured_at = captured_at.astimezone(UTC).replace(tzinfo=None)
    if captured_at is not None and None in times:
        column["time"] = [captured_at if t is None else t for t in times]
        column["time_source"] = ["capture" if t is None else s for t, s in zip(times, sources, strict=True)]
    return captured_at, source


# flows whose observations are converted to Arrow together while a file is read: the tuples of one batch, not of the
# whole file, are held (a 300 MB HAR of 19,000 requests has 3.4 million observations: 1.9 GB as tuples)
FOUND_BATCH = 2_000


def _found_table(found: list[Sequence[tuple]], schema: pa.Schema, start: int = 0) -> pa.Table:
    """The observations of flows ``start``, ``start + 1`` ... of a file (``found[i]``: tuples of
    :data:`OBSERVATION_FIELDS` of flow ``start + i``) as an Arrow table of ``schema`` (``flow_index`` and those fields).

    Flows whose bodies were analysed once share one list of observations (the analysis cache): each distinct list
    is converted to Arrow once, and the table is taken from those rows by index (numpy), so that no Python object
    is made per stored observation."""
    ids = np.fromiter(map(id, found), np.int64, len(found))  # the same list object: the same id
    _, first, which = np.unique(ids, return_index=True, return_inverse=True)
    distinct = [found[i] for i in first]
    sizes = np.fromiter(map(len, distinct), np.int64, len(distinct))
    rows = [o for observations in distinct for o in observations]
    columns = list(zip(*rows, strict=True)) if rows else [()] * (len(schema) - 1)
    unique = pa.table(dict(zip(schema.names[1:], columns, strict=True)), schema=pa.schema(list(schema)[1:]))
    counts = sizes[which]
    ends = np.cumsum(counts)
    starts = (np.cumsum(sizes) - sizes)[which]
    take = np.arange(int(ends[-1]) if len(ends) else 0, dtype=np.int64) + np.repeat(starts - (ends - counts), counts)
    flow_index = np.repeat(np.arange(start, start + len(found), dtype=np.int32), counts)
    return unique.take(take).add_column(0, schema.field(0), pa.array(flow_index, schema.field(0).type))


_WORKER: Ingester | None = None  # the ingester a forked worker process inherited


def _work(task: _Task) -> _Read | _Hashed | OSError:
    assert _WORKER is not None
    return _read_capture(_WORKER, task)


class _Workers:
    """Worker processes that read and analyse capture files while the parent stores them, one file each, in
    order (the store has one writer). Forked after the ingester has loaded its endpoint maps and detectors, so
    that the workers share them; each keeps its own cache of identical bodies. One worker per core
    (``POLICYCHECK_WORKERS`` overrides it); with one, or one file, everything runs in this process.

    The parent's objects are frozen out of the garbage collector while the workers are forked and run
    (``gc.freeze``, as the Python documentation of ``gc.freeze`` advises before a fork without exec): a worker's
    collection then never touches what it inherited, such as a DuckDB connection or a spaCy model of the parent
    whose threads and locks did not come along (a collection that freed one crashed a worker)."""

    def __init__(self, ingester: Ingester, files: int) -> None:
        self.ingester = ingester
        wanted = config.env_count("POLICYCHECK_WORKERS") or os.cpu_count() or 1
        self.count = max(1, min(wanted, files))
        self.window = 2 * self.count if self.count > 1 else 0
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> _Workers:
        global _WORKER
        if self.count > 1:
            _WORKER = self.ingester
            gc.freeze()
            self.pool = ProcessPoolExecutor(self.count, mp_context=multiprocessing.get_context("fork"))
        return self

    def __exit__(self, *exc: object) -> None:
        global _WORKER
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            gc.unfreeze()
        _WORKER = None

    def submit(self, pending: _Pending) -> None:
        if self.pool is not None:
            pending.future = self.pool.submit(_work, pending.task)

    def result(self, pending: _Pending) -> _Read | _Hashed | OSError:
        if pending.future is None:
            return _read_capture(self.ingester, pending.task)
        return pending.future.result()


# the flow columns a worker fills, in the order of the tuples of :meth:`Ingester._flow` (the writer adds the ids)
FLOW_FIELDS = ("line", "time", "host", "path", "req_type_id", "feature", "recipient", "mini_program_appid",
               "body_bytes", "decode_status", "time_source", "feature_basis", "body_hash", "method", "url",
               "connection", "protocol")
# the columns of a captures row that :meth:`Ingester._stale_for` reads (the settings a capture was ingested with)
_STORED_SETTINGS = ("capture_id", "path", "sha256", "scenario", "run", "account_region", "profile", "captured_at",
                    "captured_at_source", "timezone", "key_log", "app_version", "format", "request_type", "manifest",
                    "analysis_stamp", "settings_sha256")  # the last two: whether it is stale (_find_stale)
# the observation columns an analysis fills, in the order of its tuples (:attr:`_Analysis.observations`)
OBSERVATION_FIELDS = ("data_type", "field_path", "detector", "confidence", "value_redacted", "field_name",
                      "envelope")


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def ingest(ws: Workspace, paths: Iterable[Path], options: IngestOptions | None = None) -> list[FileResult]:
    """Ingest capture files and folders into the workspace's store.

    Inputs: the workspace (its store, ontology, endpoint map and mappings folder), ``paths`` (files or folders),
    :class:`IngestOptions`. Emits on ``ws.events``: :class:`~policycheck.events.Started` with the number of
    files, :class:`~policycheck.events.Progressed` per file (stage ``captures``) and per batch of requests read
    (stage ``requests``), an :class:`~policycheck.events.Outcome` per file and a
    :class:`~policycheck.events.Problem` per failed file. Output: one :class:`FileResult` per file. Raises
    :class:`PolicycheckError` for a bad option, a missing path, a malformed profile or endpoints file; problems
    inside a capture never raise.
    """
    return Ingester(ws, options or IngestOptions()).run(paths)
