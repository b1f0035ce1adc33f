"""A real browser (Debian's Chromium through Playwright) against `dossier serve`: sign in, find a
case in the list, open it. Screenshots of the pages go to test-output/web/ for people to look at."""

import shutil
from pathlib import Path
from typing import Any

import pytest

from service.access import users
from service.cases.casefile import load_case_file
from service.core.db import unit_of_work
from service.core.settings import Settings
from tests.factories import import_case
from tests.live import own_database, running_server
from tests.web.conftest import PASSWORD
from tests.web.test_delivery import sent_letter

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"  # axe-core 4.14.1 (MPL-2.0), from the npm registry
SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "web"

pytestmark = pytest.mark.skipif(shutil.which(CHROMIUM) is None, reason="Debian's chromium is not installed")


def accessibility_problems(page: Any) -> list[str]:
    """axe-core's WCAG 2 A/AA rules on the page as shown: the serious and critical findings."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found = page.evaluate("""async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']})).violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))""")
    return list(found)


def test_sign_in_find_and_open_a_case_in_a_browser(tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    url = own_database(tmp_path, "web_browser")
    with unit_of_work(url) as session:
        ref = import_case(session).ref
        users.create_user(session, username="browser", password=PASSWORD, role="legal_staff")
    settings = Settings(database_url=url, storage_dir=tmp_path / "store")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with running_server(settings, tmp_path / "server.log") as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(base + "/")
        assert page.url.endswith("/signin")
        page.screenshot(path=str(SHOTS / "signin.png"))
        assert accessibility_problems(page) == []
        page.get_by_label("用户名").fill("browser")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url("**/cases")
        page.get_by_label("搜索").fill(ref)
        page.get_by_role("button", name="筛选").click()
        page.wait_for_url("**/cases?*")
        page.screenshot(path=str(SHOTS / "cases.png"))
        assert accessibility_problems(page) == []
        page.get_by_role("link", name=ref).click()
        page.wait_for_url(f"**/cases/{ref}")
        assert page.get_by_role("heading", name="借款人").is_visible()
        assert "11010519491231002X" not in page.content()
        page.screenshot(path=str(SHOTS / "case.png"), full_page=True)
        assert accessibility_problems(page) == []
        for name in ("dashboard", "downloads"):
            page.goto(f"{base}/{name}")
            page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
            assert accessibility_problems(page) == [], name
        page.goto(f"{base}/cases/{ref}")
        page.get_by_role("link", name="English").click()
        # the switch redirects back to the same URL: wait for the English heading itself (is_visible()
        # does not wait, and read the Chinese page still shown on a busy machine)
        expect(page.get_by_role("heading", name="Borrower")).to_be_visible(timeout=60_000)
        browser.close()


def test_mark_a_letter_delivered_from_the_timeline_in_a_browser(tmp_path: Path) -> None:
    """The button on a timeline row still recorded as sent: one click (htmx, CSRF header), the
    page comes back saying so, the row's button is gone and the trail shows the delivery."""
    from playwright.sync_api import sync_playwright

    url = own_database(tmp_path, "web_browser_delivery")
    with unit_of_work(url) as session:
        case = import_case(session)
        ref = case.ref
        sent_letter(session, case)
        users.create_user(session, username="browser", password=PASSWORD, role="legal_staff")
    settings = Settings(database_url=url, storage_dir=tmp_path / "store")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with running_server(settings, tmp_path / "server.log") as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(f"{base}/cases/{ref}")
        page.get_by_label("用户名").fill("browser")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"**/cases/{ref}")
        timeline = page.locator("section", has=page.get_by_role("heading", name="时间线"))
        timeline.screenshot(path=str(SHOTS / "delivery-before.png"))
        assert timeline.get_by_role("button", name="标记已送达").count() == 1
        assert accessibility_problems(page) == []
        page.get_by_role("link", name="English").click()
        timeline = page.locator("section", has=page.get_by_role("heading", name="Timeline"))
        timeline.screenshot(path=str(SHOTS / "delivery-before-en.png"))
        timeline.get_by_role("button", name="Mark delivered").click()
        page.wait_for_url(f"**/cases/{ref}?done=delivered")
        assert page.get_by_role("status").inner_text().strip() == "The delivery to the borrower was recorded."
        assert timeline.get_by_role("button", name="Mark delivered").count() == 0
        assert timeline.get_by_role("cell", name="Delivery recorded").count() == 1
        page.screenshot(path=str(SHOTS / "delivery-after-en.png"), full_page=True)
        assert accessibility_problems(page) == []
        page.get_by_role("link", name="中文").click()
        timeline = page.locator("section", has=page.get_by_role("heading", name="时间线"))
        assert timeline.get_by_role("cell", name="送达已登记").count() == 1
        timeline.screenshot(path=str(SHOTS / "delivery-after.png"))
        browser.close()
    with unit_of_work(url, write=False) as session:
        assert [c.outcome for c in load_case_file(session, ref).communications] == ["delivered"]
