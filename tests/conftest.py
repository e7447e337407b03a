"""Shared fixtures: the real research data in ../shared (skipped with a message when absent) and fresh stores."""

from __future__ import annotations

from pathlib import Path

import pytest

from policycheck import config, ontology, store

SHARED = config.shared_dir()
DATASETS = SHARED / "datasets"


def require_shared(*parts: str) -> Path:
    """Path under ../shared, or skip the test with a clear message when the data is not beside the checkout."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data not available: {path} is missing (put the shared folder beside the checkout "
                    "or set POLICYCHECK_SHARED)")
    return path


@pytest.fixture(scope="session")
def onto() -> ontology.Ontology:
    """The project's ontology from mappings/."""
    return ontology.load(config.mappings_dir())


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store.duckdb"


@pytest.fixture
def con(db_path: Path, onto: ontology.Ontology):
    """A fresh store with the schema migrated and the ontology loaded."""
    connection = store.connect(db_path)
    ontology.write(connection, onto)
    yield connection
    connection.close()
