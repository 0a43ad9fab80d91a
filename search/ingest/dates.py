"""Dates as written in articles and records -> YYYY-MM-DD."""
from __future__ import annotations

import datetime
import re


_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_DMY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)")


def normalize_date(value) -> str:
    """YYYY-MM-DD from an ISO date or datetime, Y/M/D or D.M.Y; '' if invalid."""
    if not isinstance(value, str):
        return ""
    value = value.strip()
    m = _YMD.match(value)
    if m:
        y, mo, d = m.groups()
    else:
        m = _DMY.match(value)
        if not m:
            return ""
        d, mo, y = m.groups()
    try:
        return datetime.date(int(y), int(mo), int(d)).isoformat()
    except ValueError:
        return ""
