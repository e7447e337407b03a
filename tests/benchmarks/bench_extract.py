"""Benchmark: claim extraction over every archived WeChat Privacy Policy version, cold and from the cache.

    python tests/benchmarks/bench_extract.py [--archive PATH]

Imports the archive into a fresh store in a temporary folder, then times:

- cold: ``policycheck extract`` on a store with an empty ``claim_cache`` (spaCy model load included);
- cached: ``extract --force`` again (every block comes from ``claim_cache``; the model is not loaded);
- no-op: ``extract`` with nothing pending.

Each run is a new process-level ``Ontology`` + extractor, as the CLI would build them. Floors (issue 3):
cold <= 60 s, cached <= 5 s. Prints versions, blocks, distinct blocks parsed, sentences, skipped, claims.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from policycheck import config, ontology, store  # noqa: E402
from policycheck.claims import pipeline  # noqa: E402
from policycheck.claims.english import nlp  # noqa: E402
from policycheck.policies.archive import import_archive  # noqa: E402
from policycheck.workspace import Workspace  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--archive", type=Path,
                        default=config.shared_dir() / "datasets" / "policies" / "wechat-privacy-policy")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        con = store.connect(Path(tmp) / "bench.duckdb")
        onto = ontology.load(config.mappings_dir())
        ontology.write(con, onto)
        import_archive(Workspace.attach(con, onto), args.archive)
        versions, blocks = con.execute("select count(distinct version_id), count(*) from blocks").fetchall()[0]

        nlp.load.cache_clear()  # a cold run loads the model, as a fresh process would
        t0 = time.perf_counter()
        cold = pipeline.extract(Workspace.attach(con, ontology.load(config.mappings_dir())))
        t_cold = time.perf_counter() - t0

        t0 = time.perf_counter()
        cached = pipeline.extract(Workspace.attach(con, ontology.load(config.mappings_dir())), force=True)
        t_cached = time.perf_counter() - t0

        t0 = time.perf_counter()
        noop = pipeline.extract(Workspace.attach(con, ontology.load(config.mappings_dir())))
        t_noop = time.perf_counter() - t0

        print(f"archive: {args.archive}")
        print(f"versions: {versions}, blocks: {blocks}, distinct blocks parsed (cold): {cold.parsed_blocks}")
        print(f"sentences: {sum(v[1] for v in cold.versions.values())}, skipped: {cold.skipped}, "
              f"claims: {cold.claims}")
        print(f"cold extraction:   {t_cold:6.2f} s  (floor 60 s)")
        print(f"cached (--force):  {t_cached:6.2f} s  (floor 5 s; {cached.parsed_blocks} blocks parsed, "
              f"{cached.cached_blocks} from cache)")
        print(f"no-op run:         {t_noop:6.2f} s  ({len(noop.versions)} versions pending)")
        assert cached.claims == cold.claims, "the cache changed the result"
        con.close()


if __name__ == "__main__":
    main()
