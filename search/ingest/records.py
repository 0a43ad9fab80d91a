"""JSON and JSONL files -> a document per record."""
from __future__ import annotations

import io
import json

from search.ingest.dates import normalize_date
from search.ingest.decode import SAMPLE_BYTES, codec_of, error_handler, replacing
from search.ingest.detection import detect
from search.ingest.documents import MAX_LINE_CHARS, MAX_TEXT_CHARS, Document, Note, UnreadableFile, replaced_note
from search.ingest.outlets import BY_ALIAS, outlet_in_text, outlet_of_url
from search.languages import CODES


def json_documents(relpath: str, text: str) -> tuple[list[Document], list[Note]]:
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


def jsonl_documents(relpath: str, f) -> tuple[list[Document], list[Note]]:
    """A document per line, read a line at a time; the id carries the line
    number, so fixing a malformed line does not renumber the others. A line
    that gives none is noted. Lines end at "\\n" only: str.splitlines also
    ends one at a U+2028, which a JSON string may hold as it is."""
    codec = codec_of(f.read(SAMPLE_BYTES), cut=True)
    f.seek(0)
    lines = io.TextIOWrapper(f, codec, errors=error_handler(codec), newline="\n")
    docs, notes = [], []
    number = 0
    while line := lines.readline(MAX_LINE_CHARS + 1):
        number += 1
        doc_id = f"{relpath}#{number}"
        if len(line) > MAX_LINE_CHARS and not line.endswith("\n"):
            while line and not line.endswith("\n"):  # the rest of it, read and dropped
                line = lines.readline(MAX_LINE_CHARS)
            notes.append(Note(doc_id, f"line over {MAX_LINE_CHARS // 10**6} million characters"))
            continue
        line, replaced = replacing(line.removesuffix("\n").removesuffix("\r"))
        if not line.strip():
            continue
        try:
            docs.append(_record_document(doc_id, _parsed(line)))
        except UnreadableFile as e:
            notes.append(Note(doc_id, str(e)))
            continue
        notes += replaced_note(doc_id, replaced)
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
        id=doc_id, title=title, body=body, date=normalize_date(record.get("date")),
        lang=lang if lang in CODES else detect(f"{title}\n{body}"),
        source=(BY_ALIAS.get(source, source) or outlet_of_url(url)
                or outlet_in_text(f"{title}\n{body}")),
        url=url,
    )
