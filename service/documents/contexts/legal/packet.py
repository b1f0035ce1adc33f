"""Parts of a litigation packet: its cover, the exhibit cover sheets, and the exhibits rendered
from the case records (the contract schedule, the payment history with its allocation, the
notice history).

The packet builder passes what only it knows as keywords to ``build``: ``plan`` (the packet
plan) for the cover, ``exhibit``/``number`` and, once laid out, pages and Bates labels for an
exhibit cover. Rendered on their own, the cover and an exhibit cover get the plan of the case
from their caller (``exhibits.Planner``).
"""

from collections.abc import Sequence
from typing import Self

from pydantic import Field, computed_field

from evidence.links import PAGE_LINK_PREFIX
from service.documents.contexts.common import DocMeta, DocumentContext, Frozen, Required
from service.documents.contexts.facts import CaseFacts
from service.documents.contexts.legal import samples
from service.documents.contexts.legal.base import CaseDocContext, shown
from service.documents.contexts.legal.evidence import ExhibitPart, sample_rows
from service.documents.contexts.legal.exhibits import ExhibitPlan, PlannedExhibit
from service.documents.contexts.legal.papers import PapersBlock


class PageRange(Frozen):
    """Where a part of the assembled packet lies; its link goes to its first page."""

    first_page: int
    last_page: int

    @property
    def link(self) -> str:
        return f"{PAGE_LINK_PREFIX}{self.first_page}"


Pages = tuple[int, int] | None


def _range(pages: Pages) -> PageRange | None:
    return PageRange(first_page=pages[0], last_page=pages[1]) if pages else None


class ExhibitEntry(Frozen):
    number: int
    group: str
    title: str
    form: str
    origin: str
    original_available: bool
    purpose: str
    pages: PageRange | None = None  # in the assembled packet; None on its own or for a recording
    missing: bool = False  # not on file: the plan names it missing (a draft packet)

    @classmethod
    def of(cls, exhibit: PlannedExhibit, number: int, pages: Pages = None) -> Self:
        return cls(number=number, group=exhibit.group, title=exhibit.title, form=exhibit.form,
                   origin=exhibit.origin, original_available=exhibit.original_available, purpose=exhibit.purpose,
                   pages=_range(pages), missing=exhibit.missing)


class FilerFormEntry(Frozen):
    form: str
    title: str
    source: str
    stage: str = "filing"  # filing | service | default_judgment: the step the cover lists it under


class PacketCoverContext(CaseDocContext):
    """封面: case, parties, court, as-of date, the claimed amount and the contents in order."""

    pleadings: tuple[str, ...]  # document kinds, in packet order
    pleading_pages: tuple[PageRange | None, ...]  # beside `pleadings`; empty until the packet is laid out
    exhibits: tuple[ExhibitEntry, ...]
    missing: tuple[str, ...]  # required exhibits not available: the packet is a DRAFT
    # the court's own forms the filer attaches (US-24), "CM-010 Civil Case Cover Sheet (source)"
    filer_forms: tuple[FilerFormEntry, ...] = ()
    # uploads the packet does not file, each with its reason (US-26: a recording without its consent)
    withheld: tuple[str, ...] = ()
    # what an exhibit cites that the case does not hold (a recording a visit's record names), with why
    not_held: tuple[str, ...] = ()
    # a US pleading's name in the contents as its state names it (US-25); else the locale's label
    titles: dict[str, str] = Field(default_factory=dict)

    def required(self) -> list[Required]:
        found = [*shown(case=self.doc.case_ref, plaintiff=self.plaintiff.name, defendant=self.defendant.name,
                        court=self.court.name, as_of=self.day(self.doc.as_of),
                        total=self.money(self.claim.claimed_total)), *self.cause_required()]
        return found + [Required(label=f"exhibit_{e.number}", text=e.title) for e in self.exhibits]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def paginated(self) -> bool:
        return any(self.pleading_pages) or any(e.pages for e in self.exhibits)

    @classmethod
    def build(cls, facts: CaseFacts, doc: DocMeta, *, plan: ExhibitPlan | None = None,
              pleading_pages: Sequence[Pages] = (), exhibit_pages: Sequence[Pages] = ()) -> Self:
        """`pleading_pages`, `exhibit_pages`: (first, last) page of each pleading and exhibit in the
        assembled packet, in plan order (the packet builder's layout); none on its own."""
        if plan is None:
            raise TypeError("a packet cover needs the packet plan")
        exhibits = [*plan.exhibits, *plan.recordings]
        pages = [*exhibit_pages, *[None] * (len(exhibits) - len(exhibit_pages))]
        blocks = cls.case_blocks(facts, doc)
        court = blocks["court"].name  # a form the state's table gives for one court: the suit's court's only
        return cls(**blocks, pleadings=tuple(p.kind for p in plan.pleadings),
                   pleading_pages=tuple(_range(p) for p in pleading_pages),
                   exhibits=tuple(ExhibitEntry.of(e, n, pages[n - 1]) for n, e in enumerate(exhibits, start=1)),
                   missing=tuple(plan.missing),
                   filer_forms=tuple(FilerFormEntry(form=f.form, title=f.title, source=f.source, stage=f.stage)
                                     for f in plan.filer_forms if f.for_court(court)),
                   withheld=tuple(plan.withheld), not_held=tuple(plan.not_held),
                   titles=PapersBlock.of(facts).titles if facts.rules.jurisdiction.state_law else {})

    @classmethod
    def sample(cls, doc: DocMeta) -> Self:
        rows = sample_rows(doc)
        kinds = doc.rules.jurisdiction.pleadings
        return cls(**cls.sample_case_blocks(doc), pleadings=kinds,  # a page each after the cover
                   pleading_pages=tuple(PageRange(first_page=2 + k, last_page=2 + k) for k in range(len(kinds))),
                   exhibits=tuple(ExhibitEntry.of(r, r.number, (r.first_page, r.last_page)
                                                  if r.first_page and r.last_page else None) for r in rows),
                   missing=())


class ExhibitCoverContext(DocumentContext):
    """证据N cover sheet: number, title, group, form, source, original, object of proof, pages."""

    plaintiff: str
    defendant: str
    contract_no: str
    exhibit: ExhibitEntry
    first_page: int | None
    last_page: int | None
    bates_first: str
    bates_last: str
    # notices as sent, stored copies: the packet files them less their own page footer's text (the
    # files as sent, whose SHA-256 the notice history cites, are in originals/); the cover says so
    # and which page number to cite
    sent_copies: int = 0
    # what the exhibit files behind this cover, in page order, as the evidence index lists it
    contents: tuple[ExhibitPart, ...] = ()

    def required(self) -> list[Required]:
        e = self.exhibit
        found = shown(title=e.title, purpose=e.purpose, origin=e.origin, form=e.form, number=str(e.number))
        return found + (shown(bates=self.bates_first) if self.bates_first else [])

    @classmethod
    def build(cls, facts: CaseFacts, doc: DocMeta, *, exhibit: PlannedExhibit | None = None, number: int = 1,
              first_page: int | None = None, last_page: int | None = None, bates_first: str = "", bates_last: str = "",
              plan: ExhibitPlan | None = None, sent_copies: int = 0,
              contents: Sequence[ExhibitPart] = ()) -> Self:
        if exhibit is None:  # on its own: the numbered exhibit of the case's plan
            if plan is None:
                raise TypeError("an exhibit cover needs its exhibit or the case's packet plan")
            exhibit = plan.exhibits[number - 1]
        cf = facts.cf
        return cls(doc=doc, plaintiff=cf.lender.name, defendant=cf.borrower.name, contract_no=cf.contract.contract_no,
                   exhibit=ExhibitEntry.of(exhibit, number), first_page=first_page, last_page=last_page,
                   bates_first=bates_first, bates_last=bates_last, sent_copies=sent_copies,
                   contents=tuple(contents))

    @classmethod
    def sample(cls, doc: DocMeta) -> Self:
        row = sample_rows(doc)[0]
        person, terms = samples.person(doc.profile), samples.terms(doc.profile)
        return cls(doc=doc, plaintiff=samples.lender_name(doc.profile), defendant=person.name,
                   contract_no=terms.contract_no,
                   exhibit=ExhibitEntry.of(row, 1), first_page=row.first_page, last_page=row.last_page,
                   bates_first=row.bates_first, bates_last=row.bates_last)
