"""The English extractor's mechanisms of issue 9's fifth round (the shapes of a messaging app's policy:
tests/gold/claims_en_synthetic.yaml): table schemas read from their header (purpose columns named "How we use
it", "Records" and "Examples" data columns, "Disclosed to" recipients, sources columns, "Not disclosed"),
labels the parser reads as clauses, a data cell's source phrase, bold-label list items, scope exclusions by a
document named in a passive, an "under" phrase or a clause subject, legal transfer mechanisms, a verb series
parsed as a noun root, other users who can see data, "them" as data, a cell's "the text" after its row label,
and feature names written as verbs. Constructed sentences stating each pattern, several per rule."""

from __future__ import annotations

import pytest

from policycheck.claims import pipeline
from policycheck.claims.english import nlp, tables
from tests.claims.test_english_generalize import read, tuples


def row(extractor, header: list[str], cells: list[str], lead_in: str | None = None):
    return read(extractor, " | ".join(cells), kind="table_row", lead_in=lead_in, header=tuple(header),
                cells=tuple(cells))


def roles(result, onto) -> set[tuple]:
    return {(pipeline.actor_role(c.actor, "wechat", onto), c.action, c.negated, c.data_type) for c in result.claims}


USE_TABLE = ["Types of Information", "How We Use It", "How Long We Keep It"]


@pytest.mark.parametrize("header", [USE_TABLE, ["Information", "Why we use it", "Retention"]])
def test_a_purpose_column_named_how_or_why_we_use_makes_a_collection_table(extractor, header):
    result = row(extractor, header, ["Contact Data. Your email address.", "To reply to you.", "Until you ask us."])
    assert ("wechat", "collect", False, "email_address") in tuples(result)
    assert not any(c.action == "retain" for c in result.claims)  # "Until ..." states no retention there


@pytest.mark.parametrize(("label", "data_type"), [
    ("Records of in-app purchases and refunds", "transaction_records"),
    ("Chat messages reported as abusive", "chat_data"),
])
def test_a_records_column_is_the_data_of_a_mandatory_retention_table(extractor, label, data_type):
    result = row(extractor, ["Records kept", "Legal ground", "Retention period"], [label, "Consumer law", "5 years"],
                 "Where the law requires us to keep certain records, we keep them for the periods below:")
    assert ("wechat", "retain", False, data_type) in tuples(result)


CATEGORIES = ["Category", "Examples", "Sources", "Purposes", "Disclosed to"]


def test_a_categories_table_collects_its_examples_and_shares_them(extractor, onto):
    result = row(extractor, CATEGORIES, ["Identifiers", "Name, mobile number, IP address", "You", "Security",
                                         "Service providers"])
    found = roles(result, onto)
    for action in ("collect", "share"):
        assert {("first_party", action, False, t) for t in ("identifier", "name", "phone_number", "ip_address")} \
            <= found
    # the same table known by its lead-in, without a sources column
    lead = "In the past 12 months we have collected the following categories of personal information:"
    other = row(extractor, ["Category", "Examples", "Disclosed to"], ["Geolocation data", "precise location",
                                                                      "Our affiliates"], lead)
    assert {("first_party", "share", False, "precise_location"), ("first_party", "collect", False, "location")} \
        <= roles(other, onto)


@pytest.mark.parametrize("none", ["Not disclosed", "None", "We do not disclose this information"])
def test_a_recipient_cell_denying_disclosure_negates_the_share(extractor, onto, none):
    result = row(extractor, CATEGORIES, ["Biometric information", "Facial recognition data", "You",
                                         "Identity verification", none])
    found = roles(result, onto)
    assert ("first_party", "share", True, "face_data") in found and ("first_party", "collect", False, "face_data") \
        in found
    assert ("first_party", "share", False, "face_data") not in found


def test_a_transfer_table_stays_a_share_of_its_items(extractor):
    result = row(extractor, ["Recipient", "Country", "Items of personal information", "Purpose of use"],
                 ["Example SMS Ltd.", "USA", "Mobile phone number", "Sending verification codes"],
                 "We provide personal information to the following recipients:")
    assert {c.action for c in result.claims if c.data_type == "phone_number"} == {"share"}


def test_a_label_the_parser_reads_as_a_clause_is_a_noun_phrase(extractor):
    parsed = nlp.load()("Crash reports")
    if parsed[1].pos_ == "VERB":  # the shape the rule repairs (en_core_web_sm 3.8 parses it so)
        assert tables._misread_subject(parsed[:]).text == "Crash"
    assert tables._misread_subject(nlp.load()("Payment verification records")[:]) is None
    for label, data_type in (("Crash reports", "service_logs"), ("Device fingerprint parameters",
                                                                 "device_information")):
        result = row(extractor, ["Type of Data", "How long we keep it"], [label, "30 days"])
        assert ("wechat", "retain", False, data_type) in tuples(result), label


@pytest.mark.parametrize("cell", ["Approximate Location. Your city, as determined from your IP address.",
                                  "Approximate Location. Your city, based on your IP address."])
def test_the_source_a_data_cell_names_is_not_its_data(extractor, cell):
    result = row(extractor, USE_TABLE, [cell, "To show local content.", "Not stored after your session ends."])
    assert {(c.action, c.negated, c.data_type) for c in result.claims} == {
        ("collect", False, "approximate_location"), ("retain", True, "approximate_location")}


def test_a_cells_the_x_after_the_row_label_is_the_rows_data(extractor):
    result = row(extractor, USE_TABLE, ["Translation Text. The text of a message you ask us to translate.",
                                        "To translate the message.",
                                        "We do not store the text after the translation is returned."])
    assert ("wechat", "retain", True, "translation_text") in tuples(result)
    # only the label's head noun refers back: "the WeChat Out feature" is no "WeChat Out data"
    other = row(extractor, USE_TABLE, ["WeChat Out data. Your WeChat ID.", "We use this to provide you with the "
                                       "WeChat Out feature.", "Deleted after the call has ended."])
    assert not [c for c in other.claims if c.action == "collect" and c.sentence.startswith("We use")]


@pytest.mark.parametrize(("item", "expected"), [
    ("Log Data. Technical information such as your device model and IP address.", {"device_model", "ip_address"}),
    ("Contacts. With your permission, the phone numbers in your address book.", {"contacts", "phone_number"}),
])
def test_a_bold_label_and_its_verbless_list_sentence(extractor, item, expected):
    result = read(extractor, item, kind="list_item", lead_in="We collect the following information:")
    assert expected <= {c.data_type for c in result.claims if c.action == "collect"}


def test_a_bold_label_before_a_clause_lists_nothing_more(extractor):
    result = read(extractor, "Log Data. We never sell your IP address.", kind="list_item",
                  lead_in="We collect the following information:")
    assert ("wechat", "collect", False, "ip_address") not in tuples(result)


@pytest.mark.parametrize(("text", "actor", "context"), [
    ("Information collected by a Mini Program, including any location data it requests, is the responsibility of "
     "its developer and is not covered by this Privacy Policy.", "mini_program_developer", "mini_programs"),
    ("Weixin processes your messages under the Weixin Privacy Protection Guidelines.", "weixin", "weixin_features"),
    ("Tenpay collects your card number in accordance with the Tenpay Privacy Policy.", "weixin_pay", "payments"),
    ("A map provider may collect your location data under its privacy policy.", "third_party", None),
    ("How Mini Program developers use your data is subject to their own privacy policies.",
     "mini_program_developer", "mini_programs"),
])
def test_practices_under_another_partys_document_are_excluded(extractor, text, actor, context):
    result = read(extractor, text)
    excluded = [c for c in result.claims if c.scope == "excluded"]
    assert excluded and {c.actor for c in excluded} == {actor}, text
    if context is not None:
        assert context in {c.context for c in excluded}


def test_practices_under_this_policy_stay_in_scope(extractor):
    for text in ("We process your messages under this Privacy Policy.",
                 "How we use your data is subject to this Privacy Policy."):
        result = read(extractor, text)
        assert result.claims and all(c.scope == "in_scope" for c in result.claims), text


@pytest.mark.parametrize("text", [
    "We rely on standard contractual clauses approved by the relevant authorities when we transfer personal "
    "information to countries without an adequacy decision.",
    "Where we transfer your data outside the EEA, we rely on the European Commission's model clauses.",
])
def test_the_occasion_of_a_legal_transfer_mechanism_states_no_practice(extractor, text):
    assert read(extractor, text).claims == []


def test_a_when_clause_of_other_verbs_still_states_its_practice(extractor):
    assert ("wechat", "transfer", False, "personal_information") in tuples(
        read(extractor, "When we transfer personal information abroad, we inform you."))
    assert ("wechat", "collect", False, "location") in tuples(
        read(extractor, "When you use People Nearby, we collect your location."))


def test_a_verb_series_parsed_as_a_noun_root_keeps_its_subject(extractor, onto):
    for text in ("Our service providers store and process your information on our behalf.",
                 "Our partners store and use your data."):
        found = roles(read(extractor, text), onto)
        assert ("third_party", "retain", False, "personal_information") in found, text
        assert not any(r[0] == "first_party" for r in found), text


@pytest.mark.parametrize(("text", "expected"), [
    ("Your contacts can view your nickname and profile photo.", {("share", False, "nickname"),
                                                                ("share", False, "profile_photo")}),
    ("Your profile photo is visible to other users.", {("share", False, "profile_photo")}),
    ("Your profile photo can be seen by other users.", {("share", False, "profile_photo")}),
    ("Other users cannot see your phone number.", {("share", True, "phone_number")}),
])
def test_data_other_users_can_see_is_shared_with_them(extractor, text, expected):
    result = read(extractor, text)
    assert {(c.action, c.negated, c.data_type) for c in result.claims if c.actor == "wechat"} == expected
    assert {c.recipient for c in result.claims} == {"other_users"}


def test_what_the_user_can_view_states_nothing(extractor):
    assert read(extractor, "You can view your login history in Settings.").claims == []


def test_them_after_data_is_that_data(extractor):
    result = read(extractor, "We receive your WeChat ID and profile data, and Weixin processes them.")
    assert ("weixin", "process", False, "profile_data") in tuples(result)
    stored = read(extractor, "Members may save or forward your messages, and other users may store them.")
    assert ("other_users", "retain", False, "chat_data") in tuples(stored)
    shared = read(extractor, "We provide them with your email address.")  # "them" the persons
    assert {c.data_type for c in shared.claims} <= {"email_address"}


def test_a_features_proper_name_written_as_a_verb_names_no_feature(extractor):
    asked = read(extractor, "We collect the email address you give us when you ask for help.")
    assert asked.claims and all(c.context != "ask_feature" for c in asked.claims)
    for text, kept in (("when you ask for help", False), ("when you use Ask", True), ("to show nearby places", False),
                       ("when you use Nearby", True),
                       ("to translate the message", True)):  # "translate" is a lower-case name of its own
        mentions = extractor.lexicon.find(nlp.load()(text))
        assert any(m.id in ("ask_feature", "translation", "people_nearby") for m in mentions.by_kind["feature"]) \
            is kept, text


@pytest.mark.parametrize(("text", "expected"), [
    ("We collect network and device information at login.", {"network_information", "device_information"}),
    ("We collect device and network information.", {"network_information", "device_information"}),
    ("We collect IP addresses and device identifiers.", {"ip_address", "device_identifier"}),
    ("We retain the date of verification and hashed payment card number.", {"payment_card"}),  # no "verification
])  # number": the two words name no concept
def test_coordinated_modifiers_share_the_head_of_a_named_phrase(extractor, text, expected):
    assert {c.data_type for c in read(extractor, text).claims} - {"personal_information"} == expected


def test_a_list_resumes_after_a_clause_the_parser_hung_it_on(extractor):
    result = read(extractor, "device attributes, such as configuration information made available by your web "
                             "browser or other programs you use to access WeChat, your IP address, and your email "
                             "address;", kind="list_item", lead_in="Log Data is information we collect, including:")
    assert {"ip_address", "email_address", "device_configuration"} <= {c.data_type for c in result.claims}
    # a relative clause that names no further member stays out of the list
    other = read(extractor, "Contacts that you choose to sync with your device address book;", kind="list_item",
                 lead_in="We collect the following information:")
    assert "contacts" in {c.data_type for c in other.claims}


def test_a_comma_list_is_no_coordinated_modifier(extractor):
    result = read(extractor, "We collect your business name, commercial bank, account information and IP address.")
    assert "bank_account" not in {c.data_type for c in result.claims}
