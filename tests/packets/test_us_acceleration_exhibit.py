"""Case-file review 2026-12-05, U-1/U-2/U-3/U-5: a Texas acceleration rests on a notice of intent
to accelerate and, after its cure period, a notice of acceleration (US-19). The packet's exhibit
titled "notice of default and acceleration" held only the plan's notice of default, and the
affidavit and statement of account rested the acceleration on it. Now:

- the packet proves both notices, each with its delivery record, or names the one missing;
- the affidavit and the statement of account name both notices and their days;
- the notices show no more of the account than a Texas filing may (Tex. R. Civ. P. 21c);
- the affidavit states no revival law at all (it cited 16.065 for what it does not say; the
  limitation law is the petition's to plead, not the custodian's to swear to);
- a packet is built by the clock it is given, as documents are (the sample catalogue)."""

import re
from datetime import datetime, timedelta

import pytest

from service.cases.casefile import load_case_file
from service.core.errors import ServiceError
from service.documents.models import GeneratedDocument
from service.documents.render import render
from service.packets.build import build_packet
from service.packets.plan import plan_packet
from tests.documents.conftest import TEMPLATES, at, pdf_text
from tests.documents.legal_cases import DAY, context
from tests.documents.test_acceleration_notices import ACCELERATION, HOUSTON, INTENT, in_state, sent

INTENT_DAY, ACCELERATED = DAY - timedelta(days=30), DAY - timedelta(days=10)


def _doc(kind: str, day) -> GeneratedDocument:
    return GeneratedDocument(id=f"d-{kind}", kind=kind, locale="en-US", format="pdf", as_of_date=day,
                             created_at=datetime.combine(day, datetime.min.time()), sha256="0" * 64)


def _texas(db, *, notices: bool = True):
    case = in_state(db, "TX", accelerated_on=ACCELERATED)
    if notices:
        sent(db, case, INTENT, INTENT_DAY, document_id=f"d-{INTENT}")  # the documents _doc makes
        sent(db, case, ACCELERATION, ACCELERATED, document_id=f"d-{ACCELERATION}")
    return case


def test_the_texas_packet_proves_both_notices_with_their_delivery(db):
    case = _texas(db)
    docs = [_doc(INTENT, INTENT_DAY), _doc(ACCELERATION, ACCELERATED)]
    plan = plan_packet(load_case_file(db, case.ref), [], docs, templates_dir=TEMPLATES)
    [exhibit] = [e for e in plan.exhibits if e.key == "acceleration_notices"]
    assert [d.kind for d in exhibit.documents] == [INTENT, ACCELERATION]
    assert exhibit.params["delivery_of"] == f"{INTENT},{ACCELERATION}"
    assert "November 1, 2025" in exhibit.purpose and "November 21, 2025" in exhibit.purpose
    assert not [m for m in plan.missing if "accelerat" in m]


def test_a_texas_packet_without_the_notices_names_them_missing(db):
    case = _texas(db, notices=False)
    plan = plan_packet(load_case_file(db, case.ref), [], [], templates_dir=TEMPLATES)
    assert "notice of intent to accelerate (generate the notice first)" in plan.missing
    assert "notice of acceleration (generate the notice first)" in plan.missing


def test_a_state_that_asks_no_notice_has_no_such_exhibit(db):
    case = in_state(db, "NY", accelerated_on=ACCELERATED)
    plan = plan_packet(load_case_file(db, case.ref), [], [], templates_dir=TEMPLATES)
    assert not [e for e in plan.exhibits if e.key == "acceleration_notices"]


def test_the_affidavit_and_statement_name_both_notices_and_no_revival_law(db, tmp_path):
    case = _texas(db)
    # each delivered the day it was sent (the rows record no later delivery); the debt accelerated by
    # the notice of acceleration, after the cure period the notice of intent gave
    both = ("notice of intent to accelerate dated November 1, 2025 (sent and delivered November 1, 2025)",
            "Defendant until November 11, 2025, 10 days after it was sent, to cure the default",
            "notice of acceleration dated November 21, 2025 (sent and delivered November 21, 2025)")
    for kind in ("affidavit_of_debt", "claim_statement"):
        text = " ".join(pdf_text(render(context(db, case.ref, kind), "pdf", templates_dir=TEMPLATES).data,
                                 tmp_path).split())
        assert all(said in text for said in both), (kind, text)
        assert "notice of default" not in text, kind
    affidavit = " ".join(pdf_text(render(context(db, case.ref, "affidavit_of_debt"), "pdf",
                                         templates_dir=TEMPLATES).data, tmp_path).split())
    # what revives an expired period is a legal conclusion, not the records custodian's to swear to
    assert "392.307" not in affidavit and "16.065" not in affidavit and "revive" not in affidavit


def test_the_notices_show_the_account_as_a_texas_filing_may(db, tmp_path):
    case = _texas(db)
    tail = "".join(ch for ch in load_case_file(db, case.ref).contract.contract_no if ch.isalnum())
    ctx = context(db, case.ref, ACCELERATION)
    text = " ".join(pdf_text(render(ctx, "pdf", templates_dir=TEMPLATES).data, tmp_path).split())
    assert re.search(rf"Account ending {tail[-3:]}\b", text) and tail[-4:] not in text


def test_a_packet_is_built_by_the_clock_it_is_given(db, settings, tmp_path):
    case = _texas(db)
    with pytest.raises(ServiceError) as refused:
        build_packet(db, settings, case.ref, tmp_path / "p.zip", as_of=DAY, draft=True,
                     now=at(DAY - timedelta(days=1), 12, tz=HOUSTON))
    assert "in the future" in str(refused.value.detail)
    assert not (tmp_path / "p.zip").exists()


def test_no_acceleration_exhibit_when_the_loan_had_matured(db):
    """A recorded acceleration after the last instalment fell due advanced nothing (the effective
    acceleration is None): the pleadings say matured, so the packet files no acceleration notices."""
    from datetime import date

    case = in_state(db, "TX", accelerated_on=date(2026, 7, 1))  # the 24th installment fell due 2026-06-03
    sent(db, case, INTENT, date(2026, 6, 10))
    sent(db, case, ACCELERATION, date(2026, 7, 1))
    docs = [_doc(INTENT, date(2026, 6, 10)), _doc(ACCELERATION, date(2026, 7, 1))]
    plan = plan_packet(load_case_file(db, case.ref), [], docs, templates_dir=TEMPLATES)
    assert not [e for e in plan.exhibits if e.key == "acceleration_notices"]
