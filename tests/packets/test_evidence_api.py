"""Evidence upload: typed by content, stored once by hash, refused cleanly, audited."""

import io
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from sqlalchemy import func, select

from service.audit.models import AuditEvent
from service.core.storage import get_store
from service.packets.models import EvidenceItem
from tests.conftest import auth

META = {"title": "借款合同", "category": "loan_contract", "form": "electronic", "source": "电子签约平台",
        "purpose": "证明借款合同关系成立", "original_available": "true"}


def pdf_bytes(pages: int = 2, encrypt: bool = False) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(owner="o", user="u") if encrypt else False)
    return out.getvalue()


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 100, 50)).save(out, "JPEG")
    return out.getvalue()


def _upload(client, key, ref, name, data, **meta):
    return client.post(f"/v1/cases/{ref}/evidence", headers=auth(key), data={**META, **meta},
                       files={"file": (name, data, "application/octet-stream")})


def _objects(settings) -> list[Path]:
    root = settings.storage_dir / "objects"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_upload_list_download_and_audit(client, keys, case, db, settings):
    data = pdf_bytes()
    r = _upload(client, keys["collector"], case.ref, "合同.pdf", data)
    assert r.status_code == 201, r.text
    item = r.json()
    assert item["media_type"] == "application/pdf" and item["pages"] == 2 and item["filename"] == "合同.pdf"
    listed = client.get(f"/v1/cases/{case.ref}/evidence", headers=auth(keys["law_firm"]))
    assert listed.status_code == 404  # not assigned to the firm
    listed = client.get(f"/v1/cases/{case.ref}/evidence", headers=auth(keys["legal_staff"])).json()
    assert [i["sha256"] for i in listed] == [item["sha256"]]
    got = client.get(f"/v1/cases/{case.ref}/evidence/{item['id']}/content", headers=auth(keys["legal_staff"]))
    assert got.status_code == 200 and got.content == data
    actions = list(db.scalars(select(AuditEvent.action).where(AuditEvent.case_id == case.id)))
    assert "evidence.received" in actions and "evidence.downloaded" in actions


def test_same_file_twice_is_stored_once(client, keys, case, settings):
    data = pdf_bytes(3)
    for _ in range(2):
        assert _upload(client, keys["collector"], case.ref, "a.pdf", data).status_code == 201
    store = get_store(settings)
    sha = __import__("hashlib").sha256(data).hexdigest()
    assert store.exists(sha)
    assert sum(1 for p in _objects(settings) if p.name == sha) == 1


REFUSALS = [
    ("empty", "empty.pdf", b""),
    ("encrypted_pdf", "locked.pdf", pdf_bytes(encrypt=True)),
    ("corrupt_pdf", "broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage"),
    ("executable", "invoice.pdf", b"MZ\x90\x00" + b"\x00" * 200),
    ("markup", "photo.jpg", b"<html><body><script>alert(1)</script></body></html>"),
    ("bad_filename", "../../etc/passwd.pdf", pdf_bytes()),
    ("bad_filename", "..\\windows\\evil.pdf", pdf_bytes()),
    ("extension_mismatch", "photo.png", jpeg_bytes()),
    ("polyglot", "contract.pdf", pdf_bytes() + b"<html><script>alert(1)</script></html>"),
    ("polyglot", "contract.pdf", b"hello\n" + pdf_bytes()),
    ("markup", "notes.txt", "通话记录\n<script>alert(1)</script>\n".encode()),
]


@pytest.mark.parametrize(("code", "name", "data"), REFUSALS, ids=[f"{c}:{n!r}" for c, n, _ in REFUSALS])
def test_refusals_name_the_problem_and_store_nothing(client, keys, case, db, settings, code, name, data):
    before = (_objects(settings), db.scalar(select(func.count()).select_from(EvidenceItem)))
    r = _upload(client, keys["collector"], case.ref, name, data)
    assert r.status_code == 422, r.text
    assert r.json()["type"].endswith("evidence-rejected")
    assert r.json()["code"] == code and r.json()["detail"]  # a stable code beside a readable message
    assert (_objects(settings), db.scalar(select(func.count()).select_from(EvidenceItem))) == before
    tmp = settings.storage_dir / "tmp"
    assert not tmp.exists() or not any(tmp.iterdir())


def test_metadata_is_validated(client, keys, case):
    r = _upload(client, keys["collector"], case.ref, "a.pdf", pdf_bytes(), category="nonsense")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "category"


def test_too_large_is_refused_while_streaming(client, keys, case, settings, app):
    app.state.settings = settings.model_copy(update={"max_upload_bytes": 1000})
    r = _upload(client, keys["collector"], case.ref, "big.pdf", pdf_bytes(50))
    assert r.status_code == 413


def test_the_form_is_a_code_and_the_old_chinese_word_is_an_alias(client, keys, case, db):
    r = _upload(client, keys["collector"], case.ref, "a.pdf", pdf_bytes(1), form="documentary")
    assert r.status_code == 201, r.text
    assert r.json()["form"] == "documentary"
    old = _upload(client, keys["collector"], case.ref, "b.pdf", pdf_bytes(3), form="电子数据")
    assert old.status_code == 201, old.text
    assert old.json()["form"] == "electronic"  # stored as the code, whatever word was sent
    stored = set(db.scalars(select(EvidenceItem.form).where(EvidenceItem.case_id == case.id)))
    assert stored == {"documentary", "electronic"}
    bad = _upload(client, keys["collector"], case.ref, "c.pdf", pdf_bytes(2), form="paper")
    assert bad.status_code == 422 and "form" in bad.text


def test_migration_0014_rewrites_stored_words_as_codes(tmp_path):
    from sqlalchemy import create_engine, text

    from service.core.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url, "0013")
    engine = create_engine(url)
    columns = ("case_id, sha256, size, media_type, filename, title, category, form, source, original_available, "
               "purpose, received_at, actor")
    with engine.begin() as conn:
        for n, word in enumerate(("书证", "电子数据", "视听资料", "证人证言")):
            conn.execute(text(f"insert into evidence_item ({columns}) values (1, :sha, 1, 'application/pdf', 'f', "
                              "'t', 'other', :form, 's', 0, 'p', '2026-12-01 00:00:00', 'a')"),
                         {"sha": f"{n:064d}", "form": word})
    upgrade(url)
    with engine.connect() as conn:
        forms = [row[0] for row in conn.execute(text("select form from evidence_item order by id"))]
    engine.dispose()
    assert forms == ["documentary", "electronic", "audiovisual", "witness"]
