"""Benchmark: how ingest, the gap query and the report scale with the number of captures (issue 16).

Run from the checkout: ``python tests/benchmarks/bench_scale.py [--factors 1,10,40,50,100] [--synthetic 10000000]
[--work DIR] [--skip-main]``. Needs ``../shared`` and ``/usr/bin/time`` (GNU time: every figure is a whole process,
wall seconds and peak resident memory of the largest process, read from its ``-f '%e %M'`` output).

What it makes (under ``--work``, default ``$TMPDIR/policycheck-bench``, kept for re-runs):

- a base store with the 40 archived policy captures imported and their claims extracted (once);
- the 2023 Citizen Lab captures replicated: replica k of every file has k leading blank lines, so that its
  hash, file name position and line numbers are new while its requests are the same (replica 0 is the original
  data); ``Nx`` ingests replicas 0 .. N-1, each replica a folder with the dataset's request_types.csv;
- a synthetic store of about ``--synthetic`` observations: the 1x store's captures, flows and observations
  copied with new ids until the count is reached, the copies not overlapping anything (every flow distinct).

What it measures, each beside a baseline run in the same invocation (the machine's speed drifts, a ratio holds):

- ingest of the Nx set into a copy of the base store (``policycheck ingest``; workers: one per core);
- the gap query (``policycheck gaps --format csv``) and the report (``policycheck report``) on that store;
- baseline: a plain DuckDB ``count(*)`` over the store's observations in a fresh process (the floor of any
  query over them), and for ingest the time to read the same files once (``cat > /dev/null``);
- the main job (``policycheck run`` on ../shared, cold store and warm), baseline plain spaCy ``nlp.pipe``
  over the same policy blocks (the claim extraction's floor).

Prints one table (markdown) with the machine's load average (``uptime``) beside each figure, then the issue's
floors and whether each holds: gap query over the 100x (~9 M observations) store <= 10 s, report <= 20 s,
gap query from 10x to 40x within 1.3x of linear, ingest of 100x <= 100 s, peak memory <= 1 GB at 100x and
<= 600 MB for the main job. Exits 1 when a floor is missed. Timings on a shared machine are noisy: quote them
with the load printed beside them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from policycheck import config, store  # noqa: E402
from tests.benchmarks.synthetic import grow  # noqa: E402

PYTHON = sys.executable
PROFILE_2023 = ROOT / "tests" / "profiles" / "citizenlab-2023.yaml"
FLOORS = {"gaps_100x": 10.0, "report_100x": 20.0, "linear_10_40": 1.3, "ingest_100x": 100.0, "peak_100x_mb": 1024,
          "peak_main_mb": 600}


@dataclass
class Figure:
    what: str
    seconds: float
    peak_mb: float
    load: str
    baseline: str = ""

    def __post_init__(self) -> None:
        print(f"  measured: {self.row()}", file=sys.stderr, flush=True)

    def row(self) -> str:
        return f"| {self.what} | {self.seconds:.1f} | {self.peak_mb:.0f} | {self.load} | {self.baseline} |"


def load() -> str:
    """The 1-minute load average (``uptime``), as a string."""
    return f"{os.getloadavg()[0]:.2f}"


def timed(command: list[str], stdout: Path | None = None, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of ``command`` under GNU time; raises when it fails (exit 12 = gaps found
    is success)."""
    out = stdout.open("w") if stdout else subprocess.DEVNULL
    try:
        proc = subprocess.run(["/usr/bin/time", "-f", "TIME %e %M", *command], cwd=ROOT, stdout=out,
                              stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})
    finally:
        if stdout:
            out.close()
    line = [x for x in proc.stderr.splitlines() if x.startswith("TIME ")][-1].split()
    if proc.returncode not in (0, 12):
        raise SystemExit(f"{' '.join(command)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return float(line[1]), int(line[2]) / 1024


def policycheck(*args: str) -> list[str]:
    return [PYTHON, "-m", "policycheck", *args]


def base_store(work: Path, data: Path) -> Path:
    """A store with the archived policies imported and their claims extracted (made once)."""
    base = work / "base.duckdb"
    if not base.exists():
        tmp = work / "base.tmp.duckdb"
        tmp.unlink(missing_ok=True)
        policies_only = work / "policies-only"
        policies_only.mkdir(exist_ok=True)
        if not (policies_only / "policies").exists():
            (policies_only / "policies").symlink_to(data / "policies")
        subprocess.run(policycheck("run", "--data", str(policies_only), "--db", str(tmp), "--out",
                                   str(work / "base-out")), cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        tmp.rename(base)
    return base


def replicas(work: Path, logs: Path, count: int) -> list[Path]:
    """Folders rep000 .. rep<count-1> of the 2023 logs (replica k: k leading blank lines per file)."""
    folders = []
    csv = logs.parent / "request_types.csv"
    for k in range(count):
        folder = work / "replicas" / f"rep{k:03d}"
        target = folder / "network_logs"
        if not (folder / ".done").exists():
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy(csv, folder / "request_types.csv")
            for log in sorted(logs.glob("*.log.jsonl")):
                with (target / log.name).open("wb") as out:
                    out.write(b"\n" * k)
                    out.write(log.read_bytes())
            (folder / ".done").touch()
        folders.append(folder)
    return folders


def count_baseline(db: Path) -> tuple[float, float]:
    return timed([PYTHON, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); "
                                "print(c.execute('select count(*), count(distinct flow_id) from observations')"
                                ".fetchall())", str(db)])


def measure_store(db: Path, label: str, work: Path) -> list[Figure]:
    """Gap query and report on a store, each beside the plain count over its observations."""
    figures = []
    observations = _count(db)
    base_s, base_mb = count_baseline(db)
    seconds, peak = timed(policycheck("gaps", "--db", str(db), "--format", "csv"), work / f"gaps-{label}.csv")
    figures.append(Figure(f"gap query {label} ({observations / 1e6:.2f} M obs)", seconds, peak, load(),
                          f"count(*): {base_s:.2f} s, {base_mb:.0f} MB"))
    seconds, peak = timed(policycheck("report", "--db", str(db), "--out", str(work / "reports"), "--name", label))
    figures.append(Figure(f"report {label}", seconds, peak, load(), f"count(*): {base_s:.2f} s"))
    return figures


def _count(db: Path) -> int:
    out = subprocess.run([PYTHON, "-c", "import duckdb, sys; print(duckdb.connect(sys.argv[1], read_only=True)"
                                        ".execute('select count(*) from observations').fetchall()[0][0])", str(db)],
                         capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


def synthetic(work: Path, source: Path, target: int) -> Path:
    """A copy of ``source`` grown to about ``target`` observations: captures, flows and observations copied
    with new ids (each copy a capture of its own, its flows distinct: no prefix hash), coverage refreshed."""
    db = work / f"synthetic-{target}.duckdb"
    if db.exists():
        return db
    shutil.copy(source, db)
    con = store.open_store(db, store.WRITE)
    have = con.execute("select count(*) from observations").fetchall()[0][0]
    grow(con, max(0, -(-target // max(have, 1)) - 1))
    con.execute("checkpoint")
    con.close()
    return db


def main_job(work: Path, data: Path) -> list[Figure]:
    """The main job, cold (fresh store) and warm, beside plain spaCy nlp.pipe over the same blocks."""
    db = work / "main.duckdb"
    db.unlink(missing_ok=True)
    args = policycheck("run", "--data", str(data), "--db", str(db), "--out", str(work / "main-out"),
                       "--profile", f"citizenlab-wechat-2023={PROFILE_2023}",
                       "--profile", f"citizenlab-wechat-security-2024={ROOT / 'tests/profiles/citizenlab-2024.yaml'}")
    cold = timed(args)
    warm = timed(args)
    pipe = timed([PYTHON, "-c", """
import duckdb, sys, spacy
from policycheck.claims.english import nlp
texts = list(dict.fromkeys(r[0] for r in duckdb.connect(sys.argv[1], read_only=True).execute(
    "select b.text from blocks b join versions v using (version_id) where v.language = 'en'").fetchall()))
for _ in nlp.load().pipe(texts, batch_size=128):
    pass
""", str(db)])
    return [Figure("main job, cold (fresh store)", cold[0], cold[1], load(), f"spaCy nlp.pipe alone: {pipe[0]:.1f} s"),
            Figure("main job, warm (nothing new)", warm[0], warm[1], load())]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", default="1,10,40,50,100")
    parser.add_argument("--synthetic", type=int, default=10_000_000, help="observations (0: skip)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "policycheck-bench")
    parser.add_argument("--skip-main", action="store_true", help="skip the main job's figures")
    args = parser.parse_args()
    data = config.shared_dir() / "datasets"
    logs = data / "citizenlab-wechat-2023" / "network_logs"
    if not logs.is_dir():
        print(f"needs the research data: {logs} is missing")
        return 2
    args.work.mkdir(parents=True, exist_ok=True)
    factors = [int(f) for f in args.factors.split(",")]
    base = base_store(args.work, data)
    folders = replicas(args.work, logs, max(factors))
    figures: list[Figure] = []
    results: dict[str, float] = {}
    for n in factors:
        db = args.work / f"x{n}.duckdb"
        db.unlink(missing_ok=True)
        shutil.copy(base, db)
        chosen = [str(f) for f in folders[:n]]
        read_s, _ = timed(["sh", "-c", 'cat "$@" > /dev/null', "cat",
                           *(str(p) for f in folders[:n] for p in sorted((f / "network_logs").iterdir()))])
        seconds, peak = timed(policycheck("ingest", "--db", str(db), "--profile", str(PROFILE_2023), *chosen))
        figures.append(Figure(f"ingest {n}x ({16 * n} k requests)", seconds, peak, load(),
                              f"reading the files: {read_s:.2f} s"))
        results[f"ingest_{n}x"] = seconds
        store_figures = measure_store(db, f"{n}x", args.work)
        figures.extend(store_figures)
        results[f"gaps_{n}x"] = store_figures[0].seconds
        results[f"report_{n}x"] = store_figures[1].seconds
        results[f"peak_{n}x_mb"] = max(peak, *(f.peak_mb for f in store_figures))
    if args.synthetic:
        source = args.work / "x1.duckdb"
        if not source.exists():
            shutil.copy(base, source)
            subprocess.run(policycheck("ingest", "--db", str(source), "--profile", str(PROFILE_2023), str(folders[0])),
                           cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        figures.extend(measure_store(synthetic(args.work, source, args.synthetic), "synthetic", args.work))
    if not args.skip_main:
        main_figures = main_job(args.work, data)
        figures.extend(main_figures)
        results["peak_main_mb"] = max(f.peak_mb for f in main_figures)
    print("| what | wall s | peak MB | load (1 min) | baseline, same run |")
    print("|---|---:|---:|---:|---|")
    for f in figures:
        print(f.row())
    checks = []
    if "gaps_100x" in results:
        checks += [("gap query 100x <= 10 s", results["gaps_100x"] <= FLOORS["gaps_100x"]),
                   ("report 100x <= 20 s", results["report_100x"] <= FLOORS["report_100x"]),
                   ("ingest 100x <= 100 s", results["ingest_100x"] <= FLOORS["ingest_100x"]),
                   ("peak memory 100x <= 1 GB", results["peak_100x_mb"] <= FLOORS["peak_100x_mb"])]
    if "gaps_10x" in results and "gaps_40x" in results:
        ratio = results["gaps_40x"] / results["gaps_10x"]
        checks.append((f"gap query 10x -> 40x: {ratio:.2f}x for 4x the data (<= {4 * FLOORS['linear_10_40']:.1f})",
                       ratio <= 4 * FLOORS["linear_10_40"]))
    if "peak_main_mb" in results:
        checks.append(("main job peak <= 600 MB", results["peak_main_mb"] <= FLOORS["peak_main_mb"]))
    print()
    for what, ok in checks:
        print(f"{'ok  ' if ok else 'MISS'} {what}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
