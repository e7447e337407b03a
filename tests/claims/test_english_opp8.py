"""The English extractor's mechanisms of the OPP-115 recall round (`opp8`): shapes of website policies that
state first-party collection. Short constructed sentences, several per rule (none copied from OPP-115)."""

from __future__ import annotations

import pytest

from tests.claims.test_english_generalize import read


def collected(result, actor: str = "acme") -> set[str]:
    return {c.data_type for c in result.claims if c.actor == actor and c.action == "collect" and not c.negated}


@pytest.mark.parametrize("text, wanted", [
    ("Our servers record some data automatically, including IP addresses, browser types, Internet Service "
     "Provider (ISP), referring/exit pages, operating system and click stream data.",
     {"ip_address", "browser_information", "operating_system", "usage_data"}),
    ("Our site logs technical details, including host names, browser versions, ISP, referring pages, "
     "operating system and click stream data.",
     {"referrer_url", "operating_system", "usage_data"}),
    ("We may gather certain data, such as IP addresses, device models, referring pages and operating system.",
     {"ip_address", "device_model", "referrer_url", "operating_system"}),
])
def test_a_list_item_the_parser_reads_as_a_clause_continues_the_list(extractor, text, wanted):
    """"referring pages" / "click stream data" start with a word the parser takes for a verb: the "clause" is
    still an item of the list, and the items hung on it too."""
    assert wanted <= collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text", [
    "We collect your email address, using secure forms that encrypt it.",
    "We collect your email address, sending you a confirmation afterwards.",
])
def test_a_real_clause_after_a_list_adds_nothing(extractor, text):
    assert collected(read(extractor, text, "acme")) == {"email_address"}


@pytest.mark.parametrize("text, wanted", [
    ("We use a mobile analytics package. This software may record your device model and your crash reports.",
     {"device_model", "service_logs"}),
    ("Our pages include sharing widgets. These widgets may collect your IP address and your browser type.",
     {"ip_address", "browser_information"}),
    ("Some pages offer interactive features. These features may collect your IP address and set cookies.",
     {"ip_address", "cookies"}),
    ("The server logs your IP address whenever a page loads.", {"ip_address"}),
])
def test_the_sites_own_tool_named_by_a_referring_determiner_acts_for_it(extractor, text, wanted):
    assert wanted <= collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text", [
    "Our advertising partners provide widgets, and these widgets may collect your IP address.",
    "Third-party widgets may collect your IP address.",
])
def test_another_partys_tool_stays_theirs(extractor, text):
    assert "ip_address" not in collected(read(extractor, text, "acme"))


def test_a_tool_named_with_a_or_any_is_no_one_in_particular(extractor):
    assert not collected(read(extractor, "A widget may collect your IP address.", "acme"))


@pytest.mark.parametrize("text", [
    "We employ a technology called pixel tags to see which emails are opened.",
    "Our site uses small files called cookies to remember you.",
    "We may use technologies called web beacons (or clear GIFs) on our pages.",
])
def test_an_instrument_given_its_name_by_called_is_that_instrument(extractor, text):
    assert "cookies" in collected(read(extractor, text, "acme"))


def test_a_name_given_to_something_else_is_no_instrument(extractor):
    assert "cookies" not in collected(read(extractor, "We run a program called Rewards for members.", "acme"))


@pytest.mark.parametrize("text, wanted", [
    ("We collect information about your hobbies and use of the site.", {"usage_data"}),
    ("We gather information about your interests, your age (for example, your birth year) and use of the app.",
     {"inferred_interests", "usage_data"}),
    ("We record information about your preferences and your use of our services.", {"user_preferences", "usage_data"}),
])
def test_every_thing_generic_information_is_about_is_typed(extractor, text, wanted):
    """"information about A and B": B is typed as "information about B" even when A is a named data type."""
    assert wanted <= collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text, wanted", [
    ("We use cookies to store your language choice and your preferences.", {"cookies", "user_preferences"}),
    ("Our site uses cookies to remember your preferences.", {"cookies", "user_preferences"}),
    ("We may place web beacons to learn your IP address.", {"cookies", "ip_address"}),
    ("We use Flash objects to determine your browser type.", {"cookies", "browser_information"}),
    ("Cookies remember your preferences between visits.", {"cookies", "user_preferences"}),
])
def test_what_an_instrument_stores_or_learns_is_collected(extractor, text, wanted):
    """Using an instrument is collecting what it holds: what cookies are used to store, remember or learn."""
    assert wanted <= collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text", [
    "We use your email address to remember your preferences.",
    "You can remember your password with a password manager.",
    "We do not use cookies to remember your preferences.",
    "We do not use cookies to store your preferences.",
])
def test_remembering_without_an_instrument_collects_nothing_new(extractor, text):
    assert "user_preferences" not in collected(read(extractor, text, "acme")) and \
        "password" not in collected(read(extractor, text, "acme"))


def test_birth_year_is_a_date_of_birth(extractor):
    assert "date_of_birth" in collected(read(extractor, "We ask for your name and birth year.", "acme"))


@pytest.mark.parametrize("text, wanted", [
    ("We may offer you the opportunity to submit your zip code.", {"postal_code"}),
    ("You will have the option to provide your phone number.", {"phone_number"}),
    ("We may give you the opportunity to submit more details about yourself (such as your gender and age).",
     {"gender", "date_of_birth"}),
])
def test_the_user_offered_the_opportunity_to_give_data_gives_it_to_us(extractor, text, wanted):
    assert wanted <= collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text", [
    "We do not give you the option to provide your phone number.",
    "You will not have the opportunity to submit your zip code.",
    "You have the option to share your photos with other users.",
])
def test_an_option_withheld_or_to_share_with_others_is_no_collection(extractor, text):
    assert not collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text, wanted", [
    ("We may record details of your device, including where available your IP address and browser type.",
     {"ip_address", "browser_information"}),
    ("We gather data about your visit, including where possible your operating system and referring page.",
     {"operating_system"}),
])
def test_a_hedge_opening_the_examples_keeps_them(extractor, text, wanted):
    assert wanted <= collected(read(extractor, text, "acme"))


def test_the_information_requested_is_asked_for_by_the_policys_party(extractor):
    found = collected(read(extractor, "The personal information requested in our entry form includes your name "
                                      "and email address.", "acme"))
    assert {"name", "email_address"} <= found
    assert not collected(read(extractor, "Information derived from your GPS may include your location.", "acme"))


@pytest.mark.parametrize("text, actor", [
    ("From time to time we may ask you to complete a short survey about our shop.", "acme"),
    ("We may email you an invitation asking you to participate in customer surveys.", "acme"),
    ("Our research partners may ask visitors to fill out a questionnaire.", "third_party"),
])
def test_the_user_asked_to_take_a_survey_gives_survey_responses(extractor, text, actor):
    assert "survey_responses" in collected(read(extractor, text, "acme"), actor)


@pytest.mark.parametrize("text", [
    "We do not ask you to complete surveys.",
    "We may ask you to complete your profile.",
    "You may take part in a survey if you wish.",
])
def test_no_survey_taken_at_our_request_no_survey_responses(extractor, text):
    assert "survey_responses" not in collected(read(extractor, text, "acme"))
