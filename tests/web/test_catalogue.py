"""Every label exists in both languages, and every key a template asks for is in the catalogue."""

import re
from pathlib import Path

from service.web.i18n import LOCALES, catalogue

TEMPLATES = Path(__file__).resolve().parents[2] / "service" / "web" / "templates"


def test_both_catalogues_have_the_same_keys_and_no_empty_label() -> None:
    keys = [set(catalogue(locale)) for locale in LOCALES]
    assert keys[0] == keys[1], keys[0] ^ keys[1]
    assert all(text.strip() for locale in LOCALES for text in catalogue(locale).values())


def test_every_literal_key_used_by_a_template_is_in_the_catalogue() -> None:
    used = {m for path in TEMPLATES.rglob("*.html") for m in re.findall(r"""\bt\(["']([a-z_.A-Z0-9-]+)["']\s*[,)]""",
                                                                          path.read_text())}
    assert used and not used - set(catalogue("zh-CN"))
