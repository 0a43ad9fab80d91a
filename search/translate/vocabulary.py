"""What translation may use of an index: the terms of one document language."""
from __future__ import annotations

from search.index import wordtables
from search.index.arrays import LANG_CODES
from search.index.backend import IndexReader, union_df
from search.languages import fold

# Words a prefix query (Gazp*) stands for: the most frequent ones. "при*"
# starts 809 words of the kit's ria corpus (1,445 articles), "con*" 408 of
# bbc's (2,225); 50 keep a query as large as a translated one (25-50 terms).
PREFIX_WORDS = 50


class IndexVocabulary:
    """The translation Vocabulary of one document language: a term is in it
    when documents of that language contain it (SOCAR in Latin in Russian
    articles counts for Russian); fuzzy matching runs over the index terms
    in that language's script."""

    # Document frequencies kept, all dropped when full (as the lexicon's
    # translations are): unbounded, a server worker held 35,000 (4 MB) after
    # 5,000 distinct queries, and more with each query.
    DF_CACHE = 16_384

    def __init__(self, view: IndexReader, lang: str):
        self.view = view
        self.lang = lang
        self._in_language = view.lang == LANG_CODES[lang]
        self._df: dict[str, int] = {}
        self._script_terms = None
        self._hyphenated = None
        self._words = None
        self._sounds = None

    def df(self, term: str) -> int:
        found = self._df.get(term)
        if found is None:
            if len(self._df) >= self.DF_CACHE:
                self._df.clear()
            found = self._df[term] = union_df(self.view, (term,), self._in_language)
        return found

    def __contains__(self, term: str) -> bool:
        return self.df(term) > 0

    def hyphenated(self, closed: str) -> list[str]:
        """The hyphenated compounds among the index terms in this language's
        script spelt `closed` without hyphens (playoff: [play-off])."""
        if self._hyphenated is None:
            self._hyphenated = self.view.word_table(wordtables.HYPHENATED.format(script=self.lang))
        return self._hyphenated.group(closed)

    def words_starting(self, prefix: str) -> list[str]:
        """The corpus's surface words in this language's script that start
        with `prefix` (folded), the PREFIX_WORDS most frequent first."""
        if self._words is None:
            self._words = self.view.word_table(wordtables.PREFIXES.format(script=self.lang))
        return self._words.starting(fold(prefix), PREFIX_WORDS)

    def sounding(self, key: str) -> list[str]:
        if self._sounds is None:
            self._sounds = self.view.word_table(wordtables.SOUNDS.format(script=self.lang))
        return self._sounds.group(key)

    def similar(self, term: str, min_similarity: float | None = None) -> list[str]:
        from search.translate.translator import MIN_SIMILARITY, SimilarTerms

        if self._script_terms is None:
            self._script_terms = SimilarTerms(self.view.word_table(wordtables.SIMILAR.format(script=self.lang)))
        # Equally similar terms: the more frequent first.
        found = self._script_terms.scored(term, min_similarity or MIN_SIMILARITY)
        found.sort(key=lambda m: (-m[1], -self.df(m[0])))
        return [m[0] for m in found]
