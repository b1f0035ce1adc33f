"""Web UI fixtures: users of each role (their passwords known to the test) and a signed-in client."""

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from service.access import users
from service.cases.models import LawFirm

PASSWORD = "correct-horse-battery"
CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page carries no CSRF token"
    return found.group(1)


@pytest.fixture
def firms(db: Session) -> dict[str, LawFirm]:
    names = (("WFIRM", "测试律师事务所"), ("XFIRM", "另一律师事务所"))
    made = {code: LawFirm(code=code, name=name) for code, name in names}
    db.add_all(made.values())
    db.flush()
    return made


@pytest.fixture
def web_users(db: Session, firms: dict[str, LawFirm]) -> dict[str, str]:
    """user name by role; every password is PASSWORD."""
    made = {"admin": "wadmin", "legal_staff": "wlegal", "collector": "wcollector", "law_firm": "wfirm"}
    for role, name in made.items():
        users.create_user(db, username=name, password=PASSWORD, role=role,
                          law_firm_id=firms["WFIRM"].id if role == "law_firm" else None)
    users.create_user(db, username="xfirm", password=PASSWORD, role="law_firm", law_firm_id=firms["XFIRM"].id)
    return made


def sign_in(client: TestClient, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    token = csrf_of(client.get("/signin").text)
    return client.post("/signin", data={"username": username, "password": password, "csrf_token": token,
                                        "next": "/cases"}, follow_redirects=False)


@pytest.fixture
def signed_in(client: TestClient, web_users: dict[str, str]) -> Callable[[str], TestClient]:
    """Sign the client in as the user of a role (or a user name) and return it."""

    def as_(who: str) -> TestClient:
        answer = sign_in(client, web_users.get(who, who))
        assert answer.status_code == 303, answer.text
        return client

    return as_
