"""zh-rules 2.20.0 (helper zh22) on the Chinese front end: other parties' practices stated beside ours, found on
Chinese translations of the WeChat Privacy Policy (tests/gold/claims_zh_translated2.yaml): a named party that
receives data (收到); the dropped subject of a clause continuing a party's predicate (并/但/且); a clause
opening with a party noun phrase before a modal ends a condition; 其 + party noun (its operator); makers and
suppliers as party nouns; 由其 V after the party it refers to; a practice verb inside a party's name (支付处理
合作方) and 代表我们 (on our behalf); the object of an ordering verb in an earlier clause is no subject (我们不委托
第三方，而是自行收集); a table row under a lead-in about storage periods whose header has a purpose column. Short
sentences written for the test (not from the Weixin text, the gold sets or any policy block)."""

from __future__ import annotations

import pytest

from tests.claims.test_chinese import extractor  # noqa: F401 (fixture)
from tests.claims.test_chinese_conventions import _collect, _read


@pytest.mark.parametrize(("sentence", "expected"), [
    # 收到 states a practice only of a named party (as 查看: ``party_verbs``)
    ("商家会收到你的收货地址。", _collect("postal_address", actor="third_party")),
    ("短信服务商会收到你的手机号码。", _collect("phone_number", actor="sms_provider")),
    ("我们会收到你的位置信息。", _collect("location")),
    # guards: the user receiving, a receipt inside a time clause, receiving from another source
    ("你会收到我们发送的通知。", set()),
    ("我们将在收到你的投诉后的十五天内予以回复。", set()),
    ("我们不会从第三方收到你的通讯录。", set()),
    # 接收 is no party verb: joined to 保存 after a source it would take the 保存 with it (从……获取并保存 states
    # nothing, as collection from another source is no claim)
    ("我们可能会从合作方处接收并保存你的订单信息。", _collect("transaction_records", action="retain")),
])
def test_a_named_party_receives_data(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # 并/但 opening a clause without a subject continue the predicate of the party before (Li & Thompson 1981,
    # ch. 24, topic chains), also over a purpose clause
    ("商家会获取你的收货地址，以便为你发货，并处理这些信息。",
     _collect("postal_address", actor="third_party") | _collect("postal_address", actor="third_party",
                                                                 action="process")),
    ("商家会收到你的收货地址，但不会收到你的手机号码。",
     _collect("postal_address", actor="third_party") | _collect("phone_number", actor="third_party", negated=True)),
    # guards: a continuing clause after "we", a clause with its own subject
    ("我们会收集你的手机号码，并处理这些信息。", _collect("phone_number") | _collect("phone_number", action="process")),
    ("商家会获取你的收货地址，我们会处理这些信息。",
     _collect("postal_address", actor="third_party") | _collect("postal_address", action="process")),
])
def test_a_continuing_clause_keeps_the_partys_subject(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a party noun phrase before a modal opens a clause of its own: the condition before it ends there
    ("如果你绑定智能设备，设备制造商可能会获取你的设备标识符。", _collect("device_identifier", actor="third_party")),
    ("如果你绑定智能设备，商家可能会获取你的设备标识符。", _collect("device_identifier", actor="third_party")),
    ("如果你授权公众号获取你的位置信息，其运营者会收到你的位置信息。", _collect("location", actor="third_party")),
    ("该设备的制造商可能会获取你的设备标识符。", _collect("device_identifier", actor="third_party")),
    ("视频号创作者可以查看你的评论。", _collect("interaction_events", actor="third_party")),
    # an entity's name after a modifier, 该 + a feature noun, 该 + a feature's name also open a clause of their own
    ("如你选择使用微信登录第三方应用，该应用将获得你的昵称和头像。",
     _collect("nickname", "profile_photo", actor="third_party_service")),
    ("如你选择使用微信登录第三方应用，该应用的开发者将获得你的昵称。",
     _collect("nickname", actor="mini_program_developer")),
    ("如果你使用小程序，该小程序可能会获取你的位置信息。", _collect("location", actor="mini_program_developer")),
    ("该小程序可能会获取你的位置信息。", _collect("location", actor="mini_program_developer")),
    # a later clause opening with a party noun phrase names its own subject, not the earlier 我们
    ("我们会将你的手机号码提供给快递公司，快递公司会使用该信息。",
     _collect("phone_number", action="share") | _collect("phone_number", actor="third_party", action="use")),
    # guards: a preposition before the party noun, the practice inside the condition
    ("如果你向商家提供你的地址，我们会收集你的手机号码。", _collect("phone_number")),
    ("如果商家获取你的地址，请及时联系我们。", set()),
])
def test_a_party_noun_subject_after_a_condition(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # 由其 V: 其 is the party named right before (an entity, else a party noun phrase)
    ("你的个人信息可能由我们转移给集团公司并由其处理。",
     _collect("personal_information", action="transfer") | _collect("personal_information", actor="tencent_group",
                                                                     action="process")),
    ("我们会将你的订单信息提供给快递公司，并由其负责处理你的收货地址。",
     _collect("transaction_records", action="share") | _collect("postal_address", actor="third_party",
                                                                 action="process")),
    # guard: no party before 其, the first party stays
    ("我们会收集你的信息并由其处理。",
     _collect("personal_information") | _collect("personal_information", action="process")),
])
def test_the_agent_of_you_qi(extractor, sentence, expected):  # noqa: F811
    got = _read(extractor, sentence)
    assert {(a, b, c, d) for a, b, c, d in got if b != "share"} == \
        {(a, b, c, d) for a, b, c, d in expected if b != "share"}


@pytest.mark.parametrize(("sentence", "expected"), [
    # a practice verb right before a party noun and a modal names the party (PolicyLint's entity phrases)
    ("我们的支付处理合作方会代表我们获取你的银行卡号。", _collect("payment_card", actor="third_party")),
    ("数据存储服务商会保存你的聊天记录。", _collect("chat_data", actor="third_party", action="retain")),
    # 代表我们: on our behalf, not the subject
    ("服务商会代表我们收集你的手机号码。", _collect("phone_number", actor="third_party")),
    # guards: 我们的 + a department is "we"; a hedge with 不代表 states nothing
    ("我们的客服部门会收集你的手机号码。", _collect("phone_number")),
    ("我们获得敏感权限并不代表我们必然会收集你的相关信息。", set()),
])
def test_party_names_holding_a_verb(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # the object of 委托 (jieba tags it a noun) in an earlier clause is no subject of a later one
    ("我们不委托第三方，而是自行收集你的位置信息。", _collect("location")),
    ("我们不会委托合作方，而是自行保存你的聊天记录。", _collect("chat_data", action="retain")),
    # the ordered party acts in the order's own clause, and where 由其 points back to it (a party noun: 服务商)
    ("我们会委托第三方收集你的设备信息。", _collect("device_information", actor="third_party")),
    ("我们会委托服务商，由其收集你的手机号码。", _collect("phone_number", actor="third_party")),
])
def test_the_object_of_an_order_is_no_later_subject(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


_HEADER = ("信息", "处理目的", "保存期限")
_LEAD = "有关我们保留你的信息的期限详情，请参阅下文所列的保存期限。"


@pytest.mark.parametrize(("cells", "expected"), [
    # under a lead-in about storage periods, the header with a purpose column still decides: collect and retain
    (("通讯录。你设备上的通讯录。", "帮助你与其他用户建立联系。", "直至你的账号被删除。"),
     _collect("contacts") | _collect("contacts", action="retain")),
    # a retention cell that denies storage: the retain is negated
    (("访问令牌。用于关联账号的访问令牌。", "便于你登录。", "我们不会存储该信息。"),
     _collect("access_token") | _collect("access_token", action="retain", negated=True)),
])
def test_a_table_under_a_storage_lead_in(extractor, cells, expected):  # noqa: F811
    assert _read(extractor, " | ".join(cells), "table_row", _LEAD, _HEADER, cells) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # Chinese names of the ontology's English synonyms: battery readings, a list of group chats, a token
    ("我们会收集你的设备型号和电池状态。", _collect("device_model", "device_information")),
    ("我们会收集你的微信群聊列表。", _collect("group_chat_information")),
    ("我们会向银行提供Facebook Connect令牌。", _collect("access_token", action="share")),
])
def test_zh_names_of_english_synonyms(extractor, sentence, expected):  # noqa: F811
    assert {t[:4] for t in _read(extractor, sentence)} == expected


def test_a_header_without_purpose_under_a_storage_lead_in_retains(extractor):  # noqa: F811
    cells = ("手机号码", "《某法》")
    assert _read(extractor, " | ".join(cells), "table_row", _LEAD, ("信息", "相关法律"), cells) == \
        _collect("phone_number", action="retain")

