"""Round 14 on the Chinese front end: the subject of a verb when "we" stand inside a relative clause that modifies
the party who acts (我们合作的X会……), and a demonstrative subject (该服务, 该功能) that points back to a feature
another party runs. Short sentences written for the test that state the pattern (not from the Weixin text or the
gold sets), beside guards that keep each rule from reaching too far."""

from __future__ import annotations

import pytest

from tests.claims.test_chinese import extractor  # noqa: F401 (fixture)
from tests.claims.test_chinese_conventions import _collect, _read


@pytest.mark.parametrize(("sentence", "expected"), [
    # "we" inside a relative clause (…的) that modifies the party: the party is the subject
    ("我们合作的广告商可能会读取你的设备信息。", _collect("device_information", actor="advertiser")),
    ("我们合作的广告商，可能会收集你的设备信息。", _collect("device_information", actor="advertiser")),
    ("与我们合作的第三方会收集你的位置信息。", _collect("location", actor="third_party")),
    ("和我们签约的第三方可以获取你的位置信息。", _collect("location", actor="third_party")),
    ("经我们授权的合作方会使用你的手机号码。", _collect("phone_number", actor="third_party", action="use")),
    ("我们选定的合作伙伴将收集你的手机号码。", _collect("phone_number", actor="third_party")),
    ("我们选定的物流公司会收集你的手机号码。", _collect("phone_number", actor="third_party")),
    # already read: a party noun phrase after the relative clause, a named SDK
    ("我们委托的服务商会收集你的位置信息。", _collect("location", actor="third_party")),
    # guards: data after the relative clause, we named beside the party, we give to the party, a prepositional
    # phrase of ours with a relative clause inside it, and the party as the recipient of our verb
    ("我们收集的信息会用于改进服务。", _collect("personal_information", action="use")),
    ("我们根据你提供的信息，会收集你的位置信息。", _collect("location")),
    ("我们会向合作的广告商提供你的设备信息。", {("weixin", "share", False, "device_information")}),
    ("我们会向与我们合作的第三方提供你的位置信息。", {("weixin", "share", False, "location")}),
])
def test_we_inside_a_relative_clause_are_no_subject(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


def test_we_and_the_party_we_work_with_both_act(extractor):  # noqa: F811
    found = _read(extractor, "我们和我们合作的第三方都会收集你的设备信息。")
    assert ("third_party", "collect", False, "device_information") in found


@pytest.mark.parametrize(("sentence", "expected"), [
    # a demonstrative + a generic noun (服务, 功能 …) pointing back to a feature another party runs: its operator
    ("你可以使用微信支付，该服务会收集你的银行卡号。", _collect("payment_card", actor="weixin_pay")),
    ("当你使用微信支付时，此服务将收集你的银行卡号。", _collect("payment_card", actor="weixin_pay")),
    ("你可以在聊天中打开小程序，该功能可能会获取你的位置信息。",
     _collect("location", actor="mini_program_developer")),
    # guards: a feature we run is us, nothing named before is us, a party named before keeps its reading (round 13)
    ("你可以使用摇一摇，该功能会获取你的位置信息。", _collect("location")),
    ("该服务会收集你的银行卡号。", _collect("payment_card")),
    ("当你使用微信登录第三方应用时，该应用可以获取你的昵称。", _collect("nickname", actor="third_party_service")),
])
def test_a_demonstrative_subject_points_back_to_a_feature(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected

