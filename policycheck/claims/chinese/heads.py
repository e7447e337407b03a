"""Data items the ontology does not name: typed by their head word, never dropped.

Chinese noun phrases are head-final (小游戏的使用记录 -> 使用记录), so an item the ontology has no name for is
typed from its last word, in this order (``ClaimDraft.data_basis`` says which rule decided):

1. an activity (the item is an operation: 点赞, 关注, 视频号内容阅读, 转发分享): the record of that operation.
   ``O记录``/``O信息`` when the ontology names it (浏览 -> 浏览记录 -> viewing_history), else O itself (收藏 ->
   favorites), else the record type of ``lexicon.yaml`` ``head_nouns`` (记录 -> usage_data). Whether a bare
   operation is data at all is decided by its position, not by the word: it is data as an item of a practice
   verb's object or of a list introduced as data, and only there is this module asked;
2. a data name in its modifier: the item is about or a part of that data (图片特征信息 -> photos_and_videos,
   操作系统类型 -> operating_system, 朋友圈封面 -> moments_posts);
3. a generic head (``generic_heads``: 信息, 数据, 资料): a modifier word (or its leading part: 健康状况 -> 健康)
   that forms an ontology name with 信息 (账号基本信息 -> 账号信息 -> account_information) or is a head noun
   (文字信息 -> user_content), else personal_information (``fallback``); an attribute head (``attribute_heads``:
   时间, 时长, 次数, 金额 ...) likewise, or the record of an operation before it (登录时间 -> login_data, 浏览时长
   -> viewing_history), else the rules below;
4. a head noun of ``head_nouns`` (记录 -> usage_data, 日志 -> log_data, 内容/文字/文档 -> user_content); a record
   or content noun (记录, 历史, 内容 ...) whose modifier forms a name with 信息 is a record or the content of that
   data, as a generic head is (与客服的沟通记录/沟通内容 -> 客服信息 -> customer_support_information; 订单记录 ->
   订单信息 -> transaction_records); logs keep their type (设备日志 is log data, not device information);
5. the ontology's names ending in the same word (at least two characters, at least two concepts): 号码 ->
   手机号码, 身份证号码, QQ号码 -> their nearest common ancestor (identifier);
6. nothing known: the item is data only by its place (a list with data in it, a generic group 等信息, the
   object of 收集/存储/共享/传输; :mod:`.enumerations` decides): then personal_information (``fallback``).

Words whose head is no data at all (功能, 服务, 权限, 范围 ..., ``non_data_heads``; a feature or party name) are
never typed. The ontology grows from what lands in 5 and 6 (README: the unmapped-phrases query).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from policycheck.claims.chinese.segmentation import Token
from policycheck.ontology import Ontology

if TYPE_CHECKING:  # clauses imports lexicon, which builds a HeadIndex
    from policycheck.claims.chinese.clauses import SentenceView
    from policycheck.claims.chinese.lexicon import Lexicon

ROOT = "personal_information"
CONTENT = "user_content"  # the type of the content head nouns (内容, 文字, 文档): typed by a modifier like records
HEAD_WORD, FALLBACK = "head_word", "fallback"
MIN_ENDING = 2  # characters: a shorter shared ending (码, 息) says nothing
CLAUSE_WORDS = frozenset({"时", "当", "是", "被", "将", "把", "如果", "若", "会", "可能", "我们", "其", "在", "并",
                           "从", "所"})
_LOCATIVES = frozenset({"中", "内", "里", "上", "外", "之中", "当中", "之内", "以内"})
_POSSESSIVES = ("你的", "您的", "用户的", "你", "您")
_NOUN_TAGS = ("n", "vn", "eng", "l", "x", "j")


@dataclass(frozen=True)
class Typed:
    """A data type found for an item and how (``lexicon`` | ``head_word`` | ``fallback``)."""

    data_type: str
    basis: str
    operation: str | None = None  # the operation word of an activity item (点赞)


class HeadIndex:
    """The ontology's Chinese data-type names, indexed for head-word typing."""

    def __init__(self, onto: Ontology, names: dict[str, str], record_type: str,
                 records: dict[str, str] | None = None) -> None:
        self.onto = onto
        self.names = names  # lower-cased zh name or synonym -> data type id
        self.record_type = record_type
        self.records = records or {}  # operation word -> the data type of its record (lexicon.yaml)

    @cached_property
    def _endings(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for name, concept in self.names.items():
            for k in range(1, len(name) - MIN_ENDING + 1):
                out.setdefault(name[k:], set()).add(concept)
        return out

    def by_ending(self, words: str) -> str | None:
        """The nearest common ancestor of the data types whose names share the longest ending of ``words``
        with at least two concepts (rule 4: 号码 -> 手机号码, 身份证号码, QQ号码 -> identifier), or None."""
        for k in range(len(words) - MIN_ENDING + 1):
            candidates = self._endings.get(words[k:], set())
            if len(candidates) > 1:
                return self.common_ancestor(candidates)
        return None

    def common_ancestor(self, concepts: set[str]) -> str:
        """The deepest data type every one of ``concepts`` is (or descends from); the root when none other."""
        shared: set[str] | None = None
        for c in concepts:
            ancestors = set(self.onto.ancestors("data_type", c)) or {c}
            shared = ancestors if shared is None else shared & ancestors
        if not shared:
            return ROOT
        return max(sorted(shared), key=lambda a: len(self.onto.ancestors("data_type", a)))

    def activity(self, operation: str, within: str | None = None) -> str:
        """The data an operation leaves (rule 1): its record type (``operation_records``, also for an operation
        ending in such a word: 转发分享, 内容阅读), else ``O记录``/``O信息``/``O`` when the ontology names it - in both
        cases only when it is ``within`` the given type, for members of a typed group - else ``within`` or the
        record type."""
        ending = max((w for w in self.records if operation.endswith(w)), key=len, default=None)
        candidates = [self.records[ending]] if ending else []
        candidates += [found for name in (f"{operation}记录", f"{operation}信息", operation)
                       if (found := self.names.get(name))]
        for found in candidates:
            if within is None or self.onto.is_a("data_type", found, within):
                return found
        return within or self.record_type


def bare(sv: SentenceView, start: int, end: int) -> tuple[str, list[Token]]:
    """The item's top-level words without a leading possessive (你的…) and its top-level words (tokens)."""
    base = sv.depth[start] if start < len(sv.depth) else 0
    words = [t for t in sv.tokens if start <= t.start and t.end <= end and sv.depth[t.start] == base
             and t.text.strip() and sv.text[t.start] not in "（(【[“”）)】]"]
    while words and words[0].text in (*_POSSESSIVES, "的"):
        words = words[1:]
    return "".join(t.text for t in words), words


def head_phrase(words: list[Token]) -> list[Token]:
    """The head noun phrase of an item's words: what follows its last 的 (你与小微对话时的输入信息 -> 输入信息;
    the modifier before 的 may be a whole clause)."""
    last = max((i for i, t in enumerate(words) if t.text == "的"), default=-1)
    return words[last + 1:]


def is_activity(sv: SentenceView, words: list[Token]) -> bool:
    """True when the item is an operation (its last word an operation or practice verb, or all its words verbs)
    rather than a clause (时, 在, 被 ... or a subject of its own)."""
    lex = sv.lexicon
    words = head_phrase(words)
    if not words or any(t.text in CLAUSE_WORDS or t.text in lex.grammar.first_party for t in words):
        return False
    last = words[-1].text
    operations = lex.grammar.operations | set(lex.verb_actions)
    if last in operations and last not in lex.grammar.data_nouns:
        return True
    return all(t.tag in ("v", "m", "d") for t in words) and words[-1].tag == "v"


def is_nominal(sv: SentenceView, start: int, end: int, words: list[Token]) -> bool:
    """True when the item is a noun phrase that may name data: its last word a noun, not a non-data head
    (功能, 服务, 权限 ...), not a feature or party name, not a clause."""
    lex = sv.lexicon
    after_de = len(head_phrase(words)) < len(words)  # X的Y: Y is a noun whatever jieba tags it (归属/v 地/uv)
    words = head_phrase(words)
    text = "".join(t.text for t in words)
    attribute = next((a for a in lex.grammar.attribute_heads if text.endswith(a) and len(text) > len(a)), None)
    if attribute is None:  # 纳税人识别号 (识别/v 号/m): a head noun is the head, whatever jieba made of it
        attribute = next((n for n in lex.grammar.head_nouns if text.endswith(n) and len(text) > len(n)), None)
    if attribute is not None:  # 浏览时长 (时/n 长/a): the head is the attribute, whatever jieba made of it
        return not any(t.text in CLAUSE_WORDS for t in words if t.end <= words[-1].end - len(attribute))
    if not words or any(t.text in CLAUSE_WORDS for t in words) or words[-1].text in _LOCATIVES:
        return False  # a clause; 在我们的服务器中: a place, not a thing
    if text.endswith(tuple(lex.grammar.non_data_heads)):
        return False
    last = words[-1]
    mention = next((m for m in sv.mentions if m.start <= last.start < m.end), None)
    if mention is not None and not mention.data and (mention.feature or mention.entity):
        return False
    if last.tag == "b" and len(words) > 1 and words[-2].tag.startswith("n"):
        return True  # 账号等级 (账号/n 等级/b): a noun's property, whatever jieba made of the head (round 17)
    return after_de or last.tag.startswith(_NOUN_TAGS) or last.tag in _NOUN_TAGS


def operations_in(sv: SentenceView, words: list[Token]) -> list[Token]:
    """The words among ``words`` that name an operation (点赞, 转发分享 ...)."""
    operations = sv.lexicon.grammar.operations
    return [t for t in words if t.text in operations or any(t.text.endswith(w) for w in sv.lexicon.heads.records)]


def by_modifier(sv: SentenceView, modifier: list[Token], heads: tuple[str, ...]) -> Typed | None:
    """The type a modifier word gives a generic or attribute head: the nearest word (or a part of it: its ending,
    语音通话 -> 通话, then its leading part, 健康状况 -> 健康) that forms an ontology name with 信息 or one of
    ``heads`` (账号基本信息 -> 账号信息, 登录时间 -> 登录信息),
    or is a head noun itself (文字信息 -> 文字); None when no word does."""
    lex = sv.lexicon
    for token in reversed(modifier):
        for part in _parts(token.text):
            for noun in dict.fromkeys((f"{part}信息", *(f"{part}{h}" for h in heads))):
                if noun in lex.heads.names:
                    return Typed(lex.heads.names[noun], HEAD_WORD)
        if token.text in lex.grammar.head_nouns and token.text not in heads:
            return Typed(lex.grammar.head_nouns[token.text], HEAD_WORD)
        # (语音输入内容: 输入, a noun like the head, says nothing of its own; the word before it does: round 13)
    return None


def _parts(word: str) -> list[str]:
    """The parts of a modifier word that may name data: the word itself (of any length: 卡 with 号 is 卡号), its
    endings, longest first (a compound's head is its last part: 语音通话 is a 通话, a call; zh20), then its leading
    parts (健康状况 -> 健康); endings and leading parts of two characters at least."""
    endings = [word[k:] for k in range(1, len(word) - 1)]
    return [word, *endings, *(word[:k] for k in range(len(word) - 1, 1, -1))]


def alike(lex: Lexicon, noun: str) -> tuple[str, ...]:
    """The head nouns a modifier may form a name with in place of ``noun``: the noun, and for a content noun
    every content noun (需要翻译的文字 -> 翻译文本 -> translation_text; 文字, 文本, 内容 name the same; round 13)."""
    if lex.grammar.head_nouns.get(noun) != CONTENT:
        return (noun,)
    return (noun, *(n for n, t in lex.grammar.head_nouns.items() if t == CONTENT and n != noun))


def record_of(sv: SentenceView, start: int, end: int) -> Typed | None:
    """The record of the operation an item's modifier names, when its head is a record noun (``head_nouns`` of
    the record type: 记录): 游戏搜索相关记录 -> search_history, 播放视频的记录 -> viewing_history; else None."""
    lex = sv.lexicon
    text, words = bare(sv, start, end)
    records = [n for n, t in lex.grammar.head_nouns.items() if t == lex.heads.record_type]
    noun = next((n for n in sorted(records, key=len, reverse=True) if text.endswith(n)), None)
    if noun is None or not words:
        return None
    ops = operations_in(sv, words[:-1])
    if not ops or (words[-1].text not in (noun, f"的{noun}") and not words[-1].text.endswith(noun)):
        return None
    return Typed(lex.heads.activity(ops[-1].text), HEAD_WORD, ops[-1].text)


def head_type(sv: SentenceView, start: int, end: int, modifier_data: str | None) -> Typed | None:
    """The type of a noun item the ontology does not name (rules 2-5), or None when nothing types it.
    ``modifier_data``: the data type of the last data name inside the item, if any."""
    lex = sv.lexicon
    text, words = bare(sv, start, end)
    if not text or not is_nominal(sv, start, end, words):
        return None
    if (about := about_modifier(sv, words)) is not None:
        return about
    if modifier_data:
        return Typed(modifier_data, HEAD_WORD)  # 图片特征信息, 操作系统类型, 朋友圈封面: about or part of named data
    generic = next((g for g in sorted(lex.grammar.generic_heads, key=len, reverse=True) if text.endswith(g)), None)
    if generic is not None:  # (预约信息: the record of an operation, as 预约记录; zh23)
        ops = operations_in(sv, words[-2:-1]) if len(words) >= 2 and words[-1].text == generic else []
        return by_modifier(sv, words[:-1], (generic,)) or (
            Typed(lex.heads.activity(ops[-1].text), HEAD_WORD, ops[-1].text) if ops else Typed(ROOT, FALLBACK))
    attribute = next((a for a in lex.grammar.attribute_heads if text.endswith(a) and len(text) > len(a)), None)
    if attribute is not None:  # 登录时间 -> 登录信息, 浏览时长 -> the record of 浏览
        modifier = [t for t in words if t.end <= words[-1].end - len(attribute)
                    and t.text not in lex.grammar.status_words  # (身份类型: a role's type; review of round 17)
                    and not any(t.text in v for v in lex.grammar.setting_verbs.values())]  # (你设置的收款金额: zh18)
        ops = operations_in(sv, modifier[-1:])
        if ops:
            return Typed(lex.heads.activity(ops[-1].text), HEAD_WORD, ops[-1].text)
        found = by_modifier(sv, modifier, ("记录", attribute))  # 出生的日期 -> 出生日期 (round 11)
        if found is not None:
            return found
    for noun in sorted(lex.grammar.head_nouns, key=len, reverse=True):
        if text.endswith(noun):
            of_data = lex.grammar.head_nouns[noun] in (lex.heads.record_type, CONTENT)  # records and contents
            modified = by_modifier(sv, words[:-1], alike(lex, noun)) if of_data else None  # 沟通记录 -> 客服信息
            return record_of(sv, start, end) or modified or Typed(lex.grammar.head_nouns[noun], HEAD_WORD)
    found = of_named(sv, words[:-1]) or lex.heads.by_ending(text)
    if found is not None:
        return Typed(found, HEAD_WORD if found != ROOT else FALLBACK)
    return None


_BENEFICIARY = ("为", "给", "对", "对于", "关于")
PARTNERS = ("与", "和", "同", "跟")


def about_modifier(sv: SentenceView, words: list[Token]) -> Typed | None:
    """The type of an unknown head that a 的-modifier makes data about a contact or a setting (rule 2a, round
    17): a person of the user's contacts as beneficiary or possessor (``about_persons``: 你为朋友设置的备注, 好友的
    备忘 -> contacts; not a partner: 与好友的合影; as beneficiary only of ``labelling_verbs``: not 你为朋友点播的歌曲),
    else a relative clause with a setting verb (``setting_verbs``: 你设置的铃声 -> user_preferences) before a head
    that is a setting: not a name, label or amount (``own_name_heads``: 你设置的个人标签, 收款金额), which keeps the
    type its words give (zh18). None when the
    head is a generic, attribute, record or data noun (与好友的沟通内容 is content), holds a data name or has an
    ending the ontology types (你设置的背景图片 is photos) or no such modifier is there."""
    grammar = sv.lexicon.grammar
    head = head_phrase(words)
    if len(head) == len(words) or not head:
        return None
    text = "".join(t.text for t in head)
    if text.endswith((*grammar.generic_heads, *grammar.attribute_heads, *grammar.data_nouns, *grammar.head_nouns)) \
            or sv.lexicon.heads.by_ending(text) not in (None, ROOT) \
            or any(m.data and head[0].start <= m.start < head[-1].end for m in sv.mentions):
        return None  # (你设置的背景图片: 图片 names photos whoever set it; review of round 17)
    modifier = words[:len(words) - len(head)]
    for i, token in enumerate(modifier):
        before = modifier[i - 1].text if i else sv.text[max(token.start - 1, 0):token.start]  # (你|与|好友的合影)
        after = modifier[i + 1].text if i + 1 < len(modifier) else ""
        found = person_type(sv, token.text)
        if found is not None and ((before in _BENEFICIARY and _labels(sv, modifier[i + 1:]))
                                  or (after == "的" and before not in PARTNERS)):
            return Typed(found, HEAD_WORD)
    found = next((t for t, verbs in grammar.setting_verbs.items() for token in modifier if token.text in verbs), None)
    if found is None or text.endswith(tuple(grammar.own_name_heads)):
        return None  # (你设置的收款金额, 个人标签: a thing of its own, whoever set it; zh18)
    return Typed(found, HEAD_WORD)


def person_type(sv: SentenceView, word: str) -> str | None:
    """The data type of data about ``word`` when it names a person of the user's contacts (``about_persons``:
    好友, 联系人 -> contacts); None otherwise."""
    return next((t for t, persons in sv.lexicon.grammar.about_persons.items() if word in persons), None)


def _labels(sv: SentenceView, rest: list[Token]) -> bool:
    """True when the words after a contact named as beneficiary label that contact: no verb, or only verbs of
    ``labelling_verbs`` (你为朋友设置的备注, 你对联系人的分组; not 你为朋友点播的歌曲, a song, whoever it is for)."""
    return all(t.text in sv.lexicon.grammar.labelling_verbs for t in rest if t.tag.startswith("v"))


def of_named(sv: SentenceView, modifier: list[Token]) -> str | None:
    """The type of the data a noun modifier names with 信息, for a head the ontology does not know (rule 5a, round
    17): a property or part of that data is that data (设备电量 -> 设备信息 -> device_information, 账号等级 -> 账号信息
    -> account_information, 会员等级 -> 会员信息, 银行卡号码 -> 银行卡信息 -> payment_card), as GB/T 35273-2020
    Annex A groups an item under the information it describes; None when no modifier word forms such a name."""
    names = sv.lexicon.heads.names
    for token in reversed(modifier):
        if token.text in CLAUSE_WORDS or token.text == "的" or token.tag == "v":
            return None  # (分析使用趋势: a verb's 使用信息 names no property of data)
        if token.text in sv.lexicon.grammar.status_words:
            continue  # (身份标签: a role's tag, not the identity document's; review of round 17)
        for k in range(len(token.text), 1, -1):
            if (found := names.get(f"{token.text[:k]}信息")) is not None:
                return found
    return None
