"""The Chinese claim extractor (issue 6) on the real Weixin Privacy Protection Guidelines and on new sentences."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from policycheck import ontology, store
from policycheck.claims import pipeline
from policycheck.claims.chinese import make_extractor
from policycheck.claims.evaluate import evaluate, load_gold
from policycheck.claims.model import BlockInput
from policycheck.policies.archive import import_archive
from tests.conftest import require_shared, workspace

WEIXIN = ("datasets", "policies", "weixin-privacy-guidelines")
ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "gold" / "claims_zh.yaml"


@pytest.fixture(scope="module")
def weixin(tmp_path_factory, onto):
    """A store with the Chinese guidelines imported and their claims extracted."""
    folder = require_shared(*WEIXIN)
    con = store.connect(tmp_path_factory.mktemp("weixin") / "store.duckdb")
    ontology.write(con, onto)
    import_archive(workspace(con, onto), folder)
    pipeline.extract(workspace(con, onto))
    yield con
    con.close()


@pytest.fixture(scope="module")
def extractor(onto):
    return make_extractor(onto)


def _claims(con, clause: str, first_block: bool | None = None) -> list[dict]:
    """Claims of a numbered clause (its first paragraph only with ``first_block``)."""
    rows = con.execute(
        "select c.actor, c.action, c.negated, c.data_type, c.context, c.recipient, c.condition, c.scope, "
        "c.modality, c.language, starts_with(b.text, ?) as opening, c.data_text, c.data_basis, c.data_subject "
        "from claims c join blocks b using (block_id) "
        "where split_part(b.section_path, ' > ', -1) = ?", [clause, clause]).fetchall()
    keys = ("actor", "action", "negated", "data_type", "context", "recipient", "condition", "scope", "modality",
            "language", "opening", "data_text", "data_basis", "data_subject")
    out = [dict(zip(keys, r, strict=True)) for r in rows]
    return [c for c in out if first_block is None or c["opening"] == first_block]


def _tuples(claims: list[dict]) -> set[tuple]:
    return {(c["actor"], c["action"], c["negated"], c["data_type"], c["context"]) for c in claims}


def test_1_2_log_data_one_claim_per_listed_type(weixin):
    claims = _claims(weixin, "1.2", first_block=True)
    for data_type in ("device_model", "operating_system", "device_identifier", "android_id", "advertising_id",
                      "ip_address", "app_version", "network_type", "log_data"):
        assert ("weixin", "collect", False, data_type, None) in _tuples(claims), data_type
    assert {c["language"] for c in claims} == {"zh"}
    members = {m for m, in weixin.execute(
        "select member from defined_terms where term = 'log_data'").fetchall()}
    assert {"device_model", "ip_address", "network_quality"} <= members


def test_1_6_weixin_collects_mini_program_usage_and_shares_with_developers(weixin):
    claims = _claims(weixin, "1.6")
    assert ("weixin", "collect", False, "mini_program_usage", "mini_programs") in _tuples(claims)
    assert ("weixin", "use", False, "mini_program_usage", "mini_programs") in _tuples(claims)
    shares = [c for c in claims if c["action"] == "share" and not c["negated"]]
    assert shares and {c["recipient"] for c in shares} == {"mini_program_developer"}
    assert all("在取得你的明示同意后" in c["condition"] for c in shares)
    assert {c["context"] for c in shares} == {"mini_programs"}  # from the clause's opening, in another paragraph


def test_1_35_and_1_36_negated_first_party_collection(weixin):
    assert ("weixin", "collect", True, "chat_data", None) in _tuples(_claims(weixin, "1.35"))
    claims = _claims(weixin, "1.36")
    assert ("weixin", "collect", True, "personal_information", "third_party_services") in _tuples(claims)
    excluded = [c for c in claims if c["scope"] == "excluded"]
    assert [(c["actor"], c["context"]) for c in excluded] == [("third_party", "third_party_services")]
    # "如果你已明示同意该第三方获取你的位置信息，该第三方将通过微信接口获取相关信息"
    assert ("third_party", "collect", False, "location", "third_party_services") in _tuples(claims)


def test_2_1_transfer_to_wechat_international(weixin):
    transfers = [c for c in _claims(weixin, "2.1") if c["action"] == "transfer"]
    assert {c["recipient"] for c in transfers} == {"wechat"}
    assert {"group_chat_information", "customer_support_information"} <= {c["data_type"] for c in transfers}
    assert all(c["actor"] == "weixin" and not c["negated"] and c["modality"] == "may" for c in transfers)


def test_4_sharing_with_advertisers_and_third_parties(weixin):
    assert [(c["action"], c["negated"], c["recipient"]) for c in _claims(weixin, "4.1")] == \
        [("share", False, "advertiser")]
    assert [(c["action"], c["negated"], c["recipient"]) for c in _claims(weixin, "4.2")] == \
        [("share", True, "third_party")]
    shares = {(c["negated"], c["recipient"], c["context"]) for c in _claims(weixin, "4.3")}
    assert shares == {(False, "third_party", "third_party_login"), (True, "third_party", "third_party_login")}


def test_clause_feature_becomes_context(weixin):
    for clause, feature in (("1.4", "moments"), ("1.7", "people_nearby"), ("1.10", "search"), ("1.16", "channels"),
                            ("1.25", "listen"), ("1.13", "payments")):
        contexts = {c["context"] for c in _claims(weixin, clause)}  # 1.13: excluded (Tenpay's terms), same feature
        assert contexts == {feature}, clause


def _readme_query() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### Chinese (Weixin guidelines)"):]
    return re.search(r"```sql\n(.*?)```", section, re.S).group(1)


def test_readme_query_shows_the_1_6_versus_1_36_contradiction(weixin):
    rows = weixin.execute(_readme_query()).fetchall()
    cols = [d[0] for d in weixin.description]
    found = [dict(zip(cols, r, strict=True)) for r in rows]
    assert any(r["clause"] == "1.6" and r["context"] == "mini_programs" and r["denying_clause"] == "1.36"
               and r["denied_context"] == "third_party_services" for r in found)
    assert all(r["denying_clause"] == "1.36" for r in found)


def test_gold_set_floors(weixin, onto):
    """Issue 9 floors on tuples: precision >= 0.92 and recall >= 0.85 (held out; dev likewise)."""
    items = load_gold([GOLD])
    assert len(items) >= 60 and sum(i.split == "heldout" for i in items) >= 20
    result = evaluate(weixin, onto, items)
    for split in ("dev", "heldout"):
        score = result.scores[split]["tuples"]
        assert score.precision >= 0.92 and score.recall >= 0.85, (split, score)


NEW_SENTENCES = [
    # (sentence, expected (actor, action, negated, data_type, context, recipient) tuples)
    ("当你开通卡包功能时，第三方合作伙伴还会获取你的位置信息。",
     {("third_party", "collect", False, "location", "card_wallet", None)}),
    ("我们不会将你的通讯录信息提供给广告主。", {("weixin", "share", True, "contacts", None, "advertiser")}),
    ("在取得你的同意后，我们会将你的设备型号和IP地址共享给第三方SDK服务商。",
     {("weixin", "share", False, "device_model", None, "sdk_provider"),
      ("weixin", "share", False, "ip_address", None, "sdk_provider")}),
    ("我们会保存你的搜索记录，但不会保存你的聊天内容。",
     {("weixin", "retain", False, "search_history", None, None), ("weixin", "retain", True, "chat_data", None, None)}),
    ("为了向你推荐附近的服务，我们会在你使用附近的人功能时记录你的GPS信息。",
     {("weixin", "collect", False, "precise_location", "people_nearby", None)}),
    ("你的好友列表会被存储在我们的服务器中。", {("weixin", "retain", False, "friend_list", None, None)}),
    ("我们从不出售你的个人信息。", {("weixin", "share", True, "personal_information", None, "third_party")}),
    ("我们仅在本地读取你的照片，不会上传你的照片至我们的服务器。",
     {("weixin", "collect", True, "photos_and_videos", None, None)}),
    ("我们会收集你的设备信息，包括设备型号、操作系统版本等。",
     {("weixin", "collect", False, t, None, None) for t in ("device_information", "device_model", "os_version")}),
    ("拒绝提供该信息仅会使你无法使用上述功能。", set()),
    ("我们不会对外提供你的通讯录，或将其用于其他用途。", {("weixin", "share", True, "contacts", None, "third_party")}),
    ("我们收集的信息将用于改善服务。", {("weixin", "use", False, "personal_information", None, None)}),
    ("你可以在设置中填写你的姓名和电子邮箱，这些信息将被上传并存储在我们的服务器中。",
     {("weixin", a, False, t, None, None) for a in ("collect", "retain") for t in ("name", "email_address")}),
]


@pytest.mark.slow
@pytest.mark.parametrize(("sentence", "expected"), NEW_SENTENCES)
def test_sentences_it_was_not_tuned_on(extractor, sentence, expected):
    result = extractor.extract([BlockInput("paragraph", sentence, "", "zh", "weixin")])[0]
    got = {(c.actor, c.action, c.negated, c.data_type, c.context, c.recipient) for c in result.claims}
    assert got == expected
    assert all(sentence[c.start:c.end] == c.sentence for c in result.claims)


@pytest.mark.slow
def test_odd_blocks_are_skipped_not_crashed(extractor):
    blocks = [BlockInput("paragraph", text, "", "zh", "weixin") for text in (
        "We collect your IP address when you log in.", "%%%% @@@@ ####", "", "收集" * 1000,
        "（（（【【“我们会收集你的", "1.2", "将你的问题发送至Dataprivacy@tencent.com；")]
    results = extractor.extract(blocks)
    assert len(results) == len(blocks)
    assert not any(r.claims for r in results)
    assert results[0].skipped == results[0].sentences == 1
    assert results[3].skipped == 1  # one 2,000-character "sentence"
    assert results[6].skipped == 0  # Chinese with an e-mail address is still Chinese


@pytest.mark.slow
def test_jieba_loads_quietly_offline():
    code = ("from policycheck import config, ontology\nfrom policycheck.claims.chinese import make_extractor\n"
            "from policycheck.claims.model import BlockInput\n"
            "e = make_extractor(ontology.load(config.mappings_dir()))\n"
            "r = e.extract([BlockInput('paragraph', '我们会收集你的设备标识符。', '', 'zh', 'weixin')])\n"
            "print(r[0].claims[0].data_type)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY":
                               "http://127.0.0.1:9", "NO_PROXY": ""})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "device_identifier"
    assert done.stderr == ""  # no "Building prefix dict ..." chatter
