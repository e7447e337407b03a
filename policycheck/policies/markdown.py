"""Markdown -> blocks: rendered to HTML with markdown-it-py (CommonMark + GFM tables, raw HTML kept, as in
Open Terms Archive's Markdown versions), then read by :func:`policycheck.policies.html.parse_html`."""

from __future__ import annotations

from markdown_it import MarkdownIt

from policycheck.policies.html import parse_html, unparsable
from policycheck.policies.model import ParsedDocument

_MD = MarkdownIt("commonmark", {"html": True}).enable("table")


def markdown_to_html(text: str) -> str:
    """Render Markdown to an HTML fragment (CommonMark, GFM tables, inline HTML such as ``<br>`` kept)."""
    return _MD.render(text)


def parse_markdown(text: str, where: str = "page") -> ParsedDocument:
    """Read a Markdown policy text into a :class:`ParsedDocument` (same blocks as its HTML page). ``where``: the
    file, for error messages. Raises :class:`PolicycheckError` as :func:`parse_html` does, also when markdown-it
    runs out of memory or stack on the text."""
    try:
        html = markdown_to_html(text)
    except (MemoryError, RecursionError) as exc:
        raise unparsable(where, exc) from None
    return parse_html(html, where=where)
