"""Rows: the practice a table row or a labelled paragraph states by its structure, not by a verb.

Two shapes of rows, both read through the row's header or lead-in, never through the words of one row:

- a table row (``BlockInput.kind == 'table_row'``, ``header``/``cells`` from the HTML or Markdown reader): the
  header gives each column a role (``lexicon.yaml`` ``table_roles``: data, retention, recipient, purpose);
  the data cell's items are the row's data. A table with a retention column (保存期限, 存储期限 ...) states
  ``retain``; with a recipient column, ``share``; with a purpose column, ``collect``;
- a labelled paragraph "手机号码：……" or list item under a lead-in, clause title or section that speaks of
  storage periods (``retention_periods``: 2.2 信息存储的期限 / "我们仅在……保存期限内保留你的个人信息，例如：")
  states ``retain`` of the data its label names. The plain-text reader gives such a paragraph its clause's
  first sentence (here the clause title) as ``lead_in``; list items get the sentence before the list.

The row's own sentences are read as usual besides (我们需要一直保存你的手机号码 is a claim of its own).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policycheck.claims.chinese.enumerations import ANAPHOR, item_words, read_object
from policycheck.claims.chinese.frame import SentenceFrame
from policycheck.claims.chinese.lexicon import Grammar
from policycheck.claims.model import BlockInput, ClaimDraft

_LABEL = re.compile(r"^\s*([^，。；：:,;！？\n]{1,15})[：:]\s*\S")
_ROLE_ACTIONS = (("retention", "retain"), ("recipient", "share"), ("purpose", "collect"))


@dataclass(frozen=True)
class RowPlan:
    """The data span ``[start, end)`` of a row in its block text, the action the row states and, for a sharing
    table, the span of its recipient cell."""

    start: int
    end: int
    action: str
    recipient: tuple[int, int] | None = None
    cells: tuple[tuple[int, int], ...] = ()  # of a table row: each cell's span, read as text on its own


def plan(block: BlockInput, grammar: Grammar) -> RowPlan | None:
    """What the row ``block`` states by its structure, or None for a block that is no row of a known kind."""
    if block.kind == "table_row" and block.cells:
        return _table_row(block, grammar)
    if block.kind not in ("paragraph", "list_item"):
        return None
    match = _LABEL.match(block.text)
    if match is None:
        return None
    where = " ".join([block.lead_in or "", block.section_path])
    if not any(cue in where for cue in grammar.retention_periods):
        return None
    return RowPlan(match.start(1), match.end(1), "retain")


def column_roles(header: tuple[str, ...], grammar: Grammar) -> list[str | None]:
    """The role of each column from its header cell (the first role whose words the cell contains)."""
    out: list[str | None] = []
    for cell in header:
        out.append(next((role for role, words in grammar.table_roles.items() if any(w in cell for w in words)),
                        None))
    return out


def _table_row(block: BlockInput, grammar: Grammar) -> RowPlan | None:
    cells = list(block.cells or ())
    roles = column_roles(tuple(block.header), grammar) if block.header else [None] * len(cells)
    where = " ".join([block.lead_in or "", block.section_path])
    action = next((a for role, a in _ROLE_ACTIONS if role in roles), None)
    if any(cue in where for cue in grammar.retention_periods):
        action = "retain"
    if action is None:
        return None
    column = roles.index("data") if "data" in roles else 0
    spans: list[tuple[int, int]] = []
    pos = 0
    for cell in cells:
        at = block.text.find(cell, pos)
        if at == -1:
            return None
        spans.append((at, at + len(cell)))
        pos = at + len(cell)
    if column >= len(spans) or not cells[column].strip():
        return None
    recipient = spans[roles.index("recipient")] if action == "share" and "recipient" in roles else None
    return RowPlan(*spans[column], action, recipient, tuple(spans))


def claims(f: SentenceFrame, row: RowPlan) -> list[ClaimDraft]:
    """The row's claims: the first party performs the row's action on every item of its data span (in the
    sentence ``f``); a sharing row's recipient is the party its recipient cell names, else a third party."""
    sv = f.sv
    end = min(row.end, sv.end)
    reading = read_object(sv, row.start, end, f.antecedents)
    recipient = None
    if row.action == "share":
        named = [m.entity for m in sv.mentions if m.entity and row.recipient
                 and row.recipient[0] <= m.start < row.recipient[1]]
        recipient = named[0] if named else "third_party"
    out = [f.claim(f.first_party, row.action, False, item_words(sv, i.start, i.end), i.data_type, row.start, end,
                   row.start, recipient=recipient, data_basis=i.basis)
           for i in reading.items if i.data_type and i.data_type != ANAPHOR]
    if out:
        f.defined.extend(reading.defined)
    return out
