"""Load a YAML spec into plain data plus the line and column of every key and value.

Why not `yaml.safe_load`: it forgets positions, silently keeps the last of two duplicate keys,
turns `no` into False and `2025-04-09` into a date before the schema has a say. Here every
scalar stays the text the user typed (only an empty value or `null`/`~` becomes None) and the
typed models decide what it means. Tags, anchors and aliases are refused: a brief never needs
them, and refusing them removes object construction and alias-expansion attacks in one go.
"""

from __future__ import annotations

import re
import unicodedata
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
    # Entries merged from fact files: ("stats", 7) -> ("stats", 0), their index in their file.
    local_names: dict[FieldPath, FieldPath] = field(default_factory=dict)
    # Unquoted values followed by `# ...` on their line: YAML drops that part as a comment.
    trailing_comments: dict[FieldPath, Location] = field(default_factory=dict)

    def describe(self, field_path: FieldPath) -> str:
        """`stats[2].source`, counted within the file the entry was written in."""
        local = self.local_names.get(tuple(field_path[:2]))
        if local is not None:
            field_path = (*local, *field_path[2:])
        return format_field_path(field_path)

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
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        # Columns count characters, as editors do, not bytes.
        column = len(raw[line_start : error.start].decode("utf-8", errors="replace")) + 1
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
                                "file contains a NUL character", "is this a binary file?",
                                rule="yaml"))
    problems: list[Problem] = []
    builder = _Builder(document, problems, text)
    try:
        for event in yaml.parse(text, Loader=_EVENT_LOADER):
            builder.feed(event)
    except _Refused as refused:
        raise SpecError(refused.problem) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        location = (Location(path, mark.line + 1, mark.column + 1) if mark
                    else Location(path, 1, 1))
        message = error.problem or error.context or "invalid YAML"
        offending = _character_at(text, mark.line, mark.column) if mark else ""
        hint = ("indent with spaces, not tabs" if offending == "\t" else _syntax_hint(message))
        raise SpecError(Problem(location, "", f"YAML syntax error: {message}", hint,
                                rule="yaml")) from None
    except yaml.reader.ReaderError as error:
        char = chr(error.character) if isinstance(error.character, int) else str(error.character)
        raise SpecError(Problem(
            _location_of_offset(text, error.position, path), "",
            f"contains {describe_character(char)}, which cannot be printed",
            "delete it; it usually arrives invisibly when text is pasted", rule="text")) from None
    except yaml.YAMLError as error:
        raise SpecError(Problem(path, "", f"YAML syntax error: {error}", rule="yaml")) from None
    if not builder.has_document or (builder.root is None and not document.value_marks):
        raise SpecError(Problem(Location(path, 1, 1), "", "the file is empty",
                                "start from an example such as briefs/masg-2025.yaml",
                                rule="yaml"))
    if problems:
        raise SpecError(problems)
    document.data = builder.root
    return document


# libyaml's C parser when PyYAML has it (20x faster), the pure-Python one otherwise.
_EVENT_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULLS = {"", "~", "null", "Null", "NULL"}


class _Refused(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class _Builder:
    """Builds plain data from parser events, recording where every key and value starts.

    Working from events rather than composed nodes lets the C parser do the parsing, and
    refuses tags, anchors and aliases before anything is built from them.
    """

    def __init__(self, document: YamlDocument, problems: list[Problem], text: str) -> None:
        self.document = document
        self.problems = problems
        self.lines = text.split("\n") if "#" in text else []
        self.root: Any = None
        self.has_document = False
        # Each open container: (container, its field path, the pending mapping key if any).
        self.stack: list[tuple[Any, FieldPath, list[tuple[str, Location]]]] = []

    def location(self, event: Any) -> Location:
        mark = event.start_mark
        return Location(self.document.path, mark.line + 1, mark.column + 1)

    def refuse(self, event: Any, message: str, hint: str) -> _Refused:
        return _Refused(Problem(self.location(event), "", message, hint, rule="yaml"))

    def feed(self, event: Any) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            if self.has_document:
                raise self.refuse(event, "the file holds more than one YAML document",
                                  "a spec holds one document: remove the extra '---'")
            self.has_document = True
            return
        if isinstance(event, yaml.AliasEvent):
            raise self.refuse(event, "aliases (*name) are not supported",
                              "write the value out in full")
        if isinstance(event, yaml.NodeEvent):
            if event.anchor is not None:
                raise self.refuse(event, "anchors (&name) are not supported",
                                  "write the value out in full")
            tag = getattr(event, "tag", None)
            if tag is not None and tag != "!":
                raise self.refuse(event, f"YAML tags such as {tag!r} are not allowed",
                                  "remove the tag; write the value as plain text")
        if isinstance(event, yaml.ScalarEvent):
            value: Any = event.value
            # libyaml reports a plain scalar's style as "", PyYAML's parser as None.
            if not event.style and event.implicit[0] and value in _NULLS:
                value = None
            elif not value.isascii():
                # One normal form, so the PDF and the DOCX carry the same characters.
                value = unicodedata.normalize("NFC", value)
            path = self.add(value, event)
            end = event.end_mark
            if self.lines and not event.style and path is not None and end is not None:
                rest = self.lines[end.line][end.column:] if end.line < len(self.lines) else ""
                if re.match(r"\s+#", rest):
                    self.document.trailing_comments[path] = Location(
                        self.document.path, end.line + 1, end.column + rest.index("#") + 1)
            if value and (unsafe := unsafe_character(value)) is not None:
                where = format_field_path(path) if path is not None else ""
                self.problems.append(Problem(
                    self.location(event), where,
                    f"contains {describe_character(unsafe)}, which cannot be printed",
                    "delete it; it usually arrives invisibly when text is pasted",
                    rule="text"))
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
            path = self.add(container, event)
            if len(self.stack) >= MAX_DEPTH:
                raise self.refuse(event, f"nested more than {MAX_DEPTH} levels deep",
                                  "a brief spec needs only a few levels")
            if path is None:
                raise self.refuse(event, "keys must be plain names",
                                  "write the key as a word followed by a colon")
            self.stack.append((container, path, []))
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            self.stack.pop()

    def add(self, value: Any, event: Any) -> FieldPath | None:
        """Place a value in the open container; returns its path (None when it is a key)."""
        location = self.location(event)
        if not self.stack:
            self.root = value
            self.document.value_marks[()] = location
            return ()
        container, path, pending = self.stack[-1]
        if isinstance(container, list):
            child_path: FieldPath = (*path, len(container))
            container.append(value)
            self.document.value_marks[child_path] = location
            return child_path
        if not pending:  # this event is a key
            if not isinstance(value, str):
                raise self.refuse(event, "keys must be plain names",
                                  "write the key as a word followed by a colon")
            pending.append((value, location))
            return None
        key, key_location = pending.pop()
        child_path = (*path, key)
        if key == "<<":
            self.problems.append(Problem(key_location, format_field_path(path),
                                         "merge keys (<<) are not supported",
                                         "write the keys out in full", rule="yaml"))
        elif key in container:
            first = self.document.key_marks[child_path]
            self.problems.append(Problem(
                key_location, format_field_path(child_path),
                f"duplicate key {key!r} (first written at line {first.line})",
                "delete one of the two", rule="yaml"))
        else:
            container[key] = value
            self.document.key_marks[child_path] = key_location
            self.document.value_marks[child_path] = location
        return child_path


# Characters that are invisible, reorder text, or cannot be stored in a DOCX: an error, never
# silently dropped. Line breaks and tabs are white space in a spec and are allowed.
_BIDI_CONTROLS = set("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"
                     "\u2066\u2067\u2068\u2069")


_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
                     + "".join(sorted(_BIDI_CONTROLS)) + "]")


def unsafe_character(text: str) -> str | None:
    """The first character of `text` that may not appear in a brief, if any."""
    found = _UNSAFE.search(text)
    return found.group() if found else None


def describe_character(char: str) -> str:
    name = unicodedata.name(char, "")
    if 0xD800 <= ord(char) <= 0xDFFF:
        name = "a lone surrogate"
    elif char in _BIDI_CONTROLS:
        name = f"the text-direction control {name or 'character'}".strip()
    elif not name:
        name = "a control character"
    return f"U+{ord(char):04X} ({name})"


def _character_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    if line < len(lines) and column < len(lines[line]):
        return lines[line][column]
    return ""


def _location_of_offset(text: str, offset: int, path: Path) -> Location:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Location(path, line, column)


def _syntax_hint(message: str) -> str:
    if "tab" in message:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in message:
        return ("check this line's indentation against the lines above; or, if the value "
                "contains ': ', put it in quotes")
    if "did not find expected" in message:
        return ("check the indentation: keys of the same group start in the same column, "
                "and list items with '- ' line up")
    if "found character" in message and "cannot start any token" in message:
        return "put the value in quotes"
    if "but found another document" in message:
        return "a spec holds one document: remove the extra '---'"
    return ""
