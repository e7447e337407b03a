"""The gap classifier on small hand-built claim and observation sets: one case per disclosure class,
time-aware version choice, --as-of, policy history and filters."""

from __future__ import annotations

from datetime import date

import pytest

from policycheck.gaps.classify import GapFilter, gap_rows, history
from tests.gaps.conftest import WECHAT, WEIXIN


def verdict(con, data_type, feature, **kw):
    rows = [r for r in gap_rows(con, **kw) if r["data_type"] == data_type and r["feature"] == feature]
    assert len(rows) == 1, rows
    return rows[0]


@pytest.mark.slow
def test_one_case_per_class(store, con):
    v = store.version(WECHAT, "2022-09-09")
    phone = store.claim(v, "wechat", "collect", "phone_number")
    device = store.claim(v, "wechat", "collect", "device_information")
    model = store.claim(v, "wechat", "collect", "device_model")
    pos_loc = store.claim(v, "wechat", "collect", "location", context="people_nearby")
    neg_gps = store.claim(v, "wechat", "collect", "precise_location", negated=True, context="people_nearby")
    neg_chat = store.claim(v, "wechat", "collect", "chat_data", negated=True)
    store.claim(v, "wechat", "retain", "voice_input", negated=True)  # limits retention: no denial of receipt
    store.claim(v, "wechat", "use", "voice_input", negated=True, context="advertising")
    excluded = store.claim(v, "mini_program_developer", "collect", "personal_information", context="mini_programs",
                           scope="excluded", role="third_party")
    store.observe("phone_number", "login")
    store.observe("imei", "startup")            # device_information is an ancestor: vague
    store.observe("health_data", "startup")     # nothing covers it: omitted
    store.observe("precise_location", "people_nearby")
    store.observe("chat_data", "messaging")
    store.observe("voice_input", "messaging")
    store.observe("device_model", "mini_programs")
    store.observe("device_model", "startup")

    assert verdict(con, "phone_number", "login")["disclosure"] == "clear"
    assert verdict(con, "phone_number", "login")["claim_ids"] == [phone]
    vague = verdict(con, "imei", "startup")
    assert (vague["disclosure"], vague["claim_ids"]) == ("vague", [device])
    assert verdict(con, "health_data", "startup")["disclosure"] == "omitted"
    amb = verdict(con, "precise_location", "people_nearby")
    assert amb["disclosure"] == "ambiguous" and set(amb["claim_ids"]) == {pos_loc, neg_gps}
    chat = verdict(con, "chat_data", "messaging")
    assert (chat["disclosure"], chat["label"], chat["claim_ids"]) == \
        ("incorrect", "contradicts_negative_claim", [neg_chat])
    assert verdict(con, "voice_input", "messaging")["disclosure"] == "omitted"
    mini = verdict(con, "device_model", "mini_programs")
    assert (mini["disclosure"], mini["label"], mini["claim_ids"]) == \
        ("incorrect", "undisclosed_first_party_mini_program", [excluded])
    # The same data outside the excluded feature is covered by the general claim.
    assert verdict(con, "device_model", "startup")["disclosure"] == "clear"
    assert model in verdict(con, "device_model", "startup")["claim_ids"]


def test_specific_positive_claim_overrides_exclusion(store, con):
    v = store.version(WECHAT, "2022-09-09")
    store.claim(v, "mini_program_developer", "collect", "personal_information", context="mini_programs",
                scope="excluded", role="third_party")
    disclosed = store.claim(v, "wechat", "collect", "page_path", context="mini_programs")
    store.observe("page_path", "mini_programs")
    row = verdict(con, "page_path", "mini_programs")
    assert (row["disclosure"], row["claim_ids"]) == ("clear", [disclosed])


def test_broader_positive_claim_does_not_outweigh_exclusion_of_the_feature(store, con):
    v = store.version(WECHAT, "2022-09-09")
    excluded = store.claim(v, "mini_program_developer", "collect", "personal_information", context="mini_programs",
                           scope="excluded", role="third_party")
    store.claim(v, "wechat", "collect", "personal_information", context="third_party_services")
    store.observe("page_path", "mini_programs")
    row = verdict(con, "page_path", "mini_programs")
    assert (row["disclosure"], row["claim_ids"]) == ("incorrect", [excluded])


@pytest.mark.slow
def test_defined_term_member_is_clear_and_ancestor_member_vague(store, con):
    v = store.version(WECHAT, "2022-09-09")
    log = store.claim(v, "wechat", "collect", "log_data")
    store.term(v, "log_data", "ip_address")
    store.term(v, "log_data", "network_information")
    store.observe("ip_address", "startup")
    store.observe("network_type", "startup")
    assert verdict(con, "ip_address", "startup")["disclosure"] == "clear"
    net = verdict(con, "network_type", "startup")
    assert (net["disclosure"], net["claim_ids"]) == ("vague", [log])


def test_handed_off_feature_is_judged_under_the_other_policy(store, con):
    wechat = store.version(WECHAT, "2022-09-09")
    # the WeChat text hands the features operated by Weixin over ("... subject to the Weixin Privacy Protection
    # Guidelines"): a scope exclusion whose context is an ancestor of Channels
    store.claim(wechat, "weixin", "collect", "personal_information", context="weixin_features", scope="excluded",
                role="affiliate")
    wx = store.version(WEIXIN, "2026-08-17")
    collect = store.claim(wx, "weixin", "collect", "device_model")
    store.observe("device_model", "channels")
    store.observe("imei", "channels")
    row = verdict(con, "device_model", "channels")
    assert (row["disclosure"], row["handoff_verdict"], row["governing_document"]) == \
        ("handed_off", "clear", "weixin-privacy-policy")
    assert row["claim_ids"] == [collect] and row["version_id"] == wx
    # The only Weixin text postdates the 2023 flow: judged against the earliest known version, and said so.
    assert row["version_basis"] == "earliest_known"
    assert verdict(con, "imei", "channels")["handoff_verdict"] == "omitted"


def test_hand_off_only_under_versions_that_state_it(store, con):
    """A feature's governing policy (features.yaml) applies only under a version of the account's policy that hands
    the feature over; under an older version that names no Weixin-operated feature the flow is judged under the
    account's own text. The history judges the group both ways."""
    old = store.version(WECHAT, "2020-04-09")
    new = store.version(WECHAT, "2022-09-09")
    wx = store.version(WEIXIN, "2026-08-17")
    store.claim(old, "wechat", "collect", "device_information")
    store.claim(new, "third_party", "collect", "personal_information", context="channels", scope="excluded",
                role="third_party")
    store.claim(wx, "weixin", "collect", "device_model")
    store.observe("device_model", "channels", when="2023-03-01T00:00:00")
    in_2020 = verdict(con, "device_model", "channels", as_of=date(2020, 6, 1))
    assert (in_2020["disclosure"], in_2020["governing_document"], in_2020["version_id"]) == \
        ("vague", "wechat-privacy-policy", old)
    in_force = verdict(con, "device_model", "channels")
    assert (in_force["disclosure"], in_force["handoff_verdict"], in_force["governing_document"]) == \
        ("handed_off", "clear", "weixin-privacy-policy")
    steps = history(con)[("wechat", "device_model", "channels", "s")]
    assert [(s["version_id"], s["disclosure"]) for s in steps] == [(old, "vague"), (wx, "handed_off")]


def test_weixin_account_is_not_handed_off(store, con):
    wx = store.version(WEIXIN, "2022-01-01")
    store.claim(wx, "weixin", "collect", "device_model")
    store.observe("device_model", "channels", recipient="weixin", region="weixin")
    row = verdict(con, "device_model", "channels")
    assert (row["disclosure"], row["handoff_verdict"]) == ("clear", None)


@pytest.mark.slow
def test_time_aware_version_as_of_and_history(store, con):
    old = store.version(WECHAT, "2022-09-09")
    new = store.version(WECHAT, "2023-06-01", first_seen="2023-06-02T06:44:11")
    store.claim(old, "wechat", "collect", "phone_number")
    later = store.claim(new, "wechat", "collect", "mac_address")
    store.observe("mac_address", "startup", when="2023-05-10T00:00:00")
    row = verdict(con, "mac_address", "startup")
    assert (row["disclosure"], row["version_id"]) == ("omitted", old)
    judged_later = verdict(con, "mac_address", "startup", as_of=date(2024, 1, 1))
    assert (judged_later["disclosure"], judged_later["version_id"], judged_later["claim_ids"]) == \
        ("clear", new, [later])
    steps = history(con)[("wechat", "mac_address", "startup", "s")]
    assert [(s["version_id"], s["disclosure"]) for s in steps] == [(old, "omitted"), (new, "clear")]


def test_silent_revision_is_valid_from_when_first_seen(store, con):
    first = store.version(WECHAT, "2021-08-19")
    silent = store.version(WECHAT, "2021-08-19", first_seen="2021-09-22T13:11:50")  # same stated date, new text
    store.claim(silent, "wechat", "collect", "mac_address")
    store.observe("mac_address", "startup", when="2021-09-01T00:00:00")
    store.observe("mac_address", "startup", scenario="later", when="2021-10-01T00:00:00")
    rows = {r["scenario"]: r for r in gap_rows(con)}
    assert (rows["s"]["version_id"], rows["s"]["disclosure"]) == (first, "omitted")
    assert (rows["later"]["version_id"], rows["later"]["disclosure"]) == (silent, "clear")


@pytest.mark.slow
def test_filters(store, con):
    v = store.version(WECHAT, "2022-09-09")
    store.claim(v, "wechat", "collect", "phone_number")
    store.observe("phone_number", "login", scenario="a")
    store.observe("health_data", "moments", scenario="b")
    assert {r["data_type"] for r in gap_rows(con, where=GapFilter(classes=("omitted",)))} == {"health_data"}
    assert {r["feature"] for r in gap_rows(con, where=GapFilter(features=("account",)))} == {"login"}
    assert {r["data_type"] for r in gap_rows(con, where=GapFilter(data_types=("account_information",)))} == \
        {"phone_number"}
    assert {r["scenario"] for r in gap_rows(con, where=GapFilter(scenarios=("b",)))} == {"b"}


@pytest.mark.slow
def test_requests_without_time_take_the_next_timestamped_request(store, con):
    old = store.version(WECHAT, "2020-04-09")
    in_force = store.version(WECHAT, "2022-09-09")
    store.claim(in_force, "wechat", "collect", "imei")
    # A short capture that is a prefix of a longer one, neither with a time of its own but the longer one
    # has a timestamped request later: the shared requests count once, in the short capture, at that time.
    short = store.capture("login", when=None, requests=2)
    long = store.capture("startup", when=None, requests=3)
    for capture in (short, long):
        store.flow(capture, "imei", "startup", line=1, body="b1")
        store.flow(capture, "mac_address", "startup", line=2, body="b2")
    store.flow(long, "android_id", "startup", line=3, body="b3", when="2023-04-13T05:04:34")
    rows = {(r["scenario"], r["data_type"]): r for r in gap_rows(con)}
    assert set(rows) == {("login", "imei"), ("login", "mac_address"), ("startup", "android_id")}
    login = rows[("login", "imei")]
    assert (login["version_id"], login["version_basis"], login["disclosure"]) == (in_force, "in_force", "clear")
    times = dict(con.execute("select time_basis, count(*) from flow_times group by 1").fetchall())
    assert times == {"next_request_overlapping_capture": 2, "request": 1}
    assert old not in {r["version_id"] for r in rows.values()}


def test_flows_without_any_time_are_judged_against_the_latest_version(store, con):
    store.version(WECHAT, "2020-04-09")
    latest = store.version(WECHAT, "2024-02-20")
    capture = store.capture("session", when=None)
    store.flow(capture, "imei", "startup")
    row = gap_rows(con)[0]
    assert (row["version_id"], row["version_basis"]) == (latest, "time_unknown")
