"""Review (US-00014 Attachment A row 5: $201.15 beside 2,623.65 × 14.76 % × 187 ÷ 360 = 201.1552;
CN claim statement row 4: 165 days where 158 were charged after a part payment): a careful reader
recomputes every row of a claim table from the row's own figures. The default interest is computed
in runs of one base at one rate (ledger.Accrual), each rounded once, and the claim statement and
the affidavit's Attachment A print those runs: each row is base × rate × days ÷ day basis to the
cent, its days are its dates', and the rows less what was paid are the default interest claimed."""

import calendar
import re
from datetime import date, timedelta
from decimal import Decimal

from service.cases import accounts
from service.cases.casefile import load_case_file
from service.core.settings import get_settings
from service.documents.format import usd
from tests.documents.conftest import squash
from tests.documents.legal_cases import DAY, context, texts, us_case

ROW = re.compile(r"(\w+ \d{1,2}, \d{4}) (\w+ \d{1,2}, \d{4}) (\d+) [\d,–\s]+(?:\(interest\) )?"
                 r"\$([\d,]+\.\d\d) ([\d.]+)% \$([\d,]+\.\d\d)")

MONTHS = list(calendar.month_name)[1:]


def _day(text: str) -> date:
    month, day, year = text.replace(",", "").split()
    return date(int(year), MONTHS.index(month) + 1, int(day))


def _money(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def test_every_default_interest_row_of_the_us_papers_recomputes_from_its_own_figures(db, tmp_path):
    case = us_case(db, rate="0.1899")
    cf = load_case_file(db, case.ref)
    claim = accounts.claim_of(cf, DAY, licensed_cap=get_settings().licensed_cost_cap)
    basis = cf.contract.day_basis
    assert len(claim.ledger.accruals) > 1  # the base changed as instalments fell due
    for kind in ("claim_statement", "affidavit_of_debt"):
        pdf, docx = texts(context(db, case.ref, kind, day=DAY), tmp_path)
        rows = ROW.findall(" ".join(pdf.split()))
        assert len(rows) == len(claim.ledger.accruals), kind
        total = Decimal("0.00")
        for first, last, days, base, rate, amount in rows:
            assert int(days) == (_day(last) - _day(first)).days + 1, (kind, first, last)
            exact = _money(base) * Decimal(rate) / 100 * int(days) / basis
            assert _money(amount) == exact.quantize(Decimal("0.01")), (kind, first, base, amount, exact)
            total += _money(amount)
        assert "Less default interest paid" not in pdf  # every payment was on time
        assert total == claim.penalty + claim.compound, kind  # the rows add up to what is claimed
        assert squash(usd(total)) in squash(docx), kind
        assert squash("after each day on which a notice to Defendant stated the balance") in squash(pdf), kind


CN_ROW = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日 (\d{4})年(\d{1,2})月(\d{1,2})日 (\d+) [\d、–]+（(本金|利息)） "
                    r"([\d,]+\.\d\d) ([\d.]+)% (-?[\d,]+\.\d\d)")


def _cn_rows(text: str) -> list[tuple[date, date, int, str, Decimal, Decimal, Decimal]]:
    out = []
    for m in CN_ROW.finditer(" ".join(text.split())):
        y1, m1, d1, y2, m2, d2, days, part, base, rate, amount = m.groups()
        out.append((date(int(y1), int(m1), int(d1)), date(int(y2), int(m2), int(d2)), int(days), part,
                    _money(base), Decimal(rate) / 100, _money(amount)))
    return out


def test_every_default_interest_row_of_the_cn_claim_statement_and_demand_letter_recomputes(db, tmp_path):
    """A part payment in the middle of a default changes the base: the runs split there (review:
    row 4 "165 days" where 158 were charged on the smaller principal after the payment)."""
    from service.cases import activity
    from service.cases.schemas import PaymentIn
    from tests.documents.legal_cases import litigation_case

    case = litigation_case(db, plan=False)
    activity.add_payment(db, case, PaymentIn(value_date=date(2025, 5, 20), amount=Decimal("700.00"),
                                             channel="bank_transfer", external_ref="P-PART"), actor="test")
    cf = load_case_file(db, case.ref)
    claim = accounts.claim_of(cf, DAY, licensed_cap=get_settings().licensed_cost_cap)
    basis = cf.contract.day_basis
    assert any(a.start == date(2025, 5, 20) for a in claim.ledger.accruals)  # the payment split a run
    for kind, day in (("claim_statement", DAY), ("demand_letter", DAY)):
        pdf, docx = texts(context(db, case.ref, kind, day=day), tmp_path)
        for text in (pdf, docx):
            rows = _cn_rows(text)
            assert len(rows) == len(claim.ledger.accruals), kind
            for first, last, days, _part, base, rate, amount in rows:
                assert days == (last - first).days + 1, (kind, first, last)
                assert amount == (base * rate * days / basis).quantize(Decimal("0.01")), (kind, first, base)
            assert sum(r[6] for r in rows) == sum((a.amount for a in claim.ledger.accruals), Decimal(0))
            # the note names every reason a run ends, a notice stating the balance among them (reader:
            # the demand letter's own date split a run the note's rule did not explain)
            assert "载明欠款之日亦为分段之日" in "".join(text.split()), kind


INSTALMENT = re.compile(r"(\d+) (\w+ \d{1,2}, \d{4}) \$([\d,]+\.\d\d) \$([\d,]+\.\d\d) \$([\d,]+\.\d\d)")
NOTICE_ROW = re.compile(r"(\w+ \d{1,2}, \d{4}) (\w+ \d{1,2}, \d{4}) (\d+) ([\d,–\s]+?) (?:\(interest\) )?"
                        r"\$([\d,]+\.\d\d) ([\d.]+)% \$([\d,]+\.\d\d)")


def _numbers(spec: str) -> list[int]:
    """The installments a row names: "5, 6" or "9–12"."""
    if "–" in spec:
        first, last = spec.split("–")
        return list(range(int(first), int(last) + 1))
    return [int(n) for n in spec.replace(",", " ").split()]


def test_every_figure_of_the_notice_of_intent_recomputes_from_the_rows_it_prints(db, tmp_path):
    """Review of US-00014's notice of intent: installment 5's default interest "$33.34" where its own
    product gave 33.35 (the total, $34.43, was right): a share per installment of one run's rounding,
    which no reader can recompute. The notice prints each installment's principal and interest and
    the default-interest rows; every figure recomputes from them, and they add up to the amount past
    due."""
    from tests.documents.test_acceleration_notices import in_state

    day = DAY - timedelta(days=30)
    case = in_state(db, "TX", accelerated_on=None)
    cf = load_case_file(db, case.ref)
    claim = accounts.claim_of(cf, day, licensed_cap=get_settings().licensed_cost_cap)
    joint = [a for a in claim.ledger.accruals if len(a.instalments) > 1]
    assert joint  # a run of several installments' principal: the case the review is about
    ctx = context(db, case.ref, "notice_of_intent_to_accelerate", day=day)
    for text in texts(ctx, tmp_path):
        flat = " ".join(text.split())
        head, rest = flat.split("Default interest, as your agreement provides", 1)
        principal_of, unpaid = {}, Decimal("0.00")
        for no, _due, principal, interest, amount in INSTALMENT.findall(head):
            assert _money(principal) + _money(interest) == _money(amount), no
            principal_of[int(no)] = _money(principal)
            unpaid += _money(amount)
        assert sorted(principal_of) == [r.no for r in claim.rows if r.due_date <= day and r.total > 0]
        default = _money(re.search(r"\$([\d,]+\.\d\d)", rest).group(1))  # type: ignore[union-attr]
        past_due = _money(rest.split("Amount past due ", 1)[1].split()[0].lstrip("$"))
        assert unpaid + default == past_due == ctx.cure_amount  # type: ignore[attr-defined]
        rows = NOTICE_ROW.findall(rest)
        assert len(rows) == len(claim.ledger.accruals)
        total = Decimal("0.00")
        for first, last, days, numbers, base, rate, amount in rows:
            assert int(days) == (_day(last) - _day(first)).days + 1, first
            exact = _money(base) * Decimal(rate) / 100 * int(days) / cf.contract.day_basis
            assert _money(amount) == exact.quantize(Decimal("0.01")), (first, base, amount)
            if all(n in principal_of for n in _numbers(numbers)):
                # no payment since (none was late): its base is the principal the table prints
                assert _money(base) == sum(principal_of[n] for n in _numbers(numbers)), (first, numbers)
            total += _money(amount)
        paid = total - default
        assert paid == Decimal("0.00") or squash(f"less {usd(paid)} paid") in squash(flat)
        assert default == claim.penalty + claim.compound == sum(r.penalty + r.compound for r in claim.rows)


CN_AGREEMENT_ROW = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日 (\d{4})年(\d{1,2})月(\d{1,2})日 (\d+) 未还本金 "
                              r"([\d,]+\.\d\d) ([\d.]+)% ([\d,]+\.\d\d)")


def test_the_default_penalty_of_a_breached_agreement_prints_in_rows_that_recompute(db, tmp_path):
    """Under a breached repayment agreement the default clause's penalty accrues in runs as the
    loan's default interest does (review: it was rounded once per notice period, across a payment
    after the acceleration that lowered its base, and no table showed it): the claim statement
    prints the runs, each base × rate × days ÷ day basis to the cent, the payment splitting one,
    and they add up to the default penalty of the claim (`dossier claim`'s line) in PDF and DOCX."""
    from service.cases import activity
    from service.cases.schemas import PaymentIn
    from tests.documents.legal_cases import litigation_case

    case = litigation_case(db)
    paid_on = date(2025, 10, 15)
    activity.add_payment(db, case, PaymentIn(value_date=paid_on, amount=Decimal("3000.00"),
                                             channel="bank_transfer", external_ref="P-AFTER"), actor="test")
    cf = load_case_file(db, case.ref)
    claim = accounts.claim_of(cf, DAY, licensed_cap=get_settings().licensed_cost_cap)
    assert claim.agreement is not None and claim.agreement.accelerated_on is not None
    runs = claim.agreement.accruals
    assert claim.agreement.accelerated_on < paid_on < DAY
    assert [a.start for a in runs][:1] == [claim.agreement.accelerated_on - timedelta(days=1)]
    assert any(a.start == paid_on for a in runs) and runs[0].base > runs[-1].base  # the payment reached principal
    penalty = claim.line("default_penalty")
    assert penalty is not None
    assert penalty.amount == claim.agreement.penalty == sum((a.amount for a in runs), Decimal(0))
    basis = cf.contract.day_basis
    pdf, docx = texts(context(db, case.ref, "claim_statement", day=DAY), tmp_path)
    for text in (pdf, docx):
        found = CN_AGREEMENT_ROW.findall(" ".join(text.split()))
        rows = [(date(int(y1), int(m1), int(d1)), date(int(y2), int(m2), int(d2)), int(days), _money(base),
                 Decimal(rate) / 100, _money(amount)) for y1, m1, d1, y2, m2, d2, days, base, rate, amount in found]
        assert [(r[0], r[1], r[3], r[5]) for r in rows] == [(a.start + timedelta(days=1), a.end, a.base, a.amount)
                                                          for a in runs]
        for first, last, days, base, rate, amount in rows:
            assert days == (last - first).days + 1, first
            assert amount == (base * rate * days / basis).quantize(Decimal("0.01")), (first, base)
        assert sum(r[5] for r in rows) == penalty.amount
        assert "载明欠款之日亦为分段之日" in "".join(text.split())
