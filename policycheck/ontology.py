"""Ontologies of data types, entities and features: ``mappings/*.yaml`` -> validated objects -> DuckDB.

Three files, each a YAML list of concepts (the format is documented in ``mappings/README.md``):

- ``data_types.yaml``: ``id, name_en, name_zh, parents, synonyms_en, synonyms_zh, keys, patterns,
  formats, sensitivity, description``
- ``entities.yaml``: ``id, name_en, name_zh, parents, kind, aliases_en, aliases_zh, hosts, description``
- ``features.yaml``: ``id, name_en, name_zh, parents, operator, governing_document, synonyms_en,
  synonyms_zh, description``

A concept may have several parents (a DAG). Each entry is validated by a typed model (:class:`DataTypeEntry`,
:class:`EntityEntry`, :class:`FeatureEntry`: required and unknown fields, types, snake_case ids, entity kinds,
sensitivities, names, synonyms and aliases that are not blank and at most :data:`MAX_TERM` characters); loading
then checks duplicate ids, unknown parents, cycles, the same alias (case-insensitive) naming two concepts of one
ontology, features whose operator is not an entity. Each problem is one
:class:`PolicycheckError` naming the file, line and field.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import duckdb
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict

from policycheck.errors import PolicycheckError
from policycheck.store import arrow_schema, insert_arrow, transaction
from policycheck.yamlfile import Names, load_model, one_or_many

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
KINDS = ("data_type", "entity", "feature")
FILES = {"data_type": "data_types.yaml", "entity": "entities.yaml", "feature": "features.yaml"}


@dataclass
class Concept:
    """One ontology entry. ``attrs`` holds the kind-specific fields (lists default to ``[]``)."""

    kind: str
    id: str
    name_en: str
    name_zh: str | None
    parents: list[str]
    attrs: dict[str, Any]
    path: Path
    line: int

    def names(self, language: str) -> list[str]:
        """The concept's name and synonyms/aliases in ``language`` ('en' or 'zh'), name first."""
        name = self.name_en if language == "en" else self.name_zh
        extra = self.attrs.get(f"synonyms_{language}") or self.attrs.get(f"aliases_{language}") or []
        return [n for n in [name, *extra] if n]


@dataclass
class Ontology:
    """The three ontologies, keyed by id, with ancestor/descendant lookups over the parent DAG."""

    concepts: dict[str, dict[str, Concept]] = field(default_factory=lambda: {k: {} for k in KINDS})
    files: dict[Path, str] = field(default_factory=dict)  # path -> sha256

    @property
    def data_types(self) -> dict[str, Concept]:
        return self.concepts["data_type"]

    @property
    def entities(self) -> dict[str, Concept]:
        return self.concepts["entity"]

    @property
    def features(self) -> dict[str, Concept]:
        return self.concepts["feature"]

    @cached_property
    def _closures(self) -> dict[str, dict[str, dict[str, int]]]:
        return {kind: closure(self.concepts[kind]) for kind in KINDS}

    def ancestors(self, kind: str, concept_id: str) -> dict[str, int]:
        """``{ancestor_id: depth}`` of a concept, including itself at depth 0."""
        return self._closures[kind].get(concept_id, {})

    def is_a(self, kind: str, concept_id: str, ancestor_id: str) -> bool:
        """True when ``ancestor_id`` is ``concept_id`` or one of its ancestors."""
        return ancestor_id in self.ancestors(kind, concept_id)

    def lexicon(self, kind: str, language: str) -> dict[str, str]:
        """``{lower-cased name or synonym: concept id}`` for matching text in ``language``."""
        return {name.lower(): c.id for c in self.concepts[kind].values() for name in c.names(language)}


def _snake_case(value: str) -> str:
    if not ID_PATTERN.match(value):
        raise ValueError(f"id {value!r} is not snake_case")
    return value


# characters of one name, synonym or alias: a term, not a sentence (the longest in mappings/ has 82). jieba adds
# every prefix of a Chinese term to its dictionary, so a 100,000-character name took gigabytes and crashed the process.
MAX_TERM = 200
_INVISIBLE = " \t\n\r\f\v\u00a0\u200b\u200c\u200d\u2060\ufeff"


def _term(value: str) -> str:
    if not value.strip(_INVISIBLE):
        raise ValueError("a name, synonym or alias is empty or only spaces (it would match everywhere)")
    if len(value) > MAX_TERM:
        raise ValueError(f"a name, synonym or alias of {len(value):,} characters; at most {MAX_TERM} (a term, "
                         "not a sentence)")
    return value


ConceptId = Annotated[str, AfterValidator(_snake_case)]
Term = Annotated[str, AfterValidator(_term)]
Terms = Annotated[list[Term], BeforeValidator(one_or_many)]
"""Names, synonyms or aliases of a concept: one string or a list, each a :data:`Term`."""
EntityKind = Literal["platform", "affiliate", "third_party", "group", "user"]
Sensitivity = Literal["low", "medium", "high"]
ENTITY_KINDS = get_args(EntityKind)
SENSITIVITIES = get_args(Sensitivity)


class _ConceptEntry(BaseModel):
    """The fields every concept has (one list entry of an ontology file)."""

    model_config = ConfigDict(extra="forbid")

    id: ConceptId
    name_en: Term
    name_zh: Term | None = None
    parents: Names = []
    description: str | None = None


class DataTypeEntry(_ConceptEntry):
    """An entry of ``data_types.yaml``."""

    synonyms_en: Terms = []
    synonyms_zh: Terms = []
    keys: Names = []
    patterns: Names = []
    formats: Names = []
    sensitivity: Sensitivity | None = None


class EntityEntry(_ConceptEntry):
    """An entry of ``entities.yaml``."""

    kind: EntityKind
    aliases_en: Terms = []
    aliases_zh: Terms = []
    hosts: Names = []


class FeatureEntry(_ConceptEntry):
    """An entry of ``features.yaml``."""

    operator: str
    governing_document: str | None = None
    synonyms_en: Terms = []
    synonyms_zh: Terms = []


ENTRY_MODELS: dict[str, type[_ConceptEntry]] = {"data_type": DataTypeEntry, "entity": EntityEntry,
                                                 "feature": FeatureEntry}


def parse_concepts(kind: str, path: Path) -> dict[str, Concept]:
    """Read one ontology file (a YAML list of :data:`ENTRY_MODELS` entries). Raises :class:`PolicycheckError`
    naming the file, line and field of the first malformed entry or of a duplicate id, and for a file without
    entries (loading it would remove every stored concept of its kind)."""
    entries, doc = load_model(path, list[ENTRY_MODELS[kind]], "mapping file", empty=[])
    if not entries:
        raise PolicycheckError(path, f"no {kind} entries; an ontology file lists at least one concept (loading an "
                                     "empty one would remove every stored concept of its kind)")
    concepts: dict[str, Concept] = {}
    for i, entry in enumerate(entries):
        if entry.id in concepts:
            raise doc.fail([i, "id"], f"duplicate id {entry.id!r} (first at line {concepts[entry.id].line})")
        attrs = entry.model_dump(exclude={"id", "name_en", "name_zh", "parents"})
        concepts[entry.id] = Concept(kind, entry.id, entry.name_en, entry.name_zh, entry.parents, attrs, path,
                                     doc.line([i]) or 0)
    return concepts


def closure(concepts: dict[str, Concept]) -> dict[str, dict[str, int]]:
    """``{id: {ancestor: depth}}`` over the parent DAG (self at depth 0; shortest depth kept).

    Raises :class:`PolicycheckError` naming the file and line for an unknown parent or a cycle.
    """
    for c in concepts.values():
        for parent in c.parents:
            if parent not in concepts:
                raise PolicycheckError(c.path, f"{c.id}: unknown parent {parent!r}", line=c.line)
    result: dict[str, dict[str, int]] = {}
    visiting: list[str] = []

    def visit(cid: str) -> dict[str, int]:
        if cid in result:
            return result[cid]
        if cid in visiting:
            cycle = [*visiting[visiting.index(cid):], cid]
            c = concepts[cid]
            raise PolicycheckError(c.path, f"cycle in parents: {' -> '.join(cycle)}", line=c.line)
        visiting.append(cid)
        found = {cid: 0}
        for parent in concepts[cid].parents:
            for ancestor, depth in visit(parent).items():
                if depth + 1 < found.get(ancestor, 1 << 30):
                    found[ancestor] = depth + 1
        visiting.pop()
        result[cid] = found
        return found

    for cid in concepts:
        visit(cid)
    return result


def _check_aliases(concepts: dict[str, Concept]) -> None:
    seen: dict[str, Concept] = {}
    for c in concepts.values():
        for language in ("en", "zh"):
            for name in dict.fromkeys(n.lower() for n in c.names(language)):
                other = seen.get(name)
                if other is not None and other.id != c.id:
                    raise PolicycheckError(
                        c.path, f"{c.id}: alias {name!r} already names {other.id!r} (line {other.line})",
                        line=c.line)
                seen[name] = c


def load(mappings: Path) -> Ontology:
    """Load and validate the three ontology files in the folder ``mappings``.

    Output: an :class:`Ontology`. Raises :class:`PolicycheckError` (file and line) on any problem.
    """
    onto = Ontology()
    for kind in KINDS:
        path = mappings / FILES[kind]
        onto.concepts[kind] = parse_concepts(kind, path)
        onto.files[path] = hashlib.sha256(path.read_bytes()).hexdigest()
        closure(onto.concepts[kind])
        _check_aliases(onto.concepts[kind])
    for f in onto.features.values():
        if f.attrs["operator"] not in onto.entities:
            raise PolicycheckError(f.path, f"{f.id}: operator {f.attrs['operator']!r} is not an entity id",
                                   line=f.line)
    return onto


_OWN_FIELDS = ("id", "name_en", "name_zh")  # attributes of Concept itself; every other column is in its attrs


def _rows(concepts: Iterable[Concept], columns: list[str]) -> dict[str, list[Any]]:
    """The concept table's ``columns`` (read from the store's table), one value per concept."""
    return {col: [getattr(c, col) if col in _OWN_FIELDS else c.attrs.get(col) for c in concepts] for col in columns}


_TABLES = {"data_type": "data_types", "entity": "entities", "feature": "features"}


def ensure_written(con: duckdb.DuckDBPyConnection, onto: Ontology) -> bool:
    """Write the ontology unless the store already holds it from the same files (paths and sha256).
    Output: True when it was written."""
    stored = set(con.execute("select path, sha256 from ontology_files").fetchall())
    if stored == {(str(p), sha) for p, sha in onto.files.items()}:
        return False
    write(con, onto)
    return True


def write(con: duckdb.DuckDBPyConnection, onto: Ontology) -> dict[str, int]:
    """Replace the ontology tables, edges and closures in the store, in one transaction.

    Output: ``{table name: rows written}`` for the three concept tables.
    """
    counts = {}
    with transaction(con):
        for kind in KINDS:
            table = _TABLES[kind]
            concepts = list(onto.concepts[kind].values())
            edges = {"child": [c.id for c in concepts for _ in c.parents],
                     "parent": [p for c in concepts for p in c.parents]}
            pairs = [(d, a, depth) for d, anc in onto._closures[kind].items() for a, depth in anc.items()]
            closure_rows = {"descendant": [p[0] for p in pairs], "ancestor": [p[1] for p in pairs],
                            "depth": [p[2] for p in pairs]}
            con.execute(f"delete from {kind}_closure")
            con.execute(f"delete from {kind}_edges")
            con.execute(f"delete from {table}")
            insert_arrow(con, table, _rows(concepts, arrow_schema(con, table).names))
            insert_arrow(con, f"{kind}_edges", edges)
            insert_arrow(con, f"{kind}_closure", closure_rows)
            counts[table] = len(concepts)
        con.execute("delete from ontology_files")
        now = datetime.now(UTC).replace(tzinfo=None)
        for path, sha in onto.files.items():
            con.execute("insert into ontology_files values (?, ?, ?)", [str(path), sha, now])
    return counts
