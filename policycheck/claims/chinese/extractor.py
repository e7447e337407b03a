"""The Chinese claim extractor: blocks of the Weixin guidelines (or any Chinese policy) -> data-practice claims.

Per block: find ontology names (:mod:`.lexicon`), words (:mod:`.segmentation`), sentences; per sentence its
conditions and purposes (:mod:`.conditions`), its feature (:mod:`.context`) and scope statements, then a
:class:`~.frame.SentenceFrame` whose predicates (收集、使用 …) :mod:`.verbs` reads into claims, with subject and
recipient (:mod:`.actors`), negation (:mod:`.negation`) and object items (:mod:`.enumerations`). The method
follows the rule-based extractors of the field (PolicyLint, Andow et al. 2019; PoliGraph, Cui et al. 2023):
verb lexicon + ontology phrases + syntax, here with Chinese-specific syntax rules instead of an English
dependency parse (there is no Chinese parser that runs offline in this stack).

A list item's lead-in decides what the item can state: under a lead-in announcing data (我们会收集以下信息：) the
item's data gets the lead-in's practices; under an exceptions lead-in (以下情形……：, ……除外：) or an instruction
(5.1.1 查阅头像……：, 删除聊天记录：) the item is a case or a step and states nothing; under a lead-in that shares
with recipients the item that names one receives the lead-in's sharing, and under one that announces places
(传输至以下地点：) each place item gets the lead-in's practices (:meth:`ChineseExtractor._recipient_item`).

Anaphors (上述信息, 该等信息, 相关信息, 其) stand for the data named earlier: by earlier claims of the same
sentence, else in its conditions (当你授权……使用你的游戏账号信息……，我们将……收集、使用该等信息), else by the claims of
earlier sentences of the block, else of the clause's opening sentence (``lead_in``); after an object the ontology
has no type for, for nothing; with nothing before, for personal_information.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property

from spacy.language import Language

from policycheck.claims.chinese import tables, verbs
from policycheck.claims.chinese.clauses import SentenceView
from policycheck.claims.chinese.conditions import condition_spans, condition_text, purpose_spans
from policycheck.claims.chinese.context import Context, resolve, sentence_context
from policycheck.claims.chinese.frame import ROOT_DATA_TYPE, BlockState, SentenceFrame, typed_claims
from policycheck.claims.chinese.heads import FALLBACK, HEAD_WORD
from policycheck.claims.chinese.lexicon import GRAMMAR_FILE, Lexicon, Mention, load_grammar
from policycheck.claims.chinese.scope import hand_off, own_terms_parties, scope_statements
from policycheck.claims.chinese.segmentation import (
    bracket_depths,
    cjk_share,
    load_nlp,
    sentences,
    split_adverbs,
    tokens,
)
from policycheck.claims.model import BlockInput, BlockResult, ClaimDraft, DefinedTerm
from policycheck.claims.pipeline import FrontEnd, unique_claims, version_stamp
from policycheck.ontology import Ontology

EXTRACTOR_NAME = "zh-rules"
EXTRACTOR_VERSION = "2.22.0"  # bump when the rules change; the instance's version adds a hash of its word lists
MAX_SENTENCE = 1500  # characters; longer "sentences" are broken markup, counted as skipped
MIN_CJK = 0.3  # share of CJK characters below which a block is not Chinese text
_CLAUSE_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,3})+")


_WAYS = ("方式", "途径", "步骤", "方法", "路径", "渠道")  # 以下方式, 如下步骤: how the user can act
_OWN_MODALS = ("会", "将", "可能", "需要", "仅")  # 我们会……: the first party acting in an item of the user's steps


class ChineseExtractor(FrontEnd):
    """Rule-based Chinese front end (see the module docstring). ``extract`` never raises on odd text."""

    name = EXTRACTOR_NAME
    language = "zh"

    def __init__(self, onto: Ontology) -> None:
        self.onto = onto
        self.lexicon = Lexicon(onto, load_grammar())
        # the output depends on the rules, lexicon.yaml and mappings/: a change to either invalidates the cache
        self.version = version_stamp(EXTRACTOR_VERSION, [GRAMMAR_FILE.read_bytes(), *sorted(onto.files.values())])

    @cached_property
    def nlp(self) -> Language:
        """The jieba pipeline, loaded on first use (the version is known without it)."""
        return load_nlp(self.lexicon.user_words())

    # ------------------------------------------------------------------------------------------------ blocks
    def read(self, block: BlockInput) -> BlockResult:
        """Claims and defined terms of one block."""
        block = self.visible(block)
        state = BlockState(block.first_party, disabled=self.disabled)
        given: list[ClaimDraft] = []  # the lead-in's sharing, when the item names one of its recipients
        if block.lead_in and block.kind != "heading":
            opened = BlockState(block.first_party, disabled=self.disabled)
            opening = self._read(block.lead_in, opened, opening=True)
            state.clause_context = opening.context
            state.lead_in = typed_claims(opening.result.claims)
            state.announced = opened.announced if block.kind == "list_item" else []
            if block.kind == "list_item" and "lead_ins" not in self.disabled:
                state.item_recipient, given = self._recipient_item(block, opening.result.claims)
        is_opening = bool(_CLAUSE_NUMBER.match(block.text)) or not block.lead_in
        row = tables.plan(block, self.lexicon.grammar) if "tables" not in self.disabled else None
        reading = self._read(block.text, state, opening=is_opening, row=row)
        if row is not None and row.cells:  # 登录信息 | 数据自登录之日起保留3个月: a generic word (数据, 信息) in
            # another cell of the row is the row's data, which the row's own claims already state
            reading.result.claims = [c for c in reading.result.claims if row.start <= c.start < row.end
                                     or not (c.data_type == ROOT_DATA_TYPE and c.data_basis == FALLBACK)
                                     or c.action not in row.actions]  # (a purpose cell's 使用该等信息: its own use)
        if block.kind == "list_item" and block.lead_in and (
                any(cue in block.lead_in for cue in self.lexicon.grammar.exception_leads) or self._instructions(
                    block.lead_in) or self._user_ways(block.lead_in, block.text)):
            reading.result.claims = []  # 以下情形……：/……除外：: each item is a case, a condition of the lead-in;
            # 5.1.1 查阅头像……：: each item is a step of the user's
        if given and not any(c.action in ("share", "transfer") for c in reading.result.claims):
            first = sentences(block.text, bracket_depths(block.text)[0])[:1] or [(0, len(block.text))]
            start, end = first[0]
            reading.result.claims += [replace(c, start=start, end=end, sentence=block.text[start:end],
                                              recipient=state.item_recipient or c.recipient) for c in given]
        parties = own_terms_parties([block.text, block.lead_in or ""], self.lexicon, self.onto, block.first_party)
        if "scope" not in self.disabled:
            reading.result.claims = hand_off(reading.result.claims, parties, self.onto)
        if "head_words" in self.disabled:  # the ablation of head-word typing (claims/phenomena.py)
            reading.result.claims = [replace(c, data_type=ROOT_DATA_TYPE, data_basis=FALLBACK)
                                     if c.data_basis == HEAD_WORD else c for c in reading.result.claims]
        return reading.result

    def _recipient_item(self, block: BlockInput, opening: list[ClaimDraft]) -> tuple[str | None, list[ClaimDraft]]:
        """An item of a list of recipients: the lead-in shares or transfers data and opens the list with a colon
        (我们仅会在必要时与经过挑选的接收方共享你的信息，包括：), and the item opens with a party (关联公司。我们会……;
        监管机构、司法机关和执法机关; 代表我们提供服务的其他公司，……): the entity the item names (else a third party)
        receives what the lead-in gives, and the lead-in's sharing is the item's when the item states none itself
        (PolicyLint reads each recipient of such a list as a sharing of the lead-in's data, Andow et al. 2019).
        (None, []) for any other item."""
        if not block.lead_in.rstrip().endswith(("：", ":")):
            return None, []
        grammar = self.lexicon.grammar
        lead = block.lead_in
        if any(f"{c}{p}" in lead for c in grammar.cataphors for p in grammar.places):  # ……传输至以下地点：
            return None, [c for c in opening if c.scope == "in_scope"]  # each item is one of those places
        giving = [c for c in opening if c.action in ("share", "transfer") and c.scope == "in_scope"]
        if not giving and self._names_recipients(lead) and (
                "包括" in lead or any(c in lead for c in grammar.cataphors)):
            # 这些接收方类别包括：: a list of the recipients of the personal information the policy speaks of
            giving = [ClaimDraft(0, len(lead), lead, block.first_party, "share", False, "", ROOT_DATA_TYPE,
                                 data_basis=FALLBACK)]
        if not giving:
            return None, []
        text = block.text
        head_end = next((k for k, ch in enumerate(text) if ch in "。，,；;：:（("), len(text))
        head = text[:head_end].strip().split("、", 1)[0]  # the first recipient named
        party = next((m.entity for m in self.lexicon.mentions(head) if m.entity and m.end == len(head)), None)
        if party is None and not head.endswith(tuple(grammar.party_nouns)):
            return None, []  # 我们会……, 你可以……, 加拿大安大略省: no recipient named
        entity = self.onto.entities.get(party or "")
        if entity is not None and entity.attrs.get("kind") == "user":
            return None, []  # 其他用户: display to users, no sharing (README "claims", Chinese conventions)
        return party or "third_party", giving

    def _names_recipients(self, lead: str) -> bool:
        """True when the lead-in names recipients (这些接收方类别包括：): a ``table_roles`` recipient word outside a
        title that is the head of its phrase, not a modifier of a thing (我们接入的第三方SDK如下：, 第三方服务包括：
        list products or services, not whom data is given to; round 13)."""
        grammar = self.lexicon.grammar
        things = ("SDK", *grammar.table_roles["party"], *grammar.non_data_heads)
        opened = _title_opened(lead)
        for word in grammar.table_roles["recipient"]:
            at = lead.find(word)
            while at != -1:
                if not opened[at] and not lead.startswith(things, at + len(word)):
                    return True
                at = lead.find(word, at + 1)
        return False

    def _instructions(self, lead_in: str) -> bool:
        """True when a list's lead-in opens (after its clause number) with a user's action: its items are steps."""
        number = _CLAUSE_NUMBER.match(lead_in)
        pos = number.end() if number else 0
        while pos < len(lead_in) and lead_in[pos] in " \t、.．":
            pos += 1
        return self.lexicon.phrase_at(lead_in, pos, "user_actions") is not None

    @staticmethod
    def _opens_with_data(sv: SentenceView) -> bool:
        """True when the sentence opens with a data name (its list item's label or data: 你的手机号码，用于……)."""
        start = sv.skip_connectors(sv.start)
        if sv.text.startswith(("你的", "您的"), start):
            start += 2
        mention = sv.mention_at(start)
        return mention is not None and bool(mention.data)

    def _user_ways(self, lead_in: str, item: str) -> bool:
        """True when a lead-in with the user as its subject announces the ways the user can act (你可以通过以下方式
        联系我们：, 您可以按照如下步骤删除……：; round 15): its items are the user's steps, unless the user gives
        data to the service (你可以通过以下方式向我们提供……：) or the item has the first party act (我们会记录……)."""
        grammar = self.lexicon.grammar
        if self.lexicon.phrase_at(lead_in, 0, "user") is None or any(v in lead_in for v in grammar.user_gives):
            return False
        if any(f"{p}{m}" in item for p in grammar.first_party for m in _OWN_MODALS):
            return False
        return any(f"{c}{w}" in lead_in for c in grammar.cataphors for w in _WAYS)

    @dataclass
    class _Reading:
        result: BlockResult
        context: str | None

    def _read(self, text: str, state: BlockState, opening: bool,
              row: tables.RowPlan | None = None) -> ChineseExtractor._Reading:
        result = BlockResult()
        depth, quoted = bracket_depths(text)
        spans = sentences(text, depth)
        if row is not None and row.cells:  # a table row: every cell is read on its own, but a purpose cell
            # names a purpose (语音输入), no practice
            spans = [(max(s, a), min(e, b)) for a, b in row.cells if (a, b) not in row.purposes
                     for s, e in spans if s < b and a < e]
        result.sentences = len(spans)
        if cjk_share(text) < MIN_CJK:
            result.skipped = len(spans)
            return self._Reading(result, None)
        opened = _title_opened(text)
        mentions = [m for m in self.lexicon.mentions(text) if not _in_title(opened, m)]
        blocked = [False] * len(text)
        for m in mentions:
            for k in range(m.start, m.end):
                blocked[k] = True
        for k, q in enumerate(quoted):
            blocked[k] = blocked[k] or q
        for word in self.lexicon.grammar.retention_periods:  # 保存期限 is a noun, its 保存 no verb
            at = text.find(word)
            while at != -1:
                blocked[at:at + len(word)] = [True] * len(word)
                at = text.find(word, at + 1)
        words = split_adverbs(tokens(self.nlp, text), self.lexicon.grammar.manner_adverbs, self.lexicon.verb_actions)
        starts, ends = {t.start for t in words}, {t.end for t in words}
        # a verb inside a longer word is none (使用权, 处理器)
        practice_verbs = [v for v in self.lexicon.verbs(text, blocked) if v.start in starts and v.end in ends]
        first_context: str | None = None
        for index, (start, end) in enumerate(spans):
            if end - start > MAX_SENTENCE:
                result.skipped += 1
                continue
            sv = SentenceView(text, start, end, depth, quoted, mentions,
                              [v for v in practice_verbs if start <= v.start and v.end <= end], words, self.lexicon)
            stated = row is not None and any(a <= start < b for a, b in row.stated)
            earlier, state.earlier = state.earlier, ([] if stated else state.earlier)  # a purpose cell's anaphor
            # has nothing named before it in its own cell (zh23; tests/gold/claims_zh_translated2.yaml)
            claims, defined, ctx = self._sentence(sv, state, row if row and start <= row.start < end else None)
            state.earlier = earlier
            if index == 0 and opening:
                first_context = ctx.feature if ctx.own else ctx.weak
                if state.clause_context is None:
                    state.clause_context = first_context
            result.claims += claims
            result.defined_terms += defined
            state.earlier += [] if stated else typed_claims(claims)
            if not text[start:end].rstrip().endswith(("；", ";")):
                state.list_subject, state.list_negated = None, False  # the full sentence (and its list) ends here
                if state.listing:
                    state.announced, state.listing = [], False
        return self._Reading(result, state.clause_context if not opening else first_context)

    # --------------------------------------------------------------------------------------------- sentences
    def _sentence(self, sv: SentenceView, state: BlockState,
                  row: tables.RowPlan | None) -> tuple[list[ClaimDraft], list[DefinedTerm], Context]:
        conditions = condition_spans(sv)
        purposes = purpose_spans(sv)
        scopes = scope_statements(sv, state.first_party, self.onto) if "scope" not in state.disabled else []
        ctx = sentence_context(sv, conditions, self.onto, scopes)
        feature = resolve(ctx, state.clause_context) if "context" not in state.disabled else None
        frame = SentenceFrame(sv, state, self.onto, conditions, purposes, scopes, feature)
        claims = [ClaimDraft(sv.start, sv.end, sv.sentence, scope.entity, "collect", False, scope.topic,
                             ROOT_DATA_TYPE, scope.feature or frame.context,
                             condition=condition_text(sv, conditions, scope.start), scope="excluded",
                             data_basis="fallback")  # the words name a feature, no data: the root
                  for scope in scopes]
        if row is None or not row.cells or not (row.start <= sv.start and sv.end <= row.end):
            frame.predicates = verbs.predicates(sv, frame.skip, scopes)
        # else a table row's data cell: its verbs name data (应用使用时长, 页面访问记录), the header the practice
        for group in frame.predicates:
            frame.made += verbs.claims_of(frame, group)
        frame.made += verbs.period_claims(frame)
        placed = verbs.instrument_claims(frame) if row is None else []
        if placed:  # 我们会使用Cookie: collecting what the instrument holds, not a use of it (README "claims")
            instruments = set(self.lexicon.grammar.instrument_types)
            frame.made = [c for c in frame.made if not (c.action == "use" and c.data_type in instruments)] + placed
        if state.announced and row is None and (not frame.made or self._opens_with_data(sv)):
            frame.made += verbs.announced_claims(frame)  # (你的手机号码，用于……: the item's own use of the data
            # the lead-in collects does not replace the lead-in's practice; round 15)
        if row is not None:
            frame.made += tables.claims(frame, row)
        # the block's state sees the sentence's claims as they will be stored
        return unique_claims(claims + frame.made), frame.defined, ctx


def _title_opened(text: str) -> list[bool]:
    """Per character: True when the nearest 《 or 》 at or before it (a 》 only strictly before it) is a 《: the
    character is inside a document title 《…》 (one pass, so a block's many names cost time linear in its text)."""
    opened = [False] * len(text)
    inside = False
    for k, ch in enumerate(text):
        if ch == "《":
            inside = True
        opened[k] = inside
        if ch == "》":
            inside = False
    return opened


def _in_title(opened: list[bool], m: Mention) -> bool:
    """True for a name inside a document title 《…》 (《第三方信息共享清单》 names no practice); ``opened``:
    :func:`_title_opened` of the block text."""
    return opened[m.start] if m.start < len(opened) else False


def make_extractor(onto: Ontology) -> ChineseExtractor:
    """The Chinese front end for ``policycheck extract`` (``pipeline.FRONT_ENDS['zh']``)."""
    return ChineseExtractor(onto)
