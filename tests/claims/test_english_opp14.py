"""The English extractor's mechanism of the seventh OPP-115 round (`opp14`): the "by" agent of a passive that names
the data subject by a user noun ("provided by our users", "submitted by visitors") is the user, as the active
subject "users provide" and the passive "provided by you" already were: the user's giving is its receiver's
collection. Short constructed sentences, several per shape, with guards (none copied from OPP-115)."""

from __future__ import annotations

import pytest

from tests.claims.test_english_generalize import read
from tests.claims.test_english_opp10 import claims_of


@pytest.mark.parametrize("text, data_type", [
    ("We keep the details submitted by our members for three years.", "personal_information"),
    ("Information provided by users is stored on our servers.", "personal_information"),
    ("We may show you offers based on the details provided by our customers, such as their postal code.",
     "postal_code"),
    ("Any feedback sent by customers through the help form is stored with their account.",
     "customer_support_information"),
    ("The phone numbers entered by subscribers are used to confirm their orders.", "phone_number"),
    ("Information supplied by visitors is used only to answer their questions.", "personal_information"),
])
def test_data_given_by_a_user_noun_agent_is_collected(extractor, text, data_type):
    """A giving verb (``patterns.yml`` ``user_provides``) in the passive whose agent names the data subject by a
    user noun ("by our members", "by registered users", "by customers") is the user's giving: the first party,
    receiving it, collects it (labelling conventions: "you provide (to us)" is a collection), as with "by you"."""
    assert ("acme", "collect", False, data_type) in claims_of(read(extractor, text, "acme")), text


@pytest.mark.parametrize("text", [
    "Photos posted by other users may be seen by anyone.",
    "Comments written by another member are shown beside the article.",
    "Reviews written by other visitors appear below each product.",
])
def test_other_users_as_agent_give_the_site_nothing(extractor, text):
    """Guards: "other users", "another member", "other visitors" are not the data subject (``is_user``): what
    they post or send is no collection of the policy's party."""
    assert not {c for c in claims_of(read(extractor, text, "acme")) if c[:2] == ("acme", "collect")}, text


@pytest.mark.parametrize("text, wanted", [
    ("Information provided by visitors to our advertising partners is governed by their own policies.",
     ("advertiser", "collect", False, "personal_information")),
    ("Details provided by you when you order are used to ship the goods.",
     ("acme", "collect", False, "personal_information")),
])
def test_recipient_and_second_person_agents_keep_their_reading(extractor, text, wanted):
    """Guards: a named recipient receives what the user gives ("provided by visitors to our advertising partners":
    the partners' collection, not the site's); "by you" reads as before."""
    found = claims_of(read(extractor, text, "acme"))
    assert wanted in found, text
    if wanted[0] != "acme":
        assert not {c for c in found if c[:2] == ("acme", "collect")}, text


@pytest.mark.parametrize("text", [
    "The pages viewed by visitors are counted each day.",
    "Accounts closed by members are deleted after a month.",
])
def test_a_user_agent_of_a_non_giving_verb_states_no_collection(extractor, text):
    """Guards: a user noun agent of a verb that is no giving (viewing pages, closing an account) makes no
    collection by the site out of the user's own doing."""
    assert not {c for c in claims_of(read(extractor, text, "acme")) if c[:2] == ("acme", "collect")}, text
