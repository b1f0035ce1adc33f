"""A sent document's packet copy loses its own page footer's text, not only its look (issue 10 §6:
the footer had been painted over, and pdftotext still found "第1页/共2页" in the packet)."""

import subprocess
from pathlib import Path

import pikepdf
import pytest

from evidence.errors import AssemblyError
from evidence.redact import footer_band, remove_footer_text, text_in

MM = 72 / 25.4
BAND = {"width": 90 * MM, "height": 17 * MM}  # service.packets.render.FOOTER_BAND


def _text(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]


def _pdf(path: Path, content: bytes, *, mediabox: tuple[float, ...] = (0, 0, 595, 842), rotate: int = 0,
         form: bytes | None = None) -> Path:
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    if form is not None:
        xobject = pdf.make_stream(form, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
                                  BBox=pikepdf.Array([0, 0, 200, 30]), Resources=pikepdf.Dictionary(
                                      Font=pikepdf.Dictionary(F1=font)))
        resources.XObject = pikepdf.Dictionary(Fx=xobject)
    page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=pikepdf.Array(list(mediabox)),
                              Resources=resources, Contents=pdf.make_stream(content))
    if rotate:
        page.Rotate = rotate
    pdf.pages.append(pikepdf.Page(page))
    pdf.save(path)
    return path


def test_a_rendered_documents_footer_text_is_gone_and_the_rest_stays(tmp_path):
    """WeasyPrint's own output, as Dossier renders every document: its @bottom-center footer."""
    from weasyprint import HTML

    html = ("<style>@page { size: A4; margin: 20mm; @bottom-center { content: '第 ' counter(page) ' 页 / 共 '"
            " counter(pages) ' 页'; } } p { font-family: 'Noto Serif CJK SC'; }</style>"
            + "".join(f"<p>催收通知第{n}段：请于七日内还款。</p>" for n in range(60)))
    src, dest = tmp_path / "sent.pdf", tmp_path / "copy.pdf"
    HTML(string=html).write_pdf(src)
    before = _text(src)
    footers = [f"第{n}页/共{len(before)}页" for n in range(1, len(before) + 1)]
    assert len(before) > 1 and all(f in "".join(old.split()) for f, old in zip(footers, before, strict=True))
    lost = remove_footer_text(src, dest, **BAND)
    assert len(lost) == len(before) and all(lost)  # text runs, one or more per footer
    after = _text(dest)
    for footer, old, new in zip(footers, before, after, strict=True):
        assert "页/共" not in "".join(new.split())
        assert "".join(old.split()).replace(footer, "") == "".join(new.split())  # nothing else lost or moved
    with pikepdf.open(dest) as pdf:
        assert all(text_in(page, footer_band(page, **BAND)) == 0 for page in pdf.pages)


def test_only_text_in_the_bottom_centre_band_of_the_page_as_displayed_goes(tmp_path):
    content = (b"BT /F1 11 Tf 72 700 Td (Body text) Tj ET\n"
               b"BT /F1 9 Tf 10 20 Td (Corner label) Tj ET\n"  # bottom left, outside the band
               b"q 1 0 0 1 250 0 cm BT /F1 9 Tf 12 TL 0 40 Td (Page 1 of 2) Tj (more) ' ET Q\n")
    src, dest = _pdf(tmp_path / "a.pdf", content), tmp_path / "b.pdf"
    assert remove_footer_text(src, dest, **BAND) == [2]
    (text,) = _text(dest)
    assert "Body text" in text and "Corner label" in text and "Page" not in text and "more" not in text


def test_a_rotated_page_loses_the_footer_it_shows_at_its_bottom(tmp_path):
    # /Rotate 90 on a portrait MediaBox: the displayed bottom edge is user space's right edge
    content = (b"BT /F1 9 Tf 0 1 -1 0 585 400 Tm (Page 1 of 1) Tj ET\n"
               b"BT /F1 9 Tf 280 20 Td (Left edge as shown) Tj ET\n")
    src, dest = _pdf(tmp_path / "a.pdf", content, rotate=90), tmp_path / "b.pdf"
    assert remove_footer_text(src, dest, **BAND) == [1]
    (text,) = _text(dest)
    assert "Page 1 of 1" not in text and "Left edge as shown" in text


def test_footer_text_inside_a_form_xobject_is_refused_not_left_in(tmp_path):
    form = b"BT /F1 9 Tf 10 10 Td (Page 1 of 1) Tj ET"
    src = _pdf(tmp_path / "a.pdf", b"q 1 0 0 1 200 5 cm /Fx Do Q\n", form=form)
    with pytest.raises(AssemblyError, match="form XObject"):
        remove_footer_text(src, tmp_path / "b.pdf", **BAND)
    high = _pdf(tmp_path / "c.pdf", b"q 1 0 0 1 200 600 cm /Fx Do Q\n", form=form)  # far from the band: fine
    assert remove_footer_text(high, tmp_path / "d.pdf", **BAND) == [0]
