"""The issue's walk, over HTTP through the web UI on the real database: a case from REMINDER
through phone collection, a planned visit and its notice, the recorded visit, a signed plan and its
breach, to PRE_LITIGATION and a litigation packet downloaded that verifies. Times are the
borrower's local time on days before today, so nothing here depends on when the test runs."""

import re
from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from evidence.verify import verify_bundle
from service.cases.models import Communication, DebtCase, Visit
from service.core.clock import today
from service.core.settings import Settings
from service.jobs.models import Job
from service.packets import service as packet_service
from tests.documents.legal_cases import CLAUSES, firm
from tests.factories import import_case
from tests.packets.test_evidence_api import pdf_bytes
from tests.web.conftest import csrf_of


class Walk:
    def __init__(self, client: TestClient, case: DebtCase) -> None:
        self.client, self.ref = client, case.ref
        self.token = csrf_of(client.get(f"/cases/{case.ref}").text)

    def post(self, what: str, **data: str) -> str:
        answer = self.client.post(f"/cases/{self.ref}/{what}", data={**data, "csrf_token": self.token},
                                  follow_redirects=False)
        assert answer.status_code == 303, (what, re.findall(r'class="violations">(.*?)</ul>', answer.text, re.S))
        return str(answer.headers["location"])

    def move(self, stage: str) -> None:
        self.post("transition", to=stage, reason=f"walk to {stage}")


def test_reminder_to_a_verified_packet(signed_in: Callable[[str], TestClient], db: Session, settings: Settings,
                                       tmp_path) -> None:  # type: ignore[no-untyped-def]
    case = import_case(db, contract={
        "clause_refs": CLAUSES, "jurisdiction_clause": "由贷款人住所地人民法院管辖", "service_phone": "13800138000",
        "e_service_consent": True, "disbursement_ref": "TRX0001", "product_name": "个人消费贷款"},
        lender={"uscc": "91310000MA1FL5XK29", "credit_system": "pboc", "legal_rep_title": "董事长",
                "payment_account": {"bank": "工商银行", "account_name": "测试消费金融有限公司", "account_no": "1001",
                                    "bank_en": "ICBC", "account_name_en": "Ceshi Consumer Finance Co., Ltd."}})
    walk = Walk(signed_in("legal_staff"), case)
    on = today()
    walk.post("documents", kind="credit_report_prenotice", format="pdf")
    walk.move("PHONE")
    for n in (3, 4, 5):
        day = (on - timedelta(days=n)).isoformat()
        walk.post("communications", channel="call", to_address="13800138000", outcome="no_answer",
                  sent_at=f"{day}T10:00")
    walk.move("VISIT_PLANNED")
    staff = {"staff1_name": "王强", "staff1_badge": "A-001", "staff2_name": "李明", "staff2_badge": "A-002",
             "organisation": "测试催收服务有限公司"}
    ahead = (on + timedelta(days=3)).isoformat()  # the notice goes out now, at least 24 h before
    walk.post("visits", purpose="上门拜访，了解近况", address="北京市朝阳区建国路88号",
              window_start=f"{ahead}T14:00", window_end=f"{ahead}T16:00", **staff)
    walk.post("documents", kind="visit_notice", format="pdf")
    # CN-09: the notice counts once the log shows it delivered, not when it is generated (review diff F5)
    notice = db.scalars(select(Communication).where(Communication.case_id == case.id,
                                                    Communication.template_kind == "visit_notice")).one()
    walk.post(f"communications/{notice.id}/delivered")
    walk.move("VISIT_NOTIFIED")
    # Four days pass: the planned visit, and the notice before it, are now in the past.
    planned = db.scalars(select(Visit).where(Visit.case_id == case.id)).one()
    for field in ("window_start", "window_end", "notice_sent_at"):
        setattr(planned, field, getattr(planned, field) - timedelta(days=4))
    db.flush()
    window = (on - timedelta(days=1)).isoformat()
    walk.post("visits", purpose="上门拜访，了解近况", address="北京市朝阳区建国路88号",
              window_start=f"{window}T14:00", window_end=f"{window}T16:00", started_at=f"{window}T14:10",
              notice_sent_at=f"{(on - timedelta(days=2)).isoformat()}T10:00", consent_to_enter="yes",
              outcome="negotiating", signature="signed", recording_refs="REC-2026-0001",
              debtor_statement="借款人表示近期收入减少，愿意分期还款", **staff)
    walk.move("VISIT_DONE")
    walk.move("NEGOTIATING")
    signed = on - timedelta(days=60)
    walk.post("plans/save", plan_type="instalments", as_of=signed.isoformat(), count="3",
              first_due=(signed + timedelta(days=10)).isoformat(), waived_amount="0", signed_date=signed.isoformat(),
              signed_place="北京", service_address="北京市朝阳区建国路88号")
    walk.move("PLAN_ACTIVE")
    walk.move("PLAN_BREACHED")
    walk.post("documents", kind="breach_notice", format="pdf")
    walk.move("PRE_LITIGATION")

    for category, title in (("loan_contract", "借款合同"), ("disbursement", "放款凭证"),
                            ("signed_agreement", "还款协议签署件"), ("business_licence", "营业执照"),
                            ("lender_licence", "金融许可证"), ("law_firm_letter", "律师事务所函"),
                            ("lawyer_licence", "律师执业证"),  # and the parties' standing documents (R-11)
                            ("signed_visit_record", "上门走访记录签署件")):  # the visit record signed on site
        answer = walk.client.post(f"/cases/{case.ref}/evidence", files={"file": (f"{category}.pdf", pdf_bytes(),
                                                                                "application/pdf")},
                                  data={"title": title, "category": category, "form": "documentary", "source": "出借人",
                                        "purpose": "证明借贷关系", "original_available": "true",
                                        "csrf_token": walk.token}, follow_redirects=False)
        assert answer.status_code == 303, answer.text
    no_token = walk.client.post(f"/cases/{case.ref}/evidence",
                                files={"file": ("x.pdf", pdf_bytes(), "application/pdf")},
                                data={"title": "x", "category": "other", "form": "documentary", "source": "x",
                                      "purpose": "x"})
    assert no_token.status_code == 403
    firm(db, "ZHLAW")  # a firm with its address, lawyer and phones, as the power of attorney needs
    walk.post("assignment", law_firm="ZHLAW")
    built = walk.client.post(f"/cases/{case.ref}/packets", headers={"X-CSRF-Token": walk.token, "HX-Request": "true"})
    assert built.status_code == 200, built.text
    job_id = re.search(r'hx-get="/jobs/(job_\w+)/progress"', built.text)
    assert job_id
    job = db.get(Job, job_id.group(1))
    assert job is not None
    # What the worker does with the job (the executor runs it in another process).
    job.result, job.status = packet_service.run_packet_job(db, settings, job, lambda done, total: None), "done"
    db.flush()
    progress = walk.client.get(f"/jobs/{job.id}/progress").text
    assert f"/jobs/{job.id}/bundle" in progress
    bundle = walk.client.get(f"/jobs/{job.id}/bundle")
    assert bundle.status_code == 200
    (tmp_path / "packet.zip").write_bytes(bundle.content)
    assert verify_bundle(tmp_path / "packet.zip", expected_sha256=bundle.headers["x-content-sha256"]) == []
    assert db.scalar(select(DebtCase.stage).where(DebtCase.id == case.id)) == "PRE_LITIGATION"
