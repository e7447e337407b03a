"""``policycheck run``: the main job end to end — policies, claims, captures, gaps, report.

Stages, each idempotent (content hashes decide what is new), in order:

1. ontology: load and validate ``mappings/`` and write it to the store (done by the workspace,
   :class:`policycheck.workspace.Workspace`, when the command opens the store);
2. policies: with ``data``, import every archive folder under ``data/policies/`` (a folder with an OTA
   ``manifest.csv`` or dated text files; others, such as ``declarations/``, are skipped); without it, scrape
   the live sources of ``policies/sources.json``;
3. claims: extract claims for every version that has none, in a child process (:mod:`policycheck.apart`: the
   memory of the language pipelines goes back to the system before the captures and the report); the child is
   not started when the extractors' inputs are those of the last extraction and no version awaits them
   (:func:`policycheck.claims.pipeline.claims_pending`);
4. captures: ingest every capture folder of ``data`` (its sub-folders other than ``policies``) or the
   ``captures`` paths given;
5. re-judging: every policy change not re-judged yet is judged against the stored flows
   (:func:`policycheck.gaps.rejudge.rejudge`; verdict changes go to ``verdict_changes``);
6. gaps and report: classify and write ``out/<name>/report.{md,html,json}``.

The outcome (:class:`RunResult`) says what each stage did; ``exit_code`` is 12 when gaps of a ``fail_on`` class
exist, else 11 when a live source failed to fetch, else 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policycheck import config, exitcodes
from policycheck.apart import run_apart
from policycheck.claims.pipeline import STAGE as CLAIMS_STAGE
from policycheck.claims.pipeline import ExtractionReport, claims_pending, release_models
from policycheck.errors import PolicycheckError
from policycheck.events import Outcome, Recorder, Started
from policycheck.flows.ingest import FileResult, IngestOptions, ingest
from policycheck.flows.profile import DeviceProfile
from policycheck.gaps.classify import failing
from policycheck.gaps.rejudge import rejudge
from policycheck.reports.build import build_report
from policycheck.reports.write import write_report
from policycheck.workspace import Workspace


@dataclass(frozen=True)
class RunInputs:
    """What ``policycheck run`` reads. ``data``: a folder laid out like ``../shared/datasets`` (offline mode);
    without it the live ``sources`` (default: ``policies/sources.json``) are scraped into ``snapshots``
    (default: ``policies/snapshots``) and the ``captures`` ingested. ``profiles``: capture name (None: every
    capture) -> device profile; ``account_region``: None: each capture's manifest, else ``wechat``."""

    data: Path | None = None
    captures: tuple[Path, ...] = ()
    profiles: dict[str | None, Path] = field(default_factory=dict)
    account_region: str | None = None
    sources: Path | None = None
    snapshots: Path | None = None


@dataclass(frozen=True)
class ReportOptions:
    """The report a run writes: ``ws.paths.out / name / report.{md,html,json}``; ``fail_on``: gap classes that
    make the run exit 12. Raises :class:`PolicycheckError` for an unknown class name (before any work)."""

    name: str = "report"
    fail_on: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        failing([], self.fail_on)


@dataclass
class RunResult:
    """What each stage did (counts, from the stages' :class:`~policycheck.events.Outcome` events), the report's
    paths and summary, and the gap rows that fail the run."""

    stages: dict[str, dict[str, Any]] = field(default_factory=dict)
    report_paths: dict[str, Path] = field(default_factory=dict)
    summary: dict[str, int] = field(default_factory=dict)
    failing: list[dict[str, Any]] = field(default_factory=list)
    fetch_failed: bool = False
    headline: list[dict[str, Any]] = field(default_factory=list)
    stale_warning: str | None = None  # captures resting on an older analysis of the flows (report's stale_analysis)

    @property
    def exit_code(self) -> int:
        if self.failing:
            return exitcodes.GAPS_FOUND
        if self.fetch_failed:
            return exitcodes.FETCH_FAILED
        return exitcodes.OK


def archive_folders(policies: Path) -> list[Path]:
    """Sub-folders of ``policies`` holding archived captures (an OTA manifest or capture-format files)."""
    from policycheck.policies.archive import EXTENSIONS  # Beautiful Soup: imported when a run reads archives

    return [p for p in sorted(policies.iterdir()) if p.is_dir() and (
        (p / "manifest.csv").exists() or any(f.suffix.lower() in EXTENSIONS for f in p.iterdir()))]


def capture_folders(data: Path) -> list[Path]:
    """Capture folders of a data directory: every sub-folder except ``policies``."""
    return [p for p in sorted(data.iterdir()) if p.is_dir() and p.name != "policies"]


def run(ws: Workspace, inputs: RunInputs, report: ReportOptions | None = None) -> RunResult:
    """Run the main job (see the module docstring) in the workspace ``ws`` (opened for writing: its ontology is
    in the store already), judging gaps by ``ws.settings.judgement`` and writing the report under
    ``ws.paths.out``. Every stage emits its progress and outcome on ``ws.events``; the run's own stages
    (``rejudge``, ``report``) and the captures total emit :class:`~policycheck.events.Started` and
    :class:`~policycheck.events.Outcome` too. Raises :class:`PolicycheckError` for a bad data folder, option or
    device profile (checked before any work);
    problems inside captures or with live sources are counted, not raised."""
    report = report or ReportOptions()
    _check_inputs(inputs)
    for profile in sorted(set(inputs.profiles.values())):  # a malformed one failed after the policies' stage
        DeviceProfile.load(profile, ws.onto)
    result = RunResult()
    heard = Recorder()
    with ws.events.subscribed(heard):
        result.fetch_failed, capture_paths = _policies(ws, inputs)
        if claims_pending(ws):  # a warm run does not start the extraction process only to find nothing to do
            run_apart(ws, "policycheck.claims.pipeline:extract")
        else:
            ws.events.emit(Outcome(CLAIMS_STAGE, ExtractionReport().counts()))
        release_models()  # what extraction left in this process when it ran here (a workspace given a connection)
        _captures(ws, inputs, capture_paths)
        ws.events.emit(Started("rejudge", 1))
        rejudged = rejudge(ws.con)
        ws.events.emit(Outcome("rejudge", {"policy_changes": len(rejudged.judged),
                                           "verdicts_changed": len(rejudged.changes)}))
        ws.events.emit(Started("report", 1))
        built = build_report(ws.con, report.name, ws.settings.judgement, mappings=ws.paths.mappings)
        result.report_paths = write_report(built, ws.paths.out)
        ws.events.emit(Outcome("report", built["summary"]))
    result.stages = stage_outcomes(heard, ws.ontology_written)
    result.summary = built["summary"]
    result.failing = failing(built["gaps"], report.fail_on)
    result.headline = [g for g in built["gaps"] if g["disclosure"] == "incorrect"][:5]
    result.stale_warning = built["stale_analysis"]["warning"]
    return result


def _check_inputs(inputs: RunInputs) -> None:
    """Refuse, before any work, a ``--captures`` path that does not exist and a ``--profile NAME=FILE`` whose NAME
    is no capture folder or file of the run (it was ignored, and the captures read without their profile).
    Raises :class:`PolicycheckError`."""
    if inputs.data is not None:
        if not inputs.data.is_dir():
            raise PolicycheckError(inputs.data, "not a folder (expected the layout of ../shared/datasets)")
        captures = capture_folders(inputs.data)
    else:
        captures = list(inputs.captures)
        for path in captures:
            if not path.exists():
                raise PolicycheckError(path, "no such file or folder")
    names = sorted({p.name for p in captures})
    for name in (n for n in inputs.profiles if n is not None and n not in names):
        raise PolicycheckError("--profile", f"{name}={inputs.profiles[name]}: no capture folder or file named "
                                            f"{name!r} (known: {', '.join(names) or 'none'})")


def stage_outcomes(heard: Recorder, ontology_written: bool) -> dict[str, dict[str, Any]]:
    """The run summary's counts per stage from the events heard: ``policies`` maps each document id to its
    import or scrape outcome; ``claims``, ``captures`` and ``rejudge`` are the stage totals."""
    stages: dict[str, dict[str, Any]] = {"ontology": {"written": ontology_written},
                                         "policies": {e.item: dict(e.counts) for e in heard.outcomes("policies")}}
    for stage in ("claims", "captures", "rejudge"):
        totals = [e for e in heard.outcomes(stage) if not e.item]
        if totals:
            stages[stage] = dict(totals[-1].counts)
    return stages


def _policies(ws: Workspace, inputs: RunInputs) -> tuple[bool, list[Path]]:
    """Import the archives of ``inputs.data`` or scrape the live sources. Output: whether a live source failed,
    and the capture folders or files to ingest."""
    if inputs.data is None:
        from policycheck.policies.scrape import scrape  # httpx: only for a run without --data
        from policycheck.policies.sources import load_sources

        sources = load_sources(inputs.sources or config.sources_file())
        scraped = scrape(ws, sources, inputs.snapshots or config.snapshots_dir())
        return any(r.failed for r in scraped.results), list(inputs.captures)
    policies = inputs.data / "policies"
    if not policies.is_dir():
        raise PolicycheckError(inputs.data, "no policies/ folder (expected the layout of ../shared/datasets)")
    from policycheck.policies.archive import import_archive

    for folder in archive_folders(policies):
        import_archive(ws, folder)
    return False, capture_folders(inputs.data)


def _captures(ws: Workspace, inputs: RunInputs, paths: list[Path]) -> None:
    """Ingest each capture folder or file with its profile; emits the captures total as an Outcome."""
    ingested = []
    for path in paths:
        ingested.extend(ingest(ws, [path], IngestOptions(profile=profile_for(path, inputs.profiles),
                                                         account_region=inputs.account_region)))
    ws.events.emit(Outcome("captures", _ingest_summary(ingested)))


def parse_profiles(values: list[str]) -> dict[str | None, Path]:
    """``--profile`` values: ``FILE`` (for every capture) or ``NAME=FILE`` (for the capture folder or file
    called NAME). Raises :class:`PolicycheckError` for a missing file or two profiles for one name."""
    out: dict[str | None, Path] = {}
    for value in values:
        name, _, file = value.rpartition("=") if "=" in value else (None, "", value)
        path = Path(file)
        if not path.is_file():
            what = " is a folder, not a profile file" if path.is_dir() else ": no such profile file"
            raise PolicycheckError("--profile", f"{path}{what}")
        key = name or None
        if key in out:
            raise PolicycheckError("--profile", f"two profiles for {key or 'every capture'}")
        out[key] = path
    return out


def profile_for(capture: Path, profiles: dict[str | None, Path]) -> Path | None:
    """The profile named for this capture folder/file, else the one for every capture, else None."""
    return profiles.get(capture.name, profiles.get(None))


def _ingest_summary(results: list[FileResult]) -> dict[str, Any]:
    statuses: dict[str, int] = {}
    folders = [r.path.name for r in results if r.path.is_dir()]  # data folders holding no capture
    results = [r for r in results if not r.path.is_dir()]
    for r in results:
        statuses[r.status] = statuses.get(r.status, 0) + 1
    summary = {"files": len(results), **statuses,
               "requests": sum(r.requests for r in results), "observations": sum(r.observations for r in results),
               "problems": sum(r.problem_count for r in results)}
    if folders:
        summary["folders without captures"] = ", ".join(folders)
    return summary
