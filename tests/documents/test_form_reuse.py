"""A form's PDF is opened once a process and filled notice after notice (forms._opened): each
notice's bytes are those of the form opened afresh, whatever was filled into it before, and
nothing of one notice shows in the next."""

from io import BytesIO

import pikepdf
import pytest

from bench.notice_data import reminders
from service.documents import forms
from service.documents.render import render
from tests.documents.conftest import TEMPLATES, pdf_text


def _fresh(ctx):  # type: ignore[no-untyped-def]
    forms._OPEN_FORMS.clear()  # the next fill opens the form again
    return render(ctx, "pdf", templates_dir=TEMPLATES).data


def test_a_notice_filled_into_a_reused_form_is_the_notice_filled_into_a_fresh_one(tmp_path):
    contexts = reminders(40)
    first = contexts[0]
    # others of the same form: the same lender and layout, other borrowers and amounts
    same_form = [c for c in contexts[1:] if c.lender.name == first.lender.name][:6]
    assert same_form
    fresh = _fresh(first)
    for other in same_form:
        assert render(other, "pdf", templates_dir=TEMPLATES).data == _fresh(other)
        render(other, "pdf", templates_dir=TEMPLATES)  # filled into the kept form
        again = render(first, "pdf", templates_dir=TEMPLATES).data
        assert again == fresh
        with pikepdf.open(BytesIO(again)) as pdf:
            assert len(pdf.pages) == 1
        shown = pdf_text(again, tmp_path).replace(" ", "")
        assert first.borrower.name in shown
        assert other.borrower.name == first.borrower.name or other.borrower.name not in shown


def test_a_kept_form_is_opened_again_after_its_fills(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(forms._OpenForm, "REOPEN_AFTER", 2)
    contexts = reminders(12)
    expected = [_fresh(c) for c in contexts]
    forms._OPEN_FORMS.clear()
    assert [render(c, "pdf", templates_dir=TEMPLATES).data for c in contexts] == expected
    assert all(kept.fills <= 2 for _, kept in forms._OPEN_FORMS.values())


def test_what_a_kept_form_holds_of_its_fills_is_bounded():
    # qpdf keeps each fill's content stream and fonts in the kept file until it is closed: native
    # memory Python does not see, which made a worker's resident set grow over a long batch
    contexts = reminders(200)
    first = contexts[0]
    same_lender = [c for c in contexts if c.lender.name == first.lender.name]  # many of them share its form
    forms._OPEN_FORMS.clear()
    render(first, "pdf", templates_dir=TEMPLATES)
    (form, kept), = forms._OPEN_FORMS.values()
    with pikepdf.open(BytesIO(form.pdf)) as fresh:
        own = len(fresh.objects)
    left = []
    for ctx in same_lender:
        render(ctx, "pdf", templates_dir=TEMPLATES)
        assert kept.pdf is not None
        left.append(len(kept.pdf.objects) - own)
    assert max(left) <= 120, left  # a fill leaves up to 11 objects (its content, two faces' fonts)
    assert left[-1] < max(left)  # opened again: what the fills left went with the old copy
