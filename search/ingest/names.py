"""File names as document ids and as text to show: what the web can open,
and what a terminal or a UTF-8 file can hold."""
from __future__ import annotations

import re


# A document's id is its page's address, /doc/<id>; the web refuses longer ones.
MAX_ID_CHARS = 512


def id_fault(doc_id: str) -> str:
    """Why the web refuses a document id, so that list_files refuses the
    file, or '' for a good one. A line break ends werkzeug's path rule (the
    page is not found); a backslash, NUL, absolute path or '..' is refused
    as an attempt to leave the corpus."""
    try:
        doc_id.encode("utf-8")
    except UnicodeEncodeError:  # os.fsdecode's escapes of bytes that are not UTF-8
        return "file name is not valid UTF-8"
    if len(doc_id) > MAX_ID_CHARS:
        return f"path longer than {MAX_ID_CHARS} characters"
    if "\n" in doc_id or "\\" in doc_id:
        return "file name has a line break or backslash"
    if "\x00" in doc_id or doc_id.startswith("/") or ".." in doc_id.split("/"):
        return "not a path inside the corpus"
    return ""


# Control characters, line separators and surrogates.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def printable(text: str) -> str:
    """text, such as a file name, safe for a terminal or a UTF-8 file: a
    byte that is not UTF-8 (which os.fsdecode escapes as a surrogate) shown
    as \\xff, a control character or line separator as \\n, \\x1b, \\u2028."""
    return _UNPRINTABLE.sub(_escaped, text)


def _escaped(match: re.Match) -> str:
    c = match.group()
    if "\udc80" <= c <= "\udcff":
        return f"\\x{ord(c) - 0xdc00:02x}"
    return repr(c)[1:-1]
