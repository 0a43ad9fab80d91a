"""What a story is about, for finding the same story elsewhere: a
document's most distinctive terms, which `Engine.similar` searches for
(translated for the counterpart lookup)."""
from __future__ import annotations

import numpy as np

from search.analysis import analyze


def key_terms(view, stored: dict, count: int = 30) -> list[tuple[str, str]]:
    """(surface, term) of a document's most distinctive terms: tf-idf
    over title and body, title words counted twice."""
    text = (stored.get("title", "") + "\n") * 2 + stored.get("body", "")[:20000]
    tf: dict[str, int] = {}
    surface: dict[str, str] = {}
    for t in analyze(text):
        if "-" in t.text or len(t.text) < 2:
            continue
        tf[t.text] = tf.get(t.text, 0) + 1
        surface.setdefault(t.text, text[t.start:t.end])
    weights = {}
    for term, n in tf.items():
        df = view.doc_frequency("body", term) or 1
        weights[term] = (1 + np.log(n)) * np.log(view.n_live / df)
    best = sorted(weights, key=lambda t: (-weights[t], t))[:count]
    return [(surface[t], t) for t in best]
