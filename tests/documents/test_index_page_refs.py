"""A pleading sends the court to the evidence index for page numbers only where that index
states them: the index of a packet does (the exhibits' final pages), an index generated on its
own does not (the exhibits are not bound yet), so neither does a pleading generated on its own."""


import pytest

from service.cases.casefile import load_case_file
from service.core.settings import get_settings
from service.packets.build import make_plan
from tests.documents.conftest import squash
from tests.documents.legal_cases import context, litigation_case, texts

PLEADINGS = ("civil_complaint", "complaint_elements")


@pytest.mark.parametrize("kind", PLEADINGS)
def test_a_pleading_on_its_own_refers_to_the_index_for_no_pages(db, tmp_path, kind):
    case = litigation_case(db)
    index = context(db, case.ref, "evidence_index")
    assert not index.paginated and all(r.first_page is None for r in index.rows)
    index_pdf, index_docx = texts(index, tmp_path)
    assert "本目录未附装订页码" in squash(index_pdf) and "本目录未附装订页码" in squash(index_docx)
    pdf, docx = texts(context(db, case.ref, kind), tmp_path)
    for text in (squash(pdf), squash(docx)):
        assert "《证据目录》" in text
        assert "页码" not in text


@pytest.mark.parametrize("kind", PLEADINGS)
def test_a_pleading_in_a_packet_refers_to_the_index_for_pages(db, tmp_path, kind):
    case = litigation_case(db)
    bound = make_plan(db, get_settings(), load_case_file(db, case.ref), bound=True)  # the packet builder's plan
    pdf, docx = texts(context(db, case.ref, kind, plan=bound), tmp_path)
    expected = "证明目的及页码详见《证据目录》" if kind == "civil_complaint" else "证明对象及页码）"
    assert expected in squash(pdf) and expected in squash(docx)
