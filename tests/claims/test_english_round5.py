"""The English extractor's mechanisms of issue 9's third round: belief verbs the parser hangs under their content,
lead-ins not cut at company abbreviations, a lead-in's parenthesis not completed by its items, noun-tagged
practice verbs, fused titles, named companies as third parties, "these companies", "our use of X is limited to",
and platform features in a web site's policy. Constructed sentences stating each pattern (the shapes come from
WeChat blocks and OPP-115 segments)."""

from __future__ import annotations

import pytest

from policycheck.policies.model import last_sentence
from tests.claims.test_english_generalize import read, tuples


@pytest.mark.parametrize("text", [
    "If you believe we hold any other personal information, please complete the request form here.",
    "If you think we have collected or shared your data unlawfully, please contact us.",
])
def test_the_content_of_a_belief_is_not_asserted(extractor, text):
    assert read(extractor, text).claims == []


def test_a_practice_beside_a_belief_is_still_asserted(extractor):
    result = read(extractor, "We believe in transparency, and we hold your information on our servers.")
    assert ("wechat", "retain", False, "personal_information") in tuples(result)


def test_a_lead_in_is_not_cut_at_a_company_abbreviation():
    text = ("These recipients include: related group companies: we share your Personal Information within our "
            "group, including Tencent International Service Pte. Ltd (located in Singapore) and Tencent Europe B.V. "
            "for the purpose of:")
    assert last_sentence(text).startswith("we share your Personal Information within our group")
    assert last_sentence("We collect data. We share it as follows:") == "We share it as follows:"


def test_a_parenthesis_of_the_lead_in_is_not_completed_by_its_items(extractor):
    lead = ("we share your Personal Information within our group of companies (and all related group companies "
            "may only use your personal information in accordance with this policy), including Tencent "
            "International Service Pte. Ltd (located in Singapore), for the purpose of:")
    result = read(extractor, "providing WeChat to you and carrying out our obligations; and", kind="list_item",
                  lead_in=lead)
    assert tuples(result) == {("wechat", "share", False, "personal_information")}


def test_a_practice_verb_tagged_as_a_noun_with_subject_and_object(extractor):
    result = read(extractor, "MediaNews Web sites log IP addresses for systems administration.",
                  first_party="sltrib_com")
    assert tuples(result) == {("sltrib_com", "collect", False, "ip_address")}  # "<Brand> Web sites": the site


def test_a_title_fused_with_its_sentence_keeps_the_party(extractor):
    result = read(extractor, "Contests, Sweepstakes and Special Offers The New York Times collects personal "
                             "information from you when you participate in sweepstakes.", first_party="nytimes_com")
    assert ("nytimes_com", "collect", False, "personal_information") in tuples(result)


def test_named_companies_are_third_parties_not_the_site(extractor):
    received = read(extractor, "Facebook may receive your device identifiers.", first_party="example_com")
    assert tuples(received) == {("facebook", "collect", False, "device_identifier")}
    analytics = read(extractor, "Google Analytics collects information about your use of the site.",
                     first_party="example_com")
    assert {c.actor for c in analytics.claims} == {"google"}
    shared = read(extractor, "We may provide your email address to Google.", first_party="example_com")
    assert {(c.action, c.recipient) for c in shared.claims} == {("share", "google")}
    # the site's own brand still names the first party
    own = read(extractor, "Example collects your email address.", first_party="example_com")
    assert tuples(own) == {("example_com", "collect", False, "email_address")}


def test_these_companies_are_the_party_named_before(extractor):
    result = read(extractor, "We work with advertising partners, and these companies may collect your device "
                             "identifiers.")
    assert tuples(result) == {("advertiser", "collect", False, "device_identifier")}


def test_a_practice_noun_limited_in_its_own_clause_is_asserted(extractor):
    limited = read(extractor, "Our use of your email address is limited to sending you newsletters.")
    assert tuples(limited) == {("wechat", "use", False, "email_address")}
    assert read(extractor, "You may limit our use of your location data.").claims == []


def test_platform_features_in_a_web_sites_policy_are_the_sites_own(extractor):
    site = read(extractor, "The App collects your device identifiers.", first_party="lynda_com")
    assert tuples(site) == {("lynda_com", "collect", False, "device_identifier")}
    wechat = read(extractor, "The App collects your device identifiers.")
    assert tuples(wechat) == {("wechat", "collect", False, "device_identifier")}
