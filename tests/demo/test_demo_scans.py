"""The demo's scans prove what the pleadings cite (review F6) and a US packet's scans are English,
in USD, with identifiers redacted as the exhibit index certifies (review F23, Tex. R. Civ. P. 21c)."""

import re

from sqlalchemy import select

from service.cases.casefile import load_case_file
from service.cases.models import DebtCase
from service.demo.evidence import _plan_pages
from service.demo.seed import seed_demo
from service.packets.models import EvidenceItem
from tests.factories import DEMO_ANCHOR

CJK = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]")


def test_demo_scans_carry_the_clauses_cited_and_us_scans_are_english_and_redacted(db, settings):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=40, settings=settings)
    us_titles = db.scalars(select(EvidenceItem.title).join(DebtCase, DebtCase.id == EvidenceItem.case_id)
                           .where(DebtCase.profile == "US"))
    titles = list(us_titles)
    assert titles and not [t for t in titles if CJK.search(t)], titles
    checked = set()
    for ref in db.scalars(select(DebtCase.ref).order_by(DebtCase.ref)):
        cf = load_case_file(db, ref)
        plan = cf.current_plan
        if plan is None or not plan.instalments or cf.case.profile in checked:
            continue
        us = cf.case.profile == "US"
        text = " ".join(" ".join(lines) for _, lines in _plan_pages(cf, plan, us=us))
        if us:
            assert not CJK.search(text) and "$" in text and "RMB" not in text, text
            digits = re.sub(r"\D", "", cf.borrower.id_number)
            assert digits not in re.sub(r"\D", "", text) and f"ending in {digits[-3:]}" in text, text
            assert f"cure within {plan.cure_days} days" in text, text
        else:
            flat = text.replace(" ", "")
            assert f"逾期超过{plan.grace_days}日" in flat and f"{plan.cure_days}日内纠正" in flat, text
            assert "第五条" in flat and "送达" in flat, text
            if plan.waived_amount:
                assert f"减免{plan.waived_amount}元" in flat, text
        checked.add(cf.case.profile)
    assert checked == {"CN", "US"}
