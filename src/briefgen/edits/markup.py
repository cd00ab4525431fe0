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
from collections.abc import Callable
from dataclasses import dataclass, field

from briefgen.edits.printed import (
    character_key,
    plain_character,
    project,
    squeezed,
)
from briefgen.edits.words import Change, Look, Printed, differences, find_loosely
from briefgen.resolve.view import BriefView
from briefgen.spec.inline import _LINK as LINK_PATTERN  # the parser's own pattern
from briefgen.spec.inline import (
    ALLOWED_LINK_SCHEMES,
    Emphasis,
    Inline,
    Link,
    SourceCite,
    Strong,
    Text,
    normalize_space,
    parse_inline,
)
from briefgen.translation.placeholders import TagError, markup_from_nodes


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


def rewrite_field(value: str, before: tuple[Printed, ...], after: tuple[Printed, ...],
                  view: BriefView, *, caps: bool = False) -> Rewrite:
    """The spec's text `value` changed so that it prints `after` where it printed `before`
    (both as printed in the DOCX, source markers left out, white space normalized).

    `caps`: the words were set in capitals for the page (their case is not the spec's)."""
    return _FieldRewrite(normalize_space(value), before, after, view, caps).run()


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
        built = "".join(character_key(character.text) for character in self.before)
        typed = "".join(character_key(character) for character in self.projection.characters)
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

    def changes(self) -> list[Change]:
        return differences(self.before, self.after, caps=self.caps)

    def acceptable(self, change: Change) -> bool:
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
                    find_loosely(new, atom.printed) is None):
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

    def positions(self, change: Change) -> list[int]:
        return [position for index in range(change.before_start, change.before_end)
                if (position := self.to_projection[index]) is not None]

    def atoms_touched(self, change: Change) -> list[int]:
        return list(dict.fromkeys(atom for position in self.positions(change)
                                  if (atom := self.projection.atom_of[position]) is not None))

    def atom_replaced_whole(self, atom_index: int, change: Change) -> bool:
        positions = set(self.positions(change))
        return all(position in positions
                   for position, atom in enumerate(self.projection.atom_of)
                   if atom == atom_index)

    def wanted(self, changes: list[Change]) -> list[tuple[str, Look]]:
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

    def in_place(self, changes: list[Change]) -> str | None:
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

    def splice(self, change: Change) -> tuple[int, int, str] | None:
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

    def insertion_point(self, change: Change) -> int:
        return self.insertion(change)[0]

    def insertion(self, change: Change) -> tuple[int, int]:
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

    def fragment(self, new: tuple[Printed, ...], context: Look, change: Change
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

    def figures_in(self, words: str, change: Change) -> str:
        """`words` escaped as spec text, a figure the change replaced whole given back its
        citation where its printed number is among the new words."""
        escaped = _escaped(words)
        for atom_index in self.atoms_touched(change):
            atom = self.projection.atoms[atom_index]
            printed = _escaped(atom.printed)
            spot = find_loosely(escaped, printed)
            if atom.printed and spot is not None:
                escaped = escaped[:spot[0]] + self.text[atom.start:atom.end] + escaped[spot[1]:]
        return escaped

    # -- the new text, written again whole -------------------------------------------------

    def regenerated(self, changes: list[Change]) -> str | None:
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

    def new_items(self, change: Change) -> list[tuple[Look, Inline]]:
        """The characters a change types, a figure it replaced whole given back its
        citation where its printed number is among them."""
        new = self.after[change.after_start:change.after_end]
        items: list[tuple[Look, Inline] | None] = [
            (self.markup_look(character.look), Text(character.text)) for character in new]
        typed = "".join(character.text for character in new)
        for atom_index in self.atoms_touched(change):
            atom = self.projection.atoms[atom_index]
            spot = find_loosely(typed, atom.printed) if atom.printed else None
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
        printed = [(character_key(character) if self.caps else plain_character(character), look)
                   for character, look in zip(projection.characters, projection.looks,
                                              strict=True)]
        expected = [(character_key(character) if self.caps else plain_character(character), look)
                    for character, look in wanted]
        return squeezed(printed) == squeezed(expected)


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


def _shown(characters: tuple[Printed, ...], change: Change) -> str:
    return repr("".join(character.text for character in
                        characters[change.before_start:change.before_end]).strip())


