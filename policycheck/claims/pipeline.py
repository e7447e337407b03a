"""``policycheck extract``: turn every version's blocks into claims, with the extractor of its language.

All pending versions are read together: their blocks are deduplicated by cache key
(:meth:`BlockInput.cache_key`), looked up in ``claim_cache``, and only the blocks never read by this
extractor version go to the extractor, in one batch (so an unchanged paragraph across 40 versions is parsed
once, and a second run parses nothing). The pipeline then computes each claim's ``actor_role`` from the
ontology (the document's first party -> ``first_party``; an entity sharing a ``group`` ancestor with it, e.g.
Tencent group companies -> ``affiliate``; anything else -> ``third_party``), converts offsets to the version
text, and writes ``claims``, ``defined_terms`` and ``extraction_runs`` in one transaction per run.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from policycheck.claims.model import BlockInput, BlockResult, Extractor
from policycheck.errors import PolicycheckError
from policycheck.events import Outcome, Progressed
from policycheck.ontology import Ontology
from policycheck.store import insert_arrow, next_id, transaction

if TYPE_CHECKING:
    from policycheck.workspace import Workspace

STAGE = "claims"  # the stage name of extract's events

# language -> "module:factory"; the factory takes the ontology and returns an Extractor.
FRONT_ENDS = {
    "en": "policycheck.claims.english:make_extractor",
    "zh": "policycheck.claims.chinese:make_extractor",
}


def load_extractor(language: str, onto: Ontology) -> Extractor:
    """The extractor for ``language``. Raises :class:`PolicycheckError` when no front end handles it."""
    spec = FRONT_ENDS.get(language)
    if spec is None:
        raise PolicycheckError(None, f"no claim extractor for language {language!r} (have {sorted(FRONT_ENDS)})")
    module, factory = spec.split(":")
    return getattr(importlib.import_module(module), factory)(onto)


def release_models() -> None:
    """Drop the loaded language pipelines (spaCy's English model, the jieba-segmented Chinese pipeline) so that
    the stages after extraction do not carry them (the main job's peak memory, README "Scale"); the next
    extraction loads them again."""
    import contextlib
    import ctypes
    import gc
    import sys
    for module, function in (("policycheck.claims.english.nlp", "load"),
                             ("policycheck.claims.chinese.segmentation", "load_nlp")):
        if module in sys.modules:
            getattr(sys.modules[module], function).cache_clear()
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # glibc keeps freed heap mapped: hand it back
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def actor_role(actor: str, first_party: str, onto: Ontology) -> str:
    """'first_party', 'affiliate' or 'third_party' of ``actor`` relative to the policy's ``first_party``."""
    if actor == first_party:
        return "first_party"
    groups = {a for a in onto.ancestors("entity", first_party) if onto.entities[a].attrs.get("kind") == "group"}
    if groups & set(onto.ancestors("entity", actor)):
        return "affiliate"
    return "third_party"


@dataclass
class VersionBlocks:
    version_id: int
    language: str
    block_ids: list[int]
    starts: list[int]
    inputs: list[BlockInput]


@dataclass
class ExtractionReport:
    """Per-version counts of one run: ``{version_id: (blocks, sentences, skipped, claims)}`` plus cache figures."""

    versions: dict[int, tuple[int, int, int, int]] = field(default_factory=dict)
    parsed_blocks: int = 0  # blocks sent to an extractor (cache misses)
    cached_blocks: int = 0

    @property
    def claims(self) -> int:
        return sum(v[3] for v in self.versions.values())

    def counts(self) -> dict[str, int]:
        """The figures of the run summary: versions extracted, claims, skipped sentences, blocks parsed and
        blocks from the cache."""
        return {"versions": len(self.versions), "claims": self.claims, "skipped_sentences": self.skipped,
                "blocks_parsed": self.parsed_blocks, "blocks_from_cache": self.cached_blocks}

    @property
    def skipped(self) -> int:
        return sum(v[2] for v in self.versions.values())


def _pending(con: duckdb.DuckDBPyConnection, force: bool, version_ids: list[int] | None,
             current: list[str]) -> list[VersionBlocks]:
    """Blocks of the versions to extract: all with ``force``, else those never extracted by the current extractor
    of their language (``current``: ``'<language>|<extractor tag>'``), so a new extractor version re-extracts."""
    rows = con.execute(
        "select v.version_id, v.language, d.first_party, b.block_id, b.kind, b.text, b.section_path, b.lead_in, "
        'b.header, b.cells, b."start" from versions v join documents d using (document_id) '
        "join blocks b using (version_id) "
        "where (? or not exists (select 1 from extraction_runs r where r.version_id = v.version_id "
        "                        and list_contains(?, v.language || '|' || r.extractor))) "
        "and (? is null or list_contains(?, v.version_id)) order by v.version_id, b.ordinal",
        [force, current, version_ids, version_ids]).fetchall()
    out: dict[int, VersionBlocks] = {}
    for vid, lang, first_party, bid, kind, text, path, lead_in, header, cells, start in rows:
        vb = out.setdefault(vid, VersionBlocks(vid, lang, [], [], []))
        vb.block_ids.append(bid)
        vb.starts.append(start)
        vb.inputs.append(BlockInput(kind, text, path, lang, first_party, lead_in,
                                    tuple(header) if header is not None else None,
                                    tuple(cells) if cells is not None else None))
    return list(out.values())


def extract(ws: Workspace, force: bool = False, version_ids: list[int] | None = None) -> ExtractionReport:
    """Extract claims for every version in the workspace's store that has none from the current extractor of its
    language yet (all with ``force``; or only ``version_ids``): a new extractor version re-extracts, from the
    cache where it can.

    Emits on ``ws.events`` a :class:`~policycheck.events.Progressed` (stage ``claims``, item ``parsing LANG
    blocks``) per batch of blocks parsed and an :class:`~policycheck.events.Outcome` with the counts. Output:
    an :class:`ExtractionReport`. Raises :class:`PolicycheckError` for a version in a language no front end
    handles.
    """
    con, onto = ws.con, ws.onto
    languages = {lang for lang, in con.execute("select distinct language from versions").fetchall()}
    known = {lang: load_extractor(lang, onto) for lang in languages if lang in FRONT_ENDS}
    pending = _pending(con, force, version_ids, [f"{lang}|{e.name} {e.version}" for lang, e in known.items()])
    report = ExtractionReport()
    if not pending:
        ws.events.emit(Outcome(STAGE, report.counts()))
        return report
    extractors = {lang: known.get(lang) or load_extractor(lang, onto) for lang in {v.language for v in pending}}
    results: dict[str, BlockResult] = {}
    for lang, extractor in extractors.items():
        tag = f"{extractor.name} {extractor.version}"
        keyed = {b.cache_key(tag): b for v in pending if v.language == lang for b in v.inputs}
        cached = con.execute("select text_sha256, result from claim_cache where extractor = ? "
                             "and list_contains(?, text_sha256)", [tag, list(keyed)]).fetchall()
        results.update({key: BlockResult.from_json(value) for key, value in cached})
        misses = [key for key in keyed if key not in results]
        report.cached_blocks += len(keyed) - len(misses)
        report.parsed_blocks += len(misses)
        batch = 256
        for i in range(0, len(misses), batch):
            keys = misses[i:i + batch]
            for key, result in zip(keys, extractor.extract([keyed[k] for k in keys]), strict=True):
                results[key] = result
            ws.events.emit(Progressed(STAGE, min(i + batch, len(misses)), len(misses), f"parsing {lang} blocks"))
        if misses:
            fresh = pa.table({"text_sha256": misses, "extractor": [tag] * len(misses),
                              "result": [results[k].to_json() for k in misses]})
            with transaction(con):
                insert_arrow(con, "claim_cache", fresh)
    with transaction(con):
        _write(con, onto, pending, extractors, results, report)
    ws.events.emit(Outcome(STAGE, report.counts()))
    return report


def _write(con: duckdb.DuckDBPyConnection, onto: Ontology, pending: list[VersionBlocks],
           extractors: dict[str, Extractor], results: dict[str, BlockResult], report: ExtractionReport) -> None:
    ids = [v.version_id for v in pending]
    for table in ("claims", "defined_terms", "extraction_runs"):
        con.execute(f"delete from {table} where list_contains(?, version_id)", [ids])
    claim_id = next_id(con, "claims", "claim_id")
    claims: dict[str, list] = {k: [] for k in (
        "claim_id", "version_id", "block_id", "sentence", "start", "end", "actor", "actor_role", "action", "negated",
        "data_text", "data_type", "context", "purpose", "modality", "condition", "scope", "recipient", "language",
        "extractor", "data_subject", "data_basis")}
    terms: dict[str, list] = {k: [] for k in ("version_id", "block_id", "term", "member", "member_text")}
    runs: dict[str, list] = {k: [] for k in ("version_id", "extractor", "finished_at", "blocks", "sentences",
                                             "skipped", "claims")}
    for v in pending:
        extractor = extractors[v.language]
        tag = f"{extractor.name} {extractor.version}"
        sentences = skipped = count = 0
        for block_id, start, block in zip(v.block_ids, v.starts, v.inputs, strict=True):
            result = results[block.cache_key(tag)]
            sentences += result.sentences
            skipped += result.skipped
            for c in result.claims:
                values = {"claim_id": claim_id, "version_id": v.version_id, "block_id": block_id,
                          "sentence": c.sentence, "start": start + c.start, "end": start + c.end, "actor": c.actor,
                          "actor_role": actor_role(c.actor, block.first_party, onto), "action": c.action,
                          "negated": c.negated, "data_text": c.data_text, "data_type": c.data_type,
                          "context": c.context, "purpose": c.purpose, "modality": c.modality,
                          "condition": c.condition, "scope": c.scope, "recipient": c.recipient,
                          "language": v.language, "extractor": tag, "data_subject": c.data_subject,
                          "data_basis": c.data_basis}
                for key, value in values.items():
                    claims[key].append(value)
                claim_id += 1
                count += 1
            for d in result.defined_terms:
                for key, value in (("version_id", v.version_id), ("block_id", block_id), ("term", d.term),
                                   ("member", d.member), ("member_text", d.member_text)):
                    terms[key].append(value)
        for key, value in (("version_id", v.version_id), ("extractor", tag), ("blocks", len(v.inputs)),
                           ("sentences", sentences), ("skipped", skipped), ("claims", count)):
            runs[key].append(value)
        runs["finished_at"].append(con.execute("select current_timestamp::timestamp").fetchall()[0][0])
        report.versions[v.version_id] = (len(v.inputs), sentences, skipped, count)
    schema = pa.schema([("claim_id", pa.int32()), ("version_id", pa.int32()), ("block_id", pa.int32()),
                        ("sentence", pa.string()), ("start", pa.int32()), ("end", pa.int32()),
                        ("actor", pa.string()), ("actor_role", pa.string()), ("action", pa.string()),
                        ("negated", pa.bool_()), ("data_text", pa.string()), ("data_type", pa.string()),
                        ("context", pa.string()), ("purpose", pa.string()), ("modality", pa.string()),
                        ("condition", pa.string()), ("scope", pa.string()), ("recipient", pa.string()),
                        ("language", pa.string()), ("extractor", pa.string()), ("data_subject", pa.string()),
                        ("data_basis", pa.string())])
    insert_arrow(con, "claims", pa.table(claims, schema=schema))
    insert_arrow(con, "defined_terms", pa.table(terms, schema=pa.schema(
        [("version_id", pa.int32()), ("block_id", pa.int32()), ("term", pa.string()), ("member", pa.string()),
         ("member_text", pa.string())])))
    insert_arrow(con, "extraction_runs", pa.table(runs))
