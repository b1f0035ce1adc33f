"""A browser refused by the rate limit, or lost on an unknown URL, gets a page in its language;
an API client gets problem+json as before."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from service.core.settings import Settings

PAGE = {"Accept": "text/html,application/xhtml+xml"}


@pytest.fixture
def limited(settings: Settings, db: Session) -> Iterator[TestClient]:
    from service.app import create_app
    from service.core.deps import get_session

    app = create_app(settings.model_copy(update={"rate_limit_per_address": "2/minute"}))

    def _session() -> Iterator[Session]:
        yield db

    app.dependency_overrides[get_session] = _session
    with TestClient(app) as client:
        yield client


def test_a_browser_over_the_rate_limit_gets_a_page_in_its_language(limited: TestClient) -> None:
    for _ in range(2):
        assert limited.get("/signin", headers=PAGE).status_code == 200
    zh = limited.get("/signin", headers=PAGE)
    assert zh.status_code == 429 and zh.headers["content-type"].startswith("text/html")
    assert "请求过多" in zh.text and "秒后重试" in zh.text and int(zh.headers["retry-after"]) > 0
    limited.cookies.set("dossier_lang", "en-US")
    en = limited.get("/signin", headers=PAGE)
    assert en.status_code == 429 and "Too many requests" in en.text and '<html lang="en' in en.text


def test_htmx_over_the_rate_limit_gets_the_refusal_fragment(limited: TestClient) -> None:
    for _ in range(2):
        limited.get("/signin", headers=PAGE)
    fragment = limited.get("/cases", headers={"HX-Request": "true"})
    assert fragment.status_code == 429 and fragment.headers["hx-retarget"] == "#flash"
    assert "<html" not in fragment.text and "请求过多" in fragment.text


def test_an_api_client_over_the_rate_limit_still_gets_problem_json(limited: TestClient) -> None:
    for _ in range(2):
        limited.get("/signin", headers=PAGE)
    answer = limited.get("/v1/cases", headers={"Accept": "text/html", "Authorization": "Bearer dsk_nothing"})
    assert answer.status_code == 429 and answer.headers["content-type"] == "application/problem+json"


def test_an_unknown_url_in_a_browser_is_a_page_and_for_a_client_problem_json(client: TestClient) -> None:
    page = client.get("/no-such-page", headers=PAGE)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html") and "未找到" in page.text
    api = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert api.status_code == 404 and api.headers["content-type"] == "application/problem+json"
