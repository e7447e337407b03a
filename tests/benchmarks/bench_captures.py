"""Benchmark: decrypt + ingest throughput of a pcap with its MMTLS key log (records/s) and of a HAR (requests/s).

Run from the checkout: ``python tests/benchmarks/bench_captures.py [--rounds N] [--har-requests N]``.

- pcap: the 2024 Citizen Lab session (``../shared``: 489 packets, its Frida key log), read and decrypted
  ``--rounds`` times (MMTLS records per second, reader alone), then ingested into a fresh store each round
  (records and requests per second including decoding, detection and storage).
- HAR: a session recorded by Playwright driving Debian's chromium through mitmdump (``tests/flows/realtools.py``),
  its entries repeated with distinct query values to ``--har-requests`` entries, ingested into a fresh store.

Prints the median of the rounds; the machine is shared, so say so when quoting the figures.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "flows"))

from policycheck import config, ontology, store  # noqa: E402
from policycheck.flows.ingest import IngestOptions, ingest  # noqa: E402
from policycheck.flows.model import Note, RawRequest  # noqa: E402
from policycheck.flows.readers import ReaderSettings, open_reader  # noqa: E402
from policycheck.workspace import Paths, Workspace  # noqa: E402

SESSION = ("datasets", "citizenlab-wechat-security-2024")


def records_in(note: str) -> int:
    """The number of MMTLS/HTTP records the reader's summary note counts."""
    counts = note.split(":", 1)[1].split(";")[0]
    return sum(int(part.rsplit(" ", 1)[1]) for part in counts.split(","))


def bench_pcap(rounds: int) -> None:
    folder = config.shared_dir().joinpath(*SESSION)
    pcap, keys = folder / "capture-logged-in-all-keys.pcapng", folder / "frida-logged-in-all-keys.log"
    reads, records, requests = [], 0, 0
    for _ in range(rounds):
        start = time.perf_counter()
        items = list(open_reader("pcap", ReaderSettings(key_log=keys)).read(pcap))
        reads.append(time.perf_counter() - start)
        records = records_in(next(i.text for i in items if isinstance(i, Note) and i.text.startswith("MMTLS")))
        requests = sum(isinstance(i, RawRequest) for i in items)
    ingests = []
    mappings = config.mappings_dir()
    onto = ontology.load(mappings)
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as tmp:
            con = store.connect(Path(tmp) / "bench.duckdb")
            ws = Workspace.attach(con, onto, Paths(mappings=mappings))  # writes the ontology (not timed)
            start = time.perf_counter()
            ingest(ws, [pcap], IngestOptions(key_log=keys))
            ingests.append(time.perf_counter() - start)
            con.close()
    read, full = statistics.median(reads), statistics.median(ingests)
    print(f"pcap: {pcap.stat().st_size / 1e3:.0f} kB, {records} MMTLS/HTTP records, {requests} requests; "
          f"median of {rounds} rounds")
    print(f"  read + decrypt: {read * 1e3:.1f} ms = {records / read:,.0f} records/s")
    print(f"  decrypt + ingest (decode, detect, store): {full * 1e3:.1f} ms = {records / full:,.0f} records/s, "
          f"{requests / full:,.0f} requests/s")


def bench_har(rounds: int, total: int) -> None:
    import realtools

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        har, _, app = realtools.record(folder)
        app.close()
        data = json.loads(har.read_text(encoding="utf-8"))
        entries = data["log"]["entries"]
        grown = []
        for i in range(total):
            entry = copy.deepcopy(entries[i % len(entries)])
            entry["request"]["queryString"] = [*entry["request"].get("queryString", []), {"name": "n", "value": str(i)}]
            grown.append(entry)
        data["log"]["entries"] = grown
        big = folder / "big.har"
        big.write_text(json.dumps(data), encoding="utf-8")
        device = realtools.profile(folder)
        mappings = realtools.mappings_with_test_hosts(folder)
        onto = ontology.load(mappings)
        times = []
        for round_ in range(rounds):
            con = store.connect(folder / f"bench{round_}.duckdb")
            ws = Workspace.attach(con, onto, Paths(mappings=mappings))  # writes the ontology (not timed)
            start = time.perf_counter()
            (result,) = ingest(ws, [big], IngestOptions(profile=device))
            times.append(time.perf_counter() - start)
            con.close()
        elapsed = statistics.median(times)
        print(f"HAR: {big.stat().st_size / 1e6:.1f} MB, {result.requests} requests, {result.observations} "
              f"observations; median of {rounds} rounds")
        print(f"  read + ingest: {elapsed:.2f} s = {result.requests / elapsed:,.0f} requests/s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--har-requests", type=int, default=5000)
    args = parser.parse_args()
    bench_pcap(args.rounds)
    bench_har(args.rounds, args.har_requests)
    return 0


if __name__ == "__main__":
    sys.exit(main())
