"""Review of rounds en19 and opp13 (policycheck-en 1.30.0): the metadata of user content is metadata, not the
content. Short constructed sentences (not from any policy or gold set), positive and guard cases."""

from __future__ import annotations

import pytest

from tests.claims.test_english_en17 import types_of
from tests.claims.test_english_generalize import read
from tests.claims.test_english_opp10 import claims_of


@pytest.mark.parametrize(("text", "expected"), [
    # the metadata of communications is communication metadata (data_types.yaml log_data: the WeChat policy's
    # definition names communication metadata and content metadata), of other content content metadata
    ("We collect message metadata.", {"communication_metadata"}),
    ("Chat metadata is retained for ninety days.", {"communication_metadata"}),
    ("We collect video metadata.", {"content_metadata"}),
    # guards: metadata of other data, and logs of content (chat logs are the chats), keep their rules
    ("Voice call metadata is retained for six months.", {"communication_metadata"}),
    ("We collect your login metadata.", {"login_data"}),
    ("We keep your chat logs on our servers.", {"chat_data"}),
    ("We collect photo metadata.", {"content_metadata"}),
])
def test_metadata_of_content_is_not_the_content(extractor, text, expected):
    assert types_of(extractor, text) == expected


@pytest.mark.parametrize(("text", "actor"), [
    # collected on another party's site through our own means (pixel, plugin, cookies): our collection
    ("Information about your activity is collected on other sites through our pixel.", "acme"),
    ("Your IP address may be collected on third-party websites via our social plugins.", "acme"),
    # guards: through that party's own means, or with no means named, the site's (opp13)
    ("Information about your activity is collected on other sites through their cookies.", "third_party"),
    ("Information is collected on third-party websites.", "third_party"),
])
def test_collection_on_another_site_through_our_means_is_ours(extractor, text, actor):
    assert {c[0] for c in claims_of(read(extractor, text, "acme"))} == {actor}, text
