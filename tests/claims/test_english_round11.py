"""The English extractor's mechanisms of English claims round 9 (helper en9, policycheck-en 1.11.0): the English
Weixin guidelines' voice and third parties. Short constructed sentences stating each pattern, several per rule
(tests/gold/claims_en_round11.yaml has the labelled items)."""

from __future__ import annotations

import pytest

from tests.claims.test_english_generalize import read

SDK_LEAD = "The SDKs embedded in the app and the data they gather are listed below:"


def found(result) -> set[tuple]:
    """(actor, action, negated, data type, context) of every claim."""
    return {(c.actor, c.action, c.negated, c.data_type, c.context) for c in result.claims}


def weixin(extractor, text: str, **extra):
    return found(read(extractor, text, first_party="weixin", **extra))


# ---------------------------------------------------------------- third-person pronouns
@pytest.mark.parametrize(("item", "data"), [
    ("Location SDK (Acme Geo Pte. Ltd.): your GPS coordinates, for map display.", "precise_location"),
    ("Statistics SDK (Beta Metrics Inc.): your device model.", "device_model"),
])
def test_they_in_a_lead_in_is_the_party_named_before_it_not_the_first_party(extractor, item, data):
    """"the SDKs ... and the data they gather": "they" agrees with the plural party, never the policy's "we",
    whose name ("the app", "Weixin") is its product; the item's data is the SDK providers' collection."""
    claims = weixin(extractor, item, kind="list_item", lead_in=SDK_LEAD.replace("the app", "Weixin"))
    assert ("sdk_provider", "collect", False, data, None) in claims
    assert not any(c[0] == "weixin" for c in claims)


def test_a_company_designator_in_a_label_names_no_data(extractor):
    claims = weixin(extractor, "Payment SDK (Gamma Pay Co., Ltd.): your bank card number.", kind="list_item",
                    lead_in=SDK_LEAD)
    assert {c[3] for c in claims} == {"payment_card"}


@pytest.mark.parametrize(("text", "actor", "data"), [
    ("We use third-party speech recognition services. They receive the audio you record.", "third_party",
     "voice_input"),
    ("Some features rely on third-party map providers. They may collect your GPS coordinates.", "third_party",
     "precise_location"),
    ("Couriers receive your delivery address, and they may store it for 30 days.", "third_party", "postal_address"),
])
def test_they_refers_back_to_a_party_named_by_a_role_or_service_noun(extractor, text, actor, data):
    claims = weixin(extractor, text)
    assert any(c[0] == actor and c[3] == data for c in claims)
    assert not any(c[0] == "weixin" and c[1] != "share" for c in claims)


def test_it_agrees_with_a_singular_party(extractor):
    claims = weixin(extractor, "Partners and the payment processor receive your order details, and it stores your "
                               "card number.")
    assert ("payment_processor", "retain", False, "payment_card", None) in claims


# ---------------------------------------------------------------- parties named by role and brand
@pytest.mark.parametrize("text", [
    "Weixin Shop sellers receive your delivery address.",
    "Mini Game publishers receive your delivery address.",
    "Channels creators receive your delivery address.",
])
def test_a_role_noun_modified_by_a_feature_is_a_third_party(extractor, text):
    """The feature names where the party works, not the party: its merchants and creators are someone else."""
    assert ("third_party", "collect", False, "postal_address", None) in weixin(extractor, text)


def test_a_brand_of_a_known_company_is_that_company(extractor):
    """"Tencent Cloud" is Tencent's, as PolicyLint resolves sub-brands to their organisation."""
    claims = weixin(extractor, "We engage Tencent Cloud to store your Moments posts on our behalf.")
    assert ("tencent", "retain", False, "moments_posts", None) in claims
    assert ("tencent", "collect", False, "ip_address", None) in weixin(
        extractor, "Tencent Cloud may collect your IP address.")


@pytest.mark.parametrize("text", [
    "The email service provider we use receives your email address.",
    "The verification vendor we rely on receives your email address.",
])
def test_a_verb_hung_on_the_subjects_relative_clause_takes_that_subject(extractor, text):
    """"The X we use receives Y": the parser makes "receives" a complement of "use"; X receives Y, not we."""
    claims = weixin(extractor, text)
    assert any(c[0] != "weixin" and c[1:4] == ("collect", False, "email_address") for c in claims)
    assert not any(c[0] == "weixin" for c in claims)


def test_a_relative_clause_with_its_own_object_keeps_its_verb(extractor):
    claims = weixin(extractor, "We use the vendor that receives your email address.")
    assert not any(c[0] == "weixin" and c[1] == "collect" for c in claims)


# ---------------------------------------------------------------- records of operations
@pytest.mark.parametrize(("text", "data"), [
    ("When you use Listen, we collect your playback history.", "viewing_history"),
    ("We keep your viewing records for 30 days.", "viewing_history"),
    ("We collect your booking records and your cancellation records.", "usage_data"),
])
def test_a_record_named_by_its_operation_is_of_that_operations_kind(extractor, text, data):
    assert any(c[3] == data for c in weixin(extractor, text))


def test_a_record_with_a_named_kind_keeps_it(extractor):
    claims = weixin(extractor, "We collect your transaction records and your medical records.")
    assert {c[3] for c in claims} == {"transaction_records", "health_data"}


# ---------------------------------------------------------------- send to a party
@pytest.mark.parametrize(("text", "action"), [
    ("We send your order number and delivery address to the courier.", "share"),
    ("Your delivery address is sent to the courier.", "share"),
    ("Your delivery address is sent to our servers.", "collect"),
    ("Your delivery address may be sent to servers located in Singapore.", "transfer"),
    ("We transmit your delivery address to the courier.", "transfer"),
])
def test_sending_to_another_party_is_a_share(extractor, text, action):
    """"sent to X" with another party as X is our share (claims_en_thirdparty.yaml); to us it is our collection,
    to a place a transfer; "transmit" stays a transfer."""
    assert ("weixin", action, False, "postal_address", None) in weixin(extractor, text)


# ---------------------------------------------------------------- "we will stop collecting"
@pytest.mark.parametrize(("text", "action", "data"), [
    ("After you turn off People Nearby, we will stop collecting your location.", "collect", "location"),
    ("Once you unbind your device, we will stop receiving your step count.", "collect", "health_data"),
    ("If you withdraw your consent, we will stop sharing your phone number with partners.", "share",
     "phone_number"),
])
def test_we_stopping_a_practice_is_its_negation(extractor, text, action, data):
    claims = weixin(extractor, text)
    assert any(c[1:4] == (action, True, data) and c[0] == "weixin" for c in claims)
    assert not any(c[1:4] == (action, False, data) for c in claims)


@pytest.mark.parametrize("text", [
    "You may ask us to stop processing your location.",
    "You can request that we stop using your phone number.",
    "If we stop collecting your location, we will tell you.",
])
def test_a_requested_or_conditional_stop_states_nothing(extractor, text):
    assert not weixin(extractor, text)


def test_a_verb_coordinated_with_stop_is_not_stopped(extractor):
    """"we will stop collecting X and delete it": the deletion (no practice) and a practice coordinated with
    "stop" are not negated by it."""
    claims = weixin(extractor, "We will stop collecting your location and anonymise it.")
    assert ("weixin", "collect", True, "location", None) in claims
    assert not any(c[1] == "process" and c[2] for c in claims)


# ---------------------------------------------------------------- pointers to other documents
@pytest.mark.parametrize("text", [
    "For details of how the map provider uses your location, please see its privacy policy.",
    "For more information about how partners process your phone number, refer to their terms.",
    "You can learn more about how the SDK collects your device model on its website.",
])
def test_a_question_a_pointer_leads_to_states_no_practice(extractor, text):
    assert not weixin(extractor, text)


def test_a_question_that_is_not_a_pointer_keeps_its_practice(extractor):
    claims = weixin(extractor, "Advertisers receive information about how you use their ads.")
    assert any(c[1] == "collect" for c in claims)


# ---------------------------------------------------------------- what the user looks up keeps its type
def test_a_named_kind_of_data_the_user_looks_up_keeps_its_type(extractor):
    """"the content you view" is a record of viewing; "the email address you search for" is an email address."""
    assert ("weixin", "use", False, "email_address", None) in weixin(
        extractor, "We use the email address you search for to find the matching account.")
    assert any(c[3] == "usage_data" for c in weixin(extractor, "We collect the content you view."))


# ---------------------------------------------------------------- means and sources
@pytest.mark.parametrize("text", [
    "We offer developers an interface through which your phone number can be obtained.",
    "We provide plug-ins by which your location can be shared.",
])
def test_a_means_through_which_data_can_be_handled_states_no_practice(extractor, text):
    claims = weixin(extractor, text)
    assert not any(c[3] in ("phone_number", "location") for c in claims)


def test_a_capability_with_an_agent_or_without_a_means_still_states_the_practice(extractor):
    assert ("weixin", "retain", False, "photos_and_videos", None) in weixin(
        extractor, "Your photos can be stored on our servers.")


@pytest.mark.parametrize("text", [
    "We do not obtain your phone number from third parties.",
    "We do not actively receive your personal information from partners other than Tencent.",
])
def test_a_denial_restricted_to_a_source_states_no_claim(extractor, text):
    """Claims record no source: "we do not obtain X from third parties" would otherwise deny every collection."""
    assert not weixin(extractor, text)


def test_a_denial_without_a_party_source_is_kept(extractor):
    assert ("weixin", "collect", True, "phone_number", None) in weixin(
        extractor, "We do not collect your phone number from your device.") | weixin(
        extractor, "We do not collect your phone number.")


# ---------------------------------------------------------------- "by X, not by us"
@pytest.mark.parametrize("text", [
    "Your videos are stored by the developer, not by us.",
    "Your videos are stored by the developer and not by us.",
])
def test_an_excluded_agent_is_a_denial_for_it(extractor, text):
    claims = weixin(extractor, text)
    assert ("weixin", "retain", True, "photos_and_videos", None) in claims
    assert ("weixin", "retain", False, "photos_and_videos", None) not in claims
    assert any(c[0] != "weixin" and c[1:3] == ("retain", False) for c in claims)


def test_only_an_excluded_agent_names_no_actor(extractor):
    assert not any(c[0] == "weixin" and not c[2] for c in weixin(extractor, "Your videos are kept on your phone, "
                                                                             "not by us."))


def test_a_passive_whose_subject_the_parser_lost_to_a_fronted_relative_clause(extractor):
    """"Videos you upload to a Mini Program are stored by its developer": "upload" read as the root, "Videos" its
    object; the passive is still about the videos."""
    claims = weixin(extractor, "Videos you upload to a Mini Program are stored by the developer of that Mini "
                               "Program.")
    assert ("mini_program_developer", "retain", False, "photos_and_videos", None) in claims


# ---------------------------------------------------------------- two passive clauses in one sentence
@pytest.mark.parametrize("text", [
    "Your basic information (such as your nickname and region) may be viewed by other users, and some information "
    "generated by your use of features (such as group chat names) may be transmitted to the operator of WeChat, "
    "encrypted in transit.",
    "Your profile photo may be seen by other users, and the information you enter in a complaint (such as the "
    "description of the problem) may be transmitted to the operator of WeChat.",
])
def test_a_second_passive_clause_whose_subject_the_parser_coordinated_keeps_it(extractor, text):
    """The parser makes the second clause's subject a conjunct of the first verb and the second verb a conjunct
    without subject: the second clause's data is its own, its actor not the first clause's agent."""
    claims = weixin(extractor, text)
    transfers = {c for c in claims if c[1] == "transfer"}
    assert transfers and all(c[0] == "weixin" for c in transfers)
    assert not {c[3] for c in transfers} & {"nickname", "profile_photo"}
    assert any(c[1] == "share" and c[3] in ("nickname", "profile_photo") for c in claims)


def test_examples_of_data_other_users_can_see_are_shared_too(extractor):
    claims = weixin(extractor, "Your profile and information generated by your use of features (such as your "
                               "Moments posts) may be viewed by other users.")
    assert ("weixin", "share", False, "moments_posts", None) in claims


# ---------------------------------------------------------------- operations and their objects
def test_the_object_of_a_listed_operation_is_not_data(extractor):
    """"records of operations such as liking and sharing their posts": the record is of the operation; the posts
    operated on are no data the sentence collects."""
    claims = weixin(extractor, "We collect records of operations such as liking and forwarding their videos.")
    assert ("weixin", "collect", False, "interaction_events", None) in claims
    assert not any(c[3] == "photos_and_videos" for c in claims)


# ---------------------------------------------------------------- third-party lists (SDK tables)
def sdk_row(extractor, header, cells, lead_in=None):
    return found(read(extractor, " | ".join(cells), first_party="weixin", kind="table_row", header=tuple(header),
                      cells=tuple(cells), lead_in=lead_in))


@pytest.mark.parametrize(("header", "cells", "actor"), [
    (["SDK name", "Provider", "Purpose", "Personal information collected"],
     ["Crash SDK", "Delta Labs Ltd.", "To analyse crashes", "Device model, IP address"], "sdk_provider"),
    (["Name", "Provider", "Purpose", "Personal information collected"],
     ["Crash kit", "Tencent", "To analyse crashes", "Device model, IP address"], "tencent"),
    (["Partner", "Information obtained", "Purpose"],
     ["Courier companies", "Device model, IP address", "To deliver goods"], "third_party"),
])
def test_a_row_of_a_third_party_list_is_that_partys_collection(extractor, header, cells, actor):
    """A list of third parties and the data each collects: the row's party collects (the convention of the
    Chinese guidelines' SDK list); neither our collection nor a share."""
    claims = sdk_row(extractor, header, cells)
    assert (actor, "collect", False, "device_model", None) in claims
    assert not any(c[0] == "weixin" for c in claims)


def test_a_transfer_table_stays_our_share(extractor):
    claims = sdk_row(extractor, ["Identity of the recipient", "Items of personal information to be provided",
                                 "Purpose"], ["Delta Labs Ltd.", "Device model", "To analyse crashes"])
    assert any(c[0] == "weixin" and c[1] == "share" and c[3] == "device_model" for c in claims)


# ---------------------------------------------------------------- context of data others can see
@pytest.mark.parametrize(("text", "feature"), [
    ("In Moments, your posts are visible to your friends.", "moments"),
    ("When you use People Nearby, your profile photo can be seen by other users nearby.", "people_nearby"),
    ("In Channels, your nickname can be viewed by other users.", "channels"),
])
def test_data_others_can_see_takes_the_feature_of_its_clause(extractor, text, feature):
    assert any(c[1] == "share" and c[4] == feature for c in weixin(extractor, text))


def test_data_others_can_see_without_a_feature_has_no_context(extractor):
    assert {c[4] for c in weixin(extractor, "Your profile photo is visible to your friends.")} == {None}


def test_a_trailing_when_clause_is_its_own_clauses_context_only(extractor):
    """"We access X when you paste into a chat, and we do not upload Y": the when-clause follows the first verb
    and scopes its clause only; a fronted one scopes the coordinated clauses too."""
    claims = weixin(extractor, "We only access your clipboard when you paste text into a chat, and we do not upload "
                               "the clipboard contents to our servers.")
    assert ("weixin", "collect", False, "clipboard", "messaging") in claims
    assert ("weixin", "collect", True, "clipboard", None) in claims
    fronted = weixin(extractor, "When you use People Nearby, we collect your location and we share it with users "
                                "nearby.")
    assert {c[4] for c in fronted} == {"people_nearby"}


# ---------------------------------------------------------------- relative clauses hung after a parenthesis
def test_a_relative_clause_hung_on_the_main_verb_after_a_parenthesis_keeps_its_antecedent(extractor):
    """"We use SDKs (such as ...) that collect X": the parser hangs "that collect" on "use"; the SDKs collect."""
    claims = weixin(extractor, "We may embed third-party SDKs (such as analytics SDKs provided by vendors) that "
                               "collect your IP address.")
    assert ("sdk_provider", "collect", False, "ip_address", None) in claims
    assert not any(c[0] == "weixin" for c in claims)


# ---------------------------------------------------------------- "you need to authorise us to"
@pytest.mark.parametrize("text", [
    "When you use Shake, you need to authorise us to obtain your GPS coordinates.",
    "To use People Nearby, you must authorize us to obtain your GPS coordinates.",
    "You need to allow us to access your GPS coordinates so that we can show nearby users.",
])
def test_the_user_needing_to_authorise_us_states_our_practice(extractor, text):
    assert any(c[:4] == ("weixin", "collect", False, "precise_location") for c in weixin(extractor, text))


def test_not_needing_to_authorise_us_states_nothing(extractor):
    assert not weixin(extractor, "You do not need to authorise us to obtain your GPS coordinates.")


# ---------------------------------------------------------------- lexicon
def test_chat_records_are_chat_data(extractor):
    """聊天记录, the Chinese name of chat data, is "chat records" in English."""
    claims = weixin(extractor, "We keep your chat records on your phone only, and we do not store them on our "
                               "servers.")
    assert claims == {("weixin", "retain", True, "chat_data", None)}
