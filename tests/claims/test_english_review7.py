"""Review of the eighth stop (review7): three English rules of rounds en29 and en30 that fired beyond what their
docstrings say, each with the constructed input that showed it through the real extractor (not from any policy or
gold set) and a guard that the rule still holds where it should.

- ``tables._other_member``: "... and no other information" adds nothing to a row's data list.
- ``scope.named_operators``: "features not operated by Weixin" names no operator; a group of examples ends at the
  next agent ("features operated by Weixin such as Channels, or by others such as Mini Programs").
"""

from __future__ import annotations

from tests.claims.test_english_en29 import excluded
from tests.claims.test_english_en30 import row, tuples


def test_no_other_information_adds_no_member(extractor):
    result = row(extractor, ("Contact data. Your phone number and no other information.",
                             "We use this information to contact you.", "We store this for 2 years."))
    found = tuples(result)
    assert ("wechat", "collect", False, "phone_number") in found
    assert ("wechat", "collect", False, "personal_information") not in found, found


def test_features_not_operated_by_a_party_name_no_operator(extractor):
    found = excluded(extractor, "This policy does not apply to data collected by third party services (e.g., "
                                "features not operated by Weixin such as Mini Programs and Official Accounts).")
    assert not any(actor == "weixin" for actor, _ in found), found
    assert {("mini_program_developer", "mini_programs"), ("official_account_operator", "official_accounts")} <= found


def test_a_group_of_examples_ends_at_the_next_agent(extractor):
    found = excluded(extractor, "This policy does not apply to data collected by third party services (e.g., "
                                "features operated by Weixin such as Channels, or by others such as Mini Programs).")
    assert ("weixin", "channels") in found, found
    assert ("weixin", "mini_programs") not in found, found
