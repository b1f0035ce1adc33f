"""The US pleadings of the demo's court sets, as a reviewer read US-00011 (CA, pre-litigation,
a breached payment plan whose default clause accelerated the debt):

- the complaint's count said "Plaintiff performed under the agreement by disbursing the loan.
  Defendant breached it…" beside damages computed under payment plan US-00011-P1 (its acceleration
  date, its section 4 item 3): a count that does not say which agreement was breached is open to
  a demurrer for uncertainty (Cal. Code Civ. Proc. 430.10(f)). Every state's count names the loan
  agreement by its number and date and, where a signed plan governs, the plan and its breach;
- the declaration re venue was counsel's "on information and belief", with no reason why the
  party did not verify (Cal. Code Civ. Proc. 446(a)): Plaintiff's officer declares it;
- the declaration re account printed the defendant's year of birth, which no rule asks for.
"""

from service.documents.format import date_en
from service.documents.registry import get_kind
from service.documents.rules import check
from tests.demo.test_us_pleadings import ANCHOR, by_state  # noqa: F401  (the court sets fixture)
from tests.documents.conftest import squash
from tests.documents.legal_cases import context, facts_for, texts


def test_every_states_count_names_the_agreements_breached(by_state, db, tmp_path):  # noqa: F811
    planned = 0
    for state, cf in by_state.items():
        ctx = context(db, cf.case.ref, "debt_claim_petition", day=ANCHOR)
        claim, terms = ctx.claim, ctx.terms  # type: ignore[attr-defined]
        for text in texts(ctx, tmp_path):
            flat = squash(text)
            count = flat[flat.index(squash("Plaintiff and Defendant are parties to the")):]
            count = count[:count.index(squash("Relief requested"))]
            title = terms.title or "Loan Agreement"
            assert squash(f"{title} (account ending in {ctx.account_tail}), dated "  # type: ignore[attr-defined]
                          f"{date_en(terms.signed_date)}, a written contract") in count, state
            assert squash("Defendant breached the loan agreement by failing to pay the installment due on") in count
            plan = cf.current_plan
            if claim.agreement is not None and plan is not None:
                planned += 1
                assert squash(f"Payment plan agreement no. {plan.agreement_no}, dated "
                              f"{date_en(ctx.timeline.plan.signed_date)} and signed by Defendant") in count, state  # type: ignore[attr-defined]
                assert squash("Defendant breached the payment plan agreement: Plan installment") in count, state
                assert squash(f"As a result of Defendant's breach of payment plan agreement no. {plan.agreement_no}, "
                              "Plaintiff has been damaged") in count, state
                if claim.agreement.accelerated_on and claim.agreement.accelerated_on <= ANCHOR:
                    assert squash(f"due on {date_en(claim.agreement.accelerated_on)} (the plan's \"acceleration "
                                  "date\"), with default interest from that date under payment plan section") in count
            assert squash("performed under the agreement") not in flat
    assert planned, "no court set is sued under a signed payment plan"
    assert squash("Cause of action: breach of contract") in squash(
        texts(context(db, by_state["TX"].case.ref, "debt_claim_petition", day=ANCHOR), tmp_path)[0])


def test_the_venue_declaration_is_the_plaintiffs_officers(by_state, db, tmp_path):  # noqa: F811
    cf = by_state["CA"]
    ctx = context(db, cf.case.ref, "debt_claim_petition", day=ANCHOR)
    officer, title = cf.lender.legal_rep, cf.lender.legal_rep_title
    assert officer and title and ctx.venue_statement is not None  # type: ignore[attr-defined]
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        heading = squash("Declaration re venue (Cal. Code Civ. Proc. §§ 396a(a), 446(a), 2015.5)")
        declaration = flat[flat.index(heading):]
        assert squash(f"I, {officer}, declare: I am the {title} of Plaintiff {cf.lender.name}") in declaration
        assert squash("true of my own knowledge") in declaration
        assert squash("I am informed and believe") not in declaration
        assert squash("the attorney for Plaintiff") not in declaration
        assert squash(f"{officer}, Declarant") in declaration


def test_the_declaration_re_account_states_no_year_of_birth(by_state, db, tmp_path):  # noqa: F811
    for state, cf in by_state.items():
        for text in texts(context(db, cf.case.ref, "affidavit_of_debt", day=ANCHOR), tmp_path):
            flat = squash(text)
            assert squash("Social Security number ends in") in flat, state
            assert "yearofbirth" not in flat.lower(), state


def test_no_notice_of_acceleration_after_the_plans_default_clause_accelerated(by_state, db, tmp_path):  # noqa: F811
    """Review US-00011: at pre-litigation a draft notice of acceleration said the plan's balance "has
    accelerated… became due on October 21, 2026", dated December 7: the default clause had made it
    due, no notice was sent then, and a later one announces an acceleration it does not make (US-27).
    On the acceleration date itself it is the announcement, and its check instruction asks only for
    the account's last digits or the borrower's name and address (the notice masks the number)."""
    cf = by_state["CA"]
    facts = facts_for(db, cf.case.ref, ANCHOR)
    accelerated = facts.claim.agreement.accelerated_on if facts.claim.agreement else None
    assert accelerated is not None and accelerated < ANCHOR
    kind = get_kind("notice_of_acceleration")
    refused = [v for v in check(facts, kind) if v.rule == "US-27"]
    assert len(refused) == 1
    assert accelerated.isoformat() in refused[0].message and cf.current_plan.agreement_no in refused[0].message
    on_the_day = facts_for(db, cf.case.ref, accelerated)
    assert not [v for v in check(on_the_day, kind) if v.rule == "US-27"]
    ctx = context(db, cf.case.ref, "notice_of_acceleration", day=accelerated)
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        assert squash(f"with the last digits of your account number ({ctx.account_tail}), or your name and "  # type: ignore[attr-defined]
                      "address, written on the check") in flat
        assert squash("with your account number on the check") not in flat


def test_the_claim_statements_terms_table_starts_on_its_first_page(by_state, db, tmp_path):  # noqa: F811
    """Review US-00011: page 1 of the statement held the attorney block, the title and one paragraph
    (70 % blank): "1. Terms applied" and its five tall rows, kept whole as a short table, went to
    page 2. The table breaks between rows, its heading with its first rows; the DOCX the same."""
    import io
    import zipfile

    import pikepdf
    from lxml import etree

    from service.documents.render import render
    from tests.documents.conftest import TEMPLATES, pdf_text

    ctx = context(db, by_state["CA"].case.ref, "claim_statement", day=ANCHOR)
    pdf = render(ctx, "pdf", templates_dir=TEMPLATES).data
    with pikepdf.open(io.BytesIO(pdf)) as whole, pikepdf.new() as first:
        first.pages.append(whole.pages[0])
        out = io.BytesIO()
        first.save(out)
    page1 = squash(pdf_text(out.getvalue(), tmp_path))
    assert squash("1. Terms applied") in page1 and squash("Contract interest") in page1
    assert squash("Default interest") in page1
    docx = render(ctx, "docx", templates_dir=TEMPLATES).data
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml"))
    tall = [t for t in root.iter(f"{w}tbl") if t.find(f"{w}tblPr/{w}tblCaption") is not None]
    assert len(tall) == 1
    rows = tall[0].findall(f"{w}tr")
    kept = [any(p.find(f"{w}pPr/{w}keepNext") is not None for p in r.iter(f"{w}p")) for r in rows]
    assert kept[0] and kept[1] and not all(kept)  # header and first row with the next; a break between others
