"""Re-judging on change: when a document gets a new current version, judge the stored flows again.

A *change event* (``changes`` row: document D moved from version A to version B) is re-judged once, the first
time the store holds observed flows after the event was recorded (``scrape``, ``import-archive``, ``run`` and
``rejudge`` all do it, after extracting the claims of new versions). Re-judging compares, for every gap row
governed by D's policy (``governing_document`` = the policy of D) or seen on an account of it (``account_policy``:
a version may start or stop handing a feature over to another policy), its class when every flow is judged at the
date A was in force and at the date B is in force — ``valid_from`` of ``version_validity``, exactly what
``policycheck gaps --as-of DATE`` shows for those dates. The verdicts come from
:func:`policycheck.gaps.classify.rows_at` only (``gap_rows`` with ``as_of``, every date in one evaluation). The
*class* of a row is its disclosure class, or for a handed-off row the verdict under the governing policy (a row
that becomes or stops being handed off changes from or to ``handed_off``).

Every row whose class changed is recorded in ``verdict_changes`` with the deciding sentences whose wording the
new text has and the old text lacks (``added_sentences``) and the reverse (``removed_sentences``): a sentence both
versions state, which decides only one of the verdicts (a more specific one now decides, or the row is handed over),
is in neither list (the claim ids say what decided); each re-judged event
gets a ``rejudged_changes`` row (figures, dates, or a note saying why nothing was compared: the first version
of a document). For a policy published in several languages the versions of the other languages in force at
those dates take part too, as in ``gaps --as-of``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import duckdb

from policycheck.gaps.classify import handoff_claims, rows_at
from policycheck.store import fetch_dicts, insert_arrow, transaction

Key = tuple[str, str, str, str]  # recipient, data_type, feature, scenario
SHORT = 160  # characters of a sentence quoted in a one-line summary


@dataclass
class VerdictChange:
    """One gap row whose class changed at a change event (a ``verdict_changes`` row)."""

    change_id: int
    document_id: str
    from_version_id: int | None
    to_version_id: int
    recipient: str
    data_type: str
    feature: str
    scenario: str
    from_class: str
    to_class: str
    from_label: str | None = None
    to_label: str | None = None
    added_sentences: list[str] = field(default_factory=list)
    removed_sentences: list[str] = field(default_factory=list)
    from_claim_ids: list[int] = field(default_factory=list)
    to_claim_ids: list[int] = field(default_factory=list)

    def line(self) -> str:
        """One line for a cron mail: where, which row, old -> new class, and the sentence that made it: one the
        new text no longer says first when the change discloses less (:func:`explained_by_dropped`), else one it
        newly says."""
        head = (f"{self.document_id} v{self.from_version_id} -> v{self.to_version_id}: {self.recipient} / "
                f"{self.data_type} / {self.feature} / {self.scenario}: {self.from_class} -> {self.to_class}")
        sides = [("the new text says", self.added_sentences), ("the new text no longer says", self.removed_sentences)]
        if explained_by_dropped(self.from_class, self.to_class):
            sides.reverse()
        for says, sentences in sides:
            if sentences:
                more = f" (+{len(sentences) - 1} more)" if len(sentences) > 1 else ""
                return f'{head}: {says} "{_short(sentences[0])}"{more}'
        return f"{head}: every deciding sentence is in both versions"


@dataclass
class RejudgeResult:
    """What :func:`rejudge` did: the events judged (``rejudged_changes`` rows as dicts), the verdict changes,
    and how many events still wait for flows."""

    judged: list[dict[str, Any]] = field(default_factory=list)
    changes: list[VerdictChange] = field(default_factory=list)
    waiting: int = 0


def _short(sentence: str) -> str:
    flat = " ".join(sentence.split())
    return flat if len(flat) <= SHORT else flat[:SHORT - 1] + "…"


def verdict_class(row: dict[str, Any]) -> str:
    """The class a gap row is compared by: its disclosure, or for a handed-off row the verdict under the
    governing policy."""
    return row["handoff_verdict"] if row["disclosure"] == "handed_off" else row["disclosure"]


def _classes(old: dict[str, Any], new: dict[str, Any]) -> tuple[str, str]:
    """The classes a row changed between (equal when it did not): :func:`verdict_class` of each, except when a
    version starts or stops handing the row's feature over to another policy, which is itself the change
    (``vague`` -> ``handed_off``)."""
    if (old["disclosure"] == "handed_off") != (new["disclosure"] == "handed_off"):
        return old["disclosure"], new["disclosure"]
    return verdict_class(old), verdict_class(new)


def _label(row: dict[str, Any]) -> str | None:
    return row["handoff_label"] if row["disclosure"] == "handed_off" else row["label"]


def pending_changes(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Change events not re-judged yet, oldest first: dicts with change_id, document_id, policy_id,
    from_version_id, to_version_id, observed_at."""
    return fetch_dicts(con, """
        select c.change_id, c.document_id, d.policy_id, c.from_version_id, c.to_version_id, c.observed_at
        from changes c join documents d using (document_id)
        where c.change_id not in (select change_id from rejudged_changes)
        order by c.observed_at, c.change_id""")


class _Sentences:
    """Distinct sentences of a list of claims, in the list's order (deciding claims come most specific
    first), looked up once per list."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self._seen: dict[tuple[int, ...], list[str]] = {}
        self.stated: dict[int, frozenset[str]] = {}  # version id -> the wording of its sentences

    def in_versions(self, version_ids: Iterable[int]) -> frozenset[str]:
        """The wording of every sentence these versions state (:func:`version_sentences`)."""
        return version_sentences(self.con, version_ids, self.stated)

    def of(self, claim_ids: list[int], naming: str | None = None) -> list[str]:
        """The sentences in deciding order; with ``naming`` (a data type), those with a claim about it whose
        own words name its data phrase first (a table row's "Country/Region Data unique identifier number (UIN)
        ..." before the row's "we use this information ...")."""
        key = (tuple(claim_ids), naming)
        if key not in self._seen:
            found = {c["claim_id"]: (c["sentence"], c["data_type"] == naming and names_its_data(c))
                     for c in fetch_dicts(self.con, "select claim_id, sentence, data_type, data_text from claims "
                                                    "where list_contains(?, claim_id)", [list(claim_ids)])
                     } if claim_ids else {}
            named = {found[c][0] for c in claim_ids if c in found and found[c][1]}
            ordered = list(dict.fromkeys(found[c][0] for c in claim_ids if c in found))
            self._seen[key] = sorted(ordered, key=lambda sentence: sentence not in named)
        return self._seen[key]


def names_its_data(claim: Mapping[str, Any]) -> bool:
    """Whether a claim's sentence itself contains its data phrase (not one inherited from a table row's
    heading or a previous sentence); ``claim``: its ``sentence`` and ``data_text``."""
    text = claim["data_text"]
    return bool(text) and text.lower() in claim["sentence"].lower()


# how much a class says the policy discloses; a change down this scale is explained by what the policy dropped
_DISCLOSES = {"clear": 3, "vague": 2, "omitted": 1}
_DENIES = frozenset({"incorrect", "ambiguous"})  # classes that rest on a denial or an exclusion


def explained_by_dropped(old_class: str, new_class: str) -> bool:
    """Whether a class change is explained by what the new version dropped rather than added: it discloses less
    (clear -> vague -> omitted), or a denial or exclusion went with nothing in its place (incorrect -> omitted)."""
    if new_class in _DISCLOSES:
        return _DISCLOSES[new_class] < _DISCLOSES.get(old_class, 0) or (
            old_class in _DENIES and new_class == "omitted")
    return False


def version_sentences(con: duckdb.DuckDBPyConnection, version_ids: Iterable[int],
                      cache: dict[int, frozenset[str]] | None = None) -> frozenset[str]:
    """The wording of every sentence the given versions state a claim in (``claims.sentence``), for telling a
    sentence a new version added or dropped from one both versions state. ``cache``: version id -> its
    sentences, filled as versions are read."""
    cache = {} if cache is None else cache
    missing = sorted({v for v in version_ids if v is not None and v not in cache})
    for v in missing:
        cache[v] = frozenset()
    if missing:
        for v, sentences in con.execute("select version_id, list(distinct sentence) from claims "
                                        "where list_contains(?, version_id) group by version_id",
                                        [missing]).fetchall():
            cache[v] = frozenset(sentences)
    return frozenset().union(*(cache[v] for v in version_ids if v is not None))


class _Verdicts:
    """Gap rows per ``as_of`` date, by policy and key: every date the events need, judged in one evaluation."""

    def __init__(self, con: duckdb.DuckDBPyConnection, days: list[date]) -> None:
        self._days = rows_at(con, days)

    def at(self, day: date, policy_id: str) -> dict[Key, dict[str, Any]]:
        """The rows a change of ``policy_id`` can move: those it governs, and those of its accounts that it may
        hand over to another policy (whether it does depends on the version: ``handoff_statements``)."""
        return {(r["recipient"], r["data_type"], r["feature"], r["scenario"]): r
                for r in self._days[day] if policy_id in (r["governing_document"], r["account_policy"])}


def _deciding(con: duckdb.DuckDBPyConnection, row: dict[str, Any], day: date, policy_id: str,
              handoffs: dict[tuple[str, date], list[int]]) -> list[int]:
    """The claims that decide a row's class at ``day``: for a row handed off by ``policy_id`` (the changed
    policy is the account's), the statements handing its feature over come first (:func:`~policycheck.gaps.
    classify.handoff_claims`), then the claims of its verdict under the governing policy."""
    ids = list(row["claim_ids"])
    if row["disclosure"] != "handed_off" or row["account_policy"] != policy_id:
        return ids
    key = (row["feature"], day)
    if key not in handoffs:
        handoffs[key] = handoff_claims(con, policy_id, row["feature"], day)
    return handoffs[key] + [c for c in ids if c not in handoffs[key]]


def _naming(row: dict[str, Any], data_type: str) -> str | None:
    """The data type whose naming sentences come first among a row's deciding sentences: none for a handed-off
    row (the sentences handing its feature over come first)."""
    return None if row["disclosure"] == "handed_off" else data_type


def _compare(sentences: _Sentences, event: dict[str, Any], before: dict[Key, dict[str, Any]],
             after: dict[Key, dict[str, Any]], days: tuple[date, date]) -> list[VerdictChange]:
    """The rows of ``after`` whose class differs from ``before`` (the changed policy judged at ``days``: the
    dates the old and the new version are in force), with the deciding sentences each side lacks."""
    out = []
    handoffs: dict[tuple[str, date], list[int]] = {}
    for key, new in sorted(after.items()):
        old = before.get(key)
        if old is None:
            continue
        from_class, to_class = _classes(old, new)
        if from_class == to_class:
            continue
        old_ids = _deciding(sentences.con, old, days[0], event["policy_id"], handoffs)
        new_ids = _deciding(sentences.con, new, days[1], event["policy_id"], handoffs)
        # by wording against the whole texts: a sentence both versions state was neither added nor dropped
        old_text = sentences.in_versions([*old["version_ids"], event["from_version_id"]])
        new_text = sentences.in_versions([*new["version_ids"], event["to_version_id"]])
        out.append(VerdictChange(
            event["change_id"], event["document_id"], event["from_version_id"], event["to_version_id"], *key,
            from_class, to_class, _label(old), _label(new),
            [s for s in sentences.of(new_ids, _naming(new, key[1])) if s not in old_text],
            [s for s in sentences.of(old_ids, _naming(old, key[1])) if s not in new_text], old_ids, new_ids))
    return out


def rejudge(con: duckdb.DuckDBPyConnection) -> RejudgeResult:
    """Re-judge every pending change event (see the module docstring) and record the outcome.

    Input: an open, writable store whose new versions have their claims extracted (re-judging a version
    without claims would judge everything omitted). Output: a :class:`RejudgeResult`. Nothing is recorded while
    the store holds no observations: the events wait for the first flows. Raises nothing of its own;
    DuckDB errors propagate (the transaction is rolled back).
    """
    pending = pending_changes(con)
    result = RejudgeResult()
    if not pending:
        return result
    if not con.execute("select count(*) from observations").fetchall()[0][0]:
        result.waiting = len(pending)
        return result
    valid_from = dict(con.execute("select version_id, valid_from from version_validity").fetchall())
    days = [valid_from[v] for e in pending for v in (e["from_version_id"], e["to_version_id"])
            if v is not None and valid_from.get(v) is not None]
    verdicts, sentences = _Verdicts(con, days), _Sentences(con)
    now = datetime.now(UTC).replace(tzinfo=None)
    for event in pending:
        row: dict[str, Any] = {"change_id": event["change_id"], "document_id": event["document_id"],
                               "from_version_id": event["from_version_id"], "to_version_id": event["to_version_id"],
                               "as_of_before": None, "as_of_after": valid_from.get(event["to_version_id"]),
                               "rows_judged": 0, "verdicts_changed": 0, "rejudged_at": now, "note": None}
        after_day = row["as_of_after"]
        after = verdicts.at(after_day, event["policy_id"]) if after_day else {}
        row["rows_judged"] = len(after)
        if event["from_version_id"] is None:
            row["note"] = "first version of the document: nothing to compare"
        elif event["from_version_id"] == event["to_version_id"]:
            row["note"] = "same version"
        else:
            row["as_of_before"] = valid_from.get(event["from_version_id"])
            before = verdicts.at(row["as_of_before"], event["policy_id"])
            if before and not any(event["from_version_id"] in r["version_ids"] for r in before.values()):
                row["note"] = (f"version {event['from_version_id']} is not the one in force on "
                               f"{row['as_of_before']} (version_validity); compared with the version that is")
            changed = _compare(sentences, event, before, after, (row["as_of_before"], after_day))
            row["verdicts_changed"] = len(changed)
            result.changes.extend(changed)
        result.judged.append(row)
    with transaction(con):
        insert_arrow(con, "rejudged_changes", result.judged)
        if result.changes:
            insert_arrow(con, "verdict_changes", [vars(c) for c in result.changes])
    return result


def recorded_changes(con: duckdb.DuckDBPyConnection, change_ids: list[int]) -> dict[int, list[VerdictChange]]:
    """The verdict changes recorded for these change events, by change id (rows ordered by key)."""
    rows = fetch_dicts(con, "select * from verdict_changes where list_contains(?, change_id) "
                            "order by change_id, recipient, data_type, feature, scenario", [change_ids])
    out: dict[int, list[VerdictChange]] = {}
    for r in rows:
        out.setdefault(r["change_id"], []).append(VerdictChange(**r))
    return out
