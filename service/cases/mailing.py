"""Recording what a letter was mailed under: its carrier and tracking number (service.cases.postal),
when it is posted (``record_mailing``) or with what became of it (activity.record_delivery and
record_failure take them, ``given``)."""

from datetime import datetime

from sqlalchemy.orm import Session

from service.cases import postal
from service.cases.enums import Carrier, Direction
from service.cases.models import Communication, DebtCase
from service.cases.rules import load_ruleset
from service.core import trail
from service.core.clock import utcnow
from service.core.db import MAX_ROW_ID
from service.core.errors import InvalidInput


def given(case: DebtCase, comm: Communication, carrier: str | None,
          tracking_no: str | None) -> tuple[Carrier, str] | None:
    """The carrier and tracking number given for `comm`, checked for the case's jurisdiction, or None
    where none is given; a number other than the one the letter already has is refused (naming
    ``tracking_no``): a letter mailed again is a communication of its own."""
    mailing = postal.checked(load_ruleset(case.profile), carrier, tracking_no, channel=comm.channel)
    if mailing is not None and comm.tracking_no and (comm.carrier, comm.tracking_no) != mailing:
        raise InvalidInput.one("tracking_no", f"communication {comm.id} was mailed under {comm.carrier} "
                                              f"{comm.tracking_no}: a letter mailed again is recorded as a "
                                              "communication of its own")
    return mailing


def apply(comm: Communication, mailing: tuple[Carrier, str] | None) -> dict[str, str]:
    """Set the mailing on the letter; what the audit event records of it ({} where none was given)."""
    if mailing is None:
        return {}
    comm.carrier, comm.tracking_no = mailing
    return {"carrier": mailing[0].value, "tracking_no": mailing[1]}


def record_mailing(session: Session, case: DebtCase, communication_id: int, *, actor: str, carrier: str | None,
                   tracking_no: str, audit_at: datetime | None = None) -> Communication:
    """Record the carrier and tracking number an outbound letter of the case was mailed under,
    audited as communication.mailed: at posting, while it is sent, or after the fact (a letter
    delivered or returned before its number was recorded, or before 0036). The same number again
    changes nothing; another is refused (``given``). `audit_at`: a history laid down after the fact
    (the demo seed) dates the event at the posting."""
    comm = _outbound_letter(session, case, communication_id)
    mailing = given(case, comm, carrier, tracking_no)
    if mailing is None:  # an empty number: postal.checked names it when a carrier is given
        raise InvalidInput.one("tracking_no", "the letter's tracking number must be given")
    if comm.tracking_no == mailing[1]:
        return comm
    data = apply(comm, mailing)
    session.flush()
    case.updated_at = utcnow()
    trail.record(session, actor=actor, action="communication.mailed", object_type="communication",
                 object_id=comm.id, case_id=case.id, at=audit_at, data={"template_kind": comm.template_kind, **data})
    return comm


def _outbound_letter(session: Session, case: DebtCase, communication_id: int) -> Communication:
    # an id past the column's range names no row (db.MAX_ROW_ID)
    comm = session.get(Communication, communication_id) if 1 <= communication_id <= MAX_ROW_ID else None
    if comm is None or comm.case_id != case.id:
        raise InvalidInput.one("communication", f"case {case.ref} has no communication {communication_id}")
    if comm.direction != Direction.OUT or not postal.mailed(comm):
        raise InvalidInput.one("communication", "only an outbound letter that went out has a tracking number "
                                                f"(this one: {comm.channel}, {comm.direction}, {comm.outcome})")
    return comm
