"""Litigator's review (demo packets): the visit record (上门走访记录) a packet filed was the generated
form, unsigned, though the case's record says the borrower signed it on site. An exhibit described as
signed is the signed scan, as the repayment agreement's is: a visit record signed on site is filed as
its scan (category signed_visit_record), and without one the plan names it missing, in the packet's
language, by the label of the category to upload it as. A visit the borrower did not sign keeps the
record rendered from the case."""

import json
from datetime import UTC, datetime

from service.cases.casefile import load_case_file
from service.packets.models import EvidenceItem
from service.packets.plan import plan_packet
from service.packets.schemas import Category
from tests.documents.conftest import TEMPLATES
from tests.documents.legal_cases import litigation_case

MISSING = "2025年6月10日上门走访记录的签署件（记录载明被访人已签字；请上传类别「上门走访记录签署件」）"


def _item(n: int, category: str, media_type: str = "application/pdf") -> EvidenceItem:
    return EvidenceItem(id=n, case_id=1, sha256=f"{n:064x}", size=1, media_type=media_type,
                        filename=f"{category}-{n}.pdf", title=category, category=category, form="documentary",
                        source="原告自存", original_available=True, purpose="-", pages=1,
                        received_at=datetime(2025, 11, 1, tzinfo=UTC), actor="test")


def test_a_visit_record_signed_on_site_is_filed_as_its_scan_or_named_missing(db):
    cf = load_case_file(db, litigation_case(db).ref)
    assert [v.signature for v in cf.visits] == ["signed"]
    bare = plan_packet(cf, [_item(1, "visit_photo", "image/jpeg")], [], templates_dir=TEMPLATES)
    assert MISSING in bare.missing
    assert not [e for e in bare.exhibits if e.key == "visit_record"]  # never the unsigned form in its place
    (row,) = [e for e in bare.exhibits if e.key == "signed_visit_record"]
    assert row.source == "evidence" and row.title == "上门走访记录签署件（2025年6月10日）"
    assert "签字确认" in row.purpose and [i.id for i in row.evidence] == [1]  # the photos follow it
    scan = _item(2, "signed_visit_record")
    full = plan_packet(cf, [_item(1, "visit_photo", "image/jpeg"), scan], [], templates_dir=TEMPLATES)
    assert not [m for m in full.missing if "走访" in m], full.missing
    (row,) = [e for e in full.exhibits if e.key == "signed_visit_record"]
    assert [i.id for i in row.evidence] == [2, 1]  # the signed scan, then the photos


def test_a_visit_the_borrower_did_not_sign_keeps_its_rendered_record(db):
    case = litigation_case(db)
    cf = load_case_file(db, case.ref)
    cf.visits[0].signature = "refused"
    plan = plan_packet(cf, [], [], templates_dir=TEMPLATES)
    assert [e.source for e in plan.exhibits if e.key == "visit_record"] == ["render"]
    assert not [m for m in plan.missing if "走访" in m]
    # issue 10: the row says why the record bears no signature of the borrower, as the record does
    (row,) = [e for e in plan.exhibits if e.key == "visit_record"]
    assert row.title == "上门走访记录（2025年6月10日，被访人拒绝签字）", row.title
    assert row.purpose.endswith("被告拒绝在走访记录上签字，记录由走访人员现场注明"), row.purpose
    cf.visits[0].signature = "absent"
    (row,) = [e for e in plan_packet(cf, [], [], templates_dir=TEMPLATES).exhibits if e.key == "visit_record"]
    assert "被访人不在场" in row.title and "拒绝" not in row.purpose, row


def test_the_signed_visit_record_is_worded_in_both_languages_and_a_category_to_upload():
    assert Category("signed_visit_record") is Category.SIGNED_VISIT_RECORD
    for locale in ("zh-CN", "en-US"):
        words = json.loads((TEMPLATES / "legal" / "packet" / f"exhibits.{locale}.json").read_text(encoding="utf-8"))
        assert {"title", "form", "origin", "purpose"} <= set(words["exhibits"]["signed_visit_record"])
        for signature in ("refused", "absent"):  # a record the borrower did not sign says why (issue 10)
            assert {f"title_{signature}", f"purpose_{signature}"} <= set(words["exhibits"]["visit_record"])
        assert "{category}" in words["missing"]["signed_visit_record"]
        assert words["categories"]["signed_visit_record"]
