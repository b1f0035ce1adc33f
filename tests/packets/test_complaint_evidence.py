"""A civil complaint generated on its own, through the API or in a batch job, lists the evidence as
the packet's evidence index numbers it: the same exhibits, recordings included, in the same order
with the same numbers and sources as the complaint the packet builder renders (the packet plan is
made on the fly from the case's uploaded evidence and generated documents)."""

import re
from pathlib import Path

from sqlalchemy import select

from service.cases.casefile import load_case_file
from service.cases.models import DebtCase
from service.core.clock import today, utcnow
from service.core.storage import get_store
from service.documents.models import GeneratedDocument
from service.documents.registry import KINDS
from service.jobs.models import Job
from service.packets.build import make_plan
from service.packets.jobs import notice_batch
from service.packets.render import PacketRenderer
from tests.conftest import auth
from tests.documents.conftest import pdf_text, squash
from tests.seeded import seed_demo

ITEM = re.compile(r"(\d+)\.(.+?)，来源：(.+?)[；。]")


def _evidence(pdf: bytes, tmp: Path) -> list[tuple[str, str, str]]:
    """The numbered items of the complaint's 证据和证据来源 section."""
    flat = squash(pdf_text(pdf, tmp))
    section = flat.split("证据和证据来源，证人姓名和住所", 1)[1].split("此致", 1)[0]
    return ITEM.findall(section)


def test_a_complaint_generated_on_its_own_lists_the_packets_evidence(db, settings, client, keys, tmp_path):
    # anchored today: the batch job generates as of today's clock, as the API does without as_of
    seed_demo(db, anchor=today(), cases=18, settings=settings)
    filing = KINDS["civil_complaint"].stages  # the stages a complaint is made at (not after filing)
    refs = list(db.scalars(select(DebtCase.ref).where(DebtCase.profile == "CN", DebtCase.stage.in_(filing))
                           .order_by(DebtCase.ref)))
    assert refs
    job = Job(id="job_complaintevidence0001", kind="notice_batch", status="running", actor="test",
              params={"items": [{"case_ref": ref, "kind": "civil_complaint"} for ref in refs], "format": "pdf"},
              created_at=utcnow())
    db.add(job)
    db.flush()
    batch = notice_batch(db, job, settings, lambda *_: None)
    assert batch["generated"] == len(refs), batch["items"]
    store = get_store(settings)
    recordings = 0
    for ref, item in zip(refs, batch["items"], strict=True):
        cf = load_case_file(db, ref)
        plan = make_plan(db, settings, cf)
        # the packet path: the complaint as the packet builder renders it, with the packet's plan
        packet = PacketRenderer(db, settings, cf, today(cf.borrower.timezone), tmp_path, locale=plan.locale)
        expected = _evidence(packet.pdf("civil_complaint", plan=plan).read_bytes(), tmp_path)
        assert len(expected) == len(plan.exhibits) + len(plan.recordings), ref
        r = client.post(f"/v1/cases/{ref}/documents", json={"kind": "civil_complaint", "format": "pdf"},
                        headers=auth(keys["legal_staff"]))
        assert r.status_code == 201, r.text
        content = client.get(f"/v1/documents/{r.json()['id']}/content", headers=auth(keys["legal_staff"]))
        assert _evidence(content.content, tmp_path) == expected, ref
        batched = db.get(GeneratedDocument, item["document_id"])
        assert batched is not None and _evidence(store.read_bytes(batched.sha256), tmp_path) == expected, ref
        recordings += len(plan.recordings)
    assert recordings  # the demo's call recordings: exhibits a plan made without the case's uploads would miss
