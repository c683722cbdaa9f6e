"""A local HTTP server on 127.0.0.1 for the watch tests: routes are functions, requests logged."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Request:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    body: bytes = b""


@dataclass
class Reply:
    """What a route answers: status, headers, body (bytes or chunks), delays."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | Iterable[bytes] = b""
    delay: float = 0.0  # before the status line
    chunk_delay: float = 0.0  # between body chunks
    length: bool = True  # send Content-Length (for bytes bodies)


Route = Callable[[Request], Reply]


class Server:
    """The running server: `url(path)`, `routes[path] = fn`, `log` of requests."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[Request] = []
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def _serve(self) -> None:
                size = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(size) if size else b""
                request = Request(
                    self.command,
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                with server.lock:
                    server.log.append(request)
                route = server.routes.get(self.path.split("?", 1)[0])
                reply = route(request) if route else Reply(404, body=b"not found")
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    if isinstance(reply.body, bytes):
                        if reply.length and "Content-Length" not in reply.headers:
                            self.send_header("Content-Length", str(len(reply.body)))
                        if not reply.length:
                            self.send_header("Connection", "close")
                            self.close_connection = True
                        self.end_headers()
                        self.wfile.write(reply.body)
                    else:
                        self.send_header("Connection", "close")
                        self.close_connection = True
                        self.end_headers()
                        for chunk in reply.body:
                            self.wfile.write(chunk)
                            self.wfile.flush()
                            if reply.chunk_delay:
                                time.sleep(reply.chunk_delay)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client stopped reading: expected

            do_GET = do_POST = _serve

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        """The URL of a path on this server."""
        return f"http://{host}:{self.port}{path}"

    def requests(self, path: str) -> list[Request]:
        """The requests made for one path."""
        with self.lock:
            return [r for r in self.log if r.path.split("?", 1)[0] == path]

    def static(self, path: str, body: bytes, content_type: str, **headers: str) -> None:
        """Serve fixed bytes, honouring ETag/Last-Modified validators with 304."""
        etag = headers.pop("etag", None)
        modified = headers.pop("last_modified", None)

        def route(request: Request) -> Reply:
            fresh = (etag and request.headers.get("if-none-match") == etag) or (
                modified and request.headers.get("if-modified-since") == modified
            )
            extra = {**({"ETag": etag} if etag else {})}
            if modified:
                extra["Last-Modified"] = modified
            if fresh:
                return Reply(304, extra)
            return Reply(200, {"Content-Type": content_type, **extra, **headers}, body)

        self.routes[path] = route


@contextmanager
def serving() -> Iterator[Server]:
    """A server on 127.0.0.1 with a free port, shut down afterwards."""
    server = Server()
    server.thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


def free_port() -> int:
    """A loopback port free now (for a server a test starts itself)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
