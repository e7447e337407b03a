"""``policycheck run``: the main job end to end — policies, claims, captures, gaps, report.

Stages, each idempotent (content hashes decide what is new), in order:

1. ontology: load and validate ``mappings/`` and write it to the store;
2. policies: with ``data``, import every archive folder under ``data/policies/`` (a folder with an OTA
   ``manifest.csv`` or dated text files; others, such as ``declarations/``, are skipped); without it, scrape
   the live sources of ``policies/sources.json``;
3. claims: extract claims for every version that has none;
4. captures: ingest every capture folder of ``data`` (its sub-folders other than ``policies``) or the
   ``captures`` paths given;
5. re-judging: every policy change not re-judged yet is judged against the stored flows
   (:func:`policycheck.gaps.rejudge.rejudge`; verdict changes go to ``verdict_changes``);
6. gaps and report: classify and write ``out/<name>/report.{md,html,json}``.

The outcome (:class:`RunResult`) says what each stage did; ``exit_code`` is 12 when gaps of a ``fail_on`` class
exist, else 11 when a live source failed to fetch, else 0.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from policycheck import config, exitcodes, ontology
from policycheck.claims.pipeline import extract
from policycheck.errors import PolicycheckError
from policycheck.flows.ingest import FileResult, IngestOptions, ingest
from policycheck.gaps.classify import Judgement, failing
from policycheck.gaps.rejudge import rejudge
from policycheck.policies.archive import EXTENSIONS, import_archive
from policycheck.policies.fetch import FetchSettings
from policycheck.policies.scrape import scrape
from policycheck.policies.sources import load_sources
from policycheck.reports.build import build_report
from policycheck.reports.write import write_report

Step = Callable[[str, int, int], None]  # (stage description, done, total)


@dataclass
class RunOptions:
    """What ``policycheck run`` does. ``data``: a folder laid out like ``../shared/datasets`` (offline mode);
    without it the live sources are scraped and ``captures`` ingested."""

    mappings: Path
    out: Path
    name: str = "report"
    data: Path | None = None
    captures: list[Path] = field(default_factory=list)
    profiles: dict[str | None, Path] = field(default_factory=dict)  # capture name (None: all) -> profile
    account_region: str | None = None  # None: each capture's manifest, else 'wechat'
    sources: Path | None = None
    snapshots: Path | None = None
    judgement: Judgement = field(default_factory=Judgement)  # as-of date, consistency mode, min confidence
    fail_on: tuple[str, ...] = ()
    fetch: FetchSettings | None = None  # live mode: timeouts, retries, politeness delay


@dataclass
class RunResult:
    """What each stage did (counts), the report's paths and summary, and the gap rows that fail the run."""

    stages: dict[str, dict[str, Any]] = field(default_factory=dict)
    report_paths: dict[str, Path] = field(default_factory=dict)
    summary: dict[str, int] = field(default_factory=dict)
    failing: list[dict[str, Any]] = field(default_factory=list)
    fetch_failed: bool = False
    headline: list[dict[str, Any]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if self.failing:
            return exitcodes.GAPS_FOUND
        if self.fetch_failed:
            return exitcodes.FETCH_FAILED
        return exitcodes.OK


def archive_folders(policies: Path) -> list[Path]:
    """Sub-folders of ``policies`` holding archived captures (an OTA manifest or capture-format files)."""
    return [p for p in sorted(policies.iterdir()) if p.is_dir() and (
        (p / "manifest.csv").exists() or any(f.suffix.lower() in EXTENSIONS for f in p.iterdir()))]


def capture_folders(data: Path) -> list[Path]:
    """Capture folders of a data directory: every sub-folder except ``policies``."""
    return [p for p in sorted(data.iterdir()) if p.is_dir() and p.name != "policies"]


def run(con: duckdb.DuckDBPyConnection, options: RunOptions, step: Step | None = None) -> RunResult:
    """Run the main job (see the module docstring). Raises :class:`PolicycheckError` for a bad data folder
    or option; problems inside captures or with live sources are counted, not raised."""
    failing([], options.fail_on)  # an unknown class name is refused before any work
    step = step or (lambda _stage, _done, _total: None)
    result = RunResult()
    onto = ontology.load(options.mappings)
    step("ontology", 0, 1)
    result.stages["ontology"] = {"written": ontology.ensure_written(con, onto)}
    step("ontology", 1, 1)

    if options.data is not None:
        policies = options.data / "policies"
        if not policies.is_dir():
            raise PolicycheckError(options.data, "no policies/ folder (expected the layout of ../shared/datasets)")
        folders = archive_folders(policies)
        imported: dict[str, Any] = {}
        for i, folder in enumerate(folders):
            step(f"importing {folder.name}", i, len(folders))
            res = import_archive(con, folder, onto)
            imported[res.document.document_id] = {"new_versions": res.new_versions,
                                                  "quarantined": res.count("quarantined"),
                                                  "unchanged": res.count("unchanged"),
                                                  "already_imported": len(res.skipped)}
        step("policies", len(folders), len(folders))
        result.stages["policies"] = imported
        capture_paths = capture_folders(options.data)
    else:
        sources = load_sources(options.sources or config.sources_file())
        step("scraping", 0, len(sources))
        scraped = scrape(con, sources, options.snapshots or config.snapshots_dir(), options.fetch)
        result.stages["policies"] = {r.source.document_id: {"outcome": r.outcome, "detail": r.detail}
                                     for r in scraped.results}
        result.fetch_failed = any(r.failed for r in scraped.results)
        capture_paths = list(options.captures)

    report = extract(con, onto, progress=step)
    result.stages["claims"] = {"versions": len(report.versions), "claims": report.claims,
                               "skipped_sentences": report.skipped, "blocks_parsed": report.parsed_blocks,
                               "blocks_from_cache": report.cached_blocks}

    ingested = []
    for i, path in enumerate(capture_paths):
        step(f"ingesting {path.name}", i, len(capture_paths))
        ingested.extend(ingest(con, [path], options.mappings, onto,
                               IngestOptions(profile=profile_for(path, options.profiles),
                                             account_region=options.account_region)))
    step("captures", len(capture_paths), len(capture_paths))
    result.stages["captures"] = _ingest_summary(ingested)

    step("re-judging policy changes", 0, 1)
    rejudged = rejudge(con)
    result.stages["rejudge"] = {"policy_changes": len(rejudged.judged), "verdicts_changed": len(rejudged.changes)}

    step("report", 0, 1)
    built = build_report(con, options.name, options.judgement)
    result.report_paths = write_report(built, options.out)
    result.summary = built["summary"]
    result.failing = failing(built["gaps"], options.fail_on)
    result.headline = [g for g in built["gaps"] if g["disclosure"] == "incorrect"][:5]
    step("report", 1, 1)
    return result


def parse_profiles(values: list[str]) -> dict[str | None, Path]:
    """``--profile`` values: ``FILE`` (for every capture) or ``NAME=FILE`` (for the capture folder or file
    called NAME). Raises :class:`PolicycheckError` for a missing file or two profiles for one name."""
    out: dict[str | None, Path] = {}
    for value in values:
        name, _, file = value.rpartition("=") if "=" in value else (None, "", value)
        path = Path(file)
        if not path.is_file():
            raise PolicycheckError(path, "no such profile file")
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
               "problems": sum(len(r.problems) for r in results)}
    if folders:
        summary["folders without captures"] = ", ".join(folders)
    return summary
