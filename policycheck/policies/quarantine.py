"""Is a captured text a broken capture (a summary only, a truncated page, an empty page) or a real policy?

Archives and scrapers capture broken pages: the WeChat archive holds captures with only the summary or a
page cut off mid-table, each followed by a restore of the full text. Recording them as versions would
report two false policy changes each. The check compares the structure of the candidate text with the
current good version of the document (its *reference*):

- size: the candidate holds less than :data:`MIN_SIZE_RATIO` of the reference's characters;
- sections: at least :data:`MIN_MISSING_SECTIONS` of the reference's headings are missing;
- nothing new: less than :data:`MAX_NOVEL_SHARE` of the candidate's characters are in blocks the reference
  lacks (a block that is a prefix of a reference block, as at a cut, is not new);
- no newer stated date: a text that states a later effective date than the reference is a real (if
  drastic) revision and is accepted.

All four must hold. Without a reference (the first capture of a document), only an empty or near-empty page
(fewer than :data:`MIN_CHARS` characters) or one of fewer than :data:`MIN_BLOCKS` blocks is refused.

Whatever the reference, a page that is not the document is refused (:func:`not_the_document`):

- headings only: less than :data:`MIN_BODY_SHARE` of its characters are outside headings (a table of contents,
  or a page whose body did not load);
- wrong script: the declared language's script (:data:`LANGUAGE_SCRIPTS`: Latin for ``en``, Han for ``zh``)
  holds less than :data:`MIN_SCRIPT_SHARE` of its letters (Unicode script of each letter, from its character
  name) — a fallback page, a geo-redirect, another language's page;
- damaged text: at least :data:`MAX_DAMAGE` replacement characters (U+FFFD) or mojibake sequences (UTF-8 read as
  Windows-1252/Latin-1: ``â€™``, ``Ã©``, ``ä¸­``) — the bytes were decoded with the wrong charset.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from policycheck.policies.dates import effective_date
from policycheck.policies.model import ParsedDocument

MIN_SIZE_RATIO = 0.6
MIN_MISSING_SECTIONS = 0.3
MAX_NOVEL_SHARE = 0.1
MIN_CHARS = 500
MIN_BLOCKS = 5
MIN_BODY_SHARE = 0.2  # of the characters outside headings
MIN_SCRIPT_SHARE = 0.5  # of the letters in the declared language's script
MIN_LETTERS = 100  # fewer letters than this are too few to judge a script
MAX_DAMAGE = 3  # replacement characters + mojibake sequences: this many or more is a damaged text
LANGUAGE_SCRIPTS: dict[str, set[str]] = {
    **{code: {"Latin"} for code in ("en", "fr", "de", "es", "it", "pt", "nl", "sv", "da", "no", "nb", "fi", "pl",
                                     "cs", "sk", "hu", "ro", "tr", "id", "ms", "vi", "ca", "hr", "sl", "et", "lv",
                                     "lt")},
    "zh": {"Han"}, "ja": {"Han", "Hiragana", "Katakana"}, "ko": {"Hangul", "Han"},
    **{code: {"Cyrillic"} for code in ("ru", "uk", "bg", "sr", "be", "kk", "mk")},
    "el": {"Greek"}, "ar": {"Arabic"}, "fa": {"Arabic"}, "he": {"Hebrew"}, "th": {"Thai"}, "hi": {"Devanagari"},
}
# A lead byte of a 2-4 byte UTF-8 sequence read as Windows-1252/Latin-1, followed by a continuation byte read
# the same way (0x80-0xBF: C1 controls, or the Windows-1252 punctuation and letters at those code points).
MOJIBAKE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
                      "\u02c6\u02dc\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022"
                      "\u2026\u2030\u2039\u203a\u20ac\u2122]")


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def script_of(ch: str) -> str:
    """The Unicode script of a letter, from its character name: 'Latin', 'Han', 'Cyrillic', ... ('Common' for
    a character without a name)."""
    name = unicodedata.name(ch, "")
    if name.startswith(("CJK UNIFIED", "CJK COMPATIBILITY IDEOGRAPH")):
        return "Han"
    if name.startswith(("FULLWIDTH LATIN", "HALFWIDTH LATIN")):
        return "Latin"
    if name.startswith("HALFWIDTH KATAKANA"):
        return "Katakana"
    return name.split(" ", 1)[0].capitalize() if name else "Common"


def script_shares(text: str) -> tuple[int, Counter[str]]:
    """The number of letters in ``text`` and how many of them are in each script."""
    scripts = Counter(script_of(ch) for ch in text if ch.isalpha())
    return sum(scripts.values()), scripts


def not_the_document(candidate: ParsedDocument, language: str | None) -> str | None:
    """Why ``candidate`` is not a policy text at all (headings only, wrong script for ``language``, damaged
    characters), with the measured figures; None when none of these holds. See the module docstring."""
    text = candidate.text
    damage = text.count("\ufffd")
    mojibake = MOJIBAKE.findall(text)
    if damage + len(mojibake) >= MAX_DAMAGE:
        parts = []
        if damage:
            parts.append(f"{damage:,} replacement character(s) U+FFFD")
        if mojibake:
            examples = ", ".join(repr(m) for m in list(dict.fromkeys(mojibake))[:3])
            parts.append(f"{len(mojibake):,} mojibake sequence(s) such as {examples} (UTF-8 read as Windows-1252)")
        return f"damaged text: {' and '.join(parts)} in {len(text):,} characters; decoded with the wrong charset?"
    headings = sum(len(b.text) for b in candidate.blocks if b.kind == "heading")
    body = sum(len(b.text) for b in candidate.blocks) - headings
    if candidate.blocks and body < MIN_BODY_SHARE * (body + headings):
        count = sum(1 for b in candidate.blocks if b.kind == "heading")
        return (f"headings only: {count} of {len(candidate.blocks)} blocks are headings and "
                f"{body / max(body + headings, 1):.0%} of the characters are outside them (a table of contents, "
                "or a page whose body did not load)")
    expected = LANGUAGE_SCRIPTS.get(language or "")
    letters, scripts = script_shares(text)
    if expected and letters >= MIN_LETTERS:
        share = sum(scripts[s] for s in expected) / letters
        if share < MIN_SCRIPT_SHARE:
            found = ", ".join(f"{n / letters:.0%} {s}" for s, n in scripts.most_common(2))
            return (f"wrong script for {language!r}: {share:.0%} of its {letters:,} letters are "
                    f"{'/'.join(sorted(expected))} ({found}); a page in another language or a fallback page?")
    return None


def assess(candidate: ParsedDocument, reference: ParsedDocument | None, language: str | None = None) -> str | None:
    """Return why ``candidate`` is a broken capture or not the document, or None when it may be recorded as a
    version.

    Inputs: the candidate text's blocks; the reference (the document's current version) or None; the
    document's declared ISO 639-1 language (for the script check; None skips it). Output: a one-line
    human-readable reason with the measured figures, or None.
    """
    size = len(candidate.text)
    if size < MIN_CHARS:
        return f"empty or near-empty page: {size:,} characters in {len(candidate.blocks)} blocks"
    if len(candidate.blocks) < MIN_BLOCKS:
        return f"not a structured document: {len(candidate.blocks)} block(s) for {size:,} characters"
    wrong = not_the_document(candidate, language)
    if wrong is not None:
        return wrong
    if reference is None or not reference.text:
        return None
    ratio = size / len(reference.text)
    if ratio >= MIN_SIZE_RATIO:
        return None
    ref_headings = [h for h in reference.headings() if h != reference.title]
    have = {_key(h) for h in candidate.headings()}
    missing = [h for h in ref_headings if _key(h) not in have]
    if not ref_headings or len(missing) / len(ref_headings) < MIN_MISSING_SECTIONS:
        return None
    ref_blocks = [_key(b.text) for b in reference.blocks]
    ref_set = set(ref_blocks)
    novel = sum(len(b.text) for b in candidate.blocks
                if (k := _key(b.text)) not in ref_set and not any(r.startswith(k) for r in ref_blocks))
    novel_share = novel / size
    if novel_share >= MAX_NOVEL_SHARE:
        return None
    stated, ref_stated = effective_date(candidate.text), effective_date(reference.text)
    if stated and (ref_stated is None or stated.value > ref_stated.value):
        return None
    last = candidate.blocks[-1]
    cut = next((r for r in reference.blocks if _key(r.text) != _key(last.text)
                and _key(r.text).startswith(_key(last.text))), None)
    examples = ", ".join(repr(h[:40]) for h in missing[:3])
    reason = (f"partial capture: {size:,} characters, {ratio:.0%} of the current version ({len(reference.text):,}); "
              f"{len(missing)} of {len(ref_headings)} sections missing (e.g. {examples}); "
              f"{novel_share:.0%} of its text is new")
    if cut is not None:
        reason += f"; ends mid-block (block {last.ordinal} is cut short)"
    return reason
