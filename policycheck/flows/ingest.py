"""Ingest: capture files -> ``captures``, ``flows`` and ``observations`` in the store.

For each file: resolve its settings (command line, then the capture manifest, then conventions:
:mod:`policycheck.flows.settings`), hash it (a file whose content is already stored is not ingested again;
under another name it is recorded in ``capture_aliases`` and reported), detect its format (or take
``--format``), read its requests, and for each request resolve the endpoint (path, feature, recipient),
decode the body and its fields (headers, cookies, query, WeChat's request header), run the detectors and take
its time. Responses go to ``responses``, never to flows. Each file is one transaction: a file either lands
whole or not at all. Bad lines and bad payloads are recorded in ``ingest_problems`` with file and line, never
fatal.

Time of a flow: the time the capture format gives the request (``time_source = 'record'``), else the latest
timestamp under a time-like key in its payload (:mod:`policycheck.flows.timestamps`, ``'payload'``), else the
capture's ``captured_at`` (``'capture'``): the ``--captured-at`` option or the manifest's if given, else the
median of the capture's own request times, else that of the captures ingested beside it in the same run.
``flows.time`` is NULL only when none exists.

Identical request bodies are decoded and analysed once per run (the analysis depends only on the body
and its endpoint), which matters for logs that repeat the same heartbeat and sync requests.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import duckdb
import pyarrow as pa

from policycheck import ontology as ontology_mod
from policycheck import store
from policycheck.errors import PolicycheckError
from policycheck.flows import decode as decode_mod
from policycheck.flows import limits, redact, timestamps
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
from policycheck.flows.model import Leaf, Note, Problem, RawRequest, RawResponse
from policycheck.flows.profile import DeviceProfile
from policycheck.flows.readers import READERS, SNIFF_BYTES, Reader, ReaderSettings, detect_format, open_reader
from policycheck.flows.settings import FileSettings, Overrides, Resolver
from policycheck.ontology import Ontology
from policycheck.store import next_id, transaction
from policycheck.timewindow import plausible

_SUFFIXES = (".log.jsonl", ".jsonl", ".json", ".har", ".hex", ".txt", ".log", ".pcapng", ".pcap")
_RUN = re.compile(r"^(.+?)_(\d+)$")
_APPID = re.compile(r"^wx[0-9a-f]{16}$")
_APPID_KEYS = frozenset({"appid", "wxappid", "app_id", "wxaappid"})
_CAPTURE_STATUSES = frozenset({"ingested", "unchanged", "duplicate"})
UNDECODED = frozenset({"empty", "undecodable", "bad_data", "too_large", "too_deep", "encrypted"})
CACHE_BYTES = 64 * 1024 * 1024


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


@dataclass
class FileResult:
    """What happened to one file. ``status``: ``ingested``, ``unchanged`` (this file was ingested before),
    ``duplicate`` (same content as capture ``duplicate_of`` under another name; recorded as an alias),
    ``empty``, ``skipped`` (not a capture; found while walking a folder) or ``failed`` (named explicitly
    but not readable as a capture)."""

    path: Path
    status: str
    explicit: bool = True
    capture_id: int | None = None
    scenario: str | None = None
    format: str | None = None
    requests: int = 0
    decoded: int = 0
    observations: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # about the dataset (e.g. its request_types.csv)
    message: str | None = None
    duplicate_of: tuple[int, str] | None = None


class Progress(Protocol):
    """Callbacks for a progress display (the CLI's rich progress bar)."""

    def file_started(self, path: Path, size: int) -> None: ...
    def requests_read(self, count: int) -> None: ...
    def file_done(self, result: FileResult) -> None: ...


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
    entries skipped). Raises :class:`PolicycheckError` for a path that does not exist or a folder that
    cannot be listed."""
    for path in paths:
        if path.is_dir():
            try:
                found_files = sorted(path.rglob("*"))
            except OSError as exc:
                raise PolicycheckError(path, f"cannot list the folder: {exc.strerror}") from exc
            for found in found_files:
                hidden = any(part.startswith(".") for part in found.relative_to(path).parts)
                if found.is_file() and not hidden:
                    yield found, False
        elif path.is_file():
            yield path, True
        else:
            raise PolicycheckError(path, "no such file or folder")


@dataclass
class _Analysis:
    status: str
    problem: str | None
    observations: list[tuple[str, str, str, float, str, str | None]]
    time: datetime | None
    appid: str | None
    body_hash: str


class _Analyzer:
    """Decode + detect + time for one body, cached by (body, endpoint path)."""

    def __init__(self, detectors: Detectors, schemas: list[decode_mod.MessageSchema], salt: str,
                 options: IngestOptions) -> None:
        self.detectors = detectors
        self.schemas = schemas
        self.salt = salt
        self.options = options
        self.cache: dict[tuple[bytes, str | None, tuple], _Analysis] = {}
        self.cached_bytes = 0
        self.names: dict[str, str] = {}

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
            problem = (f"body of {len(body) / 1e6:.1f} MB above the {self.options.max_body_bytes >> 20} MB "
                       "decode limit; kept undecoded")
        elif decoded.limit is not None:
            problem = f"body {decoded.limit}; skipped (kept undecoded)"
        elif decoded.dropped:
            problem = (f"body holds more than {limits.MAX_LEAVES:,} values; the first {limits.MAX_LEAVES:,} "
                       f"kept, {decoded.dropped:,} dropped")
        findings = self.detectors.find(decoded.leaves, body)
        observations = [(f.data_type, f.path, f.detector, f.confidence, redact.redact(f.value, self.salt),
                         f.field_name) for f in findings]
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


def _sha256(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _request_type(option: str | None) -> tuple[int | None, str | None]:
    if not option:
        return None, None
    if option.strip().isdigit():
        return int(option), None
    if option.startswith("/"):
        return None, option
    raise PolicycheckError("--request-type", f"expected a request type id or an API path, got {option!r}")


class Ingester:
    """One ingest run over several files, sharing the endpoint map, detectors and decode cache."""

    def __init__(self, con: duckdb.DuckDBPyConnection, mappings: Path, onto: Ontology, options: IngestOptions,
                 progress: Progress | None = None) -> None:
        if options.account_region is not None and options.account_region not in REGIONS:
            raise PolicycheckError("--account-region",
                                   f"must be one of {REGIONS}, got {options.account_region!r}")
        if options.captured_at is not None and not plausible(options.captured_at):
            raise PolicycheckError("--captured-at", f"{options.captured_at.isoformat()} is not plausible: "
                                                    "captures are dated from 1990 to tomorrow")
        if options.format is not None and options.format not in READERS:
            raise PolicycheckError("--format", f"unknown format {options.format!r}; known: {sorted(READERS)}")
        if options.timezone is not None:
            manifest_mod.CaptureSettings(timezone=options.timezone)  # validates the zone name
        _request_type(options.request_type)
        self.con = con
        self.onto = onto
        self.options = options
        self.progress = progress
        self.endpoints = EndpointMap.load(mappings, onto)
        self.dataset_endpoints: dict[Path, EndpointMap] = {}
        self.patterns = PatternDetector(onto)
        self.keys = KeyDetector(onto, self.patterns)
        self.interfaces = PrivacyInterfaceDetector(InterfaceTable.load(mappings, onto))
        self.analyzers: dict[Path | None, _Analyzer] = {}
        self.resolver = Resolver(Overrides(options.scenario, options.account_region, options.profile,
                                           options.captured_at, options.timezone, options.key_log,
                                           options.app_version, options.format, options.request_type))
        ontology_mod.ensure_written(con, onto)
        with transaction(con):
            self.salt = redact.store_salt(con)
        self.analyzer_for(options.profile)  # a malformed --profile is refused before any file is read

    def analyzer_for(self, profile: Path | None) -> _Analyzer:
        """The decode/detect cache for captures of one device profile (loaded once)."""
        if profile not in self.analyzers:
            loaded = DeviceProfile.load(profile, self.onto) if profile else None
            detectors = Detectors(self.keys, self.patterns, ProfileDetector(loaded) if loaded else None,
                                  self.interfaces)
            self.analyzers[profile] = _Analyzer(detectors, self.endpoints.schemas, self.salt, self.options)
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
                planned.append((path, explicit, settings, None))
        results = []
        for path, explicit, settings, helper in planned:
            if settings is None:
                result = FileResult(path, "skipped", explicit, message=helper)
            else:
                result = self.file(path, explicit, settings)
            results.append(result)
            if self.progress:
                self.progress.file_done(result)
        self._date_from_neighbours(results)
        for folder in (p for p in paths if p.is_dir()):
            inside = [r for r in results if folder in r.path.parents]
            if not any(r.status in _CAPTURE_STATUSES for r in inside):
                failed = sum(r.status == "failed" for r in inside)
                what = (f"no capture in this folder ({len(inside)} file(s): {failed} unreadable, "
                        f"{len(inside) - failed} not in a format policycheck reads)" if inside
                        else "no files in this folder")
                results.append(FileResult(folder, "failed", message=what))
        return results

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
        run = settings.run
        result = FileResult(path, "ingested", explicit, scenario=settings.scenario)
        result.notes.extend(settings.notes)
        try:
            sha, size = _sha256(path)
        except OSError as exc:
            result.status, result.message = "failed", f"cannot read: {exc.strerror}"
            return result
        if self.progress:
            self.progress.file_started(path, size)
        if size == 0:
            result.status, result.message = "empty", "empty file: no requests"
            self._record_file_problem(path, result.message)
            return result
        known = self.con.execute("select capture_id, path from captures where sha256 = ?", [sha]).fetchall()
        if known:
            return self._known(result, known[0], run)
        try:
            with path.open("rb") as handle:
                head = handle.read(SNIFF_BYTES)
        except OSError as exc:
            result.status, result.message = "failed", f"cannot read: {exc.strerror}"
            return result
        fmt = settings.format or detect_format(head)
        if fmt is None:
            binary = b"\x00" in head[:4096]
            result.status = "failed" if explicit else "skipped"
            result.message = (f"{'binary file, ' if binary else ''}not a capture format policycheck reads "
                              f"(known: {', '.join(sorted(READERS))}; force one with --format)")
            if is_key_log(head):
                result.message = "an MMTLS key log, not a capture: give it to its pcap with --key-log"
            if explicit:
                self._record_file_problem(path, result.message)
            return result
        result.format = fmt
        reader = open_reader(fmt, ReaderSettings(settings.key_log, manifest_mod.zone_of(settings.timezone)))
        try:
            self._ingest(path, result, sha, settings, reader)
        except OSError as exc:  # vanished or became unreadable while being read: nothing of it stored
            result.status, result.message = "failed", f"cannot read: {exc.strerror or exc}"
            result.capture_id = None
        return result

    def _known(self, result: FileResult, known: tuple[int, str], run: int | None) -> FileResult:
        capture_id, stored_path = known
        result.capture_id = capture_id
        if Path(stored_path).resolve() == result.path.resolve():
            result.status, result.message = "unchanged", "already ingested (same content)"
            return result
        result.status, result.duplicate_of = "duplicate", (capture_id, stored_path)
        result.message = (f"same content as capture {capture_id} ({Path(stored_path).name}); "
                          "recorded as an alias")
        with transaction(self.con):
            self.con.execute(
                "insert into capture_aliases select ?, ?, ?, ?, ? where not exists "
                "(select 1 from capture_aliases where path = ?)",
                [capture_id, str(result.path), result.scenario, run, _now(), str(result.path)])
        return result

    def _record_file_problem(self, path: Path, problem: str) -> None:
        with transaction(self.con):
            self.con.execute("insert into ingest_problems select null, ?, null, ? where not exists "
                             "(select 1 from ingest_problems where path = ? and problem = ?)",
                             [str(path), problem, str(path), problem])

    def _ingest(self, path: Path, result: FileResult, sha: str, settings: FileSettings, reader: Reader) -> None:
        endpoints, notes = self._endpoints_for(path)
        notes = [*result.notes, *notes]
        analyzer = self.analyzer_for(settings.profile)
        flows: list[dict] = []
        observations: list[list[tuple]] = []  # per flow: (data_type, path, detector, confidence, value, name)
        problems: list[Problem] = []
        responses: list[RawResponse] = []
        pending = 0
        for item in reader.read(path):
            if isinstance(item, Problem):
                problems.append(item)
                continue
            if isinstance(item, Note):
                notes.append(item.text)
                continue
            if isinstance(item, RawResponse):
                responses.append(item)
                continue
            flow, found = self._flow(item, endpoints, problems, settings, analyzer)
            flows.append(flow)
            observations.append(found)
            pending += 1
            if pending >= 200 and self.progress:
                self.progress.requests_read(pending)
                pending = 0
        if self.progress and pending:
            self.progress.requests_read(pending)
        result.problems = problems
        result.notes = notes
        result.requests = len(flows)
        result.decoded = sum(1 for f in flows if f["decode_status"] not in UNDECODED)
        result.observations = sum(len(found) for found in observations)
        if not flows:
            result.status = "failed" if result.explicit else "skipped"
            result.message = f"no request could be read ({len(problems)} problem(s))"
            self._record_file_problem(path, result.message)
            return
        captured_at, source = settings.captured_at, settings.captured_at_source
        if captured_at is None:
            captured_at = timestamps.median_time(f["time"] for f in flows if f["time"] is not None)
            source = ("record times" if any(f["time_source"] == "record" for f in flows)
                      else "payload median")
        if captured_at is not None and captured_at.tzinfo is not None:
            captured_at = captured_at.astimezone(UTC).replace(tzinfo=None)
        for f in flows:
            if f["time"] is None and captured_at is not None:
                f["time"], f["time_source"] = captured_at, "capture"
        with transaction(self.con):
            capture_id = self.con.execute(
                "insert into captures (path, format, scenario, account_region, profile, sha256, ingested_at,"
                " captured_at, requests, problems, run, captured_at_source, app_version, key_log, timezone,"
                " manifest) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning capture_id",
                [str(path), result.format, result.scenario, settings.account_region,
                 str(settings.profile) if settings.profile else None, sha, _now(), captured_at,
                 len(flows), len(problems), settings.run, source if captured_at is not None else None,
                 settings.app_version, str(settings.key_log) if settings.key_log and result.format == "pcap"
                 else None, settings.timezone, str(settings.manifest) if settings.manifest else None],
            ).fetchall()[0][0]
            recorded = [*problems, *(Problem(None, note) for note in notes)]
            flow_ids = self._insert(capture_id, path, flows, observations, recorded)
            if responses:
                self._insert_responses(capture_id, responses, dict(zip((f["line"] for f in flows), flow_ids,
                                                                       strict=True)))
        result.capture_id = capture_id

    def _flow(self, request: RawRequest, endpoints: EndpointMap, problems: list[Problem], settings: FileSettings,
              analyzer: _Analyzer) -> tuple[dict, list[tuple]]:
        """The flow row of one request and its observations (values already redacted)."""
        type_id, type_path = _request_type(settings.request_type)
        req_type_id = request.req_type_id if request.req_type_id is not None else type_id
        endpoint = endpoints.resolve(request.path or type_path, req_type_id, request.host, settings.account_region)
        if request.problem:
            problems.append(Problem(request.line, request.problem))
        if request.body is None and not request.fields:
            analysis = _Analysis(request.body_status or "bad_data", None, [], None, None, "")
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
        flow = {
            "line": request.line, "time": own_time, "host": request.host,
            "path": endpoint.path, "req_type_id": req_type_id, "feature": endpoint.feature,
            "recipient": endpoint.recipient, "mini_program_appid": analysis.appid,
            "body_bytes": len(request.body or b""), "decode_status": status, "time_source": time_source,
            "feature_basis": endpoint.basis,
            "body_hash": (analysis.body_hash or None) if request.body is not None else None,
            "method": request.method, "url": request.url, "connection": request.connection,
            "protocol": request.protocol,
        }
        return flow, analysis.observations

    def _insert_responses(self, capture_id: int, responses: list[RawResponse], flow_of_line: dict[int, int]
                          ) -> None:
        """Responses: metadata and how their body decodes, never observations (see migration 008)."""
        statuses = [decode_mod.decode(r.body, max_bytes=self.options.max_body_bytes).status
                    if r.body is not None else (r.body_status or "bad_data") for r in responses]
        store.insert_arrow(self.con, "responses", pa.table({
            "capture_id": pa.array([capture_id] * len(responses), pa.int32()),
            "flow_id": pa.array([flow_of_line.get(r.request_line) if r.request_line is not None else None
                                 for r in responses], pa.int64()),
            "line": pa.array([r.line for r in responses], pa.int32()),
            "time": pa.array([r.time for r in responses], pa.timestamp("us")),
            "connection": pa.array([r.connection for r in responses], pa.string()),
            "protocol": pa.array([r.protocol for r in responses], pa.string()),
            "status": pa.array([r.status for r in responses], pa.int32()),
            "content_type": pa.array([r.content_type for r in responses], pa.string()),
            "body_bytes": pa.array([len(r.body or b"") for r in responses], pa.int32()),
            "decode_status": pa.array(statuses, pa.string()),
        }))

    def _insert(self, capture_id: int, path: Path, flows: list[dict], observations: list[list[tuple]],
                problems: list[Problem]) -> range:
        first_flow = next_id(self.con, "flows", "flow_id")
        flow_ids = range(first_flow, first_flow + len(flows))
        flow_table = pa.table({  # noqa: F841 - read by DuckDB's replacement scan
            "flow_id": pa.array(flow_ids, pa.int64()),
            "capture_id": pa.array([capture_id] * len(flows), pa.int32()),
            **{c: pa.array([f[c] for f in flows], _ARROW_TYPES.get(c, pa.string())) for c in _FLOW_COLUMNS},
        })
        self.con.execute("insert into flows by name select * from flow_table")
        rows = [(flow_id, *o) for flow_id, found in zip(flow_ids, observations, strict=True) for o in found]
        if rows:
            first = next_id(self.con, "observations", "observation_id")
            columns = list(zip(*rows, strict=True))
            obs_table = pa.table({  # noqa: F841 - read by DuckDB's replacement scan
                "observation_id": pa.array(range(first, first + len(rows)), pa.int64()),
                "flow_id": pa.array(columns[0], pa.int64()),
                "data_type": pa.array(columns[1], pa.string()),
                "field_path": pa.array(columns[2], pa.string()),
                "detector": pa.array(columns[3], pa.string()),
                "confidence": pa.array(columns[4], pa.float64()),
                "value_redacted": pa.array(columns[5], pa.string()),
                "field_name": pa.array(columns[6], pa.string()),
            })
            self.con.execute("insert into observations by name select * from obs_table")
        if problems:
            problem_table = pa.table({  # noqa: F841 - read by DuckDB's replacement scan
                "capture_id": pa.array([capture_id] * len(problems), pa.int32()),
                "path": pa.array([str(path)] * len(problems), pa.string()),
                "line": pa.array([p.line for p in problems], pa.int32()),
                "problem": pa.array([p.problem for p in problems], pa.string()),
            })
            self.con.execute("insert into ingest_problems by name select * from problem_table")
        return flow_ids


_FLOW_COLUMNS = ("line", "time", "host", "path", "req_type_id", "feature", "recipient", "mini_program_appid",
                 "body_bytes", "decode_status", "time_source", "feature_basis", "body_hash", "method", "url",
                 "connection", "protocol")
_ARROW_TYPES = {"line": pa.int32(), "time": pa.timestamp("us"), "req_type_id": pa.int32(),
                "body_bytes": pa.int32()}


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def ingest(con: duckdb.DuckDBPyConnection, paths: Iterable[Path], mappings: Path, onto: Ontology,
           options: IngestOptions | None = None, progress: Progress | None = None) -> list[FileResult]:
    """Ingest capture files and folders into the open store.

    Inputs: ``paths`` (files or folders), the ``mappings`` folder (endpoint knowledge) and its loaded
    ontology ``onto``, :class:`IngestOptions`, an optional :class:`Progress`. Output: one
    :class:`FileResult` per file. Raises :class:`PolicycheckError` for a bad option, a missing path, a
    malformed profile or endpoints file; problems inside a capture never raise.
    """
    return Ingester(con, mappings, onto, options or IngestOptions(), progress).run(paths)


def overlaps(con: duckdb.DuckDBPyConnection, capture_ids: list[int]) -> dict[int, tuple[int, str, int, int]]:
    """For each capture: ``(other capture id, its path, common prefix, requests)`` of the capture sharing
    the longest identical prefix with it (see the ``capture_overlaps`` view)."""
    if not capture_ids:
        return {}
    rows = con.execute(
        "select o.capture_id, o.other_capture_id, c.path, o.common_prefix, o.requests "
        "from capture_overlaps o join captures c on c.capture_id = o.other_capture_id "
        "where o.capture_id in (select unnest(?)) "
        "qualify row_number() over (partition by o.capture_id order by o.common_prefix desc, "
        "o.other_capture_id) = 1", [capture_ids]).fetchall()
    return {r[0]: (r[1], r[2], r[3], r[4]) for r in rows}
