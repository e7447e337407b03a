"""The English extractor's mechanisms of English claims round 8 (helper en8, policycheck-en 1.9.0): third parties
as actors and the WeChat policy's own shapes. Short constructed sentences stating each pattern, several per rule
(tests/gold/claims_en_round10.yaml has the labelled items)."""

from __future__ import annotations

import pytest

from tests.claims.test_english_generalize import read


def found(result) -> set[tuple]:
    """(actor, action, negated, data type, context, scope) of every claim."""
    return {(c.actor, c.action, c.negated, c.data_type, c.context, c.scope) for c in result.claims}


# ---------------------------------------------------------------- raising verbs ("continue to be cached")
@pytest.mark.parametrize("text", [
    "Your Moments posts may continue to be cached by search engines.",
    "Your Moments posts may remain cached by search engines.",
    "Public Moments posts may stay cached by search engines for some time.",
])
def test_a_raising_verb_gives_its_subject_to_the_passive(extractor, text):
    """"X may continue to be cached by Y", "X may remain cached by Y": X is the data, Y the party retaining it."""
    assert ("search_engine", "retain", False, "moments_posts", None, "in_scope") in found(read(extractor, text))


def test_a_raising_verb_without_a_practice_states_nothing(extractor):
    assert not read(extractor, "Your profile will continue to be visible in search results.").claims
    assert not read(extractor, "Your chat history will remain on your device.").claims


# ---------------------------------------------------------------- "subject to <noun>'s own privacy policies"
@pytest.mark.parametrize("text", [
    "Your Moments posts may be cached by third party services and are subject to those services' own privacy "
    "policies.",
    "Public posts may remain cached by third party services and are subject to those providers' own terms.",
    "Your Moments posts may be cached by third party services and retained under the providers' own privacy policies.",
])
def test_a_possessive_own_policy_takes_the_practice_out_of_scope(extractor, text):
    """"<noun>'s own privacy policies" is another party's document, as "their own privacy policies" is."""
    assert ("third_party", "retain", False, "moments_posts", "third_party_services", "excluded") in found(
        read(extractor, text))


def test_our_own_policy_is_no_exclusion(extractor):
    result = read(extractor, "Your Moments posts are stored by us under this Privacy Policy.")
    assert {c.scope for c in result.claims} == {"in_scope"}


# ---------------------------------------------------------------- "subject to the <Name> Privacy Policy"
@pytest.mark.parametrize("text", [
    "Products that use location information are subject to the ACME Terms of Use and the ACME Privacy Policy.",
    "Please note that use of services that use location information are, when used outside of the EU, subject to "
    "the Zeta Privacy Policy.",
    "Services that use your location information are subject to the privacy policy of the map provider.",
])
def test_a_document_of_an_unknown_party_is_a_third_party_exclusion(extractor, text):
    """A party the ontology does not know that owns the governing document is a third party; it collects the
    data the subject names (PolicyLint's unknown organisations, Andow et al. 2019)."""
    claims = found(read(extractor, text))
    assert {(a, act, d, s) for a, act, _, d, _, s in claims} == {("third_party", "collect", "location", "excluded")}


@pytest.mark.parametrize("text", [
    "Your use of WeChat is subject to the WeChat Terms of Service.",
    "Some features are subject to the Supplemental Terms.",
    "Your use of the app is subject to the Privacy Protection Guidelines.",
])
def test_our_own_or_an_unowned_document_names_no_party(extractor, text):
    assert not read(extractor, text).claims


@pytest.mark.parametrize(("text", "actor", "feature"), [
    ("Location-based services outside Europe are powered by a map provider and are subject to its own terms.",
     "third_party", "location_services"),
    ("Mini Programs are operated by third party developers and are subject to their own privacy policies.",
     "mini_program_developer", "mini_programs"),
])
def test_an_operator_subject_to_its_own_terms_collects_in_its_feature(extractor, text, actor, feature):
    """"<feature> is powered / operated by <party> and is subject to its own terms": the party's exclusion."""
    assert (actor, "collect", False, "personal_information", feature, "excluded") in found(read(extractor, text))


def test_own_terms_without_an_operator_name_no_party(extractor):
    assert not read(extractor, "Mini Programs are popular and are subject to their own privacy policies.").claims


# ---------------------------------------------------------------- two passive clauses
@pytest.mark.parametrize("text", [
    "Your nickname may be viewed by the operator of an Official Account, and your OpenID may be provided to that "
    "operator.",
    "Your nickname may be viewed by Mini Program developers, and your OpenID may be provided to the developers.",
])
def test_a_second_passive_clause_keeps_its_own_actor(extractor, text):
    """A passive clause with a subject of its own takes no agent from the clause before it."""
    result = read(extractor, text)
    shares = {(c.actor, c.data_type) for c in result.claims if c.action == "share"}
    assert shares == {("wechat", "openid")}
    assert any(c.action == "collect" and c.actor != "wechat" and c.data_type == "nickname" for c in result.claims)


def test_coordinated_passives_without_a_subject_share_the_agent(extractor):
    result = read(extractor, "Your data may be collected and stored by the Mini Program developer.")
    assert {(c.actor, c.action) for c in result.claims} == {("mini_program_developer", "collect"),
                                                          ("mini_program_developer", "retain")}


# ---------------------------------------------------------------- a stranded preposition ("uploaded to and stored on")
@pytest.mark.parametrize(("text", "data"), [
    ("Your Favorites are uploaded to and stored on our servers.", "favorites"),
    ("Your voice messages are transmitted to and stored on our servers.", "voice_input"),
])
def test_a_stranded_preposition_shares_the_next_verbs_object(extractor, text, data):
    """"uploaded to and stored on our servers": both verbs go to our servers, so the upload is our collection
    (data sent to the first party), not a transfer to no one."""
    claims = {(c.actor, c.action, c.data_type) for c in read(extractor, text).claims}
    assert claims == {("wechat", "collect", data), ("wechat", "retain", data)}


def test_an_upload_to_another_party_stays_a_transfer(extractor):
    claims = {(c.action, c.recipient) for c in read(extractor, "We upload your photos to a cloud provider.").claims}
    assert ("collect", None) not in claims and any(a in ("transfer", "share") for a, _ in claims)


# ---------------------------------------------------------------- "(e.g., X)" examples hung anywhere in the clause
@pytest.mark.parametrize(("text", "examples"), [
    ("This includes any data we hold on the basis of your consent (e.g., your email address, your nickname).",
     {"email_address", "nickname"}),
    ("We may share data we hold under our contract with you (e.g., your WeChat ID) with our affiliates.",
     {"wechat_id"}),
    ("We store information you provide for support purposes (for example, your email address).", {"email_address"}),
])
def test_parenthetical_examples_are_the_practices_data(extractor, text, examples):
    """An "(e.g., X)" parenthesis after the data phrase names examples of it, wherever the parser hung it."""
    types = {c.data_type for c in read(extractor, text).claims}
    assert examples <= types


@pytest.mark.parametrize(("text", "not_data"), [
    ("We process your data for security purposes (e.g., to check for fraud on your IP address).", "ip_address"),
    ("Card information is shared with companies that help us (e.g., those who process your payment history).",
     "transaction_records"),
    ("We use your information to provide services (e.g., to show your location on a map).", "location"),
])
def test_a_parenthesis_of_purposes_or_parties_names_no_data(extractor, text, not_data):
    assert not_data not in {c.data_type for c in read(extractor, text).claims}


def test_content_placed_in_a_narrower_kind_is_that_kind(extractor):
    """"content saved to Favorites" names favorites (a kind of user content), not user content in general."""
    types = {c.data_type for c in read(extractor, "We process content saved to Favorites to sync your devices.").claims}
    assert "favorites" in types and "user_content" not in types
    assert "photos_and_videos" in {c.data_type for c in read(extractor, "We store photos posted to Moments.").claims}


# ---------------------------------------------------------------- data verified via another party
@pytest.mark.parametrize(("text", "data", "recipient"), [
    ("Your bank card number is verified via a third party payment processing service.", "payment_card",
     "payment_processor"),
    ("Your ID card is checked through the relevant government authority.", "government_id", "government_authority"),
    ("We collect your email address and the email address is then validated by an SMS provider.", "email_address",
     "sms_provider"),
])
def test_data_verified_via_another_party_is_shared_with_it(extractor, text, data, recipient):
    """Checking data "via / through / by" another party discloses it to that party: our share (dev labels
    h2-2020-011, en-2022-037, h2-2026-002)."""
    shares = {(c.actor, c.data_type, c.recipient) for c in read(extractor, text).claims if c.action == "share"}
    assert ("wechat", data, recipient) in shares


@pytest.mark.parametrize("text", [
    "Your password is verified by us when you log in.",
    "Your identity is verified before you can use WeChat Pay.",
    "You can verify your phone number with a code.",
])
def test_verification_by_us_or_by_no_party_shares_nothing(extractor, text):
    assert not any(c.action == "share" for c in read(extractor, text).claims)


def test_verification_via_a_party_follows_negation_and_requests(extractor):
    denied = read(extractor, "Your bank card number is not verified via a third party payment processing service.")
    assert {(c.action, c.negated) for c in denied.claims} == {("share", True)}
    asked = read(extractor, "You may request that your card is verified via a third party payment processing service.")
    assert not asked.claims


# ---------------------------------------------------------------- a list member misread as a clause
@pytest.mark.parametrize(("text", "member"), [
    ("Call data. Information about your calls, including your WeChat ID, call data (dialed number, encrypted audio "
     "data), spending history and top up records.", "transaction_records"),
    ("Radio data. Information about your broadcasts, including your WeChat ID, stream data (dialed number, "
     "encrypted audio data), spending history and gift records.", "transaction_records"),
    ("Call data. Information about your calls, including your nickname, call data (dialed number, encrypted video "
     "data), spending history and credit records.", "transaction_records"),
])
def test_a_data_name_the_parser_made_a_clause_is_still_listed(extractor, text, member):
    """"..., spending history and ..." after a parenthesis: the parser reads "spending" as an adverbial clause, but
    a clause whose verb opens a data name is a list member."""
    cells = (text, "To provide calls.")
    result = read(extractor, " | ".join(cells), kind="table_row", header=("Information", "Purpose"), cells=cells)
    assert member in {c.data_type for c in result.claims}


def test_a_real_clause_in_a_list_is_still_skipped(extractor):
    cells = ("Access tokens. Tokens that facilitate the linkage of your accounts.", "To log you in.")
    result = read(extractor, " | ".join(cells), kind="table_row", header=("Information", "Purpose"), cells=cells)
    assert {c.data_type for c in result.claims} == {"access_token"}
