"""Behaviour unchanged (issue 15, Verify): the README's main job gives the same store and the same report with the
code of a base commit and with the working tree.

Both runs are `python -m policycheck run --data ../shared/datasets --profile ... --profile ...` (the README's
first command), each with its own code (the base commit extracted with `git archive` and put first on
PYTHONPATH; the working tree), its own mappings (those of its tree), its own store and `out/` folder, and the
same inputs: the data folder and the device profiles of the working tree. Both stores get the same redaction salt
before the run, so redacted values are compared too. Then every table of the two stores is compared as a set of
rows (with multiplicity), and the two report.json files as JSON.

What legitimately differs, and is left out (nothing else is):
- :data:`VOLATILE_COLUMNS`: times at which the run did something, and where each tree's mappings folder is;
- :data:`VOLATILE_ROWS`: rows that fingerprint the code itself (the hash of the derived views' SQL, the claim
  extractors' fingerprint);
- :data:`VOLATILE_REPORT_KEYS`: the report's generation time.

:data:`BASE_COMMIT` is the commit whose behaviour is the reference: bump it (and say why in the commit) when
behaviour changes on purpose. A deliberate difference that should not move the reference yet (e.g. a change of
another branch being merged) goes in :data:`DELIBERATE_DIFFERENCES`, which names the rows left out of the
comparison and why; it is empty by default, and every other row is still compared.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

from policycheck.store import STORAGE_COMPATIBILITY
from tests.conftest import require_shared

# The reference: 7c496d5, main with branches readme, opp12, audit3, en11 and robust4 merged (README fact-check,
# policycheck-en 1.15.0 and 1.16.0, gap-row fact-check, streaming HAR reader). Against bb45559 (fresh stores, same
# salt): flows 51 records (3 distinct requests of type 2975 whose body names WeChat Search's SearchQueryHintCommApi:
# feature unknown -> search, feature_basis 'relay cgiName ...'); claims 6,704 -> 6,707 (en11: a list broken at
# "content selected to ..." gives its last item in 3 versions; ids shift), claim_cache, extraction_runs;
# rejudged_changes and verdict_changes 779 -> 773 (the 4 merged rows' changes); report.json: 796 -> 792 gap rows
# (4 rows of feature unknown merged into the Search rows: vague 439 -> 437, omitted 104 -> 102), deciding claims
# that name the data type in their own words ordered before defined terms, 46 findings as before.
# Before it bb45559, main with branches audit, opp11, audit2, robust3 and en10 merged (report fact-checks,
# policycheck-en 1.13.0 and 1.14.0, bad input round 3) and the published-request rule (a hex dump repeating a pcap
# request counts once, migration 014). Against 735f9be (fresh stores, same salt): capture_coverage (the hex dump is
# covered by the pcap: 1,138 -> 1,137 distinct requests); claims 6,710 -> 6,704 (opp11 adds 3 and removes 3; en10
# removes the operating system of one table row in 2 versions; ids shift), claim_cache, extraction_runs, data_types
# (5 rows of English synonyms) and ontology_files; features, feature_edges and feature_closure (device_transfer);
# observations 89,599 -> 89,623 (MAC-format values alone at 0.4, WeRun's client version; ids shift);
# schema_migrations (014); rejudged_changes and verdict_changes 790 -> 779 (sentences added or dropped only when
# one text lacks them; the operating system row gone); report.json: 810 -> 796 gap rows (13 rows of the hex dump
# under feature unknown and the access point's MAC gone, WeRun's client version added; clear 52 -> 49, vague
# 450 -> 439), 47 -> 46 findings, the hand-offs in the version history, the Weixin guidelines' own title.
# Before it 735f9be, main with branch opp10 merged (OPP-115 round 3, policycheck-en 1.12.0) and the 20,000-block
# limit. Against c922965 (fresh stores, same salt): claims 6,727 -> 6,710 (the pointer "For further details on how
# long we keep your data, please refer to the retention periods set out below" of 17 versions no longer states a
# retention of data; ids shift), claim_cache, extraction_runs, data_types (2 rows: English synonyms of
# transaction records and health data) and ontology_files; verdict_changes the same 790 rows but for claim ids;
# report.json: the same 810 gap rows in the same classes and 47 findings quoting the same sentences, 16 omitted
# findings naming one root-term sentence fewer (that pointer).
# Before it c922965, main with branches zh8, opp9 and en9 merged (issue 9: zh-rules 2.8.0, policycheck-en
# 1.11.0) and the ingest problem cap, the ambiguous-repeat check and the out-of-memory line. Against 52f2e91 (fresh
# stores, same salt): claims 6,724 -> 6,727 (opp9: the use of "name" in one block of 3 versions added; en9: 9
# contexts of one block's third-party collection, messaging -> none; ids shift), claim_cache and extraction_runs
# (both extractors' versions), data_types (2 rows: new English synonyms of page_path and chat data) and
# ontology_files (its hash); verdict_changes the same 790 rows but for claim ids; report.json: the claim count and
# claim ids, the same 810 gap rows in the same classes and the same 47 findings quoting the same sentences.
# Before it 52f2e91, main with branches fuzzpolicies and fuzzflows merged (bad input: parser and block limits,
# reader fixes from mutation fuzzing). Against f4f9a5b (fresh stores, same salt) only claims, claim_cache and
# extraction_runs differed, by the English extractor's version alone (patterns.yml's skip.max_word_chars; the 6,724
# claims otherwise the same); flows, observations, gaps and report.json were the same.
# Before it f4f9a5b, main with branches opp8, zh7, device2, en8 and robust2 merged (issue 9: policycheck-en
# 1.10.0, zh-rules 2.7.0, device-independent profile matching, capture identity). Against 15ad4c4 (fresh stores, same
# salt): claims 6,636 -> 6,724 (English round 8 adds 88 claims to the archived versions, none lost; every claim's
# extractor tag and, after the first added one, its id differ), claim_cache and extraction_runs, data_types (1 row:
# date_of_birth's synonyms) and ontology_files; observations 89,810 -> 89,599 (device2: profile numbers of fewer
# than 6 digits, the OS release, are no longer searched; 32-bit numbers in both readings; ids shift), ingest_problems
# (+3 notes of what a device profile leaves to the other detectors), captures and capture_aliases (the new column
# canonical_path, migration 013) and schema_migrations; verdict_changes the same 790 rows but for claim ids;
# report.json: claim and observation counts and ids, the same 810 gap rows in the same classes.
# Before it 15ad4c4, main with branches claims-zh6 and claims-en7 merged (issue 9 rounds 10 and 7 of the
# extractors: zh-rules 2.6.0, policycheck-en 1.8.0). Against 9f31464 (fresh stores, same salt) only claims (the
# extractor column: the 6,636 claims with it left out the same), claim_cache, extraction_runs, data_types (5 rows)
# and features (2 rows: claims-en7's English synonyms) and ontology_files differed; flows, observations,
# verdict_changes and report.json were the same.
# Branch claims-en7 alone: fb980b3 (issue 9 round 7 of the English extractor: policycheck-en 1.8.0, English
# synonyms in mappings/data_types.yaml and features.yaml) merged with main 80abe4c. Against 2b80240 (fresh stores,
# same salt) only claims, claim_cache and extraction_runs (every claim in its extractor version: both extractors
# hash the ontology files; the 6,636 claims otherwise the same, and the English claims of every archived version
# compared tuple by tuple before the merge: none added, none lost), data_types (5 rows) and features (2 rows: the
# new English synonyms) and ontology_files (their hashes) differed; flows, observations, gaps, verdict_changes and
# report.json were the same.
# Before it 9f31464, branch claims-zh6 (issue 9 round 10, zh-rules 2.6.0) merged with main 80abe4c; against
# 2b80240 (fresh stores, same salt) only claims, claim_cache and extraction_runs (both extractors' version tags:
# zh-rules 2.6.0, and the English one's hash, since mappings/data_types.yaml changed; the 6,636 claims with the
# extractor column left out the same, the guidelines' 369 among them), data_types (Chinese synonyms of cookies and
# email_address) and ontology_files (its hash) differed; report.json was the same. (The branch alone, deb8c65,
# differed from 7f260f0 in the same tables only.)
# Before it 2b80240, main with the request-header rule (6de2c38: observations.envelope, migration 011; a
# scope exclusion does not decide a row whose requests carry the data type only in WeChat's BaseRequest header) and
# branch robust merged (the analysis stamp covers device profiles and key logs: captures.settings_sha256, migration
# 012). Against 7f260f0 (fresh stores, same salt): the new columns captures.settings_sha256 and
# observations.envelope and two schema_migrations rows; on the common columns flows, observations, claims and
# every other table were the same but verdict_changes (797 -> 790: the Mini Program and Official Accounts rows of
# header-only data types no longer become incorrect at 2021-08-19) and rejudged_changes (their counts), and
# report.json (gap classes: incorrect 120 -> 78, vague 415 -> 450, omitted 97 -> 104; the Mini Program finding's
# 183 body requests and 14 data types; stale_analysis's new fields).
# Before it 7f260f0, policycheck-en 1.7.1 (a negated noun coordinated with the verb is excluded); against
# 7308d23 only claims, claim_cache and extraction_runs differed, by the English extractor's version alone (the
# 6,636 claims otherwise the same).
# Before it 7308d23, main after issue 9 round 6 (branches stale, badinput and claims-en6 merged with the
# lead's hand-off citations d6e24a4 and zh-rules 2.5.1 13d7144). Against 4d03202 (fresh stores, same salt) only
# claims, claim_cache and extraction_runs (English claims in extractor version policycheck-en 1.7.0, the 6,636
# claims otherwise the same), entities, entity_closure and entity_edges (search_engine) and ontology_files
# differed: claims-en6's differences (below); badinput changed no row.
# Branch claims-en6 alone: fa55a3e, issue 9 round 6's English extractor (claims-en6: policycheck-en 1.7.0, the entity
# search_engine) merged with main 13d7144; against 13d7144 (fresh stores, same salt) only claims, claim_cache and
# extraction_runs (every English claim in its extractor version; the 6,636 claims otherwise the same),
# entities, entity_closure and entity_edges (search_engine) and ontology_files (its hash) differed; flows,
# observations, gaps, verdict_changes and report.json were the same (checked with those seven tables left out).
# Before it 4844a5d, main after issue 9 round 5: the branches audit (d718aea), claims-en5 (02c98db), claims-zh5
# (7028323) and handoff merged. Against d718aea (fresh stores, same salt) only claims, claim_cache, extraction_runs
# (both extractors' versions: policycheck-en 1.6.0, zh-rules 2.5.0; 6,626 -> 6,636 claims), data_types and
# ontology_files (claims-en5's synonyms), rejudged_changes (each event now compares the rows of its policy's accounts
# too: 684 -> 810) and verdict_changes (671 -> 797: the 126 Channels/Search/Top Stories rows change to handed_off at
# the first WeChat version that hands features operated by Weixin over, 2021-08-19) differed, and report.json (the
# policy history judges those groups under the WeChat versions before it); flows, observations and the gap rows judged
# at the flows' time were the same. The branches alone, each against 7c531c4:
# Branch claims-zh5 alone: 7028323, issue 9 round 5's Chinese extractor (claims-zh5: zh-rules 2.5.0, no mapping
# changed) merged with main 55e3545; against 7c531c4 only claims, claim_cache and extraction_runs differed: every
# Chinese claim in its extractor version, and one Chinese claim in its data words and data_basis (its actor, action,
# negation, data type and context unchanged); English claims, flows, gaps and report.json were the same.
# Branch claims-en5 alone: 02c98db, issue 9 round 5's English extractor (claims-en5: policycheck-en 1.6.0,
# patterns.yml and new English synonyms in mappings/data_types.yaml: crash/error reports, three CCPA category names)
# merged with main 55e3545; against 7c531c4 only data_types (4 rows: the synonyms), ontology_files (their hash),
# claims, claim_cache, extraction_runs and verdict_changes differed: English claims in their extractor version and 10
# more (6,626 -> 6,636, in versions 1-3, 19 and 20: "network and device information" names network information: 6; a
# Log Data list resumed after a relative clause: IP address 3 and "application names" as name 1); flows and gaps the
# same, verdict_changes and report.json the same but for claim and sentence ids (and the report's claim total).
# Branch audit alone: d718aea, the r9-audit fact-check of the report (branch audit, main 55e3545 merged). Against
# 7c531c4 (fresh stores, same salt): observations (89,762 -> 89,810 rows: getwxsportconfig's body is named by its
# own schema SportDeviceInfo instead of BaseRequest, so 24 more device_brand/device_model/device_manufacturer/
# operating_system/os_api_level key detections and 24 fewer BaseRequest ones, access_token gone; confidences: a
# key whose value lacks its type's format or holds a known placeholder 0.6 -> 0.4, the 2023 profile's placeholder
# IMEI capped at 0.4, a bare IPv4 address without an agreeing key 0.5 -> 0.4 (450 detections, nearly all Tencent
# server addresses in newreportkvcomm)), flows (30 getcardcount rows payments -> card_wallet), verdict_changes
# (672 -> 671), gaps (823 -> 810 rows: clear 57 -> 52, vague 416 -> 415, incorrect 128 -> 120, omitted 96 -> 97;
# the payments finding becomes card_wallet omitted/vague, werun's omitted uin goes) and report.json (key-finding
# wording "requests to <feature> endpoints, sent in K of S capture scenarios", findings' scenario_count, totals'
# scenarios, count wording, history change sentences and their order, dropped_first) differed. Before it
# 7c531c4, issue 9 round 4's English extractor (claims-en4: policycheck-en 1.5.0, the entity
# own_affiliates, the alias "third-party", new English synonyms and three ambiguous ones removed in
# mappings/data_types.yaml) merged with main b5e7a42; against a658e92 only data_types, entities and entity_closure
# (own_affiliates), ontology_files (their hash), claims, claim_cache and extraction_runs differed: English claims
# in their extractor version and 29 more (third parties that "set cookies on your device" collect cookies: 17;
# the series "prohibited from retaining, using, or disclosing" keeps use and share: 6; "their collection and use
# of" gives the third party's use: 6); flows, observations, gaps and verdict_changes were the same but for claim
# ids, report.json the same but for claim and sentence ids. Before it a658e92, issue 9 round 4's Chinese
# extractor (claims-zh4: zh-rules 2.4.0 and new Chinese
# synonyms in mappings/data_types.yaml, 联系方式 moved to contact_information) merged with main 13b6fbe; against
# 0b15f72 only data_types (8 rows: the synonyms of 8 concepts), ontology_files (its hash), claims, claim_cache and
# extraction_runs differed: every English claim only in its extractor version (whose hash covers the ontology
# files) and four Chinese claims (联系方式 contact_information instead of account_information; 简介 profile_data
# and 朋友圈发表内容 moments_posts collected and used, new); flows, gaps and the report were the same. Before it
# 0b15f72, issue 9 round 3's Chinese and English extractors merged with main (see the end of the chain).
# Before that 87ce051, main with r15-writepath merged (issue 15's write path and its one de-duplication
# rule for both languages). The chain of deliberate changes before it: fc97e92 (main before issue 15) -> 3f77f1b (the
# report's deterministic order of cited detections, 6c5e508) -> 87ce051 (Chinese claims de-duplicated by every
# field but the data words: 358 -> 366 claims; against 3f77f1b only claims, claim_cache and extraction_runs of
# the zh front end differed) -> 2c46316 (issue 9 round 3, Chinese extractor zh-rules 2.3.0 and new Chinese
# synonyms in mappings/data_types.yaml, merged with main d48a538; against 87ce051 only data_types (13 rows: the
# synonyms), ontology_files (its hash), claims, claim_cache and extraction_runs differed: every English claim only
# in its extractor version, whose hash covers the ontology files, and two Chinese claims typed photos_and_videos
# instead of personal_information; flows, gaps and the report were the same). In parallel, 69ab54e (claims-en3,
# issue 9 round 3: English extractor 1.4.0; against 87ce051 only blocks (6 list items' lead_in no longer cut at
# "Pte. Ltd"), claims (60 rows a side: recipients named as the new company entities in the Korean transfer
# tables, the group-sharing lead-in's share/transfer, one belief clause's retain gone), claim_cache, the entity
# tables (10 company entities) and ontology_files differed; gap rows and report.json equal but for claim ids).
# Both meet in 0b15f72 (claims-en3 merged with main): against 2c46316 exactly 69ab54e's differences (English
# claims and cache, blocks, entity tables, ontology_files; report.json equal but for claim ids). Bump it when
# behaviour changes on purpose.
# 4d03202 (branch stale merged with main, issue 9): against 4844a5d, captures.analysis_stamp and request_type and
# observations.flow_id without its foreign key (migration 010), report.json's stale_analysis (none stale in a fresh
# run), and main's zh-rules 2.5.1 (13d7144: extractor tag, the guidelines' claim rows and cache) and hand-off
# citations (d6e24a4: verdict_changes' sentences and claim ids in deciding order with the hand-off statements first,
# report.json's hand-off sentences); 7fb6a19 (stale before the merge) differs from it only by main's two.
# 3fd946b (stop of 2026-12-07, third session): against 8873be5, detect5 (app_version only from WeChat's own version
# fields, softtype/k35 processor information: observations 89,623 -> 88,393), the extractors policycheck-en 1.18.1
# (en12, en13, review2: 6,707 -> 6,816 claims) and zh-rules 2.9.1 (claim rows and cache tags); the same 792 gap rows.
# 1d38ddb: zh-rules 2.10.0 (zh14) and policycheck-en 1.19.0 (en14) change only the extractor tags of claim rows and
# cache (no claim of the stored versions changes).
# cf3fe38 (stop of 2026-12-07, fourth session): against 1d38ddb, value formats for generic key names (data_types.yaml
# `formats`: ontology_files; no observation changes), policycheck-en 1.26.0 (en15-en18, review3: the Korean transfer
# tables' 30 `transfer` claims now name the row's recipient; every other claim row and the cache only retagged) and
# zh-rules 2.12.1 (zh15, zh16: tags only; the synonym 留言 adds no claim); the same 792 gap rows.
# bbd143d (stop of 2026-12-07, fifth session): against cf3fe38, policycheck-en 1.30.0 (en19 typing of compound data
# phrases, opp13, review4) and zh-rules 2.13.1 (zh17, review4): claim rows and cache retagged; 3 claims of the 2020
# "Shared Information" block keep their tuple but quote "postings" instead of "the lists you create" as their data
# text (a list that names no data adds nothing); data_types (15 rows: the new English and Chinese synonyms) and
# ontology_files; the same 88,393 observations and 792 gap rows.
# 2653bab (the same stop's final code): against bbd143d, policycheck-en 1.31.0 (en20: 2 claim tuples change in 2
# blocks that are near copies of held-out blocks, not read) and zh-rules 2.14.0 (zh18: tags only), data_types (群名称)
# and ontology_files; the same 88,393 observations and 792 gap rows.
# 334e159 (stop of 2026-12-07, sixth session): against 2653bab, policycheck-en 1.38.0 (en21 typing of documents, IDs
# and modifier chains, en22 third-party actors, opp14, review5, en23 coordinated modifiers: 6,816 -> 6,803 claims,
# 9 added and 22 removed in 4 block texts that are near copies of held-out blocks, not read; every other claim row
# and the cache retagged; ids shift) and zh-rules 2.15.0 (zh19: tags only; entities: 5 Chinese aliases of
# other_users), data_types (health synonyms) and ontology_files; verdict_changes only by claim ids; the same 88,393
# observations, 792 gap rows and 46 findings (report.json equal but for claim and sentence ids).
# e3504ae (the same stop's final code): against 334e159, policycheck-en 1.39.0 (en24: a party "not" excludes is no
# actor; series sharing a generic head): claim rows and cache retagged only; no claim of the archived versions changes.
# b72abb2 (stop of 2026-12-07, seventh session): against e3504ae, policycheck-en 1.41.0 (en25 parse repairs, row-label
# typing, "not only"; en26 value nouns and nationality -> region: 6,803 -> 6,821 claims, 28 tuples added and 35 removed
# on the archived versions, 11 of them in blocks listed as held-out, not read; every other claim row and the cache
# retagged; ids shift), zh-rules 2.16.0 (zh20: tags only), data_types (nationality, 通话, 转账记录, 备注名) and
# ontology_files; verdict_changes only by claim ids; report.json: audit7's wording, key-finding denominators,
# scenarios 22 -> 21, definitions quoted, sample detectors among equals; the same 88,393 observations, 792 gap rows
# and 46 findings (equal but for claim ids and quoted sentences).
# 0a79277 (the same stop, later): against b72abb2, policycheck-en 1.43.0 (review6 narrows en25's and en26's rules: 7
# tuples removed, all in blocks listed as held-out, not read; en27 codes, coordinated passive subjects, list of group
# chats, customer service desk: 6,824 claims on its own, 6,811 with review6, 24 tuples added and 21 removed, 6 of
# them in such blocks), zh-rules 2.17.0 (review6: tags only), data_types (list of group chats); verdict_changes only
# by claim ids; the same 792 gap rows and 46 findings.
# d86de28 (eighth session): against 0a79277, policycheck-en 1.49.0 (en29 named operators of exclusion examples, en30
# table rows, en31 reduced relatives, review7's narrowing; en30's "interactions" synonyms removed again) and zh-
# rules 2.19.0 (zh21, review7: no claim of the guidelines changes): claims 6,811 -> 6,814 (ids shift), claim_cache
# and extraction_runs, data_types (2 rows: complaints as customer support information, payment notes as transaction
# records), features (1 row: WeBeans), ontology_files; verdict_changes the same 773 rows but for claim ids; the same
# 792 gap rows and 46 findings.
# d2e8a7d (ninth session): against d86de28, policycheck-en 1.54.0 (en32 operations as data, opp15 website vocabulary
# and "this information" after examples, review8, opp16 a web site's own names: none for WeChat) and zh-rules 2.22.0
# (zh22, review8, zh23: no claim of the guidelines changes): claims 6,814 -> 6,823 (opp15: the 2020 CCPA rows'
# "This information is collected directly ..." also covers the category, 9 added in 3 versions; ids shift),
# claim_cache and extraction_runs, data_types (8 rows of synonyms), entities (1 row: 集团公司 of the Tencent group),
# ontology_files; verdict_changes the same 773 rows but for claim ids; the same 792 gap rows and 46 findings.
BASE_COMMIT = "d2e8a7d"
REPO = Path(__file__).resolve().parents[1]
PROFILES = ("citizenlab-wechat-2023=tests/profiles/citizenlab-2023.yaml",
            "citizenlab-wechat-security-2024=tests/profiles/citizenlab-2024.yaml")  # as in the README's command
SALT = "0123456789abcdef0123456789abcdef"  # the same redaction salt in both stores
RUN_TIMEOUT = 45 * 60  # seconds per run of the main job

VOLATILE_COLUMNS: dict[str, set[str]] = {
    "ontology_files": {"loaded_at", "path"},  # when it was written; path: each tree's own mappings/ folder
    "extraction_runs": {"finished_at"},
    "captures": {"ingested_at", "analysis_stamp"},  # analysis_stamp: the fingerprint of the flow analysis's code
    "capture_aliases": {"recorded_at"},
    "fetch_log": {"attempted_at"},
    "rejudged_changes": {"rejudged_at"},
    "schema_migrations": {"applied_at"},
}
VOLATILE_ROWS: dict[str, str] = {  # SQL conditions of rows that fingerprint the code, not its output
    # the hash of the derived views' SQL text (store.install_derived); the claim extractors' tags with the hash of
    # their code and inputs (claims.pipeline.extractor_fingerprint)
    "settings": "key in ('derived_sql_sha256', 'claim_extractors')",
}
VOLATILE_REPORT_KEYS = {"generated_at"}


@dataclass(frozen=True)
class Deliberate:
    """A deliberate difference: rows of ``table`` matching the SQL ``where`` are left out of the comparison on
    both sides (the rest of the table is still compared); ``reason`` says which change made it and why."""

    table: str
    where: str
    reason: str


DELIBERATE_DIFFERENCES: tuple[Deliberate, ...] = ()


def _git(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, check=False)


def _base_tree(tmp: Path) -> Path:
    if _git("rev-parse", "--git-dir").returncode != 0:
        pytest.fail(f"{REPO} is not a git checkout: the base commit {BASE_COMMIT} cannot be extracted")
    if _git("cat-file", "-e", f"{BASE_COMMIT}^{{commit}}").returncode != 0:
        pytest.fail(f"the base commit {BASE_COMMIT} is not in this clone (a shallow clone?): run `git fetch "
                    f"--unshallow` (or fetch {BASE_COMMIT}) so that the behaviour can be compared with it")
    tree = tmp / "base"
    tree.mkdir()
    archive = _git("archive", BASE_COMMIT)
    assert archive.returncode == 0, archive.stderr.decode()
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    return tree


def _env(code: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYCHECK_") or k == "POLICYCHECK_WORKERS"}
    env["PYTHONPATH"] = str(code)
    return env


def _main_job(code: Path, data: Path, work: Path) -> tuple[Path, dict[str, Any]]:
    """The README's main job with the package of ``code`` into ``work``/store.duckdb and ``work``/out."""
    work.mkdir()
    db, out, env = work / "store.duckdb", work / "out", _env(code)
    where = subprocess.run([sys.executable, "-c", "import policycheck; print(policycheck.__file__)"], env=env,
                           cwd=work, capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where).is_relative_to(code), f"{where} is not the code of {code}"
    created = subprocess.run([sys.executable, "-m", "policycheck", "ontology", "--db", str(db)], env=env, cwd=work,
                             capture_output=True, text=True, timeout=600, check=False)
    assert created.returncode == 0, created.stderr
    with duckdb.connect(str(db), config={"storage_compatibility_version": STORAGE_COMPATIBILITY}) as con:
        con.execute("insert into settings values ('redaction_salt', ?)", [SALT])
    profiles = [a for p in PROFILES for a in ("--profile", p.replace("tests/", f"{REPO}/tests/", 1))]
    ran = subprocess.run([sys.executable, "-m", "policycheck", "run", "--data", str(data), *profiles,
                          "--db", str(db), "--out", str(out)], env=env, cwd=work, capture_output=True, text=True,
                         timeout=RUN_TIMEOUT, check=False)
    assert ran.returncode in (0, 12), f"{code}: exit {ran.returncode}\n{ran.stderr[-3000:]}"
    return db, json.loads((out / "report" / "report.json").read_text(encoding="utf-8"))


def _tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    rows = con.execute("select table_name, column_name from information_schema.columns c join "
                       "information_schema.tables t using (table_schema, table_name) "
                       "where t.table_type = 'BASE TABLE' and t.table_schema = 'main' "
                       "order by table_name, ordinal_position").fetchall()
    out: dict[str, list[str]] = {}
    for table, column in rows:
        out.setdefault(table, []).append(column)
    return out


def _rows(con: duckdb.DuckDBPyConnection, table: str, columns: list[str]) -> Counter[tuple[str, ...]]:
    kept = [c for c in columns if c not in VOLATILE_COLUMNS.get(table, set())]
    left_out = [d.where for d in DELIBERATE_DIFFERENCES if d.table == table] + \
        ([VOLATILE_ROWS[table]] if table in VOLATILE_ROWS else [])
    where = " and ".join(f"not coalesce(({condition}), false)" for condition in left_out)
    query = f"select {', '.join(f'{chr(34)}{c}{chr(34)}::varchar' for c in kept)} from {table}"
    return Counter(con.execute(query + (f" where {where}" if where else "")).fetchall())


def _without(value: Any, keys: set[str]) -> Any:
    if isinstance(value, dict):
        return {k: _without(v, keys) for k, v in value.items() if k not in keys}
    if isinstance(value, list):
        return [_without(v, keys) for v in value]
    return value


def _difference(a: Counter, b: Counter, limit: int = 3) -> str:
    only_a, only_b = list((a - b).elements()), list((b - a).elements())
    return (f"{len(only_a)} rows only at {BASE_COMMIT}, e.g. {sorted(map(str, only_a))[:limit]}; "
            f"{len(only_b)} only in the working tree, e.g. {sorted(map(str, only_b))[:limit]}")


@pytest.mark.slow
def test_main_job_gives_the_same_store_and_report_as_the_base_commit(tmp_path):
    data = require_shared("datasets").resolve()
    base_db, base_report = _main_job(_base_tree(tmp_path), data, tmp_path / "base-run")
    head_db, head_report = _main_job(REPO, data, tmp_path / "head-run")
    with duckdb.connect(str(base_db), read_only=True) as base, duckdb.connect(str(head_db), read_only=True) as head:
        base_tables, head_tables = _tables(base), _tables(head)
        assert base_tables == head_tables, "the two stores have different tables or columns"
        differing = {}
        for table, columns in base_tables.items():
            a, b = _rows(base, table, columns), _rows(head, table, columns)
            if a != b:
                differing[table] = _difference(a, b)
        assert head.execute("select count(*) from flows").fetchall()[0][0] > 10_000  # the real data ran
    assert not differing, "tables differ:\n" + "\n".join(f"{t}: {d}" for t, d in differing.items())
    assert _without(base_report, VOLATILE_REPORT_KEYS) == _without(head_report, VOLATILE_REPORT_KEYS)


def test_a_base_commit_missing_from_the_clone_fails_saying_so(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "BASE_COMMIT", "0" * 40)
    with pytest.raises(pytest.fail.Exception, match=r"not in this clone \(a shallow clone\?\): run `git fetch"):
        _base_tree(tmp_path)
