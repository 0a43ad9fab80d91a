"""Results counted by period: the year facet (with an undated bucket, so
that the buckets add up to the total) and a month facet, which the web's
timeline draws.

Months are counted when a single calendar year is chosen (the date filter
lies within it: its months), or when every dated result falls within
MONTHLY_SPAN calendar years (a year's bars would be too few to read).

The cluster backend counts on the cluster (GROUP BY year, then by day
within the years `monthly_years` names) and builds the same facets from
those counts with `year_facet` and `month_facet`.
"""
from __future__ import annotations

import datetime as dt

import numpy as np

UNDATED = "undated"
# Years whose results are still drawn by month: 2 years are 24 bars, 3 would
# be 36, too narrow to click in the facets column.
MONTHLY_SPAN = 2


def period_facets(view, docs: np.ndarray, since: dt.date | None, until: dt.date | None) -> dict:
    """{"year": {YYYY: n, ..., "undated": n}, "month": {YYYY-MM: n}} of the
    documents in the mask `docs` (results before the date filter); newest
    first. "month" is left out when months are not counted (see above)."""
    facets = {"year": year_facet(view.year[docs])}
    years = monthly_years(facets["year"], since, until)
    if years is not None:
        first, last = years
        facets["month"] = month_facet(view.days[docs & (view.year >= first) & (view.year <= last)])
    return facets


def year_facet(years: np.ndarray, weights: np.ndarray | None = None) -> dict[str, int]:
    """{YYYY: n, ..., "undated": n} of documents' years (0: undated), newest
    first; `weights`: how many documents each value stands for."""
    weights = np.ones(len(years), np.int64) if weights is None else np.asarray(weights)
    facet = counts_of(years[years > 0], weights[years > 0])
    undated = int(weights[years <= 0].sum())
    if undated:
        facet[UNDATED] = undated
    return facet


def monthly_years(year_facet: dict[str, int], since: dt.date | None, until: dt.date | None) -> tuple[int, int] | None:
    """The first and last year whose results are counted by month (the
    rule above), or None for no month facet."""
    if since and until and since.year == until.year:
        return since.year, since.year
    dated = [int(y) for y in year_facet if y != UNDATED]
    if dated and max(dated) - min(dated) < MONTHLY_SPAN:
        return min(dated), max(dated)
    return None


def month_facet(days: np.ndarray, weights: np.ndarray | None = None) -> dict[str, int]:
    """{YYYY-MM: n} of dated documents' days since 1970, newest first."""
    return counts_of(np.asarray(days).astype("datetime64[D]").astype("datetime64[M]"), weights)


def counts_of(values: np.ndarray, weights: np.ndarray | None = None) -> dict[str, int]:
    """Occurrences of each value (a year, a datetime64 month), newest first;
    `weights`: how many occurrences each value stands for."""
    found, inverse = np.unique(values, return_inverse=True)
    counts = np.bincount(inverse.ravel(), weights, minlength=len(found))
    return {str(v): int(n) for v, n in zip(found[::-1], counts[::-1])}
