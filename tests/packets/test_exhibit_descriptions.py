"""Review (2026-12-06): an exhibit that described itself as "recomputed by Plaintiff's servicing
system", "重新计算生成" or as agreeing with the complaint ("与起诉状所述一致") invited a hearsay or
fabrication objection. An exhibit says what it is — a printout of the records of the lender's loan
servicing system as of a date, entered in the regular course of business — and the evidence index
its purpose of proof; never that it was made to agree with a pleading or computed for the suit."""

import pytest

from service.core.settings import get_settings
from service.documents.render import render
from tests.documents.conftest import TEMPLATES, pdf_text, squash
from tests.documents.legal_cases import context, litigation_case
from tests.documents.test_acceleration_notices import in_state

MADE_FOR_THE_SUIT = ("重新计算", "与起诉状", "起诉状所述", "同一口径", "对账口径", "recomput", "Recomput",
                     "same basis as the statement", "as in the statement of account", "consistent with the complaint")


def test_no_template_describes_an_exhibit_as_made_for_the_suit():
    # the court papers and the packet's exhibits (a repayment agreement's "诉讼时效…重新计算" is the
    # limitation period starting again, Civil Code art. 195, no description of evidence)
    sources = [*(TEMPLATES / "legal").rglob("*.html"), *(TEMPLATES / "legal").rglob("*.json")]
    found = [(p.relative_to(TEMPLATES), w) for p in sources for w in MADE_FOR_THE_SUIT
             if w in p.read_text(encoding="utf-8")]
    assert not found


@pytest.mark.parametrize(("profile", "plan"), [("CN", True), ("CN", False), ("US", False)])
def test_the_payment_and_notice_histories_say_what_they_are(db, tmp_path, profile, plan):
    ref = (litigation_case(db, plan=plan) if profile == "CN" else in_state(db, "CA")).ref
    for kind in ("payment_history", "notice_history"):
        ctx = context(db, ref, kind)
        text = squash(pdf_text(render(ctx, "pdf", templates_dir=get_settings().templates_dir).data, tmp_path))
        said = ("原告贷款业务系统截至", "在日常经营中") if profile == "CN" else \
            ("AprintoutofthepaymentrecordsofPlaintiff'sloanservicingsystemasof"
             if kind == "payment_history" else "AprintoutofthecommunicationrecordsofPlaintiff'sloanservicingsystem",
             "intheregularcourseofPlaintiff'sbusiness")
        assert all(s in text for s in said), (kind, text[-400:])
        assert not any(squash(w) in text for w in MADE_FOR_THE_SUIT), kind
