"""What a text of the spec prints, character by character, and where each was typed.

The spec's markup (`**bold**`, `*italic*`, `[words](url)`, `[@figure]`, `[^source]`, `\\*`) is
read as `spec.inline.parse_inline` reads it; each character the page prints from it comes
with the part of the text it was typed as (a figure's characters with its whole citation),
its look, and the markup around it. `briefgen take-back` (`edits/markup.py`) writes an edit of
the printed words back where they were typed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from briefgen.edits.words import SPACES, Look
from briefgen.resolve.view import BriefView
from briefgen.spec.inline import _CITE as CITE_PATTERN  # the parser's own patterns
from briefgen.spec.inline import _ESCAPABLE as ESCAPABLE
from briefgen.spec.inline import _LINK as LINK_PATTERN
from briefgen.spec.inline import _SOURCE_CITE as SOURCE_CITE_PATTERN
from briefgen.spec.inline import Cite
from briefgen.spec.inline import _find_closing as find_closing


@dataclass(frozen=True)
class Atom:
    start: int  # where its markup was typed, in the normalized text
    end: int
    kind: str  # figure, chart or source
    name: str  # the stat's, chart's or source's id
    printed: str


@dataclass
class Projection:
    """The characters a text prints, each with the part of the text it was typed as."""

    characters: list[str] = field(default_factory=list)
    looks: list[Look] = field(default_factory=list)
    typed: list[tuple[int, int]] = field(default_factory=list)
    atom_of: list[int | None] = field(default_factory=list)
    atoms: list[Atom] = field(default_factory=list)
    anchors: list[tuple[int, int]] = field(default_factory=list)  # (position, atom): [^id]
    # Markup around words: (opening starts, words start, words end, closing ends).
    nodes: list[tuple[int, int, int, int]] = field(default_factory=list)

    def add(self, character: str, look: Look, start: int, end: int,
            atom: int | None = None) -> None:
        self.characters.append(character)
        self.looks.append(look)
        self.typed.append((start, end))
        self.atom_of.append(atom)


def project(text: str, view: BriefView) -> Projection:
    """What `text` (the spec's markup, white space normalized) prints, character by
    character, read as `spec.inline.parse_inline` reads it."""
    projection = Projection()
    _walk(text, 0, len(text), Look(), projection, view)
    return projection


def _walk(text: str, start: int, stop: int, look: Look, out: Projection,
          view: BriefView) -> None:
    index = start
    while index < stop:
        char = text[index]
        if char == "\\" and index + 1 < stop and text[index + 1] in ESCAPABLE:
            out.add(text[index + 1], look, index, index + 2)
            index += 2
            continue
        if char == "*" and text.startswith("**", index, stop):
            close = find_closing(text, "**", index + 2, stop)
            if close > index + 2:
                out.nodes.append((index, index + 2, close, close + 2))
                _walk(text, index + 2, close, look._replace(bold=True), out, view)
                index = close + 2
                continue
        elif char == "*" and index + 1 < stop and not text[index + 1].isspace():
            close = find_closing(text, "*", index + 1, stop)
            if close > index + 1 and not text[close - 1].isspace():
                out.nodes.append((index, index + 1, close, close + 1))
                _walk(text, index + 1, close, look._replace(italic=not look.italic), out,
                      view)
                index = close + 1
                continue
        elif char == "[":
            found = _bracketed(text, index, stop, look, out, view)
            if found > index:
                index = found
                continue
        out.add(char, look, index, index + 1)
        index += 1


def _bracketed(text: str, index: int, stop: int, look: Look, out: Projection,
               view: BriefView) -> int:
    """A citation or link at `index`: projected, and where it ends; `index` if none."""
    cite = CITE_PATTERN.match(text, index, stop)
    if cite:
        node = Cite(cite.group(2), with_prefix=bool(cite.group(1)))
        kind = "chart" if node.stat_id in view.charts else "figure"
        printed = view.cited_value(node) if (
            node.stat_id in view.charts or node.stat_id in view.stat_values) else ""
        atom = len(out.atoms)
        out.atoms.append(Atom(index, cite.end(), kind, node.stat_id, printed))
        for character in printed:
            out.add(character, look, index, cite.end(), atom)
        return cite.end()
    source = SOURCE_CITE_PATTERN.match(text, index, stop)
    if source:
        out.anchors.append((len(out.characters), len(out.atoms)))
        out.atoms.append(Atom(index, source.end(), "source", source.group(1), ""))
        return source.end()
    link = LINK_PATTERN.match(text, index, stop)
    if link:
        out.nodes.append((index, link.start(1), link.end(1), link.end()))
        _walk(text, link.start(1), link.end(1), look._replace(link=link.group(2)), out, view)
        return link.end()
    return index


def character_key(character: str) -> str:
    """A character as alignment compares it: every space alike, capitals alike (the page
    may set a text in capitals), one character for one."""
    if character in SPACES:
        return " "
    upper = character.upper()
    if upper == "\u0130":  # Azerbaijani and Turkish dotted capital I
        return "I"
    return upper if len(upper) == 1 else character


def plain_character(character: str) -> str:
    return " " if character in SPACES else unicodedata.normalize("NFC", character)


def squeezed(items: list[tuple[str, Look]]) -> list[tuple[str, Look]]:
    """Characters with runs of spaces as one, spaces taking no look, ends trimmed."""
    result: list[tuple[str, Look]] = []
    for character, look in items:
        if character == " ":
            if result and result[-1][0] != " ":
                result.append((" ", Look()))
        else:
            result.append((character, look))
    while result and result[-1][0] == " ":
        result.pop()
    return result
