"""Uploaded PDFs are made inert for the packet (issue 9, part 3); polyglots are refused."""

from pathlib import Path

import pikepdf
import pytest
from evidence_factories import active_content, make_hostile_pdf, make_pdf

from evidence.assemble import BatesOptions, Part, assemble
from evidence.errors import RejectCode, UploadRejected
from evidence.inert import make_inert
from evidence.validate import inspect_upload

# Names that make a PDF act: none may survive in an inert copy or in a packet built from one.
ACTIVE = (b"/JavaScript", b"/JS", b"/Launch", b"/URI", b"/AA", b"/OpenAction", b"/EmbeddedFile", b"/GoToR",
          b"/AcroForm", b"/XFA", b"/FileAttachment", b"cmd.exe", b"127.0.0.1", b"invoice.exe")


def _uncompressed(path: Path, out: Path) -> bytes:
    # Object streams would hide names from a byte search: write the file out plainly first.
    with pikepdf.open(path) as pdf:
        pdf.save(out, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return out.read_bytes()


def test_hostile_pdf_loses_every_action_link_out_attachment_and_script(tmp_path: Path) -> None:
    hostile = make_hostile_pdf(tmp_path / "hostile.pdf")
    before = hostile.read_bytes()
    assert all(name in _uncompressed(hostile, tmp_path / "plain-before.pdf") for name in ACTIVE)
    removed = [str(r) for r in make_inert(hostile, tmp_path / "inert.pdf")]
    assert active_content(tmp_path / "inert.pdf") == []
    assert len(active_content(hostile)) > 10  # the check sees what is there
    assert hostile.read_bytes() == before  # the original is untouched
    for expected in ("page 1: JavaScript action on an event", "page 1: Launch action (cmd.exe) on a link",
                     "page 1: URI action (http://127.0.0.1:8000/steal) on a link", "page 1: FileAttachment annotation",
                     "page 2: GoToR action (other.pdf) on a link", "document: JavaScript action on opening",
                     "document: embedded file invoice.exe", "document: interactive form with its scripts",
                     "page 2: link to a destination outside the file"):
        assert expected in removed, removed
    with pikepdf.open(tmp_path / "inert.pdf") as pdf:
        assert len(pdf.pages) == 2
        links = [a for a in pdf.pages[1].obj.Annots if a.Subtype == pikepdf.Name.Link]
        assert len(links) == 1 and links[0].Dest[0].objgen == pdf.pages[0].obj.objgen  # the internal link stays


def test_plain_pdf_loses_nothing(tmp_path: Path) -> None:
    assert make_inert(make_pdf(tmp_path / "plain.pdf"), tmp_path / "inert.pdf") == []


def test_packet_assembled_from_the_inert_copy_is_inert(tmp_path: Path) -> None:
    inert = tmp_path / "inert.pdf"
    make_inert(make_hostile_pdf(tmp_path / "hostile.pdf"), inert)
    out = tmp_path / "packet.pdf"
    assemble([Part.from_pdf(make_pdf(tmp_path / "cover.pdf", pages=1), "cover"), Part.from_pdf(inert, "exhibit")],
             out, bates=BatesOptions(prefix="T-"))
    assert active_content(out) == []


# Polyglots -------------------------------------------------------------------------------


def _refusal(path: Path, name: str) -> UploadRejected:
    with pytest.raises(UploadRejected) as caught:
        inspect_upload(path, declared_name=name)
    return caught.value


def test_pdf_with_html_appended_is_refused(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "a.pdf", pages=1)
    polyglot = tmp_path / "b.pdf"
    polyglot.write_bytes(pdf.read_bytes() + b"\n<html><body><script>alert(document.cookie)</script></body></html>\n")
    refusal = _refusal(polyglot, "contract.pdf")
    assert refusal.code == RejectCode.POLYGLOT and "follow the end of the PDF" in refusal.message


def test_pdf_with_html_between_its_objects_is_refused(tmp_path: Path) -> None:
    data = make_pdf(tmp_path / "a.pdf", pages=1).read_bytes()
    at = data.index(b"1 0 obj") if b"1 0 obj" in data else data.index(b" obj")
    polyglot = tmp_path / "b.pdf"
    polyglot.write_bytes(data[:at] + b"<script>alert(1)</script>\n" + data[at:])
    assert _refusal(polyglot, "contract.pdf").code == RejectCode.POLYGLOT


@pytest.mark.parametrize("preamble", [b"hello <b>x</b>\n", b"GIF89a;<script>alert(1)</script>\n", b"\n\n junk "])
def test_anything_before_the_pdf_header_is_refused(tmp_path: Path, preamble: bytes) -> None:
    path = tmp_path / "p.pdf"
    path.write_bytes(preamble + make_pdf(tmp_path / "a.pdf", pages=1).read_bytes())
    refusal = _refusal(path, "p.pdf")
    assert refusal.code == RejectCode.POLYGLOT and "before the PDF header" in refusal.message


@pytest.mark.parametrize("name", ["notes.txt", "ledger.csv"])
def test_text_that_is_html_is_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("通话记录\n2026-11-20 借款人承诺还款\n" * 50 + '<img src=x onerror="alert(1)">\n', encoding="utf-8")
    refusal = _refusal(path, name)
    assert refusal.code == RejectCode.MARKUP and "<img" in refusal.message


def test_text_mentioning_angle_brackets_is_still_text(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("金额 < 1000 且 a<b, 回复 <3\n", encoding="utf-8")
    assert inspect_upload(path, declared_name="notes.txt").media_type == "text/plain"


def test_an_ordinary_pdf_with_xmp_metadata_passes(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "a.pdf", pages=1)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        with pdf.open_metadata() as meta:
            meta["dc:title"] = "借款合同"
        pdf.save(path)
    assert b"<x:xmpmeta" in path.read_bytes() or b"xmpmeta" in path.read_bytes()
    assert inspect_upload(path, declared_name="a.pdf").pages == 1
