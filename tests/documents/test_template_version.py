"""A template version rests on every file the render reads: an edit to any of them, or a
stylesheet the render would read that appears, gives a new version, though the version is
not worked out again while none of them changed."""

import os
import shutil

from service.documents.registry import get_kind
from service.documents.render import template_files, template_version
from tests.documents.conftest import TEMPLATES


def _touch(path, text):  # type: ignore[no-untyped-def]
    stat = path.stat()
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # a later edit, whatever the clock


def test_an_edit_to_any_file_the_render_reads_gives_a_new_version(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    kind = get_kind("overdue_reminder")
    first = template_version(templates, kind, "CN", "zh-CN", "pdf")
    assert template_version(templates, kind, "CN", "zh-CN", "pdf") == first
    files = template_files(templates, kind, "CN", "zh-CN", "pdf")
    included = templates / "_base.html"
    assert included in files and templates / "assets" / "base.css" in files
    _touch(included, included.read_text(encoding="utf-8") + "\n")  # a template the notice's extends
    second = template_version(templates, kind, "CN", "zh-CN", "pdf")
    assert second != first
    css = templates / "assets" / "zh-CN.css"
    _touch(css, css.read_text(encoding="utf-8") + "\n/* edited */\n")
    third = template_version(templates, kind, "CN", "zh-CN", "pdf")
    assert third not in (first, second)
    assert template_version(templates, kind, "CN", "zh-CN", "pdf") == third


def test_a_stylesheet_that_appears_gives_a_new_version(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    kind = get_kind("overdue_reminder")
    css = templates / "assets" / "en-US.css"
    css.rename(tmp_path / "en-US.css")
    before = template_version(templates, kind, "CN", "en-US", "pdf")
    shutil.copy2(tmp_path / "en-US.css", css)
    assert template_version(templates, kind, "CN", "en-US", "pdf") != before
