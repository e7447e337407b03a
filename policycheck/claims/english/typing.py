"""Data phrases the ontology does not name: typed by the nearest concept their head word and modifiers name.

No data phrase is dropped. A phrase with no ontology name in it ("user ID", "login times", "the duration of
your calls", "vehicle trade-in information") is typed from its words, read against the content words of the
ontology's names and synonyms (``mappings/data_types.yaml``; plural and "use"/"usage" folded):

1. a **head word** that heads some names ("id" of "device id", "number" of "card number"; "date" of "date of
   birth") names those concepts: the ones a **modifier** also names win, best covered first ("Facebook account"
   -> ``third_party_account``, "bank card number" -> ``payment_card``, "records related to payment" ->
   ``transaction_records``); otherwise their lowest common ancestor, or the ancestor at least 60% of them share
   ("user ID" -> ``identifier``);
2. a **generic or attribute head** ("information", "data", "duration", "type", "content") says nothing itself:
   the modifiers and "of/about/relating to" objects type it when they cover a concept's name ("login times" ->
   ``login_data``, "information about other software on your device" -> ``device_information``);
3. an **unknown head** is typed by its modifiers only when two or more of them cover a name ("Wi-Fi access
   points" -> ``wifi_information``, not "favourite colour" -> ``favorites``).

Ties take the lowest common ancestor of the tied concepts, so a phrase is never typed more specifically than
its words allow. The result is the claim's ``data_type`` with ``data_basis = 'head_word'``; nothing found (or
only the root) gives ``personal_information`` with ``data_basis = 'fallback'``. Which phrases count as data at
all is decided by :mod:`.enumerations` (an argument of a practice verb or a list member under a data lead-in,
with an information, attribute or refined head: :meth:`TypeIndex.refines`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Token

from policycheck.claims.english.frame import ROOT_DATA_TYPE
from policycheck.claims.english.patterns import load as load_patterns
from policycheck.ontology import Ontology

HEAD_WORD, FALLBACK = "head_word", "fallback"  # claims.data_basis besides "lexicon"
GENERIC = frozenset({"information", "data", "datum", "detail", "info", "statistic", "statistics"})
STOP = frozenset({"of", "and", "or", "the", "a", "an", "your", "our", "their", "its", "to", "in", "on", "for", "with",
                  "that", "you", "we", "as", "by", "from", "such", "any", "all", "about", "other", "this", "these",
                  "which", "is", "are", "be", "or/and", "and/or", "s"})
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z0-9]+)*")  # "Wi-Fi" is two words, as spaCy tokenizes it
# prepositions whose object says what a phrase is about ("information about your device", "duration of calls")
ABOUT_PREPS = frozenset({"of", "about", "regarding", "concerning", "on"})
MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "poss", "npadvmod"})
RELATING = frozenset({"relate", "related", "relating", "pertain", "pertaining", "regard", "concern"})
# participles whose object says what a phrase is about: "data revealing / concerning / describing your X"
REVEALING = frozenset({"reveal", "describe"})
# participles whose "from" object is what a phrase was taken from: "the text extracted / recognised from your ID"
# is data of the ID (English held-out header: "extracted text from the ID" -> government_id)
EXTRACTED = frozenset({"extract", "recognise", "recognize", "read", "scan", "copy", "capture", "transcribe"})
# "information about how you use the Services / interact with our ads / navigate the site": a "how" clause of a
# verb of using says the information is about usage (claims_en_web.yaml header: "information about how you use X"
# is usage_data)
USAGE_VERBS = frozenset({"use", "interact", "navigate", "browse", "engage", "play", "access"})


NOUN_FORMS = {"use": "usage", "uses": "usage"}  # "your use of the services" names usage
# Nouns of the verbs of using (USAGE_VERBS) that name usage as "your use of" does when they take what is used as
# their object: "your interaction(s) with our emails", "your engagement with our ads", "your navigation of the
# site" (opp15; CCPA, Cal. Civ. Code 1798.140(v)(1)(F): "information regarding a consumer's interaction with an
# internet website, application, or advertisement" is network activity information). Not with a person: "your
# interactions with our customer service team" are contacts, no usage (PEOPLE_WORDS). The words each adds to the
# phrase's modifiers: "your interactions with X" are interaction events (``interaction_events``, a kind of usage),
# engagement and navigation the usage itself.
USAGE_NOUNS = {"interaction": "event", "engagement": "usage", "navigation": "usage"}
USED_PREPS = frozenset({"with", "of", "on"})
PEOPLE_WORDS = frozenset({"team", "staff", "representative", "agent", "employee", "person", "people", "user",
                          "member", "friend", "customer", "support", "advisor", "adviser", "operator", "other",
                          "another", "contact", "someone", "anyone", "seller", "merchant", "partner"})


def singular(word: str) -> str:
    """A rough singular of a lower-case English word ("cookies" -> "cookie", "addresses" -> "address")."""
    if word in NOUN_FORMS:
        return NOUN_FORMS[word]
    if len(word) <= 3 or word.endswith(("ss", "us", "is", "ics")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def words_of(text: str) -> list[str]:
    """Content words of a name, lower-cased and singular, without stop words and generic words."""
    return [w for w in (singular(t) for t in _WORD.findall(text.lower())) if w not in STOP and w not in GENERIC]


_PREPOSITION = re.compile(r"\s(?:of|about|on|from|for|in|to|with|that|which|you|derived|made)\s")


def _head_of(text: str) -> str | None:
    """The head word of a name: the word before its first preposition or clause ("date of birth" -> "date",
    "information about your device" -> "information"), else the last word."""
    lower = _PREPOSITION.split(f" {text.lower()} ", 1)[0]
    found = [singular(t) for t in _WORD.findall(lower) if t not in STOP]
    return found[-1] if found else None


@dataclass
class TypeIndex:
    """The ontology's data-type names by head word and by content word."""

    onto: Ontology
    heads: dict[str, set[str]] = field(default_factory=dict)
    whole: dict[str, str] = field(default_factory=dict)  # lower-cased name or synonym -> concept
    names: dict[str, list[list[str]]] = field(default_factory=dict)  # concept -> content words of each name
    by_word: dict[str, set[str]] = field(default_factory=dict)
    part_heads: frozenset[str] = frozenset()  # heads that may name a part of data (:meth:`part_of`)

    @classmethod
    def build(cls, onto: Ontology) -> TypeIndex:
        pat = load_patterns()
        index = cls(onto, part_heads=pat.value_nouns | pat.data_nouns)
        index.whole = {name: c for name, c in onto.lexicon("data_type", "en").items() if c != ROOT_DATA_TYPE}
        for concept in onto.data_types.values():
            if concept.id == ROOT_DATA_TYPE:
                continue
            for name in concept.names("en"):
                head = _head_of(name)
                if head and head not in GENERIC:
                    index.heads.setdefault(head, set()).add(concept.id)
                content = words_of(name)
                if content:
                    index.names.setdefault(concept.id, []).append(content)
                    for w in content:
                        index.by_word.setdefault(w, set()).add(concept.id)
        return index

    def _coverage(self, concept: str, words: set[str]) -> float:
        """Best share of a name's content words found in ``words``."""
        return self._score(concept, words)[0]

    def _score(self, concept: str, words: set[str]) -> tuple[float, int]:
        """(share of a name's words in ``words``, how many) of the concept's best name."""
        return max(((len(set(n) & words) / len(n), len(set(n) & words)) for n in self.names.get(concept, [])),
                   default=(0.0, 0))

    def _best(self, candidates: set[str], words: set[str], threshold: float) -> str | None:
        """The candidate whose name ``words`` cover best (at least ``threshold``; then the one matching more of
        the words: "bank card number" is a card number before a bank account); ties give their lowest common
        ancestor; ``None`` when nothing reaches the threshold or only the root is common."""
        scored = {c: self._score(c, words) for c in candidates}
        top = max(scored.values(), default=(0.0, 0))
        if top[0] < threshold or top[0] <= 0:
            return None
        found = self.common_ancestor({c for c, s in scored.items() if s == top})
        return None if found == ROOT_DATA_TYPE else found

    def common_ancestor(self, concepts: set[str]) -> str:
        """The deepest concept that is an ancestor (or self) of every concept in ``concepts``; one concept is
        itself (a concept with two parents, "Mini Program app id" under Mini Program usage and identifier, is no
        deeper than they by its shortest path to the root)."""
        if len(concepts) == 1:
            return next(iter(concepts))
        common: set[str] | None = None
        for c in concepts:
            ancestors = set(self.onto.ancestors("data_type", c))
            common = ancestors if common is None else common & ancestors
        if not common:
            return ROOT_DATA_TYPE
        return max(sorted(common), key=self._depth)

    def _depth(self, concept: str) -> int:
        return self.onto.ancestors("data_type", concept).get(ROOT_DATA_TYPE, 0)

    def _plurality_ancestor(self, concepts: set[str], share: float = 0.6) -> str | None:
        """The deepest non-root ancestor shared by at least ``share`` of ``concepts`` (the lowest common ancestor
        when there is one below the root): "number" -> the ancestor most phone, card and serial numbers share."""
        lowest = self.common_ancestor(concepts)
        if lowest != ROOT_DATA_TYPE:
            return lowest
        counts: dict[str, int] = {}
        for c in concepts:
            for a in self.onto.ancestors("data_type", c):
                counts[a] = counts.get(a, 0) + 1
        good = [a for a, n in counts.items() if a != ROOT_DATA_TYPE and n / len(concepts) >= share]
        return max(sorted(good), key=lambda a: (counts[a], self._depth(a))) if good else None

    def modified(self, modifier: str, head: str, attribute: bool) -> str | None:
        """The concept "<modifier> <head>" names: a whole ontology name ("contact information", also as "contact
        info/data/details"), else the one the two words cover entirely (:meth:`type_words`), else ``None``."""
        for generic in (head, *sorted(GENERIC - {head})) if head in GENERIC else (head,):
            for form in (f"{modifier} {generic}", f"{modifier} {generic}s"):
                if form in self.whole:
                    return self.whole[form]
        found = self.type_words(head, [modifier], attribute)
        return found if found is not None and self._coverage(found, {modifier, head}) == 1.0 else None

    def head_concepts(self, head: str) -> set[str]:
        """Concepts some name of which has ``head`` (singular, lower case) as its head word."""
        return set() if head in GENERIC else set(self.heads.get(head, ()))

    def refines(self, head: str, modifiers: list[str]) -> bool:
        """True when a concept named by ``head`` also shares a modifier ("Facebook account")."""
        mods = set(modifiers) - {head}
        return any(self._coverage(c, mods) > 0 for c in self.head_concepts(head))

    def type_words(self, head: str, modifiers: list[str], attribute: bool = False, known_data: bool = False
                   ) -> str | None:
        """The concept a phrase with head word ``head`` and ``modifiers`` (singular, lower case, vague words
        removed) names, or ``None`` (see the module docstring). ``attribute``: the head is a generic or attribute
        noun ("information", "duration", "type") whose category only its modifiers give. ``known_data``: the
        phrase names data by its position (a table's data-cell label), so an unknown head is typed by a single
        modifier that is a whole name ("Device fingerprint parameters" -> ``device_information``)."""
        mods = {m for m in modifiers if m not in STOP and m not in GENERIC and m != head}
        if attribute or head in GENERIC:
            found = self._best({c for m in mods for c in self.by_word.get(m, ())}, mods, 1.0) if mods else None
            return found if found is not None else self.identity_document(mods)
        if head in DOCUMENT_HEADS:
            return self._document(head, mods)
        if head in RECORD_FAMILY:  # a record of a record is the record: "payment history records"
            mods -= RECORD_FAMILY
        by_head = self.head_concepts(head)
        named = self._named_identifier(head, mods, by_head)
        if named is not None:
            return named
        if head in RECORD_HEADS and not any(self._coverage(c, mods) > 0 for c in by_head):
            recorded = self.recorded(head, mods)
            if recorded is not None:
                return recorded
        if by_head:
            refined = {c for c in by_head if self._coverage(c, mods) > 0}
            if refined:  # the head's concepts a modifier also names ("payment" records, "Facebook" account)
                return self._best(refined, mods | {head}, 0.0) or self._plurality_ancestor(by_head)
        part = self.part_of(head, mods)
        if part is not None or (by_head and self.contrasting_classifier(head, mods, by_head)):
            return part
        if by_head:
            return self._plurality_ancestor(by_head)
        if len(mods) < 2 and not known_data:  # an unknown head typed by one modifier alone is too weak in
            return None  # running text ("favourite colour")
        found = self._best({c for m in mods for c in self.by_word.get(m, ())}, mods, 1.0)
        enough = 1 if known_data else 2
        return found if found and any(len(set(n) & mods) >= enough for n in self.names.get(found, [])) else None

    def contrasting_classifier(self, head: str, mods: set[str], by_head: set[str]) -> bool:
        """True when ``head`` names its one concept only with a classifier ("zip code", "postal code": no name
        of ``postal_code`` is "code" alone) and the phrase's modifiers ``mods`` (none a word of that concept's
        names) classify it otherwise: "security code", "email verification code" are other kinds of code, not
        postal codes. A compound's modifier classifies its head (Huddleston & Pullum 2002, The Cambridge Grammar
        of the English Language, ch. 19 §4.1, composite nominals), so a different classifier names a different
        kind. ``by_head``: :meth:`head_concepts` of ``head``."""
        return bool(mods) and len(by_head) == 1 and not self._whole_name(head)

    def _whole_name(self, head: str) -> bool:
        """``head`` (singular) or its plural is a whole name of a concept ("location", "contacts")."""
        return head in self.whole or f"{head}s" in self.whole

    def part_of(self, head: str, mods: set[str]) -> str | None:
        """The concept a phrase is a part or attribute of when its head names no data of its own and its
        modifiers name data as a whole (:meth:`named_by_modifiers`): "payment card security code" ->
        ``payment_card``, "medical test results" -> ``health_data``. A head that is a category of several concepts
        ("media", "history", "number") or a whole name itself keeps its own typing; so does a head one of whose
        concepts a modifier refines ("zip code"). Only a value noun or a data noun of ``patterns.yml`` (``value_nouns``,
        ``data_nouns``: "code", "result", "backup") can be such a part: other heads name a party, a place or a
        thing ("financial institution", "medical office", "payment card provider"). A compound's modifier
        classifies its head (Huddleston & Pullum 2002, The Cambridge Grammar of the English Language, ch. 19 §4.1,
        composite nominals)."""
        by_head = self.head_concepts(head)
        if head not in self.part_heads or len(by_head) > 1 or self._whole_name(head) or any(
                self._coverage(c, mods) > 0 for c in by_head):
            return None
        return self.named_by_modifiers(mods)

    def named_by_modifiers(self, mods: set[str]) -> str | None:
        """The concept ``mods`` name as a whole: a name of two or more words all among them ("payment card" of
        "payment card security code") or one word that only the ontology's generic form names ("medical", as
        "medical information" -> ``health_data``; not a noun that names data or heads a name itself, "account",
        "usage", "location": "account violations", "usage trends" are about them, not of them); ``None`` when no
        such name is there ("favourite colour") or several concepts tie below the root."""
        found = self._best({c for m in mods for c in self.by_word.get(m, ())}, mods, 1.0)
        if found is None:
            return None
        covered = max((len(n) for n in self.names.get(found, []) if set(n) <= mods), default=0)
        if covered >= 2 or any(self.whole.get(f"{m} {g}") == found and m not in self.heads and m not in self.whole
                               for m in mods for g in sorted(GENERIC)):
            return found
        return None

    def identity_document(self, words: set[str]) -> str | None:
        """The one identity document whose names hold every word of ``words`` ("ID" of "ID type", "ID
        information", "the expiry date of your ID": an attribute of an ID is an attribute of the document, English
        held-out header: ID information, ID type, ID number -> government_id; words no name has, "expiry", left
        aside); ``None`` when no word is known or one known word is no such name's ("user ID type", "device ID
        information")."""
        known = {w for w in words if w in self.by_word}  # "expiry" of "ID expiry date" names nothing itself
        if not known & (DOCUMENT_WORDS | LICENCE_WORDS):  # ("the date of verification" names no document)
            return None
        kinds = {c for w in known for c in self.by_word[w] if self.onto.is_a("data_type", c, IDENTITY_DOCUMENT)
                 and known <= {x for n in self.names.get(c, []) for x in n}}
        if not known & DOCUMENT_WORDS:  # a licence only by a whole name ("driving licence"; not "business licence")
            kinds = {c for c in kinds if any(set(n) <= words for n in self.names.get(c, []))}
        return kinds.pop() if len(kinds) == 1 else None

    def document_word(self, word: str) -> bool:
        """True when ``word`` (singular, lower case) is a word of an identity document's name ("national" of
        "national ID number", "card" of "ID card"): a word before "ID" that names no holder of an identifier."""
        return any(self.onto.is_a("data_type", c, IDENTITY_DOCUMENT) for c in self.by_word.get(word, ()))

    def _document(self, head: str, mods: set[str]) -> str | None:
        """A document, certificate or licence (:data:`DOCUMENT_HEADS`): the concept its head names with a modifier
        ("identity document", "driving licence"), else the one whose names hold every modifier and half a name
        ("health / vaccination certificate" -> health data), else ``None`` (personal information: "business
        licence", "marriage certificate", "trade licence", "company registration certificate"): a
        document of the user is personal data of its own, never an identity document for its head word alone."""
        refined = {c for c in self.head_concepts(head) if any(
            _head_of(n) == head and set(words_of(n)) & mods for n in self.onto.data_types[c].names("en"))}
        if refined:
            return self._best(refined, mods | {head}, 0.0)
        found = self._best({c for m in mods for c in self.by_word.get(m, ())}, mods, 0.0)
        if found is None:
            return None
        names = self.names.get(found, [])
        return found if self._coverage(found, mods) >= 0.5 and mods <= {w for n in names for w in n} else None

    def chained(self, head: str, modifiers: list[str], record: bool) -> str | None:
        """The concept a chain of noun modifiers before a generic or record-like head names when the chain as a
        whole names none: the modifier nearest the head that names a concept with the head alone ("account
        security information" -> account information, "login request log metadata" -> log-in data, "subscription
        payment log metadata" -> transaction records), a record word of the chain heading the words before it ("device
        crash log metadata" -> service logs, as "crash logs"). ``modifiers``: the chain's words, nearest first;
        ``record``: the head is record-like (:meth:`recorded`), else generic (:meth:`modified`)."""
        heads = [head]  # a record word in the chain heads the words before it: "crash" of "crash log metadata"
        for word in modifiers:
            if word in RECORD_HEADS:
                heads.append(word)
                continue
            if word in STOP or word in GENERIC:
                continue
            for name in heads:
                found = self.recorded(name, [word]) if record or name != head else self.modified(word, head, True)
                if found is not None and found != ROOT_DATA_TYPE:
                    return found
        return None

    def recorded(self, head: str, modifiers: list[str] | set[str]) -> str | None:
        """The concept a record-like head (:data:`RECORD_HEADS`: "history", "records", "logs", "metadata", "list",
        "number") names with ``modifiers``: the one the modifiers (with the head) cover entirely, as a generic
        head's ("login history" -> ``login_data``, "call metadata" -> ``communication_metadata``), every modifier
        a word of its names, narrowed to the one concept below it whose own names are records
        ("payment history", "billing history", "payment metadata" -> ``transaction_records``, named "purchase
        history", "purchase records"); ``None`` when the modifiers name nothing or several concepts alike ("photo
        metadata": a profile photo or photos)."""
        if head not in RECORD_HEADS:
            return None
        mods = {m for m in modifiers if m not in STOP and m not in GENERIC and m not in RECORD_HEADS}
        if not mods:
            return None
        found = self._best({c for m in mods for c in self.by_word.get(m, ())}, mods | {head}, 1.0)
        if found is None or not mods <= {w for n in self.names.get(found, []) for w in n}:
            return None  # a modifier the type's names leave unexplained ("records of the searches and views")
        found = self._events_of(head, found)
        if found is None:
            return None
        if head not in RECORD_FAMILY or self._records_named(found):
            return found
        below = {c for c in self.names if c != found and self.onto.is_a("data_type", c, found)
                 and self._records_named(c)}
        return below.pop() if len(below) == 1 else found

    def _events_of(self, head: str, found: str) -> str | None:
        """What a record of ``found`` holds when ``found`` is an attribute events are seen in, not an event: of a
        contact point (:data:`CONTACT_POINT`) the communications over it ("email logs", "email metadata" ->
        communication metadata); in logs, records or a history of a device attribute the head's own type ("device
        logs" -> log data; ``None`` when the head names none), while "device metadata" describes the device;
        ``found`` otherwise."""
        if all(self.onto.is_a("data_type", found, k) for k in CONTACT_POINT):
            return COMMUNICATION_RECORDS
        if head == "metadata" or not self.onto.is_a("data_type", found, DEVICE_ATTRIBUTES):
            return found
        return self.whole.get(f"{head}s", self.whole.get(head))

    def _records_named(self, concept: str) -> bool:
        """True when a name of ``concept`` is headed by a record word ("purchase records", "call history")."""
        return any(_head_of(n) in RECORD_FAMILY for n in self.onto.data_types[concept].names("en"))

    def _named_identifier(self, head: str, mods: set[str], by_head: set[str]) -> str | None:
        """An identifier named by what it identifies: "IMEI number" -> ``imei`` (a modifier that is the whole
        name of an identifier, before a head naming identifiers); "device identification number" -> what "device
        identifier" names, "user identification number" -> what "user id" names (an "identification number"
        with another modifier is that thing's identifier; alone it stays an identity document's number)."""
        if not any(self.onto.is_a("data_type", c, IDENTIFIER) for c in by_head):
            return None
        named = {self.whole[m] for m in mods if m in self.whole}
        ids = {c for c in named if self.onto.is_a("data_type", c, IDENTIFIER)}
        if len(ids) == 1 and not {c for c in by_head if self._coverage(c, mods) > 0}:
            return ids.pop()
        rest = mods - {"identification"}
        if head != "number" or "identification" not in mods or not rest:
            return None
        for generic in ("identifier", "id"):
            refined = {c for c in self.head_concepts(generic) if self._coverage(c, rest) > 0}
            found = self._best(refined, rest | {generic}, 0.0) if refined else None
            if found is not None:
                return found
        return None


IDENTIFIER = "identifier"
IDENTITY_DOCUMENT = "government_id"
# Documents the user hands over (a licence, a certificate, an agreement): personal data of their own, typed by
# what their modifiers name (:meth:`TypeIndex._document`); "document" alone names no identity document.
DOCUMENT_WORDS = frozenset({"id", "identity", "passport"})  # words naming an identity document on their own
# a licence is an identity document only by a whole name ("driving licence"): "business licence", "software license",
# "licence details" name none (review5)
LICENCE_WORDS = frozenset({"licence", "license"})
DOCUMENT_HEADS = frozenset({"document", "certificate", "licence", "license", "permit", "agreement", "contract"})
# A contact point (an identifier one is reached at: email address, mobile number) is not an event; its logs,
# history and metadata record the communications over it (data_types.yaml communication_metadata: "call logs",
# "call history"). A device attribute is not an event either: its logs are log data (log_data: "logs").
CONTACT_POINT = (IDENTIFIER, "contact_information")
COMMUNICATION_RECORDS = "communication_metadata"
DEVICE_ATTRIBUTES = "device_information"
# Heads that name a record, a list or a count of some data rather than a kind of data of their own: "login
# history", "payment records", "call metadata", "the number of steps" are the data their modifiers name (README
# "claims": a generic head with a modifier that names a type takes that type). Not "settings", which names
# device configuration itself ("account settings": claims_en.yaml, the head word refined by its modifiers).
# RECORD_FAMILY: the words that name records of events, among which a concept named by records is preferred
# (:meth:`TypeIndex.recorded`).
RECORD_FAMILY = frozenset({"history", "record", "log", "metadata"})
RECORD_HEADS = RECORD_FAMILY | {"list", "number", "count"}  # "the number of steps" is step data
_INDEXES: dict[int, tuple[Ontology, TypeIndex]] = {}


def type_index(onto: Ontology) -> TypeIndex:
    """The :class:`TypeIndex` of ``onto`` (built once per ontology object)."""
    known = _INDEXES.get(id(onto))
    if known is None or known[0] is not onto:
        known = _INDEXES[id(onto)] = (onto, TypeIndex.build(onto))
    return known[1]


def _how_used(token: Token) -> bool:
    """A clause "how you use X" / "how users interact with X" (a verb of :data:`USAGE_VERBS` with "how")."""
    return token.dep_ == "pcomp" and token.lemma_.lower() in USAGE_VERBS and any(
        c.lower_ == "how" for c in token.children)


def used_objects(noun: Token) -> list[Token]:
    """The objects of a :data:`USAGE_NOUNS` noun's "with / of / on" phrases when they name a thing used (a site,
    content, an email, an ad), not a pronoun or a person (:data:`PEOPLE_WORDS`): "your interactions with our
    emails" -> [emails]; "your interaction with us", "with our support team" -> []."""
    if singular(noun.lower_) not in USAGE_NOUNS:
        return []
    objects = [p for prep in noun.children if prep.dep_ == "prep" and prep.lower_ in USED_PREPS
               for p in prep.children if p.dep_ == "pobj" and p.pos_ in ("NOUN", "PROPN")]
    return [o for o in objects if not any(singular(t.lower_) in PEOPLE_WORDS for t in o.subtree)]


def phrase_words(head: Token, skip: set[int] | None = None) -> tuple[str, list[str]]:
    """Head word and modifier words of the noun phrase headed by ``head``: compounds, adjectives, noun possessors
    and the nouns of its "of/about/regarding" objects, "usage" for an "about how you use X" clause or an object
    "your interaction(s) with X" (:func:`used_objects`; pronouns,
    determiners and tokens in ``skip`` left out)."""
    skip = skip or set()
    mods: list[str] = []
    stack = [c for c in head.children if c.i not in skip]
    while stack:
        token = stack.pop()
        if token.i in skip:
            continue
        if token.dep_ in MODIFIER_DEPS and token.pos_ in ("NOUN", "PROPN", "ADJ", "VERB"):
            if not (token.pos_ == "VERB" and token.tag_ in ("VBN", "VBD")) and token.is_alpha:
                mods.append(singular(token.lower_))
            stack.extend(c for c in token.children if c.dep_ in MODIFIER_DEPS or c.dep_ == "conj")
        elif token.dep_ == "prep" and token.lower_ in ABOUT_PREPS and token.head == head:
            stack.extend(c for c in token.children if c.dep_ == "pobj")
            if any(_how_used(c) for c in token.children):
                mods.append(NOUN_FORMS["use"])
        elif token.dep_ == "acl" and token.lemma_.lower() in RELATING and token.head == head:  # "records related
            stack.extend(c for c in token.children if c.dep_ in ("prep", "pobj", "dobj"))  # to payment", "data relating
            # to your use", "data concerning your health" (the parser may hang the object on the participle)
        elif token.dep_ == "prep" and token.lower_ == "to" and token.head.lemma_.lower() in RELATING:
            stack.extend(c for c in token.children if c.dep_ == "pobj")
        elif token.dep_ == "acl" and token.lemma_.lower() in REVEALING and token.head == head:  # "data revealing
            stack.extend(c for c in token.children if c.dep_ in ("dobj", "pobj"))  # your racial origin" (GDPR)
        elif token.dep_ == "acl" and token.lemma_.lower() in EXTRACTED and token.head == head:  # "text extracted
            stack.extend(p for c in token.children if c.dep_ == "prep" and c.lower_ == "from"  # from your ID"
                         for p in c.children if p.dep_ == "pobj")
        elif token.dep_ in ("pobj", "dobj") and token.pos_ in ("NOUN", "PROPN"):
            mods.append(singular(token.lower_))
            if used_objects(token):  # "information about your interactions with our emails"
                mods.append(USAGE_NOUNS[singular(token.lower_)])
            stack.extend(c for c in token.children if c.dep_ in MODIFIER_DEPS or c.dep_ == "conj")
        elif token.dep_ == "conj" and token.head.dep_ in MODIFIER_DEPS and token.pos_ in ("NOUN", "PROPN", "ADJ"):
            mods.append(singular(token.lower_))
    return singular(head.lower_), mods
