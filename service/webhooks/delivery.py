"""Sending deliveries: sign per Standard Webhooks, POST, record the attempt, retry with backoff.

Never inside a request or a job's transaction: a transaction that created deliveries sends them
after it commits, off the caller's thread (the local executor: a thread of this process; Celery:
a task for a worker). A pump in the API process (``Pump``) sends what is due again — retries
after their backoff, and anything a dead sender left — so a delivery is never lost with the
process that was to send it.

Each step is small and takes the clock and the HTTP call as arguments, so tests drive a retry
directly: ``claim`` due deliveries (a lease: two senders never post the same one at once),
``post`` outside any transaction, ``settle`` the attempt (succeeded, or pending again after the
backoff, or failed after the last attempt).
"""

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session
from standardwebhooks.webhooks import Webhook

from service.core.clock import utcnow
from service.core.db import ensure_writing, unit_of_work
from service.core.settings import Settings, get_settings
from service.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

log = logging.getLogger("dossier.webhooks")
_PENDING_KEY = "dossier_webhooks_to_send"
USER_AGENT = "Dossier-Webhooks/1"


@dataclass(frozen=True)
class Outbound:
    delivery_id: int
    url: str
    secret: str
    message_id: str
    body: str


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str = ""
    response: str = ""
    duration_ms: int = 0

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


Post = Callable[[Outbound], Outcome]


def signed_headers(out: Outbound, at: datetime | None = None) -> dict[str, str]:
    """webhook-id, webhook-timestamp and webhook-signature (HMAC-SHA256 of id.timestamp.body)."""
    moment = at or datetime.now(UTC)  # the receiver checks it against its own clock: the real time
    return {"webhook-id": out.message_id, "webhook-timestamp": str(int(moment.timestamp())),
            "webhook-signature": Webhook(out.secret).sign(out.message_id, moment, out.body),
            "content-type": "application/json", "user-agent": USER_AGENT}


def http_post(timeout: float) -> Post:
    def post(out: Outbound) -> Outcome:
        started = time.monotonic()
        try:
            with httpx.Client(timeout=timeout, follow_redirects=False) as client:
                r = client.post(out.url, content=out.body.encode(), headers=signed_headers(out))
        except httpx.HTTPError as exc:
            return Outcome(None, error=f"{type(exc).__name__}: {exc}"[:300],
                           duration_ms=int((time.monotonic() - started) * 1000))
        return Outcome(r.status_code, response=r.text[:500], duration_ms=int((time.monotonic() - started) * 1000))

    return post


def claim(session: Session, settings: Settings, now: datetime, limit: int = 50) -> list[Outbound]:
    """Due deliveries (pending and due, or left `sending` by a sender whose lease ran out), leased
    to this sender until the timeout has surely passed."""
    ensure_writing(session)
    lease = now + timedelta(seconds=settings.webhook_timeout_seconds * 2 + 5)
    due = session.scalars(select(WebhookDelivery.id).where(
        WebhookDelivery.status.in_(("pending", "sending")), WebhookDelivery.next_attempt_at <= now)
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(limit)).all()
    claimed: list[Outbound] = []
    for delivery_id in due:
        taken = session.execute(update(WebhookDelivery).where(
            WebhookDelivery.id == delivery_id, WebhookDelivery.status.in_(("pending", "sending")),
            WebhookDelivery.next_attempt_at <= now).values(status="sending", next_attempt_at=lease))
        if not getattr(taken, "rowcount", 0):
            continue  # another sender took it
        row = session.execute(select(WebhookDelivery, WebhookEndpoint).join(WebhookEndpoint)
                              .where(WebhookDelivery.id == delivery_id)).one()
        d, e = row
        claimed.append(Outbound(d.id, e.url, e.secret, d.message_id, d.body))
    session.flush()
    return claimed


def settle(session: Session, settings: Settings, out: Outbound, outcome: Outcome, now: datetime) -> str:
    """Record the attempt; the delivery's new status."""
    ensure_writing(session)
    d = session.get(WebhookDelivery, out.delivery_id, populate_existing=True)
    assert d is not None
    session.add(WebhookAttempt(delivery_id=d.id, attempted_at=now, status_code=outcome.status_code,
                               error=outcome.error, response=outcome.response, duration_ms=outcome.duration_ms))
    d.attempts += 1
    backoff = settings.webhook_backoff_seconds
    if outcome.ok:
        d.status, d.next_attempt_at, d.finished_at = "succeeded", None, now
    elif d.attempts > len(backoff):
        d.status, d.next_attempt_at, d.finished_at = "failed", None, now
    else:
        d.status, d.next_attempt_at = "pending", now + timedelta(seconds=backoff[d.attempts - 1])
    session.flush()
    return d.status


def run_once(session: Session, settings: Settings, *, now: datetime | None = None, post: Post | None = None
             ) -> list[str]:
    """One round in one session (tests; the steps commit separately in ``deliver_due``)."""
    moment = now or utcnow()
    send = post or http_post(settings.webhook_timeout_seconds)
    return [settle(session, settings, out, send(out), moment) for out in claim(session, settings, moment)]


def deliver_due(settings: Settings, *, post: Post | None = None) -> int:
    """Send everything due now: claim in one short transaction, post with no transaction open,
    record each attempt in its own. The number of attempts made."""
    send = post or http_post(settings.webhook_timeout_seconds)
    with unit_of_work(settings.database_url) as s:
        claimed = claim(s, settings, utcnow())
    for out in claimed:
        outcome = send(out)
        with unit_of_work(settings.database_url) as s:
            settle(s, settings, out, outcome, utcnow())
    return len(claimed)


def _deliver_quietly(settings: Settings) -> None:
    try:
        while deliver_due(settings):
            pass
    except Exception:  # the pump sends it later
        log.exception("webhook delivery round failed")


def send_now(settings: Settings) -> None:
    """Start sending what is due, without waiting for it."""
    if settings.executor == "celery":
        from service.jobs.celery_app import celery_for

        celery_for(settings).send_task("dossier.deliver_webhooks")
    else:
        threading.Thread(target=_deliver_quietly, args=(settings,), name="webhook-send", daemon=True).start()


def send_after_commit(session: Session, settings: Settings | None = None) -> None:
    """Once the transaction that created deliveries commits, send them (never before)."""
    if session.info.get(_PENDING_KEY):
        return
    session.info[_PENDING_KEY] = True
    # The database this transaction commits to, whatever the process's own settings say.
    url = session.get_bind().engine.url.render_as_string(hide_password=False)
    chosen = (settings or get_settings()).model_copy(update={"database_url": url})

    def after_commit(s: Session) -> None:
        s.info.pop(_PENDING_KEY, None)
        try:
            send_now(chosen)
        except Exception:  # the pump sends it later
            log.exception("could not start webhook delivery")

    event.listen(session, "after_commit", after_commit, once=True)
    event.listen(session, "after_rollback", lambda s: s.info.pop(_PENDING_KEY, None), once=True)


class Pump:
    """A thread of the API process that sends due deliveries every few seconds: retries after
    their backoff, and whatever a dead sender left behind."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="webhook-pump", daemon=True)

    def start(self) -> "Pump":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self.settings.webhook_poll_seconds):
            _deliver_quietly(self.settings)
