"""Export: a page of search results as CSV (`/api/search?…&format=csv`)."""
from __future__ import annotations

import csv
import io

from flask import Response

COLUMNS = ("id", "title", "date", "outlet", "language", "score", "url")
# A cell a spreadsheet would run as a formula (CSV injection, as OWASP
# describes it): such text is kept as text by a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_response(result) -> Response:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180
    writer.writerow(COLUMNS)
    for hit in result.hits:
        writer.writerow([_cell(value) for value in
                         (hit.id, hit.title, hit.date, hit.source, hit.lang, hit.score, hit.url)])
    return Response(out.getvalue().encode("utf-8"), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="mlsearch-results.csv"'})


def _cell(value) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
