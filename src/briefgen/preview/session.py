"""What the preview shows: one spec, built again on every save, as a snapshot for the page.

A snapshot is the JSON the page draws: every problem of the spec (errors first, each with the
lines of its file around it) and one entry per audience, with its page image, fit and files.
A build that fails keeps the pages of the last good build, marked as out of date. Clients wait
on the snapshot's sequence number and are woken when it changes (`wait_for_change`).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path

from briefgen import __version__
from briefgen.document import Fit
from briefgen.engine.batch import run_specs
from briefgen.engine.folders import output_root
from briefgen.engine.units import BuildOptions, Report, UnitResult
from briefgen.errors import Location, Problem, display_path
from briefgen.preview.pages import FULL_DPI, PageImage, PdfFacts, read_pdf, render_page

CONTEXT_LINES = 3  # lines shown above and below a problem's line
LONGEST_LINE = 300  # characters of one line shown; the rest is cut
LARGEST_FILE = 1024 * 1024  # specs and fact files are refused above 1 MB anyway
POINTS_PER_MM = 72 / 25.4
BUG_MESSAGE = (f"internal error: this is a bug in briefgen {__version__}; the preview keeps "
               "the last good pages. Please report it with the spec and the output of "
               "briefgen preview --debug.")


@dataclass
class StoredPage:
    """A written PDF kept in memory with its images, so that every image the page shows
    comes from the build its snapshot describes, whatever is written to out/ since."""

    pdf: bytes
    facts: PdfFacts
    full: PageImage | None = None


@dataclass(frozen=True)
class ShownPage:
    """One audience's page as the preview shows it."""

    key: str  # the audience id, or "brief" for a spec without audiences
    audience_id: str | None
    name: str
    paper: str
    fit: Fit | None
    digest: str  # of the PDF's bytes: names its images
    facts: PdfFacts
    pdf: Path
    docx: Path | None
    built_at: str
    current: bool = True

    def as_json(self) -> dict[str, object]:
        facts = self.facts
        return {
            "key": self.key,
            "audience": self.audience_id,
            "name": self.name,
            "title": facts.title,
            "language": facts.language,
            "languageName": language_name(facts.language),
            "paper": self.paper or paper_name(facts.width_pt, facts.height_pt),
            "paperSize": f"{facts.width_pt / POINTS_PER_MM:.0f} × "
                         f"{facts.height_pt / POINTS_PER_MM:.0f} mm",
            "fit": fit_summary(self.fit),
            "tightened": bool(self.fit and self.fit.tightened),
            "thumbnail": {"src": f"/pages/{self.digest}/thumbnail.jpg",
                          "width": facts.thumbnail.width, "height": facts.thumbnail.height},
            "full": f"/pages/{self.digest}/full.jpg",
            "pdf": {"href": f"/files/{self.pdf.name}", "name": self.pdf.name},
            "docx": {"href": f"/files/{self.docx.name}", "name": self.docx.name}
            if self.docx else None,
            "built": True,
            "current": self.current,
            "builtAt": self.built_at,
        }


@dataclass(frozen=True)
class UnbuiltPage:
    """An audience that failed before it was ever built in this preview: a place on the
    page that says so, beside the others."""

    key: str
    audience_id: str | None
    current: bool = False
    digest: str = ""

    def as_json(self) -> dict[str, object]:
        return {"key": self.key, "audience": self.audience_id, "name": self.audience_id or "",
                "built": False, "current": False}


@dataclass(frozen=True)
class BuildSummary:
    """One build, in a line for the terminal (the preview itself shows the details)."""

    finished_at: str
    seconds: float
    built: int
    failed: int
    errors: int
    warnings: int
    bug: str = ""

    @classmethod
    def of(cls, report: Report | None, problems: list[Problem], finished_at: str,
           seconds: float, bug: str) -> BuildSummary:
        """A build's summary; a build that met a bug counts as one failure."""
        errors = sum(problem.severity == "error" for problem in problems)
        return cls(finished_at, seconds, built=len(report.built) if report else 0,
                   failed=len(report.failed) if report else 1, errors=errors,
                   warnings=len(problems) - errors, bug=bug)

    def __str__(self) -> str:
        head = f"[{self.finished_at}] "
        if self.bug:
            return head + BUG_MESSAGE
        counts = ", ".join(part for part in (_count(self.errors, "error"),
                                             _count(self.warnings, "warning")) if part)
        if not self.failed:
            return head + (f"built {_count(self.built, 'version')} in {self.seconds:.2f} s"
                           f"{f'; {counts}' if counts else ''}")
        if not self.built:
            return head + f"not built: {counts}; the preview keeps the last good pages"
        return head + (f"built {self.built} of {self.built + self.failed} versions: "
                       f"{counts}; see the preview")


@dataclass
class _Snapshot:
    pages: list[ShownPage | UnbuiltPage] = field(default_factory=list)
    state: dict[str, object] = field(default_factory=dict)


class PreviewSession:
    """Builds one spec through `run_specs`, as `build` does, and keeps the latest snapshot.

    Builds run one at a time (the first in the command, then in the watch thread); the web
    server's threads read the snapshot, its page images and its files at any time.
    """

    def __init__(self, spec_path: Path, options: BuildOptions) -> None:
        self.spec_path = spec_path
        # Every build writes: a unit skipped as unchanged would come without its fit.
        self.options = replace(options, mode="build", force=True, jobs=1, audiences=None)
        self.folder = spec_path.resolve().parent
        self.out_folder: Path | None = None  # out/<brief id>/ once known
        self.closed = False
        self._changed = threading.Condition()
        self._sequence = 0
        self._json = b"{}"
        self._snapshot = _Snapshot(state={"spec": display_path(spec_path), "pages": [],
                                          "problems": [], "building": True})
        self._stored: dict[str, StoredPage] = {}
        self._files: dict[str, Path] = {}
        with self._changed:
            self._publish()

    # -- building ------------------------------------------------------------------------

    def build(self) -> BuildSummary:
        """Build the spec, publish the new snapshot, and sum it up for the terminal.

        A bug in briefgen does not stop the preview: it is shown on the page, its traceback
        printed, and the last good pages stay.
        """
        started = time.perf_counter()
        try:
            report: Report | None = run_specs([self.spec_path], self.options)
            bug = ""
        except Exception:
            report, bug = None, traceback.format_exc()
        finished_at = time.strftime("%H:%M:%S")
        if report is None:
            pages = [replace(page, current=False) for page in self._snapshot.pages]
            problems: list[Problem] = []
        else:
            pages = self._pages_after(report, finished_at)
            problems = sorted(report.problems(), key=lambda problem: problem.severity != "error")
        summary = BuildSummary.of(report, problems, finished_at,
                                  time.perf_counter() - started, bug)
        state = self._state(report, problems, pages, summary)
        keep = {page.digest for page in (*pages, *self._snapshot.pages)}
        with self._changed:
            self._stored = {digest: stored for digest, stored in self._stored.items()
                            if digest in keep}
            self._files = {path.name: path for page in pages if isinstance(page, ShownPage)
                           for path in (page.pdf, page.docx) if path is not None}
            self._snapshot = _Snapshot(pages, state)
            self._publish()
        return summary

    def _state(self, report: Report | None, problems: list[Problem],
               pages: list[ShownPage | UnbuiltPage], summary: BuildSummary
               ) -> dict[str, object]:
        """The snapshot the page draws: the build's problems, with the lines around each,
        and its pages."""
        # A spec that cannot be read has no brief id: the last one known stays.
        brief_id = next((result.brief_id for result in report.results if result.brief_id),
                        "") if report else ""
        excerpts: dict[Path, list[str] | None] = {}
        return {
            "spec": display_path(self.spec_path),
            "brief": brief_id or str(self._snapshot.state.get("brief", "")),
            "building": False,
            "builtAt": summary.finished_at,
            "seconds": round(summary.seconds, 2),
            "errors": summary.errors,
            "warnings": summary.warnings,
            "bug": BUG_MESSAGE if summary.bug else "",
            "problems": [self._problem_entry(problem, excerpts) for problem in problems],
            "pages": [page.as_json() for page in pages],
        }

    def mark_building(self) -> None:
        """Tell the page that a save was seen and a build is under way."""
        with self._changed:
            self._snapshot.state = {**self._snapshot.state, "building": True}
            self._publish()

    def _pages_after(self, report: Report, finished_at: str) -> list[ShownPage | UnbuiltPage]:
        """The pages built now, and the last good page of each audience that failed (or of
        every audience, when the whole spec failed), marked as out of date."""
        previous = {page.key: page for page in self._snapshot.pages}
        pages: list[ShownPage | UnbuiltPage] = []
        whole_spec_failed = False
        for result in report.results:
            key = result.audience_id or "brief"
            if not result.failed and result.pdf is not None:
                shown = self._show(result, finished_at)
                if shown is not None:
                    pages.append(shown)
            elif result.audience_id is None:
                whole_spec_failed = True
            else:
                pages.append(replace(previous[key], current=False) if key in previous
                             else UnbuiltPage(key, result.audience_id))
        if whole_spec_failed:
            shown_keys = {page.key for page in pages}
            pages += [replace(page, current=False) for page in self._snapshot.pages
                      if page.key not in shown_keys]
        return pages

    def _show(self, result: UnitResult, finished_at: str) -> ShownPage | None:
        assert result.pdf is not None
        out_folder = (output_root(self.spec_path, self.options) / result.brief_id).resolve()
        self.out_folder = out_folder
        try:
            data = result.pdf.read_bytes()
        except OSError:
            return None  # removed since: the next save builds it again
        digest = hashlib.sha256(data).hexdigest()[:24]
        stored = self._stored.get(digest)
        if stored is None:
            stored = StoredPage(data, read_pdf(data))
            with self._changed:
                self._stored[digest] = stored
        return ShownPage(
            key=result.audience_id or "brief", audience_id=result.audience_id,
            name=result.audience_name or result.brief_id, paper=result.page, fit=result.fit,
            digest=digest, facts=stored.facts, pdf=result.pdf, docx=result.docx,
            built_at=finished_at)

    def _problem_entry(self, problem: Problem, files: dict[Path, list[str] | None]
                       ) -> dict[str, object]:
        entry = problem.as_json()
        entry["where"] = problem.where
        entry["key"] = problem.check_line()
        entry["excerpt"] = read_excerpt(problem.location, self.folder, files)
        return entry

    # -- what the server reads -----------------------------------------------------------

    def _publish(self) -> None:
        # Called with `_changed` held: one JSON text for every client.
        self._sequence += 1
        self._snapshot.state["sequence"] = self._sequence
        self._json = json.dumps(self._snapshot.state, ensure_ascii=False).encode("utf-8")
        self._changed.notify_all()

    def current_state(self) -> tuple[int, bytes]:
        """The sequence number and JSON of the latest snapshot."""
        with self._changed:
            return self._sequence, self._json

    def wait_for_change(self, seen: int, timeout: float) -> tuple[int, bytes] | None:
        """The latest snapshot once its sequence differs from `seen`; None after `timeout`
        seconds without a change, or when the session is closed."""
        with self._changed:
            self._changed.wait_for(lambda: self.closed or self._sequence != seen, timeout)
            if self.closed or self._sequence == seen:
                return None
            return self._sequence, self._json

    def page_image(self, digest: str, size: str) -> PageImage | None:
        """A page image of the current (or the previous) snapshot: "thumbnail" or "full"."""
        with self._changed:
            stored = self._stored.get(digest)
        if stored is None:
            return None
        if size == "thumbnail":
            return stored.facts.thumbnail
        if stored.full is None:
            stored.full = render_page(stored.pdf, FULL_DPI)
        return stored.full

    def output_file(self, name: str) -> Path | None:
        """A PDF or DOCX the current snapshot links to, by file name; only inside out/ of
        this spec (a name that is not one of them, or a file moved away, gives None)."""
        with self._changed:
            path = self._files.get(name)
        if path is None or self.out_folder is None:
            return None
        resolved = path.resolve()
        if not resolved.is_relative_to(self.out_folder) or not resolved.is_file():
            return None
        return resolved

    def close(self) -> None:
        """Wake every waiting client so that it ends."""
        with self._changed:
            self.closed = True
            self._changed.notify_all()


# ---------------------------------------------------------------------------------------------
# What is shown of a problem and of a page


def read_excerpt(location: Location | Path, folder: Path,
                 files: dict[Path, list[str] | None]) -> dict[str, object] | None:
    """The lines around a problem's line, or None when the problem has no line or its file
    lies outside `folder` (the spec's folder: nothing else is ever read for the page).

    `files` keeps the lines of each file already read during one snapshot.
    """
    if not isinstance(location, Location) or location.line < 1:
        return None
    path = location.file.resolve()  # symlinks followed: one leading out is outside
    if not path.is_relative_to(folder):
        return None
    if path not in files:
        files[path] = _read_lines(path)
    lines = files[path]
    if lines is None or location.line > len(lines) + 1:
        return None
    first = max(1, location.line - CONTEXT_LINES)
    last = min(len(lines), location.line + CONTEXT_LINES)
    return {
        "file": display_path(path),
        "line": location.line,
        "column": location.column,
        "lines": [[number, lines[number - 1][:LONGEST_LINE]]
                  for number in range(first, last + 1)],
    }


def _read_lines(path: Path) -> list[str] | None:
    try:
        if not path.is_file() or path.stat().st_size > LARGEST_FILE:
            return None
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None


def fit_summary(fit: Fit | None) -> str:
    """How much fitting the page needed, or how much room is left on it."""
    if fit is None:
        return ""
    if fit.tightened:
        return f"tightened to fit: {fit.summary()}"
    room = fit.slack / POINTS_PER_MM
    return f"{fit.summary()}; {room:.0f} mm to spare" if room >= 1 else (
        f"{fit.summary()}; no room to spare")


def language_name(tag: str) -> str:
    """A language tag's name in English ("fr-CH": "French (Switzerland)"), or ""."""
    if not tag:
        return ""
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(tag, sep="-").get_display_name("en") or "")
    except (UnknownLocaleError, ValueError, TypeError):
        return ""


def paper_name(width_pt: float, height_pt: float) -> str:
    sizes = {"A4": (595.3, 841.9), "Letter": (612.0, 792.0)}
    for name, (width, height) in sizes.items():
        if abs(width - width_pt) < 2 and abs(height - height_pt) < 2:
            return name
    return ""


def _count(number: int, noun: str) -> str:
    if not number:
        return ""
    return f"{number} {noun}{'' if number == 1 else 's'}"
