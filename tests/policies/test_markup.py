"""Blocks from HTML, Markdown and plain text: the same document gives the same blocks in each format."""

from __future__ import annotations

from policycheck.policies.dates import effective_date
from policycheck.policies.html import parse_html
from policycheck.policies.markdown import markdown_to_html, parse_markdown
from policycheck.policies.plaintext import join_lines, parse_plaintext
from tests.conftest import require_shared


def _structure(parsed):
    return [(b.kind, b.level, b.section_path, b.text, b.lead_in, b.header, b.cells) for b in parsed.blocks]


def test_markdown_and_scraped_html_give_the_same_blocks():
    md = require_shared("datasets", "policies", "wechat-privacy-policy", "2022-09-09_b9d6b3e1.md")
    text = md.read_text(encoding="utf-8")
    page = (f"<html><head><title>WeChat</title><script>var x = 1;</script></head><body><nav>Menu</nav>"
            f"<div id='agreement6'>{markdown_to_html(text)}</div><footer>© Tencent</footer></body></html>")
    from_html = parse_html(page, select="#agreement6")
    from_md = parse_markdown(text)
    assert from_html.text == from_md.text
    assert _structure(from_html) == _structure(from_md)
    assert "Menu" not in from_html.text and "Tencent</footer>" not in from_html.text


def test_html_remove_selector_and_pseudo_headings():
    page = """<div class="doc"><h1>Example Privacy Policy</h1><p><strong>Last Updated:</strong> 3 March 2024</p>
    <h2>1. What we collect</h2><p><b>Device data</b></p><p>We collect:</p>
    <ul><li>your device model;</li><li>your IP address.</li></ul><div class="cookie">Accept cookies</div>
    <table><thead><tr><th>Data</th><th>Purpose</th></tr></thead>
    <tbody><tr><td>Email</td><td>Login<br>Support</td></tr></tbody></table></div>"""
    parsed = parse_html(page, select=".doc", remove=".cookie")
    kinds = [(b.kind, b.text) for b in parsed.blocks]
    assert parsed.title == "Example Privacy Policy"
    assert ("heading", "Device data") in kinds and "Accept cookies" not in parsed.text
    items = [b for b in parsed.blocks if b.kind == "list_item"]
    assert [b.lead_in for b in items] == ["We collect:", "We collect:"]
    assert items[0].section_path == "1. What we collect > Device data"
    row = next(b for b in parsed.blocks if b.kind == "table_row")
    assert row.header == ["Data", "Purpose"] and row.cells == ["Email", "Login\nSupport"]
    assert effective_date(parsed.text).value.isoformat() == "2024-03-03"


def test_plaintext_rejoins_span_breaks_and_numbers_clauses():
    text = ("# 示例隐私政策 | 更新日期 2024-01-02\n# 来源: https://example.com/privacy\n====\n"
            "示例隐私政策\n更新日期：\n2024年01月02日\n导言\n本政策说明我们如何处理你的信息。\n"
            "1.我们收集的信息\n1.1 当你注册时，我们会收集你的\n手机号码\n、\n昵称\n，用于创建账号。\n"
            "1.2\n我们不会收集你的聊天记录。\n以下情形除外：\na)\n法律规定的；\nb)\n你同意的。\n")
    parsed, header = parse_plaintext(text)
    assert header["来源"] == "https://example.com/privacy"
    texts = [(b.kind, b.section_path, b.text) for b in parsed.blocks]
    assert parsed.title == "示例隐私政策"
    assert ("paragraph", "", "更新日期：2024年01月02日") in texts
    assert ("heading", "导言", "导言") in texts
    clause = "1.1 当你注册时，我们会收集你的手机号码、昵称，用于创建账号。"
    assert ("paragraph", "1.我们收集的信息 > 1.1", clause) in texts
    assert ("paragraph", "1.我们收集的信息 > 1.2", "1.2 我们不会收集你的聊天记录。") in texts
    items = [b for b in parsed.blocks if b.kind == "list_item"]
    assert [b.text for b in items] == ["法律规定的；", "你同意的。"]
    assert all(b.lead_in == "以下情形除外：" for b in items)
    assert join_lines("a\nb") == ["a", "b"]  # two short unpunctuated lines of headings stay apart


def test_english_plaintext_keeps_paragraphs_spaces_and_unbulleted_items():
    """A text saved one paragraph per block (the OPP-115 layout): a blank line ends a paragraph, lines joined
    inside a paragraph keep a space between words, and the paragraphs after one ending with a colon are the
    items of its list (their bullets were lost), as long as each item ends like a list item."""
    text = ("Information We Collect\n\nRegistration information you provide, including your name and\n"
            "email address\n\nTransaction information you provide when you purchase\n\n"
            "We use your information to:\n\nrespond to your inquiries;\n\nsend you newsletters; and\n\n"
            "personalize the Site.\n\nWe do not sell your information.\n")
    parsed, _ = parse_plaintext(text)
    texts = [(b.kind, b.text, b.lead_in) for b in parsed.blocks]
    assert ("paragraph", "Registration information you provide, including your name and email address", None) in texts
    assert ("paragraph", "Transaction information you provide when you purchase", None) in texts
    items = [(b.text, b.lead_in) for b in parsed.blocks if b.kind == "list_item"]
    assert items == [("respond to your inquiries;", "We use your information to:"),
                     ("send you newsletters; and", "We use your information to:"),
                     ("personalize the Site.", "We use your information to:")]
    assert texts[-1] == ("paragraph", "We do not sell your information.", None)


def test_table_rows_carry_the_sentence_before_their_table():
    parsed = parse_markdown("We keep the following data for the periods below:\n\n| Data | Period |\n|---|---|\n"
                            "| Email | 3 years |\n| Phone | 1 year |\n")
    rows = [b for b in parsed.blocks if b.kind == "table_row"]
    assert [b.lead_in for b in rows] == ["We keep the following data for the periods below:"] * 2
