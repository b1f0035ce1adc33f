"""US-24: the court forms the filer adds. Review (US-00007): a California packet had no Civil Case
Cover Sheet (CM-010) and no summons (SUM-100), and its contents said nothing of them. Those are
mandatory Judicial Council forms the packet must not imitate: the plan names, by the forum state,
each form the filer attaches, and the cover lists them as "to be attached by the filer" (not a
missing exhibit: the packet is no DRAFT for them)."""

import io
import json
import zipfile

import pikepdf
import pytest

from service.cases.casefile import load_case_file
from service.core.settings import get_settings
from service.packets.build import build_packet, planner_for
from tests.documents.conftest import pdf_text, squash
from tests.documents.legal_cases import DAY, context, litigation_case, texts
from tests.documents.test_acceleration_notices import in_state

SCRA = "Affidavit stating whether or not the defendant is in military service"  # 50 U.S.C. 3931(b)(1): every state
SCRA_TITLE = SCRA + ", with the facts supporting it"
# (California: the Los Angeles Superior Court's LACIV 109 is that court's alone; COURT["CA"] names none)
FORMS = {"CA": ["CM-010 Civil Case Cover Sheet", "SUM-100 Summons", "The court's Alternative Dispute Resolution (ADR) "
                "information package", "POS-010 Proof of Service of Summons",
                "CIV-100 Request for Entry of Default and Court Judgment, with its declaration of nonmilitary status",
                SCRA],
         "NY": ['Summons stating "Consumer Credit Transaction"', "Additional notice of lawsuit, in English and Spanish",
                "Affidavit that a copy of the summons was mailed", "Affidavit of the plaintiff or its attorney that, "
                "after reasonable inquiry, it has reason to believe the statute of limitations has not expired", SCRA],
         "TX": ["Citation (issued by the clerk)", SCRA],
         "IL": ["Summons (Illinois Supreme Court approved statewide form)", SCRA]}

COURT = {"CA": "Superior Court", "NY": "Civil Court", "TX": "Justice Court", "IL": "Circuit Court"}  # the cases'


@pytest.mark.parametrize("state", sorted(FORMS))
def test_the_plan_names_the_forum_states_court_forms(db, state):
    plan = planner_for(get_settings())(db)(load_case_file(db, in_state(db, state).ref))
    named = [" ".join(filter(None, (f.form, f.title))) for f in plan.filer_forms
             if f.for_court(COURT[state])]
    assert len(named) == len(FORMS[state])
    assert all(n.startswith(want) for n, want in zip(named, FORMS[state], strict=True))
    stages = [f.stage for f in plan.filer_forms]  # by step: filing, then service, then a default judgment
    assert stages == sorted(stages, key=["filing", "service", "default_judgment"].index)
    assert stages[-1] == "default_judgment"
    assert all(f.source for f in plan.filer_forms)
    assert not any("CM-010" in m or "Summons" in m for m in plan.missing)


def _cover_and_manifest(db, settings, tmp_path, state):  # type: ignore[no-untyped-def]
    """A draft packet's cover text (up to the complaint), squashed, and its manifest, for a case in `state`."""
    case = in_state(db, state)
    build_packet(db, settings, case.ref, tmp_path / "p.zip", as_of=DAY, draft=True)
    with zipfile.ZipFile(tmp_path / "p.zip") as z:
        packet = pdf_text(z.read("packet.pdf"), tmp_path)
        manifest = json.loads(z.read("manifest.json"))
    flat = squash(packet)
    return flat[:flat.index(squash("Complaint for Breach of a Consumer Loan Agreement"))], manifest


def test_a_california_packet_cover_lists_cm010_and_sum100_to_be_attached_by_the_filer(db, settings, tmp_path):
    cover, manifest = _cover_and_manifest(db, settings, tmp_path, "CA")
    assert squash("Court forms to be attached by the filer") in cover
    assert squash("CM-010 Civil Case Cover Sheet (to be attached by the filer) Cal. Rules of Court 3.220") in cover
    assert squash("SUM-100 Summons (to be attached by the filer)") in cover
    # the Los Angeles Superior Court's addendum (its Local Rule 2.3), the ADR package and the proof of
    # service (Cal. Rules of Court 3.221, 3.110), the request for a default judgment (3.1800) and the SCRA affidavit
    assert [f["form"] for f in manifest["filer_forms"]] == ["CM-010", "SUM-100", "LACIV 109", "", "POS-010", "CIV-100",
                                                            ""]
    assert squash("LACIV 109 Civil Case Cover Sheet Addendum and Statement of Location (to be attached by the filer) "
                  "Los Angeles Superior Court Local Rule 2.3(a)(1)") in cover
    assert squash("With the proof of service of the summons and complaint") in cover
    assert squash("CIV-100 Request for Entry of Default and Court Judgment") in cover
    # a US case's bundle is English only: its manifest names the originals folder in English alone
    assert set(manifest["folders"]["originals/"]) == {"en-US"}


def test_a_cn_plan_has_no_filer_forms(db):
    plan = planner_for(get_settings())(db)(load_case_file(db, litigation_case(db).ref))
    assert plan.filer_forms == []


def test_a_new_york_packet_cover_lists_what_the_consumer_credit_fairness_act_asks_by_step(db, settings, tmp_path):
    """Reader (US-00010): the NY list cited 22 NYCRR 208.6(h) and, "in the Supreme Court", CPLR
    3215(g)(3) for the additional notice; CPLR 306-d asks that notice, in English and Spanish, in
    every consumer credit action, with the proof of service; the Civil Court's summons is in English
    and Spanish; a default judgment needs the CPLR 3215(j) limitation affidavit and the SCRA's."""
    cover, manifest = _cover_and_manifest(db, settings, tmp_path, "NY")
    for step, paper in (("When filing", 'Summons stating "Consumer Credit Transaction" (to be attached by the filer) '
                         "CPLR 305(a)"),
                        ("With the proof of service of the summons and complaint", "Additional notice of lawsuit, in "
                         "English and Spanish, with a stamped, unsealed envelope addressed to the defendant (submitted "
                         "to the clerk with the proof of service; the clerk mails it) (to be attached by the filer) "
                         "CPLR 306-d(a)"),
                        ("With an application for a default judgment", "Affidavit that a copy of the summons was "
                         "mailed")):
        assert squash(f"{step} — {paper}") in cover or squash(f"{step}{paper}") in cover, step
    for cited in ("N.Y. City Civ. Ct. Act § 401(d)", "22 NYCRR 208.6(h) (Civil Court of the City of New York)",
                  "CPLR 3215(g)(3)", "CPLR 3215(j)", "50 U.S.C. § 3931(b)(1)"):
        assert squash(cited) in cover, cited
    assert squash("in the Supreme Court, CPLR 3215(g)(3) asks") not in cover
    assert [f["stage"] for f in manifest["filer_forms"]] == ["filing", "service", *["default_judgment"] * 3]


def test_the_cover_lists_each_step_in_both_formats(db, tmp_path):
    """The DOCX cover too (its first version failed to compile: docxtpl takes no braces in a {%p %} tag)."""
    case = in_state(db, "NY")
    for text in texts(context(db, case.ref, "packet_cover"), tmp_path):
        flat = squash(text)
        for step in ("When filing", "With the proof of service of the summons and complaint",
                     "With an application for a default judgment"):
            assert squash(step) in flat, step
        assert squash("CPLR 3215(j)") in flat and squash("50 U.S.C. § 3931(b)(1)") in flat


def test_a_us_packet_states_its_title_subject_producer_and_language(db, settings, tmp_path):
    """What a US packet.pdf says of itself (reader, US-00010: no Title in its metadata): its title names
    the parties and the case, a draft's says it is one, and its subject, producer and language are set."""
    case = in_state(db, "NY")
    cf = load_case_file(db, case.ref)
    build_packet(db, settings, case.ref, tmp_path / "p.zip", as_of=DAY, draft=True)
    with zipfile.ZipFile(tmp_path / "p.zip") as z, pikepdf.open(io.BytesIO(z.read("packet.pdf"))) as pdf:
        info = {k: str(v) for k, v in pdf.docinfo.items()}
        assert info["/Title"] == (f"DRAFT: Litigation Packet: {cf.lender.name} v. {cf.borrower.name} "
                                  f"({case.ref})")
        assert info["/Subject"] == ("Action on a consumer loan: the pleadings and exhibits as of "
                                    "December 1, 2025")
        assert info["/Producer"] == "Dossier"
        assert str(pdf.Root.Lang) == "en-US" and bool(pdf.Root.ViewerPreferences.DisplayDocTitle)


def test_a_texas_citation_cites_the_rule_of_the_court_the_suit_is_filed_in(db, settings, tmp_path):
    """Review (US-00013): a Justice Court case's cover listed "Citation (issued by the clerk) … Tex. R.
    Civ. P. 99, 510.4": Rule 99 is the district and county courts' citation, 510.4 the eviction
    citation. A Justice Court's citation is Tex. R. Civ. P. 501.1; the cover, the manifest and the
    plan's forms for that court name it alone. (Rule 78a's civil case information sheet was repealed
    in 2018 and Rule 502.2(b) now asks for the fees: neither is listed.)"""
    case = in_state(db, "TX")
    plan = planner_for(get_settings())(db)(load_case_file(db, case.ref))
    citation = {f.court: f.source for f in plan.filer_forms if f.title == "Citation (issued by the clerk)"}
    assert citation["Justice Court"].startswith("Tex. R. Civ. P. 501.1 ")
    assert citation["District Court"].startswith("Tex. R. Civ. P. 99(a) ")
    assert [f.title for f in plan.filer_forms if f.for_court("District Court of Harris County, Texas")] == [
        "Citation (issued by the clerk)", SCRA_TITLE]
    build_packet(db, settings, case.ref, tmp_path / "p.zip", as_of=DAY, draft=True)
    with zipfile.ZipFile(tmp_path / "p.zip") as z:
        flat = squash(pdf_text(z.read("packet.pdf"), tmp_path))
        manifest = json.loads(z.read("manifest.json"))
    cover = flat[:flat.index(squash("DRAFT: required exhibits are missing"))]  # the forms' page of the cover
    assert squash("Citation (issued by the clerk) (to be attached by the filer) Tex. R. Civ. P. 501.1") in cover
    for wrong in ("510.4", "Tex. R. Civ. P. 99", "78a", "Civil Case Information Sheet"):
        assert squash(wrong) not in cover, wrong
    assert [f["source"].split(" (")[0] for f in manifest["filer_forms"]] == ["Tex. R. Civ. P. 501.1",
                                                                             "50 U.S.C. § 3931(b)(1)"]


def test_the_los_angeles_addendum_is_for_that_court_alone(db):
    """Review US-00011: a California filing in the Los Angeles Superior Court also needs its Civil Case
    Cover Sheet Addendum and Statement of Location (LACIV 109, its Local Rule 2.3); another county's
    superior court does not ask for it."""
    plan = planner_for(get_settings())(db)(load_case_file(db, in_state(db, "CA").ref))
    la = [f.form for f in plan.filer_forms if f.for_court("Superior Court of California, County of Los Angeles")]
    sf = [f.form for f in plan.filer_forms if f.for_court("Superior Court of California, County of San Francisco")]
    assert "LACIV 109" in la and "LACIV 109" not in sf
    assert {"CM-010", "SUM-100", "POS-010", "CIV-100"} <= set(sf)
    by_form = {f.form: f for f in plan.filer_forms}
    assert by_form["POS-010"].stage == "service" and by_form["CIV-100"].stage == "default_judgment"
    assert "3.1800" in by_form["CIV-100"].source and "3.221" in next(
        f.source for f in plan.filer_forms if "ADR" in f.title)
