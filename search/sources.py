"""The outlets of one index generation: what `source:` matches, and their
names and counts for the outlet facet and stats.

`source:` is case-insensitive and matches a prefix of an outlet's name or
of one of its aliases (ingest/outlets.py): `source:ria` and `source:риа`
find RIA Novosti, `source:reu,tass` Reuters and TASS.
"""
from __future__ import annotations

import numpy as np

from search.ingest.outlets import SEARCH_NAMES
from search.languages import fold

_ALIASES = {name.lower(): aliases for name, aliases in SEARCH_NAMES.items()}


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
        wanted = [fold(v.strip()) for value in values for v in value.split(",") if v.strip()]
        matching = [code for code, name in enumerate(self.names) if name and any(
            key.startswith(w) for key in (fold(name), *map(fold, _ALIASES.get(name, ()))) for w in wanted)]
        return np.isin(self.codes, matching)

    def counts(self, mask: np.ndarray) -> dict[str, int]:
        """Documents of `mask` per outlet, by name, the most first; those with none left out."""
        counts = np.bincount(self.codes[mask], minlength=len(self.names))
        order = sorted((code for code in range(len(self.names)) if counts[code] and self.names[code]),
                       key=lambda code: (-counts[code], self._shown[code]))
        return {self._shown[code]: int(counts[code]) for code in order}
