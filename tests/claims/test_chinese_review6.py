"""zh-rules 2.17.0 (review6): zh20's cut of a preposition fused with a demonstrative (由该 -> 由/该) leaves the adverbs
written the same way whole (从此 "from then on", 由此 "thereby"): cut, 从此我们不再收集你的位置信息 lost its negated
collect. Short sentences written for the test (not from any policy or gold set), through the real extractor."""

from __future__ import annotations

import pytest

from tests.claims.test_chinese import extractor  # noqa: F401 (fixture)
from tests.claims.test_chinese_conventions import _collect, _read


@pytest.mark.parametrize(("sentence", "expected"), [
    ("从此我们不再收集你的位置信息。", _collect("location", negated=True)),
    ("由此产生的日志我们会保存三十天。", _collect("log_data", action="retain")),
    # zh20's cut itself stays: 由 before 该 marks the agent
    ("你提供的手机号码，由该企业收集。", _collect("phone_number", actor="third_party")),
])
def test_adverbs_of_a_preposition_and_a_demonstrative_stay_whole(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected
