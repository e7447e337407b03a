"""The English extractor's mechanisms of round `en15` (policycheck-en 1.20.0): transfer-table rows (a row whose
first cell names its recipient is not shifted as a rowspan row; "Transmitted ..." is the row's transfer), purpose
cells whose hand-off sentence names no context of the row, parse repairs (a retention cell's participle before a
contact clause, a passive series read as "be" + adjective, a conjunct the parser put into a relative clause, a
reduced relative coordinated without "and"), what the user searches for, generic data about a narrower kind, a
narrower name before a broader one-word name, and recipients of coordinated verbs. Short constructed sentences and
rows (invented names), positive and guard cases per rule."""

from __future__ import annotations

import pytest

from policycheck.claims.english import nlp, repair
from policycheck.claims.model import BlockInput
from tests.claims.test_english_generalize import read

TRANSFER_HEADER = ("Recipient identity and contact", "Location of the recipient", "Purposes of use by the recipient",
                   "Items of personal information to be provided", "Date and method of transfer",
                   "Period of retention")
USE_HEADER = ("Information", "How we use it", "Retention Period")


def row(extractor, cells: tuple[str, ...], header: tuple[str, ...], lead_in: str | None = None) -> set[tuple]:
    """(actor, action, negated, data type, context) of every claim of a table row."""
    block = BlockInput("table_row", " | ".join(cells), "", "en", "wechat", lead_in, header, cells)
    return {(c.actor, c.action, c.negated, c.data_type, c.context) for c in extractor.extract([block])[0].claims}


def claims_of(extractor, text: str) -> set[tuple]:
    """(actor, action, negated, data type, context) of every claim of ``text``."""
    return {(c.actor, c.action, c.negated, c.data_type, c.context) for c in read(extractor, text).claims}


def data_of(extractor, text: str) -> set[tuple]:
    return {claim[:4] for claim in claims_of(extractor, text)}


def parsed(text: str):
    doc = nlp.load()(text)
    repair.parse_repairs(doc)
    return doc


# ---------------------------------------------------------------- transfer tables
@pytest.mark.parametrize("first", ["Brightwave Storage B.V.", "Orchid Mail Ltd. / dpo@orchid.example",
                                   "privacy@lumen.example",
                                   "Heronbay Cloud Technology (Singapore) Pte. Ltd."])  # a place in parentheses
def test_a_row_naming_its_recipient_but_no_items_states_nothing(extractor, first):
    """The recipient's legal name or contact address fills the first column itself: the row is not a rowspan row
    whose cells belong to the last columns, so its empty items cell lists nothing."""
    cells = (first, "Germany", "Running our data centres", "", "", "")
    assert row(extractor, cells, TRANSFER_HEADER) == set()


def test_a_rowspan_row_without_a_party_name_is_still_realigned(extractor):
    """Guard: a row of four cells starting with a purpose is still read in the last columns."""
    cells = ("customer service - replying to a ticket", "Email address", "Transmitted from time to time",
             "Until the ticket is closed", "", "")
    assert {("wechat", "share", False, "email_address", None),
            ("wechat", "transfer", False, "email_address", None)} <= row(extractor, cells, TRANSFER_HEADER)


@pytest.mark.parametrize("method", ["Transmitted over the network when you register",
                                    "Transmitted when you open Moments", "Transmitted from time to time"])
def test_transmitted_is_the_rows_transfer_without_a_context_of_its_own(extractor, method):
    """The transfer stated by the method cell is the row's, beside the share: not tied to the moment it happens
    ("when you register"), and the share keeps the purpose cell's feature."""
    cells = ("Ferrous Routing Inc.", "Canada", "Providing People Nearby", "Email address", method, "1 year")
    found = row(extractor, cells, TRANSFER_HEADER)
    assert ("wechat", "transfer", False, "email_address", None) in found
    assert ("wechat", "share", False, "email_address", "people_nearby") in found
    assert not {c for c in found if c[1] == "transfer" and c[4] is not None}


def test_a_row_without_transmission_states_no_transfer(extractor):
    cells = ("Ferrous Routing Inc.", "Canada", "Providing People Nearby", "Email address", "From time to time",
             "1 year")
    assert not {c for c in row(extractor, cells, TRANSFER_HEADER) if c[1] == "transfer"}


# ---------------------------------------------------------------- purpose cells that hand a feature off
def test_a_hand_off_sentence_in_the_purpose_cell_gives_the_row_no_context(extractor):
    cells = ("Location Data. Your precise location.",
             "- To provide People Nearby.\nThe map service outside Europe is run by a third-party map provider and "
             "is subject to its own terms of use and privacy policy.",
             "Not stored after your session ends.")
    found = row(extractor, cells, USE_HEADER)
    assert ("wechat", "collect", False, "location", "people_nearby") in found
    assert not {c for c in found if c[0] == "wechat" and c[4] == "location_services"}


def test_a_purpose_line_naming_features_still_gives_them(extractor):
    """Guard: a purpose sentence that hands nothing off keeps its features as contexts."""
    cells = ("Location Data. Your precise location.", "- To provide People Nearby and location-based services.",
             "Retained for 30 days.")
    found = row(extractor, cells, USE_HEADER)
    assert {("wechat", "collect", False, "location", "people_nearby"),
            ("wechat", "collect", False, "location", "location_services")} <= found


# ---------------------------------------------------------------- a retention cell's opening participle
@pytest.mark.parametrize("line", ["Retained for 180 days from the date the song was played.",
                                  "Retained for one year from the date you close your account.",
                                  "Kept for 2 years after the day the order was placed."])
def test_a_retention_participle_before_a_contact_clause_is_the_root(line):
    doc = parsed(line)
    assert doc[0].dep_ == "ROOT"


def test_a_retention_line_with_a_contact_clause_retains_the_rows_data(extractor):
    cells = ("Listening Data. The songs you play in Music.", "- To recommend songs.",
             "Retained for 180 days from the date the song was played.")
    assert ("wechat", "retain", False, "usage_data", None) in row(extractor, cells, USE_HEADER)


def test_a_participle_after_its_clause_is_left():
    """Guard: "Deleted when the user closes the account" is parsed right; the participle stays the root."""
    doc = parsed("Deleted when the user closes the account.")
    assert doc[0].dep_ == "ROOT" and next(t for t in doc if t.lower_ == "closes").dep_ == "advcl"


# ---------------------------------------------------------------- a passive series read as "be" + adjective
@pytest.mark.parametrize(("text", "wanted"), [
    ("Images are compressed, encrypted and uploaded to our servers.", ("wechat", "collect", False,
                                                                       "photos_and_videos")),
    ("Voice messages are trimmed, encrypted and uploaded to our servers.", ("wechat", "collect", False,
                                                                            "voice_input")),
])
def test_a_passive_series_under_be_states_its_practice(extractor, text, wanted):
    assert wanted in data_of(extractor, text)


def test_a_question_heading_states_no_passive_practice(extractor):
    """Guard: "How Personal Information is Shared" fused with the sentence after it is a topic, not a share."""
    text = "How Personal Information is Shared Please see our Consumer Notice for more."
    assert not {c for c in data_of(extractor, text) if c[1] == "share"}


def test_a_lone_complement_of_be_is_left(extractor):
    assert data_of(extractor, "We are committed to the security of your data.") == set()


# ---------------------------------------------------------------- a conjunct of the main clause, not the relative
@pytest.mark.parametrize(("text", "wanted"), [
    ("Partners can view the photos you upload and may keep them for a year.",
     ("third_party", "retain", False, "photos_and_videos")),
    ("Advertisers receive the location you share and may store it on their servers.",
     ("advertiser", "retain", False, "location")),
])
def test_a_conjunct_with_its_own_pronoun_object_belongs_to_the_main_clause(extractor, text, wanted):
    assert wanted in data_of(extractor, text)


def test_a_conjunct_sharing_the_relative_gap_stays_in_the_relative_clause():
    """Guard: "the messages you send and receive" coordinates two verbs of the relative clause."""
    doc = parsed("We collect the messages you send and receive.")
    assert next(t for t in doc if t.lower_ == "receive").head.lower_ == "send"


# ---------------------------------------------------------------- a reduced relative coordinated without "and"
@pytest.mark.parametrize(("text", "wanted"), [
    ("Information you choose to share with a Weixin user is received by Weixin.",
     ("weixin", "collect", False, "personal_information")),
    ("Photos you choose to share with a merchant are received by that merchant.",
     ("third_party", "collect", False, "photos_and_videos")),
])
def test_a_choice_in_a_relative_clause_leaves_the_main_practice(extractor, text, wanted):
    """The parser makes "choose" the root and the passive its conjunct without "and"; the passive is the root."""
    assert wanted in data_of(extractor, text)
    assert parsed(text)[0].dep_ == "nsubjpass"


def test_a_choice_of_the_user_still_states_nothing(extractor):
    """Guard: the choice that is the main clause itself states no practice."""
    assert data_of(extractor, "You may choose to share your location with a friend.") == set()


# ---------------------------------------------------------------- what the user searches for
@pytest.mark.parametrize("text", ["We record the keywords you search for.",
                                  "Map partners receive the place names users search for."])
def test_what_the_user_searches_for_is_search_history(extractor, text):
    assert "search_history" in {c[3] for c in data_of(extractor, text)}


@pytest.mark.parametrize(("text", "kind"), [("We record the videos you watch.", "usage_data"),
                                            ("We keep the mobile number you search for.", "phone_number")])
def test_other_browsed_data_keeps_its_type(extractor, text, kind):
    assert {c[3] for c in data_of(extractor, text)} == {kind}


# ---------------------------------------------------------------- generic data about a narrower kind
def test_data_about_the_use_of_a_feature_with_a_usage_type_is_that_type(extractor):
    types = {c[3] for c in data_of(extractor, "Data about your use of Mini Programs is collected by us.")}
    assert types == {"mini_program_usage"}


def test_data_about_use_in_general_stays_usage_data(extractor):
    assert {c[3] for c in data_of(extractor, "We collect information about your use of Channels.")} == {
        "usage_data"}


# ---------------------------------------------------------------- a narrower name before a broader one-word name
@pytest.mark.parametrize(("text", "kind"), [("We keep your Favorites content.", "favorites"),
                                            ("We keep your Moments content.", "moments_posts")])
def test_a_narrower_name_before_content_names_only_itself(extractor, text, kind):
    assert {c[3] for c in data_of(extractor, text)} == {kind}


@pytest.mark.parametrize("text", ["We collect Moments content and chat data.",
                                  "We collect chat data and Moments content."])
def test_a_narrower_name_before_content_keeps_the_list_after_or_before_it(extractor, text):
    """The compound "Moments content" still heads its noun phrase: the item coordinated with it is read too
    (review3: "Moments content and chat data" lost chat data when "content" was dropped from the mentions)."""
    assert {c[3] for c in data_of(extractor, text)} == {"moments_posts", "chat_data"}


def test_a_name_before_a_generic_word_keeps_its_type(extractor):
    """Guard: "address information" is generic information typed by its modifier, not a narrower name."""
    assert "postal_address" in {c[3] for c in data_of(extractor, "We receive address information from partners.")}


def test_unrelated_names_side_by_side_are_both_kept(extractor):
    assert {"ip_address", "device_model"} <= {c[3] for c in data_of(extractor, "We collect IP address device model.")}


# ---------------------------------------------------------------- recipients of coordinated verbs
def test_a_verb_with_its_own_recipient_does_not_take_its_conjuncts(extractor):
    found = data_of(extractor, "Your step count is uploaded to our servers and ranked among your friends.")
    assert found == {("wechat", "collect", False, "health_data")}


@pytest.mark.parametrize(("text", "wanted"), [
    ("We collect and share your location with advertisers.", ("wechat", "share", False, "location")),
    ("Your data is shared with or transferred to our partners.",
     ("wechat", "transfer", False, "personal_information")),
])
def test_a_verb_without_a_recipient_still_takes_its_conjuncts(extractor, text, wanted):
    assert wanted in data_of(extractor, text)


# ---------------------------------------------------------------- a role noun operating a known feature or party
@pytest.mark.parametrize(("text", "actor"), [
    ("WeChat Pay is operated by a licensed company that collects your bank card number.", "weixin_pay"),
    ("Mini Programs are run by a developer who collects your location.", "mini_program_developer"),
])
def test_the_operator_named_by_its_role_is_the_features_operator(extractor, text, actor):
    assert {c[0] for c in data_of(extractor, text)} == {actor}


@pytest.mark.parametrize("text", [
    "WeChat Pay is operated by a third-party company that collects your bank card number.",
    "Location-based services are powered by a provider that collects your location.",
])
def test_a_third_party_or_an_operator_of_our_own_feature_stays_a_third_party(extractor, text):
    """Guard: "third-party" says it is someone else; a feature we operate ourselves is not handed to the
    provider that powers it."""
    assert {c[0] for c in data_of(extractor, text)} == {"third_party"}


# ---------------------------------------------------------------- logging in elsewhere with the platform's account
@pytest.mark.parametrize("text", [
    "When you log in to a game with your WeChat account, the game developer receives your nickname.",
    "Where you log in to a partner app with WeChat, the developer of that app receives your OpenID.",
    "If you sign in to a website using Weixin, the operator of that website receives your OpenID.",
])
def test_logging_in_elsewhere_with_the_platform_is_its_login_for_other_apps(extractor, text):
    assert {c[4] for c in claims_of(extractor, text)} == {"third_party_login"}


@pytest.mark.parametrize("text", ["When you log in to WeChat, we collect your IP address.",
                                  "When you log in with Facebook, we receive your email address.",
                                  "When you log in to your account with your password, we collect your IP address."])
def test_logging_in_to_the_platform_or_with_another_account_is_login(extractor, text):
    assert {c[4] for c in claims_of(extractor, text)} == {"login"}


def test_in_a_web_sites_policy_another_platform_is_no_own_login(extractor):
    """Guard: the platform is the policy's own party or its group's; a site's login with WeChat is its login."""
    found = read(extractor, "When you log in with WeChat, we receive your nickname.", "example_com").claims
    assert found and {c.context for c in found} <= {"login", None}


# ---------------------------------------------------------------- vocabulary (claims_en_round10.yaml conventions)
@pytest.mark.parametrize(("text", "kind"), [
    ("Fitness partners may receive your daily step data.", "health_data"),
    ("We analyse the device fingerprint of your phone.", "device_information"),
    ("The developer stores your game progress.", "usage_data"),
])
def test_data_names_of_the_round(extractor, text, kind):
    assert kind in {c[3] for c in data_of(extractor, text)}
