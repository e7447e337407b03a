"""Practice verbs and their arguments in a Chinese sentence: verb groups -> objects, subjects, recipients -> claims.

Verb groups (``lexicon.yaml`` ``verbs``):
- a run of verbs joined by 、/和/及/并/或 (收集、使用并存储) is one group with every verb's action; a verb followed
  by 、/和/等 and a non-verb is a noun in a list (点赞、分享、评论) and no verb;
- a verb followed by 的 heads a relative clause (我们收集的信息, 你主动提供的信息), not a predicate;
- 将/把/对 X V (将境内收集的用户个人信息存储于…, 对上述信息进行自动分析) has its object X before the verb;
- a verb with no object after it (a place, a recipient or a duration may follow: 保存180天) takes the topic
  before it (群聊名称、群公告……等信息会存储在我们的服务器中; ……等信息将被收集; 你……提供的信息，我们会保存180天),
  else the object of the predicate before it (我们仅在本地处理你的指纹信息，不会上传至我们的服务器), of a verb
  coordinated with it (删除你的个人信息或进行匿名化处理) or the data the sentence opens with (你的通讯录信息仅会在
  本地进行匹配，不会被上传);
- 用于 X: verbs inside the purpose X state nothing (用于实名核验);
- ``party_verbs`` (查看) state a practice only with a named party other than the user as their subject
  (公众号的服务提供方可以查看你的头像: that party collects it; 你可以查看…, 其他用户可以查看… state nothing);
  ``display_verbs`` (展示) likewise state that a named recipient party collects the data (展示给商家), else nothing;
- every conjunct of a coordinated subject states the practice (我们和第三方都会收集……; round 16);
- storage on the user's own device (存储在你的终端设备) is not a practice.

A coordinated predicate without its own subject shares the negation of the one before (我们不会对外提供……，
或将其用于……); collection from another source (从第三方获取) gives no claim (``claims`` has no source column).
A predicate whose object announces data that follows (我们会收集以下信息：) gives its practices to the items of the
list that follows (:func:`announced_claims`).

The Chinese twin of :mod:`policycheck.claims.english.verbs`: the same roles read with Chinese word-order rules
instead of a dependency parse (PolicyLint, Andow et al. 2019; PoliGraph, Cui et al. 2023).
"""

from __future__ import annotations

import re
from dataclasses import replace

from policycheck.claims.chinese import actors, heads
from policycheck.claims.chinese.clauses import BING_JOINERS, SentenceView
from policycheck.claims.chinese.conditions import Span
from policycheck.claims.chinese.enumerations import ANAPHOR, Item, ObjectReading, item_words, read_object
from policycheck.claims.chinese.frame import ROOT_DATA_TYPE as ROOT
from policycheck.claims.chinese.frame import Group, SentenceFrame
from policycheck.claims.chinese.heads import FALLBACK
from policycheck.claims.chinese.lexicon import Mention, Verb
from policycheck.claims.chinese.negation import MODALS, declined, hedged, negated, questioned, refused, restricted
from policycheck.claims.chinese.scope import ScopeStatement
from policycheck.claims.chinese.segmentation import Token
from policycheck.claims.model import ClaimDraft

_BA = ("将", "把", "对")
_PASSIVE = "被"
_MODAL_ADVERBS = "也还均都仍亦"  # an adverb joined to a modal in one word by the segmenter (也会, 还将)
_AGENT = "由"  # 由 X V: X is the agent (actors._agent)
_GROUP_JOINERS = ("、", "和", "及", "并", "或", "与", "以及", "并且", "或者", "")
_ABLE = ("可", "能", "可以", "能够")
_PREDICATE_JOINERS = ("并", "并且", "进而", "而", "从而")  # join predicates, not nouns
_DIRECTIONS = ("在", "于", "给", "至")
_DATA_OBJECT = ("collect", "retain", "share", "transfer")  # actions whose object is data (not 使用 X功能)


# ---------------------------------------------------------------------------------------------------- groups
def predicates(sv: SentenceView, skip: list[Span], scopes: list[ScopeStatement]) -> list[Group]:
    """The verb groups of the sentence that state a practice: not relative clauses, not a verb in another's
    object slot (分享可用于识别…的信息), not a verb inside another group's preposed object."""
    # 所 + V is a relative clause (你所使用设备的…, 所收集的信息: 所 nominalises the verb), whatever follows it
    groups = _groups(sv, skip, scopes)
    # 对/对于 + V (对获取你的个人信息具有管辖权): the preposition governs a nominalised verb phrase, no predicate
    groups = [g for g in groups if not (sv.text.endswith(("对", "对于"), sv.start, g.start)
                                        and sv.outside(g.start - 1))]
    found = [g for i, g in enumerate(groups) if not relative(sv, g) and sv.text[g.start - 1:g.start] != "所"
             and not _user_relative(sv, groups[i - 1] if i else None, g) and not _granting(sv, g)]
    found = [g for i, g in enumerate(found) if not (
        i and sv.text.endswith(_ABLE, 0, g.start)
        and sv.clause_of(found[i - 1].end)[1] >= g.start
        and not any(p.start <= g.start < p.end for p in skip))]
    consumed: set[int] = set()
    for g in found:
        if g.preposed:
            consumed |= {id(h) for h in found if g.preposed[0] <= h.start < g.preposed[1]}
        if g.has(sv.lexicon.grammar.purpose_object):  # 用于实名核验: a verb of the purpose, no practice
            consumed |= {id(h) for h in found if g.end <= h.start < sv.clause_of(g.end)[1]}
    consumed |= {id(g) for g in found if _purpose_linked(sv, g.start)}  # 申请存储权限来保存……: the purpose
    return [g for g in found if id(g) not in consumed]


def _purpose_linked(sv: SentenceView, verb_start: int) -> bool:
    """True when 来/用来 right before the verb at ``verb_start`` follows a verb and its object in the same comma
    clause (申请你的存储权限来保存你下载的文件: V X 来 V2, V2 is the purpose of V, a serial-verb construction; Li &
    Thompson 1981, ch. 21; round 19)."""
    clause_start = sv.clause_of(verb_start)[0]
    link = next((w for w in _PURPOSE_LINKS if sv.text.endswith(w, clause_start, verb_start)), None)
    if link is None or not sv.outside(verb_start - len(link)):
        return False
    before = [t for t in sv.tokens if clause_start <= t.start and t.end <= verb_start - len(link) and t.text.strip()]
    last = max((i for i, t in enumerate(before) if t.tag.startswith("v") and t.text not in MODALS), default=None)
    # no preposition before 来 in the clause: 根据本指引来收集, 按照法律来保存 are a manner, no purpose
    return last is not None and last < len(before) - 1 and not any(t.tag == "p" for t in before)


def _granting(sv: SentenceView, group: Group) -> bool:
    """True for the verb of the user's grant phrase opening its clause (你提供给我们的|照片会被……, 你向商家提供的|
    地址……: a relative clause of the data, no practice of its own; round 16)."""
    opening = sv.skip_connectors(sv.clause_of(group.start)[0])
    return group.end <= actors.grant_end(sv, opening, sv.clause_of(group.start)[1])


def _user_relative(sv: SentenceView, before: Group | None, group: Group) -> bool:
    """True when the group is the verb of a relative clause whose subject is the user, inside the object of the
    practice verb right before it (收集你使用设备的信息, 记录你浏览商品的记录: V1 + 你 + V2 + ... + 的 + head):
    the user's act describes the data, it is no practice of its own."""
    if before is None or sv.text[before.end:group.start] not in sv.lexicon.grammar.words("user"):
        return False
    clause_end = sv.clause_of(group.end)[1]
    return "的" in sv.text[group.end:clause_end] and sv.clause_of(before.end)[1] == clause_end


def _groups(sv: SentenceView, skip: list[Span], scopes: list[ScopeStatement]) -> list[Group]:
    verbs = [v for v in sv.verbs if sv.outside(v.start) and not any(s.start <= v.start < s.end for s in skip)
             and not any(s.verb_start == v.start for s in scopes)
             and (v.text not in sv.lexicon.display_verbs or _shown_to_party(sv, v))]
    # after 、/和/及 a verb continues a list of nouns (点赞、分享), unless a verb stands before (生成、存储)
    ends = {v.end for v in sv.verbs} | {t.end for t in sv.tokens if t.tag == "v"}
    verbs = [v for i, v in enumerate(verbs) if not _nominal(sv, v, verbs[i + 1:]) and not _modifier(sv, v)
             and not (sv.text[v.start - 1:v.start] in ("、", "和", "及") and v.start - 1 not in ends)]
    groups: list[Group] = []
    # an aspect marker, or a resultative 到 before 的 (收集到的信息, 获取到的数据: a relative clause), is the verb's
    verbs = [Verb(v.start, v.end + 1, v.text, v.action)
             if sv.text[v.end:v.end + 1] in ("了", "过") or sv.text.startswith("到的", v.end) else v for v in verbs]
    for v in verbs:
        gap = sv.text[groups[-1].end:v.start] if groups else ""
        manner = sv.lexicon.phrase_ending(sv.text, v.start, "manner_adverbs")
        if manner and gap.endswith(manner) and gap[:-len(manner)] in _GROUP_JOINERS[:-1]:
            gap = ""  # 收集并加密存储: a manner adverb before the second verb keeps the group
        if groups and gap in _GROUP_JOINERS \
                and groups[-1].verbs[-1].text not in sv.lexicon.grammar.purpose_object:  # 用于处理: a purpose
            groups[-1].verbs.append(v)
        else:
            groups.append(Group([v]))
    for g in groups:
        g.preposed = _preposed(sv, g, groups)
    return groups


def _shown_to_party(sv: SentenceView, verb: Verb) -> bool:
    """True when a display verb (``display_verbs``) has a party word as its recipient right next to it: 给 + an
    entity or a party noun after it (展示给商家), or 向 + one right before it (向开发者显示). Elsewhere (展示你发布的
    内容, 向你展示, 在页面中展示) the verb is no predicate at all (round 16)."""
    def party(start: int, end: int) -> bool:
        return any(m.entity and m.start == start and m.end == end for m in sv.mentions) \
            or sv.text.endswith(tuple(sv.lexicon.grammar.party_nouns), start, end)
    if sv.text.startswith("给", verb.end):
        after = sv.token_after(verb.end + 1)
        mention = sv.mention_at(verb.end + 1)
        end = mention.end if mention is not None else (after.end if after is not None else -1)
        phrase_end = verb.end + 1 + len(sv.text[verb.end + 1:sv.clause_of(verb.end)[1]].rstrip("。；，,; "))
        return (end > verb.end + 1 and party(verb.end + 1, end)) \
            or (0 < phrase_end - verb.end - 1 <= 10 and party(verb.end + 1, phrase_end))  # 给配送的快递公司
    at = sv.text.rfind("向", sv.clause_of(verb.start)[0], verb.start)
    return at != -1 and 0 < verb.start - at - 1 <= 10 and party(at + 1, verb.start) \
        and not any(c in sv.text[at:verb.start] for c in "，,；;")


def _modifier(sv: SentenceView, verb: Verb) -> bool:
    """True for a verb between the particle 的 and a noun (你的输入内容, 用户的上传记录): it modifies the noun of a noun
    phrase, no predicate can follow 的 (round 11: 我们不会收集你的输入内容 is a negated collection of the content,
    not the user's 输入)."""
    before = next((t for t in sv.tokens if t.end == verb.start), None)
    after = sv.token_after(verb.end)
    return (before is not None and before.text == "的" and after is not None and after.start == verb.end
            and (after.tag.startswith("n") or any(m.start == verb.end for m in sv.mentions)))


def _compound_head(sv: SentenceView, pos: int) -> bool:
    """True when a data noun (``data_nouns``, a generic or a content head: 内容, 信息, 记录; an attribute head: 时长,
    次数, zh20) starts at ``pos`` and ends its noun phrase (a list, bracket or clause end follows): the head of a
    compound noun."""
    lex = sv.lexicon
    heads = sorted({*lex.grammar.data_nouns, *lex.grammar.generic_heads, *lex.grammar.head_nouns,
                    *lex.grammar.attribute_heads}, key=len, reverse=True)
    head = next((h for h in heads if sv.text.startswith(h, pos)), None)
    return head is not None and (sv.text[pos + len(head):pos + len(head) + 1] in (*"、，,。；;等（(）)和及或", "")
                                 or _serial_verb_at(sv, pos + len(head), sv.clause_of(pos)[1]))  # 次数改进服务 (zh23)


def _after_modal(sv: SentenceView, verb: Verb) -> bool:
    """True when a modal verb (会, 将, 可能 ...; also 也会, 还将) stands right before ``verb``: a word after a modal
    is a verb, whatever jieba tags it (我们会记录转账金额: 记录 with an object the lexicon does not name; zh20)."""
    before = next((t for t in sv.tokens if t.end == verb.start), None)
    if before is None:
        return False
    word = before.text[1:] if before.text[0] in _MODAL_ADVERBS else before.text
    return word in MODALS


def _object_noun(sv: SentenceView, verb: Verb) -> bool:
    """True when a plain noun in an object's place (after 的 or a practice verb) stands right before ``verb``
    (你的服务使用日志, 保存设备使用数据: the noun, the verb and a data noun after it are one compound, the usage
    log of the service; zh18; a feature noun whatever jieba tags it: 应用使用日志, zh20, or a feature's name: 小程序
    使用时长, zh21); not a subject
    (微信使用日志记录……) nor a party (向商家提供使用数据)."""
    noun = next((t for t in sv.tokens if t.end == verb.start), None)
    if noun is None or noun.text in sv.lexicon.grammar.pronouns \
            or not (noun.tag.startswith(("n", "vn")) or noun.text in sv.lexicon.grammar.feature_nouns
                    or any(m.feature and (m.start, m.end) == (noun.start, noun.end) for m in sv.mentions)) \
            or any(m.entity and m.start <= noun.start < m.end for m in sv.mentions):
        return False
    before = next((t for t in sv.tokens if t.end == noun.start), None)
    return before is not None and (before.text == "的" or before.text in sv.lexicon.verb_actions)


def _nominal(sv: SentenceView, verb: Verb, rest: list[Verb]) -> bool:
    """A verb followed by 、/和/及/等 and something other than a verb is a noun in a list (点赞、分享、评论);
    a verb followed by one plain noun and a list or clause end is a compound noun (使用范围, 处理规则)."""
    lex = sv.lexicon
    after = sv.text[verb.end:verb.end + 2]
    if verb.text in lex.grammar.noun_verbs and not sv.text.endswith(_PASSIVE, sv.start, verb.start) \
            and not _after_modal(sv, verb):
        mention = sv.mention_at(verb.end)  # (……将不再被记录: after 被 it is the verb)
        if not (lex.phrase_at(sv.text, verb.end, "user") or lex.phrase_at(sv.text, verb.end, "anaphors")
                or lex.phrase_at(sv.text, verb.end, "first_party") or (mention and mention.data)):
            return True  # a noun without an object: 预约记录，相关记录进行……
    named = next((m for m in sv.mentions if m.end == verb.start and m.data), None)
    destination = any(d in verb.text[1:] for d in ("至", "到"))  # 发送至服务器: a verb with its destination
    if named is not None and sv.text[named.start - 1:named.start] == "的" and not destination \
            and sv.text[verb.end:verb.end + 1] in ("。", "，", ",", "；", ";", "）", ")", ""):
        return True  # ……而开展的个人信息处理。: a data noun + verb ending the clause after 的 is a compound noun
    nxt = sv.token_after(verb.end)
    if nxt is not None and nxt.start == verb.end and (nxt.tag == "k" or nxt.text in "者方"):
        return True  # 处理者, 提供方: a noun with a suffix
    if actors.party_modifier(sv, verb.end):
        return True  # 我们的支付处理合作方会……: the verb names the party
    if (named is not None or _object_noun(sv, verb)) and _compound_head(sv, verb.end):
        return True  # 语音输入内容, 位置上传记录: a data name + verb + a data noun is one noun (round 13)
    if nxt is not None and nxt.start == verb.end and nxt.tag.startswith("n") \
            and verb.text not in lex.grammar.purpose_object \
            and not sv.mention_at(nxt.start) and nxt.end < len(sv.text) \
            and sv.text[nxt.end] in "、，,。；;等（(和及" and nxt.text not in lex.grammar.pronouns \
            and nxt.text not in (*lex.grammar.generic_heads, *lex.grammar.data_nouns):
        return True  # (收集信息（包括……）: a generic data noun is the verb's object, not a compound's head;
        # 用于身份验证。 names a purpose, never a compound: round 16)
    if not after or after[0] not in "、和及与或等":
        return False
    if after[0] == "等":
        return True
    joiner = sv.token_at(verb.end)
    if joiner is not None and joiner.start == verb.end and joiner.tag == "p":
        return False  # 使用与你指令相关的信息: a preposition, not a list
    return not any(v.start == verb.end + 1 for v in rest)


def _preposed(sv: SentenceView, group: Group, groups: list[Group]) -> tuple[int, int] | None:
    """The object of 将/把/对 X V before the group, when such a construction ends at this group."""
    purpose_verb = group.has(sv.lexicon.grammar.purpose_object)
    to_party = sv.text.startswith(tuple(sv.lexicon.grammar.recipient_after), group.end)  # 将X提供给…的第三方
    if _relative_after(sv, group.end) and not purpose_verb and not to_party:
        return None
    for token in reversed(sv.tokens):
        if token.end > group.start or token.start < sv.start:
            continue
        if token.text in _BA and sv.outside(token.start):
            nxt = sv.token_after(token.end)
            if nxt is None or nxt.start >= group.start:
                return None
            if token.text == "对" and nxt.text in ("外",):
                return None
            verb_end = nxt.end + (1 if sv.text.startswith("到的", nxt.end) else 0)  # (将收集到的……)
            relative_opening = nxt.tag.startswith("v") and relative_at(sv, verb_end)  # 将获取的用户信息用于……
            if token.text == "将" and (not (nxt.tag.startswith(("n", "r", "s")) or sv.mention_at(nxt.start)
                                           or nxt.text in _demonstrative_words(sv)  # 将上述信息 (上述/b)
                                           or _adjective_anaphor(sv, nxt) or relative_opening)
                                      or nxt.text in sv.lexicon.grammar.negations):
                return None  # 我们将无法获取……: 将 before a negation is the future modal, not 将 + object
            # no other predicate between the object start and this verb, except relative ones
            if any(not relative(sv, g) for g in groups if token.end <= g.start < group.start):
                return None
            end = group.start
            for t in sv.tokens:
                if token.end <= t.start < end and t.text in ("进行", "以", "予以", "加以"):
                    end = t.start
                    break
            manner = sv.lexicon.phrase_ending(sv.text, end, "manner_adverbs")
            if manner and end - len(manner) <= token.end:
                return None  # 上述信息将加密存储: 将 is a modal before a manner adverb, not 将 + object
            return token.end, end - len(manner or "")  # 将你的聊天记录加密存储: the adverb is the verb's
        if sv.text[token.start] in "。；" or (token.text in ("，", ",") and sv.outside(token.start)
                                             and (sv.starts_with_subject(sv.skip_connectors(token.end))
                                                  or _own_predicate(sv, token.end, group.start))):
            return None  # (当你将通讯录关联时，我们会与……共享: the verb's clause has its own subject)
    return None


def _demonstrative_words(sv: SentenceView) -> set[str]:
    """Anaphor words that open a noun phrase (上述, 前述, 该等), not the adjective ones (相应地 is a manner)."""
    grammar = sv.lexicon.grammar
    return set(grammar.anaphors) - set(grammar.adjective_anaphors)


def _adjective_anaphor(sv: SentenceView, token: Token) -> bool:
    """True for an adjective anaphor (相关, 相应) right before a generic or data noun (将相关信息提供给……: the data
    named before, as 将上述信息; 相应地 and 相关的 are no noun phrase; round 19)."""
    grammar = sv.lexicon.grammar
    return token.text in grammar.adjective_anaphors and (
        sv.text.startswith(tuple(grammar.generic_heads), token.end) or any(
            m.data and m.start == token.end for m in sv.mentions))


def _own_predicate(sv: SentenceView, start: int, verb_start: int) -> bool:
    """True when the comma clause from ``start`` to the verb has a modal, negation or predicate joiner of its own
    (我们会将你的语音发送至服务器，识别完成后不会保留你的语音): a predicate of its own with the subject dropped, so a
    将/把/对 before the comma belongs to a verb before it (发送), not to this one (round 11)."""
    words = (*MODALS, *sv.lexicon.grammar.negations, *_PREDICATE_JOINERS, "也", "还")
    return any(t.text in words and sv.outside(t.start) for t in sv.tokens if start <= t.start < verb_start)


def relative(sv: SentenceView, group: Group) -> bool:
    """True when the group heads a relative clause: a 的 follows it before any other verb or clause end
    (我们收集的信息, 使用应用程序的频率, SDK处理个人信息的目的), except when the 的 only joins a possessor
    to the object (收集你设备应用的安装卸载信息, 使用你在视频号等场景内的关注……记录, 填写好友的备注)."""
    if group.preposed:
        return False
    if group.has(sv.lexicon.grammar.purpose_object):
        return sv.text.startswith("的", group.end)  # X用于Y的…: Y is a purpose, its 的 says nothing
    if sv.text.startswith(tuple(sv.lexicon.grammar.recipient_after), group.end) and (actors.recipient(
            sv, group.start, group.start, group.end, sv.clause_of(group.end)[1], "") is not None
            or (group.has(sv.lexicon.grammar.verbs["transfer"]) and _to_place(sv, group))):
        return False  # 被转移给新的持有者, 提供给你授权登录的第三方应用, 传输至境外的数据中心: the 的 is inside the
        # recipient or the place
    return _relative_after(sv, group.end) and not _modal_predicate(sv, group)


def _modal_predicate(sv: SentenceView, group: Group) -> bool:
    """True when a verb governed by a modal or negation in its clause (会, 可能, 不会 ...; no other verb between)
    has an object + 的 + one noun that closes its clause (我们可能会与广告合作伙伴共享广告效果的报告。): nothing after
    the noun could be the predicate a relative clause needs, so the verb is the predicate and 的 joins a modifier
    to its object (round 11). Not when 的 follows the verb at once (我们可能会收集的信息包括……) or the noun names
    a circumstance or no data (……的目的, ……的过程)."""
    clause_start = sv.clause_of(group.start)[0]
    modal = max((t.end for t in sv.tokens if clause_start <= t.start < group.start and sv.outside(t.start)
                 and t.text in (*MODALS, *sv.lexicon.grammar.negations)), default=-1)
    if sv.text.startswith("的", group.end) or modal == -1 or any(
            t.tag == "v" and t.text not in (*MODALS, *sv.lexicon.grammar.negations)
            for t in sv.tokens if modal <= t.start < group.start):
        return False  # (我们会告知你收集信息的目的: the modal governs 告知, 收集 heads a relative clause)
    clause_end = sv.clause_of(group.end)[1]
    de = sv.text.rfind("的", group.end, clause_end)
    if de == -1 or not sv.outside(de):
        return False
    noun = sv.token_after(de + 1)
    if noun is None or _non_data_head(sv, de + 1):
        return False  # (……收集你的信息的过程: the clause modifies a circumstance, it is no object)
    return noun.start == de + 1 and noun.end == clause_end and not any(
        t.tag == "v" and sv.outside(t.start) for t in sv.tokens if group.end <= t.start < de
        and t.text not in MODALS)  # (有关/vn 广告效果的报告: a verbal noun is part of the object)


def _relative_after(sv: SentenceView, k: int) -> bool:
    """:func:`relative_at` after a place complement, if one follows (存储在中国境内的服务器上: the 的 is inside the
    place; 存储在服务器上的信息 is a relative clause)."""
    if sv.text.startswith(_LIMITS, k):
        return False  # 保留超过必要的期限: a limit complement (the 的 is inside it), no relative clause
    place = _place_end(sv, k)
    if place is not None:
        facility = next((f for f in _FACILITIES if sv.text.startswith(f"的{f}", place)), None)
        if facility is not None:  # 存储于中华人民共和国境内的服务器。: the 的 joins the place to its facility
            place += 1 + len(facility)
            place += next((len(w) for w in _PLACE_ENDS if sv.text.startswith(w, place)), 0)
            return relative_at(sv, place)
        return sv.text.startswith("的", place) or relative_at(sv, place)
    return relative_at(sv, k)


_FACILITIES = ("服务器", "数据中心", "机房", "云端", "云服务器")  # where data is kept (round 13)


_LIMITS = ("超过", "超出", "长于")  # a limit after the verb: 不会将个人信息保留超过必要的期限 (round 11)
_PLACE_ENDS = ("上", "中", "内", "里", "之中", "当中", "境内", "境外", "以内")


def _place_end(sv: SentenceView, k: int) -> int | None:
    """End of a place complement 在/于 X上 right after a verb ending at ``k`` (保存在我们的服务器中, 存储于中国境内的
    服务器上): after its last locative word before the next punctuation, or None when no place follows."""
    if not sv.text.startswith(("在", "于"), k):
        return None
    stop = next((j for j in range(k, sv.end) if sv.text[j] in "、，,；;。：:（("), sv.end)
    ends = [t.end for t in sv.tokens if k < t.start and t.end <= stop and (t.text in _PLACE_ENDS or (
        t.text in _FACILITIES and t.end == stop))]  # 存储于我们的服务器。: a facility closing the clause is the place
    return ends[-1] if ends else None


def relative_at(sv: SentenceView, k: int) -> bool:
    """The test of :func:`relative` for a verb ending at ``k``."""
    text = sv.text
    pronouns = sv.lexicon.grammar.pronouns
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
            if possessive and _period_head(sv, j + 1):
                return True  # 我们保留你的信息的时间取决于……: the clause says how long, it is the subject's modifier
            if possessive and not _non_data_head(sv, j + 1):
                j += 1
                continue  # 你的…, 你在视频号等场景内的…: a possessor inside the object
            if possessive:
                return True  # 收集儿童个人信息的情况: the clause modifies a noun that is no data
            if j == k:
                return True
            head = next((m for m in sv.mentions if m.start > j and m.data), None)
            if head is not None and head.start == j + 1:
                return False  # 收集你设备应用的安装卸载信息: the object names data after its possessor
            noun = sv.token_after(j + 1)
            lex = sv.lexicon
            possessor = [t for t in sv.tokens if k <= t.start and t.end <= j]
            return not (noun is not None and noun.start == j + 1 and noun.text in (
                *lex.grammar.generic_heads, *lex.grammar.data_nouns, *lex.grammar.head_nouns)
                and all(t.tag.startswith(("n", "r", "c")) or t.start in inside or t.text in
                        lex.grammar.generic_determiners for t in possessor))  # 填写朋友的资料, 共享必要的信息
        j += 1
    return False


_CIRCUMSTANCE_HEADS = ("情况", "情形", "过程", "行为", "活动", "场合")
_PERIOD_HEADS = ("时间", "时长", "期间")


def _period_head(sv: SentenceView, k: int) -> bool:
    """True when a period noun (时间, 时长) at ``k`` heads a noun phrase that is the subject of a predicate after
    it in its clause (保留你的信息的时间取决于/不会超过……): the practice verb before it is a relative clause."""
    word = next((w for w in _PERIOD_HEADS if sv.text.startswith(w, k)), None)
    if word is None:
        return False
    clause_end = sv.clause_of(k)[1]
    return any(t.tag.startswith("v") for t in sv.tokens if k + len(word) <= t.start < clause_end)


def _non_data_head(sv: SentenceView, k: int) -> bool:
    """True when the noun at ``k`` (after a 的) names no data: a circumstance (情况, 情形, 过程) or a
    ``non_data_heads`` word (目的, 方式, 规则 ...), and no data name starts there."""
    if any(m.start == k and m.data for m in sv.mentions) or _compound_data(sv, k):
        return False
    circumstance = next((w for w in _CIRCUMSTANCE_HEADS if sv.text.startswith(w, k)), None)
    if circumstance is not None and sv.text.startswith(
            (*sv.lexicon.grammar.generic_heads, *sv.lexicon.grammar.data_nouns), k + len(circumstance)):
        return False  # 收集你的行为信息, 活动数据: the circumstance word modifies a data noun (round 11)
    return sv.text.startswith((*_CIRCUMSTANCE_HEADS, *sv.lexicon.grammar.non_data_heads), k)


def _compound_data(sv: SentenceView, k: int) -> bool:
    """True when the word at ``k`` opens a compound noun that a data name or data noun ends, with neither 的 nor a
    conjunction, punctuation or practice verb between (软件使用记录, 应用运行日志: the software's usage records, not a
    clause modifying 软件; round 17), or an attribute head after a practice verb that belongs to the compound
    (应用使用时长, 软件使用次数: the use's duration; zh21)."""
    lex = sv.lexicon
    words = [t for t in sv.tokens if t.start >= k]

    def ends(t: Token) -> bool:  # 的, a conjunction, punctuation or a practice verb (not inside a data name)
        return t.text in ("的", *lex.grammar.separators) or (
            (t.tag in ("c", "x", "uj") or (t.text in lex.verb_actions and not _compound_head(sv, t.end)))
            and not sv.mention_at(t.start)) \
            or (sv.text[k:t.start].endswith(_head_words(sv))
                and _serial_verb_at(sv, t.start, sv.clause_of(t.start)[1]))  # (服务使用日志: a verb before a data noun
        # ending the phrase; zh18; 次数改进服务: a serial verb after the compound ends it, zh23)

    stop = next((i for i, t in enumerate(words) if ends(t)), len(words))
    if stop < 2:
        return False
    end = words[stop - 1].end
    nouns = (*lex.grammar.data_nouns, *lex.grammar.generic_heads, *lex.grammar.head_nouns)
    if any(t.text in lex.verb_actions for t in words[1:stop]):
        nouns += tuple(lex.grammar.attribute_heads)  # 应用使用时长: an attribute of the use (zh21)
    return any(m.end == end and m.data and m.start > k for m in sv.mentions) or sv.text.endswith(nouns, k, end)


# ---------------------------------------------------------------------------------------------------- claims
def claims_of(f: SentenceFrame, group: Group) -> list[ClaimDraft]:
    """The claims one predicate states: its object's items, by its subject, to its recipient."""
    sv = f.sv
    if "negation" not in f.state.disabled and ((refused(sv, group.start) and not declined(sv, group.start))
                                                 or hedged(sv, group.start)
                                                 or questioned(sv, group.end)):
        return []  # refused (拒绝……), hedged or asked about (收集哪些信息): no practice stated
    reading, floor, span_end = _object(f, group)
    if reading is None:
        return []
    announced = not reading.items  # 我们会收集以下信息：: the items of the list that follows say what
    if announced:
        reading = ObjectReading([Item(group.end, group.end, "", ROOT, FALLBACK)])
    blocked = f.skip + ([Span(group.preposed[0], group.preposed[1], "object")] if group.preposed else [])
    who = _list_subject(f, group, actors.subject(sv, group.start, blocked, f.first_party, floor,
                                                 party_nouns="parties" not in f.state.disabled))
    roles = _parties(f, group, who, span_end)
    if roles is None:
        return []
    actor, actions, to = roles
    found = who.start < group.start and who.kind != actors.USER
    gap_start = _gap_start(sv, group, who, floor, found, blocked)
    own_subject = found and who.start >= sv.clause_of(group.start)[0]
    is_negated = _negation(f, group, gap_start, blocked, own_subject)
    last_item = max([group.end, *(i.end for i in reading.items)])
    conditioned = any(c.start < group.start and c.kind != "purpose" for c in f.conditions)
    if is_negated and restricted(sv, group.end, last_item, group.has(sv.lexicon.grammar.purpose_object),
                                 conditioned):
        return []
    claims = []
    for stated in actions:
        if (found := _action_to(f, group, who, to, stated)) is None:
            continue
        action, recipient = found
        for item in reading.items:
            if item.data_type is None:
                continue
            claims.append(f.claim(actor, action, is_negated, item_words(sv, item.start, item.end), item.data_type,
                                  group.start, group.end, gap_start, recipient=recipient, data_basis=item.basis))
    claims += _co_subjects(f, group, who, claims)
    if announced:
        f.state.announced += claims  # their data comes from the list items that follow (extractor)
        return []
    _announce_parts(f, reading, claims)
    if claims:
        f.defined.extend(reading.defined)
    return claims


def _action_to(f: SentenceFrame, group: Group, who: actors.Party, to: actors.Party | None,
               action: str) -> tuple[str, str | None] | None:
    """(action, recipient) of one action of a predicate; None when a share or transfer states no claim of ours."""
    if action == "share" and _sent_to_us(f, group, who, to):
        return "collect", None  # (消息草稿不会发送给我们: what is sent to us, by nobody named, is our collection; zh23)
    if action not in ("share", "transfer"):
        return action, None
    if to is None or to.kind == actors.USER or (to.kind == actors.FIRST and who.kind not in (
            actors.FIRST, actors.ENTITY)):
        return None  # (合作方会向我们提供: a named party's share to us is its claim; round 15)
    if "parties" not in f.state.disabled and actors.other_users(f.onto, to):
        return None  # 共享给你的好友, 向其他用户展示: what other users get is display, no share
    return action, to.entity if to.kind == actors.ENTITY else f.first_party


def _sent_to_us(f: SentenceFrame, group: Group, who: actors.Party, to: actors.Party | None) -> bool:
    """True when data is sent to the first party (发送给我们, 提供给我们) and no other party is named before the verb
    in its clause (你的消息草稿不会发送给我们, 设备会将步数发送给我们): what reaches us is our collection, as
    上传至我们的服务器 is; a party's sending to us (商家会将……提供给我们) is kept as it was (zh23)."""
    if to is None or to.kind != actors.FIRST or to.end <= to.start or who.kind == actors.ENTITY:
        return False
    sv = f.sv
    clause_start = sv.clause_of(group.start)[0]
    nouns = tuple(sv.lexicon.grammar.party_nouns)
    return not any(m.entity for m in sv.mentions if clause_start <= m.start < group.start) \
        and not any(t.text.endswith(nouns) for t in sv.tokens if clause_start <= t.start < group.start)


def _co_subjects(f: SentenceFrame, group: Group, who: actors.Party, claims: list[ClaimDraft]) -> list[ClaimDraft]:
    """The claims of the other conjuncts of a coordinated subject that ``who`` belongs to (我们和第三方都会收集……:
    each conjunct states the practice; round 16), each conjunct's copy of ``claims`` with it as the actor (none to
    itself as the recipient). Empty when the subject is no coordination (:func:`actors.conjuncts`) or with the
    ``parties`` phenomenon off."""
    if not claims or "parties" in f.state.disabled:
        return []
    parties = actors.conjuncts(f.sv, group.start, f.first_party)
    if not any(p.start <= who.start < p.end for p in parties):
        return []
    out = []
    for party in parties:
        actor = party.entity or f.first_party
        if not party.start <= who.start < party.end and actor != (who.entity or f.first_party):
            out += [replace(c, actor=actor) for c in claims if c.recipient != actor]
    return out


def _list_subject(f: SentenceFrame, group: Group, who: actors.Party) -> actors.Party:
    """The subject of a ；-list of predicates after a colon (第三方SDK可能会：收集……；获取……。): a party named before
    the colon is the subject of the first part and, kept in the block's state up to the full stop, of later parts
    whose verbs have no subject of their own (round 12). Not with the ``lead_ins`` phenomenon off."""
    sv = f.sv
    if "lead_ins" in f.state.disabled:
        return who
    if who.kind == actors.ENTITY and who.end <= sv.text.rfind("：", sv.start, group.start) \
            and sv.text[sv.start:sv.end].rstrip().endswith(("；", ";")):
        f.state.list_subject = who
    elif who.kind == actors.FIRST and who.start == group.start and f.state.list_subject is not None:
        start = sv.clause_of(group.start)[0]
        return actors.Party(f.state.list_subject.kind, f.state.list_subject.entity, start, start)
    return who


def _gap_start(sv: SentenceView, group: Group, who: actors.Party, floor: int | None, found: bool,
               skip: list[Span]) -> int:
    """Where the words between the subject and the verb (negation, modality) start: after the topic object
    (``floor``), else after the subject found, else at the clause start; a passive agent (不再被我们使用) has its
    negation before it, so there the clause start (or the topic's end); so has the pivot of an ordering verb
    (我们不会委托第三方收集……: the negation before 委托 denies the third party's collection; zh21)."""
    if found and (sv.text.endswith(_PASSIVE, 0, who.start) or actors.ordering_verb(sv, who, skip) is not None):
        return max(sv.clause_of(group.start)[0], floor if floor is not None else 0)
    return floor if floor is not None else (who.end if found else sv.clause_of(group.start)[0])


def _announce_parts(f: SentenceFrame, reading: ObjectReading, claims: list[ClaimDraft]) -> None:
    """我们会收集以下信息：设备信息……；网络信息……；位置信息。: a predicate whose object announces data with a colon
    and whose sentence ends at a ；  gives its practices to the ；-parts that follow, up to the end of the full
    sentence (。; the extractor ends the listing there). Not with the ``lead_ins`` phenomenon off."""
    sv = f.sv
    if reading.cataphoric and claims and sv.text[sv.start:sv.end].rstrip().endswith(("；", ";")) \
            and "lead_ins" not in f.state.disabled:
        f.state.announced += claims
        f.state.listing = True


def _object(f: SentenceFrame, group: Group) -> tuple[ObjectReading | None, int | None, int]:
    """The object of ``group`` read into items (None when it names no data; an empty reading when it announces
    data that follows: 以下信息), the floor for the subject search (the start of a topic object) and the end of
    the object span."""
    sv = f.sv
    floor = None
    span = group.preposed or (group.end, object_end(f, group))
    if not group.preposed and (duration := _DURATION.match(sv.text, span[0], span[1])):
        span = (duration.end(), span[1])  # 保存180天: a duration, no object
    if _local(sv, group.start, group.end, span[1]):
        return None, None, span[1]
    purpose_object = group.has(sv.lexicon.grammar.purpose_object)
    expected = any(a in _DATA_OBJECT for a in group.actions)
    if purpose_object and not group.preposed:
        reading = read_object(sv, span[0], span[0], f.antecedents)
    else:
        reading = read_object(sv, span[0], span[1], f.antecedents, expected)
    colon = not group.preposed and not purpose_object and sv.text[group.end:span[1] + 1].strip().startswith(
        ("：", ":"))  # 我们会收集：: the verb's object is the list that follows, unless a topic names it (round 12)
    reading.cataphoric = reading.cataphoric or (colon and bool(reading.items))
    if not reading.items and not group.preposed:
        topic = _topic(f, group, purpose_object)
        if topic:
            reading = read_object(sv, topic[0], topic[1], f.antecedents, expected)
            floor = topic[1]
        elif _feature_used(sv, group):
            pass  # 部分功能可能无法使用: the feature named before the verb is what is (not) used, no data
        elif (not purpose_object and _open_slot(sv, group)) or (purpose_object and _only_for(sv, group)):
            reading = _shared_object(f, group, expected)
        elif (raised := _raised_object(f, group)) is not None:
            reading = read_object(sv, raised[0], raised[1], f.antecedents, expected)
        if colon and not reading.items:
            reading.cataphoric = True
    if reading.cataphoric and not reading.items:
        return reading, floor, span[1]
    if not reading.items:
        words = heads.bare(sv, span[0], span[1])[1]
        if words and not sv.text.startswith(_DIRECTIONS, span[0]) and heads.is_nominal(sv, span[0], span[1], words):
            f.state.objects += 1  # a noun the ontology has no type for: a later 上述信息 may mean it (not 权限)
        return None, floor, span[1]
    return reading, floor, span[1]


def _parties(f: SentenceFrame, group: Group, who: actors.Party,
             span_end: int) -> tuple[str, list[str], actors.Party | None] | None:
    """(actor, actions, recipient) of the predicate; None when it states no practice of a party (collection from
    another source, a user's own act that gives the service nothing)."""
    sv = f.sv
    if all(v.text in sv.lexicon.party_verbs for v in group.verbs) and not actors.named_party(sv, f.onto, who, group):
        return None  # 查看: a practice only of a named party (not of the user, other users or nobody named)
    if "parties" not in f.state.disabled and actors.other_users(f.onto, who):
        return None  # 其他用户可以访问你公开发布的内容: what other users see is display, no practice of a party
    actions = group.actions
    actor = who.entity or f.first_party
    to = None
    if any(a in ("share", "transfer") for a in actions):
        to = actors.recipient(sv, _recipient_floor(f, group, who), group.start, group.end,
                              max(span_end, sv.clause_of(group.end)[1]), f.first_party,
                              heads="parties" not in f.state.disabled)
        if to is None and (group.has(sv.lexicon.grammar.sale) or _handover(sv, group)):
            to = actors.Party(actors.ENTITY, "third_party", group.start, group.start)  # 出售/转让 X: a new holder
        if to is None and "transfer" in actions and _to_place(sv, group):  # 传输至以下地点: our own facilities
            to = actors.Party(actors.FIRST, f.first_party, group.end, group.end)
        if to is None and f.state.item_recipient is not None:  # an item of a recipient list: its party
            to = actors.Party(actors.ENTITY, f.state.item_recipient, group.start, group.start)
        if to is None:
            to = _elided_recipient(f, group, who) or _requesting_party(f, group, who)
    if "collect" in actions and actors.source(sv, who.end if who.start < group.start else sv.start, group.start,
                                              f.first_party) is not None:
        actions = [a for a in actions if a != "collect"]  # 从第三方获取: collection from another source says nothing
        # about what the app sends; a verb joined to it (获取并存储) keeps its own practice (zh23)
        if not actions:
            return None
    if who.kind == actors.USER:
        if not group.has(sv.lexicon.grammar.user_gives) or negated(sv, who.end, group.start, f.skip):
            return None
        if to is not None and to.kind != actors.FIRST:
            return None
        return _requester(f, who) or f.first_party, ["collect"], None  # 你填写/提供……: the service collects it
    if all(v.text in sv.lexicon.display_verbs for v in group.verbs):
        return _viewer(f, to)
    return actor, actions, to


_REQUESTS = ("要求", "需要", "请求", "索要")


def _requester(f: SentenceFrame, who: actors.Party) -> str | None:
    """The named party that asks the user to give the data (该平台可能会要求你提供……, 开发者需要你填写……: the party
    asking collects it, as 需要你提供 is the service's collection; round 16), or None (no request before the user,
    or its subject is "we" or none)."""
    sv = f.sv
    ask = next((w for w in _REQUESTS if sv.text.endswith(w, 0, who.start)), None)
    if ask is None:
        return None
    party = actors.subject(sv, who.start - len(ask), f.skip, f.first_party)
    return party.entity if party.kind == actors.ENTITY and party.start < who.start - len(ask) else None


def _viewer(f: SentenceFrame, to: actors.Party | None) -> tuple[str, list[str], None] | None:
    """(party, ["collect"], None) for data displayed to a named party (我们会将你的昵称展示给商家: the party that views
    it obtains it, as with 查看; README "claims", Chinese); None when shown to the user, to other users, in public
    (公开展示, ``external``) or to a party only implied (an elided or listed recipient: no words of its own)."""
    if to is None or to.kind != actors.ENTITY or to.end <= to.start or actors.other_users(f.onto, to) \
            or f.sv.text[to.start:to.end] in f.sv.lexicon.grammar.external:
        return None
    return to.entity or "third_party", ["collect"], None


_CONTINUERS = ("但", "但是", "并", "也", "且", "而", "同时", "还")


def _elided_recipient(f: SentenceFrame, group: Group, who: actors.Party) -> actors.Party | None:
    """The recipient of the sentence's previous share or transfer, for one in a later clause that opens with a
    connector and names neither a subject nor a recipient of its own (我们不会向开发者提供你的微信号，但会提供你的
    昵称: Chinese elides the repeated recipient; round 11); None otherwise."""
    sv = f.sv
    clause_start = sv.skip_connectors(sv.clause_of(group.start)[0])
    opening = sv.clause_of(group.start)[0]
    own_subject = opening <= who.start < group.start
    if own_subject or clause_start == sv.start or not sv.text.startswith(_CONTINUERS, opening):
        return None
    earlier = next((c for c in reversed(f.made) if c.action in ("share", "transfer") and c.recipient
                    and c.recipient != f.first_party), None)
    return None if earlier is None else actors.Party(actors.ENTITY, earlier.recipient, group.start, group.start)


_AT_REQUEST = re.compile(r"应([^，,。；;的]{1,16})的?(?:要求|请求)")  # 应 X 的要求: at X's request


def _requesting_party(f: SentenceFrame, group: Group, who: actors.Party) -> actors.Party | None:
    """The party named as the subject of a request (要求, 请求) whose pivot is the first party, right before the
    verb in its clause (监管机构可能会依法要求我们提供……: what we give at a party's request goes to that party, our
    disclosure; the convention of tests/gold/claims_zh_translated2.yaml; also 我们会应X的要求提供……), else None
    (zh23)."""
    sv = f.sv
    if who.kind != actors.FIRST or not who.start < group.start:
        return None
    clause_start = sv.clause_of(group.start)[0]
    asked = _AT_REQUEST.search(sv.text, who.end, group.start)  # 我们可能会应监管机构的要求提供……
    if asked is not None:
        return next((actors.Party(actors.ENTITY, m.entity, m.start, m.end) for m in sv.mentions
                     if m.entity and asked.start(1) <= m.start and m.end <= asked.end(1)
                     and m.entity != f.first_party and not actors.other_users(f.onto, actors.Party(
                         actors.ENTITY, m.entity, m.start, m.end))), None)
    ask = next((t for t in reversed(sv.tokens) if clause_start <= t.start and t.end <= who.start
                and t.text in ("要求", "请求") and sv.outside(t.start)), None)
    if ask is None:
        return None
    party = actors.subject(sv, ask.start, f.skip, f.first_party)
    if party.kind != actors.ENTITY or not clause_start <= party.start < ask.start or actors.other_users(f.onto, party):
        return None
    return party


def _recipient_floor(f: SentenceFrame, group: Group, who: actors.Party) -> int:
    """Where a recipient before the verb (向 X 提供) may start: after the subject found, else (a subject dropped: the
    first party by default) after the clause's opening and the conditions before the verb (在你授权后向开发者提供:
    round 11), else the sentence start."""
    if who.start < group.start:
        return who.end
    if who.end > group.start:
        return f.sv.start
    start = f.sv.clause_of(group.start)[0]
    return max([start, *(s.end for s in f.skip if start <= s.start and s.end <= group.start)])


def _handover(sv: SentenceView, group: Group) -> bool:
    """True for 转让/转移 X with no destination after the verb (我们将相应地转移你的信息): the data passes to another
    holder; 转移到新设备 moves it somewhere, which is no transfer to a party."""
    return group.has(sv.lexicon.grammar.handover) and not sv.text.startswith(("至", "到", "往", "给", "于"), group.end)


def _to_place(sv: SentenceView, group: Group) -> bool:
    """True when a direction word (至, 到, 往) right after the verb leads to a place (``places``) in its clause."""
    if not sv.text.startswith(("至", "到", "往"), group.end):
        return False
    clause_end = sv.clause_of(group.end)[1]
    return any(sv.text.find(w, group.end, clause_end) != -1 for w in sv.lexicon.grammar.places)


def _negation(f: SentenceFrame, group: Group, gap_start: int, blocked: list[Span], own_subject: bool) -> bool:
    """Whether the predicate is negated; a coordinated predicate without its own subject (……，或将其用于……)
    shares the negation of the one before. Never with the ``negation`` phenomenon off."""
    if "negation" in f.state.disabled:
        return False
    sv = f.sv
    is_negated = negated(sv, gap_start, group.start, blocked) or declined(sv, group.start)
    clause_start = sv.skip_connectors(sv.clause_of(group.start)[0])
    if not is_negated and not own_subject and sv.text.startswith(("或", "也", "亦", "且"), clause_start):
        is_negated = f.state.last_negated
    if not is_negated and not own_subject:
        is_negated = _negated_frame(f, group)
    if not is_negated and not own_subject and "lead_ins" not in f.state.disabled:
        is_negated = _colon_negated(f, group)
    f.state.last_negated = is_negated
    return is_negated


_RAISING_JOINERS = ("也", "并", "且", "或", "和", "及", "亦", "或者", "而且", "并且")


def _raised_object(f: SentenceFrame, group: Group) -> tuple[int, int] | None:
    """The object of the next predicate when only a joiner with modals or a negation stands between this verb and
    it (我们不会收集也不会存储你的指纹信息: both verbs share the object after the second; round 12), else None."""
    sv = f.sv
    following = f.following(group)
    if following is None:
        return None
    between = sv.text[group.end:following].strip()
    joiner = next((j for j in sorted(_RAISING_JOINERS, key=len, reverse=True) if between.startswith(j)), None)
    rest = between[len(joiner):] if joiner else ""
    words = (*sv.lexicon.grammar.negations, *MODALS, "可能")
    while rest and (word := next((w for w in sorted(words, key=len, reverse=True) if rest.startswith(w)), None)):
        rest = rest[len(word):]
    if joiner is None or rest or any(c in between for c in "，,；;"):
        return None
    nxt = next(g for g in f.predicates if g.start == following)
    return nxt.end, object_end(f, nxt)


def _negated_frame(f: SentenceFrame, group: Group) -> bool:
    """True when the clause before the verb's is a negation and a condition frame closed by the comma (我们不会在未
    告知你的情况下，将你的个人信息用于……; 我们不会在你不知情时，收集……): the negation governs the verb past its
    frame (round 12)."""
    sv = f.sv
    clause_start = sv.clause_of(group.start)[0]
    if clause_start <= sv.start:
        return False
    previous = sv.clause_of(clause_start - 1)
    frame = next((c for c in f.conditions if previous[0] < c.start and c.end >= previous[1] - 1), None)
    return frame is not None and not has_predicate(sv, clause_start, group.start) \
        and sv.lexicon.phrase_ending(sv.text, frame.start, "negations") is not None


def _colon_negated(f: SentenceFrame, group: Group) -> bool:
    """True when a negation ends the words before a colon that opens a list of predicates (我们承诺不会：出售……；
    向第三方提供……。): the denial holds for every part, up to the full stop (kept in the block's state; round 12)."""
    sv = f.sv
    colon = max(sv.text.rfind("：", sv.start, group.start), sv.text.rfind(":", sv.start, group.start))
    if colon != -1 and sv.outside(colon) and sv.lexicon.phrase_ending(sv.text.rstrip(), colon, "negations") \
            and not has_predicate(sv, colon + 1, group.start):
        f.state.list_negated = True
    return f.state.list_negated


# ---------------------------------------------------------------------------------------------------- objects
def object_end(f: SentenceFrame, group: Group) -> int:
    """Where the object of ``group`` ends: the next predicate, clause-level condition or purpose in its
    clause; then following clauses that continue the list (data names, no verb or subject of their own)."""
    sv = f.sv
    clause_starts = {sv.skip_connectors(s) for s, _ in sv.clause_spans}
    outer = [s for s in f.conditions if s.start in clause_starts] + f.purposes
    following = f.following(group)
    stops = [sv.end] + ([following] if following else [])
    stops += [s.start for s in outer if s.start >= group.end]
    clause_end = sv.clause_of(group.end)[1]
    stops += [t.start for t in sv.tokens if group.end <= t.start < clause_end and sv.outside(t.start)
              and t.text in sv.lexicon.grammar.recipient_after and t.tag == "p"
              and not _user_relative_for(sv, t, clause_end)]  # 上传至我们的服务器
    stops += [t.start for t in sv.tokens if group.end + 1 < t.start < clause_end and sv.outside(t.start)
              and t.text in _PREDICATE_JOINERS and has_predicate(sv, t.end, clause_end)]  # not 因为……而产生的信息
    stops += [t.start for t in sv.tokens if group.end < t.start < clause_end and sv.outside(t.start)
              and t.text == "为" and sv.lexicon.phrase_at(sv.text, t.end, "user")]  # ……记录为你推荐内容: for whom
    stops += [t.start for t in sv.tokens if group.end < t.start < clause_end and sv.outside(t.start)
              and t.text in _LIGHT_VERBS]  # 使用上述信息进行安全风控: what the data is used for follows 进行
    stops += _after_instrument(sv, group.end, clause_end)  # 利用SSL技术对你的数据进行加密: the instrument is the object
    stops += [t.start for t in sv.tokens if group.end < t.start < clause_end and sv.outside(t.start)
              and t.text in _ITEM_SEPARATORS and _user_action_at(sv, t.end)]  # 上传头像、修改昵称: a predicate
    stops += [t.start for t in sv.tokens if group.end < t.start < clause_end and sv.outside(t.start)
              and t.text == "而" and _verb_follows(sv, t.end, clause_end)
              and not any(c in sv.text[group.end:t.start] for c in ("因", "由于"))]  # ……个人信息而无需征得你的同意
    stops += [t.start for t in sv.tokens if group.end < t.start < clause_end and sv.outside(t.start)
              and t.text in _PURPOSE_LINKS and (_verb_follows(sv, t.end, clause_end) or sv.text.startswith(
                  "为", t.end) or any(v.start == t.end for v in sv.verbs))]  # 调用你的相机权限来拍摄照片: 来 + a
    # verb is what the object is for (round 19)
    stops += [t.start for t in sv.tokens if group.end < t.start < clause_end and sv.outside(t.start)
              and t.text in _FRAME_ENDS and _modal_at(sv, t.end)]  # 收到你的投诉后将……: a time frame ends (review8)
    stops += _serial_verbs(sv, group.end, clause_end)  # 使用你的登录次数改进服务: 改进服务 is what the data is for
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
        if any(s <= g.start < e for g in f.others(group)) or has_predicate(sv, s, e):
            break
        opening = sv.token_after(pos)
        if _modal_at(sv, pos) or sv.text[s:e].lstrip().startswith(_PREDICATE_OPENERS):
            break  # ……收到你的投诉后，将及时处理……: a modal opens a predicate of its own, no list item (review8)
        if opening is not None and opening.start == pos and opening.tag in ("v", "vn") \
                and not sv.mention_at(pos) and opening.text not in ("包括", "例如") \
                and not relative_at(sv, _verb_run_end(sv, opening)):  # (自主选择的状态图标: a noun phrase)
            break
        tentative = e
        if any(m.data for m in sv.mentions_in(s, e)) or sv.text.startswith(_LIST_CONTINUERS, pos):
            end = e  # a clause naming data or joined to the list (以及其他必要信息) continues the list
    return end


_ITEM_SEPARATORS = ("、", "和", "及", "或", "或者", "以及")
# modals opening a clause with a dropped subject (……后，将……): the clause is a predicate, never more of a list
_CLAUSE_MODALS = frozenset({"将", "会", "将会", "可能", "可能会", "可以", "应", "应当", "须", "必须"})
_PURPOSE_LINKS = ("用来", "来")  # V X 来 V2: V2 is the purpose of V (Li & Thompson 1981, ch. 21, serial verbs)


_FRAME_ENDS = frozenset({"后", "之后", "以后"})
# conjunctions joining predicates, never list items (以及, 及, 和 join those): ……，并及时处理……
_PREDICATE_OPENERS = ("并且", "并", "而且", "但是", "但", "且")


def _modal_at(sv: SentenceView, pos: int) -> bool:
    """True when the word at ``pos`` is a modal of a clause with a dropped subject (``_CLAUSE_MODALS``)."""
    word = sv.token_after(pos)
    return word is not None and word.start == pos and word.text in _CLAUSE_MODALS


def _user_relative_for(sv: SentenceView, token: Token, clause_end: int) -> bool:
    """True for 给 after the user as the subject of a relative clause (你给联系人添加的标签: whom the user's act is
    for, inside the object noun phrase, like 你为朋友设置的备注), not a recipient of the predicate: the user word
    stands right before it and a verb + 的 follows in its clause (zh18)."""
    before = sv.text[max(token.start - 1, 0):token.start]
    if token.text != "给" or before not in sv.lexicon.grammar.words("user"):
        return False
    de = sv.text.find("的", token.end, clause_end)
    return de != -1 and any(t.tag.startswith("v") and t.end == de for t in sv.tokens)


def _verb_follows(sv: SentenceView, pos: int, end: int) -> bool:
    """True when the next word in ``[pos, end)`` is a verb or a negation (而无需征得你的同意, 而不会……) that heads no
    relative clause (而产生的): 而 joins a predicate of its own to the clause, which ends the object before it
    (round 12)."""
    token = next((t for t in sv.tokens if pos <= t.start < end and t.text.strip()), None)
    if token is None or sv.text.startswith("的", token.end):
        return False  # (而产生的信息: a relative clause)
    return token.tag.startswith("v") or token.text in sv.lexicon.grammar.negations


def _user_action_at(sv: SentenceView, pos: int) -> bool:
    """True when a verb of the user's own acts (``user_actions``: 修改, 更正, 关闭 ...) with a data name as its object
    opens the list item at ``pos`` (你可以上传头像、修改昵称): the item is a coordinated predicate of the user's, no
    data (round 12); an operation (取消关注, 点击) or a record (修改记录) stays an item."""
    word = sv.lexicon.phrase_at(sv.text, pos, "user_actions")
    token = sv.token_at(pos)
    if word is None or token is None or token.start != pos or not token.tag.startswith("v"):
        return False
    after = pos + len(word)
    after += next((len(w) for w in ("你的", "您的") if sv.text.startswith(w, after)), 0)
    mention = sv.mention_at(after)
    return mention is not None and mention.data is not None  # (取消关注, 点击和分享记录, 修改记录: operations, data)


def _after_instrument(sv: SentenceView, start: int, end: int) -> list[int]:
    """Where a serial verb or 对-phrase follows an instrument noun (``instrument_heads``: 技术, 手段, 算法 ...) in
    ``[start, end)``: 使用X技术对Y进行加密 / 采用X算法保护Y is "use an instrument to do something to Y" (连动句), so
    the object of the first verb ends at the instrument, and what follows is no object of it."""
    inside = {i for m in sv.mentions for i in range(m.start, m.end)}
    heads = tuple(sv.lexicon.grammar.instrument_heads)
    stops = []
    for t in sv.tokens:
        if start < t.start < end and sv.outside(t.start) and t.start not in inside \
                and (t.tag == "v" or t.text in ("对", "来")) and sv.text[start:t.start].endswith(heads):
            stops.append(t.start)
    return stops


def _serial_verbs(sv: SentenceView, start: int, end: int) -> list[int]:
    """Where a second verb with an object of its own follows a data head noun in ``[start, end)`` (使用你的登录次数
    改进服务, 利用你的浏览记录优化推荐: V1 O V2 O2, a serial-verb construction whose V2 phrase is the purpose of V1;
    Li & Thompson 1981, ch. 21): the object of V1 ends at V2 (zh23)."""
    heads = _head_words(sv)
    inside = {i for m in sv.mentions if m.data is not None for i in range(m.start, m.end)}
    return [t.start for t in sv.tokens if start < t.start < end and t.start not in inside
            and sv.text[start:t.start].endswith(heads) and _serial_verb_at(sv, t.start, end)]


def _head_words(sv: SentenceView) -> tuple[str, ...]:
    g = sv.lexicon.grammar
    return tuple({*g.data_nouns, *g.generic_heads, *g.head_nouns, *g.attribute_heads})


def _serial_verb_at(sv: SentenceView, pos: int, end: int) -> bool:
    """True when a verb that is no practice verb starts at ``pos`` with a noun or pronoun right after it in
    ``[pos, end)`` that is no head noun (改进服务, 优化我们的产品): the second verb of a serial-verb construction. A
    verb before a head noun (应用使用时长, 数据使用记录, 使用情况) is inside a compound, none."""
    verb = sv.token_at(pos)
    if verb is None or verb.start != pos or verb.tag != "v" or not sv.outside(pos) \
            or verb.text in sv.lexicon.verb_actions:
        return False
    after = sv.token_after(verb.end)
    return (after is not None and after.start == verb.end and after.end <= end
            and after.tag.startswith(("n", "vn", "r")) and not sv.text.startswith(_head_words(sv), after.start)
            and after.text not in (*_CIRCUMSTANCE_HEADS, *_PERIOD_HEADS))


_LIST_CONTINUERS = ("以及", "及", "和", "或者", "或")
_LIGHT_VERBS = ("进行", "予以", "加以")


def _verb_run_end(sv: SentenceView, first: Token) -> int:
    """The end of the run of verbs starting with ``first`` (自主/v 选择/v)."""
    end = first.end
    for token in sv.tokens:
        if token.start == end and token.tag in ("v", "vn"):
            end = token.end
    return end


def has_predicate(sv: SentenceView, start: int, end: int) -> bool:
    """True when ``[start, end)`` has a verb of its own (not inside a name, not heading a relative clause)."""
    inside = {i for m in sv.mentions for i in range(m.start, m.end)}
    verb_starts = {t.start for t in sv.tokens if t.tag == "v"}
    ignored = ("会", "可能", "将", "需要", *sv.lexicon.grammar.example_markers)
    for t in sv.tokens:
        if t.end in verb_starts:
            continue  # 自主选择的…: judge the last verb of a run
        if start <= t.start < end and t.tag == "v" and t.start not in inside and sv.outside(t.start) \
                and t.text not in ignored and not relative_at(sv, t.end) and not _modifies_head(sv, t, end) \
                and sv.text[t.end:t.end + 1] not in tuple("、和及与或等") and sv.text[t.start - 1] not in "、所" \
                and not _last_conjunct(sv, t, end):
            return True  # (你所发布内容包含的元数据: 所 makes its verb a relative one)
    return False


def _last_conjunct(sv: SentenceView, token: Token, end: int) -> bool:
    """True for a word jieba tags a verb that closes its span as the last of a list of nouns (备注、标签和备忘，: a
    noun; 收集和使用 stays two verbs; round 17)."""
    joiner = sv.last_token_before(token.start, 0)
    before = sv.last_token_before(joiner.start, 0) if joiner is not None and joiner.text in ("和", "及") else None
    return before is not None and before.tag.startswith("n") and token.end == end


def _topic(f: SentenceFrame, group: Group, purpose_object: bool = False) -> tuple[int, int] | None:
    """The data named before a verb with an empty object slot (……等信息会存储在……, ……将被收集,
    ……可能会传输给……): the clause's opening noun phrases, extended back over clauses that continue them."""
    sv = f.sv
    clause_start = sv.clause_of(group.start)[0]
    after = _after_verb(sv, group)
    if after and not purpose_object and not after.startswith((*_DIRECTIONS, "到", "时", *_LIGHT_VERBS, "并")):
        return None  # (……将被发送至服务器进行识别: a light verb opens what it is used for, no object; ……由X收集并
        # 根据其政策处理: a coordinated predicate follows, the slot is empty; round 19)
    others = f.others(group)
    granted = actors.grant_end(sv, sv.skip_connectors(clause_start), group.start)  # 你提供给商家的信息仅用于……
    previous_verb = max([g.end for g in others if granted < g.end <= group.start], default=-1)
    if previous_verb != -1 and _joined_predicate(sv, previous_verb, group.start):
        return None  # 收集你的X并根据……处理: X is the object of the verb before, shared (_shared_object)
    since = [s for s in f.skip if s.kind == "frame_since" and clause_start <= s.start and s.end <= group.start]
    limit = max([clause_start, previous_verb] + [s.end for s in f.skip if s.end <= group.start
                                                 and s.kind != "frame_since" and not _in_relative(sv, s, group)])
    if purpose_object and limit == previous_verb:
        return None  # 收集X用于Y: the purpose of the verb before, not a practice of its own
    start = limit
    if start == clause_start:
        for s, e in reversed([c for c in sv.clause_spans if c[1] <= clause_start]):
            named = any(m.data for m in sv.mentions_in(s, e)) or _noun_phrase(sv, s, e) or _about_phrase(sv, s, e) \
                or _compound_topic(sv, s, e)
            if any(c.start < e and s < c.end for c in f.skip) or any(s <= g.start < e for g in others) \
                    or not named or has_predicate(sv, s, e):
                break
            start = s
    extended = start < clause_start
    start = sv.skip_connectors(start)
    end = _topic_end(sv, start, since[0].start if since else group.start)  # 登录信息自收集之日起保留: before the
    # time phrase
    if extended and sv.starts_with_subject(clause_start, user=False):
        end = clause_start - 1  # 你……提供的信息，我们会保存180天: the topic is the clause before the subject
    opening = sv.mention_at(start)
    noun_phrase = _noun_phrase(sv, start, end) or (extended and _compound_topic(sv, start, end))
    if not ((opening and opening.data) or _has_anaphor(sv, start, min(end, start + 4)) or noun_phrase
            or sv.lexicon.phrase_at(sv.text, start, "user") or sv.text.startswith("以及", start)):
        return None
    if not any(m.data for m in sv.mentions_in(start, end)) and not _has_anaphor(sv, start, end) \
            and not noun_phrase and not _users_own(sv, group, start, end):
        return None
    return start, end


def _joined_predicate(sv: SentenceView, start: int, end: int) -> bool:
    """True when a predicate joiner (并, 并且) at the top level between a verb ending at ``start`` and the verb at
    ``end`` opens a coordinated predicate (收集你的位置信息并根据相关规定处理: the words before 并 are the first
    verb's object, not the second's topic; round 19)."""
    return any(start <= t.start and t.end <= end and t.text in BING_JOINERS and sv.outside(t.start)
               and not sv.text.startswith("的", t.end) for t in sv.tokens)


def _users_own(sv: SentenceView, group: Group, start: int, end: int) -> bool:
    """True when the topic is something of the user's named by a relative clause (你设置的备注、标签会被上传并存储……)
    before a verb whose object is data: an unknown noun there is data, as in the object slot (round 12)."""
    return bool(sv.lexicon.phrase_at(sv.text, start, "user")) and "的" in sv.text[start:end] \
        and any(a in _DATA_OBJECT for a in group.actions) and not group.has(sv.lexicon.grammar.purpose_object)


def _in_relative(sv: SentenceView, span: Span, group: Group) -> bool:
    """True when a time frame opens a relative clause after the user (你在注册时填写的邮箱地址将用于……: 在注册时 is
    inside the topic's modifier, not the clause's condition; round 12): only the user stands before it in its
    clause, and a 的 follows it before the verb."""
    clause_start = sv.clause_of(span.start)[0]
    return span.kind.startswith("frame") and sv.text[clause_start:span.start].strip() in sv.lexicon.grammar.user \
        and sv.text.find("的", span.end, group.start) != -1


def _modifies_head(sv: SentenceView, token: Token, end: int) -> bool:
    """True when ``token``, a verb that is no practice verb, stands right before a generic or data head noun that
    ends the range ``[.., end)`` (预约信息，我们会保存……: 预约 modifies 信息, a compound noun; zh23)."""
    rest = sv.text[token.end:end].rstrip("，,；;。：: ")
    g = sv.lexicon.grammar
    return token.text not in sv.lexicon.verb_actions and rest in (*g.generic_heads, *g.data_nouns)


def _compound_topic(sv: SentenceView, start: int, end: int) -> bool:
    """True when the clause ``[start, end)`` is one compound noun with a generic or data head and no predicate
    (预约信息，我们会保存至活动结束: the topic of the clause after it; Li & Thompson 1981, ch. 4; zh23)."""
    words = sv.text[start:end].strip("，,：: ")
    g = sv.lexicon.grammar
    return bool(words) and words.endswith((*g.generic_heads, *g.data_nouns)) and "的" not in words \
        and not has_predicate(sv, start, end)


def _noun_phrase(sv: SentenceView, start: int, end: int) -> bool:
    """True when ``[start, end)`` is a noun phrase with a generic head after 的 (你在客服对话中提供的信息)."""
    words = "".join(ch for k, ch in enumerate(sv.text[start:end], start) if sv.depth[k] == sv.depth[start])
    words = words.strip("，,：: （）()")  # (汇总的注册数据（不包含个人信息）: the parenthesis is no part of the head)
    return "的" in words and words.endswith(tuple(sv.lexicon.grammar.generic_heads))


def _about_phrase(sv: SentenceView, start: int, end: int) -> bool:
    """True when ``[start, end)`` opens with a noun phrase whose 的-modifier makes its head data about a contact or a
    setting (你为朋友设置的备注、标签，你设置的铃声，……等信息将被收集: each clause continues the topic; round 17)."""
    stop = next((k for k in range(start, end) if sv.text[k] in "、，,；;" or (
        (t := sv.token_at(k)) is not None and t.start == k and t.text in ("和", "及", "以及"))), end)
    return heads.about_modifier(sv, heads.bare(sv, start, stop)[1]) is not None


# a duration (保存180天), also as a limit (保存超过30天, 保留超过必要的期限: round 11): no object
_DURATION = re.compile(r"(?:(?:超过|超出|长于)\s*)?(?:\d+|[一二两三四五六七八九十百半]+)\s*"
                       r"(?:个)?(?:天|日|周|个月|月|年|小时|分钟)|(?:超过|超出|长于)[^，。；,;：:]{0,12}?(?:期限|期间|时间|时限)")


def _after_verb(sv: SentenceView, group: Group) -> str:
    """What follows the verb in its clause, without a duration complement (保存180天: no object)."""
    after = sv.text[group.end:sv.clause_of(group.start)[1]].strip()
    duration = _DURATION.match(after)
    return after[duration.end():].strip() if duration else after


_ONLY = ("仅", "只", "仅会", "只会", "将仅", "仅将", "会仅")


def _only_for(sv: SentenceView, group: Group) -> bool:
    """True when 仅用于 opens its clause (我们会收集你的手机号码，仅用于登录验证; ……，并仅用于……): the stated use of
    the object of the predicate before it (the convention "仅用于 X is a stated use", claims_zh.yaml; round 13),
    as 该信息仅用于 is of its topic; a plain ……，用于…… stays a purpose."""
    clause_start = sv.skip_connectors(sv.clause_of(group.start)[0])
    words = sv.text[clause_start:group.start].strip().removeprefix("并")
    return words in _ONLY


def _feature_used(sv: SentenceView, group: Group) -> bool:
    """True when a use verb with an empty object slot has a feature noun as the topic of its clause (部分功能可能
    无法使用, 相关服务将无法正常使用): the feature is what is used, the verb takes no data from the sentence
    before (round 15)."""
    if set(group.actions) != {"use"} or _after_verb(sv, group):
        return False
    start = sv.skip_connectors(sv.clause_of(group.start)[0])
    words = [t.text for t in sv.tokens if start <= t.start and t.end <= group.start]
    adverbs = {*MODALS, *sv.lexicon.grammar.negations, "可能", "正常", "继续", "无法", "不能"}
    while words and words[-1] in adverbs:  # 可能无法正常: modals, negations and manner before the verb
        words.pop()
    return "".join(words).endswith(tuple(sv.lexicon.grammar.feature_nouns))


def _open_slot(sv: SentenceView, group: Group) -> bool:
    """True when nothing but a place or a recipient follows the verb in its clause (……不会上传至我们的服务器)."""
    after = _after_verb(sv, group)
    return not after or after.startswith((*_DIRECTIONS, "到", *_LIGHT_VERBS))


def _shared_object(f: SentenceFrame, group: Group, expected: bool) -> ObjectReading:
    """The object of a verb whose slot is empty and whose clause names no topic: the object of the predicate
    before it in the sentence (我们仅在本地处理你的指纹信息，不会上传至我们的服务器; 聊天记录仅存储在本地，我们不会在
    服务器中保存), else the data the sentence opens with (你的通讯录信息仅会在本地进行匹配，不会被上传)."""
    sv = f.sv
    clause_start = sv.clause_of(group.start)[0]
    previous_clause = sv.clause_of(max(sv.start, clause_start - 1))[0]
    before = [g for g in f.others(group) if previous_clause <= g.start and g.end <= group.start
              and not g.has(sv.lexicon.grammar.purpose_object)]  # in this clause or the one before
    if before:
        previous = before[-1]
        span = previous.preposed or (previous.end, object_end(f, previous))
        reading = ObjectReading()
        if not _open_slot(sv, previous):
            reading = read_object(sv, span[0], span[1], f.antecedents, expected)
        topic = _topic(f, previous) if not reading.items and not previous.preposed else None
        if topic:
            reading = read_object(sv, topic[0], topic[1], f.antecedents, expected)
        return reading
    coordinated = _coordinated_object(sv, group) or _previous_object(f, group, previous_clause, clause_start)
    if coordinated is not None:
        return read_object(sv, coordinated[0], coordinated[1], f.antecedents, expected)
    start = sv.skip_connectors(sv.start)
    opening = sv.mention_at(start) or sv.mention_at(start + 2 if sv.text.startswith(("你的", "您的"), start) else -1)
    opening = opening or _relative_opening(sv, start)
    if opening is None or not opening.data or any(c.start <= start < c.end for c in f.skip):
        return ObjectReading()
    end = opening.end
    for token in sv.tokens:  # the noun phrase the sentence opens with (你的通讯录信息)
        if token.start == end and token.tag.startswith("n"):
            end = token.end
    return read_object(sv, start, end, f.antecedents, expected)


def _relative_opening(sv: SentenceView, start: int) -> Mention | None:
    """The data name heading the noun phrase the sentence opens with when a relative clause modifies it
    (人脸识别过程中采集的面部图像仅在本地完成比对，……: 的 right before the name, and no 的 after it)."""
    clause_end = sv.clause_of(start)[1]
    named = next((m for m in sv.mentions_in(start, clause_end) if m.data), None)
    if named is None or sv.text[named.start - 1:named.start] != "的" or sv.text.startswith("的", named.end):
        return None
    return named


def _previous_object(f: SentenceFrame, group: Group, start: int, end: int) -> tuple[int, int] | None:
    """The object of the last verb of the clause ``[start, end)`` before the verb's own (我们仅在本地识别你的人脸
    信息，不会上传至服务器: 识别 is no practice, its object is what is not uploaded), when it names data."""
    sv = f.sv
    if start >= end or sv.starts_with_subject(sv.clause_of(group.start)[0], user=False):
        return None
    verb = next((t for t in reversed(sv.tokens) if start <= t.start and t.end <= end and t.tag == "v"
                 and not any(s.start <= t.start < s.end for s in f.skip)), None)
    if verb is None or not any(m.data for m in sv.mentions_in(verb.end, end)):
        return None
    return verb.end, end - 1 if sv.text[end - 1] in "，," else end


def _coordinated_object(sv: SentenceView, group: Group) -> tuple[int, int] | None:
    """The object of another verb coordinated with this one in its clause (删除你的个人信息或进行匿名化处理: the
    personal information is anonymised too), when it names data; else None."""
    clause_start = sv.clause_of(group.start)[0]
    pos = group.start
    for light in ("进行", "予以", "加以"):  # 或进行匿名化处理: the light verb and the verb's own modifier
        at = sv.text.rfind(light, max(clause_start, group.start - len(light) - 5), group.start)
        if at != -1:
            pos = at
            break
    joiner = next((j for j in sorted(_GROUP_JOINERS, key=len, reverse=True) if j and sv.text.endswith(j, 0, pos)),
                  None)
    if joiner is None:
        return None
    pos -= len(joiner)
    verb = next((t for t in reversed(sv.tokens) if clause_start <= t.start and t.end <= pos and t.tag == "v"), None)
    if verb is None or not any(m.data for m in sv.mentions_in(verb.end, pos)):
        return None
    return verb.end, pos


def _topic_end(sv: SentenceView, start: int, verb_start: int) -> int:
    """End of a topic before the verb: before 被 and the modals and negations (会, 将, 可能, 不 ...) before it."""
    end = verb_start
    passive = sv.text.rfind(_PASSIVE, start, verb_start)
    if passive != -1:
        end = passive
    agent = [t.start for t in sv.tokens if start < t.start < end and t.text == _AGENT and sv.outside(t.start)]
    if agent:
        end = agent[-1]  # 该信息由开发者收集: the agent phrase (由 X) is no part of the topic (round 12)
    if sv.text.endswith("而", 0, end):  # ……数据会为防范垃圾信息而保留: 为 X 而 V, a purpose before the verb
        purpose = sv.text.find("为", start + 1, end)  # (a character: jieba fuses 会为 into one unknown word)
        if purpose != -1 and sv.outside(purpose):
            end = purpose
    manner = sv.lexicon.phrase_ending(sv.text, end, "manner_adverbs")
    if manner and end - len(manner) > start:
        end -= len(manner)  # 上述信息将加密存储: the manner adverb belongs to the verb, not to the topic
    while end > start and (sv.text[end - 1] in "会将能可要均也还都仅已不未" or sv.text.endswith("可能", 0, end)):
        end -= 2 if sv.text.endswith("可能", 0, end) else 1
    negation = sv.lexicon.phrase_ending(sv.text, end, "negations")
    if negation and end - len(negation) > start:
        end -= len(negation)  # 你的个人信息不再被我们使用: the negation belongs to the verb, not to the topic
    return _before_adverbial(sv, start, end)


def _before_adverbial(sv: SentenceView, start: int, end: int) -> int:
    """A topic's end before a modal or negation that a prepositional adverbial separates from the verb (你的个人信息
    不再能通过微信获取, 上述信息会在服务器中保存): the first such word after the topic's first word, with a
    preposition after it and no 的 (no relative clause: 你可能感兴趣的内容) up to ``end`` (round 11)."""
    stops = (*MODALS, *sv.lexicon.grammar.negations, "可能")
    preps = sv.lexicon.grammar.prepositions
    words = [t for t in sv.tokens if start < t.start < end and sv.outside(t.start)]
    for i, t in enumerate(words):
        if t.text in stops and "的" not in sv.text[t.start:end] and any(w.text in preps for w in words[i + 1:]):
            return t.start
    return end


def _has_anaphor(sv: SentenceView, start: int, end: int) -> bool:
    words = sv.text[start:end]
    return any(a in words for a in sv.lexicon.grammar.anaphors)


def _local(sv: SentenceView, verb_start: int, start: int, end: int) -> bool:
    """True when the practice stays on the user's device (存储在你的终端设备, 仅在本地读取)."""
    clause_start, clause_end = sv.clause_of(start)
    rest = sv.text[start:max(end, clause_end)]
    before = sv.text[clause_start:verb_start]
    local = sv.lexicon.grammar.local
    return any(rest.startswith(("在", "于")) and word in rest for word in local) or \
        any(f"在{word}" in before for word in local)


def period_claims(f: SentenceFrame) -> list[ClaimDraft]:
    """Retention stated by a storage-period noun (``retention_periods``): "你的搜索记录的保存期限为30天" ->
    the first party retains the data named before "的保存期限" in its clause; a limit after it (……的保存期限不会超过
    ……) is a negated retain (a limit on retention, as in English; round 15), and so is a period the first party's
    retention verb modifies (我们保留你的信息的时间不会超过……: :func:`_limited_retention`)."""
    sv = f.sv
    out: list[ClaimDraft] = _limited_retention(f)
    for word in sv.lexicon.grammar.retention_periods:
        at = sv.text.find(word, sv.start, sv.end)
        while at != -1:
            if sv.outside(at) and sv.text.endswith("的", 0, at) and not any(s.start <= at < s.end for s in f.skip):
                start = sv.skip_connectors(max([sv.clause_of(at)[0], *(s.end for s in f.skip if s.end <= at)]))
                reading = read_object(sv, start, at - 1, f.antecedents)
                longest = sv.lexicon.phrase_at(sv.text, at, "retention_periods") or word  # 保存期限, not 保存期
                limited = sv.text.startswith(_RETENTION_LIMITS, at + len(longest))
                out += [f.claim(f.first_party, "retain", limited, item_words(sv, i.start, i.end), i.data_type, at,
                                at + len(word), at, data_basis=i.basis)
                        for i in reading.items if i.data_type]
            at = sv.text.find(word, at + len(word), sv.end)
    return out


_RETENTION_LIMITS = ("不会超过", "不超过", "不得超过", "不应超过", "最长不超过", "最多不超过", "均不超过", "不会长于")
_PERIOD_HEADS = ("时间", "期限", "时长", "期间")


def _limited_retention(f: SentenceFrame) -> list[ClaimDraft]:
    """A negated retain for a period that a retention verb of the first party modifies, followed by a limit
    (我们保留你的信息的时间不会超过法律规定的期限: the relative clause V X 的时间 names the data X)."""
    sv = f.sv
    out: list[ClaimDraft] = []
    for verb in sv.verbs:
        if verb.action != "retain" or not sv.start <= verb.start < sv.end or not sv.outside(verb.start):
            continue
        clause_start, clause_end = sv.clause_of(verb.start)
        opening = sv.text[sv.skip_connectors(clause_start):verb.start]
        if opening not in ("", *sv.lexicon.grammar.first_party):
            continue
        period = next((sv.text.find(f"的{h}", verb.end, clause_end) for h in _PERIOD_HEADS
                       if sv.text.find(f"的{h}", verb.end, clause_end) != -1), -1)
        head = next((h for h in _PERIOD_HEADS if sv.text.startswith(h, period + 1)), "")
        if period == -1 or not sv.text.startswith(_RETENTION_LIMITS, period + 1 + len(head)):
            continue
        reading = read_object(sv, verb.end, period, f.antecedents)
        out += [f.claim(f.first_party, "retain", True, item_words(sv, i.start, i.end), i.data_type, verb.start,
                        verb.end, verb.start, data_basis=i.basis) for i in reading.items if i.data_type]
    return out


def instrument_claims(f: SentenceFrame) -> list[ClaimDraft]:
    """Collection by placing an instrument (``placement_verbs`` right before a name of ``instrument_types``:
    第三方服务可能会在你的设备上设置Cookie, 我们会使用Cookie): the verb's subject collects the instrument's data
    type. Not inside a condition or purpose, not when negated, not by the user or other users."""
    sv = f.sv
    grammar = sv.lexicon.grammar
    out: list[ClaimDraft] = []
    for m in sv.mentions:
        if not (sv.start <= m.start < sv.end) or m.data not in grammar.instrument_types or not sv.outside(m.start):
            continue
        verb = sv.lexicon.phrase_ending(sv.text, m.start, "placement_verbs")
        if verb is None or any(s.start <= m.start < s.end for s in f.skip):
            continue
        verb_start = m.start - len(verb)
        who = actors.subject(sv, verb_start, f.skip, f.first_party, party_nouns="parties" not in f.state.disabled)
        if who.kind == actors.USER or actors.other_users(f.onto, who):
            continue
        gap = who.end if who.start < verb_start else sv.clause_of(verb_start)[0]
        if "negation" not in f.state.disabled and negated(sv, gap, verb_start, f.skip):
            continue
        out.append(f.claim(who.entity or f.first_party, "collect", False, m.text, m.data, verb_start, m.start, gap,
                           data_basis="lexicon"))
    return out


def announced_claims(f: SentenceFrame) -> list[ClaimDraft]:
    """A list item under a lead-in that announces data (我们会收集以下信息：): the lead-in's practices, on the data
    the item names (its label and what follows it, up to a purpose or a 用于: 设备信息：包括设备型号、操作系统版本;
    手机号码，用于找回密码)."""
    sv = f.sv
    start = sv.skip_connectors(sv.start)
    uses = (sv.text.find(w, start, sv.end) for w in sv.lexicon.grammar.purpose_object)
    end = min([sv.end, *(p.start for p in f.purposes if p.start > start), *(u for u in uses if u > start)])
    while end > start and sv.text[end - 1] in "；;。！？!? ":
        end -= 1  # the item's words, without the sentence's end (位置信息。 is the ontology's 位置信息)
    reading = read_object(sv, start, end, f.antecedents, data_expected=True)
    out = [replace(template, start=sv.start, end=sv.end, sentence=sv.sentence, data_text=item_words(
        sv, item.start, item.end), data_type=item.data_type, data_basis=item.basis, context=f.context)
        for template in f.state.announced for item in reading.items if item.data_type not in (None, ANAPHOR)]
    if out:
        f.defined.extend(reading.defined)
    return out
