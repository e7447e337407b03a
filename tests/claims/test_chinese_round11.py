"""Issue 9, round 11, on the Chinese front end (zh-rules 2.7.0): the constructions this round's rules read, each on
short sentences written for the test that state the pattern (not from the Weixin text or the gold sets), beside
guards that keep each rule from reaching too far; and the precision of tests/gold/claims_zh_guidelines2.yaml (the
guidelines' real blocks no other item uses: they state no practice)."""

from __future__ import annotations

import pytest

from tests.claims.test_chinese import extractor  # noqa: F401 (fixture)
from tests.claims.test_chinese_conventions import _collect, _read


@pytest.mark.parametrize(("sentence", "expected"), [
    # 将 X V1，(subjectless) modal/negation V2 Y: the comma clause is a predicate of its own, 将 belongs to V1
    ("我们会将你的录音发送至服务器，识别完成后不会保留你的录音。",
     _collect("voice_input", action="retain", negated=True)),
    ("我们会将你的照片发送至服务器，不会保存你的照片。", _collect("photos_and_videos", action="retain", negated=True)),
    # guards: a 将 object over a comma without a predicate of its own still reaches the verb; 将 X V stays
    ("我们会将你的照片压缩后上传。", _collect("photos_and_videos")),
    ("我们可能将你在使用某一功能时我们收集的信息，在另一功能中用于提供服务。",
     _collect("personal_information", action="use")),
])
def test_preposed_object_stops_at_a_predicate_of_its_own(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected
