"""Source markers set where the clause that cites them ends, in the page's language's way."""

from __future__ import annotations

import re

from briefgen.document import Span
from briefgen.resolve.locale_format import NARROW_NO_BREAK_SPACE

# A source marker goes where the clause that cites it ends: at the next comma, full stop,
# closing bracket or quote, or at the end of the paragraph; never inside a figure (its
# qualifier, number and unit are one piece: the stop of "долл." ends no clause). English
# sets it after the punctuation ("people.⁴"); French and Russian before it ("pays⁵ :",
# "человек⁴."), after a closing bracket or quote.
_CLAUSE_END = re.compile(r"[,;:.!?)\]»”’\"]+(?=\s|$)")
_CLOSERS = ")]»”’\""
_CLAUSE_END_CHARACTERS = frozenset(",;:.!?)]»”’\"")
_MARKER_BEFORE_PUNCTUATION = {"fr", "ru"}
_SPACES = " \u00a0\u202f"
# Words that join the last item of a list ("Androy, Anosy and Atsimo-Andrefana"), and words
# that open a clause after a comma (", and births remain", ", although costs rise"): a comma
# followed by a clause ends one; a comma between list items does not (see `_joins_items`).
_LIST_WORDS = frozenset({"and", "or", "et", "ou", "ni", "и", "или", "либо", "və", "yaxud"})
_CLAUSE_WORDS = _LIST_WORDS | frozenset({
    "but", "so", "yet", "while", "although", "though", "because", "which", "who", "whose",
    "where", "when", "as", "since", "whereas", "including", "mais", "donc", "car", "qui",
    "que", "dont", "où", "lorsque", "tandis", "alors", "puisque", "но", "а", "что", "который",
    "которые", "где", "когда", "хотя", "поскольку", "amma", "lakin", "ancaq", "çünki", "ki"})
_LIST_ITEM_WORDS = 4  # a list item before its "and" is a name or a few words


def markers_at_clause_ends(spans: list[Span], language: str) -> list[Span]:
    """Source markers moved to the end of their clause; markers meeting there are joined
    with commas ("⁴,⁵") and the same source is marked once.

    A marker right after a digit is set off by a narrow no-break space, where "70⁴" would
    read (and copy) as 704; after a word, a bracket or a stop it follows without a space.
    """
    placement = _MarkerPlacement(spans, language)
    for position, span in enumerate(spans):
        placement.add(position, span)
    placement.release()
    return placement.placed


class _MarkerPlacement:
    """A paragraph's spans placed one by one, the markers cited waiting for their clause's
    end (see `markers_at_clause_ends`)."""

    def __init__(self, spans: list[Span], language: str) -> None:
        self.spans = spans
        self.before_punctuation = language.split("-")[0] in _MARKER_BEFORE_PUNCTUATION
        self.placed: list[Span] = []
        self.waiting: list[Span] = []
        self.in_list = False  # a comma between list items was passed since they were cited

    def add(self, position: int, span: Span) -> None:
        """Place `spans[position]`: a marker waits; text ends the clause or goes on it."""
        if span.reference is not None and span.superscript:
            if all(marker.reference != span.reference for marker in self.waiting):
                self.waiting.append(span)
            return
        if (self.waiting and span.text.startswith("(") and self.placed
                and not _ends_in_typed_number(self.placed)):
            self.release_before_aside()
        found = self.clause_end(position, span) if self.waiting and not span.figure else None
        if found is None:
            self.placed.append(span)
        else:
            self.split_at(span, found)

    def release(self) -> None:
        """Set the waiting markers here, in number order."""
        self.in_list = False
        waiting, placed = self.waiting, self.placed
        if not waiting:
            return
        waiting.sort(key=lambda marker: int(marker.text) if marker.text.isdigit() else 0)
        first = waiting[0]
        before = "".join(span.text for span in placed[-3:])
        if before[-1:].isdigit():
            placed.append(first._replace(text=NARROW_NO_BREAK_SPACE, reference=None,
                                         superscript=False))
        for index, marker in enumerate(waiting):
            if index:
                placed.append(marker._replace(text=",", reference=None))
            placed.append(marker)
        waiting.clear()

    def release_before_aside(self) -> None:
        """A parenthesis that starts a span (a chart's "(see chart)") opens an aside: the
        clause before it is done, and its markers go before the aside, not after it; unless
        the clause ends in a number ("below their 2021 level" does not, "sous leur niveau de
        2021" does), where a marker would read as a note on the number (a year): there they
        go after the aside, where the clause ends (the caller checks)."""
        last = self.placed[-1]
        spaced = last.text.endswith(" ")
        self.placed[-1] = last._replace(text=last.text.rstrip(" "))
        self.release()
        if spaced:
            self.placed.append(last._replace(text=" "))

    def clause_end(self, position: int, span: Span) -> re.Match[str] | None:
        """Where in `span` the clause of the waiting markers ends; None when it goes on."""
        for match in _CLAUSE_END.finditer(span.text):
            after = span.text[match.end():] + _text_after(self.spans, position)
            if match.end() == len(span.text) and after[:1] in _CLAUSE_END_CHARACTERS:
                continue  # "(see chart)" + ".": the clause ends after the stop
            if match.group() == "," and _joins_items(after, self.in_list):
                self.in_list = True  # "in Androy, Anosy and …": the clause goes on
                continue
            return match
        return None

    def split_at(self, span: Span, found: re.Match[str]) -> None:
        """`span` cut where its clause ends, the waiting markers set in the cut: after the
        punctuation, or before it in French and Russian."""
        cut = found.end()
        if self.before_punctuation:
            closers = len(found.group()) - len(found.group().lstrip(_CLOSERS))
            cut = found.start() + closers
            if not closers:  # "pays :" -> "pays⁵ :"
                cut = len(span.text[:cut].rstrip(_SPACES))
        head, tail = span.text[:cut], span.text[cut:]
        if head:
            self.placed.append(span._replace(text=head))
        self.release()
        if tail:
            self.placed.append(span._replace(text=tail))


def _ends_in_typed_number(placed: list[Span]) -> bool:
    """Whether the text so far ends in a number typed as words are (a year), not a figure."""
    last = next((span for span in reversed(placed) if span.text.strip(_SPACES)), None)
    return last is not None and not last.figure and last.text.rstrip(_SPACES)[-1:].isdigit()


def _text_after(spans: list[Span], position: int) -> str:
    """The words of the paragraph after `spans[position]`, without source markers."""
    return "".join(span.text for span in spans[position + 1:]
                   if span.reference is None or not span.superscript)


def _joins_items(rest: str, in_list: bool) -> bool:
    """Whether a comma followed by `rest` separates the items of a list rather than ending a
    clause: the words up to the next punctuation are a short item and "and" ("Androy, Anosy
    and Atsimo-Andrefana get"), or one item before the serial comma ("Anosy, and"), or, after
    list items, the last one (", and Atsimo-Andrefana")."""
    end = _CLAUSE_END.search(rest)
    words = [word.lower() for word in (rest[:end.start()] if end else rest).split()]
    if not words:
        return False
    if words[0] in _CLAUSE_WORDS:
        return in_list and words[0] in _LIST_WORDS
    if any(word in _LIST_WORDS for word in words[1:_LIST_ITEM_WORDS + 1]):
        return True
    following = rest[end.end():].split()[:1] if end is not None else []
    return (end is not None and end.group() == "," and len(words) <= _LIST_ITEM_WORDS
            and bool(following) and following[0].lower() in _LIST_WORDS)
