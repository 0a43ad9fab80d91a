"""The results' timeline: an inline SVG histogram drawn on the server.

No script and no style attribute (the CSP forbids both): geometry is in SVG
attributes, colours in style.css. Each bar is a link that filters the
results by its period (since/until, as the year facet does).
"""
from __future__ import annotations

import calendar
from typing import Callable

from markupsafe import Markup, escape

from search.periods import UNDATED

BAR, GAP = 16, 3  # a bar's width and the space after it, in SVG units
HEIGHT = 80  # the tallest bar
LABEL = 16  # room under the bars for the period labels


def periods(facets: dict) -> list[tuple[str, int]]:
    """(period, count) oldest first, with the empty periods between: months
    when the month facet is there (all twelve when they are of one year),
    else years."""
    months = facets.get("month")
    if months:
        keys = sorted(months)
        first, last = keys[0], keys[-1]
        if first[:4] == last[:4]:
            first, last = first[:4] + "-01", first[:4] + "-12"
        out = []
        year, month = int(first[:4]), int(first[5:])
        while f"{year:04d}-{month:02d}" <= last:
            key = f"{year:04d}-{month:02d}"
            out.append((key, months.get(key, 0)))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out
    years = sorted(int(y) for y in facets.get("year", {}) if y != UNDATED)
    if not years:
        return []
    counts = facets["year"]
    return [(str(y), counts.get(str(y), 0)) for y in range(years[0], years[-1] + 1)]


def bounds(period: str) -> tuple[str, str]:
    """The first and last day of a year (YYYY) or month (YYYY-MM)."""
    if len(period) == 4:
        return f"{period}-01-01", f"{period}-12-31"
    year, month = int(period[:4]), int(period[5:])
    return f"{period}-01", f"{period}-{calendar.monthrange(year, month)[1]:02d}"


def timeline_svg(facets: dict, link: Callable[[str, str], str], current: tuple[str, str],
                 label: Callable[[str, int], str]) -> Markup:
    """The histogram of the results by period; empty when there are fewer
    than two periods. `link(since, until)` is a bar's URL, `current` the
    (since, until) shown now, `label(period, count)` a bar's accessible name."""
    bars = periods(facets)
    if len(bars) < 2:
        return Markup("")
    tallest = max(n for _, n in bars) or 1
    width = len(bars) * (BAR + GAP) + BAR  # room for the last bar's label
    parts = [f'<svg class="timeline" viewBox="0 0 {width} {HEIGHT + LABEL}" preserveAspectRatio="xMinYMax meet" '
             f'role="group" aria-label="{escape(label("", 0))}">']
    last_tick = None
    for i, (period, n) in enumerate(bars):
        x = i * (BAR + GAP)
        height = round(HEIGHT * n / tallest, 1)
        since, until = bounds(period)
        name = escape(label(period, n))
        chosen = ' aria-current="true" class="current"' if (since, until) == current else ""
        # A bar of an empty period is drawn 1 unit high, so that it shows.
        parts.append(f'<a href="{escape(link(since, until))}" aria-label="{name}"{chosen}>'
                     f'<title>{name}</title>'
                     f'<rect class="slot" x="{x}" y="0" width="{BAR}" height="{HEIGHT}"/>'
                     f'<rect class="bar" x="{x}" y="{HEIGHT - max(height, 1)}" width="{BAR}" '
                     f'height="{max(height, 1)}"/></a>')
        # Ticks: a year under the first bar, each January, every fifth year
        # and the last year; none within two bars of the one before.
        wanted = i == 0 or period.endswith("-01") or \
            len(period) == 4 and (int(period) % 5 == 0 or i == len(bars) - 1)
        if wanted and (last_tick is None or i - last_tick >= 2):
            last_tick = i
            parts.append(f'<text x="{x}" y="{HEIGHT + LABEL - 3}">{period[:4]}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
