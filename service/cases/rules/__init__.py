"""Rules as versioned data per profile. Code asks for a rule by id; the JSON says its
parameters and its source, so a change of rule is a reviewed change of data.

What a refusal says is data too: ``messages.json`` words each message in English (the API's
``message``) and in zh-CN (the Chinese pages), with named values; code names the message and
gives the values (``rule.refuse("ESC-03.no_promise")``), never the sentence."""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from service.core.errors import Violation

RULES_DIR = Path(__file__).resolve().parent
LOCALIZED = ("zh-CN",)  # the locales a message is worded in besides English


@cache
def _catalogue() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = json.loads((RULES_DIR / "messages.json").read_text(encoding="utf-8"))
    incomplete = [key for key, texts in data.items() if set(texts) != {"en", *LOCALIZED}]
    if incomplete:
        raise KeyError(f"messages.json: worded in other locales than en and {LOCALIZED}: {incomplete}")
    return data


@dataclass(frozen=True)
class Text:
    """A message of the catalogue and its values; a value may itself be a Text (worded in the
    same locale) or a list of them (joined)."""

    key: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.key not in _catalogue():
            raise KeyError(f"no message {self.key!r} in messages.json")

    def render(self, locale: str = "en") -> str:
        return _catalogue()[self.key][locale].format(**{k: _value(v, locale) for k, v in self.values.items()})


def text(key: str, **values: Any) -> Text:
    return Text(key, values)


def _value(value: Any, locale: str) -> str:
    if isinstance(value, Text):
        return value.render(locale)
    if isinstance(value, list | tuple):
        return ("；" if locale == "zh-CN" else "; ").join(_value(v, locale) for v in value)
    return str(value)


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    source: str
    params: dict[str, Any] = field(default_factory=dict)
    title_zh: str = ""

    def violation(self, message: str) -> Violation:
        """A message worded only in English (Chinese pages show the rule's zh-CN title with it)."""
        return Violation(self.id, message)

    def refuse(self, key: str, **values: Any) -> Violation:
        return self.refuse_text(Text(key, values))

    def refuse_text(self, message: Text | Sequence[Text]) -> Violation:
        """The violation worded from the catalogue, in English and in every localized locale."""
        return Violation(self.id, _value(message, "en"), {loc: _value(message, loc) for loc in LOCALIZED})


@dataclass(frozen=True)
class Purposes:
    """Which rule of a jurisdiction serves each purpose the code asks about, so code asks for a
    purpose ("the contact hours") and never compares the profile to pick a rule id."""

    contact_hours: str  # CN-01 / US-01
    limitation: str  # CN-18 / US-08: no suit or threat of suit on a time-barred debt
    required_elements: str  # CN-11 / US-06: a notice shows every element its kind requires
    masking: str  # CN-12 / US-13
    do_not_call: str  # CN-05 / US-04
    third_parties: str  # CN-04 / US-03: contact persons and other third parties
    call_frequency: str  # CN-02 (with CN-03) / US-02: how often a number may be called


@dataclass(frozen=True)
class Jurisdiction:
    """What differs between jurisdictions beyond a rule's parameters: code asks these instead of
    comparing the profile's name."""

    court_fees: bool  # the claim carries the court-fee table's fee (CN-25)
    state_law: bool  # caps, limitation and venue follow the case's state (US-15, US-17, US-18)
    lender_registration: str  # the lender's registration code the import checks ("uscc"), or ""
    refused_id_types: tuple[str, ...]  # borrower ID types a case of this jurisdiction cannot take
    pleadings: tuple[str, ...]  # the pleadings of a litigation packet, in order
    counsel_required: bool  # a packet needs the assigned law firm (its power of attorney, CN-22)
    account_tail_on_filings: int | None  # filings show the account's last digits only (US-13), None: whole
    birth_year_only: bool  # a filing shows the year of birth, not the date (US-13, FRCP 5.2(a))
    id_on_agreements: bool  # a repayment agreement names the borrower's ID number (not an SSN, US-13)
    # The paper every document of the jurisdiction is printed on, PDF and DOCX alike (a key of
    # service/documents/paper.PAPERS): A4 in China; US Letter (8.5 × 11 in) for US courts and mail.
    paper: str
    # A packet opens with the parties' standing documents (主体资格: business licence, legal
    # representative's certificate, counsel's letter and licence; domain-collections §1.4 item 1, §1.6),
    # and a lender of these licence types files its licence as well: the licence exhibit by licence
    # type (a bank's or consumer-finance company's 金融许可证, a micro-lender's 经营许可). None: the
    # jurisdiction's packets have no standing group (US: the plaintiff is named by the pleadings).
    standing_licences: dict[str, str] | None = None
    # A period of days a document states or a rule holds to ends on a working day: a last day on a
    # weekend or public holiday moves to the next working day (CN: 民法典 art. 203,
    # cn_calendar.period_end). False: calendar days (US: its own rules, us_calendar).
    rest_day_periods: bool = False
    # English text the code words (a note of `dossier claim`) in American spelling ("installment",
    # "license"): a US case's; the CN profile's English versions keep British spelling ("instalment").
    us_english: bool = False

    @classmethod
    def of(cls, raw: dict[str, Any]) -> "Jurisdiction":
        return cls(**{**raw, "refused_id_types": tuple(raw["refused_id_types"]),
                      "pleadings": tuple(raw["pleadings"])})


@dataclass(frozen=True)
class RuleSet:
    """A jurisdiction's profile: its currency, time zone, default locale, rules, which rule serves
    each purpose and what else differs (`jurisdiction`). Code reads these, never `profile == "CN"`."""

    profile: str
    version: str
    effective_from: str
    default_locale: str
    timezone: str
    rules: dict[str, Rule]
    currency: str
    purposes: Purposes
    jurisdiction: Jurisdiction

    def for_purpose(self, purpose: str) -> Rule:
        """The rule serving `purpose` (a field of `Purposes`) in this jurisdiction."""
        return self.rule(getattr(self.purposes, purpose))

    def rule(self, rule_id: str) -> Rule:
        try:
            return self.rules[rule_id]
        except KeyError:
            raise KeyError(f"rule {rule_id!r} is not defined in rule set {self.version}") from None

    def param(self, rule_id: str, key: str) -> Any:
        return self.rule(rule_id).params[key]

    def has(self, rule_id: str) -> bool:
        return rule_id in self.rules


@lru_cache
def load_ruleset(profile: str) -> RuleSet:
    path = RULES_DIR / f"{profile.lower()}.json"
    if not path.exists():
        raise KeyError(f"unknown profile {profile!r}")
    raw = json.loads(path.read_text(encoding="utf-8"))
    rules = {r["id"]: Rule(r["id"], r["title"], r["source"], r.get("params", {}), r.get("title_zh", ""))
             for r in raw["rules"]}
    ruleset = RuleSet(raw["profile"], raw["version"], raw["effective_from"], raw["default_locale"],
                      raw["timezone"], rules, raw["currency"], Purposes(**raw["purposes"]),
                      Jurisdiction.of(raw["jurisdiction"]))
    missing = [rule_id for rule_id in vars(ruleset.purposes).values() if rule_id not in rules]
    if missing:
        raise KeyError(f"rule set {ruleset.version} names purposes served by undefined rules: {missing}")
    return ruleset


def rule_title(rule_id: str, locale: str) -> str:
    """A rule's title in `locale` (zh-CN or English), whichever profile defines it; "" if none does."""
    for profile in ("CN", "US"):
        rules = load_ruleset(profile).rules
        if rule_id in rules:
            rule = rules[rule_id]
            return rule.title_zh if locale == "zh-CN" and rule.title_zh else rule.title
    return ""
