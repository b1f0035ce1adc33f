"""The lender's litigation contact e-mail (migration 0023, review C12-6): a court serves the lender
electronically at its legal contact, or at its counsel's when it is represented, never at the
customer mailbox borrowers write to (民诉法 art. 90; 送达地址确认书)."""

from sqlalchemy import select

from service.cases.casefile import load_case_file
from service.cases.enums import Stage
from service.cases.models import DebtCase
from service.demo.data import LENDERS, RXTZ_TWIN, US_COLLECTOR, US_LENDER
from tests.documents.conftest import squash
from tests.documents.legal_cases import context, firm, litigation_case, texts

CUSTOMER, LEGAL = "kefu@ceshi.example.cn", "susong@ceshi.example.cn"


def test_an_unrepresented_lender_is_served_at_its_legal_contact_not_its_customer_mailbox(db, tmp_path):
    case = litigation_case(db, with_firm=False, lender={"code": "LGLM", "email": CUSTOMER, "legal_email": LEGAL})
    assert load_case_file(db, case.ref).lender.legal_email == LEGAL
    ctx = context(db, case.ref, "service_address_confirmation")
    assert ctx.counsel is None and ctx.email == LEGAL  # type: ignore[attr-defined]
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        assert f"☑电子邮件：{LEGAL}" in flat and CUSTOMER not in flat, flat


def test_a_lender_without_a_legal_contact_ticks_no_e_mail_channel(db, tmp_path):
    case = litigation_case(db, with_firm=False, lender={"code": "LGLN", "email": CUSTOMER})
    ctx = context(db, case.ref, "service_address_confirmation")
    assert ctx.email == ""  # type: ignore[attr-defined]
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        assert "☐电子邮件：无" in flat and CUSTOMER not in flat, flat


def test_a_represented_lender_is_served_at_its_counsels_e_mail_else_its_legal_contact(db, tmp_path):
    case = litigation_case(db, lender={"code": "LGLR", "email": CUSTOMER, "legal_email": LEGAL})
    ctx = context(db, case.ref, "service_address_confirmation")
    assert ctx.counsel is not None and not ctx.counsel.lawyer_email  # type: ignore[attr-defined]
    assert ctx.email == LEGAL  # type: ignore[attr-defined]
    firm(db).lead_lawyer_email = "sunlixin@zhenghenglaw.example.cn"
    db.flush()
    ctx = context(db, case.ref, "service_address_confirmation")
    assert ctx.email == "sunlixin@zhenghenglaw.example.cn"  # type: ignore[attr-defined]
    flat = squash(texts(ctx, tmp_path)[0])
    assert "☑电子邮件：sunlixin@zhenghenglaw.example.cn" in flat and CUSTOMER not in flat, flat


def test_every_demo_lender_has_a_legal_contact_other_than_its_customer_mailbox(db):
    for lender in (*LENDERS, RXTZ_TWIN, US_LENDER, US_COLLECTOR):
        assert lender["legal_email"] and lender["legal_email"] != lender["email"], lender["code"]


def test_demo_court_documents_serve_the_lender_at_its_legal_contact(db, settings):
    from tests.factories import DEMO_ANCHOR
    from tests.seeded import seed_demo

    seed_demo(db, anchor=DEMO_ANCHOR, cases=15, settings=settings)
    ref = db.scalars(select(DebtCase.ref).where(DebtCase.profile == "CN", DebtCase.stage == Stage.PRE_LITIGATION)
                     .order_by(DebtCase.ref)).first()
    assert ref is not None
    ctx = context(db, ref, "service_address_confirmation", day=DEMO_ANCHOR)
    lender = load_case_file(db, ref).lender
    assert ctx.email and ctx.email != lender.email, (ctx.email, lender.email)  # type: ignore[attr-defined]
    counsel = ctx.counsel  # type: ignore[attr-defined]
    assert ctx.email in {lender.legal_email, counsel.lawyer_email if counsel else ""}  # type: ignore[attr-defined]


HOTLINE = "400-000-1234"  # tests.factories.lender's customer hotline


def test_an_unrepresented_lender_gives_the_court_its_legal_phone_never_the_hotline(db, tmp_path):
    """Issue 8: the confirmation gave the customer hotline as the lender's phone and e-service number."""
    case = litigation_case(db, with_firm=False, lender={"code": "LGLP", "legal_email": LEGAL,
                                                         "legal_phone": "021-5012-3480"})
    ctx = context(db, case.ref, "service_address_confirmation")
    assert ctx.phone == "021-5012-3480"  # type: ignore[attr-defined]
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        assert "收件人手机号码021-5012-3480" in flat and "☑手机号码：021-5012-3480" in flat, flat
        assert HOTLINE not in flat, flat


def test_an_unrepresented_lender_without_a_legal_phone_is_refused_naming_it(db):
    from service.core.errors import RuleViolation

    case = litigation_case(db, with_firm=False, lender={"code": "LGLQ", "legal_email": LEGAL, "legal_phone": ""})
    try:
        context(db, case.ref, "service_address_confirmation")
    except RuleViolation as exc:
        found = [f"{v.rule}: {v.message}" for v in exc.violations]
    else:
        raise AssertionError("the confirmation was not refused")
    assert found == ["CN-23: no recipient phone number for the service address: lender LGLQ is not represented "
                     "and records no legal contact phone (legal_phone); the customer hotline is not given to the court"]
    for lender in (*LENDERS, RXTZ_TWIN, US_LENDER, US_COLLECTOR):  # the demo's lenders all record one
        assert lender["legal_phone"] and lender["legal_phone"] != lender["hotline"], lender["code"]
