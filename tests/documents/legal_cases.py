"""Case builders for the contract and court-document tests: a CN case taken all the way to
litigation (demands, a recorded visit, a signed plan, its breach, acceleration, a law firm) and
a US one, on the real test database."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from service.cases import accounts, activity
from service.cases.casefile import load_case_file
from service.cases.models import BreachEvent, Communication, DebtCase, LawFirm
from service.cases.schemas import PlanIn, VisitIn
from service.core.settings import get_settings
from service.documents.contexts.common import DocMeta, DocumentContext
from service.documents.contexts.facts import CaseFacts
from service.documents.docx import docx_text
from service.documents.registry import get_kind
from service.documents.render import render
from service.packets.build import planner_for
from tests.documents.conftest import TEMPLATES, at, pdf_text
from tests.factories import import_case, schedule

DAY = date(2025, 12, 1)  # the litigation as-of date
PLAN_SIGNED = date(2025, 6, 20)
CLAUSES = {"rate": "第四条", "day_count": "第四条第二款", "penalty": "第七条第一款", "compound": "第七条第二款",
           "acceleration": "第八条", "service_address": "第十二条", "jurisdiction": "第十三条"}


def firm(db: Session, code: str = "ZHLAW") -> LawFirm:
    existing = db.query(LawFirm).filter_by(code=code).one_or_none()
    if existing is not None:
        return existing
    found = LawFirm(code=code, name="北京正衡律师事务所", licence_no="31110000E00012345E",
                    address="北京市朝阳区建国门外大街1号国贸大厦A座20层", phone="010-6505-1200", lead_lawyer="孙立新",
                    lead_lawyer_licence="11101201510123456", lead_lawyer_phone="13901012345")
    db.add(found)
    db.flush()
    return found


def _comm(db: Session, case: DebtCase, day: date, channel: str, outcome: str, kind: str = "") -> None:
    sent = at(day, 10)
    db.add(Communication(case_id=case.id, channel=channel, direction="out", party_kind="borrower",
                         to_address="13800138000" if channel != "letter" else "北京市朝阳区建国路88号", sent_at=sent,
                         local_time=sent.astimezone(ZoneInfo("Asia/Shanghai")).isoformat(), outcome=outcome,
                         template_kind=kind, content_hash="ab" * 32 if kind else ""))


def _visit(db: Session, case: DebtCase, day: date, *, recorded: bool = True) -> None:
    start = at(day, 14)
    fields: dict[str, Any] = dict(
        purpose="了解逾期原因，协商还款", address="北京市朝阳区建国路88号", window_start=start,
        window_end=start + timedelta(hours=2), notice_sent_at=start - timedelta(days=3),
        staff=[{"name": "王建国", "badge_no": "HX-0231"}, {"name": "李明辉", "badge_no": "HX-0417"}])
    if recorded:
        fields |= dict(started_at=start + timedelta(minutes=20), ended_at=start + timedelta(minutes=65),
                       consent_to_enter=True, persons_present="借款人本人", documents_shown=["借款合同", "还款计划表"],
                       explanations="告知逾期的法律后果", debtor_statement="失业，收入中断", proposal="分6期偿还",
                       outcome="negotiating", signature="signed", recording_refs=["REC-0001"])
    activity.record_visit(db, case, VisitIn.model_validate(fields), actor="test")


def litigation_case(db: Session, *, plan_type: str = "partial_waiver", with_firm: bool = True, plan: bool = True,
                    **over: Any) -> DebtCase:
    """Signed 2025-01-10, 12 × 1,100.2 from 2025-02-10; one instalment paid; demands; a visit;
    a plan signed 2025-06-20 whose 2nd instalment is missed; accelerated 2025-09-10. Without a
    plan: the contract accelerated on 2025-09-10."""
    contract = {"clause_refs": CLAUSES, "jurisdiction_clause": "由贷款人住所地人民法院管辖", "channel": "online",
                "compound_allowed": True, "service_phone": "13800138000", "e_service_consent": True,
                "disbursement_ref": "TRX0001", "product_name": "个人消费贷款", **over.pop("contract", {})}
    lender = {"uscc": "91310000MA1FL5XK29", "credit_system": "pboc", "legal_rep_title": "董事长",
              "legal_phone": "021-6000-1299",
              "payment_account": {"bank": "工商银行", "account_name": "测试消费金融有限公司", "account_no": "1001",
                                  "bank_en": "ICBC", "account_name_en": "Ceshi Consumer Finance Co., Ltd."},
              **over.pop("lender", {})}
    case = import_case(db, stage="PRE_LITIGATION", contract=contract, lender=lender, **over)
    for day, channel, outcome, kind in ((date(2025, 3, 11), "sms", "delivered", "overdue_reminder"),
                                        (date(2025, 3, 25), "call", "answered", ""),
                                        (date(2025, 4, 2), "letter", "delivered", "demand_letter")):
        _comm(db, case, day, channel, outcome, kind)
    _visit(db, case, date(2025, 6, 10))
    if not plan:
        case.accelerated_on = date(2025, 9, 10)
        case.law_firm_id = firm(db).id if with_firm else None
        db.flush()
        return case
    ledger = accounts.ledger_of(load_case_file(db, case.ref), PLAN_SIGNED)
    waived = ledger.penalty + ledger.compound if plan_type == "partial_waiver" else Decimal("0.00")
    total = ledger.total_outstanding - waived
    share = (total / 6).quantize(Decimal("0.01"))
    amounts = [share] * 5 + [total - share * 5]
    agreement = activity.create_plan(db, case, PlanIn.model_validate({
        "plan_type": plan_type, "as_of": PLAN_SIGNED, "waived_amount": waived, "signed_date": PLAN_SIGNED,
        "signed_place": "北京市朝阳区", "service_address": "北京市朝阳区建国路88号", "e_service_consent": True,
        "instalments": [{"no": k + 1, "due_date": PLAN_SIGNED + timedelta(days=30 * (k + 1)), "amount": a}
                        for k, a in enumerate(amounts)]}), actor="test")
    first = agreement.instalments[0]
    from service.cases.schemas import PaymentIn

    activity.add_payment(db, case, PaymentIn(value_date=first.due_date, amount=first.amount, channel="bank_transfer",
                                             external_ref="P-PLAN-1"), actor="test")
    missed = agreement.instalments[1]
    db.add(BreachEvent(plan_id=agreement.id, case_id=case.id, instalment_no=2, due_date=missed.due_date,
                       missed_amount=missed.amount, detected_on=missed.due_date + timedelta(days=6),
                       cure_deadline=missed.due_date + timedelta(days=20)))
    _comm(db, case, missed.due_date + timedelta(days=6), "letter", "delivered", "breach_notice")
    agreement.status = "breached"
    case.accelerated_on = missed.due_date + timedelta(days=21)
    if with_firm:
        case.law_firm_id = firm(db).id
    db.flush()
    return case


# the licences the test lender holds, one in each state whose case the tests move it to (in_state):
# California's complaint alleges its CFL licence (US-15 table, "plaintiff_licence")
US_LICENCES = [{"state": "CA", "kind": "cfl", "number": "60DBO-112233"},
               {"state": "IL", "kind": "consumer_installment_lender", "number": "CI.0004521"},
               {"state": "NY", "kind": "licensed_lender", "number": "LL 10452"},
               {"state": "TX", "kind": "regulated_lender", "number": "1300012345"}]


def us_case(db: Session, *, rate: str = "0.1899", penalty_rate: str | None = None) -> DebtCase:
    """An Illinois case at `rate` a year, and at `penalty_rate` (else the same) after default."""
    rows = schedule(principal="6000.00", rate=rate, periods=24, first_due=date(2024, 7, 3),
                    start=date(2024, 6, 3))
    return import_case(
        db, profile="US", stage="PRE_LITIGATION", us_state="IL",
        lender={"code": "LKCC", "name": "Lakeside Consumer Credit, LLC", "name_en": "Lakeside Consumer Credit, LLC",
                "licence_type": "other_licensed", "hotline": "1-800-555-0142", "legal_rep": "Margaret Ellis",
                "legal_rep_title": "President", "address": "200 West Adams Street, Chicago, IL 60606",
                "nmls_id": "1234567", "licences": US_LICENCES},
        borrower={"name": "James Miller", "gender": "male", "id_type": "us_ssn", "id_number": "123-45-6789",
                  "birth_date": "1986-04-02", "phones": [{"number": "3125550178"}],
                  "habitual_address": "1452 N Damen Ave, Chicago, IL 60622", "timezone": "America/Chicago",
                  "language": "en-US"},
        contacts=[],
        contract={"contract_no": "LKCC-2024-004512", "currency": "USD", "signed_date": "2024-06-03",
                  "principal_agreed": "6000.00", "disbursed_amount": "6000.00", "disbursed_date": "2024-06-03",
                  "nominal_rate": rate, "penalty_rate": penalty_rate or rate, "day_basis": 365,
                  "clause_refs": {"rate": "§3", "default": "§7", "acceleration": "§8"},
                  "jurisdiction_clause": "Circuit Court of Cook County, Illinois"},
        schedule=rows, payments=[{"value_date": r["due_date"], "amount": str(Decimal(r["principal"]) +
                                                                              Decimal(r["interest"]))}
                                 for r in rows[:8]])


def facts_for(db: Session, ref: str, day: date = DAY) -> CaseFacts:
    return CaseFacts(load_case_file(db, ref), day, at(day, 10))


def context(db: Session, ref: str, kind: str, locale: str | None = None, day: date = DAY,
            **extra: Any) -> DocumentContext:
    facts = facts_for(db, ref, day)
    k = get_kind(kind)
    profile = facts.cf.case.profile
    doc = DocMeta(kind=kind, profile=profile, locale=locale or k.default_locale(profile), audience=k.audience,
                  as_of=day, case_ref=ref, state=facts.cf.case.us_state)
    if (k.planned or k.plan_if_any) and not extra:  # on its own, a planned kind lists the case's packet plan
        extra = {"plan": planner_for(get_settings())(db)(facts.cf)}
    return k.context_class().build(facts, doc, **extra)


def texts(ctx: DocumentContext, tmp: Any) -> tuple[str, str]:
    """(PDF text, DOCX text) of a context rendered both ways (each render checks required elements)."""
    pdf = render(ctx, "pdf", templates_dir=TEMPLATES)
    docx = render(ctx, "docx", templates_dir=TEMPLATES)
    return pdf_text(pdf.data, tmp), docx_text(docx.data)


def moment(day: date, hour: int = 10) -> datetime:
    return at(day, hour)
