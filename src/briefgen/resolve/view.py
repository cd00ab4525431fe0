"""Resolve a `BriefSpec` for one audience into a `BriefView`: what the template can place.

Resolving applies the audience's overrides (see `version`), picks the template's labels for
the language and formats numbers and dates for the locale. User text stays parsed inline
markup (`UserText`), tagged with the spec field it came from so later stages can point at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from briefgen.errors import SpecError
from briefgen.resolve.charts import ChartView, chart_view, source_line
from briefgen.resolve.draft import DraftReason, draft_reasons
from briefgen.resolve.figures import affix_text, amount_figure, printed_figure
from briefgen.resolve.language import first_text, text_or_first
from briefgen.resolve.language import pick_language as pick_language
from briefgen.resolve.locale_format import format_date_range, format_long_date
from briefgen.resolve.user_text import PrintedText as PrintedText
from briefgen.resolve.user_text import TextReader
from briefgen.resolve.user_text import UserText as UserText
from briefgen.resolve.version import Version, Written, numbered
from briefgen.spec.inline import Cite, Inline, Text
from briefgen.spec.loader import FieldPath, YamlDocument, format_field_path
from briefgen.spec.models import Ask, AskAmount, BriefHeader, BriefSpec, Quote, Section, Sender, Source
from briefgen.template import Template


@dataclass(frozen=True)
class StatView:
    id: str
    value: str  # as a callout shows it, in the page's words: "more than 13%", "около 1,5 млн"
    label: UserText
    source: str  # the id of its source: the layout asks for its note's number
    figure: str = ""  # the value without its qualifier: "13%"
    source_line: str = ""  # who says so and when, under the callout: "ANAMA, November 2023"


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
    The order the texts are read in numbers them (`UserText.index`) and orders `printed`
    and the problems found.
    """
    version = Version(spec, audience_index)
    language = version.language
    labels = _labels(template, language)
    reader = TextReader(document, language, printed=printed,
                        hidden_chart_ids=frozenset(version.hidden_chart_ids),
                        audience_id=version.audience_id)
    view = BriefView(language=language, page=version.page, labels=labels, context={},
                     texts=reader.texts, chart_reference=labels.get("see_chart", "(see chart)"))
    sources = {source.id: source for source in spec.sources}
    _add_figures(spec, view)
    stats = _stat_views(spec, version, view, sources, reader)
    _add_charts(spec, version, view, sources, reader)
    view.context = {
        "brief": _brief_context(spec.brief, language, reader),
        "event": _event_context(spec.brief, language, reader),
        "sender": _sender_context(version.sender, reader),
        "audience": _audience_context(version, reader),
        "summary_ask": reader.read(*version.summary_ask),
        "summary": reader.read(*version.summary),
        "asks": [_ask_context(ask, path, view, reader) for path, ask in numbered(version.asks)],
        "stats": stats,
        "quotes": [_quote_context(quote, path, language, reader)
                   for path, quote in numbered(version.quotes)],
        "sections": [_section_context(section, path, reader)
                     for path, section in numbered(version.sections)],
        "labels": labels,
        "charts": list(view.charts.values()),
        "sources": _sources_context(spec.sources, language, reader),
    }
    _add_logo(view, version.sender, document)
    keywords = _keywords(spec.brief, language, reader)
    _add_sources_address(view, spec.brief.sources_url, reader)
    view.draft = draft_reasons(*version.quotes, *version.asks)
    view.context["draft"] = bool(view.draft)
    if reader.missing:
        raise SpecError(reader.missing)
    _add_metadata(view, version, keywords, reader)
    return view


def _labels(template: Template, language: str) -> dict[str, str]:
    """The template's labels for the language; English when the template lacks it (the
    `language` rule in `checks` warns about that)."""
    catalogue = template.design.labels
    chosen = pick_language(catalogue, language) or "en"
    return dict(catalogue[chosen])


def _add_figures(spec: BriefSpec, view: BriefView) -> None:
    """Every figure as sentences cite it, with and without its qualifier, and the words
    around figures (for the fonts' coverage)."""
    language = view.language
    for index, stat in enumerate(spec.stats):
        view.affixes += [(("stats", index, name), typed) for name in ("prefix", "unit", "suffix")
                         if (typed := affix_text(getattr(stat, name), language))]
        figure = printed_figure(stat, language)
        view.stat_values[stat.id] = (figure, stat.source)
        qualified = printed_figure(stat, language, with_qualifier=True)
        if qualified != figure:
            view.qualified_values[stat.id] = qualified


def _stat_views(spec: BriefSpec, version: Version, view: BriefView,
                sources: dict[str, Source], reader: TextReader) -> list[StatView]:
    """The figures shown as callouts."""
    stat_index = {stat.id: index for index, stat in enumerate(spec.stats)}
    views = []
    for stat_id in version.stat_ids:
        stat = spec.stats[stat_index[stat_id]]
        views.append(StatView(
            stat_id, view.cited_value(Cite(stat_id, with_prefix=True)),
            reader.read(stat.label, ("stats", stat_index[stat_id], "label")),  # type: ignore[arg-type]
            stat.source, figure=view.stat_values[stat_id][0],
            source_line=source_line(sources.get(stat.source), view.language)))
    return views


def _add_charts(spec: BriefSpec, version: Version, view: BriefView,
                sources: dict[str, Source], reader: TextReader) -> None:
    """The charts this version shows, in its order."""
    chart_index = {chart.id: index for index, chart in enumerate(spec.charts)}
    for chart_id in version.chart_ids:
        view.charts[chart_id] = chart_view(spec, chart_index[chart_id], view, sources, reader)


def _brief_context(header: BriefHeader, language: str, reader: TextReader) -> dict[str, Any]:
    return {
        "id": header.id,
        "title": reader.read(header.title, ("brief", "title")),
        "headline": None,
        "deck": None,
        "subtitle": reader.read(header.subtitle, ("brief", "subtitle")),
        "date": format_long_date(header.date, language),
        "language": language,
        "version": header.version,
    }


def _event_context(header: BriefHeader, language: str, reader: TextReader) -> dict[str, Any]:
    event = header.event
    return {
        "name": reader.read(event.name, ("brief", "event", "name")),
        "place": reader.read(event.place, ("brief", "event", "place")),
        "dates": format_date_range(event.start, event.end, language),
    }


# The sender's details printed as typed: their markup is not read.
_TYPED_AS_IS = ("email", "phone", "website")


def _sender_context(sender: Written[Sender], reader: TextReader) -> dict[str, Any]:
    who, path = sender
    context = {
        name: reader.read(display_url(who.website) if name == "website" else getattr(who, name),
                          (*path, name), literal=name in _TYPED_AS_IS)
        for name in ("organization", "name", "role", "email", "phone", "website")}
    return context | {"email_href": f"mailto:{who.email}" if who.email else None,
                      "website_href": who.website}


def _audience_context(version: Version, reader: TextReader) -> dict[str, Any] | None:
    audience = version.audience
    if audience is None:
        return None
    return {"id": audience.id, "name": reader.read(audience.name, (*version.path, "name")),
            "intro": reader.read(*version.intro)}


def _ask_context(ask: Ask, path: FieldPath, view: BriefView, reader: TextReader
                 ) -> dict[str, Any]:
    return {"headline": reader.read(ask.headline, (*path, "headline")),
            "detail": reader.read(ask.detail, (*path, "detail")),
            "amount": _amount_context(ask.amount, (*path, "amount"), view, reader)
            if ask.amount else None}


def _amount_context(amount: AskAmount, path: FieldPath, view: BriefView, reader: TextReader
                    ) -> dict[str, Any]:
    """An ask's amount as the page prints it: the figure (with "We ask" when it is your own
    request, and its source marker), the period, and the channel ("via ...")."""
    nodes = _amount_nodes(amount, path, view)
    if amount.requested:
        nodes = _worded(view.labels.get("amount_requested", "We ask {}"), nodes)
    figure = reader.add(path, nodes)
    channel = reader.read(amount.channel, (*path, "channel"))
    if channel is not None:
        channel = reader.add(channel.origin, _worded(
            view.labels.get("amount_channel", "via {}"), channel.nodes), channel.language)
    return {"figure": figure, "period": reader.read(amount.period, (*path, "period")),
            "channel": channel, "requested": amount.requested}


def _amount_nodes(amount: AskAmount, path: FieldPath, view: BriefView) -> tuple[Inline, ...]:
    """The amount's figure: a stat's, or a typed one, cited as a figure is when it names its
    source (one piece, its source's marker at the clause's end)."""
    if amount.stat is not None:
        return (Cite(amount.stat, with_prefix=True),)
    figure = amount_figure(amount, view.language)
    printed = printed_figure(figure, view.language, with_qualifier=True)
    if amount.source is None:
        return (Text(printed),)
    view.affixes.append(((*path, "currency"), printed))  # for the font's coverage
    key = format_field_path(path)
    view.stat_values[key] = (printed_figure(figure, view.language), amount.source)
    view.qualified_values[key] = printed
    return (Cite(key, with_prefix=True),)


def _worded(pattern: str, nodes: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """`nodes` set into a label with a `{}` where they go ("We ask {}", "{} vasitəsilə")."""
    before, found, after = pattern.partition("{}")
    if not found:
        before, after = pattern + " ", ""
    return (*((Text(before),) if before else ()), *nodes, *((Text(after),) if after else ()))


def _quote_context(quote: Quote, path: FieldPath, language: str, reader: TextReader
                   ) -> dict[str, Any]:
    # A name needs no translation: another script's spelling is used where given.
    speaker = (quote.speaker if isinstance(quote.speaker, str)
               or pick_language(quote.speaker, language) else first_text(quote.speaker))
    return {"text": reader.read(quote.text, (*path, "text"), quote.language or language),
            "speaker": reader.read(speaker, (*path, "speaker")),
            "role": reader.read(quote.role, (*path, "role")),
            "source": quote.source,
            "language": quote.language or language,
            "translation": _quote_translation(quote, path, language, reader)}


def _quote_translation(quote: Quote, path: FieldPath, language: str, reader: TextReader
                       ) -> UserText | None:
    """A quote's translation, shown only when the page is in another language."""
    spoken = quote.language or language
    if quote.translation is None or spoken.split("-")[0] == language.split("-")[0]:
        return None
    if isinstance(quote.translation, dict) and pick_language(quote.translation, language) is None:
        return None  # no translation for this page's language: the words stand alone
    return reader.read(quote.translation, (*path, "translation"))


def _section_context(section: Section, path: FieldPath, reader: TextReader
                     ) -> dict[str, Any]:
    return {"heading": reader.read(section.heading, (*path, "heading")),
            "body": reader.read(section.body, (*path, "body"))}


def _sources_context(sources: list[Source], language: str, reader: TextReader
                     ) -> dict[str, dict[str, Any]]:
    return {source.id: _source_context(source, ("sources", index), language, reader)
            for index, source in enumerate(sources)}


def _source_context(source: Source, path: FieldPath, language: str, reader: TextReader
                    ) -> dict[str, Any]:
    return {
        "title": reader.read(source.title, (*path, "title")),
        "publisher": reader.read(source.publisher, (*path, "publisher")),
        "author": reader.read(source.author, (*path, "author")),
        "date": format_long_date(source.date, language) if source.date else None,
        "url": reader.read(display_url(source.url), (*path, "url"), literal=True),
        "href": source.url,
    }


def _add_logo(view: BriefView, sender: Written[Sender], document: YamlDocument) -> None:
    """The sender's logo, if any, with what it says for those who cannot see it."""
    who, path = sender
    if who.logo:
        from briefgen.resolve.assets import load_picture

        logo_path = (*path, "logo")
        view.pictures["logo"] = load_picture(who.logo, document.path,
                                             document.locate(logo_path),
                                             format_field_path(logo_path))
    context = view.context["sender"]
    context["logo"] = "logo" in view.pictures
    context["organization_text"] = who.organization
    logo_alt = text_or_first(who.logo_alt, view.language) if who.logo_alt else None
    context["logo_description"] = logo_alt or who.organization


def _keywords(header: BriefHeader, language: str, reader: TextReader) -> str | None:
    """What a search finds the files by, in the version's language. Not drawn, so not one
    of the page's texts; a language it lacks is reported as missing."""
    keywords = header.keywords
    if not isinstance(keywords, dict):
        return keywords
    chosen = pick_language(keywords, language)
    if chosen is None:
        reader.read(keywords, ("brief", "keywords"))  # reports the missing language
        return None
    return keywords[chosen]


def _add_sources_address(view: BriefView, url: str | None, reader: TextReader) -> None:
    """The full sources' address in the footer, short, and as a QR code."""
    brief = view.context["brief"]
    brief["sources_url"] = url
    brief["sources_address"] = reader.read(short_address(url), ("brief", "sources_url"),
                                           literal=True)
    brief["sources_address_text"] = short_address(url) or ""
    if url:
        from briefgen.resolve.qr import qr_picture

        view.pictures["sources-qr"] = qr_picture(url)


def _add_metadata(view: BriefView, version: Version, keywords: str | None,
                  reader: TextReader) -> None:
    """The headline and deck, and what a viewer's title bar and a file's properties show."""
    brief, event = view.context["brief"], view.context["event"]
    view.audience_id = version.audience_id
    title = brief["title"]
    brief["headline"], brief["deck"] = _split_title(title, reader)
    view.title = str(title)
    if view.draft:
        view.title = f"{view.labels.get('draft', 'Draft – not for circulation')}: {view.title}"
    view.author = version.sender.value.organization
    view.keywords = keywords or "; ".join(
        str(part) for part in (brief["headline"], event["name"], event["place"]))
    view.subject = f"{event['name']}, {event['place']}, {event['dates']}"
    audience = version.audience
    if audience:
        view.subject += f" \u2013 {audience.name}"
    view.date_iso = version.spec.brief.date.isoformat()


_DECK_BREAK = re.compile(r"\s*;\s*")


def _split_title(title: UserText, reader: TextReader) -> tuple[UserText, UserText | None]:
    """The headline and the deck: a title written as two clauses joined by a semicolon is set
    as a short headline and a smaller line under it, which a reader takes in at a glance."""
    nodes = title.nodes
    for index, node in enumerate(nodes):
        if not isinstance(node, Text) or (found := _DECK_BREAK.search(node.text)) is None:
            continue
        rest = node.text[found.end():]
        if not rest.strip():
            break
        head = (*nodes[:index], Text(node.text[:found.start()]))
        deck = (Text(rest[:1].upper() + rest[1:]), *nodes[index + 1:])
        return (reader.add(title.origin, head, title.language),
                reader.add(title.origin, deck, title.language))
    return title, None


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
