"""Default locations of the project's files, each overridable by an environment variable.

| what | default | variable |
|---|---|---|
| DuckDB store | ``out/policycheck.duckdb`` under the current directory | ``POLICYCHECK_DB`` |
| ontologies and endpoint knowledge | ``mappings/`` of the project checkout | ``POLICYCHECK_MAPPINGS`` |
| policy sources (OTA declarations) | ``policies/sources.json`` of the checkout | ``POLICYCHECK_SOURCES`` |
| raw scraped snapshots | ``policies/snapshots/`` of the checkout | ``POLICYCHECK_SNAPSHOTS`` |
| shared research data | ``../shared`` beside the checkout | ``POLICYCHECK_SHARED`` |
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent


def _path(var: str, default: Path) -> Path:
    value = os.environ.get(var)
    return Path(value) if value else default


def default_db() -> Path:
    """Path of the DuckDB store (``$POLICYCHECK_DB`` or ``./out/policycheck.duckdb``)."""
    return _path("POLICYCHECK_DB", Path("out") / "policycheck.duckdb")


def mappings_dir() -> Path:
    """Folder of the ontology and endpoint files (``$POLICYCHECK_MAPPINGS`` or ``<checkout>/mappings``)."""
    return _path("POLICYCHECK_MAPPINGS", PROJECT_ROOT / "mappings")


def sources_file() -> Path:
    """The OTA-style declarations of the policies to scrape (``<checkout>/policies/sources.json``)."""
    return _path("POLICYCHECK_SOURCES", PROJECT_ROOT / "policies" / "sources.json")


def snapshots_dir() -> Path:
    """Where raw scraped responses are stored, content-addressed (``<checkout>/policies/snapshots``)."""
    return _path("POLICYCHECK_SNAPSHOTS", PROJECT_ROOT / "policies" / "snapshots")


def shared_dir() -> Path:
    """The read-only research data folder (``$POLICYCHECK_SHARED`` or ``<checkout>/../shared``)."""
    return _path("POLICYCHECK_SHARED", PROJECT_ROOT.parent / "shared")
