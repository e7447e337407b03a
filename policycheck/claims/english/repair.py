"""Repair of the small model's parse errors on a practice verb's object.

A participle modifying the object is read as a verb of its own: "We may share aggregated information with
advertisers" ("aggregated" an ``xcomp`` of "share" with "information" its object, so the sentence states
"aggregated" as a practice and "share" has no data). :func:`adjectival_participles` re-attaches such a participle
to the noun after it, in the tree, before anything is read from the doc. A sentence-initial noun with a reduced
relative clause is read as the main clause: "Data you provide to an Official Account is received by its operator"
("provide" the root, "Data" an adverbial of it, "is received" a ``ccomp``); :func:`reduced_relatives` makes the
passive the root with the noun its subject and the relative clause the noun's, likewise before anything is read.

``en_core_web_sm`` often breaks a short data noun phrase right after a practice verb: "We collect your account
identifier" ("identifier" tagged ADJ, "account identifier" read as a ``ccomp``), "We collect push notification
tokens" ("push" read as a verb, ``xcomp``, with "tokens" its object), "We collect your user ID" ("ID" an
``appos`` of "user"). The verb then has no data argument and states nothing. The repair reads the words instead
of the tree: when a practice verb found no data, the noun phrase written right after it (an optional possessive
or article, then nouns, adjectives and words the tagger took for verbs, up to punctuation, a preposition or a
clause word; none when "and/or" follows, which coordinates it with more) is its object when it ends where an
ontology data name ends (the head noun decides, as :func:`.lexicon.is_modifier` does: "location services" is
no data) or when its head word and a modifier name a data type (:mod:`.typing`: "user ID" -> ``identifier``).

Tags and labels: ``Token.pos_`` holds the universal POS tags (https://universaldependencies.org/u/pos/:
``NOUN``, ``PROPN``, ``ADJ``, ``VERB``, ``CCONJ``), ``Token.tag_`` the Penn Treebank tags of ``en_core_web_sm``
(``PRP$`` a possessive pronoun, ``VBN``/``VBD``/``VBG`` participles and past forms, ``MD`` a modal),
``is_alpha`` / ``is_lower`` as spaCy's attribute table defines them (https://spacy.io/api/attributes).
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from policycheck.claims.english.enumerations import OBJECT_PRONOUNS
from policycheck.claims.english.frame import ROOT_DATA_TYPE, DataRef, Reading
from policycheck.claims.english.lexicon import GENERIC_HEADS, SERIES_CONJUNCTIONS
from policycheck.claims.english.patterns import load as load_patterns
from policycheck.claims.english.typing import ABOUT_PREPS, HEAD_WORD, TypeIndex, singular, type_index

ARTICLES = frozenset({"the", "a", "an"})
CLAUSE_TAGS = frozenset({"VB", "VBP", "VBZ", "VBD", "MD", "PRP", "WDT", "WP", "WRB"})  # words that open a clause
PHRASE_POS = frozenset({"NOUN", "PROPN", "ADJ", "VERB"})
MAX_WORDS = 6  # a phrase of this many words or more is no short phrase the parser broke


def _phrases_after(r: Reading, verb: Token) -> list[list[Token]]:
    """The words of each noun phrase of the list written right after ``verb`` (see the module docstring): one
    phrase, or several separated by "," / "and" / "or" ("push notification tokens and device identifiers");
    ``[]`` when a phrase runs on into other words."""
    doc, i, end = verb.doc, verb.i + 1, verb.sent.end
    phrases: list[list[Token]] = []
    while True:
        if phrases and _clause_after(doc, i, end):
            return phrases  # the list ended before the separator ("X, which ...", "X and use it to ...")
        while i < end and (doc[i].tag_ == "PRP$" or doc[i].lower_ in ARTICLES):
            i += 1
        words: list[Token] = []
        if i + 1 < end and _gerund_modifier(doc[i], doc[i + 1]):
            words.append(doc[i])
            i += 1
        while i < end and len(words) < MAX_WORDS and _phrase_word(r, doc[i]):
            words.append(doc[i])
            i += 1
        if not words or len(words) == MAX_WORDS:
            return []
        phrases.append(words)
        separators = 0
        while i < end and separators < 2 and (doc[i].text == "," or doc[i].lower_ in SERIES_CONJUNCTIONS):
            i += 1
            separators += 1
        if not separators:
            break
    return [] if i < end and doc[i].pos_ in PHRASE_POS else phrases


def _clause_after(doc: Doc, i: int, end: int) -> bool:
    """True when the words from ``i`` start a clause, not more of a noun phrase: the sentence's end or
    punctuation, a preposition ("and for load balancing"), a finite verb ("and use it"), a personal pronoun ("and
    we ..."), a wh-word or "that" ("X, which ...")."""
    return i >= end or doc[i].is_punct or doc[i].pos_ == "ADP" or doc[i].tag_ in CLAUSE_TAGS \
        or doc[i].lower_ == "that"


def _gerund_modifier(token: Token, after: Token) -> bool:
    """A gerund opening a noun phrase before its noun ("greeting messages", "matching records"): the model
    reads it as a verb (``xcomp``, tagged ``VBG``) whose object is the noun; no object is left to it when the
    noun is that verb's object and is written right after it."""
    return token.tag_ == "VBG" and token.is_alpha and after.pos_ == "NOUN" and after.head == token \
        and after.dep_ == "dobj"


def _phrase_word(r: Reading, token: Token) -> bool:
    """A word of a noun phrase: a noun, adjective or verb-tagged word that is no participle or past form, or a
    word of a data name."""
    named = r.mentions.at("data_type", token)
    if named is not None and (not token.is_punct or named.span.start < token.i < named.span.end - 1):
        return True  # (a hyphen inside a name: "Wi-Fi MAC address")
    return token.pos_ in PHRASE_POS and token.is_alpha and token.tag_ not in ("VBD", "VBN", "VBG", "MD")


def stranded_object(r: Reading, verb: Token, siblings: list[Token], heads: list[Token]) -> list[DataRef]:
    """The data of the noun phrases right after a practice verb whose parse gave it no data (the module
    docstring), or after a later practice verb of its coordination ``siblings`` (the verbs sharing its arguments).
    ``[]`` unless every phrase of the list names data: a phrase names none when its words name no data, when its
    last word is already one of the verb's argument heads ``heads`` (the parse was right and the extractor left
    it out on purpose), or when its last word names a party or a feature."""
    phrases: list[list[Token]] = []
    for token in (verb, *sorted(s for s in siblings if s.i > verb.i)):  # "We collect and store your account
        phrases = _phrases_after(r, token)  # identifier": the phrase after the last verb is the object of each
        if phrases:
            break
    out = [_phrase_data(r, words, heads) for words in phrases]
    if not all(out):  # every item of a list names data, or none is read ("language and location customisation":
        return []  # the items may share the last one's head)
    return [d for d in out if d is not None and d.data_type != ROOT_DATA_TYPE]


def _phrase_data(r: Reading, words: list[Token], heads: list[Token]) -> DataRef | None:
    """The data one phrase of :func:`stranded_object` names, or ``None``."""
    if words[-1] in heads:
        return None
    start, end = words[0].i, words[-1].i + 1
    named = r.mentions.at("data_type", words[-1])
    if any(r.mentions.at(kind, words[-1]) is not None for kind in ("entity", "feature")) and not (
            named is not None and named.span.end == end and start < named.span.start):
        return None  # the phrase names a party or a feature ("We use WeChat Pay"), not data; data a word before
        # it qualifies ("greeting messages") is data
    text = r.doc[start:end].text
    if named is not None and named.span.end == end and named.span.start >= start:  # ("other information": the
        return DataRef(named.id, text if named.span.start > start else named.text, words[-1].i, named.basis)
    head = singular(words[-1].lower_)
    mods = [singular(t.lower_) for t in words[:-1]]
    index = type_index(r.onto)
    if named is not None or not index.refines(head, mods):
        return None
    # typed as :func:`.enumerations.unmapped` types a listed phrase: vague modifiers ("user", "other") left out
    found = index.type_words(head, [m for m in mods if m not in r.pat.generic_qualifiers
                                    and m not in r.pat.weak_modifiers])
    return DataRef(found, text, words[-1].i, HEAD_WORD) if found is not None else None


PARTICIPLE_DEPS = frozenset({"xcomp", "ccomp", "advcl", "dep"})
NOT_GOVERNORS = frozenset({"be", "have", "get", "do"})  # "have aggregated data" is a tense, not a verb + object


AUXILIARY_LEMMAS = frozenset({"be", "have", "do", "get", "will", "shall", "may", "can", "must"})


def verbs_read_as_auxiliaries(doc: Doc) -> None:
    """Repair, in place, a bare verb the parser read as the auxiliary of the participle after it, the
    participle as the root: "We may disclose aggregated statistics to our partners" ("disclose" an ``aux`` of
    "aggregated"). The verb becomes the root with the participle's dependents; the participle an adjective of
    the object it took ("aggregated statistics"), as :func:`adjectival_participles` makes it."""
    for token in doc:
        verb = doc[token.i - 1] if token.i > 0 else None
        if verb is None or token.dep_ != "ROOT" or token.tag_ not in ("VBN", "VBD", "JJ") or verb.head != token \
                or verb.dep_ != "aux" or verb.tag_ != "VB" or verb.lemma_.lower() in AUXILIARY_LEMMAS:
            continue
        objects = [c for c in token.children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN") and c.i > token.i]
        if len(objects) != 1:
            continue
        for child in list(token.children):
            if child is not verb:
                child.head = verb
        verb.head, verb.dep_, verb.pos_ = verb, "ROOT", "VERB"
        token.head, token.dep_ = objects[0], "amod"


def adjectival_participles(doc: Doc) -> None:
    """Re-attach, in place, each past participle the parser read as a clause of the verb right before it, with
    the noun right after it as its object, to that noun as an adjective ("share aggregated information",
    "disclose anonymised usage data", "share anonymized data"): the noun becomes the verb's object, and the
    participle's prepositions after the noun ("with advertisers") the verb's. Only a participle without a subject,
    auxiliary or object of its own elsewhere, right after a verb that has no object, and right before its object
    (modifiers of that object between them allowed); an auxiliary verb before it ("have aggregated data") is a
    tense and is left as it is."""
    for token in doc:
        verb = token.head
        participle = token.tag_ in ("VBN", "VBD") or (token.tag_ == "JJ" and token.lower_.endswith("ed"))
        if not participle or token.dep_ not in PARTICIPLE_DEPS or verb.i != token.i - 1 \
                or verb.pos_ != "VERB" or verb.lemma_.lower() in NOT_GOVERNORS \
                or any(c.dep_ == "dobj" for c in verb.children):
            continue
        objects = [c for c in token.children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN")]
        others = [c for c in token.children if c.dep_ not in ("dobj", "prep", "punct")]
        if len(objects) != 1 or others or not all(t.head == objects[0] and t.dep_ in ("compound", "amod", "nmod")
                                                  for t in doc[token.i + 1: objects[0].i]):
            continue
        noun = objects[0]
        preps = [c for c in token.children if c.dep_ == "prep" and c.i > noun.i]
        noun.head, noun.dep_ = verb, "dobj"
        token.head, token.dep_ = noun, "amod"
        for prep in preps:
            prep.head = verb


def reduced_relatives(doc: Doc) -> None:
    """Repair, in place, a sentence-initial noun with a reduced relative clause the parser made the main clause
    (module docstring): a root verb with a subject of its own and no object, an adverbial or bare noun
    before that subject opening the sentence, and a passive clause after the verb with no subject (an auxiliary
    "is/are/be" + participle), hung on it as a ``ccomp`` or as a ``conj`` without a conjunction ("Information you
    choose to share with X is received by Y"). The passive becomes the root, the noun its subject, the verb a
    relative clause of the noun."""
    for verb in doc:
        if verb.dep_ != "ROOT" or verb.pos_ != "VERB" or any(c.dep_ == "dobj" for c in verb.children):
            continue
        subjects = [c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i]
        nouns = [c for c in verb.children if c.dep_ in ("npadvmod", "dep") and c.pos_ in ("NOUN", "PROPN")
                 and subjects and c.i < subjects[0].i and c.left_edge.i == verb.sent.start]
        linked = not any(c.dep_ == "cc" for c in verb.children)  # a conjunct without "and" is no coordination
        passives = [c for c in verb.children if (c.dep_ == "ccomp" or (c.dep_ == "conj" and linked))
                    and c.i > verb.i and c.tag_ == "VBN"
                    and any(a.dep_ == "auxpass" for a in c.children)
                    and not any(a.dep_ in ("nsubj", "nsubjpass") for a in c.children)]
        if len(nouns) != 1 or len(passives) != 1:
            continue
        noun, passive = nouns[0], passives[0]
        passive.head, passive.dep_ = passive, "ROOT"
        noun.head, noun.dep_ = passive, "nsubjpass"
        verb.head, verb.dep_ = noun, "relcl"


RELATIVE_MAIN_DEPS = frozenset({"xcomp", "conj", "ccomp"})  # how the parser hangs the real main verb on the relative's
FINITE_OR_BARE = frozenset({"VB", "VBP", "VBZ", "VBD"})


def contact_relatives(doc: Doc) -> None:
    """Repair, in place, a sentence-opening noun with a relative clause without "that" (a contact clause) whose
    verb the parser took for the main verb's governor: "Vendors we hire store your chat history" ("hire" the
    root with "we" its subject, "Vendors" an adverbial of it, "store" its ``xcomp``), "Partners we work with may
    collect your location" ("collect" a ``conj`` of "work"), "The partners we choose process your payment
    information" ("partners" the root, "choose" its relative clause, "process" an ``xcomp`` of "choose"). The
    relative's verb has a pronoun subject right after the noun and no object (the relative's gap); its later
    verb without a subject or "to" of its own is the real main verb: it becomes the root with the noun its
    subject, the relative's verb a relative clause (``relcl``) of the noun, so the practice's actor is the noun,
    not the relative clause's pronoun. A verb right after a preposition that ends the relative clause counts too,
    however the parser hung it ("Third parties we partner with process X": "process" the object of "with")."""
    for verb in doc:
        noun = _contact_noun(verb)
        stranded = _after_stranded(verb)
        mains = [c for c in dict.fromkeys([*verb.children, *stranded])
                 if (c.dep_ in RELATIVE_MAIN_DEPS or c in stranded) and c.i > verb.i and c.pos_ == "VERB"
                 and c.tag_ in FINITE_OR_BARE and not any(
                     a.dep_ in ("nsubj", "nsubjpass", "csubj", "csubjpass") or a.tag_ == "TO" for a in c.children)]
        if noun is None or len(mains) != 1:
            continue
        main, top = mains[0], (verb if verb.dep_ == "ROOT" else noun)
        main.head, main.dep_ = main, "ROOT"
        for child in [c for c in top.children if c.dep_ in ("punct", "cc") and c.i > main.i]:
            child.head = main
        noun.head, noun.dep_ = main, "nsubj"
        verb.head, verb.dep_ = noun, "relcl"


def _after_stranded(verb: Token) -> list[Token]:
    """The verb right after a preposition that ends the relative clause ("Vendors we work with collect X",
    "Third parties we partner with process X"): the parser reads it as the preposition's object (``pobj``,
    ``pcomp``) or as an adverbial clause of the relative's verb; the relative's real object is its gap."""
    preps = [c for c in verb.children if c.dep_ == "prep" and c.i > verb.i and c.i + 1 < len(verb.doc)]
    return [t for p in preps for t in (verb.doc[p.i + 1],)
            if (t.head == p and t.dep_ in ("pobj", "pcomp")) or (t.head == verb and t.dep_ == "advcl")]


def _contact_noun(verb: Token) -> Token | None:
    """The sentence-opening noun whose contact relative clause ``verb`` is, as the parser read it: ``verb`` the
    root with the noun an adverbial (``npadvmod``/``dep``) of it, or the relative clause of a noun that is the
    root; ``verb`` has a pronoun subject right after the noun and no object, or a preposition without one (the
    gap: "Friends you share your photos with can see them"). None otherwise."""
    if verb.pos_ != "VERB" or (any(c.dep_ == "dobj" for c in verb.children) and not any(
            c.dep_ == "prep" and c.i > verb.i and not any(c.children) for c in verb.children)):
        return None
    if verb.dep_ == "ROOT":
        nouns = [c for c in verb.children if c.dep_ in ("npadvmod", "dep") and c.pos_ in ("NOUN", "PROPN")]
    elif verb.dep_ == "relcl" and verb.head.dep_ == "ROOT" and verb.head.pos_ in ("NOUN", "PROPN"):
        nouns = [verb.head]
    else:
        return None
    nouns = [n for n in nouns if n.left_edge.i == verb.sent.start and any(
        c.dep_ == "nsubj" and c.tag_ == "PRP" and c.i == n.i + 1 for c in verb.children)]
    return nouns[0] if len(nouns) == 1 else None


PARTICLES = frozenset({"on", "over", "along", "up", "out"})  # adverb particles also written as prepositions


def stranded_particles(doc: Doc) -> None:
    """Re-label, in place, a particle written after the verb's object that the parser read as a preposition
    with no object of its own: "We pass your email address on to our partners" ("on" a ``prep`` of "pass"
    without a ``pobj``, sometimes with the "to" phrase after it as its own). Right after the object, it is the
    verb's particle (``prt``), as in "we pass on your email address", so the phrasal verb ("pass on": share) is
    read in either order; a preposition hung on it, here or on a particle the parser did read as one ("We hand
    your phone number over to advertisers"), becomes the verb's, so the "to" phrase names the recipient."""
    for token in doc:
        verb = token.head
        if token.dep_ not in ("prep", "prt") or token.lower_ not in PARTICLES or verb.pos_ != "VERB" \
                or token.i <= verb.i or any(c.dep_ != "prep" for c in token.children):
            continue
        if token.dep_ == "prt" or any(c.dep_ == "dobj" and c.right_edge.i == token.i - 1 for c in verb.children):
            token.dep_, token.tag_, token.pos_ = "prt", "RP", "ADP"
            for prep in list(token.children):
                prep.head = verb


# Operation nouns the tagger also reads as prepositions, and the record nouns they modify ("like records").
OPERATION_PREPOSITIONS = frozenset({"like"})
RECORD_NOUNS = frozenset({"record", "history", "log"})


def operation_modifiers_read_as_prepositions(doc: Doc) -> None:
    """Repair, in place, an operation noun modifying a record noun in a coordination that the parser read as a
    preposition: "your reading records and like records" ("like" a ``prep`` of the verb with "records" as its
    object, so the second phrase named no data). Right after "and" / "or" / a comma that belongs to a noun, and
    right before its record noun and right after a noun phrase, the word is the noun's modifier (``compound``)
    and its phrase is a conjunct of the phrase before, as "your like records" alone is parsed. Not after a comma
    that follows a general data noun (``GENERIC_HEADS``): "information, like records, logs and files" and "usage
    data, like history of your searches" give examples, "like" the preposition "such as" (Huddleston & Pullum
    2002, ch. 7, "like" as a preposition)."""
    for token in doc:
        if token.lower_ not in OPERATION_PREPOSITIONS or token.dep_ not in ("prep", "conj") or token.i < 2 \
                or token.i + 1 >= len(doc):
            continue
        record, before, noun = doc[token.i + 1], doc[token.i - 1], doc[token.i - 2]
        if record.head != token or record.dep_ != "pobj" or record.lemma_.lower() not in RECORD_NOUNS \
                or before.lower_ not in ("and", "or", ",") or noun.pos_ not in ("NOUN", "PROPN"):
            continue
        while noun.dep_ == "compound" and noun.head.i > noun.i:
            noun = noun.head
        if before.lower_ == "," and noun.lemma_.lower() in GENERIC_HEADS:
            continue  # information, like records: examples of the general noun (review8)
        record.head, record.dep_ = noun, "conj"
        token.head, token.dep_, token.tag_, token.pos_ = record, "compound", "NN", "NOUN"


MISTAGGED_VERB_POS = frozenset({"ADV", "ADJ", "NOUN"})


def verbs_after_auxiliaries(doc: Doc) -> None:
    """Re-tag, in place, the head of a clause the tagger took for an adverb, adjective or noun although "do" or
    a modal is its auxiliary and it has a subject: "We do not authorise providers to use ..." ("authorise"
    tagged RB, the British spelling it does not know as a verb). Such a word is a bare verb (``VB``), so the
    verb lists, negation and control read it as they read "authorize"."""
    for token in doc:
        if token.pos_ not in MISTAGGED_VERB_POS or not token.is_alpha or not any(
                c.dep_ == "aux" and (c.tag_ == "MD" or c.lemma_.lower() == "do") and _right_before(c, token)
                for c in token.children) or not any(c.dep_ == "nsubj" and c.i < token.i for c in token.children):
            continue
        token.tag_, token.pos_ = "VB", "VERB"


def mistagged_conjunct_verbs(doc: Doc) -> None:
    """Re-tag, in place, a verb coordinated with another verb that the tagger took for an adverb, adjective or
    noun although it takes an object: "Other users may save or forward your messages" ("forward" tagged RB, a
    ``conj`` of "save" with "messages" its ``dobj``). It is a bare verb of the other's form (``VB`` after a modal),
    so the coordination reads both practices."""
    for token in doc:
        verb = token.head
        if token.dep_ != "conj" or token.pos_ not in MISTAGGED_VERB_POS or not token.is_alpha \
                or verb.pos_ != "VERB" or token.i < verb.i \
                or not any(c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN", "PRON") for c in token.children) \
                or not any(c.dep_ == "cc" and verb.i < c.i < token.i for c in verb.children):
            continue
        token.tag_, token.pos_ = verb.tag_, "VERB"


def nouns_read_as_conjunct_verbs(doc: Doc, index: TypeIndex) -> None:
    """Repair, in place, a noun modifier of a coordinated data phrase that the tagger took for a verb: "We keep
    your name and address details" ("address" a bare verb, a ``conj`` of "keep" or of "name", with "details" its
    object, so the sentence states "your name" and "address details" is no data). A base-form verb coordinated
    with a noun object (or with the verb of one, after it), with nothing before it of its own (no subject,
    auxiliary or adverb), not a practice verb of ``patterns.yml`` ("and use data"), whose "<word> information" the
    ontology (``index``) names ("address information"; not "protect data", "match data"), and a bare generic data
    noun right after it as its object (:data:`GENERIC_CONJUNCTS`:
    "details", "information", "data", no article or possessive), is that noun's modifier (``compound``, ``NN``)
    and the generic noun the object's conjunct, so the series shares the head ("name and address details" reads
    as "name and address information", round en25); what followed the generic noun ("for 30 days") goes back to
    the clause's verb."""
    for token in doc:
        obj = _coordinated_object(token)
        if obj is None or index.type_words("information", [token.lower_], attribute=True) is None:
            continue
        generic, verb = doc[token.i + 1], obj.head
        while verb.pos_ not in ("VERB", "AUX") and verb.head != verb:  # the clause's verb, past a preposition
            verb = verb.head
        for child in [c for c in token.children if c != generic]:
            child.head = verb
        for cc in [c for c in token.head.children if c.dep_ == "cc" and obj.i < c.i < token.i]:
            cc.head = obj
        generic.head, generic.dep_ = obj, "conj"
        token.head, token.dep_, token.tag_, token.pos_ = generic, "compound", "NN", "NOUN"


def _coordinated_object(token: Token) -> Token | None:
    """The noun object ``token`` (a bare verb followed by a bare generic data noun) is coordinated with, for
    :func:`nouns_read_as_conjunct_verbs`; ``None`` when ``token`` is no such verb."""
    head = token.head
    if token.dep_ != "conj" or token.tag_ not in ("VB", "VBP") or token.i < head.i or token.i + 1 >= len(token.doc) \
            or token.lemma_.lower() in load_patterns().verb_action:  # "and use data": a practice verb is a verb
        return None
    generic = token.doc[token.i + 1]
    if generic.lower_ not in GENERIC_CONJUNCTS or generic.head != token or generic.dep_ != "dobj" \
            or any(c.dep_ in ("det", "poss", "amod") for c in generic.children) \
            or any(c.i < token.i for c in token.children):
        return None
    if head.pos_ in ("NOUN", "PROPN") and head.dep_ in ("dobj", "nsubjpass", "pobj"):
        return head
    objects = [c for c in head.children if c.dep_ == "dobj" and c.i < token.i and c.pos_ in ("NOUN", "PROPN")]
    return objects[0] if head.pos_ == "VERB" and len(objects) == 1 else None


def _right_before(aux: Token, token: Token) -> bool:
    """``aux`` comes right before ``token``, with at most adverbs ("not", "never", "also") between them."""
    return aux.i < token.i and all(t.pos_ in ("ADV", "PART") for t in aux.doc[aux.i + 1: token.i])


FINITE_AUX_TAGS = frozenset({"VBZ", "VBP", "VBD", "MD"})


def infinitival_relative_subjects(doc: Doc) -> None:
    """Repair, in place, a sentence-opening noun with an infinitival relative clause that the parser made the main
    clause, coordinated with a second subject: "Text to be sent and sent text are stored" ("Text" the subject
    of "to be sent", the root, and "are stored" a ``conj`` of it with "sent text" its only subject, so the
    practice reached the second noun alone). A root participle whose only auxiliaries are "to" and "be" (no
    finite verb: an infinitival relative, Huddleston & Pullum 2002, ch. 12 §6) with a subject before it, and
    a ``conj`` passive after "and/or" with a subject and a finite auxiliary of its own: the passive becomes the
    root, the noun its subject (``nsubjpass``) with the second subject a conjunct of it, the infinitive a
    relative clause (``relcl``) of the noun, so both coordinated subjects get the practice."""
    for verb in doc:
        if verb.dep_ != "ROOT" or verb.tag_ != "VBN" or not _bare_infinitive_passive(verb):
            continue
        nouns = [c for c in verb.children if c.dep_ == "nsubjpass" and c.i < verb.i
                 and c.left_edge.i == verb.sent.start]
        ccs = [c for c in verb.children if c.dep_ == "cc" and c.lower_ in ("and", "or")]
        mains = [c for c in verb.children if c.dep_ == "conj" and c.tag_ == "VBN" and ccs and c.i > ccs[0].i
                 and any(a.dep_ in ("aux", "auxpass") and a.tag_ in FINITE_AUX_TAGS for a in c.children)]
        subjects = [c for m in mains for c in m.children if c.dep_ == "nsubjpass" and c.i < m.i]
        if len(nouns) != 1 or len(ccs) != 1 or len(mains) != 1 or len(subjects) != 1 or any(
                c.dep_ in ("dobj", "agent") for c in verb.children):
            continue
        noun, cc, main, second = nouns[0], ccs[0], mains[0], subjects[0]
        for child in [c for c in verb.children if c.dep_ == "punct" and c.i > main.i]:
            child.head = main
        main.head, main.dep_ = main, "ROOT"
        noun.head, noun.dep_ = main, "nsubjpass"
        cc.head = noun
        second.head, second.dep_ = noun, "conj"
        verb.head, verb.dep_ = noun, "relcl"


def _bare_infinitive_passive(verb: Token) -> bool:
    """``verb`` has "to" and a passive "be" among its auxiliaries and no finite auxiliary or modal."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    return (any(a.tag_ == "TO" for a in auxes) and any(a.dep_ == "auxpass" and a.lower_ == "be" for a in auxes)
            and not any(a.tag_ in FINITE_AUX_TAGS for a in auxes))


def parse_repairs(doc: Doc, index: TypeIndex | None = None) -> None:
    """Every repair of this module, in place, in the order they depend on each other; the one that must know which
    words name data (:func:`nouns_read_as_conjunct_verbs`) runs with the ontology's ``index`` only."""
    verbs_after_auxiliaries(doc)
    mistagged_conjunct_verbs(doc)
    if index is not None:
        nouns_read_as_conjunct_verbs(doc, index)
    verbs_read_as_auxiliaries(doc)
    adjectival_participles(doc)
    reduced_relatives(doc)
    infinitival_relative_subjects(doc)
    contact_relatives(doc)
    stranded_particles(doc)
    operation_modifiers_read_as_prepositions(doc)
    participle_relatives(doc)
    about_phrases(doc)
    opening_participles(doc)
    relative_conjuncts(doc)
    participle_series(doc)
    negated_participle_conjuncts(doc)
    manner_clause_subjects(doc)
    fronted_relative_objects(doc)
    conjuncts_after_embedded_questions(doc)
    questions_coordinated_with_objects(doc)
    appositive_subjects(doc)
    conjunct_subjects(doc)


SUBJECT_LABELS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
OPENING_OBJECTS = frozenset({"dobj", "pobj"})


def appositive_subjects(doc: Doc) -> None:
    """Repair, in place, the subject of a main verb that the parser read as an apposition of the last noun of
    an opening when/if clause: "When you use a Mini Program, the operator of that Mini Program may collect X"
    ("operator" an ``appos`` of "Program", so "collect" had no subject and read as ours). A noun phrase after the
    clause's comma, ending right before the main verb (with only auxiliaries and adverbs between), hung as an
    apposition on the object of a verb of the main verb's adverbial clause, is that verb's subject (``nsubj``,
    or ``nsubjpass`` for a passive), when the main verb has no subject of its own. When the parser made the
    opening clause the main one and the real main verb its complement ("When you use WeChat Login, the app you log
    in to obtains X": "obtains" an ``xcomp`` of "use"), the complement becomes the main verb and the opening
    clause its adverbial clause."""
    for verb in doc:
        if verb.pos_ not in ("VERB", "AUX") or any(c.dep_ in SUBJECT_LABELS for c in verb.children):
            continue
        inverted = _opening_governor(verb)
        nouns = [t for t in doc[verb.sent.start: verb.i] if t.dep_ == "appos" and t.pos_ in ("NOUN", "PROPN")
                 and t.head.dep_ in OPENING_OBJECTS and t.i > t.head.i and _ends_before(t, verb)
                 and doc[t.left_edge.i - 1].text == ","
                 and (_in_opening_clause(t.head, verb) or (inverted and _in_clause_of(t.head, verb.head)))]
        if len(nouns) != 1:
            continue
        if inverted:
            opening = verb.head
            top, dep = (verb, "ROOT") if opening.dep_ == "ROOT" else (opening.head, opening.dep_)
            for child in [c for c in opening.children if c.dep_ == "punct" and c.i > verb.i]:
                child.head = verb
            verb.head, verb.dep_ = top, dep
            opening.head, opening.dep_ = verb, "advcl"
        passive = any(c.dep_ == "auxpass" for c in verb.children)
        nouns[0].head, nouns[0].dep_ = verb, ("nsubjpass" if passive else "nsubj")


def conjunct_subjects(doc: Doc) -> None:
    """Repair, in place, the subject of a main verb that the parser read as a conjunct of the last noun of an
    opening phrase: "In order to comply with laws protecting Minors, email address and/or payment card
    information of a parent/guardian is collected" ("address" a ``conj`` of "Minors" across the comma, so
    "collected" had no subject). A bare noun phrase (no article or possessive) after the opening phrase's comma,
    ending right before the main verb (only auxiliaries and adverbs between), hung as a conjunct on an object
    inside the verb's opening adverbial clause or prepositional phrase, is the verb's subject (``nsubjpass`` for
    a passive, else ``nsubj``) when the verb has none; its own later conjuncts stay on it. The comma closes the
    opening phrase (a fronted adverbial, Huddleston & Pullum 2002, ch. 6 sec. 3), so nothing after it continues
    the opening phrase's series."""
    for verb in doc:
        if verb.pos_ not in ("VERB", "AUX") or any(c.dep_ in SUBJECT_LABELS for c in verb.children):
            continue
        nouns = [t for t in doc[verb.sent.start: verb.i] if t.dep_ == "conj" and t.pos_ in ("NOUN", "PROPN")
                 and t.head.dep_ in OPENING_OBJECTS and t.i > t.head.i and _ends_before(t, verb)
                 and doc[t.left_edge.i - 1].text == "," and _in_opening_phrase(t.head, verb)]
        if len(nouns) != 1:
            continue
        passive = any(c.dep_ == "auxpass" for c in verb.children)
        nouns[0].head, nouns[0].dep_ = verb, ("nsubjpass" if passive else "nsubj")


def _in_opening_phrase(token: Token, verb: Token) -> bool:
    """``token`` is inside an adverbial clause or prepositional phrase of ``verb`` that opens its sentence."""
    while token.head != token and token.head != verb:
        token = token.head
    return token.head == verb and token.dep_ in ("advcl", "prep") and token.left_edge.i == verb.sent.start


OPENING_MARKS = frozenset({"when", "if", "once", "after", "whenever", "while"})


def _opening_governor(verb: Token) -> bool:
    """``verb`` is a complement of a clause that opens its sentence with "when / if / once ..." (the parser's
    inversion of an opening clause and the main verb)."""
    opening = verb.head
    mark = opening.left_edge
    return verb.dep_ in ("xcomp", "ccomp") and opening.i < verb.i and mark.i == verb.sent.start \
        and mark.lower_ in OPENING_MARKS and mark.head == opening


def _in_clause_of(token: Token, clause: Token) -> bool:
    """``token`` is ``clause``'s object or inside one of its prepositional phrases."""
    while token.head != token and token.head != clause and token.dep_ in ("pobj", "prep", "dobj"):
        token = token.head
    return token.head == clause


def _ends_before(noun: Token, verb: Token) -> bool:
    """The phrase of ``noun`` ends right before ``verb``, with only auxiliaries, modals and adverbs between."""
    between = noun.doc[noun.right_edge.i + 1: verb.i]
    return noun.left_edge.i > 0 and all(t.dep_ in ("aux", "auxpass", "neg", "advmod") and t.head == verb
                                        for t in between)


def _in_opening_clause(token: Token, verb: Token) -> bool:
    """``token`` is inside an adverbial clause of ``verb`` that opens before it."""
    while token.head != token and token.head != verb:
        token = token.head
    return token.head == verb and token.dep_ == "advcl" and token.i < verb.i


def participle_series(doc: Doc) -> None:
    """Repair, in place, a passive series the parser read as "be" with an adjectival complement: "Images are
    compressed, encrypted and uploaded to our servers" ("are" the root, "compressed" its ``acomp``, the other
    participles its conjuncts), so the later participles had no subject. A past participle complementing a form
    of "be" and coordinated with another participle is a passive: it takes the clause's place (``auxpass`` "be",
    its subject a passive subject); a lone complement ("we are committed to", "you are required to") is left.
    A participle with a passive auxiliary has a passive subject, not an active one ("Images you send are
    compressed, encrypted and uploaded ...": "Images" read as ``nsubj``); not in a question, which names a
    topic ("How Personal Information is Shared", a heading the parser left so)."""
    for verb in doc:
        auxiliaries = [c for c in verb.children if c.dep_ == "auxpass"] if verb.tag_ == "VBN" else []
        question = any(c.tag_ in ("WRB", "WP", "WDT") for t in (verb, *auxiliaries) for c in t.children)
        for child in [c for t in (verb, *auxiliaries) for c in t.children
                      if auxiliaries and not question and c.dep_ == "nsubj" and c.i < verb.i]:
            child.head, child.dep_ = verb, "nsubjpass"  # (hung on the verb or on its auxiliary)
        be = verb.head
        if verb.dep_ != "acomp" or verb.tag_ != "VBN" or be.lemma_.lower() != "be" or not any(
                c.dep_ == "conj" and c.tag_ in ("VBN", "VBD") for c in verb.children):
            continue
        for child in list(be.children):
            if child is not verb:
                child.head = verb
                if child.dep_ == "nsubj":
                    child.dep_ = "nsubjpass"
        verb.head, verb.dep_ = (verb, "ROOT") if be.dep_ == "ROOT" else (be.head, be.dep_)
        be.head, be.dep_, be.pos_ = verb, "auxpass", "AUX"


POSTPOSED_HEADS = frozenset({"ADJ", "VERB"})  # "settings viewable to you", "notes kept private"


def negated_participle_conjuncts(doc: Doc) -> None:
    """Re-attach, in place, a negated participle that the parser coordinated with the main verb although it
    continues a postposed modifier of the verb's object: "These include personal account settings viewable to you
    but not shared with other users" ("shared" read as a subjectless conjunct of "include", so its negated share
    was lost). A past participle with "not", no subject or auxiliary of its own, right after "but" / "and" that
    follows a postposed adjective or participle of the main verb's object, modifies that object as a reduced
    relative clause (``acl``), as "notes not shared with other users" does (Huddleston & Pullum 2002, ch. 15 on
    coordination of unlike modifiers: "viewable to you but not shared" coordinates two postmodifiers of one
    noun)."""
    for verb in doc:
        if verb.tag_ != "VBN" or verb.dep_ != "conj" or verb.head.pos_ not in ("VERB", "AUX") \
                or any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in verb.children):
            continue
        negs = [c for c in verb.children if c.dep_ == "neg" and c.i < verb.i]
        if not negs or negs[0].i < 2:
            continue
        cc = doc[negs[0].i - 1]
        if cc.dep_ != "cc" or cc.lower_ not in ("but", "and") or cc.head != verb.head:
            continue
        objects = [o for o in verb.head.children if o.dep_ in ("dobj", "attr") and o.i < cc.i]
        modifiers = [m for o in objects for m in o.children
                     if m.i > o.i and m.pos_ in POSTPOSED_HEADS and m.dep_ in ("amod", "acl")
                     and m.right_edge.i == cc.i - 1]
        if len(modifiers) != 1:
            continue
        verb.head, verb.dep_ = modifiers[0].head, "acl"
        cc.head = verb


def relative_conjuncts(doc: Doc) -> None:
    """Re-attach, in place, a verb phrase the parser coordinated with a relative clause although it belongs to the
    main clause: "Operators can see the messages you send to them and may store them under their own terms"
    ("store" a ``conj`` of the relative clause's "send"). A conjunct of a relative clause shares its gap; one
    with an object pronoun of its own ("it", "them": the relative clause's noun, named again) and its own
    auxiliary but no subject continues the clause that governs the noun: it becomes a conjunct of that verb
    (with the "and" before it), so its subject is the main clause's."""
    for verb in doc:
        relative = verb.head
        noun = relative.head
        main = noun.head
        if verb.dep_ != "conj" or relative.dep_ != "relcl" or verb.pos_ != "VERB" or main.pos_ != "VERB" \
                or noun.dep_ not in ("dobj", "nsubj", "nsubjpass") or not any(c.dep_ == "aux" for c in verb.children) \
                or any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children) \
                or not any(c.dep_ == "dobj" and c.lower_ in OBJECT_PRONOUNS for c in verb.children) \
                or not any(c.dep_ in ("nsubj", "nsubjpass") for c in relative.children):
            continue
        _continue_clause(verb, relative, main, ("cc", "punct"))


def opening_participles(doc: Doc) -> None:
    """Repair, in place, a sentence-opening participle (a table cell's "Retained ...", "Stored ...") that the
    parser made an adverbial clause of a contact relative clause inside its own prepositional phrase: "Retained
    for 180 days from the date the video was watched" ("watched" the root with "the video" its subject,
    "Retained" its ``advcl``). The relative clause follows the preposition's object ("date") without "that":
    the participle becomes the root and the later verb a relative clause (``relcl``) of that object, so the
    sentence states the retention, not the watching."""
    for verb in doc:
        main = verb.head
        if verb.tag_ != "VBN" or verb.dep_ != "advcl" or verb.i != verb.sent.start or main.dep_ != "ROOT" \
                or main.i < verb.i or main.pos_ not in ("VERB", "ADJ") \
                or any(c.dep_ == "mark" for c in main.children):
            continue
        subjects = [c for c in main.children if c.dep_ in ("nsubj", "nsubjpass") and c.i > verb.i]
        if len(subjects) != 1:
            continue
        nouns = [t for t in verb.subtree if t.dep_ == "pobj" and t.pos_ == "NOUN"
                 and t.right_edge.i == subjects[0].left_edge.i - 1]
        if len(nouns) != 1:
            continue
        verb.head, verb.dep_ = verb, "ROOT"
        for child in [c for c in main.children if c.dep_ == "punct" and c.i > main.i]:
            child.head = verb
        main.head, main.dep_ = nouns[0], "relcl"


def participle_relatives(doc: Doc) -> None:
    """Repair, in place, a sentence-opening noun with a participle phrase that the parser made a clause of its
    own: "Information shared with a Mini Program is handled by the developer" (the participle read as the
    root, the real passive as its conjunct without "and") and "Photos uploaded to a Mini Program are stored by
    its developer" (the participle read as the passive's clausal subject, with the noun its subject). The
    passive becomes (or stays) the root with the noun as its subject; the participle becomes a reduced relative
    clause (``acl``) of the noun, so it states no practice of its own."""
    for verb in doc:
        if verb.tag_ not in ("VBD", "VBN") or any(c.dep_ in ("aux", "auxpass", "dobj", "cc") for c in verb.children):
            continue
        nouns = [c for c in verb.children if c.dep_ == "nsubj" and c.pos_ in ("NOUN", "PROPN") and c.i < verb.i
                 and c.left_edge.i == verb.sent.start and c.i == verb.i - 1]
        if len(nouns) != 1:
            continue
        if verb.dep_ == "ROOT":
            passives = [c for c in verb.children if c.dep_ == "conj" and c.tag_ == "VBN" and _subjectless_passive(c)]
        elif verb.dep_ in ("csubjpass", "csubj") and _subjectless_passive(verb.head, verb):
            passives = [verb.head]
        else:
            continue
        if len(passives) != 1:
            continue
        noun, passive = nouns[0], passives[0]
        if verb.dep_ == "ROOT":
            passive.head, passive.dep_ = passive, "ROOT"
            for child in [c for c in verb.children if c.dep_ == "punct" and c.i > passive.i]:
                child.head = passive
        noun.head, noun.dep_ = passive, "nsubjpass"
        verb.head, verb.dep_ = noun, "acl"


def _subjectless_passive(verb: Token, allowed: Token | None = None) -> bool:
    """``verb`` is a passive ("is handled", "are stored") with no subject of its own (``allowed`` aside)."""
    return any(c.dep_ == "auxpass" for c in verb.children) and not any(
        c.dep_ in ("nsubj", "nsubjpass", "csubj", "csubjpass") and c is not allowed for c in verb.children)


GENERIC_CONJUNCTS = frozenset({"information", "data", "details", "info", "records"})
SERIES_DEPS = frozenset({"conj", "appos"})  # how the parser links the items of a series to its first


def about_phrases(doc: Doc) -> None:
    """Re-attach, in place, an "about / of / regarding" phrase right after a generic conjunct ("information",
    "data", "details") that the parser hung on the first item instead: "your name and information about your
    account" ("about your account" read as qualifying "name", so "information" is bare and the account's
    information lost). Written right after the generic word, the phrase qualifies it. The generic word may be
    any later item of the series: "your name, email address and details of your purchases" (the parser links
    "details" to "address", an apposition of "name", and hangs "of your purchases" on "name"). Also a topic
    phrase the parser hung on the verb right after the verb's generic object (:func:`_about_its_object`: "we
    collect and store information on your use of the site")."""
    for prep in doc:
        noun = prep.head
        if prep.dep_ != "prep" or prep.lower_ not in ABOUT_PREPS or noun.pos_ not in ("NOUN", "PROPN") \
                or prep.i == 0:
            continue
        generic = doc[prep.i - 1]
        if generic.lower_ in GENERIC_CONJUNCTS and generic.dep_ == "conj" and generic.i > noun.i \
                and _in_series_of(generic, noun):
            prep.head = generic
    for prep in doc:
        if prep.dep_ == "prep" and prep.i > 0 and prep.head.pos_ == "VERB" and _about_its_object(prep):
            prep.head = doc[prep.i - 1]


TOPIC_PREPS = frozenset({"about", "regarding", "concerning"})
ACTIVITY_TOPICS = frozenset({"use", "usage", "activity", "interaction", "behavior", "behaviour", "visit"})


def _about_its_object(prep: Token) -> bool:
    """"We collect and store information on your use of the site": a topic phrase written right after the verb's
    generic object ("information", "data", "details") that the parser hung on the verb qualifies the object. "on"
    only before a use or an activity ("store information on our servers" is a place)."""
    generic = prep.doc[prep.i - 1]
    if generic.lower_ not in GENERIC_CONJUNCTS or generic.dep_ != "dobj" or generic.head != prep.head:
        return False
    if prep.lower_ in TOPIC_PREPS:
        return True
    return prep.lower_ == "on" and any(c.dep_ == "pobj" and c.lemma_.lower() in ACTIVITY_TOPICS for c in prep.children)


def _in_series_of(item: Token, first: Token) -> bool:
    """``item`` is a later item of the series whose first item is ``first``: its chain of ``conj``/``appos``
    heads reaches ``first``."""
    token = item
    while token.dep_ in SERIES_DEPS and token.head is not token:
        token = token.head
        if token == first:
            return True
    return False


PASSIVE_SUBJECTS = frozenset({"nsubjpass", "nsubj"})


def manner_clause_subjects(doc: Doc) -> None:
    """Repair, in place, a "how" clause that is the subject of a passive the parser read as the clause's
    complement: "How the developer uses your data is governed by its own terms" ("uses" the root, "data" the
    subject of "is governed", a ``ccomp`` of "uses"). The clause's verb has "how" at its left edge, a subject and
    no object; the complement is a passive (or "is subject to") whose subject starts right after that verb.
    That subject becomes the verb's object, the passive takes the verb's place in the tree (the root, or the
    conjunct in "..., and how they use it is governed by ...") with the clause as its clausal subject
    (``csubjpass``), so the practice of the clause is read as one governed by that document."""
    for verb in doc:
        if verb.pos_ != "VERB" or verb.left_edge.lower_ != "how" or verb.left_edge.head != verb \
                or not any(c.dep_ == "nsubj" for c in verb.children) or any(c.dep_ == "dobj" for c in verb.children):
            continue
        passives = [c for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i and any(
            a.dep_ in ("auxpass", "acomp") for a in c.children) and any(
            s.dep_ in PASSIVE_SUBJECTS and s.left_edge.i == verb.i + 1 for s in c.children)]
        if len(passives) != 1:
            continue
        passive = passives[0]
        noun = next(s for s in passive.children if s.dep_ in PASSIVE_SUBJECTS and s.left_edge.i == verb.i + 1)
        top, dep = (passive, "ROOT") if verb.dep_ == "ROOT" else (verb.head, verb.dep_)
        for child in [c for c in verb.children if c.dep_ in ("punct", "cc") and c.i > passive.i]:
            child.head = passive
        passive.head, passive.dep_ = top, dep
        noun.head, noun.dep_ = verb, "dobj"
        verb.head, verb.dep_ = passive, ("csubjpass" if any(a.dep_ == "auxpass" for a in passive.children)
                                         else "csubj")


FRONTED_DEPS = frozenset({"dobj", "advmod", "npadvmod", "dep"})
FRONTED_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS", "JJ"})  # a noun, or one the tagger took for an adjective


def fronted_relative_objects(doc: Doc) -> None:
    """Repair, in place, a sentence-opening noun with a contact relative clause that the parser read as that
    clause's fronted object, the clause being the subject of the passive after it: "Photos you share in Moments
    can be seen by your friends" ("Photos" the ``dobj`` of "share", "share" the ``csubjpass`` of "seen"; or the
    noun tagged an adjective and read as an adverbial: "Content you post to Moments may be cached by ..."). The
    noun opens the sentence, the clause's pronoun subject follows it right away: the noun becomes the subject of
    the passive (or of the verb the clause was the subject of) and the clause its relative clause."""
    for verb in doc:
        if verb.dep_ not in ("csubjpass", "csubj") or verb.pos_ != "VERB":
            continue
        nouns = [c for c in verb.children if c.dep_ in FRONTED_DEPS and c.tag_ in FRONTED_TAGS and c.i < verb.i
                 and c.left_edge.i == verb.sent.start and any(
                     s.dep_ == "nsubj" and s.tag_ == "PRP" and s.i == c.right_edge.i + 1 for s in verb.children)]
        if len(nouns) != 1:
            continue
        noun, governor = nouns[0], verb.head
        if noun.pos_ not in ("NOUN", "PROPN"):  # "Content you post ..." with "Content" tagged an adjective
            noun.tag_, noun.pos_ = "NN", "NOUN"
        noun.head, noun.dep_ = governor, ("nsubjpass" if verb.dep_ == "csubjpass" else "nsubj")
        verb.head, verb.dep_ = noun, "relcl"


def conjuncts_after_embedded_questions(doc: Doc) -> None:
    """Re-attach, in place, a verb phrase "and V it / them" that the parser coordinated with the verb of an
    embedded question qualifying the main verb's object, to the main verb: "Providers receive information about
    how you use WeChat and use it to ..." ("use it" a conjunct of "how you use"), "Vendors receive details of what
    you buy and store them". The conjunct has no subject of its own and a pronoun object, which refers back to
    the main verb's object, so it continues the main clause (its subject and the antecedent of "it")."""
    for verb in doc:
        question = verb.head
        if verb.dep_ != "conj" or verb.pos_ != "VERB" or question.dep_ != "pcomp" \
                or any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children) \
                or not any(c.dep_ == "dobj" and c.lower_ in OBJECT_PRONOUNS for c in verb.children) \
                or not any(c.dep_ == "nsubj" for c in question.children) \
                or not any(c.tag_ in ("WRB", "WP") and c.i < question.i for c in question.subtree):
            continue
        noun = question.head.head  # question <- prep <- the object it qualifies
        main = noun.head
        if noun.dep_ != "dobj" or main.pos_ != "VERB":
            continue
        _continue_clause(verb, question, main, ("cc",))


def questions_coordinated_with_objects(doc: Doc) -> None:
    """Re-attach, in place, an embedded question coordinated with a noun object that the parser coordinated with
    the main verb instead: "you may have special rights over your data and how we can use it" ("use" a ``conj``
    of "have", so the sentence read as stating our use). A verb opened by a wh-word of its own ("how", "what",
    "why"; not "that"), with a subject, right after "and"/"or" that follows the main verb's object phrase, is a
    conjunct of the last object (or prepositional object) ending before the conjunction: a noun phrase and an
    interrogative clause coordinate as complements (Huddleston & Pullum 2002, ch. 11 sec. 5 and ch. 15), so the
    question is part of what the object names, not a practice of the main clause."""
    for verb in doc:
        main, wh = verb.head, verb.left_edge
        if verb.dep_ != "conj" or verb.pos_ != "VERB" or main.pos_ not in ("VERB", "AUX") or wh.i < 2 \
                or wh.tag_ not in ("WRB", "WP") or wh.lower_ == "that" or wh.head != verb \
                or doc[wh.i - 1].lower_ not in SERIES_CONJUNCTIONS \
                or not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
            continue
        cc = doc[wh.i - 1]
        objects = [t for t in doc[main.i + 1: cc.i] if t.dep_ in ("dobj", "pobj") and t.right_edge.i == cc.i - 1]
        if not objects:
            continue
        if cc.head == main:
            cc.head = objects[-1]
        verb.head = objects[-1]


def _continue_clause(verb: Token, inner: Token, main: Token, links: tuple[str, ...]) -> None:
    """Hang the conjunct ``verb`` the parser coordinated with the clause ``inner`` on ``main``, with the
    conjunction (and, for ``("cc", "punct")``, the comma) between ``inner`` and it: :func:`relative_conjuncts`,
    :func:`conjuncts_after_embedded_questions`."""
    for link in [c for c in inner.children if c.dep_ in links and inner.i < c.i < verb.i]:
        link.head = main
    verb.head = main
