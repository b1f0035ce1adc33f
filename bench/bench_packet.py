"""Benchmark: assemble a realistic 500-page litigation packet and bundle it.

Input (generated once, cached under bench/.cache/packet-v2/):
  60 generated pages: 6 documents x 10 pages rendered by WeasyPrint in Noto Serif CJK SC,
     one of them an evidence index whose links point at final page numbers;
  400 uploaded pages: 40 PDFs x 10 pages (20 from WeasyPrint with embedded CJK subsets, 20
     Helvetica text PDFs with rotated, offset and Letter-size pages and object streams);
  40 phone photos: 3000x4000 JPEGs of 1-3 MB, a quarter with EXIF orientation 6.

Measured, each in a fresh subprocess so peak RSS belongs to one step only:
  ours:     evidence.assemble (merge, Bates + page numbers, outline, page labels, relink)
            then evidence.bundle.write_bundle with the 80 originals;
  baseline: pypdf PdfWriter.append + a per-page merge_page Bates overlay (the "obvious" way);
  validate: evidence.validate.inspect_upload over the 80 uploads (informational).

Run from the project root: python -m bench.bench_packet [--runs 3] [--no-baseline]
Targets for ours: <= 5 s wall and <= 300 MB peak RSS. Results: bench/results/packet.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache" / "packet-v2"
RESULTS = ROOT / "bench" / "results" / "packet.json"
TARGET_SECONDS = 5.0
TARGET_RSS_MB = 300.0
BATES_PREFIX = "ACME-"
PHOTO_SIZE = (3000, 4000)
_CJK = (
    "借款人于合同约定的还款日未能足额偿还本金及利息经多次电话催收与书面通知仍未履行还款义务"
    "原告依据借款合同第八条之约定宣布贷款提前到期并要求被告偿还全部剩余本金利息罚息及实现债权的费用"
    "本金利息逾期罚息复利违约金律师费诉讼费保全费公告费送达地址确认书授权委托书证据目录计算表"
)


# Input generation ---------------------------------------------------------------------------


def ensure_inputs() -> tuple[dict[str, Any], float, bool]:
    """The input spec, the seconds spent generating it, and whether it came from the cache."""
    spec_path = CACHE / "inputs.json"
    if spec_path.exists():
        return json.loads(spec_path.read_text()), 0.0, True
    started = time.perf_counter()
    for sub in ("generated", "uploads", "photos"):
        (CACHE / sub).mkdir(parents=True, exist_ok=True)
    # bench/.cache is git-ignored by the project; keep it ignored even in a bare checkout.
    (CACHE.parent / ".gitignore").write_text("*\n")
    spec = _generate(random.Random(20250301))
    spec_path.write_text(json.dumps(spec, ensure_ascii=False, indent=2))
    return spec, time.perf_counter() - started, False


def _generate(rnd: random.Random) -> dict[str, Any]:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    css = CSS(string=_STYLE, font_config=fonts)

    def render(html: str, path: Path) -> None:
        HTML(string=html).write_pdf(path, stylesheets=[css], font_config=fonts)

    titles = ["民事起诉状", "证据目录", "借款本息计算表", "诉讼费计算说明", "送达地址确认书",
              "授权委托书"]  # fmt: skip
    uploads = [_make_upload(rnd, n, render) for n in range(40)]
    photos = [_make_photo(rnd, n) for n in range(40)]
    docs = [_doc(CACHE / "generated" / f"doc-{n}.pdf", title) for n, title in enumerate(titles)]
    for n, doc in enumerate(docs):
        if n != 1:
            render(_document_html(rnd, doc["title"]), Path(doc["path"]))
    spec = {"documents": docs, "uploads": uploads, "photos": photos}
    # The index is rendered last: its links need the final page of every exhibit.
    render(_index_html(spec), Path(docs[1]["path"]))
    return spec


def _doc(path: Path, title: str) -> dict[str, Any]:
    return {"path": str(path), "title": title}


_STYLE = """
@page { size: A4; margin: 22mm 20mm; }
body { font-family: "Noto Serif CJK SC", serif; font-size: 11pt; line-height: 1.6; }
section { break-after: page; } h1 { font-size: 16pt; text-align: center; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
td, th { border: 0.5pt solid #444; padding: 2pt 4pt; }
"""


def _paragraphs(rnd: random.Random, count: int, length: int = 160) -> str:
    return "".join(
        "<p>" + "".join(rnd.choice(_CJK) for _ in range(length)) + "</p>" for _ in range(count)
    )


def _document_html(rnd: random.Random, title: str) -> str:
    sections = "".join(
        f"<section><h1>{title}（第{page}页）</h1>{_paragraphs(rnd, 4)}</section>"
        for page in range(1, 11)
    )
    return f"<html><body>{sections}</body></html>"


def _index_html(spec: dict[str, Any]) -> str:
    from evidence.links import page_link

    page = 61  # 6 generated documents of 10 pages come first
    rows = []
    for n, upload in enumerate(spec["uploads"], start=1):
        rows.append((n, upload["title"], page, page + 9))
        page += 10
    for group in range(4):
        rows.append((41 + group, f"走访照片（第{group + 1}组）", page, page + 9))
        page += 10
    sections = []
    bounds = [round(page * len(rows) / 10) for page in range(11)]  # exactly 10 pages
    for start, end in itertools.pairwise(bounds):
        cells = "".join(
            f'<tr><td>{n}</td><td><a href="{page_link(first)}">{title}</a></td>'
            f"<td>书证</td><td>原告自存</td><td>{first}–{last}</td></tr>"
            for n, title, first, last in rows[start:end]
        )
        sections.append(
            f"<section><h1>证据目录</h1><table><tr><th>序号</th><th>证据名称</th>"
            f"<th>形式</th><th>来源</th><th>页码</th></tr>{cells}</table></section>"
        )
    return f"<html><body>{''.join(sections)}</body></html>"


def _make_upload(rnd: random.Random, n: int, render: Any) -> dict[str, Any]:
    path = CACHE / "uploads" / f"upload-{n:02d}.pdf"
    if n % 2 == 0:
        title = f"银行流水（{n + 1}）"
        render(_statement_html(rnd, title), path)
    else:
        title = f"Payment records {n + 1}"
        _helvetica_pdf(rnd, path, variant=n // 2 % 4)
    return {"path": str(path), "title": title, "sha256": _sha256(path), "name": f"{title}.pdf"}


def _statement_html(rnd: random.Random, title: str) -> str:
    sections = []
    for page in range(1, 11):
        rows = "".join(
            f"<tr><td>2024-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}</td>"
            f"<td>{''.join(rnd.choice(_CJK) for _ in range(10))}</td>"
            f"<td>{rnd.randint(100, 99999)}.{rnd.randint(0, 99):02d}</td></tr>"
            for _ in range(28)
        )
        sections.append(f"<section><h1>{title} {page}/10</h1><table>{rows}</table></section>")
    return f"<html><body>{''.join(sections)}</body></html>"


def _helvetica_pdf(rnd: random.Random, path: Path, variant: int) -> None:
    """Text pages as other producers make them: A4, Letter, rotated, offset MediaBox."""
    import pikepdf

    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                           BaseFont=pikepdf.Name.Helvetica)
    )  # fmt: skip
    words = ["payment", "instalment", "principal", "interest", "overdue", "ref", "CNY", "debit"]
    box = [[0, 0, 595, 842], [0, 0, 612, 792], [0, 0, 842, 595], [-200, 100, 395, 942]][variant]
    for _ in range(10):
        lines = [" ".join(rnd.choice(words) for _ in range(9)) for _ in range(45)]
        ops = [f"BT /F1 10 Tf 14 TL {box[0] + 50} {box[3] - 60} Td"]
        ops += [f"({line} {rnd.randint(1, 10**6)}) '" for line in lines]
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=box,
            Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
            Contents=pdf.make_stream("\n".join([*ops, "ET"]).encode()),
        )
        if variant == 2:
            page.Rotate = 90
        pdf.pages.append(pikepdf.Page(page))
    mode = pikepdf.ObjectStreamMode.generate if variant % 2 else pikepdf.ObjectStreamMode.disable
    pdf.save(path, object_stream_mode=mode, compress_streams=True)


def _make_photo(rnd: random.Random, n: int) -> dict[str, Any]:
    from PIL import Image, ImageChops

    width, height = PHOTO_SIZE
    small = (width // 8, height // 8)
    gradient = Image.linear_gradient("L").resize(small).rotate(rnd.choice([0, 90, 180, 270]))
    channels = [
        ImageChops.add(Image.effect_noise(small, 50 + rnd.random() * 30), gradient, 2.0,
                       rnd.randint(0, 60))
        for _ in range(3)
    ]  # fmt: skip
    image = Image.merge("RGB", channels).resize(PHOTO_SIZE, Image.Resampling.BICUBIC)
    grain = Image.effect_noise(PHOTO_SIZE, 1.5 + (n % 5) * 0.6).convert("RGB")
    image = ImageChops.add(image, grain, 1.0, -128)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Xiaomi", "Redmi Note 12"  # Make, Model
    exif[0x0132] = f"2024:05:{n % 28 + 1:02d} 10:{n % 60:02d}:00"  # DateTime
    if n % 4 == 0:
        exif[0x0112] = 6  # Orientation: rotate 90 clockwise to display
    path = CACHE / "photos" / f"photo-{n:02d}.jpg"
    image.save(path, "JPEG", quality=85, exif=exif.tobytes())
    return {"path": str(path), "name": f"IMG_2024{n:04d}.jpg", "sha256": _sha256(path)}


def _sha256(path: Path) -> str:
    from evidence.hashing import sha256_file

    return sha256_file(path)


# Measured steps (run as child processes) ----------------------------------------------------


def _parts(spec: dict[str, Any]) -> list[Any]:
    from evidence.assemble import Part

    parts = [Part.from_pdf(Path(d["path"]), d["title"]) for d in spec["documents"]]
    for n, upload in enumerate(spec["uploads"], start=1):
        label = f"证据{n} {upload['title']}"
        parts.append(Part.from_pdf(Path(upload["path"]), upload["title"], kind="exhibit",
                                   outline_parent=[label]))  # fmt: skip
    for group in range(4):
        photos = [Path(p["path"]) for p in spec["photos"][group * 10 : group * 10 + 10]]
        label = f"证据{41 + group} 走访照片"
        parts.append(Part.from_images(photos, f"照片 {group + 1}", outline_parent=[label]))
    return parts


def child_ours(spec: dict[str, Any], out: Path) -> dict[str, Any]:
    from evidence.assemble import BatesOptions, assemble
    from evidence.bundle import BundleFile, write_bundle

    rss_imports = _rss_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    result = assemble(_parts(spec), out / "packet.pdf", bates=BatesOptions(BATES_PREFIX))
    assembled, rss_assembled = time.perf_counter(), _rss_mb()
    originals = [*spec["uploads"], *spec["photos"]]
    files = [
        BundleFile(f"originals/{n:03d}-{item['name']}", Path(item["path"]))
        for n, item in enumerate(originals, start=1)
    ]
    manifest = {
        "case_ref": "BENCH-0001",
        "items": [{"path": f.arcname, "sha256": item["sha256"]} for f, item in
                  zip(files, originals, strict=True)],
    }  # fmt: skip
    write_bundle(out / "bundle.zip", packet_pdf=out / "packet.pdf", files=files, manifest=manifest)
    finished = time.perf_counter()
    return {
        "assemble_s": assembled - started,
        "bundle_s": finished - assembled,
        "total_s": finished - started,
        "cpu_s": time.process_time() - cpu_started,
        "pages": result.total_pages,
        "links": result.links,
        "exhibit_first_pages": [p.first_page for p in result.parts if p.kind == "exhibit"],
        "packet_mb": (out / "packet.pdf").stat().st_size / 1e6,
        "bundle_mb": (out / "bundle.zip").stat().st_size / 1e6,
        "rss_after_imports_mb": rss_imports,
        "rss_after_assemble_mb": rss_assembled,
    }


def child_baseline(spec: dict[str, Any], out: Path) -> dict[str, Any]:
    import pikepdf
    from pypdf import PdfReader, PdfWriter

    from evidence.images import image_to_pdf
    from evidence.stamp import Label, Position, overlay, page_frame

    rss_imports = _rss_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    writer = PdfWriter()
    for part in _parts(spec):
        sources = [part.pdf] if part.pdf else [
            image_to_pdf(image, out / f"{image.stem}.pdf") for image in part.images
        ]  # fmt: skip
        for source in sources:
            writer.append(str(source), outline_item=part.title)
    total = len(writer.pages)
    # The overlay PDF: one page per packet page with its Bates label and page number.
    stamps = pikepdf.new()
    for index in range(total):
        stamps.add_blank_page(page_size=(595, 842))
        page = stamps.pages[index]
        labels = [Label(f"{BATES_PREFIX}{index + 1:06d}", Position.BOTTOM_RIGHT),
                  Label(f"{index + 1} / {total}", Position.BOTTOM_CENTER)]  # fmt: skip
        body = overlay(page_frame(page), labels, size=9, margin=18, draft=False)
        page.Contents = stamps.make_stream(b"q" + body)
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(
            DossierHelv=pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                           BaseFont=pikepdf.Name.Helvetica)))  # fmt: skip
    stamps_path = out / "stamps.pdf"
    stamps.save(stamps_path)
    stamp_pages = PdfReader(stamps_path).pages
    for index, page in enumerate(writer.pages):
        page.merge_page(stamp_pages[index])
    with (out / "baseline.pdf").open("wb") as stream:
        writer.write(stream)
    finished = time.perf_counter()
    return {
        "total_s": finished - started,
        "cpu_s": time.process_time() - cpu_started,
        "pages": total,
        "packet_mb": (out / "baseline.pdf").stat().st_size / 1e6,
        "rss_after_imports_mb": rss_imports,
    }


def child_validate(spec: dict[str, Any], out: Path) -> dict[str, Any]:
    from evidence.validate import inspect_upload

    rss_imports = _rss_mb()
    started = time.perf_counter()
    for item in [*spec["uploads"], *spec["photos"]]:
        inspect_upload(Path(item["path"]), declared_name=item["name"])
    elapsed = time.perf_counter() - started
    return {"total_s": elapsed, "files": 80, "rss_after_imports_mb": rss_imports}


def _rss_mb() -> float:
    """Peak RSS of this process image. Not ru_maxrss: Linux carries that over from the
    parent through fork and exec, so a child would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


CHILDREN = {"ours": child_ours, "baseline": child_baseline, "validate": child_validate}


def run_child(step: str, out: Path) -> dict[str, Any]:
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "bench.bench_packet", "--child", step, "--out", str(out)],
        cwd=ROOT, check=True, capture_output=True, text=True,
    )  # fmt: skip
    measured: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    measured["process_wall_s"] = time.perf_counter() - started
    return measured


# Gates, report ------------------------------------------------------------------------------


def gates(packet: Path, run: dict[str, Any]) -> dict[str, Any]:
    check = subprocess.run(["qpdf", "--check", str(packet)], capture_output=True, text=True)
    text = subprocess.run(["pdftotext", str(packet), "-"], capture_output=True, text=True).stdout
    pages = text.split("\f")[: run["pages"]]
    labelled = sum(f"{BATES_PREFIX}{n + 1:06d}" in page for n, page in enumerate(pages))
    return {
        "qpdf_check_ok": check.returncode == 0,
        "pages": run["pages"],
        "pages_with_bates": labelled,
        "index_links_hit_exhibits": _link_targets(packet) == run["exhibit_first_pages"],
    }


def _link_targets(packet: Path) -> list[int]:
    """Final pages the evidence index (pages 11-20) jumps to, in order."""
    import pikepdf

    with pikepdf.open(packet) as pdf:
        numbers = {page.obj.objgen: n for n, page in enumerate(pdf.pages, start=1)}
        return [
            numbers[annotation.A.D[0].objgen]
            for page in pdf.pages[10:20]
            for annotation in page.obj.get("/Annots", [])
            if annotation.get("/A", {}).get("/S") == pikepdf.Name.GoTo
        ]


def summary(runs: list[dict[str, Any]], key: str) -> dict[str, float]:
    values = [run[key] for run in runs]
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version()}
    for name in ("pikepdf", "img2pdf", "pillow", "weasyprint", "pypdf", "pyhanko"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "absent"
    return found


def print_table(report: dict[str, Any]) -> None:
    print(f"\ninputs: {report['inputs']}")
    print(f"{'step':<34}{'median s':>10}{'min s':>9}{'max s':>9}{'peak RSS MB':>13}")
    for name, row in report["rows"].items():
        rss = f"{row['rss_mb']:.0f}" if "rss_mb" in row else "-"
        print(f"{name:<34}{row['median']:>10.2f}{row['min']:>9.2f}{row['max']:>9.2f}{rss:>13}")
    print(f"\ngates: {report['gates']}")
    print(f"targets (ours, assemble + bundle): <= {TARGET_SECONDS} s, <= {TARGET_RSS_MB} MB -> "
          f"{'MET' if report['targets_met'] else 'MISSED'}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--child", choices=sorted(CHILDREN))
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    spec, generated_s, cached = ensure_inputs()
    if args.child:
        measured = CHILDREN[args.child](spec, args.out)
        print(json.dumps({**measured, "peak_rss_mb": _rss_mb()}))
        return 0
    report = measure(spec, args.runs, baseline=not args.no_baseline)
    report["input_generation"] = {"seconds": generated_s, "from_cache": cached}
    print_table(report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"written {RESULTS.relative_to(ROOT)}")
    gates_ok = all(report["gates"][key] for key in ("qpdf_check_ok", "index_links_hit_exhibits"))
    return 0 if report["targets_met"] and gates_ok else 1


def measure(spec: dict[str, Any], runs: int, *, baseline: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-packet-") as work:
        ours = [run_child("ours", _fresh(work, f"ours-{n}")) for n in range(runs)]
        checked = gates(Path(work) / "ours-0" / "packet.pdf", ours[0])
        base = []
        if baseline and _has("pypdf"):
            base = [run_child("baseline", _fresh(work, f"base-{n}")) for n in range(runs)]
        valid = [run_child("validate", _fresh(work, "validate"))]
    rows = {
        "ours: assemble (+relink)": summary(ours, "assemble_s"),
        "ours: write_bundle": summary(ours, "bundle_s"),
        "ours: assemble + bundle": {**summary(ours, "total_s"), "rss_mb": _peak(ours)},
        "ours: assemble + bundle, CPU": summary(ours, "cpu_s"),
        "ours: process incl. imports": summary(ours, "process_wall_s"),
        "validate 80 uploads": {**summary(valid, "total_s"), "rss_mb": _peak(valid)},
    }
    if base:
        rows["baseline: pypdf merge_page"] = {**summary(base, "total_s"), "rss_mb": _peak(base)}
        rows["baseline: pypdf merge_page, CPU"] = summary(base, "cpu_s")
        rows["baseline: process incl. imports"] = summary(base, "process_wall_s")
    ours_row = rows["ours: assemble + bundle"]
    return {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),  # other work on the box disturbs wall times
        },
        "versions": versions(),
        "inputs": _inputs(spec, ours[0]),
        "rows": rows,
        "runs": {"ours": ours, "baseline": base, "validate": valid},
        "gates": checked,
        "targets": {"seconds": TARGET_SECONDS, "rss_mb": TARGET_RSS_MB},
        "targets_met": ours_row["median"] <= TARGET_SECONDS and ours_row["rss_mb"] <= TARGET_RSS_MB,
    }


def _peak(runs: list[dict[str, Any]]) -> float:
    return float(max(run["peak_rss_mb"] for run in runs))


def _inputs(spec: dict[str, Any], run: dict[str, Any]) -> dict[str, Any]:
    photo_sizes = [Path(p["path"]).stat().st_size / 1e6 for p in spec["photos"]]
    return {
        "pages": run["pages"],
        "index_links": run["links"],
        "packet_mb": round(run["packet_mb"], 1),
        "bundle_mb": round(run["bundle_mb"], 1),
        "photo_mb_min_mean_max": [round(min(photo_sizes), 2),
                                  round(statistics.mean(photo_sizes), 2),
                                  round(max(photo_sizes), 2)],
    }  # fmt: skip


def _fresh(work: str, name: str) -> Path:
    path = Path(work) / name
    path.mkdir()
    return path


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


if __name__ == "__main__":
    if __package__ in (None, ""):
        sys.path.insert(0, str(ROOT))  # run as a script: make `bench` importable for children
    raise SystemExit(main())
