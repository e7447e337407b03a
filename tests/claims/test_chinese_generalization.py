"""Issue 9 on the Chinese front end: no data phrase dropped, coordinated verbs, retention rows, hand-off to a
party's own terms, conditions and subgroups - on the real Weixin guidelines, then on sentences and rows it was not
built on."""

from __future__ import annotations

import pytest

from policycheck.claims.chinese import tables
from policycheck.claims.chinese.lexicon import load_grammar
from policycheck.claims.model import BlockInput
from policycheck.errors import PolicycheckError
from tests.claims.test_chinese import _claims, _tuples, extractor, weixin  # noqa: F401 (fixtures)

GRAMMAR = load_grammar()


def _read(extractor, text: str, kind: str = "paragraph", lead_in: str | None = None, section: str = "",  # noqa: F811
          header: tuple[str, ...] | None = None, cells: tuple[str, ...] | None = None):
    block = BlockInput(kind, text, section, "zh", "weixin", lead_in, header, cells)
    return extractor.extract([block])[0].claims


# ---------------------------------------------------------------------------------------- on the guidelines
def test_unmapped_items_are_kept_with_their_basis(weixin):  # noqa: F811
    """1.28 lists 历史铃声 and 朋友铃声数据, which the ontology does not know, beside operations (视频号浏览, 互动):
    nothing is dropped, and data_basis says how each type was found."""
    claims = [c for c in _claims(weixin, "1.28") if c["action"] == "collect"]
    by_text = {c["data_text"]: (c["data_type"], c["data_basis"]) for c in claims}
    assert by_text["你的视频号浏览"] == ("viewing_history", "head_word")  # an operation: its record
    assert by_text["互动"] == ("interaction_events", "head_word")
    assert by_text["历史铃声"] == ("personal_information", "fallback")  # nothing known: the root
    assert {c["data_basis"] for c in claims} <= {"lexicon", "head_word", "fallback"}
    # 1.4: 图片特征信息 is typed by the data name in its modifier; 1.32: 地址 is a concept of its own now
    assert ("photos_and_videos", "head_word") in {(c["data_type"], c["data_basis"]) for c in _claims(weixin, "1.4")
                                                  if c["action"] == "retain"}
    assert "postal_address" in {c["data_type"] for c in _claims(weixin, "1.32")}


def test_bare_operations_are_data_only_where_data_is_expected(weixin):  # noqa: F811
    """1.16 collects 关注、点赞、收藏（星标）…: records of those activities (收藏 as an operation is an interaction,
    not favorites; 打赏 a record of its own); 1.17 only shows likes to users (no practice verb), so its 点赞 gives
    nothing."""
    types = {c["data_type"] for c in _claims(weixin, "1.16", first_block=True) if c["action"] == "collect"}
    assert {"usage_data", "interaction_events", "viewing_history", "mini_program_usage"} <= types
    assert "favorites" not in types
    assert _claims(weixin, "1.17") == []


def test_coordinated_verbs_yield_every_action(weixin):  # noqa: F811
    actions = {c["action"] for c in _claims(weixin, "1.1", first_block=True) if c["data_type"] == "nickname"}
    assert actions == {"collect", "use"}  # 收集、使用
    actions = {c["action"] for c in _claims(weixin, "1.3") if c["data_type"] == "friend_list"}
    assert {"collect", "retain"} <= actions  # 上传并存储
    assert "retain" in {c["action"] for c in _claims(weixin, "1.4")}  # 生成、存储图片特征信息: 生成 is no practice


def test_retention_rows_retain(weixin):  # noqa: F811
    """2.2 信息存储的期限: the rows 手机号码：… and 朋友圈信息：… retain their data, and nothing there is collected."""
    claims = _claims(weixin, "2.2")
    assert {("retain", "phone_number"), ("retain", "moments_posts")} <= {(c["action"], c["data_type"]) for c in claims}
    assert "collect" not in {c["action"] for c in claims}
    rows = weixin.execute("select kind, text, section_path, lead_in from blocks where text like '%：%' and "
                          "split_part(section_path, ' > ', -1) = '2.2'").fetchall()
    plans = [tables.plan(BlockInput(k, t, p, "zh", "weixin", lead), GRAMMAR) for k, t, p, lead in rows]
    assert [p.actions for p in plans if p is not None] == [("retain",), ("retain",)]  # decided by the lead-in, per row


def test_tenpay_collection_in_weixin_pay_is_handed_to_tenpay(weixin):  # noqa: F811
    """1.13: 财付通 provides Weixin Pay and names its own privacy policy, so its collection there is excluded."""
    claims = _claims(weixin, "1.13")
    tenpay = [c for c in claims if c["actor"] == "weixin_pay"]
    assert {"name", "government_id", "payment_card", "transaction_records"} <= {c["data_type"] for c in tenpay}
    assert {(c["scope"], c["context"]) for c in tenpay} == {("excluded", "payments")}
    assert all(c["actor"] == "weixin_pay" for c in claims)
    # 1.14: the enterprise collects under WeCom interop, but the paragraph names no terms of its own: in scope
    assert {c["scope"] for c in _claims(weixin, "1.14")} == {"in_scope"}


def test_denials_keep_their_conditions(weixin):  # noqa: F811
    """A denial with 除非…, 主动 or a consent condition is never stored as an unconditional denial."""
    assert [c["condition"] for c in _claims(weixin, "4.2")] == ["除非你明确授权"]  # the condition closes the sentence
    intro = weixin.execute("select condition from claims where negated and sentence like '3.我们不会主动共享%'"
                           ).fetchall()
    assert intro and all(condition == "主动" for condition, in intro)
    unconditional = weixin.execute("select distinct data_type from claims where negated and condition is null "
                                   "and scope = 'in_scope' and action = 'collect'").fetchall()
    assert {t for t, in unconditional} <= {"chat_data", "clipboard", "personal_information"}  # 1.35, 1.43, 1.36


# ---------------------------------------------------------------------------------------- text it was not built on
@pytest.mark.parametrize(("sentence", "expected"), [
    ("我们会收集你的鞋码和睡眠时长。", {("collect", "personal_information", "fallback")}),
    ("我们会收集你的点赞、评论和关注。", {("collect", "interaction_events", "head_word")}),
    ("我们会收集你的浏览和搜索。", {("collect", "viewing_history", "head_word"),
                                   ("collect", "search_history", "head_word")}),
    ("我们会收集你的收货地址和车牌号码。", {("collect", "postal_address", "lexicon"),
                                           ("collect", "identifier", "head_word")}),  # 号码: 手机号码, QQ号码 ...
    ("我们会保存你的手机号码的归属地。", {("retain", "phone_number", "head_word")}),  # an attribute of named data
    ("我们会获取你的授权并使用你的摄像头。", set()),  # no data: 授权, 摄像头 alone after 使用
])
def test_unknown_items_typed_by_their_head_word(extractor, sentence, expected):  # noqa: F811
    assert {(c.action, c.data_type, c.data_basis) for c in _read(extractor, sentence)} == expected


@pytest.mark.parametrize(("sentence", "actions"), [
    ("我们会收集、存储、使用你的搜索记录。", {"collect", "retain", "use"}),
    ("我们会收集和使用你的位置信息。", {"collect", "use"}),
    ("你的位置信息将被收集、使用。", {"collect", "use"}),
    ("我们会使用并共享你的设备型号给第三方。", {"use", "share"}),
    ("我们会将你的昵称提供给开发者。", {"share"}),
    ("我们会保存并处理你的聊天记录。", {"retain", "process"}),
])
def test_coordinated_verbs_on_new_sentences(extractor, sentence, actions):  # noqa: F811
    assert {c.action for c in _read(extractor, sentence)} == actions


def test_retention_depends_on_the_header_or_lead_in(extractor):  # noqa: F811
    cells = ("手机号码、设备型号", "用于账号注册", "账号注销后删除")
    text = " | ".join(cells)
    retained = _read(extractor, text, "table_row", header=("个人信息类型", "保存期限"), cells=cells[::2])
    assert {(c.action, c.data_type) for c in retained} == {("retain", "phone_number"), ("retain", "device_model")}
    both = _read(extractor, text, "table_row", header=("个人信息类型", "使用目的", "保存期限"), cells=cells)
    assert {c.action for c in both} == {"collect", "retain"}  # collected for a purpose, kept for a period
    listed = _read(extractor, text, "table_row", header=("个人信息类型", "使用目的", "使用场景"), cells=cells)
    assert {c.action for c in listed} == {"collect"}  # a collection list, same row
    row = "搜索记录：我们会在你删除后及时清除。"
    assert {(c.action, c.data_type) for c in _read(extractor, row, lead_in="3.2 个人信息的保存期限")} == {
        ("retain", "search_history")}
    assert _read(extractor, row, lead_in="3.2 搜索功能") == []  # the same row under another lead-in states nothing
    assert {(c.action, c.data_type) for c in _read(extractor, "你的搜索记录的保存期限为30天。")} == {
        ("retain", "search_history")}


def test_party_under_its_own_terms_is_excluded(extractor):  # noqa: F811
    text = ("当你使用微信支付时，财付通公司会收集你的银行卡号。如需了解更多，请查阅《财付通隐私政策》。")
    claims = _read(extractor, text)
    assert [(c.actor, c.scope, c.context, c.data_type) for c in claims] == [
        ("weixin_pay", "excluded", "payments", "payment_card")]
    plain = _read(extractor, "当你使用微信支付时，财付通公司会收集你的银行卡号。")
    assert [c.scope for c in plain] == ["in_scope"]  # no own terms named: stays in scope


@pytest.mark.parametrize(("sentence", "condition", "subject"), [
    ("我们不会收集14周岁以下儿童的个人信息。", None, "children"),
    ("若你是未成年人，我们会在取得你的监护人同意后收集你的手机号码。", "若你是未成年人 在取得你的监护人同意后",
     "children"),
    ("未经你的明示同意，我们不会向第三方提供你的位置信息。", "未经你的明示同意", None),
    ("我们不会在未经你同意的情况下收集你的通讯录。", "在未经你同意的情况下", None),
    ("我们不会未经你同意收集你的通讯录。", "未经你同意", None),
    ("对于不满十四周岁的用户，我们不会收集其手机号码。", None, "children"),
    ("我们不会向第三方共享你的个人信息，但法律法规另有规定的除外。", "法律法规另有规定的除外", None),
    ("我们不会向合作伙伴提供你的设备信息，除非你明确授权。", "除非你明确授权", None),
    ("我们不会主动收集你的通讯录。", "主动", None),
    ("我们不会收集你的通讯录。", None, None),  # an unconditional denial stays one
    ("特别地，若你是14周岁以下的儿童，请阅读《儿童隐私保护声明》。", None, None),  # no practice
])
def test_conditions_and_subgroups(extractor, sentence, condition, subject):  # noqa: F811
    claims = _read(extractor, sentence)
    if "请阅读" in sentence:
        assert claims == []
        return
    assert claims and {(c.condition, c.data_subject) for c in claims} == {(condition, subject)}


def test_children_in_a_title_restrict_nothing(extractor):  # noqa: F811
    claims = _read(extractor, "我们会依据《儿童隐私保护声明》收集你的昵称。")
    assert [(c.data_type, c.data_subject) for c in claims] == [("nickname", None)]


def test_a_misspelt_grammar_list_is_refused_with_its_line(tmp_path):
    """lexicon.yaml is typed: a misspelt list name is an error naming the file and line, not a rule silently off."""
    text = load_grammar.__defaults__[0].read_text(encoding="utf-8").replace("\nqualifiers:", "\nqualifierz:")
    path = tmp_path / "lexicon.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicycheckError) as error:
        load_grammar(path)
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if row.startswith("qualifierz:"))
    assert str(error.value).startswith(f"{path}:{line}:") and "qualifierz" in str(error.value)
