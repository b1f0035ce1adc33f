"""Reader (CN-00044, 证据目录): the index listed 《还款协议》 and the signed visit record with 原件：有
whatever the case held, and left out the visit's recording (REC-…) its record names. Issue 10: an
exhibit described as a signed agreement is the signed scan, otherwise the plan names it missing.
So: a scan on file is listed with its original; a scan not on file is named missing by the plan,
and its row in the index, its exhibit cover and the packet's contents say so, with no original
claimed; a recording the visit's record names is listed under that visit (the recordings group,
numbered on), and one not uploaded is named by the plan with why the index does not list it."""

from datetime import UTC, datetime

from service.cases.casefile import load_case_file
from service.packets.models import EvidenceItem
from service.packets.plan import PacketPlan, plan_packet
from tests.documents.conftest import TEMPLATES, squash
from tests.documents.legal_cases import context, litigation_case, texts

AGREEMENT = "《还款协议》（编号{no}）"
VISIT = "上门走访记录签署件（2025年6月10日）"
RECORDING = "录音：上门走访录音（2025年6月10日走访现场）"
NOT_HELD = ("2025年6月10日上门走访记录载明的录音录像（编号REC-0001）："
            "本案证据中无该编号的录音文件（「上门录音录像」），故证据目录未列")


def _item(n: int, category: str, media_type: str = "application/pdf", *, name: str = "",
          original: bool = True, title: str = "") -> EvidenceItem:
    return EvidenceItem(id=n, case_id=1, sha256=f"{n:064x}", size=1, media_type=media_type,
                        filename=name or f"{category}-{n}.pdf", title=title or category, category=category,
                        form="documentary", source="原告外访人员", original_available=original, purpose="证明走访经过",
                        pages=1, received_at=datetime(2025, 11, 1, tzinfo=UTC), actor="test")


def _held(*, original: bool = True) -> list[EvidenceItem]:
    return [_item(1, "loan_contract"), _item(2, "disbursement"), _item(3, "visit_photo", "image/jpeg"),
            _item(4, "signed_visit_record"), _item(5, "signed_agreement", original=original)]


def _plan(db, items: list[EvidenceItem]) -> tuple[str, PacketPlan]:
    case = litigation_case(db)
    return case.ref, plan_packet(load_case_file(db, case.ref), items, [], templates_dir=TEMPLATES)


def _row(plan: PacketPlan, key: str):
    (found,) = [e for e in [*plan.exhibits, *plan.recordings] if e.key == key]
    return found


def _index(db, ref: str, plan: PacketPlan, tmp_path) -> list[str]:
    return [squash(t) for t in texts(context(db, ref, "evidence_index", plan=plan), tmp_path)]


def test_a_signed_scan_on_file_is_listed_with_its_original(db, tmp_path):
    ref, plan = _plan(db, _held())
    agreement = AGREEMENT.format(no=load_case_file(db, ref).current_plan.agreement_no)  # type: ignore[union-attr]
    for text in _index(db, ref, plan, tmp_path):
        assert squash(f"{agreement}书证原告自存有") in text, text
        assert squash(f"{VISIT}书证原告外访人员有") in text, text
        # the rows still missing (the standing documents no test uploads here) say so, no other
        assert text.count("（尚未提交，待补充）") == 5, text
    assert not [m for m in plan.missing if "签署件" in m], plan.missing
    for key in ("signed_agreement", "signed_visit_record"):
        row = _row(plan, key)
        assert not row.missing and row.original_available and row.evidence, key
    assert len([e for e in plan.exhibits if e.missing]) == 5


def test_a_signed_scan_not_on_file_is_named_missing_and_claims_no_original(db, tmp_path):
    """Both kinds, in the plan, the index (PDF and DOCX), the exhibit cover and the packet's contents."""
    ref, plan = _plan(db, [_item(3, "visit_photo", "image/jpeg")])
    agreement = AGREEMENT.format(no=load_case_file(db, ref).current_plan.agreement_no)  # type: ignore[union-attr]
    for text in _index(db, ref, plan, tmp_path):
        assert squash(f"{agreement}（尚未提交，待补充）书证原告自存待补") in text, text
        assert squash(f"{VISIT}（尚未提交，待补充）书证原告外访人员待补") in text, text
        assert "补齐前本目录不得提交法院" in text
    assert any(m.startswith("还款协议签署件") for m in plan.missing), plan.missing
    assert any(m.startswith("2025年6月10日上门走访记录的签署件") for m in plan.missing), plan.missing
    for key in ("signed_agreement", "signed_visit_record"):
        row = _row(plan, key)
        assert row.missing and not row.original_available, key
    number = [e.key for e in plan.exhibits].index("signed_agreement") + 1
    cover = context(db, ref, "exhibit_cover", exhibit=_row(plan, "signed_agreement"), number=number)
    for text in texts(cover, tmp_path):
        assert "原件尚未提交，待补充" in squash(text) and "可于庭审时出示" not in text
    contents = squash(texts(context(db, ref, "packet_cover", plan=plan), tmp_path)[0])
    assert squash(f"证据{number}{agreement}（待补充）") in contents, contents


def test_an_upload_without_its_original_is_listed_without_one(db, tmp_path):
    """The upload says whether its original can be produced (evidence_item.original_available)."""
    ref, plan = _plan(db, _held(original=False))
    agreement = AGREEMENT.format(no=load_case_file(db, ref).current_plan.agreement_no)  # type: ignore[union-attr]
    for text in _index(db, ref, plan, tmp_path):
        assert squash(f"{agreement}书证原告自存无") in text, text
    assert not _row(plan, "signed_agreement").original_available


def test_the_visit_s_recording_is_listed_under_its_visit_and_numbered_on(db, tmp_path):
    audio = _item(6, "visit_recording", "audio/wav", name="REC-0001.wav", title="上门走访录音")
    ref, plan = _plan(db, [*_held(), audio])
    row = _row(plan, "recording_of_visit")
    assert row.title == RECORDING, row.title
    assert row.form == "视听资料" and row.evidence == (audio,) and row.original_available
    assert row.purpose == "证明走访经过；系2025年6月10日上门走访记录所载录音录像编号对应的录音，与该走访记录相互印证", \
        row.purpose
    assert not plan.not_held and not [w for w in plan.withheld if "REC-0001" in w], plan.not_held
    rows = context(db, ref, "evidence_index", plan=plan).rows  # type: ignore[attr-defined]
    assert [r.number for r in rows] == list(range(1, len(rows) + 1))
    assert rows[-1].title == RECORDING and rows[-1].group.endswith("视听资料（随附电子文件，不装订）")
    for text in _index(db, ref, plan, tmp_path):
        assert squash(f"{len(rows)}{RECORDING}视听资料原告外访人员有") in text, text


def test_a_recording_the_visit_record_names_but_not_uploaded_is_named_with_why(db, tmp_path):
    """Not a reason for DRAFT (the visit is proved by its record), but never left out unsaid: the plan
    and the packet's cover name it."""
    ref, plan = _plan(db, _held())
    assert not [e for e in plan.recordings if e.key == "recording_of_visit"]
    assert plan.not_held == [NOT_HELD], plan.not_held
    assert not [m for m in plan.missing if "REC-0001" in m] and not [w for w in plan.withheld if "REC-0001" in w]
    for text in texts(context(db, ref, "packet_cover", plan=plan), tmp_path):
        assert squash(f"证据所载而本材料未附的材料：{NOT_HELD}。") in squash(text), text
    elsewhere = _item(6, "visit_recording", "audio/wav", name="visit.wav", title="上门走访录音")  # another name
    _, plan = _plan(db, [*_held(), elsewhere])
    assert plan.not_held == [NOT_HELD] and _row(plan, "recording").evidence == (elsewhere,)
