"""The sections of the demo's loan contracts, in one place. The case records them (the contract's
clause_refs: the documents cite "Agreement §4", 第四条) and the contract's scan prints the same
ones beside each term (evidence.py), so that an exhibit and every document citing it agree."""

from typing import Any

from service.cases.lender_law import cause_of_action
from service.cases.rules import load_ruleset

# clause_refs keys the documents cite; service_address and jurisdiction are printed on the scans
CN = {"rate": "第四条", "day_count": "第四条第二款", "penalty": "第七条第一款", "compound": "第七条第二款",
      "acceleration": "第八条", "service_address": "第十二条", "jurisdiction": "第十三条"}
US = {"rate": "§4", "day_count": "§4(2)", "default": "§7(1)", "acceleration": "§8"}
US_SCAN_ONLY = {"service_address": "§12", "jurisdiction": "§13"}  # no US document cites them


def clause_refs(us: bool) -> dict[str, str]:
    """What the demo's contract records (LoanContract.clause_refs)."""
    return dict(US if us else CN)


def in_scan(us: bool, key: str) -> str:
    """A clause as the contract's own text names it: "section 7(1)" for §7(1); 第七条第一款 as is."""
    if not us:
        return CN[key]
    return "section " + {**US, **US_SCAN_ONLY}[key].removeprefix("§")


# What a CN demo contract calls the lender: 出借人 in a loan pleaded as 民间借贷 (the 案由 by licence,
# CN-30), 贷款人 in a financial institution's; the contract, its scan and the pleadings quoting it agree.
def lender_term(licence_type: str) -> str:
    cause = cause_of_action(load_ruleset("CN"), licence_type)
    return cause.lender_term if cause is not None else "贷款人"


def overdue_rate_term(licence_type: str) -> str:
    """The contract's name for its rate on overdue sums: 逾期罚息利率 in a financial institution's
    contract (罚息 is a bank term), 逾期利率 in a loan pleaded as 民间借贷 (民间借贷规定 art. 28)."""
    cause = cause_of_action(load_ruleset("CN"), licence_type)
    return "逾期利率" if cause is not None and cause.code == "private_lending" else "逾期罚息利率"


def acceleration_condition(contract: Any, us: bool) -> str:
    """The acceleration clause's own condition as the contract records it (acceleration_basis: days
    overdue, missed instalments, or either), worded as the documents quoting it word it
    (templates/legal/_partials/labels: accel_condition)."""
    basis, days = contract.acceleration_basis, contract.acceleration_overdue_days
    count, consecutive = contract.acceleration_missed_instalments, contract.acceleration_missed_consecutive
    if us:
        missed = f"{count} installments {'in a row' if consecutive else 'in all'} are not paid in full when due"
        late = f"any installment is more than {days} days past due" if days else "any installment is not paid when due"
        return missed if basis == "instalments" else late + (f", or {missed}" if basis == "days_or_instalments" else "")
    missed = f"借款人{'连续' if consecutive else '累计'}{count}期未按期足额还款"
    late = f"借款人任一期借款逾期超过{days}日" if days else "借款人未按约还款"
    return missed if basis == "instalments" else late + (f"或{missed[3:]}" if basis == "days_or_instalments" else "")
