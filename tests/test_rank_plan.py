"""A plan's ranking over one language's side of a two-language index."""
import numpy as np

from helpers import index_over
from search.index.arrays import LANG_CODES
from search.index.backend import open_generation
from search.index.layout import current_generation
from search.query import Seq, TermGroup
from search.rank.plan import rank_plan

RUSSIAN = {
    "ru1.txt": "Паводок в Якутии\n\nРека Лена вышла из берегов у Якутска, вода подтопила дома в трех селах. "
               "Спасатели эвакуировали жителей, паводок продлится до конца недели.",
    "ru2.txt": "Мост через Лену\n\nВласти Якутии снова обсуждают мост через реку Лена: проект моста "
               "оценивают в сто миллиардов рублей, строительство начнется не раньше будущего года.",
    "ru3.txt": "Урожай зерна\n\nАграрии собрали рекордный урожай зерна, несмотря на засуху летом "
               "и дожди осенью. Цены на хлеб, по словам министерства, не вырастут.",
    "ru4.txt": "Новый паром\n\nНа переправе через реку начал работать новый паром: он перевозит "
               "машины и жителей сел на другой берег, пока нет моста.",
}
ENGLISH = {
    f"en{i}.txt": f"Harbour news {i}\n\nThe port of Dover reported delays for ferries and lorries, "
                  f"and officials said the queues would ease by the weekend. Story number {i}."
    for i in range(12)
}


def _ranking(index, plan):
    view = open_generation(current_generation(index))
    try:
        russian = view.lang == LANG_CODES["ru"]
        scores, match = rank_plan(view, plan, view.live.copy(), within=russian)
        return {view.stored(d)["id"]: float(scores[d]) for d in np.flatnonzero(match)}
    finally:
        view.close()


def test_a_languages_side_of_a_two_language_index_ranks_as_an_index_of_that_language_alone(tmp_path):
    # Its documents, their word counts and lengths are the side's: English
    # articles make no Russian word rarer, nor Russian articles shorter.
    plan = Seq((TermGroup(("река", "лена")), TermGroup(("мост",)), TermGroup(("паводок", "вода")),
                TermGroup(("житель",))))
    alone = _ranking(index_over(tmp_path / "ru", RUSSIAN), plan)
    mixed = _ranking(index_over(tmp_path / "both", {**RUSSIAN, **ENGLISH}), plan)
    assert set(alone) == {"ru1.txt", "ru2.txt", "ru4.txt"}
    assert mixed.keys() == alone.keys()
    for doc, value in alone.items():
        assert abs(mixed[doc] - value) < 1e-4 * value, doc
