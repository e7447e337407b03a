"""The English extractor's mechanisms of round `en13` (policycheck-en 1.18.0): "statistics" as data, feature
names of the map and of wearables, comments and battery readings as data, "X, but not Y", a party requiring us to
give data, a mistagged "authorise", participle phrases after a sentence-opening data noun, and "about" phrases
the parser hung on the first of two coordinated items. Short constructed sentences, positive and guard cases per
rule."""

from __future__ import annotations

import pytest

from tests.claims.test_english_generalize import read


def claims_of(extractor, text: str, first_party: str = "wechat") -> set[tuple]:
    """(actor, action, negated, data type, context) of every claim of ``text``."""
    return {(c.actor, c.action, c.negated, c.data_type, c.context) for c in read(extractor, text, first_party).claims}


def data_of(extractor, text: str) -> set[tuple]:
    """(actor, action, negated, data type) of every claim of ``text``."""
    return {claim[:4] for claim in claims_of(extractor, text)}


# ---------------------------------------------------------------- "statistics" is data, not only a purpose
@pytest.mark.parametrize(("text", "wanted"), [
    ("We may disclose aggregated statistics to our partners.", ("share", False, "personal_information")),
    ("Our partners may receive statistics.", ("collect", False, "personal_information")),
    ("We never sell statistics about our users.", ("share", True, "personal_information")),
    ("We collect usage statistics.", ("collect", False, "usage_data")),
])
def test_statistics_named_as_the_object_is_data(extractor, text, wanted):
    """"statistics" is a data noun beside being an alias of the `reporting` feature: as a practice's argument
    it is data, typed by its modifiers like "information" (bare: personal_information)."""
    assert any(claim[1:] == wanted for claim in data_of(extractor, text))


@pytest.mark.parametrize("text", [
    "We process your log data for statistics.",
    "Statistics suggest that most people read the policy.",
])
def test_statistics_as_a_purpose_or_subject_is_no_data(extractor, text):
    assert not any(claim[3] == "personal_information" for claim in data_of(extractor, text))


# ---------------------------------------------------------------- feature names: the map, wearables
@pytest.mark.parametrize(("text", "feature"), [
    ("When you search the map, we collect your location.", "location_services"),
    ("If you connect a wristband, we collect its serial number.", "connected_devices"),
    ("When you link wearable devices, we receive your step count.", "connected_devices"),
])
def test_feature_names_in_a_when_clause_give_context(extractor, text, feature):
    assert any(claim[4] == feature for claim in claims_of(extractor, text))


def test_a_map_as_a_verb_names_no_feature(extractor):
    assert not any(claim[4] == "location_services"
                   for claim in claims_of(extractor, "When you sign in, we map your data to your account."))


# ---------------------------------------------------------------- comments and battery readings are data
@pytest.mark.parametrize(("text", "wanted"), [
    ("We retain your comments.", ("wechat", "retain", False, "user_content")),
    ("Comments you post on a video are visible to other users.", ("wechat", "share", False, "user_content")),
    ("We collect your battery status.", ("wechat", "collect", False, "device_information")),
    ("We record the battery level of your phone.", ("wechat", "collect", False, "device_information")),
])
def test_comments_and_battery_readings_are_named_data(extractor, text, wanted):
    assert wanted in data_of(extractor, text)


def test_questions_or_comments_to_us_state_no_practice(extractor):
    assert not data_of(extractor, "If you have comments about these terms, please write to us.")


# ---------------------------------------------------------------- "X, but not Y"
@pytest.mark.parametrize(("text", "kept", "denied"), [
    ("We collect your email address, but not your contacts.",
     ("wechat", "collect", False, "email_address"), ("wechat", "collect", True, "contacts")),
    ("The courier receives your phone number but not your name.",
     ("third_party", "collect", False, "phone_number"), ("third_party", "collect", True, "name")),
    ("We share your nickname, but not your profile photo.",
     ("wechat", "share", False, "nickname"), ("wechat", "share", True, "profile_photo")),
])
def test_but_not_denies_the_same_practice_of_the_second_data(extractor, text, kept, denied):
    found = data_of(extractor, text)
    assert kept in found and denied in found
    assert (*denied[:2], False, denied[3]) not in found


@pytest.mark.parametrize("text", [
    "We collect information including but not limited to your name and email address.",
    "We collect your name and email address.",
])
def test_no_denial_without_but_not(extractor, text):
    assert not any(claim[2] for claim in data_of(extractor, text))


# ---------------------------------------------------------------- a party requiring us to give data receives it
@pytest.mark.parametrize(("text", "wanted"), [
    ("Tax authorities may require us to provide your payment records.", "transaction_records"),
    ("A regulator may order us to supply your account information.", "account_information"),
])
def test_a_party_requiring_us_to_give_data_is_its_recipient(extractor, text, wanted):
    assert ("wechat", "share", False, wanted) in data_of(extractor, text)


def test_a_request_to_give_states_nothing(extractor):
    assert not data_of(extractor, "Our partners may ask us to provide your email address.")


# ---------------------------------------------------------------- "authorise" tagged as an adverb
@pytest.mark.parametrize(("text", "wanted"), [
    ("We do not authorise partners to store your photos.", ("third_party", "retain", True, "photos_and_videos")),
    ("We do not authorize vendors to sell your email address.", ("service_provider", "share", True, "email_address")),
])
def test_not_authorising_a_party_denies_its_practice(extractor, text, wanted):
    found = data_of(extractor, text)
    assert wanted in found and (*wanted[:2], False, wanted[3]) not in found


def test_a_modal_before_a_parenthesis_retags_nothing(extractor):
    """Only a word right after its auxiliary (adverbs aside) is re-tagged as a verb: "may (subject to ...) use"."""
    assert ("wechat", "use", False, "personal_information") in data_of(
        extractor, "We may (subject to these terms) use your personal information.")


# ---------------------------------------------------------------- participle phrases after a data noun
@pytest.mark.parametrize(("text", "wanted"), [
    ("Information shared with a game is handled by its developer.", ("third_party", "process", False,
                                                                     "personal_information")),
    ("Payment details entered in a shop are processed by the merchant.", ("third_party", "process", False,
                                                                         "payment_information")),
    ("Data shared with an Official Account is not retained by us.", ("wechat", "retain", True,
                                                                     "personal_information")),
])
def test_a_participle_phrase_after_the_data_leaves_the_main_passive(extractor, text, wanted):
    assert wanted in data_of(extractor, text)


def test_a_past_verb_with_an_object_is_no_participle_phrase(extractor):
    found = data_of(extractor, "We collected your data and are required to keep it.")
    assert ("wechat", "collect", False, "personal_information") in found


# ---------------------------------------------------------------- "X and information about Y"
@pytest.mark.parametrize(("text", "wanted"), [
    ("We provide your name and information about your account to the merchant.", {"name", "account_information"}),
    ("We provide your name and information about your account to our partners.", {"name", "account_information"}),
    ("We send your nickname and information about your device to our partners.",
     {"nickname", "device_information"}),
])
def test_an_about_phrase_after_a_generic_conjunct_qualifies_it(extractor, text, wanted):
    assert wanted <= {claim[3] for claim in data_of(extractor, text) if claim[1] == "share"}


# ---------------------------------------------------------------- "it" is not the subject of its own clause
@pytest.mark.parametrize(("text", "wanted", "wrong"), [
    ("If you share your location, your contacts can see it.", "location", "contacts"),
    ("When you send your location, your friends can view it.", "location", "friend_list"),
])
def test_a_pronoun_object_does_not_refer_to_its_clauses_subject(extractor, text, wanted, wrong):
    found = {claim[3] for claim in data_of(extractor, text) if claim[1] == "share"}
    assert wanted in found and wrong not in found


@pytest.mark.parametrize(("text", "wanted"), [
    ("If you add your email address to your profile, other users can see it.", "email_address"),
    ("We read your name from your profile and we store it.", "name"),
])
def test_a_pronoun_prefers_an_earlier_object_to_its_prepositional_phrase(extractor, text, wanted):
    found = {claim[3] for claim in data_of(extractor, text) if claim[1] in ("share", "retain")}
    assert found == {wanted}


def test_a_pronoun_still_refers_to_earlier_data(extractor):
    assert ("wechat", "retain", False, "email_address") in data_of(
        extractor, "We collect your email address and we store it on our servers.")


# ---------------------------------------------------------------- "subject to X's policy, which collects Y"
@pytest.mark.parametrize(("text", "wanted"), [
    ("WeChat Pay is subject to Tenpay's privacy policy, which collects your ID card number.",
     ("weixin_pay", "collect", False, "government_id", "payments")),
    ("Mini Programs are subject to the terms of their developers, who may store your nickname.",
     ("mini_program_developer", "retain", False, "nickname", "mini_programs")),
])
def test_a_relative_clause_of_the_governing_document_is_excluded_with_the_features_context(extractor, text, wanted):
    result = read(extractor, text)
    found = {(c.actor, c.action, c.negated, c.data_type, c.context): c.scope for c in result.claims}
    assert found.get(wanted) == "excluded"
    # the party's collection is of the data named, not of personal information in general
    assert not any(claim[3] == "personal_information" for claim in found)


def test_a_document_without_a_relative_clause_keeps_personal_information(extractor):
    assert ("mini_program_developer", "collect", False, "personal_information", "mini_programs") in claims_of(
        extractor, "Mini Programs are subject to the terms of their developers.")
