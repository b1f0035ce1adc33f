from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from service.cases.caps import LenderType, load_lpr_table
from service.cases.claim import Claim, compute_claim
from service.cases.court_fee import court_fee
from service.cases.ledger import LoanTerms, Payment
from service.cases.schedule import ScheduledInstalment
from tests.cases.loan_strategies import Scenario, scenarios

D = Decimal
TABLE = load_lpr_table()
AS_OF = date(2024, 3, 17)
TERMS = LoanTerms(D(3000), date(2024, 1, 1), D("0.12"), D("0.18"))
ROWS = [
    ScheduledInstalment(k + 1, d, D(1000), D(30))
    for k, d in enumerate([date(2024, 2, 1), date(2024, 3, 1), date(2024, 4, 1)])
]


def claim(lender: str = "bank", **kw: object) -> Claim:
    return compute_claim(
        TERMS, ROWS, [], as_of=AS_OF, lender_type=lender, formation_date=date(2024, 1, 1),
        lpr_table=TABLE, **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def test_licensed_claim_within_the_cap() -> None:
    c = claim(accelerated_on=date(2024, 2, 16))
    assert (c.principal, c.interest, c.penalty, c.compound, c.fees) == (
        D("3000.00"),
        D("40.00"),  # 30 + the running period's 15 days on its 2,000: 2,000 × 12 % × 15 / 360 = 10.00
        D("52.50"),
        D(0),
        D(0),
    )
    assert c.cap_result.gross_allowance == D("152.00")  # 3,000 × 76 days × 24 % / 360
    assert c.cap_result.reduced_by == 0
    assert c.claimed_total == c.contractual_total == D("3092.50")
    assert (c.court_fee.full, c.court_fee.halved) == (D(50), D(25))
    assert c.court_fee.preservation == D("50.93")  # 30 + 1 % of 2,092.50
    assert c.continuing.base == D("3000.00")
    assert c.continuing.annual_rate == D("0.18")
    assert c.continuing.from_date == date(2024, 3, 18)


def test_private_claim_is_cut_to_four_times_lpr() -> None:
    c = claim("non_licensed", accelerated_on=date(2024, 2, 16))
    assert c.cap.annual_rate == D("0.138")
    # the 18 % penalty runs at 13.8 %: 1,000 × 45 days + 2,000 × 30 days
    assert (c.interest, c.penalty) == (D("40.00"), D("40.25"))
    assert c.cap_result.overdue_allowance == D("40.25")  # together with nothing else: at the cap
    assert c.cap_result.gross_allowance == D("87.40")  # 228,000 × 13.8 % / 360
    assert c.cap_result.reduced_by == 0
    assert c.contractual_total == D("3092.50")
    assert c.claimed_total == D("3080.25")
    assert [(ln.key, ln.amount) for ln in c.reconciliation] == [
        ("contract", D("3092.50")), ("rate_cap", D("-12.25"))]
    assert c.continuing.annual_rate == D("0.138")
    assert c.continuing.text_zh == (
        "自2024年3月18日起以3000.00元为基数按年利率13.8%计算至实际清偿之日止"
    )


def test_accelerates_at_as_of_by_default() -> None:
    c = claim()
    assert c.accelerated_on == AS_OF
    assert c.principal == D("3000.00")
    assert c.interest == D("65.33")  # 30 + 30 + the running period's 16 days: 1,000 × 12 % × 16 / 360
    assert c.penalty == D("30.50")  # 45 + 16 days on 1,000; none yet on the accelerated part
    assert c.claimed_total == D("3095.83")
    assert [r.days_past_due for r in c.rows] == [45, 16, 0]


def test_without_acceleration_only_due_principal_is_claimed() -> None:
    c = claim(accelerate=False)
    assert c.accelerated_on is None
    assert (c.principal, c.interest, c.penalty) == (D("2000.00"), D("60.00"), D("30.50"))
    assert c.rows[2].principal == 0 and c.rows[2].interest == 0
    assert c.continuing.base == D("2000.00")


def _reconciles(c: Claim) -> None:
    ledger, cut = c.ledger, c.cap_result
    parts = (c.principal, c.interest, c.penalty, c.compound, c.fees)
    assert c.claimed_total == sum(parts)
    assert sum(ln.amount for ln in c.reconciliation if not ln.info) == c.claimed_total
    assert c.reconciliation[0].key == "contract"
    assert c.reconciliation[0].amount == c.contractual_total
    assert c.principal == ledger.overdue_principal - c.set_off
    assert c.interest == ledger.overdue_interest - (cut.contractual.interest - cut.capped.interest)
    assert c.penalty == ledger.penalty - (cut.contractual.penalty - cut.capped.penalty)
    assert c.compound == ledger.compound - (cut.contractual.compound - cut.capped.compound)
    assert c.fees == ledger.overdue_fee - (cut.contractual.fees - cut.capped.fees)
    assert sum(r.principal for r in c.rows) == ledger.overdue_principal
    assert sum(r.interest for r in c.rows) == ledger.overdue_interest
    assert sum(r.fee for r in c.rows) == ledger.overdue_fee
    assert sum(r.penalty for r in c.rows) == ledger.penalty
    assert sum(r.compound for r in c.rows) == ledger.compound
    assert c.court_fee.amount == c.claimed_total
    assert c.court_fee.full == court_fee(c.claimed_total)


def test_hand_claims_reconcile() -> None:
    for c in (claim(), claim("non_licensed"), claim(accelerate=False)):
        _reconciles(c)


@settings(max_examples=200, deadline=None)
@given(
    s=scenarios(),
    lender=st.sampled_from(list(LenderType)),
    accelerate=st.booleans(),
)
def test_claim_always_reconciles(s: Scenario, lender: LenderType, accelerate: bool) -> None:
    c = compute_claim(
        s.terms, s.rows, s.payments, as_of=s.as_of, lender_type=lender,
        formation_date=s.terms.disbursed_date, lpr_table=TABLE, accelerate=accelerate,
        waivers=s.waivers,
    )  # fmt: skip
    _reconciles(c)
    assert c.principal <= c.contract_ledger.overdue_principal
    assert c.claimed_total <= c.contractual_total


def test_nothing_owed_means_no_fee() -> None:
    paid = Payment("p", date(2024, 1, 15), D(3090))  # credit, applied as each instalment falls due
    c = compute_claim(
        TERMS, ROWS, [paid], as_of=date(2024, 4, 2), lender_type="bank",
        formation_date=date(2024, 1, 1), lpr_table=TABLE,
    )  # fmt: skip
    assert c.claimed_total == 0
    assert c.court_fee.full == c.court_fee.preservation == 0
    # the last period's 30.00 on the 1,000 left is above the 24 % cap over its whole month, 24 % ÷ 12
    # (20.00, not 20.67 for its 31 days: ledger.CapBasis): the 10.00 paid above it has no principal
    # left to be set against
    assert c.ledger.unapplied == D("10.00")
