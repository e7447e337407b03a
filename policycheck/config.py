"""Default locations of the project's files, each overridable by an environment variable.

| what | default | variable |
|---|---|---|
| DuckDB store | ``out/policycheck.duckdb`` under the current directory | ``POLICYCHECK_DB`` |
| ontologies and endpoint knowledge | ``mappings/`` of the project checkout | ``POLICYCHECK_MAPPINGS`` |
| policy sources (OTA declarations) | ``policies/sources.json`` of the checkout | ``POLICYCHECK_SOURCES`` |
| raw scraped snapshots | ``policies/snapshots/`` of the checkout | ``POLICYCHECK_SNAPSHOTS`` |
| shared research data | ``../shared`` beside the checkout | ``POLICYCHECK_SHARED`` |

Counts of processes (``POLICYCHECK_WORKERS``, ``POLICYCHECK_SPACY_PROCESSES``) are read by :func:`env_count`.
"""

from __future__ import annotations

import os
from pathlib import Path

from policycheck.errors import PolicycheckError

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


MAX_PROCESSES = 256  # a process count beyond this is a typo, not a machine (the development machine has 2 cores)


def env_count(var: str) -> int | None:
    """The whole number of processes ``$VAR`` asks for (``None`` when unset or empty). Raises
    :class:`PolicycheckError` naming the variable for a value that is not a whole number from 1 to
    :data:`MAX_PROCESSES` (``abc``, ``-5``, ``2.5``, a 30-digit number)."""
    value = os.environ.get(var, "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit() and len(value) <= 6 and 1 <= int(value) <= MAX_PROCESSES):
        raise PolicycheckError(var, f"{value[:40]!r} is not a number of processes (a whole number from 1 to "
                                    f"{MAX_PROCESSES}); unset it for the default")
    return int(value)
