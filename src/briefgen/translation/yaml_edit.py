"""Write translations into a spec or fact file, changing nothing else in it.

Each translation is spliced into the file's text at the place YAML's own parser reports, in
the style of its neighbours: a new line `fr: ...` under `en: ...` in a block mapping, `, fr:
...` in a flow mapping `{en: ..., ru: ...}`, a folded block (`>-`) where the source text is
one, wrapped at the source's width. A plain string becomes a mapping: its text moves, exactly
as typed (quotes, folding, trailing comment), under the source language's key, and a copy of
it goes under each language whose version printed it as written. Every other
byte stays as it was: comments, blank lines, key order, quoting, indentation, CRLF line
endings, a byte-order mark. The result is then read back with briefgen's strict loader and
must hold exactly the old data plus the translations, or nothing is written.

Why not ruamel.yaml's round trip, the usual tool for this: measured on small specs, it
re-indents a whole file whose indentation differs from its single setting (`brief:` keys at
4 spaces, sequences flush with their key), joins multi-line plain scalars, drops an explicit
`---` and a byte-order mark, writes LF into CRLF files, and keeps a comment that follows a
mapping's last entry attached to that entry, so a key added after it lands below the
comment that introduces the next section. Splicing at parser positions keeps all of that by
construction; the read-back check guards what remains.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from briefgen.errors import SpecError
from briefgen.spec.loader import NULL_SCALARS, FieldPath, format_field_path, parse_yaml, value_at


@dataclass(frozen=True)
class TextChange:
    """A translation to write: `path` is the field within its file, `language` the key for
    the translation. A field holding a plain string becomes a mapping whose `source_key`
    holds the string, as do the `copies` keys: the languages that printed it as written, and
    go on printing it. With `language` "" the text replaces a plain string itself (a text
    edited in its own language)."""

    path: FieldPath
    language: str
    text: str
    source_key: str | None = None
    copies: tuple[str, ...] = ()


class UnwritableChange(Exception):
    """A translation that cannot be spliced in without changing other text."""

    def __init__(self, path: FieldPath, reason: str) -> None:
        super().__init__(f"{format_field_path(path)}: {reason}")
        self.path = path
        self.reason = reason


def write_translations(text: str, file: Path, changes: list[TextChange]) -> str:
    """`text` (a YAML file without its byte-order mark) with the translations written in.

    Raises `UnwritableChange` when the result would not read back as the old data plus the
    translations.
    """
    if not changes:
        return text
    editor = _Editor(text)
    for change in changes:
        editor.plan(change)
    new_text = editor.apply()
    _check_result(text, new_text, file, changes)
    return new_text


@dataclass(frozen=True)
class _Splice:
    start: int
    end: int
    text: str
    column: int  # indentation of an inserted key: at one offset, deeper entries come first


class _Editor:
    def __init__(self, text: str) -> None:
        self.text = text
        self.newline = "\r\n" if "\r\n" in text else "\n"
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        if root is None:
            raise UnwritableChange((), "the file is empty")
        self.root: yaml.Node = root
        self.step = _indent_step(self.root)
        self.splices: list[_Splice] = []

    def apply(self) -> str:
        text = self.text
        for splice in sorted(self.splices, key=lambda item: (item.start, -item.column),
                             reverse=True):
            text = text[: splice.start] + splice.text + text[splice.end :]
        return text

    def plan(self, change: TextChange) -> None:
        """Splices that write `change` in, checked only when applied (see `_check_result`)."""
        parent = self._node_at(change.path[:-1], change.path)
        name = change.path[-1]
        if isinstance(parent, yaml.SequenceNode) and isinstance(name, int):
            self._plan_item(parent, name, change)
            return
        if not isinstance(parent, yaml.MappingNode) or not isinstance(name, str):
            raise UnwritableChange(change.path, "its place in the file is not a mapping")
        entry = next(((key, value) for key, value in parent.value if key.value == name), None)
        if entry is None:
            self._add_entry(parent, name, {change.language: change.text}, change)
        else:
            self._plan_value(parent, *entry, change)

    def _plan_value(self, parent: yaml.MappingNode, key_node: yaml.Node, value: yaml.Node,
                    change: TextChange) -> None:
        """A translation of a field the file has: texts per language, an empty value, or
        a text written once."""
        if not change.language and isinstance(value, yaml.ScalarNode):
            self._replace_scalar(value, parent, change)  # a text edited in its own language
        elif isinstance(value, yaml.MappingNode):
            self._set_language(value, change)
        elif isinstance(value, yaml.ScalarNode) and value.style is None and (
                value.value in NULL_SCALARS):
            self._fill_empty(parent, key_node, value, change)
        elif isinstance(value, yaml.ScalarNode) and change.source_key is not None:
            self._convert(parent, key_node, value, change)
        else:
            raise UnwritableChange(change.path, "it holds neither a text nor texts per language")

    def _plan_item(self, sequence: yaml.SequenceNode, index: int, change: TextChange) -> None:
        """A translation of a list item that is a text (a chart's category)."""
        if index >= len(sequence.value):
            raise UnwritableChange(change.path, "not found in the file")
        item = sequence.value[index]
        if not change.language and isinstance(item, yaml.ScalarNode):
            self._replace_scalar(item, sequence, change)
        elif isinstance(item, yaml.MappingNode):
            self._set_language(item, change)
        elif (isinstance(item, yaml.ScalarNode) and change.source_key is not None
              and item.style not in {">", "|"}):
            # `- Kolda` or `[Kolda, Sédhiou]`: the item becomes `{fr: Kolda, en: ...}`, its
            # text as typed.
            start, end = item.start_mark.index, _content_end(self.text, item)
            self._splice(start, end, f"{{{change.source_key}: {self.text[start:end]}, "
                         f"{_flow_copies(item, change)}"
                         f"{change.language}: {_scalar(change.text, item.style, flow=True)}}}", 0)
        else:
            raise UnwritableChange(change.path, "it holds neither a text nor texts per language")

    def _set_language(self, texts: yaml.MappingNode, change: TextChange) -> None:
        """The translation into a mapping of texts per language: added, or replacing one."""
        existing = next((item for key, item in texts.value if key.value == change.language),
                        None)
        if existing is None:
            self._add_entry(texts, change.language, change.text, change)
        else:
            self._replace_scalar(existing, texts, change)

    # -- the four kinds of change ----------------------------------------------------------

    def _add_entry(self, mapping: yaml.MappingNode, key: str, value: str | dict[str, str],
                   change: TextChange) -> None:
        """A new `key: value` at the end of a mapping; `value` may be `{language: text}`.

        A text is written like the mapping's first text (its source, as a rule): folded,
        quoted or plain."""
        first = next((item for _, item in mapping.value if isinstance(item, yaml.ScalarNode)),
                     None)
        style = (first.style if isinstance(value, str) and first is not None
                 else ">" if _has_block_scalar(mapping) else None)
        if mapping.flow_style:
            rendered = self._flow_value(value, style)
            if mapping.value:
                at = _content_end(self.text, mapping.value[-1][1])
                self._splice(at, at, f", {key}: {rendered}", 0)
            else:
                at = mapping.start_mark.index + 1
                self._splice(at, at, f"{key}: {rendered}", 0)
            return
        indent = mapping.start_mark.column
        at = self._line_after(_content_end(self.text, mapping))
        body = f"{' ' * indent}{key}:{self._block_value(value, indent, style, change)}"
        self._insert_line(at, body, indent)

    def _replace_scalar(self, scalar: yaml.Node, mapping: yaml.CollectionNode,
                        change: TextChange) -> None:
        """A translation that replaces an earlier one, in the same style."""
        if not isinstance(scalar, yaml.ScalarNode):
            raise UnwritableChange(change.path, f"its {change.language!r} entry is not a text")
        start, end = scalar.start_mark.index, _content_end(self.text, scalar)
        if scalar.style in {">", "|"} and not mapping.flow_style:
            indent, _ = _block_layout(self.text, scalar)
            rendered = _folded(change.text, indent, self._folded_width(change), self.newline)
        else:
            rendered = _scalar(change.text, scalar.style, flow=bool(mapping.flow_style))
        self._splice(start, end, rendered, 0)

    def _convert(self, parent: yaml.MappingNode, key_node: yaml.Node, scalar: yaml.ScalarNode,
                 change: TextChange) -> None:
        """A plain string becomes `{source: <the string as typed>, language: translation}`,
        with a copy of the string under each of `change.copies`."""
        start, end = scalar.start_mark.index, _content_end(self.text, scalar)
        if parent.flow_style:
            typed = self.text[start:end]
            self._splice(start, end, f"{{{change.source_key}: {typed}, "
                         f"{_flow_copies(scalar, change)}{change.language}: "
                         f"{_scalar(change.text, scalar.style, flow=True)}}}", 0)
            return
        key_end = key_node.end_mark.index
        line_end = self._line_end(end)
        lead = self.text[key_end:start].rstrip()  # the colon, and a comment if one is there
        typed_lines = self.text[start:line_end].split("\n")
        typed = "\n".join([typed_lines[0], *(" " * self.step + line if line.strip() else line
                                             for line in typed_lines[1:])])
        child = key_node.start_mark.column + self.step
        # The typed text moves one step right: the translation wraps where it now does.
        # A copy is written like the translation, unless line breaks are part of the text
        # (a literal block, paragraphs): then exactly as typed.
        as_typed = scalar.style == "|" or "\n" in scalar.value.rstrip("\n")
        copy = (f" {typed}" if as_typed else
                self._block_value(scalar.value, child, scalar.style, change, self.step))
        copies = "".join(f"{self.newline}{' ' * child}{language}:{copy}"
                         for language in change.copies)
        replacement = (f"{lead}{self.newline}{' ' * child}{change.source_key}: {typed}{copies}"
                       f"{self.newline}{' ' * child}{change.language}:"
                       f"{self._block_value(change.text, child, scalar.style, change, self.step)}")
        self._splice(key_end, line_end, replacement, 0)

    def _fill_empty(self, parent: yaml.MappingNode, key_node: yaml.Node,
                   scalar: yaml.ScalarNode, change: TextChange) -> None:
        """`translation:` (empty or null) becomes `translation: {language: text}`."""
        value = {change.language: change.text}
        style = ">" if _has_block_scalar(parent) else None
        if parent.flow_style:
            at, end = scalar.start_mark.index, scalar.end_mark.index
            self._splice(at, end, self._flow_value(value, style), 0)
            return
        key_end = key_node.end_mark.index
        line_end = self._line_end(key_end)
        kept = (self.text[key_end:scalar.start_mark.index]
                + self.text[scalar.end_mark.index:line_end]
                if scalar.end_mark.index <= line_end else self.text[key_end:line_end])
        indent = key_node.start_mark.column
        replacement = kept.rstrip() + self._block_value(value, indent, style, change)
        self._splice(key_end, line_end, replacement, 0)

    # -- rendering -------------------------------------------------------------------------

    def _block_value(self, value: str | dict[str, str], indent: int, style: str | None,
                     change: TextChange, shift: int = 0) -> str:
        """What follows `key:` in a block mapping whose keys are at `indent`; a text in the
        `style` of the text it sits beside (">" or "|": folded)."""
        if isinstance(value, dict):
            child = indent + self.step
            return "".join(f"{self.newline}{' ' * child}{language}:"
                           f"{self._block_value(text, child, style, change, shift)}"
                           for language, text in value.items())
        if style in {">", "|"}:
            width = self._folded_width(change, shift)
            return " " + _folded(value, indent + self.step, width, self.newline)
        return " " + _scalar(value, style, flow=False)

    def _flow_value(self, value: str | dict[str, str], style: str | None) -> str:
        if isinstance(value, dict):
            return "{" + ", ".join(f"{language}: {_scalar(text, style, flow=True)}"
                                   for language, text in value.items()) + "}"
        return _scalar(value, style, flow=True)

    def _folded_width(self, change: TextChange, shift: int = 0) -> int:
        """Where folded lines end: as in the nearest text folded over several lines (the
        field's own, moved by `shift`), else the file's widest such text, else column 96."""
        try:
            near = [_block_layout(self.text, node)[1] + shift
                    for node in _block_scalars(self._node_at(change.path, change.path))
                    if _is_multiline(self.text, node)]
        except UnwritableChange:
            near = []
        anywhere = [_block_layout(self.text, node)[1] for node in _block_scalars(self.root)
                    if _is_multiline(self.text, node)]
        return max(near or anywhere or [96])

    # -- positions -------------------------------------------------------------------------

    def _node_at(self, path: FieldPath, full: FieldPath) -> yaml.Node:
        node: yaml.Node = self.root
        for part in path:
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                found = next((value for key, value in node.value if key.value == part), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                found = node.value[part] if part < len(node.value) else None
            else:
                found = None
            if found is None:
                raise UnwritableChange(full, "not found in the file")
            node = found
        return node

    def _line_after(self, offset: int) -> int:
        """The start of the line after the one holding `offset`."""
        if offset > 0 and self.text[offset - 1] == "\n":
            return offset
        newline = self.text.find("\n", offset)
        return len(self.text) if newline < 0 else newline + 1

    def _line_end(self, offset: int) -> int:
        """The end of the line holding `offset`, before its line break."""
        newline = self.text.find("\n", offset)
        if newline < 0:
            return len(self.text)
        return newline - 1 if newline > 0 and self.text[newline - 1] == "\r" else newline

    def _insert_line(self, at: int, line: str, column: int) -> None:
        if at == len(self.text) and self.text and not self.text.endswith("\n"):
            self._splice(at, at, self.newline + line, column)
        else:
            self._splice(at, at, line + self.newline, column)

    def _splice(self, start: int, end: int, text: str, column: int) -> None:
        self.splices.append(_Splice(start, end, text, column))


def _content_end(text: str, node: yaml.Node) -> int:
    """Where a node's content ends: for a block scalar, its last character that is not a
    trailing line break; for a block collection, the end of its last value."""
    if isinstance(node, yaml.ScalarNode):
        if node.style in {">", "|"}:
            typed = text[node.start_mark.index : node.end_mark.index]
            if "+" in typed.split("\n", 1)[0]:
                return int(node.end_mark.index)  # keep chomping: the line breaks are its text
            return int(node.start_mark.index) + len(typed.rstrip())
        return int(node.end_mark.index)
    if getattr(node, "flow_style", False) or not node.value:
        return int(node.end_mark.index)
    last = node.value[-1]
    return _content_end(text, last[1] if isinstance(node, yaml.MappingNode) else last)


def _indent_step(root: yaml.Node) -> int:
    """How far this file indents a mapping under its key (2 unless it shows otherwise)."""
    pending = [root]
    while pending:
        node = pending.pop(0)
        if isinstance(node, yaml.MappingNode) and not node.flow_style:
            for key, value in node.value:
                if isinstance(value, yaml.MappingNode) and not value.flow_style:
                    step = value.start_mark.column - key.start_mark.column
                    if step > 0:
                        return int(step)
                pending.append(value)
        elif isinstance(node, yaml.SequenceNode):
            pending += node.value
    return 2


def _block_scalars(node: yaml.Node) -> list[yaml.ScalarNode]:
    if isinstance(node, yaml.ScalarNode):
        return [node] if node.style in {">", "|"} else []
    if isinstance(node, yaml.MappingNode):
        return [found for _, value in node.value for found in _block_scalars(value)]
    if isinstance(node, yaml.SequenceNode):
        return [found for item in node.value for found in _block_scalars(item)]
    return []


def _has_block_scalar(mapping: yaml.MappingNode) -> bool:
    """Whether a mapping's texts (or those of its per-language mappings) are block scalars."""
    for _, value in mapping.value:
        if isinstance(value, yaml.ScalarNode) and value.style in {">", "|"}:
            return True
        if isinstance(value, yaml.MappingNode) and any(
                isinstance(item, yaml.ScalarNode) and item.style in {">", "|"}
                for _, item in value.value):
            return True
    return False


def _block_layout(text: str, scalar: yaml.ScalarNode) -> tuple[int, int]:
    """A block scalar's content indentation and its widest line (at least 40 columns)."""
    typed = text[scalar.start_mark.index : _content_end(text, scalar)]
    lines = [line.rstrip("\r") for line in typed.split("\n")[1:] if line.strip()]
    if not lines:
        return scalar.start_mark.column + 2, 96
    indent = min(len(line) - len(line.lstrip(" ")) for line in lines)
    return indent, max(40, *(len(line) for line in lines))


def _folded(text: str, indent: int, width: int, newline: str) -> str:
    """`text` as a folded block scalar (`>-`), wrapped at spaces to `width` columns.

    The text has no line breaks and no runs of spaces (`normalize_space`), so folding gives
    back exactly `text`.
    """
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if current and indent + len(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    lines.append(current)
    return ">-" + "".join(f"{newline}{' ' * indent}{line}" for line in lines)


def _scalar(text: str, style: str | None, *, flow: bool) -> str:
    """`text` as a one-line YAML scalar: quoted as `style` says (`'` or `"`), else plain
    where YAML allows it and quoted where it must be."""
    if style == '"':
        return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML one too
    if style == "'":
        return "'" + text.replace("'", "''") + "'"
    dumped = yaml.safe_dump({"k": text}, allow_unicode=True, width=2**31 - 1,
                            default_flow_style=flow, sort_keys=False)
    scalar = dumped[4:-2] if flow else dumped[3:-1]
    return scalar if "\n" not in scalar else json.dumps(text, ensure_ascii=False)


def _flow_copies(scalar: yaml.ScalarNode, change: TextChange) -> str:
    """`fr: Paris, ` for each language that keeps a text as written, in a flow mapping."""
    style = scalar.style if scalar.style in {"'", '"'} else None
    return "".join(f"{language}: {_scalar(scalar.value, style, flow=True)}, "
                   for language in change.copies)


def _is_multiline(text: str, scalar: yaml.ScalarNode) -> bool:
    typed = text[scalar.start_mark.index : _content_end(text, scalar)]
    return sum(1 for line in typed.split("\n")[1:] if line.strip()) > 1


def _check_result(old_text: str, new_text: str, file: Path, changes: list[TextChange]) -> None:
    """The new text must read as the old data plus the translations, and nothing else."""
    expected = _expected_data(old_text, file, changes)
    try:
        actual = parse_yaml(new_text, file).data
    except SpecError as error:
        raise UnwritableChange(changes[0].path, f"the file would not read back ({error})"
                               ) from None
    if actual == expected:
        return
    for change in changes:
        if value_at(actual, change.path) != value_at(expected, change.path):
            raise UnwritableChange(change.path, "it would not read back as written")
    raise UnwritableChange(changes[0].path, "other text of the file would change")


def _expected_data(old_text: str, file: Path, changes: list[TextChange]) -> Any:
    """The old file's data with the translations in it."""
    expected = copy.deepcopy(parse_yaml(old_text, file).data)
    for change in changes:
        parent: Any = expected
        for part in change.path[:-1]:
            parent = parent[part]
        name: Any = change.path[-1]  # a key, or a list item's index
        current = parent[name] if isinstance(parent, list) else parent.get(name)
        if not change.language:
            parent[name] = change.text
        elif isinstance(current, dict):
            current[change.language] = change.text
        elif isinstance(current, str) and change.source_key is not None:
            parent[name] = {change.source_key: current,
                            **dict.fromkeys(change.copies, current),
                            change.language: change.text}
        else:
            parent[name] = {change.language: change.text}
    return expected
