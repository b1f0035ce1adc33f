"""Issue 10 §6, review F8 and R-10: a notice in an exhibit is a copy of the document as sent with
its own page footer removed, so a packet page shows one numbering; the file as sent (its
SHA-256 is in the notice history) is in the bundle's originals/. The exhibit's cover says so and
names the packet page number and Bates label as the ones to cite."""

from service.documents.contexts.common import DocMeta
from service.documents.contexts.legal.packet import ExhibitCoverContext
from service.documents.registry import KINDS
from service.documents.render import render
from tests.documents.conftest import TEMPLATES, pdf_text, squash


def _cover(profile: str, locale: str, sent: int) -> tuple[ExhibitCoverContext, DocMeta]:
    from datetime import date

    doc = DocMeta(kind="exhibit_cover", profile=profile, locale=locale, audience=KINDS["exhibit_cover"].audience,
                  as_of=date(2026, 12, 4), case_ref="X", state="TX" if profile == "US" else "")
    return ExhibitCoverContext.sample(doc).model_copy(update={"sent_copies": sent}), doc


def test_an_exhibit_of_sent_notices_says_which_page_number_to_cite(tmp_path):
    cn = "其自身“第×页/共×页”页脚已删去，以卷宗页码及卷宗编号为准；发送时的原件见随附电子文件的原件目录"
    us = ("with their own page footer removed: cite pages by this packet's page number and Bates label. "
          "The files as sent are in the bundle's originals folder")
    for profile, locale, said in (("CN", "zh-CN", cn), ("US", "en-US", us)):
        ctx, _ = _cover(profile, locale, 2)
        text = squash(pdf_text(render(ctx, "pdf", templates_dir=TEMPLATES).data, tmp_path))
        assert squash(said) in text, text
        plain, _ = _cover(profile, locale, 0)
        assert squash(said) not in squash(pdf_text(render(plain, "pdf", templates_dir=TEMPLATES).data, tmp_path))


def test_one_sent_notice_is_named_in_the_singular(tmp_path):
    """Review (US-00011): the cover said "The 1 notice in this exhibit"."""
    ctx, _ = _cover("US", "en-US", 1)
    text = squash(pdf_text(render(ctx, "pdf", templates_dir=TEMPLATES).data, tmp_path))
    assert squash("The notice in this exhibit is a true copy of the document as sent") in text, text
    assert "The1notice" not in text
    ctx, _ = _cover("US", "en-US", 2)
    text = squash(pdf_text(render(ctx, "pdf", templates_dir=TEMPLATES).data, tmp_path))
    assert squash("The 2 notices in this exhibit are true copies of the documents as sent") in text, text


def test_chinese_packet_words_name_the_page_label_and_the_originals_folder_in_chinese(tmp_path):
    """Review of 2026-12-06: the zh-CN index and covers said "Bates编号" where the packet's own note says
    卷宗编号, and "originals目录" in Chinese text. One Chinese term, and the folder as 原件目录 (the
    bundle's manifest names the folder in both languages: tests/packets/test_packet_build.py)."""
    import json
    import re

    from service.documents.docx import docx_text

    found = {}
    for path in sorted(TEMPLATES.rglob("*zh-CN*")):
        if path.suffix == ".docx":
            text = docx_text(path.read_bytes())
        elif path.suffix == ".json":
            text = " ".join(_values(json.loads(path.read_text(encoding="utf-8"))))  # its words, not its keys
        else:
            text = path.read_text(encoding="utf-8")
        if words := re.findall(r"Bates|originals", re.sub(r"{{.*?}}|{%.*?%}|{#.*?#}", " ", text, flags=re.S)):
            found[str(path.relative_to(TEMPLATES))] = words
    assert not found
    ctx, _ = _cover("CN", "zh-CN", 0)
    text = squash(pdf_text(render(ctx, "pdf", templates_dir=TEMPLATES).data, tmp_path))
    assert "卷宗编号" in text and "Bates" not in text


def _values(value: object) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _values(v)]
    if isinstance(value, list):
        return [s for v in value for s in _values(v)]
    return [value] if isinstance(value, str) else []
