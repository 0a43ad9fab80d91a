"""A plan (query.py's tree with TermGroup and PhraseGroup leaves) in the
SphinxQL MATCH syntax, which Manticore and Sphinx share.

The cluster only finds the candidates: which of them match and how they
rank is decided again by rank/ over their analyzed text. So the MATCH
expression must hold every document the plan matches:
- a translation group is an OR group over the group's fields and their
  `_alt` twins (alternative normal forms, hyphenated compounds whole);
- a phrase stays a phrase over the fields' main tokens, one per position;
- a Seq's optional items are an OR group beside its required ones;
- a group with no terms matches nothing: a clause that needs it is
  dropped, and a plan that matches nothing gives None.
"""
from __future__ import annotations

from search.index.sphinxql.schema import token
from search.query import And, Must, Not, Or, PhraseGroup, Seq, TermGroup


def match_of(node) -> str | None:
    """The MATCH expression of a plan; None when it can match nothing.
    A plan of exclusions only (NOT x) gives "", which matches nothing in
    SphinxQL: the caller searches without MATCH then."""
    if isinstance(node, TermGroup):
        if not node.terms:
            return None
        alternatives = " | ".join(_term(t) for t in dict.fromkeys(node.terms))
        return f"(@({_fields(node.fields, True)}) ({alternatives}))"
    if isinstance(node, PhraseGroup):
        if len(node.terms) == 1:
            return match_of(TermGroup(node.terms, node.fields))
        return f'(@({_fields(node.fields, False)}) "{" ".join(token(t) for t in node.terms)}")'
    if isinstance(node, Must):
        return match_of(node.item)
    if isinstance(node, Not):
        inner = match_of(node.item)
        return f"-{inner}" if inner else ""
    if isinstance(node, Or):
        items = [m for m in map(match_of, node.items) if m]
        return f"({' | '.join(items)})" if items else None
    if isinstance(node, And):
        items = [match_of(i) for i in node.items]
        if any(m is None for m, i in zip(items, node.items) if not isinstance(i, Not)):
            return None
        return _all(items)
    if isinstance(node, Seq):
        optional = [i for i in node.items if not isinstance(i, (Must, Not))]
        required = [i for i in node.items if isinstance(i, (Must, Not))]
        found = [m for m in map(match_of, optional) if m]
        if optional and not found:
            return None  # none of the optional items can match
        items = [match_of(i) for i in required]
        if any(m is None for m, i in zip(items, required) if isinstance(i, Must)):
            return None
        if found:
            items.insert(0, found[0] if len(found) == 1 else f"({' | '.join(found)})")
        return _all(items)
    raise TypeError(f"not a query node: {node!r}")


def _all(items) -> str:
    """Items that must all hold; exclusions last (SphinxQL rejects a query
    that starts with one)."""
    items = [m for m in items if m]
    positive = [m for m in items if not m.startswith("-")]
    return " ".join(positive + [m for m in items if m.startswith("-")]) if positive else ""


def _term(term: str) -> str:
    """A term; one of several words (a lexicon phrase) as a phrase."""
    words = term.split(" ")
    return token(words[0]) if len(words) == 1 else f'"{" ".join(token(w) for w in words)}"'


def _fields(fields, alternatives: bool) -> str:
    return ",".join(f for name in fields for f in ((name, name + "_alt") if alternatives else (name,)))
