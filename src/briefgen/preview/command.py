"""`briefgen preview SPEC`: build, serve the preview, rebuild on every save, stop on Ctrl-C.

Three threads and no other process: this one builds first and then waits for Ctrl-C; a
server thread answers the browser (each connection on a short-lived thread of its own); a
watch thread builds again after each save. Ctrl-C (or the console closing the command on
Windows) stops the watcher, ends the open event streams and every other connection, whatever
its client is doing, closes the server and joins the server and watch threads before the
command returns.
"""

from __future__ import annotations

import errno
import os
import sys
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

from briefgen.engine.folders import output_root
from briefgen.engine.units import BuildOptions
from briefgen.errors import PortUnavailable, display_path
from briefgen.preview.server import PreviewServer
from briefgen.preview.session import PreviewSession

# errno values for "address in use" and "not allowed" on Linux, macOS and Windows (WSA...).
IN_USE = {errno.EADDRINUSE, 10048}
NOT_ALLOWED = {errno.EACCES, 10013}
JOIN_STEP = 0.25  # seconds; Ctrl-C is seen this often even where waits are not interrupted


def run_preview(spec_path: Path, options: BuildOptions, *, port: int | None,
                open_browser: bool, echo: Callable[[str], None],
                echo_status: Callable[[str], None], debug: bool = False) -> None:
    """Preview one spec until Ctrl-C. `echo` prints the address; `echo_status` each build
    (and, with `debug`, the traceback of a bug met while building).

    Raises `PortUnavailable` (before building anything) when `port` is in use.
    """
    session = PreviewSession(spec_path, options)
    server = listen(session, port)
    stop = threading.Event()
    threads: list[threading.Thread] = []
    failure: list[BaseException] = []

    def build() -> None:
        summary = session.build()
        if summary.bug and debug:
            echo_status(summary.bug.rstrip())
        echo_status(str(summary))

    try:
        build()
        serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                                   name="preview-server")
        serving.start()
        threads.append(serving)
        echo(f"Preview of {display_path(spec_path)} at {server.url}")
        if not (open_browser and open_in_browser(server.url)):
            echo("Open that address in your browser.")
        echo("Each save of the spec, its fact files, logo or template updates it; "
             "press Ctrl-C to stop.")

        def rebuild(_: set[Path]) -> None:
            session.mark_building()
            build()

        def watch() -> None:
            from briefgen.engine.watch import watch_inputs

            try:
                watch_inputs([spec_path], rebuild, outputs=[output_root(spec_path, options)],
                             stop=stop)
            except BaseException as error:  # shown by the main thread, after stopping
                failure.append(error)

        watcher = threading.Thread(target=watch, name="preview-watch")
        watcher.start()
        threads.append(watcher)
        while watcher.is_alive():
            watcher.join(JOIN_STEP)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        session.close()
        if threads:  # serve_forever is running: shutdown waits for it to return
            server.shutdown()
        server.server_close()
        for thread in threads:
            thread.join()
    if failure:
        raise failure[0]
    echo_status("stopped")


def listen(session: PreviewSession, port: int | None) -> PreviewServer:
    """A server on 127.0.0.1: on `port`, or on a free one; a clear error when it is taken."""
    try:
        return PreviewServer(session, port or 0)
    except OSError as error:
        code = getattr(error, "winerror", None) or error.errno
        if code in IN_USE:
            raise PortUnavailable(
                f"error: port {port} is in use (is a preview already running?); choose "
                "another with --port N, or leave --port out to use a free one") from None
        if code in NOT_ALLOWED:
            raise PortUnavailable(
                f"error: port {port} may not be used here (ports below 1024 need an "
                "administrator); choose another with --port N") from None
        raise


def open_in_browser(url: str) -> bool:
    """Open `url` in the default browser; False where there is none to open.

    Why the check: on a Linux machine without a desktop (over SSH, say), `webbrowser` would
    start a text browser in this very terminal.
    """
    has_desktop = sys.platform in ("win32", "darwin") or any(
        os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"))
    if not has_desktop:
        return False
    try:
        return webbrowser.open(url, new=2)
    except webbrowser.Error:
        return False
