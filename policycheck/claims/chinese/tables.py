"""Rows: the practice a table row or a labelled paragraph states by its structure, not by a verb.

Two shapes of rows, both read through the row's header or lead-in, never through the words of one row:

- a table row (``BlockInput.kind == 'table_row'``, ``header``/``cells`` from the HTML or Markdown reader): the
  header gives each column a role (``lexicon.yaml`` ``table_roles``: data, retention, recipient, party,
  purpose); the data cell's items are the row's data. What the row states follows from the header:
  - a data column headed by a practice verb (收集个人信息类型, 处理的个人信息) in a table of other parties (a
    recipient or party column: 第三方SDK目录, SDK名称 | 第三方主体 | 使用目的 | 收集个人信息类型) -> the row's party
    (the entity its party cell names, else a third party) performs that practice;
  - a recipient column (第三方名称 | 共享的个人信息 | 共享目的) -> the first party shares with the row's recipient;
  - otherwise the first party collects (a purpose column, or 收集 in the data header) and retains (a retention
    column: 保存期限, 存储期限 ...): 个人信息类型 | 使用目的 | 保存期限 states both;
- a labelled paragraph "手机号码：……" or list item under a lead-in, clause title or section that speaks of
  storage periods (``retention_periods``: 2.2 信息存储的期限 / "我们仅在……保存期限内保留你的个人信息，例如：")
  states ``retain`` of the data its label names. The plain-text reader gives such a paragraph its clause's
  first sentence (here the clause title) as ``lead_in``; list items get the sentence before the list.
  A table row under such a lead-in retains too; when its header has a purpose or retention column, the header
  decides as above and the lead-in adds retain (信息 | 处理目的 | 保存期限 under "……所列的保存期限": collect
  and retain; a retention cell that denies storage negates the retain; zh22).

A permissions table (权限名称 | 使用目的) states no data: its items are permissions. The row's own sentences are
read as usual besides (我们需要一直保存你的手机号码 is a claim of its own).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policycheck.claims.chinese.clauses import SentenceView
from policycheck.claims.chinese.enumerations import ANAPHOR, item_words, read_object
from policycheck.claims.chinese.frame import SentenceFrame
from policycheck.claims.chinese.lexicon import Grammar
from policycheck.claims.model import BlockInput, ClaimDraft

_LABEL = re.compile(r"^\s*([^，。；：:,;！？\n]{1,15})[：:]\s*\S")
_OWN_ACTIONS = ("collect", "use", "process", "retain")  # what a listed party can do itself (not share)


@dataclass(frozen=True)
class RowPlan:
    """The data span ``[start, end)`` of a row in its block text, the actions the row states, for a sharing
    table the span of its recipient cell, and for a table of parties acting themselves the span of the party."""

    start: int
    end: int
    actions: tuple[str, ...]
    recipient: tuple[int, int] | None = None
    cells: tuple[tuple[int, int], ...] = ()  # of a table row: each cell's span, read as text on its own
    party: tuple[int, int] | None = None  # the cell naming the party that performs the actions (SDK lists)
    purposes: tuple[tuple[int, int], ...] = ()  # the cells of purpose columns not read as sentences
    kept_nowhere: bool = False  # the retention cell denies storage (不在服务器保存): the row's retain is negated
    stated: tuple[tuple[int, int], ...] = ()  # purpose cells stating a practice of ours: read as text (zh23)


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
    return RowPlan(match.start(1), match.end(1), ("retain",))


def column_roles(header: tuple[str, ...], grammar: Grammar) -> list[str | None]:
    """The role of each column from its header cell (the first role whose words the cell contains). A cell whose
    head noun names no data (``non_data_heads``: 个人信息的使用规则, 收集信息的方式) holds text about the data, not
    data: it is no data column (its cells are read as sentences)."""
    out: list[str | None] = []
    for cell in header:
        role = next((role for role, words in grammar.table_roles.items() if any(w in cell for w in words)), None)
        if role == "data" and cell.strip().endswith((*grammar.non_data_heads, "说明")):
            role = None
        out.append(role)
    return out


def header_action(cell: str, grammar: Grammar) -> str | None:
    """The action of the practice verb a header cell names (收集个人信息类型 -> collect), the longest verb first."""
    found = [(len(word), action) for action, words in grammar.verbs.items() for word in words if word in cell]
    return max(found)[1] if found else None


def _table_row(block: BlockInput, grammar: Grammar) -> RowPlan | None:
    cells = list(block.cells or ())
    header = tuple(block.header) if block.header else ()
    roles = column_roles(header, grammar) if header else [None] * len(cells)
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
    gloss = cells[column].find("——")
    if gloss > 0:  # 聊天记录——用户之间的……通讯: a dash opens a gloss of the label, whose type covers it
        spans[column] = (spans[column][0], spans[column][0] + gloss)
    verb = header_action(header[column], grammar) if column < len(header) else None
    stated = tuple(span for span, cell, role in zip(spans, cells, roles, strict=False)
                   if role == "purpose" and _states_practice(cell, grammar))
    purposes = tuple(span for span, role in zip(spans, roles, strict=False) if role == "purpose" and span not in stated)
    party_column = next((i for i, r in enumerate(roles) if r in ("party", "recipient")), None)
    recipient = spans[roles.index("recipient")] if "recipient" in roles else None
    where = " ".join([block.lead_in or "", block.section_path])
    periods = any(cue in where for cue in grammar.retention_periods)
    if periods and "purpose" not in roles and "retention" not in roles:
        return RowPlan(*spans[column], ("retain",), None, tuple(spans), None, purposes, stated=stated)
    if verb in _OWN_ACTIONS and party_column is not None:  # SDK名称 | … | 收集个人信息类型: the party collects
        return RowPlan(*spans[column], (verb,), None, tuple(spans), spans[party_column], purposes, stated=stated)
    if recipient is not None:
        return RowPlan(*spans[column], ("share",), recipient, tuple(spans), None, purposes, stated=stated)
    actions = [a for a, present in (("collect", "purpose" in roles), (verb, verb is not None),
                                    ("retain", "retention" in roles or periods)) if present and a]
    if not actions:
        return None
    kept = [cells[i] for i, role in enumerate(roles) if role == "retention" and i < len(cells)]
    return RowPlan(*spans[column], tuple(dict.fromkeys(actions)), None, tuple(spans), None, purposes,
                   any(_denies_storage(cell, grammar) for cell in kept), stated)


_PERIOD_ENDS = ("不再", "停止")  # 注销后不再保存: the end of a retention period, not a denial


_CELL_MODALS = ("会", "将", "可能", "可")


def _states_practice(cell: str, grammar: Grammar) -> bool:
    """True when a purpose cell is a sentence with the first party as the subject of a modal (如提交了请求，我们会使用
    该等信息确认……; 我们会处理访问令牌，以便……): it states a practice of its own and is read as text, as the other
    cells are (the convention of tests/gold/claims_zh_translated2.yaml); a purpose phrase (语音输入, 用于……) is not
    (zh23)."""
    return any(f"{who}{modal}" in cell for who in grammar.first_party for modal in _CELL_MODALS)


def _denies_storage(cell: str, grammar: Grammar) -> bool:
    """True when a retention cell denies storage: a negation cue right before a retain verb, or before a place
    and then one (不保存, 不在服务器保存, 不会存储): as in a sentence, the data is not retained; 不再保存/停止保存
    after a time (注销后不再保存) ends a retention period and denies nothing."""
    verbs = tuple(grammar.verbs.get("retain", ()))
    for cue in (c for c in grammar.negations if c not in _PERIOD_ENDS):
        at = cell.find(cue)
        while at != -1:
            rest = cell[at + len(cue):]
            if rest.startswith(verbs) or (rest.startswith(("在", "于")) and any(v in rest[:20] for v in verbs)):
                return True
            at = cell.find(cue, at + 1)
    return False


def claims(f: SentenceFrame, row: RowPlan) -> list[ClaimDraft]:
    """The row's claims: its party (the entity its party cell names, else a third party) or the first party
    performs the row's actions on every item of its data span (in the sentence ``f``); a sharing row's
    recipient is the party its recipient cell names, else a third party."""
    sv = f.sv
    end = min(row.end, sv.end)
    reading = read_object(sv, row.start, end, f.antecedents)
    actor = f.first_party
    if row.party is not None:
        actor = _named_party(sv, row.party) or "third_party"
    recipient = None
    if "share" in row.actions:
        recipient = (_named_party(sv, row.recipient) if row.recipient else None) or "third_party"
    out = [f.claim(actor, action, action == "retain" and row.kept_nowhere, item_words(sv, i.start, i.end),
                   i.data_type, row.start, end, row.start,
                   recipient=recipient if action == "share" else None, data_basis=i.basis)
           for action in row.actions for i in reading.items if i.data_type and i.data_type != ANAPHOR]
    if out:
        f.defined.extend(reading.defined)
    return out


def _named_party(sv: SentenceView, span: tuple[int, int]) -> str | None:
    """The first entity named in ``span`` (a party or recipient cell), or None."""
    return next((m.entity for m in sv.mentions if m.entity and span[0] <= m.start < span[1]), None)
