"""One masking function for every surface — the API, the CLI and the documents — driven by the
case's rule set (CN-12: ID numbers and phones keep a head and a tail; US-13: only the last four)
and by who reads (the audience).

A borrower-facing letter and an API or CLI reader see the same masked identity; a third party
sees none; a court sees it whole in China (民诉法 art. 124) and in the US the last digits the
forum's redaction rule keeps (``filing_redaction``: the state's own rule from the state table,
e.g. Texas's last three under Tex. R. Civ. P. 21c, else US-13's last four under FRCP 5.2(a));
internal records keep it whole.
"""

from dataclasses import dataclass
from enum import StrEnum

from service.cases.rules import RuleSet
from service.cases.us_law import STATE_RULE


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
class Redaction:
    """What a court filing of the forum shows of an SSN or an account number: its last
    `keep_tail` digits, under the rule `citation` names (wording of the citation is data).
    `uploads`: the upload categories whose files show the account number whole (the loan contract,
    the signed agreement), which a filing of the forum files as their redacted copies."""

    keep_tail: int
    citation: str
    uploads: frozenset[str] = frozenset()

    def tail(self, value: str) -> str:
        """The last digits a filing may show: '123-45-6789' -> '789' (three kept)."""
        text = "".join(ch for ch in value if ch.isalnum())
        return text[-self.keep_tail:]

    def redact(self, value: str) -> str:
        """The value as a redacted copy prints it (Tex. R. Civ. P. 21c(c): the letter "X" in place of
        each omitted character), separators kept: 'LKCC-2024-004512' -> 'XXXX-XXXX-XXX512'."""
        kept, out = 0, []
        for ch in reversed(value):
            if ch.isalnum() and kept < self.keep_tail:
                kept += 1
            elif ch.isalnum():
                ch = "X"
            out.append(ch)
        return "".join(reversed(out))


def filing_redaction(rules: RuleSet, state: str = "") -> Redaction | None:
    """The redaction of court filings in `state` (US-13, or the state's own rule in the state
    table of US-15); None where filings show identities whole (CN, 民诉法 art. 124)."""
    rule = rules.for_purpose("masking")
    if "keep_tail" not in rule.params:
        return None
    states = rules.rule(STATE_RULE).params.get("states", {}) if rules.has(STATE_RULE) else {}
    own = states.get(state, {}).get("redaction", {})
    return Redaction(int(own.get("keep_tail", rule.params["keep_tail"])), own.get("citation", rule.params["citation"]),
                     frozenset(own.get("uploads", ())))


@dataclass(frozen=True)
class Identity:
    id_number: str
    phone: str


def identity_for(id_number: str, phone: str, audience: Audience, rules: RuleSet, state: str = "") -> Identity:
    """The borrower's ID number and phone as this audience may see them ('' where nothing may be);
    a US court sees the digits the redaction rule of the forum's `state` keeps."""
    if audience is Audience.THIRD_PARTY:
        return Identity("", "")
    if audience is Audience.BORROWER:
        return Identity(mask_id(id_number, rules), mask_phone(phone, rules))
    redaction = filing_redaction(rules, state) if audience is Audience.COURT else None
    if redaction is not None:
        return Identity(mask_tail(id_number, redaction.keep_tail), phone)
    return Identity(id_number, phone)
