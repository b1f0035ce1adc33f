"""Issue 10: a Texas filing shows an account number by its last digits only (Tex. R. Civ. P. 21c),
and the uploaded scans show the agreement number whole. An upload may name the upload it is a
redacted copy of (evidence_item.redaction_of): the original keeps its row and its hash, the copy is
an upload of its own, and the packet files the copy in the original's place; where the forum's rule
names the upload's category and there is no copy, the plan names it missing. A signed visit
record's scan may name its visit (evidence_item.visit_id), and is matched to it by that."""

import hashlib
import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.cases.casefile import load_case_file
from service.cases.masking import Redaction, filing_redaction
from service.cases.models import Visit
from service.cases.rules import load_ruleset
from service.core.storage import get_store
from service.demo.scans import call_recording
from service.packets import evidence_service
from service.packets.build import original_names
from service.packets.models import EvidenceItem
from service.packets.plan import plan_packet
from tests.conftest import auth
from tests.documents.conftest import TEMPLATES, squash
from tests.documents.legal_cases import _visit, context, litigation_case, texts, us_case
from tests.packets.test_evidence_api import pdf_bytes

CONTRACT = {"title": "Personal Loan Agreement", "category": "loan_contract", "form": "documentary",
            "source": "Plaintiff's records", "purpose": "Shows the loan agreement", "original_available": "true"}


def _texas(db: Session):  # type: ignore[no-untyped-def]
    case = us_case(db)
    case.us_state = "TX"
    borrower = load_case_file(db, case.ref).borrower  # a Houston consumer: the pleadings name her court
    borrower.postal_code, borrower.habitual_address = "77002", "1200 Main St, Houston, TX 77002"
    db.flush()
    return case


def _post(client, key, ref, data: bytes, name: str = "contract.pdf", **meta):  # type: ignore[no-untyped-def]
    return client.post(f"/v1/cases/{ref}/evidence", headers=auth(key), data={**CONTRACT, **meta},
                       files={"file": (name, data, "application/octet-stream")})


def _refused(response, field: str, words: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 422, response.text
    (error,) = response.json()["errors"]
    assert error["field"] == field and words in error["message"], error


def test_texas_masks_all_but_the_last_three_with_x():
    redaction = filing_redaction(load_ruleset("US"), "TX")
    assert redaction == Redaction(3, "Tex. R. Civ. P. 21c", frozenset({"loan_contract", "signed_agreement"}))
    assert redaction.redact("LKCC-2024-004512") == "XXXX-XXXX-XXX512"
    # New York, Illinois and California keep four digits and name the same uploads (reader US-00011:
    # the CA packet filed "LKCC-202510-728479" whole); a state outside the table, FRCP 5.2(a), none
    for state, citation in (("NY", "22 NYCRR 208.4(b)"), ("IL", "Ill. S. Ct. R. 138"),
                            ("CA", "Cal. Rules of Court, rule 1.201(a)")):
        other = filing_redaction(load_ruleset("US"), state)
        assert other is not None and other.keep_tail == 4 and other.citation.startswith(citation), other
        assert other.uploads == redaction.uploads, state
    assert filing_redaction(load_ruleset("US"), "OH") == Redaction(4, "Fed. R. Civ. P. 5.2(a)", frozenset())
    assert filing_redaction(load_ruleset("CN")) is None


def test_an_upload_naming_a_wrong_original_or_visit_is_refused_naming_the_field(client, keys, db, case):
    key, tx, scan = keys["collector"], _texas(db), pdf_bytes(2)
    original = _post(client, key, tx.ref, scan)
    assert original.status_code == 201 and original.json()["redaction_of"] is None
    oid = original.json()["id"]
    recording = client.post(f"/v1/cases/{tx.ref}/evidence", headers=auth(key), files={
        "file": ("REC-1.wav", call_recording("REC-1"), "application/octet-stream")}, data={
        **CONTRACT, "category": "call_recording", "form": "audiovisual"})
    assert recording.status_code == 201, recording.text
    elsewhere = _post(client, key, case.ref, pdf_bytes(4)).json()["id"]  # another case's upload
    before = db.scalar(select(func.count()).select_from(EvidenceItem))

    _refused(_post(client, key, tx.ref, pdf_bytes(3), redaction_of=elsewhere), "redaction_of",
             f"evidence {elsewhere} is not an upload of case {tx.ref}")
    _refused(_post(client, key, tx.ref, pdf_bytes(3), redaction_of=99999), "redaction_of", "is not an upload")
    _refused(_post(client, key, tx.ref, pdf_bytes(3), redaction_of=recording.json()["id"], category="call_recording",
                   form="audiovisual"), "redaction_of", "only documents are redacted")
    _refused(_post(client, key, tx.ref, pdf_bytes(3), redaction_of=oid, category="signed_agreement"), "category",
             f"evidence {oid} is loan_contract, not signed_agreement")
    _refused(_post(client, key, tx.ref, scan, redaction_of=oid), "file", "the same SHA-256")
    _refused(_post(client, key, tx.ref, pdf_bytes(3), visit_id=1), "visit_id",
             "only a signed_visit_record upload names a visit")
    assert db.scalar(select(func.count()).select_from(EvidenceItem)) == before  # nothing half-written

    copy = _post(client, key, tx.ref, pdf_bytes(3), "contract-redacted.pdf", redaction_of=oid)
    assert copy.status_code == 201 and copy.json()["redaction_of"] == oid
    _refused(_post(client, key, tx.ref, pdf_bytes(5), redaction_of=copy.json()["id"]), "redaction_of",
             f"is itself a redacted copy (of evidence {oid})")


def test_the_texas_packet_files_the_redacted_copy_and_the_original_keeps_its_hash(client, keys, db, settings,
                                                                                   tmp_path):
    tx, scan, masked = _texas(db), pdf_bytes(2), pdf_bytes(3)
    oid = _post(client, keys["collector"], tx.ref, scan).json()["id"]
    cid = _post(client, keys["collector"], tx.ref, masked, "LKCC-2024-004512 masked.PDF", redaction_of=oid).json()["id"]
    original, copy = db.get(EvidenceItem, oid), db.get(EvidenceItem, cid)
    assert original.sha256 == hashlib.sha256(scan).hexdigest() and original.redaction_of is None
    assert copy.sha256 == hashlib.sha256(masked).hexdigest() and copy.redaction_of == oid
    assert get_store(settings).read_bytes(original.sha256) == scan  # the unredacted file is kept (21c(c))
    items = evidence_service.list_items(db, tx)
    plan = plan_packet(load_case_file(db, tx.ref), items, [], templates_dir=TEMPLATES)
    (row,) = [e for e in plan.exhibits if e.key == "loan_contract"]
    assert [i.id for i in row.evidence] == [cid]  # the copy, in the original's place; never both
    assert oid not in {i.id for e in plan.exhibits for i in e.evidence}
    assert plan.redactions == {cid: original}
    assert not [m for m in plan.missing if "redacted" in m], plan.missing
    # the bundle files the copy under a name of its own, not the upload's (which shows the number whole)
    assert original_names(plan)[cid] == "exhibit01-1-redacted.pdf"
    # an upload named after the contract number is filed under the number as a Texas filing shows it
    number = load_case_file(db, tx.ref).contract.contract_no
    did = _post(client, keys["collector"], tx.ref, pdf_bytes(1), f"disbursement-{number}.pdf", category="disbursement",
                title="Proof of disbursement").json()["id"]
    plan = plan_packet(load_case_file(db, tx.ref), evidence_service.list_items(db, tx), [], templates_dir=TEMPLATES)
    named = original_names(plan)[did]
    assert number not in named and named.endswith(f"-disbursement-{Redaction(3, '').redact(number)}.pdf"), named
    # and the exhibit index says Exhibit 1 is the redacted copy, not the agreement "as signed"
    for text in map(squash, texts(context(db, tx.ref, "evidence_index"), tmp_path)):
        assert "Exhibit1isaredactedcopyofthesignedagreement" in text, text
        assert "Plaintiffretainstheunredactedoriginal" in text and "numberassigned" not in text


def _upload_item(n: int, category: str, **links: int | None) -> EvidenceItem:
    return EvidenceItem(id=n, case_id=1, sha256=f"{n:064x}", size=1, media_type="application/pdf",
                        filename=f"{category}-{n}.pdf", title="Personal Loan Agreement", category=category,
                        form="documentary", source="Plaintiff's records", original_available=True, purpose="-",
                        pages=1, received_at=datetime(2025, 11, 1, tzinfo=UTC), actor="test", **links)


def test_a_texas_upload_showing_the_number_whole_without_a_redacted_copy_is_named_missing(db):
    case = _texas(db)
    plan = plan_packet(load_case_file(db, case.ref), [_upload_item(4, "loan_contract")], [], templates_dir=TEMPLATES)
    assert ("a redacted copy of “Personal Loan Agreement” (evidence 4): Tex. R. Civ. P. 21c lets a filing show an "
            "account number by its last 3 digits only, the others replaced by “X” (upload the copy as “Loan "
            "contract”, a redaction of evidence 4)") in plan.missing
    assert not plan.complete  # the packet is refused, or built as a DRAFT, as for a missing signed scan
    case.us_state = "IL"  # Illinois keeps four digits (Ill. S. Ct. R. 138): its own rule names the copy missing
    plan = plan_packet(load_case_file(db, case.ref), [_upload_item(4, "loan_contract")], [], templates_dir=TEMPLATES)
    assert [m for m in plan.missing if "redacted" in m] == [
        "a redacted copy of “Personal Loan Agreement” (evidence 4): Ill. S. Ct. R. 138 lets a filing show an "
        "account number by its last 4 digits only, the others replaced by “X” (upload the copy as “Loan "
        "contract”, a redaction of evidence 4)"]


def test_a_chinese_packet_files_the_original_whole(db):
    """民诉法 art. 124: a Chinese court sees the identity whole; a copy uploaded there is not filed."""
    case = litigation_case(db)
    items = [_upload_item(1, "loan_contract"), _upload_item(2, "loan_contract", redaction_of=1)]
    plan = plan_packet(load_case_file(db, case.ref), items, [], templates_dir=TEMPLATES)
    (row,) = [e for e in plan.exhibits if e.key == "loan_contract"]
    assert [i.id for i in row.evidence] == [1] and plan.redactions == {}
    # the copy is named among the uploads not filed, with the reason (never left out unsaid)
    assert plan.withheld == ["Personal Loan Agreement（证据2）：系证据1的遮蔽件；原件全文提交，故不提交遮蔽件"]


def test_every_upload_a_packet_does_not_file_is_named_with_the_reason(db):
    """Review: an upload no exhibit takes was left out of the packet unsaid. A copy a later copy of the
    same original replaces, and an upload of a category no exhibit files, are named with the reason;
    the original filed as its copy is not (the manifest names it)."""
    case = _texas(db)
    items = [_upload_item(1, "loan_contract"), _upload_item(2, "loan_contract", redaction_of=1),
             _upload_item(3, "loan_contract", redaction_of=1), _upload_item(4, "payment_record"),
             _upload_item(5, "other")]
    plan = plan_packet(load_case_file(db, case.ref), items, [], templates_dir=TEMPLATES)
    assert [i.id for e in plan.exhibits for i in e.evidence] == [3]
    assert plan.withheld == [
        "Personal Loan Agreement (evidence 2): a redacted copy of evidence 1, which is filed as a later copy "
        "(evidence 3), so it is not filed",
        "Personal Loan Agreement (evidence 4): no exhibit of this packet files an upload of the category "
        "“Payment record”, so it is not filed",
        "Personal Loan Agreement (evidence 5): no exhibit of this packet files an upload of the category "
        "“Other”, so it is not filed"], plan.withheld
    assert not [m for m in plan.missing if "evidence 4" in m or "evidence 5" in m]  # never a reason for DRAFT


def _two_signed_visits(db: Session):  # type: ignore[no-untyped-def]
    case = litigation_case(db)
    _visit(db, case, date(2025, 6, 24))
    visits = list(db.scalars(select(Visit).where(Visit.case_id == case.id).order_by(Visit.id)))
    assert [v.signature for v in visits] == ["signed", "signed"]
    return case, visits


def _scan_rows(db: Session, case, items: list[EvidenceItem]) -> dict[str, list[int]]:  # type: ignore[no-untyped-def]
    plan = plan_packet(load_case_file(db, case.ref), items, [], templates_dir=TEMPLATES)
    return {e.params["visit_id"]: [i.id for i in e.evidence] for e in plan.exhibits if e.key == "signed_visit_record"}


def test_signed_visit_scans_go_to_the_visit_they_name_whatever_the_upload_order(db):
    case, (first, second) = _two_signed_visits(db)
    later_first = [_upload_item(5, "signed_visit_record", visit_id=second.id),
                   _upload_item(6, "signed_visit_record", visit_id=first.id)]
    assert _scan_rows(db, case, later_first) == {str(first.id): [6], str(second.id): [5]}
    # a scan naming no visit (uploaded before uploads named one) takes, in upload order, a visit no scan names
    mixed = [_upload_item(5, "signed_visit_record"), _upload_item(6, "signed_visit_record", visit_id=first.id)]
    assert _scan_rows(db, case, mixed) == {str(first.id): [6], str(second.id): [5]}
    unnamed = [_upload_item(5, "signed_visit_record"), _upload_item(6, "signed_visit_record")]
    assert _scan_rows(db, case, unnamed) == {str(first.id): [5], str(second.id): [6]}  # upload order, as before


def test_the_api_records_a_scans_visit_of_the_same_case_only(client, keys, db):
    case, (first, _second) = _two_signed_visits(db)
    other = litigation_case(db)
    elsewhere = db.scalar(select(Visit.id).where(Visit.case_id == other.id))
    meta = {"category": "signed_visit_record", "title": "上门走访记录签署件", "source": "原告外访人员"}
    _refused(_post(client, keys["collector"], case.ref, pdf_bytes(2), visit_id=elsewhere, **meta), "visit_id",
             f"visit {elsewhere} is not a visit of case {case.ref}")
    made = _post(client, keys["collector"], case.ref, pdf_bytes(2), visit_id=first.id, **meta)
    assert made.status_code == 201 and made.json()["visit_id"] == first.id
    copy = _post(client, keys["collector"], case.ref, pdf_bytes(3), redaction_of=made.json()["id"], **meta)
    assert copy.status_code == 201 and copy.json()["visit_id"] == first.id  # a copy records its original's visit



def test_the_cli_uploads_a_redacted_copy_and_names_a_wrong_option(run, db, tmp_path, settings, monkeypatch):
    monkeypatch.setattr("service.cli.get_settings", lambda: settings)
    case = _texas(db)
    scan, masked = tmp_path / "contract.pdf", tmp_path / "redacted.pdf"
    scan.write_bytes(pdf_bytes(2))
    masked.write_bytes(pdf_bytes(3))
    meta = ["--title", "Personal Loan Agreement", "--category", "loan_contract", "--form", "documentary",
            "--source", "Plaintiff's records", "--purpose", "Shows the loan agreement"]
    made = run("evidence", "add", case.ref, str(scan), *meta)
    assert made.exit_code == 0, made.output
    oid = db.scalar(select(EvidenceItem.id).where(EvidenceItem.case_id == case.id))
    wrong = run("evidence", "add", case.ref, str(masked), *meta, "--redaction-of", "99999")
    assert wrong.exit_code == 1 and "--redaction-of: evidence 99999 is not an upload" in wrong.output
    copy = run("evidence", "add", case.ref, str(masked), *meta, "--redaction-of", str(oid))
    assert copy.exit_code == 0, copy.output
    assert db.scalar(select(EvidenceItem.redaction_of).where(EvidenceItem.id != oid,
                                                             EvidenceItem.case_id == case.id)) == oid



@pytest.mark.parametrize("state", ["IL", "TX"])
def test_the_manifest_says_which_files_of_originals_are_redacted_copies_not_as_received(db, settings, tmp_path,
                                                                                         state):
    """Review: the US manifest called originals/ "the files as received, byte for byte" while a redacted
    copy stood there in its original's place. With copies filed, it names each one and says it is not
    the file as received (its item names the original); without, the files are as received."""
    import json
    import zipfile

    from service.packets.build import build_packet
    from tests.documents.legal_cases import DAY
    from tests.documents.test_acceleration_notices import in_state

    meta = {k: v for k, v in CONTRACT.items() if k != "original_available"}
    case = in_state(db, state)
    original = evidence_service.receive(db, settings, case, stream=io.BytesIO(pdf_bytes(2)), filename="contract.pdf",
                                        original_available=True, actor="t", **meta)
    if state == "TX":
        evidence_service.receive(db, settings, case, stream=io.BytesIO(pdf_bytes(3)), filename="masked.pdf",
                                 original_available=True, actor="t", redaction_of=original.id, **meta)
    build_packet(db, settings, case.ref, tmp_path / "p.zip", as_of=DAY, draft=True)
    with zipfile.ZipFile(tmp_path / "p.zip") as z:
        manifest = json.loads(z.read("manifest.json"))
    (words,) = manifest["folders"]["originals/"].values()
    copies = [i["path"] for i in manifest["items"] if "redaction_of" in i]
    if state == "IL":
        assert not copies and "as received" in words and "redacted" not in words, words
        return
    assert copies == ["originals/exhibit01-1-redacted.pdf"], copies
    assert ("but for originals/exhibit01-1-redacted.pdf: a redacted copy of an upload (Tex. R. Civ. P. 21c), "
            "filed in its place, not the file as received") in words, words


def _signed_and_refused(db: Session):  # type: ignore[no-untyped-def]
    """A case whose first visit the borrower signed and whose second one's record the borrower refused."""
    case, (signed, refused) = _two_signed_visits(db)
    refused.signature = "refused"
    db.flush()
    return case, signed, refused


def test_a_scan_naming_a_visit_the_borrower_did_not_sign_is_named_not_filed(db):
    """Review: a scan naming a visit the borrower did not sign was silently not filed. The plan names
    it among the uploads not filed, with the reason; the visit's record is filed as made (refused)."""
    case, signed, refused = _signed_and_refused(db)
    items = [_upload_item(5, "signed_visit_record", visit_id=signed.id),
             _upload_item(6, "signed_visit_record", visit_id=refused.id)]
    plan = plan_packet(load_case_file(db, case.ref), items, [], templates_dir=TEMPLATES)
    assert 6 not in {i.id for e in plan.exhibits for i in e.evidence}
    assert [e.params["visit_id"] for e in plan.exhibits if e.key == "visit_record"] == [str(refused.id)]
    assert plan.withheld == ["Personal Loan Agreement（证据6）：载明的是2025年6月24日的走访，"
                             "该次走访记录被访人拒绝签字，故不作为签署件提交；"
                             "该次走访记录按原样提交，并注明未经被告签字的原因"], plan.withheld
    assert not [m for m in plan.missing if "走访" in m]  # never a reason for DRAFT, as a recording withheld is not


def test_a_scan_naming_no_visit_left_over_or_replaced_by_a_later_one_is_named_not_filed(db):
    """Review: a scan naming no visit, with every signed visit's scan already found, was silently not
    filed, as was a scan of a visit a later scan of the same visit replaces. The plan names each among
    the uploads not filed, with the reason, and files the others as before."""
    case, (first, second) = _two_signed_visits(db)
    items = [_upload_item(5, "signed_visit_record", visit_id=first.id),
             _upload_item(6, "signed_visit_record", visit_id=second.id),
             _upload_item(7, "signed_visit_record"),  # names no visit, and no signed visit is left for it
             _upload_item(8, "signed_visit_record", visit_id=first.id)]  # replaces 5
    plan = plan_packet(load_case_file(db, case.ref), items, [], templates_dir=TEMPLATES)
    assert {e.params["visit_id"]: [i.id for i in e.evidence] for e in plan.exhibits
            if e.key == "signed_visit_record"} == {str(first.id): [8], str(second.id): [6]}
    assert plan.withheld == [
        "Personal Loan Agreement（证据5）：载明的是2025年6月10日的走访，"
        "该次走访的签署件以较晚上传的证据8提交，故不提交",
        "Personal Loan Agreement（证据7）：未载明所属走访，而经被访人签字的各次走访均已提交签署件，故不提交",
    ], plan.withheld
    assert not [m for m in plan.missing if "走访" in m]  # not a reason for DRAFT
    # every upload is filed or named not filed
    filed = {i.id for e in plan.exhibits for i in e.evidence}
    assert {i.id for i in items} == filed | {5, 7}
    # two scans naming no visit for the two signed visits: both filed, nothing withheld (as before)
    unnamed = [_upload_item(5, "signed_visit_record"), _upload_item(6, "signed_visit_record")]
    assert plan_packet(load_case_file(db, case.ref), unnamed, [], templates_dir=TEMPLATES).withheld == []


def test_a_scan_naming_no_visit_is_named_not_filed_where_no_visit_was_signed(db):
    """No signed visit for a scan naming none to go to: in a Chinese packet (its visits refused and
    absent) and in an English one (no visit at all)."""
    case, _, _ = _signed_and_refused(db)
    cf = load_case_file(db, case.ref)
    cf.visits[0].signature = "absent"
    plan = plan_packet(cf, [_upload_item(9, "signed_visit_record")], [], templates_dir=TEMPLATES)
    assert plan.withheld == [
        "Personal Loan Agreement（证据9）：未载明所属走访，而经被访人签字的各次走访均已提交签署件，故不提交"]
    us = us_case(db)
    plan = plan_packet(load_case_file(db, us.ref), [_upload_item(9, "signed_visit_record")], [],
                       templates_dir=TEMPLATES)
    assert plan.locale == "en-US" and plan.withheld == [
        "Personal Loan Agreement (evidence 9): it names no visit, and every visit whose record Defendant signed "
        "has its scan filed, so it is not filed"], plan.withheld


def test_visit_photos_with_no_visit_made_are_named_not_filed(db):
    """The photos follow the first visit's record; with no visit made there is none, and the plan says
    so rather than leaving them out unsaid."""
    cf = load_case_file(db, litigation_case(db).ref)
    photo = _upload_item(3, "visit_photo")
    assert plan_packet(cf, [photo], [], templates_dir=TEMPLATES).withheld == []  # filed with the visit's record
    cf.visits[0].started_at = None
    plan = plan_packet(cf, [photo], [], templates_dir=TEMPLATES)
    assert 3 not in {i.id for e in plan.exhibits for i in e.evidence}
    assert plan.withheld == ["Personal Loan Agreement（证据3）：本案尚无已进行的走访，照片无所附的走访记录，故不提交"]


def test_an_upload_naming_a_visit_the_borrower_did_not_sign_is_refused_naming_visit_id(client, keys, db, run,
                                                                                      settings, monkeypatch,
                                                                                      tmp_path):
    case, signed, refused = _signed_and_refused(db)
    meta = {"category": "signed_visit_record", "title": "上门走访记录签署件", "source": "原告外访人员"}
    _refused(_post(client, keys["collector"], case.ref, pdf_bytes(2), visit_id=refused.id, **meta), "visit_id",
             f"visit {refused.id} of case {case.ref} was not signed by the borrower (refused)")
    assert _post(client, keys["collector"], case.ref, pdf_bytes(2), visit_id=signed.id, **meta).status_code == 201
    monkeypatch.setattr("service.cli.get_settings", lambda: settings)
    scan = tmp_path / "visit.pdf"
    scan.write_bytes(pdf_bytes(3))
    out = run("evidence", "add", case.ref, str(scan), "--title", "上门走访记录签署件", "--category",
              "signed_visit_record", "--form", "documentary", "--source", "原告外访人员", "--purpose", "走访经过",
              "--visit-id", str(refused.id))
    assert out.exit_code == 1 and f"--visit-id: visit {refused.id} of case {case.ref} was not signed" in out.output, \
        out.output
