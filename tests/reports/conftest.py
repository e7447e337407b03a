"""The main job on the real data once per test session (its report, store and paths), and a headless Chromium
driven by Playwright (Debian's `chromium`; never a downloaded browser)."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import MainJob

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@dataclass
class RealReport:
    db: Path
    paths: dict[str, Path]
    report: dict[str, Any]


@pytest.fixture(scope="session")
def real_report(main_job: MainJob) -> RealReport:
    """`policycheck run` on ../shared/datasets (both device profiles), default judgement; store closed (the
    session's :func:`tests.conftest.main_job`)."""
    paths = main_job.result.report_paths
    return RealReport(main_job.db, paths, json.loads(paths["json"].read_text(encoding="utf-8")))


def chromium_path() -> str | None:
    """Debian's chromium, or fail (skip only with POLICYCHECK_ALLOW_MISSING_TOOLS=1): CI installs it."""
    found = shutil.which("chromium")
    if found is None:
        message = "Debian's chromium is not installed (.ci/run installs it: apt-get install chromium)"
        if os.environ.get("POLICYCHECK_ALLOW_MISSING_TOOLS") == "1":
            pytest.skip(message)
        pytest.fail(message)
    return found


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium (Playwright, Debian's executable), shared by one module's browser tests and closed
    after it: a Playwright sync session left open keeps its asyncio loop running, and a later module that starts
    Playwright (tests/flows/test_flow_http_captures.py) then fails."""
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Page:
    """A page of the report at a viewport width, collecting console errors and uncaught exceptions."""

    def __init__(self, browser, url: str, width: int = 1400) -> None:
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": width, "height": 900})
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                        else (self.errors.append(f"network request: {route.request.url}"), route.abort()))
        self.page.goto(url)
