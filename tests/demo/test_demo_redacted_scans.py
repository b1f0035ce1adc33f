"""Issue 10: the demo's scans show the agreement number whole, which a filing may show by its last
digits only: three in Texas (Tex. R. Civ. P. 21c), four in New York (22 NYCRR 202.5(e), 208.4(b)),
Illinois (Ill. S. Ct. R. 138) and California (Cal. Rules of Court, rule 1.201(a); reader US-00011:
Exhibits 1 and 6 printed "LKCC-202510-728479" whole). The demo uploads, for each US loan contract and
signed agreement, the same scan with the number masked ("XXXX-XXXX-XXX512") as its redacted copy
(evidence_item.redaction_of); the packet files the copies and misses none. CN cases get no copy
(民诉法 art. 124: filings show identities whole). Its signed visit records name their visit (evidence_item.visit_id)."""

import io
from datetime import date

import pikepdf
from PIL import ImageChops, ImageStat
from sqlalchemy import select

from service.cases.casefile import load_case_file
from service.cases.masking import filing_redaction
from service.cases.models import DebtCase
from service.cases.rules import load_ruleset
from service.core.storage import get_store
from service.packets.build import make_plan
from service.packets.models import EvidenceItem
from tests.seeded import seed_demo

ANCHOR = date(2026, 12, 5)


def _pages(data: bytes) -> list:  # type: ignore[type-arg]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [pikepdf.PdfImage(next(iter(page.get_images().values()))).as_pil_image().convert("L")
                for page in pdf.pages]


def test_us_scans_have_their_masked_copy_and_the_packet_files_it(db, settings):
    seed_demo(db, anchor=ANCHOR, cases=0, settings=settings, court_sets=True)
    store, copied, states = get_store(settings), 0, set()
    for case in db.scalars(select(DebtCase).order_by(DebtCase.ref)):
        items = list(db.scalars(select(EvidenceItem).where(EvidenceItem.case_id == case.id).order_by(EvidenceItem.id)))
        copies = {i.redaction_of: i for i in items if i.redaction_of is not None}
        redaction = filing_redaction(load_ruleset(case.profile), case.us_state or "")
        if redaction is None:
            assert case.profile == "CN" and not copies, case.ref
            continue
        assert redaction.uploads == {"loan_contract", "signed_agreement"}, (case.us_state, redaction)
        originals = [i for i in items if i.category in ("loan_contract", "signed_agreement") and i.redaction_of is None]
        assert originals and set(copies) == {i.id for i in originals}, (case.ref, copies)
        for original in originals:
            copy = copies[original.id]
            assert copy.category == original.category and copy.sha256 != original.sha256
            assert copy.title == f"{original.title} (redacted)" and redaction.citation in copy.purpose
            before, after = _pages(store.read_bytes(original.sha256)), _pages(store.read_bytes(copy.sha256))
            assert len(before) == len(after)
            # the same scan (the same skew, the same strokes), but for the number painted over
            diffs = [ImageStat.Stat(ImageChops.difference(a, b)).mean[0] for a, b in zip(before, after, strict=True)]
            assert max(diffs) > 0 and all(d < 2 for d in diffs), (case.ref, original.category, diffs)
            copied += 1
            states.add(case.us_state)
        plan = make_plan(db, settings, load_case_file(db, case.ref))
        assert not [m for m in plan.missing if "redacted" in m], (case.ref, plan.missing)
        filed = {i.id for e in plan.exhibits for i in e.evidence}
        assert {c.id for c in copies.values()} <= filed and not filed & set(copies), case.ref
    assert copied >= 3 and states == {"TX", "NY", "IL", "CA"}, (copied, states)


def test_the_demos_signed_visit_records_name_their_visit(db, settings):
    seed_demo(db, anchor=ANCHOR, cases=0, settings=settings, court_sets=True)
    scans = list(db.scalars(select(EvidenceItem).where(EvidenceItem.category == "signed_visit_record")))
    assert scans and all(s.visit_id is not None for s in scans)
    for scan in scans:
        cf = load_case_file(db, db.get(DebtCase, scan.case_id).ref)
        assert scan.visit_id in {v.id for v in cf.visits if v.signature == "signed"}
