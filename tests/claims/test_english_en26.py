"""Round en26 (policycheck-en 1.41.0): shapes found by reading the archived WeChat versions 2020-08-07 to
2026-04-07. Short constructed sentences (not from any policy or gold set), positive and guard cases, through the
real extractor.

- A noun whose modifiers name data as a whole is data of that kind ("payment card security code",
  "medical test results"); not an agent noun ("payment card issuer") nor a phrase whose words name nothing.
- "nationality" and "citizenship" name the user's country (``region``).
"""

from __future__ import annotations

import pytest

from tests.claims.test_english_generalize import read


def practices(extractor, text: str) -> set[tuple[str, str, str]]:
    return {(c.actor, c.action, c.data_type) for c in read(extractor, text).claims if not c.negated}


@pytest.mark.parametrize(("text", "expected"), [
    ("We collect your payment card security code.", {("wechat", "collect", "payment_card")}),
    ("We keep the medical scan results that you upload.", {("wechat", "retain", "health_data")}),
    ("Partners receive medical examination results from us.", {("third_party", "collect", "health_data")}),
])
def test_part_of_named_data(extractor, text, expected):
    assert practices(extractor, text) >= expected, text


@pytest.mark.parametrize(("text", "absent"), [
    ("We share your data with your payment card issuer.", "payment_card"),
    ("We collect your favourite colour.", "personal_information"),
    ("We use tools to detect account violations.", "account_information"),
    ("We analyse usage trends of our features.", "usage_data"),
])
def test_part_of_named_data_guards(extractor, text, absent):
    assert absent not in {t for _, _, t in practices(extractor, text)}, text


@pytest.mark.parametrize(("text", "expected"), [
    ("We ask for your nationality and your age.", "region"),
    ("Your citizenship is kept on file.", "region"),
])
def test_nationality_is_the_users_country(extractor, text, expected):
    assert expected in {t for _, _, t in practices(extractor, text)}, text
