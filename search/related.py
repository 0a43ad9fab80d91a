"""What a story is about, for finding the same story elsewhere: a
document's most distinctive terms as a query, translated for the
counterpart lookup. Every engine searches it (engine.py, cluster.py)."""
from __future__ import annotations

import numpy as np

from search import query as q
from search.analysis import analyze
from search.languages import CODES, script_of
from search.translate.lexicon import counterpart_language


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


def target_language(stored: dict, other_language: bool) -> str | None:
    """The language of the articles like `stored` to look for: its own, or
    the other one (None: any language, or, for `other_language`, none)."""
    source = stored.get("lang") if stored.get("lang") in CODES else None
    return counterpart_language(source) if other_language else source


def similar_query(view, stored: dict, target: str | None, translate) -> list:
    """The word groups of the query that finds articles like `stored` in
    `target`. `translate` is the planner's (surface, term, script, target)
    -> translation."""
    groups = []
    for surface, term in key_terms(view, stored):
        script = script_of(term)
        group = translate(surface, term, script, target).terms if target and script and script != target \
            else (term,)
        if group:
            groups.append(q.TermGroup(tuple(group)))
    return groups
