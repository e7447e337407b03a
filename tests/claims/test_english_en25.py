"""Round en25 (policycheck-en 1.40.0): three parse and actor mechanisms. Short constructed sentences (not from any
policy or gold set), positive and guard cases, through the real extractor.

- A bare subject after a fronted purpose or prepositional phrase that the parser hung as a conjunct of that
  phrase's last noun ("To protect minors, email address and phone number ... are collected").
- A noun modifier of a coordinated data phrase tagged as a verb ("your name and address details").
- "not only X" in a subject's apposition or coordination adds X as an actor.
- An anaphoric practice noun ("such collection") under the terms of the party a possessive pronoun refers to.
- An embedded question coordinated with the main verb's object ("rights over your data and how we use it").
- A table cell's phrase with no type of its own gets the type of the row's label category.
"""

from __future__ import annotations

import pytest

from tests.claims.test_english_en15 import row
from tests.claims.test_english_en17 import types_of
from tests.claims.test_english_generalize import read


def practices(extractor, text: str) -> set[tuple[str, str, str]]:
    return {(c.actor, c.action, c.data_type) for c in read(extractor, text).claims if not c.negated}


def actors_of(extractor, text: str) -> set[str]:
    return {c.actor for c in read(extractor, text).claims if not c.negated}


@pytest.mark.parametrize(("text", "expected"), [
    ("To protect minors, email address and phone number of a guardian are collected.",
     {("wechat", "collect", "email_address"), ("wechat", "collect", "phone_number")}),
    ("To meet rules that protect children, email address and/or bank card number of a parent is collected.",
     {("wechat", "collect", "email_address"), ("wechat", "collect", "payment_card")}),
    ("In line with laws on minors, phone number and email address of the guardian are stored.",
     {("wechat", "retain", "phone_number"), ("wechat", "retain", "email_address")}),
])
def test_bare_subject_after_an_opening_phrase(extractor, text, expected):
    assert practices(extractor, text) == expected, text


@pytest.mark.parametrize(("text", "expected"), [
    # guards: a subject the parser read right, a series that goes on inside the opening phrase
    ("When you register, your name and your phone number are collected.",
     {("wechat", "collect", "name"), ("wechat", "collect", "phone_number")}),
    ("To serve our users, staff and contractors are trained.", set()),
])
def test_opening_phrase_guards(extractor, text, expected):
    assert practices(extractor, text) == expected, text


@pytest.mark.parametrize(("text", "expected"), [
    ("We keep your name and address details.", {"name", "postal_address"}),
    ("We store your email and address details.", {"email_address", "postal_address"}),
    ("We keep your name and address details for 30 days.", {"name", "postal_address"}),
])
def test_modifier_tagged_as_a_verb_shares_the_generic_head(extractor, text, expected):
    assert types_of(extractor, text) == expected, text


@pytest.mark.parametrize(("text", "expected"), [
    # guards: a practice verb coordinated after the object stays a verb
    ("We collect your feedback and use data to improve services.",
     {("wechat", "collect", "customer_support_information"), ("wechat", "use", "personal_information")}),
    ("We may collect your name and contact details.",
     {("wechat", "collect", "name"), ("wechat", "collect", "contact_information")}),
])
def test_practice_verb_after_an_object_stays_a_verb(extractor, text, expected):
    assert practices(extractor, text) == expected, text


@pytest.mark.parametrize(("text", "expected"), [
    ("The merchant, not only Weixin, receives your phone number.", {"third_party", "weixin"}),
    ("The merchant, and not only Weixin, receives your phone number.", {"third_party", "weixin"}),
    ("The developer, not just WeChat, stores your email address.", {"third_party", "wechat"}),
])
def test_not_only_adds_an_actor(extractor, text, expected):
    assert actors_of(extractor, text) == expected, text


@pytest.mark.parametrize(("text", "expected"), [
    # guards: "not X" still excludes; a plain apposition still names the same party
    ("The seller, not Weixin, gets your phone number.", {"third_party"}),
    ("Our partner, Tencent, receives your phone number.", {"tencent"}),
])
def test_not_only_guards(extractor, text, expected):
    assert actors_of(extractor, text) == expected, text


def excluded(extractor, text: str) -> set[tuple[str, str, str | None]]:
    return {(c.actor, c.data_type, c.context) for c in read(extractor, text).claims if c.scope == "excluded"}


@pytest.mark.parametrize(("text", "expected"), [
    # an anaphoric practice noun governed by the terms of the party a possessive pronoun refers back to
    ("The Mini Program developer may collect your location. Such collection is governed by their privacy policies.",
     {("mini_program_developer", "personal_information", "mini_programs")}),
    ("Advertisers may collect your device identifiers. This collection is subject to their own privacy policies.",
     {("advertiser", "personal_information", "third_party_services")}),
])
def test_anaphoric_collection_under_the_partys_terms_is_excluded(extractor, text, expected):
    assert excluded(extractor, text) == expected, text


@pytest.mark.parametrize("text", [
    # guards: this policy's own terms; no practice noun
    "We collect your location. Such collection is governed by this Privacy Policy.",
    "The Mini Program developer may collect your location. Such terms are set by their privacy policies.",
])
def test_anaphoric_exclusion_guards(extractor, text):
    assert excluded(extractor, text) == set(), text


@pytest.mark.parametrize("text", [
    # an embedded question coordinated with the main verb's object names a topic, not a practice
    "Where you live, you may have special rights over your data and how we can use it.",
    "You can control your settings and how we share your data.",
])
def test_question_coordinated_with_an_object_states_nothing(extractor, text):
    assert practices(extractor, text) == set(), text


@pytest.mark.parametrize(("text", "expected"), [
    # guards: a coordinated main clause with a subject of its own keeps its practice
    ("We collect your name and we use it to contact you.",
     {("wechat", "collect", "name"), ("wechat", "use", "name")}),
])
def test_coordinated_main_clause_is_kept(extractor, text, expected):
    assert practices(extractor, text) == expected, text


USE_HEADER = ("Types of Personal Information", "Purpose of processing", "Retention Period")


@pytest.mark.parametrize(("cells", "expected", "absent"), [
    # a cell sentence's phrase with no type of its own is a member of the row label's category
    (("Guardian details. The email address of a guardian. We keep only the time of the check and a hash.",
      "To check consent.", "Until the account is deleted."),
     ("wechat", "retain", False, "parental_consent_information", None), ("wechat", "retain", False,
                                                                         "personal_information", None)),
    (("Payment card information. The card of the account holder. We keep only the date of the last check.",
      "To verify the card.", "Until you remove the card."),
     ("wechat", "retain", False, "payment_card", None), ("wechat", "retain", False, "personal_information", None)),
])
def test_untyped_member_in_a_row_gets_the_label_type(extractor, cells, expected, absent):
    found = row(extractor, cells, USE_HEADER)
    assert expected in found and absent not in found, found
