"""The structure every policy text is reduced to, whatever its format: ordered blocks and a normalized text.

A :class:`ParsedDocument` is built from a list of :class:`RawBlock` (what a format reader found) by
:func:`assemble`, which assigns section paths and list lead-ins and renders the *normalized text*: one block
after another, list items prefixed ``- `` (indented two spaces per nesting level), table rows as cells joined
by `` | ``, blocks separated by a blank line (consecutive list items and table rows by a single newline). Each
block's ``start``/``end`` are character offsets into that text, so ``text[start:end] == block.text``. Two
captures are the same policy version exactly when their normalized texts are equal.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from policycheck.errors import PolicycheckError

BLOCK_KINDS = ("heading", "paragraph", "list_item", "table_row")
CLAUSE_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,3})+)(?=[\s\u3000]|[^\d.\s])")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_SENTENCE_END = re.compile(r"(?<=[.!?;:。！？；：])[\"'”’)）]*\s+|(?<=[。！？；：])")
# A period after these ends no sentence: company forms and titles ("Tencent International Service Pte. Ltd
# (located in Singapore)"), initials ("B.V.", "U.S."), "e.g."/"i.e.".
_ABBREVIATION = re.compile(r"(?:\b(?:Pte|Ltd|Inc|Co|Corp|Plc|LLC|Jr|Sr|Mr|Mrs|Ms|Dr|St)|(?:\b[A-Za-z]\.)+[A-Za-z]"
                           r"|\be\.g|\bi\.e)\.$")


def clean_text(text: str) -> str:
    """Normalize whitespace inside a block: NFC, no invisible characters, runs of spaces collapsed,
    line breaks kept (stripped around), no leading/trailing space. Chinese punctuation is kept as written."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(line for line in lines if line)


def last_sentence(text: str) -> str:
    """The last sentence of ``text`` (English or Chinese punctuation), used as a list's lead-in."""
    text = text.strip()
    parts: list[str] = []
    for part in _SENTENCE_END.split(text.rstrip(":：").rstrip()):
        if parts and _ABBREVIATION.search(parts[-1].rstrip()):
            parts[-1] = f"{parts[-1]} {part}"  # not a sentence end: "Pte. Ltd", "B.V. and"
        elif part and part.strip():
            parts.append(part)
    if not parts:
        return text
    tail = parts[-1].strip()
    return tail + text[len(text.rstrip(":：")):] if text.endswith((":", "：")) else tail


@dataclass
class RawBlock:
    """A block as a reader found it, before section paths, lead-ins and offsets are assigned.

    ``level``: heading level 1-6 (7 for a paragraph that is entirely bold and short, a sub-heading by
    appearance), list nesting depth (1-based) for list items. ``parent_text``: for a nested list item, the
    text of the item it is nested in (its lead-in). ``header``/``cells``: table header and row cells.
    """

    kind: str
    text: str
    level: int | None = None
    parent_text: str | None = None
    header: list[str] | None = None
    cells: list[str] | None = None


@dataclass
class Block:
    """One block of a version: see the ``blocks`` table in README.md."""

    ordinal: int
    kind: str
    level: int | None
    section_path: str
    text: str
    start: int
    end: int
    lead_in: str | None = None
    header: list[str] | None = None
    cells: list[str] | None = None


@dataclass
class ParsedDocument:
    """A policy text reduced to blocks. ``text`` is the normalized text; ``title`` its first heading."""

    title: str | None
    text: str
    blocks: list[Block] = field(default_factory=list)

    def headings(self) -> list[str]:
        return [b.text for b in self.blocks if b.kind == "heading"]


def _render_prefix(raw: RawBlock) -> tuple[str, str]:
    if raw.kind == "list_item":
        return "  " * ((raw.level or 1) - 1) + "- ", ""
    return "", ""


MAX_BLOCKS = 20_000  # blocks of one policy text; the longest real policies have about 400 (extraction: ~1.5 ms each)


def assemble(raws: list[RawBlock], where: str = "page") -> ParsedDocument:
    """Turn reader output into a :class:`ParsedDocument`. ``where`` (file or URL) names the text in the error raised
    (:class:`PolicycheckError`) when it has more than :data:`MAX_BLOCKS` non-empty blocks: no policy is that long,
    and extracting it would take minutes and gigabytes (a 15 MB text of 300,000 paragraphs: 7 minutes, 1.9 GB).

    Section paths: the stack of enclosing headings (the document title, a first level-1 heading, is left
    out) plus, inside a numbered clause (a paragraph starting ``1.6`` or ``2.1.3``), the clause number;
    joined by `` > ``. Lead-ins: a top-level list item gets the last sentence of the paragraph before its
    list; a nested item gets its parent item's text. Empty blocks are dropped.
    """
    for r in raws:
        r.text = clean_text(r.text)
    raws = [r for r in raws if r.text]
    if len(raws) > MAX_BLOCKS:
        raise PolicycheckError(where, f"{len(raws):,} blocks (paragraphs, list items, table rows, headings), more "
                                      f"than the {MAX_BLOCKS:,} policycheck reads in one text; not a policy text")
    for r in raws:
        if r.cells is not None:
            r.cells = [clean_text(c) for c in r.cells]
        if r.header is not None:
            r.header = [clean_text(c) for c in r.header]
    title = raws[0].text if raws and raws[0].kind == "heading" and raws[0].level == 1 else None
    stack: list[tuple[int, str]] = []
    clause: str | None = None
    pieces: list[str] = []
    blocks: list[Block] = []
    offset = 0
    previous: RawBlock | None = None
    lead_in: str | None = None
    for raw in raws:
        if raw.kind == "heading":
            level = raw.level or 1
            if not (raw is raws[0] and title is not None):
                while stack and stack[-1][0] >= level:
                    stack.pop()
                stack.append((level, raw.text))
            clause = None
        elif raw.kind == "paragraph":
            match = CLAUSE_NUMBER.match(raw.text)
            if match:
                clause = match.group(1)
        path = " > ".join([t for _, t in stack] + ([clause] if clause and raw.kind != "heading" else []))
        if raw.kind == "table_row" and (previous is None or previous.kind != "table_row"):
            lead_in = last_sentence(previous.text) if previous is not None and previous.kind == "paragraph" else None
        if raw.kind == "list_item":
            if raw.parent_text:
                lead_in = last_sentence(clean_text(raw.parent_text))
            elif previous is None or previous.kind != "list_item":
                lead_in = _new_list_lead_in(previous, blocks)
            elif (previous.level or 1) > (raw.level or 1) or previous.parent_text:
                lead_in = _top_level_lead_in(blocks)
        tight = previous is not None and raw.kind == previous.kind and raw.kind in ("list_item", "table_row")
        separator = "" if previous is None else ("\n" if tight else "\n\n")
        prefix, suffix = _render_prefix(raw)
        start = offset + len(separator) + len(prefix)
        pieces.append(separator + prefix + raw.text + suffix)
        offset = start + len(raw.text) + len(suffix)
        blocks.append(Block(len(blocks), raw.kind, raw.level, path, raw.text, start, start + len(raw.text),
                            lead_in if raw.kind in ("list_item", "table_row") else None, raw.header, raw.cells))
        previous = raw
    return ParsedDocument(title, "".join(pieces), blocks)


def _top_level_lead_in(blocks: list[Block]) -> str | None:
    """Lead-in of the list the last top-level list item belongs to (after a nested list closes)."""
    for block in reversed(blocks):
        if block.kind == "list_item" and (block.level or 1) == 1:
            return block.lead_in
        if block.kind != "list_item":
            return None
    return None


def _new_list_lead_in(previous: RawBlock | None, blocks: list[Block]) -> str | None:
    """Lead-in of a list that starts after ``previous``: the last sentence of a paragraph just before it,
    or, when a table interrupted a list (the list resumes after the table), that list's lead-in."""
    if previous is None:
        return None
    if previous.kind == "paragraph":
        return last_sentence(previous.text)
    if previous.kind == "table_row":
        before_table = blocks[:_table_start(blocks)]
        if before_table and before_table[-1].kind == "list_item":
            return _top_level_lead_in(before_table)
    return None


def _table_start(blocks: list[Block]) -> int:
    """Ordinal of the first row of the table that ends ``blocks``."""
    start = len(blocks)
    while start > 0 and blocks[start - 1].kind == "table_row":
        start -= 1
    return start
