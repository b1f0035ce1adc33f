"""Every document kind rendered for a handful of demo cases: the catalogue behind `make samples`
and the document checks that run over it (tests/documents/test_catalogue.py).

The cases are picked by stage so that together they reach every kind and both profiles; each
case is rendered at 11:00 local time on the demo's anchor day (inside contact hours), every kind
valid at its stage in every locale and format. Rule refusals are kept, not raised: a reviewer
sees why a kind is missing for a case.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.cases.casefile import CaseFile, load_case_file
from service.cases.cn_calendar import period_end
from service.cases.enums import Stage
from service.cases.models import DebtCase, Lender, RepaymentPlan
from service.cases.rules import load_ruleset
from service.core.errors import RuleViolation
from service.core.settings import Settings
from service.demo.delivery import POSTAL_DAYS
from service.documents import service as documents_service
from service.documents.contexts.common import DocumentContext
from service.documents.contexts.facts import CaseFacts
from service.documents.registry import KINDS
from service.documents.render import Rendered, render
from service.packets.build import make_plan
from service.packets.plan import PacketPlan

# (profile, stage): together they reach every kind, both profiles, notices, contracts and court papers.
SELECTION: tuple[tuple[str, Stage], ...] = (
    # the visit notice goes out at VISIT_PLANNED (once: DOC-03); the visit kit's parts at VISIT_NOTIFIED
    ("CN", Stage.REMINDER), ("CN", Stage.VISIT_PLANNED), ("CN", Stage.VISIT_NOTIFIED), ("CN", Stage.NEGOTIATING),
    ("CN", Stage.PLAN_ACTIVE),
    ("CN", Stage.PLAN_BREACHED), ("CN", Stage.PRE_LITIGATION),
    ("US", Stage.REMINDER), ("US", Stage.PHONE), ("US", Stage.PLAN_ACTIVE), ("US", Stage.PLAN_BREACHED),
    ("US", Stage.PRE_LITIGATION),
)
# Kinds only a packet renders (they need the packet's plan and layout).
PACKET_ONLY = frozenset({"packet_cover", "exhibit_cover", "repayment_schedule", "payment_history",
                         "notice_history"})


@dataclass(frozen=True)
class Item:
    case_ref: str
    stage: Stage
    kind: str
    locale: str
    fmt: str
    facts: CaseFacts
    context: DocumentContext
    rendered: Rendered

    @property
    def name(self) -> str:
        return f"{self.case_ref}/{self.kind}.{self.locale}.{self.rendered.extension}"


@dataclass(frozen=True)
class Refusal:
    case_ref: str
    kind: str
    locale: str
    rules: tuple[str, ...]
    message: str


def local_noon(day: date, tz: str) -> datetime:
    """11:00 on `day` in `tz`, as an aware UTC datetime (inside every contact-hour window)."""
    return datetime.combine(day, time(11, 0), tzinfo=ZoneInfo(tz)).astimezone(UTC)


def sample_day(kind: str, profile: str, day: date) -> date:
    """The day a sample of `kind` is dated when the case's samples are dated `day`: a demand that
    gives the borrower a deadline before suit (DOC-06: the lawyer letter) goes out early enough for
    its deadline to have passed by `day`, so the complaint dated `day` follows it as a lender
    files (review C12-9): the deadline runs from the letter's delivery, by post the profile's
    longest delay after it went out (delivery.POSTAL_DAYS); every other kind is dated `day`."""
    rules = load_ruleset(profile)
    if not rules.has("DOC-06") or kind != rules.rule("DOC-06").params["demand"]:
        return day
    days = int(rules.param(*rules.rule("DOC-06").params["days_from"]))
    postal = timedelta(days=POSTAL_DAYS.get(profile, (0, 0))[1])
    sent = day - postal - timedelta(days=days + 1)
    # the last day to pay ends on a working day (cn_calendar.period_end, 民法典 art. 203): a letter
    # delivered before a weekend or a holiday gives more days, so it goes out earlier still
    while period_end(sent + postal, days, rolls=rules.jurisdiction.rest_day_periods) >= day:
        sent -= timedelta(days=1)
    return sent


def pick_cases(session: Session, selection: tuple[tuple[str, Stage], ...] = SELECTION) -> list[str]:
    """The first demo case (by reference) of each (profile, stage) in the selection that has one."""
    refs = []
    for profile, stage in selection:
        ref = session.scalars(select(DebtCase.ref).where(DebtCase.profile == profile, DebtCase.stage == stage)
                              .order_by(DebtCase.ref).limit(1)).first()
        if ref is not None:
            refs.append(ref)
    return refs


def pick_court_sets(session: Session) -> list[str]:
    """The court sets `make samples` shows beside the selection: the first pre-litigation case of each
    CN lender licence type (each 案由's complaint and court papers) and of each US state (its affidavit
    of debt under the state's limitation and venue), after a repayment plan and without one (the loan
    accelerated on its contract), by reference. The demo has them all when it is seeded with its
    court sets (seed_demo(court_sets=True))."""
    planned = set(session.scalars(select(RepaymentPlan.case_id)))
    rows = session.execute(select(DebtCase.ref, DebtCase.id, DebtCase.profile, DebtCase.us_state, Lender.licence_type)
                           .join(Lender, Lender.id == DebtCase.lender_id)
                           .where(DebtCase.stage == Stage.PRE_LITIGATION).order_by(DebtCase.ref)).all()
    first: dict[tuple[str, str, bool], str] = {}
    for ref, case_id, profile, state, licence in rows:
        first.setdefault((profile, state if profile == "US" else str(licence), case_id in planned), ref)
    return sorted(first.values(), key=lambda ref: (ref[:2] != "CN", ref))


def render_case(session: Session, settings: Settings, ref: str, day: date, formats: tuple[str, ...] = ("pdf", "docx"),
                packet_pieces: bool = False) -> Iterator[Item | Refusal]:
    """Every kind valid at the case's stage, in every locale and the given formats; with
    `packet_pieces`, the packet's own pieces too, each on its own (planned from the case)."""
    cf: CaseFile = load_case_file(session, ref)
    tz = cf.borrower.timezone or "Asia/Shanghai"
    stage = Stage(cf.case.stage)

    def planner(case_file: CaseFile) -> PacketPlan:  # the evidence index lists the case's real exhibits
        return make_plan(session, settings, case_file)

    for kind in KINDS.values():
        if (kind.kind in PACKET_ONLY and not packet_pieces) or stage not in kind.stages \
                or cf.case.profile not in kind.locales:
            continue
        for locale in kind.locales[cf.case.profile]:
            for fmt in (f for f in formats if f in kind.formats):
                try:
                    now = local_noon(sample_day(kind.kind, cf.case.profile, day), tz)
                    facts, _, ctx = documents_service.prepare(session, case_ref=ref, kind=kind.kind, fmt=fmt,
                                                              locale=locale, as_of=None, now=now, case_file=cf,
                                                              planner=planner)
                except RuleViolation as exc:
                    yield Refusal(ref, kind.kind, locale, tuple(v.rule for v in exc.violations),
                                  "; ".join(v.message for v in exc.violations))
                    continue
                out = render(ctx, fmt, templates_dir=settings.templates_dir)
                yield Item(ref, stage, kind.kind, locale, fmt, facts, ctx, out)
