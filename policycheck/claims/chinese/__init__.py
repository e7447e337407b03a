"""Chinese claim extraction (the Weixin Privacy Protection Guidelines and other Chinese policies).

``make_extractor(onto)`` is the front end the pipeline loads for versions in ``zh``. One module per
phenomenon: :mod:`.segmentation` (spaCy blank zh + jieba), :mod:`.lexicon` (ontology names and the typed grammar
words of ``lexicon.yaml``), :mod:`.clauses` (a sentence's words, names, verbs, clauses), :mod:`.conditions`
(conditions, purposes, qualifiers, subgroups), :mod:`.context` (features), :mod:`.scope` (scope statements and
hand-offs to a party's own terms), :mod:`.enumerations` (objects, lists, groups, anaphors), :mod:`.heads` (items
the ontology does not name), :mod:`.negation`, :mod:`.actors` (subject and recipient), :mod:`.frame` (one
sentence's frame), :mod:`.verbs` (predicates -> claims), :mod:`.tables` (rows) and :mod:`.extractor` (blocks).
"""

from policycheck.claims.chinese.extractor import EXTRACTOR_NAME, EXTRACTOR_VERSION, ChineseExtractor, make_extractor

__all__ = ["EXTRACTOR_NAME", "EXTRACTOR_VERSION", "ChineseExtractor", "make_extractor"]
