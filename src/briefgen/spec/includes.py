"""Shared fact files: `brief.include` lists YAML files of `stats`, `sources` and `charts` (and
their own `include`s) that several briefs share, so one figure is typed, dated and sourced once.

Included entries are appended to the spec's own lists; their positions still point into the
fact file, so every message names the file the entry was written in. Paths are relative to
the spec's folder and may not leave it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from briefgen.errors import Location, Problem, SpecError
from briefgen.spec.loader import FieldPath, YamlDocument, format_field_path, load_yaml

_Mark = TypeVar("_Mark")

FACT_KEYS = {"include", "stats", "sources", "charts"}
MAX_INCLUDES = 32


def load_spec(path: Path) -> YamlDocument:
    """Load a spec and merge the fact files it includes (`brief.include`)."""
    document = load_yaml(path)
    data = document.data
    if not isinstance(data, dict) or not isinstance(data.get("brief"), dict):
        return document
    includes = data["brief"].pop("include", None)
    if includes is None:
        return document
    merger = _FactMerger(document, path.resolve().parent)
    merger.merge(includes, ("brief", "include"), document, [(path.resolve(), None)])
    if merger.problems:
        raise SpecError(merger.problems)
    return document


@dataclass
class _FactMerger:
    """Merges the fact files a spec includes, and those they include, into the spec."""

    target: YamlDocument
    root: Path  # the spec's folder: no fact file may lie outside it
    loaded: dict[Path, Location] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def merge(self, includes: Any, field_path: FieldPath, source: YamlDocument,
              stack: list[tuple[Path, Location | None]]) -> None:
        """Merge the files listed at `field_path` of `source`.

        `stack` holds the chain of files being included, each with the place that included
        it, so a loop can be reported at both of its ends.
        """
        if not isinstance(includes, list) or not all(isinstance(item, str) for item in includes):
            self.problems.append(Problem(source.locate(field_path), format_field_path(field_path),
                                         "expected a list of file paths",
                                         "e.g. include: [facts/azerbaijan.yaml]", rule="include"))
            return
        for index, relative in enumerate(includes):
            if not self.include(relative, (*field_path, index), source, stack):
                return

    def include(self, relative: str, item_path: FieldPath, source: YamlDocument,
                stack: list[tuple[Path, Location | None]]) -> bool:
        """Merge one listed file, or say why not; False once too many files are included."""
        where = source.locate(item_path)
        name = format_field_path(item_path)
        resolved = _resolve_inside(relative, source.path.resolve().parent, self.root)
        if resolved is None:
            self.problems.append(Problem(where, name, f"{relative!r} is outside the brief's "
                                         "folder", "fact files must sit in the spec's folder "
                                         "or below it", rule="include"))
        elif (loop := _loop(relative, resolved, stack)) is not None:
            self.problems.append(Problem(where, name, loop, "remove one of the two includes",
                                         rule="include"))
        elif resolved in self.loaded:
            pass  # the same file reached twice adds its facts once
        elif len(self.loaded) >= MAX_INCLUDES:
            self.problems.append(Problem(where, name, f"more than {MAX_INCLUDES} fact files",
                                         rule="include"))
            return False
        else:
            self.add(resolved, relative, where, name, stack)
        return True

    def add(self, resolved: Path, relative: str, where: Location, field_name: str,
            stack: list[tuple[Path, Location | None]]) -> None:
        """Append one fact file's entries to the spec, then merge what it includes."""
        if not resolved.is_file():
            self.problems.append(Problem(where, field_name, f"fact file {relative!r} not found",
                                         "check the path: it is relative to the file that "
                                         "includes it", rule="include"))
            return
        self.loaded[resolved] = where
        self.target.included.append(resolved)
        try:
            fact = _load_fact_file(resolved)
        except SpecError as error:
            self.problems.extend(error.problems)
            return
        if not isinstance(fact.data, dict):
            self.problems.append(Problem(fact.locate(()), "", "a fact file is a mapping with "
                                         "stats: and sources:", rule="include"))
            return
        self.problems += [Problem(fact.locate((key,), key=True), key,
                                  f"unknown key {key!r} in a fact file",
                                  "a fact file holds only stats, sources, charts and include",
                                  rule="unknown-key")
                          for key in fact.data if key not in FACT_KEYS]
        for kind in ("stats", "sources", "charts"):
            _append(self.target, fact, kind, self.problems)
        if "include" in fact.data:
            self.merge(fact.data["include"], ("include",), fact, [*stack, (resolved, where)])


def _loop(relative: str, resolved: Path, stack: list[tuple[Path, Location | None]]
          ) -> str | None:
    """How including `resolved` would loop back to a file being included, if it would."""
    chain = [file for file, _ in stack]
    if resolved not in chain:
        return None
    position = chain.index(resolved)
    if position == len(chain) - 1:
        return f"{relative!r} is this file: a fact file cannot include itself"
    # The other end of the loop: where the looped-to file was included, or for the spec
    # itself, where it included the first file of the chain.
    start = stack[position][1] or stack[position + 1][1]
    return f"{relative!r} is already being included (from {start}), so this include would loop"


def _load_fact_file(path: Path) -> YamlDocument:
    """A fact file, parsed once per version: a batch of briefs often shares one."""
    status = path.stat()
    return _load_fact_file_version(path, status.st_mtime_ns, status.st_size)


@lru_cache(maxsize=64)
def _load_fact_file_version(path: Path, mtime: int, size: int) -> YamlDocument:
    del mtime, size
    return load_yaml(path)


def _append(target: YamlDocument, fact: YamlDocument, kind: str, problems: list[Problem]) -> None:
    """Append the fact file's `kind` entries to the spec's; their positions keep pointing
    into the fact file, and each keeps its own number there for messages."""
    entries = fact.data.get(kind)
    if entries is None:
        return
    if not isinstance(entries, list):
        problems.append(Problem(fact.locate((kind,)), kind, "expected a list",
                                rule="invalid-value"))
        return
    existing = target.data.setdefault(kind, [])
    if not isinstance(existing, list):
        return
    offset = len(existing)
    existing.extend(entries)
    target.local_names.update({(kind, offset + index): (kind, index)
                               for index in range(len(entries))})
    for marks_name in ("value_marks", "key_marks", "scalars", "trailing_comments"):
        getattr(target, marks_name).update(
            _shifted(getattr(fact, marks_name), kind, offset))


def _shifted(marks: dict[FieldPath, _Mark], kind: str, offset: int) -> dict[FieldPath, _Mark]:
    """The marks of the entries of `kind`, their positions moved on by `offset`."""
    return {(kind, path[1] + offset, *path[2:]): mark for path, mark in marks.items()
            if len(path) > 1 and path[0] == kind and isinstance(path[1], int)}


def _resolve_inside(relative: str, base: Path, root: Path) -> Path | None:
    candidate = Path(relative)
    if candidate.is_absolute() or ".." in candidate.parts:
        return None
    resolved = (base / candidate).resolve()
    if not resolved.is_relative_to(root):
        return None  # a symlink that leads out of the folder
    return resolved
