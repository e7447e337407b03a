"""The HTML report driven in headless Chromium (issue 12): filters select exactly the rows `policycheck gaps`
gives with the same filter, search finds a quoted sentence, anchors resolve and reveal their target, tables
sort, the matrix filters, nothing needs the network or logs an error, and at 400 px nothing but a scrollable
table container is wider than the viewport."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from policycheck.cli import app
from tests.reports.conftest import Page

VISIBLE_GAP_ROWS = """() => Array.from(document.querySelectorAll('tr.gap'))
    .filter(r => getComputedStyle(r).display !== 'none')
    .map(r => [1, 2, 3, 4].map(i => r.cells[i].textContent.trim()).join('|'))"""


@pytest.fixture(scope="module")
def page(browser, real_report):
    shown = Page(browser, real_report.paths["html"].as_uri())
    yield shown
    assert shown.errors == []  # no console error, no uncaught exception, no network request
    shown.page.close()


def _gaps(db, *options: str) -> list[str]:
    result = CliRunner().invoke(app, ["gaps", "--db", str(db), "--format", "json", *options])
    assert result.exit_code == 0, result.output
    return [f"{r['recipient']}|{r['data_type']}|{r['feature']}|{r['scenario']}" for r in json.loads(result.stdout)]


def _filter(page: Page, **values: str) -> list[str]:
    page.page.click("#clear-filters")
    for name, value in values.items():
        page.page.select_option(f"#filter-{name}", value)
    return page.page.evaluate(VISIBLE_GAP_ROWS)


@pytest.mark.slow
@pytest.mark.parametrize("cls", ["incorrect", "omitted", "vague", "handed_off", "clear"])
def test_class_filter_shows_the_rows_of_gaps(page, real_report, cls):
    assert _filter(page, **{"class": cls}) == _gaps(real_report.db, "--class", cls)


@pytest.mark.slow
@pytest.mark.parametrize("feature", ["mini_programs", "channels", "weixin_features", "unknown"])
def test_feature_filter_shows_the_rows_of_gaps(page, real_report, feature):
    """A parent feature (features operated by Weixin) selects its descendants, as `gaps --feature` does."""
    expected = _gaps(real_report.db, "--feature", feature)
    assert expected and _filter(page, feature=feature) == expected


@pytest.mark.slow
def test_combined_filters_and_the_count(page, real_report):
    expected = _gaps(real_report.db, "--class", "omitted", "--data-type", "identifier", "--scenario", "login")
    assert _filter(page, **{"class": "omitted", "type": "identifier", "scenario": "login"}) == expected
    assert page.page.inner_text("#shown") == f"{len(expected)} of {len(real_report.report['gaps'])} gap rows shown"
    # findings without a matching data type are hidden; the matching ones show only matching rows
    visible = page.page.evaluate("""() => Array.from(document.querySelectorAll('article.finding'))
        .filter(a => getComputedStyle(a).display !== 'none').map(a => a.id)""")
    assert visible and all(v.startswith("finding-omitted-") or v.startswith("finding-handed_off-") for v in visible)


@pytest.mark.slow
def test_search_finds_a_quoted_sentence(page, real_report):
    report = real_report.report
    mini = next(f for f in report["findings"] if f["id"] == "finding-incorrect-wechat-mini_programs")
    quote = report["sentences"][mini["sentences"][0]["sentence_id"]]["text"]
    words = " ".join(quote.split()[3:12])
    page.page.click("#clear-filters")
    page.page.fill("#search", words)
    shown = page.page.evaluate("""() => Array.from(document.querySelectorAll('article.finding'))
        .filter(a => getComputedStyle(a).display !== 'none').map(a => a.id)""")
    assert mini["id"] in shown and len(shown) < len([f for f in report["findings"] if f["disclosure"] != "clear"])
    assert page.page.is_visible(f"#sentence-{mini['sentences'][0]['sentence_id']}")
    page.page.fill("#search", "")


@pytest.mark.slow
def test_anchors_resolve_and_reveal_folded_evidence(page, real_report):
    missing = page.page.evaluate("""() => Array.from(document.querySelectorAll('a[href^="#"]'))
        .map(a => a.getAttribute('href').slice(1)).filter(id => !document.getElementById(id))""")
    assert missing == []
    ids = set(page.page.evaluate("() => Array.from(document.querySelectorAll('[id]')).map(e => e.id)"))
    report = real_report.report
    assert {f["id"] for f in report["findings"]} <= ids
    assert {f"claim-{c}" for c in report["claims"]} <= ids and {f"request-{r}" for r in report["requests"]} <= ids
    # a filtered-out finding is revealed when its anchor is followed
    _filter(page, **{"class": "incorrect"})
    page.page.evaluate("location.hash = '#finding-vague-wechat-startup'")
    page.page.wait_for_function("document.getElementById('finding-vague-wechat-startup').offsetParent !== null")
    # a history sentence link inside folded evidence opens it
    mini = next(f for f in report["findings"] if f["id"] == "finding-incorrect-wechat-mini_programs")
    request = mini["data_types"][0]["sample"]
    page.page.evaluate(f"location.hash = '#request-{request}'")
    assert page.page.is_visible(f"#request-{request}")


@pytest.mark.slow
def test_tables_sort_and_matrix_cells_filter(page, real_report):
    page.page.click("#clear-filters")
    header = page.page.locator("#gap-table th", has_text="requests")
    header.click()
    counts = page.page.evaluate("() => Array.from(document.querySelectorAll('#gap-table tbody tr'))"
                                ".map(r => Number(r.cells[6].textContent))")
    assert counts == sorted(counts)
    header.click()
    counts = page.page.evaluate("() => Array.from(document.querySelectorAll('#gap-table tbody tr'))"
                                ".map(r => Number(r.cells[6].textContent))")
    assert counts == sorted(counts, reverse=True)
    page.page.click("td.cell[data-type='page_path'][data-feature='mini_programs']")
    rows = page.page.evaluate(VISIBLE_GAP_ROWS)
    assert rows == sorted(_gaps(real_report.db, "--data-type", "page_path", "--feature", "mini_programs")) or \
        sorted(rows) == sorted(_gaps(real_report.db, "--data-type", "page_path", "--feature", "mini_programs"))
    page.page.click("#clear-filters")


@pytest.mark.slow
def test_narrow_viewport_only_table_containers_scroll(browser, real_report):
    narrow = Page(browser, real_report.paths["html"].as_uri(), width=400)
    overflowing = narrow.page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        const scrolls = el => { for (let p = el.parentElement; p; p = p.parentElement) {
            const s = getComputedStyle(p).overflowX; if (s === 'auto' || s === 'scroll') return true; } return false; };
        return Array.from(document.body.querySelectorAll('*'))
            .filter(el => el.getClientRects().length && el.getBoundingClientRect().right > width + 1 && !scrolls(el))
            .map(el => el.tagName + '#' + el.id + '.' + el.className).slice(0, 10);
    }""")
    assert overflowing == []
    assert narrow.page.evaluate("document.documentElement.scrollWidth") <= 400
    narrow.page.emulate_media(media="print")
    assert narrow.page.evaluate("getComputedStyle(document.getElementById('filters')).display") == "none"
    assert narrow.errors == []
    narrow.page.close()
