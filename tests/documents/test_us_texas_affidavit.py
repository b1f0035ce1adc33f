"""The Texas demo litigation case (a loan, a payment plan, its breach and acceleration) as a lawyer
reads its affidavit of debt, claim statement and exhibit index together (review items 17-20): the
payments and the default the affidavit swears to are the ledger's and appear in its statement of
account; the default-interest rate has one source clause everywhere; the exhibits it cites are the
index's; and the affidavit has the Texas form."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import object_session

from service.cases import accounts
from service.cases.casefile import CaseFile, load_case_file
from service.cases.models import DebtCase
from service.core.settings import get_settings
from service.documents.contexts.common import DocMeta, DocumentContext
from service.documents.contexts.facts import CaseFacts
from service.documents.format import date_en, usd
from service.documents.registry import KINDS
from service.packets.build import planner_for
from tests.documents.conftest import squash
from tests.documents.legal_cases import texts
from tests.factories import DEMO_ANCHOR, demo_clock
from tests.seeded import seed_demo


@pytest.fixture
def texas(db) -> CaseFile:
    seed_demo(db, anchor=DEMO_ANCHOR, cases=14)
    case = db.scalars(select(DebtCase).where(DebtCase.us_state == "TX", DebtCase.stage == "PRE_LITIGATION")).one()
    cf = load_case_file(db, case.ref)
    assert cf.current_plan is not None and cf.breaches  # a breached payment plan
    return cf


def build(cf: CaseFile, kind: str) -> DocumentContext:
    facts = CaseFacts(cf, DEMO_ANCHOR, demo_clock(tz=cf.borrower.timezone))
    k = KINDS[kind]
    doc = DocMeta(kind=kind, profile="US", locale="en-US", audience=k.audience, as_of=DEMO_ANCHOR,
                  case_ref=cf.case.ref, state=cf.case.us_state)
    extra = {"plan": planner_for(get_settings())(object_session(cf.case))(cf)} if k.planned or k.plan_if_any else {}
    return k.context_class().build(facts, doc, **extra)


def first_short(cf: CaseFile, before: date) -> tuple[int, date, Decimal]:
    """The first instalment not paid in full when due, counted by hand: payments go to the oldest
    instalment first, so it is the first due date by which the payments received fall short of
    everything scheduled up to it."""
    scheduled = Decimal(0)
    for i in cf.instalments:
        if i.due_date > before:
            break
        due = i.principal + i.interest + i.fee
        scheduled += due
        paid = sum((p.amount for p in cf.payments if p.value_date <= i.due_date), Decimal(0))
        if paid < scheduled:
            return i.no, i.due_date, due
    raise AssertionError("no instalment was short")


def first_short_under_plan(cf: CaseFile, before: date) -> tuple[int, date, Decimal]:
    """The plan's first instalment not paid in full when due, by hand: payments after its
    acknowledgement fill its instalments oldest first."""
    plan = cf.current_plan
    pays = [p for p in cf.payments if plan.as_of_date < p.value_date <= before]
    scheduled = Decimal(0)
    for i in plan.instalments:
        scheduled += i.amount
        if i.due_date <= before and sum((p.amount for p in pays if p.value_date <= i.due_date), Decimal(0)) < scheduled:
            return i.no, i.due_date, i.amount
    raise AssertionError("no plan instalment was short")


def test_the_affidavit_swears_to_the_ledgers_payments_and_default_and_its_exhibit_shows_them(texas, tmp_path):
    """Review item 19: "made 7 payments" beside a statement of account showing the plan's 5, and a
    default instalment nowhere in the exhibit. The payments are split as the exhibit shows them
    (on the loan before the plan, under the plan), each pre-plan payment is listed with the
    instalment it went to. The default is the plan's first instalment short when due, by hand and
    as the claim computation's statement of account shows it (the plan governs once signed: the
    affidavit dated the default from the loan's missed instalment of January, months before the
    plan); the loan's own missed instalment is history, named as the loan's."""
    cf = texas
    plan = cf.current_plan
    ctx = build(cf, "affidavit_of_debt")
    c = ctx.claim  # type: ignore[attr-defined]
    pays = [p for p in cf.payments if p.value_date <= DEMO_ANCHOR]
    before = [p for p in pays if p.value_date <= plan.as_of_date]
    under = [p for p in pays if p.value_date > plan.as_of_date]
    assert before and under
    no, due, amount = first_short(cf, plan.as_of_date)
    pno, pdue, pamount = first_short_under_plan(cf, DEMO_ANCHOR)
    assert pdue > plan.signed_date > due
    assert (ctx.loan_missed_instalment, ctx.loan_missed_date, ctx.loan_missed_amount) == (no, due, amount)  # type: ignore[attr-defined]
    assert (ctx.default_instalment, ctx.default_date, ctx.default_amount) == (pno, pdue, pamount)  # type: ignore[attr-defined]
    claim = accounts.claim_of(cf, DEMO_ANCHOR, licensed_cap=get_settings().licensed_cost_cap)
    late = next(i for i in claim.agreement.instalments if i.days_late > 0)  # the statement of account's row
    assert (late.no, late.due_date, late.amount) == (pno, pdue, pamount)
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        assert squash(f"Before the payment plan, Defendant made {len(before)} payments on the loan totaling "
                      f"{usd(sum((p.amount for p in before), Decimal(0)))}") in flat
        assert squash(f"Under the plan Defendant made {len(under)} payments totaling "
                      f"{usd(sum((p.amount for p in under), Decimal(0)))}") in flat
        assert squash(f"Installment {no} of the loan ({usd(amount)}), due on {date_en(due)}, was the first not "
                      "paid in full when due.") in flat
        # the plan's default: more than the grace period late (plan section 4), not on its due date
        defaulted = pdue + timedelta(days=plan.grace_days + 1)
        assert squash(f"Plan installment {pno} ({usd(pamount)}), due {date_en(pdue)}, was not paid in full when "
                      f"due; more than {plan.grace_days} days late, it was a default under the payment plan on "
                      f"{date_en(defaulted)}.") in flat
        # both defaults, each named above (review US-00007: "The default began on" the plan's date
        # alone); the limitation paragraph that summed them up is gone (the petition pleads limitation)
        assert "Thedefaultbegan" not in flat
        assert squash(f"failing to pay installment {no}") not in flat
        assert f"made{len(pays)}payments" not in flat
        exhibit = flat[flat.index("AttachmentAtothisaffidavit:"):]
        for p in before:
            assert squash(f"{date_en(p.value_date)} {usd(p.amount)}") in exhibit
        assert squash(f"Installment {no} of the loan, due {date_en(due)}, was the first of the loan not paid in "
                      "full") in exhibit
        assert squash(f"Plan installment {pno}, due {date_en(pdue)}, was not paid in full when due; more than "
                      f"{plan.grace_days} days late, it was a default under the payment plan on "
                      f"{date_en(defaulted)}.") in exhibit
        assert c.paid_total == sum((p.amount for p in before), Decimal(0))


def test_the_default_interest_rate_is_cited_to_one_clause_in_every_court_document(texas, tmp_path):
    """Review item 17: the claim statement cited the default rate to "Agreement §7" in its terms
    and to "section 4 of the payment plan" for the ongoing interest, as did the affidavit. The
    plan's default clause applies the loan agreement's rate again, so the rate is the loan
    agreement's clause, named by the claim, everywhere; the plan's section 4 stays the basis of the
    acceleration, and of the default interest after it (its item 3: from the acceleration date, that
    day included; review US-00011: "Agreement §7(1)" alone runs from the day after each due date)."""
    cf = texas
    clause = cf.contract.clause_refs["default"]
    statement = build(cf, "claim_statement")
    c = statement.claim  # type: ignore[attr-defined]
    assert c.penalty_clause == "default"
    rate = f"{(c.continuing_rate * 100).normalize():f}%"
    for kind in ("claim_statement", "affidavit_of_debt"):
        for text in texts(build(cf, kind), tmp_path):
            flat = squash(text)
            assert "ofthepaymentplanagreement." not in flat and "section4ofthepaymentplan." not in flat, kind
            # the ongoing interest, until judgment (then the judgment's statutory rate)
            # the plan's default clause is the basis (its item that runs the rate from the acceleration
            # date, that day included), the rate the loan agreement's clause (review: "Agreement §7(1)"
            # alone runs "from the day after each due date")
            item = 4 if c.agreement.plan_type == "interest_suspension" else 3
            basis = (f"under payment plan section {c.agreement.default_clause}, item {item}, "
                     f"at the rate of Agreement {clause}")
            assert squash(f"until entry of judgment, {basis};") in flat \
                or squash(f"{basis}. From entry of judgment") in flat, kind
            if kind == "claim_statement":
                # issue 10 §1: the loan agreement's rate and rule until the plan; under the plan none
                # before the acceleration date (plan sections 3-4)
                assert squash(f"Default interest {rate} per year Agreement {clause}: before the payment plan,") in flat
                assert squash(f"Agreement {clause}; {rate} per year") in flat
                assert squash(f"Payment plan, section {c.agreement.default_clause}; {rate}") not in flat


def test_the_affidavit_cites_exhibits_as_the_index_numbers_them_and_the_index_claims_no_numbers_it_lacks(
        texas, tmp_path):
    """Review item 18: the affidavit cited "the statement of account attached as Exhibit A" while
    the exhibit index numbers exhibits 1-8; the standalone index said every page is Bates-numbered
    while every row shows "—". The affidavit's own statement of account is its Attachment A, and
    the payment history it summarizes is cited by the index's number; the index on its own says
    the numbers are assigned in the packet."""
    cf = texas
    index = build(cf, "evidence_index")
    [history] = [r for r in index.rows if r.key == "payment_history"]  # type: ignore[attr-defined]
    assert all(r.bates_first == "" for r in index.rows)  # type: ignore[attr-defined]
    for text in texts(index, tmp_path):
        flat = squash(text)
        assert squash(f"{history.number} {history.title}") in flat
        assert "Page and Bates numbers are assigned in the filing packet" in " ".join(text.split())
        assert "Exhibitsarepaginatedcontinuously" not in flat
    for text in texts(build(cf, "affidavit_of_debt"), tmp_path):
        flat = squash(text)
        assert "ExhibitA" not in flat
        assert squash("The statement of account in Attachment A to this affidavit is a true summary of the account "
                      f"records; the payments in it are those of the payment history, Exhibit {history.number} of "
                      "Plaintiff's Exhibit Index.") in flat
        assert "AttachmentAtothisaffidavit:Statementofaccount" in flat


def test_a_texas_affidavit_is_an_unsworn_declaration_with_the_statutory_jurat_and_no_limitation_law(
        texas, db, tmp_path):
    """Review item 20: the affidavit mixed a notary's jurat with an unsworn declaration that lacked
    the Tex. Civ. Prac. & Rem. Code 132.001(d) jurat, said "Case No.", and its limitation paragraph
    said twice what restarts the clock. In Texas it is the 132.001 declaration (name, date of birth,
    address, "Executed in ___ County, State of ___, on ___"), no notary; the caption says "Cause
    No."; since the 2026-12-06 review no limitation paragraph at all (the petition pleads the law,
    the custodian swears to the facts). Elsewhere (Illinois) the
    sworn form before a notary stays, without a declaration under penalty of perjury beside it."""
    for text in texts(build(texas, "affidavit_of_debt"), tmp_path):
        flat = squash(text)
        assert "CauseNo.____________" in flat and "CaseNo." not in flat
        # the court's own number, as the demo's legal staff recorded it (US-28), never blanks
        assert "INTHEJUSTICECOURT,HARRISCOUNTY,TEXAS,PRECINCT1,PLACE2" in flat and "____,PLACE" not in flat
        assert "UnsworndeclarationinlieuofaffidavitunderTex.Civ.Prac.&Rem.Code§132.001" in flat
        assert squash("My name is Margaret Ellis, my date of birth is ____________, and my address is") in flat
        assert squash("I declare under penalty of perjury that the foregoing is true and correct.") in flat
        assert squash("Executed in ____________ County, State of ____________, on the ______ day of") in flat
        assert "Notary" not in flat and "swornto" not in flat and "dulysworn" not in flat
        # no limitation paragraph: the petition pleads the law, the custodian swears to the facts
        assert "limitationperiod" not in flat and "signedwrittenacknowledgment" not in flat
        # the plan's last instalment had fallen due before the recorded acceleration: nothing was
        # accelerated, so none is sworn to (accounts.effective_acceleration)
        last_due = texas.current_plan.instalments[-1].due_date
        assert texas.case.accelerated_on is not None and last_due < texas.case.accelerated_on
        pdue = first_short_under_plan(texas, DEMO_ANCHOR)[1]
        defaulted = pdue + timedelta(days=texas.current_plan.grace_days + 1)
        assert squash(f"it was a default under the payment plan on {date_en(defaulted)}") in flat
        assert "balancewasaccelerated" not in flat
    from tests.documents.legal_cases import context, us_case
    illinois = us_case(db)
    for text in texts(context(db, illinois.ref, "affidavit_of_debt"), tmp_path):
        flat = squash(text)
        assert "CaseNo.____________" in flat and "CauseNo." not in flat
        assert "beingfirstdulysworn" in flat and "Subscribedandsworntobeforemeon" in flat and "NotaryPublic" in flat
        assert "penaltyofperjury" not in flat and "Executedin" not in flat


def test_the_lawyer_signs_with_the_texas_bar_number_address_phone_and_e_mail(texas, tmp_path):
    """Review item 20 (Tex. R. Civ. P. 57): the exhibit index was signed "Daniel Harper, Harper &
    Cole LLP" alone. The signature block states the lawyer's bar number for the case's state (the
    firm's data: a lawyer admitted in Illinois and Texas has one number for each), the address,
    telephone and e-mail."""
    firm = texas.law_firm
    assert firm is not None and firm.lead_lawyer_bars["TX"] != firm.lead_lawyer_bars["IL"]
    for text in texts(build(texas, "evidence_index"), tmp_path):
        flat = squash(text)
        block = flat[flat.index("SubmittedbyLakeside"):]
        assert squash(f"{firm.lead_lawyer} State Bar No. {firm.lead_lawyer_bars['TX']}") in block
        assert firm.lead_lawyer_bars["IL"] not in block
        contact = f"{firm.name_en}, {firm.address} Tel. {firm.lead_lawyer_phone} E-mail {firm.lead_lawyer_email}"
        assert squash(contact) in block
        assert "AttorneyforPlaintiff" in block
