"""Round en23 (policycheck-en 1.38.0): modifiers coordinated before one head share it, however the parser attaches
them. In "X and Y information" each conjunct names its own data type (X + head, else X alone), as PoliGraph's and
PolicyLint's data-entity coordination does; a named word inside a chain of noun modifiers before a generic head is
typed with the chain; an attribute noun coordinated with one whose "of" object it shares is typed by that object as
its modifier. Short constructed sentences (not from any policy or gold set), positive and guard cases per rule."""

from __future__ import annotations

import pytest

from tests.claims.test_english_en17 import types_of


@pytest.mark.parametrize(("text", "expected"), [
    # a one-word data, feature or party name as the first modifier of the series
    ("We may keep your location and network information.", {"location", "network_information"}),
    ("Advertisers receive your account and usage data.", {"account_information", "usage_data"}),
    ("We store your location, payment and device information.",
     {"location", "payment_information", "device_information"}),
    ("We use your login and device information to secure your account.", {"login_data", "device_information"}),
    ("Our partners collect your account or payment details.", {"account_information", "payment_information"}),
    ("We retain your chat and search history.", {"chat_data", "search_history"}),
    ("We may collect login or transaction records.", {"login_data", "transaction_records"}),
    # the series before the head's own modifier ("network identifiers" read apart from "device")
    ("We may log device and network identifiers.", {"device_identifier", "identifier"}),
    # a named modifier whose phrase with the head names nothing is its own data
    ("We share your name and device information with advertisers.", {"name", "device_information"}),
])
def test_coordinated_modifiers_share_the_head(extractor, text, expected):
    assert types_of(extractor, text) == expected, text


@pytest.mark.parametrize(("text", "expected"), [
    # guards: one thing named by two words, two nouns without a shared head, a plural noun of its own, no data
    ("We ask for your first and last name.", {"name"}),
    ("We keep your billing and shipping addresses.", {"postal_address"}),
    ("We collect your name and postal address.", {"name", "postal_address"}),
    ("We collect your contacts and location information.", {"contacts", "location"}),
    ("We publish our terms and conditions.", set()),
    ("We collect your email and mobile number.", {"email_address", "phone_number"}),
    ("We offer customer support and security services.", set()),
    # an adjective before the head ends the shared phrase: "other information" is not "account information"
    ("We keep your account and other information.", {"personal_information"}),
])
def test_coordination_guards(extractor, text, expected):
    assert types_of(extractor, text) == expected, text


@pytest.mark.parametrize(("text", "expected"), [
    # a named word in a chain of noun modifiers before a generic head types the chain
    ("We may keep location history data.", {"location"}),
    ("We collect login history information.", {"login_data"}),
    # guards: a named phrase in an "about" phrase, a two-word name
    ("We collect information about your location history.", {"location"}),
    ("We collect your location data.", {"location"}),
    # review5's enumerations._inner_modifier: a name set off from a generic head by other modifiers types the chain
    ("We keep your email verification information.", {"email_address"}),
])
def test_named_modifier_in_a_chain(extractor, text, expected):
    assert types_of(extractor, text) == expected, text


@pytest.mark.parametrize(("text", "expected"), [
    # an attribute noun coordinated with one that has the "of" object shares it
    ("We log the date and time of every login.", {"login_data"}),
    ("We record the time and duration of your calls.", {"communication_metadata"}),
])
def test_attribute_conjunct_shares_the_of_object(extractor, text, expected):
    assert types_of(extractor, text) == expected, text
