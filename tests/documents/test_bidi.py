"""A name in a right-to-left script cannot reorder the line it is printed on (issue 9, part 4):
documents isolate it (bidi controls never get in: tests/cases/test_input_text.py)."""

import re
import subprocess
from pathlib import Path

from weasyprint import HTML

from service.core.settings import Settings
from service.documents.environment import isolate_bidi, template_environment

NAME = "محمد علي"
LINE = '<html><body style="font-family: Noto Sans CJK SC"><p>{{ name }} 4,545.33 元</p></body></html>'


def test_right_to_left_values_are_isolated_and_others_untouched():
    env = template_environment(Settings().templates_dir)
    out = env.from_string("{{ name }}（证件号码：{{ id }}）{{ n }}").render(name=NAME, id="E123****8", n=3)
    assert out == f"\u2068{NAME}\u2069（证件号码：E123****8）3"
    assert isolate_bidi("张伟") == "张伟" and isolate_bidi(5) == 5


def _words(pdf: Path) -> list[tuple[float, str]]:
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [(float(x), w) for x, w in re.findall(r'<word xMin="([\d.]+)"[^>]*>([^<]+)</word>', boxes)]


def test_an_amount_after_an_arabic_name_stays_after_it_on_the_page(tmp_path):
    # Without isolation the bidi algorithm attaches "4,545.33" to the Arabic run and prints it
    # to the left of the name: the line then reads as a different sentence.
    env = template_environment(Settings().templates_dir)
    pdf = tmp_path / "line.pdf"
    HTML(string=env.from_string(LINE).render(name=NAME)).write_pdf(pdf)
    words = _words(pdf)
    arabic = [x for x, w in words if any("\u0600" <= c <= "\u06ff" for c in w)]
    amount = next(x for x, w in words if w == "4,545.33")
    assert arabic and amount > max(arabic), words


def test_the_quick_check_covers_every_right_to_left_character():
    """``isolate_bidi`` looks a value's characters up only when one is in the blocks that hold
    right-to-left characters: every R or AL character of this Python's Unicode is in them."""
    import sys
    import unicodedata

    from service.documents.environment import _MAYBE_RTL

    missed = [hex(cp) for cp in range(sys.maxunicode + 1)
              if unicodedata.bidirectional(chr(cp)) in ("R", "AL") and not _MAYBE_RTL.match(chr(cp))]
    assert missed == []
    assert isolate_bidi("\u200f") == "\u2068\u200f\u2069"  # the right-to-left mark is itself R
