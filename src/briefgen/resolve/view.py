"""Resolve a `BriefSpec` for one audience into a `BriefView`: what the template can place.

Resolving applies the audience's overrides, picks the template's labels for the language and
formats numbers and dates for the locale. User text stays parsed inline markup (`UserText`),
tagged with the spec field it came from so later stages can point at it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from briefgen.errors import Problem, SpecError
from briefgen.resolve.locale_format import (
    NO_BREAK_SPACE,
    babel_locale,
    format_date_range,
    format_long_date,
    format_number,
)
from briefgen.spec.inline import Cite, Inline, Text, parse_inline, plain_text
from briefgen.spec.loader import FieldPath, YamlDocument, format_field_path
from briefgen.spec.models import Audience, BriefSpec
from briefgen.template import Template


@dataclass(frozen=True, eq=False)
class UserText:
    """Text from the spec, parsed once; the layout sees it only as an opaque reference."""

    index: int
    origin: FieldPath
    nodes: tuple[Inline, ...]
    language: str

    def __html__(self) -> str:
        # Jinja's autoescape asks for this: the layout receives a reference, never the text.
        return f'<field ref="{self.index}"/>'

    def __str__(self) -> str:
        return plain_text(self.nodes)

    def __bool__(self) -> bool:
        return bool(self.nodes)


@dataclass(frozen=True)
class StatView:
    id: str
    value: str  # as a callout shows it, in the page's words: "more than 13%", "около 1,5 млн"
    label: UserText
    source: str  # the id of its source: the layout asks for its note's number
    figure: str = ""  # the value without its qualifier: "13%"
    source_line: str = ""  # who says so and when, under the callout: "ANAMA, November 2023"


@dataclass(frozen=True)
class ChartSeriesView:
    """One series of a chart as the page shows it."""

    name: UserText | None
    values: tuple[float, ...]
    labels: tuple[str, ...]  # each value as printed: qualifier, unit, number, suffix ("~95%")


@dataclass(frozen=True)
class ChartView:
    """A chart resolved for one version: its texts, its values formatted for the language,
    the sources of its values and its description for readers who do not see it."""

    id: str
    type: str
    title: UserText
    subtitle: UserText | None
    note: UserText | None
    categories: tuple[UserText, ...]
    series: tuple[ChartSeriesView, ...]
    sources: tuple[str, ...]  # ids of the sources of its values, in the order of the values
    source_line: str  # who says so and when: "ANAMA, November 2023"
    description: str  # the chart in words, every value with its label (alternative text)
    origin: FieldPath  # ("charts", index)
    number_format: str  # count, percent, compact or plain
    # A stacked chart's key, one entry per part: its name and its value in each bar, which
    # the layout sets as text under the chart ("International donors ~5%").
    key: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class PrintedText:
    """A text of the spec that a version prints, as `resolve_brief` reads it: where it is
    written, its value as written (one text, or one per language), and whether it is printed
    as typed (`literal`: its markup is not read)."""

    origin: FieldPath
    value: str | dict[str, str]
    literal: bool


@dataclass(frozen=True)
class DraftReason:
    """Something a version prints that must be settled before it circulates: the page then
    says it is a draft, and `briefgen email` does not attach it (see `draft_reasons`)."""

    origin: FieldPath
    message: str
    hint: str
    rule: str


@dataclass
class BriefView:
    """Everything the layout may use, already resolved for one audience and language."""

    language: str
    page: str
    labels: dict[str, str]
    context: dict[str, Any]
    texts: list[UserText] = field(default_factory=list)
    # id -> (value as a sentence cites it: unit, number and suffix; source id)
    stat_values: dict[str, tuple[str, str]] = field(default_factory=dict)
    # id -> the value with its qualifier, as the callout and [@+id] print it ("about 5%")
    qualified_values: dict[str, str] = field(default_factory=dict)
    affixes: list[tuple[FieldPath, str]] = field(default_factory=list)  # prefixes, units, suffixes
    pictures: dict[str, Any] = field(default_factory=dict)  # name -> assets.Picture
    charts: dict[str, ChartView] = field(default_factory=dict)  # the charts this version shows
    chart_reference: str = ""  # what `[@chart-id]` prints: "(see chart)"
    audience_id: str | None = None
    title: str = ""
    author: str = ""
    subject: str = ""
    keywords: str = ""
    date_iso: str = ""
    draft: list[DraftReason] = field(default_factory=list)  # empty: ready to circulate

    def cited_value(self, cite: Cite) -> str:
        """A figure as a sentence shows it: without its qualifier, unless cited as `[@+id]`; a
        chart as a pointer to it, "(see chart)"."""
        if cite.stat_id in self.charts:
            return self.chart_reference
        if cite.with_prefix and cite.stat_id in self.qualified_values:
            return self.qualified_values[cite.stat_id]
        return self.stat_values[cite.stat_id][0]


def resolve_brief(spec: BriefSpec, template: Template, document: YamlDocument,
                  audience_index: int | None = None, *,
                  printed: list[PrintedText] | None = None) -> BriefView:
    """The view of `spec` for the audience at `audience_index` (None: the generic brief).

    `printed`, when given, receives every text of the spec the version prints, before any
    is found missing: `briefgen translate` learns from it which texts a language needs.
    """
    audience: Audience | None = (spec.audiences[audience_index] if audience_index is not None
                                 else None)
    audience_path: FieldPath = (("audiences", audience_index) if audience_index is not None
                                else ())
    header = spec.brief
    language = (audience.language if audience and audience.language else header.language)
    page = (audience.page if audience and audience.page else header.page)
    labels = _labels(template, language)
    view = BriefView(language=language, page=page, labels=labels, context={})
    missing: list[Problem] = []

    def text(value: str | dict[str, str] | None, origin: FieldPath,
             text_language: str | None = None, *, literal: bool = False) -> UserText | None:
        """User text as the layout sees it; `literal` text (addresses) is never parsed."""
        if value is None:
            return None
        if printed is not None:
            printed.append(PrintedText(origin, value, literal))
        if isinstance(value, dict):
            chosen = pick_language(value, language)
            if chosen is None:
                missing.append(Problem(
                    document.locate(origin), document.describe(origin),
                    f"no text in {language!r} for this version (given: {', '.join(value)})",
                    f"add  {language}: ...  under {format_field_path(origin)}",
                    rule="missing-translation"))
                return None
            value, origin = value[chosen], (*origin, chosen)
        nodes = (Text(value),) if literal else parse_inline(value)
        if hidden_charts and "[@" in value:
            missing.extend(_hidden_chart_citations(value, origin, hidden_charts, document,
                                                   audience.id if audience else ""))
        user_text = UserText(len(view.texts), origin, nodes, text_language or language)
        view.texts.append(user_text)
        return user_text

    sender = audience.from_ if audience and audience.from_ else header.from_
    sender_path: FieldPath = ((*audience_path, "from") if audience and audience.from_
                              else ("brief", "from"))
    summary_path: FieldPath = ((*audience_path, "summary") if audience and audience.summary
                               else ("summary",))
    summary_ask, summary_ask_path = ((audience.summary_ask, (*audience_path, "summary_ask"))
                                     if audience and audience.summary_ask
                                     else (spec.summary_ask, ("summary_ask",)))
    asks = audience.asks if audience and audience.asks else spec.asks
    asks_path: FieldPath = (*audience_path, "asks") if audience and audience.asks else ("asks",)
    # An audience's own quotes and sections replace the brief's; `[]` means none at all.
    quotes, quotes_path = ((audience.quotes, (*audience_path, "quotes"))
                           if audience and audience.quotes is not None
                           else (spec.quotes, ("quotes",)))
    sections, sections_path = ((audience.sections, (*audience_path, "sections"))
                               if audience and audience.sections is not None
                               else (spec.sections, ("sections",)))
    # An audience's `charts` picks the charts it is shown, by id; `[]` means none.
    shown_charts = (audience.charts if audience and audience.charts is not None
                    else [chart.id for chart in spec.charts if chart.featured])
    hidden_charts = {chart.id for chart in spec.charts} - set(shown_charts)

    for index, stat in enumerate(spec.stats):
        view.affixes += [(("stats", index, name), typed) for name in ("prefix", "unit", "suffix")
                         if (typed := affix_text(getattr(stat, name), language))]
        figure = printed_figure(stat, language)
        view.stat_values[stat.id] = (figure, stat.source)
        qualified = printed_figure(stat, language, with_qualifier=True)
        if qualified != figure:
            view.qualified_values[stat.id] = qualified
    stat_index = {stat.id: index for index, stat in enumerate(spec.stats)}
    featured = (audience.stats if audience and audience.stats
                else [stat.id for stat in spec.stats if stat.featured])
    sources = {source.id: source for source in spec.sources}
    stats = [
        StatView(stat_id, view.cited_value(Cite(stat_id, with_prefix=True)),
                 text(spec.stats[stat_index[stat_id]].label,  # type: ignore[arg-type]
                      ("stats", stat_index[stat_id], "label")),
                 spec.stats[stat_index[stat_id]].source,
                 figure=view.stat_values[stat_id][0],
                 source_line=_source_line(sources.get(spec.stats[stat_index[stat_id]].source),
                                          language))
        for stat_id in featured
    ]
    view.chart_reference = labels.get("see_chart", "(see chart)")
    chart_index = {chart.id: index for index, chart in enumerate(spec.charts)}
    for chart_id in shown_charts:
        view.charts[chart_id] = _chart_view(spec, chart_index[chart_id], view, sources, text)
    event = header.event
    view.context = {
        "brief": {
            "id": header.id,
            "title": text(header.title, ("brief", "title")),
            "headline": None,
            "deck": None,
            "subtitle": text(header.subtitle, ("brief", "subtitle")),
            "date": format_long_date(header.date, language),
            "language": language,
            "version": header.version,
        },
        "event": {
            "name": text(event.name, ("brief", "event", "name")),
            "place": text(event.place, ("brief", "event", "place")),
            "dates": format_date_range(event.start, event.end, language),
        },
        "sender": {
            name: text(display_url(getattr(sender, name)) if name == "website"
                       else getattr(sender, name), (*sender_path, name),
                       literal=name in {"email", "phone", "website"})
            for name in ("organization", "name", "role", "email", "phone", "website")
        } | {
            "email_href": f"mailto:{sender.email}" if sender.email else None,
            "website_href": sender.website,
        },
        "audience": None if audience is None else {
            "id": audience.id,
            "name": text(audience.name, (*audience_path, "name")),
            "intro": text(audience.intro, (*audience_path, "intro")),
        },
        "summary_ask": text(summary_ask, summary_ask_path),
        "summary": text(audience.summary if audience and audience.summary else spec.summary,
                        summary_path),
        "asks": [
            {"headline": text(ask.headline, (*asks_path, index, "headline")),
             "detail": text(ask.detail, (*asks_path, index, "detail")),
             "amount": _amount_view(ask.amount, (*asks_path, index, "amount"), view, text)
             if ask.amount else None}
            for index, ask in enumerate(asks)
        ],
        "stats": stats,
        "quotes": [
            {"text": text(quote.text, (*quotes_path, index, "text"), quote.language or language),
             # A name needs no translation: another script's spelling is used where given.
             "speaker": text(quote.speaker if isinstance(quote.speaker, str) or pick_language(
                 quote.speaker, language) else next(iter(quote.speaker.values())),
                 (*quotes_path, index, "speaker")),
             "role": text(quote.role, (*quotes_path, index, "role")),
             "source": quote.source,
             "language": quote.language or language,
             "translation": _translation(quote, language, (*quotes_path, index), text)}
            for index, quote in enumerate(quotes)
        ],
        "sections": [
            {"heading": text(section.heading, (*sections_path, index, "heading")),
             "body": text(section.body, (*sections_path, index, "body"))}
            for index, section in enumerate(sections)
        ],
        "labels": labels,
        "charts": list(view.charts.values()),
    }
    view.context["sources"] = {
        source.id: {
            "title": text(source.title, ("sources", index, "title")),
            "publisher": text(source.publisher, ("sources", index, "publisher")),
            "author": text(source.author, ("sources", index, "author")),
            "date": format_long_date(source.date, language) if source.date else None,
            "url": text(display_url(source.url), ("sources", index, "url"), literal=True),
            "href": source.url,
        }
        for index, source in enumerate(spec.sources)
    }
    if sender.logo:
        from briefgen.resolve.assets import load_picture

        logo_path = (*sender_path, "logo")
        view.pictures["logo"] = load_picture(sender.logo, document.path,
                                             document.locate(logo_path),
                                             format_field_path(logo_path))
    view.context["sender"]["logo"] = "logo" in view.pictures
    view.context["sender"]["organization_text"] = sender.organization
    logo_alt = sender.logo_alt
    if isinstance(logo_alt, dict):
        chosen = pick_language(logo_alt, language)
        logo_alt = logo_alt[chosen] if chosen else next(iter(logo_alt.values()))
    view.context["sender"]["logo_description"] = logo_alt or sender.organization
    keywords = header.keywords
    if isinstance(keywords, dict):  # not drawn, so not one of the page's texts
        chosen = pick_language(keywords, language)
        if chosen is None:
            text(keywords, ("brief", "keywords"))  # reports the missing language
        keywords = keywords[chosen] if chosen else None
    sources_url = header.sources_url
    view.context["brief"]["sources_url"] = sources_url
    view.context["brief"]["sources_address"] = text(
        short_address(sources_url), ("brief", "sources_url"), literal=True)
    view.context["brief"]["sources_address_text"] = short_address(sources_url) or ""
    if sources_url:
        from briefgen.resolve.qr import qr_picture

        view.pictures["sources-qr"] = qr_picture(sources_url)
    view.draft = draft_reasons(quotes, quotes_path, asks, asks_path)
    view.context["draft"] = bool(view.draft)
    if missing:
        raise SpecError(missing)
    view.audience_id = audience.id if audience else None
    title = view.context["brief"]["title"]
    view.context["brief"]["headline"], view.context["brief"]["deck"] = _split_title(title, view)
    view.title = str(title)
    if view.draft:  # what a viewer's title bar and a file's properties show
        view.title = f"{labels.get('draft', 'Draft – not for circulation')}: {view.title}"
    view.author = sender.organization
    view.keywords = keywords or "; ".join(
        str(part) for part in (view.context["brief"]["headline"], view.context["event"]["name"],
                               view.context["event"]["place"]))
    event_name, event_place = view.context["event"]["name"], view.context["event"]["place"]
    view.subject = (f"{event_name}, {event_place}, "
                    f"{format_date_range(event.start, event.end, language)}")
    if audience:
        view.subject += f" \u2013 {audience.name}"
    view.date_iso = header.date.isoformat()
    return view


_DECK_BREAK = re.compile(r"\s*;\s*")


def _split_title(title: UserText, view: BriefView) -> tuple[UserText, UserText | None]:
    """The headline and the deck: a title written as two clauses joined by a semicolon is set
    as a short headline and a smaller line under it, which a reader takes in at a glance."""
    nodes = title.nodes
    for index, node in enumerate(nodes):
        if not isinstance(node, Text):
            continue
        found = _DECK_BREAK.search(node.text)
        if found is None:
            continue
        rest = node.text[found.end():]
        if not rest.strip():
            break
        head = (*nodes[:index], Text(node.text[:found.start()]))
        deck = (Text(rest[:1].upper() + rest[1:]), *nodes[index + 1:])
        headline = UserText(len(view.texts), title.origin, head, title.language)
        view.texts.append(headline)
        second = UserText(len(view.texts), title.origin, deck, title.language)
        view.texts.append(second)
        return headline, second
    return title, None


def _hidden_chart_citations(value: str, origin: FieldPath, hidden: set[str],
                            document: YamlDocument, audience_id: str) -> list[Problem]:
    """`[@chart-id]` citations of charts this version does not show, located where typed.

    A text the audiences share is printed on every version, so rewording it changes them
    all: an audience that hides the chart needs its own text (summary, asks, sections and
    quotes can be given per audience)."""
    from briefgen.spec.inline import locate_markup

    version = f"the version for {audience_id}" if audience_id else "this version"
    own = origin[0] if origin and origin[0] in ("summary", "asks", "sections", "quotes") else ""
    return [Problem(document.locate_inside(origin, position, f"[@{node.stat_id}]"),
                    document.describe(origin),
                    f"cites the chart {node.stat_id!r}, which {version} does not show",
                    f"list {node.stat_id} in the charts: of audience {audience_id}, or give "
                    f"that audience its own {own}: without the citation (a shared text is "
                    "printed on every version)" if audience_id and own else
                    "list the chart in this audience's charts:, or reword the sentence",
                    rule="unknown-figure")
            for position, node in locate_markup(value)
            if isinstance(node, Cite) and node.stat_id in hidden]


def _chart_view(spec: BriefSpec, index: int, view: BriefView, sources: dict[str, Any],
                text: Any) -> ChartView:
    """One chart for this version: every value formatted as the page's figures are, with the
    source and date it comes from."""
    chart = spec.charts[index]
    language = view.language
    path: FieldPath = ("charts", index)
    stats = {stat.id: stat for stat in spec.stats}
    view.affixes += [((*path, name), typed) for name in ("unit", "suffix")
                     if (typed := affix_text(getattr(chart, name), language))]
    formats = [stats[stat_id].format for series in chart.series for stat_id in series.stats or []
               if stat_id in stats]
    number_format = chart.format or (formats[0] if formats else "count")
    used_sources: dict[str, None] = {}
    dated: dict[tuple[str, str], None] = {}  # (source id, ISO date) in order of use
    series_views = []
    for number, series in enumerate(chart.series):
        values: list[float] = []
        labels: list[str] = []
        for point, source_id, as_of in chart_points(chart, series, stats):
            if isinstance(point, str):  # a stat's id: printed as its callout prints it
                stat = stats[point]
                values.append(stat.value)
                labels.append(view.cited_value(Cite(point, with_prefix=True)))
            else:
                values.append(point)
                labels.append(printed_figure(chart, language, with_qualifier=True, value=point,
                                             number_format=number_format))
            if source_id in sources:
                used_sources[source_id] = None
                day = as_of or sources[source_id].date
                dated[(source_id, day.isoformat() if day else "")] = None
        series_views.append(ChartSeriesView(
            text(series.name, (*path, "series", number, "name")), tuple(values), tuple(labels)))
    categories = tuple(text(category, (*path, "categories", number), literal=True)
                       for number, category in enumerate(chart.categories))
    title = text(chart.title, (*path, "title"))
    days: dict[str, list[str]] = {}  # each source once, with the dates its values refer to
    for source_id, day in dated:
        days.setdefault(source_id, []).append(day)
    cited = "; ".join(_source_line(sources[source_id], language,
                                   full_dates=[dt.date.fromisoformat(day) for day in isos if day])
                      for source_id, isos in days.items())
    subtitle = text(chart.subtitle, (*path, "subtitle"))
    description = chart_description(
        view.labels.get(f"chart_{chart.type}", chart.type), str(title or ""),
        [str(category or "") for category in categories],
        [(str(series.name) if series.name else "", series.labels) for series in series_views],
        cited, language, str(subtitle or ""))
    key: tuple[dict[str, Any], ...] = ()
    if chart.type == "stacked":
        several = len(series_views) > 1
        key = tuple(
            {"name": category,
             "value": ", ".join(f"{series.labels[part]} ({series.name})" if several
                                else series.labels[part] for series in series_views)}
            for part, category in enumerate(categories))
    return ChartView(
        id=chart.id, type=chart.type, title=title,
        subtitle=subtitle, note=text(chart.note, (*path, "note")),
        categories=categories, series=tuple(series_views), sources=tuple(used_sources),
        source_line="; ".join(_source_line(sources[source_id], language)
                              for source_id in used_sources),
        description=description, origin=path, number_format=number_format, key=key)


def chart_points(chart: Any, series: Any, stats: dict[str, Any]
                 ) -> list[tuple[float | str, str | None, dt.date | None]]:
    """A series' values with the source and date of each: (number, or a stat's id; source id;
    the date it refers to)."""
    if series.stats is not None:
        return [(stat_id, stats[stat_id].source if stat_id in stats else None,
                 stats[stat_id].as_of if stat_id in stats else None)
                for stat_id in series.stats]
    if series.points is not None:
        return [(point.value, point.source or series.source, point.as_of or series.as_of)
                for point in series.points]
    return [(value, series.source, series.as_of) for value in series.values or []]


def chart_description(kind: str, title: str, categories: list[str],
                      series: list[tuple[str, tuple[str, ...]]], sources: str, language: str,
                      subtitle: str = "") -> str:
    """The chart in one sentence, every value with its label, in the page's language and
    punctuation: "Stacked bar chart: Who pays for mine action (Shares of ANAMA’s budget,
    2023): Azerbaijan itself about 95%; International donors about 5% (ANAMA, 28 November
    2023)". Values are printed as on the page, unit and qualifier in words included; each
    source is named once, with the dates its values refer to."""
    from briefgen.resolve.locale_format import typeset

    # French sets a space before a colon and a semicolon (made narrow by `typeset`).
    space = " " if language.split("-")[0] == "fr" else ""
    parts = []
    for name, labels in series:
        values = f"{space}; ".join(f"{category} {label}"
                                   for category, label in zip(categories, labels, strict=True))
        parts.append(f"{name}{space}: {values}" if name else values)
    heading = title.rstrip(".:")
    if subtitle:
        heading += f" ({subtitle.rstrip('.')})"
    sentence = f"{kind}{space}: {heading}{space}: {'. '.join(parts)}"
    text = f"{sentence} ({sources})" if sources else sentence
    return typeset(text, language).replace(NO_BREAK_SPACE, " ")


def _source_line(source: Any, language: str, full_dates: list[dt.date] | None = None) -> str:
    """How a key figure names its source: who (the short name if given) and when (the
    month of its date; or `full_dates`, each in full)."""
    if source is None:
        return ""
    who = getattr(source, "short", None) or source.publisher
    if isinstance(who, dict):
        chosen = pick_language(who, language)
        who = who[chosen] if chosen else next(iter(who.values()))
    if full_dates:
        return ", ".join([str(who), *(format_long_date(day, language) for day in full_dates)])
    if source.date is None:
        return str(who)
    from babel.dates import format_skeleton

    when = format_skeleton("yMMMM", source.date, locale=babel_locale(language))
    return f"{who}, {when.replace(' ', NO_BREAK_SPACE)}"  # "January 2025" stays on one line


def _labels(template: Template, language: str) -> dict[str, str]:
    """The template's labels for the language; English when the template lacks it (the
    `language` rule in `checks` warns about that)."""
    catalogue = template.design.labels
    chosen = pick_language(catalogue, language) or "en"
    return dict(catalogue[chosen])


def affix_text(value: str | dict[str, str] | None, language: str) -> str:
    """A figure's prefix, unit or suffix for the language, as typed (empty when not given
    for it)."""
    if isinstance(value, dict):
        chosen = pick_language(value, language)
        return value[chosen] if chosen else ""
    return value or ""


# Letters that are symbols in every language: currency codes (US$, CHF) and SI units (m², km).
_SYMBOL_WORD = re.compile(r"[A-Z]{2,3}|(?:k|c|m)?m|ha|kg|g|t|l|[kMG]?Wh?")


def affix_has_words(text: str, language: str = "") -> bool:
    """Whether a prefix, unit or suffix holds words, which need translating ("more than",
    " d’euros", " долл. США"), rather than symbols every language writes alike ("€", "US$",
    " m²", " km²"). A page in Cyrillic script writes unit symbols in Cyrillic too ("м²",
    "долл. США"), so for such a `language` any Latin letter counts as a word."""
    words = ["".join(char for char in word if char.isalpha())
             for word in re.findall(r"\w+", text)]
    if language.split("-")[0] in _CYRILLIC_LANGUAGES and any(
            "a" <= char.lower() <= "z" for word in words for char in word):
        return True
    return any(word and not _SYMBOL_WORD.fullmatch(word) for word in words)


_CYRILLIC_LANGUAGES = {"ru", "uk", "be", "bg", "kk", "ky", "mk", "mn", "sr", "tg"}


# A prefix typed as one of these is read as the qualifier it stands for, so specs written
# before `qualifier` existed print words in every language ("~" was "about"); `check` asks
# for `qualifier:` instead.
QUALIFIER_SIGNS = {
    "~": "about", "≈": "about", "about": "about", "around": "about", "approximately": "about",
    "nearly": "nearly", "almost": "nearly", "up to": "up to", "≤": "up to",
    "at least": "at least", "≥": "at least", ">": "more than", "more than": "more than",
    "over": "more than", "<": "less than", "less than": "less than", "fewer than": "fewer than",
}


def read_as_qualifier(prefix: str) -> str | None:
    """The qualifier a prefix stands for ("~" -> about, "more than " -> more than), if any."""
    return QUALIFIER_SIGNS.get(" ".join(prefix.split()).casefold())


def figure_qualifier(figure: Any) -> str | None:
    """A stat's (or a chart's) qualifier: `qualifier:`, else one its prefix is read as (a
    prefix given once, or the same sign in every language)."""
    if getattr(figure, "qualifier", None):
        return str(figure.qualifier)
    prefix = getattr(figure, "prefix", None)
    values = (list(prefix.values()) if isinstance(prefix, dict) else [prefix]) if prefix else []
    read = {read_as_qualifier(value) for value in values}
    return read.pop() if len(read) == 1 and None not in read else None


def printed_figure(figure: Any, language: str, *, with_qualifier: bool = False,
                   value: float | None = None, number_format: str | None = None) -> str:
    """A figure as a version in `language` prints it: unit, number and suffix ("€4.25
    million", "4,25 millions d’euros"); `with_qualifier`, in the page's words ("about 5%",
    "около 5 %", "13%-dən çox"), or with the prefix typed for that language.

    `figure` is a stat, or a chart for one of its own values (`value`, `number_format`).
    A unit that ends in a letter is set apart from the number ("CHF 250"), and so is a
    suffix that starts with one; the number never parts from its first word, though a long
    unit's later words may wrap (see `joined_figure`).
    """
    from briefgen.resolve.locale_format import joined_figure, qualified, qualifier_wording

    number = format_number(figure.value if value is None else value,
                           number_format or figure.format or "count", language,
                           figure.decimals)
    text = joined_figure(affix_text(figure.unit, language), number,
                         affix_text(figure.suffix, language))
    if not with_qualifier:
        return text
    prefix = getattr(figure, "prefix", None)
    own = affix_text(prefix, language) if isinstance(prefix, dict) else ""
    if own and read_as_qualifier(own) is None:
        return _prefixed(own, text)  # the writer's own words for this language
    qualifier = figure_qualifier(figure)
    if qualifier is not None:
        wording = qualifier_wording(qualifier, language) or qualifier_wording(qualifier, "en")
        return qualified(text, wording or "{}")
    if isinstance(prefix, str):
        return _prefixed(prefix, text)  # free words written once (`check` names them)
    return text


def _prefixed(prefix: str, figure: str) -> str:
    """A prefix before the figure: its words kept together; a line may end after it."""
    words = " ".join(prefix.split())
    if not words:
        return figure
    joined = words.replace(" ", NO_BREAK_SPACE)
    return f"{joined} {figure}" if words[-1:].isalnum() or prefix.endswith(" ") else (
        joined + figure)


def pick_language(texts: Mapping[str, object], language: str) -> str | None:
    """The key of `texts` for `language`: exact (`fr-CH`), else its base language (`fr`)."""
    for candidate in (language, language.split("-")[0]):
        if candidate in texts:
            return candidate
    base = language.split("-")[0]
    return next((key for key in texts if key.split("-")[0] == base), None)


def _translation(quote: Any, language: str, path: FieldPath, text: Any) -> UserText | None:
    """A quote's translation, shown only when the page is in another language."""
    spoken = quote.language or language
    if quote.translation is None or spoken.split("-")[0] == language.split("-")[0]:
        return None
    if isinstance(quote.translation, dict) and pick_language(quote.translation, language) is None:
        return None  # no translation for this page's language: the words stand alone
    return text(quote.translation, (*path, "translation"))  # type: ignore[no-any-return]


def quote_cleared(quote: Any) -> bool:
    """Whether a quote may circulate: its speaker agreed, or its words are on the public
    record and it names where."""
    return bool(quote.consent or (quote.public and quote.source))


def amount_sourced(amount: Any) -> bool:
    """Whether an ask's amount says where it comes from: a stat, a source, or your own
    request (`requested: true`)."""
    return amount.stat is not None or amount.source is not None or amount.requested


def draft_reasons(quotes: list[Any], quotes_path: FieldPath, asks: list[Any],
                  asks_path: FieldPath) -> list[DraftReason]:
    """What keeps a version from circulating, among what it prints: a quote without the
    speaker's consent (unless it is on the public record and names its source), and an
    ask's amount that names no source and is not marked as your own request."""
    reasons = []
    for index, quote in enumerate(quotes):
        if quote_cleared(quote):
            continue
        speaker = (quote.speaker if isinstance(quote.speaker, str)
                   else next(iter(quote.speaker.values())))
        if quote.public:
            reasons.append(DraftReason(
                (*quotes_path, index, "public"),
                f"the quote by {speaker} is marked public but names no source",
                "add source: with the id of the speech or publication it comes from, or "
                "record consent: true", "quote-consent"))
        else:
            reasons.append(DraftReason(
                (*quotes_path, index), f"no consent recorded for the quote by {speaker}",
                "confirm the speaker agrees to be quoted, then add consent: true; for words "
                "on the public record add public: true and their source", "quote-consent"))
    for index, ask in enumerate(asks):
        if ask.amount is not None and not amount_sourced(ask.amount):
            reasons.append(DraftReason(
                (*asks_path, index, "amount"),
                "the ask's amount names no source and is not marked as your own request",
                "add source: (or give the amount as stat: with a figure's id); for an amount "
                "you ask for yourself, add requested: true", "amount-source"))
    return reasons


def _amount_view(amount: Any, path: FieldPath, view: BriefView, text: Any) -> dict[str, Any]:
    """An ask's amount as the page prints it: the figure (with "We ask" when it is your own
    request, and its source marker), the period, and the channel ("via ...")."""
    language = view.language
    if amount.stat is not None:
        nodes: tuple[Inline, ...] = (Cite(amount.stat, with_prefix=True),)
    else:
        figure = amount_figure(amount, language)
        printed = printed_figure(figure, language, with_qualifier=True)
        if amount.source is None:
            nodes = (Text(printed),)
        else:  # cited as a figure is: one piece, its source's marker at the clause's end
            view.affixes.append(((*path, "currency"), printed))  # for the font's coverage
            key = format_field_path(path)
            view.stat_values[key] = (printed_figure(figure, language), amount.source)
            view.qualified_values[key] = printed
            nodes = (Cite(key, with_prefix=True),)
    if amount.requested:
        nodes = _worded(view.labels.get("amount_requested", "We ask {}"), nodes)
    figure_text = UserText(len(view.texts), path, nodes, language)
    view.texts.append(figure_text)
    channel = text(amount.channel, (*path, "channel"))
    if channel is not None:
        channel = UserText(len(view.texts), channel.origin,
                           _worded(view.labels.get("amount_channel", "via {}"), channel.nodes),
                           channel.language)
        view.texts.append(channel)
    return {"figure": figure_text, "period": text(amount.period, (*path, "period")),
            "channel": channel, "requested": amount.requested}


def _worded(pattern: str, nodes: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """`nodes` set into a label with a `{}` where they go ("We ask {}", "{} vasitəsilə")."""
    before, found, after = pattern.partition("{}")
    if not found:
        before, after = pattern + " ", ""
    return (*((Text(before),) if before else ()), *nodes, *((Text(after),) if after else ()))


@dataclass(frozen=True)
class _AmountFigure:
    """A typed amount as a figure `printed_figure` can print."""

    value: float
    format: str
    decimals: int | None
    qualifier: str | None
    unit: str
    suffix: str
    prefix: None = None


def amount_figure(amount: Any, language: str) -> _AmountFigure:
    """A typed amount as a figure in `language`: compact from a million up unless its
    `format` says otherwise, its currency written as the language writes it."""
    number_format = amount.format or ("compact" if amount.value >= 1_000_000 else "count")
    in_millions = number_format == "compact" and amount.value >= 1_000_000
    unit, suffix = currency_affixes(amount.currency, language, in_millions, amount.value)
    decimals = amount.decimals
    if decimals is None and in_millions:
        # Money is not rounded away: €4.25 million stays 4.25 (figures keep one decimal).
        scaled = amount.value / (1e9 if amount.value >= 1e9 else 1e6)
        decimals = next(places for places in (0, 1, 2) if round(scaled, places) == round(
            scaled, 2))
    return _AmountFigure(amount.value, number_format, decimals, amount.qualifier, unit,
                         suffix)


def currency_affixes(code: str, language: str, in_millions: bool, value: float
                     ) -> tuple[str, str]:
    """A currency as a figure's unit (before) and suffix (after), in `language`, from
    Babel's CLDR data: English puts the symbol first ("€4.25 million", "US$35 million", "$35
    million" in American English); French writes the name after millions ("4,25 millions
    d’euros") and the symbol after other amounts ("250 000 €"); Russian and Azerbaijani
    write the name ("4,25 млн евро", "250 000 долларов США", "4,25 milyon avro"); other
    languages the symbol where their currency pattern puts it."""
    from babel.numbers import get_currency_name, get_currency_symbol

    locale = babel_locale(language)
    base = language.split("-")[0]
    symbol = get_currency_symbol(code, locale=locale)
    if base == "en":
        return symbol, ""
    if base == "fr":
        if not in_millions:
            return "", " " + symbol
        name = get_currency_name(code, count=value, locale=locale)
        return "", (" d’" if re.match(r"[aeiouyhéèêàâîôû]", name, re.IGNORECASE) else " de ") + name
    if base in ("ru", "az"):
        # After a scale word ("млн") Russian takes the genitive plural, as after 5.
        name = get_currency_name(code, count=5 if in_millions else value, locale=locale)
        if base == "az" and " " not in name:
            name = name.lower()  # CLDR capitalises a one-word name ("Avro") as a heading does
        return "", " " + name
    pattern = locale.currency_formats["standard"].pattern
    if pattern.index("¤") < pattern.index("#" if "#" in pattern else "0"):
        return symbol, ""
    return "", " " + symbol


def short_address(url: str | None) -> str | None:
    """An address as printed for typing in: without `https://` and `www.`, never cut."""
    if url is None:
        return None
    for prefix in ("https://", "http://"):
        url = url.removeprefix(prefix)
    return url.removeprefix("www.").rstrip("/")


DISPLAY_URL_LENGTH = 48


def display_url(url: str | None) -> str | None:
    """An address as printed: without `https://` and `www.`, which readers do not need, and
    cut after a slash with "…" when long (a one-pager has no room for 120-character
    addresses; the title and date find the page, and the link keeps the full address)."""
    if url is None:
        return None
    for prefix in ("https://", "http://"):
        if url.startswith(prefix):
            url = url[len(prefix):]
            break
    url = url.removeprefix("www.").rstrip("/")
    if len(url) <= DISPLAY_URL_LENGTH:
        return url
    cut = url.rfind("/", 0, DISPLAY_URL_LENGTH)
    return (url[:cut + 1] if cut > 0 else url[:DISPLAY_URL_LENGTH]) + "\u2026"
