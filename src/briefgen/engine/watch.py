"""Watch what briefs read (specs, fact files, logos, templates) and report each save once.

Why watchfiles: it uses each system's own change notifications (and polls where there are
none, as on some network drives), and it sees editors that save by writing a new file and
renaming it over the old one, which a loop comparing modification times misses or sees twice.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path

# Inputs a brief can depend on; outputs (PDF, DOCX, drafts, build state) never trigger a build.
WATCHED_SUFFIXES = {".yaml", ".yml", ".j2", ".png", ".jpg", ".jpeg", ".docx"}
IGNORED_FOLDERS = {"out", ".venv", "venv", ".git", ".hg", ".svn", "__pycache__",
                   "node_modules", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".hypothesis"}


def watched_folders(paths: Iterable[Path]) -> list[Path]:
    """Every folder a brief can read from: the spec's folder (fact files, logo) and the
    template folders looked in beside it and above it."""
    folders: dict[Path, None] = {}
    for path in paths:
        folder = (path if path.is_dir() else path.parent).resolve()
        for candidate in (folder, folder / "templates", folder.parent / "templates"):
            if candidate.is_dir():
                folders[candidate] = None
    # A folder inside another watched one is watched through it already.
    return [folder for folder in folders
            if not any(other != folder and folder.is_relative_to(other) for other in folders)]


def is_input(path: Path, outputs: Iterable[Path] = ()) -> bool:
    """Whether a changed file is something a brief reads (not an output, not tool clutter)."""
    if path.suffix.lower() not in WATCHED_SUFFIXES or path.name.startswith((".", "~$")):
        return False
    if IGNORED_FOLDERS.intersection(part for part in path.parts[:-1]):
        return False
    return not any(path.is_relative_to(output.resolve()) for output in outputs)


# How long watchfiles waits for a change before handing back an empty set: the first one
# tells that the system's notifications are set up (see `on_ready`).
READY_WITHIN_MS = 100


def watch_inputs(paths: Iterable[Path], on_change: Callable[[set[Path]], None], *,
                 outputs: Iterable[Path] = (), stop: threading.Event | None = None,
                 on_ready: Callable[[], None] | None = None) -> None:
    """Call `on_change` with the changed files after each save, until `stop` is set or
    Ctrl-C. Saves that come together (an editor writing several files) are reported once.

    `on_ready` is called once every save from then on will be seen: a save made before that
    (while the system's notifications are being set up) may be missed.
    """
    import watchfiles

    outputs = [output.resolve() for output in outputs]
    folders = watched_folders(paths)
    if not folders:
        return

    def wanted(_: object, name: str) -> bool:
        return is_input(Path(name), outputs)

    ready = on_ready is None
    for changes in watchfiles.watch(*folders, watch_filter=wanted, stop_event=stop,
                                    debounce=1600, step=50, raise_interrupt=True,
                                    rust_timeout=READY_WITHIN_MS, yield_on_timeout=True):
        if not ready and on_ready is not None:
            ready = True
            on_ready()
        if changes:
            on_change({Path(name) for _, name in changes})
