"""The main job: ``policycheck run`` (policies, claims, captures, gaps, report) and its one-screen summary."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Group
from rich.table import Table

from policycheck import store
from policycheck.cli import output
from policycheck.cli.common import (
    DEFAULT_DB,
    DEFAULT_MAPPINGS,
    DEFAULT_OUT,
    DbOption,
    MappingsOption,
    app,
    check_folder,
    console,
    err_console,
    open_workspace,
    shown,
)
from policycheck.cli.gaps import (
    DEFAULT_MODE_OPTION,
    STYLE,
    AsOfOption,
    MinConfidenceOption,
    ModeOption,
    _judgement,
    _split,
)
from policycheck.cli.progress import progress_bars
from policycheck.gaps.classify import CLASSES, DEFAULT_MIN_CONFIDENCE
from policycheck.run import ReportOptions, RunInputs, RunResult, parse_profiles, run
from policycheck.workspace import Settings


@app.command("run")
def run_command(
    data: Annotated[Path | None, typer.Option(
        help="Offline: a folder laid out like ../shared/datasets (policy archives under policies/, "
             "capture folders beside).")] = None,
    captures: Annotated[list[Path] | None, typer.Option("--captures", help="Live mode: capture files or folders "
                                                                             "to ingest (repeatable).")] = None,
    profile: Annotated[list[str] | None, typer.Option(help="Device profile: FILE for every capture, or "
                                                           "NAME=FILE for the capture folder/file NAME.")] = None,
    account_region: Annotated[str | None, typer.Option(
        help="wechat or weixin: which policy governs the account (default: captures.yaml, else wechat).")] = None,
    name: output.NameOption = "report",
    out: output.OutOption = DEFAULT_OUT,
    as_of: AsOfOption = None,
    mode: ModeOption = DEFAULT_MODE_OPTION,
    min_confidence: MinConfidenceOption = DEFAULT_MIN_CONFIDENCE,
    fail_on: Annotated[list[str] | None, typer.Option(help="Exit 12 when gaps of these classes exist "
                                                           "(e.g. incorrect,omitted).")] = None,
    sources: Annotated[Path | None, typer.Option(help="Live mode: policies/sources.json to scrape.")] = None,
    db: DbOption = DEFAULT_DB,
    mappings: MappingsOption = DEFAULT_MAPPINGS,
) -> None:
    """Run the main job end to end: policies, claims, captures, gaps, report (OUT/NAME/report.md, .html, .json).

    With --data DIR it works offline on archived policies and capture folders; without it, it scrapes the live
    policy sources and ingests --captures. Exit status: 12 when gaps of a --fail-on class exist, 11 when a
    live source failed to fetch, else 0 (skipped capture files are named, never fatal); 2 for bad input found
    before any work (an unknown --fail-on class, a --profile NAME that is no capture folder or file of the run,
    a --captures path that does not exist, a malformed mappings file) or a store that cannot be opened.
    """
    check_folder(out, "--out")
    if data is not None:
        check_folder(data, "--data", must_exist=True)
    report = ReportOptions(name=name, fail_on=_split(fail_on))  # an unknown class is refused before any work
    inputs = RunInputs(data=data, captures=tuple(captures or ()), profiles=parse_profiles(profile or []),
                       account_region=account_region, sources=sources)
    if data is None and not captures:
        err_console.print("[yellow]no --data and no --captures: only the policies will be scraped and read[/]")
    started = time.perf_counter()
    with open_workspace(db, store.WRITE, mappings, out,
                        Settings(judgement=_judgement(as_of, mode, min_confidence))) as ws, progress_bars(ws.events):
        result = run(ws, inputs, report)
    console.print(run_summary(result, time.perf_counter() - started))
    raise typer.Exit(result.exit_code)


def run_summary(result: RunResult, seconds: float) -> Group:
    """The one-screen summary of a run: what each stage did, gaps per class, headline findings, paths."""
    stages = Table("stage", "result", title=f"policycheck run ({seconds:.1f} s)", show_lines=False)
    policies = result.stages.get("policies", {})
    for document, counts in policies.items():
        stages.add_row(f"policy {document}", ", ".join(f"{k} {v}" for k, v in counts.items() if v is not None))
    for key in ("claims", "captures", "rejudge"):
        stages.add_row(key, ", ".join(f"{k} {v}" for k, v in result.stages.get(key, {}).items()))
    classes = Table(*[f"[{STYLE[c]}]{c}[/]" for c in CLASSES], title="gap rows per class")
    classes.add_row(*[str(result.summary.get(c, 0)) for c in CLASSES])
    parts: list[Any] = [stages, classes]
    if result.headline:
        head = Table("recipient", "data type", "feature", "scenario", "label", title="incorrect (first 5)")
        for g in result.headline:
            head.add_row(g["recipient"], g["data_type"], g["feature"], shown(g["scenario"]), shown(g["label"] or ""))
        parts.append(head)
    parts.append(f"report: {', '.join(str(p) for p in result.report_paths.values())}")
    if result.stale_warning:
        parts.append(f"[yellow]{result.stale_warning}[/]")
    if result.failing:
        parts.append(f"[bold red]{len(result.failing)} gap rows of a --fail-on class: exit 12[/]")
    if result.fetch_failed:
        parts.append("[bold red]a policy source failed to fetch: exit 11[/]")
    return Group(*parts)
