"""One data model, three renderings (issue 12): Markdown and HTML carry the same findings, counts and quotes;
report.json validates against its schema and is compact by default; Chinese quotes carry English terms."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import jsonschema
import pytest

from policycheck import store
from policycheck.reports.build import build_report
from policycheck.reports.write import render, to_json

SCHEMA = json.loads((Path(__file__).parents[2] / "policycheck" / "reports" / "report.schema.json").read_text())
BASELINE_JSON_BYTES = 5_400_000  # report.json on the real data before issue 12 (the figure)


def _norm(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def _md_sections(md: str) -> dict[str, str]:
    parts = re.split(r'<a id="(finding-[^"]+)"></a>', md)
    return {parts[i]: parts[i + 1].split('<a id="')[0] for i in range(1, len(parts), 2)
            if not parts[i].startswith("finding-clear-")}  # clear findings are rows of one table


def _html_sections(page: str) -> dict[str, str]:
    return dict(re.findall(r'<article class="finding searchable" id="([^"]+)">(.*?)</article>', page, re.S))


def _shown_quotes(report: dict, finding: dict) -> list[str]:
    entries = finding["sentences"][:6] + finding["handoff_sentences"][:3] + finding["root_term_sentences"]
    return [report["sentences"][e["sentence_id"]]["text"] for e in entries]


def _same_content(report: dict, md: str, page: str) -> None:
    md_findings, html_findings = _md_sections(md), _html_sections(page)
    shown = [f for f in report["findings"] if f["disclosure"] != "clear"]
    assert list(md_findings) == [f["id"] for f in shown] == list(html_findings)
    for f in shown:
        heading = f"({f['request_count']} request{'' if f['request_count'] == 1 else 's'})"
        for rendering in (md_findings[f["id"]], html_findings[f["id"]]):
            text = _norm(rendering)
            assert heading in text and f"{f['observation_count']} detections" in text, f["id"]
            for d in f["data_types"]:
                assert d["data_type"] in text
            for quote in _shown_quotes(report, f):
                assert " ".join(quote.split()) in text, (f["id"], quote[:60])
    md_text, html_text = _norm(md), _norm(page)
    for line in report["key_findings"]["lines"]:
        assert line["text"] in md_text and line["text"] in html_text
    for f in report["findings"]:
        assert f'id="{f["id"]}"' in md and f'id="{f["id"]}"' in page
    for key in ("requests", "request_records", "observations", "claims"):
        figure = str(report["totals"][key])
        assert figure in md_text and figure in html_text
    for sid, s in report["sentences"].items():
        assert " ".join(s["text"].split()) in md_text and " ".join(s["text"].split()) in html_text, sid


@pytest.mark.slow
def test_markdown_and_html_carry_the_same_findings_counts_and_quotes(real_report):
    report = real_report.report
    _same_content(report, real_report.paths["md"].read_text(encoding="utf-8"),
                  real_report.paths["html"].read_text(encoding="utf-8"))
    assert "<script src" not in real_report.paths["html"].read_text(encoding="utf-8")  # no CDN, one file


@pytest.mark.slow
def test_json_validates_is_compact_and_full_has_everything(real_report):
    text = real_report.paths["json"].read_text(encoding="utf-8")
    compact = json.loads(text)
    jsonschema.validate(compact, SCHEMA)
    assert text == json.dumps(compact, ensure_ascii=False, separators=(",", ":"))  # no indentation, no spaces
    size = len(text.encode("utf-8"))
    assert size * 5 <= BASELINE_JSON_BYTES, f"report.json is {size} bytes"
    # every request shown is written once and referred to by id
    assert all(isinstance(s, int) for g in compact["gaps"] for s in g["samples"])
    con = store.connect(real_report.db)
    try:
        full = json.loads(to_json(build_report(con, "real", full=True)))
    finally:
        con.close()
    jsonschema.validate(full, SCHEMA)
    assert full["full"] and all(len(g["flow_ids"]) == g["flow_count"] for g in full["gaps"])
    assert sum(len(g["samples"]) for g in full["gaps"]) > sum(len(g["samples"]) for g in compact["gaps"])
    assert [(g["recipient"], g["data_type"], g["feature"], g["scenario"], g["disclosure"]) for g in full["gaps"]] \
        == [(g["recipient"], g["data_type"], g["feature"], g["scenario"], g["disclosure"]) for g in compact["gaps"]]


@pytest.mark.slow
def test_findings_merge_verdicts_and_name_files(real_report):
    """One finding per (recipient, feature, class): Channels, Search and Top Stories once each with their
    verdicts as a column; scenarios named by the capture files; every data type with its history."""
    report = real_report.report
    keys = [(f["recipient"], f["feature"], f["disclosure"]) for f in report["findings"]]
    assert len(keys) == len(set(keys))
    for feature in ("channels", "search", "top_stories"):
        (handed,) = [f for f in report["findings"] if f["feature"] == feature]
        assert handed["disclosure"] == "handed_off"
        assert sum(handed["handoff_verdicts"].values()) == len(handed["data_types"])
    md = real_report.paths["md"].read_text(encoding="utf-8")
    assert "(= " not in md and "logged_out_change_language_2 ≡ miniapp_make_request_1" in md
    for f in report["findings"]:
        assert sorted(d for h in f["histories"] for d in h["data_types"]) == sorted(
            d["data_type"] for d in f["data_types"])


@pytest.mark.slow
def test_chinese_quotes_carry_english_terms_and_the_english_clause(tmp_path, con, onto):
    from policycheck.gaps.classify import install
    from tests.gaps.conftest import WEIXIN, Store

    install(con)
    built = Store(con)
    zh = built.version(WEIXIN, "2026-08-17")
    con.execute("update blocks set section_path = '1.我们收集、使用的信息 > 1.2', text = '1.2 当你使用微信服务时……' "
                "where version_id = ?", [zh])
    sentence = "当你使用微信服务时，我们会收集你的设备型号。"
    built.claim(zh, "weixin", "collect", "device_model", sentence=sentence)
    con.execute("update claims set language = 'zh' where version_id = ?", [zh])
    built.observe("device_model", "channels", when="2026-09-01T12:00:00")

    report = build_report(con, "zh")
    (sid,) = [s for s, x in report["sentences"].items() if x["text"] == sentence]
    assert report["sentences"][sid]["english_clause"] is None
    claim = report["claims"][str(report["sentences"][sid]["claim_ids"][0])]
    assert claim["terms_en"] == "Weixin: collect device model"
    rendered = render(report)
    assert "Weixin: collect device model" in rendered["md"] and "No English text of this policy is stored" in \
        rendered["md"]

    # an English version of the same policy: its clause with the same number is shown beside the quote
    con.execute("insert into documents values ('weixin-privacy-policy-en', 'Weixin', 'Privacy Policy', 'en', null, "
                "'weixin-privacy-policy', 'weixin')")
    en = built.version("weixin-privacy-policy-en", "2026-08-17")
    english = "1.2 When you use Weixin, we collect your device model to keep the service running."
    con.execute("update blocks set section_path = '1. Information We Collect and Use > 1.2', text = ? "
                "where version_id = ?", [english, en])
    con.execute("insert into blocks values (1000, ?, 1, 'paragraph', null, '1. Information We Collect and Use > 1.3',"
                " '1.3 Another clause.', 0, 4, null, null, null)", [en])
    report = build_report(con, "zh")
    clause = report["sentences"][sid]["english_clause"]
    assert clause["text"] == english and clause["clause"] == "1.2" and clause["document_id"] == \
        "weixin-privacy-policy-en"
    rendered = render(report)
    assert english in rendered["md"] and english in rendered["html"]
    jsonschema.validate(json.loads(to_json(report)), SCHEMA)


@pytest.mark.slow
def test_the_title_names_the_report_only_when_it_was_given_a_name(real_report):
    """The default folder name `report` is not a title ("policycheck report: report"); `--name weekly` is."""
    default = render({**real_report.report, "name": "report"})
    named = render({**real_report.report, "name": "weekly"})
    assert default["md"].splitlines()[0] == "# policycheck report"
    assert "<h1>policycheck report</h1>" in default["html"]
    assert named["md"].splitlines()[0] == "# policycheck report: weekly"
    assert "<title>policycheck report: weekly</title>" in named["html"]


@pytest.mark.slow
def test_key_findings_name_a_policy_by_its_own_title_where_it_differs(real_report):
    """The Chinese guidelines are stored under their Open Terms Archive terms type ("Weixin Privacy Policy"); a
    quotable finding also gives the title the document gives itself (its first heading, as stored), the English
    policy's own upper-case title adds nothing."""
    con = store.connect(real_report.db, read_only=True)
    try:
        own = con.execute("select title from versions join documents using (document_id) "
                          "where service = 'Weixin' and title is not null").fetchall()
    finally:
        con.close()
    lines = [line["text"] for line in real_report.report["key_findings"]["lines"]]
    weixin = [line for line in lines if "Weixin Privacy Policy" in line]
    assert own and weixin
    assert all(f"Weixin Privacy Policy ({own[0][0]}, version of " in line for line in weixin)
    assert all("WeChat Privacy Policy (version of " in line for line in lines if "WeChat Privacy Policy" in line)
