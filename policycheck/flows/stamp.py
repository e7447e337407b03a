"""The analysis stamp: which analysis computed a capture's flows and observations, and which captures rest on an
older one.

A capture's flows, observations, responses and problems are computed from its file, the settings it was ingested
with, and the analysis: this package's code and data files (readers, decoders, detectors and their pattern
tables), the few modules of ``policycheck`` they use, the ``mappings/`` files they read (the ontologies' keys,
patterns and hosts, the endpoint map with its message schemas, the Mini Program privacy interfaces) and the
versions of the libraries that read and decrypt capture formats. :func:`analysis_stamp` is the sha256 of all of
these, read without importing any of them (as :func:`policycheck.claims.pipeline.extractor_fingerprint` for the
claim extractors, with the same helpers of :mod:`policycheck.fingerprint`). Ingest records it per capture
(``captures.analysis_stamp``, migration 010; NULL for captures stored before: unknown, so out of date) and
analyses a stored capture again when its stamp differs and its file is still there, unchanged
(:mod:`policycheck.flows.ingest`). :func:`stale_captures` lists the captures that rest on an older analysis, for
the warning of ``flows``, ``gaps`` and ``report`` and the report's ``stale_analysis``.

The settings files a capture was analysed with (its device profile and, for a pcap, its MMTLS key log: the
:data:`SETTINGS_FILES` columns of ``captures``) are part of what its rows are computed from too, but belong to the
capture, not to the analysis: :class:`SettingsDigests` gives the sha256 over their content, which ingest records per
capture (``captures.settings_sha256``, migration 012; NULL for captures stored before: unknown). A capture whose
settings files' content differs from the recorded digest (a profile corrected) is out of date like one of another
stamp and is analysed again; one whose settings file is gone keeps its rows and is named with the reason. Settings
paths are stored absolute; a relative one (stored before migration 012) is resolved by :func:`recorded_path`.
"""

from __future__ import annotations

import functools
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from policycheck import config
from policycheck.fingerprint import distributions, file_sha256, hash_file, hash_tree
from policycheck.ontology import FILES

PACKAGE = Path(__file__).resolve().parent  # policycheck/flows: readers, decoders, detectors and their data files
# modules outside the flows package that the analysis runs (ontology parsing, plausible times, YAML models)
MODULES = ("ontology.py", "timewindow.py", "yamlfile.py")
# the mappings files the analysis reads: the ontologies (keys, patterns, hosts, features), the endpoint map and
# message schemas, the Mini Program privacy interfaces
MAPPINGS = (*FILES.values(), "endpoints.yaml", "privacy_interfaces.yaml")
# distributions whose code reads, decompresses, decrypts or parses what the readers and detectors see
DISTRIBUTIONS = ("brotli", "cryptography", "dpkt", "ijson", "mitmproxy", "phonenumbers", "pyahocorasick", "pydantic",
                 "PyYAML", "zstandard")
# the settings files of a capture (columns of ``captures``) whose content its rows are computed from, and their names
SETTINGS_FILES = {"profile": "device profile", "key_log": "MMTLS key log"}


def analysis_stamp(mappings: Path) -> str:
    """The sha256 (64 hex digits) of everything a capture's flows and observations are computed from, besides the
    file and its settings: this package's source and data files, :data:`MODULES`, the :data:`MAPPINGS` files of
    the folder ``mappings`` (a missing one hashed as missing) and the versions of :data:`DISTRIBUTIONS`. Reads
    about 60 files, imports nothing. Raises OSError for a file that cannot be read."""
    digest = hashlib.sha256()
    hash_tree(digest, PACKAGE)
    for name in MODULES:
        hash_file(digest, PACKAGE.parent / name, f"policycheck/{name}")
    for name in MAPPINGS:
        hash_file(digest, mappings / name, f"mappings/{name}")
    digest.update("\n".join(_libraries()).encode())
    return digest.hexdigest()


@functools.cache
def _libraries() -> tuple[str, ...]:
    """The versions of :data:`DISTRIBUTIONS`, read once per process (looking each up searches ``sys.path``)."""
    return tuple(distributions(DISTRIBUTIONS))


def store_mappings(con: duckdb.DuckDBPyConnection) -> Path:
    """The mappings folder the store's ontology was written from (``ontology_files``), when it still exists;
    else the default one (:func:`policycheck.config.mappings_dir`). Read commands take no ``--mappings``: this is
    the folder the last write command, and so the last ingest, used."""
    folders = {Path(p).parent for (p,) in con.execute("select path from ontology_files").fetchall()}
    if len(folders) == 1:
        folder = folders.pop()
        if all((folder / name).is_file() for name in FILES.values()):
            return folder
    return config.mappings_dir()


def store_folder(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The folder of the store file ``con`` opened (absolute), or None for an in-memory database."""
    rows = con.execute("select path from duckdb_databases() where database_name = current_database()").fetchall()
    return Path(rows[0][0]).resolve().parent if rows and rows[0][0] else None


def recorded_path(recorded: str | None, folder: Path | None) -> Path | None:
    """The settings file a ``captures`` row names (``profile``, ``key_log``): an absolute path as it is; a relative
    one (stored before migration 012, relative to the working directory of that ingest) resolved against the store's
    ``folder``, then the working directory: the first that is a file, else the store-folder one (then missing)."""
    if not recorded:
        return None
    path = Path(recorded)
    if path.is_absolute():
        return path
    candidates = [*([folder / path] if folder is not None else []), Path.cwd() / path]
    return next((c for c in candidates if c.is_file()), candidates[0]).resolve()


class SettingsDigests:
    """The digests of captures' settings files (:data:`SETTINGS_FILES`), each file hashed once per instance (one
    ingest run, one read command): many captures share a profile."""

    def __init__(self) -> None:
        self._files: dict[Path, str | None] = {}

    def digest(self, files: dict[str, Path | None]) -> tuple[str | None, str | None]:
        """``(digest, None)``: the sha256 (64 hex digits) over the content of the settings files ``files`` names
        (keys of :data:`SETTINGS_FILES`; None or absent: no such file, hashed as none); or ``(None, why)`` when one
        cannot be read, ``why`` naming the file's kind, never its path (``"its device profile is missing"``)."""
        digest = hashlib.sha256()
        for column, what in SETTINGS_FILES.items():
            path = files.get(column)
            if path is None:
                digest.update(f"{column}\n<none>\n".encode())
                continue
            if path not in self._files:
                self._files[path] = _content_sha256(path)
            if self._files[path] is None:
                return None, f"its {what} is missing"
            digest.update(f"{column}\n{self._files[path]}\n".encode())
        return digest.hexdigest(), None

    def recorded(self, profile: str | None, key_log: str | None, folder: Path | None) -> tuple[str | None, str | None]:
        """:meth:`digest` of the settings files a ``captures`` row names (its ``profile`` and ``key_log``, resolved by
        :func:`recorded_path` against the store's ``folder``)."""
        return self.digest({"profile": recorded_path(profile, folder), "key_log": recorded_path(key_log, folder)})


@dataclass
class StaleCaptures:
    """Captures whose rows rest on an older analysis than this policycheck's, or on settings files whose content
    changed since: per scenario, how many; how many of them can no longer be analysed again where they were
    ingested (file gone or changed); how many because a settings file changed; and, per scenario and reason, those
    whose settings file is gone (they cannot be analysed again until it is back)."""

    scenarios: Counter[str] = field(default_factory=Counter)
    file_gone_or_changed: int = 0
    settings_changed: int = 0
    settings_missing: Counter[tuple[str, str]] = field(default_factory=Counter)  # (scenario, why) -> captures

    @property
    def count(self) -> int:
        return sum(self.scenarios.values())

    def warning(self) -> str | None:
        """One line for the read commands (scenarios and reasons, never paths or identifiers), or None when none is
        stale."""
        if not self.count:
            return None
        named = ", ".join(f"{s} ({n})" if n > 1 else s for s, n in sorted(self.scenarios.items()))
        missing = sum(self.settings_missing.values())
        fix = []
        if self.count > self.file_gone_or_changed + missing:
            fix.append("re-run `policycheck run` (or `policycheck ingest` on their files) to analyse them again")
        if self.file_gone_or_changed:
            fix.append(f"{self.file_gone_or_changed} of them no longer at their recorded path with the same content: "
                       "`policycheck ingest --reanalyse FILE` with each file")
        if missing:
            gone = ", ".join(f"{scenario}: {why}" + (f" ({n})" if n > 1 else "")
                             for (scenario, why), n in sorted(self.settings_missing.items()))
            fix.append(f"{missing} of them cannot be analysed again until the settings file they were ingested with "
                       f"is back at its recorded path (`policycheck sql \"select scenario, profile, key_log from "
                       f"captures\"`): {gone}")
        settings = (" or on device profiles or key logs changed since" if self.settings_changed or missing
                    else "")
        return (f"warning: {self.count} capture(s) rest on an older analysis of the flows than this policycheck's"
                f"{settings} (scenarios: {named}); their detections may be out of date: {'; '.join(fix)}")

    def as_json(self) -> dict[str, Any]:
        """The report's ``stale_analysis`` (report.schema.json)."""
        return {"captures": self.count, "file_gone_or_changed": self.file_gone_or_changed,
                "settings_changed": self.settings_changed, "warning": self.warning(),
                "scenarios": [{"scenario": s, "captures": n} for s, n in sorted(self.scenarios.items())],
                "settings_missing": [{"scenario": s, "why": why, "captures": n}
                                     for (s, why), n in sorted(self.settings_missing.items())]}


def up_to_date(recorded_stamp: str | None, recorded_settings: str | None, stamp: str, settings: str | None) -> bool:
    """Whether a ``captures`` row rests on this analysis: it was analysed under ``stamp`` with settings files whose
    content digest (:meth:`SettingsDigests.recorded`) is still ``settings``. NULL columns (rows stored before
    migrations 010 and 012) and a settings file gone (``settings`` None) are not up to date. The one rule of
    :func:`stale_captures` and of ingest's re-analysis."""
    return settings is not None and recorded_stamp == stamp and recorded_settings == settings


def stale_captures(con: duckdb.DuckDBPyConnection, mappings: Path | None = None) -> StaleCaptures:
    """The captures of the store analysed under another stamp than :func:`analysis_stamp` of ``mappings``
    (default: :func:`store_mappings`), NULL included, or whose settings files' content differs from their
    ``settings_sha256`` (NULL, or a file gone, included). The settings files are hashed once each (a few small
    files); a stale capture's own file is hashed to tell whether ingest can analyse it again (same path, same
    sha256)."""
    stamp = analysis_stamp(mappings or store_mappings(con))
    folder = store_folder(con)
    digests = SettingsDigests()
    rows = con.execute("select scenario, path, sha256, analysis_stamp, settings_sha256, profile, key_log "
                       "from captures").fetchall()
    found = StaleCaptures()
    for scenario, path, sha, recorded_stamp, recorded_settings, profile, key_log in rows:
        current, missing = digests.recorded(profile, key_log, folder)
        if up_to_date(recorded_stamp, recorded_settings, stamp, current):
            continue
        found.scenarios[scenario] += 1
        if missing:
            found.settings_missing[(scenario, missing)] += 1
        elif recorded_settings is not None and recorded_settings != current:
            found.settings_changed += 1
        if _content_sha256(Path(path)) != sha:
            found.file_gone_or_changed += 1
    return found


def _content_sha256(path: Path) -> str | None:
    """:func:`~policycheck.fingerprint.file_sha256` of a file, or None when it cannot be read (gone, moved)."""
    try:
        return file_sha256(path)
    except OSError:
        return None
