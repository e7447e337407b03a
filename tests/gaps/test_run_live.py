"""`policycheck run` without --data: scrape the live sources (a local server here), ingest --captures, report."""

from __future__ import annotations

from policycheck import exitcodes
from policycheck.policies.fetch_settings import FetchSettings
from policycheck.run import ReportOptions, RunInputs, run
from policycheck.workspace import Paths, Settings, Workspace
from tests.conftest import require_shared
from tests.policies.httpserver import Page, PolicyServer
from tests.policies.test_scrape import FIRST, WECHAT, WECHAT_PATH, capture, wechat_page

FAST = FetchSettings(connect_timeout=1.0, read_timeout=1.0, retries=0, backoff=0.0, delay=0.0)


def test_live_run_scrapes_ingests_and_reports(chromium, con, server: PolicyServer, sources, tmp_path):
    """The WeChat source sets executeClientScripts: it is rendered in Chromium (fixture ``chromium``)."""
    server.pages[WECHAT_PATH] = Page(wechat_page(capture(FIRST)), etag='"v1"')
    # the Weixin guidelines' URLs are not served: those two sources fail, the run goes on
    login = require_shared("datasets", "citizenlab-wechat-2023", "network_logs", "login_3.log.jsonl")
    ws = Workspace.attach(con, paths=Paths(out=tmp_path / "out"), settings=Settings(fetch=FAST))
    result = run(ws, RunInputs(captures=(login,), sources=sources, snapshots=tmp_path / "snapshots"),
                 ReportOptions(name="live"))

    assert result.stages["policies"][WECHAT]["outcome"] == "new_version"
    assert {v["outcome"] for k, v in result.stages["policies"].items() if k != WECHAT} == {"failed"}
    assert result.fetch_failed and result.exit_code == exitcodes.FETCH_FAILED
    assert result.stages["captures"]["ingested"] == 1 and result.stages["claims"]["claims"] > 0
    (origin,) = con.execute("select distinct origin from versions").fetchall()[0]
    assert origin == "scrape"
    rows = con.execute("select count(*), count(distinct version_id) from gaps").fetchall()[0]
    assert rows[0] > 0 and rows[1] == 1  # judged against the scraped version
    assert result.report_paths["md"].exists()
