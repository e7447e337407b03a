"""The English extractor's mechanisms of round `en14` (policycheck-en 1.19.0): an "of/about" phrase after a
later generic item of a series the parser hung on its first item ("your name, email address and details of your
purchases"), a contact relative clause the parser made the main clause ("Vendors we hire store ..."), and a
particle after the verb's object ("pass X on to Y", "hand X over to Y"). Short constructed sentences, positive and
guard cases per rule."""

from __future__ import annotations

import pytest

from policycheck.claims.english import nlp, repair
from tests.claims.test_english_generalize import read


def claims_of(extractor, text: str) -> list:
    return read(extractor, text, "wechat").claims


def data_of(extractor, text: str) -> set[tuple]:
    """(actor, action, negated, data type) of every claim of ``text``."""
    return {(c.actor, c.action, c.negated, c.data_type) for c in claims_of(extractor, text)}


# ---------------------------------------------------------------- a series keeps its first item
@pytest.mark.parametrize(("text", "types"), [
    ("We collect your name, email address and details of your purchases.",
     {"name", "email_address", "transaction_records"}),
    ("We collect your name, phone number and information about your device.",
     {"name", "phone_number", "device_information"}),
    ("We collect your age, gender and records of your orders.",
     {"date_of_birth", "gender", "transaction_records"}),
    ("We collect your name, email address, phone number and details of your purchases.",
     {"name", "email_address", "phone_number", "transaction_records"}),
    ("We collect information such as your name, email address and details of your purchases.",
     {"name", "email_address", "transaction_records"}),
])
def test_a_qualified_last_item_leaves_the_first_item_of_the_series(extractor, text, types):
    """The "of/about" phrase after the series' last, generic item ("details", "information", "records")
    qualifies that item, not the first, which stays data of its own."""
    found = {claim[3] for claim in data_of(extractor, text) if claim[:3] == ("wechat", "collect", False)}
    assert types <= found


def test_records_of_a_series_is_no_bare_personal_information(extractor):
    found = data_of(extractor, "We collect your age, gender and records of your orders.")
    assert ("wechat", "collect", False, "personal_information") not in found


def test_a_shared_qualifier_of_a_specific_series_stays_on_its_first_item():
    """Guard: only a generic last item takes the phrase; in "the names and phone numbers of your contacts" the
    parser's attachment of "of your contacts" (to the series, through its first item) is kept."""
    doc = nlp.load()("We collect the names and phone numbers of your contacts.")
    before = next(t for t in doc if t.lower_ == "of").head.i
    repair.parse_repairs(doc)
    assert next(t for t in doc if t.lower_ == "of").head.i == before


# ---------------------------------------------------------------- a contact relative clause: its noun is the actor
@pytest.mark.parametrize(("text", "actors"), [
    ("Vendors we hire store your chat history.", {"service_provider"}),
    ("Partners we work with may collect your location.", {"third_party"}),
    ("The partners we choose process your payment information.", {"third_party"}),
    ("Companies that we engage receive your email address.", {"third_party"}),
    ("The advertisers we work with do not receive your phone number.", {"advertiser"}),
    ("We and the vendors we hire collect your email address.", {"wechat", "service_provider"}),
])
def test_the_noun_a_relative_clause_modifies_is_the_actor(extractor, text, actors):
    claims = claims_of(extractor, text)
    assert {c.actor for c in claims} == actors
    assert all(c.data_type != "personal_information" for c in claims)


def test_a_negated_relative_main_clause_stays_negated(extractor):
    claims = claims_of(extractor, "The advertisers we work with do not receive your phone number.")
    assert claims and all(c.negated for c in claims)


@pytest.mark.parametrize(("text", "actor"), [
    ("Information we collect is stored on servers in Singapore.", "wechat"),
    ("Today we collect your location.", "wechat"),
    ("We hire vendors to store your chat history.", "service_provider"),
])
def test_a_clause_of_our_own_keeps_its_subject(extractor, text, actor):
    """Guards: a passive main clause after the relative, an adverbial noun before "we" with an object of its
    own, and "hire X to V" keep their readings."""
    assert actor in {c.actor for c in claims_of(extractor, text)}


def test_the_relative_clause_pronoun_states_no_practice(extractor):
    assert not any(c.actor == "wechat" for c in claims_of(extractor, "Vendors we hire store your chat history."))


# ---------------------------------------------------------------- "pass X on to Y", "hand X over to Y"
@pytest.mark.parametrize(("text", "data", "recipient"), [
    ("We pass your email address on to our partners.", "email_address", "third_party"),
    ("We may pass your phone number on to advertisers.", "phone_number", "advertiser"),
    ("We pass your order details along to the merchant.", "transaction_records", "third_party"),
    ("We hand your phone number over to advertisers.", "phone_number", "advertiser"),
    ("We pass on your email address to our partners.", "email_address", "third_party"),
])
def test_a_particle_after_the_object_makes_the_phrasal_verb(extractor, text, data, recipient):
    assert any((c.actor, c.action, c.negated, c.data_type, c.recipient) == ("wechat", "share", False, data, recipient)
               for c in claims_of(extractor, text))


@pytest.mark.parametrize("text", [
    "We keep your email address on our servers.",
    "We rely on your email address.",
])
def test_a_preposition_with_its_own_object_is_no_particle(extractor, text):
    assert not any(c.action == "share" for c in claims_of(extractor, text))
