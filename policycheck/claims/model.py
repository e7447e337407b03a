"""What a claim extractor receives and returns: the contract between the pipeline and the language front ends.

A front end (English: spaCy ``en_core_web_sm``; Chinese: blank ``zh`` + jieba) implements :class:`Extractor`:
it receives blocks (:class:`BlockInput`) and returns, per block, the data-practice claims it states
(:class:`ClaimDraft`, offsets relative to the block text), the defined terms it declares
(:class:`DefinedTerm`) and how many sentences it read and skipped. The pipeline
(:mod:`policycheck.claims.pipeline`) does the rest: caching, actor roles, offsets into the version text,
storage.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Protocol

ACTIONS = ("collect", "use", "share", "retain", "transfer", "process")
ROLES = ("first_party", "affiliate", "third_party")
MODALITIES = ("will", "may", "only_if_necessary")
SCOPES = ("in_scope", "excluded")
DATA_BASES = ("lexicon", "head_word", "fallback")  # ontology name/synonym; nearest ancestor of the head word; root


@dataclass(frozen=True)
class BlockInput:
    """One block to read, with what the extractor needs of its surroundings.

    ``kind``: heading | paragraph | list_item | table_row. ``lead_in``: the sentence introducing a list item's
    list. ``header``/``cells``: a table row's header and cells. ``first_party``: entity id of the policy's
    "we" (``wechat`` for the WeChat policy, ``weixin`` for the Weixin guidelines). ``language``: ISO 639-1.
    ``own_names``: the names the block's document gives its first party, as the front end's document pass found
    them (English: ``english.own_names``; ``()`` when none or not looked for).
    """

    kind: str
    text: str
    section_path: str
    language: str
    first_party: str
    lead_in: str | None = None
    header: tuple[str, ...] | None = None
    cells: tuple[str, ...] | None = None
    own_names: tuple[str, ...] = ()

    def cache_key(self, extractor: str) -> str:
        """sha256 of everything the extraction of this block depends on, plus the extractor's name+version."""
        payload = json.dumps([extractor, self.kind, self.text, self.section_path, self.language, self.first_party,
                              self.lead_in, self.header, self.cells, *([self.own_names] if self.own_names else [])],
                             ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass
class ClaimDraft:
    """One data practice stated by a block. ``start``/``end``: offsets of ``sentence`` in the block text
    (for a list item read with its lead-in, the item's own span). ``actor``/``recipient``/``data_type``/
    ``context`` are ontology ids; ``negated`` is True for "we do not ..."/"我们不会..."; ``scope`` is
    ``excluded`` for statements that take a feature, party or service out of the policy. ``data_subject`` is
    the group of people the claim is restricted to ("from children under 16" -> ``children``), None for users
    in general; ``data_basis`` says how ``data_type`` was found from ``data_text`` (:data:`DATA_BASES`)."""

    start: int
    end: int
    sentence: str
    actor: str
    action: str
    negated: bool
    data_text: str
    data_type: str
    context: str | None = None
    purpose: str | None = None
    modality: str | None = None
    condition: str | None = None
    scope: str = "in_scope"
    recipient: str | None = None
    data_subject: str | None = None  # group the claim is restricted to ('children'), None: users in general
    data_basis: str = "lexicon"  # how data_type was found: lexicon | head_word | fallback (see 006_claim_qualifiers)


@dataclass
class DefinedTerm:
    """A member listed in a definition: ``"Log Data" ... including your IP address`` ->
    (term='log_data', member='ip_address', member_text='your IP address')."""

    term: str
    member: str
    member_text: str


@dataclass
class BlockResult:
    """What an extractor found in one block: its claims and defined terms, the sentences it counted and how many
    of them it skipped (stored as JSON in ``claim_cache.result``)."""

    claims: list[ClaimDraft] = field(default_factory=list)
    defined_terms: list[DefinedTerm] = field(default_factory=list)
    sentences: int = 0
    skipped: int = 0  # sentences it could not read (too long, broken markup, another language)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> BlockResult:
        data = json.loads(text)
        return cls([ClaimDraft(**c) for c in data["claims"]], [DefinedTerm(**d) for d in data["defined_terms"]],
                   data["sentences"], data["skipped"])


class Extractor(Protocol):
    """A claim extractor for one language. ``name`` and ``version`` identify it in ``claims.extractor``
    and in the cache: its ``version`` changes whenever its output can (``pipeline.version_stamp``). The pipeline
    reads blocks through it (``pipeline.read_blocks``): ``prepare`` once per batch, then ``read`` per block."""

    name: str
    version: str
    language: str

    def prepare(self, blocks: Sequence[BlockInput]) -> None:
        """Work done once for a batch of blocks before they are read (e.g. one ``nlp.pipe`` pass)."""
        ...

    def read(self, block: BlockInput) -> BlockResult:
        """Claims (offsets relative to the block), defined terms and sentence counts of one block. May raise on
        odd text: the pipeline counts the block as unreadable."""
        ...
