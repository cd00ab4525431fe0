"""Load a YAML spec into plain data plus the line and column of every key and value.

Why not `yaml.safe_load`: it forgets positions, silently keeps the last of two duplicate keys,
turns `no` into False and `2025-04-09` into a date before the schema has a say. Here every
scalar stays the text the user typed (only an empty value or `null`/`~` becomes None) and the
typed models decide what it means. Tags, anchors and aliases are refused: a brief never needs
them, and refusing them removes object construction and alias-expansion attacks in one go.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from briefgen.errors import Location, Problem, SpecError

FieldPath = tuple[str | int, ...]

MAX_SPEC_BYTES = 1_000_000
MAX_DEPTH = 24


@dataclass
class YamlDocument:
    """Plain data of one YAML file with where each part of it was written."""

    path: Path
    data: Any
    value_marks: dict[FieldPath, Location] = field(default_factory=dict)
    key_marks: dict[FieldPath, Location] = field(default_factory=dict)
    included: list[Path] = field(default_factory=list)  # fact files merged into this one

    def locate(self, field_path: FieldPath, *, key: bool = False) -> Location:
        """The best location for a field: itself, else its nearest written ancestor."""
        marks = self.key_marks if key else self.value_marks
        probe = tuple(field_path)
        while probe:
            if probe in marks:
                return marks[probe]
            if probe in self.value_marks:
                return self.value_marks[probe]
            probe = probe[:-1]
        return self.value_marks.get((), Location(self.path, 1, 1))


def format_field_path(field_path: FieldPath) -> str:
    """`('stats', 2, 'source')` -> `stats[2].source`."""
    text = ""
    for part in field_path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def load_yaml(path: Path) -> YamlDocument:
    """Read and parse `path`; every problem is raised as a located `SpecError`."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SpecError(Problem(path, "", "file not found")) from None
    except IsADirectoryError:
        raise SpecError(Problem(path, "", "is a folder, not a YAML spec")) from None
    except OSError as error:
        raise SpecError(Problem(path, "", f"cannot read file ({error.strerror})")) from None
    if len(raw) > MAX_SPEC_BYTES:
        raise SpecError(
            Problem(path, "", f"file is {len(raw):,} bytes; a brief spec may be at most "
                    f"{MAX_SPEC_BYTES:,} bytes")
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise SpecError(
            Problem(Location(path, line, column), "", "file is not valid UTF-8 text",
                    "save the file as UTF-8 in your editor")
        ) from None
    return parse_yaml(text, path)


def parse_yaml(text: str, path: Path) -> YamlDocument:
    """Parse YAML text that claims to come from `path`."""
    document = YamlDocument(path=path, data=None)
    if "\x00" in text:
        offset = text.index("\x00")
        raise SpecError(Problem(_location_of_offset(text, offset, path), "",
                                "file contains a NUL character", "is this a binary file?"))
    loader = _PositionLoader(text, path)
    try:
        root = loader.get_single_node()
    except _RefusedConstruct as refused:
        raise SpecError(refused.problem) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        location = (Location(path, mark.line + 1, mark.column + 1) if mark else Location(path, 1, 1))
        message = error.problem or error.context or "invalid YAML"
        raise SpecError(Problem(location, "", f"YAML syntax error: {message}",
                                _syntax_hint(message))) from None
    except yaml.YAMLError as error:
        raise SpecError(Problem(path, "", f"YAML syntax error: {error}")) from None
    finally:
        loader.dispose()
    if root is None:
        raise SpecError(Problem(Location(path, 1, 1), "", "the file is empty",
                                "start from an example such as briefs/masg-2025.yaml"))
    problems: list[Problem] = []
    document.data = _to_data(root, (), document, problems, depth=0)
    if problems:
        raise SpecError(problems)
    return document


class _RefusedConstruct(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class _PositionLoader(yaml.SafeLoader):  # type: ignore[misc]
    """A composer that refuses tags, anchors and aliases at the event where they appear."""

    def __init__(self, text: str, spec_path: Path) -> None:
        super().__init__(text)
        self.spec_path = spec_path

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _RefusedConstruct(self._problem(event, "aliases (*name) are not supported",
                                                  "write the value out in full"))
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _RefusedConstruct(self._problem(event, "anchors (&name) are not supported",
                                                  "write the value out in full"))
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            raise _RefusedConstruct(self._problem(
                event, f"YAML tags such as {tag!r} are not allowed",
                "remove the tag; write the value as plain text"))
        return super().compose_node(parent, index)

    def _problem(self, event: Any, message: str, hint: str) -> Problem:
        mark = event.start_mark
        return Problem(Location(self.spec_path, mark.line + 1, mark.column + 1), "", message, hint)


def _mark(node: yaml.Node, path: Path) -> Location:
    return Location(path, node.start_mark.line + 1, node.start_mark.column + 1)


def _to_data(node: yaml.Node, field_path: FieldPath, document: YamlDocument,
             problems: list[Problem], depth: int) -> Any:
    path = document.path
    document.value_marks[field_path] = _mark(node, path)
    if depth > MAX_DEPTH:
        problems.append(Problem(_mark(node, path), format_field_path(field_path),
                                f"nested more than {MAX_DEPTH} levels deep"))
        return None
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:null" and node.style is None:
            return None
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [
            _to_data(item, (*field_path, index), document, problems, depth + 1)
            for index, item in enumerate(node.value)
        ]
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        first_seen: dict[str, Location] = {}
        for key_node, value_node in node.value:
            key_location = _mark(key_node, path)
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:null":
                problems.append(Problem(key_location, format_field_path(field_path),
                                        "keys must be plain names"))
                continue
            key = key_node.value
            if key == "<<":
                problems.append(Problem(key_location, format_field_path(field_path),
                                        "merge keys (<<) are not supported",
                                        "write the keys out in full"))
                continue
            if key in first_seen:
                problems.append(Problem(
                    key_location, format_field_path((*field_path, key)),
                    f"duplicate key {key!r} (first written at line {first_seen[key].line})",
                    "delete one of the two"))
                continue
            first_seen[key] = key_location
            document.key_marks[(*field_path, key)] = key_location
            result[key] = _to_data(value_node, (*field_path, key), document, problems, depth + 1)
        return result
    raise AssertionError(f"unexpected YAML node {node!r}")  # pragma: no cover


def _location_of_offset(text: str, offset: int, path: Path) -> Location:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Location(path, line, column)


def _syntax_hint(message: str) -> str:
    if "tab" in message:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in message:
        return "a value containing ': ' must be put in quotes"
    if "found character" in message and "cannot start any token" in message:
        return "put the value in quotes"
    if "but found another document" in message:
        return "a spec holds one document: remove the extra '---'"
    return ""
