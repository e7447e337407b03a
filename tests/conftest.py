"""Shared fixtures: the real research data in ../shared (skipped with a message when absent) and fresh stores."""

from __future__ import annotations

import functools
import inspect
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from policycheck import config, ontology, store
from policycheck.events import Events
from policycheck.policies.browser import find_chromium
from policycheck.policies.fetch_settings import FetchSettings
from policycheck.workspace import Settings, Workspace
from tests.policies.httpserver import PolicyServer

SHARED = config.shared_dir()
DATASETS = SHARED / "datasets"


def require_shared(*parts: str) -> Path:
    """Path under ../shared, or skip the test with a clear message when the data is not beside the checkout."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data not available: {path} is missing (put the shared folder beside the checkout "
                    "or set POLICYCHECK_SHARED)")
    return path


@functools.cache
def project_ontology() -> ontology.Ontology:
    """The project's ontology from mappings/ (loaded once per test session)."""
    return ontology.load(config.mappings_dir())


@pytest.fixture(scope="session")
def onto() -> ontology.Ontology:
    """The project's ontology from mappings/."""
    return project_ontology()


def workspace(con, onto: ontology.Ontology | None = None, fetch: FetchSettings | None = None,
              events: Events | None = None) -> Workspace:
    """A workspace over a test's open store: the project's ontology (written to the store), default paths."""
    return Workspace.attach(con, onto or project_ontology(), settings=Settings(fetch=fetch), events=events)


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


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture
def server():
    with PolicyServer() as srv:
        yield srv


@pytest.fixture
def sources(tmp_path: Path, server: PolicyServer) -> Path:
    """The project's real policies/sources.json with every fetch URL moved to the local server."""
    data = json.loads(config.sources_file().read_text(encoding="utf-8"))
    for declaration in data["declarations"]:
        for value in declaration["terms"].values():
            for source in value if isinstance(value, list) else [value]:
                source["fetch"] = server.base + path_of(source["fetch"])
    path = tmp_path / "sources.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def chromium() -> str:
    """The system Chromium for tests that render pages. A missing browser FAILS the test (CI installs Debian's
    ``chromium``, see .ci/run); ``POLICYCHECK_ALLOW_MISSING_TOOLS=1`` turns that into a skip."""
    found = find_chromium()
    if found is None:
        message = "Chromium is not installed: apt-get install chromium (the browser tests need Debian's package)"
        if os.environ.get("POLICYCHECK_ALLOW_MISSING_TOOLS") == "1":
            pytest.skip(message)
        pytest.fail(message)
    return found


# -- the fast subset (`pytest -m "not slow"`) -------------------------------------------------------------------
# A test that reads the real data of ../shared is slow by definition (it parses policies, reads captures, runs the
# main job): it is marked `slow` here at collection, found by what its function, its fixtures and the helpers they
# call name (`require_shared`, `shared_dir`, the module constants SHARED/DATASETS). Other slow tests carry
# `@pytest.mark.slow` themselves.
_SHARED_NAMES = re.compile(r"\brequire_shared\(|\bshared_dir\(|\bSHARED\b|\bDATASETS\b")
_CALLED = re.compile(r"\b(?:(\w+)\.)?(\w+)\s*\(")


def _reads_shared(func: Any, seen: set[int], depth: int = 0) -> bool:
    """Whether ``func`` (or a function of our tests or package it calls, three levels deep) names ../shared."""
    func = inspect.unwrap(func)
    if id(func) in seen or depth > 3 or not inspect.isfunction(func):
        return False
    seen.add(id(func))
    try:
        source = inspect.getsource(func)
    except (OSError, TypeError):
        return False
    if _SHARED_NAMES.search(source):
        return True
    names = func.__globals__
    for owner, name in _CALLED.findall(source):
        target = names.get(name) if not owner else getattr(names.get(owner), name, None)
        module = getattr(target, "__module__", "") or ""
        if module.startswith("tests") and _reads_shared(target, seen, depth + 1):
            return True
    return False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("slow") or not isinstance(item, pytest.Function):
            continue
        seen: set[int] = set()
        funcs = [item.function] + [d.func for name in item.fixturenames
                                   for d in item._fixtureinfo.name2fixturedefs.get(name, ())]
        if any(_reads_shared(f, seen) for f in funcs):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="module")
def ontology_store(tmp_path_factory) -> Path:
    """An empty store with the ontology, made once per module through the real command line (``policycheck
    ontology``, ``tests.test_bad_input.cli``)."""
    from tests.test_bad_input import cli

    folder = tmp_path_factory.mktemp("store")
    proc = cli(["ontology", "--db", str(folder / "s.duckdb")], folder)
    assert proc.returncode == 0, proc.stderr
    return folder / "s.duckdb"


@pytest.fixture(scope="module")
def base_store(tmp_path_factory) -> Path:
    """A store with the ontology and one ingested HAR capture of one GET request (``tests.test_bad_input_cli.ENTRY``),
    built once per module through the real command line (``tests.test_bad_input.cli``); a module may define its own."""
    from tests.test_bad_input import cli, har, write
    from tests.test_bad_input_cli import ENTRY

    folder = tmp_path_factory.mktemp("base")
    proc = cli(["ingest", str(write(folder / "startup.har", har([ENTRY]))), "--db", str(folder / "base.duckdb")],
               folder)
    assert proc.returncode == 0, proc.stderr
    return folder / "base.duckdb"


@dataclass(frozen=True)
class MainJob:
    """README's first command run once on ../shared: its store (closed; open it read-only, or a :meth:`copy` to
    write), its outcome (``fail_on=("incorrect",)``: exit 12) and its report folder ``OUT/real``."""

    db: Path
    result: Any  # policycheck.run.RunResult

    def copy(self, folder: Path) -> Path:
        """A copy of the store in ``folder`` (a test that writes, or keeps a connection open, uses its own)."""
        return Path(shutil.copy(self.db, folder / "store.duckdb"))


@pytest.fixture(scope="session")
def main_job(tmp_path_factory) -> MainJob:
    """The main job on the real data once per test session (both device profiles, report name ``real``, default
    judgement, ``--fail-on incorrect``), shared by the modules that check the real store, gap rows and report
    (it ran three times, about 35 s each). Skipped when ../shared is absent."""
    from policycheck.run import ReportOptions, RunInputs, parse_profiles, run
    from policycheck.workspace import Paths

    data = require_shared("datasets")
    tmp = tmp_path_factory.mktemp("main-job")
    profiles = Path(__file__).parent / "profiles"
    chosen = parse_profiles([f"citizenlab-wechat-2023={profiles / 'citizenlab-2023.yaml'}",
                             f"citizenlab-wechat-security-2024={profiles / 'citizenlab-2024.yaml'}"])
    con = store.connect(tmp / "store.duckdb")
    try:
        result = run(Workspace.attach(con, paths=Paths(out=tmp / "out")), RunInputs(data=data, profiles=chosen),
                     ReportOptions(name="real", fail_on=("incorrect",)))
    finally:
        con.close()
    return MainJob(tmp / "store.duckdb", result)
