"""Review of round 17 (zh-rules 2.13.1) on the Chinese front end: guards on its rules for data about contacts and
settings and for a property of named data, on short sentences written for the test (not from the Weixin text, the
gold sets or any policy block)."""

from __future__ import annotations

import pytest

from tests.claims.test_chinese import extractor  # noqa: F401 (fixture)
from tests.claims.test_chinese_conventions import _collect, _read


@pytest.mark.parametrize(("sentence", "expected"), [
    # a head whose own ending the ontology types keeps that type under a setting clause (图片 -> photos_and_videos)
    ("我们会收集你设置的背景图片。", _collect("photos_and_videos")),
    ("我们会保存你设定的主页图片。", _collect("photos_and_videos", action="retain")),
    # unchanged: a head of no known ending after a setting verb is a setting
    ("我们会收集你设置的铃声。", _collect("user_preferences")),
])
def test_a_setting_clause_keeps_a_typed_head(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a contact as the beneficiary of another act than labelling: the head is not data about the contact
    ("我们会收集你为朋友点播的歌曲。", _collect("personal_information")),
    ("我们会保存你为朋友挑选的礼物。", _collect("personal_information", action="retain")),
    # unchanged: a label the user sets or adds for a contact, or one with no verb, is contact data
    ("我们会收集你为朋友设置的备注。", _collect("contacts")),
    ("我们会保存你为联系人添加的描述。", _collect("contacts", action="retain")),
    ("我们会保存你对联系人的分组。", _collect("contacts", action="retain")),
])
def test_only_a_label_for_a_contact_is_contact_data(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # 身份 alone is a role or status (学生身份, 身份类型): only the name 身份信息 is the identity document
    ("我们会收集你的身份类型。", _collect("personal_information")),
    ("我们会收集你的身份标签。", _collect("personal_information")),
    ("我们会收集你的身份认证信息。", _collect("government_id")),
    # unchanged: the identity card, its validity and type, 身份信息 itself, other named data's properties
    ("我们会收集你的身份证有效期。", _collect("government_id")),
    ("我们会收集你的证件类型和号码。", _collect("government_id")),
    ("我们会收集你的身份信息。", _collect("government_id")),
    ("我们会收集你的账号等级。", _collect("account_information")),
])
def test_a_status_word_names_no_identity_document(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected
