"""Proximity on random texts against a brute-force oracle."""
from __future__ import annotations

import random

import numpy as np

from search.rank.bm25f import group_idf
from search.rank.proximity import proximity
from helpers import RANDOM_TEXT_WORDS, engine_over, ids, random_texts_view
from search.index.layout import current_generation
from search.index.reader import WhooshReader
from search.index.writer import build


def test_proximity_on_random_texts_is_the_nearest_distance_of_each_pair_of_groups(tmp_path):
    rng = random.Random(6)
    texts, view = random_texts_view(tmp_path, rng, 100, longest=60)
    number = {view.stored(d)["id"]: d for d in range(view.size)}
    for _ in range(20):
        groups = list(dict.fromkeys(tuple(RANDOM_TEXT_WORDS[w] for w in rng.sample(list(RANDOM_TEXT_WORDS), rng.randint(1, 2)))
                                    for _ in range(3)))
        expected = []
        for text in texts:
            where = [[p for p, w in enumerate(text) if RANDOM_TEXT_WORDS[w] in g] for g in groups]
            bonus = 0.0
            for a in range(len(groups)):
                for b in range(a + 1, len(groups)):
                    if where[a] and where[b]:
                        nearest = min(abs(x - y) for x in where[a] for y in where[b])
                        if nearest:
                            bonus += min(group_idf(view, groups[a]), group_idf(view, groups[b])) / nearest
            expected.append(bonus)
        docs = np.array([number[f"{i:03}.txt"] for i in range(len(texts))])
        assert np.allclose(proximity(view, groups, docs), expected, rtol=1e-5), groups


def test_proximity_takes_the_nearer_of_body_and_title_for_each_pair(tmp_path):
    rng = random.Random(11)
    words = list(RANDOM_TEXT_WORDS)
    articles = [(rng.choices(words, k=rng.randint(1, 6)), rng.choices(words, k=rng.randint(1, 40)))
                for _ in range(60)]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i, (title, body) in enumerate(articles):
        (corpus / f"{i:03}.txt").write_text("# " + " ".join(title) + "\n\n" + " ".join(body), encoding="utf-8")
    build(corpus, tmp_path / "index", procs=1)
    view = WhooshReader(current_generation(tmp_path / "index"))
    number = {view.stored(d)["id"]: d for d in range(view.size)}
    groups = [(RANDOM_TEXT_WORDS[w],) for w in words]
    idf = [group_idf(view, g) for g in groups]
    expected = []
    for title, body in articles:
        bonus = 0.0
        for a in range(len(words)):
            for b in range(a + 1, len(words)):
                nearest = [min(abs(x - y) for x in range(len(text)) if text[x] == words[a]
                               for y in range(len(text)) if text[y] == words[b])
                           for text in (title, body) if words[a] in text and words[b] in text]
                if nearest and min(nearest):
                    bonus += min(idf[a], idf[b]) / min(nearest)
        expected.append(bonus)
    docs = np.array([number[f"{i:03}.txt"] for i in range(len(articles))])
    got = proximity(view, groups, docs)
    bad = [(i, articles[i], got[i], expected[i]) for i in range(len(articles)) if abs(got[i] - expected[i]) > 1e-4]
    assert not bad, bad[:3]


def test_a_headline_query_finds_the_article_of_that_headline_before_one_that_repeats_its_words(tmp_path):
    # Both hold every word; the sibling holds them close in its body and most
    # of them in its headline, the named article all of them in its headline only.
    engine = engine_over(tmp_path, {
        "named.txt": "Storm closes harbour in Marseille\n\nThe harbour authority took the decision "
                     "at dawn. Ferries to Corsica stay moored until the wind drops, officials said, "
                     "and fishermen were told to secure their boats. The storm is the third of the "
                     "winter on this coast, and Marseille expects it to pass by Friday.",
        "sibling.txt": "Storm closes harbour gates\n\nA storm closes harbour gates in Marseille "
                       "and Toulon, the port authorities said on Tuesday, and rail services along "
                       "the coast were slowed by fallen trees. Ferry companies offered refunds.",
    })
    assert ids(engine.search("storm closes harbour in Marseille", translate=False))[0] == "named.txt"
