"""A stage run in a child process (issue 16: the main job's extraction, so that its memory is returned to the
system before the report): the child writes the store, the parent hears its events and gets its result or its
error, and the workspace holds a working connection afterwards."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from policycheck import config, store
from policycheck.apart import run_apart
from policycheck.errors import PolicycheckError
from policycheck.events import Outcome, Progressed, Recorder
from policycheck.workspace import Paths, Workspace

FAILING = "settings key that this stage refuses"


def write_a_setting(ws: Workspace) -> int:
    """A stage: two progress events, one row written, the process id returned."""
    ws.events.emit(Progressed("test", 1, 2, "first"))
    with store.transaction(ws.con):
        ws.con.execute("insert into settings values ('apart_test', ?)", [str(os.getpid())])
    ws.events.emit(Outcome("test", {"written": 1}))
    return os.getpid()


def refuse(ws: Workspace) -> None:
    """A stage that fails on bad input, after writing nothing."""
    raise PolicycheckError("settings", FAILING)


@pytest.mark.slow
def test_a_stage_apart_writes_the_store_and_reports_to_the_parent(tmp_path: Path, onto):
    paths = Paths(tmp_path / "store.duckdb", config.mappings_dir(), tmp_path / "out")
    with Workspace.open(paths, store.WRITE, onto=onto) as ws:
        heard = Recorder()
        with ws.events.subscribed(heard):
            child = run_apart(ws, "tests.test_apart:write_a_setting")
        assert child != os.getpid()
        assert heard.events == [Progressed("test", 1, 2, "first"), Outcome("test", {"written": 1})]
        assert ws.con.execute("select value from settings where key = 'apart_test'").fetchall() == [(str(child),)]
        with pytest.raises(PolicycheckError, match=FAILING):
            run_apart(ws, "tests.test_apart:refuse")
        assert ws.con.execute("select count(*) from settings where key = 'apart_test'").fetchall() == [(1,)]


def test_a_workspace_over_a_given_connection_runs_the_stage_here(con, onto):
    from tests.conftest import workspace
    ws = workspace(con, onto)
    assert run_apart(ws, "tests.test_apart:write_a_setting") == os.getpid()
    assert ws.con is con


def test_a_store_another_connection_of_this_process_holds_runs_the_stage_here(tmp_path: Path, onto):
    """DuckDB's lock is per process: while a second connection of this process keeps the store open, a child
    could not open it, so the stage runs here (a library caller who also queries the store)."""
    paths = Paths(tmp_path / "store.duckdb", config.mappings_dir(), tmp_path / "out")
    with Workspace.open(paths, store.WRITE, onto=onto) as ws:
        reader = store.connect(paths.db)  # the caller's own connection, as tests/gaps/test_real_data.py opens one
        assert run_apart(ws, "tests.test_apart:write_a_setting") == os.getpid()
        assert reader.execute("select value from settings where key = 'apart_test'").fetchall() == \
            [(str(os.getpid()),)]
        reader.close()
        assert ws.con.execute("select count(*) from settings").fetchall()[0][0] >= 1
