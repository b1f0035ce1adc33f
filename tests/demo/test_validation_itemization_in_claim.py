"""The validation notice's itemization (12 CFR 1006.34(c)(2)) is traceable to `dossier claim` to the
cent (review F35): the notice's "interest" line (contract interest that fell due + default interest
accrued) was no figure the claim printed. `dossier claim` now prints the itemization, its interest
split into those parts, and how the notice's current amount becomes the claim, component by component."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

from rich.console import Console
from sqlalchemy import select

from service.cases.casefile import load_case_file
from service.cases.claim_view import claim_view
from service.cases.enums import CreditorRole
from service.cases.models import DebtCase
from service.cli_views import print_claim
from service.documents import service as documents_service
from service.packets.build import planner_for
from tests.factories import DEMO_ANCHOR, demo_clock
from tests.seeded import seed_demo


def test_the_validation_notice_itemization_is_what_dossier_claim_prints(db, settings):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=42, settings=settings)  # US collectors at PHONE and PROMISE
    compared = split = 0
    for ref in db.scalars(select(DebtCase.ref).where(DebtCase.profile == "US").order_by(DebtCase.ref)):
        cf = load_case_file(db, ref)
        if cf.lender.creditor_role != CreditorRole.DEBT_COLLECTOR:
            continue
        facts, _, ctx = documents_service.prepare(db, case_ref=ref, kind="validation_notice", fmt="pdf",
                                                  locale="en-US", as_of=None,
                                                  now=demo_clock(tz=cf.borrower.timezone),
                                                  case_file=cf, planner=planner_for(settings)(db))
        notice = ctx.itemization
        day = ctx.itemized_to or facts.as_of  # a copy itemizes to the day its original was sent
        view = claim_view(cf, facts.claim if day == facts.as_of else _claim(facts, day))
        it = view["itemization"]
        assert it is not None and it["to"] == day, ref
        assert (it["basis"], it["on"]) == (notice.basis, notice.on), ref
        for key in ("amount_then", "interest", "fees", "payments", "current"):
            assert it[key] == getattr(notice, key), (ref, key)
        # the notice's interest is the claim's interest that fell due + default + compound interest
        assert it["interest"] == it["interest_due"] + it["penalty"] + it["compound"], ref
        split += bool(it["interest_due"] and it["penalty"])
        # the current amount by component, and what the claim adds to each, give the claim's parts
        assert sum(it["current_parts"].values(), Decimal(0)) - it["unapplied"] == it["current"], ref
        for key, current in it["current_parts"].items():
            assert current + it["to_claim"][key] == view[key], (ref, key)
        assert it["current"] + sum(it["to_claim"].values(), Decimal(0)) + it["unapplied"] == view["claimed_total"]
        out = StringIO()
        print_claim(Console(file=out, width=240), view)
        printed = out.getvalue()
        for figure in (notice.amount_then, notice.interest, notice.payments, notice.current, it["interest_due"],
                       it["penalty"], view["claimed_total"]):
            assert f"{figure:,}" in printed, (ref, figure)
        assert "12 CFR 1006.34(c)(2)" in printed and "default interest (penalty) accrued" in printed
        compared += 1
    assert compared >= 2 and split, (compared, split)


def _claim(facts, day):  # type: ignore[no-untyped-def]
    from service.cases import accounts
    from service.core.settings import get_settings

    return accounts.claim_of(facts.cf, day, licensed_cap=get_settings().licensed_cost_cap)


def test_an_original_creditor_case_has_no_itemization(db):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=14)
    for ref in db.scalars(select(DebtCase.ref).where(DebtCase.profile == "US")):
        cf = load_case_file(db, ref)
        assert cf.lender.creditor_role == CreditorRole.ORIGINAL_CREDITOR, ref
        from service.cases import accounts
        from service.core.settings import get_settings

        view = claim_view(cf, accounts.claim_of(cf, DEMO_ANCHOR - timedelta(days=1),
                                                licensed_cap=get_settings().licensed_cost_cap))
        assert view["itemization"] is None
