"""Markdown -> blocks: rendered to HTML with markdown-it-py (CommonMark + GFM tables, raw HTML kept, as in
Open Terms Archive's Markdown versions), then read by :func:`policycheck.policies.html.parse_html`."""

from __future__ import annotations

from markdown_it import MarkdownIt

from policycheck.errors import PolicycheckError
from policycheck.policies.html import parse_html, unparsable
from policycheck.policies.model import ParsedDocument

# checked before rendering: 1,000,000 list items (4 MB) took markdown-it 35 s and 2.2 GB; the longest archived
# policy has 598 lines and 338 '|'
MAX_LINES = 100_000
MAX_PIPES = 100_000
_MD = MarkdownIt("commonmark", {"html": True}).enable("table")


def markdown_to_html(text: str) -> str:
    """Render Markdown to an HTML fragment (CommonMark, GFM tables, inline HTML such as ``<br>`` kept)."""
    return _MD.render(text)


def parse_markdown(text: str, where: str = "page") -> ParsedDocument:
    """Read a Markdown policy text into a :class:`ParsedDocument` (same blocks as its HTML page). ``where``: the
    file, for error messages. Raises :class:`PolicycheckError` as :func:`parse_html` does, also when markdown-it
    runs out of memory or stack on the text."""
    lines, pipes = text.count("\n") + 1, text.count("|")
    if lines > MAX_LINES or pipes > MAX_PIPES:
        what, limit = (f"{lines:,} lines", MAX_LINES) if lines > MAX_LINES else (f"{pipes:,} '|'", MAX_PIPES)
        raise PolicycheckError(where, f"{what}, more than the {limit:,} policycheck renders; not a policy text "
                                      "(markdown-it holds about 2 KB per list item or table cell)")
    try:
        html = markdown_to_html(text)
    except (MemoryError, RecursionError) as exc:
        raise unparsable(where, exc) from None
    return parse_html(html, where=where)
