"""A case's own document previewed for review (API, CLI, web): the document generating it would
make, DRAFT on every page, and nothing recorded — no document, communication, audit event or
stored file — so a review never enters the case's history, its packet or its contact count.
The rules about what the document says still refuse it; those about sending it now (hours,
holds, DOC-03) come back as warnings."""

import io
import re
from contextlib import contextmanager
from pathlib import Path

import pikepdf
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from service.audit.models import AuditEvent
from service.cases.models import Communication
from service.documents.models import GeneratedDocument
from tests.conftest import auth
from tests.documents.conftest import pdf_text
from tests.factories import import_case

PRENOTICE = {"kind": "credit_report_prenotice", "as_of": "2025-06-20"}
DRAFT = re.compile(r"DRAFT")


def counts(db: Session) -> list[int]:
    return [db.scalar(select(func.count()).select_from(m)) or 0 for m in (GeneratedDocument, AuditEvent,
                                                                          Communication)]


def pages_text(data: bytes, tmp: Path) -> list[str]:
    texts = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            single = pikepdf.new()
            single.pages.append(page)
            out = io.BytesIO()
            single.save(out)
            texts.append("".join(pdf_text(out.getvalue(), tmp).split()))
    return texts


def test_the_preview_is_the_document_generating_would_make_and_records_nothing(client, keys, db, settings,
                                                                                tmp_path) -> None:
    case = import_case(db)
    before, files = counts(db), sorted(Path(settings.storage_dir).rglob("*"))
    shown = client.post(f"/v1/cases/{case.ref}/documents/preview", json=PRENOTICE, headers=auth(keys["collector"]))
    assert shown.status_code == 200, shown.text
    assert shown.headers["content-type"] == "application/pdf" and "Dossier-Warnings" not in shown.headers
    assert counts(db) == before and sorted(Path(settings.storage_dir).rglob("*")) == files
    drafted = pages_text(shown.content, tmp_path)
    assert drafted and all("DRAFT" in page for page in drafted)  # on every page, drawn diagonally

    made = client.post(f"/v1/cases/{case.ref}/documents", json=PRENOTICE, headers=auth(keys["collector"]))
    assert made.status_code == 201, made.text
    content = client.get(f"/v1/documents/{made.json()['id']}/content", headers=auth(keys["collector"])).content
    # the same words, page by page: the preview is this case's document, not a sample
    assert [DRAFT.sub("", p) for p in drafted] == pages_text(content, tmp_path)


def test_sending_rules_warn_and_content_rules_refuse(client, keys, db) -> None:
    case = import_case(db)
    assert client.post(f"/v1/cases/{case.ref}/documents", json=PRENOTICE,
                       headers=auth(keys["collector"])).status_code == 201
    before = counts(db)
    again = client.post(f"/v1/cases/{case.ref}/documents/preview", json=PRENOTICE, headers=auth(keys["collector"]))
    assert again.status_code == 200 and again.headers["Dossier-Warnings"] == "DOC-03"  # sent already: a warning
    refused = client.post(f"/v1/cases/{case.ref}/documents/preview", json={"kind": "civil_complaint"},
                          headers=auth(keys["legal_staff"]))
    assert refused.status_code == 422 and "DOC-01" in {v["rule"] for v in refused.json()["violations"]}
    assert client.post(f"/v1/cases/{case.ref}/documents/preview", json={"kind": "civil_complaint"},
                       headers=auth(keys["collector"])).status_code == 403  # the audience, as generating
    assert client.post(f"/v1/cases/{case.ref}/documents/preview", json={"kind": "nope"},
                       headers=auth(keys["collector"])).status_code == 422
    assert counts(db) == before


def _cli(db: Session, monkeypatch, *args: str):  # type: ignore[no-untyped-def]
    from service.cli import app as cli

    @contextmanager
    def unit_of_work(url, **_):  # type: ignore[no-untyped-def]
        yield db

    monkeypatch.setattr("service.core.db.unit_of_work", unit_of_work)
    return CliRunner().invoke(cli, list(args), env={"COLUMNS": "400"})


def test_dossier_render_draft_writes_the_preview_and_records_nothing(db, monkeypatch, tmp_path) -> None:
    case = import_case(db)
    before = counts(db)
    out = tmp_path / "prenotice.pdf"
    result = _cli(db, monkeypatch, "render", case.ref, "credit_report_prenotice", "--as-of", "2025-06-20",
                  "--draft", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "nothing recorded" in result.output and all("DRAFT" in p for p in pages_text(out.read_bytes(), tmp_path))
    assert counts(db) == before
    docx = _cli(db, monkeypatch, "render", case.ref, "credit_report_prenotice", "--draft", "--format", "docx",
                "-o", str(tmp_path / "x.docx"))
    assert docx.exit_code == 1 and "--draft makes a PDF" in docx.output and not (tmp_path / "x.docx").exists()
