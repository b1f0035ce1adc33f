"""DOC-08 (litigator's review): once the lawyer letter that declared the acceleration reached the
borrower, the acceleration is in effect (民法典 art. 137) and its days to pay run from that
delivery (DOC-06). A second lawyer letter was accepted: it restated the contact count without the
first letter, told the earlier letter's declaration as its own and, once sent, started DOC-06's
seven days again, delaying the suit. It is refused now, through every path that records a
document; a letter whose predecessor failed or is not recorded delivered is still generated (that
one accelerated nothing).

DOC-06 with several letters: the complaint waits for the last letter's delivery and then for the
deadline that ends last among the delivered ones (record.demand_deadline).

The case: the contract accelerated on 2025-09-10 (litigation_case(plan=False)); its lawyer
letter generated that morning declares it."""

from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from service.cases import activity
from service.cases.casefile import load_case_file
from service.cases.models import Communication
from service.core.errors import RuleViolation
from service.documents import service as documents_service
from service.documents.models import GeneratedDocument
from service.documents.render import render_html
from tests.conftest import auth
from tests.documents.conftest import TEMPLATES, squash
from tests.documents.legal_cases import DAY, context, facts_for, litigation_case, moment

DECLARED = date(2025, 9, 10)  # the case's recorded acceleration: the day the letter declaring it is dated
DELIVERED = date(2025, 9, 12)


def _generate(db, store, ref: str, day: date, hour: int = 10) -> GeneratedDocument:
    return documents_service.generate(db, case_ref=ref, kind="lawyer_letter", as_of=day, actor="test", store=store,
                                      now=moment(day, hour))


def _letters(db, case) -> list[Communication]:
    return sorted((c for c in load_case_file(db, case.ref).communications if c.template_kind == "lawyer_letter"),
                  key=lambda c: c.sent_at)


def _documents(db, case) -> int:
    return db.scalar(select(func.count()).select_from(GeneratedDocument)
                     .where(GeneratedDocument.case_id == case.id, GeneratedDocument.kind == "lawyer_letter"))


@pytest.fixture
def delivered(db, store):
    """The case with its declaring letter generated, recorded as sent and delivered on DELIVERED."""
    case = litigation_case(db, plan=False)
    doc = _generate(db, store, case.ref, DECLARED)
    (comm,) = _letters(db, case)
    assert comm.document_id == doc.id
    activity.record_delivery(db, case, comm.id, actor="test", at=moment(DELIVERED, 14))
    return case


def test_a_second_letter_after_the_declaring_one_was_delivered_is_refused_and_nothing_is_recorded(db, store,
                                                                                                  delivered):
    case = delivered
    with pytest.raises(RuleViolation) as refused:
        _generate(db, store, case.ref, DAY)
    (found,) = refused.value.violations
    assert found.rule == "DOC-08"
    assert found.message.startswith(f"the lawyer_letter of {DECLARED.isoformat()}, delivered on "
                                    f"{DELIVERED.isoformat()}, declared the loan accelerated"), found.message
    assert "7 days to pay run from that day (DOC-06)" in found.message
    zh = found.localized["zh-CN"]
    assert f"{DECLARED.isoformat()}发出的律师函已于{DELIVERED.isoformat()}送达借款人" in zh, zh
    assert "不得再次出具律师函" in zh and "重新起算期限" in zh
    # nothing half-written: no second document, no second communication
    assert _documents(db, case) == 1 and len(_letters(db, case)) == 1
    # the letter generated again for its own date after its delivery is another sending too: refused
    with pytest.raises(RuleViolation) as again:
        documents_service.generate(db, case_ref=case.ref, kind="lawyer_letter", as_of=DECLARED, actor="test",
                                   store=store, now=moment(DELIVERED + timedelta(days=1)))
    assert [v.rule for v in again.value.violations] == ["DOC-08"]
    # DOC-06 keeps the first letter's days, from its delivery
    deadline = context(db, case.ref, "civil_complaint").timeline.demand_deadline  # type: ignore[attr-defined]
    assert (deadline.sent, deadline.delivered_on, deadline.pay_by) == (DECLARED, DELIVERED,
                                                                       DELIVERED + timedelta(days=7))


def test_the_letter_made_again_at_a_moment_before_its_delivery_is_not_refused(db, store):
    """Made again at a moment before it reached the borrower (the DOCX beside the PDF; the samples'
    letter, made at its own day's 11:00), the letter is the same letter: not refused."""
    case = litigation_case(db, plan=False)
    _generate(db, store, case.ref, DECLARED)
    (comm,) = _letters(db, case)
    activity.record_delivery(db, case, comm.id, actor="test", at=moment(DELIVERED, 14))
    # made at a moment before the delivery recorded: the acceleration was not in effect then
    documents_service.prepare(db, case_ref=case.ref, kind="lawyer_letter", fmt="docx", locale=None, as_of=DECLARED,
                              now=moment(DECLARED, 11))


def test_a_letter_after_one_that_failed_is_generated(db, store):
    case = litigation_case(db, plan=False)
    _generate(db, store, case.ref, DECLARED)
    (first,) = _letters(db, case)
    first.outcome = "failed"  # returned: it never reached the borrower
    db.flush()
    _generate(db, store, case.ref, DAY)
    assert [c.outcome for c in _letters(db, case)] == ["failed", "sent"]


def test_a_letter_after_one_not_recorded_delivered_is_generated_and_counts_it_as_a_contact(db, store):
    case = litigation_case(db, plan=False)
    _generate(db, store, case.ref, DECLARED)
    _, _, ctx = documents_service.prepare(db, case_ref=case.ref, kind="lawyer_letter", fmt="pdf", locale=None,
                                          as_of=DAY, now=moment(DAY))
    contacts = ctx.timeline.contacts  # type: ignore[attr-defined]
    # the first letter, sent and not delivered, is one of the contacts before the second
    assert [(c.day, c.outcome) for c in contacts.contacts if c.template_kind == "lawyer_letter"] == [
        (DECLARED, "sent")]
    assert contacts.attempts == facts_for(db, case.ref, DAY).record.contacts.attempts
    html = squash(render_html(ctx, TEMPLATES))
    assert f"先后{contacts.attempts}次" in html
    _generate(db, store, case.ref, DAY)
    assert [c.outcome for c in _letters(db, case)] == ["sent", "sent"]
    # the same letter made again for its own date does not count itself
    again = context(db, case.ref, "lawyer_letter", day=DAY).timeline.contacts  # type: ignore[attr-defined]
    assert again.attempts == contacts.attempts


def test_the_api_answers_the_refusal_as_problem_json_naming_doc_08(client, keys, db, store, delivered):
    r = client.post(f"/v1/cases/{delivered.ref}/documents",
                    json={"kind": "lawyer_letter", "format": "pdf", "as_of": DAY.isoformat()},
                    headers=auth(keys["legal_staff"]))
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert [v["rule"] for v in r.json()["violations"]] == ["DOC-08"]
    assert f"delivered on {DELIVERED.isoformat()}" in r.json()["violations"][0]["message"]
    assert len(_letters(db, delivered)) == 1


def test_dossier_render_prints_the_refusal_in_the_cases_language(db, store, delivered, monkeypatch, tmp_path):
    from service.cli import app as cli

    @contextmanager
    def unit_of_work(url, **_):  # type: ignore[no-untyped-def]
        yield db

    monkeypatch.setattr("service.core.db.unit_of_work", unit_of_work)
    out = tmp_path / "letter.pdf"
    result = CliRunner().invoke(cli, ["render", delivered.ref, "lawyer_letter", "--as-of", DAY.isoformat(),
                                      "-o", str(out)], env={"COLUMNS": "400"})
    assert result.exit_code != 0
    flat = "".join(result.output.split())
    assert f"refused:DOC-08{DECLARED.isoformat()}发出的律师函已于{DELIVERED.isoformat()}送达借款人" in flat, \
        result.output
    assert not out.exists() and len(_letters(db, delivered)) == 1


# ------------------------------------------------------------------ DOC-06 with several letters

def _sent(db, case, day: date, delivered_on: date | None = None) -> Communication:
    comm = Communication(case_id=case.id, channel="letter", direction="out", party_kind="borrower",
                         to_address="上海市", sent_at=moment(day), local_time=moment(day).isoformat(),
                         outcome="sent", template_kind="lawyer_letter", stated_as_of=day)
    db.add(comm)
    db.flush()
    if delivered_on is not None:
        activity.record_delivery(db, case, comm.id, actor="test", at=moment(delivered_on, 14))
    return comm


def _doc06(db, ref: str, day: date) -> list[str]:
    try:
        documents_service.prepare(db, case_ref=ref, kind="civil_complaint", fmt="pdf", locale=None, as_of=day,
                                  now=moment(day))
    except RuleViolation as exc:
        return [v.message for v in exc.violations if v.rule == "DOC-06"]
    return []


def test_an_earlier_letter_delivered_after_a_later_one_holds_the_complaint_to_its_own_days(db):
    """The borrower who got the earlier letter last was told: seven days from *its* delivery. The
    last-dated letter's deadline alone let the complaint be dated inside them."""
    case = litigation_case(db, plan=False)
    early, late = DAY - timedelta(days=12), DAY - timedelta(days=10)
    _sent(db, case, late, delivered_on=DAY - timedelta(days=9))  # its days end on DAY - 2
    _sent(db, case, early, delivered_on=DAY - timedelta(days=6))  # its days end on DAY + 1
    (running,) = _doc06(db, case.ref, DAY)
    pay_by = DAY + timedelta(days=1)
    assert f"the lawyer_letter of {early.isoformat()} gives the borrower until {pay_by.isoformat()}" in running
    after = pay_by + timedelta(days=1)
    assert _doc06(db, case.ref, after) == []
    stated = ("被告收到2025年11月19日发出的《律师函》后，"
              "未在该函限定的期限内（自送达之日起七日内，即至2025年12月2日止）偿还欠款")
    for kind in ("civil_complaint", "complaint_elements"):
        assert stated in squash(render_html(context(db, case.ref, kind, day=after), TEMPLATES)), kind


def test_a_later_letter_not_yet_delivered_holds_the_complaint_though_an_earlier_ones_days_ran(db):
    case = litigation_case(db, plan=False)
    first, second = DAY - timedelta(days=30), DAY - timedelta(days=3)
    _sent(db, case, first, delivered_on=first + timedelta(days=2))  # its days ran long ago
    _sent(db, case, second)
    (undelivered,) = _doc06(db, case.ref, DAY)
    assert f"the lawyer_letter of {second.isoformat()} gives the borrower 7 days from its delivery" in undelivered


def test_an_earlier_letter_never_recorded_delivered_was_overtaken_by_a_later_one_that_arrived(db):
    case = litigation_case(db, plan=False)
    first, second = DAY - timedelta(days=30), DAY - timedelta(days=12)
    _sent(db, case, first)  # no delivery recorded
    _sent(db, case, second, delivered_on=DAY - timedelta(days=10))  # its days end on DAY - 3
    assert _doc06(db, case.ref, DAY) == []
    deadline = context(db, case.ref, "civil_complaint").timeline.demand_deadline  # type: ignore[attr-defined]
    assert (deadline.sent, deadline.pay_by) == (second, DAY - timedelta(days=3))
