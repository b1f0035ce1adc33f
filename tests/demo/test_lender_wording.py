"""Every CN document of a demo case, to the borrower or to a court, in Chinese and in English, names
interest on overdue principal as the lender's law does (CN-30, the source the pleadings use: 罚息 /
default interest for a licensed lender, 逾期利息 / overdue interest in private lending, never the
other), and says nothing of compound interest (复利) where the contract charges none."""

from sqlalchemy import select

from service.cases.casefile import load_case_file
from service.cases.enums import Stage
from service.cases.lender_law import cause_of_action
from service.cases.models import DebtCase
from service.cases.rules import load_ruleset
from service.core.errors import RuleViolation
from service.documents import service as documents_service
from service.documents.registry import KINDS
from service.documents.render import render
from service.packets.build import planner_for
from tests.documents.conftest import pdf_text, squash
from tests.factories import DEMO_ANCHOR, demo_clock
from tests.seeded import seed_demo

OTHER = {"罚息": "逾期利息", "逾期利息": "罚息"}
OTHER_EN = {"default interest": "overdue interest", "overdue interest": "default interest"}
# 民法典 art. 676 as the demand letter quotes it: the statute's own word, whatever the lender's.
STATUTE = "应当按照约定或者国家有关规定支付逾期利息"
# Kinds that state the charge itself (the others may not mention it at all).
STATES_IT = {"overdue_reminder", "demand_letter", "credit_report_prenotice", "breach_notice", "repayment_agreement",
             "visit_record", "visit_brief", "account_statement", "civil_complaint", "claim_statement"}
BORROWER_KINDS = {"overdue_reminder", "demand_letter", "credit_report_prenotice", "breach_notice", "plan_reminder",
                  "visit_notice", "repayment_agreement", "visit_record", "visit_brief", "account_statement"}


AFTER_FILING = (Stage.FILED, Stage.JUDGMENT, Stage.ENFORCEMENT)


def test_every_cn_document_names_the_lenders_term_and_compound_interest_only_where_charged(db, settings, tmp_path):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=18, settings=settings)
    planner = planner_for(settings)(db)
    checked: set[tuple[str, bool, str, str]] = set()
    for ref in db.scalars(select(DebtCase.ref).where(DebtCase.profile == "CN").order_by(DebtCase.ref)):
        cf = load_case_file(db, ref)
        if cf.case.stage in AFTER_FILING:
            # The documents a suit is filed with are made at PRE_LITIGATION only (DOC-01, review F14):
            # their wording is checked for every litigating lender at that stage (the filed case's
            # lender is the demo's only litigating private lender); rolled back with the test.
            cf.case.stage = Stage.PRE_LITIGATION
        cause = cause_of_action(load_ruleset("CN"), cf.lender.licence_type)
        assert cause is not None
        compound = cf.contract.compound_allowed
        now = demo_clock(tz=cf.borrower.timezone)
        for kind in (k for k in KINDS.values() if cf.case.stage in k.stages and "CN" in k.locales):
            for locale in kind.locales["CN"]:
                try:
                    _, _, ctx = documents_service.prepare(db, case_ref=ref, kind=kind.kind, fmt="pdf", locale=locale,
                                                          as_of=None, now=now, case_file=cf, planner=planner)
                except RuleViolation:
                    continue  # refusals are tests/demo/test_demo_documents.py's
                text = pdf_text(render(ctx, "pdf", templates_dir=settings.templates_dir).data, tmp_path)
                where = (ref, kind.kind, locale)
                if locale == "zh-CN":
                    flat = squash(text).replace(STATUTE, "")
                    assert OTHER[cause.penalty_term] not in flat, where
                    assert kind.kind not in STATES_IT or cause.penalty_term in flat, where
                    assert compound or "复利" not in flat, where
                    # the lender as a party: one word by the cause (CN-00060 review: 出借人 in the
                    # contract and the complaint, 贷款人 in the notice history's header and the visit record)
                    assert cause.code != "private_lending" or "贷款人" not in flat, where
                else:
                    words = " ".join(text.split()).lower()
                    assert OTHER_EN[cause.penalty_term_en] not in words, where
                    assert kind.kind not in STATES_IT or cause.penalty_term_en in words, where
                    assert compound or "compound" not in words, where
                checked.add((cause.code, compound, kind.kind, locale))
    private = {(kind, locale) for code, _, kind, locale in checked if code == "private_lending"}
    assert {("overdue_reminder", "zh-CN"), ("overdue_reminder", "en-US"), ("visit_record", "zh-CN"),
            ("civil_complaint", "zh-CN")} <= private, private
    assert {k for k, _ in private} & BORROWER_KINDS >= {"overdue_reminder", "visit_record"}
    assert {compound for _, compound, _, _ in checked} == {True, False}
