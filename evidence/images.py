"""Photos and scans as PDF pages, through img2pdf: JPEG data is embedded as it is (never
decoded or re-encoded), each image is fitted into a page of the packet's paper (A4 unless the
caller says: a US packet's is Letter) with margins, and the EXIF
orientation becomes the page's /Rotate so the photo reads upright."""

from __future__ import annotations

from pathlib import Path

import img2pdf

from evidence.errors import AssemblyError

A4 = (img2pdf.mm_to_pt(210), img2pdf.mm_to_pt(297))
MARGIN = img2pdf.mm_to_pt(12)


def _layout(page_size: tuple[float, float]) -> object:
    # auto_orient turns the page to landscape for a landscape photo, so it is not shrunk to
    # half its size on a portrait page.
    return img2pdf.get_layout_fun(
        pagesize=page_size, border=(MARGIN, MARGIN), fit=img2pdf.FitMode.into, auto_orient=True
    )


def image_to_pdf(image: Path, out: Path, page_size: tuple[float, float] = A4) -> Path:
    """Write `image` (every frame of a multi-page TIFF) as a PDF at `out`, on pages of
    `page_size` (points, portrait)."""
    try:
        with out.open("wb") as stream:
            img2pdf.convert(str(image), layout_fun=_layout(page_size), outputstream=stream)
    except (img2pdf.ImageOpenError, img2pdf.PdfTooLargeError, OSError, ValueError) as exc:
        raise AssemblyError(f"cannot place image {image.name} on a page: {exc}") from exc
    return out
