"""Who does it, and to whom: the subject and the recipient of a Chinese data-practice verb.

Subject: the nearest candidate before the verb in its sentence, skipping conditions, purposes, brackets and
preposed objects: the document's "we" (我们, 微信, 腾讯 -> ``BlockInput.first_party``), the user (你), or an
entity name from ``mappings/entities.yaml`` (财付通公司, 第三方, 开发者 ...). A candidate is not a subject when a
preposition governs it (通过微信接口获取, 从第三方获取, 向开发者提供), when it modifies a noun (你的…, 企业微信联系人
所在的企业主体 -> the 企业主体), or when it follows a verb (使用微信). Chinese drops subjects freely; without one,
a policy's sentence speaks for its author: the first party. A feature name opening the clause before a modal
(小微会使用……, 小程序会收集……) speaks for the feature's operator (``features.yaml``; a platform's features: the
first party). A word followed by a modal (第三方将依据其自己的隐私政策收集……) is a subject, not a modifier.
A relative clause with "we" inside that opens the clause modifies its head, the subject (我们合作的广告商会……);
a demonstrative + a feature noun (该服务会……) stands for the operator of the feature named before it (round 14).
Round 16: the parties of a coordinated subject before a modal (我们和第三方都会……: :func:`conjuncts`), a
demonstrative + party noun (该平台 -> the party named before, else a third party) and the party the user granted the
clause's topic data to (你授权给小程序的信息仅用于…… -> the feature's operator).

Source of collection: 从 X before the verb (从第三方获取, the head of the phrase).

Recipient of share/transfer verbs: 向/给/与 X before the verb (the first party named: 向广告主及其代理商等第三方
合作伙伴 -> advertiser), 至/给 X after it (the head of the phrase: 至深圳市腾讯计算机系统有限公司外的第三方 ->
third_party), or 对外/公开 (third_party); a phrase ending in a party noun the ontology does not name
(``party_nouns``: 任何公司、组织和个人, 新的持有者) is a third party.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policycheck.claims.chinese.clauses import BING_JOINERS, DETERMINERS, SentenceView
from policycheck.claims.chinese.conditions import Span
from policycheck.claims.chinese.negation import ORDERS
from policycheck.claims.chinese.segmentation import Token
from policycheck.ontology import Ontology

if TYPE_CHECKING:  # frame imports this module's callers
    from policycheck.claims.chinese.frame import Group

FIRST = "first_party"
USER = "user"
ENTITY = "entity"
# a user after these is no subject: a preposition governs it (为你提供, 向你展示, 与你联系)
_BENEFACTIVE = ("为", "对", "向", "给", "与", "和")
# pivot verbs (兼语式, the pivotal construction: Li & Thompson 1981, Mandarin Chinese, on serial-verb constructions):
# the user after one is the object of the pivot verb and the subject of the next verb (使你无法使用……, 不影响你使用……)
_PIVOTS = ("使", "让", "令", "帮助", "影响", "允许", "导致", "便于", "方便")
_MAX_PARTY_HEAD = 10  # characters of a party noun phrase's head (平台内的|商户, 合作的|地图服务商, 第三方支付机构)
_SUBJECT_FOLLOWERS = ("会", "将", "可能", "可以", "可", "需要", "应", "不", "也", "仅", "还", "均", "都", "已", "无法")


@dataclass(frozen=True)
class Party:
    """``kind``: first_party | user | entity; ``entity``: the entity id for ``entity``; ``end``: where it ends."""

    kind: str
    entity: str | None
    start: int
    end: int


def _governed(sv: SentenceView, start: int) -> bool:
    """True when a preposition governs the word at ``start``: one stands before it in its clause with no verb
    between (从深圳市腾讯……外的第三方获取, 通过微信接口), or a verb stands right before it (使用微信)."""
    clause_start = sv.clause_of(start)[0]
    preps = set(sv.lexicon.grammar.prepositions)
    previous = [t for t in sv.tokens if clause_start <= t.start and t.end <= start and t.text.strip()]
    last = len(previous) - 1
    while last > 0 and previous[last].text in DETERMINERS:
        last -= 1  # 使用这些第三方服务处理……: a determiner between the verb and its object
    if previous and (previous[last].tag.startswith("v") or previous[last].text in ORDERS) \
            and previous[last].text not in ("需要", "请", "要求"):
        return True  # (委托, which jieba may tag a noun: 我们不委托第三方，而是自行收集……, zh22)
    if previous and previous[last].text == "代表" and not sv.text.endswith("不", 0, previous[last].start):
        return True  # 代表我们接收: on our behalf (a coverb; 并不代表我们…… is a hedge, not this)
    modified = False  # a 的 seen: the verbs before it modify the word (向提供核验服务的第三方机构提供)
    for token in reversed(previous):
        if not sv.outside(token.start):
            continue
        if token.text in preps:
            return True
        if token.text == "的":
            modified = True
        elif token.tag.startswith("v") and not modified:
            return False
    return False


def _modifier(sv: SentenceView, end: int, verb_start: int) -> bool:
    """True when the word modifies a noun: 的/所 right after it (你的…, 你所填写的…), or a 的 before the next
    verb of its clause (企业微信联系人所在的企业主体, 你在微信中的聊天记录)."""
    text = sv.text
    if text.startswith(("的", "所"), end):
        return True
    if text.startswith(_SUBJECT_FOLLOWERS, end):
        return False  # 第三方将依据其自己的隐私政策收集……: a modal after it, the word is the subject
    clause_end = min(sv.clause_of(end)[1], verb_start)
    for token in sv.tokens:
        if token.start < end or token.start >= clause_end:
            continue
        if token.text == "的" and sv.outside(token.start):
            return True
        if token.tag.startswith("v"):
            return False
    return False


def _party_for(sv: SentenceView, start: int, end: int, first_party: str) -> Party | None:
    text = sv.text[start:end]
    if text in sv.lexicon.grammar.first_party:
        return Party(FIRST, first_party, start, end)
    mention = next((m for m in sv.mentions if m.start == start and m.end == end), None)
    if mention and mention.entity:
        if mention.entity == first_party:
            return Party(FIRST, first_party, start, end)
        return Party(ENTITY, mention.entity, start, end)
    if mention and mention.feature and _clause_opening(sv, start) == start \
            and sv.text.startswith(_SUBJECT_FOLLOWERS, end):
        # 小微会使用……: a feature as the subject speaks for its operator (features.yaml), the platform's is "we"
        return _operator(sv, mention.feature, start, end, first_party)
    if text in sv.lexicon.grammar.user:
        return Party(USER, None, start, end)
    return None


# quantifiers before a subject noun (某些小程序可能会……, 部分小程序会……: some of them, still the subject; round 19)
_QUANTIFIERS = ("某些", "部分", "一些", "个别", "有些", "少数")
# demonstratives before a feature's name (该小程序可能会……: that Mini Program, still the feature; zh22)
_POINTERS = ("这些", "这个", "该", "此")


def _clause_opening(sv: SentenceView, start: int) -> int:
    """Where the words of the clause holding ``start`` open, after its connectors and a quantifier or a
    demonstrative."""
    opening = sv.skip_connectors(sv.clause_of(start)[0])
    word = next((q for q in (*_QUANTIFIERS, *_POINTERS) if sv.text.startswith(q, opening)), "")
    return opening + len(word) if opening + len(word) == start else opening


def _operator(sv: SentenceView, feature: str, start: int, end: int, first_party: str) -> Party | None:
    """The party that runs ``feature`` (its ``features.yaml`` operator), spanning ``[start, end)``: the first party
    for its own features and the platform's, else the operator's entity; None when the feature names no known
    operator."""
    onto = sv.lexicon.onto
    operator = onto.features[feature].attrs.get("operator")
    if operator not in onto.entities:
        return None
    if operator == first_party or onto.entities[operator].attrs.get("kind") == "platform":
        return Party(FIRST, first_party, start, end)
    return Party(ENTITY, operator, start, end)


def _candidates(sv: SentenceView, start: int, end: int, first_party: str) -> list[Party]:
    """Party words in ``[start, end)`` at the top level, in order (mentions first, then pronoun words)."""
    out: list[Party] = []
    taken = [False] * (end - start)
    for m in sv.mentions_in(start, end, top_level=True):
        party = _party_for(sv, m.start, m.end, first_party)
        if party:
            out.append(party)
        for k in range(m.start, m.end):
            taken[k - start] = True
    for key in ("first_party", "user"):
        for word in sv.lexicon.grammar.words(key):
            pos = sv.text.find(word, start, end)
            while pos != -1:
                if not any(taken[pos - start:pos - start + len(word)]) and sv.outside(pos):
                    token = sv.token_at(pos)
                    if token is not None and token.start == pos and token.text == word:
                        party = _party_for(sv, pos, pos + len(word), first_party)
                        if party:
                            out.append(party)
                pos = sv.text.find(word, pos + 1, end)
    return sorted(out, key=lambda p: p.start)


def subject(sv: SentenceView, verb_start: int, skip: list[Span], first_party: str, floor: int | None = None,
            party_nouns: bool = True) -> Party:
    """The subject of the verb at ``verb_start`` (see the module docstring); the first party when none is found.
    ``party_nouns`` (the ``parties`` phenomenon): a party noun phrase opening the clause may be the subject."""
    low = sv.start if floor is None else floor
    reported = _reported_subject(sv, verb_start, skip, first_party) if party_nouns else None
    if reported is not None:
        return reported
    own = _own_subject(sv, verb_start, low, skip, first_party) if party_nouns else None
    if own is not None:
        return own
    for party in reversed(_candidates(sv, low, verb_start, first_party)):
        if any(s.start <= party.start < s.end for s in skip):
            continue
        if (head := _relative_head(sv, party, verb_start, first_party)) is not None:
            return head
        if _modifier(sv, party.end, verb_start) or _labelled_recipient(sv, party, verb_start):
            continue
        if sv.skip_connectors(sv.clause_of(party.start)[0]) == party.start:
            return party  # a clause opening with a party names its subject
        if party.kind == USER and sv.text.endswith(_PIVOTS, 0, party.start):
            return party
        if party.kind == USER and sv.text.endswith(_BENEFACTIVE, 0, party.start):
            continue
        if _governed(sv, party.start) or _inside_earlier_clause(sv, party, verb_start):
            continue
        return party
    clause_start = sv.skip_connectors(sv.clause_of(verb_start)[0])
    if sv.lexicon.phrase_at(sv.text, clause_start, "user_actions") or sv.text.startswith(_RESULTS, clause_start):
        return Party(USER, None, clause_start, clause_start)  # an instruction to the user: 选择使用……, 点击……
    result = next((w for w in _RESULTS if sv.text.endswith(w, clause_start, verb_start)), None)
    if result is not None:  # ……，你的聊天记录即可保存到电脑: the user's step, unless a party noun opens the clause
        # (商家即可获取……)
        return (_party_noun_subject(sv, clause_start, verb_start - len(result), skip, first_party)
                if party_nouns else None) or Party(USER, None, clause_start, clause_start)
    named = _party_noun_subject(sv, clause_start, verb_start, skip, first_party) if party_nouns else None
    named = named or (_nominal_agent(sv, clause_start, verb_start, skip, first_party) if party_nouns else None)
    chained = (_chained(sv, verb_start, skip, first_party) or _continued(sv, verb_start, skip, first_party)) \
        if party_nouns and not named else None
    if chained is not None and _labelled_recipient(sv, chained, verb_start):
        chained = None
    return named or chained or Party(FIRST, first_party, verb_start, verb_start)


_NOTICES = ("提示", "告知", "通知", "提醒", "告诉")


def _reported_subject(sv: SentenceView, verb_start: int, skip: list[Span], first_party: str) -> Party | None:
    """The subject of a clause reported to the user (我们会提示你该小程序将获取……, 我们会通知你商家已获取……: a notice
    verb + 你 + a complement clause; its subject is the party opening the complement, not the one giving the
    notice; zh23), or None when no notice + user word stands before the verb in its clause or the complement opens
    with no other party (我们会提示你开启……)."""
    clause_start = sv.clause_of(verb_start)[0]
    users = tuple(sv.lexicon.grammar.user)
    notice = next((t for t in reversed(sv.tokens) if clause_start <= t.start and t.end < verb_start
                   and t.text in _NOTICES and sv.outside(t.start) and sv.text.startswith(users, t.end)), None)
    if notice is None:
        return None
    opening = notice.end + next(len(w) for w in users if sv.text.startswith(w, notice.end))
    named = [p for p in _candidates(sv, opening, verb_start, first_party) if p.kind == ENTITY]
    start = opening + len(next((w for w in (*_QUANTIFIERS, *_POINTERS) if sv.text.startswith(w, opening)), ""))
    if named and named[0].start in (opening, start):
        return named[0]
    feature = next((m for m in sv.mentions if m.start == start and m.feature), None)
    if feature is not None and sv.text.startswith(_SUBJECT_FOLLOWERS, feature.end):  # 该小程序将……: its operator
        found = _operator(sv, feature.feature or "", start, feature.end, first_party)
        return found if found is not None and found.kind == ENTITY else None
    found = _party_noun_subject(sv, opening, verb_start, skip, first_party) \
        or _pronoun_subject(sv, opening, verb_start, first_party)
    return found if found is not None and found.kind == ENTITY else None


def _own_subject(sv: SentenceView, verb_start: int, low: int, skip: list[Span], first_party: str) -> Party | None:
    """The subject the verb's own clause states by its shape (an agent, a pronoun, a grantee, a joined agent, an
    ordered party), else a party noun phrase opening the clause when no named party stands between its opening
    and the verb (……，快递公司会使用该信息: the clause names its own subject, not the earlier 我们; zh22), else
    None."""
    opening = sv.skip_connectors(sv.clause_of(verb_start)[0])
    own = _agent(sv, verb_start, first_party) or _pronoun_subject(sv, opening, verb_start, first_party) \
        or _grantee(sv, opening, verb_start, first_party) or _joined_agent(sv, verb_start, first_party) \
        or _ordered(sv, verb_start, skip, first_party)
    if own is not None or low > opening or any(p.start >= opening for p in _candidates(sv, low, verb_start,
                                                                                          first_party)):
        return own
    return _party_noun_subject(sv, opening, verb_start, skip, first_party)


def _nominal_agent(sv: SentenceView, clause_start: int, verb_start: int, skip: list[Span],
                   first_party: str) -> Party | None:
    """The party opening a nominalized practice X对Y的V (第三方对你个人信息的收集和使用，适用其自己的规则;
    合作方对你的位置信息的使用……: the verb is a noun after 的 and X, before 对, its agent; round 15), or None."""
    if not sv.text.endswith("的", 0, verb_start):
        return None
    at = sv.text.find("对", clause_start, verb_start)
    if at <= clause_start or not sv.outside(at):
        return None
    return _party_for(sv, clause_start, at, first_party) \
        or _party_noun_subject(sv, clause_start, at, skip, first_party)


# the user's grant of data to a party opening a clause's topic (你授权给小程序的信息, 您向开发者提供的数据)
_GRANT = re.compile(r"(?:你|您|用户)(?:主动)?(?:同意)?(?:授权|提供|授予|分享|交)(?:给|予)(?P<to>[^，,；;。的]{1,16})的"
                    r"|(?:你|您|用户)(?:主动)?向(?P<to2>[^，,；;。的]{1,16})(?:授权|提供|授予)的")


def grant_end(sv: SentenceView, clause_start: int, verb_start: int) -> int:
    """Where the user's grant phrase opening a clause before the verb ends (after its 的: 你提供给商家的|信息仅用于……),
    else -1: a verb inside it is a relative clause of the topic, not a practice before the verb."""
    match = _GRANT.match(sv.text, clause_start, verb_start)
    return match.end() if match is not None and match.end() < verb_start else -1


def _grantee(sv: SentenceView, clause_start: int, verb_start: int, first_party: str) -> Party | None:
    """The party the user gave or granted the data to, when that data opens the verb's clause as its topic (你授权给
    小程序的信息仅用于……: the grantee holds the data and is the one who uses it; a feature stands for its operator,
    ``features.yaml``; a party noun phrase for a third party; round 16), or None (no such opening, or the grantee
    resolves to no party)."""
    match = _GRANT.match(sv.text, clause_start, verb_start)
    if match is None or match.end() >= verb_start:
        return None
    start, end = match.span("to") if match.group("to") else match.span("to2")
    found = _party_for(sv, start, end, first_party)
    if found is not None:
        return found if found.kind != USER else None
    mention = next((m for m in sv.mentions if m.start == start and m.end == end and m.feature), None)
    if mention is not None:
        return _operator(sv, mention.feature or "", start, end, first_party)
    if end - start <= _MAX_PARTY_HEAD and sv.text.endswith(tuple(sv.lexicon.grammar.party_nouns), start, end):
        return Party(ENTITY, "third_party", start, end)
    return None


# a clause opening with one of these, or one of these right before the verb, states what the user's step achieves
# (长按图片并选择“保存”，即可将图片保存到相册; 选择“备份”后，聊天记录即可保存到电脑; round 15): its subject is the user,
# unless a party noun opens the clause before it (商家即可获取你的手机号码: the merchant's collection)
_RESULTS = ("即可", "便可", "就可以", "就能", "即能")


# prepositions that open a relative clause around its own object (与我们合作的第三方, 经我们授权的合作方)
_RELATIVE_PREPS = ("与", "和", "同", "跟", "经", "经过", "受")


def _relative_head(sv: SentenceView, party: Party, verb_start: int, first_party: str) -> Party | None:
    """The party a relative clause modifies when ``party`` stands inside it and the clause opens the subject's
    clause (我们合作的广告商会……, 与我们合作的第三方会……, 经我们授权的合作方，可能……: "we" are no subject, the head
    noun the clause modifies with 的 is; the relative clause precedes its head, Li & Thompson 1981, Mandarin
    Chinese, ch. 20): the party, only verbs and adverbs between it and the 的, and after the 的 a named party or a
    party noun phrase (``party_nouns``) up to the modals before the verb or the clause's end. None otherwise
    (我们收集的信息会……: data; 我们会向与我们合作的第三方提供: the clause opens with 我们会)."""
    clause_start, clause_end = sv.clause_of(party.start)
    if sv.text[sv.skip_connectors(clause_start):party.start] not in ("", *_RELATIVE_PREPS):
        return None
    end = min(clause_end, verb_start)
    inner = [t for t in sv.tokens if party.end <= t.start < end and sv.outside(t.start)]
    de = next((i for i, t in enumerate(inner) if t.text == "的"), 0)
    if de == 0 or not all(t.tag.startswith(("v", "d")) for t in inner[:de]):
        return None
    start = inner[de].end
    end = _strip_modals(sv, start, end)
    while end > start and sv.text[end - 1] in "，,、 ":
        end -= 1
    head = _party_for(sv, start, end, first_party)
    if head is not None:
        return head if head.kind == ENTITY else None
    words = [t for t in sv.tokens if start <= t.start < end]
    if end - start > _MAX_PARTY_HEAD or not sv.text.endswith(tuple(sv.lexicon.grammar.party_nouns), start, end) \
            or any(t.text in sv.lexicon.verb_actions or t.text == "的" for t in words):
        return None
    return Party(ENTITY, "third_party", start, end)


def _strip_modals(sv: SentenceView, start: int, end: int) -> int:
    """Where the words before ``end`` end once the modals, negations and refusals after a subject are taken off
    (商家可以 -> 商家, 商家会拒绝 -> 商家)."""
    modal_words = sorted((*_SUBJECT_FOLLOWERS, *sv.lexicon.grammar.negations, *sv.lexicon.grammar.refusals,
                          "能够", "能"), key=len, reverse=True)  # (商家会拒绝收集……: round 16)
    while (word := next((w for w in modal_words if sv.text.endswith(w, start, end)), None)) is not None:
        end -= len(word)
    return end


_AGENT_MARKERS = ("由", "被")
# adverbs between an agent and its verb (由开发者直接收集, 由该服务商独立处理)
_AGENT_ADVERBS = ("负责", "直接", "独立", "自行", "单独", "另行", "依法", "共同", "进行")


def _labelled_recipient(sv: SentenceView, party: Party, verb_start: int) -> bool:
    """True for a party that labels the text after its colon when the verb's clause gives to a pronoun (物流公司：
    为完成配送，我们会向其提供……; 支付机构：向其提供订单信息: the label is the recipient 其 stands for, not the subject;
    round 13)."""
    if not sv.text.startswith(("：", ":"), party.end):
        return False
    clause_start = sv.clause_of(verb_start)[0]
    return any(f"{p}其" in sv.text[clause_start:verb_start] for p in sv.lexicon.grammar.recipient_before)


def _inside_earlier_clause(sv: SentenceView, party: Party, verb_start: int) -> bool:
    """True for a named party inside an earlier comma clause, after the words that open it and before no modal
    (我们会委托短信服务商发送验证码，为此需要向其提供……: the object of 委托, which jieba may tag a noun, is no subject
    of the later clause, whose dropped subject is the first clause's; round 13); not the head that ends its clause
    (我们集团内的关联公司，它们……: a topic), nor one the later clause's agent 由其/被其 refers back to."""
    start, end = sv.clause_of(party.start)
    verb_clause = sv.clause_of(verb_start)[0]
    if any(f"{marker}其" in sv.text[verb_clause:verb_start] for marker in _AGENT_MARKERS):
        return False  # 我们会委托第三方服务商，由其收集……: the agent 其 refers back to the party, which does it
    return party.kind == ENTITY and end <= verb_clause and party.start > sv.skip_connectors(start) \
        and bool(sv.text[party.end:end].strip()) and not sv.text.startswith(_SUBJECT_FOLLOWERS, party.end)


def _pronoun_agent(sv: SentenceView, verb_start: int, first_party: str) -> Party | None:
    """The agent of 由其 V (adverbs such as 负责 aside): 其 points back to the nearest party named before it in the
    sentence other than "we", or a party noun phrase (``party_nouns``) right before it (……转移给位于新加坡的集团公司并
    由其处理 -> the group companies process; 提供给快递公司，并由其处理 -> a third party; Li & Thompson
    1981, ch. 16 on 由 and 24 on zero and pronominal anaphora), or None (no 由其 right before the verb, or no such
    party: 由其 then stays unread)."""
    end = verb_start
    while (word := next((a for a in _AGENT_ADVERBS if sv.text.endswith(a, sv.start, end)), None)) is not None:
        end -= len(word)
    if not sv.text.endswith("由其", sv.start, end) or not sv.outside(end - 2):
        return None
    found = [p for p in _candidates(sv, sv.start, end - 2, first_party) if p.kind == ENTITY]
    before = sv.text[sv.start:end - 2].rstrip("并且，, ")
    if before.endswith(tuple(sv.lexicon.grammar.party_nouns)) \
            and not any(p.end == sv.start + len(before) for p in found):  # 提供给快递公司，并由其处理
        return Party(ENTITY, "third_party", sv.start + len(before), sv.start + len(before))
    return found[-1] if found else None


def _agent(sv: SentenceView, verb_start: int, first_party: str) -> Party | None:
    """The agent of 由/被 X V in the verb's clause (你的位置信息将由该服务商收集, 你填写的信息由开发者收集, 不再被
    我们使用): X, when it runs from the marker up to the verb (adverbs and an adverbial such as 根据其隐私政策 aside)
    and is the first party, an entity or
    a noun phrase ending in a party noun with no verb of its own (the hand-off of a service to its operator; the
    passive's agent, Li & Thompson 1981, ch. 16). None otherwise (由于, 由你选择, 由……提供的服务)."""
    clause_start = sv.clause_of(verb_start)[0]
    marks = [t for t in sv.tokens if clause_start <= t.start and t.end <= verb_start
             and t.text in _AGENT_MARKERS and sv.outside(t.start)]
    pronoun = _pronoun_agent(sv, verb_start, first_party)
    if not marks or pronoun is not None:
        return pronoun
    start, end = marks[-1].end, verb_start
    end = min([end, *(t.start for t in sv.tokens if start < t.start < end and t.text in _ADVERBIAL_PREPS)])
    end = min([end, *(t.start for t in sv.tokens if start < t.start < end and t.text in sv.lexicon.verb_actions
                      and sv.text.startswith(BING_JOINERS, t.end))])  # 由X收集并……处理: X does both (round 19)
    while (word := next((a for a in _AGENT_ADVERBS if sv.text.endswith(a, start, end)), None)) is not None:
        end -= len(word)
    core = start
    while (det := next((d for d in DETERMINERS if sv.text.startswith(d, core, end)), None)) is not None:
        core += len(det)
    if core >= end:
        return None
    found = _party_for(sv, core, end, first_party)
    if found is not None:
        return found if found.kind != USER else None
    inner = [t for t in sv.tokens if core <= t.start < end]
    if not inner or inner[-1].end != end or any(t.text in sv.lexicon.verb_actions or t.text == "的" for t in inner):
        return None
    if sv.text[core:end].endswith(tuple(sv.lexicon.grammar.party_nouns)) and end - core <= _MAX_PARTY_HEAD:
        return Party(ENTITY, "third_party", start, end)
    return None


def _joined_agent(sv: SentenceView, verb_start: int, first_party: str) -> Party | None:
    """The agent of the previous clause's passive practice verb for a clause that opens with a predicate joiner
    and names no subject (你的信息由财付通收集，并根据其隐私政策处理: 财付通 does both; round 19), else None."""
    clause_start = sv.clause_of(verb_start)[0]
    if clause_start <= sv.start or not sv.text.startswith(BING_JOINERS, clause_start):
        return None
    previous = sv.clause_of(clause_start - 1)[0]
    verb = next((t for t in reversed(sv.tokens) if previous <= t.start and t.end <= clause_start
                 and t.text in sv.lexicon.verb_actions and sv.outside(t.start)), None)
    return None if verb is None else _agent(sv, verb.start, first_party)


def _ordered(sv: SentenceView, verb_start: int, skip: list[Span], first_party: str) -> Party | None:
    """The party, not the user, between an ordering verb (negation.ORDERS: 兼语式 with an order or a permission, Li &
    Thompson 1981, ch. 21; zh20, zh21) and the verb in its clause (要求服务商依照本指引处理……, 委托财付通收集……,
    ……，要求他们按照……处理: a pronoun stands for the nearest party named before), else None; None also when the
    user gives the order (你授权我们收集……: a permission of the user's, no practice stated)."""
    clause_start = sv.clause_of(verb_start)[0]
    order = next((t for t in reversed(sv.tokens) if clause_start <= t.start and t.end < verb_start
                  and t.text in ORDERS and sv.outside(t.start)), None)
    if order is None or any(s.start <= order.start < s.end for s in skip):
        return None
    if _users_order(sv, order.start, clause_start, skip):
        return None  # 你授权我们收集……: the user's permission, no order of ours (zh21)
    named = [p for p in _candidates(sv, order.end, verb_start, first_party) if p.kind != USER]
    if named and named[0].start == order.end:
        return named[0]
    cut = min([verb_start, *(t.start for t in sv.tokens if order.end < t.start < verb_start and sv.outside(t.start)
                             and t.text in (*_ADVERBIAL_PREPS, *_RECIPIENT_PREPS))])  # (要求服务商依照……处理)
    return _party_noun_subject(sv, order.end, cut, skip, first_party) \
        or _pronoun_subject(sv, order.end, verb_start, first_party)


def _users_order(sv: SentenceView, order_start: int, clause_start: int, skip: Sequence[Span]) -> bool:
    """True when the user gives the order or permission at ``order_start``: the last party word before it in its
    clause, neither a possessor (你的授权) nor the object of a preposition (向你要求) nor inside a condition of
    ``skip`` (在你未授权的情况下允许……), is the user, with or without words between (你授权我们……, 你可以允许
    我们……, 你可以选择不授权我们……: a permission of the user's, no practice of ours stated, negated or not; zh21
    review)."""
    parties = [p for p in _candidates(sv, clause_start, order_start, "")
               if not sv.text.startswith("的", p.end) and not any(s.start <= p.start < s.end for s in skip)
               and getattr(sv.last_token_before(p.start, clause_start), "text", None) not in _BENEFACTIVE]
    return bool(parties) and parties[-1].kind == USER


def ordering_verb(sv: SentenceView, who: Party, skip: Sequence[Span]) -> int | None:
    """The start of the ordering verb (``ORDERS``) right before ``who`` when ``who`` is its pivot, the party it
    orders and the subject of the next verb (我们不会委托第三方收集……: 委托 before 第三方), else None; None when
    the user gives it (:func:`_users_order`, ``skip`` the conditions: 你可以不授权我们获取……)."""
    clause_start = sv.clause_of(who.start)[0]
    token = sv.last_token_before(who.start, clause_start)
    return token.start if token is not None and token.end == who.start and token.text in ORDERS \
        and sv.outside(token.start) and not _users_order(sv, token.start, clause_start, skip) else None


_PRONOUN_SUBJECTS = ("其", "他们", "它们", "该方", "对方")


def _pronoun_subject(sv: SentenceView, clause_start: int, verb_start: int, first_party: str) -> Party | None:
    """A clause opening with a pronoun before its modal (……由第三方合作方提供，其可能会收集……; 它们会获取……): the
    pronoun stands for the nearest party, not the user, named in the sentence's earlier clauses. None when there
    is none (the first party is then the default)."""
    word = next((w for w in _PRONOUN_SUBJECTS if sv.text.startswith(w, clause_start)), None) \
        or _demonstrative_party(sv, clause_start)
    if word is None:  # (该服务 pointing back to a feature: its operator)
        word = _demonstrative_feature(sv, clause_start, first_party)
        return None if word is None or sv.text.startswith(tuple(sv.lexicon.grammar.purpose_object), verb_start) \
            else word
    if word is None or not sv.text.startswith((*_SUBJECT_FOLLOWERS, *_ADVERBIAL_PREPS), clause_start + len(word)) \
            or sv.text.startswith(tuple(sv.lexicon.grammar.purpose_object), verb_start):
        return None  # (……，其将用于……: 其 is the data put to a purpose, no party)
    earlier = [p for p in _candidates(sv, sv.start, clause_start, first_party) if p.kind != USER]
    earlier += [Party(ENTITY, "third_party", t.start, t.end) for t in sv.tokens
                if sv.start <= t.start and t.end <= clause_start and sv.outside(t.start)
                and t.text.endswith(tuple(sv.lexicon.grammar.party_nouns))
                and not any(p.start <= t.start < p.end for p in earlier)]
    if not earlier:
        return None
    nearest = max(earlier, key=lambda p: p.end)
    return Party(nearest.kind, nearest.entity, clause_start, clause_start + len(word))


# demonstratives opening a definite noun phrase that points back (该应用, 此功能, 这家公司), longest first
DEMONSTRATIVES = ("这个", "这些", "这家", "这项", "这一", "该类", "那个", "那些", "该", "此", "这")
# nouns that name a party after a demonstrative only (该平台, 此平台: another platform, named before or not; a bare
# 平台 in a platform's own policy is the platform itself, so it is no ``party_nouns`` word; round 16)
_DEMONSTRATIVE_HEADS = ("平台",)


def _demonstrative_party(sv: SentenceView, clause_start: int) -> str | None:
    """The words of a demonstrative + noun opening a clause when the noun ends a party named before it in the
    sentence (当你使用微信登录第三方应用时，该应用可以获取……: 该应用 is that third-party app; round 13), else None."""
    det = next((d for d in DEMONSTRATIVES if sv.text.startswith(d, clause_start)), None)
    if det is None:
        return None
    follower = next((t.start for t in sv.tokens if clause_start + len(det) < t.start <= clause_start + 8
                     and t.text.startswith(_SUBJECT_FOLLOWERS)), -1)
    noun = sv.text[clause_start + len(det):follower] if follower != -1 else ""
    if len(noun) < 2:
        return None
    named = any(m.entity and m.end <= clause_start and m.text.endswith(noun) and len(m.text) > len(noun)
                for m in sv.mentions) or (noun in (*sv.lexicon.grammar.party_nouns, *_DEMONSTRATIVE_HEADS) and any(
                    t.end <= clause_start and t.text.endswith(noun) for t in sv.tokens))
    return sv.text[clause_start:follower] if named else None


def _demonstrative_feature(sv: SentenceView, clause_start: int, first_party: str) -> Party | None:
    """A demonstrative + a feature noun (``feature_nouns``) opening a clause before a modal (你可以使用微信支付，该服务
    会收集……; round 14): the words point back to the nearest feature the sentence names before the clause, whose
    operator is the subject (:func:`_operator`: Weixin Pay's for 微信支付, the first party for a feature it runs).
    None when the words are no such phrase or the sentence names no feature before them."""
    det = next((d for d in DEMONSTRATIVES if sv.text.startswith(d, clause_start)), None)
    if det is None:
        return None
    noun = next((n for n in sv.lexicon.grammar.feature_nouns if sv.text.startswith(n, clause_start + len(det))), None)
    end = clause_start + len(det) + len(noun or "")
    if noun is None or not sv.text.startswith((*_SUBJECT_FOLLOWERS, *_ADVERBIAL_PREPS), end):
        return None
    named = [m for m in sv.mentions_in(sv.start, clause_start, top_level=True) if m.feature]
    if not named:
        return _provider(sv, clause_start, end, first_party)
    return _operator(sv, max(named, key=lambda m: m.end).feature or "", clause_start, end, first_party)


def _provider(sv: SentenceView, clause_start: int, end: int, first_party: str) -> Party | None:
    """The party an earlier clause of the sentence names as the provider (由 Y 提供) of the feature a demonstrative +
    feature noun points back to (该功能由第三方提供，该功能会收集……: the provider runs it and collects; zh23), as
    ``_demonstrative_feature`` reads its words; None when no such clause stands before."""
    providers = [p for t in sv.tokens if sv.start <= t.start < clause_start and t.text == "提供"
                 if (p := _agent(sv, t.start, first_party)) is not None]
    if not providers or providers[-1].kind != ENTITY:
        return None
    return Party(ENTITY, providers[-1].entity, clause_start, end)


def _chained(sv: SentenceView, verb_start: int, skip: list[Span], first_party: str) -> Party | None:
    """The subject of a topic chain (Li & Thompson 1981, Mandarin Chinese, ch. 24: later clauses without a subject
    of their own continue the topic of the first): a party noun phrase that is the whole first clause of the
    sentence (任何与我们共享用户数据的第三方，均须……，并且……禁止保留、使用或披露……), when no clause between it and the
    verb has a subject of its own. None otherwise."""
    clauses = [c for c in sv.clause_spans if c[1] <= verb_start]
    if not clauses or clauses[0][0] > sv.start + 1:
        return None
    start, end = clauses[0]
    if any(sv.starts_with_subject(s) for s, _ in clauses[1:]) or sv.clause_of(verb_start)[0] == start:
        return None
    own_end = end - 1 if sv.text[end - 1:end] in "，," else end
    opening = sv.skip_connectors(start)
    own_end = min([own_end, *(s.start for s in skip if opening < s.start < own_end)])  # 商家在你下单后，可以……
    found = _party_noun_subject(sv, opening, own_end, skip, first_party)
    return found if found is not None and found.kind == ENTITY else None


# a clause opening with one of these continues the predicate of the clause before it (商家会获取……，并处理……)
CONTINUERS = ("并且", "并", "且", "也", "还", "同时", "而且", "但是", "但", "而")
# a clause opening with one of these states the purpose of the clause before it; it has no subject of its own
_PURPOSE_CLAUSES = ("以便", "以", "用以", "为了", "为", "从而")


def continues(sv: SentenceView, verb_start: int) -> bool:
    """True when the verb's clause opens with a continuer (``CONTINUERS``) and names no subject of its own before
    the verb: it shares the subject of the clause before it (……，但不会收到……, ……，并处理……)."""
    start = sv.clause_of(verb_start)[0]
    head = sv.text[start:verb_start].lstrip()
    return head.startswith(CONTINUERS) and not sv.starts_with_subject(start + len(sv.text[start:verb_start])
                                                                       - len(head) + _continuer_len(head))


def _continuer_len(head: str) -> int:
    return next(len(w) for w in CONTINUERS if head.startswith(w))


def _continued(sv: SentenceView, verb_start: int, skip: list[Span], first_party: str) -> Party | None:
    """The subject of a clause that continues the predicate of an earlier one (a topic chain, Li & Thompson 1981,
    Mandarin Chinese, ch. 24: 商家会获取你的收货地址，以便为你发货，并处理这些信息 -> 商家 处理): the party noun
    phrase (``party_nouns``) opening the nearest earlier clause with a verb, passing over purpose clauses (以便……)
    and other continuing clauses. None when the verb's clause does not continue one or that clause opens otherwise
    (我们会……，并…… keeps the first party)."""
    if not continues(sv, verb_start):
        return None
    for start, end in reversed([c for c in sv.clause_spans if c[1] <= sv.clause_of(verb_start)[0]]):
        opening = sv.skip_connectors(start)
        head = sv.text[start:end].lstrip()
        if head.startswith(_PURPOSE_CLAUSES):
            continue
        verb = next((v for v in sv.verbs if opening < v.start < end), None)
        if verb is None:
            return None
        found = _party_noun_subject(sv, opening, verb.start, skip, first_party)
        if found is not None:
            return found if found.kind == ENTITY else None
        if not head.startswith(CONTINUERS):
            return None
    return None


_ADVERBIAL_PREPS = ("按照", "根据", "依据", "依照", "基于", "通过", "遵循", "遵守", "代表")
_RECIPIENT_PREPS = ("向", "给", "与")
_BA_MARKERS = ("将", "把")  # 商家会将你的订单信息提供给……: the preposed object after the modal (zh23)


def _before_adverbial(sv: SentenceView, clause_start: int, verb_start: int) -> int:
    """Where a prepositional adverbial that stands between the subject's modal and the verb starts (商家会按照其隐私
    政策收集……, 快递公司将依据法律规定保存……: Chinese puts manner and basis phrases before the verb, after the
    modal; also a recipient phrase: 商家会向我们提供……, round 15; and a preposed object: 商家会将……提供给, zh23), else
    ``verb_start``: the subject phrase ends before it."""
    for t in sv.tokens:
        if not (clause_start < t.start < verb_start and t.text in (*_ADVERBIAL_PREPS, *_RECIPIENT_PREPS, *_BA_MARKERS)
                and sv.outside(t.start)):
            continue
        refusal = sv.lexicon.phrase_ending(sv.text, t.start, "refusals") if t.text in _RECIPIENT_PREPS else None
        pos = t.start - len(refusal or "")  # 商家会拒绝向……提供: the party's refusal (round 16)
        if sv.text.endswith(_SUBJECT_FOLLOWERS, clause_start, pos):
            return pos
    return verb_start


_COORDINATORS = re.compile(r"和/或|以及|或者|和|及|与|、|或")


def conjuncts(sv: SentenceView, verb_start: int, first_party: str) -> list[Party]:
    """The parties of a coordinated subject opening the verb's clause before a modal or adverb (我们和第三方都会收集……,
    我们及合作伙伴会……, 商家与我们均可以……: every conjunct is a subject of the verb; round 16): two or more parties
    (:func:`_party_for`, not the user, or a party noun phrase -> third_party) joined by 和/及/以及/与/、/或, in order.
    Empty otherwise: with no modal or adverb between the phrase and the verb 与/和 X is the verb's partner or
    recipient (我们与第三方共享……), and a phrase holding anything else is no coordination."""
    clause_start = sv.skip_connectors(sv.clause_of(verb_start)[0])
    end = _strip_modals(sv, clause_start, _before_adverbial(sv, clause_start, verb_start))
    if end >= verb_start and _before_adverbial(sv, clause_start, verb_start) == verb_start:
        return []
    out: list[Party] = []
    pos = clause_start
    for joiner in [*_COORDINATORS.finditer(sv.text, clause_start, end), None]:
        piece_end = joiner.start() if joiner else end
        party = _party_for(sv, pos, piece_end, first_party) if piece_end > pos else None
        if party is None and (owned := _owned_party(sv, pos, piece_end, first_party)) is not None:
            party = Party(owned.kind, owned.entity, pos, piece_end)  # 我们的关联公司
        if party is None and 0 < piece_end - pos <= _MAX_PARTY_HEAD \
                and sv.text.endswith(tuple(sv.lexicon.grammar.party_nouns), pos, piece_end) \
                and not any(pos <= t.start < piece_end and t.text in sv.lexicon.verb_actions for t in sv.tokens):
            party = Party(ENTITY, "third_party", pos, piece_end)
        if party is None or party.kind == USER:
            return []
        out.append(party)
        pos = joiner.end() if joiner else end
    return out if len(out) > 1 else []


def _owned_party(sv: SentenceView, start: int, end: int, first_party: str) -> Party | None:
    """The named party ending ``[start, end)`` after a possessive 的 (我们的关联公司 -> the 关联公司's entity), or
    None."""
    mention = next((m for m in sv.mentions if m.end == end and start < m.start and m.entity), None)
    if mention is None or not sv.text.endswith("的", start, mention.start):
        return None
    return _party_for(sv, mention.start, end, first_party)


def _party_noun_subject(sv: SentenceView, clause_start: int, verb_start: int, skip: list[Span],
                        first_party: str) -> Party | None:
    """A noun phrase ending in a party noun (``party_nouns``) that opens the verb's clause, before its modals
    (商家可以获取……, 平台内的商户可以查看……, 合作的地图服务商会获取……): a third party the ontology does not name,
    or the first party when its modifier is "we" (我们的客服部门). None when the phrase opens with a preposition
    (向商家提供), lies in a condition or purpose, or its head (after its last 的) holds a practice verb, a pronoun
    or a preposition, or is longer than a party name (``_MAX_PARTY_HEAD``)."""
    if any(s.start <= clause_start < s.end for s in skip):
        return None
    end = _strip_modals(sv, clause_start, _before_adverbial(sv, clause_start, verb_start))
    phrase = sv.text[clause_start:end].strip()
    demonstrative = phrase.startswith(DEMONSTRATIVES) and phrase.endswith(_DEMONSTRATIVE_HEADS)  # 该平台会……
    if not phrase or not (phrase.endswith(tuple(sv.lexicon.grammar.party_nouns)) or demonstrative) \
            or any(c in phrase for c in "，,：:"):
        return None
    last_de = sv.text.rfind("的", clause_start, end)
    head_start = last_de + 1 if last_de != -1 else clause_start
    preps = set(sv.lexicon.grammar.prepositions)
    pronouns = set(sv.lexicon.grammar.pronouns)
    if end - head_start > _MAX_PARTY_HEAD:
        return None
    for t in sv.tokens:  # (jieba tags 快递, 支付 as verbs: a compound noun 快递公司, 支付机构 may hold one)
        if head_start <= t.start < end and (t.tag == "p" or t.text in preps
                                            or (t.text in pronouns and not _possessive(sv, t, head_start, end))
                                            or (t.text in sv.lexicon.verb_actions and not party_modifier(sv, t.end)))\
                and not any(m.start <= t.start < m.end for m in sv.mentions):
            return None  # the head holds a practice verb, a pronoun or a preposition: no party noun phrase
    opener = sv.token_at(clause_start)
    if opener is not None and opener.text in preps:
        return None  # 向商家……: governed
    owner = sv.text[clause_start:head_start]
    if any(owner.startswith(f"{w}的") for w in sv.lexicon.grammar.first_party) \
            and not sv.text.endswith(_OUTSIDE_HEADS, head_start, end):
        return Party(FIRST, first_party, clause_start, end)  # 我们的客服部门 (not 我们的合作方: another party)
    return Party(ENTITY, "third_party", clause_start, end)


def _possessive(sv: SentenceView, token: Token, head_start: int, end: int) -> bool:
    """True for 其 opening a party noun phrase right before its party noun (其运营者会……, 其开发者可以……: "its
    operator", a party other than the user; zh22), not 其 as a subject of its own."""
    return token.text == "其" and token.start == head_start and end - token.end <= _MAX_PARTY_HEAD \
        and sv.text.endswith(tuple(sv.lexicon.grammar.party_nouns), token.end, end)


# party nouns that name another party even after 我们的 (我们的合作方, 我们的服务提供商 are not "we")
_OUTSIDE_HEADS = ("合作方", "伙伴", "服务商", "提供商", "供应商", "第三方", "受托方", "提供方", "服务方")


def party_modifier(sv: SentenceView, pos: int) -> bool:
    """True when a word ending at ``pos`` is followed at once by a party noun (``party_nouns``) that a modal or
    an adverb follows (支付处理|合作方会……, 数据存储|服务商将……): the word modifies the party noun of a subject, it
    is no predicate (PolicyLint's entity phrases: a practice verb inside an entity name names the entity)."""
    word = sv.token_after(pos)
    return word is not None and word.start == pos and word.text.endswith(tuple(sv.lexicon.grammar.party_nouns)) \
        and sv.text.startswith(_SUBJECT_FOLLOWERS, word.end)


def named_party(sv: SentenceView, onto: Ontology, party: Party, group: Group) -> bool:
    """True when ``party`` is named before the verb group and is neither the user nor other users (an entity of
    kind ``user``): 服务提供方可以查看 -> True; 你可以查看, (nobody named) 查看 -> False."""
    if party.start >= group.start or party.kind == USER \
            or (party.start < sv.clause_of(group.start)[0] and not continues(sv, group.start)):
        return False  # (in the verb's own clause: ……财付通公司会收集……，具体请查阅《……》)
    return party.kind == FIRST or onto.entities[party.entity or ""].attrs.get("kind") != "user"


def other_users(onto: Ontology, party: Party) -> bool:
    """True when ``party`` is other users (an entity of kind ``user``: 其他用户, 好友, 群成员): what they see or
    get through the app is display to users (README "claims", Chinese conventions), no practice of a party."""
    return party.kind == ENTITY and onto.entities[party.entity or ""].attrs.get("kind") == "user"


def source(sv: SentenceView, gap_start: int, verb_start: int, first_party: str) -> Party | None:
    """The party a collection verb takes data from (从第三方获取; also a party noun phrase the ontology does not
    name: 从服务商处获取), when it is not the user, else None."""
    for token in sv.tokens:
        if gap_start <= token.start < verb_start and token.text == "从" and sv.outside(token.start):
            found = [p for p in _candidates(sv, token.end, verb_start, first_party) if p.kind != USER]
            if found:
                return found[-1]
            place = sv.text[token.end:verb_start].strip()
            for suffix in _SOURCE_PLACES:
                place = place.removesuffix(suffix)
            if place.endswith(tuple(sv.lexicon.grammar.party_nouns)):
                return Party(ENTITY, "third_party", token.end, verb_start)  # 从服务商处获取 (round 15)
    return None


_SOURCE_PLACES = ("那里", "处")  # 从服务商处获取, 从商家那里获得: the party itself


def recipient(sv: SentenceView, gap_start: int, verb_start: int, verb_end: int, object_end: int,
              first_party: str, heads: bool = True) -> Party | None:
    """The party a share/transfer verb gives data to, or None when the text names none. ``heads`` (the
    ``parties`` phenomenon): the recipient is the head of its noun phrase, after a relative clause."""
    lex = sv.lexicon
    if lex.phrase_ending(sv.text, verb_start, "external") or any(
            sv.text.startswith(w, verb_start) for w in lex.grammar.external):
        return Party(ENTITY, "third_party", verb_start, verb_start)
    verb_clause = sv.clause_of(verb_start)[0]
    for token in sv.tokens:
        if gap_start <= token.start < verb_start and token.text in lex.grammar.recipient_before \
                and sv.outside(token.start) and not _other_predicate(sv, token.end, verb_clause, verb_start):
            if heads and sv.text[token.end:verb_start].strip() == "其":  # 向其提供: the party named before
                return _party_before(sv, token.start, first_party)
            head = _head_start(sv, token.end, verb_start) if heads else token.end  # 向与我们签署了……的合作伙伴
            found = _party_in(sv, head, verb_start, first_party, last=False)
            if found is not None:
                return found
    within = _within(sv, gap_start, verb_start, first_party) if heads else None
    if within is not None:
        return within
    for token in sv.tokens:
        if verb_end <= token.start < object_end and token.text in lex.grammar.recipient_after \
                and sv.outside(token.start):
            clause_end = min(sv.clause_of(token.end)[1], object_end)
            head = _head_start(sv, token.end, clause_end) if heads else token.end  # 提供给为我们提供……的服务商
            found = _party_in(sv, head, clause_end, first_party, last=True)
            if found is not None:
                return found
    return None


def _party_in(sv: SentenceView, start: int, end: int, first_party: str, last: bool) -> Party | None:
    """The recipient a phrase ``[start, end)`` names: a party word (the first one, or with ``last`` the last one
    that is not the user), else a phrase with a party noun (a third party), else the operator of a feature another
    party runs; None when it names none."""
    found = _candidates(sv, start, end, first_party)
    if last:
        found = [p for p in found if p.kind != USER][-1:]
    if found:
        return found[0]
    if _party_noun(sv, start, end):
        return Party(ENTITY, "third_party", start, end)
    return _operated_by(sv, start, end, first_party)


def _within(sv: SentenceView, gap_start: int, verb_start: int, first_party: str) -> Party | None:
    """在集团公司内部共享: the parties within which data is shared receive it (``recipient_within``), or None."""
    lex = sv.lexicon
    for token in sv.tokens:
        if gap_start <= token.start < verb_start and token.text == "在" and sv.outside(token.start):
            within = [w for w in lex.grammar.recipient_within if sv.text.find(w, token.end, verb_start) != -1]
            inner_end = min((sv.text.find(w, token.end, verb_start) for w in within), default=-1)
            found = _candidates(sv, token.end, inner_end, first_party) if inner_end != -1 else []
            if found and found[-1].kind != USER:
                return found[-1]
            if inner_end != -1 and _party_noun(sv, token.end, inner_end):
                return Party(ENTITY, "third_party", token.end, inner_end)
    return None


def _other_predicate(sv: SentenceView, pos: int, verb_clause: int, verb_start: int) -> bool:
    """True when a 向/给/与 phrase at ``pos`` lies in an earlier clause than the verb's and a verb of its own
    follows it there (我们会委托短信服务商向你发送验证码，为此需要向其提供……: 向你 belongs to 发送; round 13)."""
    end = sv.clause_of(pos)[1]
    return end <= verb_clause and any(pos <= t.start < min(end, verb_start) and t.tag.startswith("v")
                                      for t in sv.tokens)


def _party_before(sv: SentenceView, pos: int, first_party: str) -> Party | None:
    """The party a pronoun recipient stands for (我们会委托短信服务商……，为此需要向其提供……; round 13): the nearest
    party named before ``pos`` in the sentence that is neither the user nor the first party, else None."""
    earlier = [p for p in _candidates(sv, sv.start, pos, first_party) if p.kind == ENTITY]
    earlier += [Party(ENTITY, "third_party", t.start, t.end) for t in sv.tokens
                if sv.start <= t.start and t.end <= pos and sv.outside(t.start)
                and t.text.endswith(tuple(sv.lexicon.grammar.party_nouns))
                and not any(p.start <= t.start < p.end for p in earlier)]
    return max(earlier, key=lambda p: p.end) if earlier else None


def _operated_by(sv: SentenceView, start: int, end: int, first_party: str) -> Party | None:
    """The operator of a feature named as the recipient (向其他小程序共享, 提供给公众号: the Mini Program's developer,
    the Official Account's operator; ``features.yaml`` ``operator``; round 13), when it is another party; None for
    a feature the first party or the platform runs, or when no feature is named at the phrase's top level."""
    onto = sv.lexicon.onto
    for m in reversed(sv.mentions_in(start, end, top_level=True)):
        if not m.feature or m.data or m.entity:
            continue
        operator = onto.features[m.feature].attrs.get("operator")
        if operator in onto.entities and operator != first_party \
                and onto.entities[operator].attrs.get("kind") != "platform":
            return Party(ENTITY, operator, m.start, m.end)
        return None
    return None


def _head_start(sv: SentenceView, start: int, end: int) -> int:
    """Where the head of the noun phrase ``[start, end)`` starts: after its last top-level 的 when a relative
    clause or modifier with a verb precedes it (向提供身份核验服务的第三方机构, 向与我们签署了保密协议的合作伙伴),
    else ``start`` (向广告主及其代理商等第三方合作伙伴)."""
    last = max((t.start for t in sv.tokens if start <= t.start < end and t.text == "的" and sv.outside(t.start)),
               default=-1)
    if last == -1 or not any(t.tag.startswith("v") for t in sv.tokens if start <= t.start < last):
        return start
    return last + 1


def _party_noun(sv: SentenceView, start: int, end: int) -> bool:
    """True when ``[start, end)`` names a party the ontology does not know by a party noun (任何公司、组织和个人,
    新的持有者): a third party."""
    words = [t.text for t in sv.tokens if start <= t.start and t.end <= end and sv.outside(t.start)]
    return any(w.endswith(tuple(sv.lexicon.grammar.party_nouns)) for w in words)
