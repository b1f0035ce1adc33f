"""Upload demo evidence for cases heading to court (and the contract scan a visit kit shows), through
the same validation as the API."""

import io
import textwrap
from datetime import date, datetime, timedelta
from random import Random
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from service.cases.casefile import CaseFile, load_case_file
from service.cases.enums import Channel, Direction, LoanChannel, Outcome, PartyKind, Stage
from service.cases.masking import Redaction, filing_redaction
from service.cases.models import Communication, DebtCase
from service.cases.rules import load_ruleset
from service.core.settings import Settings
from service.demo import history, standing
from service.demo.clauses import acceleration_condition, lender_term, overdue_rate_term
from service.demo.clauses import in_scan as section
from service.demo.scans import Ink, call_recording, scanned_pdf, signed_scan, visit_photo
from service.documents import service as documents_service
from service.packets import evidence_service
from service.packets.models import EvidenceItem
from service.packets.schemas import Form

ACTOR = "demo-seed"
COURT_STAGES = {Stage.PRE_LITIGATION, Stage.FILED, Stage.JUDGMENT, Stage.ENFORCEMENT}


def _upload(session: Session, settings: Settings, at: datetime, case: DebtCase, data: bytes, name: str,
            **meta: object) -> EvidenceItem:
    return evidence_service.receive(session, settings, case, stream=io.BytesIO(data), filename=name, actor=ACTOR,
                                    at=at, **meta)  # type: ignore[arg-type]


def _redaction(cf: CaseFile, category: str) -> Redaction | None:
    """The forum's redaction of an upload of `category`, where its filings show the account number
    by its last digits only and its rule names the category (Tex. R. Civ. P. 21c); else None."""
    redaction = filing_redaction(load_ruleset(cf.case.profile), cf.case.us_state)
    return redaction if redaction is not None and category in redaction.uploads else None


def _same_draws(rng: Random) -> Random:
    """A generator at `rng`'s state: a redacted copy is the same scan (the same skew, the same
    strokes), and the case's other draws stay as they were."""
    again = Random()
    again.setstate(rng.getstate())
    return again


def _upload_redacted(session: Session, settings: Settings, at: datetime, cf: CaseFile, original: EvidenceItem,
                     data: bytes, redaction: Redaction) -> None:
    """The redacted copy of an upload, naming it (evidence_item.redaction_of): what the filing files."""
    _upload(session, settings, at, cf.case, data, f"redacted-{original.filename}", title=f"{original.title} (redacted)",
            category=original.category, form=original.form, source=original.source,
            original_available=original.original_available,
            purpose=f"{original.purpose} (the account number shown by its last {redaction.keep_tail} digits, "
                    f"{redaction.citation})", redaction_of=original.id)


def upload_demo_evidence(session: Session, settings: Settings, rng: Random, case: DebtCase, *, anchor: date) -> None:
    """The case's records, on file on the anchor day at history.RECORDS_ON_FILE the borrower's time: a
    fixed moment (the seed is deterministic), before the custodian's review of them (history.REVIEWED,
    US-12; reader US-00010: uploaded at the seeding's real time, after the review recorded at 9:30)."""
    if Stage(case.stage) is Stage.VISIT_NOTIFIED:  # the visit kit shows the borrower the contract as signed
        cf = load_case_file(session, case.ref)
        _contract(session, settings, _on_file(cf, anchor), rng, cf)
        return
    if Stage(case.stage) not in COURT_STAGES:
        return
    cf = load_case_file(session, case.ref)
    at = _on_file(cf, anchor)
    _contract(session, settings, at, rng, cf)
    _disbursement(session, settings, at, rng, cf)
    tz = ZoneInfo(cf.borrower.timezone or "Asia/Shanghai")
    for visit, started in ((v, v.started_at) for v in cf.visits if v.started_at is not None):
        ended = visit.ended_at or started
        # one on arriving, one before leaving: a camera stamps the local time of the place, as the visit
        # record states it, and the whole address (its 25 or so characters fit the stamp's line; cut at
        # 18 it read "…华府名苑"); the title names the moment too, so the evidence index can tell each
        # photo's page by it (reader CN-00012: the index named no photo)
        for k, taken in enumerate((started.astimezone(tz), max(started, ended - timedelta(minutes=2)).astimezone(tz))):
            photo = visit_photo(rng, visit.address, taken)
            title = f"走访现场照片{k + 1}（{taken.year}年{taken.month}月{taken.day}日{taken:%H:%M}拍摄）"
            _upload(session, settings, at, case, photo, f"visit-{visit.id}-{k + 1}.jpg", title=title,
                    category="visit_photo", form=Form.AUDIOVISUAL, source="外访人员拍摄", original_available=True,
                    purpose="证明走访时间、地点及现场情况")
    _signed_visit_records(session, settings, at, cf)
    if (plan := cf.current_plan) is not None:
        us = case.profile == "US"
        scan, redacted = _signed_agreement(settings, rng, cf, plan)
        signed = _upload(session, settings, at, case, scan, f"{plan.agreement_no}.pdf",
                         title="Signed repayment agreement" if us else "还款协议签署件", category="signed_agreement",
                         form=Form.DOCUMENTARY, source="Plaintiff's records" if us else "原告自存",
                         original_available=True,
                         purpose="Shows Defendant acknowledged the debt and agreed to pay in installments" if us
                         else "证明被告确认债务并约定分期还款")
        if redacted is not None and (redaction := _redaction(cf, "signed_agreement")) is not None:
            _upload_redacted(session, settings, at, cf, signed, redacted, redaction)
    rng.choice([330.0, 440.0])  # the draw the recording once took: the standing documents' draws stay as they were
    _recording(session, settings, at, cf)
    if case.profile == "US":
        return
    _visit_recordings(session, settings, at, cf)  # drawn from each visit's reference: no draw of `rng`
    standing.upload(session, settings, rng, cf, at=at)  # drawn last: the draws above stay as they were


def _on_file(cf: CaseFile, anchor: date) -> datetime:
    hour, minute = history.RECORDS_ON_FILE
    return history.at_local(anchor, hour, minute, cf.borrower.timezone or load_ruleset(cf.case.profile).timezone)


def recorded_call(cf: CaseFile) -> Communication | None:
    """The call the demo's recording is of: the case's first conversation with the borrower on the
    telephone (answered, else a promise made on it)."""
    calls = [c for c in cf.communications if c.channel == Channel.CALL and c.direction == Direction.OUT
             and c.party_kind == PartyKind.BORROWER and c.outcome in (Outcome.ANSWERED, Outcome.PROMISE)]
    calls.sort(key=lambda c: (c.outcome != Outcome.ANSWERED, c.sent_at, c.id))
    return calls[0] if calls else None


def _recording(session: Session, settings: Settings, at: datetime, cf: CaseFile) -> None:
    """The call centre's recording of the case's answered call: its own bytes (scans.call_recording
    draws them from the call's reference), filed under the reference the contact history records
    for that call (communication.recording_ref), so the exhibit names the call it records."""
    call = recorded_call(cf)
    if call is None:
        return
    tz = ZoneInfo(cf.borrower.timezone or "Asia/Shanghai")
    call.recording_ref = f"REC-{cf.case.ref}-{call.sent_at.astimezone(tz):%Y%m%d-%H%M}"
    session.flush()
    data, name = call_recording(call.recording_ref), f"{call.recording_ref}.wav"
    if cf.case.profile == "US":
        _upload(session, settings, at, cf.case, data, name, title="Recorded collection call",
                category="call_recording", form=Form.AUDIOVISUAL, source="Plaintiff's call-center recording system",
                original_available=True, purpose="Shows the demand for payment and Defendant's statements on the debt")
        return
    _upload(session, settings, at, cf.case, data, name, title="催收通话录音",
            category="call_recording", form=Form.AUDIOVISUAL, source="原告呼叫中心录音系统", original_available=True,
            purpose="证明原告电话催告及被告对欠款的陈述")


def _visit_recordings(session: Session, settings: Settings, at: datetime, cf: CaseFile) -> None:
    """Each made visit's recording (the visit record states 全程录音录像 and prints its 录音录像编号),
    filed under that reference (visit.recording_refs), so the exhibit names the visit it records
    and the index lists what the record cites (reader, CN-00044: REC-CN-00044-20260501-01 was in the
    signed record and nowhere in the index). Its bytes are drawn from the reference, as a call's are."""
    for visit in (v for v in cf.visits if v.started_at is not None):
        for ref in (str(r) for r in visit.recording_refs):
            _upload(session, settings, at, cf.case, call_recording(ref), f"{ref}.wav", title="上门走访录音",
                    category="visit_recording", form=Form.AUDIOVISUAL, source="原告外访人员", original_available=True,
                    purpose="证明原告工作人员上门走访的经过、告知的法律后果及被告的陈述")


def _wrap(lines: list[str], width: int) -> list[str]:
    """Scan lines no wider than the page: CJK text by characters, English by words."""
    out: list[str] = []
    for line in lines:
        if line.isascii():  # a clause reference stays whole: "(section 12)", not "(section" over "12)"
            kept = textwrap.wrap(line.replace("section ", "section\0"), width * 2) or [""]
            out += [part.replace("\0", " ") for part in kept]
        else:
            cut = [line[i:i + width] for i in range(0, len(line), width)] or [""]
            if len(cut) > 1 and len(cut[-1]) == 1 and cut[-1] in "）)":  # no line of a lone "）"
                cut[-2:] = [cut[-2][:-1], cut[-2][-1] + cut[-1]]
            out += cut
    return out


def _last(cf: CaseFile, digits: str) -> str:
    """A personal identifier or account number as a US filing in the case's forum shows it: its last
    digits, as many as the forum's redaction rule keeps (US-13's four, Tex. R. Civ. P. 21c's three),
    the number the affidavit and the agreement print (filing_redaction: one rule for both)."""
    redaction = filing_redaction(load_ruleset(cf.case.profile), cf.case.us_state)
    keep = redaction.keep_tail if redaction is not None else 4
    bare = "".join(ch for ch in digits if ch.isdigit())
    return f"ending in {bare[-keep:]}" if bare else "not stated"


def _signed_agreement(settings: Settings, rng: Random, cf: CaseFile, plan: Any) -> tuple[bytes, bytes | None]:
    """The signed repayment agreement as scanned: the agreement the system renders for the recorded
    plan (its template and context, as of the signing day), printed, signed and scanned. Never a
    retelling of its clauses, so the exhibit says what the agreement says (review C12-1). Where the
    forum's filings mask the account number (Tex. R. Civ. P. 21c), also the same scan masked."""
    rendered = documents_service.signed_agreement(cf, plan, templates_dir=settings.templates_dir)
    redaction, again, number = _redaction(cf, "signed_agreement"), _same_draws(rng), cf.contract.contract_no
    scan = signed_scan(rng, rendered.data, _inks(cf))
    if redaction is None:
        return scan, None
    return scan, signed_scan(again, rendered.data, _inks(cf), [(number, redaction.redact(number))])


def _signed_visit_records(session: Session, settings: Settings, at: datetime, cf: CaseFile) -> None:
    """Each visit record the borrower signed on site, as scanned: the record the system renders for
    the visit (its template and context, at the visit's end), printed, signed by the staff and the
    borrower and scanned, as the signed agreement's scan is made. The packet files this scan. Its
    skew and strokes are drawn from the visit itself, so the case's other draws stay as they were."""
    for visit, started in ((v, v.started_at) for v in cf.visits if v.started_at is not None):
        if visit.signature != "signed":
            continue
        rendered = documents_service.signed_visit_record(cf, visit, templates_dir=settings.templates_dir)
        inks = [Ink(f"{s.name}（工号{s.badge_no}）：", s.name, at="after") for s in visit.staff]
        inks.append(Ink("按指印）：", cf.borrower.name, thumb=True))
        day = started.astimezone(ZoneInfo(cf.borrower.timezone or "Asia/Shanghai")).date()
        scan = signed_scan(Random(f"{cf.case.ref}-visit-{visit.id}"), rendered.data, inks)
        _upload(session, settings, at, cf.case, scan, f"visit-record-{visit.id}.pdf",
                title=f"上门走访记录签署件（{day.year}年{day.month}月{day.day}日）", category="signed_visit_record",
                form=Form.DOCUMENTARY, source="原告外访人员", original_available=True,
                purpose="证明走访经过、告知事项及被访人陈述，被访人签字确认", visit_id=visit.id)


def _inks(cf: CaseFile) -> list[Ink]:
    """Where the parties sign the agreement's last page (its template's signature table)."""
    if cf.case.profile == "US":  # no seals on a US document
        return [Ink("By:", at="after"), Ink("Borrower:", cf.borrower.name)]
    return [Ink("（盖章）", cf.lender.seal_text or cf.lender.name, at="on", seal=True),
            Ink("授权代表（签名）：", at="after"), Ink("乙方（签名并按指印）", cf.borrower.name, thumb=True)]


def contract_pages(cf: CaseFile, number: str | None = None) -> list[tuple[str, list[str]]]:
    """The loan contract's scan, page by page: each term with the section the case records for it
    (demo.clauses), as the documents cite it. `number`: the contract number as a redacted copy
    shows it (US: the agreement number is the account number)."""
    c, b = cf.contract, cf.borrower
    if cf.case.profile == "US":  # an English agreement in USD; identifiers as a filing may show them
        return [(c.title, _wrap([
            f"Agreement No. {number or c.contract_no}", f"Lender: {cf.lender.name}", f"Borrower: {b.name}",
            f"SSN: {_last(cf, b.id_number)}", f"Amount financed: ${c.principal_agreed:,}",
            f"Term: {c.periods} monthly installments, {c.disbursed_date} to {c.term_end}",
            f"Interest rate: {c.nominal_rate * 100:.2f}% a year ({section(True, 'rate')})",
            # the schedule's interest is a twelfth of the year's rate a month (schedule.build_schedule);
            # any other run of days is money.interest_for, the one day-count rule (as the CN text below)
            f"Installment interest is one-twelfth of the annual rate on the unpaid principal; interest "
            f"for part of an installment period and default interest accrue daily, at the annual rate "
            f"divided by {c.day_basis}, for the actual days ({section(True, 'day_count')})",
            f"Default interest rate: {c.penalty_rate * 100:.2f}% a year ({section(True, 'default')})",
            f"If {acceleration_condition(c, True)}, Lender may declare the whole balance due "
            f"({section(True, 'acceleration')})"], 34)),
            (f"{c.title} (continued)", _wrap([
                f"Notices: {c.agreed_service_address} ({section(True, 'service_address')})",
                # a US agreement names no forum (the venue is the borrower's, 15 U.S.C. 1692i): no
                # clause, not a bare "(section 13)"
                *([c.jurisdiction_clause + f" ({section(True, 'jurisdiction')})"] if c.jurisdiction_clause else []),
                "",
                f"Lender: {cf.lender.name}", f"Borrower (signature): {b.name}",
                f"Signed {c.signed_date} at {c.signed_place}"], 34))]
    lender = lender_term(cf.lender.licence_type)
    return [
        (c.title, _wrap([f"合同编号：{c.contract_no}", f"{lender}：{cf.lender.name}", f"借款人：{b.name}",
                         f"身份证号：{b.id_number}", f"借款金额：人民币{c.principal_agreed}元",
                         f"借款期限：{c.periods}期，自{c.disbursed_date}起至{c.term_end}止",
                         f"年利率：{c.nominal_rate * 100:.2f}%（{section(False, 'rate')}）",
                         f"每期利息＝剩余本金×年利率÷12；不足一期的利息及逾期利息按日计算，"
                         f"日利率＝年利率÷{c.day_basis}，按实际天数计息（{section(False, 'day_count')}）",
                         f"{overdue_rate_term(cf.lender.licence_type)}：{c.penalty_rate * 100:.2f}%"
                         f"（{section(False, 'penalty')}）",
                         # the clause the pleadings cite for 复利 where the contract charges it
                         *([f"对逾期未付的利息按{overdue_rate_term(cf.lender.licence_type)}计收复利"
                            f"（{section(False, 'compound')}）"] if c.compound_allowed else []),
                         f"{acceleration_condition(c, False)}的，{lender}有权宣布全部借款提前到期"
                         f"（{section(False, 'acceleration')}）"], 36)),
        (f"{c.title}（续）", _wrap([f"送达地址：{c.agreed_service_address}",
                                   # the e-service consent the contract record holds (e_service_consent),
                                   # which the agreements drafted on it repeat
                                   (f"借款人同意以上述地址及手机号码接收司法文书（{section(False, 'service_address')}）"
                                    if c.e_service_consent else
                                    f"借款人确认以上述地址接收通知及司法文书（{section(False, 'service_address')}）"),
                                   c.jurisdiction_clause + f"（{section(False, 'jurisdiction')}）", "",
                                   f"{lender}（盖章）：{cf.lender.name}", f"借款人（签字）：{b.name}",
                                   f"签订日期：{c.signed_date}   签订地点：{c.signed_place}"], 36)),
    ]


def _contract(session: Session, settings: Settings, at: datetime, rng: Random, cf: CaseFile) -> None:
    c = cf.contract
    redaction, again = _redaction(cf, "loan_contract"), _same_draws(rng)
    pages = scanned_pdf(rng, contract_pages(cf))
    online = c.channel is LoanChannel.ONLINE
    if cf.case.profile == "US":
        item = _upload(session, settings, at, cf.case, pages, f"{c.contract_no}.pdf", title=c.title,
                       category="loan_contract", form=Form.ELECTRONIC if online else Form.DOCUMENTARY,
                       source="E-signature platform" if online else "Plaintiff's records",
                       original_available=True, purpose="Shows the loan agreement")
        if redaction is not None:  # the same scan, its number masked (Tex. R. Civ. P. 21c)
            masked = scanned_pdf(again, contract_pages(cf, redaction.redact(c.contract_no)))
            _upload_redacted(session, settings, at, cf, item, masked, redaction)
        return
    _upload(session, settings, at, cf.case, pages, f"{c.contract_no}.pdf", title=f"《{c.title}》",
            category="loan_contract", form=Form.ELECTRONIC if online else Form.DOCUMENTARY,
            source="电子签约平台" if online else "原告自存", original_available=True,
            purpose="证明借款合同关系成立")


def _disbursement(session: Session, settings: Settings, at: datetime, rng: Random, cf: CaseFile) -> None:
    c, acct = cf.contract, cf.lender.payment_account
    if cf.case.profile == "US":
        pages = [("Funds Transfer Confirmation", _wrap([
            f"Reference: {c.disbursement_ref}", f"Date: {c.disbursed_date}",
            f"From: {acct.get('account_name', cf.lender.name)}, account {_last(cf, str(acct.get('account_no', '')))}",
            f"To: {cf.borrower.name}", f"Amount: ${c.disbursed_amount:,}", "Purpose: consumer loan proceeds",
            "Status: completed"], 34))]
        _upload(session, settings, at, cf.case, scanned_pdf(rng, pages), f"disbursement-{c.contract_no}.pdf",
                title="Disbursement receipt", category="disbursement", form=Form.DOCUMENTARY,
                source="Bank transfer confirmation", original_available=True, purpose="Shows the loan was funded")
        return
    pages = [("电子回单", [f"交易流水号：{c.disbursement_ref}", f"交易日期：{c.disbursed_date}",
                       f"付款人：{acct.get('account_name', cf.lender.name)}", f"付款账号：{acct.get('account_no', '')}",
                       f"收款人：{cf.borrower.name}", f"金额：人民币{c.disbursed_amount}元", "用途：个人消费贷款发放",
                       "交易状态：成功"])]
    _upload(session, settings, at, cf.case, scanned_pdf(rng, pages), f"disbursement-{c.contract_no}.pdf",
            title="放款凭证", category="disbursement", form=Form.DOCUMENTARY, source="银行电子回单",
            original_available=True, purpose="证明借款已实际发放")
