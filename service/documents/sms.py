"""The one-segment SMS budget.

A single SMS segment holds 160 GSM-7 septets, or 70 UCS-2 characters as soon as one character
is outside the GSM-7 alphabet (any Chinese text). Reminders must fit one segment: a
concatenated message can arrive split or out of order, and every segment is charged.
"""

from dataclasses import dataclass

GSM7_LIMIT = 160
UCS2_LIMIT = 70
# GSM 03.38 basic character set, and the extension table (each costs two septets).
_GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENDED = set("^{}\\[~]|€\f")


@dataclass(frozen=True)
class SmsBudget:
    encoding: str  # GSM-7 | UCS-2
    used: int  # septets for GSM-7, UTF-16 code units for UCS-2
    limit: int

    @property
    def fits(self) -> bool:
        return self.used <= self.limit


def budget(text: str) -> SmsBudget:
    if all(c in _GSM7_BASIC or c in _GSM7_EXTENDED for c in text):
        used = sum(2 if c in _GSM7_EXTENDED else 1 for c in text)
        return SmsBudget("GSM-7", used, GSM7_LIMIT)
    return SmsBudget("UCS-2", len(text.encode("utf-16-le")) // 2, UCS2_LIMIT)
