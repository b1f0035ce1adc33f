"""The one Jinja configuration every document renders through.

Sandboxed (templates are edited by legal staff, not engineers), immutable (a template cannot
mutate the context it is given), auto-escaping (user data such as a borrower named
``<img src=...>`` stays text) and strict (an undefined name is an error, never a blank on a
legal notice). User data only ever enters as context values, never as template source.
"""

import json
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from service.documents.exceptions import UnknownLabel
from service.documents.format import FILTERS
from service.documents.forms import field
from service.documents.lines import separated_lines

TEXT_SUFFIXES = (".txt",)
_RTL = frozenset({"R", "AL"})
# Every character whose bidirectional class is R or AL lies in these blocks (checked over all of
# Unicode by tests/documents/test_bidi.py): most values (Chinese, Latin, digits) skip the
# per-character lookup, which is a noticeable part of rendering a notice.
_MAYBE_RTL = re.compile("[\u0590-\u08ff\u200f\ufb1d-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff]")


def _autoescape(template_name: str | None) -> bool:
    # Plain-text templates (SMS) are not markup: escaping would put '&amp;' into a text
    # message. Everything else (HTML, and DOCX XML rendered from a string) is escaped.
    return not (template_name or "").endswith(TEXT_SUFFIXES)


def isolate_bidi(value: object) -> object:
    """A value written in a right-to-left script is set between FIRST STRONG ISOLATE and POP
    DIRECTIONAL ISOLATE: it keeps its own direction but cannot pull the label, number or
    punctuation beside it into it (an Arabic name before "身份证号" would otherwise reorder the
    line). Inputs never carry bidi controls of their own (service/core/text.py)."""
    if isinstance(value, str) and not isinstance(value, Markup) and _MAYBE_RTL.search(value) and any(
            unicodedata.bidirectional(c) in _RTL for c in value):
        return f"\u2068{value}\u2069"
    return value


def label(words: dict[str, str], code: object, what: str, empty: str | None = None) -> str:
    """The word a template gives a stored code (``{{ label({"sms": "短信"}, code, "channel") }}``).
    A code the template has no word for stops the render (``UnknownLabel``): a legal document never
    prints a raw code such as ``bank_transfer``. `empty`, when given, is shown for no code at all."""
    key = "" if code is None else str(code)
    if not key and empty is not None:
        return empty
    if key not in words:
        raise UnknownLabel(what, key)
    return words[key]


def doc_title_of(templates_dir: Path) -> Callable[..., str]:
    """``{{ doc_title("breach_notice") }}``: a document kind's name as the packet's contents name it
    (templates/legal/packet/exhibits.<locale>.json, "titles"), so that a notice is called by one
    name wherever another document refers to it (review CN-00012: "违约/提前到期通知书" beside the
    notice's own title, 违约及提前到期通知书)."""

    def doc_title(kind: str, locale: str = "zh-CN") -> str:
        path = templates_dir / "legal" / "packet" / f"exhibits.{locale}.json"
        titles: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))["titles"]
        if kind not in titles:
            raise UnknownLabel(f"document title ({path})", kind)
        return titles[kind]

    return doc_title


def _configure(env: ImmutableSandboxedEnvironment, templates_dir: Path) -> ImmutableSandboxedEnvironment:
    env.finalize = isolate_bidi
    env.filters.update(FILTERS)
    env.globals["field"] = field  # a form field in a PDF, plain text everywhere else
    env.globals["label"] = label
    env.globals["doc_title"] = doc_title_of(templates_dir)
    env.globals["separated_lines"] = separated_lines(templates_dir)
    return env


@lru_cache(maxsize=4)
def template_environment(templates_dir: Path) -> ImmutableSandboxedEnvironment:
    """Environment with a loader on ``templates_dir`` (HTML and SMS templates)."""
    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=_autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=True,  # an edited template is picked up, as its new version says
    )
    return _configure(env, templates_dir)


@lru_cache(maxsize=4)
def docx_environment(templates_dir: Path) -> ImmutableSandboxedEnvironment:
    """Environment for DOCX templates: the document XML is the template source, escaping is
    XML escaping. The loader lets a DOCX template ``{% import %}`` the same macro files as the
    HTML templates (their output is escaped text). A separate instance because docxtpl assigns
    ``env.autoescape`` itself; settings and filters are those of ``template_environment``.
    """
    env = ImmutableSandboxedEnvironment(loader=FileSystemLoader(str(templates_dir)), undefined=StrictUndefined,
                                        autoescape=True, auto_reload=True)
    return _configure(env, templates_dir)
