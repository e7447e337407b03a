"""Plain text -> blocks, for policy texts saved as text (e.g. the Chinese Weixin guidelines).

Such files often come from copying a web page: lines break wherever the page had a bold or link span, so a
sentence is spread over several lines ("…收集你的" / "位置信息" / "。当你…"). The reader joins a line
with the next unless the line ends a sentence or reads as a heading, then classifies each joined line:

- a heading: short (<= 30 characters), no sentence punctuation, e.g. ``导言``, ``1.我们收集、使用的信息``,
  ``4. Information sharing``; its level is 2 for a single section number or none, 1 for the first line
  of the document when it looks like a title;
- a list item: starts with a bullet (``•``, ``-``, ``·``) or ``(1)``/``（1）``/``①``;
- otherwise a paragraph (a numbered clause ``1.6 当你使用小程序功能时…`` opens the clause's section path,
  see :func:`policycheck.policies.model.assemble`; a clause number with a short title, ``2.1 信息存储的地点``,
  stays a paragraph of its own instead of being joined with the sentence after it).

A paragraph that continues a numbered clause (its section path ends with the clause number, its text does not
start with it) gets the clause's first sentence as ``lead_in``: a clause states its feature once, in its
opening condition (``1.16 当你使用视频号浏览视频内容和直播内容时，…``), and the paragraphs after it are read in
that context, by the claim extractor among others.

Leading ``# key: value`` lines are a header with capture metadata, returned separately and not part of the
text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from policycheck.policies.model import CLAUSE_NUMBER, ParsedDocument, RawBlock, assemble

SENTENCE_FINAL = tuple("。！？；.!?;")
CONTINUATION_START = tuple("，。、；：）」』】,.;:)!?！？")
HEADING_MAX = 30
_SECTION_NUMBER = re.compile(r"^(?:第[一二三四五六七八九十]+[章节条]|\d{1,2}(?:[.．、]|\s))\s*\S")
_BULLET = re.compile(r"^(?:[•·▪●◦\-–]\s*|[(（]\d{1,2}[)）]|[①-⑳]|[a-z][)）]\s*|\d{1,2}[)）]\s*)")
_HEADER_LINE = re.compile(r"^#\s*(?P<key>[^:：]+)[:：]\s*(?P<value>.+)$")
_RULE = re.compile(r"^[=\-_*]{5,}$")
_PUNCT = re.compile(r"[，。；：,;:！？!?]")
_ENDS_WITH_DATE = re.compile(r"\d{4}\s*[年./-]\s*\d{1,2}\s*[月./-]\s*\d{1,2}\s*日?$")
_DATE_ONLY = re.compile("^" + _ENDS_WITH_DATE.pattern)
_NUMBER_ONLY = re.compile(r"^(?:\d{1,2}(?:\.\d{1,3})+|[a-z][)）]|\d{1,2}[)）])$")


@dataclass
class PlainText:
    """A plain-text capture: its header metadata (``{key: value}``, lower-cased keys) and its body."""

    header: dict[str, str] = field(default_factory=dict)
    body: str = ""


def split_header(text: str) -> PlainText:
    """Separate leading ``# key: value`` lines (and a ``=====`` rule after them) from the body."""
    lines = text.splitlines()
    header: dict[str, str] = {}
    i = 0
    while i < len(lines) and (lines[i].startswith("#") or (header and _RULE.match(lines[i].strip()))):
        match = _HEADER_LINE.match(lines[i].strip())
        if match:
            header[match.group("key").strip().lower()] = match.group("value").strip()
        elif lines[i].startswith("#") and not header:
            header["title"] = lines[i].lstrip("# ").strip()
        i += 1
        if i < len(lines) and _RULE.match(lines[i - 1].strip()):
            break
    return PlainText(header, "\n".join(lines[i:]))


def _looks_like_heading(line: str) -> bool:
    return (len(line) <= HEADING_MAX and not _PUNCT.search(line.rstrip("：:")) and not CLAUSE_NUMBER.match(line)
            and not _DATE_ONLY.match(line) and not _NUMBER_ONLY.match(line))


def _starts_new(line: str) -> bool:
    return bool(CLAUSE_NUMBER.match(line) or _BULLET.match(line) or _SECTION_NUMBER.match(line)
                or _NUMBER_ONLY.match(line) or _is_label(line))


def _is_label(line: str) -> bool:
    return line.endswith(("：", ":")) and len(line) <= 12  # "更新日期：" before its value


def _is_clause_title(line: str, following: str) -> bool:
    """``2.1 信息存储的地点`` before ``原则上，我们会…``: a clause number and a short unpunctuated title, followed
    by a line that is a sentence of its own (it has sentence punctuation; a span cut out of a sentence,
    such as a bold ``位置信息``, usually has none)."""
    match = CLAUSE_NUMBER.match(line)
    if not match:
        return False
    title = line[match.end():].strip()
    return (0 < len(title) <= HEADING_MAX and not _PUNCT.search(title) and not following.startswith(CONTINUATION_START)
            and bool(_PUNCT.search(following)))


def _complete(line: str) -> bool:
    return line.endswith(SENTENCE_FINAL) or line.endswith(("：", ":")) or _looks_like_heading(line) \
        or _starts_new(line)


def join_lines(body: str) -> list[str]:
    """Re-join lines broken at inline spans; returns one string per logical line (paragraph).

    A line is appended to the previous one when it starts with continuing punctuation, when the previous
    one is a bare clause number (``1.29``, ``a)``) or a short label (``更新日期：``), or when the previous one
    does not end a sentence and neither reads as the start of something new. A short unpunctuated line
    counts as a heading only when the line after it is complete (ends a sentence, or is itself a heading or
    numbered); otherwise it was a bold span at the start of a sentence. A blank line always ends a paragraph
    (English texts saved one paragraph per block, e.g. the OPP-115 segments), and two lines joined between
    Latin letters or digits keep a space between them ("username and password" / "Transaction information").
    """
    out: list[str] = []
    blank = False
    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            blank = True
            continue
        after_blank, blank = blank, False
        if out and not after_blank:
            prev = out[-1]
            if _NUMBER_ONLY.match(prev):
                out[-1] = f"{prev} {line}"
                continue
            heading = _looks_like_heading(prev) and _complete(line)
            if _is_clause_title(prev, line):
                out.append(line)
                continue
            if line.startswith(CONTINUATION_START) or (_is_label(prev) and not _starts_new(line)) or (
                not prev.endswith(SENTENCE_FINAL) and not prev.endswith(("：", ":"))
                and not heading and not _starts_new(line)
                and not (len(prev) <= HEADING_MAX and _ENDS_WITH_DATE.search(prev))
            ):
                out[-1] = prev + (" " if _latin(prev[-1]) and _latin(line[0]) else "") + line
                continue
        out.append(line)
    return out


_ITEM_END = re.compile(r"(?:[;,]|;\s*(?:and|or)|\b(?:and|or))$")


def _first_word(text: str) -> str:
    match = re.match(r"[A-Za-z]+", text)
    return match.group(0).lower() if match else ""


def _unbulleted_item(previous: RawBlock, line: str) -> bool:
    """An English list item whose bullet was lost (text saved one item per paragraph): the paragraph after one
    ending with an ASCII colon ("We use your information to:"), or after an item ending with ";", "; and",
    "," or "or", or after an item when it continues the list's shape: it starts in lower case ("respond to your
    inquiries ..." after "to process your requests ..."), or with the same first word as that item ("To
    provide effective advertising." after "To provide our Services."). Chinese text marks its items (a), (1),
    ①) and is left alone."""
    if not line.isascii() or not previous.text.isascii():
        return False
    if previous.kind in ("paragraph", "list_item") and previous.text.endswith(":"):
        return not _is_label(previous.text)
    if previous.kind != "list_item":
        return False
    return bool(_ITEM_END.search(previous.text)) or line[:1].islower() or (
        _first_word(line) != "" and _first_word(line) == _first_word(previous.text))


def _latin(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in ",;)\"'")


def parse_plaintext(text: str, where: str = "text") -> tuple[ParsedDocument, dict[str, str]]:
    """Read a plain-text policy into a :class:`ParsedDocument` plus its header metadata. ``where``: the file, for
    the error :func:`~policycheck.policies.model.assemble` raises for a text of too many blocks."""
    plain = split_header(text)
    raws: list[RawBlock] = []
    for line in join_lines(plain.body):
        if _BULLET.match(line):
            raws.append(RawBlock("list_item", _BULLET.sub("", line, count=1).strip() or line, level=1))
        elif raws and _unbulleted_item(raws[-1], line):
            raws.append(RawBlock("list_item", line, level=1))
        elif _looks_like_heading(line) and not line.endswith(("：", ":")):
            raws.append(RawBlock("heading", line, level=2))
        else:
            raws.append(RawBlock("paragraph", line))
    title = plain.header.get("title", "")
    for i, raw in enumerate(raws[:12]):
        # The document title: a heading the header's title starts with. Short lines before it are page
        # furniture (language switchers such as "简体中文 | English") and are dropped.
        if raw.kind == "heading" and title and title.startswith(raw.text):
            if all(len(r.text) <= 12 for r in raws[:i]):
                raw.level = 1
                raws = raws[i:]
            break
    parsed = assemble(raws, where)
    _clause_lead_ins(parsed)
    return parsed, plain.header


def _clause_lead_ins(parsed: ParsedDocument) -> None:
    """Give each paragraph continuing a numbered clause the clause's first sentence as ``lead_in``."""
    opening: dict[str, str] = {}
    for block in parsed.blocks:
        if block.kind != "paragraph":
            continue
        number = block.section_path.rsplit(" > ", 1)[-1]
        if not _CLAUSE_PATH.match(number):
            continue
        if block.text.startswith(number):
            opening[block.section_path] = _first_sentence(block.text)
        elif block.section_path in opening and block.lead_in is None:
            block.lead_in = opening[block.section_path]


_CLAUSE_PATH = re.compile(r"^\d{1,2}(?:\.\d{1,3})+$")
_FIRST_SENTENCE = re.compile(r"^.*?[。！？!?；;](?=\s|$|[^”’」』）)])")


def _first_sentence(text: str) -> str:
    match = _FIRST_SENTENCE.match(text)
    return match.group(0) if match else text
