"""保全费 is claimed only where the plaintiff applies for property preservation (review CN-00044: the
complaint and the element form claimed it from the defendant beside the form's 诉前保全 ☑否, and the
court-fee statement said the complaint had). No case records an application, so a case's documents
claim the 诉讼费用 alone; the other wording is pinned on the same contexts with `preservation` set.
The lawyer letter warns of the 诉讼费用 in general, whatever a later suit applies for."""

import pytest

from tests.documents.conftest import squash
from tests.documents.legal_cases import context, litigation_case, texts

# kind: (wording without a preservation application, wording with one)
WORDING = {
    "civil_complaint": (["三、判令本案诉讼费用由被告承担。"], ["三、判令本案诉讼费、保全费等诉讼费用由被告承担。"]),
    "complaint_elements": (["6.是否主张诉讼费用☑是（本案诉讼费用由被告承担）☐否", "2.是否申请诉前保全☐是☑否"],
                           ["6.是否主张诉讼费用☑是（本案诉讼费、保全费等由被告承担）☐否", "2.是否申请诉前保全☐是☑否"]),
    "court_fee_statement": (["如原告申请对被告财产采取保全措施，保全金额以",
                             "原告已在诉讼请求中请求判令本案诉讼费用由被告承担。"],
                            ["原告申请对被告财产采取保全措施，保全金额暂以", "以实际保全的财产数额为准。",
                             "原告已在诉讼请求中请求判令本案诉讼费、保全费等诉讼费用由被告承担。"]),
}


@pytest.mark.parametrize("kind", sorted(WORDING))
def test_the_preservation_fee_is_claimed_only_with_a_preservation_application(db, tmp_path, kind):
    ctx = context(db, litigation_case(db).ref, kind)
    assert ctx.preservation is False  # type: ignore[attr-defined]  # no case records an application
    without, applied = WORDING[kind]
    for text in texts(ctx, tmp_path):  # the PDF and the DOCX
        flat = squash(text)
        assert "保全费" not in flat, kind
        for words in without:
            assert words in flat, (kind, words)
    for text in texts(ctx.model_copy(update={"preservation": True}), tmp_path):
        flat = squash(text)
        for words in applied:
            assert words in flat, (kind, words)


def test_the_lawyer_letter_warns_of_the_costs_of_suit_in_general(db, tmp_path):
    ctx = context(db, litigation_case(db).ref, "lawyer_letter")
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        assert "并承担诉讼费等诉讼费用。" in flat and "保全费" not in flat
