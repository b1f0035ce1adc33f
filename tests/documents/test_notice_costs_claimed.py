"""A notice promises no claim the complaint will not make (reader, CN-00060): the breach notice
said the lender would sue for "上述款项及实现债权的费用" — the costs of enforcing the debt — while
no contract on record has a costs clause and the element form answers 是否主张实现债权的费用 with
否. The notices now say what is true of any suit: the court costs follow the losing party (诉讼费用
交纳办法 art. 29)."""

from tests.documents.conftest import squash
from tests.documents.legal_cases import context, litigation_case, texts

ENFORCEMENT_COSTS = ("实现债权的费用", "costs of enforcing")
COURT_COSTS = {"zh-CN": "诉讼费用依法由败诉方负担", "en-US": "the court costs are borne by the losing party"}


def test_no_notice_announces_a_claim_for_enforcement_costs_the_pleadings_never_make(db, tmp_path):
    case = litigation_case(db)
    for text in texts(context(db, case.ref, "complaint_elements"), tmp_path):
        assert "是否主张实现债权的费用☐是☑否；费用明细：无" in squash(text)
    for kind, locale in (("breach_notice", "zh-CN"), ("breach_notice", "en-US"), ("demand_letter", "zh-CN")):
        for text in texts(context(db, case.ref, kind, locale=locale), tmp_path):
            flat = squash(text)
            assert not any(words in flat for words in ENFORCEMENT_COSTS), (kind, locale)
            assert squash(COURT_COSTS[locale]) in flat, (kind, locale)
