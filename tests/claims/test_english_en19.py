"""The English extractor's typing of compound data phrases, round `en19` (policycheck-en 1.27.0): a record-like
head ("history", "records", "logs", "metadata", "list", "number") takes the type its modifiers name,
narrowed to the records of that type ("billing history" -> transaction records); a modifier of such a head names
no data of its own; a photo, image or scan of an identity document or of the face is that document or facial
data; "data revealing / concerning X" is typed by X; GDPR Art. 9, App Store and Google Play names of sensitive,
financial, audio and device data (``mappings/data_types.yaml``). Short constructed sentences, positive and guard
cases per rule."""

from __future__ import annotations

import pytest

from tests.claims.test_english_en17 import types_of


# ---------------------------------------------------------------- record-like heads typed by their modifiers
@pytest.mark.parametrize(("text", "expected"), [
    ("Login history is kept for a year.", "login_data"),
    ("We analyse login records to detect fraud.", "login_data"),
    ("Our servers retain usage logs.", "usage_data"),
    ("We store location logs on our servers.", "location"),
    ("We keep your chat logs on our servers.", "chat_data"),
    ("We collect your billing history.", "transaction_records"),
    ("We may disclose transaction metadata to regulators.", "transaction_records"),
    ("We retain payment logs.", "transaction_records"),
    ("Login metadata is kept for audits.", "login_data"),
    ("Voice call metadata is retained for six months.", "communication_metadata"),
    ("The number of steps you take is stored on our servers.", "health_data"),
    ("We keep a record of your searches.", "search_history"),
])
def test_record_head_takes_its_modifiers_type(extractor, text, expected):
    """"history/records/logs/metadata/number" of something is data of that something."""
    found = types_of(extractor, text)
    assert expected in found, found


@pytest.mark.parametrize(("text", "unexpected"), [
    ("We collect your login metadata.", "content_metadata"),
    ("We keep chat logs.", "log_data"),
    ("We collect your billing history.", "personal_information"),
    ("We share location logs with partners.", "log_data"),
    ("We read the metadata of your photos.", "profile_photo"),
    ("We collect photo metadata.", "profile_photo"),
])
def test_record_head_is_not_its_head_words_type(extractor, text, unexpected):
    """The head's own lexicon type (metadata -> content metadata, logs -> log data) or the
    modifier's own mention does not stand beside the record of the modified type."""
    found = types_of(extractor, text)
    assert unexpected not in found, found


@pytest.mark.parametrize(("text", "expected"), [
    ("We collect metadata such as the time a picture was taken.", "content_metadata"),
    ("We collect photo metadata.", "content_metadata"),  # a profile photo or photos: the modifier is ambiguous
    ("We collect your device settings.", "device_configuration"),
    ("We collect your privacy settings.", "device_configuration"),  # "privacy" names no data type
    ("Your account settings are stored on our servers.", "device_configuration"),  # "settings" names a type
    ("We keep server logs.", "log_data"),
    ("We collect your purchase history.", "transaction_records"),
    ("We collect your phone number.", "phone_number"),
    ("We collect your bank account number.", "bank_account"),
    ("We collect your card number.", "payment_card"),
    ("We collect a list of your friends.", "friend_list"),
])
def test_record_heads_whose_words_name_the_type_keep_it(extractor, text, expected):
    """Guards: a head whose modifier names nothing, or refines the head's own concepts, keeps the old typing."""
    found = types_of(extractor, text)
    assert expected in found, found


@pytest.mark.parametrize("text", [
    "We keep records of the searches and views you make.",  # "views": no name of search history explains it
    "We collect interaction records of Official Accounts.",  # a feature's records: not account information
])
def test_records_of_things_no_one_type_explains(extractor, text):
    """Guards: a record head is typed by its modifiers only when every one of them is a word of the type's names
    and none is part of a party's or feature's proper name."""
    found = types_of(extractor, text)
    assert not found & {"search_history", "account_information"}, found


def test_a_count_of_unknown_things_stays_generic(extractor):
    """"the number of times" names no type: the fallback stays, no identifier is guessed from "number"."""
    assert types_of(extractor, "We record the number of times you open the app.") == {"personal_information"}


# ---------------------------------------------------------------- depictions of identity documents and of the face
@pytest.mark.parametrize("text", [
    "We keep scans of your passport.",
    "We keep passport scans.",
    "We collect ID card photos.",
    "We collect a picture of your driving licence.",
    "Our verification vendor stores an image of your national identity card.",
])
def test_depicted_identity_document_is_the_document(extractor, text):
    """A photo, picture, image or scan of an identity document is the identity document."""
    found = types_of(extractor, text)
    assert "government_id" in found, found
    assert not found & {"profile_photo", "photos_and_videos"}, found


@pytest.mark.parametrize("text", ["A photo of your face is stored on our servers.",
                                  "We collect an image of your face."])
def test_depicted_face_is_facial_data(extractor, text):
    found = types_of(extractor, text)
    assert "face_data" in found and "profile_photo" not in found, found


@pytest.mark.parametrize(("text", "expected"), [
    ("We collect your profile photo.", "profile_photo"),
    ("We collect the photo you set as your avatar.", "profile_photo"),
    ("We store your holiday photos.", "photos_and_videos"),
    ("We collect photos of your meals.", "photos_and_videos"),
])
def test_other_photos_stay_photos(extractor, text, expected):
    """Guards: a photo of anything but an identity document or the face keeps its type."""
    found = types_of(extractor, text)
    assert expected in found and "government_id" not in found and "face_data" not in found, found


# ---------------------------------------------------------------- "data revealing / concerning X"
@pytest.mark.parametrize(("text", "expected"), [
    ("We never process data revealing your religious beliefs.", "beliefs_and_origin"),
    ("We do not keep information revealing your political opinions.", "beliefs_and_origin"),
    ("We hold data concerning your health.", "health_data"),
    ("We do not share data concerning your ethnic origin.", "beliefs_and_origin"),
])
def test_data_revealing_or_concerning_x_is_x(extractor, text, expected):
    found = types_of(extractor, text)
    assert expected in found and "personal_information" not in found, found


def test_revealing_without_data_object_stays_generic(extractor):
    """Guard: a participle whose object names nothing known leaves the generic type."""
    assert types_of(extractor, "We do not collect data revealing your plans.") == {"personal_information"}


# ---------------------------------------------------------------- outside vocabulary (data_types.yaml synonyms)
@pytest.mark.parametrize(("text", "expected"), [
    ("We do not process data about trade union membership.", "sensitive_personal_information"),
    ("We do not collect genetic information.", "sensitive_personal_information"),
    ("We do not collect your racial or ethnic origin.", "beliefs_and_origin"),
    ("We may receive your credit information from a credit bureau.", "payment_information"),
    ("Your exercise data is stored on our servers.", "health_data"),
    ("We collect sound recordings.", "voice_input"),
    ("We collect information about your SIM card.", "device_information"),
    ("We collect your SIM card information.", "device_information"),
])
def test_outside_vocabulary(extractor, text, expected):
    found = types_of(extractor, text)
    assert expected in found, found


@pytest.mark.parametrize(("text", "expected"), [
    ("We collect your credit card information.", "payment_card"),
    ("We collect your debit card details.", "payment_card"),
    ("Our payment processor stores your card details.", "payment_card"),
    ("We collect your membership information.", "account_information"),
])
def test_cards_and_memberships_that_are_what_they_say(extractor, text, expected):
    """Guards: a payment card stays a payment card; a membership of the service stays account information."""
    found = types_of(extractor, text)
    assert expected in found and "device_information" not in found, found


# ---------------------------------------------------------------- examples typed by a bare head word
@pytest.mark.parametrize("text", [
    "We may process biometric data such as your fingerprint.",
    "We collect biometric information, such as your fingerprints.",
])
def test_bare_example_takes_its_categorys_type(extractor, text):
    """An example typed by its bare head word alone, unrelated to the category it is listed under, is of the
    category's type (a fingerprint under biometric data is no device fingerprint)."""
    found = types_of(extractor, text)
    assert found == {"biometric_data"}, found


@pytest.mark.parametrize(("text", "expected"), [
    ("We collect device information, such as your serial number.", "serial_number"),
    ("We collect biometric data such as your face ID.", "face_data"),
])
def test_examples_with_types_of_their_own_keep_them(extractor, text, expected):
    """Guards: an example the ontology names, or of a kind of the category, keeps its own type."""
    found = types_of(extractor, text)
    assert expected in found, found


# ---------------------------------------------------------------- a list or record of nothing specific
@pytest.mark.parametrize("text", [
    "We keep the following list of data: your phone number and your postal address.",
    "We store a list of information, including your phone number.",
])
def test_bare_list_beside_named_data_adds_nothing(extractor, text):
    """A list of generic "data" or "information" counts only as the data it names, like a bare "information"."""
    found = types_of(extractor, text)
    assert "phone_number" in found and "personal_information" not in found, found


@pytest.mark.parametrize("text", ["We keep records.", "We keep records of your information."])
def test_bare_record_alone_is_still_data(extractor, text):
    """Guard: with nothing more specific named, the phrase still yields the generic claim (no phrase dropped)."""
    assert types_of(extractor, text) == {"personal_information"}
