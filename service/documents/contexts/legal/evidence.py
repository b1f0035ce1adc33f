"""证据目录 / exhibit index (证据规定 art. 19; CN-21): every exhibit with its group, form, source,
whether the original is available, pages and Bates range, and the object of proof.

In a packet the rows come from the packet builder with final pages (``build(..., rows=...)``);
each page range links to ``https://dossier.invalid/page/N``, which assembly turns into an
internal link. Rendered on its own, the index lists the exhibits of the case's packet plan
(``build(..., plan=...)``), unpaginated.
"""

from collections.abc import Mapping, Sequence
from typing import Any, Self

from evidence.links import PAGE_LINK_PREFIX
from service.documents.contexts.common import DocMeta, Frozen, Required
from service.documents.contexts.facts import CaseFacts
from service.documents.contexts.legal import checks
from service.documents.contexts.legal.base import CaseDocContext
from service.documents.contexts.legal.exhibits import ExhibitPlan


class ExhibitPart(Frozen):
    """One item an exhibit files behind its cover (a record, a notice as sent, each photo), with its
    own pages: the index and the cover list them, so each page of the exhibit matches a line
    (reader CN-00012: the visit photos of exhibit 12 were named nowhere). Pages None: unpaginated."""

    title: str
    first_page: int | None = None
    last_page: int | None = None
    bates_first: str = ""
    bates_last: str = ""


class Mailed(Frozen):
    """A letter the exhibit files, as mailed: its carrier (ems, usps) and tracking number (DOC-11)."""

    carrier: str
    number: str


class EvidenceRow(Frozen):
    number: int
    group: str
    title: str
    form: str  # 书证 / 电子数据 / 视听资料 …
    origin: str  # 证据来源
    original_available: bool
    purpose: str  # 证明目的（证明对象）
    first_page: int | None = None
    last_page: int | None = None
    pages: int | None = None
    bates_first: str = ""
    bates_last: str = ""
    file: str = ""  # a recording shipped in the bundle instead of pages: its upload's file name (build.filed_name)
    key: str = ""  # the exhibit's kind (notice_history: the template states the facts record's contact count)
    redacted: bool = False  # the exhibit is a redacted copy of the upload (Tex. R. Civ. P. 21c)
    # not on file (a signed scan not uploaded): the plan names it missing, the row says so and claims
    # no original; it keeps its number, so the numbers stay once it is uploaded
    missing: bool = False
    # what the exhibit files behind its cover, in page order (the packet builder's; () on its own)
    contents: tuple[ExhibitPart, ...] = ()
    # the tracking numbers its letters were mailed under: the source column names them after the origin
    mailed: tuple[Mailed, ...] = ()

    @property
    def link(self) -> str:
        return f"{PAGE_LINK_PREFIX}{self.first_page}" if self.first_page else ""


def plan_rows(plan: ExhibitPlan) -> list[EvidenceRow]:
    """The exhibits the packet plan lists for this case, without pages."""
    return [EvidenceRow(number=n, group=e.group, title=e.title, form=e.form, origin=e.origin,
                        original_available=e.original_available, purpose=e.purpose, key=e.key,
                        redacted=e.redacted, missing=e.missing,
                        mailed=tuple(Mailed(carrier=m.carrier, number=m.number) for m in e.mailed))
            for n, e in enumerate([*plan.exhibits, *plan.recordings], start=1)]


class EvidenceIndexContext(CaseDocContext):
    rows: tuple[EvidenceRow, ...]
    paginated: bool  # the rows carry the final pages of an assembled packet
    copies: int = 1  # 民诉法 art. 123: copies for each defendant

    def required(self) -> list[Required]:
        found = [Required(label="plaintiff", text=self.plaintiff.name),
                 Required(label="defendant", text=self.defendant.name),
                 Required(label="date", text=self.day(self.doc.as_of)), *self.cause_required()]
        for r in self.rows:
            found += [Required(label=f"title_{r.number}", text=r.title),
                      Required(label=f"purpose_{r.number}", text=r.purpose)]
            if r.bates_first:
                found.append(Required(label=f"bates_{r.number}", text=r.bates_first))
            found += [Required(label=f"mailed_{r.number}_{n}", text=m.number) for n, m in enumerate(r.mailed, 1)]
        return found

    @classmethod
    def build(cls, facts: CaseFacts, doc: DocMeta, *, rows: Sequence[Mapping[str, Any]] | None = None,
              plan: ExhibitPlan | None = None) -> Self:
        if rows is not None:
            items = [EvidenceRow.model_validate(dict(r)) for r in rows]
        elif plan is not None:
            items = plan_rows(plan)
        else:
            raise TypeError("the evidence index needs the packet's rows or the case's packet plan")
        paginated = any(r.first_page is not None for r in items)
        ctx = cls(**cls.case_blocks(facts, doc), rows=tuple(items), paginated=paginated)
        if facts.rules.has(checks.EVIDENCE_RULE):
            checks.refuse(checks.evidence_valid(facts.rules, ctx.rows, ctx.copies, paginated=paginated))
        return ctx

    @classmethod
    def sample(cls, doc: DocMeta) -> Self:
        return cls(**cls.sample_case_blocks(doc), rows=sample_rows(doc), paginated=True)


def sample_rows(doc: DocMeta) -> tuple[EvidenceRow, ...]:
    zh = doc.is_zh
    spec = [  # (group, title, form, origin, purpose, pages)
        ("第一组：借款合同关系成立及借款发放" if zh else "Group 1: The loan agreement and disbursement",
         "《借款合同》（编号HXCF-2025-001234）" if zh
         else "Personal Installment Loan Agreement (account ending in 4512)",  # the sample terms' title
         "电子数据" if zh else "electronic record", "电子签约平台" if zh else "e-signature platform",
         "证明原、被告签订借款合同，约定借款本金、利率、期限、逾期罚息、提前到期及送达地址" if zh
         else "The parties entered into the loan agreement: principal, rate, term, default and acceleration", 6),
        ("第一组：借款合同关系成立及借款发放" if zh else "Group 1: The loan agreement and disbursement",
         "放款凭证（银行转账记录）" if zh else "Proof of disbursement", "书证" if zh else "document",
         "银行 / 支付机构" if zh else "Bank records",
         "证明原告已实际发放借款" if zh else "Plaintiff disbursed the loan", 1),
        ("第二组：还款情况及逾期事实" if zh else "Group 2: Payments and default",
         "还款记录及款项冲抵明细" if zh else "Payment history and application of payments",
         "电子数据" if zh else "business record", "原告贷款业务系统" if zh else "Plaintiff's loan servicing system",
         "证明被告已还款项及逾期未还的事实" if zh else "Payments received and the default", 2),
    ]
    rows, page, prefix = [], 9, "HXCF-" if zh else "LKCC-"
    for n, (group, title, form, origin, purpose, pages) in enumerate(spec, start=1):
        rows.append(EvidenceRow(number=n, group=group, title=title, form=form, origin=origin, original_available=True,
                                purpose=purpose, first_page=page, last_page=page + pages, pages=pages + 1,
                                bates_first=f"{prefix}{page:06d}", bates_last=f"{prefix}{page + pages:06d}"))
        page += pages + 1
    return tuple(rows)
