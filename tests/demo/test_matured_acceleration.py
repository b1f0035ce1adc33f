"""A debt whose governing schedule had matured before the recorded acceleration was never
accelerated (accounts.effective_acceleration): the schedule is the signed plan's where one governs,
else the contract's. A lawyer reading the whole file of such a case found (demo anchored on
2026-12-05):

- CN-00029 (its plan's last instalment fell due on 2026-10-02, the acceleration recorded on
  2026-10-23): the element form counted 43 days overdue from the acceleration date where every
  other document counts 64 from the missed instalment, and the pleadings said the debt was
  accelerated on 2026-10-23;
- US-00002 (Texas; the plan's last instalment fell due on 2026-09-29, the acceleration recorded on
  2026-10-20): the affidavit put the end of the limitation period on the acceleration date's
  anniversary (2030-10-20), counted from the original loan's instalments, instead of the plan's
  missed instalment's (2030-09-29: Tex. Civ. Prac. & Rem. Code 16.004, four years from accrual).

Since demo plans keep the principal not yet due on the contract's dates (C09-1), a plan matures
before the acceleration only where the loan had run its term: US-00002 is such a case by design
(seed.MATURED_LOAN; now its plan's last instalment falls due on 2026-09-27, the acceleration is
recorded on 2026-10-18).

The documents now say the debt had fallen due in full (已全部到期), count overdue days from the
governing schedule's first missed due date, and agree with `dossier claim`, which notes that
the plan's default clause applied on its acceleration date but made no instalment due sooner (on
the contract, that the acceleration was ignored).
"""

from datetime import date
from io import StringIO

import pytest
from rich.console import Console
from sqlalchemy import select

from service.cases import accounts
from service.cases.casefile import CaseFile, load_case_file
from service.cases.claim_view import claim_view
from service.cases.enums import Stage
from service.cases.limitation import add_years
from service.cases.models import DebtCase
from service.cases.rules import load_ruleset
from service.cli_views import print_claim
from service.core.errors import RuleViolation
from service.core.settings import get_settings
from service.documents import service as documents_service
from service.documents.format import date_cn, date_en
from service.documents.models import GeneratedDocument
from service.packets.build import make_plan
from service.packets.plan import NOTICE_KINDS
from tests.documents.conftest import at, squash
from tests.documents.legal_cases import context, texts
from tests.seeded import seed_demo

ANCHOR = date(2026, 12, 5)
LITIGATION = (Stage.PRE_LITIGATION, Stage.FILED, Stage.JUDGMENT, Stage.ENFORCEMENT)
CN_COURT = ("civil_complaint", "complaint_elements", "claim_statement", "lawyer_letter")


@pytest.fixture
def demo(db, settings) -> dict[str, CaseFile]:
    seed_demo(db, anchor=ANCHOR, cases=40, settings=settings)
    refs = db.scalars(select(DebtCase.ref).where(DebtCase.stage.in_(LITIGATION)).order_by(DebtCase.ref))
    return {ref: load_case_file(db, ref) for ref in refs}


def _claim(cf: CaseFile):  # type: ignore[no-untyped-def]
    return accounts.claim_of(cf, ANCHOR, licensed_cap=get_settings().licensed_cost_cap)


def _printed(cf: CaseFile) -> str:
    out = StringIO()
    print_claim(Console(file=out, width=200), claim_view(cf, _claim(cf)))
    return out.getvalue()


def _first_missed(cf: CaseFile) -> tuple[date, int]:
    """The governing schedule's first instalment unpaid past its due date, and its days late, as
    the claim computation (`dossier claim`, the claim statement's schedule) gives them."""
    claim = _claim(cf)
    if claim.agreement is not None:
        late = next(i for i in claim.agreement.instalments if i.days_late > 0)
        return late.due_date, late.days_late
    row = next(r for r in claim.rows if r.days_past_due > 0)
    return row.due_date, row.days_past_due


def test_cn_00029_states_the_plan_matured_and_counts_64_days_everywhere(demo, db, tmp_path):
    cf = demo["CN-00029"]
    assert cf.current_plan is not None and cf.current_plan.instalments[-1].due_date == date(2026, 10, 2)
    assert cf.case.accelerated_on == date(2026, 10, 23)  # as the demo records it
    elements = context(db, cf.case.ref, "complaint_elements", day=ANCHOR)
    assert (elements.overdue_from, elements.overdue_days) == (date(2026, 10, 2), 64)  # type: ignore[attr-defined]
    found = accounts.effective_acceleration(cf, ANCHOR)
    assert (found.on, found.recorded, found.matured_on) == (None, date(2026, 10, 23), date(2026, 10, 2))
    claim = _claim(cf)
    assert claim.matured_on == date(2026, 10, 2) and claim.claimed_total > 0
    assert _first_missed(cf) == (date(2026, 10, 2), 64)
    assert "every instalment had already fallen due, the last on 2026-10-02" in " ".join(_printed(cf).split())
    for kind in CN_COURT:
        for text in texts(context(db, cf.case.ref, kind, day=ANCHOR), tmp_path):
            flat = squash(text)
            assert "2026年10月23日提前到期" not in flat and "提前到期日）起" not in flat, kind
            assert "《还款协议》（编号CN-00029-P1）约定的最后一期款项已于2026年10月2日到期" in flat, kind
            assert "协议项下全部未还款项已全部到期，无需提前到期" in flat, kind
            if kind == "complaint_elements":
                assert ("自2026年10月2日（《还款协议》项下首次未按约定足额还款的应还日）次日起，"
                        "至2026年12月5日已逾期64日") in flat
                assert "☐提前还款（加速到期）☐解除合同☑否" in flat
            if kind == "claim_statement":
                assert "纠正期届满后的罚息" in flat and "提前到期后的罚息" not in flat


def test_us_00002_petition_counts_limitation_from_the_plans_missed_instalment(demo, db, tmp_path):
    cf = demo["US-00002"]
    assert cf.case.us_state == "TX" and cf.current_plan is not None
    # the loan had run its term before the plan (seed.MATURED_LOAN): the plan spread the whole balance
    assert not [i for i in cf.instalments if i.due_date > cf.current_plan.as_of_date]
    assert cf.current_plan.instalments[-1].due_date == date(2026, 9, 27)
    assert cf.case.accelerated_on == date(2026, 10, 18)
    assert accounts.limitation_of(cf).expires_on == date(2030, 9, 27)  # four years from the missed instalment
    affidavit = context(db, cf.case.ref, "affidavit_of_debt", day=ANCHOR)
    for text in texts(affidavit, tmp_path):
        flat = squash(text)
        # the affidavit swears to facts, not to the limitation period (the petition pleads it)
        assert "limitationperiod" not in flat and "2030" not in flat
        assert "balancewasaccelerated" not in flat
        # the plan's own "acceleration date" (its section 4, item 2), and that it advanced nothing
        assert squash("under section 4, item 2 of payment plan US-00002-P1, the plan's unpaid balance was due at once "
                      "on October 18, 2026 (the plan's \"acceleration date\"); every installment of the plan had "
                      "already fallen due, the last on September 27, 2026, so none fell due earlier than the plan "
                      "scheduled it") in flat
        assert squash("The loan's maturity was not accelerated") in flat
    petition = context(db, cf.case.ref, "debt_claim_petition", day=ANCHOR)  # Tex. R. Civ. P. 508.2
    assert (petition.final_due_date, petition.limitation_expires) == (  # type: ignore[attr-defined]
        date(2026, 9, 27), date(2030, 9, 27))
    flat = squash(texts(petition, tmp_path)[0])
    assert squash("Under payment plan agreement no. US-00002-P1 final payment was due on September 27, 2026, the "
                  "date of the plan's last installment") in flat
    assert "Repaymentofthedebtwasnotaccelerated" not in flat
    assert squash("from the day it fell due under payment plan agreement no. US-00002-P1, which Defendant signed "
                  "as a written acknowledgment of the debt and a promise to pay it (Tex. Civ. Prac. & Rem. Code "
                  "§ 16.065). For the earliest unpaid part, plan installment") in flat
    assert squash("due September 27, 2026, the period ends on September 27, 2030.") in flat
    assert "October18,2030" not in flat
    for text in texts(context(db, cf.case.ref, "claim_statement", day=ANCHOR), tmp_path):
        flat = squash(text)
        assert "becamedueonOctober18,2026" not in flat
        assert squash("Acceleration date under the payment plan October 18, 2026") in flat
        assert squash("every installment of the plan had already fallen due, the last on September 27, 2026") in flat


def test_for_every_matured_litigation_case_the_documents_agree_with_the_claim(demo, db, tmp_path):
    """Table test over the demo's litigation cases whose governing schedule matured before the
    recorded acceleration: the element form's overdue start and days are the claim's first missed
    instalment; the claim's total is the one every court document states; the limitation is the
    one the petition pleads, the state's years (Texas: four) from the last unpaid due date of the
    governing plan when nothing restarted it."""
    matured = {ref: cf for ref, cf in demo.items() if _claim(cf).matured_on is not None}
    assert {"CN-00029", "US-00002"} <= set(matured), sorted(matured)
    for ref, cf in matured.items():
        claim = _claim(cf)
        start, days = _first_missed(cf)
        assert accounts.effective_acceleration(cf, ANCHOR).on is None, ref
        printed, last = " ".join(_printed(cf).split()), claim.matured_on.isoformat()
        assert f"had matured on {last}" in printed or f"fallen due, the last on {last}" in printed, ref
        if cf.case.profile == "CN":
            elements = context(db, ref, "complaint_elements", day=ANCHOR)
            assert (elements.overdue_from, elements.overdue_days) == (start, days), ref  # type: ignore[attr-defined]
            assert elements.claim.claimed_total == claim.claimed_total, ref  # type: ignore[attr-defined]
            text = squash(texts(elements, tmp_path)[0])
            basis = "《还款协议》项下首次" if elements.timeline.overdue_basis == "plan_first_missed_due" else "首次"  # type: ignore[attr-defined]
            stated = f"自{date_cn(start)}（{basis}未按约定足额还款的应还日）次日起，至{date_cn(ANCHOR)}已逾期{days}日"
            assert stated in text, ref
            for kind in ("civil_complaint", "claim_statement"):
                flat = squash(texts(context(db, ref, kind, day=ANCHOR), tmp_path)[0])
                assert f"已于{date_cn(claim.matured_on)}到期" in flat, (ref, kind)
                assert f"{date_cn(cf.case.accelerated_on)}提前到期" not in flat, (ref, kind)
        else:
            affidavit = context(db, ref, "affidavit_of_debt", day=ANCHOR)
            limitation = accounts.limitation_of(cf)
            petition = context(db, ref, "debt_claim_petition", day=ANCHOR)
            assert petition.limitation_expires == limitation.expires_on, ref  # type: ignore[attr-defined]
            assert affidavit.claim.claimed_total == claim.claimed_total, ref  # type: ignore[attr-defined]
            if limitation.last_interruption is None and claim.agreement is not None:
                years = accounts.us_limitation_of(cf, load_ruleset("US")).law.years
                last_unpaid = max(i.due_date for i in claim.agreement.instalments if i.paid < i.amount)
                assert limitation.expires_on == add_years(last_unpaid, years), ref
            flat = squash(texts(petition, tmp_path)[0])  # the petition pleads it, the affidavit does not
            earliest = accounts.us_limitation_of(cf, load_ruleset("US")).earliest
            stated = f"the period ends on {date_en(earliest.expires_on)}"
            if earliest.expires_on != limitation.expires_on:
                stated += f"; for the last, it ends on {date_en(limitation.expires_on)}"
            assert squash(stated) in flat, ref
            assert "limitationperiod" not in squash(texts(affidavit, tmp_path)[0]), ref


def test_the_breach_notices_of_a_matured_plan_say_it_fell_due_in_full(demo, db, tmp_path):
    """The notice of default of a plan whose last instalment was the one missed: nothing remains to
    accelerate; the notice says the whole balance has been due since that instalment, and names the
    day after the cure period as the day the default clause applies, not an acceleration date."""
    cn = {"zh-CN": ("协议约定的最后一期已于2026年10月2日到期，协议项下全部款项已全部到期",
                    "违约条款适用日2026年10月23日"),
          "en-US": ("the whole balance has been due since October 2, 2026", "Default clause applies from")}
    for locale, (said, row) in cn.items():
        for text in texts(context(db, "CN-00029", "breach_notice", locale=locale, day=ANCHOR), tmp_path):
            flat = squash(text)
            assert squash(said) in flat and squash(row) in flat, locale
            assert "提前到期日提前到期" not in flat and "fallsdueonthedatebelow" not in flat, locale
    for text in texts(context(db, "US-00002", "breach_notice", day=ANCHOR), tmp_path):
        flat = squash(text)
        assert squash("Section 4 of the agreement applies from the date below, its \"acceleration date\" (section 4, "
                      "item 2); the whole balance has been due since September 27, 2026") in flat
        assert "Balancedueon" not in flat and "fallsdueonthedatebelow" not in flat


def test_us_00002_sends_no_acceleration_notice_for_its_matured_plan(demo, db, settings):
    """US-21: the demo generated a notice of intent (2026-10-05) and a notice of acceleration
    (2026-10-20, "has accelerated") for a plan whose last instalment had fallen due on 2026-09-29
    (now, by design, 2026-09-27).
    Now neither is logged or generated, both are refused by name on those days, and the packet's
    US-19 exhibit stays out (the pleadings claim no acceleration) without a missing notice."""
    kinds = ("notice_of_intent_to_accelerate", "notice_of_acceleration")
    assert set(kinds) <= set(NOTICE_KINDS)
    cf = demo["US-00002"]
    assert not [c for c in cf.communications if c.template_kind in kinds]
    assert not db.scalars(select(GeneratedDocument).where(GeneratedDocument.case_id == cf.case.id,
                                                          GeneratedDocument.kind.in_(kinds))).all()
    [breach] = cf.breaches
    for kind, day, stage in ((kinds[0], breach.detected_on, Stage.PLAN_BREACHED),
                             (kinds[1], cf.case.accelerated_on, Stage.PRE_LITIGATION)):
        cf.case.stage = stage
        db.flush()
        with pytest.raises(RuleViolation) as refused:
            documents_service.prepare(db, case_ref=cf.case.ref, kind=kind, fmt="pdf", locale=None, as_of=day,
                                      now=at(day, 10, tz=cf.borrower.timezone))
        [found] = [v for v in refused.value.violations if v.rule == "US-21"]
        assert found.message.startswith("the payment plan US-00002-P1 had matured on 2026-09-27"), found
        assert "nothing left to accelerate" in found.message and found.localized["zh-CN"], found
    cf.case.stage = Stage.PRE_LITIGATION
    db.flush()
    plan = make_plan(db, settings, load_case_file(db, cf.case.ref))
    assert "acceleration_notices" not in [e.key for e in plan.exhibits]
    assert not [m for m in plan.missing if "accelerat" in m], plan.missing
