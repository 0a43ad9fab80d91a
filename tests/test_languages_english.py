from search.languages.english import comparative_bases


def test_comparative_bases():
    assert comparative_bases("higher") == ["high", "highe"]
    assert comparative_bases("bigger")[0] == "big"
    assert comparative_bases("earliest")[0] == "early"
    assert "large" in comparative_bases("largest")
    assert comparative_bases("tower") == ["tow", "towe"]  # a candidate only: the lexicon decides
    assert comparative_bases("red") == []
