"""Review of rounds en21 and opp14 (policycheck-en 1.36.0): a document the first party holds ("our business
licence") is no data of the user; an "ID" a word names the holder of ("user ID type", "merchant ID number") is that
holder's identifier, not the identity document; a chain of noun modifiers whose inner word the lexicon names
("location history data": "location" a modifier of "history") is typed by the chain. Short constructed sentences
(not from any policy or gold set), positive and guard cases per rule."""

from __future__ import annotations

import pytest

from tests.claims.test_english_en17 import types_of


@pytest.mark.parametrize(("text", "expected"), [
    # the first party's own documents are no personal data of the user
    ("We may share our business licence with regulators.", set()),
    ("We may disclose our certificate of incorporation to partners.", set()),
    ("We keep a copy of our business licence.", set()),
    ("We keep our contract with you.", set()),
    # guards: the user's documents (en21) stay data
    ("We keep a copy of your business licence.", {"personal_information"}),
    ("We may share your business licence with regulators.", {"personal_information"}),
    ("We keep the merchant's business permit.", {"personal_information"}),
])
def test_first_party_documents_are_no_user_data(extractor, text, expected):
    assert types_of(extractor, text) == expected, text


@pytest.mark.parametrize(("text", "unwanted"), [
    # an ID a word before it names the holder of is that holder's identifier, not the identity document
    ("We collect the user ID type.", "government_id"),
    ("We collect the type of user ID you use.", "government_id"),
    ("We collect the merchant ID number.", "government_id"),
    ("We collect your transaction ID number.", "government_id"),
])
def test_holder_ids_are_no_identity_documents(extractor, text, unwanted):
    assert unwanted not in types_of(extractor, text), text


@pytest.mark.parametrize(("text", "expected"), [
    # guards: the identity document keeps its type (en21)
    ("We collect the ID type.", {"government_id"}),
    ("We collect the expiry date of your ID.", {"government_id"}),
    ("We collect the national ID number.", {"government_id"}),
    ("We collect your ID number.", {"government_id"}),
    ("We collect the QQ ID number.", {"qq_id"}),
])
def test_identity_documents_keep_their_type(extractor, text, expected):
    assert types_of(extractor, text) == expected, text


@pytest.mark.parametrize(("text", "expected"), [
    # a lexicon name modifying a record word inside a generic phrase: the chain types the phrase
    ("We collect location history data.", {"location"}),
    ("We collect user location history data.", {"location"}),
    ("We store location history information.", {"location"}),
    # guards
    ("We collect your location history.", {"location"}),
    ("We collect browsing history data.", {"viewing_history"}),
    ("We collect user location data.", {"location"}),
])
def test_chains_with_a_named_inner_modifier(extractor, text, expected):
    assert types_of(extractor, text) == expected, text


@pytest.mark.parametrize(("text", "expected"), [
    # "licence" names the identity document only in a whole name ("driving licence"), not beside another kind
    ("We collect your business licence information.", {"personal_information"}),
    ("We collect licence details for the apps you install.", {"personal_information"}),
    ("We collect the licence type.", {"personal_information"}),
    # a photo of a document the user holds is that document, as a scan or copy of it is
    ("We keep a photo of your business licence.", {"personal_information"}),
    ("We keep a photo of your medical certificate.", {"health_data"}),
    # guards: a driving licence, an ID, a passport stay identity documents
    ("We collect your driving licence information.", {"government_id"}),
    ("We collect the expiry date of your driving licence.", {"government_id"}),
    ("We collect your passport details.", {"government_id"}),
    ("We keep a photo of your ID.", {"government_id"}),
    ("We keep a photo of your car.", {"photos_and_videos"}),
])
def test_licences_and_pictured_documents(extractor, text, expected):
    assert types_of(extractor, text) == expected, text


@pytest.mark.parametrize(("text", "expected"), [
    # the date, time, size or count of communications is their metadata (claims_en_lexicon.yaml header: "the date
    # and time / duration of your calls / messages" communication_metadata), whether the lexicon names the
    # messages or not
    ("We collect the date and time of your messages.", {"communication_metadata"}),
    ("We record the time of your messages.", {"communication_metadata"}),
    ("We collect the size and frequency of the messages you send.", {"communication_metadata"}),
    ("We collect the number of messages you send.", {"communication_metadata"}),
    ("We collect the length of your chats.", {"communication_metadata"}),
    # guards: the content or type of messages is the messages; other attributes keep their types
    ("We collect the content of your messages.", {"chat_data"}),
    ("We collect the type of messages you send.", {"chat_data"}),
    ("We collect your messages and the time of your login.", {"chat_data", "login_data"}),
    ("We collect the phone numbers of your contacts.", {"contacts"}),
])
def test_attributes_of_communications_are_metadata(extractor, text, expected):
    assert types_of(extractor, text) == expected, text


@pytest.mark.parametrize(("text", "expected"), [
    # a name before "settings" says what the settings are about: the settings, not that data
    ("We collect device location settings.", {"device_configuration"}),
    ("We collect your location settings.", {"device_configuration"}),
    # guards: whole names of settings keep their types; a listed location stays
    ("We collect your language settings.", {"language_setting"}),
    ("We collect your browser settings.", {"browser_information"}),
    ("We collect your location and settings.", {"location", "device_configuration"}),
])
def test_settings_of_a_named_thing_are_settings(extractor, text, expected):
    assert types_of(extractor, text) == expected, text


@pytest.mark.parametrize(("text", "expected"), [
    # one best concept is itself, though it has two parents ("Mini Program app id": Mini Program usage, identifier)
    ("We collect the ID of the Mini Program you use.", {"mini_program_appid"}),
    # guards
    ("We collect the Mini Program ID.", {"mini_program_appid"}),
    ("We collect the ID of your device.", {"device_identifier"}),
])
def test_a_concept_with_two_parents_is_itself(extractor, text, expected):
    assert types_of(extractor, text) == expected, text
