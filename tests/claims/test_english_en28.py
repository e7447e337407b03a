"""Round en28 (policycheck-en 1.44.0): shapes left by round en27 in the archived WeChat versions 2020-04-09 to
2020-09-03. Short constructed sentences (not from any policy or gold set), positive and guard cases, through the
real extractor and the real block assembly.

- An availability predicate with a subjectless participle clause ("the data may be available if cached on X"):
  the matrix subject is what the participle is about (Huddleston & Pullum 2002, ch. 14), so X holds (retains)
  it; a party holding it under its own terms is a scope exclusion (tests/gold/claims_en.yaml's conventions), as
  "the data may be cached on X and retained under their own privacy policies" already was. In a table row a
  generic "the Personal Information" before "the data" is the row's data.
- A list whose lead-in's last sentence only introduces it ("These categories of recipients include:") gets the
  sentence before it too (policies.model.list_lead_in), and its items complete that sentence's practice.
- Two proper-noun names joined by "/" ("an Official Account / Mini Program") are two names, each a party.
"""

from __future__ import annotations

import pytest

from policycheck.policies.model import RawBlock, assemble, list_lead_in
from tests.claims.test_english_generalize import read


def claims(extractor, text: str, **extra) -> set[tuple]:
    result = read(extractor, text, **extra)
    return {(c.actor, c.action, c.negated, c.data_type, c.context, c.scope) for c in result.claims}


@pytest.mark.parametrize(("text", "data_type"), [
    ("However, your posts may be available if cached on third party services.", "moments_posts"),
    ("Your photos may remain available when cached on third party services.", "photos_and_videos"),
    ("The data may still be accessible if stored on third party services.", "personal_information"),
])
def test_available_if_cached_elsewhere(extractor, text, data_type):
    assert ("third_party", "retain", False, data_type, "third_party_services", "excluded") in claims(extractor, text)


@pytest.mark.parametrize("text", [
    "Your photos may be available if cached by us.",
    "Your photos are available if stored on our servers.",
])
def test_available_if_held_by_us_stays_ours(extractor, text):
    found = claims(extractor, text)
    assert ("wechat", "retain", False, "photos_and_videos", None, "in_scope") in found, found
    assert not any(c[0] == "third_party" for c in found), found


@pytest.mark.parametrize("text", [
    "Your data may be deleted if requested by a court.",
    "We keep your data if required by law.",
    "Your posts may be available if you choose to share them.",
])
def test_no_holder_without_availability_and_participle(extractor, text):
    assert not any(c[0] == "third_party" and c[1] == "retain" for c in claims(extractor, text)), text


def test_table_row_data_is_the_rows(extractor):
    row = ("Photos you post | Until you request removal of the Personal Information or your account is deleted "
           "(however, the data may be available if cached on third party services).")
    found = claims(extractor, row, kind="table_row", header=("Information Type", "Retention Period"),
                   cells=tuple(row.split(" | ")))
    assert ("third_party", "retain", False, "photos_and_videos", "third_party_services", "excluded") in found, found
    assert not any(c[0] == "third_party" and c[3] == "personal_information" for c in found), found


@pytest.mark.parametrize(("paragraph", "expected"), [
    ("We share your information with a few kinds of recipients. These categories of recipients include:",
     "We share your information with a few kinds of recipients. These categories of recipients include:"),
    ("We disclose data to partners. They include the following:", "We disclose data to partners. They include the "
                                                                    "following:"),
    ("We collect data. We share it as follows:", "We share it as follows:"),
    ("Our security measures include:", "Our security measures include:"),
    ("These are:", "These are:"),
])
def test_list_lead_in(paragraph, expected):
    assert list_lead_in(paragraph) == expected


def test_assembled_list_keeps_the_sentence_before_an_introducer():
    doc = assemble([RawBlock("paragraph", "We share your information with selected recipients. These categories of "
                                          "recipients include:"),
                    RawBlock("list_item", "advertising partners;", level=1),
                    RawBlock("list_item", "payment processors.", level=1)])
    assert [b.lead_in for b in doc.blocks if b.kind == "list_item"] == [
        "We share your information with selected recipients. These categories of recipients include:"] * 2


@pytest.mark.parametrize(("item", "recipient"), [
    ("advertisers;", "advertiser"),
    ("payment processors: they handle payments for purchases you make;", "payment_processor"),
])
def test_introduced_list_items_complete_the_share(extractor, item, recipient):
    lead = ("Where necessary we share your information with selected recipients who have a reason to request it. "
            "These categories of recipients include:")
    result = read(extractor, item, kind="list_item", lead_in=lead)
    found = {(c.actor, c.action, c.data_type, c.recipient) for c in result.claims}
    assert ("wechat", "share", "personal_information", recipient) in found, found
    assert not any(c.actor != "wechat" for c in result.claims), found  # the relative clause's practice stays out


def test_introducer_alone_completes_nothing(extractor):
    result = read(extractor, "advertising partners;", kind="list_item", lead_in="These categories of recipients "
                                                                                 "include:")
    assert result.claims == []


@pytest.mark.parametrize(("text", "parties"), [
    ("Information provided to an Official Account / Mini Program is kept.",
     {"official_account_operator", "mini_program_developer"}),
    ("Personal information provided to a Mini Program / Official Account is stored.",
     {"official_account_operator", "mini_program_developer"}),
])
def test_slashed_names_are_two_parties(extractor, text, parties):
    collectors = {c.actor for c in read(extractor, text).claims if c.action == "collect"}
    assert collectors >= parties, collectors


def test_slashed_one_word_names_modify_the_noun(extractor):
    """"a Contoso/Fabrikam Dealer": one dealer of both brands, not the brand Contoso (the first party here)."""
    result = read(extractor, "Your name and address will be provided to the Contoso/Fabrikam Dealer you choose.",
                  first_party="contoso_com")
    assert not any(c.action == "collect" and c.actor == "contoso_com" for c in result.claims), result.claims
