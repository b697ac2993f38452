"""A local HTTP server that answers as the SMS and WhatsApp providers' documentation says, and
keeps every request so a test can check what was sent: path, auth, form or JSON fields."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class ProviderServer:
    """Answers each request with the next of `answers` (status, JSON, seconds to wait first);
    the last answer repeats."""

    answers: list[tuple[int, dict, float]] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)

    def start(self) -> str:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 http.server's name
                length = int(self.headers.get("Content-Length", 0))
                server.received.append(Received("POST", self.path, dict(self.headers),
                                                self.rfile.read(length)))
                index = min(len(server.received), len(server.answers)) - 1
                status, payload, delay = server.answers[index]
                time.sleep(delay)
                body = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the timeout test)

            def log_message(self, *args):
                pass

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._http.daemon_threads = True
        threading.Thread(target=self._http.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self._http.server_address[1]}"

    def stop(self) -> None:
        self._http.shutdown()
        self._http.server_close()
