"""A local fake of the Telegram Bot API ``sendMessage``, served over real HTTP on 127.0.0.1.

    with FakeTelegram(token="123:ABC", chats={"-1001", "42"}) as bot:
        # point [notify] telegram_api_base_url at bot.base_url
        bot.faults.extend([Fault.rate_limited(1), Fault.server_error(), Fault.drop_after_accept()])
        ...
        bot.delivered  # [(chat_id, text), ...] — every message the "API" accepted

Imitates: ``POST /bot<token>/sendMessage`` with a JSON or form body; ``{"ok": true, "result":
{"message_id": n, ...}}``; 401 Unauthorized for another token (revoked); 400 "Bad Request: chat not
found" for an unknown chat id; fault injection, one fault consumed per request: 429 with
``parameters.retry_after``, 5xx (nothing delivered), and a connection dropped *after* the message
was accepted (delivered, but the client gets no answer).
"""

from __future__ import annotations

import json
import random
import threading
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


@dataclass(frozen=True)
class Fault:
    kind: str  # "429", "5xx", "drop_after_accept", "drop_before"
    status: int = 0
    retry_after: int = 0

    @classmethod
    def rate_limited(cls, retry_after: int = 1) -> Fault:
        return cls("429", 429, retry_after)

    @classmethod
    def server_error(cls, status: int = 502) -> Fault:
        return cls("5xx", status)

    @classmethod
    def drop_after_accept(cls) -> Fault:
        return cls("drop_after_accept")

    @classmethod
    def drop_before(cls) -> Fault:
        return cls("drop_before")


class FakeTelegram:
    def __init__(self, token: str = "123:ABC", chats: set[str] | None = None) -> None:
        self.token = token
        self.chats = set(chats) if chats is not None else None  # None = every chat id exists
        self.faults: deque[Fault] = deque()
        # random faults besides the queue: each request gets one of ``fault_kinds`` with ``fault_rate``
        self.fault_rate = 0.0
        self.fault_kinds: list[Fault] = [
            Fault.rate_limited(1),
            Fault.server_error(),
            Fault.drop_after_accept(),
        ]
        self.fault_rng = random.Random(14)
        self.delivered: list[tuple[str, str]] = []
        self.requests = 0
        self.faults_injected = 0
        self._lock = threading.Lock()
        self._next_id = 1
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server naming
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                fake._handle(self, raw)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeTelegram:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _reply(self, handler: BaseHTTPRequestHandler, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.write(data)
        handler.close_connection = True

    def _drop(self, handler: BaseHTTPRequestHandler) -> None:
        handler.close_connection = True
        handler.connection.shutdown(2)  # close without any answer

    def _handle(self, handler: BaseHTTPRequestHandler, raw: bytes) -> None:
        path = handler.path.split("?", 1)[0]
        if not path.endswith("/sendMessage") or not path.startswith("/bot"):
            self._reply(handler, 404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        token = path[len("/bot") : -len("/sendMessage")]
        if handler.headers.get("Content-Type", "").startswith("application/json"):
            payload = json.loads(raw or b"{}")
        else:
            payload = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        chat_id, text = str(payload.get("chat_id", "")), str(payload.get("text", ""))
        with self._lock:
            self.requests += 1
            fault = self.faults.popleft() if self.faults else None
            if fault is None and self.fault_rate and self.fault_rng.random() < self.fault_rate:
                fault = self.fault_rng.choice(self.fault_kinds)
            if fault is not None:
                self.faults_injected += 1
            if token != self.token:
                fault = None
                answer = (401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            elif self.chats is not None and chat_id not in self.chats:
                fault = None
                answer = (400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"})
            elif fault is not None and fault.kind == "429":
                answer = (
                    429,
                    {
                        "ok": False,
                        "error_code": 429,
                        "description": f"Too Many Requests: retry after {fault.retry_after}",
                        "parameters": {"retry_after": fault.retry_after},
                    },
                )
            elif fault is not None and fault.kind == "5xx":
                answer = (
                    fault.status,
                    {"ok": False, "error_code": fault.status, "description": "Bad Gateway"},
                )
            elif fault is not None and fault.kind == "drop_before":
                answer = None
            else:
                self.delivered.append((chat_id, text))
                message_id = self._next_id
                self._next_id += 1
                answer = (
                    200,
                    {"ok": True, "result": {"message_id": message_id, "chat": {"id": chat_id}, "text": text}},
                )
        if fault is not None and fault.kind in ("drop_after_accept", "drop_before"):
            self._drop(handler)
            return
        assert answer is not None
        self._reply(handler, *answer)
