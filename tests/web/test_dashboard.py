"""The dashboard counts what the principal may see, and each bar links to the filtered list."""

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from service.cases import activity
from tests.factories import import_case


def test_the_dashboard_counts_visible_cases_and_links_to_the_list(signed_in: Callable[[str], TestClient],
                                                                   db: Session) -> None:
    import_case(db, stage="PHONE")
    mine = import_case(db, stage="PRE_LITIGATION")
    activity.assign(db, mine, "WFIRM", actor="test")
    staff = signed_in("legal_staff")
    page = staff.get("/dashboard")
    assert page.status_code == 200 and "<svg" in page.text
    assert 'href="/cases?stage=PHONE"' in page.text and "电话催收: 1" in page.text
    assert 'href="/cases?dpd_min=366&amp;sort=dpd"' in page.text
    assert staff.get("/cases?dpd_min=366&sort=dpd").status_code == 200
    staff.cookies.clear()
    firm = signed_in("law_firm").get("/dashboard").text
    assert "诉前: 1" in firm and "电话催收: 0" in firm
