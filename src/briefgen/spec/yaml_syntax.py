"""YAML syntax errors in words for people who do not know YAML's terms.

libyaml's wording (and the pure-Python parser's, which is close) names parser states
("block mapping", "simple key"); each common one is found by its words and said again in
terms of what the user typed: lines, keys, colons, quotes, list items starting with '- '.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from briefgen.errors import Location, Problem


class Said(NamedTuple):
    """What the user is told, and whether it points at where the parser's context began
    (an opening quote or bracket) rather than where it stopped."""

    message: str
    hint: str
    at_context: bool = False


@dataclass(frozen=True)
class Stop:
    """Where the parser stopped: its wording, and what the user typed there."""

    problem: str  # libyaml's words for what went wrong
    context: str  # and for what it was reading
    offending: str  # the character it stopped at
    line: str  # the line it stopped on
    before: str  # that line up to the character

    @classmethod
    def of(cls, error: yaml.MarkedYAMLError, text: str) -> Stop:
        mark = error.problem_mark or error.context_mark
        line = _line_at(text, mark.line) if mark else ""
        column = mark.column if mark else 0
        return cls(error.problem or "", error.context or "", line[column:column + 1],
                   line, line[:column])


Explain = Said | Callable[[Stop], Said]


def _unquoted_start(stop: Stop) -> Said:
    if _first_of_value(stop.before + stop.offending) == "[":
        return Said("a text cannot start with '[' unless it is in quotes: the line reads as a "
                    "list", 'put the whole text in quotes, e.g. summary: "[@figure] people ..."')
    return Said(f"a text cannot start with {stop.offending!r} unless it is in quotes",
                f'put the whole text in quotes, e.g. "{stop.offending}..."')


def _colon_in_text(stop: Stop) -> Said:
    key = re.match(r"\s*(?:-\s+)?([^:#]+):\s+\S", stop.before)
    if key:
        name = key.group(1).strip()
        return Said(f"the text after '{name}:' contains ': ', which marks a new key",
                    f'put the whole text in quotes, e.g. {name}: "... : ..."')
    return Said("this line does not line up with the keys above it, or the line above lacks "
                "its ':'", "keys of one group start in the same column, and each key is "
                "followed by ': '")


def _key_expected(stop: Stop) -> Said:
    if stop.line.lstrip().startswith("- "):
        return Said("a list item ('- ') is mixed in with keys", "a group holds either keys or "
                    "list items: indent the list under its own key")
    if re.match(r"\s*(?:-\s+)?[^:#]+:\s+[\"'{\[]", stop.before):
        return Said("text follows the closing quotation mark or bracket on this line",
                    "put the whole text in one pair of quotes")
    return Said("this line does not line up with the keys of its group",
                "keys of one group start in the same column")


_TAB = Said("this line is indented with a tab; a spec is indented with spaces only",
            "replace the tab with spaces")
_UNKNOWN_ESCAPE = Said("a backslash (\\) inside double quotes starts a special code, and this "
                       "one is not known", "write \\\\ for a backslash, or use single quotes "
                       "instead of double quotes", at_context=True)

# (where libyaml says it, its words, what to say): the first rule whose words appear in the
# error's problem or context applies.
SYNTAX_RULES: tuple[tuple[str, str, Explain], ...] = (
    ("problem", "tab", _TAB),
    ("problem", "cannot start any token", _unquoted_start),
    ("context", "while scanning an alias", Said(
        "a text cannot start with '*' unless it is in quotes",
        'put the whole text in quotes, e.g. summary: "*Urgent*: ..."', at_context=True)),
    ("context", "while scanning an anchor", Said(
        "a text cannot start with '&' unless it is in quotes",
        'put the whole text in quotes, e.g. summary: "& ..."', at_context=True)),
    ("context", "while scanning a quoted scalar", Said(
        "this quotation mark is never closed",
        "add the closing quotation mark at the end of the text", at_context=True)),
    ("context", "while parsing a quoted scalar", _UNKNOWN_ESCAPE),
    ("problem", "escape", _UNKNOWN_ESCAPE),
    ("problem", "mapping values are not allowed", _colon_in_text),
    ("problem", "could not find expected ':'", Said(
        "this line has no ':' after its key",
        "write the key, a colon and a space, then the value, e.g. title: ...",
        at_context=True)),
    ("problem", "did not find expected '-' indicator", Said(
        "a list item was expected here: lines of a list start with '- '",
        "start a new item with '- ', or indent this line to line up with the keys of the "
        "item above")),
    ("problem", "block sequence entries are not allowed", Said(
        "a list cannot start on the same line as its key",
        "start the list on the next line, each item on its own line after '- '")),
    ("context", "while parsing a flow sequence", Said(
        "the '[' here is never closed with ']'",
        "close it with ']', or put a text that starts with '[' in quotes", at_context=True)),
    ("context", "while parsing a flow", Said(
        "the '{' here is never closed with '}'",
        "close it with '}', or put a text that starts with '{' in quotes", at_context=True)),
    ("problem", "did not find expected key", _key_expected),
    ("context", "directive", Said("a line cannot start with '%' unless it is in quotes",
                                  "put the text in quotes", at_context=True)),
    ("problem", "document start", Said(
        "the file holds more than one YAML document",
        "a spec holds one document: remove the extra '---' or '...'")),
)


def explain(stop: Stop) -> Said:
    """What to tell the user about where the parser stopped: the first rule that applies,
    else the parser's own words."""
    if stop.offending == "\t":
        return _TAB
    for part, words, said in SYNTAX_RULES:
        if words in (stop.problem if part == "problem" else stop.context):
            return said if isinstance(said, Said) else said(stop)
    return Said(f"the file cannot be read here ({stop.problem or stop.context or 'invalid YAML'})",
                "check this line's indentation and quotes against the lines above")


def syntax_problem(error: yaml.MarkedYAMLError, text: str, path: Path) -> Problem:
    """A YAML syntax error of `text` (read from `path`) as a located problem."""
    said = explain(Stop.of(error, text))
    mark = error.problem_mark or error.context_mark
    if said.at_context:
        mark = error.context_mark or mark
    return Problem(_location(mark, path), "", said.message, said.hint, rule="yaml")


def _location(mark: Any, path: Path) -> Location:
    if mark is None:
        return Location(path, 1, 1)
    return Location(path, mark.line + 1, mark.column + 1)


def _line_at(text: str, line: int) -> str:
    lines = text.split("\n")
    return lines[line] if line < len(lines) else ""


def _first_of_value(text: str) -> str:
    """The first character of the value being typed on a line such as `key: value`."""
    match = re.match(r"\s*(?:-\s+)?(?:[^:#\s][^:#]*:\s+)?(\S)", text)
    return match.group(1) if match else ""
