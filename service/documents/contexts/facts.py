"""What a context builder may ask of a case: its file, its money at as-of, its rules and clock.

Builders never query the database: everything comes from the eagerly loaded ``CaseFile`` and
the money layer (``service.cases.accounts``), computed once per generation.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from zoneinfo import ZoneInfo

from service.cases import accounts, compliance, us_law
from service.cases.caps import Cap
from service.cases.casefile import CaseFile
from service.cases.claim import Claim, ReconLine
from service.cases.enums import Direction, Outcome
from service.cases.ledger import Ledger
from service.cases.lender_law import CreditSystem, credit_system_of
from service.cases.limitation import Limitation, is_time_barred
from service.cases.models import Communication, Visit
from service.cases.rules import RuleSet, load_ruleset
from service.core.settings import get_settings
from service.documents.contexts.record import CaseRecord, DemandDeadline, demand_deadline
from service.documents.contexts.us_calendar import validation_period_end

DELIVERED = (Outcome.SENT, Outcome.DELIVERED)
VALIDATION_RULE = "US-06"  # where it is in the rule set, a validation notice opens a validation period


@dataclass
class CaseFacts:
    cf: CaseFile
    as_of: date
    now: datetime  # aware; when the document is generated (and, for notices, sent)
    # (kind, as-of date) of the notices the case already has, counted once each (DOC-03)
    issued: frozenset[tuple[str, date]] = field(default_factory=frozenset)
    # the document is the letter that declares the case's recorded acceleration: not in effect at
    # its date, it takes effect when the letter reaches the borrower (accounts.acceleration_in_effect)
    declaring: bool = False

    @cached_property
    def rules(self) -> RuleSet:
        return load_ruleset(self.cf.case.profile)

    @cached_property
    def ledger(self) -> Ledger:
        return accounts.ledger_of(self.cf, self.as_of)

    def ledger_on(self, day: date) -> Ledger:
        return self.ledger if day == self.as_of else accounts.ledger_of(self.cf, day)

    @cached_property
    def cap(self) -> Cap:
        """The rate cap for this lender and loan (CN-16; none binds a US case, US-18)."""
        return accounts.cap_of(self.cf, self.as_of, licensed_cap=get_settings().licensed_cost_cap)

    @cached_property
    def claim(self) -> Claim:
        return accounts.claim_of(self.cf, self.as_of, licensed_cap=get_settings().licensed_cost_cap,
                                 declaring=self.declaring)

    @cached_property
    def reconciliation(self) -> tuple[ReconLine, ...]:
        """The claim's reconciliation lines (``claim.reconciliation``), for a document that states a
        line and nothing else of the claim: taken from the claim when it was computed, else computed
        without the claim's second pass for what is due now (half the work)."""
        if "claim" in self.__dict__:  # cached_property keeps it there
            return self.claim.reconciliation
        return accounts.reconciliation_of(self.cf, self.as_of, licensed_cap=get_settings().licensed_cost_cap,
                                          declaring=self.declaring)

    @cached_property
    def limitation(self) -> Limitation:
        return accounts.limitation_of(self.cf)

    @cached_property
    def record(self) -> CaseRecord:
        """The case's facts record: every document of the case draws its dates, counts and names from it."""
        return CaseRecord.of(self)

    @cached_property
    def us_limitation(self) -> us_law.UsLimitation | None:
        """A US case's limitation under its state's law, part by part (US-15); None for CN."""
        return accounts.us_limitation_of(self.cf, self.rules) if self.rules.jurisdiction.state_law else None

    @cached_property
    def validation_period_end(self) -> date | None:
        """US: the end of the validation period of the validation notice that went out (US-06)."""
        first = self.first_sent("validation_notice") if self.rules.has(VALIDATION_RULE) else None
        return validation_period_end(first, self.rules) if first is not None else None

    def first_sent(self, template_kind: str) -> date | None:
        """The borrower-local date the first notice of a kind went out (on or before as-of)."""
        sent = self.sent(template_kind)
        if not sent:
            return None
        return min(c.sent_at for c in sent).astimezone(ZoneInfo(self.tz)).date()

    @cached_property
    def demand_deadline(self) -> DemandDeadline | None:
        """The deadline to pay the demands before suit give (DOC-06: the lawyer letters' days, from
        their delivery; record.demand_deadline: the one a complaint waits for), where the profile
        has that rule and such a letter was sent."""
        if not self.rules.has("DOC-06"):
            return None
        params = self.rules.rule("DOC-06").params
        return demand_deadline(self.cf, params["demand"], int(self.rules.param(*params["days_from"])), self.tz,
                               self.as_of)

    @cached_property
    def time_barred_disclosure(self) -> str | None:
        """US: the state's disclosure when the whole debt is out of time at as-of (US-15)."""
        lim = self.us_limitation
        if lim is None or not is_time_barred(lim.as_limitation(), self.as_of):
            return None
        return lim.law.disclosure

    @cached_property
    def credit_system(self) -> CreditSystem | None:
        """The credit system the lender reports to (CN-31); None: no credit-reporting wording."""
        return credit_system_of(self.rules, self.cf.lender.credit_system)

    @property
    def tz(self) -> str:
        return self.cf.borrower.timezone or self.rules.timezone

    @property
    def sending_day(self) -> date:
        """The borrower-local day of `now`: the day a notice generated now goes out (its
        communication is recorded as sent at `now`)."""
        return self.now.astimezone(ZoneInfo(self.tz)).date()

    def sent(self, template_kind: str) -> list[Communication]:
        """Outbound communications of a kind that went out on or before as-of and did not fail."""
        return [c for c in self.cf.communications
                if c.template_kind == template_kind and c.direction == Direction.OUT and c.outcome in DELIVERED
                and c.sent_at.date() <= self.as_of]

    @property
    def prenotice(self) -> Communication | None:
        """The credit-reporting pre-notice (征信业管理条例 art. 15), if it went out. The one rule of
        when the pre-notice counts, for every place that relies on it (CN-10's gate, the reminders'
        and letters' reporting line, the visit brief's talking point): it counts once the log shows
        it sent to the borrower and not failed. Art. 15 asks the lender to notify in advance, which
        it does by sending to the address the contract agrees for service; whether the log also
        shows it delivered is stated as a fact where the pre-notice is mentioned, not a second rule."""
        sent = self.sent("credit_report_prenotice")
        return sent[0] if sent else None

    def visit_notice_delivered(self, visit: Visit) -> bool:
        """Whether the visit was announced as CN-09 requires (compliance.visit_notice_delivered, the
        one test the escalation guard into VISIT_NOTIFIED applies too)."""
        return compliance.visit_notice_delivered(self.rules, self.cf, visit, self.as_of)

    def visit_notice_delivery(self, visit: Visit) -> datetime | None:
        """When the visit's notice reached the borrower, as CN-09 counts it (borrower-local), or None:
        not delivered, or a row before migration 0030 with no delivery moment (its sending is no
        arrival a document may state)."""
        found = compliance.visit_notice_delivery(self.rules, self.cf, visit, self.as_of)
        at = found.delivered_at if found is not None else None
        return at.astimezone(ZoneInfo(self.tz)) if at is not None else None

    def delivered(self, template_kind: str, since: datetime | None = None) -> bool:
        """Whether the log records a communication of this kind (sent at or after `since`) as
        delivered: "sent" is not "delivered", and a document says only what the log says."""
        return any(c.outcome == Outcome.DELIVERED for c in self.sent(template_kind)
                   if since is None or c.sent_at >= since)

    @property
    def planned_visit(self) -> Visit | None:
        """The next visit not yet made when the notice goes out: the one a visit notice announces."""
        pending = [v for v in self.cf.visits if v.started_at is None or v.started_at > self.now]
        return pending[-1] if pending else None
