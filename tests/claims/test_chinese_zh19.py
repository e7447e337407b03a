"""zh-rules 2.15.0 (helper zh19) on the Chinese front end: a predicate coordinated by 并 after an adverbial
(收集X并根据……处理) shares the first verb's object, subject and passive agent; short sentences written for the
test (not from the Weixin text, the gold sets or any policy block)."""

from __future__ import annotations

import pytest

from tests.claims.test_chinese import extractor  # noqa: F401 (fixture)
from tests.claims.test_chinese_conventions import _collect, _read


@pytest.mark.parametrize(("sentence", "expected"), [
    # 并 + an adverbial + a verb: the words before 并 are the first verb's object, shared by the second, whose
    # subject is the first's
    ("财付通会获取你的身份证号码并按照其规则保存。",
     _collect("government_id", actor="weixin_pay") | _collect("government_id", actor="weixin_pay", action="retain")),
    ("我们会收集你的设备型号并依据法律规定处理。",
     _collect("device_model") | _collect("device_model", action="process")),
    ("第三方服务商会读取你的位置信息并根据其规则使用。",
     _collect("location", actor="third_party") | _collect("location", actor="third_party", action="use")),
    # guards: a plain coordination and a 并 with nothing between stay as they were
    ("我们会收集并保存你的手机号码。", _collect("phone_number") | _collect("phone_number", action="retain")),
    ("我们会收集你的手机号码，并在服务器中保存。",
     _collect("phone_number") | _collect("phone_number", action="retain")),
])
def test_a_predicate_joined_by_bing_after_an_adverbial(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # 由X V1并(adverbial)V2, or V2 in a clause opening with 并: X, the passive agent, does both
    ("你的身份证号码由财付通获取并根据其规则保存。",
     _collect("government_id", actor="weixin_pay") | _collect("government_id", actor="weixin_pay", action="retain")),
    ("你的设备型号由服务商收集，并依照其自身规则处理。",
     _collect("device_model", actor="third_party") | _collect("device_model", actor="third_party", action="process")),
    # guards: a clause with a subject of its own keeps it; an agent of its own is its agent
    ("你的设备型号由服务商收集，我们会在服务器中保存。",
     _collect("device_model", actor="third_party") | _collect("device_model", action="retain")),
    ("你的设备型号由服务商收集，并由我们保存。",
     _collect("device_model", actor="third_party") | _collect("device_model", action="retain")),
])
def test_a_passive_agent_shared_by_a_joined_predicate(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a quantifier before a feature noun opening the clause: its operator is still the subject (or the requester)
    ("部分小程序会读取你的通讯录。", _collect("contacts", actor="mini_program_developer")),
    ("某些小游戏可能会要求你提供真实姓名。", _collect("name", actor="mini_program_developer")),
    ("有些小程序会获取你的设备型号。", _collect("device_model", actor="mini_program_developer")),
    # guards: a quantifier before a non-party noun leaves the first party; the user's request is the service's
    ("部分功能会要求你提供出生日期。", _collect("date_of_birth")),
    ("小程序会获取你的设备型号。", _collect("device_model", actor="mini_program_developer")),
])
def test_a_quantified_feature_as_the_subject(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # V X 来/用来 V2: V2 is what X is for, no part of the object (a permission then names no data)
    ("我们会调用你的摄像头权限来拍摄视频。", set()),
    ("我们会使用你的相机权限用来拍摄照片。", set()),
    ("我们会使用你的设备型号来为你适配界面。", _collect("device_model", action="use")),
    # guards: a data name that begins with 来 stays whole; the object before 来 keeps its data
    ("我们会收集你的来电号码。", _collect("identifier")),
    ("我们会收集你的手机号码来验证你的身份。", _collect("phone_number")),
])
def test_lai_before_a_verb_ends_the_object(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # V X 来 V2: a practice verb after 来 is the purpose of the verb before, no practice (as with 用于)
    ("我们会请求你的存储权限来保存你导出的表格。", set()),
    ("我们会调用你的相册权限来存储你编辑的图片。", set()),
    # guards: 根据/按照 X 来 V is a manner, the verb states the practice; 用来 with no verb before it
    ("我们会按照相关法律来保存你的登录日志。", _collect("log_data", action="retain")),
    ("我们在你使用该功能期间根据本指引来收集你的设备型号。", _collect("device_model")),
])
def test_a_practice_verb_after_lai_is_a_purpose(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a conditional clause ends before a clause with a subject of its own: 你 + modal + verb, even when the
    # object opens with 你的, or a noun phrase of the user's (你……的 N) + a modal + a verb
    ("假如你打算开通这项服务，你需要填写你的邮箱地址。", _collect("email_address")),
    ("如果你愿意参加调查，你需要提供你的职业。", _collect("employment_information")),
    ("如果你同意，你上传的文件将被保存在我们的服务器中。", _collect("user_content", action="retain")),
    # guards: a clause of the condition itself, and a user's noun phrase with no predicate of its own
    ("如果你不希望被推荐，你可以关闭你的推荐开关。", set()),
    ("如果你选择公开，你发布的视频会向所有用户展示。", set()),
    ("如果你同意，我们会收集你的邮箱地址。", _collect("email_address")),
])
def test_a_conditional_ends_at_a_clause_with_its_own_subject(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # 将 + an adjective anaphor (相关, 相应) + a data noun: the preposed object stands for the data named before
    ("我们会收集你的电子邮箱。我们会将相关信息提供给合作伙伴。",
     _collect("email_address") | _collect("email_address", action="share")),
    ("我们会记录你的设备型号。我们会将相应数据用于适配界面。",
     _collect("device_model") | _collect("device_model", action="use")),
    # guards: 相应地 is a manner, 相关的 + a non-data noun no object
    ("我们会收集你的设备型号。我们会将相应地调整服务。", _collect("device_model")),
    ("我们会收集你的设备型号。我们将相关的规则告知你。", _collect("device_model")),
])
def test_jiang_before_an_adjective_anaphor(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # readers, followers and viewers are other users: what they get or see is display, no share or collect
    ("我们会将你的留言分享给该公众号的粉丝。", set()),
    ("我们会将你的留言提供给该公众号的关注者。", set()),
    ("我们会将你发表的评论共享给该公众号的其他读者。", set()),
    ("你的直播画面会展示给观众。", set()),
    ("你的粉丝可以查看你发布的视频。", set()),
    ("关注者可以看到你的视频号主页。", set()),
    # guards: a named party still receives or views; the readers' data is still the data
    ("我们会将你的留言提供给公众号运营者。", _collect("user_content", action="share")),
    ("公众号运营者可以查看读者的留言。", _collect("user_content", actor="official_account_operator")),
])
def test_readers_followers_and_viewers_are_other_users(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # X由<a party noun phrase the ontology does not name>提供: that operator's claim about X (scope excluded)
    ("本服务由当地运营方提供。", _collect("personal_information", actor="third_party")),
    ("该功能由某物流服务商提供，其会收集你的收货地址。",
     _collect("personal_information", "postal_address", actor="third_party")),
    # guards: the first party, the user, a relative clause or a verb phrase provide nothing of a party's
    ("该功能由我们向你提供。", set()),
    ("该内容由你提供。", set()),
    ("相关服务由依法设立的机构提供。", set()),
])
def test_a_feature_provided_by_an_unnamed_operator(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected
