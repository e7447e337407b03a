"""The names a policy gives its own party (document level): "Valve Corporation ("Valve", "we" or "us")", "At the
Acme Group, Inc. ("Acme"), we ...", "Hat Shop respects your privacy", "This is the web site of the Federal Reserve
Bank of X", "Acme Privacy Policy".

A web site's policy often calls itself by a name that is not its domain ("Valve" on steampowered.com); a sentence
whose subject is that name ("Valve collects ...") states the first party's practice. As PolicyLint (Andow et al.,
USENIX Security 2019, entity extraction) and PoliGraph (Cui et al., USENIX Security 2023, "we" coreference and the
first-party node) do, the names the text declares equivalent to "we" resolve to the first party everywhere in the
document. Only declarative shapes count (a definitional parenthetical with "we"/"us"/"our", or one in the opening
of the policy; "X respects your privacy"; "this web site is operated by X"; a title "X Privacy Policy"), and never a
name the entity ontology knows (Google, Facebook: another party) or a generic word ("Site", "Services").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from policycheck.claims.model import BlockInput
from policycheck.ontology import Ontology

# a capitalised word; a dot only inside it ("S.A.R.L") or ending an abbreviation ("St."), never a sentence's end;
# at most 40 characters, so that a search over a block tries a bounded span at each start ("A.A.A..." of a whole
# block as one word made _DEFINITION's search quadratic: minutes for 200 KB)
_WORD = r"(?:[A-Z][a-z]{0,3}\.|[A-Z0-9](?:[\w&'’\-]|\.(?=\w)){0,39})"
_NAME = (rf"(?:[Tt]he\s+)?{_WORD}(?:(?:\s+(?:of|and|&|for|de|du|la))?\s+{_WORD}){{0,7}}"
         r"(?:,?\s+(?:Inc|LLC|Ltd|L\.L\.C|Corp|Co)\.?)?")
_QUOTED = re.compile(r"[\"“”'‘’]([^\"“”'‘’()]{1,40})[\"“”'‘’]")
# NAME (... "alias" ...): a definitional parenthetical (PolicyLint's "X ("we")" shape)
_DEFINITION = re.compile(rf"(?P<name>{_NAME})(?:,?\s+and\s+(?:its|the|our)\s+(?:affiliates|subsidiaries|"
                         rf"affiliated companies|related companies))?\s*\((?P<inner>[^()]{{1,140}})\)")
_COLLECTIVE = re.compile(rf"^\s*(?:collectively|together|hereinafter|hereafter)(?: referred to as)?,?\s*"
                         rf"(?:as\s+)?(?:the\s+)?(?P<alias>{_WORD}(?:\s+{_WORD}){{0,3}})\s*$")
# statements only a policy's own party makes of itself
_STATEMENTS = (
    re.compile(rf"(?:^|(?<=\s))(?P<name>{_NAME})(?:\s*\((?P<inner>[^()]{{1,140}})\))?,?\s+"
               rf"(?:respects?|values?|is committed to|are committed to|cares? about|recogni[sz]es? the importance of)"
               rf"\s+(?:[\w ,]{{0,30}}\s+)?"
               rf"(?:your|the|its|our|user|users'|visitor|visitors'|customer|customers'|consumer|consumers')\s+privacy"),
    re.compile(rf"(?:^|[.!?:]\s+)At\s+(?P<name>{_NAME})(?:\s*\([^()]{{1,140}}\))?,\s+we\b"),
    re.compile(rf"\b[Tt]his\s+(?:is\s+the\s+)?(?:web\s?site|site|online service)\s+(?:is\s+)?(?:owned and operated "
               rf"by|operated by|owned by|maintained by|of)\s+(?P<name>{_NAME})"),
    re.compile(rf"\b[Tt]his\s+(?:online\s+)?(?:privacy\s+)?(?:policy|statement|notice)\s+(?:describes|explains|sets "
               rf"out|covers)\s+how\s+(?P<name>{_NAME})\s+(?:collects?|uses?|gathers?|handles?|treats?)"),
    re.compile(rf"(?:^|[.!?:]\s+)(?P<name>{_NAME})\s+(?:has adopted|has created|has developed|maintains|publishes)"
               rf"\s+this\s+(?:online\s+)?(?:privacy\s+)?(?:policy|statement|notice)"),
)
_TITLE = re.compile(rf"^\s*(?P<name>{_NAME})(?:'s|’s)?\s+(?:Online\s+)?Privacy\s+(?:Policy|Statement|Notice)\b")
# words a definition gives to things, not to a party, and words that never name one on their own
GENERIC = frozenset({
    "we", "us", "our", "you", "your", "i", "site", "sites", "website", "websites", "web site", "service", "services",
    "app", "apps", "application", "applications", "policy", "privacy policy", "privacy", "terms", "user", "users",
    "company", "the company", "platform", "network", "content", "information", "personal information", "data",
    "online services", "products", "program", "programs", "this", "the", "a", "an", "it", "they",
})
LEGAL_SUFFIXES = frozenset({"inc", "inc.", "llc", "l.l.c.", "ltd", "ltd.", "limited", "corp", "corp.", "corporation",
                            "co", "co.", "company", "plc", "gmbh", "s.a.r.l", "s.a.r.l.", "sarl", "s.a.", "lp", "l.p.",
                            "llp", "group", "incorporated"})
OPENING_BLOCKS = 3  # a bare definitional parenthetical counts in the policy's first blocks only
PARTY_WORDS = frozenset({"partner", "partners", "provider", "providers", "vendor", "vendors", "advertiser",
                         "advertisers", "affiliates", "affiliate", "third", "parties", "party", "network", "networks",
                         "sponsor", "sponsors", "alliance"})


def name_key(text: str) -> str:
    """A name compared as letters and digits only, lower case, without a leading "the", a trailing "'s" or legal
    suffixes: "the Acme Group, Inc." -> ``acme``, "Valve's" -> ``valve``."""
    words = re.sub(r"[’']s\b", "", text.strip()).replace(",", " ").split()
    if words and words[0].lower() == "the":
        words = words[1:]
    while len(words) > 1 and words[-1].lower() in LEGAL_SUFFIXES:
        words = words[:-1]
    return "".join(ch for w in words for ch in w.lower() if ch.isalnum())


def _definition_names(text: str, opening: bool) -> list[str]:
    """Names of definitional parentheticals in ``text``: with a first-person alias anywhere, without one only in
    the policy's opening (``opening``): "Acme Inc. ("Acme", "we")", "Valve Corporation (collectively, Valve)"."""
    out: list[str] = []
    for m in _DEFINITION.finditer(text):
        inner = m.group("inner")
        aliases = [a for a in _QUOTED.findall(inner) if a.strip().lower() not in ("we", "us", "our")]
        collective = _COLLECTIVE.match(inner.replace("“", "").replace("”", "").replace('"', ""))
        if collective:
            aliases.append(collective.group("alias"))
        first_person = _equates_we(inner, aliases)
        if not (first_person or (opening and aliases)):
            continue
        out += [m.group("name"), *aliases]
    return out


def _equates_we(inner: str, aliases: list[str]) -> bool:
    """Whether a parenthetical declares its name equal to "we": besides its quoted aliases it holds only "we",
    "us", "our" and the words of a list or a definition ("collectively", "or", "hereinafter referred to as")."""
    rest = _QUOTED.sub(lambda m: m.group(1) if m.group(1).strip().lower() in ("we", "us", "our") else " ", inner)
    for alias in aliases:
        rest = rest.replace(alias, " ")
    words = re.findall(r"[\w’']+", rest.lower())
    return bool(words) and any(w in ("we", "us", "our") for w in words) and all(w in _DEFINITION_WORDS for w in words)


_DEFINITION_WORDS = frozenset({"we", "us", "our", "or", "and", "collectively", "together", "hereinafter", "hereafter",
                               "referred", "to", "as", "the", "also", "sometimes", "ours", "either"})
_TITLE_WORDS = frozenset({"privacy", "policy", "statement", "notice", "agreement", "effective", "date", "children",
                          "children's", "this", "our", "updated", "last", "commitment", "overview", "introduction",
                          "terms", "welcome", "important", "general", "information", "online", "about", "your",
                          "revised", "scope", "summary", "contents"})
_THING_NOUNS = frozenset({"site", "sites", "website", "websites", "service", "services", "entities", "policy",
                          "application", "applications", "apps", "app", "data", "information", "content", "products",
                          "program", "programs", "network", "networks", "terms", "statement", "notice"})


def _untitled(name: str) -> str:
    """``name`` without the title or heading words run into it in front ("Privacy Policy Agreement Valve
    Corporation" -> "Valve Corporation"): the words after the last title word."""
    words = name.split()
    cut = max((i + 1 for i, w in enumerate(words) if w.lower().strip(".,:") in _TITLE_WORDS), default=0)
    return " ".join(words[cut:]) if cut < len(words) and words[cut][:1].isupper() else ("" if cut else name)


def _statement_names(text: str) -> list[str]:
    """Names of the statements only a policy's own party makes of itself (:data:`_STATEMENTS`), with the quoted
    aliases of a parenthetical after the name ("Acme Finance Corporation ("AFC") respects your privacy")."""
    out: list[str] = []
    for pattern in _STATEMENTS:
        for m in pattern.finditer(text):
            inner = m.groupdict().get("inner") or ""
            out += [m.group("name"), *(a for a in _QUOTED.findall(inner) if a.strip().lower() not in ("we", "us"))]
    return out


def known_party_keys(onto: Ontology) -> frozenset[str]:
    """Keys (:func:`name_key`) of every English name and alias of the entity ontology: parties the policy names
    that are never its own web site (Google, Facebook, "service providers")."""
    return frozenset(name_key(n) for e in onto.entities.values() for n in e.names("en"))


def acceptable(name: str, known: frozenset[str]) -> bool:
    """Whether ``name`` may name the first party: a capitalised name, not a generic word, not a party the
    ontology knows (nor containing one as a word), not a role noun ("Advertising Partners")."""
    key = name_key(name)
    words = [w.lower().strip(".,") for w in name.split()]
    if len(key) < 2 or key in {name_key(w) for w in LEGAL_SUFFIXES} or words[-1] in _THING_NOUNS:
        return False
    if not name[:1].isupper() and not name.lower().startswith("the "):
        return False
    if name.lower().strip() in GENERIC or " ".join(w for w in words if w != "the") in GENERIC:
        return False
    if key in known or any(name_key(w) in known and len(name_key(w)) >= 3 for w in words):
        return False
    return not PARTY_WORDS & set(words)


def own_names(blocks: Sequence[BlockInput], onto: Ontology) -> tuple[str, ...]:
    """The names the policy of ``blocks`` (one version, in order) gives its first party, as keys
    (:func:`name_key`), in order of first occurrence; ``()`` when its first party is an ontology entity (WeChat:
    its names are the ontology's). Sources: definitional parentheticals, self-describing statements and the
    title (module docstring)."""
    if not blocks or blocks[0].first_party in onto.entities:
        return ()
    found: list[str] = []
    texts = [b for b in blocks if b.text.strip()]
    for n, block in enumerate(texts):
        found += _definition_names(block.text, n < OPENING_BLOCKS)
        found += _statement_names(block.text)
        if n == 0:
            found += [m.group("name") for m in [_TITLE.match(block.text)] if m]
    known = known_party_keys(onto)
    names = [u for n in found if (u := _untitled(n)) and acceptable(u, known)]
    return tuple(dict.fromkeys([*(name_key(n) for n in names), *(h for n in names if (h := _head_alias(n)))]))


def _head_alias(name: str) -> str | None:
    """The head noun of a name "X Y Bank of Z" as "the bank": the policy may call itself "the Bank"."""
    before = name.split(" of ")[0].split() if " of " in name else []
    if len(before) < 2 or not before[-1][:1].isupper() or before[-1].lower() in LEGAL_SUFFIXES:
        return None
    return f"the {before[-1].lower()}"

