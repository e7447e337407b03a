"""zh-rules 2.14.0 (helper zh18) on the Chinese front end: a setting clause before a name, label or amount, a
contact as beneficiary after 给, a practice verb inside a data compound (X使用日志) and a bare attribute head
sharing a modifier that names contacts; short sentences written for the test (not from the Weixin text, the gold
sets or any policy block)."""

from __future__ import annotations

import pytest

from tests.claims.test_chinese import extractor  # noqa: F401 (fixture)
from tests.claims.test_chinese_conventions import _collect, _read


@pytest.mark.parametrize(("sentence", "expected"), [
    # a name, label or amount is a thing of its own, whoever set it: the type its words give
    ("我们会保存你设置的账户标签。", _collect("account_information", action="retain")),
    ("我们会收集你设置的红包金额。", _collect("personal_information")),
    ("我们会保存你设定的群名称。", _collect("group_chat_information", action="retain")),
    ("我们会收集你设定的支付金额。", _collect("transaction_records")),
    # guards: a setting after a setting verb stays a setting; a contact's label stays contact data
    ("我们会保存你设定的提示音。", _collect("user_preferences", action="retain")),
    ("我们会收集你设置的字号大小。", _collect("user_preferences")),
    ("我们会收集你为好友设置的标签。", _collect("contacts")),
])
def test_a_setting_clause_before_a_name_or_amount(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # 给 + a contact + a labelling verb inside the object: whom the user's label is for, not a recipient
    ("我们会保存你给好友添加的描述。", _collect("contacts", action="retain")),
    ("我们会收集你给联系人标注的分组。", _collect("contacts")),
    # guards: 给 after a verb is the recipient; a song for a friend is no contact data
    ("我们会把你的昵称提供给小程序开发者。", _collect("nickname", action="share")),
    ("我们会收集你给朋友点播的歌曲。", _collect("personal_information")),
])
def test_a_contact_after_gei_inside_the_object(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a noun + 使用 + a data noun ending the phrase is one compound: the data, with the outer verb's action
    ("我们会保存你的产品使用日志。", _collect("log_data", action="retain")),
    ("我们会收集客户端使用日志。", _collect("log_data")),
    ("我们会收集你的设备使用数据。", _collect("usage_data")),
    # guards: 使用 as the predicate (a pronoun or a subject before it) stays a use
    ("我们会使用日志。", _collect("log_data", action="use")),
    ("我们使用日志来排查故障。", _collect("log_data", action="use")),
])
def test_a_practice_verb_inside_a_data_compound(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a bare 号码 after a conjunct whose modifier names the user's contacts is the contacts' data
    ("我们会读取通讯录好友的昵称和号码。", _collect("nickname", "contacts")),
    ("我们会收集联系人名字和号码。", _collect("nickname", "contacts")),
    # guards: a modifier naming no contact leaves 号码 an identifier; 证件 still types its number
    ("我们会收集用户姓名和号码。", _collect("name", "identifier")),
    ("我们会收集你的证件类型和号码。", _collect("government_id")),
])
def test_a_number_shares_a_modifier_naming_contacts(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected
