"""Every document kind (DESIGN §3): where its templates live, who reads it, when it is valid.

One entry per kind, naming its context class itself (so mypy checks it and a missing class fails
at import, not on first use); ``DocKind.available(profile, locale, fmt)`` says whether its
template is actually there.
"""

from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from service.cases.enums import Stage
from service.cases.rules import load_ruleset
from service.core.errors import InvalidInput
from service.documents.audience import Audience
from service.documents.contexts.acceleration import AccelerationContext, IntentToAccelerateContext
from service.documents.contexts.common import DocumentContext
from service.documents.contexts.contracts.agreement import RepaymentAgreementContext
from service.documents.contexts.contracts.visit_record import VisitRecordContext
from service.documents.contexts.legal.affidavit import AffidavitOfDebtContext
from service.documents.contexts.legal.claim import ClaimStatementContext
from service.documents.contexts.legal.evidence import EvidenceIndexContext
from service.documents.contexts.legal.filings import (
    CourtFeeStatementContext,
    LegalRepCertificateContext,
    PowerOfAttorneyContext,
    ServiceAddressConfirmationContext,
)
from service.documents.contexts.legal.letters import LawyerLetterContext, MediationApplicationContext
from service.documents.contexts.legal.packet import ExhibitCoverContext, PacketCoverContext
from service.documents.contexts.legal.petition import DebtClaimPetitionContext
from service.documents.contexts.legal.pleadings import CivilComplaintContext, ComplaintElementsContext
from service.documents.contexts.legal.records import (
    NoticeHistoryContext,
    PaymentHistoryContext,
    RepaymentScheduleContext,
)
from service.documents.contexts.notices import (
    CreditReportPrenoticeContext,
    DemandLetterContext,
    OverdueReminderContext,
)
from service.documents.contexts.plans import BreachNoticeContext, PlanReminderContext
from service.documents.contexts.validation import ValidationNoticeContext
from service.documents.contexts.visit import VisitNoticeContext
from service.documents.contexts.visit_kit import AccountStatementContext, VisitBriefContext

__all__ = ["Audience", "Check", "DocKind", "get_kind", "resolve_locale"]


class Check(StrEnum):
    """Pre-generation checks a kind is subject to (implemented in rules.py)."""

    STAGE = "stage"  # the case is at a stage where the kind is valid
    HOLD = "hold"  # no open hold (outbound documents only)
    HOURS = "hours"  # sent on generation: inside the contact hours (CN-01 / US-01)
    VISIT = "visit"  # CN-09: staff, badges, lead time, hours
    CREDIT_PRENOTICE = "credit_prenotice"  # CN-10: credit-reporting wording needs the pre-notice
    CREDIT_REPORTER = "credit_reporter"  # CN-31: only a lender that reports to a credit system
    COLLECTOR = "collector"  # US-14: only a third-party debt collector sends a validation notice
    NOT_TIME_BARRED = "not_time_barred"  # CN-18 / US-08: no suit or threat of suit when time-barred
    CONTRACT_BASIS = "contract_basis"  # PLAN-03: no contract-based demand once an agreement is signed
    ACCELERATION_NOTICES = "acceleration_notices"  # US-19: an accelerated claim rests on both notices, in order
    DEMAND_DEADLINE = "demand_deadline"  # DOC-06: no complaint while a lawyer letter's deadline runs
    DECLARED_ONCE = "declared_once"  # DOC-08: no lawyer letter after one that accelerated the loan was delivered
    # DOC-09: no lawyer letter after one that demanded the debt accelerated otherwise (a breach notice,
    # an agreement's default clause) was delivered, unless sent again on a reason
    RESTATED = "restated"
    RATE_CEILING = "rate_ceiling"  # US-20: no rate above the state's ceiling for the lender (a CN case: none)
    ACCELERATED = "accelerated"  # DOC-07: the whole balance is claimed only on a recorded acceleration or maturity
    ACCELERATION_CLAUSE = "acceleration_clause"  # ESC-12: an acceleration announced only once the contract allows it
    NOT_MATURED = "not_matured"  # US-21: no acceleration notice once the governing schedule has matured
    NOT_IN_EFFECT = "not_in_effect"  # US-27: no notice of acceleration after an acceleration in effect without one
    ONCE = "once"  # DOC-03: one notice of a kind per borrower and as-of date, unless sent again on a reason
    VALID_CONTRACT = "valid_contract"  # CN-32: no pleading rests on a professional lender's void contract
    # US-28: a filing-ready court paper names its court's designation where the court takes one (a
    # Texas Justice Court's precinct and place), recorded on the case; a draft prints the blanks
    COURT_DESIGNATION = "court_designation"
    REPAYMENT_CHANNEL = "repayment_channel"  # DOC-10: a notice telling the borrower to pay names a channel


FORMATS = ("pdf", "docx")
SMS = "sms"
S = Stage
EARLY = frozenset({S.REMINDER, S.PHONE, S.PROMISE, S.VISIT_PLANNED, S.VISIT_NOTIFIED, S.VISIT_DONE,
                   S.NEGOTIATING})
DEMAND = EARLY | {S.PLAN_BREACHED, S.PRE_LITIGATION}
LITIGATION = frozenset({S.PRE_LITIGATION, S.FILED, S.JUDGMENT, S.ENFORCEMENT})
PRE_SUIT = frozenset({S.PRE_LITIGATION})
# The documents a suit is filed with (complaint, element form, evidence index, claim and fee
# statements, service address confirmation, power of attorney, the packet that binds them) state
# the claim as of the day they are made. Once the case is filed, the court holds the ones filed,
# as of the filing date and under a case number the record does not keep; after judgment the
# judgment's figures govern. New ones dated today would contradict them (DOC-01, review F14).
PRE_FILING = PRE_SUIT
# The affidavit of debt may also support a default judgment after filing.
AFFIDAVIT = PRE_SUIT | {S.FILED}
OUTBOUND = (Check.STAGE, Check.HOLD)


@dataclass(frozen=True)
class DocKind:
    kind: str
    folder: str  # notices | contracts | legal | visits
    locales: dict[str, tuple[str, ...]]  # profile -> locales, the first is the default
    audience: Audience
    stages: frozenset[Stage]
    context: type[DocumentContext]
    checks: tuple[Check, ...] = (Check.STAGE,)
    formats: tuple[str, ...] = FORMATS
    channel: str | None = None  # recorded in the communication history when set ("letter")
    extra: dict[str, str] = field(default_factory=dict)
    # Lists a packet's exhibits: on its own it is built from the case's packet plan, which the
    # caller's planner supplies (the packets package sits above documents).
    planned: bool = False
    # Numbers the packet's exhibits (the complaint's evidence list) when the caller has a planner;
    # built without one it refers to the evidence index instead.
    plan_if_any: bool = False

    @property
    def profiles(self) -> tuple[str, ...]:
        return tuple(self.locales)

    def context_class(self) -> type[DocumentContext]:
        return self.context

    def template_name(self, profile: str, locale: str, fmt: str) -> str:
        """Path under templates/: ``<folder>/<kind>/<profile>/<locale>.html|.docx|.sms.txt``.

        The profile is part of the path because a CN kind's English version (for a foreign
        borrower in China) and the US kind of the same name are different documents.
        """
        suffix = {"pdf": "html", "docx": "docx", SMS: "sms.txt"}[fmt]
        return f"{self.folder}/{self.kind}/{profile.lower()}/{locale}.{suffix}"

    def available(self, templates_dir: Path, profile: str, locale: str, fmt: str) -> bool:
        return (locale in self.locales.get(profile, ()) and fmt in self.formats
                and (templates_dir / self.template_name(profile, locale, fmt)).is_file())

    def default_locale(self, profile: str) -> str:
        return self.locales[profile][0]


def _notice(kind: str, locales: dict[str, tuple[str, ...]], stages: frozenset[Stage], context: type[DocumentContext],
            *checks: Check, audience: Audience = Audience.BORROWER,
            formats: tuple[str, ...] = FORMATS) -> DocKind:
    return DocKind(kind, "notices", locales, audience, stages, context, (*OUTBOUND, Check.ONCE, *checks), formats,
                   "letter")


def _contract(kind: str, locales: dict[str, tuple[str, ...]], audience: Audience,
              stages: frozenset[Stage], cls: type[DocumentContext]) -> DocKind:
    return DocKind(kind, "contracts", locales, audience, stages, cls, (Check.STAGE,))


def _legal(kind: str, profiles: tuple[str, ...], cls: type[DocumentContext], *checks: Check,
           audience: Audience = Audience.COURT, planned: bool = False, channel: str | None = None,
           stages: frozenset[Stage] = LITIGATION) -> DocKind:
    locales: dict[str, tuple[str, ...]] = {p: (load_ruleset(p).default_locale,) for p in profiles}
    return DocKind(kind, "legal", locales, audience, stages, cls, (Check.STAGE, *checks), planned=planned,
                   channel=channel)


def _packet(kind: str, cls: type[DocumentContext], *, planned: bool = False) -> DocKind:
    """Parts of a litigation packet (cover, exhibit covers, exhibits rendered from case records);
    the packet builder passes their extra inputs to ``build`` as keywords."""
    return replace(_legal(kind, ("CN", "US"), cls, planned=planned), folder="legal/packet")


CN: tuple[str, ...] = ("zh-CN",)
CN_EN: tuple[str, ...] = ("zh-CN", "en-US")
US: tuple[str, ...] = ("en-US",)
PLAN = frozenset({S.PLAN_ACTIVE})
BREACH = frozenset({S.PLAN_BREACHED})
VISIT = frozenset({S.VISIT_PLANNED, S.VISIT_NOTIFIED})
KIT = frozenset({S.VISIT_NOTIFIED})
VALIDATION = frozenset({S.REMINDER, S.PHONE, S.PROMISE, S.NEGOTIATING})
# A default to cure, not yet accelerated (on a plan: its breach); then the acceleration itself: on a
# plan after its breach; on the loan contract (no signed plan) from the stages the contract path leaves
# for pre-litigation (ESC-13: phone collection, a negotiation with no signed plan), the notice coming
# before that step, which records the date it states.
INTENT = (EARLY - {S.REMINDER}) | BREACH
ACCELERATED = frozenset({S.PHONE, S.NEGOTIATING, S.PLAN_BREACHED, S.PRE_LITIGATION})

KINDS: dict[str, DocKind] = {k.kind: k for k in (
    # The notices that tell the borrower how to pay name the lender's own channels (DOC-10: its
    # app by name, its repayment account, else its hotline), and are refused when it records none.
    _notice("overdue_reminder", {"CN": CN_EN, "US": US}, EARLY, OverdueReminderContext,
            Check.HOURS, Check.RATE_CEILING, Check.REPAYMENT_CHANNEL, formats=(*FORMATS, SMS)),
    _notice("demand_letter", {"CN": CN}, DEMAND, DemandLetterContext, Check.CREDIT_PRENOTICE,
            Check.CONTRACT_BASIS, Check.REPAYMENT_CHANNEL),
    _notice("credit_report_prenotice", {"CN": CN}, DEMAND, CreditReportPrenoticeContext, Check.CREDIT_REPORTER,
            Check.REPAYMENT_CHANNEL),
    _notice("visit_notice", {"CN": CN_EN}, VISIT, VisitNoticeContext, Check.VISIT,
            audience=Audience.THIRD_PARTY),
    _notice("plan_reminder", {"CN": CN_EN, "US": US}, PLAN, PlanReminderContext, Check.HOURS, Check.RATE_CEILING,
            Check.REPAYMENT_CHANNEL),
    _notice("breach_notice", {"CN": CN_EN, "US": US}, BREACH, BreachNoticeContext,
            Check.CREDIT_PRENOTICE, Check.RATE_CEILING, Check.REPAYMENT_CHANNEL),
    _notice("validation_notice", {"US": US}, VALIDATION, ValidationNoticeContext, Check.COLLECTOR,
            Check.RATE_CEILING),
    # Neither is sent for a debt already due in full (US-21: nothing is left to accelerate).
    _notice("notice_of_intent_to_accelerate", {"US": US}, INTENT, IntentToAccelerateContext, Check.RATE_CEILING,
            Check.NOT_MATURED),
    # It announces the acceleration: refused while the contract's acceleration condition is unmet (ESC-12),
    # and once an acceleration is in effect that it did not make (US-27: a plan's default clause).
    _notice("notice_of_acceleration", {"US": US}, ACCELERATED, AccelerationContext, Check.RATE_CEILING,
            Check.ACCELERATION_CLAUSE, Check.NOT_MATURED, Check.NOT_IN_EFFECT),
    # A visit record is the lender's file of what happened; a signed agreement identifies its
    # parties fully because it becomes an exhibit (民法典 art. 195 acknowledgement of the debt).
    _contract("visit_record", {"CN": CN}, Audience.INTERNAL,
              frozenset({S.VISIT_NOTIFIED, S.VISIT_DONE, S.NEGOTIATING, S.PLAN_ACTIVE, S.PLAN_BREACHED}) | LITIGATION,
              VisitRecordContext),
    replace(_contract("repayment_agreement", {"CN": CN_EN, "US": US}, Audience.COURT,
                      frozenset({S.NEGOTIATING, S.PLAN_ACTIVE}), RepaymentAgreementContext),
            checks=(Check.STAGE, Check.RATE_CEILING)),
    # Both come before a suit: a lawyer letter warns that one will be filed, and the application is
    # for mediation before filing (诉前调解); once the case is filed neither is true. Neither is
    # refused by DOC-07: before a recorded acceleration they demand what is due now (``claim.due_now``)
    # and state the acceleration as what follows non-payment (the letter) or leave the rest to
    # the contract's terms (the application).
    # Once one that declared the acceleration has reached the borrower, no other is sent (DOC-08);
    # once one demanded a debt accelerated otherwise and reached the borrower, another only on a
    # reason, which restarts DOC-06's days (DOC-09).
    _legal("lawyer_letter", ("CN",), LawyerLetterContext, Check.HOLD, Check.NOT_TIME_BARRED, Check.VALID_CONTRACT,
           Check.DECLARED_ONCE, Check.RESTATED, audience=Audience.BORROWER, channel="letter",
           stages=PRE_SUIT),  # sent: in the contact history
    _legal("mediation_application", ("CN",), MediationApplicationContext, Check.NOT_TIME_BARRED,
           Check.VALID_CONTRACT, stages=PRE_SUIT),
    replace(_legal("civil_complaint", ("CN",), CivilComplaintContext, Check.NOT_TIME_BARRED,
                   Check.DEMAND_DEADLINE, Check.ACCELERATED, Check.VALID_CONTRACT, stages=PRE_FILING),
            plan_if_any=True),
    replace(_legal("complaint_elements", ("CN",), ComplaintElementsContext, Check.NOT_TIME_BARRED,
                   Check.DEMAND_DEADLINE, Check.ACCELERATED, Check.VALID_CONTRACT, stages=PRE_FILING),
            plan_if_any=True),
    _legal("evidence_index", ("CN", "US"), EvidenceIndexContext, Check.COURT_DESIGNATION, planned=True,
           stages=PRE_FILING),
    _legal("claim_statement", ("CN", "US"), ClaimStatementContext, Check.ACCELERATED, Check.ACCELERATION_NOTICES,
           Check.RATE_CEILING, stages=PRE_FILING),
    # the fee is computed on the claim's 标的额: filed with the complaint, refused with it (DOC-07)
    _legal("court_fee_statement", ("CN",), CourtFeeStatementContext, Check.ACCELERATED, stages=PRE_FILING),
    _legal("service_address_confirmation", ("CN",), ServiceAddressConfirmationContext, stages=PRE_FILING),
    # filed in Chinese; its English version is the lender's reading copy of the same powers (CN-22)
    replace(_legal("power_of_attorney", ("CN",), PowerOfAttorneyContext, stages=PRE_FILING), locales={"CN": CN_EN}),
    # the plaintiff's own certificate of its representative: a packet exhibit (主体资格), or on its own
    _legal("legal_rep_certificate", ("CN",), LegalRepCertificateContext, stages=PRE_FILING),
    # The US pleading that starts the suit, in the court of the consumer's county (US-17): a Texas Justice
    # Court debt claim petition (Tex. R. Civ. P. 508.2), another Texas court's original petition, or
    # another state's complaint for breach of the loan agreement; it claims what the affidavit swears to.
    # (in New York it names the loan agreement by its number in the exhibit index: CPLR 3016(j))
    replace(_legal("debt_claim_petition", ("US",), DebtClaimPetitionContext, Check.NOT_TIME_BARRED,
                   Check.ACCELERATED, Check.ACCELERATION_NOTICES, Check.RATE_CEILING, Check.COURT_DESIGNATION,
                   stages=PRE_FILING),
            plan_if_any=True),
    # the affidavit names the payment history by its number in the exhibit index, where there is a plan
    replace(_legal("affidavit_of_debt", ("US",), AffidavitOfDebtContext, Check.NOT_TIME_BARRED,
                   Check.ACCELERATED, Check.ACCELERATION_NOTICES, Check.RATE_CEILING, Check.COURT_DESIGNATION,
                   stages=AFFIDAVIT),
            plan_if_any=True),
    # The packet as a whole (service/packets/build.py checks it before any work): at a litigation
    # stage, on a recorded acceleration; each pleading in it is then checked as its own kind.
    replace(_packet("packet_cover", PacketCoverContext, planned=True),
            checks=(Check.STAGE, Check.ACCELERATED, Check.COURT_DESIGNATION),
            stages=PRE_FILING),
    _packet("exhibit_cover", ExhibitCoverContext, planned=True),
    _packet("repayment_schedule", RepaymentScheduleContext),
    _packet("payment_history", PaymentHistoryContext),
    _packet("notice_history", NoticeHistoryContext),
    # The visit kit's own parts (service/visits/kit.py assembles them with the schedule, the plan
    # proposals and the visit record): for the staff going, once the visit is notified.
    DocKind("visit_brief", "visits", {"CN": CN}, Audience.INTERNAL, KIT, VisitBriefContext, OUTBOUND),
    DocKind("account_statement", "visits", {"CN": CN}, Audience.BORROWER, KIT, AccountStatementContext, OUTBOUND),
)}


def get_kind(kind: str) -> DocKind:
    try:
        return KINDS[kind]
    except KeyError:
        raise InvalidInput.one("kind", f"unknown document kind {kind!r}; known: {', '.join(KINDS)}") from None


# A kind of one profile and the kind that does its work in the other (the pleading that starts the
# suit), named when a case of the other profile asks for it: (kind, profile asked) -> that profile's kind
COUNTERPARTS = {("civil_complaint", "US"): "debt_claim_petition", ("complaint_elements", "US"): "debt_claim_petition",
                ("debt_claim_petition", "CN"): "civil_complaint"}


def resolve_locale(kind: DocKind, profile: str, locale: str | None, borrower_language: str = "") -> str:
    """The locale asked for, else the borrower's language if the kind has it, else the default."""
    options = kind.locales.get(profile)
    if not options:
        counterpart = COUNTERPARTS.get((kind.kind, profile))
        raise InvalidInput.one("kind", f"{kind.kind} is not a {profile} document "
                                       f"(profiles: {', '.join(kind.profiles)})"
                                       + (f"; a {profile} case's is {counterpart}" if counterpart else ""))
    if locale is not None:
        if locale not in options:
            raise InvalidInput.one("locale", f"{kind.kind} ({profile}) comes in {', '.join(options)}, not {locale!r}")
        return locale
    preferred = next((o for o in options if borrower_language and o.split("-")[0] == borrower_language.split("-")[0]),
                     None)
    return preferred or options[0]
