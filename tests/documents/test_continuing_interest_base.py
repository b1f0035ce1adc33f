"""The CN mediation application's request 三 fixed the continuing default interest's base at the
application's principal ("以未还本金X元为基数"): once the borrower pays instalments under the
mediation plan, enforcement would have run the penalty on principal already repaid. It runs on the
principal unpaid from time to time — X as of the application, less what later payments apply to
principal — and the complaint's continuing-interest request (and its element form) says the same,
in the same words, from one template macro (labels.zh-CN ``continuing``) and the one claim
computation (ClaimBlock.continuing_*).

The case: the contract accelerated by the lawyer letter of 2025-09-10, delivered 2025-09-12."""

import re
from datetime import date

from service.cases import activity
from service.cases.casefile import load_case_file
from service.documents import service as documents_service
from service.documents.format import date_cn, money
from service.documents.render import render_html
from tests.documents.conftest import TEMPLATES, squash
from tests.documents.legal_cases import DAY, context, litigation_case, moment, texts

DECLARED, DELIVERED = date(2025, 9, 10), date(2025, 9, 12)
FIXED = re.compile(r"以未还本金[\d,]+\.\d\d元为基数[^；。]*?至实际清偿之日止")
CONTINUING = re.compile(r"自\d{4}年\d+月\d+日起以未还本金[^；。]*?计算至实际清偿之日止")


def _accelerated(db, store):
    case = litigation_case(db, plan=False)
    documents_service.generate(db, case_ref=case.ref, kind="lawyer_letter", as_of=DECLARED, actor="test",
                               store=store, now=moment(DECLARED))
    (letter,) = [c for c in load_case_file(db, case.ref).communications if c.template_kind == "lawyer_letter"]
    activity.record_delivery(db, case, letter.id, actor="test", at=moment(DELIVERED, 14))
    return case


def test_the_mediation_application_and_the_complaint_state_one_continuing_interest_on_the_unpaid_principal(
        db, store, tmp_path):
    case = _accelerated(db, store)
    mediation = context(db, case.ref, "mediation_application")
    complaint = context(db, case.ref, "civil_complaint")
    c = mediation.claim  # type: ignore[attr-defined]
    assert c.accelerated
    assert (c.continuing_base, c.continuing_rate, c.continuing_from) == (
        complaint.claim.continuing_base, complaint.claim.continuing_rate,  # type: ignore[attr-defined]
        complaint.claim.continuing_from)  # type: ignore[attr-defined]
    expected = (f"自{date_cn(c.continuing_from)}起以未还本金（截至{date_cn(DAY)}为{money(c.continuing_base)}元，"
                f"此后还款冲抵本金的相应减少）为基数、按年利率")
    found = {}
    for kind, ctx in (("mediation_application", mediation), ("civil_complaint", complaint),
                      ("complaint_elements", context(db, case.ref, "complaint_elements"))):
        html = squash(render_html(ctx, TEMPLATES))
        sentences = set(CONTINUING.findall(html))
        assert len(sentences) == 1, (kind, sentences)
        (found[kind],) = sentences
        assert found[kind].startswith(squash(expected)), (kind, found[kind])
        # no continuing base fixed at the document's figure (a past period the complaint computes,
        # its bridge's "此后…以未还本金X元为基数…计收N天", has one base, rightly)
        assert not FIXED.search(html), (kind, FIXED.findall(html))
    assert len(set(found.values())) == 1, found  # one wording
    request = squash(render_html(mediation, TEMPLATES)).split("三、")[1].split("</p>")[0]
    assert found["mediation_application"] in request and request.endswith("向人民法院申请强制执行。")
    # the DOCX says what the PDF says
    pdf, docx = texts(mediation, tmp_path)
    assert "此后还款冲抵本金的相应减少" in squash(pdf) and "此后还款冲抵本金的相应减少" in squash(docx)
