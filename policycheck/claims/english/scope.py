"""Scope statements: sentences that take data, a party or a feature out of the policy (``scope = 'excluded'``).

Three forms, all found in the WeChat policy versions:

1. A practice in the complement of a negated "apply": "This Privacy Policy does not apply to Personal
   Information collected by third party services ... (e.g., ... Mini Programs ...)". The practice belongs to
   the named party; every feature the sentence names becomes a context.
2. A practice governed by another party's own policy: "your information will be collected ... by the relevant
   Official Account or Mini Program in accordance with their own privacy policies and not this Privacy Policy".
3. A feature made subject to another party's document, with no practice verb: "Your Interoperable
   Interactions will also be subject to the Weixin Privacy Protection Guidelines" -> the party (Weixin)
   collects personal information in that feature, outside this policy; likewise "... does not apply to any
   services offered by or information practices of any third parties".

An excluded claim's context pairs each party with the feature it operates (``features.yaml`` ``operator``);
when the sentence names no feature, the context is the feature the party operates ("third parties" ->
``third_party_services``), so an exclusion never silently covers the whole app.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Span, Token

from policycheck.claims.english.actors import names_first_party, pronoun_antecedent, resolve
from policycheck.claims.english.context import (
    clause_features,
    coordinated,
    coordination_head,
    raised,
    sentence_features,
)
from policycheck.claims.english.enumerations import np_tokens
from policycheck.claims.english.frame import ROOT_DATA_TYPE, USER, DataRef, Practice, Reading
from policycheck.claims.english.lexicon import is_modifier
from policycheck.claims.english.negation import has_negation
from policycheck.ontology import Ontology

GOVERNING_PREPS = ("under", "in", "pursuant")  # "under / in accordance with / pursuant to <party>'s policy"
# Words of a document's title that name no party ("the Privacy Protection Guidelines", "Terms of Use").
GENERIC_TITLE_WORDS = frozenset({"privacy", "protection", "data", "cookie", "cookies", "use", "service", "services",
                                 "user", "users", "software", "license", "licence", "end", "general", "supplemental"})
THIRD_PARTY = "third_party"


def _policy_subject(token: Token, r: Reading) -> bool:
    """True when ``token`` (or the verb it is coordinated with) has this policy or a document as subject, or
    this policy as the agent of its passive ("is not covered by this Privacy Policy")."""
    # the passive: "Information collected by a Mini Program ... is not covered by this Privacy Policy"
    if any(c.dep_ == "agent" and any(t.lemma_.lower() in r.pat.document_words and t.dep_ == "pobj"
                                     and any(d.lower_ == "this" for d in t.children) for t in c.subtree)
           for c in token.children):
        return True
    if token.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children):
        token = token.head
    return any(c.dep_ in ("nsubj", "nsubjpass") and any(t.lemma_.lower() in r.pat.document_words for t in c.subtree)
               for c in token.children)


def negated_apply(r: Reading, verb: Token) -> Token | None:
    """The negated "apply" (or "cease to apply") whose complement holds ``verb``, if any."""
    token = verb
    while token.head != token:
        below, token = token, token.head
        # the complement of "apply", or the subject a negated "covered by this Privacy Policy" shares with the
        # predicate before it ("Information collected by a Mini Program ... is the responsibility of its developer
        # and is not covered by this Privacy Policy")
        shared = [c for c in token.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") and not any(
            d.dep_ in ("nsubj", "nsubjpass") for d in c.children)] if below.dep_ in ("nsubj", "nsubjpass") else []
        for candidate in (token, *shared):
            if candidate.lemma_.lower() in r.pat.apply_lemmas and _policy_subject(candidate, r) and (
                    has_negation(candidate, r.pat) or candidate.head.lemma_.lower() == "cease"):
                return candidate
    return None


def own_policy(r: Reading, chain: list[Token], actors: list[str] | None = None) -> bool:
    """True when the practice's clause says it is governed by the party's own policy, not this one. For our own
    practice (``actors`` holding the first party) the clauses of other parties inside or after it are not its
    clause: "We share X with the map provider, which processes it under its own privacy policy" and "We collect X,
    and the merchant uses it under its own terms" hand over only the other party's practice."""
    head = coordination_head(chain[0].head if raised(chain[0]) else chain[0])  # "remain cached ... and are
    # subject to those services' own privacy policies": the clause of the raising verb
    tokens = list(head.subtree)
    if actors and r.first_party in actors:
        others = {t.i for c in tokens if c is not head and chain[0] not in c.subtree and _other_clause(c)
                  for t in c.subtree}
        tokens = [t for t in tokens if t.i not in others]
    return bool(r.pat.own_policy.search("".join(t.text_with_ws for t in tokens)))


def _other_clause(token: Token) -> bool:
    """``token`` heads a clause of its own: a relative clause, or a coordinated clause with its own subject."""
    return token.dep_ in ("relcl", "acl") or (token.dep_ == "conj" and any(
        c.dep_ in SUBJECT_DEPS for c in token.children))


def other_document(r: Reading, verb: Token) -> bool:
    """The practice is governed by another party's document: a phrase of its verb names it ("processes them under
    the Weixin Privacy Protection Guidelines"), a coordinated verb says so ("collected by Tenpay
    and governed by the Tenpay Privacy Policy"), or another party's document "applies to" it ("Tenpay's privacy
    policy applies to the information it collects")."""
    for token in coordinated(verb):
        if _document_parties(r, token, GOVERNING_PREPS):  # "Weixin processes them under the Weixin Privacy
            return True  # Protection Guidelines", "... in accordance with the Tenpay Privacy Policy"
        for child in token.children:  # (a possessive noun names the party: "... and is subject to that
            # provider's privacy policy")
            if child.lemma_.lower() in r.pat.subject_to_lemmas and child.dep_ in ("acomp", "amod", "oprd", "conj") \
                    and (_document_parties(r, child) or _document_possessors(r, child)):
                return True
        if token.lemma_.lower() in r.pat.subject_to_lemmas and token != verb and (
                _document_parties(r, token) or _document_possessors(r, token)):
            return True
    token = verb
    while token.head != token:
        token = token.head
        if token.lemma_.lower() in r.pat.apply_lemmas and not has_negation(token, r.pat):
            subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
            for subject in subjects:
                sub = {t.i for t in subject.subtree}
                words = {r.doc[i].lemma_.lower() for i in sub}
                parties = [m.id for m in r.mentions.within("entity", sub) if m.id != r.first_party]
                if words & r.pat.document_words and parties and "this" not in {r.doc[i].lower_ for i in sub}:
                    return True
    return False


def operated_features(r: Reading, sentence: Span) -> dict[str, list[str]]:
    """``{party: features}`` for "<feature> is operated/provided/run by <party>" in ``sentence``: the party's
    practices told in the same sentence ("... by third party developers, who collect ...") are in that feature."""
    out: dict[str, list[str]] = {}
    for token in sentence:
        if token.lemma_.lower() not in r.pat.operate_verbs:
            continue
        subjects = [c for c in token.children if c.dep_ == "nsubjpass"]
        agents = [p for a in token.children if a.dep_ == "agent" for p in a.children if p.dep_ == "pobj"]
        features = [m.id for s in subjects for m in r.mentions.within("feature", {t.i for t in s.subtree})
                    if not r.is_root_feature(m.id)]
        for party in (i for a in agents for i in resolve(r, a) if i != USER):
            out.setdefault(party, []).extend(f for f in features if f not in out.get(party, []))
    return out


def named_operators(r: Reading, sentence: Span) -> dict[str, list[str]]:
    """``{party: features}`` for a noun with a participle "operated/provided/run by <party>" and the examples after
    it: "(e.g., features operated by Weixin such as Search, Channels and WeBeans; Official Accounts ...)". The
    features are those named from the noun to the end of its group, the first semicolon or closing bracket after
    the participle (semicolons separate the groups of a list whose items contain commas), or the next "by" that is
    not the participle's own agent ("operated by Weixin such as Channels, or by others such as Mini Programs"); the
    parser often hangs the later groups on the first one, so the noun's subtree is no guide. A negated participle
    ("features not operated by Weixin") names no operator (review7)."""
    out: dict[str, list[str]] = {}
    for token in sentence:
        if token.dep_ != "acl" or token.lemma_.lower() not in r.pat.operate_verbs \
                or token.head.pos_ not in ("NOUN", "PROPN") or any(c.dep_ == "neg" for c in token.children):
            continue
        own = [a for a in token.children if a.dep_ == "agent"]
        agents = [p for a in own for p in a.children if p.dep_ == "pobj"]
        end = next((t.i for t in sentence if t.i > token.i and (t.text in (";", ")") or (
            t.lower_ == "by" and t not in own))), sentence.end)
        features = [m.id for m in r.mentions.in_range("feature", token.head.i, end) if not r.is_root_feature(m.id)]
        for party in (i for a in agents for i in _agent_party(r, a) if i not in (USER, r.first_party)):
            known = out.setdefault(party, [])
            known.extend(f for f in dict.fromkeys(features) if f not in known)
    return out


def _agent_party(r: Reading, agent: Token) -> list[str]:
    """The party an agent names; when its name is part of a feature's name ("features operated by Weixin", a
    synonym of ``weixin_features``), the operator that feature's name states."""
    found = resolve(r, agent)
    if found:
        return found
    return [op for m in r.mentions.in_range("feature", agent.sent.start, agent.i + 1)
            if m.span.end == agent.i + 1 and (op := r.operator(m.id)) is not None]


def with_named_operators(r: Reading, sentence: Span, practices: list[Practice]) -> list[Practice]:
    """An exclusion stated for generic third parties whose examples the sentence says another party operates
    ("does not apply to Personal Information collected by third party services ... (e.g., features operated by
    Weixin such as Channels ...; Official Accounts ...)") has that party as actor for those features (README
    "claims" conventions: the feature's operator is the actor of an exclusion naming it); its other features keep
    the stated actor. Only the operator the sentence names counts, never one the ontology records."""
    operators = named_operators(r, sentence)
    if not operators:
        return practices
    out: list[Practice] = []
    for p in practices:
        if p.scope != "excluded" or not p.actors or not all(_generic_party(r.onto, a) for a in p.actors):
            out.append(p)
            continue
        rest = list(p.contexts)
        for party, features in operators.items():
            moved = [c for c in rest if c in features]
            if moved:
                out.append(p.but(actors=[party], contexts=moved))
                rest = [c for c in rest if c not in moved]
        if rest:
            out.append(p.but(contexts=rest))
    return out


def _generic_party(onto: Ontology, actor: str) -> bool:
    """``third_party_service`` or one of its ancestors ("third parties", "third party services")."""
    return actor == "third_party_service" or actor in onto.ancestors("entity", "third_party_service")


def governing_subject_to(r: Reading, verb: Token) -> list[str] | None:
    """When the practice sits in the subject of "... is subject to <another party's> policy" ("Your use of any
    third party services, including any Personal Information you provide to such third parties ..., are subject
    to the relevant third party's own terms"): the features that subject names (``None`` when it does not)."""
    token = verb
    while token.head != token:
        child, token = token, token.head
        subject = next((c for c in token.children if c.lemma_.lower() in r.pat.subject_to_lemmas
                        and c.dep_ in ("acomp", "amod", "oprd")), None)
        if subject is None and child.dep_ in SUBJECT_DEPS and _governing_passive(r, token):
            subject = token  # "how they use it is governed / covered by their own terms"
        practice = child if child.dep_ in ("csubj", "csubjpass") else verb
        if subject is not None and child.dep_ in SUBJECT_DEPS and (
                _document_parties(r, subject) or r.pat.own_policy.search(
                    r.doc[subject.i: subject.right_edge.i + 1].text)  # "how they use it is subject to their own
                or _owners_document(r, practice, subject)):  # terms": a clause as subject, the party's own
            tokens = {t.i for t in child.subtree}
            return [m.id for m in r.mentions.within("feature", tokens) if not r.is_root_feature(m.id)]
    return None


def _governing_passive(r: Reading, token: Token) -> bool:
    """``token`` is a passive "governed / covered / subject to" ("is governed by its privacy policy")."""
    return token.lemma_.lower() in (*r.pat.subject_to_lemmas, *r.pat.apply_lemmas) and token.tag_ == "VBN" \
        and any(c.dep_ == "auxpass" for c in token.children)


def _owners_document(r: Reading, practice: Token, governor: Token) -> bool:
    """The practice in the subject of "is governed by / subject to" is another party's, and a possessive pronoun
    or noun names the document as that party's: "How the developer uses your data is subject to its privacy
    policy", "Information that Mini Program developers collect is governed by their privacy policies", "Any
    information you provide to third-party services is subject to their privacy policies" (the user's giving:
    its recipient's). Never our own practice ("information we share with partners is subject to their ...")."""
    ids = [i for s in practice.children if s.dep_ == "nsubj" for i in resolve(r, s)]
    ids += [i for a in practice.children if a.dep_ == "agent" for s in a.children if s.dep_ == "pobj"
            for i in resolve(r, s)]  # "Information collected by X is governed by their privacy policies"
    if r.first_party in ids:
        return False
    parties = [i for i in ids if i != USER]
    if not parties and USER in ids:
        parties = [i for p in practice.children if p.dep_ in ("prep", "dative") and p.lower_ in ("to", "with")
                   for o in p.children if o.dep_ == "pobj" for i in resolve(r, o) if i not in (r.first_party, USER)]
    return bool(parties) and (bool(_document_possessors(r, governor)) or any(
        t.dep_ == "poss" and t.lower_ in OWNER_PRONOUNS and t.head.lemma_.lower() in r.pat.document_words
        for prep in governor.children if prep.dep_ in ("prep", "agent") and prep.lower_ in ("to", "by")
        for t in prep.subtree))


SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass"})
OWNER_PRONOUNS = frozenset({"its", "their", "his", "her"})


def document_relative(r: Reading, verb: Token) -> list[str] | None:
    """When the practice is a relative clause of the other party's document a "... is subject to" names
    ("Weixin Pay is subject to Tenpay's policy, which collects X"; "subject to the terms of their developers,
    who collect X"): the features the subject of "is subject to" names (``None`` when it is no such clause)."""
    if verb.dep_ not in ("relcl", "acl"):
        return None
    token = verb.head
    while token.head != token and token.dep_ in ("pobj", "prep", "conj", "poss", "compound") \
            and token.head.lemma_.lower() not in r.pat.subject_to_lemmas:
        token = token.head
    subject = token.head
    if subject.lemma_.lower() not in r.pat.subject_to_lemmas or subject.dep_ not in ("acomp", "amod", "oprd") \
            or not _document_parties(r, subject):
        return None
    tokens = {t.i for c in subject.head.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree}
    return [m.id for m in r.mentions.within("feature", tokens) if not r.is_root_feature(m.id)] or None


def excluded_contexts(r: Reading, sentence: Span, apply: Token | None, exclude: set[int]) -> list[str]:
    """Features named by an exclusion: the whole "does not apply to ..." sentence except the data itself."""
    if apply is None:
        return []
    return [f for f in sentence_features(r, sentence)
            if all(i not in exclude for m in r.mentions.in_range("feature", sentence.start, sentence.end)
                   if m.id == f for i in range(m.span.start, m.span.end))]


def named_features(r: Reading, sentence: Span, exclude: set[int]) -> list[str]:
    """The features a sentence names outside the practice's data (``exclude``), without the root feature and
    purpose-like ones: the features a party's practice under its own terms is taken out of the policy for when
    no clause of the practice names one ("Third-party SDKs in Mini Programs collect X, and these providers
    process it under their own policies", "your location is received by a map provider under its own terms"); a
    feature another named one belongs to gives way to it ("a third-party service in a Mini Program": Mini
    Programs). A feature word that names data here ("the messages you send") is the data, and a practice verb
    with its data ("share your location") the practice, no feature."""
    data = {m.root.i for m in r.mentions.in_range("data_type", sentence.start, sentence.end)}  # "messages"
    named = list(dict.fromkeys(m.id for m in r.mentions.in_range("feature", sentence.start, sentence.end)
                               if not r.is_root_feature(m.id) and m.id not in r.pat.purpose_like_features
                               and m.root.i not in data and m.root.pos_ != "VERB"  # "share your location"
                               and not any(i in exclude for i in range(m.span.start, m.span.end))))
    return [f for f in named if not any(g != f and r.onto.is_a("feature", g, f) for g in named)]


def default_context(onto: Ontology, actor: str) -> str | None:
    """The feature ``actor`` operates (shallowest), else one operated by an ancestor of ``actor``."""
    def depth(fid: str) -> int:
        return max(onto.ancestors("feature", fid).values(), default=0)

    features = [f for f in onto.features.values() if f.parents]
    exact = [f.id for f in features if f.attrs.get("operator") == actor]
    if exact:
        return min(exact, key=depth)
    above = [f.id for f in features if f.attrs.get("operator") in onto.ancestors("entity", actor)
             and f.attrs.get("operator") != actor]
    return min(above, key=depth) if above else None


def pair_contexts(onto: Ontology, actor: str, contexts: list[str]) -> list[str]:
    """The contexts that belong to ``actor``: those it operates, if any, else all of them."""
    own = [c for c in contexts if (op := onto.features[c].attrs.get("operator")) and onto.is_a("entity", op, actor)]
    return own or contexts


def refine_actor(onto: Ontology, actor: str, context: str | None) -> str:
    """A generic third party stated for a feature that a specific third party operates becomes that operator
    ("third party services ... (e.g. Mini Programs)" -> the Mini Program developer). Generic: ``actor`` is
    ``third_party_service`` or one of its ancestors, or an ancestor of the operator."""
    op = onto.features[context].attrs.get("operator") if context in onto.features else None
    if not op or op == actor or not onto.is_a("entity", op, "third_party"):
        return actor
    generic = actor in onto.ancestors("entity", "third_party_service") or onto.is_a("entity", op, actor)
    return op if generic else actor


def statements(r: Reading, sentence: Span) -> list[Practice]:
    """Form 3: features made subject to another party's document; "does not apply to" a party's services."""
    out: list[Practice] = []
    for token in sentence:
        lemma = token.lemma_.lower()
        if lemma in r.pat.subject_to_lemmas or (_governing_passive(r, token) and any(
                c.dep_ == "csubjpass" for c in token.children)):  # "how they use it is covered by their terms"
            out.extend(_subject_to(r, sentence, token))
        elif lemma in r.pat.apply_lemmas and has_negation(token, r.pat) and _policy_subject(token, r):
            out.extend(_not_apply_to_party(r, sentence, token))
    return out


def _document_parties(r: Reading, token: Token, preps: tuple[str, ...] = ("to", "by")) -> list[str]:
    """Parties whose document ``token``'s "to"/"by" (or other ``preps``) phrase names ("the Weixin Privacy
    Protection Guidelines")."""
    parties: list[str] = []
    for prep in token.children:
        if prep.dep_ not in ("prep", "agent") or prep.lower_ not in preps:
            continue
        sub = list(prep.subtree)
        if not any(t.lemma_.lower() in r.pat.document_words for t in sub):
            continue
        ids = [m.id for m in r.mentions.within("entity", {t.i for t in sub})]
        if any(t.lower_ == "this" for t in sub[:3]):
            continue
        parties.extend(i for i in ids if i != r.first_party)
        if not ids:
            parties.extend(_document_owners(r, sub))
    return list(dict.fromkeys(parties))


def _document_owners(r: Reading, tokens: list[Token]) -> list[str]:
    """The party whose document a phrase naming no known entity names: a party noun "of" the document ("the
    privacy policy of the map provider that powers them"), or a proper name the ontology does not know
    before the document word ("the HERE Terms of Use and the HERE Privacy Policy": a third party, as PolicyLint
    takes an unknown organisation named as a policy's owner; Andow et al., USENIX Security 2019)."""
    out = [i for p in tokens if p.dep_ == "pobj" and p.head.lower_ == "of" and p.lemma_.lower() in r.pat.party_nouns
           for i in resolve(r, p) if i not in (r.first_party, USER)]
    title_words = r.pat.document_words | GENERIC_TITLE_WORDS
    for doc_word in (t for t in tokens if t.lemma_.lower() in r.pat.document_words):
        if names_first_party(r, doc_word):
            continue  # the site's own terms: "the Pittsburgh Post-Gazette's Terms of Use"
        if any(c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < doc_word.i and c.text[:1].isupper()
               and c.lemma_.lower() not in title_words for c in doc_word.children):
            out.append(THIRD_PARTY)
    return out


def _subject_to(r: Reading, sentence: Span, token: Token) -> list[Practice]:
    parties = _document_parties(r, token) or _own_terms_operators(r, sentence, token)
    copula = token.head if token.dep_ in ("acomp", "amod", "oprd") else token
    subjects = [c for c in copula.children if c.dep_ in ("nsubj", "nsubjpass")]
    clauses = [c for c in copula.children if c.dep_ in ("csubj", "csubjpass")]
    if not subjects and len(clauses) == 1 and (parties or r.pat.own_policy.search(
            r.doc[token.i: token.right_edge.i + 1].text) or _owners_document(r, clauses[0], token)):
        # "how the developer uses your data is governed by its terms": the party the clause names collects its data
        parties = parties or [i for s in clauses[0].children if s.dep_ == "nsubj" for i in resolve(r, s)
                              if i not in (r.first_party, USER)]
        subjects = [c for c in clauses[0].children if c.dep_ in ("dobj", "nsubjpass")]
    if not subjects and copula.dep_ in ("advcl", "conj"):  # "... are, when used outside of the PRC, subject to
        # ...": the parser hung "subject" on the interposed clause; "X are powered by P and are subject to ...":
        # the subject of the coordination
        subjects = [c for c in copula.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not parties and subjects and copula.dep_ != "conj" and not any(c.dep_ == "conj" for c in copula.children) \
            and not any(s.tag_ in ("WDT", "WP") for s in subjects):
        parties = _document_possessors(r, token)  # a sentence of its own ("X is governed by <party>'s policy")
    if not parties and subjects and all(_anaphoric_practice(r, s) for s in subjects):
        parties = _pronoun_owners(r, token)  # "Such collection is governed by their privacy policies"
    if not parties or not subjects:
        return []
    subject_tokens = set().union(*(np_tokens(s, r.pat, include_clauses=False) for s in subjects))
    subject_tokens |= {t.i for s in subjects for t in s.subtree}
    if any(resolve(r, s) == [USER] for s in subjects):
        # "You will also be subject to the Weixin Privacy Protection Guidelines" after "When you interact with a
        # Weixin user, or use ... any feature operated by Weixin, ...": the features of the sentence before
        before = [s for s in r.doc.sents if s.end <= sentence.start]
        features = clause_features(r, before[-1]) if before else []
    else:  # the features the subject names, else those the parties operate ("location-based products are
        # subject to the terms of the map provider": an exclusion never covers the whole app)
        features = [m.id for m in r.mentions.within("feature", subject_tokens) if not r.is_root_feature(m.id)] or [
            f for p in parties if (f := default_context(r.onto, p)) is not None]
    if not features:
        return []
    # the data the subject names ("products and services that use location information"), else all of it
    named = [DataRef.of(m) for m in r.mentions.within("data_type", subject_tokens)
             if not is_modifier(m) and m.root.dep_ != "npadvmod"]  # not "location-based products"
    text = " ".join(r.doc[s.left_edge.i: s.right_edge.i + 1].text for s in subjects)
    data = named or [DataRef(ROOT_DATA_TYPE, text, None, "fallback")]
    return [Practice(sentence, "collect", False, parties, data, contexts=list(dict.fromkeys(features)),
                     scope="excluded", verb=token, arg_tokens=subject_tokens)]


def _document_possessors(r: Reading, token: Token) -> list[str]:
    """The party owning the document ``token``'s "to"/"by" phrase names by a possessive noun: "the operator's own
    privacy policy", "the developer's terms"."""
    return _possessed_documents(r, token, lambda p: p.pos_ in ("NOUN", "PROPN"), resolve)


def _possessed_documents(r: Reading, token: Token, possessor: Callable[[Token], bool],
                         party: Callable[[Reading, Token], list[str]]) -> list[str]:
    """The parties (other than us and the user) that ``party`` finds for each ``possessor`` of a document word
    (``patterns.yml`` ``document_words``) inside ``token``'s "to"/"by" phrase."""
    return [i for prep in token.children if prep.dep_ in ("prep", "agent") and prep.lower_ in ("to", "by")
            for p in prep.subtree if p.dep_ == "poss" and possessor(p) and p.head.lemma_.lower() in r.pat.document_words
            for i in party(r, p) if i not in (r.first_party, USER)]


ANAPHORIC_DETERMINERS = frozenset({"such", "this", "that", "these", "those"})


def _anaphoric_practice(r: Reading, subject: Token) -> bool:
    """A practice noun that refers back to a practice named before ("such collection", "this processing")."""
    return subject.lemma_.lower() in r.pat.nominal_actions and any(
        c.dep_ in ("det", "amod") and c.lower_ in ANAPHORIC_DETERMINERS for c in subject.children)


def _pronoun_owners(r: Reading, token: Token) -> list[str]:
    """The parties a possessive pronoun owning the document of ``token``'s "to"/"by" phrase refers back to ("is
    governed by their privacy policies" after a sentence naming the Mini Program developer): that party's own
    terms take the practice out of this policy (PolicyLint's reading of a party's own policy; Andow et al., USENIX
    Security 2019), never ours."""
    return _possessed_documents(r, token, lambda p: p.lower_ in OWNER_PRONOUNS, pronoun_antecedent)


def _own_terms_operators(r: Reading, sentence: Span, token: Token) -> list[str]:
    """"<feature> is powered / operated by <party> and is subject to its own terms": the parties the sentence
    says operate something, when "subject to" names a party's own document."""
    if not r.pat.own_policy.search(r.doc[token.i: token.right_edge.i + 1].text):
        return []
    return [p for p in operated_features(r, sentence) if p not in (r.first_party, USER)]


def _not_apply_to_party(r: Reading, sentence: Span, apply: Token) -> list[Practice]:
    """"does not apply to ... information practices of any third parties" (no practice verb below)."""
    practice_verbs = {t.i for t in apply.subtree if t.lemma_.lower() in r.pat.verb_action and t.pos_ == "VERB"}
    out: list[Practice] = []
    for prep in apply.children:
        if prep.dep_ != "prep" or prep.lower_ != "to":
            continue
        sub = {t.i for t in prep.subtree}
        if sub & practice_verbs:
            continue
        parties = [m.id for m in r.mentions.within("entity", sub) if m.id != r.first_party]
        if parties:
            data = [DataRef(ROOT_DATA_TYPE, r.doc[prep.i + 1: prep.right_edge.i + 1].text, None, "fallback")]
            out.append(Practice(sentence, "collect", False, list(dict.fromkeys(parties)), data, scope="excluded",
                                verb=apply, arg_tokens=sub))
    return out
