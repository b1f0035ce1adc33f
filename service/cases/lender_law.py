"""What the law makes of a lender: the cause of action its suits are filed under (CN-30).

The lender's licence decides the 案由 (民事案件案由规定: 金融借款合同纠纷 for licensed financial
institutions, 小额借款合同纠纷 for micro-lenders, 民间借贷纠纷 for everyone else) and with it the
articles a pleading cites. The words and articles are data in the CN rule set; this module is the
one place that reads them.
"""

from dataclasses import dataclass

from service.cases.rules import RuleSet

CAUSE_RULE = "CN-30"


@dataclass(frozen=True, slots=True)
class LegalBasis:
    law: str  # the statute's full title, in 《》
    articles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CauseOfAction:
    code: str  # financial_loan | micro_loan | private_lending
    name: str  # 案由 as the court's catalogue names it
    name_en: str
    basis: tuple[LegalBasis, ...]
    rule_id: str = CAUSE_RULE


def cause_of_action(rules: RuleSet, licence_type: str) -> CauseOfAction | None:
    """The cause for a lender of this licence type; None in a profile without 案由 (US)."""
    if not rules.has(CAUSE_RULE):
        return None
    params = rules.rule(CAUSE_RULE).params
    try:
        code = params["by_licence"][licence_type]
    except KeyError:
        raise KeyError(f"{CAUSE_RULE}: no cause of action for licence type {licence_type!r}") from None
    cause = params["causes"][code]
    basis = tuple(LegalBasis(b["law"], tuple(b["articles"])) for b in cause["basis"])
    return CauseOfAction(code=code, name=cause["name"], name_en=cause["name_en"], basis=basis)
