"""Everything Dossier takes from WeasyPrint beyond its documented API, in one module.

The documented API (``HTML``, ``CSS``, ``FontConfiguration``, ``URLFetcher``, ``write_pdf`` with a
``finisher``) is used in ``pdf.py``. What is *not* documented, and so may change in any release,
is used only here:

- the laid-out box tree of a page (``page._page_box``, ``formatting_structure.boxes``, each box's
  computed ``style``, ``content_box_x()`` and ``width``): forms find where each field was laid out;
- how a text run is written into a page's content stream (fill colour, ``BT``, ``Tm``, ``Tf``,
  ``ET`` — pydyf as WeasyPrint drives it): forms cut the stream at each field's marker;
- the fonts written to the PDF and the code points they lacked (``document.fonts``,
  ``font.missing``, read in the finisher): a document drawn with .notdef boxes is refused.

``pyproject.toml`` pins the range these were tested with (``TESTED_RANGE``); ``check_version``
names an installed version outside it, and tests/documents/test_weasy.py fails on one. On an
untested version forms are not compiled — every notice is laid out whole by WeasyPrint, which is
slower but relies on nothing here — while the missing-glyph check fails loudly rather than let a
document with boxes for characters through.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import version as installed_version
from typing import Any

TESTED_RANGE = ((70, 0), (71, 0))  # >= 70.0, < 71: keep in step with pyproject.toml


class UnsupportedWeasyPrint(RuntimeError):
    """The installed WeasyPrint is outside the range the internals here were tested with."""


def weasyprint_version() -> tuple[int, int]:
    major, minor, *_ = (installed_version("weasyprint") + ".0").split(".")
    return int(major), int(minor)


def supported(found: tuple[int, int] | None = None) -> bool:
    low, below = TESTED_RANGE
    return low <= (found or weasyprint_version()) < below


def check_version(found: tuple[int, int] | None = None) -> None:
    found = found or weasyprint_version()
    if not supported(found):
        (lo_major, lo_minor), (hi_major, _) = TESTED_RANGE
        raise UnsupportedWeasyPrint(
            f"WeasyPrint {found[0]}.{found[1]} is installed; Dossier is tested with >={lo_major}.{lo_minor},"
            f"<{hi_major} (pyproject.toml). Its forms read WeasyPrint's private layout "
            "(service/documents/weasy.py): test them on this version, then widen TESTED_RANGE and the pin.")


# ------------------------------------------------------------------------ the laid-out boxes


@dataclass(frozen=True)
class LaidOutField:
    """An inline block of class ``field`` as WeasyPrint laid it out."""

    page: int
    index: int  # its data-field attribute
    left: float  # content box, CSS px from the page's left edge
    width: float
    text_align: str
    letter_spacing: Any  # "normal" or a length
    font_family: tuple[str, ...]
    color: tuple[float, float, float]  # rgb, 0..1


def laid_out_fields(document: Any) -> Iterator[LaidOutField]:
    """Every laid-out box of class ``field`` (a box split across lines appears more than once)."""
    check_version()
    from weasyprint.formatting_structure.boxes import InlineBlockBox

    for page_no, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if not isinstance(box, InlineBlockBox) or element is None or element.get("class") != "field":
                continue
            style = box.style
            r, g, b = (float(c) for c in tuple(style["color"])[:3])
            yield LaidOutField(page=page_no, index=int(element.get("data-field")), left=box.content_box_x(),
                               width=box.width, text_align=style["text_align_all"],
                               letter_spacing=style["letter_spacing"], font_family=tuple(style["font_family"]),
                               color=(r, g, b))


# ------------------------------------------------------------------------ the content stream

_NUMBER = rb"-?\d+(?:\.\d+)?"
_FILLED_TEXT = re.compile(
    rb"(?P<r>" + _NUMBER + rb") (?P<g>" + _NUMBER + rb") (?P<b>" + _NUMBER + rb") rg\nBT\n(?P<body>.*?)\nET\n",
    re.S)
_TM = re.compile(rb"1 0 0 -1 (" + _NUMBER + rb") (" + _NUMBER + rb") Tm")
_TF = re.compile(rb"/(\S+) (" + _NUMBER + rb") Tf")


@dataclass(frozen=True)
class TextRun:
    """One filled text object of a page's content stream: ``r g b rg BT … ET``."""

    start: int  # byte offsets of the whole object in the stream
    end: int
    rgb: tuple[int, int, int]  # fill colour, 0..255
    baseline: float | None  # the text matrix's y (None when the run sets none)
    size: float | None  # the font size set in the run


def text_runs(content: bytes) -> Iterator[TextRun]:
    for match in _FILLED_TEXT.finditer(content):
        r, g, b = (round(float(match.group(k)) * 255) for k in ("r", "g", "b"))
        tm, tf = _TM.search(match.group("body")), _TF.search(match.group("body"))
        yield TextRun(match.start(), match.end(), (r, g, b), float(tm.group(2)) if tm else None,
                      float(tf.group(2)) if tf else None)


# ------------------------------------------------------------------------ the fonts written


def missing_characters(document: Any) -> list[str]:
    """Characters WeasyPrint drew as .notdef because no font in the stack had them."""
    try:
        fonts = document.fonts.values()
        return sorted({chr(cp) for font in fonts for cp in font.missing})
    except AttributeError as exc:  # the internals moved: refuse rather than pass boxes
        check_version()
        raise UnsupportedWeasyPrint(f"cannot read the fonts WeasyPrint wrote ({exc})") from exc
