"""zh-rules 2.18.0 (helper zh21) on the Chinese front end: a negation before a verb of ordering or permission (委托,
要求, 授权, 允许) denies the practice of its pivot; 加密 as an instrument before a serial verb; an attribute head
after a usage compound (应用使用次数) and a feature name before one (小程序使用时长); a data name that ends a
phrase and overlaps the name before it (登录设备型号 -> 设备型号); notes attached to a payment. Short sentences
written for the test (not from the Weixin text, the gold sets or any policy block)."""

from __future__ import annotations

import pytest

from tests.claims.test_chinese import extractor  # noqa: F401 (fixture)
from tests.claims.test_chinese_conventions import _collect, _read


@pytest.mark.parametrize(("sentence", "expected"), [
    # 兼语式 (pivotal construction, Li & Thompson 1981, ch. 21): the negation before the ordering verb denies the
    # ordered party's practice
    ("我们不会委托任何第三方收集你的通讯录。",
     _collect("contacts", actor="third_party", negated=True)),
    ("我们不会委托合作伙伴存储你的身份证号码。",
     _collect("government_id", actor="third_party", action="retain", negated=True)),
    ("我们绝不会要求服务商处理你的位置信息。",
     _collect("location", actor="third_party", action="process", negated=True)),
    ("我们不会授权广告合作方获取你的设备型号。",
     _collect("device_model", actor="advertiser", negated=True)),
    ("我们不允许第三方收集你的电话号码。",
     _collect("phone_number", actor="third_party", negated=True)),
    # guards: without a negation the ordered party acts; the user's permission orders nothing
    ("我们会委托服务商收集你的设备型号。", _collect("device_model", actor="third_party")),
    ("我们会授权合作伙伴获取你的位置信息。", _collect("location", actor="third_party")),
    ("你授权我们获取你的位置信息。", set()),
])
def test_a_negated_order_denies_the_pivots_practice(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # 使用 + an encryption noun + a serial verb: the encryption is the instrument, the data is protected, not used
    ("我们使用数据加密保护你的账号信息。", set()),
    ("我们会采用传输加密保障你的聊天记录安全。", set()),
    # guards: a practice verb after the instrument keeps its object
    ("我们使用数据加密存储你的身份证号码。", _collect("government_id", action="retain")),
    ("我们会使用加密技术保护你的位置信息。", set()),
])
def test_encryption_as_an_instrument(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a non-data noun (应用, 软件) + 使用 + an attribute head after 的 is one compound: the record of the use
    ("我们会记录你的应用使用次数。", _collect("usage_data")),
    ("我们会分析你的软件使用频率。", _collect("usage_data", action="use")),
    ("我们会保存你的应用使用时间。", _collect("usage_data", action="retain")),
    # a feature's name before 使用 (jieba keeps 小程序 whole, untagged): its usage record
    ("我们会收集你的小程序使用次数。", _collect("mini_program_usage")),
    ("我们会保存你的小程序使用数据。", _collect("mini_program_usage", action="retain")),
    # guards: 应用类型 has no verb inside (the head stays a non-data head); 使用 with a non-data object names no data
    ("我们会收集你的应用类型。", set()),
    ("我们会使用你的应用。", set()),
])
def test_an_attribute_of_a_usage_compound(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # head-final compounds: the name ending the phrase wins over a longer name it overlaps
    ("我们会收集你的登录设备型号。", _collect("device_model")),
    ("我们会保存常用登录设备型号和登录时间。", _collect("device_model", "login_data", action="retain")),
    # guards: the name alone, or followed by a generic head, keeps its own type
    ("我们会收集你的登录设备信息。", _collect("managed_devices")),
    ("我们会保存你的登录设备。", _collect("managed_devices", action="retain")),
])
def test_a_name_ending_the_phrase_over_an_overlapping_name(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a note attached to a transfer or payment is part of its record
    ("我们会保存你填写的付款备注。", _collect("transaction_records", action="retain")),
    ("我们会收集收款备注及转账附言。", _collect("transaction_records")),
    # guard: a note set for a contact stays data about the contact
    ("我们会收集你为好友设置的备注。", _collect("contacts")),
])
def test_notes_attached_to_a_payment(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected
