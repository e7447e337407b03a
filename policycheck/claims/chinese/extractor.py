"""The Chinese claim extractor: blocks of the Weixin guidelines (or any Chinese policy) -> data-practice claims.

Per block: find ontology names (:mod:`.lexicon`), words (:mod:`.segmentation`), sentences; per sentence its
conditions and purposes (:mod:`.conditions`), its feature (:mod:`.context`), then every predicate verb group
(收集、使用 …) with its subject and recipient (:mod:`.actors`), negation (:mod:`.negation`) and object items
(:mod:`.enumerations`). One claim per (action, data type). The method follows the rule-based extractors of
the field (PolicyLint, Andow et al. 2019; PoliGraph, Cui et al. 2023): verb lexicon + ontology phrases +
syntax, here with Chinese-specific syntax rules instead of an English dependency parse (there is no Chinese
parser that runs offline in this stack).

Verb groups:
- a run of verbs joined by 、/和/及/并/或 (收集、使用并存储) is one group; a verb followed by 、/和/等 and a non-verb
  is a noun in a list (点赞、分享、评论) and no verb;
- a verb followed by 的 heads a relative clause (我们收集的信息, 你主动提供的信息), not a predicate;
- 将/把/对 X V (将境内收集的用户个人信息存储于…, 对上述信息进行自动分析) has its object X before the verb;
- a verb with no object after it takes the topic before it (群聊名称、群公告……等信息会存储在我们的服务器中;
  ……等信息将被收集);
- storage on the user's own device (存储在你的终端设备) is not a practice.
Anaphors (上述信息, 该等信息, 相关信息, 其) stand for the data named earlier: by earlier claims of the same
sentence, else in its conditions (当你授权……使用你的游戏账号信息……，我们将……收集、使用该等信息), else by the claims of
earlier sentences of the block, else of the clause's opening sentence (``lead_in``); after an object the ontology
has no type for, for nothing; with nothing before, for personal_information.
A coordinated predicate without its own subject shares the negation of the one before (我们不会对外提供……，
或将其用于……); collection from another source (从第三方获取) gives no claim (``claims`` has no source column).
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from policycheck.claims.chinese import actors
from policycheck.claims.chinese.clauses import SentenceView
from policycheck.claims.chinese.conditions import (
    Span,
    condition_spans,
    condition_text,
    modality,
    purpose_spans,
    purpose_text,
)
from policycheck.claims.chinese.context import Context, ScopeStatement, resolve, scope_statements, sentence_context
from policycheck.claims.chinese.enumerations import read_object
from policycheck.claims.chinese.lexicon import GRAMMAR_FILE, Lexicon, Mention, Verb, load_grammar
from policycheck.claims.chinese.negation import hedged, negated, refused, restricted
from policycheck.claims.chinese.segmentation import bracket_depths, cjk_share, load_nlp, sentences, tokens
from policycheck.claims.model import BlockInput, BlockResult, ClaimDraft, DefinedTerm
from policycheck.ontology import Ontology

log = logging.getLogger(__name__)

EXTRACTOR_NAME = "zh-rules"
EXTRACTOR_VERSION = "1"  # bump when the rules change; the instance's version adds a hash of its word lists
MAX_SENTENCE = 1500  # characters; longer "sentences" are broken markup, counted as skipped
MIN_CJK = 0.3  # share of CJK characters below which a block is not Chinese text
_CLAUSE_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,3})+")
_BA = ("将", "把", "对")
_PASSIVE = "被"
_GROUP_JOINERS = ("、", "和", "及", "并", "或", "与", "以及", "并且", "或者", "")


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


@dataclass
class BlockState:
    """What earlier sentences of the block (and the clause's opening) established."""

    first_party: str
    clause_context: str | None = None
    earlier: list[str] = field(default_factory=list)  # data types of earlier in-scope claims
    objects: int = 0  # objects read so far (typed or not): an anaphor after untyped ones stands for those
    last_negated: bool = False  # of the previous predicate: 不会提供……，或将其用于…… shares its negation
    lead_in: list[str] = field(default_factory=list)  # data types of the clause opening's claims


class ChineseExtractor:
    """Rule-based Chinese front end (see the module docstring). ``extract`` never raises on odd text."""

    name = EXTRACTOR_NAME
    version = EXTRACTOR_VERSION
    language = "zh"

    def __init__(self, onto: Ontology) -> None:
        self.onto = onto
        self.lexicon = Lexicon(onto, load_grammar())
        self.nlp = load_nlp(self.lexicon.user_words())
        # the output depends on the rules, lexicon.yaml and mappings/: a change to either invalidates the cache
        inputs = GRAMMAR_FILE.read_bytes() + "".join(sorted(onto.files.values())).encode()
        self.version = f"{EXTRACTOR_VERSION}.{hashlib.sha256(inputs).hexdigest()[:8]}"

    # ------------------------------------------------------------------------------------------------ blocks
    def extract(self, blocks: Sequence[BlockInput]) -> list[BlockResult]:
        """One :class:`BlockResult` per block, in order; a block that fails is logged and counted as skipped."""
        out = []
        for block in blocks:
            try:
                out.append(self.extract_block(block))
            except Exception:  # one odd block must not stop a version's extraction
                log.exception("Chinese extractor failed on a block of %s", block.section_path or "(no section)")
                out.append(BlockResult(sentences=1, skipped=1))
        return out

    def extract_block(self, block: BlockInput) -> BlockResult:
        """Claims and defined terms of one block."""
        state = BlockState(block.first_party)
        if block.lead_in and block.kind != "heading":
            opening = self._read(block.lead_in, BlockState(block.first_party), opening=True)
            state.clause_context = opening.context
            state.lead_in = [c.data_type for c in opening.result.claims if c.scope == "in_scope"]
        is_opening = bool(_CLAUSE_NUMBER.match(block.text)) or not block.lead_in
        reading = self._read(block.text, state, opening=is_opening)
        return reading.result

    @dataclass
    class _Reading:
        result: BlockResult
        context: str | None

    def _read(self, text: str, state: BlockState, opening: bool) -> ChineseExtractor._Reading:
        result = BlockResult()
        depth, quoted = bracket_depths(text)
        spans = sentences(text, depth)
        result.sentences = len(spans)
        if cjk_share(text) < MIN_CJK:
            result.skipped = len(spans)
            return self._Reading(result, None)
        mentions = [m for m in self.lexicon.mentions(text) if not _in_title(text, m)]
        blocked = [False] * len(text)
        for m in mentions:
            for k in range(m.start, m.end):
                blocked[k] = True
        for k, q in enumerate(quoted):
            blocked[k] = blocked[k] or q
        words = tokens(self.nlp, text)
        starts, ends = {t.start for t in words}, {t.end for t in words}
        # a verb inside a longer word is none (使用权, 处理器)
        verbs = [v for v in self.lexicon.verbs(text, blocked) if v.start in starts and v.end in ends]
        first_context: str | None = None
        for index, (start, end) in enumerate(spans):
            if end - start > MAX_SENTENCE:
                result.skipped += 1
                continue
            sv = SentenceView(text, start, end, depth, quoted, mentions,
                              [v for v in verbs if start <= v.start and v.end <= end], words, self.lexicon)
            claims, defined, ctx = self._sentence(sv, state)
            if index == 0 and opening:
                first_context = ctx.feature if ctx.own else ctx.weak
                if state.clause_context is None:
                    state.clause_context = first_context
            result.claims += claims
            result.defined_terms += defined
            state.earlier += [c.data_type for c in claims if c.scope == "in_scope"]
        return self._Reading(result, state.clause_context if not opening else first_context)

    # --------------------------------------------------------------------------------------------- sentences
    def _sentence(self, sv: SentenceView, state: BlockState) -> tuple[list[ClaimDraft], list[DefinedTerm], Context]:
        conditions = condition_spans(sv)
        purposes = purpose_spans(sv)
        skip = conditions + purposes
        scopes = scope_statements(sv, state.first_party, self.onto)
        ctx = sentence_context(sv, conditions, self.onto, scopes)
        context = resolve(ctx, state.clause_context)
        claims: list[ClaimDraft] = []
        defined: list[DefinedTerm] = []
        sentence = sv.sentence
        for scope in scopes:
            claims.append(ClaimDraft(sv.start, sv.end, sentence, scope.entity, "collect", False, scope.topic,
                                     "personal_information", scope.feature or context,
                                     condition=condition_text(sv, conditions, scope.start), scope="excluded"))
        groups = self._groups(sv, skip, scopes)
        predicates = [g for g in groups if not self._relative(sv, g)]
        # a verb right in another's object slot (分享可用于识别…的信息) belongs to the object
        predicates = [g for i, g in enumerate(predicates) if not (
            i and sv.text.endswith(("可", "能", "可以", "能够"), 0, g.start)
            and sv.clause_of(predicates[i - 1].end)[1] >= g.start
            and not any(p.start <= g.start < p.end for p in skip))]
        consumed: set[int] = set()
        for g in predicates:
            if g.preposed:
                consumed |= {id(h) for h in predicates if g.preposed[0] <= h.start < g.preposed[1]}
        predicates = [g for g in predicates if id(g) not in consumed]
        made: list[ClaimDraft] = []
        for i, group in enumerate(predicates):
            following = predicates[i + 1].start if i + 1 < len(predicates) else None
            made += self._claims_of(sv, group, following, conditions, purposes, skip, context, state, made, defined,
                                    [g for g in predicates if g is not group])
        claims += made
        return _dedupe(claims), defined, ctx

    def _groups(self, sv: SentenceView, skip: list[Span], scopes: list[ScopeStatement]) -> list[Group]:
        verbs = [v for v in sv.verbs if sv.outside(v.start) and not any(s.start <= v.start < s.end for s in skip)
                 and not any(s.verb_start == v.start for s in scopes)]
        ends = {v.end for v in sv.verbs}
        verbs = [v for i, v in enumerate(verbs) if not self._nominal(sv, v, verbs[i + 1:])
                 and not (sv.text[v.start - 1:v.start] in ("、", "和", "及") and v.start - 1 not in ends)]
        groups: list[Group] = []
        verbs = [Verb(v.start, v.end + 1, v.text, v.action) if sv.text[v.end:v.end + 1] in ("了", "过") else v
                 for v in verbs]
        for v in verbs:
            if groups and sv.text[groups[-1].end:v.start] in _GROUP_JOINERS:
                groups[-1].verbs.append(v)
            else:
                groups.append(Group([v]))
        for g in groups:
            g.preposed = self._preposed(sv, g, groups)
        return groups

    def _nominal(self, sv: SentenceView, verb: Verb, rest: list[Verb]) -> bool:
        """A verb followed by 、/和/及/等 and something other than a verb is a noun in a list (点赞、分享、评论);
        a verb followed by one plain noun and a list or clause end is a compound noun (使用范围, 处理规则)."""
        after = sv.text[verb.end:verb.end + 2]
        if verb.text in sv.lexicon.grammar.words("noun_verbs"):
            lex = sv.lexicon
            mention = sv.mention_at(verb.end)
            if not (lex.phrase_at(sv.text, verb.end, "user") or lex.phrase_at(sv.text, verb.end, "anaphors")
                    or lex.phrase_at(sv.text, verb.end, "first_party") or (mention and mention.data)):
                return True  # a noun without an object: 预约记录，相关记录进行……
        nxt_token = sv.token_after(verb.end)
        if nxt_token is not None and nxt_token.start == verb.end and (nxt_token.tag == "k" or nxt_token.text in "者方"):
            return True  # 处理者, 提供方: a noun with a suffix
        if nxt_token is not None and nxt_token.start == verb.end and nxt_token.tag.startswith("n") \
                and not sv.mention_at(nxt_token.start) and nxt_token.end < len(sv.text) \
                and sv.text[nxt_token.end] in "、，,。；;等（(和及" \
                and nxt_token.text not in sv.lexicon.grammar.words("pronouns"):
            return True
        if not after or after[0] not in "、和及与或等":
            return False
        if after[0] == "等":
            return True
        nxt = verb.end + 1
        return not any(v.start == nxt for v in rest)

    def _preposed(self, sv: SentenceView, group: Group, groups: list[Group]) -> tuple[int, int] | None:
        """The object of 将/把/对 X V before the group, when such a construction ends at this group."""
        sentence_start = sv.start
        purpose_verb = any(v.text in sv.lexicon.grammar.words("purpose_object") for v in group.verbs)
        if self._relative_at(sv, group.end) and not purpose_verb:
            return None
        for token in reversed(sv.tokens):
            if token.end > group.start or token.start < sentence_start:
                continue
            if token.text in _BA and sv.outside(token.start):
                nxt = sv.token_after(token.end)
                if nxt is None or nxt.start >= group.start:
                    return None
                if token.text == "对" and nxt.text in ("外",):
                    return None
                if token.text == "将" and not (nxt.tag.startswith(("n", "r", "s")) or sv.mention_at(nxt.start)):
                    return None
                # no other predicate between the object start and this verb, except relative ones
                between = [g for g in groups if token.end <= g.start < group.start]
                if any(not self._relative(sv, g) for g in between):
                    return None
                end = group.start
                for t in sv.tokens:
                    if token.end <= t.start < end and t.text in ("进行", "以", "予以", "加以"):
                        end = t.start
                        break
                return token.end, end
            if sv.text[token.start] in "。；":
                return None
        return None

    def _relative(self, sv: SentenceView, group: Group) -> bool:
        """True when the group heads a relative clause: a 的 follows it before any other verb or clause end
        (我们收集的信息, 使用应用程序的频率, SDK处理个人信息的目的), except when the 的 only joins a possessor
        to the object (收集你设备应用的安装卸载信息, 使用你在视频号等场景内的关注……记录, 填写好友的备注)."""
        if group.preposed:
            return False
        if any(v.text in sv.lexicon.grammar.words("purpose_object") for v in group.verbs):
            return sv.text.startswith("的", group.end)  # X用于Y的…: Y is a purpose, its 的 says nothing
        return self._relative_at(sv, group.end)

    def _relative_at(self, sv: SentenceView, k: int) -> bool:
        """The test of :meth:`_relative` for a verb ending at ``k``."""
        text = sv.text
        pronouns = sv.lexicon.grammar.words("pronouns")
        inside = {i for m in sv.mentions for i in range(m.start, m.end)}
        verbs_at = {t.start for t in sv.tokens if t.tag == "v" and t.start not in inside}
        preps_at = {t.start for t in sv.tokens if t.tag == "p" and t.start not in inside}
        data_before = False
        j = k
        while j < sv.end:
            if j in inside:
                data_before = data_before or any(m.start <= j < m.end and m.data for m in sv.mentions)
                j += 1
                continue
            if not sv.outside(j):
                j += 1
                continue
            if text[j] in "、，,；;。：:" or (j in verbs_at and j > k) or (j in preps_at and data_before):
                return False
            if text[j] == "的":
                before = sv.last_token_before(j, k)
                opener = sv.token_after(k)
                possessive = (before is not None and before.end == j and before.text in pronouns) or any(
                    m.end == j and (m.entity or m.data) for m in sv.mentions) or (
                    opener is not None and opener.start == k and opener.text in pronouns
                    and not any(k <= v < j for v in verbs_at))
                if possessive:
                    j += 1
                    continue  # 你的…, 你在视频号等场景内的…: a possessor inside the object
                if j == k:
                    return True
                head = next((m for m in sv.mentions if m.start > j and m.data), None)
                return head is None or head.start > j + 1
            j += 1
        return False

    # ------------------------------------------------------------------------------------------------ claims
    def _claims_of(self, sv: SentenceView, group: Group, following: int | None, conditions: list[Span],
                   purposes: list[Span], skip: list[Span], context: str | None, state: BlockState,
                   made: list[ClaimDraft], defined: list[DefinedTerm], others: list[Group]) -> list[ClaimDraft]:
        first_party = state.first_party
        if refused(sv, group.start) or hedged(sv, group.start):
            return []
        floor = None
        span = group.preposed or (group.end, self._object_end(sv, group, following, conditions, purposes, others))
        if _local(sv, group.start, group.end, span[1]):
            return []

        def anaphora(pos: int) -> list[str]:
            return self._antecedents(sv, pos, conditions, made, state)

        purpose_object = any(v.text in sv.lexicon.grammar.words("purpose_object") for v in group.verbs)
        reading = read_object(sv, span[0], span[1], anaphora) if not purpose_object or group.preposed \
            else read_object(sv, span[0], span[0], anaphora)
        if not reading.items and not group.preposed:
            topic = self._topic(sv, group, conditions, purposes, others, purpose_object)
            if topic:
                reading = read_object(sv, topic[0], topic[1], anaphora)
                floor = topic[1]
        if not reading.items:
            if sv.text[span[0]:span[1]].strip() and not sv.text.startswith(("在", "于", "给", "至"), span[0]):
                state.objects += 1  # an object the ontology has no type for: a later 上述信息 may mean it
            return []
        blocked = skip + ([Span(group.preposed[0], group.preposed[1], "object")] if group.preposed else [])
        who = actors.subject(sv, group.start, blocked, first_party, floor)
        actions = group.actions
        actor = who.entity or first_party
        to = None
        if any(a in ("share", "transfer") for a in actions):
            to = actors.recipient(sv, who.end if who.end <= group.start else sv.start, group.start, group.end,
                                  max(span[1], sv.clause_of(group.end)[1]), first_party)
            if to is None and any(v.text in sv.lexicon.grammar.words("sale") for v in group.verbs):
                to = actors.Party(actors.ENTITY, "third_party", group.start, group.start)
        if "collect" in actions and actors.source(sv, who.end if who.start < group.start else sv.start, group.start,
                                                  first_party) is not None:
            return []  # 从第三方获取: collection from another source says nothing about what the app sends
        if who.kind == actors.USER:
            gives = set(sv.lexicon.grammar.words("user_gives"))
            if not any(v.text in gives for v in group.verbs) or negated(sv, who.end, group.start, skip):
                return []
            if to is not None and to.kind != actors.FIRST:
                return []
            actor, actions, to = first_party, ["collect"], None
        claims = []
        found = who.start < group.start and who.kind != actors.USER
        gap_start = floor if floor is not None else (who.end if found else sv.clause_of(group.start)[0])
        is_negated = negated(sv, gap_start, group.start, blocked)
        clause_start = sv.skip_connectors(sv.clause_of(group.start)[0])
        own_subject = found and who.start >= sv.clause_of(group.start)[0]
        if not is_negated and not own_subject and sv.text.startswith(("或", "也", "亦", "且"), clause_start):
            is_negated = state.last_negated  # a coordinated predicate without its own subject
        state.last_negated = is_negated
        last_item = max((i.end for i in reading.items), default=group.end)
        if is_negated and restricted(sv, group.end, max(last_item, group.end), purpose_object):
            return []
        for action in actions:
            recipient = None
            if action in ("share", "transfer"):
                if to is None or to.kind == actors.USER:
                    continue
                if to.kind == actors.FIRST and who.kind != actors.FIRST:
                    continue
                recipient = to.entity if to.kind == actors.ENTITY else first_party
            for item in reading.items:
                if item.data_type is None:
                    continue
                claims.append(ClaimDraft(
                    sv.start, sv.end, sv.sentence, actor, action, is_negated, _phrase(sv, item.start, item.end),
                    item.data_type, context,
                    purpose=purpose_text(sv, purposes, group.end), modality=modality(sv, gap_start, group.start),
                    condition=condition_text(sv, conditions, group.start), recipient=recipient))
        if claims:
            defined += reading.defined
        return claims

    def _object_end(self, sv: SentenceView, group: Group, following: int | None, conditions: list[Span],
                    purposes: list[Span], others: list[Group]) -> int:
        """Where the object of ``group`` ends: the next predicate, clause-level condition or purpose in its
        clause; then following clauses that continue the list (data names, no verb or subject of their own)."""
        clause_starts = {sv.skip_connectors(s) for s, _ in sv.clause_spans}
        outer = [s for s in conditions if s.start in clause_starts] + purposes
        stops = [sv.end] + ([following] if following else [])
        stops += [s.start for s in outer if s.start >= group.end]
        clause_end = sv.clause_of(group.end)[1]
        stops += [t.start for t in sv.tokens if group.end < t.start < clause_end and sv.outside(t.start)
                  and t.text in sv.lexicon.grammar.words("recipient_after") and t.tag == "p"]
        stops += [t.start for t in sv.tokens if group.end + 1 < t.start < clause_end and sv.outside(t.start)
                  and t.text in ("并", "并且", "进而", "而", "从而")]  # these join predicates, not nouns
        end = min([clause_end, *[s for s in stops if s >= group.end]])
        if end < clause_end:
            return end
        tentative = end
        for s, e in sv.clause_spans:
            if s <= tentative:
                continue
            pos = sv.skip_connectors(s)
            if any(c.start <= pos < c.end for c in outer) or sv.starts_with_subject(pos, user=False):
                break
            if any(s <= g.start < e for g in others) or self._has_predicate(sv, s, e):
                break
            opening = sv.token_after(pos)
            if opening is not None and opening.start == pos and opening.tag in ("v", "vn") \
                    and not sv.mention_at(pos) and opening.text not in ("包括", "例如"):
                break
            tentative = e
            if any(m.data for m in sv.mentions_in(s, e)):
                end = e  # a clause naming data continues the list (and the clauses before it with it)
        return end

    def _has_predicate(self, sv: SentenceView, start: int, end: int) -> bool:
        """True when ``[start, end)`` has a verb of its own (not inside a name, not heading a relative clause)."""
        inside = {i for m in sv.mentions for i in range(m.start, m.end)}
        verb_starts = {t.start for t in sv.tokens if t.tag == "v"}
        for t in sv.tokens:
            if t.end in verb_starts:
                continue  # 自主选择的…: judge the last verb of a run
            if start <= t.start < end and t.tag == "v" and t.start not in inside and sv.outside(t.start) \
                    and t.text not in ("会", "可能", "将", "需要", *sv.lexicon.grammar.words("example_markers")) \
                    and not self._relative_at(sv, t.end) \
                    and sv.text[t.end:t.end + 1] not in tuple("、和及与或等") and sv.text[t.start - 1] != "、":
                return True
        return False

    def _topic(self, sv: SentenceView, group: Group, conditions: list[Span], purposes: list[Span],
               others: list[Group], purpose_object: bool = False) -> tuple[int, int] | None:
        """The data named before a verb with an empty object slot (……等信息会存储在……, ……将被收集,
        ……可能会传输给……): the clause's opening noun phrases, extended back over clauses that continue them."""
        clause_start, clause_end = sv.clause_of(group.start)
        after = sv.text[group.end:clause_end].strip()
        if after and not purpose_object and not after.startswith(("在", "于", "给", "至", "到", "时")):
            return None
        previous_verb = max([g.end for g in others if g.end <= group.start], default=-1)
        limit = max([clause_start, previous_verb] + [s.end for s in conditions + purposes if s.end <= group.start])
        if purpose_object and limit == previous_verb:
            return None  # 收集X用于Y: the purpose of the verb before, not a practice of its own
        start = limit
        if start == clause_start:
            for s, e in reversed([c for c in sv.clause_spans if c[1] <= clause_start]):
                if any(c.start < e and s < c.end for c in conditions + purposes) or \
                        any(s <= g.start < e for g in others) or not any(m.data for m in sv.mentions_in(s, e)) \
                        or self._has_predicate(sv, s, e):
                    break
                start = s
        start = sv.skip_connectors(start)
        end = group.start
        passive = sv.text.rfind(_PASSIVE, start, group.start)
        if passive != -1:
            end = passive
        while end > start and (sv.text[end - 1] in "会将能可要均也还都仅已" or sv.text.endswith("可能", 0, end)):
            end -= 2 if sv.text.endswith("可能", 0, end) else 1
        opening = sv.mention_at(start)
        words = sv.text[start:end]
        noun_phrase = "的" in words and words.endswith(tuple(sv.lexicon.grammar.words("generic_heads")))
        if not ((opening and opening.data) or _has_anaphor(sv, start, min(end, start + 4)) or noun_phrase
                or sv.lexicon.phrase_at(sv.text, start, "user") or sv.text.startswith("以及", start)):
            return None
        if not any(m.data for m in sv.mentions_in(start, end)) and not _has_anaphor(sv, start, end) \
                and not noun_phrase:
            return None
        return start, end

    def _antecedents(self, sv: SentenceView, pos: int, conditions: list[Span], made: list[ClaimDraft],
                     state: BlockState) -> list[str]:
        """Data types an anaphor at ``pos`` stands for (see the module docstring)."""
        if made:
            return list(dict.fromkeys(c.data_type for c in made if c.scope == "in_scope"))
        named: list[str] = []
        for c in conditions:
            if c.end <= pos:
                reading = read_object(sv, c.start, c.end, lambda _p: [])
                named += [i.data_type for i in reading.items if i.data_type]
        if named:
            return list(dict.fromkeys(named))
        if state.earlier:
            return list(dict.fromkeys(state.earlier))
        if state.lead_in:
            return list(dict.fromkeys(state.lead_in))
        if state.objects:
            return []  # it stands for data named before that the ontology has no type for
        return ["personal_information"]


def _phrase(sv: SentenceView, start: int, end: int) -> str:
    """The words of a data item, trimmed for display: no list markers (如, 包括, 以及), no brackets, and
    nothing before the last verb in front of the noun phrase (并按照……展示你发布的朋友圈文字 -> 你发布的朋友圈文字)."""
    base = sv.depth[start] if start < len(sv.depth) else 0
    chars = [sv.text[k] for k in range(start, end) if sv.depth[k] == base]
    offsets = [k for k in range(start, end) if sv.depth[k] == base]
    cut = 0
    for token in sv.tokens:
        verb_like = token.text in sv.lexicon.verb_actions or (token.tag == "v" and (
            sv.lexicon.phrase_at(sv.text, token.end, "pronouns") or sv.lexicon.phrase_at(sv.text, token.end,
                                                                                          "anaphors")))
        if start <= token.start and token.end <= end and verb_like and sv.depth[token.start] == base \
                and not sv.text.startswith("的", token.end) and token.end < end:
            cut = max(cut, sum(1 for k in offsets if k < token.end))
    words = "".join(chars[cut:]).strip()
    for marker in sorted([*sv.lexicon.grammar.words("example_markers"), "以及", "还有"], key=len, reverse=True):
        if words.startswith(marker) and len(words) > len(marker):
            words = words[len(marker):]
            break
    return words or sv.text[start:end].strip()


def _has_anaphor(sv: SentenceView, start: int, end: int) -> bool:
    words = sv.text[start:end]
    return any(a in words for a in sv.lexicon.grammar.words("anaphors"))


def _local(sv: SentenceView, verb_start: int, start: int, end: int) -> bool:
    """True when the practice stays on the user's device (存储在你的终端设备, 仅在本地读取)."""
    clause_start, clause_end = sv.clause_of(start)
    rest = sv.text[start:max(end, clause_end)]
    before = sv.text[clause_start:verb_start]
    local = sv.lexicon.grammar.words("local")
    return any(rest.startswith(("在", "于")) and word in rest for word in local) or \
        any(f"在{word}" in before for word in local)


def _in_title(text: str, m: Mention) -> bool:
    """True for a name inside a document title 《…》 (《第三方信息共享清单》 names no practice)."""
    for k in range(m.start, -1, -1):
        if text[k] == "《":
            return True
        if text[k] == "》" and k < m.start:
            return False
    return False


def _dedupe(claims: list[ClaimDraft]) -> list[ClaimDraft]:
    seen: set[tuple] = set()
    out = []
    for c in claims:
        key = (c.start, c.actor, c.action, c.negated, c.data_type, c.context, c.recipient, c.scope)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def make_extractor(onto: Ontology) -> ChineseExtractor:
    """The Chinese front end for ``policycheck extract`` (``pipeline.FRONT_ENDS['zh']``)."""
    return ChineseExtractor(onto)
