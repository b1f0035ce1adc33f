"""The parties' standing documents (主体资格) a CN court-bound demo case uploads: the lender's business
licence and lending licence, its counsel's letter (所函) and licence (执业证), the borrower's identity
card. The legal representative's certificate is not among them: the packet renders it from the
lender's record. Each lender's licence the packet names (cn.json standing_licences) is uploaded, so
the demo's packets build final (the demo bank's 金融许可证 was once left out, and every packet of
its cases was a DRAFT)."""

import io
import re
from datetime import date, datetime, time, timedelta
from random import Random
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from service.cases.casefile import CaseFile
from service.cases.enums import LoanChannel
from service.cases.lender_law import cause_of_action
from service.cases.rules import load_ruleset
from service.core.settings import Settings
from service.demo.data import BUSINESS_SCOPES
from service.demo.scans import certificate_scan, id_card_copy, letter_scan
from service.documents.contexts.facts import CaseFacts
from service.documents.contexts.legal.base import terms_of
from service.documents.contexts.legal.blocks import PersonBlock, court_for
from service.documents.format import date_cn
from service.packets import evidence_service
from service.packets.schemas import Form

ACTOR = "demo-seed"
_CITY = re.compile(r"^(?:.{2,3}?省)?(.{2,3}?市)")


def _city(address: str) -> str:
    found = _CITY.match(address)
    return found.group(1) if found else ""


def _put(session: Session, settings: Settings, at: datetime, cf: CaseFile, data: bytes, name: str, *, title: str,
         category: str, source: str, purpose: str) -> None:
    evidence_service.receive(session, settings, cf.case, stream=io.BytesIO(data), filename=name, title=title,
                             category=category, form=Form.DOCUMENTARY.value, source=source, original_available=True,
                             purpose=purpose, actor=ACTOR, at=at)


def upload(session: Session, settings: Settings, rng: Random, cf: CaseFile, *, at: datetime) -> None:
    """A CN court-bound case's standing documents, drawn from `rng` in a fixed order, on file `at`."""
    lender, city = cf.lender, _city(cf.lender.address)
    rng.randint(2010, 2019), rng.randint(1, 12), rng.randint(1, 28)  # drawn all the same: the stream stays
    registered = _registered(cf)
    form = "股份有限公司" if lender.name.endswith("股份有限公司") else "有限责任公司"
    licence = certificate_scan(rng, "营业执照", [
        ("统一社会信用代码", lender.uscc), ("名称", lender.name), ("类型", form), ("法定代表人", lender.legal_rep),
        ("经营范围", BUSINESS_SCOPES[lender.licence_type]), ("成立日期", date_cn(registered)),
        ("住所", lender.address)],
        f"{city}市场监督管理局", date_cn(registered), note="（副本）")
    _put(session, settings, at, cf, licence, f"business-licence-{lender.code}.pdf", title="营业执照（副本）",
         category="business_licence", source="原告自存", purpose="证明原告依法设立、有效存续")
    if lender.licence_type in (load_ruleset(cf.case.profile).jurisdiction.standing_licences or {}):
        _lending_licence(session, settings, at, rng, cf, city, registered)
    if cf.law_firm is not None:
        _counsel(session, settings, at, rng, cf)
    _identity(session, settings, at, rng, cf)


def _micro_loan_scope(cf: CaseFile, city: str) -> str:
    """A micro-lender lends in its own city; one that lends online to borrowers elsewhere holds the
    online micro-lending permit too (网络小额贷款), which its licence then states."""
    local = f"在{city}行政区域内发放小额贷款"
    return local if cf.contract.channel is not LoanChannel.ONLINE else f"{local}；经批准开展网络小额贷款业务"


def _registered(cf: CaseFile) -> date:
    """The lender's founding date: one per lender, in every case's papers (it was drawn per case, so
    one company was founded in 2012 in one file and 2018 in the next), in the year its approval
    number gives where it has one (深金融〔2016〕88号), early enough that the licence issued a few
    weeks later bears that year too."""
    lender = cf.lender
    pick = Random(f"registered-{lender.code}")
    year = re.search(r"〔(\d{4})〕", lender.licence_no or "")
    return date(int(year.group(1)) if year else pick.randint(2010, 2019), pick.randint(1, 9), pick.randint(1, 28))


def _lending_licence(session: Session, settings: Settings, at: datetime, rng: Random, cf: CaseFile, city: str,
                     registered: date) -> None:
    lender = cf.lender
    issued = date_cn(registered + timedelta(days=rng.randint(20, 90)))
    number = "批准文号" if "〔" in lender.licence_no else "机构编码"
    purpose = "证明原告具有发放贷款的业务资质"
    if lender.licence_type == "micro_loan":
        title, issuer = "小额贷款公司经营许可证", f"{city}地方金融管理局"
        rows = [(number, lender.licence_no), ("公司名称", lender.name), ("法定代表人", lender.legal_rep),
                ("住所", lender.address), ("经营范围", _micro_loan_scope(cf, city))]
    elif lender.licence_type == "other_licensed":  # a factoring company: its business permit, no lending
        title, issuer = "商业保理业务经营许可", f"{city}地方金融管理局"
        rows = [(number, lender.licence_no), ("公司名称", lender.name), ("法定代表人", lender.legal_rep),
                ("住所", lender.address), ("经营范围", "商业保理业务")]
        purpose = "证明原告经批准从事商业保理业务，其经批准的业务不含发放贷款"
    else:
        title, issuer = "金融许可证", f"国家金融监督管理总局{city.removesuffix('市')}监管局"
        rows = [(number, lender.licence_no), ("机构名称", lender.name),
                ("业务范围", "经国家金融监督管理机构批准的业务"), ("住所", lender.address)]
    _put(session, settings, at, cf, certificate_scan(rng, title, rows, issuer, issued), f"licence-{lender.code}.pdf",
         title=title, category="lender_licence", source="原告自存", purpose=purpose)


def _counsel(session: Session, settings: Settings, at: datetime, rng: Random, cf: CaseFile) -> None:
    firm, lender = cf.law_firm, cf.lender
    assert firm is not None
    on = (cf.case.accelerated_on or cf.case.overdue_since or cf.contract.signed_date) + timedelta(days=3)
    rules = load_ruleset(cf.case.profile)
    facts = CaseFacts(cf, on, datetime.combine(on, time(12), ZoneInfo(cf.borrower.timezone or "Asia/Shanghai")),
                      frozenset())
    cause = cause_of_action(rules, lender.licence_type)
    court = court_for(terms_of(facts), lender.address, PersonBlock.of(cf.borrower, rules).domicile, rules,
                      amount=facts.claim.claimed_total, cause=cause.code if cause else None).name
    dispute = cause.name if cause else "借款合同纠纷"
    letter = letter_scan(rng, firm.name, "律师事务所函", [
        f"{court}：",
        f"根据{lender.name}与本所签订的委托代理合同，本所指派{firm.lead_lawyer}律师（执业证号：{firm.lead_lawyer_licence}）"
        f"担任{lender.name}诉{cf.borrower.name}{dispute}一案中{lender.name}的委托诉讼代理人，"
        "请予接洽。", "特此函告。", "附：律师执业证复印件一份。",
        f"联系地址：{firm.address}", f"联系电话：{firm.phone}"], firm.name, date_cn(on))
    _put(session, settings, at, cf, letter, f"firm-letter-{firm.code}.pdf", title="律师事务所函",
         category="law_firm_letter", source=firm.name, purpose="证明律师事务所接受委托并指派代理律师")
    card = certificate_scan(rng, "律师执业证", [
        ("持证人", firm.lead_lawyer), ("执业机构", firm.name), ("执业证类别", "专职律师"),
        ("执业证号", firm.lead_lawyer_licence), ("年度考核", "称职（已备案）")],
        f"{_city(firm.address)}司法局", date_cn(on - timedelta(days=rng.randint(400, 2000))), note="（复印件）")
    _put(session, settings, at, cf, card, f"lawyer-licence-{firm.code}.pdf", title="律师执业证",
         category="lawyer_licence", source=firm.name, purpose="证明代理律师具有执业资格")


def _identity(session: Session, settings: Settings, at: datetime, rng: Random, cf: CaseFile) -> None:
    b = cf.borrower
    born = b.birth_date
    front = [("姓名", b.name), ("性别", b.gender), ("民族", b.ethnicity.removesuffix("族")),
             ("出生", date_cn(born) if born else ""), ("住址", b.hukou_address or b.habitual_address)]
    start = cf.contract.signed_date - timedelta(days=rng.randint(200, 2500))
    end = start.replace(year=start.year + 20) if not (start.month == 2 and start.day == 29) else start
    police = f"{_city(b.hukou_address or b.habitual_address)}公安局"
    back = [("签发机关", police), ("有效期限", f"{start:%Y.%m.%d}-{end:%Y.%m.%d}")]
    _put(session, settings, at, cf, id_card_copy(rng, front, b.id_number, back), f"id-{cf.case.ref}.pdf",
         title="被告居民身份证（正反面复印件）", category="borrower_id", source="原告自存（借款申请时留存）",
         purpose="证明被告的身份信息")
