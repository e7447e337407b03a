"""The English extractor's mechanisms of issue 9's sixth round (`claims-en6`): the OPP-115 tune/check split,
coordinated modifiers over a generic head, "information about how you use X", collection participles that say
how or from where, "including but not limited to", the user granting us access, and third-party receipt
(another party that can see or view data, "make X available to Y", "that website" / "the platform" referring
back, role nouns of a feature we run, another party asking us). Short constructed sentences stating each
pattern, several per rule (tests/gold/claims_en_thirdparty.yaml has the labelled items)."""

from __future__ import annotations

import pytest

from policycheck.claims import pipeline
from policycheck.claims.opp115 import half_of
from tests.claims.test_english_generalize import read, tuples


def roles(result, onto, first_party: str = "wechat") -> set[tuple]:
    return {(pipeline.actor_role(c.actor, first_party, onto), c.action, c.negated, c.data_type)
            for c in result.claims}


def test_the_opp115_halves_alternate_over_sorted_numeric_ids():
    policies = ["1034_aol.com", "20_theatlantic.com", "105_amazon.com", "32_voxmedia.com", "70_meredith.com"]
    assert half_of(policies, "tune") == ["20_theatlantic.com", "70_meredith.com", "1034_aol.com"]
    assert half_of(policies, "check") == ["32_voxmedia.com", "105_amazon.com"]
    assert half_of(policies, "all") == sorted(policies, key=lambda p: int(p.split("_")[0]))
    with pytest.raises(ValueError):
        half_of(policies, "heldout")


@pytest.mark.parametrize(("text", "expected"), [
    ("We ask visitors for contact, demographic and technical information.",
     {"contact_information", "demographic_information", "log_data"}),
    ("We collect contact and billing information.", {"contact_information", "payment_information"}),
    ("We may collect network, device and location data.", {"network_information", "device_information", "location"}),
])
def test_coordinated_modifiers_distribute_over_a_generic_head(extractor, text, expected):
    found = {c.data_type for c in read(extractor, text, "acme").claims if c.action == "collect"}
    assert expected <= found and "personal_information" not in found


def test_a_series_stops_at_a_modifier_without_a_separator(extractor):
    found = {c.data_type for c in read(extractor, "We collect personal contact and billing information.", "acme")
             .claims}
    assert found == {"contact_information", "payment_information"}  # "personal" qualifies "contact" only


@pytest.mark.parametrize("text", [
    "We collect information about how you use the Services.",
    "Analytics providers receive information about how you interact with our app.",
    "Mini game developers may collect information about how you play.",
    "We record information about how you navigate within our site.",
])
def test_information_about_how_you_use_something_is_usage(extractor, text):
    assert {c.data_type for c in read(extractor, text, "acme").claims} == {"usage_data"}


@pytest.mark.parametrize(("text", "data_type"), [
    ("We may combine this online information with information collected from offline sources.",
     "personal_information"),
    ("We may combine it with data gathered through cookies.", "cookies"),
    ("We may combine your name with information obtained automatically.", "personal_information"),
])
def test_a_collection_participle_saying_how_or_from_where_is_a_collection(extractor, text, data_type):
    assert ("acme", "collect", False, data_type) in tuples(read(extractor, text, "acme"))


def test_a_participle_that_only_describes_states_no_collection(extractor):
    result = read(extractor, "Search terms used to find our site help us improve it.", "acme")
    assert not any(c.action == "collect" for c in result.claims)


@pytest.mark.parametrize("text", [
    "We collect information, including but not limited to your name and email address.",
    "We collect information including, but not limited to, your name and email address.",
    "We collect data including but not limited to: your name, your email address and your zip code.",
])
def test_including_but_not_limited_to_lists_examples(extractor, text):
    found = tuples(read(extractor, text, "acme"))
    assert {("acme", "collect", False, "name"), ("acme", "collect", False, "email_address")} <= found


@pytest.mark.parametrize("text", [
    "We collect your name but not your email address.",
    "We collect your name (but not the content of your messages).",
])
def test_an_exception_is_still_excluded(extractor, text):
    """The excepted data gets no positive claim; since round en13 "but not X" denies the practice of X
    (claims_en_thirdparty.yaml, claims_en_round13.yaml: a negated claim of X, tests/claims/test_english_en13.py)."""
    found = tuples(read(extractor, text, "acme"))
    assert {t for t in found if not t[2]} == {("acme", "collect", False, "name")}


@pytest.mark.parametrize(("text", "data_type"), [
    ("If you grant us access to your location, we will show nearby stores.", "location"),
    ("You can use these features by granting us access to your contact list.", "contacts"),
])
def test_the_user_granting_us_access_is_our_collection(extractor, text, data_type):
    assert ("acme", "collect", False, data_type) in tuples(read(extractor, text, "acme"))


def test_our_staff_given_access_states_nothing(extractor):
    assert not read(extractor, "We give our employees access to your address only when needed.", "acme").claims


@pytest.mark.parametrize(("text", "data_types"), [
    ("Official Account operators will be able to see your nickname when you follow them.", {"nickname"}),
    ("Your nickname can be seen by the developer.", {"nickname"}),
    ("Customer support vendors we work with can view your support requests.", {"customer_support_information"}),
    ("Developers of third-party apps can see your nickname and region.", {"nickname", "region"}),
])
def test_another_party_that_can_see_data_collects_it(extractor, onto, text, data_types):
    found = roles(read(extractor, text), onto)
    assert {("third_party", "collect", False, d) for d in data_types} <= found
    assert not any(role == "first_party" for role, *_ in found)


def test_other_users_who_can_see_data_stay_our_share(extractor, onto):
    assert roles(read(extractor, "Your contacts can view your nickname."), onto) == {
        ("first_party", "share", False, "nickname")}
    assert not read(extractor, "You can view your nickname in Settings.").claims


@pytest.mark.parametrize(("text", "data_types"), [
    ("Your delivery address and phone number are made available to the merchant who sells you the product.",
     {"postal_address", "phone_number"}),
    ("We may make your public profile information available to search engines.", {"profile_data"}),
    ("We make your profile available to other users.", {"profile_data"}),
])
def test_made_available_to_a_party_is_our_share(extractor, onto, text, data_types):
    assert roles(read(extractor, text), onto) == {("first_party", "share", False, d) for d in data_types}


@pytest.mark.parametrize(("text", "data_types"), [
    ("If you open a link to a third-party website, that website will receive your IP address.", {"ip_address"}),
    ("If you log in with a social media account, the platform will receive your IP address.", {"ip_address"}),
    ("If you click a link to another site, the site may collect your IP address and browser type.",
     {"ip_address", "browser_information"}),
])
def test_the_site_or_platform_referring_back_to_another_party(extractor, onto, text, data_types):
    assert roles(read(extractor, text), onto) == {("third_party", "collect", False, d) for d in data_types}


def test_our_own_site_is_not_another_party(extractor):
    assert ("acme", "collect", False, "ip_address") in tuples(read(extractor, "Our site collects your IP address.",
                                                                   "acme"))


@pytest.mark.parametrize("text", [
    "The creator of a sticker may receive your nickname.",
    "The maker of that device may receive your nickname.",
])
def test_a_role_noun_names_another_party(extractor, onto, text):
    assert roles(read(extractor, text), onto) == {("third_party", "collect", False, "nickname")}


@pytest.mark.parametrize("text", [
    "Third parties may ask us to disclose information about you.",
    "Law enforcement agencies may ask us to provide your phone number.",
])
def test_another_party_asking_us_states_no_practice(extractor, text):
    assert not read(extractor, text).claims


def test_we_asking_you_still_collects(extractor):
    assert ("wechat", "collect", False, "phone_number") in tuples(
        read(extractor, "We may ask you to provide your phone number."))


@pytest.mark.parametrize(("text", "kept", "excluded"), [
    ("We share your profile with advertisers, but not your email address.", "profile_data", "email_address"),
    ("We share your profile with advertisers (but not your email address).", "profile_data", "email_address"),
    ("We collect your name, but not your phone number.", "name", "phone_number"),
])
def test_a_negated_noun_coordinated_with_the_verb_is_excluded(extractor, text, kept, excluded):
    """The parser hangs "but not X" on the verb as a conjunct noun: X is a branch the practice excludes (never a
    positive claim of X; since round en13 a negated one), the verb's object keeps its claim."""
    claims = read(extractor, text, "acme").claims
    assert kept in {c.data_type for c in claims if not c.negated}
    assert excluded not in {c.data_type for c in claims if not c.negated}
