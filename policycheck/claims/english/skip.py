"""Text the extractor does not read: very long runs, other languages, markup debris.

Each such sentence produces no claim, never an exception, and is counted in ``BlockResult.skipped`` (stored in
``extraction_runs.skipped``). Thresholds live in ``patterns.yml`` (``skip``).
"""

from __future__ import annotations

import unicodedata

from policycheck.claims.english.patterns import Patterns


def latin_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(c.isascii() for c in letters) / len(letters) if letters else 1.0


def unit_reason(text: str, pat: Patterns) -> str | None:
    """Why a whole unit is not parsed: 'too long' (characters, or one run without white space), or 'not English';
    ``None`` to parse it."""
    if len(text) > pat.max_chars or max(map(len, text.split()), default=0) > pat.max_word_chars:
        return "too long"
    if latin_share(text) < pat.min_latin_share:
        return "not English"
    return None


def sentence_reason(text: str, tokens: int, pat: Patterns) -> str | None:
    """Why a parsed sentence is not read: 'too long', 'not English' or 'markup'; ``None`` to read it."""
    if tokens > pat.max_tokens:
        return "too long"
    if latin_share(text) < pat.min_latin_share:
        return "not English"
    if pat.markup.search(text):
        return "markup"
    visible = [c for c in text if not c.isspace()]
    symbols = [c for c in visible if not c.isalnum() and not unicodedata.category(c).startswith("P")]
    if visible and len(symbols) / len(visible) > pat.max_symbol_share:
        return "markup"
    return None


def has_words(text: str) -> bool:
    return any(c.isalpha() for c in text)
