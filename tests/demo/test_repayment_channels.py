"""The demo's notices name the lender's app only where it has one (DOC-10): the licensed lenders'
by its name, the two lenders without a licence (RXTZ, JCSW: no app) none, in Chinese or English,
PDF or DOCX, in every CN document a demo case gets at its stage. tests/documents/
test_repayment_channels.py tests the wording for each shape of lender and the refusal."""

import re

from sqlalchemy import select

from service.cases.casefile import load_case_file
from service.cases.models import DebtCase, Lender
from service.core.errors import RuleViolation
from service.documents import service as documents_service
from service.documents.docx import docx_text
from service.documents.registry import KINDS, Check
from service.documents.render import render
from service.packets.build import planner_for
from tests.documents.conftest import pdf_text, squash
from tests.factories import DEMO_ANCHOR, demo_clock
from tests.seeded import seed_demo

NO_APP = {"RXTZ", "JCSW"}
# the kinds that tell the borrower how to pay: each names the app where there is one
CHANNEL_KINDS = {k.kind for k in KINDS.values() if Check.REPAYMENT_CHANNEL in k.checks}


def names_an_app(text: str, locale: str) -> bool:
    if locale == "zh-CN":
        return "App" in squash(text)
    return re.search(r"\bapps?\b", " ".join(text.split()), re.I) is not None


def _texts(db, settings, tmp_path, ref, kind, locale, planner):
    """The case's document as PDF and DOCX text; None when a rule refuses it."""
    cf = load_case_file(db, ref)
    try:
        _, _, ctx = documents_service.prepare(db, case_ref=ref, kind=kind, fmt="pdf", locale=locale, as_of=None,
                                              now=demo_clock(tz=cf.borrower.timezone), case_file=cf, planner=planner)
    except RuleViolation:
        return None  # refusals are tests/demo/test_demo_documents.py's
    pdf = pdf_text(render(ctx, "pdf", templates_dir=settings.templates_dir).data, tmp_path)
    return pdf, docx_text(render(ctx, "docx", templates_dir=settings.templates_dir).data)


def test_the_demo_names_an_app_only_for_a_lender_that_has_one(db, settings, tmp_path):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=18, settings=settings)
    apps = {code: app for code, app in db.execute(select(Lender.code, Lender.app_name).where(Lender.profile == "CN"))}
    assert {code for code, app in apps.items() if app is None} == NO_APP & set(apps), apps
    assert all(app and app.endswith("App") for code, app in apps.items() if code not in NO_APP)
    planner = planner_for(settings)(db)
    named: dict[tuple[str, str], str] = {}  # (kind, locale) naming the app -> a case it was rendered for
    without: set[tuple[str, str]] = set()  # (kind, locale) rendered for a lender without one
    for case in db.scalars(select(DebtCase).where(DebtCase.profile == "CN").order_by(DebtCase.ref)):
        lender = db.get(Lender, case.lender_id)
        assert lender is not None
        for kind in (k for k in KINDS.values() if case.stage in k.stages and "CN" in k.locales):
            for locale in kind.locales["CN"]:
                found = _texts(db, settings, tmp_path, case.ref, kind.kind, locale, planner)
                for text in found or ():
                    where = (case.ref, lender.code, kind.kind, locale)
                    if lender.app_name is None:
                        assert not names_an_app(text, locale), (where, text)
                        without.add((kind.kind, locale))
                    elif kind.kind in CHANNEL_KINDS:
                        assert lender.app_name in squash(text), (where, text)
                        assert "官方App" not in text and "official app" not in text, where
                        named[kind.kind, locale] = case.ref
    assert {k for k, _ in named} == CHANNEL_KINDS, named
    # The 18 cases' lenders without an app reach the reminder and the demand letter, not a plan: the
    # plan's notices are read for a lender whose app is removed (rolled back with the test).
    assert {("overdue_reminder", "zh-CN"), ("overdue_reminder", "en-US"), ("demand_letter", "zh-CN")} <= without
    for (kind, locale), ref in sorted(named.items()):
        if (kind, locale) in without:
            continue
        lender = db.get(Lender, db.scalars(select(DebtCase.lender_id).where(DebtCase.ref == ref)).one())
        assert lender is not None
        app, lender.app_name = lender.app_name, None
        db.flush()
        found = _texts(db, settings, tmp_path, ref, kind, locale, planner)
        assert found is not None, (ref, kind, locale)
        for text in found:
            assert not names_an_app(text, locale), (ref, kind, locale, text)
            assert (lender.payment_account or {}).get("account_no", "") in squash(text)  # the account stays
        lender.app_name = app
        db.flush()
