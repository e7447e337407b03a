"""Objects of a data-practice verb -> data types: lists, heads, examples, groups and anaphors.

An object span (收集、使用你的设备型号、操作系统、设备标识符（Android端如AndroidID/OAID…）……等日志信息) is split
into items at 、，和及或与以及/ outside brackets and names. Each item gives the type of its head, the last
data-type name in it (Chinese noun phrases are head-final: 小游戏的使用记录 -> 使用记录). A parenthesis after an
item lists examples (如/例如/包括 …), each giving its own type; 不包括 … is skipped. "X等Y" closes a group: Y is
a group type (等日志信息 -> log_data, with a DefinedTerm for every member), unless generic (等信息, 等数据).

No data item is dropped (:mod:`.heads`): an item the ontology does not name is typed by its head word; an
operation (点赞, 关注, 视频号内容阅读) in an object or a data list is the record of that activity
(``operation_records``: 点赞 -> interaction_events, 浏览 -> viewing_history ...), and operations after a name of
Mini Programs (你的小程序登录、浏览、使用……, up to a comma) are Mini Program records; an example the ontology does
not know is of its parent's type, and so is a member listed after a named category (设备信息，例如设备名称、屏幕
亮度); conjuncts share the head of the last one (商品及店铺相关搜索记录, 你观看直播、播放视频的记录, 摄像头和麦克风
权限: no data); the members of a list that names data (typed siblings, or a group 等信息) are at least
personal_information. Anaphors (上述信息, 该等信息, 其, and 你的数据/你的信息 which fall back to
personal_information) are resolved by the caller; 相关/相应 are anaphors only with no noun before them (与你指令
相关的信息 is generic). Generic items (部分信息, 其他必要信息, 信息) are personal_information. Items that are no
data (功能, 服务, 权限 ..., features, clauses) give nothing; an object announcing data that follows (以下信息) is
``cataphoric``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from policycheck.claims.chinese import heads
from policycheck.claims.chinese.clauses import SentenceView
from policycheck.claims.chinese.heads import FALLBACK, HEAD_WORD, ROOT, Typed
from policycheck.claims.chinese.lexicon import Mention
from policycheck.claims.chinese.segmentation import Token
from policycheck.claims.model import DefinedTerm

ANAPHOR = "<anaphor>"
_POSSESSIVES = ("你", "您", "用户")
LEXICON = "lexicon"
Resolver = Callable[[int], list[Typed]]


@dataclass
class Item:
    """One list item: its words and the data type it names (``ANAPHOR`` for 上述信息 & co, None for none)."""

    start: int
    end: int
    text: str
    data_type: str | None
    basis: str = LEXICON  # how data_type was found (ClaimDraft.data_basis)
    operation: str | None = None  # for an activity (点赞): the operation word, typed again inside a group

    @classmethod
    def of(cls, sv: SentenceView, start: int, end: int, typed: Typed | None) -> Item:
        return cls(start, end, sv.text[start:end].strip(), typed.data_type if typed else None,
                   typed.basis if typed else LEXICON, typed.operation if typed else None)


@dataclass
class ObjectReading:
    items: list[Item] = field(default_factory=list)
    defined: list[DefinedTerm] = field(default_factory=list)
    cataphoric: bool = False


def _split(sv: SentenceView, start: int, end: int) -> list[tuple[int, int]]:
    """Top-level items of ``[start, end)`` (relative to the depth at ``start``)."""
    lex = sv.lexicon
    base = sv.depth[start] if start < len(sv.depth) else 0
    seps = sorted([*lex.grammar.separators, "：", ":"], key=len, reverse=True)
    covered = [False] * (end - start)
    for m in sv.mentions_in(start, end):
        for k in range(m.start, m.end):
            covered[k - start] = True
    items: list[tuple[int, int]] = []
    s = i = start
    while i < end:
        if sv.depth[i] == base and not covered[i - start]:
            sep = next((w for w in seps if sv.text.startswith(w, i)), None)
            if sep and (len(sep) > 1 or sep in "、，,：:/" or _standalone(sv, i, sep)):
                items.append((s, i))
                i += len(sep)
                s = i
                continue
        i += 1
    items.append((s, end))
    return [(a, b) for a, b in items if sv.text[a:b].strip()]


def _standalone(sv: SentenceView, i: int, word: str) -> bool:
    """A one-character conjunction (和, 及, 或, 与) counts only as a word of its own (not in 参与, 及时)."""
    token = sv.token_at(i)
    return token is not None and token.start == i and token.text == word


def _data_mentions(sv: SentenceView, start: int, end: int) -> list[Mention]:
    """Data-type mentions of ``[start, end)`` at its top level, without operations and permissions."""
    lex = sv.lexicon
    ops = set(lex.grammar.operation_words)
    nouns = lex.grammar.data_nouns
    base = sv.depth[start] if start < len(sv.depth) else 0
    out = []
    for m in sv.mentions_in(start, end):
        if not m.data or sv.depth[m.start] != base or sv.quoted[m.start]:
            continue
        after = sv.text[m.end:end]
        if after.startswith(lex.grammar.permission):
            continue
        if m.text in ops and not any(after.startswith(n) or after.startswith("的" + n) for n in nouns):
            continue
        out.append(m)
    return out


def _ends_in_operation(sv: SentenceView, start: int, end: int, last: Mention | None) -> bool:
    """True when the item's last word (after its last data mention) is an operation or a practice verb; not a
    head noun (``head_nouns``: 文字输入 is input text, no record of an operation; round 13)."""
    lex = sv.lexicon
    ops = (lex.grammar.operations | set(lex.verb_actions)) - set(lex.grammar.data_nouns) - set(lex.grammar.head_nouns)
    stop = end
    while stop > start and (sv.depth[stop - 1] > sv.depth[start] or sv.text[stop - 1] in "）)】] \t"):
        stop -= 1
    token = sv.last_token_before(stop, last.end if last else start)
    return token is not None and token.text in ops


def classify(sv: SentenceView, start: int, end: int, fallbacks: bool, within: str | None = None) -> Typed | None:
    """The data type named by the item ``[start, end)`` (see the module docstring). ``fallbacks``: the item
    stands where data is expected (an object's item, an example of data), so operations and unknown nouns are
    typed too; ``within``: the type of the data it is an example or member of."""
    lex = sv.lexicon
    if _soft_anaphor(sv, start, end):
        return Typed(ANAPHOR, LEXICON)  # 你的数据（除非……）: the data named before (read_object resolves it)
    mentions = _data_mentions(sv, start, end)
    last = mentions[-1] if mentions else None
    _, words = heads.bare(sv, last.end if last else start, end)
    reduplicated = last is None and len(words) == 3 and words[1].text == "一" and words[0].text == words[2].text \
        and words[0].tag == "v"  # 拍一拍: a short action, as data its record
    if _ends_in_operation(sv, start, end, last) or (fallbacks and reduplicated):
        if fallbacks and heads.is_activity(sv, words):
            return Typed(lex.heads.activity(words[-1].text, within), HEAD_WORD, words[-1].text)
        return None
    if (split := _split_name(sv, start, end)) is not None:
        return split
    if last is not None:
        return _pictured(sv, mentions, end) or (_named_before(sv, start, end, last.start) if last.end == end
                                                else None) or _named(sv, start, end, last, fallbacks)
    top = "".join(ch for k, ch in enumerate(sv.text[start:end]) if sv.depth[start + k] == sv.depth[start]).strip()
    if _anaphoric(sv, start, end, top) and top.endswith(tuple(lex.grammar.generic_heads)):
        return Typed(ANAPHOR, LEXICON)
    demonstrative = next((d for d in _DEMONSTRATIVES if top.startswith(d)), None)
    if demonstrative is not None and (found := _named_before(sv, start, end, end - len(top) + len(demonstrative))):
        return found
    if top in ("其", "它们", "这些", "上述"):
        return Typed(ANAPHOR, LEXICON)
    if any(top.startswith(cue) for cue in lex.grammar.cataphors):
        return None
    if fallbacks and _generic(sv, top):
        return _given_to(sv, start, end) or Typed(ROOT, FALLBACK)
    typed = heads.head_type(sv, start, end, None)
    if typed is not None and (fallbacks or typed.basis == HEAD_WORD):
        return typed
    return None


_GIVING = ("提供", "提交", "反馈", "发送", "填写")


def _given_to(sv: SentenceView, start: int, end: int) -> Typed | None:
    """Generic information given to a recipient that is a source of data of a kind (向客服提供的信息 -> 客服信息:
    customer_support_information): the recipient's word, where it forms an ontology name with 信息 (the convention
    "a word before it forms a name with 信息", claims_zh.yaml; the English front end's "Information provided to
    customer service", README "claims"; 在客服对话中提供的信息 likewise). None for any other phrase (你向我们提供的
    信息 names no kind)."""
    words = [t for t in sv.tokens if start <= t.start and t.end <= end and sv.depth[t.start] == sv.depth[start]]
    to = next((i for i, t in enumerate(words) if t.text in ("向", "给", "在")), None)  # (在客服对话中提供的信息)
    if to is None:
        return None
    verb = next((i for i in range(to + 1, len(words)) if words[i].text in _GIVING), None)
    if verb is None or verb == to + 1 or words[verb + 1:verb + 2] == [] or words[verb + 1].text != "的":
        return None
    if any(t.text in heads.CLAUSE_WORDS for t in words[to + 1:verb]):
        return None  # 你在使用微信支付时提交的信息: a time frame (its 使用 names no kind), not a recipient (round 13)
    return heads.by_modifier(sv, words[to + 1:verb], ())


def _pictured(sv: SentenceView, mentions: list[Mention], end: int) -> Typed | None:
    """A picture of an identity document or biometric trait (``media_heads`` after a name of a type under
    ``pictured_types``: 身份证正反面照片, 护照扫描件): that document's type; None for any other item."""
    lex = sv.lexicon
    if len(mentions) < 2 or not mentions[-2].data:
        return None
    words = sv.text[mentions[-2].end:end].strip()
    media = next((m for m in sorted(lex.grammar.media_heads, key=len, reverse=True) if words.endswith(m)), None)
    if media is None or "的" in words or any(sv.depth[k] != sv.depth[end - 1] for k in range(mentions[-2].end, end)):
        return None
    document = mentions[-2].data
    if any(lex.onto.is_a("data_type", document, t) for t in lex.grammar.pictured_types):
        return Typed(document, HEAD_WORD)
    return None


_DEMONSTRATIVES = ("该等", "上述", "前述", "这些", "该", "此", "这")


def _named_before(sv: SentenceView, start: int, end: int, head_start: int) -> Typed | None:
    """A demonstrative before a noun (该图像, 上述照片, 该号码) points back to the data named before it in the block
    whose name ends in that noun (人脸图像……，我们不会保存该图像 -> face_data, not any picture; 手机号码……该号码 ->
    phone_number, not any identifier; round 13): that data's type; None when the item is more than demonstrative
    and noun, or nothing named before ends so."""
    words = sv.text[start:head_start].strip()
    for possessive in ("你的", "您的"):
        words = words.removeprefix(possessive)
    noun = sv.text[head_start:end].strip()
    if words not in _DEMONSTRATIVES or not noun or noun in sv.lexicon.grammar.generic_heads:
        return None
    before = [m for m in sv.mentions if m.end <= start and m.data and m.text.endswith(noun) and len(m.text) > len(noun)]
    return Typed(before[-1].data, LEXICON) if before else None


def _anaphoric(sv: SentenceView, start: int, end: int, top: str) -> bool:
    """True when the item carries an anaphor (上述, 该等, 前述 ...); an adjective one (相关, 相应:
    ``adjective_anaphors``) only when no noun stands before it (你的相关信息, 相关数据, 展示相应的信息; not
    与你指令相关的信息, where it says what the information relates to)."""
    lex = sv.lexicon
    if any(a in top for a in lex.grammar.anaphors if a not in lex.grammar.adjective_anaphors):
        return True
    for word in lex.grammar.adjective_anaphors:
        at = sv.text.find(word, start, end)
        if at != -1 and sv.depth[at] == sv.depth[start]:
            before = sv.last_token_before(at, start)
            return before is None or before.text in ("的", *_POSSESSIVES) or not before.tag.startswith("n")
    return False


def _soft_anaphor(sv: SentenceView, start: int, end: int) -> bool:
    """True when the item's top-level words are a possessive anaphor (``soft_anaphors``: 你的数据, 你的信息)."""
    base = sv.depth[start] if start < len(sv.depth) else 0
    top = "".join(sv.text[k] for k in range(start, end) if sv.depth[k] == base).strip()
    return top in sv.lexicon.grammar.soft_anaphors


def _named(sv: SentenceView, start: int, end: int, last: Mention, fallbacks: bool) -> Typed | None:
    """An item with a data name in it: the name's type when it is the head; when other words follow it, the
    head word's type (朋友圈封面 -> a part of moments_posts; 好友的备注: 好友 only modifies 备注)."""
    lex = sv.lexicon
    tail = "".join(ch for k, ch in enumerate(sv.text[last.end:end]) if sv.depth[last.end + k] == sv.depth[start])
    rest = tail.strip().removeprefix(lex.grammar.group_marker).removeprefix("的")
    named = sv.text[last.start:end].strip()
    if "的" in named and named.rsplit("的", 1)[1] in lex.grammar.generic_heads and _capability(sv, start, last.start):
        return Typed(ROOT, FALLBACK)  # 可以识别你身份的信息: what the information can do, not whose it is
    if not rest or rest in lex.grammar.data_nouns + lex.grammar.generic_heads:
        if rest and (record := heads.record_of(sv, start, end)) is not None:
            return record  # 播放视频的记录: the record of the operation, not the video
        name = sv.text[last.start:last.end]
        if not rest and lex.grammar.head_nouns.get(name) in (lex.heads.record_type, heads.CONTENT):
            modifier = [t for t in sv.tokens if start <= t.start and t.end <= last.start
                        and sv.depth[t.start] == sv.depth[start]]
            if (found := heads.by_modifier(sv, modifier, heads.alike(lex, name))) is not None:
                return found  # 与客服的沟通内容: the content of customer support (客服信息), as for an unknown head
        return Typed(last.data or ROOT, LEXICON)  # 位置信息, 引荐网址等信息
    if (overlap := _overlapping_name(sv, last, end, tail)) is not None:
        return overlap  # 登录设备型号: 设备型号 (the head) overlaps 登录设备 (a modifier) in the text
    typed = heads.head_type(sv, start, end, last.data) if fallbacks else None
    if "的" in tail:
        return typed  # the name only modifies the head noun (你个人信息的微信接口: none)
    return typed or Typed(last.data or ROOT, LEXICON)  # 手机号码是为了…: the name is the item


def _overlapping_name(sv: SentenceView, last: Mention, end: int, tail: str) -> Typed | None:
    """The type of a data name that ends the item and begins inside its last data name, sharing a word of two
    characters at least with it (登录设备型号: the lexicon's longest match reads 登录设备, managed_devices, then
    型号; but the compound is 登录 + 设备型号, a device model): Chinese compounds are head-final (Li & Thompson
    1981, on compounds), so the name that ends the phrase is its head; None when no such name ends it or the words after
    the last name hold a 的 or a bracket (zh21)."""
    if not tail or tail != sv.text[last.end:end] or "的" in tail or not last.data:
        return None
    names = sv.lexicon.heads.names
    for k in range(last.start + 1, last.end - 1):
        found = names.get(sv.text[k:end].strip().lower())
        if found is not None:
            return Typed(found, LEXICON)
    return None


def _split_name(sv: SentenceView, start: int, end: int) -> Typed | None:
    """The type of a name split by an inserted adjective (``inserted_adjectives``: 设备唯一标识符 -> 设备标识符 ->
    device_identifier, 设备唯一识别码 -> 设备识别码), when the words around the adjective form an ontology name that
    ends the item (or is followed only by a generic head: 设备唯一标识符信息); else None."""
    lex = sv.lexicon
    text = sv.text[start:end].strip()
    for adjective in lex.grammar.inserted_adjectives:
        at = text.find(adjective)
        if at <= 0:
            continue
        joined = text[:at] + text[at + len(adjective):]
        for m in lex.mentions(joined):
            ends = m.end == len(joined) or joined[m.end:] in lex.grammar.generic_heads
            if m.data and m.start < at < m.end and ends:
                return Typed(m.data, LEXICON)
    return None


def _capability(sv: SentenceView, start: int, end: int) -> bool:
    """True when ``[start, end)`` holds a capability cue followed by a verb (``capability_cues``: 可以识别, 能够反映,
    用于识别): the words before a data name are a clause about what the information can do."""
    cues = tuple(sv.lexicon.grammar.capability_cues)
    verbs = {t.start for t in sv.tokens if t.tag.startswith("v") and start <= t.start < end}
    return any(sv.text.startswith(cue, k) and any(k + len(cue) <= v < end for v in verbs)
               for k in range(start, end) for cue in cues)


def _generic(sv: SentenceView, top: str) -> bool:
    """部分信息, 其他必要信息, 信息, 你的数据: a generic head noun alone or with a determiner."""
    lex = sv.lexicon
    bare = top.removeprefix("你的").removeprefix("你").removeprefix("用户的")
    generic = lex.grammar.generic_heads
    return bare in generic or any(bare.endswith(h) and any(d in bare[:-len(h)] for d in lex.grammar.generic_determiners)
                                  for h in generic) or any(bare.endswith("的" + h) for h in generic)


def _examples(sv: SentenceView, start: int, end: int, parent: Item | None) -> list[Item]:
    """Examples in the brackets inside ``[start, end)`` (one level down), without exclusions. An example the
    ontology does not name is of its parent's type when the parent is data or the bracket opens with an
    example marker (如, 包括 ...); otherwise only named data counts."""
    lex = sv.lexicon
    base = sv.depth[start] if start < len(sv.depth) else 0
    within = parent.data_type if parent is not None and parent.data_type not in (None, ANAPHOR) else None
    out: list[Item] = []
    i = start
    while i < end:
        if sv.depth[i] == base + 1 and sv.text[i] in "（(【[":
            j = i + 1
            while j < end and sv.depth[j] > base:
                j += 1
            inner_start, inner_end = i + 1, j - 1
            inner = sv.text[inner_start:inner_end]
            listed = within is not None or lex.phrase_at(sv.text, inner_start, "example_markers") is not None
            if not any(inner.startswith(x) for x in lex.grammar.exclusion_markers) and not sv.quoted[i]:
                for s, e in _split(sv, inner_start, inner_end):
                    typed = classify(sv, s, e, fallbacks=listed, within=within)
                    unknown = typed is None and listed and heads.is_nominal(sv, s, e, heads.bare(sv, s, e)[1])
                    if unknown or (typed is not None and typed.basis == FALLBACK and within):
                        typed = Typed(within or ROOT, HEAD_WORD if within and within != ROOT else FALLBACK,
                                      parent.operation if parent else None)  # 收藏（星标）: as its parent
                    item = Item.of(sv, s, e, typed)
                    if item.data_type and item.data_type != ANAPHOR:
                        out.append(item)
                    out += _examples(sv, s, e, item if item.data_type else None)
            i = j
            continue
        i += 1
    return out


def read_object(sv: SentenceView, start: int, end: int, resolve: Resolver,
                data_expected: bool = False) -> ObjectReading:
    """Items and group definitions of the object span ``[start, end)``; ``resolve(pos)`` gives the data types an
    anaphor at ``pos`` stands for. ``data_expected``: the span is the object of a verb whose object is data
    (收集, 存储, 共享 ...), so a noun the ontology does not know is personal_information even alone."""
    lex = sv.lexicon
    marker = lex.grammar.group_marker
    reading = ObjectReading()
    members: list[Item] = []
    pending: list[Item] = []  # nouns the ontology does not know: data if the list is
    programs = False  # inside a list of operations on Mini Programs (小程序登录、浏览、使用……)
    run: list[Item] = []  # the items of the current 、-list (a comma ends it): they may share one head
    category: Item | None = None  # the named category whose members a list (例如……, 包括……) gives
    for s, e in _split(sv, start, end):
        if sv.text[s - 1:s] in "，,；;":
            programs = False
            _share(sv, run, reading, pending)
            run = []
            category = None
        opening = s + len(sv.text[s:e]) - len(sv.text[s:e].lstrip())
        if lex.phrase_at(sv.text, opening, "example_markers"):  # 设备信息，例如设备型号、屏幕亮度: members
            category = next((i for i in reversed(reading.items) if i.data_type not in (None, ANAPHOR)), None)
        # "X等Y": X is the last member, Y the group head
        cut = _group_cut(sv, s, e, marker)
        parts = [(s, cut, False), (cut + len(marker), e, True)] if cut is not None else [(s, e, False)]
        for ps, pe, is_head in parts:
            pe = _verb_after_name(sv, ps, pe)
            if pe <= ps:
                continue
            if is_head:
                _close_group(sv, reading, Item.of(sv, ps, pe, classify(sv, ps, pe, fallbacks=True)), members,
                             pending)
                members, pending = [], []
                continue
            bare = heads.bare(sv, ps, pe)[0]
            if any(bare.startswith(c) for c in lex.grammar.cataphors):
                # 以下信息, 你的以下个人信息: data the text that follows names (以下情形, 以下权限: no data)
                reading.cataphoric = reading.cataphoric or bare.endswith(
                    (*lex.grammar.generic_heads, *lex.grammar.data_nouns))
                continue
            typed = classify(sv, ps, pe, fallbacks=True)
            scope = _program_scope(sv, ps, pe)
            programs = programs if scope is None else scope
            if programs and typed is not None:
                typed = _program_record(sv, typed)
            if typed is not None and typed.data_type == ANAPHOR:
                reading.items += _anaphor_items(sv, ps, pe, end, resolve)
                continue
            if category is not None and not is_head:
                typed = _member(sv, typed, category, ps, pe)
            item = Item.of(sv, ps, pe, typed)
            run.append(item)
            _place(sv, item, reading, members, pending)
    _share(sv, run, reading, pending)
    if pending and (data_expected or any(i.data_type for i in reading.items)):
        _adopt(reading, pending, ROOT)  # a list of data: its unknown nouns are data too
    reading.items.sort(key=lambda i: i.start)
    return reading


def _anaphor_items(sv: SentenceView, start: int, end: int, span_end: int, resolve: Resolver) -> list[Item]:
    """What an anaphor at ``[start, end)`` of an object span ending at ``span_end`` stands for: the examples
    it gives (相应的信息（如可穿戴设备名称……）), none when examples follow (相关信息，例如…: they say it), else the
    data ``resolve`` finds before it (你的数据 after nothing typed: personal information)."""
    examples = _examples(sv, start, end, None)
    if examples or _examples_follow(sv, end, span_end):
        return examples
    found = resolve(start)
    if not found and _soft_anaphor(sv, start, end):
        found = [Typed(ROOT, FALLBACK)]
    text = sv.text[start:end].strip()
    return [Item(start, end, text, t.data_type, t.basis) for t in found]


def _place(sv: SentenceView, item: Item, reading: ObjectReading, members: list[Item], pending: list[Item]) -> None:
    """An object item and the examples it gives into the reading: a typed one is a member of the current group,
    an untyped noun waits (``pending``) to be data if the list is."""
    if item.data_type:
        reading.items.append(item)
        members.append(item)
    elif heads.is_nominal(sv, item.start, item.end, heads.bare(sv, item.start, item.end)[1]):
        pending.append(item)
    examples = _examples(sv, item.start, item.end, item if item.data_type else None)
    reading.items += examples
    members += examples


def _member(sv: SentenceView, typed: Typed | None, category: Item, start: int, end: int) -> Typed | None:
    """A member listed under a named category: its own type when the ontology names it or a kind of the
    category; else (unknown, or typed only by its head word) the category's type (设备名称, 屏幕亮度 under 设备信息;
    支付金额 under 交易信息)."""
    onto = sv.lexicon.onto
    if typed is not None and (typed.basis == LEXICON or typed.data_type == ANAPHOR or (
            typed.data_type != ROOT and onto.is_a("data_type", typed.data_type, category.data_type or ROOT))):
        return typed
    if typed is None and not heads.is_nominal(sv, start, end, heads.bare(sv, start, end)[1]):
        return None
    return Typed(category.data_type or ROOT, HEAD_WORD)


def _retype(reading: ObjectReading, pending: list[Item], item: Item, data_type: str, basis: str) -> None:
    """Replace ``item`` (read or still pending) by the same words typed ``data_type`` on ``basis``."""
    for held in (reading.items, pending):
        if item in held:
            held.remove(item)
    reading.items.append(Item(item.start, item.end, item.text, data_type, basis))


def _share(sv: SentenceView, run: list[Item], reading: ObjectReading, pending: list[Item]) -> None:
    """What the conjuncts of one 、-list share: a modifier (:func:`_share_modifier`, :func:`_share_relative`) or the
    head of the last one (:func:`_share_head`)."""
    _share_modifier(sv, run, reading, pending)
    _share_persons(sv, run, reading, pending)
    _share_relative(sv, run, reading, pending)
    _share_head(sv, run, reading, pending)


def _share_modifier(sv: SentenceView, run: list[Item], reading: ObjectReading, pending: list[Item]) -> None:
    """A bare attribute head after a conjunction (年份和月份, 日期及时间) shares the modifier of the first conjunct
    (你出生的年份和月份: both are of 出生, Chinese coordination of heads under one modifier): it is typed by that
    modifier as the first one is (出生月份 -> date_of_birth), not left as an unknown noun (round 11)."""
    lex = sv.lexicon
    first_words = heads.bare(sv, run[0].start, run[0].end)[1] if run else []
    last = first_words[-1] if first_words else None
    first_head = next((a for a in lex.grammar.attribute_heads if last is not None and last.text.endswith(a)), None)
    if first_head is None or last is None or (len(first_words) < 2 and last.text == first_head):
        return
    modifier = [t for t in first_words[:-1] if t.text != "的"]
    if last.text != first_head:  # 证件类型 (one word of the ontology's): its leading part is the modifier (round 17)
        modifier.append(Token(last.start, last.end - len(first_head), last.text[:-len(first_head)], last.tag))
    for item in run[1:]:
        word = heads.bare(sv, item.start, item.end)[0]
        if word not in lex.grammar.attribute_heads or (item.data_type and item.basis == LEXICON):
            continue
        typed = heads.by_modifier(sv, modifier, ("记录", word))
        if typed is None or (item.data_type and item.basis != FALLBACK
                             and not lex.onto.is_a("data_type", typed.data_type, item.data_type)):
            continue  # (号码 alone is an identifier; 证件类型和号码: the ID number, a kind of it)
        _retype(reading, pending, item, typed.data_type, typed.basis)


def _share_persons(sv: SentenceView, run: list[Item], reading: ObjectReading, pending: list[Item]) -> None:
    """A bare attribute head after a conjunction (号码) shares a first conjunct's noun modifier naming persons of
    the user's contacts (``about_persons``: 联系人姓名和号码, 好友的昵称和号码): it is data about those persons
    (contacts, as 证件类型和号码 is of 证件: :func:`_share_modifier`; zh18), not a bare identifier."""
    lex = sv.lexicon
    first_words = heads.bare(sv, run[0].start, run[0].end)[1] if len(run) > 1 else []
    modifier = [t for t in first_words[:-1] if t.text != "的"]
    if not modifier or any(t.tag.startswith("v") or t.text in heads.PARTNERS for t in modifier):
        return  # (你为朋友设置的备注: a relative clause, _share_relative; 与好友的合影: a partner)
    typed = heads.person_type(sv, modifier[-1].text)
    for item in run[1:] if typed is not None else []:
        word = heads.bare(sv, item.start, item.end)[0]
        if word not in lex.grammar.attribute_heads or (item.data_type and item.basis == LEXICON):
            continue
        _retype(reading, pending, item, typed, HEAD_WORD)


def _share_relative(sv: SentenceView, run: list[Item], reading: ObjectReading, pending: list[Item]) -> None:
    """Bare unknown nouns after a first conjunct whose 的-modifier makes its head data about a contact or a setting
    share that modifier (你为朋友设置的备注、标签和备忘: all three are about friends, contacts; round 17), as Chinese
    coordinates heads under one modifier (:func:`_share_modifier`)."""
    if len(run) < 2:
        return
    typed = heads.about_modifier(sv, heads.bare(sv, run[0].start, run[0].end)[1])
    if typed is None:
        return
    for item in run[1:]:
        words = heads.bare(sv, item.start, item.end)[1]
        if len(words) != 1 or (item.data_type and item.basis != FALLBACK) or not (
                heads.is_nominal(sv, item.start, item.end, words) or (  # 备忘/v: a noun jieba tags a verb
                    words[0].tag == "v" and words[0].text not in sv.lexicon.verb_actions
                    and words[0].text not in sv.lexicon.grammar.operations)):
            continue
        _retype(reading, pending, item, typed.data_type, typed.basis)


def _share_head(sv: SentenceView, run: list[Item], reading: ObjectReading, pending: list[Item]) -> None:
    """Conjuncts sharing the head of the last item of their list: 商品及店铺相关搜索记录 (both are search records),
    你观看直播、播放视频的记录 (both viewing records), 摄像头和麦克风权限 (both permissions: no data). An earlier item
    the ontology does not type takes the last item's head: nothing when that head names no data, the record of
    its own operation for a record head (an unfinished operation phrase), the last item's type when that head
    is marked as shared (X相关Y, X的Y; 书架和笔记内容 are two items)."""
    if len(run) < 2:
        return
    lex = sv.lexicon
    last = run[-1]
    text = heads.bare(sv, last.start, last.end)[0]
    nouns = sorted({*lex.grammar.head_nouns, *lex.grammar.data_nouns, *lex.grammar.generic_heads}, key=len)
    head = next((n for n in nouns if text.endswith(n) and len(text) > len(n)), None)
    non_data = text.endswith((lex.grammar.permission, *lex.grammar.non_data_heads))
    if not non_data and (last.data_type in (None, ANAPHOR) or head is None):
        return  # a last item without a head noun of its own to share
    opening = heads.bare(sv, last.start, last.end)[1][:2]
    relative = len(opening) == 2 and opening[0].tag.startswith("v") and opening[1].text == "的"
    for item in run[:-1]:
        if _named_with_head(sv, item, head, reading, pending):
            continue
        if item.operation and relative and item in reading.items:
            reading.items.remove(item)  # 你查看或者输入的信息内容: a verb of the relative clause, not a record
            continue
        if item.data_type is not None and item not in pending:
            continue
        if non_data:
            if item in pending:
                pending.remove(item)
            continue
        record = None
        if lex.grammar.head_nouns.get(head or "") == lex.heads.record_type:  # ……的记录: of this item's operation
            ops = heads.operations_in(sv, heads.bare(sv, item.start, item.end)[1])
            record = Typed(lex.heads.activity(ops[-1].text), HEAD_WORD, ops[-1].text) if ops else None
        if record is None and item in pending and any(w in text[:-len(head or text)] for w in ("相关", "的")):
            record = Typed(last.data_type, HEAD_WORD)  # type: ignore[arg-type]  # 商品及店铺相关搜索记录
        if record is not None:
            if item in pending:
                pending.remove(item)
            reading.items.append(Item(item.start, item.end, item.text, record.data_type, HEAD_WORD,
                                      record.operation))


def _named_with_head(sv: SentenceView, item: Item, head: str | None, reading: ObjectReading,
                     pending: list[Item]) -> bool:
    """True when the earlier conjunct ``item`` is settled here: a bare pronoun before 与 (你与客服的沟通内容: a
    possessor, no conjunct), or a conjunct that names data only with the shared head of the last one (Chinese
    coordination of modifiers under one head noun, 设备和网络信息 = 设备信息 and 网络信息; 账号及设备信息 = 账号信息 and
    设备信息), which takes the type of that ontology name when the ontology does not type it by itself (a bare
    noun: unknown, typed ``fallback``, or a feature name such as 账号)."""
    word = heads.bare(sv, item.start, item.end)[0]
    if not word:
        return True
    if head is None or item.operation or (item.data_type is not None and item.basis != FALLBACK):
        return False
    names = sv.lexicon.heads.names
    found = names.get(f"{word}{head}".lower())
    if found is None and head in sv.lexicon.grammar.generic_heads:
        found = names.get(f"{word}信息".lower())
    if found is None:
        return False
    _retype(reading, pending, item, found, HEAD_WORD)
    return True


def _program_scope(sv: SentenceView, start: int, end: int) -> bool | None:
    """True when the item names a Mini Program feature or its records (你使用小程序时的登录, 你的小程序登录), False
    when it names another feature (公众号……的关注), None when it names none (or only the app itself)."""
    lex = sv.lexicon
    onto = lex.onto
    base = sv.depth[start] if start < len(sv.depth) else 0
    found = None
    for m in sv.mentions_in(start, end):
        if sv.depth[m.start] != base:
            continue
        if (m.feature and any(onto.is_a("feature", m.feature, f) for f in lex.grammar.mini_program_features)) or \
                (m.data and onto.is_a("data_type", m.data, lex.grammar.mini_program_records)):
            found = True
        elif m.feature and onto.features[m.feature].parents and found is None:
            found = False
    return found


def _program_record(sv: SentenceView, typed: Typed) -> Typed:
    """An operation (or a plain record: 使用记录) on Mini Programs is a Mini Program record."""
    lex = sv.lexicon
    if typed.operation or typed.data_type == lex.heads.record_type:
        return Typed(lex.grammar.mini_program_records, HEAD_WORD, typed.operation)
    return typed


def _close_group(sv: SentenceView, reading: ObjectReading, head: Item, members: list[Item],
                 pending: list[Item]) -> None:
    """"X、Y等Z": Z is a group claim defined by its named members (等日志信息); a generic Z (等信息) adds none;
    members the ontology does not know are of Z's type (personal_information for a generic Z)."""
    bare = head.text.removeprefix("的")
    if bare.endswith(sv.lexicon.grammar.group_marker):
        return
    generic = bare in sv.lexicon.grammar.generic_heads
    if head.data_type and head.data_type != ANAPHOR and not generic:
        reading.items.append(head)
        onto = sv.lexicon.onto
        for member in members:  # 阅读、收藏、点赞等操作记录: records of those operations, within the group
            if member.operation and not (member.data_type and onto.is_a("data_type", member.data_type,
                                                                        head.data_type)):
                member.data_type = sv.lexicon.heads.activity(member.operation, head.data_type)
        for member in members:
            if member.data_type and member.data_type != head.data_type and member.basis == LEXICON:
                reading.defined.append(DefinedTerm(head.data_type, member.data_type, member.text))
        _adopt(reading, pending, head.data_type)
    elif generic:
        _adopt(reading, pending, ROOT)


def _adopt(reading: ObjectReading, pending: list[Item], data_type: str) -> None:
    """Type the ``pending`` items (unknown nouns) as ``data_type`` and add them to the reading."""
    for item in list(pending):
        reading.items.append(Item(item.start, item.end, item.text, data_type,
                                  FALLBACK if data_type == ROOT else HEAD_WORD))
        pending.remove(item)


def _verb_after_name(sv: SentenceView, start: int, end: int) -> int:
    """Where the item ``[start, end)`` ends: at a verb right after a data name in it (你的个人信息无需征得……:
    the verb begins a predicate of its own, the item is the name)."""
    lex = sv.lexicon
    nouns = set(lex.grammar.data_nouns) | lex.grammar.operations | set(lex.verb_actions)
    for m in _data_mentions(sv, start, end):
        after = sv.token_after(m.end)
        if after is not None and after.start == m.end and after.end < end and after.tag.startswith("v") \
                and after.text not in nouns and not sv.text.startswith("的", after.end) \
                and not sv.mention_at(after.start) and sv.text[after.end:end].strip():
            return m.end  # (内容阅读, 位置信息收集: the verb is the item's head, an operation)
    return end


def _examples_follow(sv: SentenceView, pos: int, end: int) -> bool:
    """True when example markers follow ``pos`` (after punctuation): 相关信息，例如，……"""
    while pos < end and sv.text[pos] in "，,：: ":
        pos += 1
    return sv.lexicon.phrase_at(sv.text, pos, "example_markers") is not None


def _group_cut(sv: SentenceView, start: int, end: int, marker: str) -> int | None:
    """Offset of the last top-level 等 of an item (not inside a name), or None."""
    base = sv.depth[start] if start < len(sv.depth) else 0
    for i in range(end - len(marker), start - 1, -1):
        if sv.text.startswith(marker, i) and sv.depth[i] == base and not (i > 0 and sv.text[i - 1] in "该此其这") \
                and not any(m.start <= i < m.end for m in sv.mentions_in(start, end)) and not _in_word(sv, i, marker):
            return i
    return None


def _in_word(sv: SentenceView, i: int, marker: str) -> bool:
    """True when the 等 at ``i`` is inside a word of its own (账号等级, 会员等级, 同等: jieba keeps it whole), not
    the group marker (……等信息, 等等; round 17)."""
    token = sv.token_at(i)
    return token is not None and token.text.strip(marker) != "" and len(token.text) > len(marker)


def item_words(sv: SentenceView, start: int, end: int) -> str:
    """The words of a data item, trimmed for display: no list markers (如, 包括, 以及), no brackets, and
    nothing before the last verb in front of the noun phrase (并按照……展示你发布的朋友圈文字 -> 你发布的朋友圈文字)."""
    lex = sv.lexicon
    base = sv.depth[start] if start < len(sv.depth) else 0
    chars = [sv.text[k] for k in range(start, end) if sv.depth[k] == base]
    offsets = [k for k in range(start, end) if sv.depth[k] == base]
    cut = 0
    for token in sv.tokens:
        verb_like = token.text in lex.verb_actions or (token.tag == "v" and (
            lex.phrase_at(sv.text, token.end, "pronouns") or lex.phrase_at(sv.text, token.end, "anaphors")))
        if start <= token.start and token.end <= end and verb_like and sv.depth[token.start] == base \
                and not sv.text.startswith(("的", "到的"), token.end) and token.end < end:
            cut = max(cut, sum(1 for k in offsets if k < token.end))
    words = "".join(chars[cut:]).strip()
    for marker in sorted([*lex.grammar.example_markers, "以及", "还有"], key=len, reverse=True):
        if words.startswith(marker) and len(words) > len(marker):
            words = words[len(marker):]
            break
    return words or sv.text[start:end].strip()
