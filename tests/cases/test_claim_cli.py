"""`dossier claim` speaks the case's language (review F33): English labels and USD for a US case,
Chinese for a CN case, or what --lang says; and its default as-of date is the demo's anchor day
(the day `dossier demo seed` and `make samples` take as today), not the borrower's own today."""

import re
from contextlib import contextmanager
from datetime import UTC, date, datetime
from io import StringIO

import pytest
from rich.console import Console
from sqlalchemy import select
from typer.testing import CliRunner

from service.cases import accounts
from service.cases.casefile import load_case_file
from service.cases.claim_view import claim_view
from service.cases.enums import Stage
from service.cases.models import DebtCase
from service.cli_views import print_claim
from service.core.settings import get_settings
from tests.factories import DEMO_ANCHOR
from tests.seeded import seed_demo

CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef]")


@pytest.fixture
def demo(db):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=21)  # three US cases: REMINDER, PRE_LITIGATION, PHONE
    return db


def _refs(db, profile: str) -> list[str]:
    return list(db.scalars(select(DebtCase.ref).where(DebtCase.profile == profile).order_by(DebtCase.ref)))


def _printed(db, ref: str, lang: str | None = None) -> str:
    cf = load_case_file(db, ref)
    out = StringIO()
    print_claim(Console(file=out, width=240), claim_view(cf, accounts.claim_of(cf, DEMO_ANCHOR,
                licensed_cap=get_settings().licensed_cost_cap)), lang)
    return out.getvalue()


def test_a_us_claim_prints_english_in_usd_and_a_cn_claim_chinese(demo):
    for ref in _refs(demo, "US"):
        printed = _printed(demo, ref)
        assert not CJK.findall(printed), (ref, CJK.findall(printed)[:10])  # not one Chinese character
        assert "amount (USD)" in printed and "principal" in printed and "continuing interest" in printed
    for ref in _refs(demo, "CN")[:8]:
        printed = _printed(demo, ref)
        assert "金额（CNY）" in printed and "本金" in printed and "罚息" in printed, ref
        assert "principal" not in printed and "component" not in printed and "claimed" not in printed, ref
        assert "诉讼请求金额" in printed


def test_lang_overrides_the_jurisdiction(demo):
    cn, us = _refs(demo, "CN")[0], _refs(demo, "US")[0]
    english = _printed(demo, cn, "en")
    assert "component" in english and "principal" in english and "本金" not in english
    chinese = _printed(demo, us, "zh")
    assert "本金" in chinese and "金额（USD）" in chinese


def test_the_cli_defaults_to_the_borrowers_today_and_the_case_language(demo, monkeypatch):
    """20:00 UTC: Shanghai is on the next date, the demo's US zones are not. `dossier claim` takes
    the borrower's date, the date a document generated at that moment carries (review CN-00060:
    the claim said 12-06 beside documents dated 12-07), not the demo's anchor day."""
    from service.cases import service as case_service
    from service.cli import app as cli
    from service.core import clock
    from service.demo import seed

    moment = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
    monkeypatch.setattr(seed, "utcnow", lambda: moment)
    monkeypatch.setattr(clock, "utcnow", lambda: moment)
    assert seed.demo_today() == date(2026, 11, 27)
    assert clock.today("Asia/Shanghai") == date(2026, 11, 28)
    seen: dict[str, date] = {}
    real_claim = case_service.claim

    def claim(session, ref, as_of, *, licensed_cap, today_in=clock.today):  # type: ignore[no-untyped-def]
        seen[ref] = today_in("Asia/Shanghai")
        return real_claim(demo, ref, as_of, licensed_cap=licensed_cap, today_in=today_in)

    @contextmanager
    def unit_of_work(url):  # type: ignore[no-untyped-def]
        yield demo

    monkeypatch.setattr(case_service, "claim", claim)
    monkeypatch.setattr("service.core.db.unit_of_work", unit_of_work)
    cn = demo.scalars(select(DebtCase.ref).where(DebtCase.profile == "CN", DebtCase.stage == Stage.PRE_LITIGATION)
                      ).first()
    result = CliRunner().invoke(cli, ["claim", cn], env={"COLUMNS": "240"})
    assert result.exit_code == 0, result.output
    assert seen[cn] == date(2026, 11, 28)  # Shanghai's date, not the demo's anchor day
    assert "截至2026-11-28" in result.output and "本金" in result.output
    us = _refs(demo, "US")[0]
    result = CliRunner().invoke(cli, ["claim", us], env={"COLUMNS": "240"})
    assert result.exit_code == 0, result.output
    assert "as of 2026-11-27" in result.output and not CJK.findall(result.output)
    result = CliRunner().invoke(cli, ["claim", us, "--lang", "fr"])
    assert result.exit_code == 1 and "--lang" in result.output
    result = CliRunner().invoke(cli, ["claim", "--help"], env={"COLUMNS": "200"})
    assert "borrower's time zone" in result.output and "--lang" in result.output
