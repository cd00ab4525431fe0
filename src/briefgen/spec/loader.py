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
        content_start, content_end = self.start, self.end
        if self.style in {"'", '"'}:
            content_start, content_end = self.start + 1, self.end - 1
        elif self.style in {"|", ">"}:
            header_end = self.text.find("\n", self.start, self.end)
            if header_end < 0:
                return None
            content_start = header_end + 1  # the indicator line may hold a comment
        content = self.text[content_start:content_end]
        if self.style == '"' and "\\" in content:
            return None
        if not content.isascii() and not unicodedata.is_normalized("NFC", content):
            return None
        seen = 0
        index = 0
        while index < len(content):
            char = content[index]
            if not char.isspace():
                if seen == nonspace_index:
                    break
                seen += 1
                if self.style == "'" and content.startswith("''", index):
                    index += 1  # one quote in the value, two in the file
            index += 1
        else:
            return None
        wanted = "".join(expected.split())
        found = "".join(content[index:].split())[:len(wanted)] if wanted else ""
        if found != wanted:
            return None
        return _location_of_offset(self.text, content_start + index, self.file)


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
        if isinstance(entry_id, str) and _SLUG.fullmatch(entry_id):
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
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


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
    builder = _Builder(document, problems, text)
    try:
        for event in yaml.parse(text, Loader=_EVENT_LOADER):
            builder.feed(event)
    except _Refused as refused:
        raise SpecError(refused.problem) from None
    except yaml.MarkedYAMLError as error:
        raise SpecError(_syntax_problem(error, text, path)) from None
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
        if isinstance(event, yaml.DocumentStartEvent):
            if self.has_document:
                raise self.refuse(event, "the file holds more than one YAML document",
                                  "a spec holds one document: remove the extra '---'")
            self.has_document = True
            return
        if isinstance(event, yaml.AliasEvent):
            raise self.refuse(event, "aliases (*name) are not supported",
                              "write the value out in full; a text that starts with '*' "
                              "goes in quotes")
        if isinstance(event, yaml.NodeEvent):
            if event.anchor is not None:
                raise self.refuse(event, "anchors (&name) are not supported",
                                  "write the value out in full")
            tag = getattr(event, "tag", None)
            if tag is not None and tag != "!":
                raise self.refuse(event, f"YAML tags such as {tag!r} are not allowed",
                                  "remove the tag; write the value as plain text, in quotes "
                                  "if it starts with '!'")
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
            start = event.start_mark
            if path is not None and isinstance(value, str) and start and end:
                self.document.scalars[path] = ScalarMark(
                    self.document.path, self.text, start.index, end.index,
                    event.style or "")
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


def _syntax_problem(error: yaml.MarkedYAMLError, text: str, path: Path) -> Problem:
    """A YAML syntax error in words for people who do not know YAML's terms.

    libyaml's wording (and the pure-Python parser's, which is close) names parser states
    ("block mapping", "simple key"); each common one is matched by its text and said again in
    terms of what the user typed: lines, keys, colons, quotes, list items starting with '- '.
    """
    problem = error.problem or ""
    context = error.context or ""
    mark = error.problem_mark or error.context_mark
    context_mark = error.context_mark or mark

    def at(where: Any) -> Location:
        if where is None:
            return Location(path, 1, 1)
        return Location(path, where.line + 1, where.column + 1)

    def found(message: str, hint: str, where: Any = mark) -> Problem:
        return Problem(at(where), "", message, hint, rule="yaml")

    offending = _character_at(text, mark.line, mark.column) if mark else ""
    line = _line_at(text, mark.line) if mark else ""
    before = line[: mark.column] if mark else ""
    if offending == "\t" or "tab" in problem:
        return found("this line is indented with a tab; a spec is indented with spaces only",
                     "replace the tab with spaces")
    if "cannot start any token" in problem:
        first = _first_of_value(before + offending)
        if first == "[":
            return found("a text cannot start with '[' unless it is in quotes: the line reads as "
                         "a list", 'put the whole text in quotes, e.g. summary: "[@figure] '
                         'people ..."')
        return found(f"a text cannot start with {offending!r} unless it is in quotes",
                     f'put the whole text in quotes, e.g. "{offending}..."')
    if "while scanning an alias" in context or "while scanning an anchor" in context:
        sign = "*" if "alias" in context else "&"
        example = "*Urgent*: ..." if sign == "*" else "& ..."
        return found(f"a text cannot start with '{sign}' unless it is in quotes",
                     f'put the whole text in quotes, e.g. summary: "{example}"', context_mark)
    if "while scanning a quoted scalar" in context:
        return found("this quotation mark is never closed",
                     "add the closing quotation mark at the end of the text", context_mark)
    if "while parsing a quoted scalar" in context or "escape" in problem:
        return found("a backslash (\\) inside double quotes starts a special code, and this one "
                     "is not known", "write \\\\ for a backslash, or use single quotes "
                     "instead of double quotes", context_mark)
    if "mapping values are not allowed" in problem:
        key = re.match(r"\s*(?:-\s+)?([^:#]+):\s+\S", before)
        if key:
            return found(f"the text after '{key.group(1).strip()}:' contains ': ', which marks a "
                         "new key", f"put the whole text in quotes, e.g. {key.group(1).strip()}: "
                         '"... : ..."')
        return found("this line does not line up with the keys above it, or the line above "
                     "lacks its ':'", "keys of one group start in the same column, and each "
                     "key is followed by ': '")
    if "could not find expected ':'" in problem:
        return found("this line has no ':' after its key",
                     "write the key, a colon and a space, then the value, e.g. title: ...",
                     context_mark)
    if "did not find expected '-' indicator" in problem:
        return found("a list item was expected here: lines of a list start with '- '",
                     "start a new item with '- ', or indent this line to line up with the keys "
                     "of the item above")
    if "block sequence entries are not allowed" in problem:
        return found("a list cannot start on the same line as its key",
                     "start the list on the next line, each item on its own line after '- '")
    if "while parsing a flow" in context:
        opening, closing = ("[", "]") if "sequence" in context else ("{", "}")
        return found(f"the '{opening}' here is never closed with '{closing}'",
                     f"close it with '{closing}', or put a text that starts with '{opening}' "
                     "in quotes", context_mark)
    if "did not find expected key" in problem:
        if line.lstrip().startswith("- "):
            return found("a list item ('- ') is mixed in with keys",
                         "a group holds either keys or list items: indent the list under its "
                         "own key")
        if re.match(r"\s*(?:-\s+)?[^:#]+:\s+[\"'{\[]", before):
            return found("text follows the closing quotation mark or bracket on this line",
                         "put the whole text in one pair of quotes")
        return found("this line does not line up with the keys of its group",
                     "keys of one group start in the same column")
    if "directive" in context:
        return found("a line cannot start with '%' unless it is in quotes",
                     "put the text in quotes", context_mark)
    if "but found another document" in problem or "document start" in problem:
        return found("the file holds more than one YAML document",
                     "a spec holds one document: remove the extra '---' or '...'")
    return found(f"the file cannot be read here ({problem or context or 'invalid YAML'})",
                 "check this line's indentation and quotes against the lines above")


def _line_at(text: str, line: int) -> str:
    lines = text.split("\n")
    return lines[line] if line < len(lines) else ""


def _first_of_value(text: str) -> str:
    """The first character of the value being typed on a line such as `key: value`."""
    match = re.match(r"\s*(?:-\s+)?(?:[^:#\s][^:#]*:\s+)?(\S)", text)
    return match.group(1) if match else ""
