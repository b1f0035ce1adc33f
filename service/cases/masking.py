"""One masking function for every surface — the API, the CLI and the documents — driven by the
case's rule set (CN-12: ID numbers and phones keep a head and a tail; US-13: only the last four)
and by who reads (the audience).

A borrower-facing letter and an API or CLI reader see the same masked identity; a third party
sees none; a court sees it whole in China (民诉法 art. 124) and the last four in the US (FRCP
5.2(a)); internal records keep it whole.
"""

from dataclasses import dataclass
from enum import StrEnum

from service.cases.rules import RuleSet


class Audience(StrEnum):
    BORROWER = "borrower"  # masked ID, phone and accounts (CN-12)
    THIRD_PARTY = "third_party"  # may be seen by others: no debt data at all (CN-04, CN-12)
    COURT = "court"  # full identity (民诉法 art. 124), access-controlled; US-13 last four
    INTERNAL = "internal"  # staff only


# What the case API and the CLI show any reader: the borrower-facing masking (PIPL minimisation);
# full identities go only into access-controlled court documents.
READER = Audience.BORROWER


def mask_middle(value: str, keep_head: int, keep_tail: int, fill: str = "*") -> str:
    """Keep the first `keep_head` and last `keep_tail` characters: '110105…1234' -> '110***…1234'."""
    text = "".join(value.split())
    if len(text) <= keep_head + keep_tail:
        return fill * len(text)
    return text[:keep_head] + fill * (len(text) - keep_head - keep_tail) + text[len(text) - keep_tail:]


def mask_tail(value: str, keep_tail: int, fill: str = "*") -> str:
    """Only the last `keep_tail` characters: an account '6217…0123' -> '****…0123'."""
    return mask_middle(value, 0, keep_tail, fill)


@dataclass(frozen=True)
class Masking:
    """How much of an ID number, a phone and an account a masked view keeps, from the rule set."""

    id_keep_head: int
    id_keep_tail: int
    phone_keep_head: int
    phone_keep_tail: int
    account_keep_tail: int

    @classmethod
    def of(cls, rules: RuleSet) -> "Masking":
        if rules.has("CN-12"):
            return cls(**{k: int(v) for k, v in rules.rule("CN-12").params.items()})
        tail = int(rules.param("US-13", "keep_tail"))
        return cls(0, tail, 0, tail, tail)


def mask_id(value: str, rules: RuleSet) -> str:
    m = Masking.of(rules)
    return mask_middle(value, m.id_keep_head, m.id_keep_tail) if value else ""


def mask_phone(value: str, rules: RuleSet) -> str:
    m = Masking.of(rules)
    return mask_middle(value, m.phone_keep_head, m.phone_keep_tail) if value else ""


def mask_account(value: str, rules: RuleSet) -> str:
    return mask_tail(value, Masking.of(rules).account_keep_tail) if value else ""


@dataclass(frozen=True)
class Identity:
    id_number: str
    phone: str


def identity_for(id_number: str, phone: str, audience: Audience, rules: RuleSet) -> Identity:
    """The borrower's ID number and phone as this audience may see them ('' where nothing may be)."""
    if audience is Audience.THIRD_PARTY:
        return Identity("", "")
    if audience is Audience.BORROWER:
        return Identity(mask_id(id_number, rules), mask_phone(phone, rules))
    if audience is Audience.COURT and rules.has("US-13"):
        return Identity(mask_tail(id_number, int(rules.param("US-13", "keep_tail"))), phone)
    return Identity(id_number, phone)
