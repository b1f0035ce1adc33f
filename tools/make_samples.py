"""`make samples`: every document kind for a handful of demo cases, as PDF, DOCX and a PNG of
each page, into an ignored folder, so template authors and reviewers see the whole catalogue.

    .venv/bin/python tools/make_samples.py [--out samples] [--anchor YYYY-MM-DD] [--dpi 60] [--no-court-sets]

A fresh demo database is seeded in <out>/.work (SQLite, its own store); each picked case gets a
folder with <kind>.<locale>.pdf|docx, the DOCX converted by LibreOffice (<kind>.<locale>.docx.pdf,
one batch call), PNG pages of both, and the court-bound cases their packet and visit-stage cases
their visit kit. <out>/index.txt lists every file and every refusal with its rule.

The court sets come too (service.demo.catalogue.pick_court_sets): a pre-litigation case, its court
papers and its packet for each CN lender licence type (bank, consumer finance, micro-lender, factoring,
private lending) and each US state of the state table (NY, CA, IL, TX: the affidavit of debt), after a
breached repayment plan; and a bank's and a Texas case accelerated on the loan contract, no plan
agreed. They add nine cases to the twelve of the selection, and about half to the run's time;
--no-court-sets leaves them out.
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.core.db import unit_of_work  # noqa: E402
from service.core.migrate import upgrade  # noqa: E402
from service.core.settings import Settings  # noqa: E402
from service.demo.catalogue import (  # noqa: E402
    Item,
    Refusal,
    local_noon,
    pick_cases,
    pick_court_sets,
    render_case,
)
from service.demo.seed import demo_today, seed_demo  # noqa: E402

DEMO_CASES = 40  # enough for every selected (profile, stage), US ones included


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "samples")
    parser.add_argument("--anchor", type=date.fromisoformat, default=None)
    parser.add_argument("--dpi", type=int, default=60)
    parser.add_argument("--no-png", action="store_true")
    parser.add_argument("--no-court-sets", action="store_true",
                        help="only the selection's cases, not the court set of each licence type and US state")
    args = parser.parse_args()
    out: Path = args.out
    day = args.anchor or demo_today()
    if out.exists():
        shutil.rmtree(out)
    work = out / ".work"
    work.mkdir(parents=True)
    settings = Settings(database_url=f"sqlite:///{work / 'demo.db'}", storage_dir=work / "store")
    upgrade(settings.database_url)
    index: list[str] = [f"Dossier document samples, demo anchored on {day}", ""]
    with unit_of_work(settings.database_url) as session:
        seed_demo(session, anchor=day, cases=DEMO_CASES, settings=settings, court_sets=not args.no_court_sets)
    items: list[tuple[Item, Path]] = []
    with unit_of_work(settings.database_url) as session:
        refs = pick_cases(session)
        if not args.no_court_sets:
            refs += [ref for ref in pick_court_sets(session) if ref not in refs]
        names = _party_names(session)
        for ref in refs:
            folder = out / ref
            folder.mkdir()
            for result in render_case(session, settings, ref, day):
                if isinstance(result, Refusal):
                    index.append(f"{ref} {result.kind} {result.locale}: refused {', '.join(result.rules)}: "
                                 f"{result.message}")
                    continue
                path = _write(folder, result)
                items.append((result, path))
                pages = f", {result.rendered.pages} page(s)" if result.rendered.pages else ""
                index.append(f"{ref}/{path.name} ({result.stage}){pages}")
            index += _extras(session, settings, ref, folder, day)
        facts_found = _factcheck(items, names)  # before the rollback: the facts read the case's rows
        session.rollback()  # the samples record nothing in the demo database
    _convert_docx(out)
    findings = _proofread(items) + facts_found
    for bound in sorted(out.glob("*/packet.pdf")) + sorted(out.glob("*/visit_kit.pdf")):
        findings += _layout_findings(f"{bound.parent.name}/{bound.name}", bound)
    index += ["", f"Findings ({len(findings)}):", *findings]
    if not args.no_png:
        _pngs(out, args.dpi)
    (out / "index.txt").write_text("\n".join(index) + "\n", encoding="utf-8")
    shutil.rmtree(work)
    print(f"samples in {out}: {sum(1 for _ in out.rglob('*.pdf'))} PDF, {sum(1 for _ in out.rglob('*.docx'))} DOCX, "
          f"{sum(1 for _ in out.rglob('*.png'))} PNG pages; see {out / 'index.txt'}")
    return 0


def _proofread(items: list[tuple[Item, Path]]) -> list[str]:
    """What service/demo/proofread.py finds in each PDF and each DOCX as LibreOffice lays it out."""
    from service.demo import proofread

    found = []
    for item, path in items:
        pdf = path if item.fmt == "pdf" else path.with_name(path.name + ".pdf")
        pages = proofread.pdf_pages(pdf)
        name = item.name if item.fmt == "pdf" else item.name + " (LibreOffice)"
        for n in proofread.orphan_signature_pages(pages):
            found.append(f"{name}: page {n} begins with the signature block")
        for n in proofread.half_empty_pages(proofread.page_fills(pdf)):
            found.append(f"{name}: page {n} is less than {proofread.MIN_FILL:.0%} full before the next")
        tokens = proofread.tokens_of(item.context, us=item.context.doc.profile == "US", zh=item.context.doc.is_zh)
        for token in proofread.split_tokens(pages, tokens) + proofread.split_references(pages):
            found.append(f"{name}: {token!r} broken across lines")
        found += _layout_findings(name, pdf)
        if item.locale == "en-US":
            runs = proofread.foreign_cjk("".join(pages), proofread.names_and_addresses(item.context))
            if runs:
                found.append(f"{name}: Chinese outside names and addresses: {' | '.join(runs[:6])}")
            text = "".join(pages)
            if words := proofread.british_spellings(text):
                found.append(f"{name}: British spelling: {', '.join(words)}")
            if stops := proofread.doubled_stops(text):
                found.append(f"{name}: doubled period: {', '.join(stops)}")
            if dates := proofread.iso_dates(text):
                found.append(f"{name}: ISO date, not \"January 26, 2026\": {', '.join(dates[:6])}")
        if item.fmt == "docx":
            pdf_pages = len(proofread.pdf_pages(path.with_suffix(".pdf")))
            if abs(len(pages) - pdf_pages) > 1 or (pdf_pages == 1 and len(pages) > 1):
                found.append(f"{name}: {len(pages)} pages in LibreOffice, {pdf_pages} in the PDF")
    return found


def _layout_findings(name: str, pdf: Path) -> list[str]:
    """The checks any PDF gets, a packet or a visit kit too: a hash broken inside a group, a field's
    label cut from its value, a list number followed by a justified line's slack."""
    from service.demo import proofread

    layout = proofread.pdf_pages(pdf, layout=True)
    return ([f"{name}: SHA-256 {h[:16]}… broken inside a group of 16" for h in proofread.split_hashes(
        proofread.pdf_pages(pdf))]
            + [f"{name}: the label {label!r} ends a line, its value on the next" for label in
               proofread.split_fields(layout)]
            + [f"{name}: a list number stretched: {line[:40]!r}" for line in proofread.stretched_numbers(layout)])


def _party_names(session: Any) -> set[str]:
    from sqlalchemy import select

    from service.cases.models import Borrower, Lender

    rows = [*session.execute(select(Borrower.name, Borrower.name_en)), *session.execute(select(Lender.name,
                                                                                                Lender.name_en))]
    return {n for row in rows for n in row if n}


def _factcheck(items: list[tuple[Item, Path]], names: set[str]) -> list[str]:
    """What service/demo/factcheck.py finds: an amount, date, count or name no fact of the case
    explains, in each PDF (pdftotext) and DOCX (its text)."""
    from service.demo import factcheck, proofread
    from service.documents.docx import docx_text

    found = []
    for item, path in items:
        text = "\n".join(proofread.pdf_pages(path)) if item.fmt == "pdf" else docx_text(item.rendered.data)
        allowed = factcheck.allowed_for(item.facts, item.kind, item.context, names)
        found += [f"{item.name}: {f}" for f in factcheck.unexplained(text, allowed)]
    return found


def _write(folder: Path, item: Item) -> Path:
    path = folder / f"{item.kind}.{item.locale}.{item.rendered.extension}"
    path.write_bytes(item.rendered.data)
    return path


def _extras(session: object, settings: Settings, ref: str, folder: Path, day: date) -> list[str]:
    """The packet of a court-bound case, the visit kit of a case with a visit coming."""
    import zipfile

    from sqlalchemy.orm import Session

    from service.cases.casefile import load_case_file
    from service.cases.enums import Stage
    from service.cases.models import DebtCase
    from service.core.errors import ServiceError
    from service.packets.build import build_packet

    assert isinstance(session, Session)
    lines: list[str] = []
    case = session.query(DebtCase).filter_by(ref=ref).one()
    if case.stage == Stage.PRE_LITIGATION:
        with tempfile.TemporaryDirectory() as tmp:
            bundle = Path(tmp) / "packet.zip"
            try:
                # built by the clock the catalogue's documents are dated by, not the real one
                tz = load_case_file(session, ref).borrower.timezone or "Asia/Shanghai"
                build_packet(session, settings, ref, bundle, as_of=day, draft=True, now=local_noon(day, tz))
            except ServiceError as exc:
                return [f"{ref} packet: refused: {exc.detail}"]
            with zipfile.ZipFile(bundle) as archive:
                (folder / "packet.pdf").write_bytes(archive.read("packet.pdf"))
        lines.append(f"{ref}/packet.pdf (draft where exhibits are missing)")
    if case.stage == Stage.VISIT_NOTIFIED:
        from service.visits.kit import build_visit_kit

        now = local_noon(day, "Asia/Shanghai")
        try:
            kit = build_visit_kit(session, settings, ref, as_of=day, now=now)
        except ServiceError as exc:
            return [*lines, f"{ref} visit kit: refused: {exc.detail}"]
        (folder / "visit_kit.pdf").write_bytes(kit.pdf)
        missing = f", missing: {', '.join(kit.missing)}" if kit.missing else ""
        lines.append(f"{ref}/visit_kit.pdf ({kit.pages} pages, proposals: {', '.join(kit.proposals)}{missing})")
    return lines


def _convert_docx(out: Path) -> None:
    """All DOCX through LibreOffice in one call (names made unique); <name>.docx.pdf beside each."""
    docs = sorted(out.rglob("*.docx"))
    if not docs:
        return
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        src.mkdir()
        names = {}
        for n, doc in enumerate(docs):
            name = f"d{n:04d}.docx"
            shutil.copy(doc, src / name)
            names[name] = doc
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "pdf",
                        "--outdir", tmp, *sorted(str(src / n) for n in names)],
                       check=True, capture_output=True, timeout=900)
        for name, doc in names.items():
            shutil.move(str(Path(tmp) / name.replace(".docx", ".pdf")), doc.with_name(doc.name + ".pdf"))


def _pngs(out: Path, dpi: int) -> None:
    for pdf in sorted(out.rglob("*.pdf")):
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(pdf.with_suffix(""))], check=True)


if __name__ == "__main__":
    sys.exit(main())
