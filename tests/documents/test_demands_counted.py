"""The pleadings' "先后N次…催告还款" counts demands for performance (民法典 art. 195), not every
contact: a visit notice announces a visit and asks for nothing (review CN-00044: "11次…催告还款"
counted it). The notice history still lists every contact, and limitation is interrupted only by
the demands the pleadings state."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.cases import accounts, demands
from service.cases.casefile import load_case_file
from service.cases.models import Communication, DebtCase
from service.core.settings import get_settings
from service.documents.contexts.record import Contact, ContactHistory
from service.documents.registry import KINDS
from service.packets.build import make_plan
from tests.documents.conftest import squash
from tests.documents.legal_cases import _comm, context, litigation_case, texts

NOTICE_SENT = date(2025, 6, 7)  # the visit notice, three days before the visit of 2025-06-10


def _with_visit_notice(db: Session) -> DebtCase:
    """The litigation case (an SMS reminder, an answered call, a demand letter, the visit, the breach
    notice: five demands, all reached) with its visit announced by a delivered visit notice."""
    case = litigation_case(db)
    _comm(db, case, NOTICE_SENT, "letter", "delivered", "visit_notice")
    db.flush()
    return case


def _contact(day: int, kind: str, channel: str = "letter", outcome: str = "delivered") -> Contact:
    return Contact(day=date(2025, 6, day), channel=channel, template_kind=kind, outcome=outcome,
                   reached=outcome in ("delivered", "answered"))


def test_the_demands_leave_out_a_visit_notice_first_and_last() -> None:
    h = ContactHistory(contacts=(_contact(1, "visit_notice"), _contact(3, "", "call", "no_answer"),
                                 _contact(4, "overdue_reminder", "sms"), _contact(5, "", "visit", "answered"),
                                 _contact(9, "visit_notice")))
    d = h.demands
    assert (h.attempts, d.attempts) == (5, 3)
    assert (d.first, d.last) == (date(2025, 6, 3), date(2025, 6, 5))
    assert len(d.reached) == 2 and d.visits == 1 and d.channels == ("call", "sms", "visit")
    assert d.demands == d


def test_every_kind_sent_to_the_borrower_is_classed_a_demand_or_not() -> None:
    sent = {k for k, kind in KINDS.items() if kind.channel is not None}
    assert sent == demands.DEMAND_KINDS | demands.NOT_DEMANDS and not demands.DEMAND_KINDS & demands.NOT_DEMANDS
    assert "visit_notice" in demands.NOT_DEMANDS and "credit_report_prenotice" in demands.DEMAND_KINDS


def test_the_complaint_counts_the_demands_not_the_visit_notice(db: Session, tmp_path) -> None:
    case = _with_visit_notice(db)
    h = context(db, case.ref, "civil_complaint").timeline.contacts  # type: ignore[attr-defined]
    assert h.attempts == 6 and any(c.template_kind == "visit_notice" for c in h.contacts)
    for kind in ("civil_complaint", "complaint_elements"):
        text = squash(texts(context(db, case.ref, kind), tmp_path)[0])
        assert "先后5次" in text and "其中5次已送达被告或与被告本人通话、面谈" in text, kind
        assert "先后6次" not in text and "6次" not in text, kind
    index = squash(texts(context(db, case.ref, "evidence_index"), tmp_path)[0])
    assert "共催告被告还款5次，其中上门走访1次；5次中5次已送达被告" in index, index
    # the notice history lists every contact, the visit notice among them
    history = squash(texts(context(db, case.ref, "notice_history"), tmp_path)[0])
    assert "共联系借款人6次" in history and "上门走访告知函" in history


def test_a_visit_notice_interrupts_no_limitation_and_proves_no_demand(db: Session) -> None:
    case = _with_visit_notice(db)
    assert NOTICE_SENT not in accounts.interruptions(load_case_file(db, case.ref))
    # the only contact that reached the borrower a visit notice: the history proves no demand delivered
    for c in db.scalars(select(Communication).where(Communication.case_id == case.id)):
        if c.template_kind != "visit_notice":
            c.outcome = "sent"
    db.flush()
    cf = load_case_file(db, case.ref)
    # the agreement signed and the payments interrupt it; the visit notice delivered does not
    assert set(accounts.interruptions(cf)) == {p.value_date for p in cf.payments} | {p.signed_date for p in cf.plans}
    purpose = next(e.purpose for e in make_plan(db, get_settings(), cf).exhibits if e.key == "notice_history")
    assert "诉讼时效" not in purpose, purpose
