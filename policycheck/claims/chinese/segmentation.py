"""Word segmentation and sentence/clause splitting of Chinese policy text.

Words: a blank spaCy ``zh`` pipeline whose tokenizer segments with jieba (spaCy's own Chinese tokenizer;
https://spacy.io/usage/models#chinese: ``pkuseg`` would download its model at run time, which fails offline, while
jieba ships its dictionary), each pipeline with a jieba dictionary of its own (:func:`load_nlp`), plus a small
component that sets ``token.tag_`` to jieba's part-of-speech flag (``v`` verb, ``n`` noun, ``r`` pronoun, ...;
https://github.com/fxsjy/jieba#4-词性标注).
The ontology's Chinese names are added to that dictionary so that 设备标识符, 小程序 or 视频号 stay one word.
jieba's log output is silenced and its dictionary cache is written to the system temp directory.

Sentences end at 。！？； (and ASCII !?; and line breaks) outside brackets; clauses at ，, ：.
"""

from __future__ import annotations

import logging
import re
import tempfile
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass
from functools import lru_cache

import jieba
import jieba.posseg
import spacy
from spacy.language import Language
from spacy.tokens import Doc

SENTENCE_END = set("。！？；!?;\n")
CLAUSE_END = set("，,：:")
OPEN = {"（": "）", "(": ")", "【": "】", "[": "]", "《": "》", "“": "”", "「": "」", "『": "』"}
CLOSE = {v: k for k, v in OPEN.items()}
QUOTES = {"《", "“", "「", "『"}  # titles and quoted UI labels: not read as data or verbs


@dataclass(frozen=True)
class Token:
    """A jieba word: offsets into the block text, the word and its part-of-speech flag."""

    start: int
    end: int
    text: str
    tag: str


@Language.factory("jieba_pos")
def jieba_pos(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """Set ``token.tag_`` from jieba's part-of-speech tagger over the pipeline's own jieba dictionary, where its
    words align with the tokenizer's (else ``x``)."""
    tagger = jieba.posseg.POSTokenizer(nlp.tokenizer.jieba_seg)

    def tag(doc: Doc) -> Doc:
        flags: dict[tuple[int, int], str] = {}
        offset = 0
        for pair in tagger.cut(doc.text):
            flags[(offset, offset + len(pair.word))] = pair.flag
            offset += len(pair.word)
        for token in doc:
            token.tag_ = flags.get((token.idx, token.idx + len(token.text)), "x")
        return doc

    return tag


def _jieba(words: Iterable[str]) -> jieba.Tokenizer:
    """A jieba tokenizer of its own (jieba's dictionary, cached in the system temp directory, plus ``words``).

    jieba's module-level functions share one global dictionary: words added for one pipeline would stay in it and
    change how a pipeline loaded with other words (another ontology, in the same process) segments."""
    jieba.setLogLevel(logging.WARNING)
    segmenter = jieba.Tokenizer()
    segmenter.tmp_dir = tempfile.gettempdir()
    segmenter.initialize()
    for word in words:
        if len(word) > 1:
            segmenter.add_word(word, freq=max(segmenter.FREQ.get(word) or 0, 20000))
    return segmenter


@lru_cache(maxsize=4)
def load_nlp(words: tuple[str, ...]) -> Language:
    """The blank ``zh`` pipeline with jieba segmentation (``words`` added to its own dictionary) and POS flags.

    spaCy's ``segmenter: jieba`` setting would segment with jieba's global dictionary, so the pipeline is built
    with the default character segmenter and its tokenizer is then pointed at :func:`_jieba`'s tokenizer (the
    attributes ``segmenter`` and ``jieba_seg`` of spaCy's ``ChineseTokenizer``, spacy/lang/zh/__init__.py).
    Raises whatever spaCy raises when jieba is missing (it is a declared dependency)."""
    nlp = spacy.blank("zh")
    nlp.tokenizer.segmenter = "jieba"
    nlp.tokenizer.jieba_seg = _jieba(words)
    nlp.add_pipe("jieba_pos")
    return nlp


# jieba's HMM joins a frame's closing word and the preposition after it into one unknown word (在必要时向第三方披露
# -> 时向, 在……范围内向…… -> 内向, 在……情况下向 -> 下向), hiding the recipient: such a pair is cut in two (round 11)
_CLOSERS = "时后前内中下上"
_PREPOSITIONS = "向给与对将把从由被"
# ... and a preposition + a demonstrative (由该企业 -> 由该/x 企业: the agent's marker hidden; zh20), except the
# adverbs written the same way (从此 "from then on", 由此 "thereby": words of their own in 《现代汉语词典》, 7th ed.;
# 从/此 read "从此我们不再收集……" as no statement; review6)
_DEMONSTRATIVES = "该此"
_ADVERBS_OF_DEMONSTRATIVES = ("从此", "由此")


def tokens(nlp: Language, text: str) -> list[Token]:
    """jieba words of ``text`` with their offsets and POS flags; a frame closer + preposition pair (时向) is two
    words (closer tagged ``f``, preposition ``p``), and so is a preposition + demonstrative pair (由该: ``p``,
    ``r``; not the adverbs 从此, 由此)."""
    out = []
    for t in nlp(text):
        start = t.idx
        if len(t.text) == 2 and t.text[0] in _CLOSERS and t.text[1] in _PREPOSITIONS:
            out += [Token(start, start + 1, t.text[0], "f"), Token(start + 1, start + 2, t.text[1], "p")]
        elif len(t.text) == 2 and t.text[0] in _PREPOSITIONS and t.text[1] in _DEMONSTRATIVES \
                and t.text not in _ADVERBS_OF_DEMONSTRATIVES:
            out += [Token(start, start + 1, t.text[0], "p"), Token(start + 1, start + 2, t.text[1], "r")]
        else:
            out.append(Token(start, start + len(t.text), t.text, t.tag_))
    return out


def split_adverbs(words: list[Token], adverbs: Iterable[str], verbs: Container[str]) -> list[Token]:
    """``words`` with a word made of a manner adverb and a practice verb (加密传输, one word in jieba's dictionary)
    cut in two, the adverb tagged ``d`` and the verb ``v``: the verb is then a word of its own, read as a verb
    like 加密 存储 (我们会加密传输和存储你的聊天记录; zh20)."""
    adverbs = tuple(adverbs)
    out = []
    for t in words:
        adverb = next((a for a in adverbs if t.text.startswith(a) and t.text[len(a):] in verbs), None)
        if adverb is None:
            out.append(t)
        else:
            cut = t.start + len(adverb)
            out += [Token(t.start, cut, adverb, "d"), Token(cut, t.end, t.text[len(adverb):], "v")]
    return out


def bracket_depths(text: str) -> tuple[list[int], list[bool]]:
    """Per character: nesting depth of brackets (（）()【】[]《》“”) and whether it is inside a title or quote
    (《》“”「」). The brackets themselves count as inside. Unbalanced closers are ignored."""
    depth = [0] * len(text)
    quoted = [False] * len(text)
    stack: list[str] = []
    quotes = 0  # openers of titles or quotes on the stack (one pass: time linear in the text, however deep)
    for i, ch in enumerate(text):
        if ch in OPEN:
            stack.append(ch)
            quotes += ch in QUOTES
        depth[i] = len(stack)
        quoted[i] = quotes > 0
        if ch in CLOSE and stack and stack[-1] == CLOSE[ch]:
            quotes -= stack.pop() in QUOTES
    return depth, quoted


def sentences(text: str, depth: list[int]) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence: up to and including 。！？； outside brackets; blank ones dropped."""
    out: list[tuple[int, int]] = []
    start = 0
    for i, ch in enumerate(text):
        if ch in SENTENCE_END and depth[i] == 0:
            out.append((start, i + 1))
            start = i + 1
    out.append((start, len(text)))
    result = []
    for s, e in out:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            result.append((s, e))
    return result


def clauses(text: str, start: int, end: int, depth: list[int]) -> list[tuple[int, int]]:
    """Comma clauses of ``text[start:end]`` (split at ，：outside brackets), as ``(start, end)`` without the comma."""
    out: list[tuple[int, int]] = []
    s = start
    for i in range(start, end):
        if (text[i] in CLAUSE_END or text[i] in SENTENCE_END) and depth[i] == 0:
            out.append((s, i))
            s = i + 1
    if s < end:
        out.append((s, end))
    return [(a, b) for a, b in out if b > a]


_ADDRESS = re.compile(r"(?:https?://|www\.)[!-~]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+|[0-9]+")


def cjk_share(text: str) -> float:
    """Share of CJK ideographs among the non-space characters of ``text`` (0..1), URLs, e-mail addresses and
    numbers left out (将你的问题发送至Dataprivacy@tencent.com is Chinese)."""
    chars = [c for c in _ADDRESS.sub("", text) if not c.isspace()]
    if not chars:
        return 0.0
    return sum(1 for c in chars if "\u4e00" <= c <= "\u9fff") / len(chars)
