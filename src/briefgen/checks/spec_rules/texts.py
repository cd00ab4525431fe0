"""Rules on the texts as written: their length, a `#` that cuts them, links that only spell
an address, headings without words."""

from __future__ import annotations

import re
from collections.abc import Iterator

from briefgen.checks.spec_rules.rule import CheckedSpec
from briefgen.errors import Problem
from briefgen.resolve.language import text_for
from briefgen.resolve.version import Version, versions
from briefgen.spec.inline import Link, locate_markup, parse_inline, plain_text
from briefgen.spec.loader import FieldPath
from briefgen.spec.models import BriefSpec
from briefgen.spec.validate import text_fields

_WORD = re.compile(r"\w[\w'’\-]*")


def running_words(spec: BriefSpec, audience_index: int | None = None) -> int:
    """Words of running text on one version of the page (summary, asks, sections, quotes)."""
    version = Version(spec, audience_index)
    texts = [_local(text, version.language) for text in _running_texts(version)]
    return sum(len(_WORD.findall(plain_text(parse_inline(text)))) for text in texts)


def _local(text: str | dict[str, str] | None, language: str) -> str:
    return text_for(text, language) or ""


def _running_texts(version: Version) -> Iterator[str | dict[str, str] | None]:
    yield version.summary.value
    yield version.summary_ask.value
    language = version.language
    yield from (f"{_local(ask.headline, language)} {_local(ask.detail, language)}"
                for ask in version.asks.value)
    yield from (f"{_local(section.heading, language)} {_local(section.body, language)}"
                for section in version.sections.value)
    yield from (quote.text for quote in version.quotes.value)
    if version.intro.value:
        yield version.intro.value


def word_count(checked: CheckedSpec) -> Iterator[Problem]:
    """The longest version's running text within the template's word budget."""
    spec, template = checked.spec, checked.template
    budget = template.design.words
    words, version = max(((running_words(spec, version.audience_index), version)
                          for version in versions(spec)), key=lambda item: item[0])
    where = version.path or ("summary",)
    named = f" (version for {version.audience_id})" if version.audience_id else ""
    if words > budget.error:
        yield checked.problem(where, f"{words} words of running text{named}; the "
                              f"{template.name} template allows at most {budget.error}",
                              "cut the text: a one-pager is read in two minutes", "word-count")
    elif words > budget.warn:
        yield checked.problem(where, f"{words} words of running text{named}; aim for at "
                              f"most {budget.warn}", "cut the longest paragraphs",
                              "word-count", "warning")


def cut_by_comments(checked: CheckedSpec) -> Iterator[Problem]:
    """Unquoted text with ` #` in it: YAML reads the rest of the line as a comment."""
    document = checked.document
    for path, _ in text_fields(checked.spec):
        where = document.trailing_comments.get(path)
        if where is not None:
            yield Problem(where, document.describe(path), "the rest of this line, from '#', "
                          "is a YAML comment and will not be printed",
                          "put the whole text in quotes to keep the '#'", rule="comment",
                          severity="warning")


# Printed words that are a web address: a scheme ("https:", "mailto:"), "www.", or a domain
# with a path. A bare domain ("unhcr.org") or an email address reads well enough.
_ADDRESS = re.compile(r"(?:[a-z][a-z0-9+.-]*:(?://)?|www\.)\S+|[\w-]+(?:\.[\w-]+)+/\S*",
                      re.IGNORECASE)


def address_links(checked: CheckedSpec) -> Iterator[Problem]:
    """A link whose printed words are only its address: a screen reader spells it out
    character by character, and nobody hears what is there."""
    document = checked.document
    for path, text in text_fields(checked.spec):
        for position, words in _link_words(text):
            if _ADDRESS.fullmatch(words):
                yield Problem(document.locate_inside(path, position, "["),
                              document.describe(path),
                              f"the link's printed text is only its address ({words}); "
                              "screen readers spell it out",
                              "say what is there, e.g. [the 2024 clearance plan](https://...)",
                              rule="link-text", severity="warning")


def _link_words(text: str) -> list[tuple[int, str]]:
    """The printed words of each link of a text, with where the link starts."""
    if "](" not in text:
        return []
    return [(position, plain_text(node.children).strip())
            for position, node in locate_markup(text) if isinstance(node, Link)]


_HEADINGS = {("brief", "title"), ("sections", "heading")}  # a section's also in an audience


def empty_headings(checked: CheckedSpec) -> Iterator[Problem]:
    """A heading (the title, a section's heading) that prints no words: screen readers list
    the page by its headings, and this one would have no name."""
    for path, text in text_fields(checked.spec):
        if _is_heading(path) and not plain_text(parse_inline(text)).strip():
            yield checked.problem(path, "the heading prints no words: readers who move from "
                                  "heading to heading would find it empty",
                                  "write the heading's words", "empty-heading", "warning")


def _is_heading(path: FieldPath) -> bool:
    """Whether a text field is the brief's title or a section's heading (in an audience
    too, and given per language)."""
    names = [part for part in path if isinstance(part, str)]
    if names[-1] not in ("heading", "title"):
        names = names[:-1]  # a text given per language: the last part is the language
    return tuple(names[-2:]) in _HEADINGS
