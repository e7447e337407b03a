"""zh-rules 2.19.0 (review7 of zh21): the user's permission is no order of ours whatever words stand between the
user and the verb of permission (你可以允许我们……, 你可以选择不授权我们……: zh21 read only the word right before
授权/允许, so a modal or a negation made the user's permission our practice, negated or not). Short sentences
written for the test (not from the Weixin text, the gold sets or any policy block)."""

from __future__ import annotations

import pytest

from tests.claims.test_chinese import extractor  # noqa: F401 (fixture)
from tests.claims.test_chinese_conventions import _collect, _read


@pytest.mark.parametrize("sentence", [
    "你可以允许我们收集你的位置信息。",  # zh21: weixin collect location
    "你也可以允许我们收集你的位置信息。",
    "你可以不授权我们获取你的位置信息。",  # zh21: weixin collect location, negated
    "你可以选择不授权我们获取你的位置信息。",
    "你有权不允许我们收集你的位置信息。",
    "用户可以授权我们获取你的位置信息。",
    "你授权我们获取你的位置信息。",
])
def test_the_users_permission_states_no_practice(extractor, sentence):  # noqa: F811
    assert _read(extractor, sentence) == set()


@pytest.mark.parametrize(("sentence", "expected"), [
    # guards: the user as a possessor (你的要求) or a prepositional object (向你) gives no order; ours still counts
    ("我们不会根据你的要求委托第三方收集你的位置信息。",
     _collect("location", actor="third_party", negated=True)),
    ("我们不会向你要求授权第三方收集你的位置信息。",
     _collect("location", actor="third_party", negated=True)),
    ("我们从未允许第三方收集你的通讯录。", _collect("contacts", actor="third_party", negated=True)),
    # the user inside a condition (在……的情况下) gives no order either
    ("我们不会在你未授权的情况下允许第三方收集你的位置信息。",
     _collect("location", actor="third_party", negated=True)),
    ("我们会委托服务商收集你的设备型号。", _collect("device_model", actor="third_party")),
])
def test_our_order_after_the_user_named_still_orders(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected
