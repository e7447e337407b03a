"""Issue 9, round 3, Chinese front end: mechanisms for text it was not built on - parties named by a party noun
as the subject (商家可以获取……), recipients behind a relative clause (向提供……服务的第三方机构提供), other users'
access as display, verbs inside a table's data cell, ；-separated items completing a colon lead-in, time clauses
without 当, anaphors and light verbs in an object, manner adverbs in a verb group, negative instructions and the
ontology's new Chinese synonyms. Each pattern on short sentences that state it, and the rights chapter of the
real guidelines (instructions state no practice)."""

from __future__ import annotations

import pytest

from tests.claims.test_chinese import extractor, weixin  # noqa: F401 (fixtures)
from tests.claims.test_chinese_generalization import _read


def _facts(claims) -> set[tuple]:
    return {(c.actor, c.action, c.negated, c.data_type) for c in claims}


@pytest.mark.parametrize(("sentence", "expected"), [
    ("商家可以获取你的收货地址。", {("third_party", "collect", False, "postal_address")}),
    ("平台内的商户可以查看你的订单信息。", {("third_party", "collect", False, "transaction_records")}),
    ("快递公司会获取你的收货地址。", {("third_party", "collect", False, "postal_address")}),  # 快递 tagged a verb
    ("合作的地图服务商会获取你的精确位置。", {("location_provider", "collect", False, "precise_location")}),
    ("我们的客服部门可以查看你的反馈内容。", {("weixin", "collect", False, "customer_support_information")}),
    ("我们会向商家提供你的手机号码。", {("weixin", "share", False, "phone_number")}),  # governed: a recipient
    ("你可以查看你的订单信息。", set()),  # the user
])
def test_a_party_noun_opening_the_clause_is_its_subject(extractor, sentence, expected):  # noqa: F811
    """PoliGraph's entity phrases (Cui et al. 2023) include parties the ontology does not name: a noun phrase
    ending in a party noun (商家, 商户, 服务商, 公司 ...) before the modal is the subject of 获取/查看/访问."""
    assert _facts(_read(extractor, sentence)) == expected


@pytest.mark.parametrize("sentence", ["其他用户可以访问你公开发布的内容。", "你的好友可以获取你的昵称。",
                                      "群成员可以查看你的群昵称。"])
def test_what_other_users_see_is_display(extractor, sentence):  # noqa: F811
    """README conventions: display to other users (其他用户可以查看) states no practice, whatever the verb."""
    assert _read(extractor, sentence) == []


@pytest.mark.parametrize(("sentence", "data_type", "negated"), [
    ("我们会向提供身份核验服务的第三方机构提供你的姓名。", "name", False),
    ("我们仅会向与我们签署了严格保密协议的合作伙伴共享必要的信息。", "personal_information", False),
    ("我们会将你的手机号码提供给为我们提供短信服务的服务商。", "phone_number", False),
    ("我们不会向任何未经你授权的第三方出售你的个人信息。", "personal_information", True),
])
def test_the_recipient_is_the_head_after_a_relative_clause(extractor, sentence, data_type, negated):  # noqa: F811
    """向/给 X 提供 with X = [relative clause]的 head: the head is the recipient, the parties and verbs of the
    relative clause are neither subject nor recipient (我们 in 与我们签署了……的合作伙伴)."""
    claims = _read(extractor, sentence)
    assert {(c.actor, c.action, c.negated, c.data_type, c.recipient) for c in claims} == {
        ("weixin", "share", negated, data_type, "third_party")}


def test_verbs_inside_a_table_data_cell_name_data(extractor):  # noqa: F811
    """应用使用时长 is a record named by its operation, not a use: the header states the row's practice."""
    header = ("个人信息类型", "使用目的", "保存期限")
    cells = ("应用使用时长、页面访问记录", "统计分析与产品优化", "12个月")
    claims = _read(extractor, " | ".join(cells), kind="table_row", header=header, cells=cells)
    assert {(c.action, c.data_type) for c in claims} == {
        (a, t) for a in ("collect", "retain") for t in ("usage_data", "viewing_history")}


def test_semicolon_items_complete_a_colon_lead_in_until_the_full_stop(extractor):  # noqa: F811
    text = ("我们会收集以下信息：设备信息，包括设备型号、操作系统版本；网络信息，包括IP地址、网络类型；位置信息。"
            "我们会使用你的昵称。另外，你可以设置头像。")
    claims = _read(extractor, text)
    collected = {c.data_type for c in claims if c.action == "collect"}
    assert collected == {"device_information", "device_model", "os_version", "network_information", "ip_address",
                         "network_type", "location"}
    assert {(c.action, c.data_type) for c in claims if c.action != "collect"} == {("use", "nickname")}
    assert ("location", "lexicon") in {(c.data_type, c.data_basis) for c in claims}  # 位置信息。 without its 。
    # the exceptions of a disclosure are cases, not data: the list mechanism needs a data lead-in
    cases = _read(extractor, "我们会在以下情形中公开披露你的个人信息：获得你的明确同意后；基于法律法规的要求。")
    assert {c.data_type for c in cases} == {"personal_information"}


@pytest.mark.parametrize(("sentence", "expected", "context"), [
    ("使用朋友圈时，我们会存储你发布的照片。", {("weixin", "retain", False, "photos_and_videos")}, "moments"),
    ("你使用朋友圈时，需要提供你的手机号码。", {("weixin", "collect", False, "phone_number")}, "moments"),
    ("你开启个性化广告后，我们会使用你的兴趣标签。", {("weixin", "use", False, "inferred_interests")}, "advertising"),
])
def test_a_time_clause_without_dang_is_a_condition(extractor, sentence, expected, context):  # noqa: F811
    """Chinese drops 当: a comma clause ending in 时/后 before the main clause is its condition (its verb is no
    practice, its feature the context)."""
    claims = _read(extractor, sentence)
    assert _facts(claims) == expected and {c.context for c in claims} == {context}


@pytest.mark.parametrize(("sentence", "expected"), [
    ("我们会收集你的设备信息并使用该信息进行安全风控。",
     {("weixin", a, False, "device_information") for a in ("collect", "use")}),  # 该信息 = the data before
    ("我们将收集并加密存储你的聊天记录。", {("weixin", a, False, "chat_data") for a in ("collect", "retain")}),
    ("关闭后我们将不再使用你的浏览记录为你推荐内容。", {("weixin", "use", True, "viewing_history")}),  # 为你: for whom
    ("请勿向他人提供你的验证码。", set()),  # a negative instruction, no data given
])
def test_objects_and_verb_groups(extractor, sentence, expected):  # noqa: F811
    assert _facts(_read(extractor, sentence)) == expected


@pytest.mark.parametrize(("sentence", "data_type"), [
    ("我们会收集你上传的截图。", "photos_and_videos"),
    ("我们会收集你提交的问题描述。", "customer_support_information"),
    ("我们会收集你的学历。", "education_information"),
    ("我们会收集你的婚姻状况。", "demographic_information"),
    ("我们会收集你的行驶轨迹。", "location"),
    ("我们会收集你的骑行轨迹。", "location"),  # head noun 轨迹 (lexicon.yaml head_nouns)
    ("我们会收集你的人脸照片。", "face_data"),
])
def test_chinese_synonyms_by_meaning(extractor, sentence, data_type):  # noqa: F811
    """Words of PIPL-era policies the ontology lacked (from `unmapped_data_phrases` and the meaning of the
    ontology's concepts), not typed personal_information any more."""
    assert {c.data_type for c in _read(extractor, sentence)} == {data_type}


def test_the_rights_chapter_states_only_the_deletion_note(weixin):  # noqa: F811
    """Chapter 5 of the guidelines is instructions (查阅、删除、更正、关闭 ... and their UI steps): the only practices
    it states are the note on account deletion (留存你的相关信息; 匿名化处理你的个人信息)."""
    rows = weixin.execute("select c.action, c.data_type from claims c join blocks b using (block_id) "
                          "where b.section_path like '5.%'").fetchall()
    assert sorted(rows) == [("process", "personal_information"), ("retain", "personal_information")]
