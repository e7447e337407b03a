"""Round en27 (policycheck-en 1.43.0): shapes left by round en26 in the archived WeChat versions 2020-04-09 to
2026-08-06. Short constructed sentences (not from any policy or gold set), positive and guard cases, through the
real extractor.

- A head word that names its one concept only with a classifier ("zip code", "postal code") names another kind
  of thing under another classifier: "security code", "email verification code" are no postal codes.
- "A to be done and B are done": a noun with an infinitival relative the parser made the main clause is a
  coordinated subject of the passive after it; both subjects get the practice.
- "list of group chats" names the user's group chats (group chat information), as "list of friends" names the
  friend list, also coordinated with another list.
- What the user gives to a bare customer-facing desk ("customer service", "our customer service team") is
  collected by the first party; a named provider ("customer service providers") stays the other party.
"""

from __future__ import annotations

import pytest

from tests.claims.test_english_generalize import read


def practices(extractor, text: str) -> set[tuple[str, str, str]]:
    return {(c.actor, c.action, c.data_type) for c in read(extractor, text).claims if not c.negated}


def types(extractor, text: str) -> set[str]:
    return {t for _, _, t in practices(extractor, text)}


@pytest.mark.parametrize("text", [
    "We collect information such as your security code and your phone number.",
    "We keep your name, login code and email address.",
    "We collect information such as your email verification code and your phone number.",
])
def test_other_codes_are_no_postal_codes(extractor, text):
    assert "postal_code" not in types(extractor, text), text


@pytest.mark.parametrize("text", [
    "We collect your name and zip code.",
    "We keep your postal code and phone number.",
    "We collect information such as your post code and your phone number.",
])
def test_postal_codes_stay_postal_codes(extractor, text):
    assert "postal_code" in types(extractor, text), text


@pytest.mark.parametrize(("text", "expected"), [
    ("Text to be translated and translated text are stored.",
     {("wechat", "retain", "translation_text")}),
    ("Photos to be printed and your contact list are stored.",
     {("wechat", "retain", "photos_and_videos"), ("wechat", "retain", "contacts")}),
    ("Files to be scanned and your phone number are kept and encrypted.",
     {("wechat", "retain", "phone_number")}),
])
def test_infinitival_relative_subject_is_coordinated(extractor, text, expected):
    assert practices(extractor, text) >= expected, text


def test_infinitival_relative_subject_both_conjuncts(extractor):
    texts = {c.data_text for c in read(extractor, "Photos to be printed and your contact list are stored.").claims}
    assert {"Photos to be printed", "contact list"} <= texts or {"Photos", "contact list"} <= texts


@pytest.mark.parametrize(("text", "expected"), [
    ("We collect your list of group chats and friends list.",
     {("wechat", "collect", "group_chat_information"), ("wechat", "collect", "friend_list")}),
    ("Your list of group chats is stored.", {("wechat", "retain", "group_chat_information")}),
])
def test_list_of_group_chats(extractor, text, expected):
    assert practices(extractor, text) >= expected, text


@pytest.mark.parametrize(("text", "expected", "absent"), [
    ("Information provided to customer service is kept.",
     ("wechat", "collect", "customer_support_information"), "customer_service_provider"),
    ("Information you provide to customer service is kept.", ("wechat", "collect", "personal_information"),
     "customer_service_provider"),
])
def test_given_to_own_desk_is_first_party(extractor, text, expected, absent):
    found = practices(extractor, text)
    assert expected in found and absent not in {a for a, _, _ in found}, (text, found)


@pytest.mark.parametrize(("text", "actor"), [
    ("Information provided to our customer service providers is kept.", "customer_service_provider"),
    ("Information provided to an Official Account is kept.", "official_account_operator"),
    ("Information provided to the customer service of a merchant is kept.", "customer_service_provider"),
])
def test_given_to_a_party_stays_the_party(extractor, text, actor):
    assert actor in {a for a, act, _ in practices(extractor, text) if act == "collect"}, text
