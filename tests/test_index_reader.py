"""Reading a generation: postings and positions as arrays, their caches'
bounds, and phrases matched over positions, checked on random texts."""
from __future__ import annotations

import random

from benchmarks.stress_crash import write_articles
from helpers import RANDOM_TEXT_WORDS, index_over, random_texts_view
from search.index.layout import current_generation
from search.index.reader import WhooshReader
from search.index.writer import build


def test_the_postings_cache_is_bounded_by_bytes(tmp_path):
    corpus = tmp_path / "corpus"
    write_articles(corpus, 40, seed=4)
    build(corpus, tmp_path / "index")
    view = WhooshReader(current_generation(tmp_path / "index"))
    view.POSTINGS_CACHE_BYTES = 5000
    for term in view.body_terms("en")[:300]:
        view.postings("body", term)
    # Each entry: its arrays, ~300 bytes of objects, and where its blocks lie.
    kept = sum(1100 + docs.nbytes + tfs.nbytes for docs, tfs in view._postings.values())
    kept += sum(150 + d.nbytes for directories in view._directories.values() for _, _, d in directories)
    assert 0 < kept == view._postings_bytes <= 5000
    assert len(view._postings) < 300
    assert set(view._directories) == set(view._postings)  # evicted together
    # A term no document has: one shared empty entry, counted as its key.
    before = view._postings_bytes
    docs, tfs = view.postings("body", "nosuchterm")
    assert not len(docs) and not len(tfs)
    assert view._postings_bytes <= before + 200 and ("body", "nosuchterm") not in view._directories


def as_lists(positions: dict) -> dict:
    return {d: p.tolist() for d, p in positions.items()}


def test_cached_positions_are_the_indexs_and_their_cache_is_bounded(tmp_path):
    corpus = tmp_path / "corpus"
    write_articles(corpus, 40, seed=4)
    build(corpus, tmp_path / "index")
    view = WhooshReader(current_generation(tmp_path / "index"))
    fresh = WhooshReader(current_generation(tmp_path / "index"))
    view.POSITIONS_CACHE_BYTES = 3000
    docs = list(range(view.size))
    terms = view.body_terms("en")[:200]
    for term in terms[:20]:
        view.positions("body", term, docs[:10])
        # Partly cached: the rest of the documents are read.
        assert as_lists(view.positions("body", term, docs)) == as_lists(fresh.positions("body", term, docs))
    for term in terms:
        view.positions("body", term, docs[:10])
    assert 0 < view._positions_bytes <= 3000
    assert view._positions_bytes == sum(size for _, size in view._positions.values())
    assert len(view._positions) < 200


def test_phrases_match_adjacent_words_in_order_only(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    texts = {"a.txt": "Gas pipeline talks resume in Baku today",
             "b.txt": "Pipeline gas talks resume in Baku today",
             "c.txt": "Gas and a new pipeline: talks resume in Baku",
             "d.txt": "New talks on the gas pipeline pipeline gas pipeline"}
    for name, text in texts.items():
        (corpus / name).write_text(f"Energy news\n\n{text}\n", encoding="utf-8")
    build(corpus, tmp_path / "index")
    view = WhooshReader(current_generation(tmp_path / "index"))
    ids = lambda docs: sorted(view.stored(int(d))["id"] for d in docs)  # noqa: E731
    assert ids(view.postings("body", "gas pipelin")[0]) == ["a.txt", "d.txt"]
    assert ids(view.postings("body", "pipelin gas talk")[0]) == ["b.txt"]
    assert ids(view.postings("body", "pipelin pipelin gas")[0]) == ["d.txt"]
    d = view.document_number("d.txt")
    assert as_lists(view.positions("body", "pipelin", [d])) == {d: [3, 4, 6]}  # stop words take no position


def test_a_phrase_term_with_a_compound_whole_matches_where_the_compounds_parts_stand(tmp_path):
    # A lexicon phrase's term holds a compound whole ("северо-западный
    # округ"), which a text indexes at its first part's position, the next
    # word after its last part.
    texts = {"a.txt": "Новости\n\nВ Северо-Западном округе открыли новый аэропорт для малых самолетов.",
             "b.txt": "Новости\n\nВ северо-западном направлении от округа идет циклон, сообщили синоптики.",
             "c.txt": "Новости\n\nПротивотанковые и зенитно-ракетные комплексы показали на выставке в Кубинке."}
    view = WhooshReader(current_generation(index_over(tmp_path, texts)))
    ids = lambda docs: sorted(view.stored(int(d))["id"] for d in docs)  # noqa: E731
    assert ids(view.postings("body", "северо-западный округ")[0]) == ["a.txt"]
    assert ids(view.postings("body", "зенитный-ракетный комплекс")[0]) == ["c.txt"]


def test_phrases_read_again_where_their_blocks_lie_which_only_body_and_title_terms_keep(tmp_path):
    titles = {"a.txt": "Gas pipeline talks resume", "b.txt": "Pipeline gas talks resume"}
    index = index_over(tmp_path, {name: f"{title}\n\nThe gas pipeline talks went on in Baku today.\n"
                                  for name, title in titles.items()})
    view = WhooshReader(current_generation(index))
    ids = lambda docs: sorted(view.stored(int(d))["id"] for d in docs)  # noqa: E731
    assert ids(view.postings("body", "gas pipelin")[0]) == ["a.txt", "b.txt"]
    assert ids(view.postings("title", "gas pipelin")[0]) == ["a.txt"]
    assert ids(view.postings("title", "pipelin gas")[0]) == ["b.txt"]
    assert ids(view.postings("lead", "pipelin gas")[0]) == []
    assert {field for field, _ in view._directories} == {"body", "title"}


# Random texts of five words, and each word's index term.
def test_phrases_on_random_texts_match_the_documents_with_the_words_adjacent(tmp_path):
    rng = random.Random(5)
    texts, view = random_texts_view(tmp_path, rng, 300, longest=40, shortest=2)
    for _ in range(30):
        phrase = rng.choices(list(RANDOM_TEXT_WORDS), k=rng.randint(2, 3))
        expected = sorted(f"{i:03}.txt" for i, text in enumerate(texts)
                          if any(text[j:j + len(phrase)] == phrase for j in range(len(text))))
        found = view.postings("body", " ".join(RANDOM_TEXT_WORDS[w] for w in phrase))[0]
        assert sorted(view.stored(int(d))["id"] for d in found) == expected, phrase


def test_a_field_without_terms_has_length_zero_not_nan(tmp_path):
    # A one-paragraph text has no lead; its length must count as 0, or the
    # field's mean is NaN and BM25F stops normalizing that field's lengths.
    index = index_over(tmp_path, {"a.txt": "Title one\n\nBody text about gas and oil prices.\n",
                                  "b.txt": "Second title\n\nFirst paragraph about coal.\n\nSecond paragraph.\n"})
    view = WhooshReader(current_generation(index))
    lead = view.field_lengths["lead"][[view.document_number("a.txt"), view.document_number("b.txt")]]
    assert lead.tolist() == [0.0, 3.0] and view.mean_field_length("lead") == 1.5
