"""Which spec field each character of a paragraph came from, after typesetting.

Composing joins spans that look alike, trims the paragraph's ends, typesets (no-break spaces,
French spacing, Russian quotes) and sets capitals, so a span may hold the template's words
and a field's words together. `split_at_origins` cuts the finished spans again where the
field changes, so that the DOCX can mark each field's words (`render/docx_marks.py`) and a
colleague's edits find their way back to the spec (`briefgen take-back`). The text and the
look of the spans do not change, only where one span ends and the next begins.
"""

from __future__ import annotations

import difflib
from itertools import accumulate

from briefgen.document import Span

# Every kind of space typesetting sets, as the plain space it replaced.
_AS_SPACE = str.maketrans(dict.fromkeys(" \u00a0\u202f\u2009", " "))
Segment = tuple[int, int, str]  # start, end, origin


def split_at_origins(before: list[Span], after: list[Span]) -> list[Span]:
    """`after` (the finished spans) cut where the field its characters came from changes,
    each piece with its field as `origin` ("" for the template's words and source markers).

    `before` are the same words before they were joined, trimmed and typeset, each span
    with its own origin. Characters typesetting added take the origin of their neighbours
    when both have the same, else none (a space set before a French colon that ends a
    field is the template's)."""
    if not any(span.origin for span in before):
        return [span._replace(origin="") if span.origin else span for span in after]
    source = "".join(span.text for span in before)
    target = "".join(span.text for span in after)
    segments = _segments(before, source, target)
    pieces: list[Span] = []
    starts = [0, *accumulate(len(span.text) for span in after)]
    index = 0
    for span, start in zip(after, starts, strict=False):
        end = start + len(span.text)
        cut = start
        while cut < end:
            while segments[index][1] <= cut:
                index += 1
            stop = min(end, segments[index][1])
            pieces.append(span._replace(text=span.text[cut - start:stop - start],
                                        origin=segments[index][2]))
            cut = stop
    return pieces


def _segments(before: list[Span], source: str, target: str) -> list[Segment]:
    """The runs of `target` that came from one origin each, covering it whole."""
    source_key = source.translate(_AS_SPACE).upper()
    target_key = target.translate(_AS_SPACE).upper()
    trimmed = source_key.strip(" ")
    if trimmed == target_key and len(source_key) == len(source):  # the usual case: trimmed
        offset = len(source_key) - len(source_key.lstrip(" "))
        found: list[Segment] = []
        position = 0
        for span in before:
            start = max(position - offset, 0)
            end = min(position + len(span.text) - offset, len(target))
            position += len(span.text)
            if end > start:
                _add(found, start, end, span.origin)
        _add(found, found[-1][1] if found else 0, len(target), "")
        return found
    origins = [span.origin for span in before for _ in span.text]
    return _segments_of(_aligned(source, origins, target))


def _add(found: list[Segment], start: int, end: int, origin: str) -> None:
    if end <= start:
        return
    if found and found[-1][2] == origin and found[-1][1] == start:
        found[-1] = (found[-1][0], end, origin)
    else:
        found.append((start, end, origin))


def _segments_of(placed: list[str]) -> list[Segment]:
    found: list[Segment] = []
    for index, origin in enumerate(placed):
        _add(found, index, index + 1, origin)
    return found or [(0, 0, "")]


def _aligned(source: str, origins: list[str], target: str) -> list[str]:
    """The origin of each character of `target`, found by aligning it with `source` (rare:
    typesetting added or moved characters, as the French narrow space before « or the
    Russian full stop after »)."""
    placed = [""] * len(target)
    matcher = difflib.SequenceMatcher(None, _key(source), _key(target), autojunk=False)
    for operation, first, last, start, end in matcher.get_opcodes():
        if operation == "equal" or (operation == "replace" and last - first == end - start):
            placed[start:end] = origins[first:last]
        elif operation in ("insert", "replace"):
            before = origins[first - 1] if first > 0 else ""
            after = origins[last] if last < len(origins) else ""
            placed[start:end] = [before if before == after else ""] * (end - start)
    return placed


def _key(text: str) -> str:
    """`text` as alignment compares it: every kind of space alike, and capitals alike
    (a heading set in capitals), one character for one."""
    return "".join(_upper(char) for char in text.translate(_AS_SPACE))


def _upper(char: str) -> str:
    upper = char.upper()
    if upper == "\u0130":  # Azerbaijani and Turkish dotted capital I
        return "I"
    return upper if len(upper) == 1 else char
