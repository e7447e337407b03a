"""A real HTTP server on 127.0.0.1 for scraper tests: responses the test controls, requests it can inspect."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Page:
    """What the server answers for one path.

    ``etag`` / ``last_modified`` are sent with a 200 and honoured in conditional requests (304 on a match).
    ``delay``: seconds to wait before answering (for timeouts). ``headers``: extra response headers.
    ``drip``: seconds between pieces of ``chunk`` bytes of the body (a slow or hostile server).
    ``stall_after`` / ``stall``: send that many body bytes, then wait ``stall`` seconds before the rest (a body
    that stops arriving: read timeouts after the headers).
    """

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    drip: float = 0.0
    chunk: int = 64
    stall_after: int | None = None
    stall: float = 0.0


@dataclass
class Hit:
    path: str
    headers: dict[str, str]  # lower-case names
    status: int


class PolicyServer:
    """Serve ``pages[path]`` (path with query string); a callable value gets the hit count of that path and
    returns the Page. Unknown paths answer 404. ``hits`` lists every request in order."""

    def __init__(self) -> None:
        self.pages: dict[str, Page | Callable[[int], Page]] = {}
        self.hits: list[Hit] = []
        self._stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                spec = server.pages.get(self.path)
                count = sum(1 for h in server.hits if h.path == self.path)
                page = spec(count) if callable(spec) else spec or Page(b"not found", 404, "text/plain")
                headers = {k.lower(): v for k, v in self.headers.items()}
                status = page.status
                if status == 200 and ((page.etag and headers.get("if-none-match") == page.etag) or (
                        page.last_modified and headers.get("if-modified-since") == page.last_modified)):
                    status = 304
                server.hits.append(Hit(self.path, headers, status))
                if page.delay and server._stop.wait(page.delay):
                    return
                body = b"" if status == 304 else page.body
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", page.content_type)
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in [("ETag", page.etag), ("Last-Modified", page.last_modified),
                                        *page.headers.items()]:
                        if value:
                            self.send_header(name, value)
                    self.end_headers()
                    self._body(page, body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                    pass

            def _body(self, page: Page, body: bytes) -> None:
                if page.stall_after is not None:
                    self.wfile.write(body[:page.stall_after])
                    self.wfile.flush()
                    if server._stop.wait(page.stall):
                        return
                    body = body[page.stall_after:]
                if not page.drip:
                    self.wfile.write(body)
                    return
                for start in range(0, len(body), page.chunk):
                    self.wfile.write(body[start:start + page.chunk])
                    self.wfile.flush()
                    if server._stop.wait(page.drip):
                        return

            def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> PolicyServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def requests_to(self, path: str) -> list[Hit]:
        return [h for h in self.hits if h.path == path]
