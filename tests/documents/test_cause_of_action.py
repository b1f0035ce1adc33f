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
