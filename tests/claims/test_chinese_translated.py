"""Issue 9, tenth round, on the Chinese front end (zh-rules 2.6.0): the constructions of sharing, transfer,
retention, rights and scope text that the round's rules read, each on short sentences written for the test that
state the pattern (not from the Weixin text or the gold sets), beside guards that keep each rule from reaching too
far; and issue 9's floors on tests/gold/claims_zh_translated.yaml (Chinese translations of English WeChat dev
blocks; own text, no store)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policycheck.claims.evaluate import evaluate, load_gold, needs_store
from tests.claims.test_chinese import extractor  # noqa: F401 (fixture)
from tests.claims.test_chinese_conventions import _collect, _read

TRANSLATED_ITEMS = Path(__file__).resolve().parents[1] / "gold" / "claims_zh_translated.yaml"
SHARE_LEAD = "我们只在必要时向下列接收方提供你的信息，包括："


@pytest.mark.parametrize(("sentence", "expected"), [
    # party nouns are words (接收方, not the verb 接收), and the recipients of sale and transfer sections are parties
    ("我们会与经过审核的接收方共享你的设备信息。", _collect("device_information", action="share")),
    ("公司被收购时，我们可能会向收购方披露你的账号信息。", _collect("account_information", action="share")),
    ("我们会把你的订单信息转移给新的实体。", _collect("transaction_records", action="transfer")),
    # 在X内部/之间共享: X receives the data
    ("我们会在集团公司内部共享你的手机号码。", _collect("phone_number", action="share")),
    ("我们不会在合作方之间共享你的位置信息。", _collect("location", action="share", negated=True)),
    # a condition's bare operations are no antecedent of 你的信息 (its data nouns are: see test_chinese.py)
    ("如发生合并或资产出售，我们会将你的信息转移给受让方。", _collect("personal_information", action="transfer")),
    # requests and consents state no practice; the clause after them does
    ("你可以要求我们停止使用你的位置信息。", set()),
    ("你有权请求我们删除或停止处理你的个人信息。", set()),
    ("点击同意即表示你同意你的头像可被其他用户获取。", set()),
    ("经你同意后，我们会收集你的通讯录。", _collect("contacts")),
    # 禁止 negates; a purpose restriction before the verb (为……以外的任何目的) denies a purpose, no claim
    ("我们禁止合作方保存你的身份证号码。", _collect("government_id", action="retain", negated=True)),
    ("合同禁止其为履行合同以外的任何目的使用你的手机号码。", set()),
    # 无需提供 X 即可: providing is not required, nothing is given
    ("你无需提供手机号码即可浏览文章。", set()),
    ("你需要提供手机号码以完成注册。", _collect("phone_number")),
    # data kept on 你的设备 stays local
    ("草稿仅保存在你的设备上。", set()),
    # a period's start (自……之日起) is a time phrase: its verb states nothing, the topic before it is the data
    ("搜索记录自收集之日起保留30天。", _collect("search_history", action="retain")),
    ("我们自你注册之日起收集你的登录IP地址。", _collect("ip_address")),
    # 为 X 而 V: the purpose is no part of the topic
    ("你的登录记录会为保障账号安全而保存。", _collect("login_data", action="retain")),
    # placing an instrument is collecting what it holds, by the party that places it; not the user's setting
    ("广告合作伙伴可能会在你的设备上设置Cookie。", _collect("cookies", actor="advertiser")),
    ("我们的网页会使用Cookie。", _collect("cookies")),
    ("你可以在浏览器中设置Cookie。", set()),
    # a generic data noun right after a verb is its object; its examples give their own claims
    ("我们会收集信息（例如设备型号）。", _collect("personal_information", "device_model")),
    # a determiner between a verb and a party: the party is its object, we stay the subject
    ("我们会使用这些云服务商存储你的聊天记录。", _collect("chat_data", action="retain")),
    # 对 + verb is a nominalised phrase; V……的时间 before a predicate is a relative clause
    ("执法机关对获取你的个人信息享有管辖权。", set()),
    ("我们保存你的信息的时间取决于法律规定。", set()),
    # 将 X V stops at a clause with its own subject
    ("当你将相册同步时，我们会与云服务商共享你的照片。", _collect("photos_and_videos", action="share")),
    # a negation before a passive agent negates the verb
    ("注销后，你的个人信息不再被我们使用。", _collect("personal_information", action="use", negated=True)),
    # generic information given to a recipient that names a kind of data is of that kind
    ("我们会保存你向客服提供的信息。", _collect("customer_support_information", action="retain")),
    ("我们会保存你向我们提供的信息。", _collect("personal_information", action="retain")),
    # a transfer to a place is the first party's; 否则 opens the main clause after 除非
    ("你的个人信息将被传输至境外的数据中心。", _collect("personal_information", action="transfer")),
    ("除非你明确同意，否则我们不会向第三方提供你的电子邮箱地址。",
     _collect("email_address", action="share", negated=True)),
    # a topic chain: a party subject opening the sentence carries to later subjectless clauses
    ("任何接入的第三方，均须遵守本指引，并且不得保存你的聊天记录。",
     _collect("chat_data", actor="third_party", action="retain", negated=True)),
])
def test_sharing_retention_and_rights_constructions(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("lead_in", "item", "expected"), [
    # an item naming a recipient receives the lead-in's sharing; its own share verb has the item's party
    (SHARE_LEAD, "监管机构和司法机关；", _collect("personal_information", action="share")),
    (SHARE_LEAD, "广告合作伙伴。我们不会提供你的姓名。", _collect("name", action="share", negated=True)),
    (SHARE_LEAD, "关联公司。我们会共享你的账号信息。", _collect("account_information", action="share")),
    # a lead-in of recipient categories shares with each item
    ("这些接收方类别包括：", "支付服务商；", _collect("personal_information", action="share")),
    # a list of places gets the lead-in's practices
    ("你的个人信息将被传输至以下地点并在该地存储：", "新加坡；",
     _collect("personal_information", action="transfer") | _collect("personal_information", action="retain")),
    # guards: an item that names no recipient, a list of other users, a lead-in that gives nothing
    (SHARE_LEAD, "在你授权后；", set()),
    (SHARE_LEAD, "其他用户；", set()),
    ("我们会从以下来源获取信息：", "合作伙伴；", set()),
])
def test_items_of_recipient_and_place_lists(extractor, lead_in, item, expected):  # noqa: F811
    assert _read(extractor, item, kind="list_item", lead_in=lead_in) == expected


@pytest.mark.parametrize(("header", "cells", "expected"), [
    # a generic word in a retention cell is the row's data; a dash in the data cell opens a gloss of its label
    (("信息类型", "保存期限"), ("搜索记录", "数据自搜索之日起保留30天"), _collect("search_history", action="retain")),
    (("信息类型", "保存期限"), ("聊天记录——文字和语音消息", "保留72小时"), _collect("chat_data", action="retain")),
    (("信息类型", "保存期限"), ("Cookie", "保留3个月"), _collect("cookies", action="retain")),
])
def test_retention_rows(extractor, header, cells, expected):  # noqa: F811
    assert _read(extractor, " | ".join(cells), kind="table_row", header=header, cells=cells) == expected


def test_translated_items_meet_the_floors(onto):
    items = load_gold([TRANSLATED_ITEMS])
    assert len(items) >= 50 and not needs_store(items) and all(i.split == "dev" for i in items)
    score = evaluate(None, onto, items).scores["dev"]["tuples"]
    assert score.precision >= 0.92 and score.recall >= 0.85, score  # issue 9's floors
