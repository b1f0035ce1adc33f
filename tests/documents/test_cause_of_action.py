"""Every CN court document names the case's own 案由 (CN-30), and the pleadings cite its articles:
a micro-lender's case is not a 金融借款合同纠纷, a private lender's not either."""

import pytest

from tests.documents.conftest import squash
from tests.documents.legal_cases import context, litigation_case, texts

CAUSES = {"金融借款合同纠纷", "小额借款合同纠纷", "民间借贷纠纷"}
COURT_DOCUMENTS = ("civil_complaint", "complaint_elements", "evidence_index", "court_fee_statement",
                   "service_address_confirmation", "mediation_application", "power_of_attorney")
PLEADINGS = ("civil_complaint", "complaint_elements")


@pytest.mark.parametrize(("licence", "cause", "law"), [
    ("bank", "金融借款合同纠纷", "《中华人民共和国民法典》第五百零九条"),
    ("micro_loan", "小额借款合同纠纷", "（法释〔2020〕27号）第一条"),
    ("non_licensed", "民间借贷纠纷",
     "《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》第二十五条、第二十八条、第二十九条"),
], ids=["bank", "micro_loan", "non_licensed"])
def test_every_court_document_states_the_cause_of_the_lenders_type(db, tmp_path, licence, cause, law):
    case = litigation_case(db, lender={"licence_type": licence})
    for kind in COURT_DOCUMENTS:
        for text in texts(context(db, case.ref, kind), tmp_path):
            flat = squash(text)
            assert cause in flat, (kind, cause)
            assert not any(other in flat for other in CAUSES - {cause}), kind
            if kind in PLEADINGS:
                assert squash(law) in flat, (kind, law)


def test_a_micro_lender_cites_the_2020_reply_only_as_why_four_times_lpr_does_not_apply(db, tmp_path):
    """Review #10: 法释〔2020〕27号 says a 小额贷款公司 is a financial institution outside the
    private-lending regulation: the reason its cap is not 4 × LPR, not a basis of the borrower's
    liability; nor is a 小额贷款公司 a "持牌金融机构"."""
    case = litigation_case(db, lender={"licence_type": "micro_loan"})
    reason = squash("（法释〔2020〕27号）第一条，属于经金融监管部门批准设立的金融机构")
    for kind in ("civil_complaint", "complaint_elements", "claim_statement"):
        for text in texts(context(db, case.ref, kind), tmp_path):
            flat = squash(text)
            assert reason in flat and "持牌金融机构" not in flat, kind
            assert "不按一年期贷款市场报价利率的四倍计算" in flat, kind
            if kind == "civil_complaint":
                basis = flat[flat.index("原告认为"):]
                basis = basis[:basis.index("之规定")]
            elif kind == "complaint_elements":
                basis = flat[flat.index("法律规定："):]
                basis = basis[:basis.index("18.")]
            else:
                continue
            assert "27号" not in basis, kind
