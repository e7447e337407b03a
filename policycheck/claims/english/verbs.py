"""Practice verbs and their arguments: the dependency patterns that turn a sentence into practices.

A practice verb (``patterns.yml`` ``actions``: collect, use, share, retain, transfer, process) yields a practice
when one of its arguments names a data type. Its arguments are read from the dependency parse, with
coordinated verbs sharing them ("your information will be collected, retained, shared and/or stored by the
relevant Official Account": the subject sits on the first verb, the agent on the last):

- active voice: subject = actor ("we collect"); direct object = data; missing subject -> the controller of an
  infinitive ("we use these services to process X") or, at the top, the first party;
- passive voice: subject = data, "by" agent = actor ("is collected by us"), no agent -> the first party
  ("is automatically collected"), or the holder of a retain verb ("cached on third party services");
- relative and participle clauses: the modified noun is the data ("information we collect", "Personal
  Information collected by third party services"); in a definition ('"Log Data" is information that is
  automatically collected') the defined term is the data;
- share/transfer: "with"/"to"/"within" phrases and datives name the recipient; a recipient that is the first
  party makes the practice a collection ("disclosed to us"); "you provide to us" is the first party's
  collection, other things the user does are no practice of any party.

Ideas after PoliGraph's collection annotator (Cui et al., USENIX Security 2023) and PolicyLint (Andow et al.,
USENIX Security 2019); the code is our own.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from policycheck.claims.english import context, qualifiers, repair, scope
from policycheck.claims.english.actors import (
    FIRST_PERSON,
    GENERIC_THIRD_PARTY,
    SECOND_PERSON,
    own_function,
    relative_antecedent,
    resolve,
    resolve_all,
    used_by_first_party,
)
from policycheck.claims.english.context import coordinated, coordination_head, raised
from policycheck.claims.english.enumerations import (
    EXAMPLE_PREPS,
    GENERIC_WORDS,
    MEANS_WORDS,
    WH_WORDS,
    broken_list_refs,
    clause_tokens,
    data_of,
    example_list_refs,
    examples_typed,
    listed_refs,
    named_question,
    negated_branch,
    non_personal,
    not_limited_examples,
    np_tokens,
)
from policycheck.claims.english.frame import ROOT_DATA_TYPE, USER, DataRef, Practice, Reading
from policycheck.claims.english.lexicon import Mention, is_modifier
from policycheck.claims.english.negation import (
    Governed,
    governed,
    has_negation,
    in_condition,
    negated,
    negating_determiner,
    using_verb,
)
from policycheck.claims.english.typing import HEAD_WORD, phrase_words, type_index

OBJECT_CONTROL = frozenset({"allow", "enable", "require", "ask", "permit", "help", "let", "get", "instruct", "want",
                            "hire", "engage", "commission", "order", "direct",
                            "authorise", "authorize", "invite", "encourage", "compel", "oblige", "force"})
CONTROLLED = frozenset({"xcomp", "advcl", "pcomp", "ccomp", "conj", "prep", "pobj", "acomp"})  # "be able to collect"
PERSON_PRONOUNS = frozenset({"you", "us", "we", "them", "him", "her", "me"})
ABOUT_WORDS = frozenset({"about", "of", "regarding", "concerning"})  # what data is about
# Nouns whose own complement is a "to" phrase ("access to", "messages to"): what follows names no recipient.
TO_TAKING = frozenset({"access", "connection", "link", "right", "transfer", "message", "reply", "response",
                       "visit", "subscription", "invitation", "request", "relationship", "exposure", "gift"})
FOUND, TOP, UNKNOWN = "found", "top", "unknown"
SUBJECT_PRONOUNS = frozenset({"we", "they", "i", "he", "she", "it"})  # a stranded subject before a bare verb


def action_of(r: Reading, token: Token) -> str | None:
    """The action a verb token names, or ``None``. A practice verb the tagger took for a noun inside a verb
    series ("collect, use, retain and disclose": ``use`` tagged NN) counts as a verb."""
    if token.pos_ != "VERB" and not (token.pos_ == "NOUN" and token != coordination_head(token) and any(
            t.pos_ == "VERB" and r.pat.verb_action.get(t.lemma_.lower()) for t in coordinated(token))
            and not _noun_phrase(token)) and not _noun_as_verb(token):
        return None
    lemma = token.lemma_.lower()
    if lemma == "make":
        return "share" if any(c.lower_ == "available" for c in token.children) else None
    if lemma == "ask":  # "we ask for your name", "we may ask you for your email address"
        return "collect" if any(c.dep_ == "prep" and c.lower_ == "for" for c in token.children) else None
    if lemma == "have":  # "advertisers may have access to your name": PolicyLint's collect verb "access"
        return "collect" if _access_object(token) else None
    if lemma == "keep" and _access_object(token, "track"):  # "we keep track of IP addresses": collection
        return "collect"
    particle = next((c.lower_ for c in token.children if c.dep_ == "prt"), None)
    if particle is not None and (phrasal := PHRASAL_ACTIONS.get((lemma, particle))) is not None:
        return phrasal  # "we back up your chat history", "we pass on your order details"
    if lemma in PARTY_TO_ACTIONS:  # "we pass your email address to our partners" (not "pass the test")
        return PARTY_TO_ACTIONS[lemma] if _to_party(r, token) else None
    return r.pat.verb_action.get(lemma) or ("share" if lemma in r.pat.user_provides else None)


def _noun_phrase(token: Token) -> bool:
    """A noun with a determiner, possessive or modifier before it, or an "of" object, is no verb the tagger
    took for a noun: "use X, your follows and visits, records of operations and your transaction records" lists
    data after the verb, it does not record them."""
    return any((c.dep_ in ("det", "poss", "compound", "amod") and c.i < token.i)
               or (c.dep_ == "prep" and c.lower_ == "of") for c in token.children)


# Phrasal verbs (verb + particle) naming a practice their verb alone does not name.
PHRASAL_ACTIONS = {("back", "up"): "retain", ("pass", "on"): "share", ("pass", "along"): "share",
                   ("hand", "over"): "share"}
PHRASAL_OBJECTS = {"have": ("access", "to"), "keep": ("track", "of")}  # "have access to X", "keep track of X"
# Verbs naming a practice only with a "to" phrase naming a party: "pass X to advertisers" is a share, "pass the
# test" or "pass a law" no practice (the particle forms "pass on / along" are PHRASAL_ACTIONS).
PARTY_TO_ACTIONS = {"pass": "share"}


def _to_party(r: Reading, verb: Token) -> bool:
    """True when a "to" phrase of ``verb`` names a party (an entity of the ontology, the first party included),
    not the user or a thing ("pass the ball to the goalkeeper" names no party the ontology knows)."""
    return any(i != USER for p in _prep_objects(verb, "to") for i in resolve(r, p))


def _prep_objects(token: Token, *words: str) -> list[Token]:
    """The objects of ``token``'s prepositions that are one of ``words`` ("your name" of "access to your name")."""
    return [p for c in token.children if c.dep_ == "prep" and c.lower_ in words for p in c.children
            if p.dep_ == "pobj"]


def _access_object(verb: Token, noun: str = "access") -> list[Token]:
    """The noun object of a phrasal practice ("access" of "have access to X", "track" of "keep track of X")."""
    return [c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() == noun]


def _accessed(verb: Token, siblings: list[Token]) -> list[Token]:
    """What "have access to" / "keep track of" is about: the object of its preposition, else the object the
    coordinated verb shares with it ("do not have access to or use your name")."""
    noun, prep_word = PHRASAL_OBJECTS[verb.lemma_.lower()]
    heads = [p for a in _access_object(verb, noun) for p in _prep_objects(a, prep_word)]
    return heads or [c for s in siblings for c in s.children if c.dep_ == "dobj"]


ACCESS_GIVING = frozenset({"give", "provide", "grant", "allow", "permit"})


def _access_given(r: Reading, sentence: Span, verb: Token) -> list[Practice]:
    """A party given access to data collects it (PolicyLint's "access"): "Our fulfillment vendor will be given
    access to your full name", "These companies may be provided with access to Personally Identifiable
    Information", "we give our vendors access to your address", "if you grant us access to your location". The
    party is the passive subject, else the indirect object; the first party's own staff, the user and unknown
    parties state nothing."""
    access = [c for c in verb.children if c.dep_ in ("dobj", "dative") and c.lemma_.lower() == "access"] + [
        p for p in _prep_objects(verb, "with") if p.lemma_.lower() == "access"]
    heads = [p for a in access for p in _prep_objects(a, "to")]
    givers = [c for c in verb.children if c.dep_ == "nsubj"] or (  # "you can ... by granting us access to X"
        [c for a in verb.ancestors if a.pos_ in ("VERB", "AUX") for c in a.children if c.dep_ == "nsubj"][:1]
        if verb.tag_ == "VBG" else [])
    # the user granting us access is the user providing the data to us ("if you grant us access to your
    # location"): our collection, as "you provide us with X" is; our own staff given access states nothing
    by_user = bool(givers) and all(is_user(r, g) for g in givers)
    if not heads or governed(verb, r.pat, user_gives=by_user) is Governed.NOT_ASSERTED:
        return []
    parties = [c for c in verb.children if c.dep_ == "nsubjpass"] or [
        c for c in verb.children if c.dep_ in ("dative", "dobj") and c.lemma_.lower() != "access"]
    actors = [i for i in resolve_all(r, parties) if i != USER and (by_user or i != r.first_party)]
    data = [d for h in heads for d in data_of(r, h)]
    if not actors or not data:
        return []
    denied = negated(verb, verb, r.pat)
    tokens = {t.i for h in (*heads, *parties) for t in h.subtree} | {verb.i}
    out = [Practice(sentence, "collect", denied, actors, data, verb=verb, arg_tokens=tokens)]
    if by_user:
        return out
    agent = [p for a in verb.children if a.dep_ == "agent" for p in a.children if p.dep_ == "pobj"]
    if (not givers and not agent) or resolve_all(r, givers or agent) == [r.first_party]:
        # giving access is disclosing: the first party's share (an agentless passive is the first party's)
        out.append(Practice(sentence, "share", denied, [r.first_party], data, recipients=actors, verb=verb,
                            arg_tokens=tokens))
    return out


VISIBILITY = frozenset({"see", "view", "visible"})  # "other users can see X", "X is visible to your contacts"


def _other_users(r: Reading, heads: list[Token]) -> list[str]:
    """The entities among ``heads`` that are other users of the app (``entities.yaml`` kind ``user``)."""
    return [i for i in resolve_all(r, heads) if i != USER and i in r.onto.entities
            and r.onto.entities[i].attrs.get("kind") == "user"]


def _made_visible(r: Reading, sentence: Span, token: Token) -> list[Practice]:
    """Data other users can see is data the first party makes available to them (labelling conventions of
    claims_en_synthetic.yaml; "make available to" is a share in claims_en.yaml): "Your contacts can view your
    nickname", "Your profile photo can be seen by other users", "your profile is visible to other users". The
    viewers are the recipients; what the user themself can view states nothing. A party that is not another
    user and can see or view data ("Official Account operators will be able to see your nickname", "seen by the
    developer") collects it: PolicyLint's collect verb "access" (Andow et al., USENIX Security 2019), the
    brief's convention in claims_en_thirdparty.yaml."""
    if governed(token, r.pat) is Governed.NOT_ASSERTED:
        return []
    if token.lemma_.lower() in DISPLAY:  # "X may be displayed / shown to other users", "we show X to your friends"
        viewers = _prep_objects(token, "to")
        data_heads = [h for h in _displayed_data(token)  # data by its own name ("these advertisements" is none)
                      if r.mentions.within("data_type", np_tokens(h, r.pat, include_clauses=False))]
        if not _other_users(r, viewers):
            return []
    elif token.pos_ == "ADJ":  # "X is visible to other users"
        viewers = _prep_objects(token, "to")
        holder = token.head if token.dep_ == "acomp" else token
        data_heads = [c for c in holder.children if c.dep_ in ("nsubj", "nsubjpass")]
    elif token.pos_ == "VERB" and _own_passive(token):
        viewers = _agent_objects([c for c in token.children if c.dep_ == "agent"])
        data_heads = [c for c in token.children if c.dep_ == "nsubjpass"]
        if data_heads:  # with the examples the parser hung elsewhere in the clause, as for any practice verb
            data_heads = _data_heads(r, token, token, [], True)
    elif token.pos_ == "VERB" and token.dep_ != "relcl":  # ("other users who viewed your information" describes
        viewers = [c for c in token.children if c.dep_ == "nsubj"] or _able_subject(token)  # those users, it
        data_heads = [c for c in token.children if c.dep_ == "dobj"]  # states no practice)
    else:
        return []
    recipients = _other_users(r, viewers)
    data = [d for h in data_heads for d in data_of(r, h)]
    tokens = {t.i for h in (*viewers, *data_heads) for t in h.subtree} | {token.i}
    anchor = token.head if token.pos_ == "ADJ" and token.dep_ == "acomp" else token  # ("is" of "is visible")
    features = context.contexts(r, context.clause_chain(anchor), tokens - {token.i})[0] \
        if "context" not in r.disabled else []  # "In Status, your posts are visible to your friends"
    if recipients and data:
        return [Practice(sentence, "share", negated(token, token, r.pat), [r.first_party], data,
                         recipients=recipients, contexts=features, verb=token, arg_tokens=tokens)]
    viewing = [i for i in resolve_all(r, viewers) if i not in (USER, r.first_party)] if token.pos_ == "VERB" else []
    if viewing and data:  # another party that can see data collects it, as one that can access it does
        return [Practice(sentence, "collect", negated(token, token, r.pat), viewing, data, contexts=features,
                         verb=token, arg_tokens=tokens)]
    return []


DISPLAY = frozenset({"display", "show"})  # "displayed to other users": made visible to them


def _displayed_data(verb: Token) -> list[Token]:
    """What a display verb shows: the subject of its passive, or the object of "we display/show"."""
    if verb.pos_ != "VERB":
        return []
    if _own_passive(verb):
        return [c for c in verb.children if c.dep_ == "nsubjpass"]
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]  # (none: a purpose, "to display your posts")
    if subjects and all(c.lower_ in FIRST_PERSON for c in subjects):
        return [c for c in verb.children if c.dep_ == "dobj"]
    return []


def _able_subject(verb: Token) -> list[Token]:
    """The subject of "X is able to see / will be able to view": the verb is the complement of "able"."""
    able = verb.head
    if verb.dep_ != "xcomp" or able.lemma_.lower() != "able" or able.dep_ != "acomp":
        return []
    return [c for c in able.head.children if c.dep_ == "nsubj"]


def _noun_as_verb(token: Token) -> bool:
    """A verb the tagger took for a noun but the parser still gave a subject and an object ("MediaNews Web sites
    log IP addresses": ``log`` tagged NN, with an ``nsubj`` and a ``dobj``), or the first verb of a series the
    parser made the sentence's noun root (:func:`_root_noun_subject`)."""
    deps = {c.dep_ for c in token.children}
    return token.pos_ == "NOUN" and (("nsubj" in deps and "dobj" in deps) or _root_noun_subject(token) is not None)


def _root_noun_subject(token: Token) -> Token | None:
    """The subject of a verb series whose first verb the parser made a noun at the root, with the subject as its
    compound ("Our service providers store and process your information": ``store`` NN, root, "providers" its
    compound, "process" its verb conjunct), or of a root noun with an object ("Our cookies store your first
    name": ``store`` NN, "cookies" its compound, "name" its ``dobj``); ``None`` for any other token."""
    if token.pos_ != "NOUN" or token.dep_ != "ROOT" or not any(
            (c.dep_ == "conj" and c.pos_ == "VERB") or c.dep_ == "dobj" for c in token.children):
        return None
    compounds = [c for c in token.children if c.dep_ == "compound" and c.i < token.i and c.pos_ in ("NOUN", "PROPN")]
    return compounds[-1] if compounds else None


def find(r: Reading, sentence: Span) -> list[Practice]:
    """Every practice stated in ``sentence`` (practice verbs, then verbless scope statements). Questions and
    verbs inside quoted titles ("How do we use your information?") state nothing."""
    if sentence.text.rstrip().endswith("?"):
        return []
    out: list[Practice] = []
    for token in sentence:
        if r.in_quotes(token.i, token.i + 1) is not None:
            continue
        action = action_of(r, token)
        found = _practices(r, sentence, token, action) if action is not None else []
        if token.pos_ == "VERB" and token.lemma_.lower() in r.pat.instrument_verbs:
            converted = _instruments(r, sentence, token, found)
            # "we use cookies": a party using an instrument collects what it holds, no use of data ("the cookie
            # is used to display ads", a passive not used to collect, is the use of what it holds)
            if not _passive(token, coordination_head(token)) or any(  # "cookies are used by X to collect"
                    c.dep_ == "xcomp" and action_of(r, c) is not None for c in token.children):
                found = [p for p in found if not (p.action == "use" and _instrument_data(r, p.data)
                                                  and not _held_data(r, p.data))]
            out.extend(found)
            out.extend(converted)
        else:
            out.extend(found)
        if token.lemma_.lower() in VISIBILITY | DISPLAY and not found and "parties" not in r.disabled:
            out.extend(_made_visible(r, sentence, token))
        if token.pos_ == "VERB" and token.lemma_.lower() in ACCESS_GIVING and not found:
            out.extend(_access_given(r, sentence, token))
        if token.pos_ == "VERB" and token.lemma_.lower() in TAKING_PART and not found:
            out.extend(_asked_to_take_part(r, sentence, token))
        if token.pos_ == "VERB" and token.lemma_.lower() in LEARNING and not found:
            out.extend(_instrument_learns(r, sentence, token))
        if token.pos_ == "VERB" and token.lemma_.lower() in r.pat.verification_verbs and "parties" not in r.disabled:
            out.extend(_verified_via(r, sentence, token))
        if token.pos_ == "VERB" and token.lemma_.lower() in r.pat.instrument_subject_verbs and not found:
            out.extend(_instrument_subject(r, sentence, token))
        elif token.pos_ == "NOUN" and token.lemma_.lower() in r.pat.nominal_actions:
            out.extend(_nominal(r, sentence, token))
    out.extend(_unnamed_exclusions(r, scope.statements(r, sentence), out))
    out = _own_terms_of_the_party(r, _without_receipts_of_our_shares(r, out))
    return out if "scope" in r.disabled else scope.with_named_operators(r, sentence, out)


def _own_terms_of_the_party(r: Reading, found: list[Practice]) -> list[Practice]:
    """A party's practice that a sentence also takes out of the policy for that party's own terms is out of it
    too, for the same features: "When you give X to a Mini Program developer, the developer uses it under its own
    privacy policy" (the developer's collection by the user's giving), "The information you provide to Official
    Account operators is handled by them under their own terms". Only the user's giving to exactly the excluded
    practice's parties (never ours), tied to no feature of its own; a practice the party's own verb states keeps
    its scope ("operators can see X and may store it under their own terms": the seeing stays in scope)."""
    excluded = [p for p in found if p.scope == "excluded" and p.actors and not p.negated
                and not {r.first_party, USER} & set(p.actors)]
    stated = [p for p in found if p.action == "collect" and p.scope != "excluded" and not _users_giving(r, p)]
    out = []
    for p in found:
        same = [q for q in excluded if q.actors == p.actors and q is not p]
        own = any(q.actors == p.actors for q in stated)  # the party's own collection, in scope: the giving is
        if same and not own and p.scope != "excluded" and not p.contexts and _users_giving(r, p):  # read with it
            p = p.but(scope="excluded", contexts=list(same[0].contexts))
        out.append(p)
    return out


def _users_giving(r: Reading, p: Practice) -> bool:
    """``p`` is a collection read from the user's giving ("you provide / give X to <party>")."""
    return p.action == "collect" and p.verb is not None and p.verb.lemma_.lower() in r.pat.user_provides and any(
        c.dep_ == "nsubj" and c.lower_ == "you" for c in p.verb.children)


RECEIPT_VERBS = frozenset({"receive", "get", "obtain"})


def _without_receipts_of_our_shares(r: Reading, found: list[Practice]) -> list[Practice]:
    """Drop a party's receipt of what the same sentence says we share with it: "We share X with advertising
    partners, who receive them to measure ads", "Information we disclose to payment processors is received by
    them" state our share with that recipient, not a second practice of the recipient's (as "share X with Y" is
    only our share: claims_en_thirdparty.yaml). Only a receiving verb (``RECEIPT_VERBS``), only data we share
    with that same party, never a denial: "partners may also collect X from other sources" stays theirs."""
    shared = {(recipient, d.data_type) for p in found if p.action in ("share", "transfer") and not p.negated
              and p.actors == [r.first_party] for recipient in p.recipients for d in p.data}
    if not shared:
        return found
    return [p for p in found if not (
        p.action == "collect" and not p.negated and p.verb is not None and p.verb.lemma_.lower() in RECEIPT_VERBS
        and p.actors and p.data and all((a, d.data_type) in shared for a in p.actors for d in p.data))]


def _unnamed_exclusions(r: Reading, statements: list[Practice], found: list[Practice]) -> list[Practice]:
    """A verbless scope exclusion's collection of personal information, unless the sentence names what that
    party collects under its document ("subject to Tenpay's policy, which collects X": X, not personal
    information in general; claims_en_synthetic.yaml: the data named, personal_information when none is)."""
    named: dict[str, list[DataRef]] = {}
    for p in found:
        if p.scope == "excluded" and not p.negated:
            for actor in p.actors:
                named.setdefault(actor, []).extend(d for d in p.data if d.data_type != ROOT_DATA_TYPE)
    out: list[Practice] = []
    for s in statements:
        data = [d for a in s.actors for d in named.get(a, [])]
        if s.action != "collect" or not data or any(d.data_type != ROOT_DATA_TYPE for d in s.data):
            out.append(s)
        elif not any(p.action == "collect" and set(p.actors) == set(s.actors) for p in found if p.scope == "excluded"):
            out.append(s.but(data=data))  # "..., which may use X": the party collects X under its document
    return out


def _verified_via(r: Reading, sentence: Span, verb: Token) -> list[Practice]:
    """"the card information is verified via a third party payment processing service": data checked by another
    party is the first party's share of it with that party (the passive's data; a recipient named "via",
    "through", "by" or "with")."""
    head = coordination_head(verb)
    # a gapped passive: "X is collected and the card information [is] verified via Y" (the parser's nsubj)
    gapped = verb != head and verb.tag_ == "VBN" and _own_passive(head) and not any(
        c.dep_ in ("aux", "dobj") for c in verb.children)
    if not (_passive(verb, head) or gapped):
        return []
    parties = [i for prep in verb.children if prep.dep_ in ("prep", "agent") and prep.lower_ in VERIFIERS
               for p in prep.children if p.dep_ == "pobj" for i in resolve(r, p) if i not in (r.first_party, USER)]
    if not parties:
        return []
    gov = governed(verb, r.pat, False) if "negation" not in r.disabled else Governed.ASSERTED
    heads = _children([verb], ("nsubjpass", "nsubj") if gapped else ("nsubjpass",))
    data = _data(r, sentence, verb, [], heads, True) if heads and gov is not Governed.NOT_ASSERTED else []
    if not data:
        return []
    chain = context.clause_chain(verb)
    contexts, _ = context.contexts(r, chain, _tokens(heads, r), _tokens(heads, r))
    denied = "negation" not in r.disabled and (gov is Governed.NEGATED or negated(verb, head, r.pat))
    return [Practice(sentence, "share", denied, [r.first_party], data, recipients=list(dict.fromkeys(parties)),
                     contexts=contexts, purpose=context.purpose(chain), verb=verb, arg_tokens=_tokens(heads, r))]


VERIFIERS = ("via", "through", "by", "with")


def _owner(r: Reading, pronoun: Token) -> list[str]:
    """The party "their"/"its" stands for: the last one named before it."""
    before = [m for m in r.mentions.by_kind["entity"] if m.span.end <= pronoun.i]
    return [before[-1].id] if before else []


def _nominal(r: Reading, sentence: Span, noun: Token) -> list[Practice]:
    """A practice named by a noun: "the collection of your personal information", "the logging of IP addresses",
    "our collection of personal information from children" (``patterns.yml`` ``nominal_actions``). The actor is
    the "by" phrase, else the first party; nothing is stated when the noun sits under a negated verb, in a
    condition, or under a right, choice or request ("you may opt out of the collection of ...")."""
    if not any(t.pos_ in ("VERB", "AUX") for t in noun.ancestors):
        return []  # a topic, not a statement: "For transfers of Personal Information to third countries:"
    conditional = "negation" not in r.disabled and in_condition(noun, r.pat)  # "If our use of X goes beyond ..."
    if governed(noun, r.pat) is not Governed.ASSERTED or conditional or any(
            (has_negation(t, r.pat) and t.pos_ in ("VERB", "AUX"))
            or (t.lemma_.lower() in r.pat.nominal_blockers and not _subject_of(noun, t)) for t in noun.ancestors):
        return []  # "we do not permit the collection of", "you may disable the collection of", "questions
        # regarding the use of your Personal Information", "model contracts for the transfer of"; but "our use
        # of your email address is limited to ..." states the use it limits
    heads = _prep_objects(noun, "of")
    partners = [t for t in (noun.head, *noun.children) if t != noun and t.lemma_.lower() in r.pat.nominal_actions
                and ((t.dep_ == "conj" and t.head == noun) or (noun.dep_ == "conj" and noun.head == t))]
    if not heads:  # "their collection and use of your Personal Information": the "of" phrase is shared
        heads = [h for t in partners for h in _prep_objects(t, "of")]
    data = [d for h in heads for d in data_of(r, h)]
    if data:  # "the logging of IP addresses, operating system and ...": the parser may coordinate the list with
        # the practice noun
        listed = [c for c in noun.conjuncts if c.i > noun.i and c.pos_ in ("NOUN", "PROPN")
                  and c.lemma_.lower() not in r.pat.nominal_actions]
        data += [d for h in listed for d in data_of(r, h)]
        heads += listed
    if data:  # a long list after "of" breaks the parse: its members are read from the words
        data += [d for h in heads for d in listed_refs(r, r.doc[h.left_edge.i: h.right_edge.i + 1])
                 if d.data_type not in {e.data_type for e in data}]
    if not data:
        return []
    def agents_of(n: Token) -> list[Token]:
        return _prep_objects(n, "by") + [c for c in n.children if c.dep_ == "poss"]  # "their collection of"

    agents = agents_of(noun) or [a for t in partners for a in agents_of(t)]  # "their collection and use of"
    owner = {"their": "they", "its": "it"}
    actors = [a for t in agents for a in (resolve(r, r.doc[t.i]) if t.lower_ not in owner else _owner(r, t))] \
        if agents else [r.first_party]
    if not actors or USER in actors:
        return []
    head = noun.head if noun.head.pos_ in ("VERB", "AUX") else noun
    return [Practice(sentence, r.pat.nominal_actions[noun.lemma_.lower()], False, actors, data,
                     condition="; ".join(qualifiers.conditions(r, noun, head)) or None,
                     data_subject=qualifiers.data_subject(r, noun, heads), verb=noun,
                     arg_tokens={t.i for h in heads for t in h.subtree} | {noun.i})]


def _subject_of(token: Token, governor: Token) -> bool:
    """True when ``token`` sits in the subject of ``governor`` (the practice noun is what the verb is about, not
    what it acts on)."""
    while token.head != governor and token.head != token:
        token = token.head
    return token.head == governor and token.dep_ in ("nsubj", "nsubjpass")


STORE_HEADS = frozenset({"file", "log"})  # "log files", "server logs": the store itself, not the data in it


def is_instrument(r: Reading, d: DataRef) -> bool:
    """True when the data reference names an instrument of collection: a type of ``patterns.yml``
    ``instrument_types`` (cookies, web beacons), or of ``instrument_stores`` named as the store ("log files")."""
    if any(r.onto.is_a("data_type", d.data_type, t) for t in r.pat.instrument_types):
        return True
    return d.token is not None and r.doc[d.token].lemma_.lower() in STORE_HEADS and any(
        r.onto.is_a("data_type", d.data_type, t) for t in r.pat.instrument_stores)


def _instrument_data(r: Reading, data: list[DataRef]) -> bool:
    """True when every data reference is an instrument of collection (:func:`is_instrument`)."""
    return bool(data) and all(is_instrument(r, d) for d in data)


def _held_data(r: Reading, data: list[DataRef]) -> bool:
    """True when an instrument is named only as the means by which the used data was gathered, in a participle
    on the data noun ("we use information collected through cookies", "data gathered via web beacons"): the
    object of the using verb is the data, a reduced relative naming how it came in, so the use is a use of data
    (Huddleston & Pullum 2002, ch. 12: a past-participial modifier restricts its head noun, it does not replace
    it as the verb's object)."""
    for d in data:
        if d.token is None:
            continue
        prep = r.doc[d.token]
        while prep.dep_ == "conj" and prep.head != prep:
            prep = prep.head
        prep = prep.head
        if prep.dep_ == "prep" and prep.lower_ in MEANS_PREPS and prep.head.dep_ == "acl" \
                and prep.head.head.pos_ in ("NOUN", "PROPN"):
            return True
    return False


MEANS_PREPS = frozenset({"through", "via", "by", "using", "with"})


def _instruments(r: Reading, sentence: Span, verb: Token, found: list[Practice]) -> list[Practice]:
    """Using an instrument of collection is collecting what it holds (:func:`is_instrument`):
    "we use cookies", "the Site uses web beacons", "we may place a pixel tag" -> the first party collects
    cookie data (OPP-115's "Cookies and tracking elements" are first-party collection)."""
    if not found:
        found = _practices(r, sentence, verb, "collect")
    out = []
    for p in found:
        data = [d for d in p.data if is_instrument(r, d)]
        if data and p.action != "collect":
            out.append(p.but(action="collect", data=data, recipients=[]))
        elif data and p.verb is verb and action_of(r, verb) is None:
            out.append(p.but(data=data))
    return out


def _instrument_subject(r: Reading, sentence: Span, verb: Token) -> list[Practice]:
    """An instrument of collection doing what it is for: "Cookies allow us to provide a customized service",
    "Web beacons help us count visitors", "Clear gifs ... are used to track" (``patterns.yml``
    ``instrument_subject_verbs``): the party deploying them, the first party, collects what they hold; not
    when negated, not asserted ("if you disable cookies") or another party is named in the sentence."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects or not _instruments_only(r, subjects) or negated(verb, verb, r.pat) \
            or governed(verb, r.pat) is not Governed.ASSERTED:
        return []
    clause = {verb.i, *(c.i for c in verb.children if c.dep_ in ("xcomp", "ccomp", "conj", "advcl"))}
    if any(i not in (r.first_party, USER) for t in sentence if (t.dep_ in ("nsubj", "nsubjpass") and t.head.i in clause)
           or (t.dep_ == "pobj" and t.head.dep_ == "agent") for i in resolve(r, t)):
        return []  # "cookies allow third parties to track you": not the first party's
    data = [d for h in subjects for d in data_of(r, h)]
    return [Practice(sentence, "collect", False, [r.first_party], data, verb=verb,
                     arg_tokens={t.i for h in subjects for t in h.subtree} | {verb.i})]


def _instrument_purpose(r: Reading, verb: Token) -> bool:
    """True when ``verb`` is what an instrument of collection is used for: "we use cookies to store ...", "the
    Site places web beacons to remember ..." (an infinitive of a non-negated ``instrument_verbs`` verb whose
    objects are instruments only)."""
    user = using_verb(verb, r.pat)
    if user is None or negated(user, coordination_head(user), r.pat):
        return False  # "we do not use cookies to store ..." states no collection
    objects = [c for c in user.children if c.dep_ == "dobj"]
    subjects = [c for c in user.children if c.dep_ == "nsubj"]
    if not subjects and any(c.dep_ == "aux" and c.tag_ == "MD" for c in user.children):
        return False  # "... and partners may use cookies to ...": a finite verb whose subject the parser lost
    return bool(objects) and _ours(r, subjects) and _instruments_only(r, objects)  # not "advertisers use ..."


def _ours(r: Reading, parties: list[Token]) -> bool:
    """True when every phrase names the first party ("we", "us", the site's name): vacuously for none."""
    return all(p.lower_ in FIRST_PERSON or resolve(r, p) == [r.first_party] for p in parties)


def _question_mention(r: Reading, clause: Token) -> Mention | None:
    """The data mention a wh-clause is, as a whole ("which pages you visit"): one that starts at the clause's
    first word and ends at its last."""
    for t in clause.subtree:
        m = r.mentions.at("data_type", t)
        if m is not None and m.span.start == clause.left_edge.i and m.span.end == clause.right_edge.i + 1:
            return m
    return None


def _instrument_learns(r: Reading, sentence: Span, verb: Token) -> list[Practice]:
    """What an instrument of collection learns for the party using it: "cookies remember your preferences", "we
    use cookies to remember your language", "we use Flash objects to determine your browser type" (``LEARNING``
    verbs with an instrument as subject or as the object of the using verb): the first party collects that
    data. Not when negated or not asserted."""
    if negated(verb, verb, r.pat) or governed(verb, r.pat) is not Governed.ASSERTED:
        return []
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    ours = all(c.lower_ in FIRST_PERSON for c in subjects)  # "help us learn": "us" the parser's subject
    if not ((subjects and _instruments_only(r, subjects)) or (not subjects and _instrument_purpose(r, verb))
            or (ours and _instrument_helps(r, verb))):
        return []
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    data = [d for h in objects for d in data_of(r, h)]
    if not data:  # an embedded question the lexicon names: "we use clear GIFs to learn which pages you visit"
        objects = [c for c in verb.children if c.dep_ == "ccomp"]
        data = [DataRef.of(m) for h in objects if (m := _question_mention(r, h)) is not None]
        objects = objects or [c for c in verb.children if c.dep_ == "advcl"]  # "know when you have viewed"
        data = data or [d for h in objects if (d := _activity_question(r, h)) is not None]
    return [Practice(sentence, "collect", False, [r.first_party], data, verb=verb,
                     arg_tokens={t.i for h in objects for t in h.subtree} | {verb.i})] if data else []


LEARNING = frozenset({"remember", "recall", "determine", "learn", "understand", "know"})
# what the user does online, asked about in an embedded question ("how you use the site", "which ads users click")
ACTIVITY_QUESTION_VERBS = frozenset({"use", "navigate", "interact", "engage", "move", "respond", "arrive"})


def _instrument_helps(r: Reading, verb: Token) -> bool:
    """"Cookies help us understand ...", "web beacons let us know ...", "these technologies allow us to learn
    ...": the learning verb is the complement of an ``instrument_subject_verbs`` verb (help, allow, enable, let)
    whose subjects are instruments of collection only; not when that verb is negated."""
    helper = verb.head
    if verb.dep_ not in ("xcomp", "ccomp") or helper.lemma_.lower() not in r.pat.instrument_subject_verbs \
            or negated(helper, coordination_head(helper), r.pat):
        return False
    subjects = [c for c in helper.children if c.dep_ in ("nsubj", "nsubjpass")]
    helped = [c for c in helper.children if c.dep_ == "dobj"]  # "enable advertisers to determine": theirs
    return bool(subjects) and _ours(r, helped) and _instruments_only(r, subjects)


def _activity_question(r: Reading, clause: Token) -> DataRef | None:
    """An embedded question about what the user does online is a record of that activity (``patterns.yml``
    ``activity_type``): a clause opened by a wh-word or "whether" whose verb is an ``activity_verbs`` verb or
    one of using, navigating, interacting with the service, and whose subject is the user ("how you use the
    site", "which pages visitors view", "whether readers opened the email", "when you have viewed a page").
    ``None`` for any other clause ("how we protect your data", "whether you might be interested")."""
    if clause.left_edge.lower_ not in WH_WORDS or clause.pos_ not in ("VERB", "AUX") or clause.lemma_.lower() not in (
            r.pat.activity_verbs | ACTIVITY_QUESTION_VERBS):
        return None
    if not any(c.dep_ == "nsubj" and is_user(r, c) for c in clause.children):
        return None
    end = max([clause.i, *(t.i for c in clause.children if c.dep_ not in ("conj", "cc", "punct", "advcl")
                           and c.i > clause.i for t in c.subtree)])  # not the clauses coordinated with it
    return DataRef(r.pat.activity_type, r.doc[clause.left_edge.i: end + 1].text, clause.i, HEAD_WORD)


def _group(verb: Token) -> tuple[Token, list[Token]]:
    """The first verb of ``verb``'s coordination and the other coordinated verbs, nearest first (left ones
    before right ones at equal distance)."""
    head = coordination_head(verb)
    siblings = [t for t in coordinated(verb) if t != verb]
    siblings.sort(key=lambda t: (abs(t.i - verb.i), t.i > verb.i))
    return head, siblings


def _children(tokens: list[Token], deps: tuple[str, ...]) -> list[Token]:
    """Children with one of ``deps`` of the first token in ``tokens`` that has any."""
    for token in tokens:
        found = [c for c in token.children if c.dep_ in deps]
        if found:
            return found
    return []


def _own_passive(token: Token) -> bool:
    """Passive: with a passive subject or auxiliary, or a bare participle ("data collected by", "Retained until
    your account is deleted", "posts may remain cached by search engines")."""
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children) or (
        (token.dep_ in ("acl", "relcl", "ROOT") or token.i == token.sent.start or raised(token))
        and token.tag_ == "VBN" and not any(c.dep_ in ("nsubj", "aux", "dobj") for c in token.children))


def _bare_participle(verb: Token) -> bool:
    """A participle without subject or auxiliary hanging on a passive verb: "transferred to, stored at, or
    processed in" (the parser makes "stored" an adverbial clause of "transferred", "processed" its conjunct)."""
    return verb.tag_ == "VBN" and verb.dep_ in ("advcl", "xcomp", "conj") and not any(
        c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "dobj") for c in verb.children) and (
        _own_passive(verb.head) or (verb.head != verb and _bare_participle(verb.head)))


def _passive(verb: Token, head: Token) -> bool:
    if _own_passive(verb) or _bare_participle(verb):
        return True
    return verb != head and _own_passive(head) and not any(c.dep_ in ("nsubj", "dobj") for c in verb.children)


def _subject(r: Reading, verb: Token, head: Token) -> tuple[list[Token], str]:
    """The active subject of ``verb`` (its own, its coordination's, or its controller's) and how it was found:
    ``found``; ``top`` (an infinitive or bare verb with no subject anywhere above); ``unknown`` (the verb
    complements a noun: "the option to share", "jurisdiction to obtain")."""
    misread = _root_noun_subject(head) or _relative_misread(verb) or _controlled_relative(head)
    found = _children([verb, head], ("nsubj",)) or _stranded_subject(verb) or ([misread] if misread else [])
    if found:  # two subjects (a list label fused into the sentence): the one nearest the verb
        before = [t for t in found if t.i < verb.i]
        return [max(before, key=lambda t: t.i)] if len(found) > 1 and before else found, FOUND
    token = head
    for _ in range(8):
        if token.head == token:
            return [], TOP
        if token.head.lemma_.lower() == "right" and token.head.head.lemma_.lower() == "reserve":
            found = _children([token.head.head], ("nsubj",))  # "we reserve the right to disclose"
            return (found, FOUND) if found else ([], UNKNOWN)
        offered = _offered_to(r, token)
        if offered is not None:  # "we may offer you the opportunity to submit ...", "you will have the option
            if offered:  # to provide ...": the user gives, to the party offering
                return offered, FOUND
            token = token.head
            continue
        if token.dep_ not in CONTROLLED and not (token.pos_ == "NOUN" and token.lemma_.lower()
                                                 in r.pat.collecting_governors):
            return [], UNKNOWN
        gov = token.head
        if gov.pos_ == "ADP" or (gov.pos_ == "NOUN" and gov.lemma_.lower() in r.pat.collecting_governors
                                 and gov.dep_ in ("dobj", "attr", "pobj")):  # "given the option of providing"
            token = gov
            continue
        if gov.pos_ not in ("VERB", "AUX", "ADJ"):
            return [], UNKNOWN
        controllers = _object_controllers(gov, token)
        if controllers:
            return controllers, FOUND
        agents = _agent_objects([c for c in gov.children if c.dep_ == "agent"])
        if agents and token.dep_ == "xcomp":  # "cookies may be used by us or by our service providers to collect"
            return agents, FOUND
        found = _children([gov], ("nsubj", "nsubjpass"))
        if found and token.dep_ == "acomp" and any(is_user(r, f) for f in found):
            return [], UNKNOWN  # "you will be able to share ...": what the user can do
        if found:
            return found, FOUND
        token = gov
    return [], UNKNOWN


def _object_controllers(gov: Token, token: Token) -> list[Token]:
    """The objects of an ``OBJECT_CONTROL`` verb ``gov`` that do what its complement ``token`` says ("we engage
    vendors to store": the vendors), or the noun its relative clause's gap stands for (:func:`_controlling_gap`);
    ``[]`` for another verb or a conjunct."""
    objects = [c for c in gov.children if c.dep_ in ("dobj", "dative")]
    if gov.lemma_.lower() in OBJECT_CONTROL and objects and token.dep_ != "conj":
        return objects
    gap = _controlling_gap(gov, token)
    return [gap] if gap is not None else []


def _controlling_gap(gov: Token, token: Token) -> Token | None:
    """The noun a relative clause of an ``OBJECT_CONTROL`` verb modifies when the clause's object is its gap and
    the verb's infinitive is ``token``: "the vendors we hire to track the pages you visit", "third parties we
    engage to analyze usage" -> the vendors, the third parties (opp15). The relativised object of "hire X to
    track" is X, and X, the object, is the infinitive's understood subject (object control: Huddleston &
    Pullum 2002, The Cambridge Grammar of the English Language, ch. 14 §5.2, and ch. 12 §3 on the gap of a
    relative clause), as "we engage vendors to store your data" is the vendors' storing (:func:`_subject`).
    ``None`` otherwise (an object of its own, no relative clause, or another verb)."""
    if gov.lemma_.lower() not in OBJECT_CONTROL or gov.dep_ != "relcl" or token.dep_ != "xcomp" \
            or gov.head.pos_ not in ("NOUN", "PROPN"):
        return None
    if any(c.dep_ in ("dobj", "dative", "nsubjpass") for c in gov.children):
        return None
    return gov.head if any(c.dep_ == "nsubj" for c in gov.children) else None


def _controlled_relative(verb: Token) -> Token | None:
    """"We engage vendors to store your data": the parser reads the infinitive as a relative clause of the
    object of an ``OBJECT_CONTROL`` verb; that object does it (claims_en_round11.yaml: "We engage / require X to
    <practice>" states X's practice). ``None`` for any other verb."""
    noun = verb.head
    if verb.dep_ != "relcl" or not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) or any(
            c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return None
    if noun.dep_ == "dobj" and noun.head.lemma_.lower() in OBJECT_CONTROL and noun.pos_ in ("NOUN", "PROPN"):
        return noun
    return None


TAKING_PART = frozenset({"complete", "take", "fill", "answer", "participate", "respond"})


def _asked_to_take_part(r: Reading, sentence: Span, verb: Token) -> list[Practice]:
    """The user asked to take part in an activity that is a source of data (``patterns.yml``
    ``activity_source_types``): "we may ask you to complete a survey", "an email inviting you to participate in
    user surveys" -> the asking party collects what the activity yields (survey responses), as when the user
    is asked to provide it. The governor is a ``collecting_governors`` verb with the user as its object; not
    when it is negated or not asserted. The asking party is the governor's subject (or the nearest one above it),
    else the first party."""
    gov = verb.head
    if verb.dep_ != "xcomp" or gov.lemma_.lower() not in r.pat.collecting_governors or not any(
            c.dep_ == "dobj" and is_user(r, c) for c in gov.children) or has_negation(gov, r.pat) \
            or governed(gov, r.pat) is not Governed.ASSERTED:
        return []
    nouns = [c for c in verb.children if c.dep_ == "dobj"] + [
        p for c in verb.children if c.dep_ == "prep" for p in c.children if p.dep_ == "pobj"]
    index = type_index(r.onto)
    data = [DataRef(found, n.text, n.i, HEAD_WORD) for m in nouns for n in (m, *m.conjuncts)
            if (found := index.type_words("information", [phrase_words(n)[0]], attribute=True)) is not None
            and any(r.onto.is_a("data_type", found, t) for t in r.pat.activity_source_types)]
    if not data:
        return []
    token, subjects = gov, []
    for _ in range(4):
        subjects = [c for c in token.children if c.dep_ == "nsubj"]
        if subjects or token.head == token:
            break
        token = token.head
    actors = [i for i in resolve_all(r, subjects) if i != USER] if subjects else [r.first_party]
    return [Practice(sentence, "collect", False, actors, data, verb=verb,
                     arg_tokens={t.i for n in nouns for t in n.subtree} | {verb.i})] if actors else []


def _requested(verb: Token) -> bool:
    """"the information requested (on the form)": a participle of "request" modifying what is asked for names
    the party asking, the policy's own (unlike "information derived from your GPS", which needs its agent)."""
    return verb.lemma_.lower() == "request" and verb.dep_ == "acl" and verb.tag_ == "VBN"


def _offered_to(r: Reading, token: Token) -> list[Token] | None:
    """For a giving verb (``user_provides``) that complements a collecting noun ("the opportunity to submit",
    "the option to provide"): the person the noun is offered to ("offer you the opportunity"), ``[]`` when the
    noun names none (its own subject decides: "you will have the option to provide"); ``None`` for any other
    verb, which stays a possibility of the noun ("the option to share")."""
    noun = token.head
    if token.dep_ != "acl" or token.pos_ != "VERB" or token.lemma_.lower() not in r.pat.user_provides \
            or noun.pos_ != "NOUN" or noun.lemma_.lower() not in r.pat.collecting_governors \
            or has_negation(noun.head, r.pat):
        return None  # "we do not give you the option to provide ..." offers nothing
    return [c for c in noun.head.children if c.dep_ == "dative"] if noun.dep_ == "dobj" else []


def _agent_objects(agents: list[Token]) -> list[Token]:
    """The objects of "by" agents, with those of coordinated "by"s ("by us or by our service providers")."""
    preps = [q for a in agents for q in (a, *(c for c in a.conjuncts if c.pos_ == "ADP"))]
    return [p for a in dict.fromkeys(preps) for p in a.children if p.dep_ == "pobj"]


def _relative_misread(verb: Token) -> Token | None:
    """The subject of a finite verb the parser hung as a complement on the relative clause before it: "The SMS
    provider we use receives your number" ("receives" made the xcomp of "use", "provider" the root): the noun the
    relative clause modifies."""
    clause = verb.head
    if verb.dep_ != "xcomp" or verb.tag_ not in ("VBZ", "VBP") or clause.dep_ != "relcl" or any(
            c.dep_ in ("aux", "nsubj", "mark") for c in verb.children) or any(
            c.dep_ in ("dobj", "dative") for c in clause.children):
        return None
    return clause.head if clause.head.pos_ in ("NOUN", "PROPN") else None


def _stranded_subject(verb: Token) -> list[Token]:
    """A subject the parser hung on a parenthetical before the verb: "we and our affiliate companies may
    (subject to this Privacy Policy) use ..."."""
    for child in verb.children:
        if child.i < verb.i and child.pos_ == "ADJ" and child.dep_ in ("ccomp", "advcl", "parataxis"):
            found = [c for c in child.children if c.dep_ == "nsubj"]
            if found:
                return found
    return []


def _imperative(verb: Token, head: Token) -> bool:
    """"please do not provide ...", "See definition above": a bare verb at the top of its sentence."""
    top = head
    return top.dep_ == "ROOT" and top.tag_ in ("VB", "VBP") and not any(
        c.dep_ == "aux" and c.lower_ == "to" for c in top.children) and (
        top.i == top.sent.start or any(t.lower_ == "please" for t in top.sent[: top.i - top.sent.start + 1])
        or top.doc[top.i - 1].lower_ in ("not", "n't", "never", "do"))


def _instruction(verb: Token) -> bool:
    """A verb with no subject anywhere above it in a sentence that instructs the reader: the sentence's root is an
    imperative ("Click here to access your account information", "To obtain a copy, please send us a request",
    "To request removal of your data, contact us", "Simply log into your account and update your profile"). The
    reader does it, not a party (labelling conventions: instructions to the user state no practice). The root is a
    base form with no subject and no auxiliary but "do" ("do not ..."), and no pronoun before it that the parser
    took from it ("Like other sites, we, or our partners, use ..."), or one :func:`_imperative` accepts. A present
    tense without subject is a subject the parser hung elsewhere ("In short, web beacons collect ...")."""
    root = verb.sent.root
    return _imperative(verb, root) or (root.tag_ == "VB" and not any(
        c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj", "auxpass") or (c.dep_ == "aux" and c.lower_ != "do")
        for c in root.children) and not any(t.lower_ in SUBJECT_PRONOUNS for t in root.doc[root.sent.start:root.i]))


def _series_object(r: Reading, verb: Token) -> list[Token]:
    """The object of a series of verbs the parser split up: "retaining, using, or disclosing your information"."""
    i = verb.i + 1
    while i < verb.sent.end:
        token = verb.doc[i]
        if token.is_punct or token.dep_ in ("cc", "preconj") or token.lower_ in ("or", "and", "and/or"):
            i += 1
            continue
        if action_of(r, token) is None or token.tag_ != verb.tag_:
            return []
        objects = [c for c in token.children if c.dep_ == "dobj"]
        if objects:
            return objects
        i += 1
    return []


def _data_pronoun(r: Reading, heads: list[Token]) -> bool:
    """An object "them" / "it" without a "with" phrase that refers to data named earlier in the sentence ("members
    may save or forward them", "Weixin processes them"): data, not the persons "them" of "provide them with X"."""
    return all(h.lower_ in ("them", "it") for h in heads) and any(
        m.span.end <= heads[0].i and m.span.sent == heads[0].sent for m in r.mentions.by_kind["data_type"])


def _passive_subjects(verb: Token, head: Token, siblings: list[Token]) -> list[Token]:
    """The heads of what a passive practice verb is about: its (or its coordination's) passive subject."""
    left = [t for t in siblings if t.i < verb.i]
    governors = [t for t in verb.ancestors if t.pos_ == "VERB"][:3] if _bare_participle(verb) else []
    lost = _lost_subject(verb, head)
    heads = [lost] if lost is not None else _children([verb, *left, head, *governors], ("nsubjpass", "csubjpass"))
    if not heads and raised(head):  # "the data may continue to be cached by ...": the raising verb's subject
        heads = _children([head.head], ("nsubj", "nsubjpass"))
    if not heads and verb.dep_ in ("acl", "relcl"):
        heads = [verb.head]
    elif not heads and verb.dep_ == "conj" and head.dep_ == "acl" and head.head.pos_ in ("NOUN", "PROPN"):
        heads = [head.head]  # "information recorded and saved in ...": conjuncts share the noun
    return heads or _fronted_object(verb)


def _lost_subject(verb: Token, head: Token) -> Token | None:
    """The subject of a second passive clause that the parser coordinated with the first verb as a noun: "X may be
    viewed by users, and some information ... may be transmitted to the operator" ("information" a conjunct of
    "viewed", "transmitted" a conjunct without subject): the last such noun between the two verbs."""
    if verb == head or verb.dep_ != "conj" or _has_subject(verb) or not any(c.dep_ == "auxpass" for c in verb.children):
        return None
    nouns = [c for c in head.children if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN") and head.i < c.i < verb.i]
    return nouns[-1] if nouns else None


def _subject_of_later_clause(noun: Token) -> bool:
    """A noun coordinated with a verb that is the lost subject of a later passive clause (:func:`_lost_subject`)."""
    return any(_lost_subject(c, noun.head) == noun for c in noun.head.children
               if c.dep_ == "conj" and c.pos_ == "VERB" and c.i > noun.i)


def _fronted_object(verb: Token) -> list[Token]:
    """The subject of a passive the parser lost to a reduced relative clause read as the main clause: "Photos you
    upload to a Mini Program are stored by its developer" ("upload" the root, "Photos" its object before its
    subject, "stored" a complement without subject): the fronted object is what the passive is about."""
    clause = verb.head
    if verb.dep_ != "ccomp" or clause.i > verb.i:
        return []
    subjects = [c for c in clause.children if c.dep_ == "nsubj"]
    return [c for c in clause.children if c.dep_ == "dobj" and subjects and c.i < subjects[0].i
            and c.i == c.sent.start + sum(1 for t in c.lefts)]


def _available(verb: Token) -> list[Token]:
    """The "available" of "make X available (to Y)" / "X is made available to Y" (``make`` shares only with it)."""
    return [c for c in verb.children if c.lower_ == "available"] if verb.lemma_.lower() == "make" else []


def _data_heads(r: Reading, verb: Token, head: Token, siblings: list[Token], passive: bool) -> list[Token]:
    """The argument heads that carry the data."""
    if passive:
        heads = _passive_subjects(verb, head, siblings)
    elif verb.lemma_.lower() in PHRASAL_OBJECTS and _access_object(verb, PHRASAL_OBJECTS[verb.lemma_.lower()][0]):
        heads = _accessed(verb, siblings)
    else:
        heads = _children([verb, *siblings], ("dobj",))
        persons = bool(heads) and all(h.lower_ in PERSON_PRONOUNS or is_user(r, h) for h in heads)
        receiver = not persons and _person_object(verb, r) is not None and any(  # "provide the developer with X"
            c.dep_ == "prep" and c.lower_ == "with" for c in verb.children)
        if persons or receiver or verb.lemma_.lower() == "ask":  # "provide us with X", "ask (you) for X"
            heads = [p for t in (verb, *siblings) for c in t.children if c.dep_ == "prep"
                     and c.lower_ == ("for" if t.lemma_.lower() == "ask" else "with")
                     for p in c.children if p.dep_ == "pobj"] or ([] if persons and not _data_pronoun(r, heads)
                                                                  else heads)
        heads = heads or _other_object(r, verb)
    # nouns the parser coordinated with the verb: "retains the date of verification and hashed ... number"; not
    # a negated one, which the verb's practice excludes ("we share your profile with advertisers, but not your
    # email address": labelling conventions, a branch excluded by negation states nothing)
    heads += [c for c in verb.children if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN")
              and not negated_branch(c, r.pat) and not _subject_of_later_clause(c)]
    heads += _stray_items(r, verb, heads)
    heads = [_noun_antecedent(relative_antecedent(h)) if h.lower_ in ("which", "that") else h for h in heads]
    heads = [_whole_noun(h) for h in heads]
    # A definition: '"Log Data" is information that is automatically collected ...' -> the defined term.
    for h in list(heads):
        if h.dep_ == "attr" and h.head.lemma_ == "be":
            heads.extend(c for c in h.head.children if c.dep_ == "nsubj")
    heads += included(r, heads)
    if heads:  # examples the parser hung elsewhere in the clause: "we gather certain information automatically,
        # including X", "we may collect information about you during your use of the Services, including your name"
        inside = {t.i for h in heads for t in h.subtree}
        own = _has_subject(verb) or _lost_subject(verb, head) is not None  # a clause of its own: its own examples
        heads += [p for c in qualifiers.clause_tokens(verb if own else head)
                  if c.dep_ == "prep" and c.lower_ in EXAMPLE_PREPS
                  and c.i not in inside for p in c.children if p.dep_ == "pobj" and p.pos_ in ("NOUN", "PROPN")
                  and r.mentions.within("data_type", {t.i for t in p.subtree})]
        # ... or inside a clause of the data phrase: "information about the device you use to access the
        # Services, such as IP address, geolocation information"
        # or, set off by a comma, in an adverbial clause ("whenever you interact with us, such as your IP address")
        phrase = {i for h in heads for i in np_tokens(h, r.pat, include_clauses=False)}
        start = min(h.i for h in heads)
        candidates = [c for h in list(heads) for c in h.subtree] + [
            c for c in verb.subtree if c.i > start and _after_comma(c)]
        heads += [p for c in dict.fromkeys(candidates) if c.dep_ == "prep" and c.lower_ in EXAMPLE_PREPS
                  and c.i not in phrase and not negated_branch(c, r.pat)
                  for p in c.children if p.dep_ == "pobj" and p.pos_ in ("NOUN", "PROPN")
                  and r.mentions.within("data_type", {t.i for t in p.subtree})]
        heads += _parenthetical_examples(r, verb, heads)
    return heads


def _stray_items(r: Reading, verb: Token, heads: list[Token]) -> list[Token]:
    """List items the parser hangs on the verb as a noun modifier after its object and a comma: in "We collect
    the pages you visit, the time spent on each page, the links you click, ..." the second item ("time") is an
    ``npadvmod`` of "collect" with the rest as its conjuncts. Only when the item (or a conjunct) names data."""
    objects = [h for h in heads if h.head == verb and h.dep_ == "dobj"]
    if not objects:
        return []
    last = max(t.i for h in objects for t in h.subtree)
    return [c for c in verb.children if c.dep_ == "npadvmod" and c.pos_ in ("NOUN", "PROPN") and c.i > last
            and c.left_edge.i > 0 and r.doc[c.left_edge.i - 1].text == ","
            and r.mentions.in_range("data_type", c.left_edge.i, c.right_edge.i + 1)
            and not negated_branch(c, r.pat)]


def _other_object(r: Reading, verb: Token) -> list[Token]:
    """The data argument of a verb without a direct object: the noun a relative clause hangs on, the subject
    of "available" ("we make X available to Y" parsed as a small clause), a series' object, or an embedded
    question the lexicon names as data ("we record which pages you visit")."""
    if verb.dep_ in ("relcl", "acl") and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
        return [verb.head]
    return [c for a in _available(verb) for c in a.children if c.dep_ == "nsubj"] or _series_object(r, verb) or [
        c for c in verb.children if c.dep_ == "ccomp" and named_question(r, c)] or _heading_object(r, verb) \
        or _contact_clause_object(verb)


def _contact_clause_object(verb: Token) -> list[Token]:
    """The noun a relative clause without "that" qualifies when the parser read the clause as the complement of
    the verb before it, or as a clause of its own: "We use the information about you we collect to ..."
    ("collect" a ``ccomp``, ``parataxis`` or ``conj`` of "use"): the object of that verb, right before the
    clause's subject (nothing between them, not even "and" or a comma)."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if verb.dep_ not in ("ccomp", "parataxis", "conj") or not subjects or verb.head.i > verb.i \
            or any(c.dep_ == "dobj" for c in verb.children):
        return []
    start = min(t.i for s in subjects for t in s.subtree)
    return [o for o in verb.head.children if o.dep_ == "dobj" and o.pos_ in ("NOUN", "PROPN")
            and o.right_edge.i + 1 == start]


def _heading_object(r: Reading, verb: Token) -> list[Token]:
    """The data a heading-like lead-in starts with, which the parser hangs on the verb as a noun modifier:
    "Information we collect: ...", "Personal data we receive from partners: ..." (the sentence's first noun
    phrase, before the verb's subject, generic or named data)."""
    subjects = [c.i for c in verb.children if c.dep_ == "nsubj"]
    colon = any(t.text == ":" for t in verb.doc[verb.i + 1: verb.sent.end])
    return [c for c in verb.children if c.dep_ == "npadvmod" and c.pos_ in ("NOUN", "PROPN") and subjects and colon
            and c.i < min(subjects) and c.left_edge.i == verb.sent.start
            and (c.lemma_.lower() in GENERIC_WORDS or r.mentions.at("data_type", c) is not None)]


EXAMPLE_OPENERS = ("e.g.", "eg", "e.g", "for example", "for instance")


def _parenthetical_examples(r: Reading, verb: Token, heads: list[Token]) -> list[Token]:
    """Data named in an "(e.g., X)" parenthesis after the data phrase, inside the practice's clause, wherever
    the parser hung it ("any Personal Information we process on the basis of your consent (e.g., Shared
    Information and content saved to Favorites)"): examples of the data, as "such as X" is. Not in the clause of
    another practice verb."""
    doc, start = verb.doc, min(h.i for h in heads)
    other_practices = [t for t in verb.subtree if t != verb and t.dep_ in ("relcl", "advcl", "ccomp")
                       and action_of(r, t) is not None]
    others = {d.i for t in other_practices for d in t.subtree}
    clause = {t.i for t in verb.subtree} - others
    out: list[Token] = []
    for open_ in (t for t in doc[start: verb.sent.end] if t.text == "(" and t.i in clause):
        words = doc[open_.i + 1: open_.i + 4].text.lower().lstrip()
        close = next((t.i for t in doc[open_.i + 1: verb.sent.end] if t.text == ")"), None)
        if close is None or not words.startswith(EXAMPLE_OPENERS) or any(
                (t.lower_ == "to" and t.dep_ == "aux") or t.tag_ in ("VBZ", "VBP", "VBD", "MD", "WP", "WDT")
                for t in doc[open_.i + 1: close]):
            continue  # "(e.g., to check your IP address)", "(e.g., those who process payments)": not data examples
        found = [m for m in r.mentions.in_range("data_type", open_.i + 1, close)
                 if not is_modifier(m) and m.root.i not in others]
        out += [m.root for m in found if not any(  # "content saved to Favorites": the kind the item names
            o is not m and _same_item(m, o) and r.onto.is_a("data_type", o.id, m.id) and o.id != m.id
            for o in found)]
    return out


def _same_item(a: Mention, b: Mention) -> bool:
    """Two mentions in one item of a list: no comma, "and" or "or" between them."""
    lo, hi = sorted((a, b), key=lambda m: m.span.start)
    return not any(t.lower_ in (",", "and", "or", ";") for t in lo.span.doc[lo.span.end: hi.span.start])


def _after_comma(token: Token) -> bool:
    """", including X", ", such as X": the example marker set off by a comma."""
    doc, i = token.doc, token.i
    if token.lower_ == "as" and i > 1 and doc[i - 1].lower_ == "such":
        i -= 1
    return i > 0 and doc[i - 1].text == ","


def included(r: Reading, heads: list[Token]) -> list[Token]:
    """What a data phrase is said to include: "examples of the information we collect include your name and
    email address", "the information you provide may include ..." -> the objects of the include verb whose
    subject the phrase is (not when negated: "cookies do not include personal information")."""
    out: list[Token] = []
    for h in heads:
        verb = h.head
        if h.dep_ in ("nsubj", "nsubjpass") and verb.lemma_.lower() in r.pat.include_verbs \
                and not has_negation(verb, r.pat):
            out += [c for c in verb.children if c.dep_ in ("dobj", "attr", "oprd")]
    return out


def included_after(r: Reading, heads: list[Token], sentence: Span) -> list[DataRef]:
    """"The information collected may include ... the make, model, ..., IP address, pages visited": every data
    mention after the include verb whose subject the data phrase is (long lists break the parse, so the list's
    members are read from the words, not only from the verb's object)."""
    verbs_ = {h.head.i for h in heads if h.dep_ in ("nsubj", "nsubjpass") and h.head.lemma_.lower()
              in r.pat.include_verbs and not has_negation(h.head, r.pat)}
    return [d for i in sorted(verbs_) for d in listed_refs(r, r.doc[i + 1: sentence.end])
            if d.data_type != ROOT_DATA_TYPE]


def members(r: Reading, sentence: Span, previous: list[Practice]) -> list[Practice]:
    """"We gather certain information automatically. This information may include IP addresses, browser type
    ...": a sentence saying what earlier data includes (subject: a back-reference, "it", "this information", or
    data an earlier practice of the unit is about; verb: ``include_verbs``) extends the earlier practices on
    that data to the members it names (after a colon too: "It may include, for example: ...")."""
    found = _membership(r, sentence) if previous else None
    if found is None:
        return list_continued(r, sentence, previous)
    root, subjects, objects, listed = found
    if len(subjects) != 1 or not listed:
        return []
    subject = subjects[0]
    back = _back_reference(r, subject, None)
    about = {d.data_type for d in data_of(r, subject)}
    out = []
    for p in previous:
        if not p.negated and p.scope == "in_scope" and (back or about & {d.data_type for d in p.data}):
            out.append(p.but(sentence=sentence, data=listed, verb=root,
                             arg_tokens={t.i for t in sentence} if objects else {root.i}))
    return _distinct(out)


# a definition's term named again by a demonstrative ("such data", "this information"); not "the information"
DEMONSTRATIVES = frozenset({"this", "that", "these", "those", "such", "said"})


def _back_reference(r: Reading, head: Token, determiners: frozenset[str] | None) -> bool:
    """``head`` refers back: "it", "this", or a generic noun with a referring determiner ("this information")."""
    dets, deps = (r.pat.anaphora_determiners, ("det",)) if determiners is None else (determiners, ("det", "amod"))
    return head.lower_ in r.pat.anaphora_heads or (head.lower_ in GENERIC_WORDS and any(
        c.dep_ in deps and c.lower_ in dets for c in head.children))  # "such" is often an adjective


def _membership(r: Reading, sentence: Span) -> tuple[Token, list[Token], list[Token], list[DataRef]] | None:
    """The including verb of ``sentence`` (:func:`_including_verb`), its subjects and objects and the members it
    lists; ``None`` when the sentence says what no data includes."""
    found = _including_verb(r, sentence)
    if found is None:
        return None
    root, subjects = found
    objects = [c for c in root.children if c.dep_ in ("dobj", "attr", "oprd")]
    # the whole rest of the sentence lists members: long lists break the parse ("referring/exit pages" read as
    # a verb), so the mentions after the verb count, not only the object's conjuncts
    whole = objects or root != sentence.root or _kind_phrases(root)  # ("includes, your name, ...": no object)
    rest = r.doc[root.i + 1: sentence.end] if whole else after_colon(r, sentence)
    listed = listed_refs(r, rest) or [d for o in objects for d in data_of(r, o)]
    return root, subjects, objects, [d for d in listed if d.data_type != ROOT_DATA_TYPE or d.basis != "lexicon"]


@dataclass(frozen=True)
class Definition:
    """What a sentence says some data is: the words naming the data (lower case) and its members."""

    names: frozenset[str]
    members: tuple[DataRef, ...]


def definition(r: Reading, sentence: Span) -> Definition | None:
    """"Personal data refers to information that identifies you, such as your name and email address." -> the
    data the sentence's subject names ("personal data") and the members it lists; ``None`` for a sentence that
    defines nothing, or whose subject refers back ("This information includes ...": :func:`members`)."""
    found = _membership(r, sentence)
    if found is None or len(found[1]) != 1 or not found[3] or _back_reference(r, found[1][0], None):
        return None
    subject = found[1][0]
    names = frozenset({d.text.lower() for d in data_of(r, subject)}
                      | {_words_before(h) for h in (subject, *subject.conjuncts)})
    return Definition(names, tuple(replace(d, token=None) for d in found[3])) if names else None


def _words_before(head: Token) -> str:
    """The words of a noun phrase up to its head, lower case, without quotes and determiners."""
    near = (head.i, *(c.i for c in head.children))  # the head's words and their own modifiers
    return " ".join(t.lower_ for t in head.doc[head.left_edge.i: head.i + 1]
                    if t.i == head.i or (t.head.i in near and not t.is_punct
                                         and t.dep_ not in ("det", "cc", "conj")))


def defined_data(r: Reading, practices: list[Practice], defined: Definition) -> list[Practice]:
    """"Personal data refers to information such as your name and email address. We collect such data when you
    register.": a practice of the sentence right after a definition on the defined data (named again, or by
    "such data", "this information") extends to the definition's members."""
    out = []
    for p in practices:
        if p.negated or p.scope != "in_scope":
            continue
        if any(d.token is not None and (d.text.lower() in defined.names
                                        or _back_reference(r, r.doc[d.token], DEMONSTRATIVES)) for d in p.data):
            out.append(p.but(data=list(defined.members)))
    return _distinct(out)


def _distinct(practices: list[Practice]) -> list[Practice]:
    """One practice per (action, negation, actors, recipients, contexts, scope): an extension of several earlier
    practices that differ only in their data says each once."""
    seen: set[tuple] = set()
    out = []
    for p in practices:
        key = (p.action, p.negated, tuple(p.actors), tuple(p.recipients), tuple(p.contexts), p.scope, p.condition,
               p.purpose, p.modality, p.data_subject)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def list_continued(r: Reading, sentence: Span, previous: list[Practice]) -> list[Practice]:
    """"We collect information about you, including: the information you give us. Information about your browsing
    activity. ...": a list flattened into a paragraph, whose items after the first are verbless sentences. A
    verbless sentence naming data (not opening with a condition) right after a practice whose clause ends in a
    colon list, or after such an item, is one more item: the earlier practices extend to the data it lists."""
    root = sentence.root
    if not previous or (root.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass") for c in root.children)) \
            or sentence[0].lower_ in r.pat.context_marks:
        return []
    clauses = clause_tokens(r, sentence)  # "... as you use our Services and interact with email messages"
    listed = [d for d in listed_refs(r, sentence) if d.data_type != ROOT_DATA_TYPE and d.token not in clauses]
    out = []
    for p in previous:
        if p.negated or p.scope != "in_scope" or p.verb is None:
            continue
        if sentence.start == 0 or p.sentence.start != r.doc[sentence.start - 1].sent.start or not any(
                t.text == ":" and t.i > p.verb.i for t in p.verb.sent):
            continue  # the item follows the colon's sentence or another item right after it
        out.append(p.but(sentence=sentence, data=listed, arg_tokens={t.i for t in sentence}))
    return _distinct(out) if listed else []


def _including_verb(r: Reading, sentence: Span) -> tuple[Token, list[Token]] | None:
    """The verb of ``sentence`` that says what its subject includes, with that subject: the root ("This
    information may include ..."), a verb coordinated with it that shares or names its subject ("Such data does
    not identify you, but it may include ..."), or the relative clause of the root's attribute ("Usage data is
    information that includes ..."); ``None`` when there is none or it is negated."""
    root = sentence.root
    subjects = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")]
    candidates = [(root, subjects)]
    candidates += [(c, [s for s in c.children if s.dep_ in ("nsubj", "nsubjpass")] or subjects)
                   for c in root.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")]
    kinds = _kind_phrases(root)
    candidates += [(w, subjects) for v in (c for k in kinds for c in k.children if c.dep_ == "relcl"
                                           and any(s.dep_ == "nsubj" and s.lower_ in ("that", "which")
                                                   for s in c.children)) for w in (v, *v.conjuncts)]
    for verb, subject in candidates:
        if verb.lemma_.lower() in r.pat.include_verbs and not has_negation(verb, r.pat):
            return verb, subject
    if any(c.dep_ == "prep" and c.lower_ in EXAMPLE_PREPS for k in kinds for c in k.subtree):
        return root, subjects  # "Personal information is any information that identifies you, such as ..."
    return None


def _kind_phrases(root: Token) -> list[Token]:
    """The generic noun a sentence says its subject is: "X is (any) information ...", "X refers to information
    ..." (the attribute of "be", the object of "refer to")."""
    lemma = root.lemma_.lower()
    if lemma == "be":
        return [a for a in root.children if a.dep_ == "attr" and a.lower_ in GENERIC_WORDS]
    if lemma == "refer":
        return [o for c in root.children if c.dep_ == "prep" and c.lower_ == "to" for o in c.children
                if o.dep_ == "pobj" and o.lower_ in GENERIC_WORDS]
    return []


def after_colon(r: Reading, sentence: Span) -> Span:
    """What follows the first colon of ``sentence``: the rest of the sentence, or the next sentence when the
    colon ends it ("It may include, for example: ..."); empty when there is no colon."""
    colon = next((t for t in sentence if t.text == ":"), None)
    if colon is None:
        return r.doc[sentence.end: sentence.end]
    rest = r.doc[colon.i + 1: sentence.end]
    if any(t.is_alpha for t in rest) or sentence.end >= len(r.doc):
        return rest
    return next(s for s in r.doc.sents if s.start >= sentence.end)


SOURCE_PREPS = frozenset({"from", "via", "through", "in", "using"})


ACTIVITY_MARKS = frozenset({"when", "whenever", "if", "while", "once", "as"})
ACTIVITY_PREPS = frozenset({"with", "to", "for", "in", "through", "via", "on", "from", "into"})


def activity_objects(r: Reading, verbs: list[Token]) -> list[Token]:
    """What the user does when generic information is collected, as the things the activity is about: "we
    receive information about you when you choose to connect with social networking services", "when you
    complete a survey", "if you register for an account" -> "social networking services", "survey", "account"
    (objects of the when/if clause's verbs, of their infinitives and of their prepositions)."""
    clauses = [c for v in verbs for c in v.children if c.dep_ == "advcl" and c.pos_ == "VERB" and any(
        m.dep_ in ("mark", "advmod") and m.lower_ in ACTIVITY_MARKS for m in c.children)]
    out: list[Token] = []
    seen: set[int] = set()
    stack = [(c, 0) for c in clauses]
    while stack:
        token, depth = stack.pop()
        if token.i in seen or depth > 2:
            continue
        seen.add(token.i)
        for child in token.children:
            if child.dep_ in ("dobj", "attr"):
                out.append(child)
            elif child.dep_ == "prep" and child.lower_ in ACTIVITY_PREPS:
                out.extend(p for p in child.children if p.dep_ == "pobj")
            elif child.dep_ in ("xcomp", "conj") and child.pos_ == "VERB":
                stack.append((child, depth + 1))
    return out


def sourced(r: Reading, verb: Token, siblings: list[Token], heads: list[Token], text: str) -> list[DataRef]:
    """Generic information typed by where it comes from: "information about you from a social media site",
    "information we collect through surveys", "information collected using cookies and web beacons",
    "through the use of cookies", "information stored in cookies", "when you connect with social networking
    services" (:func:`activity_objects`) -> social media information, survey responses, cookies (each source's
    words typed as "information from <it>", :mod:`.typing`; parties and places left out).
    ``text``: the words of the generic data, for the claims' ``data_text``."""
    data_side = [*heads, *(t for h in heads for t in h.subtree if t.dep_ == "acl" and t.head.pos_ in ("NOUN", "PRON"))]
    preps = [c for t in data_side for c in t.children if c.dep_ == "prep" and c.lower_ in SOURCE_PREPS] + [
        c for t in (verb, *siblings) for c in t.children if c.dep_ == "prep" and c.lower_ in SOURCE_PREPS - {"in"}]
    sources = [p for prep in preps for p in prep.children if p.dep_ == "pobj"]  # "in" on the verb is a place
    users = [c for t in (verb, *siblings, *data_side) for c in (t, *t.children)  # "... using cookies, web beacons"
             if c.pos_ == "VERB" and c.lemma_.lower() in ("use", "utilize", "utilise", "employ")
             and c.dep_ in ("acl", "advcl", "xcomp")]
    sources += [o for c in dict.fromkeys(users) for o in c.children if o.dep_ == "dobj"]
    activities = {t.i for t in activity_objects(r, [verb, *siblings])}
    sources += [r.doc[i] for i in sorted(activities)]
    sources = [q for p in sources for q in (  # "through the use of cookies"
        _prep_objects(p, "of") if p.lemma_.lower() in ("use", "means", "help", "way") else [p])]
    # "using technologies such as cookies, web beacons": the examples of a source are sources too
    sources += [g for p in sources for g in _prep_objects(p, *EXAMPLE_PREPS)]
    index = type_index(r.onto)
    out: list[DataRef] = []
    for item in (t for p in sources for t in (p, *p.conjuncts) if t.pos_ in ("NOUN", "PROPN")):
        if item.lemma_.lower() in r.pat.non_context_objects or r.mentions.at("entity", item):
            continue
        named = r.mentions.at("data_type", item)
        if named is not None and named.root == item:
            found: str | None = None if named.id == ROOT_DATA_TYPE else named.id
        else:
            word, mods = phrase_words(item)
            found = index.type_words("information", [word, *mods], attribute=True)
        if found is not None and item.i in activities and not any(
                r.onto.is_a("data_type", found, t) for t in r.pat.activity_source_types):
            continue  # "when you register an account": the account is where the data goes, not what it is
        if found == "page_path" and item.i not in activities and not any(c.dep_ in ("relcl", "acl")
                                                                            for c in item.children):
            continue  # "collected from our donation pages": a place on the site, not "the pages you visit"
        if found is not None and not r.onto.is_a("data_type", found, "location"):  # "from such locations": a place
            out.append(DataRef(found, f"{text} from {r.doc[item.left_edge.i: item.i + 1].text}", item.i, HEAD_WORD))
    return list({d.data_type: d for d in out}.values())


def _colon_list(r: Reading, verb: Token, heads: list[Token], data: list[DataRef]) -> list[DataRef]:
    """A lead-in whose generic data ends at a colon lists its data after it: "Information we collect: your name,
    ...", "Two types of information may be collected: personal information and website use information", "We
    collect two kinds of data: ..." (nothing but the verb and the data phrase before the colon; the items the
    lexicon types, in the same sentence or the next one). Not "We collect information for these purposes:"."""
    if not data or any(d.data_type != ROOT_DATA_TYPE for d in data) or not heads:
        return []
    colon = next((t for t in verb.sent if t.text == ":" and t.i > verb.i), None)
    start = max(verb.i, *(h.i for h in heads))
    if colon is None or any(t.text == ":" for t in verb.sent[: colon.i - verb.sent.start]):
        return []
    phrase = {i for h in heads for i in np_tokens(h, r.pat, include_clauses=False)}
    if any(t.is_alpha and t.i not in phrase and t.pos_ != "ADV" for t in r.doc[start + 1: colon.i]):
        return []
    span = after_colon(r, verb.sent)
    words = [t for t in span if t.is_alpha and not _enumerator(t)]
    if not words or (r.mentions.at("data_type", words[0]) is None and not (  # "your name", not "(i) through ..."
            words[0].pos_ in ("PRON", "DET") and len(words) > 1 and r.mentions.at("data_type", words[1]))):
        return []
    return [d for d in listed_refs(r, span) if d.data_type != ROOT_DATA_TYPE]


def _enumerator(token: Token) -> bool:
    """A list item's number or letter: the "ii" of "(ii)", the "b" of "b."."""
    after = token.nbor(1).text if token.i + 1 < len(token.doc) else ""
    return len(token.text) <= 4 and after in (")", ".") and all(c in "ivxabcdefgh" for c in token.lower_)


def following(r: Reading, verb: Token, heads: list[Token]) -> list[DataRef]:
    """"we collect the following: your name, ...", "we may receive the following information:": the data
    listed after the colon, in the same sentence or the next one."""
    if not any(r.doc[i].lower_ == "following" for h in heads for i in np_tokens(h, r.pat, include_clauses=False)):
        return []
    span = after_colon(r, verb.sent)
    return listed_refs(r, span) if len(span) else []


def _whole_noun(token: Token) -> Token:
    """"the categories of personal data [we collect], including ...": the phrase a relative clause's noun
    heads, so that examples hung on the outer noun count."""
    while token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.pos_ in ("NOUN", "PROPN") \
            and any(c.dep_ == "relcl" for c in token.children):
        token = token.head.head
    return token


def _noun_antecedent(token: Token) -> Token:
    """"which" cannot stand for a person: when the parser hung "..., which we process" on "you", the nearest
    earlier noun is meant."""
    if token.pos_ != "PRON":
        return token
    for t in reversed(token.doc[token.sent.start: token.i]):
        if t.pos_ in ("NOUN", "PROPN"):
            return t
    return token


# How or from where data is collected: a participle with one of these still states the collection
COLLECTED_HOW = frozenset({"from", "through", "via", "using", "automatically", "online", "offline"})


def _describes(verb: Token, r: Reading, action: str) -> bool:
    """A participle that only tells which data is meant ("web search terms used", "email address used to
    register"): no agent, no recipient, no negation, and its noun is not what the sentence is about (the noun of a
    verbless line of a table's data cell is data by position, so its participle describes it). A
    collection participle that says how or from where ("information collected from offline sources", "data
    gathered through cookies", "information obtained automatically") is an agentless passive (the labelling
    conventions: the first party's collection), not a description."""
    part = _first_participle(verb)
    if part.dep_ != "acl" or any(c.dep_ in ("agent", "neg", "nsubjpass", "auxpass", "nsubj") for c in verb.children):
        return False  # (a clause of its own: "notice that personal information is collected")
    if any(c.dep_ in ("prep", "dative") and c.lower_ in r.pat.recipient_preps for c in verb.children):
        return False
    if action == "collect" and any(c.dep_ in ("prep", "advmod") and c.lower_ in COLLECTED_HOW for c in verb.children):
        return False
    noun = part.head
    while noun.dep_ == "conj":
        noun = noun.head
    if noun.dep_ == "ROOT" and r.cell_role == "data":
        return True  # a table's data cell names data by position: "Your name, ... or email address used to register"
    if _destroyed_by_us(r, noun):
        return False
    return noun.dep_ not in ("nsubj", "nsubjpass", "ROOT")


def _destroyed_by_user(r: Reading, noun: Token) -> bool:
    """The subject of a passive destruction whose agent is the user ("Photos stored on our servers may be deleted
    by you"): the user's deletion, like the active "you may delete photos stored on our servers" (the labelling
    conventions: a user's choice states nothing; claims_en_round13.yaml: the participle identifies the data)."""
    verb = noun.head
    return noun.dep_ == "nsubjpass" and verb.lemma_.lower() in r.pat.destruction_verbs and any(
        is_user(r, p) for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj")


def _on_destroyed_data(r: Reading, verb: Token) -> bool:
    """A participle (or its conjunct) on the object of the first party's own destruction (:func:`_destroyed_by_us`):
    "delete" cancels what it governs only as a request or choice ("you may request that we delete ..."), so our
    stated deletion ("We delete photos stored on our servers") leaves the participle's practice asserted."""
    part = _first_participle(verb)
    return part.dep_ == "acl" and _destroyed_by_us(r, part.head)


def _first_participle(verb: Token) -> Token:
    """The first verb of ``verb``'s subjectless conjuncts ("information recorded and saved in ...": "recorded" for
    "saved"), which a reduced relative's later conjuncts share; ``verb`` itself when it is no such conjunct."""
    while verb.dep_ == "conj" and verb.head.pos_ == "VERB" and not _has_subject(verb):
        verb = verb.head
    return verb


def _destroyed_by_us(r: Reading, noun: Token) -> bool:
    """The object of the first party's own, asserted destruction ("We destroy personal information recorded and
    saved in electronic format via ..."; ``patterns.yml`` ``destruction_verbs``): a statement about the data's
    keeping, whose participle states how the data was kept (claims_en.yaml ho-2020-021, claims_en_frame.yaml
    header: collect for "recorded", retain for "saved"), as it does when the data is the subject of a passive
    destruction ("Photos stored on our servers are deleted ..."). Not the user's deletion ("you may delete photos
    stored on our servers": a choice, which states nothing) nor one under a request or right ("you can request
    that we delete ...")."""
    verb = noun.head
    if noun.dep_ != "dobj" or verb.pos_ != "VERB" or verb.lemma_.lower() not in r.pat.destruction_verbs:
        return False
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if verb.dep_ == "conj" and not subjects:
        subjects = [c for c in verb.head.children if c.dep_ == "nsubj"]
    return bool(subjects) and all(resolve(r, s) == [r.first_party] for s in subjects) \
        and governed(verb, r.pat) is Governed.ASSERTED


def _embedded_question(verb: Token) -> bool:
    """"statistics of what content and services are used": a passive in an embedded question names no actor."""
    return verb.dep_ in ("pcomp", "pobj", "ccomp") and not any(c.dep_ == "agent" for c in verb.children) and any(
        c.tag_ in ("WDT", "WP", "WRB") and c.lower_ != "that" for c in verb.subtree if c.i < verb.i)


def _recipient_heads(r: Reading, verb: Token, siblings: list[Token], data_heads: list[Token]) -> list[Token]:
    """Heads of the phrases naming who receives: datives and "with/to/within" objects of the verb, (misattached
    by the parser) its data argument or, when it names none of its own, its coordinated verbs ("uploaded to our
    servers and ranked among your friends": the friends receive nothing by the upload); only those that name a
    party."""
    # "shares all of the survey information with us": the parser hangs the recipient on the "of" object
    partitive = [o for h in data_heads if h.pos_ in ("PRON", "DET", "NUM", "ADJ") for c in h.children
                 if c.dep_ == "prep" and c.lower_ == "of" for o in c.children if o.dep_ == "pobj"]
    own = _recipient_heads_of(r, [verb, *data_heads, *partitive, *_available(verb)])  # "make X available to Y"
    heads = own or _recipient_heads_of(r, siblings)
    return heads or _recipient_in_about(r, data_heads) or _demanding_party(r, verb)


def _recipient_heads_of(r: Reading, tokens: list[Token]) -> list[Token]:
    """The heads of the recipient phrases hung on ``tokens`` (:func:`_recipient_heads`)."""
    heads: list[Token] = []
    for token in tokens:
        for child in token.children:
            if child.dep_ == "dative" and child.pos_ in ("PRON", "NOUN", "PROPN"):
                candidates = [child]
            elif child.dep_ in ("prep", "dative") and child.lower_ in r.pat.recipient_preps:
                if child.lower_ == "with" and (person := _person_object(token, r)) is not None:
                    candidates = [person]  # "provide you / the developer with X": the object receives X
                else:
                    preps = [child, *(c for c in child.conjuncts if c.pos_ == "ADP")]  # "to us, to other users"
                    candidates = [p for prep in preps for p in prep.children if p.dep_ == "pobj"] or \
                        _raised_object(token, child) or _relative_gap(token, child)
            else:
                continue
            heads.extend(c for c in candidates if resolve(r, c))
    return heads


def _demanding_party(r: Reading, verb: Token) -> list[Token]:
    """"Regulators may require us to provide X": the party that requires (orders, directs, compels) the giving
    receives what is given, when the giving verb names no recipient of its own (``patterns.yml``
    ``demanding_governors``); another party only, never the user or the first party."""
    governor = verb.head
    if verb.dep_ not in ("xcomp", "ccomp") or governor.lemma_.lower() not in r.pat.demanding_governors \
            or not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return []
    return [c for c in governor.children if c.dep_ == "nsubj"
            and any(i not in (USER, r.first_party) for i in resolve(r, c))]


def _recipient_in_about(r: Reading, data_heads: list[Token]) -> list[Token]:
    """"provide information about your purchases to merchants": a "to" phrase the parser hung on what the data is
    about names the recipient, when the verb names none of its own; another party only (the "with us" of
    "information about your transactions with us" is what the data is about); not the "to" phrase of a noun that
    takes one of its own (``TO_TAKING``: "information about your access to third-party services")."""
    return [p for d in data_heads for h in (d, *d.conjuncts) for c in h.children
            if c.dep_ == "prep" and c.lower_ in ABOUT_WORDS
            for o in c.children if o.dep_ == "pobj" and o.lemma_.lower() not in TO_TAKING
            for t in o.children if t.dep_ == "prep" and t.lower_ == "to"
            for p in t.children if p.dep_ == "pobj" and any(i not in (USER, r.first_party) for i in resolve(r, p))]


def _raised_object(verb: Token, prep: Token) -> list[Token]:
    """The object a stranded preposition shares with the next coordinated verb's ("uploaded to and stored on our
    servers": right node raising, the parser gives "our servers" to "on" only)."""
    later = [c for c in verb.children if c.dep_ == "conj" and c.i > prep.i and c.pos_ in ("VERB", "AUX")]
    return [p for c in later[:1] for q in c.children if q.dep_ == "prep" and q.i > c.i
            for p in q.children if p.dep_ == "pobj"][:1]


def _relative_gap(verb: Token, prep: Token) -> list[Token]:
    """The noun a relative clause modifies, for a preposition stranded in that clause ("the developers you share
    data with": they receive the data; "the partners we share your data with"): the relative's gap is the
    preposition's object."""
    if verb.dep_ != "relcl" or verb.pos_ != "VERB" or prep.i < verb.i or any(
            c.dep_ in ("pobj", "pcomp") for c in prep.children):
        return []
    return [verb.head]


def _person_object(verb: Token, r: Reading) -> Token | None:
    """The object of "provide you with X", "supply us with X" (a person pronoun) or "provide the developer with X"
    (a party, for a verb that shares only with a recipient): the one who receives X, or None."""
    for o in verb.children:
        if o.dep_ == "dobj" and (o.lower_ in PERSON_PRONOUNS or (
                verb.lemma_.lower() in r.pat.needs_recipient and _names_party(r, o))):
            return o
    return None


def _names_party(r: Reading, token: Token) -> bool:
    """True when ``token`` heads a phrase naming a party other than the first party's services ("the developer",
    "third parties"), not data."""
    return bool(resolve(r, token)) and not data_of(r, token) and token.lemma_.lower() not in r.pat.first_party_nouns


PLACE_PREPS = frozenset({"in", "into", "on", "within", "inside"})


def _third_party_place(r: Reading, owners: tuple[Token, ...]) -> list[str]:
    """What the user gives "in / into / on" a feature another party operates ("the details you enter in a Mini
    Program", "files you upload on an Official Account") goes to that feature's operator (``features.yaml``
    ``operator``, a third party), not to us; so does what is given or collected on another party's site
    (:func:`_other_partys_site`). The parties of such phrases of the giving verb, its coordinated verbs or (where
    the parser hung them) its data, ``owners``. Features we or our affiliates operate ("photos you post in
    Moments", "in WeChat Pay"), our own site and channels ("submitted through Mini Programs") name no recipient."""
    out: list[str] = []
    for prep in (c for t in owners for c in t.children if c.dep_ == "prep" and c.lower_ in PLACE_PREPS):
        for pobj in (p for p in prep.children if p.dep_ == "pobj"):
            mention = r.mentions.at("feature", pobj)
            operator = r.onto.features[mention.id].attrs.get("operator") if mention is not None else None
            if operator and mention.root == pobj and r.onto.is_a("entity", operator, "third_party"):
                out += resolve(r, pobj)
            else:
                out += _other_partys_site(r, pobj)
    return list(dict.fromkeys(out))


SITE_MARKS = frozenset({"third-party", "third", "external", "other", "linked", "outside"})
MEANS_PREPS = frozenset({"through", "via", "using", "with"})


def _own_means(r: Reading, tokens: tuple[Token, ...]) -> bool:
    """True when a "through / via / using" phrase of the verbs (or of their place phrase) names the first party's
    own means ("collected on other sites through our pixel", "via our social plugins"): collection on another
    party's site by our means is ours, not the site's (review of opp13)."""
    heads = [*tokens, *(p for t in tokens for c in t.children if c.dep_ == "prep" and c.lower_ in PLACE_PREPS
                        for p in c.children if p.dep_ == "pobj")]
    return any(q.dep_ == "poss" and r.first_party in resolve(r, q)
               for h in heads for c in h.children if c.lower_ in MEANS_PREPS
               for p in c.children if p.dep_ in ("pobj", "dobj") for q in p.children)


def _other_partys_site(r: Reading, place: Token) -> list[str]:
    """The party running a site, app or service named as where data is given or collected: "on a third-party
    website", "on other sites", "on that service" (referring back to a social media service named before): a
    ``patterns.yml`` ``site_nouns`` noun (or "service") that resolves to a party that is neither the first party
    nor the user, or a site noun marked as another's ("third-party", "external", "other", "linked"), or one
    referring back to such a site or to a social media service (a generic third party). Our own ("on our site",
    "on this Web site", "on our partner sites") names none: ``[]``."""
    lemma = place.lemma_.lower()
    if lemma not in (*r.pat.site_nouns, "service") or any(c.dep_ == "poss" for c in place.children):
        return []
    ids = [i for i in resolve(r, place) if i != USER]
    if ids and r.first_party not in ids:
        return ids
    marked = lemma in r.pat.site_nouns and any(
        c.dep_ in ("amod", "compound", "det", "nmod") and c.lower_ in SITE_MARKS for c in place.children)
    referring = any(c.dep_ == "det" and c.lower_ in ("that", "such") for c in place.children) and any(
        t.lower_ in (*SITE_MARKS, "social") and t.head.lemma_.lower() in (*r.pat.site_nouns, "service", "media")
        for t in r.doc[place.sent.start: place.i])  # "any social media service ... on that service"
    return [GENERIC_THIRD_PARTY] if marked or referring else []


def _recipient_phrases(r: Reading, verb: Token, siblings: list[Token]) -> bool:
    """True when the verb names a receiving party at all ("with X", "to X", or a "to:" before a list of
    parties), resolvable or not; not the "with" of "provide us with X", which names the data."""
    return any(c.dep_ in ("prep", "dative") and c.lower_ in r.pat.recipient_preps and (any(
        p.dep_ == "pobj" for p in c.children) or (c.i + 1 < len(r.doc) and r.doc[c.i + 1].text == ":"))
        and not (c.lower_ == "with" and _person_object(t, r) is not None)
        for t in (verb, *siblings) for c in t.children)


def _holders(r: Reading, verb: Token, siblings: list[Token]) -> list[str]:
    """For retain verbs without an agent: who holds the data ("stored on our servers")."""
    for token in (verb, *siblings):
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in r.pat.holder_preps:
                for pobj in child.children:
                    ids = [i for i in resolve(r, pobj) if i != USER] if pobj.dep_ == "pobj" else []
                    if ids:
                        return ids
    return []


def _tokens(heads: list[Token], r: Reading) -> set[int]:
    out: set[int] = set()
    for h in heads:
        out |= np_tokens(h, r.pat, include_clauses=False)
    return out


def _actors(r: Reading, verb: Token, head: Token, siblings: list[Token], passive: bool,
            action: str) -> tuple[list[str], list[Token]] | None:
    """Who acts (entity ids, ``USER`` for the data subject) and the phrases naming them; ``None`` when unknown."""
    lemma = verb.lemma_.lower()
    if passive:
        # a clause with a subject of its own takes no agent from the clause before it ("X may be viewed by users,
        # and Y may be provided to the operator": Y's practice is the first party's)
        own = verb != head and (_has_subject(verb) or _lost_subject(verb, head) is not None) and _has_subject(head)
        given = _children([verb] if own else [verb, *siblings, head], ("agent",))
        agents = _agent_objects([a for a in given if not _denied_agent(a)])
        if given and not agents:
            return None  # "kept on your device, not by us": only an excluded agent, no one known to act
        if not agents and any(c.lower_ == "by" and not any(g.dep_ == "pobj" for g in c.children)
                              for t in (verb, *siblings) for c in t.children):
            # "stored by, or remain public through, other users or third parties": the parser hung the agent
            # on the coordination
            agents = [c for t in (verb, *siblings, head) for c in t.children
                      if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN")]
        if agents:  # "provided by our users": the user's giving, read as the active "users provide" is
            giving = lemma in r.pat.user_provides and all(is_user(r, a) for a in agents)
            ids = [USER] if giving else resolve_all(r, agents) or (
                [r.first_party] if _instruments_only(r, agents) else [])
            return (ids, agents) if ids else None
        if head.dep_ == "acl" and _destroyed_by_user(r, head.head):
            return None  # "Photos stored on our servers may be deleted by you": as "you may delete photos stored ..."
        holders = _holders(r, verb, siblings) if action == "retain" else []
        if holders:
            return holders, []
        sites = [i for t in (verb, *siblings) for c in t.children if c.dep_ == "prep" and c.lower_ in PLACE_PREPS
                 for p in c.children if p.dep_ == "pobj" for i in _other_partys_site(r, p)]
        if sites and not _own_means(r, (verb, *siblings)):  # "information collected from you on a third-party
            return list(dict.fromkeys(sites)), []  # site": that site's collection
        if (lemma in r.pat.explicit_actor_only and not _requested(verb)) or _describes(verb, r, action) \
                or _embedded_question(verb):
            return None
        return [r.first_party], []
    heads, how = _subject(r, verb, head)
    if how == FOUND:
        ids = [USER] if heads and all(is_user(r, h) for h in heads) else resolve_all(r, heads)
        if ids and any(not resolve(r, t) and _own_name(r, [t]) for h in heads for t in (h, *h.conjuncts)):
            ids = [r.first_party, *ids]  # "NOTMC and its agents may collect", "FSD and our service providers"
        if not ids:  # a title fused with the sentence: "Contests, Sweepstakes and Special Offers The New York
            # Times collects ...", the parser makes the party an apposition of the title's noun
            ids = resolve_all(r, [c for h in heads for c in h.children if c.dep_ == "appos"])
        if not ids and (_instruments_only(r, heads) or _own_name(r, heads)):  # "cookies are used to track usage
            ids = [r.first_party]  # patterns"; "Geekdo automatically receives and records information"
        return (ids, heads) if ids else None
    if how == UNKNOWN or verb.tag_ == "VBG" or _imperative(verb, head) or (how == TOP and _instruction(verb)):
        return None
    return [r.first_party], []


def _from_party(r: Reading, tokens: list[Token]) -> bool:
    """A "from" phrase naming another party as the source ("obtain your personal information from third parties
    other than X"): a denial with it restricts where data comes from, which claims do not record, not the
    collection itself (claims_en_weixin.yaml header: as "we do not collect" it would deny every collection)."""
    return any(c.dep_ == "prep" and c.lower_ == "from" and any(
        p.dep_ == "pobj" and [i for i in resolve(r, p) if i not in (USER, r.first_party)] for p in c.children)
        for t in tokens for c in t.children)


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)


def _user_gives(r: Reading, verb: Token) -> bool:
    """The user giving data: a ``user_provides`` verb other than "share" (sharing is with others) whose subject,
    or the subject or object of the verbs that control it, is the user ("you provide", "we will ask you to
    provide", "you will be required to give", "you will be required to submit")."""
    if verb.lemma_.lower() not in r.pat.user_provides - {"share"}:
        return False
    token = verb
    for _ in range(6):
        subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
        objects = [c for c in token.children if c.dep_ in ("dobj", "dative")] if token is not verb else []
        if any(is_user(r, c) for c in subjects + objects):
            return True
        if subjects or token.head == token:
            return False
        token = token.head
    return False


def is_user(r: Reading, token: Token) -> bool:
    """"you", or a third-person name of the data subject ("a user", "visitors"), not "other users"."""
    if token.lower_ in SECOND_PERSON:
        return True
    return token.lemma_.lower() in r.pat.user_nouns and token.pos_ == "NOUN" and not any(
        c.lower_ in ("other", "another", "their", "such") for c in token.children)


def _own_name(r: Reading, heads: list[Token]) -> bool:
    """A proper name the ontology does not know as the subject, in a policy whose first party it does not know
    either (a web site's): the site calling itself by its company or brand name ("AHFC collects", "Geekdo
    receives"), which rarely matches the site's domain."""
    if r.first_party in r.onto.entities or len(heads) != 1:
        return False
    head = heads[0]
    tokens = [t for t in head.subtree if t.i <= head.i]
    acronym = head.pos_ == "NOUN" and head.is_alpha and head.text.isupper() and len(head.text) >= 2  # "AHFC"
    branded = head.lemma_.lower() in r.pat.first_party_nouns and any(  # "MediaNews Web sites log ..."
        c.dep_ == "compound" and c.pos_ == "PROPN" and c.i == tokens[0].i for c in head.children)
    return (head.pos_ == "PROPN" or acronym or branded) and head.lower_ not in r.pat.user_nouns and not any(
        r.mentions.at(k, t) for t in tokens for k in ("entity", "feature", "data_type"))


def _instruments_only(r: Reading, heads: list[Token]) -> bool:
    """True when the phrases name only instruments of collection ("cookies", "these web beacons"), which act
    for the party that deploys them: the first party unless a party is named. A subject the parser made the
    compound of a verb it took for a noun ("Our cookies store ...") names what it names itself."""
    def named(h: Token) -> list[DataRef]:
        antecedent = relative_antecedent(h)  # "we use cookies that record ...": the first party's cookies
        if antecedent is not h:
            return data_of(r, antecedent) if used_by_first_party(r, antecedent) else []
        mention = r.mentions.at("data_type", h) if h.dep_ == "compound" else None
        return data_of(r, h) or ([DataRef.of(mention)] if mention is not None else [])

    return _instrument_data(r, [d for h in heads for d in named(h)])


def _practices(r: Reading, sentence: Span, verb: Token, action: str) -> list[Practice]:
    """The practices a practice verb states: its data, parties, context, scope, negation and conditions."""
    gov = governed(verb, r.pat, _user_gives(r, verb)) if "negation" not in r.disabled else Governed.ASSERTED
    if gov is Governed.NOT_ASSERTED and not _on_destroyed_data(r, verb):
        return []
    head, siblings = _group(verb)
    if any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):  # a clause of its own shares nothing
        siblings = [t for t in siblings if not any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)]
    passive = _passive(verb, head)
    data_heads = _data_heads(r, verb, head, siblings, passive)
    data = _data(r, sentence, verb, siblings, data_heads, passive)
    if not data and not passive:  # the parser broke the object ("We collect your account identifier")
        data = repair.stranded_object(r, verb, [s for s in siblings if action_of(r, s) is not None], data_heads)
        data_heads = [r.doc[d.token] for d in data if d.token is not None] or data_heads
    found = _actors(r, verb, head, siblings, passive, action) if data else None
    if found is None:
        return []
    subject_heads = found[1]
    if verb.lemma_.lower() == "have" and r.first_party in found[0]:
        return []  # access by the first party's own staff states no practice (labelling conventions)
    parties = _parties(r, sentence, verb, siblings, data_heads, passive, found, action)
    chain = context.clause_chain(verb)
    if parties is None or context.is_local(r, verb):
        return []
    actors, action, recipients, recipient_heads = parties
    cond, exceptions = context.condition(r, chain)
    data_tokens = _tokens(data_heads, r)
    recipient_tokens = _tokens(recipient_heads, r)
    arg_tokens = _tokens(subject_heads, r) | recipient_tokens | {
        i for d in data if d.token is not None for i in np_tokens(r.doc[d.token], r.pat, include_clauses=False)}
    contexts, context_tokens = context.contexts(r, chain, data_tokens | recipient_tokens | exceptions, data_tokens)
    if "context" in r.disabled:
        contexts = []
    excluded, contexts = _scope(r, sentence, verb, chain, actors, contexts, data_tokens)
    is_negated = "negation" not in r.disabled and (gov is Governed.NEGATED or negated(verb, head, r.pat)
                                                   or negating_determiner(data_heads + subject_heads, r.pat))
    if is_negated and USER in found[0]:
        return []  # the user not giving data ("if you do not provide this information, ...") denies nothing
    if is_negated and action == "collect" and _from_party(r, [verb, *siblings, *data_heads]):
        return []  # "we do not obtain your personal information from third parties" restricts a source only
    practice = Practice(
        sentence=sentence, action=action,
        negated=is_negated,
        actors=actors, data=data, recipients=[i for i in recipients if i != USER], contexts=contexts,
        modality=context.modality(r, chain, exceptions), purpose=context.purpose(chain),
        condition=_condition(r, verb, head, cond, data_heads, is_negated),
        scope="excluded" if excluded else "in_scope", data_subject=qualifiers.data_subject(r, head, data_heads),
        verb=verb, arg_tokens=arg_tokens | context_tokens | {verb.i})
    own = _own_instrument(r, practice, subject_heads) + _tracking_technology(r, practice, verb, subject_heads)
    if action == "retain" and ((subject_heads and _instruments_only(r, subject_heads)) or _instrument_purpose(r, verb)):
        # "our cookies store your first name", "we use cookies to store your preferences": collected by them
        return [practice, practice.but(action="collect"), *own]
    if own:
        return [*_to_first_party(r, practice), *own]
    return _with_denials(r, practice, head, siblings, passive, data_heads)


def _with_denials(r: Reading, practice: Practice, head: Token, siblings: list[Token], passive: bool,
                  data_heads: list[Token]) -> list[Practice]:
    """The practice (a share with us read as our collection) and the denials its sentence attaches: an agent
    excluded ("stored by the developer, not by us") or data excluded ("X, but not Y")."""
    verb = practice.verb
    if practice.negated or "negation" in r.disabled or verb is None:
        return _to_first_party(r, practice)
    denied = _denied_agents(r, verb, head, siblings) if passive else []
    if denied:  # "stored by the developer, not by us": a denial for the agent it excludes
        return [*_to_first_party(r, practice), practice.but(actors=denied, negated=True, recipients=[])]
    excepted = _but_not_data(r, verb, data_heads)
    if excepted:  # "we collect your phone number, but not your contacts": the contacts' collection denied
        return [*_to_first_party(r, practice), *_to_first_party(r, practice.but(negated=True, data=excepted))]
    return _to_first_party(r, practice)


def _but_not_data(r: Reading, verb: Token, data_heads: list[Token]) -> list[DataRef]:
    """The data a "but not" branch coordinated with the practice's data or verb names ("X, but not Y"; the
    parser hangs "Y" on either): the same practice, denied, of Y. Named data only; "including but not limited
    to" lists examples and is no such branch."""
    out: list[DataRef] = []
    for owner in (verb, *data_heads):
        for token in owner.children:
            if token.dep_ != "conj" or token.pos_ not in ("NOUN", "PROPN") or not any(
                    c.dep_ == "neg" and c.i > 0 and r.doc[c.i - 1].lower_ == "but" for c in token.children):
                continue
            tokens = set(np_tokens(token, r.pat, include_clauses=False))
            named = [m for m in r.mentions.within("data_type", tokens) if m.id != ROOT_DATA_TYPE]
            # "the content of your messages": an attribute of named data is that data
            of_data = [m for m in named if m.root.lemma_.lower() not in r.pat.attribute_nouns] if len(named) > 1 else []
            out += [DataRef.of(m) for m in of_data or named]
    return out


def _own_instrument(r: Reading, practice: Practice, subject_heads: list[Token]) -> list[Practice]:
    """The instrument doing the first party's practice is the first party's too: "Our cookies record the pages
    you visit", "These web beacons collect your browser type" -> the first party also collects the cookies
    (using an instrument is collecting it, ``patterns.yml`` ``instrument_types``), when the lexicon names it
    (not a head-word guess). Not when the practice is negated or another party's."""
    if practice.negated or practice.actors != [r.first_party] or not subject_heads \
            or not _instruments_only(r, subject_heads):
        return []
    data = [d for h in subject_heads for d in data_of(r, h)] or [
        DataRef.of(m) for h in subject_heads if (m := r.mentions.at("data_type", h)) is not None]
    data = [d for d in data if _instrument_data(r, [d]) and d.basis == "lexicon"]  # named, not guessed
    return [practice.but(action="collect", data=data, recipients=[], contexts=[])] if data else []


TRACKING_ELEMENT = "cookies"  # "cookies and similar technologies" (OPP-115 "Cookies and tracking elements")
TECHNOLOGY_LEMMAS = frozenset({"technology"})


def _tracking_technology(r: Reading, practice: Practice, verb: Token, subject_heads: list[Token]) -> list[Practice]:
    """A technology the first party collects with is a tracking element (OPP-115's "Cookies and tracking
    elements": cookies, web beacons and other tracking technologies; ``data_types.yaml`` ``cookies``): "we use a
    variety of technologies that automatically collect ...", "we use technologies to track ...", "information we
    collect using (these) technologies" -> the first party also collects the tracking element. Only a phrase the
    lexicon leaves untyped whose head is "technology" and that names no data in it ("cookies and similar
    technologies" is typed already; "geolocation technology such as GPS" is a location's means); not for a
    negated practice or another party's."""
    if practice.negated or practice.action != "collect" or r.first_party not in practice.actors:
        return []
    nouns = [n for n in _collecting_with(r, verb, subject_heads) if n.lemma_.lower() in TECHNOLOGY_LEMMAS
             and not r.mentions.within("data_type", set(np_tokens(n, r.pat)))]
    data = [DataRef(TRACKING_ELEMENT, r.doc[n.left_edge.i: n.i + 1].text, n.i, HEAD_WORD) for n in nouns[:1]]
    return [practice.but(actors=[r.first_party], data=data, recipients=[], contexts=[])] if data else []


def _collecting_with(r: Reading, verb: Token, subject_heads: list[Token]) -> list[Token]:
    """The nouns a collecting verb names as what collects: its subject through a relative pronoun ("technologies
    that collect"), the object of the using verb it is the purpose of ("we use X to collect"), the object of
    "using" / "through" / "via" / "by" / "with" on it ("collected using X"); the noun after a partitive ("a
    variety of X")."""
    nouns = [relative_antecedent(h) for h in subject_heads]
    user = using_verb(verb, r.pat)
    if user is not None and not negated(user, coordination_head(user), r.pat):
        nouns += [c for c in user.children if c.dep_ == "dobj"]
    for c in verb.children:
        if c.lower_ in MEANS_WORDS | {"with"}:
            nouns += [g for g in c.children if g.dep_ in ("pobj", "dobj")]
    nouns += [c for n in list(nouns) for c in n.conjuncts]
    return [g for n in nouns for g in ([n] + [p for o in n.children if o.lower_ == "of" for p in o.children
                                               if p.dep_ == "pobj"])]


def _denied_agent(agent: Token) -> bool:
    """A "by" agent the sentence excludes: "not by us"."""
    return any(c.dep_ == "neg" for c in agent.children) or (
        agent.i > 0 and agent.doc[agent.i - 1].lower_ == "not" and agent.doc[agent.i - 1].head == agent)


def _denied_agents(r: Reading, verb: Token, head: Token, siblings: list[Token]) -> list[str]:
    """The parties of the excluded "by" agents of a passive (:func:`_denied_agent`)."""
    agents = [a for t in (verb, *siblings, head) for a in t.children
              if (a.dep_ == "agent" or (a.dep_ == "prep" and a.lower_ == "by")) and _denied_agent(a)]
    return [i for i in resolve_all(r, _agent_objects(list(dict.fromkeys(agents)))) if i != USER]


def _data(r: Reading, sentence: Span, verb: Token, siblings: list[Token], data_heads: list[Token],
          passive: bool) -> list[DataRef]:
    """The data a practice verb is about: its data phrases' types, a list following it, data included after
    it; a generic word beside a typed one dropped; a table cell's verb alone speaks of its row's data."""
    data = [d for h in data_heads for d in data_of(r, h)]
    data += not_limited_examples(r, sentence, data_heads)
    if data:  # a long list of examples the parser broke up
        data += [d for d in example_list_refs(r, sentence, verb, data_heads)
                 if d.data_type not in {e.data_type for e in data}]
    data += [d for d in broken_list_refs(r, sentence, data_heads) if d.data_type not in {e.data_type for e in data}]
    data += following(r, verb, data_heads)
    data += included_after(r, data_heads, sentence)
    data += _colon_list(r, verb, data_heads, data)
    if data:
        data += _source_members(r, verb, siblings, sentence)
    if "head_words" not in r.disabled:
        data = examples_typed(r, data)
    if any(d.data_type != ROOT_DATA_TYPE for d in data):  # '"Log Data" is information that ...': the term
        data = [d for d in data if d.data_type != ROOT_DATA_TYPE or not (
            d.text.lower() in GENERIC_WORDS or (d.token is not None and non_personal(r.doc[d.token])))]
        # "This information is collected using cookies" (the information named before): the instrument the
        # practice uses is collected too, as for generic information
        data += [d for d in sourced(r, verb, siblings, data_heads, data[0].text) if _instrument_data(r, [d])]
    elif data:
        data += sourced(r, verb, siblings, data_heads, data[0].text)
    if not data and r.fallback_data and passive and not data_heads and all(  # (or "Not stored after ...")
            t.dep_ in ("neg", "advmod") for t in sentence[: verb.i - sentence.start]):
        data = list(r.fallback_data)  # a table cell's "Retained until ..." speaks of the row's data
    return data


def _source_members(r: Reading, verb: Token, siblings: list[Token], sentence: Span) -> list[DataRef]:
    """"We gather information through Internet activity, which may include, for example, your operating system,
    web pages you viewed ... and cookies": what a relative "which/that may include" says the practice's source
    includes is its data too (the list is read from the words: long lists break the parse)."""
    out: list[DataRef] = []
    for prep in (c for t in (verb, *siblings) for c in t.children if c.dep_ == "prep" and c.lower_ in SOURCE_PREPS):
        for source in (p for p in prep.children if p.dep_ == "pobj"):
            for clause in source.children:
                if clause.dep_ == "relcl" and clause.lemma_.lower() in r.pat.include_verbs \
                        and not has_negation(clause, r.pat) \
                        and any(c.dep_ == "nsubj" and c.lower_ in ("which", "that") for c in clause.children):
                    out += [d for d in listed_refs(r, r.doc[clause.i + 1: sentence.end])
                            if d.data_type != ROOT_DATA_TYPE]
    return out


def _parties(r: Reading, sentence: Span, verb: Token, siblings: list[Token], data_heads: list[Token],
             passive: bool, found: tuple[list[str], list[Token]], action: str
             ) -> tuple[list[str], str, list[str], list[Token]] | None:
    """Who does it and who receives: ``(actors, action, recipients, recipient heads)``, the user's giving read
    as its receiver's collection; None when it is no practice of a party (what users do among themselves, a
    sharing verb with no one to share with)."""
    actors, subject_heads = found
    lemma = verb.lemma_.lower()
    recipient_heads = _recipient_heads(r, verb, siblings, data_heads) if action in ("share", "transfer") \
        or lemma in r.pat.user_provides else []
    recipients = resolve_all(r, recipient_heads)
    own_desk = lemma in r.pat.user_gives and own_function(recipient_heads)
    if own_desk:
        recipients = [r.first_party]  # "Information provided to customer service": our own desk receives it
    if passive and not subject_heads and verb.dep_ == "acl" and lemma in r.pat.user_gives and recipients \
            and (own_desk or r.first_party not in recipients):
        actors = [USER]  # "Information provided to an Official Account": what the user gave that party
    if USER in actors:
        if lemma not in r.pat.user_provides or any(context.is_local(r, t) for t in sentence if t.pos_ == "VERB"):
            return None  # what the user does; "you may be required to provide X; this is only processed on your device"
        if not recipients:  # "information you enter in a Mini Program": its operator receives it, there (the
            # phrase stays a context)
            recipients = _third_party_place(r, (verb, *siblings, *data_heads))
        if not recipients and _recipient_phrases(r, verb, siblings):
            return None  # "you share photos with your friends in Moments": to someone we cannot tell
        if any(r.onto.entities[i].attrs.get("kind") == "user" for i in recipients if i in r.onto.entities):
            return None  # users sharing with each other
        if not recipients and _given_data_of_another_party(r, verb):
            return None  # "partners may obtain the information you provide": that party's practice, read there
        actors = [i for i in recipients if i not in (USER, r.first_party)] or [r.first_party]
        return actors, "collect", [], recipient_heads
    if lemma in r.pat.needs_recipient and not recipients:
        return None
    if action == "transfer" and lemma in r.pat.shares_with_party and recipients and not {USER, r.first_party} & set(
            recipients) and all(i in r.onto.entities for i in recipients):
        action = "share"  # "we send your order information to the merchant": a share with that party
    if not recipients and action in ("share", "transfer"):
        recipients = list(r.default_recipients)
    if USER in recipients and action in ("share", "transfer"):
        return None
    return actors, action, recipients, recipient_heads


def _given_data_of_another_party(r: Reading, verb: Token) -> bool:
    """The user's giving, with no receiver named, is a relative clause of the object of another party's practice
    ("software providers may obtain the information that you provide or transmit"): it only says which data that
    party gets, so it is no collection of the first party's (the party whose practice the sentence states
    receives it, and that practice is read from the main clause)."""
    clause = verb
    while clause.dep_ == "conj" and clause.head != clause:
        clause = clause.head
    noun = clause.head
    if clause.dep_ != "relcl" or noun.dep_ != "dobj" or action_of(r, noun.head) is None:
        return False
    parties = [i for s in noun.head.children if s.dep_ == "nsubj" for i in resolve(r, s)]
    return bool(parties) and not {USER, r.first_party} & set(parties)


def _scope(r: Reading, sentence: Span, verb: Token, chain: list[Token], actors: list[str], contexts: list[str],
           data_tokens: set[int]) -> tuple[bool, list[str]]:
    """Whether the practice is taken out of the policy (:mod:`.scope`), and its contexts with the features it
    is taken out for."""
    if "scope" in r.disabled:
        return False, contexts
    apply = scope.negated_apply(r, verb)
    governing = scope.governing_subject_to(r, verb)
    if governing is None:
        governing = scope.document_relative(r, verb)
    excluded = apply is not None or governing is not None or scope.own_policy(r, chain, actors) \
        or scope.other_document(r, verb)
    if excluded and not contexts:  # "Mini Programs are operated by third party developers, who collect ..."
        contexts = [f for a in actors for f in scope.operated_features(r, sentence).get(a, [])] \
            or scope.named_features(r, sentence, data_tokens)
    if apply is not None:
        contexts = list(dict.fromkeys(contexts + scope.excluded_contexts(r, sentence, apply, data_tokens)))
    if governing:
        contexts = list(dict.fromkeys(contexts + governing))
    return excluded, contexts


def _condition(r: Reading, verb: Token, head: Token, cond: str | None, data_heads: list[Token],
               negated_: bool) -> str | None:
    """The practice's conditions, ``; ``-joined: its clause's, its qualifiers' and, for a denial about narrowed
    data only ("from any Child"), that restriction."""
    parts = [*(cond.split("; ") if cond else []), *qualifiers.conditions(r, verb, head)]
    if negated_:
        restriction = context.object_restriction(data_heads)
        parts += restriction.split("; ") if restriction else []
    return "; ".join(dict.fromkeys(parts)) or None


def _to_first_party(r: Reading, p: Practice) -> list[Practice]:
    """"disclosed to us", "sent to our servers": sharing with the first party is its collection."""
    if p.action not in r.pat.to_first_party_is_collect or r.first_party not in p.recipients:
        return [p]
    out = [p.but(action="collect", actors=[r.first_party], recipients=[])]
    others = [i for i in p.recipients if i != r.first_party]
    if others:
        out.append(p.but(recipients=others))
    return out
