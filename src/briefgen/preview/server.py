"""The preview's web server: local, read-only, and strict about what it answers.

- It listens on 127.0.0.1 only, never on a network.
- The Host header must name this server (`127.0.0.1:PORT` or `localhost:PORT`), so that a web
  page elsewhere cannot reach it through DNS rebinding.
- GET and HEAD only; every other method is refused.
- It answers with its own static files (a fixed list), the current snapshot, the snapshot's
  page images, and the snapshot's PDF and DOCX files, which must lie in out/ of this spec.
  No part of a requested path is ever joined to a folder.
- A Content-Security-Policy lets the page load nothing from other sites: it works offline and
  tells no one what it shows.
"""

from __future__ import annotations

import re
import socket
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from socketserver import TCPServer, ThreadingMixIn
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefgen.preview.session import PreviewSession

HOST = "127.0.0.1"
STATIC_FOLDER = Path(__file__).resolve().parent / "static"
STATIC_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
}
FILE_TYPES = {
    ".pdf": ("application/pdf", "inline"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              "attachment"),
}
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
PAGE_IMAGE = re.compile(r"/pages/([0-9a-f]{24})/(thumbnail|full)\.jpg")
FILE_NAME = re.compile(r"/files/([A-Za-z0-9][A-Za-z0-9._-]{0,200})")
KEEPALIVE_SECONDS = 15.0  # a comment on an idle event stream shows a closed tab soon enough


def static_files() -> dict[str, Path]:
    """The page's own files, by name: the only static files ever served."""
    return {path.name: path for path in STATIC_FOLDER.iterdir()
            if path.is_file() and path.suffix in STATIC_TYPES}


class PreviewServer(ThreadingMixIn, TCPServer):
    """A threaded HTTP server on 127.0.0.1 that shows one `PreviewSession`.

    Raises OSError when the port cannot be had (in use, or not allowed).
    """

    # Request threads are joined on close: each ends within its socket's timeout, and event
    # streams end as soon as the session is closed.
    daemon_threads = False
    block_on_close = True
    request_queue_size = 32
    # On Windows SO_REUSEADDR would let a second server take a port that is in use; there,
    # SO_EXCLUSIVEADDRUSE makes the second bind fail instead (see `server_bind`).
    allow_reuse_address = sys.platform != "win32"

    def __init__(self, session: PreviewSession, port: int = 0) -> None:
        self.session = session
        self.static = static_files()
        super().__init__((HOST, port), PreviewRequestHandler)
        self.port = int(self.server_address[1])
        self.allowed_hosts = {f"{HOST}:{self.port}", f"localhost:{self.port}"}
        if self.port == 80:
            self.allowed_hosts |= {HOST, "localhost"}

    def server_bind(self) -> None:
        if sys.platform == "win32":
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)
        super().server_bind()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def handle_error(self, request: object, client_address: object) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return  # the browser closed the tab or stopped loading an image: nothing to fix
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class PreviewRequestHandler(BaseHTTPRequestHandler):
    """Answers one request (HTTP/1.0: one request per connection)."""

    server: PreviewServer
    server_version = "briefgen-preview"
    sys_version = ""
    timeout = 5  # seconds; a client that stops reading is let go, so stopping never waits long
    page_policy = True  # send the Content-Security-Policy (not with PDF and DOCX files)

    def do_GET(self) -> None:
        self.answer(send_body=True)

    def do_HEAD(self) -> None:
        self.answer(send_body=False)

    def refuse_method(self) -> None:
        self.send_text(HTTPStatus.METHOD_NOT_ALLOWED, "only GET and HEAD are answered",
                       send_body=True, headers={"Allow": "GET, HEAD"})

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = refuse_method

    # -- routing -------------------------------------------------------------------------

    def answer(self, *, send_body: bool) -> None:
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1 or hosts[0].strip().lower() not in self.server.allowed_hosts:
            self.send_text(HTTPStatus.FORBIDDEN, f"this preview answers only at "
                           f"{self.server.url}", send_body=send_body)
            return
        # Only a path (origin form) is accepted; it is matched as typed, never unquoted or
        # joined to a folder, so "..", "%2e%2e" or "\\" can only fail to match.
        target = self.path
        if not target.startswith("/") or target.startswith("//"):
            self.send_text(HTTPStatus.BAD_REQUEST, "bad request", send_body=send_body)
            return
        path = target.split("?", 1)[0].split("#", 1)[0]
        session = self.server.session
        if path in ("/", "/index.html"):
            self.send_static("index.html", send_body)
        elif path.startswith("/static/") and path[len("/static/"):] in self.server.static:
            self.send_static(path[len("/static/"):], send_body)
        elif path == "/state":
            _, state = session.current_state()
            self.send_bytes(HTTPStatus.OK, "application/json", state, send_body=send_body)
        elif path == "/events":
            self.send_events(send_body)
        elif match := PAGE_IMAGE.fullmatch(path):
            image = session.page_image(match[1], match[2])
            if image is None:
                self.send_text(HTTPStatus.NOT_FOUND, "no such page image", send_body=send_body)
            else:
                # Named by the digest of the PDF drawn: the same name is the same picture.
                self.send_bytes(HTTPStatus.OK, "image/jpeg", image.jpeg, send_body=send_body,
                                cache="private, max-age=86400, immutable")
        elif match := FILE_NAME.fullmatch(path):
            self.send_output_file(match[1], send_body)
        else:
            self.send_text(HTTPStatus.NOT_FOUND, "not found", send_body=send_body)

    def send_static(self, name: str, send_body: bool) -> None:
        source = self.server.static[name]
        self.send_bytes(HTTPStatus.OK, STATIC_TYPES[source.suffix], source.read_bytes(),
                        send_body=send_body)

    def send_output_file(self, name: str, send_body: bool) -> None:
        path = self.server.session.output_file(name)
        kind = FILE_TYPES.get(path.suffix) if path is not None else None
        if path is None or kind is None:
            self.send_text(HTTPStatus.NOT_FOUND, "not one of this preview's files",
                           send_body=send_body)
            return
        try:
            data = path.read_bytes()
        except OSError:
            self.send_text(HTTPStatus.NOT_FOUND, "the file is gone; save the spec to build it "
                           "again", send_body=send_body)
            return
        content_type, disposition = kind
        # A PDF opens in the browser's own viewer, which a page policy could block; the file
        # is briefgen's own output, and nosniff keeps it from being read as anything else.
        self.page_policy = False
        self.send_bytes(HTTPStatus.OK, content_type, data, send_body=send_body, headers={
            "Content-Disposition": f'{disposition}; filename="{path.name}"'})

    def send_events(self, send_body: bool) -> None:
        """Server-sent events: the snapshot now, then each new one as it is published."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not send_body:
            return
        session = self.server.session
        self.wfile.write(b"retry: 1000\n\n")  # reconnect soon after the preview restarts
        seen = -1
        while not session.closed:
            change = session.wait_for_change(seen, KEEPALIVE_SECONDS)
            if session.closed:
                return
            if change is None:
                self.wfile.write(b": waiting for a save\n\n")
            else:
                seen, state = change
                self.wfile.write(b"event: state\nid: %d\ndata: %s\n\n" % (seen, state))
            self.wfile.flush()

    # -- responses -----------------------------------------------------------------------

    def send_bytes(self, status: HTTPStatus, content_type: str, body: bytes, *,
                   send_body: bool, cache: str = "no-store",
                   headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def send_text(self, status: HTTPStatus, text: str, *, send_body: bool,
                  headers: dict[str, str] | None = None) -> None:
        self.send_bytes(status, "text/plain; charset=utf-8", f"{text}\n".encode(),
                        send_body=send_body, headers=headers)

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        if self.page_policy:
            self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            self.send_header("X-Frame-Options", "DENY")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass  # the terminal shows builds, not requests
