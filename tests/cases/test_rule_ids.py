"""Rule ids name data: every id the code or the templates cite is in the rule set of its
jurisdiction, and every rule of a rule set is evaluated or applied somewhere in the code."""

import ast
import re
from pathlib import Path

from service.cases.rules import load_ruleset

ROOT = Path(__file__).resolve().parents[2]
RULE_ID = re.compile(r"\b(CN|US|ESC|PLAN|DOC|POL)-\d{2}\b|\bHOLD\b(?=[\"'])")
CITED = re.compile(r"[\"']((?:CN|US|ESC|PLAN|DOC|POL)-\d{2}|HOLD)[\"']")


def _cited(paths: list[Path]) -> dict[str, set[str]]:
    """Rule ids quoted as strings, with the files that quote them."""
    found: dict[str, set[str]] = {}
    for path in paths:
        for rule_id in CITED.findall(path.read_text(encoding="utf-8")):
            found.setdefault(rule_id, set()).add(str(path.relative_to(ROOT)))
    return found


def _code() -> list[Path]:
    return sorted((ROOT / "service").rglob("*.py"))


def test_every_rule_id_the_code_cites_is_in_a_rule_set():
    ids = {profile: set(load_ruleset(profile).rules) for profile in ("CN", "US")}
    known = ids["CN"] | ids["US"]
    unknown = {rule_id: files for rule_id, files in _cited(_code()).items() if rule_id not in known}
    assert not unknown, f"rule ids cited in code but defined in no rule set: {unknown}"
    for profile, prefix in (("CN", "CN-"), ("US", "US-")):
        stray = {rule_id for rule_id in ids["CN"] | ids["US"] if rule_id.startswith(prefix)} - ids[profile]
        assert not stray, f"{profile}-only rules found in the other rule set: {stray}"


PURPOSE = re.compile(r"for_purpose\(\"(\w+)\"\)|\.purposes\.(\w+)")


def test_every_rule_in_the_rule_sets_is_evaluated_somewhere():
    """Cited by id, or asked for by its purpose (`RuleSet.for_purpose`)."""
    cited = _cited(_code())
    purposes = {name for path in _code() for found in PURPOSE.findall(path.read_text(encoding="utf-8"))
                for name in found if name}
    for profile in ("CN", "US"):
        ruleset = load_ruleset(profile)
        served = {getattr(ruleset.purposes, name) for name in purposes}
        unused = sorted(set(ruleset.rules) - set(cited) - served)
        assert not unused, f"rules of {profile} that no code evaluates: {unused}"


def test_no_code_picks_a_rule_by_comparing_the_profile():
    """A jurisdiction's rule for a purpose comes from its rule set, not from `profile == "CN"`."""
    picked = re.compile(r"[\"'](?:CN|US)-\d{2}[\"'] if [\w.]*profile")
    offenders = [str(p.relative_to(ROOT)) for p in _code() if picked.search(p.read_text(encoding="utf-8"))]
    assert not offenders


def test_rule_ids_are_well_formed():
    for profile in ("CN", "US"):
        for rule_id, rule in load_ruleset(profile).rules.items():
            assert RULE_ID.fullmatch(rule_id) or rule_id == "HOLD", rule_id
            assert rule.title and rule.source, f"{profile} {rule_id} lacks a title or a source"


# Where comparing the profile's name is the point: fictional data made up per jurisdiction
# (preview samples and the demo seed), not behaviour a rule set could own.
PROFILE_COMPARISON_ALLOWED = {
    "service/documents/contexts/samples.py": "the sample notices' fictional lender and borrower per jurisdiction",
    "service/documents/contexts/legal/samples.py": "the sample filings' fictional parties, loan and court",
    "service/demo": "the demo seed: fictional people, histories and uploads per jurisdiction",
}
PROFILE_NAMES = {"CN", "US"}


def _names_a_profile(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return node.value in PROFILE_NAMES
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_names_a_profile(e) for e in node.elts)
    return False


def profile_comparisons(source: str) -> list[int]:
    """Lines comparing something to a profile's name: `profile == "CN"`, `p != "US"`, `x in ("CN",)`."""
    return [node.lineno for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Compare)
            and any(_names_a_profile(side) for side in (node.left, *node.comparators))]


def test_no_code_compares_the_profile_name():
    """A jurisdiction's currency, time zone, masking, documents and rules come from its typed rule
    set (`RuleSet`, `RuleSet.jurisdiction`, `RuleSet.purposes`), not from `profile == "CN"`."""
    found = {}
    for path in _code():
        name = str(path.relative_to(ROOT))
        if any(name == allowed or name.startswith(allowed + "/") for allowed in PROFILE_COMPARISON_ALLOWED):
            continue
        if lines := profile_comparisons(path.read_text(encoding="utf-8")):
            found[name] = lines
    assert not found, f"comparisons of the profile's name (ask the rule set instead): {found}"


def test_the_profile_comparison_check_finds_what_it_looks_for():
    assert profile_comparisons('if case.profile == "US":\n    pass\n') == [1]
    assert profile_comparisons('x = "a" if p != "CN" else "b"\n') == [1]
    assert profile_comparisons('ok = profile in ("CN", "XX")\n') == [1]
    assert profile_comparisons('ok = rules.jurisdiction.state_law and locale == "en-US"\n') == []
    allowed = [ROOT / name for name in PROFILE_COMPARISON_ALLOWED]
    assert all(path.exists() for path in allowed), "an allow-list entry names nothing"
