"""Defined terms: '"Log Data" is information that is automatically collected when you use WeChat, including:
device attributes, such as your mobile carrier ..., and your IP address' declares ``log_data`` with members
``device_information``, ``mobile_carrier`` ... ``ip_address``; ``defined_terms`` rows let the gap analysis expand
a claim about "Log Data" to its members.

A definition is a sentence that starts with a quoted data-type name (or any data-type name in a section whose
path says "definition") followed by "is", "means", "refers to", "includes" ... Its members are the data types
named after that verb, and, when it introduces a list, the data types each list item names.
"""

from __future__ import annotations

from spacy.tokens import Span

from policycheck.claims.english.enumerations import clause_tokens, negated_branch
from policycheck.claims.english.frame import ROOT_DATA_TYPE, Reading
from policycheck.claims.english.lexicon import Mention
from policycheck.claims.model import DefinedTerm

QUOTES = frozenset('"“”\'‘’')


def term_of(r: Reading, sentence: Span) -> Mention | None:
    """The data type ``sentence`` defines, if it is a definition."""
    i = sentence.start
    while i < sentence.end and (r.doc[i].is_punct or r.doc[i].text in QUOTES):
        i += 1
    quoted = i > sentence.start and r.doc[i - 1].text in QUOTES
    mention = r.mentions.at("data_type", r.doc[i]) if i < sentence.end else None
    if mention is None or mention.span.start != i:
        return None
    j = mention.span.end
    closed = j < sentence.end and r.doc[j].text in QUOTES
    while j < sentence.end and r.doc[j].text in QUOTES:
        j += 1
    if j >= sentence.end or r.doc[j].lemma_.lower() not in r.pat.definition_verbs:
        return None
    if not ((quoted and closed) or "definition" in r.section_path.lower()):
        return None
    return mention


def members(r: Reading, span: Span, term: str, after: int | None = None) -> list[Mention]:
    """Data mentions in ``span`` (from token ``after`` on) that are members of ``term``: not the term itself,
    not the generic root type, not in a negated branch ("but not the content of such communications")."""
    start = span.start if after is None else after
    found = r.mentions.in_range("data_type", start, span.end)
    agents = clause_tokens(r, span, relative=False)  # "made available by your web browser" names no member
    return [m for m in found if m.id not in (term, ROOT_DATA_TYPE) and not negated_branch(m.root, r.pat)
            and m.root.i not in agents]


def defined_terms(term: str, found: list[Mention]) -> list[DefinedTerm]:
    seen: set[str] = set()
    out: list[DefinedTerm] = []
    for m in found:
        if m.id not in seen:
            seen.add(m.id)
            out.append(DefinedTerm(term, m.id, m.text))
    return out
