"""Fixtures shared by the claim tests."""

from __future__ import annotations

import pytest

from policycheck.claims.english import make_extractor


@pytest.fixture(scope="module")
def extractor(onto):
    """The English extractor over the project's ontology."""
    return make_extractor(onto)
