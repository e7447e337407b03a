"""The English extractor's mechanisms of issue 9's second round (recall on unseen text): list items completing
their lead-in, rights lists, table rows whose label the ontology does not know, rows spanned by an earlier row,
nominal practices, instruments as subjects, data typed by the activity or recipient, category members, "we
reserve the right to", and list items of plain-text policies that lost their bullets."""

from __future__ import annotations

import pytest

from policycheck.claims.model import BlockInput
from policycheck.policies.plaintext import parse_plaintext
from tests.claims.test_english_generalize import read, tuples

TRANSFER_HEADER = ("Identity of the recipient", "Location of the recipient", "Purposes of use by the recipient",
                   "Items of personal information to be provided", "Date and method of transfer",
                   "Period of retention")


def test_purpose_and_recipient_items_complete_their_lead_in(extractor):
    purpose = read(extractor, "To operate and administer our services;", kind="list_item",
                   lead_in="We collect personal information for the following purposes:")
    assert tuples(purpose) == {("wechat", "collect", False, "personal_information")}
    assert purpose.claims[0].purpose == "To operate and administer our services"
    entity = read(extractor, "Entities that acquire all or substantially all of our business", kind="list_item",
                  lead_in="We disclose personal information to the following types of entities:")
    assert tuples(entity) == {("wechat", "share", False, "personal_information")}
    place = read(extractor, "Ontario, Canada (which was found to have an adequate level of protection); and",
                 kind="list_item", lead_in="The Personal Information that we collect from you will be transferred "
                                           "to, stored at, or processed in:")
    assert {c.action for c in place.claims} == {"transfer", "retain", "process"}  # not the relative "we collect"


@pytest.mark.parametrize("lead_in, item", [
    ("Request we disclose to you free of charge the following information covering the 12 months preceding "
     "your request:", "the specific pieces of personal information we collected about you;"),
    ("If you are a California resident, you have the right to:", "Request we delete personal information we "
                                                                  "collected from you; and"),
    ("You may request that we erase the Personal Information we hold about you where:",
     "you are or were under the age of 16 when we collected the Personal Information."),
])
def test_rights_and_requests_lists_state_nothing(extractor, lead_in, item):
    assert read(extractor, item, kind="list_item", lead_in=lead_in).claims == []


def test_a_choice_in_a_clause_of_the_lead_in_does_not_cancel_the_list(extractor):
    result = read(extractor, "your name and email address;", kind="list_item",
                  lead_in="If you choose to register, we collect the following information:")
    assert {"name", "email_address"} <= {c.data_type for c in result.claims}


def test_a_data_cell_always_names_data(extractor):
    cells = ("Additional account security", "Until you request removal of the Personal Information.")
    row = read(extractor, " | ".join(cells), kind="table_row", header=("Information Type", "Retention Period"),
               cells=cells)
    assert [(c.action, c.data_type, c.data_basis, c.data_text) for c in row.claims] == [
        ("retain", "personal_information", "fallback", "Additional account security")]
    # a row naming a recipient or purpose but no items states nothing
    empty = ("- importing contact lists", "", "", "", "", "")
    assert read(extractor, " | ".join(empty), kind="table_row", header=TRANSFER_HEADER, cells=empty).claims == []


def test_a_row_spanned_by_an_earlier_row_is_realigned(extractor):
    cells = ("customer service - answering a support ticket", "Mobile number, email address",
             "Transmitted from time to time", "Until the account is deleted", "", "")
    row = read(extractor, " | ".join(cells), kind="table_row", header=TRANSFER_HEADER, cells=cells)
    assert {("wechat", "share", False, "phone_number"), ("wechat", "share", False, "email_address"),
            ("wechat", "transfer", False, "phone_number")} <= tuples(row)
    # one missing column is ambiguous (a middle column may span): the row is read as it is
    retention = ("Records related to payment", "5 years", "")
    kept = read(extractor, " | ".join(retention), kind="table_row",
                header=("Items", "Relevant Statute", "Retention Period"), cells=retention)
    assert ("wechat", "retain", False, "transaction_records") in tuples(kept)


def test_retention_by_section_heading(extractor):
    cells = ("Cookies", "3 months from the date of log in.")
    row = BlockInput("table_row", " | ".join(cells), "Policy > HOW LONG DO WE KEEP HOLD OF YOUR DATA?", "en",
                     "wechat", None, ("Information Type", "Notes"), cells)
    assert ("wechat", "retain", False, "cookies") in tuples(extractor.extract([row])[0])


def test_members_of_a_category_get_its_type(extractor):
    result = read(extractor, "We collect device attributes, such as your IP address and your favourite colour.")
    # the member is of the category's type (one claim per type: the category's words stand for it), not
    # personal_information with data_basis fallback
    assert {c.data_type for c in result.claims} == {"device_information", "ip_address"}
    bare = read(extractor, "We collect your name, your IP address and your favourite colour.")
    assert ("personal_information", "fallback") in {(c.data_type, c.data_basis) for c in bare.claims}


@pytest.mark.parametrize("text, expected", [
    ("The collection of your email address is necessary to send you newsletters.",
     {("example_com", "collect", False, "email_address")}),
    ("Your name is collected when you register, and the processing of your payment details is done by us.",
     {("example_com", "collect", False, "name"), ("example_com", "process", False, "payment_information")}),
    ("We rely on the European Commission's model contracts for the transfer of Personal Information to third "
     "countries.", set()),
    ("For transfers of Personal Information of EEA users to third countries:", set()),
    ("If you have any questions regarding the use of your Personal Information, please contact us.", set()),
])
def test_nominal_practices(extractor, text, expected):
    assert tuples(read(extractor, text, first_party="example_com")) == expected


def test_instruments_as_subjects(extractor):
    assert ("example_com", "collect", False, "cookies") in tuples(read(
        extractor, "Web beacons help us count the users who visited a page.", first_party="example_com"))
    assert not any(c.actor == "example_com" for c in read(
        extractor, "Cookies allow third parties to track you.", first_party="example_com").claims)
    assert read(extractor, "If you disable cookies, some features will not work.", first_party="example_com"
                ).claims == []


def test_generic_information_typed_by_activity_and_recipient(extractor):
    social = read(extractor, "We receive information about you when you choose to connect with social networking "
                             "services.", first_party="example_com")
    assert "social_media_data" in {c.data_type for c in social.claims}
    account = read(extractor, "If you register an account then we will need some information.")
    assert "account_information" not in {c.data_type for c in account.claims}  # where the data goes, not what
    cells = ("Information provided to customer service", "Until you delete your account.")
    row = read(extractor, " | ".join(cells), kind="table_row", header=("Information Type", "Retention Period"),
               cells=cells)
    assert ("wechat", "retain", False, "customer_support_information") in tuples(row)
    official = ("Information provided to an Official Account", "Until you unfollow it.")
    assert "account_information" not in {c.data_type for c in read(
        extractor, " | ".join(official), kind="table_row", header=("Information Type", "Retention Period"),
        cells=official).claims}


def test_we_reserve_the_right_to(extractor):
    result = read(extractor, "We reserve the right to disclose your email address to law enforcement.",
                  first_party="example_com")
    assert ("example_com", "share", False, "email_address") in tuples(result)
    assert read(extractor, "You have the right to request that we delete your information.").claims == []


def test_long_include_lists(extractor):
    text = ("The information collected may include, without limitation, the make, model, settings, "
            "specifications (e.g., CPU speed, connection speed, browser type, operating system, device "
            "identifier) and geographic location of you and/or your computer, as well as date/time stamp, IP "
            "address, pages visited, time of visits, and other clickstream data.")
    types = {c.data_type for c in read(extractor, text, first_party="example_com").claims if c.action == "collect"}
    assert {"ip_address", "browser_information", "operating_system", "device_identifier"} <= types


def test_plain_text_items_that_lost_their_bullets():
    text = ("We may use Personal Information:\n\nto process and manage your requests for products\n\n"
            "respond to and fulfil your inquiries\n\ncreate and deliver personalized promotions\n\n"
            "We keep your data safe with encryption and access controls, and we review them every year.\n")
    parsed, _ = parse_plaintext(text)
    kinds = [(b.kind, b.text[:12]) for b in parsed.blocks]
    assert kinds[1:4] == [("list_item", "to process a"), ("list_item", "respond to a"),
                          ("list_item", "create and d")]
    assert kinds[4][0] != "list_item"
    assert all(b.lead_in == "We may use Personal Information:" for b in parsed.blocks[1:4])
