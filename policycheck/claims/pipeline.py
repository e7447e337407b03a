"""``policycheck extract``: turn every version's blocks into claims, with the extractor of its language.

All pending versions are read together: their blocks are deduplicated by cache key
(:meth:`BlockInput.cache_key`), looked up in ``claim_cache``, and only the blocks never read by this
extractor version go to the extractor, in one batch (so an unchanged paragraph across 40 versions is parsed
once, and a second run parses nothing). The pipeline then computes each claim's ``actor_role`` from the
ontology (the document's first party -> ``first_party``; an entity sharing a ``group`` ancestor with it, e.g.
Tencent group companies -> ``affiliate``; anything else -> ``third_party``), converts offsets to the version
text, and writes ``claims``, ``defined_terms`` and ``extraction_runs`` in one transaction per run.

The rules both front ends' output follows live here, once (:func:`read_blocks`): a block a front end fails on is
counted as unreadable (:func:`unreadable`: all its sentences, by :func:`rough_sentences`, skipped), a block's
claims are de-duplicated (:func:`unique_claims`) and an extractor's version is its code version plus a hash of
what else its output depends on (:func:`version_stamp`).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from policycheck.claims.model import DATA_BASES, BlockInput, BlockResult, ClaimDraft, Extractor
from policycheck.errors import PolicycheckError
from policycheck.events import Outcome, Problem, Progressed
from policycheck.fingerprint import distributions, hash_tree
from policycheck.ontology import Ontology
from policycheck.store import insert_arrow, next_id, transaction

if TYPE_CHECKING:
    from policycheck.workspace import Workspace

log = logging.getLogger(__name__)
STAGE = "claims"  # the stage name of extract's events
# settings key: the extractor tags of the last extraction and the fingerprint of what they were computed from
EXTRACTORS_KEY = "claim_extractors"

# language -> "module:factory"; the factory takes the ontology and returns an Extractor.
FRONT_ENDS = {
    "en": "policycheck.claims.english:make_extractor",
    "zh": "policycheck.claims.chinese:make_extractor",
}


def load_extractor(language: str, onto: Ontology, disabled: frozenset[str] = frozenset()) -> Extractor:
    """The extractor for ``language``, with the ``disabled`` phenomena (:mod:`.phenomena`) switched off. Raises
    :class:`PolicycheckError` when no front end handles the language."""
    spec = FRONT_ENDS.get(language)
    if spec is None:
        raise PolicycheckError(None, f"no claim extractor for language {language!r} (have {sorted(FRONT_ENDS)})")
    module, factory = spec.split(":")
    extractor = getattr(importlib.import_module(module), factory)(onto)
    if disabled:
        extractor.disable(disabled)
    return extractor


def version_stamp(code_version: str, inputs: Iterable[bytes | str]) -> str:
    """An extractor's version: ``<code_version>+<first 10 hex digits of the sha256 of the inputs joined by
    newlines>`` (its word lists, the ontology files, the model's name and version ...), so a change to any of them
    re-extracts."""
    joined = b"\n".join(part.encode("utf-8") if isinstance(part, str) else part for part in inputs)
    return f"{code_version}+{hashlib.sha256(joined).hexdigest()[:10]}"


# characters of a block (text + lead-in) a front end reads: the longest block of the WeChat and Weixin archives has
# 1,735; a longer one is markup run together or hostile text (one 200,000-character sentence, 100,000 nested
# brackets), skipped so that extraction time stays bounded (README "Bad input")
MAX_BLOCK_CHARS = 20_000
_ROUGH_SENTENCE = re.compile(r"[.!?;]+(?:\s+|$)|[。！？；]+|\n+")


def rough_sentences(text: str) -> int:
    """Sentence count of text that is not parsed, in any language (at least 1 when it has any letter)."""
    parts = [p for p in _ROUGH_SENTENCE.split(text) if any(c.isalpha() for c in p)]
    return max(len(parts), 1) if any(c.isalpha() for c in text) else 0


def unreadable(block: BlockInput) -> BlockResult:
    """The result of a block a front end failed on: no claim, each of its sentences read and skipped."""
    count = rough_sentences(block.text)
    return BlockResult(sentences=count, skipped=count)


# Claims equal but for their data words state one practice; the words the ontology names best are kept.
_SAME_PRACTICE = tuple(f.name for f in fields(ClaimDraft) if f.name not in ("data_text", "data_basis"))
_BASIS_RANK = {basis: rank for rank, basis in enumerate(DATA_BASES)}


def unique_claims(claims: list[ClaimDraft]) -> list[ClaimDraft]:
    """One claim per practice: claims equal in every field but ``data_text``/``data_basis`` are one, in the
    order of first occurrence, with the data words found by the best basis (lexicon, then head word, then
    fallback; the first of equals)."""
    best: dict[tuple, ClaimDraft] = {}
    for c in claims:
        key = tuple(getattr(c, name) for name in _SAME_PRACTICE)
        kept = best.get(key)
        if kept is None:
            best[key] = c
        elif _BASIS_RANK[c.data_basis] < _BASIS_RANK[kept.data_basis]:
            best[key] = replace(kept, data_text=c.data_text, data_basis=c.data_basis)
    return list(best.values())


def block_chars(block: BlockInput) -> int:
    """The characters a front end would read of ``block``: its text and its lead-in."""
    return len(block.text) + len(block.lead_in or "")


def too_large(block: BlockInput) -> bool:
    """Whether ``block`` is over :data:`MAX_BLOCK_CHARS` (:func:`block_chars`): never given to a front end."""
    return block_chars(block) > MAX_BLOCK_CHARS


def read_blocks(extractor: Extractor, blocks: Sequence[BlockInput]) -> list[BlockResult]:
    """One :class:`BlockResult` per block, in order, by ``extractor`` (its ``prepare`` once, then ``read`` per
    block) under the rules shared by every front end: a block :func:`too_large` is not read and a block it fails
    on is logged, both :func:`unreadable`, and each block's claims are :func:`unique_claims`. Never raises on odd
    text."""
    readable = [b for b in blocks if not too_large(b)]
    extractor.prepare(readable)
    out = []
    for block in blocks:
        try:
            result = unreadable(block) if too_large(block) else extractor.read(block)
        except Exception:  # one odd block never stops a run: it is counted as unreadable
            log.warning("%s failed on a %s block in %r; counted as skipped", extractor.name, block.kind,
                        block.section_path, exc_info=True)
            result = unreadable(block)
        result.claims = unique_claims(result.claims)
        out.append(result)
    return out


class FrontEnd:
    """What the language front ends share: ``extract`` is :func:`read_blocks` over their ``prepare``/``read``.
    A subclass sets ``name``, ``language`` and ``version`` (:func:`version_stamp`) and implements ``read``."""

    name: str
    language: str
    version: str
    disabled: frozenset[str] = frozenset()  # phenomena switched off (:mod:`.phenomena`)

    def disable(self, phenomena: frozenset[str]) -> None:
        """Switch ``phenomena`` off (an ablation, ``eval-claims --disable``); the version says so."""
        self.disabled = self.disabled | phenomena
        self.version = f"{self.version.split('-without-')[0]}-without-{'-'.join(sorted(self.disabled))}"

    def visible(self, block: BlockInput) -> BlockInput:
        """The block as the front end reads it: without its lead-in when ``lead_ins`` is off."""
        return replace(block, lead_in=None) if "lead_ins" in self.disabled and block.lead_in else block

    def document_names(self, blocks: Sequence[BlockInput]) -> tuple[str, ...]:
        """The names one document (its blocks in order) gives its first party; none by default."""
        return ()

    def prepare(self, blocks: Sequence[BlockInput]) -> None:
        """Work done once for a batch of blocks before they are read (none by default)."""

    def read(self, block: BlockInput) -> BlockResult:
        """Claims, defined terms and sentence counts of one block; may raise on odd text."""
        raise NotImplementedError

    def extract(self, blocks: Sequence[BlockInput]) -> list[BlockResult]:
        """One result per block, in order (:func:`read_blocks`)."""
        return read_blocks(self, blocks)


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


def same_group(actor: str, first_party: str, onto: Ontology) -> bool:
    """Whether ``actor`` is a member of a group (an ancestor entity of ``kind: group``) that ``first_party`` is a
    member of; False for an id the ontology does not know."""
    groups = {a for a in onto.ancestors("entity", first_party) if onto.entities[a].attrs.get("kind") == "group"}
    return bool(groups & set(onto.ancestors("entity", actor)))


def actor_role(actor: str, first_party: str, onto: Ontology) -> str:
    """'first_party', 'affiliate' or 'third_party' of ``actor`` relative to the policy's ``first_party``."""
    if actor == first_party:
        return "first_party"
    if same_group(actor, first_party, onto):
        return "affiliate"
    if actor in onto.entities and onto.entities[actor].attrs.get("kind") == "affiliate" and not any(
            onto.entities[a].attrs.get("kind") == "group" for a in onto.ancestors("entity", actor)):
        return "affiliate"  # the first party's own affiliates, whoever it is ("our subsidiaries": own_affiliates)
    return "third_party"


@dataclass
class VersionBlocks:
    """The blocks of one version to extract: their ids, their start offsets in ``versions.text`` (characters)
    and what the front end reads of each, in block order."""

    version_id: int
    language: str
    block_ids: list[int]
    starts: list[int]
    inputs: list[BlockInput]


@dataclass
class ExtractionReport:
    """Per-version counts of one run: ``{version_id: (blocks, sentences, skipped, claims)}`` plus cache figures."""

    versions: dict[int, tuple[int, int, int, int]] = field(default_factory=dict)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (where, why) of each block too large to read
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
    current = [f"{lang}|{e.name} {e.version}" for lang, e in known.items()]
    con.execute("insert or replace into settings(key, value) values (?, ?)",
                [EXTRACTORS_KEY, json.dumps({"fingerprint": extractor_fingerprint(onto), "tags": current})])
    pending = _pending(con, force, version_ids, current)
    report = ExtractionReport()
    if not pending:
        ws.events.emit(Outcome(STAGE, report.counts()))
        return report
    # languages in a fixed order (not a set's, which changes with PYTHONHASHSEED): Chinese after English keeps
    # the peak lower (jieba's dictionary loads once the English batches are done; 0.52 against 0.58 GB measured)
    extractors = {lang: known.get(lang) or load_extractor(lang, onto)
                  for lang in sorted({v.language for v in pending})}
    for v in pending:
        with_names(extractors[v.language], v)
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
            for key, result in zip(keys, read_blocks(extractor, [keyed[k] for k in keys]), strict=True):
                results[key] = result
            ws.events.emit(Progressed(STAGE, min(i + batch, len(misses)), len(misses), f"parsing {lang} blocks"))
        if misses:
            fresh = {"text_sha256": misses, "extractor": [tag] * len(misses),
                     "result": [results[k].to_json() for k in misses]}
            with transaction(con):
                insert_arrow(con, "claim_cache", fresh)
    with transaction(con):
        _write(con, onto, pending, extractors, results, report)
    for where, why in report.notes:
        ws.events.emit(Problem(STAGE, where, why))
    ws.events.emit(Outcome(STAGE, report.counts()))
    return report


def with_names(extractor: Extractor, version: VersionBlocks) -> None:
    """Give each block of ``version`` the names its document gives its first party (the front end's optional
    ``document_names(blocks) -> tuple[str, ...]`` over all its blocks, :meth:`FrontEnd.document_names`: a name
    defined in one block resolves in every other); an extractor without it gives none."""
    document_names = getattr(extractor, "document_names", None)
    names = document_names(version.inputs) if document_names is not None else ()
    if names:
        version.inputs = [replace(b, own_names=names) for b in version.inputs]


def extractor_fingerprint(onto: Ontology) -> str:
    """sha256 (hex) of everything an extractor's version (:func:`version_stamp`) is computed from, read without
    importing spaCy or loading a model: the source and data files of this package (code versions, patterns,
    word lists), the installed distributions and their versions (the English model's among them) and the
    ontology files' hashes."""
    digest = hashlib.sha256()
    hash_tree(digest, Path(__file__).parent)
    digest.update("\n".join([json.dumps(FRONT_ENDS, sort_keys=True), *distributions(),
                             *sorted(onto.files.values())]).encode())
    return digest.hexdigest()


def claims_pending(ws: Workspace) -> bool:
    """Whether :func:`extract` on ``ws`` would extract any version, told without importing an extractor: when
    the extractors' inputs are those the last extraction recorded (:func:`extractor_fingerprint`), from their
    recorded tags; True when anything differs or nothing was recorded (the main job then starts the extraction
    process, which decides)."""
    rows = ws.con.execute("select value from settings where key = ?", [EXTRACTORS_KEY]).fetchall()
    if not rows:
        return True
    recorded = json.loads(rows[0][0])
    if recorded.get("fingerprint") != extractor_fingerprint(ws.onto):
        return True
    return bool(ws.con.execute(
        "select exists (select 1 from versions v join blocks b using (version_id) "
        "where not exists (select 1 from extraction_runs r where r.version_id = v.version_id "
        "                  and list_contains(?, v.language || '|' || r.extractor)))",
        [recorded.get("tags", [])]).fetchall()[0][0])


def _too_large_note(version_id: int, block_id: int, block: BlockInput, result: BlockResult) -> tuple[str, str]:
    """Where (version, block, section) and why a block was not read, for one line of output."""
    return (f"version {version_id}, block {block_id} ({block.kind} in section {block.section_path[:60]!r})",
            f"{block_chars(block):,} characters, over the {MAX_BLOCK_CHARS:,}-character limit of a block; not "
            f"read, its {result.skipped:,} sentence(s) counted as skipped")


def _write(con: duckdb.DuckDBPyConnection, onto: Ontology, pending: list[VersionBlocks],
           extractors: dict[str, Extractor], results: dict[str, BlockResult], report: ExtractionReport) -> None:
    """Replace the pending versions' ``claims``, ``defined_terms`` and ``extraction_runs`` (inside the caller's
    transaction); offsets become offsets into the version text, actors get their role."""
    ids = [v.version_id for v in pending]
    for table in ("claims", "defined_terms", "extraction_runs"):
        con.execute(f"delete from {table} where list_contains(?, version_id)", [ids])
    first_id = next_id(con, "claims", "claim_id")
    claims: list[dict[str, object]] = []
    terms: list[dict[str, object]] = []
    runs: list[dict[str, object]] = []
    for v in pending:
        tag = f"{extractors[v.language].name} {extractors[v.language].version}"
        sentences = skipped = count = 0
        for block_id, start, block in zip(v.block_ids, v.starts, v.inputs, strict=True):
            result = results[block.cache_key(tag)]
            if too_large(block):
                report.notes.append(_too_large_note(v.version_id, block_id, block, result))
            sentences += result.sentences
            skipped += result.skipped
            count += len(result.claims)
            claims += [{**asdict(c), "claim_id": first_id + len(claims) + i, "version_id": v.version_id,
                        "block_id": block_id, "start": start + c.start, "end": start + c.end,
                        "actor_role": actor_role(c.actor, block.first_party, onto), "language": v.language,
                        "extractor": tag} for i, c in enumerate(result.claims)]
            terms += [{**asdict(d), "version_id": v.version_id, "block_id": block_id} for d in result.defined_terms]
        runs.append({"version_id": v.version_id, "extractor": tag, "blocks": len(v.inputs), "sentences": sentences,
                     "skipped": skipped, "claims": count,
                     "finished_at": con.execute("select current_timestamp::timestamp").fetchall()[0][0]})
        report.versions[v.version_id] = (len(v.inputs), sentences, skipped, count)
    insert_arrow(con, "claims", claims)
    insert_arrow(con, "defined_terms", terms)
    insert_arrow(con, "extraction_runs", runs)
