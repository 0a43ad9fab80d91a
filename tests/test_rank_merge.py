"""The two-language merge, on hand-made rankings."""
import numpy as np
import pytest

from search.rank.merge import FULL_COVERAGE, TRANSLATED_BEST, LanguageList, merge


def ranking(lang, scores, coverage):
    scores = np.array(scores, np.float32)
    return LanguageList(lang, scores, scores > 0, float(scores.max()), coverage)


def test_each_languages_best_scores_one_and_the_querys_own_language_wins_a_tie():
    en = ranking("en", [4.0, 2.0, 0, 0], 1.0)
    ru = ranking("ru", [0, 0, 9.0, 3.0], 1.0)
    scores, match = merge([en, ru], "en", 4)
    assert match.tolist() == [True] * 4
    assert scores[0] == 1.0 and scores[2] == pytest.approx(TRANSLATED_BEST)
    assert scores[1] == pytest.approx(0.5) and scores[3] == pytest.approx(TRANSLATED_BEST / 3)


def test_a_side_holding_few_of_the_querys_words_counts_less():
    en = ranking("en", [4.0, 0], 1.0)
    ru = ranking("ru", [0, 9.0], 0.25)  # its best holds one word of four: one shared name
    scores, _ = merge([en, ru], "en", 2)
    assert scores[1] == pytest.approx(TRANSLATED_BEST * 0.25 / 0.6)  # next to the other side's 1.0
    alone, _ = merge([ranking("ru", [0, 9.0], 0.25)], "ru", 2)
    assert alone[1] == pytest.approx(0.25 / FULL_COVERAGE)


def test_a_document_in_both_lists_keeps_its_better_score():
    en = ranking("en", [4.0, 1.0], 1.0)
    ru = ranking("ru", [0, 9.0], 1.0)  # document 1: in no known language, read in both
    scores, _ = merge([en, ru], "ru", 2)
    assert scores[1] == 1.0 and scores[0] == pytest.approx(TRANSLATED_BEST)
