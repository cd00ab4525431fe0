"""Light inline markup in user text, parsed once into a small tree.

Syntax (documented in the README):
  **bold**   *italic*   [words](https://example.org)   [@stat-id] cites a figure   \\* literal star

Everything else is text, verbatim: `&`, `<b>`, `{{ }}` and unmatched stars included. Backends
turn the tree into their own runs; nothing here knows about reportlab or python-docx.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

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
    """`[@stat-id]`: the figure's formatted value followed by its source marker."""

    stat_id: str


Inline = Text | Strong | Emphasis | Link | Cite

_CITE = re.compile(r"\[@([a-z0-9]+(?:-[a-z0-9]+)*)\]")
_LINK = re.compile(r"\[((?:\\.|[^\]\\])+)\]\(([^()\s]+)\)")
_ESCAPABLE = set("\\*[]()@_`")
_WHITESPACE = re.compile(r"\s+")


def normalize_space(text: str) -> str:
    """Collapse runs of white space (line breaks from YAML included) to one space.

    No-break spaces are kept: they are the way to stop a number or name from wrapping.
    """
    return _WHITESPACE.sub(lambda m: " " if "\u00a0" not in m.group() else "\u00a0", text).strip()


@lru_cache(maxsize=8192)
def parse_inline(text: str) -> tuple[Inline, ...]:
    """Parse user text into inline nodes; never fails (unmatched markup stays text).

    Remembered per text: checking and rendering ask for the same fields many times.
    """
    text = normalize_space(text)
    if not any(marker in text for marker in "*[\\"):
        return (Text(text),) if text else ()
    return tuple(_merge_text(_parse(text)))


def plain_text(nodes: tuple[Inline, ...]) -> str:
    """The text a reader sees, with citations shown as their ids (for word counts, messages)."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, Text):
            parts.append(node.text)
        elif isinstance(node, Cite):
            parts.append(node.stat_id)
        else:
            parts.append(plain_text(node.children))
    return "".join(parts)


def walk(nodes: tuple[Inline, ...]):  # type: ignore[no-untyped-def]
    """Every node of the tree, depth first."""
    for node in nodes:
        yield node
        if isinstance(node, Strong | Emphasis | Link):
            yield from walk(node.children)


def _parse(text: str) -> list[Inline]:
    nodes: list[Inline] = []
    buffer: list[str] = []
    index = 0
    length = len(text)

    def flush() -> None:
        if buffer:
            nodes.append(Text("".join(buffer)))
            buffer.clear()

    while index < length:
        char = text[index]
        if char == "\\" and index + 1 < length and text[index + 1] in _ESCAPABLE:
            buffer.append(text[index + 1])
            index += 2
            continue
        if char == "*" and text.startswith("**", index):
            close = _find_closing(text, "**", index + 2)
            if close > index + 2:
                flush()
                nodes.append(Strong(tuple(_merge_text(_parse(text[index + 2 : close])))))
                index = close + 2
                continue
        elif char == "*" and index + 1 < length and not text[index + 1].isspace():
            close = _find_closing(text, "*", index + 1)
            if close > index + 1 and not text[close - 1].isspace():
                flush()
                nodes.append(Emphasis(tuple(_merge_text(_parse(text[index + 1 : close])))))
                index = close + 1
                continue
        elif char == "[":
            cite = _CITE.match(text, index)
            if cite:
                flush()
                nodes.append(Cite(cite.group(1)))
                index = cite.end()
                continue
            link = _LINK.match(text, index)
            if link:
                flush()
                nodes.append(Link(link.group(2), tuple(_merge_text(_parse(link.group(1))))))
                index = link.end()
                continue
        buffer.append(char)
        index += 1
    flush()
    return nodes


def _find_closing(text: str, marker: str, start: int) -> int:
    """Index of the next unescaped `marker` at or after `start`, or -1."""
    index = start
    while True:
        index = text.find(marker, index)
        if index < 0:
            return -1
        backslashes = len(text[:index]) - len(text[:index].rstrip("\\"))
        if backslashes % 2 == 0:
            # A single `*` must not be half of a `**`.
            if marker == "*" and text.startswith("**", index):
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
