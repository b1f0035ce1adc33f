from pathlib import Path

import pikepdf
import pytest
from evidence_factories import make_pdf

from evidence.assemble import BatesOptions, Part, assemble
from evidence.errors import AssemblyError
from evidence.links import PAGE_LINK_PREFIX, page_link, relink

BATES = BatesOptions("ACME-")


def index_pdf(path: Path, targets: list[int]) -> Path:
    """An evidence index rendered by WeasyPrint, linking to final page numbers."""
    from weasyprint import HTML

    rows = "".join(f'<p><a href="{page_link(n)}">证据 第{n}页</a></p>' for n in targets)
    rows += '<p><a href="https://example.com/terms">external</a></p>'
    HTML(string=f"<html><body><h1>证据目录</h1>{rows}</body></html>").write_pdf(path)
    return path


def goto_targets(path: Path) -> tuple[list[int | None], list[str]]:
    """For each link on page 1: the 1-based page it jumps to (None if not internal) and
    the URIs of links left external."""
    with pikepdf.open(path) as pdf:
        pages = [page.obj.objgen for page in pdf.pages]
        jumps: list[int | None] = []
        uris: list[str] = []
        for annotation in pdf.pages[0].Annots:
            action = annotation.A
            if pikepdf.Name.GoTo == action.S:
                jumps.append(pages.index(action.D[0].objgen) + 1)
            else:
                uris.append(str(action.URI))
    return jumps, uris


def test_prefix_is_reserved_and_never_resolvable() -> None:
    assert PAGE_LINK_PREFIX == "https://dossier.invalid/page/"
    assert page_link(12) == "https://dossier.invalid/page/12"


def test_index_links_become_goto_links_to_final_pages(tmp_path: Path) -> None:
    index = index_pdf(tmp_path / "index.pdf", [2, 5, 4])
    exhibit = make_pdf(tmp_path / "exhibit.pdf", 4)
    out = tmp_path / "packet.pdf"

    result = assemble(
        [Part.from_pdf(index, "证据目录"), Part.from_pdf(exhibit, "证据1")], out, bates=BATES
    )

    assert result.links == 3
    jumps, uris = goto_targets(out)
    assert jumps == [2, 5, 4]
    assert uris == ["https://example.com/terms"]


def test_link_past_the_last_page_is_refused(tmp_path: Path) -> None:
    index = index_pdf(tmp_path / "index.pdf", [9])
    out = tmp_path / "packet.pdf"
    with pytest.raises(AssemblyError, match="links to page 9"):
        assemble([Part.from_pdf(index, "证据目录")], out, bates=BATES)
    assert not out.exists()


def test_relink_on_an_open_pdf_ignores_other_annotations(tmp_path: Path) -> None:
    pdf = pikepdf.open(make_pdf(tmp_path / "a.pdf", 2))
    page = pdf.pages[0]
    uri = pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String(page_link(2)))
    page.Annots = pdf.make_indirect(
        pikepdf.Array(
            [
                pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, A=uri),
                pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Text),
                pikepdf.Dictionary(
                    Subtype=pikepdf.Name.Link,
                    A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=page_link(2) + "/x"),
                ),
            ]
        )
    )
    assert relink(pdf) == 1
    assert page.Annots[0].A.D[0].objgen == pdf.pages[1].obj.objgen
    assert page.Annots[2].A.S == pikepdf.Name.URI
