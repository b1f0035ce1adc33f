"""An uploaded PDF reaches the packet inert; its original stays byte-exact in the bundle and the
manifest says what the packet's copy lost (issue 9, part 3)."""

import hashlib
import json
import sys
import zipfile
from pathlib import Path

from service.cases.acceleration_clause import condition_on
from service.cases.casefile import load_case_file
from service.core.clock import today
from service.packets.build import build_packet
from tests.conftest import auth
from tests.packets.test_evidence_api import META

sys.path.insert(0, str(Path(__file__).parents[1] / "evidence"))
from evidence_factories import active_content, make_hostile_pdf


def draft_packet_at_litigation(db, settings, case, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """The case's draft packet bundle. A packet is built at a litigation stage, on a recorded
    acceleration (DOC-01, DOC-07) the contract's condition allows (ESC-12: its oldest unpaid
    instalment more than N days overdue)."""
    met_from = condition_on(load_case_file(db, case.ref), today()).met_from
    assert met_from is not None
    case.stage, case.accelerated_on = "PRE_LITIGATION", met_from
    db.flush()
    out = tmp_path / "bundle.zip"
    build_packet(db, settings, case.ref, out, draft=True)
    return out


def test_hostile_upload_is_inert_in_the_packet_and_original_in_the_bundle(client, keys, case, db, settings, tmp_path):
    hostile = make_hostile_pdf(tmp_path / "hostile.pdf").read_bytes()
    r = client.post(f"/v1/cases/{case.ref}/evidence", headers=auth(keys["legal_staff"]), data=META,
                    files={"file": ("借款合同.pdf", hostile, "application/pdf")})
    assert r.status_code == 201, r.text
    item = r.json()
    out = draft_packet_at_litigation(db, settings, case, tmp_path)
    with zipfile.ZipFile(out) as z:
        manifest = json.loads(z.read("manifest.json"))
        z.extract("packet.pdf", tmp_path)
        entry = next(i for i in manifest["items"] if i.get("original_name") == "借款合同.pdf")
        original = z.read(entry["path"])
    assert original == hostile and entry["sha256"] == hashlib.sha256(hostile).hexdigest() == item["sha256"]
    removed = entry["removed_in_packet"]
    assert "page 1: Launch action (cmd.exe) on a link" in removed
    assert "page 1: URI action (http://127.0.0.1:8000/steal) on a link" in removed
    assert "page 1: JavaScript action on an event" in removed and "document: embedded file invoice.exe" in removed
    assert active_content(tmp_path / "packet.pdf") == []
