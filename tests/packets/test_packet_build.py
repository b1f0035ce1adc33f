"""A court-bound demo case yields a bundle a court and a verifier accept; tampering is caught."""

import io
import json
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from evidence.verify import verify_bundle
from service.app import create_app
from service.audit.models import AuditEvent
from service.cases.casefile import load_case_file
from service.cases.models import DebtCase
from service.core.db import engine_for, unit_of_work
from service.core.migrate import upgrade
from service.core.settings import Settings
from service.demo.seed import stored_credentials
from service.documents.format import date_cn
from service.packets.service import build_and_record
from tests.conftest import auth
from tests.documents.conftest import squash
from tests.factories import DEMO_ANCHOR
from tests.seeded import seed_demo

PRE_LITIGATION_CASE = "CN-00012"  # seed order: stage index 11 of the CN list
JUDGMENT_CASE = "CN-00014"
UNASSIGNED_CASE = PRE_LITIGATION_CASE  # its firm is unassigned by a test, after the bundle is built


def _page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """A committed database with 16 demo cases, their evidence and notices."""
    tmp = tmp_path_factory.mktemp("packets")
    settings = Settings(database_url=f"sqlite:///{tmp / 'p.db'}", storage_dir=tmp / "store")
    upgrade(settings.database_url)
    with unit_of_work(settings.database_url) as s:
        seed_demo(s, anchor=DEMO_ANCHOR, cases=16, settings=settings)
    return settings, tmp


@pytest.fixture(scope="module")
def bundle(seeded):
    settings, tmp = seeded
    out = tmp / "bundle.zip"
    with unit_of_work(settings.database_url) as s:
        built, summary = build_and_record(s, settings, PRE_LITIGATION_CASE, out, as_of=DEMO_ANCHOR, draft=False,
                                          sign=True, actor="test")
    return out, built, summary, settings


def test_bundle_layout_and_manifest(bundle, tmp_path):
    out, _built, summary, _ = bundle
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        manifest = json.loads(z.read("manifest.json"))
        z.extract("packet.pdf", tmp_path)
    assert {"packet.pdf", "manifest.json", "SHA256SUMS"} <= set(names)
    assert any(n.startswith("pleadings/") and n.endswith(".docx") for n in names)
    assert any(n.startswith("originals/") and n.endswith(".wav") for n in names)  # recordings shipped, not merged
    assert manifest["case_ref"] == PRE_LITIGATION_CASE and manifest["template_versions"]
    originals = [i for i in manifest["items"] if i["path"].startswith("originals/")]
    assert originals and all(i["sha256"] and i["title"] and i["source"] and i["purpose"] for i in originals)
    # each original is named by the exhibit it is filed under (review U-7/C12-8: "007-call-1.wav" was 证据9)
    assert all(i["path"].startswith(f"originals/exhibit{i['exhibit']:02d}-") for i in originals), originals
    # the Chinese documents call the folder 原件目录; the manifest names it in both languages
    assert set(manifest["folders"]["originals/"]) == {"zh-CN", "en-US"}
    assert manifest["folders"]["originals/"]["zh-CN"].startswith("原件目录")
    paged = [i for i in originals if not i["media_type"].startswith("audio/")]
    assert paged and all(i["bates_first"] and i["bates_last"] for i in paged)
    assert manifest["total_pages"] == summary["pages"] == len(pikepdf.open(tmp_path / "packet.pdf").pages)
    check = subprocess.run(["qpdf", "--check", str(tmp_path / "packet.pdf")], capture_output=True, text=True)
    assert check.returncode in (0, 3), check.stdout + check.stderr  # 3 = warnings only


def test_every_page_has_its_bates_label_and_the_index_points_at_real_pages(bundle, tmp_path):
    out, _built, _, _ = bundle
    with zipfile.ZipFile(out) as z:
        z.extract("packet.pdf", tmp_path)
        manifest = json.loads(z.read("manifest.json"))
    pages = _page_texts(tmp_path / "packet.pdf")
    prefix = manifest["bates_prefix"]
    for n, text in enumerate(pages):
        assert f"{prefix}{n + 1:06d}" in text, f"page {n + 1} lacks its Bates label"
    index_parts = [p for p in manifest["parts"] if p["kind"] == "evidence_index"]
    index_text = "".join(pages[index_parts[0]["first_page"] - 1: index_parts[0]["last_page"]])
    for row in (r for r in manifest["exhibits"] if r["first_page"]):
        cover = pages[row["first_page"] - 1]
        assert f"证据{row['number']}" in cover.replace(" ", ""), f"exhibit {row['number']} does not start on its page"
        assert row["bates_first"] in index_text and row["bates_last"] in index_text
        assert pages[row["last_page"] - 1].find(row["bates_last"]) >= 0


def test_the_packets_pleadings_refer_to_the_pages_its_index_states(bundle, tmp_path):
    """In a packet the complaint and the element form send the court to the evidence index for
    page numbers, and the index has them (on its own neither does: tests/documents/test_index_page_refs.py)."""
    out, built, _, _ = bundle
    with zipfile.ZipFile(out) as z:
        z.extract("packet.pdf", tmp_path)
    pages = [t.replace(" ", "").replace("\n", "") for t in _page_texts(tmp_path / "packet.pdf")]
    parts = [p for p in built.assembly.parts if p.kind in ("pleading", "evidence_index")]
    text = {p.title: "".join(pages[p.first_page - 1:p.last_page]) for p in parts}
    assert "证明目的及页码详见《证据目录》" in text["民事起诉状"], list(text)
    assert "证明对象及页码）" in next(v for k, v in text.items() if "要素" in k)
    index = next(v for k, v in text.items() if "证据目录" in k)
    assert all(f"{r['first_page']}–{r['last_page']}" in index for r in built.rows if r["first_page"])
    assert "本目录未附装订页码" not in index


def test_the_index_names_a_recording_by_its_upload_not_its_path_in_the_bundle(bundle, tmp_path):
    """CN-00060 review: the index printed "文件：originals/exhibit15-1-….wav", a path in the bundle;
    it names the recording as uploaded, the name the bundle's file ends with."""
    out, built, _, _ = bundle
    with zipfile.ZipFile(out) as z:
        z.extract("packet.pdf", tmp_path)
        originals = [n for n in z.namelist() if n.startswith("originals/") and n.endswith(".wav")]
    files = [r["file"] for r in built.rows if r.get("file")]
    assert files and originals
    assert all("/" not in f and not f.startswith("exhibit") for f in files), files
    assert all(any(n.endswith(f"-{f}") for n in originals) for f in files), (files, originals)
    index = next(p for p in built.assembly.parts if p.kind == "evidence_index")
    text = "".join(_page_texts(tmp_path / "packet.pdf")[index.first_page - 1:index.last_page]).replace(" ", "")
    assert "originals/" not in text and all(f"文件：{f}" in text for f in files), text


def test_index_links_go_to_the_exhibits(bundle, tmp_path):
    _out, built, _, _ = bundle
    assert built.assembly.links >= len([r for r in built.rows if r["first_page"]])


def test_the_cover_lists_every_part_with_its_pages_and_links_to_them(bundle, tmp_path):
    """Issue 10 §6: the cover's contents give each pleading's and exhibit's final page range, and
    each range is a link (an internal GoTo) to the part's first page."""
    out, built, _, _ = bundle
    with zipfile.ZipFile(out) as z:
        z.extract("packet.pdf", tmp_path)
    cover = built.assembly.parts[0]
    texts = _page_texts(tmp_path / "packet.pdf")
    cover_text = "".join(texts[cover.first_page - 1:cover.last_page]).replace(" ", "")
    pleadings = [p for p in built.assembly.parts if p.kind in ("pleading", "evidence_index")]
    ranges = [(p.first_page, p.last_page) for p in pleadings]
    ranges += [(r["first_page"], r["last_page"]) for r in built.rows if r["first_page"]]
    for first, last in ranges:
        assert (f"{first}–{last}" if last != first else f"{first}") in cover_text, (first, last)
    with pikepdf.open(tmp_path / "packet.pdf") as pdf:
        number = {page.obj.objgen: n for n, page in enumerate(pdf.pages, start=1)}
        targets = set()
        for page in list(pdf.pages)[cover.first_page - 1:cover.last_page]:
            for annot in page.obj.get("/Annots", []):
                action = annot.get("/A")
                if action is not None and action.get("/S") == pikepdf.Name.GoTo:
                    targets.add(number[action.D[0].objgen])
    assert {first for first, _ in ranges} <= targets


def test_verify_accepts_and_rejects_any_changed_byte(bundle, tmp_path):
    out, _, summary, settings = bundle
    trust = settings.storage_dir / "signing" / "dev-signing-cert.pem"
    assert verify_bundle(out, trust_root=trust) == []  # intact, and signed by the configured key
    assert verify_bundle(out, expected_sha256=summary["bundle_sha256"]) == []
    cli = [sys.executable, "-m", "service.cli", "evidence", "verify"]
    assert subprocess.run([*cli, str(out)], capture_output=True).returncode == 0
    with zipfile.ZipFile(out) as z:
        infos = [(i.filename, i.header_offset, i.compress_size, len(i.FileHeader())) for i in z.infolist()]
    data = out.read_bytes()
    for name, offset, size, header in infos:
        spot = offset + header + size // 2  # one byte in the middle of each member's data
        tampered = tmp_path / f"t-{Path(name).name}.zip"
        changed = bytearray(data)
        changed[spot] ^= 0x01
        tampered.write_bytes(bytes(changed))
        problems = verify_bundle(tampered)
        assert problems, f"a changed byte in {name} went unnoticed"
        assert subprocess.run([*cli, str(tampered)], capture_output=True).returncode == 1


def test_a_packet_is_refused_after_judgment_draft_or_not(seeded):
    """DOC-01 (review F14): the court holds the packet filed; one made after judgment, dated today,
    would contradict it."""
    settings, _tmp = seeded
    with TestClient(create_app(settings)) as client:
        with unit_of_work(settings.database_url) as s:
            key = stored_credentials(s, "api_key")["legal_staff"]
        for body in ({"as_of": DEMO_ANCHOR.isoformat()}, {"as_of": DEMO_ANCHOR.isoformat(), "draft": True}):
            r = client.post(f"/v1/cases/{JUDGMENT_CASE}/packets", headers=auth(key), json=body)
            assert r.status_code == 422, r.text
            assert [v["rule"] for v in r.json()["violations"]] == ["DOC-01"]


def test_missing_exhibits_are_named_before_any_work(seeded, bundle):  # bundle: built before the firm goes
    settings, tmp = seeded
    with TestClient(create_app(settings)) as client:
        with unit_of_work(settings.database_url) as s:
            key = stored_credentials(s, "api_key")["legal_staff"]
        unassigned = client.put(f"/v1/cases/{UNASSIGNED_CASE}/assignment", headers=auth(key), json={"law_firm": None})
        assert unassigned.status_code == 200
        on = DEMO_ANCHOR.isoformat()
        r = client.post(f"/v1/cases/{UNASSIGNED_CASE}/packets", headers=auth(key), json={"as_of": on})
        assert r.status_code == 422, r.text
        messages = " ".join(v["message"] for v in r.json()["violations"])
        assert "授权委托书" in messages  # no law firm assigned any more
        r = client.post(f"/v1/cases/{UNASSIGNED_CASE}/packets", headers=auth(key), json={"draft": True, "as_of": on})
        assert r.status_code == 202
        job = _wait(client, key, r.json()["job"])
        assert job["status"] == "done", job
        got = client.get(job["links"]["bundle"], headers=auth(key))
        assert got.status_code == 200
        draft = tmp / "draft.zip"
        draft.write_bytes(got.content)
    assert verify_bundle(draft) == []
    with zipfile.ZipFile(draft) as z:
        (tmp / "draft").mkdir(exist_ok=True)
        z.extract("packet.pdf", tmp / "draft")
    with pikepdf.open(tmp / "draft" / "packet.pdf") as pdf:  # the watermark is drawn on every page
        assert all(b"(DRAFT)" in b"".join(c.read_bytes() for c in _contents(page)) for page in pdf.pages)
    with unit_of_work(settings.database_url) as s:
        case_id = s.scalar(select(DebtCase.id).where(DebtCase.ref == UNASSIGNED_CASE))
        actions = set(s.scalars(select(AuditEvent.action).where(AuditEvent.case_id == case_id)))
    assert {"packet.requested", "packet.built", "packet.downloaded"} <= actions


def _contents(page: pikepdf.Page) -> list[pikepdf.Stream]:
    contents = page.obj.Contents
    return list(contents) if isinstance(contents, pikepdf.Array) else [contents]


def _wait(client: TestClient, key: str, job_id: str, timeout: float = 600) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/v1/jobs/{job_id}", headers=auth(key)).json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.5)
    raise AssertionError("packet job did not finish")


def test_a_clerk_finds_one_numbering_continuous_groups_and_distinct_bookmarks(bundle, tmp_path):
    """Generated pages carry only the packet's page number and Bates label; evidence groups and
    pleadings are numbered without gaps; no two bookmarks under one parent share a title; the
    stamp's font is embedded."""
    import re

    out, built, _summary, _ = bundle
    with zipfile.ZipFile(out) as z:
        z.extract("packet.pdf", tmp_path)
        pleadings = sorted(n for n in z.namelist() if n.startswith("pleadings/") and re.match(r"pleadings/\d\d-", n))
    assert [int(n.split("/")[1][:2]) for n in pleadings] == list(range(1, len(pleadings) + 1))
    # numbered as the cover's contents number them, the evidence index among them in its place
    # (review CN-00058 §6: the contents' 3 and 4 were the files 03-claim_statement and an unnumbered index)
    assert pleadings == [f"pleadings/{k:02d}-{p.kind}.docx" for k, p in enumerate(built.plan.pleadings, start=1)]
    assert any(n.endswith("-evidence_index.docx") for n in pleadings)
    pages = _page_texts(tmp_path / "packet.pdf")
    kinds = ("document", "pleading", "evidence_index", "exhibit_cover")
    rendered = [p for p in built.assembly.parts if p.kind in kinds]
    assert len(rendered) > 8
    own_footer = [(p.title, n) for p in rendered for n in range(p.first_page, p.last_page + 1)
                  if re.search(r"第\s*\d+\s*页\s*/\s*共", pages[n - 1])]
    assert not own_footer
    groups = list(dict.fromkeys(e.group for e in built.plan.exhibits))
    numerals = "一二三四五六七八九"
    assert [g[1] for g in groups] == list(numerals[:len(groups)])
    with pikepdf.open(tmp_path / "packet.pdf") as pdf:
        with pdf.open_outline() as outline:
            def check(items):
                titles = [i.title for i in items]
                assert len(titles) == len(set(titles)), titles
                for item in items:
                    check(item.children)
            check(outline.root)
        fonts = {str(f.BaseFont): f for page in pdf.pages for f in page.Resources.get("/Font", {}).values()}
        stamp_fonts = [f for name, f in fonts.items() if "LiberationSans" in name]
        assert stamp_fonts and all("/FontFile2" in f.FontDescriptor for f in stamp_fonts)



def test_the_breach_notice_exhibit_carries_its_delivery_record(bundle, tmp_path):
    """The breach notice goes to court with its delivery record: the communication row of its
    sending (channel, address, when, status), a page of the same exhibit after the notice."""
    out, built, _summary, settings = bundle
    exhibit = next(e for e in built.plan.exhibits if e.key == "breach_notice")
    assert exhibit.params == {"delivery_of": "breach_notice"}
    with zipfile.ZipFile(out) as z:
        z.extract("packet.pdf", tmp_path)
    pages = _page_texts(tmp_path / "packet.pdf")
    # each notice exhibit has its own delivery record (the lawyer letter's too): the breach notice's is one
    records = [" ".join(pages[n - 1] for n in range(p.first_page, p.last_page + 1))
               for p in built.assembly.parts if p.title == "送达记录"]
    [text] = [t for t in records if "违约及提前到期通知书送达记录" in t]
    with unit_of_work(settings.database_url) as s:
        from service.cases.casefile import load_case_file

        sent = [c for c in load_case_file(s, PRE_LITIGATION_CASE).communications if c.template_kind == "breach_notice"]
    assert sent
    assert "违约及提前到期通知书送达记录" in text and f"（共{len(sent)}条）" in text.replace(" ", "")
    for c in sent:
        day = date_cn(date.fromisoformat(c.local_time[:10]))  # the table's dates as the prose writes them
        assert day in text.replace(" ", "") and c.local_time[11:16] in text and "信函" in text


def test_a_breach_notice_without_a_sending_record_names_its_delivery_record_missing(db):
    from service.cases.casefile import load_case_file
    from service.core.settings import get_settings
    from service.packets.plan import plan_packet
    from tests.documents.legal_cases import litigation_case

    case = litigation_case(db)
    templates = get_settings().templates_dir
    cf = load_case_file(db, case.ref)
    assert not [m for m in plan_packet(cf, [], [], templates_dir=templates).missing if "送达记录" in m]
    for c in [c for c in cf.communications if c.template_kind == "breach_notice"]:
        db.delete(c)
    db.flush()
    db.expire_all()
    missing = plan_packet(load_case_file(db, case.ref), [], [], templates_dir=templates).missing
    assert "违约及提前到期通知书的送达记录（通讯记录中没有该通知书的发送记录）" in missing


def test_the_contact_log_names_its_time_zone_and_prints_each_hash_whole_in_fixed_groups(bundle, tmp_path):
    """A reviewer found "（Asia/Shanghai）" and SHA-256 values broken anywhere over five lines in
    the contact log, and a recording's file path in the index's Bates column. The digest prints in
    groups of 11 digits, a line each (its column gave way to the notice names, reader of CN-00060)."""
    out, built, _summary, settings = bundle
    with zipfile.ZipFile(out) as z:
        z.extract("packet.pdf", tmp_path)
    pages = _page_texts(tmp_path / "packet.pdf")
    log = next(p for p in built.assembly.parts if p.title.startswith("催收通知记录"))
    text = "\n".join(pages[n - 1] for n in range(log.first_page, log.last_page + 1))
    assert "北京时间" in text and "Asia/Shanghai" not in text
    with unit_of_work(settings.database_url) as s:
        from service.cases.casefile import load_case_file

        hashes = [c.content_hash for c in load_case_file(s, PRE_LITIGATION_CASE).communications if c.content_hash]
    assert hashes
    words = set(text.split())
    for digest in hashes:
        assert {digest[i:i + 11] for i in range(0, 64, 11)} <= words, digest  # whole groups of 11
    index = next(p for p in built.assembly.parts if p.title == "证据目录")
    index_text = "\n".join(pages[n - 1] for n in range(index.first_page, index.last_page + 1))
    recording = next(r for r in built.rows if r.get("file"))
    assert "文件：" in index_text and recording["file"].split("/")[-1][:8] in index_text.replace("\n", "")


def test_a_sent_notice_shows_only_the_packets_numbering_and_its_original_is_in_the_bundle(bundle, tmp_path):
    """Issue 10 §6 (review R-10): a notice Dossier sent, filed as an exhibit, showed its own
    "第1页/共2页" beside the packet's "27 / 38". Its footer was then painted over, but the text
    stayed under the paint: pdftotext, copy and paste or a court's text search of the packet still
    found "第1页/共2页" (reader of CN-00012's packet). No page's text holds a document's own page
    footer now, while each holds the packet's page number and Bates label; the sent copies keep
    the rest of their text; the file as sent, whose SHA-256 the notice history cites, is in the
    bundle's originals/, and the manifest says what the packet's copy lost."""
    import hashlib
    import re

    from PIL import Image

    out, built, _summary, _ = bundle
    sent = [(e, d) for e in built.plan.exhibits for d in e.documents]
    assert sent, "the demo case's packet files no sent notice"
    with zipfile.ZipFile(out) as z:
        z.extract("packet.pdf", tmp_path)
        manifest = json.loads(z.read("manifest.json"))
        originals = {n: z.read(n) for n in z.namelist() if "-sent-" in n}
    assert {d.sha256 for _e, d in sent} <= {hashlib.sha256(b).hexdigest() for b in originals.values()}, originals
    pages = _page_texts(tmp_path / "packet.pdf")
    own_footer = re.compile(r"第\s*\d+\s*页\s*/\s*共\s*\d+\s*页|Page\s+\d+\s+of\s+\d+")
    assert [n for n, text in enumerate(pages, start=1) if own_footer.search(text)] == []
    total, prefix = manifest["total_pages"], manifest["bates_prefix"]
    for n, text in enumerate(pages, start=1):
        assert re.search(rf"\b{n} / {total}\b", text) and f"{prefix}{n:06d}" in text, (n, text[-200:])
    # each sent copy keeps its own text but for the footer: every other line of the file as sent
    # is in the packet, and its footer lines were there to remove
    squashed = [re.sub(r"\s+", "", text) for text in pages]
    copies = []  # the packet page that holds each sent copy's first page
    for name, data in originals.items():
        (tmp_path / "sent.pdf").write_bytes(data)
        first, *_ = _page_texts(tmp_path / "sent.pdf")
        lines = [re.sub(r"\s+", "", line) for line in first.splitlines()]
        assert any(own_footer.search(line) for line in lines), name  # there was a footer to remove
        body = [line for line in lines if line and not own_footer.search(line)]
        found = [n for n, text in enumerate(squashed, start=1) if all(line in text for line in body)]
        assert found, name  # the copy keeps every other line of its first page
        copies.append(found[0])
    entries = [i for i in manifest["items"] if "-sent-" in i["path"]]
    lost = [r for i in entries for r in i["removed_in_packet"]]
    assert entries and all(i["removed_in_packet"] for i in entries), entries
    assert all(re.fullmatch(r"page \d+: page footer text", r) for r in lost), lost
    for n in copies:  # nothing printed where the footer was (and no paint needed: nothing is there)
        png = tmp_path / f"p{n}"
        subprocess.run(["pdftoppm", "-r", "40", "-gray", "-f", str(n), "-l", str(n), "-png",
                        str(tmp_path / "packet.pdf"), str(png)], check=True)
        (image,) = tmp_path.glob(f"p{n}*.png")
        with Image.open(image) as im:
            w, h = im.size
            band = im.convert("L").crop((int(w * 0.4), int(h * 0.95), int(w * 0.6), h))  # the bottom-centre footer
            assert band.getextrema()[0] > 200, (n, band.getextrema())  # nothing dark printed there
        image.unlink()


def test_the_packet_opens_with_the_parties_standing_documents(bundle, tmp_path):
    """Review R-11: the demo's CN packet files the standing documents (主体资格) as its first group,
    numbered 1 on, each listed on the cover and in the evidence index, bookmarked under its exhibit,
    the legal representative's certificate rendered from the lender's record."""
    out, built, _summary, settings = bundle
    standing = [e.key for e in built.plan.exhibits if e.group == "第一组：当事人主体资格"]
    assert standing == ["business_licence", "micro_loan_licence", "legal_rep_certificate", "law_firm_letter",
                        "lawyer_licence", "borrower_id"]  # CN-00012: a micro-lender, counsel appointed
    assert [r["number"] for r in built.rows] == list(range(1, len(built.rows) + 1))
    assert [r["key"] for r in built.rows[:len(standing)]] == standing
    with zipfile.ZipFile(out) as z:
        z.extract("packet.pdf", tmp_path)
    texts = _page_texts(tmp_path / "packet.pdf")
    cover = built.assembly.parts[0]
    contents = "".join(texts[cover.first_page - 1:cover.last_page]).replace(" ", "")
    index = next(p for p in built.assembly.parts if p.kind == "evidence_index")
    listed = "".join(texts[index.first_page - 1:index.last_page]).replace(" ", "").replace("\n", "")
    for row in built.rows[:len(standing)]:
        assert f"证据{row['number']}{row['title']}" in contents, row["title"]
        # the index's narrow column wraps a title: its first words, and the exhibit's page range
        assert row["title"][:5] in listed and f"{row['first_page']}–{row['last_page']}" in listed, row["title"]
    with pikepdf.open(tmp_path / "packet.pdf") as pdf, pdf.open_outline() as outline:
        titles = [item.title for item in outline.root]
    for number, exhibit in enumerate(built.plan.exhibits[:len(standing)], start=1):
        assert f"证据{number} {exhibit.title}" in titles
    certificate = next(p for p in built.assembly.parts if p.kind == "exhibit" and p.title == "法定代表人身份证明书")
    page = "".join(texts[certificate.first_page - 1].split())
    with unit_of_work(settings.database_url) as s:
        from service.cases.casefile import load_case_file

        lender = load_case_file(s, PRE_LITIGATION_CASE).lender
        assert f"{lender.legal_rep}在我单位任{lender.legal_rep_title}职务" in page and lender.uscc in page


def test_each_recording_is_its_own_calls_and_the_index_names_the_call(seeded, bundle):
    """Review of 2026-12-06: US-00006 and CN-00012 filed the same call-1.wav (one SHA-256) as a call
    with a Brooklyn and a Jinan borrower, tied to no call. Each case's recording is its own, filed
    under the recording_ref of its answered call, and its exhibit names that call: the local date
    and time, the zone and the number as masked."""
    from sqlalchemy.orm import Session

    from service.cases.casefile import load_case_file
    from service.cases.enums import Outcome
    from service.cases.masking import mask_phone
    from service.cases.rules import load_ruleset
    from service.documents.format import datetime_cn
    from service.packets.models import EvidenceItem

    settings, _tmp = seeded
    with Session(engine_for(settings.database_url)) as s:
        # the calls' recordings (a visit's is filed under its record's reference: tests/demo/test_demo_scans.py)
        audio = list(s.scalars(select(EvidenceItem).where(EvidenceItem.media_type.like("audio/%"),
                                                          EvidenceItem.category == "call_recording")))
        assert len(audio) >= 2
        assert len({i.sha256 for i in audio}) == len(audio) == len({i.case_id for i in audio})
        for item in audio:
            case = s.get(DebtCase, item.case_id)
            assert case is not None
            calls = [c for c in load_case_file(s, case.ref).communications if c.recording_ref]
            assert len(calls) == 1 and calls[0].outcome in (Outcome.ANSWERED, Outcome.PROMISE), case.ref
            assert item.filename == f"{calls[0].recording_ref}.wav"
        cf = load_case_file(s, PRE_LITIGATION_CASE)
        call = next(c for c in cf.communications if c.recording_ref)
    _out, built, _summary, _ = bundle
    row = next(r for r in built.rows if r.get("file"))
    from datetime import datetime

    number = mask_phone(call.to_address, load_ruleset("CN"))
    assert number != call.to_address
    assert f"北京时间{datetime_cn(datetime.fromisoformat(call.local_time))}拨打{number}的通话" in row["title"], row
    assert call.to_address not in row["title"] and call.recording_ref in row["file"]  # the file bears its reference


def test_a_recording_filed_in_two_cases_keeps_both_packets_from_filing(seeded):
    """The same recording (by its hash) offered in another case is named before any work: the
    packet is refused, a draft says why."""
    from sqlalchemy.orm import Session

    from service.cases.casefile import load_case_file
    from service.packets.build import make_plan
    from service.packets.models import EvidenceItem

    settings, _tmp = seeded
    with Session(engine_for(settings.database_url)) as s:
        cf = load_case_file(s, PRE_LITIGATION_CASE)
        assert not [m for m in make_plan(s, settings, cf).missing if "SHA-256" in m]
        mine = next(i for i in s.scalars(select(EvidenceItem).where(EvidenceItem.case_id == cf.case.id))
                    if i.media_type.startswith("audio/"))
        other = s.scalars(select(DebtCase).where(DebtCase.ref != PRE_LITIGATION_CASE)).first()
        assert other is not None
        s.add(EvidenceItem(**{k: getattr(mine, k) for k in ("sha256", "size", "media_type", "filename", "title",
                                                            "category", "form", "source", "original_available",
                                                            "purpose", "pages", "received_at", "actor")},
                           case_id=other.id))
        s.flush()
        missing, sha, ref = make_plan(s, settings, cf).missing, mine.sha256, other.ref
        s.rollback()
    assert [m for m in missing if sha in m and ref in m], missing


def test_the_packet_pdf_states_its_title_subject_and_language(bundle, seeded):
    """Reader (US-00010): packet.pdf had no title: a viewer showed "packet.pdf", an e-filing portal
    nothing. It states its title (the parties and the case), its subject, its producer and its
    language, and keeps them through the signature."""
    out, *_ = bundle
    settings, _ = seeded
    with unit_of_work(settings.database_url) as s:
        cf = load_case_file(s, PRE_LITIGATION_CASE)
        lender, borrower = cf.lender.name, cf.borrower.name
    with zipfile.ZipFile(out) as z, pikepdf.open(io.BytesIO(z.read("packet.pdf"))) as pdf:
        info = {k: str(v) for k, v in pdf.docinfo.items()}
        assert info["/Title"] == f"诉讼材料：{lender}诉{borrower}（{PRE_LITIGATION_CASE}）"
        assert info["/Subject"].endswith(f"：起诉材料及证据，材料截止日{date_cn(DEMO_ANCHOR)}")
        assert info["/Producer"].startswith("Dossier")  # the signer adds its own name ("; pyHanko 0.38.0")
        assert str(pdf.Root.Lang) == "zh-CN" and bool(pdf.Root.ViewerPreferences.DisplayDocTitle)


def test_the_index_and_the_cover_list_each_visit_photo_with_its_own_page(bundle, tmp_path):
    """Reader (CN-00012, exhibit 12): the visit photos filed behind the visit record were named
    nowhere. Each photo is a part of its own; the index row and the exhibit cover list every item
    the exhibit files, each with its own page and Bates label, and those pages are the photo's."""
    out, _built, _summary, _ = bundle
    with zipfile.ZipFile(out) as z:
        z.extract("packet.pdf", tmp_path)
        manifest = json.loads(z.read("manifest.json"))
    pages = [squash(t) for t in _page_texts(tmp_path / "packet.pdf")]
    row = next(r for r in manifest["exhibits"] if r["key"] == "signed_visit_record")
    photos = [i for i in manifest["items"] if i.get("exhibit") == row["number"] and i["media_type"] == "image/jpeg"]
    assert len(photos) >= 2
    contents = row["contents"]
    # the cover, then each item on pages of its own, in order, filling the exhibit
    assert contents[0]["first_page"] == row["first_page"] + 1 and contents[-1]["last_page"] == row["last_page"]
    assert [c["first_page"] for c in contents[1:]] == [c["last_page"] + 1 for c in contents[:-1]]
    for photo in photos:
        (c,) = [c for c in contents if c["title"] == photo["title"]]
        assert "拍摄）" in c["title"] and c["first_page"] == c["last_page"], c
        listed = squash(f"{c['title']}（第{c['first_page']}页，{c['bates_first']}）")
        index = [p for n, p in enumerate(pages, start=1) if n < row["first_page"] and "证明目的" in p]
        assert any(listed in p for p in index), listed  # the evidence index's pages, before the exhibits
        assert listed in pages[row["first_page"] - 1], listed  # the exhibit's cover
        assert c["bates_first"] in pages[c["first_page"] - 1]
