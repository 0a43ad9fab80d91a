"""Snippets: the best passage, every matched form marked, HTML from escaped text only."""
from search.analysis import terms_of
from search.snippets import SNIPPET_CHARS, fragments, highlight_all, to_html, to_terminal

FILLER = "Officials met on Tuesday and spoke about many other things at length. " * 8


def test_the_window_holds_the_most_distinct_matched_terms():
    text = f"Gas prices rose. {FILLER}Gas pipeline security was discussed in Baku. {FILLER}"
    pieces = fragments(text, set(terms_of("pipeline security")))
    shown = "".join(p for p, _ in pieces)
    assert "pipeline security" in shown and shown.startswith("…") and shown.endswith("…")
    assert [p for p, hit in pieces if hit] == ["pipeline", "security"]
    assert len(shown) <= SNIPPET_CHARS + 2 * 20 + 2  # snapped to words, at most 20 a side, and the marks


def test_inflected_forms_are_marked_and_text_is_escaped():
    text = "<b>Энергетической</b> безопасности & энергетическая безопасность"
    html = to_html(fragments(text, set(terms_of("энергетическая безопасность"))))
    assert html == ("&lt;b&gt;<mark>Энергетической</mark>&lt;/b&gt; <mark>безопасности</mark> &amp; "
                    "<mark>энергетическая</mark> <mark>безопасность</mark>")


def test_no_match_shows_the_lead_and_an_empty_text_nothing():
    text = FILLER
    assert "".join(p for p, _ in fragments(text, {"pipelin"})).startswith("Officials met")
    assert fragments("", {"gas"}) == []


def test_terminal_output_is_bold_on_a_terminal_and_bracketed_elsewhere():
    pieces = [("Gas", True), (" talks", False)]
    assert to_terminal(pieces, bold=False) == "[Gas] talks"
    assert to_terminal(pieces, bold=True) == "\033[1mGas\033[0m talks"


def test_highlight_all_returns_the_whole_text():
    text = "Gas talks. More gas."
    pieces = highlight_all(text, {"gas"})
    assert "".join(p for p, _ in pieces) == text
    assert [p for p, hit in pieces if hit] == ["Gas", "gas"]
