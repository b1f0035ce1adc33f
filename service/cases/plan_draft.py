"""A repayment plan drafted from a few choices (how many monthly instalments from which date, what
is waived): the debt it covers comes from the ledger, as ``activity.create_plan`` checks it, so a
previewed schedule is one the plan will accept."""

from datetime import date
from decimal import Decimal

from service.cases import accounts
from service.cases.casefile import CaseFile
from service.cases.schedule import add_months, split_evenly
from service.core.errors import InvalidInput


def draft_instalments(cf: CaseFile, as_of: date, *, count: int, first_due: date,
                      waived: Decimal) -> tuple[Decimal, list[dict[str, str | int]]]:
    """(the debt as of `as_of`, instalments covering it less the waiver, monthly from `first_due`)."""
    owed = accounts.ledger_of(cf, as_of).total_outstanding
    if not 1 <= count <= 120:
        raise InvalidInput.one("count", "must be between 1 and 120 instalments")
    if waived < 0 or waived >= owed:
        raise InvalidInput.one("waived_amount", f"must be at least 0 and less than the debt {owed}")
    if first_due < as_of:
        raise InvalidInput.one("first_due", f"must not be before the plan's date {as_of}")
    amounts = split_evenly(owed - waived, count)
    return owed, [{"no": n + 1, "due_date": add_months(first_due, n).isoformat(), "amount": str(amount)}
                  for n, amount in enumerate(amounts)]
