"""The "Provided to {firm} on {date}" line a law firm's downloaded PDFs carry on every page.

The line's wording is a template (templates/downloads/provided_to.<locale>.html), rendered once
per download as a thin strip (WeasyPrint, with the system's CJK fonts, so a Chinese firm name
shows) and laid over the foot of every page with pikepdf: the page's own content is not
touched, only drawn over. The stored original, and every copy inside a bundle, stay as they
were, with their hashes; the marked copy is made on the way out.
"""

import io
from datetime import date
from functools import lru_cache
from pathlib import Path

import pikepdf
from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from weasyprint import HTML

from service.documents.format import date_cn, date_en

STRIP_WIDTH, STRIP_HEIGHT = 595.0, 12.0  # points: scaled to each page's width
DATES = {"zh-CN": date_cn, "en-US": date_en}


@lru_cache(maxsize=4)
def _env(templates_dir: Path) -> SandboxedEnvironment:
    return SandboxedEnvironment(loader=FileSystemLoader(str(templates_dir / "downloads")), autoescape=True,
                                undefined=StrictUndefined)


def strip(firm: str, on: date, locale: str, templates_dir: Path) -> bytes:
    """The line alone, as a one-page PDF strip."""
    chosen = locale if locale in DATES else "en-US"
    html = _env(templates_dir).get_template(f"provided_to.{chosen}.html").render(
        firm=firm, date=DATES[chosen](on), width=STRIP_WIDTH, height=STRIP_HEIGHT)
    data: bytes = HTML(string=html).write_pdf()
    return data


def mark(pdf: bytes, *, firm: str, on: date, locale: str, templates_dir: Path) -> bytes:
    """A copy of `pdf` with the line at the foot of every page."""
    with pikepdf.open(io.BytesIO(strip(firm, on, locale, templates_dir))) as line, \
            pikepdf.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            x0, y0, x1, _ = (float(v) for v in page.trimbox)
            height = (x1 - x0) * STRIP_HEIGHT / STRIP_WIDTH
            page.add_overlay(line.pages[0], pikepdf.Rectangle(x0, y0 + 2, x1, y0 + 2 + height))
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()
