"""Which specs a command names, and where their files go: a project keeps its specs in
`briefs/` and its outputs in `out/` beside it."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from briefgen.engine.units import BuildOptions

SPEC_SUFFIXES = (".yaml", ".yml")
BRIEFS_FOLDER = "briefs"
OUTPUT_FOLDER = "out"


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Spec files named directly, and the brief specs directly inside named folders.

    A name that is not found here is looked for in `briefs/`, so `briefgen build
    masg-2025.yaml` in a project folder finds `briefs/masg-2025.yaml`.
    """
    specs: list[Path] = []
    for path in map(locate_spec, paths):
        specs += _specs_in(path) if path.is_dir() else [path]
    unique: dict[Path, Path] = {}
    for spec in specs:  # a spec named twice is built once
        unique.setdefault(spec.resolve(), spec)
    return list(unique.values())


def _specs_in(folder: Path) -> list[Path]:
    return sorted(child for child in folder.iterdir()
                  if child.suffix in SPEC_SUFFIXES and child.is_file()
                  and not child.name.startswith((".", "_")) and _is_brief(child))


def locate_spec(path: Path) -> Path:
    """`path` itself if it exists, else the same name in `briefs/`; a name without `.yaml`
    (a brief's id: `briefgen build masg-2025`) is tried with it, here and in `briefs/`."""
    if path.exists():
        return path
    folders = [Path()] if path.is_absolute() else [Path(), Path(BRIEFS_FOLDER)]
    names = [path] if path.suffix in SPEC_SUFFIXES else [
        path, *(path.with_name(path.name + suffix) for suffix in SPEC_SUFFIXES)]
    candidates = (folder / name for folder in folders for name in names)
    return next((candidate for candidate in candidates if candidate.exists()), path)


def _is_brief(path: Path) -> bool:
    """Whether a YAML file in a folder is a brief spec (a `brief:` key at the top level).

    Fact files and other YAML kept beside specs are passed over when building a folder.
    """
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            return any(line.startswith("brief:") for line in handle)
    except OSError:
        return True  # let the build report why it cannot be read


def project_folder(spec_path: Path) -> Path | None:
    """The folder that holds the `briefs/` folder a spec lies in, if it lies in one."""
    return next((folder.parent for folder in spec_path.resolve().parents
                 if folder.name == BRIEFS_FOLDER), None)


def output_root(spec_path: Path, options: BuildOptions) -> Path:
    """Where a spec's files go: `--out`, else `out/` in its project folder, else `./out`."""
    if options.out is not None:
        return options.out
    project = project_folder(spec_path)
    return project / OUTPUT_FOLDER if project is not None else Path(OUTPUT_FOLDER)
