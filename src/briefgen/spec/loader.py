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
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from briefgen.errors import Location, Problem, SpecError
from briefgen.spec.yaml_syntax import syntax_problem

FieldPath = tuple[str | int, ...]

MAX_SPEC_BYTES = 1_000_000
MAX_DEPTH = 24


class ScalarMark(NamedTuple):
    """Where a scalar value was typed: its file's text, its span there and its YAML style.

    `style` is "" (plain), "'" or '"' (quoted), "|" (literal block) or ">" (folded block).
    A tuple: one is made for every value of every spec, and tuples are cheap to make.
    """

    file: Path
    text: str  # the whole file, shared by every mark of that file
    start: int  # offset of the scalar's first character (its quote or block indicator)
    end: int
    style: str

    def locate(self, nonspace_index: int, expected: str = "") -> Location | None:
        """Where the value's character after `nonspace_index` non-space characters was typed.

        Counting only non-space characters makes the answer independent of how YAML folded
        lines and how the text was trimmed and its spaces collapsed afterwards. None when the
        typed text does not map one to one onto the value (escapes in double quotes, text
        that Unicode normalisation changed), or when the text found there is not `expected`.
        """
        content_start = self._content_start()
        if content_start is None:
            return None
        content_end = self.end - 1 if self.style in {"'", '"'} else self.end
        content = self.text[content_start:content_end]
        if self.style == '"' and "\\" in content:
            return None
        if not content.isascii() and not unicodedata.is_normalized("NFC", content):
            return None
        index = self._index_of_nonspace(content, nonspace_index)
        if index is None:
            return None
        wanted = "".join(expected.split())
        found = "".join(content[index:].split())[:len(wanted)] if wanted else ""
        if found != wanted:
            return None
        return _location_of_offset(self.text, content_start + index, self.file)

    def _content_start(self) -> int | None:
        """Where the value's own text starts: after its quote, or on the line after a block
        scalar's indicator (which may hold a comment)."""
        if self.style in {"'", '"'}:
            return self.start + 1
        if self.style in {"|", ">"}:
            header_end = self.text.find("\n", self.start, self.end)
            return header_end + 1 if header_end >= 0 else None
        return self.start

    def _index_of_nonspace(self, content: str, nonspace_index: int) -> int | None:
        """The index in `content` of its non-space character number `nonspace_index`; in
        single quotes, a quote typed twice counts once, as the value holds it once."""
        seen = 0
        index = 0
        while index < len(content):
            if not content[index].isspace():
                if seen == nonspace_index:
                    return index
                seen += 1
                if self.style == "'" and content.startswith("''", index):
                    index += 1
            index += 1
        return None


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
    # Text values: where and how each was typed, to point at a place inside it.
    scalars: dict[FieldPath, ScalarMark] = field(default_factory=dict)

    def describe(self, field_path: FieldPath) -> str:
        """`stats 'mines'.source` for stats and sources with an id, else `asks[2].detail`.

        An entry without a usable id is counted within the file it was written in.
        """
        head = tuple(field_path[:2])
        if len(head) == 2 and head[0] in ENTRIES_WITH_IDS and isinstance(head[1], int):
            entry_id = self._entry_id(str(head[0]), head[1])
            if entry_id is not None:
                return f"{head[0]} {entry_id!r}" + "".join(
                    f"[{part}]" if isinstance(part, int) else f".{part}"
                    for part in field_path[2:])
        local = self.local_names.get(head)
        if local is not None:
            field_path = (*local, *field_path[2:])
        return format_field_path(field_path)

    def _entry_id(self, kind: str, index: int) -> str | None:
        entries = self.data.get(kind) if isinstance(self.data, dict) else None
        if not isinstance(entries, list) or index >= len(entries):
            return None
        entry = entries[index]
        entry_id = entry.get("id") if isinstance(entry, dict) else None
        if isinstance(entry_id, str) and _ID.fullmatch(entry_id):
            return entry_id
        return None

    def locate_inside(self, field_path: FieldPath, nonspace_index: int,
                      expected: str = "") -> Location:
        """Where a part of a text value was typed: `nonspace_index` counts the non-space
        characters of the value before it. Falls back to the value's start when the typed
        text does not map onto the value one to one (see `ScalarMark.locate`)."""
        mark = self.scalars.get(tuple(field_path))
        found = mark.locate(nonspace_index, expected) if mark is not None else None
        return found or self.locate(field_path)

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


# Lists whose entries have ids: messages name an entry by its id (`stats 'mines'`).
ENTRIES_WITH_IDS = ("stats", "sources", "charts")
# What an id looks like (a brief's, an audience's, a figure's, a source's): `masg-2025`.
ID_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_ID = re.compile(ID_PATTERN)


def value_at(data: Any, path: Iterable[str | int]) -> Any:
    """The value at `path` in plain YAML data, or None where the path leads nowhere."""
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


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
    builder = _DocumentBuilder(document, problems, text)
    try:
        for event in yaml.parse(text, Loader=_EVENT_LOADER):
            builder.feed(event)
    except _Refused as refused:
        raise SpecError(refused.problem) from None
    except yaml.MarkedYAMLError as error:
        raise SpecError(syntax_problem(error, text, path)) from None
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
# Plain scalars YAML reads as null; every other scalar stays the text typed.
NULL_SCALARS = frozenset({"", "~", "null", "Null", "NULL"})


def _scalar_value(event: yaml.ScalarEvent) -> str | None:
    """The text typed, in one Unicode normal form (so the PDF and the DOCX carry the same
    characters); None for an empty value, `null` or `~`."""
    value: str = event.value
    # libyaml reports a plain scalar's style as "", PyYAML's parser as None.
    if not event.style and event.implicit[0] and value in NULL_SCALARS:
        return None
    return value if value.isascii() else unicodedata.normalize("NFC", value)


class _Refused(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class _DocumentBuilder:
    """Builds plain data from parser events, recording where every key and value starts.

    Working from events rather than composed nodes lets the C parser do the parsing, and
    refuses tags, anchors and aliases before anything is built from them.
    """

    def __init__(self, document: YamlDocument, problems: list[Problem], text: str) -> None:
        self.document = document
        self.problems = problems
        self.text = text
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
        match event:
            case yaml.DocumentStartEvent():
                self.start_document(event)
            case yaml.AliasEvent():
                raise self.refuse(event, "aliases (*name) are not supported",
                                  "write the value out in full; a text that starts with '*' "
                                  "goes in quotes")
            case yaml.ScalarEvent():
                self.refuse_anchor_and_tag(event)
                self.add_scalar(event)
            case yaml.MappingStartEvent() | yaml.SequenceStartEvent():
                self.refuse_anchor_and_tag(event)
                self.open_container(event)
            case yaml.MappingEndEvent() | yaml.SequenceEndEvent():
                self.stack.pop()

    def start_document(self, event: yaml.DocumentStartEvent) -> None:
        if self.has_document:
            raise self.refuse(event, "the file holds more than one YAML document",
                              "a spec holds one document: remove the extra '---'")
        self.has_document = True

    def refuse_anchor_and_tag(self, event: yaml.NodeEvent) -> None:
        if event.anchor is not None:
            raise self.refuse(event, "anchors (&name) are not supported",
                              "write the value out in full")
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            raise self.refuse(event, f"YAML tags such as {tag!r} are not allowed",
                              "remove the tag; write the value as plain text, in quotes if it "
                              "starts with '!'")

    def open_container(self, event: yaml.CollectionStartEvent) -> None:
        container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
        path = self.add(container, event)
        if len(self.stack) >= MAX_DEPTH:
            raise self.refuse(event, f"nested more than {MAX_DEPTH} levels deep",
                              "a brief spec needs only a few levels")
        if path is None:
            raise self.refuse(event, "keys must be plain names",
                              "write the key as a word followed by a colon")
        self.stack.append((container, path, []))

    def add_scalar(self, event: yaml.ScalarEvent) -> None:
        """Place a scalar; note how a text was typed, a comment YAML cut off after it, and
        a character that may not be in a brief (in keys too)."""
        value = _scalar_value(event)
        path = self.add(value, event)
        start, end = event.start_mark, event.end_mark
        if path is not None and value is not None and start and end:
            self.document.scalars[path] = ScalarMark(self.document.path, self.text,
                                                     start.index, end.index, event.style or "")
        if self.lines and not event.style and path is not None and end is not None:
            self.note_trailing_comment(path, end)
        if value and (unsafe := unsafe_character(value)) is not None:
            self.problems.append(Problem(
                self.location(event), format_field_path(path) if path is not None else "",
                f"contains {describe_character(unsafe)}, which cannot be printed",
                "delete it; it usually arrives invisibly when text is pasted", rule="text"))

    def note_trailing_comment(self, path: FieldPath, end: Any) -> None:
        """An unquoted value followed by `  # ...` on its line: YAML drops that part."""
        rest = self.lines[end.line][end.column:] if end.line < len(self.lines) else ""
        if re.match(r"\s+#", rest):
            self.document.trailing_comments[path] = Location(
                self.document.path, end.line + 1, end.column + rest.index("#") + 1)

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


def _location_of_offset(text: str, offset: int, path: Path) -> Location:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Location(path, line, column)
