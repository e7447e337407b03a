"""The English extractor's mechanisms of round `en11` (policycheck-en 1.16.0): complete data names written side
by side (a list that lost its separators) against a name that qualifies the next, pointer sentences whose
wh-question only names what another text explains, and object lists the parser broke at an item written as a
noun and its participle. Short constructed sentences, positive and guard cases per rule."""

from __future__ import annotations

import pytest

from policycheck.claims.english.lexicon import qualifying_types
from tests.claims.test_english_generalize import read


def types(extractor, text: str, first_party: str = "acme", **extra) -> set[str]:
    """Data types of the first party's positive claims of ``text``."""
    return {c.data_type for c in read(extractor, text, first_party, **extra).claims
            if c.actor == first_party and not c.negated}


# ---------------------------------------------------------------- complete names side by side
@pytest.mark.parametrize(("text", "wanted"), [
    ("We collect IP address device model.", {"ip_address", "device_model"}),
    ("We collect your email address phone number.", {"email_address", "phone_number"}),
    ("We record device model operating system version.", {"device_model", "os_version"}),
    ("We store phone number email address.", {"phone_number", "email_address"}),
])
def test_complete_names_side_by_side_are_a_list(extractor, text, wanted):
    """Two complete names of several words, the first never written as a qualifier by the ontology, are two
    items whose separator was lost; each gives its type."""
    assert types(extractor, text) >= wanted


def test_a_data_cell_that_lost_its_line_breaks_lists_each_name(extractor):
    header = ("Type of Personal Information", "Retention Period")
    cells = ("IP address device model", "Retained for no longer than 3 months.")
    found = types(extractor, " | ".join(cells), kind="table_row", header=header, cells=cells,
                  lead_in="We keep your information for the periods set out below:")
    assert {"ip_address", "device_model"} <= found


@pytest.mark.parametrize(("text", "data", "not_data"), [
    ("We collect operating system device tokens.", "push_token", "operating_system"),
    ("We collect operating system push notification tokens.", "push_token", "operating_system"),
    ("We collect browser cookie identifiers.", "cookies", "browser_information"),
    ("We collect device push notification tokens.", "push_token", "device_information"),
])
def test_a_qualifying_name_still_only_qualifies(extractor, text, data, not_data):
    """A one-word name, or a name the ontology writes as the qualifier of another data name ("operating
    system" of "operating system version"), qualifies the name after it (en10)."""
    found = types(extractor, text)
    assert data in found
    assert not_data not in found


def test_qualifying_types_come_from_the_ontologys_names(onto):
    """Read from mappings/: "operating system" qualifies another type's name; "IP address" qualifies none, and
    an extension by a generic word or a preposition only ("device type information") does not count."""
    qualifying = qualifying_types(onto)
    assert "operating_system" in qualifying
    assert not {"ip_address", "device_model", "email_address", "phone_number"} & qualifying


# ---------------------------------------------------------------- pointers to an explanation
@pytest.mark.parametrize("text", [
    "You can see how we use cookies in our Cookie Policy.",
    "See our Cookie Policy for how we use cookies.",
    "For how we use cookies, see our Cookie Policy.",
    "You can find out how we use cookies on this page.",
    "Please read how we share your email address below.",
    "Click here to see how we use cookies.",
    "Visit our help center to find out what device information we collect.",
    "Users can review how we share their email address in the settings.",
])
def test_a_pointer_to_an_explanation_states_no_practice(extractor, text):
    """A wh-question that a pointing verb the reader is told to do governs ("see / read / find out / review
    how we use X", "see ... for how we ...") names the topic of a cross-reference, not a practice."""
    assert not read(extractor, text, "acme").claims


@pytest.mark.parametrize(("text", "wanted"), [
    ("We use cookies. You can see how we use them in our Cookie Policy.", {"cookies"}),
    ("We use cookies to see how you use our site.", {"cookies"}),
    ("We review how partners share your email address with us.", {"email_address"}),
    ("We use cookies to learn how you use our site.", {"cookies"}),
])
def test_a_practice_beside_a_pointer_or_our_own_looking_stays(extractor, text, wanted):
    """The practice stated beside a pointer stays; the first party's own seeing or reviewing is no pointer."""
    assert types(extractor, text) >= wanted


# ---------------------------------------------------------------- lists broken at a participle item
@pytest.mark.parametrize(("text", "wanted"), [
    ("We collect IP addresses, browser type, pages visited, and number of clicks to analyze trends.",
     {"ip_address", "browser_information", "page_path", "interaction_events"}),
    ("We collect IP addresses, browser type, pages visited, and number of clicks.",
     {"ip_address", "browser_information", "page_path", "interaction_events"}),
    ("We log your IP address, device type, time spent on each page, and pages visited to improve the site.",
     {"ip_address", "usage_data", "page_path"}),
    ("We automatically collect certain information when you visit. This includes IP addresses, browser type, "
     "pages visited, and number of clicks.", {"ip_address", "browser_information", "page_path",
                                              "interaction_events"}),
    ("We automatically collect certain information when you visit. This includes IP addresses, browser type, "
     "pages visited, and number of clicks to analyze trends.", {"ip_address", "browser_information", "page_path",
                                                                "interaction_events"}),
    ("We collect information such as IP addresses, browser type, pages visited, and number of clicks to analyze "
     "trends.", {"ip_address", "browser_information", "page_path", "interaction_events"}),
])
def test_items_after_a_participle_item_are_kept(extractor, text, wanted):
    """"pages visited" is parsed as a clause, and the later items hang on it: the list is read from the words
    up to its end (a purpose infinitive, a clause of its own)."""
    assert types(extractor, text) >= wanted


@pytest.mark.parametrize(("text", "not_wanted"), [
    ("We collect your name, and messages sent to you are deleted.", {"chat_data", "user_content"}),
    ("We collect your email address, and you can change your phone number later.", {"phone_number"}),
    ("We collect your email address, and pages visited by you are stored for a year.", set()),
])
def test_a_clause_after_the_list_is_no_item(extractor, text, not_wanted):
    """A clause of its own after the list (a participle with an agent or auxiliary, a finite verb) is no item."""
    collected = {c.data_type for c in read(extractor, text, "acme").claims if c.action == "collect"}
    assert not collected & not_wanted
    assert "page_path" not in collected
