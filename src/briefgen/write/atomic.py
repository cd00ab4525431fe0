"""Write a brief's files atomically: all of them, or none.

Each file goes to a temporary name in the target folder and is renamed into place only after
every file of the brief has been written; a failure removes the temporaries and leaves what
was there before. A symlink at the target is replaced, never followed. A DOCX is scanned
before anything is staged (`render/docx_safety.py`): whatever feature made it, nothing that
reaches outside the file goes out.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from briefgen.errors import Problem, UserError


@dataclass(frozen=True)
class OutputFile:
    path: Path
    data: bytes


def write_atomically(files: list[OutputFile], protected: set[Path] | None = None) -> None:
    """Write every file or none; never overwrite a path in `protected` (the inputs); raise
    `BriefgenBug`, writing nothing, when a DOCX carries what `docx_safety` refuses.

    New contents are staged next to their targets first. Each existing target is then moved
    aside before its replacement is renamed in; if any rename fails, the new files are removed
    and the old ones moved back, so the folder holds either the old set or the new set.
    """
    _refuse(files, {path.resolve() for path in protected or set()})
    staged: list[tuple[Path, Path]] = []
    set_aside: list[tuple[Path, Path]] = []  # (old file moved aside, its target)
    try:
        for file in files:
            _stage(file, staged)
        _swap_in(staged, set_aside)
    except OSError as error:
        raise UserError(Problem(files[0].path.parent, "",
                                f"cannot write output ({error.strerror})")) from None
    finally:
        for leftover, _ in (*staged, *set_aside):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def _refuse(files: list[OutputFile], protected: set[Path]) -> None:
    """Refuse to overwrite an input, and to write a DOCX that reaches outside itself."""
    for file in files:
        # The folder is resolved, the name is not: a symlink at the target is replaced, so
        # where it points does not matter.
        if file.path.parent.resolve() / file.path.name in protected:
            raise UserError(Problem(file.path, "", "refusing to overwrite an input file",
                                    "choose another output folder with --out"))
        if file.path.suffix.lower() == ".docx":
            from briefgen.render.docx_safety import refuse_unsafe_docx  # lxml: 17 ms to import

            refuse_unsafe_docx(file.data, file.path)


def _stage(file: OutputFile, staged: list[tuple[Path, Path]]) -> None:
    """Write the file's contents to a temporary name beside its target, listed in `staged`
    (with its target) before anything is written to it, so that it is removed whatever
    happens."""
    folder = file.path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(Problem(folder, "", f"cannot create folder ({error.strerror})",
                                "choose another output folder with --out")) from None
    _remove_leftovers(file.path)
    descriptor, name = tempfile.mkstemp(prefix=f".{file.path.name}.", suffix=".tmp", dir=folder)
    staged.append((Path(name), file.path))
    # No fsync: outputs are rebuilt from their inputs, the renames below keep anyone from
    # seeing a part-written file, and a file a system crash left short is rebuilt because the
    # build state records each file's size.
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(file.data)
    os.chmod(name, 0o644)


def _swap_in(staged: list[tuple[Path, Path]], set_aside: list[tuple[Path, Path]]) -> None:
    """Rename each staged file over its target, the old one moved aside first; on a failure,
    put every old file back."""
    placed: list[Path] = []
    target = staged[0][1]
    try:
        for staged_path, target in staged:
            if target.exists() or target.is_symlink():
                # A symlink is moved aside itself, never followed.
                aside = target.with_name(f".{target.name}.{os.getpid()}.old")
                os.replace(target, aside)
                set_aside.append((aside, target))
            os.replace(staged_path, target)
            placed.append(target)
    except OSError as error:
        for placed_target in placed:
            with contextlib.suppress(OSError):
                placed_target.unlink()
        for aside, old_target in reversed(set_aside):
            with contextlib.suppress(OSError):
                os.replace(aside, old_target)
        set_aside.clear()
        if isinstance(error, PermissionError):
            # Windows refuses to replace a file that a program holds open.
            raise UserError(Problem(
                target, "", "cannot replace this file: it is open in another program, or "
                "read-only; this version's files were left as they were",
                f"close it (in your {_viewer(target)}) and build again")) from None
        raise


def _viewer(path: Path) -> str:
    return {".pdf": "PDF viewer", ".docx": "word processor", ".eml": "mail program"}.get(
        path.suffix, "other programs")


LEFTOVER_AGE_SECONDS = 15 * 60


def _remove_leftovers(target: Path) -> None:
    """Delete temporaries that a killed build left next to `target`.

    Only old ones: a recent one may belong to another build of the same brief running now.
    """
    now = time.time()
    for pattern in (f".{target.name}.*.tmp", f".{target.name}.*.old"):
        for leftover in target.parent.glob(pattern):
            with contextlib.suppress(OSError):
                if now - leftover.lstat().st_mtime > LEFTOVER_AGE_SECONDS:
                    leftover.unlink()
