"""The benchmark's notices are real documents: they build from the current context models and
render, as forms, to one page each (bench/ would otherwise time something else, or crash)."""

from bench.notice_data import reminders
from service.documents.pdf import get_renderer
from service.documents.render import render
from tests.documents.conftest import TEMPLATES


def test_bench_reminders_render_to_one_page_each():
    contexts = reminders(24)
    results = [render(ctx, "pdf", templates_dir=TEMPLATES) for ctx in contexts]
    assert [r.pages for r in results] == [1] * len(contexts)
    assert max(len(r.data) for r in results) <= 80 * 1024  # the one-page size budget
    assert len(get_renderer(TEMPLATES).forms) >= 1
