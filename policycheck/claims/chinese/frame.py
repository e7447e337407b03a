"""What the Chinese rules share: the state of a block being read (:class:`BlockState`), verb groups
(:class:`Group`) and the frame of one sentence (:class:`SentenceFrame`): its view, conditions, purposes, scope
statements, feature, predicates and the claims made so far, which :mod:`.verbs` fills in.

The Chinese twin of :mod:`policycheck.claims.english.frame`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from policycheck.claims.chinese.actors import Party
from policycheck.claims.chinese.clauses import SentenceView
from policycheck.claims.chinese.conditions import (
    Span,
    condition_text,
    data_subject,
    modality,
    purpose_text,
    qualifier,
)
from policycheck.claims.chinese.enumerations import LEXICON, Item, read_object
from policycheck.claims.chinese.heads import FALLBACK, HEAD_WORD, Typed
from policycheck.claims.chinese.lexicon import Verb
from policycheck.claims.chinese.scope import ScopeStatement
from policycheck.claims.model import ClaimDraft, DefinedTerm
from policycheck.ontology import Ontology

ROOT_DATA_TYPE = "personal_information"


@dataclass
class Group:
    """A verb group (收集、使用): its verbs in order and, for 将/对 X V, the span of X."""

    verbs: list[Verb]
    preposed: tuple[int, int] | None = None  # object before the verb (将/对 X V)

    @property
    def start(self) -> int:
        return self.verbs[0].start

    @property
    def end(self) -> int:
        return self.verbs[-1].end

    @property
    def actions(self) -> list[str]:
        return list(dict.fromkeys(v.action for v in self.verbs))

    def has(self, words: list[str]) -> bool:
        """True when one of the group's verbs is one of ``words``."""
        return any(v.text in words for v in self.verbs)


@dataclass
class BlockState:
    """What earlier sentences of the block (and the clause's opening) established."""

    first_party: str
    clause_context: str | None = None
    earlier: list[Typed] = field(default_factory=list)  # data types of earlier in-scope claims
    objects: int = 0  # objects read so far (typed or not): an anaphor after untyped ones stands for those
    last_negated: bool = False  # of the previous predicate: 不会提供……，或将其用于…… shares its negation
    lead_in: list[Typed] = field(default_factory=list)  # data types of the clause opening's claims
    item_recipient: str | None = None  # entity of a recipient list's item (关联公司。……): a share verb's recipient
    announced: list[ClaimDraft] = field(default_factory=list)  # practices on data a list will name (以下信息：)
    listing: bool = False  # announced by a sentence of this block: its ；-separated items end at the next 。
    list_subject: Party | None = None  # subject of a ；-list of predicates after a colon (SDK可能会：收集……；获取……)
    list_negated: bool = False  # a ；-list of predicates after a negated colon (我们不会：出售……；提供……)
    disabled: frozenset[str] = frozenset()  # phenomena switched off (claims/phenomena.py)


@dataclass
class SentenceFrame:
    """One sentence being read: everything the verb rules need about it, and the claims made so far."""

    sv: SentenceView
    state: BlockState
    onto: Ontology
    conditions: list[Span]
    purposes: list[Span]
    scopes: list[ScopeStatement]
    context: str | None
    predicates: list[Group] = field(default_factory=list)
    made: list[ClaimDraft] = field(default_factory=list)
    defined: list[DefinedTerm] = field(default_factory=list)

    @property
    def skip(self) -> list[Span]:
        """Spans whose verbs state no practice of their own (conditions and purposes)."""
        return self.conditions + self.purposes

    @property
    def first_party(self) -> str:
        return self.state.first_party

    def others(self, group: Group) -> list[Group]:
        return [g for g in self.predicates if g is not group]

    def following(self, group: Group) -> int | None:
        """Start of the predicate after ``group``, or None."""
        later = [g.start for g in self.predicates if g.start > group.start]
        return min(later) if later else None

    def antecedents(self, pos: int) -> list[Typed]:
        """Data types an anaphor at ``pos`` stands for: the claims made earlier in the sentence, else the data
        named in its conditions before ``pos``, else the claims of earlier sentences of the block, else of the
        clause's opening; after an object the ontology has no type for, nothing; else personal_information."""
        if "anaphora" in self.state.disabled:
            return []
        if self.made:
            return typed_claims(self.made)
        named: list[Typed] = []
        for c in self.conditions:
            if c.end <= pos:
                reading = read_object(self.sv, c.start, c.end, lambda _p: [])
                named += [Typed(i.data_type, i.basis) for i in reading.items
                          if i.data_type and self._names_data(i)]
        if not named:
            named = self._named_before(pos)
        for found in (named, self.state.earlier, self.state.lead_in):
            if found:
                return _first_of_each(found)
        if self.state.objects:
            return []  # it stands for data named before that the ontology has no type for
        return [Typed(ROOT_DATA_TYPE, FALLBACK)]

    def _named_before(self, pos: int) -> list[Typed]:
        """Data named by ontology names in the sentence's clauses before the one of ``pos`` that state no practice
        (我们仅在你的设备本地识别你的声纹，不会将其上传……: 其 is the voiceprint; round 12)."""
        clause_start = self.sv.clause_of(pos)[0]
        return [Typed(m.data, LEXICON) for m in self.sv.mentions_in(self.sv.start, clause_start, top_level=True)
                if m.data and not any(s.start <= m.start < s.end for s in self.skip)]

    def _names_data(self, item: Item) -> bool:
        """True when a condition's item names data: an ontology name, or a phrase ending in a data noun or a head
        noun (游戏账号信息, 操作记录). An event named by a bare operation (如发生合并、收购或资产出售) is the
        condition's circumstance, no data a later 你的信息 could stand for."""
        words = self.sv.text[item.start:item.end].rstrip()
        grammar = self.sv.lexicon.grammar
        return item.basis != HEAD_WORD or words.endswith((*grammar.data_nouns, *grammar.head_nouns))

    def claim(self, actor: str, action: str, negated: bool, data_text: str, data_type: str, verb_start: int,
              verb_end: int, gap_start: int, **fields: object) -> ClaimDraft:
        """A claim of this sentence, with the conditions before ``verb_start`` (and one closing the sentence), a
        denial's qualifier (主动), the purpose nearest ``verb_end``, the modality between ``gap_start`` and the verb
        and the sentence's subgroup (``data_subject``)."""
        sv = self.sv
        condition = condition_text(sv, self.conditions, verb_start, verb_end)
        if negated and (word := qualifier(sv, gap_start, verb_start)):
            condition = f"{word} {condition}" if condition else word  # 我们不会主动共享……: not unconditional
        values: dict[str, object] = {
            "context": self.context, "purpose": purpose_text(sv, self.purposes, verb_end),
            "modality": modality(sv, gap_start, verb_start), "condition": condition,
            "data_subject": data_subject(sv)}
        values.update(fields)
        return ClaimDraft(sv.start, sv.end, sv.sentence, actor, action, negated, data_text, data_type,
                          **values)  # type: ignore[arg-type]


def typed_claims(claims: list[ClaimDraft]) -> list[Typed]:
    """The data types (and how each was found) of the in-scope claims, first occurrence of each type."""
    return _first_of_each([Typed(c.data_type, c.data_basis) for c in claims if c.scope == "in_scope"])


def _first_of_each(found: list[Typed]) -> list[Typed]:
    seen: dict[str, Typed] = {}
    for t in found:
        seen.setdefault(t.data_type, t)
    return list(seen.values())
