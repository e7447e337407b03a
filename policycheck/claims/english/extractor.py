"""The English front end: blocks -> units of text -> one ``nlp.pipe`` pass -> annotators -> claims.

Each block becomes units (a paragraph; a list item, with its lead-in read beside it; each line of each table
cell). Distinct unit texts of a batch are parsed once with spaCy's ``nlp.pipe`` and matched against the
ontology; then, per sentence, :mod:`verbs` finds practices (with :mod:`actors`, :mod:`enumerations`,
:mod:`negation`, :mod:`context` and :mod:`scope`), :mod:`definitions` finds defined terms, and :mod:`tables`
adds the practices a table row states by its structure. A list item inherits its lead-in: the lead-in's
practice takes the item's data ("including: device attributes ..."), its party ("selected recipients,
including: service providers") or its context ("disclosed ...: when you use location-based features").
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from policycheck import config
from policycheck.claims.english import definitions, nlp, own_names, repair, skip, tables, verbs
from policycheck.claims.english.context import clause_features
from policycheck.claims.english.enumerations import listed_refs, members_typed
from policycheck.claims.english.frame import USER, DataRef, Practice, Reading
from policycheck.claims.english.lexicon import Lexicon, Mentions
from policycheck.claims.english.patterns import Patterns
from policycheck.claims.english.patterns import load as load_patterns
from policycheck.claims.english.scope import default_context, pair_contexts, refine_actor
from policycheck.claims.english.typing import type_index
from policycheck.claims.model import BlockInput, BlockResult, ClaimDraft
from policycheck.claims.pipeline import FrontEnd, rough_sentences, version_stamp
from policycheck.ontology import Ontology

NAME = "policycheck-en"
LABEL_POS = frozenset({"NOUN", "PROPN", "ADJ", "CCONJ", "DET", "NUM"})
CODE_VERSION = "1.54.0"  # bump when the code's output changes; patterns, ontology and model are hashed in
log = logging.getLogger(__name__)

# spaCy parses in this many processes once a batch has enough texts to pay for loading the model in a second
# process (measured on the 645 English texts of the main job: 6.3 s in one process, 5.0 s in two, README
# "Scale"); $POLICYCHECK_SPACY_PROCESSES overrides it.
PARALLEL_TEXTS = 500


def _processes(texts: int) -> int:
    wanted = config.env_count("POLICYCHECK_SPACY_PROCESSES")
    if wanted:
        return wanted
    return min(2, os.cpu_count() or 1) if texts >= PARALLEL_TEXTS else 1


# A clause number opening a block ("1.7 When you use People Nearby, ...", "5.1.1 To view ..."),
# the numbering of the Weixin Privacy Protection Guidelines and of Chinese apps' notices: the parser reads it as
# a noun the clause after it modifies, which hides the when-clause of the sentence.
CLAUSE_NUMBER = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2}){1,3}\.?(?=\s*[A-Z])")


def _one_line(exc: BaseException) -> str:
    """An exception as one line for a warning (its class and the first line of its message, at most 200
    characters): a log line, never a traceback, which could quote the text being parsed."""
    first = str(exc).splitlines()[0][:200] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


def unnumbered(text: str) -> str:
    """``text`` with its opening clause number blanked out (same length, so offsets stay those of ``text``)."""
    found = CLAUSE_NUMBER.match(text)
    return text if found is None else " " * found.end() + text[found.end():]


@dataclass
class Unit:
    """Text parsed as one doc. ``prefix``: characters of a lead-in parsed in front of the block's own text
    ("When you: link your WeChat contact list ..."); ``block_offset``: where the own text starts in the block."""

    text: str
    block_offset: int = 0
    prefix: int = 0
    line: tables.Line | None = None
    parse: bool = True


@dataclass
class Plan:
    """What to parse for one block: its units, the lead-in unit a list item inherits from, a table's column roles."""

    units: list[Unit] = field(default_factory=list)
    lead: Unit | None = None
    column_roles: list[str | None] = field(default_factory=list)
    cells: tuple[str, ...] = ()  # a table row's cells, realigned (:func:`tables.realigned`)


def _for_purpose(practice: Practice, lead: Span) -> bool:
    """True when the lead-in's "purpose(s)" phrase belongs to ``practice``'s clause (the verb governs it)."""
    verb = practice.verb
    return verb is None or any(t.lemma_.lower() == "purpose" and verb in t.ancestors for t in lead)


def _aside(practice: Practice, lead: Span) -> bool:
    """True when the practice's verb is inside a parenthesis of the lead-in, which the list does not continue
    ("we share ... (and all related group companies may only use it ...), including ..., for the purpose of:")."""
    if practice.verb is None:
        return False
    before = lead.doc[lead.start:practice.verb.i]
    return sum(t.text == "(" for t in before) > sum(t.text == ")" for t in before)


class EnglishExtractor(FrontEnd):
    """:class:`~policycheck.claims.model.Extractor` for English policies (spaCy ``en_core_web_sm``)."""

    name = NAME
    language = "en"

    def __init__(self, onto: Ontology) -> None:
        self.onto = onto
        self.pat: Patterns = load_patterns()
        model, model_version = nlp.model()
        self.version = version_stamp(CODE_VERSION, [self.pat.digest, model, model_version, nlp.TOKENIZER_VERSION,
                                                    *sorted(onto.files.values())])
        self._lexicon: Lexicon | None = None
        self._plans: dict[BlockInput, Plan] = {}  # the batch being read (:meth:`prepare`)
        self._parsed: dict[str, tuple[Doc, Mentions]] = {}

    @property
    def lexicon(self) -> Lexicon:
        if self._lexicon is None:
            self._lexicon = Lexicon(nlp.load(), self.onto, self.pat.idioms)
        return self._lexicon

    def document_names(self, blocks: Sequence[BlockInput]) -> tuple[str, ...]:
        """The names a web site's policy gives itself (:func:`own_names.own_names`; ``()`` with the ``own_names``
        phenomenon off)."""
        return () if "own_names" in self.disabled else own_names.own_names(blocks, self.onto)

    # ------------------------------------------------------------------ batch
    def prepare(self, blocks: Sequence[BlockInput]) -> None:
        """Plan every block's units and parse their distinct texts in one ``nlp.pipe`` pass."""
        self._plans = {b: self._plan(self.visible(b)) for b in blocks}
        plans = self._plans.values()
        self._parsed = self._parse(list(dict.fromkeys(u.text for p in plans for u in (*p.units, p.lead)
                                                      if u is not None and u.parse)))

    def read(self, block: BlockInput) -> BlockResult:
        """Claims of one block of the prepared batch (a block outside it is prepared on its own)."""
        if block not in self._plans:
            self.prepare([block])
        return self._read(self.visible(block), self._plans[block], self._parsed)

    def _parse(self, texts: list[str]) -> dict[str, tuple[Doc, Mentions]]:
        pipeline = nlp.load()
        lexicon = self.lexicon
        out: dict[str, tuple[Doc, Mentions]] = {}
        index = type_index(self.onto)
        processes = _processes(len(texts))  # outside the try: a malformed variable is the user's one-line error
        try:
            docs: Iterator[Doc] = pipeline.pipe([unnumbered(t) for t in texts], batch_size=128, n_process=processes)
            for text, doc in zip(texts, docs, strict=True):
                repair.parse_repairs(doc, index)
                out[text] = (doc, lexicon.find(doc))
        except Exception as exc:  # retry one by one so a single bad text only loses itself
            log.warning("spaCy failed on a batch (%s); parsing its texts one by one", _one_line(exc))
            for text in texts:
                if text in out:
                    continue
                try:
                    doc = pipeline(unnumbered(text))
                    repair.parse_repairs(doc, index)
                    out[text] = (doc, lexicon.find(doc))
                except Exception as one:
                    log.warning("spaCy could not parse a text of %d characters (%s); skipped", len(text),
                                _one_line(one))
        return out

    # ------------------------------------------------------------------ units
    def _plan(self, block: BlockInput) -> Plan:
        plan = Plan()
        if block.kind == "heading":
            return plan
        if block.kind == "table_row" and block.cells and "tables" not in self.disabled:
            cells = plan.cells = tables.realigned(block.header, block.cells, self.pat)
            plan.column_roles = tables.roles(block.header, len(cells), self.pat)
            found = tables.lines(block.text, cells, plan.column_roles)
            if found is not None:
                plan.units = [Unit(line.text, line.offset, line=line) for line in found]
        if not plan.units:
            plan.column_roles = []
            unit = Unit(block.text)
            lead = (block.lead_in or "").strip()
            if block.kind == "list_item" and lead:
                plan.lead = Unit(lead)
                if self._opener_fragment(lead):
                    prefix = lead.rstrip(" :") + " "
                    unit = Unit(prefix + block.text, 0, len(prefix))
            plan.units = [unit]
        for unit in (*plan.units, plan.lead):
            if unit is not None and skip.unit_reason(unit.text, self.pat):
                unit.parse = False
        return plan

    def _opener_fragment(self, lead: str) -> bool:
        """A lead-in that is only the start of a clause ("When you:"), read in front of each item."""
        words = lead.rstrip(" :").split()
        return lead.endswith(":") and 0 < len(words) <= 8 and words[0].lower() in self.pat.context_marks

    def _reading(self, block: BlockInput, unit: Unit, parsed: dict[str, tuple[Doc, Mentions]],
                 **extra: object) -> Reading | None:
        if unit.text not in parsed:
            return None
        doc, mentions = parsed[unit.text]
        return Reading(doc, mentions, self.pat, self.onto, block.first_party, block.section_path,
                       disabled=self.disabled, own_names=frozenset(block.own_names), **extra)  # type: ignore[arg-type]

    # ------------------------------------------------------------------ reading
    def _read(self, block: BlockInput, plan: Plan, parsed: dict[str, tuple[Doc, Mentions]]) -> BlockResult:
        result = BlockResult()
        for unit in plan.units:
            if unit.text not in parsed:
                n = rough_sentences(unit.text[unit.prefix:])
                result.sentences += n
                result.skipped += n
        if plan.column_roles:
            self._table(block, plan, parsed, result)
        elif plan.units and plan.units[0].text in parsed:
            self._text(block, plan, parsed, result)
        return result

    def _sentences(self, r: Reading, unit: Unit, result: BlockResult) -> Iterator[tuple[Span, list[Practice]]]:
        """The unit's readable sentences and their practices (counting read and skipped sentences)."""
        previous: list[Practice] = []
        defined: verbs.Definition | None = None
        for sentence in r.doc.sents:
            if sentence.end_char <= unit.prefix or not skip.has_words(sentence.text):
                continue
            result.sentences += 1
            if skip.sentence_reason(sentence.text, len(sentence), self.pat):
                result.skipped += 1
                continue
            found = verbs.find(r, sentence)
            if found and defined is not None:  # "X means A and B. We collect such data." -> A and B
                found = found + verbs.defined_data(r, found, defined)
            defined = None if found else verbs.definition(r, sentence)
            practices = found or verbs.members(r, sentence, previous)
            # a sentence listing what earlier data includes keeps that data in view for the next one ("Such data
            # may include A. Personal data is information that includes B.")
            previous = found or previous + practices
            if unit.prefix:  # keep what the block itself says, not what its lead-in prefix alone says
                practices = [p for p in practices if any(r.doc[i].idx >= unit.prefix for i in p.arg_tokens)]
            term = definitions.term_of(r, sentence)
            if term is not None:
                result.defined_terms += definitions.defined_terms(
                    term.id, definitions.members(r, sentence, term.id, after=term.span.end))
            yield sentence, practices

    def _text(self, block: BlockInput, plan: Plan, parsed: dict[str, tuple[Doc, Mentions]],
              result: BlockResult) -> None:
        unit = plan.units[0]
        lead = (block.lead_in or "").strip() if block.kind == "list_item" else ""
        r = self._reading(block, unit, parsed)
        assert r is not None
        lead_r = self._reading(block, plan.lead, parsed) if lead and plan.lead is not None else None
        hypothetical = lead_r is not None and self._hypothetical(lead_r)
        first = next((s for s in r.doc.sents if s.end_char > unit.prefix and skip.has_words(s.text)), None)
        opener = bool(self.pat.list_openers.search(lead.rstrip(" :"))) if lead else False
        label_parties, label_data = self._label(r, first, opener) if lead and first is not None else ([], [])
        r.default_recipients = label_parties
        for sentence, practices in self._sentences(r, unit, result):
            if not hypothetical:
                self._emit(result, practices, *self._place(unit, sentence, lead))
        if lead_r is not None and first is not None and not hypothetical:
            self._inherit(lead_r, r, unit, first, label_parties, label_data, result)

    def _hypothetical(self, lead: Reading) -> bool:
        """A lead-in that makes its items hypothetical or a list of the user's rights and requests, which state
        no practice: "You may request that we erase ... where:", "Request we disclose to you ... the following
        information:" (an imperative request), "you have the right to:"."""
        for t in lead.doc:
            lemma = t.lemma_.lower()
            you = any(c.dep_ == "nsubj" and c.lower_ == "you" for c in t.children)
            if t.pos_ == "VERB" and t.dep_ == "ROOT" and lemma in self.pat.non_assertive and you:
                return True  # (not "If you choose to register, we collect the following:")
            after = lead.doc[t.i + 1] if t.i + 1 < len(lead.doc) else None
            if t.i == t.sent.start and lemma in self.pat.non_assertive and t.tag_ in ("VB", "VBP", "NN") and (
                    after is not None and (after.pos_ == "PRON" or after.lower_ == "that")):
                return True  # an imperative request ("Request we disclose ...", the tagger often makes it a noun)
            if t.pos_ == "NOUN" and lemma == "right" and any(
                    c.dep_ == "nsubj" and c.lower_ == "you" for a in t.ancestors for c in a.children):
                return True
        return False

    def _label(self, r: Reading, first: Span, listing: bool) -> tuple[list[str], list[DataRef]]:
        """What a list item names before its first clause ("service providers. We ...", "third parties or
        related group companies in the event of ..."): parties from its leading noun phrases, and, when its
        first sentence is verbless ("device attributes, such as ...") or the lead-in announces a list of data
        (``listing``: "the following categories of personal information:"), the data types it lists."""
        end = first.start
        while end < first.end and (first.doc[end].pos_ in LABEL_POS or first.doc[end].text in ",/&-–"
                                   or first.doc[end].tag_ == "PRP$"):
            end += 1
        lead = first.doc[first.start:end]
        # every party the label names: its noun list is often parsed as modifiers ("Regulators and judicial
        # authorities and law enforcement agencies")
        parties = [m.id for m in r.mentions.in_range("entity", lead.start, lead.end)]
        parties += [op for m in r.mentions.in_range("feature", lead.start, lead.end) if (op := r.operator(m.id))]
        parties = [i for i in dict.fromkeys(parties) if i not in (USER, r.first_party)]
        verbless = self._verbless(first)
        if not (verbless or listing) or first[0].lower_ in self.pat.context_marks:
            return parties, []
        data = listed_refs(r, first)
        # a bold label and the verbless sentence that lists it ("Log Data. Technical information such as your
        # device model ...", "Contacts. With your permission, the phone numbers in your address book"): the list
        # is the label's data too, its members without a type of their own typed as the label
        sentences = [s for s in r.doc.sents if s.start >= first.end]
        if verbless and len(first) <= 8 and all(t.pos_ in LABEL_POS or t.is_punct for t in first) and sentences \
                and self._verbless(sentences[0]) and sentences[0][0].lower_ not in self.pat.context_marks:
            data += members_typed(data, listed_refs(r, sentences[0]))
        return parties, data

    @staticmethod
    def _verbless(sentence: Span) -> bool:
        """A sentence without a finite clause of its own (a label, a noun phrase listing data)."""
        root = sentence.root
        return not (root.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass") for c in root.children))

    def _inherit(self, lead_r: Reading, r: Reading, unit: Unit, first: Span, parties: list[str],
                 data: list[DataRef], result: BlockResult) -> None:
        """The lead-in's practices completed by the item: its data, its party or its context."""
        sentences = [s for s in lead_r.doc.sents if skip.has_words(s.text)]
        if not sentences or skip.sentence_reason(sentences[-1].text, len(sentences[-1]), self.pat):
            return
        last = sentences[-1]
        lead = lead_r.doc.text
        term = definitions.term_of(lead_r, last)
        if term is not None:
            own = r.doc.char_span(unit.prefix, len(r.doc.text), alignment_mode="expand") or r.doc[:]
            result.defined_terms += definitions.defined_terms(term.id, definitions.members(r, own, term.id))
        opener = bool(self.pat.list_openers.search(lead.rstrip(" :")))
        features = clause_features(r, first) if "context" not in r.disabled else []
        fills: list[Practice] = []
        purposes = opener and any(t.lemma_.lower() == "purpose" for t in last)
        colon = lead.rstrip().endswith(":")
        own = verbs.find(r, first)  # the item's own practices (an item stating its own needs no completion)
        for practice in verbs.find(lead_r, last):
            if _aside(practice, last):
                continue
            contexts = list(dict.fromkeys(practice.contexts + features))
            if data and opener:
                fills.append(practice.but(data=members_typed(practice.data, data), contexts=contexts))
            elif parties and practice.action in ("share", "transfer"):
                fills.append(practice.but(recipients=parties, contexts=contexts))
            elif features:
                fills.append(practice.but(contexts=contexts))
            elif purposes and _for_purpose(practice, last):  # "We collect personal information for the following
                # purposes:" + "To operate ..." (not "(related group companies may only use it ...)" beside it)
                fills.append(practice.but(purpose=first.text.strip(" ;.,"), contexts=contexts))
            elif (opener and practice.action in ("share", "transfer") and not data) or (
                    colon and not parties and not data and not own
                    and (practice.verb is None or practice.verb.dep_ not in ("relcl", "acl"))):
                # "We disclose personal information to the following types of entities:" + "Entities that
                # acquire ..."; "... will be transferred to, stored at, or processed in:" + "Ontario, Canada"
                fills.append(practice)
        evidence, start, end = self._place(unit, first, lead)
        self._emit(result, fills, evidence, start, end)

    def _table(self, block: BlockInput, plan: Plan, parsed: dict[str, tuple[Doc, Mentions]],
               result: BlockResult) -> None:
        roles = plan.column_roles
        third = "parties" not in self.disabled and tables.party_collects(block.header, roles, block.lead_in, self.pat)
        actions = ["collect"] if third else tables.row_actions(roles, block.lead_in, self.pat, block.section_path)
        action = actions[0] if actions else None
        readable = [u for u in plan.units if u.text in parsed]
        data_units: list[Unit] = []
        ended: set[int] = set()  # data columns whose list has ended (a note, or a gap between lines)
        for u in readable:
            if u.line is not None and u.line.role == "data" and u.line.column not in ended:
                same = [d for d in data_units if d.line.column == u.line.column]
                if tables.is_note(u.line, self.pat) or (same and u.line.index != same[-1].line.index + 1):
                    ended.add(u.line.column)
                    continue
                data_units.append(u)
        data_readings = [r for u in data_units if (r := self._reading(block, u, parsed)) is not None]
        row_data = tables.row_data(data_readings) if action else []
        label = next(iter(data_readings[0].doc.sents)).text if data_readings else ""
        denied = False  # the retention cell denies keeping the data ("not retained", "only stored on your device")
        transferred = False  # a transfer table's row says the items are "Transmitted ...": a practice of the row
        handed_off: set[tuple[str, int]] = set()  # purpose-cell sentences that hand a feature to another party
        for u in readable:
            r = self._reading(block, u, parsed, fallback_data=row_data, fallback_label=label,
                              cell_role=u.line.role if u.line is not None else None)
            assert r is not None
            for sentence, practices in self._sentences(r, u, result):
                practices = tables.feature_labelled(r, sentence, practices, row_data)
                if "share" in actions and u.line is not None and u.line.role not in ("data", "purpose"):
                    moved = [p for p in practices if tables.row_transfer(p, block.first_party)]
                    transferred |= bool(moved)
                    practices = [p for p in practices if p not in moved]
                self._emit(result, practices, *self._place(u, sentence, ""))
                if u.line is not None and u.line.role == "purpose" and any(p.scope == "excluded" for p in practices):
                    handed_off.add((u.text, sentence.start))
                if u.line is not None and u.line.role == "retention":
                    denied |= any(p.negated and p.action == "retain" for p in practices) or bool(
                        self.pat.local.search(sentence.text))
        if denied:
            actions = [a for a in actions if a != "retain"]
        if transferred:
            actions = [*actions, "transfer"]
        if not (actions and row_data and data_units):
            return
        purpose_column = roles.index("purpose") if "purpose" in roles else None
        purpose = plan.cells[purpose_column].strip() if purpose_column is not None and plan.cells else None
        # the purposes a purpose cell names, not a sentence of it that takes a feature out of the policy
        # ("Location-based services ... are subject to its own terms of use and privacy policy")
        purpose_readings = [(r, sentence) for u in readable if u.line and u.line.role == "purpose"
                            and (r := self._reading(block, u, parsed)) is not None
                            for sentence in r.doc.sents if (u.text, sentence.start) not in handed_off]
        recipient_readings = [r for u in readable if u.line and u.line.role == "recipient"
                              and (r := self._reading(block, u, parsed)) is not None]
        recipients = tables.row_recipients(recipient_readings) if "share" in actions else []
        actors = self._row_parties(block, roles, readable, parsed) if third else [block.first_party]
        head = data_units[0]
        doc, _ = parsed[head.text]
        practices = tables.row_practices(doc[:], actions, row_data, actors, purpose or None,
                                         purpose_readings, recipients, tables.denies_disclosure(recipient_readings))
        self._emit(result, practices, head.text, head.block_offset, head.block_offset + len(head.text))

    def _row_parties(self, block: BlockInput, roles: list[str | None], readable: list[Unit],
                     parsed: dict[str, tuple[Doc, Mentions]]) -> list[str]:
        """The party a row of a third-party list names in its party columns (:func:`tables.party_collects`)."""
        header = block.header or ()
        columns = tables.party_columns(header, roles, self.pat)
        readings = [r for u in readable if u.line and u.line.column in columns and u.line.index == 0
                    and (r := self._reading(block, u, parsed)) is not None]
        return tables.row_parties(readings, any("sdk" in h.lower() for h in header))

    # ------------------------------------------------------------------ claims
    @staticmethod
    def _place(unit: Unit, sentence: Span, lead: str) -> tuple[str, int, int]:
        """Evidence text and block offsets of a sentence (a list item's evidence starts with its lead-in)."""
        start = max(sentence.start_char - unit.prefix, 0)
        end = max(sentence.end_char - unit.prefix, start)
        own = unit.text[unit.prefix + start: unit.prefix + end]
        evidence = f"{lead} {own}" if lead and start == 0 else own  # the lead-in introduces the first sentence
        return evidence, unit.block_offset + start, unit.block_offset + end

    def _emit(self, result: BlockResult, practices: list[Practice], evidence: str, start: int, end: int) -> None:
        for p in practices:
            result.claims.extend(self._drafts(p, evidence, start, end))

    def _drafts(self, p: Practice, evidence: str, start: int, end: int) -> list[ClaimDraft]:
        out: list[ClaimDraft] = []
        data: dict[str, DataRef] = {}
        for d in p.data:
            data.setdefault(d.data_type, d)
        for actor in p.actors:
            contexts: list[str | None] = list(p.contexts)
            if p.scope == "excluded" and not p.contexts:
                contexts = [default_context(self.onto, actor)]
            elif p.scope == "excluded" and len(p.actors) > 1:
                contexts = list(pair_contexts(self.onto, actor, p.contexts))
            for ctx in contexts or [None]:
                who = refine_actor(self.onto, actor, ctx) if p.scope == "excluded" else actor
                for recipient in [r for r in p.recipients if r != who] or [None]:
                    for d in data.values():
                        out.append(ClaimDraft(start, end, evidence, who, p.action, p.negated, d.text, d.data_type,
                                              ctx, p.purpose, p.modality, p.condition, p.scope, recipient,
                                              p.data_subject, d.basis))
        return out
