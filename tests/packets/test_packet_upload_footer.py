"""Issue 10 §6 takes a generated document's own page footer out of the packet; an uploaded exhibit
is not Dossier's to edit: whatever it prints at its foot, its own page numbers included, stays in
the packet's copy as it came (the copy only loses what could act: evidence.inert)."""

import io
import subprocess
import zipfile

import pikepdf

from tests.conftest import auth
from tests.packets.test_evidence_api import META
from tests.packets.test_packet_inert import draft_packet_at_litigation


def _statement() -> bytes:
    """A two-page bank statement from outside, numbered at its foot where Dossier's own are."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    for n in (1, 2):
        content = (f"BT /F1 12 Tf 72 700 Td (Bank statement sheet {n}) Tj ET\n"
                   f"BT /F1 9 Tf 270 24 Td (Page {n} of 2) Tj ET\n").encode()
        pdf.pages.append(pikepdf.Page(pikepdf.Dictionary(
            Type=pikepdf.Name.Page, MediaBox=pikepdf.Array([0, 0, 595, 842]),
            Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)), Contents=pdf.make_stream(content))))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_an_uploaded_pdf_keeps_its_own_footer_text_in_the_packet(client, keys, case, db, settings, tmp_path):
    r = client.post(f"/v1/cases/{case.ref}/evidence", headers=auth(keys["legal_staff"]), data=META,
                    files={"file": ("statement.pdf", _statement(), "application/pdf")})
    assert r.status_code == 201, r.text
    out = draft_packet_at_litigation(db, settings, case, tmp_path)
    with zipfile.ZipFile(out) as z:
        z.extract("packet.pdf", tmp_path)
    text = subprocess.run(["pdftotext", str(tmp_path / "packet.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    for n in (1, 2):
        page = next(p for p in text.split("\f") if f"Bank statement sheet {n}" in p)
        assert f"Page {n} of 2" in page, page
