"""Review: the case page's evidence upload had no field for what the API and the CLI take, the
upload a file is a redacted copy of (redaction_of, Tex. R. Civ. P. 21c) and the visit a signed visit
record's scan records (visit_id). The form offers them, chosen from the case's own evidence and
visits, and the server checks them as the API does (evidence_service.receive), a refusal naming the
field."""

from collections.abc import Callable
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.cases.models import Visit
from service.packets.models import EvidenceItem
from tests.documents.legal_cases import _visit, litigation_case
from tests.packets.test_evidence_api import pdf_bytes
from tests.web.conftest import csrf_of

META = {"title": "借款合同", "category": "loan_contract", "form": "documentary", "source": "原告自存",
        "purpose": "证明借款合同关系", "original_available": "true"}


def _post(client: TestClient, ref: str, page: str, data: bytes, **fields: object):  # type: ignore[no-untyped-def]
    return client.post(f"/cases/{ref}/evidence", data={"csrf_token": csrf_of(page), **META, **fields},
                       files={"file": ("scan.pdf", data, "application/pdf")}, follow_redirects=False)


def test_the_upload_form_offers_the_cases_originals_and_visits_and_records_the_links(
        signed_in: Callable[[str], TestClient], db: Session) -> None:
    case = litigation_case(db)
    _visit(db, case, date(2025, 6, 24))
    first, second = db.scalars(select(Visit).where(Visit.case_id == case.id).order_by(Visit.id))
    second.signature = "refused"
    db.flush()
    client = signed_in("collector")
    page = client.get(f"/cases/{case.ref}").text
    assert 'name="redaction_of"' in page and 'name="visit_id"' in page
    assert _post(client, case.ref, page, pdf_bytes(2)).status_code == 303
    original = db.scalar(select(EvidenceItem).where(EvidenceItem.case_id == case.id))
    page = client.get(f"/cases/{case.ref}").text
    assert f'<option value="{original.id}">' in page  # the case's upload, offered as an original
    assert f'<option value="{first.id}">' in page and f'<option value="{second.id}" disabled>' in page
    copy = _post(client, case.ref, page, pdf_bytes(3), redaction_of=str(original.id))
    assert copy.status_code == 303, copy.text
    scan = _post(client, case.ref, page, pdf_bytes(4), category="signed_visit_record", title="走访记录签署件",
                 visit_id=str(first.id))
    assert scan.status_code == 303, scan.text
    made = list(db.scalars(select(EvidenceItem).where(EvidenceItem.case_id == case.id).order_by(EvidenceItem.id)))
    assert [(i.redaction_of, i.visit_id) for i in made] == [(None, None), (original.id, None), (None, first.id)]


def test_a_wrong_original_or_visit_is_refused_naming_the_field_as_the_api_does(
        signed_in: Callable[[str], TestClient], db: Session) -> None:
    case = litigation_case(db)
    other = litigation_case(db)
    elsewhere = db.scalar(select(Visit.id).where(Visit.case_id == other.id))
    (visit,) = db.scalars(select(Visit).where(Visit.case_id == case.id))
    visit.signature = "refused"
    db.flush()
    client = signed_in("collector")
    page = client.get(f"/cases/{case.ref}").text
    for fields, name, words in (
            ({"redaction_of": "99999"}, "redaction_of", f"evidence 99999 is not an upload of case {case.ref}"),
            ({"category": "signed_visit_record", "visit_id": str(elsewhere)}, "visit_id",
             f"visit {elsewhere} is not a visit of case {case.ref}"),
            ({"category": "signed_visit_record", "visit_id": str(visit.id)}, "visit_id",
             f"visit {visit.id} of case {case.ref} was not signed by the borrower (refused)"),
            ({"visit_id": "0"}, "visit_id", "")):
        refused = _post(client, case.ref, page, pdf_bytes(2), **fields)
        assert refused.status_code == 422 and f"<code>{name}</code>" in refused.text and words in refused.text, \
            (fields, refused.text[-1500:])
    assert not db.scalar(select(EvidenceItem.id).where(EvidenceItem.case_id == case.id))
