"""Issue 9, round 13, on the Chinese front end: the constructions this round's rules read, each on short sentences
written for the test that state the pattern (not from the Weixin text or the gold sets), beside guards that keep
each rule from reaching too far; and the dev split of tests/gold/claims_zh_round13.yaml (its check split is scored
at the start and the end, in aggregate, and not asserted here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policycheck.claims.evaluate import evaluate, load_gold
from policycheck.claims.model import BlockInput
from tests.claims.test_chinese import extractor  # noqa: F401 (fixture)
from tests.claims.test_chinese_conventions import _collect, _read

ROUND13 = Path(__file__).resolve().parents[1] / "gold" / "claims_zh_round13.yaml"


@pytest.mark.parametrize(("sentence", "expected"), [
    # a time frame without 当 and without a comma, running into the first party, is a condition
    ("停用后我们将不再获取你的运动步数用于排名。", _collect("health_data", negated=True)),
    ("你可以在设置中关闭推荐，关闭后微信将不再收集你的阅读记录用于推荐。",
     _collect("viewing_history", negated=True)),
    ("开启相册同步后我们会存储你的照片。", _collect("photos_and_videos", action="retain")),
    # the verb inside the frame states nothing (使用X时 was read as a use of X)
    ("使用朋友圈时我们会存储你发布的照片。", _collect("photos_and_videos", action="retain")),
    # guards: a subject before the frame, a purpose and a plain sentence keep their readings
    ("我们注册后会收集你的手机号码。", _collect("phone_number")),
    ("我们会收集你的手机号码。", _collect("phone_number")),
    ("为了使用微信时我们需要你的手机号码。", set()),
])
def test_a_time_frame_without_comma_before_the_first_party(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # 你在使用X时提交的信息: a time frame, its verb names no kind of information
    ("你在使用微信支付时提交的信息将被加密存储。", _collect("personal_information", action="retain")),
    ("你在使用小游戏时填写的信息会被上传。", _collect("personal_information")),
    # guard: the place or recipient information is given to still names its kind
    ("你在客服对话中提供的信息将被加密存储。", _collect("customer_support_information", action="retain")),
])
def test_information_given_inside_a_time_frame(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a feature another party operates, named as the recipient, is that operator
    ("我们不会向其他小程序共享你的微信号。",
     _collect("wechat_id", action="share", negated=True)),
    ("我们会将你的昵称提供给公众号。", _collect("nickname", action="share")),
    ("经你授权，我们会向小游戏提供你的头像。", _collect("profile_photo", action="share")),
    # guards: a feature the first party runs receives nothing; display is no share
    ("我们会将你的昵称提供给朋友圈。", set()),
    ("我们会在小程序中向你展示你的昵称。", set()),
])
def test_a_feature_as_recipient_is_its_operator(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "recipient"), [
    ("我们不会向其他小程序共享你的微信号。", "mini_program_developer"),
    ("我们会将你的昵称提供给小程序。", "mini_program_developer"),
    ("我们会将你的昵称提供给小程序开发者。", "mini_program_developer"),  # guard: the named party itself
])
def test_the_recipient_feature_names_its_operator(extractor, sentence, recipient):  # noqa: F811
    block = BlockInput("paragraph", sentence, "", "zh", "weixin")
    assert {c.recipient for c in extractor.extract([block])[0].claims} == {recipient}


@pytest.mark.parametrize(("sentence", "expected"), [
    # a word ending in 后/前 (售后, 目前) closes no 在-frame: the object and its recipient stay readable
    ("我们会将你在小店的订单信息同步给提供售后服务的商家。", _collect("transaction_records", action="share")),
    ("我们会把你在商城的收货地址提供给负责售后的服务商。", _collect("postal_address", action="share")),
    # guards: a frame closed by 后 still is one
    ("在你授权后，我们会获取你的通讯录。", _collect("contacts")),
    ("你在注册后填写的邮箱地址将被上传。", _collect("email_address")),
])
def test_words_ending_in_a_closer_close_no_frame(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a data name starting inside a feature's name and ending after it: the feature's data of that type
    ("我们会获取你的微信运动数据。", _collect("health_data")),
    ("我们会获取你的微信支付信息。", _collect("payment_information")),
    ("经你授权，我们会读取你的微信运动数据并与第三方健康应用共享。",
     _collect("health_data") | _collect("health_data", action="share")),
    # guards: a feature alone is no data; a data name wholly inside a feature's name gives nothing
    ("我们会优化微信运动的排行榜。", set()),
    ("你可以使用企业微信联系人功能。", set()),
])
def test_data_named_across_a_features_end(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a demonstrative before a noun points back to the data named before whose name ends in it
    ("扫描时拍摄的人脸图像仅在本地比对，我们不会上传该图像。", _collect("face_data", negated=True)),
    ("我们会收集你的身份证照片，并加密存储上述照片。",
     _collect("government_id") | _collect("government_id", action="retain")),
    ("我们会收集你的手机号码，该号码仅用于登录。", _collect("phone_number") | _collect("phone_number", action="use")),
    # guards: the same name, or nothing named before, keeps the name's own type
    ("我们会收集你的照片，并加密存储该照片。",
     _collect("photos_and_videos") | _collect("photos_and_videos", action="retain")),
    ("我们不会保存该图像。", _collect("photos_and_videos", action="retain", negated=True)),
])
def test_a_demonstrative_points_back_to_the_data_named_before(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # 向其 + share verb: the party named before in the sentence receives the data
    ("我们选择了可靠的物流公司，并会向其提供你的收货地址。", _collect("postal_address", action="share")),
    ("我们接入了地图服务商的定位能力，并可能向其共享你的设备型号。", _collect("device_model", action="share")),
    # 为此 (for this) opens no purpose: the clause keeps its practice
    ("我们与物流公司合作，为此我们会向物流公司提供你的收货地址。", _collect("postal_address", action="share")),
    # guards: no party named before, and the user giving data, as before
    ("我们会向其提供你的手机号码。", set()),
    ("为了寄送商品，我们会收集你的收货地址。", _collect("postal_address")),
])
def test_a_pronoun_recipient_is_the_party_named_before(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # 仅用于 opening its clause states the use of the object of the predicate before it
    ("我们会收集你的邮箱地址，仅用于找回密码。", _collect("email_address") | _collect("email_address", action="use")),
    ("我们会获取你的设备型号，并仅用于适配屏幕。", _collect("device_model") | _collect("device_model", action="use")),
    # guards: a plain 用于 stays a purpose; a topic of its own keeps its reading
    ("我们会收集你的邮箱地址，用于找回密码。", _collect("email_address")),
    ("我们会收集你的邮箱地址，该信息仅用于找回密码。",
     _collect("email_address") | _collect("email_address", action="use")),
])
def test_only_for_after_a_comma_is_a_use_of_the_object_before(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a content noun's modifier forms a name with any content noun (文字, 文本, 内容 name the same)
    ("我们会收集你需要翻译的文字。", _collect("translation_text")),
    ("我们会上传你待翻译的内容。", _collect("translation_text")),
    # guards: no such name keeps the content type; records keep their own rule
    ("我们会收集你输入的文字。", _collect("user_content")),
    ("我们会收集你与客服的沟通记录。", _collect("customer_support_information")),
])
def test_content_nouns_are_alike(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a party inside an earlier clause (the object of 委托, tagged a noun by jieba) is no subject of a later one
    ("我们会委托快递公司配送商品，并向其提供你的收货地址。", _collect("postal_address", action="share")),
    # a 向-phrase of an earlier clause's own verb is no recipient of a later verb
    ("我们会委托短信服务商向你发送验证码，为此需要向其提供你的手机号码。", _collect("phone_number", action="share")),
    # guards: a party that is its clause's topic, or before a modal, stays the subject
    ("我们的合作伙伴，会收集你的设备型号。", _collect("device_model", actor="third_party")),
    ("我们委托的服务商可能会保存你的手机号码。", _collect("phone_number", actor="third_party", action="retain")),
    # 由其/被其: the later clause's agent refers back to the earlier clause's party, which does it
    ("我们会委托第三方服务商，由其收集你的位置信息。", _collect("location", actor="third_party")),
])
def test_an_earlier_clauses_object_is_no_subject_or_recipient(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("lead_in", "item", "expected"), [
    # a lead-in listing products or services of other parties (第三方SDK, 第三方服务) names no recipients
    ("我们接入的第三方SDK如下：", "推送SDK：用于消息推送；", set()),
    ("我们使用的第三方服务包括：", "地图服务商；", set()),
    ("我们接入的第三方SDK如下：", "地图SDK：可能收集你的位置信息；", _collect("location", actor="sdk_provider")),
    # guards: a list of recipients still gives the lead-in's sharing
    ("这些接收方类别包括：", "关联公司；", _collect("personal_information", action="share")),
    ("我们会向以下第三方共享你的信息：", "物流公司，用于配送商品；", _collect("personal_information", action="share")),
    # the label before the colon is the recipient 向其 stands for, not the subject
    ("我们可能会向以下第三方共享你的信息：", "支付机构：为完成支付，向其提供订单信息。",
     _collect("transaction_records", action="share")),
    ("我们可能会向以下合作方提供你的信息：", "快递公司：为完成配送，我们会向其提供你的收货地址；",
     _collect("postal_address", action="share")),
])
def test_list_items_under_party_lead_ins(extractor, lead_in, item, expected):  # noqa: F811
    assert _read(extractor, item, kind="list_item", lead_in=lead_in) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # 将 + 上述/前述/该等 (jieba tags 上述 a distinguishing word) + verb: a preposed object, not the modal 将
    ("我们会收集你的直播画面。我们会将上述信息用于内容审核。",
     _collect("personal_information") | _collect("personal_information", action="use")),
    ("我们会收集你的位置信息。我们将前述信息用于推荐。", _collect("location") | _collect("location", action="use")),
    # guard: 将 before 相应地 is the modal (我们将相应地转移……)
    ("我们将相应地转移你的信息给新的持有者。", _collect("personal_information", actor="weixin", action="transfer")),
])
def test_jiang_before_a_demonstrative_preposes_the_object(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a data name + a practice verb + a data noun is one compound noun (no predicate of the user giving data)
    ("我们会收集你的语音消息及语音输入内容。", _collect("voice_input")),
    ("我们会收集你的图片及图片上传记录。", _collect("photos_and_videos")),
    # a head noun ending an item is no operation (文字输入 is input text, not a record)
    ("我们会收集你的文字输入。", _collect("user_content")),
    # guards: a verb with an object of its own is a predicate; an operation stays a record
    ("你可以在聊天中输入文字。", set()),
    ("我们会收集你的点赞和评论。", _collect("interaction_events")),
])
def test_a_verb_inside_a_compound_noun(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a place complement ending in a facility (……的服务器) closes the verb's clause: no relative clause, no object
    ("你的手机号码将存储于中华人民共和国境内的服务器。", _collect("phone_number", action="retain")),
    ("你的头像将存储于我们的服务器。", _collect("profile_photo", action="retain")),
    # guards: a place before 的 + data is a relative clause; a locative keeps the old reading
    ("存储在服务器上的信息将被加密。", set()),
    ("你的聊天记录将保存于我们的服务器中。", _collect("chat_data", action="retain")),
])
def test_a_facility_ends_the_place_of_storage(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # 该/此 + a noun ending a party named before: that party is the subject
    ("当你使用微信登录第三方应用时，该应用可以获取你的头像。", _collect("profile_photo", actor="third_party_service")),
    ("我们会将你的订单信息提供给快递服务商，该服务商会保存你的收货地址。",
     _collect("transaction_records", action="share") | _collect("postal_address", actor="third_party",
                                                                 action="retain")),
    # guards: nothing named before, or a data noun after 该, keeps the first party
    ("该应用可以获取你的昵称。", _collect("nickname")),
    ("我们会收集你的昵称，该昵称会显示在你的主页。", _collect("nickname")),
])
def test_a_demonstrative_subject_is_the_party_named_before(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


def test_round13_dev_items(onto, extractor):  # noqa: F811
    """The round's constructed items (dev split) keep at least this round's score."""
    items = [i for i in load_gold([ROUND13]) if i.split == "dev"]
    assert len(items) == 46
    score = evaluate(None, onto, items).scores["dev"]["tuples"]
    assert score.fp <= 1 and score.fn <= 1, score
