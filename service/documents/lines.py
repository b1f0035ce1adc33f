"""Short items set on centred lines with a separator between them (a letterhead's address, phone,
web and e-mail address; a caption's parties and court): the template decides where its lines
end, so that a separator never begins or ends a line. Left to the engine, a wrapped letterhead
line began with "·" in LibreOffice and ended with it in the PDF; the DOCX and the PDF also
wrapped it at different places.

Items are measured with the serif face the PDF prints them in (Dossier Serif, a subset of Noto
Serif CJK SC with the same advances; the DOCX's face for Chinese text, its Latin text in Liberation
Serif, narrower, so a line measured here fits there too), at the letterhead's size:
the fewest lines that hold them with a margin for the engines' own spacing, and of those the
split whose widest line is narrowest (centred lines of even length)."""

import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import combinations
from pathlib import Path

from fontTools.ttLib import TTFont

from service.documents.fonts import FACES, built_fonts, source_face

TEXT_WIDTH_PT = 170 / 25.4 * 72  # A4 less the 20 mm margins (base.css, tools/make_docx_templates.py)
FILL = 0.97  # of the text width (the PDF measures as computed here; LibreOffice within a few points)
SEPARATOR = " · "


@lru_cache(maxsize=4)
def _advances(templates_dir: Path) -> tuple[dict[int, int], int]:
    """Advance widths by code point, in font units, and the units per em: of the compact serif when
    it is built (quicker to read), else of the system face it is cut from."""
    built = built_fonts(templates_dir)
    path, index = (str(built[0]), -1) if built else source_face(FACES[0])
    font = TTFont(path, lazy=True, fontNumber=index)
    metrics = font["hmtx"]
    return {cp: metrics[glyph][0] for cp, glyph in font.getBestCmap().items()}, font["head"].unitsPerEm


def text_width(text: str, size_pt: float, templates_dir: Path) -> float:
    advances, units = _advances(templates_dir)
    # a character the compact face lacks: a rare ideograph is one em, as every ideograph is
    return sum(advances.get(ord(c), units if unicodedata.east_asian_width(c) in "WF" else units // 2)
               for c in text) * size_pt / units


def split_lines(items: Sequence[str], width_pt: float,
                    measure: Callable[[str], float], separator: str = SEPARATOR) -> list[list[str]]:
    """`items` in order on the fewest lines no wider than `width_pt`, the widest line as narrow as
    it can be. An item wider than a line stands on a line of its own (and wraps there)."""
    items = [i for i in items if i]
    for count in range(1, len(items) + 1):
        splits = [[items[a:b] for a, b in zip((0, *cuts), (*cuts, len(items)), strict=True)]
                  for cuts in combinations(range(1, len(items)), count - 1)]
        fitting = [s for s in splits if all(measure(separator.join(line)) <= width_pt or len(line) == 1
                                            for line in s)]
        if fitting:
            return min(fitting, key=lambda s: max(measure(separator.join(line)) for line in s))
    return [[i] for i in items]


def separated_lines(templates_dir: Path) -> Callable[..., list[list[str]]]:
    """The template global ``separated_lines(items, size=8.5, separator=" · ")``: the items (empty
    ones left out) on lines, for the template to join with the same `separator` and a line break (a
    letterhead at 8.5pt, a caption under a title at the body's 10.5pt; English text takes " | ")."""

    def lines(items: Sequence[str], size: float = 8.5, separator: str = SEPARATOR) -> list[list[str]]:
        return split_lines([str(i) for i in items if i], TEXT_WIDTH_PT * FILL,
                               lambda text: text_width(text, size, templates_dir), separator)

    return lines
