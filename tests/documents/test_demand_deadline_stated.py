"""The lawyer letter's deadline to pay, stated from one source (litigator's review).

- The letter's "自本函送达之日起七日内" is the rule set's wording (POL-02 ``lawyer_letter_within``):
  the template shows it and required() checks it, so the two cannot drift apart (the check built
  the phrase in Python beside the template's own).
- The element form (要素式起诉状) states that the deadline ran out without payment as the ordinary
  complaint does ("即至…止"), from the same computation (CaseFacts.demand_deadline); it said
  nothing of the letter's deadline."""

from datetime import timedelta

import pytest

from service.cases import activity
from service.cases.models import Communication
from service.cases.rules import load_ruleset
from service.documents.registry import get_kind
from service.documents.render import render_html
from tests.documents.conftest import TEMPLATES, Variant, squash
from tests.documents.legal_cases import DAY, context, litigation_case, moment, texts

RAN = ("被告收到2025年11月19日发出的《律师函》后，未在该函限定的期限内（自送达之日起七日内，即至2025年12月1日止）"
       "偿还欠款")


def test_the_letters_days_to_pay_are_the_rule_sets_words_in_the_letter_and_its_check(monkeypatch):
    rules = load_ruleset("CN")
    assert rules.param("POL-02", "lawyer_letter_within") == {"zh": "自本函送达之日起{days}日内"}
    ctx = Variant(get_kind("lawyer_letter"), "CN", "zh-CN").sample()
    assert ctx.pay_within == "自本函送达之日起七日内"  # type: ignore[attr-defined]
    # worded otherwise in the rule set, the letter and its required element say the new words
    monkeypatch.setitem(rules.rule("POL-02").params, "lawyer_letter_within", {"zh": "自本函送达之日起{days}个工作日内"})
    html = squash(render_html(ctx, TEMPLATES))
    assert html.count("自本函送达之日起七个工作日内") == 2, html  # the demand and the dispute paragraph
    assert "自本函送达之日起七日内" not in html
    assert "自本函送达之日起七个工作日内" in {r.text for r in ctx.required()}


def _letter_ran(db, case) -> None:
    """A lawyer letter dated DAY-12, delivered DAY-7: its seven days end on DAY."""
    day = DAY - timedelta(days=12)
    comm = Communication(case_id=case.id, channel="letter", direction="out", party_kind="borrower",
                         to_address="上海市", sent_at=moment(day), local_time=moment(day).isoformat(),
                         outcome="sent", template_kind="lawyer_letter", stated_as_of=day)
    db.add(comm)
    db.flush()
    activity.record_delivery(db, case, comm.id, actor="test", at=moment(DAY - timedelta(days=7), 14))


PRIVATE = {"lender": {"code": "PLOCC", "licence_type": "non_licensed", "credit_system": "",
                      "lending_practice": "occasional"},
           "contract": {"compound_allowed": False}}  # the 民间借贷 form states one default-interest figure


@pytest.mark.parametrize("over", [{}, PRIVATE], ids=["financial", "private_lending"])
def test_the_element_form_states_the_letters_deadline_ran_as_the_complaint_does(db, tmp_path, over):
    case = litigation_case(db, plan=False, **over)
    _letter_ran(db, case)
    after = DAY + timedelta(days=1)
    complaint = context(db, case.ref, "civil_complaint", day=after)
    form = context(db, case.ref, "complaint_elements", day=after)
    assert form.timeline.demand_deadline == complaint.timeline.demand_deadline  # type: ignore[attr-defined]
    for ctx in (complaint, form):
        assert {"demand_sent", "demand_pay_by"} <= {r.label for r in ctx.required()}, ctx.doc.kind
        for text in texts(ctx, tmp_path):  # PDF and DOCX
            assert RAN in squash(text), (ctx.doc.kind, squash(text))
    # on the deadline's last day DOC-06 refuses both; built past it, neither states a deadline as run out
    for kind in ("civil_complaint", "complaint_elements"):
        ctx = context(db, case.ref, kind, day=DAY)
        assert "未在该函限定的期限内" not in squash(render_html(ctx, TEMPLATES)), kind
        assert "demand_pay_by" not in {r.label for r in ctx.required()}, kind
