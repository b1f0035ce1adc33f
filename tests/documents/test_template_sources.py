"""Template sources say each thing once: a block of markup two templates of one locale share
(a table, a paragraph sequence) lives in one partial under templates/**/_partials/ and is
included, so that a wording or layout fix reaches every document that shows it."""

import re
from collections import defaultdict
from pathlib import Path

from tests.documents.conftest import TEMPLATES

COMMENT = re.compile(r"{#.*?#}", re.S)
RUN = 7  # consecutive lines: a table's columns, header and row loop, or a few paragraphs


def _locale(path: Path) -> str:
    return path.stem.split(".")[-1] if "." in path.stem else path.stem


def shared_runs(templates: Path, run: int = RUN) -> dict[tuple[str, ...], list[str]]:
    """Runs of `run` non-empty stripped lines (most of them real markup, not a bare tag) that occur in two
    or more templates of the same locale, with the templates that hold them."""
    seen: dict[tuple[str, tuple[str, ...]], set[str]] = defaultdict(set)
    for path in sorted(templates.rglob("*.html")):
        source = COMMENT.sub("", path.read_text(encoding="utf-8"))  # notes for authors may repeat
        lines = [line.strip() for line in source.splitlines() if line.strip()]
        for i in range(len(lines) - run + 1):
            chunk = tuple(lines[i:i + run])
            if sum(len(line) > 12 for line in chunk) >= run - 3:
                seen[(_locale(path), chunk)].add(str(path.relative_to(templates)))
    return {chunk: sorted(paths) for (_, chunk), paths in seen.items() if len(paths) > 1}


def test_no_two_templates_of_a_locale_share_a_block_of_markup():
    shared = shared_runs(TEMPLATES)
    assert not {tuple(paths): chunk[0] for chunk, paths in shared.items()}


def test_the_check_finds_a_shared_table(tmp_path):
    table = "\n".join(f'<tr><td class="label">Row {n}</td><td>{{{{ field(value_{n}) }}}}</td></tr>' for n in range(8))
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "en-US.html").write_text(f"<h1>{name}</h1>\n<table>\n{table}\n</table>\n", encoding="utf-8")
    (tmp_path / "a" / "zh-CN.html").write_text(f"<table>\n{table}\n</table>\n", encoding="utf-8")
    shared = shared_runs(tmp_path)
    assert shared and all(paths == ["a/en-US.html", "b/en-US.html"] for paths in shared.values())
