"""Rule refusals and warnings speak the page's language; the API keeps its English message."""

import json
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from service.cases import activity
from service.cases.rules import RULES_DIR, load_ruleset
from service.cases.schemas import TransitionIn
from service.core.errors import RuleViolation
from service.core.security import Principal
from tests.factories import import_case
from tests.web.conftest import csrf_of


def test_every_message_and_rule_title_is_worded_in_chinese_too() -> None:
    for key, texts in json.loads((RULES_DIR / "messages.json").read_text(encoding="utf-8")).items():
        assert (texts["en"] and texts["zh-CN"]) or key == "what.none", key
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in texts["en"]), key
    for profile in ("CN", "US"):
        untitled = [r.id for r in load_ruleset(profile).rules.values() if not r.title_zh]
        assert untitled == [], (profile, untitled)


def test_a_refusal_on_a_chinese_page_is_chinese_and_on_an_english_page_english(
        signed_in: Callable[[str], TestClient], db: Session) -> None:
    case = import_case(db)  # REMINDER
    client = signed_in("legal_staff")
    token = csrf_of(client.get(f"/cases/{case.ref}").text)
    form = {"to": "FILED", "reason": "try", "csrf_token": token}
    zh = client.post(f"/cases/{case.ref}/transition", data=form)
    assert zh.status_code == 422 and "REMINDER → FILED 不是流程中的步骤" in zh.text
    assert "is not a step of the process" not in zh.text
    assert f'<a href="/cases/{case.ref}">返回案件 {case.ref}</a>' in zh.text  # back to where the user was
    client.cookies.set("dossier_lang", "en-US")
    en = client.post(f"/cases/{case.ref}/transition", data=form)
    assert en.status_code == 422 and "REMINDER → FILED is not a step of the process" in en.text


def test_a_hold_warning_on_the_case_page_is_chinese(signed_in: Callable[[str], TestClient], db: Session) -> None:
    case = import_case(db)
    activity.transition(db, case, TransitionIn(hold="DISPUTE", reason="borrower disputes"),
                        Principal(actor="test", role="legal_staff"))
    page = signed_in("legal_staff").get(f"/cases/{case.ref}").text
    assert "案件处于暂停状态（DISPUTE）：不得对外联系" in page


def test_the_api_message_stays_english_and_the_violation_carries_the_chinese(db: Session) -> None:
    case = import_case(db)
    try:
        activity.transition(db, case, TransitionIn(to="PROMISE", reason="x"), Principal(actor="t", role="admin"))
    except RuleViolation as exc:
        found = exc.violations
    else:
        raise AssertionError("REMINDER → PROMISE was not refused")
    assert found[0].as_dict() == {"rule": "ESC-00", "message": found[0].message}
    assert found[0].message.startswith("REMINDER → PROMISE is not a step of the process")
    assert found[0].localized["zh-CN"].startswith("REMINDER → PROMISE 不是流程中的步骤")


def test_a_lender_without_a_licence_warns_legal_staff_it_may_be_a_professional_lender(
        signed_in: Callable[[str], TestClient], db: Session) -> None:
    """CN-32: the case page of a non-licensed lender's case warns, in Chinese, that the lender may
    be found a 职业放贷人 (民间借贷规定 art. 13(三)); a licensed lender's case does not."""
    unlicensed = import_case(db, lender={"code": "RXTZ", "name": "四川蓉信投资咨询有限公司",
                                         "licence_type": "non_licensed", "credit_system": ""})
    licensed = import_case(db)
    client = signed_in("legal_staff")
    page = client.get(f"/cases/{unlicensed.ref}").text
    assert "CN-32" in page and "四川蓉信投资咨询有限公司无放贷资格" in page and "可能被认定为职业放贷人" in page
    assert "CN-32" not in client.get(f"/cases/{licensed.ref}").text
