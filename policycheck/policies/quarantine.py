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
(fewer than :data:`MIN_CHARS` characters or :data:`MIN_BLOCKS` blocks) is refused.
"""

from __future__ import annotations

from policycheck.policies.dates import effective_date
from policycheck.policies.model import ParsedDocument

MIN_SIZE_RATIO = 0.6
MIN_MISSING_SECTIONS = 0.3
MAX_NOVEL_SHARE = 0.1
MIN_CHARS = 500
MIN_BLOCKS = 5


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def assess(candidate: ParsedDocument, reference: ParsedDocument | None) -> str | None:
    """Return why ``candidate`` is a broken capture, or None when it may be recorded as a version.

    Inputs: the candidate text's blocks, and the reference (the document's current version) or None.
    Output: a one-line human-readable reason with the measured figures, or None.
    """
    size = len(candidate.text)
    if size < MIN_CHARS or len(candidate.blocks) < MIN_BLOCKS:
        return f"empty or near-empty page: {size:,} characters in {len(candidate.blocks)} blocks"
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
