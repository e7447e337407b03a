"""The English extractor's mechanisms of the second OPP-115 recall round (`opp9`): shapes of website policies
that state first-party collection. Short constructed sentences, several per rule (none copied from OPP-115)."""

from __future__ import annotations

import pytest

from tests.claims.test_english_generalize import read


def collected(result, actor: str = "acme") -> set[str]:
    return {c.data_type for c in result.claims if c.actor == actor and c.action == "collect" and not c.negated}


@pytest.mark.parametrize("text, wanted", [
    ("We collect your name, age and phone number.", {"name", "date_of_birth", "phone_number"}),
    ("We ask for your name, birth year, telephone number and e-mail address.",
     {"name", "date_of_birth", "phone_number", "email_address"}),
    ("Our servers record the browser type, language and operating system of each visitor.",
     {"browser_information", "language_setting", "operating_system"}),
])
def test_a_list_item_the_parser_reads_as_a_modifier_is_an_item(extractor, text, wanted):
    """"name, age and phone number": the parser hangs "name" and "age" on "number" as modifiers; set off by a
    comma (or placed after the noun) they are items of the list."""
    assert wanted <= collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text, unwanted", [
    ("We store your language and location customisation.", {"language_setting", "location"}),
    ("Our contractors handle tasks such as customer care, e-mail delivery and billing.", {"email_address"}),
])
def test_a_real_modifier_stays_a_modifier(extractor, text, unwanted):
    assert not unwanted & collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text, wanted", [
    ("We collect non-personal information. Such information does not identify you, but it may include your "
     "browser type and your location.", {"browser_information", "location"}),
    ("We gather technical information. This information is anonymous and includes your operating system and "
     "your IP address.", {"operating_system", "ip_address"}),
    ("We collect two kinds of information: contact data and usage data. Usage data is information that includes "
     "the pages you visit and your IP address.", {"page_path", "ip_address"}),
])
def test_what_collected_data_includes_in_a_second_clause_is_collected(extractor, text, wanted):
    """The sentence saying what earlier collected data includes may say it in a clause coordinated with its
    first one, or in a relative clause of "X is information that includes ..."."""
    assert wanted <= collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text", [
    "We do not collect usage data. Usage data is information that includes the pages you visit.",
    "We collect usage data. Usage data is anonymous and does not include the pages you visit.",
    "Usage data is information that includes the pages you visit.",
])
def test_members_of_data_not_collected_are_not_collected(extractor, text):
    assert "page_path" not in collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text", [
    "These widgets can record your device model, which page you are visiting in our app, and may place a cookie.",
    "We can record your browser type, which pages you visit and your device model.",
    "Our servers log which pages you view.",
])
def test_an_embedded_question_naming_data_is_data(extractor, text):
    """"which page you are visiting" is a list item (or the object) the parser reads as a clause."""
    assert "page_path" in collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text", [
    "You can choose which pages you visit.",
    "We collect your IP address, which helps us understand which pages you visit.",
    "We do not record which pages you visit.",
])
def test_an_embedded_question_outside_a_practice_is_no_data(extractor, text):
    assert "page_path" not in collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text, wanted", [
    ("Our cookies store randomly generated visitor numbers and your nickname to greet you.", {"nickname"}),
    ("Our cookies store randomly assigned account numbers, the city where you live, and your nickname to greet you "
     "on later visits.", {"approximate_location", "nickname"}),
])
def test_a_verb_the_tagger_takes_for_a_noun_after_an_instrument_keeps_its_subject(extractor, text, wanted):
    """"Our cookies store X": ``store`` tagged as a noun with "cookies" its compound and X its object; the
    instrument acts for the site, which collects what it stores."""
    assert wanted <= collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text, wanted", [
    ("We gather several kinds of information, including: details you enter in our forms. Details of your browsing "
     "activity while you read our articles. Your device type.", {"usage_data", "device_model"}),
    ("We collect the following information: Your name and e-mail address. Your zip code. Your browser type.",
     {"name", "email_address", "postal_code", "browser_information"}),
])
def test_verbless_sentences_after_a_colon_list_continue_it(extractor, text, wanted):
    """A list flattened into a paragraph: the items after the first are verbless sentences."""
    assert wanted <= collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text, unwanted", [
    ("We collect the following information: your name. We never sell it. Your device type.", {"device_model"}),
    ("We collect your name. Your device type, for example.", {"device_model"}),
    ("We collect the following information: Information about your activity as you open our newsletters and "
     "email messages.", {"email_address", "chat_data"}),
])
def test_only_the_sentences_right_after_the_colon_list_continue_it(extractor, text, unwanted):
    assert not unwanted & collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text, wanted", [
    ("The poll is hosted by a vendor who shares all of the poll information with us, including your phone "
     "number.", {"phone_number"}),
    ("Our partner shares some of your order information with us.", {"transaction_records"}),
])
def test_a_recipient_hung_on_the_object_of_a_partitive_receives(extractor, text, wanted):
    """"shares all of X with us": the parser hangs "with us" on X, the "of" object of "all"."""
    assert wanted <= collected(read(extractor, text, "acme"))


def test_a_partitive_shared_with_others_is_no_collection(extractor):
    assert not collected(read(extractor, "We share some of your order information with our affiliates.", "acme"))


@pytest.mark.parametrize("text, wanted", [
    ("We collect personal data. Personal data refers to data through which a person can be recognized, such as a "
     "name, a phone number, or an employer.", {"name", "phone_number"}),
    ("We collect personal information. Personal information is any information that can identify you, such as "
     "your name and email address.", {"name", "email_address"}),
    ("We gather two kinds of data: anonymous data and personal data. Anonymous data does not identify you, but it "
     "may include your location. Personal data is any data that can single you out and includes, your name and "
     "phone number.", {"location", "name", "phone_number"}),
])
def test_the_examples_of_what_collected_data_is_are_collected(extractor, text, wanted):
    """"X is (refers to) information ..., such as A": after a collection of X, its examples are collected (also
    after a sentence that listed another kind of the collected data)."""
    assert wanted <= collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text", [
    "Personal information is any information that can identify you, such as your name and email address.",
    "We collect usage data. Personal information is any information that can identify you, such as your name.",
])
def test_a_definition_alone_states_no_collection(extractor, text):
    assert "name" not in collected(read(extractor, text, "acme"))


def test_a_not_limited_list_holding_the_misread_argument_lists_the_data(extractor):
    """"receives member submitted details including but not limited to A, B, and C": the parser reads "member
    submitted details" as a clause and makes C the verb's argument; the idiom's list still lists A and B."""
    text = ("Acme receives member submitted details including but not limited to name, email address, and age to "
            "create accounts.")
    assert {"name", "email_address", "date_of_birth"} <= collected(read(extractor, text, "acme"))


def test_a_not_limited_list_ends_at_the_next_clause(extractor):
    text = ("Apart from camp sign-ups or similar programs, including, but not limited to, clinics, Acme does not "
            "knowingly gather any personal data from children under the age of 13.")
    assert not {c.data_type for c in read(extractor, text, "acme").claims} & {"date_of_birth"}
