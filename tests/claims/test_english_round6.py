"""The English extractor's mechanisms of issue 9's fourth round (third parties in other companies' policies):
parties named by their role noun, "hire/engage X to collect", a party's own affiliates, a party the site's
name only modifies, things a third party runs, "have access to", a party using cookies, sources' examples,
places on the site, processing in the user's browser, recipient lists after "may include, among others:",
and the lexicon review. Constructed sentences stating each pattern (the shapes come from the OPP-115
development policies in ../shared; the labelled sentences themselves are in tests/gold/claims_en_web.yaml)."""

from __future__ import annotations

import pytest

from policycheck.claims import pipeline
from tests.claims.test_english_generalize import read, tuples

SITE = "example_com"  # a first party the ontology does not know, as the OPP-115 import makes one


def roles(result, onto, first_party: str = SITE) -> set[tuple]:
    return {(pipeline.actor_role(c.actor, first_party, onto), c.action, c.negated, c.data_type)
            for c in result.claims}


@pytest.mark.parametrize("text", [
    "Third party publishers may also collect personally identifiable information.",
    "We may allow third-party companies to collect certain information when you visit our Website.",
    "These companies may collect your IP address.",  # no party named before: still not the site
    "We may hire vendors to collect personal information on our behalf.",
    "We engage analytics firms to collect usage data.",
])
def test_a_party_named_by_its_role_noun_is_a_third_party(extractor, onto, text):
    assert {r[0] for r in roles(read(extractor, text, SITE), onto) if r[1] == "collect"} == {"third_party"}


def test_the_first_partys_own_nouns_are_not_third_parties(extractor, onto):
    assert ("first_party", "collect", False, "email_address") in roles(
        read(extractor, "By providing Company your email address, you consent to our notices.", SITE), onto)
    assert ("third_party", "retain", True, "personal_information") in roles(
        read(extractor, "We require our fulfillment vendor not to retain your information.", SITE), onto)


@pytest.mark.parametrize(("text", "expected"), [
    ("Our affiliates may use your name.", ("affiliate", "use", False, "name")),
    ("Our subsidiaries may collect your email address.", ("affiliate", "collect", False, "email_address")),
    ("An Example affiliate may use your name.", ("affiliate", "use", False, "name")),
])
def test_a_web_sites_own_affiliates_are_affiliates(extractor, onto, text, expected):
    assert expected in roles(read(extractor, text, SITE), onto)


def test_affiliates_of_a_known_first_party_stay_its_group(extractor, onto):
    result = read(extractor, "Our affiliates may use your name.")  # WeChat: Tencent group companies
    assert {c.actor for c in result.claims} == {"tencent_group"}
    assert pipeline.actor_role("own_affiliates", "aol_com", onto) == "affiliate"
    assert pipeline.actor_role("own_affiliates", "wechat", onto) == "affiliate"
    assert pipeline.actor_role("tencent", "aol_com", onto) == "third_party"


def test_non_affiliates_and_a_parent_company(extractor, onto):
    shared = read(extractor, "We do not share your information with non-affiliate companies that would use it.", SITE)
    assert {c.recipient for c in shared.claims if c.action == "share"} == {"third_party"}
    moved = read(extractor, "We may transfer your data to our parent company.", SITE)
    assert {(c.action, c.recipient) for c in moved.claims} == {("transfer", "own_affiliates")}  # not "our company"


def test_a_party_the_sites_name_only_modifies_is_not_the_site(extractor, onto):
    result = read(extractor, "Your name will be provided to the participating Honda Dealer.", "honda_com")
    assert tuples(result) == {("honda_com", "share", False, "name")}  # not "disclosed to us"
    assert tuples(read(extractor, "American Honda collects your name.", "honda_com")) == {
        ("honda_com", "collect", False, "name")}


def test_a_thing_a_third_party_runs_acts_for_it(extractor, onto):
    result = read(extractor, "Third-party advertising technology uses information derived from your visits.", SITE)
    assert {r[0] for r in roles(result, onto)} == {"third_party"}
    assert tuples(read(extractor, "We use third party cookies.", SITE)) == {(SITE, "collect", False, "cookies")}


def test_having_access_is_collection_by_another_party(extractor, onto):
    denied = read(extractor, "These advertising partners do not have access to or use your name or telephone "
                             "number.", SITE)
    assert {("third_party", "collect", True, "name"), ("third_party", "use", True, "phone_number")} <= roles(
        denied, onto)
    assert ("third_party", "collect", False, "personal_information") in roles(read(
        extractor, "Companies that provide services to us may have access to information about you.", SITE), onto)
    assert read(extractor, "We have access to your name.", SITE).claims == []  # the first party's own staff
    assert read(extractor, "You can control which third parties have access to your information.").claims == []


def test_a_party_using_cookies_collects_them(extractor, onto):
    for text in ("Some of our business partners use cookies on our site.",
                 "These third parties may use cookies to collect information about you."):
        found = roles(read(extractor, text, SITE), onto)
        assert ("third_party", "collect", False, "cookies") in found
        assert not any(r[1] == "use" and r[3] == "cookies" for r in found)  # using an instrument is no use of data
    used = read(extractor, "The CAN cookie is used to display relevant job ads to you.", SITE)
    assert (SITE, "use", False, "cookies") in tuples(used)  # the passive: what the cookie holds is used


def test_placing_cookies_on_the_users_computer_is_collection_storing_there_is_not(extractor):
    assert (SITE, "collect", False, "cookies") in tuples(read(
        extractor, "We may place cookies on your computer.", SITE))
    assert read(extractor, "Cookies are small amounts of data that are stored in separate files within your "
                           "computer's Internet browser.", SITE).claims == []


def test_the_examples_of_a_source_type_generic_data(extractor):
    result = read(extractor, "This information is collected using technologies such as cookies and web beacons.",
                  SITE)
    assert (SITE, "collect", False, "cookies") in tuples(result)


def test_a_page_the_data_comes_from_is_a_place(extractor):
    result = read(extractor, "Personal information collected from our donation pages is never shared.", SITE)
    assert {c.data_type for c in result.claims} == {"personal_information"}


def test_recipient_lists_after_may_include_among_others(extractor):
    lead = "The persons or organizations with whom we may share your personal information may include, among others:"
    result = read(extractor, "Independent claims adjusters", SITE, kind="list_item", lead_in=lead)
    assert tuples(result) == {(SITE, "share", False, "personal_information")}


@pytest.mark.parametrize(("text", "data_type"), [
    ("We collect domain names.", "network_information"),
    ("We collect the search key words you enter.", "search_history"),
    ("We collect the websites visited before our Website.", "referrer_url"),
])
def test_lexicon_additions(extractor, text, data_type):
    assert data_type in {c.data_type for c in read(extractor, text, SITE).claims}


@pytest.mark.parametrize("text", [
    "We may share your information with payment processors.",
    "You may access our services through third-party platforms.",
    "We may share your information among our brands.",
])
def test_parties_and_services_are_not_device_data(extractor, text):
    found = {c.data_type for c in read(extractor, text, SITE).claims}
    assert not found & {"cpu_information", "operating_system", "device_brand"}


def test_a_party_given_access_collects_and_the_giver_shares(extractor, onto):
    given = read(extractor, "Our fulfillment vendor will be given access to your full name.", SITE)
    assert roles(given, onto) == {("third_party", "collect", False, "name"), ("first_party", "share", False, "name")}
    denied = read(extractor, "We will not give advertisers access to your email address.", SITE)
    assert roles(denied, onto) == {("third_party", "collect", True, "email_address"),
                                   ("first_party", "share", True, "email_address")}
    assert read(extractor, "We give you access to your account information.", SITE).claims == []  # the user's own


def test_the_subject_of_being_able_to_collect(extractor, onto):
    assert ("third_party", "collect", False, "identifier") in roles(read(
        extractor, "An advertiser may also be able to collect your unique identifier.", SITE), onto)
    assert read(extractor, "You will be able to share your username with other members.", SITE).claims == []


def test_keeping_track_is_collection(extractor):
    assert tuples(read(extractor, "We may also keep track of IP addresses used to access the site.", SITE)) == {
        (SITE, "collect", False, "ip_address")}


def test_a_gerund_series_the_parser_hung_on_its_governor(extractor):
    result = read(extractor, "Any third party with whom we share user data is required to protect it and is "
                             "prohibited from retaining, using, or disclosing your information.")
    assert {(c.actor, c.action, c.negated) for c in result.claims if c.actor == "third_party"} == {
        ("third_party", "retain", True), ("third_party", "use", True), ("third_party", "share", True)}


def test_coordinated_practice_nouns_share_their_party_and_data(extractor):
    result = read(extractor, "Third parties' collection and use of your information is governed by their policies.",
                  SITE)
    assert tuples(result) == {("third_party", "collect", False, "personal_information"),
                              ("third_party", "use", False, "personal_information")}


def test_what_the_source_of_a_practice_includes_is_its_data(extractor):
    result = read(extractor, "We gather information through Internet activity, which may include, for example, your "
                             "operating system, Internet Protocol (IP) addresses, and cookies.", SITE)
    assert {"operating_system", "ip_address", "cookies"} <= {c.data_type for c in result.claims}


def test_the_agents_of_a_passive_control_its_purpose(extractor, onto):
    result = read(extractor, "Cookies may also be used by us or by our service providers to collect information.",
                  SITE)
    assert {("first_party", "collect", False, "personal_information"),
            ("third_party", "collect", False, "personal_information"),
            ("third_party", "collect", False, "cookies")} <= roles(result, onto)
    assert not any(c.action == "use" for c in result.claims)  # cookies used to collect: an instrument
