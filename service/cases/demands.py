"""Which outbound contacts demand performance: 民法典 art. 195 (权利人向义务人提出履行请求) makes a
demand that reached the borrower interrupt limitation, and the pleadings' "先后N次…催告还款" counts
the demands. A notice that asks for nothing is a contact, listed in the notice history, but neither.

The one classification, by the communication's template kind; the limitation computation
(``accounts.interruptions``), the packet's notice-history exhibit and the documents' contact
history (``ContactHistory.demands``) all read it here.
"""

from service.cases.enums import Direction, Outcome, PartyKind
from service.cases.models import Communication

# The notices that ask the borrower to pay (templates/notices/*/, legal/lawyer_letter): each states
# what is owed and asks for payment by a date or at once, a 履行请求 under art. 195.
DEMAND_KINDS = frozenset({
    "overdue_reminder",  # 请您于…前足额还款
    "demand_letter",  # 催收函: the debt and a deadline to pay
    # 如您未在…前结清上述逾期款项…报送: settle the amounts it states by the reporting day, with how to pay
    "credit_report_prenotice",
    "plan_reminder",  # 请于应还日期（宽限期届满日）前还款
    "breach_notice",  # 请于补救期限前足额偿还
    "lawyer_letter",  # pay within the letter's days
    "validation_notice",  # US: the amount owed and where to pay it
    "notice_of_intent_to_accelerate",  # US: cure by a date
    "notice_of_acceleration",  # US: the whole balance due
})
# The notices that demand nothing: the visit notice announces a visit (its time, place, staff and
# how to decline it); the visit itself, a conversation at the door, is the demand.
NOT_DEMANDS = frozenset({"visit_notice"})

# Outcomes that prove a contact reached the borrower or the borrower engaged with the debt
# (art. 195: a demand delivered, or the obligor agreeing to perform).
INTERRUPTING_OUTCOMES = frozenset({Outcome.DELIVERED, Outcome.ANSWERED, Outcome.PROMISE})


def demands_performance(template_kind: str) -> bool:
    """Whether a contact of `template_kind` asked the borrower to pay. One made without a notice of
    ours (kind ""): a call, a visit, a message or letter the collector wrote, is the collector asking
    for payment. A kind not classified here is not pleaded as a demand: what it said is not known."""
    return template_kind == "" or template_kind in DEMAND_KINDS


def interrupts(c: Communication) -> bool:
    """Whether the communication is a demand to the borrower that reached them (art. 195)."""
    return (c.direction == Direction.OUT and c.party_kind == PartyKind.BORROWER
            and c.outcome in INTERRUPTING_OUTCOMES and demands_performance(c.template_kind))
