"""Word tables: groups in their order, whole-word membership, sorted words
with counts checked against a dict, the same answers from a table's file
as from memory, and a did-you-mean list far smaller than a dict of its words."""
import random
import tracemalloc

import pytest

from search.index.wordtables import spelling_key
from search.spelling import Speller
from search.wordgroups import SortedWords, WordGroups


def by_length(word):
    return str(len(word))


def test_groups_keep_their_words_in_order():
    groups = WordGroups([("gas", 1), ("oil", 2), ("coal", 3), ("нефть", 4), ("gasoline", 5)], by_length)
    assert groups.group("3") == ["gas", "oil"] and list(groups.group_counts("3")) == [1, 2]
    assert groups.group("5") == ["нефть"]
    assert groups.group("7") == [] and len(groups.group_counts("7")) == 0


def test_membership_is_of_whole_words():
    groups = WordGroups([(w, 0) for w in ["gas", "oil", "oils"]], by_length)
    assert "oil" in groups and "oils" in groups and "gas" in groups
    assert "oi" not in groups and "il" not in groups and "ga" not in groups and "" not in groups


def test_tables_read_from_their_files_answer_as_built(tmp_path):
    rng = random.Random(3)
    letters = "abcнефтьгаз"
    counts = {"".join(rng.choice(letters) for _ in range(rng.randint(1, 8))): rng.randint(1, 9) for _ in range(2000)}
    words, groups = SortedWords(counts.items()), WordGroups(list(counts.items()), by_length)
    (tmp_path / "words.tab").write_bytes(words.image)
    (tmp_path / "groups.tab").write_bytes(groups.image)
    read, read_groups = SortedWords.load(tmp_path / "words.tab"), WordGroups.load(tmp_path / "groups.tab", by_length)
    assert list(read.items()) == list(words.items()) and dict(read.items()) == counts
    assert read.starting("не", 10) == words.starting("не", 10) != []
    for length in range(10):
        assert read_groups.group(str(length)) == [w for w in counts if len(w) == length]
        assert list(read_groups.group_counts(str(length))) == [n for w, n in counts.items() if len(w) == length]
    assert all(w in read_groups for w in list(counts)[:200]) and "abcabcabc" not in read_groups


def test_a_file_that_is_no_table_is_refused(tmp_path):
    (tmp_path / "words.tab").write_bytes(b"gas\t1\n")
    with pytest.raises(ValueError):
        SortedWords.load(tmp_path / "words.tab")


def speller_of(counts):
    return Speller(WordGroups(sorted(counts), spelling_key))


def test_speller_ranks_by_document_frequency():
    speller = speller_of([("energy", 3), ("enemy", 40), ("energo", 1)])
    assert "energy" in speller and "enrgy" not in speller
    assert speller.suggest("enerqy") == "energy"  # distance 1 beats the more frequent enemy (2)
    assert speller.suggest("eneryy") == "energy"  # both at distance 1: energy (3) over energo (1)


def test_a_speller_of_100000_words_holds_under_2_mb():
    # As a dict of its words (read from the index) and lists of them by
    # length, it held ~11 MB.
    rng = random.Random(1)
    text = " ".join("".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(3, 14)))
                    for _ in range(100_000))
    tracemalloc.start()
    try:
        speller = speller_of((word, 1) for word in text.split())  # each word a new string, as read
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert held < 2 << 20
    assert text[:text.index(" ")] in speller


def test_sorted_words_answer_as_a_dict_does():
    rng = random.Random(7)
    letters = "abcнефтьгаз"
    counts = {"".join(rng.choice(letters) for _ in range(rng.randint(1, 6))): rng.randint(1, 9) for _ in range(3000)}
    words = SortedWords(counts.items())
    assert len(words) == len(counts) and dict(words.items()) == counts
    for probe in list(counts)[:300] + ["".join(rng.choice(letters) for _ in range(4)) for _ in range(300)]:
        assert words.get(probe) == counts.get(probe, 0)
    for prefix in ["a", "не", "газ", "zz", "b" * 7]:
        found = sorted((w for w in counts if w.startswith(prefix)), key=lambda w: (-counts[w], w))
        assert words.starting(prefix, 20) == found[:20]
    assert len(SortedWords([])) == 0 and SortedWords([]).get("x") == 0 and SortedWords([]).starting("x", 5) == []


def test_surface_words_of_100000_words_hold_a_third_of_a_dict():
    counts = {f"word{i:06d}": i % 97 + 1 for i in range(100_000)}
    tracemalloc.start()
    words = SortedWords(counts.items())
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert held < 3_000_000 and words.get("word050000") == counts["word050000"]
