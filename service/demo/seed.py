"""Realistic demo cases in every stage, deterministic from a seed (its keys and passwords are not:
they are random, made at the first seeding and kept for `dossier demo credentials`).

Cases are imported through the same use-case as the API (so they pass the same validation and
write the same audit events); their history — payments, contacts, visits, plans, breaches — is
then laid down date by date up to an anchor date, consistent with each stage's guards. The anchor
is the day the demo is seeded (`dossier demo seed --anchor DATE` picks another), so planned visits,
plan instalments and deadlines lie around that day; the same seed and anchor give the same data.
"""

import hashlib
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from random import Random
from typing import cast
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.access.models import ApiKey, User
from service.access.security import hash_password, new_api_key
from service.audit.models import AuditEvent
from service.cases import firms
from service.cases import service as case_service
from service.cases.enums import Stage
from service.cases.models import DebtCase, LawFirm
from service.cases.schedule import ScheduledInstalment, add_months, build_schedule
from service.cases.schemas import CaseImport, LawFirmIn
from service.core import trail
from service.core.clock import utcnow
from service.core.settings import Settings
from service.demo import clauses, history
from service.demo.data import LAW_FIRMS, LENDERS, RXTZ_TWIN, US_COLLECTOR, US_LENDER, US_PEOPLE
from service.demo.documents import generate_demo_notices, send_letter
from service.demo.evidence import upload_demo_evidence
from service.demo.models import DemoCredential
from service.demo.people import cn_contacts, cn_person, us_person

ACTOR = "demo-seed"
CN_STAGES = [s for s in Stage]
# Every US stage up to pre-litigation (US cases have no visits); the court-bound ones come early so that
# a small demo already has them.
US_STAGES = [Stage.REMINDER, Stage.PRE_LITIGATION, Stage.PHONE, Stage.PLAN_BREACHED, Stage.PLAN_ACTIVE,
             Stage.PROMISE, Stage.CURED, Stage.NEGOTIATING, Stage.CURRENT]
US_EVERY = 7  # every seventh demo case is a US one
# The court sets (`dossier demo seed`, `make samples`): after the cases above, one case at pre-litigation for
# each CN lender, so every licence type's 案由 has its complaint and court papers, and one for each state of
# the US state table (US-15), so an affidavit of debt is made under each state's limitation and venue.
COURT_SET_STATES = ("NY", "CA", "IL", "TX")
# Then, after them (so no case before changes), the suit of a lender that never agreed a plan: the
# borrower missed several instalments, was reminded, called (and in China visited) and sent a demand;
# the lender declared the whole loan due under the contract's own acceleration clause (ESC-12) and
# sues on the contract. One CN case, a bank's (its claim statement prints the contract's instalment
# tables with compound interest), and one US case in a state whose law asks for a notice of intent
# to accelerate and a notice of acceleration (US-19: Texas).
ON_CONTRACT_LENDER = "JNBK"
# The CN cases at pre-litigation of the cases above, the third round of CN_STAGES on (a demo of 64
# cases has one: CN-00044): the plan breached, the debt accelerated under the agreement and the
# partner firm assigned, but its lawyer letter still to go out, so legal staff can send one from the
# demo whatever its anchor (the others' letters have gone out and reached the borrower: DOC-08, DOC-09).
LETTER_DUE_ROUND = 2
ON_CONTRACT_STATE = "TX"
# Early US stages are worked by a third-party collector (validation notice, debt-collector statements);
# the original creditor keeps the rest and files suit.
COLLECTOR_STAGES = {Stage.PHONE, Stage.PROMISE, Stage.NEGOTIATING}
# A demo plan reschedules the arrears and keeps the principal not yet due on the contract's dates
# (C09-1), so a plan outlives the loan unless the loan had run its term. The US cases at
# pre-litigation of the cases above (not the court sets) tell that story: the borrower missed the
# loan's last instalment, the plan spread the whole balance, and the last plan instalment was the one
# missed, so the plan had matured before the acceleration the demo records (US-21: nothing to
# accelerate; the affidavit counts limitation from that instalment).
MATURED_LOAN = {("US", Stage.PRE_LITIGATION)}
# A loan accelerated on its contract: its first unpaid instalment is some months old (past the
# clause's 90 / 30 days, the demand and the lawyer letter's deadline), and its term runs two or
# three years, so the acceleration brings instalments forward that were not yet due.
ON_CONTRACT_DPD = (130, 190)
ON_CONTRACT_MIN_PERIODS = 24
# Days past due of the first unpaid instalment, by stage (the visit and plan stages are older).
DPD = {
    Stage.CURRENT: (0, 0), Stage.REMINDER: (2, 6), Stage.PHONE: (9, 25), Stage.PROMISE: (10, 20),
    Stage.CURED: (15, 25), Stage.VISIT_PLANNED: (35, 60), Stage.VISIT_NOTIFIED: (40, 70),
    Stage.VISIT_DONE: (45, 80), Stage.NEGOTIATING: (50, 90), Stage.PLAN_ACTIVE: (150, 200),
    Stage.PLAN_BREACHED: (160, 220), Stage.PRE_LITIGATION: (260, 330), Stage.FILED: (300, 380),
    Stage.JUDGMENT: (360, 460), Stage.ENFORCEMENT: (420, 520), Stage.CLOSED_PAID: (0, 0),
}
RATES = {"consumer_finance": (1500, 2390), "bank": (600, 1200), "micro_loan": (1800, 2400),
         "other_licensed": (1400, 2000), "non_licensed": (1000, 2000)}
# A US loan is lawful in every demo state (US-20): 9.5–15.5 % a year is below New York's 16 % on a
# loan above $25,000 and Texas's 18 %, and interest after default runs at the contract rate, never
# above a ceiling. The range is as wide as other_licensed's, so the demo's random draws stay the same.
US_RATES = (950, 1550)
PRODUCTS = ["随心贷", "安居分期", "薪享贷", "易购分期"]
PLAIN_CONTRACT = ("non_licensed", "other_licensed")  # lenders whose contract is a plain 《借款合同》
ROLES = ("admin", "legal_staff", "collector", "law_firm")


@dataclass
class SeedResult:
    cases: int
    keys: dict[str, str] = field(default_factory=dict)
    logins: dict[str, str] = field(default_factory=dict)


def has_cases(session: Session) -> bool:
    return session.scalar(select(DebtCase.id).limit(1)) is not None


def seeded_on(session: Session) -> date | None:
    """The anchor of the latest demo seeding, or None when no demo was seeded."""
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "demo.seeded")
                            .order_by(AuditEvent.seq.desc()).limit(1)).first()
    return date.fromisoformat(event.data["anchor"]) if event is not None else None


def demo_today(now: datetime | None = None, also: Sequence[str] = ()) -> date:
    """The default anchor: today where it is earliest among the demo's borrowers (Shanghai and the
    US zones), so no seeded event or document date lies in a borrower's future. Late in the UTC
    day Shanghai is already on the next date, and a US case anchored there was dated tomorrow.
    `also`: more zones to take the earliest date among (a case's own borrower's, for `dossier claim`)."""
    moment = now or utcnow()
    zones = {"Asia/Shanghai", *(person[2] for person in US_PEOPLE), *also}
    return min(moment.astimezone(ZoneInfo(tz)).date() for tz in zones)


def seed_demo(session: Session, *, anchor: date, cases: int = 64, seed: int = 20261128,
              settings: Settings | None = None, stages: Sequence[Stage] = (), court_sets: bool = False) -> SeedResult:
    """Seed the cases; with settings (a store to write to) also upload evidence for court-bound cases.
    With `stages`, only CN cases, at those stages in turn (the benchmarks' mailing lists). With
    `court_sets`, the court sets follow (COURT_SET_STATES, then the two accelerated on the contract),
    numbered on from the cases; each draws from its own random stream, so the cases before them are
    the same with or without them."""
    rng = Random(seed)
    firms = _firms(session)
    numbers = {"CN": 0, "US": 0}
    for k in range(cases):
        us = k % US_EVERY == US_EVERY - 1 and not stages
        profile = "US" if us else "CN"
        nth = numbers[profile]
        numbers[profile] += 1
        if stages:
            stage = stages[nth % len(stages)]
        else:
            stage = US_STAGES[nth % len(US_STAGES)] if us else CN_STAGES[nth % len(CN_STAGES)]
        case = _one_case(session, rng, k, f"{profile}-{nth + 1:05d}", stage, us, anchor, firms,
                         letters=_letters(session, settings, anchor))
        if settings is not None:
            letter_due = (not (us or stages) and stage is Stage.PRE_LITIGATION
                          and nth // len(CN_STAGES) >= LETTER_DUE_ROUND)
            generate_demo_notices(session, settings, case, anchor, lawyer_letter=not letter_due)
            upload_demo_evidence(session, settings, Random(f"{seed}-{k}"), case, anchor=anchor)
    court = _court_sets() if court_sets and not stages else []
    for n, (profile, lender, person, on_contract) in enumerate(court):
        nth = numbers[profile]
        numbers[profile] += 1
        k = cases + n
        case = _one_case(session, Random(f"{seed}-court-{n}"), person, f"{profile}-{nth + 1:05d}",
                         Stage.PRE_LITIGATION, profile == "US", anchor, firms, lender=lender, on_contract=on_contract,
                         letters=_letters(session, settings, anchor))
        if settings is not None:
            generate_demo_notices(session, settings, case, anchor)
            upload_demo_evidence(session, settings, Random(f"{seed}-{k}"), case, anchor=anchor)
    trail.record(session, actor=ACTOR, action="demo.seeded", object_type="demo", object_id=str(seed),
                 data={"anchor": anchor.isoformat(), "cases": cases + len(court)})
    result = SeedResult(cases=cases + len(court))
    result.keys = _demo_keys(session, firms)
    result.logins = _demo_logins(session, firms)
    return result


def _letters(session: Session, settings: Settings | None, anchor: date) -> history.LetterSender | None:
    """With a store, the letters a history sends are generated as the documents themselves."""
    if settings is None:
        return None
    return lambda case, kind, stage, day: send_letter(session, settings, case, kind, stage, day, anchor)


def _court_sets() -> list[tuple[str, Mapping[str, object], int, bool]]:
    """(profile, lender, person index, accelerated on the contract) of each court-set case: every CN
    lender (by licence type), then the original creditor suing a borrower in each state of
    COURT_SET_STATES (the person index picks a US_PEOPLE entry living there; CN cases draw their
    borrower, the index is unused), each after a breached repayment plan; then the two whose lender
    agreed no plan and accelerated the loan under its contract (ON_CONTRACT_LENDER, ON_CONTRACT_STATE)."""
    states = [us_state_of(person[3]) for person in US_PEOPLE]
    sets: list[tuple[str, Mapping[str, object], int, bool]] = [("CN", lender, n, False)
                                                              for n, lender in enumerate(LENDERS)]
    sets += [("US", US_LENDER, states.index(state), False) for state in COURT_SET_STATES]
    bank = next(n for n, lender in enumerate(LENDERS) if lender["code"] == ON_CONTRACT_LENDER)
    return [*sets, ("CN", LENDERS[bank], bank, True), ("US", US_LENDER, states.index(ON_CONTRACT_STATE), True)]


def _names(us: bool, rng: Random, licence_type: object = "") -> dict[str, str]:
    """The product, and the contract's name as the contract gives it. A lender without a lending
    licence, or licensed for another business (a commercial factoring company lending to a person,
    pleaded as 民间借贷), has no branded consumer-loan product: its contract is a plain 《借款合同》
    (the draw is made all the same, so every case's random stream stays as it was)."""
    if us:
        return {"product_name": "Personal Installment Loan", "title": "Personal Installment Loan Agreement"}
    product = rng.choice(PRODUCTS)
    if licence_type in PLAIN_CONTRACT:
        return {"product_name": "个人借款", "title": "借款合同"}
    return {"product_name": product, "title": f"{product}个人消费借款合同"}


def _firms(session: Session) -> dict[str, LawFirm]:
    found = {f.code: f for f in session.scalars(select(LawFirm))}
    for data in LAW_FIRMS:
        if data["code"] not in found:  # recorded as any firm is, its postal code checked
            found[data["code"]] = firms.save_law_firm(session, LawFirmIn.model_validate(data))
    session.flush()
    return found


def _loan(rng: Random, lender: Mapping[str, object], stage: Stage, anchor: date, *, matured: bool = False,
          on_contract: bool = False) -> tuple[dict[str, object], list[ScheduledInstalment], date | None]:
    """The contract terms, its schedule, and the due date of the first instalment left unpaid
    (`matured`: the loan's last one, MATURED_LOAN; `on_contract`: accelerated on the contract,
    ON_CONTRACT_DPD and a term of ON_CONTRACT_MIN_PERIODS months or more)."""
    low, high = ON_CONTRACT_DPD if on_contract else DPD[stage]
    dpd = rng.randint(low, high)
    periods = rng.choice([6, 12, 12, 24, 36])
    if on_contract:
        periods = max(periods, ON_CONTRACT_MIN_PERIODS)
    if stage in (Stage.CURRENT,):
        paid_before = rng.randint(1, periods - 2)
        first_due = add_months(anchor + timedelta(days=rng.randint(3, 25)), -paid_before)
    elif stage is Stage.CLOSED_PAID:
        first_due = add_months(anchor - timedelta(days=rng.randint(20, 200)), -(periods - 1))
        paid_before = periods
    else:
        paid_before = rng.randint(1, min(6, periods - 1))
        if matured:  # drawn all the same, so the random stream stays as it was
            paid_before = periods - 1
        first_due = add_months(anchor - timedelta(days=dpd), -paid_before)
    disbursed = add_months(first_due, -1)
    us = lender.get("profile") == "US"
    lo, hi = US_RATES if us else RATES[str(lender["licence_type"])]
    rate = Decimal(rng.randint(lo, hi)) / Decimal(10000)
    amount = Decimal(rng.randrange(30, 2000) * 100) if lender["licence_type"] != "bank" else \
        Decimal(rng.randrange(200, 3000) * 100)
    method = rng.choice(["equal_instalment", "equal_instalment", "equal_principal", "interest_only_bullet"])
    schedule = build_schedule(principal=amount, annual_rate=rate, periods=periods, first_due_date=first_due,
                              method=method, start_date=disbursed)
    contract = {
        "principal_agreed": amount, "disbursed_amount": amount, "disbursed_date": disbursed,
        "signed_date": disbursed, "nominal_rate": rate,
        "penalty_rate": rate if us else (rate * Decimal("1.5")).quantize(Decimal("0.0001")),
        "repayment_method": method, "day_basis": 360,
        # the acceleration clause (§8 / 第八条): an instalment more than 30 / 90 days overdue
        "acceleration_overdue_days": 30 if us else 90,
        "compound_allowed": lender["licence_type"] == "bank",
    }
    return contract, schedule, schedule[paid_before].due_date if paid_before < periods else None


def _first_phone(person: Mapping[str, object]) -> str:
    phones = cast(list[dict[str, str]], person["phones"])
    return phones[0]["number"]


RXTZ_TWIN_OF = "RXTZ"


def _rotation_lender(k: int) -> Mapping[str, object]:
    """The CN lender of the k-th case: the lenders in turn, RXTZ's every other turn going to its twin,
    so that neither lender without a licence has the loans on record (CN-32: 10 in 2 years) that
    would contradict its recorded occasional lending."""
    lender = LENDERS[k % len(LENDERS)]
    if lender["code"] == RXTZ_TWIN_OF and (k // len(LENDERS)) % 2:
        return RXTZ_TWIN
    return lender


def _one_case(session: Session, rng: Random, k: int, ref: str, stage: Stage, us: bool, anchor: date,
              firms: dict[str, LawFirm], lender: Mapping[str, object] | None = None,
              on_contract: bool = False, letters: history.LetterSender | None = None) -> DebtCase:
    matured = lender is None and ("US" if us else "CN", stage) in MATURED_LOAN  # not the court sets
    if lender is None:
        lender = (US_COLLECTOR if stage in COLLECTOR_STAGES else US_LENDER) if us else _rotation_lender(k)
    borrower = us_person(rng, anchor, k) if us else cn_person(rng, anchor)
    contract, schedule, unpaid_from = _loan(rng, lender, stage, anchor, matured=matured, on_contract=on_contract)
    no = f"{lender['code']}-{contract['signed_date']:%Y%m}-{rng.randrange(10**6):06d}"
    online = rng.random() < 0.7
    lender_term = clauses.lender_term(str(lender["licence_type"]))  # as the 案由 calls the lender
    data = CaseImport.model_validate(dict(  # validated like an API import
        ref=ref, profile="US" if us else "CN",
        # a case sued on the contract reaches pre-litigation through the process (history._escalate)
        stage=Stage.CURRENT if on_contract else stage,
        us_state=us_state_of(str(borrower["habitual_address"])) if us else "",
        lender={kk: v for kk, v in lender.items() if kk != "profile"}, borrower=borrower,
        contacts=[] if us else cn_contacts(rng),
        contract={
            **contract, "contract_no": no, "currency": "USD" if us else "CNY",
            **_names(us, rng, lender["licence_type"]),
            "signed_place": str(borrower["habitual_address"]) if us else (
                "线上（电子签约）" if online else "上海市浦东新区"),
            "channel": "online" if online else "offline",
            "esign": {"provider": "e签宝", "certificate_sn": f"CA{rng.randrange(10**12):012d}",
                      "document_sha256": hashlib.sha256(no.encode()).hexdigest()} if online and not us else {},
            "disbursement_ref": f"TRX{rng.randrange(10**14):014d}",
            "clause_refs": clauses.clause_refs(us),  # the sections its scan shows (demo.evidence)
            "agreed_service_address": borrower["habitual_address"], "service_phone": _first_phone(borrower),
            "e_service_consent": online,
            "jurisdiction_clause": f"由{lender_term}住所地人民法院管辖" if not us else "",
        },
        schedule=[{"no": s.no, "due_date": s.due_date, "principal": s.principal, "interest": s.interest}
                  for s in schedule],
    ))
    case = case_service.import_case(session, data, actor=ACTOR)
    history.build(session, rng, case, stage, anchor, unpaid_from, firms, matured=matured, on_contract=on_contract,
                  letters=letters)
    return case


def us_state_of(address: str) -> str:
    """The two-letter state of a US address ("…, Chicago, IL 60622")."""
    match = re.search(r",\s*([A-Z]{2})\s+\d{5}(?:-\d{4})?\s*$", address)
    return match.group(1) if match else ""


def _demo_keys(session: Session, firms: dict[str, LawFirm]) -> dict[str, str]:
    """One random key per role, made at the first seeding and kept (see service.demo.models)."""
    keys = stored_credentials(session, "api_key")
    for role in ROLES:
        if role not in keys:
            key, prefix, digest = new_api_key()
            session.add(ApiKey(prefix=prefix, key_hash=digest, role=role, label="demo", created_at=utcnow(),
                               law_firm_id=firms["ZHLAW"].id if role == "law_firm" else None))
            session.add(DemoCredential(kind="api_key", name=role, secret=key, created_at=utcnow()))
            keys[role] = key
    session.flush()
    return {_KEY_LABELS.get(role, role): keys[role] for role in ROLES}


_KEY_LABELS = {"law_firm": "law_firm (ZHLAW)"}
DEMO_LOGINS = {"admin": ("admin", None), "legal": ("legal_staff", None), "collector": ("collector", None),
               "zhlaw": ("law_firm", "ZHLAW"), "mdlaw": ("law_firm", "MDLAW")}


def _demo_logins(session: Session, firms: dict[str, LawFirm]) -> dict[str, str]:
    logins = stored_credentials(session, "login")
    for username, (role, firm) in DEMO_LOGINS.items():
        if username in logins or session.scalar(select(User.id).where(User.username == username)) is not None:
            continue
        password = secrets.token_urlsafe(9)
        session.add(User(username=username, display_name=username, role=role, created_at=utcnow(),
                         password_hash=hash_password(password), law_firm_id=firms[firm].id if firm else None))
        session.add(DemoCredential(kind="login", name=username, secret=password, created_at=utcnow()))
        logins[username] = password
    session.flush()
    return {user: logins[user] for user in DEMO_LOGINS if user in logins}


def stored_credentials(session: Session, kind: str) -> dict[str, str]:
    """The demo's keys (by role) or logins (by user name) as stored at seeding."""
    rows = session.execute(select(DemoCredential.name, DemoCredential.secret).where(DemoCredential.kind == kind))
    return {name: secret for name, secret in rows}


def demo_credentials(session: Session) -> tuple[dict[str, str], dict[str, str]]:
    """(keys by role label, passwords by user name) of the demo seeded in this database."""
    keys = stored_credentials(session, "api_key")
    return ({_KEY_LABELS.get(role, role): keys[role] for role in ROLES if role in keys},
            stored_credentials(session, "login"))
