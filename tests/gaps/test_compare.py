"""Practices of two policy texts aligned on ontology ids (issue 13, item 2), on hand-built claim sets: every class
(same, narrower, broader, denied, excluded, absent), the alignment of each document's own "we", root terms per mode,
two languages of one document, two versions, and the command line."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from policycheck.cli import app
from policycheck.errors import PolicycheckError
from policycheck.gaps.compare import compare
from tests.gaps.conftest import WECHAT, WEIXIN


@pytest.fixture
def sides(store):
    """A WeChat version (side A) and a Weixin version (side B)."""
    return store.version(WECHAT, "2022-09-09"), store.version(WEIXIN, "2026-08-17")


def row(result, side, data_type, context=None, action="collect"):
    found = [r for r in result.rows if (r["side"], r["data_type"], r["context"], r["action"])
             == (side, data_type, context, action)]
    assert len(found) == 1, found
    return found[0]


def classes(result, side):
    return {(r["data_type"], r["context"]): r["class"] for r in result.rows if r["side"] == side}


def test_each_class(store, con, sides):
    a, b = sides
    store.claim(a, "wechat", "collect", "imei", sentence="We collect your IMEI.")
    store.claim(b, "weixin", "collect", "imei", sentence="我们收集IMEI。")  # same
    store.claim(a, "wechat", "collect", "device_model", sentence="We collect your device model.")
    store.claim(b, "weixin", "collect", "device_information", sentence="我们收集设备信息。")  # broader in B
    store.claim(a, "wechat", "collect", "location", sentence="We collect your location.")
    store.claim(b, "weixin", "collect", "precise_location", sentence="我们收集GPS信息。")  # narrower in B
    store.claim(a, "wechat", "collect", "chat_data", sentence="We collect your chats.")
    store.claim(b, "weixin", "collect", "chat_data", negated=True, sentence="我们不会收集你的聊天记录。")  # denied
    store.claim(a, "wechat", "collect", "contacts", sentence="We collect your contacts.")  # absent in B
    result = compare(con, WECHAT, WEIXIN)
    assert classes(result, "a") == {("imei", None): "same", ("device_model", None): "broader",
                                    ("location", None): "narrower", ("chat_data", None): "denied",
                                    ("contacts", None): "absent"}
    # the other direction: what B says, as A states it (a denial is no practice)
    assert classes(result, "b") == {("imei", None): "same", ("device_information", None): "narrower",
                                    ("precise_location", None): "broader"}
    denied = row(result, "a", "chat_data")
    assert [result.claims[c]["sentence"] for c in denied["deciding_ids"]] == ["我们不会收集你的聊天记录。"]
    assert row(result, "a", "contacts")["deciding_ids"] == []


def test_a_denial_in_broader_terms_denies_unless_stated_more_specifically(store, con, sides):
    a, b = sides
    store.claim(a, "wechat", "collect", "imei", sentence="We collect your IMEI.")
    store.claim(a, "wechat", "collect", "android_id", sentence="We collect your Android ID.")
    store.claim(b, "weixin", "collect", "device_identifier", negated=True, sentence="我们不会收集设备标识符。")
    store.claim(b, "weixin", "collect", "android_id", sentence="我们收集Android ID。")
    assert classes(compare(con, WECHAT, WEIXIN), "a") == {("imei", None): "denied", ("android_id", None): "same"}


def test_a_scope_exclusion_outweighs_less_specific_statements(store, con, sides):
    a, b = sides
    # B (Weixin) collects Mini Program usage; A (WeChat) hands Mini Programs to their developers
    store.claim(b, "weixin", "collect", "mini_program_usage", context="mini_programs", sentence="1.6 小程序使用记录")
    store.claim(b, "weixin", "collect", "page_path", context="mini_programs", sentence="1.6 页面")
    store.claim(b, "weixin", "collect", "session_id", context="mini_games", sentence="1.22 小游戏")
    store.claim(a, "mini_program_developer", "collect", "personal_information", context="mini_programs",
                scope="excluded", role="third_party", sentence="Mini Programs are governed by their developers.")
    store.claim(a, "wechat", "collect", "usage_data", sentence="We collect usage data.")  # whole service: weaker
    store.claim(a, "wechat", "collect", "page_path", context="mini_programs", sentence="We log Mini Program pages.")
    result = compare(con, WECHAT, WEIXIN, features=("mini_programs",))
    assert classes(result, "b") == {("mini_program_usage", "mini_programs"): "excluded",
                                    ("page_path", "mini_programs"): "same",
                                    ("session_id", "mini_games"): "excluded"}
    excluded = row(result, "b", "mini_program_usage", "mini_programs")
    assert result.claims[excluded["deciding_ids"][0]]["scope"] == "excluded"
    summary = {f["feature"]: f for f in result.features}
    assert summary["mini_programs"]["counts"]["b"]["excluded"] == 2
    assert summary["mini_programs"]["excluded_by_versions"] == [a]


def test_parties_and_recipients_align_through_the_ontology(store, con, sides):
    a, b = sides
    store.claim(a, "wechat", "share", "imei", recipient="sms_provider", sentence="We share IMEI with SMS providers.")
    store.claim(b, "weixin", "share", "imei", recipient="service_provider", sentence="我们向服务提供商提供IMEI。")
    store.claim(a, "tencent", "collect", "imei", role="affiliate", sentence="Tencent collects IMEI.")
    store.claim(b, "weixin", "collect", "imei", sentence="我们收集IMEI。")  # "we", not Tencent
    result = compare(con, WECHAT, WEIXIN)
    shared = row(result, "a", "imei", action="share")
    assert (shared["party"], shared["recipient"], shared["class"]) == ("first_party", "sms_provider", "broader")
    assert row(result, "b", "imei", action="share")["class"] == "narrower"
    assert row(result, "a", "imei")["class"] == "absent"  # Tencent's collection is not Weixin's own


def test_root_terms_per_mode(store, con, sides):
    a, b = sides
    store.claim(a, "wechat", "collect", "imei", sentence="We collect your IMEI.")
    root = store.claim(b, "weixin", "collect", "personal_information", sentence="我们收集你的个人信息。")
    assert row(compare(con, WECHAT, WEIXIN, mode="permissive"), "a", "imei")["class"] == "broader"
    intermediate = row(compare(con, WECHAT, WEIXIN), "a", "imei")
    assert (intermediate["class"], intermediate["root_term_ids"]) == ("absent", [root])
    strict = compare(con, WECHAT, WEIXIN, mode="strict")
    assert row(strict, "a", "imei")["class"] == "absent"
    assert row(strict, "b", "personal_information")["class"] == "absent"


def test_two_languages_and_two_versions(store, con):
    con.execute("insert into documents values ('weixin-privacy-policy-en', 'Weixin', 'Privacy Policy', 'en', null, "
                "'weixin-privacy-policy', 'weixin')")
    zh, en = store.version(WEIXIN, "2026-08-17"), store.version("weixin-privacy-policy-en", "2026-08-17")
    store.claim(zh, "weixin", "collect", "location", context="search", sentence="1.10 位置信息")
    store.claim(en, "weixin", "collect", "location", context="search", sentence="1.10 location")
    store.claim(zh, "weixin", "collect", "search_history", context="search", sentence="1.10 搜索记录")
    languages = compare(con, WEIXIN, "weixin-privacy-policy-en")
    assert classes(languages, "a") == {("location", "search"): "same", ("search_history", "search"): "absent"}
    assert [v.language for v in languages.a + languages.b] == ["zh", "en"]
    old, new = store.version(WECHAT, "2020-04-09"), store.version(WECHAT, "2022-09-09")
    store.claim(old, "wechat", "collect", "imei", sentence="We collect IMEI.")
    store.claim(new, "wechat", "collect", "imei", negated=True, sentence="We no longer collect IMEI.")
    versions = compare(con, f"{WECHAT}@2020-06-01", str(new))
    assert classes(versions, "a") == {("imei", None): "denied"}
    with pytest.raises(PolicycheckError, match="share version"):
        compare(con, WECHAT, str(new))
    with pytest.raises(PolicycheckError, match="--feature: unknown id 'nowhere'"):
        compare(con, WECHAT, WEIXIN, features=("nowhere",))
    with pytest.raises(PolicycheckError, match="unknown class"):
        compare(con, WECHAT, WEIXIN, classes=("odd",))


@pytest.mark.slow
def test_command_line(store, con, sides, db_path):
    a, b = sides
    store.claim(b, "weixin", "collect", "mini_program_usage", context="mini_programs", sentence="1.6 小程序使用记录")
    store.claim(a, "mini_program_developer", "collect", "personal_information", context="mini_programs",
                scope="excluded", role="third_party", sentence="Mini Programs are governed by their developers.")
    con.close()
    runner = CliRunner()
    table = runner.invoke(app, ["compare", WECHAT, WEIXIN, "--format", "table", "--db", str(db_path)],
                          env={"COLUMNS": "220"})
    assert table.exit_code == 0, table.output
    assert "Features taken out of scope" in table.output and "excluded" in table.output
    assert "Mini Programs are governed by their developers." in table.output
    as_json = json.loads(runner.invoke(app, ["compare", WECHAT, WEIXIN, "--feature", "mini_programs", "--format",
                                             "json", "--db", str(db_path)]).output)
    assert [(r["side"], r["data_type"], r["class"]) for r in as_json["rows"]] == [
        ("b", "mini_program_usage", "excluded")]
    csv = runner.invoke(app, ["compare", WECHAT, WEIXIN, "--class", "excluded", "--format", "csv", "--db",
                              str(db_path)])
    assert csv.exit_code == 0 and "1.6 小程序使用记录" in csv.output
    unknown = runner.invoke(app, ["compare", WECHAT, "nope", "--db", str(db_path)])
    assert isinstance(unknown.exception, PolicycheckError)  # the console script prints it as one line, exit 2
    assert "no versions of 'nope'" in str(unknown.exception)
