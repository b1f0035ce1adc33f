"""What a court needs from a case: the pleadings, then the exhibits in narrative order.

The plan is pure data built from the case file, its evidence and the generated documents its
communication history records as sent. It names every missing required exhibit before any
rendering starts (domain-collections §1.2–§1.6, §6(c)); a draft packet is built anyway and marked
DRAFT on every page. The words — group names,
exhibit titles, purposes of proof — are content in templates/legal/packet/exhibits.<locale>.json.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path, PurePath
from typing import Any, Literal
from zoneinfo import ZoneInfo

from service.cases import acceleration, demands, postal
from service.cases.accounts import effective_acceleration
from service.cases.casefile import CaseFile
from service.cases.enums import Direction, LoanChannel, Outcome, PartyKind
from service.cases.lender_law import cause_of_action
from service.cases.masking import Redaction, filing_redaction, mask_phone
from service.cases.models import Communication, Visit
from service.cases.rules import load_ruleset
from service.core.errors import Violation
from service.documents.exceptions import UnknownLabel
from service.documents.format import cn_number, datetime_cn, datetime_en, long_date, time_en, time_hm
from service.documents.models import GeneratedDocument
from service.packets.models import EvidenceItem
from service.packets.redactions import Filed, filed_copies

Source = Literal["render", "evidence", "document"]
# notices the index lists as exhibits of their own (with their delivery record), not in the history's
OWN_EXHIBIT = ("lawyer_letter",)
NOTICE_KINDS = ("overdue_reminder", "demand_letter", "credit_report_prenotice", "visit_notice", "plan_reminder",
                "validation_notice", "lawyer_letter", "notice_of_intent_to_accelerate", "notice_of_acceleration")


@dataclass(frozen=True)
class Waybill:
    """What a letter was mailed under: its carrier (ems, usps) and tracking number."""

    carrier: str
    number: str


@dataclass(frozen=True)
class Exhibit:
    """One row of the evidence index and the pages behind it."""

    key: str
    title: str
    group: str
    source: Source
    form: str
    origin: str  # 证据来源
    original_available: bool
    purpose: str  # 证明目的
    evidence: tuple[EvidenceItem, ...] = ()
    documents: tuple[GeneratedDocument, ...] = ()
    params: dict[str, str] = field(default_factory=dict)
    # when the record it files was on file: its latest upload's time (an original's, where a redacted
    # copy is filed in its place); None for an exhibit of nothing uploaded (US-12: the review it covers)
    received_at: datetime | None = None
    # what the exhibit is (a signed scan, a notice as sent) is not on file: the plan names it missing,
    # and the index, the covers and the contents say so; its row keeps its number till it is uploaded
    missing: bool = False
    # the carrier and tracking number each letter the exhibit files was mailed under, in the order
    # they were sent (EMS 邮件号, USPS tracking number, DOC-11): its evidence index row names them
    mailed: tuple[Waybill, ...] = ()

    @property
    def redacted(self) -> bool:
        """Whether the exhibit files a redacted copy in its original's place (Tex. R. Civ. P. 21c)."""
        return any(item.redaction_of is not None for item in self.evidence)


@dataclass(frozen=True)
class Pleading:
    kind: str


@dataclass(frozen=True)
class FilerForm:
    """A court's own mandatory form (summons, cover sheet, notice) that the packet does not imitate:
    the filer completes it on the official form or the clerk issues it (US-24)."""

    form: str  # the form's number where it has one (CM-010), else ""
    title: str
    source: str
    stage: str = "filing"  # the step it goes with: filing | service | default_judgment (US-24 "stages")
    # the court it is for, by the start of the court's name ("Justice Court"), where the state's courts
    # each have their own (a Texas citation: Tex. R. Civ. P. 501.1 or 99); "": every court of the state
    court: str = ""

    def for_court(self, court: str) -> bool:
        return not self.court or court.startswith(self.court)


FILER_FORMS_RULE = "US-24"
EVERY_STATE = "*"  # US-24's forms of every state (federal law: the Servicemembers Civil Relief Act)


@dataclass
class PacketPlan:
    case_ref: str
    locale: str
    pleadings: list[Pleading]
    exhibits: list[Exhibit]
    recordings: list[Exhibit]  # listed in the index, shipped in the bundle, never merged
    missing: list[str]
    # The plan of a packet being built: its index carries the exhibits' final pages. A plan for a
    # document generated on its own has no pages to refer to (the exhibits are not yet bound).
    bound: bool = False
    # the forum state's court forms the filer attaches (US-24): named, never a reason for DRAFT
    filer_forms: list[FilerForm] = field(default_factory=list)
    # uploads the packet does not file, each with the reason (a recording made without the consent
    # its state's law requires, US-26; a visit scan no signed visit takes; an upload no exhibit files:
    # none is left out unsaid): listed on the cover and in the manifest, never a reason for DRAFT
    withheld: list[str] = field(default_factory=list)
    # what a filed exhibit cites that the case does not hold, each with why the index does not list it
    # (a recording a visit's record names, never uploaded): on the cover and in the manifest, never a
    # reason for DRAFT (the record proves the visit; the recording corroborates it)
    not_held: list[str] = field(default_factory=list)
    # a redacted copy filed in its original's place (Tex. R. Civ. P. 21c): the copy's id -> the original
    redactions: dict[int, EvidenceItem] = field(default_factory=dict)
    # where the forum's filings show account numbers by their last digits: each of the case's numbers
    # (the contract's, each agreement's) -> as a filing may show it; the bundle's file names use it
    masked_numbers: dict[str, str] = field(default_factory=dict)
    # named warnings for the person who files the packet, never a reason for DRAFT: a mailed letter
    # the history and the exhibits cite as served without its tracking number (DOC-11)
    warnings: list[Violation] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing


@lru_cache
def _content(templates_dir: str, locale: str) -> dict[str, Any]:
    path = Path(templates_dir) / "legal" / "packet" / f"exhibits.{locale}.json"
    return dict(json.loads(path.read_text(encoding="utf-8")))


def packet_words(templates_dir: Path, locale: str) -> dict[str, Any]:
    return _content(str(templates_dir), locale)


class _Words:
    def __init__(self, templates_dir: Path, locale: str, values: dict[str, str]) -> None:
        self.c = _content(str(templates_dir), locale)
        self.locale = locale
        self.values = values
        self.zh = locale == "zh-CN"

    def group(self, key: str, number: int) -> str:
        """A group's heading, numbered among the groups the packet has (no gaps)."""
        return str(self.c["groups"][key]).format(n=cn_number(number) if self.zh else number)

    def missing(self, key: str, *, category: str | None = None, **extra: str) -> str:
        """What is missing, in the packet's language: an upload category named by its label (the
        word the upload form shows), never its code."""
        if category is not None:
            extra["category"] = self.label("categories", category)
        return str(self.c["missing"][key]).format_map({**self.values, **extra})

    def label(self, table: str, code: str) -> str:
        """The word of a table of the packet's words for a code; a code it has no word for stops
        the packet (as a template's ``label``): a court paper never prints a raw code."""
        return self.label_in(self.c[table], code, table)

    def label_in(self, words: dict[str, str], code: str, what: str) -> str:
        if code not in words:
            raise UnknownLabel(f"packet {what} (exhibits.{self.locale}.json)", code)
        return str(words[code])

    def origin(self, *parts: str, uploads: tuple[EvidenceItem, ...] = ()) -> str:
        """证据来源 of an exhibit filed from the plaintiff's own records, as the exhibit holds them: the
        named parts of the content's ``origins`` in the order its pages come (the contact log the
        delivery record is rendered from, the system's copies of the notices as sent), then each
        upload's own source as recorded when it was uploaded. A postal receipt or gateway report is
        named only where one is uploaded (review CN-00012: 邮寄记录、短信网关 with neither filed); the
        tracking number each letter filed was mailed under is the exhibit's ``mailed``, which the
        index prints after this (it names the item, not a record filed)."""
        words = self.c["origins"]
        names = [str(words[p]).format_map(self.values) for p in parts]
        names += [i.source.strip() or str(words["upload"]) for i in uploads]
        return str(words["joiner"]).join(dict.fromkeys(names))

    def exhibit(self, key: str, group: str, source: Source, **kw: Any) -> Exhibit:
        """`delivered`: for an exhibit proving a notice, whether the record shows it reached the
        borrower; its purpose then says so (``purpose_delivered``), else only that it was sent.
        An exhibit with no generated copy in it takes its ``title_no_copies`` where it has one.
        `variant`: which of its worded cases it is (a visit record the borrower refused to sign:
        ``title_refused``, ``purpose_refused``), where the content words it.
        `missing`: what the exhibit is is not on file (the caller names it missing): no original is
        claimed for it (review CN-00044: 《还款协议》 原件：有 with no signed scan behind it)."""
        values = {**self.values, **kw.pop("words", {})}
        delivered = kw.pop("delivered", False)
        variant = kw.pop("variant", "")
        content = self.c["exhibits"][key]
        words = {k: str(v).format_map(values) for k, v in content.items() if k != "original"}
        # whether the plaintiff holds the original (原件): the content says where it does not (a copy of
        # the defendant's identity card: the card is the defendant's; review CN-00061); an exhibit
        # not on file has none to show, and one filed from uploads has it where each upload says so
        evidence: tuple[EvidenceItem, ...] = kw.get("evidence", ())
        original = (bool(content.get("original", True)) and not kw.get("missing", False)
                    and all(i.original_available for i in evidence))
        purpose = words["purpose_delivered"] if delivered and "purpose_delivered" in words else words["purpose"]
        # an exhibit that would hold copies of the notices sent but has none says what it holds
        title = words["title_no_copies"] if "title_no_copies" in words and not kw.get("documents") else words["title"]
        if variant:
            title, purpose = words.get(f"title_{variant}", title), words.get(f"purpose_{variant}", purpose)
        return Exhibit(key, title, group, source, words["form"], words["origin"], original, purpose, **kw)


def _day(day: date, locale: str) -> str:
    return long_date(day, locale)


def _filed_tail(cf: CaseFile) -> str:
    redaction = filing_redaction(load_ruleset(cf.case.profile), cf.case.us_state)
    return redaction.tail(cf.contract.contract_no) if redaction else cf.contract.contract_no


def _values(cf: CaseFile, locale: str, templates_dir: Path) -> dict[str, str]:
    """The case's values the exhibit words take; the words themselves (the contract's default name,
    its form and origin) are content: the "contract" block of exhibits.<locale>.json."""
    words = _content(str(templates_dir), locale)["contract"]
    how = "online" if cf.contract.channel is LoanChannel.ONLINE else "paper"
    cause = cause_of_action(load_ruleset(cf.case.profile), cf.lender.licence_type)
    return {
        # interest on overdue principal as the cause's pleadings call it (罚息 | 逾期利息, CN-30)
        "penalty_term": cause.penalty_term if cause is not None else "",
        # US filings: the account's last digits, as many as the forum's redaction rule keeps (US-13)
        "contract_no": cf.contract.contract_no, "contract_tail": _filed_tail(cf),
        "plaintiff": cf.lender.name, "legal_rep": cf.lender.legal_rep, "legal_rep_title": cf.lender.legal_rep_title,
        # the contract as it names itself (the facts record), as every other document names it
        "contract_title": cf.contract.title or words["contract_title"],
        "signed_date": _day(cf.contract.signed_date, locale),
        "disbursed_date": _day(cf.contract.disbursed_date, locale),
        "disbursed_amount": f"{cf.contract.disbursed_amount:,.2f}",
        "contract_form": words[f"form_{how}"], "contract_origin": words[f"origin_{how}"],
    }


def _uploads(items: list[EvidenceItem], category: str) -> tuple[EvidenceItem, ...]:
    return tuple(i for i in items if i.category == category and not i.media_type.startswith("audio/"))


def _docs(documents: list[GeneratedDocument], *kinds: str) -> tuple[GeneratedDocument, ...]:
    found = [d for d in documents if d.kind in kinds and d.format == "pdf"]
    return tuple(sorted(found, key=lambda d: (d.as_of_date, d.created_at, d.id)))


def _sent_documents(cf: CaseFile, documents: list[GeneratedDocument]) -> list[GeneratedDocument]:
    """The generated documents the communication history records as sent out (by the document's
    id, or the hash of the file sent): a packet files each as "a true copy as sent", so a notice
    rendered and never sent (a draft, a preview through `dossier render`) is not among them."""
    out = [c for c in cf.communications if c.direction == Direction.OUT]
    ids = {c.document_id for c in out if c.document_id}
    hashes = {c.content_hash for c in out if c.content_hash}
    return [d for d in documents if d.id in ids or d.sha256 in hashes]


def plan_packet(cf: CaseFile, items: list[EvidenceItem], documents: list[GeneratedDocument], *,
                templates_dir: Path) -> PacketPlan:
    rules = load_ruleset(cf.case.profile)
    locale = rules.default_locale
    documents = _sent_documents(cf, documents)
    w = _Words(templates_dir, locale, _values(cf, locale, templates_dir))
    missing: list[str] = []
    redaction = filing_redaction(rules, cf.case.us_state)
    uploads, filed = items, filed_copies(items, redaction)
    items = filed.items
    licences = rules.jurisdiction.standing_licences
    standing = _standing(w, cf, items, missing, licences) if licences is not None else []
    withheld: dict[int, str] = {}  # an upload not filed (its id) -> why, in the packet's words
    exhibits = [*standing, *_contract(w, items, missing, licence=licences is None), *_performance(w),
                *_demands(w, cf, items, documents, missing, withheld, locale),
                *_agreement(w, cf, items, documents, missing, locale),
                *_acceleration_notices(w, cf, documents, missing, locale), *_costs(w, items)]
    if rules.jurisdiction.counsel_required and cf.law_firm is None:
        missing.append(w.missing("law_firm"))
    if redaction is not None:  # an upload showing the account number whole, with no redacted copy (21c)
        missing += [w.missing("redacted_copy", category=i.category, title=i.title, evidence_id=str(i.id),
                              keep_tail=str(redaction.keep_tail), citation=redaction.citation) for i in filed.lacking]
    recordings = []
    for item in (i for i in items if i.media_type.startswith("audio/")):
        if (reason := _unlawful_recording(w, cf, item)) is not None:
            withheld[item.id] = reason
        else:
            recordings.append(_recording(w, cf, item, locale))
    withheld |= _not_filed(w, uploads, filed, {i.id for e in [*exhibits, *recordings] for i in e.evidence},
                           withheld)
    pleadings = [Pleading(k) for k in rules.jurisdiction.pleadings]
    order = list(dict.fromkeys(e.group for e in [*exhibits, *recordings]))
    # each group's exhibits together, in the order the groups first come: the notices before a loan's
    # acceleration (US-19) go with its payments and default where no plan was agreed, after the
    # notice history the demands add
    exhibits.sort(key=lambda e: order.index(e.group))
    names = {key: w.group(key, n) for n, key in enumerate(order, start=1)}
    exhibits = [replace(e, group=names[e.group], received_at=_received(e, filed.copies)) for e in exhibits]
    recordings = [replace(e, group=names[e.group]) for e in recordings]
    return PacketPlan(cf.case.ref, locale, pleadings, exhibits, recordings, missing,
                      filer_forms=filer_forms(cf), withheld=list(withheld.values()),
                      not_held=_visit_recordings_not_held(w, cf, items, locale), redactions=filed.copies,
                      masked_numbers=_masked_numbers(cf, redaction), warnings=postal.untracked_letters(cf))


def _received(exhibit: Exhibit, copies: dict[int, EvidenceItem]) -> datetime | None:
    """When the latest record `exhibit` files was uploaded: an original's time where a redacted copy
    (`copies`: a copy's id -> its original) is filed in its place, since a review covers the record,
    not the copy made of it for filing."""
    return max((copies.get(i.id, i).received_at for i in exhibit.evidence), default=None)


def _not_filed(w: _Words, uploads: list[EvidenceItem], filed: Filed, taken: set[int],
               named: dict[int, str]) -> dict[int, str]:
    """Why each upload no exhibit takes and no rule above names (`named`) is not filed, so that the
    plan leaves none out unsaid: a redacted copy where filings show the original whole (CN), a copy
    a later copy of the same original replaces, an upload of a category no exhibit of the packet
    files. An original filed as its redacted copy is not among them: the manifest names it."""
    words, out = w.c["not_filed"], {}
    replaced = {original.id for original in filed.copies.values()}
    copy_of = {original.id: copy_id for copy_id, original in filed.copies.items()}  # an original -> its filed copy
    for item in uploads:
        if item.id in taken or item.id in named or item.id in replaced:
            continue
        if item.redaction_of is not None and item.redaction_of in copy_of:
            out[item.id] = str(words["copy_replaced"]).format(title=item.title, evidence_id=item.id,
                                                             original_id=item.redaction_of,
                                                             filed_id=copy_of[item.redaction_of])
        elif item.redaction_of is not None:
            out[item.id] = str(words["copy_of_original"]).format(title=item.title, evidence_id=item.id,
                                                                original_id=item.redaction_of)
        else:
            out[item.id] = str(words["category"]).format(title=item.title, evidence_id=item.id,
                                                        category=w.label("categories", item.category))
    return out


def _masked_numbers(cf: CaseFile, redaction: Redaction | None) -> dict[str, str]:
    """The case's account numbers as the forum's filings may show them (empty where it shows them whole)."""
    if redaction is None:
        return {}
    numbers = [cf.contract.contract_no, *(p.agreement_no for p in cf.plans)]
    return {n: redaction.redact(n) for n in numbers if n}


def _names_of(item: EvidenceItem) -> tuple[str, str]:
    """What a recording's reference may be: its file's name without the extension, or its SHA-256."""
    return item.sha256, PurePath(item.filename).stem


def recorded_call(cf: CaseFile, item: EvidenceItem) -> Communication | None:
    """The call of the contact history a recording is of: the communication whose recording_ref
    names the file (its name without the extension, or its SHA-256)."""
    return next((c for c in cf.communications if c.recording_ref and c.recording_ref in _names_of(item)), None)


def recorded_visit(cf: CaseFile, item: EvidenceItem) -> Visit | None:
    """The visit a recording is of: the visit made whose record names the file among its
    recordings (visit.recording_refs: the file's name without the extension, or its SHA-256)."""
    names = _names_of(item)
    return next((v for v in cf.visits if v.started_at is not None and any(str(r) in names for r in v.recording_refs)),
                None)


def _visit_recordings_not_held(w: _Words, cf: CaseFile, items: list[EvidenceItem], locale: str) -> list[str]:
    """Each recording a made visit's record names (录音录像编号) that no uploaded recording is: the
    index cannot list it, and the plan says why rather than leave it out unsaid. Not a reason for
    DRAFT: the visit is proved by its record; the recording corroborates it."""
    held = {name for i in items if i.media_type.startswith("audio/") for name in _names_of(i)}
    words = str(w.c["not_held"]["visit_recording"])
    return [words.format(ref=ref, visit_date=_day(_local_day(cf, started), locale),
                         category=w.label("categories", "visit_recording"))
            for v, started in ((v, v.started_at) for v in cf.visits if v.started_at is not None)
            for ref in (str(r) for r in v.recording_refs) if ref not in held]


CONSENT_RULE = "US-26"


def consent_law(cf: CaseFile) -> str | None:
    """The law of the borrower's state that requires every party's consent to record a call (US-26:
    Cal. Penal Code 632), or None where the case's rules name none for its state."""
    rules = load_ruleset(cf.case.profile)
    if not rules.has(CONSENT_RULE) or not cf.case.us_state:
        return None
    found = rules.param(CONSENT_RULE, "all_party_consent").get(cf.case.us_state)
    return str(found) if found else None


def _unlawful_recording(w: _Words, cf: CaseFile, item: EvidenceItem) -> str | None:
    """Why a recording is not filed: in a state that requires the consent of every party to record
    a call (US-26), a recording whose call the contact history does not show as disclosed and
    consented to (communication.recording_consent) — or that no call of the history is tied to."""
    if (law := consent_law(cf)) is None:
        return None
    call = recorded_call(cf, item)
    if call is not None and call.recording_consent:
        return None
    words = w.c["recording_consent"]
    state = w.label_in(words["states"], cf.case.us_state, "recording consent state")
    return str(words["withheld"]).format(title=item.title, state=state, law=law)


def _recording(w: _Words, cf: CaseFile, item: EvidenceItem, locale: str) -> Exhibit:
    """A recording, named by the call it records where the contact history ties one to it: the
    borrower-local date and time, the zone, the number called as the filing masks it; or by the
    visit whose record names it (visit.recording_refs): the visit's day, which ties it to that
    record (the reference, kept whole, is wider than the index's cells: ``ref`` for the content
    that has room for it; a packet's file name carries it)."""
    words = {"title": item.title, "origin": item.source, "purpose": item.purpose, "consent": ""}
    if (visit := recorded_visit(cf, item)) is not None and visit.started_at is not None:
        ref = next(str(r) for r in visit.recording_refs if str(r) in _names_of(item))
        words |= {"visit_date": _day(_local_day(cf, visit.started_at), locale), "ref": ref}
        return w.exhibit("recording_of_visit", "recordings", "evidence", evidence=(item,), words=words,
                         params={"visit_id": str(visit.id)})
    if (call := recorded_call(cf, item)) is None:
        return w.exhibit("recording", "recordings", "evidence", evidence=(item,), words=words)
    tz = cf.borrower.timezone or load_ruleset(cf.case.profile).timezone
    at = datetime.fromisoformat(call.local_time) if call.local_time else call.sent_at.astimezone(ZoneInfo(tz))
    words |= {"call_at": datetime_cn(at) if w.zh else datetime_en(at), "call_date": long_date(at, locale),
              "call_time": time_hm(at) if w.zh else time_en(at), "zone": w.c["time_zones"].get(tz, tz),
              "number": (masked := mask_phone(call.to_address, load_ruleset(cf.case.profile))),
              "number_tail": masked[len(masked.rstrip("0123456789")):], "ref": call.recording_ref}
    params = {"communication_id": str(call.id)}
    if (law := consent_law(cf)) is not None:  # filed only with its consent (US-26), which its purpose states
        words["consent"] = str(w.c["recording_consent"]["given"]).format(law=law)
        params["recording_consent"] = law
    return w.exhibit("recording_of_call", "recordings", "evidence", evidence=(item,), words=words, params=params)


def filer_forms(cf: CaseFile) -> list[FilerForm]:
    """The court forms of the case's state that the filer adds to the packet (US-24's table)."""
    rules = load_ruleset(cf.case.profile)
    if not rules.has(FILER_FORMS_RULE) or not cf.case.us_state:
        return []
    table, stages = rules.param(FILER_FORMS_RULE, "forms"), list(rules.param(FILER_FORMS_RULE, "stages"))
    forms = [FilerForm(f["form"], f["title"], f["source"], f.get("stage", stages[0]), f.get("court", ""))
             for f in [*table.get(cf.case.us_state, []), *table.get(EVERY_STATE, [])]]
    return sorted(forms, key=lambda f: stages.index(f.stage))  # by step, each state's own first


def _standing(w: _Words, cf: CaseFile, items: list[EvidenceItem], missing: list[str],
              licences: dict[str, str]) -> list[Exhibit]:
    """主体资格, the packet's first group: who sues, who represents it, who is sued (domain-collections
    §1.4 item 1, §1.6). A required document not on file is named missing and keeps its row, so the
    exhibits are numbered the same once it is uploaded."""
    out = [_required(w, items, missing, "business_licence", "business_licence")]
    licence = licences.get(cf.lender.licence_type)
    if licence is not None:  # the licence its cause of action rests on (CN-30)
        out.append(_required(w, items, missing, licence, "lender_licence"))
    elif uploaded := _uploads(items, "lender_licence"):  # another business's licence, filed where uploaded
        out.append(w.exhibit("lender_licence", "standing", "evidence", evidence=uploaded))
    lender = cf.lender
    if blank := [name for name, value in (("legal_rep", lender.legal_rep), ("legal_rep_title", lender.legal_rep_title),
                                          ("uscc", lender.uscc)) if not value.strip()]:
        missing.append(w.missing("legal_rep_certificate", fields=w.c["list_joiner"].join(
            w.label("lender_fields", n) for n in blank)))
    else:  # the lender certifies its representative itself: rendered from the lender's record
        out.append(w.exhibit("legal_rep_certificate", "standing", "render"))
    if (firm := cf.law_firm) is not None:  # counsel's authority (解释 art. 88): the firm's letter, the licence
        words = {"firm": firm.name, "lawyer": firm.lead_lawyer, "lawyer_licence": firm.lead_lawyer_licence}
        out += [_required(w, items, missing, "law_firm_letter", "law_firm_letter", words),
                _required(w, items, missing, "lawyer_licence", "lawyer_licence", words)]
    if identity := _uploads(items, "borrower_id"):
        out.append(w.exhibit("borrower_id", "standing", "evidence", evidence=identity))
    return out


def _required(w: _Words, items: list[EvidenceItem], missing: list[str], key: str, category: str,
              words: dict[str, str] | None = None) -> Exhibit:
    """A standing document uploaded as `category`; named missing while there is none."""
    if not (uploaded := _uploads(items, category)):
        missing.append(w.missing(key, category=category, **(words or {})))
    return w.exhibit(key, "standing", "evidence", evidence=uploaded, words=words or {}, missing=not uploaded)


def _contract(w: _Words, items: list[EvidenceItem], missing: list[str], *, licence: bool) -> list[Exhibit]:
    """`licence`: the lender's licence goes with the contract (a jurisdiction without a standing group)."""
    out = []
    if licence and (uploaded := _uploads(items, "lender_licence")):
        out.append(w.exhibit("lender_licence", "contract", "evidence", evidence=uploaded))
    if not (contract := _uploads(items, "loan_contract")):
        missing.append(w.missing("loan_contract", category="loan_contract"))
    out.append(w.exhibit("loan_contract", "contract", "evidence",
                         evidence=contract + _uploads(items, "esign_certificate"), missing=not contract))
    if not (disbursement := _uploads(items, "disbursement")):
        missing.append(w.missing("disbursement", category="disbursement"))
    # its source as each upload recorded it (a bank's e-receipt, a payment institution's record), the
    # generic words only while none is on file (reader, CN-00060: 银行 / 支付机构 beside an uploaded 银行电子回单)
    paid_out = w.origin(uploads=disbursement) if disbursement else str(w.c["origins"]["disbursement"])
    out.append(w.exhibit("disbursement", "contract", "evidence", evidence=disbursement, missing=not disbursement,
                         words={"origin": paid_out}))
    return out


def _performance(w: _Words) -> list[Exhibit]:
    return [w.exhibit("repayment_schedule", "performance", "render"),
            w.exhibit("payment_history", "performance", "render")]


def _demands(w: _Words, cf: CaseFile, items: list[EvidenceItem], documents: list[GeneratedDocument],
             missing: list[str], withheld: dict[int, str], locale: str) -> list[Exhibit]:
    # a lawyer letter is an exhibit of its own where the locale names one (民法典 art. 195: the
    # latest demand that interrupts limitation), else a notice of the history's
    own = tuple(k for k in OWN_EXHIBIT if k in w.c["exhibits"])
    # the notices before an acceleration (US-19) where they are an exhibit of their own
    # (_acceleration_notices): each notice is filed once (review US-00014: Exhibits 5 and 6 both held them)
    accelerating = acceleration_notice_kinds(cf)
    notices = _docs(documents, *(k for k in NOTICE_KINDS if k not in own and k not in accelerating))
    proofs = _uploads(items, "notice_delivery")
    origin = w.origin("contact_log", *(("notice_copies",) if notices else ()), uploads=proofs)
    out = [w.exhibit("notice_history", "demands", "render", documents=notices, evidence=proofs,
                     delivered=_reached(cf), words={"origin": origin}, mailed=_mailed_under(cf, notices))]
    # A visit record the borrower signed on site is filed as signed: the scan uploaded as
    # signed_visit_record (the signed agreement's way), never the form rendered from the case, and
    # a signed visit without one is named missing (scans match the visit they name: _visit_scans).
    # A record not signed (refused, absent) is the record rendered from the case, whose exhibit row
    # states why it bears no signature of the borrower.
    # A scan the packet does not file is named with the reason (_scans_not_filed): one naming a
    # visit the borrower did not sign, or one not made (refused at upload since; an older one, or a
    # visit recorded otherwise later, may still name one), one a later scan of the same visit
    # replaces, one naming no visit that no signed visit is left to take.
    photos = _uploads(items, "visit_photo")
    uploaded = _uploads(items, "signed_visit_record")
    scans = _visit_scans(cf, uploaded)
    withheld |= _scans_not_filed(w, cf, uploaded, scans, locale)
    if not any(v.started_at is not None for v in cf.visits):  # no visit's record for the photos to follow
        withheld |= {p.id: str(w.c["visit_scan"]["photo_without_visit"]).format(title=p.title, evidence_id=p.id)
                     for p in photos}
    for visit, started in ((v, v.started_at) for v in cf.visits if v.started_at is not None):
        words = {"visit_date": _day(_local_day(cf, started), locale)}
        params = {"visit_id": str(visit.id)}
        if visit.signature == "signed":
            scan = (scans[visit.id],) if visit.id in scans else ()
            if not scan:
                missing.append(w.missing("signed_visit_record", category="signed_visit_record", **words))
            out.append(w.exhibit("signed_visit_record", "demands", "evidence", evidence=scan + photos, params=params,
                                 words=words, missing=not scan))
        else:
            out.append(w.exhibit("visit_record", "demands", "render", evidence=photos, params=params, words=words,
                                 variant=visit.signature))
        photos = ()  # photos follow the first visit's record
    for kind in own:
        for letter in _docs(documents, kind):
            # the day it reached the borrower, where recorded: the demand interrupts limitation from then
            arrived = _delivered_on(cf, letter)
            out.append(w.exhibit(kind, "demands", "document", documents=(letter,), params={"delivery_of": kind},
                                 mailed=_mailed_under(cf, (letter,)),
                                 words={"letter_date": _day(letter.as_of_date, locale),
                                        "delivered_date": _day(arrived, locale) if arrived else "",
                                        "origin": w.origin("letter_copy", "contact_log")},
                                 delivered=arrived is not None))
    return out


def _mailed_under(cf: CaseFile, documents: Sequence[GeneratedDocument]) -> tuple[Waybill, ...]:
    """The carrier and tracking number each of `documents` was mailed under, in the order they were
    sent, where the communication that sent it records one (postal, DOC-11)."""
    ids = {d.id for d in documents}
    hashes = {d.sha256 for d in documents}
    sent = sorted((c for c in cf.communications if c.tracking_no and postal.mailed(c)
                   and (c.document_id in ids or (c.content_hash and c.content_hash in hashes))),
                  key=lambda c: (c.sent_at, c.id))
    return tuple(dict.fromkeys(Waybill(str(c.carrier), str(c.tracking_no)) for c in sent))


def _delivered_on(cf: CaseFile, document: GeneratedDocument) -> date | None:
    """The borrower-local day the communication that sent `document` records it delivered."""
    days = [_local_day(cf, c.delivered_at or c.sent_at) for c in cf.communications  # rows before 0030: sent_at
            if c.direction == Direction.OUT and c.outcome == Outcome.DELIVERED
            and (c.document_id == document.id or (c.content_hash and c.content_hash == document.sha256))]
    return min(days, default=None)


def _scans_not_filed(w: _Words, cf: CaseFile, uploaded: tuple[EvidenceItem, ...], scans: dict[int, EvidenceItem],
                     locale: str) -> dict[int, str]:
    """Why each signed visit record's scan the packet does not file is left out, in upload order:
    it names a visit the borrower did not sign (the record refused, or made in the borrower's
    absence, is filed as made, never a signed scan of it) or one not made; a later scan names the
    same visit (the latest is filed, ``_visit_scans``); or it names no visit and every signed visit
    has its scan."""
    words, out = w.c["visit_scan"], {}
    visits = {v.id: v for v in cf.visits}
    filed = {scan.id for visit_id, scan in scans.items() if (v := visits.get(visit_id)) is not None
             and v.started_at is not None and v.signature == "signed"}
    for scan in (s for s in uploaded if s.id not in filed):
        if scan.visit_id is None:
            out[scan.id] = str(words["withheld_unnamed"]).format(title=scan.title, evidence_id=scan.id)
            continue
        visit = visits.get(scan.visit_id)
        if visit is None or visit.started_at is None:
            out[scan.id] = str(words["withheld_unmade"]).format(title=scan.title, evidence_id=scan.id,
                                                               visit_id=scan.visit_id)
            continue
        visit_date = _day(_local_day(cf, visit.started_at), locale)
        if visit.signature == "signed":  # a later upload names the same visit: that one is filed
            out[scan.id] = str(words["withheld_replaced"]).format(title=scan.title, evidence_id=scan.id,
                                                                 visit_date=visit_date, filed_id=scans[visit.id].id)
            continue
        why = w.label_in(words["why"], visit.signature, "visit signature")
        out[scan.id] = str(words["withheld"]).format(title=scan.title, evidence_id=scan.id, why=why,
                                                    visit_date=visit_date)
    return out


def _visit_scans(cf: CaseFile, scans: tuple[EvidenceItem, ...]) -> dict[int, EvidenceItem]:
    """Each signed visit's scan: the one uploaded naming the visit (evidence_item.visit_id, the
    latest where several do). Scans uploaded without a visit (before uploads named one) go, in
    upload order, to the signed visits no scan names, in the order they were made: the first
    uploaded to the first visit — the only way to tell them apart then, and wrong where they were
    uploaded in another order, which is why an upload names its visit."""
    found = {s.visit_id: s for s in scans if s.visit_id is not None}
    unnamed = [s for s in scans if s.visit_id is None]
    for visit in cf.visits:
        if visit.started_at is not None and visit.signature == "signed" and visit.id not in found and unnamed:
            found[visit.id] = unnamed.pop(0)
    return found


def _local_day(cf: CaseFile, moment: datetime) -> date:
    """The day of a moment where the borrower lives (a visit's day as its record dates it)."""
    return moment.astimezone(ZoneInfo(cf.borrower.timezone or load_ruleset(cf.case.profile).timezone)).date()


def _agreement(w: _Words, cf: CaseFile, items: list[EvidenceItem], documents: list[GeneratedDocument],
               missing: list[str], locale: str) -> list[Exhibit]:
    plan = cf.current_plan
    if plan is None:
        return []
    words = {"agreement_no": plan.agreement_no, "agreement_date": _day(plan.signed_date or plan.as_of_date, locale)}
    # An exhibit described as a signed agreement is the signed scan (issue 10): none on file, the plan
    # names it missing and its row claims no original (the index, the covers and the contents say so)
    if not (signed := _uploads(items, "signed_agreement")):
        missing.append(w.missing("signed_agreement", category="signed_agreement", **words))
    out = [w.exhibit("signed_agreement", "agreement", "evidence", evidence=signed, words=words, missing=not signed)]
    if cf.breaches:
        if not (notices := _docs(documents, "breach_notice")):
            missing.append(w.missing("breach_notice"))
        if not _sent(cf, "breach_notice"):
            missing.append(w.missing("breach_notice_delivery"))
        # the notice, then its delivery record: the communication rows (channel, address, sent at, status)
        out.append(w.exhibit("breach_notice", "agreement", "document", documents=notices,
                             params={"delivery_of": "breach_notice"},
                             words={"origin": w.origin("notice_copies", "contact_log")},
                             delivered=_sent(cf, "breach_notice", delivered=True), missing=not notices,
                             mailed=_mailed_under(cf, notices)))
    return out


def acceleration_notice_kinds(cf: CaseFile) -> tuple[str, ...]:
    """The notice kinds the packet files as an exhibit of their own (``_acceleration_notices``): where
    the state requires notice before acceleration (US-19) and the case is accelerated, the notice of
    intent to accelerate and the notice of acceleration; none otherwise."""
    law = acceleration.notice_law(load_ruleset(cf.case.profile), cf)
    recorded = cf.case.accelerated_on
    if law is None or not law.applies or recorded is None:
        return ()
    if effective_acceleration(cf, recorded).on is None:  # the debt had matured: the pleadings claim no acceleration
        return ()
    return (law.intent_kind, law.acceleration_kind)


def _acceleration_notices(w: _Words, cf: CaseFile, documents: list[GeneratedDocument], missing: list[str],
                          locale: str) -> list[Exhibit]:
    """Where the state requires notice before acceleration (US-19) and the case is accelerated: the
    notice of intent to accelerate and the notice of acceleration, each with its delivery record —
    the acceleration the pleadings claim rests on them, so the packet proves both. The notice
    history leaves them out (each notice once)."""
    kinds = acceleration_notice_kinds(cf)
    if not kinds:
        return []
    notices = _docs(documents, *kinds)
    for kind in kinds:
        if not any(d.kind == kind for d in notices):
            missing.append(w.missing(kind))
        elif not _sent(cf, kind):
            missing.append(w.missing(f"{kind}_delivery"))
    sent = {k: [d.as_of_date for d in notices if d.kind == k] for k in kinds}
    words = {f"{k}_date": _day(sent[k][0], locale) if sent[k] else "—" for k in kinds}
    group = "agreement" if cf.current_plan is not None else "performance"
    return [w.exhibit("acceleration_notices", group, "document", documents=notices,
                      params={"delivery_of": ",".join(kinds)},
                      words=words | {"origin": w.origin("notice_copies", "contact_log")},
                      missing=not all(any(d.kind == k for d in notices) for k in kinds),
                      mailed=_mailed_under(cf, notices))]


def _sent(cf: CaseFile, kind: str, *, delivered: bool = False) -> bool:
    """Whether the case's communication history records a notice of `kind` sent to the borrower
    (`delivered`: and recorded as delivered, "mark delivered")."""
    return any(c.template_kind == kind and c.direction == Direction.OUT and c.party_kind == PartyKind.BORROWER
               and (not delivered or c.outcome == Outcome.DELIVERED) for c in cf.communications)


def _reached(cf: CaseFile) -> bool:
    """Whether any demand of the history reached the borrower (delivered, or a conversation with
    them): what interrupts limitation (民法典 art. 195, ``demands.interrupts``; a visit notice,
    which demands nothing, does not)."""
    return any(demands.interrupts(c) for c in cf.communications)


def _costs(w: _Words, items: list[EvidenceItem]) -> list[Exhibit]:
    engagement = _uploads(items, "lawyer_engagement")
    return [w.exhibit("lawyer_engagement", "costs", "evidence", evidence=engagement)] if engagement else []
