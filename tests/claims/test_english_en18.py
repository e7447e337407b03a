"""The English extractor's mechanisms of round `en18` (policycheck-en 1.25.0): "pass X to <party>" as a share;
a verb right after the preposition that ends a contact relative clause ("Vendors we work with collect X") as the
main verb; a preposition stranded in a relative clause taking the modified noun as its object (the recipient of
"the developers you share data with"); coordinated heads under one determiner sharing an "of" phrase naming
other data ("the names and phone numbers of your contacts"). Short constructed sentences, positive and guard cases per
rule."""

from __future__ import annotations

import pytest

from tests.claims.test_english_generalize import read


def claims_of(extractor, text: str) -> set[tuple]:
    """(actor, action, negated, data type) of every claim of ``text``."""
    return {(c.actor, c.action, c.negated, c.data_type) for c in read(extractor, text, "wechat").claims}


def recipients_of(extractor, text: str) -> set[str | None]:
    return {c.recipient for c in read(extractor, text, "wechat").claims if c.action == "share"}


# ---------------------------------------------------------------- "pass X to <party>"
@pytest.mark.parametrize(("text", "expected"), [
    ("We might pass your mailing address to delivery partners.", ("wechat", "share", False, "postal_address")),
    ("Your phone number may be passed to advertisers.", ("wechat", "share", False, "phone_number")),
    ("We never pass your email address to third parties.", ("wechat", "share", True, "email_address")),
    ("We pass along your IP address to analytics providers.", ("wechat", "share", False, "ip_address")),
])
def test_pass_to_a_party_is_a_share(extractor, text, expected):
    """Passing data to a party discloses it to that party, with or without the particle "on/along"."""
    assert expected in claims_of(extractor, text)


@pytest.mark.parametrize("text", [
    "Our servers must pass a security audit every year.",
    "Parliament may pass a law on the retention of your messages.",
    "You can pass the phone to your friend.",
    "Please pass your questions about this policy to the help desk.",
])
def test_pass_without_a_receiving_party_states_nothing(extractor, text):
    """Without a "to" phrase naming a party the ontology knows (the user is none), "pass" is no practice."""
    assert not {c for c in claims_of(extractor, text) if c[1] == "share"}


# ---------------------------------------------------------------- a contact relative ending in a preposition
@pytest.mark.parametrize(("text", "actor", "action"), [
    ("Analytics providers we work with collect your device identifiers.", "third_party", "collect"),
    ("Advertisers we cooperate with receive your IP address.", "advertiser", "collect"),
    ("Third parties we partner with process your location data.", "third_party", "process"),
    ("Third parties we partner with may store your location data.", "third_party", "retain"),
])
def test_verb_after_a_stranded_preposition_is_the_main_verb(extractor, text, actor, action):
    """The noun the contact clause modifies acts; neither the first party nor its "we" does."""
    found = claims_of(extractor, text)
    assert any(c[0] == actor and c[1] == action for c in found), found
    assert not any(c[0] == "wechat" for c in found), found


def test_contact_relative_without_a_stranded_preposition_unchanged(extractor):
    """Guard: a relative clause whose preposition has its own object keeps its parse ("with our support")."""
    found = claims_of(extractor, "Partners we selected with care collect your email address.")
    assert not any(c[0] == "wechat" and c[1] == "collect" for c in found)


# ---------------------------------------------------------------- the relative's gap as the recipient
def test_user_sharing_with_the_modified_party_is_that_partys_receipt(extractor):
    """"the developers you share data with": the developers receive what the user gives them (the convention
    for "Information you provide to X"); no collection of ours."""
    found = claims_of(extractor, "The developers you share data with are responsible for how they use it.")
    assert ("wechat", "collect", False, "personal_information") not in found
    assert ("third_party", "collect", False, "personal_information") in found


def test_our_sharing_with_the_modified_party_names_it_as_recipient(extractor):
    assert recipients_of(extractor, "The advertisers we share your device information with may use it.") \
        == {"advertiser"}


@pytest.mark.parametrize("text", [
    "Friends you share your photos with can see them.",
    "Other users you share your location with can see it.",
])
def test_sharing_among_users_or_with_no_party_is_no_collection(extractor, text):
    """Guard: the modified noun is other users, or no party at all: no collection of ours."""
    assert not any(c[1] == "collect" for c in claims_of(extractor, text))


# ---------------------------------------------------------------- coordinated heads sharing an "of" phrase
@pytest.mark.parametrize("text", [
    "We may obtain the names and phone numbers of your contacts.",
    "We collect the names and phone numbers of your contacts.",
    "We obtain the names, email addresses and phone numbers of your contacts.",
])
def test_coordinated_attributes_of_other_data_are_that_data(extractor, text):
    """Every head before the shared "of" phrase is an attribute of the data it names, as one head is."""
    found = {c[3] for c in claims_of(extractor, text)}
    assert found == {"contacts"}


def test_own_determiner_keeps_a_conjunct_apart(extractor):
    """Guard: "your email address and the phone numbers of your contacts": the first is the user's own."""
    text = "We collect your email address and the phone numbers of your contacts."
    found = {c[3] for c in claims_of(extractor, text)}
    assert found == {"email_address", "contacts"}


def test_of_phrase_naming_no_data_keeps_the_heads(extractor):
    found = {c[3] for c in claims_of(extractor, "We collect the name and email address of your employer.")}
    assert {"name", "email_address"} <= found
