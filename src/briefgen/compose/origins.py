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

_SPACES = frozenset(" \u00a0\u202f\u2009")


def split_at_origins(before: list[Span], after: list[Span]) -> list[Span]:
    """`after` (the finished spans) cut where the field its characters came from changes,
    each piece with its field as `origin` ("" for the template's words and source markers).

    `before` are the same words before they were joined, trimmed and typeset, each span
    with its own origin. Characters typesetting added take the origin of their neighbours
    when both have the same, else none (a space set before a French colon that ends a
    field is the template's)."""
    origins = [span.origin for span in before for _ in span.text]
    if not any(origins):
        return [span._replace(origin="") if span.origin else span for span in after]
    source = "".join(span.text for span in before)
    target = "".join(span.text for span in after)
    placed = _origins_of(source, origins, target)
    pieces: list[Span] = []
    starts = [0, *accumulate(len(span.text) for span in after)]
    for span, start in zip(after, starts, strict=False):
        end = start + len(span.text)
        cut = start
        for index in range(start + 1, end + 1):
            if index == end or placed[index] != placed[cut]:
                pieces.append(span._replace(text=span.text[cut - start:index - start],
                                            origin=placed[cut]))
                cut = index
    return pieces


def _origins_of(source: str, origins: list[str], target: str) -> list[str]:
    """The origin of each character of `target`, found by aligning it with `source`."""
    source_key, target_key = _key(source), _key(target)
    offset = len(source_key) - len(source_key.lstrip(" "))
    if source_key.strip(" ") == target_key:  # only trimmed: the usual case, and quick
        return origins[offset:offset + len(target)]
    placed = [""] * len(target)
    matcher = difflib.SequenceMatcher(None, source_key, target_key, autojunk=False)
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
    return "".join(" " if char in _SPACES else _upper(char) for char in text)


def _upper(char: str) -> str:
    upper = char.upper()
    if upper == "\u0130":  # Azerbaijani and Turkish dotted capital I
        return "I"
    return upper if len(upper) == 1 else char
