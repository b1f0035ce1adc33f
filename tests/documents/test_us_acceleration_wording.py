"""Litigator's review of US-00014 (Texas): the petition's acceleration paragraph and the affidavit's
paragraph 5 said "accelerated on July 14, … after … its notice of acceleration, sent on July 14 and
delivered on July 20", which reads as an acceleration made before the notice reached the borrower.
Under Texas law the holder accelerates by the notice of acceleration (after a notice of intent and
an opportunity to cure: Shumway v. Horizon Credit Corp., 801 S.W.2d 890 (Tex. 1991)); the papers
now say the debt was accelerated *by* that notice, dated, sent and delivered on their own days, and
state the cure period the notice of intent gave.

The cure period is counted once (acceleration.cure_from / cure_deadline): from the day the notice
of intent went out, its own date where that is later. The notice states that deadline, the US-19
check holds the notice of acceleration to it, the notice of acceleration and the pleadings repeat
it: a notice generated for an earlier date than the day it is sent said "10 days from the date of
this notice" and counted from its date, while the check counted from its sending."""

import re
from datetime import date, timedelta

from service.cases import acceleration
from service.cases.casefile import load_case_file
from service.cases.enums import Channel, Direction, Outcome, PartyKind
from service.cases.models import Communication, DebtCase
from service.cases.rules import load_ruleset
from service.documents import service as documents_service
from service.documents.format import date_en
from tests.documents.conftest import at, squash
from tests.documents.legal_cases import DAY, context, texts
from tests.documents.test_acceleration_notices import ACCELERATION, HOUSTON, INTENT, in_state, refusals, us19

INTENT_DAY, ACCELERATED = DAY - timedelta(days=30), DAY - timedelta(days=10)
MAIL_DAYS = {INTENT: 4, ACCELERATION: 6}  # a letter by post arrives days after it went out


def mailed(db, case: DebtCase, kind: str, day: date) -> None:
    """A letter sent on `day` (dated that day) and delivered MAIL_DAYS later."""
    when = at(day, 10, tz=HOUSTON)
    db.add(Communication(case_id=case.id, channel=Channel.LETTER, direction=Direction.OUT,
                         party_kind=PartyKind.BORROWER, to_address="2210 W Alabama St", sent_at=when,
                         local_time=when.isoformat(), outcome=Outcome.DELIVERED, template_kind=kind, actor="test",
                         delivered_at=at(day + timedelta(days=MAIL_DAYS[kind]), 14, tz=HOUSTON), stated_as_of=day))
    db.flush()


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_papers_say_the_debt_was_accelerated_by_the_notice_never_before_it_arrived(db, tmp_path):
    case = in_state(db, "TX", accelerated_on=ACCELERATED)
    mailed(db, case, INTENT, INTENT_DAY)
    mailed(db, case, ACCELERATION, ACCELERATED)
    deadline = INTENT_DAY + timedelta(days=10)
    notice = (f"notice of acceleration dated {date_en(ACCELERATED)} (sent {date_en(ACCELERATED)}; delivered "
              f"{date_en(ACCELERATED + timedelta(days=6))})")
    intent = (f"notice of intent to accelerate dated {date_en(INTENT_DAY)} (sent {date_en(INTENT_DAY)}; delivered "
              f"{date_en(INTENT_DAY + timedelta(days=4))})")
    said = {
        "debt_claim_petition": (f"Plaintiff's {intent} gave Defendant until {date_en(deadline)}, 10 days after it was "
                                f"sent, to cure the default, and Defendant did not cure it. Plaintiff then accelerated "
                                f"the maturity of the debt by its {notice}, so that final payment was due on "
                                f"{date_en(ACCELERATED)}."),
        "affidavit_of_debt": (f"Plaintiff's {intent} gave Defendant until {date_en(deadline)}, 10 days after it was "
                              f"sent, to cure the default, and Defendant did not cure it. Plaintiff then accelerated "
                              f"the loan under Agreement §8, which permits acceleration once an installment is more "
                              f"than 90 days past due, by its {notice}, making the entire unpaid principal due."),
        "claim_statement": (f"all unpaid principal became due, by Plaintiff's {notice}, after its {intent} had given "
                            f"Defendant until {date_en(deadline)}, 10 days after it was sent, to cure the default"),
    }
    for kind, sentence in said.items():
        for text in texts(context(db, case.ref, kind), tmp_path):
            flat = _flat(text)
            assert squash(sentence) in squash(flat), (kind, flat)
            # never "accelerated on <date>" next to a notice that went out or arrived later
            assert not re.search(r"accelerated on [A-Z][a-z]+ \d{1,2}, \d{4}, after", flat), kind
            assert "its notice of acceleration, sent on" not in flat, kind


def test_the_cure_period_is_one_count_from_the_day_the_notice_of_intent_went_out(db, store, tmp_path):
    """A notice of intent generated on `sent` for an earlier date counts its cure period from the day
    it goes out, says so, and the check, the notice of acceleration and the petition state the same
    deadline."""
    case = in_state(db, "TX", accelerated_on=None)
    case.stage = "PHONE"
    db.flush()
    sent, dated = INTENT_DAY, INTENT_DAY - timedelta(days=2)
    deadline = sent + timedelta(days=10)
    _, _, ctx = documents_service.prepare(db, case_ref=case.ref, kind=INTENT, fmt="pdf", locale=None, as_of=dated,
                                          now=at(sent, 10, tz=HOUSTON))
    assert (ctx.cure_from, ctx.cure_deadline, ctx.cure_days) == (sent, deadline, 10)  # type: ignore[attr-defined]
    for text in texts(ctx, tmp_path):
        assert squash(f"no later than {date_en(deadline)} (10 days from {date_en(sent)}, the day we send you this "
                      "notice)") in squash(text)
    documents_service.generate(db, case_ref=case.ref, kind=INTENT, as_of=dated, actor="test", store=store,
                               now=at(sent, 10, tz=HOUSTON))
    cf = load_case_file(db, case.ref)
    law = acceleration.notice_law(load_ruleset("US"), cf)
    assert law is not None
    record = acceleration.notice_record(cf, law, by=DAY, tz=HOUSTON)
    assert record.intents == (sent,) and record.deadline(sent) == deadline
    # the notice of acceleration waits for that deadline, not the one counted from the notice's date
    case.stage, case.accelerated_on = "PRE_LITIGATION", deadline
    db.flush()
    [running] = us19(refusals(db, case, ACCELERATION, deadline))
    assert f"lets the borrower cure until {deadline.isoformat()}" in running
    after = deadline + timedelta(days=1)
    case.accelerated_on = after
    db.flush()
    assert us19(refusals(db, case, ACCELERATION, after)) == []
    notice = context(db, case.ref, ACCELERATION, day=after)
    for text in texts(notice, tmp_path):
        assert squash(f"On {date_en(sent)} we notified you") in squash(text)
        assert squash(f"unless you cured the default by {date_en(deadline)}") in squash(text)
    mailed(db, case, ACCELERATION, after)
    for text in texts(context(db, case.ref, "debt_claim_petition"), tmp_path):
        assert squash(f"notice of intent to accelerate dated {date_en(dated)} (sent {date_en(sent)}") in squash(text)
        assert squash(f"gave Defendant until {date_en(deadline)}, 10 days after it was sent, to cure the default") \
            in squash(text)
