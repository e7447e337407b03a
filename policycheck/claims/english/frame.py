"""What the annotators share: a parsed text with its mentions (:class:`Reading`) and the practice frames they
fill (:class:`Practice`), before they become :class:`~policycheck.claims.model.ClaimDraft` rows."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

from spacy.tokens import Doc, Span, Token

from policycheck.claims.english.lexicon import SERIES_CONJUNCTIONS, Mention, Mentions
from policycheck.claims.english.patterns import Patterns
from policycheck.ontology import Ontology

USER = "@user"  # the data subject ("you"): not an entity, never a claim's actor
ROOT_DATA_TYPE = "personal_information"


@dataclass(frozen=True)
class DataRef:
    """A data type named by an argument: ontology id, the words as written, the root token index in the
    doc it was read from (``None`` when inherited from elsewhere: a table row's data cell, a list's lead-in), and
    how the type was found (``claims.data_basis``: ``lexicon``, ``head_word`` or ``fallback``)."""

    data_type: str
    text: str
    token: int | None = None
    basis: str = "lexicon"

    @classmethod
    def of(cls, mention: Mention) -> DataRef:
        return cls(mention.id, mention.text, mention.root.i, mention.basis)


@dataclass
class Reading:
    """One parsed unit of text (a paragraph, a list item, a table cell line) and what surrounds it.

    ``fallback_data``: the data a bare "this information" refers to when the text itself names none (a table
    row's data types), ``fallback_label`` the row label naming them. ``default_recipients``: the parties a list
    item is about ("service providers. We ..."). ``cell_role``: for a table cell line, its column's role."""

    doc: Doc
    mentions: Mentions
    pat: Patterns
    onto: Ontology
    first_party: str
    section_path: str = ""
    fallback_data: list[DataRef] = field(default_factory=list)
    fallback_label: str = ""  # the table row's label ("Social Connect Information"), words naming fallback_data
    default_recipients: list[str] = field(default_factory=list)
    disabled: frozenset[str] = frozenset()  # phenomena switched off (claims/phenomena.py)
    cell_role: str | None = None  # a table cell line's column role ("data", "purpose", "retention"), else None
    own_names: frozenset[str] = frozenset()  # the document's names of its first party (english.own_names keys)

    @cached_property
    def quoted(self) -> list[tuple[int, int]]:
        """Token ranges ``[start, end)`` between paired quotation marks within a sentence (titles, names)."""
        spans: list[tuple[int, int]] = []
        for sentence in self.doc.sents:
            opened: int | None = None
            for token in sentence:
                if token.text in ('"', "“", "”"):
                    if opened is None and token.text != "”":
                        opened = token.i
                    elif opened is not None:
                        spans.append((opened + 1, token.i))
                        opened = None
        return spans

    @cached_property
    def name_tokens(self) -> frozenset[int]:
        """Token indices inside a party (entity) or feature mention (mentions are fixed once a Reading exists)."""
        return frozenset(i for k in ("entity", "feature") for m in self.mentions.by_kind[k]
                         for i in range(m.span.start, m.span.end))

    @cached_property
    def one_word_modifiers(self) -> frozenset[int]:
        """Tokens that are a whole one-word data, feature or party mention of a singular common noun or adjective
        followed by a series separator ("location", "account", "payment", "chat" in "your location / account /
        payment / chat and search history"): such a word may be a modifier of a coordinated series that shares
        the head after it, however the parser attached it (round en23), so ``enumerations._series`` reads through
        it. A plural ("contacts and location information") is a noun of its own."""
        out: set[int] = set()
        for k in ("data_type", "entity", "feature"):
            for m in self.mentions.by_kind[k]:
                token = m.span[0]
                if len(m.span) == 1 and token.tag_ in ("NN", "JJ") and token.is_lower and token.i + 1 < len(self.doc) \
                        and self.doc[token.i + 1].lower_ in SERIES_CONJUNCTIONS | {","}:
                    out.add(token.i)
        return frozenset(out)

    def in_quotes(self, start: int, end: int) -> tuple[int, int] | None:
        """The quoted range containing tokens ``[start, end)``, if any."""
        return next(((a, b) for a, b in self.quoted if a <= start and end <= b), None)

    def is_root_feature(self, feature: str) -> bool:
        concept = self.onto.features.get(feature)
        return concept is None or not concept.parents

    def operator(self, feature: str) -> str | None:
        """Who runs ``feature`` (``features.yaml`` ``operator``). In a policy whose first party the ontology does
        not know (a web site's), a feature the app's platform runs ("the App", "location-based features") is
        the site's own: its operator is the first party, never WeChat."""
        concept = self.onto.features.get(feature)
        operator = concept.attrs.get("operator") if concept else None
        platform = operator in self.onto.entities and self.onto.entities[operator].attrs.get("kind") == "platform"
        if platform and self.first_party not in self.onto.entities:
            return self.first_party
        return operator


@dataclass
class Practice:
    """One data practice read from a sentence: who does what to which data, with whom, where, why, how sure."""

    sentence: Span
    action: str
    negated: bool
    actors: list[str]
    data: list[DataRef]
    recipients: list[str] = field(default_factory=list)
    contexts: list[str] = field(default_factory=list)
    modality: str | None = None
    purpose: str | None = None
    condition: str | None = None
    scope: str = "in_scope"
    data_subject: str | None = None  # the group the practice is restricted to ("children"), None: users in general
    verb: Token | None = None
    arg_tokens: set[int] = field(default_factory=set)  # doc token indices of the practice's arguments

    def but(self, **changes: object) -> Practice:
        return replace(self, **changes)
