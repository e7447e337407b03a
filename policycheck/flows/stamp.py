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
DISTRIBUTIONS = ("brotli", "cryptography", "dpkt", "mitmproxy", "phonenumbers", "pyahocorasick", "pydantic",
                 "PyYAML", "zstandard")


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


@dataclass
class StaleCaptures:
    """Captures whose rows rest on an older analysis than this policycheck's: per scenario, how many, and how many
    of them can no longer be analysed again where they were ingested (file gone or changed)."""

    scenarios: Counter[str] = field(default_factory=Counter)
    file_gone_or_changed: int = 0

    @property
    def count(self) -> int:
        return sum(self.scenarios.values())

    def warning(self) -> str | None:
        """One line for the read commands (scenarios, never paths or identifiers), or None when none is stale."""
        if not self.count:
            return None
        named = ", ".join(f"{s} ({n})" if n > 1 else s for s, n in sorted(self.scenarios.items()))
        fix = []
        if self.count > self.file_gone_or_changed:
            fix.append("re-run `policycheck run` (or `policycheck ingest` on their files) to analyse them again")
        if self.file_gone_or_changed:
            fix.append(f"{self.file_gone_or_changed} of them no longer at their recorded path with the same content: "
                       "`policycheck ingest --reanalyse FILE` with each file")
        return (f"warning: {self.count} capture(s) rest on an older analysis of the flows than this policycheck's "
                f"(scenarios: {named}); their detections may be out of date: {'; '.join(fix)}")

    def as_json(self) -> dict[str, Any]:
        """The report's ``stale_analysis`` (report.schema.json)."""
        return {"captures": self.count, "file_gone_or_changed": self.file_gone_or_changed, "warning": self.warning(),
                "scenarios": [{"scenario": s, "captures": n} for s, n in sorted(self.scenarios.items())]}


def stale_captures(con: duckdb.DuckDBPyConnection, mappings: Path | None = None) -> StaleCaptures:
    """The captures of the store analysed under another stamp than :func:`analysis_stamp` of ``mappings``
    (default: :func:`store_mappings`), NULL included. A stale capture's file is hashed to tell whether ingest can
    analyse it again (same path, same sha256): only when some capture is stale, so an up-to-date store costs one
    query."""
    stamp = analysis_stamp(mappings or store_mappings(con))
    rows = con.execute("select scenario, path, sha256 from captures where analysis_stamp is distinct from ?",
                       [stamp]).fetchall()
    found = StaleCaptures()
    for scenario, path, sha in rows:
        found.scenarios[scenario] += 1
        if _content_sha256(Path(path)) != sha:
            found.file_gone_or_changed += 1
    return found


def _content_sha256(path: Path) -> str | None:
    """:func:`~policycheck.fingerprint.file_sha256` of a file, or None when it cannot be read (gone, moved)."""
    try:
        return file_sha256(path)
    except OSError:
        return None
