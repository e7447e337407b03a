"""English claim extraction (spaCy ``en_core_web_sm``): one module per linguistic phenomenon.

- :mod:`.lexicon`: ontology phrase matching (data types, entities, features);
- :mod:`.verbs`: practice verbs and their arguments (active, passive, relative clauses, coordination);
- :mod:`.actors`: first party, named parties, recipients;
- :mod:`.enumerations`: data types named by an argument (lists, examples, back-references);
- :mod:`.negation`: negated and non-asserted practices;
- :mod:`.context`: feature context, purpose, condition, modality;
- :mod:`.scope`: statements that take data, a party or a feature out of the policy;
- :mod:`.definitions`: defined terms and their members;
- :mod:`.tables`: practices stated by a table row's structure;
- :mod:`.skip`: text not read (too long, not English, markup);
- :mod:`.extractor`: blocks -> units -> ``nlp.pipe`` -> annotators -> claims.

Word lists and thresholds are data in ``patterns.yml``.
"""

from __future__ import annotations

from policycheck.claims.english.extractor import EnglishExtractor
from policycheck.ontology import Ontology


def make_extractor(onto: Ontology) -> EnglishExtractor:
    """The English front end (``FRONT_ENDS['en']``). The spaCy model is loaded on first use."""
    return EnglishExtractor(onto)


__all__ = ["EnglishExtractor", "make_extractor"]
