"""One sentence of a block, analysed once: its words, ontology mentions, verbs, brackets and comma clauses.

Every other module of the Chinese front end reads a :class:`SentenceView`; offsets are always into the block
text (so claims point back into it) and ``start``/``end`` bound the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from policycheck.claims.chinese.lexicon import Lexicon, Mention, Verb
from policycheck.claims.chinese.segmentation import Token, clauses

_MODAL_ADVERBS = "都也还均仍"  # before a modal, in its word or not (都会, 也将)
_SUBJECT_MODALS = ("可能会", "可能", "可以", "会", "将", "可", "需要", "应当", "应", "须")
_MAX_SUBJECT = 16  # characters of a subject noun phrase before its modal (该智能设备的制造商)
_NUMBER = re.compile(r"\d{1,2}(?:\.\d{1,3})*[.、．]?\s*")  # a clause number opening the sentence (1.44 , 3.)
CONNECTORS = ("但是", "但", "此外", "同时", "另外", "并且", "而且", "而", "且", "则", "那么", "就", "因此", "所以",
              "否则")
# (否则: 除非……，否则我们不会…… - the main clause after a condition opens with it)
DETERMINERS = ("该等", "该", "这些", "此类", "其他", "其它", "上述", "相关")
# 并/并且 opening a second predicate of the same subject (收集X并根据……处理, 由X收集，并……处理; round 19)
BING_JOINERS = ("并", "并且")


@dataclass
class SentenceView:
    """A sentence ``text[start:end]`` of a block with everything found in the whole block text."""

    text: str
    start: int
    end: int
    depth: list[int]
    quoted: list[bool]
    mentions: list[Mention]
    verbs: list[Verb]
    tokens: list[Token]
    lexicon: Lexicon
    clause_spans: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.clause_spans = clauses(self.text, self.start, self.end, self.depth)

    @property
    def sentence(self) -> str:
        return self.text[self.start:self.end]

    def outside(self, i: int) -> bool:
        """True when position ``i`` is outside every bracket, title and quote."""
        return self.depth[i] == 0

    def mentions_in(self, start: int, end: int, top_level: bool = False) -> list[Mention]:
        """Mentions inside ``[start, end)`` (only those outside brackets with ``top_level``)."""
        return [m for m in self.mentions
                if m.start >= start and m.end <= end and (not top_level or self.outside(m.start))]

    def mention_at(self, pos: int) -> Mention | None:
        for m in self.mentions:
            if m.start == pos:
                return m
        return None

    def token_at(self, pos: int) -> Token | None:
        for t in self.tokens:
            if t.start <= pos < t.end:
                return t
        return None

    def token_after(self, pos: int) -> Token | None:
        """The first word starting at or after ``pos``."""
        for t in self.tokens:
            if t.start >= pos:
                return t
        return None

    def last_token_before(self, pos: int, start: int) -> Token | None:
        """The last word ending at or before ``pos`` and starting at or after ``start`` (skips spaces)."""
        best = None
        for t in self.tokens:
            if t.start >= start and t.end <= pos and t.text.strip():
                best = t
        return best

    def clause_of(self, pos: int) -> tuple[int, int]:
        for s, e in self.clause_spans:
            if s <= pos < e or (pos == e and s < e):
                return s, e
        return self.start, self.end

    def skip_connectors(self, pos: int) -> int:
        """``pos`` moved past spaces and clause connectors (但是, 此外, 同时 ...)."""
        number = _NUMBER.match(self.text, pos)
        if number and pos == self.start:
            pos = number.end()
        moved = True
        while moved:
            moved = False
            while pos < self.end and self.text[pos].isspace():
                pos += 1
            for word in CONNECTORS:
                if self.text.startswith(word, pos):
                    pos += len(word)
                    moved = True
                    break
        return pos

    def starts_with_subject(self, pos: int, user: bool = True) -> bool:
        """True when the clause at ``pos`` opens with its own subject (我们, 你, an entity, 该第三方 ...) or 当.
        ``user=False`` leaves 你 out (a clause continuing a list often starts with 你的…/你在…的…)."""
        pos = self.skip_connectors(pos)
        if self.lexicon.phrase_at(self.text, pos, "first_party"):
            return True
        word = self.lexicon.phrase_at(self.text, pos, "user") if user else None
        if word:
            # 你打开应用程序的次数 is a noun phrase, 你可以…/你的头像…会 open a clause
            end = self.clause_of(pos)[1]
            rest = self.text[pos + len(word):end]
            first_list = min([i for i in (rest.find("、"), rest.find("和")) if i != -1], default=len(rest))
            own = rest[:first_list]
            for user_word in self.lexicon.grammar.words("user"):  # 你需要提供你的……: a later 你的 opens the
                own = own.replace(user_word + "的", "")  # object, no relative clause (round 19)
            return "的" not in own or rest.startswith("的")
        if self.text.startswith("当", pos):
            return True
        if self.text.startswith("当", pos):
            return True
        opening = pos
        for det in DETERMINERS:
            if self.text.startswith(det, pos):
                pos += len(det)
                break
        mention = self.mention_at(pos)
        return bool(mention and mention.entity) or self._party_noun_opening(opening)

    def _party_noun_opening(self, pos: int) -> bool:
        """True when the clause at ``pos`` opens with a noun phrase ending in a party noun (``party_nouns``) or an
        entity's name, or with 该/此 + a feature noun, right before a modal (该设备的制造商可能会……, 商家会……, 该应用
        的开发者将……, 该应用将……): the clause's own subject (zh22). Not a phrase a preposition opens (向商家……) or
        one with a clause mark inside."""
        end = self.clause_of(pos)[1]
        modal = next((t.start for t in self.tokens if pos < t.start < end and (
            t.text in _SUBJECT_MODALS or (t.text[:1] in _MODAL_ADVERBS and t.text[1:] in _SUBJECT_MODALS))),
            None)  # (a word: 应用 holds no modal 应)
        if modal is None or modal - pos > _MAX_SUBJECT:
            return False
        phrase = self.text[pos:modal].rstrip(_MODAL_ADVERBS)
        if phrase.startswith(tuple(self.lexicon.grammar.prepositions)):
            return False
        named = any(m.entity and m.end == pos + len(phrase) and m.start > pos for m in self.mentions)  # 该应用的开发者
        pointed = phrase.startswith(("该", "此")) and phrase.endswith((*self.lexicon.grammar.feature_nouns, "平台"))
        return phrase.endswith(tuple(self.lexicon.grammar.party_nouns)) or named or pointed  # 该应用将……
