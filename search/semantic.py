"""The semantic channel as the engine uses it: a generation's vectors, as
far as its vector phase has got, the query's embedding, and the fusion.

Off unless asked for (`Engine(..., semantic=True)`, `--semantic`): see the
README's "Semantic channel" for the figures that say why. A generation
without vectors, or a model that cannot load, leaves lexical search as it
is; the model's failure is said in one line (`note`).
"""
from __future__ import annotations

import re
import threading
import weakref
from collections import OrderedDict
from pathlib import Path

import numpy as np

from search import embedding
from search import query as q
from search.index.vectors import GenerationVectors, vectors_of
from search.rank import dense, fusion

QUERY_CACHE = 256  # query vectors kept: 1.5 KB each
# A counterpart this close is the same story ("in the other language");
# a farther one is only related. See README, "Semantic channel".
CONFIDENT_COUNTERPART = 0.84
FILTER_RE = re.compile(r"\b(?:lang|date|source):\S+")


# The vectors this process has loaded, by generation, for all its engines:
# a server's workers take those their parent loaded before it forked, in
# pages they share, instead of loading a copy each. Weak: a generation that
# no engine holds any more is freed.
_LOADED: weakref.WeakValueDictionary[Path, GenerationVectors] = weakref.WeakValueDictionary()
_LOADED_LOCK = threading.Lock()


def loaded_vectors(gen: Path, index_dir: Path) -> GenerationVectors | None:
    """The generation's vectors, loaded once a process and refreshed with
    what its vector phase has added; None before that phase starts."""
    with _LOADED_LOCK:
        vectors = _LOADED.get(gen)
        if vectors is None:
            vectors = vectors_of(gen, index_dir)
            if vectors is not None:
                _LOADED[gen] = vectors
        elif vectors.done < vectors.documents:
            vectors.refresh()
        return vectors


class SemanticChannel:
    def __init__(self, index_dir: Path):
        self.index_dir = Path(index_dir)
        self.note = ""  # why the channel is not working, in one line
        self._lock = threading.Lock()
        self._vectors: GenerationVectors | None = None
        self._embedder = None
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()

    def vectors(self, gen: Path) -> GenerationVectors | None:
        """The generation's vectors, refreshed with what its vector phase
        has added; None before that phase starts."""
        vectors = loaded_vectors(gen, self.index_dir)
        self._vectors = vectors  # held, so that the process's table keeps them
        return vectors

    def progress(self, gen: Path) -> dict | None:
        """{documents, embedded} of the generation; None without a vector phase."""
        vectors = self.vectors(gen)
        if vectors is None:
            return None
        return {"documents": vectors.documents, "embedded": vectors.done}

    def state(self, gen: Path) -> int:
        """Changes whenever results may: part of a cached result's key."""
        vectors = self.vectors(gen)
        return -1 if vectors is None else vectors.done

    def fuse(self, gen: Path, query: str, parsed: q.ParsedQuery, scores: np.ndarray, match: np.ndarray,
             visible: np.ndarray, own_language: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        vectors = self.vectors(gen)
        if vectors is None or not vectors.done or parsed.root is None:
            return scores, match
        vector = self._embed(vectors.embedder_spec, FILTER_RE.sub(" ", query))
        if vector is None:
            return scores, match
        return fusion.fuse(scores, match, visible, own_language, vectors, vector,
                           long=plain_words(parsed) >= fusion.LONG_WORDS)

    def nearest(self, gen: Path, docnum: int, within: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray] | None:
        """(docnums, cosines) of the documents in `within` closest to
        document `docnum`, best first; None when it has no vector yet."""
        vectors = self.vectors(gen)
        if vectors is None or not vectors.has[docnum]:
            return None
        own = vectors.matrix[docnum].astype(np.float32) * vectors.scales[docnum]
        docs, cos = dense.scores(vectors, own, within)
        order = dense.best(docs, cos, limit)
        return docs[order], cos[order]

    def _embed(self, spec: str, text: str) -> np.ndarray | None:
        text = " ".join(text.split())
        with self._lock:
            cached = self._queries.get(text)
            if cached is not None:
                self._queries.move_to_end(text)
                return cached
            if self._embedder is None:
                if self.note:
                    return None
                try:
                    self._embedder = embedding.load(spec, threads=1)
                except embedding.EmbedderUnavailable as e:
                    self.note = f"semantic search off: {e}; lexical search only"
                    return None
            vector = self._embedder.embed_queries([text])[0]
            self._queries[text] = vector
            if len(self._queries) > QUERY_CACHE:
                self._queries.popitem(last=False)
            return vector


def plain_words(parsed: q.ParsedQuery) -> int:
    """The number of words of a query of plain words; 0 when it has an
    operator, a phrase or a field."""
    items = parsed.root.items if isinstance(parsed.root, q.Seq) else (parsed.root,)
    plain = all(isinstance(item, q.Word) and item.field is None for item in items)
    return len(items) if plain else 0
