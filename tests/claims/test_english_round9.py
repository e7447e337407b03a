"""The English extractor's mechanisms of issue 9's seventh English round (`claims-en7`): text in the style of the
official English Weixin Privacy Protection Guidelines ("When you use X, we will collect Y in order to Z. If you
refuse, ...", numbered clauses, consent and notice promises, "how we collect, use and store"). Short constructed
sentences stating each pattern, several per rule (tests/gold/claims_en_weixin.yaml has the labelled items)."""

from __future__ import annotations

import pytest

from policycheck.claims.english.extractor import unnumbered
from tests.claims.test_english_generalize import read


def practices(result) -> set[tuple]:
    return {(c.action, c.negated, c.data_type) for c in result.claims}


@pytest.mark.parametrize("text", [
    "To provide you with location-based services, we will collect your location information.",
    "In order to provide you with more accurate search services, we will collect your location information.",
    "We use your location to provide you with location-based content recommendations.",
])
def test_providing_services_to_the_user_shares_nothing(extractor, text):
    """"provide you with X": the person object receives X, the user is no recipient of a share."""
    assert not any(c.action == "share" for c in read(extractor, text, "weixin").claims)


def test_provide_us_with_is_still_our_collection(extractor):
    assert ("collect", False, "email_address") in practices(
        read(extractor, "You may provide us with your email address.", "weixin"))
    assert not read(extractor, "We will provide you with a copy of your personal information.", "weixin").claims


@pytest.mark.parametrize("text", [
    "If you do not provide this information, you may not be able to use our services normally.",
    "If you choose not to provide your email address, you will not receive our newsletter.",
    "If you do not give us your phone number, you cannot register an account.",
])
def test_the_user_not_giving_data_denies_nothing(extractor, text):
    assert not read(extractor, text, "weixin").claims


def test_conditional_giving_is_still_a_collection(extractor):
    found = practices(read(extractor, "If you provide us with your email address, we will send you updates.", "acme"))
    assert ("collect", False, "email_address") in found


@pytest.mark.parametrize("text", [
    "We will obtain your explicit consent before using your location information for any other purpose.",
    "We will tell you the source and type of the information before we obtain it.",
    "We will inform you and ask for your permission before sharing your contacts with a new partner.",
    "If the processing goes beyond the scope of your consent, we will obtain your consent before processing it.",
])
def test_a_practice_a_notice_or_consent_comes_before_is_not_stated(extractor, text):
    assert not read(extractor, text, "weixin").claims


def test_a_before_clause_of_another_verb_still_states_the_practice(extractor):
    assert ("retain", False, "personal_information") in practices(
        read(extractor, "We encrypt your data before storing it on our servers.", "weixin"))


@pytest.mark.parametrize("text", [
    "If our use of your personal information goes beyond the purposes you have authorised, we will ask you again.",
    "To learn more about the SDKs' processing of personal information, please see the Third-Party Sharing List.",
    "We will tell you the scope of use of that information.",
])
def test_practice_nouns_in_conditions_and_pointers_state_nothing(extractor, text):
    assert not read(extractor, text, "weixin").claims


@pytest.mark.parametrize("text", [
    "To explain how we collect, use and store your personal information, we publish these Guidelines.",
    "We describe below how we collect, use, and disclose information about you.",
])
def test_an_embedded_question_series_states_no_practice(extractor, text):
    assert not read(extractor, text, "weixin").claims


def test_a_plain_verb_series_still_states_every_practice(extractor):
    found = practices(read(extractor, "We collect your name, use it to create your account and share it with our "
                                      "partners.", "weixin"))
    assert {("collect", False, "name"), ("use", False, "name"), ("share", False, "name")} <= found


@pytest.mark.parametrize(("text", "expected"), [
    ("When you use Official Account search, we will collect your search history.", {"search"}),
    ("When you use Mini Program search or image search, we will collect your search history.", {"search"}),
    ("When you use Mini Programs, we will collect your search history.", {"mini_programs"}),
    ("When you use Sticker Accounts, we will collect your IP address.", {"official_accounts"}),
])
def test_a_feature_modifying_another_features_name_is_that_feature(extractor, text, expected):
    assert {c.context for c in read(extractor, text, "weixin").claims} == expected


@pytest.mark.parametrize(("text", "context"), [
    ("1.7 When you use People Nearby, we will record your location information with your consent.", "people_nearby"),
    ("1.29 When you use Favorites, your information will be stored on our servers.", "favorites_feature"),
    ("5.1.1 When you register for Weixin, we will collect your mobile number.", "registration"),
])
def test_an_opening_clause_number_keeps_the_when_clause(extractor, text, context):
    result = read(extractor, text, "weixin")
    assert result.claims and {c.context for c in result.claims} == {context}
    assert all(text.split(" ", 1)[1] in c.sentence for c in result.claims)  # the evidence is the sentence


def test_only_clause_numbers_are_blanked():
    assert unnumbered("1.7 When you use") == "    When you use"
    assert unnumbered("5.1.1 To view") == "      To view"
    for text in ("1.5 million users visit", "3 months after", "2022 was", "1. Information We Collect"):
        assert unnumbered(text) == text


@pytest.mark.parametrize(("phrase", "data_type"), [
    ("your ID card number", "government_id"),
    ("the number of another valid identity document", "government_id"),
    ("your bank card type and number", "payment_card"),
    ("information about apps installed on your device", "installed_apps"),
    ("your network access method", "network_type"),
    ("your operation logs", "usage_data"),
])
def test_weixin_style_data_phrases_are_typed(extractor, phrase, data_type):
    found = {c.data_type for c in read(extractor, f"We will collect {phrase}.", "weixin").claims}
    assert data_type in found


@pytest.mark.parametrize(("text", "expected"), [
    ("We will provide the developer with your personal information.", {("share", False, "personal_information")}),
    ("We may provide third parties with your email address.", {("share", False, "email_address")}),
    ("With your consent, we will provide the Official Account operator with your nickname.",
     {("share", False, "nickname")}),
])
def test_providing_a_party_with_data_shares_it(extractor, text, expected):
    """"provide <party> with X" (the party object receives X) is a share of X, as "provide X to <party>"."""
    assert practices(read(extractor, text, "weixin")) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("We will collect records of operations such as reading, watching and liking content.",
     {"viewing_history", "interaction_events"}),
    ("We collect your interaction history, such as following, sharing and rating.", {"interaction_events"}),
    ("We will use your operation records, such as searching, underlining and adding to cart.",
     {"search_history", "usage_data"}),
])
def test_operations_listed_as_examples_of_records_are_records_of_them(extractor, text, expected):
    found = {c.data_type for c in read(extractor, text, "weixin").claims}
    assert expected <= found


def test_gerunds_outside_a_record_list_are_no_data(extractor):
    found = {c.data_type for c in read(extractor, "We use cookies for purposes such as remembering your settings "
                                                  "and measuring visits.", "acme").claims}
    assert "interaction_events" not in found and "viewing_history" not in found
