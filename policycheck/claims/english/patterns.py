"""The extractor's linguistic knowledge, read from ``patterns.yml`` beside this module.

:func:`load` returns a :class:`Patterns` with word sets and compiled regular expressions; ``digest`` (sha256 of
the file) goes into the extractor version so cached results are recomputed when the patterns change.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from policycheck.errors import PolicycheckError

PATH = Path(__file__).with_name("patterns.yml")


def _words(data: dict[str, Any], key: str) -> frozenset[str]:
    words = data.get(key) or []
    if any(isinstance(w, bool) for w in words):  # YAML reads a bare on/off/yes/no as a boolean
        raise ValueError(f"{key}: quote on/off/yes/no, YAML reads them as booleans")
    return frozenset(str(w).lower() for w in words)


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
    activity_source_types: tuple[str, ...]
    instrument_verbs: frozenset[str]
    instrument_subject_verbs: frozenset[str]
    first_party_nouns: frozenset[str]
    party_nouns: frozenset[str]
    recipient_preps: frozenset[str]
    holder_preps: frozenset[str]
    non_assertive: frozenset[str]
    user_governors: frozenset[str]
    non_assertive_objects: frozenset[str]
    needs_recipient: frozenset[str]
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
    activity_verbs: frozenset[str]
    activity_type: str
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
    table_roles: tuple[tuple[str, tuple[str, ...]], ...]
    table_note_prefixes: tuple[str, ...]
    retention_lead_in: re.Pattern[str]
    max_tokens: int
    max_chars: int
    min_latin_share: float
    max_symbol_share: float
    markup: re.Pattern[str]


# word lists of patterns.yml read into the field of the same name
_WORD_LISTS = (
    "nominal_blockers", "explicit_actor_only", "user_provides", "user_gives", "to_first_party_is_collect",
    "user_nouns", "collecting_governors", "instrument_subject_verbs", "instrument_verbs", "first_party_nouns",
    "party_nouns", "recipient_preps", "holder_preps", "user_governors", "non_assertive_objects", "needs_recipient",
    "negating_governors", "negation_words", "negating_determiners", "context_marks", "context_preps",
    "non_context_objects", "purpose_like_features", "condition_preps", "condition_marks", "hypothetical_marks",
    "consent_words", "qualifier_adverbs", "child_nouns", "excluding_words", "anaphora_heads", "anaphora_determiners",
    "generic_qualifiers", "data_nouns", "attribute_nouns", "activity_verbs", "non_data_nouns", "weak_modifiers",
    "include_verbs", "definition_verbs",
)


@cache
def load(path: Path = PATH) -> Patterns:
    """Read and compile ``patterns.yml``. Raises :class:`PolicycheckError` when it is unreadable or malformed."""
    try:
        raw = path.read_bytes()
        data = yaml.safe_load(raw)
        verb_action = {str(verb): action for action, verbs in data["actions"].items() for verb in verbs}
        modality = {str(word): mod for mod, words in data["modality"].items() for word in words}
        scope, skip = data["scope"], data["skip"]
        openers = sorted((str(w) for w in data["list_openers"]), key=len, reverse=True)
        return Patterns(
            digest=hashlib.sha256(raw).hexdigest(),
            **{name: _words(data, name) for name in _WORD_LISTS},
            verb_action=verb_action,
            nominal_actions={str(k): str(v) for k, v in data["nominal_actions"].items()},
            activity_source_types=tuple(str(t) for t in data["activity_source_types"]),
            instrument_types=tuple(str(t) for t in data["instrument_types"]),
            non_assertive=_words(data, "non_assertive_governors"),
            negation_passing=_words(data, "negation_passing_governors"),
            modality=modality,
            necessity=_regex(data["necessity_cues"]),
            legal=_regex(data["legal_cues"]),
            local=_regex(data["local_cues"]),
            idioms=tuple(str(w) for w in data["idioms"]),
            activity_type=str(data["activity_type"]),
            list_openers=re.compile(r"\b(?:" + "|".join(re.escape(w) for w in openers) + r")\W*$|\b(?:"
                                    + "|".join(re.escape(str(w)) for w in data["list_announcers"]) + r")\b",
                                    re.IGNORECASE),
            apply_lemmas=_words(scope, "apply_lemmas"),
            own_policy=_regex(scope["own_policy_cues"]),
            subject_to_lemmas=_words(scope, "subject_to_lemmas"),
            document_words=_words(scope, "document_words"),
            operate_verbs=_words(scope, "operate_verbs"),
            table_roles=tuple((role, tuple(str(w) for w in words)) for role, words in data["table_roles"].items()),
            table_note_prefixes=tuple(str(p).lower() for p in data["table_note_prefixes"]),
            retention_lead_in=re.compile(str(data["retention_lead_in"]), re.IGNORECASE),
            max_tokens=int(skip["max_tokens"]),
            max_chars=int(skip["max_chars"]),
            min_latin_share=float(skip["min_latin_share"]),
            max_symbol_share=float(skip["max_symbol_share"]),
            markup=_regex(skip["markup"]),
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError, ValueError, re.error) as exc:
        raise PolicycheckError(path, f"cannot read the English extractor's patterns: {exc}") from exc
