"""zh-rules 2.22.0 (helper zh23) on the Chinese front end: the precision and recall shapes review8 and zh22 found on
constructed text: a serial verb after a data head noun (使用你的登录次数改进服务); data sent to us by nobody named
(消息草稿不会发送给我们: a negated collection, not a share to ourselves); a request to us with a legal basis or by an
authority (监管机构可能会依法要求我们提供); a clause-sized compound noun as the topic of the next clause (预约信息，
我们会保存……); 从第三方获取并存储 (the joined verb keeps its practice); 该功能 after 由Y提供 (the provider); purpose
cells of a table row that state our practice; the subject of a clause reported to the user (我们会提示你该小程序
将获取……). Short sentences written for the test (not from the Weixin text, the gold sets or any policy block)."""

from __future__ import annotations

import pytest

from tests.claims.test_chinese import extractor  # noqa: F401 (fixture)
from tests.claims.test_chinese_conventions import _collect, _read


@pytest.mark.parametrize(("sentence", "expected"), [
    # V1 O V2 O2 (Li & Thompson 1981, ch. 21): the object of 使用 ends before the second verb
    ("我们会使用你的登录次数改进服务。", _collect("login_data", action="use")),
    ("我们会使用你的应用使用次数改进服务。", _collect("usage_data", action="use")),
    ("我们会使用你的登录次数改进我们的服务。", _collect("login_data", action="use")),
    # guards: a verb inside a compound before a head noun, a compound ending the clause
    ("我们会收集你的应用运行日志。", _collect("log_data")),
    ("我们会收集你的软件使用次数和登录时间。", _collect("usage_data", "login_data")),
    ("我们会使用你的设备信息改进服务。", _collect("device_information", action="use")),
])
def test_a_serial_verb_ends_the_object(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # what is sent to us, by nobody named, is our collection (as 上传至我们的服务器)
    ("你的消息草稿仅保存在你的设备上，不会发送给我们。", _collect("personal_information", negated=True)),
    ("你的聊天记录不会被发送给我们。", _collect("chat_data", negated=True)),
    ("设备会将你的步数发送给我们。", _collect("health_data")),
    # guards: a share to another party; a party sending to us (its subject before 会将) is its share, not our
    # collection
    ("我们会将你的位置信息发送给商家。", _collect("location", action="share")),
    ("商家会将你的订单信息提供给我们。", _collect("transaction_records", actor="third_party", action="share")),
    ("合作方会将你的设备信息提供给我们。", _collect("device_information", actor="third_party", action="share")),
])
def test_data_sent_to_us(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a legal requirement on us (claims_zh_translated2.yaml's convention) is our disclosure
    ("监管机构可能会依法要求我们提供你的个人信息。", _collect("personal_information", action="share")),
    ("政府部门可能会要求我们披露你的个人信息。", _collect("personal_information", action="share")),
    ("我们可能会应监管机构的要求提供你的个人信息。", _collect("personal_information", action="share")),
    # guards: another party's request, the user's right to request, at the user's request
    ("我们可能会应你的要求提供你的个人信息。", set()),
    ("广告主可能会要求我们共享你的设备信息。", set()),
    ("你有权要求我们删除你的个人信息。", set()),
    ("你可以依法要求我们更正你的个人信息。", set()),
])
def test_a_legal_request(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a clause that is one compound noun is the topic of the next (Li & Thompson 1981, ch. 4)
    ("预约信息，我们会保存至活动结束。", _collect("usage_data", action="retain")),
    ("你提供的预约信息，我们会保存180天。", _collect("usage_data", action="retain")),
    ("我们会保存你的预约信息。", _collect("usage_data", action="retain")),
    # a joined verb after collection from another source keeps its practice
    ("我们会从第三方获取并存储你的订单信息。", _collect("transaction_records", action="retain")),
    ("我们会从第三方获取你的订单信息。", set()),
    # the provider a clause names (由Y提供) is the subject of 该功能 after it; the scope statement stays
    ("该功能由第三方提供，该功能会收集你的位置信息。",
     _collect("personal_information", "location", actor="third_party")),
])
def test_topics_and_providers(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a notice verb + 你 + a complement: the complement's party is the subject
    ("我们会提示你该小程序将获取你的位置信息。", _collect("location", actor="mini_program_developer")),
    ("我们会通知你商家已获取你的收货地址。", _collect("postal_address", actor="third_party")),
    # guards: a complement without a party of its own, a notice without a practice
    ("我们会提示你开启通讯录权限以便添加好友。", set()),
    ("如果我们的处理目的发生变化，我们会通知你。", set()),
])
def test_a_reported_clause(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


_HEADER = ("信息", "处理目的", "保存期限")
_LEAD = "有关我们保留你的信息的期限详情，请参阅下文。"


@pytest.mark.parametrize(("cells", "expected"), [
    # a purpose cell stating our practice is read as text; its anaphor has nothing named before it
    (("你的预约信息", "如你使用预约功能，我们会使用你的手机号码为你安排服务。", "我们会将其保存1年。"),
     _collect("usage_data") | _collect("usage_data", action="retain") | _collect("phone_number", action="use")),
    (("你的预约信息", "如你使用预约功能，我们会使用该等信息为你安排服务。", "保存1年。"),
     _collect("usage_data") | _collect("usage_data", action="retain")
     | _collect("personal_information", action="use")),
    # guard: a purpose phrase is no sentence
    (("你的预约信息", "为你安排服务。", "保存1年。"), _collect("usage_data") | _collect("usage_data", action="retain")),
])
def test_a_purpose_cell_stating_a_practice(extractor, cells, expected):  # noqa: F811
    text = " | ".join(cells)
    assert _read(extractor, text, kind="table_row", lead_in=_LEAD, header=_HEADER, cells=cells) == expected
