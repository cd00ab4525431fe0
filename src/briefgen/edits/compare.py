"""Each paragraph of a DOCX as built against the same paragraph edited: which field changed.

The DOCX records every paragraph as it was built, each word with the field it came from
(`render/docx_marks.py`). An edited paragraph is found again by briefgen's bookmarks in it;
one whose bookmarks were lost (its whole text typed over) by its place among the others and
its words. The two are compared word by word, and each change goes to the field whose words
it changes; at the edge between two fields, or between a field and the template's words
("Bottom line:"), the bookmarks say where the colleague typed, else the words typed next to
a field's are the field's. A change of the template's words is reported, never taken.

Source markers are left out (they come from citations), spaces of every kind are one space,
and word joiners and soft hyphens are no characters: what the DOCX adds so that lines break
as in the PDF is not an edit. Tracked changes are read as the colleague's reviewer would see
them before accepting anything: insertions pending are not taken, deletions pending are not
made, unless `accept_tracked`; either way each is reported with its author.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

from briefgen.edits.reader import EditedCharacter, EditedDocument, EditedParagraph, Revision
from briefgen.edits.words import SPACES, Look, Printed, differences, quoted, same_link, text_of
from briefgen.render.docx_marks import (
    OriginRecord,
    RecordedField,
    RecordedParagraph,
    parse_mark_name,
)

_DROPPED = frozenset("\u2060\u00ad\u200b\ufeff")
# Two paragraphs are taken for the same one, without a bookmark to say so, from this share
# of words in common.
SAME_PARAGRAPH = 0.5
TITLE_PARTS = "; "  # a title set as headline and deck is one text, its parts so joined


@dataclass(frozen=True)
class Finding:
    """Something in the edited DOCX to tell the user: `kind` is one of tracked, comment,
    outside, deleted, moved, formatting; `field` the field concerned, if one is."""

    kind: str
    message: str
    field: RecordedField | None = None
    hint: str = ""


@dataclass
class FieldChange:
    """A field's words as built and as edited (source markers left out, spaces normalized)."""

    field: RecordedField
    before: tuple[Printed, ...]
    after: tuple[Printed, ...]
    caps: bool = False


@dataclass
class Comparison:
    changes: list[FieldChange] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unchanged: int = 0  # fields compared and found as built


@dataclass(frozen=True)
class _Character:
    text: str
    look: Look
    field: int | None = None  # built: the field it came from
    raw: int = -1  # edited: its index among the paragraph's characters as read


@dataclass
class _Edited:
    """An edited paragraph (or several that were one), as compared."""

    characters: list[_Character]
    paragraphs: list[EditedParagraph]
    marks: dict[int, tuple[int, int]]  # field -> (start, end) among `characters`


def compare_document(record: OriginRecord, document: EditedDocument, *,
                     accept_tracked: bool = False) -> Comparison:
    """Every field's words as built against the edited DOCX's, with what else to tell."""
    return _Comparer(record, document, accept_tracked).run()


class _Comparer:
    def __init__(self, record: OriginRecord, document: EditedDocument,
                 accept_tracked: bool) -> None:
        self.record = record
        self.document = document
        self.accept_tracked = accept_tracked
        self.result = Comparison()
        self.parts: dict[int, list[tuple[tuple[Printed, ...], tuple[Printed, ...], bool]]] = {}

    def run(self) -> Comparison:
        pairs, unmatched_built, unmatched_edited = self.match_paragraphs()
        for number, edited in pairs:
            self.compare(self.record.paragraphs[number], edited)
        for number in unmatched_built:
            for field_number in self.fields_of(self.record.paragraphs[number]):
                recorded = self.record.fields.get(field_number)
                self.result.findings.append(Finding(
                    "deleted", "its paragraph was deleted in the DOCX; the spec keeps the text "
                    "(delete it there if that was meant)", recorded))
        for paragraph in unmatched_edited:
            text = _plain(paragraph.characters, self.accept_tracked)
            if text:
                before = next((_plain(other.characters, self.accept_tracked) for other in
                               reversed(self.document.paragraphs[:paragraph.index])
                               if _plain(other.characters, self.accept_tracked)), "")
                where = f" after {quoted(before, 40)}" if before else " at the top"
                self.result.findings.append(Finding(
                    "outside", f"a paragraph typed outside the spec's texts{where}: "
                    f"{quoted(text)}; not taken"))
        self.report_revisions()
        self.report_unsaid()
        self.report_comments()
        self.collect()
        return self.result

    # -- paragraphs -----------------------------------------------------------------------

    def match_paragraphs(self) -> tuple[list[tuple[int, _Edited]], list[int],
                                        list[EditedParagraph]]:
        """Built paragraphs with the edited ones that are them: first by bookmarks, then,
        between those, by their words; the built ones not found, and the edited ones
        that are none of them."""
        anchored = self.anchored()
        order = self.in_order(anchored)
        used = {paragraph.index for paragraphs in anchored.values() for paragraph in paragraphs}
        pairs = [(number, self.edited(number, paragraphs))
                 for number, paragraphs in anchored.items()]
        unmatched_built: list[int] = []
        unmatched_edited: list[EditedParagraph] = []
        bounds = [(-1, -1), *order, (len(self.record.paragraphs), len(self.document.paragraphs))]
        for (first, first_at), (last, last_at) in itertools.pairwise(bounds):
            gap_built = [number for number in range(first + 1, last) if number not in anchored]
            gap_edited = [paragraph for paragraph in
                          self.document.paragraphs[first_at + 1:max(last_at, first_at + 1)]
                          if paragraph.index not in used
                          and _plain(paragraph.characters, self.accept_tracked)]
            matched, lost, new = self.match_gap(gap_built, gap_edited)
            pairs += matched
            unmatched_built += lost
            unmatched_edited += new
        return pairs, unmatched_built, unmatched_edited

    def anchored(self) -> dict[int, list[EditedParagraph]]:
        """Built paragraph -> the edited paragraphs that hold its bookmarks, in order (more
        than one when it was split, which is reported)."""
        built = self.record.paragraphs
        anchored: dict[int, list[EditedParagraph]] = {}
        for paragraph in self.document.paragraphs:
            numbers = {parsed[0] for name in {*paragraph.mark_starts, *paragraph.mark_ends}
                       if (parsed := parse_mark_name(name)) is not None
                       and parsed[0] < len(built)}
            for number in sorted(numbers):
                anchored.setdefault(number, []).append(paragraph)
        for number, paragraphs in anchored.items():
            if len(paragraphs) > 1:
                self.result.findings.append(Finding(
                    "outside", "a paragraph was split in the DOCX; its parts are taken as one "
                    "(a text of the spec is one paragraph)",
                    self.first_field(built[number])))
        return anchored

    def in_order(self, anchored: dict[int, list[EditedParagraph]]) -> list[tuple[int, int]]:
        """The anchored paragraphs that kept their order (the longest such run); the others
        were moved, which is reported (the order is the spec's)."""
        items = sorted((number, paragraphs[0].index) for number, paragraphs in anchored.items())
        kept = _longest_increasing(items)
        for number, _ in items:
            if (number, anchored[number][0].index) not in kept:
                self.result.findings.append(Finding(
                    "moved", "was moved in the DOCX; the order is the spec's (move it there "
                    "if that was meant)", self.first_field(self.record.paragraphs[number])))
        return sorted(kept)

    def match_gap(self, numbers: list[int], edited: list[EditedParagraph]
                  ) -> tuple[list[tuple[int, _Edited]], list[int], list[EditedParagraph]]:
        built_texts = [_normalizedtext_of(self.record.paragraphs[number]) for number in numbers]
        edited_texts = [_plain(paragraph.characters, self.accept_tracked)
                        for paragraph in edited]
        matcher = difflib.SequenceMatcher(None, built_texts, edited_texts, autojunk=False)
        pairs: list[tuple[int, _Edited]] = []
        lost: list[int] = []
        new: list[EditedParagraph] = []
        for operation, first, last, start, end in matcher.get_opcodes():
            if operation == "equal":
                pairs += [(numbers[index], self.edited(numbers[index], [edited[other]]))
                          for index, other in zip(range(first, last), range(start, end),
                                                  strict=True)]
                continue
            candidates = list(range(start, end))
            for index in range(first, last):
                best = max(candidates, default=None, key=lambda other: _similarity(
                    built_texts[index], edited_texts[other]))
                if best is not None and _similarity(built_texts[index],
                                                    edited_texts[best]) >= SAME_PARAGRAPH:
                    candidates.remove(best)
                    pairs.append((numbers[index], self.edited(numbers[index], [edited[best]])))
                else:
                    lost.append(numbers[index])
            new += [edited[other] for other in candidates]
        return pairs, lost, new

    def edited(self, number: int, paragraphs: list[EditedParagraph]) -> _Edited:
        """The edited paragraphs that are built paragraph `number`, as one: characters as
        the reviewer sees them (tracked changes per `accept_tracked`), normalized, with
        where each of the paragraph's fields' bookmarks are."""
        characters: list[_Character] = []
        starts: dict[int, int] = {}
        ends: dict[int, int] = {}
        for paragraph in paragraphs:
            if characters:
                characters.append(_Character(" ", Look()))
            offset = len(characters)
            kept = [index for index, character in enumerate(paragraph.characters)
                    if self.visible(character)]
            shifted = {raw: position for position, raw in enumerate(kept)}
            characters += [_Character(paragraph.characters[raw].text,
                                      self.look(paragraph.characters[raw]), raw=raw)
                           for raw in kept]
            for names, found in ((paragraph.mark_starts, starts), (paragraph.mark_ends, ends)):
                for name, raw in names.items():
                    parsed = parse_mark_name(name)
                    if parsed is None or parsed[0] != number:
                        continue
                    found[parsed[1]] = offset + next(
                        (shifted[index] for index in range(raw, len(paragraph.characters))
                         if index in shifted), len(kept))
        normalized, positions = _normalize(characters)
        mapped = {field_number: (positions[starts.get(field_number, 0)],
                                 positions[ends.get(field_number, len(characters))])
                  for field_number in {*starts, *ends}}
        return _Edited(normalized, paragraphs, mapped)

    def visible(self, character: EditedCharacter) -> bool:
        """Whether a character counts, as tracked changes stand (`accept_tracked`)."""
        if character.raised:
            return False  # a source marker, or a number a colleague raised: not words
        revision = character.revision
        if revision is None:
            return True
        return (revision.kind == "insert") == self.accept_tracked

    def look(self, character: EditedCharacter) -> Look:
        bold, italic = character.bold, character.italic
        if character.formerly is not None and not self.accept_tracked:
            bold, italic = character.formerly
        return Look(bold, italic, same_link(character.link))

    # -- within a paragraph ---------------------------------------------------------------

    def compare(self, paragraph: RecordedParagraph, edited: _Edited) -> None:
        built = _built_characters(paragraph)
        ranges = _field_ranges(built)
        changes: dict[int, list[tuple[int, int, int, int]]] = {
            number: [] for number in ranges}
        for first, last, start, end in differences(built, edited.characters):
            for piece in self.split(built, edited, ranges, (first, last, start, end)):
                owner, change = piece
                if owner is not None:
                    changes[owner].append(change)
                elif built[change[0]:change[1]] or edited.characters[change[2]:change[3]]:
                    if not (text_of(built[change[0]:change[1]]).strip()
                            or text_of(edited.characters[change[2]:change[3]]).strip()):
                        continue  # only spaces changed
                    old = _whole_words(built, change[0], change[1])
                    new = _whole_words(edited.characters, change[2], change[3])
                    near = self.first_field(paragraph)
                    place = (f"in the paragraph {quoted(text_of(built), 60)}" if near else
                             f"in {quoted(text_of(built), 60)}, the paragraph before this "
                             "text: a key figure changes in its stat")
                    self.result.findings.append(Finding(
                        "outside", f"words briefgen prints changed: {quoted(old)} → "
                        f"{quoted(new)} ({place}); not taken",
                        near or self.next_field(paragraph)))
        for number, (start, end) in ranges.items():
            before = tuple(Printed(character.text, character.look)
                           for character in built[start:end])
            after = _applied(built, edited.characters, start, end, changes[number])
            self.parts.setdefault(number, []).append((before, after, paragraph.caps))

    def split(self, built: list[_Character], edited: _Edited,
              ranges: dict[int, tuple[int, int]], change: tuple[int, int, int, int]
              ) -> Iterator[tuple[int | None, tuple[int, int, int, int]]]:
        """The field a change belongs to (None: the template's words), a change that
        crosses an edge cut there where its words allow it."""
        first, last, start, end = change
        owners = {_owner(ranges, index) for index in range(first, last)}
        if last == first:
            yield self.inserted_by(built, edited, ranges, change), change
            return
        if len(owners) == 1:
            yield owners.pop(), change
            return
        # Across an edge: compared again character by character, each piece on its side.
        before = text_of(built[first:last])
        after = text_of(edited.characters[start:end])
        matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
        for operation, one, two, three, four in matcher.get_opcodes():
            if operation == "equal":
                continue
            piece = (first + one, first + two, start + three, start + four)
            piece_owners = {_owner(ranges, index) for index in range(piece[0], piece[1])}
            if piece[0] == piece[1]:
                yield self.inserted_by(built, edited, ranges, piece), piece
            elif len(piece_owners) == 1:
                yield piece_owners.pop(), piece
            else:
                self.result.findings.append(Finding(
                    "outside", f"a change across the edge of a text of the spec "
                    f"({quoted(text_of(built[piece[0]:piece[1]]))} → "
                    f"{quoted(text_of(edited.characters[piece[2]:piece[3]]))}); not taken",
                    self.record.fields.get(next(owner for owner in piece_owners
                                                if owner is not None))))

    def inserted_by(self, built: list[_Character], edited: _Edited,
                    ranges: dict[int, tuple[int, int]], change: tuple[int, int, int, int]
                    ) -> int | None:
        """The field words typed at `change` (an insertion) belong to: the one whose
        bookmark holds them, else the one they are inside or next to."""
        at, _, start, end = change
        for number, (mark_start, mark_end) in edited.marks.items():
            if number in ranges and mark_start <= start and end <= mark_end and (
                    mark_start < mark_end):
                return number
        inside = _owner(ranges, at) if at < len(built) else None
        previous = _owner(ranges, at - 1) if at > 0 else None
        if inside is not None and inside == previous:
            return inside
        return previous if previous is not None else inside

    # -- fields ---------------------------------------------------------------------------

    def collect(self) -> None:
        """Each field's words as one change: a title set as headline and deck is one text
        (its parts joined as the spec writes them); a text printed in several places
        changes where it was edited, if that is one place."""
        for number, parts in sorted(self.parts.items()):
            recorded = self.record.fields.get(number)
            if recorded is None:
                continue
            if len(parts) > 1 and recorded.origin.split(".")[:2] != ["brief", "title"]:
                edited = [part for part in parts if _words(list(part[0])) != _words(
                    list(part[1]))]
                if len(edited) > 1:
                    self.result.findings.append(Finding(
                        "edit", f"printed in {len(parts)} places and edited in more than one; "
                        "not taken", recorded, "edit it in the spec"))
                    continue
                parts = edited or parts[:1]
            self.field_change(recorded, parts)

    def field_change(self, recorded: RecordedField,
                     parts: list[tuple[tuple[Printed, ...], tuple[Printed, ...], bool]]) -> None:
        before: list[Printed] = []
        after: list[Printed] = []
        for index, (part_before, part_after, _) in enumerate(parts):
            if index:
                joiner = tuple(Printed(character, Look()) for character in TITLE_PARTS)
                before += joiner
                after += joiner
            before += part_before
            after += part_after
        caps = any(caps for _, _, caps in parts)
        if _words(before) == _words(after):
            self.result.unchanged += 1
        elif not text_of(after).strip():
            self.result.findings.append(Finding(
                "deleted", "its words were deleted in the DOCX; the spec keeps them "
                "(delete them there if that was meant)", recorded))
        else:
            self.result.changes.append(FieldChange(recorded, tuple(before), tuple(after), caps))

    def fields_of(self, paragraph: RecordedParagraph) -> list[int]:
        return list(dict.fromkeys(run.field for run in paragraph.runs
                                  if run.field is not None))

    def next_field(self, paragraph: RecordedParagraph) -> RecordedField | None:
        """The first field of the paragraph after `paragraph` (a key figure's number is
        followed by its label)."""
        following = self.record.paragraphs[paragraph.number + 1:paragraph.number + 2]
        return self.first_field(following[0]) if following else None

    def first_field(self, paragraph: RecordedParagraph) -> RecordedField | None:
        fields = self.fields_of(paragraph)
        return self.record.fields.get(fields[0]) if fields else None

    # -- tracked changes and comments -------------------------------------------------------

    def report_revisions(self) -> None:
        for paragraph in self.document.paragraphs:
            for revision, text, position in _revisions(paragraph):
                what = "insertion" if revision.kind == "insert" else "deletion"
                state = ("accepted (--accept-tracked)" if self.accept_tracked
                         else "pending: not taken")
                by = f" by {revision.author}" if revision.author else ""
                when = f" ({revision.date[:10]})" if revision.date else ""
                self.result.findings.append(Finding(
                    "tracked", f"tracked {what}{by}{when}: {quoted(text)}; {state}",
                    self.field_at(paragraph, position), "" if self.accept_tracked else
                    "accept or reject it in Word, or take every tracked change with "
                    "--accept-tracked"))

    def report_unsaid(self) -> None:
        """Formatting a colleague gave words that the spec's markup cannot say."""
        for paragraph in self.document.paragraphs:
            current: tuple[str, ...] = ()
            words: list[str] = []
            start = 0
            for index, character in enumerate([*paragraph.characters, None]):
                unsaid = character.unsaid if character is not None else ()
                if unsaid != current:
                    if current and "".join(words).strip():
                        self.result.findings.append(Finding(
                            "formatting", f"{' and '.join(current)} on "
                            f"{quoted(''.join(words))} in the DOCX, which the spec's text "
                            "cannot say; the words are taken without it",
                            self.field_at(paragraph, start)))
                    current, words, start = unsaid, [], index
                if character is not None and unsaid:
                    words.append(character.text)

    def report_comments(self) -> None:
        for identifier, comment in self.document.comments.items():
            paragraph = next((item for item in self.document.paragraphs
                              if identifier in item.comment_starts
                              or identifier in item.comment_ends), None)
            recorded = None
            if paragraph is not None:
                position = paragraph.comment_starts.get(identifier,
                                                        paragraph.comment_ends.get(identifier, 0))
                recorded = self.field_at(paragraph, position)
            by = f" by {comment.author}" if comment.author else ""
            self.result.findings.append(Finding(
                "comment", f"comment{by}: {quoted(comment.text, 200)}", recorded))

    def field_at(self, paragraph: EditedParagraph, position: int) -> RecordedField | None:
        """The field whose bookmark holds `position` of `paragraph`, else the nearest one
        before it, else the paragraph's first."""
        best: tuple[int, int] | None = None
        for name, start in paragraph.mark_starts.items():
            parsed = parse_mark_name(name)
            if parsed is None:
                continue
            end = paragraph.mark_ends.get(name, len(paragraph.characters))
            if start <= position <= end:
                return self.record.fields.get(parsed[1])
            if start <= position and (best is None or start > best[0]):
                best = (start, parsed[1])
        if best is not None:
            return self.record.fields.get(best[1])
        names = [parse_mark_name(name) for name in paragraph.mark_ends]
        found = next((parsed for parsed in names if parsed is not None), None)
        return self.record.fields.get(found[1]) if found else None


def _revisions(paragraph: EditedParagraph) -> Iterator[tuple[Revision, str, int]]:
    """Each run of characters one tracked change made: the change, its words, where."""
    current: Revision | None = None
    text: list[str] = []
    start = 0
    for index, character in enumerate([*paragraph.characters, None]):
        revision = character.revision if character is not None else None
        if revision != current:
            if current is not None and "".join(text).strip():
                yield current, " ".join("".join(text).split()), start
            current, text, start = revision, [], index
        if character is not None and revision is not None:
            text.append(character.text)


def _built_characters(paragraph: RecordedParagraph) -> list[_Character]:
    characters = [_Character(character, Look(run.bold, run.italic, same_link(run.link)),
                             run.field)
                  for run in paragraph.runs if not run.marker for character in run.text]
    return _normalize(characters)[0]


def _normalize(characters: list[_Character]) -> tuple[list[_Character], list[int]]:
    """Characters with every space one plain space, runs of them one, none at the ends,
    invisible ones left out; and for each position of the input, its place in the result."""
    result: list[_Character] = []
    positions: list[int] = []
    for character in characters:
        positions.append(len(result))
        if character.text in _DROPPED:
            continue
        if character.text in SPACES or character.text.isspace():
            if result and result[-1].text != " ":
                result.append(_Character(" ", Look(), character.field, character.raw))
            continue
        result.append(character)
    positions.append(len(result))
    while result and result[-1].text == " ":
        result.pop()
    return result, [min(position, len(result)) for position in positions]


def _field_ranges(characters: list[_Character]) -> dict[int, tuple[int, int]]:
    """Each field's characters in a paragraph: from its first to its last (source markers
    and the spaces set beside them included)."""
    ranges: dict[int, tuple[int, int]] = {}
    for index, character in enumerate(characters):
        if character.field is None:
            continue
        start, _ = ranges.get(character.field, (index, index))
        ranges[character.field] = (start, index + 1)
    return ranges


def _owner(ranges: dict[int, tuple[int, int]], index: int) -> int | None:
    for number, (start, end) in ranges.items():
        if start <= index < end:
            return number
    return None


def _applied(built: list[_Character], edited: list[_Character], start: int, end: int,
             changes: list[tuple[int, int, int, int]]) -> tuple[Printed, ...]:
    """A field's built characters `start`-`end` with its changes made."""
    result: list[Printed] = []
    index = start
    for first, last, new_start, new_end in sorted(changes):
        result += [Printed(character.text, character.look)
                   for character in built[index:max(first, index)]]
        result += [Printed(character.text, character.look)
                   for character in edited[new_start:new_end]]
        index = max(index, last)
    result += [Printed(character.text, character.look) for character in built[index:end]]
    # Spaces at the ends of the field's words are the template's.
    while result and result[0].text == " ":
        result.pop(0)
    while result and result[-1].text == " ":
        result.pop()
    return tuple(result)


def _longest_increasing(items: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """The longest run of `items` (in their order) whose second values increase."""
    best: list[list[tuple[int, int]]] = []
    for item in items:
        longest: list[tuple[int, int]] = []
        for chain in best:
            if chain[-1][1] < item[1] and len(chain) > len(longest):
                longest = chain
        best.append([*longest, item])
    found: list[tuple[int, int]] = []
    for chain in best:
        if len(chain) > len(found):
            found = chain
    return set(found)




def _whole_words(characters: list[_Character], start: int, end: int) -> str:
    """The words characters `start`-`end` are part of."""
    while start > 0 and not characters[start - 1].text.isspace():
        start -= 1
    while end < len(characters) and not characters[end].text.isspace():
        end += 1
    return text_of(characters[start:end]).strip()


def _normalizedtext_of(paragraph: RecordedParagraph) -> str:
    return text_of(_built_characters(paragraph))


def _plain(characters: list[EditedCharacter], accept_tracked: bool) -> str:
    kept = [_Character(character.text, Look()) for character in characters
            if not character.raised and (character.revision is None or (
                character.revision.kind == "insert") == accept_tracked)]
    return text_of(_normalize(kept)[0])


def _words(characters: list[Printed]) -> list[tuple[str, Look]]:
    return [(character.text, character.look) for character in characters]


def _similarity(first: str, second: str) -> float:
    return difflib.SequenceMatcher(None, first.split(), second.split(),
                                   autojunk=False).ratio()
