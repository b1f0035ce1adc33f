"""The rendering pipeline: context → HTML → PDF, context → DOCX, context → SMS text.

Pure functions of (context, format, templates): no database, no storage, no clock. The same
context and the same template files give the same bytes in any process, which is what lets a
stored hash prove what was sent. Every render checks that the file shows every value the
context declares required, and refuses it otherwise.
"""

import hashlib
import html as html_lib
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import meta
from jinja2.exceptions import TemplateError

from service.cases.rules import load_ruleset
from service.core.errors import InvalidInput, RuleViolation, Violation
from service.documents import docx as docx_mod
from service.documents import forms, sms
from service.documents.contexts.common import DocumentContext, Required
from service.documents.environment import template_environment
from service.documents.exceptions import RenderFailed
from service.documents.paper import paper_of
from service.documents.pdf import get_renderer as get_pdf_renderer
from service.documents.registry import DocKind, get_kind
from service.documents.typography import keep_tokens_html

MEDIA_TYPES = {"pdf": "application/pdf",
               "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               "sms": "text/plain; charset=utf-8"}
EXTENSIONS = {"pdf": "pdf", "docx": "docx", "sms": "txt"}
# Required contents: a notice's are the jurisdiction's notice rule (its rule set's purpose
# `required_elements`: 信用卡办法 art. 69 model, Reg F); every other document's are its own
# catalogue entry (DOC-02).


@dataclass(frozen=True)
class Rendered:
    kind: str
    profile: str
    locale: str
    fmt: str
    data: bytes
    pages: int | None
    template_version: str
    context_hash: str
    stated_debt: Decimal | None = None  # what a notice stating the debt said is owed (DOC-05)
    stated_on: date | None = None  # the day that amount is the balance of, where not the document's date
    # The SHA-256 of `data`, computed once where the bytes are made (a render pool worker: it
    # crosses to the recording process with them) and used for the row and the store alike.
    sha256: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sha256", hashlib.sha256(self.data).hexdigest())

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.fmt]

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.fmt]


# A page bound into a packet shows only the packet's page number and Bates label (stamped by the
# assembler in the bottom corners), not the document's own "page X of Y". A paper on California's
# pleading paper keeps its footer (legal.css @page pleading): the rule wants each page of the paper
# filed numbered from 1 with the paper's title below (Cal. Rules of Court 2.110), and the packet's copy
# is the one filed (reader US-00011: the complaint's pages read "3 / 37" and a Bates label only).
# Last in the body: it overrides the stylesheets a template links in its body.
BOUND_CSS = "<style>@page { @bottom-center { content: none; } }</style></body>"


def _pleading_title(ctx: DocumentContext) -> str | None:
    """The title a court paper on its state's pleading paper gives in its footer (Cal. Rules of
    Court 2.110: the state table's name of the paper, as the PDF's footer prints it); None: plain paper."""
    papers: Any = getattr(ctx, "papers", None)  # a US court paper's PapersBlock (contexts/legal/papers.py)
    return str(papers.titles[ctx.doc.kind]) if getattr(papers, "pleading_paper", False) else None


def render(ctx: DocumentContext, fmt: str, *, templates_dir: Path, bound: bool = False) -> Rendered:
    """`bound`: the PDF is a part of a packet (no page footer of its own)."""
    kind = get_kind(ctx.doc.kind)
    doc = ctx.doc
    if not kind.available(templates_dir, doc.profile, doc.locale, fmt):
        raise InvalidInput.one("format", f"{kind.kind} has no {fmt} template for {doc.profile}/{doc.locale}")
    version = template_version(templates_dir, kind, doc.profile, doc.locale, fmt)
    chash = ctx.content_hash()
    name = kind.template_name(doc.profile, doc.locale, fmt)
    pages: int | None = None
    names = ctx.organisation_names() if fmt in ("pdf", "docx") else ()  # a walk of the context: once
    if fmt == "pdf":
        form_html, values = render_form_html(ctx, templates_dir, names)
        if bound:
            head, tail = form_html.rsplit("</body>", 1)
            form_html = head + BOUND_CSS + tail
        # The text the file shows: a form's values as plain text in their fields (the same text
        # as ``flow_html`` gives, which only adds tags around tokens).
        shown = forms.text_html(form_html, values) if values else form_html
        _check_required(ctx, ctx.required(), _html_text(shown))
        binding = "|bound" if bound else ""
        identifier = hashlib.sha256(f"{name}|{version}|{chash}{binding}".encode()).hexdigest()[:32].encode()
        renderer = get_pdf_renderer(templates_dir)
        paper = paper_of(doc.profile).name
        if values:
            result = renderer.render_form(form_html, values, locale=doc.locale, identifier=identifier,
                                          names=names, paper=paper)
        else:
            result = renderer.render(form_html, locale=doc.locale, identifier=identifier, paper=paper)
        data, pages = result.data, result.pages
    elif fmt == "docx":
        data = docx_mod.get_renderer().render(templates_dir / name, ctx.template_vars(), templates_dir=templates_dir,
                                              as_of=doc.as_of, title=_title(ctx, templates_dir),
                                              names=names, pleading=_pleading_title(ctx),
                                              latin=doc.locale.startswith("en"))
        _check_required(ctx, ctx.required(), docx_mod.docx_text(data))
    else:
        data = render_sms(ctx, templates_dir).encode("utf-8")
    return Rendered(doc.kind, doc.profile, doc.locale, fmt, data, pages, version, chash, ctx.stated_debt(),
                    ctx.stated_debt_on())


def render_html(ctx: DocumentContext, templates_dir: Path) -> str:
    name = get_kind(ctx.doc.kind).template_name(ctx.doc.profile, ctx.doc.locale, "pdf")
    try:
        return template_environment(templates_dir).get_template(name).render(ctx.template_vars())
    except TemplateError as exc:
        raise RenderFailed(f"{name}: {exc}") from exc


def render_form_html(ctx: DocumentContext, templates_dir: Path,
                     names: tuple[str, ...] | None = None) -> tuple[str, list[str]]:
    """The HTML with each ``field()`` left as an empty box, and the fields' values in order
    (none for a template without fields: then the HTML is the whole document). Tokens in the
    text, and the names of the organisations it names, are kept whole (typography.keep_tokens_html);
    a field's value is one line by itself."""
    with forms.collecting() as values:
        markup = render_html(ctx, templates_dir)
    return _kept_html(markup, ctx.organisation_names() if names is None else names), values


@lru_cache(maxsize=64)
def _kept_html(markup: str, names: tuple[str, ...]) -> str:
    """``keep_tokens_html``, once for every notice that shares a form (its HTML without values)."""
    return keep_tokens_html(markup, names)


def render_sms(ctx: DocumentContext, templates_dir: Path) -> str:
    name = get_kind(ctx.doc.kind).template_name(ctx.doc.profile, ctx.doc.locale, "sms")
    try:
        text = template_environment(templates_dir).get_template(name).render(ctx.template_vars()).strip()
    except TemplateError as exc:
        raise RenderFailed(f"{name}: {exc}") from exc
    fit = sms.budget(text)
    if not fit.fits:
        raise InvalidInput.one("format", f"the SMS text needs {fit.used} {fit.encoding} units, more than the "
                                         f"one-segment budget of {fit.limit}: send the letter instead")
    required: list[Required] = getattr(ctx, "sms_required", list)()
    _check_required(ctx, required, text)
    return text


def _title(ctx: DocumentContext, templates_dir: Path) -> str:
    """The DOCX's title property: the HTML template's title block rendered with the case's values,
    as the PDF's <title> is (read as the block's source, it was "{{ papers.heading(affiant) }}")."""
    name = get_kind(ctx.doc.kind).template_name(ctx.doc.profile, ctx.doc.locale, "pdf")
    if not (templates_dir / name).is_file():
        return ""
    template = template_environment(templates_dir).get_template(name)
    block = template.blocks.get("title")
    if block is None:
        return ""
    try:
        markup = "".join(block(template.new_context(ctx.template_vars())))
    except TemplateError as exc:
        raise RenderFailed(f"{name}: title: {exc}") from exc
    return _SPACE.sub(" ", html_lib.unescape(_TAG.sub("", markup))).strip()


_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def _html_text(markup: str) -> str:
    body = markup.split("<body", 1)[-1]
    return html_lib.unescape(_TAG.sub("", body))


def _check_required(ctx: DocumentContext, required: list[Required], text: str) -> None:
    """Refuse a file that lacks a value its context declares required (CN-11 / US-06 / DOC-02)."""
    haystack = _SPACE.sub("", text)
    missing = [r for r in required if _SPACE.sub("", r.text) not in haystack]
    if missing:
        notice = get_kind(ctx.doc.kind).folder == "notices"
        rules = load_ruleset(ctx.doc.profile)
        rule = rules.purposes.required_elements if notice else "DOC-02"
        listed = ", ".join(f"{r.label} ({r.text!r})" for r in missing)
        raise RuleViolation([Violation(rule, f"{ctx.doc.kind} would not show required elements: {listed}")])


# ---------------------------------------------------------------------------------------------
# Template versions


def template_files(templates_dir: Path, kind: DocKind, profile: str, locale: str, fmt: str) -> list[Path]:
    """Every file the render of this kind/locale/format reads."""
    name = kind.template_name(profile, locale, fmt)
    if fmt != "pdf":
        return [templates_dir / name]
    names = _template_closure(templates_dir, name)
    linked = sorted({css for n in names for css in _linked_css(str(templates_dir / n), *_signature(templates_dir / n))})
    css = [templates_dir / "assets" / n for n in ("base.css", f"{locale}.css", *linked)]
    return [*(templates_dir / n for n in sorted(names)), *(p for p in css if p.is_file())]


_LINKED_CSS = re.compile(r'<link rel="stylesheet" href="([\w.-]+\.css)"')


@lru_cache(maxsize=512)
def _linked_css(path: str, _mtime: int, _size: int) -> tuple[str, ...]:
    """Stylesheets a template links itself (e.g. legal.css), so they count in its version."""
    return tuple(_LINKED_CSS.findall(Path(path).read_text(encoding="utf-8")))


_CLOSURES: dict[tuple[str, str], tuple[set[str], tuple[tuple[int, int], ...]]] = {}


def _template_closure(templates_dir: Path, name: str) -> set[str]:
    """The template and everything it extends or includes (cached while none of them changes)."""
    key = (str(templates_dir), name)
    cached = _CLOSURES.get(key)
    if cached and tuple(_signature(templates_dir / n) for n in sorted(cached[0])) == cached[1]:
        return cached[0]
    names = _parse_closure(templates_dir, name)
    _CLOSURES[key] = (names, tuple(_signature(templates_dir / n) for n in sorted(names)))
    return names


def _parse_closure(templates_dir: Path, name: str) -> set[str]:
    env = template_environment(templates_dir)
    seen: set[str] = set()
    pending = [name]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        source = (templates_dir / current).read_text(encoding="utf-8")
        pending += [n for n in meta.find_referenced_templates(env.parse(source)) if n]
    return seen


def template_version(templates_dir: Path, kind: DocKind, profile: str, locale: str, fmt: str) -> str:
    """SHA-256 over every file the render reads; for PDF also the fonts this process loaded.

    Each file the version rests on, and each stylesheet the render would read if it existed, is
    looked at once (its modification time and size): while none of them changed, the version
    found last for this kind, profile, locale and format stands. Finding the files again (the
    templates' includes, their linked stylesheets) looked at each of them three times a notice."""
    fonts_loaded = get_pdf_renderer(templates_dir).font_digest if fmt == "pdf" else ""
    memo_key = (str(templates_dir), kind.kind, profile, locale, fmt, fonts_loaded)
    known = _VERSIONS.get(memo_key)
    if known is not None and all(_signature_or_none(Path(p)) == sig for p, sig in known[0]):
        return known[1]
    files = template_files(templates_dir, kind, profile, locale, fmt)
    key = tuple((str(p), *_signature(p)) for p in files)
    version = _version(str(templates_dir), key, fonts_loaded)
    watched: dict[str, tuple[int, int] | None] = {str(p): (mtime, size) for p, mtime, size in key}
    for candidate in _css_candidates(templates_dir, key, locale) if fmt == "pdf" else ():
        watched.setdefault(str(candidate), _signature_or_none(candidate))  # one made later counts
    _VERSIONS[memo_key] = (tuple(watched.items()), version)
    return version


# (templates dir, kind, profile, locale, format, fonts) → (each file watched with its signature, or
# None where it does not exist; the version)
_VERSIONS: dict[tuple[str, ...], tuple[tuple[tuple[str, tuple[int, int] | None], ...], str]] = {}


def _css_candidates(templates_dir: Path, key: tuple[tuple[str, int, int], ...], locale: str) -> list[Path]:
    """The stylesheets a PDF render reads where they exist (``template_files``): the base and
    locale ones and those its templates link."""
    linked = {css for path, mtime, size in key if path.endswith(".html") for css in _linked_css(path, mtime, size)}
    return [templates_dir / "assets" / n for n in ("base.css", f"{locale}.css", *sorted(linked))]


def _signature(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


def _signature_or_none(path: Path) -> tuple[int, int] | None:
    try:
        return _signature(path)
    except FileNotFoundError:
        return None


@lru_cache(maxsize=512)
def _version(root: str, key: tuple[tuple[str, int, int], ...], fonts_loaded: str) -> str:
    digest = hashlib.sha256(fonts_loaded.encode())
    for path_text, _mtime, _size in key:
        path = Path(path_text)
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
