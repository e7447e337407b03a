"""Benchmark: ingest all 29 files of the Citizen Lab 2023 dataset into a fresh store (issue 4 floor: <= 30 s).

Run from the checkout: ``python tests/benchmarks/bench_ingest.py [--no-cache] [--no-profile]``. Prints wall
time, requests/s, MB/s (capture file bytes) and peak memory (max RSS of this process); exits 1 when the
floor is missed. ``--no-cache`` decodes and analyses every request body, even one seen before (the default
analyses each distinct body once per run).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from policycheck import config, ontology, store  # noqa: E402
from policycheck.flows.ingest import IngestOptions, ingest  # noqa: E402
from policycheck.workspace import Paths, Workspace  # noqa: E402

FLOOR_SECONDS = 30.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-cache", action="store_true", help="analyse every body, even repeated ones")
    parser.add_argument("--no-profile", action="store_true", help="run without the 2023 device profile")
    args = parser.parse_args()
    logs = config.shared_dir() / "datasets" / "citizenlab-wechat-2023" / "network_logs"
    files = sorted(logs.glob("*.log.jsonl"))
    if len(files) != 29:
        print(f"expected the 29 capture files under {logs}, found {len(files)}", file=sys.stderr)
        return 2
    size = sum(f.stat().st_size for f in files)
    profile = None if args.no_profile else ROOT / "tests" / "profiles" / "citizenlab-2023.yaml"
    mappings = config.mappings_dir()
    with tempfile.TemporaryDirectory() as tmp:
        con = store.connect(Path(tmp) / "bench.duckdb")
        onto = ontology.load(mappings)
        options = IngestOptions(profile=profile, cache=not args.no_cache)
        start = time.perf_counter()
        results = ingest(Workspace.attach(con, onto, Paths(mappings=mappings)), files, options)
        elapsed = time.perf_counter() - start
        flows = con.execute("select count(*) from flows").fetchall()[0][0]
        observations = con.execute("select count(*) from observations").fetchall()[0][0]
        con.close()
    requests = sum(r.requests for r in results)
    statuses = {s: sum(r.status == s for r in results) for s in ("ingested", "duplicate")}
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"files: {len(files)} ({statuses['ingested']} ingested, "
          f"{statuses['duplicate']} duplicates recorded as aliases)")
    print(f"requests read: {requests}; flows stored: {flows}; observations: {observations}")
    print(f"cache: {'off' if args.no_cache else 'on'}; profile: {profile.name if profile else 'none'}")
    print(f"wall time: {elapsed:.2f} s (floor {FLOOR_SECONDS:.0f} s)")
    print(f"throughput: {requests / elapsed:,.0f} requests/s, "
          f"{size / 1e6 / elapsed:.1f} MB/s of {size / 1e6:.1f} MB")
    print(f"peak memory (max RSS): {peak_mb:.0f} MB")
    return 0 if elapsed <= FLOOR_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
