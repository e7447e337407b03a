"""Plain-text blocks of a Chinese policy as the Chinese extractor needs them: clause titles and clause lead-ins."""

from __future__ import annotations

from policycheck.policies.plaintext import parse_plaintext

TEXT = ("示例指引\n1.我们收集的信息\n1.6 当你使用小程序功能时，我们会收集你的\n操作记录\n"
        "。若开发者需要，我们会向开发者提供你的信息。\n若你拒绝，你将无法使用该功能。\n"
        "2.信息的存储\n2.1 信息存储的地点\n原则上，我们会将信息存储于中国境内。\n")


def test_continuation_paragraphs_get_the_clause_opening_as_lead_in():
    parsed, _ = parse_plaintext(TEXT)
    blocks = [(b.kind, b.section_path, b.text, b.lead_in) for b in parsed.blocks]
    opening = "1.6 当你使用小程序功能时，我们会收集你的操作记录。"
    second = "若开发者需要，我们会向开发者提供你的信息。"
    assert ("paragraph", "1.我们收集的信息 > 1.6", opening + second, None) in blocks
    assert ("paragraph", "1.我们收集的信息 > 1.6", "若你拒绝，你将无法使用该功能。", opening) in blocks


def test_a_clause_title_stays_a_paragraph_of_its_own():
    parsed, _ = parse_plaintext(TEXT)
    blocks = [(b.section_path, b.text, b.lead_in) for b in parsed.blocks if b.kind == "paragraph"]
    assert ("2.信息的存储 > 2.1", "2.1 信息存储的地点", None) in blocks
    assert ("2.信息的存储 > 2.1", "原则上，我们会将信息存储于中国境内。", "2.1 信息存储的地点") in blocks
