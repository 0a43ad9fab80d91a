"""Chinese names between pinyin and the Palladius system, on names of our own choosing."""
import pytest

from search.translate import pinyin
from search.translate.pinyin import from_palladius, syllables, to_palladius


@pytest.mark.parametrize("latin, cyrillic", [
    ("Jinping", "цзиньпин"), ("Xi", "си"), ("Shenzhen", "шэньчжэнь"), ("Huawei", "хуавэй"),
    ("Guangdong", "гуандун"), ("Qingdao", "циндао"), ("Chongqing", "чунцин"), ("Xinjiang", "синьцзян"),
    ("Zhou", "чжоу"), ("Zemin", "цзэминь"), ("Yuan", "юань"), ("Xue", "сюэ"), ("Juan", "цзюань"),
    ("Sichuan", "сычуань"), ("Lü", "люй"), ("Wuhan", "ухань"), ("Hebei", "хэбэй"), ("Guo", "го"),
])
def test_pinyin_reads_as_palladius_and_back(latin, cyrillic):
    assert to_palladius(latin) == cyrillic
    assert latin.lower().replace("ü", "v") in from_palladius(cyrillic)


def test_every_syllable_comes_back_from_its_palladius_spelling():
    for syllable in pinyin._SYLLABLES:
        assert syllable in from_palladius(to_palladius(syllable)), syllable


def test_a_medial_vowel_starts_a_syllable_only_after_an_apostrophe():
    assert syllables("Jinan") == ["ji", "nan"]  # not jin, an
    assert syllables("Xi'an") == ["xi", "an"]
    assert syllables("Xian") == ["xian"]
    # Palladius writes no apostrophe: a medial vowel is read when nothing else is.
    assert "xian" in from_palladius("сиань")


@pytest.mark.parametrize("word", ["London", "Sinopec", "Gazprom", "Putin", "o'clock", "Zhang2"])
def test_a_word_that_is_no_pinyin_has_no_palladius_spelling(word):
    assert to_palladius(word) is None


def test_a_word_that_is_no_palladius_has_no_pinyin():
    assert from_palladius("москва") == []
    assert from_palladius("газпром") == []
