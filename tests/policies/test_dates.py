"""Effective dates stated in policy texts, in the formats policies use."""

from __future__ import annotations

import pytest

from policycheck.policies.dates import effective_date


@pytest.mark.parametrize(("text", "expected", "label"), [
    ("**Last Updated:** 2022-09-09", "2022-09-09", "updated"),
    ("Last modified: 2020-04-09", "2020-04-09", "modified"),
    ("Effective: June 1, 2023", "2023-06-01", "effective"),
    ("This policy is effective as of 3 January 2024.", "2024-01-03", "effective"),
    ("Updated: Sept. 9 2022", "2022-09-09", "updated"),
    ("更新日期：2026年08月17日\n生效日期：2026年08月18日", "2026-08-18", "effective"),
    ("更新日期 2026/8/17", "2026-08-17", "updated"),
])
def test_stated_dates(text, expected, label):
    stated = effective_date(text)
    assert stated is not None and stated.value.isoformat() == expected and stated.label == label


@pytest.mark.parametrize("text", [
    "Last updated: 2022-13-45",  # not a calendar date
    "before the change becomes effective. Our Terms from 2020-01-01 apply.",  # date too far from the label
    "No date here.",
])
def test_no_stated_date(text):
    assert effective_date(text) is None
