"""Round en29 (policycheck-en 1.45.0): shapes of the archived WeChat versions' unlabelled frame
(tests/gold/claims_en_frame.yaml). Short constructed sentences (not from any policy or gold set), positive and
guard cases, through the real extractor.

- An exclusion stated for generic third party services whose examples are features another party of the group
  operates (an affiliate, by ``features.yaml`` ``operator``) names that operator as the actor, as it already did
  for features third parties operate: a feature's operator is the actor of an exclusion naming it (README
  "claims" conventions). Features of the app's own operator keep the stated actor.
- "WeBeans" is the English policies' name of Weixin Beans.
- Knowing verbs of acknowledgement ("you are acknowledging how we process ...", "you recognise how we share
  ..."): the wh-question they govern is the topic of the user's knowledge, not a practice, as under "understand",
  "be aware of" (``describing_governors``); a that-clause under them still states its practice.
"""

from __future__ import annotations

import pytest

from tests.claims.test_english_generalize import read


def excluded(extractor, text: str) -> set[tuple[str, str | None]]:
    return {(c.actor, c.context) for c in read(extractor, text).claims if c.scope == "excluded"}


@pytest.mark.parametrize(("text", "expected"), [
    ("This policy does not cover information collected by third party services (for example Channels).",
     {("weixin", "channels")}),
    ("This notice does not apply to data gathered by external services such as Top Stories or Mini Programs.",
     {("weixin", "top_stories"), ("mini_program_developer", "mini_programs")}),
    ("This Privacy Policy does not apply to personal data collected by third-party services (e.g., payment "
     "services or Mini Programs).",
     {("weixin_pay", "payments"), ("mini_program_developer", "mini_programs")}),
    ("This policy does not apply to information collected by third party services you reach in the app, "
     "including features operated by Weixin such as Search and WeBeans.",
     {("weixin", "search"), ("weixin", "weixin_beans")}),
])
def test_affiliate_operator_is_the_excluded_actor(extractor, text, expected):
    found = excluded(extractor, text)
    assert found >= expected, (text, found)
    assert not {("third_party", ctx) for _, ctx in expected} & found, (text, found)


@pytest.mark.parametrize("text", [
    "This policy does not cover information collected by third party services (for example in Moments).",
    "This policy does not apply to data collected by third-party services such as Favorites or Official Accounts.",
])
def test_app_operator_features_keep_the_stated_actor(extractor, text):
    assert not any(actor == "wechat" for actor, _ in excluded(extractor, text)), text


def test_webeans_is_weixin_beans(extractor):
    result = read(extractor, "When you buy WeBeans, we collect your payment information.")
    assert {c.context for c in result.claims} == {"weixin_beans"}


def claims(extractor, text: str) -> set[tuple[str, str, str]]:
    return {(c.actor, c.action, c.data_type) for c in read(extractor, text).claims}


@pytest.mark.parametrize("text", [
    "By signing in you are acknowledging how we handle your account data as this notice describes.",
    "By registering, you acknowledge how we use your data as described below.",
    "By continuing you recognize how we share your location with partners.",
    "You realise how we store your messages.",
])
def test_acknowledged_question_is_no_practice(extractor, text):
    assert claims(extractor, text) == set(), text


@pytest.mark.parametrize(("text", "expected"), [
    ("You acknowledge that we collect your phone number.", ("wechat", "collect", "phone_number")),
    ("We recognise how much privacy matters, and we store your email address only to verify your account.",
     ("wechat", "retain", "email_address")),
])
def test_acknowledged_statement_stays_a_practice(extractor, text, expected):
    assert expected in claims(extractor, text), text
