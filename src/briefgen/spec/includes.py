"""Shared fact files: `brief.include` lists YAML files of `stats`, `sources` and `charts` (and
their own `include`s) that several briefs share, so one figure is typed, dated and sourced once.

Included entries are appended to the spec's own lists; their positions still point into the
fact file, so every message names the file the entry was written in. Paths are relative to
the spec's folder and may not leave it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from briefgen.errors import Location, Problem, SpecError
from briefgen.spec.loader import FieldPath, YamlDocument, format_field_path, load_yaml

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
    root = path.resolve().parent
    loaded: dict[Path, Location] = {}
    problems: list[Problem] = []
    _merge_includes(document, includes, ("brief", "include"), document, root,
                    [(path.resolve(), None)], loaded, problems)
    if problems:
        raise SpecError(problems)
    return document


def _merge_includes(target: YamlDocument, includes: Any, field_path: FieldPath,
                    source: YamlDocument, root: Path, stack: list[tuple[Path, Location | None]],
                    loaded: dict[Path, Location], problems: list[Problem]) -> None:
    """Merge the files listed at `field_path` of `source`.

    `stack` holds the chain of files being included, each with the place that included it,
    so a loop can be reported at both of its ends.
    """
    if not isinstance(includes, list) or not all(isinstance(item, str) for item in includes):
        problems.append(Problem(source.locate(field_path), format_field_path(field_path),
                                "expected a list of file paths",
                                "e.g. include: [facts/azerbaijan.yaml]", rule="include"))
        return
    for index, relative in enumerate(includes):
        item_path: FieldPath = (*field_path, index)
        where = source.locate(item_path)
        resolved = _resolve_inside(relative, source.path.resolve().parent, root)
        if resolved is None:
            problems.append(Problem(where, format_field_path(item_path),
                                    f"{relative!r} is outside the brief's folder",
                                    "fact files must sit in the spec's folder or below it",
                                    rule="include"))
            continue
        chain = [file for file, _ in stack]
        if resolved in chain:
            position = chain.index(resolved)
            if position == len(chain) - 1:
                message = f"{relative!r} is this file: a fact file cannot include itself"
            else:
                # The other end of the loop: where the looped-to file was included, or for
                # the spec itself, where it included the first file of the chain.
                start = stack[position][1] or stack[position + 1][1]
                message = (f"{relative!r} is already being included (from {start}), so this "
                           "include would loop")
            problems.append(Problem(where, format_field_path(item_path), message,
                                    "remove one of the two includes", rule="include"))
            continue
        if resolved in loaded:
            continue  # the same file reached twice adds its facts once
        if len(loaded) >= MAX_INCLUDES:
            problems.append(Problem(where, format_field_path(item_path),
                                    f"more than {MAX_INCLUDES} fact files", rule="include"))
            return
        if not resolved.is_file():
            problems.append(Problem(where, format_field_path(item_path),
                                    f"fact file {relative!r} not found",
                                    "check the path: it is relative to the file that includes it",
                                    rule="include"))
            continue
        loaded[resolved] = where
        target.included.append(resolved)
        try:
            fact = _load_fact_file(resolved)
        except SpecError as error:
            problems.extend(error.problems)
            continue
        if not isinstance(fact.data, dict):
            problems.append(Problem(fact.locate(()), "", "a fact file is a mapping with "
                                    "stats: and sources:", rule="include"))
            continue
        for key in fact.data:
            if key not in FACT_KEYS:
                problems.append(Problem(fact.locate((key,), key=True), key,
                                        f"unknown key {key!r} in a fact file",
                                        "a fact file holds only stats, sources, charts and include",
                                        rule="unknown-key"))
        for kind in ("stats", "sources", "charts"):
            _append(target, fact, kind, problems)
        if "include" in fact.data:
            _merge_includes(target, fact.data["include"], ("include",), fact, root,
                            [*stack, (resolved, where)], loaded, problems)


def _load_fact_file(path: Path) -> YamlDocument:
    """A fact file, parsed once per version: a batch of briefs often shares one."""
    status = path.stat()
    return _load_fact_file_version(path, status.st_mtime_ns, status.st_size)


@lru_cache(maxsize=64)
def _load_fact_file_version(path: Path, mtime: int, size: int) -> YamlDocument:
    del mtime, size
    return load_yaml(path)


def _append(target: YamlDocument, fact: YamlDocument, kind: str, problems: list[Problem]) -> None:
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
    for index in range(len(entries)):
        target.local_names[(kind, offset + index)] = (kind, index)
    for marks_name in ("value_marks", "key_marks", "scalars", "trailing_comments"):
        source_marks = getattr(fact, marks_name)
        target_marks = getattr(target, marks_name)
        for path, location in source_marks.items():
            if path and path[0] == kind and len(path) > 1 and isinstance(path[1], int):
                target_marks[(kind, path[1] + offset, *path[2:])] = location


def _resolve_inside(relative: str, base: Path, root: Path) -> Path | None:
    candidate = Path(relative)
    if candidate.is_absolute() or ".." in candidate.parts:
        return None
    resolved = (base / candidate).resolve()
    if not resolved.is_relative_to(root):
        return None  # a symlink that leads out of the folder
    return resolved
