"""The catalogue is checked whole at start-up: a kind missing a part is named before any request."""

import json
import shutil

import pytest

from service.app import create_app
from service.core.settings import Settings
from service.documents.completeness import IncompleteCatalogue, missing_parts
from tests.documents.conftest import TEMPLATES


def test_every_kind_is_whole():
    assert missing_parts(TEMPLATES) == []


def test_a_missing_template_and_title_are_named_and_stop_the_start(tmp_path, settings):
    copy = tmp_path / "templates"
    shutil.copytree(TEMPLATES, copy)
    (copy / "notices" / "breach_notice" / "us" / "en-US.docx").unlink()
    labels = copy / "legal" / "packet" / "exhibits.zh-CN.json"
    words = json.loads(labels.read_text(encoding="utf-8"))
    del words["titles"]["lawyer_letter"]
    labels.write_text(json.dumps(words, ensure_ascii=False), encoding="utf-8")
    assert missing_parts(copy) == [
        "breach_notice: template templates/notices/breach_notice/us/en-US.docx is missing",
        "lawyer_letter: no title in templates/legal/packet/exhibits.zh-CN.json",
    ]
    broken: Settings = settings.model_copy(update={"templates_dir": copy})
    with pytest.raises(IncompleteCatalogue, match="breach_notice"):
        create_app(broken)
