"""Round en24 (policycheck-en 1.39.0): a party that "not" excludes from a subject's apposition or coordination
("X, not Y, collects ...", "X, and not Y, ...", "X (not Y) ...") is never the actor. Short constructed sentences
(not from any policy or gold set), positive and guard cases."""

from __future__ import annotations

import pytest

from tests.claims.test_english_en17 import types_of
from tests.claims.test_english_generalize import read


def actors_of(extractor, text: str) -> set[str]:
    return {c.actor for c in read(extractor, text).claims if not c.negated}


@pytest.mark.parametrize(("text", "expected"), [
    # the excluded party in apposition, in a coordination, in parentheses; the parser hangs "not" on either noun
    ("The seller, not Weixin, gets your phone number.", {"third_party"}),
    ("The app developer, not WeChat, stores your email address.", {"third_party"}),
    ("Tenpay, and not Weixin, handles your bank card number.", {"weixin_pay"}),
    ("The operator (not us) collects your precise location.", {"third_party"}),
    ("Advertisers, not WeChat, may receive your device identifiers.", {"advertiser"}),
])
def test_excluded_party_is_not_the_actor(extractor, text, expected):
    assert actors_of(extractor, text) == expected, text


@pytest.mark.parametrize(("text", "expected"), [
    # guards: the subject before "not" stays the actor; "not only" excludes no one; plain coordination keeps both
    ("We, not the seller, keep your purchase records.", {"wechat"}),
    ("We and our partners collect your email address.", {"wechat", "third_party"}),
    ("WeChat and Tenpay process your bank card number.", {"wechat", "weixin_pay"}),
])
def test_subject_before_the_exclusion_is_kept(extractor, text, expected):
    assert actors_of(extractor, text) == expected, text


@pytest.mark.parametrize(("text", "expected"), [
    # a series before a data phrase the lexicon names without its generic head ("card" + "information")
    ("Your payment and bank card information may be stored by our partner.", {"payment_information", "payment_card"}),
    ("Your name and address information is shared with the seller.", {"name", "postal_address"}),
    ("Your payment or bank card data is sent to the merchant.", {"payment_information", "payment_card"}),
    # a named modifier in a series before a generic head, however the last modifier is read
    ("We may disclose account and security information to the police.", {"account_information"}),
    ("Partners receive account and security data.", {"account_information"}),
])
def test_series_shares_the_generic_head(extractor, text, expected):
    assert types_of(extractor, text) == expected, text


@pytest.mark.parametrize(("text", "expected"), [
    # guards: two nouns of their own, a plural data noun, a phrase going on after the generic word
    ("We collect your name and address.", {"name", "postal_address"}),
    ("We collect your contacts and location information.", {"contacts", "location"}),
    ("We collect your first and last name.", {"name"}),
    ("We may disclose security information to the police.", {"personal_information"}),
])
def test_series_guards(extractor, text, expected):
    assert types_of(extractor, text) == expected, text
