"""Word lists held compactly: groups in their order, whole-word membership,
sorted words with counts checked against a dict, and a did-you-mean list
far smaller than a dict of its words."""
import random
import tracemalloc

from search.spelling import Speller
from search.wordgroups import SortedWords, WordGroups


def test_groups_keep_their_words_in_order():
    groups = WordGroups(["gas", "oil", "coal", "нефть", "gasoline"], len)
    assert groups.group(3) == ["gas", "oil"]
    assert groups.group(5) == ["нефть"]
    assert groups.group(7) == []


def test_membership_is_of_whole_words():
    groups = WordGroups(["gas", "oil", "oils"], len)
    assert "oil" in groups and "oils" in groups and "gas" in groups
    assert "oi" not in groups and "il" not in groups and "ga" not in groups and "" not in groups


def test_speller_ranks_by_document_frequency():
    speller = Speller([("energy", 3), ("enemy", 40), ("energo", 1)])
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
        speller = Speller((word, 1) for word in text.split())  # each word a new string, as read
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
