"""Table rows: "Registration data and log in data. Your name, alias, ... mobile number ... | - To set up your
WeChat account ...; - to facilitate your use of Weixin features; ... | Registration data is retained ...".

The header gives each column a role (``patterns.yml`` ``table_roles``: data, purpose, retention, recipient,
source; every data column adds to the row's data: "Category" and its "Examples"). A row of a table with a data
column states one practice per data type its data cell lists (the label and the verbless or "which includes"
sentences of the cell's first lines, before "Legal Basis"): ``collect`` with the purpose column as purpose;
``retain`` in a data/retention table; ``share`` with the recipient column's party in a transfer table;
``collect`` and ``share`` in a table of what is collected and to whom it is disclosed (a sources column or a
lead-in about collecting; "None" / "Not disclosed" negates the share); ``retain`` too when a retention column or
the table's lead-in is about keeping the data (:func:`row_actions`). Each purpose bullet naming a feature the
user uses ("People Nearby and Shake, which rely on your GPS") adds the same practices with that feature as
context. Every line of every cell is also read as text, with the row's data types standing for "this
information" / "the data".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

from policycheck.claims.english.actors import resolve
from policycheck.claims.english.enumerations import listed_refs, members_typed
from policycheck.claims.english.frame import ROOT_DATA_TYPE, USER, DataRef, Practice, Reading
from policycheck.claims.english.patterns import Patterns
from policycheck.claims.english.typing import FALLBACK, HEAD_WORD, phrase_words, singular, type_index

BULLETS = ("- ", "* ", "• ", "· ", "– ")


@dataclass(frozen=True)
class Line:
    """One line of a cell: ``text`` without its bullet, ``offset`` in the block text, the column's ``role``."""

    text: str
    offset: int
    role: str | None
    column: int
    index: int  # line number within the cell


def roles(header: tuple[str, ...] | None, width: int, pat: Patterns) -> list[str | None]:
    """The role of each column from its header cell (``None`` when no role matches)."""
    if not header or len(header) != width:
        return [None] * width
    out: list[str | None] = []
    for cell in header:
        lower = cell.lower()
        out.append(next((role for role, words in pat.table_roles if any(w in lower for w in words)), None))
    return out


def realigned(header: tuple[str, ...] | None, cells: tuple[str, ...],
              pat: Patterns | None = None) -> tuple[str, ...]:
    """The cells of a row whose first cells span it from an earlier row (HTML ``rowspan``): such a row holds
    only its last columns, stored left-aligned and padded with empty cells ("customer service | Mobile address
    book ... | From time to time | Until ... | | " under a six-column header: the recipient and its location span
    the rows below them). Its k leading non-empty cells (k >= 2, followed only by at least two empty ones) are
    moved to the last k columns. A row missing a single column is left as it is: which column spans it (often a
    middle one, "Items | Relevant Statute | Retention Period") cannot be told from the row; so is a row whose
    first cell fills the header's first column itself (:func:`_identifies_party`, with ``pat``: "Cloudlane
    Hosting B.V. | Netherlands | Hosting our servers | | | " names a recipient and no items)."""
    if not header or len(header) != len(cells):
        return cells
    filled = [bool(c.strip()) for c in cells]
    k = filled.index(False) if False in filled else len(cells)
    if k < 2 or len(cells) - k < 2 or any(filled[k:]):
        return cells
    if pat is not None and roles(header[:1], 1, pat) == ["recipient"] and _identifies_party(cells[0], pat):
        return cells
    return ("",) * (len(cells) - k) + tuple(cells[:k])


_PARENTHESES = re.compile(r"\([^()]*\)")


def _identifies_party(cell: str, pat: Patterns) -> bool:
    """A cell that identifies a party as a recipient column does: a company's legal name (ending in
    ``patterns.yml`` ``company_suffixes``, a place in parentheses left out: "Cloudlane Hosting B.V.", "Northwind
    Verify Ltd. / privacy@...", "Acme Cloud (Singapore) Pte. Ltd.") or a contact address ("dpo@example.com")."""
    name = _PARENTHESES.sub(" ", cell.split("/")[0]).split()  # "Tencent Technology (Shenzhen) Company Limited"
    return "@" in cell or (len(name) > 1 and name[-1].lower().strip(".,;") in pat.company_suffixes)


def row_actions(column_roles: list[str | None], lead_in: str | None, pat: Patterns,
                section: str = "") -> list[str]:
    """The actions a data table's rows state (none when the table lists no data): ``share`` in a transfer table
    (a recipient column); ``retain`` in a retention table, one about keeping the data: a retention column
    ("Retention Period", "How long we keep it", "Storage period") or a lead-in about retention ("We keep the
    following data for the periods below:", "The mandatory retention periods ... are as follows:") or a
    section titled so ("How long do we keep hold of your data?"), and no purpose column; otherwise ``collect``
    (a purpose column says why the data is collected; what its retention cell says is read from the cell's own
    sentences: "Retained until ..." states the retention, "deleted within ..." states none)."""
    if "data" not in column_roles:
        return []
    if "recipient" in column_roles:
        # a table of what is collected, where from and to whom it is disclosed ("Category | Examples | Sources |
        # Purposes | Disclosed to", after "we have collected the following categories ..."): collect and share
        collected = "source" in column_roles or bool(lead_in and pat.collection_lead_in.search(lead_in))
        return ["collect", "share"] if collected else ["share"]
    heading = section.rsplit(">", 1)[-1]
    retention = "retention" in column_roles or any(bool(t and pat.retention_lead_in.search(t))
                                                   for t in (lead_in, heading))
    return ["retain"] if retention and "purpose" not in column_roles else ["collect"]


def lines(text: str, cells: tuple[str, ...], column_roles: list[str | None]) -> list[Line] | None:
    """The lines of each cell located in the block text; ``None`` when the cells cannot be found in it."""
    out: list[Line] = []
    pos = 0
    for column, (cell, role) in enumerate(zip(cells, column_roles, strict=True)):
        start = text.find(cell, pos)
        if start < 0:
            return None
        pos = start + len(cell)
        offset = start
        for index, raw in enumerate(cell.split("\n")):
            line, at = raw, offset
            stripped = line.lstrip()
            at += len(line) - len(stripped)
            for bullet in BULLETS:
                if stripped.startswith(bullet):
                    stripped, at = stripped[len(bullet):].lstrip(), at + len(bullet)
                    break
            stripped = stripped.rstrip()
            if stripped:
                out.append(Line(stripped, at, role, column, index))
            offset += len(raw) + 1
    return out


def is_note(line: Line, pat: Patterns) -> bool:
    return line.text.lower().startswith(pat.table_note_prefixes)


def _is_list(sentence: Span, r: Reading) -> bool:
    """A data-cell sentence that lists data ("Your on-device contact list.", "This comprises ...", "Any
    information that you include in your profile, which includes ...") rather than stating a practice ("Chat
    data is only stored on your device", "It is a unique identifier that ...")."""
    root = sentence.root
    if root.lemma_.lower() in r.pat.include_verbs:
        return True
    if (sentence[0].pos_ == "PRON" and sentence[0].dep_ in ("nsubj", "nsubjpass")) or \
            r.pat.verb_action.get(root.lemma_.lower()):
        return False
    return not any(c.dep_ in ("aux", "auxpass") or (c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "PRON")
                   for c in root.children)


SOURCE_OF = frozenset({"determined", "based", "derived", "calculated", "estimated", "inferred"})  # participles


def listed_data(r: Reading) -> list[DataRef]:
    """The data a data-cell line lists: mentions in its label (first sentence) and its list sentences
    (:func:`_is_list`, :func:`~policycheck.claims.english.enumerations.listed`), not the data it is found from
    ("Your city, as determined from your IP address": the city is listed, the IP address is its source)."""
    found = []
    for n, sentence in enumerate(r.doc.sents):
        if n == 0 or _is_list(sentence, r):
            found.extend(listed_refs(r, sentence))
    sources = {t.i for s in r.doc if s.lower_ in SOURCE_OF and (s.dep_ in ("amod", "acl", "advcl") or any(
        c.dep_ == "mark" and c.lower_ == "as" for c in s.children))
        for p in s.children if p.dep_ in ("prep", "agent") for t in p.subtree}
    return [d for d in found if d.token not in sources]


def row_data(data_readings: list[Reading]) -> list[DataRef]:
    """The row's data types: specific ones when there are any, first mention of each type. A data cell always
    names data, by its position: members without a type of their own get the type of the row's label ("Device
    Data. ..."), and a label the ontology does not know at all ("Additional account security", "Text message")
    is kept, typed from its head word or as ``personal_information`` (:func:`label_data`)."""
    listed = [(n, d) for n, r in enumerate(data_readings) for d in listed_data(r)]
    refs = [d for _, d in listed]
    if data_readings:
        first = next(iter(data_readings[0].doc.sents))
        label = [d for n, d in listed if n == 0 and d.token is not None and first.start <= d.token < first.end]
        refs = label + members_typed(label, [d for d in refs if d not in label])
        if not refs:
            refs = label_data(data_readings[0], first)
    specific = [d for d in refs if d.data_type != ROOT_DATA_TYPE]
    if specific:  # "... and any other information that we may request": a member of its own, not a summary
        specific += [d for n, d in listed if d.data_type == ROOT_DATA_TYPE and _other_member(data_readings[n], d)]
    out: dict[str, DataRef] = {}
    for d in specific or refs:
        out.setdefault(d.data_type, DataRef(d.data_type, d.text, None, d.basis))
    return list(out.values())


OTHER_WORDS = frozenset({"other", "additional", "further"})


def _other_member(r: Reading, ref: DataRef) -> bool:
    """A generic member that adds to a list rather than summing it up: "any other information (that we may
    request)", "additional details" (a modifier meaning "besides those named"), not "Any information that you
    include ..., which includes X" (the generic word the members belong to), nor "no other information"."""
    if ref.token is None or ref.token >= len(r.doc):
        return False
    children = list(r.doc[ref.token].children)
    if any(c.dep_ == "neg" or c.lower_ == "no" for c in children):
        return False  # "... and no other information": nothing more (review7)
    return any(c.dep_ == "amod" and c.lower_ in OTHER_WORDS for c in children)


def label_data(r: Reading, label: Span) -> list[DataRef]:
    """The data a data cell's label names when no mention and no data noun does: its head noun typed from its
    words (:mod:`.typing`), else ``personal_information`` (``fallback``); nothing for a label naming a party or
    holding no noun."""
    root = label.root
    subject = _misread_subject(label)
    if subject is not None:  # "Crash reports" read as a clause ("Crash" subject of "reports"): a noun phrase
        word, mods = singular(root.lower_), [*phrase_words(subject)[1], singular(subject.lower_)]
    elif root.pos_ not in ("NOUN", "PROPN") or r.mentions.at("entity", root) is not None:
        return []
    else:
        word, mods = phrase_words(root)
    mods = [w for w in mods if w not in r.pat.generic_qualifiers and w not in r.pat.weak_modifiers]
    # a label's unknown head is typed by one modifier, unless the head names a feature or purpose ("Additional
    # account security" is no account information)
    purpose = r.mentions.at("feature", root) is not None
    found = type_index(r.onto).type_words(word, mods, word in r.pat.attribute_nouns, known_data=not purpose)
    text = label.text.strip(" .;:")
    return [DataRef(found or ROOT_DATA_TYPE, text, root.i, HEAD_WORD if found else FALLBACK)]


def denies_disclosure(readings: list[Reading]) -> bool:
    """True when the recipient cell names no recipient but denies disclosure ("None", "Not disclosed",
    ``patterns.yml`` ``table_none_cell``): the row's share is negated."""
    return bool(readings) and all(r.pat.table_none_cell.search(r.doc.text.strip()) for r in readings)


def _misread_subject(label: Span) -> Token | None:
    """The noun the parser made the subject of a label's last word, when the label is a bare noun phrase it read
    as a clause ("Crash reports", "Error logs": a noun subject and a present-tense verb with nothing else), else
    ``None``. A table's data cell labels data, so such a label is the compound noun it looks like."""
    root = label.root
    words = [t for t in label if not t.is_punct]
    if root.pos_ != "VERB" or root.tag_ != "VBZ" or not words or words[-1] != root:
        return None
    children = [c for c in root.children if not c.is_punct]
    if len(children) == 1 and children[0].dep_ == "nsubj" and children[0].pos_ in ("NOUN", "PROPN"):
        return children[0]
    return None


def party_collects(header: tuple[str, ...] | None, column_roles: list[str | None], lead_in: str | None,
                   pat: Patterns) -> bool:
    """A list of third parties and the data each collects (a third-party SDK list: "SDK name | Provider |
    Purpose | Personal information collected"): a header cell or the lead-in names an SDK, or a header cell names
    a party (``patterns.yml`` ``party_table_cues``) and the data column's header a collection ("collected",
    "obtained"). Its rows are the row's party's collection, not ours nor a share (the convention of the Chinese
    guidelines' 第三方SDK目录 in tests/gold/claims_zh.yaml)."""
    if not header or "data" not in column_roles:
        return False
    cells = [h.lower() for h in header]
    if any("sdk" in h for h in cells) or (lead_in and "sdk" in lead_in.lower()):
        return True
    data = [h for h, role in zip(cells, column_roles, strict=False) if role == "data"]
    return any(w in h for h in cells for w in pat.party_table_cues) and any(
        pat.collection_lead_in.search(h) or "obtain" in h for h in data)


def party_columns(header: tuple[str, ...], column_roles: list[str | None], pat: Patterns) -> list[int]:
    """The columns of a :func:`party_collects` table that name the party: its recipient and party columns, or
    the SDK's name."""
    cells = [h.lower() for h in header]
    named = [i for i, (h, role) in enumerate(zip(cells, column_roles, strict=False))
             if role == "recipient" or (role is None and any(w in h for w in pat.party_table_cues))]
    return named or [i for i, h in enumerate(cells) if "sdk" in h and column_roles[i] != "data"]


def row_parties(readings: list[Reading], sdk: bool) -> list[str]:
    """The parties a :func:`party_collects` row names (a company the ontology knows, a role noun), else the SDK
    providers (an SDK list) or a generic third party; never the policy's own party. In an SDK list a party known
    only as a company ("Delta Labs Ltd.": a generic third party) is the SDK's provider."""
    ids = row_recipients(readings)
    if sdk and ids == ["third_party"]:
        return ["sdk_provider"]
    return ids or (["sdk_provider"] if sdk else ["third_party"])


def row_recipients(readings: list[Reading]) -> list[str]:
    ids: list[str] = []
    for r in readings:
        for sentence in r.doc.sents:
            ids.extend(i for i in resolve(r, sentence.root) if i not in (USER, r.first_party))
    return list(dict.fromkeys(ids))


def row_transfer(practice: Practice, first_party: str) -> bool:
    """A first-party transfer of the row's own data (read from a cell line without data of its own:
    "Transmitted over the network when you register" in a transfer table's "Date and method of transfer"
    column). In a transfer table it is a practice of the row beside the share (the labelling conventions of
    tests/gold/claims_en.yaml): its context is the row's, not when the data is sent."""
    return practice.action == "transfer" and not practice.negated and practice.actors == [first_party] \
        and bool(practice.data) and all(d.token is None for d in practice.data)


def _purpose_features(r: Reading, sentence: Span) -> list[str]:
    """The features a purpose sentence names as the row's contexts: not a purpose-like one (security, account
    management, support: ``patterns.yml`` ``purpose_like_features``), nor one named only inside a parenthesis that
    explains such a purpose ("For security and account management (so as to ensure there are no suspicious
    log-ins)": the log-ins say what security watches, no part of the app the data is used in)."""
    out: list[str] = []
    explained = False  # a purpose-like feature came before
    for m in r.mentions.in_range("feature", sentence.start, sentence.end):
        if r.is_root_feature(m.id):
            continue
        if m.id in r.pat.purpose_like_features:
            explained = True
            continue
        before = r.doc[sentence.start: m.span.start]
        if explained and sum(t.text == "(" for t in before) > sum(t.text == ")" for t in before):
            continue
        out.append(m.id)
    return list(dict.fromkeys(out))


def feature_labelled(r: Reading, sentence: Span, practices: list[Practice], row: list[DataRef]) -> list[Practice]:
    """A retention-cell line (``r.cell_role``) opened by a label naming only features ("Moments and Status:
    retained until you delete such post"): the period is the row's data kept in those features, so a practice
    whose data is only the label's words (read as data: "Moments" as posts) keeps the row's data with the label's
    features as contexts; unchanged when the row's data holds the label's data types (a row about posts) or the
    line has no such label. Input: the line's reading, one sentence of it, its practices, the row's data; output:
    the practices, changed or not."""
    colon = next((t for t in sentence if t.text == ":"), None)
    if r.cell_role != "retention" or colon is None or colon.i - sentence.start > 6 or not row:
        return practices
    label = range(sentence.start, colon.i)
    features = [m for m in r.mentions.in_range("feature", label.start, label.stop) if not r.is_root_feature(m.id)]
    covered = {i for m in features for i in range(m.span.start, m.span.end)}
    if not features or any(r.doc[i].pos_ in ("NOUN", "PROPN") and i not in covered for i in label):
        return practices
    row_types = {d.data_type for d in row}
    contexts = list(dict.fromkeys(m.id for m in features))
    return [p.but(data=list(row), contexts=contexts)
            if p.data and all(d.token in label and d.data_type not in row_types for d in p.data) else p
            for p in practices]


def row_practices(sentence: Span, actions: list[str], data: list[DataRef], actors: list[str], purpose: str | None,
                  purpose_readings: list[tuple[Reading, Span]], recipients: list[str],
                  denied: bool = False) -> list[Practice]:
    """The row's practices by ``actors`` (the first party, or the row's party in a :func:`party_collects`
    table), per action: without context, and once more with the features the purpose sentences name as its
    contexts (``purpose_readings``: a reading of a purpose line and one of its sentences; each feature once, in
    order), except a transfer table's transfer (:func:`row_transfer`: the purposes are the recipient's, the
    share's context, as tests/gold/claims_en.yaml labels the Korean transfer table); ``denied``: the recipient
    cell denies disclosure (the share is negated)."""
    out = []
    for action in actions:
        base = Practice(sentence, action, denied and action == "share", actors, data,
                        recipients=recipients if action in ("share", "transfer") else [], purpose=purpose)
        out.append(base)
        named = [f for r, purpose_sentence in purpose_readings for f in _purpose_features(r, purpose_sentence)]
        if named and action != "transfer":
            out.append(base.but(contexts=list(dict.fromkeys(named))))
    return out
