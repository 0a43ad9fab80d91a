"""BM25F over a real index: a translation group scores as one term."""
import pytest

from helpers import NATO_RU, SAMPLE
from search.index.backend import open_generation
from search.index.layout import current_generation
from search.index.writer import build
from search.query import Seq, TermGroup
from search.rank.bm25f import score


@pytest.fixture(scope="module")
def view(tmp_path_factory):
    index = tmp_path_factory.mktemp("ix") / "sample"
    build(SAMPLE, index)
    reader = open_generation(current_generation(index))
    yield reader
    reader.close()


def test_a_group_scores_as_one_term(view):
    # "безопасность" alone against a group that also holds three words
    # spread over more documents: the union's df lowers the group's idf, and
    # a document gains nothing from holding several translations.
    one = TermGroup(("безопасность",))
    many = TermGroup(("безопасность", "азербайджан", "энергетика", "сотрудничество"))
    rare = TermGroup(("климат",))
    flat = Seq(tuple(TermGroup((t,)) for t in many.terms) + (rare,))
    structured = Seq((many, rare))
    s_flat, _ = score(view, flat)
    s_group, _ = score(view, structured)
    doc = view.document_number(NATO_RU)
    many_alone, _ = score(view, many)
    one_alone, _ = score(view, one)
    assert many_alone[doc] < 1.5 * one_alone[doc] < sum(
        score(view, TermGroup((t,)))[0][doc] for t in many.terms)
    # In the flat OR the many-translation word outweighs the rare word;
    # as a group it does not.
    rare_alone, _ = score(view, rare)
    assert s_flat[doc] - rare_alone[doc] > rare_alone[doc]
    assert s_group[doc] - rare_alone[doc] < s_flat[doc] - rare_alone[doc]
