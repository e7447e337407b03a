"""The extraction pipeline with a minimal test extractor: caching, offsets, actor roles, storage."""

from __future__ import annotations

import re
import sys
import types

import pytest

from policycheck.claims import pipeline
from policycheck.claims.model import BlockResult, ClaimDraft
from policycheck.policies.archive import import_archive
from tests.conftest import require_shared, workspace


class PhoneExtractor:
    """Claims 'we collect phone_number' for every sentence mentioning a mobile number; counts calls."""

    name, version, language = "test-phone", "1", "en"
    calls = 0

    def __init__(self, onto) -> None:
        self.onto = onto

    def extract(self, blocks):
        PhoneExtractor.calls += len(blocks)
        out = []
        for block in blocks:
            result = BlockResult(sentences=1)
            for m in re.finditer(r"[^.]*mobile number[^.]*\.?", block.text):
                result.claims.append(ClaimDraft(m.start(), m.end(), m.group(0), block.first_party, "collect",
                                                False, "mobile number", "phone_number"))
            if "third parties" in block.text:
                result.claims.append(ClaimDraft(0, len(block.text), block.text, "third_party", "share", True,
                                                "information", "personal_information"))
            out.append(result)
        return out


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


def test_actor_roles(onto):
    assert pipeline.actor_role("wechat", "wechat", onto) == "first_party"
    assert pipeline.actor_role("tencent", "wechat", onto) == "affiliate"
    assert pipeline.actor_role("weixin", "wechat", onto) == "affiliate"
    assert pipeline.actor_role("sms_provider", "wechat", onto) == "third_party"
    assert pipeline.actor_role("mini_program_developer", "weixin", onto) == "third_party"
