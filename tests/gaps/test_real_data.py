"""The main job on the real data (issue 5, Verify): the 2023 Citizen Lab captures judged against the WeChat
policy in force at capture time and the Weixin guidelines. Nothing about these findings is written into
the code: they follow from the policy texts, the captures and the ontology."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest

from policycheck import store
from policycheck.cli.gaps import pivotal_text
from policycheck.gaps.classify import GapFilter, Judgement, gap_rows
from tests.conftest import require_shared

MINI_PROGRAM_ANALYTICS = ("page_path", "interaction_events", "mini_program_appid", "device_model", "device_brand",
                          "operating_system", "network_type", "screen_size", "session_id")


@pytest.fixture(scope="module")
def judged(main_job, tmp_path_factory):
    """The session's main job (:func:`tests.conftest.main_job`, ``--fail-on incorrect``): a connection to a copy
    of its store, its outcome and its gap rows."""
    con = store.connect(main_job.copy(tmp_path_factory.mktemp("run")))
    rows = gap_rows(con)
    yield con, main_job.result, rows
    con.close()


def _claims(con, ids):
    return con.execute("select c.claim_id, c.actor, c.action, c.negated, c.data_type, c.context, c.scope, "
                       "c.sentence, c.language, v.effective_date from claims c join versions v using (version_id) "
                       "where list_contains(?, c.claim_id)", [list(ids)]).fetchall()


def test_mini_program_tracking_is_undisclosed_first_party_collection(judged):
    con, _result, rows = judged
    mini = [r for r in rows if r["feature"] == "mini_programs" and r["recipient"] == "wechat"]
    decided = [r for r in mini if not r["exclusion_set_aside"]]
    assert set(MINI_PROGRAM_ANALYTICS) <= {r["data_type"] for r in decided}
    # what came only in the request header (BaseRequest: device id, client version, API level) is WeChat's
    # collection in general: the scope exclusion does not decide it, and no such row is incorrect
    aside = [r for r in mini if r["exclusion_set_aside"]]
    assert {r["data_type"] for r in aside} >= {"platform_device_id", "os_api_level"}
    assert all(r["envelope_only"] and r["disclosure"] != "incorrect" for r in aside)
    for row in aside:
        in_body = con.execute("select count(*) from observations where list_contains(?, flow_id) and data_type = ? "
                              "and not envelope and confidence >= 0.5",
                              [[int(f) for f in row["flow_ids"]], row["data_type"]]).fetchall()
        assert in_body == [(0,)], row["data_type"]
    for row in decided:
        assert (row["disclosure"], row["label"]) == ("incorrect", "undisclosed_first_party_mini_program")
        # each rests on requests that carry the data type in their body
        assert len(row["header_only_flow_ids"]) < len(row["flow_ids"])
        assert row["governing_document"] == "wechat-privacy-policy"
        evidence = _claims(con, row["claim_ids"])
        # The deciding sentences are the 2022-09-09 policy's scope exclusions naming Mini Programs.
        assert all(c[6] == "excluded" and str(c[9]) == "2022-09-09" for c in evidence)
        assert any(c[5] == "mini_programs" and "Mini Programs" in c[7] for c in evidence)


def test_weixin_operated_features_are_handed_off_with_a_verdict(judged):
    _con, _result, rows = judged
    handed = [r for r in rows if r["feature"] in ("channels", "search", "top_stories")]
    assert {r["feature"] for r in handed} >= {"channels"}
    for row in handed:
        assert (row["disclosure"], row["governing_document"]) == ("handed_off", "weixin-privacy-policy")
        assert row["handoff_verdict"] in ("clear", "vague", "ambiguous", "incorrect", "omitted")
        if row["handoff_verdict"] in ("clear", "vague"):
            assert row["languages"] == ["zh"] and row["claim_ids"]
    # The only Weixin text is from 2026: the rows say they were judged against a later version.
    assert {r["version_basis"] for r in handed} == {"earliest_known"}


def test_messaging_and_moments_are_covered(judged):
    con, _result, _rows = judged
    permissive = gap_rows(con, judgement=Judgement(mode="permissive"))
    core = [r for r in permissive if r["feature"] in ("messaging", "moments")]
    assert {r["feature"] for r in core} == {"messaging", "moments"}
    for row in core:
        assert row["disclosure"] in ("clear", "vague"), row
        assert all(c[3] is False and c[6] == "in_scope" for c in _claims(con, row["claim_ids"]))


def _scenarios_2023(con) -> set[str]:
    """Scenarios of the 2023 Citizen Lab captures (the 2024 session, captured in December 2023, is judged
    against a later version)."""
    return {r[0] for r in con.execute("select scenario from captures where path like '%citizenlab-wechat-2023%'")
            .fetchall()}


def test_root_term_only_rows_are_omitted_in_the_default_mode(judged):
    """Intermediate mode (default) sets aside "we use your information"-like statements: rows they alone cover
    are omitted, with the root-term sentences kept apart; permissive mode counts them (vague)."""
    con, _result, rows = judged
    omitted = {(r["recipient"], r["data_type"], r["feature"], r["scenario"]): r for r in rows
               if r["disclosure"] == "omitted" and r["label"] == "root_terms_only"}
    assert omitted
    roots = {row[0] for row in con.execute("select id from ontology_roots").fetchall()}
    for row in omitted.values():
        assert not row["claim_ids"] and row["root_term_claim_ids"]
        assert all(c[4] in roots or c[1] in roots for c in _claims(con, row["root_term_claim_ids"]))
    permissive = {(r["recipient"], r["data_type"], r["feature"], r["scenario"]): r
                  for r in gap_rows(con, judgement=Judgement(mode="permissive"))}
    assert all(permissive[key]["disclosure"] == "vague" for key in omitted)
    assert not any(r["label"] == "root_terms_only" for r in permissive.values())
    # every row that no root term decides has the same class in both modes
    for key, row in permissive.items():
        if key in omitted or row["disclosure"] == "handed_off":
            continue
        if not any(c[4] in roots for c in _claims(con, row["claim_ids"])):
            default = next(r for r in rows if (r["recipient"], r["data_type"], r["feature"], r["scenario"]) == key)
            assert default["disclosure"] == row["disclosure"], key


def test_headline_verdicts_do_not_depend_on_the_mode(judged):
    con, _result, _rows = judged
    for mode in ("permissive", "intermediate", "strict"):
        rows = gap_rows(con, judgement=Judgement(mode=mode))
        mini = [r for r in rows if r["feature"] == "mini_programs" and r["recipient"] == "wechat"]
        decided = [r for r in mini if not r["exclusion_set_aside"]]
        assert decided and all(r["label"] == "undisclosed_first_party_mini_program" for r in decided), mode
        handed = {r["feature"] for r in rows if r["disclosure"] == "handed_off"}
        assert {"channels", "search"} <= handed, mode


def test_uuid_shaped_request_ids_are_no_advertising_ids(judged):
    con, _result, rows = judged
    assert not [r for r in rows if r["data_type"] == "advertising_id"]
    shaped = con.execute("select data_type, max(confidence) from observations "
                         "where detector = 'pattern:advertising_id' group by 1").fetchall()
    assert shaped == [("identifier", 0.3)]  # a UUID alone says "an identifier", below the judging threshold
    report = json.loads(_result.report_paths["json"].read_text(encoding="utf-8"))
    low = [d for d in report["low_confidence"] if d["detector"] == "pattern:advertising_id"]
    assert low and all(d["data_type"] == "identifier" for d in low)
    assert not any(f["recipient"] and "advertising_id" in [d["data_type"] for d in f["data_types"]]
                   for f in report["findings"])


def _distinct_requests_in_files(folder: Path) -> int:
    """Requests in cumulative capture files, each once, computed from the files alone: a line is the same
    request in two files when both files agree on every line up to it (the nodes of a trie of line sequences)."""
    prefixes = set()
    for path in sorted(folder.rglob("*.jsonl")):
        running = hashlib.sha256()
        for line in path.read_bytes().splitlines():
            if not line.strip():
                continue
            running.update(hashlib.sha256(line).digest())
            prefixes.add(running.copy().hexdigest())
    return len(prefixes)


def test_headline_counts_are_distinct_requests(judged):
    con, result, _rows = judged
    report = json.loads(result.report_paths["json"].read_text(encoding="utf-8"))
    logs = _distinct_requests_in_files(require_shared("datasets", "citizenlab-wechat-2023"))
    # the 2024 pcap's requests: each a distinct frame of the capture (test_flow_pcap.py checks their count); its
    # hex dump is the plaintext of one of them (test_flow_pcap.py compares the bytes) and counts there
    pcap = con.execute("select count(distinct line) from flows join captures using (capture_id) "
                       "where format = 'pcap'").fetchall()[0][0]
    assert pcap == 25
    hexdumps = len(list(require_shared("datasets", "citizenlab-wechat-security-2024").glob("*.hex"))) - 1
    assert report["totals"]["requests"] == logs + hexdumps + pcap
    assert report["totals"]["request_records"] > 10 * report["totals"]["requests"]  # cumulative dumps
    markdown = result.report_paths["md"].read_text(encoding="utf-8")
    assert f"**{logs + hexdumps + pcap} distinct requests**" in markdown
    # a finding counts its distinct requests, not a sum over its data types; one decided by a scope exclusion
    # counts the requests that carry its data types in the body, and says how many more carry them only in the
    # request header
    mini = next(f for f in report["findings"] if f["feature"] == "mini_programs" and f["disclosure"] == "incorrect")
    body = con.execute("""
        select count(distinct o.flow_id) from observations o join distinct_flows f using (flow_id)
        where f.feature = 'mini_programs' and f.recipient = 'wechat' and o.confidence >= 0.5 and not o.envelope
          and list_contains(?, o.data_type)""", [[d["data_type"] for d in mini["data_types"]]]).fetchall()[0][0]
    assert mini["request_count"] == body
    listed = {int(f) for r in gap_rows(con) if r["feature"] == "mini_programs" and r["disclosure"] == "incorrect"
              for f in r["flow_ids"]}
    assert mini["header_only_request_count"] == len(listed) - body > 0
    assert mini["request_count"] < sum(d["request_count"] for d in mini["data_types"])
    assert f"({mini['request_count']} requests)" in markdown
    # its detection count covers every listed request, header-only ones included, and says so
    assert f"{mini['observation_count']} detections (in these and the header-only requests)" in markdown


def test_as_of_2020_is_judged_on_what_the_2020_text_says(judged):
    """The 2020 versions' "We do not knowingly collect Personal Information from any children under the age of
    16 without such consent" is a conditional denial about a subgroup: it contradicts no flow, in any mode."""
    con, _result, _rows = judged
    denial = con.execute("""
        select c.condition, c.data_subject from claims c join versions v using (version_id)
        where c.negated and c.action = 'collect' and v.effective_date = '2020-04-09'
          and c.sentence like 'We do not knowingly collect Personal Information from any children%'""").fetchall()
    assert denial and all(cond and subject == "children" for cond, subject in denial)
    for mode in ("permissive", "intermediate"):
        rows = gap_rows(con, as_of=date(2020, 6, 1), judgement=Judgement(mode=mode))
        judged_rows = [r for r in rows if r["disclosure"] != "handed_off"]
        assert judged_rows
        assert sum(r["disclosure"] == "ambiguous" for r in judged_rows) < len(judged_rows) / 10, mode


def test_gps_and_carrier_in_device_reports(judged):
    con, _result, rows = judged
    reported = [r for r in rows if r["data_type"] in ("precise_location", "mobile_carrier")
                and r["disclosure"] != "handed_off" and r["version_basis"] == "in_force"
                and r["scenario"] in _scenarios_2023(con)]
    assert {r["data_type"] for r in reported} == {"precise_location", "mobile_carrier"}
    for row in reported:
        assert row["disclosure"] == "clear", row
        evidence = _claims(con, row["claim_ids"])
        # GPS: the Location Data definition; carrier: the Log Data definition ("your mobile carrier").
        assert evidence and all(str(c[9]) == "2022-09-09" for c in evidence)
        assert any(("GPS" in c[7] if row["data_type"] == "precise_location" else "mobile carrier" in c[7])
                   or c[4] in ("location", "log_data") for c in evidence)


def test_time_aware_and_run_outputs(judged):
    con, result, rows = judged
    in_force = {r["version_id"] for r in rows if r["governing_document"] == "wechat-privacy-policy"
                and r["version_basis"] == "in_force" and r["scenario"] in _scenarios_2023(con)}
    effective = con.execute("select effective_date from versions where list_contains(?, version_id)",
                            [list(in_force)]).fetchall()
    assert {str(e[0]) for e in effective} == {"2022-09-09"}  # in force in April-May 2023
    assert result.exit_code == 12 and result.failing  # --fail-on incorrect
    report = json.loads(result.report_paths["json"].read_text(encoding="utf-8"))
    assert report["summary"]["incorrect"] == len([r for r in rows if r["disclosure"] == "incorrect"])
    markdown = result.report_paths["md"].read_text(encoding="utf-8")
    assert "undisclosed_first_party_mini_program" in markdown and "Mini Programs" in markdown
    # No raw identifier of the test device reaches the report.
    profile = (Path(__file__).parents[1] / "profiles" / "citizenlab-2023.yaml").read_text(encoding="utf-8")
    for key in ("platform_device_id", "internal_user_id", "wechat_id"):
        value = next(line.split(":", 1)[1].strip().strip('"') for line in profile.splitlines()
                     if line.strip().startswith(key + ":"))
        assert value and value not in markdown and value not in json.dumps(report)


def test_filters_on_real_rows(judged):
    con, _result, _rows = judged
    only = gap_rows(con, where=GapFilter(classes=("incorrect",), features=("third_party_services",)))
    assert only and all(r["disclosure"] == "incorrect" for r in only)
    assert {r["feature"] for r in only} <= {"mini_programs", "mini_games", "official_accounts", "third_party_services"}


def test_2024_session_judged_against_the_version_in_force_at_its_date(judged):
    """The 2024 folder's pcap is decrypted with its key log (by folder convention, no flag) and judged at the time
    its own packets carry, not against the latest policy."""
    con, result, rows = judged
    session = [r for r in rows if r["scenario"] == "capture-logged-in-all-keys"
               and r["governing_document"] == "wechat-privacy-policy" and r["disclosure"] != "handed_off"]
    assert session and {r["recipient"] for r in session} == {"wechat"}
    assert {"login", "startup"} <= {r["feature"] for r in session}
    first, last = con.execute("select min(f.time), max(f.time) from flows f join captures c using (capture_id) "
                              "where c.format = 'pcap'").fetchall()[0]
    for row in session:
        assert row["version_basis"] == "in_force"
        (valid_from, valid_to), = con.execute("select valid_from, valid_to from version_validity where version_id = ?",
                                              [row["version_id"]]).fetchall()
        assert valid_from <= first.date() and valid_to is not None and last.date() < valid_to
    markdown = result.report_paths["md"].read_text(encoding="utf-8")
    assert "capture-logged-in-all-keys" in markdown


def test_report_history_by_version_matches_gaps_as_of_each_version(judged):
    """The report's per-version class distribution is what `gaps --as-of <valid from>` gives for that date, the
    rows the WeChat policy hands over to the Weixin guidelines counted as handed off."""
    con, result, _rows = judged
    report = json.loads(result.report_paths["json"].read_text(encoding="utf-8"))
    wechat = [h for h in report["history_by_version"] if h["document_id"] == "wechat-privacy-policy-en"]
    assert len(wechat) >= 15
    for h in wechat[::4]:  # every fourth version keeps the test quick
        rows = gap_rows(con, as_of=date.fromisoformat(h["valid_from"]))
        counts = {cls: 0 for cls in h["classes"]}
        for r in rows:
            if r["governing_document"] == "wechat-privacy-policy" or (
                    r["disclosure"] == "handed_off" and r["account_policy"] == "wechat-privacy-policy"):
                counts[r["disclosure"]] += 1
        assert counts == h["classes"], h["valid_from"]
    jumps = [c for h in wechat for c in h["changes"]]
    assert jumps and all(c["added_sentences"] or c["removed_sentences"] for c in jumps)


def test_a_statement_about_one_feature_decides_no_other_feature(judged):
    """Weixin guidelines 1.11: "when you use receiving photos, videos and files face to face, importing and exporting
    the chat history (phone/tablet), we collect the OS type, device name and other device information". That
    speaks for that feature only (ontology `device_transfer`): no gap row of another feature rests on it. The
    report's fact-check found Search's language setting and user agent judged `vague` under the guidelines through
    this clause alone; the guidelines name neither anywhere, so under them both are omitted."""
    con, _result, rows = judged
    clause = {c for (c,) in con.execute("select claim_id from claims where language = 'zh' "
                                        "and sentence like '%面对面收照片%'").fetchall()}
    assert clause
    assert all(row["feature"] == "device_transfer" for row in rows if clause & set(row["claim_ids"] or ()))
    search = [r for r in rows if r["feature"] == "search" and r["data_type"] in ("language_setting", "user_agent")]
    assert {r["data_type"] for r in search} == {"language_setting", "user_agent"}
    assert all((r["disclosure"], r["handoff_verdict"]) == ("handed_off", "omitted") for r in search)


def test_explain_says_claims_decide_where_they_do(judged):
    """``gaps --explain``'s deciding-claim column: a row that claims decide but no single one (the Log Data rows,
    vague through "device attributes" and the Log Data definition) says so; only a row that no claim but a
    root-term statement covers says "only root-term claims cover it". The audit of single gap rows found the
    column saying "only root-term claims" for every such vague, clear and incorrect row, because nearly every
    row also carries the root-term claims that were set aside beside its deciding ones."""
    con, _result, _rows = judged
    explained = gap_rows(con, explain=True)
    several = [r for r in explained if r["claim_ids"] and r["pivotal_claims"] == [] and r["root_term_claim_ids"]]
    assert {r["disclosure"] for r in several} >= {"vague", "clear", "incorrect"}
    for row in several:
        text = pivotal_text(row)
        assert "root-term" not in text and f"{len(row['claim_ids'])} claims" in text, row
    root_only = [r for r in explained if r["label"] == "root_terms_only"]
    assert root_only and all(pivotal_text(r).startswith("only root-term claims cover it") for r in root_only)


def test_deciding_claims_quote_the_sentence_naming_the_data_first(judged):
    """The deciding claims are listed most specific first, and at the same depth a statement naming the data type (or
    its broader type) in its own words comes before one covering it only through a defined term's definition: the
    device's API level is vague through "device attributes, such as your mobile carrier ..., your device version"
    (the Log Data definition's first item), which is quoted first, not the bare lead-in "'Log Data' is information
    that is automatically collected when you use WeChat, including:". The audit of single gap rows found that
    lead-in first in 437 rows (and "we derive Location Data from your IP address" before "your IP address")."""
    con, _result, rows = judged

    def first_texts(data_type):
        firsts = set()
        for row in rows:
            if row["data_type"] == data_type and row["claim_ids"]:
                firsts |= {t for (t,) in con.execute("select data_text from claims where claim_id = ?",
                                                     [row["claim_ids"][0]]).fetchall()}
        return firsts

    assert first_texts("os_api_level") >= {"device attributes", "操作系统"}
    assert not first_texts("os_api_level") & {"Log Data", "日志信息"}
    assert first_texts("ip_address") <= {"IP address", "login IP address", "登录IP地址"}
    lead_in = {c for (c,) in con.execute("select claim_id from claims where data_text = 'Log Data' "
                                         "and sentence like '%including:'").fetchall()}
    assert lead_in and not any(row["claim_ids"] and row["claim_ids"][0] in lead_in for row in rows)
