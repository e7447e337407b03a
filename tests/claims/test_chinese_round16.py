"""Issue 9, round 16, on the Chinese front end: a party's own refusal, coordinated subjects, a demonstrative + party
noun, the party the user granted data to, and data displayed to a named party, each on short sentences written for
the test that state the pattern (not from the Weixin text or the gold sets), beside guards that keep each rule from
reaching too far; and the dev split of tests/gold/claims_zh_round16.yaml (its check split is scored at the start and
the end, in aggregate, and not asserted here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policycheck.claims.evaluate import evaluate, load_gold
from tests.claims.test_chinese import extractor  # noqa: F401 (fixture)
from tests.claims.test_chinese_conventions import _collect, _read

ROUND16 = Path(__file__).resolve().parents[1] / "gold" / "claims_zh_round16.yaml"


@pytest.mark.parametrize(("sentence", "expected"), [
    # a party's own refusal denies its practice, as 不会 does
    ("我们会拒绝向未经授权的机构提供你的手机号码。", _collect("phone_number", action="share", negated=True)),
    ("我们将拒绝收集你的通讯录。", _collect("contacts", negated=True)),
    ("商家会拒绝收集你的通讯录。", _collect("contacts", actor="third_party", negated=True)),
    ("商家会拒绝向其他机构提供你的收货地址。",
     _collect("postal_address", actor="third_party", action="share", negated=True)),
    # guards: the user's refusal (also with us named between), a refusal of something else, a plain practice
    ("你可以拒绝向我们提供你的职业信息。", set()),
    ("你有权拒绝微信向合作方提供你的设备型号。", set()),
    ("我们会拒绝你的请求，并向合作方提供你的设备型号。", _collect("device_model", action="share")),
    ("我们会向合作方提供你的设备型号。", _collect("device_model", action="share")),
])
def test_a_partys_own_refusal(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # every conjunct of a coordinated subject states the practice
    ("我们和第三方都会收集你的设备型号。", _collect("device_model") | _collect("device_model", actor="third_party")),
    ("商家及我们均可能使用你的收货地址。",
     _collect("postal_address", action="use") | _collect("postal_address", actor="third_party", action="use")),
    ("我们与合作方都不会收集你的通讯录。",
     _collect("contacts", negated=True) | _collect("contacts", actor="third_party", negated=True)),
    ("我们及我们的关联公司会保存你的设备型号。",
     _collect("device_model", action="retain") | _collect("device_model", actor="tencent_group", action="retain")),
    # guards: 与/和 X right before the verb is its partner or recipient; a clause opening with 我们会; the user
    ("我们与合作方共享你的设备型号。", _collect("device_model", action="share")),
    ("我们会与合作方共享你的设备型号。", _collect("device_model", action="share")),
    ("我们和你都可以修改你的昵称。", set()),
])
def test_coordinated_subjects(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a demonstrative + a party noun is the party named before it, else a third party, never "we"
    ("该平台会向我们提供你的交易记录。", _collect("transaction_records", actor="third_party", action="share")),
    ("当你通过其他购物平台下单时，此平台会向我们提供你的收货地址。",
     _collect("postal_address", actor="third_party", action="share")),
    ("这家公司会收集你的设备型号。", _collect("device_model", actor="third_party")),
    # guards: a bare 平台 in a platform's own text, a feature noun pointing back to our own feature
    ("平台会收集你的设备型号。", _collect("device_model")),
    ("你可以使用视频号，该功能会收集你的设备型号。", _collect("device_model")),
])
def test_a_demonstrative_party(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # data the user granted or gave to a party, as the topic, is that party's to use
    ("你授权给小程序的手机号码仅用于登录。", _collect("phone_number", actor="mini_program_developer", action="use")),
    ("你提供给商家的收货地址仅用于配送。", _collect("postal_address", actor="third_party", action="use")),
    ("你向服务商提供的手机号码会被其保存。", _collect("phone_number", actor="third_party", action="retain")),
    # 用于 + one noun ending the clause names a purpose, not a compound noun
    ("你的生日仅用于身份验证。", _collect("date_of_birth", action="use")),
    # the grant phrase is a relative clause of the data: no practice of its own
    ("你向我们提供的生日会被保存。", _collect("date_of_birth", action="retain")),
    # guards: granted to us, no grantee, another subject after a comma
    ("你授权给我们的手机号码仅用于登录。", _collect("phone_number", action="use")),
    ("你提供的收货地址仅用于配送。", _collect("postal_address", action="use")),
    ("你授权给小程序的手机号码，我们会使用。", _collect("phone_number", action="use")),
])
def test_the_grantee_uses_the_data(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a named party that asks the user to give data collects it
    ("开发者可能会要求你填写你的邮箱。", _collect("email_address", actor="mini_program_developer")),
    ("商家可能需要你填写收货地址。", _collect("postal_address", actor="third_party")),
    # guards: we ask, nobody named asks, the user asks us
    ("我们需要你提供你的邮箱。", _collect("email_address")),
    ("为了完成注册，需要你提供你的邮箱。", _collect("email_address")),
    ("你可以要求我们提供你的信息副本。", set()),
])
def test_the_party_asking_collects(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # data displayed to a named party is obtained by it, as with 查看/看到
    ("我们会将你的昵称展示给商家。", _collect("nickname", actor="third_party")),
    ("我们会向开发者显示你的头像。", _collect("profile_photo", actor="mini_program_developer")),
    ("你的手机号码会展示给负责配送的物流公司。", _collect("phone_number", actor="third_party")),
    ("商家可以看到你的昵称。", _collect("nickname", actor="third_party")),
    ("我们不会将你的手机号码展示给商家。", _collect("phone_number", actor="third_party", negated=True)),
    # guards: to the user, to other users, in public, to nobody named
    ("我们会向你展示你的昵称。", set()),
    ("我们会将你的昵称展示给其他用户。", set()),
    ("我们会将你的昵称展示给群聊中的其他用户。", set()),
    ("我们会公开展示你的昵称。", set()),
    ("我们会在页面中展示你的昵称。", set()),
])
def test_data_displayed_to_a_party(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


def test_round16_dev_items(onto, extractor):  # noqa: F811
    """The round's constructed items (dev split) keep at least this round's score (one miss left: a passive agent
    由该应用 pointing back to a feature)."""
    items = [i for i in load_gold([ROUND16]) if i.split == "dev"]
    assert len(items) == 20
    score = evaluate(None, onto, items).scores["dev"]["tuples"]
    assert score.fp <= 0 and score.fn <= 1, score
