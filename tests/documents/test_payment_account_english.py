"""An English letter of a Chinese lender names its repayment account (bank and account holder) in
English: the names recorded as payment_account.bank_en and account_name_en. While only the Chinese
names are recorded, an English document that prints the account is refused naming the field, as a
visit's purpose is without purpose_en; the Chinese documents print the Chinese names."""

from datetime import date

import pytest
import sqlalchemy as sa
from alembic import command

from service.core.errors import InvalidInput
from service.core.migrate import alembic_config, upgrade
from service.documents import service as documents_service
from tests.documents.conftest import at, cn_case, squash
from tests.documents.legal_cases import texts

DAY = date(2025, 6, 20)
CHINESE_ONLY = {"bank": "中国工商银行上海浦东支行", "account_name": "测试消费金融有限公司",
                "account_no": "1001234509876543210"}
ENGLISH = {**CHINESE_ONLY, "bank_en": "Industrial and Commercial Bank of China, Shanghai Pudong Sub-branch",
           "account_name_en": "Ceshi Consumer Finance Co., Ltd."}


def _prepare(db, ref, locale):
    return documents_service.prepare(db, case_ref=ref, kind="overdue_reminder", fmt="pdf", locale=locale, as_of=DAY,
                                     now=at(DAY, 10))[2]


def test_an_english_letter_names_the_bank_and_holder_in_english(db, tmp_path):
    case = cn_case(db, stage="PHONE", lender={"payment_account": ENGLISH})
    for text in texts(_prepare(db, case.ref, "en-US"), tmp_path):
        flat = squash(text)
        assert squash(ENGLISH["bank_en"]) in flat and squash(ENGLISH["account_name_en"]) in flat, flat
        assert ENGLISH["bank"] not in flat  # (the letterhead may show the lender's Chinese name)
        assert ENGLISH["account_no"] in flat
    for text in texts(_prepare(db, case.ref, "zh-CN"), tmp_path):
        assert ENGLISH["bank"] in squash(text) and "Industrial" not in text


def test_an_english_letter_is_refused_while_the_account_has_only_chinese_names(db):
    case = cn_case(db, stage="PHONE", lender={"payment_account": CHINESE_ONLY})
    with pytest.raises(InvalidInput) as refused:
        _prepare(db, case.ref, "en-US")
    assert [e.field for e in refused.value.errors] == ["lender.payment_account.bank_en"]
    assert "account_name_en" in refused.value.errors[0].message
    assert _prepare(db, case.ref, "zh-CN")  # the Chinese letter needs no English name


def test_an_account_recorded_in_english_is_its_own_english_name(db, tmp_path):
    account = {"bank": "HSBC Hong Kong", "account_name": "Ceshi Consumer Finance Co., Ltd.", "account_no": "1001"}
    case = cn_case(db, stage="PHONE", lender={"payment_account": account})
    pdf_text, _ = texts(_prepare(db, case.ref, "en-US"), tmp_path)
    assert "HSBCHongKong" in squash(pdf_text)


def test_the_import_api_takes_the_english_names_and_no_other_key(db):
    case = cn_case(db, stage="PHONE", lender={"code": "ENGL", "payment_account": ENGLISH})
    assert case.lender.payment_account["bank_en"] == ENGLISH["bank_en"]
    with pytest.raises(Exception, match="bank_english"):
        cn_case(db, stage="PHONE", lender={"code": "ENGX", "payment_account": {**ENGLISH, "bank_english": "x"}})


def test_the_migration_gives_an_english_recorded_account_its_own_names(tmp_path):
    """0017: an account recorded in English gets its names as the English ones; one recorded in
    Chinese gets empty English names (to be recorded); downgrade removes them."""
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url, "0016")
    engine = sa.create_engine(url)
    lender = sa.Table("lender", sa.MetaData(), autoload_with=engine)
    filler = {c.name: "x" for c in lender.columns if not c.nullable and c.server_default is None and c.name != "id"}
    accounts = {"CNL": CHINESE_ONLY, "ENL": {"bank": "HSBC", "account_name": "Ceshi Co., Ltd.", "account_no": "1"}}
    with engine.begin() as conn:
        for code, account in accounts.items():
            conn.execute(lender.insert().values({**filler, "code": code, "payment_account": account}))
    upgrade(url, "0017")
    with engine.connect() as conn:
        stored = dict(conn.execute(sa.select(lender.c.code, lender.c.payment_account)).all())
    assert stored["CNL"] == {**CHINESE_ONLY, "bank_en": "", "account_name_en": ""}
    assert stored["ENL"]["bank_en"] == "HSBC" and stored["ENL"]["account_name_en"] == "Ceshi Co., Ltd."
    command.downgrade(alembic_config(url), "0016")
    with engine.connect() as conn:
        assert dict(conn.execute(sa.select(lender.c.code, lender.c.payment_account)).all())["CNL"] == CHINESE_ONLY
    engine.dispose()
