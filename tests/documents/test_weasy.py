"""The WeasyPrint dependency is explicit: the installed version is the tested one, an untested
version is named, and on one the forms (which read WeasyPrint's private layout) step aside so
every notice is laid out whole."""

import tomllib

import pytest

from service.core.settings import PROJECT_ROOT
from service.documents import forms, weasy
from service.documents.pdf import PdfRenderer
from tests.documents.conftest import TEMPLATES


def test_the_installed_weasyprint_is_the_tested_range():
    weasy.check_version()  # fails naming the installed version and the range when they differ


def test_the_pin_in_pyproject_is_the_tested_range():
    deps = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pin = next(d for d in deps if d.startswith("weasyprint")).split("#")[0].strip()
    (lo_major, lo_minor), (hi_major, _) = weasy.TESTED_RANGE
    assert pin == f"weasyprint>={lo_major}{'.' + str(lo_minor) if lo_minor else ''},<{hi_major}"


def test_an_untested_version_is_named_with_the_range():
    with pytest.raises(weasy.UnsupportedWeasyPrint, match=r"WeasyPrint 71\.0 is installed.*>=70\.0,<71"):
        weasy.check_version((71, 0))
    with pytest.raises(weasy.UnsupportedWeasyPrint, match=r"69\.2"):
        weasy.check_version((69, 2))


def _form_and_flow(renderer: PdfRenderer) -> tuple[bytes, bytes]:
    with forms.collecting() as values:
        name = forms.field("张三", "6em")
    form_html = f'<html lang="zh-CN"><body><p>尊敬的{name}：</p></body></html>'
    result = renderer.render_form(form_html, values, locale="zh-CN", identifier=b"2" * 32)
    flow = renderer.render(forms.flow_html(form_html, values), locale="zh-CN", identifier=b"2" * 32)
    return result.data, flow.data


def test_on_an_untested_version_a_form_is_laid_out_whole(monkeypatch):
    filled, flow = _form_and_flow(PdfRenderer(TEMPLATES))
    assert filled != flow  # on the tested version this is a filled form
    monkeypatch.setattr(weasy, "weasyprint_version", lambda: (71, 0))
    laid_out, flow = _form_and_flow(PdfRenderer(TEMPLATES))  # a renderer with its own form cache
    assert laid_out == flow
