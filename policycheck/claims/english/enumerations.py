"""Data named by an argument: enumerations, examples, members and back-references.

"your name, alias, mobile number and password" is one object whose conjuncts each name a data type; "device
attributes, such as your mobile carrier ... and your IP address" names a category and its examples (both are
kept); "information about your viewing history" names only the viewing history (a bare "information" is dropped
when the argument names something more specific); "(but not the content of such communications)" is excluded;
"language and location customisation" names no data (the mentions only modify "customisation"). The walk stays
inside the noun phrase: clauses are entered only when their verb lists members ("profile, which includes your
WeChat ID") or for the examples the parser hung on them, and prepositions that introduce a party, place or
purpose ("with third parties", "for security") are not entered. When the phrase names nothing, "this
information", "the data", "it" or "these channels" take the data of the nearest earlier phrase they refer to,
or the row's data in a table.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from policycheck.claims.english.frame import ROOT_DATA_TYPE, DataRef, Reading
from policycheck.claims.english.lexicon import GENERIC_WORDS, SERIES_CONJUNCTIONS, Mention, is_modifier
from policycheck.claims.english.patterns import Patterns
from policycheck.claims.english.typing import (
    ABOUT_PREPS,
    DOCUMENT_HEADS,
    EXTRACTED,
    FALLBACK,
    HEAD_WORD,
    IDENTIFIER,
    IDENTITY_DOCUMENT,
    MODIFIER_DEPS,
    NOUN_FORMS,
    RECORD_FAMILY,
    RECORD_HEADS,
    TypeIndex,
    phrase_words,
    singular,
    type_index,
    used_objects,
)

CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp", "csubj", "parataxis", "pcomp"})
# Prepositions that leave the data phrase: parties, places, times, purposes, manners.
NON_DATA_PREPS = frozenset({"with", "to", "by", "for", "through", "via", "at", "among", "within", "between", "under",
                            "during", "after", "before", "since", "until", "in", "into", "across", "upon", "per",
                            "than", "against", "toward", "towards", "over", "using", "from"})
EXAMPLE_PREPS = frozenset({"including", "include", "as", "like"})
_CLAUSE_SKIP = CLAUSE_DEPS | {"nsubj", "nsubjpass", "punct", "cc", "mark", "aux", "auxpass", "neg"}
NAMING = frozenset({"call", "name", "term", "dub"})  # "a small file called a cookie"


def np_tokens(head: Token, pat: Patterns, include_clauses: bool = True) -> set[int]:
    """Token indices of the noun phrase headed by ``head``: its modifiers, conjuncts, appositions and examples,
    without clauses (except clauses listing members, with ``include_clauses``) and party/place prepositions."""
    out: set[int] = set()
    stack = [head, *_named_after(head)]
    while stack:
        token = stack.pop()
        out.add(token.i)
        for child in token.children:
            if _negated_branch(child, pat):
                continue
            if child.dep_ in CLAUSE_DEPS and child.pos_ in ("ADJ", "ADV") and token.lower_ in EXAMPLE_PREPS:
                # a hedge opening the examples: "including where available your IP address, ..."
                stack.extend(c for c in child.children if c.dep_ in ("nsubj", "nsubjpass"))
                continue
            if child.dep_ in CLAUSE_DEPS:
                if include_clauses and child.lemma_.lower() in pat.include_verbs:
                    out.add(child.i)
                    stack.extend(c for c in child.children if c.dep_ not in _CLAUSE_SKIP)
                elif include_clauses:  # examples the parser attached to a clause ("information that ..., such as")
                    stack.extend(c for c in child.subtree if c.dep_ == "prep" and c.lower_ in EXAMPLE_PREPS
                                 and (c.head == child or c.head.pos_ == "PRON"))
                    # the name given to the phrase: "a technology called clear GIFs" ("known as" is an example)
                    stack.extend(c for c in child.children if c.dep_ == "oprd" and child.lemma_.lower() in NAMING)
                continue
            if child.dep_ == "prep" and child.lower_ in NON_DATA_PREPS:
                continue
            if child.dep_ in ("punct", "cc", "det", "case", "mark"):
                continue
            stack.append(child)
    return out


NAMED_AS = NAMING | {"know", "refer"}  # "(also called a web beacon)", "(sometimes referred to as a pixel tag)"
NAMING_DEPS = frozenset({"parataxis", "xcomp", "advcl", "acl", "appos", "dep"})


def _named_after(head: Token) -> list[Token]:
    """The name a naming clause gives an object when the parser hangs the clause on the verb: "We use a small
    image (also called a pixel tag) to ...", "a piece of code called a web beacon", "(sometimes referred to as
    a clear GIF)": the named phrase (the ``oprd`` / ``dobj`` of "called", the "as" object of "known" or
    "referred to"), for a clause right after the object with no subject of its own."""
    verb = head.head
    if head.dep_ not in ("dobj", "nsubjpass", "pobj", "attr") or verb == head:
        return []
    out: list[Token] = []
    for clause in verb.children:
        if clause.i <= head.i or clause.dep_ not in NAMING_DEPS or clause.lemma_.lower() not in NAMED_AS \
                or clause.left_edge.i > head.right_edge.i + 2 \
                or any(c.dep_ in ("nsubj", "nsubjpass") for c in clause.children):
            continue
        out += [c for c in clause.children if c.dep_ in ("oprd", "dobj")]
        preps = [c for c in clause.children if c.dep_ == "prep"]
        preps += [g for p in preps for g in p.children if g.dep_ == "prep"]  # "referred to as"
        out += [o for p in preps if p.lower_ == "as" for o in p.children if o.dep_ == "pobj"]
    return out


def not_limited(token: Token) -> bool:
    """The "not limited" of "including (, but) not limited to X": an idiom that lists examples, no negation."""
    return token.lemma_.lower() == "limit" and any(c.dep_ == "neg" for c in token.children) and any(
        c.dep_ == "prep" and c.lower_ == "to" for c in token.children)


def _negated_branch(token: Token, pat: Patterns) -> bool:
    """A branch excluded by negation: "(but not the content ...)", "except X", "other than X"; not the examples
    of "including but not limited to X"."""
    if token.dep_ == "prep" and token.lower_ in pat.excluding_words:
        return True
    if not_limited(token):
        return False
    if token.dep_ in ("conj", "appos", "dep", "npadvmod", "prep", "pobj") and any(
            c.dep_ == "neg" or c.lower_ in ("not", "never") for c in token.children):
        return True
    return token.dep_ == "prep" and token.lower_ == "than" and token.head.lower_ == "other"


def negated_branch(token: Token, pat: Patterns) -> bool:
    """True when ``token`` sits in a branch that negation excludes, anywhere up to its sentence root. Examples
    set off by a comma after a negated relative clause are the examples of the clause's noun, wherever the
    parser hangs them ("data that does not identify you, such as your browser type": the browser type is data,
    not something that does not identify you)."""
    example = False
    while token.head != token:
        if _negated_branch(token, pat) and not (example and _relative_clause(token)):
            return True
        example |= _comma_example(token)
        token = token.head
    return False


def _comma_example(token: Token) -> bool:
    """", such as X" / ", including X" / ", like X": an example marker set off by a comma."""
    if token.dep_ != "prep" or token.lower_ not in ("as", "including", "like"):
        return False
    i = token.i - 1 if token.lower_ != "as" else token.i - 2
    if token.lower_ == "as" and (token.i < 1 or token.doc[token.i - 1].lower_ != "such"):
        return False
    return i >= 0 and token.doc[i].text == ","


def _relative_clause(token: Token) -> bool:
    """A relative clause, or a clause coordinated with one ("that do not X or that do not Y")."""
    while token.dep_ == "conj" and token.head != token:
        token = token.head
    return token.dep_ == "relcl"


def _dominates(generic: Token, specific: Token) -> bool:
    """True when ``specific`` hangs below ``generic`` through a modifier (not a conjunction)."""
    token = specific
    while token.head != token:
        if token.head == generic:
            return token.dep_ != "conj"
        token = token.head
    return False


def is_bare_generic(m: Mention) -> bool:
    """"information", "the data", "such information": the root type named by a generic word alone (not "your
    information", "personal data")."""
    return m.id == ROOT_DATA_TYPE and all(t.lower_ in GENERIC_WORDS or t.is_punct for t in m.span) and not any(
        c.dep_ in ("poss", "amod", "compound") and c.i < m.span.start for c in m.root.children)


def _qualified_generic(m: Mention, r: Reading) -> bool:
    """"commercial information", "transaction verification information": "information" of a kind the ontology
    does not know (not "your information", "other information")."""
    if m.id == ROOT_DATA_TYPE and m.basis == FALLBACK:
        return True
    return m.id == ROOT_DATA_TYPE and all(t.lower_ in GENERIC_WORDS for t in m.span) and any(
        c.dep_ in ("compound", "amod", "nmod") and c.i < m.span.start and c.lower_ not in r.pat.generic_qualifiers
        for c in m.root.children)


def _renamed(m: Mention, found: list[Mention], r: Reading) -> bool:
    """A mention renamed by a more specific one in apposition: "unique identifier number (UIN)"."""
    return any(o.root.dep_ == "appos" and o.root.head in (m.root, m.root.head) and o.id != m.id
               and r.onto.is_a("data_type", o.id, m.id) for o in found)


def _local(head: Token) -> set[int]:
    """Token indices of what qualifies a noun: its modifiers and its "of/about" objects (not its conjuncts,
    examples or clauses)."""
    out = {head.i}
    for child in head.children:
        if child.dep_ in MODIFIER_DEPS or (child.dep_ == "prep" and child.lower_ in ABOUT_PREPS):
            out |= {t.i for t in child.subtree}
    return out


def _phrase_text(r: Reading, head: Token, local: set[int]) -> str:
    """The words of a phrase as written, from its first modifier to its last qualifying word, without a
    leading determiner or possessive pronoun."""
    tokens = sorted(i for i in local if not (r.doc[i].dep_ in ("det", "poss") and r.doc[i].pos_ in ("DET", "PRON")))
    if not tokens:
        return head.text
    start, end = tokens[0], tokens[-1] + 1
    while end - 1 > head.i and r.doc[end - 1].is_punct:
        end -= 1
    return r.doc[start:end].text


BROWSED_KIND = "user_content"  # data one looks at; other named data looked up keeps its type


def _browsed(r: Reading, noun: Token) -> bool:
    """"the pages you visit", "the content you view", "links you click", "the website you visited before": what
    the user looks at or does online is a record of that activity (``patterns.yml`` ``activity_verbs``)."""
    return _browsing_verb(r, noun) is not None


def _browsing_verb(r: Reading, noun: Token) -> Token | None:
    """The relative clause's activity verb of a browsed noun (:func:`_browsed`), else None."""
    return next((c for c in noun.children if c.dep_ in ("relcl", "acl") and c.lemma_.lower() in r.pat.activity_verbs
                 and any(s.dep_ == "nsubj" and (s.lower_ in ("you", "users", "user", "visitors")
                                                or s.lemma_.lower() in r.pat.user_nouns) for s in c.children)
                 and not any(o.dep_ == "dobj" for o in c.children)), None)  # the noun is what is browsed


# what one follows as one obeys it, not as one subscribes to an account (review8)
NORM_NOUNS = frozenset({"rule", "instruction", "step", "guideline", "direction", "procedure", "principle",
                        "standard", "advice", "recommendation", "requirement", "regulation", "prompt", "guidance"})


def _browsed_type(r: Reading, noun: Token) -> str:
    """The type of what the user browses (``activity_type``), or of what the user searches for
    (``activity_verb_types``: "the keywords you search for" are search history). A verb with an infinitive
    complement is no operation of its own ("the articles you like to read", "information you may like to know
    about": "like to" is "want to"), and what one follows as a norm ("the rules / instructions you follow",
    ``NORM_NOUNS``) is no account followed, so both keep ``activity_type``."""
    verb = _browsing_verb(r, noun)
    if verb is None or any(c.dep_ == "xcomp" for c in verb.children) \
            or (verb.lemma_.lower() == "follow" and noun.lemma_.lower() in NORM_NOUNS):
        return r.pat.activity_type
    return r.pat.activity_verb_types.get(verb.lemma_.lower(), r.pat.activity_type)


CALLED_TYPE = "phone_number"


def _called(r: Reading, noun: Token) -> bool:
    """"the number you dial", "numbers you call": a relative clause of a calling verb (``patterns.yml``
    ``calling_verbs``) whose subject is the user and whose object is the noun (the clause has none of its own)."""
    return any(c.dep_ in ("relcl", "acl") and c.lemma_.lower() in r.pat.calling_verbs and any(
        s.dep_ == "nsubj" and s.lower_ in ("you", "users", "user") for s in c.children)
        and not any(o.dep_ == "dobj" and o.tag_ not in ("WDT", "WP") for o in c.children) for c in noun.children)


POSTING_PREPS = frozenset({"to", "in", "on", "into"})


def _posted_to(r: Reading, m: Mention) -> Mention | None:
    """User content the user posts "to / in / on" a place whose name also names a narrower kind of content ("the
    content you post to Moments": Moments posts), typed as that kind; None otherwise."""
    if m.id != BROWSED_KIND:
        return None
    for clause in (c for c in m.root.children if c.dep_ in ("relcl", "acl")):
        for pobj in (p for prep in clause.children if prep.dep_ == "prep" and prep.lower_ in POSTING_PREPS
                     for p in prep.children if p.dep_ == "pobj"):
            place = r.mentions.at("data_type", pobj)
            if place is not None and place.id != m.id and r.onto.is_a("data_type", place.id, m.id):
                return Mention(m.kind, place.id, m.span, HEAD_WORD)
    return None


def _retyped(r: Reading, m: Mention, found: list[Mention]) -> Mention:
    """A root mention named by a generic word only ("commercial information", "information about other software
    on your device") typed by its qualifiers (:mod:`.typing`): ``head_word`` when they name a concept,
    ``fallback`` when they name nothing known; unchanged when it has no such qualifier or another mention
    inside it says what it is ("information about your viewing history"). User content posted to a place that
    names a kind of content is of that kind (:func:`_posted_to`)."""
    posted = _posted_to(r, m) or _record_of(r, m) or _depicted(r, m) or _picture_of(r, m)
    if posted is not None:
        return posted
    if _browsed(r, m.root) and not r.onto.is_a("data_type", m.id, r.pat.activity_type) and (
            m.id == ROOT_DATA_TYPE or r.onto.is_a("data_type", m.id, BROWSED_KIND)):
        # (what is looked at: "the content you view", "the videos you watch"; "the mobile number you search for"
        # is still a phone number)
        return Mention(m.kind, _browsed_type(r, m.root), r.doc[m.root.left_edge.i: m.root.right_edge.i + 1]
                       if m.root.right_edge.i - m.root.left_edge.i < 12 else m.span, HEAD_WORD)
    if m.id != ROOT_DATA_TYPE or m.basis != "lexicon" or not all(t.lower_ in GENERIC_WORDS for t in m.span):
        return m
    given = _given_to(r, m)
    if given is not None:
        return given
    content = _operations_on_content(r, m.root)
    if content is not None:
        return Mention(m.kind, content, r.doc[m.span.start: m.root.right_edge.i + 1]
                       if m.root.right_edge.i - m.span.start < 12 else m.span, HEAD_WORD)
    local = _local(m.root)
    word, mods = phrase_words(m.root, skip=set(range(m.span.start, m.span.end)))
    qualifying = local - _used_things(r, local)  # what is used names no data ("about your use of our emails")
    if any(o is not m and o.root.i in qualifying and not _inner_modifier(o, m, found) for o in found):
        return m
    featured = any(mm.root.i in qualifying for k in ("entity", "feature") for mm in r.mentions.by_kind[k]) \
        and NOUN_FORMS["use"] not in mods  # "information about how you use WeChat" is still usage
    mods = [w for w in mods if w not in r.pat.generic_qualifiers and w not in r.pat.weak_modifiers]
    if not mods:
        return m
    index = type_index(r.onto)
    found_type = None if featured else index.type_words(word, mods, attribute=True)
    if found_type is None:  # "account security information": the chain's nearest modifier naming a concept
        found_type = index.chained(word, _chain_words(r, m.root), record=False)
        if featured and found_type is None:
            return m
    words = sorted(i for i in local if not (r.doc[i].dep_ in ("det", "poss", "predet") and r.doc[i].pos_ in (
        "DET", "PRON")))
    span = r.doc[words[0]: max(m.span.end, words[-1] + 1)]
    if span.root != m.root:
        span = m.span
    return Mention(m.kind, found_type or ROOT_DATA_TYPE, span, HEAD_WORD if found_type else FALLBACK)


def _used_things(r: Reading, local: set[int]) -> set[int]:
    """Token indices of what a usage noun among ``local`` takes as used ("our emails" of "your interactions with
    our emails": :func:`.typing.used_objects`): the thing used is no data the phrase is about."""
    return {t.i for i in local for o in used_objects(r.doc[i]) for t in o.subtree}


def _inner_modifier(o: Mention, m: Mention, found: list[Mention]) -> bool:
    """True when ``o`` is a noun modifier of ``m``'s chain set off from ``m`` by other modifiers, no mention right
    after it ("location" of "location history data"): it names no data of its own (:func:`_prune` drops it) and
    leaves the chain to type ``m``."""
    return o.root.dep_ in COMPOUND_MODIFIERS and o.span.end < m.span.start and o.root.head.i <= m.root.i \
        and all(t.dep_ in COMPOUND_MODIFIERS for t in m.root.doc[o.span.end: m.span.start]) \
        and not any(f.span.start == o.span.end for f in found)


def _record_of(r: Reading, m: Mention) -> Mention | None:
    """A one-word name of a record-like head (``typing.RECORD_HEADS``: "metadata", "logs") whose modifiers name
    another concept is that concept's record: "login metadata" is log-in data, "chat logs" chat data, "payment
    metadata" transaction records (:meth:`.typing.TypeIndex.recorded`); the
    mention then spans its modifiers. ``None`` when the modifiers name nothing or several concepts alike."""
    word = singular(m.root.lower_)
    if m.basis != "lexicon" or len(m.span) != 1 or word not in RECORD_HEADS or not m.span[0].is_lower:
        return None
    modifiers = [c for c in m.root.children if c.dep_ in COMPOUND_MODIFIERS and c.i < m.root.i]
    if not modifiers:
        return _record_of_object(r, m, word)
    _, mods = phrase_words(m.root, skip={c.i for c in m.root.children if c not in modifiers})
    names = set(r.name_tokens)
    named = _named_words(r, {t.i for c in modifiers for t in c.subtree}, names)
    index = type_index(r.onto)
    found = _metadata_of(r, word, index.recorded(word, [
        w for w in mods if w not in r.pat.generic_qualifiers and w not in r.pat.weak_modifiers and w not in named])
        or index.chained(word, _chain_words(r, m.root), record=True))  # (a one-word feature name, "Payment"
    # of "IAP/GP Payment metadata", names its data in a chain; a name of several words is left out)
    if found is None or found == m.id or r.onto.is_a("data_type", m.id, found):
        return None
    start = min(t.left_edge.i for t in modifiers)
    return Mention(m.kind, found, r.doc[start: m.span.end], HEAD_WORD)


def _chain_words(r: Reading, head: Token) -> list[str]:
    """The words of the chain of noun modifiers right before ``head``, nearest first ("login request log" of
    "login request log metadata": log, request, login), without vague qualifiers and words of a proper name of
    several words ("Official Account" of "Official Account information"; "account security" is no name)."""
    names = {i for k in ("entity", "feature") for o in r.mentions.by_kind[k]
             if len(o.span) > 1 and not all(t.is_lower for t in o.span) for i in range(o.span.start, o.span.end)}
    chain: list[Token] = []
    token = head.nbor(-1) if head.i > 0 else None
    while token is not None and token.dep_ in COMPOUND_MODIFIERS and token.head in (head, *chain):
        chain.append(token)
        token = token.nbor(-1) if token.i > 0 else None
    return [singular(t.lower_) for t in chain if t.is_alpha and t.i not in names
            and t.lower_ not in r.pat.generic_qualifiers and t.lower_ not in r.pat.weak_modifiers]


def _record_of_object(r: Reading, m: Mention, word: str) -> Mention | None:
    """"the metadata of your messages", "the logs of your email": a record-like head whose one "of" object names
    data is typed as the compound of the two would be ("message metadata", :meth:`.typing.TypeIndex.recorded`;
    the head's own type when that is user content's metadata); the mention spans the "of" phrase, whose own
    mention it replaces (:func:`_recorded_object`). ``None`` when the object names nothing or more than one."""
    for pobj in (p for c in m.root.children if c.dep_ == "prep" and c.lower_ == "of" and c.i >= m.span.end
                 for p in c.children if p.dep_ == "pobj" and not p.conjuncts):
        obj, mods = phrase_words(pobj)
        named = type_index(r.onto).recorded(word, [w for w in (obj, *mods) if w not in r.pat.generic_qualifiers])
        found = _metadata_of(r, word, named) or (m.id if named is not None else None)
        if found is not None and not (found != m.id and r.onto.is_a("data_type", m.id, found)):
            return Mention(m.kind, found, r.doc[m.span.start: pobj.right_edge.i + 1], HEAD_WORD)
    return None


def _recorded_object(m: Mention, kept: list[Mention]) -> bool:
    """True when ``m`` is the "of" object of a record-like head typed by it ("messages" in "the metadata of your
    messages", :func:`_record_of_object`): the record names the data, the object none of its own."""
    return m.basis == "lexicon" and m.root.head.lower_ == "of" and any(
        o.basis == HEAD_WORD and o.root == m.root.head.head and singular(o.root.lower_) in RECORD_FAMILY
        and o.span.start <= m.root.i < o.span.end for o in kept)


COMPOUND_MODIFIERS = frozenset({"compound", "amod", "nmod"})
# The metadata of user content is metadata, not the content (data_types.yaml log_data: the WeChat policy's
# definition names communication metadata and content metadata): of communications communication metadata
# ("message metadata"), of other content the head's own content metadata ("video metadata"; review of en19)
CONTENT_TYPE = "user_content"
METADATA_OF = {"chat_data": "communication_metadata"}


def _metadata_of(r: Reading, word: str, found: str | None) -> str | None:
    """``found``, the type a record-like head's modifiers name, unless the head is "metadata" and ``found`` user
    content: then the metadata type of that content (:data:`METADATA_OF`), else None (the head's own type)."""
    if word != "metadata" or found is None or not r.onto.is_a("data_type", found, CONTENT_TYPE):
        return found
    return next((t for c, t in METADATA_OF.items() if r.onto.is_a("data_type", found, c)), None)


# An image of an identity document or of the body is that document or biometric data ("passport photo", "a
# photo of your face", "a scan of your driver's license"), not a photo of the user's own choosing
DEPICTIONS = frozenset({"photo", "photograph", "picture", "image", "scan", "copy", "selfie"})
DEPICTED_KINDS = ("government_id", "biometric_data")


def _depicted_kind(r: Reading, concept: str) -> bool:
    return any(r.onto.is_a("data_type", concept, k) for k in DEPICTED_KINDS)


def _depicted(r: Reading, m: Mention) -> Mention | None:
    """A one-word depiction ("photo", "image", ``DEPICTIONS``) whose modifier or "of" object names an identity
    document or biometric data (``DEPICTED_KINDS``) is that data: "passport photo", "a photo of your face"
    (:meth:`.typing.TypeIndex.type_words` of the words, as a generic head's); ``None`` otherwise ("profile
    photo", "photos of your trip")."""
    if m.basis != "lexicon" or len(m.span) != 1 or singular(m.root.lower_) not in DEPICTIONS:
        return None
    _, mods = phrase_words(m.root, skip=set(range(m.span.start, m.span.end)))
    found = type_index(r.onto).type_words("information", mods, attribute=True) if mods else None
    if mods and (found is None or not _depicted_kind(r, found)):
        found = _depicted_document(r, found or ROOT_DATA_TYPE, set(mods))
    if found is None or not _depicted_kind(r, found):
        return None
    local = [i for i in _local(m.root) if r.doc[i].dep_ not in ("det", "poss", "predet")] or [m.root.i]
    return Mention(m.kind, found, r.doc[min(min(local), m.span.start): max(max(local) + 1, m.span.end)], HEAD_WORD)


PICTURES, PROFILE_PICTURE = "photos_and_videos", "profile_photo"


def _picture_of(r: Reading, m: Mention) -> Mention | None:
    """A one-word profile picture of the lexicon ("photo" names the profile photo in the WeChat policy) with an
    "of" object naming a thing ("a photo of your pet", "a picture of your car") is a picture taken:
    photos and videos (identity documents and the face are :func:`_depicted`), a document the user holds that
    document ("a photo of your business licence", :func:`_copied_document`); ``None`` otherwise ("a photo of
    you", "your profile photo")."""
    if m.basis != "lexicon" or len(m.span) != 1 or m.id != PROFILE_PICTURE:
        return None
    for pobj in (p for c in m.root.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children
                 if p.dep_ == "pobj" and p.pos_ == "NOUN" and r.mentions.at("data_type", p) is None):
        document = _copied_document(r, m.root)
        return Mention(m.kind, document or PICTURES, r.doc[m.span.start: pobj.i + 1],
                       FALLBACK if document == ROOT_DATA_TYPE else HEAD_WORD)
    return None


def _depicted_document(r: Reading, found: str, words: set[str]) -> str | None:
    """The one identity document (``DEPICTED_KINDS[0]`` or below) under ``found`` whose names hold every word of
    a depiction's object: a depicted "ID" is the ID card, not any identifier ("a photo of your ID"); ``found``
    otherwise ("a photo of your user ID": no document is named "user"; ``found`` may be ``None``)."""
    index = type_index(r.onto)
    kinds = {c for w in words for c in index.by_word.get(w, ()) if r.onto.is_a("data_type", c, DEPICTED_KINDS[0])
             and r.onto.is_a("data_type", c, found) and words <= {x for n in index.names.get(c, []) for x in n}}
    return kinds.pop() if len(kinds) == 1 else (None if found == ROOT_DATA_TYPE else found)


def _depicts(r: Reading, m: Mention) -> bool:
    """True when ``m`` names an identity document or biometric data and modifies a depiction ("passport scans")."""
    return singular(m.root.head.lower_) in DEPICTIONS and m.root.dep_ in COMPOUND_MODIFIERS \
        and _depicted_kind(r, m.id)


SETTINGS = frozenset({"setting"})  # "location settings" are settings about the location, not the location


def _records_modifier(m: Mention, after: Mention) -> bool:
    """True when ``m`` only modifies the one-word, lower-case record-like name or "settings" right after it
    ("photo metadata", "location logs": metadata and logs of something, not the photo or location itself;
    "location settings": the device's settings)."""
    return len(after.span) == 1 and after.span[0].is_lower and singular(after.root.lower_) in RECORD_HEADS | SETTINGS \
        and m.root.head == after.root and m.root.dep_ in COMPOUND_MODIFIERS


def _given_to(r: Reading, m: Mention) -> Mention | None:
    """Generic information typed by whom the user gives it to, when the recipient is a source of data of a kind
    (``patterns.yml`` ``activity_source_types``): "Information provided to customer service" -> customer
    support information (the recipient's words typed as "information from <them>", :mod:`.typing`); ``None``
    otherwise ("Information provided to an Official Account" stays generic)."""
    for verb in m.root.children:
        if verb.dep_ != "acl" or verb.lemma_.lower() not in r.pat.user_gives:
            continue
        for prep in (c for c in verb.children if c.dep_ in ("prep", "dative") and c.lower_ == "to"):
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                word, mods = phrase_words(pobj)
                found = type_index(r.onto).type_words("information", [word, *mods], attribute=True)
                if found is not None and any(r.onto.is_a("data_type", found, t) for t in r.pat.activity_source_types):
                    return Mention(m.kind, found, r.doc[m.span.start: pobj.i + 1], HEAD_WORD)
    return None


def _prune(r: Reading, found: list[Mention], modifiers: bool = False) -> list[Mention]:
    """Drop quoted titles, modifiers (unless ``modifiers``), mentions renamed by an apposition, attributes of
    other data ("the name of your ISP"), and generic mentions made redundant by specific ones; type generic
    mentions by their qualifiers (:func:`_retyped`)."""
    found = [_retyped(r, m, found) for m in found]
    found = [m for m in found if not _attribute_of_other(m, found)]
    # A mention followed directly by a generic word is one noun compound: "emergency contact information"
    # names emergency contacts. (Two adjacent specific names are kept: table cells often lose their line breaks,
    # "Facebook Connect OpenID Facebook Connect Token Email Address".)
    after = {m.span.start: m for m in found}
    compound = {id(after[m.span.end]) for m in found
                if m.span.end in after and after[m.span.end].text.lower() in GENERIC_WORDS}
    kept = [_narrowed(m, r) or m for m in found if (modifiers or not is_modifier(m) or (
        m.span.end in after and not _records_modifier(m, after[m.span.end])) or misread_item(r, m)
        or _depicts(r, m))
            and not _in_title(r, m) and id(m) not in compound and not _renamed(m, found, r)]
    kept = [m for m in kept if not _recorded_object(m, kept)]
    # a generic word typed by its qualifiers whose examples say what it is ("Information relating to your use of
    # WeChat Out, including WeChat ID, IP address ...") counts as its examples, like a bare "information"
    kept = [m for m in kept if m.basis != HEAD_WORD or not any(
        o.basis == "lexicon" and o.id != ROOT_DATA_TYPE and _dominates(m.root, o.root) for o in kept)]
    specific = [m for m in kept if m.id != ROOT_DATA_TYPE]
    return [m for m in kept if m.id != ROOT_DATA_TYPE or not specific or not (
        is_bare_generic(m) or _qualified_generic(m, r) or non_personal(m) or (
            any(_dominates(m.root, o.root) for o in specific) and not _named_category(m)))]


def _named_category(m: Mention) -> bool:
    """"personal information", "personally identifiable information": the generic category by its own name,
    which counts beside the examples it lists (labelling conventions: a category and its examples both count)."""
    return any(t.lower_ in ("personal", "personally") for t in m.span) and not non_personal(m)


NON_PREFIXES = frozenset({"non", "non-"})


def non_personal(m: Mention | Token) -> bool:
    """"non-personal information", "Non-personally identifiable information": the lexicon names only the words
    after the prefix, but the phrase denies the category; it is a generic "information" (claims_en_web.yaml
    header: personal_information when nothing else is named, the specific data when what it is about or what it
    includes is named). ``m``: the mention, or its root token. Not an item of a list ("your name, email
    address and non-personal information"), which stands beside the others as data of its own."""
    root = m if isinstance(m, Token) else m.root
    listed = root.dep_ == "conj" or any(c.dep_ == "conj" for c in root.children)
    return not listed and any(c.i < root.i and c.lower_ in NON_PREFIXES for c in root.children)


def misread_item(r: Reading, m: Mention) -> bool:
    """A list item the parser hung on a later or earlier item as a noun modifier: "your name, age and phone
    number" ("name" and "age" read as modifiers of "number"), "your name, birth year, ..." ("birth year" read
    as a modifier of "name"), "browser type, language and operating system", "your browser type and cookie
    identifiers" ("type" a modifier of "identifiers" with the "and" as its own child). A modifier set off from the noun
    it modifies by a comma, placed after it, or opening a list item after a comma is no modifier in English
    ("language and location customisation" stays one)."""
    top = m.root
    while top.dep_ == "conj" and top.head != top:
        top = top.head
    head = top.head
    if top.dep_ not in ("compound", "amod", "nmod", "npadvmod") or head == top or head.pos_ not in ("NOUN", "PROPN"):
        return False
    if r.mentions.at("data_type", head) is None:  # the other item must name data too ("customer service, e-mail
        return coordinated_before(r, m, head) is not None  # delivery" lists no data)
    doc = m.span.doc
    if head.i < m.span.start:
        return any(t.text == "," for t in doc[head.i + 1: m.span.start])
    if not any(c.dep_ == "conj" for c in top.children) and any(  # "your browser type and cookie identifiers":
            c.dep_ == "cc" and top.i < c.i < head.i for c in top.children):  # "type" read as their modifier
        return True
    return any(t.text == "," for t in doc[top.i + 1: head.i]) or (
        m.span.start > 0 and doc[m.span.start - 1].text == ",")  # "browser type, language and operating system"


def coordinated_before(r: Reading, m: Mention, head: Token) -> Token | None:
    """The first word of a second item the parser read as one phrase with a named one: "your bank card number and
    transaction amount" ("number" read as a modifier of "amount", "transaction" its conjunct): the conjunct,
    when ``m`` is a whole data name ending in a modifier of ``head``, an "and"/"or" and the conjunct follow it
    before ``head``, and ``head`` with the conjunct is data by its words (a data or attribute noun, or a head
    word the conjunct refines: :mod:`.typing`); else ``None``. A shared head that names no data ("language and
    location customisation") stays one phrase."""
    top = m.span[-1]  # (the parser may hang each word of the name on ``head``: "bank card number")
    if top.head != head or top.i > head.i or len(m.span) < 2 or not all(
            t.head == head or m.span.start <= t.head.i < m.span.end for t in m.span):
        return None
    conjuncts = [c for c in top.children if c.dep_ == "conj" and top.i < c.i < head.i and c.pos_ in ("NOUN", "PROPN")]
    if not conjuncts or not any(c.dep_ == "cc" and c.lower_ in SERIES_CONJUNCTIONS and top.i < c.i < conjuncts[0].i
                                for c in top.children):
        return None
    word = singular(head.lower_)
    data_like = word in r.pat.data_nouns or word in r.pat.attribute_nouns or type_index(r.onto).refines(
        word, [singular(conjuncts[0].lower_)])
    return conjuncts[0] if data_like else None


def _narrowed(m: Mention, r: Reading) -> Mention | None:
    """"content saved to Favorites": the narrower kind of data a participle places ``m`` in, named right after it
    (what the phrase names), read from the words since the parser often hangs the participle elsewhere; else
    ``None``."""
    doc = m.span.doc
    for o in r.mentions.in_range("data_type", m.span.end + 1, min(m.span.end + 6, len(doc))):
        gap = doc[m.span.end: o.span.start]
        if len(gap) >= 2 and gap[0].tag_ == "VBN" and any(
                t.pos_ == "ADP" for t in gap[1:]) and all(t.pos_ in ("ADP", "DET", "PRON") for t in gap[1:]) \
                and o.id != m.id and r.onto.is_a("data_type", o.id, m.id):
            return o
    return None


def _attribute_of_other(m: Mention, found: list[Mention]) -> bool:
    """"the name of your Internet service provider", "the content of your messages": a mention whose "of" object
    names other data is an attribute of that data, which the phrase is about. Coordinated heads under one
    determiner share the "of" phrase the parser hangs on one of them: "the names and phone numbers of your
    contacts" are both attributes of the contacts ("your name and the phone numbers of your contacts" are not)."""
    for child in [*m.root.children, *_shared_of(m.root)]:
        if child.dep_ == "prep" and child.lower_ == "of" and child.i >= m.span.end:
            inside = {t.i for t in child.subtree}
            if any(o is not m and o.root.i in inside and o.id != m.id for o in found):
                return True
    return False


MAX_SHARING = 3  # "the names, email addresses and phone numbers of X"; a longer series is a list of its own items
OWN_PHRASES = frozenset({"prep", "acl", "relcl", "advcl", "appos"})
QUALIFIED_LAST = GENERIC_WORDS | {"record", "records"}  # a generic last item its "of" phrase types (en14)


def _shared_of(head: Token) -> list[Token]:
    """The "of" phrases ``head`` shares with the nouns it is coordinated with, written after the last of them and
    hung by the parser on any one ("the names and phone numbers of your contacts"), when the series has one
    determiner, not a possessive: no member after the first has a determiner or possessive of its own ("your name
    and the phone numbers of your contacts" share none), the first no possessive and no apposition ("your name,
    email address and details of your purchases" are the user's own); at most three nouns, none with a phrase or
    clause of its own, the last no generic word the phrase types ("details of", "records of"). Its own "of" phrases
    are not included."""
    if head.pos_ not in ("NOUN", "PROPN"):
        return []  # a list item the parser read as a verb ("pages visited, and number of clicks")
    series = sorted([head, *(c for c in head.conjuncts if c.pos_ in ("NOUN", "PROPN"))], key=lambda t: t.i)
    if not 2 <= len(series) <= MAX_SHARING or any(c.dep_ in ("det", "poss") for t in series[1:] for c in t.children) \
            or any(c.dep_ == "poss" for c in series[0].children) or series[0].dep_ == "appos" \
            or series[-1].lemma_.lower() in QUALIFIED_LAST:
        return []  # "your name, email address and details of your purchases": the user's own name and email address
    shared = [c for t in series for c in t.children if c.dep_ == "prep" and c.lower_ == "of" and c.i > series[-1].i]
    if any(c.dep_ in OWN_PHRASES and c not in shared for t in series for c in t.children):
        return []  # a member with a phrase or clause of its own is a list item of its own ("date of registration")
    return [c for c in shared if c.head != head]


def _shared_of_data(item: Token, mentions: list[Mention]) -> bool:
    """An earlier conjunct sharing the "of" phrase of a later one that names data ("email addresses" in "the
    names, email addresses and phone numbers of your friends"): an attribute of that data, as
    :func:`_attribute_of_other` reads it, no data of its own."""
    return any(m.root.i in {t.i for t in c.subtree} for c in _shared_of(item) for m in mentions)


def _in_title(r: Reading, m: Mention) -> bool:
    """A mention inside a longer quoted name ("Export Personal Data" tool, "How do we use your information?")."""
    quote = r.in_quotes(m.span.start, m.span.end)
    return quote is not None and quote != (m.span.start, m.span.end)


def mentions_in(r: Reading, tokens: set[int]) -> list[Mention]:
    """Data mentions rooted in ``tokens`` (see :func:`_prune`)."""
    return _prune(r, r.mentions.within("data_type", tokens))


def clause_tokens(r: Reading, span: Span, relative: bool = True) -> set[int]:
    """Tokens of ``span`` in clauses that name no members of a list: relative and adverbial clauses (with
    ``relative``) not about membership ("tokens that facilitate ..."), and participles with an agent ("(as
    determined by your IP address)", "configuration information made available by your web browser")."""
    skipped: set[int] = set()
    # a "clause" whose verb opens a data name is a list member the parser misread ("..., spending history and
    # credit top up transaction records" with "spending" an adverbial clause)
    starts = {m.span.start for m in r.mentions.by_kind["data_type"] if len(m.span) > 1}
    starts |= {i for m in r.mentions.by_kind["data_type"] if len(m.span) > 1 for i in range(m.span.start, m.span.end)
               if r.doc[i].pos_ == "VERB"}  # ("pages visited": the verb of a data name is no clause)
    for token in span:
        clause = (relative and token.dep_ in ("relcl", "advcl")) or (
            token.dep_ in ("amod", "acl") and token.tag_ == "VBN" and any(c.dep_ == "agent" for c in token.children))
        if clause and token.lemma_.lower() not in r.pat.include_verbs and token.i not in starts:
            skipped |= {t.i for t in token.subtree}
            # examples hung on the clause still list the noun's members ("information that is described in
            # ..., such as nationality and gender")
            skipped -= {t.i for c in token.subtree if c.dep_ == "prep" and c.lower_ in EXAMPLE_PREPS
                        for t in c.subtree}
    return skipped


def _list_resumed(r: Reading, span: Span, skipped: set[int]) -> set[int]:
    """Tokens of a skipped clause after the comma where the list resumes: "configuration information made
    available by ... other programs you use to access WeChat, your IP address, application IDs ..." (the parser
    hangs the rest of the list on the clause's last noun). From the first comma inside the clause that a data
    phrase follows (after a determiner or possessive), to the end of the clause."""
    starts = {m.span.start for m in r.mentions.by_kind["data_type"]}
    resumed: set[int] = set()
    i = span.start
    while i < span.end:
        token = r.doc[i]
        if i in skipped and token.text == "," and i + 1 < span.end:
            j = i + 1
            while j < span.end and r.doc[j].dep_ in ("det", "poss") and j not in starts:
                j += 1
            if j in starts and j in skipped:
                end = i
                while end + 1 < span.end and end + 1 in skipped:
                    end += 1
                resumed |= set(range(i, end + 1))
                i = end
        i += 1
    return resumed


def listed(r: Reading, span: Span) -> list[Mention]:
    """Data a verbless list names (a list item, a table cell): every mention in ``span`` except those in a
    negated branch or in a relative clause that is not about membership ("tokens that facilitate ...")."""
    skipped = clause_tokens(r, span)
    skipped -= _list_resumed(r, span, skipped)
    found = [m for m in r.mentions.in_range("data_type", span.start, span.end)
             if m.root.i not in skipped and not negated_branch(m.root, r.pat)]
    return _prune(r, found, modifiers=True)  # a label's "Customer Support Information" may parse as a modifier


def not_limited_examples(r: Reading, sentence: Span, data_heads: list[Token]) -> list[DataRef]:
    """The examples of "X including (, but) not limited to A, B and C" / "X, such as but not limited to A": the
    parser hangs the idiom anywhere in the clause, so it is found from the words (an example word, "but", "not",
    "limited to" at most eight tokens after a data head) and its list read up to the next clause ("to
    authenticate users", ";")."""
    out: list[DataRef] = []
    if not data_heads:
        return out
    for token in sentence:
        if not not_limited(token):
            continue
        before = [t.lower_ for t in r.doc[max(sentence.start, token.i - 4): token.i] if t.text != ","]
        if len(before) < 3 or before[-1] != "not" or before[-2] != "but" or before[-3] not in EXAMPLE_WORDS:
            continue
        start = next(c.i for c in token.children if c.dep_ == "prep" and c.lower_ == "to") + 1
        start += start < sentence.end and r.doc[start].text == ":"  # "including but not limited to: A, B"
        end = next((t.i for t in r.doc[start: sentence.end] if t.text in (";", ":") or (
            t.tag_ == "TO" and t.i + 1 < len(r.doc) and r.doc[t.i + 1].pos_ == "VERB") or (
            t.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children))), sentence.end)
        # the list ends at the next clause ("..., camps, Acme does not collect ..."); it follows a data head, or
        # holds one (the parser made a list item the verb's argument: "collects user submitted information
        # including but not limited to name, ..., and age")
        if any(0 < token.i - h.i <= 8 or start <= h.i < end for h in data_heads):
            out += [d for d in listed_refs(r, r.doc[start:end]) if d.data_type != ROOT_DATA_TYPE]
    return out


def _operated_on(token: Token) -> bool:
    """The object of a verb in the list ("liking and sharing their content"): what an operation acts on, not an
    item of the list."""
    while token.dep_ == "conj" and token.head != token:
        token = token.head
    return token.dep_ in ("dobj", "pobj") and token.head.pos_ == "VERB"


EXAMPLE_WORDS = frozenset({"including", "include", "includes", "as", "like"})


def _in_place_phrase(token: Token, verb: Token) -> bool:
    """True when ``token`` hangs, below ``verb``, in a phrase of a party, place, time or purpose ("information
    you share in public areas, such as forums": the examples are of the areas)."""
    while token.head != token and token != verb:
        if token.dep_ == "prep" and token.lower_ in NON_DATA_PREPS and token.lower_ not in EXAMPLE_PREPS:
            return True
        token = token.head
    return False


def example_list_refs(r: Reading, sentence: Span, verb: Token, data_heads: list[Token]) -> list[DataRef]:
    """The examples of "X, such as A, B, ..." / "X, including A, B, ..." read from the words: a long list of
    examples breaks the parse, which hangs later items on a relative clause or an earlier item ("other data,
    such as device information, demographic information and other information you give us that we may combine
    ..., mobile application usage data, page views"). The list opens at most eight tokens after a data head, in
    the practice's clause, and runs to the next clause of its own (a verb with a subject that is no relative
    clause, an infinitive of purpose, ";") or the sentence's end; relative clauses inside are skipped
    (:func:`listed`)."""
    out: list[DataRef] = []
    inside = {t.i for h in data_heads for t in h.subtree} | {c.i for c in verb.children}
    for token in sentence:
        opener = token.lower_ == "including" or (token.lower_ == "as" and token.i > sentence.start
                                                 and r.doc[token.i - 1].lower_ == "such")
        if not opener or token.i not in inside or not any(0 < token.i - h.i <= 8 for h in data_heads) \
                or _in_place_phrase(token, verb):
            continue
        start = token.i + 1 + (token.i + 1 < sentence.end and r.doc[token.i + 1].text == ":")
        end = next((t.i for t in r.doc[start: sentence.end] if t.text == ";" or (
            t.tag_ == "TO" and t.i + 1 < len(r.doc) and r.doc[t.i + 1].pos_ == "VERB") or (
            t.pos_ in ("VERB", "AUX") and t.dep_ != "relcl"
            and any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ not in ("that", "which") for c in t.children))),
            sentence.end)
        out += [d for d in listed_refs(r, r.doc[start:end]) if d.data_type != ROOT_DATA_TYPE
                and not (d.token is not None and _operated_on(r.doc[d.token]))]
    return out


ITEM_SEPARATORS = frozenset({",", "and", "or"})  # what stands before a participle item ("and/or" not: as written)


def participle_item(token: Token) -> bool:
    """A list item written as a noun and its participle ("pages visited", "links clicked", "time spent"), which
    the parser reads as a clause of its own: a past participle or past form right after its subject, with no
    auxiliary and no object, written after a list separator (the subject follows "," / "and" / "or")."""
    subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
    if token.tag_ not in ("VBN", "VBD") or len(subjects) != 1 or subjects[0].i != token.i - 1 \
            or subjects[0].pos_ not in ("NOUN", "PROPN") or any(
            c.dep_ in ("aux", "auxpass", "dobj") for c in token.children):
        return False
    before = subjects[0].left_edge.i - 1
    return before >= 0 and token.doc[before].lower_ in ITEM_SEPARATORS


def broken_list_refs(r: Reading, sentence: Span, data_heads: list[Token]) -> list[DataRef]:
    """The items of a practice's object list after an item written as a noun and its participle
    (:func:`participle_item`): "We collect IP addresses, browser type, pages visited, and number of clicks to
    analyze trends" (the parser makes "pages visited" a clause and hangs the later items on it). Read from the
    words: from the participle item's subject, when a data head's phrase ends right before its separator, to the
    list's end (";", ":", a purpose infinitive, a clause with a subject of its own, a preposition of a party or
    purpose: :data:`NON_DATA_PREPS`)."""
    ends = {h.right_edge.i for h in data_heads}
    out: list[DataRef] = []
    for token in sentence:
        if not participle_item(token):
            continue
        start = next(c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")).left_edge.i
        before = start - 1
        while before > sentence.start and r.doc[before].lower_ in ITEM_SEPARATORS:
            before -= 1
        if before not in ends and not any(h.i <= before <= h.right_edge.i for h in data_heads):
            continue
        end = next((t.i for t in r.doc[token.i + 1: sentence.end] if t.text in (";", ":") or (
            t.tag_ == "TO" and t.i + 1 < len(r.doc) and r.doc[t.i + 1].pos_ == "VERB") or (
            t.dep_ == "prep" and t.lower_ in NON_DATA_PREPS) or (
            t.pos_ in ("VERB", "AUX") and not participle_item(t)
            and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children))), sentence.end)
        out += [d for d in listed_refs(r, r.doc[start:end]) if d.data_type != ROOT_DATA_TYPE]
        ends |= {end - 1}
    return out


def listed_refs(r: Reading, span: Span) -> list[DataRef]:
    """:func:`listed` as data references, plus the nouns the list names without an ontology name
    (:func:`unmapped`): "Your name, alias, account identifier, ..." under a data lead-in or in a data cell."""
    if not len(span):
        return []
    mentions = listed(r, span)
    refs = [DataRef.of(m) for m in mentions] + shared_head(r, mentions)
    root = span.root
    if root.pos_ in ("NOUN", "PROPN"):
        refs += unmapped(r, root, mentions)
    return refs


def shared_head(r: Reading, mentions: list[Mention]) -> list[DataRef]:
    """Modifiers coordinated before a named data phrase share its head noun: "network and device information"
    names network information too, "device and network information" device information (the English
    counterpart of the Chinese 设备和网络信息, README "No data phrase is dropped"). Read from the words, since the
    parser attaches such modifiers in several ways: each noun or adjective of a series closed by "and"/"or" right
    before the mention (and no data phrase of its own) is typed as "<modifier> <head>" (:mod:`.typing`),
    kept only when those two words are a whole name of the concept found ("network information")."""
    index = type_index(r.onto)
    one_word = r.one_word_modifiers
    named = {i for m in r.mentions.by_kind["data_type"] for i in range(m.span.start, m.span.end)} - one_word
    others = set(r.name_tokens - one_word)
    out: list[DataRef] = []
    for m in mentions:
        if m.basis != "lexicon":
            continue
        after = _generic_head_after(r, m)
        head, start = after or m.span[-1], _own_modifiers_start(r, m)
        if head.i + 1 - start < 2 or start < 1 or r.doc[start - 1].lower_ not in SERIES_CONJUNCTIONS:
            continue  # a conjunction right before the phrase ("X, account information" lists two items)
        word = singular(head.lower_)
        for modifier in _series(r, start - 1, named, others):
            found = index.modified(singular(modifier.lower_), word, word in r.pat.attribute_nouns)
            text = f"{modifier.text} {head.text}"
            if found is None and modifier.i in one_word:  # "your name and device information": the name
                found, text = _own_type(r, modifier), modifier.text
            if found is not None and found != m.id:
                out.append(DataRef(found, text, modifier.i, HEAD_WORD))
    return out


def _generic_head_after(r: Reading, m: Mention) -> Token | None:
    """The generic head word (:data:`GENERIC_WORDS`) that ends the phrase right after a data mention the lexicon
    names without it ("bank card" + "information", "address" + "information"): the head the series before the
    phrase shares ("payment and bank card information", "name and address information"). Read from the words,
    since the parser often hangs the series' nouns on each other; ``None`` when the phrase goes on."""
    end = m.span.end
    if end >= len(r.doc) or r.doc[end].lower_ not in GENERIC_WORDS or r.doc[end].pos_ != "NOUN":
        return None
    return r.doc[end] if end + 1 == len(r.doc) or r.doc[end + 1].pos_ not in ("NOUN", "PROPN") else None


def _own_modifiers_start(r: Reading, m: Mention) -> int:
    """Start of the phrase of ``m`` with the noun compounds of its head right before it that no mention names
    ("network identifiers" of the mention "identifiers": the parser read "device and network identifiers" as
    "device" and "network identifiers")."""
    start = m.span.start
    while start > 0 and r.doc[start - 1].dep_ in ("compound", "nmod") and r.doc[start - 1].pos_ in ("NOUN", "PROPN") \
            and r.doc[start - 1].head.i >= start and r.doc[start - 1].is_alpha:
        start -= 1
    return start  # (not over adjectives: "your account and other / related information" is one item and others)


def _own_type(r: Reading, token: Token) -> str | None:
    """The data type of the one-word data mention at ``token``, if any."""
    return next((m.id for m in r.mentions.by_kind["data_type"] if m.span.start == token.i and len(m.span) == 1
                 and m.id != ROOT_DATA_TYPE), None)


def _series(r: Reading, end: int, named: set[int], others: set[int]) -> list[Token]:
    """The modifiers of a series "A, B and C" / "A or B" read back from token ``end`` (the last modifier or the
    closing "and"/"or"), last first, from the words, since the parser attaches such modifiers in several ways.
    Consecutive modifiers need a comma or conjunction between them ("personal contact" stops at "personal");
    the series stops at a named data phrase, a party or feature, a weak modifier or anything that is not a noun
    or adjective, and is empty unless an "and"/"or" closes it."""
    out: list[Token] = []
    closed, separated = False, True
    for i in range(end, -1, -1):
        token = r.doc[i]
        if token.lower_ in SERIES_CONJUNCTIONS or (token.text == "," and out):
            closed |= token.text != ","
            separated = True
            continue
        if not separated or token.i in named or token.i in others or token.pos_ not in ("NOUN", "PROPN", "ADJ") \
                or not token.is_alpha or token.lower_ in r.pat.weak_modifiers:
            break
        out.append(token)
        separated = False
    return out if closed else []


def distributed(r: Reading, refs: list[DataRef]) -> list[DataRef]:
    """Coordinated modifiers distribute over a generic head: "contact, demographic and technical information"
    names contact information, demographic information and technical data (each "<modifier> information" typed
    as a whole name, :meth:`.typing.TypeIndex.modified`), where the phrase typed as one names nothing or only
    the root. PoliGraph (Cui et al., USENIX Security 2023) and PolicyLint split coordinated data entities the
    same way; the Chinese counterpart is 设备和网络信息. Each other reference is kept as it is."""
    index = type_index(r.onto)
    named = {i for m in r.mentions.by_kind["data_type"] for i in range(m.span.start, m.span.end)
             if m.id != ROOT_DATA_TYPE}
    one_word = r.one_word_modifiers  # "account and security information": "account" may modify (round en24)
    named, others = named - one_word, set(r.name_tokens - one_word)
    out: list[DataRef] = []
    for ref in refs:
        head = r.doc[ref.token] if ref.token is not None else None
        if head is None or ref.data_type != ROOT_DATA_TYPE or head.lower_ not in GENERIC_WORDS:
            out.append(ref)
            continue
        word = singular(head.lower_)
        last = {head.i - 1} if head.i >= 1 and r.doc[head.i - 1].is_lower else set()  # "security information"
        series = _series(r, head.i - 1, named, others - last) if head.i >= 1 and r.doc[head.i - 1].is_alpha else []
        split = [DataRef(found, f"{m.text} {head.text}", m.i, HEAD_WORD) for m in reversed(series)
                 if (found := index.modified(singular(m.lower_), word, False)) is not None] if len(series) >= 2 else []
        out.extend(split or [ref])
    return out


def _items(head: Token, pat: Patterns) -> list[Token]:
    """The nouns an argument lists: its head, conjuncts, appositions and "such as"/"including" examples."""
    out: list[Token] = []
    seen: set[int] = set()
    stack = [head]
    while stack:
        token = stack.pop()
        if token.i in seen or _negated_branch(token, pat):
            continue
        seen.add(token.i)
        out.append(token)
        for child in token.children:
            if child.dep_ in ("conj", "appos") and child.pos_ in ("NOUN", "PROPN"):
                stack.append(child)
            elif child.dep_ == "prep" and child.lower_ in EXAMPLE_PREPS and not _negated_branch(child, pat):
                stack.extend(p for p in child.children if p.dep_ == "pobj" and p.pos_ in ("NOUN", "PROPN"))
    return sorted(out, key=lambda t: t.i)


def _own_kind(r: Reading, item: Token, index: TypeIndex) -> bool:
    """A noun that names data of its own kind whatever modifies it: "Location-based media" is media (the
    location only qualifies it), while "location information" is location (a generic head)."""
    word = phrase_words(item)[0]
    return word not in GENERIC_WORDS and word not in r.pat.attribute_nouns and word not in r.pat.non_data_nouns \
        and bool(index.head_concepts(word)) and any(
            c.dep_ == "amod" and c.tag_ == "VBN" and c.i < item.i for c in item.children)


def _part_of_named_data(r: Reading, item: Token, index: TypeIndex) -> bool:
    """A value noun (``patterns.yml`` ``value_nouns``: "code", "result", "degree") that no concept names with its
    modifiers, whose modifiers name data as a whole: "payment card security code", "medical test results"
    (:meth:`.typing.TypeIndex.part_of`): a value or part of that data, data of its kind. Other heads ("security
    measures", "credit card processing", "payment card issuer", "financial institutions") name no data."""
    word, mods = phrase_words(item)
    return word in r.pat.value_nouns and index.part_of(word, set(mods)) is not None


def _examples(head: Token, pat: Patterns) -> set[int]:
    """Token indices of the members a noun lists as its examples ("device attributes, such as X and Y"; not
    its own conjuncts "your name and X")."""
    out: set[int] = set()
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ in EXAMPLE_PREPS and not _negated_branch(prep, pat):
            for pobj in (p for p in prep.children if p.dep_ == "pobj"):
                out |= {pobj.i, *(c.i for c in pobj.conjuncts)}
    return out


def _named_words(r: Reading, local: set[int], names: set[int]) -> set[str]:
    """Words of a phrase (token indices ``local``) inside names of parties or features (``names``) written as
    proper names (capitalized, not at the sentence start): the records of a feature ("interaction records of
    Official Accounts") are not data of the kind its words name; "login history", "chat logs" are."""
    return {singular(r.doc[i].lower_) for i in local & names
            if r.doc[i].is_title and not r.doc[i].is_sent_start}


def _item_words(r: Reading, item: Token, local: set[int], names: set[int]) -> tuple[str, list[str]]:
    """Head word and modifier words of a listed item (:func:`.typing.phrase_words`, vague words left out); a
    record-like head its own concepts do not explain keeps no word of a party's or feature's proper name and
    adds the words of its further "of" objects (:func:`_named_words`, :func:`_other_objects`)."""
    word, mods = phrase_words(item)
    mods = [w for w in mods if w not in r.pat.generic_qualifiers and w not in r.pat.weak_modifiers]
    if word in RECORD_HEADS and not type_index(r.onto).refines(word, mods):
        mods = [w for w in mods if w not in _named_words(r, local, names)] + _other_objects(item)
    return word, mods


def _other_objects(item: Token) -> list[str]:
    """The words of the second and later objects of a noun's "of/about" phrase ("views" in "records of the
    searches and views"), which :func:`.typing.phrase_words` leaves out: a record of several things is typed
    only when one type's names explain them all (:meth:`.typing.TypeIndex.recorded`)."""
    return [singular(c.lower_) for prep in item.children if prep.dep_ == "prep" and prep.lower_ in ABOUT_PREPS
            for p in prep.children if p.dep_ == "pobj" for c in p.conjuncts if c.pos_ in ("NOUN", "PROPN")]


def _of_party(r: Reading, item: Token) -> bool:
    """"details of such party", "the name of your employer": what the phrase is "of" is a party, not the user."""
    parties = {i for m in r.mentions.by_kind["entity"] for i in range(m.span.start, m.span.end)}
    return any(c.dep_ == "prep" and c.lower_ == "of" and any(
        p.dep_ == "pobj" and (p.i in parties or p.lemma_.lower() in r.pat.party_nouns or p.lemma_.lower() == "party")
        for p in c.children) for c in item.children)


def unmapped(r: Reading, head: Token, mentions: list[Mention]) -> list[DataRef]:
    """Data the argument headed by ``head`` lists without an ontology name ("account identifier", "login times",
    "Wi-Fi access points" among named data), typed by :mod:`.typing`. Data: a head in ``patterns.yml`` ``data_nouns``
    / ``attribute_nouns``, an ontology head word a modifier refines ("Facebook account"), a part of named data
    (:func:`_part_of_named_data`) or a noun listed beside data; never a party, a feature, a pronoun, a quoted title,
    an attribute of a party ("details of such party") or one of ``non_data_nouns`` ("services", "purposes")."""
    index = type_index(r.onto)
    named = {t.i for m in mentions for t in m.span} | {m.root.i for m in mentions}
    others = {i for k in ("entity", "feature") for m in r.mentions.by_kind[k] if not _data_noun_feature(r, m)
              for i in range(m.span.start, m.span.end)}
    candidates: list[tuple[Token, set[int], str, list[str], bool]] = []
    out_browsed: list[DataRef] = []
    listed_with_data = False
    for item in _items(head, r.pat):
        second = _second_item(r, item, mentions)
        if second is not None:  # "bank card number and transaction amount": "transaction amount" on its own
            candidates.append(second)
            listed_with_data = True
            continue
        local = _local(item)
        part = _part_of_named_data(r, item, index)
        if item.i in named or any(m.root.i in local for m in mentions):
            listed_with_data = True
            if item.i in named or not (_own_kind(r, item, index) or part):
                continue  # "location information", "IP address"; not "location-based media" (media of its own)
        if item.i in others or item.pos_ == "PRON" or item.lower_ in r.pat.anaphora_heads \
                or r.in_quotes(item.i, item.i + 1) is not None:
            continue
        word, mods = _item_words(r, item, local, others)
        if (word in r.pat.non_data_nouns and not _browsed(r, item)) or _of_party(r, item) \
                or _shared_of_data(item, mentions):
            continue
        attribute = word in r.pat.attribute_nouns or _extracted(item)
        special = _called_browsed_depicted(r, item, word, mods)
        if special is not None:
            out_browsed.append(DataRef(special, _phrase_text(r, item, local), item.i,
                                       HEAD_WORD if special != ROOT_DATA_TYPE else FALLBACK))
            listed_with_data = True
            continue
        data_like = word in r.pat.data_nouns or attribute or index.refines(word, mods) or part or _owned_document(
            r, item, word)
        listed_with_data |= data_like
        candidates.append((item, local, word, mods, data_like))
    out: list[DataRef] = out_browsed
    category = next((m.id for m in mentions if m.root == head and m.id != ROOT_DATA_TYPE), None)
    examples = _examples(head, r.pat) if category else set()
    for item, local, word, mods, data_like in candidates:
        if not (data_like or (listed_with_data and item != head)) or (_bare_record(word, mods) and mentions):
            continue
        found = _item_type(r, item, local, word, mods)
        if found is None and word in r.pat.attribute_nouns:
            found = _attribute_of_object(r, item)
        found = _metadata_attribute(r, word, found)
        if found is None and "head_words" not in r.disabled:
            found = _operation_record(r, item)
        if item.i in examples and (found is None or _unrelated_head_type(r, found, category, mods)):
            found = category  # a member of a named category ("device attributes, such as X") is of its type
        out.append(DataRef(found or ROOT_DATA_TYPE, _phrase_text(r, item, local), item.i,
                           HEAD_WORD if found else FALLBACK))
    return out


def _called_browsed_depicted(r: Reading, item: Token, word: str, mods: list[str]) -> str | None:
    """The type of an unnamed item known by what is done with it or what it shows: "the number you dial" (called
    numbers), "the pages you visit" (:func:`_browsed_type`), "a scan / copy of your ID" (an identity document,
    :func:`_depicted_document`), "your likes and follows" (:func:`_operation_plural`); ``None`` otherwise."""
    if word == "number" and _called(r, item):
        return CALLED_TYPE
    operation = _operation_plural(r, item)
    if operation is not None:
        return operation
    if _browsed(r, item) and word not in r.pat.non_data_nouns - {"website", "site", "page"}:
        return _browsed_type(r, item)
    if word not in DEPICTIONS or not mods:
        return None
    return _depicted_document(r, ROOT_DATA_TYPE, set(mods)) or _copied_document(r, item)


def _operation_plural(r: Reading, item: Token) -> str | None:
    """"your likes, comments and follows", "the likes you make": a plural noun naming an operation
    (``patterns.yml`` ``operation_plurals``) listed as data is the record of the operation, typed as its verb is
    (``operation_types``: likes, follows, shares -> interaction_events), by the operation-record convention of
    tests/gold/claims_zh.yaml (点赞/关注/分享 are interaction records); operations on user content ("likes on
    Moments posts", "your interactions in Moments", "information about your interactions with Moments posts") are
    that content (:func:`_content_operated_on`). ``None`` for another noun, a counted one ("1,000 shares"), one held
    in a party ("your shares in our company", "shares of Tencent": equity, :func:`_held_in_party`) or interactions
    on nothing the ontology names as user content."""
    if item.lower_ in GENERIC_WORDS:
        return _operations_on_content(r, item)
    if item.lemma_.lower() == "interaction":
        return _content_operated_on(r, item)  # "your interactions in Moments"; else typed by its head word
    verb = r.pat.operation_plurals.get(item.lower_)
    if verb is None or item.tag_ not in ("NNS", "NNPS", "VBZ") or any(c.dep_ == "nummod" for c in item.children) \
            or _held_in_party(r, item):
        return None
    return _content_operated_on(r, item) or r.pat.operation_type.get(verb, r.pat.activity_type)


def _held_in_party(r: Reading, item: Token) -> bool:
    """True when an in / of phrase of the noun names a party ("shares in our company", "shares of Tencent"): a
    stake held in it, no operation (review8)."""
    return any(p.lemma_.lower() in r.pat.party_nouns or p.ent_type_ == "ORG" or r.mentions.within("entity", {p.i})
               for c in (*item.children, *_adjacent_preps(item)) if c.dep_ == "prep" and c.lower_ in ("in", "of")
               for p in c.children if p.dep_ == "pobj")


def _adjacent_preps(noun: Token) -> list[Token]:
    """The preposition right after the noun's phrase when the parser hung it on a word above the noun ("we collect
    your likes on Moments posts", "on" under "collect"), else nothing."""
    doc = noun.doc
    nxt = noun.right_edge.i + 1
    return [doc[nxt]] if nxt < len(doc) and doc[nxt].dep_ == "prep" and doc[nxt].head in noun.ancestors else []


OPERATED_ON_PREPS = frozenset({"on", "to", "in", "under", "with"})


def _operations_on_content(r: Reading, noun: Token) -> str | None:
    """"information about your interactions with Moments posts", "data on your likes on posts": a generic head
    whose "about / of / on" object is an operation on user content is that content (:func:`_content_operated_on`);
    ``None`` when the operations are on nothing the ontology names as user content (then the object types the
    head: "information about your interactions with our ads" is usage, :data:`.typing.USAGE_NOUNS`)."""
    operations = (p for c in noun.children if c.dep_ == "prep" and c.lower_ in ABOUT_PREPS
                  for p in c.children if p.dep_ == "pobj"
                  and (p.lemma_.lower() == "interaction" or p.lower_ in r.pat.operation_plurals))
    return next((found for p in operations if (found := _content_operated_on(r, p))), None)


def _content_operated_on(r: Reading, item: Token) -> str | None:
    """"your likes and comments on Moments posts": the type of the user content an operation is on, when the
    phrase (or a conjunct of it) has an on / to / in / under / with phrase naming user content; likes and comments
    on posts are part of the posts (moments_posts: "comments and likes"), not analytics events (the note at
    interaction_events in mappings/data_types.yaml). The phrase may be the verb's, right after the noun ("we
    collect your likes on Moments posts", parsed with "on" under "collect"). Content the first party holds ("your
    interactions with our email messages", "with the videos on our site") is not the user's: ``None``, as
    otherwise."""
    for noun in (item, *item.conjuncts):
        for pobj in (p for c in [*noun.children, *_adjacent_preps(noun)]
                     if c.dep_ == "prep" and c.lower_ in OPERATED_ON_PREPS
                     for p in c.children if p.dep_ == "pobj" and not any(_first_party_held(r, t) for t in p.subtree)):
            for m in r.mentions.within("data_type", {pobj.i}):
                if m.id != "user_content" and r.onto.is_a("data_type", m.id, "user_content"):
                    return m.id
    return None


def _copied_document(r: Reading, item: Token) -> str | None:
    """"a copy / scan of your business licence": a depiction of a document the user holds is that document, typed
    as the document is (``typing.DOCUMENT_HEADS``; ``personal_information`` when its words name nothing)."""
    for pobj in (p for c in item.children if c.dep_ == "prep" and c.lower_ == "of"
                 for p in c.children if p.dep_ == "pobj"):
        word, mods = phrase_words(pobj)
        if word in DOCUMENT_HEADS and not _first_party_held(r, pobj):
            return type_index(r.onto).type_words(word, mods) or ROOT_DATA_TYPE
    return None


ID_WORDS = frozenset({"id", "number", "identifier"})  # heads naming the ID itself ("merchant ID number")


def _item_type(r: Reading, item: Token, local: set[int], word: str, mods: list[str]) -> str | None:
    """The concept a listed item's words name (:meth:`.typing.TypeIndex.type_words`; an attribute noun or text
    taken from data typed by its modifiers), an "ID" its holder names no identity document but the holder's
    identifier ("merchant ID number") or nothing known ("user ID type", :func:`_holder_id`)."""
    found = type_index(r.onto).type_words(word, mods, word in r.pat.attribute_nouns or _extracted(item))
    if found is not None and r.onto.is_a("data_type", found, IDENTITY_DOCUMENT) and _holder_id(r, local):
        return IDENTIFIER if word in ID_WORDS else None
    return found


def _holder_id(r: Reading, local: set[int]) -> bool:
    """A phrase's "ID" right after a word naming its holder ("user ID type", "the type of user ID", "merchant ID
    number", "transaction ID number"): that holder's identifier, no identity document; a word of an identity
    document's name ("national ID number", :meth:`.typing.TypeIndex.document_word`) or none ("your ID number", "the
    ID type") leaves the document. ``local``: the phrase's token indices (:func:`_local`)."""
    index = type_index(r.onto)
    return any(r.doc[i].lower_ == "id" and i - 1 in local and r.doc[i - 1].is_alpha and r.doc[i - 1].pos_ in (
        "NOUN", "PROPN", "ADJ") and not index.document_word(singular(r.doc[i - 1].lower_)) for i in local)


# attribute nouns whose value of a communication is its metadata, not its content ("the date and time / duration
# of your calls / messages": communication_metadata, claims_en_lexicon.yaml header); "the content / type of your
# messages" stays the messages
METADATA_ATTRIBUTES = frozenset({"date", "time", "duration", "frequency", "length", "count", "size", "amount",
                                 "number", "status"})


def _metadata_attribute(r: Reading, word: str, found: str | None) -> str | None:
    """``found``, the type of a phrase headed by the attribute noun ``word`` ("length" of "the length of your
    chats"), unless ``word`` is one of :data:`METADATA_ATTRIBUTES` and ``found`` the content of communications:
    then that content's metadata type (:data:`METADATA_OF`)."""
    if found is None or word not in METADATA_ATTRIBUTES:
        return found
    return next((t for c, t in METADATA_OF.items() if r.onto.is_a("data_type", found, c)), found)


def _communication_attributes(r: Reading, mentions: list[Mention]) -> tuple[list[DataRef], set[int]]:
    """Metadata of communications a mention is the "of" object of an attribute noun of (``METADATA_ATTRIBUTES``:
    "the date and time of your messages", "the number of messages you send"): the metadata (:data:`METADATA_OF`),
    as data phrases from the attribute to the mention, and the root indices of the mentions so described (the
    messages themselves are not named)."""
    refs: list[DataRef] = []
    described: set[int] = set()
    for m in mentions:
        prep = m.root.head if m.root.dep_ == "pobj" else None
        owner = prep.head if prep is not None and prep.lower_ == "of" else None
        if owner is None or singular(owner.lower_) not in METADATA_ATTRIBUTES or owner.pos_ != "NOUN":
            continue
        found = _metadata_attribute(r, singular(owner.lower_), m.id)
        if found != m.id:
            first = min([owner.i, *(c.i for c in owner.conjuncts if c.i < owner.i)])
            refs.append(DataRef(found, r.doc[first: m.span.end].text, owner.i, HEAD_WORD))
            described.add(m.root.i)
    return refs, described


def _attribute_of_object(r: Reading, item: Token) -> str | None:
    """The type of an attribute noun's one "of" object read as a phrase of its own, when the words of both
    together name nothing alike: "the date and time of your video calls" are of calls ("video calls" is headed by
    "calls": communication metadata), not of videos; ``None`` when the object names nothing."""
    owner = item.head if item.dep_ == "conj" and item.head.lemma_.lower() in r.pat.attribute_nouns else item
    objects = [p for c in owner.children if c.dep_ == "prep" and c.lower_ == "of"  # (shared: "the date and
               for p in c.children if p.dep_ == "pobj" and p.pos_ in ("NOUN", "PROPN")]  # time of your calls")
    if len(objects) != 1:
        return None
    word, mods = phrase_words(objects[0])
    mods = [m for m in mods if m not in r.pat.weak_modifiers]
    found = type_index(r.onto).type_words(word, mods)
    if found is None and owner is not item:  # a conjunct shares the owner's object as a modifier: "the date
        found = type_index(r.onto).type_words(singular(item.lower_), [word, *mods], True)  # and time of login"
    return found


def _extracted(item: Token) -> bool:
    """"the text extracted / recognised from your ID": what was taken from data is that data, typed by the
    "from" object (``typing.EXTRACTED``), like an attribute noun by its "of" object."""
    return any(c.dep_ == "acl" and c.lemma_.lower() in EXTRACTED and any(
        p.dep_ == "prep" and p.lower_ == "from" for p in c.children) for c in item.children)


FIRST_PARTY_POSSESSIVES = frozenset({"our", "ours"})  # (actors.FIRST_PERSON; actors imports this module)
CONSENT_WORDS = frozenset({"agreement"})  # "we obtain your agreement" is consent, no document


def _owned_document(r: Reading, item: Token, word: str) -> bool:
    """A document, certificate or licence (``typing.DOCUMENT_HEADS``) someone holds: with a possessor ("your
    business licence", "the merchant's permit") or depicted ("a copy of the lease contract"); not "security
    certificates" that encrypt connections, nor "your agreement" (consent: an agreement is a document only with a
    noun naming its kind, "your tenancy agreement"), nor the first party's own ("our business licence",
    :func:`_first_party_held`)."""
    if word not in DOCUMENT_HEADS or (word in CONSENT_WORDS and not any(
            c.dep_ == "compound" for c in item.children)) or _first_party_held(r, item):
        return False
    depicted = item.dep_ == "pobj" and item.head.lower_ == "of" and singular(item.head.head.lower_) in DEPICTIONS
    return depicted or any(c.dep_ == "poss" for c in item.children)


def _first_party_held(r: Reading, item: Token) -> bool:
    """A document whose possessor is the first party ("our certificate of incorporation", "Acme's business
    licence"): the company's own paper, no personal data of the user."""
    return any(c.dep_ == "poss" and (c.lower_ in FIRST_PARTY_POSSESSIVES or getattr(
        r.mentions.at("entity", c), "id", None) == r.first_party) for c in item.children)


def _bare_record(word: str, mods: list[str]) -> bool:
    """A record-like head with no word but generic ones ("the following list of data", "records of
    information"): like a bare "information", it counts only when the argument names nothing more specific."""
    return word in RECORD_HEADS and all(singular(w) in GENERIC_WORDS or w == "info" for w in mods)


def _unrelated_head_type(r: Reading, found: str, category: str | None, mods: list[str]) -> bool:
    """True when an example typed by its bare head word alone (no modifier) gets a type unrelated to the named
    category it is listed under: "biometric data such as your fingerprint" is biometric data, not the device
    information "device fingerprint" names (claims_en.yaml: members of a named category get its type)."""
    return category is not None and not mods and not r.onto.is_a("data_type", found, category) \
        and not r.onto.is_a("data_type", category, found)


def _data_noun_feature(r: Reading, m: Mention) -> bool:
    """A feature named by one information noun (``patterns.yml`` ``data_nouns``: "statistics", an alias of
    `reporting`) is data where it is a practice's argument ("we share aggregated statistics with advertisers")."""
    return m.kind == "feature" and len(m.span) == 1 and singular(m.root.lower_) in r.pat.data_nouns


def _second_item(r: Reading, item: Token, mentions: list[Mention]
                 ) -> tuple[Token, set[int], str, list[str], bool] | None:
    """The candidate (noun, its tokens, head word, modifiers, data-like) of the second of two items the parser
    read as one phrase headed by ``item`` (:func:`coordinated_before`): "transaction amount" of "your bank card
    number and transaction amount", its words without the named first item's."""
    for m in mentions:
        second = coordinated_before(r, m, item) if item.i >= m.span.end else None
        if second is None:
            continue
        own = {t.i for t in second.subtree}
        skip = {t.i for w in m.span for t in w.subtree} - own
        word, mods = phrase_words(item, skip=skip)
        _, conj_mods = phrase_words(second)
        mods = [w for w in [*mods, singular(second.lower_) if second.is_alpha else "", *conj_mods]
                if w and w not in r.pat.generic_qualifiers and w not in r.pat.weak_modifiers]
        return item, (_local(item) - skip) | own, word, mods, True
    return None


def _about_items(r: Reading, mentions: list[Mention], tokens: set[int]) -> list[DataRef]:
    """"information about you, your online behaviour and your computer": each thing generic information is said
    to be about, typed by its words as "information about <it>" (:mod:`.typing`), when the ontology does not
    name it already; also when another item is named ("information about your interests and use of the site":
    the generic word, dropped beside "interests", still lists "use of the site")."""
    index = type_index(r.onto)
    out: list[DataRef] = []
    for m in r.mentions.within("data_type", tokens):
        if m.id != ROOT_DATA_TYPE or m.basis != "lexicon" or m.root.lower_ not in GENERIC_WORDS:
            continue
        for prep in m.root.children:
            if prep.dep_ != "prep" or prep.lower_ not in ABOUT_PREPS or prep.lower_ == "of":
                continue
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                for item in _items(pobj, r.pat):
                    local = _local(item)
                    if item.pos_ not in ("NOUN", "PROPN") or any(o.root.i in local for o in mentions):
                        continue
                    word, mods = phrase_words(item)
                    found = index.type_words("information", [word, *mods], attribute=True)
                    if found is not None:
                        out.append(DataRef(found, _phrase_text(r, item, local), item.i, HEAD_WORD))
    return out


def _operation_verb(token: Token, r: Reading) -> str | None:
    """The verb of a gerund ("liking" -> "like", "favoriting" -> "favorite"), if it is a known operation."""
    word = token.lower_
    if not word.endswith("ing") or len(word) < 6:
        return None
    stem = word[:-3]
    for verb in (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else stem):
        if verb in r.pat.operation_type:
            return verb
    return ""


def _operation_record(r: Reading, item: Token) -> str | None:
    """A record of an operation named by its modifier ("playback records", "viewing history", "reservation
    records"): the operation's type (``patterns.yml`` ``operation_types``, nominal forms in
    ``operation_nominals``), a record of another action (a gerund or an action noun in -tion / -ment) the
    ``activity_type``, as the operation-record convention of tests/gold/claims_zh.yaml reads them."""
    if item.lemma_.lower() not in r.pat.operation_nouns or item.lemma_.lower() in ("operation", "action", "activity"):
        return None
    modifiers = [c for c in item.children if c.dep_ in ("compound", "amod", "nmod") and c.i < item.i and c.is_alpha]
    if len(modifiers) != 1:
        return None
    word = modifiers[0].lower_
    verb = r.pat.operation_nominals.get(word) or _operation_verb(modifiers[0], r) or (
        word if word in r.pat.operation_type else None)
    if verb:
        return r.pat.operation_type.get(verb, r.pat.activity_type)
    if verb == "" or (modifiers[0].pos_ == "NOUN" and word.endswith(("tion", "ment")) and len(word) > 6):
        return r.pat.activity_type
    return None


def operations(r: Reading, head: Token) -> list[DataRef]:
    """Records of operations listed as examples: "records of operations such as reading, watching, liking and
    sharing their content" -> viewing_history (reading, watching), interaction_events (liking, sharing) and, for
    another operation ("underlining"), ``activity_type`` (``patterns.yml`` ``operation_nouns``/``operation_types``;
    the operation-record convention of tests/gold/claims_zh.yaml)."""
    out: list[DataRef] = []
    for item in _items(head, r.pat):
        nouns = [item, *(p for c in item.children if c.dep_ == "prep" and c.lower_ == "of"
                         for p in c.children if p.dep_ == "pobj")]
        for noun in nouns:
            if noun.lemma_.lower() not in r.pat.operation_nouns:
                continue
            for prep in noun.children:
                if prep.dep_ != "prep" or prep.lower_ not in EXAMPLE_PREPS:
                    continue
                for first in (p for p in prep.children if p.dep_ in ("pobj", "pcomp")):
                    for token in (first, *first.conjuncts):
                        verb = _operation_verb(token, r)
                        if verb is not None:
                            kind = r.pat.operation_type.get(verb, r.pat.activity_type)
                            out.append(DataRef(kind, token.text, token.i, HEAD_WORD))
    return out


def data_of(r: Reading, head: Token) -> list[DataRef]:
    """Data types named by the argument headed by ``head`` (with back-references resolved), including phrases
    the ontology does not name (:func:`unmapped`)."""
    tokens = np_tokens(head, r.pat)
    mentions = mentions_in(r, tokens | verbal_items(r, tokens))
    if r.fallback_label and any(_names_row(m, r) for m in mentions):
        return list(r.fallback_data)  # "we process your social connect information": the row's own data
    ops = operations(r, head) if "head_words" not in r.disabled else []
    # the object of an operation ("sharing their content") is what was operated on, not data: the record is
    objects = {t.i for d in ops if d.token is not None for t in r.doc[d.token].subtree if t.i != d.token}
    attributes, described = _communication_attributes(r, mentions)  # "the date and time of your messages"
    refs = [d for d in [DataRef.of(m) for m in mentions if m.root.i not in described] + attributes
            + shared_head(r, mentions) + unmapped(r, head, mentions) + _about_items(r, mentions, tokens)
            if d.token not in objects] + ops
    if "head_words" not in r.disabled:
        refs = _most_specific_about(r, distributed(r, refs))
    refs = _row_members(r, refs)
    anaphoric = head.lower_ in r.pat.anaphora_heads or (any(
        c.dep_ in ("det", "amod", "predet") and c.lower_ in r.pat.anaphora_determiners for c in head.children)
        and not _defined_by_clause(head)) or (
        bool(r.fallback_data) and len(mentions) == 1 and is_bare_generic(mentions[0])
        and not any(c.dep_ in ("det", "poss") for c in head.children))  # a table cell's "Information is retained"
    if refs and not (anaphoric and all(is_bare_generic(m) for m in mentions)):
        return refs
    if not refs and not anaphoric:
        return []
    return (antecedent(r, head) if "anaphora" not in r.disabled else []) or refs


def _most_specific_about(r: Reading, refs: list[DataRef]) -> list[DataRef]:
    """Without the type of generic information (typed by its qualifiers, ``head_word``) when what it is about is
    typed as a narrower kind of it: "data about your use of Mini Programs" is Mini Program usage, not usage data
    in general (a bare "information" whose specific kind is given counts only as that kind)."""
    def narrower(d: DataRef, e: DataRef) -> bool:
        return e.token is not None and e.token != d.token and e.data_type != d.data_type \
            and r.onto.is_a("data_type", e.data_type, d.data_type) \
            and e.token in {t.i for t in r.doc[d.token].subtree}  # type: ignore[index]
    return [d for d in refs if not (d.basis == HEAD_WORD and d.token is not None
                                    and r.doc[d.token].lower_ in GENERIC_WORDS
                                    and any(narrower(d, e) for e in refs))]


def _defined_by_clause(head: Token) -> bool:
    """"the information you enter in a complaint", "the data generated by your use of Search": "the" with a
    restrictive clause says which data is meant, it refers back to nothing ("that/this/such information" do)."""
    dets = [c.lower_ for c in head.children if c.dep_ in ("det", "amod", "predet")]
    if dets != ["the"] or any(t.lemma_ == head.lemma_ and t.pos_ == "NOUN" for t in head.doc[: head.i]):
        return False  # ("the mobile number ... the numbers you search for" repeats its noun: it refers back)
    return any(c.dep_ in ("relcl", "acl") and c.i > head.i for c in head.children)


def verbal_items(r: Reading, tokens: set[int]) -> set[int]:
    """Items of a list in ``tokens`` that the parser read as clauses: right after the list and a comma or
    conjunction, a verb without a subject that starts a data phrase the lexicon names ("IP addresses, browser
    types, ISP, referring/exit pages, operating system and click stream data": "referring" hung on the list or on
    the main verb, "click" a verb) is the phrase's modifier, so the "clause" it heads, with the rest of the list
    hung on it, continues the list. A verb that starts no data phrase ("information collected when you visit")
    or has its own subject stays out."""
    out: set[int] = set()
    if not tokens:
        return out
    doc = r.doc
    end = doc[max(tokens)].sent.end
    i = min(tokens)
    while i < end:
        token = doc[i]
        if i not in tokens and i not in out and (token.dep_ in CLAUSE_DEPS or (
                token.dep_ == "conj" and token.pos_ == "VERB")) and _continues(r, token, tokens | out):
            out |= np_tokens(token, r.pat) - tokens
        i += 1
    return out


def _continues(r: Reading, verb: Token, listed: set[int]) -> bool:
    """True when ``verb`` follows a data phrase of the list ``listed`` after a comma or conjunction and starts a
    data phrase, or heads an embedded question the lexicon names as data ("your IP address, which pages you are
    visiting, ...")."""
    question = named_question(r, verb)
    j = (verb.left_edge if question else verb).i - 1
    if j < 0 or r.doc[j].lower_ not in (",", *SERIES_CONJUNCTIONS):
        return False
    while j > 0 and (r.doc[j].is_punct or r.doc[j].lower_ in SERIES_CONJUNCTIONS) and j not in listed:
        j -= 1
    if j not in listed or r.mentions.at("data_type", r.doc[j]) is None:
        return False  # the list continued ends in a data phrase: "your use of the app, and survey answers" does not
    if question:
        return True
    if any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return False
    starts = [m.span.start for m in r.mentions.in_range("data_type", verb.i, verb.i + 4)]
    # the data phrase starts at the verb ("click stream data") or after a slash ("referring/exit pages")
    return any(k == verb.i or all(r.doc[n].text in ("/", "-") for n in range(verb.i + 1, k)) for k in starts)


WH_WORDS = frozenset({"which", "what", "how", "when", "where", "whether"})


def named_question(r: Reading, verb: Token) -> bool:
    """True when the clause of ``verb`` opens with a wh-word and a data name the lexicon knows starts there and
    reaches the verb ("which pages you are visiting")."""
    left = verb.left_edge
    return left.lower_ in WH_WORDS and any(m.span.start == left.i and m.span.end > verb.i
                                           for m in r.mentions.in_range("data_type", left.i, verb.i + 1))


def _row_members(r: Reading, refs: list[DataRef]) -> list[DataRef]:
    """In a table row's cell, a data phrase with no type of its own (``fallback``) is a member of the category the
    row's label names ("Parent/guardian information ... WeChat only retains the date of verification": the date
    is parental/guardian information): it gets the label's types (English held-out header and claims_en.yaml:
    "members listed inside a named category without a type of their own get the category's type"). Unchanged
    outside a table row, or unless the label names exactly one type of the row's data (:func:`members_typed`)."""
    if not r.fallback_label or not any(d.basis == FALLBACK for d in refs):
        return refs
    label = r.fallback_label.lower()
    types = [d for d in r.fallback_data if d.data_type != ROOT_DATA_TYPE and d.text
             and re.search(r"\b" + re.escape(d.text.lower()) + r"\b", label)]
    return members_typed(types, refs) if types else refs


def _names_row(m: Mention, r: Reading) -> bool:
    """A generic "X information" repeating the table row's label ("Social Connect Information")."""
    if m.id != ROOT_DATA_TYPE:
        return False
    before = m.span.start if m.basis == "lexicon" else m.root.i  # a typed mention's span holds its qualifiers
    words = [c.lower_ for c in m.root.children if c.dep_ in ("compound", "amod") and c.i < before]
    phrase = " ".join([*words, m.root.lower_])
    return bool(words) and phrase in r.fallback_label.lower()


def _word(token: Token) -> str:
    lower = token.lower_
    return lower if lower in ("data", "datum") else token.lemma_.lower()


def antecedent(r: Reading, head: Token) -> list[DataRef]:
    """The data an anaphoric phrase refers to: an earlier phrase with the same head noun ("these channels" ->
    "contact channels ..., such as mobile number"), else the nearest earlier data phrase (its conjuncts
    included), else the unit's fallback data (a table row's data types)."""
    shared = _coordinated_object(head)
    if shared is not None and (refs := data_of(r, shared)):
        return refs  # "X collect data about how you use ads and share it": the data the first verb took
    word = _word(head)
    if word not in r.pat.anaphora_heads and word not in GENERIC_WORDS:
        for token in reversed(r.doc[: head.i]):
            if _word(token) == word and token.pos_ in ("NOUN", "PROPN"):
                refs = [DataRef.of(m) for m in mentions_in(r, np_tokens(token, r.pat))]
                if refs:
                    return refs
        # a table cell's "the text" after the row's label "Translation Text": the label's head noun, the row's data
        label_words = r.fallback_label.lower().replace(".", " ").split()
        same = head.pos_ == "NOUN" and bool(label_words) and singular(word) == singular(label_words[-1])
        return list(r.fallback_data) if same else []
    earlier = [m for m in r.mentions.by_kind["data_type"] if m.span.end <= head.i and not is_modifier(m)
               and not _in_title(r, m) and not is_bare_generic(m) and not _qualified_generic(m, r)
               and not _means_of_collection(r, m) and not _clause_subject(m, head)]
    if earlier:
        last = _salient(earlier, head)
        whole = _exemplified(last)
        named = [d for d in _group_refs(earlier, whole) if d.data_type != ROOT_DATA_TYPE] if whole else []
        chosen = [*named, *_group_refs(earlier, last)] or [DataRef.of(earlier[-1])]
        if {d.data_type for d in chosen} & {d.data_type for d in r.fallback_data}:
            return list(r.fallback_data)  # "removal of the Shared Information ... the data": the row's data
        return chosen
    return list(r.fallback_data)


def _group_refs(earlier: list[Mention], token: Token) -> list[DataRef]:
    """The data of the mentions among ``earlier`` rooted at ``token`` or at one of its conjuncts."""
    group = {token.i, *(t.i for t in token.conjuncts)}
    return [DataRef.of(m) for m in earlier if m.root.i in group]


def _exemplified(token: Token) -> Token | None:
    """The noun whose examples ``token`` is part of ("such as X", "like X", "including X", also "such as from X
    and Y"): an anaphor after a list that ends in examples refers to the list, not to its last example ("This
    information may include your name, your interests and other data, such as shopping behavior. We may combine
    this information ...": the name, the interests and the shopping behavior; of a whole named only by a generic
    word, "information like your e-mail address", the examples). ``None`` when ``token`` is no example.
    An example is an instance of the noun it follows (Huddleston & Pullum 2002, ch. 15 §5, "such as" phrases
    of exemplification), so a reference to the whole takes the noun and its conjuncts."""
    for _ in range(4):
        while token.dep_ == "conj" and token.head != token:
            token = token.head
        if token.dep_ != "pobj" or token.head.dep_ != "prep":
            return None
        prep = token.head
        if prep.head.dep_ == "prep" and prep.lower_ not in EXAMPLE_PREPS:  # "such as from social media"
            prep = prep.head
        if prep.lower_ in EXAMPLE_PREPS and prep.head.pos_ in ("NOUN", "PROPN"):
            return prep.head
        token = prep.head
    return None


OBJECT_PRONOUNS = frozenset({"it", "them"})  # an object that names data again ("... and share it")


def _coordinated_object(pronoun: Token) -> Token | None:
    """The object of the verb that the pronoun object's verb is coordinated with ("collect data about ... and
    share it": "data"), which "it" / "them" refers to; None otherwise."""
    verb = pronoun.head
    if pronoun.lower_ not in OBJECT_PRONOUNS or pronoun.dep_ != "dobj" or verb.dep_ != "conj":
        return None
    objects = [c for c in verb.head.children if c.dep_ == "dobj" and c.i < pronoun.i and c.pos_ in ("NOUN", "PROPN")]
    return objects[-1] if objects else None


def _salient(earlier: list[Mention], pronoun: Token) -> Token:
    """The root of the data phrase a pronoun refers to: the nearest, except that the object of an earlier
    clause is preferred to a prepositional phrase after it in that clause ("If you add your region to your
    profile, your contacts can see it": the region; "we collect your name from your profile and store it")."""
    last = earlier[-1].root
    if last.dep_ != "pobj" or last.head.dep_ != "prep":
        return last
    verb = last.head.head
    if verb.dep_ == "dobj":  # the parser hung the phrase on the object ("upload a photo to Moments")
        verb = verb.head
    objects = [m.root for m in earlier if m.root.dep_ == "dobj" and m.root.head == verb]
    return objects[-1] if objects and verb.pos_ in ("VERB", "AUX") and pronoun.i > last.head.right_edge.i else last


def _clause_subject(m: Mention, pronoun: Token) -> bool:
    """The subject of the pronoun's own clause, which a pronoun object cannot refer to ("your friends can see
    it": "it" is not the friends; binding theory's Principle B)."""
    return m.root.dep_ in ("nsubj", "nsubjpass") and m.root.head == pronoun.head and pronoun.dep_ in ("dobj", "pobj")


MEANS_WORDS = frozenset({"using", "through", "via", "by"})  # "collected using / through / by means of cookies"


def _means_of_collection(r: Reading, m: Mention) -> bool:
    """An instrument of collection named as the means a practice uses ("This information is collected using
    technologies such as cookies", "gathered through web beacons"): how the data is collected, not the data a
    later "this information" or "it" refers to (``patterns.yml`` ``instrument_types``)."""
    if not any(r.onto.is_a("data_type", m.id, t) for t in r.pat.instrument_types):
        return False
    token = m.root
    while token.head != token and token.pos_ not in ("AUX",) and not (token.pos_ == "VERB" and token.lower_ != "using"):
        token = token.head
        if token.lower_ in MEANS_WORDS:
            return True
    return False


def members_typed(category: list[DataRef], members: list[DataRef]) -> list[DataRef]:
    """Members listed inside a named category that have no type of their own (``fallback``) get the category's
    type, when the category names one specific type: "Log Data ... including:" + "the time spent on a page" ->
    log data; "Customer Support Information. ... your feedback" -> customer support data (``data_basis``
    ``head_word``: the phrase itself stays unmapped)."""
    specific = {d.data_type for d in category if d.data_type != ROOT_DATA_TYPE}
    if len(specific) != 1:
        return members
    (kind,) = specific
    return [DataRef(kind, m.text, m.token, HEAD_WORD) if m.basis == FALLBACK else m for m in members]


def examples_typed(r: Reading, data: list[DataRef]) -> list[DataRef]:
    """Examples with no type of their own (``fallback``) listed after a typed data phrase by "such as",
    "including" or "like" get that phrase's type, as members listed inside a named category do
    (:func:`members_typed`; claims_en.yaml header): "service log information (such as records of the searches
    you perform)" -> service logs (``data_basis`` ``head_word``)."""
    typed = {d.token: d for d in data if d.token is not None and d.data_type != ROOT_DATA_TYPE}
    out = []
    for d in data:
        category = _example_of(r, d.token) if d.basis == FALLBACK and d.token is not None else None
        if category is not None and category in typed:
            d = DataRef(typed[category].data_type, d.text, d.token, HEAD_WORD)
        out.append(d)
    return out


def _example_of(r: Reading, index: int) -> int | None:
    """The noun an example (or a later member of a list of examples) is introduced under, by "such as",
    "including" or "like"; None for a token that is no such example."""
    token = r.doc[index]
    while token.dep_ == "conj" and token.head != token:
        token = token.head
    marker = token.head
    if token.dep_ != "pobj" or marker.dep_ != "prep" or marker.lower_ not in EXAMPLE_PREPS:
        return None
    return marker.head.i if marker.head.pos_ in ("NOUN", "PROPN") else None

