"""Sign-in, sign-out, CSRF and lock-out, through real HTTP on the app and its database."""

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.access.models import User
from service.access.security import password_matches
from tests.web.conftest import PASSWORD, csrf_of, sign_in


def test_front_door_sends_a_stranger_to_sign_in(client: TestClient) -> None:
    answer = client.get("/", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/signin"
    page = client.get("/signin")
    assert page.status_code == 200 and "登录" in page.text and 'lang="zh-CN"' in page.text


def test_a_page_needs_sign_in_and_comes_back_after(client: TestClient, web_users: dict[str, str]) -> None:
    answer = client.get("/cases?stage=PHONE", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/signin?next=%2Fcases%3Fstage%3DPHONE"


def test_sign_in_sets_a_safe_session_cookie_and_sign_out_ends_it(client: TestClient, web_users: dict[str, str],
                                                                  db: Session) -> None:
    answer = sign_in(client, "wlegal")
    assert answer.status_code == 303 and answer.headers["location"] == "/cases"
    cookie = next(h for h in answer.headers.get_list("set-cookie") if h.startswith("dossier_session="))
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower() and "Secure" not in cookie  # plain HTTP here
    assert client.get("/").headers.get("location", "/cases") == "/cases"
    page = client.get("/cases")
    assert page.status_code == 200 and "wlegal" in page.text
    stolen = client.cookies.get("dossier_session")
    assert client.post("/signout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False).status_code == 303
    client.cookies.set("dossier_session", stolen or "")  # the old cookie replayed: the server ended it
    assert client.get("/cases", follow_redirects=False).status_code == 303


def test_the_password_is_stored_as_argon2id(web_users: dict[str, str], db: Session) -> None:
    stored = db.scalar(select(User.password_hash).where(User.username == "wlegal"))
    assert stored is not None and stored.startswith("$argon2id$")
    assert password_matches(PASSWORD, stored) and not password_matches(PASSWORD + "x", stored)


def test_a_post_without_the_csrf_token_is_refused(client: TestClient, web_users: dict[str, str]) -> None:
    client.get("/signin")
    answer = client.post("/signin", data={"username": "wlegal", "password": PASSWORD})
    assert answer.status_code == 403 and "dossier_session" not in client.cookies
    answer = client.post("/signin", data={"username": "wlegal", "password": PASSWORD, "csrf_token": "0" * 64})
    assert answer.status_code == 403
    assert sign_in(client, "wlegal").status_code == 303
    assert client.post("/signout", data={}).status_code == 403  # signed in, still no token: refused


def test_repeated_failures_lock_the_account(client: TestClient, web_users: dict[str, str], db: Session) -> None:
    for _ in range(4):
        refused = sign_in(client, "wlegal", "wrong-password")
        assert refused.status_code == 401 and "用户名或密码不正确" in refused.text
    locked = sign_in(client, "wlegal", "wrong-password")
    assert locked.status_code == 401 and "锁定" in locked.text
    still = sign_in(client, "wlegal")  # the right password during the lock-out is refused too
    assert still.status_code == 401 and "锁定" in still.text
    assert db.scalar(select(User.locked_until).where(User.username == "wlegal")) is not None


def test_an_unknown_user_gets_the_same_answer(client: TestClient, web_users: dict[str, str]) -> None:
    answer = sign_in(client, "nobody")
    assert answer.status_code == 401 and "用户名或密码不正确" in answer.text


def test_english_by_the_switch(client: TestClient, web_users: dict[str, str]) -> None:
    client.get("/lang/en-US?next=/signin")
    page = client.get("/signin")
    assert 'lang="en-US"' in page.text and "Sign in" in page.text
    assert client.get("/lang/en-US?next=//evil.example", follow_redirects=False).headers["location"] == "/cases"


def test_every_role_signs_in_and_sees_what_it_may(client: TestClient, web_users: dict[str, str]) -> None:
    navs = {"admin": ("/admin", "/downloads"), "legal_staff": ("/downloads",), "collector": (),
            "law_firm": ("/downloads",)}
    for role, name in web_users.items():
        client.cookies.clear()
        assert sign_in(client, name).status_code == 303, role
        page = client.get("/cases").text
        for link in ("/admin", "/downloads"):
            assert (f'href="{link}"' in page) == (link in navs[role]), (role, link)
        assert client.get("/dashboard").status_code == 200
