"""Editorial rules a brief must pass before it goes out: sources, dates, consent, length, contrast.

Each rule yields `Problem`s with a rule id and a severity. `briefgen check` prints them all;
`briefgen build` runs the same rules and refuses to write when any is an error.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from briefgen.document import Block, Document, Paragraph, Row
from briefgen.errors import Problem
from briefgen.inline import Cite, parse_inline, plain_text, walk
from briefgen.spec.loader import FieldPath, YamlDocument
from briefgen.spec.models import BriefSpec
from briefgen.spec.validate import text_fields
from briefgen.template import Template
from briefgen.view import pick_language

MINIMUM_CONTRAST = 4.5  # WCAG 2.x, normal text
_WORD = re.compile(r"\w[\w'’\-]*")


def check_spec(spec: BriefSpec, document: YamlDocument, template: Template) -> list[Problem]:
    """All rules that need only the spec and the template."""
    problems: list[Problem] = []
    problems += _anachronisms(spec, document)
    problems += _stale_figures(spec, document)
    problems += _incomplete_sources(spec, document)
    problems += _unused_sources(spec, document)
    problems += _word_count(spec, document, template)
    problems += _quote_consent(spec, document)
    problems += _languages(spec, document, template)
    problems += _figures(spec, document)
    problems += _cut_by_comments(spec, document)
    problems += _untranslated(spec, document)
    from briefgen.translation.records import outdated_translations

    problems += outdated_translations(spec, document)
    return problems


def _untranslated(spec: BriefSpec, document: YamlDocument) -> Iterator[Problem]:
    """A version in another language whose texts are written only once (so in the brief's
    language): the page would mix languages."""
    base = spec.brief.language.split("-")[0]
    for index, audience in enumerate(spec.audiences):
        if not audience.language or audience.language.split("-")[0] == base:
            continue
        texts: list[object] = [spec.brief.title, audience.summary or spec.summary]
        for ask in audience.asks or spec.asks:
            texts += [ask.headline, ask.detail]
        for section in spec.sections:
            texts += [section.heading, section.body]
        single = sum(isinstance(text, str) for text in texts)
        if single:
            yield _problem(document, ("audiences", index, "language"),
                           f"{single} of the texts on this {audience.language} version are "
                           f"written only once, in {spec.brief.language}",
                           f"give them per language, e.g. summary: {{{base}: ..., "
                           f"{audience.language.split('-')[0]}: ...}}",
                           "missing-translation", "warning")


def _cut_by_comments(spec: BriefSpec, document: YamlDocument) -> Iterator[Problem]:
    """Unquoted text with ` #` in it: YAML reads the rest of the line as a comment."""
    for path, _ in text_fields(spec):
        where = document.trailing_comments.get(path)
        if where is not None:
            yield Problem(where, document.describe(path), "the rest of this line, from '#', "
                          "is a YAML comment and will not be printed",
                          "put the whole text in quotes to keep the '#'", rule="comment",
                          severity="warning")


def _figures(spec: BriefSpec, document: YamlDocument) -> Iterator[Problem]:
    """Numbers that would print misleadingly: a fraction shown as a percent, or zero."""
    from briefgen.locale_format import format_number

    for index, stat in enumerate(spec.stats):
        path: FieldPath = ("stats", index, "value")
        if stat.format == "percent" and 0 < abs(stat.value) < 1 and stat.decimals is None:
            yield _problem(document, path, f"{stat.value} would print as "
                           f"{format_number(stat.value, 'percent', 'en')}; is it a fraction?",
                           f"write the percentage itself, e.g. {stat.value * 100:g} for "
                           f"{stat.value * 100:g}%", "figure", "warning")
        elif stat.value and not re.search(r"[1-9]", format_number(
                stat.value, stat.format, "en", stat.decimals)):
            yield _problem(document, path, f"{stat.value} would print as 0",
                           "give decimals: (e.g. decimals: 3) or a larger unit", "figure",
                           "warning")


def check_document(composed: Document, template: Template) -> list[Problem]:
    """Rules on the composed page: text colour against the background it sits on."""
    problems: list[Problem] = []
    seen: set[tuple[str, str, str]] = set()
    for paragraph, background in _paragraphs_on_backgrounds(composed.body + composed.footer,
                                                           "#FFFFFF"):
        color = composed.styles[paragraph.style].color
        key = (paragraph.style, color, background)
        if key in seen:
            continue
        seen.add(key)
        ratio = contrast_ratio(color, background)
        if ratio < MINIMUM_CONTRAST:
            where = (template.design_document.locate(("styles", paragraph.style, "color"))
                     if template.design_document else template.folder / "template.yaml")
            problems.append(Problem(
                where, f"styles.{paragraph.style}.color",
                f"text colour {color} on {background} has a contrast of "
                # Rounded down: 4.48 must not print as the 4.5 it fails to reach.
                f"{int(ratio * 10) / 10:.1f}:1; readers need at least {MINIMUM_CONTRAST}:1",
                "darken the text colour or lighten the background", rule="contrast"))
    return problems


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two #RRGGBB colours, from 1 to 21."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(color: str) -> float:
    channels = [int(color[index : index + 2], 16) / 255 for index in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _paragraphs_on_backgrounds(blocks: tuple[Block, ...], background: str
                               ) -> Iterator[tuple[Paragraph, str]]:
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block, background
        elif isinstance(block, Row):
            for cell in block.cells:
                yield from _paragraphs_on_backgrounds(cell.blocks, cell.background or background)


def _problem(document: YamlDocument, path: FieldPath, message: str, hint: str, rule: str,
             severity: str = "error") -> Problem:
    return Problem(document.locate(path), document.describe(path), message, hint, rule=rule,
                   severity=severity)


def _anachronisms(spec: BriefSpec, document: YamlDocument) -> Iterator[Problem]:
    brief_date = spec.brief.date
    dated: list[tuple[FieldPath, dt.date | None]] = [
        (("stats", index, "as_of"), stat.as_of) for index, stat in enumerate(spec.stats)]
    dated += [(("sources", index, "date"), source.date) for index, source in enumerate(spec.sources)]
    for path, day in dated:
        if day is not None and day > brief_date:
            yield _problem(document, path,
                           f"dated {day.isoformat()}, after the brief itself "
                           f"({brief_date.isoformat()})",
                           "a brief cannot cite what was published after it: use the figure "
                           "available at the time, or correct the date", "anachronism")


def _months_between(earlier: dt.date, later: dt.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month - (
        1 if later.day < earlier.day else 0)


def _stale_figures(spec: BriefSpec, document: YamlDocument) -> Iterator[Problem]:
    event = spec.brief.event.start
    limit = spec.brief.stale_after_months
    for index, stat in enumerate(spec.stats):
        if stat.as_of is not None and _months_between(stat.as_of, event) > limit:
            age = _months_between(stat.as_of, event)
            yield _problem(document, ("stats", index, "as_of"),
                           f"figure is {age} months old at the event (limit: {limit})",
                           "look for a newer figure, or raise brief.stale_after_months",
                           "stale-figure", "warning")


def _incomplete_sources(spec: BriefSpec, document: YamlDocument) -> Iterator[Problem]:
    for index, source in enumerate(spec.sources):
        missing = [name for name, value in (("date", source.date), ("url", source.url))
                   if value is None]
        if missing:
            yield _problem(document, ("sources", index), f"source {source.id!r} has no "
                           f"{' and no '.join(missing)}",
                           "readers check sources: give the publication date and address",
                           "source-incomplete", "warning")


def cited_source_ids(spec: BriefSpec) -> set[str]:
    """Sources that something on some version of the page cites."""
    sources = {stat.source for stat in spec.stats if stat.featured}
    by_id = {stat.id: stat.source for stat in spec.stats}
    for audience in spec.audiences:
        sources |= {by_id[stat_id] for stat_id in audience.stats or [] if stat_id in by_id}
    sources |= {quote.source for quote in spec.quotes if quote.source}
    stat_sources = {stat.id: stat.source for stat in spec.stats}
    for _, text in text_fields(spec):
        for node in walk(parse_inline(text)):
            if isinstance(node, Cite) and node.stat_id in stat_sources:
                sources.add(stat_sources[node.stat_id])
    return sources


def _unused_sources(spec: BriefSpec, document: YamlDocument) -> Iterator[Problem]:
    cited = cited_source_ids(spec)
    for index, source in enumerate(spec.sources):
        if source.id not in cited:
            yield _problem(document, ("sources", index, "id"),
                           f"source {source.id!r} is not cited, so it is not printed",
                           "cite it from a stat, a quote or [@stat-id] in the text, or delete it",
                           "unused-source", "warning")


def running_words(spec: BriefSpec, audience_index: int | None = None) -> int:
    """Words of running text on one version of the page (summary, asks, sections, quotes)."""
    audience = spec.audiences[audience_index] if audience_index is not None else None
    language = audience.language if audience and audience.language else spec.brief.language

    def local(value: str | dict[str, str] | None) -> str:
        if isinstance(value, dict):
            chosen = pick_language(value, language)
            return value[chosen] if chosen else ""
        return value or ""

    texts = [local(audience.summary if audience and audience.summary else spec.summary)]
    asks = audience.asks if audience and audience.asks else spec.asks
    texts += [f"{local(ask.headline)} {local(ask.detail)}" for ask in asks]
    texts += [f"{local(section.heading)} {local(section.body)}" for section in spec.sections]
    texts += [quote.text for quote in spec.quotes]
    if audience and audience.intro:
        texts.append(local(audience.intro))
    return sum(len(_WORD.findall(plain_text(parse_inline(text)))) for text in texts)


def _word_count(spec: BriefSpec, document: YamlDocument, template: Template
                ) -> Iterator[Problem]:
    budget = template.design.words
    versions: list[int | None] = list(range(len(spec.audiences))) or [None]
    counts = [(running_words(spec, index), index) for index in versions]
    words, index = max(counts, key=lambda item: item[0])
    where: FieldPath = ("audiences", index) if index is not None else ("summary",)
    version = f" (version for {spec.audiences[index].id})" if index is not None else ""
    if words > budget.error:
        yield _problem(document, where, f"{words} words of running text{version}; the "
                       f"{template.name} template allows at most {budget.error}",
                       "cut the text: a one-pager is read in two minutes", "word-count")
    elif words > budget.warn:
        yield _problem(document, where, f"{words} words of running text{version}; aim for "
                       f"at most {budget.warn}", "cut the longest paragraphs",
                       "word-count", "warning")


RIGHT_TO_LEFT = {"ar", "arc", "dv", "fa", "he", "ks", "ku", "ps", "sd", "syr", "ug", "ur", "yi"}


def _languages(spec: BriefSpec, document: YamlDocument, template: Template
               ) -> Iterator[Problem]:
    """Language tags must be real; right-to-left is refused until it is laid out properly."""
    from briefgen.locale_format import is_known_language

    tags: list[tuple[FieldPath, str, bool]] = [(("brief", "language"), spec.brief.language, True)]
    tags += [(("audiences", index, "language"), audience.language, True)
             for index, audience in enumerate(spec.audiences) if audience.language]
    tags += [(("quotes", index, "language"), quote.language, False)
             for index, quote in enumerate(spec.quotes) if quote.language]
    for path, tag, is_page in tags:
        base = tag.split("-")[0].lower()
        if not is_known_language(tag):
            yield _problem(document, path, f"unknown language code {tag!r}",
                           "use a BCP 47 tag such as en, en-GB, en-US, fr, ru or az",
                           "language")
        elif base in RIGHT_TO_LEFT:
            yield _problem(document, path, f"{tag!r} is written right to left, which "
                           "briefgen cannot lay out yet",
                           "write this version in a left-to-right language", "language")
        elif is_page and pick_language(template.design.labels, tag) is None:
            yield _problem(document, path, f"the {template.name} template has no labels in "
                           f"{tag!r}; headings will be in English",
                           f"templates here speak: {', '.join(template.design.labels)}",
                           "language", "warning")


def _quote_consent(spec: BriefSpec, document: YamlDocument) -> Iterator[Problem]:
    for index, quote in enumerate(spec.quotes):
        if not quote.consent:
            yield _problem(document, ("quotes", index),
                           f"no consent recorded for the quote by {quote.speaker}",
                           "confirm the speaker agrees to be quoted, then add consent: true",
                           "quote-consent", "warning")
