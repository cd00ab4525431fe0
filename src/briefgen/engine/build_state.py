"""Skipping what did not change: a digest of every input of a spec, and a state file per unit
that records it with the files its last build wrote."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen import __version__
from briefgen.engine.units import Unit
from briefgen.layout.fonts import FONT_FOLDER
from briefgen.write import OutputFile

if TYPE_CHECKING:
    from briefgen.spec.loader import YamlDocument
    from briefgen.spec.models import BriefSpec
    from briefgen.template import Template


def inputs_digest(spec_path: Path, document: YamlDocument, spec: BriefSpec,
                  template: Template) -> str:
    """Digest of everything a spec's outputs depend on: the spec, its fact files and logos,
    every file of its template (cover notes in subfolders too), the fonts and briefgen's
    version. A unit whose digest matches its last build is skipped."""
    logos = [spec_path.parent / sender.logo
             for sender in [spec.brief.from_, *(audience.from_ for audience in spec.audiences)]
             if sender is not None and sender.logo]
    digest = hashlib.sha256(f"briefgen {__version__}\n".encode())
    template_files = sorted(path for path in template.folder.rglob("*") if path.is_file())
    for path in [spec_path, *document.included, *logos, *template_files]:
        digest.update(str(path.name).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"missing")
    for font in sorted(FONT_FOLDER.iterdir()):  # large and never edited: named and sized
        digest.update(f"{font.name} {font.stat().st_size}\n".encode())
    return digest.hexdigest()[:32]


def state_path(unit: Unit) -> Path:
    return unit.out_root / unit.brief_id / f".{unit.audience_id or 'brief'}.inputs"


def state_file(unit: Unit, files: Sequence[OutputFile]) -> OutputFile:
    """The inputs' digest, then each file written with its size (see `previous_files`).

    Paths may hold bytes that are not UTF-8 (a folder named on a Linux system with another
    encoding): they are kept as they are, as Python keeps them in file names.
    """
    lines = [f"{unit.spec_digest}:{unit.audience_id}"]
    lines += [f"{len(file.data)} {file.path}" for file in files]
    return OutputFile(state_path(unit),
                      ("\n".join(lines) + "\n").encode("utf-8", "surrogateescape"))


def previous_files(unit: Unit) -> list[tuple[Path, int]] | None:
    """The unit's files from an earlier build with the same inputs, or None."""
    try:
        lines = state_path(unit).read_text(encoding="utf-8",
                                           errors="surrogateescape").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    if not lines or lines[0] != f"{unit.spec_digest}:{unit.audience_id}":
        return None
    files = [_file_as_written(line) for line in lines[1:]]
    if not files or None in files:
        return None
    return [file for file in files if file is not None]


def _file_as_written(line: str) -> tuple[Path, int] | None:
    """A state file's line `SIZE PATH`, when that file is still there at that size: one of
    another size was changed since, or left short by a system crash."""
    size, _, name = line.partition(" ")
    path = Path(name)
    try:
        if path.is_file() and path.stat().st_size == int(size):
            return path, int(size)
    except (OSError, ValueError):
        pass
    return None
