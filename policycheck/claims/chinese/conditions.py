"""Conditions, purposes and modality of a Chinese sentence.

- Frames: 当……时/后/前 (may run over commas: 当你评论、私信……，以及你正在观看……直播时) and 在……时/后/前/过程中
  inside one clause (在取得你的同意后, 在使用该类第三方服务时).
- Conditional clauses: a comma clause opening with 如果/若/如/除非/一旦 ... runs until a clause with its own
  subject (若开发者……时，需通过微信获取你的个人信息，| 我们会……); a clause ending in 的 before its comma is a
  condition too (确需向境外提供你的个人信息的，); a consent clause (经你同意，未经你的明示同意，) is one clause,
  a consent phrase inside a clause ends after its 同意/授权 (我们会经你同意后收集……);
  an exception (但法律法规另有规定的除外, 除……外) is a condition of what precedes it.
- A condition after the verb counts when it closes the sentence: 我们不会向合作伙伴分享……，除非你明确授权。
- Qualifiers of a denial (主动, 故意: 我们不会主动共享……) make it conditional too: the words are the condition.
- Subgroups: a sentence about 儿童/未成年人/不满14周岁 ... restricts its claims to that group (``data_subject``).
- Purposes: 为了/为/以/以便/目的是/是为了 ... to the end of their clause (为了 in mid-clause ends at the next
  modal: 我们为了安全传输会……).
Verbs inside conditions and purposes state no practice of their own; the words are kept as the claim's
``condition``/``purpose``; a denial with a condition or a subgroup is never an unconditional denial.
Modality: 可能/可以 -> may, 会/将/需要 -> will, 仅在必要范围内/所必需 -> only_if_necessary.
"""

from __future__ import annotations

from dataclasses import dataclass

from policycheck.claims.chinese.clauses import SentenceView

_NOT_WHEN_BEFORE = set("相不适妥恰正应")  # 相当, 不当, 适当 ...
_NOT_WHEN_AFTER = set("前地日天时然场")  # 当前, 当地, 当日, 当时, 当然, 当场
_BAD_TIME_BEFORE = set("实及同准随定临暂按")  # 实时, 及时, 同时 ...
_BAD_TIME_AFTER = set("间效长段")  # 时间, 时效 ...
# words ending in a closer's character that close no frame (提供售后服务的商家 is no 在……后 frame; round 13)
_NOT_CLOSERS = frozenset({"售后", "最后", "然后", "随后", "今后", "背后", "落后", "先后", "午后", "稍后", "目前",
                          "当前", "提前", "此前", "事前", "眼前", "面前"})
_MODALS = ("可能", "会", "将", "需要", "应")
TRAILING = ("conditional", "consent", "exception")
_CONSENT_WORDS = ("同意", "授权", "许可")  # condition kinds that also bind the verb before them


@dataclass(frozen=True)
class Span:
    """A condition or purpose: ``kind`` is frame_when (当), frame_at (在), conditional, relative or purpose."""

    start: int
    end: int
    kind: str


def _closer_at(sv: SentenceView, i: int, closers: list[str]) -> int | None:
    """End offset of a frame closer starting at ``i`` (时, 后, 前, 过程中 ...), or None."""
    text = sv.text
    for closer in sorted(closers, key=len, reverse=True):
        if not text.startswith(closer, i):
            continue
        if closer == "时" and ((i > 0 and text[i - 1] in _BAD_TIME_BEFORE)
                               or (i + 1 < len(text) and text[i + 1] in _BAD_TIME_AFTER)):
            return None
        if closer in ("后", "前") and ((i + 1 < len(text) and text[i + 1] in "者台端面续期")
                                     or text[i - 1:i + 1] in _NOT_CLOSERS):
            return None
        return i + len(closer)
    return None


def _when_frame(sv: SentenceView, i: int, closers: list[str]) -> int:
    """End of a 当 frame starting at ``i``: the first closer before a clause with its own subject; else the end
    of the clause."""
    clause_end = sv.clause_of(i)[1]
    j = i + 1
    while j < sv.end:
        if sv.outside(j):
            if sv.text[j] in "。；;！？":
                break
            if sv.text[j] in "，,":
                if sv.starts_with_subject(j + 1):
                    break
            else:
                end = _closer_at(sv, j, closers)
                if end is not None:
                    return end
        j += 1
    return clause_end


_MODALS_INSIDE = frozenset({"会", "将", "可能", "可以", "被", "将会", "需要"})


def _modal_inside(sv: SentenceView, start: int, end: int) -> bool:
    """True when a modal or 被 stands in ``[start, end)`` outside brackets: the words run on into a predicate of
    their own (你在微信中设置的备注会被上传并存储在我们的服务器中: the closing 中 is a place, no frame; round 12)."""
    return any(start < t.start < end and t.text in _MODALS_INSIDE and sv.outside(t.start) for t in sv.tokens)


def _at_frame(sv: SentenceView, i: int, closers: list[str]) -> int | None:
    """End of a 在 frame starting at ``i`` when a closer follows in the same clause, else None."""
    clause_end = sv.clause_of(i)[1]
    for j in range(i + 2, clause_end):
        if sv.outside(j) and sv.text[j] in "在当":
            return None
        if sv.outside(j):
            end = _closer_at(sv, j, closers)
            if end is not None:
                return end
    return None


def condition_spans(sv: SentenceView) -> list[Span]:
    """Frames and conditional clauses of the sentence, in text order, not overlapping."""
    lex = sv.lexicon
    frames: dict[str, list[str]] = lex.grammar.condition_frames
    spans: list[Span] = []
    i = sv.start
    clause_starts = {sv.skip_connectors(s) for s, _ in sv.clause_spans}
    while i < sv.end:
        if not sv.outside(i):
            i += 1
            continue
        text = sv.text
        if text[i] == "当" and (i == 0 or text[i - 1] not in _NOT_WHEN_BEFORE) and \
                (i + 1 >= len(text) or text[i + 1] not in _NOT_WHEN_AFTER) and "当" in frames:
            end = _when_frame(sv, i, frames["当"])
            spans.append(Span(i, end, "frame_when"))
            i = end
            continue
        if text[i] == "在" and "在" in frames:
            token = sv.token_at(i)
            if token is not None and token.start == i and token.text == "在":
                end = _at_frame(sv, i, frames["在"])
                if end is None and (i in clause_starts or lex.phrase_ending(text, i, "first_party")
                                    or lex.phrase_ending(text, i, "user")):
                    end = _when_frame(sv, i, frames["在"])
                    end = end if text[end - 1:end] in "时后前中间" and not _modal_inside(sv, i, end) else None
                if end is not None:
                    spans.append(Span(i, end, "frame_at"))
                    i = end
                    continue
        since = _since_frame(sv, i, frames)
        if since is not None:
            spans.append(since)
            i = since.end
            continue
        if lex.phrase_at(text, i, "consent_openers"):
            end = _consent_clause_end(sv, i) if i in clause_starts else _consent_end(sv, i)
            if end is not None:
                spans.append(Span(i, end, "consent"))
                i = end
                continue
        if i in clause_starts and lex.phrase_at(text, i, "clause_openers"):
            end = _conditional_end(sv, i)
            spans.append(Span(i, end, "conditional"))
            i = end
            continue
        if i in clause_starts and _exception(sv, i):
            end = sv.clause_of(i)[1]
            spans.append(Span(i, end, "exception"))
            i = end
            continue
        clause = _clause_condition(sv, i) if i in clause_starts else None
        if clause is not None:
            spans.append(clause)
            i = clause.end
            continue
        i += 1
    return spans


def _since_frame(sv: SentenceView, i: int, frames: dict[str, list[str]]) -> Span | None:
    """A time phrase that starts a period (自收集之日起, 从登录之时起: ``condition_frames`` 自/从), from its
    preposition (a word of its own) to the nearest closing word in its clause; None at any other word."""
    if sv.text[i] not in frames or sv.text[i] in "当在":
        return None
    token = sv.token_at(i)
    if token is None or token.start != i or (token.text not in frames and token.tag != "x"):
        return None  # (自该次登录之日起: jieba fuses 自该 into one unknown word; 自动, 自己, 从而 are words)
    clause_end = sv.clause_of(i)[1]
    ends = [at + len(w) for w in frames[sv.text[i]] if (at := sv.text.find(w, i + 1, clause_end)) != -1]
    return Span(i, min(ends), "frame_since") if ends else None


def _clause_condition(sv: SentenceView, i: int) -> Span | None:
    """A whole comma clause at ``i`` that is a condition by its end: a time frame without 当 (使用朋友圈时，) or a
    clause ending in 的 (确需向境外提供你的个人信息的，); None otherwise."""
    end = _time_clause_end(sv, i)
    if end is not None:
        user = sv.lexicon.phrase_at(sv.text, i, "user")  # 你使用朋友圈时，需要提供……: 你 stays the subject
        return Span(i + (len(user) if user else _opening_party(sv, i, end)), end, "frame_when")
    end = _inline_time_end(sv, i)
    if end is not None:
        return Span(i, end, "frame_when")
    start, end = sv.clause_of(i)
    last = sv.last_token_before(end, start)
    if last is not None and last.text == "的" and end < sv.end and sv.text[end] in "，,":
        return Span(i, end, "relative")
    return None


_MAX_PARTY = 10  # characters of an opening party phrase (小程序开发者, 平台内的商户)


def _opening_party(sv: SentenceView, i: int, end: int) -> int:
    """Length of a party that opens a time clause (小程序开发者获得你的授权后，可以获取……: the party is the subject
    of the sentence, the condition starts after it; round 12): an entity name, or a phrase ending in a party noun
    up to the clause's first verb; 0 when none."""
    mention = sv.mention_at(i)
    named = mention.end - i if mention is not None and mention.entity and not mention.data else 0
    verb = next((t for t in sv.tokens if i < t.start < end and t.tag.startswith("v")), None)
    if verb is None or verb.start - i > _MAX_PARTY:
        return named
    phrase = sv.text[i:verb.start]
    return max(named, len(phrase) if phrase.endswith(tuple(sv.lexicon.grammar.party_nouns)) else 0)


def _time_clause_end(sv: SentenceView, i: int) -> int | None:
    """End of a comma clause that is a time frame without its 当 (使用朋友圈时，…; 你开启个性化广告后，…; Chinese
    drops 当 freely): it ends in a frame closer (``condition_frames`` of 当) before its comma and opens with no
    subject of its own but the user (not 我们……时, not a purpose 为了……时). None otherwise."""
    lex = sv.lexicon
    start, end = sv.clause_of(i)
    if end >= sv.end or sv.text[end] not in "，," or lex.phrase_at(sv.text, i, "purpose_markers") \
            or lex.phrase_at(sv.text, i, "first_party") or lex.phrase_at(sv.text, i, "clause_openers") \
            or any(t.text in lex.grammar.condition_frames for t in sv.tokens if start <= t.start < end):
        return None  # (你在申请开具发票时，: the 在 frame reads it, its 你 stays the subject of the sentence)
    for closer in sorted(lex.grammar.condition_frames.get("当", []), key=len, reverse=True):
        at = end - len(closer)
        if at > i and sv.text.startswith(closer, at) and _closer_at(sv, at, [closer]) == end \
                and any(t.tag == "v" for t in sv.tokens if i <= t.start < at):
            return end
    return None


def _inline_time_end(sv: SentenceView, i: int) -> int | None:
    """End of a time frame without 当 and without a comma that opens the clause at ``i`` and runs into the first
    party (关闭后我们将不再收集……; 你开启该功能后微信会……: Chinese drops both 当 and the comma; round 13): the words up
    to a frame closer (``condition_frames`` of 当) right before a ``first_party`` word, with a verb of their own and
    no modal, purpose or conditional opener. None otherwise (我们……, 为了……时我们, 使用微信时 is no first party)."""
    lex = sv.lexicon
    end = sv.clause_of(i)[1]
    if lex.phrase_at(sv.text, i, "purpose_markers") or lex.phrase_at(sv.text, i, "first_party") \
            or lex.phrase_at(sv.text, i, "clause_openers"):
        return None
    closers = sorted(lex.grammar.condition_frames.get("当", []), key=len, reverse=True)
    for token in sv.tokens:
        if not i < token.start < end or not sv.outside(token.start):
            continue
        if token.text in _MODALS_INSIDE:
            return None
        party = lex.phrase_at(sv.text, token.start, "first_party")
        closer = next((c for c in closers if sv.text.endswith(c, i, token.start)), None) if party else None
        if closer is not None and _closer_at(sv, token.start - len(closer), [closer]) == token.start \
                and any(t.tag == "v" for t in sv.tokens if i <= t.start < token.start - len(closer)):
            return token.start
    return None


def _consent_clause_end(sv: SentenceView, i: int) -> int:
    """End of a consent phrase opening a clause: the clause's end (经你同意，……), or the end of its 同意/授权 when
    the first party follows it with no comma (经你同意后我们会使用……: the subject opens the main clause; round 15)."""
    end = _consent_end(sv, i)
    if end is not None and sv.lexicon.phrase_at(sv.text, end, "first_party"):
        return end
    return sv.clause_of(i)[1]


def _consent_end(sv: SentenceView, i: int) -> int | None:
    """End of a consent phrase inside a clause (我们会经你同意后收集……): after its 同意/授权/许可 (and 后/前), or
    None when the clause names none."""
    clause_end = sv.clause_of(i)[1]
    for j in range(i, clause_end):
        word = next((w for w in _CONSENT_WORDS if sv.text.startswith(w, j)), None)
        if word is not None:
            end = j + len(word)
            return end + 1 if sv.text[end:end + 1] in ("后", "前") else end
    return None


def _exception(sv: SentenceView, i: int) -> bool:
    """True for a clause that states an exception: 但法律法规另有规定的除外, 除……外, ……另有规定的."""
    start, end = sv.clause_of(i)
    words = sv.text[start:end].strip("。；;，, ")
    return (words.endswith(("除外", "以外")) and words.startswith(("但", "除", "法律"))) or "另有规定" in words


def _conditional_end(sv: SentenceView, i: int) -> int:
    """A conditional clause runs over the following clauses until one opens with its own subject."""
    end = sv.clause_of(i)[1]
    for s, e in sv.clause_spans:
        if s <= end:
            continue
        if sv.starts_with_subject(s) or sv.lexicon.phrase_at(sv.text, sv.skip_connectors(s), "clause_openers") \
                or _user_topic(sv, s, e):
            break
        end = e
    return end


def _user_topic(sv: SentenceView, start: int, end: int) -> bool:
    """True for a clause that opens with a noun phrase of the user's (你……的 N) followed by a modal and a verb (如果
    你选择开启，你设置的签名会被我们保存: the phrase is the topic of a predicate of its own, which ends the condition;
    round 19)."""
    pos = sv.skip_connectors(start)
    if not sv.lexicon.phrase_at(sv.text, pos, "user"):
        return False
    words = [t for t in sv.tokens if pos <= t.start and t.end <= end and t.text.strip()]
    de = next((i for i, t in enumerate(words) if t.text == "的"), None)
    return de is not None and any(
        (words[i - 1].tag.startswith("n") or any(m.data and m.end == words[i].start for m in sv.mentions))
        and words[i].text in _MODALS and words[i + 1].tag.startswith(("v", "p"))
        for i in range(de + 2, len(words) - 1))


def purpose_spans(sv: SentenceView) -> list[Span]:
    """Purpose phrases (为了……, 以向你提供……, 目的是……), to the end of their clause."""
    lex = sv.lexicon
    spans: list[Span] = []
    for s, e in sv.clause_spans:
        pos = sv.skip_connectors(s)
        marker = lex.phrase_at(sv.text, pos, "purpose_markers")
        if marker and not sv.text.startswith(("以下", "以上", "以及", "以外", "为准", "为例", "为此"), pos):
            spans.append(Span(pos, _modal_stop(sv, pos, e) if marker == "为了" else e, "purpose"))
            continue
        purpose_to = next((t for t in sv.tokens if pos < t.start < e and t.text == "以" and sv.outside(t.start)
                           and _purpose_follows(sv, t.end)), None)
        if purpose_to is not None:
            spans.append(Span(purpose_to.start, e, "purpose"))
            continue
        for word in ("为了", "以便", "是为了", "目的是", "用以"):
            at = sv.text.find(word, pos, e)
            token = sv.token_at(at) if at != -1 else None
            if at > pos and sv.outside(at) and token is not None and token.start == at:
                spans.append(Span(at, _modal_stop(sv, at, e) if word == "为了" else e, "purpose"))
                break
    return spans


def _modal_stop(sv: SentenceView, start: int, end: int) -> int:
    """A 为了 phrase without a comma ends where the predicate's modal begins (为了预防……可能会分析利用……)."""
    for token in sv.tokens:
        if start + 2 < token.start < end and token.text in _MODALS and sv.outside(token.start):
            return token.start
    return end


def _purpose_follows(sv: SentenceView, pos: int) -> bool:
    """After a mid-clause 以: a verb or 向/便/免/防 makes it a purpose (……信息以使用声音锁功能)."""
    nxt = sv.token_after(pos)
    return nxt is not None and nxt.start == pos and (nxt.tag == "v" or nxt.text[0] in "向便免防供")


def condition_text(sv: SentenceView, conditions: list[Span], before: int, after: int | None = None) -> str | None:
    """The words of the conditions before offset ``before`` and, when ``after`` is given, of those after it
    that close the sentence (……，除非你明确授权。), joined by a space; or None."""
    last = sv.end
    while last > sv.start and sv.text[last - 1] in "。；;！!？?，, ":
        last -= 1
    chosen = [c for c in conditions if c.start < before or (
        after is not None and c.start >= after and c.end >= last and c.kind in TRAILING
        and sv.clause_of(c.start)[1] >= last)]  # one closing clause, not 若……，将无法使用……
    parts = [sv.text[c.start:c.end].strip("，, ") for c in chosen]
    return " ".join(p for p in parts if p) or None


def qualifier(sv: SentenceView, gap_start: int, verb_start: int) -> str | None:
    """A qualifier of the practice between its subject and its verb (主动, 故意: 我们不会主动共享……), or None."""
    gap = sv.text[gap_start:verb_start]
    return next((q for q in sv.lexicon.grammar.qualifiers if q in gap), None)


def data_subject(sv: SentenceView) -> str | None:
    """The group of people the sentence is restricted to (``lexicon.yaml`` ``subgroups``: 儿童, 未成年人,
    不满14周岁 ... -> children), from its words outside titles and quotes (《儿童隐私保护声明》 names none)."""
    words = "".join(ch for k, ch in enumerate(sv.sentence) if not sv.quoted[sv.start + k])
    for group, cues in sv.lexicon.grammar.subgroups.items():
        if any(cue in words for cue in cues):
            return group
    return None


def purpose_text(sv: SentenceView, purposes: list[Span], after: int) -> str | None:
    """The nearest purpose phrase: the first one after ``after``, else the last one before it."""
    following = [p for p in purposes if p.start >= after]
    chosen = following[0] if following else (purposes[-1] if purposes else None)
    return sv.text[chosen.start:chosen.end] if chosen else None


def modality(sv: SentenceView, gap_start: int, verb_start: int) -> str | None:
    """only_if_necessary when the sentence limits the practice to what is necessary; else may/will from the
    words between the subject and the verb."""
    lex = sv.lexicon
    table: dict[str, list[str]] = lex.grammar.modality
    sentence = sv.sentence
    if any(w in sentence for w in table.get("only_if_necessary", [])):
        return "only_if_necessary"
    gap = sv.text[gap_start:verb_start]
    for label in ("may", "will"):
        if any(w in gap for w in table.get(label, [])):
            return label
    return None
