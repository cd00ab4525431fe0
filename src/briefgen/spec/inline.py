"""Light inline markup in user text, parsed once into a small tree.

Syntax (documented in the README):
  **bold**   *italic*   [words](https://example.org)   \\* literal star
  [@stat-id] cites a figure (its number, unit and source marker)
  [@+stat-id] the same with the figure's prefix ("more than", "~"), as its callout shows it
  [^source-id] cites a source: only its numbered marker, for a sentence without a figure

Everything else is text, verbatim: `&`, `<b>`, `{{ }}` and unmatched stars included. Backends
turn the tree into their own runs; nothing here knows about reportlab or python-docx.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from briefgen.spec.loader import ID_PATTERN

ALLOWED_LINK_SCHEMES = ("https://", "http://", "mailto:")


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Emphasis:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Link:
    url: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Cite:
    """`[@stat-id]`: the figure's formatted value followed by its source marker.

    `with_prefix` (`[@+stat-id]`): the value starts with the figure's prefix, as in its
    callout. Without it the sentence's own words qualify the number ("more than [@id]").
    """

    stat_id: str
    with_prefix: bool = False


@dataclass(frozen=True)
class SourceCite:
    """`[^source-id]`: the numbered marker of a source, for a sentence that has no figure."""

    source_id: str


Inline = Text | Strong | Emphasis | Link | Cite | SourceCite

_CITE = re.compile(rf"\[@(\+?)({ID_PATTERN})\]")
_SOURCE_CITE = re.compile(rf"\[\^({ID_PATTERN})\]")
_LINK = re.compile(r"\[((?:\\.|[^\]\\])+)\]\(([^()\s]+)\)")
_ESCAPABLE = set("\\*[]()@^_`")
_WHITESPACE = re.compile(r"\s+")


def normalize_space(text: str) -> str:
    """Collapse runs of white space (line breaks from YAML included) to one space.

    No-break spaces are kept (the narrow one of French typography too): they are the way to
    stop a number or name from wrapping.
    """
    return _WHITESPACE.sub(_one_space, text).strip()


def _one_space(run: re.Match[str]) -> str:
    for keep in ("\u00a0", "\u202f"):
        if keep in run.group():
            return keep
    return " "


@lru_cache(maxsize=8192)
def parse_inline(text: str) -> tuple[Inline, ...]:
    """Parse user text into inline nodes; never fails (unmatched markup stays text).

    Remembered per text: checking and rendering ask for the same fields many times.
    """
    text = normalize_space(text)
    if not any(marker in text for marker in "*[\\"):
        return (Text(text),) if text else ()
    return tuple(_merge_text(_parse(text, 0, len(text), None)))


def locate_markup(text: str) -> list[tuple[int, Cite | SourceCite | Link]]:
    """Citations and links of `text` in reading order, each with where it starts.

    The offset counts the non-space characters of `text` before the node's `[`: white space
    is what YAML folding, trimming and `normalize_space` change, so this count finds the place
    in the file (see `YamlDocument.locate_inside`).
    """
    normalized = normalize_space(text)
    found: list[tuple[int, Inline]] = []
    _parse(normalized, 0, len(normalized), found)
    return [(count_nonspace(normalized[:offset]), node) for offset, node in found
            if isinstance(node, Cite | SourceCite | Link)]


def count_nonspace(text: str) -> int:
    """How many characters of `text` are not white space."""
    return len(text) - sum(char.isspace() for char in text)


def plain_text(nodes: tuple[Inline, ...]) -> str:
    """The text a reader sees, with citations shown as their ids (for word counts, messages)."""
    parts: list[str] = []
    for node in nodes:
        match node:
            case Text():
                parts.append(node.text)
            case Cite():
                parts.append(node.stat_id)
            case SourceCite():
                pass  # a marker, not words
            case Strong() | Emphasis() | Link():
                parts.append(plain_text(node.children))
    return "".join(parts)


def walk(nodes: tuple[Inline, ...]) -> Iterator[Inline]:
    """Every node of the tree, depth first."""
    for node in nodes:
        yield node
        if isinstance(node, Strong | Emphasis | Link):
            yield from walk(node.children)


def _parse(text: str, start: int, stop: int,
           found: list[tuple[int, Inline]] | None) -> list[Inline]:
    """Nodes of `text[start:stop]`; citations and links are added to `found` with their
    offsets in `text`, when it is given."""
    nodes: list[Inline] = []
    buffer: list[str] = []
    index = start
    while index < stop:
        char = text[index]
        if char == "\\" and index + 1 < stop and text[index + 1] in _ESCAPABLE:
            buffer.append(text[index + 1])
            index += 2
            continue
        markup = _markup_at(text, index, stop, found)
        if markup is None:
            buffer.append(char)
            index += 1
            continue
        if buffer:
            nodes.append(Text("".join(buffer)))
            buffer.clear()
        nodes.append(markup[0])
        index = markup[1]
    if buffer:
        nodes.append(Text("".join(buffer)))
    return nodes


def _markup_at(text: str, index: int, stop: int, found: list[tuple[int, Inline]] | None
               ) -> tuple[Inline, int] | None:
    """The bold, italic, citation or link that starts at `index`, and where it ends."""
    match text[index]:
        case "*":
            return _emphasis_at(text, index, stop, found)
        case "[":
            return _bracketed_at(text, index, stop, found)
    return None


def _emphasis_at(text: str, index: int, stop: int, found: list[tuple[int, Inline]] | None
                 ) -> tuple[Inline, int] | None:
    """`**bold**` or `*italic*` at `index`: a star next to a space, or never closed, is text."""
    if text.startswith("**", index, stop):
        close = _find_closing(text, "**", index + 2, stop)
        if close > index + 2:
            return Strong(tuple(_merge_text(_parse(text, index + 2, close, found)))), close + 2
        return None
    if index + 1 < stop and not text[index + 1].isspace():
        close = _find_closing(text, "*", index + 1, stop)
        if close > index + 1 and not text[close - 1].isspace():
            return Emphasis(tuple(_merge_text(_parse(text, index + 1, close, found)))), close + 1
    return None


def _bracketed_at(text: str, index: int, stop: int, found: list[tuple[int, Inline]] | None
                  ) -> tuple[Inline, int] | None:
    """`[@figure]`, `[^source]` or `[words](address)` at `index`, added to `found`."""
    node: Cite | SourceCite | Link
    if cite := _CITE.match(text, index, stop):
        node, end = Cite(cite.group(2), with_prefix=bool(cite.group(1))), cite.end()
    elif source := _SOURCE_CITE.match(text, index, stop):
        node, end = SourceCite(source.group(1)), source.end()
    elif link := _LINK.match(text, index, stop):
        children = _merge_text(_parse(text, link.start(1), link.end(1), found))
        node, end = Link(link.group(2), tuple(children)), link.end()
    else:
        return None
    if found is not None:
        found.append((index, node))
    return node, end


def _find_closing(text: str, marker: str, start: int, stop: int) -> int:
    """Index of the next unescaped `marker` in `text[start:stop]`, or -1."""
    index = start
    while True:
        index = text.find(marker, index, stop)
        if index < 0:
            return -1
        backslashes = index - start - len(text[start:index].rstrip("\\"))
        if backslashes % 2 == 0:
            # A single `*` must not be half of a `**`.
            if marker == "*" and text.startswith("**", index, stop):
                index += 2
                continue
            return index
        index += len(marker)


def _merge_text(nodes: list[Inline]) -> list[Inline]:
    merged: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + node.text)
        else:
            merged.append(node)
    return merged
