"""Administration: users and API keys, the audit trail with its chain check; admins only."""

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import import_case
from tests.web.conftest import PASSWORD, csrf_of, sign_in


def test_only_an_admin_may_administer(signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("legal_staff")
    assert client.get("/admin").status_code == 403
    assert client.get("/admin/audit").status_code == 403


def test_create_and_disable_a_user_and_a_key(signed_in: Callable[[str], TestClient], db: Session) -> None:
    admin = signed_in("admin")
    token = csrf_of(admin.get("/admin").text)
    made = admin.post("/admin/users", data={"username": "newlawyer", "password": PASSWORD, "role": "law_firm",
                                            "firm": "WFIRM", "csrf_token": token}, follow_redirects=False)
    assert made.status_code == 303, made.text
    assert "newlawyer" in admin.get("/admin").text
    key_page = admin.post("/admin/keys", data={"role": "collector", "label": "crm", "csrf_token": token})
    assert key_page.status_code == 200 and re.search(r'id="new-key">dsk_[0-9a-f]{8}\.', key_page.text)
    other = TestClient(admin.app)
    assert sign_in(other, "newlawyer").status_code == 303
    ids = re.findall(r'action="/admin/users/(\d+)/disable"', admin.get("/admin").text)
    names = re.findall(r"<tr><td>(\w+)", admin.get("/admin").text)
    target = dict(zip(names, ids, strict=False)).get("newlawyer")
    assert target
    assert admin.post(f"/admin/users/{target}/disable", data={"csrf_token": token},
                      follow_redirects=False).status_code == 303
    assert other.get("/cases", follow_redirects=False).status_code == 303  # its session ended with it
    assert sign_in(TestClient(admin.app), "newlawyer").status_code == 401


def test_the_audit_trail_filters_and_checks_its_chain(signed_in: Callable[[str], TestClient], db: Session) -> None:
    case = import_case(db)
    admin = signed_in("admin")
    page = admin.get("/admin/audit", params={"case_ref": case.ref, "verify": "true"})
    assert page.status_code == 200 and "案件导入" in page.text and 'id="chain"' in page.text
    assert "哈希链完整" in page.text
    assert "案件导入" not in admin.get("/admin/audit", params={"action": "user."}).text
