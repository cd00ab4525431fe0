"""`briefgen preview`: the page in a real browser, the server's safety rules, and stopping.

The browser tests drive Debian's Chromium through chromedriver (Selenium). Without those tools
they are skipped, and in CI (CI=true) they fail. The preview runs as a user runs it, as
`python -m briefgen preview` in a project folder whose name holds a space and non-ASCII
letters.

To redraw the README's picture after the page's design changed:

    BRIEFGEN_PREVIEW_SCREENSHOT=docs/preview.png \
        .venv/bin/python -m pytest tests/test_preview.py -k screenshot
"""

from __future__ import annotations

import http.client
import io
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import briefgen.preview.server
from briefgen.cli import app
from briefgen.engine.batch import BuildOptions
from briefgen.errors import Location
from briefgen.preview.server import (
    MAX_CONNECTIONS,
    MAX_EVENT_STREAMS,
    STATIC_FOLDER,
    PreviewServer,
)
from briefgen.preview.session import PreviewSession, read_excerpt
from tests.support import (
    EXAMPLE_SPEC,
    ROOT,
    expected_versions,
    leftover_processes,
    localized,
    require_tool,
    spec_data,
)

SPEC_NAME = "briefs/masg-2025.yaml"
PROJECT_NAME = "Délégations 2025"  # a space and non-ASCII letters, as on users' laptops
SCREENSHOT = os.environ.get("BRIEFGEN_PREVIEW_SCREENSHOT")
CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--no-first-run", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--window-size=1440,1000",
]


def copy_example(project: Path) -> Path:
    """The example brief with its fact file and logo in `project`/briefs/; the spec's path."""
    briefs = project / "briefs"
    briefs.mkdir(parents=True)
    shutil.copytree(EXAMPLE_SPEC.parent / "facts", briefs / "facts")
    shutil.copy(EXAMPLE_SPEC.parent / "clear-ground-logo.png", briefs)
    shutil.copy(EXAMPLE_SPEC, briefs / "masg-2025.yaml")
    return briefs / "masg-2025.yaml"


def wait_until(condition: Callable[[], object], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {seconds} s for {what}", pytrace=False)
        time.sleep(0.05)


class Preview:
    """`python -m briefgen preview SPEC --no-browser` running in `project`."""

    def __init__(self, project: Path, *arguments: str) -> None:
        self.mark = uuid.uuid4().hex  # in the environment of every process it starts
        env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
        env["BRIEFGEN_TEST_RUN"] = self.mark
        env["PYTHONIOENCODING"] = "utf-8"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "briefgen", "preview", SPEC_NAME, "--no-browser",
             *arguments], cwd=project, env=env, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, encoding="utf-8")
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self.readers = [threading.Thread(target=self._read, args=(stream, lines), daemon=True)
                        for stream, lines in ((self.process.stdout, self.stdout),
                                              (self.process.stderr, self.stderr))]
        for reader in self.readers:
            reader.start()
        wait_until(lambda: self.url or self.process.poll() is not None, 60, "the address")
        assert self.url, f"no address printed:\n{self.output}"

    @staticmethod
    def _read(stream: Any, lines: list[str]) -> None:
        for line in iter(stream.readline, ""):
            lines.append(line.rstrip("\n"))

    @property
    def url(self) -> str:
        found = re.search(r" at (http://127\.0\.0\.1:\d+/)$", "\n".join(self.stdout), re.M)
        return found[1] if found else ""

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1].strip("/"))

    @property
    def output(self) -> str:
        return "\n".join(self.stdout + self.stderr)

    def stop(self) -> int:
        """Ctrl-C, as a user stops it; the exit code."""
        if self.process.poll() is None:
            if sys.platform == "win32":
                self.process.terminate()
            else:
                self.process.send_signal(signal.SIGINT)
        try:
            code = self.process.wait(15)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            for reader in self.readers:
                reader.join(5)
            for stream in (self.process.stdout, self.process.stderr):
                assert stream is not None
                stream.close()
        return code


def state_of(port: int) -> dict[str, Any]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/state")
        state: dict[str, Any] = json.loads(connection.getresponse().read())
        return state
    finally:
        connection.close()


# ---------------------------------------------------------------------------------------------
# In a real browser


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    binary = require_tool("chromium")
    driver_path = require_tool("chromedriver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in [*CHROMIUM_FLAGS,
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(driver_path, log_output=subprocess.DEVNULL),
                              options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("preview") / PROJECT_NAME
    copy_example(project)
    return project


@pytest.fixture(scope="module")
def preview(project: Path) -> Iterator[Preview]:
    running = Preview(project)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def page(chromium: Any, preview: Preview, project: Path) -> Iterator[Any]:
    """The preview open in Chromium, every audience's page shown; the spec is put back
    afterwards and the page seen current again."""
    spec = project / SPEC_NAME
    original = spec.read_text(encoding="utf-8")
    chromium.get(preview.url)
    wait_for_pages(chromium, len(expected_versions("example")))
    try:
        yield chromium
    finally:
        if spec.read_text(encoding="utf-8") != original:
            spec.write_text(original, encoding="utf-8")
            wait_until(lambda: not chromium.find_elements("css selector", ".page.stale")
                       and "Up to date" in status_text(chromium), 30, "the spec put back")


def cards(browser: Any) -> list[dict[str, Any]]:
    """What each audience's card shows, read from the page."""
    shown: list[dict[str, Any]] = browser.execute_script("""
        return [...document.querySelectorAll('#pages > li')].map((card) => {
          const image = card.querySelector('img');
          const facts = Object.fromEntries([...card.querySelectorAll('.facts div')].map(
            (row) => [row.querySelector('dt').textContent, row.querySelector('dd').textContent]));
          return {
            name: card.querySelector('h3').textContent,
            title: card.querySelector('.title')?.textContent ?? '',
            stale: card.classList.contains('stale'),
            built: !card.classList.contains('unbuilt'),
            src: image?.getAttribute('src') ?? '',
            alt: image?.alt ?? '',
            loaded: Boolean(image && image.complete && image.naturalWidth > 0),
            width: image?.naturalWidth ?? 0,
            height: image?.naturalHeight ?? 0,
            facts,
            links: [...card.querySelectorAll('.files a')].map((link) => link.getAttribute('href')),
          };
        });""")
    return shown


def status_text(browser: Any) -> str:
    return str(browser.find_element("id", "status").text)


def wait_for_pages(browser: Any, count: int) -> None:
    wait_until(lambda: len([card for card in cards(browser) if card["loaded"]]) == count, 30,
               f"{count} page images")


def test_the_page_shows_every_audience_s_page_with_its_facts(page: Any, preview: Preview,
                                                             project: Path) -> None:
    data = spec_data("example")
    shown = cards(page)
    expected = expected_versions("example")
    assert [card["name"] for card in shown] == [audience["name"]
                                                for audience in data["audiences"]]
    for card, (_, language, paper) in zip(shown, expected, strict=True):
        assert card["loaded"] and not card["stale"], card
        assert card["name"] in card["alt"] and "page 1 of 1" in card["alt"]
        assert card["facts"]["Language"].lower().startswith(language.lower()), card
        assert card["facts"]["Paper"].startswith(paper), card
        # The image is the written page: Letter is wider for its height than A4.
        ratio = card["height"] / card["width"]
        assert ratio == pytest.approx(11 / 8.5 if paper == "Letter" else 297 / 210, rel=0.01)
        assert re.fullmatch(r"tightened to fit: .+|as designed; (\d+ mm|no room) to spare",
                            card["facts"]["Fit"]), card
    # The PDF link gives the file written to out/, byte for byte.
    link = shown[0]["links"][0]
    connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=10)
    try:
        connection.request("GET", link)
        response = connection.getresponse()
        served = response.read()
    finally:
        connection.close()
    assert response.status == 200 and response.getheader("Content-Type") == "application/pdf"
    assert served == (project / "out" / "masg-2025" / link.rsplit("/", 1)[1]).read_bytes()
    assert page.find_element("css selector", "html").get_attribute("lang") == "en"


def test_saving_a_new_title_updates_the_page_by_itself(page: Any, project: Path) -> None:
    spec = project / SPEC_NAME
    text = spec.read_text(encoding="utf-8")
    old_title = str(localized(spec_data("example")["brief"]["title"], "en"))
    new_title = "Azerbaijan clears its minefields with little help"
    assert old_title in text
    before = {card["name"]: card for card in cards(page)}
    page.execute_script("window.notReloaded = true;")
    spec.write_text(text.replace(old_title, new_title, 1), encoding="utf-8")

    def english_titles_updated() -> bool:
        shown = [card for card in cards(page) if card["facts"].get("Language", "")
                 .startswith("en")]
        return bool(shown) and all(card["title"] == new_title and card["loaded"]
                                   for card in shown)

    wait_until(english_titles_updated, 30, "the new title on the page")
    after = {card["name"]: card for card in cards(page)}
    english = [name for name, card in after.items() if card["title"] == new_title]
    assert all(after[name]["src"] != before[name]["src"] for name in english), (
        "the page images were not redrawn")
    assert page.execute_script("return window.notReloaded === true;"), "the page was reloaded"
    assert "Up to date" in status_text(page)


def test_a_misspelt_key_shows_its_place_and_keeps_the_pages_as_out_of_date(
        page: Any, project: Path) -> None:
    spec = project / SPEC_NAME
    lines = spec.read_text(encoding="utf-8").splitlines(keepends=True)
    line = lines.index("brief:\n") + 2  # the line after `brief:`, counting from 1
    lines.insert(line - 1, "  detial: 2025-03-24\n")
    spec.write_text("".join(lines), encoding="utf-8")
    where = f"{SPEC_NAME}:{line}:3"

    def error_shown() -> bool:
        return any(where in problem.text and "unknown key 'detial'" in problem.text
                   for problem in page.find_elements("css selector", ".problem.error"))

    wait_until(error_shown, 30, f"the error at {where}")
    problems = page.find_elements("css selector", ".problem")
    assert "error" in problems[0].get_attribute("class"), "errors come first"
    # The error is open: its hint and the spec's lines around it, the misspelt one marked.
    marked = problems[0].find_element("css selector", ".line.here")
    assert "detial: 2025-03-24" in marked.text
    assert problems[0].find_element("css selector", ".hint").is_displayed()
    shown = cards(page)
    assert shown and all(card["stale"] and card["loaded"] for card in shown if card["built"])
    assert len(page.find_elements("css selector", ".stale-badge")) == len(
        [card for card in shown if card["built"]])
    assert "Not built" in status_text(page)
    assert page.execute_script(CONTRAST_FAILURES) == []


CONTRAST_FAILURES = """
    // Text whose colour on its background is below WCAG AA's 4.5:1.
    const parse = (colour) => {
      const parts = colour.match(/[\\d.]+/g).map(Number);
      return { rgb: parts.slice(0, 3), alpha: parts.length > 3 ? parts[3] : 1 };
    };
    const background = (element) => {
      for (let node = element; node; node = node.parentElement) {
        const colour = parse(getComputedStyle(node).backgroundColor);
        if (colour.alpha > 0) return colour;
      }
      return { rgb: [255, 255, 255], alpha: 1 };
    };
    const luminance = ({ rgb }) => {
      const [r, g, b] = rgb.map((value) => {
        value /= 255;
        return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const failures = [];
    for (const element of document.querySelectorAll('body *')) {
      const hasText = [...element.childNodes].some(
        (node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
      if (!hasText || !element.getClientRects().length) continue;
      if (element.closest('.visually-hidden, dialog:not([open])')) continue;
      const [lighter, darker] = [luminance(parse(getComputedStyle(element).color)),
                                 luminance(background(element))].sort((a, b) => b - a);
      const ratio = (lighter + 0.05) / (darker + 0.05);
      if (ratio < 4.5) failures.push(`${element.className}: ${element.textContent.trim()
        .slice(0, 40)} (${ratio.toFixed(2)}:1)`);
    }
    return failures;
"""


def test_text_on_the_page_meets_wcag_aa_contrast(page: Any) -> None:
    page.execute_script("document.querySelectorAll('details').forEach((d) => d.open = true);")
    assert page.execute_script(CONTRAST_FAILURES) == []


def test_the_keyboard_reaches_problems_pages_and_files_with_visible_focus(page: Any) -> None:
    from selenium.webdriver.common.keys import Keys

    page.execute_script("document.activeElement?.blur(); window.scrollTo(0, 0);")
    body = page.find_element("tag name", "body")
    body.send_keys(Keys.TAB)
    reached = []
    for _ in range(60):
        reached.append(page.execute_script("""
            const element = document.activeElement;
            const style = getComputedStyle(element);
            return [element.tagName.toLowerCase(), element.className,
                    style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2];"""))
        page.switch_to.active_element.send_keys(Keys.TAB)
    kinds = {(tag, kind) for tag, kind, _ in reached}
    assert ("a", "skip") in kinds and ("summary", "") in kinds and ("button", "thumb") in kinds
    assert any(tag == "a" and kind == "" for tag, kind, _ in reached), "no PDF or DOCX link"
    hidden = [(tag, kind) for tag, kind, visible in reached if not visible and tag != "body"]
    assert hidden == [], "focus not visible on these"


def test_keyboard_opens_a_page_full_size_and_escape_closes_it(page: Any) -> None:
    from selenium.webdriver.common.keys import Keys

    thumbnail = page.find_element("css selector", "#pages .thumb")
    page.execute_script("arguments[0].focus();", thumbnail)
    page.switch_to.active_element.send_keys(Keys.ENTER)
    viewer = page.find_element("id", "viewer")
    wait_until(lambda: viewer.get_attribute("open") is not None, 5, "the full-size view")
    image = page.find_element("id", "viewer-image")
    first_name = cards(page)[0]["name"]
    assert first_name in image.get_attribute("alt")
    wait_until(lambda: "/full.jpg" in image.get_attribute("src"), 10, "the full-size image")
    page.switch_to.active_element.send_keys(Keys.ARROW_RIGHT)
    assert cards(page)[1]["name"] in image.get_attribute("alt")
    page.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait_until(lambda: viewer.get_attribute("open") is None, 5, "the view to close")
    focused = page.switch_to.active_element
    assert focused.get_attribute("class") == "thumb", "focus did not return to a page"


def test_problems_open_from_the_keyboard(page: Any) -> None:
    from selenium.webdriver.common.keys import Keys

    warning = page.find_element("css selector", ".problem.warning details")
    assert warning.get_attribute("open") is None
    summary = warning.find_element("tag name", "summary")
    page.execute_script("arguments[0].focus();", summary)
    page.switch_to.active_element.send_keys(Keys.ENTER)
    wait_until(lambda: warning.get_attribute("open") is not None, 5, "the warning to open")
    excerpt = warning.find_element("css selector", ".excerpt, .no-excerpt")
    assert excerpt.is_displayed()


def test_a_page_beyond_the_open_pages_allowed_says_so_and_shows_the_pages_once(
        chromium: Any, preview: Preview) -> None:
    chromium.get("about:blank")  # the page of an earlier test lets go of its stream
    streams: list[socket.socket] = []

    def fill_every_place() -> None:
        while True:
            stream = open_event_stream(preview.port)
            streams.append(stream)
            if first_answer(stream).startswith(b"HTTP/1.0 503"):
                return

    try:
        fill_every_place()
        time.sleep(1.5)  # a place the browser let go of is free by now: take it too
        fill_every_place()
        chromium.get(preview.url)
        wait_until(lambda: "Too many preview pages are open" in status_text(chromium), 10,
                   "the page to say why it does not update")
        wait_for_pages(chromium, len(expected_versions("example")))
    finally:
        for stream in streams:
            stream.close()


@pytest.mark.skipif(not SCREENSHOT, reason="set BRIEFGEN_PREVIEW_SCREENSHOT=docs/preview.png "
                    "to redraw the README's picture")
def test_screenshot_for_the_readme(chromium: Any, tmp_path: Path) -> None:
    project = tmp_path / "project"
    copy_example(project)
    running = Preview(project)
    try:
        chromium.set_window_size(1440, 1480)
        chromium.get(running.url)
        wait_for_pages(chromium, len(expected_versions("example")))
        # One problem opened, as by a click: its hint and the spec's lines around it.
        chromium.find_elements("css selector", ".problem summary")[-1].click()
        chromium.execute_script("document.activeElement.blur();")
        target = ROOT / str(SCREENSHOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        # 256 colours without dithering (chosen to cover every colour used, so the small green
        # "up to date" dot keeps its colour): a third of the size, and text stays as sharp.
        from PIL import Image

        picture = Image.open(io.BytesIO(chromium.get_screenshot_as_png())).convert("RGB")
        picture.quantize(256, Image.Quantize.MAXCOVERAGE, dither=Image.Dither.NONE).save(
            target, optimize=True)
    finally:
        assert running.stop() == 0


# ---------------------------------------------------------------------------------------------
# Stopping, and a port already taken


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT, as Ctrl-C does on POSIX")
def test_ctrl_c_stops_the_server_and_every_process_it_started(tmp_path: Path) -> None:
    project = tmp_path / PROJECT_NAME
    copy_example(project)
    running = Preview(project)
    connection = http.client.HTTPConnection("127.0.0.1", running.port, timeout=20)
    try:
        connection.request("GET", "/events")
        stream = connection.getresponse()
        assert stream.getheader("Content-Type", "").startswith("text/event-stream")
        assert stream.readline() == b"retry: 1000\n"
        started = time.monotonic()
        code = running.stop()
        seconds = time.monotonic() - started
        rest = stream.read()  # the open event stream ends too
    finally:
        connection.close()
    assert code == 0, running.output
    assert seconds < 5, f"took {seconds:.1f} s to stop"
    assert running.stderr[-1] == "stopped", running.output
    assert "Traceback" not in running.output
    assert b"event: state" in rest
    assert leftover_processes(running.mark) == []
    # The port is free again: a new preview can have it at once.
    PreviewServer(PreviewSession(project / SPEC_NAME, BuildOptions()), running.port).server_close()


class SlowLoris:
    """A client that sends its request's header one byte at a time, `pause` seconds apart,
    for as long as the server listens: it would hold a connection (and its thread) forever
    where each byte renews the time a server gives it."""

    def __init__(self, port: int, pause: float) -> None:
        self.connection = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.pause = pause
        self.closed_by_server = threading.Event()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._send, daemon=True)
        self.thread.start()

    def _send(self) -> None:
        header = f"GET /state HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: {'x' * 10_000}".encode()
        try:
            for byte in header:
                if self.done.wait(self.pause):
                    return
                self.connection.send(bytes([byte]))
                readable, _, _ = select.select([self.connection], [], [], 0)
                if readable and not self.connection.recv(1024):
                    break
        except OSError:
            pass
        self.closed_by_server.set()

    def close(self) -> None:
        self.done.set()
        self.thread.join(10)
        self.connection.close()


def open_event_stream(port: int) -> socket.socket:
    """A client that asks for the event stream and then reads nothing."""
    connection = socket.create_connection(("127.0.0.1", port), timeout=10)
    connection.sendall(f"GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    return connection


def first_answer(stream: socket.socket) -> bytes:
    """The head of an event stream's answer; all of it when it is a refusal."""
    data = b""
    while b"\r\n\r\n" not in data and (chunk := stream.recv(4096)):
        data += chunk
    while data.startswith(b"HTTP/1.0 503") and (chunk := stream.recv(4096)):
        data += chunk
    return data


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT, as Ctrl-C does on POSIX")
def test_ctrl_c_stops_the_preview_within_2_s_whatever_the_clients_do(tmp_path: Path) -> None:
    project = tmp_path / PROJECT_NAME
    copy_example(project)
    running = Preview(project)
    loris = SlowLoris(running.port, pause=0.5)
    streams = [open_event_stream(running.port) for _ in range(40)]
    try:
        time.sleep(1.5)  # the slow client is well into its header
        assert not loris.closed_by_server.is_set()
        started = time.monotonic()
        code = running.stop()
        seconds = time.monotonic() - started
    finally:
        loris.close()
        for stream in streams:
            stream.close()
    assert code == 0, running.output
    assert seconds < 2, f"took {seconds:.1f} s to stop"
    assert running.stderr[-1] == "stopped", running.output
    assert "Traceback" not in running.output
    assert leftover_processes(running.mark) == []


@pytest.fixture
def server(tmp_path: Path) -> Iterator[PreviewServer]:
    """A preview server in this process, of a spec it never builds (its page is empty)."""
    session = PreviewSession(copy_example(tmp_path / "project"), BuildOptions())
    server = PreviewServer(session, 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        session.close()
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_request_must_arrive_whole_within_its_time(server: PreviewServer,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Each byte of a slow client's header arrives in time, but not the whole of it: the
    server lets it go once the time a request may take is over."""
    monkeypatch.setattr(briefgen.preview.server, "REQUEST_SECONDS", 1.0)
    loris = SlowLoris(server.port, pause=0.2)
    try:
        assert loris.closed_by_server.wait(4), "a client that never ends its header was kept"
    finally:
        loris.close()
    wait_until(lambda: server.open_connections == 0, 2, "the connection to be let go")


def test_event_streams_are_capped_and_the_page_is_still_served(server: PreviewServer) -> None:
    threads_before = threading.active_count()
    streams = [open_event_stream(server.port) for _ in range(MAX_EVENT_STREAMS + 20)]
    try:
        answers = [first_answer(stream) for stream in streams]
        accepted = [answer for answer in answers if answer.startswith(b"HTTP/1.0 200")]
        refused = [answer for answer in answers if answer.startswith(b"HTTP/1.0 503")]
        assert len(accepted) == MAX_EVENT_STREAMS and len(refused) == 20, answers[-1]
        assert b"too many preview pages are open" in refused[0]
        assert threading.active_count() - threads_before <= MAX_EVENT_STREAMS + 2
        status, _, _ = raw_request(server.port, "GET /state HTTP/1.1")
        assert status == 200
    finally:
        for stream in streams:
            stream.close()
    # A closed tab's stream is let go soon (not only at the next keep-alive): a page opened
    # again gets its stream.
    wait_until(lambda: server.open_connections == 0, 5, "closed streams to be let go")
    again = open_event_stream(server.port)
    try:
        assert first_answer(again).startswith(b"HTTP/1.0 200")
    finally:
        again.close()


def test_connections_are_capped_and_a_refused_one_is_told_why(
        server: PreviewServer, monkeypatch: pytest.MonkeyPatch) -> None:
    threads_before = threading.active_count()
    idle = [socket.create_connection(("127.0.0.1", server.port), timeout=10)
            for _ in range(MAX_CONNECTIONS)]
    try:
        wait_until(lambda: server.open_connections == MAX_CONNECTIONS, 5, "every connection")
        status, headers, body = raw_request(server.port, "GET /state HTTP/1.1")
        assert status == 503 and headers["retry-after"] == "1"
        assert b"busy" in body
        assert threading.active_count() - threads_before <= MAX_CONNECTIONS + 1
    finally:
        for connection in idle:
            connection.close()
    wait_until(lambda: server.open_connections == 0, 5, "idle connections to be let go")
    assert raw_request(server.port, "GET /state HTTP/1.1")[0] == 200


def test_a_second_preview_on_the_same_port_says_so_in_one_line(tmp_path: Path) -> None:
    spec = copy_example(tmp_path / "project")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(app, ["preview", str(spec), "--no-browser",
                                          "--port", str(port)])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0, result.output
    assert f"port {port} is in use" in result.output and "--port" in result.output
    assert not (tmp_path / "project" / "out").exists(), "built before finding the port taken"


# ---------------------------------------------------------------------------------------------
# The server's safety rules, in this process


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[PreviewServer, Path]]:
    """A preview server of the example, with secrets beside the files it may serve."""
    project = tmp_path_factory.mktemp("served") / "project"
    spec = copy_example(project)
    session = PreviewSession(spec, BuildOptions())
    session.build()
    (project / "secret.txt").write_text("TOP SECRET", encoding="utf-8")
    (spec.parent / "secret.txt").write_text("TOP SECRET", encoding="utf-8")
    (project / "out" / "masg-2025" / "secret.txt").write_text("TOP SECRET", encoding="utf-8")
    server = PreviewServer(session, 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    try:
        yield server, project
    finally:
        session.close()
        server.shutdown()
        server.server_close()
        thread.join()


def raw_request(port: int, request_line: str, headers: dict[str, str] | None = None
                ) -> tuple[int, dict[str, str], bytes]:
    """Send a request exactly as written (no client tidies the path); status, headers, body."""
    headers = {"Host": f"127.0.0.1:{port}"} if headers is None else headers
    lines = [request_line, *(f"{name}: {value}" for name, value in headers.items())]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    parsed = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        parsed[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), parsed, body


def test_the_server_listens_on_this_computer_only(served: tuple[PreviewServer, Path]) -> None:
    server, _ = served
    assert server.server_address[0] == "127.0.0.1"
    assert server.url == f"http://127.0.0.1:{server.port}/"


@pytest.mark.parametrize("host", [
    "evil.example", "evil.example:{port}", "127.0.0.1", "127.0.0.1:{other}",
    "localhost.evil.example:{port}", "127.0.0.1:{port}.evil.example", "", "[::1]:{port}",
])
def test_a_request_for_another_host_is_refused(served: tuple[PreviewServer, Path],
                                               host: str) -> None:
    """A page elsewhere that rebinds its own name to 127.0.0.1 sends its own Host header."""
    server, _ = served
    host = host.format(port=server.port, other=server.port + 1)
    for path in ("/", "/state", "/static/preview.js"):
        status, _, body = raw_request(server.port, f"GET {path} HTTP/1.1", {"Host": host})
        assert status == 403, (host, path)
        assert b"masg-2025" not in body


def test_the_right_host_is_answered_and_a_missing_or_doubled_one_is_not(
        served: tuple[PreviewServer, Path]) -> None:
    server, _ = served
    for host in (f"127.0.0.1:{server.port}", f"localhost:{server.port}",
                 f"LOCALHOST:{server.port}"):
        assert raw_request(server.port, "GET / HTTP/1.1", {"Host": host})[0] == 200
    assert raw_request(server.port, "GET / HTTP/1.0", {})[0] == 403
    status, _, _ = raw_request(server.port, "GET / HTTP/1.1", {"Host": f"127.0.0.1:{server.port}"}
                               | {"HOST": "evil.example"})
    assert status == 403


@pytest.mark.parametrize("path", [
    "/static/../session.py", "/static/..%2fsession.py", "/static/%2e%2e/server.py",
    "/static/%2e%2e%5cserver.py", "/static/preview.css/../../server.py", "/static/",
    "/static", "/files/../../briefs/masg-2025.yaml", "/files/..%2F..%2Fsecret.txt",
    "/files/%2e%2e/%2e%2e/secret.txt", "/files/secret.txt", "/files/.eu.inputs",
    "/files/../masg-2025/secret.txt", "/files/..\\..\\secret.txt", "/pages/../../secret.txt",
    "//etc/passwd", "/etc/passwd", "/briefs/masg-2025.yaml", "/out/masg-2025/secret.txt",
    "/../secret.txt", "/%2e%2e/secret.txt", "/secret.txt", "/files/C:%5Csecret.txt",
    "http://127.0.0.1/secret.txt", "*",
])
def test_no_path_leads_outside_the_pages_files(served: tuple[PreviewServer, Path],
                                               path: str) -> None:
    server, _ = served
    status, _, body = raw_request(server.port, f"GET {path} HTTP/1.1")
    assert status in (400, 404), path
    assert b"TOP SECRET" not in body and b"def " not in body and b"brief:" not in body


def test_the_page_its_files_and_its_images_are_served(served: tuple[PreviewServer, Path]
                                                      ) -> None:
    server, project = served
    state = state_of(server.port)
    assert len(state["pages"]) == len(expected_versions("example"))
    for path, kind in (("/", "text/html"), ("/static/preview.css", "text/css"),
                       ("/static/preview.js", "text/javascript"),
                       (state["pages"][0]["thumbnail"]["src"], "image/jpeg"),
                       (state["pages"][0]["full"], "image/jpeg"),
                       (state["pages"][0]["docx"]["href"],
                        "application/vnd.openxmlformats-officedocument")):
        status, headers, body = raw_request(server.port, f"GET {path} HTTP/1.1")
        assert status == 200 and headers["content-type"].startswith(kind), path
        assert int(headers["content-length"]) == len(body) > 0
    pdf_path = state["pages"][1]["pdf"]["href"]
    status, headers, body = raw_request(server.port, f"GET {pdf_path} HTTP/1.1")
    assert status == 200
    assert body == (project / "out" / "masg-2025" / pdf_path.rsplit("/", 1)[1]).read_bytes()


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE",
                                    "CONNECT"])
def test_only_get_and_head_are_answered(served: tuple[PreviewServer, Path], method: str) -> None:
    server, _ = served
    status, headers, _ = raw_request(server.port, f"{method} / HTTP/1.1")
    assert status == 405
    assert headers["allow"] == "GET, HEAD"
    status, _, _ = raw_request(server.port, "BREW /state HTTP/1.1")
    assert status == 501


def test_head_gives_the_headers_of_get_without_a_body(served: tuple[PreviewServer, Path]
                                                      ) -> None:
    server, _ = served
    _, got, body = raw_request(server.port, "GET /static/preview.js HTTP/1.1")
    status, headed, nothing = raw_request(server.port, "HEAD /static/preview.js HTTP/1.1")
    assert status == 200 and nothing == b""
    assert headed["content-length"] == got["content-length"] == str(len(body))


def test_the_page_loads_nothing_from_other_sites(served: tuple[PreviewServer, Path]) -> None:
    server, _ = served
    _, headers, html = raw_request(server.port, "GET / HTTP/1.1")
    policy = headers["content-security-policy"]
    assert "default-src 'none'" in policy
    for directive in ("script-src", "style-src", "img-src", "connect-src"):
        assert f"{directive} 'self'" in policy
    assert headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in policy
    # Every address in the page's own files is on this server (an SVG's namespace is a name).
    for path in STATIC_FOLDER.iterdir():
        text = path.read_text(encoding="utf-8").replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text, re.I), path.name
        assert "@import" not in text and "url(" not in text, path.name
    for reference in re.findall(rb'(?:src|href)="([^"]*)"', html):
        assert reference.startswith((b"/", b"#")) and not reference.startswith(b"//")


# ---------------------------------------------------------------------------------------------
# What the page is told, without a browser


def test_a_broken_spec_keeps_the_last_good_pages_marked_out_of_date(tmp_path: Path) -> None:
    spec = copy_example(tmp_path / "project")
    good = spec.read_text(encoding="utf-8")
    session = PreviewSession(spec, BuildOptions())
    session.build()
    before = json.loads(session.current_state()[1])
    assert before["pages"] and all(page["current"] for page in before["pages"])
    spec.write_text(good.replace("brief:\n", "brief:\n  detial: x\n", 1), encoding="utf-8")
    session.build()
    broken = json.loads(session.current_state()[1])
    assert [page["thumbnail"] for page in broken["pages"]] == [
        page["thumbnail"] for page in before["pages"]]
    assert not any(page["current"] for page in broken["pages"])
    first = broken["problems"][0]
    assert first["severity"] == "error" and first["rule"] == "unknown-key"
    assert first["excerpt"]["line"] == first["line"]
    assert any("detial: x" in text for number, text in first["excerpt"]["lines"]
               if number == first["line"])
    assert broken["brief"] == "masg-2025", "the brief's name stays while the spec is broken"
    spec.write_text(good, encoding="utf-8")
    session.build()
    again = json.loads(session.current_state()[1])
    assert all(page["current"] for page in again["pages"])
    assert again["sequence"] > broken["sequence"] > before["sequence"]


def test_a_bug_while_building_is_shown_and_the_pages_stay(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    spec = copy_example(tmp_path / "project")
    session = PreviewSession(spec, BuildOptions())
    session.build()

    def broken(*_: object) -> None:
        raise RuntimeError("an invariant broke")

    monkeypatch.setattr("briefgen.preview.session.run_specs", broken)
    summary = session.build()
    state = json.loads(session.current_state()[1])
    assert "RuntimeError: an invariant broke" in summary.bug
    assert "internal error" in str(summary) and "--debug" in str(summary)
    assert state["bug"].startswith("internal error: this is a bug in briefgen")
    assert state["pages"] and not any(page["current"] for page in state["pages"])


def test_excerpts_are_read_only_from_the_spec_s_folder(tmp_path: Path) -> None:
    folder = tmp_path / "briefs"
    folder.mkdir()
    outside = tmp_path / "private.yaml"
    outside.write_text("password: hunter2\n", encoding="utf-8")
    inside = folder / "spec.yaml"
    inside.write_text("".join(f"line {number}\n" for number in range(1, 21)), encoding="utf-8")
    files: dict[Path, list[str] | None] = {}
    assert read_excerpt(Location(outside, 1, 1), folder, files) is None
    assert read_excerpt(Location(folder / ".." / "private.yaml", 1, 1), folder, files) is None
    try:
        (folder / "link.yaml").symlink_to(outside)
    except OSError:
        pass  # no symlinks for this user (Windows without developer mode)
    else:
        assert read_excerpt(Location(folder / "link.yaml", 1, 1), folder, files) is None
    assert read_excerpt(folder, folder, files) is None  # a problem without a line
    excerpt = read_excerpt(Location(inside, 10, 3), folder, files)
    assert excerpt is not None
    lines = excerpt["lines"]
    assert isinstance(lines, list)
    assert [number for number, _ in lines] == list(range(7, 14))
    assert [text for number, text in lines if number == 10] == ["line 10"]


def test_the_wheel_carries_the_page(tmp_path: Path) -> None:
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                            str(tmp_path), str(ROOT)], capture_output=True, text=True,
                           timeout=600, check=False)
    assert built.returncode == 0, built.stderr
    wheel = next(tmp_path.glob("briefgen-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for path in STATIC_FOLDER.iterdir():
        assert f"briefgen/preview/static/{path.name}" in names
