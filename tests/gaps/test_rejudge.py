"""Issue 11, item 4 and Verify: a new policy version re-judges the stored flows; the verdicts that change class are
recorded with the sentences that made the difference, reported one per line, and match `gaps --as-of`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policycheck import config, exitcodes, ontology, store
from policycheck.cli import app
from policycheck.flows.ingest import IngestOptions, ingest
from policycheck.gaps.classify import gap_rows
from policycheck.gaps.rejudge import pending_changes, recorded_changes, rejudge, verdict_class
from policycheck.reports.changes import claim_delta
from tests.conftest import require_shared, workspace
from tests.gaps.conftest import WECHAT, WEIXIN

PROFILES = Path(__file__).parents[1] / "profiles"
LINE = re.compile(r"^verdict changed: (?P<doc>\S+) v(?P<old>\d+) -> v(?P<new>\d+): (?P<recipient>\S+) / "
                  r"(?P<data_type>\S+) / (?P<feature>\S+) / (?P<scenario>\S+): (?P<from>\w+) -> (?P<to>\w+): "
                  r"the new text (?:says|no longer says) \".+\"")


def _change(con, version_effective: str, previous: int | None, version: int, when: str) -> None:
    con.execute("insert into changes values ((select coalesce(max(change_id), 0) + 1 from changes), ?, ?, ?, ?, 0)",
                [WECHAT, when, previous, version])


def test_rejudge_records_class_changes_with_the_deciding_sentences(store):
    """Hand-made store: v1 says the platform collects the device model (clear), v2 no longer does (omitted)."""
    con = store.con
    v1 = store.version(WECHAT, "2023-01-01")
    v2 = store.version(WECHAT, "2024-01-01")
    store.claim(v1, "wechat", "collect", "device_model")
    con.execute("update claims set sentence = 'We collect your device model.'")
    _change(con, "2023-01-01", None, v1, "2023-01-01")
    assert rejudge(con).waiting == 1  # no flows yet: the event waits for them
    store.observe("device_model", "moments", scenario="post")
    _change(con, "2024-01-01", v1, v2, "2024-01-01")

    result = rejudge(con)
    assert [r["note"] for r in result.judged] == ["first version of the document: nothing to compare", None]
    [change] = result.changes
    assert (change.from_class, change.to_class, change.removed_sentences, change.added_sentences) == (
        "clear", "omitted", ["We collect your device model."], [])
    assert change.line() == (f"{WECHAT} v{v1} -> v{v2}: wechat / device_model / moments / post: clear -> omitted: "
                             'the new text no longer says "We collect your device model."')
    stored = con.execute("select from_class, to_class, removed_sentences from verdict_changes").fetchall()
    assert stored == [("clear", "omitted", ["We collect your device model."])]
    assert pending_changes(con) == [] and rejudge(con).judged == []  # each event is judged once


def test_a_version_that_starts_handing_a_feature_over_is_a_change_to_handed_off(store):
    """v1 names no feature operated by Weixin (Channels judged under it: clear); v2 hands them over (a scope
    exclusion of weixin_features): the row becomes handed_off, recorded as such (its deciding claims are then the
    Weixin guidelines', none here)."""
    con = store.con
    v1 = store.version(WECHAT, "2023-01-01")
    v2 = store.version(WECHAT, "2024-01-01")
    store.version(WEIXIN, "2026-08-17")
    store.claim(v1, "wechat", "collect", "device_model", sentence="We collect your device model.")
    store.claim(v2, "wechat", "collect", "device_model", sentence="We collect your device model.")
    store.claim(v2, "weixin", "collect", "personal_information", context="weixin_features", scope="excluded",
                role="affiliate", sentence="Features operated by Weixin are subject to the Weixin guidelines.")
    store.observe("device_model", "channels", scenario="browse")
    _change(con, "2023-01-01", None, v1, "2023-01-01")
    _change(con, "2024-01-01", v1, v2, "2024-01-01")
    [change] = rejudge(con).changes
    assert (change.feature, change.from_class, change.to_class) == ("channels", "clear", "handed_off")
    # both versions say they collect the device model: the new text did not drop it, it no longer decides
    assert change.removed_sentences == []
    # the sentence that hands the feature over is what the new text says
    assert change.added_sentences == ["Features operated by Weixin are subject to the Weixin guidelines."]
    assert change.line().endswith('the new text says "Features operated by Weixin are subject to the Weixin '
                                  'guidelines."')


def test_hand_off_sentences_are_cited_most_specific_first_and_when_dropped(store):
    """v2 hands Channels over twice (an exclusion naming Channels itself, one naming features operated by Weixin):
    the change to handed_off cites the one naming Channels first. v3 drops both: the change back from handed_off
    says the new text no longer says them (a claim about the feature's parent is cited after the feature's)."""
    con = store.con
    v1, v2, v3 = (store.version(WECHAT, day) for day in ("2023-01-01", "2024-01-01", "2025-01-01"))
    store.version(WEIXIN, "2026-08-17")
    for v in (v1, v2, v3):
        store.claim(v, "wechat", "collect", "device_model", sentence="We collect your device model.")
    general = store.claim(v2, "weixin", "collect", "personal_information", context="weixin_features",
                          scope="excluded", role="affiliate", sentence="Features operated by Weixin follow Weixin's "
                                                                       "guidelines.")
    specific = store.claim(v2, "weixin", "collect", "personal_information", context="channels", scope="excluded",
                           role="affiliate", sentence="Channels is operated by Weixin under its own terms.")
    store.observe("device_model", "channels", scenario="browse")
    for previous, version, day in ((None, v1, "2023-01-01"), (v1, v2, "2024-01-01"), (v2, v3, "2025-01-01")):
        _change(con, day, previous, version, day)
    to_handed_off, back = rejudge(con).changes
    assert (to_handed_off.from_class, to_handed_off.to_class) == ("clear", "handed_off")
    assert to_handed_off.added_sentences == ["Channels is operated by Weixin under its own terms.",
                                             "Features operated by Weixin follow Weixin's guidelines."]
    assert to_handed_off.to_claim_ids[:2] == [specific, general]
    assert (back.from_class, back.to_class) == ("handed_off", "clear")
    assert back.removed_sentences == to_handed_off.added_sentences
    assert back.added_sentences == []  # every version says it: not added by v3 (it decides again)


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """The 2023 captures ingested, then the WeChat archive imported oldest first with the CLI (which extracts the
    new versions' claims and re-judges every change)."""
    tmp = tmp_path_factory.mktemp("rejudge")
    db = tmp / "store.duckdb"
    onto = ontology.load(config.mappings_dir())
    con = store.connect(db)
    ontology.write(con, onto)
    logs = require_shared("datasets", "citizenlab-wechat-2023")
    ingest(workspace(con, onto), [logs], IngestOptions(profile=PROFILES / "citizenlab-2023.yaml"))
    con.close()
    archive = require_shared("datasets", "policies", "wechat-privacy-policy")
    result = CliRunner().invoke(app, ["import-archive", str(archive), "--db", str(db)], env={"COLUMNS": "250"})
    return result, db


@pytest.fixture
def stored(imported):
    """An open connection to the imported store (closed after the test, so the CLI can open the file)."""
    result, db = imported
    con = store.connect(db)
    yield con, result, db
    con.close()


def test_archive_import_rejudges_each_change_and_reports_one_line_per_verdict(stored):
    con, result, _db = stored
    assert result.exit_code == exitcodes.VERDICTS_CHANGED, result.output
    recorded = con.execute("select change_id, document_id, from_version_id, to_version_id, recipient, data_type, "
                           "feature, scenario, from_class, to_class from verdict_changes").fetchall()
    lines = [line for line in result.stdout.splitlines() if line.startswith("verdict changed: ")]
    assert len(lines) == len(recorded) > 0
    for line in lines:
        assert LINE.match(line), line
    judged = con.execute("select count(*), count(*) filter (where note like 'first version%') "
                         "from rejudged_changes").fetchall()[0]
    assert judged == (con.execute("select count(*) from changes").fetchall()[0][0], 1)
    assert pending_changes(con) == []


def test_recorded_history_matches_gaps_as_of(stored):
    """For every re-judged change, the rows whose class differs between `gaps --as-of` at the old and the new
    version's date are exactly the recorded ones, with the same classes."""
    con, _result, _db = stored
    events = con.execute("select change_id, as_of_before, as_of_after from rejudged_changes "
                         "where as_of_before is not null order by change_id").fetchall()
    assert len(events) == 19
    recorded = {}
    for cid, *key, old, new in con.execute("select change_id, recipient, data_type, feature, scenario, from_class, "
                                           "to_class from verdict_changes").fetchall():
        recorded.setdefault(cid, {})[tuple(key)] = (old, new)
    days = {}
    for change_id, before, after in events:
        for day in (before, after):
            if day not in days:
                days[day] = {(r["recipient"], r["data_type"], r["feature"], r["scenario"]): verdict_class(r)
                             for r in gap_rows(con, as_of=day) if r["governing_document"] == "wechat-privacy-policy"}
        expected = {k: (days[before][k], days[after][k]) for k in days[after] if days[before][k] != days[after][k]}
        assert recorded.get(change_id, {}) == expected, change_id
    assert len(recorded) >= 3  # the 2023 captures change class at several versions of the policy


def test_verdicts_move_only_where_the_claims_move(stored):
    """Not a restatement of the rule above: a change whose versions state the same data practices changes no
    verdict, and the sentences a changed verdict quotes as new are the new version's."""
    con, _result, _db = stored
    for cid, old, new, changed in con.execute("select change_id, from_version_id, to_version_id, verdicts_changed "
                                              "from rejudged_changes where from_version_id is not null").fetchall():
        claims = [con.execute("select actor, action, negated, data_type, context, recipient, scope, sentence "
                              "from claims where version_id = ?", [v]).fetchall() for v in (old, new)]
        keys = ("actor", "action", "negated", "data_type", "context", "recipient", "scope", "sentence")
        added, removed = claim_delta(*[[dict(zip(keys, c, strict=True)) for c in side] for side in claims])
        if not added and not removed:
            assert changed == 0, cid
    for to_version, added in con.execute("select to_version_id, added_sentences from verdict_changes").fetchall():
        said = {r[0] for r in con.execute("select sentence from claims where version_id = ?", [to_version]).fetchall()}
        assert set(added) <= said


def test_changes_command_shows_diff_claims_and_verdicts(imported):
    _result, db = imported
    con = store.connect(db, read_only=True)
    cid, old, new, count = con.execute("select change_id, from_version_id, to_version_id, verdicts_changed "
                                       "from rejudged_changes order by verdicts_changed desc limit 1").fetchall()[0]
    day, data_type = con.execute("select r.as_of_after, v.data_type from verdict_changes v "
                                 "join rejudged_changes r using (change_id) where change_id = ? limit 1",
                                 [cid]).fetchall()[0]
    wanted = con.execute("select recipient, feature, scenario, to_class from verdict_changes where change_id = ? "
                         "and data_type = ?", [cid, data_type]).fetchall()
    con.close()
    runner = CliRunner()
    shown = runner.invoke(app, ["changes", WECHAT, "--change", str(cid), "--db", str(db)])
    assert shown.exit_code == 0, shown.output
    out = shown.stdout
    assert f"change {cid} observed" in out and f"version {old} (" in out and f"-> version {new} (" in out
    assert f"verdicts: {count} of " in out and out.count(f" v{old} -> v{new}: ") == count
    assert re.search(r"^text: \d+ line\(s\) changed, \d+ added, \d+ removed; claims: \d+ added, \d+ removed$",
                     out, re.M)
    assert re.search(r"^~ .*(\[-.+-\]|\{\+.+\+\})", out, re.M)  # word-level marks in a changed line
    unknown = runner.invoke(app, ["changes", "no-such-doc", "--db", str(db)])  # main() turns it into exit 2
    assert str(unknown.exception) == f"no-such-doc: no such document (known: {WECHAT})"
    # `gaps --as-of` on the command line agrees with the recorded changes of one data type
    listed = runner.invoke(app, ["gaps", "--as-of", str(day), "--data-type", data_type, "--format", "json",
                                 "--db", str(db)])
    assert listed.exit_code == 0, listed.output
    by_key = {(r["recipient"], r["feature"], r["scenario"]): verdict_class(r) for r in json.loads(listed.stdout)
              if r["data_type"] == data_type and r["governing_document"] == "wechat-privacy-policy"}
    assert wanted and all(by_key[(r, f, s)] == cls for r, f, s, cls in wanted)
    again = runner.invoke(app, ["rejudge", "--db", str(db)])
    assert again.exit_code == exitcodes.OK and "verdict changed" not in again.stdout


def _stated(con, version_id):
    return {r[0] for r in con.execute("select distinct sentence from claims where version_id = ?",
                                      [version_id]).fetchall()}


def test_recorded_sentences_are_ones_the_texts_differ_in(stored):
    """On the real archive the 2024-12-16 change (the UIN row added) recorded 'Registration data and log in data'
    as removed and the 2025-12-18 change (the UIN row gone) recorded it as added, and mailed 'the new text says
    "Registration data ..."' as the reason the UIN became vague; every text from 2023-06-01 on states that
    sentence. A recorded added sentence is one the old text does not state, a removed one one the new text does
    not state, and the mailed line of a loss quotes what the new text no longer says."""
    con, _result, _db = stored
    changes = con.execute("select change_id, from_version_id, to_version_id, from_class, to_class, data_type, "
                          "added_sentences, removed_sentences from verdict_changes").fetchall()
    assert changes
    for cid, old, new, _from, _to, _type, added, removed in changes:
        assert not set(added) & _stated(con, old), cid
        assert not set(removed) & _stated(con, new), cid
    for (old_class, new_class), says in ((("clear", "vague"), "no longer says"), (("vague", "clear"), "says")):
        moved = {c[0] for c in changes if (c[3], c[4], c[5]) == (old_class, new_class, "internal_user_id")}
        assert moved, (old_class, new_class)
        for cid in moved:  # the UIN row, not the row's "we use this information to display ... advertising"
            change = next(c for c in recorded_changes(con, [cid])[cid] if c.data_type == "internal_user_id")
            assert f'the new text {says} "Country/Region Data unique identifier number (UIN)' in change.line()


def test_changes_command_quotes_a_surplus_practice_with_a_sentence_the_old_text_lacks(stored):
    """`changes` listed '+ wechat collect region: "Registration data and log in data ..."' for the 2024-12-16
    version, a sentence both texts state: the extra practice comes from the new UIN row. On every change of the
    real archive, a practice a version states more often is shown with a sentence the other version lacks
    whenever the version has enough such sentences stating it."""
    con, _result, _db = stored
    keys = ("actor", "action", "negated", "data_type", "context", "recipient", "scope", "sentence")
    checked = 0
    for old, new in con.execute("select from_version_id, to_version_id from changes "
                                "where from_version_id is not null").fetchall():
        sides = [[dict(zip(keys, c, strict=True)) for c in con.execute(
            f"select {', '.join(keys)} from claims where version_id = ? order by claim_id", [v]).fetchall()]
            for v in (old, new)]
        added, removed = claim_delta(*sides)
        for shown, own, other in ((added, sides[1], sides[0]), (removed, sides[0], sides[1])):
            other_text = {c["sentence"] for c in other}
            for claim in shown:
                practice = [k for k in keys if k != "sentence"]
                fresh = [c for c in own if c["sentence"] not in other_text
                         and all(c[k] == claim[k] for k in practice)]
                same = [c for c in shown if all(c[k] == claim[k] for k in practice)]
                if claim["sentence"] in other_text:
                    assert len(fresh) < len(same), (old, new, claim)
                checked += 1
    assert checked > 100
