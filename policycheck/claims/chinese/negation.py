"""Negation, refusal and purpose restriction before a Chinese data-practice verb.

- Negated practice: a cue word (不会, 无法, 不, 未, 不再, 停止 ...) as a word of its own between the subject and the
  verb, in the verb's clause, outside conditions, not bound to another verb right after it (我们不会收集你的聊天记录;
  我们无法获得…; 我们不会向合作伙伴分享…; but not 不低于……标准继续保护……).
- Hedges, embedded questions, requests, definitions, prevented harms and staff access (并不代表我们必然会收集…,
  ……如何处理你的个人信息, 你有权要求我们停止处理…, 个人信息是指……记录的…, 防止数据遭到未经授权的访问, 仅允许……的员工
  访问) state no practice.
- Refusal: 拒绝提供/不同意 before the verb is the user's choice, not a practice (拒绝提供该信息仅会使你…).
- Purpose restriction: a negated 用于 (不会……将其用于该功能以外的其他用途; 该等信息不会被用于判定……) or a negated
  verb whose object is followed by 用于 (不会使用上述信息用于……) denies a purpose, not the practice: no claim;
  after a condition (如果你选择关闭，我们不会使用上述信息用于向你提供个性化的服务) a named purpose is a negated use.
"""

from __future__ import annotations

import re

from policycheck.claims.chinese.clauses import SentenceView
from policycheck.claims.chinese.conditions import Span

RESTRICTIONS = ("其他用途", "以外", "其他场景", "其他目的",
                # round 12: purposes the text does not state or that are unrelated (本指引未载明的目的)
                "未载明", "未列明", "未告知", "无关的目的", "无关的用途", "不相关的目的",
                # round 15: data beyond what the function needs (不会强制要求你提供与功能无关的信息): the excess
                "无关的信息", "无关的个人信息", "无关的数据", "不必要的信息", "不必要的个人信息")
# excess before a negated verb (不得超范围收集, 不会过度收集): the minimum-necessary principle of GB/T 35273-2020 5.2
# and PIPL art. 6 denies the excess, not the practice
EXCESS = ("超范围", "超出范围", "超出必要", "过度", "超过必要")
# a purpose restriction before the verb (Chinese puts 为……以外的任何目的 before it): 以外/之外 + 的 + 目的/用途
_PREPOSED_RESTRICTION = re.compile(r"(?:以外|之外)的?(?:任何|其他|其它)?(?:目的|用途)")
_ACCESS_VERBS = ("访问", "查看", "查阅", "接触")  # staff access (access control); 员工会记录…… stays a practice
# verbs of ordering or permission (兼语式, the pivotal construction: Li & Thompson 1981, ch. 21): the party after one
# is its object and the subject of the next verb (我们会要求合作伙伴按照我们的说明处理……: the partner processes; zh20),
# and a negation before one governs that verb (我们不会委托第三方收集……: the third party's collection is denied;
# 授权/允许 as permissions, zh21)
ORDERS = ("要求", "委托", "督促", "责令", "授权", "允许")
MODALS = ("会", "能", "能够", "可", "可以", "可能", "应", "应当", "需要", "得", "要", "将", "再")


def negated(sv: SentenceView, gap_start: int, verb_start: int, skip: list[Span]) -> bool:
    """True when a negation cue stands as a word between ``gap_start`` and the verb, in the verb's clause."""
    cues = set(sv.lexicon.grammar.negations)
    clause_start = sv.clause_of(verb_start)[0]
    start = max(gap_start, clause_start)
    gap = [t for t in sv.tokens if t.start >= start and t.end <= verb_start and sv.outside(t.start)
           and not any(s.start <= t.start < s.end for s in skip)]
    # the cue must govern this verb, not a verb right after it (不低于……的标准继续保护……处理), unless that verb asks
    # the user to give the data (我们绝不会要求你提供……: the denied request is the denied collection; round 12)
    return any(token.text in cues and not (i + 1 < len(gap) and gap[i + 1].start == token.end
                                           and gap[i + 1].tag == "v" and gap[i + 1].text not in (*MODALS, *ORDERS)
                                           and not _asks_user(sv, gap, i + 1))
               for i, token in enumerate(gap))


_ASKS = ("要求", "需要", "请求", "强制", "索要", "诱导")


def _asks_user(sv: SentenceView, gap: list, k: int) -> bool:
    """True when ``gap[k]`` asks the user (要求你, 需要您, also after another asking word: 强制要求你; round 15): the
    next verb is the user's giving, which it governs."""
    while k + 1 < len(gap) and gap[k].text in _ASKS and gap[k + 1].text in _ASKS:
        k += 1
    return gap[k].text in _ASKS and k + 1 < len(gap) and gap[k + 1].text in sv.lexicon.grammar.user


def _agrees(before: str, cue: str) -> bool:
    """True when ``cue`` (你同意) in ``before`` is the user agreeing to what follows, not a consent condition
    (经你同意后, 征得你同意, 在你同意的情况下)."""
    at = before.find(cue)
    while at != -1:
        after = before[at + len(cue):]
        condition = before[:at].endswith(("经", "经过", "征得", "取得", "获得", "在")) or after.startswith(("后", "的"))
        if not condition:
            return True
        at = before.find(cue, at + 1)
    return False


def refused(sv: SentenceView, verb_start: int) -> bool:
    """True when the verb is the object of a refusal (拒绝提供, 不同意提供), also with the first party named
    between them as the verb's recipient or agent (拒绝向我们提供……, 不同意我们使用……, 拒绝微信向合作方提供……:
    round 15): the user's choice, not a practice."""
    lex, text = sv.lexicon, sv.text
    if lex.phrase_ending(text, verb_start, "refusals") is not None:
        return True
    pos = verb_start
    party = lex.phrase_ending(text, pos, "party_nouns")
    if party is not None and text.endswith(_RECIPIENT_MARKS, 0, pos - len(party)):
        pos -= len(party) + 1  # 拒绝我们向第三方提供……: the first party's recipient before the verb
    first = lex.phrase_ending(text, pos, "first_party")
    if first is None:
        return False
    pos -= len(first)
    mark = next((m for m in _RECIPIENT_MARKS if text.endswith(m, 0, pos)), "")
    return lex.phrase_ending(text, pos - len(mark), "refusals") is not None


_RECIPIENT_MARKS = ("向", "给")
_DECLINER_ADVERBS = ("依法", "坚决", "一律", "有权", "将会", "会", "将", "可能", "可以", "可", "应当", "应",
                     "均", "都", "也")


def declined(sv: SentenceView, verb_start: int) -> bool:
    """True when the first party or a party noun phrase refuses the verb (我们会拒绝向未经授权的第三方提供……,
    商家将拒绝收集……: the party's own refusal denies its practice, as 不会 does; round 16): a refusal word in the
    verb's clause with the verb right after it or after a recipient phrase (向/给 X, no comma, no other practice
    verb), and before it, modals and adverbs aside, the clause's opening party. The user's refusal (你可以拒绝……,
    拒绝向我们提供) is :func:`refused`."""
    clause_start = sv.skip_connectors(sv.clause_of(verb_start)[0])
    lex = sv.lexicon
    for t in sv.tokens:
        if not (clause_start < t.start < verb_start and t.text in lex.grammar.refusals and sv.outside(t.start)):
            continue
        between = sv.text[t.end:verb_start]
        if between and not (between.startswith(_RECIPIENT_MARKS) and not any(
                w in between for w in (*lex.verb_actions, "，", ",", "；"))):
            continue
        end = t.start
        while (word := next((a for a in _DECLINER_ADVERBS if sv.text.endswith(a, clause_start, end)), None)):
            end -= len(word)
        opening = sv.text[clause_start:end]
        if opening in lex.grammar.first_party or (opening.endswith(tuple(lex.grammar.party_nouns))
                                                  and len(opening) <= 10) \
                or any(m.entity and m.start == clause_start and m.end == end for m in sv.mentions):
            return True
    return False


_OBJECT_QUESTIONS = ("什么", "何种", "哪类", "哪种")  # besides ``questions`` (哪些): words that ask for the object


def questioned(sv: SentenceView, verb_end: int) -> bool:
    """True when a question word opens the verb's object (告知你我们会收集哪些信息, 了解我们收集了什么数据: an
    embedded question names what is asked about, no practice; round 15)."""
    pos = verb_end + 1 if sv.text.startswith("了", verb_end) else verb_end
    return sv.text.startswith((*sv.lexicon.grammar.questions, *_OBJECT_QUESTIONS), pos)


def hedged(sv: SentenceView, verb_start: int) -> bool:
    """True when a hedge (并不代表我们必然会收集…) or a question word (关于微信支付如何处理你的个人信息, 我们如何收集
    和使用你的个人信息) governs the verb in its clause, or a definition cue (……是指……) stands before it in its
    sentence and no clause with a subject of its own opens between them (the verb is inside a definiens: 敏感个人
    信息是指一旦泄露或者非法使用……), or a prevention cue
    (防止数据遭到未经授权的访问、使用) in its clause, or the verb's subject right before it is the first party's
    staff (仅允许……的员工访问个人信息: access control): no practice is stated."""
    clause_start = sv.clause_of(verb_start)[0]
    before = sv.text[clause_start:verb_start]
    if any(h in before for h in (*sv.lexicon.grammar.hedges, *sv.lexicon.grammar.questions)):
        return True
    if any(r in before for r in sv.lexicon.grammar.requests) and not _legal_request(sv, clause_start, verb_start):
        return True  # (requests: 你有权要求我们停止处理……: a right of the user's, no practice)
    if any(_agrees(before, cue) for cue in sv.lexicon.grammar.consents):
        return True  # 即表示你同意该等信息……可被获取: what the user agrees to (not 经你同意后, a condition)
    if any(p in before and not before[:before.find(p)].endswith(("为", "为了", "以", "用于"))
           for p in sv.lexicon.grammar.preventions):
        return True  # 防止数据遭到未经授权的访问、使用: a harm guarded against (为了防止……: a purpose)
    if _staff(sv, before) and sv.text.startswith(_ACCESS_VERBS, verb_start):
        return True  # 仅允许有必要知晓的员工访问个人信息: access control, not a practice
    cue = max((sv.text.rfind(d, sv.start, verb_start) for d in sv.lexicon.grammar.definitions), default=-1)
    if cue == -1:
        return False
    # the definiens runs on until a clause opens with a subject of its own (……是指腾讯，我们会收集……: a claim)
    return not any(cue < s <= verb_start and sv.starts_with_subject(s, user=False) for s, _ in sv.clause_spans)


AUTHORITY = "government_authority"  # the ontology's entity of public authorities (mappings/entities.yaml)


def _legal_request(sv: SentenceView, clause_start: int, verb_start: int) -> bool:
    """True when a request to us before ``verb_start`` has a legal basis (``legal_bases``: 依法, 根据法律 ...) or a
    government authority as its subject in the clause (监管机构可能会依法要求我们提供……): a legal requirement we
    comply with, so the verb states our practice (zh23)."""
    before = sv.text[clause_start:verb_start]
    return any(b in before for b in sv.lexicon.grammar.legal_bases) or any(
        m.entity == AUTHORITY for m in sv.mentions if clause_start <= m.start < verb_start)


def _staff(sv: SentenceView, before: str) -> bool:
    """True when ``before`` (a clause up to its verb) ends with a staff word (modals aside) that is not another
    party's (第三方人员, 合作方的人员: that party's access)."""
    phrase = before.rstrip("才仅只可以能够会")
    word = next((w for w in sv.lexicon.grammar.staff if phrase.endswith(w)), None)
    return word is not None and not phrase[:-len(word)].rstrip("的").endswith(tuple(sv.lexicon.grammar.party_nouns))


def restricted(sv: SentenceView, verb_end: int, object_end: int, purpose_verb: bool, conditioned: bool) -> bool:
    """True when a negated verb denies a purpose or an excess, not the practice: ……用于该功能以外的其他用途;
    不得超范围收集 (``EXCESS``); a negated 用于
    (不会被用于判定……); 不会使用上述信息用于向你提供个性化的服务 (用于 after the object). After a condition, a
    named purpose (如果你选择关闭，我们不会使用上述信息用于向你提供个性化的服务) denies the use under that condition:
    not a restriction (``conditioned``), unless the purpose is "other purposes" (其他用途, 以外)."""
    clause_end = sv.clause_of(verb_end)[1]
    rest = sv.text[verb_end:clause_end]
    if any(r in rest for r in RESTRICTIONS):
        return True
    clause_start = sv.clause_of(verb_end - 1)[0]
    if any(e in sv.text[clause_start:verb_end] for e in EXCESS):
        return True  # 不得超范围收集: denies collecting beyond what is necessary, not collecting
    if _PREPOSED_RESTRICTION.search(sv.text, clause_start, verb_end):
        return True  # 禁止其为……以外的任何目的保留、使用: the purpose phrase stands before the verb
    if conditioned:
        return False
    return purpose_verb or "用于" in sv.text[object_end:clause_end]
