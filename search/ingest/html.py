"""HTML pages -> a document: the visible text of the article, its title, date and outlet."""
from __future__ import annotations

from search.ingest.dates import normalize_date
from search.ingest.detection import detect
from search.ingest.documents import MAX_TEXT_CHARS, Document
from search.ingest.outlets import BY_ALIAS, outlet_in_text, outlet_of_url
from search.ingest.text import strip_noise


_INVISIBLE_TAGS = frozenset({"head", "title", "script", "style", "noscript", "template", "nav",
                             "footer", "aside", "form", "svg", "iframe"})
# Tags that break lines: the text of one of them is not run into its neighbours'.
_BLOCK_TAGS = frozenset({"br", "p", "div", "section", "article", "header", "main", "li", "ul",
                         "ol", "table", "tr", "td", "th", "blockquote", "pre", "figure",
                         "figcaption", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6"})


def html_document(relpath: str, text: str) -> Document:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")

    def meta(key: str) -> str:
        tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
        return " ".join(str(tag.get("content") or "").split()) if tag else ""

    root = soup.find("article") or soup.body or soup
    h1 = root.find("h1") or soup.find("h1")
    title = " ".join(h1.get_text(" ").split()) if h1 else ""
    if not title:
        h1 = None
        title = meta("og:title") or (" ".join(soup.title.get_text().split()) if soup.title else "")
    time_tag = soup.find("time", attrs={"datetime": True})
    date = normalize_date(meta("article:published_time")
                           or (time_tag["datetime"] if time_tag else ""))
    canonical = soup.find("link", attrs={"rel": "canonical", "href": True})
    url = meta("og:url") or (canonical["href"] if canonical else "")
    site = meta("og:site_name")

    lines, footer_source = strip_noise(_visible_lines(root, skip=h1))
    body = "\n".join(lines)[:MAX_TEXT_CHARS]
    return Document(
        id=relpath, title=title, body=body, date=date,
        lang=detect(f"{title}\n{body}"),
        source=(BY_ALIAS.get(site, site) or outlet_of_url(url) or footer_source
                or outlet_in_text(f"{title}\n{body}")),
        url=url,
    )


def _visible_lines(root, skip) -> list[str]:
    """The text of root as non-empty lines, without invisible elements and
    without `skip` (the h1 taken as the title). One pass over the tree:
    editing it instead (decompose, insert) is quadratic on a large page."""
    from bs4 import NavigableString, Tag

    parts = []
    for node in root.descendants:
        if isinstance(node, Tag):
            if node.name in _BLOCK_TAGS:
                parts.append("\n")
        # Comments, doctypes, script and style text are other string types.
        elif type(node) is NavigableString and not any(
                p is skip or p.name in _INVISIBLE_TAGS for p in node.parents):
            before = node.previous_sibling
            if isinstance(before, Tag) and before.name in _BLOCK_TAGS:
                parts.append("\n")
            parts.append(node)
    lines = (" ".join(line.split()) for line in "".join(parts).splitlines())
    return [line for line in lines if line]
