"""Fixtures for the document tests: every sample rendered once per session, PDF/DOCX text
extraction, one LibreOffice batch conversion, and small case builders on the real database."""

import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from evidence.store import LocalStore
from service.cases.models import Communication, DebtCase, Visit, VisitStaff
from service.core.settings import get_settings
from service.demo import proofread
from service.documents.contexts.common import DocMeta, DocumentContext
from service.documents.docx import docx_text
from service.documents.registry import KINDS, DocKind
from service.documents.render import Rendered, render
from tests.factories import import_case

TEMPLATES = get_settings().templates_dir
AS_OF = date(2026, 11, 28)
FOOTER = re.compile(r"第\d+页/共\d+页|Page\d+of\d+")
WHITESPACE = re.compile(r"\s+")


# A footer on its own line, matched before whitespace goes: squashed, "Page 1 of 2" followed by a
# paragraph that goes on with "400-820-1234" would read "Page1of2400-…" and lose digits.
FOOTER_LINE = re.compile(r"第\s*\d+\s*页\s*/\s*共\s*\d+\s*页|Page\s+\d+\s+of\s+\d+(?=\s|$)")


def squash(text: str) -> str:
    """Text without whitespace or page footers, for comparing PDF and DOCX text."""
    return FOOTER.sub("", WHITESPACE.sub("", FOOTER_LINE.sub("", text)))


def pdf_text(data: bytes, tmp: Path) -> str:
    # -raw: content-stream order, so side-by-side blocks are not interleaved line by line.
    path = tmp / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-raw", *proofread.text_area(path), str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


@dataclass(frozen=True)
class Variant:
    kind: DocKind
    profile: str
    locale: str

    @property
    def id(self) -> str:
        return f"{self.kind.kind}-{self.profile}-{self.locale}"

    def meta(self, as_of: date = AS_OF) -> DocMeta:
        return DocMeta(kind=self.kind.kind, profile=self.profile, locale=self.locale, audience=self.kind.audience,
                       as_of=as_of, case_ref=f"{self.profile}-2026-00012")

    def sample(self) -> DocumentContext:
        return self.kind.context_class().sample(self.meta())


def variants(folder: str | None = None) -> list[Variant]:
    """Every kind × profile × locale whose HTML template exists (new kinds join automatically)."""
    found = []
    for kind in KINDS.values():
        for profile, locales in kind.locales.items():
            for locale in locales:
                if (folder is None or kind.folder == folder) and kind.available(TEMPLATES, profile, locale, "pdf"):
                    found.append(Variant(kind, profile, locale))
    return found


NOTICES = variants("notices")


@dataclass
class Sample:
    variant: Variant
    context: DocumentContext
    pdf: Rendered
    docx: Rendered
    pdf_text: str
    docx_text: str
    pdf_path: Path
    docx_path: Path


def render_samples(found_variants: list[Variant], out: Path) -> dict[str, Sample]:
    """Each variant rendered from its sample in both formats, files written to ``out``."""
    found = {}
    for v in found_variants:
        ctx = v.sample()
        pdf, docx = render(ctx, "pdf", templates_dir=TEMPLATES), render(ctx, "docx", templates_dir=TEMPLATES)
        pdf_path, docx_path = out / f"{v.id}.pdf", out / f"{v.id}.docx"
        pdf_path.write_bytes(pdf.data)
        docx_path.write_bytes(docx.data)
        found[v.id] = Sample(v, ctx, pdf, docx, pdf_text(pdf.data, out), docx_text(docx.data), pdf_path, docx_path)
    return found


def libreoffice_convert(rendered: dict[str, Sample], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every DOCX converted by LibreOffice in ONE soffice call with an isolated profile."""
    out, profile = tmp_path_factory.mktemp("lo"), tmp_path_factory.mktemp("lo-profile")
    converted = libreoffice_pdfs_of([s.docx_path for s in rendered.values()], out, profile)
    return {key: converted[s.docx_path] for key, s in rendered.items()}


def libreoffice_pdfs_of(docx: list[Path], out: Path, profile: Path) -> dict[Path, Path]:
    """DOCX files as LibreOffice lays them out, in ONE soffice call with the profile folder given:
    each file's PDF (into `out`; the names must differ by stem)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), *(str(p) for p in docx)], capture_output=True, check=True, timeout=900)
    return {p: out / f"{p.stem}.pdf" for p in docx}


@pytest.fixture(scope="session")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Sample]:
    """Every notice variant rendered from its sample, in both formats, once per session."""
    return render_samples(NOTICES, tmp_path_factory.mktemp("samples"))


@pytest.fixture(scope="session")
def libreoffice_pdfs(samples: dict[str, Sample], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return libreoffice_convert(samples, tmp_path_factory)


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path / "objects")


# ------------------------------------------------------------------------------------ case builders

def at(day: date, hour: int, minute: int = 0, tz: str = "Asia/Shanghai") -> datetime:
    from zoneinfo import ZoneInfo

    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def cn_case(db: Session, **over: Any) -> DebtCase:
    return import_case(db, **over)


def add_prenotice(db: Session, case: DebtCase, sent: datetime) -> Communication:
    comm = Communication(case_id=case.id, channel="letter", direction="out", party_kind="borrower",
                         to_address="北京市朝阳区建国路88号", sent_at=sent, local_time=sent.isoformat(), outcome="sent",
                         template_kind="credit_report_prenotice")
    db.add(comm)
    db.flush()
    return comm


def add_visit(db: Session, case: DebtCase, start: datetime, staff: int = 2, badge: str = "XC-01") -> Visit:
    visit = Visit(case_id=case.id, purpose="与您本人当面核实联系方式并协商合同履行安排", place_kind="home",
                  address="北京市朝阳区建国路88号",
                  window_start=start, window_end=start + timedelta(hours=2), organisation="")
    visit.staff = [VisitStaff(name=f"员工{i}", badge_no=f"{badge}{i}", organisation="") for i in range(staff)]
    db.add(visit)
    db.flush()
    return visit


@pytest.fixture
def objects_of(store: LocalStore) -> Iterator[Any]:
    def listing() -> list[Path]:
        return sorted(p for p in store.root.rglob("*") if p.is_file())

    yield listing
