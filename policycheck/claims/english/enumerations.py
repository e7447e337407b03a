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

from spacy.tokens import Span, Token

from policycheck.claims.english.frame import ROOT_DATA_TYPE, DataRef, Reading
from policycheck.claims.english.lexicon import Mention, is_modifier
from policycheck.claims.english.patterns import Patterns

CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp", "csubj", "parataxis", "pcomp"})
# Prepositions that leave the data phrase: parties, places, times, purposes, manners.
NON_DATA_PREPS = frozenset({"with", "to", "by", "for", "through", "via", "at", "among", "within", "between", "under",
                            "during", "after", "before", "since", "until", "in", "into", "across", "upon", "per",
                            "than", "against", "toward", "towards", "over", "using", "from"})
EXAMPLE_PREPS = frozenset({"including", "include", "as", "like"})
_CLAUSE_SKIP = CLAUSE_DEPS | {"nsubj", "nsubjpass", "punct", "cc", "mark", "aux", "auxpass", "neg"}
GENERIC_WORDS = frozenset({"information", "data", "datum", "details", "detail"})


def np_tokens(head: Token, pat: Patterns, include_clauses: bool = True) -> set[int]:
    """Token indices of the noun phrase headed by ``head``: its modifiers, conjuncts, appositions and examples,
    without clauses (except clauses listing members, with ``include_clauses``) and party/place prepositions."""
    out: set[int] = set()
    stack = [head]
    while stack:
        token = stack.pop()
        out.add(token.i)
        for child in token.children:
            if _negated_branch(child, pat):
                continue
            if child.dep_ in CLAUSE_DEPS:
                if include_clauses and child.lemma_.lower() in pat.include_verbs:
                    out.add(child.i)
                    stack.extend(c for c in child.children if c.dep_ not in _CLAUSE_SKIP)
                elif include_clauses:  # examples the parser attached to a clause ("information that ..., such as")
                    stack.extend(c for c in child.subtree if c.dep_ == "prep" and c.lower_ in EXAMPLE_PREPS
                                 and (c.head == child or c.head.pos_ == "PRON"))
                continue
            if child.dep_ == "prep" and child.lower_ in NON_DATA_PREPS:
                continue
            if child.dep_ in ("punct", "cc", "det", "case", "mark"):
                continue
            stack.append(child)
    return out


def _negated_branch(token: Token, pat: Patterns) -> bool:
    """A branch excluded by negation: "(but not the content ...)", "except X", "other than X"."""
    if token.dep_ == "prep" and token.lower_ in pat.excluding_words:
        return True
    if token.dep_ in ("conj", "appos", "dep", "npadvmod", "prep", "pobj") and any(
            c.dep_ == "neg" or c.lower_ in ("not", "never") for c in token.children):
        return True
    return token.dep_ == "prep" and token.lower_ == "than" and token.head.lower_ == "other"


def negated_branch(token: Token, pat: Patterns) -> bool:
    """True when ``token`` sits in a branch that negation excludes, anywhere up to its sentence root."""
    while token.head != token:
        if _negated_branch(token, pat):
            return True
        token = token.head
    return False


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
    return m.id == ROOT_DATA_TYPE and all(t.lower_ in GENERIC_WORDS for t in m.span) and any(
        c.dep_ in ("compound", "amod", "nmod") and c.i < m.span.start and c.lower_ not in r.pat.generic_qualifiers
        for c in m.root.children)


def _renamed(m: Mention, found: list[Mention], r: Reading) -> bool:
    """A mention renamed by a more specific one in apposition: "unique identifier number (UIN)"."""
    return any(o.root.dep_ == "appos" and o.root.head in (m.root, m.root.head) and o.id != m.id
               and r.onto.is_a("data_type", o.id, m.id) for o in found)


def _prune(r: Reading, found: list[Mention], modifiers: bool = False) -> list[Mention]:
    """Drop quoted titles, modifiers (unless ``modifiers``), mentions renamed by an apposition, and generic
    mentions made redundant by specific ones."""
    # A mention followed directly by a generic word is one noun compound: "emergency contact information"
    # names emergency contacts. (Two adjacent specific names are kept: table cells often lose their line breaks,
    # "Facebook Connect OpenID Facebook Connect Token Email Address".)
    after = {m.span.start: m for m in found}
    compound = {id(after[m.span.end]) for m in found
                if m.span.end in after and after[m.span.end].text.lower() in GENERIC_WORDS}
    kept = [m for m in found if (modifiers or not is_modifier(m) or m.span.end in after) and not _in_title(r, m)
            and id(m) not in compound and not _renamed(m, found, r)]
    specific = [m for m in kept if m.id != ROOT_DATA_TYPE]
    return [m for m in kept if m.id != ROOT_DATA_TYPE or not specific or not (
        is_bare_generic(m) or _qualified_generic(m, r) or any(_dominates(m.root, o.root) for o in specific))]


def _in_title(r: Reading, m: Mention) -> bool:
    """A mention inside a longer quoted name ("Export Personal Data" tool, "How do we use your information?")."""
    quote = r.in_quotes(m.span.start, m.span.end)
    return quote is not None and quote != (m.span.start, m.span.end)


def mentions_in(r: Reading, tokens: set[int]) -> list[Mention]:
    """Data mentions rooted in ``tokens`` (see :func:`_prune`)."""
    return _prune(r, r.mentions.within("data_type", tokens))


def listed(r: Reading, span: Span) -> list[Mention]:
    """Data a verbless list names (a list item, a table cell): every mention in ``span`` except those in a
    negated branch or in a relative clause that is not about membership ("tokens that facilitate ...")."""
    skipped: set[int] = set()
    for token in span:
        clause = token.dep_ in ("relcl", "advcl") or (token.dep_ == "amod" and token.tag_ == "VBN" and any(
            c.dep_ == "agent" for c in token.children))  # "(as determined by your IP address)"
        if clause and token.lemma_.lower() not in r.pat.include_verbs:
            skipped |= {t.i for t in token.subtree}
            # examples hung on the clause still list the noun's members ("information that is described in
            # ..., such as nationality and gender")
            skipped -= {t.i for c in token.subtree if c.dep_ == "prep" and c.lower_ in EXAMPLE_PREPS
                        for t in c.subtree}
    found = [m for m in r.mentions.in_range("data_type", span.start, span.end)
             if m.root.i not in skipped and not negated_branch(m.root, r.pat)]
    return _prune(r, found, modifiers=True)  # a label's "Customer Support Information" may parse as a modifier


def data_of(r: Reading, head: Token) -> list[DataRef]:
    """Data types named by the argument headed by ``head`` (with back-references resolved)."""
    mentions = mentions_in(r, np_tokens(head, r.pat))
    if r.fallback_label and any(_names_row(m, r) for m in mentions):
        return list(r.fallback_data)  # "we process your social connect information": the row's own data
    refs = [DataRef.of(m) for m in mentions]
    anaphoric = head.lower_ in r.pat.anaphora_heads or any(
        c.dep_ in ("det", "amod", "predet") and c.lower_ in r.pat.anaphora_determiners for c in head.children) or (
        bool(r.fallback_data) and len(mentions) == 1 and is_bare_generic(mentions[0])
        and not any(c.dep_ in ("det", "poss") for c in head.children))  # a table cell's "Information is retained"
    if refs and not (anaphoric and all(is_bare_generic(m) for m in mentions)):
        return refs
    if not refs and not anaphoric:
        return []
    return antecedent(r, head) or refs


def _names_row(m: Mention, r: Reading) -> bool:
    """A generic "X information" repeating the table row's label ("Social Connect Information")."""
    if m.id != ROOT_DATA_TYPE:
        return False
    words = [c.lower_ for c in m.root.children if c.dep_ in ("compound", "amod") and c.i < m.span.start]
    phrase = " ".join([*words, m.root.lower_])
    return bool(words) and phrase in r.fallback_label.lower()


def _word(token: Token) -> str:
    lower = token.lower_
    return lower if lower in ("data", "datum") else token.lemma_.lower()


def antecedent(r: Reading, head: Token) -> list[DataRef]:
    """The data an anaphoric phrase refers to: an earlier phrase with the same head noun ("these channels" ->
    "contact channels ..., such as mobile number"), else the nearest earlier data phrase (its conjuncts
    included), else the unit's fallback data (a table row's data types)."""
    word = _word(head)
    if word not in r.pat.anaphora_heads and word not in GENERIC_WORDS:
        for token in reversed(r.doc[: head.i]):
            if _word(token) == word and token.pos_ in ("NOUN", "PROPN"):
                refs = [DataRef.of(m) for m in mentions_in(r, np_tokens(token, r.pat))]
                if refs:
                    return refs
        return []
    earlier = [m for m in r.mentions.by_kind["data_type"] if m.span.end <= head.i and not is_modifier(m)
               and not _in_title(r, m) and not is_bare_generic(m) and not _qualified_generic(m, r)]
    if earlier:
        last = earlier[-1].root
        group = {last.i, *(t.i for t in last.conjuncts)}
        chosen = [DataRef.of(m) for m in earlier if m.root.i in group] or [DataRef.of(earlier[-1])]
        if {d.data_type for d in chosen} & {d.data_type for d in r.fallback_data}:
            return list(r.fallback_data)  # "removal of the Shared Information ... the data": the row's data
        return chosen
    return list(r.fallback_data)
