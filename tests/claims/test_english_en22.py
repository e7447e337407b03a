"""Round en22 (policycheck-en 1.33.0): third-party actors, scope exclusions and hand-offs. Short constructed
sentences (not from any policy or gold set), positive and guard cases."""

from __future__ import annotations

import pytest

from tests.claims.test_english_generalize import read


def claims_of(extractor, text: str) -> set[tuple]:
    """(actor, action, negated, data type, context, scope) of every claim read from ``text``."""
    return {(c.actor, c.action, c.negated, c.data_type, c.context, c.scope) for c in read(extractor, text).claims}


def actors_of(extractor, text: str) -> set[tuple[str, str]]:
    return {(c.actor, c.action) for c in read(extractor, text).claims}


@pytest.mark.parametrize(("text", "expected"), [
    # the main clause's subject after an opening when/if clause, parsed as an apposition of that clause's object
    ("When you open a Mini Program, the developer of that Mini Program can read your IP address.",
     {("mini_program_developer", "collect")}),
    ("If you follow an Official Account, the operator of that Official Account may receive your gender.",
     {("official_account_operator", "collect")}),
    ("When you use a Mini Program, the owner of the Mini Program may store your photos.",
     {("mini_program_developer", "retain")}),
    # the opening clause parsed as the main one, the real main verb its complement
    ("When you use WeChat Login, the third-party app you log in to obtains your OpenID.",
     {("third_party", "collect")}),
    # guards: a clause with a subject of its own keeps it; a real apposition before a subject changes nothing
    ("When you use a Mini Program, we collect your IP address.", {("wechat", "collect")}),
    ("When you use Moments, a feature we run, we store your photos.", {("wechat", "retain")}),
])
def test_subject_read_as_apposition(extractor, text, expected):
    assert actors_of(extractor, text) == expected, text


@pytest.mark.parametrize(("text", "expected"), [
    # a role noun whose relative clause says it operates a feature a third party runs is that feature's operator
    ("Businesses that run Official Accounts may collect your nickname.", {("official_account_operator", "collect")}),
    ("The firms which operate Mini Programs receive your phone number.", {("mini_program_developer", "collect")}),
    # guards: a feature we run names no other party; a party defined otherwise stays a generic third party
    ("Companies that operate Moments collect your photos.", {("third_party", "collect")}),
    ("Companies that sell advertising collect your IP address.", {("third_party", "collect")}),
])
def test_party_that_operates_a_feature(extractor, text, expected):
    assert actors_of(extractor, text) == expected, text


@pytest.mark.parametrize(("text", "expected"), [
    # a referring determiner and the head noun of a party named before: that party
    ("Your email address may be given to a Mini Program developer, and the developer may use your email address.",
     {("mini_program_developer", "use"), ("wechat", "share")}),
    ("Data you send to a third-party service can be stored by that service.",
     {("third_party_service", "collect"), ("third_party_service", "retain")}),
    ("If you post photos to other social media, those platforms may collect the photos.", {("third_party", "collect")}),
    # guards: "the service" alone is the app, ours; a noun with a modifier of its own is not a repetition
    ("The service may collect your IP address.", {("wechat", "collect")}),
])
def test_party_referred_back_to(extractor, text, expected):
    assert actors_of(extractor, text) == expected, text


@pytest.mark.parametrize(("text", "expected"), [
    # a recipient's receipt of what we share with it is our share only
    ("We disclose your email address to our mailing partner, which receives it to send newsletters.",
     {("wechat", "share")}),
    ("Your phone number, which we share with carriers, is received by them to route calls.",
     {("wechat", "share")}),
    # guards: other data, or a collection of the recipient's own, stay its practice
    ("We share your email address with partners, who also receive your IP address from advertisers.",
     {("wechat", "share"), ("third_party", "collect")}),
    ("We share your email address with partners, who may also collect your email address from other sources.",
     {("wechat", "share"), ("third_party", "collect")}),
])
def test_receipt_of_our_share(extractor, text, expected):
    assert actors_of(extractor, text) == expected, text


def test_exclusion_names_the_features_of_its_sentence(extractor):
    found = claims_of(extractor, "Analytics SDKs inside Mini Programs may read your device model, and these SDK "
                                 "providers handle it under their own privacy policies.")
    assert {c[4] for c in found} == {"mini_programs"}, found
    assert {c[5] for c in found} == {"excluded"}, found
    # a feature another named one belongs to gives way to it
    found = claims_of(extractor, "Information you give to a third-party service in a Mini Program is handled by "
                                 "that service under its own terms.")
    assert {c[4] for c in found} == {"mini_programs"}, found
    # guard: no feature named: the party's own feature, as before
    found = claims_of(extractor, "Outside providers may collect your IP address under their own privacy policies.")
    assert {c[4] for c in found} == {"third_party_services"}, found


@pytest.mark.parametrize(("text", "excluded"), [
    ("Partners collect your IP address under privacy policies of their own.", True),
    ("The merchant keeps your order history in accordance with its own policy.", True),
    ("Your address is collected by the courier and is governed by the courier's privacy policy.", True),
    # guards: our own policy, this policy
    ("Your address is collected by us and is governed by our privacy policy.", False),
    ("Your address is collected by the courier and is governed by this Privacy Policy.", False),
])
def test_own_terms_cues(extractor, text, excluded):
    claims = read(extractor, text).claims
    assert claims, text
    assert all((c.scope == "excluded") == excluded for c in claims), [(c.actor, c.scope) for c in claims]


def test_collection_of_a_party_under_its_own_terms(extractor):
    # the user's giving to a party whose use the sentence hands to that party's own terms: its collection, out too
    found = claims_of(extractor, "When you give your address to a Mini Program merchant, the merchant uses it under "
                                 "its own terms.")
    assert {(c[1], c[4], c[5]) for c in found} == {("collect", "mini_programs", "excluded"),
                                                   ("use", "mini_programs", "excluded")}, found
    # guard: our own collection in the same sentence stays ours and in scope
    found = claims_of(extractor, "We collect your address, and the merchant uses it under its own terms.")
    assert ("wechat", "collect", False, "postal_address", None, "in_scope") in found, found


@pytest.mark.parametrize(("text", "context"), [
    # "when you use them / it" refers back to the feature named before it
    ("Official Accounts are run by outside businesses, which may collect your IP address when you follow them.",
     "official_accounts"),
    ("Mini Programs are built by developers, who may read your device model when you open them.", "mini_programs"),
    # guard: a clause naming a feature of its own keeps it
    ("Mini Programs are built by developers, who may read your device model when you use Channels.", "channels"),
])
def test_context_referred_back_to(extractor, text, context):
    assert {c.context for c in read(extractor, text).claims} == {context}, text


@pytest.mark.parametrize(("text", "expected"), [
    # ", which" after a party's own relative clause describes the party, not that clause's object
    ("Your location is sent to the company that draws the map, which stores it for a day.",
     {("wechat", "share"), ("third_party", "retain")}),
    ("We share your IP address with a partner that hosts the map, which uses it to show tiles.",
     {("wechat", "share"), ("third_party", "use")}),
    # guard: a party named as that object keeps it
    ("We run the map that shows Official Accounts nearby, which uses your location.", {("wechat", "use")}),
])
def test_which_after_a_party_relative(extractor, text, expected):
    assert actors_of(extractor, text) == expected, text


@pytest.mark.parametrize("text", [
    "We share your location with the map provider, which handles it under its own privacy policy.",
    "Your email address is given to the courier, who uses it according to its privacy policy.",
])
def test_our_share_stays_ours_when_the_recipient_has_own_terms(extractor, text):
    claims = read(extractor, text).claims
    ours = {(c.action, c.scope) for c in claims if c.actor == "wechat"}
    theirs = {c.scope for c in claims if c.actor != "wechat"}
    assert ours == {("share", "in_scope")} and theirs == {"excluded"}, [(c.actor, c.action, c.scope) for c in claims]
