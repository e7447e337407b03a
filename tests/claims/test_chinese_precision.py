"""Issue 9, fifth round, on the Chinese front end: clause types and constructions that state no practice (or a
narrower one than their words suggest), each on short sentences written for the test that state the pattern (not
from the Weixin text or the gold sets), and issue 9's floors on tests/gold/claims_zh_precision.yaml (12 blocks of
the guidelines, read from a store, and 41 sentences with their own text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policycheck.claims.evaluate import evaluate, load_gold, needs_store
from tests.claims.test_chinese import extractor, weixin  # noqa: F401 (fixtures)
from tests.claims.test_chinese_conventions import _collect, _read

PRECISION_ITEMS = Path(__file__).resolve().parents[1] / "gold" / "claims_zh_precision.yaml"


@pytest.mark.parametrize(("sentence", "expected"), [
    # a definiens (……是指……) states no practice, in any of its clauses
    ("敏感个人信息是指一旦被非法使用，容易导致人身、财产安全受到危害的个人信息。", set()),
    ("个人信息处理者，是指自主决定处理目的、处理方式，并收集、使用个人信息的组织和个人。", set()),
    # ... up to a clause with a subject of its own
    ("本指引中的“服务”是指微信提供的服务，我们会收集你的设备型号。", _collect("device_model")),
    # a harm the text guards against (防止/避免 ...) is no practice
    ("我们会采取安全措施，防止个人信息遭到未经授权的访问、公开披露、使用或修改。", set()),
    # ... but a purpose (为了防止……) is no prevented harm
    ("为了防止账号被盗我们会收集你的登录IP地址。", _collect("ip_address")),
    # the first party's staff accessing data it holds is access control; their other practices are the first party's
    ("我们只允许经过授权的工作人员访问你的个人信息。", set()),
    ("客服工作人员会记录你反馈的问题描述。", _collect("customer_support_information")),
    # 将 before a negation is the future modal: the object follows the verb
    ("关闭该权限后，我们将无法读取你的通讯录。", _collect("contacts", negated=True)),
    ("停用该功能后，我们将无法获取你的运动步数。", _collect("health_data", negated=True)),
    # V到的 and 所V heads a relative clause: the practice is the main verb's
    ("我们会对获取到的设备信息进行去标识化处理。", _collect("device_information", action="process")),
    ("我们会收集你所使用手机的设备型号。", _collect("device_model")),
    # 将 + a relative clause is the preposed object (将获取的用户信息用于其他用途: a purpose restriction, no claim)
    ("开发者不会将获取的用户信息用于其他用途。", set()),
    ("我们会将收集到的位置信息存储在服务器中。", _collect("location", action="retain")),
    # a negated verb after an excess (超范围, 过度) denies the excess only (minimum necessary), not the practice
    ("我们会要求合作方不得超范围收集你的个人信息。", set()),
    ("我们不会过度收集你的设备信息。", set()),
    # 看到 by a named party is its collection, as 查看 is; by other users it is display
    ("公众号运营者可以看到你的昵称。", _collect("nickname", actor="official_account_operator")),
    ("其他用户可以看到你的昵称。", set()),
    # the user's relative clause inside an object describes the data (收集你使用X的信息)
    ("我们会收集你使用网络的IP地址。", _collect("ip_address")),
    # an instrument ends the object of 使用/利用/采用 (连动句)
    ("我们会利用加密技术对你的聊天记录进行保护。", set()),
    ("我们会采用去标识化技术处理你的位置信息。", _collect("location", action="process")),
    # what other users get is display, whatever the verb
    ("我们会把你的微信运动步数分享给你的好友。", set()),
    # a capability clause (能够识别……的信息) leaves the generic head
    ("我们不会收集能够识别你身份的信息。", _collect("personal_information", negated=True)),
    # a name split by an inserted adjective is that name (设备唯一标识符 -> 设备标识符), not the name after it
    ("我们会获取你的设备唯一标识符信息。", _collect("device_identifier")),
    ("我们会收集设备唯一识别码。", _collect("device_identifier")),
    # a data noun + verb closing a clause after 的 is a compound noun
    ("你撤回同意，不影响撤回前基于你的同意已进行的个人信息处理。", set()),
    # a relative clause that modifies a circumstance noun is no predicate
    ("对于我们收集儿童个人信息的情形，我们会另行说明。", set()),
    # 由Y提供的 + noun names a thing, it states nothing about a feature
    ("我们的应用中集成了由第三方提供的统计工具。", set()),
    # a party noun before a modal and a prepositional adverbial is the subject
    ("合作商户会按照其隐私政策获取你的收货地址。", _collect("postal_address", actor="third_party")),
    ("快递公司将根据配送需要使用你的手机号码。", _collect("phone_number", actor="third_party", action="use")),
    # the relative clause opening the sentence: its data is what the empty slot refers to
    ("识别过程中采集的指纹信息仅在本地完成比对，不会上传至服务器。", _collect("biometric_data", negated=True)),
    # the user after a pivot verb (使/让/影响 你 + V, 兼语式) is the subject of V: the user's use of a feature, no
    # practice of the platform (the data word in the feature's name is no data either)
    ("拒绝提供通讯录信息仅会使你无法使用好友推荐功能。", set()),
    ("这不影响你使用照片推荐功能。", set()),
    ("关闭定位权限会让你无法使用附近的人。", set()),
    # ... what the user gives after a pivot verb is still the service's collection; a benefactive 为你 is no subject
    ("我们会要求你提供手机号码，以便让你接收验证码。", _collect("phone_number")),
    ("我们会为你保存聊天记录。", _collect("chat_data", action="retain")),
])
def test_statements_that_state_no_practice_or_a_narrower_one(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


def test_precision_items_meet_the_floors(weixin, onto):  # noqa: F811
    items = load_gold([PRECISION_ITEMS])
    assert len(items) >= 50 and needs_store(items) and all(i.split == "dev" for i in items)
    score = evaluate(weixin, onto, items).scores["dev"]["tuples"]
    assert score.precision >= 0.92 and score.recall >= 0.85, score  # issue 9's floors


@pytest.mark.parametrize(("header", "cells", "expected"), [
    # a header naming text about the data (……规则, ……说明) is no data column: its cells are read as sentences
    (("功能", "个人信息的使用规则"), ("扫一扫", "我们会读取你的相册，用于识别图片中的二维码；你可以拒绝"),
     _collect("photos_and_videos")),
    # a retention cell that denies storage negates the row's retain; 不再保存 after a time ends a period
    (("个人信息", "保存期限"), ("剪切板内容", "不在服务器保存"), _collect("clipboard", action="retain", negated=True)),
    (("个人信息类型", "使用目的", "保存期限"), ("收货地址", "配送商品", "删除地址后不再保存"),
     _collect("postal_address") | _collect("postal_address", action="retain")),
])
def test_table_rows_read_by_what_their_columns_hold(extractor, header, cells, expected):  # noqa: F811
    assert _read(extractor, "\t".join(cells), kind="table_row", header=header, cells=cells) == expected
