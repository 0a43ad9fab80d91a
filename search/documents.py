"""Ingest: corpus files -> Documents.

`list_files` walks a corpus and `read_documents` reads one file into its
documents: one per .txt/.md/.html file, one per record of a .json/.jsonl.
Text files are in the corpus layout: an optional ` date YYYY-MM-DD ...` line,
an optional title line, the body paragraphs, perhaps a breadcrumb line above
the title and footer noise (share buttons, the outlet's name) below the body.

A file that cannot be read raises UnreadableFile with a one-line reason, and
nothing here raises for one bad entry of a walk: the indexer reports them
as skipped and goes on. What is left out of a file that is read (a JSON
record without text) or repaired in it (undecodable bytes) comes back as
notes beside its documents, which the indexer reports too.
"""
from __future__ import annotations

import codecs
import datetime
import errno
import io
import json
import math
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from search.language import detect

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm", ".json", ".jsonl"})

# Only the first 1,000,000 characters of a text file's or HTML page's text,
# and of each JSON record's body, are indexed: a 50 MB file is read in part
# rather than refused. The first 4 MB of a text or HTML file are read (UTF-8
# takes at most 4 bytes a character). JSON cannot be parsed in part: a .json
# file over 4 MB is refused, and so is a .jsonl line over 4 million
# characters, but not the rest of the file, which is read a line at a time.
MAX_TEXT_CHARS = 1_000_000
_MAX_READ_BYTES = 4 * MAX_TEXT_CHARS
_MAX_LINE_CHARS = 4 * MAX_TEXT_CHARS


@dataclass
class Document:
    # Relative POSIX path; "<path>#<n>" for a record of a .json list (n its
    # 1-based position) or of a .jsonl (n its 1-based line number).
    id: str
    title: str
    body: str
    date: str  # YYYY-MM-DD or ""
    lang: str  # "en" | "ru" | "other"
    source: str  # outlet name, or ""
    url: str = ""


@dataclass
class Skipped:
    path: str  # as listed: it may hold any name; printable() shows it
    reason: str


@dataclass
class Note:
    """Something left out of a file that was indexed, or repaired in it."""
    path: str  # the file's, or "<file>#<n>" for a record of it
    text: str


class UnreadableFile(Exception):
    """A file that gives no documents; str() is the reason."""


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


# ---------------------------------------------------------------- listing

def list_files(root: Path) -> tuple[dict[str, tuple[int, int]], list[Skipped]]:
    """{relpath: (size, mtime_ns)} of the article files under root, and the
    entries that could not be listed. Hidden names are ignored, and names
    that cannot be ids (id_fault) skipped; symlinks are followed to what
    lies inside the corpus only, a directory is walked once and a link back
    into its own ancestors is reported as a loop."""
    root = Path(root)
    real_root = os.path.realpath(root)
    files: dict[str, tuple[int, int]] = {}
    skipped: list[Skipped] = []
    root_st = root.stat()
    root_key = (root_st.st_dev, root_st.st_ino)
    seen = {root_key: "."}  # directory identity -> the path it was walked as
    # (directory, its relative path, identities of it and its ancestors)
    stack = [(root, "", (root_key,))]
    while stack:
        directory, rel_dir, ancestors = stack.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as e:
            skipped.append(Skipped(rel_dir or ".", _os_reason(e)))
            continue
        subdirs = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            if fault := id_fault(rel):
                skipped.append(Skipped(rel, fault))
                continue
            try:
                st = entry.stat()  # follows symlinks
            except OSError as e:
                skipped.append(Skipped(rel, _os_reason(e, os.path.islink(entry.path))))
                continue
            # Only a link can lead out: what is not one lies in a directory walked.
            if entry.is_symlink() and not _inside(os.path.realpath(entry.path), real_root):
                skipped.append(Skipped(rel, "outside the corpus"))
                continue
            if stat.S_ISDIR(st.st_mode):
                key = (st.st_dev, st.st_ino)
                if key in ancestors:
                    skipped.append(Skipped(rel, "symlink loop"))
                elif key in seen:
                    skipped.append(Skipped(rel, f"same directory as {seen[key]}"))
                else:
                    seen[key] = rel
                    subdirs.append((Path(entry.path), rel, ancestors + (key,)))
                continue
            suffix = Path(entry.name).suffix.lower()
            if suffix not in SUPPORTED_SUFFIXES:
                skipped.append(Skipped(rel, f"not an article format ({suffix or 'no extension'})"))
            elif not stat.S_ISREG(st.st_mode):
                skipped.append(Skipped(rel, "not a regular file"))
            else:
                files[rel] = (st.st_size, st.st_mtime_ns)
        stack.extend(reversed(subdirs))  # walked in name order
    return files, skipped


def _inside(path: str, directory: str) -> bool:
    """Whether a real path (os.path.realpath) lies in a real directory."""
    return os.path.commonpath((path, directory)) == directory


def _os_reason(e: OSError, is_link: bool = False) -> str:
    if e.errno == errno.ELOOP:
        return "symlink loop"
    if isinstance(e, FileNotFoundError):
        return "broken symlink" if is_link else "vanished"
    if isinstance(e, PermissionError):
        return "unreadable: permission denied"
    return f"unreadable: {(e.strerror or str(e)).lower()}"


# ---------------------------------------------------------------- reading

def read_documents(root: Path, relpath: str) -> tuple[list[Document], list[Note]]:
    """The documents of one file, and notes on what was left out of it or
    repaired; raises UnreadableFile(reason)."""
    suffix = Path(relpath).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableFile(f"not an article format ({suffix or 'no extension'})")
    with _open(Path(root), relpath) as f:
        try:
            if suffix == ".jsonl":
                docs, notes = _jsonl_documents(relpath, f)
            else:
                docs, notes = _file_documents(relpath, suffix, f)
        except OSError as e:
            raise UnreadableFile(_os_reason(e)) from None
    docs = [d for d in docs if d.body]
    if not docs:
        raise UnreadableFile("no text")
    return docs, notes


def _open(root: Path, relpath: str):
    """relpath under root opened for reading in binary, a regular file
    whose real path lies in root's: it is checked again here, as a link may
    have been put in a listed file's place."""
    path = root / relpath
    try:
        real = os.path.realpath(path, strict=True)
        if not _inside(real, os.path.realpath(root)):
            raise UnreadableFile("outside the corpus")
        # O_NOFOLLOW: the real path's last part is not followed if it has
        # become a link since. O_NONBLOCK: opening a FIFO must not hang;
        # fstat then refuses it.
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except OSError as e:
        raise UnreadableFile(_os_reason(e, os.path.islink(path))) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise UnreadableFile("is a directory" if stat.S_ISDIR(mode) else "not a regular file")
    return os.fdopen(fd, "rb")


def _file_documents(relpath: str, suffix: str, f) -> tuple[list[Document], list[Note]]:
    """The documents of a text, HTML or JSON file, read whole or, past
    _MAX_READ_BYTES, in part."""
    if suffix == ".json" and os.fstat(f.fileno()).st_size > _MAX_READ_BYTES:
        raise UnreadableFile(f"JSON file over {_MAX_READ_BYTES // 10**6} MB: make it .jsonl, a record a line")
    data = f.read(_MAX_READ_BYTES)
    text, replaced = _decode(data, cut=bool(f.read(1)))
    notes = _replaced(relpath, replaced)
    if not text.strip():
        raise UnreadableFile("empty file")
    if suffix == ".json":
        docs, record_notes = _json_documents(relpath, text)
        return docs, notes + record_notes
    if suffix in (".html", ".htm"):
        return [_html_document(relpath, text)], notes
    return [_text_document(relpath, text[:MAX_TEXT_CHARS], suffix == ".md")], notes


def _replaced(path: str, count: int) -> list[Note]:
    return [Note(path, f"{count} undecodable byte(s) replaced")] if count else []


# ---------------------------------------------------------------- decoding

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_SAMPLE_BYTES = 65536  # of a file's start, enough to tell its code page by
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


def _decode(data: bytes, cut: bool) -> tuple[str, int]:
    """The text of a file, or of its first bytes if `cut` (a character cut
    in two at their end is dropped), and how many undecodable bytes in it
    were replaced by U+FFFD."""
    codec = _codec(data, cut)
    return _replacing(codecs.getincrementaldecoder(codec)(_errors(codec)).decode(data, final=not cut))


def _replacing(text: str) -> tuple[str, int]:
    """text with the undecodable bytes that surrogateescape marked replaced
    by U+FFFD, and their number. ASCII has none, and is told at no cost:
    the search costs about as much as the reading of a JSONL file."""
    return (text, 0) if text.isascii() else _ESCAPED.subn("\ufffd", text)


def _errors(codec: str) -> str:
    """How to decode undecodable bytes: surrogateescape marks each, to be
    counted and replaced; it cannot mark UTF-16's, replaced uncounted."""
    return "replace" if codec == "utf-16" else "surrogateescape"


def _codec(data: bytes, cut: bool) -> str:
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
    sample = data[:_SAMPLE_BYTES]
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


# ---------------------------------------------------------------- dates

_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_DMY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)")


def _normalize_date(value) -> str:
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


# ---------------------------------------------------------------- sources

@dataclass(frozen=True)
class _Outlet:
    name: str
    aliases: tuple[str, ...]  # as written in text, case-sensitive
    domains: tuple[str, ...] = ()


_OUTLETS = (
    _Outlet("Trend", ("Trend",), ("trend.az",)),
    _Outlet("Azernews", ("Azernews", "AzerNews"), ("azernews.az",)),
    _Outlet("RIA Novosti", ("РИА Новости", "RIA Novosti"), ("ria.ru",)),
    _Outlet("Kazinform", ("Kazinform", "Казинформ"), ("inform.kz",)),
    _Outlet("Day.Az", ("Day.Az",), ("day.az",)),
    _Outlet("TuraNews", ("TuraNews",)),
)
_BY_ALIAS = {a: o.name for o in _OUTLETS for a in o.aliases}
_ALIAS = "|".join(re.escape(a) for a in sorted(_BY_ALIAS, key=len, reverse=True))
# Attribution: "told Trend", "Azernews reports", "МОСКВА, 20 ноя - РИА
# Новости", "пишет агентство Kazinform", "Как сообщает Day.Az".
_ATTRIBUTION = re.compile(
    rf"(?:\b(?:told|to|according to|reports?|reported|пишет|сообщает|сообщил[аио]?|"
    rf"передает|передаёт|рассказал[аио]?|заявил[аио]?)(?:\s+агентств[оу])?\s+|\s[-–—]\s+)"
    rf"(?P<a>{_ALIAS})(?!\w)"
    rf"|(?P<b>{_ALIAS})\s+(?:reports|reported|writes|сообщает|пишет)\b")
_ATTRIBUTION_CHARS = 3000  # the first paragraphs


def _outlet_in_text(text: str) -> str:
    m = _ATTRIBUTION.search(text[:_ATTRIBUTION_CHARS])
    return _BY_ALIAS[m.group("a") or m.group("b")] if m else ""


def _outlet_of_url(url: str) -> str:
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
    for outlet in _OUTLETS:
        if any(host == d or host.endswith("." + d) for d in outlet.domains):
            return outlet.name
    return ""


# ---------------------------------------------------------------- text layout

_DATE_LINE = re.compile(r"\s*date\s+(\d{4}-\d{1,2}-\d{1,2})(?!\d)\s*(.*)", re.S)
# What may follow the date on its line besides the body: "5 May 2023 11:57
# (UTC+04:00)", "14:37 (UTC+03:00)", "5 мая 2023 г.".
_DATE_WORD = re.compile(
    r"\(?(?:\d{1,4}[:.,/]?|\d\d?:\d\d(?::\d\d)?|(?:UTC|GMT|MSK)(?:[+\-−]\d\d?(?::?\d\d)?)?\)?"
    r"|(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|янв|фев|мар|апр|ма[йя]|июн|июл"
    r"|авг|сен|окт|ноя|дек)[a-zа-я]*\.?,?|г\.|года|(?i:am|pm))\)?,?")
_BREADCRUMB = re.compile(
    # "ГлавноеПолитика", "Home", "Home > Politics", "ГЛАВНАЯ / Новости"
    r"(?:Home|Main|Главная|Главное)(?:[A-ZА-ЯЁ]|$)|(?i:home|main|главная|главное)\s*[>›»/|→]"
    # "News › World › Europe": three or more short parts
    r"|[^\s>›»/|→][^>›»/|→]{0,40}(?:\s[>›»/|→]\s[^>›»/|→]{1,40}){2,}$")
_FOOTER = re.compile(
    r"(?i:back to top(?: button)?|share(?: this)?|поделиться|tweet|print|печать|subscribe"
    r"|подписаться|read more|читайте также|comments?|комментарии|advertisement|реклама"
    r"|related|tags?|теги|(?:©|\(c\)|copyright).*|все права защищены.*)\s*:?"
    rf"|{_ALIAS}")
_FOOTER_LINES = 8
_SENTENCE_END = ".!?…:;,"
_CLOSING = "\"'”’»)]"
_MAX_TITLE_CHARS = 250
_MARKDOWN_HEADING = re.compile(r"#{1,6}\s+(.*?)\s*#*")


def _text_document(relpath: str, text: str, markdown: bool) -> Document:
    lines = text.splitlines()
    date = ""
    body_first = False  # the date line goes on with the body: no title then
    m = _DATE_LINE.fullmatch(lines[0]) if lines else None
    if m:
        date = _normalize_date(m.group(1))
        rest = m.group(2).strip()
        body_first = not all(_DATE_WORD.fullmatch(w) for w in rest.split())
        lines[0] = rest if body_first else ""
    lines, footer_source = _strip_noise(lines)
    title = ""
    if lines and not body_first:
        heading = _MARKDOWN_HEADING.fullmatch(lines[0]) if markdown else None
        if heading or _is_title(lines):
            title = heading.group(1) if heading else lines[0].strip()
            lines = lines[1:]
    body = "\n".join(lines).strip()
    return Document(
        id=relpath, title=title, body=body, date=date,
        lang=detect(f"{title}\n{body}"),
        source=footer_source or _outlet_in_text(f"{title}\n{body}"),
    )


def _strip_noise(lines: list[str]) -> tuple[list[str], str]:
    """Lines without leading blanks and breadcrumbs and without trailing
    footer noise, and the outlet a footer line names."""
    start = 0
    while start < len(lines) and (
            not lines[start].strip() or _BREADCRUMB.match(lines[start].strip())):
        start += 1
    lines = lines[start:]
    source = ""
    for _ in range(_FOOTER_LINES):
        while lines and not lines[-1].strip():
            lines.pop()
        last = lines[-1].strip() if lines else ""
        if not last or len(last) > 60 or not _FOOTER.fullmatch(last):
            break
        alias = re.search(_ALIAS, last)
        if alias and not source:
            source = _BY_ALIAS[alias.group()]
        lines.pop()
    return lines, source


def _is_title(lines: list[str]) -> bool:
    """Whether lines[0] is a headline: two words or more but short, not
    ending a sentence, and followed by a blank line or by a paragraph twice
    as long. A document's only paragraph is never a title."""
    first = lines[0].strip()
    if len(first) > _MAX_TITLE_CHARS or len(first.split()) < 2:
        return False
    if first.rstrip(_CLOSING)[-1:] in _SENTENCE_END:
        return False
    if not any(line.strip() for line in lines[1:]):
        return False
    return not lines[1].strip() or len(lines[1]) > 2 * len(first)


# ---------------------------------------------------------------- HTML

_INVISIBLE_TAGS = frozenset({"head", "title", "script", "style", "noscript", "template", "nav",
                             "footer", "aside", "form", "svg", "iframe"})
# Tags that break lines: the text of one of them is not run into its neighbours'.
_BLOCK_TAGS = frozenset({"br", "p", "div", "section", "article", "header", "main", "li", "ul",
                         "ol", "table", "tr", "td", "th", "blockquote", "pre", "figure",
                         "figcaption", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6"})


def _html_document(relpath: str, text: str) -> Document:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")

    def meta(key: str) -> str:
        tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
        return " ".join(str(tag.get("content") or "").split()) if tag else ""

    root = soup.find("article") or soup.body or soup
    h1 = root.find("h1") or soup.find("h1")
    title = " ".join(h1.get_text(" ").split()) if h1 else ""
    if not title:
        h1 = None
        title = meta("og:title") or (" ".join(soup.title.get_text().split()) if soup.title else "")
    time_tag = soup.find("time", attrs={"datetime": True})
    date = _normalize_date(meta("article:published_time")
                           or (time_tag["datetime"] if time_tag else ""))
    canonical = soup.find("link", attrs={"rel": "canonical", "href": True})
    url = meta("og:url") or (canonical["href"] if canonical else "")
    site = meta("og:site_name")

    lines, footer_source = _strip_noise(_visible_lines(root, skip=h1))
    body = "\n".join(lines)[:MAX_TEXT_CHARS]
    return Document(
        id=relpath, title=title, body=body, date=date,
        lang=detect(f"{title}\n{body}"),
        source=(_BY_ALIAS.get(site, site) or _outlet_of_url(url) or footer_source
                or _outlet_in_text(f"{title}\n{body}")),
        url=url,
    )


def _visible_lines(root, skip) -> list[str]:
    """The text of root as non-empty lines, without invisible elements and
    without `skip` (the h1 taken as the title). One pass over the tree:
    editing it instead (decompose, insert) is quadratic on a large page."""
    from bs4 import NavigableString, Tag

    parts = []
    for node in root.descendants:
        if isinstance(node, Tag):
            if node.name in _BLOCK_TAGS:
                parts.append("\n")
        # Comments, doctypes, script and style text are other string types.
        elif type(node) is NavigableString and not any(
                p is skip or p.name in _INVISIBLE_TAGS for p in node.parents):
            before = node.previous_sibling
            if isinstance(before, Tag) and before.name in _BLOCK_TAGS:
                parts.append("\n")
            parts.append(node)
    lines = (" ".join(line.split()) for line in "".join(parts).splitlines())
    return [line for line in lines if line]


# ---------------------------------------------------------------- JSON

def _json_documents(relpath: str, text: str) -> tuple[list[Document], list[Note]]:
    """A document per record of a list, the id carrying its position, or
    one for an object; a record that gives none is noted."""
    data = _parsed(text)
    records = ([(f"{relpath}#{n}", r) for n, r in enumerate(data, 1)] if isinstance(data, list)
               else [(relpath, data)])
    docs, notes = [], []
    for doc_id, record in records:
        try:
            docs.append(_record_document(doc_id, record))
        except UnreadableFile as e:
            notes.append(Note(doc_id, str(e)))
    if not docs:
        raise UnreadableFile("no usable JSON record")
    return docs, notes


def _jsonl_documents(relpath: str, f) -> tuple[list[Document], list[Note]]:
    """A document per line, read a line at a time; the id carries the line
    number, so fixing a malformed line does not renumber the others. A line
    that gives none is noted. Lines end at "\\n" only: str.splitlines also
    ends one at a U+2028, which a JSON string may hold as it is."""
    codec = _codec(f.read(_SAMPLE_BYTES), cut=True)
    f.seek(0)
    lines = io.TextIOWrapper(f, codec, errors=_errors(codec), newline="\n")
    docs, notes = [], []
    number = 0
    while line := lines.readline(_MAX_LINE_CHARS + 1):
        number += 1
        doc_id = f"{relpath}#{number}"
        if len(line) > _MAX_LINE_CHARS and not line.endswith("\n"):
            while line and not line.endswith("\n"):  # the rest of it, read and dropped
                line = lines.readline(_MAX_LINE_CHARS)
            notes.append(Note(doc_id, f"line over {_MAX_LINE_CHARS // 10**6} million characters"))
            continue
        line, replaced = _replacing(line.removesuffix("\n").removesuffix("\r"))
        if not line.strip():
            continue
        try:
            docs.append(_record_document(doc_id, _parsed(line)))
        except UnreadableFile as e:
            notes.append(Note(doc_id, str(e)))
            continue
        notes += _replaced(doc_id, replaced)
    if not docs:
        raise UnreadableFile("no usable JSON record" if notes else "empty file")
    return docs, notes


def _parsed(text: str):
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise UnreadableFile("malformed JSON") from None


def _record_document(doc_id: str, record) -> Document:
    """A Document from a JSON object with a text, body or content string;
    raises UnreadableFile(reason) for anything else."""
    if not isinstance(record, dict):
        raise UnreadableFile("not a JSON object")

    def field(*keys: str) -> str:
        for key in keys:
            value = record.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
        return ""

    body = field("text", "body", "content")[:MAX_TEXT_CHARS]
    if not body:
        raise UnreadableFile("no text")
    title = field("title")
    url = field("url")
    lang = field("lang").lower().split("-")[0]
    source = field("source")
    return Document(
        id=doc_id, title=title, body=body, date=_normalize_date(record.get("date")),
        lang=lang if lang in ("en", "ru") else detect(f"{title}\n{body}"),
        source=(_BY_ALIAS.get(source, source) or _outlet_of_url(url)
                or _outlet_in_text(f"{title}\n{body}")),
        url=url,
    )
