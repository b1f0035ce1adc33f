"""The loan contract's acceleration condition (ESC-12): it is a field of the contract, imported and
shown; entering pre-litigation on the contract (which records the acceleration) is refused before
the condition is met, and a court document claiming on an acceleration recorded too early is too."""

from datetime import date, timedelta
from decimal import Decimal

from service.cases import activity
from service.cases.acceleration_clause import AccelerationBasis, Condition, condition_on
from service.cases.casefile import load_case_file
from service.cases.enums import Stage
from service.cases.schemas import TransitionIn
from service.core.clock import today
from service.core.errors import RuleViolation
from service.core.security import Principal
from service.documents import service as documents_service
from service.documents.format import date_cn
from service.documents.render import render
from tests.conftest import auth
from tests.documents.conftest import TEMPLATES, at, pdf_text
from tests.documents.legal_cases import CLAUSES, DAY, context, litigation_case, texts, us_case
from tests.factories import import_case, schedule

COLLECTOR = Principal("test:collector", "collector")


def _overdue_case(db, days_overdue: int, **contract):  # type: ignore[no-untyped-def]
    """Nothing paid; the first of 12 instalments fell due `days_overdue` days ago (Shanghai)."""
    first = today() - timedelta(days=days_overdue)
    return import_case(db, stage="VISIT_DONE", contract={"clause_refs": {"acceleration": "第八条"}, **contract},
                       schedule=schedule(first_due=first, start=first - timedelta(days=31)), payments=[])


def _to_pre_litigation(db, case) -> list[str]:  # type: ignore[no-untyped-def]
    try:
        activity.transition(db, case, TransitionIn(to=Stage.PRE_LITIGATION, reason="test"), COLLECTOR)
    except RuleViolation as exc:
        return [f"{v.rule}: {v.message}" for v in exc.violations]
    return []


def test_the_condition_is_imported_with_the_contract_and_defaults_to_90_days(db, client, keys):
    default = _overdue_case(db, 10)
    thirty = _overdue_case(db, 10, acceleration_overdue_days=30)
    assert load_case_file(db, default.ref).contract.acceleration_overdue_days == 90
    assert load_case_file(db, thirty.ref).contract.acceleration_overdue_days == 30
    r = client.get(f"/v1/cases/{thirty.ref}", headers=auth(keys["legal_staff"]))
    assert r.json()["contract"]["acceleration_overdue_days"] == 30


def test_pre_litigation_on_the_contract_is_refused_until_an_instalment_is_more_than_90_days_overdue(db):
    case = _overdue_case(db, 60)
    found = _to_pre_litigation(db, case)
    assert [v.split(":")[0] for v in found] == ["ESC-12"], found
    met_from = (today() + timedelta(days=31)).isoformat()
    assert "(第八条) lets the lender accelerate only once an instalment is more than 90 days overdue" in found[0]
    assert f"60 days overdue (met from {met_from} if nothing is paid)" in found[0]
    assert case.stage == "VISIT_DONE" and case.accelerated_on is None  # nothing recorded


def test_pre_litigation_records_the_acceleration_once_the_condition_is_met(db):
    for days, accel_days in ((91, 90), (31, 30)):
        case = _overdue_case(db, days, acceleration_overdue_days=accel_days)
        assert _to_pre_litigation(db, case) == []
        assert case.stage == "PRE_LITIGATION" and case.accelerated_on == today()


def test_the_condition_is_strictly_more_than_the_days():
    """Exactly 90 days overdue is not more than 90 (逾期超过90日); 91 is."""
    on = date(2026, 6, 30)
    assert not _days(90, on, 90).met
    assert _days(90, on, 91).met
    assert _days(90, on, 60).met_from == on + timedelta(days=31)
    assert _days(0, on, 1).met


def _days(days: int, on: date, dpd: int) -> Condition:
    return Condition(basis=AccelerationBasis.DAYS, overdue_days=days, missed_instalments=0, consecutive=False,
                     clause="第八条", on=on, days_past_due=dpd, missed=1, run=1, next_due=(), matured=False)


def test_a_court_document_on_an_acceleration_recorded_before_the_condition_is_refused(db):
    case = litigation_case(db, plan=False)  # 1,100.00 paid of the 1,100.2 due 2025-02-10
    case.accelerated_on = date(2025, 5, 1)  # 80 days overdue: the contract asks for more than 90
    db.flush()
    assert condition_on(load_case_file(db, case.ref), case.accelerated_on).days_past_due == 80
    for kind in ("civil_complaint", "claim_statement"):
        try:
            documents_service.prepare(db, case_ref=case.ref, kind=kind, fmt="pdf", locale=None, as_of=DAY,
                                      now=at(DAY, 10))
        except RuleViolation as exc:
            assert [v.rule for v in exc.violations] == ["ESC-12"], kind
            assert "on 2025-05-01 the oldest unpaid instalment is 80 days overdue" in exc.violations[0].message
        else:
            raise AssertionError(f"{kind} was not refused")


def test_the_complaint_quotes_the_contracts_condition(db, tmp_path):
    case = litigation_case(db, plan=False, contract={"acceleration_overdue_days": 60})  # accelerated 2025-09-10
    _, _, ctx = documents_service.prepare(db, case_ref=case.ref, kind="civil_complaint", fmt="pdf", locale=None,
                                          as_of=DAY, now=at(DAY, 10))
    pdf = render(ctx, "pdf", templates_dir=TEMPLATES)
    (tmp_path / "complaint.pdf").write_bytes(pdf.data)
    flat = "".join(pdf_text(pdf.data, tmp_path).split())
    assert "被告任一期借款逾期超过60日的，原告有权宣布借款提前到期并要求被告立即偿还全部借款本息（合同第八条）" in flat
    met = condition_on(load_case_file(db, case.ref), case.accelerated_on)  # the fact it was met on (CN-00061)
    assert met.oldest_due is not None and met.days_past_due == (case.accelerated_on - met.oldest_due).days > 60
    assert (f"被告第{met.oldest_no}期借款（应还日{date_cn(met.oldest_due)}）至2025年9月10日"
            f"已逾期{met.days_past_due}日，超过60日，依借款合同第八条，"
            "原告已于2025年9月10日宣布全部借款提前到期") in flat
    assert "被告未按约还款的，原告有权宣布" not in flat


def test_the_demand_letter_and_the_us_affidavit_quote_the_condition(db, tmp_path):
    cn = _overdue_case(db, 40, acceleration_overdue_days=60)
    for text in texts(context(db, cn.ref, "demand_letter", day=today()), tmp_path):
        flat = "".join(text.split())
        assert "合同第八条：任一期借款逾期超过60日的，贷款人有权宣布全部借款提前到期" in flat
        assert "您任一期借款逾期超过60日的，" in flat and "您逾期还款的，" not in flat
    us = us_case(db)  # first unpaid installment due 2025-03-03
    us.accelerated_on = DAY - timedelta(days=30)
    db.flush()
    for text in texts(context(db, us.ref, "affidavit_of_debt"), tmp_path):
        assert ("Plaintiff accelerated the loan under Agreement §8, which permits acceleration once an installment "
                "is more than 90 days past due") in " ".join(text.split())


def test_a_matured_loan_is_due_in_full_without_acceleration(db, tmp_path):
    """Imported at PRE_LITIGATION with every instalment past due and no acceleration recorded: the
    documents say the loan matured, not that it is (or would be) accelerated."""
    case = import_case(db, stage="PRE_LITIGATION", contract={"clause_refs": CLAUSES})
    assert case.accelerated_on is None  # 12 instalments, the last due 2026-01-10
    day = date(2026, 12, 1)
    for kind in ("claim_statement", "complaint_elements"):
        for text in texts(context(db, case.ref, kind, day=day), tmp_path):
            flat = "".join(text.split())
            assert "借款已于2026年1月10日全部到期，无需提前到期" in flat, kind
            assert "可宣布提前到期" not in flat and "提前到期后未到期本金全部到期" not in flat, kind
            assert "☑提前还款" not in flat and "2026年12月1日合同第八条" not in flat, kind


def test_pre_litigation_on_a_matured_contract_records_no_acceleration(db):
    """Every instalment had fallen due: entering pre-litigation accelerates nothing, so no
    acceleration date is recorded (the documents say the loan matured, not that it was accelerated)."""
    first = today() - timedelta(days=400)  # 12 monthly instalments: the last fell due ~two months ago
    case = import_case(db, stage="VISIT_DONE", contract={"clause_refs": {"acceleration": "第八条"}},
                       schedule=schedule(first_due=first, start=first - timedelta(days=31)), payments=[])
    cf = load_case_file(db, case.ref)
    assert max(i.due_date for i in cf.instalments) < today()
    assert _to_pre_litigation(db, case) == []
    assert case.stage == "PRE_LITIGATION" and case.accelerated_on is None


def test_the_demand_letter_of_a_matured_loan_says_it_fell_due_in_full(db, tmp_path):
    """A loan whose last instalment has fallen due is due in full: the demand letter says so
    (已全部到期) and does not speak of a right to accelerate it."""
    case = import_case(db, stage="PRE_LITIGATION", contract={"clause_refs": CLAUSES})  # the last due 2026-01-10
    for text in texts(context(db, case.ref, "demand_letter", day=date(2026, 12, 1)), tmp_path):
        flat = "".join(text.split())
        assert "借款最后一期已于2026年1月10日到期，借款已全部到期" in flat
        assert "借款已于2026年1月10日全部到期，全部未还款项均已到期" in flat
        assert "有权宣布" not in flat and "提前到期条款" not in flat



def _missed_case(db, **clause):  # type: ignore[no-untyped-def]
    """12 monthly instalments, the first due 200 days ago (Shanghai), seven due by today: the 1st paid
    on time; the 2nd missed and made up with the 3rd on its due date; the 4th and 5th missed and made
    up with the 6th; the 7th missed. Missed when due: 2, 4, 5 and 7 (four in all, two in a row at most,
    the last run one long)."""
    first = today() - timedelta(days=200)
    rows = schedule(first_due=first, start=first - timedelta(days=31))
    amount = [Decimal(r["principal"]) + Decimal(r["interest"]) for r in rows]
    payments = [(0, amount[0]), (2, amount[1] + amount[2] + 50), (5, amount[3] + amount[4] + amount[5] + 100)]
    return import_case(db, stage="VISIT_DONE", contract={"clause_refs": {"acceleration": "第八条"}, **clause},
                       schedule=rows, payments=[{"value_date": rows[k]["due_date"], "amount": str(paid)}
                                                for k, paid in payments])


def test_a_contract_that_accelerates_on_missed_instalments_counts_them_as_it_says(db):
    """Issue 8: the condition modelled only "more than N days overdue"; contracts also accelerate on
    N missed instalments, in a row (连续) or in all (累计): see _missed_case."""
    consecutive = _missed_case(db, acceleration_basis="instalments", acceleration_missed_instalments=3,
                               acceleration_missed_consecutive=True)
    c = condition_on(load_case_file(db, consecutive.ref), today())
    assert (c.missed, c.run, c.met) == (2, 1, False)
    assert c.met_from == c.next_due[1] + timedelta(days=1)  # two more in a row: the 8th and the 9th
    [found] = _to_pre_litigation(db, consecutive)
    assert found.startswith("ESC-12: the loan contract (第八条) lets the lender accelerate only once 3 consecutive "
                            "instalments are not paid in full when due: by ")
    assert f"at most 2 in a row were (met from {c.met_from.isoformat()} if nothing is paid)" in found
    assert consecutive.accelerated_on is None
    cumulative = _missed_case(db, acceleration_basis="instalments", acceleration_missed_instalments=4)
    c = condition_on(load_case_file(db, cumulative.ref), today())
    assert (c.missed, c.met) == (4, True)
    assert _to_pre_litigation(db, cumulative) == [] and cumulative.accelerated_on == today()


def test_either_condition_lets_the_lender_accelerate(db):
    case = _missed_case(db, acceleration_basis="days_or_instalments", acceleration_overdue_days=3650,
                        acceleration_missed_instalments=2, acceleration_missed_consecutive=True)
    assert condition_on(load_case_file(db, case.ref), today()).met  # 2 in a row, though not 3650 days
    assert _to_pre_litigation(db, case) == []


def test_an_instalment_condition_without_its_number_is_refused_naming_the_field(client, keys):
    from tests.factories import case_payload

    body = case_payload()
    body["contract"] |= {"acceleration_basis": "instalments"}
    r = client.post("/v1/cases", headers=auth(keys["collector"]), json=body)
    assert r.status_code == 422 and "acceleration_missed_instalments" in r.text, r.text


def test_the_documents_quote_the_contracts_instalment_condition(db, tmp_path):
    case = litigation_case(db, plan=False, contract={"acceleration_basis": "instalments",
                                                      "acceleration_missed_instalments": 3,
                                                      "acceleration_missed_consecutive": True})
    assert condition_on(load_case_file(db, case.ref), date(2025, 9, 10)).met  # 8 missed in a row by then
    ctx = context(db, case.ref, "civil_complaint")
    flat = "".join(texts(ctx, tmp_path)[0].split())
    assert "被告连续3期未按期足额还款的，原告有权宣布借款提前到期并要求被告立即偿还全部借款本息（合同第八条）" in flat
    assert "被告已出现连续3期未按期足额还款的情形，依借款合同第八条，原告已于2025年9月10日宣布全部借款提前到期" in flat
    assert "逾期超过90日" not in flat
    us = us_case(db)
    us.accelerated_on = DAY
    c = load_case_file(db, us.ref).contract
    c.acceleration_basis, c.acceleration_missed_instalments, c.acceleration_missed_consecutive = "instalments", 2, False
    db.flush()
    pdf, docx = texts(context(db, us.ref, "affidavit_of_debt"), tmp_path)
    for text in (pdf, docx):
        assert "which permits acceleration once 2 installments in all are not paid in full when due" in " ".join(
            text.split()), text


def test_a_private_lenders_demand_letter_and_contract_scan_use_its_words_and_its_condition(db, tmp_path):
    """民间借贷: the parties are 出借人 / 借款人, the rate on overdue sums is 逾期利率 (罚息 is a bank
    term). The demand letter said "贷款人有权宣布"; the demo contract scan said 逾期罚息利率 and worded
    the acceleration clause as days only whatever the contract's acceleration_basis: it now quotes the
    contract's own condition."""
    from service.demo.evidence import contract_pages

    first = today() - timedelta(days=40)
    contract = {"clause_refs": {"acceleration": "第八条"}, "acceleration_basis": "days_or_instalments",
                "acceleration_overdue_days": 60, "acceleration_missed_instalments": 2,
                "acceleration_missed_consecutive": True}
    found = {}
    for licence in ("non_licensed", "consumer_finance"):
        lender = {"licence_type": licence, "code": licence[:4].upper().replace("_", "")}  # one lender each
        case = import_case(db, stage="VISIT_DONE", contract=contract, lender=lender,
                           schedule=schedule(first_due=first, start=first - timedelta(days=31)), payments=[])
        role = "出借人" if licence == "non_licensed" else "贷款人"
        for text in texts(context(db, case.ref, "demand_letter", day=today()), tmp_path):
            flat = "".join(text.split())
            condition = "任一期借款逾期超过60日或连续2期未按期足额还款的"
            assert f"合同第八条：{condition}，{role}有权宣布全部借款提前到期" in flat
            assert "您任一期借款逾期超过60日或连续2期未按期足额还款的，" in flat  # the body quotes it too
        found[licence] = "".join("".join(lines) for _, lines in contract_pages(load_case_file(db, case.ref)))
        assert (f"借款人任一期借款逾期超过60日或连续2期未按期足额还款的，{role}有权宣布全部借款提前到期（第八条）"
                in found[licence]), found[licence]
    assert "逾期利率：" in found["non_licensed"] and "罚息" not in found["non_licensed"]
    assert "逾期罚息利率：" in found["consumer_finance"]
    us = us_case(db)
    c = load_case_file(db, us.ref).contract
    c.acceleration_basis, c.acceleration_missed_instalments, c.acceleration_missed_consecutive = "instalments", 3, False
    db.flush()
    scan = " ".join(" ".join(lines) for _, lines in contract_pages(load_case_file(db, us.ref)))
    assert "If 3 installments in all are not paid in full when due, Lender may declare" in " ".join(scan.split())


def test_a_private_lenders_repayment_agreement_calls_it_出借人(db, tmp_path):
    case = litigation_case(db, lender={"licence_type": "non_licensed"})
    for text in texts(context(db, case.ref, "repayment_agreement", locale="zh-CN", day=date(2025, 6, 21)), tmp_path):
        flat = "".join(text.split())
        assert "甲方（出借人）：" in flat and "甲方（贷款人）" not in flat
