"""Ingest: corpus files -> Documents. `list_files` walks a corpus (walk.py)
and `read_documents` reads one file into its documents (reading.py): one per
.txt/.md/.html file, one per record of a .json/.jsonl."""
from search.ingest.documents import Document, Note, Skipped, UnreadableFile
from search.ingest.names import MAX_ID_CHARS, id_fault, printable
from search.ingest.reading import read_documents
from search.ingest.walk import list_files

__all__ = ["Document", "Note", "Skipped", "UnreadableFile", "MAX_ID_CHARS", "id_fault", "printable",
           "read_documents", "list_files"]
