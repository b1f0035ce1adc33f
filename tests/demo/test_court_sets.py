"""The demo's court sets (seed_demo(court_sets=True): `dossier demo seed` and `make samples`): a
pre-litigation case for every CN lender licence type, whose court papers pass their rules and render
under the lender's own 案由, and one for each US state of the state table (NY, CA, IL, TX), whose
affidavit of debt is the original creditor's and states that state's limitation and court, and whose
petition (a Texas petition, another state's complaint) is filed in that court.

The court sets are seeded alone here (cases=0): they are the same after any number of cases, each
drawing from its own random stream (the last test)."""

import hashlib
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.cases.casefile import CaseFile, load_case_file
from service.cases.compliance import local_time
from service.cases.enums import CreditorRole, LicenceType, Outcome, Stage
from service.cases.lender_law import cause_of_action
from service.cases.models import DebtCase
from service.cases.rules import load_ruleset
from service.core.errors import RuleViolation
from service.core.settings import Settings
from service.demo import proofread
from service.demo.catalogue import pick_court_sets
from service.demo.seed import COURT_SET_STATES, ON_CONTRACT_STATE
from service.documents import service as documents_service
from service.documents.contexts.common import DocMeta, DocumentContext
from service.documents.contexts.facts import CaseFacts
from service.documents.registry import KINDS, LITIGATION
from service.documents.render import render
from service.packets.build import make_plan, planner_for
from tests.documents.conftest import squash
from tests.factories import DEMO_ANCHOR, demo_clock
from tests.seeded import seed_demo

# The court papers of a case about to be filed, by profile: every legal kind valid at pre-litigation.
COURT_KINDS = {profile: [k.kind for k in KINDS.values() if k.folder == "legal" and profile in k.locales
                         and Stage.PRE_LITIGATION in k.stages] for profile in ("CN", "US")}
# The CN court documents that name the 案由 (issue 8 §3)
NAME_THE_CAUSE = {"civil_complaint", "complaint_elements", "evidence_index", "court_fee_statement",
                  "service_address_confirmation", "mediation_application", "power_of_attorney", "legal_rep_certificate"}


@pytest.fixture
def court_sets(db: Session, settings: Settings) -> list[CaseFile]:
    seed_demo(db, anchor=DEMO_ANCHOR, cases=0, settings=settings, court_sets=True)
    return [load_case_file(db, ref) for ref in pick_court_sets(db)]


def _sent_letter(cf: CaseFile, kind: str, fmt: str) -> DocumentContext:
    """The context of the `kind` letter the case's record shows sent (the last not failed), on its date."""
    sent = [c for c in cf.communications if c.template_kind == kind and c.outcome != Outcome.FAILED]
    day = sent[-1].stated_as_of or local_time(cf, sent[-1].sent_at).date()
    k = KINDS[kind]
    facts = CaseFacts(cf, day, demo_clock(day, tz=cf.borrower.timezone))
    doc = DocMeta(kind=kind, profile=cf.case.profile, locale=k.default_locale(cf.case.profile), audience=k.audience,
                  as_of=day, case_ref=cf.case.ref)
    return k.context_class().build(facts, doc)


def _render_all(db: Session, settings: Settings, cf: CaseFile, tmp: Path) -> dict[str, str]:
    """Every court kind of the case in PDF and DOCX, through the rules as `dossier generate` runs
    them (a refusal fails the test); the PDFs' text by kind, checked as `make samples` reads them."""
    texts, planner = {}, planner_for(settings)(db)
    now = demo_clock(tz=cf.borrower.timezone)
    for kind in COURT_KINDS[cf.case.profile]:
        for fmt in KINDS[kind].formats:
            try:
                _, _, ctx = documents_service.prepare(db, case_ref=cf.case.ref, kind=kind, fmt=fmt, locale=None,
                                                      as_of=None, now=now, planner=planner)
            except RuleViolation as exc:
                if kind != "lawyer_letter" or {v.rule for v in exc.violations} - {"DOC-08", "DOC-09"}:
                    raise AssertionError(f"{cf.case.ref} {kind}: refused {exc.violations}") from None
                # the letter that declared the acceleration, or that demanded the debt accelerated
                # otherwise, was delivered: no other is generated
                # (DOC-08, DOC-09); the one sent is read as it was made, on its own date
                ctx = _sent_letter(cf, kind, fmt)
            out = render(ctx, fmt, templates_dir=settings.templates_dir)
            assert out.data, (cf.case.ref, kind, fmt)
            if fmt != "pdf":
                continue
            path = tmp / f"{cf.case.ref}.{kind}.pdf"
            path.write_bytes(out.data)
            pages = proofread.pdf_pages(path)
            assert pages and not proofread.orphan_signature_pages(pages), (cf.case.ref, kind)
            tokens = proofread.tokens_of(ctx, us=cf.case.profile == "US", zh=ctx.doc.is_zh)
            assert not proofread.split_tokens(pages, tokens), (cf.case.ref, kind)
            texts[kind] = "".join(pages)
    return texts


def test_every_licence_type_has_a_litigation_case_whose_court_papers_render(db, settings, court_sets, tmp_path):
    cn = [cf for cf in court_sets if cf.case.profile == "CN"]
    assert {cf.lender.licence_type for cf in cn} == set(LicenceType)
    assert all(cf.case.stage in LITIGATION and cf.case.accelerated_on is not None for cf in cn)
    rules = load_ruleset("CN")
    causes = set()
    for cf in cn:
        texts = _render_all(db, settings, cf, tmp_path)
        assert set(texts) == set(COURT_KINDS["CN"]), cf.case.ref
        cause = cause_of_action(rules, cf.lender.licence_type)
        assert cause is not None
        causes.add(cause.name)
        for kind in NAME_THE_CAUSE:
            assert cause.name in squash(texts[kind]), (cf.case.ref, kind, cause.name)
        others = {c for c in ("金融借款合同纠纷", "小额借款合同纠纷", "民间借贷纠纷") if c != cause.name}
        assert not any(c in squash(texts["civil_complaint"]) for c in others), cf.case.ref
        if cause.code == "private_lending":  # no licensed lender's wording for a factoring company's loan
            # (its own paragraph says it is not one: "并非…所称经金融监管部门批准设立的…金融机构")
            assert not any(re.search("原告[为系]经金融监管部门批准设立", t) for t in texts.values()), cf.case.ref
        # the packet's standing documents are all uploaded by the demo, the bank's licence copy too
        plan = make_plan(db, settings, cf)
        standing = {"营业执照", "许可证", "身份证明书", "律师事务所函", "执业证"}
        gap = [m for m in plan.missing if any(word in m for word in standing)]
        assert gap == [], (cf.case.ref, gap)
    assert causes == {"金融借款合同纠纷", "小额借款合同纠纷", "民间借贷纠纷"}


def test_ny_ca_il_and_tx_each_have_an_affidavit_of_debt_under_their_own_law(db, settings, court_sets, tmp_path):
    us = [cf for cf in court_sets if cf.case.profile == "US"]
    # each state's case after a breached plan, and Texas's sued on the contract's acceleration clause
    assert sorted(cf.case.us_state for cf in us if cf.plans) == sorted(COURT_SET_STATES) == ["CA", "IL", "NY", "TX"]
    assert [cf.case.us_state for cf in us if not cf.plans] == [ON_CONTRACT_STATE] == ["TX"]
    states = load_ruleset("US").rule("US-15").params["states"]
    for cf in us:
        assert cf.case.stage == Stage.PRE_LITIGATION and cf.case.accelerated_on is not None
        # the original creditor swears to its own records and sues; no debt-collector statement (US-14)
        assert cf.lender.creditor_role == CreditorRole.ORIGINAL_CREDITOR
        texts = _render_all(db, settings, cf, tmp_path)
        assert set(texts) == set(COURT_KINDS["US"]) and "affidavit_of_debt" in texts, cf.case.ref
        law, affidavit = states[cf.case.us_state], squash(texts["affidavit_of_debt"])
        # the limitation law is the petition's to plead: the custodian swears to facts only
        assert "limitationperiod" not in affidavit and squash(law["source"]) not in affidavit, cf.case.ref
        # one of the state's courts (by amount), in the county of venue (US-17), heads the affidavit
        # (in California below the attorney's block, Cal. Rules of Court 2.111(1): every paper filed)
        first, *rest = texts["affidavit_of_debt"].strip().splitlines()
        heading = next(line for line in [first, *rest] if line.startswith("IN THE"))
        assert ("State Bar No." in first) is (cf.case.us_state == "CA"), (cf.case.ref, first)
        assert law["name"].upper() in heading, (cf.case.ref, heading)
        assert any(squash(c["court"].split("{")[0].upper()) in squash(heading) for c in law["courts"]), heading
        assert "debt collector" not in texts["affidavit_of_debt"].lower(), cf.case.ref
        # the petition that starts the suit: a Justice Court debt claim petition or an original petition in
        # Texas by the court's amount, a complaint for breach of the loan agreement elsewhere
        petition = texts["debt_claim_petition"]
        lines = petition.strip().splitlines()
        if cf.case.us_state == "CA":  # Cal. Rules of Court 2.111: the attorney's block above the court's title
            assert "State Bar No." in lines[0] and heading in lines, (cf.case.ref, lines[:12])
        else:
            assert lines[0] == heading, cf.case.ref
        expected = ("Complaint for Breach of a Consumer Loan Agreement" if cf.case.us_state != "TX" else
                    "Petition: Debt Claim Case" if "JUSTICE COURT" in heading else "Plaintiff's Original Petition")
        # CA: the paper's name in the caption's right column (2.111(6)), read beside the parties' lines
        parties = {f"{cf.lender.name},", "Plaintiff,", "v.", f"{cf.borrower.name},", "Defendant."}
        assert squash(expected) in squash("".join(line for line in lines if line.strip() not in parties)), \
            (cf.case.ref, heading)
        # the packet files the notices the acceleration rests on (US-19: Texas), generated by the seed
        plan = make_plan(db, settings, cf)
        assert not [m for m in plan.missing if "accelerat" in m], (cf.case.ref, plan.missing)
        notices = [e for e in plan.exhibits if e.key == "acceleration_notices"]
        assert bool(notices) == (cf.case.us_state == "TX"), cf.case.ref
        if notices:
            assert [d.kind for d in notices[0].documents] == ["notice_of_intent_to_accelerate",
                                                             "notice_of_acceleration"]


def _digest(db: Session, refs: list[str]) -> str:
    rows = []
    for ref in refs:
        cf = load_case_file(db, ref)
        rows.append([ref, cf.case.stage, cf.borrower.name, cf.contract.contract_no, str(cf.contract.disbursed_amount),
                     [(str(p.value_date), str(p.amount)) for p in cf.payments]])
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()


def test_the_court_sets_follow_the_cases_and_leave_them_as_they_were(db):
    nested = db.begin_nested()
    seed_demo(db, anchor=DEMO_ANCHOR, cases=15)
    refs = list(db.scalars(select(DebtCase.ref).order_by(DebtCase.id)))
    without = _digest(db, refs)
    nested.rollback()
    result = seed_demo(db, anchor=DEMO_ANCHOR, cases=15, court_sets=True)
    assert result.cases == 15 + len(LicenceType) + len(COURT_SET_STATES) + 2  # and the two on the contract
    assert _digest(db, refs) == without
    # numbered on from the cases (CN-00014, US-00003 up); the first pre-litigation case of a licence type
    # or state is picked, one of the cases where there is one (CN-00012: micro-lender; US-00002: Texas);
    # then the first without a plan: the bank's and Texas's accelerated on the contract (CN-00019, US-00007)
    assert pick_court_sets(db) == ["CN-00012", "CN-00014", "CN-00015", "CN-00017", "CN-00018", "CN-00019",
                                   "US-00002", "US-00003", "US-00004", "US-00005", "US-00007"]
