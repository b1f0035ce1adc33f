"""Litigator's review (demo packets): the zh-CN DRAFT packet's list of what is missing printed codes —
"DOC-06 the lawyer_letter of … a civil_complaint is dated …", "请上传类别 lender_licence". Every code
on a packet page is its label in the packet's language: a pleading the rules refuse by its title and
the refusal as the rule set words it in that language; an upload category by the word the upload form
shows for it. A code with no label stops the packet, as a template's ``label`` does."""

import json
import re
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from service.cases.casefile import load_case_file
from service.cases.models import Communication
from service.core.settings import get_settings
from service.documents.exceptions import UnknownLabel
from service.packets import render
from service.packets.build import _pleading_or_none
from service.packets.plan import _Words, plan_packet
from service.packets.schemas import Category
from tests.documents.conftest import TEMPLATES
from tests.documents.legal_cases import DAY, litigation_case

CODE = re.compile(r"[a-z]+_[a-z_]+|\b(?:CN|US|DOC|ESC|PLAN|POL)-\d{2}\b")
WEB = Path(__file__).resolve().parents[2] / "service" / "web" / "messages"


def test_nothing_missing_from_a_cn_plan_is_named_by_a_code(db):
    case = litigation_case(db, lender={"legal_rep_title": ""})
    plan = plan_packet(load_case_file(db, case.ref), [], [], templates_dir=TEMPLATES)
    assert len(plan.missing) >= 6, plan.missing
    assert not [m for m in plan.missing if CODE.search(m)], plan.missing
    assert "借款合同（请上传类别「借款合同」）" in plan.missing
    assert "原告金融许可证复印件（请上传类别「金融许可证 / 经营许可」）" in plan.missing


def test_a_pleading_the_rules_refuse_is_named_by_its_title_and_the_refusal_in_chinese(db, tmp_path):
    case = litigation_case(db)
    sent = datetime.combine(DAY - date.resolution * 3, time(10), ZoneInfo("Asia/Shanghai")).astimezone(UTC)
    db.add(Communication(case_id=case.id, channel="letter", direction="out", party_kind="borrower",
                         to_address="北京市朝阳区建国路88号", sent_at=sent, local_time=sent.isoformat(),
                         outcome="delivered", template_kind="lawyer_letter", actor="test"))
    db.flush()
    cf = load_case_file(db, case.ref)
    plan = plan_packet(cf, [], [], templates_dir=TEMPLATES)
    renderer = render.PacketRenderer(db, get_settings(), cf, DAY, tmp_path, locale=plan.locale)
    before = list(plan.missing)
    assert _pleading_or_none(renderer, plan, "civil_complaint", draft=True) is None  # DOC-06: the deadline runs
    (line,) = plan.missing[len(before):]
    assert line.startswith("民事起诉状暂不能出具：已于 2025-11-28 发出的律师函给予借款人至"), line
    assert not CODE.search(line), line


def test_every_upload_category_has_its_label_in_both_languages_as_the_upload_form_names_it():
    for locale in ("zh-CN", "en-US"):
        words = json.loads((TEMPLATES / "legal" / "packet" / f"exhibits.{locale}.json").read_text(encoding="utf-8"))
        web = json.loads((WEB / f"{locale}.json").read_text(encoding="utf-8"))
        assert set(words["categories"]) == set(Category), locale
        assert words["categories"] == {c: web[f"category.{c}"] for c in Category}, locale


def test_a_code_without_a_label_stops_the_packet(db):
    case = litigation_case(db)
    words = _Words(TEMPLATES, "zh-CN", {})
    with pytest.raises(UnknownLabel):
        words.missing("loan_contract", category="no_such_category")
    assert load_case_file(db, case.ref)  # the case itself is fine: only the label is unknown
