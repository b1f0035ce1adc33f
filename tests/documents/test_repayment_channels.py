"""A notice tells the borrower to pay only through the channels the lender records (DOC-10).

Review: every CN notice said "登录本公司官方App…在线还款" / "in our official app", whatever the lender;
false for a lender that has no app (a lender without a licence, a factoring company), and a notice
that names a channel that does not exist misleads the borrower it also tells to pay only through
the lender's published channels. The lender records its app's name (lender.app_name, nullable); a
notice names the app by that name only then, beside the repayment account; a lender with neither
is given its customer hotline as the way to arrange payment; one with no hotline either is refused,
naming DOC-10. The demo's cases: tests/demo/test_repayment_channels.py."""

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import select

from service.audit.models import AuditEvent
from service.cases.models import Lender
from service.core.errors import RuleViolation
from service.core.migrate import alembic_config, upgrade
from service.documents import service as documents_service
from tests.conftest import auth
from tests.documents.conftest import add_prenotice, at, cn_case, squash
from tests.documents.legal_cases import texts

DAY = date(2025, 6, 20)
APP = "随心贷App"
ACCOUNT = {"bank": "中国工商银行上海浦东支行", "bank_en": "ICBC Shanghai Pudong Sub-branch",
           "account_name": "测试消费金融有限公司", "account_name_en": "Ceshi Consumer Finance Co., Ltd.",
           "account_no": "1001234509876543210"}
HOTLINE = "400-000-1234"  # tests/factories.py's lender
# the kinds a PHONE-stage case of the factory gets that tell the borrower how to pay
KINDS = (("overdue_reminder", "zh-CN"), ("overdue_reminder", "en-US"), ("credit_report_prenotice", "zh-CN"),
         ("demand_letter", "zh-CN"))


def names_an_app(text: str, locale: str) -> bool:
    """An app named in the text: "App" in a Chinese document, the word "app" in an English one."""
    if locale == "zh-CN":
        return "App" in squash(text)
    return re.search(r"\bapps?\b", " ".join(text.split()), re.I) is not None


def _prepare(db, ref, kind, locale):
    return documents_service.prepare(db, case_ref=ref, kind=kind, fmt="pdf", locale=locale, as_of=DAY,
                                     now=at(DAY, 10))[2]


def _case(db, **lender):
    case = cn_case(db, stage="PHONE", lender=lender)
    add_prenotice(db, case, at(DAY - timedelta(days=30), 10))  # the demand letter's credit wording (CN-10)
    return case


def _texts(db, case, tmp_path):
    for kind, locale in KINDS:
        for text in texts(_prepare(db, case.ref, kind, locale), tmp_path):
            yield kind, locale, text


def test_a_lender_without_an_app_or_account_is_given_its_hotline_and_no_app(db, tmp_path):
    case = _case(db)
    for kind, locale, raw in _texts(db, case, tmp_path):
        text = squash(raw)
        assert not names_an_app(raw, locale), (kind, locale, raw)
        if locale == "zh-CN":
            assert squash(f"致电本公司客服热线{HOTLINE}办理还款") in text, (kind, text)
            assert "如需其他还款方式" not in text  # the hotline is the way, not another one
        else:
            assert squash(f"by calling our customer hotline, {HOTLINE}, to arrange payment") in text, text


def test_a_lender_with_only_an_account_names_the_account_and_no_app(db, tmp_path):
    case = _case(db, code="TACC", payment_account=ACCOUNT)
    for kind, locale, raw in _texts(db, case, tmp_path):
        text = squash(raw)
        assert not names_an_app(raw, locale), (kind, locale, raw)
        assert ACCOUNT["account_no"] in text, (kind, locale)
        assert "办理还款" not in text and "to arrange payment" not in text


def test_a_lender_with_an_app_is_named_by_the_apps_name(db, tmp_path):
    case = _case(db, code="TAPP", app_name=f" {APP} ", payment_account=ACCOUNT)
    assert case.lender.app_name == APP  # recorded trimmed
    for kind, locale, raw in _texts(db, case, tmp_path):
        text = squash(raw)
        assert APP in text, (kind, locale, text)
        assert "官方App" not in text and "official app" not in text
        if locale == "zh-CN":
            assert f"登录{APP}在线还款" in text, (kind, text)
        assert ACCOUNT["account_no"] in text, (kind, locale)


def test_a_lender_with_no_channel_at_all_is_refused_naming_doc_10(db):
    case = _case(db, code="TNONE")
    case.lender.hotline = ""  # not through the API (a hotline is required there): a record made otherwise
    db.flush()
    for kind, locale in KINDS:
        with pytest.raises(RuleViolation) as refused:
            _prepare(db, case.ref, kind, locale)
        found = [v for v in refused.value.violations if v.rule == "DOC-10"]
        assert found, refused.value.violations
        assert "TNONE" in found[0].message and "no repayment channel" in found[0].message
        assert "还款渠道" in found[0].localized["zh-CN"]
    case.lender.app_name = APP  # an app alone is a channel
    db.flush()
    assert _prepare(db, case.ref, "overdue_reminder", "zh-CN")


def test_an_admin_records_and_removes_the_app_and_the_trail_says_so(client, keys, db):
    case = cn_case(db, stage="PHONE", lender={"code": "TPAT"})
    admin = auth(keys["admin"])
    shown = client.get("/v1/lenders/TPAT", headers=admin).json()
    assert shown["app_name"] is None and shown["repayment_account"] is None and shown["hotline"] == HOTLINE
    done = client.patch("/v1/lenders/TPAT", json={"app_name": APP}, headers=admin)
    assert done.status_code == 200, done.text
    assert done.json()["app_name"] == APP
    assert client.patch("/v1/lenders/TPAT", json={"app_name": None}, headers=admin).json()["app_name"] is None
    events = db.scalars(select(AuditEvent).where(AuditEvent.action == "lender.app_updated")
                        .order_by(AuditEvent.id)).all()
    assert [(e.data["before"], e.data["app_name"]) for e in events] == [(None, APP), (APP, None)]
    too_long = client.patch("/v1/lenders/TPAT", json={"app_name": "A" * 61}, headers=admin)
    assert too_long.status_code == 422
    assert client.patch("/v1/lenders/TPAT", json={"app_name": APP}, headers=auth(keys["collector"])).status_code == 403
    assert db.get(Lender, case.lender.id).app_name is None


def test_the_cli_records_the_app_and_shows_the_channels(run, db):
    cn_case(db, stage="PHONE", lender={"code": "TCLI", "payment_account": ACCOUNT})
    done = run("lender", "app", "TCLI", APP)
    assert done.exit_code == 0, done.output
    assert f"app {APP}" in done.output and ACCOUNT["account_no"] in done.output
    assert run("lender", "app", "TCLI").exit_code == 1  # a name, or --none
    assert run("lender", "app", "TCLI", APP, "--none").exit_code == 1
    cleared = run("lender", "app", "TCLI", "--none")
    assert cleared.exit_code == 0 and "app (none)" in cleared.output, cleared.output
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "lender.app_updated")
                       .order_by(AuditEvent.id.desc())).first()
    assert event is not None and event.actor == "cli" and event.object_id == "TCLI"


def test_the_migration_records_no_app_for_existing_lenders(tmp_path):
    """0035: existing lenders get no app (NULL): their notices name none until one is recorded."""
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url, "0034")
    engine = sa.create_engine(url)
    lender = sa.Table("lender", sa.MetaData(), autoload_with=engine)
    filler = {c.name: "x" for c in lender.columns if not c.nullable and c.server_default is None and c.name != "id"}
    with engine.begin() as conn:
        conn.execute(lender.insert().values({**filler, "code": "OLD", "payment_account": {}}))
    upgrade(url, "0035")
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT code, app_name FROM lender")).all() == [("OLD", None)]
    command.downgrade(alembic_config(url), "0034")
    with engine.connect() as conn:
        assert "app_name" not in {c["name"] for c in sa.inspect(conn).get_columns("lender")}
    engine.dispose()
