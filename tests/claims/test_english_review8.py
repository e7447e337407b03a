"""Review of round en32 (policycheck-en 1.52.0): its rules fired beyond what their docstrings say. "like" after a
comma that follows a general data noun gives examples ("information, like records, logs and files": the
preposition "such as"), not a "like records" modifier; "like to" with an infinitive is "want to" ("the articles
you like to read"), no like operation; "likes on Moments posts" with "on" parsed under the verb are the posts, as
the docstring of ``enumerations._content_operated_on`` says; "shares in our company" / "shares of Tencent" are
equity, no share operation; "the rules / instructions you follow" are obeyed, no account followed. Short sentences
written for the test, through the real extractor; guards keep what en32 meant."""

from __future__ import annotations

import pytest

from tests.claims.test_english_generalize import read


def rows(extractor, text: str) -> set[tuple]:
    """(actor, action, negated, data type, data text) of every claim of ``text``, "we" being Weixin."""
    return {(c.actor, c.action, c.negated, c.data_type, c.data_text) for c in read(extractor, text, "weixin").claims}


@pytest.mark.parametrize("text", [
    "We collect information, like records, logs and files.",
    "We collect usage data, like history of your searches.",
    "We collect device data, like records of crashes.",
])
def test_like_after_a_general_noun_and_a_comma_gives_examples(extractor, text):
    """Before: "like records" / "like history ..." read as a like-operation record (interaction_events)."""
    found = rows(extractor, text)
    assert not any(r[4].lower().startswith("like ") for r in found), found
    assert not any(r[3] == "interaction_events" for r in found), found


@pytest.mark.parametrize("text", [
    "We store your photos, like records and comments.",  # a specific noun before: a list of records (en32)
    "We will collect your viewing history and like history.",
])
def test_like_records_in_a_list_of_specific_items_stay(extractor, text):
    assert any(r[3] == "interaction_events" and r[4].startswith("like ") for r in rows(extractor, text))


@pytest.mark.parametrize(("text", "data"), [
    ("We collect the articles you like to read.", "usage_data"),
    ("We collect information you may like to know about.", "usage_data"),
    ("We collect the videos you like.", "interaction_events"),  # guard: the operation itself (en32)
])
def test_like_to_is_no_like_operation(extractor, text, data):
    assert {r[3] for r in rows(extractor, text)} == {data}


@pytest.mark.parametrize(("text", "data"), [
    ("We collect your likes on Moments posts.", "moments_posts"),
    ("We collect your interactions with Moments posts.", "moments_posts"),
    ("We share your likes with advertisers.", "interaction_events"),  # guard: a phrase naming no user content
])
def test_likes_on_posts_are_the_posts_also_under_the_verb(extractor, text, data):
    found = rows(extractor, text)
    assert any(r[3] == data and r[4] in ("likes", "interactions") for r in found), found


@pytest.mark.parametrize(("text", "data"), [
    ("We collect your name and your shares in our company.", None),  # equity held in a party (before: events)
    ("We collect your shares of Tencent.", None),
    ("We collect your shares of articles.", "interaction_events"),  # guard: sharing content
])
def test_shares_held_in_a_party_are_no_operation(extractor, text, data):
    types = {r[3] for r in rows(extractor, text) if r[4] == "shares" or r[4].startswith("shares ")}
    assert ("interaction_events" in types) == (data == "interaction_events"), types


@pytest.mark.parametrize(("text", "data"), [
    ("We collect the rules you follow when posting.", "usage_data"),  # before: interaction_events
    ("We collect the instructions you follow.", "usage_data"),
    ("We collect the accounts you follow.", "interaction_events"),  # guard: an account followed (en32)
])
def test_a_norm_you_follow_is_no_follow_operation(extractor, text, data):
    assert {r[3] for r in rows(extractor, text)} == {data}
