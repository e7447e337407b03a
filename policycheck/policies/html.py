"""HTML -> blocks, with beautifulsoup4. Markdown is read by rendering it to HTML first (see ``markdown.py``),
so a scraped page and an archived Markdown capture of the same document give the same blocks.

Open Terms Archive declarations name the part of a page that holds the document with CSS selectors
(``select``, a selector or list of selectors) and the parts to drop inside it (``remove``); see
https://docs.opentermsarchive.org/terms/reference/declaration/ .
"""

from __future__ import annotations

from collections.abc import Iterable

from bs4 import BeautifulSoup, NavigableString, Tag

from policycheck.errors import PolicycheckError
from policycheck.policies.model import ParsedDocument, RawBlock, assemble

HEADINGS = {f"h{i}": i for i in range(1, 7)}
LISTS = {"ul", "ol"}
SKIP = {"script", "style", "noscript", "template", "head", "svg", "button", "form", "input", "select", "iframe"}
INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd", "mark", "q",
          "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr", "br", "img", "label",
          "del", "ins"}
BOLD = {"b", "strong"}
PSEUDO_HEADING_MAX = 100  # characters: a paragraph entirely bold and this short reads as a sub-heading


def _as_selectors(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def inline_text(node: Tag | NavigableString, stop: set[str] = LISTS | {"table"}) -> str:
    """Text of an element's inline content: ``<br>`` becomes a newline, elements named in ``stop`` are
    skipped (nested lists and tables are blocks of their own)."""
    if isinstance(node, NavigableString):
        return "" if node.__class__.__name__ in ("Comment", "Doctype", "Declaration") else str(node)
    if node.name == "br":
        return "\n"
    if node.name in SKIP or node.name in stop:
        return ""
    if node.name == "img":
        return ""
    parts = []
    for child in node.children:
        text = inline_text(child, stop)
        if isinstance(child, Tag) and child.name not in INLINE and text and not text.endswith("\n"):
            text += "\n"  # a block element inside inline content (e.g. <p> in <li>) ends a line
        parts.append(text)
    return "".join(parts)


def _all_bold(node: Tag) -> bool:
    """True when every non-blank text inside ``node`` sits inside <b>/<strong>."""
    texts = [t for t in node.find_all(string=True) if t.strip()]
    return bool(texts) and all(any(p.name in BOLD for p in t.parents if p is not node) for t in texts)


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[RawBlock] = []
        self.heading_level = 1
        self.inline_run: list[Tag | NavigableString] = []

    def flush_inline(self) -> None:
        if not self.inline_run:
            return
        text = "".join(inline_text(n) for n in self.inline_run)
        self.inline_run = []
        if text.strip():
            self.blocks.append(RawBlock("paragraph", text))

    def paragraph(self, node: Tag) -> None:
        text = inline_text(node)
        if not text.strip():
            return
        flat = " ".join(text.split())
        if _all_bold(node) and len(flat) <= PSEUDO_HEADING_MAX and not flat.endswith((".", "。", ";", ",")):
            self.blocks.append(RawBlock("heading", text, level=min(self.heading_level + 1, 7)))
        else:
            self.blocks.append(RawBlock("paragraph", text))

    def walk(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if child.__class__.__name__ == "NavigableString" and child.strip():
                    self.inline_run.append(child)
                continue
            name = child.name
            if name in SKIP:
                continue
            if name in INLINE:
                self.inline_run.append(child)
                continue
            self.flush_inline()
            if name in HEADINGS:
                self.heading_level = HEADINGS[name]
                self.blocks.append(RawBlock("heading", inline_text(child), level=HEADINGS[name]))
            elif name == "p":
                self.paragraph(child)
            elif name in LISTS:
                self.list(child, depth=1, parent_text=None)
            elif name == "table":
                self.table(child)
            elif name == "hr":
                continue
            else:  # div, section, article, main, blockquote, dl, ... : containers
                self.walk(child)
        self.flush_inline()

    def list(self, node: Tag, depth: int, parent_text: str | None) -> None:
        for item in node.find_all("li", recursive=False):
            own = inline_text(item)
            nested = [c for c in item.find_all(["ul", "ol", "table"]) if c.find_parent("li") is item]
            before = own
            if nested:  # the item's text before its first nested list is the nested list's lead-in
                before = "".join(inline_text(c) for c in _children_before(item, nested[0]))
            self.blocks.append(RawBlock("list_item", own, level=depth, parent_text=parent_text))
            for sub in nested:
                if sub.name == "table":
                    self.table(sub)
                else:
                    self.list(sub, depth + 1, before)

    def table(self, node: Tag) -> None:
        rows = [tr for tr in node.find_all("tr") if tr.find_parent("table") is node]
        header: list[str] | None = None
        for tr in rows:
            cells = [c for c in tr.find_all(["th", "td"]) if c.find_parent("tr") is tr]
            texts = [inline_text(c, stop={"table"}) for c in cells]
            in_head = tr.find_parent("thead") is not None
            if header is None and (in_head or all(c.name == "th" for c in cells)):
                header = texts
                continue
            if any(t.strip() for t in texts):
                self.blocks.append(RawBlock("table_row", " | ".join(texts), header=header, cells=texts))


def _children_before(item: Tag, stop: Tag) -> list[Tag | NavigableString]:
    """The descendants of ``item`` that come before ``stop`` in document order, as top-level pieces."""
    pieces: list[Tag | NavigableString] = []
    for child in item.children:
        if child is stop or (isinstance(child, Tag) and stop in child.descendants):
            break
        pieces.append(child)
    return pieces


def parse_html(html: str | bytes, select: str | list[str] | None = None, remove: str | list[str] | None = None,
               where: str = "page") -> ParsedDocument:
    """Read an HTML page (or fragment) into a :class:`ParsedDocument`.

    Inputs: the page; ``select``: CSS selector(s) of the document's part(s), in document order (all of the
    body when omitted); ``remove``: CSS selector(s) of parts to drop first; ``where``: a URL or path for
    error messages. Raises :class:`PolicycheckError` when a ``select`` selector matches nothing.
    """
    soup = BeautifulSoup(html, "lxml")
    for selector in _as_selectors(remove):
        for node in soup.select(selector):
            node.decompose()
    roots: list[Tag] = []
    for selector in _as_selectors(select):
        found = soup.select(selector)
        if not found:
            raise PolicycheckError(where, f"selector {selector!r} matches nothing in the page")
        roots.extend(found)
    if not roots:
        roots = [soup.body or soup]
    walker = _Walker()
    for root in roots:
        walker.walk(root)
    return assemble(walker.blocks)
