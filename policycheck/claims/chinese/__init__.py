"""Chinese claim extraction (the Weixin Privacy Protection Guidelines and other Chinese policies).

``make_extractor(onto)`` is the front end the pipeline loads for versions in ``zh``. One module per
phenomenon: :mod:`.segmentation` (spaCy blank zh + jieba), :mod:`.lexicon` (ontology names and grammar words,
``lexicon.yaml``), :mod:`.clauses` (a sentence's words, names, verbs, clauses), :mod:`.conditions`,
:mod:`.context` (features and scope statements), :mod:`.enumerations` (objects, lists, groups, anaphors),
:mod:`.negation`, :mod:`.actors` (subject and recipient) and :mod:`.extractor` (the rules that tie them).
"""

from policycheck.claims.chinese.extractor import EXTRACTOR_NAME, EXTRACTOR_VERSION, ChineseExtractor, make_extractor

__all__ = ["EXTRACTOR_NAME", "EXTRACTOR_VERSION", "ChineseExtractor", "make_extractor"]
