"""Issue 9, round 15, on the Chinese front end: precision on text that states no practice (refusals, feature
availability) and a consent phrase opening a clause, each on short sentences written for the test that state the
pattern (not from the Weixin text or the gold sets), beside guards that keep each rule from reaching too far; and
the dev split of tests/gold/claims_zh_round15.yaml (its check split is scored at the start and the end, in
aggregate, and not asserted here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policycheck.claims.evaluate import evaluate, load_gold
from tests.claims.test_chinese import extractor  # noqa: F401 (fixture)
from tests.claims.test_chinese_conventions import _collect, _read

ROUND15 = Path(__file__).resolve().parents[1] / "gold" / "claims_zh_round15.yaml"


@pytest.mark.parametrize(("sentence", "expected"), [
    # a refusal with the first party named between it and the verb is the user's choice
    ("你有权拒绝向我们提供你的生日。", set()),
    ("你可以拒绝给我们提供你的职业信息，但可能无法获得推荐。", set()),
    ("用户可以不同意我们读取其相册。", set()),
    ("你可以拒绝微信向合作方提供你的设备型号。", set()),
    # guards: giving data to the service, a plain denial, a practice after the refusal's clause
    ("你可以向我们提供你的生日，以便接收祝福。", _collect("date_of_birth")),
    ("我们不会向合作方提供你的设备型号。", _collect("device_model", action="share", negated=True)),
    ("你拒绝后，我们会向合作方提供你的设备型号。", _collect("device_model", action="share")),
])
def test_a_refusal_naming_the_first_party(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a consent phrase opening a clause ends at its 同意/授权 when the first party follows without a comma
    ("经你同意后我们会读取你的相册。", _collect("photos_and_videos")),
    ("征得你的授权后微信会使用你的位置信息。", _collect("location", action="use")),
    ("为了帮你找到朋友，经你同意我们会上传你的通讯录。", _collect("contacts")),
    ("未经你的同意我们不会将你的手机号码提供给第三方。", _collect("phone_number", action="share", negated=True)),
    # guards: with a comma, inside a clause, and without the first party the phrase keeps its old reach
    ("经你同意后，我们会读取你的相册。", _collect("photos_and_videos")),
    ("我们会经你同意后读取你的相册。", _collect("photos_and_videos")),
    ("经你同意后向你推荐的内容会显示在首页。", set()),
])
def test_a_consent_phrase_before_the_first_party(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a feature that cannot be used is no use of the data named before
    ("我们会收集你的步数，但部分功能可能无法使用。", _collect("health_data")),
    ("你的相册不会被上传，相关服务将无法正常使用。", _collect("photos_and_videos", negated=True)),
    # guards: a use with data, and an empty slot after data keeps the shared object
    ("我们会收集你的步数，该功能会使用你的步数。", _collect("health_data")
     | _collect("health_data", action="use")),
    ("我们会收集你的步数，但不会使用。", _collect("health_data") | _collect("health_data", action="use", negated=True)),
])
def test_a_feature_that_cannot_be_used(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # what a user's step achieves (即可/便可 opening the clause or right before the verb) is the user's act
    ("打开备份页面，即可将你的聊天记录存储到电脑。", set()),
    ("长按该文件并点击右上角的按钮，便可把文件保存到手机。", set()),
    ("选择“导出”后，你的聊天记录即可保存到电脑。", set()),
    # guards: the first party named as the subject, and a practice in a clause of its own
    ("你提交申请后，我们即可处理你的身份证号码。", _collect("government_id", action="process")),
    ("打开该功能后，我们会存储你的照片。", _collect("photos_and_videos", action="retain")),
    # a party noun the ontology does not name before 即可 is the verb's subject (review3)
    ("提交订单后，商家即可获取你的手机号码。", _collect("phone_number", actor="third_party")),
    ("完成授权后，服务商便可获取你的昵称。", _collect("nickname", actor="third_party")),
])
def test_what_a_users_step_achieves(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # X对Y的V: the party before 对 is the agent of the nominalized practice, not the first party
    ("广告商对你的设备型号的收集受其隐私政策约束。", _collect("device_model", actor="advertiser")),
    ("合作方对你手机号码的使用，遵循其自己的规则。", _collect("phone_number", actor="third_party", action="use")),
    # guards: the first party before 对, and the user's use of a service (no data)
    ("我们对你的设备型号的收集遵循本指引。", _collect("device_model")),
    ("你对第三方服务的使用受其规则约束。", set()),
])
def test_the_agent_of_a_nominalized_practice(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a named party giving data to us (向/与我们, also after its modal) shares it: that party's claim
    ("快递公司会向我们提供你的签收时间。", _collect("personal_information", actor="third_party", action="share")),
    ("商户可能会向我们提供你的订单信息。", _collect("transaction_records", actor="third_party", action="share")),
    ("服务商会与我们共享你的设备型号。", _collect("device_model", actor="third_party", action="share")),
    # guards: our own share, the user giving data (collect), collection from a source, a relative clause
    ("我们会向服务商提供你的设备型号。", _collect("device_model", action="share")),
    ("你可以向我们提供你的设备型号。", _collect("device_model")),
    ("我们不会从服务商获取你的设备型号。", set()),
    ("服务商向我们提供的设备型号仅用于排查故障。", set()),
    # collection from a party noun phrase the ontology does not name is collection from another source
    ("我们会从商家处获取你的订单信息。", set()),
    # guard: from the user's device is no other party
    ("我们会从你的设备上获取你的设备型号。", _collect("device_model")),
])
def test_a_named_party_giving_data_to_us(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("lead_in", "item", "expected"), [
    # the ways a user can act, announced by a lead-in with the user as its subject: each item is a step
    ("你可以通过以下方式联系我们：", "发送邮件至我们的客服邮箱。", set()),
    ("您可以按照如下步骤导出你的信息：", "打开“设置”，把文件发送给自己。", set()),
    # guards: the user giving data, the first party acting in the item, and our own ways
    ("你可以通过以下方式向我们提供你的资料：", "填写个人资料页面中的学历。", _collect("education_information")),
    ("你可以通过以下途径联系我们：", "拨打客服电话，我们会记录你的手机号码。", _collect("phone_number")),
    ("我们会通过以下方式收集你的信息：", "你登录时我们会收集你的设备型号。", _collect("device_model")),
])
def test_items_of_the_users_ways(extractor, lead_in, item, expected):  # noqa: F811
    assert _read(extractor, item, kind="list_item", lead_in=lead_in) == expected


@pytest.mark.parametrize(("lead_in", "item", "expected"), [
    # an item that opens with data keeps the lead-in's practice beside its own use of the data
    ("我们会收集以下信息：", "你的邮箱地址，用于找回密码。",
     _collect("email_address") | _collect("email_address", action="use")),
    ("我们会收集以下信息：", "设备型号：我们会将其用于适配屏幕。",
     _collect("device_model") | _collect("device_model", action="use")),
    # guards: an item with a practice of its own that does not open with data, and a plain item
    ("我们会收集以下信息：", "我们会使用你的设备型号进行适配。", _collect("device_model", action="use")),
    ("我们会收集以下信息：", "你的邮箱地址。", _collect("email_address")),
])
def test_an_item_opening_with_data_keeps_the_lead_ins_practice(extractor, lead_in, item, expected):  # noqa: F811
    assert _read(extractor, item, kind="list_item", lead_in=lead_in) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a limit on retention (a period the first party's retention verb modifies, or a storage-period noun, followed
    # by 不超过) is a negated retain
    ("我们存储你的位置信息的时间不会超过七天。", _collect("location", action="retain", negated=True)),
    ("我们保存你的订单信息的期限最长不超过三年。", _collect("transaction_records", action="retain", negated=True)),
    ("你的登录记录的保存期限不超过一个月。", _collect("login_data", action="retain", negated=True)),
    # guards: a stated period, a period that depends on something, the user's own storage
    ("你的登录记录的保存期限为一个月。", _collect("login_data", action="retain")),
    ("我们存储你的位置信息的时间取决于你的设置。", set()),
    ("你保存聊天记录的时间不会超过一年。", set()),
])
def test_a_limit_on_retention(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # 留言 (a message left under an article or on a page) is content the user posts, as English "comments"
    ("我们会存储你在活动页面下的留言。", _collect("user_content", action="retain")),
    ("商家可以查看你在店铺页面发表的留言。", _collect("user_content", actor="third_party")),
    # guard: the user's own deletion states nothing
    ("你可以删除你的留言。", set()),
])
def test_a_message_left_is_user_content(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a question word opening the verb's object: an embedded question, no practice
    ("注册前我们会向你说明我们会获取哪些信息。", set()),
    ("你可以查询我们存储了什么数据。", set()),
    # guard: a plain object
    ("注册前我们会获取你的手机号码。", _collect("phone_number")),
])
def test_an_embedded_question_after_the_verb(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a denied demand with two asking words (强制要求你提供) is a denied collection
    ("我们不会强迫要求你提供你的生日。", _collect("date_of_birth", negated=True)),
    # data beyond what the function needs (与功能无关的信息) denies the excess, not collection
    ("我们不会强制要求你提供与该功能无关的信息。", set()),
    ("我们不会收集与服务无关的个人信息。", set()),
    # guards: a plain denied demand and a plain denial
    ("我们不会要求你提供你的生日。", _collect("date_of_birth", negated=True)),
    ("我们不会收集你的生日。", _collect("date_of_birth", negated=True)),
])
def test_a_denied_demand_and_an_excess(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


def test_round15_dev_items(onto, extractor):  # noqa: F811
    """The round's constructed items (dev split) keep at least this round's score."""
    items = [i for i in load_gold([ROUND15]) if i.split == "dev"]
    assert len(items) == 40
    score = evaluate(None, onto, items).scores["dev"]["tuples"]
    assert score.fp <= 0 and score.fn <= 0, score
