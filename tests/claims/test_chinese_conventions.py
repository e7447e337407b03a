"""Issue 9, second round, on the Chinese front end: the conventions of the independent annotator as general
mechanisms, each on sentences written for the test (not from the Weixin text or the gold sets), and the floors on
the hand-written sentences of tests/gold/claims_zh_synthetic.yaml (no ../shared needed: the items carry their
own text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policycheck.claims.evaluate import evaluate, load_gold, needs_store
from policycheck.claims.model import BlockInput
from policycheck.errors import PolicycheckError
from tests.claims.test_chinese import extractor  # noqa: F401 (fixture)

SYNTHETIC = Path(__file__).resolve().parents[1] / "gold" / "claims_zh_synthetic.yaml"


def _read(extractor, text: str, kind: str = "paragraph", lead_in: str | None = None,  # noqa: F811
          header: tuple[str, ...] | None = None, cells: tuple[str, ...] | None = None) -> set[tuple]:
    """(actor, action, negated, data_type) of the claims of one block."""
    block = BlockInput(kind, text, "", "zh", "weixin", lead_in, header, cells)
    return {(c.actor, c.action, c.negated, c.data_type) for c in extractor.extract([block])[0].claims}


def _collect(*types: str, actor: str = "weixin", action: str = "collect", negated: bool = False) -> set[tuple]:
    return {(actor, action, negated, t) for t in types}


@pytest.mark.parametrize(("sentence", "expected"), [
    # operations listed as data are records of the operation
    ("我们会收集你的转发、收藏和阅读记录。", _collect("interaction_events", "viewing_history")),
    ("我们会收集你在小游戏中的登录、浏览等操作记录。", _collect("mini_program_usage", "usage_data")),
    ("我们会收集你观看视频的记录。", _collect("viewing_history")),
    ("我们会收集你的搜索次数和登录时间。", _collect("search_history", "login_data")),  # attribute heads
    # conjuncts sharing a head
    ("我们会收集你的商品及店铺相关浏览记录。", _collect("viewing_history")),
    ("我们需要获取你的相机和麦克风权限。", set()),
    # members of a named category, 你的数据 and 相关数据 as anaphors, a duration that is no object
    ("我们会收集你的账号信息，例如用户名、头像。", _collect("account_information", "profile_photo")),
    ("我们会收集你的步数，计算完成后不会保留你的数据。",
     _collect("health_data") | _collect("health_data", action="retain", negated=True)),
    ("我们会保存你的聊天记录30天。", _collect("chat_data", action="retain")),
    # an empty object slot: the object of the predicate before it, of a coordinated verb
    ("我们仅在本地识别你的人脸信息，不会上传至服务器。", _collect("face_data", negated=True)),
    ("我们会在服务终止后删除你的个人信息或对其进行匿名化处理。", _collect("personal_information", action="process")),
    # verbs: 查询/核验 use, 查看 by a named party, 公开披露, recipients named by a party noun
    ("客服人员会核验你的身份证件信息。", _collect("government_id", action="use")),
    ("广告主可以查看你的广告点击记录。", _collect("interaction_events", actor="advertiser")),
    ("你可以查看你的登录记录。", set()),
    ("其他用户可以查看你的昵称。", set()),
    ("我们不会公开披露你的位置信息。", _collect("location", action="share", negated=True)),
    ("我们不会将你的个人信息转让给任何机构。", _collect("personal_information", action="transfer", negated=True)),
    # a feature as the subject speaks for its operator
    ("小程序会收集你的位置信息。", _collect("location", actor="mini_program_developer")),
    # purposes, conditions, questions
    ("如果你关闭该开关，我们不会使用你的位置信息用于推荐。", _collect("location", action="use", negated=True)),
    ("我们不会将你的位置信息用于其他用途。", set()),
    ("我们如何保存你的个人信息", set()),
])
def test_conventions_on_new_sentences(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("header", "cells", "expected"), [
    (("个人信息类型", "使用目的", "保存期限"), ("身份证号码", "实名认证", "3年"),
     _collect("government_id") | _collect("government_id", action="retain")),
    (("SDK名称", "第三方主体", "使用目的", "收集个人信息类型"), ("推送SDK", "某科技有限公司", "推送", "设备标识符"),
     _collect("device_identifier", actor="sdk_provider")),  # a third party (SDK named in the party cell)
    (("接收方", "共享的个人信息", "共享目的"), ("物流公司", "收货地址", "配送"),
     _collect("postal_address", action="share")),
    (("权限名称", "使用目的"), ("麦克风权限", "语音输入"), set()),
])
def test_table_rows_by_their_header(extractor, header, cells, expected):  # noqa: F811
    assert _read(extractor, " | ".join(cells), "table_row", header=header, cells=cells) == expected


@pytest.mark.parametrize(("lead_in", "item", "expected"), [
    ("我们会收集你的以下信息：", "位置信息：你授权后的大致位置；", _collect("location", "approximate_location")),
    ("在以下情形中，我们会共享你的个人信息而无需征得你的同意：", "与国家安全直接相关的；", set()),
    ("我们不会对外提供你的个人信息，但以下情况除外：", "根据法律法规的要求，向有关部门提供你的个人信息；", set()),
    ("删除聊天记录：", "进入聊天页面，点击“清空聊天记录”。", set()),
])
def test_list_items_under_their_lead_in(extractor, lead_in, item, expected):  # noqa: F811
    assert _read(extractor, item, "list_item", lead_in=lead_in) == expected


@pytest.mark.slow
def test_gold_items_may_carry_their_own_text(onto):
    """The hand-written sentences need no store: eval-claims builds their blocks from the items."""
    items = load_gold([SYNTHETIC])
    assert len(items) >= 80 and not needs_store(items)
    result = evaluate(None, onto, items)
    score = result.scores["dev"]["tuples"]
    assert score.precision >= 0.92 and score.recall >= 0.85, score  # issue 9's floors


def test_a_text_item_needs_its_language_and_first_party(tmp_path):
    gold = tmp_path / "gold.yaml"
    gold.write_text("- id: x\n  text: 我们会收集你的手机号码。\n  language: zh\n  claims: []\n", encoding="utf-8")
    with pytest.raises(PolicycheckError) as error:
        load_gold([gold])
    assert str(error.value).startswith(f"{gold}:1:") and "first_party" in str(error.value)
    gold.write_text("- id: x\n  language: zh\n  first_party: weixin\n  header: [类型]\n  claims: []\n",
                    encoding="utf-8")
    with pytest.raises(PolicycheckError, match="header and cells"):
        load_gold([gold])
