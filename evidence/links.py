"""Links from generated pages to final page numbers.

Templates cannot know where a page will land in the packet when they are rendered, and
WeasyPrint turns `<a href>` into a URI link. So the evidence index links to
`https://dossier.invalid/page/<N>` (`.invalid` can never resolve), and after assembly every
such link becomes an internal GoTo to final page N.
"""

from __future__ import annotations

import re

import pikepdf

from evidence.errors import AssemblyError

PAGE_LINK_PREFIX = "https://dossier.invalid/page/"
_PAGE_LINK = re.compile(re.escape(PAGE_LINK_PREFIX) + r"([1-9][0-9]{0,6})")


def page_link(page_number: int) -> str:
    """The href a template uses to link to final page `page_number` (1-based)."""
    return f"{PAGE_LINK_PREFIX}{page_number}"


def relink(pdf: pikepdf.Pdf) -> int:
    """Turn every page link annotation into a GoTo to its page; return how many changed.

    A link to a page the packet does not have is an `AssemblyError`: an index pointing
    nowhere must not reach a court.
    """
    changed = 0
    for number, page in enumerate(pdf.pages, start=1):
        for annotation in page.obj.get("/Annots", pikepdf.Array()):
            target = _page_target(annotation)
            if target is None:
                continue
            if target > len(pdf.pages):
                raise AssemblyError(
                    f"page {number} links to page {target}, but the packet has "
                    f"{len(pdf.pages)} pages"
                )
            _point_to(annotation, pdf.pages[target - 1])
            changed += 1
    return changed


def _page_target(annotation: pikepdf.Object) -> int | None:
    if not isinstance(annotation, pikepdf.Dictionary):
        return None
    if annotation.get("/Subtype") != pikepdf.Name.Link:
        return None
    action = annotation.get("/A")
    if not isinstance(action, pikepdf.Dictionary) or action.get("/S") != pikepdf.Name.URI:
        return None
    match = _PAGE_LINK.fullmatch(str(action.get("/URI", "")))
    return int(match.group(1)) if match else None


def _point_to(annotation: pikepdf.Object, page: pikepdf.Page) -> None:
    annotation.A = pikepdf.Dictionary(
        S=pikepdf.Name.GoTo, D=pikepdf.Array([page.obj, pikepdf.Name.Fit])
    )
