"""Objects of a data-practice verb -> data types: lists, heads, examples, groups and anaphors.

An object span (收集、使用你的设备型号、操作系统、设备标识符（Android端如AndroidID/OAID…）……等日志信息) is split
into items at 、，和及或与以及/ outside brackets and names. Each item gives the type of its head, the last
data-type name in it (Chinese noun phrases are head-final: 小游戏的使用记录 -> 使用记录), unless the item ends in
an operation (视频号内容阅读, 收藏（星标）): bare operation words are not data. A parenthesis after an item lists
examples (如/例如/包括 …), each giving its own type; 不包括 … is skipped. "X等Y" closes a group: Y is a
group type (等日志信息 -> log_data, with a DefinedTerm for every member), unless generic (等信息, 等数据).

Items without a type: an anaphor (上述信息, 该等信息, 其) is resolved by the caller; a generic item (部分信息,
其他必要信息, 信息) is personal_information; an item ending in 记录 is usage_data; anything else is dropped (the
ontology has no type for it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from policycheck.claims.chinese.clauses import SentenceView
from policycheck.claims.chinese.lexicon import Mention
from policycheck.claims.model import DefinedTerm

ANAPHOR = "<anaphor>"


@dataclass
class Item:
    """One list item: its words and the data type it names (``ANAPHOR`` for 上述信息 & co, None for none)."""

    start: int
    end: int
    text: str
    data_type: str | None
    basis: str = "lexicon"  # how data_type was found (ClaimDraft.data_basis)


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
    """True when the item's last word (after its last data mention) is an operation or a practice verb."""
    lex = sv.lexicon
    ops = (set(lex.grammar.operation_words) | set(lex.verb_actions)) - set(lex.grammar.data_nouns)
    stop = end
    while stop > start and (sv.depth[stop - 1] > sv.depth[start] or sv.text[stop - 1] in "）)】] \t"):
        stop -= 1
    token = sv.last_token_before(stop, last.end if last else start)
    return token is not None and token.text in ops


def classify(sv: SentenceView, start: int, end: int, fallbacks: bool) -> str | None:
    """The data type named by the item ``[start, end)`` (see the module docstring)."""
    lex = sv.lexicon
    mentions = _data_mentions(sv, start, end)
    last = mentions[-1] if mentions else None
    if _ends_in_operation(sv, start, end, last):
        return None
    if last is not None:
        tail = "".join(ch for k, ch in enumerate(sv.text[last.end:end]) if sv.depth[last.end + k] == sv.depth[start])
        rest = tail.strip().removeprefix("的")
        if "的" in tail and rest and rest not in lex.grammar.data_nouns + lex.grammar.generic_heads:
            return None  # 好友的备注, 你个人信息的微信接口: the name only modifies the head noun
        return last.data
    words = sv.text[start:end].strip()
    top = "".join(ch for k, ch in enumerate(words) if sv.depth[start + k] == sv.depth[start])
    if any(top.startswith(a) or f"{a}" in top for a in lex.grammar.anaphors) and \
            any(top.endswith(h) for h in lex.grammar.generic_heads):
        return ANAPHOR
    if top in ("其", "它们", "这些", "上述"):
        return ANAPHOR
    if not fallbacks:
        return None
    for cue in lex.grammar.cataphors:
        if top.startswith(cue):
            return None
    bare = top.removeprefix("你的").removeprefix("你").removeprefix("用户的")
    heads = lex.grammar.generic_heads
    if bare in heads or any(bare.endswith(h) and any(d in bare[:-len(h)] for d in lex.grammar.words(
            "generic_determiners")) for h in heads) \
            or any(bare.endswith("的" + h) for h in heads):
        return "personal_information"
    if bare.endswith(lex.grammar.records_head) and len(bare) > 2:
        return lex.grammar.records_type
    return None


def _examples(sv: SentenceView, start: int, end: int) -> list[Item]:
    """Typed examples in the brackets inside ``[start, end)`` (one level down), without exclusions."""
    lex = sv.lexicon
    base = sv.depth[start] if start < len(sv.depth) else 0
    out: list[Item] = []
    i = start
    while i < end:
        if sv.depth[i] == base + 1 and sv.text[i] in "（(【[":
            j = i + 1
            while j < end and sv.depth[j] > base:
                j += 1
            inner_start, inner_end = i + 1, j - 1
            inner = sv.text[inner_start:inner_end]
            if not any(inner.startswith(x) for x in lex.grammar.exclusion_markers) and \
                    not sv.quoted[i]:
                for s, e in _split(sv, inner_start, inner_end):
                    data = classify(sv, s, e, fallbacks=False)
                    if data and data != ANAPHOR:
                        out.append(Item(s, e, sv.text[s:e].strip(), data))
                    out += _examples(sv, s, e)
            i = j
            continue
        i += 1
    return out


def read_object(sv: SentenceView, start: int, end: int, resolve: Callable[[int], list[str]]) -> ObjectReading:
    """Items and group definitions of the object span ``[start, end)``; ``resolve(pos)`` gives the data types an
    anaphor at ``pos`` stands for."""
    lex = sv.lexicon
    marker = lex.grammar.group_marker
    reading = ObjectReading()
    members: list[Item] = []
    for s, e in _split(sv, start, end):
        # "X等Y": X is the last member, Y the group head
        cut = _group_cut(sv, s, e, marker)
        parts = [(s, cut, False), (cut + len(marker), e, True)] if cut is not None else [(s, e, False)]
        for ps, pe, is_head in parts:
            if pe <= ps:
                continue
            text = sv.text[ps:pe].strip()
            if is_head:
                data = classify(sv, ps, pe, fallbacks=False)
                bare = text.removeprefix("的")
                if data is None and bare.endswith(lex.grammar.records_head):
                    data = lex.grammar.records_type
                if data and data != ANAPHOR and bare not in lex.grammar.generic_heads:
                    reading.items.append(Item(ps, pe, text, data))
                    for member in members:
                        if member.data_type and member.data_type != data:
                            reading.defined.append(DefinedTerm(data, member.data_type, member.text))
                members = []
                continue
            if any(text.startswith(c) for c in lex.grammar.cataphors):
                reading.cataphoric = True
                continue
            data = classify(sv, ps, pe, fallbacks=True)
            if data == ANAPHOR and _examples_follow(sv, pe, end):
                continue  # 相关信息，例如…: the examples that follow say what it is
            if data == ANAPHOR:
                for resolved in resolve(ps):
                    reading.items.append(Item(ps, pe, text, resolved))
                continue
            item = Item(ps, pe, text, data)
            examples = _examples(sv, ps, pe)
            if data:
                reading.items.append(item)
                members.append(item)
            reading.items += examples
            members += examples
    return reading


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
                and not any(m.start <= i < m.end for m in sv.mentions_in(start, end)):
            return i
    return None


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
                and not sv.text.startswith("的", token.end) and token.end < end:
            cut = max(cut, sum(1 for k in offsets if k < token.end))
    words = "".join(chars[cut:]).strip()
    for marker in sorted([*lex.grammar.example_markers, "以及", "还有"], key=len, reverse=True):
        if words.startswith(marker) and len(words) > len(marker):
            words = words[len(marker):]
            break
    return words or sv.text[start:end].strip()
