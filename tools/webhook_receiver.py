"""A webhook endpoint to try the API with (README, "A collection system's flow"): it checks each
delivery's Standard Webhooks signature with the endpoint's secret, answers 204 to a good one
(401 to a forged or stale one, which Dossier then retries) and prints the verified event as a
line of JSON.

    .venv/bin/python tools/webhook_receiver.py --port 9000 --secret whsec_...
"""

import argparse
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


def handler_for(webhook: Webhook) -> type[BaseHTTPRequestHandler]:
    class Receive(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            try:
                event = webhook.verify(body, dict(self.headers.items()))
            except WebhookVerificationError as exc:
                self.send_response(401)
                self.end_headers()
                print(json.dumps({"refused": str(exc)}), file=sys.stderr, flush=True)
                return
            self.send_response(204)
            self.end_headers()
            print(json.dumps({"webhook-id": self.headers["webhook-id"], **event}, ensure_ascii=False), flush=True)

        def log_message(self, format: str, *args: object) -> None:
            pass  # stdout carries the events alone

    return Receive


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("--secret", required=True, help="the endpoint's whsec_ secret")
    args = parser.parse_args()
    ThreadingHTTPServer(("127.0.0.1", args.port), handler_for(Webhook(args.secret))).serve_forever()


if __name__ == "__main__":
    main()
