"""The extraction pipeline with a minimal test extractor: caching, offsets, actor roles, storage."""

from __future__ import annotations

import dataclasses
import re
import sys
import types

import pytest

from policycheck.claims import pipeline
from policycheck.claims.model import BlockInput, BlockResult, ClaimDraft
from policycheck.policies.archive import import_archive
from tests.conftest import require_shared, workspace


class PhoneExtractor:
    """Claims 'we collect phone_number' for every sentence mentioning a mobile number; counts calls."""

    name, version, language = "test-phone", "1", "en"
    calls = 0

    def __init__(self, onto) -> None:
        self.onto = onto

    def prepare(self, blocks):
        PhoneExtractor.calls += len(blocks)

    def read(self, block):
        result = BlockResult(sentences=1)
        for m in re.finditer(r"[^.]*mobile number[^.]*\.?", block.text):
            result.claims.append(ClaimDraft(m.start(), m.end(), m.group(0), block.first_party, "collect",
                                            False, "mobile number", "phone_number"))
        if "third parties" in block.text:
            result.claims.append(ClaimDraft(0, len(block.text), block.text, "third_party", "share", True,
                                            "information", "personal_information"))
        return result


@pytest.fixture
def fake_front_end(monkeypatch):
    module = types.ModuleType("policycheck_test_front_end")
    module.make_extractor = PhoneExtractor
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setitem(pipeline.FRONT_ENDS, "en", f"{module.__name__}:make_extractor")
    PhoneExtractor.calls = 0


def test_pipeline_caches_offsets_and_roles(con, onto, fake_front_end):
    import_archive(workspace(con, onto), require_shared("datasets", "policies", "wechat-privacy-policy"))
    versions = con.execute("select count(*) from versions").fetchall()[0][0]
    distinct_blocks = con.execute("select count(distinct text) from blocks").fetchall()[0][0]
    report = pipeline.extract(workspace(con, onto))
    assert len(report.versions) == versions
    # Each distinct block (by its text and surroundings) is parsed once across all versions.
    assert report.parsed_blocks == PhoneExtractor.calls <= distinct_blocks * 1.5
    assert report.parsed_blocks < con.execute("select count(*) from blocks").fetchall()[0][0] / 3

    rows = con.execute("select c.sentence, c.start, c.end, v.text, c.actor_role from claims c "
                       "join versions v using (version_id)").fetchall()
    assert rows
    for sentence, start, end, text, role in rows:
        assert text[start:end] == sentence
        assert role in ("first_party", "third_party")
    assert {r[4] for r in rows} == {"first_party", "third_party"}

    # A second run has nothing to do; --force re-reads everything from the cache without parsing.
    assert pipeline.extract(workspace(con, onto)).versions == {}
    calls = PhoneExtractor.calls
    again = pipeline.extract(workspace(con, onto), force=True)
    assert again.parsed_blocks == 0 and PhoneExtractor.calls == calls
    assert again.claims == report.claims


def test_claims_pending_is_told_without_an_extractor(con, onto, fake_front_end):
    ws = workspace(con, onto)
    import_archive(ws, require_shared("datasets", "policies", "wechat-privacy-policy"))
    assert pipeline.claims_pending(ws)  # nothing extracted, nothing recorded
    pipeline.extract(ws)
    calls = PhoneExtractor.calls
    assert not pipeline.claims_pending(ws)  # what a warm main job sees: no extraction process is started
    assert PhoneExtractor.calls == calls
    # a version no extractor has read yet
    con.execute("delete from extraction_runs where version_id = (select min(version_id) from versions)")
    assert pipeline.claims_pending(ws)
    assert len(pipeline.extract(ws).versions) == 1
    assert not pipeline.claims_pending(ws)
    # the extractors' inputs changed since the tags were recorded (code, word lists, model, ontology)
    con.execute("update settings set value = json_object('fingerprint', 'older', 'tags', "
                "json_extract(value, '$.tags')) where key = ?", [pipeline.EXTRACTORS_KEY])
    assert pipeline.claims_pending(ws)
    changed = dataclasses.replace(onto, files={**onto.files, "extra.yaml": "0" * 64})
    assert pipeline.extractor_fingerprint(changed) != pipeline.extractor_fingerprint(onto)


def test_actor_roles(onto):
    assert pipeline.actor_role("wechat", "wechat", onto) == "first_party"
    assert pipeline.actor_role("tencent", "wechat", onto) == "affiliate"
    assert pipeline.actor_role("weixin", "wechat", onto) == "affiliate"
    assert pipeline.actor_role("sms_provider", "wechat", onto) == "third_party"
    assert pipeline.actor_role("mini_program_developer", "weixin", onto) == "third_party"


class FailingExtractor(PhoneExtractor):
    """Fails on every block that mentions WeChat Pay."""

    def read(self, block):
        if "WeChat Pay" in block.text or "微信支付" in block.text:
            raise ValueError("odd block")
        return super().read(block)


@pytest.mark.parametrize(("text", "language", "sentences"), [
    ("WeChat Pay needs your mobile number. It keeps it. Ask us!", "en", 3),
    ("微信支付需要你的手机号码。我们会保存它；你可以删除。", "zh", 3),
])
def test_a_block_a_front_end_fails_on_is_unreadable_in_every_language(onto, text, language, sentences):
    blocks = [BlockInput("paragraph", text, "", language, "wechat"),
              BlockInput("paragraph", "We need your mobile number.", "", language, "wechat")]
    failed, read = pipeline.read_blocks(FailingExtractor(onto), blocks)
    assert (failed.sentences, failed.skipped, failed.claims) == (sentences, sentences, [])
    assert [c.data_type for c in read.claims] == ["phone_number"] and read.skipped == 0


def test_claims_of_one_practice_are_one_with_the_best_named_data_words():
    def claim(data_text, basis, **other):
        return ClaimDraft(0, 10, "We collect your number.", "wechat", "collect", False, data_text, "phone_number",
                          data_basis=basis, **other)

    unique = pipeline.unique_claims([claim("number", "head_word"), claim("your number", "lexicon"),
                                     claim("it", "fallback"), claim("number", "head_word", purpose="to log in")])
    assert [(c.data_text, c.data_basis, c.purpose) for c in unique] == [("your number", "lexicon", None),
                                                                        ("number", "head_word", "to log in")]


def test_version_stamp_hashes_every_input():
    stamp = pipeline.version_stamp("1.0.0", ["words", b"ontology"])
    assert re.fullmatch(r"1\.0\.0\+[0-9a-f]{10}", stamp)
    assert stamp != pipeline.version_stamp("1.0.0", ["words", b"ontology2"])
    assert stamp != pipeline.version_stamp("1.0.1", ["words", b"ontology"])
