"""HTML -> blocks, with beautifulsoup4. Markdown is read by rendering it to HTML first (see ``markdown.py``),
so a scraped page and an archived Markdown capture of the same document give the same blocks.

Open Terms Archive declarations name the part of a page that holds the document with CSS selectors
(``select``, a selector or list of selectors) and the parts to drop inside it (``remove``); see
https://docs.opentermsarchive.org/terms/reference/declaration/ .

The walk is iterative (explicit stacks, no recursion), so no page, however deeply nested, exhausts Python's
stack; content nested more than :data:`MAX_DEPTH` levels deep is refused with :class:`TooDeep`, a
:class:`PolicycheckError` naming the page.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Iterator

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, NavigableString, Tag, XMLParsedAsHTMLWarning

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
MAX_DEPTH = 256  # levels of elements the walk descends (containers, inline content, nested lists)
# start tags of a page, counted before it is parsed: a parsed element costs about 2 KB (BeautifulSoup), so 16 MB of
# '<li>a' (4 million elements) would need gigabytes; a long real policy page has a few thousand
MAX_ELEMENTS = 200_000
_START_TAG = re.compile(r"<[A-Za-z]")
_START_TAG_BYTES = re.compile(rb"<[A-Za-z]")


def _as_selectors(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


class TooDeep(PolicycheckError):
    """Elements nested deeper than :data:`MAX_DEPTH` inside the document's part of a page."""


def _too_deep(where: str) -> TooDeep:
    return TooDeep(where, f"elements nested more than {MAX_DEPTH} deep; not a page policycheck reads (a real "
                          "policy nests a few dozen levels)")


def _is_text(node: NavigableString) -> bool:
    """A text node that is page text (not a comment, doctype or declaration)."""
    return node.__class__.__name__ not in ("Comment", "Doctype", "Declaration")


def inline_text(node: Tag | NavigableString, stop: set[str] = LISTS | {"table"}, where: str = "page") -> str:
    """Text of an element's inline content: ``<br>`` becomes a newline, elements named in ``stop`` are
    skipped (nested lists and tables are blocks of their own), a block element inside inline content (a ``<p>``
    in an ``<li>``) ends a line. Iterative; raises :class:`TooDeep` below :data:`MAX_DEPTH` levels."""
    if isinstance(node, NavigableString):
        return str(node) if _is_text(node) else ""
    # Each frame: the element, its pieces so far, and an iterator over its children.
    frames: list[tuple[Tag, list[str], Iterator[Tag | NavigableString]]] = []

    def text_of(child: Tag | NavigableString) -> str | None:
        """The text of a leaf, or None when ``child`` is an element to descend into."""
        if isinstance(child, NavigableString):
            return str(child) if _is_text(child) else ""
        if child.name == "br":
            return "\n"
        if child.name in SKIP or child.name in stop or child.name == "img":
            return ""
        return None

    first = text_of(node)
    if first is not None:
        return first
    frames.append((node, [], iter(node.children)))
    while True:
        element, parts, children = frames[-1]
        child = next(children, None)
        if child is not None:
            text = text_of(child)
            if text is None:
                if len(frames) >= MAX_DEPTH:
                    raise _too_deep(where)
                frames.append((child, [], iter(child.children)))
            else:
                parts.append(text)
            continue
        frames.pop()
        text = "".join(parts)
        if not frames:
            return text
        if element.name not in INLINE and text and not text.endswith("\n"):
            text += "\n"
        frames[-1][1].append(text)


def _all_bold(node: Tag) -> bool:
    """True when every non-blank text inside ``node`` sits inside <b>/<strong>."""
    texts = [t for t in node.find_all(string=True) if t.strip()]
    return bool(texts) and all(any(p.name in BOLD for p in t.parents if p is not node) for t in texts)


class _Walker:
    """Turns the selected elements into blocks, walking the tree with explicit stacks (no recursion)."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.blocks: list[RawBlock] = []
        self.heading_level = 1
        self.inline_run: list[Tag | NavigableString] = []

    def text(self, node: Tag | NavigableString, stop: set[str] = LISTS | {"table"}) -> str:
        return inline_text(node, stop, self.where)

    def flush_inline(self) -> None:
        if not self.inline_run:
            return
        text = "".join(self.text(n) for n in self.inline_run)
        self.inline_run = []
        if text.strip():
            self.blocks.append(RawBlock("paragraph", text))

    def paragraph(self, node: Tag) -> None:
        text = self.text(node)
        if not text.strip():
            return
        flat = " ".join(text.split())
        if _all_bold(node) and len(flat) <= PSEUDO_HEADING_MAX and not flat.endswith((".", "。", ";", ",")):
            self.blocks.append(RawBlock("heading", text, level=min(self.heading_level + 1, 7)))
        else:
            self.blocks.append(RawBlock("paragraph", text))

    def walk(self, root: Tag) -> None:
        """Blocks of ``root``'s content in document order: containers (div, section, ...) are entered, runs of
        inline content become paragraphs."""
        stack: list[Iterator[Tag | NavigableString]] = [iter(root.children)]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
                self.flush_inline()  # a container's inline run ends with it
                continue
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
                self.blocks.append(RawBlock("heading", self.text(child), level=HEADINGS[name]))
            elif name == "p":
                self.paragraph(child)
            elif name in LISTS:
                self.list(child)
            elif name == "table":
                self.table(child)
            elif name != "hr":  # div, section, article, main, blockquote, dl, ... : containers
                if len(stack) >= MAX_DEPTH:
                    raise _too_deep(self.where)
                stack.append(iter(child.children))

    def list(self, node: Tag) -> None:
        """List items, nested lists after their item (depth = nesting level, lead-in = the parent item's text
        before its first nested list), tables inside items as rows."""
        # Frames: (items or nested blocks to visit, nesting depth, lead-in text for items at this depth).
        stack: list[tuple[Iterator[Tag], int, str | None]] = [(iter(node.find_all("li", recursive=False)), 1, None)]
        while stack:
            pieces, depth, parent_text = stack[-1]
            piece = next(pieces, None)
            if piece is None:
                stack.pop()
                continue
            if piece.name == "table":
                self.table(piece)
                continue
            if piece.name in LISTS:  # a nested list: its items one level deeper
                if len(stack) >= MAX_DEPTH:
                    raise _too_deep(self.where)
                stack.append((iter(piece.find_all("li", recursive=False)), depth, parent_text))
                continue
            own = self.text(piece)
            nested = self.nested_blocks(piece)
            before = own
            if nested:  # the item's text before its first nested list is the nested list's lead-in
                before = "".join(self.text(c) for c in _children_before(piece, nested[0]))
            self.blocks.append(RawBlock("list_item", own, level=depth, parent_text=parent_text))
            if nested:
                stack.append((iter(nested), depth + 1, before))

    def nested_blocks(self, item: Tag) -> list[Tag]:
        """The lists and tables inside a list item that belong to it (not to a list or table nested deeper)."""
        found: list[Tag] = []
        stack: list[Iterator[Tag | NavigableString]] = [iter(item.children)]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
            elif isinstance(child, Tag) and child.name in ("ul", "ol", "table"):
                found.append(child)
            elif isinstance(child, Tag) and child.name != "li":
                if len(stack) >= MAX_DEPTH:
                    raise _too_deep(self.where)
                stack.append(iter(child.children))
        return found

    def table(self, node: Tag) -> None:
        rows = [tr for tr in node.find_all("tr") if tr.find_parent("table") is node]
        header: list[str] | None = None
        for tr in rows:
            cells = [c for c in tr.find_all(["th", "td"]) if c.find_parent("tr") is tr]
            texts = [self.text(c, stop={"table"}) for c in cells]
            in_head = tr.find_parent("thead") is not None
            if header is None and (in_head or all(c.name == "th" for c in cells)):
                header = texts
                continue
            if any(t.strip() for t in texts):
                self.blocks.append(RawBlock("table_row", " | ".join(texts), header=header, cells=texts))


def _children_before(item: Tag, stop: Tag) -> list[Tag | NavigableString]:
    """The children of ``item`` that come before the one holding ``stop``, in document order."""
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
    error messages. Raises :class:`PolicycheckError` when a ``select`` selector matches nothing, and
    :class:`TooDeep` (a :class:`PolicycheckError`) when the selected content nests more than :data:`MAX_DEPTH`
    elements deep, has more than :data:`MAX_ELEMENTS` start tags, or runs the parser out of memory or stack
    (:func:`unparsable`).
    """
    try:
        return _parse_html(html, select, remove, where)
    except (MemoryError, RecursionError) as exc:
        raise unparsable(where, exc) from None


def unparsable(where: str, exc: BaseException) -> PolicycheckError:
    """The one-line error for a text a parser (lxml, markdown-it) could not hold in memory or stack: tens of
    thousands of nested elements, a table of 10,000 columns under an address-space limit (README "Bad input")."""
    return PolicycheckError(where, f"the parser ran out of {'stack' if isinstance(exc, RecursionError) else 'memory'}"
                                   " on this text (nesting or table too large); not a page policycheck reads")


def _parse_html(html: str | bytes, select: str | list[str] | None, remove: str | list[str] | None,
                where: str) -> ParsedDocument:
    tags = sum(1 for _ in (_START_TAG_BYTES if isinstance(html, bytes) else _START_TAG).finditer(html))
    if tags > MAX_ELEMENTS:
        raise PolicycheckError(where, f"{tags:,} elements, more than the {MAX_ELEMENTS:,} policycheck parses; not "
                                      "a policy page (a long real policy has a few thousand)")
    with warnings.catch_warnings():  # advice to the programmer, printed over many lines of stderr: not the user's
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)  # XHTML (an <?xml?> declaration): read as HTML
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)  # a page that is one URL or file name
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
    walker = _Walker(where)
    for root in roots:
        walker.walk(root)
    return assemble(walker.blocks, where)
