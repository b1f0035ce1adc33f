"""The demo's letters go by post under their carrier's tracking number (delivery.tracking_number):
an EMS 邮件号 in China, a USPS number in the US, each with a valid check digit and drawn from the case,
the kind and the moment it was sent, so a seed gives the same numbers every time; a court-bound demo
case has no mailed letter without one (DOC-11)."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from service.cases import postal
from service.cases.casefile import load_case_file
from service.cases.enums import Carrier, Channel, Direction
from service.cases.models import Communication, DebtCase
from service.demo.delivery import tracking_number
from tests.factories import DEMO_ANCHOR
from tests.seeded import seed_demo


def test_a_tracking_number_is_valid_and_drawn_the_same_for_the_same_letter():
    sent = datetime(2026, 3, 18, 2, 0, tzinfo=UTC)
    for profile, carrier in (("CN", Carrier.EMS), ("US", Carrier.USPS)):
        drawn = tracking_number(case_ref=f"{profile}-00001", profile=profile, kind="demand_letter", sent=sent)
        assert drawn[0] is carrier and postal.problem(*drawn) is None, drawn
        assert tracking_number(case_ref=f"{profile}-00001", profile=profile, kind="demand_letter", sent=sent) == drawn
        other = tracking_number(case_ref=f"{profile}-00002", profile=profile, kind="demand_letter", sent=sent)
        assert other != drawn


@pytest.mark.parametrize(("generated", "cases"), [(True, 20), (False, 64)])
def test_every_demo_letter_has_a_valid_tracking_number_of_its_jurisdictions_carrier(db, settings, generated, cases):
    """`generated`: the seed with a store sends its letters as the notices themselves (documents.py,
    recorded mailed through mailing.record_mailing); without one it logs the letters it sends
    (history.py: a US case's validation notice)."""
    seed_demo(db, anchor=DEMO_ANCHOR, cases=cases, **({"settings": settings} if generated else {}))
    letters = db.scalars(select(Communication).where(Communication.channel == Channel.LETTER,
                                                     Communication.direction == Direction.OUT)).all()
    profiles = {c.id: db.get(DebtCase, c.case_id).profile for c in letters}  # type: ignore[union-attr]
    assert set(profiles.values()) >= ({"CN", "US"} if generated else {"US"})  # logged: the validation notices
    assert all(bool(c.document_id) is generated for c in letters)
    for c in letters:
        assert c.tracking_no and c.carrier == ("usps" if profiles[c.id] == "US" else "ems"), (c.id, c.tracking_no)
        assert postal.problem(Carrier(c.carrier), c.tracking_no) is None, c.tracking_no
    assert len({c.tracking_no for c in letters}) == len(letters)  # each letter its own number
    for ref in db.scalars(select(DebtCase.ref).where(DebtCase.stage.in_(sorted(postal.LITIGATION)))):
        assert postal.untracked_letters(load_case_file(db, ref)) == [], ref
