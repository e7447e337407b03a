"""Issue 9, round 11, on the Chinese front end (zh-rules 2.7.0): the constructions this round's rules read, each on
short sentences written for the test that state the pattern (not from the Weixin text or the gold sets), beside
guards that keep each rule from reaching too far; and the precision of tests/gold/claims_zh_guidelines2.yaml (the
guidelines' real blocks no other item uses: they state no practice)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policycheck.claims.evaluate import evaluate, load_gold
from tests.claims.test_chinese import extractor, weixin  # noqa: F401 (fixtures)
from tests.claims.test_chinese_conventions import _collect, _read

GUIDELINES2 = Path(__file__).resolve().parents[1] / "gold" / "claims_zh_guidelines2.yaml"


def test_uncovered_guideline_blocks_state_nothing(weixin, onto):  # noqa: F811
    """The guidelines' 85 blocks no other item used (titles, dates, rights, settings and UI steps) state no
    practice: no claim on the dev split (the check split is scored by the lead, in aggregate)."""
    items = load_gold([GUIDELINES2])
    assert len(items) == 85 and all(not i.claims for i in items)
    score = evaluate(weixin, onto, [i for i in items if i.split == "dev"]).scores["dev"]["tuples"]
    assert score.fp == 0, score


@pytest.mark.parametrize(("sentence", "expected"), [
    # 将 X V1，(subjectless) modal/negation V2 Y: the comma clause is a predicate of its own, 将 belongs to V1
    ("我们会将你的录音转换为文字，转换完成后不会保留你的录音。",
     _collect("voice_input", action="retain", negated=True)),
    ("我们会将你的照片压缩，不会保存你的照片。", _collect("photos_and_videos", action="retain", negated=True)),
    ("我们会将你的录音发送至服务器进行识别，识别完成后不会保留你的录音。",
     _collect("voice_input") | _collect("voice_input", action="retain", negated=True)),
    # guards: a 将 object over a comma without a predicate of its own still reaches the verb; 将 X V stays
    ("我们会将你的照片压缩后上传。", _collect("photos_and_videos")),
    ("我们可能将你在使用某一功能时我们收集的信息，在另一功能中用于提供服务。",
     _collect("personal_information", action="use")),
])
def test_preposed_object_stops_at_a_predicate_of_its_own(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # sending data to our servers is uploading it: the first party collects it, by a 将 object or a topic
    ("你的录音将被发送至服务器。", _collect("voice_input")),
    ("我们会将你的照片发送至我们的服务器。", _collect("photos_and_videos")),
    ("你的录音会被传送到我们的服务器。", _collect("voice_input")),
    # a light verb after the verb opens what it is used for: the slot stays empty, the topic is the object
    ("你的录音将被发送至服务器进行识别。", _collect("voice_input")),
    ("你的照片将被上传至服务器进行审核。", _collect("photos_and_videos")),
    # guards: sending to the user, to other users or to the user's phone is no practice
    ("我们会将验证码发送至你的手机。", set()),
    ("我们会向你发送服务通知。", set()),
    ("你的消息会发送给你的朋友。", set()),
])
def test_sending_to_our_servers_is_collection(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # 转让/转移 X hands the data to another holder: a transfer with no recipient named (a new holder, third party)
    ("发生合并时，我们可能会转让你的账号信息。", _collect("account_information", action="transfer")),
    ("我们将相应地转移你的订单信息，以便服务得以继续。", _collect("transaction_records", action="transfer")),
    ("我们不会转让你的手机号码。", _collect("phone_number", action="transfer", negated=True)),
    # guards: moving data to a place or device, the user's own move, a nominal in a condition, 传输 alone
    ("我们会将你的聊天记录转移到新设备。", set()),
    ("你可以在不同设备中转移聊天记录。", set()),
    ("若涉及个人信息转移的，我们将告知你。", set()),
    ("我们会加密传输你的聊天记录。", set()),
])
def test_handover_without_a_recipient_is_a_transfer(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a limit after the verb (超过/超出 + a period or a duration) is no relative clause and no object
    ("我们不会将你的位置信息保留超过必要的期限。", _collect("location", action="retain", negated=True)),
    ("我们不会将个人信息保存超出法律规定的期限。", _collect("personal_information", action="retain", negated=True)),
    ("你的聊天记录不会被保存超过30天。", _collect("chat_data", action="retain", negated=True)),
    # guards: a duration stays no object; a relative clause on a period noun states nothing
    ("我们会保存你的登录记录30天。", _collect("login_data", action="retain")),
    ("我们保存你的信息的时间取决于法律规定。", set()),
])
def test_a_limit_after_the_verb_is_no_object(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # the year and month of birth are the date of birth (the English synonyms' Chinese words)
    ("我们会收集你的出生年月。", _collect("date_of_birth")),
    ("我们会收集你的出生年份。", _collect("date_of_birth")),
    # an attribute head is typed by its modifier with itself (出生的日期 -> 出生日期), and a bare attribute head
    # after a conjunction shares the modifier of the first conjunct (出生的年份和月份: both of 出生)
    ("我们会收集你出生的日期。", _collect("date_of_birth")),
    ("我们只会处理你出生的年份和月份。", _collect("date_of_birth", action="process")),
    ("我们会收集你登录的日期和时间。", _collect("login_data")),
    # guards: a bare attribute head after a named item that is no attribute stays unknown
    ("我们会收集你的手机号码和时间。", _collect("phone_number", "personal_information")),
])
def test_birth_dates_and_shared_modifiers(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a verb between 的 and a noun modifies the noun (你的输入内容): no predicate of the user's, so the negation
    # of the verb before it holds
    ("我们不会收集你的输入内容。", _collect("user_content", negated=True)),
    ("我们不会上传你的输入内容。", _collect("user_content", negated=True)),
    ("我们会保存你的上传记录。", _collect("usage_data", action="retain")),
    # guards: 为此目的收集 (的 inside 目的), the user's own 输入 as a predicate
    ("我们会为此目的收集你的手机号码。", _collect("phone_number")),
    ("你输入的手机号码会被我们收集。", _collect("phone_number")),
    # a circumstance word before a data noun is a modifier (行为信息), not the head of a relative clause
    ("我们会收集你的行为信息。", _collect("personal_information")),
    ("我们不会记录收集你的信息的过程。", set()),
])
def test_verbs_and_circumstances_inside_noun_phrases(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a frame's closing word and the preposition after it are two words (jieba's HMM makes 时向, 内向, 下向): the
    # recipient after them is found
    ("我们会在必要时向合作伙伴披露你的设备信息。", _collect("device_information", action="share")),
    ("我们仅在你下单时向商家提供你的收货地址。", _collect("postal_address", action="share")),
    ("我们不会在未经你同意的情况下向第三方提供你的位置信息。",
     _collect("location", action="share", negated=True)),
    # guards: no recipient named, a user's own act
    ("我们会在必要时披露你的设备信息。", set()),
    ("你可以在需要时向好友分享你的位置信息。", set()),
])
def test_closer_and_preposition_are_two_words(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a verb right after a modal or negation, with object + 的 + one noun closing the clause, is the predicate: no
    # verb follows the noun that a relative clause would need (the report is unknown data: personal_information)
    ("我们可能会与广告合作伙伴共享有关广告效果的报告。", _collect("personal_information", action="share")),
    ("我们不会与合作伙伴共享广告效果的报告。", _collect("personal_information", action="share", negated=True)),
    # guards: the modal governs another verb (告知), 的 right after the verb, a non-data head
    ("我们会告知你收集信息的目的。", set()),
    ("我们会采取保护个人信息的措施。", set()),
    ("我们可能会收集的信息包括你的手机号码。", set()),
])
def test_a_modal_verb_with_a_modified_object_is_a_predicate(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a topic ends before a modal or negation that a prepositional adverbial separates from the verb: the
    # negation is the verb's (it was read into the topic, and the practice stated as affirmed)
    ("你的聊天记录不会在服务器中保存。", _collect("chat_data", action="retain", negated=True)),
    ("你的手机号码不会通过微信被获取。", _collect("phone_number", negated=True)),
    ("该等信息将按照法律规定保存。", _collect("personal_information", action="retain")),
    # guards: a modal inside the topic's relative clause (no adverbial after it) stays in the topic
    ("你可能感兴趣的内容将通过算法推荐给你。", set()),
    ("你上传的照片会被保存在服务器中。", _collect("photos_and_videos", action="retain")),
])
def test_a_topic_ends_before_a_modal_and_its_adverbial(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # negations jieba keeps as one word (从未, 并未, 决不会, 不曾) negate the verb after them
    ("我们从未出售你的手机号码。", _collect("phone_number", action="share", negated=True)),
    ("我们并未收集你的位置信息。", _collect("location", negated=True)),
    ("我们决不会出售你的通讯录。", _collect("contacts", action="share", negated=True)),
    # 记录 after 被 is the verb, not the noun (a passive keeps its topic as the object)
    ("关闭后，你的步数将不再被记录。", _collect("health_data", negated=True)),
    ("你的登录信息会被记录。", _collect("login_data")),
    # guard: 记录 as a noun closing a clause stays a noun
    ("我们会保存你的预约记录，相关记录不会被公开。", _collect("usage_data", action="retain")),
])
def test_one_word_negations_and_passive_records(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a dropped subject (the first party) with a recipient after the clause's condition: the recipient is read
    ("在你授权后向开发者提供你的手机号码。", _collect("phone_number", action="share")),
    ("在你授权后，向开发者提供你的头像。", _collect("profile_photo", action="share")),
    # guards: an instruction to the user, the user as the one who gives
    ("请勿向他人提供你的验证码。", set()),
    ("在你授权后，你可以向好友分享你的位置信息。", set()),
])
def test_a_recipient_after_a_dropped_subject(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a later clause opening with a connector, with neither subject nor recipient of its own, shares the recipient
    # of the sentence's previous share (Chinese elides the repeated 向 X)
    ("我们不会向商家提供你的手机号码，但会提供你的收货地址。",
     _collect("phone_number", action="share", negated=True) | _collect("postal_address", action="share")),
    ("我们会向商家提供你的收货地址，并提供你的手机号码。", _collect("postal_address", "phone_number", action="share")),
    # guards: a clause with a subject of its own, a sentence with no earlier recipient, a new sentence
    ("我们会向商家提供你的收货地址，你也可以提供你的手机号码。",
     _collect("postal_address", action="share") | _collect("phone_number")),
    ("我们会收集你的设备信息，并提供你的手机号码。", _collect("device_information")),
])
def test_an_elided_recipient_is_the_previous_ones(extractor, sentence, expected):  # noqa: F811
    assert _read(extractor, sentence) == expected
