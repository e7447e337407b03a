"""Ontology phrase matching: which words of a parsed text name a data type, an entity or a feature.

One spaCy ``PhraseMatcher`` per ontology (attribute ``LOWER``), built from ``Ontology.lexicon(kind, 'en')``
plus simple number variants ("phone number" / "phone numbers", "policy" / "policies"), so the ontology in
``mappings/`` is the only place where names live. Overlapping matches of one ontology keep the longest
(``spacy.util.filter_spans``): "mobile carrier and network-related information" is one mention of
``mobile_carrier``, not three. A mention that only modifies another noun ("location customisation", "WeChat
users") names that noun's kind of thing, not its own: :func:`is_modifier` tells them apart.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from policycheck.ontology import Ontology

KINDS = ("data_type", "entity", "feature")
SERIES_CONJUNCTIONS = frozenset({"and", "or", "and/or"})  # words that close a coordinated series


@dataclass(frozen=True)
class Mention:
    """A phrase naming an ontology concept: ``span`` in the doc, ``id`` of the concept; ``basis`` how the id was
    found (``lexicon``: an ontology name; ``head_word``/``fallback``: typed from its words, see :mod:`.typing`)."""

    kind: str
    id: str
    span: Span
    basis: str = "lexicon"

    @property
    def root(self) -> Token:
        return self.span.root

    @property
    def text(self) -> str:
        return self.span.text


@dataclass
class Mentions:
    """All mentions in one doc, per kind, sorted by position."""

    by_kind: dict[str, list[Mention]] = field(default_factory=lambda: {k: [] for k in KINDS})
    _starts: dict[str, list[int]] = field(default_factory=dict)

    def finish(self) -> None:
        for kind, items in self.by_kind.items():
            items.sort(key=lambda m: m.span.start)
            self._starts[kind] = [m.span.start for m in items]

    def within(self, kind: str, tokens: set[int]) -> list[Mention]:
        """Mentions of ``kind`` whose root token index is in ``tokens``."""
        return [m for m in self.by_kind[kind] if m.root.i in tokens]

    def in_range(self, kind: str, start: int, end: int) -> list[Mention]:
        """Mentions of ``kind`` lying inside the token range ``[start, end)``."""
        items = self.by_kind[kind]
        i = bisect_left(self._starts.get(kind, []), start)
        out = []
        while i < len(items) and items[i].span.start < end:
            if items[i].span.end <= end:
                out.append(items[i])
            i += 1
        return out

    def at(self, kind: str, token: Token) -> Mention | None:
        """The mention of ``kind`` covering ``token``, if any."""
        for m in self.in_range(kind, max(0, token.i - 12), token.i + 13):
            if m.span.start <= token.i < m.span.end:
                return m
        return None


DETERMINERS = ("your ", "the ", "our ", "their ", "its ", "a ", "an ", "any ")


def is_modifier(mention: Mention) -> bool:
    """True when the mention's phrase modifies a noun outside it ("language and location customisation",
    "platform integrity purposes", "other WeChat and Weixin users")."""
    token = mention.root
    while token.dep_ == "conj" and token.head != token:
        token = token.head
    return token.dep_ in ("compound", "amod", "nmod", "npadvmod") and not (
        mention.span.start <= token.head.i < mention.span.end) and token.head.pos_ in ("NOUN", "PROPN")


def _variants(name: str, single_plural: bool = True) -> set[str]:
    """Match forms of a name: without a leading determiner ("your profile" -> "profile", so that the longer
    "profile media" wins over it), and, for names of several words, with the last word in the other number
    ("phone numbers", "push notification token"). Single words keep their form: "contact" is not "contacts"."""
    lower = name.lower()
    for det in DETERMINERS:
        if lower.startswith(det) and len(name) > len(det):
            name = name[len(det):]
            break
    out = {name}
    head, _, last = name.rpartition(" ")
    if not last.isalpha() or len(last) < 3:
        return out
    prefix = f"{head} " if head else ""
    if not head:  # one word: only its plural ("voiceprints", "addresses"); "contact" is not "contacts"
        if single_plural and (not last.endswith("s") or last.endswith("ss")):
            out.add(last + ("es" if last.endswith(("x", "ch", "sh", "ss")) else "s"))
        return out
    if last.endswith("ies"):
        out.add(prefix + last[:-3] + "y")
    elif last.endswith("s") and not last.endswith("ss"):
        out.add(prefix + last[:-1])
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        out.add(prefix + last[:-1] + "ies")
    elif last.endswith(("s", "x", "ch", "sh")):
        out.add(prefix + last + "es")
    else:
        out.add(prefix + last + "s")
    return out


_ID_WORD = re.compile(r"\bid\b")  # lower-case "id" splits like "I'd" ("device id" -> "device", "i", "d")


def _verbal(span: Span) -> bool:
    """A one-word span that is a verb with a clause of its own (an auxiliary, a subject, an object or a mark)."""
    token = span.root
    return len(span) == 1 and token.pos_ == "VERB" and any(
        c.dep_ in ("aux", "nsubj", "dobj", "mark") for c in token.children)


GENERIC_WORDS = frozenset({"information", "data", "datum", "details", "detail"})  # what data is called in general
GENERIC_HEADS = GENERIC_WORDS | {"info"}


def qualifying_types(onto: Ontology) -> frozenset[str]:
    """Data types the ontology itself writes as the qualifier of another data type's name: one of their names of
    several words is followed, in a name of another type, by more words ("operating system" in "operating system
    version", which names ``os_version``). Extensions by a conjunction, a preposition or a generic word only
    ("device type information", "location information in public posts") do not count."""
    names = onto.lexicon("data_type", "en")
    out = set()
    for longer, other in names.items():  # each name's word prefixes of two or more words
        words = longer.split()
        for cut in range(2, len(words)):
            concept, rest = names.get(" ".join(words[:cut])), words[cut:]
            if concept is not None and concept != other and rest[0] not in NOT_QUALIFIED \
                    and not set(rest) <= GENERIC_HEADS:
                out.add(concept)
    return frozenset(out)


NOT_QUALIFIED = frozenset({"and", "or", "in", "on", "of", "for", "from", "such", "with", "to", "by", "at"})
COMPOUND_DEPS = frozenset({"compound", "amod", "nmod"})


def _without_qualifiers(mentions: list[Mention], onto: Ontology, qualifying: frozenset[str]) -> list[Mention]:
    """Data mentions without those that only qualify the data name of several words written right after them,
    in the same noun compound: "operating system push notification tokens" names push tokens (whose tokens),
    "browser cookie identifiers" cookies. Read from the words, since the parser often breaks such a compound
    ("push" taken for a verb): nothing between the two names, and the second starts with a lower-case word.
    Kept: a name before a one-word name, which is often the carrier the first name specifies ("referring
    website addresses" are referrer URLs, "session ID cookies"; "emergency contact information" names contacts,
    :func:`.enumerations._prune`), a name of a narrower kind of the data named after it, names whose follower
    is capitalized (table cells that lost their line breaks: "OpenID Facebook Connect Token"), and a complete
    name of several words the ontology never writes as a qualifier (:func:`qualifying_types`): two such names
    side by side are two items of a list whose line breaks were lost ("IP address device model"), while a
    one-word name ("device", "browser") or "operating system" qualifies the name after it. A lower-case one-word
    name of a broader kind right after a name of a narrower one is the compound's head, which that name only
    narrows: "Favorites content" names Favorites, not content in general, and the narrower mention spans both
    words where the parse makes it the broader word's modifier (not a generic word: "address information" is
    read as generic information typed by its modifier)."""
    starts = {m.span.start: m for m in mentions}
    ends = {m.span.end: m for m in mentions}
    out = []
    for m in mentions:
        before = ends.get(m.span.start)
        if before is not None and before.id != m.id and len(m.span) == 1 and m.span[0].is_lower \
                and m.root.lower_ not in GENERIC_HEADS and onto.is_a("data_type", before.id, m.id):
            # a one-word name of a broader kind after a narrower one: "Favorites content" is Favorites; where the
            # parse makes the narrower name a modifier of the broader word, the mention spans both words (its root
            # the compound's head, where the series after it hangs: "Moments content and chat data")
            if before.root.head == m.root and before.root.dep_ in COMPOUND_DEPS:
                merged = Mention(before.kind, before.id, before.span.doc[before.span.start: m.span.end], before.basis)
                out = [merged if o is before else o for o in out]
            continue
        after = starts.get(m.span.end)
        if after is not None and after.id != m.id and len(after.span) > 1 and after.span[0].is_lower \
                and after.span[0].is_alpha \
                and after.root.lower_ not in GENERIC_HEADS and not after.span[0].is_sent_start \
                and not onto.is_a("data_type", m.id, after.id) \
                and (len(m.span) == 1 or m.id in qualifying):
            continue
        out.append(m)
    return out


class Lexicon:
    """Phrase matchers for the three ontologies, built from ``onto`` over ``nlp``'s vocabulary."""

    def __init__(self, nlp: Language, onto: Ontology, idioms: tuple[str, ...] = ()) -> None:
        self.onto = onto
        self.qualifying = qualifying_types(onto)
        self.matchers: dict[str, PhraseMatcher] = {}
        self.idioms = PhraseMatcher(nlp.vocab, attr="LOWER")
        if idioms:
            self.idioms.add("IDIOM", list(nlp.tokenizer.pipe(idioms)))
        for kind in KINDS:
            matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
            names = onto.lexicon(kind, "en")  # lower-cased, to check for clashes
            for concept in onto.concepts[kind].values():
                # Tokenize names as written: lower-cased "id" would split like "I'd".
                # one-word plurals only for data ("voiceprints"); "searches" names no feature
                variants = {v for name in concept.names("en") for v in _variants(name, kind == "data_type")
                            if names.get(v.lower(), concept.id) == concept.id}  # never steal another's name
                if variants:  # a name written with a lower-case "id" ("device id") is tokenized as "ID" would be
                    matcher.add(concept.id, list(nlp.tokenizer.pipe(sorted({_ID_WORD.sub("ID", v) for v in variants}))))
            self.matchers[kind] = matcher

    def _verb_not_name(self, m: Mention) -> bool:
        """A one-word feature mention written in lower case as a verb, adjective or adverb while the feature's
        names have it only capitalized ("ask for help", "nearby places": not Ask, not Nearby)."""
        token = m.span.root
        return len(m.span) == 1 and token.pos_ in ("VERB", "ADJ", "ADV") and token.text.islower() \
            and token.lower_ not in set(self.onto.concepts["feature"][m.id].names("en"))

    def find(self, doc: Doc) -> Mentions:
        """Every mention in ``doc``: the longest non-overlapping matches per ontology."""
        found = Mentions()
        for kind, matcher in self.matchers.items():
            spans = [Span(doc, start, end, label=match_id) for match_id, start, end in matcher(doc)]
            for span in filter_spans(spans):
                found.by_kind[kind].append(Mention(kind, span.label_, span))
        # A one-word name used as a verb names no data ("To address and remediate technical issues"), and a
        # feature's proper name written in lower case as a verb or modifier names no feature ("when you ask for
        # help" is not the Ask feature, "nearby places" not Nearby; "translate" is a name of its own and stays).
        found.by_kind["data_type"] = [m for m in found.by_kind["data_type"] if not _verbal(m.span)]
        found.by_kind["data_type"] = _without_qualifiers(found.by_kind["data_type"], self.onto, self.qualifying)
        found.by_kind["feature"] = [m for m in found.by_kind["feature"] if not self._verb_not_name(m)]
        # A name inside a longer name of another kind is part of that name: "Weixin Open Platform services" is a
        # feature, not the data type "platform"; "third party payment processing service" a party, not the
        # feature "payment"; "WeChat ID" a data type, not the party WeChat.
        # (A verb phrase naming a feature, "share your location", leaves the data it takes: its object is data.)
        spans = {k: [(m.span.start, m.span.end) for m in found.by_kind[k] if m.root.pos_ != "VERB"] for k in KINDS}
        for kind in KINDS:
            others = [s for k in KINDS if k != kind for s in spans[k]]
            found.by_kind[kind] = [m for m in found.by_kind[kind] if not any(
                a <= m.span.start and m.span.end <= b and b - a > len(m.span) for a, b in others)]
        # A feature named as the modifier of another feature's name, right before it, is a kind of that feature:
        # "Official Account search" and "Mini Program search" are Search (not before the root feature:
        # "communication service" is messaging, not "the service").
        features = self.onto.concepts["feature"]
        starts = {m.span.start for m in found.by_kind["feature"] if m.id in features and features[m.id].parents}
        found.by_kind["feature"] = [m for m in found.by_kind["feature"] if not (
            m.root.dep_ in ("compound", "nmod") and m.span.end in starts)]
        idioms = [(a, b) for _, a, b in self.idioms(doc)]
        if idioms:
            for kind in KINDS:
                found.by_kind[kind] = [m for m in found.by_kind[kind] if not any(
                    a < m.span.end and m.span.start < b for a, b in idioms)]
        found.finish()
        return found
