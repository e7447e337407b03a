"""The English extractor's mechanisms of the fourth OPP-115 recall round (`opp11`): broad shapes of website
policies around instruments of collection, named tracking tools, colon lead-ins and identifiers. Short
constructed sentences, several per rule (none copied from OPP-115)."""

from __future__ import annotations

import pytest

from tests.claims.test_english_generalize import read


def collected(result, actor: str = "acme", negated: bool = False) -> set[str]:
    return {c.data_type for c in result.claims if c.actor == actor and c.action == "collect" and c.negated == negated}


def claims_of(result) -> set[tuple[str, str, bool, str]]:
    return {(c.actor, c.action, c.negated, c.data_type) for c in result.claims}


@pytest.mark.parametrize("text, wanted", [
    ("Our cookies record your language setting and the pages you visit.", {"cookies", "language_setting", "page_path"}),
    ("These web beacons collect your browser type.", {"cookies", "browser_information"}),
    ("Our pixel tags store your user ID and your first name.", {"cookies", "name"}),
])
def test_an_instrument_doing_the_sites_practice_is_collected(extractor, text, wanted):
    """The instrument that does the first party's practice is the first party's too: the cookies themselves are
    collected beside what they record (using an instrument is collecting it)."""
    assert wanted <= collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text", [
    "Our cookies do not record your name.",
    "Advertisers' cookies record the pages you visit.",
    "Local device storage may keep your name.",
])
def test_no_instrument_claim_for_a_denial_another_party_or_a_guess(extractor, text):
    """A denial, another party's tool or a storage the lexicon does not name as an instrument gives the first
    party no cookies."""
    assert "cookies" not in collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text", [
    "We collect your browser type. This information is collected using cookies.",
    "We may collect some data automatically, such as the pages you visit. This data is gathered through pixel "
    "tags and similar technologies.",
    "We record the links you click. This data is collected through web beacons.",
])
def test_the_instrument_a_practice_uses_is_collected_beside_named_data(extractor, text):
    """"This information is collected using cookies" after named data: the practice is about the named data (the
    back-reference) and the instrument it uses is collected too, as with generic information."""
    assert "cookies" in collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text, unwanted", [
    ("This information is collected using cookies and web beacons. This information is not sold.", "cookies"),
    ("Some data is gathered through pixel tags. It is never shared with advertisers.", "cookies"),
])
def test_this_information_does_not_refer_to_the_means_of_collection(extractor, text, unwanted):
    """The instrument named as the means ("using cookies", "through pixel tags") is how data is collected, not
    the data a later "this information" or "it" refers to."""
    result = read(extractor, text, "acme")
    assert not [c for c in result.claims if c.negated and c.data_type == unwanted]


@pytest.mark.parametrize("text", [
    "We may use a small image (sometimes referred to as a pixel tag) to count visitors.",
    "We may use a small image (also called a web beacon or clear GIF) in our emails.",
    "We may use a small piece of code called a web beacon.",
    "Our site may use small graphic files, known as clear GIFs, to count visitors.",
])
def test_a_tool_named_by_a_clause_hung_on_the_verb(extractor, text):
    """"(also called X)", "(sometimes referred to as X)", "called X" after the object, wherever the parser hangs
    the naming clause: the object is the named instrument."""
    assert "cookies" in collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text, wanted", [
    ("We use clear GIFs to learn which pages you visit.", "page_path"),
    ("The Site uses web beacons to learn which pages you view.", "page_path"),
])
def test_what_an_instrument_learns_as_an_embedded_question(extractor, text, wanted):
    """An embedded question the lexicon names ("which pages you visit") is what the instrument learns."""
    assert wanted in collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text, wanted", [
    ("Information we collect: your name, your email address and your browsing history.",
     {"name", "email_address", "viewing_history"}),
    ("Information we collect automatically: IP address, browser type and pages visited.",
     {"ip_address", "browser_information", "page_path"}),
    ("Personal data we receive from partners: your postal address and your phone number.",
     {"postal_address", "phone_number"}),
    ("Two types of information may be collected: contact details and website use information.",
     {"contact_information", "usage_data"}),
    ("We collect two kinds of data: your date of birth and your gender.", {"date_of_birth", "gender"}),
])
def test_a_colon_lead_in_on_generic_data_lists_its_data(extractor, text, wanted):
    """A lead-in whose generic data ends at a colon ("Information we collect:", "Two types of information may be
    collected:") is completed by the items after the colon."""
    assert wanted <= collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text, unwanted", [
    ("This policy covers information we collect: (i) through our website and (ii) in emails you send us.",
     "chat_data"),
    ("We collect information for these purposes: to process your orders and to answer your messages.",
     "chat_data"),
    ("Information we collect. We also use your email address.", "email_address"),
])
def test_no_colon_list_of_places_purposes_or_a_bare_heading(extractor, text, unwanted):
    """What follows the colon must start with data: places ("(i) through our website"), purposes and a heading
    with no colon list nothing."""
    assert unwanted not in collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text, wanted", [
    ("We collect your Device ID.", "device_identifier"),
    ("We collect the device ID of your phone.", "device_identifier"),
    ("Our app sends your session ID with each request.", "session_id"),
])
def test_lexicon_names_with_id_match(extractor, text, wanted):
    """A name written with a lower-case "id" in the ontology ("device id", "session id") matches "ID" in the text
    (the tokenizer splits a lower-case "id" like "I'd")."""
    assert wanted in {c.data_type for c in read(extractor, text, "acme").claims}


@pytest.mark.parametrize("text, wanted", [
    ("We may gather other data, such as browser and device information, including operating system, age ranges and "
     "other details supplied by you that we may merge with other records or keep on their own, app usage data, "
     "click stream information, page views and impressions.", {"browser_information", "operating_system"}),
])
def test_a_long_example_list_is_read_from_the_words(extractor, text, wanted):
    """A long "such as" / "including" list the parser breaks up (later items hung on a relative clause) is read
    from the words up to the next clause of its own."""
    assert wanted <= collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text, unwanted", [
    ("We collect data such as your name when you register, and our partners collect your location.", "location"),
    ("We collect information, such as your name, and we may then share your email address with partners.",
     "email_address"),
    ("Anything you post in public areas, such as forums or feedback pages, can be read by others.",
     "customer_support_information"),
    ("We collect records of your actions, such as reading, rating and forwarding their content, and your search "
     "history.", "user_content"),
])
def test_an_example_list_ends_at_the_next_clause_and_is_not_a_places(extractor, text, unwanted):
    """The list ends at a clause of its own (another party's practice, a share); examples of a place ("in
    public areas, such as forums") are no data, nor is what an operation in the list acts on ("forwarding their
    content")."""
    assert unwanted not in collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text, wanted", [
    ("We collect the pages you visit, the time spent on each page, the links you click, your search queries and "
     "the referring website.", {"page_path", "usage_data", "interaction_events", "search_history", "referrer_url"}),
    ("We log the pages you view, the time spent on each page, the links you click and your search queries.",
     {"page_path", "usage_data", "interaction_events", "search_history"}),
])
def test_a_list_item_hung_on_the_verb_after_its_object(extractor, text, wanted):
    """An item the parser hangs on the verb as a noun modifier after the object and a comma ("the time spent on
    each page") continues the object's list, with its conjuncts."""
    assert wanted <= collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text, wanted", [
    ("We may ask for your marital status and the number of children in your household.", "demographic_information"),
    ("We may collect your household size.", "demographic_information"),
    ("We collect your ethnicity only with your consent.", "beliefs_and_origin"),
    ("We collect your religion only with your consent.", "beliefs_and_origin"),
])
def test_demographic_phrases(extractor, text, wanted):
    """Marital status and household composition are demographic data (as the ontology's Chinese names of
    demographic information already say), ethnicity and religion the sensitive beliefs-and-origin kind."""
    assert wanted in collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text, wanted", [
    ("We collect your profile information and your friends list.", "friend_list"),
    ("We record your hardware configuration.", "device_configuration"),
    ("We collect information about the products you purchase.", "transaction_records"),
])
def test_common_website_data_phrases(extractor, text, wanted):
    """Common names of social, computer and purchase data on website policies."""
    assert wanted in collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text, wanted", [
    ("We use the information about you we collect to improve our services.", "personal_information"),
    ("We may share the details about you we obtain with our partners.", "personal_information"),
    ("We store the information about you we receive in secure databases.", "personal_information"),
])
def test_a_relative_clause_without_that_read_as_a_complement(extractor, text, wanted):
    """"the information about you we collect": the parser reads the relative clause as the verb's complement, a
    parataxis or a conjunct; the clause's practice is still about the object right before it."""
    assert wanted in collected(read(extractor, text, "acme"))


def test_no_practice_from_a_complement_clause(extractor):
    """A real complement ("We think the changes ... will please you") and a clause after "and" state nothing of the
    object before them."""
    assert not read(extractor, "We think the changes we make will please you.", "acme").claims
    assert "name" not in collected(read(extractor, "We use your name and we receive requests from schools.", "acme"))
