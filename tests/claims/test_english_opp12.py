"""The English extractor's mechanisms of the fifth OPP-115 recall round (`opp12`): broad shapes of website
policies around the tools a site collects with: tools it uses that collect, technologies as tracking elements,
log files as instruments, what instruments help the site learn about the user's activity, and a denied use's
purpose. Short constructed sentences, several per rule (none copied from OPP-115)."""

from __future__ import annotations

import pytest

from tests.claims.test_english_generalize import read
from tests.claims.test_english_opp10 import collected


@pytest.mark.parametrize("text, wanted", [
    ("We use analytics tools that collect your IP address and the pages you visit.", {"ip_address", "page_path"}),
    ("We rely on software which records the pages you visit.", set()),
    ("We use software which records the pages you visit.", {"page_path"}),
    ("We employ a range of technologies that automatically gather your browser type.", {"browser_information"}),
    ("We place cookies that record your browser type.", {"cookies", "browser_information"}),
])
def test_a_tool_the_site_uses_acts_for_it(extractor, text, wanted):
    """"We use X that collects Y": a tool (or an instrument) that is the object of the site's own using verb
    collects for the site, as the site's own instruments do; only when the site uses it ("rely on" is no
    using verb of the instruments)."""
    assert collected(read(extractor, text, "acme")) >= wanted
    if not wanted:
        assert "page_path" not in collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text", [
    "Our partners use tools that collect your IP address.",
    "Advertisers may place cookies that collect your browsing history.",
    "We do not use software that records your keystrokes.",
])
def test_another_partys_or_a_denied_tool_collects_nothing_for_the_site(extractor, text):
    """Another party's tool, or a tool the site says it does not use, gives the site no positive collection."""
    assert collected(read(extractor, text, "acme")) - {"cookies"} == set()


@pytest.mark.parametrize("text, phrase", [
    ("We use a variety of technologies that automatically collect certain information when you browse.",
     "technologies"),
    ("We use technologies to collect information about your visit.", "technologies"),
    ("Data that we collect using these technologies may be kept for a year. We use various technologies to "
     "track use of the site.", "various technologies"),
])
def test_a_technology_the_site_collects_with_is_a_tracking_element(extractor, text, phrase):
    """OPP-115's "Cookies and tracking elements" are cookies, web beacons and other tracking technologies: an
    untyped "technology" the site uses to collect or track is one of them."""
    result = read(extractor, text, "acme")
    assert any(c.data_type == "cookies" and c.action == "collect" and not c.negated and c.data_text == phrase
               for c in result.claims if c.actor == "acme")


@pytest.mark.parametrize("text", [
    "We use technology to protect your data.",
    "We may use precise geolocation technology such as GPS to collect your location.",
    "Advertisers use technologies to collect your browsing history.",
    "We do not use technologies to collect your name.",
])
def test_no_tracking_element_from_other_technologies(extractor, text):
    """A technology used for no collection, one whose phrase names other data (a location's means), another
    party's, or a denied one is no tracking element of the site."""
    assert "cookies" not in collected(read(extractor, text, "acme"))


@pytest.mark.parametrize("text, wanted", [
    ("Like many web servers, we use log files. These contain IP addresses and browser types.",
     {"log_data", "ip_address", "browser_information"}),
    ("We use log files to count visits. This includes IP addresses and the date of your visit.",
     {"log_data", "ip_address"}),
    ("Our server logs record your IP address.", {"log_data", "ip_address"}),
])
def test_log_files_are_an_instrument_of_collection(extractor, text, wanted):
    """A server's log files are used as cookies are: using them collects them and what they hold."""
    assert collected(read(extractor, text, "acme")) >= wanted


def test_log_data_used_stays_a_use(extractor):
    """Named as data, not as the store ("log data"), using it stays a use."""
    result = read(extractor, "We use log data to improve the service.", "acme")
    assert "log_data" not in collected(result)
    assert any(c.action == "use" and c.data_type == "log_data" for c in result.claims)


def test_denied_log_files(extractor):
    assert "log_data" in collected(read(extractor, "We do not use log files.", "acme"), negated=True)


@pytest.mark.parametrize("text, question", [
    ("We use cookies to understand how you use the site.", "how you use the site"),
    ("Web beacons help us learn how visitors navigate the site.", "how visitors navigate the site"),
    ("Pixel tags can let us know when you have viewed a page.", "when you have viewed a page"),
    ("We place clear gifs in our emails to determine whether readers opened them.", "whether readers opened them"),
])
def test_what_an_instrument_helps_the_site_learn_about_the_users_activity(extractor, text, question):
    """An embedded question about what the user does online ("how you use the site", "whether readers opened
    the email"), learned with an instrument, is usage data the site collects."""
    result = read(extractor, text, "acme")
    assert any(c.data_type == "usage_data" and c.action == "collect" and c.data_text == question
               for c in result.claims if c.actor == "acme")


@pytest.mark.parametrize("text", [
    "Cookies help us understand how we can improve the site.",
    "We use cookies to know whether you might be interested in an offer.",
    "Cookies do not help us understand how you use the site.",
    "Advertisers use cookies to learn which ads you click.",
    "Cookies enable advertisers to determine whether you have seen an ad before.",
    "We work with partners and these partners may use cookies to understand how you use the site.",
])
def test_no_activity_learned_for_other_questions_parties_or_denials(extractor, text):
    """A question about the site's own doings or the user's interests, a denial, another party's instrument or
    what an instrument lets another party learn gives the site no usage data."""
    assert "usage_data" not in collected(read(extractor, text, "acme"))


def test_a_cookie_helping_the_site_recall_data(extractor):
    """"A cookie helps us recall X": what the instrument helps the site learn or recall is collected."""
    result = read(extractor, "A cookie helps us to recall your details (such as user name and password).", "acme")
    assert {"nickname", "password"} <= collected(result)


@pytest.mark.parametrize("text, denied", [
    ("We do not use cookies to collect personally identifiable information.", "personal_information"),
    ("We do not use web beacons to collect your name.", "name"),
    ("Web beacons are not used to access your email address.", "email_address"),
])
def test_a_denied_use_denies_its_purpose(extractor, text, denied):
    """"We do not use cookies to collect X": the collection the denied use is for is denied too, never asserted."""
    result = read(extractor, text, "acme")
    assert denied in collected(result, negated=True)
    assert denied not in collected(result)
