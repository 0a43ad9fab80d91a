"""Query sets for the latency measurements, drawn (seeded) from the kit.

  one-word     frequent content words of news-mix, half English, half Russian
  multi-word   bbc-title and ria-title topics, as plain words
  phrase       two adjacent content words of a news-mix article, quoted
  translated   wmt-en2ru topics (English headlines of Russian articles)

Every query is (language, text). Titles are reduced to their words, so that
no query trips over query syntax (a stray quote, a leading minus).
"""
from __future__ import annotations

import itertools
import random
import re
from collections import Counter
from pathlib import Path

from benchmarks.stock_whoosh import read_topics
from search.languages import BY_CODE

SEED = 5
KINDS = ("one-word", "multi-word", "phrase", "translated")
_LETTERS = re.compile(r"[^\W\d_]{3,}")
_OPERATORS = {"AND", "OR", "NOT"}


def _articles(corpus: Path, lang: str, rng: random.Random, n: int) -> list[str]:
    paths = sorted((corpus / lang).rglob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in rng.sample(paths, min(n, len(paths)))]


def _content_words(text: str, lang: str) -> list[re.Match]:
    return [m for m in _LETTERS.finditer(text) if m.group().lower() not in BY_CODE[lang].stop_words]


def one_word(corpus: Path, lang: str, rng: random.Random, n: int) -> list[str]:
    """n of the 500 words found in most articles (of a 2,000-article sample)."""
    df = Counter()
    for text in _articles(corpus, lang, rng, 2000):
        df.update({m.group().lower() for m in _content_words(text, lang)})
    # Ties by word: most_common keeps first-seen order, which comes from
    # sets, so it changed from process to process with the string hash seed.
    frequent = sorted(sorted(df, key=lambda w: (-df[w], w))[:500])
    return rng.sample(frequent, n)


def phrases(corpus: Path, lang: str, rng: random.Random, n: int) -> list[str]:
    """One pair of adjacent content words (one space apart) from each of n articles."""
    out = []
    for text in _articles(corpus, lang, rng, 4 * n):
        words = _content_words(text.split("\n", 3)[-1], lang)  # the body, not the title
        pairs = [(a.group(), b.group()) for a, b in zip(words, words[1:]) if b.start() == a.end() + 1]
        if pairs:
            out.append('"%s %s"' % rng.choice(pairs))
        if len(out) == n:
            break
    return out


def title_words(kit: Path, task: str, rng: random.Random, n: int) -> list[str]:
    topics = [text for _, text in read_topics(kit / "tasks" / task / "topics.tsv")]
    out = []
    for text in rng.sample(topics, len(topics)):
        words = [w for w in re.findall(r"\w+(?:['’]\w+)*", text) if w not in _OPERATORS]
        if len(words) >= 2:
            out.append(" ".join(words))
        if len(out) == n:
            break
    return out


def build(kit: Path, n: int) -> dict[str, list[tuple[str, str]]]:
    """{kind: [(lang, query)]}, n queries of each kind (half per language
    where there are two)."""
    rng = random.Random(SEED)
    corpus = kit / "corpora" / "news-mix"
    half = n // 2
    return {
        "one-word": [(lang, w) for lang in ("en", "ru") for w in one_word(corpus, lang, rng, half)],
        "multi-word": [("en", t) for t in title_words(kit, "bbc-title", rng, half)]
                      + [("ru", t) for t in title_words(kit, "ria-title", rng, half)],
        "phrase": [(lang, p) for lang in ("en", "ru") for p in phrases(corpus, lang, rng, half)],
        "translated": [("en", t) for t in title_words(kit, "wmt-en2ru", rng, n)],
    }


def distinct(kit: Path, n: int) -> list[tuple[str, str]]:
    """n different queries, the kinds in turn, for a server's memory after
    many searches: the bbc-title, ria-title, wmt-en2ru and xquad topics as
    plain words, 500 frequent words of each language, and adjacent words of
    news-mix articles for the rest."""
    rng = random.Random(SEED)
    corpus = kit / "corpora" / "news-mix"
    titles = [(lang, t) for task, lang in (("bbc-title", "en"), ("wmt-en2ru", "en"), ("xquad-en", "en"),
                                           ("ria-title", "ru"), ("xquad-ru", "ru"))
              for t in title_words(kit, task, rng, n)]
    words = [(lang, w) for lang in ("en", "ru") for w in one_word(corpus, lang, rng, 500)]
    pairs = [(lang, p) for lang in ("en", "ru") for p in phrases(corpus, lang, rng, n)]
    kinds = [rng.sample(k, len(k)) for k in (titles, words, pairs)]
    # Keyed by text: a word may be drawn in both languages.
    out = list({item[1]: item for row in itertools.zip_longest(*kinds) for item in row if item}.values())
    if len(out) < n:
        raise ValueError(f"the kit holds {len(out)} different queries, not {n}")
    return out[:n]
