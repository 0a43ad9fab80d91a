"""What a search returns: ranked hits with snippets, the translations made,
spelling suggestions and facets."""
from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields


@dataclass
class Hit:
    id: str
    title: str
    lang: str
    date: str
    source: str
    url: str
    score: float
    snippet: str  # HTML: escaped text with <mark> around matched words
    title_derived: bool = False  # the title is the article's first sentence: it had none
    versions: list = field(default_factory=list)  # ids of the other versions of its story that match
    fragments: list = field(default_factory=list, repr=False)  # (text, highlighted) pairs


@dataclass
class SearchResult:
    query: str
    total: int
    took_ms: float
    hits: list[Hit]
    translations: list[dict]
    suggestions: list[str]
    facets: dict
    page: int = 1
    limit: int = 10
    # What the answer lacks, e.g. a cluster shard that did not answer.
    warnings: list[str] = field(default_factory=list)
    typed: str | None = None  # the query as typed, when it was read in the other keyboard layout

    def to_dict(self) -> dict:
        """JSON-ready data without the snippet fragments (the HTML snippet
        holds them). A copy: results are cached and shared between callers.
        Hits hold only strings and numbers, so they need no deep copy."""
        d = {f.name: copy.deepcopy(getattr(self, f.name)) for f in fields(self) if f.name != "hits"}
        d["hits"] = [{f.name: getattr(h, f.name) for f in _HIT_FIELDS} for h in self.hits]
        return d


_HIT_FIELDS = [f for f in fields(Hit) if f.name != "fragments"]
