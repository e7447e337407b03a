"""The English extractor's mechanism of the sixth OPP-115 round (`opp13`, a precision round): a practice verb with
no subject anywhere above it in a sentence that instructs the reader (an imperative) is the reader's action, not
a practice of the site. Short constructed sentences, several per shape, with guards (none copied from OPP-115)."""

from __future__ import annotations

import pytest

from tests.claims.test_english_generalize import read
from tests.claims.test_english_opp10 import claims_of


@pytest.mark.parametrize("text", [
    "Click here to access your account details and your saved preferences.",
    "To obtain a copy of this information, please send a written request to our support team.",
    "To request the deletion of your personal information, contact our help desk.",
    "For more about the seal program, visit its website or request this information from the program office.",
    "Simply sign in, open your profile page and access your stored payment details.",
    "Go to the settings page to review or obtain your order history.",
])
def test_an_instruction_to_the_reader_states_no_practice(extractor, text):
    """The imperative's implicit subject is the reader: "click here to access your details", "to obtain a copy,
    please send ...", "to request deletion, contact us" tell the user what to do and state no collection by the
    site (labelling conventions: instructions to the user, and requests, state no practice)."""
    assert not {c for c in claims_of(read(extractor, text, "acme")) if c[0] == "acme"}, text


@pytest.mark.parametrize("text, wanted", [
    ("Please note that we collect your IP address when you visit.", ("acme", "collect", False, "ip_address")),
    ("Please be aware that we share your postal address with our delivery partner.",
     ("acme", "share", False, "postal_address")),
    ("Visit your account page to review the information we hold about you.",
     ("acme", "retain", False, "personal_information")),
    ("To improve the site, we collect your browser type.", ("acme", "collect", False, "browser_information")),
    ("In short, our servers record your IP address and the pages you visit.", ("acme", "collect", False, "ip_address")),
    ("Like many other sites, we, or partners acting for us, use cookies to remember your settings.",
     ("acme", "collect", False, "cookies")),
])
def test_a_practice_with_a_party_of_its_own_survives_an_instruction(extractor, text, wanted):
    """Guards: a clause with its own subject inside an imperative ("Please note that we collect ...", "... the
    information we hold about you"), a purpose infinitive before a subject ("To improve the site, we collect"),
    and a subject the parser hung elsewhere before a present-tense or base verb ("In short, our servers record",
    "Like many other sites, we, or ..., use") keep their practice."""
    assert wanted in claims_of(read(extractor, text, "acme")), text


def test_a_bare_verb_with_an_auxiliary_is_no_instruction(extractor):
    """A base-form root with a modal has lost its subject, not an imperative: its practice stays the site's."""
    result = read(extractor, "Our web site and its servers may automatically collect your IP address.", "acme")
    assert ("acme", "collect", False, "ip_address") in claims_of(result)


@pytest.mark.parametrize("text", [
    "Any details you enter on a third-party website are handled under that website's own terms.",
    "Information you submit on other sites is subject to the policies of those sites.",
    "When you follow a link to an external site, read its policy before you provide personal information on the "
    "site.",
    "If you join a social media service, the personal information you provide on that service may be seen by "
    "strangers.",
    "Any data collected from you on a third-party website is governed by that website.",
])
def test_data_given_or_collected_on_another_partys_site_is_not_the_sites(extractor, text):
    """What the user gives, or what is collected, "on" a site another party runs ("a third-party website",
    "other sites", "an external site ... the site", "that service" after a social network) goes to that party:
    the policy's own site collects none of it (labelling conventions: a collection by a party under its own terms
    is that party's)."""
    assert not {c for c in claims_of(read(extractor, text, "acme")) if c[0] == "acme" and c[1] == "collect"}, text


@pytest.mark.parametrize("text, data_type", [
    ("Information you submit on our site is stored on secure servers.", "personal_information"),
    ("Details you enter on this web site are used to fill your order.", "personal_information"),
    ("We collect the email address you provide on our partner sites.", "email_address"),
    ("Personal information collected on the site is used only for the purposes described here.",
     "personal_information"),
])
def test_data_given_on_the_sites_own_pages_stays_its_collection(extractor, text, data_type):
    """Guards: the policy's own site ("our site", "this web site", "the site" with no other site before it) and
    sites it names as its own ("our partner sites") keep the collection the site's."""
    assert ("acme", "collect", False, data_type) in claims_of(read(extractor, text, "acme")), text
