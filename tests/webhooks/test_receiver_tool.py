"""tools/webhook_receiver.py, which the README's flow uses: a delivery signed with the endpoint's
secret is accepted and printed, a forged one is refused (and Dossier would retry it)."""

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import httpx
from standardwebhooks.webhooks import Webhook

from tests.live import free_port, wait_until

ROOT = Path(__file__).resolve().parents[2]
SECRET = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def _post(port: int, secret: str, body: bytes) -> int:
    at = datetime.now(UTC)
    headers = {"webhook-id": "msg_test1", "webhook-timestamp": str(int(at.timestamp())),
               "webhook-signature": Webhook(secret).sign("msg_test1", at, body.decode()),
               "content-type": "application/json"}
    return httpx.post(f"http://127.0.0.1:{port}/hooks", content=body, headers=headers, timeout=10).status_code


def test_the_receiver_prints_signed_deliveries_and_refuses_forged_ones(tmp_path):
    port = free_port()
    out = (tmp_path / "hooks.jsonl").open("wb")
    receiver = subprocess.Popen([sys.executable, str(ROOT / "tools" / "webhook_receiver.py"), "--port", str(port),
                                 "--secret", SECRET], stdout=out, stderr=subprocess.DEVNULL)
    try:
        def up() -> bool:
            try:
                httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
                return True
            except httpx.TransportError:
                return False

        wait_until(up, "the receiver to listen", timeout=60)
        body = json.dumps({"type": "job.completed", "timestamp": "2026-12-03T08:00:00Z",
                           "data": {"id": "job_1", "status": "done"}}).encode()
        assert _post(port, SECRET, body) == 204
        assert _post(port, "whsec_" + "b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldA==", body) == 401
    finally:
        receiver.terminate()
        receiver.wait(timeout=10)
        out.close()
    lines = [json.loads(line) for line in (tmp_path / "hooks.jsonl").read_text().splitlines()]
    assert lines == [{"webhook-id": "msg_test1", "type": "job.completed", "timestamp": "2026-12-03T08:00:00Z",
                      "data": {"id": "job_1", "status": "done"}}]
