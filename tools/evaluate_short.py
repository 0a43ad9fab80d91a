"""The short-query cross-language check: keyword queries and names, built from the kit's WMT tasks.

The kit's cross-language topics are whole headlines and questions; an analyst
types two to four words. This check derives, from the parallel WMT headlines
of wmt-en2ru and wmt-ru2en, four query sets:

- short-en2ru, short-ru2en: the 2-4 rarest words of each headline (document
  frequency in the headline's own-language corpus; half the content words,
  at least 2 and at most 4, in headline order), against the other language's
  article, the task's one relevant document;
- names-en2ru, names-ru2en: names mined from the headline pairs (a capitalised
  word in each script whose plain letter-for-letter romanization is close), the
  one-word query in one language, relevant: every article of the other
  language's corpus that holds the name's index term.

It indexes the two WMT corpora with the code on the path, runs each set with
`mlsearch batch` and prints nDCG@10, MRR@10 and R@100 per set:

    PYTHONPATH=$PWD .venv/bin/python tools/evaluate_short.py [--tasks-dir .cache/kit/tasks]
        [--engine-args "--lexicon x.txt"] [--work DIR] [--reuse]

--engine-args are added to each `batch` command. The sets' topics and qrels
are left in WORK/sets for other tools. --semantic indexes with vectors and
searches with the semantic channel (a rebuild keeps the vector store, so a
second run embeds nothing).
"""
from __future__ import annotations

import argparse
import collections
import math
import os
import shlex
import subprocess
import sys
from pathlib import Path

from rapidfuzz import fuzz

from search.analysis import WORD_RE, terms_of
from search.evaluation import evaluate
from search.languages import script_of

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 100
# Names: both words at least this long, and romanizations at least this similar
# (rapidfuzz ratio, 0-100). Chosen by reading the mined pairs: 75 keeps
# Хабаровска/Khabarovsk and drops lookalikes such as Мэр/Mr.
NAME_LENGTH = 3
NAME_SIMILARITY = 75
# A plain romanization for mining only, independent of search/translate/, so
# that the check does not grade the engine's own rules.
_ROMAN = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya".split()))


def romanize(word: str) -> str:
    return "".join(_ROMAN.get(c, c) for c in word.lower()).replace("_", "")


def read_topics(path: Path) -> dict[str, str]:
    topics = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        qid, _, text = line.partition("\t")
        topics[qid] = text
    return topics


def read_qrels(path: Path) -> dict[str, str]:
    """qid -> its one relevant document (the WMT tasks judge one each)."""
    qrels = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        qid, _, docid, relevance = line.split()
        if int(relevance) > 0:
            qrels[qid] = docid
    return qrels


def document_terms(corpus: Path) -> dict[str, set[str]]:
    return {path.name: set(terms_of(path.read_text(encoding="utf-8"))) for path in sorted(corpus.iterdir())}


def content_words(headline: str) -> list[tuple[str, str]]:
    """(surface, index term) of each word with letters that is not a stop word, first occurrence only."""
    seen, words = set(), []
    for match in WORD_RE.finditer(headline):
        surface = match.group()
        terms = terms_of(surface)
        if not script_of(surface) or not terms or terms[0] in seen:
            continue
        seen.add(terms[0])
        words.append((surface, terms[0]))
    return words


def short_query(headline: str, df: collections.Counter) -> str:
    words = content_words(headline)
    keep = min(4, max(2, math.ceil(len(words) / 2)))
    rarest = sorted(range(len(words)), key=lambda i: (df[words[i][1]], i))[:keep]
    return " ".join(words[i][0] for i in sorted(rarest))


def capitalised(headline: str, lang: str) -> list[tuple[str, str]]:
    """The headline's capitalised words in the script of `lang` (a Latin brand in a Russian headline is no test)."""
    return [(surface, term) for surface, term in content_words(headline)
            if surface[0].isupper() and len(surface) >= NAME_LENGTH and surface.isalpha() and script_of(surface) == lang]


def name_pairs(english: str, russian: str) -> list[tuple[str, str, str, str]]:
    """(en surface, en term, ru surface, ru term) of the names both headlines hold."""
    pairs = []
    for ru_surface, ru_term in capitalised(russian, "ru"):
        scored = [(fuzz.ratio(romanize(ru_surface), en_surface.lower()), en_surface, en_term)
                  for en_surface, en_term in capitalised(english, "en")]
        if scored:
            score, en_surface, en_term = max(scored)
            if score >= NAME_SIMILARITY:
                pairs.append((en_surface, en_term, ru_surface, ru_term))
    return pairs


def build_sets(tasks_dir: Path) -> dict[str, tuple[str, dict[str, str], dict[str, set[str]]]]:
    """set name -> (target corpus, qid -> query, qid -> relevant documents)."""
    english = read_topics(tasks_dir / "wmt-en2ru" / "topics.tsv")
    russian = read_topics(tasks_dir / "wmt-ru2en" / "topics.tsv")
    ru_docs = read_qrels(tasks_dir / "wmt-en2ru" / "qrels.txt")
    en_docs = read_qrels(tasks_dir / "wmt-ru2en" / "qrels.txt")
    corpora = tasks_dir.parent / "corpora"
    terms = {"en": document_terms(corpora / "wmt-en"), "ru": document_terms(corpora / "wmt-ru")}
    df = collections.Counter(t for docs in terms.values() for doc in docs.values() for t in doc)
    sets = {
        "short-en2ru": ("wmt-ru", {q: short_query(english[q], df) for q in ru_docs}, {q: {d} for q, d in ru_docs.items()}),
        "short-ru2en": ("wmt-en", {q: short_query(russian[q], df) for q in en_docs}, {q: {d} for q, d in en_docs.items()}),
    }
    names: dict[tuple[str, str], str] = {}  # (en term, ru term) -> a qid for the pair, the first headline's
    surfaces = {}
    for qid in sorted(english.keys() & russian.keys()):
        for en_surface, en_term, ru_surface, ru_term in name_pairs(english[qid], russian[qid]):
            key = (en_term, ru_term)
            if key not in names:
                names[key] = f"{qid}.{len(names)}"
                surfaces[key] = (en_surface, ru_surface)

    def holding(lang, term):
        return {doc for doc, doc_terms in terms[lang].items() if term in doc_terms}

    sets["names-en2ru"] = ("wmt-ru", {q: surfaces[k][0] for k, q in names.items()},
                           {q: holding("ru", k[1]) for k, q in names.items()})
    sets["names-ru2en"] = ("wmt-en", {q: surfaces[k][1] for k, q in names.items()},
                           {q: holding("en", k[0]) for k, q in names.items()})
    return sets


def write_set(directory: Path, queries: dict[str, str], relevant: dict[str, set[str]]):
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / "topics.tsv", "w", encoding="utf-8") as out:
        out.writelines(f"{qid}\t{query}\n" for qid, query in queries.items())
    with open(directory / "qrels.txt", "w", encoding="utf-8") as out:
        out.writelines(f"{qid} 0 {doc} 1\n" for qid, docs in relevant.items() for doc in sorted(docs))


def mlsearch(*args: str, stdout=None):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    subprocess.run([sys.executable, "-m", "search", *args], check=True, cwd=ROOT, env=env,
                   stdout=stdout or sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks-dir", type=Path, default=ROOT / ".cache" / "kit" / "tasks")
    parser.add_argument("--engine-args", default="", help="added to each `mlsearch batch` command")
    parser.add_argument("--work", type=Path, default=ROOT / ".cache" / "short", help="sets, indexes and runs")
    parser.add_argument("--reuse", action="store_true", help="keep indexes from an earlier run")
    parser.add_argument("--semantic", action="store_true", help="index and search with the semantic channel")
    args = parser.parse_args()
    corpora = args.tasks_dir.parent / "corpora"
    rows, indexed = [], set()
    for name, (corpus, queries, relevant) in build_sets(args.tasks_dir).items():
        set_dir = args.work / "sets" / name
        write_set(set_dir, queries, relevant)
        index_dir = args.work / "index" / corpus
        if corpus not in indexed and not (args.reuse and index_dir.is_dir()):
            mlsearch("index", str(corpora / corpus), "--index", str(index_dir), "--full", "--procs", "1",
                     *(["--semantic"] if args.semantic else []))
        indexed.add(corpus)
        run_path = args.work / "runs" / f"{name}.run"
        run_path.parent.mkdir(parents=True, exist_ok=True)
        with open(run_path, "w", encoding="utf-8") as out:
            mlsearch("batch", str(set_dir / "topics.tsv"), "--index", str(index_dir), "--limit", str(LIMIT),
                     *shlex.split(args.engine_args), *(["--semantic"] if args.semantic else []), stdout=out)
        rows.append((name, len(queries), evaluate(run_path, set_dir / "qrels.txt")))
    print("| set | queries | nDCG@10 | MRR@10 | R@100 |\n|---|---|---|---|---|")
    for name, count, figures in rows:
        print(f"| {name} | {count} | {figures['nDCG@10']:.3f} | {figures['MRR@10']:.3f} | {figures['R@100']:.3f} |")


if __name__ == "__main__":
    main()
