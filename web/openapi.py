"""The OpenAPI 3 description of the JSON API, served at /api/openapi.json.

Written by hand; the limits come from the modules that enforce them.
"""
from __future__ import annotations

from search.options import MAX_PAGE, SORTS
from search.ingest import MAX_ID_CHARS
from search.languages import DOCUMENT_LANGUAGES
from search.query import MAX_QUERY_CHARS
from web.params import PAGE_LIMIT

_ERROR = {"$ref": "#/components/schemas/Error"}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ERROR}}}


def _json(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_NO_INDEX = _error("The index is not built yet, or is damaged.")

_DOC_ID = {
    "name": "id", "in": "path", "required": True,
    "description": "Document id: the article's path in the corpus, plus `#n` for a record of a "
                   "JSON file. Ids holding `..` segments, a leading `/`, backslashes or NUL are refused.",
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_ID_CHARS},
}

SPEC = {
    "openapi": "3.0.3",
    "info": {
        "title": "mlsearch",
        "version": "1",
        "description": "Morphology-aware English/Russian news search with cross-language lookup.",
    },
    "paths": {
        "/api/search": {
            "get": {
                "summary": "Search the articles",
                "operationId": "search",
                "parameters": [
                    {"name": "q", "in": "query", "required": True,
                     "description": "The query: words, \"phrases\", AND/OR/NOT, +word, -word, (groups), "
                                    "title:, body:, lang:, date:, source: and word[+add,-drop] translation overrides.",
                     "schema": {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_CHARS}},
                    {"name": "lang", "in": "query", "allowEmptyValue": True, "description": "Only articles in this language.",
                     "schema": {"type": "string", "enum": list(DOCUMENT_LANGUAGES)}},
                    {"name": "since", "in": "query", "allowEmptyValue": True, "description": "Earliest date: YYYY, YYYY-MM or YYYY-MM-DD.",
                     "schema": {"type": "string", "pattern": r"^\d{4}(-\d{1,2}(-\d{1,2})?)?$"}},
                    {"name": "until", "in": "query", "allowEmptyValue": True, "description": "Latest date: YYYY, YYYY-MM or YYYY-MM-DD.",
                     "schema": {"type": "string", "pattern": r"^\d{4}(-\d{1,2}(-\d{1,2})?)?$"}},
                    {"name": "sort", "in": "query", "allowEmptyValue": True, "description": "Ranking order.",
                     "schema": {"type": "string", "enum": list(SORTS), "default": "relevance"}},
                    {"name": "page", "in": "query", "allowEmptyValue": True, "description": "1-based page number.",
                     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}},
                    {"name": "limit", "in": "query", "allowEmptyValue": True, "description": "Hits per page.",
                     "schema": {"type": "integer", "minimum": 1, "maximum": PAGE_LIMIT, "default": 10}},
                    {"name": "translate", "in": "query",
                     "description": "Also search the query's translation, to find articles in the other "
                                    "language. Accepts true/false, 1/0, yes/no, on/off.",
                     "schema": {"type": "boolean", "default": True}},
                    {"name": "format", "in": "query", "allowEmptyValue": True,
                     "description": "json, or csv: the page's hits as CSV (id, title, date, outlet, language, "
                                    "score, url; a cell starting with = + - @ gets a leading ').",
                     "schema": {"type": "string", "enum": ["json", "csv"], "default": "json"}},
                    {"name": "as_typed", "in": "query",
                     "description": "Search the query as typed, even when it looks typed in the wrong "
                                    "keyboard layout (ytanm for нефть). Accepts true/false, 1/0, yes/no, on/off.",
                     "schema": {"type": "boolean", "default": False}},
                ],
                "responses": {
                    "200": {"description": "One page of ranked results.", "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/SearchResult"}},
                        "text/csv": {"schema": {"type": "string"}}}},
                    "400": _error("A malformed query or a bad parameter; `error` says which."),
                    "503": _NO_INDEX,
                },
            },
        },
        "/api/doc/{id}": {
            "get": {
                "summary": "One article with its full text",
                "operationId": "document",
                "parameters": [_DOC_ID],
                "responses": {
                    "200": _json("The article's stored fields.", {"$ref": "#/components/schemas/Document"}),
                    "400": _error("An invalid document id."),
                    "404": _error("No article has this id."),
                    "503": _NO_INDEX,
                },
            },
        },
        "/api/health": {
            "get": {
                "summary": "Whether the index is open",
                "operationId": "health",
                "responses": {
                    "200": _json("The index is open.", {
                        "type": "object", "required": ["status", "documents", "generation"],
                        "properties": {
                            "status": {"type": "string", "enum": ["ok"]},
                            "documents": {"type": "integer", "minimum": 0},
                            "generation": {"type": "string", "description": "The live index generation."},
                        },
                    }),
                    "503": _json("There is no usable index.", {
                        "type": "object", "required": ["status", "error"],
                        "properties": {
                            "status": {"type": "string", "enum": ["unavailable"]},
                            "error": {"type": "string"},
                        },
                    }),
                },
            },
        },
        "/api/openapi.json": {
            "get": {
                "summary": "This description",
                "operationId": "openapi",
                "responses": {"200": _json("The OpenAPI 3 document.", {"type": "object"})},
            },
        },
    },
    "components": {
        "schemas": {
            "Error": {
                "type": "object", "required": ["error"],
                "properties": {"error": {"type": "string", "description": "What was wrong, for a person."}},
            },
            "Hit": {
                "type": "object",
                "required": ["id", "title", "title_derived", "lang", "date", "source", "url", "score", "snippet",
                             "versions"],
                "properties": {
                    "id": {"type": "string"},
                    "title": {"type": "string", "description": "The article's headline, or its first sentence "
                                                               "when it has none."},
                    "title_derived": {"type": "boolean", "description": "The title is the first sentence."},
                    "lang": {"type": "string", "enum": list(DOCUMENT_LANGUAGES)},
                    "date": {"type": "string", "description": "YYYY-MM-DD, or empty when unknown."},
                    "source": {"type": "string", "description": "The outlet, or empty."},
                    "url": {"type": "string", "description": "The original article, or empty."},
                    "score": {"type": "number", "description": "Relevance, 1.0 for the best of its language."},
                    "snippet": {"type": "string", "description": "HTML: escaped text with <mark> around every "
                                                                 "matched word form."},
                    "versions": {"type": "array", "items": {"type": "string"},
                                 "description": "Ids of the other versions of this story (near-duplicates) "
                                                "that match; the hit stands for them all."},
                },
            },
            "Translation": {
                "type": "object", "required": ["word", "from", "to", "translations", "terms"],
                "properties": {
                    "word": {"type": "string", "description": "The query word as written."},
                    "from": {"type": "string", "enum": ["en", "ru"]},
                    "to": {"type": "string", "enum": ["en", "ru"]},
                    "translations": {"type": "array", "items": {"type": "string"},
                                     "description": "The words searched for it; empty when none was found."},
                    "terms": {"type": "array", "items": {"type": "string"}, "description": "Their index terms."},
                    "expansion": {"type": "boolean", "description": "True for a prefix (`Gazp*`): `translations` "
                                                                    "are the corpus words it stands for."},
                },
            },
            "SearchResult": {
                "type": "object",
                "required": ["query", "total", "took_ms", "hits", "translations", "suggestions", "facets",
                             "page", "limit"],
                "properties": {
                    "query": {"type": "string"},
                    "total": {"type": "integer", "minimum": 0, "description": "Matching articles, all pages."},
                    "took_ms": {"type": "number"},
                    "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
                    "translations": {"type": "array", "items": {"$ref": "#/components/schemas/Translation"}},
                    "suggestions": {"type": "array", "items": {"type": "string"},
                                    "description": "Corrected queries, when a word is not in the corpus."},
                    "facets": {
                        "type": "object", "required": ["lang", "year", "source"],
                        "description": "Counts of matches per language (ignoring the lang filter), per "
                                       "year (ignoring the date filters; `undated` counts the articles "
                                       "without a date, so that the years add up to the total), per month "
                                       "(YYYY-MM) of a chosen year or when the matches span two years or "
                                       "less, and per outlet, the most first (ignoring source:).",
                        "properties": {
                            "lang": {"type": "object", "additionalProperties": {"type": "integer"}},
                            "year": {"type": "object", "additionalProperties": {"type": "integer"}},
                            "month": {"type": "object", "additionalProperties": {"type": "integer"}},
                            "source": {"type": "object", "additionalProperties": {"type": "integer"}},
                        },
                    },
                    "page": {"type": "integer", "minimum": 1},
                    "limit": {"type": "integer", "minimum": 1},
                    "typed": {"type": "string", "nullable": True,
                              "description": "The query as typed, when it was typed in the wrong keyboard "
                                             "layout and searched as meant (`query`); null otherwise."},
                    "warnings": {"type": "array", "items": {"type": "string"},
                                 "description": "What the answer lacks: a cluster shard that did not answer "
                                                "(partial results)."},
                },
            },
            "Document": {
                "type": "object",
                "required": ["id", "title", "title_derived", "versions", "body", "lang", "date", "source"],
                "properties": {
                    "id": {"type": "string"},
                    "title": {"type": "string"},
                    "title_derived": {"type": "boolean"},
                    "versions": {"type": "array", "items": {"type": "string"},
                                 "description": "Ids of the other versions of this story (near-duplicates)."},
                    "body": {"type": "string", "description": "Plain text."},
                    "lang": {"type": "string", "enum": list(DOCUMENT_LANGUAGES)},
                    "date": {"type": "string"},
                    "source": {"type": "string"},
                    "url": {"type": "string"},
                },
            },
        },
    },
}
