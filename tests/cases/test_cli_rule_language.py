"""`dossier render` prints a case's rule warnings and refusals in the case's language: a CN case's
in zh-CN, as the rules' message catalogue words them (they were printed in English)."""

from contextlib import contextmanager
from datetime import date
from decimal import Decimal

from typer.testing import CliRunner

from service.cases.casefile import load_case_file
from service.documents import service as documents_service
from tests.documents.legal_cases import PLAN_SIGNED, litigation_case


def _cli(db, monkeypatch, *args: str):  # type: ignore[no-untyped-def]
    from service.cli import app as cli

    @contextmanager
    def unit_of_work(url, **_):  # type: ignore[no-untyped-def]
        yield db

    monkeypatch.setattr("service.core.db.unit_of_work", unit_of_work)
    return CliRunner().invoke(cli, list(args), env={"COLUMNS": "400"})


def test_a_cn_cases_plan_warning_is_printed_in_chinese(db, monkeypatch, tmp_path):
    case = litigation_case(db, plan_type="instalments")
    case.stage = "PLAN_ACTIVE"
    load_case_file(db, case.ref).borrower.monthly_income = Decimal("1000.00")
    db.flush()
    [warning] = documents_service.generation_warnings(db, case.ref, "repayment_agreement")
    assert warning.rule == "PLAN-05" and warning.localized["zh-CN"]
    day = date(2025, 6, 21)  # the day after the plan was signed
    assert day > PLAN_SIGNED
    result = _cli(db, monkeypatch, "render", case.ref, "repayment_agreement", "--as-of", day.isoformat(),
                  "-o", str(tmp_path / "agreement.pdf"))
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert f"warning: PLAN-05 {warning.localized['zh-CN']}" in flat, result.output
    assert warning.message not in flat and "confirm the borrower can pay" not in flat

