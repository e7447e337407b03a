"""The English extractor's mechanisms of round `en12` (policycheck-en 1.17.0): parties the ontology does not name
acting as subjects (a company by its legal name, a party by its role or trade), two coordinated data names the
parser read as one phrase, and participles modifying the object read as verbs of their own. Short constructed
sentences, positive and guard cases per rule."""

from __future__ import annotations

import pytest

from tests.claims.test_english_generalize import read, tuples


def claims_of(extractor, text: str, first_party: str = "wechat") -> set[tuple]:
    """(actor, action, negated, data type) of every claim of ``text``."""
    return tuples(read(extractor, text, first_party))


# ---------------------------------------------------------------- parties the ontology does not name
@pytest.mark.parametrize(("text", "wanted"), [
    ("Globex Analytics Ltd receives your IP address.", ("collect", "ip_address")),
    ("Quillon Corp may collect your device identifiers.", ("collect", "device_identifier")),
    ("Initrode Payments Inc. stores your photos.", ("retain", "photos_and_videos")),
    ("Vantor Media GmbH may use your advertising ID to measure ads.", ("use", "advertising_id")),
])
def test_a_company_named_by_its_legal_form_is_a_third_party(extractor, text, wanted):
    """A proper name ending in a legal form (Ltd, Corp, Inc., GmbH) names a company: a third party."""
    assert ("third_party", *wanted[:1], False, wanted[1]) in claims_of(extractor, text)


@pytest.mark.parametrize(("text", "wanted"), [
    ("Our auditors may access your payment records.", ("collect", "transaction_records")),
    ("Our legal advisers may receive your account information.", ("collect", "account_information")),
    ("Our consultants may access your account data.", ("collect", "account_information")),
    ("Our cloud hosting company stores your chat history.", ("retain", "chat_data")),
    ("Our advertising agency may use your device identifiers.", ("use", "device_identifier")),
])
def test_a_party_by_its_role_or_trade_is_a_third_party(extractor, text, wanted):
    """A person or organisation named by its role (auditor, adviser, consultant) or a company named by its trade
    ("our hosting company", not "our company") is a third party."""
    assert ("third_party", wanted[0], False, wanted[1]) in claims_of(extractor, text)


@pytest.mark.parametrize("text", [
    "The app stores your preferences.",
    "This feature collects your step count.",
    "Other users can see your nickname.",
    "Your friends can see your Moments posts.",
    "Our company collects your name.",
    "Our group company stores your chat history.",
])
def test_no_third_party_without_a_party(extractor, text):
    """The app, a feature, other users and friends, and our own (group) company are no third party."""
    assert not any(actor == "third_party" for actor, *_ in claims_of(extractor, text))


def test_the_app_and_users_keep_the_first_partys_practice(extractor):
    assert ("wechat", "collect", False, "health_data") in claims_of(extractor, "This feature collects your step count.")
    assert ("wechat", "share", False, "nickname") in claims_of(extractor, "Other users can see your nickname.")


def test_a_company_name_in_a_web_sites_policy_may_be_the_site_itself(extractor):
    """A web site's policy names its own operator by a legal name that rarely matches its domain ("The Quorn
    Company LLC recognizes ..."): no generic third party there."""
    result = read(extractor, "Quorn Media LLC collects your email address.", "example_com")
    assert not any(c.actor == "third_party" for c in result.claims)


def test_a_legal_form_alone_or_a_known_company_is_no_generic_party(extractor):
    assert ("tencent", "collect", False, "name") in claims_of(extractor, "Tencent Holdings Ltd collects your name.")
    assert not claims_of(extractor, "Ltd collects your name.") & {("third_party", "collect", False, "name")}



@pytest.mark.parametrize("text", [
    "Tencent Technology Company Limited collects your IP address.",
    "Tencent Technology (Shenzhen) Company Limited collects your IP address.",
    "Tencent Cloud Computing (Beijing) Co., Ltd. stores your chat history.",
    "We share your IP address with Tencent Technology (Shenzhen) Company Limited.",
])
def test_a_legal_name_holding_a_known_company_is_that_company(extractor, text):
    """A legal name that holds a company the ontology knows, however deep the parser hangs it ("Tencent" on
    "Technology" or "Company", not on "Limited"), is that company's (a group company), no generic third party."""
    parties = {p for c in read(extractor, text).claims for p in (c.actor, c.recipient)}
    assert "tencent" in parties and "third_party" not in parties, parties

def test_an_sdk_list_row_naming_a_company_is_the_sdk_provider(extractor):
    header = ["SDK name", "Provider", "Purpose", "Personal information collected"]
    cells = ["Push SDK", "Ostrava Labs Ltd.", "To send notifications", "Device model"]
    result = read(extractor, " | ".join(cells), "weixin", kind="table_row", header=tuple(header), cells=tuple(cells))
    assert ("sdk_provider", "collect", False, "device_model") in tuples(result)


# ---------------------------------------------------------------- two coordinated data names read as one phrase
@pytest.mark.parametrize(("text", "wanted"), [
    ("We collect your bank card number and transaction amount.", {"payment_card", "transaction_records"}),
    ("We record your payment card number and transaction time.", {"payment_card", "transaction_records"}),
    ("We keep your mobile phone number and login time.", {"phone_number", "login_data"}),
])
def test_each_of_two_coordinated_names_gives_its_type(extractor, text, wanted):
    """"X Y and Z W" where the parser hung the named "X Y" on "W" with "Z" its conjunct: two items."""
    found = {d for *_, d in claims_of(extractor, text)}
    assert found >= wanted
    texts = {c.data_text for c in read(extractor, text).claims}
    assert not any(" and " in t for t in texts)


def test_a_shared_head_that_names_no_data_stays_one_phrase(extractor):
    """"language and location customisation": the conjuncts share a head that is no data."""
    found = {d for *_, d in claims_of(extractor, "We use your language and location customisation.")}
    assert "location" not in found


# ---------------------------------------------------------------- participles modifying the object
@pytest.mark.parametrize(("text", "wanted"), [
    ("We may share aggregated information with advertisers.", ("share", "personal_information")),
    ("We share anonymized data with our partners.", ("share", "personal_information")),
    ("We may disclose anonymised usage data to research partners.", ("share", "usage_data")),
])
def test_a_participle_before_the_object_does_not_replace_the_verb(extractor, text, wanted):
    """"aggregated", "anonymized" modify the data: the sentence states the share, not a processing."""
    found = claims_of(extractor, text)
    assert ("wechat", wanted[0], False, wanted[1]) in found
    assert not any(action == "process" for _, action, _, _ in found)


def test_a_verb_of_its_own_still_states_processing(extractor):
    """"We aggregate your usage data", "Your data is aggregated": the verb states the practice."""
    assert ("wechat", "process", False, "usage_data") in claims_of(extractor, "We aggregate your usage data.")
    assert ("wechat", "process", False, "personal_information") in claims_of(
        extractor, "We have aggregated your data.")


# ---------------------------------------------------------------- a denied permission denies the practice
@pytest.mark.parametrize(("text", "wanted"), [
    ("We do not allow advertisers to access your chat messages.", ("advertiser", "collect", "chat_data")),
    ("We never allow our partners to sell your data.", ("third_party", "share", "personal_information")),
    ("We do not allow analytics companies to use cookies on our site.", ("third_party", "collect", "cookies")),
])
def test_not_allowing_a_party_to_act_negates_its_practice(extractor, text, wanted):
    """"We do not allow X to V": the parser reads "X to V" as a clause (ccomp) of "allow"; the denial passes to
    the infinitive as it does through "we do not need to"."""
    found = claims_of(extractor, text)
    assert (wanted[0], wanted[1], True, wanted[2]) in found
    assert (wanted[0], wanted[1], False, wanted[2]) not in found


def test_allowing_a_party_to_act_states_its_practice(extractor):
    assert ("advertiser", "collect", False, "device_identifier") in claims_of(
        extractor, "We allow advertisers to collect your device identifiers.")


# ---------------------------------------------------------------- another party's terms
@pytest.mark.parametrize(("text", "actor", "context"), [
    ("Mini Programs are subject to the terms of service of their developers.", "mini_program_developer",
     "mini_programs"),
    ("Your use of Official Accounts is governed by the operator's own privacy policy.",
     "official_account_operator", "official_accounts"),
])
def test_a_feature_under_another_partys_terms_is_excluded(extractor, text, actor, context):
    """"subject to the terms of <party>", "governed by <party>'s own policy": the party collects in the feature,
    outside this policy ("their own policies" names no party: tests/claims/test_english_round10.py)."""
    claims = read(extractor, text).claims
    assert any(c.actor == actor and c.action == "collect" and c.context == context and c.scope == "excluded"
               for c in claims)


def test_a_feature_under_this_policy_is_not_excluded(extractor):
    claims = read(extractor, "Mini Programs are subject to this Privacy Policy.").claims
    assert not any(c.scope == "excluded" for c in claims)


# ---------------------------------------------------------------- ordered to disclose
def test_a_party_ordering_us_to_disclose_is_our_share(extractor):
    """"Courts may order us to disclose X": the ordered party ("us") discloses, as with "require us to"."""
    found = claims_of(extractor, "Courts may order us to disclose your information.")
    assert ("wechat", "share", False, "personal_information") in found
    assert not any(actor != "wechat" for actor, *_ in found)


# ---------------------------------------------------------------- a recipient hung on what the data is about
@pytest.mark.parametrize(("text", "wanted"), [
    ("We may provide information about your purchases to merchants.", "transaction_records"),
    ("We give details of your orders to the courier.", "transaction_records"),
])
def test_a_recipient_inside_the_data_phrase_completes_a_giving_verb(extractor, text, wanted):
    """"provide X about Y to Z": the parser hangs "to Z" on Y; Z is still the recipient "provide" needs."""
    assert ("wechat", "share", False, wanted) in claims_of(extractor, text)


def test_a_giving_verb_without_a_recipient_still_states_nothing(extractor):
    assert not claims_of(extractor, "We provide information about your purchases.")


def test_a_to_phrase_of_a_noun_that_takes_one_is_no_recipient(extractor):
    """"your access to X": the noun the data is about takes its own "to" phrase, which names no recipient of the
    information."""
    assert not claims_of(extractor, "We provide information about your access to third-party services.")


def test_what_the_data_is_about_with_us_is_no_recipient(extractor):
    """"information about your transactions with us" is about those transactions: no collection by us."""
    found = claims_of(extractor, "We may share information about your transactions with us with our partners.")
    assert not any(action == "collect" for _, action, _, _ in found)


# ---------------------------------------------------------------- other users named by a user noun
@pytest.mark.parametrize("text", [
    "Other members of a chat can see your nickname.",
    "Members of the group can see your profile photo.",
    "Fellow participants can view your nickname.",
])
def test_other_members_seeing_data_is_our_share(extractor, text):
    """"other members", "members of the group": other users, who see what we make available (a first-party
    share, claims_en_synthetic.yaml); "members" alone stays the data subject."""
    found = claims_of(extractor, text)
    assert any(actor == "wechat" and action == "share" for actor, action, _, _ in found)
    assert not any(actor == "third_party" for actor, *_ in found)


@pytest.mark.parametrize("text", [
    "We may share your information with other members of our group.",
    "We may share your information with members of our corporate group.",
    "Members of our group may access your account information.",
])
def test_members_of_our_corporate_group_are_no_other_users(extractor, text):
    """"our group", "our corporate group" is the company's group, not a chat: its members are no other users."""
    parties = {p for c in read(extractor, text).claims for p in (c.actor, c.recipient)}
    assert "other_users" not in parties, parties


# ---------------------------------------------------------------- phrasal practice verbs
@pytest.mark.parametrize(("text", "wanted"), [
    ("We back up your chat history.", ("retain", "chat_data")),
    ("We may pass on your order details to the merchant.", ("share", "transaction_records")),
    ("We hand over your account information to the police when the law requires it.", ("share", "account_information")),
])
def test_a_phrasal_verb_names_its_practice(extractor, text, wanted):
    assert ("wechat", wanted[0], False, wanted[1]) in claims_of(extractor, text)


def test_a_phrasal_verb_of_no_practice_states_nothing(extractor):
    assert not claims_of(extractor, "We set up your account.")


# ---------------------------------------------------------------- displayed to other users
@pytest.mark.parametrize(("text", "wanted"), [
    ("Your profile photo may be displayed to other users.", "profile_photo"),
    ("We display your nickname to your friends.", "nickname"),
])
def test_data_displayed_to_other_users_is_our_share(extractor, text, wanted):
    """"displayed / shown to other users" is made visible to them: the first party's share, as "visible to"."""
    assert ("wechat", "share", False, wanted) in claims_of(extractor, text)


@pytest.mark.parametrize("text", [
    "Your nickname is displayed in the chat.",
    "We display ads to you.",
    "We do not show these advertisements to other users.",
])
def test_displaying_to_no_other_user_states_nothing(extractor, text):
    assert not claims_of(extractor, text)


# ---------------------------------------------------------------- "neither ... nor" subjects
def test_neither_subject_denies_the_practice(extractor):
    found = claims_of(extractor, "Neither we nor our partners sell your data.")
    assert ("wechat", "share", True, "personal_information") in found
    assert not any(not negated for _, _, negated, _ in found)


def test_a_purpose_to_display_states_nothing(extractor):
    assert not claims_of(extractor, "To display your posts to the users you choose.")


# ---------------------------------------------------------------- "engage X to V" read as a relative clause
def test_an_engaged_party_does_the_infinitive(extractor):
    """"We engage vendors to store X": the infinitive, parsed as a relative clause of the object, is the
    object's practice."""
    found = claims_of(extractor, "We engage vendors to store your data.")
    assert any(actor != "wechat" and action == "retain" for actor, action, _, _ in found)
    assert not any(actor == "wechat" and action == "retain" for actor, action, _, _ in found)


def test_a_noun_with_an_infinitive_states_no_practice(extractor):
    assert not claims_of(extractor, "We need a way to store your data.")


def test_a_sites_own_terms_are_no_other_partys(extractor):
    """"subject to the Pittsburgh Post-Gazette's Terms of Use" in that site's own policy: no exclusion."""
    result = read(extractor, "The Site is subject to the Pittsburgh Post-Gazette's Terms of Use.", "post_gazette_com")
    assert not result.claims


# ---------------------------------------------------------------- a reduced relative clause read as the main clause
@pytest.mark.parametrize(("text", "wanted"), [
    # "its operator" after an Official Account is that feature's operator since en16 (was the generic third party)
    ("Data you provide to an Official Account is received by its operator.", ("official_account_operator", "collect")),
    ("Data we collect is stored in Singapore.", ("wechat", "retain")),
])
def test_a_reduced_relative_clause_is_the_nouns(extractor, text, wanted):
    """"Data you provide ... is received by X": the parser made "provide" the root and "received" its clause;
    repaired, the passive is the sentence's practice."""
    found = claims_of(extractor, text)
    assert (wanted[0], wanted[1], False, "personal_information") in found


def test_a_plain_main_clause_is_left_alone(extractor):
    assert ("wechat", "collect", False, "phone_number") in claims_of(
        extractor, "Sometimes we collect your phone number.")
