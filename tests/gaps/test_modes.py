"""Consistency modes, root terms, conditional and subgroup denials, the receipt rule, detection confidence,
--explain and evidence order, on small hand-built claim and observation sets (issue 9)."""

from __future__ import annotations

import pytest

from policycheck.errors import PolicycheckError
from policycheck.gaps.classify import Judgement, gap_rows
from tests.gaps.conftest import WECHAT


def judged(con, data_type, feature, mode="intermediate", recipient=None, **kw):
    rows = [r for r in gap_rows(con, judgement=Judgement(mode=mode, **kw))
            if r["data_type"] == data_type and r["feature"] == feature
            and (recipient is None or r["recipient"] == recipient)]
    assert len(rows) == 1, rows
    return rows[0]


def classes(con, data_type, feature, recipient=None):
    return tuple(judged(con, data_type, feature, mode, recipient)["disclosure"]
                 for mode in ("permissive", "intermediate", "strict"))


@pytest.mark.slow
def test_root_data_term_only_is_omitted_unless_permissive(store, con):
    v = store.version(WECHAT, "2022-09-09")
    root = store.claim(v, "wechat", "use", "personal_information")
    store.observe("device_model", "startup")
    assert classes(con, "device_model", "startup") == ("vague", "omitted", "omitted")
    row = judged(con, "device_model", "startup")
    assert (row["label"], row["claim_ids"], row["root_term_claim_ids"]) == ("root_terms_only", [], [root])
    assert row["consistency_mode"] == "intermediate"
    assert judged(con, "device_model", "startup", "permissive")["claim_ids"] == [root]


@pytest.mark.slow
def test_root_party_only_is_omitted_unless_permissive(store, con):
    v = store.version(WECHAT, "2022-09-09")
    store.claim(v, "wechat", "share", "device_model", recipient="third_party")
    named = store.claim(v, "wechat", "share", "device_model", recipient="sdk_provider")
    store.observe("device_model", "startup", recipient="advertiser")
    store.observe("device_model", "login", recipient="sdk_provider")
    assert classes(con, "device_model", "startup", "advertiser") == ("vague", "omitted", "omitted")
    assert classes(con, "device_model", "login", "sdk_provider") == ("clear", "clear", "clear")
    assert judged(con, "device_model", "login")["claim_ids"] == [named]


@pytest.mark.slow
def test_strict_counts_only_the_data_type_and_party_themselves(store, con):
    v = store.version(WECHAT, "2022-09-09")
    store.claim(v, "wechat", "collect", "device_information")
    store.claim(v, "wechat", "collect", "phone_number")
    store.claim(v, "tencent", "collect", "contacts")  # an affiliate, not the recipient itself
    store.observe("device_model", "startup")
    store.observe("phone_number", "login")
    store.observe("contacts", "startup")
    assert classes(con, "device_model", "startup") == ("vague", "vague", "omitted")
    assert classes(con, "phone_number", "login") == ("clear", "clear", "clear")
    assert classes(con, "contacts", "startup") == ("omitted", "omitted", "omitted")  # tencent does not cover wechat


@pytest.mark.slow
def test_exclusions_apply_in_every_mode_and_feature_statements_outweigh_them(store, con):
    v = store.version(WECHAT, "2022-09-09")
    store.claim(v, "mini_program_developer", "collect", "personal_information", context="mini_programs",
                scope="excluded", role="third_party")
    store.claim(v, "weixin_pay", "collect", "personal_information", context="payments", scope="excluded",
                role="affiliate")
    # a first-party statement about the payments feature, in root terms: the feature is not wholly Weixin Pay's
    store.claim(v, "wechat", "process", "personal_information", context="payments")
    store.observe("page_path", "mini_programs")
    store.observe("device_model", "payments")
    assert classes(con, "page_path", "mini_programs") == ("incorrect", "incorrect", "incorrect")
    assert classes(con, "device_model", "payments") == ("vague", "omitted", "omitted")


@pytest.mark.slow
def test_conditional_and_subgroup_denials_do_not_decide(store, con):
    v = store.version(WECHAT, "2020-04-09")
    store.claim(v, "wechat", "collect", "personal_information", negated=True, data_subject="children",
                condition="without such consent; knowingly",
                sentence="We do not knowingly collect Personal Information from any children under the age of 16 "
                         "without such consent.")
    store.claim(v, "wechat", "collect", "precise_location", negated=True, condition="without your consent")
    store.claim(v, "wechat", "collect", "chat_data", negated=True, data_subject="children")
    store.claim(v, "wechat", "collect", "phone_number")
    store.claim(v, "wechat", "collect", "contacts", data_subject="children")  # about children only
    for data_type in ("phone_number", "precise_location", "chat_data", "contacts"):
        store.observe(data_type, "startup")
    for mode in ("permissive", "intermediate", "strict"):
        assert judged(con, "phone_number", "startup", mode)["disclosure"] == "clear"
        assert judged(con, "precise_location", "startup", mode)["disclosure"] == "omitted"
        assert judged(con, "chat_data", "startup", mode)["disclosure"] == "omitted"
        assert judged(con, "contacts", "startup", mode)["disclosure"] == "omitted"


@pytest.mark.slow
def test_unconditional_denials_decide_and_root_denials_only_in_permissive(store, con):
    v = store.version(WECHAT, "2022-09-09")
    store.claim(v, "wechat", "collect", "device_model")
    neg = store.claim(v, "wechat", "collect", "chat_data", negated=True)
    store.claim(v, "wechat", "share", "personal_information", negated=True, recipient="advertiser")
    store.observe("device_model", "startup")
    store.observe("chat_data", "messaging")
    store.observe("device_model", "login", recipient="advertiser")
    chat = judged(con, "chat_data", "messaging")
    assert (chat["disclosure"], chat["label"], chat["claim_ids"]) == ("incorrect", "contradicts_negative_claim", [neg])
    assert classes(con, "device_model", "login", "advertiser") == ("incorrect", "omitted", "omitted")


@pytest.mark.slow
def test_receipt_rule_actions(store, con):
    """collect/use/retain/process/share by the recipient say it holds the data; share/transfer to it say it
    receives it; only a negated collect by it, or a negated share/transfer to it, denies receipt."""
    v = store.version(WECHAT, "2022-09-09")
    for action, data_type in (("use", "device_model"), ("retain", "phone_number"), ("process", "imei"),
                              ("share", "mac_address")):
        store.claim(v, "wechat", action, data_type, recipient="advertiser" if action == "share" else None)
    store.claim(v, "wechat", "use", "chat_data", negated=True)       # limits use after receipt
    store.claim(v, "wechat", "retain", "voice_input", negated=True)  # limits retention after receipt
    store.claim(v, "wechat", "transfer", "ip_address", negated=True, recipient="advertiser")
    for data_type in ("device_model", "phone_number", "imei", "mac_address", "chat_data", "voice_input"):
        store.observe(data_type, "startup")
    store.observe("mac_address", "login", recipient="advertiser")
    store.observe("ip_address", "login", recipient="advertiser")
    for data_type in ("device_model", "phone_number", "imei", "mac_address"):
        assert judged(con, data_type, "startup", recipient="wechat")["disclosure"] == "clear", data_type
    assert judged(con, "mac_address", "login", recipient="advertiser")["disclosure"] == "clear"
    assert judged(con, "chat_data", "startup")["disclosure"] == "omitted"
    assert judged(con, "voice_input", "startup")["disclosure"] == "omitted"
    assert judged(con, "ip_address", "login")["disclosure"] == "incorrect"


@pytest.mark.slow
def test_low_confidence_observations_are_not_judged(store, con):
    v = store.version(WECHAT, "2022-09-09")
    store.claim(v, "wechat", "collect", "phone_number")
    store.observe("advertising_id", "search", confidence=0.3)
    store.observe("phone_number", "login", confidence=0.5)
    assert {r["data_type"] for r in gap_rows(con)} == {"phone_number"}
    assert {r["data_type"] for r in gap_rows(con, judgement=Judgement(min_confidence=0.3))} == \
        {"phone_number", "advertising_id"}
    assert gap_rows(con, judgement=Judgement(min_confidence=0.6)) == []
    with pytest.raises(PolicycheckError):
        gap_rows(con, judgement=Judgement(mode="lenient"))


@pytest.mark.slow
def test_explain_names_the_claim_whose_removal_changes_the_verdict(store, con):
    v = store.version(WECHAT, "2022-09-09")
    exact = store.claim(v, "wechat", "collect", "phone_number")
    store.claim(v, "wechat", "collect", "account_information")
    twice = [store.claim(v, "wechat", "collect", "device_model"), store.claim(v, "wechat", "use", "device_model")]
    positive = store.claim(v, "wechat", "collect", "location", context="people_nearby")
    negative = store.claim(v, "wechat", "collect", "precise_location", negated=True, context="people_nearby")
    store.observe("phone_number", "login")
    store.observe("device_model", "startup")
    store.observe("precise_location", "people_nearby")
    store.observe("health_data", "startup")

    def explained(data_type, feature):
        rows = [r for r in gap_rows(con, explain=True) if r["data_type"] == data_type and r["feature"] == feature]
        return rows[0]

    assert explained("phone_number", "login")["pivotal_claims"] == [{"claim_id": exact, "verdict_without": "vague"}]
    device = explained("device_model", "startup")
    assert device["disclosure"] == "clear" and device["pivotal_claims"] == []  # either claim alone suffices
    assert sorted(device["claim_ids"]) == sorted(twice)
    amb = explained("precise_location", "people_nearby")
    assert amb["disclosure"] == "ambiguous"
    assert amb["pivotal_claims"] == [{"claim_id": positive, "verdict_without": "incorrect"},
                                     {"claim_id": negative, "verdict_without": "vague"}]
    assert explained("health_data", "startup")["pivotal_claims"] == []
    assert gap_rows(con)[0]["pivotal_claims"] is None  # only computed when asked


def test_deciding_claims_most_specific_first(store, con):
    v = store.version(WECHAT, "2022-09-09")
    general = store.claim(v, "wechat", "collect", "phone_number")
    by_affiliate_group = store.claim(v, "tencent_group", "collect", "phone_number", context="login", role="affiliate")
    in_parent = store.claim(v, "wechat", "collect", "phone_number", context="account")
    in_feature = store.claim(v, "wechat", "collect", "phone_number", context="login")
    store.observe("phone_number", "login")
    row = judged(con, "phone_number", "login", "permissive")
    # exact data type first (all here), then the feature itself, then its parent, then no feature; a root
    # party (tencent_group) last
    assert row["claim_ids"] == [in_feature, in_parent, general]
    assert by_affiliate_group not in row["claim_ids"]  # not exact (party depth 1): clear rests on the exact ones


@pytest.mark.slow
def test_request_header_data_does_not_contradict_a_scope_exclusion(store, con):
    """Data the platform receives only in the request header its client sends whatever the feature shows its
    collection in general: a scope exclusion of the feature does not decide it (exclusion_set_aside); data in the
    body does, and a row with both lists the header-only requests apart (header_only_flow_ids)."""
    v = store.version(WECHAT, "2022-09-09")
    exclusion = store.claim(v, "mini_program_developer", "collect", "personal_information", context="mini_programs",
                            scope="excluded", role="third_party")
    general = store.claim(v, "wechat", "collect", "device_identifier")
    cap = store.capture()
    store.flow(cap, "platform_device_id", "mini_programs", line=1, envelope=True)
    with_body = store.flow(cap, "page_path", "mini_programs", line=2)
    store.detect(with_body, "platform_device_id", envelope=True)
    in_body = store.flow(cap, "app_version", "mini_programs", line=3)
    only_header = store.flow(cap, "app_version", "mini_programs", line=4, envelope=True)
    for mode in ("permissive", "intermediate", "strict"):
        header = judged(con, "platform_device_id", "mini_programs", mode)
        assert (header["disclosure"], header["exclusion_set_aside"], header["envelope_only"]) == \
            ("vague" if mode != "strict" else "omitted", True, True), mode
        assert exclusion not in header["claim_ids"]
    assert judged(con, "platform_device_id", "mini_programs")["claim_ids"] == [general]
    page = judged(con, "page_path", "mini_programs")
    assert (page["disclosure"], page["claim_ids"], page["exclusion_set_aside"]) == ("incorrect", [exclusion], False)
    mixed = judged(con, "app_version", "mini_programs")
    assert (mixed["disclosure"], mixed["envelope_only"]) == ("incorrect", False)
    assert (list(mixed["flow_ids"]), list(mixed["header_only_flow_ids"])) == ([in_body, only_header], [only_header])
    # the same header data in a feature no statement excludes: judged as before, nothing set aside
    store.observe("platform_device_id", "startup")
    startup = judged(con, "platform_device_id", "startup")
    assert (startup["disclosure"], startup["exclusion_set_aside"]) == ("vague", False)
