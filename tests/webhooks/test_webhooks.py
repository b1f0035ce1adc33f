"""Webhooks: endpoints registered through the API, events POSTed to a real receiver on
127.0.0.1 signed per Standard Webhooks (verified with the `standardwebhooks` library), retried
with backoff (the retry step driven with an injected clock), every attempt listed, replayed."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import select
from standardwebhooks.webhooks import Webhook

from service.core import events
from service.core.clock import utcnow
from service.core.db import unit_of_work
from service.core.settings import Settings
from service.jobs.models import Job
from service.jobs.runner import run_job
from service.webhooks import delivery
from service.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.conftest import auth
from tests.live import own_database
from tests.webhooks.receiver import receiver

EVENT = {"case_ref": "CN-2025-000001", "instalment_no": 2}


def _register(client, key, url, types=("plan.breached",)):
    r = client.post("/v1/webhooks/endpoints", json={"url": url, "event_types": list(types)}, headers=auth(key))
    assert r.status_code == 201, r.text
    return r.json()


def _verified(secret, got):
    return Webhook(secret).verify(got.body, got.headers)


def test_a_breach_is_posted_signed_retried_with_backoff_listed_and_replayed(client, keys, db, settings):
    with receiver(answers=[500]) as hook:
        endpoint = _register(client, keys["collector"], hook.url)
        assert endpoint["secret"].startswith("whsec_") and endpoint["event_types"] == ["plan.breached"]
        events.publish(db, "plan.breached", EVENT)
        t0 = utcnow()
        assert delivery.run_once(db, settings, now=t0) == ["pending"]  # the receiver answered 500
        assert delivery.run_once(db, settings, now=t0 + timedelta(seconds=4)) == []  # backing off (5 s)
        assert delivery.run_once(db, settings, now=t0 + timedelta(seconds=6)) == ["succeeded"]
        got = hook.wait_for(2)
        assert [_verified(endpoint["secret"], g) for g in got] == [json.loads(g.body) for g in got]
        assert json.loads(got[0].body)["type"] == "plan.breached" and json.loads(got[0].body)["data"] == EVENT
        assert got[0].headers["webhook-id"] == got[1].headers["webhook-id"]  # one message, sent twice
        with pytest.raises(Exception, match="signature"):  # another endpoint's secret does not verify it
            Webhook(delivery_secret := "whsec_" + "QUJD" * 8).verify(got[0].body, got[0].headers)
        assert delivery_secret

        page = client.get("/v1/webhooks/deliveries", headers=auth(keys["collector"])).json()
        [listed] = page["items"]
        assert (listed["status"], listed["attempts"], listed["event_type"]) == ("succeeded", 2, "plan.breached")
        attempts = client.get(f"/v1/webhooks/deliveries/{listed['id']}/attempts",
                              headers=auth(keys["collector"])).json()["items"]
        assert [a["status_code"] for a in attempts] == [500, 200]

        replayed = client.post(f"/v1/webhooks/deliveries/{listed['id']}/replay", headers=auth(keys["collector"]))
        assert replayed.status_code == 202 and replayed.json()["status"] == "pending"
        assert client.post(f"/v1/webhooks/deliveries/{listed['id']}/replay",
                           headers=auth(keys["collector"])).status_code == 409  # already on its way
        assert delivery.run_once(db, settings, now=utcnow()) == ["succeeded"]
        third = hook.wait_for(3)[2]
        assert third.headers["webhook-id"] == got[0].headers["webhook-id"] and _verified(endpoint["secret"], third)


def test_a_delivery_fails_after_its_last_retry(client, keys, db, settings):
    few = settings.model_copy(update={"webhook_backoff_seconds": [1]})
    with receiver(answers=[503, 503]) as hook:
        _register(client, keys["collector"], hook.url)
        events.publish(db, "plan.breached", EVENT)
        t0 = utcnow()
        assert delivery.run_once(db, few, now=t0) == ["pending"]
        assert delivery.run_once(db, few, now=t0 + timedelta(seconds=2)) == ["failed"]
        assert delivery.run_once(db, few, now=t0 + timedelta(days=1)) == []
        assert len(hook.wait_for(2)) == 2


def test_an_unreachable_endpoint_is_an_attempt_with_its_error(client, keys, db, settings):
    with receiver() as hook:
        url = hook.url
    _register(client, keys["collector"], url)  # the receiver is gone: connection refused
    events.publish(db, "plan.breached", EVENT)
    assert delivery.run_once(db, settings, now=utcnow()) == ["pending"]
    d = db.scalars(select(WebhookDelivery)).one()
    attempts = client.get(f"/v1/webhooks/deliveries/{d.id}/attempts", headers=auth(keys["collector"])).json()
    assert attempts["items"][0]["status_code"] is None and "Connect" in attempts["items"][0]["error"]


def test_endpoints_are_the_registering_key_s_own_paginated_and_law_firms_have_none(client, keys):
    for n in range(3):
        _register(client, keys["collector"], f"https://example.com/hook/{n}")
    first = client.get("/v1/webhooks/endpoints?limit=2", headers=auth(keys["collector"])).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = client.get(f"/v1/webhooks/endpoints?limit=2&cursor={first['next_cursor']}",
                      headers=auth(keys["collector"])).json()
    assert [e["url"][-1] for e in first["items"] + rest["items"]] == ["0", "1", "2"] and rest["next_cursor"] is None
    assert "secret" not in first["items"][0]
    mine = first["items"][0]["id"]
    assert client.get(f"/v1/webhooks/endpoints/{mine}", headers=auth(keys["legal_staff"])).status_code == 404
    assert client.get(f"/v1/webhooks/endpoints/{mine}", headers=auth(keys["admin"])).status_code == 200
    assert client.get("/v1/webhooks/endpoints", headers=auth(keys["law_firm"])).status_code == 403
    bad = client.post("/v1/webhooks/endpoints", json={"url": "ftp://x", "event_types": ["job.completed"]},
                      headers=auth(keys["collector"]))
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "url"
    assert client.get("/v1/webhooks/endpoints?cursor=bm9wZQ", headers=auth(keys["collector"])).json()[
        "errors"][0]["field"] == "cursor"
    gone = client.delete(f"/v1/webhooks/endpoints/{mine}", headers=auth(keys["collector"]))
    assert gone.status_code == 200 and gone.json()["disabled_at"]


def test_a_finished_job_is_posted_after_its_commit_without_anyone_driving_it(tmp_path):
    """End to end on a committed database: the job runner commits, a thread of the process
    sends the delivery, the receiver verifies it."""
    url = own_database(tmp_path, "webhooks")
    settings = Settings(database_url=url, storage_dir=tmp_path / "store", executor="local")
    with receiver() as hook:
        with unit_of_work(url) as s:
            endpoint = WebhookEndpoint(url=hook.url, secret="whsec_" + "c2VjcmV0LXNlY3JldC1zZWNyZXQ=",
                                       event_types=["job.completed"], owner="apikey:dsk_test", created_at=utcnow())
            s.add(endpoint)
            s.add(Job(id="job_webhook0000000001", kind="audit_verify", status="queued", params={},
                      actor="apikey:dsk_test", created_at=utcnow()))
        assert run_job(settings, "job_webhook0000000001") == "done"
        [got] = hook.wait_for(1)
        message = Webhook("whsec_" + "c2VjcmV0LXNlY3JldC1zZWNyZXQ=").verify(got.body, got.headers)
        assert message["type"] == "job.completed"
        assert message["data"]["id"] == "job_webhook0000000001" and message["data"]["status"] == "done"
    with unit_of_work(url, write=False) as s:
        assert s.scalars(select(WebhookDelivery.status)).all() in (["succeeded"], ["sending"])


def test_a_plan_breach_recorded_through_the_api_is_announced(client, keys, db, settings):
    from tests.documents.conftest import cn_case

    case = cn_case(db, stage="NEGOTIATING")
    with receiver() as hook:
        endpoint = _register(client, keys["collector"], hook.url)
        plan = client.post(f"/v1/cases/{case.ref}/plans", headers=auth(keys["legal_staff"]), json={
            "plan_type": "instalments", "as_of": "2025-06-20", "signed_date": "2025-06-20",
            "waived_amount": "11601.10", "service_address": "北京市朝阳区建国路1号", "signed_place": "北京",
            "instalments": [{"no": 1, "due_date": "2025-07-20", "amount": "100.00"},
                            {"no": 2, "due_date": "2025-08-20", "amount": "100.00"}]})
        assert plan.status_code == 201, plan.text
        for stage in ("PLAN_ACTIVE", "PLAN_BREACHED"):
            moved = client.post(f"/v1/cases/{case.ref}/transitions", headers=auth(keys["legal_staff"]),
                                json={"to": stage, "reason": "test"})
            assert moved.status_code == 200, moved.text
        assert delivery.run_once(db, settings, now=utcnow()) == ["succeeded"]
        [got] = hook.wait_for(1)
        message = _verified(endpoint["secret"], got)
        assert message["type"] == "plan.breached" and message["data"]["case_ref"] == case.ref
        assert message["data"]["instalment_no"] == 1 and message["data"]["missed_amount"] == "100.00"
