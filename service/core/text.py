"""Text that cannot rearrange a document: the one check of every string a client sends.

Refused, naming the field and the character:
- control characters (C0 and C1, NUL included): a bell in a name, a NUL that PostgreSQL cannot
  store; multi-line fields keep tab, line feed and carriage return;
- bidirectional embeddings, overrides, isolates and marks (U+202A–U+202E, U+2066–U+2069,
  U+200E, U+200F, U+061C): a right-to-left override in a name reversed the rest of its line on
  a notice. Scripts written right to left need none of them: the characters carry their own
  direction, and documents isolate each value where it is placed;
- line and paragraph separators, lone surrogates, the byte-order mark and noncharacters.

`InputModel` is the base of every JSON input: every string in it, nested lists and dicts
included, passes this check, and every string has a length limit (`SHORT_TEXT` unless the field
declares its own, `LONG_TEXT` for free text written by people).
"""

import unicodedata
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

SHORT_TEXT = 200
LONG_TEXT = 4000

_BIDI_CONTROLS = frozenset({"LRE", "RLE", "PDF", "LRO", "RLO", "LRI", "RLI", "FSI", "PDI"})
_BIDI_MARKS = frozenset({"\u200e", "\u200f", "\u061c"})
_LINE_BREAKS = frozenset("\t\n\r")
MULTILINE = "multiline"


def text_problem(value: str, *, multiline: bool = False) -> str | None:
    """What is wrong with `value`, in words, or None when it is acceptable."""
    for char in value:
        if multiline and char in _LINE_BREAKS:
            continue
        if (what := _forbidden(char)) is not None:
            return f"contains {_describe(char)}, {what}"
    return None


def _forbidden(char: str) -> str | None:
    category = unicodedata.category(char)
    if category == "Cc":
        return "a control character"
    if unicodedata.bidirectional(char) in _BIDI_CONTROLS or char in _BIDI_MARKS:
        return "a bidirectional-text control that can reorder the text around it"
    if category in ("Zl", "Zp"):
        return "a line or paragraph separator"
    if category == "Cs":
        return "a lone surrogate"
    if char == "\ufeff" or (ord(char) & 0xFFFE) == 0xFFFE or 0xFDD0 <= ord(char) <= 0xFDEF:
        return "an invisible or non-character code point"
    return None


def _describe(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def check_text(field: str, value: str, *, multiline: bool = False) -> str:
    """`value` unchanged, or ValueError naming `field` and the character."""
    if (found := text_problem(value, multiline=multiline)) is not None:
        raise ValueError(f"{field}: {found}" if field else found)
    return value


# A field of free text written by people: several lines allowed, a longer limit.
LongText = Annotated[str, Field(max_length=LONG_TEXT), MULTILINE]


class InputModel(BaseModel):
    """Base of every JSON input model."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, str_max_length=SHORT_TEXT)

    @field_validator("*", mode="after")
    @classmethod
    def _safe_text(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        multiline = field is not None and MULTILINE in field.metadata
        _walk(value, "", multiline=multiline)
        return value


def _walk(value: Any, path: str, *, multiline: bool) -> None:
    if isinstance(value, str):
        check_text(path, value, multiline=multiline)
    elif isinstance(value, dict):
        for key, item in value.items():
            _walk(key, f"{path}[{key!r}]" if isinstance(key, str) and not text_problem(key) else path,
                  multiline=False)
            _walk(item, f"{path}[{key!r}]", multiline=multiline)
    elif isinstance(value, list | tuple | set | frozenset):
        for index, item in enumerate(value):
            _walk(item, f"{path}[{index}]", multiline=multiline)
