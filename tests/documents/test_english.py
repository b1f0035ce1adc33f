"""English (en-US) documents read as US English: a name that ends in a period ("Co., Ltd.", "Inc.")
ends a sentence with that one period."""

import html
import re
from typing import Any

import pytest
from pydantic import BaseModel

from service.demo import proofread
from service.documents.render import render_html
from tests.documents.conftest import TEMPLATES, Variant, variants

ENGLISH = [v for v in variants() if v.locale == "en-US"]
IDS = [v.id for v in ENGLISH]
NAMES = {"name", "name_en", "creditor_now", "collects_for", "original_creditor", "current_creditor"}


def _text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def _dotted(value: Any) -> Any:
    """`value` with every party's name ending in a period, as "… Co., Ltd." and "… Inc." do."""
    if isinstance(value, BaseModel):
        update = {}
        for field in type(value).model_fields:
            item = getattr(value, field)
            if field in NAMES and isinstance(item, str) and item.isascii() and item and not item.endswith("."):
                update[field] = f"{item} Co., Ltd."
            elif isinstance(item, BaseModel | tuple | list):
                update[field] = _dotted(item)
        return value.model_copy(update=update)
    if isinstance(value, tuple | list):
        return type(value)(_dotted(v) for v in value)
    return value


def test_english_variants_cover_both_profiles():
    assert {v.profile for v in ENGLISH} == {"CN", "US"}
    assert len(ENGLISH) > 10


@pytest.mark.parametrize("variant", ENGLISH, ids=IDS)
def test_a_name_ending_in_a_period_ends_a_sentence_once(variant: Variant):
    text = _text(render_html(_dotted(variant.sample()), TEMPLATES))
    if "Co., Ltd." not in text:
        pytest.skip("the kind names no party from a name field (a caption, a title)")
    assert not proofread.doubled_stops(text)


def test_the_doubled_period_check_finds_one():
    assert proofread.doubled_stops("Issued by Huaxin Consumer Finance Co., Ltd.. Customer service") == ["Ltd.."]
    assert not proofread.doubled_stops("Issued by Huaxin Consumer Finance Co., Ltd. Customer service… and so on...")
