"""Round en29 (policycheck-en 1.45.0): shapes of the archived WeChat versions' unlabelled frame
(tests/gold/claims_en_frame.yaml). Short constructed sentences (not from any policy or gold set), positive and
guard cases, through the real extractor.

- An exclusion stated for generic third party services whose examples the sentence itself says another party
  operates ("(e.g., features operated by X such as A and B; C)") has that party as actor for the features of
  that group (up to the semicolon or closing bracket), the README "claims" convention that a feature's operator
  is the actor of an exclusion naming it; the other features keep the stated actor. An operator the ontology
  records but the sentence does not name changes nothing.
- "WeBeans" is the English policies' name of Weixin Beans.
"""

from __future__ import annotations

import pytest

from tests.claims.test_english_generalize import read


def excluded(extractor, text: str) -> set[tuple[str, str | None]]:
    return {(c.actor, c.context) for c in read(extractor, text).claims if c.scope == "excluded"}


@pytest.mark.parametrize(("text", "expected", "kept"), [
    ("This policy does not apply to data collected by third party services (for example, features operated by "
     "Weixin such as Channels and Top Stories; Mini Programs).",
     {("weixin", "channels"), ("weixin", "top_stories")}, {("mini_program_developer", "mini_programs")}),
    ("This notice does not cover information gathered by third-party services (e.g., services run by Tencent such "
     "as Search; Official Accounts).",
     {("tencent", "search")}, {("official_account_operator", "official_accounts")}),
    ("This policy does not apply to information collected by third party services you reach in the app (such as "
     "features provided by Weixin, including Search and WeBeans; or Official Accounts).",
     {("weixin", "search"), ("weixin", "weixin_beans")}, {("official_account_operator", "official_accounts")}),
])
def test_operator_named_in_the_sentence_is_the_excluded_actor(extractor, text, expected, kept):
    found = excluded(extractor, text)
    assert found >= expected | kept, (text, found)
    moved = {ctx for _, ctx in expected}
    assert not {(actor, ctx) for actor, ctx in found if ctx in moved} - expected, (text, found)
    assert ("third_party", "third_party_services") in found, (text, found)  # the stated actor stays for the rest


@pytest.mark.parametrize(("text", "expected"), [
    ("This policy does not apply to data collected by third party services (e.g., Weixin Pay, Search or Mini "
     "Programs).", {("third_party", "payments"), ("third_party", "search")}),
    ("This policy does not apply to data collected by third party services, such as apps operated by other "
     "developers.", {("third_party", "third_party_services")}),
])
def test_operator_not_named_changes_nothing(extractor, text, expected):
    found = excluded(extractor, text)
    assert found >= expected, (text, found)
    assert not any(actor in ("weixin", "weixin_pay", "tencent") for actor, _ in found), (text, found)


def test_webeans_is_weixin_beans(extractor):
    result = read(extractor, "When you buy WeBeans, we collect your payment information.")
    assert {c.context for c in result.claims} == {"weixin_beans"}
