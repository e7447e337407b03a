"""How the claim extractor does on other companies' policies: OPP-115 first-party collection.

OPP-115 (Wilson et al., "The Creation and Analysis of a Website Privacy Policy Corpus", ACL 2016) annotates
115 website privacy policies segment by segment. The development half in ``../shared/datasets/opp115-dev/``
(see its README) gives, per segment, the "Personal Information Type" values the majority of annotators gave to
a *First Party Collection/Use* practice with "Does" (``labels.jsonl``: ``policy, date, segment, text,
categories, no_first_party``). :func:`evaluate_opp115` imports each policy as its site's own document (the
site is the first party: "we" and the site's name resolve to it), extracts claims exactly as
``policycheck extract`` does, places each claim in the segment holding its sentence, and reads the two
figures that README defines:

- recall of first-party collection, per OPP-115 type and over all (segment, type) pairs: the share of labelled
  pairs for which the segment has a non-negated first-party ``collect`` claim whose data type belongs to the
  type (``mappings/opp115.yaml``: OPP-115 type -> ontology data types);
- segment precision: the share of non-negated first-party ``collect`` claims (distinct segment, sentence and
  data type) that fall in segments carrying a first-party label (``no_first_party`` false).
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from policycheck import store
from policycheck.claims import pipeline
from policycheck.errors import PolicycheckError
from policycheck.events import Events, Progressed
from policycheck.ontology import Ontology
from policycheck.policies.archive import import_archive
from policycheck.workspace import Workspace
from policycheck.yamlfile import Names, load_model

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Segment:
    """One OPP-115 segment: its text, the first-party collection types it carries, and whether any annotator
    marked a first-party practice in it."""

    policy: str
    index: int
    text: str
    categories: tuple[str, ...]
    no_first_party: bool


@dataclass
class TypeMap:
    """OPP-115 "Personal Information Type" -> ontology data types. ``with_descendants``: ids whose whole subtree
    belongs to the type; ``exact``: ids that belong only themselves (the root ``personal_information``)."""

    with_descendants: dict[str, tuple[str, ...]]
    exact: dict[str, tuple[str, ...]]

    @property
    def types(self) -> list[str]:
        return list(self.with_descendants)

    def belongs(self, onto: Ontology, data_type: str, opp_type: str) -> bool:
        if data_type in self.exact.get(opp_type, ()):
            return True
        return any(onto.is_a("data_type", data_type, t) for t in self.with_descendants.get(opp_type, ()))


@dataclass
class Opp115Result:
    """Figures of one evaluation run. ``pairs``/``hits``: labelled (segment, type) pairs and those found, per type;
    ``claims``/``claims_in_labelled``: distinct first-party collection claims and those in segments with a
    first-party label; ``missing``: policies that yielded no version (e.g. quarantined as near-empty)."""

    policies: int = 0
    segments: int = 0
    pairs: Counter[str] = field(default_factory=Counter)
    hits: Counter[str] = field(default_factory=Counter)
    claims: int = 0
    claims_in_labelled: int = 0
    unplaced: int = 0  # claims whose sentence lies in no segment (text the import joined across segments)
    missing: list[str] = field(default_factory=list)

    def recall(self, opp_type: str | None = None) -> float:
        pairs = sum(self.pairs.values()) if opp_type is None else self.pairs[opp_type]
        hits = sum(self.hits.values()) if opp_type is None else self.hits[opp_type]
        return hits / pairs if pairs else 1.0

    @property
    def segment_precision(self) -> float:
        return self.claims_in_labelled / self.claims if self.claims else 1.0


class TypeEntry(BaseModel):
    """One OPP-115 type of ``opp115.yaml``: data type ids with their descendants, and ids that count only as
    themselves."""

    model_config = ConfigDict(extra="forbid")

    data_types: Names = []
    exact: Names = []


class TypeMapFile(BaseModel):
    """``mappings/opp115.yaml``."""

    model_config = ConfigDict(extra="forbid")

    types: dict[str, TypeEntry]


def load_type_map(path: Path, onto: Ontology) -> TypeMap:
    """Read ``mappings/opp115.yaml`` (``types: {OPP-115 type: {data_types: [...], exact: [...]}}``, validated by
    :class:`TypeMapFile`).

    Raises :class:`PolicycheckError` naming the file, line and field for an unknown data type id or a malformed entry.
    """
    data, doc = load_model(path, TypeMapFile, "OPP-115 type mapping")
    for name, entry in data.types.items():
        for key in ("data_types", "exact"):
            unknown = [i for i in getattr(entry, key) if i not in onto.data_types]
            if unknown:
                raise doc.fail(["types", name, key], f"unknown data type id(s) {unknown}")
    return TypeMap({name: tuple(e.data_types) for name, e in data.types.items()},
                   {name: tuple(e.exact) for name, e in data.types.items()})


def load_segments(folder: Path) -> dict[str, list[Segment]]:
    """``labels.jsonl`` of an OPP-115 folder -> ``{policy: [segments in order]}``. Raises
    :class:`PolicycheckError` naming the file and line for a malformed line."""
    path = folder / "labels.jsonl"
    out: dict[str, list[Segment]] = {}
    try:
        lines = path.read_bytes().splitlines()
    except OSError as exc:
        raise PolicycheckError(path, f"cannot read the OPP-115 labels: {exc.strerror or exc}") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line.decode("utf-8"))
            segment = Segment(str(row["policy"]), int(row["segment"]), str(row["text"]),
                              tuple(row["categories"]), bool(row["no_first_party"]))
        except UnicodeDecodeError as exc:
            raise PolicycheckError(path, f"malformed label line: not UTF-8 (byte {exc.start})", line=n) from exc
        except RecursionError as exc:
            raise PolicycheckError(path, "malformed label line: nested too deeply", line=n) from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise PolicycheckError(path, f"malformed label line: {str(exc)[:200]}", line=n) from exc
        out.setdefault(segment.policy, []).append(segment)
    for segments in out.values():
        segments.sort(key=lambda s: s.index)
    return out


def _compact(text: str) -> tuple[str, list[int]]:
    """``text`` without whitespace, and for each kept character its offset in ``text``."""
    kept = [(i, c) for i, c in enumerate(text) if not c.isspace()]
    return "".join(c for _, c in kept), [i for i, _ in kept]


def segment_spans(version_text: str, segments: list[Segment]) -> list[tuple[int, int]]:
    """Character spans of the segments in the stored version text, found in order ignoring whitespace (the
    import may join a title line with the next segment); ``(-1, -1)`` for a segment not found."""
    compact, offsets = _compact(version_text)
    spans: list[tuple[int, int]] = []
    pos = 0
    for s in segments:
        needle = _SPACES.sub("", s.text)
        at = compact.find(needle, pos) if needle else -1
        if at < 0:
            spans.append((-1, -1))
            continue
        end = at + len(needle)
        spans.append((offsets[at], offsets[end - 1] + 1))
        pos = end
    return spans


HALVES = ("all", "tune", "check")


def _numeric_id(policy: str) -> tuple[int, str]:
    head = policy.split("_", 1)[0]
    return (int(head) if head.isdigit() else -1, policy)


def half_of(policies: list[str], half: str) -> list[str]:
    """The policies of one half of the development split, by a rule fixed before any figure was read (issue 9
    round 6): sorted by numeric OPP-115 id, the 1st, 3rd, 5th ... policy are the ``tune`` half and the 2nd, 4th
    ... the ``check`` half (30 + 30 of the 60); ``all`` keeps every policy. The check half stands in for the
    hidden other half of OPP-115: only its aggregate figures are read, never its segments or errors.

    Raises :class:`ValueError` for another half name.
    """
    if half not in HALVES:
        raise ValueError(f"unknown half {half!r} (expected one of {', '.join(HALVES)})")
    ordered = sorted(policies, key=_numeric_id)
    if half == "all":
        return ordered
    return ordered[0 if half == "tune" else 1::2]


def site_of(policy: str) -> str:
    """The site a policy folder is named after: ``1034_aol.com`` -> ``aol.com``."""
    return policy.split("_", 1)[1] if "_" in policy else policy


def evaluate_opp115(folder: Path, onto: Ontology, type_map: TypeMap, policies: list[str] | None = None,
                    db: Path | None = None, events: Events | None = None) -> Opp115Result:
    """Import, extract and score OPP-115 policies (see the module docstring).

    Inputs: the OPP-115 folder (``labels.jsonl`` + ``policies/<id>_<site>/``); the ontology; the type mapping;
    optionally the policy ids to use (default all), a store path (default a temporary one, deleted after) and
    the event channel that hears the import and extraction (:class:`~policycheck.events.Progressed` of stage
    ``opp115`` per policy imported, then the ``policies`` and ``claims`` events of those stages). Output: an
    :class:`Opp115Result`. Raises :class:`PolicycheckError` for a missing folder or malformed labels.
    """
    labelled = load_segments(folder)
    chosen = policies if policies is not None else sorted(labelled)
    unknown = [p for p in chosen if p not in labelled]
    if unknown:
        raise PolicycheckError(folder / "labels.jsonl", f"no labels for policies {unknown[:3]}")
    with tempfile.TemporaryDirectory() as tmp:
        con = store.open_store(db or Path(tmp) / "opp115.duckdb", store.WRITE)
        try:
            ws = Workspace.attach(con, onto, events=events)
            documents: dict[str, str] = {}
            for n, policy in enumerate(chosen, 1):
                result = import_archive(ws, folder / "policies" / policy, service=site_of(policy),
                                        doc_type="Privacy Policy", language="en")
                documents[policy] = result.document.document_id
                ws.events.emit(Progressed("opp115", n, len(chosen), "importing policies"))
            pipeline.extract(ws)
            return _score(con, onto, type_map, labelled, documents)
        finally:
            con.close()


def _score(con, onto: Ontology, type_map: TypeMap, labelled: dict[str, list[Segment]],
           documents: dict[str, str]) -> Opp115Result:
    result = Opp115Result()
    for policy, document_id in documents.items():
        segments = labelled[policy]
        result.policies += 1
        result.segments += len(segments)
        for s in segments:
            result.pairs.update(c for c in s.categories if c in type_map.with_descendants)
        rows = con.execute(
            "select v.text, c.start, c.data_type from versions v left join claims c on c.version_id = v.version_id "
            "and c.actor_role = 'first_party' and c.action = 'collect' and not c.negated "
            "where v.document_id = ? and v.version_id = (select max(version_id) from versions "
            "where document_id = ?)", [document_id, document_id]).fetchall()
        if not rows:
            result.missing.append(policy)
            continue
        spans = segment_spans(rows[0][0], segments)
        found: dict[int, set[str]] = {}
        claims: set[tuple[int | None, int, str]] = set()
        for _, start, data_type in rows:
            if start is None:
                continue
            index = next((i for i, (a, b) in enumerate(spans) if a <= start < b), None)
            claims.add((index, start, data_type))
            if index is not None:
                found.setdefault(index, set()).add(data_type)
        result.claims += len(claims)
        result.unplaced += sum(i is None for i, _, _ in claims)
        result.claims_in_labelled += sum(i is not None and not segments[i].no_first_party for i, _, _ in claims)
        for i, types in found.items():
            for category in segments[i].categories:
                if category in type_map.with_descendants and any(type_map.belongs(onto, t, category) for t in types):
                    result.hits[category] += 1
    return result
