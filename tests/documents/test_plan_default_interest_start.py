"""Review of 2026-12-07 (US-00010): a payment plan whose installments had all fallen due was not
accelerated (the affirmation says so), yet Attachment A and the claim statement said "Default
interest … from the acceleration date" and "Default interest since acceleration". The labels now
name the day the computation's default interest starts (its first row's first day) and what it is:
the acceleration date, or the day after the cure period."""

from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

from service.documents.environment import template_environment

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
MACROS = '{% import "legal/_partials/labels.en-US.html" as L %}'


def _claim(matured_on: date | None) -> SimpleNamespace:
    row = SimpleNamespace(first_day=date(2026, 10, 21))
    return SimpleNamespace(accruals=[row], matured_on=matured_on)


def _say(source: str, c: SimpleNamespace) -> str:
    return template_environment(TEMPLATES).from_string(MACROS + source).render(c=c)


def test_a_plan_not_accelerated_names_the_day_after_the_cure_period():
    c = _claim(date(2026, 9, 30))
    start = _say("{{ L.penalty_start(c, 4) }}", c)
    assert start == "from October 21, 2026, the day after the cure period (payment plan section 4)"
    total = _say("{{ L.penalty_since(c) }}", c)
    assert total == "Default interest since October 21, 2026 (the day after the cure period)"
    assert "accelerat" not in start + total


def test_an_accelerated_plan_names_the_acceleration_date():
    c = _claim(None)
    assert _say("{{ L.penalty_start(c, 4) }}", c) == "from the acceleration date, October 21, 2026"
    assert _say("{{ L.penalty_since(c) }}", c) == "Default interest since October 21, 2026 (the acceleration date)"


def test_the_rows_total_under_a_plan_is_named_by_its_start():
    c = SimpleNamespace(accruals=[SimpleNamespace(first_day=date(2026, 10, 21), end=date(2026, 12, 7), days=48,
                                                  instalments=(), component="penalty", base=Decimal("74.24"),
                                                  rate=Decimal("0.1163"), amount=Decimal("1.15"))],
                        matured_on=date(2026, 9, 30), basis="agreement", accrued_settled=Decimal("0"),
                        accrued_unpaid=Decimal("1.15"))
    html = template_environment(TEMPLATES).get_template("legal/_partials/accruals.en-US.html").render(c=c)
    assert "Default interest since October 21, 2026 (the day after the cure period)" in html
    assert "since acceleration" not in html
