"""The English extractor's mechanisms of round `en17` (policycheck-en 1.22.0): "non-personal information" read as
a generic word, not as the category it denies; examples with no type of their own listed under a typed data
phrase ("such as", "including") take its type; a topic phrase ("about", "regarding", "on your use of") the parser
hung on the verb re-attached to the generic object written right before it; the user's giving with no receiver,
in a relative clause of another party's object, left to that party's practice; a listed noun phrase ("records of
your orders") no verb of the practice verbs' series; a clause before a semicolon not governed by the condition of
the clause after it; a participle without an agent on the subject of a verb that keeps the data on the device
kept there too. Short constructed sentences, positive and guard cases per
rule."""

from __future__ import annotations

import pytest

from policycheck.claims.english import nlp, repair
from tests.claims.test_english_generalize import read


def data_of(extractor, text: str) -> set[tuple]:
    """(actor, action, negated, data type) of every claim of ``text``."""
    return {(c.actor, c.action, c.negated, c.data_type) for c in read(extractor, text, "wechat").claims}


def types_of(extractor, text: str) -> set[str]:
    return {claim[3] for claim in data_of(extractor, text)}


# ---------------------------------------------------------------- "non-personal information" is generic
@pytest.mark.parametrize(("text", "named"), [
    ("Advertisers may collect non-personal information about the pages you visit.", "page_path"),
    ("Non-personal data we receive may include your device model and screen size.", "device_model"),
    ("We may share non-personal information, such as your browser type, with our partners.", "browser_information"),
    ("Non-personally identifiable information we log may include your IP address.", "ip_address"),
])
def test_non_personal_information_counts_as_what_it_names(extractor, text, named):
    """The lexicon sees "personal information" in "non-personal information"; the phrase names no category of
    its own, so where it says what it is about or what it includes, only that counts."""
    found = types_of(extractor, text)
    assert named in found
    assert "personal_information" not in found


@pytest.mark.parametrize("text", [
    "We collect non-personal information.",  # nothing else named: the root type
    "We collect personal information, such as your name.",  # the category by its own name counts beside examples
    "We collect your email address and non-personal information.",  # an item of a list stands as data of its own
])
def test_personal_information_stays_where_nothing_replaces_it(extractor, text):
    assert "personal_information" in types_of(extractor, text)


# ---------------------------------------------------------------- untyped examples take their category's type
@pytest.mark.parametrize(("text", "category"), [
    ("We collect your app activity (such as records of the edits and uploads you make in the editor).", "usage_data"),
    ("We collect your device model and usage data (such as records of the edits and uploads you make in the "
     "editor).", "usage_data"),
])
def test_an_untyped_example_takes_the_type_of_the_phrase_it_exemplifies(extractor, text, category):
    found = types_of(extractor, text)
    assert category in found
    assert "personal_information" not in found


def test_an_example_of_generic_information_stays_generic(extractor):
    """Guard: under a bare "information" there is no type to take."""
    found = types_of(extractor, "We collect information (such as records of the edits and uploads you make in the "
                                "editor).")
    assert found == {"personal_information"}


# ---------------------------------------------------------------- a topic phrase qualifies the verb's object
@pytest.mark.parametrize(("text", "kind"), [
    ("Our partners gather and store data on your use of our games.", "usage_data"),
    ("We may receive and retain details regarding your orders.", "transaction_records"),
])
def test_a_topic_phrase_after_the_object_types_it(extractor, text, kind):
    found = data_of(extractor, text)
    assert {claim[3] for claim in found} == {kind}
    assert {claim[1] for claim in found} == {"collect", "retain"}


@pytest.mark.parametrize(("text", "preposition"), [
    ("We keep and back up your data on our servers.", "on"),  # a place, not a topic
    ("We collect your name about once a year.", "about"),  # not after a generic object
])
def test_other_phrases_after_the_object_stay_on_the_verb(text, preposition):
    doc = nlp.load()(text)
    before = next(t for t in doc if t.lower_ == preposition).head.i
    repair.parse_repairs(doc)
    assert next(t for t in doc if t.lower_ == preposition).head.i == before


def test_a_topic_phrase_on_the_verb_is_moved_to_its_object():
    doc = nlp.load()("We collect and keep information on your use of the site.")
    repair.parse_repairs(doc)
    assert next(t for t in doc if t.lower_ == "on").head.lower_ == "information"


# ---------------------------------------------------------------- the user's giving inside another party's practice
def test_data_the_user_gives_that_another_party_obtains_is_that_partys_practice(extractor):
    """"X may obtain the details that you supply": the relative clause names the data X obtains; with no
    receiver of its own it states no collection by the first party."""
    found = data_of(extractor, "Game publishers may obtain the details that you supply or upload in the game.")
    assert ("third_party", "collect", False, "personal_information") in found
    assert not {claim for claim in found if claim[0] == "wechat"}


@pytest.mark.parametrize("text", [
    "Game publishers may obtain the details that you supply to us.",  # a receiver named: us
    "We analyse the details that you supply.",  # the first party's own practice
])
def test_the_users_giving_to_us_stays_our_collection(extractor, text):
    assert ("wechat", "collect", False, "personal_information") in data_of(extractor, text)


# ---------------------------------------------------------------- a listed noun is no verb of the series
def test_a_noun_phrase_listed_after_a_verb_series_is_no_verb(extractor):
    """"records" with a possessive, modifier or "of" object is a listed noun phrase, not the verb "record"
    (collect) coordinated with the practice verbs before it."""
    found = data_of(extractor, "We will retain and use your phone number, and use your visits, records of your "
                               "orders and your purchase records to recommend items.")
    assert ("wechat", "use", False, "transaction_records") in found
    assert not {claim for claim in found if claim[1] == "collect"}


def test_a_bare_verb_in_a_series_still_counts(extractor):
    found = data_of(extractor, "We collect, record and retain your voice input.")
    assert {("wechat", "collect", False, "voice_input"), ("wechat", "retain", False, "voice_input")} <= found


# ---------------------------------------------------------------- a clause before a semicolon stands on its own
@pytest.mark.parametrize(("text", "claim"), [
    ("We keep your order history for two years; once that time has passed, we will erase it.",
     ("wechat", "retain", False, "transaction_records")),
    ("We store your voice messages on our servers; if you clear a chat, we will remove them.",
     ("wechat", "retain", False, "voice_input")),
])
def test_the_condition_of_the_clause_after_a_semicolon_does_not_govern_the_one_before(extractor, text, claim):
    """The parser makes the first clause a complement of the second clause's verb; the second clause's "once" or
    "if" condition is not the first clause's."""
    assert claim in data_of(extractor, text)


@pytest.mark.parametrize("text", [
    "You may request that we retain your search history.",  # a complement without a semicolon stays governed
    "We believe we keep your search history; if you disagree, contact us.",  # still under "believe"
])
def test_complements_stay_governed(extractor, text):
    assert not data_of(extractor, text)


# ---------------------------------------------------------------- a participle on the subject of a local verb
@pytest.mark.parametrize("text", [
    "The fingerprint data used to unlock the app is stored only on your phone.",
    "The face data used for verification is only compared on your device.",
])
def test_data_described_by_a_participle_stays_on_the_device(extractor, text):
    """"the data used for X is only compared on your device": the participle describes the same processing on the
    device, which is no practice of any party."""
    assert not {claim for claim in data_of(extractor, text) if not claim[2]}


@pytest.mark.parametrize(("text", "claim"), [
    ("The information collected by us is stored on your device.",  # an agent: our own collection
     ("wechat", "collect", False, "personal_information")),
    ("The fingerprint data used to unlock the app is stored on our servers.",  # not on the device
     ("wechat", "retain", False, "personal_information")),
])
def test_participles_of_other_sentences_keep_their_practice(extractor, text, claim):
    assert claim in data_of(extractor, text)
