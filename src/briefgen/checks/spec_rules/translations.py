"""Rules on languages: real tags, left to right; every version's texts, quotes and figure
words in its own language."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from briefgen.checks.spec_rules.rule import CheckedSpec, version_names
from briefgen.errors import Problem, command_path
from briefgen.resolve.figures import affix_has_words, figure_qualifier, printed_figure
from briefgen.resolve.language import (
    RIGHT_TO_LEFT,
    base_language,
    first_text,
    language_name,
    pick_language,
)
from briefgen.resolve.locale_format import is_known_language, qualifier_wording
from briefgen.resolve.version import Version, versions
from briefgen.spec.inline import Cite, parse_inline, walk
from briefgen.spec.loader import FieldPath, format_field_path
from briefgen.spec.models import BriefSpec, Chart, Quote, Stat
from briefgen.spec.validate import quote_lists, text_fields

_NAMED_AT_MOST = 6


def languages(checked: CheckedSpec) -> Iterator[Problem]:
    """Language tags must be real; right-to-left is refused until it is laid out properly;
    a page language the template has no labels for prints English headings."""
    template = checked.template
    for path, tag, is_page in _language_tags(checked.spec):
        if not is_known_language(tag):
            yield checked.problem(path, f"unknown language code {tag!r}",
                                  "use a BCP 47 tag such as en, en-GB, en-US, fr, ru or az",
                                  "language")
        elif base_language(tag) in RIGHT_TO_LEFT:
            yield checked.problem(path, f"{tag!r} is written right to left, which briefgen "
                                  "cannot lay out yet",
                                  "write this version in a left-to-right language", "language")
        elif is_page and pick_language(template.design.labels, tag) is None:
            yield checked.problem(path, f"the {template.name} template has no labels in "
                                  f"{tag!r}; headings will be in English",
                                  f"templates here speak: {', '.join(template.design.labels)}",
                                  "language", "warning")


def _language_tags(spec: BriefSpec) -> list[tuple[FieldPath, str, bool]]:
    """Every language tag of the spec: where, the tag, and whether a page is printed in it."""
    tags: list[tuple[FieldPath, str, bool]] = [(("brief", "language"), spec.brief.language, True)]
    tags += [(("audiences", index, "language"), audience.language, True)
             for index, audience in enumerate(spec.audiences) if audience.language]
    tags += [((*path, index, "language"), quote.language, False)
             for path, quotes in quote_lists(spec)
             for index, quote in enumerate(quotes) if quote.language]
    return tags


def untranslated_texts(checked: CheckedSpec) -> Iterator[Problem]:
    """A version in another language whose texts are written only once (so in the brief's
    language): the page would mix languages. Each such text is named with its line. An
    audience's own texts are written for that version, so they are not counted."""
    base = base_language(checked.spec.brief.language)
    for version in versions(checked.spec):
        if version.audience is None or base_language(version.language) == base:
            continue
        single = [path for path, text in _shared_texts(version) if isinstance(text, str)]
        if single:
            yield _written_once_problem(checked, version, single)


def _written_once_problem(checked: CheckedSpec, version: Version, single: list[FieldPath]
                          ) -> Problem:
    language, written_in = version.language, checked.spec.brief.language
    named = [checked.field_with_line(path) for path in single[:_NAMED_AT_MOST]]
    if len(single) > _NAMED_AT_MOST:
        named.append(f"and {len(single) - _NAMED_AT_MOST} more")
    count = (f"{len(single)} of the texts on this {language} version are"
             if len(single) > 1 else f"a text on this {language} version is")
    return checked.problem((*version.path, "language"),
                           f"{count} written only once, in {written_in}: {', '.join(named)}",
                           f"give them per language, e.g. summary: "
                           f"{{{base_language(written_in)}: ..., {base_language(language)}: ...}}",
                           "missing-translation", "warning")


def _shared_texts(version: Version) -> Iterator[tuple[FieldPath, object]]:
    """The running texts a version prints that are the brief's, not its audience's own."""
    yield ("brief", "title"), version.spec.brief.title
    summary, asks, sections = version.summary, version.asks, version.sections
    if _is_the_brief_s(summary.path):
        yield summary.path, summary.value
    if _is_the_brief_s(asks.path):
        for number, ask in enumerate(asks.value):
            yield (*asks.path, number, "headline"), ask.headline
            yield (*asks.path, number, "detail"), ask.detail
    if _is_the_brief_s(sections.path):
        for number, section in enumerate(sections.value):
            yield (*sections.path, number, "heading"), section.heading
            yield (*sections.path, number, "body"), section.body


def _is_the_brief_s(path: FieldPath) -> bool:
    return path[:1] != ("audiences",)


def untranslated_quotes(checked: CheckedSpec) -> Iterator[Problem]:
    """A version that prints a quote spoken in another language with no translation in its
    own: the page would mix languages (a French quote alone on an Azerbaijani page, or with
    only its English translation, which is how a translation written once is read)."""
    spec = checked.spec
    brief_language = base_language(spec.brief.language)
    command = f"briefgen translate export {command_path(checked.document.path)}"
    for (path, language), (quote, ids) in _quotes_without_translation(spec).items():
        yield checked.problem(
            (*path, "translation") if quote.translation else (*path, "language"),
            f"the {language_name(language)} version{version_names(ids)} prints the quote by "
            f"{first_text(quote.speaker)} in {language_name(base_language(quote.language or ''))}"
            f" {_translations_given(quote, language, brief_language)}: the page would mix "
            "languages",
            f"add  {language}: ...  under {format_field_path((*path, 'translation'))}"
            + ("" if language == brief_language else
               f" (or send it to a translator: {command} --to {language})"),
            "missing-translation", "warning")


def _translations_given(quote: Quote, language: str, brief_language: str) -> str:
    """`with no translation in Azerbaijani (given: en)`, `with only its English translation`."""
    translation = quote.translation
    if isinstance(translation, str):
        return f"with only its {language_name(brief_language)} translation"
    given = f" (given: {', '.join(translation)})" if translation else ""
    return f"with no translation in {language_name(language)}{given}"


def _quotes_without_translation(spec: BriefSpec
                                ) -> dict[tuple[FieldPath, str], tuple[Quote, list[str]]]:
    """Each quote some version prints without a translation in its language: (where, the
    language) -> (the quote, the audiences of those versions)."""
    found: dict[tuple[FieldPath, str], tuple[Quote, list[str]]] = {}
    for version in versions(spec):
        language = version.language
        quotes, path = version.quotes
        for number, quote in enumerate(quotes):
            if _translated_for(quote, language, spec.brief.language):
                continue
            entry = found.setdefault(((*path, number), base_language(language)), (quote, []))
            entry[1].append(version.audience_id or "")
    return found


def _translated_for(quote: Quote, language: str, brief_language: str) -> bool:
    """Whether a page in `language` can print the quote in its language: spoken in it, or
    translated into it (a translation written once is in the brief's language)."""
    translation = quote.translation
    if not quote.language or base_language(quote.language) == base_language(language):
        return True
    if isinstance(translation, dict):
        return bool(pick_language(translation, language))
    return isinstance(translation, str) and base_language(brief_language) == base_language(
        language)


def figure_words(checked: CheckedSpec) -> Iterator[Problem]:
    """A figure's qualifier and its words in each version's language.

    - a prefix typed as a sign or an English qualifier ("~", ">", "up to ") is read as the
      qualifier it stands for: say so, and ask for `qualifier:`;
    - a prefix, unit or suffix in words written in one language only, which a version in
      another language prints as it is (or, given per language, leaves out, so the figure
      loses its meaning or its unit there), named at its line in each version that prints it;
    - a qualifier in a language briefgen has no words for.
    """
    spec = checked.spec
    words = _FigureWords(checked, _printing_languages(spec))
    for index, stat in enumerate(spec.stats):
        if stat.prefix is not None:
            yield from _prefix_as_qualifier(checked, stat, ("stats", index))
        yield from words.check(stat, ("stats", index))
    for index, chart in enumerate(spec.charts):
        yield from words.check(chart, ("charts", index))


@dataclass
class _PrintedIn:
    """A language the brief is printed in: the versions (audience ids) printed in it, the
    figures they show as callouts and charts, and the citations (id, with prefix) of their
    texts."""

    language: str
    audience_ids: list[str] = field(default_factory=list)
    stats: set[str] = field(default_factory=set)
    charts: set[str] = field(default_factory=set)
    cited: set[tuple[str, bool]] = field(default_factory=set)

    def shows(self, figure: Stat | Chart, what: str) -> bool:
        """Whether the figure's prefix (or unit) is printed in this language."""
        if isinstance(figure, Chart):
            return figure.id in self.charts
        cited_as = {(figure.id, True)} if what == "prefix" else {(figure.id, True),
                                                                 (figure.id, False)}
        return figure.id in self.stats or bool(cited_as & self.cited)


_LANGUAGE_KEY = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


def _printing_languages(spec: BriefSpec) -> list[_PrintedIn]:
    """Each language the brief is printed in, with what its versions show and cite."""
    printed: dict[str, _PrintedIn] = {}
    for version in versions(spec):
        language = printed.setdefault(version.language, _PrintedIn(version.language))
        language.audience_ids.append(version.audience_id or "")
        language.stats.update(version.stat_ids)
        language.charts.update(version.chart_ids)
    for written_in, cites in _citations(spec):
        for language in printed.values():
            if written_in is None or pick_language({written_in: 1}, language.language):
                language.cited |= cites
    return list(printed.values())


def _citations(spec: BriefSpec) -> Iterator[tuple[str | None, set[tuple[str, bool]]]]:
    """The figures each text cites (id, with prefix), with the language the text is
    written for when it is given per language."""
    for path, text in text_fields(spec):
        if "[@" not in text:
            continue
        last = path[-1]
        written_in = last if isinstance(last, str) and _LANGUAGE_KEY.fullmatch(last) else None
        yield written_in, {(node.stat_id, node.with_prefix) for node in walk(parse_inline(text))
                           if isinstance(node, Cite)}


@dataclass
class _FigureWords:
    checked: CheckedSpec
    printed_in: list[_PrintedIn]

    def check(self, figure: Stat | Chart, path: FieldPath) -> Iterator[Problem]:
        for language in self.printed_in:
            if language.shows(figure, "prefix"):
                yield from self._prefix(figure, path, language)
        for language in self.printed_in:
            if language.shows(figure, "unit"):
                yield from self._unit(figure, path, language)

    def _prefix(self, figure: Stat | Chart, path: FieldPath, printed_in: _PrintedIn
                ) -> Iterator[Problem]:
        """The qualifier without words in the language, or a prefix in words that the
        language's version prints as written in another, or leaves out."""
        prefix = getattr(figure, "prefix", None)
        qualifier = figure_qualifier(figure)
        if qualifier is not None:
            yield from self._qualifier_without_words(figure, path, qualifier, printed_in)
        elif isinstance(prefix, str):
            yield from self._written_once((*path, "prefix"), prefix, printed_in)
        elif isinstance(prefix, dict):
            yield from self._prefix_left_out(prefix, path, printed_in)

    def _qualifier_without_words(self, figure: Stat | Chart, path: FieldPath, qualifier: str,
                                 printed_in: _PrintedIn) -> Iterator[Problem]:
        language = printed_in.language
        prefix = getattr(figure, "prefix", None)
        if (isinstance(prefix, dict) and pick_language(prefix, language)) or qualifier_wording(
                qualifier, language) is not None:
            return
        yield self.checked.problem(
            (*path, "qualifier") if getattr(figure, "qualifier", None) else (*path, "prefix"),
            f"briefgen has no {language} words for {qualifier!r}: the {language} "
            f"version{version_names(printed_in.audience_ids)} prints it in English",
            f"give the words as prefix: {{{base_language(language)}: ...}}",
            "missing-translation", "warning")

    def _prefix_left_out(self, prefix: dict[str, str], path: FieldPath, printed_in: _PrintedIn
                         ) -> Iterator[Problem]:
        """A prefix in words given per language, but not in this one."""
        language = printed_in.language
        if pick_language(prefix, language) is not None or not any(
                affix_has_words(value) for value in prefix.values()):
            return
        yield self.checked.problem(
            (*path, "prefix"),
            f"the prefix is given in {', '.join(prefix)} only: the {language} "
            f"version{version_names(printed_in.audience_ids)} prints the figure without it",
            f"add  {base_language(language)}: ...  to the prefix, or write qualifier: "
            "(about, up to, more than, ...), which briefgen words in every language",
            "missing-translation", "warning")

    def _unit(self, figure: Stat | Chart, path: FieldPath, printed_in: _PrintedIn
              ) -> Iterator[Problem]:
        """A unit or suffix in words written in another language, or given per language
        without this one."""
        for name in ("unit", "suffix"):
            value = getattr(figure, name)
            if isinstance(value, str):
                yield from self._written_once((*path, name), value, printed_in)
        yield from self._unit_left_out(figure, path, printed_in)

    def _unit_left_out(self, figure: Stat | Chart, path: FieldPath, printed_in: _PrintedIn
                       ) -> Iterator[Problem]:
        """A unit (or suffix) given per language, none of them in this one, and none
        written once: the language's version prints the bare number."""
        given = [value for value in (figure.unit, figure.suffix) if value is not None]
        language = printed_in.language
        if not given or any(isinstance(value, str) or pick_language(value, language)
                            for value in given):
            return
        yield self.checked.problem(
            (*path, "unit" if isinstance(figure.unit, dict) else "suffix"),
            f"the figure's unit is given in {', '.join(given[0])} only: the {language} "
            f"version{version_names(printed_in.audience_ids)} prints the number without it",
            f"add  {base_language(language)}: ...  to its unit: or suffix:",
            "missing-translation", "warning")

    def _written_once(self, path: FieldPath, value: str, printed_in: _PrintedIn
                      ) -> Iterator[Problem]:
        """Words written once, in the brief's language, that a version in another prints."""
        written_in = self.checked.spec.brief.language
        language = printed_in.language
        if (not affix_has_words(value, language)
                or language.split("-")[0] == written_in.split("-")[0]):
            return
        yield self.checked.problem(
            path, f"{value.strip()!r} is written only once, in {written_in}: the {language} "
            f"version{version_names(printed_in.audience_ids)} prints it as it is",
            f"give it per language, e.g. {path[-1]}: {{{written_in.split('-')[0]}: "
            f"{value!r}, {language.split('-')[0]}: ...}}"
            + ("; for a qualifier, write qualifier: (about, up to, more than, ...)"
               if path[-1] == "prefix" else ""),
            "missing-translation", "warning")


def _prefix_as_qualifier(checked: CheckedSpec, stat: Stat, path: FieldPath
                         ) -> Iterator[Problem]:
    """A prefix beside a qualifier is not printed; a prefix read as a qualifier is better
    written as one."""
    prefix = stat.prefix
    if stat.qualifier is not None:
        if isinstance(prefix, str):
            yield checked.problem((*path, "prefix"),
                                  f"the prefix {prefix!r} is not printed: the figure has "
                                  f"qualifier: {stat.qualifier}, which is printed in each "
                                  "version's words",
                                  "delete the prefix; to word the qualifier yourself in one "
                                  "language, give it per language, e.g. prefix: {ru: "
                                  "'примерно '}", "qualifier", "warning")
        return
    qualifier = figure_qualifier(stat)
    if qualifier is not None and prefix is not None:
        words = ", ".join(f'"{printed_figure(stat, language, with_qualifier=True)}"'
                          for language in ("en", "fr", "ru", "az")).replace("\u00a0", " ")
        yield checked.problem((*path, "prefix"),
                              f"the prefix {first_text(prefix).strip()!r} is read as "
                              f"qualifier: {qualifier}, printed in each version's words "
                              f"({words})",
                              f"write qualifier: {qualifier} instead of the prefix",
                              "qualifier", "warning")
