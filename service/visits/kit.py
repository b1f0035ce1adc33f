"""The visit kit: one printable PDF with bookmarks for the two staff going on a visit, assembled
like a packet (evidence.assemble), from the same facts record as every other document of the case.

    一、the internal brief (visit_brief): identity masked, addresses, employer, the contact history
       and what the borrower said, balances on the visit day, holds and risk flags, the visit's
       purpose, time, place and staff, the rules in force, lawful talking points;
    二、copies to show: the contract scan (uploaded), the repayment schedule, a statement of account;
    三、a draft repayment agreement for each plan type the case allows (PLAN-02), on the debt as
       the ledger states it that day — the one the borrower accepts is signed on the spot;
    四、the visit record, pre-filled, for signature.

Allowed at VISIT_NOTIFIED with no open hold (DOC-01 and HOLD, the brief's own checks), and only
once the log records the visit's notice delivered at least CN-09's lead time before the visit
(compliance.visit_notice_delivery: generated or sent is not delivered) and no staff member is on
another visit at the time (CN-09): refused, naming the rule, before anything is rendered. A kit is
not printed "for preparation" ahead of the delivery: it holds the visit record and the agreements to
be signed on the spot, and a visit without the notice delivered may not take place. The words of
the bookmarks are content (templates/visits/kit.<locale>.json).
"""

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from evidence.assemble import Part, assemble
from evidence.inert import make_inert
from service.cases.casefile import CaseFile, load_case_file
from service.cases.compliance import visit_staff_clashes
from service.cases.rules import text
from service.cases.validation import checked_as_of
from service.core.clock import today
from service.core.errors import RuleViolation
from service.core.settings import Settings
from service.core.storage import get_store
from service.documents import rules as document_rules
from service.documents.contexts.common import DocMeta
from service.documents.contexts.facts import CaseFacts
from service.documents.contexts.visit_kit import case_proposals, chosen_visit
from service.documents.registry import get_kind, resolve_locale
from service.documents.render import render
from service.packets.models import EvidenceItem

IMAGE_TYPES = ("image/jpeg", "image/png", "image/tiff")
Progress = Callable[[int, int], None]
LOCALE = "zh-CN"  # the staff's language; the agreements follow the borrower's (resolve_locale)


@dataclass(frozen=True)
class KitPart:
    title: str
    first_page: int
    last_page: int


@dataclass
class VisitKit:
    case_ref: str
    visit_id: int
    as_of: date
    pdf: bytes
    pages: int
    parts: list[KitPart]
    proposals: list[str]  # the plan types proposed
    missing: list[str]  # what the kit could not include (no contract scan on file)
    template_versions: dict[str, str] = field(default_factory=dict)


def _words(settings: Settings) -> dict[str, Any]:
    path = settings.templates_dir / "visits" / f"kit.{LOCALE}.json"
    return dict(json.loads(path.read_text(encoding="utf-8")))


def facts_for(cf: CaseFile, as_of: date, now: datetime | None) -> CaseFacts:
    return CaseFacts(cf, as_of, now or datetime.combine(as_of, time(12, 0), tzinfo=UTC))


def check(facts: CaseFacts) -> Any:
    """Refuse a kit the case may not have, naming the rules; else the visit it prepares."""
    profile = facts.cf.case.profile
    brief = get_kind("visit_brief")
    resolve_locale(brief, profile, None)  # a US case has no visits: refused, naming the profile
    document_rules.enforce(facts, brief)
    visit = chosen_visit(facts, None)
    rule = facts.rules.rule("CN-09")
    hours = rule.params["notice_lead_hours"]
    problems = visit_staff_clashes(facts.rules, visit, visit.staff, facts.cf.staff_bookings)
    if visit.notice_sent_at is None:
        problems.insert(0, text("visit.notice_not_sent"))
    elif not facts.visit_notice_delivered(visit):
        # sent is not delivered (CN-09): the kit holds the record and the agreements to sign on the
        # spot, so it is not printed for a visit that may not take place
        problems.insert(0, text("visit.kit_notice_not_delivered", hours=hours))
    if problems:
        raise RuleViolation([rule.refuse_text(problems)])
    return visit


class _Renderer:
    def __init__(self, settings: Settings, facts: CaseFacts, work: Path, progress: Progress, total: int) -> None:
        self.settings, self.facts, self.work = settings, facts, work
        self.progress, self.total = progress, total
        self.versions: dict[str, str] = {}
        self._count = 0

    def pdf(self, kind: str, locale: str = LOCALE, **extra: Any) -> Path:
        doc_kind = get_kind(kind)
        cf = self.facts.cf
        meta = DocMeta(kind=kind, profile=cf.case.profile, locale=locale, audience=doc_kind.audience,
                       as_of=self.facts.as_of, case_ref=cf.case.ref)
        ctx = doc_kind.context_class().build(self.facts, meta, **extra)
        out = render(ctx, "pdf", templates_dir=self.settings.templates_dir, bound=True)
        self.versions[f"{kind}.{locale}.pdf"] = out.template_version
        path = self._write(out.data, kind)
        self.progress(self._count, self.total)
        return path

    def _write(self, data: bytes, stem: str) -> Path:
        self._count += 1
        path = self.work / f"{self._count:03d}-{stem}.pdf"
        path.write_bytes(data)
        return path


def build_visit_kit(session: Session, settings: Settings, case_ref: str, *, as_of: date | None = None,
                    now: datetime | None = None, progress: Progress | None = None) -> VisitKit:
    """`progress(done, total)` after each document rendered and once assembled."""
    cf = load_case_file(session, case_ref)
    on = checked_as_of(cf, as_of, today(cf.borrower.timezone))
    facts = facts_for(cf, on, now)
    visit = check(facts)
    words = _words(settings)
    offered = case_proposals(facts, visit.id)
    total = 5 + len(offered)  # brief, schedule, statement, each proposal, record; then assembly
    report = progress or (lambda done, of: None)
    with tempfile.TemporaryDirectory(prefix="dossier-visit-kit-") as tmp:
        work = Path(tmp)
        r = _Renderer(settings, facts, work, report, total)
        parts = [Part.from_pdf(r.pdf("visit_brief", visit_id=visit.id), words["brief"], kind="brief")]
        shown, missing = _to_show(session, settings, r, words, work)
        parts += shown
        locale = resolve_locale(get_kind("repayment_agreement"), cf.case.profile, None, cf.borrower.language)
        for n, proposal in enumerate(offered, start=1):  # alternatives, each with its own draft number
            title = str(words["proposal"]).format(plan_type=words["plan_types"][proposal.plan_type])
            pdf = r.pdf("repayment_agreement", locale, proposal=proposal, alternative=(n, len(offered)))
            parts.append(Part.from_pdf(pdf, title,
                                       kind="proposal", outline_parent=(words["proposals"],)))
        parts.append(Part.from_pdf(r.pdf("visit_record", visit_id=visit.id), words["record"], kind="record"))
        out = work / "kit.pdf"
        result = assemble(parts, out, bates=None)
        report(total, total)
        return VisitKit(case_ref=cf.case.ref, visit_id=visit.id, as_of=on, pdf=out.read_bytes(),
                        pages=result.total_pages,
                        parts=[KitPart(p.title, p.first_page, p.last_page) for p in result.parts],
                        proposals=[str(p.plan_type) for p in offered], missing=missing,
                        template_versions=dict(sorted(r.versions.items())))


def _to_show(session: Session, settings: Settings, r: _Renderer, words: dict[str, Any],
             work: Path) -> tuple[list[Part], list[str]]:
    """The copies the staff show: the contract as signed (its scan), the schedule, the statement."""
    group = (words["show"],)
    items = list(session.scalars(select(EvidenceItem).where(EvidenceItem.case_id == r.facts.cf.case.id,
                                                             EvidenceItem.category == "loan_contract",
                                                             EvidenceItem.redaction_of.is_(None))  # the borrower's own
                                 .order_by(EvidenceItem.id)))
    parts, images, missing = [], [], []
    store = get_store(settings)
    for item in items:
        dest = work / f"evidence-{item.id}-{Path(item.filename).name}"
        store.copy_to(item.sha256, dest)
        if item.media_type in IMAGE_TYPES:
            images.append(dest)
        elif item.media_type == "application/pdf":
            inert = dest.with_name(f"inert-{dest.name}")
            make_inert(dest, inert)  # nothing in a copy handed round can act
            parts.append(Part.from_pdf(inert, words["contract"], kind="show", outline_parent=group))
    if images:
        parts.append(Part.from_images(images, words["contract"], kind="show", outline_parent=group))
    if not parts:
        missing.append(words["contract"])
    schedule = r.pdf("repayment_schedule", shown_to_borrower=True)  # no suit yet: not 原告's
    parts.append(Part.from_pdf(schedule, words["schedule"], kind="show", outline_parent=group))
    visit_id = chosen_visit(r.facts, None).id
    parts.append(Part.from_pdf(r.pdf("account_statement", visit_id=visit_id), words["statement"], kind="show",
                               outline_parent=group))
    return parts, missing
