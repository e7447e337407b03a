"""Repair of the small model's parse errors on a practice verb's object.

``en_core_web_sm`` often breaks a short data noun phrase right after a practice verb: "We collect your account
identifier" ("identifier" tagged ADJ, "account identifier" read as a ``ccomp``), "We collect push notification
tokens" ("push" read as a verb, ``xcomp``, with "tokens" its object), "We collect your user ID" ("ID" an
``appos`` of "user"). The verb then has no data argument and states nothing. The repair reads the words instead
of the tree: when a practice verb found no data, the noun phrase written right after it (an optional possessive
or article, then nouns, adjectives and words the tagger took for verbs, up to punctuation, a preposition or a
clause word; none when "and/or" follows, which coordinates it with more) is its object when it ends where an
ontology data name ends (the head noun decides, as :func:`.lexicon.is_modifier` does: "location services" is
no data) or when its head word and a modifier name a data type (:mod:`.typing`: "user ID" -> ``identifier``).

Tags and labels: ``Token.pos_`` holds the universal POS tags (https://universaldependencies.org/u/pos/:
``NOUN``, ``PROPN``, ``ADJ``, ``VERB``, ``CCONJ``), ``Token.tag_`` the Penn Treebank tags of ``en_core_web_sm``
(``PRP$`` a possessive pronoun, ``VBN``/``VBD``/``VBG`` participles and past forms, ``MD`` a modal),
``is_alpha`` / ``is_lower`` as spaCy's attribute table defines them (https://spacy.io/api/attributes).
"""

from __future__ import annotations

from spacy.tokens import Token

from policycheck.claims.english.frame import ROOT_DATA_TYPE, DataRef, Reading
from policycheck.claims.english.typing import HEAD_WORD, singular, type_index

ARTICLES = frozenset({"the", "a", "an"})
PHRASE_POS = frozenset({"NOUN", "PROPN", "ADJ", "VERB"})
MAX_WORDS = 6  # a phrase of this many words or more is no short phrase the parser broke


def _phrase_after(r: Reading, verb: Token) -> list[Token]:
    """The words of the noun phrase written right after ``verb`` (see the module docstring), possibly empty. A
    word inside an ontology data name counts whatever its tag ("your device OAID": "OAID" tagged ADV)."""
    doc, i = verb.doc, verb.i + 1
    end = verb.sent.end
    while i < end and (doc[i].tag_ == "PRP$" or doc[i].lower_ in ARTICLES):
        i += 1
    words: list[Token] = []
    while i < end and len(words) < MAX_WORDS and _phrase_word(r, doc[i]):
        words.append(doc[i])
        i += 1
    if len(words) == MAX_WORDS or (i < end and (doc[i].pos_ in (*PHRASE_POS, "CCONJ") or _phrase_word(r, doc[i]))):
        return []  # the phrase runs on, or is the first of coordinated words ("language and location settings")
    return words


def _phrase_word(r: Reading, token: Token) -> bool:
    """A word of a noun phrase: a noun, adjective or verb-tagged word that is no participle or past form, or a
    word of a data name."""
    named = r.mentions.at("data_type", token)
    if named is not None and (not token.is_punct or named.span.start < token.i < named.span.end - 1):
        return True  # (a hyphen inside a name: "Wi-Fi MAC address")
    return token.pos_ in PHRASE_POS and token.is_alpha and token.tag_ not in ("VBD", "VBN", "VBG", "MD")


def stranded_object(r: Reading, verb: Token, siblings: list[Token], heads: list[Token]) -> list[DataRef]:
    """The data of the noun phrase right after a practice verb whose parse gave it no data (the module
    docstring), or after a later practice verb of its coordination ``siblings`` (the verbs sharing its arguments).
    ``[]`` when the words name no data, when the phrase's last word is already one of the verb's argument heads
    ``heads`` (the parse was right and the extractor left it out on purpose), or when the phrase's last word
    names a party or a feature."""
    words: list[Token] = []
    for token in (verb, *sorted(s for s in siblings if s.i > verb.i)):  # "We collect and store your account
        words = _phrase_after(r, token)  # identifier": the phrase after the last verb is the object of each
        if words:
            break
    if not words or words[-1] in heads:
        return []
    start, end = words[0].i, words[-1].i + 1
    if any(r.mentions.at(kind, words[-1]) is not None for kind in ("entity", "feature")):
        return []  # the phrase names a party or a feature ("We use WeChat Pay"), not data
    named = r.mentions.at("data_type", words[-1])
    text = r.doc[start:end].text
    if named is not None and named.span.end == end and named.span.start >= start and named.id != ROOT_DATA_TYPE:
        return [DataRef(named.id, text if named.span.start > start else named.text, words[-1].i, named.basis)]
    head = singular(words[-1].lower_)
    mods = [singular(t.lower_) for t in words[:-1]]
    index = type_index(r.onto)
    if named is not None or not index.refines(head, mods):
        return []
    # typed as :func:`.enumerations.unmapped` types a listed phrase: vague modifiers ("user", "other") left out
    found = index.type_words(head, [m for m in mods if m not in r.pat.generic_qualifiers
                                    and m not in r.pat.weak_modifiers])
    return [DataRef(found, text, words[-1].i, HEAD_WORD)] if found is not None else []
