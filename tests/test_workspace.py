"""The workspace (one per command: store, ontology written once, endpoint map loaded once) and the event channel
every stage reports on (issue 15, items 1-2)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import yaml
from rich.console import Console
from rich.progress import Progress

from policycheck import config, store
from policycheck.cli.progress import ProgressBars
from policycheck.events import Events, Outcome, Problem, Progressed, Recorder, Started
from policycheck.flows.ingest import IngestOptions, ingest
from policycheck.policies.archive import import_archive
from policycheck.workspace import Paths, Workspace
from tests.conftest import require_shared

PROFILE = Path(__file__).parent / "profiles" / "citizenlab-2023.yaml"
LOGS = ("datasets", "citizenlab-wechat-2023", "network_logs")


def _paths(tmp_path: Path) -> Paths:
    return Paths(tmp_path / "store.duckdb", config.mappings_dir(), tmp_path / "out")


@pytest.mark.slow
def test_write_workspace_writes_the_ontology_once_and_read_workspace_never_writes(tmp_path, onto):
    with Workspace.open(_paths(tmp_path), store.WRITE, onto=onto) as ws:
        assert ws.ontology_written
        written_at = ws.con.execute("select loaded_at from ontology_files order by all").fetchall()
        assert ws.con.execute("select count(*) from data_types").fetchall()[0][0] == len(onto.concepts["data_type"])
    with Workspace.open(_paths(tmp_path), store.WRITE, onto=onto) as ws:
        assert not ws.ontology_written  # same files: the store keeps what it has
        assert ws.con.execute("select loaded_at from ontology_files order by all").fetchall() == written_at
    with Workspace.open(_paths(tmp_path), store.READ, onto=onto) as ws:
        assert not ws.ontology_written
        with pytest.raises(duckdb.Error, match=r"(?i)read-only"):
            ws.con.execute("delete from data_types")


def test_read_workspace_on_a_missing_store_is_one_line(tmp_path, onto):
    from policycheck.errors import PolicycheckError
    with pytest.raises(PolicycheckError, match="no such store"):
        Workspace.open(_paths(tmp_path), store.READ, onto=onto)


def test_endpoint_map_is_loaded_once_per_workspace(tmp_path, onto, monkeypatch):
    from policycheck.flows import endpoints
    loads = []
    original = endpoints.EndpointMap.load.__func__

    def counting(cls, mappings, onto_):
        loads.append(mappings)
        return original(cls, mappings, onto_)

    monkeypatch.setattr(endpoints.EndpointMap, "load", classmethod(counting))
    logs = require_shared(*LOGS)
    with Workspace.open(_paths(tmp_path), store.WRITE, onto=onto) as ws:
        for name in ("login_1.log.jsonl", "logout_1.log.jsonl"):
            ingest(ws, [logs / name], IngestOptions(profile=PROFILE))
        assert ws.endpoints is ws.endpoints
    assert loads == [config.mappings_dir()]


def test_events_reach_subscribers_in_order_and_unsubscribe():
    events, heard, other = Events(), Recorder(), Recorder()
    unsubscribe = events.subscribe(heard)
    with events.subscribed(other):
        events.emit(Started("claims", 2))
        events.emit(Progressed("claims", 1, 2, "parsing en blocks"))
    unsubscribe()
    events.emit(Outcome("claims", {"claims": 3}))
    assert heard.events == other.events == [Started("claims", 2), Progressed("claims", 1, 2, "parsing en blocks")]


def test_ingest_events_count_files_and_carry_no_identifier_of_the_device(tmp_path, onto):
    """Every event of an ingest of real captures with the device profile: files counted, requests read, one
    outcome per file, and none of the profile's identifier values anywhere in an event."""
    logs = require_shared(*LOGS)
    files = [logs / "login_1.log.jsonl", logs / "logout_1.log.jsonl"]
    heard = Recorder()
    with Workspace.open(_paths(tmp_path), store.WRITE, onto=onto) as ws, ws.events.subscribed(heard):
        results = ingest(ws, files, IngestOptions(profile=PROFILE))
    assert heard.events[0] == Started("captures", 2)
    done = [e for e in heard.events if isinstance(e, Progressed) and e.stage == "captures" and e.done > 0]
    assert [(e.done, e.total, e.item) for e in done] == [(1, 2, files[0].name), (2, 2, files[1].name)]
    requests = [e.done for e in heard.events if isinstance(e, Progressed) and e.stage == "requests"]
    assert requests[-1] == sum(r.requests for r in results) > 0
    outcomes = heard.outcomes("captures")
    assert [(o.item, o.counts["status"], o.counts["observations"]) for o in outcomes] == \
        [(r.path.name, r.status, r.observations) for r in results]
    values = yaml.safe_load(PROFILE.read_text(encoding="utf-8"))["values"]
    secrets = {str(v) for value in values.values() for v in (value if isinstance(value, list) else [value])
               if not isinstance(v, dict) and len(str(v)) >= 8}
    assert secrets  # the profile holds identifiers long enough to be recognised
    for event in heard.events:
        assert not any(secret in repr(event) for secret in secrets), event


def test_import_archive_reports_each_capture_and_the_document_outcome(tmp_path, onto):
    archive = require_shared("datasets", "policies", "wechat-privacy-policy")
    heard = Recorder()
    with Workspace.open(_paths(tmp_path), store.WRITE, onto=onto) as ws, ws.events.subscribed(heard):
        result = import_archive(ws, archive)
    progressed = [e for e in heard.events if isinstance(e, Progressed)]
    assert len(progressed) == len(result.recorded) and progressed[-1].done == progressed[-1].total
    [outcome] = heard.outcomes("policies")
    assert outcome.item == result.document.document_id
    assert outcome.counts == result.counts() and outcome.counts["new_versions"] == result.new_versions > 0


def test_progress_bars_draw_one_task_per_stage():
    progress = Progress(console=Console(file=open("/dev/null", "w")))  # noqa: SIM115  closed with the test
    bars = ProgressBars(progress)
    bars(Started("captures", 3))
    bars(Progressed("captures", 2, 3, "login_1.log.jsonl"))
    bars(Progressed("requests", 120, None))
    bars(Problem("captures", "x.log", "cannot read"))
    tasks = {t.description.split(":")[0]: t for t in progress.tasks}
    assert set(tasks) == {"captures", "requests"}
    assert (tasks["captures"].completed, tasks["captures"].total) == (2, 3)
    assert tasks["captures"].description == "captures: login_1.log.jsonl"
    assert tasks["requests"].total is None and tasks["requests"].completed == 120
    progress.console.file.close()
