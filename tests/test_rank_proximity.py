"""Proximity on random texts against a brute-force oracle."""
from __future__ import annotations

import random

import numpy as np

from search.rank.bm25f import group_idf
from search.rank.proximity import proximity
from helpers import RANDOM_TEXT_WORDS, random_texts_view


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
