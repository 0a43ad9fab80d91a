"""Results counted by period: the year facet (with an undated bucket, so
that the buckets add up to the total) and a month facet, which the web's
timeline draws.

Months are counted when a single calendar year is chosen (the date filter
lies within it: its months), or when every dated result falls within
MONTHLY_SPAN calendar years (a year's bars would be too few to read).
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
    years = view.year[docs]
    facets = {"year": counts_of(years[years > 0])}
    undated = int(np.count_nonzero(years <= 0))
    if undated:
        facets["year"][UNDATED] = undated
    dated = years[years > 0]
    chosen = since.year if since and until and since.year == until.year else None
    if chosen is not None:
        days = view.days[docs & (view.year == chosen)]
    elif dated.size and int(dated.max()) - int(dated.min()) < MONTHLY_SPAN:
        days = view.days[docs & (view.days >= 0)]
    else:
        return facets
    months = days.astype("datetime64[D]").astype("datetime64[M]")
    facets["month"] = counts_of(months)
    return facets


def counts_of(values: np.ndarray) -> dict[str, int]:
    """Occurrences of each value (a year, a datetime64 month), newest first."""
    found, counts = np.unique(values, return_counts=True)
    return {str(v): int(n) for v, n in zip(found[::-1], counts[::-1])}
