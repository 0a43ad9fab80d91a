"""The outlets of one index generation: what `source:` matches, and their
names and counts for the outlet facet and stats.

`source:` is case-insensitive and matches a prefix of an outlet's name or
of one of its aliases (ingest/outlets.py): `source:ria` and `source:риа`
find RIA Novosti, `source:reu,tass` Reuters and TASS. The cluster backend
applies the same rule (`matching`) to the cluster's distinct outlets and
orders its facet as here (`by_count`).
"""
from __future__ import annotations

import numpy as np

from search.ingest.outlets import SEARCH_NAMES
from search.languages import fold

_ALIASES = {name.lower(): aliases for name, aliases in SEARCH_NAMES.items()}


def matching(keys, values) -> list[str]:
    """The outlet keys (names lower-cased) that any of `values` (comma
    lists) names: a prefix of the name or of an alias, any case."""
    wanted = [fold(v.strip()) for value in values for v in value.split(",") if v.strip()]
    return [key for key in keys if key and any(
        name.startswith(w) for name in (fold(key), *map(fold, _ALIASES.get(key, ()))) for w in wanted)]


def by_count(counts) -> dict[str, int]:
    """(shown name, documents) pairs as the facet shows them: the most
    first, then by name; outlets with no documents, and no outlet, left out."""
    return {name: int(n) for name, n in sorted(counts, key=lambda c: (-c[1], c[0])) if n and name}


class Outlets:
    """The outlets of a generation's documents (backend.IndexReader.source)."""

    def __init__(self, view):
        # One code per document; names[code] is its outlet lower-cased ("" for none).
        self.names, self.codes = np.unique(view.source, return_inverse=True)
        self._shown = {}
        for code, first in enumerate(np.unique(self.codes, return_index=True)[1]):
            self._shown[code] = view.stored(int(first)).get("source", "") if self.names[code] else ""

    def mask(self, values) -> np.ndarray:
        """Documents from an outlet that any of `values` (comma lists) names."""
        keys = set(matching(self.names, values))
        return np.isin(self.codes, [code for code, name in enumerate(self.names) if name in keys])

    def counts(self, mask: np.ndarray) -> dict[str, int]:
        """Documents of `mask` per outlet, by name, the most first; those with none left out."""
        counts = np.bincount(self.codes[mask], minlength=len(self.names))
        return by_count((self._shown[code], counts[code]) for code in range(len(self.names)))
