"""The demo's scans prove what the pleadings cite (review F6) and a US packet's scans are English,
in USD, with identifiers redacted as the exhibit index certifies (review F23, Tex. R. Civ. P. 21c).
The signed agreement's scan is the agreement the system renders for the recorded plan, printed,
signed and scanned (review C12-1): its pages are the rendered pages, so it says what they say."""

import io
import re
import subprocess
from pathlib import Path

import pikepdf
from PIL import Image, ImageChops, ImageStat
from sqlalchemy import select

from service.cases.casefile import load_case_file
from service.cases.models import DebtCase
from service.core.storage import get_store
from service.documents import service as documents_service
from service.packets.models import EvidenceItem
from tests.factories import DEMO_ANCHOR
from tests.seeded import seed_demo

CJK = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]")
THUMB = (62, 88)  # an A4 page, small enough that a scan's skew and blur do not count
# Both sides drawn at the scan's own resolution (150 dpi, service/demo/scans.py) and averaged down
# to the thumbnail: drawn at 30 dpi, every hairline of a table takes a whole dark pixel, and a page
# of a long schedule looked like no scan of itself (a 44-instalment plan's second page).
SCAN_DPI = 150


def _thumb(image: Image.Image) -> Image.Image:
    return image.convert("L").resize(THUMB, Image.Resampling.BOX)


def _thumbs_of_scan(data: bytes) -> list[Image.Image]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [_thumb(pikepdf.PdfImage(next(iter(page.get_images().values()))).as_pil_image())
                for page in pdf.pages]


def _thumbs_of_render(data: bytes, tmp: Path) -> list[Image.Image]:
    tmp.mkdir()
    (tmp / "r.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-r", str(SCAN_DPI), "-gray", "-png", str(tmp / "r.pdf"), str(tmp / "r")], check=True)
    return [_thumb(Image.open(f)) for f in sorted(tmp.glob("r-*.png"))]


def _text(data: bytes, tmp: Path) -> str:
    (tmp / "t.pdf").write_bytes(data)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(tmp / "t.pdf"), "-"], check=True, capture_output=True,
                         text=True).stdout
    return re.sub(r"\s", "", out)


def _diff(a: Image.Image, b: Image.Image) -> float:
    return float(ImageStat.Stat(ImageChops.difference(a, b)).mean[0])


def test_the_signed_agreement_scan_is_the_rendered_agreement_and_us_scans_are_english(db, settings, tmp_path):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=40, settings=settings)
    titles = list(db.scalars(select(EvidenceItem.title).join(DebtCase, DebtCase.id == EvidenceItem.case_id)
                             .where(DebtCase.profile == "US")))
    assert titles and not [t for t in titles if CJK.search(t)], titles
    store, checked = get_store(settings), set()
    scans = select(DebtCase.ref, EvidenceItem.sha256).join(DebtCase, DebtCase.id == EvidenceItem.case_id)
    for ref, sha in db.execute(scans.where(EvidenceItem.category == "signed_agreement").order_by(DebtCase.ref)):
        cf = load_case_file(db, ref)
        plan = cf.current_plan
        if plan is None or cf.case.profile in checked:
            continue
        rendered = documents_service.signed_agreement(cf, plan, templates_dir=settings.templates_dir)
        scan, pages = _thumbs_of_scan(store.read_bytes(sha)), _thumbs_of_render(rendered.data, tmp_path / ref)
        assert len(scan) == len(pages) == rendered.pages, (ref, len(scan), rendered.pages)
        for k, page in enumerate(scan):  # each scanned page is its rendered page, and no other
            diffs = [_diff(page, other) for other in pages]
            assert min(diffs) == diffs[k] and diffs[k] < 12, (ref, k, diffs)
        text = _text(rendered.data, tmp_path)
        assert plan.agreement_no in text and cf.borrower.name.replace(" ", "") in text, text
        if cf.case.profile == "US":
            assert not CJK.search(text) and "$" in text and "RMB" not in text, text
            assert re.sub(r"\D", "", cf.borrower.id_number) not in re.sub(r"\D", "", text), text
            assert f"within{plan.grace_days + plan.cure_days}daysofitsduedate" in text, text
        else:  # the cure period runs from the due date, as the ledger counts it; 第三条 is there
            assert f"逾期超过{plan.grace_days}日" in text, text
            assert f"自应还日起{plan.grace_days + plan.cure_days}日内" in text, text
            assert "第三条" in text and "第五条送达地址" in text, text
            if plan.waived_amount:
                assert "减免" in text, text
        checked.add(cf.case.profile)
    assert checked == {"CN", "US"}


def test_a_scan_made_again_is_the_same_and_leaves_the_random_state_as_making_it_would():
    """signed_scan keeps the scans it made: a repeat (the demo seeded again with the same anchor)
    returns the same bytes and moves the generator exactly as making the scan does."""
    from random import Random

    from weasyprint import HTML

    from service.demo import scans

    pdf = HTML(string="<p>Agreement</p><p>Borrower:</p>").write_pdf()
    inks = [scans.Ink(label="Borrower:", text="Linda Chen", at="after")]
    scans._SCANS.clear()
    first_rng, again_rng = Random(7), Random(7)
    first = scans.signed_scan(first_rng, pdf, inks)
    assert len(scans._SCANS) == 1
    again = scans.signed_scan(again_rng, pdf, inks)
    assert again == first and again_rng.getstate() == first_rng.getstate()
    made = Random(7)
    assert scans._signed_scan(made, pdf, inks) == first and made.getstate() == first_rng.getstate()
    assert b"/CreationDate" not in first  # no clock in the file: made a second later, the same bytes


def _has_red(data: bytes) -> bool:
    """The last page of a scan carries the borrower's red thumbprint (or a seal)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        page = pikepdf.PdfImage(next(iter(pdf.pages[-1].get_images().values()))).as_pil_image().convert("RGB")
    r, g, b = page.resize((300, 424)).split()
    red = ImageChops.multiply(r.point(lambda v: 255 if v > 150 else 0),
                              ImageChops.multiply(g.point(lambda v: 255 if v < 130 else 0),
                                                  b.point(lambda v: 255 if v < 130 else 0)))
    return red.getbbox() is not None


def test_each_signed_visit_record_is_uploaded_as_its_signed_scan_and_the_packet_files_it(db, settings, tmp_path):
    """Litigator's review: a packet filed the visit record as the generated form, unsigned, though the
    record says the borrower signed it. The demo uploads each signed record as scanned (the record the
    system renders for the visit, signed like the agreement's scan); the packet files that scan."""
    from service.packets.build import make_plan

    seed_demo(db, anchor=DEMO_ANCHOR, cases=40, settings=settings)
    store, seen = get_store(settings), 0
    for case in db.scalars(select(DebtCase).where(DebtCase.profile == "CN").order_by(DebtCase.ref)):
        cf = load_case_file(db, case.ref)
        signed = [v for v in cf.visits if v.started_at is not None and v.signature == "signed"]
        scans = list(db.scalars(select(EvidenceItem).where(EvidenceItem.case_id == case.id,
                                                           EvidenceItem.category == "signed_visit_record")))
        if not scans:
            continue
        assert len(scans) == len(signed) == 1, case.ref
        plan = make_plan(db, settings, cf)
        assert not [m for m in plan.missing if "走访" in m], (case.ref, plan.missing)
        assert not [e for e in plan.exhibits if e.key == "visit_record"], case.ref
        (row,) = [e for e in plan.exhibits if e.key == "signed_visit_record"]
        assert row.evidence[0].id == scans[0].id and row.source == "evidence"
        if seen:  # one scan compared page by page is enough; each case's plan is checked
            continue
        rendered = documents_service.signed_visit_record(cf, signed[0], templates_dir=settings.templates_dir)
        data = store.read_bytes(scans[0].sha256)
        scan, pages = _thumbs_of_scan(data), _thumbs_of_render(rendered.data, tmp_path / case.ref)
        assert len(scan) == len(pages) == rendered.pages, (case.ref, len(scan), rendered.pages)
        for k, page in enumerate(scan):
            diffs = [_diff(page, other) for other in pages]
            assert min(diffs) == diffs[k] and diffs[k] < 12, (case.ref, k, diffs)
        assert _has_red(data), case.ref  # signed: the borrower's thumbprint beside the signature
        text = _text(rendered.data, tmp_path)
        assert cf.borrower.name in text and "上门走访记录" in text and all(s.name in text for s in signed[0].staff)
        seen += 1
    assert seen == 1


def test_each_cn_court_case_uploads_the_licence_its_packet_names_and_its_packet_builds_final(db, settings):
    """Review (evidence exhibit 2, 原件 有): the demo bank's 金融许可证 was never uploaded, so every
    packet of the bank's cases was built as a DRAFT. The demo uploads a licence scan for each lender
    whose licence the packet names (cn.json standing_licences), made like its other certificates."""
    from service.cases.rules import load_ruleset
    from service.demo.evidence import COURT_STAGES
    from service.packets.build import make_plan

    seed_demo(db, anchor=DEMO_ANCHOR, cases=40, settings=settings)
    licences = load_ruleset("CN").jurisdiction.standing_licences or {}
    store, types = get_store(settings), set()
    for case in db.scalars(select(DebtCase).where(DebtCase.profile == "CN", DebtCase.stage.in_(COURT_STAGES))
                           .order_by(DebtCase.ref)):
        cf = load_case_file(db, case.ref)
        plan = make_plan(db, settings, cf)
        assert plan.complete, (case.ref, plan.missing)
        if cf.lender.licence_type not in licences:
            continue
        (row,) = [e for e in plan.exhibits if e.key == licences[cf.lender.licence_type]]
        (scan,) = row.evidence
        assert scan.category == "lender_licence" and scan.original_available and scan.pages == 1, case.ref
        assert _thumbs_of_scan(store.read_bytes(scan.sha256)), case.ref  # a scanned page, as the others are
        types.add(cf.lender.licence_type)
    assert "bank" in types  # the demo bank's licence: the one the review found missing


def test_each_cn_court_case_files_its_visit_s_recording_and_its_signed_agreement_as_held(db, settings):
    """Reader (CN-00044): the signed visit record prints its 录音录像编号 (REC-…), and the index listed
    no such recording. The demo uploads each made visit's recording under that reference, and the
    plan lists it under its visit; the signed agreement and the signed visit record are listed with
    their originals because their scans are on file (a scan not on file is named missing:
    tests/packets/test_evidence_held.py)."""
    from service.demo.evidence import COURT_STAGES
    from service.packets.build import make_plan

    seed_demo(db, anchor=DEMO_ANCHOR, cases=40, settings=settings)
    listed = 0
    for case in db.scalars(select(DebtCase).where(DebtCase.profile == "CN", DebtCase.stage.in_(COURT_STAGES))
                           .order_by(DebtCase.ref)):
        cf = load_case_file(db, case.ref)
        plan = make_plan(db, settings, cf)
        assert plan.complete and not [w for w in plan.withheld if "录音录像" in w], (case.ref, plan.withheld)
        refs = [str(r) for v in cf.visits if v.started_at is not None for r in v.recording_refs]
        recordings = [e for e in plan.recordings if e.key == "recording_of_visit"]
        assert sorted(e.evidence[0].filename for e in recordings) == sorted(f"{r}.wav" for r in refs), case.ref
        assert all(e.evidence[0].category == "visit_recording" and e.original_available for e in recordings)
        listed += len(recordings)
        for key in ("signed_agreement", "signed_visit_record"):
            for row in (e for e in plan.exhibits if e.key == key):
                assert row.evidence and not row.missing and row.original_available, (case.ref, key)
    assert listed
