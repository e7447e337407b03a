"""The English extractor after review6 (policycheck-en 1.42.0): two rules of rounds en25 and en26 narrowed where they
over-fired. Short constructed sentences through the real extractor, each case failing on 1.41.0."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from policycheck.claims.english import nlp, repair
from policycheck.claims.english.typing import type_index
from tests.claims.test_english_generalize import read


def rows(extractor, text: str) -> set[tuple]:
    """(actor, action, negated, data type) of every claim of ``text``."""
    return {(c.actor, c.action, c.negated, c.data_type) for c in read(extractor, text, "wechat").claims}


# ------------------------------------------- a part of named data: value and data nouns only (en26's part_of)
@pytest.mark.parametrize(("head", "modifiers"), [
    ("institution", ["financial"]),
    ("office", ["medical"]),
    ("professional", ["medical"]),
    ("network", ["payment", "card"]),
    ("provider", ["payment", "card"]),
])
def test_a_head_that_names_a_party_or_a_place_is_no_part_of_data(onto, head, modifiers):
    assert type_index(onto).part_of(head, set(modifiers)) is None


@pytest.mark.parametrize(("head", "modifiers", "expected"), [
    ("code", ["payment", "card", "security"], "payment_card"),
    ("result", ["medical", "test"], "health_data"),
    ("backup", ["chat"], "chat_data"),
])
def test_value_and_data_nouns_stay_parts_of_named_data(onto, head, modifiers, expected):
    assert type_index(onto).part_of(head, set(modifiers)) == expected


# ------------------------------------- a verb before a generic noun is a modifier only when it names data (en25)
@pytest.mark.parametrize("text", [
    "We collect your device ID and protect data with encryption.",
    "We collect your device ID and match data with our records.",
])
def test_a_verb_that_names_no_data_stays_a_verb(extractor, text):
    assert {r[3] for r in rows(extractor, text)} == {"device_identifier"}


def test_a_modifier_read_as_a_verb_still_types_the_series(extractor):
    assert ("wechat", "retain", False, "postal_address") in rows(extractor, "We keep your name and address details.")


def test_what_followed_the_generic_noun_goes_back_to_the_clauses_verb(onto):
    """A parse (built by hand, as the tagger gives it for such sentences) where the coordinated object is a
    preposition's object: "for 30 days" goes back to the verb "keep", not to the preposition "in"."""
    words = ["We", "keep", "it", "in", "our", "contacts", "and", "address", "details", "for", "30", "days", "."]
    heads = [1, 1, 1, 1, 5, 3, 5, 5, 7, 7, 11, 9, 1]
    deps = ["nsubj", "ROOT", "dobj", "prep", "poss", "pobj", "cc", "conj", "dobj", "prep", "nummod", "pobj", "punct"]
    tags = ["PRP", "VBP", "PRP", "IN", "PRP$", "NNS", "CC", "VB", "NNS", "IN", "CD", "NNS", "."]
    pos = ["PRON", "VERB", "PRON", "ADP", "PRON", "NOUN", "CCONJ", "VERB", "NOUN", "ADP", "NUM", "NOUN", "PUNCT"]
    doc = Doc(nlp.load().vocab, words=words, heads=heads, deps=deps, tags=tags, pos=pos,
              lemmas=[w.lower() for w in words])
    repair.parse_repairs(doc, type_index(onto))
    assert (doc[7].dep_, doc[7].head.i) == ("compound", 8)  # "address" modifies "details"
    assert (doc[8].dep_, doc[8].head.i) == ("conj", 5)  # "details" is a conjunct of "contacts"
    assert doc[9].head.i == 1  # "for 30 days" is the verb's
