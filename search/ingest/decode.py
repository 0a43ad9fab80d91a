"""A file's bytes as text: its codec told by its first bytes, undecodable
bytes replaced and counted."""
from __future__ import annotations

import codecs
import math
import re

from search.ingest.documents import UnreadableFile


_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
SAMPLE_BYTES = 65536  # of a file's start, enough to tell its code page by
# Control bytes other than \t \n \v \f \r and ESC.
_CONTROL = frozenset(range(32)) - {9, 10, 11, 12, 13, 27}

# Per-mille frequencies of Russian letters, and of characters that are
# normal in Russian text whatever their script.
_RUSSIAN_FREQ = dict(zip(
    "оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё",
    (110, 85, 80, 74, 67, 63, 55, 47, 45, 44, 35, 32, 30, 28, 26, 20, 19, 17, 17, 16,
     16, 14, 12, 10, 9, 7, 6, 5, 4, 3, 3, 1, 1)))
_RUSSIAN_FREQ.update(dict.fromkeys("«»—–“”„’…№\u00a0", 5))
_RARE = 0.1  # per mille, for anything else
_NON_ASCII_WORD = re.compile(r"\w*[^\x00-\x7f]\w*")
_MIXED_CASE = re.compile(r"[a-zа-яё][A-ZА-ЯЁ]")
_MIXED_SCRIPT = re.compile(r"[a-zA-Z][а-яёА-ЯЁ]|[а-яёА-ЯЁ][a-zA-Z]")
# A decoding scoring below this (mean log-probability per non-ASCII
# character) is not Russian: Russian text scores about -3.3 (a lone short
# word like «Ещё» -5), the wrong Cyrillic code page -4 to -7, random bytes
# and Latin-1 accented text -6 to -7.5.
_MIN_RUSSIAN_SCORE = -5.3


# Bytes that are not UTF-8 are rare at one in 20 or fewer: English in cp1252
# (curly quotes, dashes), German or Spanish in Latin-1 have 1 to 3 in 100; a
# non-Latin script's code page makes most bytes such.
_RARE_BAD_BYTES = 20
_ESCAPED = re.compile("[\udc80-\udcff]")  # undecodable bytes, as surrogateescape marks them


def decode(data: bytes, cut: bool) -> tuple[str, int]:
    """The text of a file, or of its first bytes if `cut` (a character cut
    in two at their end is dropped), and how many undecodable bytes in it
    were replaced by U+FFFD."""
    codec = codec_of(data, cut)
    return replacing(codecs.getincrementaldecoder(codec)(error_handler(codec)).decode(data, final=not cut))


def replacing(text: str) -> tuple[str, int]:
    """text with the undecodable bytes that surrogateescape marked replaced
    by U+FFFD, and their number. ASCII has none, and is told at no cost:
    the search costs about as much as the reading of a JSONL file."""
    return (text, 0) if text.isascii() else _ESCAPED.subn("\ufffd", text)


def error_handler(codec: str) -> str:
    """How to decode undecodable bytes: surrogateescape marks each, to be
    counted and replaced; it cannot mark UTF-16's, replaced uncounted."""
    return "replace" if codec == "utf-16" else "surrogateescape"


def codec_of(data: bytes, cut: bool) -> str:
    """The codec of a file's text, told by its first bytes (`cut` unless
    they are all of it): UTF-8 (with or without BOM), UTF-16 with BOM, or
    Russian in cp1251 or koi8-r, whichever reads as Russian."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    head = data[:8192]
    if b"\0" in head or sum(b in _CONTROL for b in head) * 20 > len(head):
        raise UnreadableFile("binary file")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=not cut)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    # UTF-8 with a few broken bytes (or cut in the middle of a character)
    # is still UTF-8; a single-byte code page yields almost no valid UTF-8.
    sample = data[:SAMPLE_BYTES]
    utf8 = sample.decode("utf-8", errors="replace")
    bad = utf8.count("\ufffd")
    if sum(c > "\x7f" for c in utf8) - bad >= 10 * bad:
        return "utf-8"
    score, codec = max((_russian_score(sample.decode(c, errors="replace")), c)
                       for c in ("cp1251", "koi8-r"))
    if score >= _MIN_RUSSIAN_SCORE:
        return codec
    # Text in some other code page: its ASCII part is still worth indexing,
    # the rare bytes that are not UTF-8 replaced.
    if bad * _RARE_BAD_BYTES <= len(sample):
        return "utf-8"
    raise UnreadableFile("undecodable text")


def _russian_score(text: str) -> float:
    """How much the non-ASCII part of a text reads as Russian: the mean log
    letter frequency, less a penalty for words that a wrong code page makes,
    with case flipped inside the word (пТЙЧЕФ) or Latin and Cyrillic mixed."""
    chars = [c for c in text if c > "\x7f"]
    if not chars:
        return 0.0
    logp = sum(math.log(_RUSSIAN_FREQ.get(c.lower(), _RARE) / 1000) for c in chars) / len(chars)
    words = _NON_ASCII_WORD.findall(text)
    odd = sum(bool(_MIXED_CASE.search(w) or _MIXED_SCRIPT.search(w)) for w in words)
    return logp - 3 * odd / max(len(words), 1)
