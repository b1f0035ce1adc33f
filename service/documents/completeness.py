"""Is every kind of the catalogue whole? Checked when the application starts (and in a test), so a
kind missing a part fails at once with the part named, not on its first use by a client.

A kind is whole when, for each profile, locale and format it declares:
- its template file exists (``templates/<folder>/<kind>/<profile>/<locale>.<ext>``);
- its context class builds from a case and has a sample (previews and tests);
- its title is in the locale's labels (``templates/legal/packet/exhibits.<locale>.json``, the words
  bookmarks and exhibit lists use);
- every pre-generation check it lists is implemented (``rules.CHECKS``).
"""

import json
from functools import lru_cache
from pathlib import Path

from service.documents.contexts.common import DocumentContext
from service.documents.registry import KINDS, DocKind
from service.documents.rules import CHECKS

LABELS = Path("legal") / "packet"


def _labels(templates_dir: Path, locale: str) -> dict[str, str]:
    path = templates_dir / LABELS / f"exhibits.{locale}.json"
    if not path.is_file():
        return {}
    titles: dict[str, str] = json.loads(path.read_text(encoding="utf-8")).get("titles", {})
    return titles


@lru_cache
def kind_titles(templates_dir: Path, locale: str) -> dict[str, str]:
    """Each document kind's title in `locale` (as the packet's index names it), for the UI."""
    return _labels(templates_dir, locale)


def _context_parts(kind: DocKind) -> list[str]:
    cls = kind.context
    return [f"{kind.kind}: {cls.__name__}.{name} is not implemented" for name in ("build", "sample")
            if getattr(cls, name).__func__ is getattr(DocumentContext, name).__func__]


def missing_parts(templates_dir: Path) -> list[str]:
    """Every missing part of every kind, named; empty when the catalogue is whole."""
    found: list[str] = []
    labels: dict[str, dict[str, str]] = {}
    for kind in KINDS.values():
        found += _context_parts(kind)
        found += [f"{kind.kind}: check {check!r} is not implemented" for check in kind.checks if check not in CHECKS]
        for profile, locales in kind.locales.items():
            for locale in locales:
                for fmt in kind.formats:
                    name = kind.template_name(profile, locale, fmt)
                    if not (templates_dir / name).is_file():
                        found.append(f"{kind.kind}: template templates/{name} is missing")
                titles = labels.setdefault(locale, _labels(templates_dir, locale))
                if kind.kind not in titles:
                    found.append(f"{kind.kind}: no title in templates/{LABELS}/exhibits.{locale}.json")
    return sorted(set(found))


class IncompleteCatalogue(RuntimeError):
    pass


def ensure_complete(templates_dir: Path) -> None:
    if found := missing_parts(templates_dir):
        raise IncompleteCatalogue("the document catalogue is incomplete:\n  " + "\n  ".join(found))
