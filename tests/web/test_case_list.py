"""The case list: search, filters, sorting, cursor pagination and law-firm scoping, over HTTP."""

import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from service.cases import activity
from service.cases.models import CaseHold, DebtCase
from service.core.clock import today, utcnow
from service.web.views import cases as case_views
from tests.factories import borrower, import_case, schedule

REF = re.compile(r'href="/cases/([A-Z0-9-]+)"')


def refs(html: str) -> list[str]:
    return REF.findall(html)


@pytest.fixture
def three(db: Session, web_users: dict[str, str]) -> dict[str, DebtCase]:
    overdue = import_case(db, borrower=borrower(name="钱多多"))
    later = today() + timedelta(days=40)
    current = import_case(db, stage="CURRENT", borrower=borrower(name="孙正常"), payments=[],
                          schedule=schedule(principal="3000.00", first_due=later, start=date(2025, 1, 10)),
                          contract={"principal_agreed": "3000.00", "disbursed_amount": "3000.00"})
    assigned = import_case(db, stage="PHONE", borrower=borrower(name="李律所"))
    activity.assign(db, assigned, "WFIRM", actor="test")
    db.add(CaseHold(case_id=overdue.id, kind="DISPUTE", reason="borrower disputes", opened_at=utcnow()))
    db.flush()
    return {"overdue": overdue, "current": current, "assigned": assigned}


def test_search_by_name_contract_and_ref(signed_in: Callable[[str], TestClient], three: dict[str, DebtCase]) -> None:
    client = signed_in("legal_staff")
    assert refs(client.get("/cases", params={"q": "钱多多"}).text) == [three["overdue"].ref]
    contract = three["assigned"].contract_id
    assert contract
    assert refs(client.get("/cases", params={"q": three["current"].ref.lower()}).text) == [three["current"].ref]


def test_filters_stage_dpd_amount_firm_and_holds(signed_in: Callable[[str], TestClient],
                                                 three: dict[str, DebtCase]) -> None:
    client = signed_in("legal_staff")

    def found(**params: str) -> set[str]:
        answer = client.get("/cases", params=params)
        assert answer.status_code == 200, answer.text
        return set(refs(answer.text)) & {c.ref for c in three.values()}

    o, c, a = (three[k].ref for k in ("overdue", "current", "assigned"))
    assert found(stage="PHONE") == {a}
    assert found(dpd_min="30") == {o, a}
    assert found(dpd_max="0") == {c}
    assert found(amount_max="5000") == {c}
    assert found(amount_min="5000") == {o, a}
    assert found(firm="WFIRM") == {a}
    assert found(firm="none") == {o, c}
    assert found(hold="DISPUTE") == {o} == found(hold="any")
    assert found(hold="none") == {c, a}
    every = {"q": "", "stage": "", "dpd_min": "", "dpd_max": "", "amount_min": "", "amount_max": "", "firm": "",
             "hold": ""}  # what the form sends when nothing is filled in
    assert found(**every) == {o, c, a}
    assert client.get("/cases", params={"dpd_min": "abc"}).status_code == 422


def test_sorting_and_cursor_pagination_walk_every_case_once(signed_in: Callable[[str], TestClient],
                                                            three: dict[str, DebtCase],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(case_views, "PAGE", 2)
    client = signed_in("legal_staff")
    walks: dict[str, list[str]] = {}
    for sort in ("updated", "ref", "amount", "dpd"):
        seen: list[str] = []
        url: str | None = f"/cases?sort={sort}"
        while url:
            html = client.get(url).text
            seen += refs(html)
            more = re.search(r'<a href="(/cases\?cursor=[^"]+)"', html)
            url = more.group(1).replace("&amp;", "&") if more else None
        walks[sort] = seen
        assert len(seen) == len(set(seen)), (sort, seen)
    assert len(walks["updated"]) == len(walks["ref"]) == len(walks["amount"]) == 3
    assert walks["ref"] == sorted(walks["ref"])
    assert walks["amount"][-1] == three["current"].ref  # the 3,000 loan owes least
    assert walks["dpd"][-1] == three["current"].ref  # its first instalment is not even due
    assert client.get("/cases?cursor=garbage").status_code == 422


def test_a_law_firm_sees_only_its_cases(signed_in: Callable[[str], TestClient], three: dict[str, DebtCase]) -> None:
    client = signed_in("law_firm")
    assert refs(client.get("/cases").text) == [three["assigned"].ref]
    assert refs(client.get("/cases", params={"firm": "none"}).text) == [three["assigned"].ref]  # no way around it
