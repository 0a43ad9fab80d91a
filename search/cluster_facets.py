"""The facets of a search on the cluster (search/cluster.py), counted there
with GROUP BY and built by the rules whoosh's Engine uses: languages,
years with their undated bucket and the month facet (periods.py), outlets
(sources.py). Months cost one more round trip, asked only when
periods.monthly_years wants them."""
from __future__ import annotations

import numpy as np

from search.index.arrays import LANG_CODES
from search.index.sphinxql.reader import GROUPS
from search.index.sphinxql.schema import DISTRIBUTED
from search.periods import UNDATED, month_facet, monthly_years, year_facet
from search.sources import by_count

GROUPED = f"LIMIT {GROUPS} OPTION max_matches={GROUPS}"


class ClusterFacets:
    """The counts of one search's sides (a document language each, whose
    documents no other side counts), summed."""

    def __init__(self):
        self.langs: dict[int, int] = {}
        self._years: dict[int, int] = {}
        self._outlets: dict[str, list] = {}  # key: [name as shown, documents]
        self._by_day = []  # each side's WHERE of its year counts, and its arguments

    def statements(self, of_langs: str, of_years: str, of_outlets: str, args) -> tuple[list[str], list]:
        """A side's statements, given the WHERE of each facet (as Engine's:
        languages under the other filters, years under the language and
        outlet filters, outlets under the language and date filters), all
        taking `args`."""
        self._by_day.append((of_years, args))
        return ([f"SELECT lang, COUNT(*) FROM {DISTRIBUTED} WHERE {of_langs} GROUP BY lang",
                 f"SELECT year, COUNT(*) FROM {DISTRIBUTED} WHERE {of_years} GROUP BY year {GROUPED}",
                 f"SELECT source_key, source_name, COUNT(*) AS n FROM {DISTRIBUTED} WHERE {of_outlets} "
                 f"GROUP BY source_key ORDER BY n DESC {GROUPED}"], [args] * 3)  # past GROUPS: the most

    def take(self, by_lang, by_year, by_source) -> None:
        """A side's answers to its statements."""
        for code, n in by_lang:
            self.langs[code] = self.langs.get(code, 0) + n
        for year, n in by_year:
            self._years[year] = self._years.get(year, 0) + n
        for key, name, n in by_source:
            self._outlets.setdefault(key, [name, 0])[1] += n

    def facets(self, head, since, until) -> dict:
        """Engine's facets: {"lang", "year", "month" (when counted), "source"}."""
        names = {code: name for name, code in LANG_CODES.items()}
        facets = {"lang": {names[c]: n for c, n in sorted(self.langs.items()) if n},
                  "year": _years(self._years.items())}
        months = monthly_years(facets["year"], since, until)
        if months is not None:
            facets["month"] = self._months(head, *months)
        facets["source"] = by_count((name, n) for key, (name, n) in self._outlets.items() if key)
        return facets

    def _months(self, head, first: int, last: int) -> dict[str, int]:
        """The month facet of the results dated from year `first` to `last`,
        counted by day (day: days since 1970 plus one)."""
        groups = 366 * (last - first + 1)
        answers = head.batch([f"SELECT day, COUNT(*) FROM {DISTRIBUTED} WHERE {where} "
                              f"AND year BETWEEN {first} AND {last} GROUP BY day LIMIT {groups} "
                              f"OPTION max_matches={groups}" for where, _ in self._by_day],
                             [args for _, args in self._by_day])
        days: dict[int, int] = {}
        for day, n in (row for rows in answers for row in rows):
            days[day - 1] = days.get(day - 1, 0) + n
        return month_facet(np.array(list(days), np.int64), np.array(list(days.values()), np.int64))


def index_figures(head, outlets) -> dict:
    """stats' "years", "undated" and "outlets" of the whole cluster;
    `outlets`: ClusterIndex.outlets()."""
    years = _years(head.execute(f"SELECT year, COUNT(*) FROM {DISTRIBUTED} GROUP BY year {GROUPED}"))
    undated = years.pop(UNDATED, 0)
    return {"years": dict(sorted(years.items())), "undated": undated,
            "outlets": by_count((name, n) for key, name, n in outlets if key)}


def _years(counts) -> dict[str, int]:
    """periods.year_facet of (year, documents) pairs, 0 for undated."""
    counts = list(counts)
    return year_facet(np.array([y for y, _ in counts], np.int64), np.array([n for _, n in counts], np.int64))
