"""Round en21 (policycheck-en 1.32.0): no data phrase dropped, compound data phrases typed by what they denote.
Documents the user holds (licences, certificates, agreements), an "ID" modifier naming the identity document, a
chain of noun modifiers before a generic or record-like head, the "of" object of an attribute noun read as a
phrase, text taken from a document, health words before records, a gerund the parser read as a verb before the
data noun, and a photo of a thing. Short constructed sentences (not from any policy or gold set), positive and
guard cases per rule."""

from __future__ import annotations

import pytest

from tests.claims.test_english_en17 import types_of


@pytest.mark.parametrize(("text", "expected"), [
    # a document of the user is personal data of its own, typed by what its modifiers name
    ("We need your business permit.", {"personal_information"}),
    ("We collect your marriage certificate.", {"personal_information"}),
    ("We keep your company registration certificate.", {"personal_information"}),
    ("We keep a scanned copy of your lease contract.", {"personal_information"}),
    ("We may request your trade licence to verify your shop.", {"personal_information"}),
    ("We store your insurance policy documents.", {"personal_information"}),
    ("We collect your medical certificate.", {"health_data"}),
    ("Your immunisation certificate is stored for a year.", {"health_data"}),
    # guards: identity documents keep their type; certificates that secure connections are no data
    ("We collect your identity documents.", {"government_id"}),
    ("We keep your driving licence.", {"government_id"}),
    ("We use TLS certificates to protect connections.", set()),
    ("We will obtain your agreement before we share it.", set()),
    ("We keep your lease agreement.", {"personal_information"}),
    ("We need your express agreement to do so.", set()),
])
def test_documents_are_data(extractor, text, expected):
    assert types_of(extractor, text) == expected, text


@pytest.mark.parametrize(("text", "expected"), [
    # an ID whose attribute or text a phrase names is the identity document
    ("We store ID information for verification.", {"government_id"}),
    ("We collect the type of ID you choose.", {"government_id"}),
    ("We collect the ID expiry date.", {"government_id"}),
    ("We keep the text recognised from your passport.", {"government_id"}),
    ("We collect text extracted from your driving licence.", {"government_id"}),
    # guards: identifiers of a user, an account or a device stay identifiers
    ("We collect your user ID.", {"identifier"}),
    ("We collect your device ID information.", {"device_identifier"}),
    ("We collect your WeChat ID.", {"wechat_id"}),
    ("We collect the date of verification.", {"personal_information"}),
])
def test_id_as_identity_document(extractor, text, expected):
    assert types_of(extractor, text) == expected, text


@pytest.mark.parametrize(("text", "expected"), [
    # a modifier chain the ontology does not know as a whole: its nearest modifier that names a concept
    ("We keep account protection information.", {"account_information"}),
    ("We store network security information.", {"network_information"}),
    ("We collect password reset log metadata.", {"password"}),
    ("We store device crash log metadata.", {"service_logs"}),
    ("We collect WeChat Pay transaction log metadata.", {"transaction_records"}),
    ("We keep your purchase history records.", {"transaction_records"}),
    ("We keep your call history records.", {"communication_metadata"}),
    ("We collect Login attempt log metadata.", {"login_data"}),  # a table label's Title Case
    ("We keep App Store Payment metadata.", {"transaction_records"}),
    # guards: whole names and single modifiers keep their types
    ("We collect payment metadata.", {"transaction_records"}),
    ("We collect account login information.", {"login_data"}),
    ("We collect browsing history data.", {"viewing_history"}),
])
def test_modifier_chains(extractor, text, expected):
    assert types_of(extractor, text) == expected, text


@pytest.mark.parametrize(("text", "expected"), [
    # an attribute of events is of those events, read as a phrase ("video calls" are calls)
    ("We record the date and time of your voice calls.", {"communication_metadata"}),
    ("We keep the start time of your video calls.", {"communication_metadata"}),
    # health words before records name health data
    ("We collect your immunization history.", {"health_data"}),
    ("We store your medication records.", {"health_data"}),
    # guards: results of other tests are no health data; the date of a login is login data
    ("We collect the date of your last login.", {"login_data"}),
    ("We collect the time of your purchases.", {"transaction_records"}),
])
def test_attributes_and_health_records(extractor, text, expected):
    assert types_of(extractor, text) == expected, text


@pytest.mark.parametrize(("text", "expected"), [
    # a gerund the model read as a verb whose object is the data noun written right after it
    ("We store welcome messages you send to people nearby.", {"chat_data"}),
    ("We process greeting messages you send to new friends.", {"chat_data"}),
    # a photo of a thing is a picture taken, not the profile photo
    ("We keep a photo of your dog.", {"photos_and_videos"}),
    ("We store a photo of your car.", {"photos_and_videos"}),
    # guards
    ("We collect your profile photo.", {"profile_photo"}),
    ("We store a photo of your face.", {"face_data"}),
    ("We use WeChat Pay.", set()),
])
def test_gerund_nouns_and_pictures(extractor, text, expected):
    assert types_of(extractor, text) == expected, text
