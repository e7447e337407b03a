"""The extractor's linguistic knowledge, read from ``patterns.yml`` beside this module.

:func:`load` returns a :class:`Patterns` with word sets and compiled regular expressions; ``digest`` (sha256 of
the file) goes into the extractor version so cached results are recomputed when the patterns change.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, StrictStr

from policycheck.claims.model import ACTIONS, MODALITIES
from policycheck.yamlfile import Regex, load_model

PATH = Path(__file__).with_name("patterns.yml")


def _lower(words: list[str]) -> frozenset[str]:
    return frozenset(w.lower() for w in words)


def _regex(items: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in items), re.IGNORECASE)


@dataclass(frozen=True)
class Patterns:
    digest: str
    verb_action: dict[str, str]
    nominal_actions: dict[str, str]
    nominal_blockers: frozenset[str]
    explicit_actor_only: frozenset[str]
    user_provides: frozenset[str]
    user_gives: frozenset[str]
    to_first_party_is_collect: frozenset[str]
    user_nouns: frozenset[str]
    collecting_governors: frozenset[str]
    instrument_types: tuple[str, ...]
    instrument_stores: tuple[str, ...]
    activity_source_types: tuple[str, ...]
    instrument_verbs: frozenset[str]
    instrument_subject_verbs: frozenset[str]
    first_party_nouns: frozenset[str]
    site_nouns: frozenset[str]
    party_nouns: frozenset[str]
    own_party_nouns: frozenset[str]
    own_group_modifiers: frozenset[str]
    company_suffixes: frozenset[str]
    recipient_preps: frozenset[str]
    holder_preps: frozenset[str]
    non_assertive: frozenset[str]
    belief_verbs: frozenset[str]
    user_governors: frozenset[str]
    non_assertive_objects: frozenset[str]
    needs_recipient: frozenset[str]
    needing_governors: frozenset[str]
    authorising_verbs: frozenset[str]
    demanding_governors: frozenset[str]
    party_table_cues: frozenset[str]
    pointer_nouns: frozenset[str]
    pointer_verbs: frozenset[str]
    describing_governors: frozenset[str]
    ceasing_verbs: frozenset[str]
    destruction_verbs: frozenset[str]
    shares_with_party: frozenset[str]
    verification_verbs: frozenset[str]
    negating_governors: frozenset[str]
    negation_passing: frozenset[str]
    negation_words: frozenset[str]
    negating_determiners: frozenset[str]
    modality: dict[str, str]
    necessity: re.Pattern[str]
    context_marks: frozenset[str]
    context_preps: frozenset[str]
    non_context_objects: frozenset[str]
    purpose_like_features: frozenset[str]
    condition_preps: frozenset[str]
    condition_marks: frozenset[str]
    hypothetical_marks: frozenset[str]
    notice_verbs: frozenset[str]
    consent_words: frozenset[str]
    qualifier_adverbs: frozenset[str]
    legal: re.Pattern[str]
    child_nouns: frozenset[str]
    local: re.Pattern[str]
    excluding_words: frozenset[str]
    idioms: tuple[str, ...]
    anaphora_heads: frozenset[str]
    anaphora_determiners: frozenset[str]
    generic_qualifiers: frozenset[str]
    data_nouns: frozenset[str]
    attribute_nouns: frozenset[str]
    value_nouns: frozenset[str]
    activity_verbs: frozenset[str]
    activity_type: str
    activity_verb_types: dict[str, str]
    platform_features: dict[str, str]
    calling_verbs: frozenset[str]
    operation_nouns: frozenset[str]
    operation_type: dict[str, str]
    operation_nominals: dict[str, str]
    operation_plurals: dict[str, str]
    non_data_nouns: frozenset[str]
    weak_modifiers: frozenset[str]
    include_verbs: frozenset[str]
    list_openers: re.Pattern[str]
    definition_verbs: frozenset[str]
    apply_lemmas: frozenset[str]
    own_policy: re.Pattern[str]
    subject_to_lemmas: frozenset[str]
    document_words: frozenset[str]
    operate_verbs: frozenset[str]
    mechanism_governors: frozenset[str]
    mechanism_nouns: frozenset[str]
    table_roles: tuple[tuple[str, tuple[str, ...]], ...]
    table_note_prefixes: tuple[str, ...]
    retention_lead_in: re.Pattern[str]
    collection_lead_in: re.Pattern[str]
    table_none_cell: re.Pattern[str]
    max_tokens: int
    max_chars: int
    max_word_chars: int
    min_latin_share: float
    max_symbol_share: float
    markup: re.Pattern[str]


Words = list[StrictStr]  # a bare yes/no/on/off is a boolean in YAML: refused, with a hint to quote it
Regexes = list[Regex]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ScopeSection(_Section):
    """``scope``: words of the statements that say which documents and parties a policy covers."""

    apply_lemmas: Words
    own_policy_cues: Regexes
    subject_to_lemmas: Words
    document_words: Words
    operate_verbs: Words


class SkipSection(_Section):
    """``skip``: thresholds above which a block is not parsed (counted in ``extraction_runs.skipped``)."""

    max_tokens: int
    max_chars: int
    max_word_chars: int
    min_latin_share: float
    max_symbol_share: float
    markup: Regexes


class PatternsFile(_Section):
    """``patterns.yml``, typed: every list the extractor reads is a required field (see the comments in that
    file), so a misspelt or missing key is an error on load instead of a rule silently off."""

    actions: dict[Literal[ACTIONS], Words]
    nominal_actions: dict[str, Literal[ACTIONS]]
    nominal_blockers: Words
    explicit_actor_only: Words
    mechanism_governors: Words
    mechanism_nouns: Words
    user_provides: Words
    user_gives: Words
    needs_recipient: Words
    needing_governors: Words
    authorising_verbs: Words
    demanding_governors: Words
    party_table_cues: Words
    pointer_nouns: Words
    pointer_verbs: Words
    describing_governors: Words
    ceasing_verbs: Words
    destruction_verbs: Words
    shares_with_party: Words
    verification_verbs: Words
    user_nouns: Words
    collecting_governors: Words
    instrument_types: Words
    instrument_stores: Words
    activity_source_types: Words
    instrument_verbs: Words
    instrument_subject_verbs: Words
    party_nouns: Words
    own_party_nouns: Words
    own_group_modifiers: Words
    company_suffixes: Words
    first_party_nouns: Words
    site_nouns: Words
    to_first_party_is_collect: Words
    recipient_preps: Words
    holder_preps: Words
    non_assertive_governors: Words
    belief_verbs: Words
    non_assertive_objects: Words
    user_governors: Words
    negating_governors: Words
    negation_passing_governors: Words
    negation_words: Words
    negating_determiners: Words
    modality: dict[Literal[MODALITIES], Words]
    necessity_cues: Regexes
    context_marks: Words
    context_preps: Words
    non_context_objects: Words
    purpose_like_features: Words
    condition_preps: Words
    condition_marks: Words
    hypothetical_marks: Words
    notice_verbs: Words
    consent_words: Words
    qualifier_adverbs: Words
    legal_cues: Regexes
    child_nouns: Words
    local_cues: Regexes
    idioms: Words
    excluding_words: Words
    anaphora_heads: Words
    anaphora_determiners: Words
    generic_qualifiers: Words
    data_nouns: Words
    attribute_nouns: Words
    value_nouns: Words
    activity_verbs: Words
    activity_type: str
    activity_verb_types: dict[str, str]
    platform_features: dict[str, str]
    calling_verbs: Words
    operation_nouns: Words
    operation_types: dict[str, Words]
    operation_nominals: dict[str, str]
    operation_plurals: dict[str, str]
    non_data_nouns: Words
    weak_modifiers: Words
    include_verbs: Words
    list_openers: Words
    list_announcers: Words
    definition_verbs: Words
    scope: ScopeSection
    table_roles: dict[str, Words]
    retention_lead_in: Regex
    collection_lead_in: Regex
    table_none_cell: Regex
    table_note_prefixes: Words
    skip: SkipSection


# Patterns fields named apart from their list in patterns.yml
_RENAMED = {"non_assertive": "non_assertive_governors", "negation_passing": "negation_passing_governors"}


def _word_sets(f: PatternsFile) -> dict[str, frozenset[str]]:
    """Every word-set field of :class:`Patterns`: the list of the same name in ``patterns.yml`` (or in its
    ``scope``), lower-cased."""
    out = {}
    for field in dataclasses.fields(Patterns):
        if field.type == "frozenset[str]":
            name = _RENAMED.get(field.name, field.name)
            out[field.name] = _lower(getattr(f.scope if name in ScopeSection.model_fields else f, name))
    return out


@cache
def load(path: Path = PATH) -> Patterns:
    """Read ``patterns.yml`` (validated by :class:`PatternsFile`) and compile it. Raises :class:`PolicycheckError`
    naming the file, line and field when it is unreadable, a list is missing, misspelt or of the wrong type, or a
    regular expression does not compile."""
    f = load_model(path, PatternsFile, "English extractor patterns")[0]
    openers = sorted(f.list_openers, key=len, reverse=True)
    return Patterns(
        digest=hashlib.sha256(path.read_bytes()).hexdigest(),
        **_word_sets(f),
        verb_action={verb: action for action, verbs in f.actions.items() for verb in verbs},
        nominal_actions=dict(f.nominal_actions),
        instrument_types=tuple(f.instrument_types),
        instrument_stores=tuple(f.instrument_stores),
        activity_source_types=tuple(f.activity_source_types),
        modality={word: mod for mod, words in f.modality.items() for word in words},
        necessity=_regex(f.necessity_cues),
        legal=_regex(f.legal_cues),
        local=_regex(f.local_cues),
        idioms=tuple(f.idioms),
        activity_type=f.activity_type,
        activity_verb_types=dict(f.activity_verb_types),
        platform_features=dict(f.platform_features),
        operation_type={verb: kind for kind, verbs in f.operation_types.items() for verb in verbs},
        operation_nominals={k.lower(): v.lower() for k, v in f.operation_nominals.items()},
        operation_plurals={k.lower(): v.lower() for k, v in f.operation_plurals.items()},
        list_openers=re.compile(r"\b(?:" + "|".join(re.escape(w) for w in openers) + r")\W*$|\b(?:"
                                + "|".join(re.escape(w) for w in f.list_announcers) + r")\b",
                                re.IGNORECASE),
        own_policy=_regex(f.scope.own_policy_cues),
        table_roles=tuple((role, tuple(words)) for role, words in f.table_roles.items()),
        table_note_prefixes=tuple(p.lower() for p in f.table_note_prefixes),
        retention_lead_in=re.compile(f.retention_lead_in, re.IGNORECASE),
        collection_lead_in=re.compile(f.collection_lead_in, re.IGNORECASE),
        table_none_cell=re.compile(f.table_none_cell, re.IGNORECASE),
        max_tokens=f.skip.max_tokens,
        max_chars=f.skip.max_chars,
        max_word_chars=f.skip.max_word_chars,
        min_latin_share=f.skip.min_latin_share,
        max_symbol_share=f.skip.max_symbol_share,
        markup=_regex(f.skip.markup),
    )
