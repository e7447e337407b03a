"""The English extractor on sentences written for these tests (not from the WeChat policy): each phenomenon of
the issue, read by the real spaCy pipeline against the project's ontology."""

from __future__ import annotations

import pytest

from policycheck.claims.english import make_extractor
from policycheck.claims.model import BlockInput, BlockResult


@pytest.fixture(scope="module")
def extractor(onto):
    return make_extractor(onto)


def read(extractor, text: str, kind: str = "paragraph", section_path: str = "", **extra) -> BlockResult:
    return extractor.extract([BlockInput(kind, text, section_path, "en", "wechat", **extra)])[0]


def tuples(result: BlockResult) -> set[tuple]:
    return {(c.actor, c.action, c.negated, c.data_type, c.context) for c in result.claims}


@pytest.mark.slow
def test_active_voice_enumeration_and_first_party(extractor):
    result = read(extractor, "We collect your email address, your date of birth and your IMEI.")
    assert tuples(result) == {("wechat", "collect", False, t, None) for t in ("email_address", "date_of_birth", "imei")}
    claim = result.claims[0]
    assert (claim.start, claim.end) == (0, len(claim.sentence)) and claim.data_text == "email address"


def test_passive_without_agent_is_the_first_party(extractor):
    assert tuples(read(extractor, "Crash logs and your device model are automatically collected.")) == {
        ("wechat", "collect", False, "service_logs", None), ("wechat", "collect", False, "device_model", None)}


def test_passive_with_agent_names_the_actor(extractor):
    assert tuples(read(extractor, "Your advertising identifier may be collected by third-party SDK providers.")) == {
        ("sdk_provider", "collect", False, "advertising_id", None)}


def test_sharing_recipient_modality_and_context(extractor):
    result = read(extractor, "When you use Mini Programs, we may disclose your OpenID to the Mini Program developer.")
    assert tuples(result) == {("wechat", "share", False, "openid", "mini_programs")}
    assert result.claims[0].recipient == "mini_program_developer" and result.claims[0].modality == "may"


def test_negation_and_exception_condition(extractor):
    result = read(extractor, "We never sell your contacts list to advertisers unless you ask us to.")
    assert tuples(result) == {("wechat", "share", True, "contacts", None)}
    assert result.claims[0].condition.startswith("unless")


def test_negated_governor(extractor):
    result = read(extractor, "Our vendors are prohibited from storing your chat history.")
    assert tuples(result) == {("service_provider", "retain", True, "chat_data", None)}


def test_disclosure_to_us_is_collection(extractor):
    assert tuples(read(extractor, "Your Wi-Fi information is sent to our servers.")) == {
        ("wechat", "collect", False, "wifi_information", None)}


def test_user_actions_and_requests_are_no_claims(extractor):
    for text in ("You can share photos with your friends in Moments.",
                 "You may ask us to stop processing your location.",
                 "Please do not upload your passwords.",
                 "How do we use your information?"):
        assert read(extractor, text).claims == [], text


def test_data_kept_on_the_device_is_no_claim(extractor):
    assert read(extractor, "Your step count is only stored on your device.").claims == []


def test_defined_term_and_its_members(extractor):
    result = read(extractor, '"Technical Data" means information such as your IP address and operating system version.',
                  section_path="2. DEFINITIONS")
    assert {(d.term, d.member) for d in result.defined_terms} == {
        ("log_data", "ip_address"), ("log_data", "os_version")}


def test_list_item_completes_its_lead_in(extractor):
    lead = "We automatically collect the following information:"
    result = read(extractor, "device identifiers, such as your Android ID;", "list_item", lead_in=lead)
    assert tuples(result) == {("wechat", "collect", False, t, None) for t in ("device_identifier", "android_id")}
    assert result.claims[0].sentence.startswith(lead) and result.claims[0].start == 0
    recipients = read(extractor, "payment processors, to complete your purchases.", "list_item",
                      lead_in="We share your transaction records with:")
    assert {c.recipient for c in recipients.claims} == {"payment_processor"}
    context = read(extractor, "when you use People Nearby.", "list_item", lead_in="We collect your precise location:")
    assert tuples(context) == {("wechat", "collect", False, "precise_location", "people_nearby")}


def test_table_row_states_collection_per_data_type_with_purpose_contexts(extractor):
    cells = ("Contact data. Your phone number and email address.",
             "- to place VoIP calls;\n- for security and fraud detection.",
             "Deleted after 30 days.")
    result = read(extractor, " | ".join(cells), "table_row", header=("Information", "Purpose", "Retention Period"),
                  cells=cells)
    # the label "Contact data" names contact information, the list its members (category and examples both count)
    types = ("contact_information", "phone_number", "email_address")
    assert tuples(result) == {("wechat", "collect", False, t, c) for t in types for c in (None, "voip_calls")}
    claim = next(c for c in result.claims if c.context is None and c.data_type == "phone_number")
    assert claim.purpose.startswith("- to place VoIP calls") and claim.sentence == cells[0]
    assert " | ".join(cells)[claim.start:claim.end] == cells[0]


def test_scope_exclusions(extractor):
    result = read(extractor, "This policy does not apply to information collected by advertisers.")
    # no feature named: the party's own feature, so that the exclusion never covers the whole app
    assert {(c.actor, c.action, c.scope, c.context) for c in result.claims} == {
        ("advertiser", "collect", "excluded", "third_party_services")}
    handoff = read(extractor, "Your use of Channels is subject to the Weixin Privacy Protection Guidelines.")
    assert {(c.actor, c.scope, c.context) for c in handoff.claims} == {("weixin", "excluded", "channels")}
    own = read(extractor, "In Mini Games, your data is collected by the Mini Program developer in accordance with "
                          "their own privacy policy and not this Privacy Policy.")
    assert {(c.actor, c.action, c.scope, c.context) for c in own.claims} == {
        ("mini_program_developer", "collect", "excluded", "mini_games")}


def test_back_reference_takes_the_earlier_data(extractor):
    result = read(extractor, "We ask for your gender. We do not share this information with anyone.")
    assert ("wechat", "share", True, "gender", None) in tuples(result)


def test_unreadable_text_is_skipped_not_parsed(extractor):
    chinese = read(extractor, "我们会收集你的手机号码和设备信息。我们不会与第三方共享你的个人信息。")
    assert chinese.claims == [] and chinese.skipped == chinese.sentences == 2
    long_run = read(extractor, "We collect " + ", ".join(["your phone number"] * 80) + ".")
    assert long_run.claims == [] and long_run.skipped == 1
    markup = read(extractor, '<div class="x"><span>We collect your email address</span></div>')
    assert markup.claims == [] and markup.skipped == 1
    mixed = read(extractor, "We keep your photos. <img src='x'> We collect your mobile number.\nWe use cookies.")
    assert tuples(mixed) == {("wechat", "retain", False, "photos_and_videos", None),
                             ("wechat", "collect", False, "phone_number", None),
                             ("wechat", "collect", False, "cookies", None)}  # using cookies is collecting them
    assert (mixed.sentences, mixed.skipped) == (4, 1)  # the tag is its own sentence, skipped
    assert read(extractor, "", "paragraph").sentences == 0


def test_a_failing_block_is_counted_as_skipped(extractor, monkeypatch):
    from policycheck.claims.english import verbs

    def boom(r, sentence):
        raise RuntimeError("annotator bug")

    monkeypatch.setattr(verbs, "find", boom)
    result = read(extractor, "We collect your name. We share it.")
    assert result.claims == [] and result.skipped == result.sentences == 2


def test_version_changes_with_the_ontology(onto, extractor, tmp_path):
    import shutil

    from policycheck import config, ontology

    mappings = tmp_path / "mappings"
    shutil.copytree(config.mappings_dir(), mappings)
    (mappings / "features.yaml").write_text((mappings / "features.yaml").read_text() + "\n", encoding="utf-8")
    assert make_extractor(ontology.load(mappings)).version != extractor.version
    assert make_extractor(onto).version == extractor.version
