"""The notice history reconciles its count of contacts with the pleadings' count of demands (CN-00060
review: the complaint's "先后10次…催告还款，其中6次已送达" beside the exhibit's "共联系借款人11次…11次中
7次已送达"): a visit notice is a contact and no demand (民法典 art. 195, service/cases/demands.py), so the
exhibit states the demands among the contacts and the visit notice apart. Its header names the
lender as the case's 案由 does (出借人 in 民间借贷: the contract's and the complaint's word)."""

from datetime import date, timedelta

from service.demo import proofread
from service.documents.contexts.record import Contact, ContactHistory
from service.documents.registry import get_kind
from service.documents.render import render
from tests.documents.conftest import TEMPLATES, Variant

START = date(2026, 3, 21)


def _history() -> ContactHistory:
    """Ten demands (six reached, a visit among them) and a visit notice, delivered."""
    demands = [Contact(day=START + timedelta(days=7 * n), channel="sms" if n < 8 else "visit",
                       template_kind="overdue_reminder" if n < 8 else "", outcome="delivered" if n < 6 else "no_answer",
                       reached=n < 6) for n in range(9)]
    notice = Contact(day=START + timedelta(days=70), channel="letter", template_kind="visit_notice",
                     outcome="delivered", reached=True)
    visit = Contact(day=START + timedelta(days=80), channel="visit", template_kind="", outcome="no_answer",
                    reached=False)
    return ContactHistory(contacts=(*demands, notice, visit))


def _text(profile: str, locale: str, tmp_path, **update) -> str:
    ctx = Variant(get_kind("notice_history"), profile, locale).sample()
    ctx = ctx.model_copy(update={"contacts": _history(), **update})
    (tmp_path / "h.pdf").write_bytes(render(ctx, "pdf", templates_dir=TEMPLATES).data)
    return "".join("".join(p.split()) for p in proofread.pdf_pages(tmp_path / "h.pdf"))


def test_the_history_counts_are_the_demands_module_s():
    h = _history()
    assert (h.attempts, h.demands.attempts, len(h.demands.reached)) == (11, 10, 6)
    assert h.others.kinds == ("visit_notice",) and len(h.others.reached) == 1


def test_the_zh_cn_notice_history_reconciles_contacts_and_demands(tmp_path):
    text = _text("CN", "zh-CN", tmp_path)
    assert "共联系借款人11次，其中催告还款10次（含上门走访2次；6次已送达借款人或与借款人本人通话、面谈），" \
           "另发出上门走访告知函1件（已送达）" in text, text
    assert "11次中7次" not in text


def test_the_en_us_notice_history_reconciles_contacts_and_demands(tmp_path):
    text = _text("US", "en-US", tmp_path)
    assert "contactedtheborrower11times:10demandsforpayment(2ofthemvisits;6deliveredtooransweredbytheborrower)" \
           "and1visitnotice(delivered)" in text, text


def test_the_header_names_the_lender_as_the_cause_does(tmp_path):
    assert _text("CN", "zh-CN", tmp_path, lender_term="出借人").count("出借人：") == 1
    assert "贷款人：" in _text("CN", "zh-CN", tmp_path, lender_term="贷款人")


def test_a_notice_s_name_is_never_broken_in_its_column(tmp_path):
    ctx = Variant(get_kind("notice_history"), "CN", "zh-CN").sample()
    kinds = ("breach_notice", "visit_notice", "credit_report_prenotice")
    rows = tuple(n.model_copy(update={"template": k, "content_hash": "ab" * 32})
                 for n, k in zip(ctx.notices, kinds, strict=False))
    ctx = ctx.model_copy(update={"notices": rows})
    (tmp_path / "h.pdf").write_bytes(render(ctx, "pdf", templates_dir=TEMPLATES).data)
    lines = "\n".join(proofread.pdf_pages(tmp_path / "h.pdf", layout=True))
    for name in ("违约及提前到期通知书", "上门走访告知函", "不良信息报送事先告知书"):
        assert name in lines, lines
