"""zh-rules 2.16.0 (helper zh20) on the Chinese front end: a manner adverb fused with a practice verb in one jieba
word (加密传输), 记录 after a modal, a feature noun in a compound (应用使用日志), the head of a compound modifier
(语音通话 -> 通话), and ontology names for calls, transfers and remark names; short sentences written for the test
(not from the Weixin text, the gold sets or any policy block)."""

from __future__ import annotations

import pytest

from tests.claims.test_chinese import extractor  # noqa: F401 (fixture)
from tests.claims.test_chinese_conventions import _collect, _read


@pytest.mark.parametrize(("sentence", "expected"), [
    # 加密传输 is one word in jieba's dictionary: cut, its verb joins the group (传输 names no party: no claim)
    ("我们会加密传输和存储你的聊天记录。", _collect("chat_data", action="retain")),
    ("我们会加密传输和保存你的设备型号。", _collect("device_model", action="retain")),
    # guards: the adverb as a word of its own, and no verb after it
    ("我们会加密存储你的身份证号码。", _collect("government_id", action="retain")),
    ("我们会使用加密传输技术保护你的信息。", set()),
])
def test_a_manner_adverb_fused_with_a_verb(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # 记录 after a modal is the verb, even before an object the lexicon does not name
    ("我们会记录转账金额。", _collect("transaction_records")),
    ("我们可能记录付款时间。", _collect("transaction_records")),
    ("我们还会记录登录时间。", _collect("login_data")),
    # guards: 记录 as a noun (no modal before it) names a record, not a practice
    ("我们会保存你的预约记录。", _collect("usage_data", action="retain")),
    # (zh23: the clause-sized noun is the topic of the next clause, its retention stated, as zh-r20-022 of
    # tests/gold/claims_zh_round20.yaml labels 预约信息，我们会保存……; still no collect of a verb 记录)
    ("预约记录，我们会保存三十天。", _collect("usage_data", action="retain")),
])
def test_jilu_after_a_modal_is_a_verb(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a feature noun (应用, 软件) + 使用 + a data noun is one compound: the usage log, not a use
    ("我们会收集你的应用使用日志。", _collect("log_data")),
    ("我们会收集应用使用日志，以改进服务。", _collect("log_data")),
    # guard: the first party before 使用 is its subject (we use logs), no compound
    ("微信使用日志记录你的操作。", _collect("log_data", action="use")),
])
def test_a_feature_noun_in_a_usage_compound(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a noun + 使用 + an attribute head (时长, 次数) is one compound too: the record of the use
    ("我们会收集你的游戏使用时长。", _collect("usage_data")),
    ("我们会收集你的设备使用次数。", _collect("usage_data")),
    # guard: 使用时间内 is a time frame, the verb after it keeps its object
    ("我们会在使用时间内保存你的信息。", _collect("personal_information", action="retain")),
])
def test_an_attribute_head_after_a_usage_compound(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a call's attributes are communication metadata: the head of 语音通话/视频通话 is 通话, not its voice or video
    ("我们会收集你的语音通话时长。", _collect("communication_metadata")),
    ("我们会收集你的视频通话时长。", _collect("communication_metadata")),
    ("我们会收集你与客服的通话时长。", _collect("communication_metadata")),
    # guards: voice content stays voice, a leading part still types (健康状况 -> 健康信息)
    ("我们会保存你的语音消息。", _collect("voice_input", action="retain")),
    ("我们会收集你的健康状况信息。", _collect("health_data")),
    ("我们会收集你的账号基本信息。", _collect("account_information")),
])
def test_the_head_of_a_compound_modifier(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a transfer's amount or time is a transaction record (转账记录); a remark name is about a contact
    ("我们会收集你的转账金额。", _collect("transaction_records")),
    ("我们会收集你的备注名。", _collect("contacts")),
    ("你设置的备注名会被上传并存储在我们的服务器中。", _collect("contacts") | _collect("contacts", action="retain")),
    # guards: the user's own act states nothing; a setting the user makes stays a setting
    ("你可以为朋友设置备注名。", set()),
    ("我们会保存你设置的消息提醒铃声。", _collect("user_preferences", action="retain")),
])
def test_names_of_transfers_and_remark_names(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # the party after an ordering verb (要求, 委托) is the subject of the verb after it: its practice, not ours
    ("我们会要求服务商依照本指引处理你的个人信息。",
     _collect("personal_information", actor="third_party", action="process")),
    ("我们会要求合作伙伴按照我们的说明处理个人信息。",
     _collect("personal_information", actor="third_party", action="process")),
    ("我们会与合作伙伴签署保密协议，要求他们按照我们的说明处理个人信息。",
     _collect("personal_information", actor="third_party", action="process")),
    # guards: the user after 要求 gives data to us; a request of ours is a right; no party named after it
    ("我们会要求你提供身份证号码。", _collect("government_id")),
    ("你有权要求我们删除你的个人信息。", set()),
    ("我们会要求第三方采取安全措施保护你的个人信息。", set()),
])
def test_the_party_after_an_ordering_verb(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # 无权 (has no right to) denies the practice; with 用于其他用途 it is a purpose restriction (no claim)
    ("第三方无权收集你的位置信息。", _collect("location", actor="third_party", negated=True)),
    ("服务商无权保存你的身份证号码。", _collect("government_id", actor="third_party", action="retain", negated=True)),
    ("我们的合作伙伴无权将共享的个人信息用于任何其他用途。", set()),
    # guard: 有权 (the user's right) states nothing
    ("你有权拒绝我们收集你的位置信息。", set()),
])
def test_wuquan_denies_the_practice(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # jieba's 由该 (a preposition + a demonstrative in one word) is cut: 由 still marks the agent
    ("你提供的信息，由该企业按照其规则处理。", _collect("personal_information", actor="third_party", action="process")),
    ("你提供的信息由该企业处理。", _collect("personal_information", actor="third_party", action="process")),
    ("你的位置信息将由该服务商依据其隐私政策收集。", _collect("location", actor="third_party")),
    # guard: 将该 + a data noun is still a preposed object
    ("我们会将该信息提供给合作方。", _collect("personal_information", action="share")),
])
def test_a_preposition_fused_with_a_demonstrative(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # the particulars (具体情况) of a practice, pointed to in another document: no data, no practice
    ("第三方SDK收集和使用你的信息的具体情况，请查阅《第三方信息共享清单》。", set()),
    # guard: a usage 情况 is data
    ("我们会收集你的设备使用情况。", _collect("usage_data")),
])
def test_the_particulars_of_a_practice_are_no_data(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected
