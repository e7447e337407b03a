"""The English extractor's mechanisms of the eighth OPP-115 round (`opp15`): website vocabulary of usage and
buying patterns and of coarse places (ontology synonyms), "information about your interaction(s) with X" as usage,
an anaphor after a list ending in examples, and the object-control gap of a relative clause ("the vendors we hire
to track ..."). Short constructed sentences in the style of website policies, several per shape, with guards
(none copied from OPP-115)."""

from __future__ import annotations

import pytest

from tests.claims.test_english_generalize import read
from tests.claims.test_english_opp10 import claims_of


@pytest.mark.parametrize("text, wanted", [
    ("We collect your browsing habits.", ("acme", "collect", False, "usage_data")),
    ("We may share information about site visitation patterns with our partners.",
     ("acme", "share", False, "usage_data")),
    ("We collect data on the viewing behavior of our readers.", ("acme", "collect", False, "viewing_history")),
    ("We collect your purchasing patterns when you shop with us.",
     ("acme", "collect", False, "transaction_records")),
    ("We collect information about your shopping behavior.", ("acme", "collect", False, "transaction_records")),
    ("We may collect your buying habits from our stores.", ("acme", "collect", False, "transaction_records")),
    ("We ask for your hometown when you register.", ("acme", "collect", False, "approximate_location")),
])
def test_patterns_habits_and_places_are_typed(extractor, text, wanted):
    """Patterns, habits and behaviour of browsing or visiting a site are its usage, those of viewing a viewing
    history (CCPA 1798.140(v)(1)(F), network activity information); those of buying are purchase records
    (1798.140(v)(1)(D): "purchasing or consuming histories or tendencies"); a hometown or province is coarse
    location (``mappings/data_types.yaml``)."""
    assert wanted in claims_of(read(extractor, text, "acme")), text


@pytest.mark.parametrize("text, actor, data_type", [
    ("We collect information about your interactions with our email messages.", "acme", "interaction_events"),
    ("We gather data about your engagement with our advertisements.", "acme", "usage_data"),
    ("We collect information about your interaction with the videos on our site.", "acme", "interaction_events"),
    ("Our partners collect information about your interactions with our newsletters.", "third_party",
     "interaction_events"),
])
def test_interaction_with_a_thing_is_usage(extractor, text, actor, data_type):
    """"Your interaction(s) / engagement with" a site, content, an email or an ad names its usage, as "your use
    of" does (``typing.USAGE_NOUNS``: interactions are interaction events, engagement usage; CCPA
    1798.140(v)(1)(F)); what is used (the emails) is no data of its own."""
    found = claims_of(read(extractor, text, "acme"))
    assert (actor, "collect", False, data_type) in found, text
    assert not {c for c in found if c[3] in ("email_address", "chat_data")}, text


@pytest.mark.parametrize("text", [
    "We collect data about your interactions with our customer service team.",
    "We collect information about your interactions with other members.",
])
def test_interaction_with_people_is_no_usage(extractor, text):
    """Guards: interactions with people (a support team, other members) are contacts, not usage of a site."""
    assert not {c for c in claims_of(read(extractor, text, "acme")) if c[3] in ("usage_data", "interaction_events")}, \
        text


def test_anaphor_after_examples_takes_the_list(extractor):
    """"This information" after a list that ends in "such as" examples refers to the whole list (its named
    members and the examples), not to the last example alone (``enumerations._exemplified``)."""
    text = ("This information may include your name, your interests and other data, such as your purchase history. "
            "We may use this information to send you offers.")
    used = {c[3] for c in claims_of(read(extractor, text, "acme")) if c[:3] == ("acme", "use", False)}
    assert used >= {"name", "inferred_interests", "transaction_records"}, used


def test_anaphor_after_generic_whole_keeps_the_examples(extractor):
    """Guard: a whole named by a generic word only ("certain information like ...") leaves its examples as what
    "this information" refers to."""
    text = "You may give us certain information like your e-mail address and your city. We use this information to " \
           "contact you."
    used = {c[3] for c in claims_of(read(extractor, text, "acme")) if c[:3] == ("acme", "use", False)}
    assert used == {"email_address", "approximate_location"}, used


@pytest.mark.parametrize("text, wanted", [
    ("Acme and Beta are vendors we hire to track the pages you visit.",
     ("service_provider", "collect", False, "page_path")),
    ("Other companies we allow to place cookies on our site may collect your browsing history.",
     ("third_party", "collect", False, "cookies")),
    ("Adobe and Krux are analytics firms we engage to track the links you click.",
     ("third_party", "collect", False, "interaction_events")),
])
def test_relative_gap_of_an_object_control_verb_is_the_actor(extractor, text, wanted):
    """"the vendors we hire to track X": the relative clause's object gap is the vendors, and the object of
    "hire / engage / allow" is the understood subject of its infinitive (object control), so the vendors track,
    not we (``verbs._controlling_gap``), as in "we hire vendors to track X"."""
    found = claims_of(read(extractor, text, "acme"))
    assert wanted in found, text
    assert ("acme", *wanted[1:]) not in found, text


def test_first_party_practice_beside_a_hiring_relative_stays_ours(extractor):
    """Guard: a relative clause of "hire" with no infinitive leaves the first party's own practice alone."""
    text = "The vendors that we hire follow our rules, and we track the pages you visit."
    assert ("acme", "collect", False, "page_path") in claims_of(read(extractor, text, "acme"))
