"""Hostile text for the claim extractors (README "Bad input"): text built at test time that once held the Chinese
front end for minutes (100,000 nested brackets: 253 s; a 200,000-character run without a full stop: over 300 s)
is read or skipped in bounded time, and the other blocks of the batch keep their claims. In English a run of
15,000 brackets without white space (spaCy's tokenizer is quadratic in it: 4,000 took 4 s) is not parsed."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import duckdb
import pytest

from policycheck.claims.chinese.segmentation import bracket_depths
from policycheck.claims.model import BlockInput
from policycheck.claims.pipeline import MAX_BLOCK_CHARS, load_extractor, read_blocks, too_large

ZH = "我们会收集你的手机号码并与第三方共享"
EN = "We collect your email address and share it with advertisers"
BOUND = 20.0  # seconds for a batch of hostile blocks plus one ordinary block, model load excluded


def test_bracket_depths_is_linear_in_the_nesting_depth():
    text = "【" * 50_000 + "《" * 50_000 + "x" + "》" * 50_000
    started = time.monotonic()
    depth, quoted = bracket_depths(text)
    assert time.monotonic() - started < 2.0
    assert depth[99_999] == 100_000 and quoted[50_000] and not quoted[49_999] and depth[-1] == 50_001


def _hostile(language: str, sentence: str) -> list[BlockInput]:
    fp = "weixin" if language == "zh" else "wechat"
    just_under = (sentence + "《") * ((MAX_BLOCK_CHARS - 100) // (len(sentence) + 1))  # names everywhere, one title
    return [BlockInput("paragraph", (sentence + " ") * (200_000 // len(sentence)), "1", language, fp),
            BlockInput("paragraph", sentence + "（" * 100_000 + "[" * 100_000, "2", language, fp),
            BlockInput("paragraph", just_under, "3", language, fp),
            BlockInput("paragraph", ("\x00\u200b\u202e" + sentence + "😀") * 300, "4", language, fp),
            BlockInput("list_item", sentence, "5", language, fp, lead_in=sentence * 2_000),
            BlockInput("paragraph", sentence + " " + "(" * 15_000 + " " + sentence, "5a", language, fp),
            BlockInput("paragraph", sentence + ("。" if language == "zh" else "."), "6", language, fp)]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_hostile_blocks_are_skipped_or_read_in_bounded_time_and_the_rest_still_read(onto, language):
    extractor = load_extractor(language, onto)
    blocks = _hostile(language, ZH if language == "zh" else EN)
    read_blocks(extractor, blocks[-1:])  # load the language pipeline outside the timed part
    started = time.monotonic()
    results = read_blocks(extractor, blocks)
    elapsed = time.monotonic() - started
    assert elapsed < BOUND, f"{elapsed:.1f} s"
    assert [too_large(b) for b in blocks] == [True, True, False, False, True, False, False]
    for block, result in zip(blocks, results, strict=True):
        if too_large(block):
            assert result.claims == [] and result.skipped == result.sentences >= 1
    actions = {c.action for c in results[-1].claims}
    assert {"collect", "share"} <= actions, results[-1].claims


def test_extract_names_the_version_and_block_it_skips_and_reads_the_rest(tmp_path):
    """Through the CLI: an archived policy with one 32,000-character paragraph among 59 sections; ``extract``
    prints one line naming the version and the block, and the version's other blocks give their claims."""
    folder = tmp_path / "archive"
    folder.mkdir()
    sections = "".join(f"## Section {i}\n\nWe collect your email address to provide feature {i}.\n\n"
                       for i in range(1, 60))
    (folder / "2021-01-01_a.md").write_text("# Privacy Policy\n\n" + sections + "We collect data " * 2_000 + "\n",
                                            encoding="utf-8")
    db = tmp_path / "store.duckdb"
    env = {**os.environ, "COLUMNS": "250"}
    base = [sys.executable, "-m", "policycheck"]
    imported = subprocess.run([*base, "import-archive", str(folder), "--service", "Example", "--no-rejudge",
                               "--db", str(db)], capture_output=True, text=True, env=env, timeout=300)
    assert imported.returncode == 10, imported.stderr
    proc = subprocess.run([*base, "extract", "--db", str(db)], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.startswith("skipped ")]
    assert len(lines) == 1 and "31,999 characters, over the 20,000-character limit of a block" in lines[0], proc.stderr
    con = duckdb.connect(str(db), read_only=True)
    try:
        version, block = con.execute("select version_id, block_id from blocks where length(text) > 20000").fetchall()[0]
        claims = con.execute("select count(*) from claims where version_id = ?", [version]).fetchall()[0][0]
    finally:
        con.close()
    assert lines[0].startswith(f"skipped version {version}, block {block} (paragraph in section ")
    assert claims >= 1


def test_a_text_spacy_fails_on_costs_only_itself_and_logs_one_line(extractor, monkeypatch, caplog):
    """When spaCy raises on a batch, its texts are parsed one by one: the text it fails on again is skipped, the
    others keep their claims, and each failure is one warning line naming the exception, never a traceback
    (which would print the text being parsed)."""
    from policycheck.claims.english import nlp

    real = nlp.load()
    poison = "We collect your postal address for delivery."

    class Failing:
        def pipe(self, texts, **kwargs):
            raise RuntimeError("batch failed\nsecond line")

        def __call__(self, text):
            if text == poison:
                raise ValueError("cannot parse this text")
            return real(text)

        def __getattr__(self, name):  # vocab, tokenizer ...: the real pipeline's
            return getattr(real, name)

    monkeypatch.setattr(nlp, "load", lambda: Failing())
    with caplog.at_level("WARNING", logger="policycheck.claims.english.extractor"):
        results = extractor.extract([BlockInput("paragraph", t, "", "en", "wechat") for t in (EN, poison)])
    assert {c.data_type for c in results[0].claims} >= {"email_address"}
    assert results[1].claims == []
    messages = [r.getMessage() for r in caplog.records]
    assert any("RuntimeError: batch failed" in m and "second line" not in m for m in messages)
    assert any("ValueError: cannot parse this text" in m for m in messages)
    assert all(r.exc_info is None for r in caplog.records)
