"""The English extractor's mechanisms of round `en32` (policycheck-en 1.50.0): operations listed as data in
Weixin-guideline English. Plural operation nouns ("your likes, comments and follows", "the likes you make") and what
the user likes or follows ("the videos you like") are records of the operation (interaction_events, the
operation-record convention of tests/gold/claims_zh.yaml); operations on user content ("likes on Moments posts",
"your interactions in Moments") are that content; "like" before a record noun in a coordination ("reading records
and like records") is the noun's modifier, not a preposition; "contact number" is a phone number. Short
constructed sentences through the real extractor, positive and guard cases per rule."""

from __future__ import annotations

import pytest

from tests.claims.test_english_generalize import read


def rows(extractor, text: str) -> set[tuple]:
    """(actor, action, negated, data type) of every claim of ``text``, "we" being Weixin."""
    return {(c.actor, c.action, c.negated, c.data_type) for c in read(extractor, text, "weixin").claims}


# ---------------------------------------------------------------- plural operation nouns as data
@pytest.mark.parametrize(("text", "action", "data"), [
    ("We collect the likes you make.", "collect", "interaction_events"),
    ("We will collect your follows, likes and shares.", "collect", "interaction_events"),
    ("We store your likes and follows.", "retain", "interaction_events"),
    ("We record your views and shares of videos.", "collect", "interaction_events"),
    ("We will analyse your reposts to recommend content.", "use", "interaction_events"),
    ("We collect the videos you like.", "collect", "interaction_events"),
])
def test_an_operation_listed_as_data_is_its_record(extractor, text, action, data):
    """No data phrase is dropped (issue 9): the operation is its record, typed by its verb."""
    assert ("weixin", action, False, data) in rows(extractor, text)


def test_a_list_of_operations_keeps_its_content_items(extractor):
    found = rows(extractor, "We collect your likes, comments and follows.")
    assert {("weixin", "collect", False, "interaction_events"),
            ("weixin", "collect", False, "user_content")} <= found


@pytest.mark.parametrize("text", [
    "The company issued 1,000 shares.",
    "He likes apples.",
    "We process data like records and logs.",
])
def test_no_operation_record_without_an_operation_listed_as_data(extractor, text):
    """A counted noun (stock), a verb and the preposition "like" (such as) name no operation record."""
    assert not any(row[3] == "interaction_events" for row in rows(extractor, text))


# ---------------------------------------------------------------- operations on user content
@pytest.mark.parametrize(("text", "negated", "data"), [
    ("We collect your likes and comments on Moments posts.", False, "moments_posts"),
    ("We will no longer collect your interactions in Moments for ad recommendations.", True, "moments_posts"),
    ("We collect your interactions with Moments posts.", False, "moments_posts"),
    # a generic head whose "about" object is the operations (the lead, merging opp15's "information about your
    # interactions with X" as usage, which made these interaction events)
    ("We collect information about your interactions with Moments posts.", False, "moments_posts"),
])
def test_operations_on_posts_are_the_posts(extractor, text, negated, data):
    """Likes and comments on posts are part of the posts (moments_posts "comments and likes"), not analytics
    events (the note at interaction_events in mappings/data_types.yaml)."""
    found = rows(extractor, text)
    assert ("weixin", "collect", negated, data) in found
    assert ("weixin", "collect", negated, "interaction_events") not in found


def test_interactions_with_no_content_keep_their_head_type(extractor):
    found = rows(extractor, "We collect your interactions with the app.")
    assert ("weixin", "collect", False, "interaction_events") in found


# ---------------------------------------------------------------- "like" read as a preposition
@pytest.mark.parametrize(("text", "context"), [
    ("When you use Top Stories, we will collect your reading records and like records in order to recommend "
     "articles to you.", "top_stories"),
    ("We will collect your viewing history and like history.", None),
    ("We store your photos, like records and comments.", None),
])
def test_like_before_a_record_noun_is_its_modifier(extractor, text, context):
    claims = read(extractor, text, "weixin").claims
    assert any(c.data_type == "interaction_events" and c.data_text.startswith("like ") for c in claims)
    if context is not None:
        assert all(c.context == context for c in claims)


# ---------------------------------------------------------------- lexicon
@pytest.mark.parametrize(("text", "actor"), [
    ("Weixin Shop merchants can view your shipping address and contact number in order to ship your order.",
     "third_party"),
    ("We collect your contact number to reach you about your order.", "weixin"),
])
def test_a_contact_number_is_a_phone_number(extractor, text, actor):
    found = rows(extractor, text)
    assert (actor, "collect", False, "phone_number") in found
    assert (actor, "collect", False, "personal_information") not in found
