"""The ablation switch (``eval-claims --disable PHENOMENON``): each phenomenon is a real switch of both front ends,
and switching one off lowers the score on the development gold sets (never the held-out sets)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from policycheck import store
from policycheck.claims.evaluate import evaluate, load_gold
from policycheck.claims.phenomena import PHENOMENA
from policycheck.policies.archive import import_archive
from tests.conftest import require_shared, workspace

GOLD = Path(__file__).resolve().parents[1] / "gold"


@pytest.fixture(scope="module")
def gold_store(tmp_path_factory, onto):
    """Both archived policies imported (the gold items name their blocks); no claims extracted."""
    con = store.connect(tmp_path_factory.mktemp("ablation") / "store.duckdb")
    ws = workspace(con, onto)
    for name in ("wechat-privacy-policy", "weixin-privacy-guidelines"):
        import_archive(ws, require_shared("datasets", "policies", name))
    yield con
    con.close()


def _dev(name: str) -> list:
    return [item for item in load_gold([GOLD / name]) if item.split == "dev"]


@pytest.mark.parametrize(("gold", "phenomenon", "measure"), [
    ("claims_en.yaml", "negation", "tuples"),
    ("claims_zh.yaml", "negation", "tuples"),
    ("claims_en.yaml", "context", "context"),
    ("claims_zh.yaml", "context", "context"),
    ("claims_en.yaml", "tables", "tuples"),
    ("claims_zh.yaml", "scope", "third_party"),
    ("claims_zh_synthetic.yaml", "parties", "third_party"),
    ("claims_en_web.yaml", "parties", "third_party"),
    ("claims_en_synthetic.yaml", "tables", "tuples"),
    ("claims_en_synthetic.yaml", "parties", "third_party"),
    ("claims_en_thirdparty.yaml", "parties", "third_party"),
    ("claims_en_weixin.yaml", "negation", "tuples"),
    ("claims_zh_lexicon.yaml", "head_words", "tuples"),  # (the Chinese front end's switch only)
])
def test_switching_a_phenomenon_off_lowers_the_dev_score(gold_store, onto, gold, phenomenon, measure):
    items = _dev(gold)
    full = evaluate(gold_store, onto, items).scores["dev"][measure]
    ablated = evaluate(gold_store, onto, items, frozenset({phenomenon})).scores["dev"][measure]
    assert ablated.tp < full.tp, (phenomenon, full, ablated)  # what the module finds right is lost without it
    assert ablated.fp + ablated.fn > full.fp + full.fn


def test_an_unknown_phenomenon_is_one_line_and_exit_2(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "policycheck", "eval-claims", str(GOLD / "claims_en.yaml"),
                           "--disable", "negation", "--disable", "sarcasm", "--db", str(tmp_path / "s.duckdb")],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"error: --disable: unknown phenomenon 'sarcasm'; known: {', '.join(PHENOMENA)}"
