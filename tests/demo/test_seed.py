"""Demo data: every stage, consistent ledgers, and the same data from the same seed."""

import hashlib
import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select

from service.cases import accounts
from service.cases.casefile import load_case_file
from service.cases.enums import Stage
from service.cases.ledger import Component
from service.cases.models import Communication, DebtCase, Payment, RepaymentPlan
from service.demo.catalogue import pick_court_sets
from service.demo.seed import demo_today, seed_demo
from tests.factories import DEMO_ANCHOR


def _digest(db) -> str:
    rows = []
    for case in db.scalars(select(DebtCase).order_by(DebtCase.ref)):
        cf = load_case_file(db, case.ref)
        rows.append([case.ref, case.stage, cf.borrower.name, cf.borrower.id_number, cf.contract.contract_no,
                     str(cf.contract.disbursed_amount), [(str(p.value_date), str(p.amount)) for p in cf.payments],
                     [(c.sent_at.isoformat(), c.outcome) for c in cf.communications]])
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()


def test_seed_covers_every_stage_and_is_deterministic(db):
    nested = db.begin_nested()
    seed_demo(db, anchor=DEMO_ANCHOR, cases=64, seed=7)
    first = _digest(db)
    stages = set(db.scalars(select(DebtCase.stage)))
    profiles = set(db.scalars(select(DebtCase.profile)))
    assert stages == {s.value for s in Stage}
    assert profiles == {"CN", "US"}
    assert db.scalar(select(RepaymentPlan.id).where(RepaymentPlan.status == "breached")) is not None
    assert db.scalar(select(Communication.id).where(Communication.channel == "call")) is not None
    nested.rollback()
    seed_demo(db, anchor=DEMO_ANCHOR, cases=64, seed=7)
    assert _digest(db) == first


def test_seeded_ledgers_reconcile(db):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=20, seed=3)
    for case in db.scalars(select(DebtCase)):
        cf = load_case_file(db, case.ref)
        last = max((p.value_date for p in cf.payments), default=cf.contract.disbursed_date)
        ledger = accounts.ledger_of(cf, last)
        paid = sum((p.amount for p in db.scalars(select(Payment).where(Payment.contract_id == cf.contract.id))),
                   Decimal(0))
        assert ledger.paid_total == paid
        applied = sum(ledger.paid.values(), Decimal(0))
        assert applied + ledger.unapplied == paid


def test_cli_end_to_end_on_a_fresh_database(tmp_path):
    """`dossier` from the shell: migrate, seed, claim, audit verify, create a key."""
    env = {**os.environ, "DOSSIER_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
           "DOSSIER_STORAGE_DIR": str(tmp_path / "store")}
    dossier = [sys.executable, "-m", "service.cli"]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        # the timeout only stops a hung command: seeding 16 cases took 307 s on a machine loaded by
        # two suites and helpers (44 s of CPU), so it is far above any run's time
        return subprocess.run([*dossier, *args], env=env, capture_output=True, text=True, timeout=900)

    assert run("db", "upgrade").returncode == 0
    seeded = run("demo", "seed", "--cases", "16")
    assert seeded.returncode == 0, seeded.stderr
    shown = run("demo", "credentials", "--role", "legal_staff")
    assert shown.returncode == 0 and shown.stdout.startswith("dsk_") and shown.stdout.strip() in seeded.stdout
    claim = run("claim", "CN-00012", "--json")
    assert claim.returncode == 0, claim.stderr
    view = json.loads(claim.stdout)
    parts = sum(Decimal(view[k]) for k in ("principal", "interest", "penalty", "compound", "fees"))
    assert parts == Decimal(view["claimed_total"])
    assert Decimal(view["court_fee"]["amount"]) == Decimal(view["claimed_total"])
    assert Decimal(view["court_fee"]["full"]) > 0 and view["cap"]["rule"].startswith("CN-16")
    human = run("claim", "CN-00012")
    assert "诉讼费" in human.stdout and "适用利率上限" in human.stdout  # a CN case prints its labels in Chinese (F33)
    assert run("claim", "NOPE-1").returncode == 1
    verify = run("audit", "verify")
    assert verify.returncode == 0 and "intact" in verify.stdout
    key = run("apikey", "create", "--role", "collector")
    assert key.returncode == 0 and key.stdout.startswith("dsk_")
    assert run("apikey", "create", "--role", "law_firm").returncode == 1  # must name its firm


def test_seed_at_chosen_stages_gives_cn_cases_at_those_stages(db):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=4, stages=[Stage.REMINDER, Stage.PHONE])
    cases = db.scalars(select(DebtCase).order_by(DebtCase.id)).all()
    assert [(c.profile, c.stage) for c in cases] == [("CN", Stage.REMINDER), ("CN", Stage.PHONE)] * 2


def test_demo_credentials_are_random_kept_and_shown_again(db):
    from service.access.models import User
    from service.access.security import password_matches
    from service.access.service import authenticate
    from service.demo.seed import _demo_keys, _firms, demo_credentials, stored_credentials

    nested = db.begin_nested()
    first = seed_demo(db, anchor=DEMO_ANCHOR, cases=2, seed=7)
    assert demo_credentials(db) == (first.keys, first.logins)
    for role, key in stored_credentials(db, "api_key").items():
        assert authenticate(db, f"Bearer {key}").role == role
    for user, password in first.logins.items():
        assert password_matches(password, db.scalar(select(User.password_hash).where(User.username == user)))
        assert password != f"demo-{user}"
    assert _demo_keys(db, _firms(db)) == first.keys  # seeding again keeps them
    nested.rollback()
    other = seed_demo(db, anchor=DEMO_ANCHOR, cases=2, seed=7)  # another install, the same seed
    assert set(other.keys.values()).isdisjoint(first.keys.values())
    assert set(other.logins.values()).isdisjoint(first.logins.values())


def test_the_default_anchor_is_today_where_it_is_earliest_among_the_demo_borrowers():
    # 18:30 UTC on 3 December: already 4 December in Shanghai, still 3 December in New York and
    # Los Angeles. Anchored on Shanghai's date, the US cases' documents were dated tomorrow.
    late = datetime(2026, 12, 3, 18, 30, tzinfo=UTC)
    assert late.astimezone(ZoneInfo("Asia/Shanghai")).date() == date(2026, 12, 4)
    assert demo_today(late) == date(2026, 12, 3)
    # 02:00 UTC: Shanghai is on 3 December, Los Angeles still on 2 December
    assert demo_today(datetime(2026, 12, 3, 2, 0, tzinfo=UTC)) == date(2026, 12, 2)
    # 09:00 UTC: 17:00 in Shanghai, 01:00 in Los Angeles, all on 3 December
    assert demo_today(datetime(2026, 12, 3, 9, 0, tzinfo=UTC)) == date(2026, 12, 3)


def test_an_agreement_signed_at_a_visit_is_the_visit_records_not_a_second_visit_contact(db):
    """The agreement is signed on the spot at the visit: the visit record holds it, on the signing
    day, and no communication row posts a second "visit" — so the facts record counts each visit
    once and its visit count is the visit log's."""
    from service.documents.contexts.facts import CaseFacts
    from tests.factories import demo_clock

    seed_demo(db, anchor=DEMO_ANCHOR, cases=40)
    assert db.scalar(select(Communication.id).where(Communication.channel == "visit")) is None
    signed = 0
    for ref in db.scalars(select(DebtCase.ref).where(DebtCase.profile == "CN").order_by(DebtCase.ref)):
        cf = load_case_file(db, ref)
        facts = CaseFacts(cf, DEMO_ANCHOR, demo_clock(tz=cf.borrower.timezone))
        h = facts.record.contacts
        since = facts.record.first_missed_due
        made = [v for v in cf.visits if v.started_at is not None
                and (since is None or v.started_at.astimezone(ZoneInfo(facts.tz)).date() >= since)]
        assert h.visits == len(made), ref
        plan = cf.current_plan
        if plan is not None and plan.signed_date is not None:
            days = {v.started_at.astimezone(ZoneInfo(facts.tz)).date() for v in made}
            assert plan.signed_date in days, ref  # signed on the spot, at the recorded visit
            signed += 1
    assert signed >= 3


def test_a_visited_borrowers_statement_is_their_own_and_agrees_with_their_recorded_work(db):
    """The visit record's 被访人陈述 comes from the borrower's recorded facts: the complaint states
    the borrower's 工作单位, so the statement names that work and never claims unemployment, and no
    two borrowers say the same words."""
    from service.cases.models import Visit
    from service.demo.data import SELF_EMPLOYED

    seed_demo(db, anchor=DEMO_ANCHOR, cases=12,
              stages=[Stage.VISIT_DONE, Stage.NEGOTIATING, Stage.PLAN_ACTIVE, Stage.PRE_LITIGATION])
    statements = []
    for visit in db.scalars(select(Visit).where(Visit.started_at.is_not(None))):
        borrower = load_case_file(db, db.get(DebtCase, visit.case_id).ref).borrower
        said = visit.debtor_statement
        assert borrower.employer and borrower.employer in said, (borrower.employer, said)
        if borrower.employer != SELF_EMPLOYED:
            assert borrower.occupation in said, (borrower.occupation, said)
        assert "失业" not in said and "没有固定工作" not in said, said
        statements.append(said)
    assert len(statements) >= 10
    assert len(set(statements)) == len(statements), statements


def test_no_demo_borrower_works_for_a_placeholder_or_an_unnamed_employer(db):
    """Review F26: the complaint pleads the borrower's 工作单位 as a party particular, so the demo's
    employers are full fictional names: no "某某…" placeholder, no "市第一人民医院" without its city."""
    from service.cases.models import Borrower

    seed_demo(db, anchor=DEMO_ANCHOR, cases=40)
    employers = {b.employer for b in db.scalars(select(Borrower)) if b.employer}
    assert len(employers) >= 5
    for name in employers:
        assert "某某" not in name and not name.startswith("市"), name


def test_a_private_lenders_contract_has_its_own_plain_title_not_a_banks_product_name(db):
    # the private lender's demo contract was 《安居分期个人消费借款合同》, the bank's product;
    # issue 8: so was the factoring company's (other_licensed), pleaded as 民间借贷
    seed_demo(db, anchor=DEMO_ANCHOR, cases=0, court_sets=True)
    titles = {}
    for ref in pick_court_sets(db):
        cf = load_case_file(db, ref)
        if cf.case.profile == "CN":
            titles[cf.lender.licence_type] = cf.contract.title
    assert titles["non_licensed"] == titles["other_licensed"] == "借款合同"
    assert all(t.endswith("个人消费借款合同") for k, t in titles.items()
               if k not in ("non_licensed", "other_licensed")), titles


def test_demo_plans_keep_unmatured_principal_on_the_contracts_dates(db):
    """C09-1: a demo plan reschedules the arrears only; the principal the contract makes due after the
    signing stays on the contract's own due dates (recorded as owed, not due), so no plan brings it
    forward. Where the loan had run its term (seed.MATURED_LOAN: the US cases at pre-litigation) the
    plan spreads the whole balance and its last instalment is the one missed: it matured before the
    acceleration the demo records, so the demo keeps a case of that kind (US-21)."""
    seed_demo(db, anchor=DEMO_ANCHOR, cases=40)
    kept = matured = 0
    for case in db.scalars(select(DebtCase).order_by(DebtCase.ref)):
        cf = load_case_file(db, case.ref)
        plan = cf.current_plan
        if plan is None:
            continue
        later = [i for i in cf.instalments if i.due_date > plan.as_of_date]
        by_day: dict[date, Decimal] = {}
        for inst in plan.instalments:
            by_day[inst.due_date] = by_day.get(inst.due_date, Decimal(0)) + inst.amount
        # the principal still owed on each: the contract's, less interest paid above the cap and set
        # against it (private lending, 民间借贷规定 art. 25/29: the ledger's above-cap set-off)
        positions = {p.no: p for p in accounts.ledger_of(cf, plan.as_of_date).positions}
        owed = {i.no: positions[i.no].outstanding.get(Component.PRINCIPAL, Decimal(0)) for i in later}
        for inst in later:  # each on its own date, at least the principal owed on it
            assert Decimal(0) <= owed[inst.no] <= inst.principal, (case.ref, inst.no)
            assert by_day.get(inst.due_date, Decimal(0)) >= owed[inst.no], (case.ref, inst.due_date)
        assert plan.principal_not_due == sum(owed.values(), Decimal(0)), case.ref
        kept += bool(later)
        if case.profile == "US" and case.stage == Stage.PRE_LITIGATION:
            assert not later, case.ref
            assert case.accelerated_on is not None and plan.instalments[-1].due_date < case.accelerated_on
            assert [b.instalment_no for b in cf.breaches] == [plan.instalments[-1].no], case.ref
            matured += 1
    assert kept and matured


def test_the_california_court_sets_recording_is_of_a_consented_call_and_is_filed_saying_so(db, settings):
    """Litigator's review: California call recordings carried no consent record (Cal. Penal Code 632).
    The demo's US call centre records each answered call's disclosure and consent (US-26), so the
    California case's packet files its recording, and the exhibit states the consent."""
    from service.packets.build import make_plan

    seed_demo(db, anchor=DEMO_ANCHOR, cases=0, settings=settings, court_sets=True)
    (ca,) = [ref for ref in pick_court_sets(db) if load_case_file(db, ref).case.us_state == "CA"]
    cf = load_case_file(db, ca)
    recorded = [c for c in cf.communications if c.recording_ref]
    assert recorded and all(c.recording_consent for c in recorded)
    plan = make_plan(db, settings, cf)
    assert plan.withheld == [] and len(plan.recordings) == 1
    assert "Recorded with the consent of all parties" in plan.recordings[0].purpose
    # a CN case's calls record no such consent (no rule of its asks for one), and its packet files its recording
    cn = [load_case_file(db, ref) for ref in pick_court_sets(db) if ref.startswith("CN-")]
    assert cn and not [c.id for f in cn for c in f.communications if c.recording_consent]
    assert all(make_plan(db, settings, f).recordings and not make_plan(db, settings, f).withheld for f in cn)


def test_no_demo_phone_number_is_a_real_banks_service_line():
    """A demo bank printed ICBC's real 95588 as its hotline: China's 95xxx numbers are the service lines of
    real banks and insurers (and 96xxx local public services), so no demo number is one."""
    import re

    from service.demo.data import LAW_FIRMS, LENDERS, RXTZ_TWIN, US_COLLECTOR, US_LENDER

    numbers = [str(v) for party in [*LENDERS, RXTZ_TWIN, US_LENDER, US_COLLECTOR, *LAW_FIRMS]
               for k, v in party.items() if "phone" in k or k == "hotline"]
    assert numbers and not [n for n in numbers if re.match(r"9[56]\d{3}", n)], numbers
