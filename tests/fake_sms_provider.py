"""A local HTTP server standing in for an SMS provider's API (Twilio's
Messages endpoint, or a generic gateway): it records every request and
answers from a plan (status codes), then 201 with a message id."""
from __future__ import annotations

import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


class FakeProvider:
    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.plan: list[int] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                length = int(self.headers.get("content-length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                with provider._lock:
                    provider.requests.append({"path": self.path, "form": form, "headers": dict(self.headers)})
                    status = provider.plan.pop(0) if provider.plan else 201
                    sid = f"SM{next(provider._ids):032d}"
                body = {"sid": sid, "id": sid, "status": "queued"} if status < 300 else {
                    "code": 20500, "message": "try again", "status": status}
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
