"""Benchmark: ``policycheck run --data ../shared/datasets`` end to end, and the gap query alone (floor: <= 2 s).

Run from the checkout: ``python tests/benchmarks/bench_run.py [--repeat N]``. Runs the main job in a fresh
subprocess on a fresh store (cold: nothing cached) and then again on the same store (warm: everything is
already imported, extracted and ingested), printing wall time and peak memory (max RSS of the child) for
each; then times ``select * from gaps`` and the policy-history query ``N`` times in this process and prints
the best and median. Exits 1 when the gap query's median misses the floor.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from policycheck import config, store  # noqa: E402
from policycheck.gaps.classify import history, install  # noqa: E402

GAP_QUERY_FLOOR = 2.0


def run_once(db: Path, out: Path, data: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB and exit status of one `policycheck run` in a child process."""
    profiles = ROOT / "tests" / "profiles"
    command = [sys.executable, "-m", "policycheck", "run", "--data", str(data), "--db", str(db), "--out", str(out),
               "--profile", f"citizenlab-wechat-2023={profiles / 'citizenlab-2023.yaml'}",
               "--profile", f"citizenlab-wechat-security-2024={profiles / 'citizenlab-2024.yaml'}"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    if proc.returncode not in (0, 12):
        print(proc.stdout[-2000:], proc.stderr[-2000:], sep="\n")
    return seconds, peak, proc.returncode


def timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timings of the gap query")
    args = parser.parse_args()
    data = config.shared_dir() / "datasets"
    if not data.is_dir():
        print(f"real data not available: {data} is missing")
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        db, out = Path(tmp) / "store.duckdb", Path(tmp) / "out"
        for label in ("cold", "warm"):
            seconds, peak, status = run_once(db, out, data)
            print(f"run {label}: {seconds:.1f} s wall, peak memory {peak:.0f} MB, exit {status}")
        con = store.connect(db)
        install(con)
        rows = con.execute("select count(*) from gaps").fetchall()[0][0]
        gap_times = timed(lambda: con.execute("select * from gaps").fetchall(), args.repeat)
        history_times = timed(lambda: history(con), args.repeat)
        median = statistics.median(gap_times)
        print(f"gap query ({rows} rows): best {min(gap_times):.3f} s, median {median:.3f} s "
              f"(floor {GAP_QUERY_FLOOR:.0f} s)")
        print(f"policy history (every group x every version): best {min(history_times):.3f} s, "
              f"median {statistics.median(history_times):.3f} s")
    return 0 if median <= GAP_QUERY_FLOOR else 1


if __name__ == "__main__":
    sys.exit(main())
