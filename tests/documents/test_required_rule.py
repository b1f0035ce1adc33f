"""A rendered file that lacks a required element is refused, naming the rule of its kind."""

from datetime import date

import pytest

from service.core.errors import RuleViolation
from service.core.settings import get_settings
from service.documents.contexts.common import DocMeta, Required
from service.documents.registry import get_kind
from service.documents.render import render


def _lacking(kind: str, profile: str, locale: str):  # type: ignore[no-untyped-def]
    doc_kind = get_kind(kind)
    meta = DocMeta(kind=kind, profile=profile, locale=locale, audience=doc_kind.audience, as_of=date(2026, 11, 20),
                   case_ref="SAMPLE")
    base = doc_kind.context_class()
    sample = base.sample(meta)

    class Lacking(base):  # type: ignore[misc, valid-type]
        def required(self) -> list[Required]:
            return [*super().required(), Required(label="phantom", text="从未出现的文字 never shown")]

    return Lacking.model_validate(sample.model_dump())


@pytest.mark.parametrize(("kind", "profile", "locale", "rule"), [
    ("demand_letter", "CN", "zh-CN", "CN-11"),
    ("validation_notice", "US", "en-US", "US-06"),
    ("civil_complaint", "CN", "zh-CN", "DOC-02"),
    ("repayment_agreement", "CN", "zh-CN", "DOC-02"),
])
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_missing_element_is_refused_with_the_kinds_rule(kind, profile, locale, rule, fmt):
    with pytest.raises(RuleViolation) as refused:
        render(_lacking(kind, profile, locale), fmt, templates_dir=get_settings().templates_dir)
    assert [v.rule for v in refused.value.violations] == [rule]
    assert "phantom" in refused.value.violations[0].message
