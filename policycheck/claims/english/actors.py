"""Who acts and who receives: noun phrases -> entity ids.

"we/us/our" is the policy's first party (``BlockInput.first_party``), "you/your" the data subject; named
parties come from the entity ontology ("service providers", "related group companies", "Weixin"); a phrase
naming a feature stands for the feature's operator ("share with Official Accounts" -> the Official Account
operator); a relative pronoun stands for the noun its clause modifies ("any third party with whom we share").
When a phrase lists examples ("selected recipients, including related group companies") the examples win.
Parties the ontology does not name (phenomenon ``parties``): a role noun ("third party publishers", "the
participating dealer") is a third party, a thing a third party runs acts for it ("third-party advertising
technology"), and in a web site's policy its own group ("our subsidiaries", "our affiliates") is
``own_affiliates``.
"""

from __future__ import annotations

from spacy.tokens import Token

from policycheck.claims.english import own_names
from policycheck.claims.english.enumerations import EXAMPLE_PREPS, np_tokens
from policycheck.claims.english.frame import USER, Reading
from policycheck.claims.english.lexicon import is_modifier

FIRST_PERSON = frozenset({"we", "us", "our", "ours", "ourselves"})
SECOND_PERSON = frozenset({"you", "your", "yours", "yourself", "yourselves"})
RELATIVE = frozenset({"that", "which", "who", "whom", "whose"})
THIRD_PERSON = frozenset({"it", "they", "them"})


def relative_antecedent(token: Token) -> Token:
    """The noun a relative pronoun stands for ("party" in "any third party with whom we share"), else ``token``."""
    if token.lower_ not in RELATIVE:
        return token
    clause = token
    while clause.dep_ not in ("relcl", "acl") and clause.head != clause:
        clause = clause.head
    if clause.dep_ in ("relcl", "acl"):
        return clause.head
    return _hung_relative(token) or token


def _hung_relative(token: Token) -> Token | None:
    """The antecedent of a relative pronoun whose clause the parser hung on the main verb after a parenthesis
    ("We use third-party SDKs (such as push SDKs) that collect your device identifiers": "collect" an adverbial
    clause of "use"): the main verb's object right before the clause."""
    clause = token.head
    if token.tag_ != "WDT" or token.dep_ not in ("nsubj", "nsubjpass") or clause.dep_ not in ("advcl", "ccomp"):
        return None
    objects = [c for c in clause.head.children if c.dep_ == "dobj" and c.i < token.i]
    return objects[-1] if objects else None


def resolve(r: Reading, head: Token) -> list[str]:
    """Entity ids named by the noun phrase headed by ``head``; ``[USER]`` for "you"; ``[]`` when unknown. A
    relative pronoun the parser hung on the wrong noun ("companies that provide services on our behalf who are
    prohibited ...") stands for the nearest party named before it."""
    if head.lower_ in ("who", "whom"):
        found = _resolve(r, relative_antecedent(head))
        if found:
            return found
        return _last_named(r, head, head.sent.start)
    if head.lower_ in THIRD_PERSON and head.dep_ in ("nsubj", "dative", "pobj"):
        # "Tenpay's privacy policy applies to the information it collects": the party named last before it
        return pronoun_antecedent(r, head)
    return _resolve(r, _outer_party(r, head, relative_antecedent(head)))


def _outer_party(r: Reading, pronoun: Token, noun: Token) -> Token:
    """The party a ", which" clause describes when the parser hung it on the object of the party's own relative
    clause: "the third party that provides the map, which processes it ..." (the party, not the map). Only when
    that object names no party itself and the noun its clause describes does; else ``noun``."""
    clause = noun.head
    if pronoun.lower_ != "which" or pronoun.i == 0 or pronoun.doc[pronoun.i - 1].text != "," \
            or noun.dep_ not in ("dobj", "pobj") \
            or r.mentions.within("entity", set(range(noun.left_edge.i, noun.i + 1))):
        return noun
    while clause.dep_ == "prep" and clause.head != clause:
        clause = clause.head
    outer = clause.head
    party = outer.lemma_.lower() in r.pat.party_nouns or r.mentions.within(
        "entity", {t.i for t in outer.subtree if t.i <= outer.i})
    return outer if clause.dep_ in ("relcl", "acl") and party else noun


def pronoun_antecedent(r: Reading, head: Token) -> list[str]:
    """The party a third-person pronoun in any position ("they", "their privacy policies") refers back to, as
    ``[id]`` or ``[]``: the one named last before it that agrees in number
    ("they" a plural or coordinated phrase, "it" a singular one), else the last one named. A policy that calls
    its own party "we" never calls it "they" or "it": "The SDKs integrated in Weixin and the information they
    collect" are the SDKs' (with "parties" on; a name of the first party in the text is its product)."""
    if "parties" in r.disabled:
        return _last_named(r, head)
    # a party named as the modifier of a party or service noun counts too ("We work with third-party translation
    # services. They receive ..."), its number read from that noun; so does a role noun ("Merchants receive X,
    # and they handle it")
    named = [(m.span.start, [m.id], m.root.head if is_modifier(m) else m.root) for m in r.mentions.by_kind["entity"]
             if m.span.end <= head.i and m.id != r.first_party and (not is_modifier(m) or _party_head(r, m.root.head))]
    named += [(t.i, ids, t) for t in r.doc[: head.i] if t.pos_ == "NOUN" and t.lemma_.lower() in r.pat.party_nouns
              and not any(m.span.start <= t.i < m.span.end for m in r.mentions.by_kind["entity"])
              and (ids := [i for i in _resolve(r, t) if i not in (r.first_party, USER)])]
    named.sort(key=lambda n: n[0])
    plural = head.lower_ in ("they", "them")
    agreeing = [ids for _, ids, noun in named if (noun.tag_ in ("NNS", "NNPS") or bool(noun.conjuncts)) == plural]
    if agreeing or named:
        return (agreeing or [ids for _, ids, _ in named])[-1]
    return _last_named(r, head)


def _last_named(r: Reading, head: Token, start: int = 0) -> list[str]:
    """The party named last before ``head`` (from token ``start`` on), not as a modifier: ``[id]``, or ``[]``."""
    before = [m for m in r.mentions.by_kind["entity"]
              if start <= m.span.start and m.span.end <= head.i and not is_modifier(m)]
    return [before[-1].id] if before else []


def _party_head(r: Reading, noun: Token) -> bool:
    """A noun a party's name may modify to name that party: a role noun ("translation providers") or a service."""
    return noun.pos_ == "NOUN" and noun.lemma_.lower() in (*r.pat.party_nouns, "service")


TLD_PARTS = frozenset({"com", "org", "net", "edu", "gov", "co", "uk", "io", "us", "info", "biz", "tv", "ca", "de",
                       "au", "www", "mil", "int"})


def site_stem(first_party: str) -> str:
    """The name part of a first party id made from a web site: ``redorbit_com`` -> ``redorbit``,
    ``www_nytimes_com`` -> ``nytimes`` (top-level and generic domain parts dropped)."""
    parts = [p for p in first_party.split("_") if p]
    while parts and parts[-1] in TLD_PARTS:
        parts.pop()
    while parts and parts[0] in TLD_PARTS:
        parts.pop(0)
    return "".join(parts)


def _names_site(stem: str, names: list[Token], joined: str) -> bool:
    """True when capitalised words spell the site's name: the stem in the phrase, a word of 4+ letters
    starting the stem ("SIDEARM" for sidearmsports, "Valve" for valvesoftware), or initials plus the last word
    ("New York Times" for nytimes)."""
    if not names or len(stem) < 3:
        return False
    if stem in joined or (len(joined) >= 5 and stem.startswith(joined)):
        return True
    words = ["".join(ch for ch in t.lower_ if ch.isalnum()) for t in names]
    if any(len(w) >= 4 and stem.startswith(w) for w in words):
        return True
    initials = "".join(w[:1] for w in words[:-1] if w not in ("the", "of", "and"))
    return len(words) >= 2 and initials + words[-1] == stem


def names_first_party(r: Reading, head: Token) -> bool:
    """A noun phrase naming the policy's own party when the ontology does not know it (a web site's policy):
    a name the policy declared its own (:func:`_declared_name`), the site's name ("RedOrbit, Inc.", "American
    Honda", "AOL"), or "this Web site", "our Site", "the Company" (``patterns.yml`` ``first_party_nouns``)."""
    if r.first_party in r.onto.entities:
        return False
    words = [t for t in head.subtree if t.dep_ in ("compound", "amod", "nmod", "poss", "appos", "flat") or t == head]
    words = [t for t in words if t.i <= head.i + 3]
    if r.own_names and _declared_name(r, head, words):  # the whole name, role noun and all ("X Bank of Y")
        return True
    if _related_party(r, head):
        return False
    stem = site_stem(r.first_party)
    joined = "".join(ch for t in words for ch in t.lower_ if ch.isalnum())
    if _names_site(stem, [t for t in words if t.pos_ == "PROPN" or t.text[:1].isupper()], joined):
        return True
    if head.lemma_.lower() in r.pat.first_party_nouns or " ".join(t.lower_ for t in words) in r.pat.first_party_nouns:
        dets = {c.lower_ for c in head.children if c.dep_ in ("det", "poss")}
        return bool(dets & {"this", "our"}) or ("the" in dets and head.text[:1].isupper())
    return False


def _declared_name(r: Reading, head: Token, words: list[Token]) -> bool:
    """A name the policy declared its own (``Reading.own_names``, :mod:`.own_names`): its capitalised words,
    with an "of" phrase after the head ("the Federal Reserve Bank of Lowtown"), spell one or end in one; or "the
    Bank" when the policy's name is "X Bank of Y" (PolicyLint, Andow et al. 2019: an organisation's names
    resolve to it)."""
    named = [t for t in words if t.pos_ == "PROPN" or t.text[:1].isupper()]
    for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"):
        objects = [t for o in prep.children if o.dep_ == "pobj" and o.pos_ == "PROPN" for t in o.subtree]
        named += [prep, *objects] if objects else []
    named.sort(key=lambda t: t.i)
    # the name may end a run of heading words the text ran into it ("Children's Privacy Kestrel does not ...")
    if any(own_names.name_key(" ".join(t.text for t in named[k:])) in r.own_names for k in range(len(named))):
        return True
    dets = {c.lower_ for c in head.children if c.dep_ == "det"}
    return head.text[:1].isupper() and bool(dets & {"the", "this"}) and f"the {head.lower_}" in r.own_names


OWN_AFFILIATES = "own_affiliates"  # a web site's own corporate group (mappings/entities.yaml)
GENERIC_THIRD_PARTY = "third_party"  # a party known only by its role ("third party publishers")


def _own_group(r: Reading, ids: list[str], tokens: set[int]) -> list[str]:
    """In a policy whose first party the ontology does not know (a web site's), a group named only by a generic
    alias ("our affiliates", "group companies": the words of no group's own name) is the site's own group
    (``own_affiliates``), not the group the ontology lists the alias under."""
    if r.first_party in r.onto.entities or "parties" in r.disabled:
        return ids
    words = {r.doc[i].lower_ for i in tokens}
    if "non" in words:  # "non-affiliate companies", "non-affiliated third parties": the complement
        return [GENERIC_THIRD_PARTY if r.onto.entities[i].attrs.get("kind") in ("group", "affiliate") else i
                for i in ids if i in r.onto.entities]
    out = []
    for i in ids:
        entity = r.onto.entities.get(i)
        own_words = set(entity.name_en.lower().split()[:1]) if entity is not None and entity.name_en else set()
        generic = entity is not None and entity.attrs.get("kind") == "group" and not own_words & words
        out.append(OWN_AFFILIATES if generic else i)
    return list(dict.fromkeys(out))


def _party_modified(r: Reading, head: Token, tokens: set[int]) -> list[str]:
    """A thing named by the third party that runs it: "third-party SNS features may set a cookie", "Third-party
    advertising technology uses information", "third party web site analytic tools" -> the modifying party, when
    the head itself names no data ("third party cookies" stays data)."""
    if r.mentions.within("data_type", {head.i}) or head.pos_ not in ("NOUN", "PROPN") or any(
            c.dep_ == "poss" and c.lower_ in FIRST_PERSON for c in head.children):
        return []  # "our Facebook applications" are the site's own
    found = [m.id for m in r.mentions.within("entity", tokens) if is_modifier(m) and m.root.i < head.i
             and m.root.head == head and r.onto.entities.get(m.id) is not None
             and r.onto.entities[m.id].attrs.get("kind") == "third_party"]
    return list(dict.fromkeys(found))


def _brand(r: Reading, head: Token, tokens: set[int]) -> list[str]:
    """A company's product or unit named by the company and a name the ontology does not know: "Tencent Cloud"
    is Tencent's (an affiliate), as PolicyLint resolves an organisation's sub-brands to it (Andow et al., USENIX
    Security 2019); not a feature of the app ("Weixin Search"), a data phrase, or a word the ontology names. A
    legal name (ending in ``company_suffixes``) is the company's wherever in the name the parser hangs it: "Tencent
    Technology (Shenzhen) Company Limited" ("Tencent" on "Technology", which hangs on "Limited")."""
    if head.pos_ != "PROPN" or any(r.mentions.at(k, head) for k in ("feature", "data_type", "entity")):
        return []
    legal = head.lower_.rstrip(".") in r.pat.company_suffixes
    return list(dict.fromkeys(m.id for m in r.mentions.within("entity", tokens) if is_modifier(m) and (
        (m.root.head == head and m.root.pos_ == "PROPN")
        or (legal and m.root.i < head.i and m.root.text[:1].isupper()))))


def _related_party(r: Reading, head: Token) -> bool:
    """A party the site's name only modifies: "the participating Honda Dealer", "an AOL affiliate" (a role noun,
    ``party_nouns``, that is not one of the site's own ``first_party_nouns``)."""
    lemma = head.lemma_.lower()
    return lemma in r.pat.party_nouns and lemma not in r.pat.first_party_nouns and any(
        c.dep_ in ("compound", "nmod") for c in head.children)


def _resolve(r: Reading, head: Token) -> list[str]:
    if head.lemma_.lower() == "company" and any(c.lower_ == "parent" for c in head.children):
        return [OWN_AFFILIATES] if "parties" not in r.disabled else []  # "our parent company" is not "our company"
    if head.lower_ in FIRST_PERSON or names_first_party(r, head):
        return [r.first_party]
    if head.lower_ in SECOND_PERSON:
        return [USER]
    tokens = np_tokens(head, r.pat, include_clauses=False) - _other_party_tokens(head)
    found = [m for m in r.mentions.within("entity", tokens) if not is_modifier(m)]
    if not found and head.lemma_.lower() in r.pat.party_nouns:  # "third party developers", "advertising partners"
        found = [m for m in r.mentions.within("entity", tokens) if m.root.head == head]
    examples = [m for m in found if _under_example(m.root, head)]
    ids = _own_group(r, [m.id for m in (examples or found)], tokens)
    if not ids and head.lemma_.lower() in r.pat.party_nouns and any(
            c.dep_ == "det" and c.lower_ in ("these", "those", "such") for c in head.children):
        ids = _last_named(r, head)  # "We work with advertising partners, and these companies may collect ..."
    if not ids and "parties" not in r.disabled:
        ids = _party_modified(r, head, tokens) or _referred_site(r, head) or _brand(r, head, tokens) \
            or _repeated_party(r, head) or _operating_relative(r, head)
    if not ids and _other_users(r, head):  # (before the feature: "other members of a chat" are no operator)
        ids = [OTHER_USERS]
    if not ids:  # a role noun "of" a feature we run names someone else: "the creator of a sticker"
        ids = [op for m in r.mentions.within("feature", tokens) if not is_modifier(m) and (op := r.operator(m.id))
               and not (op == r.first_party and head.lemma_.lower() in r.pat.party_nouns
                        and "parties" not in r.disabled)]
    if not ids and "parties" not in r.disabled and _names_a_party(r, head):
        ids = _operator_named(r, head)
    if not ids and "parties" not in r.disabled:
        ids = _operator_of_named_feature(r, head)
    if not ids and "parties" not in r.disabled and (_names_a_party(r, head) or _names_company(r, head)):
        ids = [GENERIC_THIRD_PARTY]
    if not ids and head.lemma_.lower() in OWN_TOOLS and (any(
            t.lower_ in FIRST_PERSON for t in head.children if t.dep_ == "poss") or _referred_tool(r, head)
            or _used_tool(r, head)):
        ids = [r.first_party]
    return list(dict.fromkeys(ids))


OPERATING_VERBS = frozenset({"operate", "run", "provide", "power", "own", "manage"})
OTHER_MARKS = frozenset({"third", "third-party", "other", "another", "external", "independent", "unaffiliated"})


def _operator_named(r: Reading, head: Token) -> list[str]:
    """A party named only by its role ("a licensed entity", "a company") as the agent of operating a feature or
    party the ontology knows is that one's operator: "Weixin Pay is operated by a licensed entity that collects
    ..." (the entity is Weixin Pay's operator, an affiliate), as the features' ``operator`` says; none when the
    noun says it is someone else ("a third-party provider") or the operator is the policy's own party (a feature
    we run "powered by a map provider" is not ours to hand to that provider)."""
    by = head.head
    verb = by.head
    if head.dep_ != "pobj" or by.lower_ != "by" or verb.lemma_.lower() not in OPERATING_VERBS \
            or any(c.lower_ in OTHER_MARKS for c in head.subtree if c.i < head.i):
        return []
    subjects = {t.i for c in verb.children if c.dep_ == "nsubjpass" for t in c.subtree}
    ids = [op for m in r.mentions.within("feature", subjects) if (op := r.operator(m.id))]
    ids += [m.id for m in r.mentions.within("entity", subjects) if not is_modifier(m)]
    return [i for i in dict.fromkeys(ids) if i not in (r.first_party, USER)][:1]


OWNER_PRONOUNS = frozenset({"its", "their"})


def _operator_of_named_feature(r: Reading, head: Token) -> list[str]:
    """A role noun with "its / their" ("its developer", "their operators") after a feature another party runs is
    named in the sentence stands for that feature's operator: "When you open a Mini Program, its developer may
    collect X" (the Mini Program developer), "Messages you send to an Official Account are received by its
    operator". The feature named last before the noun (not as data: "your messages") decides; one we or an
    affiliate run gives nothing."""
    if head.lemma_.lower() not in r.pat.party_nouns or not any(
            c.dep_ == "poss" and c.lower_ in OWNER_PRONOUNS for c in head.children):
        return []
    data = {m.root.i for m in r.mentions.in_range("data_type", head.sent.start, head.i)}
    before = [m for m in r.mentions.in_range("feature", head.sent.start, head.i)
              if not is_modifier(m) and m.root.i not in data]  # "your messages" is data, not the feature
    operator = r.operator(before[-1].id) if before else None
    if operator is None or operator not in r.onto.entities or not r.onto.is_a("entity", operator, "third_party"):
        return []
    return [operator]


OTHER_USERS = "other_users"  # the app's other users (mappings/entities.yaml, kind user)
GATHERINGS = frozenset({"group", "chat", "conversation", "community", "channel", "room"})


def _other_users(r: Reading, head: Token) -> bool:
    """Users other than the data subject named by a user noun (``patterns.yml`` ``user_nouns``) that the
    ontology's aliases miss: "other members", "fellow participants", "members of the group (chat)"; not the
    members of the policy's own company group ("(other) members of our (corporate) group")."""
    if head.lemma_.lower() not in r.pat.user_nouns or head.pos_ != "NOUN" or OTHER_USERS not in r.onto.entities:
        return False
    gatherings = [o for p in head.children if p.dep_ == "prep" and p.lower_ in ("of", "in") for o in p.children
                  if o.dep_ == "pobj" and o.lemma_.lower() in GATHERINGS]
    if any(_corporate(o) for o in gatherings):
        return False
    return bool(gatherings) or any(c.lower_ in ("other", "another", "fellow") for c in head.children)


def _corporate(gathering: Token) -> bool:
    """"our group", "our corporate group", "the corporate group": the company's group, no gathering of users."""
    return any((c.dep_ == "poss" and c.lower_ in FIRST_PERSON) or c.lower_ == "corporate" for c in gathering.children)


# Things the policy's party runs: "our servers", "our analytics software"; with a referring determiner and no
# other party named before them in the sentence, "this software", "these widgets" (:func:`_referred_tool`).
OWN_TOOLS = frozenset({"server", "team", "system", "database", "application", "app", "tool", "software",
                       "technology", "program", "widget", "feature", "plugin", "plug-in", "script"})


def _referred_tool(r: Reading, head: Token) -> bool:
    """"This software may record ...", "These widgets may collect ...": a tool named by a referring determiner
    (not a possessive, not "a"/"any"), with no party named before it in its sentence, is one the policy's
    party runs on its site, as its instruments are (a third party's is resolved before: "third-party widgets",
    "that platform")."""
    if "parties" in r.disabled or any(c.dep_ == "poss" for c in head.children) or not any(
            c.dep_ == "det" and c.lower_ in REFERRING | {"these"} for c in head.children):
        return False
    return not any(head.sent.start <= m.span.start and m.span.end <= head.i and not is_modifier(m)
                   for m in r.mentions.by_kind["entity"])


PARTITIVES = frozenset({"range", "variety", "number", "set", "suite", "array", "combination", "kind", "type",
                        "couple", "mix", "series", "host"})


def _used_tool(r: Reading, head: Token) -> bool:
    """"We use analytics tools that collect ...", "we employ a variety of technologies which record ...": a tool
    (``OWN_TOOLS``, named by no party: a party's own is resolved before) that is the object of the first party's
    ``instrument_verbs`` verb acts for the party using it, as its instruments do (``_own_instrument``)."""
    return "parties" not in r.disabled and used_by_first_party(r, head)


def used_by_first_party(r: Reading, head: Token) -> bool:
    """True when the noun ``head`` (or the partitive it follows: "a range of technologies") is the object of a
    non-negated ``instrument_verbs`` verb ("use", "employ", "deploy" ...) whose subjects all name the first
    party ("we", "our company", the site's name): "We use <head> that ...". Not "we do not use <head>"."""
    noun = head
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lemma_.lower() in PARTITIVES:
        noun = noun.head.head  # "a range of technologies that collect ..."
    verb = noun.head
    if noun.dep_ != "dobj" or verb.lemma_.lower() not in r.pat.instrument_verbs or any(
            c.dep_ == "neg" or c.lower_ in r.pat.negation_words for c in verb.children):
        return False
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    return bool(subjects) and all(c.lower_ in FIRST_PERSON or names_first_party(r, c) for c in subjects)


REFERRING = frozenset({"the", "that", "such", "this"})
PLURAL_REFERRING = frozenset({"these", "those"})


def _repeated_party(r: Reading, head: Token) -> list[str]:
    """"the developer", "that service", "such providers": a role or service noun with a referring determiner
    (``REFERRING``, "these", "those") and no modifier of its own repeats the head noun of a party named earlier in
    the sentence, and stands for that party ("Details you give to a third-party service are processed by that
    service", "When you give X to a Mini Program developer, the developer uses it"); the last such party wins.
    Our own party is never referred back to so ("our service" stays ours, and "the service" names the app)."""
    lemma = head.lemma_.lower()
    if not _party_head(r, head) or any(c.dep_ in ("poss", "compound", "amod", "nmod") for c in head.children) \
            or not any(c.dep_ == "det" and c.lower_ in REFERRING | PLURAL_REFERRING for c in head.children):
        return []
    before = [m for m in r.mentions.by_kind["entity"] if head.sent.start <= m.span.start and m.span.end <= head.i
              and m.id not in (r.first_party, USER) and lemma in {t.lemma_.lower() for t in m.span}
              and (not is_modifier(m) or m.root.head.lemma_.lower() == lemma)]
    return [before[-1].id] if before else []


def _operating_relative(r: Reading, head: Token) -> list[str]:
    """A role noun whose relative clause says it operates a feature another party runs is that feature's
    operator: "the companies that operate Mini Programs", "developers who run Mini Programs" (``OPERATING_VERBS``;
    a feature we or an affiliate run gives nothing, as in :func:`_operator_of_named_feature`)."""
    if head.lemma_.lower() not in r.pat.party_nouns:
        return []
    verbs = [c for c in head.children if c.dep_ == "relcl" and c.lemma_.lower() in OPERATING_VERBS
             and any(s.dep_ == "nsubj" and s.lower_ in RELATIVE for s in c.children)]
    objects = {t.i for v in verbs for o in v.children if o.dep_ == "dobj" for t in o.subtree}
    operators = [op for m in r.mentions.within("feature", objects) if not is_modifier(m)
                 and (op := r.operator(m.id)) in r.onto.entities and r.onto.is_a("entity", op, "third_party")]
    return operators[:1]
THIRD_PARTY_MARKS = frozenset({"third-party", "third", "social", "external", "another", "other"})


def _referred_site(r: Reading, head: Token) -> list[str]:
    """"that website", "the platform", "such app" referring back to another party's site or account named
    earlier in the sentence (``patterns.yml`` ``site_nouns``): the party named last before it, else a generic
    third party when a third party's thing was named ("a link to a third-party website", "a social media
    account"). Our own ("our platform", "this Site" with no other party before it) and the user's stay out:
    :func:`names_first_party` has already taken the site's own name and "this/our Site"."""
    if head.lemma_.lower() not in r.pat.site_nouns or not any(
            c.dep_ == "det" and c.lower_ in REFERRING | PLURAL_REFERRING for c in head.children) or any(
            c.dep_ == "poss" for c in head.children):
        return []
    start = head.sent.start
    before = [m for m in r.mentions.by_kind["entity"] if start <= m.span.start and m.span.end <= head.i
              and not is_modifier(m) and m.id != r.first_party]
    if before:
        return [before[-1].id]
    marked = any(t.lower_ in THIRD_PARTY_MARKS and {t.head.lemma_.lower(), t.head.lower_} & {
        *r.pat.site_nouns, "account", "media", "network", "party"} for t in r.doc[start: head.i])
    return [GENERIC_THIRD_PARTY] if marked else []


def _names_a_party(r: Reading, head: Token) -> bool:
    """A party the ontology does not name, by its role noun (``patterns.yml`` ``party_nouns``): "third party
    publishers", "the participating dealer", "that business", "these companies" with no party named before
    (PolicyLint's entity extraction takes such role nouns as generic third parties: Andow et al., USENIX
    Security 2019). Not the first party's own ("our business"), not a data noun ("network information")."""
    if head.lemma_.lower() not in r.pat.party_nouns:
        return False
    if r.first_party not in r.onto.entities and _related_party(r, head) and any(
            _names_site(site_stem(r.first_party), [c], "".join(ch for ch in c.lower_ if ch.isalnum()))
            for c in head.children if c.dep_ in ("compound", "nmod")):
        return True  # "the participating Honda Dealer": a party the site's name modifies
    if head.pos_ != "NOUN" or (head.text[:1].isupper() and head.i != head.sent.start):
        return False  # a name ("Smithsonian Institution", "providing Company your email address"): the site's own
    if head.dep_ == "pobj" and head.head.lower_ in r.pat.recipient_preps and any(
            c.lower_ in ("these", "those", "such") for c in head.children):
        return False  # "transfer your information to such entity": the list's label or lead-in names it
    if any(c.pos_ == "PROPN" and not _named_place(r, c) for c in head.children) or _own_party_noun(r, head):
        return False  # "our business", "our company" may be the site itself; "our vendor" is not
    return not r.mentions.within("data_type", {head.i}) or _acting_subject(head)


def _acting_subject(head: Token) -> bool:
    """A role noun that also names data ("carrier": ``mobile_carrier``) as the subject of an active verb with an
    object of its own is the party, not the data: "the carrier that connects the call receives the number you
    dial" (not "carrier information is collected")."""
    verb = head.head
    return head.dep_ == "nsubj" and verb.pos_ == "VERB" and verb.i > head.i and any(
        c.dep_ == "dobj" for c in verb.children) and not any(c.dep_ == "auxpass" for c in verb.children)


def _own_party_noun(r: Reading, head: Token) -> bool:
    """"our company", "our business", "our group company": a noun (``own_party_nouns``) after "our" that may
    name the policy's own party or group; not when a noun modifier names another trade ("our hosting company",
    "our logistics firm": ``own_group_modifiers`` lists the modifiers that keep it our own)."""
    if head.lemma_.lower() not in r.pat.own_party_nouns or not any(
            c.dep_ == "poss" and c.lower_ in FIRST_PERSON for c in head.children):
        return False
    trades = [c for c in head.children if c.dep_ in ("compound", "amod") and c.pos_ in ("NOUN", "VERB")
              and c.lemma_.lower() not in r.pat.own_group_modifiers]
    return not trades


def _names_company(r: Reading, head: Token) -> bool:
    """A company named by a proper noun phrase ending in a legal form (``patterns.yml`` ``company_suffixes``):
    "Acme Analytics Ltd", "Zelda Corp", "Northwind Payments Inc." (a word of the name may be a data or feature
    word: "Analytics"). The ontology's parties and their brands and the first party's own name are resolved
    before; a bare suffix ("Inc." alone) names nothing. Only in a policy whose first party the ontology knows: a
    web site's policy names its own operating company by such a name, which rarely matches the site's domain."""
    if head.lower_.rstrip(".") not in r.pat.company_suffixes or not head.text[:1].isupper() \
            or r.first_party not in r.onto.entities:
        return False  # (a web site's policy names its own operator so: "The WP Company LLC", "Valve S.a.r.l")
    names = [t for t in head.lefts if t.dep_ in ("compound", "nmod", "amod", "flat") and t.text[:1].isupper()]
    return bool(names) and not any(r.mentions.at(k, head) for k in ("feature", "data_type", "entity"))


def _named_place(r: Reading, token: Token) -> bool:
    """A proper-name modifier of a role noun that names where the party works, not the party: a feature of the
    ontology ("Weixin Shop merchants", "Channels creators") or, in a policy whose first party the ontology knows,
    a known party's name ("WeChat Pay merchants", "Weixin developers"): the role noun is someone else."""
    kinds = ("feature", "entity") if r.first_party in r.onto.entities else ("feature",)
    return any(m.span.start <= token.i < m.span.end for k in kinds for m in r.mentions.by_kind[k])


LIMITING = frozenset({"only", "just", "merely", "solely", "simply"})  # "not only X": no exclusion


def denied_party(token: Token) -> bool:
    """A noun of a subject's apposition or coordination that "not" excludes: "The merchant, not Weixin,
    receives ...", "Tenpay, and not WeChat, processes ...", "the developer (not us) collects ...". The parser
    hangs "not" on that noun or on the noun it follows ("merchant" -> neg "not", appos "Weixin"). The excluded
    party is never the actor ("We, not the merchant, keep ..." is ours); "not only X" excludes no one."""
    return any(c.i + 1 >= len(c.doc) or c.doc[c.i + 1].lower_ not in LIMITING for c in _negations_before(token))


def added_party(token: Token) -> bool:
    """A noun of a subject's apposition or coordination that "not only" adds: "The merchant, not only Weixin,
    receives ...", "the developer, and not just us, stores ...". "not only X" presupposes that X does it too
    (Huddleston & Pullum 2002, ch. 15 on correlative "not only ... (but) also"), so X is a second actor, not
    the same party as the noun it follows (an apposition would be) nor an excluded one (:func:`denied_party`)."""
    return any(c.i + 1 < len(c.doc) and c.doc[c.i + 1].lower_ in LIMITING
               for c in _negations_before(token, through_adverbs=True))


def _negations_before(token: Token, through_adverbs: bool = False) -> list[Token]:
    """The "not" of a noun of a subject's apposition or coordination (none for another noun): on the noun before
    it, or on the noun it follows between the two ("merchant" -> neg "not", appos "Weixin"); with
    ``through_adverbs`` also a "not" inside an adverb before it ("not only", parsed as advmod "only" <- neg "not")."""
    if token.dep_ not in ("appos", "conj"):
        return []
    negs = [c for c in token.children if c.dep_ == "neg" and c.i < token.i] + [
        c for c in token.head.children if c.dep_ == "neg" and token.head.i < c.i < token.i]
    if through_adverbs:
        negs += [c for t in token.children if t.dep_ == "advmod" and t.i < token.i for c in (t, *t.children)
                 if c.dep_ == "neg"]
    return negs


def _other_party_tokens(head: Token) -> set[int]:
    """Token indices of the appositions and conjuncts of ``head`` that name another party than ``head``: one
    "not" excludes (:func:`denied_party`) or "not only" adds (:func:`added_party`)."""
    return {t.i for c in head.children if denied_party(c) or added_party(c) for t in c.subtree}


def _under_example(token: Token, head: Token) -> bool:
    while token != head and token.head != token:
        if token.dep_ == "prep" and token.lower_ in EXAMPLE_PREPS:
            return True
        token = token.head
    return False


def resolve_all(r: Reading, heads: list[Token]) -> list[str]:
    """:func:`resolve` over several heads and their conjuncts, in order, without repeats."""
    out: list[str] = []
    for head in heads:
        added = [c for c in head.children if c.dep_ == "appos" and added_party(c)]
        for token in (head, *head.conjuncts, *added):
            if token.i < head.i or denied_party(token):
                continue
            out.extend(resolve(r, token))
    return list(dict.fromkeys(out))


FUNCTION_HEADS = frozenset({"service", "support", "desk", "helpdesk", "center", "centre", "team"})  # "customer service"
DESK_MODIFIERS = frozenset({"customer", "client", "user", "member", "support", "help", "technical", "service", "care"})
FUNCTION_DETERMINERS = frozenset({"our", "the"})


def own_function(heads: list[Token]) -> bool:
    """True when every recipient head in ``heads`` (at least one) is a bare customer-facing desk, not a party:
    "Information provided to customer service", "Information you provide to customer service". A function noun
    (:data:`FUNCTION_HEADS`) whose other words are only desk words (:data:`DESK_MODIFIERS`: "customer", "support",
    "help"; not "third-party", "translation" or a name), with no determiner but "our"/"the" and no conjunct (in
    "SMS, customer service, and content delivery service providers" the series shares "providers", a party noun)
    names the desk of the business the user deals with, which is the first party: a department is no party of its
    own (the customer-service entity of ``mappings/entities.yaml`` is the provider a business engages, named by
    "providers" or a list sharing it)."""
    return bool(heads) and all(
        h.lemma_.lower() in FUNCTION_HEADS and not h.conjuncts
        and all(c.lower_ in FUNCTION_DETERMINERS for c in h.children if c.dep_ in ("det", "poss"))
        and all(t.lower_ in DESK_MODIFIERS for t in h.subtree if t != h and t.dep_ not in ("det", "poss"))
        for h in heads)
