"""Review R-11 (issue 10 §6, "packets a clerk accepts"): a CN court takes a suit with the parties'
standing documents (主体资格, domain-collections §1.4 item 1, §1.6). A CN packet opens with them
as exhibits, or its plan names each one missing the way it names a missing contract:

- the plaintiff's business licence, and its lending licence by licence type (a bank's or a
  consumer-finance company's 金融许可证, a micro-lender's 经营许可; none for the others);
- the legal representative's certificate, rendered from the lender's record;
- with counsel appointed, the firm's letter (所函) and the lawyer's licence (执业证);
- the defendant's identity card where one is uploaded.
A US packet has no standing group: its plaintiff sues as the original creditor (US-14), so no chain
of title is filed, and the loan agreement is already a required exhibit."""

from datetime import UTC, datetime
from random import Random

import pytest

from service.cases.casefile import load_case_file
from service.demo import standing
from service.packets.models import EvidenceItem
from service.packets.plan import plan_packet
from tests.documents.conftest import TEMPLATES
from tests.documents.legal_cases import DAY, context, firm, litigation_case, moment, texts, us_case

GROUP = "第一组：当事人主体资格"
MISSING = {"business_licence": "原告营业执照复印件（请上传类别「营业执照」）",
           "financial_licence": "原告金融许可证复印件（请上传类别「金融许可证 / 经营许可」）",
           "micro_loan_licence": "原告小额贷款公司经营许可证复印件（请上传类别「金融许可证 / 经营许可」）",
           "business_permit": "原告经营许可证明复印件（请上传类别「金融许可证 / 经营许可」）",
           "law_firm_letter": "北京正衡律师事务所的律师事务所函（请上传类别「律师事务所函」）",
           "lawyer_licence": "孙立新律师的执业证复印件（请上传类别「律师执业证」）"}


def _item(n: int, category: str) -> EvidenceItem:
    return EvidenceItem(id=n, case_id=1, sha256=f"{n:064x}", size=1, media_type="application/pdf",
                        filename=f"{category}.pdf", title=category, category=category, form="documentary",
                        source="原告自存", original_available=True, purpose="-", pages=1,
                        received_at=datetime(2025, 11, 1, tzinfo=UTC), actor="test")


UPLOADS = [_item(n, c) for n, c in enumerate(("loan_contract", "disbursement", "signed_agreement", "business_licence",
                                              "lender_licence", "law_firm_letter", "lawyer_licence", "borrower_id"), 1)]


def _standing(plan):  # type: ignore[no-untyped-def]
    return [e.key for e in plan.exhibits if e.group == GROUP]


@pytest.mark.parametrize(("licence_type", "licence"), [("consumer_finance", "financial_licence"),
                                                       ("bank", "financial_licence"),
                                                       ("micro_loan", "micro_loan_licence"),
                                                       ("other_licensed", "business_permit"),  # factoring
                                                       ("non_licensed", None)])
def test_a_cn_packet_lists_each_standing_document_or_names_it_missing(db, licence_type, licence):
    practice = {"lending_practice": "occasional"} if licence_type == "non_licensed" else {}
    case = litigation_case(db, lender={"licence_type": licence_type, **practice})
    cf = load_case_file(db, case.ref)
    licences = [licence] if licence else []
    expected = ["business_licence", *licences, "legal_rep_certificate", "law_firm_letter", "lawyer_licence"]
    bare = plan_packet(cf, [], [], templates_dir=TEMPLATES)
    # nothing uploaded: every standing document keeps its row (numbers do not move once uploaded) and is
    # named missing, but for the certificate the system renders itself
    assert _standing(bare) == expected
    named = [MISSING[k] for k in expected if k != "legal_rep_certificate"]
    assert [m for m in bare.missing if m in MISSING.values()] == named
    assert bare.exhibits[0].group == GROUP  # the packet's first group
    full = plan_packet(cf, UPLOADS, [], templates_dir=TEMPLATES)
    # uploaded: a licence of another business is filed too (not asked for); the defendant's ID where uploaded
    uploaded = expected if licence else ["business_licence", "lender_licence", *expected[1:]]
    assert _standing(full) == [*uploaded, "borrower_id"]
    assert not [m for m in full.missing if m in MISSING.values()], full.missing
    by_key = {e.key: e for e in full.exhibits}
    certificate = by_key["legal_rep_certificate"]
    assert certificate.source == "render" and certificate.title == "法定代表人身份证明书"
    assert "王测试系原告的法定代表人（董事长）" in certificate.purpose
    assert by_key["lawyer_licence"].title == "律师执业证复印件（孙立新）"
    # the identity card is the defendant's: the plaintiff holds a copy, no original (review CN-00061: 原件 有)
    assert not by_key["borrower_id"].original_available and by_key["legal_rep_certificate"].original_available
    assert "11101201510123456" in by_key["lawyer_licence"].purpose
    # the other groups follow, numbered on without a gap
    groups = list(dict.fromkeys(e.group for e in full.exhibits))
    assert groups[0] == GROUP and groups[1].startswith("第二组：借款合同")


def test_without_counsel_no_firm_letter_is_asked_for_and_a_blank_representative_is_named(db):
    case = litigation_case(db, with_firm=False, lender={"legal_rep_title": ""})
    plan = plan_packet(load_case_file(db, case.ref), UPLOADS, [], templates_dir=TEMPLATES)
    assert _standing(plan) == ["business_licence", "financial_licence", "borrower_id"]
    assert "法定代表人身份证明书（出借人记录缺少法定代表人职务，无法出具）" in plan.missing
    assert not [m for m in plan.missing if "律师事务所函" in m or "执业证" in m]


def test_the_legal_representatives_certificate_is_rendered_from_the_lender_record(db, tmp_path):
    case = litigation_case(db)
    pdf, docx = texts(context(db, case.ref, "legal_rep_certificate"), tmp_path)
    for text in (pdf, docx):
        flat = "".join(text.split())
        assert "法定代表人身份证明书" in flat and "测试消费金融有限公司" in flat and "91310000MA1FL5XK29" in flat
        assert "王测试在我单位任董事长职务，系我单位的法定代表人" in flat
        assert "金融借款合同纠纷" in flat and "张伟" in flat


def test_a_us_packet_has_no_standing_group(db):
    plan = plan_packet(load_case_file(db, us_case(db).ref), [], [], templates_dir=TEMPLATES)
    assert [e.key for e in plan.exhibits][:2] == ["loan_contract", "disbursement"]
    assert not [m for m in plan.missing if "licen" in m or "representative" in m]


def test_the_demo_uploads_the_standing_documents_the_banks_licence_too(db, settings):
    """The demo's scans (service/demo/standing.py): every standing document of a court-bound case,
    the demo bank's licence copy too (review: left out, it made every packet of the bank a DRAFT);
    a lender the packet names no licence of uploads none."""
    for code, lender, licensed in (("JNBK", {"licence_type": "bank"}, True),
                                   ("QHXD", {"licence_type": "micro_loan"}, True),
                                   ("XHBL", {"licence_type": "other_licensed"}, True),
                                   ("MJDK", {"licence_type": "non_licensed", "lending_practice": "occasional"}, False)):
        case = litigation_case(db, lender={"code": code, **lender})
        cf = load_case_file(db, case.ref)
        assert cf.law_firm is not None and cf.law_firm.code == firm(db).code
        standing.upload(db, settings, Random(7), cf, at=moment(DAY))
        db.expire_all()
        items = list(db.query(EvidenceItem).filter_by(case_id=case.id).order_by(EvidenceItem.id))
        expected = ["business_licence", *(["lender_licence"] if licensed else []), "law_firm_letter",
                    "lawyer_licence", "borrower_id"]
        assert [i.category for i in items] == expected, code
        assert all(i.media_type == "application/pdf" and i.pages == 1 for i in items)
        plan = plan_packet(load_case_file(db, case.ref), items, [], templates_dir=TEMPLATES)
        assert not [m for m in plan.missing if m in MISSING.values()], (code, plan.missing)
