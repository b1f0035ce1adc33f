"""A demo case's history up to the anchor date, consistent with the guards of its stage."""

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from random import Random
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from service.cases import (
    acceleration,
    acceleration_clause,
    accounts,
    activity,
    compliance,
    designation,
    plans,
    proposals,
)
from service.cases.casefile import CaseFile, load_case_file, staff_bookings
from service.cases.enums import CreditorRole, Direction, PartyKind, PlanStatus, Stage
from service.cases.lender_law import cause_of_action
from service.cases.models import (
    AccountReview,
    BreachEvent,
    Communication,
    DebtCase,
    LawFirm,
    Payment,
    PlanInstalment,
    RepaymentPlan,
    Visit,
    VisitStaff,
)
from service.cases.rules import load_ruleset
from service.cases.schedule import add_months, split_evenly
from service.cases.schemas import TransitionIn
from service.core import trail
from service.core.security import Principal
from service.core.settings import get_settings
from service.demo.catalogue import sample_day
from service.demo.data import COURT_DESIGNATIONS, SELF_EMPLOYED, VISIT_REASONS, VISIT_STAFF, VISIT_TEAMS
from service.demo.delivery import VISIT_NOTICE_AHEAD, delivery_moment, tracking_number

ACTOR = "demo-seed"
# Specific, yet the notice that states it may be seen by others: no debt, no amount (CN-09).
# Worded without a person (no 您, no "you"): the notice addresses the borrower, while the visit
# record and the staff brief, which print the same purpose, are written about them.
VISIT_PURPOSE = "当面核实联系方式和居住情况，并协商合同履行安排"
VISIT_PURPOSE_EN = ("to confirm contact details and living situation in person, and to discuss how the "
                    "contract is to be performed")
# A case at a litigation stage missed the first plan instalment due in the last 85 days: its cure
# period is long over.
MISSED_WITHIN = 85


# Where an agreement signed at the borrower's home says it was signed, as agreements state a place:
# the district (上海市徐汇区, 广东省深圳市南山区), a US address's city and state (Brooklyn, NY).
_CN_DISTRICT = re.compile(r"^(?:[^省]{2,8}省)?[^市省]{2,8}市(?:[^市区县]{1,8}?(?:新区|区|县|市))?")
_US_CITY = re.compile(r",\s*([^,]+),\s*([A-Z]{2})\s+\d{5}(?:-\d{4})?\s*$")


def signing_place(address: str) -> str:
    """The place a plan signed at the visit states (its 签订地点, "Place"): the district of the
    borrower's address, or its city and state, never the address cut at a number of characters
    ("…华府名苑18", "31 Clinton St, Brook"); the whole address where it has neither."""
    if us := _US_CITY.search(address):
        return f"{us.group(1).strip()}, {us.group(2)}"
    cn = _CN_DISTRICT.match(address.strip())
    return cn.group(0) if cn else address
S = Stage
ORDER = list(Stage)


def _at(stage: Stage) -> int:
    return ORDER.index(stage)


def at_local(day: date, hour: int, minute: int, tz: str) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(tz)).astimezone(UTC)


# A letter the history sends, generated as the document itself when the seed has a store
# (documents.send_letter): (case, kind, the stage the case was at then, the day it went out, at
# 10:00 the borrower's time, and was delivered). Without one the history logs the letter instead.
LetterSender = Callable[[DebtCase, str, Stage, date], None]


class _Story:
    def __init__(self, session: Session, rng: Random, case: DebtCase, anchor: date, matured: bool = False,
                 letters: LetterSender | None = None) -> None:
        self.session, self.rng, self.case, self.anchor = session, rng, case, anchor
        self.matured = matured  # the loan had run its term; its plan's last instalment is the one missed
        self.letters = letters
        self.cf: CaseFile = load_case_file(session, case.ref)
        self.tz = self.cf.borrower.timezone
        self.phone = self.cf.borrower.phones[0]["number"]
        self.visit: Visit | None = None  # the case's visit, once recorded

    def pay(self, day: date, amount: Decimal, channel: str = "bank_transfer") -> None:
        if amount <= 0 or day > self.anchor:
            return
        p = Payment(contract_id=self.cf.contract.id, value_date=day, amount=amount, channel=channel,
                    external_ref=f"PAY{self.rng.randrange(10**12):012d}", received_at=at_local(day, 15, 0, self.tz))
        self.session.add(p)
        self.session.flush()
        trail.record(self.session, actor=ACTOR, action="payment.recorded", object_type="payment", object_id=p.id,
                     case_id=self.case.id, at=p.received_at, data={"amount": str(amount), "value_date": str(day)})

    def contact(self, day: date, hour: int, channel: str, outcome: str, **extra: object) -> None:
        if day <= self.anchor:
            self.record(at_local(day, hour, self.rng.randrange(0, 59), self.tz), channel, outcome, **extra)

    def record(self, sent: datetime, channel: str, outcome: str, **extra: object) -> None:
        to = extra.pop("to_address", self.phone if channel in ("sms", "call") else self.cf.borrower.habitual_address)
        if channel == "call" and outcome in ("answered", "promise") and self.case.profile == "US":
            # a US call centre opens every call with the recording disclosure and records the borrower's
            # consent: what a state requiring every party's consent asks of a recording filed (US-26)
            extra.setdefault("recording_consent", True)
        delivered = None
        if outcome == "delivered":  # a text or an e-mail as it was sent; a letter by post days later (delivery.py)
            delivered = delivery_moment(case_ref=self.case.ref, profile=self.case.profile,
                                        kind=str(extra.get("template_kind", "")), channel=channel, sent=sent,
                                        tz=self.tz, anchor=self.anchor)
            # not arrived by the anchor, or arriving later than it went (a letter): recorded as sent
            outcome = "delivered" if delivered == sent else "sent"
        if channel == "letter":  # mailed under a tracking number of its carrier (delivery.py)
            extra["carrier"], extra["tracking_no"] = tracking_number(
                case_ref=self.case.ref, profile=self.case.profile, kind=str(extra.get("template_kind", "")), sent=sent)
        comm = Communication(case_id=self.case.id, channel=channel, direction=Direction.OUT,
                             party_kind=PartyKind.BORROWER, to_address=str(to), sent_at=sent,
                             local_time=sent.astimezone(ZoneInfo(self.tz)).isoformat(),
                             outcome=outcome, delivered_at=delivered if outcome == "delivered" else None, actor=ACTOR,
                             **extra)
        self.session.add(comm)
        self.session.flush()
        trail.record(self.session, actor=ACTOR, action="communication.recorded", object_type="communication",
                     object_id=comm.id, case_id=self.case.id, at=sent, data={"channel": channel, "outcome": outcome})
        if delivered is not None and outcome == "sent":  # its delivery, audited on the day it arrived
            activity.record_delivery(self.session, self.case, comm.id, actor=ACTOR, at=delivered, audit_at=delivered)

    def letter(self, kind: str, stage: Stage, day: date, **extra: object) -> None:
        """A letter that went out on `day` at 10:00 and was delivered: with a store the document
        itself, generated with the case at `stage` (its own communication and delivery audited as
        any generated notice's are); without one, logged as a letter delivered."""
        if self.letters is None:
            self.record(at_local(day, 10, 0, self.tz), "letter", "delivered", template_kind=kind, **extra)
            return
        self.session.flush()
        self.letters(self.case, kind, stage, day)
        self.refresh()

    def refresh(self) -> None:
        self.cf = load_case_file(self.session, self.case.ref)

    def overdue_on(self, day: date) -> Decimal:
        self.refresh()
        return accounts.ledger_of(self.cf, day).total_overdue


def build(session: Session, rng: Random, case: DebtCase, stage: Stage, anchor: date,
          unpaid_from: date | None, firms: dict[str, LawFirm], *, matured: bool = False,
          on_contract: bool = False, letters: LetterSender | None = None) -> None:
    """`matured`: the loan's last instalment is the first unpaid (seed.MATURED_LOAN), and the plan
    agreed for its balance runs to the instalment the borrower misses (a litigation stage).
    `on_contract` (a litigation stage): no plan is ever agreed; the lender accelerates the loan
    under the contract's own acceleration clause (_accelerated_on_contract). `letters`: the seed's
    store sends the letters the history sends (the demand, the notices before acceleration) as the
    documents themselves, on their days (LetterSender)."""
    story = _Story(session, rng, case, anchor, matured, letters)
    for inst in story.cf.instalments:  # everything before the first missed instalment was paid on time
        if unpaid_from is None or inst.due_date < unpaid_from:
            story.pay(inst.due_date, inst.principal + inst.interest + inst.fee)
    if stage is S.CLOSED_PAID:
        _closed(story)
    elif unpaid_from is not None and stage is not S.CURRENT:
        _delinquency(story, stage, unpaid_from, firms, on_contract=on_contract)
    activity.reallocate(session, case.ref)


def _closed(story: _Story) -> None:
    last = story.cf.instalments[-1].due_date
    story.contact(last - timedelta(days=3), 10, "sms", "delivered", template_kind="plan_reminder")


def _delinquency(story: _Story, stage: Stage, due: date, firms: dict[str, LawFirm], *,
                 on_contract: bool = False) -> None:
    rng, us = story.rng, story.case.profile == "US"
    story.contact(due + timedelta(days=1), 10, "sms", "delivered", template_kind="overdue_reminder")
    # within 5 days of the first contact (§ 1006.34(a))
    if story.cf.lender.creditor_role == CreditorRole.DEBT_COLLECTOR:
        story.contact(due + timedelta(days=2), 10, "letter", "delivered", template_kind="validation_notice")
    story.contact(due + timedelta(days=3), 11, "email" if us else "sms", "delivered", template_kind="overdue_reminder",
                  **({"to_address": story.cf.borrower.email} if us else {}))
    missed = next(i for i in story.cf.instalments if i.due_date == due)
    if rng.random() < 0.5:  # a part payment that leaves the instalment overdue
        share = Decimal(rng.randint(20, 50)) / 100
        story.pay(due + timedelta(days=rng.randint(3, 9)), ((missed.principal + missed.interest) * share).quantize(
            Decimal("0.01")))
    if _at(stage) < _at(S.PHONE):
        return
    for k, day in enumerate((8, 11, 14, 18)):
        story.contact(due + timedelta(days=day), 9 + 3 * k, "call", "no_answer", summary="无人接听" if not us else "")
    first_call = due + timedelta(days=8)
    if not us and story.cf.lender.credit_system and story.letters is not None and first_call <= story.anchor:
        # CN-31: a lender that reports to the credit database sends the pre-notice (征信业管理条例
        # art. 15) early in phone collection, on the day of the first call, before any letter
        # that mentions the report (the demand letter)
        story.letter("credit_report_prenotice", S.PHONE, first_call)
    if stage in (S.PROMISE, S.CURED):
        _promise(story, stage, due)
        return
    if _at(stage) < _at(S.VISIT_PLANNED) or stage in (S.PROMISE, S.CURED):
        return
    if not us:
        _visits(story, stage, due)
    if on_contract:
        _accelerated_on_contract(story, due, firms)
        return
    if _at(stage) >= _at(S.NEGOTIATING):
        story.contact(due + timedelta(days=48), 15, "call", "answered",
                      summary="Discussed a payment plan" if us else "协商分期还款方案")
    if stage is S.NEGOTIATING:
        _plan(story, stage, due, firms, signed=False)  # drafted, awaiting the borrower's signature
    elif _at(stage) >= _at(S.PLAN_ACTIVE):
        _plan(story, stage, due, firms)


def _promise(story: _Story, stage: Stage, due: date) -> None:
    day = due + timedelta(days=20)
    promise_day = min(day + timedelta(days=5), story.anchor + timedelta(days=5))
    us = story.case.profile == "US"  # a US case's records are in its borrower's language, English
    story.contact(min(day, story.anchor), 16, "call", "promise",
                  summary="Promised to pay the overdue amount shortly" if us else "承诺近期还清逾期款项",
                  promise_date=promise_day, promise_amount=story.overdue_on(min(day, story.anchor)))
    if stage is S.CURED:
        pay_day = min(due + timedelta(days=22), story.anchor)
        story.pay(pay_day, story.overdue_on(pay_day))


def _lender_term(story: _Story) -> str:
    """The lender as a party as its contract and pleadings call it: 贷款人, or 出借人 in private lending."""
    cause = cause_of_action(load_ruleset(story.case.profile), story.cf.lender.licence_type)
    return cause.lender_term if cause is not None else "贷款人"


def _penalty_term(story: _Story) -> str:
    """Interest on overdue principal as the lender's 案由 words it: 罚息, or 逾期利息 in private lending."""
    cause = cause_of_action(load_ruleset(story.case.profile), story.cf.lender.licence_type)
    return cause.penalty_term if cause is not None else "罚息"


def _staff(story: _Story, visit: Visit) -> None:
    picks = story.rng.sample(VISIT_STAFF, 2)
    lender = story.cf.lender
    visit.staff = [VisitStaff(name=n, badge_no=f"{lender.code}-{b}", organisation=lender.name) for n, b in picks]


# The days after the anchor a visit not yet made may be booked on, in the order tried: its notice,
# mailed VISIT_NOTICE_AHEAD before it, has arrived by the anchor (delivery.py: 2–3 days) on the first
# four; a visit only planned may also go later.
NOTIFIED_DAYS = (3, 4, 2, 1)
PLANNED_DAYS = (*NOTIFIED_DAYS, 5, 6, 7, 8, 9, 10)


def _book(story: _Story, visit: Visit, notified: bool) -> None:
    """A visit not yet made gets the first team of VISIT_TEAMS (from the one its drawn staff
    suggest, so the demo's cases keep varied teams) none of whose members is on another visit
    at the time (CN-09, compliance.visit_staff_clashes), on the first of its days with one free:
    deterministic, as the cases are seeded in turn."""
    rules, lender, tz = load_ruleset(story.case.profile), story.cf.lender, story.tz
    first = next(n for n, team in enumerate(VISIT_TEAMS) if visit.staff[0].name in {m for m, _ in team})
    for offset in NOTIFIED_DAYS if notified else PLANNED_DAYS:
        day = story.anchor + timedelta(days=offset)
        visit.window_start, visit.window_end = at_local(day, 14, 0, tz), at_local(day, 16, 0, tz)
        names = [m for team in VISIT_TEAMS for m, _ in team]
        booked = staff_bookings(story.session, names, visit.window_start, visit.window_end)
        for n in range(len(VISIT_TEAMS)):
            team = VISIT_TEAMS[(first + n) % len(VISIT_TEAMS)]
            staff = [VisitStaff(name=m, badge_no=f"{lender.code}-{b}", organisation=lender.name) for m, b in team]
            if not compliance.visit_staff_clashes(rules, visit, staff, booked):
                visit.staff = staff
                return
    raise AssertionError(f"{story.case.ref}: no visit team free on any day tried: add teams to VISIT_TEAMS")


def _statement(story: _Story, due: date, reason: str) -> str:
    """What the borrower says at the visit, from the borrower's recorded facts: the work the
    complaint states (工作单位) and the first missed due date, so that the record neither contradicts
    the court documents nor repeats another borrower's words."""
    b = story.cf.borrower
    since = f"{due.year}年{due.month}月"
    if b.employer == SELF_EMPLOYED:
        work = f"本人{SELF_EMPLOYED}，生意周转困难"
    elif b.employer:
        work = f"本人在{b.employer}{'做' + b.occupation if b.occupation else '上班'}"
    else:
        work = "本人目前没有固定工作"
    return f"{work}，{reason}，{since}那一期起没能按时足额还款，希望分期偿还"


def _visits(story: _Story, stage: Stage, due: date) -> None:
    anchor, tz = story.anchor, story.tz
    done = _at(stage) >= _at(S.VISIT_DONE)
    day = due + timedelta(days=40) if done else anchor + timedelta(days=3)
    visit = Visit(case_id=story.case.id, purpose=VISIT_PURPOSE, purpose_en=VISIT_PURPOSE_EN,
                  place_kind="home", address=story.cf.borrower.habitual_address,
                  window_start=at_local(day, 14, 0, tz), window_end=at_local(day, 16, 0, tz),
                  organisation=story.cf.lender.name)
    _staff(story, visit)
    if not done:  # a visit still to be made: a team free at the time (CN-09), which may move its day
        _book(story, visit, notified=_at(stage) >= _at(S.VISIT_NOTIFIED))
        day = visit.window_start.astimezone(ZoneInfo(tz)).date()
    if _at(stage) >= _at(S.VISIT_NOTIFIED):
        # mailed a week ahead, it arrives days before the visit (delivery.py); the notice itself: documents.py
        visit.notice_sent_at = at_local(day - VISIT_NOTICE_AHEAD, 10, 0, tz)
    if done:
        consent = story.rng.random() < 0.7
        visit.started_at, visit.ended_at = at_local(day, 14, 20, tz), at_local(day, 15, 5, tz)
        visit.consent_to_enter = consent
        # the visit notice promises to talk with the borrower alone (CN-09 privacy): a spouse at home
        # is recorded as not present at the talk (the draw stays, so the random stream does too)
        visit.persons_present = "借款人本人" + ("（其配偶在家，未在沟通现场）" if story.rng.random() < 0.4 else "")
        visit.documents_shown = ["借款合同", "还款计划表", "逾期明细"]
        term = _penalty_term(story)  # what the lender's pleadings call it too (CN-30)
        credit = "可能影响个人征信记录、" if story.cf.lender.credit_system else ""
        visit.explanations = f"告知逾期将持续产生{term}、{credit}{_lender_term(story)}可依法提起民事诉讼"
        visit.debtor_statement = _statement(story, due, story.rng.choice(VISIT_REASONS))
        visit.financial_situation = ("月收入约4000至6000元，另有信用卡欠款" if story.cf.borrower.employer
                                     else "目前无固定收入，另有信用卡欠款")
        visit.proposal = f"提出分12期偿还，请求减免部分{term}"
        visit.outcome = "negotiating" if consent else "talked_at_door"
        visit.signature = "signed" if consent else "refused"
        visit.recording_refs = [f"REC-{story.case.ref}-{day:%Y%m%d}-01"]
    story.session.add(visit)
    story.session.flush()
    story.visit = visit
    # dated when it was recorded: a visit made once it ended, else an hour before its notice went out,
    # else (planned, not yet announced) on the anchor day
    at = visit.ended_at or (visit.notice_sent_at - timedelta(hours=1) if visit.notice_sent_at is not None
                            else at_local(anchor, 9, 0, tz))
    trail.record(story.session, actor=ACTOR, action="visit.recorded", object_type="visit", object_id=visit.id,
                 case_id=story.case.id, at=at, data={"staff": 2, "outcome": visit.outcome})


def _plan_start(story: _Story, stage: Stage, due: date) -> date:
    rng, anchor = story.rng, story.anchor
    if stage is S.PLAN_ACTIVE:
        base = anchor + timedelta(days=rng.randint(3, 20))
    elif stage is S.PLAN_BREACHED:
        base = anchor - timedelta(days=rng.randint(8, 12))
    else:
        base = anchor - timedelta(days=rng.randint(60, 80))
    for months in range(6, 0, -1):  # the earliest start that still follows the visit
        start = add_months(base, -months)
        if start >= due + timedelta(days=50):
            return start
    return due + timedelta(days=50)


def _plan(story: _Story, stage: Stage, due: date, firms: dict[str, LawFirm], *, signed: bool = True) -> None:
    # a draft awaiting signature is drafted as of the day (PLAN-04: an older draft would be stale)
    start = _plan_start(story, stage, due) if signed else story.anchor
    story.refresh()
    ledger = accounts.ledger_of(story.cf, start)
    drawn = story.rng.choice(["instalments", "partial_waiver", "interest_suspension", "extension"])
    # The plan being negotiated is a plain instalment plan, so the demo always has one whose agreement
    # can be generated (the drawn kind still varies the signed plans).
    kind = "instalments" if stage is S.NEGOTIATING else drawn
    waived = ledger.penalty + ledger.compound if kind == "partial_waiver" else Decimal("0.00")
    if kind == "partial_waiver" and waived <= 0:  # nothing to waive (create_plan refuses a 0.00 waiver)
        kind = "instalments"
    count = story.rng.choice([6, 9, 12])
    if story.matured and _at(stage) >= _at(S.PRE_LITIGATION):  # (drawn all the same) the plan's last
        # instalment is the first one of the window _first_missed takes the missed instalment from
        count = next(k for k in range(1, 24) if add_months(start, k) >= story.anchor - timedelta(days=MISSED_WITHIN))
    # A plan reschedules only what is overdue (C09-1): the arrears, less the waiver, in `count` monthly
    # parts from a month after the signing; the principal the contract makes due later stays on the
    # contract's own dates, as a visit kit's proposals keep it. create_plan then records it as owed,
    # not due, and the contract interest to come as waived on condition (revived on breach, V-2).
    later = proposals.not_yet_due(ledger, start)
    arrears = ledger.total_outstanding - sum((a for _, a in later), Decimal("0.00")) - waived
    parts: dict[date, Decimal] = {}
    for day, amount in [*zip((add_months(start, k + 1) for k in range(count)), split_evenly(arrears, count),
                             strict=True), *later]:
        parts[day] = parts.get(day, Decimal("0.00")) + amount
    dues = sorted(parts)
    amounts = [parts[day] for day in dues]
    not_due, interest = proposals.plan_relief(ledger, load_ruleset(story.case.profile), kind, start,
                                              list(zip(dues, amounts, strict=True)))
    plan = RepaymentPlan(
        case_id=story.case.id, agreement_no=f"{story.case.ref}-P1", plan_type=kind,
        status=PlanStatus.ACTIVE if signed else PlanStatus.DRAFT, as_of_date=start,
        signed_date=start if signed else None,
        signed_place=signing_place(story.cf.borrower.habitual_address) if signed else "",
        ack_principal=ledger.outstanding_principal, ack_interest=ledger.overdue_interest,
        ack_penalty=ledger.penalty + ledger.compound, ack_fees=ledger.overdue_fee, waived_amount=waived,
        principal_not_due=not_due, interest_not_charged=interest, waiver_conditional=True, grace_days=5,
        cure_days=15,
        service_address=story.cf.borrower.habitual_address, e_service_consent=True,
        pay_to=dict(story.cf.lender.payment_account),
    )
    plan.instalments = [PlanInstalment(no=k + 1, due_date=day, amount=a)
                        for k, (day, a) in enumerate(zip(dues, amounts, strict=True))]
    story.session.add(plan)
    story.session.flush()
    # dated on its day: after the signing at the visit (14:20–15:05), or after the call that agreed it
    at = at_local(start, 15, 10, story.tz) if story.visit is not None else at_local(start, 12, 0, story.tz)
    trail.record(story.session, actor=ACTOR, action="plan.created", object_type="plan", object_id=plan.agreement_no,
                 case_id=story.case.id, at=at, data={"total": str(sum(amounts)), "waived": str(waived)})
    if story.visit is not None and story.visit.proposal:
        story.visit.proposal = _proposal(story, plan)
    if not signed:
        return
    if story.visit is not None:
        _signed_at_visit(story, story.visit, start, plan)
    else:  # a US case: agreed on the phone
        story.contact(start, 11, "call", "promise", summary="Agreed to the payment plan and signed it"
                      if story.case.profile == "US" else "签署还款协议",
                      promise_date=plan.instalments[0].due_date,
                      promise_amount=amounts[0])
    _perform(story, stage, plan, firms)


def _acceleration_notices(story: _Story, breach: BreachEvent) -> None:
    """Where the state requires notice before acceleration (US-19: Texas), the notice of intent
    goes out when the breach is detected, and the notice of acceleration on the day the balance is
    accelerated, after the intent's cure period ran out (acceleration takes effect on it)."""
    story.session.flush()
    story.refresh()
    rules = load_ruleset(story.case.profile)
    law = acceleration.notice_law(rules, story.cf)
    if law is None or not law.applies:
        return
    # A plan whose missed instalment was its last had matured: nothing is left to accelerate, so
    # neither notice goes out (US-21; the acceleration recorded below is then ignored, as the
    # claim and the pleadings ignore it). The same check refuses the notices themselves.
    matured = acceleration.matured_violations(rules, story.cf, kind=law.intent_kind, as_of=breach.detected_on,
                                              accelerated_on=None)
    # The acceleration the notice of acceleration will state, after the intent's cure period: recorded
    # before the intent is sent (the intent states what would fall due; the notices are generated
    # with the case as it stands at their breach, PLAN_BREACHED).
    day = None
    if story.case.accelerated_on is not None:
        cured_by = acceleration.cure_deadline(story.cf, law, breach.detected_on)
        day = max(story.case.accelerated_on, cured_by + timedelta(days=1))
        story.case.accelerated_on = day
        story.session.flush()
        story.refresh()
    # At 10:00 sharp: the notices draw nothing from the seed's random stream, so the other cases stay as they were.
    if breach.detected_on <= story.anchor and not matured:
        story.letter(law.intent_kind, S.PLAN_BREACHED, breach.detected_on)
    if day is None:
        return
    stated = accounts.claim_of(story.cf, day, licensed_cap=get_settings().licensed_cost_cap).claimed_total
    matured = matured or acceleration.matured_violations(rules, story.cf, kind=law.acceleration_kind, as_of=day,
                                                         accelerated_on=day)
    if day <= story.anchor and not matured:
        story.letter(law.acceleration_kind, S.PLAN_BREACHED, day, stated_total=stated, stated_as_of=day)


def _proposal(story: _Story, plan: RepaymentPlan) -> str:
    """What the borrower proposed at the visit: the plan that came of it (its kind, its number of
    instalments, a waiver only where it waives), not a fixed line the agreement may contradict."""
    n = len(plan.instalments)
    ask = {"extension": f"展期并分{n}期偿还欠款", "interest_suspension": f"停息挂账并分{n}期偿还欠款",
           "partial_waiver": f"分{n}期偿还欠款，请求在按期还清的条件下减免{_penalty_term(story)}"}
    return "提出" + ask.get(plan.plan_type, f"分{n}期偿还欠款")


def _signed_at_visit(story: _Story, visit: Visit, day: date, plan: RepaymentPlan) -> None:
    """The agreement is signed on the spot at the visit (issue 10 §7): the visit record, made on the
    signing day, holds the signing; no second "visit" contact is posted for it, so the contact
    history counts the visit once and the visit log tells the same story."""
    tz = story.tz
    visit.window_start, visit.window_end = at_local(day, 14, 0, tz), at_local(day, 16, 0, tz)
    visit.notice_sent_at = at_local(day - VISIT_NOTICE_AHEAD, 10, 0, tz)
    visit.started_at, visit.ended_at = at_local(day, 14, 20, tz), at_local(day, 15, 5, tz)
    visit.consent_to_enter, visit.signature, visit.outcome = True, "signed", "promise"
    visit.documents_shown = [*visit.documents_shown, "还款协议"]
    visit.proposal = f"{visit.proposal}；双方当场签署还款协议（编号{plan.agreement_no}）"
    visit.recording_refs = [f"REC-{story.case.ref}-{day:%Y%m%d}-01"]
    story.session.flush()


def _first_missed(stage: Stage, plan: RepaymentPlan, anchor: date, *, rolls: bool) -> PlanInstalment | None:
    due = [i for i in plan.instalments if i.due_date <= anchor]
    if stage is S.PLAN_ACTIVE or not due:
        return None
    if stage is S.PLAN_BREACHED:  # late by a few days more than the grace period; still curable: the
        # latest past the grace (one on a contract date may fall due after it, still in its grace)
        return [i for i in due if plans.grace_end(i.due_date, plan.grace_days, rolls=rolls) < anchor][-1]
    return next(i for i in due if i.due_date >= anchor - timedelta(days=MISSED_WITHIN))  # cure period long over


def _perform(story: _Story, stage: Stage, plan: RepaymentPlan, firms: dict[str, LawFirm]) -> None:
    rolls = load_ruleset(story.case.profile).jurisdiction.rest_day_periods
    missed = _first_missed(stage, plan, story.anchor, rolls=rolls)
    for inst in plan.instalments:
        if inst.due_date > story.anchor or inst is missed:
            break
        story.pay(inst.due_date, inst.amount)
    if missed is None:
        return
    detected = plans.grace_end(missed.due_date, plan.grace_days, rolls=rolls) + timedelta(days=1)
    breach = BreachEvent(plan_id=plan.id, case_id=story.case.id, instalment_no=missed.no, due_date=missed.due_date,
                         missed_amount=missed.amount, detected_on=detected,
                         cure_deadline=plans.cure_deadline(
                             missed.due_date, plan.grace_days, plan.cure_days, rolls=rolls))
    plan.status = PlanStatus.BREACHED
    story.session.add(breach)  # its notice is generated by the seed when it has a store (documents.py)
    if _at(stage) >= _at(S.PRE_LITIGATION):
        story.case.accelerated_on = breach.cure_deadline + timedelta(days=1)
    _acceleration_notices(story, breach)
    if _at(stage) >= _at(S.PRE_LITIGATION):
        _to_court(story, firms, "payment history, statements and the signed agreement")
    story.session.flush()


# The anchor day's morning, the borrower's time: the records are on file (the demo's uploads,
# evidence.upload_demo_evidence), then the custodian reviews them (US-12: a review recorded before
# a record's upload does not cover it, and the affidavit is refused)
RECORDS_ON_FILE = (9, 0)
REVIEWED = (9, 30)
DESIGNATED = (9, 45)  # then legal staff record the court designation chosen for filing (US-28)


def _to_court(story: _Story, firms: dict[str, LawFirm], reviewed: str) -> None:
    """Legal staff assign a partner firm at pre-litigation; in a US case the custodian reviews the
    records (`reviewed`) on the morning of the anchor day, the date the affidavit states the
    account as of (US-12), once they are on file (RECORDS_ON_FILE)."""
    code = "HCLAW" if story.case.profile == "US" else story.rng.choice(["ZHLAW", "MDLAW"])
    story.case.law_firm_id = firms[code].id
    if story.case.profile == "US":
        lender = story.cf.lender
        story.session.add(AccountReview(case_id=story.case.id, reviewer=lender.legal_rep,
                                        reviewer_title=lender.legal_rep_title, actor=ACTOR,
                                        reviewed_at=at_local(story.anchor, *REVIEWED, story.tz),
                                        note=reviewed))
        _designate(story)


def _designate(story: _Story) -> None:
    """US-28: where the case's court takes a designation (a Texas Justice Court's precinct and
    place), legal staff record the one chosen for filing, so that every court paper of the demo is
    filing-ready (COURT_DESIGNATIONS: the demo borrower's precinct, by the designation's field)."""
    story.session.flush()
    cap = get_settings().licensed_cost_cap
    venue = designation.court_of(story.session, story.case, licensed_cap=cap, on=story.anchor)
    if venue is not None and venue.designation is not None:
        designation.record(story.session, story.case, COURT_DESIGNATIONS[venue.designation.field],
                           actor=LEGAL.actor, licensed_cap=cap, on=story.anchor,
                           at=at_local(story.anchor, *DESIGNATED, story.tz))


COLLECTION = Principal(f"{ACTOR}:collections", "collector")
LEGAL = Principal(f"{ACTOR}:legal", "legal_staff")


def _escalate(story: _Story, steps: list[tuple[Stage, date, int]]) -> None:
    """Take the case through the escalation process's steps, each on its day at `hour` o'clock the
    borrower's time, through the same guards as any transition (a refusal stops the seed, naming
    its rule) and audited as they are; pre-litigation by legal staff."""
    story.session.flush()
    for stage, day, hour in steps:
        who = LEGAL if stage is S.PRE_LITIGATION else COLLECTION
        reason = STEP_REASONS.get((stage, story.case.profile)) or STEP_REASONS[(stage, "")]
        step = TransitionIn.model_validate({"to": stage, "reason": reason})
        activity.transition(story.session, story.case, step, who, on=day, at=at_local(day, hour, 0, story.tz))
    story.refresh()


STEP_REASONS = {(S.REMINDER, ""): "instalment missed", (S.PHONE, ""): "no payment after the reminders",
                (S.VISIT_PLANNED, ""): "calls unanswered; a home visit planned",
                (S.VISIT_NOTIFIED, ""): "visit notice delivered",
                (S.VISIT_DONE, ""): "visit made and recorded",
                (S.PRE_LITIGATION, "US"): "loan accelerated by the notice of acceleration; suit on the contract",
                (S.PRE_LITIGATION, ""): "loan accelerated under the contract's acceleration clause; suit on the "
                                        "contract"}


# After the visit (CN) and before the acceleration, the contract-based demand (催收函): logged here as
# a letter, generated on its day by the seed when it has a store (documents.py), as the notices are.
DEMAND_AFTER = 55
# A CN case accelerated on its contract is taken to a visit once 30 days past due (ESC-05), after
# its unanswered calls.
VISIT_PLANNED_AFTER = 31


def _accelerated_on_contract(story: _Story, due: date, firms: dict[str, LawFirm]) -> None:
    """No plan is ever agreed: the borrower keeps missing the contract's instalments, the lender
    demands payment and, once the contract's acceleration clause allows it (ESC-12), declares the
    whole loan due under that clause and sues.

    - CN: the case was imported performing (CURRENT) and goes through the escalation process's
      steps, each audited on its day: reminders, phone collection, the visit planned, its notice
      delivered, the visit made (where the borrower asked for instalments the lender did not
      grant), a call, then the 催收函 citing the clause; the step to pre-litigation (the contract
      path from a visit made, ESC-12) records the acceleration on the day the partner firm's
      lawyer letter declares it (律师函, generated by the seed on the day the samples date it, so
      that its deadline has run when the complaint is dated).
    - US: the case was imported performing (CURRENT) and goes through the escalation process's own
      steps (ESC-13, the contract path): reminders, phone collection, then, where the state requires
      notice before acceleration (US-19: Texas), the notice of intent on the first day the clause is
      met and the notice of acceleration once its cure period has run out (elsewhere the notice of
      acceleration on the first day the clause is met); the step to pre-litigation on that day
      records the acceleration on the date the notice states. The notices are logged as letters
      here and generated on their days by the seed (documents.py)."""
    us = story.case.profile == "US"
    # reached at last (a CN borrower after the visit), before any notice of the acceleration
    story.contact(due + timedelta(days=25 if us else 48), 15, "call", "answered",
                  summary="Discussed the overdue installments; no payment arrangement was agreed" if us
                  else "告知逾期后果，借款人表示暂无能力还款，未达成还款安排")
    story.refresh()
    rules = load_ruleset(story.case.profile)
    clause = acceleration_clause.condition_on(story.cf, due + timedelta(days=1))
    allowed = clause.met_from  # the first day the clause is met: nothing more was paid on time
    assert allowed is not None and allowed < story.anchor, (story.case.ref, allowed)
    if us:
        law = acceleration.notice_law(rules, story.cf)
        assert law is not None, story.case.ref
        # the reminders and phone collection first: the notices go out in phone collection
        _escalate(story, [(S.REMINDER, due + timedelta(days=1), 9), (S.PHONE, due + timedelta(days=8), 8)])
        day = allowed
        if law.applies:
            story.letter(law.intent_kind, S.PHONE, allowed)
            day = acceleration.cure_deadline(story.cf, law, allowed) + timedelta(days=1)
        # what the notice of acceleration states falls due: the loan accelerated on its own date (the
        # acceleration is recorded by the step to pre-litigation it allows, not before)
        stated = accounts.claim_of(story.cf, day, licensed_cap=get_settings().licensed_cost_cap).claimed_total
        story.letter(law.acceleration_kind, S.PHONE, day, stated_total=stated, stated_as_of=day)
        _escalate(story, [(S.PRE_LITIGATION, day, 11)])
    else:
        visit = story.visit
        assert visit is not None and visit.notice_sent_at is not None and visit.ended_at is not None, story.case.ref
        notified = visit.notice_sent_at.astimezone(ZoneInfo(story.tz)).date()
        visited = visit.ended_at.astimezone(ZoneInfo(story.tz)).date()
        _escalate(story, [(S.REMINDER, due + timedelta(days=1), 9), (S.PHONE, due + timedelta(days=8), 8),
                          (S.VISIT_PLANNED, due + timedelta(days=VISIT_PLANNED_AFTER), 9)])
        story.letter("visit_notice", S.VISIT_PLANNED, notified)  # at 10:00, as the visit records
        # notified once the notice arrived by post (delivery.py), in the afternoon it was signed for
        arrived = delivery_moment(case_ref=story.case.ref, profile=story.case.profile, kind="visit_notice",
                                  channel="letter", sent=visit.notice_sent_at, tz=story.tz, anchor=story.anchor)
        assert arrived is not None, story.case.ref
        _escalate(story, [(S.VISIT_NOTIFIED, arrived.astimezone(ZoneInfo(story.tz)).date(), 16),
                          (S.VISIT_DONE, visited, 16)])
        story.letter("demand_letter", S.VISIT_DONE, due + timedelta(days=DEMAND_AFTER))
        # legal staff take it to pre-litigation in the morning; the lawyer letter declaring the
        # acceleration goes out at 10:00 (documents.py)
        _escalate(story, [(S.PRE_LITIGATION, sample_day("lawyer_letter", story.case.profile, story.anchor), 9)])
    on = story.case.accelerated_on
    assert on is not None and allowed <= on <= story.anchor, story.case.ref
    assert any(i.due_date > on for i in story.cf.instalments), story.case.ref
    _to_court(story, firms, "payment history, statements and the loan agreement")
    story.session.flush()
