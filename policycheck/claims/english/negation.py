"""Negation and assertion: "we do not share", "cannot obtain", "prohibited from retaining, using, or disclosing",
"we collect no information" are negated practices; practices under a verb of requesting, believing, wishing or
stopping ("you may request that we stop processing", "if you believe we are unlawfully processing") are not
asserted at all and give no claim. Following PoliGraph's collection annotator, negation is read at the verb
(and inherited by coordinated verbs that share its subject), not inside its arguments.
"""

from __future__ import annotations

from enum import Enum

from spacy.tokens import Token

from policycheck.claims.english.patterns import Patterns

# Edges through which a verb's governor governs it (complements), as opposed to subjects and adverbial clauses.
GOVERNED_BY = frozenset({"xcomp", "ccomp", "pcomp", "prep", "pobj", "dobj", "relcl", "acl", "conj", "oprd",
                         "attr", "acomp", "appos", "dative", "advcl"})


class Governed(Enum):
    ASSERTED = "asserted"
    NEGATED = "negated"
    NOT_ASSERTED = "not_asserted"


def has_negation(token: Token, pat: Patterns) -> bool:
    """True when ``token`` itself carries a negation ("not", "never", "n't", "no longer"), or "neither"/"nor"
    opens it ("we neither collect nor store X", "it is not for children, nor do we collect ...": the parser
    hangs "nor" on the first conjunct, "neither" on the verb as a pre-conjunction)."""
    return any(c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ in pat.negation_words)
               or (c.dep_ == "advmod" and c.lower_ == "longer" and any(g.lower_ == "no" for g in c.children))
               or (c.dep_ in ("preconj", "cc") and c.lower_ in NEITHER_NOR and c.i < token.i)
               for c in token.children) or _after_nor(token)


NEITHER_NOR = frozenset({"neither", "nor"})


def _after_nor(token: Token) -> bool:
    """A conjunct whose coordinating word is "nor": the last "cc" of its head before it."""
    if token.dep_ != "conj":
        return False
    marks = [c for c in token.head.children if c.dep_ == "cc" and c.i < token.i]
    return bool(marks) and marks[-1].lower_ == "nor"


def _own_clause(token: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in token.children)


def _about_user(token: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "dobj") and c.lower_ in ("you", "users", "user")
               for c in token.children)


ASKING = frozenset({"ask", "urge", "invite"})


def _asked_of_us(token: Token) -> bool:
    """Another party asking us to do something: "third parties may ask us to disclose information about you" is
    a request, not our practice (labelling conventions: no claim inside a request)."""
    return token.lemma_.lower() in ASKING and any(
        c.dep_ == "dobj" and c.lower_ in ("us", "we") for c in token.children) and not any(
        c.dep_ == "nsubj" and c.lower_ in ("we", "you") for c in token.children)


def _hypothetical(token: Token, pat: Patterns) -> bool:
    """A clause that states a condition or an exception, not a fact: "if/once/unless ...", "except where a law
    requires us to retain it"."""
    if token.dep_ in ("advcl", "ccomp", "pcomp", "conj", "acl") and any(
            c.dep_ in ("mark", "advmod") and c.lower_ in pat.hypothetical_marks for c in token.children):
        return True
    return token.dep_ in ("pcomp", "pobj") and token.head.lower_ in pat.condition_preps


CONDITIONAL_GIVING = frozenset({"if", "once", "whenever"})  # "if you provide us with X": X is collected then


def _marked(token: Token, marks: frozenset[str]) -> bool:
    return any(c.dep_ in ("mark", "advmod") and c.lower_ in marks for c in token.children)


COMPLEMENTS = frozenset({"ccomp", "dobj", "xcomp", "attr", "oprd", "prep", "acomp"})


def belief_content(token: Token, pat: Patterns) -> bool:
    """True when ``token`` is the content of a belief the parser hung under it: "If you believe we hold any
    other personal information" parsed with "believe" (no complement of its own) as an adverbial clause of
    "hold". The practice is then what the user believes, not a statement of the policy."""
    return any(c.dep_ == "advcl" and c.i < token.i and c.lemma_.lower() in pat.belief_verbs
               and not any(g.dep_ in COMPLEMENTS for g in c.children) for c in token.children)


def _unasserted_shape(verb: Token, pat: Patterns) -> bool:
    """Shapes that state no practice whatever governs them: "no matter where it is stored", "information ...
    that can be used to identify you" (a capability), the content of a belief (:func:`belief_content`)."""
    if any(t.lower_ == "matter" and t.i > 0 and t.doc[t.i - 1].lower_ == "no" for t in verb.ancestors):
        return True
    if any(c.dep_ == "aux" and c.lower_ in ("can", "could") for c in verb.children) and any(
            c.dep_ == "auxpass" for c in verb.children) and (any(c.dep_ == "xcomp" for c in verb.children) or (
            verb.dep_ == "relcl" and not any(c.dep_ == "agent" for c in verb.children) and any(
            c.dep_ == "prep" and any(p.lower_ in ("which", "whom") for p in c.children) for c in verb.children))):
        return True  # (a means: "interfaces through which your personal information can be obtained")
    return belief_content(verb, pat) or transfer_mechanism(verb, pat) or prior_notice(verb, pat) \
        or question_series(verb) or pointer_question(verb, pat) or described_question(verb, pat)


WH_TAGS = frozenset({"WRB", "WP", "WDT"})


def _wh_word(token: Token) -> bool:
    """A wh-word opening a question or relative clause ("how", "what", "which"), not "that"."""
    return token.tag_ in WH_TAGS and token.lower_ != "that"


def question_series(verb: Token) -> bool:
    """A verb of an embedded question's series that the parser hung on the question's governor: in "To explain
    how we collect, use and store your personal information" and "We describe below how we collect, use, and
    disclose information" the parser makes "use"/"disclose" conjuncts of "explain"/"describe". A conjunct
    without a subject of its own, after a complement of its governor that is a wh-question, continues that
    question: what it names is the topic of the explanation, not a practice stated."""
    token = verb
    while token.dep_ == "conj" and token.head.dep_ == "conj" and token.head != token:
        token = token.head
    if token.dep_ != "conj" or _own_clause(token):
        return False
    governor = token.head
    questions = [c for c in governor.children if c.dep_ == "ccomp" and c.i < token.i] + [
        p for c in governor.children if c.dep_ == "prep" and c.i < token.i for p in c.children if p.dep_ == "pcomp"]
    return any(_wh_word(w) and w.i < q.i for q in questions for w in q.children)


def described_question(verb: Token, pat: Patterns) -> bool:
    """A wh-question that a describing or knowing word governs: "This policy explains how we collect your
    information", "so our users are aware of what information we collect, how we use it" (``describing_governors``;
    through "of/about" and the question's coordinated verbs), or that a pointing verb (``pointer_verbs``) the
    reader is told to do governs: "You can see how we use cookies", "See our Cookie Policy for how we use
    cookies", "Click here to find out what we collect" (through "for/about/of/on", :func:`_reader_pointer`). The
    question names the topic of the text, of the reader's knowledge or of a cross-reference, not a practice
    (labelling conventions: "To explain how we collect ..." and cross-references state nothing)."""
    clause = verb
    while clause.dep_ == "conj" and clause.head != clause and not _own_clause(clause):
        clause = clause.head
    if clause.dep_ not in ("ccomp", "pcomp", "xcomp", "dobj") or not _wh_question(clause):
        return False
    governor = clause.head
    if governor.dep_ == "prep" and governor.lower_ in ("of", "about", "on", "regarding", "for"):
        governor = governor.head
    lemma = governor.lemma_.lower()
    if lemma in pat.pointer_verbs and governor.pos_ == "VERB" and _reader_pointer(governor, pat):
        return True
    return lemma in pat.describing_governors and clause.head.lower_ != "for"


def _reader_pointer(verb: Token, pat: Patterns) -> bool:
    """A pointing verb the reader does: its subject (or, for a subjectless infinitive or conjunct, that of the
    verb it hangs on) is "you" or a user noun, or there is none (an imperative: "See ...", "Click here to see").
    "We use analytics to see how visitors use the site" is the first party's own looking, no pointer."""
    token = verb
    while True:
        subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            return subjects[0].lower_ in ("you", "yourself") or subjects[0].lemma_.lower() in pat.user_nouns
        if token.dep_ not in ("xcomp", "advcl", "conj") or token.head == token:
            return True
        token = token.head


def _wh_question(clause: Token) -> bool:
    """A clause opened by a wh-word ("how we collect", "what information we collect", "under what circumstances
    we disclose it"; not "that", nor the wh-word of a clause inside it: "when you register, we collect")."""
    words = [w for c in clause.children if c.i < clause.i and c.dep_ not in CLAUSES for w in c.subtree]
    return any(_wh_word(w) for w in words)


CLAUSES = frozenset({"advcl", "ccomp", "xcomp", "relcl", "acl", "conj", "csubj", "parataxis"})


def pointer_question(verb: Token, pat: Patterns) -> bool:
    """An embedded question that only names what a pointer leads to: "For details of how each SDK processes your
    information, please refer to the list", "You can learn more about how the developer uses it in its policy":
    a wh-clause object of "of/about/on" under a noun (``pointer_nouns``: details, information, more) that a
    pointing verb (``pointer_verbs``: see, refer, learn, ...) governs, or that opens a "For ..." phrase of one.
    It names the topic of another document, not a practice (labelling conventions: cross-references)."""
    if verb.dep_ not in ("pcomp", "pobj") or verb.head.lower_ not in ("of", "about", "on", "regarding") or not any(
            _wh_word(c) and c.i < verb.i for c in verb.children):
        return False
    noun = verb.head.head
    if noun.lemma_.lower() not in pat.pointer_nouns:
        return False
    return any(t.lemma_.lower() in pat.pointer_verbs and t.pos_ == "VERB" for t in noun.ancestors)


def prior_notice(verb: Token, pat: Patterns) -> bool:
    """The practice is what a notice or a request for consent comes before: "we will obtain your explicit consent
    before using it", "we will tell you the source ... before we obtain it" (a "before" clause or "before" +
    gerund whose governor is a ``notice_verbs`` verb or has a consent word as object). The practice is the
    occasion of the notice, as a condition is, not a practice the sentence states."""
    clause = verb
    while clause.dep_ == "conj" and clause.head != clause:
        clause = clause.head
    if clause.dep_ == "advcl" and _marked(clause, frozenset({"before"})):
        governor = clause.head
    elif clause.dep_ == "pcomp" and clause.head.lower_ == "before":
        governor = clause.head.head
    else:
        return False
    return governor.lemma_.lower() in pat.notice_verbs or any(
        c.dep_ == "dobj" and c.lemma_.lower() in pat.consent_words for c in governor.children)


def in_condition(token: Token, pat: Patterns) -> bool:
    """True when ``token`` lies inside an if/once/unless clause ("If our use of your personal information goes
    beyond ..."): what it names is the condition, not a practice stated."""
    return any(_hypothetical(t, pat) for t in token.ancestors)


def transfer_mechanism(verb: Token, pat: Patterns) -> bool:
    """The practice is the occasion of a legal transfer mechanism, which states no practice (labelling
    conventions, round 4: "we rely on model contracts for the transfer of ..."): a when/where clause of "rely on"
    (or another ``mechanism_governors`` verb) whose object names a mechanism (``mechanism_nouns``: standard
    contractual clauses, adequacy decisions, binding corporate rules): "We rely on standard contractual clauses
    ... when we transfer personal information to countries without an adequacy decision", "Where we transfer
    your data outside the EEA, we rely on the European Commission's model clauses"."""
    clause = verb
    while clause.dep_ == "conj" and clause.head != clause:
        clause = clause.head
    if clause.dep_ != "advcl":
        return False
    governor = clause.head
    if governor.dep_ in ("acl", "relcl") and governor.head.lemma_.lower() in pat.mechanism_nouns:
        return True  # "clauses approved by the authorities when we transfer ..."
    if governor.lemma_.lower() not in pat.mechanism_governors:
        return False
    objects = [t for c in governor.children if c.dep_ in ("dobj", "prep") for t in c.subtree if t.i < clause.left_edge.i
               or t.i > clause.right_edge.i]
    return any(t.lemma_.lower() in pat.mechanism_nouns for t in objects)


def governed(verb: Token, pat: Patterns, user_gives: bool = False) -> Governed:
    """How the verbs above ``verb`` treat it: a negating governor ("prohibited from") negates, a
    non-assertive one ("request", "believe", "choose") cancels, "without doing" cancels; the first one found on
    the way up decides. The walk follows complements only: a verb inside a subject ("any third party with
    whom we share ... is required") is not governed by the main verb. ``user_gives``: the verb is the user
    giving data ("provide", "submit"); then a collecting governor that is not negated ("we will request that
    you provide", "you will be required to submit", "you may choose to provide") passes it on as asserted, and
    so does an if/once clause: "if you provide us with your name" is a collection under that condition."""
    if _unasserted_shape(verb, pat):
        return Governed.NOT_ASSERTED
    if (_hypothetical(verb, pat) or (verb.dep_ == "conj" and _hypothetical(verb.head, pat))) and not (
            user_gives and _marked(verb, CONDITIONAL_GIVING)):
        return Governed.NOT_ASSERTED  # ("if you provide your name ..." is a conditional collection)
    token = verb
    while token.head != token and token.dep_ in GOVERNED_BY and not _clause_before_semicolon(token):
        dep = token.dep_
        if dep == "pcomp" and token.head.lower_ == "without":
            return Governed.NOT_ASSERTED
        if _hypothetical(token, pat) and not (user_gives and _marked(token, CONDITIONAL_GIVING) and (
                token == verb or token.lemma_.lower() in pat.collecting_governors)):
            return Governed.NOT_ASSERTED
        below, token = token, token.head
        lemma = token.lemma_.lower()
        if lemma in pat.negating_governors:
            return Governed.NEGATED
        if user_gives and lemma in pat.collecting_governors and dep != "conj":
            if has_negation(token, pat):
                return Governed.NOT_ASSERTED  # "we do not require you to provide": it is optional
            continue
        if dep == "conj":  # a coordinated verb is a sibling, not a governor
            if belief_content(token, pat):
                return Governed.NOT_ASSERTED  # "if you believe we have collected or shared ..."
            continue
        if token.pos_ == "NOUN" and lemma in pat.non_assertive_objects and token.head.lemma_.lower() != "reserve":
            return Governed.NOT_ASSERTED  # "rights over ... how we can use it"; not "we reserve the right to share"
        if token.pos_ not in ("VERB", "ADJ", "NOUN", "AUX"):
            continue
        verdict = _governor_verdict(verb, below, token, pat, user_gives)
        if verdict is not None:
            return verdict
    return Governed.ASSERTED


def _clause_before_semicolon(token: Token) -> bool:
    """A clause the parser made the complement of the verb of the next clause, across a semicolon ("we will
    retain X as required by law; once the period has expired, we will delete it"): two independent clauses,
    the second neither governs nor conditions the first."""
    head = token.head
    return token.dep_ == "ccomp" and token.i < head.i and any(
        t.text == ";" for t in token.doc[token.right_edge.i + 1: head.i])


def _governor_verdict(verb: Token, below: Token, token: Token, pat: Patterns, user_gives: bool) -> Governed | None:
    """What a verb or adjective ``token`` above ``verb`` (reached from ``below``) makes of it: ``NEGATED`` for our
    stopping it ("we will stop collecting", :func:`_we_cease`), ``ASSERTED`` for the user needing to authorise us
    ("you need to authorise us to obtain your location": a condition of the feature, the practice stands),
    ``NOT_ASSERTED`` under a non-assertive governor ("request", "choose", "you may be required to", "third parties
    may ask us to", "the right to"), else ``None`` (walk on)."""
    lemma = token.lemma_.lower()
    if lemma in pat.ceasing_verbs and _stopped(verb) == token and _we_cease(token, pat):
        return Governed.NEGATED
    if lemma in pat.needing_governors and below.dep_ == "xcomp" and below.lemma_.lower() in pat.authorising_verbs \
            and any(c.lower_ == "us" and c.dep_ in ("dobj", "nsubj") and (c.head == below or c.head.head == below)
                    for c in below.subtree) and not has_negation(token, pat):  # ("allow us to": "us" may be the
        # subject of the complement the parser made a ccomp)
        return Governed.ASSERTED
    if lemma in pat.non_assertive or (lemma in pat.user_governors and _about_user(token)) or _asked_of_us(token) \
            or any(c.dep_ == "dobj" and c.lemma_.lower() in pat.non_assertive_objects and lemma != "reserve"
                   and not (user_gives and c.lemma_.lower() in pat.collecting_governors) for c in token.children):
        return Governed.NOT_ASSERTED
    return None


def _stopped(verb: Token) -> Token | None:
    """The verb whose complement ``verb`` is, directly or as a conjunct sharing its object ("stop collecting and
    using X"); None for a conjunct with an object of its own ("stop collecting X and delete it")."""
    while verb.dep_ == "conj" and verb.head != verb:
        if any(c.dep_ in ("dobj", "nsubj", "nsubjpass") for c in verb.children):
            return None
        verb = verb.head
    return verb.head if verb.dep_ in ("xcomp", "pcomp") else None


def _we_cease(verb: Token, pat: Patterns) -> bool:
    """"we will stop collecting X" (after a condition: "once you delete your account", "after you turn off the
    interface"): the first party stating it stops is a limit, a negated practice (the labelling conventions count
    limits as negations; claims_en_weixin.yaml en-wx-023). Not when the stopping is itself requested, chosen or
    conditional ("you may request that we stop processing", "if we stop providing"): then it states nothing."""
    clause = verb
    while clause.dep_ == "conj" and not _own_clause(clause) and clause.head != clause:
        clause = clause.head
    subjects = [c for c in clause.children if c.dep_ == "nsubj"]
    if not subjects or not all(c.lower_ in ("we", "us") for c in subjects) or has_negation(verb, pat):
        return False
    return governed(verb, pat) is Governed.ASSERTED


def negated(verb: Token, group_head: Token, pat: Patterns) -> bool:
    """True when the practice verb is negated itself, through the coordinated verb whose subject it shares
    ("we do not share or sell"), or through a negated governor of its infinitive ("we do not need to collect"),
    or a negated using verb whose purpose it is ("we do not use cookies to collect ...")."""
    if has_negation(verb, pat):
        return True
    if verb != group_head and not _own_clause(verb) and has_negation(group_head, pat):
        return True
    if (user := using_verb(verb, pat)) is not None and has_negation(user, pat):
        return True  # "we do not use cookies to collect your name": the denied use's purpose is denied
    head = verb.head
    # "we do not allow advertisers to access X": the parser reads the infinitive with its own subject as a ccomp
    to = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    infinitive = verb.dep_ == "xcomp" or (verb.dep_ == "ccomp" and to)
    if verb.dep_ == "relcl" and to and head.dep_ == "dobj":  # "we do not authorize vendors to sell X": the
        head = head.head  # infinitive read as a relative clause of the governor's object
        infinitive = True
    return infinitive and head.lemma_.lower() in pat.negation_passing and has_negation(head, pat)


def using_verb(verb: Token, pat: Patterns) -> Token | None:
    """The ``instrument_verbs`` verb ("use", "employ", "place" ...) whose purpose infinitive ``verb`` is: "use" in
    "we (do not) use cookies to collect ..."; ``None`` when ``verb`` is no such infinitive."""
    user = verb.head
    if verb.dep_ in ("xcomp", "advcl") and user.lemma_.lower() in pat.instrument_verbs and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return user
    return None


def negating_determiner(heads: list[Token], pat: Patterns) -> bool:
    """True when an argument is negated by its determiner ("no personal information", "no third party") or by
    "neither" before it ("Neither we nor our partners sell ...": a pre-conjunction)."""
    return any(c.dep_ in ("det", "preconj") and c.lower_ in pat.negating_determiners for h in heads
               for c in h.children)
