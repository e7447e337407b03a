"""The Chinese front end's vocabulary: ontology names (data types, entities, features) and grammar words.

Open-class words come from ``mappings/*.yaml`` (``name_zh``, ``synonyms_zh``, ``aliases_zh``; plus English names
that are acronyms such as ``IDFA``, ``OAID``, ``AndroidID``, which Chinese policies write in Latin letters).
One Aho-Corasick automaton (pyahocorasick) finds them all at once, leftmost-longest, so that 企业微信联系人
(a feature) wins over 联系人 (a data type) and 提供方 (an entity) over 提供 (a verb). A string naming concepts of
several ontologies (朋友圈: the Moments feature and Moments posts) keeps all readings; the caller picks by
position (in a condition it is a feature, in an object a data type).

A data-type name ending in a data noun also matches with 的 before that noun (操作记录 / 操作的记录): the two are
the same phrase in Chinese.

Grammar words (verbs and their actions, negation, conditions, purposes, anaphors ...) are in ``lexicon.yaml``
beside this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import ahocorasick
from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

from policycheck.claims.chinese.heads import HeadIndex
from policycheck.claims.model import ACTIONS, MODALITIES
from policycheck.errors import PolicycheckError
from policycheck.ontology import Ontology
from policycheck.yamlfile import load_model

GRAMMAR_FILE = Path(__file__).with_name("lexicon.yaml")
KIND_FIELDS = {"data_type": "data", "entity": "entity", "feature": "feature"}
_ACRONYM = re.compile(r"^[A-Za-z0-9]*[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*$")  # IDFA, OAID, AndroidID, SSID
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@dataclass(frozen=True)
class Mention:
    """An ontology name found in the text: offsets into the block text and its readings (ids or None)."""

    start: int
    end: int
    text: str
    data: str | None = None
    entity: str | None = None
    feature: str | None = None


@dataclass(frozen=True)
class Verb:
    """A data-practice verb found in the text and its action."""

    start: int
    end: int
    text: str
    action: str


class Grammar(BaseModel):
    """``lexicon.yaml``, typed: every list the rules read is a field (see the comments in that file), so a
    misspelt key is an error on load (``extra="forbid"``, all fields required) instead of a rule silently off."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    verbs: dict[str, list[str]]
    party_verbs: dict[str, list[str]]
    display_verbs: list[str]
    recipient_before: list[str]
    recipient_within: list[str]
    party_nouns: list[str]
    feature_nouns: list[str]
    recipient_after: list[str]
    places: list[str]
    external: list[str]
    sale: list[str]
    handover: list[str]
    user_gives: list[str]
    refusals: list[str]
    manner_adverbs: list[str]
    placement_verbs: list[str]
    instrument_types: list[str]
    purpose_object: list[str]
    hedges: list[str]
    questions: list[str]
    definitions: list[str]
    preventions: list[str]
    staff: list[str]
    negations: list[str]
    requests: list[str]
    legal_bases: list[str]
    consents: list[str]
    first_party: list[str]
    user: list[str]
    user_actions: list[str]
    pronouns: list[str]
    prepositions: list[str]
    modality: dict[str, list[str]]
    condition_frames: dict[str, list[str]]
    clause_openers: list[str]
    purpose_markers: list[str]
    local: list[str]
    separators: list[str]
    example_markers: list[str]
    exclusion_markers: list[str]
    group_marker: str
    anaphors: list[str]
    soft_anaphors: list[str]
    adjective_anaphors: list[str]
    cataphors: list[str]
    exception_leads: list[str]
    generic_heads: list[str]
    generic_determiners: list[str]
    head_nouns: dict[str, str]
    about_persons: dict[str, list[str]]
    labelling_verbs: list[str]
    status_words: list[str]
    setting_verbs: dict[str, list[str]]
    own_name_heads: list[str]
    attribute_heads: list[str]
    non_data_heads: list[str]
    instrument_heads: list[str]
    capability_cues: list[str]
    inserted_adjectives: list[str]
    media_heads: list[str]
    pictured_types: list[str]
    retention_periods: list[str]
    own_terms: list[str]
    consent_openers: list[str]
    qualifiers: list[str]
    subgroups: dict[str, list[str]]
    table_roles: dict[str, list[str]]
    operation_words: list[str]
    operation_records: dict[str, list[str]]
    mini_program_records: str
    mini_program_features: list[str]
    data_nouns: list[str]
    noun_verbs: list[str]
    permission: str

    @field_validator("verbs", "party_verbs", "modality")
    @classmethod
    def _known_keys(cls, value: dict[str, list[str]], info: ValidationInfo) -> dict[str, list[str]]:
        known = MODALITIES if info.field_name == "modality" else ACTIONS
        unknown = sorted(set(value) - set(known))
        if unknown:
            raise ValueError(f"unknown key(s) {unknown} (known: {', '.join(known)})")
        return value

    @property
    def operations(self) -> set[str]:
        """Every word that names an operation (``operation_words`` and the words of ``operation_records``)."""
        return set(self.operation_words) | {w for words in self.operation_records.values() for w in words}

    def words(self, key: str) -> list[str]:
        """The word list named ``key`` (for rules that take the list's name); raises AttributeError for a
        name that is no field."""
        value = getattr(self, key)
        return list(value)


def load_grammar(path: Path = GRAMMAR_FILE) -> Grammar:
    """Read and validate ``lexicon.yaml``. Raises :class:`PolicycheckError` naming the file (and the line of
    the offending key) when it is unreadable or a list is missing, misspelt or of the wrong shape."""
    return load_model(path, Grammar, "Chinese grammar lexicon")[0]


def lower_ascii(text: str) -> str:
    """Lower-case ASCII letters only (keeps offsets: ``str.lower`` may change the length of other letters)."""
    return text.translate(_LOWER)


class Lexicon:
    """Ontology terms and grammar words of the Chinese front end, with matchers over a block's text."""

    def __init__(self, onto: Ontology, grammar: Grammar) -> None:
        self.onto = onto
        self.grammar = grammar
        self.terms: dict[str, dict[str, str]] = {}
        data_nouns = grammar.data_nouns
        for kind, slot in KIND_FIELDS.items():
            for concept in onto.concepts[kind].values():
                names = list(concept.names("zh"))
                names += [n for n in concept.names("en") if _ACRONYM.match(n)]
                for name in names:
                    self._add(name, slot, concept.id)
                    if slot == "data":
                        for noun in data_nouns:
                            if name.endswith(noun) and len(name) > len(noun) + 1 and "的" not in name:
                                self._add(f"{name[:-len(noun)]}的{noun}", slot, concept.id)
        unknown = sorted({t for t in [*grammar.head_nouns.values(), *grammar.operation_records,
                                      *grammar.about_persons, *grammar.setting_verbs,
                                      grammar.mini_program_records, *grammar.pictured_types]
                          if t not in onto.concepts["data_type"]})
        unknown += sorted(f for f in grammar.mini_program_features if f not in onto.features)
        if unknown:
            raise PolicycheckError(GRAMMAR_FILE, f"grammar lists name concepts the ontology lacks: {unknown}")
        self.verb_actions: dict[str, str] = {}
        for action, words in [*grammar.verbs.items(), *grammar.party_verbs.items(),
                              ("share", grammar.display_verbs)]:
            for word in words:
                self.verb_actions[word] = action
        self.party_verbs = {w for words in grammar.party_verbs.values() for w in words}
        self.display_verbs = set(grammar.display_verbs)

    @cached_property
    def heads(self) -> HeadIndex:
        """The ontology's data names indexed for typing items it does not name (:mod:`.heads`)."""
        names = {t: r["data"] for t, r in self.terms.items() if "data" in r and not _ASCII_WORD.search(t)}
        records = {word: data_type for data_type, words in self.grammar.operation_records.items() for word in words}
        return HeadIndex(self.onto, names, self.grammar.head_nouns.get("记录", "personal_information"), records)

    def _add(self, name: str, slot: str, concept_id: str) -> None:
        readings = self.terms.setdefault(lower_ascii(name.strip()), {})
        readings.setdefault(slot, concept_id)  # the first concept naming it wins (the ontology checks clashes)

    @cached_property
    def _terms_automaton(self) -> ahocorasick.Automaton:
        return _automaton(self.terms)

    @cached_property
    def _verbs_automaton(self) -> ahocorasick.Automaton:
        return _automaton(self.verb_actions)

    def user_words(self) -> tuple[str, ...]:
        """Words for jieba's dictionary: the ontology's Chinese terms, the verbs, the party nouns and the closers of
        condition frames of two or more characters (sorted, for caching): 接收方 is one word, not the verb 接收 and
        方; 情况下 is one, so 在……的情况下向第三方提供 keeps its 向 (jieba alone cuts 情况/下向)."""
        closers = {w for frame in self.grammar.condition_frames.values() for w in frame}
        words = {t for t in self.terms if not _ASCII_WORD.search(t)} | set(self.verb_actions) | {
            w for w in (*self.grammar.party_nouns, *closers) if len(w) > 1}
        return tuple(sorted(words))

    def mentions(self, text: str) -> list[Mention]:
        """Ontology terms in ``text``, leftmost-longest, non-overlapping, with every reading of each."""
        lowered = lower_ascii(text)
        found = _leftmost_longest(self._terms_automaton, lowered)
        out: list[Mention] = []
        for s, e, key in found:
            if out and s < out[-1].end:
                continue  # inside a feature's data (below)
            readings = self.terms[key]
            tail = self._data_across(lowered, s, e) if "data" not in readings and "feature" in readings else None
            if tail is not None:  # 微信运动数据: WeRun's 运动数据, data named across the feature's end
                out.append(Mention(s, tail[0], text[s:tail[0]], data=tail[1], feature=readings["feature"]))
                continue
            out.append(Mention(s, e, text[s:e], **readings))
        return out

    def _data_across(self, text: str, start: int, end: int) -> tuple[int, str] | None:
        """A data name that starts inside the feature name ``text[start:end]`` and ends after it (微信运动|数据 ->
        运动数据; a reader takes the whole as the feature's data: round 13): its end and data type, or None."""
        best = None
        for at in range(start + 1, end):
            for stop, key in self._terms_automaton.iter(text, at, min(len(text), at + _MAX_TERM)):
                if stop + 1 - len(key) == at and stop + 1 > end and "data" in self.terms[key] \
                        and (best is None or stop + 1 > best[0]):
                    best = (stop + 1, self.terms[key]["data"])
        return best

    def verbs(self, text: str, blocked: list[bool]) -> list[Verb]:
        """Data-practice verbs in ``text`` outside ``blocked`` characters (mentions, titles, quotes)."""
        out = []
        for s, e, key in _leftmost_longest(self._verbs_automaton, text):
            if not any(blocked[s:e]):
                out.append(Verb(s, e, text[s:e], self.verb_actions[key]))
        return out

    def phrase_at(self, text: str, pos: int, key: str) -> str | None:
        """The longest word of grammar list ``key`` that starts at ``pos``, or None."""
        best = None
        for word in self.grammar.words(key):
            if text.startswith(word, pos) and (best is None or len(word) > len(best)):
                best = word
        return best

    def phrase_ending(self, text: str, pos: int, key: str) -> str | None:
        """The longest word of grammar list ``key`` that ends at ``pos``, or None."""
        best = None
        for word in self.grammar.words(key):
            if pos >= len(word) and text.endswith(word, 0, pos) and (best is None or len(word) > len(best)):
                best = word
        return best


_MAX_TERM = 24  # characters of the longest ontology term looked for across a feature's end


def _automaton(keys: dict[str, Any]) -> ahocorasick.Automaton:
    auto = ahocorasick.Automaton()
    for key in keys:
        auto.add_word(key, key)
    auto.make_automaton()
    return auto


def _leftmost_longest(auto: ahocorasick.Automaton, text: str) -> list[tuple[int, int, str]]:
    """Non-overlapping matches, preferring the leftmost start, then the longest; ASCII terms only at word
    boundaries (OAID in ``AndroidID/OAID`` but not ``ID`` inside ``AndroidID``)."""
    candidates = []
    for end_index, key in auto.iter(text):
        start = end_index - len(key) + 1
        end = end_index + 1
        if _ASCII_WORD.match(key[0]) and start > 0 and _ASCII_WORD.match(text[start - 1]):
            continue
        if _ASCII_WORD.match(key[-1]) and end < len(text) and _ASCII_WORD.match(text[end]):
            continue
        candidates.append((start, -(end - start), end, key))
    candidates.sort()
    out: list[tuple[int, int, str]] = []
    last = 0
    for start, _, end, key in candidates:
        if start >= last:
            out.append((start, end, key))
            last = end
    return out
