"""`dossier claim` under a repayment agreement names the acknowledged principal not yet due under the
loan contract's schedule for what it is (review C12-3): a part of the acknowledged debt the plan
keeps on the contract's dates, shown apart in the reconciliation, and never "0.00 not yet due"."""

from decimal import Decimal
from io import StringIO

from rich.console import Console

from service.cases import accounts
from service.cases.casefile import load_case_file
from service.cases.claim_view import claim_view
from service.cli_views import LABELS, print_claim
from service.core.settings import get_settings
from tests.documents.legal_cases import DAY, litigation_case


def _printed(view: dict, lang: str) -> str:
    out = StringIO()
    print_claim(Console(file=out, width=300), view, lang)
    return out.getvalue()


def test_principal_not_yet_due_under_the_schedule_has_its_own_label_in_both_languages(db):
    case = litigation_case(db)
    cf = load_case_file(db, case.ref)
    view = claim_view(cf, accounts.claim_of(cf, DAY, licensed_cap=get_settings().licensed_cost_cap))
    assert view["agreement"] is not None and view["agreement"]["principal_not_due"] == 0
    for lang in ("en", "zh"):
        printed = _printed(view, lang)
        assert "0.00）" not in printed.split("还款协议")[-1] and "not yet due under the contract" not in printed
        assert LABELS[lang]["recon_not_due"].strip() not in printed
    view["agreement"]["principal_not_due"] = Decimal("12345.67")
    en, zh = _printed(view, "en"), _printed(view, "zh")
    assert "of which principal not yet due under the loan contract's schedule (paid on its dates, " in en
    assert "(12,345.67)" in en and "(of which 12,345.67 not yet due under the loan contract's schedule)" in en
    assert "其中：依原借款合同还款计划尚未到期的本金（按原还款日偿还，不因本协议提前到期）" in zh
    assert "（其中依原借款合同还款计划尚未到期的本金12,345.67）" in zh
