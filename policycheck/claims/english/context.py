"""The circumstances of a practice: feature context, purpose, condition and modality.

- Context (``claims.context``): a feature named in a when/if clause ("when you use Mini Programs") or an
  in/via/through phrase ("in the Moments feature") attached to the practice's clause (a table row's purpose
  bullets are read in :mod:`.tables`). Never from the section heading alone or from a purpose; the root feature
  ("WeChat services") is no context.
- Purpose: the to-infinitive, "in order to" or "for ... purposes" phrase of the clause, as written.
- Condition: except/unless/if clauses and "with your consent", as written.
- Modality: ``only_if_necessary`` ("only where necessary", "to the extent necessary") over ``will``/``may``
  (the clause's auxiliary).
"""

from __future__ import annotations

from itertools import pairwise

from spacy.tokens import Span, Token

from policycheck.claims.english.frame import Reading
from policycheck.claims.english.lexicon import Mention
from policycheck.claims.pipeline import same_group

CHAIN_DEPS = frozenset({"conj", "xcomp", "ccomp", "advcl", "pcomp", "prep", "pobj", "relcl", "dobj", "appos"})


# Raising verbs: their subject is the subject of the participle they govern ("the data may continue to be cached
# by third party services", "posts may remain cached by search engines").
RAISING = frozenset({"continue", "remain", "stay", "seem", "appear"})


def raised(verb: Token) -> bool:
    """``verb`` is a participle or infinitive complement of a raising verb ("may continue to be cached", "remain
    cached"), whose subject is the raising verb's."""
    return verb.dep_ in ("xcomp", "acomp", "oprd") and verb.head.lemma_.lower() in RAISING


def clause_chain(verb: Token) -> list[Token]:
    """``verb`` and the verbs whose clause it continues (coordination, complements, purpose clauses)."""
    chain = [verb]
    token = verb
    while token.dep_ in CHAIN_DEPS and token.head != token:
        token = token.head
        if token.pos_ in ("VERB", "AUX"):
            chain.append(token)
    return chain


def _series_link(token: Token) -> bool:
    """An edge the parser gives a verb of a comma series instead of ``conj``: "collect, use, retain and
    disclose" (``use`` as ``dep``), "collected, retained and/or shared by" (``retained`` as ``advcl``): a
    verb right after a comma, without a subject, auxiliary or mark of its own, hanging on an earlier verb."""
    if token.dep_ not in ("dep", "advcl", "xcomp", "ccomp", "npadvmod") or token.i <= token.head.i:
        return False
    if token.head.pos_ != "VERB" or token.i == 0 or token.doc[token.i - 1].text != ",":
        return False
    if token.pos_ not in ("VERB", "NOUN") or any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "mark", "det",
                                                           "poss") for c in token.children):
        return False
    if token.pos_ == "NOUN":
        return token.tag_ == "NN"
    return _TAG_FAMILY.get(token.tag_) == _TAG_FAMILY.get(token.head.tag_)


_TAG_FAMILY = {"VB": "base", "VBP": "base", "VBZ": "base", "VBD": "past", "VBN": "past", "VBG": "ing"}


def _gerund_series_start(verb: Token) -> Token | None:
    """The gerund a misattached gerund series starts with: in "is prohibited from retaining, using, or disclosing
    your information" the parser makes "using" a conjunct of "prohibited"; the series starts at "retaining",
    the gerund object of the governor's preposition before it."""
    if verb.tag_ != "VBG" or verb.dep_ != "conj" or verb.head.tag_ == "VBG":
        return None
    starts = [p for c in verb.head.children if c.dep_ == "prep" and c.i < verb.i for p in c.children
              if p.dep_ == "pcomp" and p.tag_ == "VBG" and p.i < verb.i]
    return starts[-1] if starts else None


def _misattached_series(head: Token) -> list[Token]:
    """The gerunds after ``head`` (a gerund object of a preposition) that the parser hung on the governor."""
    if head.tag_ != "VBG" or head.dep_ != "pcomp":
        return []
    governor = head.head.head
    out: list[Token] = []
    stack = [c for c in governor.children if c.dep_ == "conj" and _gerund_series_start(c) == head]
    while stack:
        token = stack.pop()
        out.append(token)
        stack.extend(c for c in token.children if c.dep_ == "conj" and c.tag_ == "VBG")
    return out


def coordination_head(verb: Token) -> Token:
    """The first verb of ``verb``'s coordination ("collected" in "collected, retained, shared and/or stored"; the
    gerund a misattached series starts with)."""
    while (verb.dep_ == "conj" or _series_link(verb)) and verb.head != verb:
        start = _gerund_series_start(verb)
        if start is not None:
            return coordination_head(start)
        verb = verb.head
    return verb


def coordinated(verb: Token) -> list[Token]:
    """Every verb of ``verb``'s coordination (itself included), in text order: conjuncts and series members."""
    head = coordination_head(verb)
    out = [head, *_misattached_series(head)]
    stack = list(out)
    while stack:
        token = stack.pop()
        for child in token.children:
            if (child.dep_ == "conj" and child.pos_ in ("VERB", "AUX", "NOUN")) or _series_link(child):
                out.append(child)
                stack.append(child)
    return sorted(out, key=lambda t: t.i)


def _is_purpose(child: Token) -> bool:
    if child.dep_ in ("xcomp", "advcl") and any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children):
        return True
    if child.dep_ == "prep" and child.lower_ == "for":
        return any(t.lemma_.lower() in ("purpose", "reason") or t.tag_ == "VBG" for t in child.subtree)
    return child.dep_ == "prep" and child.lower_ == "in" and any(c.lower_ == "order" for c in child.children)


def _is_context_clause(child: Token, r: Reading) -> bool:
    if child.dep_ in ("advcl", "pcomp", "ccomp"):
        return any(c.dep_ in ("mark", "advmod") and c.lower_ in r.pat.context_marks for c in child.children)
    return child.dep_ == "prep" and child.lower_ in r.pat.context_preps and not any(
        c.dep_ == "pobj" and c.lemma_.lower() in r.pat.non_context_objects for c in child.children)


def _span_text(token: Token) -> str:
    sub = list(token.subtree)
    return token.doc[sub[0].i: sub[-1].i + 1].text.strip(" ,;:")


def contexts(r: Reading, chain: list[Token], exclude: set[int], data: set[int] = frozenset()) -> tuple[
        list[str], set[int]]:
    """Feature ids tying the practice to a part of the app (when/if clauses, in/via/through phrases of its
    clause or, where the parser hung them, of its data phrase), and the token indices of their mentions.
    Inside a purpose only the purpose's own when/in phrases count ("for ... purposes in relation to an
    Interoperable Interaction"). ``exclude``: token indices of the practice's own arguments (data, parties,
    exceptions), whose features are no context. Features that name purposes (``purpose_like_features``) are
    never a context."""
    members = {t.i for t in chain}
    owners = [*chain, *(t for t in chain[0].doc if t.i in data)]
    limits = _fronted_limits(chain)
    clauses: list[Token] = []
    for owner in owners:
        for child in owner.children:
            if child.i in members or child.i in data or child.i >= limits.get(owner.i, len(owner.doc)):
                continue
            if _is_purpose(child) or (child.dep_ == "prep" and child.lower_ == "for"):
                clauses += [d for d in child.subtree if d.i != child.i and _is_context_clause(d, r)]
            elif child.i not in exclude and _is_context_clause(child, r):
                clauses.append(child)
            elif owner.i in data and _describing_relative(r, child):
                clauses += [d for d in child.children if d.dep_ == "advcl" and _is_context_clause(d, r)]
    # a governing when/if clause ("when you access WeChat, as we derive ..." parsed with "derive" below it)
    clauses += [g for g in chain[1:] if _is_context_clause(g, r)]
    own = {t.i for t in chain[0].subtree}
    found: list[str] = []
    tokens: set[int] = set()
    for clause in clauses:
        sub = {t.i for t in clause.subtree} - exclude - (own if clause.i in members else set())
        named = [m for m in r.mentions.within("feature", sub)
                 if not r.is_root_feature(m.id) and m.id not in r.pat.purpose_like_features]
        for m in named or _referred_feature(r, clause, exclude | data):
            found.append(platform_feature(r, m.id, m.root))
            tokens.update(range(m.span.start, m.span.end))
    return list(dict.fromkeys(found)), tokens


REFERRING_OBJECTS = frozenset({"it", "them"})


def _referred_feature(r: Reading, clause: Token, exclude: set[int]) -> list[Mention]:
    """A when/if clause whose verb's object is "it" / "them" refers back to the feature named last before it in
    the sentence: "Mini Programs are run by third parties, who may collect X when you use them" (Mini Programs);
    never a feature named as data or as the practice's own argument (``exclude``), the app itself or a purpose."""
    if clause.dep_ != "advcl" or not any(c.dep_ == "dobj" and c.lower_ in REFERRING_OBJECTS for c in clause.children):
        return []
    data = {m.root.i for m in r.mentions.in_range("data_type", clause.sent.start, clause.left_edge.i)}
    before = [m for m in r.mentions.in_range("feature", clause.sent.start, clause.left_edge.i)
              if not r.is_root_feature(m.id) and m.id not in r.pat.purpose_like_features and m.root.i not in data
              and not any(i in exclude for i in range(m.span.start, m.span.end))]
    return before[-1:]


def platform_feature(r: Reading, feature: str, verb: Token) -> str:
    """The feature through which the user does ``feature``'s action in another app with the platform's account
    (``patterns.yml`` ``platform_features``): "log in to a third-party app with WeChat", "sign in using your
    Weixin account" is the platform's login for other apps, not the login to the platform; the platform is the
    policy's own party or its group's (an affiliate: Weixin). Else ``feature``."""
    refined = r.pat.platform_features.get(feature)
    if refined is None or refined not in r.onto.features:
        return feature
    # the means hung on the verb or, by the parser, on the object of its "to" phrase ("to a third-party app with
    # WeChat"); "using X" as a preposition or a participle
    places = [o for p in verb.children if p.dep_ == "prep" for o in p.children if o.dep_ == "pobj"]
    for means in (c for t in (verb, *places) for c in t.children):
        if (means.dep_ == "prep" and means.lower_ in ("with", "using", "via", "through")) or (
                means.lemma_.lower() == "use" and means.tag_ == "VBG"):
            within = {t.i for o in means.children if o.dep_ in ("pobj", "dobj") for t in o.subtree}
            if any(_own_group(r, m.id) for m in r.mentions.within("entity", within)):
                return refined
    return feature


def _own_group(r: Reading, entity: str) -> bool:
    """The policy's own party or a member of its group (as ``actor_role`` tells affiliates)."""
    return entity == r.first_party or same_group(entity, r.first_party, r.onto)


def _describing_relative(r: Reading, clause: Token) -> bool:
    """A relative clause that only describes the data, its relative pronoun the subject of a verb that states no
    practice ("information that identifies you"): a when/if clause the parser hung on it ("... that identifies you
    when you use their stickers") tells when the practice happens, not when the data identifies."""
    return clause.dep_ == "relcl" and clause.lemma_.lower() not in r.pat.verb_action and any(
        c.dep_ == "nsubj" and c.tag_ == "WDT" for c in clause.children)


def _fronted_limits(chain: list[Token]) -> dict[int, int]:
    """For a verb coordinated with a clause of its own ("we will only access X when you paste, and we will not
    upload Y"), the clause before it gives only what it fronts before its subject ("When you use Translate, the
    text is sent ..., and it is not stored": both): per verb of the chain after such a link, the token index its
    context clauses must precede."""
    out: dict[int, int] = {}
    own = False
    for below, above in pairwise(chain):
        own = own or (below.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass") for c in below.children))
        if own:
            subjects = [c.i for c in above.children if c.dep_ in ("nsubj", "nsubjpass")]
            out[above.i] = min(subjects) if subjects else above.i
    return out


def purpose(chain: list[Token]) -> str | None:
    """The purpose phrase of the practice's clause, as written."""
    members = {t.i for t in chain}
    for verb in chain[:2]:
        for child in verb.children:
            if child.i not in members and _is_purpose(child):
                return _span_text(child)
    return None


def condition(r: Reading, chain: list[Token]) -> tuple[str | None, set[int]]:
    """Except/unless/if/"with your consent" phrases of the clause (joined by '; ') and the token indices of the
    exceptions among them (except/unless: what they name is not the practice's own context)."""
    parts: list[str] = []
    exceptions: set[int] = set()
    members = {t.i for t in chain}
    for verb in chain[:2]:
        for child in verb.children:
            if child.i in members:
                continue
            lower = child.lower_
            marks = {c.lower_ for c in child.children if c.dep_ == "mark" or (
                c.dep_ == "advmod" and c.i == child.left_edge.i)}  # "where a payment is processed by ..."
            exception = (child.dep_ == "prep" and lower in r.pat.condition_preps) or (
                child.dep_ in ("advcl", "ccomp") and bool(marks & {"unless", "except"}))
            hit = exception or (child.dep_ in ("advcl", "ccomp") and bool(marks & r.pat.condition_marks)) or (
                child.dep_ == "prep" and lower in ("with", "without") and any(
                    c.dep_ == "pobj" and c.lemma_.lower() in r.pat.consent_words for c in child.children))
            if hit:
                parts.append(_span_text(child))
            if exception:
                exceptions.update(t.i for t in child.subtree)
    return ("; ".join(dict.fromkeys(parts)) or None), exceptions


RESTRICTING_PREPS = ("from", "of", "about", "for", "in")


def object_restriction(data_heads: list[Token]) -> str | None:
    """What narrows the data a denial is about, as written: "Personal Information *from any Child*",
    "Personal Information *of those functions that have been restricted ...*", "data *that identifies you*".

    A denial narrowed this way ("we do not collect Personal Information from any Child") is not a denial of
    collecting that data type in general; the phrase is kept as the claim's condition so readers and the gap
    analysis can tell.
    """
    parts: list[str] = []
    for head in data_heads:
        for child in head.children:
            if child.dep_ in ("relcl", "acl") or (child.dep_ == "prep" and child.lower_ in RESTRICTING_PREPS
                                                   and any(c.dep_ == "pobj" for c in child.children)):
                parts.append(_span_text(child))
    return "; ".join(dict.fromkeys(parts)) or None


def modality(r: Reading, chain: list[Token], skip: set[int]) -> str | None:
    """'only_if_necessary' when the clause says so (outside its condition), else the auxiliary's modality."""
    head = coordination_head(chain[0])
    clause = [t for t in head.subtree if t.i not in skip]
    if clause and r.pat.necessity.search(" ".join(t.text for t in clause)):
        return "only_if_necessary"
    for verb in (chain[0], head):
        for child in verb.children:
            if child.dep_ == "aux" and (mod := r.pat.modality.get(child.lower_)):
                return mod
    return None


PLACING = frozenset({"place", "set", "serve", "deploy", "implement", "install", "put", "drop"})


def is_local(r: Reading, verb: Token) -> bool:
    """True when the verb keeps the data on the user's device ("only stored on your device"); a coordinated
    verb without prepositions of its own shares its head's ("processed on your device and not sent to ..."), a
    participle without an agent describing the subject of such a verb too ("the data used for X is only compared
    on your device")."""
    if verb.lemma_.lower() in PLACING:
        return False  # "we place cookies on your computer": deploying an instrument there is collecting with it
    if verb.dep_ == "acl" and verb.head.dep_ in ("nsubj", "nsubjpass") and verb.head.head != verb.head \
            and not any(c.dep_ == "agent" for c in verb.children) and is_local(r, verb.head.head):
        return True  # "the face data used for verification is only compared on your device": the same processing
        # (not "the information collected by us is stored on your device", whose collection is ours)
    head = coordination_head(verb)
    for token in (verb,) if any(c.dep_ in ("prep", "dative") for c in verb.children) else (verb, head):
        for child in token.children:
            if child.dep_ in ("prep", "advmod") and r.pat.local.search(_span_text(child)):
                return True
    return False


def clause_features(r: Reading, sentence: Span) -> list[str]:
    """Features a sentence names in its when/if clauses ("when you use location-based features and when you
    share your location ..."; "..., if you elect to follow or use the relevant Official Account"), without
    purpose-like ones."""
    def usable(ids: list[str]) -> list[str]:
        return [f for f in ids if f not in r.pat.purpose_like_features]

    first = sentence[0]
    if first.lower_ in r.pat.context_marks and first.head == sentence.root:
        purposes = {t.i for c in sentence.root.subtree if _is_purpose(c) for t in c.subtree}
        return usable([m.id for m in r.mentions.in_range("feature", sentence.start, sentence.end)
                       if m.root.i not in purposes and not r.is_root_feature(m.id)])
    found: list[str] = []
    root = sentence.root
    mark = next((c for c in root.children if c.dep_ in ("mark", "advmod") and c.lower_ in r.pat.context_marks), None)
    if mark is not None:  # the item is an if-clause after its label: "X operators, ..., if you elect to use X"
        found += sentence_features(r, sentence.doc[mark.i: sentence.end])
    for token in sentence:
        if token.dep_ in ("advcl", "pcomp", "ccomp") and _is_context_clause(token, r):
            sub = token.doc[token.left_edge.i: token.right_edge.i + 1]
            found += sentence_features(r, sub)
    return usable(list(dict.fromkeys(found)))


def sentence_features(r: Reading, span: Span) -> list[str]:
    """All non-root features named in ``span`` (for list items that add a context: "when you use ...")."""
    return list(dict.fromkeys(m.id for m in r.mentions.in_range("feature", span.start, span.end)
                              if not r.is_root_feature(m.id)))
