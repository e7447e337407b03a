"""Chinese word segmentation: every pipeline segments with a jieba dictionary of its own."""

from __future__ import annotations

import jieba

from policycheck.claims.chinese.segmentation import load_nlp, tokens

TEXT = "我们会收集你的拍一拍记录"
WORD = "拍一拍记录"  # not in jieba's dictionary: jieba alone cuts it into several words


def words(nlp_words: tuple[str, ...]) -> list[str]:
    return [t.text for t in tokens(load_nlp(nlp_words), TEXT)]


def test_a_pipeline_keeps_the_words_it_was_loaded_with():
    assert WORD in words((WORD,))


def test_words_of_one_pipeline_do_not_reach_another_loaded_in_the_same_process():
    plain = words(())
    assert WORD not in plain
    assert WORD in words((WORD,))
    assert words(()) == plain  # the same pipeline after the other one was loaded: unchanged
    load_nlp.cache_clear()
    assert words(()) == plain  # a pipeline loaded afresh after it: unchanged


def test_jiebas_global_dictionary_is_left_alone():
    words((WORD,))
    assert jieba.dt.FREQ.get(WORD) is None
