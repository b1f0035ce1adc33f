"""What a US packet.pdf says of itself (reader, US-00010: no Title in its metadata, so a viewer
and an e-filing portal showed only "packet.pdf"): its title names the parties and the case, a
draft's says it is one, and its subject, producer and language are set."""

import io
import zipfile

import pikepdf

from service.cases.casefile import load_case_file
from service.packets.build import build_packet
from tests.documents.legal_cases import DAY
from tests.documents.test_acceleration_notices import in_state


def test_a_us_packet_states_its_title_subject_producer_and_language(db, settings, tmp_path):
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
