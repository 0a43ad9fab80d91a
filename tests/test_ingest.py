import json
import os
import shutil
import tempfile
import time
import tracemalloc
from pathlib import Path

import pytest

from helpers import ENGLISH, RUSSIAN, SAMPLE, as_unprivileged_user
from search.ingest import Document, Note, UnreadableFile, list_files, printable, read_documents
from search.ingest.documents import MAX_TEXT_CHARS, SUPPORTED_SUFFIXES
from search.ingest.headlines import MAX_HEADLINE_CHARS, derive_headline




def write(root: Path, rel: str, content) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def documents(root: Path, rel: str) -> list[Document]:
    """The documents of a file that reads with no note."""
    docs, notes = read_documents(root, rel)
    assert notes == []
    return docs


def read_one(root: Path, rel: str, content) -> Document:
    write(root, rel, content)
    docs = documents(root, rel)
    assert len(docs) == 1
    return docs[0]


def reason(root: Path, rel: str) -> str:
    with pytest.raises(UnreadableFile) as exc:
        read_documents(root, rel)
    return str(exc.value)


# ---------------------------------------------------------------- the sample corpus

# A title ending in "…" is derived (ingest/headlines.py) and cut there.
@pytest.mark.parametrize("name, title, date, lang, source, body_start", [
    ("000_1b4e62a6aabbd5a2.txt",
     "The first meeting of the Azerbaijan-Albania Economic, Industrial, and Technological Cooperation Working "
     "Group was held in Tirana, Albania, Azernews …", "2023-05-05", "en", "Azernews",
     "The first meeting of the Azerbaijan-Albania"),
    ("001_e525b34afe8532cd.txt",  # without the dateline "BAKU, Azerbaijan, November 24."
     "The visit of President Ilham Aliyev to Serbia’s Belgrade on November 23 has opened a new page in the "
     "relations between Azerbaijan and Serbia", "2022-11-24", "en", "Trend",
     "BAKU, Azerbaijan, November 24. The visit of President Ilham Aliyev"),
    ("002_6d56cdcdf6ea52bb.txt",
     "A delegation headed by Deputy Prime Minister of Azerbaijan Shahin Mustafayev paid a visit to Iran on "
     "December 22, 2020, the Cabinet of Ministers of …", "", "en", "Trend",
     "A delegation headed by Deputy Prime Minister"),
    ("003_1da6fcedd6322d04.txt",
     "В рамках бизнес-миссии, возглавляемой старшим вице-президентом Торговой палаты США по международным "
     "отношениям с членами, Ближнему Востоку и Турции …", "2026-02-10", "ru", "Day.Az",
     "В рамках бизнес-миссии"),
    ("004_7cdd14b6ffe0cde8.txt",
     "Азербайджан и НАТО обменялись мнениями по энергетическому взаимодействию",
     "", "ru", "TuraNews", "В Баку прошел круглый стол «Азербайджан — НАТО»"),
])
def test_sample_articles(name, title, date, lang, source, body_start):
    doc, = documents(SAMPLE, name)
    assert (doc.id, doc.title, doc.date, doc.lang, doc.source) == (name, title, date, lang, source)
    assert doc.title_derived == (name != "004_7cdd14b6ffe0cde8.txt")
    assert doc.body.startswith(body_start)
    assert "date 20" not in doc.body and "UTC" not in doc.body


def test_sample_breadcrumb_and_footer_dropped():
    doc, = documents(SAMPLE, "004_7cdd14b6ffe0cde8.txt")
    assert "ГлавноеПолитика" not in doc.body
    assert "TuraNews" not in doc.body and "Back to top" not in doc.body
    assert doc.body.endswith("соответствующих учреждений Азербайджана.")


def test_sample_corpus_lists_all_five():
    files, skipped = list_files(SAMPLE)
    assert len(files) == 5 and not skipped
    assert all(size > 0 and mtime > 0 for size, mtime in files.values())


# ---------------------------------------------------------------- text layout

def test_kit_layout_date_title_blank_body(tmp_path):
    doc = read_one(tmp_path, "en/a.txt",
                   f" date 1987-02-26\nBahia Cocoa Review\n\n{ENGLISH}\n")
    assert (doc.id, doc.title, doc.date, doc.lang) == (
        "en/a.txt", "Bahia Cocoa Review", "1987-02-26", "en")
    assert doc.body == ENGLISH


def test_date_line_with_time_and_zone_then_body_without_title(tmp_path):
    doc = read_one(tmp_path, "ria.txt",
                   f" date 2023-11-20 14:52 (UTC+03:00)\nМОСКВА, 20 ноя - РИА Новости. {RUSSIAN}\n")
    assert (doc.title, doc.date, doc.source, doc.lang) == (
        "В Баку прошел круглый стол, посвященный изучению вопросов энергетической безопасности и изменения "
        "климата", "2023-11-20", "RIA Novosti", "ru")
    assert doc.title_derived and doc.body.startswith("МОСКВА, 20 ноя")


@pytest.mark.parametrize("rest", ["5 May 2023 11:57 (UTC+04:00)", "14:37 (UTC+03:00)",
                                  "5 мая 2023 г. 10:00", ""])
def test_human_date_after_the_date_is_dropped(tmp_path, rest):
    doc = read_one(tmp_path, "a.txt",
                   f" date 2023-05-05 {rest}\n\nGas talks resume in Baku\n\n{ENGLISH}")
    assert (doc.date, doc.title, doc.body) == ("2023-05-05", "Gas talks resume in Baku", ENGLISH)


def test_invalid_date_is_empty(tmp_path):
    doc = read_one(tmp_path, "a.txt", f" date 2023-02-30\n{ENGLISH}")
    assert doc.date == "" and doc.body == ENGLISH


def test_title_followed_directly_by_a_long_paragraph(tmp_path):
    doc = read_one(tmp_path, "a.txt", f"Gas talks resume in Baku\n{ENGLISH}")
    assert (doc.title, doc.body) == ("Gas talks resume in Baku", ENGLISH)


@pytest.mark.parametrize("text", [
    ENGLISH,  # a lone paragraph (the xquad layout)
    f"{ENGLISH}\n\n{ENGLISH}",  # a lead paragraph ends a sentence
    f"Talks resumed in Baku.\n\n{ENGLISH}",
    f"Talks resumed\nin Baku\n{ENGLISH}",  # a wrapped line, not followed by a paragraph
    "Gas talks resume in Baku",  # nothing but the line
])
def test_not_a_title(tmp_path, text):
    doc = read_one(tmp_path, "a.txt", text)
    assert doc.title_derived and doc.body == text


@pytest.mark.parametrize("crumb", ["ГлавноеПолитика", "Home > Politics", "Главная / Новости",
                                   "News › World › Europe"])
def test_breadcrumb_dropped(tmp_path, crumb):
    doc = read_one(tmp_path, "a.txt", f"{crumb}\n\nGas talks resume in Baku\n\n{ENGLISH}")
    assert (doc.title, doc.body) == ("Gas talks resume in Baku", ENGLISH)


def test_footer_noise_dropped(tmp_path):
    footer = "\n\nShare\nПоделиться:\n\nBack to top button\n© 2024 Some Outlet\n"
    doc = read_one(tmp_path, "a.txt", f"Gas talks resume in Baku\n\n{ENGLISH}{footer}")
    assert doc.body == ENGLISH and doc.source == ""


def test_markdown_heading_is_the_title(tmp_path):
    doc = read_one(tmp_path, "a.md", f"# Gas talks resume in Baku\n\n{ENGLISH}\n")
    assert (doc.title, doc.body) == ("Gas talks resume in Baku", ENGLISH)


@pytest.mark.parametrize("sentence, source", [
    ("the minister told Trend on Monday.", "Trend"),
    ("the talks went well, Azernews reports.", "Azernews"),
    ("МОСКВА, 20 ноя — РИА Новости. Переговоры прошли успешно.", "RIA Novosti"),
    ("переговоры прошли успешно, пишет агентство Kazinform.", "Kazinform"),
    ("Как сообщает Day.Az, переговоры прошли успешно.", "Day.Az"),
    ("the trend reports on the talks were good.", ""),  # a common word, not the outlet
])
def test_source_from_attribution(tmp_path, sentence, source):
    doc = read_one(tmp_path, "a.txt", f"Talks in Baku\n\n{sentence}\n\n{ENGLISH}")
    assert doc.source == source


# ---------------------------------------------------------------- derived headlines

@pytest.mark.parametrize("body, headline", [
    ("МОСКВА, 11 окт - РИА Новости. Газпром увеличил поставки газа в Китай. Подробности позже.",
     "Газпром увеличил поставки газа в Китай"),
    ("С.-ПЕТЕРБУРГ, 6 окт- РИА Новости. Мост открыт. Ещё.", "Мост открыт"),
    ("МОСКВА, 20 ноя — РИА Новости, Анастасия Силкина. Рубль укрепился! Ещё.", "Рубль укрепился!"),
    ("МОСКВА, 5 марта. /ТАСС/. Саммит начался. Ещё.", "Саммит начался"),
    ("LONDON (Reuters) - Oil prices rose on Monday. More.", "Oil prices rose on Monday"),
    ("WASHINGTON, March 5 (AP) — Talks resumed. More.", "Talks resumed"),
    ("BAKU, Azerbaijan, November 24. The visit ended. More.", "The visit ended"),
    # initials and abbreviations end no sentence
    ("Александр М. Петров и Mr. Smith met in the U.S. capital. More.",
     "Александр М. Петров и Mr. Smith met in the U.S. capital"),
    ("NATO said the talks went well. More.", "NATO said the talks went well"),
])
def test_derived_headline(body, headline):
    assert derive_headline(body) == headline


def test_long_first_sentence_is_cut_at_a_word():
    headline = derive_headline("word " * 100)
    assert headline.endswith(" …") and len(headline) <= MAX_HEADLINE_CHARS + 2
    assert headline[:-2].split() == ["word"] * len(headline[:-2].split())


def test_a_given_title_is_kept(tmp_path):
    doc = read_one(tmp_path, "a.txt", f"Gas talks resume in Baku\n\nLONDON (Reuters) - {ENGLISH}")
    assert (doc.title, doc.title_derived) == ("Gas talks resume in Baku", False)


# ---------------------------------------------------------------- HTML

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Gas deal signed | Trend</title>
<meta property="og:title" content="Gas deal signed">
<meta property="article:published_time" content="2023-05-05T11:57:00+04:00">
<meta property="og:url" content="https://en.trend.az/business/123.html">
<style>body { color: red }</style><script>var hidden = "script text";</script></head>
<body><nav><a href="/">Home</a> <a href="/biz">Business</a></nav>
<article><h1>Azerbaijan and Albania sign <b>gas</b> deal</h1>
<p>The working group met in <a href="#">Tirana</a>, the ministry said.<br>
It was the first meeting.</p>
<p>Energy Minister Parviz Shahbazov said that the two countries are members of the TAP project.</p>
<!-- a comment -->
</article><footer>Copyright 2023. All rights reserved.</footer></body></html>
"""


def test_html_visible_text_title_date_url_source(tmp_path):
    doc = read_one(tmp_path, "a.html", PAGE)
    assert doc.title == "Azerbaijan and Albania sign gas deal"
    assert doc.body == ("The working group met in Tirana, the ministry said.\n"
                        "It was the first meeting.\n"
                        "Energy Minister Parviz Shahbazov said that the two countries are members "
                        "of the TAP project.")
    assert (doc.date, doc.lang, doc.source, doc.url) == (
        "2023-05-05", "en", "Trend", "https://en.trend.az/business/123.html")


def test_html_title_falls_back_to_og_title_then_title_tag(tmp_path):
    no_h1 = PAGE.replace("<h1>", "<p>").replace("</h1>", "</p>")
    assert read_one(tmp_path, "a.htm", no_h1).title == "Gas deal signed"
    bare = no_h1.replace('<meta property="og:title" content="Gas deal signed">', "")
    assert read_one(tmp_path, "b.htm", bare).title == "Gas deal signed | Trend"


def test_html_time_element_gives_the_date(tmp_path):
    page = (f"<html><body><h1>Газ подорожал</h1><time datetime='2024-01-31T08:00'>31 января</time>"
            f"<p>{RUSSIAN}</p></body></html>")
    doc = read_one(tmp_path, "a.html", page)
    assert (doc.title, doc.date, doc.lang) == ("Газ подорожал", "2024-01-31", "ru")


def test_large_html_page_is_linear(tmp_path):
    paragraph = f"<p>{ENGLISH} <b>Bold</b> <a href='#'>link</a>.</p>\n"
    write(tmp_path, "big.html", f"<html><body><h1>Huge page</h1>{paragraph * 4000}</body></html>")
    started = time.perf_counter()
    doc, = documents(tmp_path, "big.html")
    assert time.perf_counter() - started < 5
    assert doc.title == "Huge page" and doc.body.count("\n") == 3999


def test_html_with_no_text(tmp_path):
    write(tmp_path, "a.html", "<html><head><script>var x = 1;</script></head><body> </body></html>")
    assert reason(tmp_path, "a.html") == "no text"


# ---------------------------------------------------------------- JSON

def test_json_object(tmp_path):
    record = {"title": "Gas deal", "content": ENGLISH, "date": "2023-05-05T11:57:00Z",
              "url": "https://www.azernews.az/business/1.html"}
    doc = read_one(tmp_path, "a.json", json.dumps(record))
    assert (doc.id, doc.title, doc.body, doc.date, doc.lang, doc.source, doc.url) == (
        "a.json", "Gas deal", ENGLISH, "2023-05-05", "en", "Azernews", record["url"])


def test_json_list_gives_numbered_ids(tmp_path):
    records = [{"title": "One", "text": ENGLISH, "lang": "ru"},
               "not a record",
               {"title": "Three", "body": RUSSIAN, "lang": "xx", "date": "31.01.2024",
                "source": "Some Agency"}]
    write(tmp_path, "d/list.json", json.dumps(records, ensure_ascii=False))
    (one, three), notes = read_documents(tmp_path, "d/list.json")
    assert notes == [Note("d/list.json#2", "not a JSON object")]
    assert (one.id, one.lang) == ("d/list.json#1", "ru")  # a given en/ru is trusted
    assert (three.id, three.lang, three.date, three.source) == (
        "d/list.json#3", "ru", "2024-01-31", "Some Agency")


def test_jsonl_malformed_line_is_noted_by_its_number(tmp_path):
    lines = [json.dumps({"title": "One", "text": ENGLISH}),
             '{"title": "broken", "text": ',
             "",
             json.dumps({"title": "Four", "text": RUSSIAN, "date": "2023-13-01"},
                        ensure_ascii=False)]
    write(tmp_path, "a.jsonl", "\n".join(lines) + "\n")
    docs, notes = read_documents(tmp_path, "a.jsonl")
    assert [(d.id, d.title, d.lang, d.date) for d in docs] == [
        ("a.jsonl#1", "One", "en", ""), ("a.jsonl#4", "Four", "ru", "")]
    assert notes == [Note("a.jsonl#2", "malformed JSON")]


def test_jsonl_lines_end_at_a_line_feed_only(tmp_path):
    record = {"title": "Line\u2028separator", "text": f"Talks\x85resumed.\u2029{ENGLISH}"}
    write(tmp_path, "a.jsonl", json.dumps(record, ensure_ascii=False) + "\r\n" + json.dumps({"text": ENGLISH}))
    one, two = documents(tmp_path, "a.jsonl")
    assert (one.id, one.title, one.body, two.id) == ("a.jsonl#1", record["title"], record["text"], "a.jsonl#2")


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "cp1251", "koi8-r"])
def test_jsonl_in_other_codecs(tmp_path, codec):
    lines = [json.dumps({"text": text}, ensure_ascii=False) for text in (RUSSIAN, "Газ подорожал")]
    write(tmp_path, "a.jsonl", "\n".join(lines).encode(codec))
    assert [d.body for d in documents(tmp_path, "a.jsonl")] == [RUSSIAN, "Газ подорожал"]


def test_a_jsonl_line_over_the_cap_is_noted_and_not_held_in_memory(tmp_path):
    record = json.dumps({"text": ENGLISH})
    with open(tmp_path / "a.jsonl", "w", encoding="utf-8") as f:
        f.write(f"{record}\n")
        f.write(json.dumps({"text": "word " * 10_000_000}) + "\n")  # 50 MB
        f.write(f"{record}\n")
    tracemalloc.start()
    try:
        docs, notes = read_documents(tmp_path, "a.jsonl")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [d.id for d in docs] == ["a.jsonl#1", "a.jsonl#3"]
    assert notes == [Note("a.jsonl#2", "line over 4 million characters")]
    assert peak < 40 * 2**20  # a 4-million-character piece of the line at a time, as text and bytes
    (tmp_path / "a.jsonl").unlink()  # pytest keeps the last runs' files


def test_a_json_file_over_the_cap_is_refused_unread(tmp_path):
    with open(tmp_path / "a.json", "wb") as f:
        f.truncate(MAX_TEXT_CHARS * 4 + 1)  # sparse: reading it would find NULs
    assert reason(tmp_path, "a.json") == "JSON file over 4 MB: make it .jsonl, a record a line"


@pytest.mark.parametrize("rel, content, why", [
    ("a.jsonl", '{"title": "x"\nnot json\n[1, 2]\n', "no usable JSON record"),
    ("a.json", '{"title": "x", "text": ', "malformed JSON"),
    ("b.json", '{"title": "no body"}', "no usable JSON record"),
    ("b.jsonl", '\n \r\n\n', "empty file"),
    ("c.jsonl", b"\x00\x01binary\n", "binary file"),
])
def test_json_without_usable_records(tmp_path, rel, content, why):
    write(tmp_path, rel, content)
    assert reason(tmp_path, rel) == why


# ---------------------------------------------------------------- encodings

RUSSIAN_SENTENCES = [
    "Да", "Ещё", "Привет", "МОСКВА", "Газ подорожал",
    "Шахбазов встретился с послом США.",
    "Цена нефти Brent выросла до 85 долларов за баррель",
    RUSSIAN,
]


@pytest.mark.parametrize("codec", ["cp1251", "koi8-r"])
@pytest.mark.parametrize("sentence", RUSSIAN_SENTENCES)
def test_single_byte_russian(tmp_path, codec, sentence):
    doc = read_one(tmp_path, "a.txt", sentence.encode(codec))
    assert doc.body == sentence


def test_cp1251_article_with_title_and_quotes(tmp_path):
    text = f" date 2024-03-01\nАзербайджан и НАТО: «энергия»\n\n{RUSSIAN} — сообщает Day.Az.\n"
    doc = read_one(tmp_path, "a.txt", text.encode("cp1251"))
    assert (doc.title, doc.date, doc.lang, doc.source) == (
        "Азербайджан и НАТО: «энергия»", "2024-03-01", "ru", "Day.Az")


@pytest.mark.parametrize("codec, bom", [("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"),
                                        ("utf-16-be", b"\xfe\xff")])
def test_byte_order_marks(tmp_path, codec, bom):
    text = f" date 2024-03-01 10:00 (UTC+03:00)\nГаз подорожал\n\n{RUSSIAN}\n"
    doc = read_one(tmp_path, "a.txt", bom + text.encode(codec))
    assert (doc.title, doc.date, doc.body) == ("Газ подорожал", "2024-03-01", RUSSIAN)


def test_utf8_with_a_broken_byte_still_reads(tmp_path):
    write(tmp_path, "a.txt", RUSSIAN.encode() + b"\xd0")  # cut inside a character
    (doc,), notes = read_documents(tmp_path, "a.txt")
    assert doc.body == RUSSIAN + "\ufffd"
    assert notes == [Note("a.txt", "1 undecodable byte(s) replaced")]


@pytest.mark.parametrize("text", [ENGLISH * 3 + " Café.", ENGLISH + " The café in Zürich served crème brûlée."])
def test_latin1_text_keeps_its_ascii(tmp_path, text):
    write(tmp_path, "a.txt", text.encode("latin-1"))
    (doc,), notes = read_documents(tmp_path, "a.txt")
    assert doc.body.startswith(ENGLISH) and doc.lang == "en"
    bad = sum(c > "\x7f" for c in text)
    assert notes == [Note("a.txt", f"{bad} undecodable byte(s) replaced")]
    assert doc.body == "".join("\ufffd" if c > "\x7f" else c for c in text)


def test_a_character_cut_by_the_read_limit_is_no_undecodable_byte(tmp_path):
    text = "a" + "Газ " * MAX_TEXT_CHARS  # 7 MB, 1 + 7 bytes each: 4 MB ends inside "а"
    doc = read_one(tmp_path, "a.txt", text)
    assert len(doc.body) <= MAX_TEXT_CHARS and "\ufffd" not in doc.body
    (tmp_path / "a.txt").unlink()


@pytest.mark.parametrize("content, why", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary file"),
    (b"text\x01\x02\x03\x04\x05\x06\x07\x08 more\x0e\x0f\x10\x11\x12", "binary file"),
    (bytes(range(0x80, 0x100)) * 8, "undecodable text"),
    (b"", "empty file"),
    (b" \n\n\t \n", "empty file"),
    (b"\xef\xbb\xbf", "empty file"),
    (b" date 2023-05-05 11:57 (UTC+04:00)\n\nShare\nBack to top\n", "no text"),
])
def test_unreadable_contents(tmp_path, content, why):
    write(tmp_path, "a.txt", content)
    assert reason(tmp_path, "a.txt") == why


# ---------------------------------------------------------------- listing and file trouble

def test_list_files_formats_hidden_and_unsupported(tmp_path):
    for rel in ["a.txt", "b.MD", "c.html", "d.htm", "e.json", "f.jsonl", "sub/g.txt"]:
        write(tmp_path, rel, ENGLISH)
    write(tmp_path, "picture.png", b"\x89PNG\r\n")
    write(tmp_path, "README", "notes")
    write(tmp_path, ".hidden.txt", ENGLISH)
    write(tmp_path, ".git/config.txt", ENGLISH)
    files, skipped = list_files(tmp_path)
    assert sorted(files) == ["a.txt", "b.MD", "c.html", "d.htm", "e.json", "f.jsonl", "sub/g.txt"]
    assert files["a.txt"] == (len(ENGLISH), (tmp_path / "a.txt").stat().st_mtime_ns)
    assert sorted((s.path, s.reason) for s in skipped) == [
        ("README", "not an article format (no extension)"),
        ("picture.png", "not an article format (.png)")]
    assert SUPPORTED_SUFFIXES == {".txt", ".md", ".html", ".htm", ".json", ".jsonl"}


def test_names_that_cannot_be_ids_are_skipped(tmp_path):
    for rel in ["ok.txt", "line\nbreak.txt", "back\\slash.txt", "carriage\rreturn.txt"]:
        write(tmp_path, rel, ENGLISH)
    with open(os.fsencode(tmp_path) + b"/bad\xff\xfe.txt", "wb") as f:
        f.write(ENGLISH.encode())
    files, skipped = list_files(tmp_path)
    assert sorted(files) == ["carriage\rreturn.txt", "ok.txt"]  # the web opens this one
    assert sorted((printable(s.path), s.reason) for s in skipped) == [
        ("back\\slash.txt", "file name has a line break or backslash"),
        ("bad\\xff\\xfe.txt", "file name is not valid UTF-8"),
        ("line\\nbreak.txt", "file name has a line break or backslash")]


def test_printable_escapes_what_a_terminal_must_not_get_raw():
    assert printable("café/a\udcff\n\x1b[31m\u2028b\\c.txt") == "café/a\\xff\\n\\x1b[31m\\u2028b\\c.txt"


def test_deep_nesting(tmp_path):
    rel = "/".join(f"d{i}" for i in range(60)) + "/deep.txt"
    write(tmp_path, rel, ENGLISH)
    files, skipped = list_files(tmp_path)
    assert list(files) == [rel] and not skipped
    assert documents(tmp_path, rel)[0].id == rel


def test_symlinks_followed_without_looping(tmp_path):
    write(tmp_path, "real/a.txt", ENGLISH)
    (tmp_path / "real" / "loop").symlink_to(tmp_path)  # back to an ancestor
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")  # points at itself
    (tmp_path / "link.txt").symlink_to(tmp_path / "real" / "a.txt")
    (tmp_path / "same").symlink_to(tmp_path / "real")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    files, skipped = list_files(tmp_path)
    assert sorted(files) == ["link.txt", "real/a.txt"]
    assert sorted((s.path, s.reason) for s in skipped) == [
        ("dangling.txt", "broken symlink"),
        ("real/loop", "symlink loop"),
        ("same", "same directory as real"),
        ("self.txt", "symlink loop")]
    assert documents(tmp_path, "link.txt")[0].body == ENGLISH
    assert reason(tmp_path, "self.txt") == "symlink loop"
    assert reason(tmp_path, "dangling.txt") == "broken symlink"


def test_links_out_of_the_corpus_are_not_followed_even_if_put_in_place_after_listing(tmp_path):
    corpus, outside = tmp_path / "corpus", tmp_path / "outside"
    for rel in ["a.txt", "sub/b.txt", "linked/c.txt"]:
        write(corpus, rel, ENGLISH)
        write(outside, rel, ENGLISH)
    (corpus / "out.txt").symlink_to(outside / "a.txt")
    (tmp_path / "by_link").symlink_to(corpus)  # a corpus reached by a link is inside itself
    files, skipped = list_files(tmp_path / "by_link")
    assert sorted(files) == ["a.txt", "linked/c.txt", "sub/b.txt"]
    assert [(s.path, s.reason) for s in skipped] == [("out.txt", "outside the corpus")]
    (corpus / "a.txt").unlink()
    (corpus / "a.txt").symlink_to(outside / "a.txt")
    shutil.rmtree(corpus / "sub")
    (corpus / "sub").symlink_to(outside / "sub")
    assert reason(tmp_path / "by_link", "a.txt") == "outside the corpus"
    assert reason(corpus, "sub/b.txt") == "outside the corpus"
    assert documents(tmp_path / "by_link", "linked/c.txt")[0].body == ENGLISH


def test_fifo_and_directory_are_refused_without_hanging(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "dir.txt").mkdir()
    files, skipped = list_files(tmp_path)
    assert files == {}
    assert [(s.path, s.reason) for s in skipped] == [("pipe.txt", "not a regular file")]
    assert reason(tmp_path, "pipe.txt") == "not a regular file"
    assert reason(tmp_path, "dir.txt") == "is a directory"


def test_file_deleted_after_listing(tmp_path):
    write(tmp_path, "a.txt", ENGLISH)
    files, _ = list_files(tmp_path)
    (tmp_path / "a.txt").unlink()
    assert reason(tmp_path, "a.txt") == "vanished"


def test_unreadable_file_and_directory():
    # Not tmp_path: its parents are private to root, so 'nobody' could not
    # reach even the readable files.
    root = Path(tempfile.mkdtemp())
    try:
        root.chmod(0o755)
        write(root, "ok.txt", ENGLISH).chmod(0o644)
        write(root, "secret.txt", ENGLISH).chmod(0o000)
        write(root, "closed/a.txt", ENGLISH)
        (root / "closed").chmod(0o000)
        with as_unprivileged_user():
            files, skipped = list_files(root)
            assert documents(root, "ok.txt")[0].body == ENGLISH
            assert reason(root, "secret.txt") == "unreadable: permission denied"
        assert sorted(files) == ["ok.txt", "secret.txt"]
        assert [(s.path, s.reason) for s in skipped] == [
            ("closed", "unreadable: permission denied")]
    finally:
        (root / "closed").chmod(0o755)
        shutil.rmtree(root)


def test_50_mb_file_is_read_in_part(tmp_path):
    paragraph = (ENGLISH + "\n\n").encode()
    with open(tmp_path / "big.txt", "wb") as f:
        f.write(b"Huge report on gas\n\n")
        for _ in range(50 * 2**20 // len(paragraph)):
            f.write(paragraph)
    started = time.perf_counter()
    doc, = documents(tmp_path, "big.txt")
    assert time.perf_counter() - started < 5
    assert doc.title == "Huge report on gas"
    assert MAX_TEXT_CHARS - 100 < len(doc.body) <= MAX_TEXT_CHARS
    (tmp_path / "big.txt").unlink()  # pytest keeps the last runs' files


def test_very_long_lines(tmp_path):
    line = "word " * 400_000  # 2 MB, no newline
    doc = read_one(tmp_path, "a.txt", line)
    assert doc.title_derived and len(doc.title) <= MAX_HEADLINE_CHARS + 2 and len(doc.body) <= MAX_TEXT_CHARS
    doc = read_one(tmp_path, "b.txt", f"Gas talks resume\n\n{line}")
    assert doc.title == "Gas talks resume"
