"""Printed characters and where two runs of them differ, word by word.

Both a paragraph of the DOCX and a field of the spec are compared as characters with a look
(bold, italic, link): split into words, spaces and punctuation, a word cut where its look
changes, so that making a word bold is a change of that word. Changes only a space apart
are one ("Bottom line" → "In short", two words made bold).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import NamedTuple, Protocol

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
SPACES = frozenset(" \u00a0\u202f\u2009\u2007\u2002\u2003\n\t\r\u2028")


class Look(NamedTuple):
    """How a printed character looks: what the spec's markup can say of it."""

    bold: bool = False
    italic: bool = False
    link: str | None = None


class Printed(NamedTuple):
    """One printed character and its look."""

    text: str
    look: Look


class Change(NamedTuple):
    """Characters `before_start`-`before_end` became `after_start`-`after_end`."""

    before_start: int
    before_end: int
    after_start: int
    after_end: int


class _Character(Protocol):
    @property
    def text(self) -> str: ...

    @property
    def look(self) -> Look: ...


def differences(before: Sequence[_Character], after: Sequence[_Character], *,
                caps: bool = False) -> list[Change]:
    """Where `after` differs from `before`, word by word and by look; `caps`: regardless of
    case (words set in capitals)."""
    old, new = tokens(before, caps), tokens(after, caps)
    matcher = difflib.SequenceMatcher(None, [key for key, _, _ in old],
                                      [key for key, _, _ in new], autojunk=False)
    found: list[Change] = []
    for operation, first, last, start, end in matcher.get_opcodes():
        if operation == "equal":
            continue
        change = Change(_start(old, first, len(before)), _end(old, first, last, len(before)),
                        _start(new, start, len(after)), _end(new, start, end, len(after)))
        if found and not text_of(before[found[-1].before_end:change.before_start]).strip() \
                and not text_of(after[found[-1].after_end:change.after_start]).strip():
            found[-1] = found[-1]._replace(before_end=change.before_end,
                                           after_end=change.after_end)
        else:
            found.append(change)
    return found


def tokens(characters: Sequence[_Character], caps: bool = False
           ) -> list[tuple[tuple[str, Look], int, int]]:
    """Words, spaces and punctuation as (what is compared, start, end); a word whose look
    changes inside it is several tokens; any run of spaces compares as one space."""
    text = text_of(characters)
    found: list[tuple[tuple[str, Look], int, int]] = []
    for match in _TOKEN.finditer(text):
        start = match.start()
        for index in range(match.start() + 1, match.end() + 1):
            if index == match.end() or characters[index].look != characters[start].look:
                piece = text[start:index]
                if piece.isspace():
                    found.append(((" ", Look()), start, index))
                else:
                    found.append(((piece.upper() if caps else piece, characters[start].look),
                                  start, index))
                start = index
    return found


def _start(found: list[tuple[tuple[str, Look], int, int]], index: int, length: int) -> int:
    return found[index][1] if index < len(found) else length


def _end(found: list[tuple[tuple[str, Look], int, int]], first: int, last: int,
         length: int) -> int:
    return found[last - 1][2] if last > first else _start(found, first, length)


def text_of(characters: Sequence[_Character]) -> str:
    return "".join(character.text for character in characters)


def find_loosely(text: str, wanted: str) -> tuple[int, int] | None:
    """Where `wanted` is in `text`, any kind of space matching any other."""
    pattern = "".join(r"[ \u00a0\u202f\u2009]" if char in SPACES else re.escape(char)
                      for char in wanted)
    found = re.search(pattern, text)
    return (found.start(), found.end()) if found else None


def quoted(text: str, limit: int = 80) -> str:
    """`text` on one line in quotation marks, cut at `limit` characters."""
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[:limit - 1] + '…'}”"


def same_link(address: str | None) -> str | None:
    """A link's address as compared: LibreOffice adds "/" to an address that ends with
    its host (`https://example.org/`)."""
    if address is None:
        return None
    found = re.fullmatch(r"(?i)(https?://[^/?#]+)/", address)
    return found.group(1) if found else address
