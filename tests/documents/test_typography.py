"""The tokens that never break across lines, as the pattern finds them in running text."""

import pytest

from service.documents.typography import TOKEN


@pytest.mark.parametrize(("text", "tokens"), [
    ("合同编号QHXD-202508-560174）", ["QHXD-202508-560174"]),  # a letters-only head belongs to the number
    ("visit HX-0417 today", ["HX-0417"]),
    ("the pay-by date", []),  # a hyphenated word with no digit is no token
    ("repaid 12,306.43 by PAY0625349616", ["12,306.43", "PAY0625349616"]),
])
def test_a_number_is_one_token_with_its_letter_head(text, tokens):
    assert [m.group(0) for m in TOKEN.finditer(text)] == tokens
