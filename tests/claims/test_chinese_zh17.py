"""Issue 9, round 17, on the Chinese front end: typing data phrases from outside the Weixin guidelines (GB/T
35273-2020 Annex A and B, the 2021 rules on the necessary personal information of common kinds of apps, compound
phrases of Chinese app policies), each rule on short sentences written for the test (not from the Weixin text or the
gold sets), beside guards that keep it from typing a phrase more specifically than its words say; and the dev split of
tests/gold/claims_zh_round17.yaml (its check split is scored at the start and the end, in aggregate, not asserted
here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policycheck.claims.evaluate import evaluate, load_gold
from tests.claims.test_chinese import extractor  # noqa: F401 (fixture)
from tests.claims.test_chinese_conventions import _collect, _read

ROUND17 = Path(__file__).resolve().parents[1] / "gold" / "claims_zh_round17.yaml"


@pytest.mark.parametrize(("sentence", "expected"), [
    # the categories of GB/T 35273-2020 Annex A/B, as Chinese synonyms of the types whose definitions cover them
    ("我们会收集你的既往病史。", _collect("health_data")),
    ("我们会收集你的征信记录。", _collect("payment_information")),
    ("我们不会收集你的宗教信仰。", _collect("beliefs_and_origin", negated=True)),
    ("我们会收集你的掌纹信息。", _collect("biometric_data")),
    ("我们不会收集你的犯罪记录。", _collect("sensitive_personal_information", negated=True)),
    ("我们会收集你的工作经历和国籍。", _collect("employment_information", "demographic_information")),
    # guards: words that only contain or resemble them
    ("我们会告知你收集信息的目的。", set()),
    ("我们会收集你的病历。", _collect("health_data")),
])
def test_standard_categories(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # an unknown head after a noun that forms a data name with 信息 is a property of that data
    ("我们会收集你的设备温度。", _collect("device_information")),
    ("我们会收集你的网络环境。", _collect("network_information")),
    ("我们会收集你的会员类别。", _collect("account_information")),
    ("我们会收集你的账号等级。", _collect("account_information")),  # 等 inside 等级 is no group marker
    # guards: a verb as the modifier, a modifier that names no data, the group marker 等
    ("我们会分析使用趋势。", set()),
    ("我们会收集你的宠物品种。", _collect("personal_information")),
    ("我们会收集你的昵称、头像等信息。", _collect("nickname", "profile_photo")),
    ("我们会收集你的设备型号等设备信息。", _collect("device_model", "device_information")),
])
def test_property_of_named_data(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # data the user sets about a contact is contact data; what the user sets is a setting (preferences)
    ("我们会收集你为联系人设置的分组。", _collect("contacts")),
    ("我们会保存你为朋友添加的星标、分组和描述。", _collect("contacts", action="retain")),
    ("我们会保存你的提醒设置。", _collect("user_preferences", action="retain")),
    ("我们会收集你设定的主题颜色。", _collect("user_preferences")),
    # guards: a partner (与), content, a named type, a named setting, the user's own act
    ("我们会收集你与朋友的合照。", _collect("personal_information")),
    ("我们会保存你与好友的沟通内容。", _collect("user_content", action="retain")),
    ("我们会收集你为好友设置的昵称。", _collect("nickname")),
    ("我们会收集你的语言设置。", _collect("language_setting")),
    ("你可以为朋友设置备注。", set()),
])
def test_data_about_contacts_and_settings(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a clause naming such data continues a topic over comma clauses, as clauses naming data do
    ("你设定的壁纸，你的昵称等信息会被上传。", _collect("user_preferences", "nickname")),
    ("你为联系人添加的描述和星标，你的头像等信息将被收集。", _collect("contacts", "profile_photo")),
    # guards: a clause with a predicate of its own, a user's act
    ("你设置了壁纸，你的昵称会被上传。", _collect("nickname")),
    ("你可以为朋友设置星标，你的头像将被收集。", _collect("profile_photo")),
])
def test_topic_over_such_clauses(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # attribute heads of a document (类型, 号码, 有效期) and a bare one after a conjunction share the modifier
    ("我们会收集你的证件有效期。", _collect("government_id")),
    ("我们会收集乘客的证件类型和号码。", _collect("government_id")),
    ("我们会收集你的设备类型。", _collect("device_information")),
    # guards: a number of no named data stays an identifier
    ("我们会收集你的车牌号码。", _collect("identifier")),
])
def test_attribute_heads_of_documents(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a non-data word opening a compound that a data name ends heads no relative clause of the verb
    ("我们会收集你的应用崩溃日志。", _collect("service_logs")),
    ("我们会收集你的软件使用情况。", _collect("usage_data")),
    ("我们会收集你的应用列表。", _collect("installed_apps")),
    # guards: a clause that modifies a non-data noun states nothing
    ("我们会说明收集个人信息的范围。", set()),
    ("我们会告知你使用信息的规则。", set()),
])
def test_compound_after_non_data_word(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


def test_round17_dev_items(onto, extractor):  # noqa: F811
    """The round's constructed items (dev split) keep at least this round's score (left: 屏幕亮度, whose modifier
    forms no data name; 订单状态, where 状态 is the ontology's name of a feature)."""
    items = [i for i in load_gold([ROUND17]) if i.split == "dev"]
    assert len(items) == 53
    score = evaluate(None, onto, items).scores["dev"]["tuples"]
    assert score.fp <= 1 and score.fn <= 1, score
