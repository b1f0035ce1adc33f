"""Rules as versioned data per profile. Code asks for a rule by id; the JSON says its
parameters and its source, so a change of rule is a reviewed change of data."""

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from service.core.errors import Violation

RULES_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    source: str
    params: dict[str, Any] = field(default_factory=dict)

    def violation(self, message: str) -> Violation:
        return Violation(self.id, message)


@dataclass(frozen=True)
class RuleSet:
    profile: str
    version: str
    effective_from: str
    default_locale: str
    timezone: str
    rules: dict[str, Rule]

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
    rules = {r["id"]: Rule(r["id"], r["title"], r["source"], r.get("params", {})) for r in raw["rules"]}
    return RuleSet(raw["profile"], raw["version"], raw["effective_from"], raw["default_locale"],
                   raw["timezone"], rules)
