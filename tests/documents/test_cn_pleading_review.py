"""Review of the CN court set (CN-00012, CN-00039 on 2026-12-06): each pleading states what the
case's record and claim computation say, under the 案由's own words."""

from datetime import date

from sqlalchemy.orm import Session

from tests.documents.conftest import squash
from tests.documents.legal_cases import context, litigation_case, texts
from tests.factories import schedule


def test_element_form_says_the_debt_fell_due_by_the_plans_acceleration_not_the_contracts_end(db: Session,
                                                                                          tmp_path) -> None:
    # the contract's three instalments ran out on 2025-04-10, before the plan (signed 2025-06-20,
    # last instalment 2025-12-17) was breached and its default clause took effect on 2025-09-09
    case = litigation_case(db, schedule=schedule(periods=3))
    ctx = context(db, case.ref, "complaint_elements")
    assert ctx.claim.schedule_end == date(2025, 12, 17) and ctx.claim.maturity == "accelerated"
    for text in map(squash, texts(ctx, tmp_path)):
        item = text[text.index("4.借款期限"):text.index("约定期限")]
        assert "是否到期：☑是☐否" in item
        assert "依《还款协议》" in item and "已于2025年9月9日提前到期" in item, item
        assert "2025年4月10日" not in item
