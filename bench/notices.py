"""Notice benchmarks (performance.md §8): W1 one notice cold and warm; W2 1,000 one-page zh-CN
notices as separate PDFs; W3 the same as DOCX — each next to its baselines in the same run.

    .venv/bin/python -m bench.notices [--quick]

Baselines: the naive WeasyPrint loop (new FontConfiguration per document, default options,
system fonts), Debian Chromium driven by Playwright with the browser kept warm, and docxtpl +
one LibreOffice batch conversion. The slow baselines run on a sample and are extrapolated
(per-document rates): the table says so. Prints a table and writes bench/results/notices.json.
"""

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.notice_systems import ROOT, TEMPLATES, run_child

RESULTS = ROOT / "bench" / "results" / "notices.json"
TARGETS = {"bulk_docs_per_s": 100, "vs_naive": 8, "vs_chromium": 40, "one_page_kb": 80, "first_render_s": 1.0}


def sizes_of(n: int, quick: bool) -> dict[str, int]:
    scale = 0.2 if quick else 1.0
    return {"bulk": max(50, int(n * scale)), "single": int(200 * scale) or 20, "naive": int(50 * scale) or 10,
            "chromium": int(30 * scale) or 5, "libreoffice": int(30 * scale) or 5, "naive_docx": int(100 * scale) or 20}


def gates(out_dir: str, fmt: str) -> dict[str, Any]:
    """Correctness before speed: a sample of the product's files must be complete and valid."""
    files = sorted(Path(out_dir).glob(f"*.{fmt}"))
    sample = files[:: max(1, len(files) // 20)]
    if fmt == "docx":
        import zipfile

        return {"checked": len(sample), "valid_zip": all(zipfile.is_zipfile(f) for f in sample)}
    qpdf = all(subprocess.run(["qpdf", "--check", str(f)], capture_output=True).returncode == 0 for f in sample)
    embedded = True
    for f in sample:
        rows = subprocess.run(["pdffonts", str(f)], capture_output=True, text=True).stdout.splitlines()[2:]
        embedded &= all(" yes yes yes " in r and "Type 3" not in r for r in rows)
    text = subprocess.run(["pdftotext", str(sample[0]), "-"], capture_output=True, text=True).stdout
    return {"checked": len(sample), "qpdf_check": qpdf, "fonts_embedded_no_type3": embedded,
            "text_has_footer": "第1页/共1页" in "".join(text.split())}


def versions() -> dict[str, str]:
    from importlib.metadata import version

    found = {"python": platform.python_version(), "cores": str(os.cpu_count())}
    for name in ("weasyprint", "pydyf", "docxtpl", "python-docx", "playwright", "fonttools"):
        try:
            found[name] = version(name)
        except Exception:
            found[name] = "absent"
    for tool, cmd in (("chromium", ["chromium", "--version"]), ("libreoffice", ["soffice", "--version"])):
        try:
            found[tool] = subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout.strip()[:60]
        except (OSError, subprocess.SubprocessError):
            found[tool] = "absent"
    return found


def run(n: int = 1000, quick: bool = False) -> dict[str, Any]:
    from service.documents.fonts import ensure_fonts

    ensure_fonts(TEMPLATES)  # set-up, not part of any measurement
    k = sizes_of(n, quick)
    load = [os.getloadavg()[0]]
    report: dict[str, Any] = {"versions": versions(), "sizes": k}
    cold = [run_child("w1-cold", 1) for _ in range(3 if quick else 5)]
    report["w1"] = {"cold": cold, "warm": run_child("w1-warm", 20 if quick else 40)}
    report["w2"] = {"product_pool": run_child("product-pool", k["bulk"], "pdf"),
                    "product_single": run_child("product-single", k["single"], "pdf"),
                    "naive": run_child("naive-pdf", k["naive"]),
                    "chromium": run_child("chromium", k["chromium"]),
                    "libreoffice": run_child("libreoffice", k["libreoffice"])}
    load.append(os.getloadavg()[0])
    report["w3"] = {"product_pool": run_child("product-pool", k["bulk"], "docx"),
                    "product_single": run_child("product-single", k["bulk"], "docx"),
                    "naive_docxtpl": run_child("naive-docx", k["naive_docx"])}
    load.append(os.getloadavg()[0])
    report["load_average_1min"] = load
    if "out" in report["w2"]["product_pool"]:
        report["w2"]["gates"] = gates(report["w2"]["product_pool"]["out"], "pdf")
    if "out" in report["w3"]["product_pool"]:
        report["w3"]["gates"] = gates(report["w3"]["product_pool"]["out"], "docx")
    report["per_kind"] = run_per_kind(20 if quick else 100)
    report["ratios"] = ratios(report)
    report["targets"] = targets(report)
    return report


def _rate(row: dict[str, Any]) -> float:
    return float(row.get("docs_per_s", 0.0))


def ratios(report: dict[str, Any]) -> dict[str, float]:
    w2, w3 = report["w2"], report["w3"]
    ours = _rate(w2["product_pool"].get("warm", {}))
    found = {}
    cold = _rate(w2["product_pool"].get("cold", {}))
    for name in ("naive", "chromium", "libreoffice"):
        if _rate(w2[name]):
            found[f"w2_pool_vs_{name}"] = ours / _rate(w2[name])
            found[f"w2_cold_pool_vs_{name}"] = cold / _rate(w2[name])
            found[f"w2_single_vs_{name}"] = _rate(w2["product_single"]) / _rate(w2[name])
    if _rate(w3["naive_docxtpl"]):
        found["w3_pool_vs_naive_docxtpl"] = _rate(w3["product_pool"].get("warm", {})) / _rate(w3["naive_docxtpl"])
        found["w3_single_vs_naive_docxtpl"] = _rate(w3["product_single"]) / _rate(w3["naive_docxtpl"])
    return found


def targets(report: dict[str, Any]) -> dict[str, Any]:
    pool = report["w2"]["product_pool"]
    cold = report["w1"]["cold"]
    first = sorted(c.get("first_render_s", 99) for c in cold)[len(cold) // 2]
    r = report["ratios"]
    return {
        "bulk_docs_per_s": {"target": TARGETS["bulk_docs_per_s"], "measured": _rate(pool.get("warm", {}))},
        "bulk_docs_per_s_cold_pool": {"target": TARGETS["bulk_docs_per_s"], "measured": _rate(pool.get("cold", {}))},
        "vs_naive_cold_pool": {"target": TARGETS["vs_naive"], "measured": r.get("w2_cold_pool_vs_naive", 0.0)},
        "vs_chromium_cold_pool": {"target": TARGETS["vs_chromium"],
                                  "measured": r.get("w2_cold_pool_vs_chromium", 0.0)},
        "vs_naive": {"target": TARGETS["vs_naive"], "measured": r.get("w2_pool_vs_naive", 0.0)},
        "vs_chromium": {"target": TARGETS["vs_chromium"], "measured": r.get("w2_pool_vs_chromium", 0.0)},
        "one_page_kb_max": {"target": TARGETS["one_page_kb"], "measured": pool.get("max_kb", 0.0)},
        "first_render_s": {"target": TARGETS["first_render_s"], "measured": first},
    }


def print_report(report: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=170)
    w1 = report["w1"]
    cold = w1["cold"]
    console.print(f"[bold]W1[/bold] cold (fresh process, fonts built): import "
                  f"{min(c.get('import_s', 0) for c in cold):.2f}–{max(c.get('import_s', 0) for c in cold):.2f} s, "
                  f"first render {min(c.get('first_render_s', 0) for c in cold):.2f}–"
                  f"{max(c.get('first_render_s', 0) for c in cold):.2f} s; "
                  f"warm p50 {w1['warm'].get('p50_ms', 0):.0f} ms "
                  f"(p95 {w1['warm'].get('p95_ms', 0):.0f}, p99 {w1['warm'].get('p99_ms', 0):.0f}), "
                  f"{w1['warm'].get('avg_kb', 0):.1f} KB")
    for workload, rows in (("W2 PDF", report["w2"]), ("W3 DOCX", report["w3"])):
        table = Table(title=f"{workload}: one-page zh-CN overdue notices, separate files")
        for col in ("system", "docs", "docs/s", "ms/doc", "vs naive", "vs Chromium", "vs LibreOffice", "avg KB",
                    "max KB", "peak RSS MB", "note"):
            table.add_column(col, justify="right" if col not in ("system", "note") else "left")
        for name, row in _rows(rows):
            table.add_row(*_cells(name, row, rows))
        console.print(table)
    console.print(f"gates W2: {report['w2'].get('gates')}  W3: {report['w3'].get('gates')}")
    for key, t in report["targets"].items():
        lower_is_better = key in ("one_page_kb_max", "first_render_s")
        ok = t["measured"] <= t["target"] if lower_is_better else t["measured"] >= t["target"]
        console.print(f"target {key}: {t['measured']:.2f} (target {t['target']}) -> {'MET' if ok else 'MISSED'}")
    console.print(f"load average during the run: {report['load_average_1min']} (other processes share the 2 cores)")


def _rows(rows: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for name, row in rows.items():
        if name == "gates" or not isinstance(row, dict):
            continue
        if "cold" in row:
            found += [(f"{name} (warm pool)", {**row, **row["warm"]}), (f"{name} (cold pool)", {**row, **row["cold"]})]
        else:
            found.append((name, row))
    return found


def _cells(name: str, row: dict[str, Any], rows: dict[str, Any]) -> list[str]:
    rate = _rate(row)

    def vs(other: str) -> str:
        base = _rate(rows.get(other, {}))
        return f"{rate / base:.1f}×" if rate and base and not name.startswith(other) else ""

    sample = "" if name.startswith("product") else f"sample of {row.get('n')}, per-doc rate"
    note = row.get("error", "") or row.get("skipped", "") or sample
    if name == "chromium":
        footer = "yes" if row.get("page_footer_rendered") else "NOT rendered"
        note += f"; page footer {footer}; Type 3 fonts: {row.get('type3_fonts')}"
    naive_key = "naive" if "naive" in rows else "naive_docxtpl"
    return [name, str(row.get("n", "")), f"{rate:.1f}", f"{row.get('ms_per_doc', 0):.1f}", vs(naive_key),
            vs("chromium"), vs("libreoffice"), f"{row.get('avg_kb', 0):.1f}", f"{row.get('max_kb', 0):.1f}",
            f"{row.get('rss_mb', 0):.0f}", note]


# ------------------------------------------------------------------------- per notice kind

KINDS_RESULTS = ROOT / "bench" / "results" / "notice_kinds.json"
FIRST = ("James", "Maria", "Wei", "Linda", "Robert", "Patricia", "Ming")
LAST = ("Miller", "Chen", "Garcia", "Zhang", "Johnson", "Okafor")


def _kind_contexts(n: int, seed: int) -> list[Any]:
    """`n` notices of every notice variant: its sample with another borrower's name, ID and
    reference each time (what a batch of one lender and one day varies; amounts stay the sample's)."""
    import random

    from bench.notice_data import _name
    from tests.documents.conftest import NOTICES

    rnd = random.Random(seed)
    found = []
    for variant in NOTICES:
        base = variant.sample()
        for i in range(n):
            name = _name(rnd)
            latin = f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"
            borrower = base.borrower.model_copy(update={  # type: ignore[attr-defined]
                "name": name if variant.profile == "CN" else latin, "name_en": latin,
                "id_number": f"{rnd.choice(['110', '310', '440'])}***********{rnd.randint(0, 999):03d}X"})
            doc = base.doc.model_copy(update={"case_ref": f"{variant.profile}-2026-{seed % 7}{i:04d}"})
            found.append((variant.id, base.model_copy(update={"borrower": borrower, "doc": doc})))
    return found


def per_kind_child(n: int, templates_dir: Path) -> dict[str, Any]:
    """Each notice variant through the warm pool: a cold pass, then `n` other borrowers (warm)."""
    from service.documents import bulk
    from service.documents.fonts import ensure_fonts

    ensure_fonts(templates_dir)
    bulk.render_many([ctx for _, ctx in _kind_contexts(2, 1)], "pdf", workers=2, templates_dir=templates_dir)
    found: dict[str, Any] = {}
    by_variant: dict[str, list[Any]] = {}
    for key, ctx in _kind_contexts(n, 2):
        by_variant.setdefault(key, []).append(ctx)
    for key, contexts in by_variant.items():
        bulk.render_many(contexts[:4], "pdf", workers=2, chunk_size=2, templates_dir=templates_dir)  # its forms
        started = time.perf_counter()
        results = bulk.render_many(contexts[4:], "pdf", workers=2, chunk_size=10, templates_dir=templates_dir)
        wall = time.perf_counter() - started
        found[key] = {"n": len(results), "ms_per_doc": wall / len(results) * 1000, "docs_per_s": len(results) / wall,
                      "avg_kb": sum(len(r.data) for r in results) / len(results) / 1024,
                      "pages": sorted({r.pages for r in results if r.pages})}
    return found


def run_per_kind(n: int = 100, templates_dir: Path = TEMPLATES) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "bench.notices", "--per-kind-child", str(n), str(templates_dir)],
                          cwd=ROOT, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        return {"error": (done.stderr or done.stdout).strip().splitlines()[-1:]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--per-kind-child"]:
        print(json.dumps(per_kind_child(int(args[1]), Path(args[2]))))
        return 0
    if args[:1] == ["--per-kind"]:
        # Per notice kind, warm pool: --per-kind [N] [TEMPLATES_DIR] (another templates directory,
        # e.g. an older checkout's, measures "before").
        n = int(args[1]) if len(args) > 1 else 100
        templates = Path(args[2]) if len(args) > 2 else TEMPLATES
        kinds = run_per_kind(n, templates)
        out = KINDS_RESULTS if len(args) <= 2 else KINDS_RESULTS.with_name(f"notice_kinds.{templates.parent.name}.json")
        out.write_text(json.dumps({"templates": str(templates), "kinds": kinds}, indent=2))
        for key, row in kinds.items():
            print(f"{key:36s} {row.get('ms_per_doc', 0):7.1f} ms/notice  {row.get('docs_per_s', 0):6.1f}/s  "
                  f"{row.get('avg_kb', 0):5.1f} KB  pages {row.get('pages')}" if isinstance(row, dict) else row)
        return 0
    started = time.perf_counter()
    report = run(quick="--quick" in args)
    report["bench_wall_s"] = time.perf_counter() - started
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    print_report(report)
    print(f"written {RESULTS.relative_to(ROOT)} in {report['bench_wall_s']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
