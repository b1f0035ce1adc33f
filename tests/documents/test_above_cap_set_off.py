"""Interest paid above the cap is set against principal, and the documents show it (issue 8;
review CN-00060): the payment record lists it as such, the claim statement prints the principal
balances its 本金积数 is the sum of and where its daily rate's 360-day year comes from, and the
agreement says the contract interest it waives is capped, naming the cap."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from service.cases import accounts
from service.cases.casefile import load_case_file
from service.documents.format import date_cn, money, percent
from tests.documents.conftest import squash
from tests.documents.legal_cases import DAY, context, litigation_case, texts

PRIVATE = {"licence_type": "non_licensed", "credit_system": ""}


def _set_off_lines(db, ref):  # type: ignore[no-untyped-def]
    plan = accounts.signed_plan(load_case_file(db, ref), DAY)
    day = plan.as_of_date if plan is not None else DAY
    ledger = accounts.ledger_of(load_case_file(db, ref), day)
    return [x for a in ledger.allocations for x in a.lines if x.above_cap]


def _last_row(p) -> str:  # type: ignore[no-untyped-def]
    """A capped period's last row as the table prints it: its days, balance, the formula of its
    basis (a whole month on one balance: × rate ÷ 12; on several: × rate × days ÷ the month's days
    ÷ 12; any other period: × rate × days ÷ 360) and the period's figures."""
    last = p.spans[-1]
    if p.basis == "month":
        formula = f"本金×{percent(last.rate)}÷12" if len(p.spans) == 1 else \
            f"本金×{percent(last.rate)}×{last.days}÷{p.days}÷12"
    else:
        formula = f"本金×{percent(last.rate)}×{last.days}÷360"
    return (f"{date_cn(last.first_day)}{date_cn(last.last_day)}{money(last.balance)}{last.days}{formula}"
            f"{money(p.lawful)}{money(p.contract)}")


def test_the_payment_record_shows_interest_above_the_cap_set_against_principal(db, tmp_path):
    case = litigation_case(db, lender=PRIVATE)
    lines = _set_off_lines(db, case.ref)
    assert lines, "the contract's 18 % is above the private cap: the instalment paid holds interest above it"
    ctx = context(db, case.ref, "payment_history")
    assert ctx.totals["above_cap"] == sum((x.amount for x in lines), Decimal(0))  # type: ignore[attr-defined]
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        assert flat.count("超出上限部分冲抵本金") >= len(lines) + 1, flat  # each line, and the note naming it
        assert "一年期贷款市场报价利率的四倍" in flat
        assert all(money(x.amount) in flat for x in lines)
        periods = ctx.capped_interest  # type: ignore[attr-defined]
        assert periods, "the capped periods' basis is printed beside the set-off"
        for p in periods:  # the basis table (_partials/capped_interest), its last row carrying the figures
            assert _last_row(p) in flat, p


def test_the_claim_statement_prints_the_balances_its_principal_days_add_up_from(db, tmp_path):
    case = litigation_case(db, lender=PRIVATE)
    ctx = context(db, case.ref, "claim_statement")
    c = ctx.claim  # type: ignore[attr-defined]
    assert c.principal_spans and sum(x.product for x in c.principal_spans) == c.principal_days
    assert c.above_cap_set_off > 0
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        assert "本金积数逐段计算" in flat and "超出利率上限已付利息冲抵本金" in flat
        for x in c.principal_spans:  # each row's days, both ends counted: the day after its balance began, to its last
            assert x.first_day == x.start + timedelta(days=1) and x.last_day == x.end
            assert f"{date_cn(x.first_day)}{date_cn(x.last_day)}{money(x.balance)}{x.days}{money(x.product)}" in flat, x
        # the periods whose interest the cap cut, each with the basis a reader rebuilds it from: the
        # monthly contract's whole months at the cap ÷ 12 (ledger.CapBasis)
        assert c.capped_interest and all(p.basis == "month" for p in c.capped_interest)
        assert squash("整期，按上限年利率 ÷ 12（月利率）计算") in flat
        for p in c.capped_interest:
            exact = sum((x.balance * x.rate * x.days for x in p.spans), Decimal(0))
            assert p.divisor == p.days * 12 == sum(x.days for x in p.spans) * 12
            assert p.lawful == p.cap == (exact / p.divisor).quantize(Decimal("0.01"), ROUND_HALF_UP) < p.contract
            assert _last_row(p) in flat, p
        assert f"合计{sum(x.days for x in c.principal_spans)}{money(c.principal_days)}" in flat


def test_the_daily_rate_cites_the_contracts_day_count_clause(db, tmp_path):
    """The 360-day year is the contract's (CN-33: a court document claims on it only as the contract
    provides); the daily figure names that clause beside it, as the rate table does."""
    case = litigation_case(db, lender=PRIVATE)
    for text in texts(context(db, case.ref, "claim_statement"), tmp_path):
        flat = squash(text)
        daily = flat[flat.index("即每日"):]
        assert daily.index("（日利率＝年利率÷360，依合同第四条第二款约定）") < daily.index("。"), daily[:80]


def test_the_agreement_says_the_interest_it_waives_is_capped_naming_the_cap(db, tmp_path):
    case = litigation_case(db, lender=PRIVATE, plan_type="extension")
    cf = load_case_file(db, case.ref)
    cap = accounts.cap_of(cf, DAY)
    zh = ("按原借款合同还款计划计算；原借款合同约定的年利率18%超过合同成立时一年期贷款市场报价利率的四倍"
          f"（年利率{percent(cap.annual_rate)}），各期按该上限、以该期尚未到期的未还本金"
          "（已扣除此前超出上限已付利息冲抵的本金）计算，整月按该上限年利率÷12，其他期间按实际天数")
    for locale, words in (("zh-CN", (zh,)),
                          ("en-US", ("on its repayment schedule capped at four times the one-year LPR",
                                     "(the Loan Agreement's rate, 18% a year, is above that cap: each period at the "
                                     "cap on the principal not yet due in it, less the principal that interest paid "
                                     "above the cap was set against, a whole month at a twelfth of the annual cap "
                                     "and any other period for its actual days)"))):
        ctx = context(db, case.ref, "repayment_agreement", locale=locale)
        assert ctx.agreement.interest_not_charged > 0  # type: ignore[attr-defined]
        for text in texts(ctx, tmp_path):
            flat = squash(text)
            assert all(squash(w) in flat for w in words), (locale, flat)


def test_the_payment_record_claims_no_set_off_where_none_was_made(db, tmp_path):
    """The basis of the capped periods says their principal was lowered by set-offs of interest
    paid above the cap only where the record has some (reader, CN-00012: 证据10 said so of a case
    with none)."""
    case = litigation_case(db, lender=PRIVATE)
    ctx = context(db, case.ref, "payment_history")
    assert ctx.capped_interest and ctx.totals["above_cap"] > 0  # type: ignore[attr-defined]
    said = "已随此前超出上限已付利息冲抵本金而减少"
    assert all(said in squash(text) for text in texts(ctx, tmp_path))
    payments = tuple(p.model_copy(update={"lines": tuple(x for x in p.lines if x.component != "above_cap")})
                     for p in ctx.payments)  # type: ignore[attr-defined]
    none = ctx.model_copy(update={"payments": payments})
    assert none.totals["above_cap"] == 0  # type: ignore[attr-defined]
    for text in texts(none, tmp_path):
        assert said not in squash(text) and "上表“利息”栏即按此冲抵" not in squash(text)
