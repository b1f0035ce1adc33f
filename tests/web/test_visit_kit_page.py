"""The visit kit from the case page: offered where the stage allows it, built as a job with its
progress, downloaded as a PDF; elsewhere refused naming the rule, as the API refuses it."""

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.cases.enums import Stage
from service.cases.models import DebtCase
from service.core.settings import Settings
from service.jobs.models import Job
from service.visits import service as visits_service
from tests.factories import DEMO_ANCHOR
from tests.seeded import seed_demo
from tests.web.conftest import csrf_of


def _ref(db: Session, stage: Stage) -> str:
    return db.scalars(select(DebtCase.ref).where(DebtCase.stage == stage)).one()


def test_a_notified_visit_gets_its_kit_with_progress_and_a_download(
        signed_in: Callable[[str], TestClient], db: Session, settings: Settings) -> None:
    seed_demo(db, anchor=DEMO_ANCHOR, cases=2, settings=settings, stages=(Stage.VISIT_NOTIFIED, Stage.REMINDER))
    ref = _ref(db, Stage.VISIT_NOTIFIED)
    client = signed_in("collector")
    page = client.get(f"/cases/{ref}").text
    assert f'action="/cases/{ref}/visit-kit"' in page and "上门走访资料包" in page
    asked = client.post(f"/cases/{ref}/visit-kit", headers={"X-CSRF-Token": csrf_of(page), "HX-Request": "true"})
    assert asked.status_code == 200, asked.text
    found = re.search(r'hx-get="/jobs/(job_\w+)/progress"', asked.text)
    assert found and "<progress" in asked.text
    job = db.get(Job, found.group(1))
    assert job is not None and job.kind == "visit_kit"
    # What the worker does with the job (the executor runs it in another process).
    job.result = visits_service.run_visit_kit_job(db, settings, job, lambda done, total: None)
    job.status = "done"
    db.flush()
    progress = client.get(f"/jobs/{job.id}/progress").text
    assert f"/jobs/{job.id}/visit-kit" in progress and "hx-get" not in progress
    pdf = client.get(f"/jobs/{job.id}/visit-kit")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["x-content-sha256"] == job.result["pdf_sha256"]


def test_the_kit_is_not_offered_before_the_visit_is_notified_and_is_refused_by_rule(
        signed_in: Callable[[str], TestClient], db: Session, settings: Settings) -> None:
    seed_demo(db, anchor=DEMO_ANCHOR, cases=1, settings=settings, stages=(Stage.REMINDER,))
    ref = _ref(db, Stage.REMINDER)
    client = signed_in("legal_staff")
    page = client.get(f"/cases/{ref}").text
    assert "/visit-kit" not in page
    refused = client.post(f"/cases/{ref}/visit-kit", data={"csrf_token": csrf_of(page)})
    assert refused.status_code == 422 and "DOC-01" in refused.text
    assert db.scalar(select(Job).where(Job.kind == "visit_kit")) is None
