"""``policycheck eval-claims GOLD...``: precision and recall of the claim extractors against hand-labelled items.

Gold file format (YAML list; one file per language is usual, e.g. ``tests/gold/claims_en.yaml``)::

    - id: en-2022-017                      # unique
      document: wechat-privacy-policy-en   # document_id
      version: 2022-09-09                  # effective date of the version (first version with that date)
      block: "Registration data and log in data."   # the block whose text starts with this (unique prefix)
      sentence: "When you register"        # optional: only claims whose sentence contains this
      split: dev                           # dev (used while developing) | heldout (kept aside)
      claims:                              # the expected claims; [] for a sentence that states no practice
        - {actor_role: first_party, action: collect, negated: false, data_type: phone_number, context: null}
        # a list in actor_role, action, data_type or context stands for every combination (a table row that
        # lists ten data types for four features is one line):
        - {actor_role: first_party, action: collect, negated: false, data_type: [name, region], context: [null, login]}

    # an item may carry its own text instead of naming a stored block (sentences written for a test set, in
    # the style of other policies): ``text`` replaces document/version/block, and says who "we" are and
    # its language; kind (default paragraph), lead_in, section, header and cells describe its surroundings
    - id: syn-zh-001
      text: "我们会收集你的手机号码，用于注册账号。"
      language: zh
      first_party: weixin                  # entity id of the policy's "we" (BlockInput.first_party)
      kind: list_item                      # optional: paragraph | list_item | table_row | heading
      lead_in: "……"                        # optional: the sentence introducing the list
      header: [个人信息类型, 使用目的]        # optional, for a table_row: header cells and the row's cells
      cells: [手机号码, 注册账号]             # (a row's text defaults to its cells joined by " | ")
      claims: [...]

    # an item quoting another company's policy names the words in an OPP-115 segment instead of copying them
    # (third-party text stays in ../shared/datasets/opp115-dev): the quote runs from the first "from" in the
    # segment to the end of the first "to" after it; lead_in_opp115 does the same for lead_in
    - id: en-web-001
      opp115: {policy: 1028_redorbit.com, segment: 8, from: "Some of our business partners", to: "advertisers)."}
      language: en
      first_party: redorbit_com
      claims: [...]

A block item's block is read from the store (import the archive first); a text item is built from its own
fields (no store needed when every item is one). Either is run through the extractor of its language, exactly
as ``policycheck extract`` would. Scores (micro-averaged over items):

- tuples: (actor_role, action, negated, data_type), as sets per item;
- context: the same tuples with the claim's context (feature id or null) added;
- first party / third party: tuples whose actor_role is first_party, resp. affiliate or third_party.

Reported separately for each split and in total. Following PoliGraph (Cui et al., USENIX Security 2023)
and PolicyLint (Andow et al., USENIX Security 2019), a predicted tuple counts as correct only when it equals
a gold tuple exactly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import product
from math import prod
from pathlib import Path
from typing import Annotated, Any, Literal

import duckdb
from pydantic import BaseModel, ConfigDict, Strict, StrictBool, StrictFloat, StrictInt, StrictStr, ValidationError

from policycheck import config
from policycheck.claims.model import BlockInput, ClaimDraft, Extractor
from policycheck.claims.opp115 import load_segments
from policycheck.claims.pipeline import FRONT_ENDS, actor_role, load_extractor, read_blocks
from policycheck.errors import PolicycheckError
from policycheck.ontology import Ontology
from policycheck.policies.model import BLOCK_KINDS
from policycheck.yamlfile import LINE_KEY, field_path, first_problem, read_yaml

Tuple4 = tuple[str, str, bool, str]


@dataclass
class GoldItem:
    """One gold item: a stored block (``document``, ``version``, ``block`` prefix) or its own ``text``."""

    id: str
    document: str | None
    version: date | None
    block: str | None
    sentence: str | None
    split: str
    claims: list[dict[str, Any]]
    path: Path
    line: int | None = None
    own: BlockInput | None = None  # the block of an item that carries its own text


@dataclass
class Score:
    """Counts of one measure over a set of gold items: ``tp`` tuples both extracted and labelled, ``fp``
    extracted only, ``fn`` labelled only; ``precision`` and ``recall`` in [0, 1] (1.0 when undefined)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def add(self, predicted: set, gold: set) -> None:
        self.tp += len(predicted & gold)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)


@dataclass
class ItemOutcome:
    """One gold item with its extracted (``predicted``) and labelled (``gold``) tuples, for ``--errors``."""

    item: GoldItem
    predicted: set[tuple]
    gold: set[tuple]


@dataclass
class Evaluation:
    """Scores per split (and 'all') per measure ('tuples', 'context', 'first_party', 'third_party')."""

    scores: dict[str, dict[str, Score]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(Score)))
    items: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    outcomes: list[ItemOutcome] = field(default_factory=list)


_EXPANDED = ("actor_role", "action", "data_type", "context")
MAX_EXPANDED = 10_000  # claims one gold claim may stand for (its list-valued fields multiplied out)
_Cell = StrictStr | StrictInt | StrictFloat


class _GoldClaimFields(BaseModel):
    """The types of a gold claim's fields (a list in actor_role, action, data_type or context stands for every
    combination); strict: a number, mapping or ``yes`` where text or a boolean belongs is refused, never read as
    ``str(value)`` or ``bool(value)`` (``negated: "false"`` was true)."""

    model_config = ConfigDict(extra="forbid")
    actor_role: StrictStr | list[StrictStr]
    action: StrictStr | list[StrictStr]
    negated: StrictBool
    data_type: StrictStr | list[StrictStr]
    context: StrictStr | list[StrictStr | None] | None = None
    actor: StrictStr | None = None


class _GoldItemFields(BaseModel):
    """The types of the fields every gold item may have (module docstring). Fields of other names are left alone
    here: :func:`load_gold` names them in a warning (a labeller's ``note:`` is fine; a misspelt ``sentense`` would
    score the item against its whole block, so it must be seen)."""

    model_config = ConfigDict(extra="ignore")
    id: StrictStr | StrictInt
    sentence: StrictStr | None = None
    split: StrictStr = "dev"
    claims: list[_GoldClaimFields]


class _StoredBlockItem(_GoldItemFields):
    """An item naming a stored block."""

    document: StrictStr
    version: Annotated[date, Strict()] | StrictStr  # a YAML date, or text read by date.fromisoformat
    block: StrictStr


class _OwnTextItem(_GoldItemFields):
    """An item carrying its own text (``None`` only where the field may be left out: ``lead_in``)."""

    text: StrictStr
    language: StrictStr
    first_party: StrictStr
    kind: Literal[BLOCK_KINDS] = "paragraph"  # type: ignore[valid-type]
    lead_in: StrictStr | None = None
    section: StrictStr = ""
    header: list[_Cell] | None = None
    cells: list[_Cell] | None = None


def _required(model: type[BaseModel]) -> set[str]:
    return {name for name, field in model.model_fields.items() if field.is_required()}


# the fields are the models' (one schema); the checks in _check_item name what is missing in words of their own
_ITEM_FIELDS = set(_StoredBlockItem.model_fields) | set(_OwnTextItem.model_fields)
_CLAIM_KEYS = set(_GoldClaimFields.model_fields) | {LINE_KEY}
_CLAIM_NEEDS = _required(_GoldClaimFields)


def _check_types(path: Path, raw: dict[str, Any], line: int | None, own: bool) -> None:
    """Refuse a field of the wrong type (``own``: an item with its own text): ``FILE:LINE: ID: FIELD: WHAT``, at
    the line of the claim when a claim's field is wrong. Raises :class:`PolicycheckError`."""
    data = {**raw, "claims": [{k: v for k, v in c.items() if k != LINE_KEY} for c in raw["claims"]]}
    try:
        (_OwnTextItem if own else _StoredBlockItem).model_validate(data)
    except ValidationError as exc:
        loc, what = first_problem(exc, data)
        if len(loc) > 1 and loc[0] == "claims" and isinstance(loc[1], int):
            line = raw["claims"][loc[1]].get(LINE_KEY, line)
        raise PolicycheckError(path, f"{raw['id']}: {field_path(loc)}: {what}", line=line) from None


def _expand(claim: dict[str, Any]) -> list[dict[str, Any]]:
    """One claim per combination of the list-valued fields of ``claim``. Raises ``ValueError`` when there would
    be more than :data:`MAX_EXPANDED`."""
    options = [v if isinstance(v := claim.get(k), list) else [v] for k in _EXPANDED]
    if prod(len(o) for o in options) > MAX_EXPANDED:
        raise ValueError(f"its lists multiply out to more than {MAX_EXPANDED:,} claims")
    rest = {k: v for k, v in claim.items() if k not in _EXPANDED}
    return [{**rest, **{k: v for k, v in zip(_EXPANDED, combo, strict=True) if k in claim}}
            for combo in product(*options)]


def load_gold(paths: list[Path], warn: Callable[[str], None] | None = None) -> list[GoldItem]:
    """Read gold files. Raises :class:`PolicycheckError` naming file and line for a malformed item, and naming a
    file that holds no item (it scored as an empty table, exit 0); ``warn`` gets
    one line ``FILE:LINE: ID: unknown field(s) [...] ignored`` per item with fields of other names."""
    items: list[GoldItem] = []
    seen: set[str] = set()
    for path in paths:
        before = len(items)
        for raw, line in _raw_items(path):
            unknown = sorted(map(str, set(raw) - _ITEM_FIELDS))
            version = _check_item(path, raw, line)
            if unknown and warn is not None:
                warn(str(PolicycheckError(path, f"{raw['id']}: unknown field(s) {unknown} ignored", line=line)))
            if raw["id"] in seen:
                raise PolicycheckError(path, f"duplicate gold id {raw['id']!r}", line=line)
            seen.add(raw["id"])
            items.append(GoldItem(str(raw["id"]), raw.get("document"), version, raw.get("block"), raw.get("sentence"),
                                  raw.get("split", "dev"), raw["claims"], path, line, _own_block(raw)))
        if len(items) == before:
            raise PolicycheckError(path, "holds no gold item (an empty file, an empty list or only comments): "
                                         "nothing to score")
    return items


def _raw_items(path: Path) -> Iterator[tuple[dict[str, Any], int | None]]:
    """The items of one gold file (mappings, OPP-115 quotes resolved) with their lines. Raises
    :class:`PolicycheckError` for a file that is not a list of mappings."""
    data = read_yaml(path, "gold file")
    if data is not None and not isinstance(data, list):
        raise PolicycheckError(path, f"a gold file is a list of items, not a {type(data).__name__}")
    for number, raw in enumerate(data or []):
        if not isinstance(raw, dict):
            raise PolicycheckError(path, f"item {number + 1} is a {type(raw).__name__}, not a mapping")
        line = raw.pop(LINE_KEY, None)
        for key, field_name in (("opp115", "text"), ("lead_in_opp115", "lead_in")):
            if key in raw:
                raw[field_name] = _opp115_quote(raw.pop(key), path, line, raw.get("id"))
        yield raw, line


def _check_item(path: Path, raw: dict[str, Any], line: int | None) -> date | None:
    """Check one gold item and complete it in place (a table row's text, claims with list fields multiplied out);
    its version date. Raises :class:`PolicycheckError` naming the file and line of the item."""
    own = any(key in raw for key in ("text", "header", "cells"))
    if own and (("header" in raw) != ("cells" in raw) or not all(
            isinstance(raw.get(key, []), list) for key in ("header", "cells"))):
        raise PolicycheckError(path, f"{raw.get('id')}: a table row item needs both header and cells, "
                                     "as lists", line=line)
    if "cells" in raw and "text" not in raw:
        raw["text"] = " | ".join(map(str, raw["cells"]))  # a table row's text, as the HTML reader makes it
    missing = _required(_OwnTextItem if own else _StoredBlockItem) - set(raw)
    if missing:
        raise PolicycheckError(path, f"gold item lacks {sorted(missing)}", line=line)
    if not isinstance(raw["id"], str | int) or not isinstance(raw["claims"], list) or not all(
            isinstance(claim, dict) for claim in raw["claims"]):
        raise PolicycheckError(path, "a gold item needs an id (text) and claims (a list of mappings)", line=line)
    for claim in raw["claims"]:
        unknown = set(claim) - _CLAIM_KEYS
        if unknown or _CLAIM_NEEDS - set(claim):
            raise PolicycheckError(path, f"{raw['id']}: claim needs actor_role, action, negated, "
                                         f"data_type (got {sorted(set(claim) - {LINE_KEY})})", line=line)
    _check_types(path, raw, line, own)
    if own and raw["language"] not in FRONT_ENDS:
        raise PolicycheckError(path, f"{raw['id']}: no claim extractor for language {raw['language']!r} "
                                     f"(have {sorted(FRONT_ENDS)})", line=line)
    try:
        raw["claims"] = [c for claim in raw["claims"] for c in _expand(claim)]
        version = raw.get("version")
        return version if version is None or isinstance(version, date) else date.fromisoformat(str(version))
    except ValueError as exc:
        raise PolicycheckError(path, f"{raw['id']}: {exc}", line=line) from exc


def _opp115_quote(ref: Any, path: Path, line: int | None, item: Any) -> str:
    """The words an item quotes from an OPP-115 segment, read from ``../shared/datasets/opp115-dev`` (third-party
    text is not copied into the project): ``ref`` is ``{policy, segment, from, to}``, the quote runs from the first
    ``from`` in the segment to the end of the first ``to`` after it. Raises :class:`PolicycheckError` naming the
    gold file and line when the folder is missing or the reference does not resolve."""
    folder = config.shared_dir() / "datasets" / "opp115-dev"
    if not isinstance(ref, dict) or not {"policy", "segment", "from", "to"} <= set(ref) or not all(
            isinstance(ref[key], str | int) for key in ("policy", "segment", "from", "to")):
        raise PolicycheckError(path, f"{item}: opp115 reference needs policy, segment, from, to (text or numbers)",
                               line=line)
    if folder not in _SEGMENTS:
        _SEGMENTS[folder] = {(s.policy, s.index): s.text for ss in load_segments(folder).values() for s in ss}
    text = _SEGMENTS[folder].get((str(ref["policy"]), ref["segment"]))
    start = -1 if text is None else text.find(str(ref["from"]))
    end = -1 if start < 0 else text.find(str(ref["to"]), start)
    if text is None or end < 0:
        raise PolicycheckError(path, f"{item}: no quote from {ref['from']!r} to {ref['to']!r} in segment "
                                     f"{ref['segment']} of {ref['policy']} ({folder / 'labels.jsonl'})", line=line)
    return text[start:end + len(str(ref["to"]))]


_SEGMENTS: dict[Path, dict[tuple[str, int], str]] = {}  # OPP-115 segment texts by folder, read once


def _own_block(raw: dict[str, Any]) -> BlockInput | None:
    """The block of an item that carries its own ``text`` (None for an item naming a stored block)."""
    if "text" not in raw:
        return None
    header, cells = raw.get("header"), raw.get("cells")
    return BlockInput(str(raw.get("kind", "table_row" if cells else "paragraph")), str(raw["text"]),
                      str(raw.get("section", "")), str(raw["language"]), str(raw["first_party"]),
                      raw.get("lead_in"), tuple(map(str, header)) if header else None,
                      tuple(map(str, cells)) if cells else None)


def _block(con: duckdb.DuckDBPyConnection | None, item: GoldItem) -> BlockInput:
    """The item's own block, else its block in the first version (by ``first_seen``) of its document with its
    effective date."""
    if item.own is not None:
        return item.own
    if con is None:
        raise PolicycheckError(item.path, f"{item.id}: names a stored block, but no store is open", line=item.line)
    rows = con.execute(
        "with v as (select version_id, language from versions where document_id = ? and effective_date = ? "
        "           order by first_seen limit 1) "
        "select b.kind, b.text, b.section_path, v.language, d.first_party, b.lead_in, b.header, b.cells "
        "from blocks b join v using (version_id) join documents d on d.document_id = ? "
        "where starts_with(b.text, ?) order by b.ordinal", [item.document, item.version, item.document, item.block]
    ).fetchall()
    if not rows:
        raise PolicycheckError(item.path, f"{item.id}: no block starting {item.block[:40]!r} in {item.document} "
                                          f"version {item.version} (import the archive first?)", line=item.line)
    if len({r[1] for r in rows}) > 1:
        raise PolicycheckError(item.path, f"{item.id}: block prefix {item.block[:40]!r} is not unique", line=item.line)
    kind, text, path, lang, first_party, lead_in, header, cells = rows[0]
    return BlockInput(kind, text, path, lang, first_party, lead_in, tuple(header) if header else None,
                      tuple(cells) if cells else None)


def _version_blocks(con: duckdb.DuckDBPyConnection, item: GoldItem) -> list[BlockInput]:
    """Every block, in order, of the version :func:`_block` reads the item's block from (its document's names)."""
    rows = con.execute(
        "with v as (select version_id, language from versions where document_id = ? and effective_date = ? "
        "           order by first_seen limit 1) "
        "select b.kind, b.text, b.section_path, v.language, d.first_party from blocks b join v using (version_id) "
        "join documents d on d.document_id = ? order by b.ordinal", [item.document, item.version, item.document]
    ).fetchall()
    return [BlockInput(*row) for row in rows]


def _with_names(con: duckdb.DuckDBPyConnection | None, extractor: Extractor, items: list[GoldItem],
                blocks: list[BlockInput], idx: list[int]) -> None:
    """Give each stored item's block the names its document gives its first party, as ``policycheck extract``
    does (``pipeline.with_names``); an item with its own text has no document."""
    names: dict[tuple[str | None, date | None], tuple[str, ...]] = {}
    for i in idx:
        item = items[i]
        if item.own is not None or con is None:
            continue
        key = (item.document, item.version)
        if key not in names:
            document_names = getattr(extractor, "document_names", None)
            names[key] = document_names(_version_blocks(con, item)) if document_names is not None else ()
        if names[key]:
            blocks[i] = replace(blocks[i], own_names=names[key])


def _tuples(claims: list[ClaimDraft], first_party: str, onto: Ontology) -> set[tuple]:
    return {(actor_role(c.actor, first_party, onto), c.action, c.negated, c.data_type, c.context) for c in claims}


def needs_store(items: list[GoldItem]) -> bool:
    """True when some item names a stored block (then :func:`evaluate` needs a connection)."""
    return any(item.own is None for item in items)


def evaluate(con: duckdb.DuckDBPyConnection | None, onto: Ontology, items: list[GoldItem],
             disabled: frozenset[str] = frozenset()) -> Evaluation:
    """Run each item's block through its language's extractor and score it (see the module docstring), with the
    ``disabled`` phenomena (:mod:`.phenomena`) switched off. ``con`` may be None when every item carries its own
    text. Raises :class:`PolicycheckError` for an item whose block is not in the store."""
    result = Evaluation()
    blocks = [_block(con, item) for item in items]
    predictions: dict[int, list[ClaimDraft]] = {}
    for language in {b.language for b in blocks}:
        extractor = load_extractor(language, onto, disabled)
        idx = [i for i, b in enumerate(blocks) if b.language == language]
        _with_names(con, extractor, items, blocks, idx)
        for i, res in zip(idx, read_blocks(extractor, [blocks[i] for i in idx]), strict=True):
            predictions[i] = res.claims
    for i, item in enumerate(items):
        claims = [c for c in predictions[i] if item.sentence is None or item.sentence in c.sentence]
        predicted = _tuples(claims, blocks[i].first_party, onto)
        gold = {(g["actor_role"], g["action"], bool(g["negated"]), g["data_type"], g.get("context"))
                for g in item.claims}
        result.outcomes.append(ItemOutcome(item, predicted, gold))
        for split in (item.split, "all"):
            result.items[split] += 1
            scores = result.scores[split]
            scores["tuples"].add({p[:4] for p in predicted}, {g[:4] for g in gold})
            scores["context"].add(predicted, gold)
            scores["first_party"].add({p[:4] for p in predicted if p[0] == "first_party"},
                                      {g[:4] for g in gold if g[0] == "first_party"})
            scores["third_party"].add({p[:4] for p in predicted if p[0] != "first_party"},
                                      {g[:4] for g in gold if g[0] != "first_party"})
    return result
