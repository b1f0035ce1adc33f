"""The paper a profile's documents are printed on, decided in one place: the profile's rule set
names it (``jurisdiction.paper``: A4 for CN, US Letter for US courts and mail), and this module
turns the name into what each output needs: the PDF's ``@page`` size (a stylesheet the renderer
adds after base.css), the DOCX section size (tools/make_docx_templates.py) and the page an image
exhibit is fitted into (service/packets). The margins are the same on both papers (base.css)."""

from dataclasses import dataclass
from functools import cache

from service.cases.rules import load_ruleset

MM = 72 / 25.4  # points per millimetre
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_SIDE_MM = 18.0, 20.0, 20.0  # base.css @page, the DOCX's section


@dataclass(frozen=True)
class Paper:
    name: str  # the CSS page-size keyword
    width_mm: float
    height_mm: float

    @property
    def size_pt(self) -> tuple[float, float]:
        return self.width_mm * MM, self.height_mm * MM

    @property
    def text_width_mm(self) -> float:
        return self.width_mm - 2 * MARGIN_SIDE_MM

    def css(self) -> str:
        return f"@page {{ size: {self.name}; }}"


PAPERS = {"A4": Paper("A4", 210.0, 297.0), "letter": Paper("letter", 215.9, 279.4)}


@cache
def paper_of(profile: str) -> Paper:
    """The paper of `profile`'s documents (its rule set's ``jurisdiction.paper``)."""
    name = load_ruleset(profile).jurisdiction.paper
    if name not in PAPERS:
        raise KeyError(f"rule set {profile}: unknown paper {name!r} (known: {', '.join(PAPERS)})")
    return PAPERS[name]
