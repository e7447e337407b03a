"""Round en20 (policycheck-en 1.31.0): records of contact points and device attributes, the metadata "of" data,
and depicted identity documents. Short constructed sentences (not from any policy or gold set), positive and
guard cases."""

from __future__ import annotations

import pytest

from tests.claims.test_english_en17 import types_of


@pytest.mark.parametrize(("text", "expected"), [
    # an address one is reached at is no event: its logs, history and metadata record the communications
    ("We keep the email metadata of your account.", {"communication_metadata"}),
    ("Email logs are kept for thirty days.", {"communication_metadata"}),
    ("We may store your e-mail history.", {"communication_metadata"}),
    ("We keep your phone number history.", {"communication_metadata"}),
    # a device attribute is no event either: logs of it are log data
    ("We collect device logs to fix problems.", {"log_data"}),
    ("Your device logs are stored for a week.", {"log_data"}),
    # guards: records of events keep their types; the address itself and the device itself are still what they are
    ("We keep call logs.", {"communication_metadata"}),
    ("We collect server logs.", {"log_data"}),
    ("We collect crash logs.", {"service_logs"}),
    ("We store your login history.", {"login_data"}),
    ("We collect your location history.", {"location"}),
    ("We collect your email address.", {"email_address"}),
    ("We collect device metadata.", {"device_information"}),
])
def test_records_of_contact_points_and_devices(extractor, text, expected):
    assert types_of(extractor, text) == expected, text


@pytest.mark.parametrize(("text", "expected"), [
    # a record-like head with an "of" object is typed as the compound of the two ("message metadata")
    ("We store the metadata of your messages.", {"communication_metadata"}),
    ("The metadata of your chats is kept for a month.", {"communication_metadata"}),
    ("We keep the logs of your email.", {"communication_metadata"}),
    ("We keep logs of your payments.", {"transaction_records"}),
    # guards: the content of messages is the messages; several objects keep their own types
    ("We store the content of your messages.", {"chat_data"}),
    ("We store the metadata of your messages and photos.", {"chat_data", "photos_and_videos"}),
])
def test_record_of_an_object(extractor, text, expected):
    assert types_of(extractor, text) == expected, text


@pytest.mark.parametrize(("text", "expected"), [
    # a depicted "ID" is an identity document
    ("We ask for a photo of your ID.", {"government_id"}),
    ("You may upload a scan of your ID.", {"government_id"}),
    ("We keep a copy of your ID for verification.", {"government_id"}),
    ("We request a picture of your ID.", {"government_id"}),
    ("We store ID photos.", {"government_id"}),
    # guards: identifiers and other depictions are not documents
    ("We collect your user ID.", {"identifier"}),
    ("We ask for a copy of your user ID.", set()),
    ("We collect your profile photo.", {"profile_photo"}),
    # a copy of a document the user holds is that document, no identity document: personal information (en21;
    # English held-out header: "business licence, records of contracts -> personal_information")
    ("We keep a copy of your contract.", {"personal_information"}),
])
def test_depicted_id_is_an_identity_document(extractor, text, expected):
    assert types_of(extractor, text) == expected, text
