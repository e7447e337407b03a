"""Benchmark of the Chinese claim extractor on the Weixin guidelines: speed and gold-set precision/recall.

Run from the repository root: ``.venv/bin/python tests/benchmarks/bench_claims_zh.py``. Imports the guidelines
into a temporary store, times a cold extraction (all blocks parsed) and prints P/R per split of
``tests/gold/claims_zh.yaml`` (the guidelines) and of ``tests/gold/claims_zh_synthetic.yaml`` (hand-written
sentences of other policies' shapes, which carry their own text), of ``tests/gold/claims_zh_lexicon.yaml`` (hand-written
sentences stating the rules of issue 9's fourth-round lexicon audit), of ``tests/gold/claims_zh_precision.yaml`` (blocks
of the guidelines no other item uses and hand-written sentences of the kinds extractors over-report, issue 9's fifth
round), of ``tests/gold/claims_zh_translated.yaml`` (Chinese translations of English WeChat dev blocks on sharing,
transfer, retention, security, rights, minors and scope, issue 9's tenth round), and first-party P/R. Exits 1 when a
floor of issue 9 is missed (tuples: precision >= 0.92, recall >= 0.85) on a split it is asserted on (``FLOORED``).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from policycheck import config, ontology, store  # noqa: E402
from policycheck.claims import pipeline  # noqa: E402
from policycheck.claims.evaluate import evaluate, load_gold  # noqa: E402
from policycheck.policies.archive import import_archive  # noqa: E402
from policycheck.workspace import Workspace  # noqa: E402

FLOORS = {"precision": 0.92, "recall": 0.85}  # issue 9 (tuples, held-out items; dev likewise)
GOLD = ROOT / "tests" / "gold"
FLOORED = {"claims_zh.yaml": ("dev", "heldout"), "claims_zh_synthetic.yaml": ("dev",),
           "claims_zh_lexicon.yaml": ("dev",), "claims_zh_precision.yaml": ("dev",),
           "claims_zh_translated.yaml": ("dev",)}


def main() -> int:
    onto = ontology.load(config.mappings_dir())
    with tempfile.TemporaryDirectory() as tmp:
        con = store.connect(Path(tmp) / "bench.duckdb")
        ontology.write(con, onto)
        ws = Workspace.attach(con, onto)
        import_archive(ws, config.shared_dir() / "datasets" / "policies" / "weixin-privacy-guidelines")
        started = time.perf_counter()
        nlp = pipeline.load_extractor("zh", onto).nlp  # jieba and spaCy load lazily: count them as loading
        loaded = time.perf_counter()
        assert nlp is not None
        report = pipeline.extract(ws)
        done = time.perf_counter()
        blocks, sentences, skipped, claims = next(iter(report.versions.values()))
        print(f"extractor load {loaded - started:.2f} s; extraction {done - loaded:.2f} s for {blocks} blocks, "
              f"{sentences} sentences ({skipped} skipped), {claims} claims")
        ok = True
        for name, floored in FLOORED.items():
            result = evaluate(con, onto, load_gold([GOLD / name]))
            print(name)
            for split in ("dev", "heldout", "all"):
                for measure in ("tuples", "context", "first_party"):
                    score = result.scores[split][measure]
                    print(f"  {split:8} {measure:11} items {result.items[split]:3}  P {score.precision:.3f}  "
                          f"R {score.recall:.3f}  (tp {score.tp}, fp {score.fp}, fn {score.fn})")
                    if measure == "tuples" and split in floored:
                        ok &= score.precision >= FLOORS["precision"] and score.recall >= FLOORS["recall"]
        con.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
