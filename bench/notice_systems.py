"""The systems under test for the notice benchmarks, each run in its own child process.

Every child prints one JSON line: wall and CPU seconds, documents, sizes, peak RSS (VmHWM of
this process, plus its workers' or its subprocesses' where it has them).
"""

import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
CACHE = ROOT / "bench" / ".cache"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def vm_hwm_mb(pid: int | str = "self") -> float:
    """Peak RSS of one process image (ru_maxrss would carry the parent's peak over fork)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_of(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _contexts(n: int, batch: int = 0) -> list[Any]:
    """`n` reminders; another `batch` number gives other borrowers of the same lenders, same day."""
    from bench.notice_data import SEED, reminders

    return reminders(n, seed=SEED + batch)


def _sizes(sizes: list[int]) -> dict[str, float]:
    return {"avg_kb": statistics.mean(sizes) / 1024, "max_kb": max(sizes) / 1024, "min_kb": min(sizes) / 1024}


# ------------------------------------------------------------------------------------------- W1

def w1_cold(n: int) -> dict[str, Any]:
    """A fresh process: import the engine, render one notice (fonts already built)."""
    started = time.perf_counter()
    from service.documents.render import render

    imported = time.perf_counter()
    ctx = _contexts(1)[0]
    t = time.perf_counter()
    data = render(ctx, "pdf", templates_dir=TEMPLATES).data
    done = time.perf_counter()
    return {"import_s": imported - started, "first_render_s": done - t, "size_kb": len(data) / 1024,
            "cpu_s": time.process_time(), "rss_mb": vm_hwm_mb()}


def w1_warm(n: int) -> dict[str, Any]:
    from service.documents.render import render

    contexts = _contexts(n + 3)
    for ctx in contexts[:3]:
        render(ctx, "pdf", templates_dir=TEMPLATES)
    walls, cpus, sizes = [], [], []
    for ctx in contexts[3:]:
        w, c = time.perf_counter(), time.process_time()
        data = render(ctx, "pdf", templates_dir=TEMPLATES).data
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
        sizes.append(len(data))
    q = statistics.quantiles(walls, n=100)
    return {"n": n, "p50_ms": statistics.median(walls) * 1000, "p95_ms": q[94] * 1000, "p99_ms": q[98] * 1000,
            "cpu_p50_ms": statistics.median(cpus) * 1000, **_sizes(sizes), "rss_mb": vm_hwm_mb()}


# ------------------------------------------------------------------------------ W2 / W3 product

def product_pool(n: int, fmt: str, workers: int = 2) -> dict[str, Any]:
    """The product path: render_many over a process pool. A cold pass (pool start-up, imports,
    fonts and every form laid out for the first time), then a warm pass over 1,000 *other*
    borrowers' notices of the same lenders and day: what a running service sees for the next
    batch (nothing per borrower is reused, only layouts of the text they share)."""
    from service.documents import bulk

    out = CACHE / f"product-{fmt}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    passes, spent = {}, 0.0
    for batch, label in enumerate(("cold", "warm")):
        contexts = _contexts(n, batch)
        w = time.perf_counter()
        results = bulk.render_many(contexts, fmt, workers=workers, chunk_size=10)
        wall = time.perf_counter() - w
        pids = list(bulk.get_pool(workers, TEMPLATES)._processes)  # type: ignore[attr-defined]
        cpu = sum(cpu_of(p) for p in pids) - spent
        spent += cpu
        passes[label] = {"wall_s": wall, "docs_per_s": n / wall, "ms_per_doc": wall / n * 1000,
                         "worker_cpu_ms_per_doc": cpu / n * 1000}
    for i, r in enumerate(results):
        (out / f"{i:04d}.{r.extension}").write_bytes(r.data)
    pages = [r.pages for r in results if r.pages is not None]
    return {"n": n, "workers": workers, **passes, **_sizes([len(r.data) for r in results]),
            "one_page": sum(p == 1 for p in pages), "out": str(out),
            "rss_mb": max(vm_hwm_mb(p) for p in pids), "parent_rss_mb": vm_hwm_mb()}


def product_single(n: int, fmt: str) -> dict[str, Any]:
    from service.documents.render import render

    contexts = _contexts(n + 2)
    for ctx in contexts[:2]:
        render(ctx, fmt, templates_dir=TEMPLATES)
    w, c = time.perf_counter(), time.process_time()
    sizes = [len(render(ctx, fmt, templates_dir=TEMPLATES).data) for ctx in contexts[2:]]
    wall, cpu = time.perf_counter() - w, time.process_time() - c
    return {"n": n, "wall_s": wall, "cpu_s": cpu, "docs_per_s": n / wall, "ms_per_doc": wall / n * 1000,
            **_sizes(sizes), "rss_mb": vm_hwm_mb()}


# ---------------------------------------------------------------------------------- baselines

def _html(contexts: list[Any]) -> list[str]:
    from service.documents.render import render_html

    return [render_html(ctx, TEMPLATES) for ctx in contexts]


def naive_css() -> str:
    """Our stylesheets as the obvious set-up has them: system Noto CJK fonts, no compact faces."""
    css = "".join((TEMPLATES / "assets" / name).read_text(encoding="utf-8") for name in ("base.css", "zh-CN.css"))
    css = re.sub(r"@font-face\s*{[^}]*}", "", css)
    return css.replace('"Dossier Serif", ', "").replace('"Dossier Sans", ', "")


def naive_pdf(n: int) -> dict[str, Any]:
    """The naive WeasyPrint loop: for each document, HTML(...).write_pdf() with default options,
    which creates a new FontConfiguration and re-parses the stylesheet every time."""
    from weasyprint import CSS, HTML

    pages, css = _html(_contexts(n)), naive_css()
    w, c = time.perf_counter(), time.process_time()
    sizes = [len(HTML(string=page).write_pdf(stylesheets=[CSS(string=css)])) for page in pages]
    wall, cpu = time.perf_counter() - w, time.process_time() - c
    return {"n": n, "wall_s": wall, "cpu_s": cpu, "docs_per_s": n / wall, "ms_per_doc": wall / n * 1000,
            **_sizes(sizes), "rss_mb": vm_hwm_mb()}


def chromium(n: int) -> dict[str, Any]:
    """Debian Chromium through Playwright, browser and page kept warm, printing the same HTML
    and CSS (compact fonts by file URL)."""
    from playwright.sync_api import sync_playwright

    css = "".join((TEMPLATES / "assets" / name).read_text(encoding="utf-8") for name in ("base.css", "zh-CN.css"))
    css = css.replace("url(fonts/", f"url({(TEMPLATES / 'assets' / 'fonts').as_uri()}/")
    pages = [p.replace("</head>", f"<style>{css}</style></head>") for p in _html(_contexts(n + 1))]
    tmp = Path(tempfile.mkdtemp(prefix="bench-chromium-"))
    sizes, footer = [], False
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page()
        for i, html in enumerate(pages):
            if i == 1:  # the first document warms the browser; time the rest
                w = time.perf_counter()
            path = tmp / f"{i}.html"
            path.write_text(html, encoding="utf-8")
            page.goto(path.as_uri())
            data = page.pdf(prefer_css_page_size=True, print_background=True)
            if i:
                sizes.append(len(data))
        wall = time.perf_counter() - w
        (tmp / "last.pdf").write_bytes(data)
        text = subprocess.run(["pdftotext", str(tmp / "last.pdf"), "-"], capture_output=True, text=True).stdout
        footer = "第 1 页" in text
        fonts = subprocess.run(["pdffonts", str(tmp / "last.pdf")], capture_output=True, text=True).stdout
        browser.close()
    shutil.rmtree(tmp, ignore_errors=True)
    return {"n": n, "wall_s": wall, "docs_per_s": n / wall, "ms_per_doc": wall / n * 1000, **_sizes(sizes),
            "page_footer_rendered": footer, "type3_fonts": "Type 3" in fonts, "rss_mb": vm_hwm_mb()}


def libreoffice(n: int) -> dict[str, Any]:
    """docxtpl (the product's DOCX path) then ONE soffice --convert-to pdf call for the batch,
    with an isolated profile; includes LibreOffice start-up."""
    from service.documents.render import render

    soffice = shutil.which("soffice")
    if soffice is None:
        return {"skipped": "LibreOffice not installed"}
    tmp = Path(tempfile.mkdtemp(prefix="bench-lo-"))
    contexts = _contexts(n)
    w = time.perf_counter()
    files = []
    for i, ctx in enumerate(contexts):
        files.append(tmp / f"{i:04d}.docx")
        files[-1].write_bytes(render(ctx, "docx", templates_dir=TEMPLATES).data)
    docx_s = time.perf_counter() - w
    profile = (tmp / "profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
                    str(tmp / "pdf"), *map(str, files)], capture_output=True, check=True, timeout=900)
    wall = time.perf_counter() - w
    sizes = [p.stat().st_size for p in (tmp / "pdf").glob("*.pdf")]
    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    shutil.rmtree(tmp, ignore_errors=True)
    return {"n": n, "wall_s": wall, "docx_s": docx_s, "docs_per_s": n / wall, "ms_per_doc": wall / n * 1000,
            "converted": len(sizes), **(_sizes(sizes) if sizes else {}), "rss_mb": child.ru_maxrss / 1024}


def naive_docx(n: int) -> dict[str, Any]:
    """docxtpl as documented: a DocxTemplate per document, render with the sandboxed environment,
    save (docxtpl re-reads, re-patches and re-compiles the template each time)."""
    from docxtpl import DocxTemplate

    from service.documents.environment import docx_environment

    contexts = _contexts(n)
    path = TEMPLATES / "notices" / "overdue_reminder" / "cn" / "zh-CN.docx"
    env = docx_environment(TEMPLATES)
    w, c = time.perf_counter(), time.process_time()
    sizes = []
    for ctx in contexts:
        tpl = DocxTemplate(str(path))
        tpl.render(ctx.template_vars(), jinja_env=env, autoescape=True)
        buffer = BytesIO()
        tpl.save(buffer)
        sizes.append(len(buffer.getvalue()))
    wall, cpu = time.perf_counter() - w, time.process_time() - c
    return {"n": n, "wall_s": wall, "cpu_s": cpu, "docs_per_s": n / wall, "ms_per_doc": wall / n * 1000,
            **_sizes(sizes), "rss_mb": vm_hwm_mb()}


CHILDREN = {
    "w1-cold": lambda n, fmt: w1_cold(n), "w1-warm": lambda n, fmt: w1_warm(n),
    "product-pool": product_pool, "product-single": product_single, "naive-pdf": lambda n, fmt: naive_pdf(n),
    "chromium": lambda n, fmt: chromium(n), "libreoffice": lambda n, fmt: libreoffice(n),
    "naive-docx": lambda n, fmt: naive_docx(n),
}


def child_main(argv: list[str]) -> int:
    name, n, fmt = argv[0], int(argv[1]), argv[2]
    result = CHILDREN[name](n, fmt)
    print(json.dumps(result))
    return 0


def run_child(name: str, n: int, fmt: str = "pdf", timeout: int = 900) -> dict[str, Any]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bench.notice_systems", name, str(n), fmt], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        return {"error": (done.stderr or done.stdout).strip().splitlines()[-1:]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_wall_s"] = time.perf_counter() - started
    return result


if __name__ == "__main__":
    sys.exit(child_main(sys.argv[1:]))
