"""US documents follow US law: the affidavit swears only to what is recorded (default instalment
from the ledger, "I have reviewed the records" only after a recorded review, dated at signing,
the state's limitation), the court is the consumer's county (§ 1692i), debt-collector statements
and the validation notice are a collector's (US-14), nothing overshadows the validation period
(§ 1006.38(b), US-16), federal holidays count as observed, and time-barred debt gets the state's
disclosure."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from service.cases import accounts
from service.cases.activity import add_payment
from service.cases.casefile import load_case_file
from service.cases.ledger import SCHEDULED
from service.cases.models import Communication
from service.cases.overdue import first_missed_due
from service.cases.rules import load_ruleset
from service.cases.schemas import PaymentIn
from service.cases.us_law import overshadowing
from service.core.errors import RuleViolation
from service.documents import service as documents_service
from service.documents.contexts.us_calendar import is_business_day, validation_period_end
from service.documents.format import date_en, usd
from tests.conftest import auth
from tests.documents.conftest import at, squash
from tests.documents.legal_cases import DAY, context, texts, us_case
from tests.documents.test_api import us_case as early_us_case

US = load_ruleset("US")
CHICAGO = "America/Chicago"


def prepare(db, ref, kind, day):
    return documents_service.prepare(db, case_ref=ref, kind=kind, fmt="pdf", locale=None, as_of=day,
                                     now=at(day, 10, tz=CHICAGO))[2]


def test_the_affidavit_says_the_records_were_reviewed_only_after_a_recorded_review(db, client, keys, tmp_path):
    case = us_case(db)
    for text in texts(context(db, case.ref, "affidavit_of_debt"), tmp_path):
        assert "I have reviewed the records" not in text and "must not be signed" in text
        assert "Datesigned:____________" in squash(text)  # dated when signed, not when generated
    r = client.post(f"/v1/cases/{case.ref}/reviews", headers=auth(keys["legal_staff"]), json={
        "reviewer": "Dana Whitfield", "reviewer_title": "Custodian of Records",
        "reviewed_at": "2025-12-01T09:30:00-06:00"})
    assert r.status_code == 201, r.text
    assert client.post(f"/v1/cases/{case.ref}/reviews", headers=auth(keys["collector"]), json={
        "reviewer": "X Y", "reviewed_at": "2025-11-28T15:30:00-06:00"}).status_code == 403
    ctx = context(db, case.ref, "affidavit_of_debt")
    assert ctx.affiant == "Dana Whitfield"  # type: ignore[attr-defined]
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        assert ("IhavereviewedtherecordsofthisaccountIcompletedthatreviewonDecember1,2025,"
                "thedateasofwhichthisaffidavitstatestheaccount") in flat.replace(":", "")
        assert "DanaWhitfield,CustodianofRecords" in flat and "mustnotbesigned" not in flat
        assert "Datesigned:____________" in flat


def test_the_affidavit_swears_to_the_account_as_of_the_day_its_affiant_reviewed_it(db, client, keys, tmp_path):
    """Review US-00014: "I completed that review on December 5" under figures as of December 6. A
    review the day before the as-of date does not cover that day's balance: the affidavit says no
    review as of its date is recorded; one on the as-of date is the one it names."""
    case = us_case(db)
    r = client.post(f"/v1/cases/{case.ref}/reviews", headers=auth(keys["legal_staff"]), json={
        "reviewer": "Dana Whitfield", "reviewer_title": "Custodian of Records",
        "reviewed_at": "2025-11-30T15:30:00-06:00"})
    assert r.status_code == 201, r.text
    for text in texts(context(db, case.ref, "affidavit_of_debt", day=DAY), tmp_path):
        flat = squash(text)
        assert "IhavereviewedtherecordsofthisaccountIcompletedthatreviewonNovember30" not in flat.replace(":", "")
        assert "onDecember1,2025,thedateasofwhichthisaffidavitstatestheaccount,isrecorded" in flat
        assert "mustnotbesigned" in flat
    ctx = context(db, case.ref, "affidavit_of_debt", day=date(2025, 11, 30))
    assert ctx.review is not None and ctx.review.reviewed_at.date() == ctx.claim.as_of  # type: ignore[attr-defined]


def test_the_affidavit_takes_the_default_instalment_from_the_ledger_and_names_the_states_court(db, tmp_path):
    case = us_case(db)
    ledger = accounts.ledger_of(load_case_file(db, case.ref), DAY)
    # The default began at the first instalment not paid in full when due, even where later
    # payments made it up and the earliest instalment unpaid today is a later one.
    began = first_missed_due(ledger)
    first = next(p for p in ledger.positions if p.due_date == began)
    assert all(p.due_date >= began for p in ledger.positions if p.days_past_due > 0)
    for text in texts(context(db, case.ref, "affidavit_of_debt"), tmp_path):
        flat = squash(text)
        scheduled = usd(sum((first.due[c] for c in SCHEDULED), Decimal(0)))
        assert squash(f"failing to pay installment {first.no} ({scheduled}) in full when it was due on "
                      f"{date_en(began)}") in flat
        # the limitation law is the petition's to plead, not the records custodian's to swear to
        assert "735ILCS5/13-206" not in flat and "limitationperiod" not in flat
        assert "CIRCUITCOURTOFCOOKCOUNTY,ILLINOIS" in flat


def test_the_court_is_the_consumers_county_whatever_the_forum_clause_says(db, tmp_path):
    case = us_case(db)  # its contract names Cook County, Illinois
    cf = load_case_file(db, case.ref)
    case.us_state = "CA"
    cf.borrower.habitual_address, cf.borrower.postal_code = "880 S Figueroa St Apt 12, Los Angeles, CA 90017", "90017"
    db.flush()
    ctx = context(db, case.ref, "affidavit_of_debt")
    assert ctx.court.name == "Superior Court of California, County of Los Angeles"  # type: ignore[attr-defined]
    flat = squash(texts(ctx, tmp_path)[0])
    assert "LOSANGELES" in flat and "COOKCOUNTY" not in flat


def test_texas_filings_redact_to_the_last_three_digits(db, tmp_path):
    """Tex. R. Civ. P. 21c (the state table's redaction, not FRCP 5.2(a)'s last four); Illinois keeps
    the defaults. Neither affidavit states the limitation law (the petition pleads it)."""
    case = us_case(db)  # IL: account LKCC-2024-004512, SSN 123-45-6789
    il_affidavit = squash(texts(context(db, case.ref, "affidavit_of_debt"), tmp_path)[0])
    il_index = squash(texts(context(db, case.ref, "evidence_index"), tmp_path)[0])
    assert "Accountendingin4512" in il_affidavit and "SocialSecuritynumberendsin6789" in il_affidavit
    assert "restarted" not in il_affidavit and "13-206" not in il_affidavit
    assert "Ill.S.Ct.R.138:inthepaperspreparedforthisactiononlythelastfourdigits" in il_index
    assert "endingin4512" in il_index
    assert "5.2(a)" not in il_index  # a state court: the state's rule (US-13, the state table), not the federal one
    cf = load_case_file(db, case.ref)
    case.us_state = "TX"
    cf.borrower.habitual_address, cf.borrower.postal_code = "1200 Main St Apt 5, Houston, TX 77002", "77002"
    db.flush()
    for kind in ("affidavit_of_debt", "evidence_index", "claim_statement"):
        for text in texts(context(db, case.ref, kind), tmp_path):
            flat = squash(text)
            assert "4512" not in flat and "6789" not in flat and "5.2(a)" not in flat, kind
            assert "endingin512" in flat, kind
    affidavit = squash(texts(context(db, case.ref, "affidavit_of_debt"), tmp_path)[0])
    assert "SocialSecuritynumberendsin789" in affidavit
    assert "16.065" not in affidavit and "392.307" not in affidavit and "revive" not in affidavit
    index = squash(texts(context(db, case.ref, "evidence_index"), tmp_path)[0])
    assert "redactedunderTex.R.Civ.P.21c:inthepaperspreparedforthisactiononlythelastthreedigits" in index


def test_a_collector_neither_swears_to_the_creditors_records_nor_is_the_creditor(db):
    case = us_case(db)
    lender = load_case_file(db, case.ref).lender
    lender.creditor_role, lender.collects_for = "debt_collector", "Someone Else Bank"
    db.flush()
    with pytest.raises(RuleViolation) as refused:
        context(db, case.ref, "affidavit_of_debt")
    assert [v.rule for v in refused.value.violations] == ["US-14"]


def test_the_validation_notice_and_the_debt_collector_statement_are_a_collectors(db, tmp_path):
    case = early_us_case(db)
    day = date(2025, 6, 20)
    notice = prepare(db, case.ref, "validation_notice", day)
    assert "Prairie" not in squash(texts(notice, tmp_path)[0])
    pdf = squash(texts(notice, tmp_path)[0])
    assert "LakesideTestCredit,LLCisadebtcollector" in pdf and "youowetoLakesideConsumerCredit,LLC" in pdf
    reminder = squash(texts(prepare(db, case.ref, "overdue_reminder", day), tmp_path)[0])
    assert "fromadebtcollector" in reminder
    lender = load_case_file(db, case.ref).lender
    lender.creditor_role, lender.collects_for = "original_creditor", ""
    db.flush()
    with pytest.raises(RuleViolation) as refused:
        prepare(db, case.ref, "validation_notice", day)
    assert [v.rule for v in refused.value.violations] == ["US-14"]
    assert "debtcollector" not in squash(texts(prepare(db, case.ref, "overdue_reminder", day), tmp_path)[0])


def test_nothing_sent_in_the_validation_period_demands_payment_or_cuts_off_disputes_earlier(db, tmp_path):
    case = early_us_case(db)
    sent = datetime(2025, 6, 20, 15, 0, tzinfo=UTC)  # Friday 10:00 in Chicago
    db.add(Communication(case_id=case.id, channel="letter", direction="out", party_kind="borrower",
                         to_address="1452 N Damen Ave", sent_at=sent, local_time=sent.isoformat(),
                         outcome="delivered", template_kind="validation_notice"))
    db.flush()
    end = validation_period_end(date(2025, 6, 20), US)
    assert end == date(2025, 7, 27)  # received Friday June 27 (5 business days), then 30 days
    ctx = prepare(db, case.ref, "overdue_reminder", date(2025, 6, 23))
    assert ctx.pay_by == ctx.dispute_by == end  # type: ignore[attr-defined]
    flat = squash(texts(ctx, tmp_path)[0])
    assert "byJuly27,2025" in flat and "within15days" not in flat and "byJune30,2025" not in flat
    later = prepare(db, case.ref, "overdue_reminder", date(2025, 8, 1))  # the period is over
    assert later.pay_by == date(2025, 8, 8)  # type: ignore[attr-defined]


def test_a_validation_notice_generated_again_starts_no_new_validation_period(db, tmp_path):
    """12 CFR 1006.34(b)(5): the period runs from the first notice sent; a copy keeps its dates."""
    case = early_us_case(db)
    sent = datetime(2025, 6, 20, 15, 0, tzinfo=UTC)  # Friday 10:00 in Chicago
    db.add(Communication(case_id=case.id, channel="letter", direction="out", party_kind="borrower",
                         to_address="1452 N Damen Ave", sent_at=sent, local_time=sent.isoformat(),
                         outcome="delivered", template_kind="validation_notice"))
    db.flush()
    # A payment after the notice went out: the copy still itemizes from a date before the notice.
    add_payment(db, case, PaymentIn(value_date=date(2025, 6, 25), amount=Decimal("50.00")), actor="t")
    db.flush()
    again = prepare(db, case.ref, "validation_notice", date(2025, 7, 2))
    assert again.validation_end == date(2025, 7, 27) and again.first_sent == date(2025, 6, 20)  # type: ignore[attr-defined]
    assert again.itemization.on <= date(2025, 6, 20)  # type: ignore[attr-defined]
    flat = squash(texts(again, tmp_path)[0])
    assert "copyofthevalidationnoticewesentyouonJune20,2025" in flat and "byJuly27,2025" in flat
    assert date_en(validation_period_end(date(2025, 7, 2), US)).replace(" ", "") not in flat


def test_a_copy_of_the_validation_notice_states_what_that_notice_stated(db, tmp_path):
    """Review F9: a copy reproduces the notice it copies, as of the day that notice was sent: a
    payment received after it is not credited in it, and its total is the original's, not today's."""
    case = early_us_case(db)
    sent = datetime(2025, 6, 20, 15, 0, tzinfo=UTC)  # Friday 10:00 in Chicago
    db.add(Communication(case_id=case.id, channel="letter", direction="out", party_kind="borrower",
                         to_address="1452 N Damen Ave", sent_at=sent, local_time=sent.isoformat(),
                         outcome="delivered", template_kind="validation_notice"))
    db.flush()
    original = prepare(db, case.ref, "validation_notice", date(2025, 6, 20)).itemization  # type: ignore[attr-defined]
    add_payment(db, case, PaymentIn(value_date=date(2025, 6, 25), amount=Decimal("50.00")), actor="t")
    db.flush()
    again = prepare(db, case.ref, "validation_notice", date(2025, 7, 2))
    assert again.itemization == original  # type: ignore[attr-defined]
    flat = squash(texts(again, tmp_path)[0])
    assert f"Totalamountofthedebtonthedateofthatnotice:{usd(original.current)}" in flat
    assert "Betweenthatdateandthedateofthatnotice:June20,2025" in flat and "$50.00" not in flat
    assert "Betweenthatdateandtoday:" not in flat and "Itsamountsarethoseofthatnotice,asofJune20,2025" in flat


def test_overshadowing_is_refused_by_name():
    found = overshadowing(US, as_of=date(2025, 6, 23), validation_end=date(2025, 7, 27), pay_by=date(2025, 6, 30),
                          dispute_by=date(2025, 7, 8))
    assert [v.rule for v in found] == ["US-16", "US-16"]
    assert "2025-06-30" in found[0].message and "2025-07-08" in found[1].message
    assert overshadowing(US, as_of=date(2025, 8, 1), validation_end=date(2025, 7, 27), pay_by=date(2025, 8, 2),
                         dispute_by=date(2025, 8, 2)) == []


def test_federal_holidays_count_as_observed_across_the_year_end():
    assert not is_business_day(date(2027, 12, 31))  # New Year's Day 2028 is a Saturday
    assert is_business_day(date(2027, 12, 30))
    # Sent Wednesday 2027-12-29: Thu 30, (Fri 31 observed holiday), Mon 3, Tue 4, Wed 5, Thu 6 → received
    # 2028-01-06, then 30 days.
    assert validation_period_end(date(2027, 12, 29), US) == date(2028, 2, 5)


def test_time_barred_debt_gets_the_states_disclosure_and_no_suit(db, tmp_path):
    case = early_us_case(db)
    case.us_state = "NY"
    cf = load_case_file(db, case.ref)
    cf.borrower.habitual_address, cf.borrower.postal_code = "31 Clinton St, Brooklyn, NY 11201", "11201"
    db.flush()
    day = date(2029, 3, 1)  # NY: 3 years from the last instalment (2026-01-10), no revival
    flat = squash(texts(prepare(db, case.ref, "overdue_reminder", day), tmp_path)[0])
    assert "NewYorkStateDepartmentofFinancialServices" in flat
    assert "NewYorkStateDepartment" not in squash(texts(prepare(db, case.ref, "overdue_reminder",
                                                                date(2025, 6, 20)), tmp_path)[0])


def test_a_us_claim_follows_the_agreement_with_no_cn_cap_court_fee_or_claim_amount_wording(db, client, keys, tmp_path):
    """US-18: a default rate above the CN 24 % line is claimed as the agreement has it; no CN court
    fee or 标的额 in `dossier claim`, the API, the claim statement or the affidavit."""
    case = us_case(db, penalty_rate="0.2999")
    claim = accounts.claim_of(load_case_file(db, case.ref), DAY, licensed_cap=Decimal("0.24"))
    assert claim.cap.rule_id == "US-18" and not claim.cap.binding and claim.court_fee is None
    assert claim.reduced_by == 0 and claim.set_off == 0 and claim.continuing.annual_rate == Decimal("0.2999")
    assert not [line for line in claim.reconciliation if line.source == "rule"]
    r = client.get(f"/v1/cases/{case.ref}/claim", params={"as_of": DAY.isoformat()}, headers=auth(keys["legal_staff"]))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["court_fee"] is None and body["cap"]["binding"] is False and body["cap"]["rule"] == "US-18"
    assert Decimal(body["claimed_total"]) == claim.claimed_total and "标的额" not in r.text
    for kind in ("claim_statement", "affidavit_of_debt"):
        for text in texts(context(db, case.ref, kind), tmp_path):
            flat = squash(text)
            assert "24%" not in flat and "cap" not in flat.lower() and "reduction" not in flat.lower(), kind
            assert "29.99%" in flat and date_en(DAY).replace(" ", "") in flat
