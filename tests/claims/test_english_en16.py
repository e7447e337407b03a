"""The English extractor's mechanisms of round `en16` (policycheck-en 1.21.0): third parties' practices. A "how"
clause as the subject of "is governed by / subject to / covered by" another party's document ("How the developer
uses your data is governed by its own terms"). Short constructed sentences, positive and guard cases per rule."""

from __future__ import annotations

import pytest

from policycheck.claims.english import nlp, repair
from tests.claims.test_english_generalize import read


def claims_of(extractor, text: str) -> list:
    return read(extractor, text, "wechat").claims


def rows(extractor, text: str) -> set[tuple]:
    """(actor, action, negated, data type, scope) of every claim of ``text``."""
    return {(c.actor, c.action, c.negated, c.data_type, c.scope) for c in claims_of(extractor, text)}


# ---------------------------------------------------------------- a "how" clause governed by the party's document
@pytest.mark.parametrize(("text", "actor", "action", "data"), [
    ("How the developer uses your information is governed by its own privacy policy.",
     "third_party", "use", "personal_information"),
    ("How the operator processes your location is governed by the operator's privacy policy.",
     "third_party", "process", "location"),
    ("How Mini Program developers use your phone number is subject to their own privacy policies.",
     "mini_program_developer", "use", "phone_number"),
    ("How advertisers use this data is covered by their own policies.", "advertiser", "use", "personal_information"),
    ("How the merchant stores your address is subject to its terms.", "third_party", "retain", "postal_address"),
])
def test_a_how_clause_governed_by_the_partys_document_is_excluded(extractor, text, actor, action, data):
    """The clause's practice is the clause's party's, outside this policy; the party collects the data too."""
    found = rows(extractor, text)
    assert (actor, action, False, data, "excluded") in found
    assert (actor, "collect", False, data, "excluded") in found
    assert not any(row[4] == "in_scope" for row in found)


def test_a_how_clause_after_a_receipt_adds_the_use_of_the_same_data(extractor):
    text = ("Game operators may receive your nickname and your region when you play, and how they use this "
            "information is governed by their own terms.")
    found = rows(extractor, text)
    for data in ("nickname", "region"):
        assert ("third_party", "collect", False, data, "excluded") in found
        assert ("third_party", "use", False, data, "excluded") in found


def test_the_excluded_how_clause_gets_the_partys_feature(extractor):
    claims = claims_of(extractor, "How Mini Program developers use your location is subject to their own policies.")
    assert claims and {c.context for c in claims} == {"mini_programs"}


@pytest.mark.parametrize("text", [
    "How we use your data is governed by this Privacy Policy.",  # our own practice under this policy
    "How we use your location is subject to our privacy policy.",
])
def test_our_own_how_clause_is_no_exclusion(extractor, text):
    claims = claims_of(extractor, text)
    assert claims and all(c.scope == "in_scope" and c.actor == "wechat" for c in claims)


def test_a_how_clause_under_this_policy_is_no_exclusion(extractor):
    found = rows(extractor, "How the developer uses your data is governed by this Privacy Policy.")
    assert found and not any(row[4] == "excluded" for row in found)


def test_a_how_clause_with_its_own_object_keeps_its_parse():
    """Guard: the repair only moves a noun the parser made the passive's subject right after the clause's verb."""
    doc = nlp.load()("We explain how we use your data, and your data is protected by law.")
    before = [(t.dep_, t.head.i) for t in doc]
    repair.parse_repairs(doc)
    assert [(t.dep_, t.head.i) for t in doc] == before


def test_the_repair_makes_the_clause_the_passives_subject():
    doc = nlp.load()("How the operator processes your data is governed by its privacy policy.")
    repair.parse_repairs(doc)
    verb = next(t for t in doc if t.lower_ == "processes")
    assert verb.dep_ == "csubjpass" and verb.head.lower_ == "governed" and verb.head.dep_ == "ROOT"
    assert next(t for t in doc if t.lower_ == "data").dep_ == "dobj"


# ---------------------------------------------------------------- what the user gives in another party's feature
@pytest.mark.parametrize(("text", "actor", "data"), [
    ("The details you enter in a Mini Program are kept by its developer.", "mini_program_developer",
     "personal_information"),
    ("If you enter your email address in a Mini Program, the developer may contact you.", "mini_program_developer",
     "email_address"),
    ("When you submit your phone number on an Official Account, we never see it.", "official_account_operator",
     "phone_number"),
    ("You may upload your photos into Mini Games.", "mini_program_developer", "photos_and_videos"),
])
def test_what_the_user_gives_in_a_third_partys_feature_is_its_operators(extractor, text, actor, data):
    claims = claims_of(extractor, text)
    collected = {(c.actor, c.data_type) for c in claims if c.action == "collect" and not c.negated}
    assert (actor, data) in collected
    assert not any(c.actor == "wechat" and c.action == "collect" and not c.negated for c in claims)


def test_the_operators_collection_keeps_the_feature_as_context(extractor):
    claims = claims_of(extractor, "If you enter your email address in a Mini Program, the developer may contact you.")
    assert {c.context for c in claims if c.actor == "mini_program_developer"} == {"mini_programs"}


@pytest.mark.parametrize(("text", "context"), [
    ("If you enter your email address in Moments, we collect it.", "moments"),  # our own feature
    ("We collect the information you submit through Mini Programs.", "mini_programs"),  # a channel, not a place
    ("If you upload photos in WeChat Pay, we keep them.", "payments"),  # an affiliate's feature: no third party
])
def test_what_the_user_gives_in_our_features_stays_ours(extractor, text, context):
    claims = claims_of(extractor, text)
    assert claims and all(c.actor == "wechat" for c in claims)
    assert any(c.context == context for c in claims)


# ---------------------------------------------------------------- a contact relative read as a fronted object
@pytest.mark.parametrize(("text", "data"), [
    ("Photos you share in Moments can be seen by your friends.", "photos_and_videos"),
    ("Videos you post on Channels can be viewed by other users.", "photos_and_videos"),
    ("The nickname you choose can be seen by other users.", "nickname"),
])
def test_data_of_a_contact_relative_seen_by_other_users_is_our_share(extractor, text, data):
    claims = claims_of(extractor, text)
    assert any((c.actor, c.action, c.data_type, c.recipient) == ("wechat", "share", data, "other_users")
               for c in claims)


def test_the_fronted_object_becomes_the_passives_subject():
    doc = nlp.load()("Photos you share in Moments can be seen by your friends.")
    repair.parse_repairs(doc)
    noun, verb = doc[0], next(t for t in doc if t.lower_ == "share")
    assert noun.dep_ == "nsubjpass" and noun.head.lower_ == "seen"
    assert verb.dep_ == "relcl" and verb.head == noun


def test_a_question_clause_as_subject_keeps_its_parse():
    """Guard: a clausal subject whose object does not open the sentence before a pronoun is left as it is."""
    doc = nlp.load()("Whether you share photos in Moments is decided by you.")
    before = [(t.dep_, t.head.i) for t in doc]
    repair.parse_repairs(doc)
    assert [(t.dep_, t.head.i) for t in doc] == before


# ---------------------------------------------------------------- a role noun that also names data, acting
@pytest.mark.parametrize("text", [
    "The carrier receives the phone number you call.",
    "Your mobile carrier may receive your phone number.",
    "The network carrier that routes your call obtains your IP address.",
])
def test_a_carrier_receiving_data_is_a_third_party(extractor, text):
    claims = claims_of(extractor, text)
    assert claims and all(c.actor == "third_party" and c.action == "collect" for c in claims)
    assert "mobile_carrier" not in {c.data_type for c in claims}


@pytest.mark.parametrize("text", [
    "We collect your carrier and your phone number.",
    "Your carrier is collected when you register.",
])
def test_a_carrier_as_data_stays_data(extractor, text):
    claims = claims_of(extractor, text)
    assert any(c.actor == "wechat" and c.data_type == "mobile_carrier" for c in claims)
    assert all(c.actor == "wechat" for c in claims)


@pytest.mark.parametrize(("text", "phrase"), [
    ("The carrier receives the number you dial.", "number"),
    ("We keep the numbers you call for 30 days.", "numbers"),
    ("We collect the number that you dial.", "number"),
])
def test_a_number_the_user_calls_is_a_phone_number(extractor, text, phrase):
    assert {c.data_type for c in claims_of(extractor, text)} == {"phone_number"}


@pytest.mark.parametrize("text", [
    "We collect the number of calls you make.",  # a count, not a number called
    "We collect the number you choose for your account.",
])
def test_other_numbers_are_no_phone_numbers(extractor, text):
    assert "phone_number" not in {c.data_type for c in claims_of(extractor, text)}


# ---------------------------------------------------------------- the context of a third party's practice
@pytest.mark.parametrize(("text", "context"), [
    ("The developer does not receive any information that identifies you when you use their stickers.", "stickers"),
    ("The developer receives data that relates to you when you open a Mini Program.", "mini_programs"),
    ("Advertisers get information which describes your device if you use Mini Games.", "mini_games"),
])
def test_a_when_clause_hung_on_a_describing_relative_is_the_practices_context(extractor, text, context):
    claims = claims_of(extractor, text)
    assert claims and {c.context for c in claims} == {context}


def test_a_when_clause_of_a_practice_relative_stays_its_own(extractor):
    """Guard: "information that we collect when ..." is our collection there; the share names no context."""
    claims = claims_of(extractor, "We share information that we collect when you use Mini Programs with advertisers.")
    assert {(c.action, c.context) for c in claims} == {("share", None), ("collect", "mini_programs")}


@pytest.mark.parametrize(("text", "context"), [
    ("When you play a Mini Game, the developer may obtain your nickname.", "mini_games"),
    ("If you link a smart speaker to WeChat, its maker may receive your voice input.", "connected_devices"),
    ("If you pair a smartwatch with WeChat, its maker may receive your step count.", "connected_devices"),
])
def test_feature_words_of_games_and_devices(extractor, text, context):
    claims = claims_of(extractor, text)
    assert claims and {c.context for c in claims} == {context}


# ---------------------------------------------------------------- "its developer": the named feature's operator
@pytest.mark.parametrize(("text", "actor"), [
    ("When you open a Mini Program, its developer may collect your location.", "mini_program_developer"),
    ("Messages you send to an Official Account are received by its operator.", "official_account_operator"),
    ("If you chat with an Official Account, your messages are received by its operator.",
     "official_account_operator"),
    ("Each Mini Program is run by its developer, who may collect your location.", "mini_program_developer"),
])
def test_its_role_noun_after_a_third_party_feature_is_its_operator(extractor, text, actor):
    claims = claims_of(extractor, text)
    assert claims and {c.actor for c in claims} == {actor}


@pytest.mark.parametrize("text", [
    "When you use Moments, its provider may collect your location.",  # a feature we run: not us, a third party
    "Advertisers and their partners may collect your device identifiers.",  # no feature named
])
def test_its_role_noun_without_a_third_party_feature_stays_a_third_party(extractor, text):
    claims = claims_of(extractor, text)
    assert "third_party" in {c.actor for c in claims}
    assert not {c.actor for c in claims} & {"mini_program_developer", "official_account_operator", "wechat"}


# ---------------------------------------------------------------- "and V it" after an embedded question
@pytest.mark.parametrize(("text", "action"), [
    ("Our analytics vendors receive information about how you use WeChat and use it to improve their tools.", "use"),
    ("Partners collect data about how you interact with ads and share it with advertisers.", "share"),
    ("Vendors receive details of what you buy and store them for a year.", "retain"),
])
def test_and_v_it_after_an_embedded_question_continues_the_main_clause(extractor, text, action):
    claims = claims_of(extractor, text)
    collected = {c.data_type for c in claims if c.action == "collect"}
    assert collected and {c.data_type for c in claims if c.action == action} == collected
    assert len({c.actor for c in claims}) == 1 and "wechat" not in {c.actor for c in claims}


def test_and_v_it_moves_to_the_main_verb():
    doc = nlp.load()("Partners collect data about how you interact with ads and share it with advertisers.")
    repair.parse_repairs(doc)
    assert next(t for t in doc if t.lower_ == "share").head.lower_ == "collect"


def test_a_conjunct_with_a_subject_of_its_own_stays():
    """Guard: "... how you use WeChat and we use it ..." has its own subject; the parse is left as it is."""
    doc = nlp.load()("Vendors receive information about how you use WeChat and whether you use it daily.")
    before = [(t.dep_, t.head.i) for t in doc]
    repair.parse_repairs(doc)
    assert [(t.dep_, t.head.i) for t in doc] == before


def test_transactions_are_transaction_records(extractor):
    claims = claims_of(extractor, "Payment processors process your transactions on our behalf.")
    assert {(c.actor, c.action, c.data_type) for c in claims} == {
        ("payment_processor", "process", "transaction_records")}
    assert not claims_of(extractor, "We use payment processors to complete transactions.")  # a purpose, no data


# ---------------------------------------------------------------- a coordinated verb tagged as an adverb
@pytest.mark.parametrize(("text", "actions"), [
    ("Other users may save or forward your messages to others.", {"retain", "share"}),
    ("Your contacts can save or forward your photos.", {"retain", "share"}),
])
def test_a_coordinated_verb_the_tagger_took_for_an_adverb_is_a_verb(extractor, text, actions):
    claims = claims_of(extractor, text)
    assert {c.action for c in claims} == actions and {c.actor for c in claims} == {"other_users"}


def test_an_adverb_without_an_object_stays_an_adverb():
    doc = nlp.load()("You can move forward and save your draft.")
    tags = [t.tag_ for t in doc]
    repair.parse_repairs(doc)
    assert [t.tag_ for t in doc] == tags


# ---------------------------------------------------------------- content posted to a place that names its kind
@pytest.mark.parametrize(("text", "data"), [
    ("Content you post to Moments may be cached by search engines.", "moments_posts"),
    ("We store the content you share in Moments.", "moments_posts"),
    ("We store the content you save to Favorites.", "favorites"),
])
def test_content_posted_to_a_place_naming_its_kind_is_that_kind(extractor, text, data):
    types = {c.data_type for c in claims_of(extractor, text)}
    assert data in types and "user_content" not in types


@pytest.mark.parametrize("text", [
    "We store the content you send to your friends.",  # the place names no kind of content
    "We store content you post.",
])
def test_other_content_stays_user_content(extractor, text):
    assert {c.data_type for c in claims_of(extractor, text)} == {"user_content"}


# ---------------------------------------------------------------- "... is governed by their privacy policies"
@pytest.mark.parametrize(("text", "actor"), [
    ("Information that Mini Program developers collect is governed by their privacy policies.",
     "mini_program_developer"),
    ("Data that advertisers receive is subject to their terms.", "advertiser"),
    ("Any details you give to a Mini Program are subject to its developer's privacy policy.",
     "mini_program_developer"),
])
def test_a_third_partys_practice_under_its_pronoun_named_policy_is_excluded(extractor, text, actor):
    claims = claims_of(extractor, text)
    assert claims and {(c.actor, c.scope) for c in claims} == {(actor, "excluded")}


@pytest.mark.parametrize("text", [
    "Information we share with partners is subject to their privacy policies.",  # our own share stays ours
    "Information that developers collect is governed by this Privacy Policy.",
])
def test_our_practice_or_this_policy_is_no_exclusion(extractor, text):
    claims = claims_of(extractor, text)
    assert claims and all(c.scope == "in_scope" for c in claims)
