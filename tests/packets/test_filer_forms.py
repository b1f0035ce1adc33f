"""US-24: the court forms the filer adds. Review (US-00007): a California packet had no Civil Case
Cover Sheet (CM-010) and no summons (SUM-100), and its contents said nothing of them. Those are
mandatory Judicial Council forms the packet must not imitate: the plan names, by the forum state,
each form the filer attaches, and the cover lists them as "to be attached by the filer" (not a
missing exhibit: the packet is no DRAFT for them)."""

import json
import zipfile

import pytest

from service.cases.casefile import load_case_file
from service.core.settings import get_settings
from service.packets.build import build_packet, planner_for
from tests.documents.conftest import pdf_text, squash
from tests.documents.legal_cases import DAY, litigation_case
from tests.documents.test_acceleration_notices import in_state

FORMS = {"CA": ["CM-010 Civil Case Cover Sheet", "SUM-100 Summons"],
         "NY": ['Summons stating "Consumer Credit Transaction"', "Additional notice of the consumer credit action"],
         "TX": ["Civil Case Information Sheet", "Citation (issued by the clerk)"],
         "IL": ["Summons (Illinois Supreme Court approved statewide form)"]}


@pytest.mark.parametrize("state", sorted(FORMS))
def test_the_plan_names_the_forum_states_court_forms(db, state):
    plan = planner_for(get_settings())(db)(load_case_file(db, in_state(db, state).ref))
    named = [" ".join(filter(None, (f.form, f.title))) for f in plan.filer_forms]
    assert [n for n in named for want in FORMS[state] if n.startswith(want)] == named and len(named) == len(
        FORMS[state])
    assert all(f.source for f in plan.filer_forms)
    assert not any("CM-010" in m or "Summons" in m for m in plan.missing)


def test_a_california_packet_cover_lists_cm010_and_sum100_to_be_attached_by_the_filer(db, settings, tmp_path):
    case = in_state(db, "CA")
    build_packet(db, settings, case.ref, tmp_path / "p.zip", as_of=DAY, draft=True)
    with zipfile.ZipFile(tmp_path / "p.zip") as z:
        packet = pdf_text(z.read("packet.pdf"), tmp_path)
        manifest = json.loads(z.read("manifest.json"))
    flat = squash(packet)
    cover = flat[:flat.index(squash("Complaint for Breach of a Consumer Loan Agreement"))]
    assert squash("Court forms to be attached by the filer") in cover
    assert squash("CM-010 Civil Case Cover Sheet (to be attached by the filer) Cal. Rules of Court 3.220") in cover
    assert squash("SUM-100 Summons (to be attached by the filer)") in cover
    assert [f["form"] for f in manifest["filer_forms"]] == ["CM-010", "SUM-100"]
    # a US case's bundle is English only: its manifest names the originals folder in English alone
    assert set(manifest["folders"]["originals/"]) == {"en-US"}


def test_a_cn_plan_has_no_filer_forms(db):
    plan = planner_for(get_settings())(db)(load_case_file(db, litigation_case(db).ref))
    assert plan.filer_forms == []
