import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from evidence_factories import make_image, make_pdf, make_tiff

from evidence.assemble import (
    BatesOptions,
    Part,
    PartPlacement,
    Position,
    assemble,
    count_pages,
    plan,
)
from evidence.errors import AssemblyError

BATES = BatesOptions(prefix="ACME-", start=1, width=6)


def pdftotext_pages(path: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")[:-1]


def word_boxes(path: Path) -> list[tuple[float, float, dict[str, tuple[float, ...]]]]:
    """Per page: displayed width, height and each word's box, as poppler sees them."""
    html = subprocess.run(
        ["pdftotext", "-cropbox", "-bbox", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pages = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S):
        words = {
            m.group(5): tuple(float(m.group(i)) for i in range(1, 5))
            for m in re.finditer(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                r"([^<]*)</word>",
                page.group(3),
            )
        }
        pages.append((float(page.group(1)), float(page.group(2)), words))
    return pages


def qpdf_check(path: Path) -> None:
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def packet_parts(tmp_path: Path) -> list[Part]:
    complaint = make_pdf(tmp_path / "complaint.pdf", 3, text="Complaint")
    cover = make_pdf(tmp_path / "cover.pdf", 1, text="Exhibit 3 cover")
    contract = make_pdf(tmp_path / "contract.pdf", 2, text="Contract", rotate=90)
    photos = [
        make_image(tmp_path / "visit.jpg", "JPEG", (400, 300), orientation=6),
        make_image(tmp_path / "seal.png", "PNG"),
        make_tiff(tmp_path / "fax.tif", frames=2),
    ]
    return [
        Part.from_pdf(complaint, "民事起诉状"),
        Part.from_pdf(cover, "封面", kind="exhibit_cover", outline_parent=["证据3 借款合同"]),
        Part.from_pdf(contract, "借款合同", kind="exhibit", outline_parent=["证据3 借款合同"]),
        Part.from_images(photos, "走访照片", outline_parent=["证据4 走访记录"]),
    ]


def test_page_ranges_and_bates_labels(tmp_path: Path, packet_parts: list[Part]) -> None:
    result = assemble(packet_parts, tmp_path / "packet.pdf", bates=BATES)

    assert result.total_pages == 10
    assert result.parts == (
        PartPlacement("民事起诉状", "document", 1, 3, 3, "ACME-000001", "ACME-000003"),
        PartPlacement("封面", "exhibit_cover", 4, 4, 1, "ACME-000004", "ACME-000004"),
        PartPlacement("借款合同", "exhibit", 5, 6, 2, "ACME-000005", "ACME-000006"),
        PartPlacement("走访照片", "exhibit", 7, 10, 4, "ACME-000007", "ACME-000010"),
    )
    assert (result.bates_first, result.bates_last) == ("ACME-000001", "ACME-000010")
    assert count_pages(tmp_path / "packet.pdf") == 10


def test_every_page_carries_its_bates_label_and_number(
    tmp_path: Path, packet_parts: list[Part]
) -> None:
    out = tmp_path / "packet.pdf"
    assemble(packet_parts, out, bates=BatesOptions("LND", start=41, width=5))

    pages = pdftotext_pages(out)
    assert len(pages) == 10
    for index, text in enumerate(pages):
        assert f"LND{41 + index:05d}" in text
        assert f"{index + 1} / 10" in text
    assert "Complaint 2" in pages[1]
    assert "Contract 1" in pages[4]
    qpdf_check(out)


def test_plan_predicts_the_assembly(tmp_path: Path, packet_parts: list[Part]) -> None:
    planned = plan(packet_parts, BATES)
    assert assemble(packet_parts, tmp_path / "p.pdf", bates=BATES) == planned


def test_nested_bookmarks(tmp_path: Path, packet_parts: list[Part]) -> None:
    out = tmp_path / "packet.pdf"
    assemble(packet_parts, out, bates=BATES)

    with pikepdf.open(out) as pdf, pdf.open_outline() as outline:
        pages = [page.obj.objgen for page in pdf.pages]
        tree = [
            (item.title, pages.index(item.destination[0].objgen), [c.title for c in item.children])
            for item in outline.root
        ]
        exhibit3 = outline.root[1].children
        child_pages = [pages.index(child.destination[0].objgen) for child in exhibit3]

    assert tree == [
        ("民事起诉状", 0, []),
        ("证据3 借款合同", 3, ["封面", "借款合同"]),
        ("证据4 走访记录", 6, ["走访照片"]),
    ]
    assert child_pages == [3, 4]


def test_page_labels_are_the_bates_numbers(tmp_path: Path, packet_parts: list[Part]) -> None:
    out = tmp_path / "packet.pdf"
    assemble(packet_parts, out, bates=BATES)
    with pikepdf.open(out) as pdf:
        assert [page.label for page in pdf.pages] == [BATES.label(i) for i in range(10)]


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
@pytest.mark.parametrize("position", list(Position))
def test_labels_land_in_the_visible_corner(tmp_path: Path, rotate: int, position: Position) -> None:
    # A MediaBox far from the origin and a CropBox inside it: the label must follow both.
    source = make_pdf(tmp_path / "odd.pdf", 1, mediabox=(-300, 500, 300, 1300), rotate=rotate)
    with pikepdf.open(source, allow_overwriting_input=True) as pdf:
        pdf.pages[0].CropBox = [-250, 550, 250, 1250]
        pdf.save(source)
    out = tmp_path / "packet.pdf"
    bates = BatesOptions("EDGE-", position=position)
    assemble([Part.from_pdf(source, "odd")], out, bates=bates, page_numbers=False)

    width, height, words = word_boxes(out)[0]
    assert (width, height) == (500, 700)  # the CropBox
    if rotate in (90, 270):
        # poppler gives word boxes in display space but the page size unrotated.
        width, height = height, width
    x_min, y_min, x_max, y_max = words["EDGE-000001"]
    assert 0 < x_min < x_max < width and 0 < y_min < y_max < height
    horizontal = {"left": x_max < width / 3, "right": x_min > width * 2 / 3}
    horizontal["center"] = abs((x_min + x_max) / 2 - width / 2) < 2
    vertical = {"top": y_max < height * 0.1, "bottom": y_min > height * 0.9}
    where_v, where_h = position.value.split("_")
    assert vertical[where_v] and horizontal[where_h]


def test_labels_survive_content_that_leaves_the_graphics_state_dirty(tmp_path: Path) -> None:
    source = make_pdf(tmp_path / "dirty.pdf", 1)
    with pikepdf.open(source, allow_overwriting_input=True) as pdf:
        # Scales everything after it by 10 and never restores: our stamp must not care.
        pdf.pages[0].contents_add(pdf.make_stream(b"10 0 0 10 0 0 cm 1 1 1 rg"))
        pdf.save(source)
    out = tmp_path / "packet.pdf"
    assemble([Part.from_pdf(source, "dirty")], out, bates=BATES, page_numbers=False)

    width, height, words = word_boxes(out)[0]
    x_min, y_min, x_max, _ = words["ACME-000001"]
    assert x_max < width and y_min > height * 0.9
    assert x_max - x_min < 100  # drawn at 9 pt, not scaled up by the page's leftover matrix


def test_jpeg_is_embedded_without_re_encoding(tmp_path: Path) -> None:
    photo = make_image(tmp_path / "p.jpg", "JPEG", (300, 200))
    out = tmp_path / "packet.pdf"
    assemble([Part.from_images([photo], "photo")], out, bates=BATES)

    with pikepdf.open(out) as pdf:
        images = list(pdf.pages[0].get_images().values())
        assert len(images) == 1
        assert images[0].Filter == pikepdf.Name.DCTDecode
        assert images[0].read_raw_bytes() == photo.read_bytes()


def test_exif_orientation_turns_the_page(tmp_path: Path) -> None:
    photo = make_image(tmp_path / "p.jpg", "JPEG", (400, 300), orientation=6)
    out = tmp_path / "packet.pdf"
    assemble([Part.from_images([photo], "photo")], out, bates=BATES)

    with pikepdf.open(out) as pdf:
        assert pdf.pages[0].Rotate == 90  # from EXIF orientation 6
        width, height = (float(v) for v in pdf.pages[0].mediabox[2:])
    assert width > height  # landscape sensor image on a landscape page, displayed upright
    _, _, words = word_boxes(out)[0]
    assert words["ACME-000001"][1] > width * 0.9  # bottom of the displayed page


def test_draft_watermark_on_every_page_only_when_asked(tmp_path: Path) -> None:
    source = make_pdf(tmp_path / "a.pdf", 3)
    draft, final = tmp_path / "draft.pdf", tmp_path / "final.pdf"
    assemble([Part.from_pdf(source, "a")], draft, bates=BATES, draft=True)
    assemble([Part.from_pdf(source, "a")], final, bates=BATES, draft=False)

    assert all("DRAFT" in re.sub(r"\s", "", page) for page in _raw_text(draft))
    assert not any("DRAFT" in re.sub(r"\s", "", page) for page in _raw_text(final))
    qpdf_check(draft)


def _raw_text(path: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")[:-1]


def test_page_numbers_can_be_left_out(tmp_path: Path) -> None:
    out = tmp_path / "packet.pdf"
    assemble(
        [Part.from_pdf(make_pdf(tmp_path / "a.pdf", 2), "a")], out, bates=BATES, page_numbers=False
    )
    assert not any(" / 2" in page for page in pdftotext_pages(out))


def test_output_is_deterministic(tmp_path: Path, packet_parts: list[Part]) -> None:
    first, second = tmp_path / "1.pdf", tmp_path / "2.pdf"
    assemble(packet_parts, first, bates=BATES)
    assemble(packet_parts, second, bates=BATES)
    assert first.read_bytes() == second.read_bytes()


def test_unreadable_part_leaves_no_output(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\nnot really")
    out = tmp_path / "packet.pdf"
    with pytest.raises(AssemblyError, match="broken"):
        assemble([Part.from_pdf(broken, "broken")], out, bates=BATES)
    assert list(tmp_path.iterdir()) == [broken]


@pytest.mark.parametrize(
    "make",
    [
        lambda p: Part("both", pdf=p, images=(p,)),
        lambda p: Part("neither"),
        lambda p: BatesOptions("证据-"),
        lambda p: BatesOptions("A", width=0),
    ],
)
def test_invalid_options(tmp_path: Path, make) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        make(tmp_path / "a.pdf")


def test_page_numbers_cannot_overprint_bates(tmp_path: Path) -> None:
    source = make_pdf(tmp_path / "a.pdf", 1)
    with pytest.raises(ValueError, match="share a position"):
        assemble(
            [Part.from_pdf(source, "a")],
            tmp_path / "p.pdf",
            bates=BATES,
            page_number_position=Position.BOTTOM_RIGHT,
        )


def test_empty_packet(tmp_path: Path) -> None:
    with pytest.raises(AssemblyError):
        assemble([], tmp_path / "p.pdf", bates=BATES)


def test_a_part_titled_as_its_group_adds_no_child_repeating_the_group(tmp_path: Path) -> None:
    """Review F24: the exhibit cover carries the exhibit's label and nests under it; the group's
    bookmark already opens there, so no child repeats the parent's title."""
    cover = make_pdf(tmp_path / "cover.pdf", 1, text="cover")
    scan = make_pdf(tmp_path / "scan.pdf", 1, text="scan")
    label = "Exhibit 1: Loan agreement (account ending 547)"
    out = tmp_path / "packet.pdf"
    assemble([Part.from_pdf(cover, label, kind="exhibit_cover", outline_parent=[label]),
              Part.from_pdf(scan, "Personal Installment Loan Agreement", kind="exhibit", outline_parent=[label])],
             out, bates=BATES)
    with pikepdf.open(out) as pdf, pdf.open_outline() as outline:
        pages = [page.obj.objgen for page in pdf.pages]
        tree = [(i.title, pages.index(i.destination[0].objgen), [c.title for c in i.children]) for i in outline.root]
    assert tree == [(label, 0, ["Personal Installment Loan Agreement"])]


def test_a_pdf_of_other_paper_is_scaled_whole_onto_the_packets(tmp_path):
    """A US packet is on Letter (Cal. Rules of Court 2.103): an uploaded A4 scan, upright or
    landscape, goes onto Letter the same way up, its text all there; a Letter page stays as it is."""
    letter = (612.0, 792.0)
    a4 = make_pdf(tmp_path / "a4.pdf", pages=2, text="A4 scan")
    wide = make_pdf(tmp_path / "wide.pdf", pages=1, text="Landscape", mediabox=(0, 0, 842, 595))
    same = make_pdf(tmp_path / "letter.pdf", pages=1, text="Letter page", mediabox=(0, 0, *letter))
    out = tmp_path / "packet.pdf"
    assemble([Part.from_pdf(p, p.stem, fit_to=letter) for p in (a4, wide, same)], out, bates=BATES)
    with pikepdf.open(out) as pdf:
        sizes = [tuple(float(v) for v in page.mediabox) for page in pdf.pages]
    assert sizes == [(0, 0, 612, 792), (0, 0, 612, 792), (0, 0, 792, 612), (0, 0, 612, 792)]
    text = pdftotext_pages(out)
    assert ["A4 scan 1" in text[0], "A4 scan 2" in text[1], "Landscape 1" in text[2], "Letter page 1" in text[3]] \
        == [True] * 4
    assert all("ACME-00000" in page for page in text)  # the Bates label on the fitted pages too
