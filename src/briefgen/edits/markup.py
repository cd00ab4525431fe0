"""A field's printed words, as a colleague edited them, written back as the spec's text.

The spec's text (`**bold**`, `*italic*`, `[words](url)`, `[@figure]`, `[^source]`) is first
projected: each character the page prints from it, with where in the text it was typed. The
words the DOCX was built with are aligned with that projection, compared word by word with
the edited words, and each change is made where its words were typed, so that the rest of
the text (its citations, escapes, quotes and no-break spaces) stays as it was.

A figure is printed from its stat: the edited text keeps the citation where its printed
number is still there, around whatever words changed; a number edited in place is reported
(figures change in their stat, not in the text) and not taken. A figure whose words were
rewritten with the same number keeps its citation too. When a change cannot be made in
place (it crosses the edge of bold text, or takes formatting away inside it), the whole text
is written again from the edited words, and that is checked the same way: the new text,
printed, must give exactly the edited words, or the change is reported and not taken.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from briefgen.resolve.view import BriefView
from briefgen.spec.inline import _CITE as CITE_PATTERN  # the parser's own patterns
from briefgen.spec.inline import _ESCAPABLE as ESCAPABLE
from briefgen.spec.inline import _LINK as LINK_PATTERN
from briefgen.spec.inline import _SOURCE_CITE as SOURCE_CITE_PATTERN
from briefgen.spec.inline import (
    ALLOWED_LINK_SCHEMES,
    Cite,
    Emphasis,
    Inline,
    Link,
    SourceCite,
    Strong,
    Text,
    normalize_space,
    parse_inline,
)
from briefgen.spec.inline import _find_closing as find_closing
from briefgen.translation.placeholders import TagError, markup_from_nodes

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
_SPACES = frozenset(" \u00a0\u202f\u2009\u2007\n\t")


class Look(NamedTuple):
    """How a printed character looks: what the spec's markup can say of it."""

    bold: bool = False
    italic: bool = False
    link: str | None = None


class Printed(NamedTuple):
    """One printed character and its look."""

    text: str
    look: Look


@dataclass(frozen=True)
class Note:
    """Something to tell about a field's change: `taken` False when that part of the change
    was not made. `stat` names the figure concerned, if any."""

    message: str
    taken: bool
    stat: str | None = None


@dataclass
class Rewrite:
    """The spec's new text for a field (None: nothing to write), with what to tell."""

    text: str | None
    notes: list[Note] = field(default_factory=list)


@dataclass(frozen=True)
class _Atom:
    start: int  # where its markup was typed, in the normalized text
    end: int
    kind: str  # figure, chart or source
    name: str  # the stat's, chart's or source's id
    printed: str


@dataclass
class _Projection:
    """The characters a text prints, each with the part of the text it was typed as."""

    characters: list[str] = field(default_factory=list)
    looks: list[Look] = field(default_factory=list)
    typed: list[tuple[int, int]] = field(default_factory=list)
    atom_of: list[int | None] = field(default_factory=list)
    atoms: list[_Atom] = field(default_factory=list)
    anchors: list[tuple[int, int]] = field(default_factory=list)  # (position, atom): [^id]
    # Markup around words: (opening starts, words start, words end, closing ends).
    nodes: list[tuple[int, int, int, int]] = field(default_factory=list)

    def add(self, character: str, look: Look, start: int, end: int,
            atom: int | None = None) -> None:
        self.characters.append(character)
        self.looks.append(look)
        self.typed.append((start, end))
        self.atom_of.append(atom)


def project(text: str, view: BriefView) -> _Projection:
    """What `text` (the spec's markup, white space normalized) prints, character by
    character, read as `spec.inline.parse_inline` reads it."""
    projection = _Projection()
    _walk(text, 0, len(text), Look(), projection, view)
    return projection


def _walk(text: str, start: int, stop: int, look: Look, out: _Projection,
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


def _bracketed(text: str, index: int, stop: int, look: Look, out: _Projection,
               view: BriefView) -> int:
    """A citation or link at `index`: projected, and where it ends; `index` if none."""
    cite = CITE_PATTERN.match(text, index, stop)
    if cite:
        node = Cite(cite.group(2), with_prefix=bool(cite.group(1)))
        kind = "chart" if node.stat_id in view.charts else "figure"
        printed = view.cited_value(node) if (
            node.stat_id in view.charts or node.stat_id in view.stat_values) else ""
        atom = len(out.atoms)
        out.atoms.append(_Atom(index, cite.end(), kind, node.stat_id, printed))
        for character in printed:
            out.add(character, look, index, cite.end(), atom)
        return cite.end()
    source = SOURCE_CITE_PATTERN.match(text, index, stop)
    if source:
        out.anchors.append((len(out.characters), len(out.atoms)))
        out.atoms.append(_Atom(index, source.end(), "source", source.group(1), ""))
        return source.end()
    link = LINK_PATTERN.match(text, index, stop)
    if link:
        out.nodes.append((index, link.start(1), link.end(1), link.end()))
        _walk(text, link.start(1), link.end(1), look._replace(link=link.group(2)), out, view)
        return link.end()
    return index


def rewrite_field(value: str, before: tuple[Printed, ...], after: tuple[Printed, ...],
                  view: BriefView, *, caps: bool = False) -> Rewrite:
    """The spec's text `value` changed so that it prints `after` where it printed `before`
    (both as printed in the DOCX, source markers left out, white space normalized).

    `caps`: the words were set in capitals for the page (their case is not the spec's)."""
    return _FieldRewrite(normalize_space(value), before, after, view, caps).run()


class _Change(NamedTuple):
    before_start: int
    before_end: int
    after_start: int
    after_end: int


class _FieldRewrite:
    def __init__(self, text: str, before: tuple[Printed, ...], after: tuple[Printed, ...],
                 view: BriefView, caps: bool) -> None:
        self.text = text
        self.before = before
        self.after = _with_spec_case(after) if caps else after
        self.view = view
        self.caps = caps
        self.projection = project(text, view)
        self.notes: list[Note] = []
        self.to_projection = self.align()
        self.base = self.base_look()

    def run(self) -> Rewrite:
        changes = self.changes()
        if not changes:
            return Rewrite(None)
        kept = [change for change in changes if self.acceptable(change)]
        if not kept:
            return Rewrite(None, self.notes)
        wanted = self.wanted(kept)
        in_place = self.in_place(kept)
        for candidate in (in_place, self.regenerated(kept)):
            if candidate is not None and self.prints(candidate, wanted):
                return Rewrite(candidate if candidate != self.text else None, self.notes)
        self.notes.append(Note("the edited words could not be written as the spec's text "
                               "exactly; copy the change by hand", taken=False))
        return Rewrite(None, self.notes)

    # -- what was built, against the spec's text --------------------------------------------

    def align(self) -> list[int | None]:
        """For each character of `before`, the projected character it prints (None: a
        character the layout or typesetting added, such as "via" before a channel)."""
        built = "".join(_key(character.text) for character in self.before)
        typed = "".join(_key(character) for character in self.projection.characters)
        placed: list[int | None] = [None] * len(built)
        matcher = difflib.SequenceMatcher(None, built, typed, autojunk=False)
        for operation, first, last, start, end in matcher.get_opcodes():
            if operation == "equal" or (operation == "replace" and last - first == end - start):
                placed[first:last] = range(start, end)
        return placed

    def base_look(self) -> Look:
        """The look the layout gives the whole field (an ask's headline is bold): the
        printed look of characters the markup does not format."""
        bold = italic = 0
        counted = 0
        link: str | None = None
        for index, character in enumerate(self.before):
            position = self.to_projection[index]
            if position is None or character.text.isspace():
                continue
            if self.projection.looks[position] == Look():
                counted += 1
                bold += character.look.bold
                italic += character.look.italic
                link = link or character.look.link
        return Look(bold=counted > 0 and bold * 2 > counted,
                    italic=counted > 0 and italic * 2 > counted, link=link if counted else None)

    def markup_look(self, look: Look) -> Look:
        """What the markup must say for a character printed with `look`."""
        return Look(bold=look.bold and not self.base.bold, italic=look.italic != self.base.italic,
                    link=look.link if look.link != self.base.link else None)

    # -- the changes ---------------------------------------------------------------------------

    def changes(self) -> list[_Change]:
        before_tokens = _tokens(self.before, self.caps)
        after_tokens = _tokens(self.after, self.caps)
        matcher = difflib.SequenceMatcher(None, [token[0] for token in before_tokens],
                                          [token[0] for token in after_tokens], autojunk=False)
        found = []
        for operation, first, last, start, end in matcher.get_opcodes():
            if operation == "equal":
                continue
            found.append(_Change(
                before_tokens[first][1] if first < len(before_tokens) else len(self.before),
                before_tokens[last - 1][2] if last > first else (
                    before_tokens[first][1] if first < len(before_tokens) else len(self.before)),
                after_tokens[start][1] if start < len(after_tokens) else len(self.after),
                after_tokens[end - 1][2] if end > start else (
                    after_tokens[start][1] if start < len(after_tokens) else len(self.after))))
        return self.joined(found)

    def joined(self, changes: list[_Change]) -> list[_Change]:
        """Changes only a space apart as one (two words made bold are one bold phrase)."""
        joined: list[_Change] = []
        for change in changes:
            if joined:
                last = joined[-1]
                gap_before = "".join(character.text for character in
                                     self.before[last.before_end:change.before_start])
                gap_after = "".join(character.text for character in
                                    self.after[last.after_end:change.after_start])
                if not gap_before.strip() and not gap_after.strip():
                    joined[-1] = last._replace(before_end=change.before_end,
                                               after_end=change.after_end)
                    continue
            joined.append(change)
        return joined

    def acceptable(self, change: _Change) -> bool:
        """Whether a change can be taken: it does not edit words the layout adds, nor a
        figure's printed number (which changes in its stat). Says why when not."""
        added = [self.before[index].text for index in range(change.before_start,
                                                             change.before_end)
                 if self.to_projection[index] is None and not self.before[index].text.isspace()]
        if added:
            self.notes.append(Note(
                f"changes words briefgen adds to this text ({_shown(self.before, change)}); "
                "not taken", taken=False))
            return False
        new = "".join(character.text for character in
                      self.after[change.after_start:change.after_end])
        for atom_index in self.atoms_touched(change):
            atom = self.projection.atoms[atom_index]
            if self.atom_replaced_whole(atom_index, change) and atom.printed and (
                    _find_loosely(new, atom.printed) is None):
                self.notes.append(Note(
                    f"no longer cites {'the chart' if atom.kind == 'chart' else 'the figure'} "
                    f"{atom.name!r} ({atom.printed}): its words were rewritten without it",
                    taken=True, stat=atom.name))
            elif not self.atom_replaced_whole(atom_index, change):
                self.notes.append(Note(
                    f"edits the figure {atom.printed!r}, which is printed from "
                    f"{'the chart' if atom.kind == 'chart' else 'its stat'} {atom.name!r}: "
                    "change the figure there, not in the text; not taken",
                    taken=False, stat=atom.name))
                return False
        return True

    def positions(self, change: _Change) -> list[int]:
        return [position for index in range(change.before_start, change.before_end)
                if (position := self.to_projection[index]) is not None]

    def atoms_touched(self, change: _Change) -> list[int]:
        return list(dict.fromkeys(atom for position in self.positions(change)
                                  if (atom := self.projection.atom_of[position]) is not None))

    def atom_replaced_whole(self, atom_index: int, change: _Change) -> bool:
        positions = set(self.positions(change))
        return all(position in positions
                   for position, atom in enumerate(self.projection.atom_of)
                   if atom == atom_index)

    def wanted(self, changes: list[_Change]) -> list[tuple[str, Look]]:
        """What the new text must print, each character with the look its markup gives it:
        the spec's text as it prints now, each change's part of it replaced by the edited
        characters (what the layout adds, and figures as their stats print them now, are
        the spec's, and left as they are)."""
        result: list[tuple[str, Look]] = []
        characters, looks = self.projection.characters, self.projection.looks
        done = 0
        for change in sorted(changes):
            positions = self.positions(change)
            if positions:
                first, last = min(positions), max(positions) + 1
            else:
                first = last = self.insertion(change)[1]
            result += list(zip(characters[done:first], looks[done:first], strict=True))
            result += [(character.text, self.markup_look(character.look))
                       for character in self.after[change.after_start:change.after_end]]
            done = max(done, last)
        result += list(zip(characters[done:], looks[done:], strict=True))
        return result

    # -- the new text, made in place ------------------------------------------------------

    def in_place(self, changes: list[_Change]) -> str | None:
        """The text with each change made where its words were typed; None when one cannot
        be (it crosses the edge of bold or italic text or of a link)."""
        splices: list[tuple[int, int, str]] = []
        for change in changes:
            spliced = self.splice(change)
            if spliced is None:
                return None
            splices.append(spliced)
        text = self.text
        for start, end, replacement in sorted(splices, reverse=True):
            text = text[:start] + replacement + text[end:]
        return text

    def splice(self, change: _Change) -> tuple[int, int, str] | None:
        positions = self.positions(change)
        if positions:
            start = min(self.projection.typed[position][0] for position in positions)
            end = max(self.projection.typed[position][1] for position in positions)
        else:
            start = end = self.insertion_point(change)
        if any(self.crosses(node, start, end) for node in self.projection.nodes):
            return None
        context = self.context_look(start, end)
        new = self.after[change.after_start:change.after_end]
        replacement = self.fragment(new, context, change)
        if replacement is None:
            return None
        # A source's citation ([^id]) among the words replaced stays, after them.
        kept = "".join(self.text[atom.start:atom.end] for atom in self.projection.atoms
                       if atom.kind == "source" and start <= atom.start and atom.end <= end)
        return start, end, replacement + kept

    def insertion_point(self, change: _Change) -> int:
        return self.insertion(change)[0]

    def insertion(self, change: _Change) -> tuple[int, int]:
        """Where new words go: in the text, and among the projected characters. After the
        typed characters of what precedes them (at the end of bold text they continue it
        only when they are bold too), else before what follows them."""
        before = [self.to_projection[index] for index in range(change.before_start)
                  if self.to_projection[index] is not None]
        after = [self.to_projection[index] for index in range(change.before_end,
                                                              len(self.before))
                 if self.to_projection[index] is not None]
        previous = before[-1] if before else None
        following = after[0] if after else None
        new = self.after[change.after_start:change.after_end]
        new_look = self.markup_look(new[0].look) if new else Look()
        if previous is not None and (following is None
                                     or self.projection.looks[previous] == new_look
                                     or self.projection.looks[following] != new_look):
            return self.projection.typed[previous][1], previous + 1
        if following is not None:
            return self.projection.typed[following][0], following
        return len(self.text), len(self.projection.characters)

    def crosses(self, node: tuple[int, int, int, int], start: int, end: int) -> bool:
        opening, words_start, words_end, closing = node
        inside = words_start <= start and end <= words_end
        outside = end <= opening or start >= closing
        around = start <= opening and closing <= end
        return not (inside or outside or around)

    def context_look(self, start: int, end: int) -> Look:
        """The look markup already gives the place `start`-`end` of the text."""
        look = Look()
        for opening, words_start, words_end, _ in self.projection.nodes:
            if words_start <= start and end <= words_end:
                text = self.text
                if text.startswith("**", opening):
                    look = look._replace(bold=True)
                elif text[opening] == "*":
                    look = look._replace(italic=not look.italic)
                else:
                    link = LINK_PATTERN.match(text, opening)
                    look = look._replace(link=link.group(2) if link else None)
        return look

    def fragment(self, new: tuple[Printed, ...], context: Look, change: _Change
                 ) -> str | None:
        """Markup for `new` at a place whose look is `context`; None when markup there
        cannot say it (words not bold inside bold text)."""
        parts: list[str] = []
        for look, characters in _runs(new, self.markup_look):
            if (context.bold and not look.bold) or (context.link and look.link != context.link):
                return None
            joined = "".join(characters)
            if not joined.strip():
                parts.append(joined)
                continue
            words = self.figures_in(joined.strip(), change)
            if look.italic != context.italic:
                words = f"*{words}*"
            if look.bold and not context.bold:
                words = f"**{words}**"
            if look.link and look.link != context.link:
                if not look.link.startswith(ALLOWED_LINK_SCHEMES):
                    return None
                words = f"[{words}]({look.link})"
            lead = joined[:len(joined) - len(joined.lstrip())]
            trail = joined[len(joined.rstrip()):] if joined.strip() else ""
            parts.append(f"{lead}{words}{trail}")
        return "".join(parts)

    def figures_in(self, words: str, change: _Change) -> str:
        """`words` escaped as spec text, a figure the change replaced whole given back its
        citation where its printed number is among the new words."""
        escaped = _escaped(words)
        for atom_index in self.atoms_touched(change):
            atom = self.projection.atoms[atom_index]
            printed = _escaped(atom.printed)
            spot = _find_loosely(escaped, printed)
            if atom.printed and spot is not None:
                escaped = escaped[:spot[0]] + self.text[atom.start:atom.end] + escaped[spot[1]:]
        return escaped

    # -- the new text, written again whole -------------------------------------------------

    def regenerated(self, changes: list[_Change]) -> str | None:
        """The whole text written again from the edited words: figures kept where their
        printed numbers stayed, the citations of sources before the word they preceded."""
        nodes: list[Inline] = []
        figures_kept: set[int] = set()
        by_start = {change.before_start: change for change in changes}
        anchors = {position: atom for position, atom in self.projection.anchors}
        index = 0
        items: list[tuple[Look, Inline]] = []
        while index <= len(self.before):
            change = by_start.get(index)
            if change is not None:
                items += self.new_items(change)
                if change.before_end > index:
                    index = change.before_end
                    continue
            if index == len(self.before):
                break
            position = self.to_projection[index]
            character = self.before[index]
            if position is None:
                if character.text.isspace():
                    items.append((Look(), Text(" ")))
            else:
                if position in anchors:
                    atom = self.projection.atoms[anchors.pop(position)]
                    items.append((Look(), SourceCite(atom.name)))
                atom_index = self.projection.atom_of[position]
                if atom_index is None:
                    items.append((self.projection.looks[position],
                                  Text(self.projection.characters[position])))
                elif atom_index not in figures_kept:
                    figures_kept.add(atom_index)
                    atom = self.projection.atoms[atom_index]
                    items.append((self.projection.looks[position],
                                  parse_inline(self.text[atom.start:atom.end])[0]))
            index += 1
        for atom_index in anchors.values():  # a source cited at the very end
            items.append((Look(), SourceCite(self.projection.atoms[atom_index].name)))
        nodes = _nested(items)
        try:
            return markup_from_nodes(nodes)
        except TagError:
            return None

    def new_items(self, change: _Change) -> list[tuple[Look, Inline]]:
        """The characters a change types, a figure it replaced whole given back its
        citation where its printed number is among them."""
        new = self.after[change.after_start:change.after_end]
        items: list[tuple[Look, Inline] | None] = [
            (self.markup_look(character.look), Text(character.text)) for character in new]
        typed = "".join(character.text for character in new)
        for atom_index in self.atoms_touched(change):
            atom = self.projection.atoms[atom_index]
            spot = _find_loosely(typed, atom.printed) if atom.printed else None
            if spot is not None:
                first = items[spot[0]]
                assert first is not None
                cite = parse_inline(self.text[atom.start:atom.end])[0]
                items[spot[0]:spot[1]] = [(first[0], cite)] + [None] * (spot[1] - spot[0] - 1)
                typed = typed[:spot[0]] + "\0" * (spot[1] - spot[0]) + typed[spot[1]:]
        return [item for item in items if item is not None]

    # -- the check --------------------------------------------------------------------------

    def prints(self, text: str, wanted: list[tuple[str, Look]]) -> bool:
        """Whether `text` prints `wanted`: the same words, figures and looks."""
        projection = project(text, self.view)
        printed = [(_key(character) if self.caps else _plain(character), look)
                   for character, look in zip(projection.characters, projection.looks,
                                              strict=True)]
        expected = [(_key(character) if self.caps else _plain(character), look)
                    for character, look in wanted]
        return _squeezed(printed) == _squeezed(expected)


def _with_spec_case(after: tuple[Printed, ...]) -> tuple[Printed, ...]:
    """Words typed in a text the page sets in capitals, in the case the spec writes: words
    the text had keep it (the matcher compares them regardless of case), new ones in lower
    case unless the colleague mixed cases (a name, an abbreviation)."""
    result = list(after)
    text = "".join(character.text for character in after)
    for word in re.finditer(r"\w+", text):
        typed = word.group()
        if typed.isupper() and len(typed) > 1:
            lowered = typed.lower()
            if word.start() == 0:
                lowered = lowered[:1].upper() + lowered[1:]
            for offset, character in enumerate(lowered):
                result[word.start() + offset] = result[word.start() + offset]._replace(
                    text=character)
    return tuple(result)


def _tokens(characters: tuple[Printed, ...], caps: bool) -> list[tuple[object, int, int]]:
    """Words, spaces and punctuation, each as (what is compared, start, end); a word whose
    look changes inside it is several tokens."""
    text = "".join(character.text for character in characters)
    tokens: list[tuple[object, int, int]] = []
    for match in _TOKEN.finditer(text):
        start = match.start()
        for index in range(match.start() + 1, match.end() + 1):
            if index == match.end() or characters[index].look != characters[start].look:
                piece = text[start:index]
                key = " " if piece.isspace() else (piece.upper() if caps else piece)
                look = characters[start].look if not piece.isspace() else Look()
                tokens.append(((key, look), start, index))
                start = index
    return tokens


def _runs(characters: tuple[Printed, ...], markup_look: Callable[[Look], Look]
          ) -> list[tuple[Look, list[str]]]:
    """Characters grouped by the look markup must give them (spaces as `_space_looks`)."""
    looks = _space_looks([(character.text, markup_look(character.look))
                          for character in characters])
    runs: list[tuple[Look, list[str]]] = []
    for character, look in zip(characters, looks, strict=True):
        if runs and runs[-1][0] == look:
            runs[-1][1].append(character.text)
        else:
            runs.append((look, [character.text]))
    return runs


def _space_looks(items: list[tuple[str, Look]]) -> list[Look]:
    """The looks of characters, a space taking the look of the words on both sides of it
    when they share one (two bold words are one bold phrase), else none."""
    looks = [look for _, look in items]
    for index, (text, _) in enumerate(items):
        if not text.isspace():
            continue
        previous = next((looks[other] for other in range(index - 1, -1, -1)
                         if not items[other][0].isspace()), None)
        following = next((looks[other] for other in range(index + 1, len(items))
                          if not items[other][0].isspace()), None)
        looks[index] = previous if previous is not None and previous == following else Look()
    return looks


def _nested(items: list[tuple[Look, Inline]]) -> list[Inline]:
    """Inline nodes for characters with their looks: links outside bold outside italic."""
    looks = _space_looks([(node.text if isinstance(node, Text) else "x", look)
                          for look, node in items])
    items = [(look, node) for look, (_, node) in zip(looks, items, strict=True)]
    nodes: list[Inline] = []
    index = 0
    while index < len(items):
        look = items[index][0]
        end = index
        while end < len(items) and items[end][0] == look:
            end += 1
        inner: list[Inline] = _merged_text([node for _, node in items[index:end]])
        if look.italic:
            inner = [Emphasis(tuple(inner))]
        if look.bold:
            inner = [Strong(tuple(inner))]
        if look.link and look.link.startswith(ALLOWED_LINK_SCHEMES):
            inner = [Link(look.link, tuple(inner))]
        nodes += inner
        index = end
    return _merged_text(nodes)


def _merged_text(nodes: list[Inline]) -> list[Inline]:
    merged: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + node.text)
        else:
            merged.append(node)
    return merged


def _escaped(words: str) -> str:
    return re.sub(r"([\\*\[\]])", r"\\\1", words)


def _find_loosely(text: str, wanted: str) -> tuple[int, int] | None:
    """Where `wanted` is in `text`, any kind of space matching any other."""
    pattern = "".join(r"[ \u00a0\u202f\u2009]" if char in _SPACES else re.escape(char)
                      for char in wanted)
    found = re.search(pattern, text)
    return (found.start(), found.end()) if found else None


def _shown(characters: tuple[Printed, ...], change: _Change) -> str:
    return repr("".join(character.text for character in
                        characters[change.before_start:change.before_end]).strip())


def _key(character: str) -> str:
    if character in _SPACES:
        return " "
    upper = character.upper()
    if upper == "\u0130":
        return "I"
    return upper if len(upper) == 1 else character


def _plain(character: str) -> str:
    return " " if character in _SPACES else unicodedata.normalize("NFC", character)


def _squeezed(items: list[tuple[str, Look]]) -> list[tuple[str, Look]]:
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
