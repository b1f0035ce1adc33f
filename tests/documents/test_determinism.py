"""A hash proves what was sent: the same inputs give the same bytes, alone or in a batch, in
this process or another one."""

import hashlib
import os
import subprocess
import sys
import zipfile
from io import BytesIO

import pytest

from service.documents.bulk import render_many, render_one, warm_up
from service.documents.registry import get_kind
from service.documents.render import render
from tests.documents.conftest import NOTICES, TEMPLATES, Variant

SCRIPT = """
import hashlib, sys
from tests.documents.conftest import Variant, TEMPLATES
from service.documents.registry import get_kind
from service.documents.render import render
for key in sys.argv[1:]:
    kind, profile, locale = key.split("|")
    ctx = Variant(get_kind(kind), profile, locale).sample()
    for fmt in ("pdf", "docx"):
        print(key, fmt, hashlib.sha256(render(ctx, fmt, templates_dir=TEMPLATES).data).hexdigest())
"""


def _digest(v: Variant, fmt: str) -> str:
    return hashlib.sha256(render(v.sample(), fmt, templates_dir=TEMPLATES).data).hexdigest()


def test_same_inputs_same_bytes_in_this_process():
    v = Variant(get_kind("overdue_reminder"), "CN", "zh-CN")
    for fmt in ("pdf", "docx", "sms"):
        assert _digest(v, fmt) == _digest(v, fmt)


def test_same_bytes_in_a_fresh_process():
    chosen = [v for v in NOTICES if v.kind.kind in ("overdue_reminder", "validation_notice")]
    keys = [f"{v.kind.kind}|{v.profile}|{v.locale}" for v in chosen]
    out = subprocess.run([sys.executable, "-c", SCRIPT, *keys], capture_output=True, text=True, check=True,
                         cwd=TEMPLATES.parent).stdout.split("\n")
    theirs = dict(((line.split()[0], line.split()[1]), line.split()[2]) for line in out if line.strip())
    for v, key in zip(chosen, keys, strict=True):
        for fmt in ("pdf", "docx"):
            assert theirs[(key, fmt)] == _digest(v, fmt), (key, fmt)


def test_alone_and_in_a_batch_give_the_same_bytes():
    base = Variant(get_kind("overdue_reminder"), "CN", "zh-CN").sample()
    names = ["王芳", "李娜", "张秀英", "刘强", "陈静", "杨磊"]
    contexts = [base.model_copy(update={"borrower": base.borrower.model_copy(update={"name": n})}) for n in names]
    workers = warm_up(2, TEMPLATES)
    assert len(workers) == 2 and os.getpid() not in workers
    batch = render_many(contexts, "pdf", workers=2, chunk_size=2)
    alone = [render(c, "pdf", templates_dir=TEMPLATES) for c in contexts]
    assert [r.data for r in batch] == [r.data for r in alone]
    assert len({r.sha256 for r in batch}) == len(names)
    one = render_one(contexts[0], "pdf", templates_dir=TEMPLATES)  # a single request's render, on the pool
    assert one.data == alone[0].data and one.pages == alone[0].pages


def test_pdf_carries_no_clock_time():
    data = render(Variant(get_kind("overdue_reminder"), "CN", "zh-CN").sample(), "pdf", templates_dir=TEMPLATES).data
    import pikepdf

    with pikepdf.open(BytesIO(data)) as pdf:
        info = {str(k): str(v) for k, v in pdf.docinfo.items()}
    assert info.get("/CreationDate", "").startswith("D:20261128")  # the as-of date, nothing finer
    assert "/ModDate" not in info or info["/ModDate"].startswith("D:20261128")


@pytest.mark.parametrize("fmt", ["docx"])
def test_docx_zip_and_core_properties_are_fixed(fmt):
    data = render(Variant(get_kind("overdue_reminder"), "CN", "zh-CN").sample(), fmt, templates_dir=TEMPLATES).data
    with zipfile.ZipFile(BytesIO(data)) as archive:
        assert {i.date_time[:3] for i in archive.infolist()} == {(2026, 11, 28)}
        core = archive.read("docProps/core.xml").decode()
    assert "2026-11-28T00:00:00Z" in core and "<cp:revision>1</cp:revision>" in core
