"""The English extractor's mechanisms of the third OPP-115 recall round (`opp10`): shapes of website policies
that state (or only seem to state) first-party collection. Short constructed sentences, several per rule (none
copied from OPP-115)."""

from __future__ import annotations

import pytest

from tests.claims.test_english_generalize import read


def collected(result, actor: str = "acme", negated: bool = False) -> set[str]:
    return {c.data_type for c in result.claims if c.actor == actor and c.action == "collect" and c.negated == negated}


def claims_of(result) -> set[tuple[str, str, bool, str]]:
    return {(c.actor, c.action, c.negated, c.data_type) for c in result.claims}


@pytest.mark.parametrize("text, wanted", [
    ("Personal data refers to information by which you can be identified, such as your name or your postal "
     "address. We gather such data when you sign up.", {"name", "postal_address"}),
    ('"Contact details" means your e-mail address and your phone number. We collect contact details when you '
     "order a catalogue.", {"email_address", "phone_number"}),
    ('"Personally identifiable information or personal information" refers to any information that can be used to '
     "reach you, such as your mailing address and social security number. Some tools require that you provide us with "
     "personal information.", {"postal_address", "government_id"}),
])
def test_a_practice_right_after_a_definition_extends_to_its_members(extractor, text, wanted):
    """The definition first, the practice on the defined data ("such data", or the term again) next: the
    practice is about the definition's members too (the reverse order of opp9's "We collect X. X includes A")."""
    assert wanted <= collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text, unwanted", [
    ("Personal data refers to information such as your name. We do not sell such data.", "name"),
    ("Contact details means your e-mail address. Our partners may have their own policies. We collect the "
     "information you give us.", "email_address"),
    ("Contact details means your e-mail address. We collect the information you give us.", "email_address"),
])
def test_no_extension_without_a_positive_practice_on_the_defined_data_right_after(extractor, text, unwanted):
    """A denial stays a denial; a later sentence, or "the information" (no demonstrative, not the term), does
    not refer back to the definition."""
    assert unwanted not in collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text, wanted", [
    ("We may collect mobile device identification numbers.", "device_identifier"),
    ("Our app records the device identification number of your phone.", "device_identifier"),
    ("We collect IMEI numbers.", "imei"),
    ("We collect your IMSI number.", "imsi"),
])
def test_an_identifier_named_by_what_it_identifies(extractor, text, wanted):
    """"IMEI number" is the IMEI; "device identification number" the device identifier (not a phone number)."""
    assert wanted in collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text, wanted", [
    ("We collect your national identification number.", "government_id"),
    ("We collect your identification number.", "government_id"),
    ("We collect your card number and your bank account number.", "payment_card"),
])
def test_other_numbers_keep_their_type(extractor, text, wanted):
    assert wanted in collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text, wanted", [
    ("We may collect data that does not reveal who you are, such as your browser type and the pages you visit.",
     {"browser_information", "page_path"}),
    ("We gather information that does not identify you or that is not linked to you, such as your operating "
     "system and your zip code.", {"operating_system", "postal_code"}),
])
def test_examples_after_a_negated_relative_clause_belong_to_its_noun(extractor, text, wanted):
    """", such as X" after "data that does not identify you": X are examples of the data, not of what the
    clause denies, wherever the parser hangs them."""
    assert wanted <= collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text, unwanted", [
    ("We collect your e-mail address but not data that identifies your device, such as your IMEI.", "imei"),
    ("We do not collect data that identifies you, such as your name.", "name"),
])
def test_a_negation_outside_the_relative_clause_still_holds(extractor, text, unwanted):
    assert unwanted not in collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text", [
    "This notice explains how we collect information from visitors.",
    "We revise this page so that visitors are always aware of what information we collect and how we use it.",
    "Our policy covers how and why we collect, use and share your personal information.",
    "Read on to understand how we gather your data.",
    "You should know what information we collect.",
])
def test_a_question_under_a_describing_word_is_a_topic(extractor, text):
    """An embedded wh-question that a describing or knowing word governs names the topic of the text, not a
    practice (the labelling conventions: "To explain how we collect ..." states nothing)."""
    assert not collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text, wanted", [
    ("When you install the app, we automatically collect your device type, so we know which version to offer.",
     "device_model"),
    ("We collect information about how you use the site.", "usage_data"),
    ("We explain our practices below, and we collect your e-mail address when you subscribe.", "email_address"),
])
def test_practices_beside_a_describing_word_stand(extractor, text, wanted):
    """The wh-word of a clause inside the practice ("when you install") or a question the practice's object holds
    ("about how you use") opens no question about the practice."""
    assert wanted in collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text, negated", [
    ("This service is not meant for, nor do we knowingly collect information from, minors.",
     {("acme", "collect", True, "personal_information")}),
    ("Nor do we collect your location.", {("acme", "collect", True, "location")}),
    ("We neither collect nor store your precise location.",
     {("acme", "collect", True, "precise_location"), ("acme", "retain", True, "precise_location")}),
    ("We do not sell your data, nor do we share it with advertisers.",
     {("acme", "share", True, "personal_information")}),
])
def test_neither_and_nor_negate(extractor, text, negated):
    result = read(extractor, text, "acme")
    assert negated <= claims_of(result)
    assert not {(a, v, False, d) for a, v, _, d in negated} & claims_of(result)


def test_an_affirmative_coordination_stays_affirmative(extractor):
    result = read(extractor, "We collect your name and we store your e-mail address.", "acme")
    assert {("acme", "collect", False, "name"), ("acme", "retain", False, "email_address")} <= claims_of(result)


@pytest.mark.parametrize("text, wanted", [
    ("We may collect transactional information.", "transaction_records"),
    ("We keep the transaction data of your orders.", "transaction_records"),
    ("We collect healthcare information when you apply.", "health_data"),
    ("We ask for health care information on the form.", "health_data"),
])
def test_transaction_and_health_synonyms(extractor, text, wanted):
    result = read(extractor, text, "acme")
    assert wanted in {c.data_type for c in result.claims if c.actor == "acme" and not c.negated}


@pytest.mark.parametrize("text, wanted", [
    ("We collect personal information, such as your name and your postal address.",
     {"personal_information", "name", "postal_address"}),
    ("You may give us personally identifiable information, including your phone number.",
     {"personal_information", "phone_number"}),
])
def test_a_named_category_counts_beside_its_examples(extractor, text, wanted):
    """"personal information, such as X": the category by its own name and its examples both count (labelling
    conventions: "a category and the examples it lists both count")."""
    assert wanted <= collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text", [
    "We collect information, such as your name.",
    "We collect data including your name.",
])
def test_a_bare_generic_word_counts_only_as_its_examples(extractor, text):
    assert collected(read(extractor, text, "acme")) == {"name"}
