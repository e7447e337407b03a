"""Benchmark and demo of the report (issue 12): build time, sizes, and screenshots of the HTML.

Run from the checkout after the main job (``policycheck run --data ../shared/datasets ...`` wrote
``out/policycheck.duckdb``): ``python tests/benchmarks/bench_report.py [--db out/policycheck.duckdb]``.
It builds the report (compact and ``--full``), prints the build time and the sizes of report.md, report.html
and report.json against the 5.4 MB report.json of before issue 12 (floor: at least 5x smaller), writes the
report to ``out/bench-report/`` and screenshots of the HTML at 1400 and 400 px to
``out/report-1400.png`` and ``out/report-400.png`` (plus ``-finding`` views of the first finding), using
Playwright with Debian's ``chromium``. Exits 1 when the compact JSON misses the floor.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from policycheck import store  # noqa: E402
from policycheck.reports.build import build_report  # noqa: E402
from policycheck.reports.write import to_json, write_report  # noqa: E402
from tests.reports.conftest import CHROMIUM_ARGS  # noqa: E402

BASELINE_JSON_BYTES = 5_400_000  # report.json on the real data before issue 12
FLOOR = 5  # at least this many times smaller


def screenshots(html: Path, out: Path, anchor: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        for width in (1400, 400):
            page = browser.new_page(viewport={"width": width, "height": 1000})
            page.goto(html.as_uri())
            for suffix, target in (("", None), ("-finding", anchor)):
                if target:
                    page.goto(f"{html.as_uri()}#{target}")
                path = out / f"report-{width}{suffix}.png"
                page.screenshot(path=str(path))
                written.append(path)
            page.close()
        browser.close()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=ROOT / "out" / "policycheck.duckdb")
    parser.add_argument("--out", type=Path, default=ROOT / "out")
    args = parser.parse_args()
    con = store.connect(args.db)
    started = time.perf_counter()
    report = build_report(con, "bench-report")
    built = time.perf_counter() - started
    full = to_json(build_report(con, "bench-report", full=True))
    con.close()
    paths = write_report(report, args.out)
    sizes = {fmt: path.stat().st_size for fmt, path in paths.items()}
    ratio = BASELINE_JSON_BYTES / sizes["json"]
    print(f"build (compact): {built:.1f} s")
    for fmt, size in sizes.items():
        print(f"report.{fmt}: {size / 1e6:.2f} MB")
    print(f"report.json --full: {len(full.encode()) / 1e6:.2f} MB")
    print(f"report.json is {ratio:.1f}x smaller than the {BASELINE_JSON_BYTES / 1e6:.1f} MB before issue 12 "
          f"(floor {FLOOR}x)")
    first = next(f["id"] for f in report["findings"])
    for path in screenshots(paths["html"].resolve(), args.out, first):
        print(f"screenshot: {path}")
    return 0 if ratio >= FLOOR else 1


if __name__ == "__main__":
    sys.exit(main())
