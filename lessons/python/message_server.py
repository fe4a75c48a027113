#!/usr/bin/env python3
"""The lesson 02 message server in Python, standard library only.

It speaks the same protocol as the TypeScript server in toolkit/http: POST /message with a JSON
object that has a string "id" is answered {"status": "processed", "id": ...}; bad requests get the
same statuses and the same {"error", "message"} bodies (400, 413, 405 with Allow, 404).

Run it:   python3 lessons/python/message_server.py --port 0
The first line it prints is "listening on http://127.0.0.1:PORT" (port 0 lets the system choose).
"""
import argparse
import itertools
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROUTE = "/message"
CORRELATION_HEADER = "X-Correlation-Id"
# A refused body is read and thrown away up to this size before the connection is closed, so the
# client gets its 413 instead of a reset connection.
DRAIN_LIMIT = 16 * 1024 * 1024


class Rejection(Exception):
    """A request the server refuses: the status, the error code and a sentence."""

    STATUS = {
        "malformed-json": 400,
        "invalid-message": 400,
        "body-too-large": 413,
        "method-not-allowed": 405,
        "not-found": 404,
        "handler-failed": 500,
    }

    def __init__(self, code, message, headers=None):
        super().__init__(message)
        self.code = code
        self.status = self.STATUS[code]
        self.message = message
        self.headers = headers or {}


def parse_message(body: bytes) -> dict:
    """Turns a request body into a message, or raises Rejection (same rules as the TypeScript server)."""
    try:
        value = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise Rejection("malformed-json", "the body is not valid JSON")
    if not isinstance(value, dict):
        raise Rejection("invalid-message", "the body must be a JSON object")
    if not isinstance(value.get("id"), str) or value["id"] == "":
        raise Rejection("invalid-message", 'the message needs an "id" that is a non-empty string')
    return value


class MessageHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like Node's server
    max_body_bytes = 1024 * 1024
    work_seconds = 0.0
    _made_up_ids = itertools.count(1)
    _lock = threading.Lock()

    def do_POST(self):
        self._handle()

    # Every other method reaches the same code, which answers 405 on /message and 404 elsewhere.
    do_GET = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_POST

    def _handle(self):
        correlation_id = self.headers.get(CORRELATION_HEADER)
        if correlation_id is None:
            with self._lock:
                correlation_id = f"server-{next(self._made_up_ids)}"
        path = self.path.split("?", 1)[0]
        try:
            if path != ROUTE:
                self._discard_body()
                raise Rejection("not-found", f"there is nothing at {path}; messages go to POST {ROUTE}")
            if self.command != "POST":
                self._discard_body()
                raise Rejection("method-not-allowed", f"{ROUTE} takes POST, not {self.command}", {"Allow": "POST"})
            message = parse_message(self._read_body())
            print(f"received {message['id']} correlation={correlation_id}", flush=True)
            if self.work_seconds:
                time.sleep(self.work_seconds)  # pretend to work: the client waits meanwhile
            self._send_json(200, {"status": "processed", "id": message["id"]}, {CORRELATION_HEADER: correlation_id})
        except Rejection as rejection:
            headers = {CORRELATION_HEADER: correlation_id, **rejection.headers}
            if rejection.code == "body-too-large":
                headers["Connection"] = "close"
                self.close_connection = True
            self._send_json(rejection.status, {"error": rejection.code, "message": rejection.message}, headers)

    def _read_body(self) -> bytes:
        limit = self.max_body_bytes
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked(limit)
        length = int(self.headers.get("Content-Length") or 0)
        if length > limit:
            self._drain(length)
            raise Rejection("body-too-large", f"the body is larger than {limit} bytes")
        return self.rfile.read(length)

    def _read_chunked(self, limit: int) -> bytes:
        body = bytearray()
        while True:
            size = int(self.rfile.readline(1024).split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass  # skip trailers
                return bytes(body)
            if len(body) + size > limit:
                self._drain(size)
                raise Rejection("body-too-large", f"the body is larger than {limit} bytes")
            body += self.rfile.read(size)
            self.rfile.readline(1024)  # the CRLF after each chunk

    def _discard_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self._drain(length)

    def _drain(self, length: int):
        remaining = min(length, DRAIN_LIMIT)
        while remaining > 0:
            chunk = self.rfile.read(min(remaining, 64 * 1024))
            if not chunk:
                break
            remaining -= len(chunk)

    def _send_json(self, status: int, body: dict, headers: dict):
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        pass  # the "received" lines above say what matters


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 lets the system pick a free port")
    parser.add_argument("--max-body-bytes", type=int, default=1024 * 1024)
    parser.add_argument("--work-ms", type=float, default=0, help="how long handling a message takes")
    args = parser.parse_args()

    MessageHandler.max_body_bytes = args.max_body_bytes
    MessageHandler.work_seconds = args.work_ms / 1000
    server = ThreadingHTTPServer((args.host, args.port), MessageHandler)
    server.daemon_threads = True
    host, port = server.server_address[:2]
    print(f"listening on http://{host}:{port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
