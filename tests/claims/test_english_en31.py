"""Round en31 (policycheck-en 1.48.0): reduced relative clauses (past participles after a data noun) that the frame
labels (tests/gold/claims_en_frame.yaml, claims_en_frame_tables.yaml) and the rounds en29/en30 reported. Short
constructed sentences (not copied from any policy or gold set), positive and guard cases, through the real
extractor.

- "We use information collected through cookies": the instrument is the means of the participle, the used data
  is the information it gathered, so the use stays (and "we use cookies" is still no use of data).
- "We destroy personal information recorded and saved in electronic format": the object of the first party's own
  asserted destruction is data it kept, so the participles state their practices (collect for "recorded", retain
  for "saved"; claims_en.yaml ho-2020-021), also for the second conjunct of the participle, and under "delete" /
  "erase", which cancel what they govern only as the user's choice or request.
- The user's deletion ("you may delete photos stored on our servers", "... may be deleted by you") states
  nothing, whatever the wording.
"""

from __future__ import annotations

import pytest

from tests.claims.test_english_generalize import read


def tuples(result) -> set[tuple]:
    return {(c.actor, c.action, c.negated, c.data_type) for c in result.claims}


@pytest.mark.parametrize(("text", "data_type"), [
    ("We use information collected through cookies to improve our services.", "cookies"),
    ("We use information collected through cookies and similar technologies to analyse how you use WeChat.",
     "cookies"),
    ("We may use data gathered via cookies to measure the reach of our features.", "cookies"),
])
def test_use_of_data_collected_through_an_instrument(extractor, text, data_type):
    assert ("wechat", "use", False, data_type) in tuples(read(extractor, text)), text


@pytest.mark.parametrize("text", [
    "We use cookies to remember your preferences.",
    "We use cookies and web beacons.",
])
def test_using_an_instrument_is_still_no_use_of_data(extractor, text):
    found = tuples(read(extractor, text))
    assert ("wechat", "collect", False, "cookies") in found, text
    assert not any(a == "use" and d == "cookies" for _, a, _, d in found), text


@pytest.mark.parametrize(("text", "expected"), [
    ("We destroy personal information recorded and saved in electronic format by overwriting it.",
     {("wechat", "collect", False, "personal_information"), ("wechat", "retain", False, "personal_information")}),
    ("We destroy Personal Information recorded and saved in electronic format via methods such as Low Level Format.",
     {("wechat", "collect", False, "personal_information"), ("wechat", "retain", False, "personal_information")}),
    ("We delete photos stored on our servers after 30 days.", {("wechat", "retain", False, "photos_and_videos")}),
    ("We may destroy records kept in paper form by shredding.",
     {("wechat", "retain", False, "personal_information")}),
    # "delete" / "erase" cancel what they govern only as a request or choice, not as our own stated deletion
    ("We periodically delete photos stored on our servers.", {("wechat", "retain", False, "photos_and_videos")}),
    ("We delete personal information recorded and stored in electronic form after five years.",
     {("wechat", "collect", False, "personal_information"), ("wechat", "retain", False, "personal_information")}),
])
def test_participle_on_the_object_of_our_destruction(extractor, text, expected):
    assert expected <= tuples(read(extractor, text)), text


@pytest.mark.parametrize("text", [
    "You may delete photos stored on our servers.",
    "You can remove photos stored on our servers.",
    "Photos stored on our servers may be deleted by you at any time.",
    "You can request that we delete information stored on our servers.",
    "You may ask us to delete personal information recorded in electronic format.",
])
def test_users_deletion_states_nothing(extractor, text):
    assert tuples(read(extractor, text)) == set(), text


@pytest.mark.parametrize(("text", "expected"), [
    ("Photos uploaded to a Mini Program are stored by its developer.",
     {("mini_program_developer", "retain", False, "photos_and_videos")}),
    ("Information shared with a Mini Program is handled by the developer.",
     {("third_party", "process", False, "personal_information")}),
])
def test_participle_under_another_practice_still_identifies_the_data(extractor, text, expected):
    """claims_en_round13.yaml: under a main verb that is itself a practice, the participle states nothing."""
    assert tuples(read(extractor, text)) == expected, text
