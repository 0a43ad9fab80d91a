"""The two-language merge, on hand-made rankings."""
import numpy as np
import pytest

from search.rank.merge import FULL_COVERAGE, NUMBERS_WEIGHT, TRANSLATED_BEST, LanguageList, merge, numbers_of


def ranking(lang, scores, coverage):
    scores = np.array(scores, np.float32)
    return LanguageList(lang, scores, scores > 0, float(scores.max()), coverage, scores > 0, int(scores.argmax()))


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


def test_a_translated_article_sharing_the_own_sides_numbers_gains():
    en = ranking("en", [4.0, 2.0, 0, 0, 0], 1.0)
    ru = ranking("ru", [0, 0, 9.0, 8.0, 7.0], 1.0)
    written = {0: "In 1998 the dam held 40 tonnes", 1: "2001", 2: "в 2005 году", 3: "в 1998 году 40 тонн и 7 дней",
               4: "без чисел"}
    scores, _ = merge([en, ru], "en", 5, lambda d: {"body": written[d]})
    gained = TRANSLATED_BEST * 8 / 9 + NUMBERS_WEIGHT * 2 / 3  # 1998 and 40 of 1998, 40 and 7
    assert scores[3] == pytest.approx(TRANSLATED_BEST)  # the side scaled back to its best
    assert scores[2] == pytest.approx(TRANSLATED_BEST ** 2 / gained)  # no number shared
    assert scores[4] == pytest.approx(TRANSLATED_BEST * 7 / 9 * TRANSLATED_BEST / gained)  # no number at all
    assert scores[0] == 1.0 and scores[1] == pytest.approx(0.5)  # the own side reads as before
    plain, _ = merge([en, ru], "en", 5)
    assert plain[3] == pytest.approx(TRANSLATED_BEST * 8 / 9)


def test_numbers_of_an_article_are_its_digit_runs_thousands_grouped_or_not():
    assert numbers_of({"title": "G7 in 2024", "body": "1,200 people; 3.5%"}) == {"7", "2024", "1200", "3", "5"}
    assert numbers_of({"body": "1\u00a0200 человек, 3,5%, 12 300 домов в 2015 году"}) == {"1200", "3", "5", "12300", "2015"}
