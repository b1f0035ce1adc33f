"""32 concurrent writers of every kind against the real server, as `make run` starts it, on the
suite's database engine (SQLite by default, PostgreSQL under DOSSIER_DATABASE_URL).

For a bounded time, 32 clients post payments, contacts, documents, uploads and jobs (some under
an Idempotency-Key, retried), while another client polls /healthz. Then: no 5xx, every answered
write is in the database exactly once and nothing else is, every payment is allocated exactly,
every job finished, the audit trail is intact and holds one event per write.
"""

import io
import itertools
import os
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

import httpx
import pikepdf
import pytest
from sqlalchemy import func, select

from service.access.service import create_api_key
from service.audit import service as audit
from service.audit.models import AuditEvent
from service.cases.models import Communication, Payment, PaymentAllocation
from service.core.clock import today
from service.core.db import unit_of_work
from service.core.settings import Settings
from service.documents.models import GeneratedDocument
from service.jobs.models import Job, JobStatus
from service.packets.models import EvidenceItem
from tests.factories import import_case
from tests.live import listening, own_database, running_server, wait_until

WRITERS = 32
DURATION = 20.0  # seconds during which writers start new requests
KINDS = ("payment", "contact", "document", "upload", "job")
TIMEOUT = httpx.Timeout(180.0)  # a ceiling for a stuck server, never reached by a working one
# The rate limits are not under test here: one collection system's load from one address.
UNLIMITED = {"DOSSIER_RATE_LIMIT_PER_KEY": "1000000/minute", "DOSSIER_RATE_LIMIT_PER_ADDRESS": "1000000/minute",
             "DOSSIER_MAX_ACTIVE_JOBS_PER_KEY": "1000000"}


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    ids: dict[str, set[Any]] = field(default_factory=lambda: defaultdict(set))
    replays: int = 0
    health: list[int] = field(default_factory=list)

    def add(self, kind: str, response: httpx.Response) -> None:
        with self.lock:
            self.statuses[(kind, response.status_code)] += 1
            if kind == "document" and response.status_code == 422 and '"rule":"DOC-03"' in response.text:
                return  # the notice was sent already (maybe by a concurrent writer): refused by name
            if response.status_code >= 500 or response.status_code not in (201, 202):
                self.errors.append(f"{kind}: {response.status_code} {response.text[:300]}")


def _pdf(n: int) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.docinfo["/Title"] = f"concurrency exhibit {n}"
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()


class Writer:
    def __init__(self, base: str, key: str, refs: list[str], tally: Tally, numbers: Any) -> None:
        self.client = httpx.Client(base_url=base, timeout=TIMEOUT, headers={"Authorization": f"Bearer {key}"})
        self.refs, self.tally, self.numbers = refs, tally, numbers

    def post(self, kind: str, ref: str, n: int, key: str | None) -> httpx.Response:
        headers = {"Idempotency-Key": key} if key else {}
        if kind == "payment":
            return self.client.post(f"/v1/cases/{ref}/payments", headers=headers,
                                    json={"value_date": "2025-04-01", "amount": "1.00", "external_ref": f"c{n}"})
        if kind == "contact":  # one a day per number, so no frequency rule refuses them
            day = today() - timedelta(days=1 + n)
            return self.client.post(f"/v1/cases/{ref}/communications", headers=headers, json={
                "channel": "sms", "to_address": "13800138000", "sent_at": f"{day.isoformat()}T10:00:00+08:00",
                "outcome": "delivered", "summary": f"c{n}"})
        if kind == "document":  # the same notice again and again: once (DOC-03), or again on a reason
            reason = {"override_reason": f"resent {n}"} if n % 2 else {}
            return self.client.post(f"/v1/cases/{ref}/documents", headers=headers,
                                    json={"kind": "credit_report_prenotice", "format": "pdf", "as_of": "2025-06-20",
                                          **reason})
        if kind == "upload":
            meta = {"title": f"证据{n}", "category": "loan_contract", "form": "electronic", "source": "并发测试",
                    "purpose": "证明借款合同关系成立"}
            headers["Content-Type"] = f"multipart/form-data; boundary=dossier-{n}"  # the same bytes on a retry
            return self.client.post(f"/v1/cases/{ref}/evidence", headers=headers, data=meta,
                                    files={"file": (f"e{n}.pdf", _pdf(n), "application/pdf")})
        return self.client.post("/v1/audit/verify", headers=headers)

    def record(self, kind: str, response: httpx.Response) -> None:
        self.tally.add(kind, response)
        if response.status_code in (201, 202):
            body = response.json()
            with self.tally.lock:
                self.tally.ids[kind].add(body.get("job") or body["id"])

    def run(self, index: int, until: float) -> None:
        kind = KINDS[index % len(KINDS)]
        try:
            while time.monotonic() < until:
                n = next(self.numbers)
                ref = self.refs[n % len(self.refs)]
                key = f"w{index}-{n}" if n % 3 == 0 else None
                response = self.post(kind, ref, n, key)
                self.record(kind, response)
                if key and response.status_code in (201, 202):  # the client retries: a replay, no new write
                    again = self.post(kind, ref, n, key)
                    with self.tally.lock:
                        if again.headers.get("idempotent-replay") == "true" and again.json() == response.json():
                            self.tally.replays += 1
                        else:
                            self.tally.errors.append(f"{kind} retry: {again.status_code} {again.text[:300]}")
        except Exception as exc:  # a dropped connection or a timeout is a finding, not a crash
            with self.tally.lock:
                self.tally.errors.append(f"{kind}: {type(exc).__name__}: {exc}")
        finally:
            self.client.close()


def _probe_health(base: str, tally: Tally, stop: threading.Event) -> None:
    # A ceiling for an answer, generous for a busy 2-core CI machine: a server whose event loop
    # is blocked never answers at all.
    with httpx.Client(base_url=base, timeout=httpx.Timeout(60.0)) as client:
        while not stop.is_set():
            try:
                tally.health.append(client.get("/healthz").status_code)
            except httpx.HTTPError as exc:
                tally.errors.append(f"/healthz did not answer: {type(exc).__name__}")
                tally.health.append(0)
            stop.wait(0.2)


def _seed(url: str) -> tuple[str, list[str], dict[str, int]]:
    with unit_of_work(url) as s:
        key = create_api_key(s, role="legal_staff")
        refs = [import_case(s).ref for _ in range(8)]
    with unit_of_work(url) as s:
        before = {"payment": s.scalar(select(func.count()).select_from(Payment)) or 0}
    return key, refs, before


# Two server processes (`dossier serve --workers 2`) share the database and count their rate
# limits in Redis, as a deployment that outgrows one process runs.
SHARED_LIMITS = {"DOSSIER_RATE_LIMIT_STORAGE": os.environ.get("DOSSIER_TEST_LIMITS_URL",
                                                              "async+redis://127.0.0.1:6379/13")}


@pytest.mark.parametrize("workers", [1, 2])
def test_32_concurrent_writers_of_every_kind(tmp_path, workers):
    shared = SHARED_LIMITS if workers > 1 else {}
    if shared and not listening(shared["DOSSIER_RATE_LIMIT_STORAGE"].removeprefix("async+")):
        pytest.skip("no Redis for the shared rate limits of two server processes")
    url = own_database(tmp_path, f"concurrency{workers}")
    settings = Settings(database_url=url, storage_dir=tmp_path / "store", executor="local")
    key, refs, before = _seed(url)
    tally, stop = Tally(), threading.Event()
    numbers = itertools.count()
    with running_server(settings, tmp_path / "server.log", workers=workers, **UNLIMITED, **shared) as base:
        prober = threading.Thread(target=_probe_health, args=(base, tally, stop))
        prober.start()
        until = time.monotonic() + DURATION
        writers = [threading.Thread(target=Writer(base, key, refs, tally, numbers).run, args=(i, until))
                   for i in range(WRITERS)]
        for w in writers:
            w.start()
        for w in writers:
            w.join()
        # However the writers happened to interleave, the same notice asked for twice more without
        # a reason: the second, at least, is refused by name (DOC-03).
        last = Writer(base, key, refs, tally, numbers)
        for n in (0, 2):
            last.record("document", last.post("document", refs[0], n, None))
        last.client.close()
        stop.set()
        prober.join()
        _wait_for_jobs(url, tally.ids["job"])
    log = (tmp_path / "server.log").read_text()
    assert not tally.errors, "\n".join(tally.errors[:20]) + "\n--- server log ---\n" + log[-3000:]
    assert all(code == 200 for code in tally.health) and len(tally.health) >= 3
    assert {kind for kind, _ in tally.statuses} == set(KINDS), tally.statuses
    assert tally.replays > 0
    _assert_written_once(url, tally, before)
    print(f"{sum(tally.statuses.values())} writes answered, {tally.replays} replays: {dict(tally.statuses)}")


def _wait_for_jobs(url: str, ids: set[str]) -> None:
    def finished() -> bool:
        with unit_of_work(url, write=False) as s:
            return not s.scalar(select(func.count()).select_from(Job)
                                .where(Job.id.in_(ids), Job.status.in_((JobStatus.QUEUED, JobStatus.RUNNING))))

    wait_until(finished, f"{len(ids)} jobs to finish", timeout=300)


def _assert_written_once(url: str, tally: Tally, before: dict[str, int]) -> None:
    with unit_of_work(url, write=False) as s:
        payments = list(s.scalars(select(Payment).where(Payment.external_ref.like("c%"))))
        assert {p.id for p in payments} == tally.ids["payment"]
        assert (s.scalar(select(func.count()).select_from(Payment)) or 0) == before["payment"] + len(payments)
        allocated = dict(s.execute(select(PaymentAllocation.payment_id, func.count())
                                   .group_by(PaymentAllocation.payment_id)).all())
        for p in payments:  # every payment allocated in full, once
            total = sum(s.scalars(select(PaymentAllocation.amount).where(PaymentAllocation.payment_id == p.id)),
                        Decimal("0"))
            assert total == p.amount and allocated.get(p.id), (p.id, total)
        assert set(s.scalars(select(Communication.id).where(Communication.document_id.is_(None)))) \
            == tally.ids["contact"]
        notices = set(s.scalars(select(GeneratedDocument.id).where(GeneratedDocument.job_id.is_(None))))
        assert notices == tally.ids["document"]
        once = Counter(s.scalars(select(GeneratedDocument.case_id).where(GeneratedDocument.once.is_(True))))
        assert once and set(once.values()) == {1}  # one first notice per case, however many raced
        assert not s.scalar(select(func.count()).select_from(GeneratedDocument).where(
            GeneratedDocument.once.is_(None), GeneratedDocument.override_reason.is_(None)))
        assert tally.statuses[("document", 422)] > 0  # refused by name, not written twice
        assert set(s.scalars(select(Communication.document_id).where(Communication.document_id.is_not(None)))) \
            == notices  # each notice once in the contact history
        assert set(s.scalars(select(EvidenceItem.id))) == tally.ids["upload"]
        jobs = dict(s.execute(select(Job.id, Job.status)).all())
        assert set(jobs) == tally.ids["job"] and set(jobs.values()) == {"done"}
        actions = Counter(s.scalars(select(AuditEvent.action)))
        assert actions["payment.recorded"] == len(payments)
        assert actions["communication.recorded"] == len(tally.ids["contact"])
        assert actions["document.generated"] == len(tally.ids["document"])
        assert actions["evidence.received"] == len(tally.ids["upload"])
        count, problem = audit.verify(s)
        assert problem is None and count == sum(actions.values())
