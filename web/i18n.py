"""UI strings in English and Russian, and which of the two a request gets.

The choice: `?ui=en|ru` (remembered in a cookie), then the cookie, then
Accept-Language, then English.
"""
from __future__ import annotations

UI_LANGUAGES = ("en", "ru")
COOKIE = "ui"

STRINGS = {
    "en": {
        "site": "mlsearch",
        "tagline": "English and Russian news, searched in both languages",
        "skip": "Skip to main content",
        "nav_search": "Search",
        "nav_about": "About",
        "nav_api": "API",
        "switch_ui": "Русский",
        "query": "Search query",
        "query_placeholder": "energy security, газопровод…",
        "search": "Search",
        "filters": "Filters",
        "language": "Language",
        "lang_all": "Both",
        "lang_en": "English",
        "lang_ru": "Russian",
        "lang_other": "Other",
        "since": "From",
        "until": "To",
        "sort": "Sort by",
        "sort_relevance": "Relevance",
        "sort_date": "Date",
        "translate": "Translate query",
        "results": ("{n} result", "{n} results"),
        "took": "in {ms} ms",
        "results_label": "Search results",
        "translated": "Also searched as",
        "no_translation": "no translation",
        "did_you_mean": "Did you mean",
        "facets": "Refine",
        "facet_lang": "Language",
        "facet_year": "Year",
        "facet_source": "Outlet",
        "any": "any",
        "untitled": "(untitled)",
        "pages": "Result pages",
        "prev": "Previous",
        "next": "Next",
        "page_n": "Page {n}",
        "help_title": "How to search",
        "help_intro": "Words match in any inflected form, and words in one language also find articles in the other.",
        "help_words": "any of the words; articles with more of them rank first",
        "help_phrase": "an exact phrase, in any inflection",
        "help_bool": "AND, OR, NOT, +required and -excluded words, (grouping)",
        "help_fields": "a word in the title; only Russian articles",
        "help_filters": "a date range and an outlet",
        "help_override": "add or drop a translation of one word",
        "no_results": "Nothing found for “{q}”.",
        "no_results_hint": "Try other words or fewer of them.",
        "drop_filters": "Search again without the filters",
        "error": "Error",
        "bad_request": "The search could not run",
        "back": "Back to the results",
        "source": "Source",
        "date": "Date",
        "id": "Document id",
        "original": "Original article",
        "counterpart": "In the other language",
        "related": "Related articles",
        "versions": "Other versions of this story",
        "more_versions": "{n} more version(s) of this story",
        "no_related": "No related articles.",
        "highlighted": "Words of the search “{q}” are highlighted.",
        "about_title": "About this index",
        "about_intro": "A morphology-aware search over English and Russian news. A query in one language also finds articles in the other: its words are translated with a bilingual lexicon.",
        "documents": "Documents",
        "per_language": "Documents per language",
        "per_year": "Documents per year",
        "per_source": "Documents per outlet",
        "undated": "undated",
        "built": "Index built",
        "size": "Index size",
        "generation": "Generation",
        "vectors": "Semantic vectors",
        "vectors_progress": "semantic channel: {done} of {total} documents embedded so far",
        "year": "Year",
        "count": "Count",
        "api_intro": "JSON API: /api/search, /api/doc/<id>, /api/health; OpenAPI description at",
        "not_found": "Not found",
        "bad_id": "This is not a valid document id.",
        "no_document": "There is no article with this id.",
        "unavailable": "Search is unavailable",
        "server_error": "Something went wrong on our side",
        # Facets by period, the timeline, alerts and export.
        "facet_month": "Month",
        "timeline": "Results over time",
        "feed": "Feed of new results (Atom)",
        "search_instead": "Search these words instead",
        "retyped": "Typed in the other keyboard layout? Showing results for",
        "search_as_typed": "Search for “{q}” as typed",
    },
    "ru": {
        "site": "mlsearch",
        "tagline": "Новости на английском и русском, поиск на обоих языках",
        "skip": "Перейти к содержанию",
        "nav_search": "Поиск",
        "nav_about": "О поиске",
        "nav_api": "API",
        "switch_ui": "English",
        "query": "Поисковый запрос",
        "query_placeholder": "газопровод, energy security…",
        "search": "Найти",
        "filters": "Фильтры",
        "language": "Язык",
        "lang_all": "Оба",
        "lang_en": "Английский",
        "lang_ru": "Русский",
        "lang_other": "Другие",
        "since": "С",
        "until": "По",
        "sort": "Сортировка",
        "sort_relevance": "Релевантность",
        "sort_date": "Дата",
        "translate": "Переводить запрос",
        "results": ("{n} результат", "{n} результата", "{n} результатов"),
        "took": "за {ms} мс",
        "results_label": "Результаты поиска",
        "translated": "Искали также",
        "no_translation": "нет перевода",
        "did_you_mean": "Возможно, вы имели в виду",
        "facets": "Уточнить",
        "facet_lang": "Язык",
        "facet_year": "Год",
        "facet_source": "Источник",
        "any": "любой",
        "untitled": "(без заголовка)",
        "pages": "Страницы результатов",
        "prev": "Назад",
        "next": "Вперёд",
        "page_n": "Страница {n}",
        "help_title": "Как искать",
        "help_intro": "Слова находятся в любой форме, а слова на одном языке находят статьи и на другом.",
        "help_words": "любое из слов; статьи, где их больше, выше",
        "help_phrase": "точная фраза, в любой форме",
        "help_bool": "AND, OR, NOT, +обязательные и -исключённые слова, (группировка)",
        "help_fields": "слово в заголовке; только русские статьи",
        "help_filters": "диапазон дат и издание",
        "help_override": "добавить или убрать перевод слова",
        "no_results": "По запросу «{q}» ничего не найдено.",
        "no_results_hint": "Попробуйте другие слова или меньше слов.",
        "drop_filters": "Искать без фильтров",
        "error": "Ошибка",
        "bad_request": "Поиск не выполнен",
        "back": "К результатам",
        "source": "Источник",
        "date": "Дата",
        "id": "Идентификатор",
        "original": "Оригинал статьи",
        "counterpart": "На другом языке",
        "related": "Похожие статьи",
        "versions": "Другие версии этой новости",
        "more_versions": "Ещё версий этой новости: {n}",
        "no_related": "Похожих статей нет.",
        "highlighted": "Выделены слова запроса «{q}».",
        "about_title": "Об индексе",
        "about_intro": "Поиск по английским и русским новостям с учётом морфологии. Запрос на одном языке находит статьи и на другом: его слова переводятся по двуязычному словарю.",
        "documents": "Документов",
        "per_language": "Документы по языкам",
        "per_year": "Документы по годам",
        "per_source": "Документы по источникам",
        "undated": "без даты",
        "built": "Индекс построен",
        "size": "Размер индекса",
        "generation": "Поколение",
        "vectors": "Семантические векторы",
        "vectors_progress": "семантический канал: пока векторы есть у {done} из {total} документов",
        "year": "Год",
        "count": "Число",
        "api_intro": "JSON API: /api/search, /api/doc/<id>, /api/health; описание OpenAPI:",
        "not_found": "Не найдено",
        "bad_id": "Это не идентификатор документа.",
        "no_document": "Статьи с таким идентификатором нет.",
        "unavailable": "Поиск недоступен",
        "server_error": "Что-то сломалось на нашей стороне",
        # Facets by period, the timeline, alerts and export.
        "facet_month": "Месяц",
        "timeline": "Результаты по времени",
        "feed": "Лента новых результатов (Atom)",
        "search_instead": "Искать эти слова",
        "retyped": "Набрано не в той раскладке? Показаны результаты по запросу",
        "search_as_typed": "Искать «{q}», как набрано",
    },
}


def choose(ui_arg: str | None, cookie: str | None, accept_languages) -> str:
    for lang in (ui_arg, cookie):
        if lang in UI_LANGUAGES:
            return lang
    return accept_languages.best_match(UI_LANGUAGES, default="en")


def _plural_form(lang: str, n: int) -> int:
    if lang == "ru":
        if n % 10 == 1 and n % 100 != 11:
            return 0
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return 1
        return 2
    return 0 if n == 1 else 1


def translator(lang: str):
    """t(key, **values); a key whose string has plural forms takes n."""
    strings = STRINGS[lang]

    def t(key: str, **values) -> str:
        text = strings[key]
        if isinstance(text, tuple):
            text = text[_plural_form(lang, values["n"])]
        return text.format(**values) if values else text

    return t
