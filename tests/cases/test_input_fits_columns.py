"""Every text an input model accepts fits the column it is stored in (issue 9, parts 4 and 6).

PostgreSQL refuses a value longer than its VARCHAR with an error the API answered as a 500;
SQLite stores it silently, so only this comparison finds them on the embedded default.
"""

from typing import Any

import pytest
from annotated_types import MaxLen
from pydantic import BaseModel
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase

from service.cases import models as m
from service.cases import schemas as s
from service.core.text import SHORT_TEXT

STORED_AS = [(s.LenderIn, m.Lender), (s.BorrowerIn, m.Borrower), (s.ContactIn, m.ContactPerson),
             (s.ContractIn, m.LoanContract), (s.InstalmentIn, m.Instalment), (s.PaymentIn, m.Payment),
             (s.CommunicationIn, m.Communication), (s.VisitIn, m.Visit), (s.StaffIn, m.VisitStaff),
             (s.PlanIn, m.RepaymentPlan), (s.PlanInstalmentIn, m.PlanInstalment)]


def _max_length(model: type[BaseModel], name: str) -> int:
    limits = [c.max_length for c in model.model_fields[name].metadata if isinstance(c, MaxLen)]
    return min(limits) if limits else SHORT_TEXT  # the InputModel default


def _too_long(schema: type[BaseModel], table: type[DeclarativeBase]) -> list[str]:
    found = []
    columns: Any = table.__table__.columns  # type: ignore[attr-defined]
    for name, field in schema.model_fields.items():
        if name not in columns or field.annotation not in (str, str | None):
            continue
        column_type = columns[name].type
        if isinstance(column_type, String) and column_type.length is not None:
            accepted = _max_length(schema, name)
            if accepted > column_type.length:
                found.append(f"{schema.__name__}.{name}: accepts {accepted}, column holds {column_type.length}")
    return found


@pytest.mark.parametrize(("schema", "table"), STORED_AS, ids=[a.__name__ for a, _ in STORED_AS])
def test_accepted_text_fits_its_column(schema, table):
    assert _too_long(schema, table) == []
