"""Contradictions inside one policy version (issue 13, item 1) on hand-built claim sets: one set per PolicyLint type,
the feature dimension, the denials that never count (conditions, subgroups, non-receipt verbs, same sentence), root
terms per mode, and the command line."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from typer.testing import CliRunner

from policycheck.cli import app
from policycheck.errors import PolicycheckError
from policycheck.gaps.contradictions import TYPES, contradiction_rows, contradictions, sentence_pairs
from tests.gaps.conftest import WECHAT, WEIXIN


def pair(store, positive: dict, negative: dict, document: str = WECHAT) -> int:
    """A version holding one positive and one negative claim (distinct sentences); returns the version id."""
    v = store.version(document, (date(2021, 1, 1) + timedelta(days=store.ids["version"])).isoformat())
    store.claim(v, sentence="positive statement", **positive)
    store.claim(v, negated=True, sentence="negative statement", **negative)
    return v


def found(con, version, mode="intermediate"):
    return [(r["type"], r["kind"], r["feature_relation"]) for r in contradiction_rows(con, mode=mode)
            if r["version_id"] == version]


def collect(data_type, actor="wechat", **kw):
    return {"actor": actor, "action": "collect", "data_type": data_type, **kw}


def share(data_type, recipient, **kw):
    return {"actor": "wechat", "action": "share", "data_type": data_type, "recipient": recipient, **kw}


# the nine relations of (party, data type) of the positive statement to the negative one, PolicyLint's labels
CASES = {
    "C1": (collect("imei"), collect("imei")),
    "C2": (collect("imei"), collect("device_identifier")),
    "C3": (share("imei", "sms_provider"), share("imei", "service_provider")),
    "C4": (share("imei", "sms_provider"), share("device_identifier", "service_provider")),
    "C5": (share("imei", "service_provider"), share("device_identifier", "sms_provider")),
    "N1": (collect("device_identifier"), collect("imei")),
    "N2": (share("device_identifier", "sms_provider"), share("imei", "service_provider")),
    "N3": (share("imei", "service_provider"), share("imei", "sms_provider")),
    "N4": (share("device_identifier", "service_provider"), share("imei", "sms_provider")),
}


@pytest.mark.slow
@pytest.mark.parametrize("expected", sorted(CASES))
def test_each_policylint_type(store, con, expected):
    positive, negative = CASES[expected]
    v = pair(store, positive, negative)
    kind = "logical" if expected.startswith("C") else "narrowing"
    assert found(con, v) == [(expected, kind, "same")]
    assert expected in TYPES


def test_unrelated_terms_do_not_contradict(store, con):
    assert found(con, pair(store, collect("imei"), collect("android_id"))) == []  # siblings
    assert found(con, pair(store, share("imei", "sms_provider"), share("imei", "advertiser"))) == []
    assert found(con, pair(store, collect("imei"), collect("imei", actor="tencent"))) == []  # another affiliate


def test_a_share_is_a_statement_about_the_recipient_and_the_sharer(store, con):
    # "we share your IMEI with SMS providers" also says that we hold it
    v = pair(store, share("imei", "sms_provider"), collect("imei"))
    assert found(con, v) == [("C1", "logical", "same")]


def test_features_must_overlap_and_a_narrower_denial_only_narrows(store, con):
    inside = pair(store, collect("imei", context="mini_programs"), collect("imei", context="third_party_services"))
    assert found(con, inside) == [("C1", "logical", "narrower")]
    everywhere = pair(store, collect("imei", context="mini_programs"), collect("imei"))
    assert found(con, everywhere) == [("C1", "logical", "narrower")]
    part = pair(store, collect("imei"), collect("imei", context="mini_programs"))
    assert found(con, part) == [("C1", "narrowing", "broader")]
    elsewhere = pair(store, collect("imei", context="moments"), collect("imei", context="mini_programs"))
    assert found(con, elsewhere) == []


def test_denials_that_never_contradict(store, con):
    conditional = pair(store, collect("imei"), collect("imei", condition="without your consent"))
    children = pair(store, collect("imei"), collect("imei", data_subject="children"))
    not_used = pair(store, collect("imei"), {"actor": "wechat", "action": "use", "data_type": "imei"})
    not_kept = pair(store, collect("imei"), {"actor": "wechat", "action": "retain", "data_type": "imei"})
    about_children = pair(store, collect("imei", data_subject="children"), collect("imei"))
    out_of_scope = pair(store, collect("imei", actor="mini_program_developer", role="third_party",
                                       scope="excluded", context="mini_programs"),
                        collect("imei", actor="mini_program_developer", role="third_party"))
    for version in (conditional, children, not_used, not_kept, about_children, out_of_scope):
        assert found(con, version, "permissive") == [], version


def test_statements_of_one_sentence_and_of_two_versions_do_not_contradict(store, con):
    v = store.version(WECHAT, "2021-03-01")
    store.claim(v, "wechat", "collect", "imei", sentence="We do not collect personal data except your IMEI.")
    store.claim(v, "wechat", "collect", "personal_information", negated=True,
                sentence="We do not collect personal data except your IMEI.")
    assert found(con, v, "permissive") == []
    old, new = store.version(WECHAT, "2021-04-01"), store.version(WECHAT, "2021-05-01")
    store.claim(old, "wechat", "collect", "imei", sentence="We collect your IMEI.")
    store.claim(new, "wechat", "collect", "imei", negated=True, sentence="We do not collect your IMEI.")
    assert found(con, old, "permissive") == found(con, new, "permissive") == []


@pytest.mark.slow
def test_root_terms_per_mode(store, con):
    broad_positive = pair(store, collect("personal_information"), collect("imei"))
    broad_denial = pair(store, collect("imei"), collect("personal_information"))
    feature_denial = pair(store, collect("mini_program_usage", context="mini_programs"),
                          collect("personal_information", context="third_party_services"))
    root_party = pair(store, share("imei", "advertiser", context="mini_programs"),
                      share("imei", "third_party", context="third_party_services"))
    exact = pair(store, collect("imei"), collect("imei"))
    assert [found(con, v, "permissive") for v in (broad_positive, broad_denial, feature_denial, root_party)] == [
        [("N1", "narrowing", "same")], [("C2", "logical", "same")], [("C2", "logical", "narrower")],
        [("C3", "logical", "narrower")]]
    # intermediate: root-term statements set aside, except a denial about a feature by a party that is not a root
    assert [found(con, v) for v in (broad_positive, broad_denial, feature_denial, root_party)] == [
        [], [], [("C2", "logical", "narrower")], []]
    # strict: the same party and data type only
    assert found(con, feature_denial, "strict") == []
    assert found(con, exact, "strict") == [("C1", "logical", "same")]
    assert {r["root_term"] for r in contradiction_rows(con, mode="permissive") if r["version_id"] == broad_denial} \
        == {True}


def test_sentence_pairs_merge_the_claims_of_two_sentences(store, con):
    v = store.version(WEIXIN, "2026-08-17")
    for data_type in ("mini_program_usage", "usage_data"):
        store.claim(v, "weixin", "collect", data_type, context="mini_programs",
                    sentence="1.6 我们会收集你的小程序使用记录。")
    store.claim(v, "weixin", "collect", "personal_information", negated=True, context="third_party_services",
                sentence="1.36 我们无法获得你在使用该类第三方服务时产生的信息。")
    pairs = sentence_pairs(contradiction_rows(con))
    assert len(pairs) == 1
    assert pairs[0]["positive_data_types"] == ["mini_program_usage", "usage_data"]
    assert pairs[0]["negative_data_types"] == ["personal_information"]
    assert (pairs[0]["kind"], pairs[0]["type"], len(pairs[0]["positive_claim_ids"])) == ("logical", "C2", 2)


def test_versions_are_chosen_per_document(store, con):
    old = pair(store, collect("imei"), collect("imei"))
    new = store.version(WECHAT, "2025-01-01")
    versions, rows = contradictions(con, WECHAT)
    assert [v.version_id for v in versions] == [new] and rows == []
    versions, rows = contradictions(con, f"{WECHAT}@2021-01-15")
    assert [v.version_id for v in versions] == [old] and len(rows) == 1
    versions, rows = contradictions(con, version_id=old)
    assert versions[0].basis == "version" and len(rows) == 1
    with pytest.raises(PolicycheckError, match="no versions of 'nope'"):
        contradictions(con, "nope")
    with pytest.raises(PolicycheckError, match="not a version of"):
        contradictions(con, WEIXIN, version_id=old)
    with pytest.raises(PolicycheckError, match="unknown kind"):
        contradictions(con, kinds=("odd",))


@pytest.mark.slow
def test_command_line(store, con, db_path):
    v = pair(store, collect("imei"), collect("device_identifier"))
    con.close()
    runner = CliRunner()
    table = runner.invoke(app, ["contradictions", WECHAT, "--format", "table", "--db", str(db_path)],
                          env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.output
    assert "1 contradicting sentence pairs (1 logical)" in table.output and "C2" in table.output
    as_json = runner.invoke(app, ["contradictions", "--version", str(v), "--format", "json", "--db", str(db_path)])
    rows = json.loads(as_json.output)
    assert [(r["type"], r["positive_data_type"], r["negative_data_type"]) for r in rows] == [
        ("C2", "imei", "device_identifier")]
    narrowing = runner.invoke(app, ["contradictions", "--kind", "narrowing", "--format", "csv", "--db", str(db_path)])
    assert narrowing.exit_code == 0 and narrowing.output.count("\n") == 1  # the header only
    bad = runner.invoke(app, ["contradictions", "--mode", "odd", "--db", str(db_path)])
    assert bad.exit_code == 2
