"""Small factory functions that build valid data; tests override what they care about."""

from copy import deepcopy
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from service.cases import accounts, activity
from service.cases import service as case_service
from service.cases.casefile import load_case_file
from service.cases.models import DebtCase, RepaymentPlan
from service.cases.schedule import add_months, build_schedule, split_evenly
from service.cases.schemas import CaseImport, PaymentIn, PlanIn, PlanInstalmentIn

_counter = {"n": 0}


def lender(**over: Any) -> dict[str, Any]:
    return {"code": "TLND", "name": "测试消费金融有限公司", "licence_type": "consumer_finance",
            "hotline": "400-000-1234", "address": "上海市徐汇区漕溪北路1号", "legal_rep": "王测试",
            **over}


def borrower(**over: Any) -> dict[str, Any]:
    return {"name": "张伟", "gender": "男", "id_type": "cn_resident_id", "id_number": "11010519491231002X",
            "phones": [{"number": "13800138000"}], "habitual_address": "北京市朝阳区建国路88号",
            "timezone": "Asia/Shanghai", **over}


def schedule(principal: str = "12000.00", rate: str = "0.18", periods: int = 12,
             first_due: date = date(2025, 2, 10), start: date = date(2025, 1, 10),
             method: str = "equal_instalment") -> list[dict[str, Any]]:
    rows = build_schedule(principal=Decimal(principal), annual_rate=Decimal(rate), periods=periods,
                          first_due_date=first_due, method=method, start_date=start)
    return [{"no": r.no, "due_date": r.due_date.isoformat(), "principal": str(r.principal),
             "interest": str(r.interest)} for r in rows]


def case_payload(**over: Any) -> dict[str, Any]:
    _counter["n"] += 1
    n = _counter["n"]
    payload: dict[str, Any] = {
        "profile": "CN", "stage": "REMINDER",
        "lender": lender(credit_system="pboc" if over.get("profile", "CN") == "CN" else ""), "borrower": borrower(),
        "contacts": [{"name": "李娜", "relation": "配偶", "phone": "13900139000"}],
        "contract": {"contract_no": f"TLND-2025-{n:06d}", "signed_date": "2025-01-10",
                     "principal_agreed": "12000.00", "disbursed_amount": "12000.00",
                     "disbursed_date": "2025-01-10", "nominal_rate": "0.18", "penalty_rate": "0.27",
                     "repayment_method": "equal_instalment", "agreed_service_address": "北京市朝阳区建国路88号"},
        "schedule": schedule(),
        "payments": [{"value_date": "2025-02-10", "amount": "1100.00"}],
    }
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(payload.get(key), dict):
            payload[key] = {**payload[key], **value}
        else:
            payload[key] = value
    return deepcopy(payload)


def import_case(db: Session, **over: Any) -> DebtCase:
    return case_service.import_case(db, CaseImport.model_validate(case_payload(**over)), actor="test")


# The demo world in tests: one fixed anchor, and a clock on that day, so a test seeded today gives the
# same cases as one seeded next year.
DEMO_ANCHOR = date(2026, 11, 27)


def demo_clock(anchor: date = DEMO_ANCHOR, hour: int = 11, tz: str = "Asia/Shanghai") -> datetime:
    """`hour` o'clock on the anchor day in `tz`, as an aware UTC datetime (inside contact hours)."""
    return datetime.combine(anchor, time(hour, 0), tzinfo=ZoneInfo(tz)).astimezone(UTC)


def signed_plan(db: Session, case: DebtCase, *, signed: date, count: int, plan_type: str = "instalments",
                paid: tuple[tuple[date, str], ...] = ()) -> RepaymentPlan:
    """A repayment plan signed on `signed` over the whole debt then owed, in `count` monthly
    instalments (the last takes the cents the split leaves), and the payments `paid` made under it
    ((value date, amount): the plan applies them to its instalments oldest first)."""
    cf = load_case_file(db, case.ref)
    owed = accounts.ledger_of(cf, signed).total_outstanding
    amounts = split_evenly(owed, count)
    plan = activity.create_plan(db, case, PlanIn(
        plan_type=plan_type, as_of=signed, signed_date=signed, signed_place=cf.borrower.habitual_address,
        instalments=[PlanInstalmentIn(no=k + 1, due_date=add_months(signed, k + 1), amount=a)
                     for k, a in enumerate(amounts)]), actor="test")
    for day, amount in paid:
        activity.add_payment(db, case, PaymentIn(value_date=day, amount=Decimal(amount), channel="bank_transfer"),
                             actor="test")
    return plan
