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
- No client can hold it: a request must arrive whole within `REQUEST_SECONDS` (however it
  trickles in), at most `MAX_CONNECTIONS` are answered at once and `MAX_EVENT_STREAMS` of them
  may be event streams (the others get 503), and closing the server ends every connection
  at once: Ctrl-C never waits for a client.
"""

from __future__ import annotations

import contextlib
import io
import re
import select
import socket
import sys
import threading
import time
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
KEEPALIVE_SECONDS = 15.0  # a comment on an idle event stream keeps proxies and browsers on
STREAM_CHECK_SECONDS = 1.0  # how soon an event stream sees that its tab was closed
# A browser sends a request at once; a client that trickles its header byte by byte is let go
# after this long, however often a byte comes.
REQUEST_SECONDS = 10.0
# One tab loads at most a dozen files at once and keeps one event stream open. Each connection
# has its own thread, so these also bound the threads.
MAX_CONNECTIONS = 64
MAX_EVENT_STREAMS = 16
CLOSE_SECONDS = 1.0  # how long closing the server waits for its connections' threads
BUSY_TEXT = b"the preview is busy with too many connections; try again\n"
BUSY_RESPONSE = (
    b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
    b"Content-Length: %d\r\nRetry-After: 1\r\nX-Content-Type-Options: nosniff\r\n"
    b"Cache-Control: no-store\r\nConnection: close\r\n\r\n%s" % (len(BUSY_TEXT), BUSY_TEXT))


def static_files() -> dict[str, Path]:
    """The page's own files, by name: the only static files ever served."""
    return {path.name: path for path in STATIC_FOLDER.iterdir()
            if path.is_file() and path.suffix in STATIC_TYPES}


class PreviewServer(ThreadingMixIn, TCPServer):
    """A threaded HTTP server on 127.0.0.1 that shows one `PreviewSession`.

    Raises OSError when the port cannot be had (in use, or not allowed).
    """

    # Request threads are not joined one by one on close: `server_close` ends every open
    # connection and waits for their threads at most CLOSE_SECONDS.
    daemon_threads = True
    block_on_close = False
    request_queue_size = 32
    # On Windows SO_REUSEADDR would let a second server take a port that is in use; there,
    # SO_EXCLUSIVEADDRUSE makes the second bind fail instead (see `server_bind`).
    allow_reuse_address = sys.platform != "win32"

    def __init__(self, session: PreviewSession, port: int = 0) -> None:
        self.session = session
        self.static = static_files()
        self._connections: set[socket.socket] = set()
        self._event_streams = 0
        self._closing = False
        self._connections_changed = threading.Condition()
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

    @property
    def open_connections(self) -> int:
        with self._connections_changed:
            return len(self._connections)

    def process_request(self, request: socket.socket,  # type: ignore[override]
                        client_address: object) -> None:
        """Answer on a thread of its own, unless MAX_CONNECTIONS are open already: then say
        so at once, from this thread, and close."""
        with self._connections_changed:
            busy = self._closing or len(self._connections) >= MAX_CONNECTIONS
            if not busy:
                self._connections.add(request)
        if not busy:
            super().process_request(request, client_address)
            return
        with contextlib.suppress(OSError):
            request.setblocking(False)  # never wait for this client
            request.send(BUSY_RESPONSE)
        self.shutdown_request(request)

    def shutdown_request(self, request: socket.socket) -> None:  # type: ignore[override]
        super().shutdown_request(request)
        with self._connections_changed:
            self._connections.discard(request)
            self._connections_changed.notify_all()

    def claim_event_stream(self) -> bool:
        """Whether one more event stream may be opened (then it must be released)."""
        with self._connections_changed:
            if self._event_streams >= MAX_EVENT_STREAMS:
                return False
            self._event_streams += 1
            return True

    def release_event_stream(self) -> None:
        with self._connections_changed:
            self._event_streams -= 1

    def server_close(self) -> None:
        """Stop listening and end every open connection, whatever its client is doing;
        wait for their threads at most CLOSE_SECONDS (they are daemon threads)."""
        super().server_close()
        with self._connections_changed:
            self._closing = True
            open_now = list(self._connections)
        for connection in open_now:
            # Wakes the thread blocked reading from or writing to this client (OSError: the
            # client closed it already).
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        with self._connections_changed:
            self._connections_changed.wait_for(lambda: not self._connections, CLOSE_SECONDS)

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
    timeout = 5  # seconds a write may take: a client that stops reading is let go
    page_policy = True  # send the Content-Security-Policy (not with PDF and DOCX files)

    def setup(self) -> None:
        super().setup()
        # The request is read within one deadline, not a timeout renewed by each byte.
        self.rfile.close()
        self.rfile = io.BufferedReader(_RequestReader(self.connection, REQUEST_SECONDS))

    def parse_request(self) -> bool:
        parsed = super().parse_request()  # reads the header
        self.connection.settimeout(self.timeout)  # what is left of the deadline no longer counts
        return parsed

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
        """Server-sent events: the snapshot now, then each new one as it is published; at
        most MAX_EVENT_STREAMS at once (a browser does not retry after a 503)."""
        if not send_body:
            self.send_event_headers()
            return
        if not self.server.claim_event_stream():
            self.send_text(HTTPStatus.SERVICE_UNAVAILABLE, f"too many preview pages are open "
                           f"({MAX_EVENT_STREAMS}); close some, then reload this one",
                           send_body=True)
            return
        try:
            self.send_event_headers()
            self.stream_events()
        finally:
            self.server.release_event_stream()

    def send_event_headers(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()

    def stream_events(self) -> None:
        session = self.server.session
        self.wfile.write(b"retry: 1000\n\n")  # reconnect soon after the preview restarts
        seen = -1
        written = time.monotonic()
        while not session.closed:
            change = session.wait_for_change(seen, STREAM_CHECK_SECONDS)
            if session.closed:
                return
            if change is not None:
                seen, state = change
                self.wfile.write(b"event: state\nid: %d\ndata: %s\n\n" % (seen, state))
            elif self.client_gone():
                return
            elif time.monotonic() - written >= KEEPALIVE_SECONDS:
                self.wfile.write(b": waiting for a save\n\n")
            else:
                continue
            self.wfile.flush()
            written = time.monotonic()

    def client_gone(self) -> bool:
        """Whether the client closed its end (its tab was closed or reloaded): the stream's
        place is then free without waiting for a write to fail."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return bool(readable) and not self.connection.recv(1, socket.MSG_PEEK)
        except (OSError, ValueError):
            return True

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


class _RequestReader(io.RawIOBase):
    """Reads a request from its socket within one deadline, however slowly it arrives.

    Why: a socket's timeout is renewed by every byte received, so a client sending a byte
    every few seconds would hold its connection (and keep Ctrl-C waiting) as long as it likes.
    """

    def __init__(self, connection: socket.socket, seconds: float) -> None:
        self.connection = connection
        self.deadline = time.monotonic() + seconds

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request did not arrive in time")
        self.connection.settimeout(left)
        return self.connection.recv_into(buffer)
