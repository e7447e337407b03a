"""Benchmark: the English claim extractor on other companies' policies (OPP-115 development split).

Run from the checkout: ``python tests/benchmarks/bench_claims_opp115.py [--folder DIR] [--db PATH]
[--half all|tune|check]``. Imports the
60 website policies of ``../shared/datasets/opp115-dev`` (Wilson et al., ACL 2016) into a fresh store (a temporary
one unless ``--db``), each with its site as the first party, extracts their claims and prints, as the folder's
README defines them, the recall of first-party collection per OPP-115 "Personal Information Type" (mapping:
``mappings/opp115.yaml``) and the segment precision, with the wall time (timings are noisy on a shared machine).
Exits 1 when a floor is missed: recall >= 0.53 (issue 9 asks 0.50; round 2 reached 0.538) with segment precision
>= 0.80. ``--half`` scores one half of the 60 (``claims.opp115.half_of``: sorted numeric ids, alternately tune and
check; the check half stands in for the hidden other half of OPP-115 and is read only in aggregate); the floors
are those of all 60 (the default), a half is reported against the same floors.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from policycheck import config, ontology  # noqa: E402
from policycheck.claims.opp115 import HALVES, evaluate_opp115, half_of, load_segments, load_type_map  # noqa: E402

FLOORS = {"recall": 0.53, "segment_precision": 0.80}  # issue 9: 0.50; round 2 reached 0.538


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folder", type=Path, default=config.shared_dir() / "datasets" / "opp115-dev")
    parser.add_argument("--db", type=Path, default=None, help="keep the store here (default: a temporary one)")
    parser.add_argument("--half", choices=HALVES, default="all",
                        help="tune or check half of the 60 policies (sorted ids, alternate; default all)")
    args = parser.parse_args()
    onto = ontology.load(config.mappings_dir())
    type_map = load_type_map(config.mappings_dir() / "opp115.yaml", onto)
    if args.db is not None and args.db.exists():
        args.db.unlink()
    started = time.perf_counter()
    policies = half_of(list(load_segments(args.folder)), args.half)
    result = evaluate_opp115(args.folder, onto, type_map, policies=policies, db=args.db)
    elapsed = time.perf_counter() - started
    print(f"half {args.half}: {result.policies} policies, {result.segments} segments, {elapsed:.1f} s "
          "(import + extraction)")
    if result.missing:
        print(f"no version stored for {', '.join(result.missing)} (quarantined by the import)")
    print(f"{'OPP-115 type':32} {'pairs':>5} {'found':>5} {'recall':>6}")
    for name in type_map.types:
        recall = f"{result.recall(name):.3f}" if result.pairs[name] else "-"
        print(f"{name:32} {result.pairs[name]:5} {result.hits[name]:5} {recall:>6}")
    print(f"{'all':32} {sum(result.pairs.values()):5} {sum(result.hits.values()):5} {result.recall():6.3f}")
    print(f"segment precision {result.segment_precision:.3f} ({result.claims_in_labelled}/{result.claims})")
    ok = result.recall() >= FLOORS["recall"] and result.segment_precision >= FLOORS["segment_precision"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
