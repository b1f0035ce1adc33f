"""上门走访告知函: the notice of a field visit.

Its audience is a third party: it may be left at the door or read by family, so the context
carries no amount, no loan product and no contract number at all (CN-04, CN-12) — the template
cannot show what it is not given.
"""

import re
from datetime import datetime, time, timedelta
from typing import Self

from service.cases.rules import RuleSet, load_ruleset
from service.documents.contexts import samples
from service.documents.contexts.common import DocMeta, Frozen, Required, local_datetime
from service.documents.contexts.facts import CaseFacts
from service.documents.contexts.notices import NoticeContext
from service.documents.format import datetime_cn, datetime_en

CHINESE = re.compile(r"[\u3400-\u9fff]")
SAMPLE_PURPOSE_ZH = "当面核实联系方式和居住情况，并协商合同履行安排"
SAMPLE_PURPOSE_EN = ("to confirm contact details and living situation in person, and to discuss how the "
                     "contract is to be performed")


class StaffMember(Frozen):
    name: str
    badge_no: str
    organisation: str


def reply_deadline(start: datetime, rules: RuleSet) -> datetime:
    """The last moment to reschedule or decline (CN-09): `reply_hours_before` the visit, moved back
    to `reply_latest` of the evening before when that would fall outside the hours a borrower can
    be expected to call (a 14:00 visit gives 20:00 the evening before, not 02:00)."""
    p = rules.rule("CN-09").params
    latest = time.fromisoformat(p["reply_latest"])
    earliest = time.fromisoformat(p["start"])
    moment = start - timedelta(hours=int(p["reply_hours_before"]))
    if moment.time() > latest:
        return moment.replace(hour=latest.hour, minute=latest.minute, second=0, microsecond=0)
    if moment.time() < earliest:
        day = moment - timedelta(days=1)
        return day.replace(hour=latest.hour, minute=latest.minute, second=0, microsecond=0)
    return moment


class VisitNoticeContext(NoticeContext):
    purpose: str  # what the visit is for, as recorded (CN-09: specific, no amount)
    window_start: datetime  # borrower-local
    window_end: datetime
    place: str
    place_kind: str  # home | work
    organisation: str  # who visits: the lender, or the agency it authorised
    on_behalf_of_lender: bool  # the visiting organisation is an agency acting for the lender
    staff: tuple[StaffMember, ...]
    reply_by: datetime  # borrower-local: last moment to reschedule or decline

    def when(self, value: datetime) -> str:
        return datetime_cn(value) if self.doc.is_zh else datetime_en(value)

    def required(self) -> list[Required]:
        found = [*self.base_required(), Required(label="window_start", text=self.when(self.window_start)),
                 Required(label="purpose", text=self.purpose),
                 Required(label="reply_by", text=self.when(self.reply_by)),
                 Required(label="place", text=self.place),
                 Required(label="organisation", text=self.organisation)]
        for member in self.staff:
            found += [Required(label="staff", text=member.name), Required(label="badge", text=member.badge_no)]
        return found

    @classmethod
    def build(cls, facts: CaseFacts, doc: DocMeta) -> Self:
        from service.core.errors import InvalidInput

        visit = facts.planned_visit
        if visit is None:
            raise InvalidInput.one("kind", "no planned visit on this case: record the visit before its notice")
        lender = facts.cf.lender
        purpose = visit.purpose.strip() if doc.is_zh else (visit.purpose_en.strip() or visit.purpose.strip())
        if not doc.is_zh and CHINESE.search(purpose):
            raise InvalidInput.one("purpose_en", "the visit's purpose is recorded in Chinese only: record "
                                   "purpose_en before the English notice")
        organisation = visit.organisation or lender.name
        start, end = local_datetime(visit.window_start, facts.tz), local_datetime(visit.window_end, facts.tz)

        def named(org: str) -> str:
            """The lender by its registered English name in an English notice (an agency keeps its
            own name: a proper name, which has no English form on record)."""
            return lender.name_en if org == lender.name and lender.name_en and not doc.is_zh else org

        staff = tuple(StaffMember(name=s.name, badge_no=s.badge_no, organisation=named(s.organisation or organisation))
                      for s in visit.staff)
        return cls(**cls.blocks(facts, doc), purpose=purpose, window_start=start, window_end=end,
                   place=visit.address, place_kind=visit.place_kind, organisation=named(organisation),
                   on_behalf_of_lender=organisation != lender.name, staff=staff,
                   reply_by=reply_deadline(start, facts.rules))

    @classmethod
    def sample(cls, doc: DocMeta) -> Self:
        from zoneinfo import ZoneInfo

        tz = ZoneInfo("Asia/Shanghai")
        start = datetime(doc.as_of.year, doc.as_of.month, doc.as_of.day, 10, 0, tzinfo=tz) + timedelta(days=3)
        org = "上海信诚商务咨询有限公司" if doc.is_zh else "Shanghai Xincheng Business Consulting Co., Ltd."
        staff = (StaffMember(name="刘洋", badge_no="XC-0217", organisation=org),
                 StaffMember(name="陈静", badge_no="XC-0342", organisation=org))
        borrower = samples.borrower(doc.profile, doc.audience)
        purpose = (SAMPLE_PURPOSE_ZH if doc.is_zh else SAMPLE_PURPOSE_EN)
        return cls(**cls.sample_blocks(doc), purpose=purpose, window_start=start, window_end=start + timedelta(hours=2),
                   place=borrower.address, place_kind="home", organisation=org, on_behalf_of_lender=True,
                   staff=staff, reply_by=reply_deadline(start, load_ruleset(doc.profile)))
