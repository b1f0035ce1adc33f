"""Litigator's review of US-00014's packet (payment history, p. 21): "Payments are applied to fees,
then interest, then principal (fees → default interest → interest → principal), oldest installment
first" gave two orders in one sentence, and the CN history's "同一顺序内先到期者先冲抵" (within a
component, the earliest due first) was not what the ledger does. The ledger (ledger._Simulation.apply)
applies a payment installment by installment, the oldest first, and within an installment component
by component in its terms' order, only to amounts already due. The history states that one order,
taken from the terms the ledger runs on, and its own allocation table bears it out."""

from datetime import date
from decimal import Decimal

from service.cases import accounts, activity
from service.cases.casefile import load_case_file
from service.cases.schemas import PaymentIn
from tests.documents.conftest import squash
from tests.documents.legal_cases import DAY, context, litigation_case, texts
from tests.documents.test_acceleration_notices import in_state

EN = {"fee": "fees", "penalty": "default interest", "compound": "interest on interest", "interest": "interest",
      "principal": "principal"}


def _applied_in_order(ctx, order: tuple[str, ...]) -> None:
    """Each payment's lines in the history's own table run installment by installment, oldest first,
    and within one in the stated order."""
    for p in ctx.payments:
        keys = [(x.instalment_no, order.index(x.component)) for x in p.lines]
        assert keys == sorted(keys), (p.value_date, keys)


def test_the_us_history_states_the_one_order_the_ledger_applies(db, tmp_path):
    case = in_state(db, "TX")
    # a late payment covering the oldest unpaid installment's default interest, interest and
    # principal and part of the next one's
    activity.add_payment(db, case, PaymentIn(value_date=date(2025, 5, 20), amount=Decimal("700.00"),
                                             channel="ach", external_ref="P-LATE"), actor="test")
    cf = load_case_file(db, case.ref)
    order = tuple(str(c) for c in accounts.case_terms(cf).order)
    ctx = context(db, case.ref, "payment_history")
    assert ctx.order == order  # type: ignore[attr-defined]
    _applied_in_order(ctx, order)
    late = [p for p in ctx.payments if p.reference == "P-LATE"]  # type: ignore[attr-defined]
    assert late and len({x.instalment_no for x in late[0].lines}) > 1  # the case this test is about
    assert {x.component for x in late[0].lines} >= {"penalty", "interest", "principal"}
    words = ", then ".join(EN[c] for c in order if c != "compound" or cf.contract.compound_allowed)
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        assert squash(f"Each payment is applied to the oldest installment first and, within each installment, to "
                      f"{words}, and only to amounts already due") in flat
        assert "→" not in text
        assert squash("fees, then interest, then principal") not in flat


def test_the_cn_history_states_the_one_order_the_ledger_applies(db, tmp_path):
    case = litigation_case(db, plan=False)
    activity.add_payment(db, case, PaymentIn(value_date=date(2025, 5, 20), amount=Decimal("700.00"),
                                             channel="bank_transfer", external_ref="P-PART"), actor="test")
    cf = load_case_file(db, case.ref)
    order = tuple(str(c) for c in accounts.case_terms(cf).order)
    ctx = context(db, case.ref, "payment_history", day=DAY)
    _applied_in_order(ctx, order)
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        assert squash("每笔还款先冲抵到期最早的一期，同一期内依次冲抵费用、") in flat
        assert "同一顺序内先到期者先冲抵" not in flat
        assert "→" not in text
        assert squash("依《中华人民共和国民法典》第五百六十一条") in flat


def test_the_us_claim_statement_states_the_same_order(db, tmp_path):
    """Reader, US-00011's statement of account: "Application of payments: fees, interest, principal"
    left out default interest, which the plan payments paid first; it states the payment history's
    order, from the same terms."""
    case = in_state(db, "TX")
    cf = load_case_file(db, case.ref)
    order = [EN[str(c)] for c in accounts.case_terms(cf).order if str(c) != "compound" or cf.contract.compound_allowed]
    assert "default interest" in order
    for text in texts(context(db, case.ref, "claim_statement"), tmp_path):
        flat = squash(text)
        assert squash("Application of payments " + ", ".join(order)) in flat, flat[:2000]
        assert squash("fees, interest, principal Each") not in flat
