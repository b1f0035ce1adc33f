"""The UI's message catalogue: one JSON file per locale (messages/<locale>.json), the same keys in
each (a test holds them equal). Templates ask for a key; Python never holds a label."""

import json
from functools import cache
from pathlib import Path
from typing import Any

LOCALES = ("zh-CN", "en-US")
DEFAULT_LOCALE = "zh-CN"
_DIR = Path(__file__).parent / "messages"


@cache
def catalogue(locale: str) -> dict[str, str]:
    data: dict[str, str] = json.loads((_DIR / f"{locale}.json").read_text(encoding="utf-8"))
    return data


def pick_locale(value: str | None) -> str:
    return value if value in LOCALES else DEFAULT_LOCALE


class Translator:
    """``t("key")`` or ``t("key", n=3)``; an unknown key fails loudly in tests and shows the key
    itself in production rather than an empty label."""

    def __init__(self, locale: str) -> None:
        self.locale = pick_locale(locale)
        self.messages = catalogue(self.locale)

    def __call__(self, key: str, **values: Any) -> str:
        text = self.messages.get(key)
        if text is None:
            return key
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        return key in self.messages
