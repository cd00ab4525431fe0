"""Editorial rules a brief must pass before it goes out: sources, dates, consent, length, contrast.

Each rule yields `Problem`s with a rule id and a severity. `briefgen check` prints them all;
`briefgen build` runs the same rules and refuses to write when any is an error.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.document import Block, Document, Group, Image, Paragraph, Row, iter_blocks
from briefgen.document import Chart as ChartBlock
from briefgen.errors import Location, Problem, display_path
from briefgen.resolve.assets import Picture
from briefgen.resolve.charts import chart_points
from briefgen.resolve.draft import draft_reasons
from briefgen.resolve.figures import affix_has_words as has_words
from briefgen.resolve.language import pick_language
from briefgen.spec.inline import (
    Cite,
    Link,
    SourceCite,
    count_nonspace,
    locate_markup,
    normalize_space,
    parse_inline,
    plain_text,
    walk,
)
from briefgen.spec.loader import FieldPath, YamlDocument, format_field_path
from briefgen.spec.models import (
    AskAmount,
    Audience,
    BriefSpec,
    Chart,
    ChartSeries,
    Quote,
    Source,
    Stat,
)
from briefgen.spec.validate import ask_lists, quote_lists, text_fields
from briefgen.template import LAYOUT_FILE, Template

MINIMUM_CONTRAST = 4.5  # WCAG 2.x, normal text
# WCAG 2.1 (1.4.11, non-text contrast): graphics a reader needs to make out reach 3:1. A logo
# passes when at least one in twenty of its visible pixels does: its outline or lettering is
# enough, as long as something of it stands out from the masthead.
LOGO_CONTRAST = 3.0
LOGO_SHARE = 0.05
_WORD = re.compile(r"\w[\w'’\-]*")


def check_spec(spec: BriefSpec, document: YamlDocument, template: Template) -> list[Problem]:
    """All rules that need only the spec and the template."""
    problems: list[Problem] = []
    problems += _anachronisms(spec, document)
    problems += _stale_figures(spec, document)
    problems += _incomplete_sources(spec, document)
    problems += _unused_sources(spec, document)
    problems += _word_count(spec, document, template)
    problems += _drafting(spec, document)
    problems += _languages(spec, document, template)
    problems += _figures(spec, document)
    problems += _cut_by_comments(spec, document)
    problems += _repeated_words(spec, document)
    problems += _untranslated(spec, document)
    problems += _untranslated_quotes(spec, document)
    problems += _figure_words(spec, document)
    problems += _labels_naming_their_source(spec, document)
    problems += _address_links(spec, document)
    problems += _empty_headings(spec, document)
    problems += _charts(spec, document)
    problems += _repeated_figures(spec, document)
    problems += _sources_address(spec, document)
    from briefgen.translation.records import outdated_translations

    problems += outdated_translations(spec, document)
    return problems


# Characters a reader types from paper without losing their place; up to this, the QR code
# beside the address keeps squares of 0.34 mm or more (version 4 at most), which phones read.
SHORT_ADDRESS = 40


def _sources_address(spec: BriefSpec, document: YamlDocument) -> Iterator[Problem]:
    """The full sources' address is printed for typing in: a long one is a chore."""
    from briefgen.resolve.view import short_address

    printed = short_address(spec.brief.sources_url) or ""
    if len(printed) > SHORT_ADDRESS:
        yield _problem(document, ("brief", "sources_url"),
                       f"the address prints as {printed!r}, {len(printed)} characters: "
                       "hard to type from paper, and its QR code's squares get too small for "
                       "some phones to read",
                       f"use a short link of at most {SHORT_ADDRESS} characters",
                       "sources-url", "warning")


def _repeated_figures(spec: BriefSpec, document: YamlDocument) -> Iterator[Problem]:
    """Two texts of one version that state the same figure: the same stat cited in both, or
    the same number typed (or typed in one and cited in the other). A reader meets it twice
    and wonders whether it is two things. Reported once per pair of places, at the second,
    naming the first and the versions that print both."""
    stats = {stat.id: stat for stat in spec.stats}
    pairs: dict[tuple[_Mention, _Mention], list[str]] = {}
    versions: list[int | None] = list(range(len(spec.audiences))) or [None]
    for audience_index in versions:
        language = _version_language(spec, audience_index)
        seen: list[_Mention] = []
        for mention in _figure_mentions(spec, document, audience_index, language, stats):
            first = next((earlier for earlier in seen if earlier.path != mention.path
                          and earlier.same_figure(mention)), None)
            if first is not None:
                audience_id = (spec.audiences[audience_index].id
                               if audience_index is not None else "")
                pairs.setdefault((first, mention), []).append(audience_id)
            else:
                seen.append(mention)
    for (first, second), audience_ids in pairs.items():
        named = [audience_id for audience_id in audience_ids if audience_id]
        version = f" on the version{'s' if len(named) > 1 else ''} for {', '.join(named)}" \
            if named else ""
        where = first.location
        yield Problem(second.location, document.describe(second.path),
                      f"{second.shown} is stated twice{version}: here, and in "
                      f"{document.describe(first.path)} at {display_path(where.file)}:"
                      f"{where.line}:{where.column}",
                      "say it once: cut the figure from one of the two texts (an audience can "
                      "have its own intro, summary, asks or sections)",
                      rule="repeated-figure", severity="warning")


@dataclass(frozen=True)
class _Mention:
    """A figure stated in a text: the stat it cites (if any), its value and whether it is a
    percentage, what it prints as, and where it was written."""

    path: FieldPath
    location: Location
    stat_id: str | None
    value: float
    percent: bool
    shown: str

    def same_figure(self, other: _Mention) -> bool:
        if self.stat_id is not None and self.stat_id == other.stat_id:
            return True
        return self.percent == other.percent and math.isclose(self.value, other.value,
                                                               rel_tol=1e-9)


def _version_language(spec: BriefSpec, audience_index: int | None) -> str:
    audience = spec.audiences[audience_index] if audience_index is not None else None
    return audience.language if audience and audience.language else spec.brief.language


def _version_texts(spec: BriefSpec, audience_index: int | None, language: str
                   ) -> Iterator[tuple[FieldPath, str | AskAmount]]:
    """The running texts one version prints, in reading order and in its language, with
    each ask's amount after its sentence."""
    audience = spec.audiences[audience_index] if audience_index is not None else None
    own: FieldPath = ("audiences", audience_index) if audience_index is not None else ()

    def chosen(name: str) -> tuple[FieldPath, Any]:
        if audience is not None and getattr(audience, name) is not None:
            return (*own, name), getattr(audience, name)
        return (name,), getattr(spec, name)

    def local(path: FieldPath, value: object) -> Iterator[tuple[FieldPath, str]]:
        if isinstance(value, dict):
            key = pick_language(value, language)
            if key is not None:
                yield (*path, key), value[key]
        elif isinstance(value, str):
            yield path, value

    for name in ("summary_ask", "summary"):
        yield from local(*chosen(name))
    if audience is not None and audience.intro is not None:
        yield from local((*own, "intro"), audience.intro)
    asks_path, asks = chosen("asks")
    for index, ask in enumerate(asks or []):
        yield from local((*asks_path, index, "headline"), ask.headline)
        yield from local((*asks_path, index, "detail"), ask.detail)
        if ask.amount is not None:
            yield (*asks_path, index, "amount"), ask.amount
    sections_path, sections = chosen("sections")
    for index, section in enumerate(sections or []):
        yield from local((*sections_path, index, "heading"), section.heading)
        yield from local((*sections_path, index, "body"), section.body)
    quotes_path, quotes = chosen("quotes")
    for index, quote in enumerate(quotes or []):
        yield from local((*quotes_path, index, "text"), quote.text)
        yield from local((*quotes_path, index, "translation"), quote.translation)


def _figure_mentions(spec: BriefSpec, document: YamlDocument, audience_index: int | None,
                     language: str, stats: dict[str, Stat]) -> Iterator[_Mention]:
    """The figures one version's texts and asks' amounts state, in reading order."""
    from briefgen.resolve.figures import amount_figure, printed_figure

    def cited(path: FieldPath, where: Location, stat: Stat) -> _Mention:
        return _Mention(path, where, stat.id, stat.value, stat.format == "percent",
                        printed_figure(stat, language).replace("\u00a0", " "))

    for path, text in _version_texts(spec, audience_index, language):
        if isinstance(text, AskAmount):
            if text.stat is not None and text.stat in stats:
                where: FieldPath = (*path, "stat")
                yield cited(where, document.locate(where), stats[text.stat])
            elif text.value is not None:
                where = (*path, "value")
                shown = printed_figure(amount_figure(text, language), language)
                yield _Mention(where, document.locate(where), None, text.value, False,
                               shown.replace("\u00a0", " "))
            continue
        for position, node in locate_markup(text):
            if isinstance(node, Cite) and node.stat_id in stats:
                typed = f"[@{'+' if node.with_prefix else ''}{node.stat_id}]"
                yield cited(path, document.locate_inside(path, position, typed),
                            stats[node.stat_id])
        yield from _typed_numbers(path, text, document)


# A number as typed in a text: digits with grouping or decimal separators, then perhaps a
# percent sign or a scale word ("4.25 million", "250 000", "13 %", "1,5 млн").
_TYPED_NUMBER = re.compile(
    r"(?<![\w.,])(\d+(?:[ \u00a0\u202f.,]\d+)*)(?![\w])"
    r"(?:[ \u00a0\u202f]?(%|million|millions|milliards?|billions?|thousand|mille|млн|млрд|"
    r"тыс\.|milyon|milyard)(?!\w))?", re.IGNORECASE)
_SCALES = {"million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9, "billion": 1e9,
           "billions": 1e9, "thousand": 1e3, "mille": 1e3, "млн": 1e6, "млрд": 1e9,
           "тыс.": 1e3, "milyon": 1e6, "milyard": 1e9}
# Citations and link addresses hold digits that are not figures stated to the reader.
_MARKUP = re.compile(r"\[[@^][^\]]*\]|\]\([^)]*\)")


def _typed_numbers(path: FieldPath, text: str, document: YamlDocument) -> Iterator[_Mention]:
    """Figures typed as digits in a text. Years (1900-2100) and small whole numbers (below
    100, without a percent sign or scale word) say nothing a reader would take for a
    repeated figure, and are passed over."""
    normalized = normalize_space(text)
    hidden = [(match.start(), match.end()) for match in _MARKUP.finditer(normalized)]
    for match in _TYPED_NUMBER.finditer(normalized):
        if any(start <= match.start() < end for start, end in hidden):
            continue
        digits, scale = match.group(1), (match.group(2) or "").lower()
        value = _number_value(digits)
        if value is None:
            continue
        whole = value.is_integer() and not re.search(r"[ \u00a0\u202f.,]", digits)
        if not scale and whole and (value < 100 or 1900 <= value <= 2100):
            continue
        percent = scale == "%"
        value *= _SCALES.get(scale, 1.0)
        where = document.locate_inside(path, count_nonspace(normalized[:match.start()]),
                                       match.group(1))
        yield _Mention(path, where, None, value, percent, match.group().strip())


def _number_value(digits: str) -> float | None:
    """The value of a number typed with grouping or decimal separators: "250,000",
    "250 000" and "1.130.000" group thousands; "4.25" and "4,25" have decimals."""
    parts = re.split(r"[ \u00a0\u202f.,]", digits)
    separators = re.findall(r"[ \u00a0\u202f.,]", digits)
    try:
        if all(len(part) == 3 for part in parts[1:]):
            return float("".join(parts))
        if separators[-1] in " \u00a0\u202f":
            return None  # two numbers side by side, not one
        return float("".join(parts[:-1]) + "." + parts[-1])
    except (ValueError, IndexError):
        return None


def _untranslated(spec: BriefSpec, document: YamlDocument) -> Iterator[Problem]:
    """A version in another language whose texts are written only once (so in the brief's
    language): the page would mix languages. Each such text is named with its line. An
    audience's own texts are written for that version, so they are not counted."""
    base = spec.brief.language.split("-")[0]
    for index, audience in enumerate(spec.audiences):
        if not audience.language or audience.language.split("-")[0] == base:
            continue
        texts: list[tuple[FieldPath, object]] = [(("brief", "title"), spec.brief.title)]
        if audience.summary is None:
            texts.append((("summary",), spec.summary))
        if not audience.asks:
            for number, ask in enumerate(spec.asks):
                texts += [(("asks", number, "headline"), ask.headline),
                          (("asks", number, "detail"), ask.detail)]
        if audience.sections is None:
            for number, section in enumerate(spec.sections):
                texts += [(("sections", number, "heading"), section.heading),
                          (("sections", number, "body"), section.body)]
        single = [path for path, text in texts if isinstance(text, str)]
        if single:
            named = [_field_with_line(document, path) for path in single[:_NAMED_AT_MOST]]
            if len(single) > _NAMED_AT_MOST:
                named.append(f"and {len(single) - _NAMED_AT_MOST} more")
            count = (f"{len(single)} of the texts on this {audience.language} version are"
                     if len(single) > 1 else f"a text on this {audience.language} version is")
            yield _problem(document, ("audiences", index, "language"),
                           f"{count} written only once, in {spec.brief.language}: "
                           f"{', '.join(named)}",
                           f"give them per language, e.g. summary: {{{base}: ..., "
                           f"{audience.language.split('-')[0]}: ...}}",
                           "missing-translation", "warning")


def _untranslated_quotes(spec: BriefSpec, document: YamlDocument) -> Iterator[Problem]:
    """A version that prints a quote spoken in another language with no translation in its
    own: the page would mix languages (a French quote alone on an Azerbaijani page, or with
    only its English translation, which is how a translation written once is read)."""
    from briefgen.translation import command_path
    from briefgen.translation.texts import language_name

    def base(tag: str) -> str:
        return tag.split("-")[0].lower()

    found: dict[tuple[FieldPath, str], tuple[Quote, list[str]]] = {}
    versions: list[Audience | None] = [*spec.audiences] or [None]
    for index, audience in enumerate(versions):
        language = (audience.language if audience else None) or spec.brief.language
        path: FieldPath = ("quotes",)
        quotes = spec.quotes
        if audience is not None and audience.quotes is not None:
            quotes, path = audience.quotes, ("audiences", index, "quotes")
        for number, quote in enumerate(quotes):
            translation = quote.translation
            if not quote.language or base(quote.language) == base(language) or (
                    isinstance(translation, dict) and pick_language(translation, language)) or (
                    isinstance(translation, str)
                    and base(spec.brief.language) == base(language)):
                continue
            entry = found.setdefault(((*path, number), base(language)), (quote, []))
            entry[1].append(audience.id if audience else "")
    command = f"briefgen translate export {command_path(document.path)}"
    for (path, language), (quote, ids) in found.items():
        spoken = language_name(base(quote.language or ""))
        name = language_name(language)
        translation = quote.translation
        given = (f"with only its {language_name(base(spec.brief.language))} translation"
                 if isinstance(translation, str) else
                 f"with no translation in {name} (given: {', '.join(translation)})"
                 if translation else f"with no translation in {name}")
        where = (*path, "translation") if translation else (*path, "language")
        yield _problem(document, where,
                       f"the {name} version{_version_names(ids)} prints the quote by "
                       f"{_first(quote.speaker)} in {spoken} {given}: the page would mix "
                       "languages",
                       f"add  {language}: ...  under {format_field_path((*path, 'translation'))}"
                       + ("" if language == base(spec.brief.language) else
                          f" (or send it to a translator: {command} --to {language})"),
                       "missing-translation", "warning")


_NAMED_AT_MOST = 6


def _field_with_line(document: YamlDocument, path: FieldPath) -> str:
    """`summary (line 13)`; the file too when the field was written in another one."""
    where = document.locate(path)
    place = (f"line {where.line}" if where.file == document.path
             else f"{display_path(where.file)}:{where.line}")
    return f"{document.describe(path)} ({place})"


def _cut_by_comments(spec: BriefSpec, document: YamlDocument) -> Iterator[Problem]:
    """Unquoted text with ` #` in it: YAML reads the rest of the line as a comment."""
    for path, _ in text_fields(spec):
        where = document.trailing_comments.get(path)
        if where is not None:
            yield Problem(where, document.describe(path), "the rest of this line, from '#', "
                          "is a YAML comment and will not be printed",
                          "put the whole text in quotes to keep the '#'", rule="comment",
                          severity="warning")


def _repeated_words(spec: BriefSpec, document: YamlDocument) -> Iterator[Problem]:
    """Words a citation prints that the sentence around it already has: "more than
    [@+id]" with the prefix "more than ", "€[@id]" with the unit "€", "[@id] m²" with the
    suffix " m²". Every language's form of the prefix, unit and suffix is compared."""
    stats = {stat.id: stat for stat in spec.stats}
    for path, text in text_fields(spec):
        if "[@" not in text:
            continue
        normalized = " ".join(text.split())
        for position, node in locate_markup(text):
            if not isinstance(node, Cite) or node.stat_id not in stats:
                continue
            stat = stats[node.stat_id]
            start, end = _citation_span(normalized, position)
            before = normalized[:start].rstrip().casefold()
            after = normalized[end:].lstrip().casefold()
            typed = f"[@{'+' if node.with_prefix else ''}{node.stat_id}]"
            checks = [("unit", _variants(stat.unit), before.endswith)]
            if node.with_prefix:
                checks.insert(0, ("prefix", _variants(stat.prefix) + _qualifier_words(stat),
                                  before.endswith))
            checks.append(("suffix", _variants(stat.suffix), after.startswith))
            for name, variants, found_in_text in checks:
                twice = next((variant for variant in variants
                              if found_in_text(variant.casefold())
                              and _whole_words(before, after, variant, name)), None)
                if twice is None:
                    continue
                hint = (f"write [@{node.stat_id}] to leave the prefix out, or delete the words "
                        f"before it" if name == "prefix"
                        else f"delete the {twice!r} {'before' if name == 'unit' else 'after'} "
                        f"{typed}")
                yield Problem(document.locate_inside(path, position, typed),
                              document.describe(path),
                              f"{twice!r} would be printed twice: the text "
                              f"{'after' if name == 'suffix' else 'before'} {typed} has it, "
                              f"and the figure's {name} prints it", hint,
                              rule="repeated-words", severity="warning")


def _citation_span(text: str, nonspace_index: int) -> tuple[int, int]:
    """Start and end in `text` of the citation whose `[` follows `nonspace_index` non-space
    characters."""
    seen = 0
    for index, char in enumerate(text):
        if not char.isspace():
            if seen == nonspace_index:
                return index, text.index("]", index) + 1
            seen += 1
    return len(text), len(text)


def _variants(value: str | dict[str, str] | None) -> list[str]:
    """Every language's form of a stat's prefix, unit or suffix, without outer spaces."""
    values = value.values() if isinstance(value, dict) else [value or ""]
    return sorted({" ".join(text.split()) for text in values if text.strip()}, key=len,
                  reverse=True)


def _qualifier_words(stat: Stat) -> list[str]:
    """The words a stat's qualifier is printed with before the figure, in every language
    briefgen words it in ("more than", "plus de", "более")."""
    from briefgen.resolve.figures import figure_qualifier
    from briefgen.resolve.locale_format import QUALIFIER_WORDING

    qualifier = figure_qualifier(stat)
    if qualifier is None:
        return []
    words = {" ".join(wordings[qualifier].partition("{}")[0].split())
             for wordings in QUALIFIER_WORDING.values()}
    return sorted((word for word in words if word), key=len, reverse=True)


def _whole_words(before: str, after: str, variant: str, name: str) -> bool:
    """Whether `variant` stands on its own next to the citation, not as the end of a longer
    word ("set up to" has "up to"; "startup to" has not)."""
    variant = variant.casefold()
    if name == "suffix":
        rest = after[len(variant):]
        return not (variant[-1:].isalnum() and rest[:1].isalnum())
    rest = before[:-len(variant)]
    return not (variant[:1].isalnum() and rest[-1:].isalnum())


def _figures(spec: BriefSpec, document: YamlDocument) -> Iterator[Problem]:
    """Numbers that would print misleadingly: a fraction shown as a percent, zero, a year
    with a thousands separator; and a currency written as a prefix, which sentences leave
    out."""
    from briefgen.resolve.locale_format import format_number

    for index, stat in enumerate(spec.stats):
        currency = next((variant for variant in _variants(stat.prefix)
                         if _CURRENCY.fullmatch(variant)), None)
        if currency is not None:
            yield _problem(document, ("stats", index, "prefix"),
                           f"{currency!r} looks like a currency, but a prefix is shown only in "
                           f"the callout: sentences citing [@{stat.id}] would lose it",
                           f"write it as unit: {currency} (shown wherever the figure is)",
                           "figure", "warning")
        if (stat.format == "count" and stat.decimals is None and stat.value.is_integer()
                and _LOOKS_LIKE_A_YEAR[0] <= stat.value <= _LOOKS_LIKE_A_YEAR[1]
                and stat.value % 100):
            shown = format_number(stat.value, "count", spec.brief.language)
            yield _problem(document, ("stats", index, "value"),
                           f"{stat.value:.0f} would print as {shown}; is it a year?",
                           "add format: plain to print it without a thousands separator",
                           "figure", "warning")
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


# Years a count might be: 1900-2100, round hundreds left out (2,000 people is a count).
_LOOKS_LIKE_A_YEAR = (1900, 2100)
_CURRENCY = re.compile(r"[A-Z]{0,3}[$€£¥₼₽₹₺]|[A-Z]{3}|CHF|Fr\.|SFr\.")


def check_document(composed: Document, template: Template) -> list[Problem]:
    """Rules on the composed page: text colour against the background it sits on; pictures
    with words for those who cannot see them."""
    problems = list(_undescribed_pictures(composed, template))
    seen: set[tuple[str, str, str, str]] = set()
    for style_name, key_name, color, background in _text_colors(
            composed.body + composed.footer, "#FFFFFF", composed):
        key = (style_name, key_name, color, background)
        if key in seen:
            continue
        seen.add(key)
        ratio = contrast_ratio(color, background)
        if ratio < MINIMUM_CONTRAST:
            where: Location | Path = (
                template.folder / LAYOUT_FILE if key_name == "<color>"
                else template.design_document.locate(("styles", style_name, key_name))
                if template.design_document else template.folder / "template.yaml")
            problems.append(Problem(
                where, f"styles.{style_name}.{key_name}" if key_name != "<color>"
                else f"<color> in the {style_name} style",
                f"text colour {color} on {background} has a contrast of "
                # Rounded down: 4.48 must not print as the 4.5 it fails to reach.
                f"{int(ratio * 10) / 10:.1f}:1; readers need at least {MINIMUM_CONTRAST}:1",
                "darken the text colour or lighten the background", rule="contrast"))
    return problems


def logo_contrast(picture: Picture, background: str) -> float:
    """The contrast with `background` that the best-contrasting twentieth of the picture's
    visible pixels reaches (1.0 for a picture with no visible pixel).

    A pixel is visible when it is at least half opaque; its colour is taken as the page
    shows it, blended with the background by its transparency."""
    back = tuple(int(background[index : index + 2], 16) for index in (1, 3, 5))
    ratios: list[tuple[float, int]] = []
    for count, (red, green, blue, alpha) in picture.colors():
        if alpha < 128:
            continue
        shown = "#" + "".join(f"{round((channel * alpha + under * (255 - alpha)) / 255):02X}"
                              for channel, under in zip((red, green, blue), back, strict=True))
        ratios.append((contrast_ratio(shown, background), count))
    wanted = sum(count for _, count in ratios) * LOGO_SHARE
    seen = 0
    for ratio, count in sorted(ratios, reverse=True):
        seen += count
        if seen >= wanted:
            return ratio
    return 1.0


def logo_problem(picture: Picture, template: Template, logo: str, where: Location,
                 field: str) -> Problem | None:
    """A warning when the logo would hardly show on the masthead: a white logo made for a
    dark band, put on a white page."""
    background = masthead_background(template)
    ratio = logo_contrast(picture, background)
    if ratio >= LOGO_CONTRAST:
        return None
    return Problem(where, field,
                   f"the logo {logo} would hardly show on the masthead: its visible pixels "
                   f"reach a contrast of {int(ratio * 10) / 10:.1f}:1 with the masthead's "
                   f"{background}, and a logo needs {LOGO_CONTRAST:.0f}:1 to be made out",
                   "use a version of the logo drawn for a light background (a dark or coloured "
                   "mark)", rule="logo-contrast", severity="warning")


_CELL_TAG = re.compile(r"<cell\b([^>]*)>|</cell>|<image\b")
_BACKGROUND = re.compile(r'\bbackground="([^"{}]*)"')


def masthead_background(template: Template) -> str:
    """The colour the layout draws the logo on: the background of the innermost cell around
    its <image> that has one, else the page's white."""
    layout = re.sub(r"\{#.*?#\}", "", template.layout_source, flags=re.DOTALL)
    open_cells: list[str] = []
    for tag in _CELL_TAG.finditer(layout):
        if tag[0] == "</cell>":
            if open_cells:
                open_cells.pop()
        elif tag[0].startswith("<image"):
            for attributes in reversed(open_cells):
                color = _BACKGROUND.search(attributes)
                if color:
                    try:
                        return template.color(color[1])
                    except KeyError:
                        break
            break
        else:
            open_cells.append(tag[1] or "")
    return "#FFFFFF"


def _undescribed_pictures(composed: Document, template: Template) -> Iterator[Problem]:
    """A picture (the logo, a chart) drawn without alternative text: a screen reader would
    pass over it, and with the logo over who the brief is from. The one-pager gives the logo
    the organisation's name, which is what a logo says; a layout that leaves the description
    out, or gives an empty one, is an error."""
    for picture in _pictures(composed.body + composed.footer):
        if not picture.description.strip():
            # The first <image> of the layout, outside its comments.
            layout = re.sub(r"\{#.*?#\}", lambda comment: "\n" * comment[0].count("\n"),
                            template.layout_source, flags=re.DOTALL)
            line, column = next(((number, text.index("<image") + 1) for number, text in
                                 enumerate(layout.splitlines(), start=1) if "<image" in text),
                                (1, 1))
            yield Problem(Location(template.folder / LAYOUT_FILE, line, column), "image",
                          "a picture (the logo) is drawn without alternative text: screen "
                          "readers would pass over it",
                          "give the <image> a description: the organisation's name, or what "
                          "the logo shows", rule="alt-text")
            return


def _pictures(blocks: tuple[Block, ...]) -> Iterator[Image | ChartBlock]:
    return (block for block in iter_blocks(blocks) if isinstance(block, Image | ChartBlock))


# Printed words that are a web address: a scheme ("https:", "mailto:"), "www.", or a domain
# with a path. A bare domain ("unhcr.org") or an email address reads well enough.
_ADDRESS = re.compile(r"(?:[a-z][a-z0-9+.-]*:(?://)?|www\.)\S+|[\w-]+(?:\.[\w-]+)+/\S*",
                      re.IGNORECASE)


def _address_links(spec: BriefSpec, document: YamlDocument) -> Iterator[Problem]:
    """A link whose printed words are only its address: a screen reader spells it out
    character by character, and nobody hears what is there."""
    for path, text in text_fields(spec):
        if "](" not in text:
            continue
        for position, node in locate_markup(text):
            if not isinstance(node, Link):
                continue
            words = plain_text(node.children).strip()
            if _ADDRESS.fullmatch(words):
                yield Problem(document.locate_inside(path, position, "["),
                              document.describe(path),
                              f"the link's printed text is only its address ({words}); "
                              "screen readers spell it out",
                              "say what is there, e.g. [the 2024 clearance plan](https://...)",
                              rule="link-text", severity="warning")


_HEADINGS = {("brief", "title"), ("sections", "heading")}  # a section's also in an audience


def _empty_headings(spec: BriefSpec, document: YamlDocument) -> Iterator[Problem]:
    """A heading (the title, a section's heading) that prints no words: screen readers list
    the page by its headings, and this one would have no name."""
    for path, text in text_fields(spec):
        names = [part for part in path if isinstance(part, str)]
        if names[-1] not in ("heading", "title"):
            names = names[:-1]  # a text given per language: the last part is the language
        if tuple(names[-2:]) not in _HEADINGS:
            continue
        if not plain_text(parse_inline(text)).strip():
            yield Problem(document.locate(path), document.describe(path),
                          "the heading prints no words: readers who move from heading to "
                          "heading would find it empty",
                          "write the heading's words", rule="empty-heading",
                          severity="warning")


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two #RRGGBB colours, from 1 to 21."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(color: str) -> float:
    channels = [int(color[index : index + 2], 16) / 255 for index in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _text_colors(blocks: tuple[Block, ...], background: str, composed: Document
                 ) -> Iterator[tuple[str, str, str, str]]:
    """Every colour text is drawn in, with the background under it, as (style, the style's
    key naming the colour, colour, background): a paragraph's text and its hanging label (a
    list number, a chart key's colour dot); a chart's labels, which it draws in its label
    style's colour on its cell's background."""
    for block in blocks:
        if isinstance(block, Paragraph | ChartBlock):
            style = composed.styles[block.style]
            yield block.style, "color", style.color, background
            if isinstance(block, Paragraph) and block.number is not None and style.label_color:
                yield block.style, "label_color", style.label_color, background
            if isinstance(block, Paragraph):  # words the layout colours itself (<color>)
                for color in {span.color for span in block.spans if span.color}:
                    yield block.style, "<color>", color, background
        elif isinstance(block, Group):
            yield from _text_colors(block.blocks, background, composed)
        elif isinstance(block, Row):
            for cell in block.cells:
                yield from _text_colors(cell.blocks, cell.background or background, composed)


def _problem(document: YamlDocument, path: FieldPath, message: str, hint: str, rule: str,
             severity: str = "error") -> Problem:
    return Problem(document.locate(path), document.describe(path), message, hint, rule=rule,
                   severity=severity)


def _anachronisms(spec: BriefSpec, document: YamlDocument) -> Iterator[Problem]:
    brief_date = spec.brief.date
    dated: list[tuple[FieldPath, dt.date | None]] = [
        (("stats", index, "as_of"), stat.as_of) for index, stat in enumerate(spec.stats)]
    dated += [(("sources", index, "date"), source.date) for index, source in enumerate(spec.sources)]
    for index, chart in enumerate(spec.charts):
        for number, series in enumerate(chart.series):
            path: FieldPath = ("charts", index, "series", number)
            dated.append(((*path, "as_of"), series.as_of))
            dated += [((*path, "points", point, "as_of"), value.as_of)
                      for point, value in enumerate(series.points or [])]
    for path, day in dated:
        if day is not None and day > brief_date:
            yield _problem(document, path,
                           f"dated {day.isoformat()}, after the brief itself "
                           f"({brief_date.isoformat()})",
                           "a brief cannot cite what was published after it: use the figure "
                           "available at the time, or correct the date", "anachronism")


def _charts(spec: BriefSpec, document: YamlDocument) -> Iterator[Problem]:
    """A chart plots only values with a named, dated source, at least two of them, in one
    unit; a part-of-whole (stacked) chart has no negative parts and, in percent, no more
    than 100% in a bar."""
    stats = {stat.id: stat for stat in spec.stats}
    sources = {source.id: source for source in spec.sources}
    for index, chart in enumerate(spec.charts):
        path: FieldPath = ("charts", index)
        if len(chart.categories) < 2:
            what = "parts" if chart.type == "stacked" else "points"
            yield _problem(document, (*path, "categories"),
                           f"the chart {chart.id!r} has fewer than two {what}: one number "
                           "needs no chart", "show it as a key figure in stats instead, or "
                           "add the values it compares with", "chart-points")
        units: list[tuple[FieldPath, str, tuple[object, ...]]] = []
        for number, series in enumerate(chart.series):
            series_path: FieldPath = (*path, "series", number)
            yield from _chart_sources(chart, series, series_path, stats, sources, document)
            if series.stats is not None:
                units += [((*series_path, "stats", position), stat_id,
                           (stats[stat_id].format, stats[stat_id].unit, stats[stat_id].suffix))
                          for position, stat_id in enumerate(series.stats) if stat_id in stats]
            else:
                units.append(((*series_path, "values" if series.values is not None
                               else "points"), "the chart's own values",
                              (chart.format or "count", chart.unit, chart.suffix)))
            values = [value for value, _, _ in chart_points(chart, series, stats)]
            numbers = [stats[value].value if isinstance(value, str) else value
                       for value in values if not isinstance(value, str) or value in stats]
            if chart.type == "stacked":
                yield from _parts_of_a_whole(chart, series, numbers, stats, series_path,
                                             document)
        if chart.format is not None and units and all(name != "the chart's own values"
                                                      for _, name, _ in units):
            units.insert(0, ((*path, "format"), "the chart's format",
                             (chart.format, chart.unit, chart.suffix)))
        first = units[0] if units else None
        for where, name, unit in units[1:]:
            if first is not None and unit != first[2]:
                yield _problem(document, where,
                               f"{name} is {_unit_text(unit)}, but {first[1]} is "
                               f"{_unit_text(first[2])}: one chart plots one unit",
                               "plot figures of one unit (and format) together; show the "
                               "others in another chart or as key figures", "chart-units")
                break


def _unit_text(unit: tuple[object, ...]) -> str:
    number_format, before, after = unit
    parts = [str(number_format)]
    if before:
        parts.append(f"unit {before!r}")
    if after:
        parts.append(f"suffix {after!r}")
    return " with ".join(parts)


def _chart_sources(chart: Chart, series: ChartSeries, path: FieldPath,
                   stats: dict[str, Stat], sources: dict[str, Source], document: YamlDocument
                   ) -> Iterator[Problem]:
    """Every plotted value names a source, and a date: its own `as_of`, or its source's."""
    for position, (value, source_id, as_of) in enumerate(chart_points(chart, series, stats)):
        if isinstance(value, str):
            where: FieldPath = (*path, "stats", position)
        elif series.points is not None:
            where = (*path, "points", position)
        else:
            where = path
        if source_id is None:
            yield _problem(document, where, "a plotted value has no source",
                           "add source: with the id of the publication the values come "
                           "from (to the series, or to each point)", "chart-source")
        elif source_id in sources and as_of is None and sources[source_id].date is None:
            yield _problem(document, where,
                           f"a plotted value has no date: neither it nor its source "
                           f"{source_id!r} says when",
                           "add as_of: (the date the value refers to), or the source's "
                           "date", "chart-source")
        else:
            continue
        if where == path:
            return  # one message for a series whose values share their source


def _parts_of_a_whole(chart: Chart, series: ChartSeries, numbers: list[float],
                      stats: dict[str, Stat], path: FieldPath, document: YamlDocument
                      ) -> Iterator[Problem]:
    kind = next(name for name in ("values", "points", "stats") if getattr(series, name) is not None)
    for position, value in enumerate(numbers):
        if value < 0:
            yield _problem(document, (*path, kind, position),
                           f"a part of a whole cannot be negative ({value:g})",
                           "plot changes, which can be negative, as a bar or column chart",
                           "chart-negative")
    formats = [stats[stat_id].format for stat_id in series.stats or [] if stat_id in stats]
    percent = (chart.format or (formats[0] if formats else "count")) == "percent"
    total = sum(numbers)
    if percent and total > 100 + 1e-9:
        yield _problem(document, (*path, kind),
                       f"the parts add up to {total:g}%, more than the whole",
                       "check the figures: shares of one whole add up to at most 100% (if "
                       "published shares were rounded up, say so in a note and round one "
                       "down)", "chart-total")


def _months_between(earlier: dt.date, later: dt.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month - (
        1 if later.day < earlier.day else 0)


def _stale_figures(spec: BriefSpec, document: YamlDocument) -> Iterator[Problem]:
    event = spec.brief.event.start
    limit = spec.brief.stale_after_months
    for index, stat in enumerate(spec.stats):
        if (stat.as_of is not None and not stat.historical
                and _months_between(stat.as_of, event) > limit):
            age = _months_between(stat.as_of, event)
            yield _problem(document, ("stats", index, "as_of"),
                           f"figure is {age} months old at the event (limit: {limit})",
                           "look for a newer figure; for a fact that does not go stale (a "
                           "past pledge, a war's dates) add historical: true",
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
    stats = {stat.id: stat for stat in spec.stats}
    by_id = {stat.id: stat.source for stat in spec.stats}
    for audience in spec.audiences:
        sources |= {by_id[stat_id] for stat_id in audience.stats or [] if stat_id in by_id}
    sources |= {quote.source for _, quotes in quote_lists(spec) for quote in quotes
                if quote.source}
    shown_charts = {chart.id for chart in spec.charts if chart.featured}
    for audience in spec.audiences:
        shown_charts |= set(audience.charts or [])
    for chart in spec.charts:
        if chart.id in shown_charts:
            sources |= {source for series in chart.series
                        for _, source, _ in chart_points(chart, series, stats) if source}
    stat_sources = {stat.id: stat.source for stat in spec.stats}
    for _, asks in ask_lists(spec):
        for ask in asks:
            if ask.amount is not None and ask.amount.source:
                sources.add(ask.amount.source)
            elif ask.amount is not None and ask.amount.stat in stat_sources:
                sources.add(stat_sources[ask.amount.stat])
    for _, text in text_fields(spec):
        for node in walk(parse_inline(text)):
            if isinstance(node, Cite) and node.stat_id in stat_sources:
                sources.add(stat_sources[node.stat_id])
            elif isinstance(node, SourceCite):
                sources.add(node.source_id)
    return sources


def _unused_sources(spec: BriefSpec, document: YamlDocument) -> Iterator[Problem]:
    cited = cited_source_ids(spec)
    for index, source in enumerate(spec.sources):
        if source.id not in cited:
            yield _problem(document, ("sources", index, "id"),
                           f"source {source.id!r} is not cited, so it is not printed",
                           "cite it from a stat or a quote, or as [^source-id] in a text; or "
                           "delete it", "unused-source", "warning")


def running_words(spec: BriefSpec, audience_index: int | None = None) -> int:
    """Words of running text on one version of the page (summary, asks, sections, quotes)."""
    audience = spec.audiences[audience_index] if audience_index is not None else None
    language = audience.language if audience and audience.language else spec.brief.language

    def local(value: str | dict[str, str] | None) -> str:
        if isinstance(value, dict):
            chosen = pick_language(value, language)
            return value[chosen] if chosen else ""
        return value or ""

    texts = [local(audience.summary if audience and audience.summary else spec.summary),
             local(audience.summary_ask if audience and audience.summary_ask
                   else spec.summary_ask)]
    asks = audience.asks if audience and audience.asks else spec.asks
    texts += [f"{local(ask.headline)} {local(ask.detail)}" for ask in asks]
    sections = (audience.sections if audience and audience.sections is not None
                else spec.sections)
    quotes = audience.quotes if audience and audience.quotes is not None else spec.quotes
    texts += [f"{local(section.heading)} {local(section.body)}" for section in sections]
    texts += [quote.text for quote in quotes]
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
    from briefgen.resolve.locale_format import is_known_language

    tags: list[tuple[FieldPath, str, bool]] = [(("brief", "language"), spec.brief.language, True)]
    tags += [(("audiences", index, "language"), audience.language, True)
             for index, audience in enumerate(spec.audiences) if audience.language]
    tags += [((*base, index, "language"), quote.language, False)
             for base, quotes in quote_lists(spec)
             for index, quote in enumerate(quotes) if quote.language]
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


def _drafting(spec: BriefSpec, document: YamlDocument) -> Iterator[Problem]:
    """What makes the versions that print it drafts (see `view.draft_reasons`), in every list
    of quotes and asks: a quote without consent that is not on the public record with its
    source (`quote-consent`), an ask's amount with no source that is not your own request
    (`amount-source`). Warnings: a draft is built, and says so on its page."""
    reasons = [reason for base, quotes in quote_lists(spec)
               for reason in draft_reasons(quotes, base, [], ())]
    reasons += [reason for base, asks in ask_lists(spec)
                for reason in draft_reasons([], (), asks, base)]
    for reason in reasons:
        yield Problem(document.locate(reason.origin), document.describe(reason.origin),
                      f"{reason.message}, so the versions that print it are drafts",
                      reason.hint, rule=reason.rule, severity="warning")


def _first(text: str | dict[str, str]) -> str:
    """A text given once or per language, as messages name it: the first one written."""
    return text if isinstance(text, str) else next(iter(text.values()))


def _figure_words(spec: BriefSpec, document: YamlDocument) -> Iterator[Problem]:
    """A figure's qualifier and its words in each version's language.

    - a prefix typed as a sign or an English qualifier ("~", ">", "up to ") is read as the
      qualifier it stands for: say so, and ask for `qualifier:`;
    - a prefix, unit or suffix in words written in one language only, which a version in
      another language prints as it is (or, given per language, leaves out, so the figure
      loses its meaning or its unit there), named at its line in each version that prints it;
    - a qualifier in a language briefgen has no words for.
    """
    from briefgen.resolve.figures import figure_qualifier
    from briefgen.resolve.locale_format import qualifier_wording

    versions = _versions(spec)
    written_in = spec.brief.language.split("-")[0]
    figures: list[tuple[FieldPath, Stat | Chart]] = [
        *((("stats", index), stat) for index, stat in enumerate(spec.stats)),
        *((("charts", index), chart) for index, chart in enumerate(spec.charts))]
    for path, figure in figures:
        prefix = getattr(figure, "prefix", None)
        qualifier = figure_qualifier(figure)
        if isinstance(figure, Stat) and prefix is not None:
            yield from _prefix_as_qualifier(figure, path, document)
        printing = [(language, names) for language, names, shows in versions
                    if shows(figure, "prefix")]
        for language, names in printing:
            base = language.split("-")[0]
            own = pick_language(prefix, language) if isinstance(prefix, dict) else None
            if qualifier is not None and own is None and qualifier_wording(
                    qualifier, language) is None:
                yield _problem(document, (*path, "qualifier") if getattr(
                    figure, "qualifier", None) else (*path, "prefix"),
                    f"briefgen has no {language} words for {qualifier!r}: the {language} "
                    f"version{names} prints it in English",
                    f"give the words as prefix: {{{base}: ...}}", "missing-translation",
                    "warning")
            if (qualifier is None and isinstance(prefix, str) and has_words(prefix, language)
                    and base != written_in):
                yield _untranslated_affix(document, (*path, "prefix"), prefix, language, names,
                                          spec.brief.language)
            elif (qualifier is None and isinstance(prefix, dict) and own is None
                  and any(has_words(value) for value in prefix.values())):
                yield _problem(document, (*path, "prefix"),
                               f"the prefix is given in {', '.join(prefix)} only: the "
                               f"{language} version{names} prints the figure without it",
                               f"add  {base}: ...  to the prefix, or write qualifier: (about, "
                               "up to, more than, ...), which briefgen words in every language",
                               "missing-translation", "warning")
        for language, names, shows in versions:
            if not shows(figure, "unit"):
                continue
            base = language.split("-")[0]
            for name in ("unit", "suffix"):
                value = getattr(figure, name)
                if isinstance(value, str) and has_words(value, language) and base != written_in:
                    yield _untranslated_affix(document, (*path, name), value, language, names,
                                              spec.brief.language)
            given = [value for value in (figure.unit, figure.suffix) if isinstance(value, dict)]
            if given and not any(isinstance(value, str) for value in (figure.unit, figure.suffix)
                                 ) and all(pick_language(value, language) is None
                                           for value in given):
                name = "unit" if isinstance(figure.unit, dict) else "suffix"
                yield _problem(document, (*path, name),
                               f"the figure's unit is given in {', '.join(given[0])} only: the "
                               f"{language} version{names} prints the number without it",
                               f"add  {base}: ...  to its unit: or suffix:",
                               "missing-translation", "warning")


def _prefix_as_qualifier(stat: Stat, path: FieldPath, document: YamlDocument
                         ) -> Iterator[Problem]:
    from briefgen.resolve.figures import figure_qualifier

    prefix = stat.prefix
    if stat.qualifier is not None:
        if isinstance(prefix, str):
            yield _problem(document, (*path, "prefix"),
                           f"the prefix {prefix!r} is not printed: the figure has qualifier: "
                           f"{stat.qualifier}, which is printed in each version's words",
                           "delete the prefix; to word the qualifier yourself in one language, "
                           "give it per language, e.g. prefix: {ru: 'примерно '}", "qualifier",
                           "warning")
        return
    qualifier = figure_qualifier(stat)
    if qualifier is not None:
        from briefgen.resolve.figures import printed_figure

        shown = prefix if isinstance(prefix, str) else next(iter(prefix.values()))  # type: ignore[union-attr]
        words = ", ".join(f'"{printed_figure(stat, language, with_qualifier=True)}"'
                          for language in ("en", "fr", "ru", "az")).replace("\u00a0", " ")
        yield _problem(document, (*path, "prefix"),
                       f"the prefix {shown.strip()!r} is read as qualifier: {qualifier}, "
                       f"printed in each version's words ({words})",
                       f"write qualifier: {qualifier} instead of the prefix", "qualifier",
                       "warning")


def _untranslated_affix(document: YamlDocument, path: FieldPath, value: str, language: str,
                        names: str, written_in: str) -> Problem:
    return _problem(document, path,
                    f"{value.strip()!r} is written only once, in {written_in}: the {language} "
                    f"version{names} prints it as it is",
                    f"give it per language, e.g. {path[-1]}: {{{written_in.split('-')[0]}: "
                    f"{value!r}, {language.split('-')[0]}: ...}}"
                    + ("; for a qualifier, write qualifier: (about, up to, more than, ...)"
                       if path[-1] == "prefix" else ""),
                    "missing-translation", "warning")


Shows = Callable[[Stat | Chart, str], bool]


def _versions(spec: BriefSpec) -> list[tuple[str, str, Shows]]:
    """Each language the brief is printed in: (language, the versions named for messages,
    whether a figure's prefix (or unit) is printed there)."""
    stats_shown: dict[str, set[str]] = {}
    charts_shown: dict[str, set[str]] = {}
    names: dict[str, list[str]] = {}
    featured = [stat.id for stat in spec.stats if stat.featured]
    featured_charts = [chart.id for chart in spec.charts if chart.featured]
    versions = ([(audience.language or spec.brief.language, audience) for audience
                 in spec.audiences] if spec.audiences else [(spec.brief.language, None)])
    for language, audience in versions:
        stats_shown.setdefault(language, set()).update(
            audience.stats if audience and audience.stats else featured)
        charts_shown.setdefault(language, set()).update(
            audience.charts if audience and audience.charts is not None else featured_charts)
        names.setdefault(language, []).append(audience.id if audience else "")
    cited: dict[str, set[tuple[str, bool]]] = {language: set() for language in names}
    for path, text in text_fields(spec):
        if "[@" not in text:
            continue
        last = path[-1]
        written = last if isinstance(last, str) and _LANGUAGE_KEY.fullmatch(last) else None
        for node in walk(parse_inline(text)):
            if isinstance(node, Cite):
                for language in names:
                    if written is None or pick_language({written: 1}, language):
                        cited[language].add((node.stat_id, node.with_prefix))

    def shows(language: str) -> Shows:
        def check(figure: Stat | Chart, what: str) -> bool:
            if isinstance(figure, Chart):
                return figure.id in charts_shown[language]
            in_text = {(figure.id, True)} if what == "prefix" else {(figure.id, True),
                                                                     (figure.id, False)}
            return figure.id in stats_shown[language] or bool(in_text & cited[language])
        return check

    return [(language, _version_names(ids), shows(language)) for language, ids in names.items()]


_LANGUAGE_KEY = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


def _version_names(ids: list[str]) -> str:
    named = [audience_id for audience_id in ids if audience_id]
    return f" ({', '.join(named)})" if named else ""


def _labels_naming_their_source(spec: BriefSpec, document: YamlDocument) -> Iterator[Problem]:
    """A figure's label that ends by naming its own source in brackets ("landmines (Government
    of Azerbaijan estimate)"): the source line under it names the source already, and the
    bracket's last word is left alone on a line ("estimate)")."""
    sources = {source.id: source for source in spec.sources}
    for index, stat in enumerate(spec.stats):
        source = sources.get(stat.source)
        if source is None:
            continue
        names = [source.publisher, *_all_texts(source.short)]
        names += [name.split(" (")[0].split(" / ")[0] for name in list(names)]
        labels: list[tuple[FieldPath, str]] = (
            [(("stats", index, "label", language), text)
             for language, text in stat.label.items()] if isinstance(stat.label, dict)
            else [(("stats", index, "label"), stat.label)])
        for path, label in labels:
            bracket = re.search(r"\(([^()]*)\)\s*$", label)
            if bracket and any(name.casefold() in bracket.group(1).casefold()
                               for name in names if len(name) > 2):
                yield _problem(document, path,
                               f"the label names its source in brackets ({bracket.group(1)!r}); "
                               "the source line under the figure names it already",
                               "drop the bracket: say what the number counts", "label-source",
                               "warning")


def _all_texts(value: str | dict[str, str] | None) -> list[str]:
    if value is None:
        return []
    return list(value.values()) if isinstance(value, dict) else [value]
