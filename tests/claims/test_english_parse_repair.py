"""The English extractor's repairs of the small model's parse errors (helper en10, policycheck-en 1.14.0):
a practice verb whose object the parser broke (a data noun tagged ADJ or VERB, or read as an apposition) and
data names that only qualify the data name written after them. Constructed sentences, several per class."""

from __future__ import annotations

import pytest

from tests.claims.test_english_generalize import read


def found(extractor, text: str, **extra) -> set[tuple]:
    """(actor, action, negated, data type, recipient) of every claim of ``text``."""
    return {(c.actor, c.action, c.negated, c.data_type, c.recipient) for c in read(extractor, text, **extra).claims}


# ---------------------------------------------------------------- a broken object after a practice verb
@pytest.mark.parametrize(("text", "action", "data"), [
    ("We collect your account identifier.", "collect", "identifier"),  # "identifier" ADJ, a ccomp
    ("We may collect your account identifier.", "collect", "identifier"),  # "identifier" an advmod
    ("We may collect your account identifier when you register.", "collect", "identifier"),
    ("If you register, we may collect your account identifier.", "collect", "identifier"),
    ("We store your account identifier.", "retain", "identifier"),
    ("We use your account identifier to sync your data.", "use", "identifier"),
    ("We receive your account identifier from Apple.", "collect", "identifier"),
    ("We collect push notification tokens.", "collect", "push_token"),  # "push" a verb, "tokens" its object
    ("With your consent, we collect push notification tokens.", "collect", "push_token"),
    ("We collect app push notification tokens when you enable notifications.", "collect", "push_token"),
    ("We collect your user ID.", "collect", "identifier"),  # "ID" an appos of "user"
    ("We process your user ID to provide the service.", "process", "identifier"),
    ("We collect your device OAID.", "collect", "advertising_id"),  # "OAID" tagged ADV: a word of a data name
])
def test_a_data_phrase_the_parser_broke_is_the_verbs_object(extractor, text, action, data):
    assert ("wechat", action, False, data, None) in found(extractor, text)


@pytest.mark.parametrize(("text", "recipient", "negated"), [
    ("We share your account identifier with advertisers.", "advertiser", False),
    ("We may share your account identifier with our affiliates if you consent.", "tencent_group", False),
    ("We do not share your account identifier with advertisers.", "advertiser", True),
])
def test_a_repaired_object_keeps_the_recipient_and_negation(extractor, text, recipient, negated):
    assert ("wechat", "share", negated, "identifier", recipient) in found(extractor, text)


@pytest.mark.parametrize(("text", "actions"), [
    ("We collect and store your account identifier.", {"collect", "retain"}),
    ("We collect, use and share your account identifier.", {"collect", "use", "share"}),
])
def test_a_repaired_object_is_shared_by_coordinated_verbs(extractor, text, actions):
    """The phrase after the last verb of a coordination is the object of each of its verbs."""
    assert {c[1] for c in found(extractor, text) if c[3] == "identifier"} == actions


@pytest.mark.parametrize(("text", "types"), [
    ("We collect push notification tokens and device identifiers.", {"push_token", "device_identifier"}),
    ("We collect push notification tokens and other information.", {"push_token"}),  # generic beside named
    ("We collect push notification tokens, which help us deliver messages.", {"push_token"}),
    ("We collect push notification tokens and for load balancing device identifiers.", {"push_token"}),
])
def test_a_broken_list_after_the_verb_gives_each_item(extractor, text, types):
    assert {c[3] for c in found(extractor, text)} == types


def test_a_repaired_object_is_typed_as_the_parsed_one_is(extractor):
    """The repair gives what the same words give when the parser reads them right (the head word decides)."""
    broken = found(extractor, "We collect your account identifier.")
    parsed = found(extractor, "We collect the account identifier.")
    assert {c[3] for c in broken} == {c[3] for c in parsed} == {"identifier"}


@pytest.mark.parametrize("text", [
    "We use location services.",  # the head noun names no data: "location" only qualifies it
    "We use language and location customisation.",  # a list whose last item names no data: they may share it
    "We collect your account identifier and location services.",
    "We use WeChat Pay.",  # a feature, not data
    "We collect when you register.",  # nothing after the verb
    "We share with advertisers.",
])
def test_no_repair_without_a_data_phrase_right_after_the_verb(extractor, text):
    assert not read(extractor, text).claims


def test_a_verb_with_its_data_is_not_repaired(extractor):
    claims = read(extractor, "We collect your email address.").claims
    assert [(c.data_type, c.data_text) for c in claims] == [("email_address", "email address")]


# ---------------------------------------------------------------- a data name qualifying the one after it
@pytest.mark.parametrize(("text", "data", "not_data"), [
    ("We collect operating system push notification tokens.", "push_token", "operating_system"),
    ("We collect browser cookie identifiers.", "cookies", "browser_information"),
    ("We collect device push notification tokens.", "push_token", "device_information"),
])
def test_a_data_name_before_a_longer_data_name_only_qualifies_it(extractor, text, data, not_data):
    types = {c[3] for c in found(extractor, text)}
    assert data in types
    assert not_data not in types


@pytest.mark.parametrize(("cell", "data", "not_data"), [
    ("Operating system push notification tokens.", "push_token", "operating_system"),
    ("Browser cookie identifiers.", "cookies", "browser_information"),
])
def test_a_table_rows_data_cell_is_typed_by_its_head(extractor, cell, data, not_data):
    """A data cell's label is typed by its head: "Operating system push notification tokens." is push tokens
    (the parser reads "push" as the label's verb)."""
    header = ("Type of Personal Information", "Retention Period")
    cells = (cell, "Retained for no longer than 3 months.")
    types = {c[3] for c in found(extractor, f"{cells[0]} | {cells[1]}", kind="table_row", header=header,
                                 cells=cells, lead_in="We keep your information for the periods set out below:")}
    assert data in types
    assert not_data not in types


@pytest.mark.parametrize(("text", "types"), [
    ("We collect your browser type and cookie identifiers.", {"browser_information", "cookies"}),
    ("We collect your location data and device identifiers.", {"location", "device_identifier"}),
    ("We collect your device model, operating system and IP address.",
     {"device_model", "operating_system", "ip_address"}),
    ("We collect your name, age and phone number.", {"name", "date_of_birth", "phone_number"}),
])
def test_two_listed_things_still_give_two_types(extractor, text, types):
    """A list is no compound: "browser type and cookie identifiers" (the parser hangs "browser type", with the
    "and", on "identifiers" as a modifier) names both."""
    assert {c[3] for c in found(extractor, text)} == types


@pytest.mark.parametrize(("text", "types"), [
    ("We collect emergency contact information.", {"emergency_contacts"}),  # a name before a generic word
    ("We collect your referring website addresses.", {"referrer_url"}),  # before a one-word carrier noun
])
def test_a_name_before_a_generic_or_one_word_name_is_kept(extractor, text, types):
    assert types <= {c[3] for c in found(extractor, text)}


def test_a_capitalized_name_after_a_name_is_another_item(extractor):
    """Table cells that lost their line breaks list names one after the other, each capitalized."""
    types = {c[3] for c in found(extractor, "We collect IP Address Device Model.")}
    assert {"ip_address", "device_model"} <= types
