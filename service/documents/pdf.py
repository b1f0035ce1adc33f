"""HTML → PDF with WeasyPrint, in a long-lived renderer.

One ``PdfRenderer`` per process holds one ``FontConfiguration`` and the pre-parsed stylesheets:
a fresh configuration per document re-initialises fontconfig and re-registers every
``@font-face`` (the naive loop in bench/ measures what that costs). The renderer's URL fetcher
serves files under ``templates/assets/`` and refuses everything else, so a template can load our
stylesheets and fonts but no other file and nothing from the network.

Output is deterministic: the PDF carries no clock time (its dates come from the document's
as-of date through ``<meta name="dcterms.created">``), its ``/ID`` is derived from the inputs,
and font subset tags are hashes of the font description. The same HTML gives the same bytes in
any process.
"""

import hashlib
import logging
import mimetypes
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from service.documents import fonts, forms, weasy
from service.documents.exceptions import MissingGlyphs, RenderFailed
from service.documents.paper import PAPERS

log = logging.getLogger(__name__)
STYLESHEETS = ("base.css",)  # then the paper's @page size (paper.py), then "<locale>.css"


class AssetFetcher(URLFetcher):  # type: ignore[misc]
    """Serves only regular files under the given roots; anything else stops the render."""

    def __init__(self, roots: list[Path]) -> None:
        super().__init__(allowed_protocols={"file"}, allow_redirects=False, fail_on_errors=True)
        self.roots = [root.resolve() for root in roots]
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        path = self._allowed_path(url)
        if path is None:
            self.refused.append(url)
            raise FatalURLFetchingError(f"refused to fetch {url!r}: documents may load template assets only")
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": media_type})

    def _allowed_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(url2pathname(parts.path)).resolve()  # resolves '..' and symlinks
        inside = any(path.is_relative_to(root) for root in self.roots)
        return path if inside and path.is_file() else None


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int


class PdfRenderer:
    """Fonts, stylesheets and the fetcher, loaded once per process."""

    def __init__(self, templates_dir: Path) -> None:
        self.templates_dir = templates_dir
        self.assets = templates_dir / "assets"
        self.font_files = fonts.ensure_fonts(templates_dir)
        # What this process actually loaded: a font rebuilt on disk later is not what it renders.
        self.font_digest = fonts.loaded_digest(templates_dir)
        self.font_config = FontConfiguration()
        self.fetcher = AssetFetcher([self.assets])
        self.base_url = self.assets.resolve().as_uri() + "/"
        self._stylesheets: dict[tuple[str, str], list[CSS]] = {}
        self._css_digests: dict[tuple[str, str], str] = {}
        self.forms = forms.FormCache()
        # A render pool's processes share the forms they lay out (``bulk``): set in each of them.
        self.shared_forms: forms.SharedForms | None = None
        # WeasyPrint objects are not documented as thread-safe and rendering holds the GIL
        # anyway: one render at a time per process, parallelism comes from processes.
        self._lock = threading.Lock()

    def stylesheets(self, locale: str, paper: str = "A4") -> list[CSS]:
        """base.css, the `paper`'s page size (a key of paper.PAPERS: the profile's) and the locale's."""
        key = (locale, paper)
        if key not in self._stylesheets:
            names = [name for name in (*STYLESHEETS, f"{locale}.css") if (self.assets / name).is_file()]
            page = PAPERS[paper].css()
            digest = hashlib.sha256(page.encode())
            for name in names:
                digest.update(name.encode() + b"\0" + hashlib.sha256((self.assets / name).read_bytes()).digest())
            self._css_digests[key] = digest.hexdigest()
            sheets = [CSS(filename=str(self.assets / name), base_url=self.base_url,
                          url_fetcher=self.fetcher, font_config=self.font_config)
                      for name in names]
            sheets.insert(1, CSS(string=page, base_url=self.base_url, url_fetcher=self.fetcher,
                                 font_config=self.font_config))
            self._stylesheets[key] = sheets
        return self._stylesheets[key]

    def render(self, html: str, *, locale: str, identifier: bytes, paper: str = "A4") -> RenderedPdf:
        with self._lock:
            try:
                document = HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher).render(
                    stylesheets=self.stylesheets(locale, paper), font_config=self.font_config)
                data = document.write_pdf(pdf_identifier=identifier, finisher=_refuse_missing_glyphs)
            except FatalURLFetchingError as exc:
                raise RenderFailed(str(exc)) from None
        return RenderedPdf(data, len(document.pages))

    def form_key(self, form_html: str, *, locale: str, paper: str) -> str:
        """The key of a form in this process's cache: its HTML, laid out in `locale`'s stylesheet on
        `paper` (a key of paper.PAPERS) with these fonts. The same HTML on A4 and on Letter is two forms."""
        return hashlib.sha256(f"{locale}|{paper}|{self.font_digest}|{form_html}".encode()).hexdigest()

    def render_form(self, form_html: str, values: list[str], *, locale: str, identifier: bytes,
                    names: Sequence[str] = (), paper: str = "A4") -> RenderedPdf:
        """A form template's document: its layout (WeasyPrint, once per distinct form in this
        process) filled with `values`; laid out whole when a value does not fit its field (the
        organisations' `names` then kept whole in the values too)."""
        key = self.form_key(form_html, locale=locale, paper=paper)
        known, form = self.forms.lookup(key)
        if not known:
            if self.shared_forms is None:
                form = self._compile_form(form_html, len(values), locale, paper)
            else:  # laid out by one process of the pool, read by the others
                self.stylesheets(locale, paper)
                form = self.shared_forms.get_or_make(
                    hashlib.sha256(f"{key}|{self._css_digests[(locale, paper)]}".encode()).hexdigest(),
                    lambda: self._compile_form(form_html, len(values), locale, paper))
            self.forms.put(key, form)
        if form is not None:
            try:
                return RenderedPdf(forms.fill(form, values), form.pages)
            except forms.Unfillable:
                pass
        return self.render(forms.flow_html(form_html, values, names), locale=locale, identifier=identifier,
                           paper=paper)

    def _compile_form(self, form_html: str, count: int, locale: str, paper: str) -> forms.Form | None:
        with self._lock:
            try:
                document = HTML(string=form_html, base_url=self.base_url, url_fetcher=self.fetcher).render(
                    stylesheets=self.stylesheets(locale, paper), font_config=self.font_config)
                data = document.write_pdf(pdf_identifier=b"form", finisher=_refuse_missing_glyphs)
            except FatalURLFetchingError as exc:
                raise RenderFailed(str(exc)) from None
        try:
            return forms.compile_form(document, data, count, self.templates_dir)
        except forms.FormUnusable as exc:
            log.warning("form not usable, documents will be laid out whole: %s", exc)
            return None


def _refuse_missing_glyphs(document: Any, pdf: Any) -> None:
    # WeasyPrint draws .notdef boxes for characters no font in the stack covers; a legal
    # document with boxes instead of a name is refused rather than sent.
    missing = weasy.missing_characters(document)
    if missing:
        raise MissingGlyphs(missing)


@lru_cache(maxsize=2)
def get_renderer(templates_dir: Path) -> PdfRenderer:
    """The process's renderer for a templates directory (created on first use)."""
    return PdfRenderer(templates_dir)
