"""Round en30 (policycheck-en 1.46.0): shapes of the table rows of the archived WeChat versions that the frame labels
(tests/gold/claims_en_frame_tables.yaml) showed the extractor missing or misreading. Short constructed rows and
sentences (not copied from any policy or gold set), positive and guard cases, through the real extractor.

- A negated participle coordinated with a postposed modifier of the object ("settings viewable to you but not
  shared with other users") is a reduced relative of that object: a negated share.
- A generic member that adds to a row's data list ("... and any other information that we may request") is kept
  as personal_information beside the typed members; a generic word the members belong to is not.
- In a table's data cell a participle on the listed data describes it ("... or phone number used to create an
  account"): no use of the data.
- A purpose bullet's parenthesis explaining a purpose-like purpose ("For security (so that there are no
  suspicious log-ins)") names no context.
- A retention-cell line opened by a label naming features ("Moments: retained until ...") keeps the row's data
  in those features.
- Lexicon: complaints are customer support information; interactions on posts are no interaction events (the
  lead removed en30's synonyms).
"""

from __future__ import annotations

import pytest

from policycheck.claims.model import BlockInput
from tests.claims.test_english_generalize import read

USE_HEADER = ("Information", "Purpose of Processing", "Retention Period")
USE_PATH = "4. HOW DO WE USE YOUR INFORMATION?"
LEAD = "For further details on how long we keep your data, please refer to the periods set out below."


def row(extractor, cells: tuple[str, ...], header: tuple[str, ...] = USE_HEADER, lead: str = LEAD,
        path: str = USE_PATH):
    block = BlockInput("table_row", " | ".join(cells), path, "en", "wechat", lead, header, cells)
    return extractor.extract([block])[0]


def tuples(result) -> set[tuple]:
    return {(c.actor, c.action, c.negated, c.data_type) for c in result.claims}


def contexts(result, action: str, data_type: str) -> set:
    return {c.context for c in result.claims if c.action == action and c.data_type == data_type and not c.negated}


@pytest.mark.parametrize(("text", "data_type"), [
    ("These include your chat settings viewable to you but not shared with other users.", "device_configuration"),
    ("These include your language settings visible to you and not shared with your contacts.", "language_setting"),
    ("This includes personal preferences visible only to you but not shared with other users.", "user_preferences"),
])
def test_negated_participle_after_postposed_modifier(extractor, text, data_type):
    assert ("wechat", "share", True, data_type) in tuples(read(extractor, text)), text


@pytest.mark.parametrize("text", [
    "These include your chat settings viewable to you.",
    "These include your chat settings, which you can change at any time.",
])
def test_no_negated_share_without_the_participle(extractor, text):
    assert not any(a == "share" for _, a, _, _ in tuples(read(extractor, text))), text


@pytest.mark.parametrize("data_cell", [
    "Appeal Information including your phone number, the text of your appeal and any other information that we may"
    " request to confirm your identity.\nLegal Basis (Relevant Jurisdictions only): Necessary to comply with law.",
    "Appeal data. Your email address, your appeal and any additional details that we may need to verify you.",
])
def test_other_member_of_a_row_list_is_kept(extractor, data_cell):
    result = row(extractor, (data_cell, "We use this information to handle your appeal.", "We store this for 2 years."))
    assert ("wechat", "collect", False, "personal_information") in tuples(result), data_cell


def test_generic_word_the_members_belong_to_is_not_kept(extractor):
    result = row(extractor, ("Profile data. Any information that you include in your profile, which includes your"
                             " nickname and gender.", "To show your profile to your friends.",
                             "Until you delete your account."))
    found = tuples(result)
    assert ("wechat", "collect", False, "nickname") in found
    assert ("wechat", "collect", False, "personal_information") not in found


@pytest.mark.parametrize("data_cell", [
    "Sign-up data. Your name, nickname, Apple ID, or phone number used to create a WeChat account.",
    "Login data. Your nickname, Apple ID, IP address, region, or email address used to log in to WeChat.\nLegal"
    " Basis (Relevant Jurisdictions only): Necessary to perform our contract with you.",
])
def test_data_cell_participle_describes_the_data(extractor, data_cell):
    result = row(extractor, (data_cell, "- To set up your account; and\n- to provide support.",
                             "Retained until your account is deleted."))
    found = tuples(result)
    assert ("wechat", "collect", False, "phone_number") in found or ("wechat", "collect", False, "email_address") \
        in found, data_cell
    assert not any(a == "use" for _, a, _, _ in found), data_cell


def test_retention_cell_participle_still_states_a_use(extractor):
    result = row(extractor, ("Location info. Your GPS location.", "To provide People Nearby.",
                             "Location info used for nearby features:\n- deleted after 1 hour."))
    assert ("wechat", "use", False, "location") in tuples(result)


def test_parenthesis_of_a_security_purpose_names_no_context(extractor):
    result = row(extractor, ("Device location. Your approximate location.",
                             "- For fraud detection and account security (so that there are no suspicious log-ins"
                             " to your account); and\n- to provide People Nearby.",
                             "Deleted after 3 months."))
    found = contexts(result, "collect", "location")
    assert "people_nearby" in found
    assert "login" not in found


def test_purpose_bullet_naming_login_still_gives_it(extractor):
    result = row(extractor, ("Device location. Your approximate location.",
                             "- To facilitate your log in; and\n- for security (such as fraud detection).",
                             "Deleted after 3 months."))
    assert "login" in contexts(result, "collect", "location")


def test_feature_labelled_retention_line_keeps_the_row_data(extractor):
    result = row(extractor, ("Location info. Your GPS location.", "- To share your location in chat; and\n- to tag"
                             " a location in a Moments post.",
                             "Location info used for features:\n- Moments: retained until you delete the post.\n"
                             "- Chat: deleted after 24 hours."))
    assert "moments" in contexts(result, "retain", "location")
    assert ("wechat", "retain", False, "moments_posts") not in tuples(result)


def test_feature_labelled_retention_line_of_a_posts_row(extractor):
    result = row(extractor, ("Posts. Your Moments posts and comments.", "To show your posts to your friends.",
                             "- Moments: retained until you delete the post."))
    assert ("wechat", "retain", False, "moments_posts") in tuples(result)


def test_complaint_records_are_support_information(extractor):
    result = row(extractor, ("Records of customer complaints", "3 years", ""),
                 header=("Items", "Relevant Statute", "Retention Period"),
                 lead="The mandatory retention periods required by law are as follows:", path="Addendum")
    assert ("wechat", "retain", False, "customer_support_information") in tuples(result)
    text = "We keep consumer complaints for two years."
    assert ("wechat", "retain", False, "customer_support_information") in tuples(read(extractor, text))


def test_interactions_on_posts_are_no_analytics_events(extractor):
    """The likes and comments on posts ("posts and related interactions") are no interaction events (the app's
    analytics clicks and events, under usage data): en30 typed them so, and a Mini Program's analytics events were
    then a clear disclosure through a sentence about Moments posts."""
    result = row(extractor, ("Shared Information – posts. This comprises the content you make available to other"
                             " users, including Moments posts and related interactions.",
                             "To show your posts to your friends.", "Retained until you delete the post."))
    found = tuples(result)
    assert ("wechat", "collect", False, "moments_posts") in found
    assert "interaction_events" not in {t for _, _, _, t in found}, found
    text = "We keep records of your interactions with our customer service team."
    assert "interaction_events" not in {t for _, _, _, t in tuples(read(extractor, text))}


def test_interoperable_interactions_are_no_data(extractor):
    text = "When you take part in Interoperable Interactions, we share your information with our partner."
    assert "interaction_events" not in {t for _, _, _, t in tuples(read(extractor, text))}
