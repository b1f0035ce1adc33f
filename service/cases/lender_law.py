"""What the law makes of a lender: the cause of action its suits are filed under (CN-30).

The lender's licence decides the 案由 (民事案件案由规定: 金融借款合同纠纷 for licensed financial
institutions, 小额借款合同纠纷 for micro-lenders, 民间借贷纠纷 for everyone else) and with it the
articles a pleading cites. The words and articles are data in the CN rule set; this module is the
one place that reads them.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from service.cases.rules import RuleSet
from service.cases.schedule import add_months
from service.core.errors import Violation

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
    # what the cause's pleadings call interest on overdue principal: 罚息 is the financial
    # institutions' term (PBOC 银发〔2003〕251号), 逾期利息 private lending's (民间借贷规定 art. 28)
    penalty_term: str
    # the same in an English document of the case: default interest | overdue interest
    penalty_term_en: str
    # what the contract and every document of the case call the lender as a party: 贷款人 in a
    # financial institution's loan (民法典 art. 667), 出借人 in private lending (民间借贷规定)
    lender_term: str
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
    return CauseOfAction(code=code, name=cause["name"], name_en=cause["name_en"], basis=basis,
                         penalty_term=cause["penalty_term"], penalty_term_en=cause["penalty_term_en"],
                         lender_term=cause["lender_term"])


CREDIT_RULE = "CN-31"


@dataclass(frozen=True, slots=True)
class CreditSystem:
    code: str  # pboc | baihang | pudao
    name: str  # as a notice names it
    name_en: str


def credit_systems(rules: RuleSet) -> dict[str, CreditSystem]:
    """The credit systems a lender of this profile may report to (none in a profile without CN-31)."""
    if not rules.has(CREDIT_RULE):
        return {}
    return {code: CreditSystem(code, s["name"], s["name_en"])
            for code, s in rules.rule(CREDIT_RULE).params["systems"].items()}


def credit_system_of(rules: RuleSet, code: str) -> CreditSystem | None:
    """The system the lender reports to; None when it reports to none (then no document may
    mention credit reporting)."""
    if not code:
        return None
    try:
        return credit_systems(rules)[code]
    except KeyError:
        raise KeyError(f"{CREDIT_RULE}: unknown credit system {code!r}") from None


PROFESSIONAL_LENDER_RULE = "CN-32"


@dataclass(frozen=True, slots=True)
class LendingRecord:
    """The lender's loans on record in CN-32's window: how many, to how many borrowers, first and last."""
    loans: int
    borrowers: int
    first: date
    last: date
    since: date  # the window's first day


def contradicting_record(rules: RuleSet, licence_type: str, practice: str, loans: Sequence[tuple[date, int]],
                         on: date) -> LendingRecord | None:
    """CN-32 against the record: a lender without a licence recorded as lending occasionally (or as
    a natural person) whose own loans on record, signed in the rule's years up to `on`, reach its
    number to more than one borrower (法发〔2019〕24号 art. 1: 2 years, 10 loans, to unspecified
    people) — the frequency a court counts to find a professional lender (九民纪要 §53). The record
    contradicts the attestation; None when it does not (or the rule does not apply)."""
    if not rules.has(PROFESSIONAL_LENDER_RULE):
        return None
    params = rules.rule(PROFESSIONAL_LENDER_RULE).params
    record = params.get("record")
    if record is None or licence_type not in params["licence_types"] or practice not in params["valid_practices"]:
        return None
    years = int(record["years"])
    since = add_months(on, -12 * years) + timedelta(days=1)
    within = [(signed, borrower) for signed, borrower in loans if since <= signed <= on]
    borrowers = {borrower for _, borrower in within}
    if len(within) < int(record["loans"]) or len(borrowers) < 2:
        return None
    return LendingRecord(loans=len(within), borrowers=len(borrowers), first=min(s for s, _ in within),
                         last=max(s for s, _ in within), since=since)


def pleaded_practice(rules: RuleSet, licence_type: str, practice: str, loans: Sequence[tuple[date, int]],
                     on: date) -> str:
    """The lending practice a pleading on `on` may rest on: the recorded one, unless the lender's own
    loans on record contradict it (contradicting_record): then none is recorded as far as the
    pleadings go, and they state the facts only (pleads_validity)."""
    return "" if contradicting_record(rules, licence_type, practice, loans, on) is not None else practice


def professional_lender_warning(rules: RuleSet, licence_type: str, lender_name: str,
                                practice: str = "", loans: Sequence[tuple[date, int]] = (),
                                on: date | None = None) -> Violation | None:
    """A warning for legal staff, not a refusal: a lender without a lending licence that lends for
    profit to the public may be found a professional lender (职业放贷人), its loan contracts void
    (民间借贷规定 art. 13(三)). Whether it is one (how often, to whom) is for a lawyer to judge; once
    the lender's practice is recorded as occasional (or a natural person's), it has been judged."""
    if not rules.has(PROFESSIONAL_LENDER_RULE):
        return None
    rule = rules.rule(PROFESSIONAL_LENDER_RULE)
    if on is not None and (record := contradicting_record(rules, licence_type, practice, loans, on)) is not None:
        return rule.refuse("lender.practice_contradicted", lender=lender_name, practice=practice,
                           loans=record.loans, borrowers=record.borrowers, since=record.since.isoformat(),
                           first=record.first.isoformat(), last=record.last.isoformat(), on=on.isoformat(),
                           threshold=rule.params["record"]["loans"], years=rule.params["record"]["years"])
    if licence_type not in rule.params["licence_types"] or practice in rule.params["valid_practices"]:
        return None
    return rule.refuse("lender.professional_lender", lender=lender_name)


def pleads_validity(rules: RuleSet, licence_type: str, practice: str) -> bool:
    """Whether a pleading may assert that the loan contract is valid (合法有效): a licensed lender's,
    or one without a licence whose lending is recorded as occasional or a natural person's. Else
    it states the facts only (not recorded), or is refused (a professional lender: void_contract)."""
    if not rules.has(PROFESSIONAL_LENDER_RULE):
        return True
    params = rules.rule(PROFESSIONAL_LENDER_RULE).params
    return licence_type not in params["licence_types"] or practice in params["valid_practices"]


def void_contract(rules: RuleSet, licence_type: str, practice: str, lender_name: str, kind: str) -> Violation | None:
    """CN-32 as a refusal: a lender without a lending licence recorded as lending for profit to the
    public is a professional lender, its contracts void (民间借贷规定 art. 13(三)): no pleading rests on them."""
    if not rules.has(PROFESSIONAL_LENDER_RULE):
        return None
    rule = rules.rule(PROFESSIONAL_LENDER_RULE)
    if licence_type not in rule.params["licence_types"] or practice not in rule.params["void_practices"]:
        return None
    return rule.refuse("lender.void_contract", lender=lender_name, kind=kind)
