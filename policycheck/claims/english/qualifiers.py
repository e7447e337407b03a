"""What makes a practice less than absolute: its conditions and the group of people it is restricted to.

A denial such as "We do not knowingly collect Personal Information from any children under the age of 16
without such consent" is not a promise never to collect personal information: it says nothing about adults
(``data_subject = 'children'``), and even for children it holds only for knowing collection without consent
(``condition = 'knowingly; without such consent; ...'``). The gap rules treat a negated claim with a condition
or a data subject as no unconditional denial, so both are read wherever the parser hung them in the clause:

- conditions (``patterns.yml``): except/excluding/unless/without phrases (not "without limitation"), "with
  (your/parental) consent", qualifying adverbs ("knowingly", "intentionally", ``qualifier_adverbs``) and
  legal-requirement phrases ("unless required by law", "as permitted by applicable law", ``legal_cues``);
- the data subject: "from/about/of children", "minors", "anyone under 13", "your child's personal information"
  (``child_nouns``; a person noun with "under <age>") -> ``children``. It applies to positive claims too
  ("we collect information from children with parental consent" is about children).

The walk covers the clause of the practice's coordination (coordinated verbs share it: "collect, use, or
disclose ... without prior parental consent") but not clauses with a subject of their own.
"""

from __future__ import annotations

from spacy.tokens import Token

from policycheck.claims.english.frame import Reading

CHILDREN = "children"
CLAUSE_BREAKS = frozenset({"relcl", "acl", "ccomp", "csubj", "parataxis", "advcl"})
PERSON_WORDS = frozenset({"anyone", "anybody", "person", "individual", "user", "people", "someone", "visitor",
                          "persons", "individuals", "users", "visitors"})
SUBJECT_PREPS = frozenset({"from", "about", "of", "regarding", "concerning", "on", "for"})
EXCLUDED_CONDITION_OBJECTS = frozenset({"limitation", "restriction", "limit"})


def _text(token: Token) -> str:
    sub = list(token.subtree)
    return token.doc[sub[0].i: sub[-1].i + 1].text.strip(" ,;:")


def clause_tokens(head: Token) -> list[Token]:
    """Tokens of the clause headed by ``head``: its subtree without clauses that have a subject of their own
    (relative clauses, complements, a coordinated verb with its own subject)."""
    out: list[Token] = []
    stack = [head]
    while stack:
        token = stack.pop()
        out.append(token)
        for child in token.children:
            own_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in child.children)
            if child.dep_ in CLAUSE_BREAKS or (child.dep_ == "conj" and child.pos_ in ("VERB", "AUX") and own_subject):
                continue
            stack.append(child)
    return sorted(out, key=lambda t: t.i)


def conditions(r: Reading, verb: Token, head: Token) -> list[str]:
    """Condition phrases anywhere in the practice's clause (see the module docstring), as written."""
    parts: list[str] = []
    for token in (verb, head):
        parts += [c.text for c in token.children if c.dep_ == "advmod" and c.lower_ in r.pat.qualifier_adverbs]
    for token in (head, *head.ancestors):  # a practice told in an if-clause ("if you provide us with your name")
        if any(c.dep_ == "mark" and c.lower_ in r.pat.hypothetical_marks for c in token.children):
            parts.append(_text(token))
            break
        if token.dep_ not in ("xcomp", "ccomp", "conj"):
            break
    tokens = clause_tokens(head)
    for t in tokens:
        if t.dep_ != "prep":
            continue
        objects = [c for c in t.children if c.dep_ in ("pobj", "pcomp")]
        lemmas = {o.lemma_.lower() for o in objects}
        exception = t.lower_ in r.pat.condition_preps and objects and not lemmas & EXCLUDED_CONDITION_OBJECTS
        if exception or (t.lower_ == "with" and lemmas & r.pat.consent_words):
            parts.append(_text(t))
    clause = head.doc[head.left_edge.i: head.right_edge.i + 1].text
    parts += [m.group(0) for m in r.pat.legal.finditer(clause)]
    return list(dict.fromkeys(parts))


def _child_noun(r: Reading, token: Token) -> bool:
    return token.lemma_.lower() in r.pat.child_nouns or token.lower_ in r.pat.child_nouns


def _under_age(token: Token, verb: Token) -> bool:
    """"under 13", "under the age of 16" attached to ``token`` (or where the parser hung it: the noun its
    preposition modifies, the practice's verb)."""
    for t in (token, token.head.head if token.dep_ == "pobj" else token.head, verb):
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ in ("under", "below", "younger") and any(
                    g.like_num or g.lemma_.lower() in ("age", "year") for g in c.subtree):
                return True
    return False


def data_subject(r: Reading, head: Token, data_heads: list[Token]) -> str | None:
    """``children`` when the practice is restricted to children (see the module docstring), else ``None``."""
    for t in clause_tokens(head):
        if t.dep_ == "prep" and t.lower_ in SUBJECT_PREPS:
            for pobj in (c for c in t.children if c.dep_ == "pobj"):
                if _child_noun(r, pobj) or (pobj.lower_ in PERSON_WORDS and _under_age(pobj, head)):
                    return CHILDREN
        if t.dep_ == "poss" and _child_noun(r, t) and t.head.i in {h.i for h in data_heads} | {
                c.i for h in data_heads for c in h.subtree}:
            return CHILDREN
    return None
