"""Review of round zh22 (zh-rules 2.21.0): with 收到 a party verb, "upon receiving X" (收到X后，将……) took the
object of the next clause (将及时处理你的个人信息 read as what was received) or ran over 后 into the main clause
(收到你的投诉后将及时处理你的个人信息 as one object). The object of a verb now ends at a time frame's 后 right before
a modal, and a following clause that opens with a modal or a conjunction joining predicates (并, 但, 而且 ...)
continues no list. Short sentences written for the test, through the real extractor."""

from __future__ import annotations

import pytest

from tests.claims.test_chinese import extractor  # noqa: F401 (fixture)
from tests.claims.test_chinese_conventions import _collect, _read


@pytest.mark.parametrize(("sentence", "expected"), [
    # the next clause's object is no object of 收到/收集 (before: collect personal_information "将及时处理你的个人信息")
    ("我们收到你的投诉后，将及时处理你的个人信息。", set()),
    ("我们收集你的投诉后，将及时处理你的个人信息。", set()),
    ("商家收到你的投诉，并及时处理你的个人信息。", set()),
    # the object ends at 后 before a modal (before: one object "你的投诉后将及时处理你的个人信息")
    ("我们收到你的投诉后将及时处理你的个人信息。", set()),
    ("商家收到你的收货地址后会及时发货。", _collect("postal_address", actor="third_party")),
    # guards: a list running over clauses, a party verb with data
    ("我们会收集你的手机号码，以及你的位置信息。", _collect("phone_number", "location")),
    ("商家会收到你的收货地址。", _collect("postal_address", actor="third_party")),
])
def test_an_object_ends_before_a_predicate_of_its_own(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


def test_the_data_text_stops_at_the_time_frame(extractor):  # noqa: F811
    from policycheck.claims.model import BlockInput

    block = BlockInput("paragraph", "我们收集你的位置信息后将及时删除。", "", "zh", "weixin")
    assert [c.data_text for c in extractor.extract([block])[0].claims] == ["你的位置信息"]
