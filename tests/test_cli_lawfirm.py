"""`dossier lawfirm create` and `dossier lawfirm list`: the API's use-cases from the command line,
each refusal naming the option to correct, the firm audited as recorded by the CLI."""

import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.audit.models import AuditEvent
from service.cases.models import LawFirm


def test_create_then_list(run, db: Session) -> None:  # type: ignore[no-untyped-def]
    made = run("lawfirm", "create", "ZHLAW", "--name", "北京中和律师事务所", "--postal-code", "100004",
               "--address", "北京市朝阳区建国门外大街1号", "--lead-lawyer", "王律师")
    assert made.exit_code == 0, made.output
    assert "ZHLAW recorded" in made.output and "postal code 100004" in made.output
    us = run("lawfirm", "create", "HCLAW", "--name", "Harper & Cole LLP", "--profile", "US", "--postal-code",
             "60601", "--bar", "il=6301234", "--bar", "NY=4412345")
    assert us.exit_code == 0, us.output
    firm = db.scalars(select(LawFirm).where(LawFirm.code == "HCLAW")).one()
    assert firm.lead_lawyer_bars == {"IL": "6301234", "NY": "4412345"} and firm.profile == "US"
    events = db.scalars(select(AuditEvent).where(AuditEvent.action == "law_firm.created")).all()
    assert [(e.actor, e.object_id) for e in events] == [("cli", "ZHLAW"), ("cli", "HCLAW")]
    listed = run("lawfirm", "list", "--json")
    assert listed.exit_code == 0, listed.output
    rows = {r["code"]: r for r in json.loads(listed.output)}
    assert rows["ZHLAW"]["postal_code"] == "100004" and rows["HCLAW"]["postal_code"] == "60601"
    table = run("lawfirm", "list")
    assert table.exit_code == 0 and "北京中和律师事务所" in table.output and "60601" in table.output


@pytest.mark.parametrize(("args", "named"), [
    (("--name", "X律所", "--postal-code", "10004"), "--postal-code"),
    (("--name", "X firm", "--profile", "US", "--postal-code", "100004"), "--postal-code"),
    (("--name", "X", "--profile", "FR"), "--profile"),
    (("--name", ""), "--name"),
    (("--name", "X", "--bar", "IL"), "--bar"),
    (("--name", "X", "--lead-lawyer-email", "x" * 121), "--lead-lawyer-email"),
])
def test_a_wrong_option_is_named_and_nothing_recorded(run, db: Session, args: tuple[str, ...],  # type: ignore[no-untyped-def]
                                                      named: str) -> None:
    result = run("lawfirm", "create", "BADLAW", *args)
    assert result.exit_code == 1 and f"{named}" in result.output, result.output
    assert db.scalars(select(LawFirm).where(LawFirm.code == "BADLAW")).all() == []


def test_a_code_in_use_or_malformed_is_named(run) -> None:  # type: ignore[no-untyped-def]
    assert run("lawfirm", "create", "DUPLAW", "--name", "一").exit_code == 0
    again = run("lawfirm", "create", "DUPLAW", "--name", "二")
    assert again.exit_code == 1 and "CODE: a law firm with the code 'DUPLAW' exists" in again.output
    lower = run("lawfirm", "create", "dup law", "--name", "三")
    assert lower.exit_code == 1 and "CODE:" in lower.output
